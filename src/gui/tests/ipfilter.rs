//! The IP filter in the window: Preferences' Connection page loads a list and shows how it
//! went (ranges, skipped lines, errors, refused connections), and the Peers tab's menu bans a
//! peer for the session or for good.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use crate::engine::api::TorrentDetails;
use crate::engine::ipfilter::IpFilter;
use crate::gui::details::DetailsMessage;
use crate::gui::ipfilter::{ENABLED_ID, FilterStatus, LIFT_BANS_ID, PATH_ID, RELOAD_ID};
use crate::gui::menu::{MenuItem, item_id};
use crate::gui::preferences::{OK_ID, PrefTab, tab_id};

fn shows(app: &App, what: &str) -> bool {
    let mut ui = simulator(app.view(window::Id::unique()));
    ui.find(what).is_ok()
}

fn open_connection_page(app: &mut App) {
    click(app, action_id(Action::Preferences));
    click(app, tab_id(PrefTab::Connection));
}

#[test]
fn the_peers_menu_bans_for_the_session_or_for_good() {
    let (mut app, mut commands) = app();
    click(&mut app, "row-0");
    let (fresh, _) = self::app();
    let details = TorrentDetails {
        info_hash: InfoHash([1; 20]),
        save_path: std::env::temp_dir(),
        comment: None,
        created_by: None,
        creation_date: None,
        private: false,
        piece_length: 16384,
        total_length: 3000,
        pieces: vec![true],
        downloading: Vec::new(),
        files: Vec::new(),
        peers: vec![peer_details([10, 0, 0, 7]), peer_details([10, 0, 0, 8])],
        trackers: Vec::new(),
        tracker_tiers: Vec::new(),
        magnet: String::new(),
    };
    let snapshot = Snapshot {
        torrents: fresh.list().torrents().to_vec(),
        details: Some(Arc::new(details)),
        ..Snapshot::default()
    };
    let _ = app.update(Message::Engine(Event::Snapshot(Arc::new(snapshot))));
    click(&mut app, "tab-Peers");
    assert!(shows(&app, "10.0.0.8:6881"));
    drain(&mut commands);

    let ip: std::net::IpAddr = "10.0.0.8".parse().unwrap();
    let _ = app.update(Message::Details(DetailsMessage::PeerMenu(ip)));
    assert!(shows(&app, &crate::fl!("menu-ban-peer-permanently")));
    click(&mut app, item_id(MenuItem::BanPeer));
    let sent = drain(&mut commands);
    assert!(
        matches!(sent.as_slice(), [Command::BanPeer { ip: i, permanent: false }] if *i == ip),
        "{sent:?}"
    );
    assert!(
        app.settings().banned_peers.is_empty(),
        "a session ban is not kept"
    );
    assert!(app.menu().is_none());

    let _ = app.update(Message::Details(DetailsMessage::PeerMenu(ip)));
    click(&mut app, item_id(MenuItem::BanPeerPermanently));
    let sent = drain(&mut commands);
    assert!(
        matches!(sent.as_slice(), [Command::BanPeer { ip: i, permanent: true }] if *i == ip),
        "{sent:?}"
    );
    assert_eq!(app.settings().banned_peers, vec!["10.0.0.8".to_string()]);
    // The saved list reaches the engine at the next start.
    let config = app.settings().engine_config(Default::default());
    assert_eq!(config.banned_peers, vec![ip]);

    // Preferences count both bans and lift them, the saved one included.
    let _ = app.update(Message::Details(DetailsMessage::PeerMenu(
        "10.0.0.7".parse().unwrap(),
    )));
    click(&mut app, item_id(MenuItem::BanPeer));
    drain(&mut commands);
    open_connection_page(&mut app);
    assert!(shows(&app, &crate::fl!("prefs-banned-peers", count = 2)));
    click(&mut app, LIFT_BANS_ID);
    let mut lifted: Vec<String> = drain(&mut commands)
        .into_iter()
        .filter_map(|c| match c {
            Command::UnbanPeer(ip) => Some(ip.to_string()),
            _ => None,
        })
        .collect();
    lifted.sort();
    assert_eq!(lifted, ["10.0.0.7", "10.0.0.8"]);
    assert!(app.settings().banned_peers.is_empty());
    assert!(shows(&app, &crate::fl!("prefs-banned-peers", count = 0)));
    // OK does not bring the saved ban back.
    click(&mut app, OK_ID);
    assert!(app.settings().banned_peers.is_empty());
}

