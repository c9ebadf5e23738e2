//! The torrent queue: which started torrents may run now under the [`QueueLimits`], and which
//! wait their turn.
//!
//! The session keeps its torrents in queue order and, a few times a second and after every
//! command that could change the answer, asks [`plan`] which of them run. Only torrents that
//! want to run and are managed by the queue are planned: paused, errored, checking,
//! metadata-fetching and force-started torrents are left out (and so don't take a slot). A
//! torrent's own task enters [`crate::engine::api::TorrentState::Queued`] by itself when it is
//! ready to start while queueing is on, and waits for the session to let it go; so a torrent
//! never announces itself to a swarm only to be stopped a moment later.

use crate::engine::api::QueueLimits;

/// What a torrent would do if it ran.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// It has wanted data missing.
    Download,
    /// It has everything it wants.
    Seed,
}

/// One torrent that wants to run, as the plan sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Entry {
    /// Download or seed.
    pub kind: Kind,
    /// It runs now but has been slow long enough not to count (only with `ignore_slow`).
    pub slow: bool,
}

/// Whether each torrent (given in queue order) runs: going down the queue, one runs when the
/// slots it needs are free and takes them; a slow one runs without taking any.
pub(crate) fn plan(limits: &QueueLimits, entries: &[Entry]) -> Vec<bool> {
    let fits = |limit: Option<usize>, used: usize| limit.is_none_or(|l| used < l);
    let (mut downloads, mut seeds, mut active) = (0usize, 0usize, 0usize);
    entries
        .iter()
        .map(|e| {
            if e.slow && limits.ignore_slow {
                return true;
            }
            let (used, limit) = match e.kind {
                Kind::Download => (&mut downloads, limits.downloads),
                Kind::Seed => (&mut seeds, limits.seeds),
            };
            if fits(limit, *used) && fits(limits.active, active) {
                *used += 1;
                active += 1;
                true
            } else {
                false
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const D: Entry = Entry {
        kind: Kind::Download,
        slow: false,
    };
    const S: Entry = Entry {
        kind: Kind::Seed,
        slow: false,
    };

    fn limits(
        downloads: Option<usize>,
        seeds: Option<usize>,
        active: Option<usize>,
    ) -> QueueLimits {
        QueueLimits {
            downloads,
            seeds,
            active,
            ..QueueLimits::OFF
        }
    }

    #[test]
    fn without_limits_everything_runs() {
        assert_eq!(plan(&QueueLimits::OFF, &[D, S, D, S]), [true; 4]);
    }

    #[test]
    fn the_first_downloads_in_queue_order_take_the_download_slots() {
        let l = limits(Some(2), None, None);
        assert_eq!(
            plan(&l, &[D, D, D, D, D]),
            [true, true, false, false, false]
        );
        // Seeds are not held by the download limit.
        assert_eq!(plan(&l, &[S, D, S, D, D]), [true, true, true, true, false]);
    }

    #[test]
    fn seeds_and_downloads_share_the_active_slots() {
        let l = limits(Some(2), Some(2), Some(3));
        assert_eq!(plan(&l, &[S, D, S, D, S]), [true, true, true, false, false]);
        // A waiting download does not block a seed further down that still fits.
        let l = limits(Some(1), Some(3), Some(3));
        assert_eq!(plan(&l, &[D, D, S, S]), [true, false, true, true]);
    }

    #[test]
    fn zero_slots_hold_every_torrent_of_that_kind() {
        let l = limits(Some(0), None, None);
        assert_eq!(plan(&l, &[D, S, D]), [false, true, false]);
    }

    #[test]
    fn slow_torrents_run_without_a_slot_only_when_asked() {
        let slow = Entry {
            kind: Kind::Download,
            slow: true,
        };
        let mut l = limits(Some(1), None, None);
        assert_eq!(plan(&l, &[slow, D, D]), [true, false, false]);
        l.ignore_slow = true;
        assert_eq!(plan(&l, &[slow, D, D]), [true, true, false]);
    }
}
