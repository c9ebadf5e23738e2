//! The tray icon over a real D-Bus session, driven as a panel drives it.
//!
//! Each test starts its own `dbus-daemon` (a private session bus on a Unix socket) and Xvfb.
//! The test itself plays the tray host: it owns `org.kde.StatusNotifierWatcher` on that bus,
//! says a host is registered, and records the StatusNotifierItem that Brooklet registers. Then
//! it reads the item's properties and clicks its menu through `com.canonical.dbusmenu`, exactly
//! the calls a KDE or GNOME panel makes, and watches the window with `xdotool`:
//!
//! - started `--minimized` with a tray, no window shows; a click on the icon shows it; the
//!   menu's "Show / hide" hides it (the app and its engine go on) and shows it again; "Quit"
//!   ends the process with status 0 (graceful shutdown);
//! - started `--minimized` on a bus without a watcher (no tray), the window shows anyway;
//! - a watcher (a panel) that appears after the app started gets the icon then.
//!
//! Needs `dbus-daemon` (Debian: dbus), `Xvfb` and `xdotool`. Every process is stopped by its own
//! handle with a timeout.

#![cfg(all(unix, not(target_os = "macos")))]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::clients::Proc;
use common::*;
use std::collections::HashMap;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use tokio::sync::mpsc;
use zbus::{OwnedObjectPath, OwnedVariant as OwnedValue, Variant as Value};

const WAIT: Duration = Duration::from_secs(30);

fn tools_present() -> bool {
    let hint = "dbus xvfb xdotool";
    ["dbus-daemon", "Xvfb", "xdotool"]
        .iter()
        .all(|tool| require_tool(tool, hint))
}

/// A private session bus: the daemon and its address.
fn start_bus() -> (Proc, String) {
    let mut bus = Proc::start(
        "dbus-daemon",
        Command::new("dbus-daemon").args([
            "--session",
            "--nofork",
            "--nopidfile",
            "--print-address=1",
        ]),
    );
    let address = bus.wait_line("its address", WAIT, &[], |l| l.starts_with("unix:"));
    (bus, address.trim().to_owned())
}

/// The test's StatusNotifierWatcher: a tray host is always "registered", and every item that
/// registers is sent to the test as (bus name, object path).
struct Watcher {
    items: mpsc::UnboundedSender<(String, String)>,
}

#[zbus::interface(name = "org.kde.StatusNotifierWatcher")]
impl Watcher {
    async fn register_status_notifier_item(
        &self,
        service: String,
        #[zbus(header)] header: zbus::message::Header<'_>,
    ) {
        let sender = header.sender().map(|s| s.to_string()).unwrap_or_default();
        // An item names either its bus name (object at /StatusNotifierItem) or its object path.
        let item = if service.starts_with('/') {
            (sender, service)
        } else {
            (service, "/StatusNotifierItem".to_owned())
        };
        let _ = self.items.send(item);
    }

    async fn register_status_notifier_host(&self, _service: String) {}

    #[zbus(property)]
    async fn is_status_notifier_host_registered(&self) -> bool {
        true
    }

    #[zbus(property)]
    async fn protocol_version(&self) -> i32 {
        0
    }

    #[zbus(property)]
    async fn registered_status_notifier_items(&self) -> Vec<String> {
        Vec::new()
    }
}

/// Brooklet with its own home, data, display and session bus.
fn start_brooklet(home: &std::path::Path, display: &str, bus: &str, args: &[&str]) -> Proc {
    Proc::start(
        "brooklet",
        brooklet()
            .args(args)
            .env("DISPLAY", display)
            .env("DBUS_SESSION_BUS_ADDRESS", bus)
            .env("HOME", home)
            .env("XDG_CONFIG_HOME", home.join(".config"))
            .env("XDG_DATA_HOME", home.join(".local/share"))
            .env("XDG_RUNTIME_DIR", home)
            .env("BROOKLET_HOME", home.join("brooklet"))
            .env("BROOKLET_DHT", "0")
            .env_remove("BROOKLET_TRAY")
            .env_remove("WAYLAND_DISPLAY"),
    )
}

