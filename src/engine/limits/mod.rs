//! Rate limiting: token buckets for the global and per-torrent download and upload limits, and
//! the weekly schedule of the alternative ("turtle") limits ([`schedule`]).
//!
//! Where the buckets sit: in the peer connection tasks (`peer::conn`). A limited reader waits
//! until its socket is readable, then takes a *quantum* of tokens from every bucket of its chain
//! (its torrent's, then the session's) and reads at most that many bytes; what it did not read
//! goes back. So a limited download really slows the peer down (the socket buffer and then the
//! TCP window fill up) instead of reading and dropping data. A limited writer takes the tokens
//! for a batch of messages before it writes it. Payload is always counted; protocol overhead
//! (message headers, requests, haves …) only when [`PeerBandwidth::overhead`] is set — otherwise
//! the reader gives back the bytes of every decoded frame that were not block payload.
//!
//! Fairness (the idea of libtorrent's bandwidth manager and Transmission's bandwidth.c, without
//! their code): every bucket serves its waiters strictly first come, first served (a FIFO
//! lock), and every waiter asks for the same small quantum, so the peers waiting on a bucket
//! take turns, one quantum each. A torrent with a low limit waits at its own bucket and leaves
//! the rest of the global one to the others; a torrent without a limit is never starved by one
//! with a high limit.
//!
//! Unlimited (rate 0) costs one relaxed atomic load per bucket per read or write.
//!
//! Must not depend on anything above the engine.

pub mod schedule;

use serde::{Deserialize, Serialize};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Seconds of tokens a bucket saves up while nobody uses them (its burst).
const BURST_SECONDS: f64 = 0.2;
/// The smallest burst, so a low limit still lets a whole block through at once.
const MIN_BURST: f64 = 16.0 * 1024.0;
/// The largest and smallest quantum a connection asks for at once.
const MAX_QUANTUM: u64 = 64 * 1024;
const MIN_QUANTUM: u64 = 2 * 1024;
/// Longest single sleep of a waiter, so a changed limit takes effect quickly.
const MAX_WAIT: Duration = Duration::from_millis(50);

/// A download and an upload limit in bytes per second; 0 is unlimited.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct RateLimits {
    /// Download limit, bytes per second (0: none).
    pub download: u64,
    /// Upload limit, bytes per second (0: none).
    pub upload: u64,
}

impl RateLimits {
    /// No limit either way.
    pub const UNLIMITED: RateLimits = RateLimits {
        download: 0,
        upload: 0,
    };

    /// Limits of `download` and `upload` bytes per second.
    pub const fn new(download: u64, upload: u64) -> RateLimits {
        RateLimits { download, upload }
    }
}

/// The token arithmetic of a bucket, apart from any clock or lock (so it is unit-testable).
///
/// Tokens may go negative (a debt): a waiter is served as soon as the balance is not negative
/// and takes its whole quantum, so a request larger than the burst still passes, and the long-
/// run rate is exactly the limit.
#[derive(Debug, Clone, Copy)]
pub struct TokenBalance {
    tokens: f64,
    last: Instant,
}

impl TokenBalance {
    /// An empty balance at `now`.
    pub fn new(now: Instant) -> TokenBalance {
        TokenBalance {
            tokens: 0.0,
            last: now,
        }
    }

    /// The burst of a bucket limited to `rate` bytes per second.
    pub fn burst(rate: u64) -> f64 {
        (rate as f64 * BURST_SECONDS).max(MIN_BURST)
    }

    /// Adds the tokens earned at `rate` since the last refill, up to the burst.
    pub fn refill(&mut self, rate: u64, now: Instant) {
        let elapsed = now.saturating_duration_since(self.last).as_secs_f64();
        self.last = now;
        self.tokens = (self.tokens + elapsed * rate as f64).min(Self::burst(rate));
    }

