#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `cargo bench --bench swarm`: download throughput on loopback, one seeder → one leecher.
//!
//! Two payloads, each written once from a fast xorshift and flushed to disk, then made into a
//! torrent by `brooklet create --piece-length 1M`:
//! - one file of 1 GiB (`BROOKLET_BENCH_SIZE` bytes; 0 skips it);
//! - 2,000 files of 64 KiB–2 MiB in 20 folders, about 2 GiB (`BROOKLET_BENCH_FILES` files; 0
//!   skips it).
//!
//! For each payload a python3-libtorrent seeder (`lt.high_performance_seed()` plus the
//! loopback-only settings of INTEROP.md, listening on 127.0.0.1, data checked before it says
//! `ready`) serves, one after the other, these leechers, each into a fresh empty folder and each
//! given the seeder's address directly:
//! - Brooklet: `brooklet download --peer 127.0.0.1:PORT`, timed until it exits;
//! - aria2c (`--seed-time=0`, timed until it exits): it has no option to dial a peer, so it
//!   listens on 127.0.0.1 (`--interface`) and the seeder dials it (`connect_peer`);
//! - python3-libtorrent with its default settings: `connect_peer`, timed until it is seeding
//!   (it then leaves with `os._exit`, skipping the session teardown).
//!
//! Then `brooklet seed` replaces the libtorrent seeder and a Brooklet leecher downloads from it
//! (Brooklet → Brooklet).
//!
//! Per leecher: wall time from its start to the data being complete, CPU seconds (user+sys) and
//! peak RSS from `/usr/bin/time`, peak anonymous RSS sampled from `/proc/PID/status` every
//! 20 ms, the seeder's CPU seconds while it served that leecher, and the CPU other processes
//! took meanwhile (background noise). Every file the leecher wrote is compared byte for byte
//! with the original (a loud FAILED line if one differs). Every leecher starts on the same
//! footing: the previous one's output is synced to the disk (untimed), so that nobody pays for
//! another's write-back, and the outputs are deleted only once every leecher has run (each
//! round, with `BROOKLET_BENCH_RUNS`, and on the payload of many files the next round then
//! waits 65 s), so that nobody is charged for inodes another's output just freed (see
//! `Bench::clear`; for the same reason, leave 6 minutes between two runs of the bench: its
//! end deletes 10,000 files). The table of each
//! payload gives every figure as a ratio to the best other client (aria2c or libtorrent) of the
//! same run, and says whether Brooklet meets its goals: throughput at least 1.5× the best other
//! client's, at most 1.2 CPU-s per GiB, peak RSS under 32 MiB.
//!
//! `BROOKLET_BENCH_RUNS` (default 1) repeats every leecher round-robin and keeps its fastest
//! run. Every child runs with a timeout and is killed through its own handle (a drop guard)
//! when it overruns or the bench panics; everything listens on and connects to 127.0.0.1 only
//! (`BROOKLET_LOOPBACK_ONLY=1` for Brooklet). `cargo test --benches` starts this without
//! `--bench`, and then it returns at once.

use std::ffi::{OsStr, OsString};
use std::fmt::Write as _;
use std::fs::File;
use std::io::{BufRead, BufReader, Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

const DEFAULT_SIZE: u64 = 1 << 30;
const DEFAULT_FILES: u64 = 2000;
const FILES_PER_FOLDER: u64 = 100;
const MIN_FILE: u64 = 64 << 10;
const MAX_FILE: u64 = 2 << 20;
const CHUNK: usize = 8 << 20;
const GIB: f64 = (1u64 << 30) as f64;
const TIME: &str = "/usr/bin/time";
const PYTHON: &str = "/usr/bin/python3";
const SAMPLE_EVERY: Duration = Duration::from_millis(20);
const STOP_TIMEOUT: Duration = Duration::from_secs(30);
/// On a payload of more files than this, a round of leechers waits [`SETTLE`] after the
/// previous round's outputs are deleted (see `Bench::clear`).
const SETTLE_AFTER_FILES: usize = 100;
const SETTLE: Duration = Duration::from_secs(65);
/// A leecher that reads less than this many bytes in `STALL_TIME` is stuck: killed.
const STALL_BYTES: u64 = 1_000_000;
const STALL_TIME: Duration = Duration::from_secs(30);

/// Brooklet's goals, from the issue.
const GOAL_SPEEDUP: f64 = 1.5;
const GOAL_CPU_PER_GIB: f64 = 1.2;
const GOAL_RSS_MIB: f64 = 32.0;

/// The libtorrent seeder. argv: TORRENT SAVE_PATH TIMEOUT_SECONDS. Checks the data, prints
/// `ready PORT` once it seeds, then reads commands from stdin until it closes:
/// `connect HOST PORT` dials a peer (answered `ok`). Exits 1 with `error ...` when the check
/// fails.
const LT_SEEDER: &str = r#"
import os, sys, time
import libtorrent as lt
torrent, save, timeout = sys.argv[1], sys.argv[2], float(sys.argv[3])
settings = lt.high_performance_seed()
settings.update({
    'listen_interfaces': '127.0.0.1:0',
    'enable_dht': False, 'enable_lsd': False, 'enable_upnp': False, 'enable_natpmp': False,
    'enable_incoming_utp': False, 'enable_outgoing_utp': False,
    'in_enc_policy': 2, 'out_enc_policy': 2,
    'allow_multiple_connections_per_ip': True,
    'dht_bootstrap_nodes': '',
    'hashing_threads': os.cpu_count() or 1,
    'alert_mask': lt.alert.category_t.error_notification,
})
ses = lt.session(settings)
atp = lt.add_torrent_params()
atp.ti = lt.torrent_info(torrent)
atp.save_path = save
h = ses.add_torrent(atp)
t0 = time.monotonic()
while True:
    s = h.status()
    if s.is_seeding and ses.listen_port() > 0:
        break
    if s.errc.value():
        print('error', s.errc.message(), flush=True)
        os._exit(1)
    if s.state in (lt.torrent_status.downloading, lt.torrent_status.finished):
        print('error the check found only %.4f of the data' % s.progress, flush=True)
        os._exit(1)
    if time.monotonic() - t0 > timeout:
        print('error not seeding after %.0f s (%s)' % (timeout, s.state), flush=True)
        os._exit(1)
    time.sleep(0.02)
print('ready', ses.listen_port(), flush=True)
for line in sys.stdin:
    w = line.split()
    if len(w) == 3 and w[0] == 'connect':
        h.connect_peer((w[1], int(w[2])))
        print('ok', flush=True)
os._exit(0)
"#;

/// The libtorrent leecher, default settings plus the loopback-only ones. argv: TORRENT
/// SAVE_PATH HOST:PORT. Dials the peer (again every 2 s while it has none), prints `inner S`
/// (seconds from the session's start to seeding with every write done) and leaves with
/// `os._exit(0)` once it seeds and its disk cache is flushed (without that wait, writes still
/// queued were lost now and then: the output differed).
const LT_LEECHER: &str = r#"
import os, sys, time
import libtorrent as lt
torrent, save, peer = sys.argv[1], sys.argv[2], sys.argv[3]
host, port = peer.rsplit(':', 1)
peer = (host, int(port))
cat = lt.alert.category_t
settings = lt.default_settings()
settings.update({
    'listen_interfaces': '127.0.0.1:0',
    'enable_dht': False, 'enable_lsd': False, 'enable_upnp': False, 'enable_natpmp': False,
    'enable_incoming_utp': False, 'enable_outgoing_utp': False,
    'in_enc_policy': 2, 'out_enc_policy': 2,
    'allow_multiple_connections_per_ip': True,
    'dht_bootstrap_nodes': '',
    'alert_mask': cat.error_notification | cat.status_notification | cat.storage_notification,
})
t0 = time.monotonic()
ses = lt.session(settings)
atp = lt.add_torrent_params()
atp.ti = lt.torrent_info(torrent)
atp.save_path = save
h = ses.add_torrent(atp)
h.connect_peer(peer)
dialed = time.monotonic()
while True:
    ses.wait_for_alert(100)
    for a in ses.pop_alerts():
        if isinstance(a, (lt.torrent_error_alert, lt.file_error_alert)):
            print('error', a.message(), flush=True)
            os._exit(1)
    s = h.status()
    if s.is_seeding:
        break
    if s.num_peers == 0 and time.monotonic() - dialed > 2:
        h.connect_peer(peer)
        dialed = time.monotonic()
# A piece is hashed as its blocks arrive, before they are all in the files: leaving now could
# lose writes still queued. Wait until they are done.
h.flush_cache()
flushed = time.monotonic()
while not any(isinstance(a, lt.cache_flushed_alert) for a in ses.pop_alerts()):
    if time.monotonic() - flushed > 120:
        print('error the disk cache was not flushed after 120 s', flush=True)
        os._exit(1)
    ses.wait_for_alert(100)
print('inner', time.monotonic() - t0, flush=True)
os._exit(0)
"#;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Leecher {
    Brooklet,
    Aria2,
    Libtorrent,
    /// Brooklet leeching from `brooklet seed`.
    BrookletPair,
}

