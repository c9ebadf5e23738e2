#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `cargo bench --bench magnet`: how fast a bare magnet link turns into a torrent and starts
//! downloading, Brooklet against python3-libtorrent in the same run, on 127.0.0.1.
//!
//! One python3-libtorrent seeder (`lt.high_performance_seed()` with the loopback-only settings
//! of INTEROP.md) serves a payload of `BROOKLET_BENCH_SIZE` bytes (default 64 MiB, pieces of
//! 256 KiB, so the info dictionary is ~5 KiB). Then, round-robin for `BROOKLET_BENCH_RUNS`
//! rounds (default 7), each leecher gets `magnet:?xt=urn:btih:…` plus the seeder's address and
//! starts from an empty folder:
//! - Brooklet: an engine of the library in this process (already started, as an app would be),
//!   the link added with `x.pe`; times taken from its events (`MetadataReceived`, and the first
//!   `PieceVerified`, which the bench opts into);
//! - libtorrent: a fresh session in a child process, the link added and the seeder dialled at
//!   once; times taken inside it from `metadata_received_alert` and the first
//!   `piece_finished_alert`, measured from just before `add_torrent` (so neither side pays for
//!   its process start).
//!
//! It prints the median of each figure and Brooklet's as a ratio to libtorrent's. The goal
//! (from the issue): no slower than libtorrent, i.e. ratios ≤ 1.00. Every child is stopped
//! through its own handle with a timeout; `cargo test --benches` starts this without `--bench`,
//! and then it returns at once.

use brooklet::engine::InfoHash;
use brooklet::engine::api::{AddTorrent, Event, TorrentSource};
use brooklet::engine::create::{CreateOptions, CreationDate, create};
use brooklet::engine::session::{self, Config};
use brooklet::engine::storage::check::HashProgress;
use std::io::{BufRead, BufReader, Write};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const PYTHON: &str = "/usr/bin/python3";
const DEFAULT_SIZE: u64 = 64 << 20;
const PIECE: u64 = 256 << 10;
const ROUND_TIMEOUT: Duration = Duration::from_secs(60);

/// argv: TORRENT SAVE_PATH. Prints `ready PORT` once it seeds; runs until stdin closes.
const LT_SEEDER: &str = r#"
import os, sys, time
import libtorrent as lt
torrent, save = sys.argv[1], sys.argv[2]
settings = lt.high_performance_seed()
settings.update({
    'listen_interfaces': '127.0.0.1:0',
    'enable_dht': False, 'enable_lsd': False, 'enable_upnp': False, 'enable_natpmp': False,
    'enable_incoming_utp': False, 'enable_outgoing_utp': False,
    'in_enc_policy': 2, 'out_enc_policy': 2,
    'allow_multiple_connections_per_ip': True, 'dht_bootstrap_nodes': '',
})
ses = lt.session(settings)
atp = lt.add_torrent_params()
atp.ti = lt.torrent_info(torrent)
atp.save_path = save
h = ses.add_torrent(atp)
t0 = time.monotonic()
while not (h.status().is_seeding and ses.listen_port() > 0):
    if time.monotonic() - t0 > 120:
        print('error not seeding', flush=True); os._exit(1)
    time.sleep(0.02)
print('ready', ses.listen_port(), flush=True)
sys.stdin.buffer.read()
os._exit(0)
"#;

