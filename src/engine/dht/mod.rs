//! The Mainline DHT (BEP 5): finding peers for an info-hash without a tracker.
//!
//! One tokio task (the node actor, [`node`]) owns the UDP socket and all DHT state: the routing
//! table, running lookups, outstanding transactions, announced peers and write-token secrets.
//! The rest of the engine talks to it through the cheap, cloneable [`Dht`] handle; no lock is
//! shared. Parts, each pure and unit-tested: [`krpc`] (the wire codec), [`routing`] (160 fixed
//! k-buckets with replacement caches), [`lookup`] (the iterative walk), [`tokens`] (write
//! tokens), [`storage`] (announced peers), [`rate_limit`] (per-IP and global query limits) and
//! [`bep42`] (node ids bound to IP addresses).
//!
//! Everything from the network is hostile: malformed datagrams are counted and dropped, every
//! collection a remote can grow is capped, and with `loopback_only` no packet ever leaves for a
//! non-loopback address. IPv4 only (BEP 32's `nodes6` is ignored). This module depends on the
//! bencode gate and the info-hash type, nothing else in the engine.

pub mod bep42;
pub mod krpc;
pub mod lookup;
mod node;
pub mod rate_limit;
pub mod routing;
mod search;
mod serve;
pub mod storage;
pub mod tokens;

use crate::engine::info_hash::InfoHash;
use node::Command;
use serde::{Deserialize, Serialize};
use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;
use tokio::sync::{mpsc, oneshot};

/// A 160-bit DHT node id (same space as info-hashes).
pub type NodeId = [u8; 20];

/// The well-known routers new nodes join through.
pub const DEFAULT_BOOTSTRAP: [&str; 4] = [
    "router.bittorrent.com:6881",
    "dht.transmissionbt.com:6881",
    "router.utorrent.com:6881",
    "dht.libtorrent.org:25401",
];

/// How a DHT node is set up.
#[derive(Debug, Clone)]
pub struct DhtConfig {
    /// UDP address to bind (default `0.0.0.0:6881`; port 0 picks one). IPv4 only. With
    /// `loopback_only` the IP is forced to 127.0.0.1.
    pub bind: SocketAddr,
    /// `host:port` entries to join through. With `loopback_only` only `localhost` and loopback
    /// IP literals are used; other entries are dropped without being resolved.
    pub bootstrap: Vec<String>,
    /// Never send a packet to, nor keep, a non-loopback address (tests and CI).
    pub loopback_only: bool,
    /// State saved by [`Dht::save_state`]: our id and nodes to start from.
    pub saved: Option<DhtState>,
    /// BEP 42: only let nodes whose id matches their IP into the routing table. Tests on
    /// loopback turn it off (all their nodes share 127.0.0.1, which is exempt anyway).
    pub enforce_node_id_rules: bool,
    /// Queries answered per second from one IP (bursts of twice that).
    pub query_rate_per_ip: u32,
    /// Queries answered per second in total (bursts of twice that).
    pub query_rate_global: u32,
    /// Queries in flight per lookup (BEP 5's alpha), clamped to 3..=8.
    pub alpha: usize,
    /// How long to wait for an answer before a query counts as failed.
    pub query_timeout: Duration,
}

impl Default for DhtConfig {
    fn default() -> Self {
        DhtConfig {
            bind: SocketAddr::from((Ipv4Addr::UNSPECIFIED, 6881)),
            bootstrap: DEFAULT_BOOTSTRAP.iter().map(|s| (*s).to_owned()).collect(),
            loopback_only: crate::engine::loopback_only(),
            saved: None,
            enforce_node_id_rules: true,
            query_rate_per_ip: 20,
            query_rate_global: 1000,
            alpha: 4,
            query_timeout: Duration::from_secs(3),
        }
    }
}

/// Counters and sizes, for the status bar and for tests.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DhtStats {
    /// Nodes in the routing table, and how many of them are good.
    pub nodes: usize,
    pub good_nodes: usize,
    /// Nodes waiting in replacement caches.
    pub replacement_nodes: usize,
    /// Info-hashes and peers stored for others.
    pub info_hashes: usize,
    pub stored_peers: usize,
    pub lookups_running: usize,
    pub packets_in: u64,
    pub packets_out: u64,
    /// Datagrams that were not valid KRPC (or too large), dropped.
    pub malformed_dropped: u64,
    /// Queries dropped by the rate limits.
    pub rate_limited: u64,
    /// Addresses we refused to send to or keep: non-loopback ones under `loopback_only`,
    /// including bootstrap entries, nodes and peers from responses.
    pub refused_destinations: u64,
    /// Responses matching no outstanding query (late, unknown or from the wrong address).
    pub unmatched_responses: u64,
    /// Nodes kept out of the table by the BEP 42 id rule.
    pub node_id_rejections: u64,
}

