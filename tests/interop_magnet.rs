//! Magnet links against the real clients, every process on 127.0.0.1: a bare info-hash that
//! Brooklet resolves through the DHT alone, with python3-libtorrent as the only other DHT node
//! and seeder; and metadata fetched over BEP 9 from a transmission-cli seeder given by `x.pe`.
//! Downloads must be byte-identical.
//!
//! Each test checks its tools first (skipped with a note when one is missing, a failure under
//! `CI`). Every process is held in a [`Proc`], stopped through its own handle when the test ends.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::clients::*;
use std::time::{Duration, Instant};

/// A libtorrent seeder whose only way to be found is the DHT. argv: TORRENT SAVE_PATH NODE_PORT.
/// Its DHT is bootstrapped to our node only (set in the session constructor, so it never looks
/// up the public routers), with the loopback exemptions every node on 127.0.0.1 needs. It
/// re-announces every two seconds: its first announce, made with an empty routing table, is lost
/// (see shared/INTEROP.md). Prints `seeding PORT` once its check is done.
const LIBTORRENT_DHT_SEEDER: &str = r#"
import os, sys, threading, time
import libtorrent as lt

torrent, save, node_port = sys.argv[1], sys.argv[2], int(sys.argv[3])

def watch_stdin():
    sys.stdin.buffer.read()
    os._exit(3)
threading.Thread(target=watch_stdin, daemon=True).start()

cat = lt.alert.category_t
settings = lt.high_performance_seed()
settings.update({
    'listen_interfaces': '127.0.0.1:0',
    'enable_dht': True, 'enable_lsd': False, 'enable_upnp': False, 'enable_natpmp': False,
    'enable_incoming_utp': False, 'enable_outgoing_utp': False,
    'in_enc_policy': 2, 'out_enc_policy': 2,
    'allow_multiple_connections_per_ip': True,
    'dht_bootstrap_nodes': '127.0.0.1:%d' % node_port,
    'dht_restrict_routing_ips': False, 'dht_restrict_search_ips': False,
    'dht_enforce_node_id': False, 'dht_prefer_verified_node_ids': False,
    'dht_ignore_dark_internet': False, 'dht_block_ratelimit': 100000,
    'alert_mask': cat.error_notification | cat.dht_notification | cat.status_notification,
})
ses = lt.session(settings)
ses.add_dht_node(('127.0.0.1', node_port))
atp = lt.add_torrent_params()
atp.ti = lt.torrent_info(torrent)
atp.save_path = save
h = ses.add_torrent(atp)
said = False
while True:
    for a in ses.pop_alerts():
        print('alert', type(a).__name__, a.message(), file=sys.stderr, flush=True)
    s = h.status()
    if s.is_seeding:
        if not said:
            said = True
            print('seeding', ses.listen_port(), flush=True)
        h.force_dht_announce()
    time.sleep(2)
"#;

