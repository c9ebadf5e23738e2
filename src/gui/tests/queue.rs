//! The queue in the window: queued and forced torrents say so, the toolbar's arrows and the
//! menu move the selection in the queue keeping its order, force start, and the Queueing page
//! of Preferences.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use crate::engine::api::{QueueLimits, QueueMove};
use crate::gui::menu::{MenuItem, item_id};
use crate::gui::preferences::{OK_ID, PrefTab, tab_id};
use crate::gui::queueing::{DOWNLOADS_ID, IGNORE_SLOW_ID, QUEUEING_ID};

fn moves(sent: &[Command]) -> Vec<(u8, QueueMove)> {
    sent.iter()
        .map(|c| match c {
            Command::MoveInQueue(h, to) => (h.0[0], *to),
            other => panic!("unexpected {other:?}"),
        })
        .collect()
}

#[test]
fn queued_and_forced_torrents_say_so() {
    let (mut app, _) = app();
    let mut queued = stats(4, "Waiting", TorrentState::Queued, 100, 10);
    queued.queue_position = 4;
    let mut queued_seed = stats(5, "Waiting seed", TorrentState::Queued, 100, 100);
    queued_seed.queue_position = 5;
    let mut forced = stats(6, "Forced", TorrentState::Downloading, 100, 10);
    forced.forced = true;
    forced.queue_position = 6;
    let snapshot = Snapshot {
        torrents: vec![queued, queued_seed, forced],
        ..Snapshot::default()
    };
    let _ = app.update(Message::Engine(Event::Snapshot(Arc::new(snapshot))));
    let mut ui = simulator(app.view(window::Id::unique()));
    for text in [
        crate::fl!("status-queued"),
        crate::fl!("status-queued-seed"),
        crate::fl!("status-forced-downloading"),
    ] {
        assert!(ui.find(text.clone()).is_ok(), "no `{text}` shown");
    }
    // The # column shows the engine's queue position.
    assert!(ui.find("6").is_ok());
}

#[test]
fn the_arrows_move_the_selection_keeping_its_order() {
    let (mut app, mut commands) = app();
    click(&mut app, "row-1");
    let _ = app.update(Message::List(ListMessage::Click(2)));
    let _ = app.update(Message::Key(
        Key::Character("a".into()),
        keyboard::Modifiers::COMMAND,
    ));
    drain(&mut commands);
    // Up: the first in the queue moves first; down: the last first.
    click(&mut app, action_id(Action::QueueUp));
    assert_eq!(
        moves(&drain(&mut commands)),
        [(1, QueueMove::Up), (2, QueueMove::Up), (3, QueueMove::Up)]
    );
    let _ = app.update(Message::Key(
        Key::Named(Named::ArrowDown),
        keyboard::Modifiers::COMMAND,
    ));
    assert_eq!(
        moves(&drain(&mut commands)),
        [
            (3, QueueMove::Down),
            (2, QueueMove::Down),
            (1, QueueMove::Down)
        ]
    );
    // To the top: the last first, so the first ends up first.
    let _ = app.update(Message::List(ListMessage::RowMenu(0)));
    click(&mut app, item_id(MenuItem::QueueTop));
    assert_eq!(
        moves(&drain(&mut commands)),
        [
            (3, QueueMove::Top),
            (2, QueueMove::Top),
            (1, QueueMove::Top)
        ]
    );
}

#[test]
fn force_start_from_the_menu() {
    let (mut app, mut commands) = app();
    click(&mut app, "row-2");
    drain(&mut commands);
    let _ = app.update(Message::List(ListMessage::RowMenu(2)));
    click(&mut app, item_id(MenuItem::ForceStart));
    let sent = drain(&mut commands);
    assert!(
        matches!(sent.as_slice(), [Command::ForceStart(h)] if *h == InfoHash([3; 20])),
        "{sent:?}"
    );
}

#[test]
fn the_queueing_page_sets_the_limits_at_once() {
    let (mut app, mut commands) = app();
    assert!(app.settings().queueing, "queueing is on by default");
    app.open_preferences();
    click(&mut app, tab_id(PrefTab::Queueing));
    assert!(
        simulator(app.view(window::Id::unique()))
            .find(crate::fl!("prefs-queue-rule"))
            .is_ok(),
        "the page does not state the rule"
    );
    // "5" + "0" typed after it = 50 downloads; slow torrents count from now on.
    let messages = {
        let mut ui = simulator(app.view(window::Id::unique()));
        ui.click(Id::from(DOWNLOADS_ID)).unwrap();
        let _ = ui.typewrite("0");
        ui.into_messages().collect::<Vec<_>>()
    };
    for m in messages {
        let _ = app.update(m);
    }
    click(&mut app, IGNORE_SLOW_ID);
    drain(&mut commands);
    click(&mut app, OK_ID);
    assert!(app.preferences().is_none());
    assert_eq!(app.settings().max_active_downloads, 50);
    let sent = drain(&mut commands);
    let want = QueueLimits {
        downloads: Some(50),
        seeds: Some(5),
        active: Some(8),
        ignore_slow: false,
        ..QueueLimits::OFF
    };
    assert!(
        sent.iter()
            .any(|c| matches!(c, Command::SetQueueLimits(l) if *l == want)),
        "{sent:?}"
    );

    // Off: nothing is held.
    app.open_preferences();
    click(&mut app, tab_id(PrefTab::Queueing));
    click(&mut app, QUEUEING_ID);
    click(&mut app, OK_ID);
    let sent = drain(&mut commands);
    assert!(
        sent.iter()
            .any(|c| matches!(c, Command::SetQueueLimits(l) if *l == QueueLimits::OFF)),
        "{sent:?}"
    );
}

#[test]
fn the_status_bar_marks_the_port_once_a_peer_came_in() {
    let (mut app, _) = app();
    let open = crate::fl!("status-port-open", port = 6881);
    assert!(
        simulator(app.view(window::Id::unique()))
            .find(open.clone())
            .is_err()
    );
    let snapshot = Snapshot {
        listen_port: 6881,
        incoming_connections: 3,
        ..Snapshot::default()
    };
    let _ = app.update(Message::Engine(Event::Snapshot(Arc::new(snapshot))));
    assert!(simulator(app.view(window::Id::unique())).find(open).is_ok());
}