impl Leecher {
    fn name(self) -> &'static str {
        match self {
            Leecher::Brooklet => "Brooklet",
            Leecher::Aria2 => "aria2c",
            Leecher::Libtorrent => "libtorrent (python3)",
            Leecher::BrookletPair => "Brooklet → Brooklet",
        }
    }

    fn seeder(self) -> &'static str {
        match self {
            Leecher::BrookletPair => "brooklet seed",
            _ => "libtorrent",
        }
    }

    /// aria2c and libtorrent: the clients Brooklet is compared with.
    fn is_other(self) -> bool {
        matches!(self, Leecher::Aria2 | Leecher::Libtorrent)
    }
}

const ALL: [Leecher; 4] = [
    Leecher::Brooklet,
    Leecher::Aria2,
    Leecher::Libtorrent,
    Leecher::BrookletPair,
];

#[derive(Clone, Debug)]
struct Sample {
    wall: f64,
    cpu: Option<f64>,
    rss_kib: Option<u64>,
    anon_kib: Option<u64>,
    seeder_cpu: Option<f64>,
    /// CPU seconds of the whole machine during the run.
    machine: Option<f64>,
    /// libtorrent's own timing inside the script.
    inner: Option<f64>,
}

impl Sample {
    /// CPU seconds other processes (not the leecher, not the seeder) took during the run.
    fn others(&self) -> Option<f64> {
        Some((self.machine? - self.cpu? - self.seeder_cpu.unwrap_or(0.0)).max(0.0))
    }
}

struct Row {
    leecher: Leecher,
    missing: Option<String>,
    failure: Option<String>,
    samples: Vec<Sample>,
}

impl Row {
    fn best(&self) -> Option<&Sample> {
        if self.missing.is_some() || self.failure.is_some() {
            return None;
        }
        self.samples.iter().min_by(|a, b| a.wall.total_cmp(&b.wall))
    }
}

struct Payload {
    /// `single` or `multi`: names its folders.
    name: &'static str,
    title: String,
    /// The folder that holds the torrent's file or folder (the save path of a seeder).
    parent: PathBuf,
    torrent: PathBuf,
    /// Every file, relative to `parent`, with its size.
    files: Vec<(PathBuf, u64)>,
    bytes: u64,
}

struct Bench {
    dir: PathBuf,
    brooklet: PathBuf,
    has_time: bool,
    clk_tck: f64,
    runs: usize,
    aria2_missing: Option<String>,
    libtorrent_missing: Option<String>,
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        eprintln!("swarm: a benchmark; run it with `cargo bench --bench swarm`");
        return;
    }
    let size = env_number("BROOKLET_BENCH_SIZE", DEFAULT_SIZE);
    let files = env_number("BROOKLET_BENCH_FILES", DEFAULT_FILES);
    let runs = env_number("BROOKLET_BENCH_RUNS", 1).max(1) as usize;
    let tmp = tempfile::Builder::new()
        .prefix("brooklet-bench-swarm-")
        .tempdir()
        .expect("temporary folder");
    let bench = Bench {
        dir: tmp.path().to_owned(),
        brooklet: brooklet_binary(),
        has_time: Path::new(TIME).is_file(),
        clk_tck: clock_ticks(),
        runs,
        aria2_missing: find_in_path("aria2c")
            .is_none()
            .then(|| "not installed (apt-get install aria2)".to_owned()),
        libtorrent_missing: libtorrent_missing(),
    };
    bench.header();
    let mut met = Vec::new();
    if size > 0 {
        let payload = bench.single_file(size);
        met.extend(bench.run_payload(&payload));
    }
    if files > 0 {
        let payload = bench.many_files(files);
        met.extend(bench.run_payload(&payload));
    }
    println!();
    println!("load avg:   {} (at end)", load_average());
    if !met.is_empty() {
        let all = met.iter().all(|&m| m);
        println!(
            "all goals:  {}",
            if all {
                "met"
            } else {
                "NOT all met (see the goal lines above)"
            }
        );
    }
}

fn env_number(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Ok(v) => v
            .trim()
            .parse::<u64>()
            .unwrap_or_else(|_| panic!("{name} must be a whole number, not {v:?}")),
        Err(_) => default,
    }
}

