//! The torrent queue on 127.0.0.1: with two download places and five torrents, exactly two
//! download at a time, in queue order (as moved by the user), each finish starting the next;
//! a force-started torrent runs past the queue; a slow torrent frees its place when asked to;
//! the order, the forced mark and the labels survive a restart.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use brooklet::engine::InfoHash;
use brooklet::engine::api::{Event, QueueLimits, QueueMove, Snapshot, TorrentState};
use brooklet::engine::limits::RateLimits;
use brooklet::engine::session::{self, Command, Config, EngineHandle, EventReceiver};
use common::engine::*;
use std::time::Duration;

const KIB: u64 = 1 << 10;
const MIB: u64 = 1 << 20;
const PIECE: u64 = 32 * KIB;

fn state_of(s: &Snapshot, h: InfoHash) -> Option<&TorrentState> {
    s.torrents
        .iter()
        .find(|t| t.info_hash == h)
        .map(|t| &t.state)
}

/// A seeder of `count` torrents of `size` bytes each; their bytes and info-hashes.
async fn seeder(
    dir: &std::path::Path,
    count: usize,
    size: u64,
) -> (EngineHandle, EventReceiver, Vec<(Vec<u8>, InfoHash)>) {
    let (seed, mut events) = engine().await;
    let mut torrents = Vec::new();
    for i in 0..count {
        let data = common::random_bytes(100 + i as u64, size as usize);
        let (bytes, meta) = make_torrent(dir, &format!("t{i}.bin"), &[("", data)], PIECE);
        add(&seed, &bytes, dir, vec![]).await;
        torrents.push((bytes, meta.info_hash));
    }
    wait_snapshot(&mut events, "the seeder to check its torrents", |s| {
        torrents
            .iter()
            .all(|(_, h)| state_of(s, *h) == Some(&TorrentState::Seeding))
    })
    .await;
    (seed, events, torrents)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_download_places_run_the_queue_in_order_and_force_start_overrides() {
    let tmp = tempfile::tempdir().unwrap();
    let (seed, _seed_events, torrents) = seeder(&tmp.path().join("seed"), 5, MIB).await;
    // No download place at first: every torrent waits while the order is arranged.
    let (leech, mut events) = session::spawn(Config {
        queue: QueueLimits {
            downloads: Some(0),
            ..QueueLimits::OFF
        },
        limits: RateLimits::new(2 * MIB, 0),
        ..config()
    })
    .await
    .unwrap();
    let dir = tmp.path().join("leech");
    let mut hashes = Vec::new();
    for (bytes, _) in &torrents {
        hashes.push(add(&leech, bytes, &dir, vec![addr(&seed)]).await);
    }
    let all_queued = |s: &Snapshot| {
        hashes
            .iter()
            .all(|h| state_of(s, *h) == Some(&TorrentState::Queued))
    };
    let s = wait_snapshot(
        &mut events,
        "every torrent to wait in the queue",
        all_queued,
    )
    .await;
    assert!(s.torrents.iter().all(|t| t.done_bytes == 0));

    // The fourth goes to the top; the fifth is force-started.
    leech
        .send(Command::MoveInQueue(hashes[3], QueueMove::Top))
        .unwrap();
    let order = [hashes[3], hashes[0], hashes[1], hashes[2], hashes[4]];
    wait_snapshot(&mut events, "the new queue order", |s| {
        s.torrents.iter().map(|t| t.info_hash).eq(order) && s.torrents[0].queue_position == 1
    })
    .await;
    // Slowed down, so that it is still at work when the queue starts moving.
    leech
        .send(Command::SetTorrentLimits(
            hashes[4],
            RateLimits::new(256 * KIB, 0),
        ))
        .unwrap();
    leech.send(Command::ForceStart(hashes[4])).unwrap();
    let s = wait_snapshot(&mut events, "the forced torrent to start", |s| {
        state_of(s, hashes[4]) == Some(&TorrentState::Downloading)
    })
    .await;
    for h in &hashes[..4] {
        assert_eq!(state_of(&s, *h), Some(&TorrentState::Queued));
    }
    assert!(
        s.torrents
            .iter()
            .any(|t| t.info_hash == hashes[4] && t.forced)
    );

    // Two places: the queue runs in its order, two at a time, the forced one besides.
    leech
        .send(Command::SetQueueLimits(QueueLimits {
            downloads: Some(2),
            ..QueueLimits::OFF
        }))
        .unwrap();
    let mut started: Vec<InfoHash> = Vec::new();
    let mut forced_beside_two = false;
    let deadline = tokio::time::Instant::now() + TIMEOUT;
    loop {
        let ev = tokio::time::timeout_at(deadline, events.recv())
            .await
            .expect("the queue did not drain in time")
            .expect("engine stopped");
        let Event::Snapshot(s) = ev else { continue };
        let queued: Vec<&_> = s
            .torrents
            .iter()
            .filter(|t| !t.forced && hashes.contains(&t.info_hash))
            .collect();
        let downloading: Vec<InfoHash> = queued
            .iter()
            .filter(|t| t.state == TorrentState::Downloading)
            .map(|t| t.info_hash)
            .collect();
        assert!(
            downloading.len() <= 2,
            "{} downloads at once: {:?}",
            downloading.len(),
            queued
                .iter()
                .map(|t| (&t.name, &t.state))
                .collect::<Vec<_>>()
        );
        // Nothing runs while a torrent before it in the queue waits.
        let mut waiting_before = false;
        for t in &queued {
            match t.state {
                TorrentState::Queued => waiting_before = true,
                TorrentState::Downloading => assert!(
                    !waiting_before,
                    "{} downloads while an earlier torrent waits",
                    t.name
                ),
                _ => {}
            }
        }
        if downloading.len() == 2 && state_of(&s, hashes[4]) == Some(&TorrentState::Downloading) {
            forced_beside_two = true;
        }
        for h in downloading {
            if !started.contains(&h) {
                started.push(h);
            }
        }
        if hashes
            .iter()
            .all(|h| state_of(&s, *h) == Some(&TorrentState::Seeding))
        {
            break;
        }
    }
    assert_eq!(started, order[..4], "downloads started out of queue order");
    assert!(
        forced_beside_two,
        "the forced torrent never downloaded beside two queued ones"
    );
    for (i, (bytes, _)) in torrents.iter().enumerate() {
        let name = format!("t{i}.bin");
        let want = std::fs::read(tmp.path().join("seed").join(&name)).unwrap();
        assert_eq!(std::fs::read(dir.join(&name)).unwrap(), want, "{name}");
        assert!(!bytes.is_empty());
    }
    leech.shutdown().await;
    seed.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stalled_download_frees_its_place_only_when_slow_torrents_do_not_count() {
    let tmp = tempfile::tempdir().unwrap();
    let (seed, _seed_events, torrents) = seeder(&tmp.path().join("seed"), 1, MIB).await;
    // A torrent nobody seeds, first in the queue: it never moves.
    let lonely = common::random_bytes(7, MIB as usize);
    let (stalled, stalled_meta) = make_torrent(
        &tmp.path().join("nowhere"),
        "stalled.bin",
        &[("", lonely)],
        PIECE,
    );
    for ignore_slow in [false, true] {
        let (leech, mut events) = session::spawn(Config {
            queue: QueueLimits {
                downloads: Some(1),
                ignore_slow,
                slow_rate: KIB,
                slow_after: Duration::from_millis(1500),
                ..QueueLimits::OFF
            },
            ..config()
        })
        .await
        .unwrap();
        let dir = tmp.path().join(format!("leech-{ignore_slow}"));
        let stalled_hash = add(&leech, &stalled, &dir, vec![]).await;
        assert_eq!(stalled_hash, stalled_meta.info_hash);
        wait_snapshot(&mut events, "the stalled torrent to take the place", |s| {
            state_of(s, stalled_hash) == Some(&TorrentState::Downloading)
        })
        .await;
        let hash = add(&leech, &torrents[0].0, &dir, vec![addr(&seed)]).await;
        if ignore_slow {
            // After the slow time the second torrent gets the place and completes, while
            // the stalled one keeps running.
            let s = wait_snapshot(&mut events, "the second torrent to complete", |s| {
                state_of(s, hash) == Some(&TorrentState::Seeding)
            })
            .await;
            assert_eq!(state_of(&s, stalled_hash), Some(&TorrentState::Downloading));
        } else {
            // The stalled torrent holds the only place: the second one waits.
            let waited = tokio::time::timeout(
                Duration::from_secs(4),
                wait_snapshot(&mut events, "the second torrent to start", |s| {
                    state_of(s, hash) != Some(&TorrentState::Queued) && state_of(s, hash).is_some()
                }),
            )
            .await;
            assert!(
                waited.is_err(),
                "a second download started while the stalled one held the only place"
            );
        }
        leech.shutdown().await;
    }
    seed.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_queue_order_and_force_start_survive_a_restart() {
    let tmp = tempfile::tempdir().unwrap();
    let state = tmp.path().join("state");
    let dir = tmp.path().join("data");
    let queue = QueueLimits {
        downloads: Some(1),
        ..QueueLimits::OFF
    };
    let start = || {
        session::spawn(Config {
            state_dir: Some(state.clone()),
            queue,
            ..config()
        })
    };
    let (engine, mut events) = start().await.unwrap();
    let mut hashes = Vec::new();
    for i in 0..3 {
        let data = common::random_bytes(200 + i, 64 * KIB as usize);
        let (bytes, _) = make_torrent(
            &tmp.path().join("src"),
            &format!("r{i}.bin"),
            &[("", data)],
            PIECE,
        );
        hashes.push(add(&engine, &bytes, &dir, vec![]).await);
    }
    engine
        .send(Command::MoveInQueue(hashes[2], QueueMove::Up))
        .unwrap();
    engine.send(Command::ForceStart(hashes[0])).unwrap();
    // Labels are kept too; a label is cleaned of control characters and surrounding blanks.
    engine
        .send(Command::SetLabel(hashes[1], Some("  Linux\u{7}  ".into())))
        .unwrap();
    let order = [hashes[0], hashes[2], hashes[1]];
    wait_snapshot(
        &mut events,
        "the order, the forced mark and the label",
        |s| {
            s.torrents.iter().map(|t| t.info_hash).eq(order)
                && s.torrents[0].forced
                && s.torrents[2].label.as_deref() == Some("Linux")
        },
    )
    .await;
    engine.shutdown().await;

    let (engine, mut events) = start().await.unwrap();
    let s = wait_snapshot(&mut events, "the restored torrents", |s| {
        s.torrents.len() == 3 && s.torrents.iter().all(|t| t.state != TorrentState::Checking)
    })
    .await;
    assert!(s.torrents.iter().map(|t| t.info_hash).eq(order));
    assert!(s.torrents[0].forced && !s.torrents[1].forced && !s.torrents[2].forced);
    assert_eq!(s.torrents[2].label.as_deref(), Some("Linux"));
    assert_eq!(s.torrents[0].label, None);
    // One place: the forced torrent runs besides it, the first queued one takes it, the last
    // waits.
    let s = wait_snapshot(&mut events, "the queue to settle", |s| {
        state_of(s, hashes[2]) == Some(&TorrentState::Downloading)
    })
    .await;
    assert_eq!(state_of(&s, hashes[0]), Some(&TorrentState::Downloading));
    assert_eq!(state_of(&s, hashes[1]), Some(&TorrentState::Queued));
    engine.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hash_checks_take_turns_and_the_waiting_ones_say_so() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    std::fs::create_dir_all(&dir).unwrap();
    let (engine, mut events) = engine().await;
    let mut torrents = Vec::new();
    for i in 0..3 {
        // Sparse files: big enough that hashing takes a while, cheap to make.
        let name = format!("big{i}.bin");
        let f = std::fs::File::create(dir.join(&name)).unwrap();
        // The first is much the longest to hash: the others are seen waiting behind it.
        let size = if i == 0 {
            768 * MIB
        } else {
            64 * MIB + i * PIECE
        };
        f.set_len(size).unwrap();
        drop(f);
        let mut opts = brooklet::engine::create::CreateOptions::new(dir.join(&name));
        opts.piece_length = Some(MIB);
        let created = brooklet::engine::create::create(
            &opts,
            &brooklet::engine::storage::check::HashProgress::default(),
        )
        .unwrap();
        torrents.push(created.bytes);
    }
    let mut hashes = Vec::new();
    for t in &torrents {
        hashes.push(add(&engine, t, &dir, vec![]).await);
    }
    let mut saw_waiting = false;
    let mut last: std::collections::HashMap<InfoHash, f32> = Default::default();
    let deadline = tokio::time::Instant::now() + TIMEOUT;
    loop {
        let ev = tokio::time::timeout_at(deadline, events.recv())
            .await
            .expect("the checks did not end in time")
            .expect("engine stopped");
        let Event::Snapshot(s) = ev else { continue };
        // A torrent's statistics are published on its own tick, so a check that has ended may
        // still show Checking (its last progress) while the next one has begun: only checks
        // whose progress moved since the previous snapshot are hashing now.
        let hashing = s
            .torrents
            .iter()
            .filter(|t| {
                let before = last.insert(t.info_hash, t.check_progress).unwrap_or(0.0);
                t.state == TorrentState::Checking && !t.check_queued && t.check_progress > before
            })
            .count();
        assert!(hashing <= 1, "{hashing} torrents hash at once");
        saw_waiting |= s
            .torrents
            .iter()
            .any(|t| t.state == TorrentState::Checking && t.check_queued);
        if hashes
            .iter()
            .all(|h| state_of(&s, *h) == Some(&TorrentState::Seeding))
        {
            break;
        }
    }
    assert!(
        saw_waiting,
        "no torrent was ever seen waiting for its check"
    );
    engine.shutdown().await;
}

/// Seeds queue too: with one seeding place, one complete torrent seeds and the others wait in
/// queue order; stopping it lets the next seed, and a force-started one seeds beside it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_seeding_place_seeds_in_queue_order_and_force_start_adds_one() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    let (engine, mut events) = session::spawn(Config {
        queue: QueueLimits {
            seeds: Some(1),
            ..QueueLimits::OFF
        },
        ..config()
    })
    .await
    .unwrap();
    let mut hashes = Vec::new();
    for i in 0..3 {
        let data = common::random_bytes(200 + i, (64 * KIB) as usize);
        let (bytes, _) = make_torrent(&dir, &format!("s{i}.bin"), &[("", data)], PIECE);
        hashes.push(add(&engine, &bytes, &dir, vec![]).await);
    }
    let states = |s: &Snapshot| -> Vec<Option<TorrentState>> {
        hashes.iter().map(|h| state_of(s, *h).cloned()).collect()
    };
    use TorrentState::{Paused, Queued, Seeding};
    wait_snapshot(&mut events, "the first to seed, the others to wait", |s| {
        states(s) == [Some(Seeding), Some(Queued), Some(Queued)]
    })
    .await;
    engine.send(Command::Pause(hashes[0])).unwrap();
    wait_snapshot(&mut events, "the second to take the place", |s| {
        states(s) == [Some(Paused), Some(Seeding), Some(Queued)]
    })
    .await;
    engine.send(Command::ForceStart(hashes[2])).unwrap();
    let s = wait_snapshot(&mut events, "the forced one to seed too", |s| {
        states(s) == [Some(Paused), Some(Seeding), Some(Seeding)]
    })
    .await;
    assert!(
        s.torrents
            .iter()
            .any(|t| t.info_hash == hashes[2] && t.forced)
    );
    engine.shutdown().await;
}