#[test]
fn the_connection_page_loads_a_list_and_says_how_it_went() {
    let (mut app, mut commands) = app();
    open_connection_page(&mut app);
    assert!(shows(&app, &crate::fl!("prefs-ip-filter-off")));
    assert!(shows(
        &app,
        &crate::fl!("prefs-blocked-connections", count = 0)
    ));
    // On without a list: OK refuses with the reason.
    click(&mut app, ENABLED_ID);
    click(&mut app, OK_ID);
    assert!(app.preferences().is_some());
    assert!(shows(&app, &crate::fl!("prefs-ip-filter-no-file")));

    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("level1.p2p");
    std::fs::write(&list, "A:1.2.3.0-1.2.3.255\nnonsense\nB:5.6.7.8-5.6.7.8\n").unwrap();
    type_into(&mut app, PATH_ID, &list.display().to_string());
    // Reload starts the load on a blocking thread (a task): the page says so at once.
    click(&mut app, RELOAD_ID);
    assert_eq!(app.ip_filter, FilterStatus::Loading);
    assert!(shows(&app, &crate::fl!("prefs-ip-filter-loading")));
    // The task's work, done here, and its answer.
    let loaded = tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(crate::gui::ipfilter::load(list.clone()));
    drain(&mut commands);
    let _ = app.update(Message::IpFilterLoaded(loaded));
    let sent = drain(&mut commands);
    assert!(
        matches!(sent.as_slice(), [Command::SetIpFilter(Some(f))] if f.ranges() == 2),
        "{sent:?}"
    );
    assert!(shows(
        &app,
        &crate::fl!("prefs-ip-filter-loaded", ranges = 2)
    ));
    assert!(shows(
        &app,
        &crate::fl!("prefs-ip-filter-bad-lines", bad = 1, line = 2)
    ));

    // A list that cannot be used: the reason is shown and the filter in force stays.
    let missing = tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(crate::gui::ipfilter::load(dir.path().join("missing.dat")));
    assert!(missing.is_err());
    let _ = app.update(Message::IpFilterLoaded(missing.clone()));
    assert!(drain(&mut commands).is_empty());
    assert!(matches!(app.ip_filter, FilterStatus::Failed(_)));
    assert!(shows(
        &app,
        &crate::fl!("prefs-ip-filter-error", reason = missing.unwrap_err())
    ));

    // The session's refusals are shown as they come.
    let _ = app.update(Message::Engine(Event::Snapshot(Arc::new(Snapshot {
        blocked_connections: 17,
        ..Snapshot::default()
    }))));
    assert!(shows(
        &app,
        &crate::fl!("prefs-blocked-connections", count = 17)
    ));

    // OK keeps the list on; turning it off later drops the filter from the engine.
    click(&mut app, OK_ID);
    assert!(app.preferences().is_none());
    assert!(app.settings().ip_filter_enabled);
    assert_eq!(
        app.settings().ip_filter_path.as_deref(),
        Some(list.as_path())
    );
    drain(&mut commands);
    open_connection_page(&mut app);
    click(&mut app, ENABLED_ID);
    click(&mut app, OK_ID);
    let sent = drain(&mut commands);
    assert!(
        sent.iter().any(|c| matches!(c, Command::SetIpFilter(None))),
        "{sent:?}"
    );
    assert_eq!(app.ip_filter, FilterStatus::Off);
}

#[test]
fn a_filter_loaded_while_it_is_off_is_not_put_in_force() {
    let (mut app, mut commands) = app();
    drain(&mut commands);
    let _ = app.update(Message::IpFilterLoaded(Ok(Arc::new(IpFilter::parse(
        "A:1.2.3.4-1.2.3.4",
    )))));
    assert!(drain(&mut commands).is_empty());
    assert!(matches!(
        app.ip_filter,
        FilterStatus::Loaded { ranges: 1, .. }
    ));
}
