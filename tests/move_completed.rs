//! "Move finished downloads to …" ([`Config::move_completed`]): a torrent that finishes
//! downloading in the session moves its data to that folder (made if missing), byte-identical,
//! leaving the download folder; a torrent added with complete data stays where it is.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use brooklet::engine::InfoHash;
use brooklet::engine::api::{TorrentState, TorrentStats};
use brooklet::engine::session::{self, Config};
use common::engine::{add, addr, make_torrent, seeder_with, wait_finished};
use std::path::Path;
use std::time::Duration;

fn files(seed: u64) -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("one.bin", common::random_bytes(seed, 90_000)),
        ("sub/two.bin", common::random_bytes(seed + 1, 40_001)),
    ]
}

/// `files` as paths under the torrent's folder `name`.
fn under<'a>(name: &str, files: &'a [(&'a str, Vec<u8>)]) -> Vec<(String, &'a [u8])> {
    files
        .iter()
        .map(|(p, d)| (format!("{name}/{p}"), d.as_slice()))
        .collect()
}

fn of(s: &[TorrentStats], hash: InfoHash) -> Option<&TorrentStats> {
    s.iter().find(|t| t.info_hash == hash)
}

/// `t` has moved to `folder` and runs there (the folder is made by the move, so it may not
/// exist yet when this is first asked).
fn in_folder(t: &TorrentStats, folder: &Path) -> bool {
    t.moving.is_none() && folder.canonicalize().is_ok_and(|f| *t.save_path == *f)
}

/// Waits until `path` is gone (the old copies go once the new folder is recorded).
async fn wait_gone(path: &Path) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while path.exists() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "{} is still there",
            path.display()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_finished_download_moves_to_the_completed_folder_and_a_complete_seed_stays() {
    let tmp = tempfile::tempdir().unwrap();
    let (seed_dir, download, done, local) = (
        tmp.path().join("seed"),
        tmp.path().join("download"),
        tmp.path().join("done"),
        tmp.path().join("local"),
    );
    let wanted = files(21);
    let (torrent, meta) = make_torrent(&seed_dir, "t", &wanted, 16 * 1024);
    let (seeder, _seed_events) = seeder_with(&torrent, &seed_dir, meta.info_hash).await;

    // The completed folder does not exist yet: the move makes it.
    let (leech, mut events) = session::spawn(Config {
        dht: false,
        move_completed: Some(done.clone()),
        ..common::engine::config()
    })
    .await
    .unwrap();

    // A torrent whose data is complete already seeds from where it is.
    let kept = files(31);
    let (kept_torrent, kept_meta) = make_torrent(&local, "k", &kept, 16 * 1024);
    let kept_hash = add(&leech, &kept_torrent, &local, vec![]).await;
    assert_eq!(kept_hash, kept_meta.info_hash);
    common::engine::wait_torrent(
        &mut events,
        kept_hash,
        "the complete torrent to seed",
        |t| t.state == TorrentState::Seeding,
    )
    .await;

    let hash = add(&leech, &torrent, &download, vec![addr(&seeder)]).await;
    wait_finished(&mut events, hash).await;
    let moved =
        common::engine::wait_torrent(&mut events, hash, "the move to the completed folder", |t| {
            in_folder(t, &done)
        })
        .await;
    assert_eq!(moved.state, TorrentState::Seeding);
    for (rel, data) in under("t", &wanted) {
        let got = std::fs::read(done.join(&rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
        assert!(got == data, "{rel}: content differs from the seed's");
    }
    wait_gone(&download.join("t")).await;

    // The complete torrent was not moved, and its files are where they were.
    let snapshot = common::engine::wait_snapshot(&mut events, "a snapshot", |s| {
        of(&s.torrents, kept_hash).is_some()
    })
    .await;
    let k = of(&snapshot.torrents, kept_hash).unwrap();
    assert_eq!(
        *k.save_path,
        *local.as_path(),
        "a complete seed is not moved"
    );
    assert!(k.moving.is_none());
    for (rel, data) in under("k", &kept) {
        assert!(std::fs::read(local.join(&rel)).unwrap() == data, "{rel}");
    }
    assert!(!done.join("k").exists());

    leech.shutdown().await;
    seeder.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_completed_folder_set_at_runtime_applies_to_the_next_finished_download() {
    let tmp = tempfile::tempdir().unwrap();
    let (seed_dir, download, done) = (
        tmp.path().join("seed"),
        tmp.path().join("download"),
        tmp.path().join("done"),
    );
    let wanted = files(41);
    let (torrent, meta) = make_torrent(&seed_dir, "t", &wanted, 16 * 1024);
    let (seeder, _seed_events) = seeder_with(&torrent, &seed_dir, meta.info_hash).await;
    let (leech, mut events) = session::spawn(Config {
        dht: false,
        ..common::engine::config()
    })
    .await
    .unwrap();
    leech
        .send(session::Command::SetMoveCompleted(Some(done.clone())))
        .unwrap();
    let hash = add(&leech, &torrent, &download, vec![addr(&seeder)]).await;
    wait_finished(&mut events, hash).await;
    common::engine::wait_torrent(&mut events, hash, "the move to the completed folder", |t| {
        in_folder(t, &done)
    })
    .await;
    for (rel, data) in under("t", &wanted) {
        assert!(std::fs::read(done.join(&rel)).unwrap() == data, "{rel}");
    }
    wait_gone(&download.join("t")).await;
    leech.shutdown().await;
    seeder.shutdown().await;
}

/// A torrent that finished in an earlier run is restored where it is, even with a completed
/// folder set now: only downloads that finish in this session move. A second torrent that does
/// finish in this session is the yardstick: once it has moved, the restored one would have too.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_torrent_finished_before_a_restart_is_not_moved_after_it() {
    let tmp = tempfile::tempdir().unwrap();
    let (seed_dir, download, done, state) = (
        tmp.path().join("seed"),
        tmp.path().join("download"),
        tmp.path().join("done"),
        tmp.path().join("state"),
    );
    let (earlier, later) = (files(51), files(61));
    let (first, first_meta) = make_torrent(&seed_dir, "first", &earlier, 16 * 1024);
    let (second, second_meta) = make_torrent(&seed_dir, "second", &later, 16 * 1024);
    let (seeder, mut seed_events) = seeder_with(&first, &seed_dir, first_meta.info_hash).await;
    add(&seeder, &second, &seed_dir, vec![]).await;
    common::engine::wait_seeding(&mut seed_events, second_meta.info_hash).await;

    let leech_config = |move_completed| Config {
        dht: false,
        state_dir: Some(state.clone()),
        move_completed,
        ..common::engine::config()
    };
    let (leech, mut events) = session::spawn(leech_config(None)).await.unwrap();
    let first_hash = add(&leech, &first, &download, vec![addr(&seeder)]).await;
    wait_finished(&mut events, first_hash).await;
    leech.shutdown().await;

    let (leech, mut events) = session::spawn(leech_config(Some(done.clone())))
        .await
        .unwrap();
    common::engine::wait_torrent(
        &mut events,
        first_hash,
        "the restored torrent to seed",
        |t| t.state == TorrentState::Seeding,
    )
    .await;
    let second_hash = add(&leech, &second, &download, vec![addr(&seeder)]).await;
    wait_finished(&mut events, second_hash).await;
    let snapshot = common::engine::wait_snapshot(&mut events, "the second torrent's move", |s| {
        of(&s.torrents, second_hash).is_some_and(|t| in_folder(t, &done))
    })
    .await;
    let restored = of(&snapshot.torrents, first_hash).unwrap();
    assert_eq!(
        *restored.save_path,
        *download.as_path(),
        "moved after a restart"
    );
    assert!(restored.moving.is_none());
    for (rel, data) in under("first", &earlier) {
        assert!(std::fs::read(download.join(&rel)).unwrap() == data, "{rel}");
    }
    assert!(!done.join("first").exists());
    leech.shutdown().await;
    seeder.shutdown().await;
}
