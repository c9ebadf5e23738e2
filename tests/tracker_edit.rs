//! Editing a running torrent's trackers (`Command::SetTrackers`) and the "announce to all
//! trackers" setting, against small HTTP trackers on 127.0.0.1 that remember who announced and
//! hand out the peers still in the swarm. Engines run in-process without DHT, so a leecher can
//! find a seeder only through a tracker. Every wait is bounded.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use brooklet::engine::InfoHash;
use brooklet::engine::api::Event;
use brooklet::engine::create::{CreateOptions, CreationDate, create};
use brooklet::engine::session::{self, Command, Config, EngineHandle, EventReceiver};
use brooklet::engine::storage::check::HashProgress;
use common::engine::{TIMEOUT, add, wait_finished, wait_seeding, wait_snapshot};
use std::net::SocketAddr;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// One announce a test tracker received.
#[derive(Debug, Clone)]
struct Announce {
    event: String,
    port: u16,
}

/// An HTTP tracker on 127.0.0.1: records each announce, keeps the announcing peers (a
/// `stopped` one leaves) and answers with the others, compact (BEP 23).
struct SwarmTracker {
    addr: SocketAddr,
    announces: Arc<Mutex<Vec<Announce>>>,
    task: tokio::task::JoinHandle<()>,
}

