#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `cargo bench --bench gui_window`: the real `brooklet` binary under Xvfb, starting with a saved
//! session of 10,000 torrents (`BROOKLET_BENCH_TORRENTS`), `BROOKLET_BENCH_RUNS` times (default 3).
//!
//! The session is written the way the engine keeps it — `data/session.json` and a copy of each
//! small, distinct `.torrent` in `data/torrents/` under `BROOKLET_HOME` — with every torrent
//! paused and its data absent, so nothing is hashed or announced. Measured from the spawn of the
//! process, as seen by this bench:
//! - (a) the window mapped: the X server's MapNotify, watched with `xev -root` (else by polling
//!   `xdotool search --onlyvisible`);
//! - (b) the first frame drawn and presented: the app's `first-frame` line
//!   (`BROOKLET_FIRST_FRAME_LOG`, see `src/gui/startup_log.rs`);
//! - (c) the list holding every torrent (`torrents-loaded N`) and the first frame showing them
//!   (`torrents-drawn N`);
//! - (d) on the last run, after load: the process's CPU (utime + stime from /proc/PID/stat) over
//!   10 s with the window shown and over 10 s minimised, and its resident set (VmRSS, VmHWM).
//!
//! Without a window manager the X server ignores `xdotool windowminimize`; the window is then
//! unmapped (`windowunmap`), which is what a window manager does to a minimised window, and the
//! output says so. The app's own times (ms since its `main` began) are printed beside; the
//! difference is the process start (exec, dynamic linking).
//!
//! Goals (from the issue): first frame under 300 ms with 10,000 torrents, zero CPU when nothing
//! changes and when minimised. Needs Xvfb and xdotool (and xwininfo, x11-utils); without them it
//! says so and returns, unless `CI` is set (then it fails). Every process it starts is stopped
//! through its own PID, with a timeout. `cargo test --benches` starts this without `--bench`,
//! and then it returns at once.

use brooklet::engine::metainfo::Metainfo;
use brooklet::engine::session_state::{SavedTorrent, SessionState, StateStore};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const LOAD_TIMEOUT: Duration = Duration::from_secs(180);
const IDLE: Duration = Duration::from_secs(10);

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
        .max(1)
}