impl Bench {
    fn header(&self) {
        println!("== Brooklet swarm benchmark: one seeder → one leecher on loopback ==");
        println!("cpu:        {}", cpu_model());
        println!(
            "cores:      {}",
            std::thread::available_parallelism().map_or(1, |n| n.get())
        );
        println!("load avg:   {} (at start)", load_average());
        if let Some(before) = machine_cpu() {
            std::thread::sleep(Duration::from_secs(1));
            if let Some(after) = machine_cpu() {
                let busy = (after - before) / self.clk_tck;
                println!("busy now:   {busy:.2} cores used by other processes");
                if busy > 0.1 {
                    println!(
                        "WARNING: the machine is not idle: the figures below are pessimistic \
                         (see the \"others\" column)"
                    );
                }
            }
        }
        println!("brooklet:   {}", self.brooklet.display());
        let aria2 = match &self.aria2_missing {
            Some(m) => m.clone(),
            None => capture(
                &[OsString::from("aria2c"), "--version".into()],
                Duration::from_secs(30),
            )
            .map(|s| s.lines().next().unwrap_or_default().to_owned())
            .unwrap_or_else(|e| format!("aria2c --version failed: {e}")),
        };
        println!("aria2c:     {aria2}");
        let lt = match &self.libtorrent_missing {
            Some(m) => m.clone(),
            None => capture(
                &[
                    OsString::from(PYTHON),
                    "-c".into(),
                    "import libtorrent as lt; print(lt.__version__)".into(),
                ],
                Duration::from_secs(30),
            )
            .map(|s| format!("python3-libtorrent {}", s.trim()))
            .unwrap_or_else(|e| format!("failed: {e}")),
        };
        println!("libtorrent: {lt}");
        println!(
            "measuring:  {}",
            if self.has_time {
                "wall clock; CPU (user+sys) and peak RSS from /usr/bin/time; peak anonymous RSS \
                 sampled from /proc every 20 ms"
            } else {
                "wall clock; CPU, peak RSS and anonymous RSS sampled from /proc every 20 ms \
                 (approximate: /usr/bin/time is missing, apt-get install time)"
            }
        );
        if self.runs > 1 {
            println!("runs:       {} per leecher, fastest kept", self.runs);
        }
    }

    fn make_torrent(&self, path: &Path, name: &str) -> PathBuf {
        let torrent = self.dir.join(format!("{name}.torrent"));
        let argv = os_args(&[
            self.brooklet.as_os_str(),
            OsStr::new("create"),
            path.as_os_str(),
            OsStr::new("-o"),
            torrent.as_os_str(),
            OsStr::new("--piece-length"),
            OsStr::new("1M"),
        ]);
        capture(&argv, Duration::from_secs(1800))
            .unwrap_or_else(|e| panic!("brooklet create failed: {e}"));
        torrent
    }

    fn single_file(&self, size: u64) -> Payload {
        let parent = self.dir.join("single");
        std::fs::create_dir(&parent).unwrap();
        let rel = PathBuf::from("data.bin");
        let started = Instant::now();
        let mut rng = Xorshift::new(0x9E37_79B9_7F4A_7C15);
        write_file(&parent.join(&rel), size, &mut rng).expect("writing the test file");
        let wrote = started.elapsed().as_secs_f64();
        let torrent = self.make_torrent(&parent.join(&rel), "single");
        Payload {
            name: "single",
            title: format!(
                "single file: {size} bytes ({:.2} GiB), written+synced in {wrote:.1} s",
                size as f64 / GIB
            ),
            parent,
            torrent,
            files: vec![(rel, size)],
            bytes: size,
        }
    }

