//! Seeding goals: a finished torrent stops once its share ratio, its seeding time or its time
//! without uploading reaches a goal — the session's [`SeedGoals`], each overridable per torrent
//! ([`GoalOverride`]). Stopping means pausing, or, with the session's [`GoalAction::Remove`],
//! pausing and asking the session to remove the torrent (its data stays).
//!
//! The ratio is checked after every block handed to a peer, so on a fast link the torrent stops
//! within a block of its mark rather than a tick's worth of data later; the times on each tick.
//! Resuming by hand a torrent that a goal paused waives the goals for it until the session
//! restarts (as in μTorrent: the user asked for more seeding), unless the user then gives the
//! torrent goals of its own.

use super::Torrent;
use crate::engine::api::{GoalAction, GoalOverride, SeedGoals, TorrentState};
use crate::engine::session::Command;
use std::time::Duration;

/// A torrent's progress towards its goals.
#[derive(Debug, Default)]
pub(super) struct GoalState {
    /// Time spent seeding since the torrent was started.
    pub seeded_for: Duration,
    /// Time spent seeding since the last byte uploaded (or since seeding started).
    pub idle_for: Duration,
    /// Uploaded bytes at the last tick, to tell an idle tick.
    last_uploaded: u64,
    /// The torrent's own goals.
    pub own: GoalOverride,
    /// A goal paused the torrent.
    stopped: bool,
    /// The user resumed it after a goal stopped it: goals no longer apply.
    waived: bool,
}

impl GoalState {
    /// The torrent is resumed (by the user): if a goal had stopped it, goals are waived. The
    /// idle time starts again.
    pub fn on_resume(&mut self) {
        self.idle_for = Duration::ZERO;
        if std::mem::take(&mut self.stopped) {
            self.waived = true;
        }
    }

    /// A tick of `elapsed` spent seeding, with `uploaded` bytes uploaded in all.
    pub fn on_seeding_tick(&mut self, elapsed: Duration, uploaded: u64) {
        self.seeded_for += elapsed;
        if uploaded > self.last_uploaded {
            self.idle_for = Duration::ZERO;
        } else {
            self.idle_for += elapsed;
        }
        self.last_uploaded = uploaded;
    }
}

/// What a torrent has done towards its goals.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Progress {
    /// Payload bytes uploaded.
    pub uploaded: u64,
    /// Payload bytes downloaded.
    pub downloaded: u64,
    /// Verified wanted bytes held.
    pub have: u64,
    /// Time spent seeding.
    pub seeded_for: Duration,
    /// Time spent seeding without uploading.
    pub idle_for: Duration,
}

/// Whether `goals` are reached by a torrent that made `p` progress.
pub(crate) fn reached(goals: &SeedGoals, p: &Progress) -> bool {
    let base = p.downloaded.max(p.have);
    let ratio_done = goals
        .ratio
        .is_some_and(|r| base > 0 && p.uploaded as f64 >= r * base as f64);
    let time_done = goals.seeding_time.is_some_and(|t| p.seeded_for >= t);
    let idle_done = goals.idle_time.is_some_and(|t| p.idle_for >= t);
    ratio_done || time_done || idle_done
}

impl Torrent {
    /// Bytes that may still be handed to the peers' writers before the ratio goal is met
    /// (`None`: no ratio goal applies). Blocks beyond it wait, so the goal stops the torrent
    /// within a block of the ratio instead of after everything already queued.
    pub(super) fn upload_budget(&self) -> Option<u64> {
        if self.state != TorrentState::Seeding || self.goals.waived {
            return None;
        }
        let global = *self
            .shared
            .seed_goals
            .read()
            .unwrap_or_else(|p| p.into_inner());
        let ratio = self.goals.own.apply(&global).ratio?;
        let have = self
            .wanted_total
            .saturating_sub(self.picker.wanted_bytes_left());
        let base = self.downloaded.max(have);
        let goal = (ratio * base as f64).ceil() as u64;
        Some(goal.saturating_sub(self.uploaded + self.unsent))
    }

    /// Stops a seeding torrent that has reached a goal: pauses it, and with the remove action
    /// asks the session to remove it (data kept).
    pub(super) fn check_seed_goals(&mut self) {
        if self.state != TorrentState::Seeding || self.goals.waived {
            return;
        }
        let global = *self
            .shared
            .seed_goals
            .read()
            .unwrap_or_else(|p| p.into_inner());
        let goals = self.goals.own.apply(&global);
        if goals == SeedGoals::default() {
            return;
        }
        let progress = Progress {
            uploaded: self.uploaded,
            downloaded: self.downloaded,
            have: self
                .wanted_total
                .saturating_sub(self.picker.wanted_bytes_left()),
            seeded_for: self.goals.seeded_for,
            idle_for: self.goals.idle_for,
        };
        if !reached(&goals, &progress) {
            return;
        }
        let action = *self
            .shared
            .goal_action
            .read()
            .unwrap_or_else(|p| p.into_inner());
        super::log::info(&format!(
            "{}: seeding goal reached (uploaded {} bytes, seeded {:?}, idle {:?}); {action:?}",
            self.meta.info_hash, self.uploaded, self.goals.seeded_for, self.goals.idle_for
        ));
        self.pause();
        self.goals.stopped = true;
        self.publish_stats();
        if action == GoalAction::Remove
            && let Some(session) = self.shared.commands.upgrade()
        {
            let _ = session.send(Command::Remove {
                info_hash: self.meta.info_hash,
                delete_data: false,
            });
        }
    }

