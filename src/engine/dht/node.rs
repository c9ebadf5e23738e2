//! The node actor: one task that owns the UDP socket and every piece of DHT state.
//!
//! Its loop waits on three things — a datagram, a command from a [`super::Dht`] handle, a
//! maintenance tick — and handles each with bounded work and no `.await` (sends are
//! non-blocking), so neither a flood of packets nor a slow caller can stall the others
//! (`select!` polls its branches in random order). Serving queries lives in [`super::serve`],
//! lookups in [`super::search`]; this file has the loop, sending, transactions and upkeep.
//!
//! Every outgoing packet passes [`Node::send`], the one place that enforces `loopback_only`.

use super::krpc::{self, Body, Message, Query};
use super::lookup::{Lookup, LookupKind};
use super::rate_limit::QueryLimiter;
use super::routing::{Insert, K, NodeStatus, RoutingTable};
use super::storage::PeerStore;
use super::tokens::TokenSecrets;
use super::{Dht, DhtConfig, DhtState, DhtStats, MAX_SAVED_NODES, NodeId, SavedNode, bep42};
use std::collections::{HashMap, HashSet, VecDeque};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::{Duration, Instant};
use tokio::net::UdpSocket;
use tokio::sync::{mpsc, oneshot};

/// Receive buffer; a datagram filling it is taken as oversized (truncated) and dropped.
const RECV_BUF: usize = 4096;
/// Most queries of ours awaiting an answer.
pub(super) const MAX_PENDING: usize = 1024;
/// How often timeouts are checked and lookups driven.
const TICK: Duration = Duration::from_millis(100);
/// How often the slower upkeep runs (bucket refresh, pings, expiry).
const MAINTENANCE_EVERY: Duration = Duration::from_secs(60);
/// First delay before looking up our own id again while the table is nearly empty.
const REJOIN_FIRST: Duration = Duration::from_secs(2);
/// Commands queued from handles.
const COMMAND_QUEUE: usize = 1024;

pub(super) fn log_debug(msg: &str) {
    crate::engine::torrent::task::log::debug(msg);
}

fn log_info(msg: &str) {
    crate::engine::torrent::task::log::info(msg);
}

/// What a [`super::Dht`] handle asks of the node.
#[derive(Debug)]
pub(super) enum Command {
    GetPeers {
        info_hash: [u8; 20],
        /// `Some(port)`: announce after the lookup (0: implied port).
        announce: Option<u16>,
        peers: mpsc::Sender<Vec<SocketAddr>>,
    },
    AddNode(SocketAddr),
    Stats(oneshot::Sender<DhtStats>),
    SaveState(oneshot::Sender<DhtState>),
    Shutdown(oneshot::Sender<()>),
    /// Bootstrap host names, resolved off the actor.
    Resolved(Vec<SocketAddr>),
}

/// Why an outstanding query was sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Purpose {
    Lookup(u64),
    /// A liveness check: a new node to verify, or a questionable one.
    Ping,
    Announce,
}

#[derive(Debug, Clone)]
pub(super) struct Pending {
    pub addr: SocketAddr,
    pub sent: Instant,
    pub purpose: Purpose,
}

/// A lookup in progress and where its results go.
pub(super) struct Running {
    pub lookup: Lookup,
    pub peers: Option<mpsc::Sender<Vec<SocketAddr>>>,
    pub announce: Option<u16>,
    pub seen_peers: HashSet<SocketAddr>,
    pub backlog: Vec<SocketAddr>,
    pub started: Instant,
}

/// A lookup waiting for a free slot.
pub(super) struct Queued {
    pub target: NodeId,
    pub kind: LookupKind,
    pub announce: Option<u16>,
    pub peers: Option<mpsc::Sender<Vec<SocketAddr>>>,
}

