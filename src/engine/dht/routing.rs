//! The routing table (BEP 5): who we know in the DHT, kept closest-first around our own id.
//!
//! Shape: 160 fixed buckets, bucket `i` holding nodes whose id shares exactly `i` leading bits
//! with ours. That is the table BEP 5 describes once the bucket holding our own id has been split
//! all the way down, without the splitting code: far buckets cover half, a quarter… of the id
//! space and fill up with k = 8 nodes; near buckets stay sparse. Total size is bounded by
//! 160 × (8 live + 8 replacements).
//!
//! Node health follows BEP 5: *good* if it answered us within 15 minutes, or answered us once
//! and queried us within 15 minutes; *bad* after [`MAX_FAILS`] queries in a row went unanswered;
//! *questionable* otherwise. A full bucket takes a newcomer only in place of a bad node; else the
//! newcomer waits in the bucket's replacement cache and the caller is told which questionable
//! nodes to ping. A questionable node that then fails a query, while a replacement waits, is
//! evicted and the freshest replacement takes its place.
//!
//! Pure data: no I/O, no clock reads (callers pass `now`).

use super::NodeId;
use std::cmp::Ordering;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

/// Nodes per bucket (BEP 5's k).
pub const K: usize = 8;
/// A node that was heard from within this long is good; a bucket untouched this long is refreshed.
pub const GOOD_FOR: Duration = Duration::from_secs(15 * 60);
/// Unanswered queries in a row after which a node is bad.
pub const MAX_FAILS: u8 = 2;

/// XOR distance between two ids, comparable as a big-endian 160-bit number.
pub fn distance(a: &NodeId, b: &NodeId) -> [u8; 20] {
    let mut d = [0u8; 20];
    for i in 0..20 {
        d[i] = a[i] ^ b[i];
    }
    d
}

/// Which of `a` and `b` is closer to `target` in the XOR metric.
pub fn cmp_distance(target: &NodeId, a: &NodeId, b: &NodeId) -> Ordering {
    distance(target, a).cmp(&distance(target, b))
}

/// Number of leading bits `a` and `b` share (160 when equal).
pub fn common_prefix_len(a: &NodeId, b: &NodeId) -> usize {
    for (i, (x, y)) in a.iter().zip(b).enumerate() {
        let d = x ^ y;
        if d != 0 {
            return i * 8 + d.leading_zeros() as usize;
        }
    }
    160
}

/// How much we trust a node right now (BEP 5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeStatus {
    Good,
    Questionable,
    Bad,
}

/// One node in a bucket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeEntry {
    pub id: NodeId,
    pub addr: SocketAddr,
    /// Last time it answered one of our queries.
    pub last_response: Option<Instant>,
    /// Last time it sent us a query.
    pub last_query: Option<Instant>,
    /// Queries in a row it left unanswered.
    pub fails: u8,
}

impl NodeEntry {
    fn responded(id: NodeId, addr: SocketAddr, now: Instant) -> Self {
        NodeEntry {
            id,
            addr,
            last_response: Some(now),
            last_query: None,
            fails: 0,
        }
    }

    pub fn status(&self, now: Instant) -> NodeStatus {
        let recent =
            |t: Option<Instant>| t.is_some_and(|t| now.saturating_duration_since(t) < GOOD_FOR);
        if self.fails >= MAX_FAILS {
            NodeStatus::Bad
        } else if recent(self.last_response)
            || (self.last_response.is_some() && recent(self.last_query))
        {
            NodeStatus::Good
        } else {
            NodeStatus::Questionable
        }
    }
}

#[derive(Debug, Clone)]
struct Bucket {
    nodes: Vec<NodeEntry>,
    /// Nodes that answered us while the bucket was full, freshest last.
    replacements: Vec<NodeEntry>,
    last_changed: Instant,
}