fn have(tool: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// A child stopped through its own PID when dropped: SIGTERM (the app then quits gracefully),
/// up to 10 s, then SIGKILL.
struct Proc(Child);

impl Proc {
    fn pid(&self) -> u32 {
        self.0.id()
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        if let Ok(None) = self.0.try_wait() {
            let _ = Command::new("kill")
                .args(["-TERM", &self.0.id().to_string()])
                .stderr(Stdio::null())
                .status();
            let deadline = Instant::now() + Duration::from_secs(10);
            while Instant::now() < deadline {
                if let Ok(Some(_)) = self.0.try_wait() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// One small single-file torrent, distinct by `i`: its bytes and info-hash.
fn torrent(i: usize) -> (Vec<u8>, String) {
    let name = format!(
        "Torrent number {i:05} - some.linux.distribution.{}.iso",
        i % 97
    );
    let length = 1000 + (i % 15_000);
    let mut pieces = [0u8; 20];
    pieces[..8].copy_from_slice(&(i as u64).to_le_bytes());
    let mut info = Vec::new();
    info.extend_from_slice(format!("d6:lengthi{length}e4:name{}:", name.len()).as_bytes());
    info.extend_from_slice(name.as_bytes());
    info.extend_from_slice(b"12:piece lengthi16384e6:pieces20:");
    info.extend_from_slice(&pieces);
    info.push(b'e');
    let mut bytes = b"d10:created by8:brooklet4:info".to_vec();
    bytes.extend_from_slice(&info);
    bytes.push(b'e');
    let meta = Metainfo::from_bytes(&bytes).expect("a valid torrent");
    (bytes, meta.info_hash.to_hex())
}

/// Writes a saved session of `n` paused torrents saved in `save_path` into `data`.
fn write_session(data: &Path, save_path: &Path, n: usize) {
    let torrents = data.join("torrents");
    std::fs::create_dir_all(&torrents).unwrap();
    let mut state = SessionState {
        version: 1,
        ..SessionState::default()
    };
    for i in 0..n {
        let (bytes, hex) = torrent(i);
        std::fs::write(torrents.join(format!("{hex}.torrent")), &bytes).unwrap();
        state.torrents.push(SavedTorrent {
            info_hash: hex,
            save_path: save_path.to_path_buf(),
            paused: true,
            added_at: 1_700_000_000 + i as u64,
            magnet: None,
            completed_at: None,
            limits: Default::default(),
            forced: false,
            max_peers: None,
            label: None,
            trackers: None,
            moving_to: None,
        });
    }
    StateStore::new(data).save(&state).unwrap();
}

/// CPU seconds (user + system) a process has used, from /proc/PID/stat.
fn cpu_seconds(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after = stat.rsplit(')').next()?;
    let fields: Vec<&str> = after.split_whitespace().collect();
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    Some((utime + stime) / 100.0)
}

fn status_kib(pid: u32, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        .unwrap_or(0)
}

/// CPU seconds used so far by each thread name of a process (/proc/PID/task/*/stat).
fn thread_cpu(pid: u32) -> std::collections::BTreeMap<String, f64> {
    let mut by_name = std::collections::BTreeMap::new();
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return by_name;
    };
    for task in tasks.flatten() {
        let Ok(stat) = std::fs::read_to_string(task.path().join("stat")) else {
            continue;
        };
        let (Some(open), Some(close)) = (stat.find('('), stat.rfind(')')) else {
            continue;
        };
        let name = stat[open + 1..close].to_owned();
        let fields: Vec<&str> = stat[close + 1..].split_whitespace().collect();
        let ticks: f64 = [11, 12]
            .iter()
            .filter_map(|&i| fields.get(i)?.parse::<f64>().ok())
            .sum();
        *by_name.entry(name).or_insert(0.0) += ticks / 100.0;
    }
    by_name
}

/// CPU use in % of one core over `span`, in all and by thread name (the busiest first).
fn cpu_over(pid: u32, span: Duration) -> Option<(f64, Vec<(String, f64)>)> {
    let before = cpu_seconds(pid)?;
    let threads_before = thread_cpu(pid);
    std::thread::sleep(span);
    let after = cpu_seconds(pid)?;
    let pct = |d: f64| d / span.as_secs_f64() * 100.0;
    let mut threads: Vec<(String, f64)> = thread_cpu(pid)
        .into_iter()
        .map(|(name, t)| {
            let d = t - threads_before.get(&name).copied().unwrap_or(0.0);
            (name, pct(d))
        })
        .filter(|(_, p)| *p > 0.0)
        .collect();
    threads.sort_by(|a, b| b.1.total_cmp(&a.1));
    Some((pct(after - before), threads))
}

fn by_thread(threads: &[(String, f64)]) -> String {
    if threads.is_empty() {
        return "no thread ran".to_owned();
    }
    threads
        .iter()
        .map(|(name, p)| format!("{name} {p:.2} %"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn x(display: &str, program: &str) -> Command {
    let mut c = Command::new(program);
    c.env("DISPLAY", display).stdin(Stdio::null());
    c
}

fn output(mut c: Command) -> String {
    c.stderr(Stdio::null())
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default()
}

/// The visible Brooklet window's id, if any.
fn brooklet_window(display: &str) -> Option<u64> {
    let mut c = x(display, "xdotool");
    c.args(["search", "--onlyvisible", "--name", "^Brooklet"]);
    output(c).lines().next()?.trim().parse().ok()
}

/// Whether the window is viewable (mapped), per xwininfo.
fn viewable(display: &str, window: u64) -> bool {
    let mut c = x(display, "xwininfo");
    c.args(["-id", &window.to_string()]);
    output(c).contains("IsViewable")
}

/// What a child printed, and when it came.
enum Seen {
    /// A line of the app's stderr.
    App(Instant, String),
    /// A top-level window was mapped (xev).
    Mapped(Instant, u64),
    /// The app's stderr ended: it exited.
    AppEnded,
}

/// Forwards each line of `from`, timestamped and read by `parse`, until it ends; then `end`.
fn forward(
    from: impl std::io::Read + Send + 'static,
    to: mpsc::Sender<Seen>,
    mut parse: impl FnMut(Instant, &str) -> Option<Seen> + Send + 'static,
    end: Option<Seen>,
) {
    std::thread::spawn(move || {
        for line in BufReader::new(from).lines() {
            let Ok(line) = line else { break };
            if let Some(seen) = parse(Instant::now(), &line)
                && to.send(seen).is_err()
            {
                return;
            }
        }
        if let Some(end) = end {
            let _ = to.send(end);
        }
    });
}

/// Reads xev's events: a "MapNotify event, ..." line, then "    event 0xROOT, window 0xCHILD, ...".
fn xev_parser() -> impl FnMut(Instant, &str) -> Option<Seen> + Send + 'static {
    let mut in_map = false;
    move |at, line| {
        if !line.starts_with(' ') && !line.is_empty() {
            in_map = line.starts_with("MapNotify event");
            return None;
        }
        if !in_map {
            return None;
        }
        in_map = false;
        let (_, child) = line
            .trim()
            .strip_prefix("event 0x")?
            .split_once("window 0x")?;
        let hex = child.split(|c: char| !c.is_ascii_hexdigit()).next()?;
        u64::from_str_radix(hex, 16)
            .ok()
            .map(|w| Seen::Mapped(at, w))
    }
}

struct Run {
    mapped: Option<Duration>,
    first_frame: Duration,
    first_frame_app_ms: f64,
    loaded: Duration,
    loaded_app_ms: f64,
    drawn: Duration,
    drawn_app_ms: f64,
    first_rows: Option<(usize, Duration)>,
}

struct Idle {
    shown: (f64, Vec<(String, f64)>),
    minimised: (f64, Vec<(String, f64)>),
    how: &'static str,
    rss_mib: f64,
    hwm_mib: f64,
}

fn start_xvfb() -> (Proc, String) {
    let mut xvfb = Command::new("Xvfb")
        .args([
            "-displayfd",
            "1",
            "-screen",
            "0",
            "1280x800x24",
            "-nolisten",
            "tcp",
            "-noreset",
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start Xvfb");
    let mut number = String::new();
    BufReader::new(xvfb.stdout.take().unwrap())
        .read_line(&mut number)
        .unwrap();
    (Proc(xvfb), format!(":{}", number.trim()))
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// One start of the app; with `idle`, the CPU and memory measures after the load too.
fn run(display: &str, home: &Path, n: usize, idle: bool) -> (Run, Option<Idle>) {
    let (tx, rx) = mpsc::channel();
    let xev = have("xev").then(|| {
        let mut c = x(display, "xev");
        let mut child = c
            .args(["-root", "-event", "substructure"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start xev");
        let out = child.stdout.take().unwrap();
        forward(out, tx.clone(), xev_parser(), None);
        Proc(child)
    });
    // Time for xev to select the root window's events before the app starts.
    std::thread::sleep(Duration::from_millis(300));

    let spawned = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_brooklet"))
        .env("DISPLAY", display)
        .env_remove("WAYLAND_DISPLAY")
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("BROOKLET_HOME", home.join("brooklet"))
        .env("BROOKLET_PORT", free_port().to_string())
        .env("BROOKLET_LOOPBACK_ONLY", "1")
        .env("BROOKLET_DHT", "0")
        .env("BROOKLET_TRAY", "0")
        .env("BROOKLET_LANG", "en")
        .env("BROOKLET_FIRST_FRAME_LOG", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start brooklet");
    let err = child.stderr.take().unwrap();
    let app = Proc(child);
    forward(
        err,
        tx.clone(),
        |at, line| Some(Seen::App(at, line.to_owned())),
        Some(Seen::AppEnded),
    );
    drop(tx);

    let app_ms = |line: &str| -> f64 {
        line.rsplit(' ')
            .next()
            .and_then(|v| v.parse().ok())
            .unwrap_or(f64::NAN)
    };
    let deadline = spawned + LOAD_TIMEOUT;
    let mut mapped = None;
    let mut mapped_window = None;
    let mut first_frame = None;
    let mut first_rows = None;
    let mut loaded = None;
    let mut drawn = None;
    let mut log = Vec::new();
    while drawn.is_none() {
        let left = deadline.saturating_duration_since(Instant::now());
        assert!(
            !left.is_zero(),
            "timed out; the app said:\n{}",
            log.join("\n")
        );
        match rx.recv_timeout(left.min(Duration::from_millis(20))) {
            Ok(Seen::Mapped(at, window)) => {
                if mapped.is_none() {
                    mapped = Some(at - spawned);
                    mapped_window = Some(window);
                }
            }
            Ok(Seen::App(at, line)) => {
                let words: Vec<&str> = line.split(' ').collect();
                match words.as_slice() {
                    ["first-frame", _] => first_frame = Some((at - spawned, app_ms(&line))),
                    ["torrents-loaded", count, _] => {
                        let count: usize = count.parse().unwrap_or(0);
                        if count > 0 && first_rows.is_none() {
                            first_rows = Some((count, at - spawned));
                        }
                        if count == n && loaded.is_none() {
                            loaded = Some((at - spawned, app_ms(&line)));
                        }
                    }
                    ["torrents-drawn", count, _] if count.parse() == Ok(n) => {
                        drawn = Some((at - spawned, app_ms(&line)))
                    }
                    _ => {}
                }
                log.push(line);
            }
            Ok(Seen::AppEnded) | Err(mpsc::RecvTimeoutError::Disconnected) => {
                panic!("brooklet exited early:\n{}", log.join("\n"))
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {
                if xev.is_none() && mapped.is_none() && brooklet_window(display).is_some() {
                    mapped = Some(spawned.elapsed());
                }
            }
        }
    }
    drop(xev);
    let window = brooklet_window(display).expect("no visible Brooklet window");
    if let Some(w) = mapped_window
        && w != window
    {
        eprintln!("gui_window: the first window mapped ({w:#x}) is not Brooklet's ({window:#x})");
    }
    let (first_frame, first_frame_app_ms) = first_frame.expect("no first-frame line");
    let (loaded, loaded_app_ms) = loaded.expect("no torrents-loaded line");
    let (drawn, drawn_app_ms) = drawn.unwrap_or_default();
    let result = Run {
        mapped,
        first_frame,
        first_frame_app_ms,
        loaded,
        loaded_app_ms,
        drawn,
        drawn_app_ms,
        first_rows,
    };
    if !idle {
        return (result, None);
    }
    // Let the start settle (the session list is saved once after the load).
    std::thread::sleep(Duration::from_secs(2));
    let pid = app.pid();
    let shown = cpu_over(pid, IDLE).expect("brooklet stopped");
    let rss_mib = status_kib(pid, "VmRSS:") as f64 / 1024.0;
    let hwm_mib = status_kib(pid, "VmHWM:") as f64 / 1024.0;
    let mut c = x(display, "xdotool");
    c.args(["windowminimize", &window.to_string()]);
    let _ = output(c);
    std::thread::sleep(Duration::from_millis(500));
    let how = if viewable(display, window) {
        let mut c = x(display, "xdotool");
        c.args(["windowunmap", "--sync", &window.to_string()]);
        let _ = output(c);
        assert!(!viewable(display, window), "the window could not be hidden");
        "unmapped: no window manager to minimise it"
    } else {
        "minimised"
    };
    std::thread::sleep(Duration::from_secs(1));
    let minimised = cpu_over(pid, IDLE).expect("brooklet stopped");
    drop(app);
    (
        result,
        Some(Idle {
            shown,
            minimised,
            how,
            rss_mib,
            hwm_mib,
        }),
    )
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn met(ok: bool) -> &'static str {
    if ok { "met" } else { "NOT met" }
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        eprintln!("gui_window: a benchmark; run it with `cargo bench --bench gui_window`");
        return;
    }
    let missing: Vec<&str> = ["Xvfb", "xdotool", "xwininfo"]
        .into_iter()
        .filter(|t| !have(t))
        .collect();
    if !missing.is_empty() {
        let message = format!(
            "gui_window: skipped, {} missing (apt-get install xvfb xdotool x11-utils)",
            missing.join(", ")
        );
        assert!(std::env::var_os("CI").is_none(), "{message}");
        eprintln!("{message}");
        return;
    }
    let n = env_number("BROOKLET_BENCH_TORRENTS", 10_000);
    let runs = env_number("BROOKLET_BENCH_RUNS", 3);
    let tmp = tempfile::Builder::new()
        .prefix("brooklet-bench-gui-window-")
        .tempdir()
        .unwrap();
    let home = tmp.path();
    let downloads = home.join("Downloads");
    std::fs::create_dir_all(&downloads).unwrap();
    let made = Instant::now();
    write_session(&home.join("brooklet").join("data"), &downloads, n);
    eprintln!(
        "gui_window: a session of {n} paused torrents written in {:.1} s",
        made.elapsed().as_secs_f64()
    );
    let (xvfb, display) = start_xvfb();

    let mut all = Vec::new();
    let mut idle = None;
    for round in 1..=runs {
        let (r, i) = run(&display, home, n, round == runs);
        eprintln!(
            "round {round}: mapped {}, first frame {:.0} ms, {n} torrents loaded {:.0} ms, drawn {:.0} ms",
            r.mapped
                .map_or_else(|| "?".to_owned(), |m| format!("{:.0} ms", ms(m))),
            ms(r.first_frame),
            ms(r.loaded),
            ms(r.drawn)
        );
        all.push(r);
        if i.is_some() {
            idle = i;
        }
    }
    drop(xvfb);

    let col = |f: &dyn Fn(&Run) -> Option<f64>| -> String {
        let v: Vec<f64> = all.iter().filter_map(f).collect();
        if v.is_empty() {
            "       ?".to_owned()
        } else {
            format!("{:8.0}", median(v))
        }
    };
    println!(
        "the real window (binary {}) under Xvfb, {n} saved torrents (paused), median of {runs} starts:",
        env!("CARGO_BIN_EXE_brooklet")
    );
    println!("                                       from spawn   app (since main)");
    println!(
        "(a) window mapped                       {} ms",
        col(&|r| r.mapped.map(ms))
    );
    println!(
        "    first rows in the list              {} ms   ({} torrents in the first snapshot)",
        col(&|r| r.first_rows.map(|(_, d)| ms(d))),
        all.last()
            .and_then(|r| r.first_rows)
            .map_or(0, |(count, _)| count)
    );
    println!(
        "(b) first frame drawn                   {} ms   {} ms",
        col(&|r| Some(ms(r.first_frame))),
        col(&|r| Some(r.first_frame_app_ms))
    );
    println!(
        "(c) all {n} torrents in the list     {} ms   {} ms",
        col(&|r| Some(ms(r.loaded))),
        col(&|r| Some(r.loaded_app_ms))
    );
    println!(
        "    first frame showing them            {} ms   {} ms",
        col(&|r| Some(ms(r.drawn))),
        col(&|r| Some(r.drawn_app_ms))
    );
    let first = median(all.iter().map(|r| ms(r.first_frame)).collect());
    let drawn = median(all.iter().map(|r| ms(r.drawn)).collect());
    println!(
        "goal: first frame under 300 ms: {} ({first:.0} ms); with all {n} torrents shown under 300 ms: {} ({drawn:.0} ms)",
        met(first < 300.0),
        met(drawn < 300.0)
    );
    if let Some(i) = idle {
        println!(
            "(d) CPU over {} s idle, window shown:  {:6.2} %   goal 0: {}",
            IDLE.as_secs(),
            i.shown.0,
            met(i.shown.0 < 0.5)
        );
        println!("      by thread: {}", by_thread(&i.shown.1));
        println!(
            "    CPU over {} s idle, window hidden: {:6.2} %   goal 0: {}   ({})",
            IDLE.as_secs(),
            i.minimised.0,
            met(i.minimised.0 < 0.5),
            i.how
        );
        println!("      by thread: {}", by_thread(&i.minimised.1));
        println!(
            "    memory after load: RSS {:.1} MiB, peak {:.1} MiB   goal < 150 MiB: {}",
            i.rss_mib,
            i.hwm_mib,
            met(i.hwm_mib < 150.0)
        );
    }
}
