//! Speed limits in the window: the Speed page of Preferences (global and alternative limits,
//! the weekly schedule grid), the "Set limits…" dialog for the selected torrents (with their
//! seeding goals, [`super::seed_goals`]), the status
//! bar's limits and its alternative-limits switch, and the schedule follower that switches the
//! alternative limits each minute.
//!
//! Limits are typed in KiB/s (whole numbers, 0 = unlimited) and kept in bytes per second. The
//! engine gets every change as a command at once; the settings file keeps the global ones and the
//! schedule, the engine's session state the torrents' own.
//!
//! [`Action::ToggleAltSpeed`](super::Action::ToggleAltSpeed) switches the alternative limits
//! (the status bar's button; a tray entry can send the same action).

use super::preferences::{PrefMessage, Preferences};
use super::seed_goals::GoalsDraft;
use super::{App, Message, theme};
use crate::engine::InfoHash;
use crate::engine::api::GoalOverride;
use crate::engine::limits::RateLimits;
use crate::engine::limits::schedule::{DAYS, HOURS};
use crate::engine::session::Command;
use crate::fl;
use crate::settings::Settings;
use iced::widget::{button, center, checkbox, column, container, opaque, row, space, text};
use iced::widget::{text_input, tooltip};
use iced::{Alignment, Element, Fill, Task};

const TEXT: f32 = 13.0;
/// The largest limit accepted, in KiB/s (about 10 GB/s).
pub const MAX_KIB: u64 = 10_000_000;
/// Id of the status bar's alternative-limits switch.
pub const ALT_SPEED_ID: &str = "alt-speed-toggle";
/// Ids of the limits dialog's boxes and buttons.
pub const LIMITS_DOWN_ID: &str = "limits-down";
pub const LIMITS_UP_ID: &str = "limits-up";
pub const LIMITS_PEERS_ID: &str = "limits-peers";
/// The largest per-torrent connection limit accepted.
pub const MAX_PEERS: u32 = 5_000;
pub const LIMITS_OK_ID: &str = "limits-ok";
pub const LIMITS_CANCEL_ID: &str = "limits-cancel";
/// Id of the status bar's limits (a click opens the Speed page).
pub const LIMITS_STATUS_ID: &str = "status-limits";
/// Id of the "limits count protocol overhead" box of the Speed page.
pub const OVERHEAD_ID: &str = "prefs-limit-overhead";
/// Id of the "follow the schedule" box of the Speed page.
pub const SCHEDULED_ID: &str = "prefs-alt-scheduled";

/// Id of one hour of the schedule grid.
pub fn cell_id(day: usize, hour: usize) -> String {
    format!("schedule-{day}-{hour}")
}

/// A limit as typed: KiB/s, 0 for none.
pub fn kib_text(bytes_per_second: u64) -> String {
    if bytes_per_second == 0 {
        "0".to_owned()
    } else {
        bytes_per_second.div_ceil(1024).to_string()
    }
}

/// A typed limit in bytes per second, or why it is not one.
pub fn parse_kib(typed: &str, field: String) -> Result<u64, String> {
    typed
        .trim()
        .parse::<u64>()
        .ok()
        .filter(|n| *n <= MAX_KIB)
        .map(|n| n * 1024)
        .ok_or_else(|| fl!("limits-bad-rate", field = field, max = MAX_KIB.to_string()))
}

/// A limit for people: a rate, or "∞".
fn limit_text(bytes_per_second: u64) -> String {
    if bytes_per_second == 0 {
        fl!("limit-none")
    } else {
        crate::format::rate(bytes_per_second)
    }
}

/// The local weekday (0 = Monday) and hour now.
pub fn local_weekday_hour() -> (usize, usize) {
    use chrono::{Datelike, Timelike};
    let now = chrono::Local::now();
    (
        now.weekday().num_days_from_monday() as usize,
        now.hour() as usize,
    )
}

// ----- the Speed page of Preferences ------------------------------------------------------

/// What the user did on the Speed page.
#[derive(Debug, Clone)]
pub enum SpeedMessage {
    /// The global download limit box changed.
    Down(String),
    /// The global upload limit box changed.
    Up(String),
    /// The alternative download limit box changed.
    AltDown(String),
    /// The alternative upload limit box changed.
    AltUp(String),
    /// "Follow the schedule" ticked or not.
    Scheduled(bool),
    /// The "limits count protocol overhead" box changed.
    Overhead(bool),
    /// An hour of the grid (weekday from Monday, hour) was clicked.
    Cell(usize, usize),
}

