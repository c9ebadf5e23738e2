//! "First and last pieces first" on 127.0.0.1: a leecher with the option on, fetching a
//! two-file torrent from one rate-limited seeder, verifies the first and last piece of each
//! file before (nearly) anything else.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use brooklet::engine::InfoHash;
use brooklet::engine::api::{AddTorrent, Event, TorrentSource};
use brooklet::engine::limits::RateLimits;
use brooklet::engine::session::{self, Config, EngineHandle, EventReceiver};
use common::engine::*;
use std::collections::BTreeSet;

/// 16 blocks a piece: the leecher's first 64 requests span only four pieces, so the order the
/// seeder happens to read them from disk in cannot hide which pieces were asked for first.
const PIECE: u64 = 256 * 1024;
/// Pieces verified beyond the preferred ones that may slip in before the last of them (hashing
/// runs on a thread pool, so two pieces can finish out of request order).
const SLACK: usize = 2;

/// The next `n` pieces of `hash` verified by the engine behind `events`.
async fn next_verified(events: &mut EventReceiver, hash: InfoHash, n: usize) -> Vec<u32> {
    let deadline = tokio::time::Instant::now() + TIMEOUT;
    let mut got = Vec::new();
    while got.len() < n {
        let ev = tokio::time::timeout_at(deadline, events.recv())
            .await
            .expect("no verified piece in time")
            .expect("engine stopped");
        match ev {
            Event::PieceVerified { info_hash, piece } if info_hash == hash => got.push(piece),
            Event::TorrentError { message, .. } => panic!("torrent error: {message}"),
            _ => {}
        }
    }
    got
}

/// A two-file torrent: `a.bin` of 20.5 pieces, `b.bin` of 19.5 (they share piece 20), seeded by
/// an engine that uploads at `upload` bytes per second.
async fn seeder(dir: &std::path::Path, upload: u64) -> (Vec<u8>, InfoHash, EngineHandle) {
    let a = common::random_bytes(31, (20 * PIECE + PIECE / 2) as usize);
    let b = common::random_bytes(32, (19 * PIECE + PIECE / 2) as usize);
    let (torrent, meta) = make_torrent(dir, "media", &[("a.bin", a), ("b.bin", b)], PIECE);
    assert_eq!(meta.piece_count(), 40);
    let (seed, mut events) = session::spawn(Config {
        limits: RateLimits {
            download: 0,
            upload,
        },
        ..config()
    })
    .await
    .unwrap();
    add(&seed, &torrent, dir, vec![]).await;
    wait_seeding(&mut events, meta.info_hash).await;
    (torrent, meta.info_hash, seed)
}

async fn leecher() -> (EngineHandle, EventReceiver) {
    session::spawn(Config {
        piece_events: true,
        ..config()
    })
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn first_and_last_pieces_of_each_file_are_verified_first() {
    let tmp = tempfile::tempdir().unwrap();
    let (torrent, hash, seed) = seeder(&tmp.path().join("seed"), 4 << 20).await;
    let (leech, mut events) = leecher().await;
    let dir = tmp.path().join("leech");
    std::fs::create_dir_all(&dir).unwrap();
    let mut a = AddTorrent::new(TorrentSource::Bytes(torrent), &dir);
    a.peers = vec![addr(&seed)];
    a.first_last_pieces_first = true;
    leech.add_torrent(a).await.unwrap();

    // a.bin: pieces 0..=20; b.bin: 20..=39.
    let preferred: BTreeSet<u32> = [0, 20, 39].into();
    let first = next_verified(&mut events, hash, preferred.len() + SLACK).await;
    let early: BTreeSet<u32> = first.iter().copied().collect();
    assert!(
        preferred.is_subset(&early),
        "first pieces verified {first:?}, expected {preferred:?} among them"
    );
    wait_finished(&mut events, hash).await;
    leech.shutdown().await;
    seed.shutdown().await;
}
