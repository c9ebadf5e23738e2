#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `cargo bench --bench hashing`: how fast Brooklet makes and checks a torrent, next to
//! openssl's SHA-1 speed on every core and to other clients doing the same work.
//!
//! One pseudo-random file (2 GiB, or `BROOKLET_BENCH_SIZE` bytes) is written to a temporary
//! folder, flushed to disk and read once, so every tool hashes from the page cache. Then:
//! - the yardstick: `openssl speed -evp sha1` on one core (16 KiB blocks) times the core count,
//!   one message at a time per core as every other tool hashes; Brooklet hashes four pieces in
//!   step per core where the CPU has SHA-NI (`engine::sha1_lanes`), so it can pass it;
//! - `create` with a 1 MiB piece length: Brooklet (all cores, then `--threads 1`), mktorrent,
//!   transmission-create and python3-libtorrent; every torrent's info-hash is compared with
//!   Brooklet's (through `brooklet info --json`) and any difference is explained;
//! - `verify` of Brooklet's torrent: Brooklet, libtorrent's recheck and `transmission-cli -v`.
//!
//! Each tool runs three times (round-robin, so a burst of background load hits every tool
//! alike) and the best wall-clock time is kept. CPU seconds and peak RSS come from
//! `/usr/bin/time` when it is installed. A missing tool is reported, never fatal. Every child
//! is waited for with a timeout and killed through its handle when it overruns; nothing
//! listens or connects beyond loopback.
//!
//! `cargo test` does not run this (benches are not test targets); `cargo test --benches` builds
//! and starts it without `--bench`, and then it returns at once.

use brooklet::engine::metainfo::Metainfo;
use serde_bencode::value::Value;
use std::cell::{Cell, RefCell};
use std::ffi::{OsStr, OsString};
use std::fmt::Write as _;
use std::fs::File;
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const DEFAULT_SIZE: u64 = 2 << 30;
const CHUNK: usize = 8 << 20;
const PIECE_LENGTH: u64 = 1 << 20;
const RUNS: usize = 3;
const TIMEOUT: Duration = Duration::from_secs(300);
const TIME: &str = "/usr/bin/time";
const PYTHON: &str = "/usr/bin/python3";
const BROOKLET: &str = "brooklet";
const BROOKLET_1: &str = "brooklet --threads 1";

const LT_CREATE: &str = r#"
import os, sys, time
import libtorrent as lt
path, out, piece = sys.argv[1], sys.argv[2], int(sys.argv[3])
fs = lt.file_storage()
fs.add_file(os.path.basename(path), os.path.getsize(path))
t = lt.create_torrent(fs, piece, flags=lt.create_torrent.v1_only)
t0 = time.monotonic()
lt.set_piece_hashes(t, os.path.dirname(os.path.abspath(path)))
inner = time.monotonic() - t0
with open(out, "wb") as f:
    f.write(lt.bencode(t.generate()))
print("inner", inner)
"#;

const LT_CHECK: &str = r#"
import sys, time
import libtorrent as lt
torrent, save, threads = sys.argv[1], sys.argv[2], int(sys.argv[3])
ses = lt.session({
    "listen_interfaces": "127.0.0.1:0",
    "enable_dht": False, "enable_lsd": False, "enable_upnp": False, "enable_natpmp": False,
    "hashing_threads": threads,
    "alert_mask": lt.alert.category_t.status_notification | lt.alert.category_t.error_notification,
})
ti = lt.torrent_info(torrent)
t0 = time.monotonic()
h = ses.add_torrent({"ti": ti, "save_path": save})
done = False
while not done:
    ses.wait_for_alert(50)
    for a in ses.pop_alerts():
        if isinstance(a, lt.torrent_checked_alert):
            done = True
        elif isinstance(a, (lt.torrent_error_alert, lt.file_error_alert)):
            print("error", a.message())
            sys.exit(1)
    if h.status().state == lt.torrent_status.seeding:
        done = True
inner = time.monotonic() - t0
st = h.status()
print("inner", inner, "progress", st.progress)
sys.exit(0 if st.progress == 1.0 else 1)
"#;

/// Only loopback, no DHT/LPD/PEX/µTP, no port mapping, no RPC, a random port.
const TRANSMISSION_SETTINGS: &str = r#"{
  "dht-enabled": false,
  "lpd-enabled": false,
  "pex-enabled": false,
  "utp-enabled": false,
  "port-forwarding-enabled": false,
  "rpc-enabled": false,
  "blocklist-enabled": false,
  "bind-address-ipv4": "127.0.0.1",
  "bind-address-ipv6": "::1",
  "peer-port-random-on-start": true,
  "message-level": 1
}
"#;

/// How CPU time and memory of a child are measured.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Meter {
    /// `/usr/bin/time`: user+sys and peak RSS of each child.
    Time,
    /// `cutime + cstime` of `/proc/self/stat` before and after each child: CPU only.
    ProcSelf,
    /// Wall clock only.
    Wall,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Op {
    Create,
    Verify,
}

impl Op {
    fn name(self) -> &'static str {
        match self {
            Op::Create => "create",
            Op::Verify => "verify",
        }
    }
}

#[derive(Clone, Debug)]
struct Sample {
    wall: f64,
    cpu: Option<f64>,
    rss_kib: Option<u64>,
    /// What the child said about its own timing (libtorrent's scripts), if anything.
    inner: Option<f64>,
    /// CPU seconds the whole machine spent during the run (all processes, `/proc/stat`).
    machine: Option<f64>,
}