/// The Speed page's boxes as typed.
#[derive(Debug, Clone)]
pub struct SpeedDraft {
    down: String,
    up: String,
    alt_down: String,
    alt_up: String,
}

impl SpeedDraft {
    /// The boxes filled from `s`.
    pub fn new(s: &Settings) -> SpeedDraft {
        SpeedDraft {
            down: kib_text(s.speed_limits.download),
            up: kib_text(s.speed_limits.upload),
            alt_down: kib_text(s.alt_speed_limits.download),
            alt_up: kib_text(s.alt_speed_limits.upload),
        }
    }

    /// Handles a message of the page; the grid and the switch change `draft` directly.
    pub fn update(&mut self, message: SpeedMessage, draft: &mut Settings) {
        match message {
            SpeedMessage::Down(s) => self.down = s,
            SpeedMessage::Up(s) => self.up = s,
            SpeedMessage::AltDown(s) => self.alt_down = s,
            SpeedMessage::AltUp(s) => self.alt_up = s,
            SpeedMessage::Scheduled(on) => draft.alt_speed_scheduled = on,
            SpeedMessage::Overhead(on) => draft.limit_overhead = on,
            SpeedMessage::Cell(day, hour) => draft.alt_speed_schedule.toggle(day, hour),
        }
    }

    /// Puts the typed limits into `s`, or says which box is wrong.
    pub fn checked(&self, s: &mut Settings) -> Result<(), String> {
        let global = fl!("prefs-speed-global");
        let alt = fl!("prefs-speed-alt");
        let down = fl!("prefs-speed-down");
        let up = fl!("prefs-speed-up");
        s.speed_limits = RateLimits::new(
            parse_kib(&self.down, format!("{global}: {down}"))?,
            parse_kib(&self.up, format!("{global}: {up}"))?,
        );
        s.alt_speed_limits = RateLimits::new(
            parse_kib(&self.alt_down, format!("{alt}: {down}"))?,
            parse_kib(&self.alt_up, format!("{alt}: {up}"))?,
        );
        Ok(())
    }
}

fn speed_msg(m: SpeedMessage) -> Message {
    Message::Preferences(PrefMessage::Speed(m))
}

fn rate_box<'a>(
    value: &'a str,
    id: String,
    on_input: fn(String) -> SpeedMessage,
) -> Element<'a, Message> {
    text_input("0", value)
        .id(id)
        .on_input(move |s| speed_msg(on_input(s)))
        .on_submit(Message::Preferences(PrefMessage::Save))
        .size(TEXT)
        .width(90)
        .into()
}

/// One line of limits: its label, then download and upload boxes.
fn limits_line<'a>(
    label: String,
    down: (&'a str, fn(String) -> SpeedMessage),
    up: (&'a str, fn(String) -> SpeedMessage),
    id: &str,
) -> Element<'a, Message> {
    row![
        text(label).size(TEXT).width(250),
        text(fl!("prefs-speed-down")).size(TEXT),
        rate_box(down.0, format!("prefs-{id}-down"), down.1),
        text(fl!("prefs-speed-up")).size(TEXT),
        rate_box(up.0, format!("prefs-{id}-up"), up.1),
    ]
    .spacing(8)
    .align_y(Alignment::Center)
    .into()
}

