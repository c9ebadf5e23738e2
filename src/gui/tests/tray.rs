//! The window beside the tray: closing hides to the tray while there is one (and transfers go
//! on), the tray's menu brings the window back and acts on every torrent, and without a tray
//! closing asks before it quits. The app under test has no tray host; `TrayPresence::Present(None)`
//! stands for an icon.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use crate::gui::tray::TrayPresence;
use crate::platform::tray::TrayAction;

fn with_window(tray: TrayPresence) -> (App, UnboundedReceiver<Command>, window::Id) {
    let (mut app, rx) = app();
    let id = window::Id::unique();
    app.window = Some(id);
    app.tray = tray;
    (app, rx, id)
}

#[test]
fn closing_the_window_hides_it_to_the_tray_and_the_tray_brings_it_back() {
    let (mut app, mut rx, id) = with_window(TrayPresence::Present(None));
    let _ = app.update(Message::CloseRequested(id));
    assert_eq!(app.window, None, "the window is closed, not the app");
    assert!(!app.quitting && app.pending.is_none());
    assert!(drain_all(&mut rx).is_empty(), "no torrent was touched");
    let _ = app.update(Message::Tray(TrayAction::ShowHide));
    let shown = app.window.expect("the tray opened the window again");
    assert_ne!(shown, id);
    // Show/hide from the tray hides it again.
    let _ = app.update(Message::Tray(TrayAction::ShowHide));
    assert_eq!(app.window, None);
}

#[test]
fn with_close_to_tray_off_closing_quits_without_asking() {
    let (mut app, _rx, id) = with_window(TrayPresence::Present(None));
    app.settings.close_to_tray = false;
    let _ = app.update(Message::CloseRequested(id));
    assert!(app.quitting);
    assert!(app.pending.is_none());
}

#[test]
fn without_a_tray_closing_asks_and_only_yes_quits() {
    let (mut app, _rx, id) = with_window(TrayPresence::Absent);
    let _ = app.update(Message::CloseRequested(id));
    assert_eq!(app.pending, Some(Pending::Quit));
    assert!(!app.quitting);
    let _ = app.update(Message::Confirm(false));
    assert!(app.pending.is_none() && !app.quitting && app.window == Some(id));
    let _ = app.update(Message::CloseRequested(id));
    let _ = app.update(Message::Confirm(true));
    assert!(app.quitting);
}

#[test]
fn the_quit_question_is_shown_in_the_window() {
    let (mut app, _rx, id) = with_window(TrayPresence::Absent);
    let _ = app.update(Message::CloseRequested(id));
    let mut ui = simulator(app.view(id));
    assert!(ui.find(crate::fl!("confirm-quit")).is_ok());
    assert!(ui.find(Id::new("confirm-yes")).is_ok());
}

#[test]
fn pause_all_and_resume_all_reach_every_torrent() {
    let (mut app, mut rx, _) = with_window(TrayPresence::Present(None));
    drain_all(&mut rx);
    let _ = app.update(Message::Tray(TrayAction::PauseAll));
    let paused: Vec<_> = drain_all(&mut rx)
        .into_iter()
        .filter_map(|c| match c {
            Command::Pause(h) => Some(h),
            _ => None,
        })
        .collect();
    let all: Vec<_> = app.snapshot.torrents.iter().map(|t| t.info_hash).collect();
    assert!(!all.is_empty());
    assert_eq!(paused, all);
    let _ = app.update(Message::Tray(TrayAction::ResumeAll));
    let resumed = drain_all(&mut rx)
        .into_iter()
        .filter(|c| matches!(c, Command::Resume(_)))
        .count();
    assert_eq!(resumed, all.len());
}

#[test]
fn quit_from_the_tray_shuts_the_engine_down_even_while_hidden() {
    let (mut app, _rx, id) = with_window(TrayPresence::Present(None));
    let _ = app.update(Message::CloseRequested(id));
    assert_eq!(app.window, None);
    let _ = app.update(Message::Tray(TrayAction::Quit));
    assert!(app.quitting);
}

#[test]
fn a_hidden_start_without_a_tray_shows_the_window_after_all() {
    let (mut app, _rx) = app();
    assert_eq!(app.window, None);
    let _ = app.update(Message::TrayHost(Err("no watcher".into())));
    assert!(matches!(app.tray, TrayPresence::Absent));
    assert!(
        app.window.is_some(),
        "no tray to come back from: the window opens"
    );
}

#[test]
fn the_desktop_page_offers_the_tray_login_and_handler_settings() {
    let (mut app, _rx, id) = with_window(TrayPresence::Absent);
    let _ = app.update(Message::Action(Action::Preferences));
    let _ = app.update(Message::Preferences(PrefMessage::Tab(
        preferences::PrefTab::Desktop,
    )));
    let mut ui = simulator(app.view(id));
    for id in [
        preferences::CLOSE_TO_TRAY_ID,
        preferences::START_MINIMIZED_ID,
        preferences::START_ON_LOGIN_ID,
        preferences::HANDLERS_ID,
    ] {
        assert!(ui.find(Id::new(id)).is_ok(), "{id} missing");
    }
    // No tray here: the page says what closing does instead.
    assert!(ui.find(crate::fl!("prefs-tray-missing")).is_ok());
    drop(ui);
    let _ = app.update(Message::Preferences(PrefMessage::StartMinimized(true)));
    let _ = app.update(Message::Preferences(PrefMessage::CloseToTray(false)));
    let _ = app.update(Message::Preferences(PrefMessage::Save));
    assert!(app.settings().start_minimized && !app.settings().close_to_tray);
}

#[test]
fn the_tray_switches_the_alternative_speed_limits() {
    let (mut app, mut rx, _) = with_window(TrayPresence::Present(None));
    drain_all(&mut rx);
    assert!(!app.settings().alt_speed);
    let _ = app.update(Message::Tray(TrayAction::ToggleAltSpeed));
    assert!(app.settings().alt_speed);
    assert!(
        drain_all(&mut rx)
            .iter()
            .any(|c| matches!(c, Command::SetAltSpeed(true))),
        "the engine was not told"
    );
    let _ = app.update(Message::Tray(TrayAction::ToggleAltSpeed));
    assert!(!app.settings().alt_speed);
}