impl Sample {
    /// CPU seconds other processes took during the run: background noise.
    fn others(&self) -> Option<f64> {
        Some((self.machine? - self.cpu?).max(0.0))
    }
}

enum How {
    /// A plain command; `output` (if any) is deleted before each run.
    Plain {
        argv: Vec<OsString>,
        output: Option<PathBuf>,
    },
    /// `transmission-cli -v`, which seeds forever after checking: stopped at "Seeding".
    TransmissionVerify { torrent: PathBuf },
}

struct Job {
    tool: &'static str,
    op: Op,
    how: How,
    missing: Option<String>,
    /// Why runs failed; the row still shows the best successful run, if any.
    failures: Vec<String>,
    samples: Vec<Sample>,
}

impl Job {
    fn new(tool: &'static str, op: Op, how: How, missing: Option<String>) -> Self {
        Job {
            tool,
            op,
            how,
            missing,
            failures: Vec::new(),
            samples: Vec::new(),
        }
    }

    fn best(&self) -> Option<&Sample> {
        self.samples.iter().min_by(|a, b| a.wall.total_cmp(&b.wall))
    }

    fn output(&self) -> Option<&Path> {
        match &self.how {
            How::Plain { output, .. } => output.as_deref(),
            How::TransmissionVerify { .. } => None,
        }
    }
}

struct Bench {
    dir: PathBuf,
    data_dir: PathBuf,
    file: PathBuf,
    size: u64,
    cores: usize,
    meter: Meter,
    clk_tck: f64,
    brooklet: PathBuf,
    /// Seconds the first read of the file from the page cache took.
    cached_read: Cell<f64>,
    /// The run before the current one, to name whoever evicted the file from the page cache.
    last_run: RefCell<Option<String>>,
    /// Runs after which the file had to be read back from disk.
    evictions: RefCell<Vec<String>>,
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        eprintln!("hashing: a benchmark; run it with `cargo bench --bench hashing`");
        return;
    }
    let size = match std::env::var("BROOKLET_BENCH_SIZE") {
        Ok(v) => v
            .trim()
            .parse::<u64>()
            .ok()
            .filter(|&n| n > 0)
            .expect("BROOKLET_BENCH_SIZE must be a positive number of bytes"),
        Err(_) => DEFAULT_SIZE,
    };
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let tmp = tempfile::Builder::new()
        .prefix("brooklet-bench-")
        .tempdir()
        .expect("temporary folder");
    let data_dir = tmp.path().join("data");
    std::fs::create_dir(&data_dir).unwrap();
    let meter = if Path::new(TIME).is_file() {
        Meter::Time
    } else if Path::new("/proc/self/stat").is_file() {
        Meter::ProcSelf
    } else {
        Meter::Wall
    };
    let bench = Bench {
        dir: tmp.path().to_owned(),
        file: data_dir.join("data.bin"),
        data_dir,
        size,
        cores,
        meter,
        clk_tck: clock_ticks(),
        brooklet: brooklet_binary(),
        cached_read: Cell::new(f64::INFINITY),
        last_run: RefCell::new(None),
        evictions: RefCell::new(Vec::new()),
    };
    bench.run();
}

impl Bench {
    fn run(&self) {
        println!("== Brooklet hashing benchmark ==");
        println!("cpu:        {}", cpu_model());
        println!(
            "cores:      {} (std::thread::available_parallelism); sha_ni: {}",
            self.cores,
            if has_sha_ni() { "yes" } else { "no" }
        );
        println!("load avg:   {} (at start)", load_average());
        if let Some(before) = machine_cpu() {
            std::thread::sleep(Duration::from_secs(1));
            if let Some(after) = machine_cpu() {
                let busy = (after - before) / self.clk_tck;
                println!(
                    "busy now:   {busy:.2} of {} cores used by other processes",
                    self.cores
                );
                if busy > 0.1 {
                    println!(
                        "WARNING: the machine is not idle: the times below are pessimistic (see \
                         the \"others\" column)"
                    );
                }
            }
        }
        println!("brooklet:   {}", self.brooklet.display());
        println!(
            "measuring:  {}",
            match self.meter {
                Meter::Time => "wall clock + CPU (user+sys) and peak RSS from /usr/bin/time",
                Meter::ProcSelf =>
                    "wall clock + CPU (user+sys) from /proc/self/stat cutime+cstime; no RSS \
                     (/usr/bin/time not installed)",
                Meter::Wall => "wall clock only (/usr/bin/time and /proc not available)",
            }
        );

        let started = Instant::now();
        make_data(&self.file, self.size).expect("writing the test file");
        let wrote = started.elapsed().as_secs_f64();
        read_all(&self.file).expect("reading the test file");
        let read = read_all(&self.file).expect("reading the test file");
        self.cached_read.set(read);
        println!(
            "data:       {} bytes ({:.2} GiB) in {}; written+synced in {:.2} s, read back from \
             the page cache at {:.2} GB/s (and again before every run)",
            self.size,
            self.size as f64 / f64::from(1u32 << 30),
            self.file.display(),
            wrote,
            self.size as f64 / read / 1e9
        );

        let limit = self.hashing_limit();
        println!();

        // create
        let mut create = self.create_jobs();
        self.run_jobs(&mut create);
        let reference = create
            .iter()
            .find(|j| j.tool == BROOKLET && j.best().is_some())
            .or_else(|| create.iter().find(|j| j.best().is_some()))
            .and_then(Job::output)
            .map(Path::to_path_buf);

        // verify
        let mut verify = match &reference {
            Some(t) => self.verify_jobs(t),
            None => {
                println!("no torrent was made: verify skipped");
                Vec::new()
            }
        };
        self.run_jobs(&mut verify);

        println!();
        let jobs: Vec<&Job> = create.iter().chain(verify.iter()).collect();
        self.print_table(&jobs, limit);
        println!();
        self.compare_info_hashes(&create);
        self.print_notes(&jobs, limit);
        println!("load avg:   {} (at end)", load_average());
    }