    /// Takes `n` tokens if the balance is not negative; else how long until it is at `rate`.
    pub fn take(&mut self, n: u64, rate: u64) -> Result<(), Duration> {
        if self.tokens >= 0.0 {
            self.tokens -= n as f64;
            Ok(())
        } else {
            Err(Duration::from_secs_f64(-self.tokens / rate.max(1) as f64))
        }
    }

    /// Gives back `n` tokens taken but not used (up to the burst).
    pub fn give_back(&mut self, n: u64, rate: u64) {
        self.tokens = (self.tokens + n as f64).min(Self::burst(rate));
    }

    /// The balance (negative: a debt).
    pub fn tokens(&self) -> f64 {
        self.tokens
    }
}

/// One token bucket: a rate (0: unlimited) and a balance, with waiters served in order.
#[derive(Debug)]
pub struct Bucket {
    rate: AtomicU64,
    balance: std::sync::Mutex<TokenBalance>,
    /// Whose turn it is: tokio's mutex is fair (FIFO), which makes the sharing fair.
    turn: tokio::sync::Mutex<()>,
}

impl Bucket {
    /// A bucket limited to `rate` bytes per second (0: unlimited).
    pub fn new(rate: u64) -> Arc<Bucket> {
        Arc::new(Bucket {
            rate: AtomicU64::new(rate),
            balance: std::sync::Mutex::new(TokenBalance::new(Instant::now())),
            turn: tokio::sync::Mutex::new(()),
        })
    }

    /// The limit in bytes per second (0: unlimited).
    pub fn rate(&self) -> u64 {
        self.rate.load(Ordering::Relaxed)
    }

    /// Whether a limit is set.
    #[inline]
    pub fn is_limited(&self) -> bool {
        self.rate() != 0
    }

    /// Changes the limit; waiters see it within [`MAX_WAIT`]. A bucket that becomes limited
    /// starts empty, so the new limit holds from now on.
    pub fn set_rate(&self, rate: u64) {
        let old = self.rate.swap(rate, Ordering::Relaxed);
        if old != rate {
            let mut b = self.balance();
            let now = Instant::now();
            if old == 0 {
                *b = TokenBalance::new(now);
            } else {
                b.refill(old, now);
                b.tokens = b.tokens.min(TokenBalance::burst(rate));
            }
        }
    }

    fn balance(&self) -> std::sync::MutexGuard<'_, TokenBalance> {
        // A panic while holding this lock leaves plain numbers behind: still usable.
        self.balance.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Waits for `n` tokens, in turn with the other waiters. Returns at once when unlimited.
    pub async fn acquire(&self, n: u64) {
        if !self.is_limited() {
            return;
        }
        let _turn = self.turn.lock().await;
        loop {
            let rate = self.rate();
            if rate == 0 {
                return;
            }
            let wait = {
                let mut b = self.balance();
                b.refill(rate, Instant::now());
                b.take(n, rate)
            };
            match wait {
                Ok(()) => return,
                Err(d) => tokio::time::sleep(d.clamp(Duration::from_millis(1), MAX_WAIT)).await,
            }
        }
    }

    /// Gives back tokens taken but not used.
    pub fn give_back(&self, n: u64) {
        let rate = self.rate();
        if rate != 0 && n > 0 {
            self.balance().give_back(n, rate);
        }
    }
}

/// The session's buckets and whether protocol overhead counts.
#[derive(Debug, Clone)]
pub struct SessionBandwidth {
    /// Global download limit.
    pub download: Arc<Bucket>,
    /// Global upload limit.
    pub upload: Arc<Bucket>,
    /// Count protocol overhead too, not only payload (shared with every connection, so a
    /// change applies to them at once).
    pub overhead: Arc<std::sync::atomic::AtomicBool>,
}

impl SessionBandwidth {
    /// Buckets at `limits`.
    pub fn new(limits: RateLimits, overhead: bool) -> SessionBandwidth {
        SessionBandwidth {
            download: Bucket::new(limits.download),
            upload: Bucket::new(limits.upload),
            overhead: Arc::new(std::sync::atomic::AtomicBool::new(overhead)),
        }
    }

