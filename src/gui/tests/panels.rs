//! The details panel, context menus, columns and the add dialog, driven through `update` and
//! the simulated view, checking the commands the engine receives.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;

use super::details::{DetailsMessage, Tab};
use super::dialog::{DialogMessage, parse_bytes};
use super::menu::{MenuItem, item_id};
use crate::engine::api::{FileDetails, FilePriority, TorrentDetails, TorrentSource};

fn details(n: u8, files: &[(&str, FilePriority)]) -> TorrentDetails {
    TorrentDetails {
        info_hash: InfoHash([n; 20]),
        save_path: std::env::temp_dir(),
        comment: Some("a comment".into()),
        created_by: Some("Brooklet 0.1.0".into()),
        creation_date: Some(1_700_000_000),
        private: false,
        piece_length: 16384,
        total_length: 3000,
        pieces: vec![true, false],
        downloading: vec![1],
        files: files
            .iter()
            .map(|(p, prio)| FileDetails {
                path: p.into(),
                length: 1000,
                done: 500,
                priority: *prio,
            })
            .collect(),
        peers: Vec::new(),
        trackers: Vec::new(),
        tracker_tiers: Vec::new(),
        magnet: format!("magnet:?xt=urn:btih:{}", InfoHash([n; 20]).to_hex()),
    }
}

/// Feeds a snapshot with the test torrents and `details`.
fn snapshot_with(app: &mut App, details: Option<TorrentDetails>) {
    let (fresh, _) = self::app();
    let snapshot = Snapshot {
        torrents: fresh.list().torrents().to_vec(),
        listen_port: 6881,
        details: details.map(Arc::new),
        dht_nodes: 42,
        ..Snapshot::default()
    };
    let _ = app.update(Message::Engine(Event::Snapshot(Arc::new(snapshot))));
}

fn find(app: &App, what: &str) -> bool {
    let mut ui = simulator(app.view(window::Id::unique()));
    ui.find(what).is_ok()
}

fn right_click_row(app: &mut App, n: usize) {
    let _ = app.update(Message::Pointer(
        iced::Point::new(300.0, 120.0),
        iced::Size::new(1100.0, 640.0),
    ));
    let _ = app.update(Message::List(ListMessage::RowMenu(n)));
}

/// A real `.torrent` of two files, made in a temporary folder.
fn two_file_torrent() -> (tempfile::TempDir, Vec<u8>) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("album");
    std::fs::create_dir_all(&root).unwrap();
    std::fs::write(root.join("a.flac"), vec![1u8; 40_000]).unwrap();
    std::fs::write(root.join("b.flac"), vec![2u8; 20_000]).unwrap();
    let made = crate::engine::create::create(
        &crate::engine::create::CreateOptions::new(&root),
        &Default::default(),
    )
    .unwrap();
    (dir, made.bytes)
}

#[test]
fn selecting_one_torrent_watches_it_and_none_or_many_unwatch() {
    let (mut app, mut commands) = app();
    click(&mut app, "row-0");
    let sent = drain_all(&mut commands);
    assert!(
        matches!(sent.as_slice(), [Command::Watch(Some(h))] if *h == InfoHash([1; 20])),
        "{sent:?}"
    );
    let _ = app.update(Message::Modifiers(keyboard::Modifiers::CTRL));
    click(&mut app, "row-1");
    assert!(matches!(
        drain_all(&mut commands).as_slice(),
        [Command::Watch(None)]
    ));
    let _ = app.update(Message::Modifiers(keyboard::Modifiers::empty()));
    click(&mut app, "row-2");
    assert!(matches!(
        drain_all(&mut commands).as_slice(),
        [Command::Watch(Some(h))] if *h == InfoHash([3; 20])
    ));
    // Hiding the panel stops the details; showing it asks again.
    click(&mut app, action_id(Action::ToggleDetails));
    assert!(matches!(
        drain_all(&mut commands).as_slice(),
        [Command::Watch(None)]
    ));
    let _ = app.update(Message::Key(
        Key::Character("d".into()),
        keyboard::Modifiers::CTRL,
    ));
    assert!(matches!(
        drain_all(&mut commands).as_slice(),
        [Command::Watch(Some(_))]
    ));
}

