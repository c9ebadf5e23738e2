//! The saved session: torrents added to an engine with a state folder come back, with their save
//! folder and paused state, when a new engine starts on the same folder.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use brooklet::engine::api::{AddTorrent, Event, TorrentSource, TorrentState};
use brooklet::engine::create::{CreateOptions, CreationDate, create};
use brooklet::engine::session::{self, Command, Config};
use brooklet::engine::storage::check::HashProgress;
use std::path::Path;
use std::time::Duration;

fn config(state: &Path) -> Config {
    Config {
        loopback_only: true,
        listen_ip: "127.0.0.1".parse().unwrap(),
        state_dir: Some(state.to_path_buf()),
        ..Config::default()
    }
}

fn torrent_of(dir: &Path, name: &str, seed: u64) -> Vec<u8> {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join(name), common::random_bytes(seed, 200_000)).unwrap();
    let mut opts = CreateOptions::new(dir.join(name));
    opts.creation_date = CreationDate::Omit;
    create(&opts, &HashProgress::default()).unwrap().bytes
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn torrents_and_their_paused_state_survive_a_restart() {
    let tmp = tempfile::tempdir().unwrap();
    let state = tmp.path().join("state");
    let data = tmp.path().join("data");
    let a = torrent_of(&data, "a.bin", 1);
    let b = torrent_of(&data, "b.bin", 2);

    let (engine, _events) = session::spawn(config(&state)).await.unwrap();
    let ha = engine
        .add_torrent(AddTorrent::new(TorrentSource::Bytes(a), &data))
        .await
        .unwrap();
    let hb = engine
        .add_torrent(AddTorrent::new(TorrentSource::Bytes(b), &data))
        .await
        .unwrap();
    engine.send(Command::Pause(hb)).unwrap();
    engine.shutdown().await;

    let (engine, mut events) = session::spawn(config(&state)).await.unwrap();
    let mut seen = Vec::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    let (mut a_seeding, mut b_paused) = (false, false);
    while !(a_seeding && b_paused) {
        let ev = tokio::time::timeout_at(deadline, events.recv())
            .await
            .expect("the restored torrents did not show up")
            .unwrap();
        match ev {
            Event::TorrentAdded { info_hash, .. } => seen.push(info_hash),
            Event::Snapshot(s) => {
                for t in &s.torrents {
                    a_seeding |= t.info_hash == ha && t.state == TorrentState::Seeding;
                    b_paused |= t.info_hash == hb && t.state == TorrentState::Paused;
                }
            }
            _ => {}
        }
    }
    assert_eq!(seen, vec![ha, hb], "restored in their order");

    // Removing forgets it for the next start too.
    engine
        .send(Command::Remove {
            info_hash: ha,
            delete_data: false,
        })
        .unwrap();
    engine.shutdown().await;
    assert!(
        data.join("a.bin").exists(),
        "removing without data keeps the files"
    );
    let (_engine, mut events) = session::spawn(config(&state)).await.unwrap();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        if let Event::TorrentAdded { info_hash, .. } =
            tokio::time::timeout_at(deadline, events.recv())
                .await
                .unwrap()
                .unwrap()
        {
            assert_eq!(info_hash, hb);
            break;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_corrupt_session_file_falls_back_to_the_backup() {
    let tmp = tempfile::tempdir().unwrap();
    let state = tmp.path().join("state");
    let data = tmp.path().join("data");
    let a = torrent_of(&data, "a.bin", 3);
    let b = torrent_of(&data, "b.bin", 4);
    let (engine, _e) = session::spawn(config(&state)).await.unwrap();
    let ha = engine
        .add_torrent(AddTorrent::new(TorrentSource::Bytes(a), &data))
        .await
        .unwrap();
    // Wait until the first state is on disk, then add a second torrent (a second write).
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while !state.join("session.json").exists() {
        assert!(std::time::Instant::now() < deadline);
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let _hb = engine
        .add_torrent(AddTorrent::new(TorrentSource::Bytes(b), &data))
        .await
        .unwrap();
    engine.shutdown().await;
    // Tear the main file as a crash in the middle of a non-atomic write would.
    std::fs::write(state.join("session.json"), b"{\"version\":1,\"torr").unwrap();
    let (_engine, mut events) = session::spawn(config(&state)).await.unwrap();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        if let Event::TorrentAdded { info_hash, .. } =
            tokio::time::timeout_at(deadline, events.recv())
                .await
                .unwrap()
                .unwrap()
        {
            assert_eq!(info_hash, ha, "the backup holds the first torrent");
            break;
        }
    }
}
