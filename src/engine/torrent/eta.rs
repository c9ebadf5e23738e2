//! The time-to-finish estimate of a downloading torrent: a smoothed download rate and what is
//! left, with an honest "never" when the swarm cannot finish it.
//!
//! The rate is an exponential moving average of the per-tick samples with a time constant of
//! [`SMOOTHING`], so one burst or one silent second moves it by a fraction, not by its whole
//! size; the first sample with data seeds the average directly (no slow climb from zero). The
//! estimate is [`Eta::Infinite`] — not a huge number — when no connected peer has any missing
//! wanted piece (at once), when nothing arrived for a whole smoothing window (a stalled swarm),
//! or when the result would exceed [`MAX_ETA`]. Before the first byte arrives it is
//! [`Eta::Unknown`], until the stall window says otherwise.
//!
//! Pure bookkeeping: no clock of its own (the torrent task passes the elapsed time of each
//! tick), no I/O, so traces can be replayed in tests.

use crate::engine::api::Eta;
use std::time::Duration;

/// Time constant of the rate's moving average; also how long a silence must last before the
/// swarm counts as stalled.
pub const SMOOTHING: Duration = Duration::from_secs(10);
/// Estimates beyond this are shown as infinite.
pub const MAX_ETA: Duration = Duration::from_secs(100 * 86_400);
/// A smoothed rate below this many bytes per second counts as no rate.
const MIN_RATE: f64 = 1.0;

/// A torrent's download-rate average and the estimate built on it.
#[derive(Debug, Clone, Default)]
pub struct EtaEstimator {
    /// Bytes counted since the last sample.
    pending: u64,
    /// Smoothed bytes per second; `None` until the first sample with data.
    rate: Option<f64>,
    /// How long nothing has arrived.
    silent_for: Duration,
}

impl EtaEstimator {
    /// Counts payload bytes that arrived.
    pub fn add(&mut self, bytes: u64) {
        self.pending = self.pending.saturating_add(bytes);
    }

    /// Folds the bytes since the last sample, which was `elapsed` ago, into the average.
    pub fn sample(&mut self, elapsed: Duration) {
        let bytes = std::mem::take(&mut self.pending);
        let seconds = elapsed.as_secs_f64();
        if seconds <= 0.0 {
            self.pending = bytes;
            return;
        }
        let now = bytes as f64 / seconds;
        if bytes == 0 {
            self.silent_for = self.silent_for.saturating_add(elapsed);
        } else {
            self.silent_for = Duration::ZERO;
        }
        self.rate = match self.rate {
            None if bytes == 0 => None,
            None => Some(now),
            Some(old) => {
                let alpha = 1.0 - (-seconds / SMOOTHING.as_secs_f64()).exp();
                Some(old + alpha * (now - old))
            }
        };
    }

    /// Forgets the average (the torrent paused, or started downloading again).
    pub fn reset(&mut self) {
        *self = EtaEstimator::default();
    }

    /// The smoothed rate, bytes per second (0 before any data).
    pub fn rate(&self) -> f64 {
        self.rate.unwrap_or(0.0)
    }

    /// The estimate for `remaining` wanted bytes not yet verified; `available` says whether a
    /// connected source has at least one of the missing wanted pieces.
    pub fn estimate(&self, remaining: u64, available: bool) -> Eta {
        if remaining == 0 {
            return Eta::Unknown;
        }
        if !available || self.silent_for >= SMOOTHING {
            return Eta::Infinite;
        }
        let Some(rate) = self.rate else {
            return Eta::Unknown;
        };
        if rate < MIN_RATE {
            return Eta::Infinite;
        }
        let seconds = remaining as f64 / rate;
        if seconds >= MAX_ETA.as_secs_f64() {
            return Eta::Infinite;
        }
        Eta::Finite(Duration::from_secs_f64(seconds.ceil()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECOND: Duration = Duration::from_secs(1);
    const KIB: u64 = 1024;

    /// Feeds one sample per second, `bytes` each.
    fn feed(e: &mut EtaEstimator, trace: &[u64]) {
        for &bytes in trace {
            e.add(bytes);
            e.sample(SECOND);
        }
    }

    fn seconds(eta: Eta) -> u64 {
        match eta {
            Eta::Finite(d) => d.as_secs(),
            other => panic!("expected a finite ETA, got {other:?}"),
        }
    }

    #[test]
    fn steady_rate_gives_remaining_over_rate() {
        let mut e = EtaEstimator::default();
        assert_eq!(e.estimate(1000 * KIB, true), Eta::Unknown);
        feed(&mut e, &[100 * KIB; 30]);
        assert!((e.rate() - 100.0 * KIB as f64).abs() < 1.0);
        assert_eq!(seconds(e.estimate(1000 * KIB, true)), 10);
    }

    #[test]
    fn bursty_rate_stays_within_a_band() {
        let mut e = EtaEstimator::default();
        // 200 KiB every other second: 100 KiB/s on average.
        feed(&mut e, &[100 * KIB; 10]);
        for _ in 0..60 {
            feed(&mut e, &[200 * KIB, 0]);
            let rate = e.rate() / KIB as f64;
            assert!((85.0..=115.0).contains(&rate), "rate {rate} KiB/s");
            let eta = seconds(e.estimate(1000 * KIB, true));
            assert!((8..=12).contains(&eta), "eta {eta} s");
        }
        // One huge burst moves the average by a fraction of its size only.
        feed(&mut e, &[2000 * KIB]);
        assert!(e.rate() < 400.0 * KIB as f64, "rate {}", e.rate());
    }

    #[test]
    fn a_stalled_swarm_becomes_infinite_after_the_smoothing_window() {
        let mut e = EtaEstimator::default();
        feed(&mut e, &[100 * KIB; 20]);
        let window = SMOOTHING.as_secs() as usize;
        feed(&mut e, &vec![0; window - 1]);
        let before = seconds(e.estimate(1000 * KIB, true));
        assert!(before > 10, "slower estimate while stalling: {before}");
        feed(&mut e, &[0]);
        assert_eq!(e.estimate(1000 * KIB, true), Eta::Infinite);
        // Data flows again: finite at once.
        feed(&mut e, &[100 * KIB]);
        assert!(matches!(e.estimate(1000 * KIB, true), Eta::Finite(_)));
    }

    #[test]
    fn no_data_ever_is_unknown_then_infinite() {
        let mut e = EtaEstimator::default();
        feed(&mut e, &[0; 3]);
        assert_eq!(e.estimate(KIB, true), Eta::Unknown);
        feed(&mut e, &vec![0; SMOOTHING.as_secs() as usize]);
        assert_eq!(e.estimate(KIB, true), Eta::Infinite);
    }

    #[test]
    fn unavailable_pieces_are_infinite_at_once_and_finite_when_back() {
        let mut e = EtaEstimator::default();
        feed(&mut e, &[100 * KIB; 20]);
        assert_eq!(e.estimate(1000 * KIB, false), Eta::Infinite);
        assert_eq!(seconds(e.estimate(1000 * KIB, true)), 10);
    }

    #[test]
    fn absurd_estimates_are_infinite_and_nothing_left_is_unknown() {
        let mut e = EtaEstimator::default();
        feed(&mut e, &[2; 20]);
        assert_eq!(e.estimate(1 << 40, true), Eta::Infinite);
        assert_eq!(e.estimate(0, true), Eta::Unknown);
        e.reset();
        assert_eq!(e.rate(), 0.0);
    }
}