#[test]
fn every_tab_has_an_empty_state_before_the_engine_sends_details() {
    let (mut app, _) = app();
    assert!(find(&app, &crate::fl!("details-none")));
    click(&mut app, "row-0");
    for tab in [
        Tab::General,
        Tab::Trackers,
        Tab::Peers,
        Tab::Pieces,
        Tab::Files,
    ] {
        click(&mut app, format!("tab-{tab:?}"));
        let _ = simulator(app.view(window::Id::unique()));
    }
    assert!(find(&app, &crate::fl!("details-waiting")));
    // Details of another torrent are not shown as this one's.
    snapshot_with(&mut app, Some(details(2, &[("x", FilePriority::Normal)])));
    assert!(find(&app, &crate::fl!("details-waiting")));
    let _ = app.update(Message::Action(Action::SelectAll));
    assert!(find(&app, &crate::fl!("details-many", count = 3)));
}

/// The Speed tab graphs the selected torrent's rates and all torrents', from the snapshots that
/// arrived while it was selected.
#[test]
fn the_speed_tab_graphs_the_selected_torrent_and_all_torrents() {
    let (mut app, _) = app();
    click(&mut app, "row-0");
    snapshot_with(&mut app, None);
    snapshot_with(&mut app, None);
    assert_eq!(app.speed.torrent_hash, Some(app.selection()[0]));
    click(&mut app, "tab-Speed");
    assert!(find(&app, &crate::fl!("speed-this-torrent")));
    assert!(find(&app, &crate::fl!("speed-all-torrents")));
    // Nothing transfers in these snapshots: the peak is the graph's floor, 1 B/s.
    assert!(find(
        &app,
        &crate::fl!("speed-peak", rate = crate::format::rate(1))
    ));
}

#[test]
fn the_details_tabs_show_what_the_engine_sends() {
    let (mut app, _) = app();
    click(&mut app, "row-0");
    snapshot_with(
        &mut app,
        Some(details(1, &[("dir/one.iso", FilePriority::Normal)])),
    );
    assert!(find(&app, "a comment"));
    assert!(find(&app, &crate::fl!("status-dht", nodes = 42)));
    click(&mut app, "tab-Files");
    assert!(find(&app, "dir/one.iso"));
    click(&mut app, "tab-Pieces");
    assert!(find(
        &app,
        &crate::fl!(
            "details-pieces-summary",
            have = 1,
            total = 2,
            size = crate::format::size(16384)
        )
    ));
}

#[test]
fn changing_a_file_priority_sends_the_whole_list() {
    let (mut app, mut commands) = app();
    click(&mut app, "row-0");
    snapshot_with(
        &mut app,
        Some(details(
            1,
            &[
                ("a", FilePriority::Normal),
                ("b", FilePriority::Normal),
                ("c", FilePriority::High),
            ],
        )),
    );
    drain(&mut commands);
    click(&mut app, "tab-Files");
    let _ = app.update(Message::Details(DetailsMessage::FileMenu(1)));
    assert!(app.menu().is_some());
    click(&mut app, item_id(MenuItem::Priority(FilePriority::Skip)));
    let sent = drain(&mut commands);
    assert!(
        matches!(sent.as_slice(), [Command::SetFilePriorities(h, p)]
            if *h == InfoHash([1; 20])
            && *p == [FilePriority::Normal, FilePriority::Skip, FilePriority::High]),
        "{sent:?}"
    );
    assert!(app.menu().is_none(), "choosing closes the menu");
}

