//! Desktop notifications from the window: engine events become batched notices, the two
//! Preferences switches turn them off, and metadata is told only while no window shows it.
//! The app under test keeps its notices instead of sending them to the desktop.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use crate::platform::notify::{BATCH_WINDOW, Finished, Notice};
use std::time::Instant;

fn finished(app: &mut App, n: u8) {
    let _ = app.update(Message::Engine(Event::TorrentFinished {
        info_hash: InfoHash([n; 20]),
    }));
}

fn tick_later(app: &mut App) {
    let _ = app.update(Message::NoticeTick(Instant::now() + BATCH_WINDOW));
}

#[test]
fn a_finished_download_is_told_by_name_after_the_batch_window() {
    let (mut app, _) = app();
    finished(&mut app, 1);
    assert!(app.notifier().is_waiting());
    // A tick right away tells nothing yet: more may finish.
    let _ = app.update(Message::NoticeTick(Instant::now()));
    assert!(app.notifier().kept().is_empty());
    tick_later(&mut app);
    assert_eq!(
        app.notifier().kept(),
        [Notice::Finished(Finished {
            name: "Ubuntu ISO".into(),
            save_folder: "/tmp".into(),
        })]
    );
    assert!(!app.notifier().is_waiting());
}

#[test]
fn finishes_together_are_one_summary_and_errors_stay_apart() {
    let (mut app, _) = app();
    for n in 1..=3 {
        finished(&mut app, n);
    }
    let _ = app.update(Message::Engine(Event::TorrentError {
        info_hash: InfoHash([2; 20]),
        message: "disk full".into(),
    }));
    tick_later(&mut app);
    let kept = app.notifier().kept();
    assert_eq!(kept.len(), 2, "{kept:?}");
    assert!(matches!(&kept[0], Notice::FinishedMany { count: 3, .. }));
    assert_eq!(kept[0].summary(), "3 downloads finished");
    assert_eq!(
        kept[1],
        Notice::Error {
            name: "Album".into(),
            message: "disk full".into()
        }
    );
    // The banner still shows the error in the window.
    assert_eq!(app.error(), Some("disk full"));
}

#[test]
fn the_switches_in_preferences_turn_notifications_off() {
    let (mut app, _) = app();
    let _ = app.update(Message::Action(Action::Preferences));
    click(&mut app, preferences::NOTIFY_FINISHED_ID);
    click(&mut app, preferences::NOTIFY_ERRORS_ID);
    click(&mut app, preferences::OK_ID);
    assert!(!app.settings().notify_finished && !app.settings().notify_errors);
    finished(&mut app, 1);
    let _ = app.update(Message::Engine(Event::TorrentError {
        info_hash: InfoHash([1; 20]),
        message: "disk full".into(),
    }));
    assert!(!app.notifier().is_waiting());
    tick_later(&mut app);
    assert!(app.notifier().kept().is_empty());
}

#[test]
fn metadata_is_told_only_while_no_window_is_open() {
    let (mut app, _) = app();
    let metadata = |app: &mut App| {
        let _ = app.update(Message::Engine(Event::MetadataReceived {
            info_hash: InfoHash([9; 20]),
            name: "Linked".into(),
            files: Vec::new(),
        }));
    };
    app.window = Some(window::Id::unique());
    metadata(&mut app);
    assert!(app.notifier().kept().is_empty());
    app.window = None;
    metadata(&mut app);
    assert_eq!(
        app.notifier().kept(),
        [Notice::Metadata {
            name: "Linked".into()
        }]
    );
}
