//! Editing a torrent's trackers in the window: the Trackers tab's "Edit trackers…" dialog, its
//! refusal of a bad URL, the row menu's "Remove tracker", and the Preferences checkbox for
//! announcing to every tracker.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use crate::engine::api::{TorrentDetails, TrackerDetails, TrackerStatus};
use crate::gui::details::DetailsMessage;
use crate::gui::menu::{MenuItem, item_id};
use crate::gui::preferences::{ANNOUNCE_ALL_ID, OK_ID as PREFS_OK_ID, PrefTab, tab_id};
use crate::gui::trackers::{CANCEL_ID, EDIT_ID, EDITOR_ID, OK_ID, TrackersMessage};
use iced::widget::text_editor;

const A: &str = "udp://a.example:1337/announce";
const B: &str = "http://b.example/announce";
const C: &str = "https://c.example/announce";

fn details_with_trackers() -> TorrentDetails {
    let row = |url: &str, tier| TrackerDetails {
        url: url.into(),
        tier,
        status: TrackerStatus::Working,
        warning: None,
        peers: 3,
        seeders: Some(1),
        leechers: Some(2),
        next_announce: None,
    };
    TorrentDetails {
        info_hash: InfoHash([1; 20]),
        save_path: std::env::temp_dir(),
        comment: None,
        created_by: None,
        creation_date: None,
        private: false,
        piece_length: 16384,
        total_length: 3000,
        pieces: vec![true, false],
        downloading: Vec::new(),
        files: Vec::new(),
        peers: Vec::new(),
        trackers: vec![row(A, 0), row(B, 0), row(C, 1)],
        tracker_tiers: vec![vec![A.into(), B.into()], vec![C.into()]],
        magnet: String::new(),
    }
}

/// The first torrent selected, its details in, the Trackers tab shown.
fn on_trackers_tab() -> (App, UnboundedReceiver<Command>) {
    let (mut app, commands) = app();
    click(&mut app, "row-0");
    let snapshot = Snapshot {
        torrents: app.list().torrents().to_vec(),
        listen_port: 6881,
        details: Some(Arc::new(details_with_trackers())),
        ..Snapshot::default()
    };
    let _ = app.update(Message::Engine(Event::Snapshot(Arc::new(snapshot))));
    click(&mut app, "tab-Trackers");
    (app, commands)
}

fn replace_text(app: &mut App, text: &str) {
    let _ = app.update(Message::Trackers(TrackersMessage::Edit(
        text_editor::Action::SelectAll,
    )));
    let _ = app.update(Message::Trackers(TrackersMessage::Edit(
        text_editor::Action::Edit(text_editor::Edit::Paste(Arc::new(text.to_owned()))),
    )));
}

#[test]
fn the_tracker_dialog_sends_the_parsed_tiers() {
    let (mut app, mut commands) = on_trackers_tab();
    drain(&mut commands);
    click(&mut app, EDIT_ID);
    let d = app.tracker_dialog().expect("dialog open");
    assert_eq!(d.text.text().trim_end(), format!("{A}\n{B}\n\n{C}"));
    assert!(
        simulator(app.view(window::Id::unique()))
            .find(Id::from(EDITOR_ID))
            .is_ok()
    );

    replace_text(
        &mut app,
        &format!(" {B} \n\n\n{C}\nudp://d.example:6969\n{C}\n"),
    );
    click(&mut app, OK_ID);
    assert!(app.tracker_dialog().is_none());
    let sent = drain(&mut commands);
    let want = vec![
        vec![B.to_string()],
        vec![C.to_string(), "udp://d.example:6969".into()],
    ];
    assert!(
        matches!(sent.as_slice(), [Command::SetTrackers(h, t)] if *h == InfoHash([1; 20]) && *t == want),
        "{sent:?}"
    );
}

