//! "Move data…": the menu entry, the commands sent for the chosen folder, the status column
//! while the data moves, and a refusal in the error banner.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use crate::gui::menu::{MenuItem, item_id};

fn moving(done: f32) -> Snapshot {
    let mut t = stats(2, "Album", TorrentState::Seeding, 100, 100);
    t.moving = Some(done);
    Snapshot {
        torrents: vec![
            stats(1, "Ubuntu ISO", TorrentState::Downloading, 3000, 1000),
            t,
        ],
        listen_port: 6881,
        ..Snapshot::default()
    }
}

#[test]
fn the_status_shows_the_progress_of_a_move_then_the_state_again() {
    let (mut app, _) = app();
    let _ = app.update(Message::Engine(Event::Snapshot(Arc::new(moving(0.42)))));
    {
        let mut ui = simulator(app.view(window::Id::unique()));
        let shown = crate::fl!("status-moving", percent = 42);
        assert!(ui.find(shown.as_str()).is_ok(), "no `{shown}`");
        assert!(shown.contains("42"));
    }
    // Nearly done is not done.
    let _ = app.update(Message::Engine(Event::Snapshot(Arc::new(moving(0.999)))));
    {
        let mut ui = simulator(app.view(window::Id::unique()));
        assert!(
            ui.find(crate::fl!("status-moving", percent = 99).as_str())
                .is_ok()
        );
    }
    // Moved: the state again.
    let mut after = moving(1.0);
    after.torrents[1].moving = None;
    let _ = app.update(Message::Engine(Event::Snapshot(Arc::new(after))));
    let mut ui = simulator(app.view(window::Id::unique()));
    assert!(ui.find(crate::fl!("status-seeding").as_str()).is_ok());
    assert!(
        ui.find(crate::fl!("status-moving", percent = 99).as_str())
            .is_err()
    );
}

#[test]
fn move_data_is_in_the_menu_and_sends_a_move_for_every_selected_torrent() {
    let (mut app, mut commands) = app();
    click(&mut app, "row-0");
    let _ = app.update(Message::Key(
        Key::Character("a".into()),
        keyboard::Modifiers::COMMAND,
    ));
    let _ = app.update(Message::List(ListMessage::RowMenu(0)));
    {
        let mut ui = simulator(app.view(window::Id::unique()));
        assert!(ui.find(Id::from(item_id(MenuItem::MoveData))).is_ok());
        assert!(ui.find(crate::fl!("menu-move-data").as_str()).is_ok());
    }
    // The folder picker answers with a folder (here, directly).
    let folder = std::path::PathBuf::from("/srv/media");
    let hashes = app.selection();
    let _ = app.update(Message::MoveDataTo(hashes, Some(folder.clone())));
    let sent = drain(&mut commands);
    assert_eq!(sent.len(), 3, "{sent:?}");
    assert!(
        sent.iter()
            .all(|c| matches!(c, Command::MoveStorage(_, f) if *f == folder)),
        "{sent:?}"
    );
    // Cancelled: nothing is sent.
    let _ = app.update(Message::MoveDataTo(app.selection(), None));
    assert!(drain(&mut commands).is_empty());
}

#[test]
fn a_refused_move_shows_in_the_error_banner() {
    let (mut app, _) = app();
    let message =
        "cannot move the data to `/srv`: `/srv/Album` already exists; it is never overwritten";
    let _ = app.update(Message::Engine(Event::TorrentError {
        info_hash: InfoHash([2; 20]),
        message: message.into(),
    }));
    let mut ui = simulator(app.view(window::Id::unique()));
    assert!(ui.find(message).is_ok());
}
