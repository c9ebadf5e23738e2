//! "Keep copies of .torrent files in …" ([`Config::torrent_copies`]): a torrent added from
//! bytes is copied byte for byte, a second torrent of the same name gets ` (2)`, and a magnet
//! link's copy, written when its metadata arrives, is a valid `.torrent` with the same
//! info-hash and the link's tracker.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use brooklet::engine::api::{AddTorrent, Event, TorrentSource};
use brooklet::engine::metainfo::Metainfo;
use brooklet::engine::session::{self, Command, Config};
use common::engine::{TIMEOUT, add, addr, make_torrent, seeder_with};
use std::path::Path;
use std::time::Duration;

/// Waits for the copy at `path` (it is written in the background) and reads it.
async fn wait_copy(path: &Path) -> Vec<u8> {
    let deadline = tokio::time::Instant::now() + TIMEOUT;
    loop {
        if let Ok(bytes) = std::fs::read(path) {
            return bytes;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "no copy at {}",
            path.display()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_added_torrent_is_copied_byte_for_byte_and_a_namesake_gets_a_number() {
    let tmp = tempfile::tempdir().unwrap();
    let copies = tmp.path().join("copies");
    let (engine, _events) = session::spawn(Config {
        dht: false,
        torrent_copies: Some(copies.clone()),
        ..common::engine::config()
    })
    .await
    .unwrap();
    let (first, _) = make_torrent(
        &tmp.path().join("a"),
        "pack",
        &[("x.bin", common::random_bytes(1, 40_000))],
        16 * 1024,
    );
    add(&engine, &first, &tmp.path().join("dl-a"), vec![]).await;
    assert!(wait_copy(&copies.join("pack.torrent")).await == first);

    // Another torrent called "pack": the first copy is kept, the second gets a number.
    let (second, _) = make_torrent(
        &tmp.path().join("b"),
        "pack",
        &[("y.bin", common::random_bytes(2, 30_000))],
        16 * 1024,
    );
    add(&engine, &second, &tmp.path().join("dl-b"), vec![]).await;
    assert!(wait_copy(&copies.join("pack (2).torrent")).await == second);
    assert!(std::fs::read(copies.join("pack.torrent")).unwrap() == first);
    engine.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_magnet_s_copy_is_a_valid_torrent_with_the_same_info_hash() {
    let tmp = tempfile::tempdir().unwrap();
    let seed_dir = tmp.path().join("seed");
    let (torrent, meta) = make_torrent(
        &seed_dir,
        "fetched",
        &[("f.bin", common::random_bytes(3, 200_000))],
        32 * 1024,
    );
    let (seed, _seed_events) = seeder_with(&torrent, &seed_dir, meta.info_hash).await;
    let (leech, mut events) = session::spawn(Config {
        dht: false,
        ..common::engine::config()
    })
    .await
    .unwrap();
    // Set while running, as the Preferences dialog does.
    let copies = tmp.path().join("copies");
    leech
        .send(Command::SetTorrentCopies(Some(copies.clone())))
        .unwrap();
    let tracker = "http://127.0.0.1:9/announce";
    let uri = format!(
        "magnet:?xt=urn:btih:{}&dn=fetched&tr=http%3A%2F%2F127.0.0.1%3A9%2Fannounce&x.pe={}",
        meta.info_hash.to_hex(),
        addr(&seed)
    );
    let dir = tmp.path().join("leech");
    std::fs::create_dir_all(&dir).unwrap();
    let h = leech
        .add_torrent(AddTorrent::new(TorrentSource::Magnet(uri), &dir))
        .await
        .unwrap();
    let deadline = tokio::time::Instant::now() + TIMEOUT;
    loop {
        let ev = tokio::time::timeout_at(deadline, events.recv())
            .await
            .expect("no metadata in time")
            .expect("engine stopped");
        if matches!(ev, Event::MetadataReceived { info_hash, .. } if info_hash == h) {
            break;
        }
    }
    let copy = wait_copy(&copies.join("fetched.torrent")).await;
    let parsed = Metainfo::from_bytes(&copy).expect("the copy is a valid .torrent");
    assert_eq!(parsed.info_hash, meta.info_hash);
    assert_eq!(
        parsed.info_bytes, meta.info_bytes,
        "the info dictionary as received"
    );
    assert_eq!(parsed.trackers, vec![vec![tracker.to_owned()]]);
    leech.shutdown().await;
    seed.shutdown().await;
}
