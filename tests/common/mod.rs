//! Helpers shared by the integration tests: running the `brooklet` binary and outside programs
//! with a timeout, skipping (or, under CI, failing) when a real client is missing, deterministic
//! test data, file trees and hand-made bencode.
//!
//! Every child process is started here and waited for with a timeout; on a timeout it is killed
//! through its own `Child` handle, never by name. Each test file uses only some of these helpers.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

pub mod clients;
pub mod engine;

use std::ffi::OsStr;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Debian's Python: the only one that sees the `python3-libtorrent` module.
pub const SYSTEM_PYTHON: &str = "/usr/bin/python3";

/// A `Command` for the `brooklet` binary built for these tests, in English and on loopback only,
/// with its data folder (resume data of `brooklet download`) under this test process's folder
/// in the target directory, never the user's.
pub fn brooklet() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_brooklet"));
    cmd.env("BROOKLET_LANG", "en")
        .env("BROOKLET_LOOPBACK_ONLY", "1")
        .env("BROOKLET_HOME", test_home());
    cmd
}

/// `BROOKLET_HOME` for the programs of this test process.
pub fn test_home() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("brooklet-home")
        .join(std::process::id().to_string())
}

/// Any program, with the same environment as [`brooklet`] (English, loopback only).
pub fn program(name: impl AsRef<OsStr>) -> Command {
    let mut cmd = Command::new(name);
    cmd.env("BROOKLET_LANG", "en")
        .env("BROOKLET_LOOPBACK_ONLY", "1");
    cmd
}

/// Reads everything from `pipe` on a thread of its own (so a full pipe never blocks the child).
pub fn collect<R: Read + Send + 'static>(mut pipe: R) -> JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = pipe.read_to_end(&mut buf);
        buf
    })
}

/// Waits for `child` at most `timeout`. On a timeout the child is killed (through its handle) and
/// reaped, and `None` is returned.
pub fn wait_with_timeout(child: &mut Child, timeout: Duration) -> Option<ExitStatus> {
    let deadline = Instant::now() + timeout;
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Some(status),
            Ok(None) if Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(5));
            }
            Ok(None) => {
                let _ = child.kill();
                let _ = child.wait();
                return None;
            }
            Err(e) => panic!("cannot wait for child {}: {e}", child.id()),
        }
    }
}

/// Runs `cmd` (stdin empty, stdout and stderr captured) and returns its output. Panics when it
/// cannot start or runs longer than `secs` seconds (it is killed first).
pub fn run_with_timeout(cmd: &mut Command, secs: u64) -> Output {
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let shown = describe(cmd);
    let mut child = cmd
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {shown}: {e}"));
    let stdout = collect(child.stdout.take().expect("stdout is piped"));
    let stderr = collect(child.stderr.take().expect("stderr is piped"));
    let Some(status) = wait_with_timeout(&mut child, Duration::from_secs(secs)) else {
        panic!("{shown} did not finish within {secs} s and was killed");
    };
    Output {
        status,
        stdout: stdout.join().expect("stdout reader"),
        stderr: stderr.join().expect("stderr reader"),
    }
}

/// The command line of `cmd`, for messages.
pub fn describe(cmd: &Command) -> String {
    let mut s = cmd.get_program().to_string_lossy().into_owned();
    for a in cmd.get_args() {
        s.push(' ');
        s.push_str(&a.to_string_lossy());
    }
    s
}

