#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `cargo bench --bench startup`: how fast a session of many torrents comes back after a
//! restart, Brooklet against python3-libtorrent in the same run.
//!
//! `BROOKLET_BENCH_TORRENTS` torrents (default 1000), each one small file that is complete on
//! disk, are added once to each client, which then saves its state (Brooklet: the session list,
//! the `.torrent` copies and resume data; libtorrent: `write_resume_data_buf` per torrent). The
//! measured part is the restart, `BROOKLET_BENCH_RUNS` times (default 3):
//! - Brooklet: `session::spawn` with that state folder (as the app starts) until a snapshot
//!   shows every torrent seeding; also the time to the first snapshot with any torrent (what
//!   the window shows first);
//! - libtorrent: a fresh session in a child process, every resume file read and added with
//!   `async_add_torrent`, until every handle reports seeding; timed inside the child from just
//!   before the first add (its interpreter start is not counted).
//!
//! Neither side may hash the data: both trust their resume data. It prints the medians and
//! Brooklet's as a ratio to libtorrent's (goal: ≤ 1.00). Nothing leaves 127.0.0.1; the child is
//! stopped through its own handle. `cargo test --benches` runs it without `--bench`, and then it
//! returns at once.

use brooklet::engine::api::{AddTorrent, Event, TorrentSource, TorrentState};
use brooklet::engine::create::{CreateOptions, CreationDate, create};
use brooklet::engine::session::{self, Config};
use brooklet::engine::storage::check::HashProgress;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const PYTHON: &str = "/usr/bin/python3";
const FILE_SIZE: usize = 48 * 1024;
const TIMEOUT: Duration = Duration::from_secs(300);

/// argv: MODE DIR N. `save`: adds DIR/t/N.torrent (data in DIR/data) in seed mode and writes
/// DIR/lt/N.resume; `load`: restarts from those files and prints `seeding SECONDS`.
const LT_SCRIPT: &str = r#"
import os, sys, time
import libtorrent as lt
mode, root, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
settings = {
    'listen_interfaces': '127.0.0.1:0',
    'enable_dht': False, 'enable_lsd': False, 'enable_upnp': False, 'enable_natpmp': False,
    'dht_bootstrap_nodes': '', 'alert_mask': lt.alert.category_t.status_notification,
    'active_limit': -1, 'active_seeds': -1, 'active_downloads': -1, 'active_checking': -1,
    # One alert per torrent (added, resume data saved) must not overflow the queue.
    'alert_queue_size': 2 * n + 1000,
}
ses = lt.session(settings)
resume_dir = os.path.join(root, 'lt')
os.makedirs(resume_dir, exist_ok=True)
def wait_seeding(handles, t0):
    while True:
        # One call for the whole session, not one round trip per torrent.
        if not ses.get_torrent_status(lambda s: not s.is_seeding, 0):
            return
        if time.monotonic() - t0 > 300:
            print('error not seeding', flush=True); os._exit(1)
        time.sleep(0.005)
if mode == 'save':
    handles = []
    for i in range(n):
        atp = lt.add_torrent_params()
        atp.ti = lt.torrent_info(os.path.join(root, 't', '%d.torrent' % i))
        atp.save_path = os.path.join(root, 'data')
        atp.flags |= lt.torrent_flags.seed_mode
        handles.append(ses.add_torrent(atp))
    wait_seeding(handles, time.monotonic())
    for h in handles:
        h.save_resume_data(lt.save_resume_flags_t.save_info_dict)
    saved = 0
    while saved < n:
        ses.wait_for_alert(1000)
        for a in ses.pop_alerts():
            if isinstance(a, lt.save_resume_data_alert):
                name = str(a.params.info_hashes.v1) + '.resume'
                with open(os.path.join(resume_dir, name), 'wb') as f:
                    f.write(lt.write_resume_data_buf(a.params))
                saved += 1
    print('saved', flush=True)
else:
    blobs = []
    for name in os.listdir(resume_dir):
        with open(os.path.join(resume_dir, name), 'rb') as f:
            blobs.append(f.read())
    t0 = time.monotonic()
    for b in blobs:
        ses.async_add_torrent(lt.read_resume_data(b))
    handles = []
    while len(handles) < n:
        if time.monotonic() - t0 > 300:
            print('error not added', flush=True); os._exit(1)
        ses.wait_for_alert(100)
        for a in ses.pop_alerts():
            if isinstance(a, lt.add_torrent_alert):
                handles.append(a.handle)
    wait_seeding(handles, t0)
    print('seeding %.6f' % (time.monotonic() - t0), flush=True)
"#;