/// The actor's state.
pub(super) struct Node {
    pub socket: UdpSocket,
    /// The same socket, for non-blocking sends.
    pub sender: std::net::UdpSocket,
    pub local_addr: SocketAddr,
    pub id: NodeId,
    pub loopback_only: bool,
    pub enforce_node_id_rules: bool,
    pub alpha: usize,
    pub query_timeout: Duration,
    pub table: RoutingTable,
    pub store: PeerStore,
    pub secrets: TokenSecrets,
    pub limiter: QueryLimiter,
    pub pending: HashMap<u16, Pending>,
    pub next_tid: u16,
    pub lookups: HashMap<u64, Running>,
    pub next_lookup: u64,
    pub queued: VecDeque<Queued>,
    /// Bootstrap entries as addresses (ids unknown).
    pub bootstrap: Vec<SocketAddr>,
    /// Saved nodes to start from.
    pub saved: Vec<SavedNode>,
    pub last_bootstrap: Instant,
    /// While the table is short of K nodes, our own id is looked up again after this long
    /// (doubling from 2 s to a minute).
    pub rejoin_every: Duration,
    pub last_maintenance: Instant,
    pub stats: DhtStats,
}

pub(super) async fn spawn(config: DhtConfig) -> std::io::Result<Dht> {
    let mut bind = config.bind;
    if config.loopback_only {
        bind.set_ip(IpAddr::V4(Ipv4Addr::LOCALHOST));
    }
    if !bind.is_ipv4() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("DHT address {bind}: only IPv4 is supported"),
        ));
    }
    // Sends go through a non-blocking std clone of the socket: a plain `sendto` that never
    // waits (tokio's `try_send_to` refuses until the reactor has seen the socket writable).
    let std_socket = std::net::UdpSocket::bind(bind)?;
    std_socket.set_nonblocking(true)?;
    let sender = std_socket.try_clone()?;
    let socket = UdpSocket::from_std(std_socket)?;
    let local_addr = socket.local_addr()?;
    let now = Instant::now();
    let saved = config.saved.clone().unwrap_or_default();
    let id = if config.saved.is_some() && saved.node_id != [0; 20] {
        saved.node_id
    } else {
        rand::random()
    };
    let (tx, rx) = mpsc::channel(COMMAND_QUEUE);
    let (bootstrap, hostnames, refused) = parse_bootstrap(&config.bootstrap, config.loopback_only);
    let mut node = Node {
        socket,
        sender,
        local_addr,
        id,
        loopback_only: config.loopback_only,
        enforce_node_id_rules: config.enforce_node_id_rules,
        alpha: config.alpha.clamp(3, 8),
        query_timeout: config.query_timeout,
        table: RoutingTable::new(id, now),
        store: PeerStore::default(),
        secrets: TokenSecrets::new(now),
        limiter: QueryLimiter::new(config.query_rate_per_ip, config.query_rate_global, now),
        pending: HashMap::new(),
        next_tid: rand::random(),
        lookups: HashMap::new(),
        next_lookup: 0,
        queued: VecDeque::new(),
        bootstrap,
        saved: saved.nodes.into_iter().take(MAX_SAVED_NODES).collect(),
        last_bootstrap: now,
        rejoin_every: REJOIN_FIRST,
        last_maintenance: now,
        stats: DhtStats {
            refused_destinations: refused,
            ..DhtStats::default()
        },
    };
    if !hostnames.is_empty() {
        resolve_in_background(hostnames, tx.downgrade());
    }
    log_info(&format!(
        "dht: listening on {local_addr}, id {}",
        crate::engine::info_hash::InfoHash(id).to_hex()
    ));
    node.bootstrap_lookup(now);
    tokio::spawn(node.run(rx));
    Ok(Dht {
        commands: tx,
        local_addr,
        node_id: id,
    })
}

/// Splits `host:port` entries into addresses and host names to resolve; with `loopback_only`
/// non-loopback addresses and host names (but `localhost`) are refused and counted.
pub(super) fn parse_bootstrap(
    entries: &[String],
    loopback_only: bool,
) -> (Vec<SocketAddr>, Vec<(String, u16)>, u64) {
    let (mut addrs, mut hosts, mut refused) = (Vec::new(), Vec::new(), 0);
    for entry in entries {
        if let Ok(addr) = entry.parse::<SocketAddr>() {
            if addr.is_ipv4() && (!loopback_only || addr.ip().is_loopback()) && addr.port() != 0 {
                addrs.push(addr);
            } else {
                refused += 1;
            }
            continue;
        }
        let Some((host, port)) = entry.rsplit_once(':') else {
            continue;
        };
        let Ok(port) = port.parse::<u16>() else {
            continue;
        };
        if host.eq_ignore_ascii_case("localhost") {
            addrs.push(SocketAddr::from((Ipv4Addr::LOCALHOST, port)));
        } else if loopback_only {
            refused += 1;
        } else {
            hosts.push((host.to_owned(), port));
        }
    }
    (addrs, hosts, refused)
}

