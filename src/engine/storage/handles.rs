//! How many file handles the storages of this process keep open.
//!
//! A storage keeps the handles of the files it reads and writes in a cache ([`super::Storage`]),
//! so that the blocks of a file, which arrive in random order, do not each open it again: with
//! 64 handles per torrent, a download of 2,000 files opened each 3.7 times; reopening
//! (`openat`, `fstat`, `close`, a second handle for direct writes) took about 2 % of its CPU
//! samples in `perf`, too little to show in its CPU time over three alternating pairs.
//!
//! On Unix a process may only have so many descriptors open (`RLIMIT_NOFILE`). The soft limit
//! is often low (1,024 on most Linux desktops, 256 on macOS) while the hard limit allows far
//! more, so [`raise_limit`] lifts the soft limit at start-up, as transmission and Go programs
//! do. The handles of every storage together then stay within [`budget`]: the limit less
//! [`RESERVED`] for sockets and everything else, halved because a file written past the page
//! cache has two handles.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Descriptors left to everything but cached files: peer connections (500 by default), trackers,
/// the DHT, the window's own.
pub const RESERVED: u64 = 1024;

/// The soft limit [`raise_limit`] asks for, at most.
#[cfg(unix)]
const WANTED: u64 = 65_536;

/// Cached files in every storage together, at least (whatever the limit says) and at most.
const BUDGET_RANGE: (usize, usize) = (32, 8192);

/// Files cached by every storage of the process now.
static CACHED: AtomicUsize = AtomicUsize::new(0);

/// Lifts the soft limit on open descriptors towards the hard one (at most [`WANTED`]). Call it
/// first thing, before [`budget`] is first asked. Nothing where there is no such limit.
pub fn raise_limit() {
    #[cfg(unix)]
    {
        use rustix::process::{Resource, Rlimit, getrlimit, setrlimit};
        let now = getrlimit(Resource::Nofile);
        let want = now.maximum.map_or(WANTED, |hard| hard.min(WANTED));
        if now.current.is_some_and(|soft| soft < want) {
            // macOS refuses a soft limit over OPEN_MAX (10,240) whatever the hard one says.
            for soft in [want, want.min(10_240)] {
                let new = Rlimit {
                    current: Some(soft),
                    maximum: now.maximum,
                };
                if setrlimit(Resource::Nofile, new).is_ok() {
                    break;
                }
            }
        }
    }
}

/// How many files every storage together may keep open: from the soft limit on descriptors
/// at the first call.
pub fn budget() -> usize {
    static BUDGET: OnceLock<usize> = OnceLock::new();
    *BUDGET.get_or_init(|| {
        #[cfg(unix)]
        let soft = rustix::process::getrlimit(rustix::process::Resource::Nofile).current;
        // Windows counts handles, not descriptors, and has no such low limit.
        #[cfg(not(unix))]
        let soft: Option<u64> = None;
        let (least, most) = BUDGET_RANGE;
        match soft {
            None => most,
            Some(soft) => usize::try_from(soft.saturating_sub(RESERVED) / 2)
                .unwrap_or(most)
                .clamp(least, most),
        }
    })
}

/// Whether the storages together keep as many files open as [`budget`] allows.
pub fn spent() -> bool {
    CACHED.load(Ordering::Relaxed) >= budget()
}

/// Counts one cached file for as long as it lives.
#[derive(Debug)]
pub(super) struct Counted(());

impl Counted {
    pub(super) fn new() -> Counted {
        CACHED.fetch_add(1, Ordering::Relaxed);
        Counted(())
    }
}

impl Drop for Counted {
    fn drop(&mut self) {
        CACHED.fetch_sub(1, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_budget_follows_the_limit_and_stays_in_range() {
        raise_limit();
        let b = budget();
        assert!((BUDGET_RANGE.0..=BUDGET_RANGE.1).contains(&b), "{b}");
        #[cfg(unix)]
        {
            let now = rustix::process::getrlimit(rustix::process::Resource::Nofile);
            // Raised as far as asked (or as the hard limit lets it).
            let want = now.maximum.map_or(WANTED, |hard| hard.min(WANTED));
            assert!(now.current.is_none_or(|soft| soft >= want.min(10_240)));
            // Room for the budget's handles, two per file, and the reserve.
            if let Some(soft) = now.current
                && soft >= RESERVED + 2 * BUDGET_RANGE.0 as u64
            {
                assert!(RESERVED + 2 * b as u64 <= soft, "{b} files for {soft}");
            }
        }
    }
}