    /// Per-core SHA-1 speed from openssl, in bytes/s, and the all-core figure.
    fn hashing_limit(&self) -> Option<f64> {
        let Some(openssl) = find_in_path("openssl") else {
            println!("hash limit: openssl not installed: no limit to compare with");
            return None;
        };
        let speed = |multi: Option<usize>| -> Result<f64, String> {
            let mut argv: Vec<OsString> = vec![openssl.clone().into(), "speed".into()];
            if let Some(n) = multi {
                argv.extend(["-multi".into(), n.to_string().into()]);
            }
            argv.extend(["-evp", "sha1", "-seconds", "2"].map(OsString::from));
            let out = capture(&argv, Duration::from_secs(120))?;
            parse_openssl(&out).ok_or_else(|| format!("no sha1 line in: {out}"))
        };
        match speed(None) {
            Ok(per_core_k) => {
                let per_core = per_core_k * 1000.0;
                let all = per_core * self.cores as f64;
                println!(
                    "hash limit: openssl speed -evp sha1 (16384-byte blocks): {:.3} GB/s per core \
                     ({per_core_k:.0}k) x {} cores = {:.3} GB/s all-core",
                    per_core / 1e9,
                    self.cores,
                    all / 1e9
                );
                if self.cores > 1 {
                    match speed(Some(self.cores)) {
                        Ok(k) => println!(
                            "            (openssl speed -multi {} measures {:.3} GB/s together: \
                             {:.0} % of the product)",
                            self.cores,
                            k * 1000.0 / 1e9,
                            k * 1000.0 / all * 100.0
                        ),
                        Err(e) => println!("            (openssl speed -multi failed: {e})"),
                    }
                }
                Some(all)
            }
            Err(e) => {
                println!("hash limit: openssl speed failed: {e}");
                None
            }
        }
    }

    fn out_path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    fn create_jobs(&self) -> Vec<Job> {
        let file: OsString = self.file.clone().into();
        let mut jobs = Vec::new();

        let out = self.out_path("brooklet.torrent");
        let argv = os_args(&[
            self.brooklet.as_os_str(),
            OsStr::new("create"),
            &file,
            OsStr::new("-o"),
            out.as_os_str(),
            OsStr::new("--piece-length"),
            OsStr::new(&PIECE_LENGTH.to_string()),
        ]);
        let missing = (!self.brooklet.is_file()).then(|| "not built".to_owned());
        jobs.push(Job::new(
            BROOKLET,
            Op::Create,
            How::Plain {
                argv: argv.clone(),
                output: Some(out),
            },
            missing.clone(),
        ));
        let out = self.out_path("brooklet-1.torrent");
        let mut argv1 = argv;
        argv1[4] = out.clone().into();
        argv1.extend(os_args(&[OsStr::new("--threads"), OsStr::new("1")]));
        jobs.push(Job::new(
            BROOKLET_1,
            Op::Create,
            How::Plain {
                argv: argv1,
                output: Some(out),
            },
            missing,
        ));

        let out = self.out_path("mktorrent.torrent");
        let (program, missing) = tool("mktorrent");
        let cores = self.cores.to_string();
        jobs.push(Job::new(
            "mktorrent",
            Op::Create,
            How::Plain {
                argv: os_args(&[
                    program.as_os_str(),
                    OsStr::new("-l"),
                    OsStr::new(&PIECE_LENGTH.trailing_zeros().to_string()),
                    OsStr::new("-t"),
                    OsStr::new(&cores),
                    OsStr::new("-o"),
                    out.as_os_str(),
                    &file,
                ]),
                output: Some(out),
            },
            missing,
        ));

        let out = self.out_path("transmission.torrent");
        let (program, missing) = tool("transmission-create");
        jobs.push(Job::new(
            "transmission-create",
            Op::Create,
            How::Plain {
                argv: os_args(&[
                    program.as_os_str(),
                    OsStr::new("-s"),
                    OsStr::new(&(PIECE_LENGTH / 1024).to_string()),
                    OsStr::new("-o"),
                    out.as_os_str(),
                    &file,
                ]),
                output: Some(out),
            },
            missing,
        ));

        let out = self.out_path("libtorrent.torrent");
        let script = self.out_path("lt_create.py");
        std::fs::write(&script, LT_CREATE).unwrap();
        jobs.push(Job::new(
            "libtorrent (python3)",
            Op::Create,
            How::Plain {
                argv: os_args(&[
                    OsStr::new(PYTHON),
                    script.as_os_str(),
                    &file,
                    out.as_os_str(),
                    OsStr::new(&PIECE_LENGTH.to_string()),
                ]),
                output: Some(out),
            },
            libtorrent_missing(),
        ));
        jobs
    }