/// Whether a Brooklet window is mapped on `display`.
fn window_shown(display: &str) -> bool {
    Command::new("xdotool")
        .args(["search", "--onlyvisible", "--name", "^Brooklet"])
        .env("DISPLAY", display)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .output()
        .is_ok_and(|o| o.status.success() && !o.stdout.is_empty())
}

async fn wait_for(what: &str, app: &mut Proc, mut ok: impl FnMut() -> bool) {
    let deadline = Instant::now() + WAIT;
    while !ok() {
        if let Some(status) = app.exited() {
            panic!("brooklet exited ({status}) before {what}\n{}", app.logs());
        }
        assert!(
            Instant::now() < deadline,
            "timed out waiting for {what}\n{}",
            app.logs()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// An icon in StatusNotifierItem's form: width, height, ARGB32 pixels.
type Pixmap = (i32, i32, Vec<u8>);
/// StatusNotifierItem's tooltip: icon name, icons, title, description.
type ToolTip = (String, Vec<Pixmap>, String, String);

/// A menu entry of a dbusmenu layout: (id, properties, children).
type Entry = (i32, HashMap<String, OwnedValue>, Vec<OwnedValue>);

/// The ids of the menu's entries by label (mnemonic underscores removed).
fn entries(layout: Entry, into: &mut HashMap<String, i32>) {
    let (id, props, children) = layout;
    if let Some(label) = props.get("label")
        && let Ok(label) = String::try_from(label.try_clone().unwrap())
    {
        into.insert(label.replace('_', ""), id);
    }
    for child in children {
        let entry: Entry = child.try_into().expect("a menu entry");
        entries(entry, into);
    }
}

struct Item<'a> {
    item: zbus::Proxy<'a>,
    menu: zbus::Proxy<'a>,
}

impl Item<'_> {
    async fn menu_ids(&self) -> HashMap<String, i32> {
        let (_revision, layout): (u32, Entry) = self
            .menu
            .call("GetLayout", &(0i32, -1i32, Vec::<String>::new()))
            .await
            .expect("GetLayout");
        let mut ids = HashMap::new();
        entries(layout, &mut ids);
        ids
    }

    async fn click(&self, label: &str) {
        let ids = self.menu_ids().await;
        let id = *ids
            .get(label)
            .unwrap_or_else(|| panic!("no menu entry {label:?} in {ids:?}"));
        let () = self
            .menu
            .call("Event", &(id, "clicked", Value::from(0i32), 0u32))
            .await
            .expect("menu Event");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_tray_shows_hides_and_quits_the_app_like_a_panel_would() {
    if !tools_present() {
        return;
    }
    let (_xvfb, display) = start_xvfb();
    let (_bus, address) = start_bus();
    let (tx, mut items) = mpsc::unbounded_channel();
    let _host = zbus::connection::Builder::address(address.as_str())
        .name("org.kde.StatusNotifierWatcher")
        .serve_at("/StatusNotifierWatcher", Watcher { items: tx })
        .build()
        .await
        .expect("own the watcher name on the private bus");

    let home = tempfile::tempdir().unwrap();
    let mut app = start_brooklet(home.path(), &display, &address, &["--minimized"]);
    let (service, path) = tokio::time::timeout(WAIT, items.recv())
        .await
        .unwrap_or_else(|_| panic!("no tray item registered\n{}", app.logs()))
        .unwrap();

    let conn = zbus::connection::Builder::address(address.as_str())
        .build()
        .await
        .unwrap();
    let item = zbus::Proxy::new(&conn, service.clone(), path, "org.kde.StatusNotifierItem")
        .await
        .unwrap();
    let title: String = item.get_property("Title").await.unwrap();
    assert_eq!(title, "Brooklet");
    let icons: Vec<Pixmap> = item.get_property("IconPixmap").await.unwrap();
    let (w, h, pixels) = icons.first().expect("an icon");
    assert_eq!((*w, *h, pixels.len()), (32, 32, 32 * 32 * 4));
    let (_, _, _, tooltip): ToolTip = item.get_property("ToolTip").await.unwrap();
    assert!(tooltip.starts_with("Brooklet"), "tooltip {tooltip:?}");
    let menu_path: OwnedObjectPath = item.get_property("Menu").await.unwrap();
    let menu = zbus::Proxy::new(&conn, service, menu_path, "com.canonical.dbusmenu")
        .await
        .unwrap();
    let tray = Item { item, menu };
    let ids = tray.menu_ids().await;
    for label in [
        "Show / hide Brooklet",
        "Pause all",
        "Resume all",
        "Alternative speed limits",
        "Quit Brooklet",
    ] {
        assert!(ids.contains_key(label), "no {label:?} in {ids:?}");
    }

    // Started minimised with a tray: no window until the icon is clicked.
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(!window_shown(&display), "--minimized showed a window");
    let () = tray
        .item
        .call("Activate", &(0i32, 0i32))
        .await
        .expect("Activate");
    wait_for("the window after a click on the icon", &mut app, || {
        window_shown(&display)
    })
    .await;

    // Show / hide from the menu: the window goes, the app stays; then it comes back.
    tray.click("Show / hide Brooklet").await;
    wait_for("the window to hide", &mut app, || !window_shown(&display)).await;
    assert!(app.exited().is_none(), "hiding quit the app");
    tray.click("Show / hide Brooklet").await;
    wait_for("the window to come back", &mut app, || {
        window_shown(&display)
    })
    .await;

    // Quit: a graceful shutdown, status 0.
    tray.click("Quit Brooklet").await;
    let status = app.wait_exit(Duration::from_secs(15));
    assert!(
        status.is_some_and(|s| s.success()),
        "quit from the tray ended with {status:?}\n{}",
        app.logs()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_tray_a_minimized_start_still_shows_the_window() {
    if !tools_present() {
        return;
    }
    let (_xvfb, display) = start_xvfb();
    // A session bus with no StatusNotifierWatcher on it.
    let (_bus, address) = start_bus();
    let home = tempfile::tempdir().unwrap();
    let mut app = start_brooklet(home.path(), &display, &address, &["--minimized"]);
    wait_for("the window (no tray to hide in)", &mut app, || {
        window_shown(&display)
    })
    .await;
    let status = app.terminate(Duration::from_secs(15));
    assert!(status.is_some(), "brooklet did not stop\n{}", app.logs());
}

/// A panel that starts after the app (a tray host appearing on the bus later) gets the icon:
/// the app hears the watcher's name being taken and registers its item then.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tray_host_that_comes_later_gets_the_icon() {
    if !tools_present() {
        return;
    }
    let (_xvfb, display) = start_xvfb();
    let (_bus, address) = start_bus();
    let home = tempfile::tempdir().unwrap();
    let mut app = start_brooklet(home.path(), &display, &address, &[]);
    wait_for("the window", &mut app, || window_shown(&display)).await;
    // The app has found no tray by now (it asks at start, before the window shows).
    tokio::time::sleep(Duration::from_secs(1)).await;

    let (tx, mut items) = mpsc::unbounded_channel();
    let _host = zbus::connection::Builder::address(address.as_str())
        .name("org.kde.StatusNotifierWatcher")
        .serve_at("/StatusNotifierWatcher", Watcher { items: tx })
        .build()
        .await
        .expect("own the watcher name on the private bus");
    let (service, path) = tokio::time::timeout(WAIT, items.recv())
        .await
        .unwrap_or_else(|_| {
            panic!(
                "no tray item registered after the host came\n{}",
                app.logs()
            )
        })
        .unwrap();
    let conn = zbus::connection::Builder::address(address.as_str())
        .build()
        .await
        .unwrap();
    let item = zbus::Proxy::new(&conn, service, path, "org.kde.StatusNotifierItem")
        .await
        .unwrap();
    let title: String = item.get_property("Title").await.unwrap();
    assert_eq!(title, "Brooklet");
    let status = app.terminate(Duration::from_secs(15));
    assert!(status.is_some(), "brooklet did not stop\n{}", app.logs());
}
