//! One iterative lookup (BEP 5 / Kademlia): the shrinking-distance walk towards a target id.
//!
//! The lookup keeps candidates sorted by XOR distance to the target, keeps at most `alpha`
//! queries in flight, and only ever queries candidates among the K closest that have not failed.
//! It ends when the K closest live candidates have all answered (or nothing is left to ask, or
//! a query budget is spent). Candidates whose id is not known yet (bootstrap routers, given as
//! bare addresses) sort first, so they are asked first; their answer tells us their id.
//!
//! Pure state: the node actor sends the queries this asks for and feeds back answers and
//! timeouts. Everything that grows from answers is bounded ([`MAX_CANDIDATES`], [`MAX_QUERIES`]).

use super::NodeId;
use super::routing::{K, distance};
use std::net::SocketAddr;

/// Most candidates remembered; the farthest are dropped beyond this.
pub const MAX_CANDIDATES: usize = 128;
/// Most queries one lookup sends.
pub const MAX_QUERIES: usize = 256;

/// What the lookup is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LookupKind {
    FindNode,
    GetPeers,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum State {
    Fresh,
    InFlight,
    Responded { token: Option<Vec<u8>> },
    Failed,
}

#[derive(Debug, Clone)]
struct Candidate {
    id: Option<NodeId>,
    addr: SocketAddr,
    state: State,
}

/// The progress of one lookup.
#[derive(Debug, Clone)]
pub struct Lookup {
    pub target: NodeId,
    pub kind: LookupKind,
    alpha: usize,
    candidates: Vec<Candidate>,
    queries_sent: usize,
}

impl Lookup {
    pub fn new(target: NodeId, kind: LookupKind, alpha: usize) -> Self {
        Lookup {
            target,
            kind,
            alpha: alpha.clamp(1, 16),
            candidates: Vec::new(),
            queries_sent: 0,
        }
    }

    fn key(&self, id: &Option<NodeId>) -> [u8; 20] {
        match id {
            Some(id) => distance(&self.target, id),
            None => [0; 20],
        }
    }

    /// Adds a node to ask (ignored if its address or id is already known).
    pub fn add_candidate(&mut self, id: Option<NodeId>, addr: SocketAddr) {
        if self
            .candidates
            .iter()
            .any(|c| c.addr == addr || (id.is_some() && c.id == id))
        {
            return;
        }
        let key = self.key(&id);
        let pos = self.candidates.partition_point(|c| self.key(&c.id) <= key);
        if pos >= MAX_CANDIDATES {
            return;
        }
        self.candidates.insert(
            pos,
            Candidate {
                id,
                addr,
                state: State::Fresh,
            },
        );
        // Drop the farthest candidate not waiting for an answer.
        if self.candidates.len() > MAX_CANDIDATES
            && let Some(i) = self
                .candidates
                .iter()
                .rposition(|c| c.state != State::InFlight)
        {
            self.candidates.remove(i);
        }
    }

    fn in_flight(&self) -> usize {
        self.candidates
            .iter()
            .filter(|c| c.state == State::InFlight)
            .count()
    }

