//! Token buckets that bound how many queries we answer, per source IP and in total.
//!
//! Anyone can send us queries, and each costs a reply. A [`QueryLimiter`] allows a burst and then a
//! steady rate per source IP, plus a global ceiling. The per-IP map is bounded: idle entries
//! (buckets that have refilled) are purged when it is full, and if it is still full a new IP is
//! refused until room frees up.

use std::collections::HashMap;
use std::net::IpAddr;
use std::time::Instant;

/// Most source IPs tracked at once.
pub const MAX_TRACKED_IPS: usize = 4096;

/// A token bucket: `rate` tokens a second, at most `burst` saved up.
#[derive(Debug, Clone, Copy)]
pub struct TokenBucket {
    tokens: f64,
    rate: f64,
    burst: f64,
    updated: Instant,
}

impl TokenBucket {
    pub fn new(rate: u32, burst: u32, now: Instant) -> Self {
        TokenBucket {
            tokens: f64::from(burst),
            rate: f64::from(rate),
            burst: f64::from(burst.max(1)),
            updated: now,
        }
    }

    fn refill(&mut self, now: Instant) {
        let dt = now.saturating_duration_since(self.updated).as_secs_f64();
        self.tokens = (self.tokens + dt * self.rate).min(self.burst);
        self.updated = now;
    }

    /// Takes one token if there is one.
    pub fn try_take(&mut self, now: Instant) -> bool {
        self.refill(now);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }

    fn is_full(&mut self, now: Instant) -> bool {
        self.refill(now);
        self.tokens >= self.burst
    }
}

/// Per-IP and global limits on incoming queries.
#[derive(Debug, Clone)]
pub struct QueryLimiter {
    per_ip: HashMap<IpAddr, TokenBucket>,
    global: TokenBucket,
    ip_rate: u32,
}

impl QueryLimiter {
    /// `ip_rate` and `global_rate` are queries a second; bursts are twice that.
    pub fn new(ip_rate: u32, global_rate: u32, now: Instant) -> Self {
        QueryLimiter {
            per_ip: HashMap::new(),
            global: TokenBucket::new(global_rate, global_rate.saturating_mul(2), now),
            ip_rate,
        }
    }

    /// Whether a query from `ip` may be answered now.
    pub fn allow(&mut self, ip: IpAddr, now: Instant) -> bool {
        if !self.per_ip.contains_key(&ip) && self.per_ip.len() >= MAX_TRACKED_IPS {
            self.purge_idle(now);
            if self.per_ip.len() >= MAX_TRACKED_IPS {
                return false;
            }
        }
        let rate = self.ip_rate;
        let bucket = self
            .per_ip
            .entry(ip)
            .or_insert_with(|| TokenBucket::new(rate, rate.saturating_mul(2), now));
        bucket.try_take(now) && self.global.try_take(now)
    }

    /// Forgets IPs whose bucket has refilled (they have been quiet).
    pub fn purge_idle(&mut self, now: Instant) {
        self.per_ip.retain(|_, b| !b.is_full(now));
    }

    pub fn tracked_ips(&self) -> usize {
        self.per_ip.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::Ipv4Addr;
    use std::time::Duration;

    fn ip(n: u32) -> IpAddr {
        IpAddr::V4(Ipv4Addr::from(n))
    }

    #[test]
    fn per_ip_burst_then_steady_rate() {
        let t0 = Instant::now();
        let mut l = QueryLimiter::new(10, 1000, t0);
        let allowed = (0..100).filter(|_| l.allow(ip(1), t0)).count();
        assert_eq!(allowed, 20, "burst is twice the rate");
        assert!(l.allow(ip(2), t0), "other IPs are not affected");
        let t1 = t0 + Duration::from_millis(500);
        let allowed = (0..100).filter(|_| l.allow(ip(1), t1)).count();
        assert_eq!(allowed, 5, "10 per second refill");
    }

    #[test]
    fn global_limit_caps_many_ips() {
        let t0 = Instant::now();
        let mut l = QueryLimiter::new(10, 50, t0);
        let allowed = (0..500).filter(|i| l.allow(ip(*i), t0)).count();
        assert_eq!(allowed, 100);
    }

    #[test]
    fn tracked_ips_are_bounded_and_idle_ones_purged() {
        let t0 = Instant::now();
        let mut l = QueryLimiter::new(1, 1_000_000, t0);
        for i in 0..(MAX_TRACKED_IPS as u32 + 500) {
            l.allow(ip(i), t0);
        }
        assert_eq!(l.tracked_ips(), MAX_TRACKED_IPS);
        assert!(!l.allow(ip(999_999), t0), "table full of busy IPs");
        let later = t0 + Duration::from_secs(10);
        assert!(l.allow(ip(999_999), later), "idle IPs purged");
        assert!(l.tracked_ips() <= 1);
    }
}
