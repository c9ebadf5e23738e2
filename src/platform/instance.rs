//! Single instance: the first `brooklet` window owns a local endpoint; a second launch hands
//! its `.torrent` paths and magnet links over and exits before iced starts.
//!
//! The endpoint is an `interprocess` local socket named per user: a Unix socket on Linux and
//! macOS, a named pipe on Windows. On Unix it lives in `$BROOKLET_HOME/instance/` when that is
//! set (tests, portable mode), else in `$XDG_RUNTIME_DIR`, else in a `brooklet-<uid>` folder of
//! the temp dir; the folders this module makes are mode 0700 and must be owned by the user. A
//! socket file nobody listens on (left by a crashed process) is detected by a failed connect
//! and replaced.
//!
//! The listener runs on its own thread; each connection gets a short-lived thread (at most
//! [`MAX_CONNECTIONS`] at once), a total read deadline, and the same-user check. What arrives
//! is parsed by [`codec`] as hostile input; a bad request is answered "refused" and the listener
//! goes on serving. This module knows nothing of the GUI: accepted requests go to a callback.

pub mod codec;

use interprocess::ConnectWaitMode;
use interprocess::local_socket::prelude::*;
use interprocess::local_socket::{ConnectOptions, ListenerOptions, Name};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Most connections handled at once; more are closed at once.
pub const MAX_CONNECTIONS: usize = 8;
/// How long a connection may take to send its request.
pub const READ_DEADLINE: Duration = Duration::from_secs(2);
/// How long a second launch waits to connect and for the answer.
pub const CLIENT_TIMEOUT: Duration = Duration::from_millis(800);

/// What a second launch asks of the first: add these items (absolute `.torrent` paths and
/// magnet links), and raise the window. No items: only raise the window.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OpenRequest {
    /// Absolute `.torrent` paths and magnet links.
    pub items: Vec<String>,
}

impl OpenRequest {
    /// A request from command-line arguments: paths are made absolute (the running instance
    /// has another working folder); magnet links stay as they are.
    pub fn from_args(args: &[std::ffi::OsString]) -> OpenRequest {
        let items = args
            .iter()
            .map(|a| {
                let text = a.to_string_lossy();
                if text
                    .get(..7)
                    .is_some_and(|h| h.eq_ignore_ascii_case("magnet:"))
                {
                    text.into_owned()
                } else {
                    std::path::absolute(a)
                        .map_or_else(|_| text.into_owned(), |p| p.to_string_lossy().into_owned())
                }
            })
            .collect();
        OpenRequest { items }
    }
}

/// Where the instance listens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// The socket file (Unix) or the pipe's name (Windows).
    location: PathBuf,
}

impl Endpoint {
    /// This user's endpoint: under `BROOKLET_HOME` when set, else the runtime folder.
    pub fn for_this_user() -> io::Result<Endpoint> {
        if let Some(home) = std::env::var_os("BROOKLET_HOME").filter(|h| !h.is_empty()) {
            return Endpoint::in_dir(&PathBuf::from(home).join("instance"));
        }
        Endpoint::default_location()
    }

    /// An endpoint in `dir` (made, mode 0700, when missing). On Windows, where pipes live in
    /// their own namespace, the folder's path is hashed into the pipe's name instead.
    pub fn in_dir(dir: &Path) -> io::Result<Endpoint> {
        #[cfg(unix)]
        {
            private_dir(dir)?;
            Ok(Endpoint {
                location: dir.join("brooklet.sock"),
            })
        }
        #[cfg(not(unix))]
        {
            let key = fnv1a(dir.to_string_lossy().as_bytes());
            Ok(Endpoint::pipe(&format!("{key:016x}")))
        }
    }

    #[cfg(unix)]
    fn default_location() -> io::Result<Endpoint> {
        // The XDG base-directory spec makes the runtime folder the user's own, mode 0700.
        if let Some(run) = std::env::var_os("XDG_RUNTIME_DIR").map(PathBuf::from)
            && run.is_absolute()
            && run.is_dir()
        {
            return Ok(Endpoint {
                location: run.join("org.brooklet.Brooklet.sock"),
            });
        }
        let uid = current_uid().map_or_else(|| "user".to_owned(), |u| u.to_string());
        Endpoint::in_dir(&std::env::temp_dir().join(format!("brooklet-{uid}")))
    }

