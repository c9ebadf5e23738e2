//! The time-to-finish estimate on 127.0.0.1: a leecher fetching from a rate-limited seeder shows
//! a finite estimate that matches what is left at that rate; the seeder shows none; when the
//! only source leaves, the estimate turns infinite at once (well before the stall window).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use brooklet::engine::api::{Eta, TorrentState};
use brooklet::engine::limits::RateLimits;
use brooklet::engine::session::{self, Config};
use brooklet::engine::torrent::eta::SMOOTHING;
use common::engine::*;

const MIB: u64 = 1 << 20;
const RATE: u64 = 512 * 1024;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_estimate_follows_the_rate_and_turns_infinite_when_the_source_leaves() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("seed");
    let data = common::random_bytes(41, (16 * MIB) as usize);
    let (torrent, meta) = make_torrent(&dir, "big.bin", &[("", data)], 64 * 1024);
    let hash = meta.info_hash;
    let (seed, mut seed_events) = session::spawn(Config {
        limits: RateLimits {
            download: 0,
            upload: RATE,
        },
        ..config()
    })
    .await
    .unwrap();
    add(&seed, &torrent, &dir, vec![]).await;
    let seeding = wait_torrent(&mut seed_events, hash, "seeding", |t| {
        t.state == TorrentState::Seeding
    })
    .await;
    assert_eq!(seeding.eta, Eta::Unknown, "a seed has no estimate");

    let (leech, mut events) = engine().await;
    add(
        &leech,
        &torrent,
        &tmp.path().join("leech"),
        vec![addr(&seed)],
    )
    .await;
    // After a few seconds at the limit the estimate is what is left at about that rate.
    let t = wait_torrent(&mut events, hash, "a settled estimate", |t| {
        t.done_bytes >= 2 * MIB && matches!(t.eta, Eta::Finite(_))
    })
    .await;
    let Eta::Finite(eta) = t.eta else {
        unreachable!()
    };
    let left = (t.wanted_bytes - t.done_bytes) as f64;
    let at_rate = left / RATE as f64;
    let eta = eta.as_secs_f64();
    assert!(
        eta >= at_rate * 0.6 && eta <= at_rate * 1.6,
        "estimate {eta:.1} s for {left} bytes left at {RATE} B/s ({at_rate:.1} s)"
    );

    // The only source leaves: nobody has a missing piece, so never — at once, not after the
    // stall window.
    seed.shutdown().await;
    let gone = tokio::time::Instant::now();
    let t = wait_torrent_within(
        &mut events,
        hash,
        "an infinite estimate",
        SMOOTHING / 2,
        |t| t.eta == Eta::Infinite,
    )
    .await;
    assert_eq!(t.peers, 0, "{t:?}");
    assert!(gone.elapsed() < SMOOTHING / 2);
    leech.shutdown().await;
}
