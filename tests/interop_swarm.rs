//! Brooklet in swarms with the real clients installed from Debian, every process on 127.0.0.1:
//! python3-libtorrent, transmission-cli and aria2c as seeders or leechers, opentracker as the
//! only way peers find each other where the test says so. Downloads must be byte-identical.
//!
//! Every test first checks its tools (skipped with a note when one is missing, a failure under
//! `CI`). Every process a test starts is held in a [`Proc`], which stops it through its own
//! `Child` handle when the test ends, pass or fail; nothing is ever killed by name.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::clients::*;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

// ---------------------------------------------------------------------------------------------
// The tests.

/// A libtorrent seeder that Brooklet finds only through opentracker.
fn brooklet_downloads_from_libtorrent_via_opentracker(udp: bool) {
    if !common::require_tool("opentracker", "opentracker") || !common::require_python_libtorrent() {
        return;
    }
    let started = Instant::now();
    let tmp = tempfile::tempdir().unwrap();
    let seed_dir = tmp.path().join("seed");
    let out_dir = tmp.path().join("out");
    let tracker_port = free_tcp_udp_port();
    let url = if udp {
        format!("udp://127.0.0.1:{tracker_port}")
    } else {
        format!("http://127.0.0.1:{tracker_port}/announce")
    };
    let payload = Payload::single(
        if udp {
            "from-lt-udp.bin"
        } else {
            "from-lt-http.bin"
        },
        32 * MIB + 4321,
        if udp { 12 } else { 11 },
    );
    let src = payload.write(&seed_dir);
    let torrent = tmp.path().join("t.torrent");
    let hash = create_torrent(&src, &torrent, &[url]);

    let mut tracker = Tracker::start(&tmp.path().join("tracker"), tracker_port, &[hash]);
    let mut lt = libtorrent("seed", &torrent, &seed_dir, free_port(), &[]);
    lt.wait_line("`seeding`", START_TIMEOUT, &[&tracker.proc], |l| {
        l.starts_with("seeding")
    });
    tracker.wait_for_seeder(&hash, &[&lt]);

    let mut dl = Proc::start(
        "brooklet download",
        brooklet_cmd()
            .arg("download")
            .arg(&torrent)
            .arg("-o")
            .arg(&out_dir),
    );
    expect_exit_0(&mut dl, &[&lt, &tracker.proc]);
    payload.assert_downloaded(&out_dir, "brooklet from libtorrent", &[&dl, &lt]);
    report(
        if udp {
            "brooklet_downloads_from_libtorrent_via_opentracker_udp"
        } else {
            "brooklet_downloads_from_libtorrent_via_opentracker_http"
        },
        started,
        payload.total(),
        &[&dl, &lt, &tracker.proc],
    );
}

/// A magnet link with nothing but the info-hash: the metadata must come from the peer.
#[test]
fn brooklet_downloads_a_magnet_from_libtorrent() {
    let _one_at_a_time = serial();
    if !common::require_python_libtorrent() {
        return;
    }
    let started = Instant::now();
    let tmp = tempfile::tempdir().unwrap();
    let seed_dir = tmp.path().join("seed");
    let out_dir = tmp.path().join("out");
    let payload = Payload::folder(
        "magnet-from-libtorrent",
        &[("a.bin", 9 * MIB + 5), ("b/c.bin", 2 * MIB + 77)],
        51,
    );
    let src = payload.write(&seed_dir);
    let torrent = tmp.path().join("t.torrent");
    let hash = create_torrent(&src, &torrent, &[]);
    let port = free_port();
    let mut lt = libtorrent("seed", &torrent, &seed_dir, port, &[]);
    let line = lt.wait_line("`seeding`", START_TIMEOUT, &[], |l| {
        l.starts_with("seeding")
    });
    let port: u16 = line["seeding ".len()..].trim().parse().unwrap_or(port);
    let magnet = format!(
        "magnet:?xt=urn:btih:{}&x.pe=127.0.0.1:{port}",
        common::hex(&hash)
    );
    let mut dl = Proc::start(
        "brooklet download (magnet)",
        brooklet_cmd()
            .arg("download")
            .arg(&magnet)
            .arg("-o")
            .arg(&out_dir),
    );
    expect_exit_0(&mut dl, &[&lt]);
    payload.assert_downloaded(&out_dir, "brooklet magnet from libtorrent", &[&dl, &lt]);
    report(
        "brooklet_downloads_a_magnet_from_libtorrent",
        started,
        payload.total(),
        &[&dl, &lt],
    );
}