    #[cfg(not(unix))]
    fn default_location() -> io::Result<Endpoint> {
        Ok(Endpoint::pipe("default"))
    }

    /// A per-user pipe name; the user name is kept to safe characters.
    #[cfg(not(unix))]
    fn pipe(suffix: &str) -> Endpoint {
        let user: String = std::env::var("USERNAME")
            .unwrap_or_default()
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .take(64)
            .collect();
        Endpoint {
            location: PathBuf::from(format!(r"\\.\pipe\org.brooklet.Brooklet-{user}-{suffix}")),
        }
    }

    /// The socket file or pipe name, for messages.
    pub fn location(&self) -> &Path {
        &self.location
    }

    fn name(&self) -> io::Result<Name<'_>> {
        self.location
            .as_os_str()
            .to_fs_name::<interprocess::local_socket::GenericFilePath>()
    }
}

/// FNV-1a, 64 bits: a stable short name for a folder.
#[cfg(not(unix))]
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// The effective user id of this process: the owner of `/proc/self` (Linux), else of the home
/// folder.
#[cfg(unix)]
fn current_uid() -> Option<u32> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata("/proc/self")
        .or_else(|_| {
            directories::BaseDirs::new()
                .map(|b| b.home_dir().to_path_buf())
                .ok_or(io::ErrorKind::NotFound)
                .and_then(|h| std::fs::metadata(h).map_err(|e| e.kind()))
                .map_err(io::Error::from)
        })
        .ok()
        .map(|m| m.uid())
}

/// Makes `dir` (mode 0700) or checks the one there: a real folder, this user's, closed to
/// others (its mode is tightened when it is ours).
#[cfg(unix)]
fn private_dir(dir: &Path) -> io::Result<()> {
    use std::os::unix::fs::{DirBuilderExt, MetadataExt, PermissionsExt};
    if let Some(parent) = dir.parent() {
        std::fs::create_dir_all(parent)?;
    }
    match std::fs::DirBuilder::new().mode(0o700).create(dir) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(e),
    }
    let meta = std::fs::symlink_metadata(dir)?;
    if !meta.is_dir() {
        return Err(io::Error::other(format!(
            "{} is not a folder",
            dir.display()
        )));
    }
    if current_uid().is_some_and(|me| me != meta.uid()) {
        return Err(io::Error::new(
            io::ErrorKind::PermissionDenied,
            format!("{} belongs to another user", dir.display()),
        ));
    }
    if meta.mode() & 0o077 != 0 {
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}

