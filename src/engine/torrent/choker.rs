//! Who we upload to: the choker (BEP 3's tit-for-tat).
//!
//! Every 10 seconds the torrent re-chooses: the interested peers that give us the most (download
//! rate while we download, upload rate to them while we seed) get the regular slots; one more
//! slot, the optimistic unchoke, goes to a random other interested peer and rotates every 30
//! seconds so newcomers get a chance to prove themselves. A peer that snubs us (has not sent a
//! block for a minute while we waited on it) loses its regular slot: it can only win the
//! optimistic one (anti-snubbing). Pure logic: no timers or I/O here.

use super::picker::PeerKey;
use rand::Rng;

/// Regular upload slots.
pub const REGULAR_SLOTS: usize = 4;

/// What the choker knows of one connected peer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChokeCandidate {
    /// The peer.
    pub key: PeerKey,
    /// The peer wants data from us.
    pub interested: bool,
    /// Payload bytes per second the peer sends us.
    pub download_rate: u64,
    /// Payload bytes per second we send the peer.
    pub upload_rate: u64,
    /// The peer let our requests starve.
    pub snubbed: bool,
}

/// The choker of one torrent.
#[derive(Debug, Default)]
pub struct Choker {
    optimistic: Option<PeerKey>,
    slots: usize,
}

impl Choker {
    /// A choker with [`REGULAR_SLOTS`] regular slots.
    pub fn new() -> Choker {
        Choker {
            optimistic: None,
            slots: REGULAR_SLOTS,
        }
    }

    /// The current optimistic unchoke.
    pub fn optimistic(&self) -> Option<PeerKey> {
        self.optimistic
    }

    /// Chooses the peers to unchoke. `rotate` picks a new optimistic unchoke (every third
    /// round, i.e. every 30 s); it is also replaced when it left or lost interest.
    pub fn rechoke(
        &mut self,
        peers: &[ChokeCandidate],
        seeding: bool,
        rotate: bool,
        rng: &mut impl Rng,
    ) -> Vec<PeerKey> {
        let mut ranked: Vec<&ChokeCandidate> = peers
            .iter()
            .filter(|p| p.interested && (seeding || !p.snubbed))
            .collect();
        ranked.sort_by_key(|p| {
            std::cmp::Reverse(if seeding {
                p.upload_rate
            } else {
                p.download_rate
            })
        });
        let mut unchoke: Vec<PeerKey> = ranked.iter().take(self.slots).map(|p| p.key).collect();

        let still_valid = self.optimistic.is_some_and(|o| {
            peers.iter().any(|p| p.key == o && p.interested) && !unchoke.contains(&o)
        });
        if rotate || !still_valid {
            let others: Vec<PeerKey> = peers
                .iter()
                .filter(|p| p.interested && !unchoke.contains(&p.key))
                .map(|p| p.key)
                .collect();
            self.optimistic = if others.is_empty() {
                None
            } else {
                Some(others[rng.random_range(0..others.len())])
            };
        }
        if let Some(o) = self.optimistic {
            unchoke.push(o);
        }
        unchoke
    }

    /// Whether a newly interested peer may be unchoked at once, between rounds: true while
    /// fewer than all slots (regular and optimistic) are in use.
    pub fn has_free_slot(&self, unchoked_now: usize) -> bool {
        unchoked_now < self.slots + 1
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use rand::SeedableRng;

    fn peer(key: PeerKey, down: u64, up: u64) -> ChokeCandidate {
        ChokeCandidate {
            key,
            interested: true,
            download_rate: down,
            upload_rate: up,
            snubbed: false,
        }
    }

    #[test]
    fn best_four_plus_one_optimistic() {
        let mut rng = rand::rngs::SmallRng::seed_from_u64(1);
        let peers: Vec<_> = (0..8).map(|k| peer(k, k * 100, 0)).collect();
        let mut c = Choker::new();
        let set = c.rechoke(&peers, false, true, &mut rng);
        assert_eq!(set.len(), 5);
        for k in [7, 6, 5, 4] {
            assert!(set.contains(&k));
        }
        let opt = c.optimistic().unwrap();
        assert!(opt < 4);
        // Without rotation the optimistic unchoke stays.
        let again = c.rechoke(&peers, false, false, &mut rng);
        assert!(again.contains(&opt));
    }

    #[test]
    fn seeding_ranks_by_upload_rate() {
        let mut rng = rand::rngs::SmallRng::seed_from_u64(2);
        let peers: Vec<_> = (0..6).map(|k| peer(k, 1000 - k, k * 10)).collect();
        let set = Choker::new().rechoke(&peers, true, true, &mut rng);
        for k in [5, 4, 3, 2] {
            assert!(set.contains(&k));
        }
    }

    #[test]
    fn snubbing_and_uninterested_peers_get_no_regular_slot() {
        let mut rng = rand::rngs::SmallRng::seed_from_u64(3);
        let mut peers: Vec<_> = (0..3).map(|k| peer(k, 100, 0)).collect();
        peers[0].snubbed = true;
        peers[0].download_rate = 10_000;
        peers[1].interested = false;
        let mut c = Choker::new();
        let set = c.rechoke(&peers, false, true, &mut rng);
        assert!(!set.contains(&1));
        assert!(set.contains(&2));
        // The snubbed peer can only be the optimistic unchoke.
        if set.contains(&0) {
            assert_eq!(c.optimistic(), Some(0));
        }
    }

    #[test]
    fn free_slots_between_rounds() {
        let c = Choker::new();
        assert!(c.has_free_slot(4));
        assert!(!c.has_free_slot(5));
    }
}