/// The Speed page.
pub(super) fn speed_page(p: &Preferences) -> Element<'_, Message> {
    let s = &p.speed;
    let days = [
        fl!("day-mon"),
        fl!("day-tue"),
        fl!("day-wed"),
        fl!("day-thu"),
        fl!("day-fri"),
        fl!("day-sat"),
        fl!("day-sun"),
    ];
    let schedule = &p.draft.alt_speed_schedule;
    let mut hours_row = row![space().width(40)].spacing(1);
    for hour in 0..HOURS {
        hours_row = hours_row.push(
            container(if hour % 3 == 0 {
                text(hour.to_string()).size(9)
            } else {
                text("").size(9)
            })
            .width(18),
        );
    }
    let mut grid = column![hours_row].spacing(1);
    for (day, name) in days.into_iter().enumerate().take(DAYS) {
        let mut line = row![text(name).size(11).width(40)]
            .spacing(1)
            .align_y(Alignment::Center);
        for hour in 0..HOURS {
            line = line.push(
                container(
                    button(space().width(Fill).height(Fill))
                        .width(18)
                        .height(14)
                        .padding(0)
                        .style(theme::schedule_cell(schedule.is_on(day, hour)))
                        .on_press(speed_msg(SpeedMessage::Cell(day, hour))),
                )
                .id(cell_id(day, hour)),
            );
        }
        grid = grid.push(line);
    }
    column![
        limits_line(
            fl!("prefs-speed-global"),
            (&s.down, SpeedMessage::Down),
            (&s.up, SpeedMessage::Up),
            "speed",
        ),
        limits_line(
            fl!("prefs-speed-alt"),
            (&s.alt_down, SpeedMessage::AltDown),
            (&s.alt_up, SpeedMessage::AltUp),
            "alt",
        ),
        text(fl!("prefs-speed-units")).size(12).style(theme::label),
        container(
            checkbox(p.draft.limit_overhead)
                .label(fl!("prefs-limit-overhead"))
                .on_toggle(|on| speed_msg(SpeedMessage::Overhead(on)))
                .text_size(TEXT)
        )
        .id(OVERHEAD_ID),
        container(
            checkbox(p.draft.alt_speed_scheduled)
                .label(fl!("prefs-speed-scheduled"))
                .on_toggle(|on| speed_msg(SpeedMessage::Scheduled(on)))
                .text_size(TEXT)
        )
        .id(SCHEDULED_ID),
        grid,
        text(fl!("prefs-speed-schedule-note"))
            .size(12)
            .style(theme::label),
    ]
    .spacing(8)
    .into()
}

// ----- the "Set limits…" dialog -------------------------------------------------------------

/// What the user did in the limits dialog.
#[derive(Debug, Clone)]
pub enum LimitsMessage {
    /// The download box changed.
    Down(String),
    /// The upload box changed.
    Up(String),
    /// The connected-peers box changed.
    Peers(String),
    /// The seeding goals changed.
    Goals(super::seed_goals::GoalMessage),
    /// OK: check and send.
    Save,
    /// Cancel (or Esc).
    Cancel,
}

/// The open dialog: which torrents, and the boxes as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LimitsDialog {
    /// The torrents the limits are for.
    pub hashes: Vec<InfoHash>,
    down: String,
    up: String,
    /// The connected-peers cap as typed ("0": the session's), and as it was when opened.
    peers: String,
    peers_were: String,
    /// The seeding goals as shown, and as they were when the dialog opened.
    goals: GoalsDraft,
    goals_were: GoalsDraft,
    /// Why OK was refused.
    pub problem: Option<String>,
}

impl LimitsDialog {
    /// A dialog for `hashes`, filled with `current` and `goals` (the first torrent's).
    pub fn new(
        hashes: Vec<InfoHash>,
        current: RateLimits,
        max_peers: Option<u32>,
        goals: &GoalOverride,
    ) -> LimitsDialog {
        let peers = max_peers.unwrap_or(0).to_string();
        LimitsDialog {
            hashes,
            down: kib_text(current.download),
            up: kib_text(current.upload),
            peers_were: peers.clone(),
            peers,
            goals: GoalsDraft::new(goals),
            goals_were: GoalsDraft::new(goals),
            problem: None,
        }
    }

    /// The typed limits, or why they are wrong.
    pub fn checked(&self) -> Result<RateLimits, String> {
        Ok(RateLimits::new(
            parse_kib(&self.down, fl!("limits-down"))?,
            parse_kib(&self.up, fl!("limits-up"))?,
        ))
    }

    /// The typed connected-peers cap when it was changed (`Some(None)`: the session's;
    /// `None`: as it was, not sent, so torrents selected together keep their own), or why it is
    /// wrong.
    pub fn checked_max_peers(&self) -> Result<Option<Option<u32>>, String> {
        if self.peers.trim() == self.peers_were {
            return Ok(None);
        }
        match self.peers.trim().parse::<u32>() {
            Ok(0) => Ok(Some(None)),
            Ok(n) if n <= MAX_PEERS => Ok(Some(Some(n))),
            _ => Err(fl!("limits-bad-peers", max = MAX_PEERS)),
        }
    }