#[test]
fn a_bad_url_keeps_the_dialog_open_with_the_reason() {
    let (mut app, mut commands) = on_trackers_tab();
    drain(&mut commands);
    click(&mut app, EDIT_ID);
    replace_text(&mut app, &format!("{A}\nftp://nope.example/x"));
    click(&mut app, OK_ID);
    let problem = app
        .tracker_dialog()
        .and_then(|d| d.problem.clone())
        .expect("refused with a reason");
    assert!(problem.contains("ftp://nope.example/x"), "{problem}");
    assert!(
        simulator(app.view(window::Id::unique()))
            .find(problem.as_str())
            .is_ok()
    );
    // A URL without a host is refused too, as the engine would.
    replace_text(&mut app, "http:///announce");
    click(&mut app, OK_ID);
    assert!(
        app.tracker_dialog()
            .unwrap()
            .problem
            .as_deref()
            .unwrap()
            .contains("http:///announce")
    );
    assert!(drain(&mut commands).is_empty());
    // Cancel (and Esc) close it without a command.
    click(&mut app, CANCEL_ID);
    assert!(app.tracker_dialog().is_none());
    click(&mut app, EDIT_ID);
    let _ = app.update(Message::Key(
        Key::Named(Named::Escape),
        keyboard::Modifiers::empty(),
    ));
    assert!(app.tracker_dialog().is_none());
    assert!(drain(&mut commands).is_empty());
}

#[test]
fn the_tracker_row_menu_removes_a_tracker() {
    let (mut app, mut commands) = on_trackers_tab();
    drain(&mut commands);
    let _ = app.update(Message::Details(DetailsMessage::TrackerMenu(1)));
    assert!(app.menu().is_some());
    assert!(
        simulator(app.view(window::Id::unique()))
            .find(Id::from(item_id(MenuItem::CopyTrackerUrl)))
            .is_ok()
    );
    click(&mut app, item_id(MenuItem::RemoveTracker));
    let sent = drain(&mut commands);
    let want = vec![vec![A.to_string()], vec![C.to_string()]];
    assert!(
        matches!(sent.as_slice(), [Command::SetTrackers(_, t)] if *t == want),
        "{sent:?}"
    );
}

#[test]
fn the_announce_to_all_tiers_checkbox_is_put_in_force() {
    let (mut app, mut commands) = app();
    let config = tempfile::tempdir().unwrap();
    app.config_dir = Some(config.path().to_owned());
    let _ = app.update(Message::Key(
        Key::Character("p".into()),
        keyboard::Modifiers::COMMAND,
    ));
    click(&mut app, tab_id(PrefTab::BitTorrent));
    click(&mut app, ANNOUNCE_ALL_ID);
    click(&mut app, PREFS_OK_ID);
    assert!(app.settings.announce_to_all_tiers);
    let sent = drain(&mut commands);
    assert!(
        sent.iter()
            .any(|c| matches!(c, Command::SetAnnounceToAllTiers(true))),
        "{sent:?}"
    );
}

/// The Seeds and Peers columns show the connected count, then the swarm's as the trackers
/// report it (announce or scrape), μTorrent's "2 (120)".
#[test]
fn seeds_and_peers_columns_show_the_swarm_counts_in_brackets() {
    let (mut app, _) = app();
    let mut torrents = app.list().torrents().to_vec();
    torrents[0].seeds = 2;
    torrents[0].swarm_seeds = Some(120);
    torrents[0].peers = 3;
    torrents[0].swarm_leechers = Some(40);
    torrents[1].seeds = 5;
    let snapshot = Snapshot {
        torrents,
        listen_port: 6881,
        ..Snapshot::default()
    };
    let _ = app.update(Message::Engine(Event::Snapshot(Arc::new(snapshot))));
    let mut ui = simulator(app.view(window::Id::unique()));
    assert!(ui.find("2 (120)").is_ok());
    assert!(ui.find("3 (40)").is_ok());
    // No count from a tracker: the connected number alone.
    assert!(ui.find("5").is_ok());
}
