//! Speed limits in the window: the torrents' "Set limits…" dialog, the status bar's switch and
//! limits, the Speed page of Preferences with its schedule grid, and the schedule follower.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use crate::engine::limits::RateLimits;
use crate::gui::limits::{
    ALT_SPEED_ID, LIMITS_DOWN_ID, LIMITS_OK_ID, LIMITS_UP_ID, LimitsMessage, SCHEDULED_ID,
    SpeedMessage, cell_id,
};
use crate::gui::menu::{MenuItem, item_id};
use crate::gui::preferences::{OK_ID, PrefMessage, PrefTab, tab_id};

#[test]
fn set_limits_from_the_menu_sends_them_for_every_selected_torrent() {
    let (mut app, mut commands) = app();
    click(&mut app, "row-0");
    let _ = app.update(Message::Key(
        Key::Character("a".into()),
        keyboard::Modifiers::COMMAND,
    ));
    let _ = app.update(Message::List(ListMessage::RowMenu(0)));
    click(&mut app, item_id(MenuItem::SetLimits));
    assert_eq!(app.limits_dialog().unwrap().hashes.len(), 3);
    // The boxes start at 0 (no limit); typed text is appended to it: "0" + "512" = 512.
    type_into(&mut app, LIMITS_DOWN_ID, "512");
    type_into(&mut app, LIMITS_UP_ID, "64");
    click(&mut app, LIMITS_OK_ID);
    assert!(app.limits_dialog().is_none());
    let sent = drain(&mut commands);
    assert_eq!(sent.len(), 3, "{sent:?}");
    for c in &sent {
        assert!(
            matches!(c, Command::SetTorrentLimits(_, l) if *l == RateLimits::new(512 * 1024, 64 * 1024)),
            "{c:?}"
        );
    }
}

#[test]
fn the_limits_dialog_sets_a_torrent_s_own_seeding_goals_when_changed() {
    use crate::engine::api::{GoalOverride, Limit};
    use crate::gui::seed_goals::{Goal, GoalMessage, Mode};
    let (mut app, mut commands) = app();
    click(&mut app, "row-1");
    let _ = app.update(Message::MenuPick(MenuItem::SetLimits));
    let goal = |m| Message::Limits(LimitsMessage::Goals(m));
    let _ = app.update(goal(GoalMessage::Mode(Goal::IdleTime, Mode::Value)));
    type_into(&mut app, &Goal::IdleTime.value_id(), "5");
    let _ = app.update(goal(GoalMessage::Mode(Goal::Ratio, Mode::Unlimited)));
    click(&mut app, LIMITS_OK_ID);
    assert!(app.limits_dialog().is_none());
    let sent = drain(&mut commands);
    let want = GoalOverride {
        ratio: Limit::Unlimited,
        seeding_time: Limit::Global,
        idle_time: Limit::Value(std::time::Duration::from_secs(300)),
    };
    assert!(
        sent.iter()
            .any(|c| matches!(c, Command::SetTorrentSeedGoals(_, g) if *g == want)),
        "{sent:?}"
    );
    // A value box is only typed into once its goal has a value of its own, and a bad one is
    // refused.
    let _ = app.update(Message::MenuPick(MenuItem::SetLimits));
    let _ = app.update(goal(GoalMessage::Mode(Goal::SeedingTime, Mode::Value)));
    let _ = app.update(Message::Limits(LimitsMessage::Save));
    assert!(app.limits_dialog().unwrap().problem.is_some());
}

#[test]
fn bad_limits_are_refused_with_a_reason_and_esc_cancels() {
    let (mut app, mut commands) = app();
    click(&mut app, "row-1");
    let _ = app.update(Message::MenuPick(MenuItem::SetLimits));
    let _ = app.update(Message::Limits(LimitsMessage::Down("-5".into())));
    let _ = app.update(Message::Limits(LimitsMessage::Save));
    let problem = app.limits_dialog().unwrap().problem.clone().unwrap();
    assert!(problem.contains("10000000"), "{problem}");
    let _ = app.update(Message::Limits(LimitsMessage::Down("1.5".into())));
    let _ = app.update(Message::Limits(LimitsMessage::Save));
    assert!(app.limits_dialog().is_some());
    let _ = app.update(Message::Key(
        Key::Named(Named::Escape),
        keyboard::Modifiers::empty(),
    ));
    assert!(app.limits_dialog().is_none());
    assert!(drain(&mut commands).is_empty());
}

#[test]
fn the_status_bar_switch_toggles_alternative_limits_and_shows_the_limits() {
    let (mut app, mut commands) = app();
    click(&mut app, ALT_SPEED_ID);
    assert!(app.settings().alt_speed);
    assert!(matches!(
        drain(&mut commands).as_slice(),
        [Command::SetAltSpeed(true)]
    ));
    // The same action a tray entry sends switches back.
    let _ = app.update(Message::Action(Action::ToggleAltSpeed));
    assert!(!app.settings().alt_speed);
    assert!(matches!(
        drain(&mut commands).as_slice(),
        [Command::SetAltSpeed(false)]
    ));
    // The limits in force come from the snapshot.
    let _ = app.update(Message::Engine(Event::Snapshot(Arc::new(Snapshot {
        limits: RateLimits::new(512 * 1024, 0),
        alt_speed: true,
        ..Snapshot::default()
    }))));
    let mut ui = simulator(app.view(window::Id::unique()));
    let want = crate::fl!(
        "status-limits",
        down = crate::format::rate(512 * 1024),
        up = crate::fl!("limit-none")
    );
    assert!(ui.find(want.as_str()).is_ok(), "{want}");
    drop(ui);
    // A click on them opens the Speed page to change them.
    click(&mut app, crate::gui::limits::LIMITS_STATUS_ID);
    assert_eq!(app.preferences().map(|p| p.tab), Some(PrefTab::Speed));
}

