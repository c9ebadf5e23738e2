//! Desktop notifications reach a real notification server over a real D-Bus session.
//!
//! The test starts Xvfb (on a display it picks itself), then runs this test binary again inside
//! `dbus-run-session`, so the notification code talks to a private session bus that nothing else
//! on the machine uses. Inside, the child starts `dbus-monitor` on the
//! `org.freedesktop.Notifications` interface (capturing to a file) and `dunst` on that display,
//! waits until dunst owns the name, and sends a "download finished" notification through
//! `brooklet::platform::notify` (both the blocking call and the background `send`). The monitor
//! must show a `Notify` call with the torrent's name and the "Open folder" action.
//!
//! A second child runs with the session bus pointing at a socket that does not exist: showing a
//! notification must fail quickly with an error, not hang. Every process is stopped through its
//! own handle with a timeout; nothing leaves the machine (a Unix-socket bus, `-nolisten tcp`).
//! Needs `dbus-run-session`, `dbus-monitor`, `dbus-send` (Debian: dbus), `dunst` and `Xvfb`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use brooklet::platform::notify::{self, Finished, Notice, OPEN_FOLDER_ACTION};
use common::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Set in the child process run inside the private session: which body to run.
const CHILD_ENV: &str = "BROOKLET_NOTIFY_TEST_CHILD";
const TORRENT_NAME: &str = "brooklet-notify-test-ubuntu-24.04.iso";
const ERROR_NAME: &str = "brooklet-notify-test-broken";
const WAIT: Duration = Duration::from_secs(15);