/// Stdout as text.
pub fn stdout_of(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Stderr as text.
pub fn stderr_of(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Asserts that `out` succeeded (exit 0, nothing panicked) and returns its stdout.
pub fn expect_success(out: &Output, what: &str) -> String {
    let stderr = stderr_of(out);
    assert!(
        out.status.success(),
        "{what}: expected success, got {:?}\nstdout: {}\nstderr: {stderr}",
        out.status,
        stdout_of(out)
    );
    assert!(!stderr.contains("panicked"), "{what}: panicked: {stderr}");
    stdout_of(out)
}

/// Asserts that `out` is a clean `brooklet` failure: exit `code`, no panic, and exactly one line
/// on stderr that starts with `brooklet: `. Returns that line.
pub fn expect_failure(out: &Output, code: i32, what: &str) -> String {
    let stderr = stderr_of(out);
    assert!(!stderr.contains("panicked"), "{what}: panicked: {stderr}");
    assert_eq!(
        out.status.code(),
        Some(code),
        "{what}: wrong exit status {:?}; stderr: {stderr}",
        out.status
    );
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(
        lines.len(),
        1,
        "{what}: expected one stderr line, got {stderr:?}"
    );
    assert!(
        lines[0].starts_with("brooklet: "),
        "{what}: stderr line does not start with `brooklet: `: {:?}",
        lines[0]
    );
    lines[0].to_owned()
}

/// Whether `name` is an executable file in one of the `PATH` folders.
pub fn find_in_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| is_executable(p))
}

fn is_executable(p: &Path) -> bool {
    let Ok(meta) = std::fs::metadata(p) else {
        return false;
    };
    if !meta.is_file() {
        return false;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        meta.permissions().mode() & 0o111 != 0
    }
    #[cfg(not(unix))]
    {
        true
    }
}

/// Decides what to do about a missing outside program: under CI (env `CI` set) it is a failure,
/// elsewhere the test is skipped with a note saying what to install. Returns false to skip.
fn missing(name: &str, install_hint: &str) -> bool {
    if std::env::var_os("CI").is_some() {
        panic!(
            "{name} is not installed, but CI must install it for the interop tests \
             (apt-get install {install_hint})"
        );
    }
    eprintln!("skipping: {name} not installed (apt-get install {install_hint})");
    false
}

/// True when the program `name` is in `PATH`. Otherwise panics under CI, or prints a skip note
/// and returns false.
pub fn require_tool(name: &str, install_hint: &str) -> bool {
    find_in_path(name).is_some() || missing(name, install_hint)
}

/// True when Debian's `/usr/bin/python3` can `import libtorrent`. Otherwise panics under CI, or
/// prints a skip note and returns false.
pub fn require_python_libtorrent() -> bool {
    let works = Path::new(SYSTEM_PYTHON).is_file() && {
        let out = run_with_timeout(program(SYSTEM_PYTHON).args(["-c", "import libtorrent"]), 60);
        out.status.success()
    };
    works || missing("python3-libtorrent", "python3-libtorrent")
}

/// Runs a Python snippet with `/usr/bin/python3` and returns its stdout. Panics (with stderr)
/// when it fails or takes more than a minute.
pub fn python_libtorrent(script: &str) -> String {
    python_libtorrent_with_args(script, &[] as &[&OsStr])
}

/// Like [`python_libtorrent`], with `args` in `sys.argv[1:]` (paths need no quoting that way).
pub fn python_libtorrent_with_args<A: AsRef<OsStr>>(script: &str, args: &[A]) -> String {
    let out = run_with_timeout(
        program(SYSTEM_PYTHON)
            .arg("-c")
            .arg(script)
            .args(args.iter().map(AsRef::as_ref)),
        60,
    );
    assert!(
        out.status.success(),
        "python script failed ({:?}):\n{script}\nstderr: {}",
        out.status,
        stderr_of(&out)
    );
    stdout_of(&out)
}

/// `len` deterministic pseudo-random bytes from `seed` (xorshift64*; no two seeds alike).
pub fn random_bytes(seed: u64, len: usize) -> Vec<u8> {
    // Spread the seed so that 0, 1, 2 … give unrelated streams; xorshift needs a non-zero state.
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0xD1B5_4A32_D192_ED03;
    if state == 0 {
        state = 0x2545_F491_4F6C_DD1D;
    }
    let mut out = Vec::with_capacity(len + 8);
    while out.len() < len {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        let word = state.wrapping_mul(0x2545_F491_4F6C_DD1D);
        out.extend_from_slice(&word.to_le_bytes());
    }
    out.truncate(len);
    out
}

/// Writes `files` (paths relative to `root`, `/`-separated) under `root`, making folders.
pub fn write_tree(root: &Path, files: &[(&str, Vec<u8>)]) {
    for (rel, data) in files {
        let path = root.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .unwrap_or_else(|e| panic!("cannot create {}: {e}", parent.display()));
        }
        std::fs::write(&path, data)
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
    }
}