/// libtorrent gets the metadata of a magnet link from a Brooklet seeder (we serve ut_metadata).
#[test]
fn libtorrent_downloads_a_magnet_from_brooklet() {
    let _one_at_a_time = serial();
    if !common::require_python_libtorrent() {
        return;
    }
    let started = Instant::now();
    let tmp = tempfile::tempdir().unwrap();
    let seed_dir = tmp.path().join("seed");
    let out_dir = tmp.path().join("out");
    let payload = Payload::folder(
        "magnet-to-libtorrent",
        &[("x.bin", 6 * MIB + 3), ("y/z.bin", MIB + 1)],
        52,
    );
    let src = payload.write(&seed_dir);
    let torrent = tmp.path().join("t.torrent");
    let hash = create_torrent(&src, &torrent, &[]);
    let (mut seed, port) = brooklet_seed(&torrent, &seed_dir, &[]);
    std::fs::create_dir_all(&out_dir).unwrap();
    let magnet = format!("magnet:?xt=urn:btih:{}", common::hex(&hash));
    let mut lt = libtorrent(
        "leech",
        Path::new(&magnet),
        &out_dir,
        free_port(),
        &[format!("127.0.0.1:{port}")],
    );
    lt.wait_line("`done`", DOWNLOAD_TIMEOUT, &[&seed], |l| l == "done");
    expect_exit_0(&mut lt, &[&seed]);
    payload.assert_downloaded(&out_dir, "libtorrent magnet from brooklet", &[&lt, &seed]);
    expect_graceful_stop(&mut seed, &[&lt]);
    report(
        "libtorrent_downloads_a_magnet_from_brooklet",
        started,
        payload.total(),
        &[&lt, &seed],
    );
}

#[test]
fn brooklet_downloads_from_libtorrent_via_opentracker_http() {
    let _one_at_a_time = serial();
    brooklet_downloads_from_libtorrent_via_opentracker(false);
}

#[test]
fn brooklet_downloads_from_libtorrent_via_opentracker_udp() {
    let _one_at_a_time = serial();
    brooklet_downloads_from_libtorrent_via_opentracker(true);
}

/// transmission-cli seeds (it announces to opentracker); Brooklet finds it there.
#[test]
fn brooklet_downloads_from_transmission_seeder() {
    let _one_at_a_time = serial();
    if !common::require_tool("transmission-cli", "transmission-cli")
        || !common::require_tool("opentracker", "opentracker")
    {
        return;
    }
    let started = Instant::now();
    let tmp = tempfile::tempdir().unwrap();
    let seed_dir = tmp.path().join("seed");
    let out_dir = tmp.path().join("out");
    let config_dir = tmp.path().join("transmission");
    let tracker_port = free_tcp_udp_port();
    let payload = Payload::single("from-transmission.bin", 16 * MIB + 77, 21);
    let src = payload.write(&seed_dir);
    let torrent = tmp.path().join("t.torrent");
    let hash = create_torrent(
        &src,
        &torrent,
        &[format!("http://127.0.0.1:{tracker_port}/announce")],
    );
    let mut tracker = Tracker::start(&tmp.path().join("tracker"), tracker_port, &[hash]);

    let (tr, _) = transmission_seeder(&config_dir, &seed_dir, &torrent);
    // It has no readiness signal; it announces to the tracker once its check is done.
    tracker.wait_for_seeder(&hash, &[&tr]);

    let mut dl = Proc::start(
        "brooklet download",
        brooklet_cmd()
            .arg("download")
            .arg(&torrent)
            .arg("-o")
            .arg(&out_dir),
    );
    expect_exit_0(&mut dl, &[&tr, &tracker.proc]);
    payload.assert_downloaded(&out_dir, "brooklet from transmission", &[&dl, &tr]);
    report(
        "brooklet_downloads_from_transmission_seeder",
        started,
        payload.total(),
        &[&dl, &tr, &tracker.proc],
    );
}