fn wait_until(what: &str, timeout: Duration, mut ok: impl FnMut() -> bool) {
    let deadline = Instant::now() + timeout;
    while !ok() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn tools_present() -> bool {
    let hint = "dbus dunst xvfb";
    [
        "dbus-run-session",
        "dbus-monitor",
        "dbus-send",
        "dunst",
        "Xvfb",
    ]
    .iter()
    .all(|tool| require_tool(tool, hint))
}

/// Runs the test named `test` of this binary again, with `CHILD_ENV=mode` and `env`, under
/// `wrapper` (e.g. `dbus-run-session --`), and expects it to pass.
fn run_child(wrapper: &[&str], test: &str, mode: &str, env: &[(&str, &str)]) -> String {
    let exe = std::env::current_exe().unwrap();
    let mut cmd = if let Some((first, rest)) = wrapper.split_first() {
        let mut c = Command::new(first);
        c.args(rest).arg(&exe);
        c
    } else {
        Command::new(&exe)
    };
    cmd.args([test, "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD_ENV, mode)
        .env("BROOKLET_LANG", "en");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = run_with_timeout(&mut cmd, 90);
    let text = format!("{}\n{}", stdout_of(&out), stderr_of(&out));
    assert!(
        out.status.success(),
        "the child ({mode}) failed ({}):\n{text}",
        out.status
    );
    // The harness must really have run the child's test, not filtered it away.
    assert!(
        text.contains("1 passed"),
        "the child did not run {test}:\n{text}"
    );
    text
}

fn finished_notice(save_folder: &Path) -> Notice {
    Notice::Finished(Finished {
        name: TORRENT_NAME.to_owned(),
        save_folder: save_folder.to_path_buf(),
    })
}

#[test]
fn finished_download_notification_reaches_the_notification_server() {
    if std::env::var_os(CHILD_ENV).is_some() || !tools_present() {
        return;
    }
    let (_xvfb, display) = start_xvfb();
    let out = run_child(
        &["dbus-run-session", "--"],
        "in_private_session_notify_reaches_dunst",
        "session",
        &[("DISPLAY", &display)],
    );
    assert!(out.contains("monitor saw the notification"), "{out}");
    println!("{out}");
}

#[test]
fn missing_notification_service_fails_fast_instead_of_hanging() {
    if std::env::var_os(CHILD_ENV).is_some() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let bus = format!("unix:path={}", dir.path().join("no-bus").display());
    let out = run_child(
        &[],
        "without_a_bus_showing_fails_with_an_error",
        "no-bus",
        &[("DBUS_SESSION_BUS_ADDRESS", &bus)],
    );
    println!("{out}");
}

/// The child's body under `dbus-run-session` (does nothing in a normal run).
#[test]
fn in_private_session_notify_reaches_dunst() {
    if std::env::var(CHILD_ENV).as_deref() != Ok("session") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("monitor.log");
    let monitor = Guard(Some(
        Command::new("dbus-monitor")
            .args(["--session", "interface='org.freedesktop.Notifications'"])
            .stdin(Stdio::null())
            .stdout(std::fs::File::create(&log).unwrap())
            .stderr(Stdio::null())
            .spawn()
            .expect("start dbus-monitor"),
    ));
    let read_log = || std::fs::read_to_string(&log).unwrap_or_default();
    // The monitor prints the bus's greeting once it is attached.
    wait_until("dbus-monitor to attach", WAIT, || !read_log().is_empty());

    // An empty configuration: dunst's defaults, whatever the user has in ~/.config.
    let config = dir.path().join("dunstrc");
    std::fs::write(&config, "").unwrap();
    let dunst = Guard(Some(
        Command::new("dunst")
            .args(["-config"])
            .arg(&config)
            .env("XDG_CONFIG_HOME", dir.path())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start dunst"),
    ));
    // Wait until dunst (not bus activation) owns the name.
    wait_until("dunst to own org.freedesktop.Notifications", WAIT, || {
        let out = run_with_timeout(
            Command::new("dbus-send").args([
                "--session",
                "--print-reply",
                "--dest=org.freedesktop.DBus",
                "/org/freedesktop/DBus",
                "org.freedesktop.DBus.NameHasOwner",
                "string:org.freedesktop.Notifications",
            ]),
            10,
        );
        stdout_of(&out).contains("boolean true")
    });

    let save_folder = PathBuf::from(dir.path());
    let shown = notify::show(&finished_notice(&save_folder), true).expect("notification shown");
    assert!(shown.id().is_some_and(|id| id > 0));
    assert!(shown.offers_open_folder());
    // The background path: an error notice sent from its own thread.
    notify::send(Notice::Error {
        name: ERROR_NAME.to_owned(),
        message: "disk full".to_owned(),
    });

    wait_until("the monitor to see both Notify calls", WAIT, || {
        let text = read_log();
        text.contains(TORRENT_NAME) && text.contains(ERROR_NAME)
    });
    let text = read_log();
    let call = text
        .split("method call")
        .find(|c| c.contains(TORRENT_NAME))
        .unwrap();
    assert!(call.contains("member=Notify"), "{call}");
    assert!(call.contains("string \"Download finished\""), "{call}");
    assert!(
        call.contains(&format!("string \"{TORRENT_NAME}\"")),
        "{call}"
    );
    assert!(
        call.contains(&format!("string \"{OPEN_FOLDER_ACTION}\"")),
        "{call}"
    );
    assert!(call.contains("string \"Open folder\""), "{call}");
    assert!(call.contains("string \"Brooklet\""), "{call}");
    println!("monitor saw the notification");
    drop(shown);
    drop(dunst);
    drop(monitor);
}

/// The child's body with no reachable bus (does nothing in a normal run).
#[test]
fn without_a_bus_showing_fails_with_an_error() {
    if std::env::var(CHILD_ENV).as_deref() != Ok("no-bus") {
        return;
    }
    let started = Instant::now();
    let dir = tempfile::tempdir().unwrap();
    assert!(notify::show(&finished_notice(dir.path()), true).is_err());
    assert!(started.elapsed() < Duration::from_secs(10));
    // The background path only logs; it must not panic or block the caller.
    let started = Instant::now();
    notify::send(finished_notice(dir.path()));
    assert!(started.elapsed() < Duration::from_secs(1));
}