/// Resolves bootstrap host names on a task of their own and hands the IPv4 results back.
fn resolve_in_background(hosts: Vec<(String, u16)>, commands: mpsc::WeakSender<Command>) {
    tokio::spawn(async move {
        let mut found = Vec::new();
        for (host, port) in hosts {
            let lookup = tokio::net::lookup_host((host.as_str(), port));
            match tokio::time::timeout(Duration::from_secs(10), lookup).await {
                Ok(Ok(addrs)) => found.extend(addrs.filter(SocketAddr::is_ipv4).take(4)),
                _ => log_debug(&format!("dht: cannot resolve bootstrap host {host}")),
            }
        }
        if let Some(tx) = commands.upgrade() {
            let _ = tx.send(Command::Resolved(found)).await;
        }
    });
}

impl Node {
    async fn run(mut self, mut commands: mpsc::Receiver<Command>) {
        let mut buf = vec![0u8; RECV_BUF];
        let mut tick = tokio::time::interval(TICK);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
        loop {
            tokio::select! {
                received = self.socket.recv_from(&mut buf) => match received {
                    Ok((n, _)) if n >= RECV_BUF => {
                        self.stats.packets_in += 1;
                        self.stats.malformed_dropped += 1;
                    }
                    Ok((n, from)) => self.on_packet(&buf[..n], from),
                    Err(e) => log_debug(&format!("dht: receive error: {e}")),
                },
                command = commands.recv() => match command {
                    None => break,
                    Some(Command::Shutdown(ack)) => {
                        let _ = ack.send(());
                        break;
                    }
                    Some(command) => self.on_command(command),
                },
                _ = tick.tick() => self.on_tick(Instant::now()),
            }
        }
        log_info(&format!("dht: node on {} stopped", self.local_addr));
    }

    fn on_command(&mut self, command: Command) {
        let now = Instant::now();
        match command {
            Command::GetPeers {
                info_hash,
                announce,
                peers,
            } => self.queue_lookup(Queued {
                target: info_hash,
                kind: LookupKind::GetPeers,
                announce,
                peers: Some(peers),
            }),
            Command::AddNode(addr) => {
                if self.address_allowed(addr) {
                    self.ping(addr);
                }
            }
            Command::Stats(reply) => {
                let _ = reply.send(self.current_stats(now));
            }
            Command::SaveState(reply) => {
                let _ = reply.send(self.state(now));
            }
            Command::Resolved(addrs) => {
                self.bootstrap.extend(addrs);
                self.bootstrap.truncate(64);
                self.bootstrap_lookup(now);
            }
            Command::Shutdown(_) => {}
        }
    }

    fn current_stats(&self, now: Instant) -> DhtStats {
        DhtStats {
            nodes: self.table.len(),
            good_nodes: self.table.good_count(now),
            replacement_nodes: self.table.replacement_count(),
            info_hashes: self.store.info_hash_count(),
            stored_peers: self.store.peer_count(),
            lookups_running: self.lookups.len(),
            ..self.stats.clone()
        }
    }

    fn state(&self, now: Instant) -> DhtState {
        let mut nodes = self.table.nodes(now, NodeStatus::Good, MAX_SAVED_NODES);
        let room = MAX_SAVED_NODES - nodes.len();
        nodes.extend(self.table.nodes(now, NodeStatus::Questionable, room));
        DhtState {
            node_id: self.id,
            nodes: nodes
                .into_iter()
                .map(|(id, addr)| SavedNode { addr, id })
                .collect(),
        }
    }