/// `brooklet seed` announces to opentracker, where aria2c finds it and downloads.
#[test]
fn aria2_downloads_from_brooklet_seeder() {
    let _one_at_a_time = serial();
    if !common::require_tool("aria2c", "aria2")
        || !common::require_tool("opentracker", "opentracker")
    {
        return;
    }
    let started = Instant::now();
    let tmp = tempfile::tempdir().unwrap();
    let seed_dir = tmp.path().join("seed");
    let out_dir = tmp.path().join("out");
    let tracker_port = free_tcp_udp_port();
    let payload = Payload::single("to-aria2.bin", 32 * MIB + 999, 31);
    let src = payload.write(&seed_dir);
    let torrent = tmp.path().join("t.torrent");
    let hash = create_torrent(
        &src,
        &torrent,
        &[format!("http://127.0.0.1:{tracker_port}/announce")],
    );
    let mut tracker = Tracker::start(&tmp.path().join("tracker"), tracker_port, &[hash]);
    let (mut seed, _port) = brooklet_seed(&torrent, &seed_dir, &[&tracker.proc]);
    tracker.wait_for_seeder(&hash, &[&seed]);

    let mut aria = Proc::start(
        "aria2c",
        Command::new("aria2c")
            .args([
                "--enable-dht=false",
                "--enable-dht6=false",
                "--bt-enable-lpd=false",
                "--enable-peer-exchange=false",
                "--bt-require-crypto=false",
                "--seed-time=0",
                "--disable-ipv6=true",
                "--file-allocation=none",
                "--summary-interval=0",
                "--console-log-level=notice",
                "--no-conf=true",
            ])
            .arg(format!("--listen-port={}", free_port()))
            .arg("--dir")
            .arg(&out_dir)
            .arg(&torrent),
    );
    expect_exit_0(&mut aria, &[&seed, &tracker.proc]);
    payload.assert_downloaded(&out_dir, "aria2c from brooklet", &[&aria, &seed]);
    expect_graceful_stop(&mut seed, &[&aria]);
    report(
        "aria2_downloads_from_brooklet_seeder",
        started,
        payload.total(),
        &[&aria, &seed, &tracker.proc],
    );
}

/// `brooklet seed`; a libtorrent leecher told the seeder's address downloads a folder.
#[test]
fn libtorrent_downloads_from_brooklet_seeder() {
    let _one_at_a_time = serial();
    if !common::require_python_libtorrent() {
        return;
    }
    let started = Instant::now();
    let tmp = tempfile::tempdir().unwrap();
    let seed_dir = tmp.path().join("seed");
    let out_dir = tmp.path().join("out");
    let payload = Payload::folder(
        "to-libtorrent",
        &[
            ("big.bin", 20 * MIB + 12345),
            ("sub/middle.bin", 7 * MIB + 1),
            ("sub/deeper/small.bin", 3 * MIB - 17),
            ("tiny.txt", 10),
        ],
        41,
    );
    let src = payload.write(&seed_dir);
    let torrent = tmp.path().join("t.torrent");
    create_torrent(&src, &torrent, &[]);
    let (mut seed, port) = brooklet_seed(&torrent, &seed_dir, &[]);

    std::fs::create_dir_all(&out_dir).unwrap();
    let mut lt = libtorrent(
        "leech",
        &torrent,
        &out_dir,
        free_port(),
        &[format!("127.0.0.1:{port}")],
    );
    let leech_started = Instant::now();
    lt.wait_line("`done`", DOWNLOAD_TIMEOUT, &[&seed], |l| l == "done");
    eprintln!(
        "libtorrent had everything {:.2} s after it started",
        leech_started.elapsed().as_secs_f64()
    );
    expect_exit_0(&mut lt, &[&seed]);
    payload.assert_downloaded(&out_dir, "libtorrent from brooklet", &[&lt, &seed]);
    expect_graceful_stop(&mut seed, &[&lt]);
    report(
        "libtorrent_downloads_from_brooklet_seeder",
        started,
        payload.total(),
        &[&lt, &seed],
    );
}

