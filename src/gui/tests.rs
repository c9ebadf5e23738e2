//! Headless tests of the window: drive `view` with iced_test's simulator, feed the messages back
//! to `update`, and check what the engine is told and what the view shows.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::list::Column;
use super::view::action_id;
use super::*;
use crate::engine::api::TorrentState;
use crate::engine::api::TorrentStats;
use crate::engine::session::Command;
use iced::keyboard::{Key, key::Named};
use iced::widget::Id;
use iced_test::simulator;
use tokio::sync::mpsc::UnboundedReceiver;

fn stats(n: u8, name: &str, state: TorrentState, size: u64, done: u64) -> TorrentStats {
    TorrentStats {
        info_hash: InfoHash([n; 20]),
        name: name.into(),
        state,
        wanted_bytes: size,
        done_bytes: done,
        pieces_have: 1,
        pieces_total: 2,
        check_progress: 0.0,
        checked_bytes: 0,
        download_rate: 0,
        upload_rate: 0,
        downloaded: done,
        uploaded: 0,
        wasted: 0,
        peers: 1,
        seeds: 0,
        swarm_seeds: None,
        swarm_leechers: None,
        eta: crate::engine::api::Eta::Unknown,
        banned: 0,
        tracker_error: None,
        tracker_hosts: std::sync::Arc::from([]),
        save_path: std::path::Path::new("/tmp").into(),
        added_at: 0,
        completed_at: None,
        limits: Default::default(),
        max_peers: None,
        queue_position: usize::from(n),
        forced: false,
        suspended: false,
        check_queued: false,
        label: None,
        seed_goals: Default::default(),
        first_last_pieces_first: false,
        moving: None,
        retry_in: None,
        sequential: false,
    }
}

/// A peer at `ip`:6881 that we want something from and that unchokes us.
pub(super) fn peer_details(ip: [u8; 4]) -> crate::engine::api::PeerDetails {
    crate::engine::api::PeerDetails {
        addr: std::net::SocketAddr::from((ip, 6881)),
        client: "Other 1.0".into(),
        source: crate::engine::api::PeerSource::Tracker,
        incoming: false,
        progress: 0.5,
        download_rate: 0,
        upload_rate: 0,
        downloaded: 0,
        uploaded: 0,
        am_interested: true,
        am_choking: true,
        peer_interested: false,
        peer_choking: false,
        snubbed: false,
        requests: 0,
    }
}

fn app() -> (App, UnboundedReceiver<Command>) {
    let (engine, commands) = EngineHandle::detached(6881);
    let mut app = App::new(Some(engine), std::env::temp_dir());
    let snapshot = Snapshot {
        torrents: vec![
            stats(1, "Ubuntu ISO", TorrentState::Downloading, 3000, 1000),
            stats(2, "Album", TorrentState::Seeding, 100, 100),
            stats(3, "Paused thing", TorrentState::Paused, 200, 0),
        ],
        download_rate: 0,
        upload_rate: 0,
        listen_port: 6881,
        ..Snapshot::default()
    };
    let _ = app.update(Message::Engine(Event::Snapshot(Arc::new(snapshot))));
    (app, commands)
}

/// Clicks the widget with `id` in the current view and feeds the resulting messages back.
fn click(app: &mut App, id: impl Into<String>) {
    let id: String = id.into();
    let messages = {
        let mut ui = simulator(app.view(window::Id::unique()));
        ui.click(Id::from(id.clone()))
            .unwrap_or_else(|e| panic!("no widget `{id}`: {e:?}"));
        ui.into_messages().collect::<Vec<_>>()
    };
    for m in messages {
        let _ = app.update(m);
    }
}

/// Clicks the text box with `id` and types `text` into it, feeding the messages back.
fn type_into(app: &mut App, id: &str, text: &str) {
    let messages = {
        let mut ui = simulator(app.view(window::Id::unique()));
        ui.click(Id::from(id.to_owned()))
            .unwrap_or_else(|e| panic!("no widget `{id}`: {e:?}"));
        ui.typewrite(text);
        ui.into_messages().collect::<Vec<_>>()
    };
    for m in messages {
        let _ = app.update(m);
    }
}