    fn on_packet(&mut self, bytes: &[u8], from: SocketAddr) {
        self.stats.packets_in += 1;
        if !from.is_ipv4() || (self.loopback_only && !from.ip().is_loopback()) {
            self.stats.malformed_dropped += 1;
            return;
        }
        let now = Instant::now();
        let msg = match krpc::decode(bytes) {
            Ok(msg) => msg,
            Err(failure) => {
                self.stats.malformed_dropped += 1;
                if failure.is_query
                    && let Some(tid) = failure.tid.clone()
                    && self.limiter.allow(from.ip(), now)
                {
                    let reply = Message {
                        tid,
                        body: Body::Error {
                            code: failure.error_code(),
                            message: failure.error.to_string(),
                        },
                        ip: None,
                    };
                    self.send(from, &reply);
                }
                return;
            }
        };
        match msg.body {
            Body::Query { id, query } => self.on_query(msg.tid, id, query, from, now),
            Body::Response(response) => self.on_response(&msg.tid, response, from, now),
            Body::Error { code, message } => {
                log_debug(&format!("dht: {from} answered error {code} {message}"));
                self.on_error(&msg.tid, from, now);
            }
        }
    }

    /// Whether we may talk to `addr` at all (IPv4, a real port, loopback under `loopback_only`,
    /// not ourselves). A refusal under `loopback_only` is counted.
    pub(super) fn address_allowed(&mut self, addr: SocketAddr) -> bool {
        if self.loopback_only && !addr.ip().is_loopback() {
            self.stats.refused_destinations += 1;
            return false;
        }
        addr.is_ipv4() && addr.port() != 0 && addr != self.local_addr && !addr.ip().is_unspecified()
    }

    /// Whether a node that answered us may enter the routing table.
    pub(super) fn node_admissible(&mut self, id: &NodeId, addr: SocketAddr) -> bool {
        if !self.address_allowed(addr) {
            return false;
        }
        if self.enforce_node_id_rules && !bep42::id_matches_ip(id, addr.ip()) {
            self.stats.node_id_rejections += 1;
            return false;
        }
        true
    }

    /// A node answered us: into the routing table it goes (if admissible), pinging the
    /// questionable nodes of a full bucket.
    pub(super) fn heard_from(&mut self, id: NodeId, addr: SocketAddr, now: Instant) {
        if !self.node_admissible(&id, addr) {
            return;
        }
        if let Insert::Cached { ping } = self.table.heard_response(id, addr, now) {
            for (_, addr) in ping {
                self.ping(addr);
            }
        }
    }

    /// Sends `msg` to `to`, unless `loopback_only` forbids it. The only way packets leave.
    pub(super) fn send(&mut self, to: SocketAddr, msg: &Message) -> bool {
        if self.loopback_only && !to.ip().is_loopback() {
            self.stats.refused_destinations += 1;
            return false;
        }
        match self.sender.send_to(&krpc::encode(msg), to) {
            Ok(_) => {
                self.stats.packets_out += 1;
                true
            }
            Err(e) => {
                log_debug(&format!("dht: cannot send to {to}: {e}"));
                false
            }
        }
    }

    /// Sends a query and records it. `None` when too many queries are outstanding or the
    /// packet could not be sent.
    pub(super) fn send_query(
        &mut self,
        to: SocketAddr,
        query: Query,
        purpose: Purpose,
    ) -> Option<u16> {
        if self.pending.len() >= MAX_PENDING {
            return None;
        }
        let mut tid = self.next_tid;
        while self.pending.contains_key(&tid) {
            tid = tid.wrapping_add(1);
        }
        self.next_tid = tid.wrapping_add(1);
        let msg = Message {
            tid: tid.to_be_bytes().to_vec(),
            body: Body::Query { id: self.id, query },
            ip: None,
        };
        if !self.send(to, &msg) {
            return None;
        }
        let sent = Instant::now();
        self.pending.insert(
            tid,
            Pending {
                addr: to,
                sent,
                purpose,
            },
        );
        Some(tid)
    }

    /// Pings `addr` unless a ping to it is already outstanding.
    pub(super) fn ping(&mut self, addr: SocketAddr) {
        let already = self
            .pending
            .values()
            .any(|p| p.addr == addr && p.purpose == Purpose::Ping);
        if !already && self.pending.len() < MAX_PENDING / 2 {
            self.send_query(addr, Query::Ping, Purpose::Ping);
        }
    }

