//! In-process engines on 127.0.0.1 for swarm tests: start them, make torrents, add them, wait
//! for the events that matter.

use brooklet::engine::InfoHash;
use brooklet::engine::api::{
    AddTorrent, Event, Snapshot, TorrentSource, TorrentState, TorrentStats,
};
use brooklet::engine::create::{CreateOptions, CreationDate, create};
use brooklet::engine::metainfo::Metainfo;
use brooklet::engine::session::{self, Config, EngineHandle, EventReceiver};
use brooklet::engine::storage::check::HashProgress;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

pub const TIMEOUT: Duration = Duration::from_secs(60);

pub fn config() -> Config {
    Config {
        loopback_only: true,
        listen_ip: "127.0.0.1".parse().unwrap(),
        ..Config::default()
    }
}

pub async fn engine() -> (EngineHandle, EventReceiver) {
    session::spawn(config()).await.unwrap()
}

pub fn addr(engine: &EngineHandle) -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], engine.listen_port()))
}

/// Makes a torrent of `files` under `dir/name`, returning its bytes and parsed form.
pub fn make_torrent(
    dir: &Path,
    name: &str,
    files: &[(&str, Vec<u8>)],
    piece_length: u64,
) -> (Vec<u8>, Metainfo) {
    let root = dir.join(name);
    if files.len() == 1 && files[0].0.is_empty() {
        std::fs::create_dir_all(dir).unwrap();
        std::fs::write(&root, &files[0].1).unwrap();
    } else {
        super::write_tree(&root, files);
    }
    let mut opts = CreateOptions::new(&root);
    opts.piece_length = Some(piece_length);
    opts.creation_date = CreationDate::Omit;
    let created = create(&opts, &HashProgress::default()).unwrap();
    (created.bytes, created.metainfo)
}

pub async fn add(
    engine: &EngineHandle,
    torrent: &[u8],
    dir: &Path,
    peers: Vec<SocketAddr>,
) -> InfoHash {
    std::fs::create_dir_all(dir).unwrap();
    let mut a = AddTorrent::new(TorrentSource::Bytes(torrent.to_vec()), dir);
    a.peers = peers;
    engine.add_torrent(a).await.unwrap()
}

/// Waits for `TorrentFinished`; also collects banned peers seen meanwhile.
pub async fn wait_finished(events: &mut EventReceiver, info_hash: InfoHash) -> Vec<SocketAddr> {
    let mut banned = Vec::new();
    let deadline = tokio::time::Instant::now() + TIMEOUT;
    loop {
        let ev = tokio::time::timeout_at(deadline, events.recv())
            .await
            .expect("download did not finish in time")
            .expect("engine stopped");
        match ev {
            Event::TorrentFinished { info_hash: h } if h == info_hash => return banned,
            Event::TorrentError { message, .. } => panic!("torrent error: {message}"),
            Event::PeerBanned { addr, .. } => banned.push(addr),
            _ => {}
        }
    }
}

/// Waits until the seeder has checked its data (its snapshot says seeding).
pub async fn wait_seeding(events: &mut EventReceiver, info_hash: InfoHash) {
    let deadline = tokio::time::Instant::now() + TIMEOUT;
    loop {
        let ev = tokio::time::timeout_at(deadline, events.recv())
            .await
            .expect("seeder did not become ready")
            .expect("engine stopped");
        if let Event::Snapshot(s) = ev
            && s.torrents.iter().any(|t| {
                t.info_hash == info_hash && t.state == brooklet::engine::api::TorrentState::Seeding
            })
        {
            return;
        }
    }
}

pub fn assert_same_tree(a: &Path, b: &Path, files: &[(&str, Vec<u8>)]) {
    for (rel, data) in files {
        let (pa, pb): (PathBuf, PathBuf) = (a.join(rel), b.join(rel));
        let got = std::fs::read(&pb).unwrap_or_else(|e| panic!("{}: {e}", pb.display()));
        assert_eq!(got.len(), data.len(), "{rel}: length");
        assert!(got == *data, "{rel}: content differs");
        assert_eq!(std::fs::read(&pa).unwrap(), got);
    }
}

pub async fn seeder_with(
    torrent: &[u8],
    dir: &Path,
    info_hash: InfoHash,
) -> (EngineHandle, EventReceiver) {
    let (seed, mut seed_events) = engine().await;
    add(&seed, torrent, dir, vec![]).await;
    wait_seeding(&mut seed_events, info_hash).await;
    (seed, seed_events)
}

/// Waits for a snapshot that satisfies `ok`; a torrent error fails the test.
pub async fn wait_snapshot(
    events: &mut EventReceiver,
    what: &str,
    ok: impl Fn(&Snapshot) -> bool,
) -> Arc<Snapshot> {
    wait_snapshot_within(events, what, TIMEOUT, ok).await
}

/// [`wait_snapshot`], failing after `within`.
pub async fn wait_snapshot_within(
    events: &mut EventReceiver,
    what: &str,
    within: Duration,
    ok: impl Fn(&Snapshot) -> bool,
) -> Arc<Snapshot> {
    let deadline = tokio::time::Instant::now() + within;
    let mut last = None;
    loop {
        let ev = tokio::time::timeout_at(deadline, events.recv())
            .await
            .unwrap_or_else(|_| panic!("timed out waiting for {what}; last snapshot: {last:#?}"))
            .expect("engine stopped");
        match ev {
            Event::Snapshot(s) if ok(&s) => return s,
            Event::Snapshot(s) => last = Some(s),
            Event::TorrentError { message, .. } => panic!("torrent error: {message}"),
            _ => {}
        }
    }
}

/// Waits for a snapshot in which torrent `hash` satisfies `ok`; returns its statistics.
pub async fn wait_torrent(
    events: &mut EventReceiver,
    hash: InfoHash,
    what: &str,
    ok: impl Fn(&TorrentStats) -> bool,
) -> TorrentStats {
    wait_torrent_within(events, hash, what, TIMEOUT, ok).await
}

/// [`wait_torrent`], failing after `within`.
pub async fn wait_torrent_within(
    events: &mut EventReceiver,
    hash: InfoHash,
    what: &str,
    within: Duration,
    ok: impl Fn(&TorrentStats) -> bool,
) -> TorrentStats {
    let of = |s: &Snapshot| s.torrents.iter().find(|t| t.info_hash == hash).cloned();
    let s = wait_snapshot_within(events, what, within, |s| of(s).is_some_and(|t| ok(&t))).await;
    of(&s).expect("just seen")
}

/// Waits for a snapshot in which `hash` satisfies `ok` (torrent errors do not fail the test:
/// for tests of faults).
pub async fn wait_stats(
    events: &mut EventReceiver,
    hash: InfoHash,
    what: &str,
    ok: impl Fn(&TorrentStats) -> bool,
) -> TorrentStats {
    let deadline = tokio::time::Instant::now() + TIMEOUT;
    let mut last = None;
    loop {
        let ev = tokio::time::timeout_at(deadline, events.recv())
            .await
            .unwrap_or_else(|_| panic!("timed out waiting for {what}; last seen: {last:#?}"))
            .expect("engine stopped");
        if let Event::Snapshot(s) = ev
            && let Some(t) = s.torrents.iter().find(|t| t.info_hash == hash)
        {
            if ok(t) {
                return t.clone();
            }
            last = Some(t.clone());
        }
    }
}

/// A torrent's error message, or "" when it has none.
pub fn error_of(t: &TorrentStats) -> &str {
    match &t.state {
        TorrentState::Error(m) => m,
        _ => "",
    }
}
