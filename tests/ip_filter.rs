//! The IP filter and peer bans on loopback: on Linux every 127.0.0.x address is the machine
//! itself, so engines listening on (and dialling from) 127.0.0.2, .3 and .4 are peers with
//! different addresses. A downloader whose filter blocks one of two seeders gets everything
//! from the other; the blocked seeder never becomes its peer, neither when dialled nor when it
//! dials. A ban drops a connected peer at once and keeps it out until it is lifted.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use brooklet::engine::InfoHash;
use brooklet::engine::api::{Event, Snapshot};
use brooklet::engine::ipfilter::IpFilter;
use brooklet::engine::limits::RateLimits;
use brooklet::engine::session::{self, Command, Config, EngineHandle, EventReceiver};
use common::engine::*;
use std::collections::HashSet;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

const MIB: usize = 1 << 20;
const PIECE: u64 = 64 * 1024;

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

/// An engine that listens on, and dials from, `at`.
fn config_at(at: &str) -> Config {
    Config {
        listen_ip: ip(at),
        outgoing_ip: Some(ip(at)),
        dht: false,
        ..config()
    }
}

/// A seeder of `torrent` (its data already in `dir`) on `at`.
async fn seeder_at(
    at: &str,
    torrent: &[u8],
    dir: &std::path::Path,
    hash: InfoHash,
) -> (EngineHandle, EventReceiver, SocketAddr) {
    let (engine, mut events) = session::spawn(config_at(at)).await.unwrap();
    add(&engine, torrent, dir, vec![]).await;
    wait_seeding(&mut events, hash).await;
    let addr = SocketAddr::new(ip(at), engine.listen_port());
    (engine, events, addr)
}

/// What the snapshots seen so far said: every peer address of the watched torrent, the most
/// peers any torrent had, and the latest snapshot.
#[derive(Default)]
struct Seen {
    peer_ips: HashSet<IpAddr>,
    most_peers: usize,
    last: Option<Arc<Snapshot>>,
    finished: bool,
}

impl Seen {
    fn note(&mut self, ev: Event, hash: InfoHash) {
        match ev {
            Event::Snapshot(s) => {
                if let Some(d) = &s.details {
                    self.peer_ips.extend(d.peers.iter().map(|p| p.addr.ip()));
                }
                let peers = s.torrents.iter().map(|t| t.peers).max().unwrap_or(0);
                self.most_peers = self.most_peers.max(peers);
                self.last = Some(s);
            }
            Event::TorrentFinished { info_hash } if info_hash == hash => self.finished = true,
            Event::TorrentError { message, .. } => panic!("torrent error: {message}"),
            _ => {}
        }
    }

    fn blocked(&self) -> u64 {
        self.last.as_ref().map_or(0, |s| s.blocked_connections)
    }

    fn connected_to(&self, who: IpAddr) -> bool {
        self.last
            .as_ref()
            .and_then(|s| s.details.as_ref())
            .is_some_and(|d| d.peers.iter().any(|p| p.addr.ip() == who))
    }
}

/// Reads events into `seen` until `done` holds (or panics after [`TIMEOUT`]).
async fn until(
    events: &mut EventReceiver,
    seen: &mut Seen,
    hash: InfoHash,
    what: &str,
    done: impl Fn(&Seen) -> bool,
) {
    let deadline = tokio::time::Instant::now() + TIMEOUT;
    while !done(seen) {
        let ev = tokio::time::timeout_at(deadline, events.recv())
            .await
            .unwrap_or_else(|_| panic!("timed out waiting for {what}"))
            .expect("engine stopped");
        seen.note(ev, hash);
    }
}