    fn verify_jobs(&self, torrent: &Path) -> Vec<Job> {
        let dir: OsString = self.data_dir.clone().into();
        let mut jobs = Vec::new();
        let argv = os_args(&[
            self.brooklet.as_os_str(),
            OsStr::new("verify"),
            torrent.as_os_str(),
            &dir,
        ]);
        let missing = (!self.brooklet.is_file()).then(|| "not built".to_owned());
        jobs.push(Job::new(
            BROOKLET,
            Op::Verify,
            How::Plain {
                argv: argv.clone(),
                output: None,
            },
            missing.clone(),
        ));
        let mut argv1 = argv;
        argv1.extend(os_args(&[OsStr::new("--threads"), OsStr::new("1")]));
        jobs.push(Job::new(
            BROOKLET_1,
            Op::Verify,
            How::Plain {
                argv: argv1,
                output: None,
            },
            missing,
        ));

        let script = self.out_path("lt_check.py");
        std::fs::write(&script, LT_CHECK).unwrap();
        let threads = self.cores.to_string();
        jobs.push(Job::new(
            "libtorrent (python3)",
            Op::Verify,
            How::Plain {
                argv: os_args(&[
                    OsStr::new(PYTHON),
                    script.as_os_str(),
                    torrent.as_os_str(),
                    &dir,
                    OsStr::new(&threads),
                ]),
                output: None,
            },
            libtorrent_missing(),
        ));

        let missing = match (find_in_path("transmission-cli"), find_in_path("stdbuf")) {
            (None, _) => Some("not installed".to_owned()),
            (Some(_), None) => Some("not measurable: stdbuf (coreutils) is missing".into()),
            _ => None,
        };
        jobs.push(Job::new(
            "transmission-cli -v",
            Op::Verify,
            How::TransmissionVerify {
                torrent: torrent.to_owned(),
            },
            missing,
        ));
        jobs
    }

    fn run_jobs(&self, jobs: &mut [Job]) {
        for job in jobs.iter().filter(|j| j.missing.is_some()) {
            println!(
                "{:<8} {:<22} {}",
                job.op.name(),
                job.tool,
                job.missing.as_deref().unwrap_or_default()
            );
        }
        for run in 1..=RUNS {
            for job in jobs.iter_mut() {
                if job.missing.is_some() {
                    continue;
                }
                self.warm_cache(&format!("{} {} run {run}", job.op.name(), job.tool));
                let result = match &job.how {
                    How::Plain { argv, output } => {
                        if let Some(o) = output {
                            let _ = std::fs::remove_file(o);
                        }
                        self.run_plain(argv)
                    }
                    How::TransmissionVerify { torrent } => {
                        self.run_transmission_verify(torrent, run)
                    }
                };
                match result {
                    Ok(s) => {
                        println!(
                            "{:<8} {:<22} run {run}: {:7.3} s  {:6.3} GB/s{}{}",
                            job.op.name(),
                            job.tool,
                            s.wall,
                            self.size as f64 / s.wall / 1e9,
                            s.cpu.map_or(String::new(), |c| format!("  cpu {c:.2} s")),
                            s.others()
                                .map_or(String::new(), |o| format!("  others {o:.2} s"))
                        );
                        job.samples.push(s);
                    }
                    Err(e) => {
                        println!(
                            "{:<8} {:<22} run {run}: FAILED: {e}",
                            job.op.name(),
                            job.tool
                        );
                        job.failures.push(e);
                    }
                }
            }
        }
    }

    /// Reads the file again so the next tool finds it in the page cache, and names the previous
    /// run if it had been evicted (transmission's check drops what it has read with
    /// `POSIX_FADV_DONTNEED`, which would make the tool after it read from disk).
    fn warm_cache(&self, next: &str) {
        let secs = read_all(&self.file).unwrap_or(f64::INFINITY);
        if secs > 2.0 * self.cached_read.get() + 0.05 {
            let before = self.last_run.borrow().clone();
            let msg = format!(
                "the file had left the page cache after {}: read back at {:.2} GB/s before {next}",
                before.as_deref().unwrap_or("the start"),
                self.size as f64 / secs / 1e9
            );
            println!("{msg}");
            self.evictions.borrow_mut().push(msg);
        }
        *self.last_run.borrow_mut() = Some(next.to_owned());
    }

