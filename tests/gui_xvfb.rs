//! The real desktop app under Xvfb: it starts with a `.torrent` argument, opens its window and
//! the add dialog, Enter adds the torrent, its engine serves it, a screenshot is taken, and
//! Ctrl+Q quits it cleanly.
//!
//! Needs Xvfb, xdotool, xwininfo (x11-utils) and ImageMagick's `import`; `.ci/run` installs them.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use brooklet::engine::peer::wire::Handshake;
use brooklet::engine::peer_id::PeerId;
use common::*;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Kills a child (through its own handle) when the test ends, pass or fail.
struct Guard(Option<Child>);

impl Drop for Guard {
    fn drop(&mut self) {
        if let Some(mut c) = self.0.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A display number nobody uses.
fn free_display() -> u32 {
    let base = 100 + std::process::id() % 400;
    (base..base + 200)
        .find(|n| {
            !Path::new(&format!("/tmp/.X11-unix/X{n}")).exists()
                && !Path::new(&format!("/tmp/.X{n}-lock")).exists()
        })
        .expect("no free X display number")
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

/// True when the app at `port` answers a handshake for `info_hash` with the same info-hash:
/// its engine serves the torrent.
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

#[test]
fn the_window_opens_with_a_torrent_from_the_command_line_and_quits_cleanly() {
    for (tool, hint) in [
        ("Xvfb", "xvfb"),
        ("xdotool", "xdotool"),
        ("xwininfo", "x11-utils"),
        ("import", "imagemagick"),
    ] {
        if !require_tool(tool, hint) {
            return;
        }
    }
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path().join("home");
    let downloads = home.join("Downloads");
    std::fs::create_dir_all(&downloads).unwrap();
    std::fs::write(downloads.join("sample.iso"), random_bytes(42, 3_000_000)).unwrap();
    let torrent = tmp.path().join("sample.torrent");
    let out = run_with_timeout(
        brooklet()
            .arg("create")
            .arg(downloads.join("sample.iso"))
            .arg("-o")
            .arg(&torrent),
        60,
    );
    let hash = expect_success(&out, "create");
    let info_hash = brooklet::engine::InfoHash::from_hex(hash.trim()).unwrap();

    let n = free_display();
    let display = format!(":{n}");
    let xvfb = Guard(Some(
        Command::new("Xvfb")
            .args([
                display.as_str(),
                "-screen",
                "0",
                "1280x800x24",
                "-nolisten",
                "tcp",
                // No reset when xwininfo (the readiness probe) disconnects: the app's
                // connection would otherwise fail while the server regenerates.
                "-noreset",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start Xvfb"),
    ));
    wait_until("Xvfb", Duration::from_secs(20), || {
        x(&display, "xwininfo")
            .arg("-root")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    });

    let port = free_port();
    let mut app = Guard(Some(
        brooklet()
            .arg(&torrent)
            .env("DISPLAY", &display)
            .env("HOME", &home)
            .env_remove("BROOKLET_HOME")
            .env_remove("XDG_DOWNLOAD_DIR")
            .env("XDG_CONFIG_HOME", home.join(".config"))
            .env("BROOKLET_PORT", port.to_string())
            // Its own data and single-instance endpoint: never a running Brooklet's.
            .env("BROOKLET_HOME", tmp.path().join("brooklet"))
            .env("BROOKLET_DHT", "0")
            .env_remove("WAYLAND_DISPLAY")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start brooklet"),
    ));
    let stderr = collect(app.0.as_mut().unwrap().stderr.take().unwrap());

    // The window appears.
    let mut window = String::new();
    let mut exited = None;
    wait_until("the Brooklet window", Duration::from_secs(30), || {
        let out = x(&display, "xdotool")
            .args(["search", "--name", "^Brooklet"])
            .output();
        window = out
            .map(|o| {
                String::from_utf8_lossy(&o.stdout)
                    .lines()
                    .next()
                    .unwrap_or("")
                    .to_owned()
            })
            .unwrap_or_default();
        if let Some(status) = app.0.as_mut().unwrap().try_wait().unwrap() {
            exited = Some(status);
            return true;
        }
        !window.is_empty()
    });
    if let Some(status) = exited {
        app.0 = None;
        let err = String::from_utf8_lossy(&stderr.join().unwrap()).into_owned();
        panic!("brooklet exited early ({status}):\n{err}");
    }
    // The torrent from the command line is asked about in the add dialog; Enter adds it. Its
    // engine then has it (and found the data: it answers). Enter is pressed until then, as the
    // dialog opens once the file is parsed.
    let ok = x(&display, "xdotool")
        .args(["windowfocus", "--sync", window.as_str()])
        .status()
        .unwrap();
    assert!(ok.success());
    wait_until(
        "the engine to serve the torrent",
        Duration::from_secs(30),
        || {
            let _ = x(&display, "xdotool").args(["key", "Return"]).status();
            engine_serves(port, info_hash)
        },
    );

    // A screenshot of the screen as a person would see it.
    let shot =
        std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("brooklet-main-window.png");
    let status = x(&display, "import")
        .args(["-window", "root"])
        .arg(&shot)
        .status()
        .unwrap();
    assert!(status.success(), "import failed");
    assert!(
        std::fs::metadata(&shot).unwrap().len() > 1000,
        "empty screenshot"
    );

    // Ctrl+Q quits, gracefully and quickly.
    let ok = x(&display, "xdotool")
        .args(["windowfocus", "--sync", window.as_str()])
        .status()
        .unwrap();
    assert!(ok.success());
    let ok = x(&display, "xdotool")
        .args(["key", "ctrl+q"])
        .status()
        .unwrap();
    assert!(ok.success());
    let status = wait_with_timeout(app.0.as_mut().unwrap(), Duration::from_secs(15))
        .expect("brooklet did not quit within 15 s of Ctrl+Q");
    app.0 = None;
    let err = String::from_utf8_lossy(&stderr.join().unwrap()).into_owned();
    assert!(status.success(), "brooklet exited with {status}: {err}");
    assert!(!err.contains("panicked"), "{err}");
    drop(xvfb);
}