/// Two Brooklets that know nothing of each other but the tracker in the torrent.
#[test]
fn brooklet_seeds_to_brooklet_through_opentracker() {
    let _one_at_a_time = serial();
    if !common::require_tool("opentracker", "opentracker") {
        return;
    }
    let started = Instant::now();
    let tmp = tempfile::tempdir().unwrap();
    let seed_dir = tmp.path().join("seed");
    let out_dir = tmp.path().join("out");
    let tracker_port = free_tcp_udp_port();
    let payload = Payload::single("brooklet-to-brooklet.bin", 48 * MIB + 3, 51);
    let src = payload.write(&seed_dir);
    let torrent = tmp.path().join("t.torrent");
    let hash = create_torrent(
        &src,
        &torrent,
        &[format!("http://127.0.0.1:{tracker_port}/announce")],
    );
    let mut tracker = Tracker::start(&tmp.path().join("tracker"), tracker_port, &[hash]);
    let (mut seed, _port) = brooklet_seed(&torrent, &seed_dir, &[&tracker.proc]);
    tracker.wait_for_seeder(&hash, &[&seed]);

    let mut dl = Proc::start(
        "brooklet download",
        brooklet_cmd()
            .arg("download")
            .arg(&torrent)
            .arg("-o")
            .arg(&out_dir),
    );
    listening_port(&mut dl, &[&seed]);
    expect_exit_0(&mut dl, &[&seed, &tracker.proc]);
    payload.assert_downloaded(&out_dir, "brooklet from brooklet", &[&dl, &seed]);
    expect_graceful_stop(&mut seed, &[&dl]);
    // The seeder said `stopped` on its way out.
    let deadline = Instant::now() + Duration::from_secs(5);
    while tracker.scrape(&hash).is_some_and(|(c, _)| c > 0) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(
        tracker.scrape(&hash).map(|(c, _)| c),
        Some(0),
        "the seeder is still listed after it stopped\n{}",
        seed.logs()
    );
    report(
        "brooklet_seeds_to_brooklet_through_opentracker",
        started,
        payload.total(),
        &[&dl, &seed, &tracker.proc],
    );
}

// ---------------------------------------------------------------------------------------------
// The message orders of the real clients, replayed by a raw peer (no outside client needed).

/// libtorrent 2.0.8 as a seeder sends, after the handshake: extension handshake, HAVE_ALL,
/// UNCHOKE. aria2c 1.36 as a leecher: extension handshake, HAVE_NONE, INTERESTED, ten
/// ALLOWED_FAST, and — once unchoked — a BITFIELD too (both measured on this machine).
/// Transmission 3.00 as a seeder also sends a message (its extension handshake) before its
/// HAVE_ALL. The BEP 10 extension handshake thus comes *before* the bitfield or HAVE_ALL/NONE.
const EXT_HANDSHAKE: &[u8] =
    b"d1:md11:lt_donthavei7e6:ut_pexi1ee1:pi6881e4:reqqi500e1:v12:libtorrent/2e";