    /// Runs `argv` (through `/usr/bin/time` when measuring with it) and times it.
    fn run_plain(&self, argv: &[OsString]) -> Result<Sample, String> {
        let time_file = self.dir.join("time.txt");
        let mut cmd = if self.meter == Meter::Time {
            let mut c = Command::new(TIME);
            c.arg("-o")
                .arg(&time_file)
                .args(["-f", "%e %U %S %M"])
                .args(argv);
            c
        } else {
            let mut c = Command::new(&argv[0]);
            c.args(&argv[1..]);
            c
        };
        let mut err = tempfile::tempfile().map_err(|e| e.to_string())?;
        cmd.stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(err.try_clone().map_err(|e| e.to_string())?)
            .env("BROOKLET_LOOPBACK_ONLY", "1");
        let cpu_before = self.children_cpu();
        let machine_before = machine_cpu();
        let started = Instant::now();
        let mut child = cmd
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", argv[0].to_string_lossy()))?;
        let (status, ended, stdout) = wait_exit(&mut child, TIMEOUT, self.meter == Meter::Time)?;
        let wall = ended.duration_since(started).as_secs_f64();
        let machine = machine_cpu()
            .zip(machine_before)
            .map(|(after, before)| (after - before) / self.clk_tck);
        if !status.success() {
            return Err(format!(
                "{status}: {}",
                last_lines(&rewind_read(&mut err), 3)
            ));
        }
        let inner = stdout
            .lines()
            .find_map(|l| l.strip_prefix("inner "))
            .and_then(|r| r.split_whitespace().next()?.parse().ok());
        let (cpu, rss_kib) = match self.meter {
            Meter::Time => parse_time(&std::fs::read_to_string(&time_file).unwrap_or_default()),
            Meter::ProcSelf => (
                self.children_cpu()
                    .zip(cpu_before)
                    .map(|(after, before)| after - before),
                None,
            ),
            Meter::Wall => (None, None),
        };
        Ok(Sample {
            wall,
            cpu,
            rss_kib,
            inner,
            machine,
        })
    }

