//! A disk that refuses writes: the download stops with one clear line naming the file and the
//! system's reason, exits non-zero without a panic, damages nothing, and a second run once the
//! disk takes writes again completes the download byte-identical.
//!
//! The fault is real, from the kernel: the downloader runs under a file-size limit
//! (`ulimit -f`, with SIGXFSZ ignored so the write fails with EFBIG instead of killing the
//! process), the way a full disk or a quota makes `write`/`ftruncate` fail. The torrent has a
//! small file under the limit and a large one over it.

#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::clients::*;
use common::*;
use std::process::Command;
use std::time::Duration;

#[test]
fn a_disk_that_refuses_writes_stops_the_download_cleanly_and_a_retry_completes_it() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    let album = src.join("album");
    let small = random_bytes(11, 300_000);
    let large = random_bytes(12, 3_000_000);
    write_tree(
        &album,
        &[
            ("a-small.bin", small.clone()),
            ("b-large.bin", large.clone()),
        ],
    );
    let torrent = tmp.path().join("album.torrent");
    create_torrent_with(&album, &torrent, &["--piece-length", "16384"]);
    let (mut seed, port) = brooklet_seed(&torrent, &src, &[]);

    // 2048 blocks of 512 bytes: 1 MiB, more than the small file, less than the large one.
    let dst = tmp.path().join("dst");
    std::fs::create_dir_all(&dst).unwrap();
    let script = "trap '' XFSZ; ulimit -f 2048; exec \"$@\"";
    let mut limited = Command::new("sh");
    limited.args(["-c", script, "sh"]);
    let download = brooklet_cmd();
    limited.arg(download.get_program());
    for (k, v) in download.get_envs() {
        match v {
            Some(v) => limited.env(k, v),
            None => limited.env_remove(k),
        };
    }
    limited
        .arg("download")
        .arg(&torrent)
        .arg("-o")
        .arg(&dst)
        .args(["--peer", &format!("127.0.0.1:{port}"), "--no-dht"]);
    let out = run_with_timeout(&mut limited, 60);
    let err = stderr_of(&out);
    assert_eq!(
        out.status.code(),
        Some(1),
        "a refused write must end the download with status 1:\n{err}"
    );
    let last = err
        .lines()
        .rfind(|l| l.starts_with("brooklet:"))
        .unwrap_or("");
    assert!(
        last.contains("b-large.bin") && last.contains("File too large"),
        "the error names the file and the system's reason: {err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    // Nothing outside the download folder, no stray files inside it.
    let mut names: Vec<_> = std::fs::read_dir(dst.join("album"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert!(
        names
            .iter()
            .all(|n| n == "a-small.bin" || n == "b-large.bin"),
        "{names:?}"
    );

    // The disk takes writes again: the same command completes, byte for byte.
    let out = run_with_timeout(
        brooklet_cmd()
            .arg("download")
            .arg(&torrent)
            .arg("-o")
            .arg(&dst)
            .args(["--peer", &format!("127.0.0.1:{port}"), "--no-dht"]),
        120,
    );
    expect_success(&out, "the retry");
    assert_eq!(std::fs::read(dst.join("album/a-small.bin")).unwrap(), small);
    assert_eq!(std::fs::read(dst.join("album/b-large.bin")).unwrap(), large);
    assert!(seed.terminate(Duration::from_secs(10)).is_some());
}