    fn many_files(&self, count: u64) -> Payload {
        let parent = self.dir.join("multi");
        let started = Instant::now();
        let mut sizes = Xorshift::new(0xD1B5_4A32_D192_ED03);
        let mut data = Xorshift::new(0x2545_F491_4F6C_DD1D);
        let mut files = Vec::new();
        for i in 0..count {
            let rel = PathBuf::from("files")
                .join(format!("d{:02}", i / FILES_PER_FOLDER))
                .join(format!("f{i:04}.bin"));
            let size = MIN_FILE + sizes.next() % (MAX_FILE - MIN_FILE + 1);
            let path = parent.join(&rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            write_file(&path, size, &mut data).expect("writing a test file");
            files.push((rel, size));
        }
        let wrote = started.elapsed().as_secs_f64();
        let bytes = files.iter().map(|(_, s)| s).sum();
        let torrent = self.make_torrent(&parent.join("files"), "multi");
        Payload {
            name: "multi",
            title: format!(
                "{count} files of {} KiB–{} MiB: {bytes} bytes ({:.2} GiB), written+synced in \
                 {wrote:.1} s",
                MIN_FILE >> 10,
                MAX_FILE >> 20,
                bytes as f64 / GIB
            ),
            parent,
            torrent,
            files,
            bytes,
        }
    }

    fn leech_timeout(&self, p: &Payload) -> Duration {
        // 5 MB/s at the very least, plus start-up.
        Duration::from_secs(60 + p.bytes / 5_000_000)
    }

    fn seed_timeout(&self, p: &Payload) -> Duration {
        Duration::from_secs(120 + p.bytes / 20_000_000)
    }

    /// Runs every leecher on `p`, prints its table and goals; returns whether each goal was met.
    fn run_payload(&self, p: &Payload) -> Vec<bool> {
        println!();
        println!("== {} ==", p.title);
        let mut rows: Vec<Row> = ALL
            .iter()
            .map(|&leecher| Row {
                leecher,
                missing: match leecher {
                    Leecher::Aria2 => self
                        .aria2_missing
                        .clone()
                        .or_else(|| self.libtorrent_missing.clone()),
                    Leecher::Brooklet | Leecher::Libtorrent => self.libtorrent_missing.clone(),
                    Leecher::BrookletPair => None,
                }
                .or_else(|| {
                    (!self.brooklet.is_file() && leecher != Leecher::Aria2)
                        .then(|| "brooklet is not built".to_owned())
                }),
                failure: None,
                samples: Vec::new(),
            })
            .collect();

        // Leechers' outputs, deleted once all have run (see `Bench::clear`).
        let mut spent = Vec::new();
        // The libtorrent seeder for Brooklet, aria2c and libtorrent.
        if self.libtorrent_missing.is_none() {
            match self.libtorrent_seeder(p) {
                Ok(mut seeder) => {
                    println!(
                        "seeder:     libtorrent on 127.0.0.1:{} (ready after {:.1} s)",
                        seeder.port, seeder.ready_after
                    );
                    self.run_rows(
                        p,
                        &mut rows,
                        &mut seeder,
                        |l| l != Leecher::BrookletPair,
                        &mut spent,
                    );
                    seeder.stop();
                }
                Err(e) => {
                    println!("FAILED: the libtorrent seeder: {e}");
                    for row in rows
                        .iter_mut()
                        .filter(|r| r.leecher != Leecher::BrookletPair)
                    {
                        row.failure.get_or_insert_with(|| "no seeder".to_owned());
                    }
                }
            }
        }
        // `brooklet seed` for Brooklet → Brooklet.
        if self.brooklet.is_file() {
            match self.brooklet_seeder(p) {
                Ok(mut seeder) => {
                    println!(
                        "seeder:     brooklet seed on 127.0.0.1:{} (ready after {:.1} s)",
                        seeder.port, seeder.ready_after
                    );
                    self.run_rows(
                        p,
                        &mut rows,
                        &mut seeder,
                        |l| l == Leecher::BrookletPair,
                        &mut spent,
                    );
                    seeder.stop();
                }
                Err(e) => {
                    println!("FAILED: brooklet seed: {e}");
                    for row in rows
                        .iter_mut()
                        .filter(|r| r.leecher == Leecher::BrookletPair)
                    {
                        row.failure.get_or_insert_with(|| "no seeder".to_owned());
                    }
                }
            }
        }
        self.clear(p, &mut spent, false);
        println!();
        self.print_table(p, &rows);
        self.print_goals(p, &rows)
    }

    fn run_rows(
        &self,
        p: &Payload,
        rows: &mut [Row],
        seeder: &mut Seeder,
        which: impl Fn(Leecher) -> bool,
        spent: &mut Vec<PathBuf>,
    ) {
        for row in rows
            .iter()
            .filter(|r| which(r.leecher) && r.missing.is_some())
        {
            println!(
                "{:<22} {}",
                row.leecher.name(),
                row.missing.as_deref().unwrap_or_default()
            );
        }
        for run in 1..=self.runs {
            if run > 1 {
                self.clear(p, spent, true);
            }
            for row in rows.iter_mut() {
                if !which(row.leecher) || row.missing.is_some() || row.failure.is_some() {
                    continue;
                }
                match self.leech(p, row.leecher, seeder, run, spent) {
                    Ok(s) => {
                        let mut line = format!(
                            "{:<22} run {run}: {:7.2} s {:8.1} MB/s",
                            row.leecher.name(),
                            s.wall,
                            p.bytes as f64 / s.wall / 1e6
                        );
                        if let Some(c) = s.cpu {
                            let _ = write!(line, "  cpu {c:.2} s");
                        }
                        if let Some(k) = s.rss_kib {
                            let _ = write!(line, "  rss {:.1} MiB", k as f64 / 1024.0);
                        }
                        if let Some(c) = s.seeder_cpu {
                            let _ = write!(line, "  seeder cpu {c:.2} s");
                        }
                        if let Some(o) = s.others() {
                            let _ = write!(line, "  others {o:.2} s");
                        }
                        println!("{line}  output verified");
                        row.samples.push(s);
                    }
                    Err(e) => {
                        println!(
                            "FAILED: {} (seeder {}) run {run}: {e}",
                            row.leecher.name(),
                            row.leecher.seeder()
                        );
                        row.failure = Some(e);
                    }
                }
            }
        }
    }

    /// One download by `leecher` from `seeder` into a fresh folder, checked; the folder goes
    /// on `spent`.
    fn leech(
        &self,
        p: &Payload,
        leecher: Leecher,
        seeder: &mut Seeder,
        run: usize,
        spent: &mut Vec<PathBuf>,
    ) -> Result<Sample, String> {
        let tag = format!("{}-{leecher:?}-{run}", p.name).to_lowercase();
        let out = self.dir.join(format!("out-{tag}"));
        std::fs::create_dir(&out).map_err(|e| e.to_string())?;
        let result = self.leech_into(p, leecher, seeder, &out, &tag);
        // Written back now, untimed: else the next leecher would pay for this one's dirty
        // pages (aria2c and libtorrent leave their data in the page cache).
        if let Ok(dir) = File::open(&out) {
            let _ = rustix::fs::syncfs(&dir);
        }
        spent.push(out);
        result
    }

    /// Deletes the folders of a round of leechers; when another round follows on a payload of
    /// many files, then lets the file system forget them before it starts. ext4 without a
    /// journal (these machines' root file system) skips over inodes freed in the last 60 s
    /// (360 s while their inode table is not yet written back) when it allocates one; that scan
    /// cost whichever leecher came next up to 1.7 CPU-s on the 2,000 files, more than every
    /// other difference between the clients. So outputs are kept until a round ends.
    fn clear(&self, p: &Payload, spent: &mut Vec<PathBuf>, another_round: bool) {
        for out in spent.drain(..) {
            let _ = std::fs::remove_dir_all(out);
        }
        if another_round && p.files.len() > SETTLE_AFTER_FILES {
            if let Ok(dir) = File::open(&self.dir) {
                let _ = rustix::fs::syncfs(&dir);
            }
            println!(
                "(waiting {} s for the file system to forget the files deleted)",
                SETTLE.as_secs()
            );
            std::thread::sleep(SETTLE);
        }
    }

    fn leech_into(
        &self,
        p: &Payload,
        leecher: Leecher,
        seeder: &mut Seeder,
        out: &Path,
        tag: &str,
    ) -> Result<Sample, String> {
        let peer = format!("127.0.0.1:{}", seeder.port);
        let aria2_port = if leecher == Leecher::Aria2 {
            free_port()?
        } else {
            0
        };
        let argv: Vec<OsString> = match leecher {
            Leecher::Brooklet | Leecher::BrookletPair => os_args(&[
                self.brooklet.as_os_str(),
                OsStr::new("download"),
                p.torrent.as_os_str(),
                OsStr::new("-o"),
                out.as_os_str(),
                OsStr::new("--peer"),
                OsStr::new(&peer),
            ]),
            Leecher::Aria2 => {
                let mut v = os_args(&[OsStr::new("aria2c")]);
                v.extend(
                    [
                        "--no-conf=true",
                        "--enable-dht=false",
                        "--enable-dht6=false",
                        "--bt-enable-lpd=false",
                        "--enable-peer-exchange=false",
                        "--bt-require-crypto=false",
                        "--seed-time=0",
                        "--disable-ipv6=true",
                        "--interface=127.0.0.1",
                        "--file-allocation=none",
                        "--summary-interval=0",
                        "--console-log-level=warn",
                        "--show-console-readout=false",
                        "--auto-save-interval=0",
                    ]
                    .map(OsString::from),
                );
                v.push(format!("--listen-port={aria2_port}").into());
                v.extend(os_args(&[
                    OsStr::new("--dir"),
                    out.as_os_str(),
                    p.torrent.as_os_str(),
                ]));
                v
            }
            Leecher::Libtorrent => os_args(&[
                OsStr::new(PYTHON),
                OsStr::new("-c"),
                OsStr::new(LT_LEECHER),
                p.torrent.as_os_str(),
                out.as_os_str(),
                OsStr::new(&peer),
            ]),
        };

        let time_file = self.dir.join(format!("time-{tag}.txt"));
        let _ = std::fs::remove_file(&time_file);
        let mut stdout = tempfile::tempfile().map_err(|e| e.to_string())?;
        let mut stderr = tempfile::tempfile().map_err(|e| e.to_string())?;
        let mut cmd = if self.has_time {
            let mut c = Command::new(TIME);
            c.arg("-o")
                .arg(&time_file)
                .args(["-f", "%e %U %S %M"])
                .args(&argv);
            c
        } else {
            let mut c = Command::new(&argv[0]);
            c.args(&argv[1..]);
            c
        };
        cmd.stdin(Stdio::null())
            .stdout(stdout.try_clone().map_err(|e| e.to_string())?)
            .stderr(stderr.try_clone().map_err(|e| e.to_string())?)
            .env("BROOKLET_LOOPBACK_ONLY", "1")
            .env("BROOKLET_LANG", "en");

        let timeout = self.leech_timeout(p);
        let seeder_before = seeder.cpu(self.clk_tck);
        let machine_before = machine_cpu();
        let started = Instant::now();
        let mut child = Guard::spawn(leecher.name(), &mut cmd, self.has_time)?;
        let sampler = Sampler::start(child.child.id(), self.has_time, self.clk_tck);
        if leecher == Leecher::Aria2 {
            // aria2c cannot dial a peer: the seeder dials it once it listens.
            let deadline = Instant::now() + Duration::from_secs(60);
            while !is_listening(aria2_port) {
                if let Ok(Some(status)) = child.child.try_wait() {
                    return Err(format!(
                        "exited before listening ({status}): {}",
                        last_lines(&rewind_read(&mut stdout), 3)
                    ));
                }
                if Instant::now() >= deadline {
                    return Err(format!("not listening on port {aria2_port} after 60 s"));
                }
                std::thread::sleep(Duration::from_millis(2));
            }
            seeder.connect(aria2_port)?;
        }
        let status = self.wait_leecher(&mut child, timeout);
        let wall = started.elapsed().as_secs_f64();
        let seeder_after = seeder.cpu(self.clk_tck);
        let machine = machine_cpu()
            .zip(machine_before)
            .map(|(after, before)| (after - before) / self.clk_tck);
        let usage = sampler.finish();
        let status = status?;
        let out_text = rewind_read(&mut stdout);
        if !status.success() {
            let mut why = last_lines(&rewind_read(&mut stderr), 4);
            if why.is_empty() {
                why = last_lines(&out_text, 4);
            }
            return Err(format!("{status}: {why}"));
        }
        let (cpu, rss_kib) = if self.has_time {
            parse_time(&std::fs::read_to_string(&time_file).unwrap_or_default())
        } else {
            (usage.cpu, usage.hwm_kib)
        };
        let inner = out_text
            .lines()
            .find_map(|l| l.strip_prefix("inner "))
            .and_then(|r| r.trim().parse().ok());
        compare_trees(p, out).map_err(|e| format!("OUTPUT DIFFERS from the original: {e}"))?;
        Ok(Sample {
            wall,
            cpu,
            rss_kib,
            anon_kib: usage.anon_kib,
            seeder_cpu: seeder_after
                .zip(seeder_before)
                .map(|(after, before)| after - before),
            machine,
            inner,
        })
    }

    /// Waits for a leecher until it exits, overruns `timeout` or stalls: less than
    /// [`STALL_BYTES`] read (`rchar` of `/proc/PID/io`: sockets and files) in [`STALL_TIME`].
    /// Kills it through its handle in the last two cases.
    fn wait_leecher(&self, child: &mut Guard, timeout: Duration) -> Result<ExitStatus, String> {
        let started = Instant::now();
        let mut last_check = started;
        let mut progress = (started, 0u64);
        loop {
            if let Some(status) = child.child.try_wait().map_err(|e| e.to_string())? {
                return Ok(status);
            }
            let now = Instant::now();
            if now >= started + timeout {
                child.kill();
                return Err(format!("timed out after {} s: killed", timeout.as_secs()));
            }
            if now >= last_check + Duration::from_secs(1) {
                last_check = now;
                let pid = if child.wrapped {
                    children_of(child.child.id()).first().copied()
                } else {
                    Some(child.child.id())
                };
                if let Some(read) = pid.and_then(read_bytes) {
                    if read >= progress.1 + STALL_BYTES {
                        progress = (now, read);
                    } else if now >= progress.0 + STALL_TIME {
                        child.kill();
                        return Err(format!(
                            "stalled: under {} MB read in {} s ({read} bytes in {:.0} s): killed",
                            STALL_BYTES / 1_000_000,
                            STALL_TIME.as_secs(),
                            now.duration_since(started).as_secs_f64()
                        ));
                    }
                }
            }
            std::thread::sleep(Duration::from_millis(1));
        }
    }

    fn libtorrent_seeder(&self, p: &Payload) -> Result<Seeder, String> {
        let timeout = self.seed_timeout(p);
        let mut cmd = Command::new(PYTHON);
        cmd.arg("-c")
            .arg(LT_SEEDER)
            .arg(&p.torrent)
            .arg(&p.parent)
            .arg(timeout.as_secs().to_string());
        let mut seeder = Seeder::spawn("libtorrent seeder", &mut cmd, true)?;
        let line = seeder.wait_line(timeout + Duration::from_secs(30), |l| {
            l.starts_with("ready ") || l.starts_with("error")
        })?;
        if let Some(e) = line.strip_prefix("error") {
            return Err(e.trim().to_owned());
        }
        seeder.port = line[6..]
            .trim()
            .parse()
            .map_err(|_| format!("bad line {line:?}"))?;
        seeder.ready_after = seeder.started.elapsed().as_secs_f64();
        Ok(seeder)
    }

    fn brooklet_seeder(&self, p: &Payload) -> Result<Seeder, String> {
        let mut cmd = Command::new(&self.brooklet);
        cmd.arg("seed")
            .arg(&p.torrent)
            .arg(&p.parent)
            .env("BROOKLET_LOOPBACK_ONLY", "1")
            .env("BROOKLET_LANG", "en");
        let mut seeder = Seeder::spawn("brooklet seed", &mut cmd, false)?;
        let line = seeder.wait_line(Duration::from_secs(30), |l| {
            l.starts_with("listening on port ")
        })?;
        seeder.port = line["listening on port ".len()..]
            .trim()
            .parse()
            .map_err(|_| format!("bad line {line:?}"))?;
        seeder.wait_line(self.seed_timeout(p), |l| l.starts_with("Seeding"))?;
        seeder.ready_after = seeder.started.elapsed().as_secs_f64();
        Ok(seeder)
    }

    fn print_table(&self, p: &Payload, rows: &[Row]) {
        let others: Vec<&Sample> = rows
            .iter()
            .filter(|r| r.leecher.is_other())
            .filter_map(Row::best)
            .collect();
        let rate = |s: &Sample| p.bytes as f64 / s.wall / 1e6;
        let best_rate = others.iter().map(|s| rate(s)).reduce(f64::max);
        let best_cpu = others.iter().filter_map(|s| s.cpu).reduce(f64::min);
        let best_rss = others
            .iter()
            .filter_map(|s| s.rss_kib)
            .map(|k| k as f64)
            .reduce(f64::min);
        let best_anon = others
            .iter()
            .filter_map(|s| s.anon_kib)
            .map(|k| k as f64)
            .reduce(f64::min);
        let ratio = |x: Option<f64>, best: Option<f64>| match (x, best) {
            (Some(x), Some(b)) if b > 0.0 => format!("{:.2}", x / b),
            _ => "-".to_owned(),
        };
        let mib =
            |k: Option<u64>| k.map_or("-".to_owned(), |k| format!("{:.1}", k as f64 / 1024.0));
        let secs = |c: Option<f64>| c.map_or("-".to_owned(), |c| format!("{c:.2}"));
        let gib = p.bytes as f64 / GIB;
        println!(
            "{:<22} {:>8} {:>8} {:>7} {:>9} {:>9} {:>9} {:>8} {:>7} | {:>6} {:>6} {:>6} {:>6}",
            "leecher",
            "wall s",
            "MB/s",
            "CPU-s",
            "CPU-s/GiB",
            "peak RSS",
            "anon RSS",
            "seed CPU",
            "others",
            "MB/s x",
            "CPU x",
            "RSS x",
            "anon x"
        );
        println!(
            "{:<22} {:>8} {:>8} {:>7} {:>9} {:>9} {:>9} {:>8} {:>7} | {:>6} {:>6} {:>6} {:>6}",
            "", "", "", "", "", "MiB", "MiB", "s", "s", "", "", "", ""
        );
        println!("{}", "-".repeat(22 + 9 * 8 + 3 + 4 * 7 - 1));
        for row in rows {
            let mut line = format!("{:<22} ", row.leecher.name());
            if let Some(m) = &row.missing {
                let _ = write!(line, "not run: {m}");
                println!("{line}");
                continue;
            }
            let Some(s) = row.best() else {
                let _ = write!(
                    line,
                    "FAILED: {}",
                    row.failure.as_deref().unwrap_or("no run")
                );
                println!("{line}");
                continue;
            };
            let _ = write!(
                line,
                "{:>8.2} {:>8.1} {:>7} {:>9} {:>9} {:>9} {:>8} {:>7} | {:>6} {:>6} {:>6} {:>6}",
                s.wall,
                rate(s),
                secs(s.cpu),
                s.cpu.map_or("-".to_owned(), |c| format!("{:.2}", c / gib)),
                mib(s.rss_kib),
                mib(s.anon_kib),
                secs(s.seeder_cpu),
                secs(s.others()),
                ratio(Some(rate(s)), best_rate),
                ratio(s.cpu, best_cpu),
                ratio(s.rss_kib.map(|k| k as f64), best_rss),
                ratio(s.anon_kib.map(|k| k as f64), best_anon),
            );
            println!("{line}");
        }
        println!(
            "MB = 10^6 bytes; wall = start of the leecher to the data complete (its exit; \
             libtorrent: seeding, its writes done); CPU-s = user+sys of the leecher; seed CPU = the seeder's \
             CPU-s meanwhile; others = CPU-s of every other process (background noise); \
             anon RSS = peak RssAnon sampled every 20 ms. The x columns divide by the best \
             other client (aria2c or libtorrent) in this run: MB/s higher is better, CPU and \
             RSS lower."
        );
        for row in rows {
            if let Some(inner) = row.best().and_then(|s| s.inner) {
                println!(
                    "note:       {}: {inner:.2} s inside the script ({:.1} MB/s); the rest is \
                     Python start-up and the libtorrent import",
                    row.leecher.name(),
                    p.bytes as f64 / inner / 1e6
                );
            }
        }
    }

    /// Prints whether Brooklet (leeching from libtorrent) meets each goal; returns the verdicts.
    fn print_goals(&self, p: &Payload, rows: &[Row]) -> Vec<bool> {
        let find = |l: Leecher| rows.iter().find(|r| r.leecher == l);
        let verdict = |ok: bool| if ok { "met" } else { "NOT MET" };
        let Some(b) = find(Leecher::Brooklet).and_then(Row::best) else {
            println!("goals:      FAILED: no Brooklet result");
            return vec![false];
        };
        let mut met = Vec::new();
        let rate = |s: &Sample| p.bytes as f64 / s.wall / 1e6;
        let best_other = rows
            .iter()
            .filter(|r| r.leecher.is_other())
            .filter_map(|r| Some((r.leecher, r.best()?)))
            .max_by(|a, b| rate(a.1).total_cmp(&rate(b.1)));
        match best_other {
            Some((l, o)) => {
                let x = rate(b) / rate(o);
                let ok = x >= GOAL_SPEEDUP;
                met.push(ok);
                println!(
                    "goal:       throughput >= {GOAL_SPEEDUP}x the best other client ({}, {:.1} \
                     MB/s): Brooklet {:.1} MB/s = {x:.2}x: {}",
                    l.name(),
                    rate(o),
                    rate(b),
                    verdict(ok)
                );
            }
            None => println!("goal:       throughput: no other client to compare with"),
        }
        match b.cpu {
            Some(c) => {
                let per = c / (p.bytes as f64 / GIB);
                let ok = per <= GOAL_CPU_PER_GIB;
                met.push(ok);
                println!(
                    "goal:       CPU <= {GOAL_CPU_PER_GIB} CPU-s per GiB: {c:.2} CPU-s = {per:.2} \
                     per GiB: {}",
                    verdict(ok)
                );
            }
            None => println!("goal:       CPU: not measured"),
        }
        match b.rss_kib {
            Some(k) => {
                let m = k as f64 / 1024.0;
                let ok = m < GOAL_RSS_MIB;
                met.push(ok);
                println!(
                    "goal:       peak RSS < {GOAL_RSS_MIB} MiB: {m:.1} MiB{}: {}",
                    b.anon_kib.map_or(String::new(), |a| format!(
                        " (anonymous {:.1} MiB)",
                        a as f64 / 1024.0
                    )),
                    verdict(ok)
                );
            }
            None => println!("goal:       peak RSS: not measured"),
        }
        if let Some(pair) = find(Leecher::BrookletPair).and_then(Row::best) {
            println!(
                "note:       Brooklet → Brooklet: {:.1} MB/s = {:.2}x Brooklet from libtorrent",
                rate(pair),
                rate(pair) / rate(b)
            );
        }
        met
    }
}

/// A child killed (through its handle) and reaped when dropped while still running. A child
/// that is `/usr/bin/time` has its own child (the measured program) killed first, by id, as
/// killing the wrapper alone would leave it running.
struct Guard {
    name: String,
    child: Child,
    wrapped: bool,
}

impl Guard {
    fn spawn(name: &str, cmd: &mut Command, wrapped: bool) -> Result<Guard, String> {
        let child = cmd
            .spawn()
            .map_err(|e| format!("cannot start {name}: {e}"))?;
        Ok(Guard {
            name: name.to_owned(),
            child,
            wrapped,
        })
    }

