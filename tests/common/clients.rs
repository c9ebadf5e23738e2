//! The real clients for interop tests — python3-libtorrent, transmission-cli, aria2c, opentracker
//! and the `brooklet` binary — as child processes with their output collected line by line,
//! plus deterministic payloads and torrents made for them. Used by the interop test files.
//!
//! Every process is held in a [`Proc`], which stops it through its own `Child` handle when the
//! test ends, pass or fail; nothing is ever killed by name.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream, UdpSocket};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub const MIB: usize = 1024 * 1024;
/// How long a download may take.
pub const DOWNLOAD_TIMEOUT: Duration = Duration::from_secs(120);
/// How long a client may take to start and check its data.
pub const START_TIMEOUT: Duration = Duration::from_secs(60);
/// How long a seeder may take to appear at the tracker.
pub const ANNOUNCE_TIMEOUT: Duration = Duration::from_secs(60);
/// How long a graceful stop may take.
pub const STOP_TIMEOUT: Duration = Duration::from_secs(10);
/// Most lines of each stream shown in a failure message.
pub const LOG_LINES: usize = 150;

// ---------------------------------------------------------------------------------------------
// Child processes.

/// Lines a child wrote, collected by reader threads.
#[derive(Default)]
pub struct Lines {
    pub stdout: Vec<String>,
    pub stderr: Vec<String>,
}

/// A running child process with its output collected line by line. Dropping it kills the child
/// (through its handle) unless it has already ended, and reaps it.
pub struct Proc {
    pub name: String,
    pub child: Child,
    pub stdin: Option<ChildStdin>,
    pub lines: Arc<Mutex<Lines>>,
    pub status: Option<ExitStatus>,
}

impl Proc {
    /// Starts `cmd` with all three streams piped; its stdin stays open until the `Proc` drops.
    pub fn start(name: &str, cmd: &mut Command) -> Proc {
        cmd.stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let shown = super::describe(cmd);
        let mut child = cmd
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {name} ({shown}): {e}"));
        let lines = Arc::new(Mutex::new(Lines::default()));
        let out = child.stdout.take().expect("stdout is piped");
        let err = child.stderr.take().expect("stderr is piped");
        read_lines(out, lines.clone(), false);
        read_lines(err, lines.clone(), true);
        Proc {
            name: name.to_owned(),
            stdin: child.stdin.take(),
            child,
            lines,
            status: None,
        }
    }

    /// Its exit status, if it has ended.
    pub fn exited(&mut self) -> Option<ExitStatus> {
        if self.status.is_none() {
            self.status = self.child.try_wait().expect("try_wait");
        }
        self.status
    }

