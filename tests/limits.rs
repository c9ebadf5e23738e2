//! Rate limits measured on loopback between two of our engines: global and per-torrent, download
//! and upload, each within ± 5 % of the limit over a 10 s window after a warm-up; a limit changed
//! mid-transfer (by switching the alternative limits on) takes effect within a second; a torrent
//! without a limit still gets its share beside a limited one.
//!
//! Rates are measured from the leecher's `PieceVerified` events (16 KiB pieces: at 1 MiB/s, 64
//! events a second), timestamped as they arrive, so the error is a piece or two at either end of
//! the window, not a snapshot period. The tests run in parallel; each moves a few MiB/s at most.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use brooklet::engine::InfoHash;
use brooklet::engine::api::Event;
use brooklet::engine::limits::RateLimits;
use brooklet::engine::session::{self, Command, Config, EngineHandle, EventReceiver};
use std::collections::HashMap;
use std::path::Path;
use std::time::Duration;
use tokio::time::Instant;

mod common;

use common::engine::*;

const MIB: u64 = 1 << 20;
const PIECE: u64 = 16 * 1024;
/// Transfer time before the window, so the request pipeline and TCP windows settle.
const WARM_UP: Duration = Duration::from_secs(2);
/// The measuring window.
const WINDOW: Duration = Duration::from_secs(10);

/// A leecher engine reporting every verified piece, with `limits` and alternative `alt`.
async fn leecher(limits: RateLimits, alt: RateLimits) -> (EngineHandle, EventReceiver) {
    session::spawn(Config {
        piece_events: true,
        limits,
        alt_limits: alt,
        ..config()
    })
    .await
    .unwrap()
}

/// A seeder of a `size`-byte torrent called `name` under `dir`, with global `limits`.
async fn seeder(
    dir: &Path,
    name: &str,
    size: u64,
    seed: u64,
    limits: RateLimits,
) -> (Vec<u8>, InfoHash, EngineHandle, EventReceiver) {
    let data = common::random_bytes(seed, size as usize);
    let (torrent, meta) = make_torrent(dir, name, &[("", data)], PIECE);
    let (engine, mut events) = session::spawn(Config { limits, ..config() }).await.unwrap();
    add(&engine, &torrent, dir, vec![]).await;
    wait_seeding(&mut events, meta.info_hash).await;
    (torrent, meta.info_hash, engine, events)
}

/// Bytes per second of each torrent in `hashes`, from the pieces verified during `WINDOW`,
/// which starts `WARM_UP` after the first piece of any of them (or at `start`, if given).
async fn measure(
    events: &mut EventReceiver,
    hashes: &[InfoHash],
    start: Option<Instant>,
    window: Duration,
) -> HashMap<InfoHash, f64> {
    let deadline = Instant::now() + TIMEOUT;
    let mut from = start;
    let mut counts: HashMap<InfoHash, u64> = hashes.iter().map(|h| (*h, 0)).collect();
    loop {
        let ev = tokio::time::timeout_at(deadline, events.recv())
            .await
            .expect("no progress in time")
            .expect("engine stopped");
        let now = Instant::now();
        match ev {
            Event::PieceVerified { info_hash, .. } if counts.contains_key(&info_hash) => {
                let from = *from.get_or_insert(now + WARM_UP);
                if now >= from + window {
                    break;
                }
                if now >= from {
                    *counts.entry(info_hash).or_default() += 1;
                }
            }
            Event::TorrentFinished { info_hash } if counts.contains_key(&info_hash) => {
                panic!("{info_hash} finished before the window ended: make it bigger")
            }
            Event::TorrentError { message, .. } => panic!("torrent error: {message}"),
            _ => {}
        }
    }
    counts
        .into_iter()
        .map(|(h, n)| (h, (n * PIECE) as f64 / window.as_secs_f64()))
        .collect()
}