    /// `transmission-cli -v` checks, then seeds until stopped. Its status line (every 200 ms,
    /// unbuffered through `stdbuf -o0`) says "Seeding" once the check has passed: that is the
    /// end of the measurement; CPU and peak RSS are read from `/proc/<pid>` at that moment, then
    /// it gets SIGINT (its clean stop) and, failing that, is killed through its handle.
    fn run_transmission_verify(&self, torrent: &Path, run: usize) -> Result<Sample, String> {
        let config = self.dir.join(format!("transmission-{run}"));
        std::fs::create_dir_all(&config).map_err(|e| e.to_string())?;
        std::fs::write(config.join("settings.json"), TRANSMISSION_SETTINGS)
            .map_err(|e| e.to_string())?;
        let mut err = tempfile::tempfile().map_err(|e| e.to_string())?;
        let mut cmd = Command::new("stdbuf");
        cmd.args(["-o0", "transmission-cli", "-g"])
            .arg(&config)
            .args(["-M", "-v", "-w"])
            .arg(&self.data_dir)
            .arg(torrent)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(err.try_clone().map_err(|e| e.to_string())?);
        let machine_before = machine_cpu();
        let started = Instant::now();
        let mut child = cmd
            .spawn()
            .map_err(|e| format!("cannot start transmission-cli: {e}"))?;
        let pid = child.id();
        let mut stdout = child.stdout.take().expect("piped stdout");
        let (tx, rx) = mpsc::channel::<(Instant, String)>();
        let reader = std::thread::spawn(move || {
            let mut line = Vec::new();
            let mut buf = [0u8; 4096];
            loop {
                let n = match stdout.read(&mut buf) {
                    Ok(0) => break,
                    Ok(n) => n,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                    Err(_) => break,
                };
                for &b in &buf[..n] {
                    if b == b'\r' || b == b'\n' {
                        if !line.is_empty() {
                            let text = String::from_utf8_lossy(&line).trim().to_owned();
                            if tx.send((Instant::now(), text)).is_err() {
                                return;
                            }
                            line.clear();
                        }
                    } else {
                        line.push(b);
                    }
                }
            }
        });

        let deadline = started + TIMEOUT;
        let mut checking = false;
        let mut last = String::new();
        let result = loop {
            match rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
                Ok((at, line)) => {
                    if line.starts_with("Verifying") || line.starts_with("Waiting to verify") {
                        checking = true;
                    } else if line.starts_with("Seeding") {
                        let (cpu, rss_kib) = self.proc_usage(pid);
                        let machine = machine_cpu()
                            .zip(machine_before)
                            .map(|(after, before)| (after - before) / self.clk_tck);
                        break Ok(Sample {
                            wall: at.duration_since(started).as_secs_f64(),
                            cpu,
                            rss_kib,
                            inner: None,
                            machine,
                        });
                    } else if checking && line.starts_with("Progress") {
                        break Err(format!("the check did not find every piece: {line}"));
                    }
                    last = line;
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    break Err(format!("no \"Seeding\" after {} s", TIMEOUT.as_secs()));
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    let status = wait_timeout(&mut child, Duration::from_secs(30), false);
                    break Err(format!(
                        "exited before seeding ({}); last status {last:?}; {}",
                        status.map_or_else(|e| e, |s| s.to_string()),
                        last_lines(&rewind_read(&mut err), 3)
                    ));
                }
            }
        };
        if matches!(child.try_wait(), Ok(None)) {
            let _ = capture(
                &os_args(&[
                    OsStr::new("kill"),
                    OsStr::new("-INT"),
                    OsStr::new(&pid.to_string()),
                ]),
                Duration::from_secs(10),
            );
        }
        let stopped = wait_timeout(&mut child, Duration::from_secs(30), false);
        drop(rx);
        let _ = reader.join();
        let _ = std::fs::remove_dir_all(&config);
        let sample = result?;
        stopped.map_err(|e| format!("checked, but would not stop: {e}"))?;
        Ok(sample)
    }

    /// CPU seconds and peak RSS of a running process.
    fn proc_usage(&self, pid: u32) -> (Option<f64>, Option<u64>) {
        let cpu = std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .ok()
            .and_then(|s| {
                let fields = stat_fields(&s)?;
                // utime and stime are fields 14 and 15; `fields` starts at field 3.
                let t: f64 =
                    fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
                Some(t / self.clk_tck)
            });
        let rss = std::fs::read_to_string(format!("/proc/{pid}/status"))
            .ok()
            .and_then(|s| {
                s.lines()
                    .find_map(|l| l.strip_prefix("VmHWM:"))
                    .and_then(|v| v.split_whitespace().next()?.parse().ok())
            });
        (cpu, rss)
    }

    /// CPU seconds of every child waited for so far (cutime + cstime, fields 16 and 17).
    fn children_cpu(&self) -> Option<f64> {
        if self.meter != Meter::ProcSelf {
            return None;
        }
        let s = std::fs::read_to_string("/proc/self/stat").ok()?;
        let fields = stat_fields(&s)?;
        let t: f64 = fields.get(13)?.parse::<f64>().ok()? + fields.get(14)?.parse::<f64>().ok()?;
        Some(t / self.clk_tck)
    }

    fn print_table(&self, jobs: &[&Job], limit: Option<f64>) {
        let rate = |s: &Sample| self.size as f64 / s.wall / 1e9;
        println!(
            "{:<22} {:<7} {:>8} {:>7} {:>7} {:>9} {:>9} {:>10} {:>7}",
            "tool",
            "op",
            "best s",
            "GB/s",
            "CPU-s",
            "peak RSS",
            "% openssl",
            "Brooklet x",
            "others"
        );
        println!("{}", "-".repeat(22 + 7 + 8 + 7 + 7 + 9 + 9 + 10 + 7 + 8));
        for job in jobs {
            let mut line = format!("{:<22} {:<7} ", job.tool, job.op.name());
            if let Some(m) = &job.missing {
                line.push_str(m);
                println!("{line}");
                continue;
            }
            let Some(best) = job.best() else {
                let why = job.failures.first().map_or("no run", String::as_str);
                line.push_str(&format!("FAILED: {why}"));
                println!("{line}");
                continue;
            };
            let gbps = rate(best);
            let brooklet = jobs
                .iter()
                .find(|j| j.op == job.op && j.tool == BROOKLET)
                .and_then(|j| j.best());
            let _ = write!(
                line,
                "{:>8.3} {:>7.3} {:>7} {:>9} {:>9} {:>10} {:>7}",
                best.wall,
                gbps,
                best.cpu.map_or("-".into(), |c| format!("{c:.2}")),
                best.rss_kib
                    .map_or("-".into(), |k| format!("{:.1} MiB", k as f64 / 1024.0)),
                limit.map_or("-".into(), |l| format!("{:.1} %", gbps * 1e9 / l * 100.0)),
                brooklet.map_or("-".into(), |b| format!("{:.2}", rate(b) / gbps)),
                best.others().map_or("-".into(), |o| format!("{o:.2}")),
            );
            if !job.failures.is_empty() {
                let _ = write!(line, "  ({} of {RUNS} runs FAILED)", job.failures.len());
            }
            println!("{line}");
        }
        println!(
            "GB = 10^9 bytes; best of {RUNS} runs by wall clock (CPU-s and RSS from that run); \
             % openssl = share of the all-core openssl SHA-1 speed (one message per core); Brooklet x = Brooklet's \
             throughput / this row's for the same operation (>1 means Brooklet is faster); \
             others = CPU-s taken by other processes (and hypervisor steal) during that run."
        );
    }

    /// Every torrent made should have Brooklet's info-hash; explain any difference.
    fn compare_info_hashes(&self, create: &[Job]) {
        let made: Vec<(&str, &Path)> = create
            .iter()
            .filter(|j| j.best().is_some())
            .filter_map(|j| Some((j.tool, j.output()?)))
            .collect();
        let Some(&(_, reference)) = made.iter().find(|(t, _)| *t == BROOKLET) else {
            println!("info-hash:  no Brooklet torrent to compare with");
            return;
        };
        let hash_of = |p: &Path| -> Result<String, String> {
            let argv = os_args(&[
                self.brooklet.as_os_str(),
                OsStr::new("info"),
                p.as_os_str(),
                OsStr::new("--json"),
            ]);
            let out = capture(&argv, Duration::from_secs(60))?;
            let v: serde_json::Value = serde_json::from_str(&out).map_err(|e| e.to_string())?;
            v["info_hash"]
                .as_str()
                .map(str::to_owned)
                .ok_or_else(|| "no info_hash in `brooklet info --json`".to_owned())
        };
        let want = match hash_of(reference) {
            Ok(h) => h,
            Err(e) => {
                println!("info-hash:  WARNING: cannot read Brooklet's torrent: {e}");
                return;
            }
        };
        println!("info-hash:  brooklet {want}");
        for (tool, path) in made.iter().filter(|(t, _)| *t != BROOKLET) {
            match hash_of(path) {
                Ok(h) if h == want => println!("info-hash:  {tool}: same"),
                Ok(h) => println!(
                    "WARNING: {tool} made info-hash {h}, not Brooklet's {want}: {}",
                    explain_difference(reference, path)
                ),
                Err(e) => println!("WARNING: {tool}: cannot read its torrent: {e}"),
            }
        }
    }

    fn print_notes(&self, jobs: &[&Job], limit: Option<f64>) {
        let find = |tool: &str, op: Op| {
            jobs.iter()
                .find(|j| j.tool == tool && j.op == op)
                .and_then(|j| j.best())
        };
        for op in [Op::Create, Op::Verify] {
            let Some(b) = find(BROOKLET, op) else {
                continue;
            };
            let gbps = self.size as f64 / b.wall;
            if let Some(l) = limit {
                let share = gbps / l * 100.0;
                println!(
                    "note:       Brooklet {} runs at {share:.1} % of openssl's all-core SHA-1 speed \
                     (one message at a time per core)",
                    op.name(),
                );
            }
            if let Some(one) = find(BROOKLET_1, op) {
                println!(
                    "note:       Brooklet {}: {} threads are {:.2}x one thread ({} cores)",
                    op.name(),
                    self.cores,
                    one.wall / b.wall,
                    self.cores
                );
            }
            if let Some(cpu) = b.cpu {
                println!(
                    "note:       Brooklet {}: {cpu:.2} CPU-s for {:.2} GiB = {:.3} GB/s per \
                     CPU-second{}",
                    op.name(),
                    self.size as f64 / f64::from(1u32 << 30),
                    self.size as f64 / cpu / 1e9,
                    limit.map_or(String::new(), |l| format!(
                        " (openssl: {:.3} per core)",
                        l / self.cores as f64 / 1e9
                    ))
                );
            }
        }
        for e in self.evictions.borrow().iter() {
            println!("note:       {e}");
        }
        for job in jobs.iter().filter(|j| !j.samples.is_empty()) {
            for f in &job.failures {
                println!(
                    "note:       {} {}: a run FAILED: {f}",
                    job.tool,
                    job.op.name()
                );
            }
        }
        for job in jobs {
            if let Some(inner) = job.best().and_then(|s| s.inner) {
                println!(
                    "note:       {} {}: {inner:.3} s inside the script ({:.3} GB/s) — the rest of \
                     the process time is Python start-up, import and session teardown",
                    job.tool,
                    job.op.name(),
                    self.size as f64 / inner / 1e9
                );
            }
        }
        if jobs
            .iter()
            .any(|j| matches!(j.how, How::TransmissionVerify { .. }) && j.best().is_some())
        {
            println!(
                "note:       transmission-cli -v is timed from start to its first \"Seeding\" \
                 status line, printed every 200 ms: up to 0.2 s too long; it checks on one thread"
            );
        }
    }
}