#[test]
fn the_speed_page_sets_limits_and_the_schedule_grid() {
    let (mut app, mut commands) = app();
    let _ = app.update(Message::Action(Action::Preferences));
    click(&mut app, tab_id(PrefTab::Speed));
    type_into(&mut app, "prefs-speed-down", "100");
    let _ = app.update(Message::Preferences(PrefMessage::Speed(
        SpeedMessage::AltUp("8".into()),
    )));
    click(&mut app, cell_id(0, 9));
    click(&mut app, cell_id(6, 23));
    click(&mut app, SCHEDULED_ID);
    click(&mut app, OK_ID);
    assert!(app.preferences().is_none());
    let s = app.settings();
    assert_eq!(s.speed_limits, RateLimits::new(100 * 1024, 0));
    assert_eq!(s.alt_speed_limits.upload, 8 * 1024);
    assert!(s.alt_speed_scheduled);
    assert!(s.alt_speed_schedule.is_on(0, 9) && s.alt_speed_schedule.is_on(6, 23));
    assert!(!s.alt_speed_schedule.is_on(0, 10));
    let sent = drain(&mut commands);
    assert!(
        sent.iter()
            .any(|c| matches!(c, Command::SetGlobalLimits(l) if *l == s.speed_limits)),
        "{sent:?}"
    );
    assert!(
        sent.iter()
            .any(|c| matches!(c, Command::SetAltLimits(l) if l.upload == 8 * 1024)),
        "{sent:?}"
    );
    let _ = app.update(Message::Action(Action::Preferences));
    let _ = app.update(Message::Preferences(PrefMessage::Speed(
        SpeedMessage::Down("x".into()),
    )));
    let _ = app.update(Message::Preferences(PrefMessage::Save));
    assert!(app.preferences().unwrap().problem.is_some());
}

#[test]
fn the_schedule_switches_at_its_changes_and_a_hand_switch_holds_until_then() {
    let (mut app, mut commands) = app();
    let mut s = app.settings().clone();
    s.alt_speed_scheduled = true;
    s.alt_speed_schedule.set(2, 8, true); // Wednesday 08:00–08:59
    let _ = app.apply_settings(s);
    drain(&mut commands);
    // Tuesday 23:00: off, as already.
    let _ = app.follow_schedule(1, 23);
    assert!(!app.settings().alt_speed);
    // Wednesday 08:00: on.
    let _ = app.follow_schedule(2, 8);
    assert!(app.settings().alt_speed);
    assert!(matches!(
        drain(&mut commands).as_slice(),
        [Command::SetAltSpeed(true)]
    ));
    // Switched off by hand: the schedule leaves it off within the same hour.
    let _ = app.update(Message::Action(Action::ToggleAltSpeed));
    let _ = app.follow_schedule(2, 8);
    assert!(!app.settings().alt_speed);
    // 09:00: the schedule says off, which it is; Thursday 08:00 is not scheduled either.
    let _ = app.follow_schedule(2, 9);
    let _ = app.follow_schedule(3, 8);
    assert!(!app.settings().alt_speed);
    // Without the schedule, nothing switches.
    let mut s = app.settings().clone();
    s.alt_speed_scheduled = false;
    let _ = app.apply_settings(s);
    let _ = app.follow_schedule(2, 8);
    assert!(!app.settings().alt_speed);
}

#[test]
fn a_switch_before_the_engine_runs_is_sent_once_it_does() {
    let mut app = App::new(None, std::env::temp_dir());
    let _ = app.update(Message::Action(Action::ToggleAltSpeed));
    assert!(app.settings().alt_speed);
    assert!(app.error().is_none(), "{:?}", app.error());
    let (engine, mut commands) = EngineHandle::detached(6881);
    let _ = app.update(Message::EngineStarted(Ok(engine)));
    let sent = drain(&mut commands);
    assert!(
        sent.iter().any(|c| matches!(c, Command::SetAltSpeed(true))),
        "{sent:?}"
    );
    assert!(
        sent.iter().any(
            |c| matches!(c, Command::SetAltLimits(l) if *l == app.settings().alt_speed_limits)
        ),
        "{sent:?}"
    );
}

/// Seeding goals set in Preferences reach the running engine at once.
#[test]
fn seeding_goals_from_preferences_are_sent_to_the_engine() {
    let (mut app, mut rx) = app();
    drain_all(&mut rx);
    let _ = app.update(Message::Action(Action::Preferences));
    let _ = app.update(Message::Preferences(PrefMessage::SeedRatio("2".into())));
    let _ = app.update(Message::Preferences(PrefMessage::Save));
    let sent: Vec<_> = drain_all(&mut rx)
        .into_iter()
        .filter_map(|c| match c {
            Command::SetSeedGoals(g) => Some(g),
            _ => None,
        })
        .collect();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].ratio, Some(2.0));
    assert_eq!(sent[0].seeding_time, None);
}

#[test]
fn the_overhead_box_is_saved_and_reaches_the_engine_at_once() {
    let (mut app, mut commands) = app();
    app.open_preferences();
    click(&mut app, tab_id(PrefTab::Speed));
    click(&mut app, crate::gui::limits::OVERHEAD_ID);
    click(&mut app, OK_ID);
    assert!(app.settings().limit_overhead);
    let sent = drain(&mut commands);
    assert!(
        sent.iter()
            .any(|c| matches!(c, Command::SetLimitOverhead(true))),
        "{sent:?}"
    );
    let config = app
        .settings()
        .engine_config(crate::engine::session::Config::default());
    assert!(config.limit_overhead);
}