/// Waits until `p` logs the UDP port of its DHT node (`dht: listening on 127.0.0.1:PORT`).
fn dht_port(p: &mut Proc) -> u16 {
    let deadline = Instant::now() + START_TIMEOUT;
    loop {
        if let Some(line) = p.stderr_line(|l| l.contains("dht: listening on ")) {
            let addr = line.rsplit("listening on ").next().unwrap_or_default();
            let port = addr.split(',').next().unwrap_or_default();
            return port
                .rsplit(':')
                .next()
                .and_then(|x| x.trim().parse().ok())
                .unwrap_or_else(|| panic!("bad DHT line {line:?}"));
        }
        assert!(
            Instant::now() < deadline && p.exited().is_none(),
            "brooklet never started its DHT node\n{}",
            p.logs()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// `magnet:?xt=urn:btih:HASH` and nothing else: no tracker, no peer address. Brooklet's DHT
/// node is the libtorrent seeder's only bootstrap node; the seeder announces to it, and the
/// download finds the seeder, fetches the metadata over BEP 9 and downloads the data.
#[test]
fn brooklet_downloads_a_bare_magnet_from_libtorrent_through_the_dht_alone() {
    let _one_at_a_time = serial();
    if !common::require_python_libtorrent() {
        return;
    }
    let started = Instant::now();
    let tmp = tempfile::tempdir().unwrap();
    let seed_dir = tmp.path().join("seed");
    let out_dir = tmp.path().join("out");
    let payload = Payload::folder(
        "dht-from-libtorrent",
        &[("a.bin", 5 * MIB + 7), ("sub/b.bin", 700 * 1024 + 3)],
        71,
    );
    let src = payload.write(&seed_dir);
    let torrent = tmp.path().join("t.torrent");
    let hash = create_torrent(&src, &torrent, &[]);
    let magnet = format!("magnet:?xt=urn:btih:{}", common::hex(&hash));

    // Our node first: libtorrent never resends a lost first packet to its bootstrap node.
    let mut dl = Proc::start(
        "brooklet download (bare magnet)",
        brooklet_cmd()
            .env("BROOKLET_LOG", "info")
            .arg("download")
            .arg(&magnet)
            .arg("-o")
            .arg(&out_dir),
    );
    let node_port = dht_port(&mut dl);
    let mut lt = Proc::start(
        "libtorrent DHT seeder",
        common::program(common::SYSTEM_PYTHON)
            .arg("-c")
            .arg(LIBTORRENT_DHT_SEEDER)
            .arg(&torrent)
            .arg(&seed_dir)
            .arg(node_port.to_string()),
    );
    lt.wait_line("`seeding`", START_TIMEOUT, &[&dl], |l| {
        l.starts_with("seeding")
    });
    expect_exit_0(&mut dl, &[&lt]);
    payload.assert_downloaded(&out_dir, "brooklet bare magnet via DHT", &[&dl, &lt]);
    report(
        "brooklet_downloads_a_bare_magnet_from_libtorrent_through_the_dht_alone",
        started,
        payload.total(),
        &[&dl, &lt],
    );
}

/// transmission-cli seeds with DHT and PEX off; Brooklet knows it only from the magnet's `x.pe`
/// and gets the metadata (larger than one 16 KiB BEP 9 piece) and then the data from it.
#[test]
fn brooklet_fetches_metadata_and_data_from_transmission_via_x_pe() {
    let _one_at_a_time = serial();
    if !common::require_tool("transmission-cli", "transmission-cli") {
        return;
    }
    let started = Instant::now();
    let tmp = tempfile::tempdir().unwrap();
    let seed_dir = tmp.path().join("seed");
    let out_dir = tmp.path().join("out");
    // 40 MiB in 16 KiB pieces: 2,560 piece hashes make the info dictionary ~51 KiB, four
    // ut_metadata pieces.
    let payload = Payload::single("metadata-from-transmission.bin", 40 * MIB + 11, 72);
    let src = payload.write(&seed_dir);
    let torrent = tmp.path().join("t.torrent");
    let hash = create_torrent_with(&src, &torrent, &["--piece-length", "16384"]);
    let (tr, tr_port) = transmission_seeder(&tmp.path().join("transmission"), &seed_dir, &torrent);
    let magnet = format!(
        "magnet:?xt=urn:btih:{}&x.pe=127.0.0.1:{tr_port}",
        common::hex(&hash)
    );
    let mut dl = Proc::start(
        "brooklet download (magnet, x.pe)",
        brooklet_cmd()
            .env("BROOKLET_DHT", "0")
            .arg("download")
            .arg(&magnet)
            .arg("-o")
            .arg(&out_dir),
    );
    expect_exit_0(&mut dl, &[&tr]);
    payload.assert_downloaded(&out_dir, "brooklet magnet from transmission", &[&dl, &tr]);
    report(
        "brooklet_fetches_metadata_and_data_from_transmission_via_x_pe",
        started,
        payload.total(),
        &[&dl, &tr],
    );
}

/// A magnet link whose only peer source is its `tr`: `brooklet seed` announces to opentracker,
/// and `brooklet download MAGNET` (DHT off) finds it there, gets the metadata and the data.
#[test]
fn brooklet_downloads_a_magnet_found_through_its_tracker() {
    let _one_at_a_time = serial();
    if !common::require_tool("opentracker", "opentracker") {
        return;
    }
    let started = Instant::now();
    let tmp = tempfile::tempdir().unwrap();
    let seed_dir = tmp.path().join("seed");
    let out_dir = tmp.path().join("out");
    let tracker_port = free_tcp_udp_port();
    let announce = format!("http://127.0.0.1:{tracker_port}/announce");
    let payload = Payload::single("magnet-via-tracker.bin", 6 * MIB + 5, 73);
    let src = payload.write(&seed_dir);
    let torrent = tmp.path().join("t.torrent");
    let hash = create_torrent(&src, &torrent, std::slice::from_ref(&announce));
    let mut tracker = Tracker::start(&tmp.path().join("tracker"), tracker_port, &[hash]);
    let (seed, _port) = brooklet_seed(&torrent, &seed_dir, &[&tracker.proc]);
    tracker.wait_for_seeder(&hash, &[&seed]);
    let tr: String = announce
        .bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'.' | b'-' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    let magnet = format!("magnet:?xt=urn:btih:{}&tr={tr}", common::hex(&hash));
    let mut dl = Proc::start(
        "brooklet download (magnet, tr)",
        brooklet_cmd()
            .arg("download")
            .arg(&magnet)
            .arg("-o")
            .arg(&out_dir)
            .arg("--no-dht"),
    );
    expect_exit_0(&mut dl, &[&seed, &tracker.proc]);
    payload.assert_downloaded(&out_dir, "brooklet magnet via tracker", &[&dl, &seed]);
    report(
        "brooklet_downloads_a_magnet_found_through_its_tracker",
        started,
        payload.total(),
        &[&dl, &seed, &tracker.proc],
    );
}