    /// Waits at most `timeout`; on a timeout kills the child and says so.
    fn wait(&mut self, timeout: Duration) -> Result<ExitStatus, String> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(status) = self.child.try_wait().map_err(|e| e.to_string())? {
                return Ok(status);
            }
            if Instant::now() >= deadline {
                self.kill();
                return Err(format!(
                    "{}: timed out after {} s: killed",
                    self.name,
                    timeout.as_secs()
                ));
            }
            std::thread::sleep(Duration::from_millis(1));
        }
    }

    fn kill(&mut self) {
        if !matches!(self.child.try_wait(), Ok(None)) {
            return;
        }
        if self.wrapped {
            for id in children_of(self.child.id()) {
                let argv = os_args(&[
                    OsStr::new("kill"),
                    OsStr::new("-KILL"),
                    OsStr::new(&id.to_string()),
                ]);
                let _ = capture(&argv, Duration::from_secs(10));
            }
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A seeder process: its stdout lines arrive on a channel.
struct Seeder {
    guard: Guard,
    port: u16,
    started: Instant,
    ready_after: f64,
    lines: mpsc::Receiver<String>,
    reader: Option<JoinHandle<()>>,
    stdin: Option<ChildStdin>,
    stderr: File,
    /// `brooklet seed` stops on SIGTERM; the libtorrent script when its stdin closes.
    brooklet: bool,
}

impl Seeder {
    fn spawn(name: &str, cmd: &mut Command, with_stdin: bool) -> Result<Seeder, String> {
        let stderr = tempfile::tempfile().map_err(|e| e.to_string())?;
        cmd.stdin(if with_stdin {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(stderr.try_clone().map_err(|e| e.to_string())?);
        let started = Instant::now();
        let mut guard = Guard::spawn(name, cmd, false)?;
        let stdout = guard.child.stdout.take().expect("piped stdout");
        let stdin = guard.child.stdin.take();
        let (tx, rx) = mpsc::channel();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line.trim().to_owned()).is_err() {
                    break;
                }
            }
        });
        Ok(Seeder {
            guard,
            port: 0,
            started,
            ready_after: 0.0,
            lines: rx,
            reader: Some(reader),
            stdin,
            stderr,
            brooklet: !with_stdin,
        })
    }

    /// The first stdout line that `pred` accepts.
    fn wait_line(
        &mut self,
        timeout: Duration,
        pred: impl Fn(&str) -> bool,
    ) -> Result<String, String> {
        let deadline = Instant::now() + timeout;
        loop {
            match self
                .lines
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            {
                Ok(line) if pred(&line) => return Ok(line),
                Ok(_) => {}
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    self.guard.kill();
                    return Err(format!(
                        "{}: nothing expected after {} s: killed; {}",
                        self.guard.name,
                        timeout.as_secs(),
                        last_lines(&rewind_read(&mut self.stderr), 4)
                    ));
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    let status = self.guard.wait(Duration::from_secs(10));
                    return Err(format!(
                        "{} exited ({}): {}",
                        self.guard.name,
                        status.map_or_else(|e| e, |s| s.to_string()),
                        last_lines(&rewind_read(&mut self.stderr), 4)
                    ));
                }
            }
        }
    }

    /// Has the libtorrent seeder dial 127.0.0.1:`port`.
    fn connect(&mut self, port: u16) -> Result<(), String> {
        let stdin = self
            .stdin
            .as_mut()
            .ok_or_else(|| "this seeder cannot dial peers".to_owned())?;
        writeln!(stdin, "connect 127.0.0.1 {port}")
            .and_then(|()| stdin.flush())
            .map_err(|e| format!("the seeder's stdin: {e}"))?;
        self.wait_line(Duration::from_secs(30), |l| l == "ok")
            .map(|_| ())
    }

    /// CPU seconds the seeder has used so far.
    fn cpu(&self, clk_tck: f64) -> Option<f64> {
        proc_cpu(self.guard.child.id(), clk_tck)
    }

    /// Stops it the polite way (stdin closed or SIGTERM), then through its handle.
    fn stop(mut self) {
        if self.brooklet {
            let argv = os_args(&[
                OsStr::new("kill"),
                OsStr::new("-TERM"),
                OsStr::new(&self.guard.child.id().to_string()),
            ]);
            let _ = capture(&argv, Duration::from_secs(10));
        }
        drop(self.stdin.take());
        if let Err(e) = self.guard.wait(STOP_TIMEOUT) {
            println!("WARNING: {e}");
        }
        if let Some(r) = self.reader.take() {
            let _ = r.join();
        }
    }
}

