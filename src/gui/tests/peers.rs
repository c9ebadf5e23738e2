//! Peer control in the window: the Peers tab adds a peer by address (a bad one is refused with
//! a reason), and the "Set limits…" dialog sets a torrent's own connection limit.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use crate::engine::api::TorrentDetails;
use crate::gui::details::{ADD_PEER_ID, PEER_ENTRY_ID};
use crate::gui::limits::{LIMITS_OK_ID, LIMITS_PEERS_ID, LimitsMessage};
use crate::gui::menu::MenuItem;

fn shows(app: &App, what: &str) -> bool {
    let mut ui = simulator(app.view(window::Id::unique()));
    ui.find(what).is_ok()
}

/// The app with its first torrent selected, its details in, and the Peers tab open.
fn on_peers_tab() -> (App, UnboundedReceiver<Command>) {
    let (mut app, mut commands) = app();
    click(&mut app, "row-0");
    let torrents = app.list().torrents().to_vec();
    let details = TorrentDetails {
        info_hash: torrents[0].info_hash,
        save_path: std::env::temp_dir(),
        comment: None,
        created_by: None,
        creation_date: None,
        private: false,
        piece_length: 16384,
        total_length: 3000,
        pieces: vec![false],
        downloading: Vec::new(),
        files: Vec::new(),
        peers: vec![peer_details([10, 0, 0, 7])],
        trackers: Vec::new(),
        tracker_tiers: Vec::new(),
        magnet: String::new(),
    };
    let snapshot = Snapshot {
        torrents,
        details: Some(Arc::new(details)),
        ..Snapshot::default()
    };
    let _ = app.update(Message::Engine(Event::Snapshot(Arc::new(snapshot))));
    click(&mut app, "tab-Peers");
    drain(&mut commands);
    (app, commands)
}

#[test]
fn the_peers_tab_adds_a_typed_peer_and_refuses_a_bad_address() {
    let (mut app, mut commands) = on_peers_tab();
    let hash = app.list().torrents()[0].info_hash;
    assert!(shows(&app, "10.0.0.7:6881"));

    type_into(&mut app, PEER_ENTRY_ID, "example.org:80");
    click(&mut app, ADD_PEER_ID);
    assert!(drain(&mut commands).is_empty(), "a bad address was sent");
    let problem = app.details.peer_problem.clone().expect("a reason");
    assert!(problem.contains("example.org:80"), "{problem}");
    assert!(shows(&app, &problem));

    // Typing again clears the reason; IPv6 works as well as IPv4.
    let _ = app.update(Message::Details(
        crate::gui::details::DetailsMessage::PeerEntry(String::new()),
    ));
    assert!(app.details.peer_problem.is_none());
    type_into(&mut app, PEER_ENTRY_ID, "[::1]:51413");
    click(&mut app, ADD_PEER_ID);
    let want: std::net::SocketAddr = "[::1]:51413".parse().unwrap();
    let sent = drain(&mut commands);
    assert!(
        matches!(sent.as_slice(), [Command::AddPeer(h, a)] if *h == hash && *a == want),
        "{sent:?}"
    );
    assert!(app.details.peer_entry.is_empty(), "the box is emptied");
}

#[test]
fn addresses_are_checked_before_they_reach_the_engine() {
    use crate::gui::details::parse_peer;
    assert_eq!(
        parse_peer(" 203.0.113.5:6881 ").unwrap(),
        "203.0.113.5:6881".parse().unwrap()
    );
    for bad in [
        "",
        "203.0.113.5",
        "203.0.113.5:0",
        "0.0.0.0:6881",
        "1.2.3.4:99999",
        "::1:80",
    ] {
        assert!(parse_peer(bad).is_err(), "{bad} accepted");
    }
}

#[test]
fn the_limits_dialog_sets_a_connection_limit_only_when_changed() {
    let (mut app, mut commands) = app();
    click(&mut app, "row-1");
    let _ = app.update(Message::MenuPick(MenuItem::SetLimits));
    // Unchanged: the torrent keeps its own (nothing about peers is sent).
    click(&mut app, LIMITS_OK_ID);
    let sent = drain(&mut commands);
    assert!(
        !sent
            .iter()
            .any(|c| matches!(c, Command::SetTorrentMaxPeers(..))),
        "{sent:?}"
    );
    // The box starts at 0 (the session's); typed text is appended: "0" + "30" = 30.
    let _ = app.update(Message::MenuPick(MenuItem::SetLimits));
    type_into(&mut app, LIMITS_PEERS_ID, "30");
    click(&mut app, LIMITS_OK_ID);
    let hash = app.list().torrents()[1].info_hash;
    let sent = drain(&mut commands);
    assert!(
        sent.iter()
            .any(|c| matches!(c, Command::SetTorrentMaxPeers(h, Some(30)) if *h == hash)),
        "{sent:?}"
    );
    // The engine reports the new limit; the dialog shows it next time.
    let mut torrents = app.list().torrents().to_vec();
    torrents[1].max_peers = Some(30);
    let snapshot = Snapshot {
        torrents,
        ..Snapshot::default()
    };
    let _ = app.update(Message::Engine(Event::Snapshot(Arc::new(snapshot))));
    // Too many is refused with the limit in the reason.
    let _ = app.update(Message::MenuPick(MenuItem::SetLimits));
    let _ = app.update(Message::Limits(LimitsMessage::Peers("999999".into())));
    let _ = app.update(Message::Limits(LimitsMessage::Save));
    let problem = app.limits_dialog().unwrap().problem.clone().unwrap();
    assert!(problem.contains("5000"), "{problem}");
    // Back to 0: the session's limit again.
    let _ = app.update(Message::Limits(LimitsMessage::Peers("0".into())));
    let _ = app.update(Message::Limits(LimitsMessage::Save));
    let sent = drain(&mut commands);
    assert!(
        sent.iter()
            .any(|c| matches!(c, Command::SetTorrentMaxPeers(h, None) if *h == hash)),
        "{sent:?}"
    );
}

#[test]
fn connection_limits_from_preferences_reach_the_engine_at_once() {
    use crate::gui::preferences::{OK_ID, PrefMessage};
    let (mut app, mut commands) = app();
    click(&mut app, action_id(Action::Preferences));
    let _ = app.update(Message::Preferences(PrefMessage::MaxConnections(
        "80".into(),
    )));
    let _ = app.update(Message::Preferences(PrefMessage::MaxPerTorrent(
        "20".into(),
    )));
    click(&mut app, OK_ID);
    let sent = drain(&mut commands);
    assert!(
        sent.iter().any(|c| matches!(
            c,
            Command::SetConnectionLimits {
                global: 80,
                per_torrent: 20
            }
        )),
        "{sent:?}"
    );
    // Unchanged limits are not sent again.
    click(&mut app, action_id(Action::Preferences));
    click(&mut app, OK_ID);
    let sent = drain(&mut commands);
    assert!(
        !sent
            .iter()
            .any(|c| matches!(c, Command::SetConnectionLimits { .. })),
        "{sent:?}"
    );
}