fn libtorrent_missing() -> bool {
    !Command::new(PYTHON)
        .args(["-c", "import libtorrent"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
        .max(1)
}

/// Runs the libtorrent script; its last line of output.
fn libtorrent(mode: &str, root: &Path, n: usize) -> String {
    let mut child = Command::new(PYTHON)
        .args(["-c", LT_SCRIPT, mode])
        .arg(root)
        .arg(n.to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start python3");
    let deadline = Instant::now() + TIMEOUT;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let mut out = String::new();
            std::io::Read::read_to_string(&mut child.stdout.take().unwrap(), &mut out).unwrap();
            assert!(status.success(), "libtorrent {mode} failed: {out}");
            return out.lines().last().unwrap_or_default().to_owned();
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("libtorrent {mode} timed out");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn config(state: &Path) -> Config {
    Config {
        listen_ip: "127.0.0.1".parse().unwrap(),
        loopback_only: true,
        dht: false,
        state_dir: Some(state.to_path_buf()),
        ..Config::default()
    }
}

/// Adds every torrent (trusting the data, as after creating them) and shuts down, leaving the
/// session list, the torrent copies and resume data in `state`.
fn brooklet_prepare(rt: &tokio::runtime::Runtime, state: &Path, torrents: &[PathBuf], data: &Path) {
    rt.block_on(async {
        let (engine, mut events) = session::spawn(config(state)).await.unwrap();
        for t in torrents {
            let mut add = AddTorrent::new(TorrentSource::Path(t.clone()), data);
            add.skip_check = true;
            engine.add_torrent(add).await.unwrap();
        }
        wait_all_seeding(&mut events, torrents.len()).await;
        engine.shutdown().await;
    });
}

/// Waits until a snapshot shows `n` torrents, all seeding; the time the first snapshot with
/// any torrent arrived.
async fn wait_all_seeding(events: &mut session::EventReceiver, n: usize) -> Option<Instant> {
    let mut first = None;
    let deadline = tokio::time::Instant::now() + TIMEOUT;
    loop {
        let event = tokio::time::timeout_at(deadline, events.recv())
            .await
            .expect("timed out waiting for every torrent to seed")
            .expect("engine stopped");
        if let Event::Snapshot(s) = event {
            if first.is_none() && !s.torrents.is_empty() {
                first = Some(Instant::now());
            }
            if s.torrents.len() == n && s.torrents.iter().all(|t| t.state == TorrentState::Seeding)
            {
                return first;
            }
        }
    }
}

/// One restart: (time to the first torrent shown, time to all seeding).
fn brooklet_restart(rt: &tokio::runtime::Runtime, state: &Path, n: usize) -> (Duration, Duration) {
    rt.block_on(async {
        let start = Instant::now();
        let (engine, mut events) = session::spawn(config(state)).await.unwrap();
        let first = wait_all_seeding(&mut events, n).await;
        let all = start.elapsed();
        engine.shutdown().await;
        (first.map_or(all, |f| f - start), all)
    })
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        eprintln!("startup: a benchmark; run it with `cargo bench --bench startup`");
        return;
    }
    let n = env_number("BROOKLET_BENCH_TORRENTS", 1000);
    let runs = env_number("BROOKLET_BENCH_RUNS", 3);
    let with_libtorrent = !libtorrent_missing();
    if !with_libtorrent {
        eprintln!("startup: python3-libtorrent is missing; measuring Brooklet alone");
    }
    let tmp = tempfile::Builder::new()
        .prefix("brooklet-bench-startup-")
        .tempdir()
        .unwrap();
    let root = tmp.path();
    let data = root.join("data");
    let tdir = root.join("t");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::create_dir_all(&tdir).unwrap();
    let made = Instant::now();
    let mut torrents = Vec::with_capacity(n);
    for i in 0..n {
        let file = data.join(format!("file-{i:05}.bin"));
        let mut bytes = vec![0u8; FILE_SIZE];
        bytes[..8].copy_from_slice(&(i as u64).to_le_bytes());
        std::fs::write(&file, &bytes).unwrap();
        let mut opts = CreateOptions::new(&file);
        opts.creation_date = CreationDate::Omit;
        opts.threads = 1;
        let created = create(&opts, &HashProgress::default()).unwrap();
        let path = tdir.join(format!("{i}.torrent"));
        std::fs::write(&path, &created.bytes).unwrap();
        torrents.push(path);
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let state = root.join("brooklet-state");
    brooklet_prepare(&rt, &state, &torrents, &data);
    if with_libtorrent {
        let saved = libtorrent("save", root, n);
        assert_eq!(saved, "saved");
    }
    eprintln!(
        "startup: {n} torrents of {} KiB made and saved by both clients in {:.1} s",
        FILE_SIZE / 1024,
        made.elapsed().as_secs_f64()
    );

    let (mut first, mut all, mut lt) = (Vec::new(), Vec::new(), Vec::new());
    for round in 1..=runs {
        let (f, a) = brooklet_restart(&rt, &state, n);
        first.push(f.as_secs_f64());
        all.push(a.as_secs_f64());
        let mut line = format!(
            "round {round}: Brooklet first torrent {:.0} ms, all seeding {:.0} ms",
            f.as_secs_f64() * 1e3,
            a.as_secs_f64() * 1e3
        );
        if with_libtorrent {
            let out = libtorrent("load", root, n);
            let secs: f64 = out
                .strip_prefix("seeding ")
                .and_then(|s| s.parse().ok())
                .unwrap_or_else(|| panic!("libtorrent said {out:?}"));
            lt.push(secs);
            line.push_str(&format!("; libtorrent all seeding {:.0} ms", secs * 1e3));
        }
        eprintln!("{line}");
    }
    let (f, a) = (median(first), median(all));
    println!("restart of {n} torrents (median of {runs}):");
    println!("  Brooklet:   first torrent shown {:>8.0} ms", f * 1e3);
    println!("  Brooklet:   all seeding         {:>8.0} ms", a * 1e3);
    if with_libtorrent {
        let l = median(lt);
        println!("  libtorrent: all seeding         {:>8.0} ms", l * 1e3);
        println!("  ratio Brooklet/libtorrent (all seeding): {:.2}", a / l);
    }
}