#[derive(Default)]
struct Usage {
    anon_kib: Option<u64>,
    hwm_kib: Option<u64>,
    cpu: Option<f64>,
}

/// Samples the memory (and CPU) of a measured process every 20 ms on a thread of its own.
struct Sampler {
    stop: Arc<AtomicBool>,
    handle: Option<JoinHandle<Usage>>,
}

impl Sampler {
    /// `pid` is the measured program or, when `wrapped`, the `/usr/bin/time` running it.
    fn start(pid: u32, wrapped: bool, clk_tck: f64) -> Sampler {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let handle = std::thread::spawn(move || {
            let mut usage = Usage::default();
            while !flag.load(Ordering::Relaxed) {
                let target = if wrapped {
                    children_of(pid).first().copied()
                } else {
                    Some(pid)
                };
                if let Some(t) = target {
                    if let Ok(status) = std::fs::read_to_string(format!("/proc/{t}/status")) {
                        if let Some(a) = status_kib(&status, "RssAnon:") {
                            usage.anon_kib = Some(usage.anon_kib.unwrap_or(0).max(a));
                        }
                        if let Some(h) = status_kib(&status, "VmHWM:") {
                            usage.hwm_kib = Some(usage.hwm_kib.unwrap_or(0).max(h));
                        }
                    }
                    if let Some(c) = proc_cpu(t, clk_tck) {
                        usage.cpu = Some(c);
                    }
                }
                std::thread::sleep(SAMPLE_EVERY);
            }
            usage
        });
        Sampler {
            stop,
            handle: Some(handle),
        }
    }