    /// Indices of the K closest candidates that have not failed.
    fn closest_live(&self) -> impl Iterator<Item = usize> + '_ {
        self.candidates
            .iter()
            .enumerate()
            .filter(|(_, c)| c.state != State::Failed)
            .map(|(i, _)| i)
            .take(K)
    }

    /// The addresses to query now; they are marked as in flight.
    pub fn next_queries(&mut self) -> Vec<SocketAddr> {
        let mut budget = self
            .alpha
            .saturating_sub(self.in_flight())
            .min(MAX_QUERIES.saturating_sub(self.queries_sent));
        let fresh: Vec<usize> = self
            .closest_live()
            .filter(|&i| self.candidates[i].state == State::Fresh)
            .collect();
        let mut out = Vec::new();
        for i in fresh {
            if budget == 0 {
                break;
            }
            self.candidates[i].state = State::InFlight;
            self.queries_sent += 1;
            budget -= 1;
            out.push(self.candidates[i].addr);
        }
        out
    }

    /// Gives back a query that could not be sent; it will be asked for again.
    pub fn unsend(&mut self, addr: SocketAddr) {
        if let Some(c) = self.candidates.iter_mut().find(|c| c.addr == addr)
            && c.state == State::InFlight
        {
            c.state = State::Fresh;
            self.queries_sent = self.queries_sent.saturating_sub(1);
        }
    }

    /// The node at `addr` answered as `id`, with a token for a `get_peers`.
    pub fn on_response(&mut self, addr: SocketAddr, id: NodeId, token: Option<Vec<u8>>) {
        let Some(pos) = self.candidates.iter().position(|c| c.addr == addr) else {
            return;
        };
        let mut c = self.candidates.remove(pos);
        c.state = State::Responded { token };
        if c.id != Some(id) {
            // Its answer tells us its real id: drop any other candidate already using it.
            self.candidates.retain(|o| o.id != Some(id));
            c.id = Some(id);
        }
        let key = self.key(&c.id);
        let pos = self.candidates.partition_point(|o| self.key(&o.id) <= key);
        self.candidates.insert(pos, c);
    }

    /// The node at `addr` did not answer (timeout or KRPC error).
    pub fn on_failure(&mut self, addr: SocketAddr) {
        if let Some(c) = self.candidates.iter_mut().find(|c| c.addr == addr) {
            c.state = State::Failed;
        }
    }

    /// True when the K closest live candidates answered, or nothing more can be done.
    pub fn is_done(&self) -> bool {
        if self.in_flight() > 0 {
            return false;
        }
        let nothing_to_ask = !self
            .closest_live()
            .any(|i| self.candidates[i].state == State::Fresh);
        nothing_to_ask || self.queries_sent >= MAX_QUERIES
    }

    /// Up to `n` closest nodes that answered with a token, for `announce_peer`.
    pub fn closest_with_tokens(&self, n: usize) -> Vec<(SocketAddr, Vec<u8>)> {
        self.candidates
            .iter()
            .filter_map(|c| match &c.state {
                State::Responded { token: Some(t) } => Some((c.addr, t.clone())),
                _ => None,
            })
            .take(n)
            .collect()
    }

    /// Up to `n` closest nodes that answered, with their ids.
    pub fn closest_responded(&self, n: usize) -> Vec<(NodeId, SocketAddr)> {
        self.candidates
            .iter()
            .filter_map(|c| match (&c.state, c.id) {
                (State::Responded { .. }, Some(id)) => Some((id, c.addr)),
                _ => None,
            })
            .take(n)
            .collect()
    }

    pub fn queries_sent(&self) -> usize {
        self.queries_sent
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::{Ipv4Addr, SocketAddrV4};

    fn addr(port: u16) -> SocketAddr {
        SocketAddr::V4(SocketAddrV4::new(Ipv4Addr::LOCALHOST, port))
    }

    fn id(b: u8) -> NodeId {
        let mut id = [0u8; 20];
        id[0] = b;
        id
    }

    #[test]
    fn queries_closest_first_with_alpha_in_flight() {
        let mut l = Lookup::new([0; 20], LookupKind::GetPeers, 3);
        for b in [50u8, 10, 40, 20, 30] {
            l.add_candidate(Some(id(b)), addr(u16::from(b)));
        }
        assert_eq!(l.next_queries(), vec![addr(10), addr(20), addr(30)]);
        assert!(l.next_queries().is_empty(), "alpha reached");
        assert!(!l.is_done());
        l.on_response(addr(10), id(10), Some(b"t10".to_vec()));
        // It told us about a closer node, which is asked next.
        l.add_candidate(Some(id(1)), addr(1));
        assert_eq!(l.next_queries(), vec![addr(1)]);
        l.on_failure(addr(20));
        assert_eq!(l.next_queries(), vec![addr(40)]);
        for (a, b) in [(1, 1), (30, 30), (40, 40)] {
            l.on_response(addr(a), id(b), Some(vec![b]));
        }
        assert_eq!(l.next_queries(), vec![addr(50)]);
        assert!(!l.is_done());
        l.on_response(addr(50), id(50), None);
        assert!(l.is_done());
        let tokens: Vec<u16> = l
            .closest_with_tokens(8)
            .iter()
            .map(|(a, _)| a.port())
            .collect();
        assert_eq!(tokens, vec![1, 10, 30, 40]);
    }

    #[test]
    fn ends_when_the_k_closest_answered_even_with_farther_candidates_left() {
        let mut l = Lookup::new([0; 20], LookupKind::FindNode, 8);
        for b in 1..=20u8 {
            l.add_candidate(Some(id(b)), addr(u16::from(b)));
        }
        let asked = l.next_queries();
        assert_eq!(asked.len(), 8);
        for a in asked {
            l.on_response(a, id(a.port() as u8), None);
        }
        assert!(l.is_done());
        assert_eq!(l.queries_sent(), 8);
        assert_eq!(l.closest_responded(3).len(), 3);
    }

    #[test]
    fn bootstrap_addresses_go_first_and_learn_their_id() {
        let mut l = Lookup::new([0; 20], LookupKind::FindNode, 3);
        l.add_candidate(Some(id(9)), addr(9));
        l.add_candidate(None, addr(100));
        assert_eq!(l.next_queries(), vec![addr(100), addr(9)]);
        l.on_response(addr(100), id(200), None);
        l.on_response(addr(9), id(9), None);
        assert_eq!(
            l.closest_responded(2),
            vec![(id(9), addr(9)), (id(200), addr(100))]
        );
        assert!(l.is_done());
    }

    #[test]
    fn candidates_and_queries_are_bounded() {
        let mut l = Lookup::new([0; 20], LookupKind::FindNode, 8);
        for i in 0..1000u16 {
            let mut nid = [0u8; 20];
            nid[..2].copy_from_slice(&i.to_be_bytes());
            nid[19] = 1;
            l.add_candidate(Some(nid), addr(i + 1));
            // Duplicates by address or id are ignored.
            l.add_candidate(Some(nid), addr(i + 2000));
        }
        assert_eq!(l.candidates.len(), MAX_CANDIDATES);
        // Every query fails: the lookup walks the list and stops.
        let mut rounds = 0;
        while !l.is_done() {
            for a in l.next_queries() {
                l.on_failure(a);
            }
            rounds += 1;
            assert!(rounds < 1000);
        }
        assert_eq!(l.queries_sent(), MAX_CANDIDATES);
    }
}