    /// The typed seeding goals when they were changed (`None`: as they were, not sent, so
    /// torrents selected together keep goals of their own), or why they are wrong.
    pub fn checked_goals(&self) -> Result<Option<GoalOverride>, String> {
        if self.goals == self.goals_were {
            return Ok(None);
        }
        self.goals.checked().map(Some)
    }
}

fn limits_msg(m: LimitsMessage) -> Message {
    Message::Limits(m)
}

impl App {
    /// The limits dialog, while open.
    pub fn limits_dialog(&self) -> Option<&LimitsDialog> {
        self.limits_dialog.as_ref()
    }

    /// Opens "Set limits…" for the selected torrents.
    pub(super) fn open_limits_dialog(&mut self) {
        let selection = self.selection();
        if selection.is_empty() {
            return;
        }
        let (current, max_peers, goals) = self
            .list
            .torrents()
            .iter()
            .find(|t| selection.first() == Some(&t.info_hash))
            .map(|t| (t.limits, t.max_peers, t.seed_goals))
            .unwrap_or_default();
        self.limits_dialog = Some(LimitsDialog::new(selection, current, max_peers, &goals));
    }

    /// A message of the limits dialog.
    pub(super) fn on_limits(&mut self, message: LimitsMessage) -> Task<Message> {
        let Some(d) = self.limits_dialog.as_mut() else {
            return Task::none();
        };
        match message {
            LimitsMessage::Down(s) => d.down = s,
            LimitsMessage::Up(s) => d.up = s,
            LimitsMessage::Peers(s) => d.peers = s,
            LimitsMessage::Goals(m) => d.goals.update(m),
            LimitsMessage::Cancel => self.limits_dialog = None,
            LimitsMessage::Save => match d
                .checked()
                .and_then(|l| Ok((l, d.checked_max_peers()?, d.checked_goals()?)))
            {
                Ok((limits, max_peers, goals)) => {
                    let hashes = std::mem::take(&mut d.hashes);
                    self.limits_dialog = None;
                    for h in hashes {
                        self.send(Command::SetTorrentLimits(h, limits));
                        if let Some(max) = max_peers {
                            self.send(Command::SetTorrentMaxPeers(h, max));
                        }
                        if let Some(goals) = goals {
                            self.send(Command::SetTorrentSeedGoals(h, goals));
                        }
                    }
                }
                Err(problem) => d.problem = Some(problem),
            },
        }
        Task::none()
    }

    /// Switches the alternative limits on or off by hand (the status bar's button, a tray
    /// entry); saved with the settings.
    pub(super) fn toggle_alt_speed(&mut self) -> Task<Message> {
        let mut s = self.settings.clone();
        s.alt_speed = !s.alt_speed;
        self.apply_settings(s)
    }

    /// Tells the engine what changed in the speed settings between `old` and the settings now,
    /// and re-reads the schedule when it was switched on or edited.
    pub(super) fn apply_speed_settings(&mut self, old: &Settings) -> Task<Message> {
        let new = self.settings.clone();
        // Before the engine runs, it gets the settings in force once it does.
        if self.engine.is_some() {
            if new.speed_limits != old.speed_limits {
                self.send(Command::SetGlobalLimits(new.speed_limits));
            }
            if new.alt_speed_limits != old.alt_speed_limits {
                self.send(Command::SetAltLimits(new.alt_speed_limits));
            }
            if new.alt_speed != old.alt_speed {
                self.send(Command::SetAltSpeed(new.alt_speed));
            }
            if new.limit_overhead != old.limit_overhead {
                self.send(Command::SetLimitOverhead(new.limit_overhead));
            }
        }
        if new.alt_speed_scheduled
            && (!old.alt_speed_scheduled || new.alt_speed_schedule != old.alt_speed_schedule)
        {
            self.schedule.reset();
            return Task::done(Message::ScheduleTick);
        }
        Task::none()
    }

    /// The engine started (with the settings of the app's start): tells it the speed settings
    /// in force now, which the user may have changed meanwhile.
    pub(super) fn send_speed_settings(&mut self) {
        let s = &self.settings;
        let cmds = [
            Command::SetGlobalLimits(s.speed_limits),
            Command::SetAltLimits(s.alt_speed_limits),
            Command::SetAltSpeed(s.alt_speed),
            Command::SetLimitOverhead(s.limit_overhead),
            Command::SetQueueLimits(s.queue_limits()),
        ];
        for c in cmds {
            self.send(c);
        }
    }