    /// Takes the outstanding query `tid` if `from` is who it was sent to.
    pub(super) fn take_pending(&mut self, tid: &[u8], from: SocketAddr) -> Option<Pending> {
        let tid = u16::from_be_bytes(tid.try_into().ok()?);
        if self.pending.get(&tid)?.addr != from {
            return None;
        }
        self.pending.remove(&tid)
    }

    fn on_error(&mut self, tid: &[u8], from: SocketAddr, now: Instant) {
        let Some(pending) = self.take_pending(tid, from) else {
            self.stats.unmatched_responses += 1;
            return;
        };
        if let Purpose::Lookup(lid) = pending.purpose {
            self.lookup_failed(lid, from, now);
        }
    }

    fn on_tick(&mut self, now: Instant) {
        // Timeouts.
        let timeout = self.query_timeout;
        let expired: Vec<(u16, Pending)> = self
            .pending
            .iter()
            .filter(|(_, p)| now.saturating_duration_since(p.sent) >= timeout)
            .map(|(t, p)| (*t, p.clone()))
            .collect();
        for (tid, pending) in expired {
            self.pending.remove(&tid);
            self.table.failed(pending.addr, now);
            if let Purpose::Lookup(lid) = pending.purpose {
                self.lookup_failed(lid, pending.addr, now);
            }
        }
        self.tick_lookups(now);
        self.secrets.rotate_if_due(now);
        // A young or isolated node keeps asking until its table has K nodes: the nodes it first
        // asked may have known nobody yet.
        if self.table.len() < K
            && now.saturating_duration_since(self.last_bootstrap) >= self.rejoin_every
        {
            self.rejoin_every = (self.rejoin_every * 2).min(MAINTENANCE_EVERY);
            self.bootstrap_lookup(now);
        }
        if now.saturating_duration_since(self.last_maintenance) >= MAINTENANCE_EVERY {
            self.last_maintenance = now;
            self.maintain(now);
        }
    }

    /// The slow upkeep: expiry, pings of questionable nodes, bucket refresh.
    fn maintain(&mut self, now: Instant) {
        self.store.expire(now);
        self.limiter.purge_idle(now);
        for (_, addr) in self.table.nodes(now, NodeStatus::Questionable, 8) {
            self.ping(addr);
        }
        for index in self.table.take_stale_buckets(now, 4) {
            let target = self.table.random_id_in_bucket(index);
            self.queue_lookup(Queued {
                target,
                kind: LookupKind::FindNode,
                announce: None,
                peers: None,
            });
        }
    }

    /// Starts a lookup of our own id from the table, the saved nodes and the bootstrap entries
    /// (BEP 5: that is how a node joins and fills its table).
    pub(super) fn bootstrap_lookup(&mut self, now: Instant) {
        self.last_bootstrap = now;
        let mut seeds: Vec<(Option<NodeId>, SocketAddr)> = self
            .saved
            .iter()
            .map(|n| (Some(n.id), n.addr))
            .chain(self.bootstrap.iter().map(|a| (None, *a)))
            .collect();
        seeds.retain(|(_, a)| self.address_allowed(*a));
        if seeds.is_empty() && self.table.is_empty() {
            return;
        }
        let id = self.id;
        self.start_lookup_with(
            Queued {
                target: id,
                kind: LookupKind::FindNode,
                announce: None,
                peers: None,
            },
            seeds,
            now,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_only_refuses_non_loopback_bootstrap_entries_without_resolving() {
        let entries: Vec<String> = [
            "192.0.2.1:6881",
            "router.bittorrent.com:6881",
            "127.0.0.1:7000",
            "localhost:7001",
            "garbage",
            "127.0.0.1:0",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
        let (addrs, hosts, refused) = parse_bootstrap(&entries, true);
        assert_eq!(
            addrs,
            vec![
                "127.0.0.1:7000"
                    .parse::<SocketAddr>()
                    .unwrap_or_else(|_| unreachable!()),
                "127.0.0.1:7001".parse().unwrap_or_else(|_| unreachable!()),
            ]
        );
        assert!(hosts.is_empty());
        assert_eq!(refused, 3);
        let (addrs, hosts, refused) = parse_bootstrap(&entries, false);
        assert_eq!(addrs.len(), 3);
        assert_eq!(hosts, vec![("router.bittorrent.com".to_owned(), 6881)]);
        assert_eq!(refused, 1);
    }
}