#[test]
fn right_click_selects_an_unselected_row_and_recheck_goes_to_the_selection() {
    let (mut app, mut commands) = app();
    click(&mut app, "row-0");
    right_click_row(&mut app, 2);
    assert_eq!(app.selection(), vec![InfoHash([3; 20])]);
    assert!(app.menu().is_some());
    drain(&mut commands);
    click(&mut app, item_id(MenuItem::Recheck));
    assert!(matches!(
        drain(&mut commands).as_slice(),
        [Command::Recheck(h)] if *h == InfoHash([3; 20])
    ));

    // On a selected row, the whole selection stays.
    let _ = app.update(Message::Action(Action::SelectAll));
    right_click_row(&mut app, 1);
    assert_eq!(app.selection().len(), 3);
    drain(&mut commands);
    click(&mut app, item_id(MenuItem::Reannounce));
    let sent = drain(&mut commands);
    assert_eq!(sent.len(), 3, "{sent:?}");
    assert!(sent.iter().all(|c| matches!(c, Command::Reannounce(_))));

    right_click_row(&mut app, 0);
    click(&mut app, item_id(MenuItem::Sequential));
    assert!(
        drain(&mut commands)
            .iter()
            .all(|c| matches!(c, Command::SetSequential(_, true)))
    );
    right_click_row(&mut app, 0);
    click(&mut app, item_id(MenuItem::Sequential));
    assert!(
        drain(&mut commands)
            .iter()
            .all(|c| matches!(c, Command::SetSequential(_, false)))
    );

    right_click_row(&mut app, 0);
    click(&mut app, item_id(MenuItem::FirstLast));
    let sent = drain(&mut commands);
    assert!(
        !sent.is_empty()
            && sent
                .iter()
                .all(|c| matches!(c, Command::SetFirstLastPiecesFirst(_, true))),
        "{sent:?}"
    );
    right_click_row(&mut app, 0);
    click(&mut app, item_id(MenuItem::FirstLast));
    let sent = drain(&mut commands);
    assert!(
        !sent.is_empty()
            && sent
                .iter()
                .all(|c| matches!(c, Command::SetFirstLastPiecesFirst(_, false))),
        "{sent:?}"
    );
}

#[test]
fn first_and_last_pieces_first_is_ticked_from_the_engine_s_statistics() {
    let (mut app, mut commands) = app();
    let mut torrents = app.list().torrents().to_vec();
    for t in &mut torrents {
        t.first_last_pieces_first = true;
    }
    let snapshot = Snapshot {
        torrents,
        listen_port: 6881,
        ..Snapshot::default()
    };
    let _ = app.update(Message::Engine(Event::Snapshot(Arc::new(snapshot))));
    // On (as after a restart): the entry turns it off.
    right_click_row(&mut app, 0);
    click(&mut app, item_id(MenuItem::FirstLast));
    let sent = drain(&mut commands);
    assert!(
        matches!(
            sent.as_slice(),
            [Command::SetFirstLastPiecesFirst(_, false)]
        ),
        "{sent:?}"
    );
    // What was set here counts until the engine's statistics catch up.
    right_click_row(&mut app, 0);
    click(&mut app, item_id(MenuItem::FirstLast));
    let sent = drain(&mut commands);
    assert!(
        matches!(sent.as_slice(), [Command::SetFirstLastPiecesFirst(_, true)]),
        "{sent:?}"
    );
}

#[test]
fn esc_or_a_click_elsewhere_closes_the_menu() {
    let (mut app, mut commands) = app();
    right_click_row(&mut app, 0);
    assert!(app.menu().is_some());
    let _ = app.update(Message::Key(
        Key::Named(Named::Escape),
        keyboard::Modifiers::empty(),
    ));
    assert!(app.menu().is_none());
    right_click_row(&mut app, 0);
    let _ = app.update(Message::CloseMenu);
    assert!(app.menu().is_none());
    drain(&mut commands);
    // Remove from the menu behaves as the toolbar's.
    right_click_row(&mut app, 1);
    click(&mut app, item_id(MenuItem::RemoveWithData));
    assert!(app.pending().is_some());
    assert!(drain(&mut commands).is_empty());
}

