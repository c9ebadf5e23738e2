//! Torrent files across real clients: the torrents Brooklet makes load in transmission and
//! libtorrent with the same info-hash, and torrents made by mktorrent, transmission-create and
//! libtorrent (v1 and hybrid v1+v2 with BEP 47 pad files) load in Brooklet with the same info-hash
//! and verify against their source data.
//!
//! Each test first checks that its clients are installed and skips (fails under CI) otherwise.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{
    Bencode, brooklet, expect_failure, expect_success, find_in_path, hex, program,
    python_libtorrent_with_args, random_bytes, require_python_libtorrent, require_tool,
    run_with_timeout, stderr_of, stdout_of, write_tree,
};
use serde_json::Value;
use sha1::{Digest, Sha1};
use std::path::{Path, PathBuf};

const TRACKER: &str = "http://127.0.0.1:1/announce";

fn temp() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

/// A single file (odd size) and a nested folder with an empty file, under `dir`. Returns the
/// paths of the file and of the folder.
fn sample_data(dir: &Path) -> (PathBuf, PathBuf) {
    write_tree(
        dir,
        &[
            ("solo.bin", random_bytes(100, 1_000_003)),
            ("album/cover.jpg", random_bytes(101, 70_001)),
            ("album/disc 1/01 intro.flac", random_bytes(102, 300_000)),
            ("album/disc 1/02 song.flac", random_bytes(103, 123_457)),
            ("album/disc 2/empty.txt", Vec::new()),
            ("album/disc 2/03 outro.flac", random_bytes(104, 49_999)),
        ],
    );
    (dir.join("solo.bin"), dir.join("album"))
}

/// `brooklet create SRC -o OUT` with two tracker tiers; returns the printed info-hash.
fn brooklet_create(src: &Path, out: &Path) -> String {
    let output = run_with_timeout(
        brooklet()
            .arg("create")
            .arg(src)
            .arg("-o")
            .arg(out)
            .args(["--tracker", TRACKER])
            .args([
                "--tracker",
                "udp://127.0.0.1:2/announce,http://127.0.0.1:3/a",
            ]),
        120,
    );
    let hash = expect_success(&output, "brooklet create").trim().to_owned();
    assert_eq!(hash.len(), 40, "create printed {hash:?}");
    hash
}

/// `brooklet info --json`.
fn brooklet_info(torrent: &Path) -> Value {
    let out = run_with_timeout(brooklet().arg("info").arg(torrent).arg("--json"), 30);
    let stdout = expect_success(&out, "brooklet info --json");
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("bad JSON ({e}): {stdout}"))
}

/// `brooklet verify`; asserts it passes with `pieces` of `pieces`.
fn brooklet_verifies(torrent: &Path, data_dir: &Path, pieces: u64) {
    let out = run_with_timeout(brooklet().arg("verify").arg(torrent).arg(data_dir), 120);
    let stdout = expect_success(&out, "brooklet verify");
    assert!(
        stdout.contains(&format!("{pieces} of {pieces} pieces verified")),
        "{stdout}"
    );
}

/// transmission-show's `Hash:` line, or its complaint when it refuses the torrent.
fn transmission_hash(torrent: &Path) -> Result<String, String> {
    let out = run_with_timeout(program("transmission-show").arg(torrent), 30);
    let stdout = stdout_of(&out);
    stdout
        .lines()
        .find_map(|l| l.trim().strip_prefix("Hash:"))
        .map(|h| h.trim().to_owned())
        .filter(|_| out.status.success())
        .ok_or_else(|| format!("{:?}: {stdout} {}", out.status, stderr_of(&out)))
}

/// What libtorrent's `torrent_info` makes of a torrent file, as JSON.
fn libtorrent_info(torrent: &Path) -> Value {
    const SCRIPT: &str = r#"
import json, sys
import libtorrent as lt
ti = lt.torrent_info(sys.argv[1])
fs = ti.files()
print(json.dumps({
    "info_hash": str(ti.info_hash()),
    "v1": str(ti.info_hashes().v1),
    "has_v2": ti.info_hashes().has_v2(),
    "name": ti.name(),
    "num_pieces": ti.num_pieces(),
    "piece_length": ti.piece_length(),
    "total_size": ti.total_size(),
    "private": ti.priv(),
    "trackers": [[t.url, t.tier] for t in ti.trackers()],
    "files": [
        {
            "path": fs.file_path(i),
            "length": fs.file_size(i),
            "offset": fs.file_offset(i),
            "pad": bool(fs.file_flags(i) & lt.file_storage.flag_pad_file),
        }
        for i in range(fs.num_files())
    ],
}))
"#;
    let stdout = python_libtorrent_with_args(SCRIPT, &[torrent]);
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("bad JSON ({e}): {stdout}"))
}

