//! A torrent's own seeding goals in the "Set limits…" dialog: for each goal (share ratio,
//! seeding time, idle time) the session's default, no goal, or a value of its own
//! ([`GoalOverride`]).
//!
//! Pure state and view: the dialog ([`super::limits`]) owns a [`GoalsDraft`], routes its
//! messages here, and sends [`crate::engine::session::Command::SetTorrentSeedGoals`] on OK when
//! the goals changed. Times are typed in minutes, as on the BitTorrent page of Preferences.

use super::Message;
use super::limits::LimitsMessage;
use crate::engine::api::{GoalOverride, Limit};
use crate::fl;
use crate::settings::{MAX_SEED_MINUTES, MAX_SEED_RATIO};
use iced::widget::{column, container, pick_list, row, text, text_input};
use iced::{Alignment, Element, Fill};
use std::fmt;
use std::time::Duration;

const TEXT: f32 = 13.0;

/// Which of a torrent's goals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Goal {
    /// Share ratio.
    Ratio,
    /// Seeding time.
    SeedingTime,
    /// Time without upload.
    IdleTime,
}

impl Goal {
    const ALL: [Goal; 3] = [Goal::Ratio, Goal::SeedingTime, Goal::IdleTime];

    fn index(self) -> usize {
        match self {
            Goal::Ratio => 0,
            Goal::SeedingTime => 1,
            Goal::IdleTime => 2,
        }
    }

    fn label(self) -> String {
        match self {
            Goal::Ratio => fl!("prefs-seed-ratio"),
            Goal::SeedingTime => fl!("prefs-seed-minutes"),
            Goal::IdleTime => fl!("prefs-seed-idle"),
        }
    }

    /// Stable id of the goal's mode picker, for tests.
    pub fn mode_id(self) -> String {
        format!("goal-{self:?}-mode")
    }

    /// Stable id of the goal's value box, for tests.
    pub fn value_id(self) -> String {
        format!("goal-{self:?}-value")
    }
}

/// Where a goal comes from, in the picker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// The session's.
    Global,
    /// None for this torrent.
    Unlimited,
    /// The box's value.
    Value,
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&match self {
            Mode::Global => fl!("goal-global"),
            Mode::Unlimited => fl!("goal-unlimited"),
            Mode::Value => fl!("goal-value"),
        })
    }
}

/// What the user did to the goals.
#[derive(Debug, Clone)]
pub enum GoalMessage {
    /// A goal's mode was picked.
    Mode(Goal, Mode),
    /// A goal's box changed.
    Value(Goal, String),
}

/// The goals as shown: a mode and a typed value per goal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoalsDraft {
    modes: [Mode; 3],
    values: [String; 3],
}

fn mode_and_text<T>(limit: Limit<T>, show: impl Fn(T) -> String) -> (Mode, String) {
    match limit {
        Limit::Global => (Mode::Global, String::new()),
        Limit::Unlimited => (Mode::Unlimited, String::new()),
        Limit::Value(v) => (Mode::Value, show(v)),
    }
}

fn minutes(d: Duration) -> String {
    d.as_secs().div_ceil(60).to_string()
}

impl GoalsDraft {
    /// The draft of `goals`.
    pub fn new(goals: &GoalOverride) -> GoalsDraft {
        let (m0, v0) = mode_and_text(goals.ratio, |r| r.to_string());
        let (m1, v1) = mode_and_text(goals.seeding_time, minutes);
        let (m2, v2) = mode_and_text(goals.idle_time, minutes);
        GoalsDraft {
            modes: [m0, m1, m2],
            values: [v0, v1, v2],
        }
    }

    /// Handles a message.
    pub fn update(&mut self, message: GoalMessage) {
        match message {
            GoalMessage::Mode(g, m) => self.modes[g.index()] = m,
            GoalMessage::Value(g, v) => self.values[g.index()] = v,
        }
    }