/// What [`RoutingTable::heard_response`] did with a node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Insert {
    /// Already in the table: marked as just heard from.
    Updated,
    /// Added to a bucket with room.
    Added,
    /// Took the place of a bad node.
    Replaced,
    /// The bucket is full: kept as a replacement. Ping these questionable nodes; the ones that
    /// fail make room.
    Cached { ping: Vec<(NodeId, SocketAddr)> },
    /// Our own id, or an id already in the table at another address.
    Rejected,
}

/// The routing table around our own id.
#[derive(Debug, Clone)]
pub struct RoutingTable {
    own: NodeId,
    buckets: Vec<Bucket>,
}

impl RoutingTable {
    pub fn new(own: NodeId, now: Instant) -> Self {
        let bucket = Bucket {
            nodes: Vec::new(),
            replacements: Vec::new(),
            last_changed: now,
        };
        RoutingTable {
            own,
            buckets: vec![bucket; 160],
        }
    }

    pub fn own_id(&self) -> NodeId {
        self.own
    }

    /// The bucket an id belongs to; `None` for our own id.
    pub fn bucket_index(&self, id: &NodeId) -> Option<usize> {
        let cpl = common_prefix_len(&self.own, id);
        (cpl < 160).then_some(cpl)
    }

    /// A node answered one of our queries: refresh it, add it, or cache it.
    pub fn heard_response(&mut self, id: NodeId, addr: SocketAddr, now: Instant) -> Insert {
        let Some(index) = self.bucket_index(&id) else {
            return Insert::Rejected;
        };
        // The same address under another id: the node restarted with a new id.
        self.remove_addr_with_other_id(addr, &id);
        let bucket = &mut self.buckets[index];
        if let Some(node) = bucket.nodes.iter_mut().find(|n| n.id == id) {
            if node.addr != addr {
                return Insert::Rejected;
            }
            node.last_response = Some(now);
            node.fails = 0;
            bucket.last_changed = now;
            return Insert::Updated;
        }
        let entry = NodeEntry::responded(id, addr, now);
        if bucket.nodes.len() < K {
            bucket.nodes.push(entry);
            bucket.replacements.retain(|n| n.id != id);
            bucket.last_changed = now;
            return Insert::Added;
        }
        if let Some(slot) = bucket
            .nodes
            .iter_mut()
            .find(|n| n.status(now) == NodeStatus::Bad)
        {
            *slot = entry;
            bucket.replacements.retain(|n| n.id != id);
            bucket.last_changed = now;
            return Insert::Replaced;
        }
        bucket.replacements.retain(|n| n.id != id && n.addr != addr);
        if bucket.replacements.len() >= K {
            bucket.replacements.remove(0);
        }
        bucket.replacements.push(entry);
        let ping = bucket
            .nodes
            .iter()
            .filter(|n| n.status(now) == NodeStatus::Questionable)
            .map(|n| (n.id, n.addr))
            .collect();
        Insert::Cached { ping }
    }

    fn remove_addr_with_other_id(&mut self, addr: SocketAddr, id: &NodeId) {
        for bucket in &mut self.buckets {
            bucket.nodes.retain(|n| n.addr != addr || n.id == *id);
            bucket
                .replacements
                .retain(|n| n.addr != addr || n.id == *id);
        }
    }

    /// A node in the table sent us a query. Returns whether it is in the table.
    pub fn heard_query(&mut self, id: &NodeId, addr: SocketAddr, now: Instant) -> bool {
        let Some(index) = self.bucket_index(id) else {
            return false;
        };
        match self.buckets[index]
            .nodes
            .iter_mut()
            .find(|n| n.id == *id && n.addr == addr)
        {
            Some(node) => {
                node.last_query = Some(now);
                true
            }
            None => false,
        }
    }

    /// A query to the node at `addr` went unanswered.
    pub fn failed(&mut self, addr: SocketAddr, now: Instant) {
        for bucket in &mut self.buckets {
            bucket.replacements.retain(|n| n.addr != addr);
            let Some(pos) = bucket.nodes.iter().position(|n| n.addr == addr) else {
                continue;
            };
            let node = &mut bucket.nodes[pos];
            let was_good = node.status(now) == NodeStatus::Good;
            node.fails = node.fails.saturating_add(1);
            let bad = node.status(now) == NodeStatus::Bad;
            if (bad || !was_good)
                && let Some(replacement) = bucket.replacements.pop()
            {
                bucket.nodes[pos] = replacement;
                bucket.last_changed = now;
            }
            return;
        }
    }

