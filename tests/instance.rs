//! Single instance: a second launch hands its `.torrent` paths and magnet links to the running
//! Brooklet and exits.
//!
//! In-process tests run the listener in a temporary folder and talk to it as a second launch
//! would, and as a hostile local process might (garbage, oversized requests, silent
//! connections); the listener must refuse those and go on serving. A stale socket file is
//! replaced. Then two real processes under Xvfb: the second `brooklet FILE.torrent` (and
//! `brooklet MAGNET`, and plain `brooklet`) exits 0 at once, and the first's engine gains the
//! torrents. Those need Xvfb and xdotool.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use brooklet::engine::peer::wire::Handshake;
use brooklet::engine::peer_id::PeerId;
use brooklet::platform::instance::codec::{self, MAGIC, MAX_ITEM, REFUSED, VERSION};
use brooklet::platform::instance::{
    self, Endpoint, HandOffError, InstanceListener, OpenRequest, Role, Server,
};
use common::*;
use interprocess::local_socket::prelude::*;
use interprocess::local_socket::{GenericFilePath, ToFsName};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const WAIT: Duration = Duration::from_secs(5);

/// A listener serving in `dir`, delivering into a channel.
fn serve_in(dir: &Path) -> (Endpoint, Server, mpsc::Receiver<OpenRequest>) {
    let endpoint = Endpoint::in_dir(dir).unwrap();
    let listener = InstanceListener::bind(&endpoint).unwrap();
    let (tx, rx) = mpsc::channel();
    let server = listener.serve(move |r| tx.send(r).is_ok()).unwrap();
    (endpoint, server, rx)
}

fn raw_connect(endpoint: &Endpoint) -> LocalSocketStream {
    let name = endpoint
        .location()
        .as_os_str()
        .to_fs_name::<GenericFilePath>()
        .unwrap();
    let stream = LocalSocketStream::connect(name).unwrap();
    stream.set_recv_timeout(Some(WAIT)).unwrap();
    stream.set_send_timeout(Some(WAIT)).unwrap();
    stream
}

/// Sends raw bytes (ignoring write errors: the listener may hang up early) and returns its
/// one-byte answer, if any.
fn send_raw(endpoint: &Endpoint, bytes: &[u8]) -> Option<u8> {
    let mut s = raw_connect(endpoint);
    let _ = s.write_all(bytes);
    let _ = s.flush();
    let mut answer = [0u8; 1];
    s.read_exact(&mut answer).ok().map(|()| answer[0])
}

fn header(count: u16) -> Vec<u8> {
    let mut b = MAGIC.to_vec();
    b.push(VERSION);
    b.extend_from_slice(&count.to_be_bytes());
    b
}

fn torrent_path(dir: &Path, name: &str) -> String {
    dir.join(name).to_string_lossy().into_owned()
}

#[test]
fn a_handed_over_request_reaches_the_listener() {
    let tmp = tempfile::tempdir().unwrap();
    let (endpoint, _server, rx) = serve_in(&tmp.path().join("instance"));
    let request = OpenRequest {
        items: vec![
            torrent_path(tmp.path(), "a b.torrent"),
            "magnet:?xt=urn:btih:0123456789abcdef0123456789abcdef01234567&dn=x".into(),
        ],
    };
    instance::hand_off(&endpoint, &request, WAIT).unwrap();
    assert_eq!(rx.recv_timeout(WAIT).unwrap(), request);
    // No arguments: a request to raise the window.
    instance::hand_off(&endpoint, &OpenRequest::default(), WAIT).unwrap();
    assert_eq!(rx.recv_timeout(WAIT).unwrap(), OpenRequest::default());
    // More items than one request may carry arrive in several, all of them in order.
    let many = OpenRequest {
        items: (0..300)
            .map(|n| torrent_path(tmp.path(), &format!("{n}.torrent")))
            .collect(),
    };
    instance::hand_off(&endpoint, &many, WAIT).unwrap();
    let mut got = rx.recv_timeout(WAIT).unwrap().items;
    got.extend(rx.recv_timeout(WAIT).unwrap().items);
    assert_eq!(got, many.items);
}