/// Starts `brooklet seed` on 1 MiB, connects as a raw leecher (fast + extension bits), sends
/// `before` (then INTERESTED), waits for UNCHOKE, sends `after_unchoke`, requests the first block
/// and checks it. Panics with the seeder's log when it drops the connection instead.
fn raw_leecher_is_served(
    what: &str,
    before: impl Fn(usize) -> Vec<u8>,
    after_unchoke: impl Fn(usize) -> Vec<u8>,
) {
    let tmp = tempfile::tempdir().unwrap();
    let seed_dir = tmp.path().join("seed");
    let payload = Payload::single("order.bin", MIB + 5, 61);
    let src = payload.write(&seed_dir);
    let torrent = tmp.path().join("t.torrent");
    let hash = create_torrent(&src, &torrent, &[]);
    let pieces = piece_count(&torrent);
    let (mut seed, port) = brooklet_seed(&torrent, &seed_dir, &[]);

    let addr = std::net::SocketAddr::from(([127, 0, 0, 1], port));
    let mut s = TcpStream::connect_timeout(&addr, Duration::from_secs(5)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let mut reserved = [0u8; 8];
    reserved[5] |= 0x10; // BEP 10 extension protocol
    reserved[7] |= 0x04; // BEP 6 fast extension
    let mut hs = vec![19];
    hs.extend_from_slice(b"BitTorrent protocol");
    hs.extend_from_slice(&reserved);
    hs.extend_from_slice(&hash);
    hs.extend_from_slice(b"-XX0000-orderorder00");
    s.write_all(&hs).unwrap();
    let mut theirs = [0u8; 68];
    s.read_exact(&mut theirs)
        .unwrap_or_else(|e| panic!("no handshake from brooklet: {e}\n{}", seed.logs()));
    assert_eq!(&theirs[28..48], &hash[..], "handshake for another torrent");

    let mut msgs = before(pieces);
    push_message(&mut msgs, 2, &[]); // INTERESTED
    s.write_all(&msgs).unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        assert!(
            Instant::now() < deadline,
            "{what}: brooklet never unchoked\n{}",
            seed.logs()
        );
        match read_message(&mut s) {
            Ok(Some((1, _))) => break,
            Ok(_) => {}
            Err(e) => panic!(
                "{what}: brooklet closed the connection before unchoking: {e}\n{}",
                seed.logs()
            ),
        }
    }
    let mut msgs = after_unchoke(pieces);
    let (index, begin, len) = (0u32, 0u32, 16384u32);
    push_message(
        &mut msgs,
        6,
        &[
            &index.to_be_bytes(),
            &begin.to_be_bytes(),
            &len.to_be_bytes(),
        ],
    );
    s.write_all(&msgs).unwrap();
    loop {
        assert!(
            Instant::now() < deadline,
            "{what}: brooklet never sent the block\n{}",
            seed.logs()
        );
        match read_message(&mut s) {
            Ok(Some((7, body))) => {
                assert_eq!(&body[..8], &[0u8; 8][..], "{what}: wrong block");
                assert_eq!(
                    &body[8..],
                    &payload.files[0].1[..16384],
                    "{what}: wrong data"
                );
                break;
            }
            Ok(_) => {}
            Err(e) => panic!(
                "{what}: brooklet closed the connection instead of sending the block: {e}\n{}",
                seed.logs()
            ),
        }
    }
    drop(s);
    expect_graceful_stop(&mut seed, &[]);
}

/// The order libtorrent, aria2 and Transmission use: extension handshake, then HAVE_NONE.
#[test]
fn brooklet_seed_accepts_have_none_after_the_extension_handshake() {
    let _one_at_a_time = serial();
    raw_leecher_is_served(
        "extension handshake, HAVE_NONE",
        |_| {
            let mut m = Vec::new();
            push_message(&mut m, 20, &[&[0], EXT_HANDSHAKE]);
            push_message(&mut m, 15, &[]); // HAVE_NONE
            m
        },
        |_| Vec::new(),
    );
}

/// aria2c 1.36 follows its HAVE_NONE with a BITFIELD (all zero here) once it is unchoked.
#[test]
fn brooklet_seed_accepts_aria2s_bitfield_after_have_none() {
    let _one_at_a_time = serial();
    raw_leecher_is_served(
        "HAVE_NONE, then BITFIELD",
        |_| {
            let mut m = Vec::new();
            push_message(&mut m, 15, &[]); // HAVE_NONE
            m
        },
        |pieces| {
            let mut m = Vec::new();
            push_message(&mut m, 5, &[&vec![0u8; pieces.div_ceil(8)]]); // BITFIELD
            m
        },
    );
}