    fn finish(mut self) -> Usage {
        self.stop.store(true, Ordering::Relaxed);
        self.handle
            .take()
            .and_then(|h| h.join().ok())
            .unwrap_or_default()
    }
}

impl Drop for Sampler {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// Bytes a process has read so far (`rchar`: sockets and files).
fn read_bytes(pid: u32) -> Option<u64> {
    std::fs::read_to_string(format!("/proc/{pid}/io"))
        .ok()?
        .lines()
        .find_map(|l| l.strip_prefix("rchar:"))?
        .trim()
        .parse()
        .ok()
}

fn status_kib(status: &str, key: &str) -> Option<u64> {
    status
        .lines()
        .find_map(|l| l.strip_prefix(key))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
}

/// utime + stime of a process, in seconds.
fn proc_cpu(pid: u32, clk_tck: f64) -> Option<f64> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let fields = stat_fields(&s)?;
    // utime and stime are fields 14 and 15; `fields` starts at field 3.
    let t: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(t / clk_tck)
}

/// The fields of `/proc/<pid>/stat` after the command name (field 3 onwards).
fn stat_fields(stat: &str) -> Option<Vec<&str>> {
    let rest = &stat[stat.rfind(')')? + 1..];
    Some(rest.split_whitespace().collect())
}

fn children_of(pid: u32) -> Vec<u32> {
    std::fs::read_to_string(format!("/proc/{pid}/task/{pid}/children"))
        .unwrap_or_default()
        .split_whitespace()
        .filter_map(|id| id.parse().ok())
        .collect()
}