/// The commands sent so far, but for `Watch` (selection changes send it).
fn drain(rx: &mut UnboundedReceiver<Command>) -> Vec<Command> {
    drain_all(rx)
        .into_iter()
        .filter(|c| !matches!(c, Command::Watch(_)))
        .collect()
}

fn drain_all(rx: &mut UnboundedReceiver<Command>) -> Vec<Command> {
    let mut out = Vec::new();
    while let Ok(c) = rx.try_recv() {
        out.push(c);
    }
    out
}

fn names(app: &App) -> Vec<String> {
    app.list().rows().map(|t| t.name.clone()).collect()
}

#[test]
fn the_list_shows_what_the_engine_reports() {
    let (app, _) = app();
    let mut ui = simulator(app.view(window::Id::unique()));
    assert!(ui.find("Ubuntu ISO").is_ok());
    assert!(ui.find("Album").is_ok());
    assert!(ui.find(crate::fl!("status-seeding")).is_ok());
}

#[test]
fn selecting_a_row_then_pause_stop_and_start_send_their_commands() {
    let (mut app, mut commands) = app();
    click(&mut app, "row-0");
    assert_eq!(app.selection(), vec![InfoHash([1; 20])]);
    // Pause holds the transfers (μTorrent's Pause); Stop is the full stop.
    click(&mut app, action_id(Action::Pause));
    let sent = drain(&mut commands);
    assert!(
        matches!(sent.as_slice(), [Command::Suspend(h)] if *h == InfoHash([1; 20])),
        "{sent:?}"
    );
    click(&mut app, action_id(Action::Stop));
    let sent = drain(&mut commands);
    assert!(
        matches!(sent.as_slice(), [Command::Pause(h)] if *h == InfoHash([1; 20])),
        "{sent:?}"
    );
    click(&mut app, action_id(Action::Start));
    assert!(matches!(
        drain(&mut commands).as_slice(),
        [Command::Resume(_)]
    ));
}

#[test]
fn a_suspended_torrent_reads_paused_a_stopped_one_stopped_and_space_resumes_it() {
    let (mut app, mut commands) = app();
    let mut torrents = app.list().torrents().to_vec();
    torrents[0].suspended = true;
    let snapshot = Snapshot {
        torrents,
        ..Snapshot::default()
    };
    let _ = app.update(Message::Engine(Event::Snapshot(Arc::new(snapshot))));
    let mut ui = simulator(app.view(window::Id::unique()));
    assert!(ui.find(crate::fl!("status-paused").as_str()).is_ok());
    assert!(ui.find(crate::fl!("status-stopped").as_str()).is_ok());
    drop(ui);
    // Both count as paused in the sidebar.
    assert_eq!(app.list().count(Category::Paused), 2);
    click(&mut app, "row-0");
    let _ = app.update(Message::Key(
        Key::Named(Named::Space),
        keyboard::Modifiers::empty(),
    ));
    assert!(
        matches!(drain(&mut commands).as_slice(), [Command::Resume(h)] if *h == InfoHash([1; 20]))
    );
}

#[test]
fn space_toggles_pause_of_the_selection() {
    let (mut app, mut commands) = app();
    click(&mut app, "row-2"); // the paused one
    let _ = app.update(Message::Key(
        Key::Named(Named::Space),
        keyboard::Modifiers::empty(),
    ));
    assert!(
        matches!(drain(&mut commands).as_slice(), [Command::Resume(h)] if *h == InfoHash([3; 20]))
    );
}

#[test]
fn remove_with_data_asks_first_and_only_then_deletes() {
    let (mut app, mut commands) = app();
    click(&mut app, "row-1");
    let _ = app.update(Message::Key(
        Key::Named(Named::Delete),
        keyboard::Modifiers::SHIFT,
    ));
    assert!(app.pending().is_some(), "a question is shown");
    assert!(
        drain(&mut commands).is_empty(),
        "nothing is deleted before the answer"
    );
    click(&mut app, "confirm-no");
    assert!(app.pending().is_none());
    assert!(drain(&mut commands).is_empty());

    click(&mut app, action_id(Action::RemoveWithData));
    click(&mut app, "confirm-yes");
    let sent = drain(&mut commands);
    assert!(
        matches!(sent.as_slice(), [Command::Remove { info_hash, delete_data: true }] if *info_hash == InfoHash([2; 20])),
        "{sent:?}"
    );
}

