//! A really full filesystem: a 1 MiB tmpfs (mounted when the test runs as root) makes the
//! kernel refuse a write in the middle of a piece with ENOSPC. The torrent waits in "disk
//! full" while another completes, and finishes by itself once the filesystem is larger.
//!
//! Its own test binary: tests/storage_waits.rs lowers the whole process's file-size limit in
//! one of its tests, which would cut this test's larger source file short.

#![cfg(target_os = "linux")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use brooklet::engine::api::TorrentState;
use common::engine::*;
use std::path::Path;
use std::process::Command;

/// A tmpfs mounted for a test, unmounted when dropped (also when the test fails).
struct SmallFs(std::path::PathBuf);

impl SmallFs {
    /// Mounts a tmpfs of `size` (e.g. "1m") on `dir`; `None` when not root or refused.
    fn mount(dir: &Path, size: &str) -> Option<SmallFs> {
        let uid = common::run_with_timeout(Command::new("id").arg("-u"), 10);
        if String::from_utf8_lossy(&uid.stdout).trim() != "0" {
            return None;
        }
        std::fs::create_dir_all(dir).ok()?;
        let out = common::run_with_timeout(
            Command::new("mount")
                .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
                .arg(dir),
            10,
        );
        out.status.success().then(|| SmallFs(dir.to_owned()))
    }

    fn resize(&self, size: &str) {
        let out = common::run_with_timeout(
            Command::new("mount")
                .args(["-o", &format!("remount,size={size}")])
                .arg(&self.0),
            10,
        );
        assert!(out.status.success(), "remount {}", self.0.display());
    }
}

impl Drop for SmallFs {
    fn drop(&mut self) {
        let _ = common::run_with_timeout(Command::new("umount").arg(&self.0), 10);
    }
}

/// A real full filesystem (a 1 MiB tmpfs, ENOSPC from the kernel in the middle of a piece):
/// the torrent waits in "disk full" while another one completes, and once the filesystem is
/// made larger it completes by itself, byte for byte — the piece cut short is fetched again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_real_full_filesystem_waits_and_completes_once_it_has_room() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(fs) = SmallFs::mount(&tmp.path().join("small"), "1m") else {
        eprintln!("skipped: a tmpfs cannot be mounted here (needs root)");
        return;
    };
    let src = tmp.path().join("src");
    let big_files = [("big.bin", common::random_bytes(23, 2_500_000))];
    let other_files = [("other.bin", common::random_bytes(24, 300_000))];
    let (big, big_meta) = make_torrent(&src, "big", &big_files, 64 * 1024);
    let (other, _) = make_torrent(&src, "other", &other_files, 64 * 1024);
    let (seed, _seed_events) = seeder_with(&big, &src, big_meta.info_hash).await;
    add(&seed, &other, &src, vec![]).await;

    let (leech, mut events) = engine().await;
    let big_hash = add(&leech, &big, &fs.0, vec![addr(&seed)]).await;
    let dst = tmp.path().join("dst");
    let other_hash = add(&leech, &other, &dst, vec![addr(&seed)]).await;
    let full = wait_stats(&mut events, big_hash, "the disk-full error", |t| {
        error_of(t).starts_with("disk full:")
    })
    .await;
    assert!(error_of(&full).contains("big.bin"), "{full:?}");
    assert!(full.retry_in.is_some(), "{full:?}");
    assert!(full.done_bytes < big_meta.total_length, "{full:?}");
    wait_stats(&mut events, other_hash, "the other torrent", |t| {
        t.state == TorrentState::Seeding
    })
    .await;

    fs.resize("8m");
    let done = wait_stats(
        &mut events,
        big_hash,
        "completion once there is room",
        |t| t.state == TorrentState::Seeding,
    )
    .await;
    assert_eq!(done.done_bytes, big_meta.total_length);
    assert_same_tree(&src.join("big"), &fs.0.join("big"), &big_files);
    assert_same_tree(&src.join("other"), &dst.join("other"), &other_files);
    leech.shutdown().await;
    seed.shutdown().await;
}