/// argv: MAGNET SAVE_PATH HOST PORT. Prints `metadata S` and `first_piece S` (seconds since
/// just before add_torrent), then exits.
const LT_LEECHER: &str = r#"
import os, sys, time
import libtorrent as lt
magnet, save, host, port = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
cat = lt.alert.category_t
ses = lt.session({
    'listen_interfaces': '127.0.0.1:0',
    'enable_dht': False, 'enable_lsd': False, 'enable_upnp': False, 'enable_natpmp': False,
    'enable_incoming_utp': False, 'enable_outgoing_utp': False,
    'in_enc_policy': 2, 'out_enc_policy': 2,
    'allow_multiple_connections_per_ip': True, 'dht_bootstrap_nodes': '',
    'alert_mask': cat.status_notification | cat.piece_progress_notification | cat.error_notification,
})
atp = lt.parse_magnet_uri(magnet)
atp.save_path = save
t0 = time.monotonic()
h = ses.add_torrent(atp)
h.connect_peer((host, port))
meta = None
while time.monotonic() - t0 < 60:
    ses.wait_for_alert(100)
    for a in ses.pop_alerts():
        now = time.monotonic() - t0
        if isinstance(a, lt.metadata_received_alert) and meta is None:
            meta = now
            print('metadata', meta, flush=True)
        elif isinstance(a, lt.piece_finished_alert):
            print('first_piece', now, flush=True)
            os._exit(0)
os._exit(1)
"#;

/// A child killed through its own handle when dropped.
struct Guard(Child);