fn assert_near(what: &str, rate: f64, limit: u64, tolerance: f64) {
    let ratio = rate / limit as f64;
    assert!(
        (1.0 - tolerance..=1.0 + tolerance).contains(&ratio),
        "{what}: {rate:.0} B/s against a limit of {limit} B/s ({:.1} %)",
        ratio * 100.0
    );
    eprintln!(
        "{what}: {rate:.0} B/s, {:.1} % of {limit} B/s",
        ratio * 100.0
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn global_download_limit_holds_within_5_percent() {
    let tmp = tempfile::tempdir().unwrap();
    let (torrent, hash, seed, _se) = seeder(
        &tmp.path().join("seed"),
        "down.bin",
        16 * MIB,
        11,
        RateLimits::UNLIMITED,
    )
    .await;
    let (leech, mut events) = leecher(RateLimits::new(MIB, 0), RateLimits::UNLIMITED).await;
    add(
        &leech,
        &torrent,
        &tmp.path().join("leech"),
        vec![addr(&seed)],
    )
    .await;
    let rates = measure(&mut events, &[hash], None, WINDOW).await;
    assert_near("global download", rates[&hash], MIB, 0.05);
    leech.shutdown().await;
    seed.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn global_upload_limit_holds_within_5_percent() {
    let tmp = tempfile::tempdir().unwrap();
    let (torrent, hash, seed, _se) = seeder(
        &tmp.path().join("seed"),
        "up.bin",
        16 * MIB,
        12,
        RateLimits::new(0, MIB),
    )
    .await;
    let (leech, mut events) = leecher(RateLimits::UNLIMITED, RateLimits::UNLIMITED).await;
    add(
        &leech,
        &torrent,
        &tmp.path().join("leech"),
        vec![addr(&seed)],
    )
    .await;
    let rates = measure(&mut events, &[hash], None, WINDOW).await;
    assert_near("global upload", rates[&hash], MIB, 0.05);
    leech.shutdown().await;
    seed.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn torrent_limits_hold_within_5_percent_and_show_in_its_stats() {
    // The seeder limits the torrent's upload to 1.5 MiB/s, the leecher its download to 1 MiB/s:
    // the download limit is the one in force.
    let tmp = tempfile::tempdir().unwrap();
    let (torrent, hash, seed, mut seed_events) = seeder(
        &tmp.path().join("seed"),
        "t.bin",
        16 * MIB,
        13,
        RateLimits::UNLIMITED,
    )
    .await;
    seed.send(Command::SetTorrentLimits(
        hash,
        RateLimits::new(0, 3 * MIB / 2),
    ))
    .unwrap();
    let (leech, mut events) = leecher(RateLimits::UNLIMITED, RateLimits::UNLIMITED).await;
    add(
        &leech,
        &torrent,
        &tmp.path().join("leech"),
        vec![addr(&seed)],
    )
    .await;
    leech
        .send(Command::SetTorrentLimits(hash, RateLimits::new(MIB, 0)))
        .unwrap();
    let rates = measure(&mut events, &[hash], None, WINDOW).await;
    assert_near("torrent download", rates[&hash], MIB, 0.05);
    // The snapshots report each side's torrent limits.
    for (events, want) in [
        (&mut events, RateLimits::new(MIB, 0)),
        (&mut seed_events, RateLimits::new(0, 3 * MIB / 2)),
    ] {
        let s = wait_snapshot(events, "the torrent's limits", |s| {
            s.torrents
                .iter()
                .any(|t| t.info_hash == hash && t.limits == want)
        })
        .await;
        assert_eq!(s.limits, RateLimits::UNLIMITED);
    }
    leech.shutdown().await;
    seed.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn torrent_upload_limit_holds_within_5_percent() {
    let tmp = tempfile::tempdir().unwrap();
    let (torrent, hash, seed, _se) = seeder(
        &tmp.path().join("seed"),
        "tu.bin",
        12 * MIB,
        14,
        RateLimits::UNLIMITED,
    )
    .await;
    let limit = 768 * 1024;
    seed.send(Command::SetTorrentLimits(hash, RateLimits::new(0, limit)))
        .unwrap();
    let (leech, mut events) = leecher(RateLimits::UNLIMITED, RateLimits::UNLIMITED).await;
    add(
        &leech,
        &torrent,
        &tmp.path().join("leech"),
        vec![addr(&seed)],
    )
    .await;
    let rates = measure(&mut events, &[hash], None, WINDOW).await;
    assert_near("torrent upload", rates[&hash], limit, 0.05);
    leech.shutdown().await;
    seed.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn switching_to_alternative_limits_takes_effect_within_a_second() {
    let tmp = tempfile::tempdir().unwrap();
    let (torrent, hash, seed, _se) = seeder(
        &tmp.path().join("seed"),
        "alt.bin",
        16 * MIB,
        15,
        RateLimits::UNLIMITED,
    )
    .await;
    let normal = RateLimits::new(2 * MIB, 0);
    let alt = RateLimits::new(MIB / 2, 0);
    let (leech, mut events) = leecher(normal, alt).await;
    add(
        &leech,
        &torrent,
        &tmp.path().join("leech"),
        vec![addr(&seed)],
    )
    .await;
    let before = measure(&mut events, &[hash], None, Duration::from_secs(3)).await;
    assert_near("normal limit", before[&hash], normal.download, 0.1);
    leech.send(Command::SetAltSpeed(true)).unwrap();
    let switched = Instant::now();
    // From one second after the switch on, the rate is the alternative limit's.
    let after = measure(
        &mut events,
        &[hash],
        Some(switched + Duration::from_secs(1)),
        Duration::from_secs(4),
    )
    .await;
    assert_near("alternative limit", after[&hash], alt.download, 0.1);
    // The snapshot says so.
    let s = wait_snapshot(&mut events, "alternative mode", |s| s.alt_speed).await;
    assert_eq!(s.limits, alt);
    leech.shutdown().await;
    seed.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_torrent_without_limit_gets_its_share_beside_a_limited_one() {
    // Global 2 MiB/s; torrent A limited to 512 KiB/s, B not: B takes the rest (1.5 MiB/s), and
    // together they use the global limit.
    let tmp = tempfile::tempdir().unwrap();
    let (ta, ha, seed_a, _sa) = seeder(
        &tmp.path().join("seed"),
        "a.bin",
        10 * MIB,
        16,
        RateLimits::UNLIMITED,
    )
    .await;
    let (tb, hb, seed_b, _sb) = seeder(
        &tmp.path().join("seed"),
        "b.bin",
        24 * MIB,
        17,
        RateLimits::UNLIMITED,
    )
    .await;
    let global = 2 * MIB;
    let (leech, mut events) = leecher(RateLimits::new(global, 0), RateLimits::UNLIMITED).await;
    let dir = tmp.path().join("leech");
    add(&leech, &ta, &dir, vec![addr(&seed_a)]).await;
    leech
        .send(Command::SetTorrentLimits(ha, RateLimits::new(MIB / 2, 0)))
        .unwrap();
    add(&leech, &tb, &dir, vec![addr(&seed_b)]).await;
    let rates = measure(&mut events, &[ha, hb], None, WINDOW).await;
    assert_near("limited torrent", rates[&ha], MIB / 2, 0.05);
    assert_near("unlimited torrent", rates[&hb], global - MIB / 2, 0.05);
    assert_near("both", rates[&ha] + rates[&hb], global, 0.05);
    leech.shutdown().await;
    seed_a.shutdown().await;
    seed_b.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn brooklet_seed_max_up_limits_the_upload() {
    use std::io::BufRead;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("seed");
    let data = common::random_bytes(18, (8 * MIB) as usize);
    let (torrent, meta) = make_torrent(&dir, "cli.bin", &[("", data)], PIECE);
    let torrent_path = tmp.path().join("cli.torrent");
    std::fs::write(&torrent_path, &torrent).unwrap();
    let mut child = common::brooklet()
        .arg("seed")
        .arg(&torrent_path)
        .arg(&dir)
        .args(["--no-dht", "--max-up", "512K"])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let _guard = common::Guard(Some(child));
    // `listening on port N` comes first; `seeding` once the data is checked.
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut port = None;
    let deadline = std::time::Instant::now() + TIMEOUT;
    while port.is_none() {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        let line = rx.recv_timeout(left).expect("no port from brooklet seed");
        port = line
            .strip_prefix("listening on port ")
            .and_then(|p| p.trim().parse::<u16>().ok());
    }
    loop {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        let line = rx
            .recv_timeout(left)
            .expect("brooklet seed never said it seeds");
        if line.starts_with("Seeding ") {
            break;
        }
    }
    let seeder = std::net::SocketAddr::from(([127, 0, 0, 1], port.unwrap()));
    let (leech, mut events) = leecher(RateLimits::UNLIMITED, RateLimits::UNLIMITED).await;
    add(&leech, &torrent, &tmp.path().join("leech"), vec![seeder]).await;
    let rates = measure(&mut events, &[meta.info_hash], None, Duration::from_secs(8)).await;
    assert_near(
        "brooklet seed --max-up 512K",
        rates[&meta.info_hash],
        512 * 1024,
        0.05,
    );
    leech.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn torrent_limits_survive_a_restart() {
    let tmp = tempfile::tempdir().unwrap();
    let state = tmp.path().join("state");
    let data = tmp.path().join("data");
    let (torrent, meta) = make_torrent(
        &data,
        "kept.bin",
        &[("", common::random_bytes(19, 100_000))],
        PIECE,
    );
    let with_state = || Config {
        state_dir: Some(state.clone()),
        ..config()
    };
    let (engine, _events) = session::spawn(with_state()).await.unwrap();
    add(&engine, &torrent, &data, vec![]).await;
    let limits = RateLimits::new(300 * 1024, 40 * 1024);
    engine
        .send(Command::SetTorrentLimits(meta.info_hash, limits))
        .unwrap();
    engine.shutdown().await;

    let (engine, mut events) = session::spawn(with_state()).await.unwrap();
    let deadline = Instant::now() + TIMEOUT;
    loop {
        let ev = tokio::time::timeout_at(deadline, events.recv())
            .await
            .expect("the restored torrent never showed its limits")
            .expect("engine stopped");
        if let Event::Snapshot(s) = ev
            && let Some(t) = s.torrents.iter().find(|t| t.info_hash == meta.info_hash)
        {
            assert_eq!(t.limits, limits);
            break;
        }
    }
    engine.shutdown().await;
}