/// Why a hand-off failed.
#[derive(Debug, thiserror::Error)]
pub enum HandOffError {
    /// Nobody listens on the endpoint.
    #[error("no running instance: {0}")]
    NoInstance(io::Error),
    /// The running instance answered "refused".
    #[error("the running instance refused the request")]
    Refused,
    /// The request could not be encoded (too large, or a bad item).
    #[error(transparent)]
    Request(#[from] codec::CodecError),
    /// Writing the request or reading the answer failed or timed out.
    #[error("{0}")]
    Io(io::Error),
}

/// Connects to the running instance at `endpoint`, sends `request` (as several requests when
/// it exceeds the limits), and waits at most `timeout` for each step of each.
pub fn hand_off(
    endpoint: &Endpoint,
    request: &OpenRequest,
    timeout: Duration,
) -> Result<(), HandOffError> {
    // Connect first: with nobody listening, the request is this process's own to open.
    let mut stream = connect(endpoint, timeout).map_err(HandOffError::NoInstance)?;
    let batches = codec::encode_batches(request)?;
    for (i, batch) in batches.iter().enumerate() {
        if i > 0 {
            stream = connect(endpoint, timeout).map_err(HandOffError::Io)?;
        }
        exchange(&stream, batch, timeout)?;
    }
    Ok(())
}

fn connect(endpoint: &Endpoint, timeout: Duration) -> io::Result<LocalSocketStream> {
    ConnectOptions::new()
        .name(endpoint.name()?)
        .wait_mode(ConnectWaitMode::Timeout(timeout))
        .connect_sync()
}

/// Sends one encoded request and reads the answer.
fn exchange(
    mut stream: &LocalSocketStream,
    bytes: &[u8],
    timeout: Duration,
) -> Result<(), HandOffError> {
    stream
        .set_send_timeout(Some(timeout))
        .and_then(|()| stream.set_recv_timeout(Some(timeout)))
        .and_then(|()| stream.write_all(bytes))
        .and_then(|()| stream.flush())
        .map_err(HandOffError::Io)?;
    let mut answer = [0u8; 1];
    stream.read_exact(&mut answer).map_err(HandOffError::Io)?;
    match answer[0] {
        codec::ACCEPTED => Ok(()),
        _ => Err(HandOffError::Refused),
    }
}

/// What this process is, once it tried to reach a running instance.
#[derive(Debug)]
pub enum Role {
    /// The running instance took the request: this process should exit.
    HandedOff,
    /// No instance ran: this process is the first, and owns the endpoint.
    First(InstanceListener),
}

/// Hands `request` to a running instance, or, when none runs, takes the endpoint. Two first
/// launches at once: the one that loses the bind hands its request to the winner.
pub fn hand_off_or_listen(
    endpoint: &Endpoint,
    request: &OpenRequest,
) -> Result<Role, HandOffError> {
    match hand_off(endpoint, request, CLIENT_TIMEOUT) {
        Ok(()) => return Ok(Role::HandedOff),
        Err(HandOffError::NoInstance(_)) => {}
        Err(e) => return Err(e),
    }
    match InstanceListener::bind(endpoint) {
        Ok(listener) => Ok(Role::First(listener)),
        Err(bind) => match hand_off(endpoint, request, CLIENT_TIMEOUT) {
            Ok(()) => Ok(Role::HandedOff),
            // Nobody to hand over to, and no endpoint: the bind's error says why.
            Err(HandOffError::NoInstance(_)) => Err(HandOffError::NoInstance(bind)),
            Err(e) => Err(e),
        },
    }
}

/// The bound endpoint, not yet serving.
#[derive(Debug)]
pub struct InstanceListener {
    listener: LocalSocketListener,
    endpoint: Endpoint,
    /// The user the socket file belongs to (Unix): peers must be the same.
    owner: Option<u32>,
}

impl InstanceListener {
    /// Binds the endpoint, replacing a stale socket file that nobody listens on. Fails with
    /// `AddrInUse` when an instance is listening there.
    pub fn bind(endpoint: &Endpoint) -> io::Result<InstanceListener> {
        let listener = match create(endpoint) {
            Err(e) if e.kind() == io::ErrorKind::AddrInUse && cfg!(unix) => {
                if connect(endpoint, CLIENT_TIMEOUT).is_ok() {
                    return Err(e);
                }
                // Stale: a crashed process left its socket file.
                std::fs::remove_file(endpoint.location())?;
                create(endpoint)?
            }
            other => other?,
        };
        Ok(InstanceListener {
            owner: file_owner(endpoint.location()),
            listener,
            endpoint: endpoint.clone(),
        })
    }

    /// Serves on a thread named `brooklet-instance`: each valid request goes to `deliver`,
    /// which says whether it was taken (the second launch is told). The listener stops when
    /// the returned [`Server`] is dropped, removing its socket file.
    pub fn serve<F>(self, deliver: F) -> io::Result<Server>
    where
        F: Fn(OpenRequest) -> bool + Send + Sync + 'static,
    {
        let stop = Arc::new(AtomicBool::new(false));
        let deliver = Arc::new(deliver);
        let endpoint = self.endpoint.clone();
        let identity = file_identity(endpoint.location());
        let flag = stop.clone();
        std::thread::Builder::new()
            .name("brooklet-instance".into())
            .spawn(move || self.accept_loop(&flag, &deliver))?;
        Ok(Server {
            endpoint,
            stop,
            identity,
        })
    }