/// Drains the events already queued into `seen`.
fn drain(events: &mut EventReceiver, seen: &mut Seen, hash: InfoHash) {
    while let Ok(ev) = events.try_recv() {
        seen.note(ev, hash);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn filtered_seeder_never_becomes_a_peer_and_download_completes() {
    let tmp = common::test_home().join("ip_filter_two_seeders");
    let _ = std::fs::remove_dir_all(&tmp);
    let data = common::random_bytes(81, 4 * MIB);
    let files = [("", data.clone())];
    let (torrent, meta) = make_torrent(&tmp.join("a"), "f.bin", &files, PIECE);
    let hash = meta.info_hash;
    std::fs::create_dir_all(tmp.join("b")).unwrap();
    std::fs::write(tmp.join("b/f.bin"), &data).unwrap();
    let (allowed, _allowed_events, allowed_addr) =
        seeder_at("127.0.0.2", &torrent, &tmp.join("a"), hash).await;
    let (blocked, mut blocked_events, blocked_addr) =
        seeder_at("127.0.0.3", &torrent, &tmp.join("b"), hash).await;

    // The downloader blocks 127.0.0.3 and downloads slowly enough (2 MiB/s) that a connection
    // to the blocked seeder, were one made, would show in the snapshots.
    let filter = IpFilter::parse("Test seeder:127.0.0.3-127.0.0.3\n");
    let (leech, mut events) = session::spawn(Config {
        ip_filter: Some(Arc::new(filter)),
        limits: RateLimits {
            download: 2 * MIB as u64,
            upload: 0,
        },
        dht: false,
        ..config()
    })
    .await
    .unwrap();
    let leech_addr = addr(&leech);
    let mut seen = Seen::default();

    // The blocked seeder dials the downloader: the accept loop closes it.
    blocked.send(Command::AddPeer(hash, leech_addr)).unwrap();
    until(&mut events, &mut seen, hash, "an incoming refusal", |s| {
        s.blocked() >= 1
    })
    .await;

    // The downloader is told of both seeders: it dials only the allowed one.
    let dir = tmp.join("leech");
    add(&leech, &torrent, &dir, vec![allowed_addr, blocked_addr]).await;
    leech.send(Command::Watch(Some(hash))).unwrap();
    until(&mut events, &mut seen, hash, "the download", |s| {
        s.finished && s.blocked() >= 2
    })
    .await;
    // Then the blocked seeder dials again, while the downloader has the torrent.
    let before = seen.blocked();
    blocked.send(Command::AddPeer(hash, leech_addr)).unwrap();
    until(
        &mut events,
        &mut seen,
        hash,
        "a second incoming refusal",
        |s| s.blocked() > before,
    )
    .await;
    drain(&mut events, &mut seen, hash);

    assert_same_tree(&tmp.join("a"), &dir, &[("f.bin", data)]);
    assert!(
        seen.peer_ips.contains(&ip("127.0.0.2")),
        "the allowed seeder was a peer: {:?}",
        seen.peer_ips
    );
    assert!(
        !seen.peer_ips.contains(&ip("127.0.0.3")),
        "the blocked seeder became a peer: {:?}",
        seen.peer_ips
    );
    let mut blocked_side = Seen::default();
    drain(&mut blocked_events, &mut blocked_side, hash);
    assert_eq!(
        blocked_side.most_peers, 0,
        "the blocked seeder had a connected peer"
    );
    assert!(seen.blocked() >= 3, "refusals: {}", seen.blocked());

    leech.shutdown().await;
    allowed.shutdown().await;
    blocked.shutdown().await;
    let _ = std::fs::remove_dir_all(&tmp);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn banned_peer_is_dropped_and_stays_out_until_unbanned() {
    let tmp = common::test_home().join("ip_filter_ban");
    let _ = std::fs::remove_dir_all(&tmp);
    let data = common::random_bytes(82, 4 * MIB);
    let files = [("", data.clone())];
    let (torrent, meta) = make_torrent(&tmp.join("s"), "f.bin", &files, PIECE);
    let hash = meta.info_hash;
    let (seed, _seed_events, seed_addr) =
        seeder_at("127.0.0.4", &torrent, &tmp.join("s"), hash).await;

    // Slow (512 KiB/s) so the ban lands mid-download.
    let (leech, mut events) = session::spawn(Config {
        limits: RateLimits {
            download: 512 * 1024,
            upload: 0,
        },
        dht: false,
        ..config()
    })
    .await
    .unwrap();
    let dir = tmp.join("leech");
    add(&leech, &torrent, &dir, vec![seed_addr]).await;
    leech.send(Command::Watch(Some(hash))).unwrap();
    let mut seen = Seen::default();
    let seeder = ip("127.0.0.4");
    until(
        &mut events,
        &mut seen,
        hash,
        "a connection to the seeder",
        |s| s.connected_to(seeder),
    )
    .await;

    leech
        .send(Command::BanPeer {
            ip: seeder,
            permanent: false,
        })
        .unwrap();
    until(&mut events, &mut seen, hash, "the seeder dropped", |s| {
        !s.connected_to(seeder) && s.last.as_ref().is_some_and(|l| l.details.is_some())
    })
    .await;
    seen.peer_ips.clear();
    // Neither we (a manual AddPeer) nor the seeder (dialling us) can connect again.
    let before = seen.blocked();
    leech.send(Command::AddPeer(hash, seed_addr)).unwrap();
    seed.send(Command::AddPeer(hash, addr(&leech))).unwrap();
    until(&mut events, &mut seen, hash, "both attempts refused", |s| {
        s.blocked() >= before + 2
    })
    .await;
    drain(&mut events, &mut seen, hash);
    assert!(!seen.finished, "the download finished despite the ban");
    assert!(
        !seen.connected_to(seeder) && !seen.peer_ips.contains(&seeder),
        "the banned seeder came back"
    );

    // Lifted, the same seeder serves the rest.
    leech.send(Command::UnbanPeer(seeder)).unwrap();
    leech.send(Command::AddPeer(hash, seed_addr)).unwrap();
    leech
        .send(Command::SetGlobalLimits(RateLimits::UNLIMITED))
        .unwrap();
    until(
        &mut events,
        &mut seen,
        hash,
        "the download after unban",
        |s| s.finished,
    )
    .await;
    assert_same_tree(&tmp.join("s"), &dir, &[("f.bin", data)]);

    leech.shutdown().await;
    seed.shutdown().await;
    let _ = std::fs::remove_dir_all(&tmp);
}

#[test]
fn a_bad_ip_filter_file_ends_download_and_seed_with_one_line() {
    let tmp = common::test_home().join("ip_filter_cli_bad");
    let _ = std::fs::remove_dir_all(&tmp);
    let data = common::random_bytes(83, 100_000);
    let (torrent, _) = make_torrent(&tmp, "f.bin", &[("", data)], PIECE);
    let torrent_path = tmp.join("f.torrent");
    std::fs::write(&torrent_path, &torrent).unwrap();
    let junk = tmp.join("junk.dat");
    std::fs::write(&junk, "nonsense\nmore nonsense\n").unwrap();
    let huge = tmp.join("huge.dat");
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(brooklet::engine::ipfilter::MAX_FILE_BYTES + 1)
        .unwrap();
    let cases = [
        (
            junk,
            "holds no usable range (2 unreadable lines, the first is line 1)",
        ),
        (huge, "is too large"),
        (tmp.join("missing.dat"), "cannot read the IP filter"),
    ];
    for (filter, fragment) in &cases {
        for args in [
            vec![
                "download".into(),
                torrent_path.clone().into_os_string(),
                "-o".into(),
                tmp.join("out").into_os_string(),
            ],
            vec![
                "seed".into(),
                torrent_path.clone().into_os_string(),
                tmp.clone().into_os_string(),
            ],
        ] {
            let out = common::run_with_timeout(
                common::brooklet()
                    .args(&args)
                    .args(["--no-dht", "--ip-filter"])
                    .arg(filter),
                30,
            );
            let line = common::expect_failure(&out, 1, &format!("{args:?} --ip-filter {filter:?}"));
            assert!(line.contains(fragment), "{line:?} lacks {fragment:?}");
            assert!(out.stdout.is_empty(), "{}", common::stdout_of(&out));
        }
    }
    let _ = std::fs::remove_dir_all(&tmp);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_command_line_download_never_dials_a_filtered_peer() {
    let tmp = common::test_home().join("ip_filter_cli");
    let _ = std::fs::remove_dir_all(&tmp);
    let data = common::random_bytes(84, MIB);
    let files = [("", data.clone())];
    let (torrent, meta) = make_torrent(&tmp.join("a"), "f.bin", &files, PIECE);
    let hash = meta.info_hash;
    let (allowed, _e1, allowed_addr) = seeder_at("127.0.0.5", &torrent, &tmp.join("a"), hash).await;
    // The filtered "peer" only counts connection attempts.
    let (blocked_addr, attempts, listener) = counting_listener("127.0.0.6").await;
    let torrent_path = tmp.join("f.torrent");
    std::fs::write(&torrent_path, &torrent).unwrap();
    let list = tmp.join("list.dat");
    std::fs::write(
        &list,
        "# blocks the second seeder\n127.000.000.006 - 127.000.000.006 , 000 , Test\nbad line\n",
    )
    .unwrap();
    let out_dir = tmp.join("out");
    let mut cmd = common::brooklet();
    cmd.arg("download")
        .arg(&torrent_path)
        .arg("-o")
        .arg(&out_dir)
        .args(["--no-dht", "--peer"])
        .arg(blocked_addr.to_string())
        .arg("--peer")
        .arg(allowed_addr.to_string())
        .arg("--ip-filter")
        .arg(&list);
    let out = tokio::task::spawn_blocking(move || common::run_with_timeout(&mut cmd, 60))
        .await
        .unwrap();
    let stdout = common::expect_success(&out, "download with --ip-filter");
    assert!(
        stdout
            .lines()
            .next()
            .unwrap_or("")
            .starts_with("listening on port"),
        "{stdout}"
    );
    assert!(
        stdout.contains("IP filter: 1 address ranges blocked (1 unreadable lines skipped)"),
        "{stdout}"
    );
    assert_same_tree(&tmp.join("a"), &out_dir, &[("f.bin", data)]);
    assert_eq!(
        attempts.load(std::sync::atomic::Ordering::SeqCst),
        0,
        "the filtered address was dialled"
    );
    listener.abort();
    allowed.shutdown().await;
    let _ = std::fs::remove_dir_all(&tmp);
}

/// A listener on `at` that only counts the connections made to it.
async fn counting_listener(
    at: &str,
) -> (
    SocketAddr,
    Arc<std::sync::atomic::AtomicUsize>,
    tokio::task::JoinHandle<()>,
) {
    let listener = tokio::net::TcpListener::bind((ip(at), 0)).await.unwrap();
    let addr = listener.local_addr().unwrap();
    let count = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = count.clone();
    let task = tokio::spawn(async move {
        while let Ok((_stream, _)) = listener.accept().await {
            counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        }
    });
    (addr, count, task)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_magnet_link_never_dials_its_filtered_peer() {
    let tmp = common::test_home().join("ip_filter_magnet");
    let _ = std::fs::remove_dir_all(&tmp);
    let data = common::random_bytes(85, MIB);
    let (torrent, meta) = make_torrent(&tmp.join("a"), "f.bin", &[("", data.clone())], PIECE);
    let hash = meta.info_hash;
    let (allowed, _allowed_events, allowed_addr) =
        seeder_at("127.0.0.7", &torrent, &tmp.join("a"), hash).await;
    // The filtered "peer" only counts connection attempts.
    let (blocked_addr, attempts, listener) = counting_listener("127.0.0.8").await;
    let (leech, mut events) = session::spawn(Config {
        ip_filter: Some(Arc::new(IpFilter::parse(
            "127.000.000.008 - 127.000.000.008 , 100 , Test\n",
        ))),
        dht: false,
        ..config()
    })
    .await
    .unwrap();
    let dir = tmp.join("leech");
    std::fs::create_dir_all(&dir).unwrap();
    // The blocked peer first: the metadata fetcher hears of it before the allowed one.
    let uri = format!(
        "magnet:?xt=urn:btih:{}&x.pe={blocked_addr}&x.pe={allowed_addr}",
        hash.to_hex()
    );
    let add = brooklet::engine::api::AddTorrent::new(
        brooklet::engine::api::TorrentSource::Magnet(uri),
        &dir,
    );
    leech.add_torrent(add).await.unwrap();
    let mut seen = Seen::default();
    until(&mut events, &mut seen, hash, "the magnet download", |s| {
        s.finished && s.blocked() >= 1
    })
    .await;
    // And a manual AddPeer of the same address once the torrent runs.
    let before = seen.blocked();
    leech.send(Command::AddPeer(hash, blocked_addr)).unwrap();
    until(&mut events, &mut seen, hash, "the AddPeer refused", |s| {
        s.blocked() > before
    })
    .await;
    assert_same_tree(&tmp.join("a"), &dir, &[("f.bin", data)]);
    assert_eq!(
        attempts.load(std::sync::atomic::Ordering::SeqCst),
        0,
        "the filtered address was dialled"
    );
    listener.abort();
    leech.shutdown().await;
    allowed.shutdown().await;
    let _ = std::fs::remove_dir_all(&tmp);
}