    /// Waits for a line on stdout that `matches`, and returns it. Panics (with every log in
    /// `others` too) when the process ends first or `timeout` passes.
    pub fn wait_line(
        &mut self,
        what: &str,
        timeout: Duration,
        others: &[&Proc],
        matches: impl Fn(&str) -> bool,
    ) -> String {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(line) = self
                .lines
                .lock()
                .unwrap()
                .stdout
                .iter()
                .find(|l| matches(l))
            {
                return line.clone();
            }
            if let Some(status) = self.exited() {
                // Give the readers a moment to catch the last lines.
                std::thread::sleep(Duration::from_millis(200));
                if let Some(l) = self
                    .lines
                    .lock()
                    .unwrap()
                    .stdout
                    .iter()
                    .find(|l| matches(l))
                {
                    return l.clone();
                }
                panic!(
                    "{} exited with {status} before {what}\n{}{}",
                    self.name,
                    self.logs(),
                    logs_of(others)
                );
            }
            assert!(
                Instant::now() < deadline,
                "{}: no {what} within {timeout:?}\n{}{}",
                self.name,
                self.logs(),
                logs_of(others)
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits at most `timeout` for the process to end; on a timeout it is killed and `None`
    /// returned.
    pub fn wait_exit(&mut self, timeout: Duration) -> Option<ExitStatus> {
        if self.status.is_none() {
            self.status = super::wait_with_timeout(&mut self.child, timeout);
            if self.status.is_none() {
                // Killed and reaped by wait_with_timeout: remember that it is gone.
                self.status = self.child.try_wait().ok().flatten();
            }
            // Let the readers see the last lines.
            std::thread::sleep(Duration::from_millis(100));
        }
        self.status
    }

    /// Sends SIGTERM to this child (by its own pid, while it is known to be running) and waits
    /// at most `timeout` for it to end. `None`: it did not end and was killed.
    pub fn terminate(&mut self, timeout: Duration) -> Option<ExitStatus> {
        if self.exited().is_some() {
            return self.status;
        }
        let out = super::run_with_timeout(
            Command::new("kill")
                .arg("-TERM")
                .arg(self.child.id().to_string()),
            10,
        );
        assert!(
            out.status.success(),
            "kill -TERM {} failed: {}",
            self.child.id(),
            super::stderr_of(&out)
        );
        let started = Instant::now();
        let status = super::wait_with_timeout(&mut self.child, timeout);
        if status.is_none() {
            self.status = self.child.try_wait().ok().flatten();
            return None;
        }
        self.status = status;
        eprintln!(
            "{} stopped after SIGTERM in {:.2} s",
            self.name,
            started.elapsed().as_secs_f64()
        );
        std::thread::sleep(Duration::from_millis(100));
        status
    }

    /// The last lines of its stdout and stderr, for failure messages.
    pub fn logs(&self) -> String {
        let lines = self.lines.lock().unwrap();
        let mut s = String::new();
        for (label, v) in [("stdout", &lines.stdout), ("stderr", &lines.stderr)] {
            let skip = v.len().saturating_sub(LOG_LINES);
            s.push_str(&format!(
                "----- {} {label} ({} lines{}) -----\n",
                self.name,
                v.len(),
                if skip > 0 { ", last ones" } else { "" }
            ));
            for l in &v[skip..] {
                s.push_str(l);
                s.push('\n');
            }
        }
        s
    }

    /// Whether a line of stderr contains `needle`.
    /// The first line on stderr that `matches`, if one has arrived.
    pub fn stderr_line(&self, matches: impl Fn(&str) -> bool) -> Option<String> {
        self.lines
            .lock()
            .unwrap()
            .stderr
            .iter()
            .find(|l| matches(l))
            .cloned()
    }

    pub fn stderr_contains(&self, needle: &str) -> bool {
        self.lines
            .lock()
            .unwrap()
            .stderr
            .iter()
            .any(|l| l.contains(needle))
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        drop(self.stdin.take());
        if self.exited().is_none() {
            let _ = self.child.kill();
            let _ = super::wait_with_timeout(&mut self.child, Duration::from_secs(10));
        }
    }
}

/// Copies the lines of `pipe` into `lines` on a thread of its own.
pub fn read_lines<R: Read + Send + 'static>(pipe: R, lines: Arc<Mutex<Lines>>, stderr: bool) {
    std::thread::spawn(move || {
        for line in BufReader::new(pipe).split(b'\n') {
            let Ok(line) = line else { break };
            let text = String::from_utf8_lossy(&line).trim_end().to_owned();
            let mut l = lines.lock().unwrap();
            if stderr {
                l.stderr.push(text);
            } else {
                l.stdout.push(text);
            }
        }
    });
}

/// The logs of several processes.
pub fn logs_of(procs: &[&Proc]) -> String {
    procs.iter().map(|p| p.logs()).collect()
}

/// A port free on 127.0.0.1 (bound to port 0, then released).
pub fn free_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

/// A port free for both TCP and UDP on 127.0.0.1 (bound to port 0, then released).
pub fn free_tcp_udp_port() -> u16 {
    for _ in 0..50 {
        let tcp = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = tcp.local_addr().unwrap().port();
        if UdpSocket::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
    panic!("no port free for both TCP and UDP");
}

/// Waits until something accepts TCP connections on 127.0.0.1:`port`.
pub fn wait_listening(port: u16, timeout: Duration, who: &mut Proc) {
    let deadline = Instant::now() + timeout;
    loop {
        let addr = std::net::SocketAddr::from(([127, 0, 0, 1], port));
        if TcpStream::connect_timeout(&addr, Duration::from_millis(500)).is_ok() {
            return;
        }
        if let Some(status) = who.exited() {
            panic!("{} exited with {status}\n{}", who.name, who.logs());
        }
        assert!(
            Instant::now() < deadline,
            "{} never listened on port {port}\n{}",
            who.name,
            who.logs()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

// ---------------------------------------------------------------------------------------------
// Payloads and torrents.

/// Random files under one name (a single file, or a folder of files).
pub struct Payload {
    pub name: String,
    /// Paths relative to the data folder (starting with `name`) and contents.
    pub files: Vec<(String, Vec<u8>)>,
}

impl Payload {
    pub fn single(name: &str, len: usize, seed: u64) -> Payload {
        Payload {
            name: name.to_owned(),
            files: vec![(name.to_owned(), super::random_bytes(seed, len))],
        }
    }

    pub fn folder(name: &str, files: &[(&str, usize)], seed: u64) -> Payload {
        Payload {
            name: name.to_owned(),
            files: files
                .iter()
                .enumerate()
                .map(|(i, (rel, len))| {
                    (
                        format!("{name}/{rel}"),
                        super::random_bytes(seed + i as u64, *len),
                    )
                })
                .collect(),
        }
    }

    pub fn total(&self) -> usize {
        self.files.iter().map(|(_, d)| d.len()).sum()
    }

    /// Writes the files under `data_dir`; returns the path of the file or folder.
    pub fn write(&self, data_dir: &Path) -> PathBuf {
        let files: Vec<(&str, Vec<u8>)> = self
            .files
            .iter()
            .map(|(p, d)| (p.as_str(), d.clone()))
            .collect();
        super::write_tree(data_dir, &files);
        data_dir.join(&self.name)
    }

    /// Asserts that `out_dir` holds exactly these bytes.
    pub fn assert_downloaded(&self, out_dir: &Path, what: &str, procs: &[&Proc]) {
        for (rel, want) in &self.files {
            let path = out_dir.join(rel);
            let got = std::fs::read(&path).unwrap_or_else(|e| {
                panic!(
                    "{what}: cannot read {}: {e}\n{}",
                    path.display(),
                    logs_of(procs)
                )
            });
            if got != *want {
                let first = got
                    .iter()
                    .zip(want.iter())
                    .position(|(a, b)| a != b)
                    .unwrap_or(got.len().min(want.len()));
                panic!(
                    "{what}: {} differs: {} bytes, want {}; first difference at byte {first}\n{}",
                    path.display(),
                    got.len(),
                    want.len(),
                    logs_of(procs)
                );
            }
        }
    }
}

/// Runs `brooklet create` on `path` with these trackers; returns the info-hash.
pub fn create_torrent(path: &Path, out: &Path, trackers: &[String]) -> [u8; 20] {
    let mut args = Vec::new();
    for t in trackers {
        args.push("--tracker");
        args.push(t.as_str());
    }
    create_torrent_with(path, out, &args)
}

/// `brooklet create PATH -o OUT ARGS…`; returns the info-hash it printed.
pub fn create_torrent_with(path: &Path, out: &Path, args: &[&str]) -> [u8; 20] {
    let mut cmd = super::brooklet();
    cmd.arg("create").arg(path).arg("-o").arg(out).args(args);
    let out = super::run_with_timeout(&mut cmd, 60);
    let stdout = super::expect_success(&out, "brooklet create");
    let hex = stdout.split_whitespace().next().unwrap_or_default();
    parse_hash(hex).unwrap_or_else(|| panic!("brooklet create printed no info-hash: {stdout:?}"))
}

pub fn parse_hash(hex: &str) -> Option<[u8; 20]> {
    if hex.len() != 40 {
        return None;
    }
    let mut out = [0; 20];
    for (i, b) in out.iter_mut().enumerate() {
        *b = u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}

/// Every byte percent-encoded.
pub fn url_bytes(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("%{b:02X}")).collect()
}

// ---------------------------------------------------------------------------------------------
// opentracker.

pub struct Tracker {
    pub proc: Proc,
    pub port: u16,
}

impl Tracker {
    /// Starts opentracker on 127.0.0.1:`port` (TCP and UDP) serving only `hashes`, and waits
    /// until it accepts an announce for each.
    pub fn start(dir: &Path, port: u16, hashes: &[[u8; 20]]) -> Tracker {
        std::fs::create_dir_all(dir).unwrap();
        let whitelist = dir.join("whitelist.txt");
        let list: String = hashes
            .iter()
            .map(|h| format!("{}\n", super::hex(h)))
            .collect();
        std::fs::write(&whitelist, list).unwrap();
        let conf = dir.join("opentracker.conf");
        std::fs::write(&conf, format!("access.whitelist {}\n", whitelist.display())).unwrap();
        let p = port.to_string();
        let proc = Proc::start(
            "opentracker",
            Command::new("opentracker")
                .args(["-i", "127.0.0.1", "-p", &p, "-P", &p, "-f"])
                .arg(&conf)
                .current_dir(dir),
        );
        let mut tracker = Tracker { proc, port };
        for h in hashes {
            tracker.wait_whitelisted(h);
        }
        tracker
    }

    /// One HTTP GET; the body.
    pub fn get(&self, path: &str) -> Result<Vec<u8>, String> {
        let addr = std::net::SocketAddr::from(([127, 0, 0, 1], self.port));
        let mut s =
            TcpStream::connect_timeout(&addr, Duration::from_secs(1)).map_err(|e| e.to_string())?;
        s.set_read_timeout(Some(Duration::from_secs(3)))
            .map_err(|e| e.to_string())?;
        write!(
            s,
            "GET {path} HTTP/1.0\r\nHost: 127.0.0.1:{}\r\n\r\n",
            self.port
        )
        .map_err(|e| e.to_string())?;
        let mut buf = Vec::new();
        s.read_to_end(&mut buf).map_err(|e| e.to_string())?;
        let at = buf
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .ok_or_else(|| format!("no HTTP header end in {:?}", String::from_utf8_lossy(&buf)))?;
        Ok(buf[at + 4..].to_vec())
    }

    /// Announces a probe peer (127.0.0.1:1) until opentracker accepts it, then takes it away
    /// again with `stopped`: the whitelist is read on a thread of its own after start-up.
    pub fn wait_whitelisted(&mut self, hash: &[u8; 20]) {
        let deadline = Instant::now() + Duration::from_secs(10);
        let query = |event: &str| {
            format!(
                "/announce?info_hash={}&peer_id={}&port=1&uploaded=0&downloaded=0&left=0\
                 &compact=1&numwant=0&event={event}",
                url_bytes(hash),
                url_bytes(b"-XX0000-probeprobe00")
            )
        };
        loop {
            let answer = self.get(&query("started"));
            match &answer {
                Ok(body) if !contains(body, b"failure reason") && contains(body, b"interval") => {
                    break;
                }
                _ => {}
            }
            if let Some(status) = self.proc.exited() {
                panic!("opentracker exited with {status}\n{}", self.proc.logs());
            }
            assert!(
                Instant::now() < deadline,
                "opentracker never accepted an announce: {:?}\n{}",
                answer.map(|b| String::from_utf8_lossy(&b).into_owned()),
                self.proc.logs()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        self.get(&query("stopped"))
            .expect("opentracker answers a stopped announce");
    }

    /// (complete, incomplete) for `hash`, from a scrape.
    pub fn scrape(&self, hash: &[u8; 20]) -> Option<(u64, u64)> {
        let body = self
            .get(&format!("/scrape?info_hash={}", url_bytes(hash)))
            .ok()?;
        Some((
            bencode_int_after(&body, b"8:complete")?,
            bencode_int_after(&body, b"10:incomplete")?,
        ))
    }

    /// Waits until the tracker knows a seeder for `hash`.
    pub fn wait_for_seeder(&mut self, hash: &[u8; 20], procs: &[&Proc]) {
        let deadline = Instant::now() + ANNOUNCE_TIMEOUT;
        loop {
            let counts = self.scrape(hash);
            if matches!(counts, Some((c, _)) if c >= 1) {
                return;
            }
            if let Some(status) = self.proc.exited() {
                panic!("opentracker exited with {status}\n{}", self.proc.logs());
            }
            assert!(
                Instant::now() < deadline,
                "the seeder never appeared at the tracker (scrape: {counts:?})\n{}{}",
                self.proc.logs(),
                logs_of(procs)
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// The integer right after `key` in a bencoded body (`<key>i<N>e`).
pub fn bencode_int_after(body: &[u8], key: &[u8]) -> Option<u64> {
    let at = body.windows(key.len()).position(|w| w == key)? + key.len();
    let rest = body.get(at..)?.strip_prefix(b"i")?;
    let end = rest.iter().position(|&b| b == b'e')?;
    std::str::from_utf8(&rest[..end]).ok()?.parse().ok()
}

// ---------------------------------------------------------------------------------------------
// The clients.

/// A libtorrent peer on 127.0.0.1, plain TCP, no DHT/LSD/UPnP/NAT-PMP/uTP/encryption.
/// argv: MODE (seed|leech) TORRENT SAVE_PATH PORT [PEER]...
/// seed: prints `seeding PORT` once its check is done (and re-announces), then seeds until
/// killed or stdin closes. leech: connects to the PEERs, prints `done` when it has everything
/// and its writes are all in the files, and exits 0. Alerts and progress go to stderr.
pub const LIBTORRENT_PEER: &str = r#"
import os, sys, threading, time
import libtorrent as lt

mode, torrent, save, port = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
peers = [(p.rsplit(':', 1)[0], int(p.rsplit(':', 1)[1])) for p in sys.argv[5:]]

def watch_stdin():
    sys.stdin.buffer.read()
    os._exit(3)
threading.Thread(target=watch_stdin, daemon=True).start()

settings = lt.high_performance_seed() if mode == 'seed' else lt.default_settings()
cat = lt.alert.category_t
settings.update({
    'listen_interfaces': '127.0.0.1:%d' % port,
    'enable_dht': False, 'enable_lsd': False, 'enable_upnp': False, 'enable_natpmp': False,
    'enable_incoming_utp': False, 'enable_outgoing_utp': False,
    'in_enc_policy': 2, 'out_enc_policy': 2,
    'allow_multiple_connections_per_ip': True,
    'dht_bootstrap_nodes': '',
    'alert_mask': cat.error_notification | cat.tracker_notification | cat.status_notification
        | cat.connect_notification | cat.storage_notification,
})
ses = lt.session(settings)
if torrent.startswith('magnet:'):
    atp = lt.parse_magnet_uri(torrent)
else:
    atp = lt.add_torrent_params()
    atp.ti = lt.torrent_info(torrent)
atp.save_path = save
h = ses.add_torrent(atp)
for p in peers:
    h.connect_peer(p)

def log(*a):
    print(*a, file=sys.stderr, flush=True)

announced = False
last = time.time()
last_connect = time.time()
while True:
    for a in ses.pop_alerts():
        log('alert', type(a).__name__, a.message())
    s = h.status()
    now = time.time()
    if now - last >= 1:
        last = now
        log('status', str(s.state), 'progress %.3f' % s.progress, 'peers', s.num_peers,
            'down', s.download_rate, 'up', s.upload_rate)
    if mode == 'seed':
        if s.is_seeding and not announced:
            announced = True
            h.force_reannounce()
            print('seeding', ses.listen_port(), flush=True)
    else:
        if s.is_seeding:
            # Pieces are hashed as their blocks arrive, before every write is in the files:
            # leaving at once lost queued writes now and then. Wait until they are done.
            h.flush_cache()
            flushed = time.time()
            while not any(isinstance(a, lt.cache_flushed_alert) for a in ses.pop_alerts()):
                if time.time() - flushed > 60:
                    log('the disk cache was not flushed after 60 s')
                    os._exit(4)
                ses.wait_for_alert(100)
            print('done', flush=True)
            os._exit(0)
        if peers and s.num_peers == 0 and now - last_connect > 2:
            last_connect = now
            for p in peers:
                h.connect_peer(p)
    time.sleep(0.05)
"#;

/// Starts a libtorrent peer (see [`LIBTORRENT_PEER`]).
pub fn libtorrent(mode: &str, torrent: &Path, save: &Path, port: u16, peers: &[String]) -> Proc {
    Proc::start(
        &format!("libtorrent {mode}"),
        super::program(super::SYSTEM_PYTHON)
            .arg("-c")
            .arg(LIBTORRENT_PEER)
            .arg(mode)
            .arg(torrent)
            .arg(save)
            .arg(port.to_string())
            .args(peers),
    )
}

/// A `brooklet` child with the test environment and peer events on stderr.
pub fn brooklet_cmd() -> Command {
    let mut cmd = super::brooklet();
    cmd.env("BROOKLET_LOG", "debug")
        .env("BROOKLET_LOOPBACK_ONLY", "1")
        .env("BROOKLET_LANG", "en");
    cmd
}

/// Starts `brooklet seed` and waits until it seeds; returns it and its port.
pub fn brooklet_seed(torrent: &Path, data_dir: &Path, others: &[&Proc]) -> (Proc, u16) {
    let mut seed = Proc::start(
        "brooklet seed",
        brooklet_cmd().arg("seed").arg(torrent).arg(data_dir),
    );
    let port = listening_port(&mut seed, others);
    seed.wait_line("the Seeding line", START_TIMEOUT, others, |l| {
        l.starts_with("Seeding")
    });
    (seed, port)
}

/// The port from brooklet's first stdout line, `listening on port N`.
pub fn listening_port(p: &mut Proc, others: &[&Proc]) -> u16 {
    let line = p.wait_line("`listening on port`", START_TIMEOUT, others, |l| {
        l.starts_with("listening on port ")
    });
    line["listening on port ".len()..]
        .trim()
        .parse()
        .unwrap_or_else(|_| panic!("bad port line {line:?}"))
}

/// Waits for a downloader to exit 0 within [`DOWNLOAD_TIMEOUT`].
pub fn expect_exit_0(p: &mut Proc, others: &[&Proc]) {
    let started = Instant::now();
    let status = p.wait_exit(DOWNLOAD_TIMEOUT);
    let secs = started.elapsed().as_secs_f64();
    match status {
        Some(s) if s.success() => {
            assert!(
                !p.stderr_contains("panicked"),
                "{} panicked\n{}",
                p.name,
                p.logs()
            );
            eprintln!("{} finished in {secs:.2} s", p.name);
        }
        Some(s) => panic!(
            "{} failed with {s} after {secs:.1} s\n{}{}",
            p.name,
            p.logs(),
            logs_of(others)
        ),
        None => panic!(
            "{} did not finish within {DOWNLOAD_TIMEOUT:?} and was killed\n{}{}",
            p.name,
            p.logs(),
            logs_of(others)
        ),
    }
}

/// Sends SIGTERM to a brooklet and asserts that it exits 0 within [`STOP_TIMEOUT`].
pub fn expect_graceful_stop(p: &mut Proc, others: &[&Proc]) {
    match p.terminate(STOP_TIMEOUT) {
        Some(s) if s.success() => {}
        Some(s) => panic!(
            "{} exited with {s} after SIGTERM\n{}{}",
            p.name,
            p.logs(),
            logs_of(others)
        ),
        None => panic!(
            "{} did not stop within {STOP_TIMEOUT:?} of SIGTERM and was killed\n{}{}",
            p.name,
            p.logs(),
            logs_of(others)
        ),
    }
    assert!(
        !p.stderr_contains("panicked"),
        "{} panicked\n{}",
        p.name,
        p.logs()
    );
}

/// Prints how long the test took; with `INTEROP_SWARM_LOGS` set, also every process's log.
pub fn report(test: &str, started: Instant, bytes: usize, procs: &[&Proc]) {
    let secs = started.elapsed().as_secs_f64();
    eprintln!("{test}: {} MiB in {secs:.2} s in all", bytes / MIB);
    if std::env::var_os("INTEROP_SWARM_LOGS").is_some() {
        eprintln!("{}", logs_of(procs));
    }
}

/// The real clients are heavy for a 2-core machine: these tests run one at a time so a slow
/// start under load cannot make one miss its deadline.
pub fn serial() -> std::sync::MutexGuard<'static, ()> {
    static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());
    SERIAL.lock().unwrap_or_else(|p| p.into_inner())
}

/// Starts transmission-cli seeding `torrent` from `seed_dir` on 127.0.0.1 (plain TCP, no DHT,
/// PEX, LPD or port forwarding), with its settings in `config_dir`; returns once it listens,
/// with its port. It has no readiness signal beyond that.
pub fn transmission_seeder(config_dir: &Path, seed_dir: &Path, torrent: &Path) -> (Proc, u16) {
    let tr_port = free_port();
    std::fs::create_dir_all(config_dir).unwrap();
    // transmission-cli has no flags for these; it reads them from settings.json in `-g DIR`.
    let settings = serde_json::json!({
        "bind-address-ipv4": "127.0.0.1",
        "bind-address-ipv6": "::1",
        "blocklist-enabled": false,
        "dht-enabled": false,
        "download-dir": seed_dir,
        "encryption": 0,
        "idle-seeding-limit-enabled": false,
        "lpd-enabled": false,
        "message-level": 2,
        "peer-port": tr_port,
        "peer-port-random-on-start": false,
        "pex-enabled": false,
        "port-forwarding-enabled": false,
        "ratio-limit-enabled": false,
        "rpc-enabled": false,
        "speed-limit-up-enabled": false,
        "utp-enabled": false,
    });
    std::fs::write(
        config_dir.join("settings.json"),
        serde_json::to_vec_pretty(&settings).unwrap(),
    )
    .unwrap();
    let mut tr = Proc::start(
        "transmission-cli",
        Command::new("transmission-cli")
            .arg("-g")
            .arg(config_dir)
            .arg("-w")
            .arg(seed_dir)
            .arg("-p")
            .arg(tr_port.to_string())
            .args(["-et", "-M", "-B", "-D", "-U", "-v"])
            .arg(torrent),
    );
    wait_listening(tr_port, START_TIMEOUT, &mut tr);
    (tr, tr_port)
}
