//! The weekly schedule of the alternative ("turtle") limits: a 7 × 24 grid of hours, as in
//! μTorrent, each hour on (alternative limits) or off (normal limits).
//!
//! Pure logic, no clock: the front end reads the local weekday and hour and asks
//! [`WeekSchedule::is_on`]; [`ScheduleFollower`] turns the scheduled value into on/off switches
//! only when the schedule changes its mind, so a hand toggle holds until the next change.

use serde::{Deserialize, Serialize};

/// Hours in a day: the bits of one weekday's mask.
pub const HOURS: usize = 24;
/// Days in a week; 0 is Monday (ISO 8601), 6 is Sunday.
pub const DAYS: usize = 7;
const DAY_MASK: u32 = (1 << HOURS) - 1;

/// Which hours of the week use the alternative limits: bit `h` of `days[d]` is hour `h`
/// (local time, `h:00`–`h:59`) of weekday `d` (0 = Monday).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct WeekSchedule {
    /// One 24-bit mask a weekday, Monday first.
    pub days: [u32; DAYS],
}

impl WeekSchedule {
    /// Whether hour `hour` (0–23) of weekday `day` (0 = Monday) is on; out of range is off.
    pub fn is_on(&self, day: usize, hour: usize) -> bool {
        hour < HOURS && self.days.get(day).is_some_and(|m| m & (1 << hour) != 0)
    }

    /// Sets one hour; out of range is ignored.
    pub fn set(&mut self, day: usize, hour: usize, on: bool) {
        if hour >= HOURS {
            return;
        }
        if let Some(m) = self.days.get_mut(day) {
            if on {
                *m |= 1 << hour;
            } else {
                *m &= !(1 << hour);
            }
        }
    }

    /// Flips one hour.
    pub fn toggle(&mut self, day: usize, hour: usize) {
        let on = self.is_on(day, hour);
        self.set(day, hour, !on);
    }

    /// The same schedule with stray bits (hours past 23, from a hand-edited file) cleared.
    pub fn clamped(mut self) -> WeekSchedule {
        for m in &mut self.days {
            *m &= DAY_MASK;
        }
        self
    }

    /// Whether no hour is on.
    pub fn is_empty(&self) -> bool {
        self.days.iter().all(|m| m & DAY_MASK == 0)
    }
}

/// Follows a schedule: reports a switch when the scheduled value changes (and at the first
/// look), never in between, so the user's hand toggle lasts until the next scheduled change.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ScheduleFollower {
    last: Option<bool>,
}

impl ScheduleFollower {
    /// The schedule says `scheduled` now: `Some(on)` when alternative limits must be switched
    /// to `on`, `None` when nothing changed since the last call.
    pub fn step(&mut self, scheduled: bool) -> Option<bool> {
        let changed = self.last != Some(scheduled);
        self.last = Some(scheduled);
        changed.then_some(scheduled)
    }

    /// Forgets the last value (the schedule was switched on or edited): the next step switches.
    pub fn reset(&mut self) {
        self.last = None;
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn empty_schedule_is_off_everywhere() {
        let s = WeekSchedule::default();
        for d in 0..DAYS {
            for h in 0..HOURS {
                assert!(!s.is_on(d, h));
            }
        }
        assert!(s.is_empty());
    }

    #[test]
    fn set_hour_is_on_only_there() {
        let mut s = WeekSchedule::default();
        s.set(2, 23, true); // Wednesday 23:00–23:59
        s.set(6, 0, true); // Sunday 00:00–00:59
        for d in 0..DAYS {
            for h in 0..HOURS {
                assert_eq!(
                    s.is_on(d, h),
                    (d, h) == (2, 23) || (d, h) == (6, 0),
                    "{d} {h}"
                );
            }
        }
        s.toggle(2, 23);
        assert!(!s.is_on(2, 23));
        assert!(s.is_on(6, 0));
    }

    #[test]
    fn out_of_range_is_off_and_ignored() {
        let mut s = WeekSchedule::default();
        s.set(7, 3, true);
        s.set(0, 24, true);
        assert!(s.is_empty());
        assert!(!s.is_on(7, 3));
        assert!(!s.is_on(0, 24));
    }

    #[test]
    fn clamped_drops_bits_past_hour_23() {
        let s = WeekSchedule {
            days: [u32::MAX, 0, 0, 0, 0, 0, 1 << 5],
        }
        .clamped();
        assert_eq!(s.days[0], DAY_MASK);
        assert!(s.is_on(0, 23));
        assert!(s.is_on(6, 5));
    }

    #[test]
    fn old_files_without_schedule_load_as_empty() {
        let s: WeekSchedule = serde_json::from_str("{}").unwrap_or_default();
        assert!(s.is_empty());
        let s: WeekSchedule = serde_json::from_str(r#"{"days":[1,0,0,0,0,0,0]}"#).unwrap();
        assert!(s.is_on(0, 0));
    }

    #[test]
    fn follower_switches_only_when_the_schedule_changes() {
        let mut f = ScheduleFollower::default();
        assert_eq!(f.step(false), Some(false)); // first look: apply
        assert_eq!(f.step(false), None); // a hand toggle now would stay
        assert_eq!(f.step(true), Some(true));
        assert_eq!(f.step(true), None);
        assert_eq!(f.step(false), Some(false));
        f.reset();
        assert_eq!(f.step(false), Some(false));
    }
}