/// A human account of why two torrents of the same data have different info-hashes.
fn explain_difference(reference: &Path, other: &Path) -> String {
    let load = |p: &Path| {
        std::fs::read(p)
            .map_err(|e| e.to_string())
            .and_then(|b| Metainfo::from_bytes(&b).map_err(|e| e.to_string()))
    };
    let (a, b) = match (load(reference), load(other)) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(e), _) | (_, Err(e)) => return format!("cannot parse: {e}"),
    };
    let mut why = Vec::new();
    if a.piece_length != b.piece_length {
        why.push(format!(
            "piece length {} vs Brooklet's {}",
            b.piece_length, a.piece_length
        ));
    }
    if a.piece_hashes != b.piece_hashes {
        let first = a
            .piece_hashes
            .iter()
            .zip(&b.piece_hashes)
            .position(|(x, y)| x != y);
        why.push(format!(
            "piece hashes differ ({} vs {} pieces, first difference at {:?})",
            b.piece_hashes.len(),
            a.piece_hashes.len(),
            first
        ));
    } else {
        why.push("piece hashes identical".into());
    }
    let dict = |m: &Metainfo| match serde_bencode::from_bytes::<Value>(&m.info_bytes) {
        Ok(Value::Dict(d)) => d,
        _ => Default::default(),
    };
    let (da, db) = (dict(&a), dict(&b));
    let mut keys: Vec<&Vec<u8>> = da.keys().chain(db.keys()).collect();
    keys.sort();
    keys.dedup();
    for k in keys {
        if k == b"pieces" {
            continue;
        }
        let (x, y) = (da.get(k), db.get(k));
        if x != y {
            why.push(format!(
                "info key {:?}: {} vs Brooklet's {}",
                String::from_utf8_lossy(k),
                y.map_or("absent".into(), short_value),
                x.map_or("absent".into(), short_value)
            ));
        }
    }
    why.join("; ")
}

fn short_value(v: &Value) -> String {
    match v {
        Value::Int(i) => i.to_string(),
        Value::Bytes(b) if b.len() <= 40 => format!("{:?}", String::from_utf8_lossy(b)),
        Value::Bytes(b) => format!("<{} bytes>", b.len()),
        Value::List(l) => format!("<list of {}>", l.len()),
        Value::Dict(d) => format!("<dict of {}>", d.len()),
    }
}

/// Writes `size` bytes of xorshift64 output in 8 MiB chunks, then flushes them to disk so no
/// write-back runs during the measurements.
fn make_data(path: &Path, size: u64) -> std::io::Result<()> {
    let mut f = File::create(path)?;
    let mut buf = vec![0u8; CHUNK];
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut left = size;
    while left > 0 {
        for word in buf.chunks_exact_mut(8) {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            word.copy_from_slice(&state.to_le_bytes());
        }
        let n = left.min(CHUNK as u64) as usize;
        f.write_all(&buf[..n])?;
        left -= n as u64;
    }
    f.sync_all()
}