    /// The minute tick: follows the schedule at the local weekday and hour.
    pub(super) fn on_schedule_tick(&mut self) -> Task<Message> {
        let (day, hour) = local_weekday_hour();
        self.follow_schedule(day, hour)
    }

    /// Follows the schedule at `day` (0 = Monday) and `hour`: switches the alternative limits
    /// when the schedule changes its value (a hand switch holds until then).
    pub fn follow_schedule(&mut self, day: usize, hour: usize) -> Task<Message> {
        if !self.settings.alt_speed_scheduled {
            return Task::none();
        }
        let scheduled = self.settings.alt_speed_schedule.is_on(day, hour);
        match self.schedule.step(scheduled) {
            Some(on) if on != self.settings.alt_speed => self.toggle_alt_speed(),
            _ => Task::none(),
        }
    }

    /// The status bar's part: the global limits in force and the alternative-limits switch.
    pub(super) fn limits_status(&self) -> Element<'_, Message> {
        let s = &self.snapshot;
        let on = s.alt_speed || (self.engine.is_none() && self.settings.alt_speed);
        let switch = button(text(fl!("status-alt-speed")).size(TEXT - 1.0))
            .padding([0, 6])
            .style(theme::switch(on))
            .on_press(Message::Action(super::Action::ToggleAltSpeed));
        let tip = if on {
            fl!("status-alt-speed-on")
        } else {
            fl!("status-alt-speed-off")
        };
        let limits = button(
            text(fl!(
                "status-limits",
                down = limit_text(s.limits.download),
                up = limit_text(s.limits.upload)
            ))
            .size(TEXT),
        )
        .padding(0)
        .style(theme::flat_button)
        .on_press(Message::OpenPreferencesAt(
            super::preferences::PrefTab::Speed,
        ));
        row![
            container(limits).id(LIMITS_STATUS_ID),
            container(tooltip(
                switch,
                container(text(tip).size(12)).padding(4).style(theme::menu),
                tooltip::Position::Top,
            ))
            .id(ALT_SPEED_ID),
        ]
        .spacing(8)
        .align_y(Alignment::Center)
        .into()
    }

    /// The limits dialog over the window.
    pub(super) fn limits_layer<'a>(&'a self, d: &'a LimitsDialog) -> Element<'a, Message> {
        let field =
            |label: String, value: &'a str, id: &'static str, m: fn(String) -> LimitsMessage| {
                row![
                    text(label).size(TEXT).width(Fill),
                    text_input("0", value)
                        .id(id)
                        .on_input(move |s| limits_msg(m(s)))
                        .on_submit(limits_msg(LimitsMessage::Save))
                        .size(TEXT)
                        .width(110),
                ]
                .spacing(8)
                .align_y(Alignment::Center)
            };
        let problem: Element<'_, Message> = match &d.problem {
            Some(p) => text(p.as_str()).size(TEXT).style(text::danger).into(),
            None => space().height(0).into(),
        };
        let dialog = container(
            column![
                text(fl!("limits-title", count = d.hashes.len())).size(TEXT + 2.0),
                field(
                    fl!("limits-down"),
                    &d.down,
                    LIMITS_DOWN_ID,
                    LimitsMessage::Down
                ),
                field(fl!("limits-up"), &d.up, LIMITS_UP_ID, LimitsMessage::Up),
                text(fl!("prefs-speed-units")).size(12).style(theme::label),
                field(
                    fl!("limits-max-peers"),
                    &d.peers,
                    LIMITS_PEERS_ID,
                    LimitsMessage::Peers
                ),
                text(fl!("limits-max-peers-note"))
                    .size(12)
                    .style(theme::label),
                d.goals.view(),
                problem,
                row![
                    space().width(Fill),
                    container(
                        button(text(fl!("cancel")).size(TEXT))
                            .on_press(limits_msg(LimitsMessage::Cancel))
                    )
                    .id(LIMITS_CANCEL_ID),
                    container(
                        button(text(fl!("dialog-ok")).size(TEXT))
                            .style(button::primary)
                            .on_press(limits_msg(LimitsMessage::Save))
                    )
                    .id(LIMITS_OK_ID),
                ]
                .spacing(8),
            ]
            .spacing(12),
        )
        .padding(16)
        .width(560)
        .style(theme::modal);
        opaque(center(dialog).style(theme::backdrop))
    }
}
