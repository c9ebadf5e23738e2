//! Seeding goals: a finished torrent pauses once its share ratio or its seeding time reaches
//! the session's goal ([`SeedGoals`]).
//!
//! The ratio is checked after every block handed to a peer, so on a fast link the torrent stops
//! within a block of its mark rather than a tick's worth of data later; the seeding time on each
//! tick. Resuming by hand a torrent that a goal paused waives the goals for it until the session
//! restarts (as in μTorrent: the user asked for more seeding).

use super::Torrent;
use crate::engine::api::{SeedGoals, TorrentState};
use std::time::Duration;

/// A torrent's progress towards its goals.
#[derive(Debug, Default)]
pub(super) struct GoalState {
    /// Time spent seeding since the torrent was started.
    pub seeded_for: Duration,
    /// A goal paused the torrent.
    stopped: bool,
    /// The user resumed it after a goal stopped it: goals no longer apply.
    waived: bool,
}

impl GoalState {
    /// The torrent is resumed (by the user): if a goal had stopped it, goals are waived.
    pub fn on_resume(&mut self) {
        if std::mem::take(&mut self.stopped) {
            self.waived = true;
        }
    }
}

/// Whether `goals` are reached by a torrent that uploaded `uploaded` bytes, downloaded
/// `downloaded`, holds `have` verified wanted bytes and has seeded for `seeded_for`.
pub(crate) fn reached(
    goals: &SeedGoals,
    uploaded: u64,
    downloaded: u64,
    have: u64,
    seeded_for: Duration,
) -> bool {
    let base = downloaded.max(have);
    let ratio_done = goals
        .ratio
        .is_some_and(|r| base > 0 && uploaded as f64 >= r * base as f64);
    let time_done = goals.seeding_time.is_some_and(|t| seeded_for >= t);
    ratio_done || time_done
}

impl Torrent {
    /// Pauses a seeding torrent that has reached a goal.
    pub(super) fn check_seed_goals(&mut self) {
        if self.state != TorrentState::Seeding || self.goals.waived {
            return;
        }
        let goals = *self
            .shared
            .seed_goals
            .read()
            .unwrap_or_else(|p| p.into_inner());
        if goals == SeedGoals::default() {
            return;
        }
        let have = self
            .wanted_total
            .saturating_sub(self.picker.wanted_bytes_left());
        if reached(
            &goals,
            self.uploaded,
            self.downloaded,
            have,
            self.goals.seeded_for,
        ) {
            super::log::info(&format!(
                "{}: seeding goal reached (uploaded {} bytes, seeded {:?}); pausing",
                self.meta.info_hash, self.uploaded, self.goals.seeded_for
            ));
            self.pause();
            self.goals.stopped = true;
            self.publish_stats();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIB: u64 = 1 << 20;

    #[test]
    fn no_goal_is_never_reached() {
        let none = SeedGoals::default();
        assert!(!reached(
            &none,
            100 * MIB,
            MIB,
            MIB,
            Duration::from_secs(1 << 30)
        ));
    }

    #[test]
    fn the_ratio_counts_against_what_was_downloaded_or_is_held() {
        let goals = SeedGoals {
            ratio: Some(1.5),
            seeding_time: None,
        };
        // Downloaded 2 MiB: stops at 3 MiB uploaded.
        assert!(!reached(
            &goals,
            3 * MIB - 1,
            2 * MIB,
            2 * MIB,
            Duration::ZERO
        ));
        assert!(reached(&goals, 3 * MIB, 2 * MIB, 2 * MIB, Duration::ZERO));
        // Seeded from our own files (nothing downloaded): against the data held.
        assert!(!reached(&goals, MIB, 0, MIB, Duration::ZERO));
        assert!(reached(&goals, MIB + MIB / 2, 0, MIB, Duration::ZERO));
        // Nothing held, nothing downloaded: no ratio, no division by zero.
        assert!(!reached(&goals, MIB, 0, 0, Duration::ZERO));
    }

    #[test]
    fn seeding_time_is_reached_on_its_own() {
        let goals = SeedGoals {
            ratio: Some(10.0),
            seeding_time: Some(Duration::from_secs(3600)),
        };
        assert!(!reached(&goals, 0, MIB, MIB, Duration::from_secs(3599)));
        assert!(reached(&goals, 0, MIB, MIB, Duration::from_secs(3600)));
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
