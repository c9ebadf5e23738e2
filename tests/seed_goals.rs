//! Seeding goals on 127.0.0.1: a seeder whose ratio goal is 0.5 uploads half its torrent (within
//! a piece) and pauses, so its only leecher is left half done; resuming it by hand waives the
//! goal and the leecher completes. A seeding-time goal pauses a seeder after that long, and a
//! goal set while a torrent already seeds past it applies at once.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use brooklet::engine::InfoHash;
use brooklet::engine::api::{Event, SeedGoals, Snapshot, TorrentState, TorrentStats};
use brooklet::engine::session::{self, Command, Config, EventReceiver};
use common::engine::*;
use std::sync::Arc;
use std::time::Duration;

const MIB: u64 = 1 << 20;
const PIECE: u64 = 64 * 1024;

/// Waits for a snapshot in which torrent `hash` satisfies `ok`.
async fn wait_for(
    events: &mut EventReceiver,
    hash: InfoHash,
    what: &str,
    ok: impl Fn(&TorrentStats) -> bool,
) -> TorrentStats {
    let deadline = tokio::time::Instant::now() + TIMEOUT;
    loop {
        let ev = tokio::time::timeout_at(deadline, events.recv())
            .await
            .unwrap_or_else(|_| panic!("timed out waiting for {what}"))
            .expect("engine stopped");
        if let Event::Snapshot(s) = ev
            && let Some(t) = find(&s, hash)
            && ok(t)
        {
            return t.clone();
        }
    }
}

/// The newest state of torrent `hash` among the events already queued.
fn latest(events: &mut EventReceiver, hash: InfoHash) -> Option<TorrentStats> {
    let mut last = None;
    while let Ok(ev) = events.try_recv() {
        if let Event::Snapshot(s) = ev
            && let Some(t) = find(&s, hash)
        {
            last = Some(t.clone());
        }
    }
    last
}

fn find(s: &Arc<Snapshot>, hash: InfoHash) -> Option<&TorrentStats> {
    s.torrents.iter().find(|t| t.info_hash == hash)
}

async fn goal_seeder(
    dir: &std::path::Path,
    seed: u64,
    size: u64,
    goals: SeedGoals,
) -> (Vec<u8>, InfoHash, session::EngineHandle, EventReceiver) {
    let data = common::random_bytes(seed, size as usize);
    let (torrent, meta) = make_torrent(dir, "goal.bin", &[("", data)], PIECE);
    let (engine, mut events) = session::spawn(Config {
        seed_goals: goals,
        ..config()
    })
    .await
    .unwrap();
    add(&engine, &torrent, dir, vec![]).await;
    (torrent, meta.info_hash, engine, {
        wait_seeding(&mut events, meta.info_hash).await;
        events
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ratio_goal_pauses_the_seeder_within_a_piece_and_resuming_waives_it() {
    let tmp = tempfile::tempdir().unwrap();
    let size = 8 * MIB;
    let goals = SeedGoals {
        ratio: Some(0.5),
        seeding_time: None,
    };
    let (torrent, hash, seed, mut seed_events) =
        goal_seeder(&tmp.path().join("seed"), 21, size, goals).await;
    let (leech, mut leech_events) = engine().await;
    add(
        &leech,
        &torrent,
        &tmp.path().join("leech"),
        vec![addr(&seed)],
    )
    .await;

    let stopped = wait_for(
        &mut seed_events,
        hash,
        "the goal to pause the seeder",
        |t| t.state == TorrentState::Paused,
    )
    .await;
    let goal = size / 2;
    assert!(
        stopped.uploaded >= goal && stopped.uploaded <= goal + PIECE,
        "uploaded {} bytes for a goal of {goal} (piece {PIECE})",
        stopped.uploaded
    );
    // The leecher has no other source: it stays about half done.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let half = latest(&mut leech_events, hash).expect("the leecher's progress");
    assert!(
        half.done_bytes <= goal + PIECE && half.state == TorrentState::Downloading,
        "{half:?}"
    );

    // Resumed by hand: the goal no longer applies and the leecher completes.
    seed.send(Command::Resume(hash)).unwrap();
    leech.send(Command::AddPeer(hash, addr(&seed))).unwrap();
    wait_finished(&mut leech_events, hash).await;
    let after = wait_for(&mut seed_events, hash, "the seeder's totals", |t| {
        t.uploaded >= size / 2 + PIECE
    })
    .await;
    assert_eq!(after.state, TorrentState::Seeding, "re-paused: {after:?}");
    leech.shutdown().await;
    seed.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_seeding_time_goal_pauses_after_that_long_and_new_goals_apply_at_once() {
    let tmp = tempfile::tempdir().unwrap();
    let goals = SeedGoals {
        ratio: None,
        seeding_time: Some(Duration::from_secs(2)),
    };
    let (_, hash, seed, mut events) = goal_seeder(&tmp.path().join("seed"), 22, MIB, goals).await;
    let started = tokio::time::Instant::now();
    wait_for(&mut events, hash, "the seeding-time goal", |t| {
        t.state == TorrentState::Paused
    })
    .await;
    let took = started.elapsed();
    assert!(
        took >= Duration::from_millis(1400) && took <= Duration::from_secs(10),
        "paused after {took:?} for a 2 s goal"
    );
    seed.shutdown().await;

    // No goal at start; one set later that the torrent already passed stops it at once.
    let (_, hash, seed, mut events) =
        goal_seeder(&tmp.path().join("seed2"), 23, MIB, SeedGoals::default()).await;
    let early = tokio::time::timeout(
        Duration::from_millis(1500),
        wait_for(&mut events, hash, "a pause", |t| {
            t.state == TorrentState::Paused
        }),
    )
    .await;
    assert!(early.is_err(), "paused without a goal");
    seed.send(Command::SetSeedGoals(SeedGoals {
        ratio: None,
        seeding_time: Some(Duration::from_secs(1)),
    }))
    .unwrap();
    wait_for(&mut events, hash, "the new goal", |t| {
        t.state == TorrentState::Paused
    })
    .await;
    seed.shutdown().await;
}