    /// The goals typed, or what is wrong with them.
    pub fn checked(&self) -> Result<GoalOverride, String> {
        let ratio = self.limit(Goal::Ratio, |t| {
            t.replace(',', ".")
                .parse::<f64>()
                .ok()
                .filter(|r| r.is_finite() && (0.01..=MAX_SEED_RATIO).contains(r))
                .ok_or_else(|| fl!("prefs-bad-ratio", max = MAX_SEED_RATIO.to_string()))
        })?;
        let time = |goal: Goal| {
            self.limit(goal, |t| {
                t.parse::<u64>()
                    .ok()
                    .filter(|m| (1..=MAX_SEED_MINUTES).contains(m))
                    .map(|m| Duration::from_secs(m * 60))
                    .ok_or_else(|| {
                        fl!(
                            "prefs-bad-number",
                            field = goal.label(),
                            min = "1",
                            max = MAX_SEED_MINUTES.to_string()
                        )
                    })
            })
        };
        Ok(GoalOverride {
            ratio,
            seeding_time: time(Goal::SeedingTime)?,
            idle_time: time(Goal::IdleTime)?,
        })
    }

    fn limit<T>(
        &self,
        goal: Goal,
        parse: impl Fn(&str) -> Result<T, String>,
    ) -> Result<Limit<T>, String> {
        Ok(match self.modes[goal.index()] {
            Mode::Global => Limit::Global,
            Mode::Unlimited => Limit::Unlimited,
            Mode::Value => Limit::Value(parse(self.values[goal.index()].trim())?),
        })
    }

    /// The goals' lines: label, mode picker, value box (editable only for an own value).
    pub fn view(&self) -> Element<'_, Message> {
        let mut lines = column![text(fl!("prefs-seed-goals")).size(TEXT + 1.0)].spacing(8);
        for goal in Goal::ALL {
            let mode = self.modes[goal.index()];
            let mut value = text_input("", &self.values[goal.index()])
                .id(goal.value_id())
                .size(TEXT)
                .width(80);
            if mode == Mode::Value {
                value = value
                    .on_input(move |s| goal_msg(GoalMessage::Value(goal, s)))
                    .on_submit(Message::Limits(LimitsMessage::Save));
            }
            lines = lines.push(
                row![
                    text(goal.label()).size(TEXT).width(Fill),
                    container(
                        pick_list(
                            [Mode::Global, Mode::Unlimited, Mode::Value],
                            Some(mode),
                            move |m| goal_msg(GoalMessage::Mode(goal, m))
                        )
                        .text_size(TEXT)
                        .width(150)
                    )
                    .id(goal.mode_id()),
                    value,
                ]
                .spacing(8)
                .align_y(Alignment::Center),
            );
        }
        lines.into()
    }
}

fn goal_msg(m: GoalMessage) -> Message {
    Message::Limits(LimitsMessage::Goals(m))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn goals_round_trip_through_the_draft_and_bad_values_are_refused() {
        let goals = GoalOverride {
            ratio: Limit::Value(1.5),
            seeding_time: Limit::Unlimited,
            idle_time: Limit::Value(Duration::from_secs(600)),
        };
        let mut d = GoalsDraft::new(&goals);
        assert_eq!(d.checked().unwrap(), goals);
        d.update(GoalMessage::Mode(Goal::Ratio, Mode::Global));
        d.update(GoalMessage::Mode(Goal::SeedingTime, Mode::Value));
        d.update(GoalMessage::Value(Goal::SeedingTime, " 90 ".into()));
        assert_eq!(
            d.checked().unwrap(),
            GoalOverride {
                ratio: Limit::Global,
                seeding_time: Limit::Value(Duration::from_secs(5400)),
                idle_time: Limit::Value(Duration::from_secs(600)),
            }
        );
        d.update(GoalMessage::Value(Goal::IdleTime, "0".into()));
        assert!(d.checked().is_err());
        d.update(GoalMessage::Mode(Goal::IdleTime, Mode::Unlimited));
        assert!(d.checked().is_ok(), "a box not in use is not checked");
        d.update(GoalMessage::Mode(Goal::Ratio, Mode::Value));
        d.update(GoalMessage::Value(Goal::Ratio, "nan".into()));
        assert!(d.checked().is_err());
    }
}