    /// Counts protocol overhead too (`true`), or only payload, from now on.
    pub fn set_overhead(&self, on: bool) {
        self.overhead
            .store(on, std::sync::atomic::Ordering::Relaxed);
    }

    /// Sets both limits.
    pub fn set(&self, limits: RateLimits) {
        self.download.set_rate(limits.download);
        self.upload.set_rate(limits.upload);
    }

    /// The limits in force.
    pub fn limits(&self) -> RateLimits {
        RateLimits::new(self.download.rate(), self.upload.rate())
    }
}

/// A torrent's own buckets.
#[derive(Debug, Clone)]
pub struct TorrentBandwidth {
    /// Its download limit.
    pub download: Arc<Bucket>,
    /// Its upload limit.
    pub upload: Arc<Bucket>,
}

impl TorrentBandwidth {
    /// Buckets at `limits`.
    pub fn new(limits: RateLimits) -> TorrentBandwidth {
        TorrentBandwidth {
            download: Bucket::new(limits.download),
            upload: Bucket::new(limits.upload),
        }
    }

    /// Sets both limits.
    pub fn set(&self, limits: RateLimits) {
        self.download.set_rate(limits.download);
        self.upload.set_rate(limits.upload);
    }

    /// The limits set.
    pub fn limits(&self) -> RateLimits {
        RateLimits::new(self.download.rate(), self.upload.rate())
    }
}

/// The buckets one direction of a connection draws from: its torrent's, then the session's.
#[derive(Debug, Clone)]
pub struct Chain {
    torrent: Arc<Bucket>,
    global: Arc<Bucket>,
}

impl Chain {
    /// Whether any bucket of the chain is limited (the hot-path check).
    #[inline]
    pub fn is_limited(&self) -> bool {
        self.torrent.is_limited() || self.global.is_limited()
    }

    /// How many bytes to ask for at once: about 1/16 s of the tightest limit, so waiters take
    /// short turns, within [`MIN_QUANTUM`, `MAX_QUANTUM`].
    pub fn quantum(&self) -> u64 {
        let tightest = [self.torrent.rate(), self.global.rate()]
            .into_iter()
            .filter(|&r| r != 0)
            .min()
            .unwrap_or(0);
        if tightest == 0 {
            MAX_QUANTUM
        } else {
            (tightest / 16).clamp(MIN_QUANTUM, MAX_QUANTUM)
        }
    }

    /// Waits for `n` tokens from every limited bucket of the chain, in order.
    pub async fn acquire(&self, n: u64) {
        self.torrent.acquire(n).await;
        self.global.acquire(n).await;
    }

    /// Gives `n` unused tokens back to every bucket of the chain.
    pub fn give_back(&self, n: u64) {
        self.torrent.give_back(n);
        self.global.give_back(n);
    }
}

/// What a peer connection is limited by.
#[derive(Debug, Clone)]
pub struct PeerBandwidth {
    /// Bytes read from the peer.
    pub download: Chain,
    /// Bytes written to the peer.
    pub upload: Chain,
    /// Count protocol overhead too, not only block payload (the session's switch).
    pub overhead: Arc<std::sync::atomic::AtomicBool>,
}

impl PeerBandwidth {
    /// Protocol overhead counts now.
    pub fn counts_overhead(&self) -> bool {
        self.overhead.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// A connection of a torrent with buckets `torrent` in a session with `session`.
    pub fn new(torrent: &TorrentBandwidth, session: &SessionBandwidth) -> PeerBandwidth {
        PeerBandwidth {
            download: Chain {
                torrent: torrent.download.clone(),
                global: session.download.clone(),
            },
            upload: Chain {
                torrent: torrent.upload.clone(),
                global: session.upload.clone(),
            },
            overhead: session.overhead.clone(),
        }
    }

    /// A connection limited only by the session (a magnet's metadata fetcher).
    pub fn session_only(session: &SessionBandwidth) -> PeerBandwidth {
        PeerBandwidth::new(&TorrentBandwidth::new(RateLimits::UNLIMITED), session)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests;
