//! Storage faults injected below the engine ([`brooklet::engine::storage::inject`]): every
//! write cut short, "no space" at byte N in the middle of a piece, an I/O error on one write,
//! and I/O errors reading a seeder's files. Each ends with data byte-identical to the source,
//! or with the fault shown and nothing wrong sent.

#![cfg(target_os = "linux")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use brooklet::engine::api::TorrentState;
use brooklet::engine::session::{self, Command, Config};
use brooklet::engine::storage::inject::{Fate, IoFaults};
use common::engine::*;
use std::io;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

const ENOSPC: i32 = 28;
const EIO: i32 = 5;

/// A script of faults, switched by the test as it goes.
#[derive(Debug, Default)]
struct Script {
    /// Writes go through at most this many bytes per call (0: whole).
    short: usize,
    /// "No space" once this many bytes have been written in all, while `full` holds.
    room: Option<u64>,
    full: AtomicBool,
    /// EIO on this write call (1-based), once.
    eio_on_write: Option<u64>,
    /// EIO on every read while set.
    eio_reads: AtomicBool,
    written: AtomicU64,
    writes: AtomicU64,
    short_calls: AtomicU64,
    refused: AtomicU64,
}

impl IoFaults for Script {
    fn on_write(&self, _path: &Path, _offset: u64, len: usize) -> Fate {
        let call = self.writes.fetch_add(1, Ordering::SeqCst) + 1;
        if self.eio_on_write == Some(call) {
            self.refused.fetch_add(1, Ordering::SeqCst);
            return Fate::Fail {
                after: len / 3,
                error: io::Error::from_raw_os_error(EIO),
            };
        }
        let mut take = len;
        if self.short > 0 && len > self.short {
            take = self.short;
        }
        if let Some(room) = self.room
            && self.full.load(Ordering::SeqCst)
        {
            let before = self.written.load(Ordering::SeqCst);
            let left = room.saturating_sub(before) as usize;
            if left < take {
                self.written.fetch_add(left as u64, Ordering::SeqCst);
                self.refused.fetch_add(1, Ordering::SeqCst);
                return Fate::Fail {
                    after: left,
                    error: io::Error::from_raw_os_error(ENOSPC),
                };
            }
        }
        self.written.fetch_add(take as u64, Ordering::SeqCst);
        if take < len {
            self.short_calls.fetch_add(1, Ordering::SeqCst);
            Fate::Short(take)
        } else {
            Fate::Pass
        }
    }

    fn on_read(&self, _path: &Path, _offset: u64, _len: usize) -> Fate {
        if self.eio_reads.load(Ordering::SeqCst) {
            self.refused.fetch_add(1, Ordering::SeqCst);
            return Fate::Fail {
                after: 0,
                error: io::Error::from_raw_os_error(EIO),
            };
        }
        Fate::Pass
    }
}