impl Drop for Guard {
    fn drop(&mut self) {
        drop(self.0.stdin.take());
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.0.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn libtorrent_missing() -> bool {
    !Command::new(PYTHON)
        .args(["-c", "import libtorrent"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn write_payload(path: &Path, size: u64) {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut left = size;
    while left > 0 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let n = left.min(8);
        f.write_all(&x.to_le_bytes()[..n as usize]).unwrap();
        left -= n;
    }
    f.flush().unwrap();
}

/// Brooklet's times (metadata, first piece) for one round, from an engine already running.
async fn brooklet_round(magnet: &str, save: &Path) -> (f64, f64) {
    let (engine, mut events) = session::spawn(Config {
        loopback_only: true,
        listen_ip: "127.0.0.1".parse().unwrap(),
        dht: false,
        piece_events: true,
        ..Config::default()
    })
    .await
    .unwrap();
    std::fs::create_dir_all(save).unwrap();
    let started = Instant::now();
    let h: InfoHash = engine
        .add_torrent(AddTorrent::new(
            TorrentSource::Magnet(magnet.to_owned()),
            save,
        ))
        .await
        .unwrap();
    let mut metadata = None;
    let result = tokio::time::timeout(ROUND_TIMEOUT, async {
        loop {
            match events.recv().await {
                Some(Event::MetadataReceived { info_hash, .. }) if info_hash == h => {
                    metadata = Some(started.elapsed().as_secs_f64());
                }
                Some(Event::PieceVerified { info_hash, .. }) if info_hash == h => {
                    return started.elapsed().as_secs_f64();
                }
                Some(_) => {}
                None => panic!("the engine stopped"),
            }
        }
    })
    .await
    .expect("Brooklet: no piece within the round's timeout");
    engine.shutdown().await;
    (metadata.expect("a piece before the metadata"), result)
}

/// libtorrent's times (metadata, first piece) for one round.
fn libtorrent_round(magnet: &str, save: &Path, seeder: SocketAddr) -> (f64, f64) {
    std::fs::create_dir_all(save).unwrap();
    let mut child = Guard(
        Command::new(PYTHON)
            .arg("-c")
            .arg(LT_LEECHER)
            .arg(magnet)
            .arg(save)
            .arg(seeder.ip().to_string())
            .arg(seeder.port().to_string())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("start the libtorrent leecher"),
    );
    let out = BufReader::new(child.0.stdout.take().unwrap());
    let (mut metadata, mut first) = (None, None);
    for line in out.lines().map_while(Result::ok) {
        let mut w = line.split_whitespace();
        let (Some(what), Some(secs)) = (w.next(), w.next().and_then(|s| s.parse::<f64>().ok()))
        else {
            continue;
        };
        match what {
            "metadata" => metadata = Some(secs),
            "first_piece" => first = Some(secs),
            _ => {}
        }
    }
    (
        metadata.expect("libtorrent got no metadata"),
        first.expect("libtorrent got no piece"),
    )
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        eprintln!("magnet: a benchmark; run it with `cargo bench --bench magnet`");
        return;
    }
    if libtorrent_missing() {
        eprintln!("magnet: python3-libtorrent is missing (apt-get install python3-libtorrent)");
        return;
    }
    let size = std::env::var("BROOKLET_BENCH_SIZE")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(DEFAULT_SIZE)
        .max(PIECE);
    let runs: usize = std::env::var("BROOKLET_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(7usize)
        .max(1);
    let tmp = tempfile::Builder::new()
        .prefix("brooklet-bench-magnet-")
        .tempdir()
        .unwrap();
    let seed_dir = tmp.path().join("seed");
    std::fs::create_dir_all(&seed_dir).unwrap();
    let data = seed_dir.join("magnet-bench.bin");
    write_payload(&data, size);
    let mut opts = CreateOptions::new(&data);
    opts.piece_length = Some(PIECE);
    opts.creation_date = CreationDate::Omit;
    let created = create(&opts, &HashProgress::default()).unwrap();
    let torrent = tmp.path().join("bench.torrent");
    std::fs::write(&torrent, &created.bytes).unwrap();
    let info_hash = created.metainfo.info_hash;

    let mut seeder = Guard(
        Command::new(PYTHON)
            .arg("-c")
            .arg(LT_SEEDER)
            .arg(&torrent)
            .arg(&seed_dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("start the libtorrent seeder"),
    );
    let mut line = String::new();
    BufReader::new(seeder.0.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let port: u16 = line
        .strip_prefix("ready ")
        .and_then(|p| p.trim().parse().ok())
        .unwrap_or_else(|| panic!("the seeder said {line:?}"));
    let seeder_addr = SocketAddr::from(([127, 0, 0, 1], port));
    let bare = format!("magnet:?xt=urn:btih:{}", info_hash.to_hex());
    let with_peer = format!("{bare}&x.pe={seeder_addr}");

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    println!(
        "magnet → metadata → first piece, {} MiB in {} KiB pieces, info dictionary {} bytes, {runs} rounds",
        size >> 20,
        PIECE >> 10,
        created.metainfo.info_bytes.len()
    );
    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    for round in 0..runs {
        let b = runtime.block_on(brooklet_round(
            &with_peer,
            &tmp.path().join(format!("brooklet-{round}")),
        ));
        let l = libtorrent_round(
            &bare,
            &tmp.path().join(format!("libtorrent-{round}")),
            seeder_addr,
        );
        println!(
            "round {round}: Brooklet {:.1} / {:.1} ms, libtorrent {:.1} / {:.1} ms",
            b.0 * 1e3,
            b.1 * 1e3,
            l.0 * 1e3,
            l.1 * 1e3
        );
        ours.push(b);
        theirs.push(l);
    }
    let med = |v: &[(f64, f64)], f: fn(&(f64, f64)) -> f64| median(v.iter().map(f).collect());
    let (bm, bp) = (med(&ours, |x| x.0), med(&ours, |x| x.1));
    let (lm, lp) = (med(&theirs, |x| x.0), med(&theirs, |x| x.1));
    println!();
    println!(
        "{:<12} {:>14} {:>16}",
        "median", "metadata (ms)", "first piece (ms)"
    );
    println!("{:<12} {:>14.1} {:>16.1}", "Brooklet", bm * 1e3, bp * 1e3);
    println!("{:<12} {:>14.1} {:>16.1}", "libtorrent", lm * 1e3, lp * 1e3);
    println!(
        "{:<12} {:>14.2} {:>16.2}   (Brooklet ÷ libtorrent; goal ≤ 1.00: {})",
        "ratio",
        bm / lm,
        bp / lp,
        if bm <= lm && bp <= lp {
            "met"
        } else {
            "NOT met"
        }
    );
    drop(seeder);
}
