//! Peers announced to us with `announce_peer` (BEP 5), served back in `get_peers` replies.
//!
//! Bounded in every direction a remote can push: at most [`MAX_INFO_HASHES`] info-hashes, at most
//! [`MAX_PEERS_PER_HASH`] peers each (a new peer then replaces the stalest one), and every entry
//! expires [`PEER_TTL`] after its last announce. Replies carry at most [`MAX_VALUES_IN_REPLY`]
//! peers, a random sample, so a reply with `nodes` and a token stays well under 1,400 bytes.

use rand::seq::IndexedRandom;
use std::collections::HashMap;
use std::net::SocketAddrV4;
use std::time::{Duration, Instant};

/// An announce is forgotten this long after it was made (BEP 5 leaves it open; 30 minutes is
/// what libtorrent and others use, twice the usual re-announce interval).
pub const PEER_TTL: Duration = Duration::from_secs(30 * 60);
/// Most info-hashes we store peers for.
pub const MAX_INFO_HASHES: usize = 2000;
/// Most peers stored per info-hash.
pub const MAX_PEERS_PER_HASH: usize = 100;
/// Most peers in one `values` list (6 + 2 bytes each on the wire).
pub const MAX_VALUES_IN_REPLY: usize = 50;

/// What [`PeerStore::announce`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stored {
    New,
    Refreshed,
    /// Full of peers for this info-hash: the stalest one made room.
    ReplacedStalest,
    /// Full of info-hashes: not stored.
    Refused,
}

/// Announced peers per info-hash, each with the time of its last announce.
#[derive(Debug, Clone, Default)]
pub struct PeerStore {
    torrents: HashMap<[u8; 20], HashMap<SocketAddrV4, Instant>>,
}

impl PeerStore {
    pub fn announce(&mut self, info_hash: [u8; 20], peer: SocketAddrV4, now: Instant) -> Stored {
        if !self.torrents.contains_key(&info_hash) && self.torrents.len() >= MAX_INFO_HASHES {
            self.expire(now);
            if self.torrents.len() >= MAX_INFO_HASHES {
                return Stored::Refused;
            }
        }
        let peers = self.torrents.entry(info_hash).or_default();
        if let Some(seen) = peers.get_mut(&peer) {
            *seen = now;
            return Stored::Refreshed;
        }
        let mut outcome = Stored::New;
        if peers.len() >= MAX_PEERS_PER_HASH
            && let Some(stalest) = peers.iter().min_by_key(|(_, t)| **t).map(|(p, _)| *p)
        {
            peers.remove(&stalest);
            outcome = Stored::ReplacedStalest;
        }
        peers.insert(peer, now);
        outcome
    }

    /// Up to [`MAX_VALUES_IN_REPLY`] live peers for `info_hash`, picked at random.
    pub fn peers(&self, info_hash: &[u8; 20], now: Instant) -> Vec<SocketAddrV4> {
        let Some(peers) = self.torrents.get(info_hash) else {
            return Vec::new();
        };
        let live: Vec<SocketAddrV4> = peers
            .iter()
            .filter(|(_, t)| now.saturating_duration_since(**t) < PEER_TTL)
            .map(|(p, _)| *p)
            .collect();
        live.choose_multiple(&mut rand::rng(), MAX_VALUES_IN_REPLY)
            .copied()
            .collect()
    }

    /// Drops announces older than [`PEER_TTL`], and info-hashes left without peers.
    pub fn expire(&mut self, now: Instant) {
        self.torrents.retain(|_, peers| {
            peers.retain(|_, t| now.saturating_duration_since(*t) < PEER_TTL);
            !peers.is_empty()
        });
    }

    pub fn info_hash_count(&self) -> usize {
        self.torrents.len()
    }

    pub fn peer_count(&self) -> usize {
        self.torrents.values().map(HashMap::len).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::Ipv4Addr;

    fn peer(n: u32) -> SocketAddrV4 {
        SocketAddrV4::new(Ipv4Addr::from(0x0A00_0000 + n), 6881)
    }

    #[test]
    fn peers_per_info_hash_are_capped_replacing_the_stalest() {
        let t0 = Instant::now();
        let mut s = PeerStore::default();
        for i in 0..MAX_PEERS_PER_HASH as u32 {
            let at = t0 + Duration::from_secs(u64::from(i));
            assert_eq!(s.announce([1; 20], peer(i), at), Stored::New);
        }
        let at = t0 + Duration::from_secs(1000);
        assert_eq!(s.announce([1; 20], peer(0), at), Stored::Refreshed);
        assert_eq!(s.announce([1; 20], peer(5000), at), Stored::ReplacedStalest);
        assert_eq!(s.peer_count(), MAX_PEERS_PER_HASH);
        // peer(1) was the stalest once peer(0) was refreshed.
        let all: Vec<_> = (0..20).flat_map(|_| s.peers(&[1; 20], at)).collect();
        assert!(!all.contains(&peer(1)));
        assert_eq!(s.peers(&[1; 20], at).len(), MAX_VALUES_IN_REPLY);
    }

    #[test]
    fn info_hashes_are_capped() {
        let t0 = Instant::now();
        let mut s = PeerStore::default();
        for i in 0..MAX_INFO_HASHES as u32 {
            let mut ih = [0u8; 20];
            ih[..4].copy_from_slice(&i.to_be_bytes());
            assert_eq!(s.announce(ih, peer(1), t0), Stored::New);
        }
        assert_eq!(s.announce([0xFF; 20], peer(1), t0), Stored::Refused);
        assert_eq!(s.info_hash_count(), MAX_INFO_HASHES);
        // Once the old ones expire there is room again.
        let later = t0 + PEER_TTL;
        assert_eq!(s.announce([0xFF; 20], peer(1), later), Stored::New);
        assert_eq!(s.info_hash_count(), 1);
    }

    #[test]
    fn announces_expire() {
        let t0 = Instant::now();
        let mut s = PeerStore::default();
        s.announce([1; 20], peer(1), t0);
        s.announce([1; 20], peer(2), t0 + Duration::from_secs(600));
        let t1 = t0 + PEER_TTL + Duration::from_secs(1);
        assert_eq!(s.peers(&[1; 20], t1), vec![peer(2)]);
        s.expire(t1);
        assert_eq!(s.peer_count(), 1);
        s.expire(t1 + PEER_TTL);
        assert_eq!((s.peer_count(), s.info_hash_count()), (0, 0));
    }
}