/// Reads the whole file (into the page cache); returns the seconds it took.
fn read_all(path: &Path) -> std::io::Result<f64> {
    let started = Instant::now();
    let mut f = File::open(path)?;
    let mut buf = vec![0u8; CHUNK];
    while f.read(&mut buf)? > 0 {}
    Ok(started.elapsed().as_secs_f64())
}

/// Waits for `child`, whose stdout must be piped, without polling: a thread reads stdout to its
/// end, which comes when the child exits, and that moment is the end of the run (polling
/// `try_wait` every millisecond cost the measured tool about 1.5 % on two busy cores). Killed
/// through its handle after `timeout`. Returns the status, the end and what it printed.
fn wait_exit(
    child: &mut Child,
    timeout: Duration,
    wrapped: bool,
) -> Result<(ExitStatus, Instant, String), String> {
    let deadline = Instant::now() + timeout;
    let mut stdout = child.stdout.take().expect("piped stdout");
    let (tx, rx) = mpsc::channel();
    let reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        let _ = stdout.read_to_end(&mut out);
        let _ = tx.send((Instant::now(), out));
    });
    match rx.recv_timeout(timeout) {
        Ok((ended, out)) => {
            let _ = reader.join();
            // Normally immediate; a child that closed its stdout early is still held to the
            // deadline.
            let left = deadline.saturating_duration_since(Instant::now());
            let status = wait_timeout(child, left, wrapped)?;
            Ok((status, ended, String::from_utf8_lossy(&out).into_owned()))
        }
        Err(_) => {
            kill(child, wrapped);
            // Not joined: a grandchild might still hold the pipe open.
            drop(reader);
            Err(format!("timed out after {} s: killed", timeout.as_secs()))
        }
    }
}

/// Waits for `child` by polling, killing it through its handle after `timeout`.
fn wait_timeout(child: &mut Child, timeout: Duration, wrapped: bool) -> Result<ExitStatus, String> {
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            return Ok(status);
        }
        if Instant::now() >= deadline {
            kill(child, wrapped);
            return Err(format!("timed out after {} s: killed", timeout.as_secs()));
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Kills `child` through its handle and reaps it. A child that is `/usr/bin/time` has its own
/// child (the measured tool) killed first, by id, as killing the wrapper would leave it running.
fn kill(child: &mut Child, wrapped: bool) {
    if wrapped {
        let pid = child.id();
        let children =
            std::fs::read_to_string(format!("/proc/{pid}/task/{pid}/children")).unwrap_or_default();
        for id in children.split_whitespace() {
            let argv = os_args(&[OsStr::new("kill"), OsStr::new("-KILL"), OsStr::new(id)]);
            let _ = capture(&argv, Duration::from_secs(10));
        }
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// Runs `argv` with a timeout and returns its standard output (an error on failure).
fn capture(argv: &[OsString], timeout: Duration) -> Result<String, String> {
    let mut err = tempfile::tempfile().map_err(|e| e.to_string())?;
    let mut child = Command::new(&argv[0])
        .args(&argv[1..])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(err.try_clone().map_err(|e| e.to_string())?)
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", argv[0].to_string_lossy()))?;
    let (status, _, out) = wait_exit(&mut child, timeout, false)?;
    if status.success() {
        Ok(out)
    } else {
        Err(format!(
            "{status}: {}",
            last_lines(&rewind_read(&mut err), 3)
        ))
    }
}

fn rewind_read(f: &mut File) -> String {
    let mut s = String::new();
    let _ = f.rewind();
    let mut bytes = Vec::new();
    if f.read_to_end(&mut bytes).is_ok() {
        s = String::from_utf8_lossy(&bytes).into_owned();
    }
    s
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

/// The 16384-byte column of the `sha1` line of `openssl speed`, in 1000s of bytes per second.
fn parse_openssl(text: &str) -> Option<f64> {
    text.lines()
        .rfind(|l| l.starts_with("sha1"))?
        .split_whitespace()
        .next_back()?
        .trim_end_matches('k')
        .parse()
        .ok()
}

/// The fields of `/proc/<pid>/stat` after the command name (field 3 onwards).
fn stat_fields(stat: &str) -> Option<Vec<&str>> {
    let rest = &stat[stat.rfind(')')? + 1..];
    Some(rest.split_whitespace().collect())
}

fn clock_ticks() -> f64 {
    capture(&[OsString::from("getconf"), "CLK_TCK".into()], TIMEOUT)
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

fn has_sha_ni() -> bool {
    std::fs::read_to_string("/proc/cpuinfo").is_ok_and(|s| {
        s.lines()
            .filter(|l| l.starts_with("flags"))
            .any(|l| l.split_whitespace().any(|w| w == "sha_ni"))
    })
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

/// The program's path, or why it cannot run.
fn tool(program: &str) -> (PathBuf, Option<String>) {
    match find_in_path(program) {
        Some(p) => (p, None),
        None => (PathBuf::from(program), Some("not installed".into())),
    }
}

fn libtorrent_missing() -> Option<String> {
    if !Path::new(PYTHON).is_file() {
        return Some(format!("not installed ({PYTHON} missing)"));
    }
    let argv = [
        OsString::from(PYTHON),
        "-c".into(),
        "import libtorrent".into(),
    ];
    capture(&argv, Duration::from_secs(60))
        .err()
        .map(|_| "not installed (python3-libtorrent)".into())
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