#[test]
fn hiding_a_column_removes_it_from_the_header_and_new_columns_sort() {
    let (mut app, _) = app();
    let header_has = |app: &App, c: Column| {
        let mut ui = simulator(app.view(window::Id::unique()));
        ui.find(Id::from(format!("header-{c:?}"))).is_ok()
    };
    assert!(header_has(&app, Column::Size));
    let _ = app.update(Message::List(ListMessage::HeaderMenu));
    click(&mut app, item_id(MenuItem::Column(Column::Size)));
    assert!(!header_has(&app, Column::Size));
    assert!(!app.columns().is_shown(Column::Size));

    assert!(!header_has(&app, Column::AddedOn));
    let _ = app.update(Message::List(ListMessage::HeaderMenu));
    click(&mut app, item_id(MenuItem::Column(Column::AddedOn)));
    assert!(header_has(&app, Column::AddedOn));
    let torrents: Vec<TorrentStats> = app
        .list()
        .torrents()
        .iter()
        .zip([300, 100, 200])
        .map(|(t, at)| TorrentStats {
            added_at: at,
            ..t.clone()
        })
        .collect();
    let _ = app.update(Message::Engine(Event::Snapshot(Arc::new(Snapshot {
        torrents,
        ..Snapshot::default()
    }))));
    click(&mut app, format!("header-{:?}", Column::AddedOn));
    assert_eq!(names(&app), ["Album", "Paused thing", "Ubuntu ISO"]);
}

#[test]
fn dragging_a_header_edge_resizes_the_column_down_to_a_minimum() {
    let (mut app, _) = app();
    let before = app.columns().width(Column::Seeds).unwrap();
    let _ = app.update(Message::Pointer(
        iced::Point::new(500.0, 40.0),
        iced::Size::new(1100.0, 640.0),
    ));
    let _ = app.update(Message::List(ListMessage::ResizeStart(Column::Seeds)));
    let _ = app.update(Message::DragMove(iced::Point::new(530.0, 44.0)));
    assert_eq!(app.columns().width(Column::Seeds), Some(before + 30.0));
    let _ = app.update(Message::DragMove(iced::Point::new(0.0, 44.0)));
    assert_eq!(
        app.columns().width(Column::Seeds),
        Some(super::columns::MIN_WIDTH)
    );
    let _ = app.update(Message::DragEnd);
    let _ = app.update(Message::DragMove(iced::Point::new(900.0, 44.0)));
    assert_eq!(
        app.columns().width(Column::Seeds),
        Some(super::columns::MIN_WIDTH),
        "moves after the release change nothing"
    );
}

#[test]
fn the_add_dialog_sends_unticked_files_as_skipped_and_paused_when_not_started() {
    let (mut app, mut commands) = app();
    let (_dir, bytes) = two_file_torrent();
    let parsed = parse_bytes(std::path::Path::new("album.torrent"), bytes.clone());
    let _ = app.update(Message::Dialog(DialogMessage::Parsed(parsed)));
    let dialog = app.dialog().expect("the dialog is shown");
    assert_eq!(dialog.name, "album");
    assert_eq!(dialog.files.len(), 2);
    assert!(drain(&mut commands).is_empty(), "nothing is added yet");

    click(&mut app, "dialog-file-1");
    click(&mut app, "dialog-start");
    click(&mut app, "dialog-sequential");
    click(&mut app, "dialog-first-last");
    click(&mut app, "dialog-add");
    assert!(app.dialog().is_none());
    // The save folder is made off the UI thread; then the engine is asked.
    let _ = app.update(Message::SaveFolderReady(0, Ok(())));
    let sent = drain(&mut commands);
    let [Command::Add(add, _)] = sent.as_slice() else {
        panic!("{sent:?}");
    };
    assert!(matches!(&add.source, TorrentSource::Bytes(b) if *b == bytes));
    assert_eq!(
        add.file_priorities,
        [FilePriority::Normal, FilePriority::Skip]
    );
    assert!(add.paused, "start was unticked");
    assert!(add.sequential);
    assert!(add.first_last_pieces_first);
    assert_eq!(add.save_path, std::env::temp_dir());
}

