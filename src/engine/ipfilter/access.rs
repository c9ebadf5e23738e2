//! Who a session may talk to: the IP filter in force and the banned addresses, shared by the
//! accept loop, every torrent and every magnet's metadata fetcher, with a count of the
//! connections refused because of them.
//!
//! Both can change while the session runs ([`PeerAccess::set_filter`], [`PeerAccess::ban`]);
//! the session then tells its torrents to drop the peers no longer allowed. Locks are held only
//! for a lookup, never across an `.await`.

use super::IpFilter;
use std::collections::HashSet;
use std::net::IpAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

/// Banned addresses kept at most (the list comes from the user's settings file).
pub const MAX_BANS: usize = 10_000;

/// The filter, the bans and the refusal counter of a session.
#[derive(Debug, Default)]
pub struct PeerAccess {
    filter: RwLock<Option<Arc<IpFilter>>>,
    banned: RwLock<HashSet<IpAddr>>,
    refused: AtomicU64,
}

impl PeerAccess {
    /// Access with `filter` in force and `banned` refused (at most [`MAX_BANS`] of them).
    pub fn new(filter: Option<Arc<IpFilter>>, banned: &[IpAddr]) -> PeerAccess {
        PeerAccess {
            filter: RwLock::new(filter),
            banned: RwLock::new(
                banned
                    .iter()
                    .take(MAX_BANS)
                    .map(|ip| ip.to_canonical())
                    .collect(),
            ),
            refused: AtomicU64::new(0),
        }
    }

    /// Whether we may talk to `ip` (not counted).
    pub fn allows(&self, ip: IpAddr) -> bool {
        let ip = ip.to_canonical();
        let banned = self
            .banned
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .contains(&ip);
        !banned
            && !self
                .filter
                .read()
                .unwrap_or_else(|p| p.into_inner())
                .as_ref()
                .is_some_and(|f| f.is_blocked(ip))
    }

    /// Whether a connection with `ip` may be made or accepted; a refusal is counted.
    pub fn admit(&self, ip: IpAddr) -> bool {
        let allowed = self.allows(ip);
        if !allowed {
            self.refused.fetch_add(1, Ordering::Relaxed);
        }
        allowed
    }

    /// Connections refused so far (incoming closed, outgoing never attempted).
    pub fn refused(&self) -> u64 {
        self.refused.load(Ordering::Relaxed)
    }

    /// Puts `filter` in force (`None`: no filter).
    pub fn set_filter(&self, filter: Option<Arc<IpFilter>>) {
        *self.filter.write().unwrap_or_else(|p| p.into_inner()) = filter;
    }

    /// Refuses `ip` from now on; `false` when the list is full.
    pub fn ban(&self, ip: IpAddr) -> bool {
        let mut banned = self.banned.write().unwrap_or_else(|p| p.into_inner());
        if banned.len() >= MAX_BANS && !banned.contains(&ip.to_canonical()) {
            return false;
        }
        banned.insert(ip.to_canonical());
        true
    }

    /// Allows `ip` again (the filter still applies).
    pub fn unban(&self, ip: IpAddr) {
        self.banned
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&ip.to_canonical());
    }
}
