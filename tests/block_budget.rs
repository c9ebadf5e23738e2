//! The memory for received blocks is capped for the whole process
//! ([`brooklet::engine::storage::blocks::BUDGET`]): a leecher whose disk is far slower than
//! its peer holds no more than the budget of blocks (and one read's worth), not what its
//! requests in flight bring in; the download still completes byte-identical. Its own test
//! binary: the count of blocks held is process-wide.

#![cfg(target_os = "linux")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use brooklet::engine::session::{self, Config};
use brooklet::engine::storage::blocks;
use brooklet::engine::storage::inject::{Fate, IoFaults};
use common::engine::*;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

/// A disk that takes 2 ms for every write (about 8 MB/s per writer, against hundreds on
/// loopback).
#[derive(Debug, Default)]
struct SlowDisk {
    writes: AtomicU64,
}

impl IoFaults for SlowDisk {
    fn on_write(&self, _path: &Path, _offset: u64, _len: usize) -> Fate {
        self.writes.fetch_add(1, Ordering::SeqCst);
        std::thread::sleep(Duration::from_millis(2));
        Fate::Pass
    }

    fn on_read(&self, _path: &Path, _offset: u64, _len: usize) -> Fate {
        Fate::Pass
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_disk_slower_than_the_network_costs_time_not_memory() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    let files = [("big.bin", common::random_bytes(61, 40 << 20))];
    let (bytes, meta) = make_torrent(&src, "t", &files, 256 * 1024);
    let (seed, _s) = seeder_with(&bytes, &src, meta.info_hash).await;
    let disk = Arc::new(SlowDisk::default());
    let faults: Arc<dyn IoFaults> = disk.clone();
    let (leech, mut events) = session::spawn(Config {
        storage_faults: Some(faults),
        ..config()
    })
    .await
    .unwrap();

    // The most blocks held at once, sampled every millisecond while the download runs.
    let most = Arc::new(AtomicUsize::new(0));
    let done = Arc::new(AtomicBool::new(false));
    let sampler = {
        let (most, done) = (most.clone(), done.clone());
        tokio::spawn(async move {
            while !done.load(Ordering::SeqCst) {
                most.fetch_max(blocks::held(), Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
        })
    };
    let dst = tmp.path().join("dst");
    let h = add(&leech, &bytes, &dst, vec![addr(&seed)]).await;
    wait_finished(&mut events, h).await;
    done.store(true, Ordering::SeqCst);
    sampler.await.unwrap();

    assert_same_tree(&src.join("t"), &dst.join("t"), &files);
    assert!(
        disk.writes.load(Ordering::SeqCst) >= 2560,
        "every block went through the slow disk"
    );
    let most = most.load(Ordering::SeqCst);
    // The disk was behind: blocks piled up to the budget...
    assert!(
        most >= blocks::BUDGET * 3 / 4,
        "the disk never fell behind ({most} bytes of blocks at most): the test proves nothing"
    );
    // ...and no further than one read beyond it.
    assert!(
        most <= blocks::BUDGET + (1 << 20),
        "{most} bytes of blocks held at once, over the budget of {}",
        blocks::BUDGET
    );
    leech.shutdown().await;
    seed.shutdown().await;
}
