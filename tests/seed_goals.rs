//! Seeding goals on 127.0.0.1: a seeder whose ratio goal is 0.5 uploads half its torrent (within
//! a piece) and pauses, so its only leecher is left half done; resuming it by hand waives the
//! goal and the leecher completes. A seeding-time goal pauses a seeder after that long, and a
//! goal set while a torrent already seeds past it applies at once. An idle goal stops a seeder
//! only once it has uploaded nothing for that long; a torrent's own goals beat the session's;
//! the remove action takes the torrent out of the session and leaves its data.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use brooklet::engine::InfoHash;
use brooklet::engine::api::{
    Event, GoalAction, GoalOverride, Limit, SeedGoals, Snapshot, TorrentState, TorrentStats,
};
use brooklet::engine::limits::RateLimits;
use brooklet::engine::session::{self, Command, Config, EventReceiver};
use common::engine::*;
use std::sync::Arc;
use std::time::Duration;

const MIB: u64 = 1 << 20;
const PIECE: u64 = 64 * 1024;

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
    goal_seeder_with(
        dir,
        seed,
        size,
        Config {
            seed_goals: goals,
            ..config()
        },
    )
    .await
}

async fn goal_seeder_with(
    dir: &std::path::Path,
    seed: u64,
    size: u64,
    config: Config,
) -> (Vec<u8>, InfoHash, session::EngineHandle, EventReceiver) {
    let data = common::random_bytes(seed, size as usize);
    let (torrent, meta) = make_torrent(dir, "goal.bin", &[("", data)], PIECE);
    let (engine, mut events) = session::spawn(config).await.unwrap();
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
        ..SeedGoals::default()
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

    let stopped = wait_torrent(
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
    // The leecher had no other source: the seeder uploaded all of it.
    let after = wait_torrent(&mut seed_events, hash, "the seeder's totals", |t| {
        t.uploaded >= size
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
        seeding_time: Some(Duration::from_secs(2)),
        ..SeedGoals::default()
    };
    let (_, hash, seed, mut events) = goal_seeder(&tmp.path().join("seed"), 22, MIB, goals).await;
    let started = tokio::time::Instant::now();
    wait_torrent(&mut events, hash, "the seeding-time goal", |t| {
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
        wait_torrent(&mut events, hash, "a pause", |t| {
            t.state == TorrentState::Paused
        }),
    )
    .await;
    assert!(early.is_err(), "paused without a goal");
    seed.send(Command::SetSeedGoals(SeedGoals {
        seeding_time: Some(Duration::from_secs(1)),
        ..SeedGoals::default()
    }))
    .unwrap();
    wait_torrent(&mut events, hash, "the new goal", |t| {
        t.state == TorrentState::Paused
    })
    .await;
    seed.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_idle_goal_stops_a_seeder_only_after_that_long_without_uploading() {
    let tmp = tempfile::tempdir().unwrap();
    let size = 6 * MIB;
    let idle = Duration::from_secs(3);
    // Uploading at 1 MiB/s takes about 6 s: longer than the idle goal.
    let (torrent, hash, seed, mut seed_events) = goal_seeder_with(
        &tmp.path().join("seed"),
        24,
        size,
        Config {
            seed_goals: SeedGoals {
                idle_time: Some(idle),
                ..SeedGoals::default()
            },
            limits: RateLimits {
                download: 0,
                upload: MIB,
            },
            ..config()
        },
    )
    .await;
    let (leech, mut leech_events) = engine().await;
    add(
        &leech,
        &torrent,
        &tmp.path().join("leech"),
        vec![addr(&seed)],
    )
    .await;
    // Watch the seeder: it must go on while it uploads, and stop `idle` after its last upload
    // (as its snapshots, a few a second, show it).
    let deadline = tokio::time::Instant::now() + TIMEOUT;
    let mut last_upload = (0, tokio::time::Instant::now());
    let stopped = loop {
        let ev = tokio::time::timeout_at(deadline, seed_events.recv())
            .await
            .expect("the idle goal did not stop the seeder in time")
            .expect("engine stopped");
        let Event::Snapshot(s) = ev else { continue };
        let Some(t) = find(&s, hash) else { continue };
        if t.state == TorrentState::Paused {
            break t.clone();
        }
        if t.uploaded > last_upload.0 {
            last_upload = (t.uploaded, tokio::time::Instant::now());
        }
    };
    let took = last_upload.1.elapsed();
    assert!(
        stopped.uploaded >= size,
        "stopped while uploading: {stopped:?}"
    );
    assert!(
        took >= idle - Duration::from_millis(800) && took <= Duration::from_secs(10),
        "paused {took:?} after the last upload for a {idle:?} idle goal"
    );
    wait_finished(&mut leech_events, hash).await;
    leech.shutdown().await;
    seed.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_torrent_s_own_goals_beat_the_session_s() {
    let tmp = tempfile::tempdir().unwrap();
    let (_, hash, seed, mut events) =
        goal_seeder(&tmp.path().join("seed"), 25, MIB, SeedGoals::default()).await;
    let own = GoalOverride {
        seeding_time: Limit::Unlimited,
        ..GoalOverride::default()
    };
    seed.send(Command::SetTorrentSeedGoals(hash, own)).unwrap();
    wait_torrent(&mut events, hash, "the torrent's own goals", |t| {
        t.seed_goals == own
    })
    .await;
    seed.send(Command::SetSeedGoals(SeedGoals {
        seeding_time: Some(Duration::from_millis(500)),
        ..SeedGoals::default()
    }))
    .unwrap();
    let paused = tokio::time::timeout(
        Duration::from_millis(2500),
        wait_torrent(&mut events, hash, "a pause", |t| {
            t.state == TorrentState::Paused
        }),
    )
    .await;
    assert!(paused.is_err(), "the session's goal won over the torrent's");
    // Back to the session's goal: already passed, so it stops at once.
    seed.send(Command::SetTorrentSeedGoals(hash, GoalOverride::default()))
        .unwrap();
    wait_torrent(&mut events, hash, "the session's goal", |t| {
        t.state == TorrentState::Paused
    })
    .await;
    seed.shutdown().await;

    // And a torrent's own value applies where the session has none.
    let (_, hash, seed, mut events) =
        goal_seeder(&tmp.path().join("seed2"), 26, MIB, SeedGoals::default()).await;
    seed.send(Command::SetTorrentSeedGoals(
        hash,
        GoalOverride {
            seeding_time: Limit::Value(Duration::from_millis(500)),
            ..GoalOverride::default()
        },
    ))
    .unwrap();
    wait_torrent(&mut events, hash, "the torrent's own goal", |t| {
        t.state == TorrentState::Paused
    })
    .await;
    seed.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_remove_action_removes_the_torrent_and_keeps_its_data() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("seed");
    let (_, hash, seed, mut events) = goal_seeder_with(
        &dir,
        27,
        MIB,
        Config {
            seed_goals: SeedGoals {
                seeding_time: Some(Duration::from_secs(1)),
                ..SeedGoals::default()
            },
            goal_action: GoalAction::Remove,
            ..config()
        },
    )
    .await;
    let deadline = tokio::time::Instant::now() + TIMEOUT;
    loop {
        let ev = tokio::time::timeout_at(deadline, events.recv())
            .await
            .expect("the torrent was not removed in time")
            .expect("engine stopped");
        if let Event::TorrentRemoved { info_hash } = ev {
            assert_eq!(info_hash, hash);
            break;
        }
    }
    let data = std::fs::read(dir.join("goal.bin")).expect("the data stays");
    assert_eq!(data, common::random_bytes(27, MIB as usize));
    // The next snapshot no longer lists it.
    let deadline = tokio::time::Instant::now() + TIMEOUT;
    loop {
        let ev = tokio::time::timeout_at(deadline, events.recv())
            .await
            .expect("no snapshot in time")
            .expect("engine stopped");
        if let Event::Snapshot(s) = ev {
            assert!(find(&s, hash).is_none(), "still listed");
            break;
        }
    }
    seed.shutdown().await;
}