#[test]
fn several_torrents_are_asked_about_one_after_another() {
    let (mut app, mut commands) = app();
    let (_dir, bytes) = two_file_torrent();
    let _ = app.update(Message::Dialog(DialogMessage::Parsed(parse_bytes(
        std::path::Path::new("a.torrent"),
        bytes,
    ))));
    let _ = app.update(Message::Dialog(DialogMessage::Parsed(Ok(Arc::new(
        super::dialog::ParsedTorrent {
            bytes: Arc::from(&b"x"[..]),
            name: "second".into(),
            info_hash: InfoHash([9; 20]),
            total: 1,
            files: Vec::new(),
        },
    )))));
    assert_eq!(app.dialog().map(|d| d.name.as_str()), Some("album"));
    let _ = app.update(Message::Key(
        Key::Named(Named::Escape),
        keyboard::Modifiers::empty(),
    ));
    assert_eq!(app.dialog().map(|d| d.name.as_str()), Some("second"));
    // Keys do not reach the list behind a dialog.
    let _ = app.update(Message::Key(
        Key::Named(Named::Delete),
        keyboard::Modifiers::empty(),
    ));
    let _ = app.update(Message::Key(
        Key::Named(Named::Enter),
        keyboard::Modifiers::empty(),
    ));
    assert!(app.dialog().is_none());
    let _ = app.update(Message::SaveFolderReady(0, Ok(())));
    assert!(matches!(
        drain(&mut commands).as_slice(),
        [Command::Add(add, _)] if !add.paused
    ));
}

#[test]
fn a_bad_torrent_file_shows_a_readable_error() {
    let (mut app, _) = app();
    let parsed = parse_bytes(
        std::path::Path::new("/tmp/broken.torrent"),
        b"d4:infoi1ee".to_vec(),
    );
    let _ = app.update(Message::Dialog(DialogMessage::Parsed(parsed)));
    assert!(app.dialog().is_none());
    let error = app.error().expect("an error is shown").to_owned();
    assert!(error.contains("/tmp/broken.torrent"), "{error}");
    let _ = app.update(Message::SaveFolderReady(7, Err("never asked".into())));
    assert_eq!(app.error(), Some(error.as_str()), "unknown ids are ignored");
}

#[test]
fn a_magnet_link_is_asked_about_and_its_files_once_the_metadata_arrives() {
    let (mut app, mut commands) = app();
    let hash = InfoHash([0xab; 20]);
    let uri = format!("magnet:?xt=urn:btih:{}&dn=Some+Show", hash.to_hex());
    let _ = app.update(Message::Action(Action::AddMagnet));
    let _ = app.update(Message::MagnetInput(uri.clone()));
    let _ = app.update(Message::Action(Action::AddMagnet));
    let dialog = app.dialog().expect("the dialog is shown");
    assert_eq!(dialog.name, "Some Show");
    assert!(dialog.files.is_empty());
    assert!(find(&app, &crate::fl!("dialog-files-later")));
    click(&mut app, "dialog-add");
    let _ = app.update(Message::SaveFolderReady(0, Ok(())));
    assert!(matches!(
        drain(&mut commands).as_slice(),
        [Command::Add(add, _)] if matches!(&add.source, TorrentSource::Magnet(u) if *u == uri)
    ));

    let _ = app.update(Message::Engine(Event::MetadataReceived {
        info_hash: hash,
        name: "Some Show".into(),
        files: ["e1.mkv", "e2.mkv"]
            .iter()
            .map(|p| FileDetails {
                path: p.into(),
                length: 100,
                done: 0,
                priority: FilePriority::Normal,
            })
            .collect(),
    }));
    assert_eq!(app.dialog().map(|d| d.files.len()), Some(2));
    click(&mut app, "dialog-file-0");
    click(&mut app, "dialog-add");
    let sent = drain(&mut commands);
    assert!(
        matches!(sent.as_slice(), [Command::SetFilePriorities(h, p)]
            if *h == hash && *p == [FilePriority::Skip, FilePriority::Normal]),
        "{sent:?}"
    );
    // Metadata of torrents not added here asks nothing.
    let _ = app.update(Message::Engine(Event::MetadataReceived {
        info_hash: InfoHash([0xcd; 20]),
        name: "other".into(),
        files: Vec::new(),
    }));
    assert!(app.dialog().is_none());
}

