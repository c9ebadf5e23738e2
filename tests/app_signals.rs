//! The desktop app stops gracefully when the system asks: SIGTERM (a logout, `kill`) makes it
//! shut its engine down as Quit does — the tracker hears `event=stopped` — and exit 0 within
//! five seconds, instead of dying mid-write.
//!
//! The test runs the real app under Xvfb with a torrent whose data is there (so it seeds), and
//! plays the torrent's HTTP tracker itself on 127.0.0.1, recording every announce.
//! Needs Xvfb (Debian: xvfb).

#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::clients::Proc;
use common::*;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A tracker that answers every announce with no peers and remembers the request lines.
fn start_tracker() -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/announce", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = seen.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
            let mut reader = BufReader::new(&stream);
            let mut line = String::new();
            if reader.read_line(&mut line).is_err() {
                continue;
            }
            // The rest of the head, up to the blank line.
            let mut header = String::new();
            while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
                header.clear();
            }
            record.lock().unwrap().push(line.trim().to_owned());
            let body = b"d8:intervali1800e5:peers0:e";
            let mut out = &stream;
            let _ = write!(
                out,
                "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = out.write_all(body);
        }
    });
    (url, seen)
}

fn announced(seen: &Arc<Mutex<Vec<String>>>, event: &str) -> bool {
    seen.lock()
        .unwrap()
        .iter()
        .any(|l| l.contains(&format!("event={event}")))
}

#[test]
fn sigterm_stops_the_app_gracefully_within_five_seconds() {
    if !require_tool("Xvfb", "xvfb") {
        return;
    }
    let (_xvfb, display) = start_xvfb();
    let (tracker, seen) = start_tracker();
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path().join("home");
    let downloads = home.join("Downloads");
    std::fs::create_dir_all(&downloads).unwrap();
    std::fs::write(downloads.join("held.bin"), random_bytes(7, 600_000)).unwrap();
    let torrent = tmp.path().join("held.torrent");
    let out = run_with_timeout(
        brooklet()
            .arg("create")
            .arg(downloads.join("held.bin"))
            .arg("-o")
            .arg(&torrent)
            .args(["--tracker", &tracker]),
        60,
    );
    expect_success(&out, "create");
    // Added without the add dialog, saved where the data is.
    let bhome = tmp.path().join("brooklet");
    std::fs::create_dir_all(bhome.join("config")).unwrap();
    std::fs::write(
        bhome.join("config/settings.json"),
        format!(
            "{{\"show_add_dialog\": false, \"save_path\": {:?}}}",
            downloads.display().to_string()
        ),
    )
    .unwrap();

    let mut app = Proc::start(
        "brooklet",
        brooklet()
            .arg(&torrent)
            .env("DISPLAY", &display)
            .env("HOME", &home)
            .env("BROOKLET_HOME", &bhome)
            .env("BROOKLET_DHT", "0")
            .env("BROOKLET_TRAY", "0")
            .env(
                "DBUS_SESSION_BUS_ADDRESS",
                format!("unix:path={}", tmp.path().join("no-bus").display()),
            )
            .env_remove("WAYLAND_DISPLAY"),
    );
    let deadline = Instant::now() + Duration::from_secs(30);
    while !announced(&seen, "started") {
        assert!(app.exited().is_none(), "brooklet ended\n{}", app.logs());
        assert!(
            Instant::now() < deadline,
            "no announce reached the tracker\n{}",
            app.logs()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(!announced(&seen, "stopped"));

    let started = Instant::now();
    let status = app.terminate(Duration::from_secs(5));
    let took = started.elapsed();
    assert!(
        status.is_some_and(|s| s.success()),
        "after SIGTERM brooklet ended with {status:?} after {took:?}\n{}",
        app.logs()
    );
    assert!(
        announced(&seen, "stopped"),
        "SIGTERM skipped the final announce: {:?}",
        seen.lock().unwrap()
    );
    println!("brooklet stopped gracefully {took:?} after SIGTERM");
}