#[test]
fn hostile_input_is_refused_and_the_listener_keeps_serving() {
    let tmp = tempfile::tempdir().unwrap();
    let (endpoint, _server, rx) = serve_in(&tmp.path().join("instance"));

    // A connection that sends nothing does not hold up the next one.
    let mut silent = raw_connect(&endpoint);

    assert_eq!(
        send_raw(&endpoint, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"),
        Some(REFUSED)
    );
    assert_eq!(send_raw(&endpoint, &[0xff; 4096]), Some(REFUSED));
    // Too many items, an item too long, a message too large.
    assert_eq!(send_raw(&endpoint, &header(1000)), Some(REFUSED));
    let mut long = header(1);
    long.extend_from_slice(&9000u16.to_be_bytes());
    long.extend_from_slice(&[b'/'; 9000]);
    assert_eq!(send_raw(&endpoint, &long), Some(REFUSED));
    let item = format!("magnet:{}", "a".repeat(MAX_ITEM - 7));
    let mut big = header(9);
    for _ in 0..9 {
        big.extend_from_slice(&(item.len() as u16).to_be_bytes());
        big.extend_from_slice(item.as_bytes());
    }
    assert_eq!(send_raw(&endpoint, &big), Some(REFUSED));
    // Not UTF-8; a relative path; a control character.
    for item in [&b"/\xff\xfe.torrent"[..], b"relative.torrent", b"/a\x1b[2J"] {
        let mut b = header(1);
        b.extend_from_slice(&(item.len() as u16).to_be_bytes());
        b.extend_from_slice(item);
        assert_eq!(send_raw(&endpoint, &b), Some(REFUSED), "{item:?}");
    }
    // Half a request, then a hang-up.
    let mut s = raw_connect(&endpoint);
    s.write_all(&header(2)).unwrap();
    drop(s);

    // Still serving, and quickly, though the silent connection is open.
    let request = OpenRequest {
        items: vec![torrent_path(tmp.path(), "good.torrent")],
    };
    let start = Instant::now();
    instance::hand_off(&endpoint, &request, WAIT).unwrap();
    assert!(
        start.elapsed() < Duration::from_secs(1),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(rx.recv_timeout(WAIT).unwrap(), request);
    assert!(rx.try_recv().is_err(), "a refused request was delivered");

    // The silent connection is given up on after the read deadline.
    let mut answer = Vec::new();
    let _ = silent.read_to_end(&mut answer);
    assert!(answer.is_empty() || answer == [REFUSED], "{answer:?}");
}

#[test]
fn a_request_the_app_cannot_take_is_answered_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let endpoint = Endpoint::in_dir(&tmp.path().join("instance")).unwrap();
    let listener = InstanceListener::bind(&endpoint).unwrap();
    let _server = listener.serve(|_| false).unwrap();
    let err = instance::hand_off(&endpoint, &OpenRequest::default(), WAIT).unwrap_err();
    assert!(matches!(err, HandOffError::Refused), "{err}");
}

#[test]
fn without_a_listener_there_is_no_instance() {
    let tmp = tempfile::tempdir().unwrap();
    let endpoint = Endpoint::in_dir(&tmp.path().join("instance")).unwrap();
    let err = instance::hand_off(&endpoint, &OpenRequest::default(), WAIT).unwrap_err();
    assert!(matches!(err, HandOffError::NoInstance(_)), "{err}");
}

#[test]
fn the_first_launch_listens_and_the_second_hands_off() {
    let tmp = tempfile::tempdir().unwrap();
    let endpoint = Endpoint::in_dir(&tmp.path().join("instance")).unwrap();
    let request = OpenRequest {
        items: vec![torrent_path(tmp.path(), "x.torrent")],
    };
    let Role::First(listener) = instance::hand_off_or_listen(&endpoint, &request).unwrap() else {
        panic!("nobody listened, yet the request was handed off");
    };
    // A second listener cannot take the endpoint from a live one.
    assert!(InstanceListener::bind(&endpoint).is_err());
    let (tx, rx) = mpsc::channel();
    let server = listener.serve(move |r| tx.send(r).is_ok()).unwrap();
    assert!(matches!(
        instance::hand_off_or_listen(&endpoint, &request).unwrap(),
        Role::HandedOff
    ));
    assert_eq!(rx.recv_timeout(WAIT).unwrap(), request);
    // Stopping removes the socket file: the next launch is the first again.
    drop(server);
    #[cfg(unix)]
    assert!(!endpoint.location().exists());
    assert!(matches!(
        instance::hand_off_or_listen(&endpoint, &request).unwrap(),
        Role::First(_)
    ));
}

#[cfg(unix)]
#[test]
fn a_stale_socket_file_is_replaced() {
    let tmp = tempfile::tempdir().unwrap();
    let endpoint = Endpoint::in_dir(&tmp.path().join("instance")).unwrap();
    // A crashed process: its socket file stays, nobody listens.
    drop(std::os::unix::net::UnixListener::bind(endpoint.location()).unwrap());
    assert!(endpoint.location().exists());
    // (A process that other tests fork meanwhile may hold the dropped listener until it
    // execs: wait for it to be gone for good.)
    wait_until("the stale socket to refuse", WAIT, || {
        matches!(
            instance::hand_off(&endpoint, &OpenRequest::default(), WAIT),
            Err(HandOffError::NoInstance(_))
        )
    });
    assert!(endpoint.location().exists());

    let request = OpenRequest {
        items: vec![torrent_path(tmp.path(), "after-crash.torrent")],
    };
    let Role::First(listener) = instance::hand_off_or_listen(&endpoint, &request).unwrap() else {
        panic!("a stale socket was taken for a running instance");
    };
    let (tx, rx) = mpsc::channel();
    let _server = listener.serve(move |r| tx.send(r).is_ok()).unwrap();
    instance::hand_off(&endpoint, &request, WAIT).unwrap();
    assert_eq!(rx.recv_timeout(WAIT).unwrap(), request);
}

#[cfg(unix)]
#[test]
fn the_endpoint_folder_is_private() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("instance");
    std::fs::create_dir(&dir).unwrap();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o777)).unwrap();
    let endpoint = Endpoint::in_dir(&dir).unwrap();
    assert!(endpoint.location().starts_with(&dir));
    let mode = std::fs::metadata(&dir).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o700);
    // A file where the folder should be is refused.
    let file = tmp.path().join("file");
    std::fs::write(&file, b"x").unwrap();
    assert!(Endpoint::in_dir(&file).is_err());
}