/// Makes a torrent of `src` with libtorrent: `v1` only, or the default hybrid v1+v2 (with pad
/// files between files). 16 KiB pieces, one tracker.
fn libtorrent_create(src: &Path, out: &Path, v1_only: bool) {
    const SCRIPT: &str = r#"
import os, sys
import libtorrent as lt
src, out, mode = sys.argv[1], sys.argv[2], sys.argv[3]
fs = lt.file_storage()
lt.add_files(fs, src)
flags = lt.create_torrent.v1_only if mode == "v1" else 0
t = lt.create_torrent(fs, 16384, flags=flags)
t.add_tracker(sys.argv[4])
lt.set_piece_hashes(t, os.path.dirname(src))
with open(out, "wb") as f:
    f.write(lt.bencode(t.generate()))
"#;
    let mode = if v1_only { "v1" } else { "hybrid" };
    python_libtorrent_with_args(
        SCRIPT,
        &[
            src.as_os_str(),
            out.as_os_str(),
            mode.as_ref(),
            TRACKER.as_ref(),
        ],
    );
    assert!(out.is_file(), "libtorrent wrote no {}", out.display());
}

/// The real (non-pad) files libtorrent lists, as (path, length, offset).
fn libtorrent_real_files(lt: &Value) -> Vec<(String, u64, u64)> {
    lt["files"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["pad"] == false)
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_owned(),
                f["length"].as_u64().unwrap(),
                f["offset"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn brooklet_files(json: &Value) -> Vec<(String, u64, u64)> {
    json["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_owned(),
                f["length"].as_u64().unwrap(),
                f["offset"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// Asserts that Brooklet and libtorrent agree on a v1 torrent: info-hash, pieces, piece length,
/// size, name and files (paths, lengths, offsets).
fn assert_agrees_with_libtorrent(ours: &Value, lt: &Value, what: &str) {
    assert_eq!(ours["info_hash"], lt["v1"], "{what}: info-hash");
    assert_eq!(ours["name"], lt["name"], "{what}: name");
    assert_eq!(ours["piece_count"], lt["num_pieces"], "{what}: pieces");
    assert_eq!(
        ours["piece_length"], lt["piece_length"],
        "{what}: piece length"
    );
    assert_eq!(
        brooklet_files(ours),
        libtorrent_real_files(lt),
        "{what}: files"
    );
    let real: u64 = libtorrent_real_files(lt).iter().map(|f| f.1).sum();
    assert_eq!(ours["total_length"], real, "{what}: size");
}

/// For a torrent made by another program from `src` (inside `data_dir`): Brooklet, transmission
/// and libtorrent report the same info-hash and shape, and Brooklet verifies the source data.
fn assert_loads_everywhere_and_verifies(torrent: &Path, data_dir: &Path, what: &str) {
    let ours = brooklet_info(torrent);
    let lt = libtorrent_info(torrent);
    assert_eq!(lt["has_v2"], false, "{what}: expected a v1 torrent");
    assert_eq!(lt["info_hash"], lt["v1"], "{what}");
    assert_agrees_with_libtorrent(&ours, &lt, what);
    assert_eq!(ours["total_length"], lt["total_size"], "{what}: size");
    let transmission = transmission_hash(torrent)
        .unwrap_or_else(|e| panic!("{what}: transmission-show refused it: {e}"));
    assert_eq!(
        ours["info_hash"],
        transmission.as_str(),
        "{what}: transmission"
    );
    assert_eq!(ours["trackers"], serde_json::json!([[TRACKER]]), "{what}");
    brooklet_verifies(torrent, data_dir, ours["piece_count"].as_u64().unwrap());
}

// ---------------------------------------------------------------------------------------------
// Ours, read by others

#[test]
fn our_torrents_load_in_transmission_with_the_same_info_hash() {
    if !require_tool("transmission-show", "transmission-cli") {
        return;
    }
    let dir = temp();
    let (file, folder) = sample_data(dir.path());
    for (src, name) in [(&file, "solo"), (&folder, "album")] {
        let torrent = dir.path().join(format!("{name}.torrent"));
        let hash = brooklet_create(src, &torrent);
        let shown = transmission_hash(&torrent)
            .unwrap_or_else(|e| panic!("transmission-show refused our {name}: {e}"));
        assert_eq!(shown, hash, "{name}");
    }
}

#[test]
fn our_torrents_load_in_libtorrent_with_the_same_info_hash_pieces_and_size() {
    if !require_python_libtorrent() {
        return;
    }
    let dir = temp();
    let (file, folder) = sample_data(dir.path());
    for (src, name, total) in [
        (&file, "solo", 1_000_003u64),
        (&folder, "album", 70_001 + 300_000 + 123_457 + 49_999),
    ] {
        let torrent = dir.path().join(format!("{name}.torrent"));
        let hash = brooklet_create(src, &torrent);
        let lt = libtorrent_info(&torrent);
        assert_eq!(lt["info_hash"], hash.as_str(), "{name}");
        assert_eq!(lt["v1"], hash.as_str(), "{name}");
        assert_eq!(lt["has_v2"], false, "{name}");
        assert_eq!(lt["total_size"], total, "{name}");
        let ours = brooklet_info(&torrent);
        assert_agrees_with_libtorrent(&ours, &lt, name);
        // BEP 12: a client shuffles the URLs inside a tier, so compare each tier as a set.
        let mut trackers: Vec<(u64, String)> = lt["trackers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| (t[1].as_u64().unwrap(), t[0].as_str().unwrap().to_owned()))
            .collect();
        trackers.sort();
        assert_eq!(
            trackers,
            [
                (0, TRACKER.to_owned()),
                (1, "http://127.0.0.1:3/a".to_owned()),
                (1, "udp://127.0.0.1:2/announce".to_owned()),
            ],
            "{name}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Others', read by us

#[test]
fn mktorrent_torrents_have_the_same_info_hash_everywhere_and_verify() {
    if !require_tool("mktorrent", "mktorrent")
        || !require_tool("transmission-show", "transmission-cli")
        || !require_python_libtorrent()
    {
        return;
    }
    let dir = temp();
    let (file, folder) = sample_data(dir.path());
    for (src, name) in [(&file, "solo"), (&folder, "album")] {
        let torrent = dir.path().join(format!("mk-{name}.torrent"));
        let out = run_with_timeout(
            program("mktorrent")
                .args(["-l", "15", "-a", TRACKER, "-o"])
                .arg(&torrent)
                .arg(src)
                .current_dir(dir.path()),
            60,
        );
        assert!(out.status.success(), "mktorrent: {}", stderr_of(&out));
        assert_eq!(brooklet_info(&torrent)["piece_length"], 32_768);
        assert_loads_everywhere_and_verifies(&torrent, dir.path(), &format!("mktorrent {name}"));
    }
}

#[test]
fn transmission_create_torrents_have_the_same_info_hash_everywhere_and_verify() {
    if !require_tool("transmission-create", "transmission-cli")
        || !require_tool("transmission-show", "transmission-cli")
        || !require_python_libtorrent()
    {
        return;
    }
    let dir = temp();
    let (file, folder) = sample_data(dir.path());
    for (src, name) in [(&file, "solo"), (&folder, "album")] {
        let torrent = dir.path().join(format!("tr-{name}.torrent"));
        let out = run_with_timeout(
            program("transmission-create")
                .arg("-o")
                .arg(&torrent)
                .args(["-t", TRACKER])
                .arg(src)
                .current_dir(dir.path()),
            60,
        );
        assert!(
            out.status.success(),
            "transmission-create: {}",
            stderr_of(&out)
        );
        assert_loads_everywhere_and_verifies(
            &torrent,
            dir.path(),
            &format!("transmission-create {name}"),
        );
    }
}

#[test]
fn libtorrent_v1_torrents_have_the_same_info_hash_everywhere_and_verify() {
    if !require_python_libtorrent() || !require_tool("transmission-show", "transmission-cli") {
        return;
    }
    let dir = temp();
    let (file, folder) = sample_data(dir.path());
    for (src, name) in [(&file, "solo"), (&folder, "album")] {
        let torrent = dir.path().join(format!("lt-{name}.torrent"));
        libtorrent_create(src, &torrent, true);
        assert_loads_everywhere_and_verifies(&torrent, dir.path(), &format!("libtorrent {name}"));
    }
}

#[test]
fn unsorted_and_unknown_info_keys_hash_like_libtorrent_because_the_raw_bytes_are_hashed() {
    if !require_python_libtorrent() {
        return;
    }
    let dir = temp();
    let data = random_bytes(110, 50_000);
    std::fs::write(dir.path().join("raw.bin"), &data).unwrap();
    let pieces: Vec<u8> = data
        .chunks(16_384)
        .flat_map(|c| <[u8; 20]>::from(Sha1::digest(c)))
        .collect();
    let info = Bencode::dict([
        ("piece length", Bencode::Int(16_384)),
        ("name", Bencode::str("raw.bin")),
        (
            "x-unknown",
            Bencode::str_list(["kept", "in", "the", "hash"]),
        ),
        ("pieces", Bencode::Bytes(pieces)),
        ("length", Bencode::Int(50_000)),
    ]);
    let info_bytes = info.encode();
    let bytes = Bencode::dict([
        ("zz-top-level-unknown", Bencode::Int(1)),
        ("info", info),
        ("announce", Bencode::str(TRACKER)),
    ])
    .encode();
    let torrent = dir.path().join("raw.torrent");
    std::fs::write(&torrent, &bytes).unwrap();

    let expected = hex(&<[u8; 20]>::from(Sha1::digest(&info_bytes)));
    let ours = brooklet_info(&torrent);
    let lt = libtorrent_info(&torrent);
    assert_eq!(ours["info_hash"], expected.as_str());
    assert_eq!(
        lt["info_hash"],
        expected.as_str(),
        "libtorrent hashed otherwise"
    );
    assert_agrees_with_libtorrent(&ours, &lt, "unsorted");
    brooklet_verifies(&torrent, dir.path(), 4);

    // transmission may refuse or re-encode unsorted keys; compare only when it loads the file.
    if find_in_path("transmission-show").is_some() {
        match transmission_hash(&torrent) {
            Ok(h) if h == expected => {}
            Ok(h) => eprintln!("note: transmission-show hashes the unsorted info as {h}"),
            Err(e) => eprintln!("note: transmission-show refused unsorted keys: {e}"),
        }
    }
}

#[test]
fn libtorrent_hybrid_torrent_with_pad_files_loads_through_its_v1_part_and_verifies() {
    if !require_python_libtorrent() {
        return;
    }
    let dir = temp();
    write_tree(
        dir.path(),
        &[
            ("hybrid/one.bin", random_bytes(120, 40_000)),
            ("hybrid/two.bin", random_bytes(121, 70_001)),
            ("hybrid/three.bin", random_bytes(122, 12_345)),
        ],
    );
    let torrent = dir.path().join("hybrid.torrent");
    libtorrent_create(&dir.path().join("hybrid"), &torrent, false);

    let lt = libtorrent_info(&torrent);
    assert_eq!(lt["has_v2"], true, "libtorrent made no hybrid: {lt}");
    let pads = lt["files"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["pad"] == true)
        .count();
    assert!(
        pads >= 2,
        "expected BEP 47 pad files between the files: {lt}"
    );

    let ours = brooklet_info(&torrent);
    assert_eq!(ours["hybrid"], true);
    // libtorrent's info_hash() is the (truncated) v2 hash here; ours is the v1 one.
    assert_ne!(lt["info_hash"], lt["v1"]);
    assert_agrees_with_libtorrent(&ours, &lt, "hybrid");
    // Pad files are not shown, and every real file starts on a piece boundary.
    assert_eq!(brooklet_files(&ours).len(), 3);
    for (path, _, offset) in brooklet_files(&ours) {
        assert_eq!(offset % 16_384, 0, "{path} is not piece-aligned");
    }
    assert_eq!(ours["total_length"], 40_000 + 70_001 + 12_345);
    let pieces = ours["piece_count"].as_u64().unwrap();
    brooklet_verifies(&torrent, dir.path(), pieces);

    // transmission 3.00 does not read every hybrid torrent; note what it says.
    if find_in_path("transmission-show").is_some() {
        match transmission_hash(&torrent) {
            Ok(h) => assert_eq!(ours["info_hash"], h.as_str(), "transmission"),
            Err(e) => eprintln!("note: transmission-show refused the hybrid torrent: {e}"),
        }
    }

    // The pad files are virtual zeros, not data on disk: damage in the last real file is found.
    let three = dir.path().join("hybrid/three.bin");
    let mut data = std::fs::read(&three).unwrap();
    data[6_000] ^= 0x80;
    std::fs::write(&three, &data).unwrap();
    let out = run_with_timeout(brooklet().arg("verify").arg(&torrent).arg(dir.path()), 60);
    expect_failure(&out, 1, "verify of a damaged hybrid torrent");
    assert!(
        stdout_of(&out).contains(&format!("{} of {pieces} pieces verified", pieces - 1)),
        "{}",
        stdout_of(&out)
    );
}