impl SwarmTracker {
    async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let announces = Arc::new(Mutex::new(Vec::new()));
        let swarm: Arc<Mutex<Vec<u16>>> = Arc::new(Mutex::new(Vec::new()));
        let recorded = announces.clone();
        let task = tokio::spawn(async move {
            loop {
                let Ok((mut stream, _)) = listener.accept().await else {
                    return;
                };
                let (recorded, swarm) = (recorded.clone(), swarm.clone());
                tokio::spawn(async move {
                    let mut head = Vec::new();
                    let mut buf = [0u8; 4096];
                    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 65536 {
                        match stream.read(&mut buf).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => head.extend_from_slice(&buf[..n]),
                        }
                    }
                    let text = String::from_utf8_lossy(&head).into_owned();
                    let target = text.split(' ').nth(1).unwrap_or("").to_owned();
                    let event = param(&target, "event").unwrap_or_default();
                    let port: u16 = param(&target, "port")
                        .and_then(|p| p.parse().ok())
                        .unwrap_or(0);
                    let peers: Vec<u16> = {
                        let mut swarm = swarm.lock().unwrap();
                        swarm.retain(|p| *p != port);
                        let others = swarm.clone();
                        if event != "stopped" {
                            swarm.push(port);
                        }
                        others
                    };
                    recorded.lock().unwrap().push(Announce { event, port });
                    let mut compact = Vec::new();
                    for p in peers {
                        compact.extend_from_slice(&[127, 0, 0, 1]);
                        compact.extend_from_slice(&p.to_be_bytes());
                    }
                    let mut body =
                        format!("d8:intervali1800e5:peers{}:", compact.len()).into_bytes();
                    body.extend_from_slice(&compact);
                    body.push(b'e');
                    let mut reply = format!(
                        "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                        body.len()
                    )
                    .into_bytes();
                    reply.extend_from_slice(&body);
                    let _ = stream.write_all(&reply).await;
                    let _ = stream.shutdown().await;
                });
            }
        });
        SwarmTracker {
            addr,
            announces,
            task,
        }
    }

    fn url(&self) -> String {
        format!("http://{}/announce", self.addr)
    }

    fn announces(&self) -> Vec<Announce> {
        self.announces.lock().unwrap().clone()
    }

    fn clear(&self) {
        self.announces.lock().unwrap().clear();
    }

    /// Waits until an announce from `port` with `event` arrived.
    async fn wait_for(&self, what: &str, port: u16, event: &str) {
        let deadline = tokio::time::Instant::now() + TIMEOUT;
        while !self
            .announces()
            .iter()
            .any(|a| a.port == port && a.event == event)
        {
            assert!(
                tokio::time::Instant::now() < deadline,
                "{what}: no `{event}` announce from port {port}; got {:?}",
                self.announces()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

impl Drop for SwarmTracker {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// The percent-decoded query parameter `name` (ASCII values only: event, port).
fn param(target: &str, name: &str) -> Option<String> {
    let query = target.split_once('?')?.1;
    query
        .split('&')
        .find_map(|kv| kv.strip_prefix(name)?.strip_prefix('='))
        .map(str::to_owned)
}

fn config(state_dir: Option<&Path>) -> Config {
    Config {
        loopback_only: true,
        listen_ip: "127.0.0.1".parse().unwrap(),
        dht: false,
        state_dir: state_dir.map(Path::to_path_buf),
        ..Config::default()
    }
}

/// A torrent of one file under `dir` announcing to `trackers`.
fn torrent(dir: &Path, name: &str, trackers: Vec<Vec<String>>) -> (Vec<u8>, InfoHash) {
    std::fs::create_dir_all(dir).unwrap();
    let root = dir.join(name);
    std::fs::write(&root, common::random_bytes(7, 300_000)).unwrap();
    let mut opts = CreateOptions::new(&root);
    opts.piece_length = Some(32 * 1024);
    opts.creation_date = CreationDate::Omit;
    opts.trackers = trackers;
    let created = create(&opts, &HashProgress::default()).unwrap();
    (created.bytes, created.metainfo.info_hash)
}

/// Watches `info_hash` and waits for details whose tracker list is `urls`.
async fn wait_tracker_list(
    engine: &EngineHandle,
    events: &mut EventReceiver,
    info_hash: InfoHash,
    urls: &[String],
) -> String {
    engine.send(Command::Watch(Some(info_hash))).unwrap();
    // The list's statistics group it by tracker host (all of ours are on 127.0.0.1).
    let hosts: Vec<String> = if urls.is_empty() {
        Vec::new()
    } else {
        vec!["127.0.0.1".to_owned()]
    };
    let s = wait_snapshot(events, "the edited tracker list in the details", |s| {
        s.details.as_ref().is_some_and(|d| {
            d.info_hash == info_hash
                && d.trackers.iter().map(|t| t.url.clone()).collect::<Vec<_>>() == urls
        }) && s
            .torrents
            .iter()
            .any(|t| t.info_hash == info_hash && *t.tracker_hosts == *hosts)
    })
    .await;
    s.details.as_ref().unwrap().magnet.clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn edited_trackers_take_over_announces_downloads_and_restarts() {
    let (a, b) = (SwarmTracker::start().await, SwarmTracker::start().await);
    let tmp = tempfile::tempdir().unwrap();
    let seed_dir = tmp.path().join("seed");
    let state = tmp.path().join("state");
    let (bytes, info_hash) = torrent(&seed_dir, "data.bin", vec![vec![a.url()]]);

    // A seeder with tracker A only.
    let (seed, mut seed_events) = session::spawn(config(Some(&state))).await.unwrap();
    add(&seed, &bytes, &seed_dir, vec![]).await;
    wait_seeding(&mut seed_events, info_hash).await;
    let seed_port = seed.listen_port();
    a.wait_for("tracker A at start", seed_port, "started").await;

    // A bad list is refused with the reason, and changes nothing.
    seed.send(Command::SetTrackers(
        info_hash,
        vec![vec!["ftp://x/announce".into()]],
    ))
    .unwrap();
    let deadline = tokio::time::Instant::now() + TIMEOUT;
    loop {
        let ev = tokio::time::timeout_at(deadline, seed_events.recv())
            .await
            .expect("no refusal")
            .expect("engine stopped");
        if let Event::TorrentError { message, .. } = ev {
            assert!(message.contains("ftp://x/announce"), "{message}");
            break;
        }
    }

    // Replace A by B: B hears `started`, A `stopped`.
    seed.send(Command::SetTrackers(
        info_hash,
        vec![vec![b.url(), " ".into()], vec![], vec![b.url()]],
    ))
    .unwrap();
    b.wait_for("tracker B after the edit", seed_port, "started")
        .await;
    a.wait_for("tracker A after the edit", seed_port, "stopped")
        .await;
    let magnet = wait_tracker_list(&seed, &mut seed_events, info_hash, &[b.url()]).await;
    assert!(magnet.contains(&b.addr.port().to_string()), "{magnet}");
    assert!(!magnet.contains(&a.addr.port().to_string()), "{magnet}");

    // A leecher whose torrent names A finds nobody there; moved to B, it finds the seeder.
    let leech_dir = tmp.path().join("leech");
    let (leech, mut leech_events) = session::spawn(config(None)).await.unwrap();
    add(&leech, &bytes, &leech_dir, vec![]).await;
    a.wait_for("the leecher at A", leech.listen_port(), "started")
        .await;
    leech
        .send(Command::SetTrackers(info_hash, vec![vec![b.url()]]))
        .unwrap();
    wait_finished(&mut leech_events, info_hash).await;
    assert_eq!(
        std::fs::read(leech_dir.join("data.bin")).unwrap(),
        std::fs::read(seed_dir.join("data.bin")).unwrap()
    );
    leech.shutdown().await;

    // After a restart the seeder announces to B, not A.
    seed.shutdown().await;
    drop(seed_events);
    a.clear();
    b.clear();
    let (seed, mut seed_events) = session::spawn(config(Some(&state))).await.unwrap();
    let seed_port = seed.listen_port();
    b.wait_for("tracker B after the restart", seed_port, "started")
        .await;
    wait_tracker_list(&seed, &mut seed_events, info_hash, &[b.url()]).await;
    assert!(
        a.announces().iter().all(|x| x.port != seed_port),
        "tracker A was asked after the restart: {:?}",
        a.announces()
    );
    seed.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn announce_to_all_tiers_asks_every_tracker() {
    let (c, d, e) = (
        SwarmTracker::start().await,
        SwarmTracker::start().await,
        SwarmTracker::start().await,
    );
    let tmp = tempfile::tempdir().unwrap();
    let (bytes, info_hash) = torrent(
        tmp.path(),
        "tiers.bin",
        vec![vec![c.url(), d.url()], vec![e.url()]],
    );
    let (engine, mut events) = session::spawn(config(None)).await.unwrap();
    let port = engine.listen_port();
    add(&engine, &bytes, tmp.path(), vec![]).await;
    wait_seeding(&mut events, info_hash).await;

    // Off (BEP 12): one tracker of the first tier answers, and is asked again on reannounce.
    let deadline = tokio::time::Instant::now() + TIMEOUT;
    let count = |t: &SwarmTracker| t.announces().iter().filter(|a| a.port == port).count();
    while count(&c) + count(&d) == 0 {
        assert!(tokio::time::Instant::now() < deadline, "no announce");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    engine.send(Command::Reannounce(info_hash)).unwrap();
    while count(&c) + count(&d) < 2 {
        assert!(tokio::time::Instant::now() < deadline, "no reannounce");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let (first, other) = if count(&c) > 0 { (&c, &d) } else { (&d, &c) };
    assert_eq!(count(first), 2);
    assert_eq!(
        count(other),
        0,
        "BEP 12 asked the second tracker of the tier"
    );
    assert_eq!(count(&e), 0, "BEP 12 asked the second tier");

    // On: every tracker of every tier; those new to us hear `started`.
    engine.send(Command::SetAnnounceToAllTiers(true)).unwrap();
    engine.send(Command::Reannounce(info_hash)).unwrap();
    other
        .wait_for("the tier's other tracker", port, "started")
        .await;
    e.wait_for("the second tier", port, "started").await;
    while count(first) < 3 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "first not asked again"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(
        first
            .announces()
            .iter()
            .filter(|a| a.event == "started")
            .count()
            == 1
    );

    // A fresh engine with the setting on asks all three at once.
    engine.shutdown().await;
    for t in [&c, &d, &e] {
        t.clear();
    }
    let cfg = Config {
        announce_to_all_tiers: true,
        ..config(None)
    };
    let (engine, mut events) = session::spawn(cfg).await.unwrap();
    let port = engine.listen_port();
    add(&engine, &bytes, tmp.path(), vec![]).await;
    wait_seeding(&mut events, info_hash).await;
    for t in [&c, &d, &e] {
        t.wait_for("setting on from the start", port, "started")
            .await;
    }
    engine.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_magnet_s_edited_trackers_apply_at_once_and_after_a_restart() {
    use brooklet::engine::MagnetLink;
    use brooklet::engine::api::{AddTorrent, TorrentSource};
    let (a, b) = (SwarmTracker::start().await, SwarmTracker::start().await);
    let tmp = tempfile::tempdir().unwrap();
    let state = tmp.path().join("state");
    let info_hash = InfoHash([0x3c; 20]);
    let mut link = MagnetLink::new(info_hash);
    link.trackers = vec![a.url()];
    let (engine, _events) = session::spawn(config(Some(&state))).await.unwrap();
    let port = engine.listen_port();
    engine
        .add_torrent(AddTorrent::new(
            TorrentSource::Magnet(link.to_uri()),
            tmp.path(),
        ))
        .await
        .unwrap();
    a.wait_for("the magnet at A", port, "started").await;

    // Still fetching its metadata, the magnet moves to B at once.
    engine
        .send(Command::SetTrackers(info_hash, vec![vec![b.url()]]))
        .unwrap();
    b.wait_for("the magnet at B", port, "started").await;
    a.wait_for("the magnet leaving A", port, "stopped").await;

    // And stays there after a restart.
    engine.shutdown().await;
    a.clear();
    b.clear();
    let (engine, _events) = session::spawn(config(Some(&state))).await.unwrap();
    let port = engine.listen_port();
    b.wait_for("the restored magnet at B", port, "started")
        .await;
    assert!(
        a.announces().iter().all(|x| x.port != port),
        "tracker A was asked after the restart: {:?}",
        a.announces()
    );
    engine.shutdown().await;
}