/// The piece count of a torrent, from `brooklet info --json`.
fn piece_count(torrent: &Path) -> usize {
    let out = common::run_with_timeout(
        common::brooklet().arg("info").arg(torrent).arg("--json"),
        30,
    );
    let json = common::expect_success(&out, "brooklet info --json");
    let key = "\"piece_count\":";
    let at = json.find(key).expect("piece_count in the JSON") + key.len();
    json[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .expect("a piece count")
}

/// Appends a length-prefixed peer message `id` with the concatenation of `parts`.
fn push_message(out: &mut Vec<u8>, id: u8, parts: &[&[u8]]) {
    let len: usize = 1 + parts.iter().map(|p| p.len()).sum::<usize>();
    out.extend_from_slice(&u32::try_from(len).unwrap().to_be_bytes());
    out.push(id);
    for p in parts {
        out.extend_from_slice(p);
    }
}

/// Reads one peer message: `None` for a keep-alive, else its id and payload.
fn read_message(s: &mut TcpStream) -> std::io::Result<Option<(u8, Vec<u8>)>> {
    let mut len = [0u8; 4];
    s.read_exact(&mut len)?;
    let len = u32::from_be_bytes(len) as usize;
    if len == 0 {
        return Ok(None);
    }
    assert!(len <= 1 << 20, "absurd message length {len}");
    let mut body = vec![0u8; len];
    s.read_exact(&mut body)?;
    let id = body.remove(0);
    Ok(Some((id, body)))
}

/// A queued torrent does not announce, so it asks its tracker for the swarm's counts instead
/// (scrape): a Brooklet seeder announced to opentracker shows as one seeder in the queued
/// torrent's stats and in its tracker's details, while it connects to nobody.
#[test]
fn a_queued_torrent_learns_the_swarm_counts_from_a_scrape() {
    let _one_at_a_time = serial();
    if !common::require_tool("opentracker", "opentracker") {
        return;
    }
    use brooklet::engine::api::{Event, QueueLimits, TorrentState};
    use brooklet::engine::session::{self, Command, Config};
    let tmp = tempfile::tempdir().unwrap();
    let seed_dir = tmp.path().join("seed");
    let tracker_port = free_tcp_udp_port();
    let url = format!("http://127.0.0.1:{tracker_port}/announce");
    let payload = Payload::single("queued.bin", 2 * MIB, 21);
    let src = payload.write(&seed_dir);
    let torrent = tmp.path().join("t.torrent");
    let hash = create_torrent(&src, &torrent, std::slice::from_ref(&url));
    let mut tracker = Tracker::start(&tmp.path().join("tracker"), tracker_port, &[hash]);
    let (mut seed, _port) = brooklet_seed(&torrent, &seed_dir, &[&tracker.proc]);
    tracker.wait_for_seeder(&hash, &[&seed]);

    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let (engine, mut events) = session::spawn(Config {
            queue: QueueLimits {
                downloads: Some(0),
                ..QueueLimits::OFF
            },
            scrape_interval: Duration::from_secs(1),
            ..common::engine::config()
        })
        .await
        .unwrap();
        let bytes = std::fs::read(&torrent).unwrap();
        let h = common::engine::add(&engine, &bytes, &tmp.path().join("out"), vec![]).await;
        engine.send(Command::Watch(Some(h))).unwrap();
        // The torrent's stats and its tracker's row in the details both get the counts.
        let mut stats = None;
        let mut row = false;
        let deadline = tokio::time::Instant::now() + common::engine::TIMEOUT;
        while stats.is_none() || !row {
            let ev = tokio::time::timeout_at(deadline, events.recv())
                .await
                .unwrap_or_else(|_| panic!("no counts (stats: {stats:?}, row: {row})"))
                .expect("engine stopped");
            let Event::Snapshot(s) = ev else { continue };
            if let Some(t) = s.torrents.iter().find(|t| t.info_hash == h)
                && t.swarm_seeds == Some(1)
            {
                stats = Some(t.clone());
            }
            if let Some(d) = &s.details
                && d.trackers
                    .iter()
                    .any(|r| r.url == url && r.seeders == Some(1))
            {
                row = true;
            }
        }
        let t = stats.unwrap();
        assert_eq!(t.state, TorrentState::Queued);
        assert_eq!(t.swarm_leechers, Some(0));
        assert_eq!(t.peers, 0, "a queued torrent connected to a peer");
        engine.shutdown().await;
    });
    expect_graceful_stop(&mut seed, &[&tracker.proc]);
}