    /// Sets the torrent's own goals (kept in its resume data) and applies them at once; goals
    /// waived by a manual resume apply again, since the user just chose them.
    pub(super) fn set_own_goals(&mut self, goals: GoalOverride) {
        if goals == self.goals.own {
            return;
        }
        self.goals.own = goals;
        self.goals.waived = false;
        self.resume.note_totals();
        self.save_resume();
        self.publish_stats();
        self.check_seed_goals();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIB: u64 = 1 << 20;

    fn progress(uploaded: u64, downloaded: u64, have: u64, seeded_for: Duration) -> Progress {
        Progress {
            uploaded,
            downloaded,
            have,
            seeded_for,
            idle_for: Duration::ZERO,
        }
    }

    #[test]
    fn no_goal_is_never_reached() {
        let none = SeedGoals::default();
        assert!(!reached(
            &none,
            &progress(100 * MIB, MIB, MIB, Duration::from_secs(1 << 30))
        ));
    }

    #[test]
    fn the_ratio_counts_against_what_was_downloaded_or_is_held() {
        let goals = SeedGoals {
            ratio: Some(1.5),
            ..SeedGoals::default()
        };
        // Downloaded 2 MiB: stops at 3 MiB uploaded.
        assert!(!reached(
            &goals,
            &progress(3 * MIB - 1, 2 * MIB, 2 * MIB, Duration::ZERO)
        ));
        assert!(reached(
            &goals,
            &progress(3 * MIB, 2 * MIB, 2 * MIB, Duration::ZERO)
        ));
        // Seeded from our own files (nothing downloaded): against the data held.
        assert!(!reached(&goals, &progress(MIB, 0, MIB, Duration::ZERO)));
        assert!(reached(
            &goals,
            &progress(MIB + MIB / 2, 0, MIB, Duration::ZERO)
        ));
        // Nothing held, nothing downloaded: no ratio, no division by zero.
        assert!(!reached(&goals, &progress(MIB, 0, 0, Duration::ZERO)));
    }

    #[test]
    fn seeding_time_is_reached_on_its_own() {
        let goals = SeedGoals {
            ratio: Some(10.0),
            seeding_time: Some(Duration::from_secs(3600)),
            idle_time: None,
        };
        assert!(!reached(
            &goals,
            &progress(0, MIB, MIB, Duration::from_secs(3599))
        ));
        assert!(reached(
            &goals,
            &progress(0, MIB, MIB, Duration::from_secs(3600))
        ));
    }

    #[test]
    fn idle_time_counts_seeding_ticks_without_upload() {
        let goals = SeedGoals {
            idle_time: Some(Duration::from_secs(3)),
            ..SeedGoals::default()
        };
        let mut g = GoalState::default();
        let second = Duration::from_secs(1);
        let idle = |g: &GoalState| Progress {
            idle_for: g.idle_for,
            ..progress(0, MIB, MIB, g.seeded_for)
        };
        g.on_seeding_tick(second, 0);
        g.on_seeding_tick(second, 0);
        assert!(!reached(&goals, &idle(&g)));
        // An upload starts the idle time again.
        g.on_seeding_tick(second, 10);
        g.on_seeding_tick(second, 10);
        g.on_seeding_tick(second, 10);
        assert_eq!(g.idle_for, 2 * second);
        assert!(!reached(&goals, &idle(&g)));
        g.on_seeding_tick(second, 10);
        assert!(reached(&goals, &idle(&g)));
        assert_eq!(g.seeded_for, 6 * second);
        g.on_resume();
        assert_eq!(g.idle_for, Duration::ZERO);
    }

    #[test]
    fn a_torrent_s_own_goals_override_each_global_one() {
        use crate::engine::api::Limit;
        let global = SeedGoals {
            ratio: Some(2.0),
            seeding_time: Some(Duration::from_secs(60)),
            idle_time: None,
        };
        assert_eq!(GoalOverride::default().apply(&global), global);
        let own = GoalOverride {
            ratio: Limit::Unlimited,
            seeding_time: Limit::Global,
            idle_time: Limit::Value(Duration::from_secs(5)),
        };
        assert_eq!(
            own.apply(&global),
            SeedGoals {
                ratio: None,
                seeding_time: Some(Duration::from_secs(60)),
                idle_time: Some(Duration::from_secs(5)),
            }
        );
        assert!(!own.is_global());
    }

    #[test]
    fn resuming_after_a_goal_waives_the_goals_but_a_plain_resume_does_not() {
        let mut g = GoalState::default();
        g.on_resume();
        assert!(!g.waived);
        g.stopped = true;
        g.on_resume();
        assert!(g.waived && !g.stopped);
    }
}