#[test]
fn sorting_by_a_column_header() {
    let (mut app, _) = app();
    click(&mut app, format!("header-{:?}", Column::Name));
    assert_eq!(names(&app), ["Album", "Paused thing", "Ubuntu ISO"]);
    click(&mut app, format!("header-{:?}", Column::Name));
    assert_eq!(names(&app), ["Ubuntu ISO", "Paused thing", "Album"]);
    click(&mut app, format!("header-{:?}", Column::Size));
    assert_eq!(names(&app), ["Album", "Paused thing", "Ubuntu ISO"]);
}

#[test]
fn typing_in_the_filter_narrows_the_list() {
    let (mut app, _) = app();
    let messages = {
        let mut ui = simulator(app.view(window::Id::unique()));
        ui.click(Id::from(FILTER_ID)).unwrap();
        let _ = ui.typewrite("album");
        ui.into_messages().collect::<Vec<_>>()
    };
    for m in messages {
        let _ = app.update(m);
    }
    assert_eq!(names(&app), ["Album"]);
    let mut ui = simulator(app.view(window::Id::unique()));
    assert!(ui.find("Ubuntu ISO").is_err());
}

#[test]
fn the_sidebar_filters_by_state_with_counts() {
    let (mut app, _) = app();
    let label = format!("{} (1)", crate::fl!("category-seeding"));
    let messages = {
        let mut ui = simulator(app.view(window::Id::unique()));
        ui.click(label.as_str()).unwrap();
        ui.into_messages().collect::<Vec<_>>()
    };
    for m in messages {
        let _ = app.update(m);
    }
    assert_eq!(names(&app), ["Album"]);
}

#[test]
fn engine_errors_show_in_a_banner_that_can_be_dismissed() {
    let (mut app, _) = app();
    let _ = app.update(Message::Engine(Event::TorrentError {
        info_hash: InfoHash([1; 20]),
        message: "cannot write piece 3: No space left on device".into(),
    }));
    {
        let mut ui = simulator(app.view(window::Id::unique()));
        assert!(
            ui.find("cannot write piece 3: No space left on device")
                .is_ok()
        );
    }
    let _ = app.update(Message::DismissError);
    assert!(app.error().is_none());
}

#[test]
fn the_title_shows_rates_only_while_transferring() {
    let (mut app, _) = app();
    assert_eq!(app.title(window::Id::unique()), "Brooklet");
    let snapshot = Snapshot {
        download_rate: 2048,
        ..Snapshot::default()
    };
    let _ = app.update(Message::Engine(Event::Snapshot(Arc::new(snapshot))));
    assert!(app.title(window::Id::unique()).contains("2.00 KiB/s"));
}

mod create;
mod folders_and_pex;
mod ipfilter;
mod labels;
mod limits;
mod move_data;
mod notices;
mod panels;
mod peers;
mod queue;
mod themes;
mod trackers;
mod tray;