    fn accept_loop<F>(self, stop: &AtomicBool, deliver: &Arc<F>)
    where
        F: Fn(OpenRequest) -> bool + Send + Sync + 'static,
    {
        let busy = Arc::new(AtomicUsize::new(0));
        for conn in self.listener.incoming() {
            if stop.load(Ordering::Acquire) {
                return;
            }
            let Ok(stream) = conn else {
                // A failed accept (a client that hung up at once): keep serving, without
                // spinning should the error repeat.
                std::thread::sleep(Duration::from_millis(10));
                continue;
            };
            if busy.fetch_add(1, Ordering::AcqRel) >= MAX_CONNECTIONS {
                busy.fetch_sub(1, Ordering::AcqRel);
                continue;
            }
            let (count, deliver, owner) = (busy.clone(), deliver.clone(), self.owner);
            let spawned = std::thread::Builder::new()
                .name("brooklet-instance-conn".into())
                .spawn(move || {
                    serve_one(stream, owner, deliver.as_ref());
                    count.fetch_sub(1, Ordering::AcqRel);
                });
            if spawned.is_err() {
                busy.fetch_sub(1, Ordering::AcqRel);
            }
        }
    }
}

fn create(endpoint: &Endpoint) -> io::Result<LocalSocketListener> {
    ListenerOptions::new()
        .name(endpoint.name()?)
        .reclaim_name(false)
        .create_sync()
}

/// Reads one request (within [`READ_DEADLINE`]), hands it over, answers.
fn serve_one<F: Fn(OpenRequest) -> bool>(
    stream: LocalSocketStream,
    owner: Option<u32>,
    deliver: &F,
) {
    if !same_user(&stream, owner) {
        return;
    }
    let _ = stream.set_send_timeout(Some(Duration::from_secs(1)));
    let mut reader = DeadlineReader {
        stream: &stream,
        deadline: Instant::now() + READ_DEADLINE,
    };
    let answer = match codec::read_request(&mut reader).map(deliver) {
        Ok(true) => codec::ACCEPTED,
        _ => codec::REFUSED,
    };
    let _ = (&stream).write_all(&[answer]);
    let _ = (&stream).flush();
}

/// Only this user may hand requests over. On Unix the peer's effective uid (from the socket's
/// credentials) must own the socket file; where the system does not tell, the 0700 folder
/// (or the runtime folder, the user's own) already keeps other users out. On Windows the
/// pipe's default security gives write access only to its creator (and the system and
/// administrators): another user cannot send a request.
#[cfg(unix)]
fn same_user(stream: &LocalSocketStream, owner: Option<u32>) -> bool {
    match (stream.peer_creds().ok().and_then(|c| c.euid()), owner) {
        (Some(peer), Some(owner)) => peer == owner,
        _ => true,
    }
}

#[cfg(not(unix))]
fn same_user(_stream: &LocalSocketStream, _owner: Option<u32>) -> bool {
    true
}

#[cfg(unix)]
fn file_owner(path: &Path) -> Option<u32> {
    use std::os::unix::fs::MetadataExt;
    std::fs::symlink_metadata(path).ok().map(|m| m.uid())
}

#[cfg(not(unix))]
fn file_owner(_path: &Path) -> Option<u32> {
    None
}

/// The socket file's device and inode: the file is removed at the end only when it is still
/// the one this process made.
#[cfg(unix)]
fn file_identity(path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::symlink_metadata(path)
        .ok()
        .map(|m| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn file_identity(_path: &Path) -> Option<(u64, u64)> {
    None
}

/// A reader that gives up when a deadline passes, however slowly the bytes trickle in.
struct DeadlineReader<'a> {
    stream: &'a LocalSocketStream,
    deadline: Instant,
}

impl Read for DeadlineReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let left = self.deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(io::ErrorKind::TimedOut.into());
        }
        self.stream.set_recv_timeout(Some(left))?;
        let mut stream = self.stream;
        stream.read(buf)
    }
}

/// The running listener. Dropping it stops the listener and removes the socket file.
#[derive(Debug)]
pub struct Server {
    endpoint: Endpoint,
    stop: Arc<AtomicBool>,
    identity: Option<(u64, u64)>,
}

impl Server {
    /// Where it listens.
    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Release);
        // Wake the accept loop so that it sees the flag.
        let _ = connect(&self.endpoint, Duration::from_millis(200));
        if self.identity.is_some() && file_identity(self.endpoint.location()) == self.identity {
            let _ = std::fs::remove_file(self.endpoint.location());
        }
    }
}