    /// Up to `n` non-bad nodes closest to `target`, closest first.
    pub fn closest(&self, target: &NodeId, n: usize, now: Instant) -> Vec<(NodeId, SocketAddr)> {
        let mut all: Vec<&NodeEntry> = self
            .buckets
            .iter()
            .flat_map(|b| &b.nodes)
            .filter(|e| e.status(now) != NodeStatus::Bad)
            .collect();
        all.sort_by(|a, b| cmp_distance(target, &a.id, &b.id));
        all.into_iter().take(n).map(|e| (e.id, e.addr)).collect()
    }

    /// Whether a node with `id` that answers us would get a place in its bucket right now.
    pub fn has_room_for(&self, id: &NodeId, now: Instant) -> bool {
        self.bucket_index(id).is_some_and(|i| {
            let nodes = &self.buckets[i].nodes;
            nodes.len() < K || nodes.iter().any(|n| n.status(now) == NodeStatus::Bad)
        })
    }

    /// Whether a node with `id` is in the table at `addr`.
    pub fn contains(&self, id: &NodeId, addr: SocketAddr) -> bool {
        self.bucket_index(id).is_some_and(|i| {
            self.buckets[i]
                .nodes
                .iter()
                .any(|n| n.id == *id && n.addr == addr)
        })
    }

    /// Nodes in buckets (not counting replacements).
    pub fn len(&self) -> usize {
        self.buckets.iter().map(|b| b.nodes.len()).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn good_count(&self, now: Instant) -> usize {
        self.nodes(now, NodeStatus::Good, usize::MAX).len()
    }

    pub fn replacement_count(&self) -> usize {
        self.buckets.iter().map(|b| b.replacements.len()).sum()
    }

    /// Up to `limit` nodes with `status`, nearest buckets first.
    pub fn nodes(
        &self,
        now: Instant,
        status: NodeStatus,
        limit: usize,
    ) -> Vec<(NodeId, SocketAddr)> {
        self.buckets
            .iter()
            .rev()
            .flat_map(|b| &b.nodes)
            .filter(|n| n.status(now) == status)
            .take(limit)
            .map(|n| (n.id, n.addr))
            .collect()
    }

    /// Up to `limit` buckets unchanged for [`GOOD_FOR`] that a lookup should refresh, marked as
    /// refreshed. Buckets past the deepest non-empty one (the unsplit part of a splitting table)
    /// are skipped.
    pub fn take_stale_buckets(&mut self, now: Instant, limit: usize) -> Vec<usize> {
        let Some(deepest) = self.buckets.iter().rposition(|b| !b.nodes.is_empty()) else {
            return Vec::new();
        };
        let mut stale = Vec::new();
        for (i, bucket) in self.buckets.iter_mut().enumerate().take(deepest + 1) {
            if stale.len() < limit && now.saturating_duration_since(bucket.last_changed) >= GOOD_FOR
            {
                bucket.last_changed = now;
                stale.push(i);
            }
        }
        stale
    }

    /// A random id that falls in bucket `index`: our first `index` bits, the next one flipped.
    pub fn random_id_in_bucket(&self, index: usize) -> NodeId {
        let mut id: NodeId = rand::random();
        let index = index.min(159);
        let (byte, bit) = (index / 8, index % 8);
        id[..byte].copy_from_slice(&self.own[..byte]);
        let flip = 0x80u8 >> bit;
        let keep = !(0xFFu8 >> bit); // our bits before `bit`
        id[byte] = (self.own[byte] & keep) | (!self.own[byte] & flip) | (id[byte] & !(keep | flip));
        id
    }
}

#[cfg(test)]
#[path = "routing_tests.rs"]
mod tests;