/// Ctrl+P opens Preferences; a limit typed on the Connection page and OK put the new settings
/// in force and write them to the config folder; the same dialog turns off the question before
/// removing with data, after which Shift+Delete removes at once.
#[test]
fn preferences_change_a_limit_and_the_remove_question() {
    let (mut app, mut commands) = app();
    let config = tempfile::tempdir().unwrap();
    app.config_dir = Some(config.path().to_owned());
    let _ = app.update(Message::Key(
        Key::Character("p".into()),
        keyboard::Modifiers::CTRL,
    ));
    assert!(
        app.preferences().is_some(),
        "Ctrl+P did not open Preferences"
    );
    click(
        &mut app,
        preferences::tab_id(preferences::PrefTab::Connection),
    );
    let messages = {
        let mut ui = simulator(app.view(window::Id::unique()));
        assert!(ui.find(crate::fl!("prefs-connection-note")).is_ok());
        ui.click(Id::from(preferences::PORT_ID)).unwrap();
        let _ = ui.typewrite("1");
        ui.into_messages().collect::<Vec<_>>()
    };
    for m in messages {
        let _ = app.update(m);
    }
    click(&mut app, preferences::tab_id(preferences::PrefTab::General));
    click(&mut app, preferences::CONFIRM_REMOVE_ID);
    // OK saves on a blocking thread (a task); here the saving is done directly.
    click(&mut app, preferences::OK_ID);
    assert!(app.preferences().is_none(), "OK did not close the dialog");
    assert_eq!(
        app.settings().listen_port,
        1,
        "the typed port was not taken"
    );
    assert!(!app.settings().confirm_remove_with_data);
    app.settings().save(config.path()).unwrap();
    assert_eq!(
        crate::settings::Settings::load(config.path()),
        app.settings().clone()
    );

    click(&mut app, "row-1");
    drain(&mut commands);
    let _ = app.update(Message::Key(
        Key::Named(Named::Delete),
        keyboard::Modifiers::SHIFT,
    ));
    assert!(app.pending().is_none(), "it still asked");
    let sent = drain(&mut commands);
    assert!(
        matches!(
            sent.as_slice(),
            [Command::Remove {
                delete_data: true,
                ..
            }]
        ),
        "{sent:?}"
    );
}

/// A bad number keeps the dialog open with the reason; Esc closes it without changes.
#[test]
fn preferences_refuse_a_bad_port_and_escape_cancels() {
    let (mut app, _) = app();
    click(&mut app, action_id(Action::Preferences));
    click(
        &mut app,
        preferences::tab_id(preferences::PrefTab::Connection),
    );
    let messages = {
        let mut ui = simulator(app.view(window::Id::unique()));
        ui.click(Id::from(preferences::PORT_ID)).unwrap();
        let _ = ui.typewrite("99999");
        ui.into_messages().collect::<Vec<_>>()
    };
    for m in messages {
        let _ = app.update(m);
    }
    click(&mut app, preferences::OK_ID);
    assert!(app.preferences().is_some());
    let mut ui = simulator(app.view(window::Id::unique()));
    assert!(
        ui.find(crate::fl!(
            "prefs-bad-number",
            field = crate::fl!("prefs-port"),
            min = "0",
            max = "65535"
        ))
        .is_ok(),
        "the reason is not shown"
    );
    drop(ui);
    let _ = app.update(Message::Key(
        Key::Named(Named::Escape),
        keyboard::Modifiers::default(),
    ));
    assert!(app.preferences().is_none());
    assert_eq!(app.settings().listen_port, 0);
}

#[test]
fn a_handed_over_magnet_opens_the_add_dialog_like_the_toolbar() {
    let (mut app, _commands) = app();
    let magnet = "magnet:?xt=urn:btih:0123456789abcdef0123456789abcdef01234567&dn=handed";
    let _ = app.update(Message::Open(crate::platform::instance::OpenRequest {
        items: vec![magnet.into()],
    }));
    let dialog = app.dialog().expect("the add dialog is shown");
    assert_eq!(dialog.name, "handed");
}

#[test]
fn a_request_before_the_engine_runs_waits_for_it() {
    let mut app = App::new(None, std::env::temp_dir());
    let magnet = "magnet:?xt=urn:btih:0123456789abcdef0123456789abcdef01234567";
    let _ = app.update(Message::Open(crate::platform::instance::OpenRequest {
        items: vec![magnet.into()],
    }));
    assert!(app.dialog().is_none());
    assert_eq!(app.startup_items, [magnet]);
}

#[test]
fn a_storage_fault_waited_out_says_when_it_retries() {
    let mut t = stats(
        1,
        "a",
        TorrentState::Error("disk full: no space".into()),
        10,
        0,
    );
    assert_eq!(super::columns::status_text(&t), crate::fl!("status-error"));
    t.retry_in = Some(std::time::Duration::from_secs(12));
    let text = super::columns::status_text(&t);
    assert_eq!(
        text,
        crate::fl!("status-error-retrying", seconds = 12u64),
        "{text}"
    );
    assert!(text.contains("12"), "{text}");
}