#[test]
fn fetching_metadata_shows_as_downloading_metadata() {
    let (mut app, _) = app();
    let _ = app.update(Message::Engine(Event::Snapshot(Arc::new(Snapshot {
        torrents: vec![stats(5, "magnet", TorrentState::FetchingMetadata, 0, 0)],
        ..Snapshot::default()
    }))));
    assert!(find(&app, &crate::fl!("status-metadata")));
    let label = format!("{} (1)", crate::fl!("category-downloading"));
    assert!(find(&app, &label));
}

#[test]
fn the_status_bar_shows_free_space_asked_at_most_every_ten_seconds() {
    use crate::gui::disk::{FREE_SPACE_ID, REFRESH};
    let (mut app, _commands) = app();
    let t0 = std::time::Instant::now();
    let path = app.save_path.clone();
    // The first snapshot asked already; unknown until the answer comes: nothing is shown.
    assert_eq!(app.refresh_free_space(t0).units(), 0);
    assert!(
        simulator(app.view(window::Id::unique()))
            .find(FREE_SPACE_ID)
            .is_err()
    );
    let _ = app.update(Message::FreeSpace(
        path.clone(),
        Some(5 * 1024 * 1024 * 1024),
    ));
    let shown = crate::fl!("status-free-space", size = crate::format::size(5 << 30));
    assert!(
        simulator(app.view(window::Id::unique()))
            .find(shown.as_str())
            .is_ok()
    );
    // Not asked again within REFRESH, asked after it, and at once for a new folder.
    assert_eq!(app.refresh_free_space(t0 + REFRESH / 2).units(), 0);
    assert!(app.refresh_free_space(t0 + REFRESH).units() > 0);
    app.save_path = std::env::temp_dir().join("elsewhere");
    assert!(app.refresh_free_space(t0 + REFRESH).units() > 0);
    // The old folder's late answer is dropped; the figure waits for the new one.
    let _ = app.update(Message::FreeSpace(path, Some(7)));
    assert_eq!(app.free_space.bytes, None);
}

#[test]
fn the_sidebar_groups_torrents_by_tracker_host() {
    use crate::gui::list::TrackerGroup;
    use crate::gui::view::tracker_sidebar_id;
    let (mut app, _commands) = app();
    let mut torrents = app.list().torrents().to_vec();
    let tiers = |urls: &[&str]| {
        crate::engine::api::tracker_hosts(&[urls.iter().map(|u| u.to_string()).collect()])
    };
    torrents[0].tracker_hosts = tiers(&["udp://Tracker.Example.org:6969/announce"]);
    torrents[1].tracker_hosts = tiers(&[
        "http://tracker.example.org/announce",
        "https://other.net/a",
        "not a url",
    ]);
    torrents[1].tracker_error = Some("timed out".into());
    let snapshot = Snapshot {
        torrents,
        ..Snapshot::default()
    };
    let _ = app.update(Message::Engine(Event::Snapshot(Arc::new(snapshot))));
    assert_eq!(
        app.list().tracker_counts(),
        (
            vec![
                ("other.net".to_owned(), 1),
                ("tracker.example.org".to_owned(), 2)
            ],
            1,
            1
        )
    );
    let mut ui = simulator(app.view(window::Id::unique()));
    assert!(ui.find("tracker.example.org (2)").is_ok());
    assert!(
        ui.find(format!("{} (1)", crate::fl!("sidebar-trackerless")).as_str())
            .is_ok()
    );
    drop(ui);

    let host = TrackerGroup::Host("tracker.example.org".into());
    click(&mut app, tracker_sidebar_id(&host));
    assert_eq!(names(&app), ["Ubuntu ISO", "Album"]);
    click(&mut app, tracker_sidebar_id(&TrackerGroup::Trackerless));
    assert_eq!(names(&app), ["Paused thing"]);
    click(&mut app, tracker_sidebar_id(&TrackerGroup::Error));
    assert_eq!(names(&app), ["Album"]);
    // A category ends the tracker filter.
    let _ = app.update(Message::List(ListMessage::Category(Category::All)));
    assert!(app.list().tracker().is_none());
    assert_eq!(names(&app).len(), 3);
}