async fn engine_with(script: &Arc<Script>) -> (session::EngineHandle, session::EventReceiver) {
    let faults: Arc<dyn IoFaults> = script.clone();
    session::spawn(Config {
        storage_faults: Some(faults),
        ..config()
    })
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn writes_cut_short_everywhere_still_give_identical_data() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    let files = [
        ("a.bin", common::random_bytes(51, 300_001)),
        ("b/c.bin", common::random_bytes(52, 200_000)),
    ];
    let (bytes, meta) = make_torrent(&src, "t", &files, 64 * 1024);
    let (seed, _s) = seeder_with(&bytes, &src, meta.info_hash).await;
    let script = Arc::new(Script {
        short: 3000,
        ..Script::default()
    });
    let (leech, mut events) = engine_with(&script).await;
    let dst = tmp.path().join("dst");
    let h = add(&leech, &bytes, &dst, vec![addr(&seed)]).await;
    wait_finished(&mut events, h).await;
    assert!(script.short_calls.load(Ordering::SeqCst) > 100);
    assert_same_tree(&src.join("t"), &dst.join("t"), &files);
    leech.shutdown().await;
    seed.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_space_at_byte_n_waits_and_completes_once_there_is_room() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    let files = [("big.bin", common::random_bytes(53, 1_000_000))];
    let (bytes, meta) = make_torrent(&src, "t", &files, 64 * 1024);
    let (seed, _s) = seeder_with(&bytes, &src, meta.info_hash).await;
    // 300,000 is not a piece boundary: the write that hits it lands half a piece.
    let script = Arc::new(Script {
        room: Some(300_000),
        full: AtomicBool::new(true),
        ..Script::default()
    });
    let (leech, mut events) = engine_with(&script).await;
    let dst = tmp.path().join("dst");
    let h = add(&leech, &bytes, &dst, vec![addr(&seed)]).await;
    let full = wait_stats(&mut events, h, "disk full", |t| {
        error_of(t).starts_with("disk full:")
    })
    .await;
    assert!(error_of(&full).contains("big.bin"), "{full:?}");
    assert!(
        full.done_bytes <= 300_000,
        "a cut piece was counted: {full:?}"
    );
    assert!(full.retry_in.is_some(), "{full:?}");
    let refused = script.refused.load(Ordering::SeqCst);
    assert!(refused >= 1);
    // Waiting, it does not hammer the disk.
    tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    assert_eq!(
        script.refused.load(Ordering::SeqCst),
        refused,
        "writes were tried again while waiting"
    );
    script.full.store(false, Ordering::SeqCst);
    wait_stats(&mut events, h, "completion once there is room", |t| {
        t.state == TorrentState::Seeding
    })
    .await;
    assert_same_tree(&src.join("t"), &dst.join("t"), &files);
    leech.shutdown().await;
    seed.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_io_error_on_a_write_stops_the_torrent_and_a_resume_completes_it() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    let files = [("e.bin", common::random_bytes(54, 600_000))];
    let (bytes, meta) = make_torrent(&src, "t", &files, 64 * 1024);
    let (seed, _s) = seeder_with(&bytes, &src, meta.info_hash).await;
    let script = Arc::new(Script {
        eio_on_write: Some(3),
        ..Script::default()
    });
    let (leech, mut events) = engine_with(&script).await;
    let dst = tmp.path().join("dst");
    let h = add(&leech, &bytes, &dst, vec![addr(&seed)]).await;
    let failed = wait_stats(&mut events, h, "the I/O error", |t| {
        matches!(t.state, TorrentState::Error(_))
    })
    .await;
    let message = error_of(&failed);
    assert!(
        message.contains("e.bin") && message.contains("os error 5"),
        "{message}"
    );
    assert!(!message.starts_with("disk full"), "{message}");
    assert_eq!(
        failed.retry_in, None,
        "an I/O error is not retried by itself"
    );
    leech.send(Command::Resume(h)).unwrap();
    wait_stats(&mut events, h, "completion after a resume", |t| {
        t.state == TorrentState::Seeding
    })
    .await;
    assert_same_tree(&src.join("t"), &dst.join("t"), &files);
    leech.shutdown().await;
    seed.shutdown().await;
}

/// A seeder whose disk fails reads sends nothing: it stops with the error, and the leecher
/// completes from another seeder, byte-identical.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_seeder_that_cannot_read_its_files_stops_and_sends_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    let files = [("r.bin", common::random_bytes(55, 400_000))];
    let (bytes, meta) = make_torrent(&src, "t", &files, 64 * 1024);
    let script = Arc::new(Script::default());
    let (bad, mut bad_events) = engine_with(&script).await;
    let bad_hash = add(&bad, &bytes, &src, vec![]).await;
    wait_stats(
        &mut bad_events,
        bad_hash,
        "the failing seeder checked",
        |t| t.state == TorrentState::Seeding,
    )
    .await;
    script.eio_reads.store(true, Ordering::SeqCst);

    let (leech, mut events) = common::engine::engine().await;
    let dst = tmp.path().join("dst");
    let h = add(&leech, &bytes, &dst, vec![addr(&bad)]).await;
    let stopped = wait_stats(&mut bad_events, bad_hash, "the read error", |t| {
        matches!(t.state, TorrentState::Error(_))
    })
    .await;
    assert!(error_of(&stopped).contains("os error 5"), "{stopped:?}");
    assert_eq!(stopped.uploaded, 0, "data was sent: {stopped:?}");

    let (good, _g) = seeder_with(&bytes, &src, meta.info_hash).await;
    leech.send(Command::AddPeer(h, addr(&good))).unwrap();
    wait_finished(&mut events, h).await;
    assert_same_tree(&src.join("t"), &dst.join("t"), &files);
    leech.shutdown().await;
    good.shutdown().await;
    bad.shutdown().await;
}