#[test]
fn arguments_become_absolute_paths_and_untouched_magnets() {
    let magnet = "magnet:?xt=urn:btih:0123456789abcdef0123456789abcdef01234567";
    let request = OpenRequest::from_args(&["x.torrent".into(), magnet.into()]);
    assert!(Path::new(&request.items[0]).is_absolute());
    assert!(request.items[0].ends_with("x.torrent"));
    assert_eq!(request.items[1], magnet);
    assert!(codec::encode(&request).is_ok());
}

// ---- Two real processes under Xvfb ----

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn wait_until(what: &str, timeout: Duration, mut ok: impl FnMut() -> bool) {
    let deadline = Instant::now() + timeout;
    while !ok() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn x(display: &str, program: &str) -> Command {
    let mut c = Command::new(program);
    c.env("DISPLAY", display).stdin(Stdio::null());
    c
}

/// The Brooklet windows on `display`.
fn windows(display: &str) -> Vec<String> {
    x(display, "xdotool")
        .args(["search", "--name", "^Brooklet"])
        .output()
        .map(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// True when the app at `port` answers a handshake for `info_hash`: its engine has the torrent.
fn engine_serves(port: u16, info_hash: brooklet::engine::InfoHash) -> bool {
    let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let _ = s.set_read_timeout(Some(Duration::from_secs(5)));
    if s.write_all(&Handshake::new(info_hash, PeerId::generate()).encode())
        .is_err()
    {
        return false;
    }
    let mut reply = [0u8; 68];
    s.read_exact(&mut reply).is_ok()
        && Handshake::decode(&reply).is_ok_and(|h| h.info_hash == info_hash)
}

/// The environment both processes share: one display, one `BROOKLET_HOME`, loopback only.
fn app(display: &str, home: &Path, brooklet_home: &Path, port: u16) -> Command {
    let mut c = brooklet();
    c.env("DISPLAY", display)
        .env("HOME", home)
        .env_remove("XDG_DOWNLOAD_DIR")
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("BROOKLET_HOME", brooklet_home)
        .env("BROOKLET_PORT", port.to_string())
        .env("BROOKLET_DHT", "0")
        .env_remove("WAYLAND_DISPLAY");
    c
}

/// Runs a second launch and asserts that it exits 0 within a few seconds, saying nothing.
fn second_launch(cmd: &mut Command, what: &str) {
    let start = Instant::now();
    let out = run_with_timeout(cmd, 10);
    expect_success(&out, what);
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "{what}: took {:?}",
        start.elapsed()
    );
    assert!(stderr_of(&out).is_empty(), "{what}: {}", stderr_of(&out));
}

/// Presses Enter in the window until `done` (the add dialog opens once the request arrived).
fn confirm_until(display: &str, window: &str, what: &str, mut done: impl FnMut() -> bool) {
    wait_until(what, Duration::from_secs(30), || {
        let _ = x(display, "xdotool")
            .args(["windowfocus", "--sync", window])
            .status();
        let _ = x(display, "xdotool").args(["key", "Return"]).status();
        done()
    });
}

#[test]
fn a_second_launch_hands_its_torrent_and_magnet_to_the_first() {
    for (tool, hint) in [("Xvfb", "xvfb"), ("xdotool", "xdotool")] {
        if !require_tool(tool, hint) {
            return;
        }
    }
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path().join("home");
    let brooklet_home = tmp.path().join("brooklet");
    let downloads = home.join("Downloads");
    std::fs::create_dir_all(&downloads).unwrap();
    std::fs::write(downloads.join("handed.iso"), random_bytes(7, 400_000)).unwrap();
    let torrent = tmp.path().join("handed.torrent");
    let out = run_with_timeout(
        brooklet()
            .arg("create")
            .arg(downloads.join("handed.iso"))
            .arg("-o")
            .arg(&torrent),
        60,
    );
    let hash = expect_success(&out, "create");
    let info_hash = brooklet::engine::InfoHash::from_hex(hash.trim()).unwrap();

    let (xvfb, display) = start_xvfb();

    // The first instance, with nothing to add.
    let port = free_port();
    let mut first = Guard(Some(
        app(&display, &home, &brooklet_home, port)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start brooklet"),
    ));
    let mut stderr = Some(collect(first.0.as_mut().unwrap().stderr.take().unwrap()));
    let mut window = String::new();
    wait_until("the Brooklet window", Duration::from_secs(30), || {
        window = windows(&display).into_iter().next().unwrap_or_default();
        if let Some(status) = first.0.as_mut().unwrap().try_wait().unwrap() {
            let err = stderr.take().unwrap().join().unwrap();
            panic!(
                "brooklet exited early ({status}): {}",
                String::from_utf8_lossy(&err)
            );
        }
        !window.is_empty()
    });
    assert!(
        brooklet_home
            .join("instance")
            .join("brooklet.sock")
            .exists()
    );

    // A second launch with a relative path, from another folder: it exits at once, and the
    // first asks about the torrent; Enter adds it, and its engine serves it.
    second_launch(
        app(&display, &home, &brooklet_home, free_port())
            .current_dir(tmp.path())
            .arg("handed.torrent"),
        "second launch with a .torrent",
    );
    confirm_until(&display, &window, "the first to add the torrent", || {
        engine_serves(port, info_hash)
    });

    // A magnet link the same way: the first's session lists it.
    let magnet_hash = "c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00";
    second_launch(
        app(&display, &home, &brooklet_home, free_port()).arg(format!(
            "magnet:?xt=urn:btih:{magnet_hash}&dn=handed-magnet"
        )),
        "second launch with a magnet link",
    );
    let session = brooklet_home.join("data").join("session.json");
    confirm_until(&display, &window, "the first to add the magnet", || {
        std::fs::read_to_string(&session).is_ok_and(|s| s.to_lowercase().contains(magnet_hash))
    });

    // No arguments: the first raises its window; still one window, one process.
    second_launch(
        &mut app(&display, &home, &brooklet_home, free_port()),
        "second launch without arguments",
    );
    assert_eq!(windows(&display).len(), 1, "a second window opened");
    assert!(first.0.as_mut().unwrap().try_wait().unwrap().is_none());

    // Ctrl+Q quits the first cleanly and removes its socket.
    let _ = x(&display, "xdotool")
        .args(["windowfocus", "--sync", window.as_str()])
        .status();
    let ok = x(&display, "xdotool")
        .args(["key", "ctrl+q"])
        .status()
        .unwrap();
    assert!(ok.success());
    let status = wait_with_timeout(first.0.as_mut().unwrap(), Duration::from_secs(15))
        .expect("brooklet did not quit within 15 s of Ctrl+Q");
    first.0 = None;
    let err = String::from_utf8_lossy(&stderr.take().unwrap().join().unwrap()).into_owned();
    assert!(status.success(), "brooklet exited with {status}: {err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(
        !brooklet_home
            .join("instance")
            .join("brooklet.sock")
            .exists(),
        "the socket file outlived the app"
    );
    drop(xvfb);
}