/// Whether something listens on 127.0.0.1:`port` (TCP), from `/proc/net/tcp`.
fn is_listening(port: u16) -> bool {
    let local = format!("0100007F:{port:04X}");
    std::fs::read_to_string("/proc/net/tcp").is_ok_and(|s| {
        s.lines().skip(1).any(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            f.get(1) == Some(&local.as_str()) && f.get(3) == Some(&"0A")
        })
    })
}

/// A free TCP port on 127.0.0.1 (free when this returns; nothing holds it afterwards).
fn free_port() -> Result<u16, String> {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("no free port: {e}"))
}

/// Compares every file of the payload under `out` with the original, byte for byte.
fn compare_trees(p: &Payload, out: &Path) -> Result<(), String> {
    let mut a = vec![0u8; CHUNK];
    let mut b = vec![0u8; CHUNK];
    for (rel, size) in &p.files {
        let got = out.join(rel);
        let len = std::fs::metadata(&got)
            .map_err(|e| format!("{}: {e}", rel.display()))?
            .len();
        if len != *size {
            return Err(format!("{}: {len} bytes, not {size}", rel.display()));
        }
        let mut fa = File::open(p.parent.join(rel)).map_err(|e| e.to_string())?;
        let mut fb = File::open(&got).map_err(|e| e.to_string())?;
        let mut offset = 0u64;
        while offset < *size {
            let n = (*size - offset).min(CHUNK as u64) as usize;
            fa.read_exact(&mut a[..n]).map_err(|e| e.to_string())?;
            fb.read_exact(&mut b[..n])
                .map_err(|e| format!("{}: {e}", rel.display()))?;
            if a[..n] != b[..n] {
                let at = a[..n].iter().zip(&b[..n]).position(|(x, y)| x != y);
                return Err(format!(
                    "{}: first difference at byte {}",
                    rel.display(),
                    offset + at.unwrap_or(0) as u64
                ));
            }
            offset += n as u64;
        }
    }
    Ok(())
}

/// xorshift64 (13, 7, 17).
struct Xorshift(u64);

impl Xorshift {
    fn new(seed: u64) -> Self {
        Xorshift(seed.max(1))
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// Writes `size` bytes of `rng` output in 8 MiB chunks, then flushes them to disk so no
/// write-back runs during the measurements.
fn write_file(path: &Path, size: u64, rng: &mut Xorshift) -> std::io::Result<()> {
    let mut f = File::create(path)?;
    let mut buf = vec![0u8; (size.min(CHUNK as u64) as usize).next_multiple_of(8)];
    let mut left = size;
    while left > 0 {
        for word in buf.chunks_exact_mut(8) {
            word.copy_from_slice(&rng.next().to_le_bytes());
        }
        let n = left.min(buf.len() as u64) as usize;
        f.write_all(&buf[..n])?;
        left -= n as u64;
    }
    f.sync_all()
}

/// Runs `argv` with a timeout and returns its standard output (an error on failure).
fn capture(argv: &[OsString], timeout: Duration) -> Result<String, String> {
    let mut out = tempfile::tempfile().map_err(|e| e.to_string())?;
    let mut err = tempfile::tempfile().map_err(|e| e.to_string())?;
    let mut cmd = Command::new(&argv[0]);
    cmd.args(&argv[1..])
        .stdin(Stdio::null())
        .stdout(out.try_clone().map_err(|e| e.to_string())?)
        .stderr(err.try_clone().map_err(|e| e.to_string())?)
        .env("BROOKLET_LOOPBACK_ONLY", "1")
        .env("BROOKLET_LANG", "en");
    let mut child = Guard::spawn(&argv[0].to_string_lossy(), &mut cmd, false)?;
    let status = child.wait(timeout)?;
    if status.success() {
        Ok(rewind_read(&mut out))
    } else {
        Err(format!(
            "{status}: {}",
            last_lines(&rewind_read(&mut err), 3)
        ))
    }
}

fn rewind_read(f: &mut File) -> String {
    let _ = f.rewind();
    let mut bytes = Vec::new();
    let _ = f.read_to_end(&mut bytes);
    String::from_utf8_lossy(&bytes).into_owned()
}

fn last_lines(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    lines[lines.len().saturating_sub(n)..].join(" | ")
}

/// `%e %U %S %M` from `/usr/bin/time` (the last line; earlier ones may be its own remarks).
fn parse_time(text: &str) -> (Option<f64>, Option<u64>) {
    let Some(line) = text.lines().rev().find(|l| !l.trim().is_empty()) else {
        return (None, None);
    };
    let f: Vec<&str> = line.split_whitespace().collect();
    let num = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok());
    let cpu = num(1).zip(num(2)).map(|(u, s)| u + s);
    (cpu, f.get(3).and_then(|v| v.parse().ok()))
}

fn clock_ticks() -> f64 {
    capture(
        &[OsString::from("getconf"), "CLK_TCK".into()],
        Duration::from_secs(30),
    )
    .ok()
    .and_then(|s| s.trim().parse().ok())
    .unwrap_or(100.0)
}

/// Busy CPU time of the whole machine so far, in clock ticks: user, nice, system, irq, softirq
/// and steal of the `cpu` line of `/proc/stat` (guest time is already inside user).
fn machine_cpu() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/stat").ok()?;
    let line = s.lines().find(|l| l.starts_with("cpu "))?;
    let v: Vec<f64> = line
        .split_whitespace()
        .skip(1)
        .filter_map(|x| x.parse().ok())
        .collect();
    Some([0, 1, 2, 5, 6, 7].iter().filter_map(|&i| v.get(i)).sum())
}

fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, v)| v.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown".into())
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

fn find_in_path(program: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join(program))
        .find(|p| p.is_file())
}

fn libtorrent_missing() -> Option<String> {
    if !Path::new(PYTHON).is_file() {
        return Some(format!(
            "{PYTHON} not installed (apt-get install python3-libtorrent)"
        ));
    }
    let argv = [
        OsString::from(PYTHON),
        "-c".into(),
        "import libtorrent".into(),
    ];
    capture(&argv, Duration::from_secs(60))
        .err()
        .map(|_| "python3-libtorrent not installed (apt-get install python3-libtorrent)".into())
}

/// The release-profile binary cargo built for this bench (`cargo bench` builds the package's
/// binaries with the bench profile, which is the release profile); built if it is missing.
fn brooklet_binary() -> PathBuf {
    let exe = PathBuf::from(env!("CARGO_BIN_EXE_brooklet"));
    if !exe.is_file() {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let argv = os_args(&[
            cargo.as_os_str(),
            OsStr::new("build"),
            OsStr::new("--release"),
            OsStr::new("--manifest-path"),
            OsStr::new(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml")),
            OsStr::new("--bin"),
            OsStr::new("brooklet"),
        ]);
        if let Err(e) = capture(&argv, Duration::from_secs(1800)) {
            eprintln!("cannot build brooklet: {e}");
        }
    }
    exe
}

fn os_args(args: &[&OsStr]) -> Vec<OsString> {
    args.iter().map(|a| a.to_os_string()).collect()
}