/// Lower-case hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A bencoded value written exactly as given: dictionary keys stay in the order listed (so
/// tests can write unsorted or duplicate keys on purpose).
#[derive(Debug, Clone)]
pub enum Bencode {
    Int(i64),
    Bytes(Vec<u8>),
    List(Vec<Bencode>),
    Dict(Vec<(Vec<u8>, Bencode)>),
}

impl Bencode {
    /// A byte string.
    pub fn str(s: impl AsRef<[u8]>) -> Bencode {
        Bencode::Bytes(s.as_ref().to_vec())
    }

    /// A dictionary with keys in the given order.
    pub fn dict<K: AsRef<[u8]>>(entries: impl IntoIterator<Item = (K, Bencode)>) -> Bencode {
        Bencode::Dict(
            entries
                .into_iter()
                .map(|(k, v)| (k.as_ref().to_vec(), v))
                .collect(),
        )
    }

    /// A list of byte strings (a file path, a tracker tier).
    pub fn str_list<S: AsRef<[u8]>>(items: impl IntoIterator<Item = S>) -> Bencode {
        Bencode::List(items.into_iter().map(Bencode::str).collect())
    }

    /// The encoding, keys in the order given.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.encode_into(&mut out);
        out
    }

    fn encode_into(&self, out: &mut Vec<u8>) {
        match self {
            Bencode::Int(i) => out.extend_from_slice(format!("i{i}e").as_bytes()),
            Bencode::Bytes(b) => encode_bytes(b, out),
            Bencode::List(items) => {
                out.push(b'l');
                for item in items {
                    item.encode_into(out);
                }
                out.push(b'e');
            }
            Bencode::Dict(entries) => {
                out.push(b'd');
                for (k, v) in entries {
                    encode_bytes(k, out);
                    v.encode_into(out);
                }
                out.push(b'e');
            }
        }
    }

    /// The value under `key` of a dictionary, mutable (for tests that spoil one field).
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Bencode> {
        match self {
            Bencode::Dict(entries) => entries
                .iter_mut()
                .find(|(k, _)| k == key.as_bytes())
                .map(|(_, v)| v),
            _ => None,
        }
    }
}

fn encode_bytes(b: &[u8], out: &mut Vec<u8>) {
    out.extend_from_slice(b.len().to_string().as_bytes());
    out.push(b':');
    out.extend_from_slice(b);
}

/// Kills a child (through its own handle, never by name) when the test ends, pass or fail.
pub struct Guard(pub Option<Child>);

impl Drop for Guard {
    fn drop(&mut self) {
        if let Some(mut c) = self.0.take() {
            let _ = c.kill();
            let _ = wait_with_timeout(&mut c, Duration::from_secs(5));
        }
    }
}

/// Starts Xvfb on a display number it picks itself (`-displayfd`: no race with other tests
/// choosing numbers at the same time) and returns it with the display's name once it is ready.
pub fn start_xvfb() -> (Guard, String) {
    let mut child = Command::new("Xvfb")
        .args([
            "-displayfd",
            "1",
            "-screen",
            "0",
            "1280x800x24",
            "-nolisten",
            "tcp",
            // No server reset when the last client leaves: a readiness probe disconnecting
            // would otherwise make the next connection fail while the server regenerates.
            "-noreset",
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start Xvfb");
    let mut stdout = child.stdout.take().unwrap();
    let guard = Guard(Some(child));
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut line = Vec::new();
        let mut byte = [0u8; 1];
        while stdout.read_exact(&mut byte).is_ok() && byte[0] != b'\n' {
            line.push(byte[0]);
        }
        let _ = tx.send(String::from_utf8_lossy(&line).trim().to_owned());
        // Keep the pipe open (and drained) while Xvfb runs.
        let _ = std::io::copy(&mut stdout, &mut std::io::sink());
    });
    let number = rx
        .recv_timeout(Duration::from_secs(20))
        .expect("Xvfb did not report its display");
    assert!(
        !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()),
        "Xvfb reported {number:?}"
    );
    (guard, format!(":{number}"))
}