/// What is worth keeping across restarts: our id and good nodes to rejoin through.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DhtState {
    #[serde(with = "hex_id")]
    pub node_id: NodeId,
    pub nodes: Vec<SavedNode>,
}

/// One node in a [`DhtState`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedNode {
    pub addr: SocketAddr,
    #[serde(with = "hex_id")]
    pub id: NodeId,
}

/// Most nodes a [`DhtState`] keeps.
pub const MAX_SAVED_NODES: usize = 200;

/// Peers batches buffered per lookup before the lookup holds them back.
const PEER_BATCHES: usize = 64;

/// The handle to a running DHT node. Cheap to clone; every method is non-blocking or awaits
/// only the node's answer.
#[derive(Debug, Clone)]
pub struct Dht {
    commands: mpsc::Sender<Command>,
    local_addr: SocketAddr,
    node_id: NodeId,
}

/// Binds the socket and starts the node (bootstrapping from `config.bootstrap` and the saved
/// nodes). Fails only when the socket cannot be bound.
pub async fn spawn(config: DhtConfig) -> std::io::Result<Dht> {
    node::spawn(config).await
}

impl Dht {
    /// The UDP address the node listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    pub fn node_id(&self) -> NodeId {
        self.node_id
    }

    /// Starts a get_peers lookup; peers arrive in batches (deduplicated), the channel closes when
    /// the lookup ends. Peers this node stores itself come first.
    pub fn get_peers(&self, info_hash: InfoHash) -> mpsc::Receiver<Vec<SocketAddr>> {
        self.lookup(info_hash, None)
    }

    /// A get_peers lookup, then announce_peer with our TCP `port` (0: implied_port, the UDP
    /// source port) to the closest nodes that gave tokens; returns the peers found on the way.
    pub fn announce(&self, info_hash: InfoHash, port: u16) -> mpsc::Receiver<Vec<SocketAddr>> {
        self.lookup(info_hash, Some(port))
    }

    fn lookup(
        &self,
        info_hash: InfoHash,
        announce: Option<u16>,
    ) -> mpsc::Receiver<Vec<SocketAddr>> {
        let (peers, rx) = mpsc::channel(PEER_BATCHES);
        let command = Command::GetPeers {
            info_hash: info_hash.0,
            announce,
            peers,
        };
        if self.commands.try_send(command).is_err() {
            node::log_debug("dht: busy or stopped, lookup not started");
        }
        rx
    }

    /// A node learned elsewhere (a peer's BEP 5 PORT message, saved state): it is pinged and
    /// added to the routing table if it answers.
    pub fn add_node(&self, addr: SocketAddr) {
        if self.commands.try_send(Command::AddNode(addr)).is_err() {
            node::log_debug("dht: busy or stopped, node not added");
        }
    }

    /// Current counters (all zero once the node has stopped).
    pub async fn stats(&self) -> DhtStats {
        let (tx, rx) = oneshot::channel();
        if self.commands.send(Command::Stats(tx)).await.is_err() {
            return DhtStats::default();
        }
        rx.await.unwrap_or_default()
    }

    /// Our id and up to [`MAX_SAVED_NODES`] good nodes, for the session file.
    pub async fn save_state(&self) -> DhtState {
        let (tx, rx) = oneshot::channel();
        let fallback = DhtState {
            node_id: self.node_id,
            nodes: Vec::new(),
        };
        if self.commands.send(Command::SaveState(tx)).await.is_err() {
            return fallback;
        }
        rx.await.unwrap_or(fallback)
    }

    /// Stops the node: running lookups end (their channels close) and the socket is closed.
    pub async fn shutdown(&self) {
        let (tx, rx) = oneshot::channel();
        if self.commands.send(Command::Shutdown(tx)).await.is_ok() {
            let _ = rx.await;
        }
    }
}

/// Node ids as 40 hex digits in saved state (readable in the session file).
mod hex_id {
    use super::NodeId;
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    pub fn serialize<S: Serializer>(id: &NodeId, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&crate::engine::info_hash::InfoHash(*id).to_hex())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NodeId, D::Error> {
        let text = String::deserialize(d)?;
        crate::engine::info_hash::InfoHash::from_hex(&text)
            .map(|h| h.0)
            .map_err(D::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn saved_state_round_trips_through_json_with_hex_ids() {
        let state = DhtState {
            node_id: [0xAB; 20],
            nodes: vec![SavedNode {
                addr: "127.0.0.1:6881".parse().unwrap(),
                id: [1; 20],
            }],
        };
        let json = serde_json::to_string(&state).unwrap();
        assert!(json.contains(&"ab".repeat(20)), "{json}");
        assert_eq!(serde_json::from_str::<DhtState>(&json).unwrap(), state);
        assert!(serde_json::from_str::<DhtState>(r#"{"node_id":"xyz","nodes":[]}"#).is_err());
    }
}
