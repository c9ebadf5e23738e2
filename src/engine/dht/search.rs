//! Running lookups on the node: starting them, feeding them answers, delivering peers, and
//! announcing at the end (BEP 5).
//!
//! A get_peers lookup streams peers to its caller as they arrive, deduplicated (peers this node
//! stores itself go first, since a lookup never queries its own node). Delivery never blocks the
//! actor: a batch that does not fit in the caller's channel waits in a backlog. An announce is a
//! get_peers lookup that, once done, sends announce_peer to the closest 8 nodes that gave a
//! token. At most [`MAX_RUNNING`] lookups run at once; more wait in a bounded queue.

use super::NodeId;
use super::krpc::{Query, Response};
use super::lookup::{Lookup, LookupKind};
use super::node::{Node, Purpose, Queued, Running, log_debug};
use super::routing::K;
use std::collections::HashSet;
use std::net::SocketAddr;
use std::time::{Duration, Instant};
use tokio::sync::mpsc::error::TrySendError;

/// Lookups running at once.
pub(super) const MAX_RUNNING: usize = 16;
/// Lookups waiting for a slot; more are refused (their channel closes at once).
pub(super) const MAX_QUEUED: usize = 1024;
/// A lookup is cut short after this long.
const LOOKUP_DEADLINE: Duration = Duration::from_secs(60);
/// Distinct peers one lookup reports at most.
const MAX_PEERS_PER_LOOKUP: usize = 5000;
/// Nodes an announce goes to (BEP 5: the closest nodes that gave tokens).
const ANNOUNCE_TO: usize = 8;

impl Node {
    pub(super) fn queue_lookup(&mut self, request: Queued) {
        if self.lookups.len() < MAX_RUNNING {
            let seeds = Vec::new();
            self.start_lookup_with(request, seeds, Instant::now());
        } else if self.queued.len() < MAX_QUEUED {
            self.queued.push_back(request);
        } else {
            log_debug("dht: too many lookups queued, one refused");
        }
    }

    /// Starts a lookup from the closest nodes in the table plus `seeds`; if the table knows
    /// fewer than K nodes, the bootstrap entries are asked too.
    pub(super) fn start_lookup_with(
        &mut self,
        request: Queued,
        seeds: Vec<(Option<NodeId>, SocketAddr)>,
        now: Instant,
    ) {
        let mut lookup = Lookup::new(request.target, request.kind, self.alpha);
        let known = self.table.closest(&request.target, 2 * K, now);
        let few = known.len() < K;
        for (id, addr) in known {
            lookup.add_candidate(Some(id), addr);
        }
        for (id, addr) in seeds {
            lookup.add_candidate(id, addr);
        }
        if few {
            for addr in self.bootstrap.clone() {
                lookup.add_candidate(None, addr);
            }
        }
        let mut running = Running {
            lookup,
            peers: request.peers,
            announce: request.announce,
            seen_peers: HashSet::new(),
            backlog: Vec::new(),
            started: now,
        };
        if request.kind == LookupKind::GetPeers {
            let own: Vec<SocketAddr> = self
                .store
                .peers(&request.target, now)
                .into_iter()
                .map(SocketAddr::V4)
                .collect();
            add_peers(&mut running, own);
        }
        let lid = self.next_lookup;
        self.next_lookup += 1;
        self.lookups.insert(lid, running);
        self.drive(lid, now);
    }

    /// Sends what the lookup asks for, delivers peers, and finishes it when it is done.
    fn drive(&mut self, lid: u64, now: Instant) {
        let Some(mut running) = self.lookups.remove(&lid) else {
            return;
        };
        let query = match running.lookup.kind {
            LookupKind::FindNode => Query::FindNode {
                target: running.lookup.target,
            },
            LookupKind::GetPeers => Query::GetPeers {
                info_hash: running.lookup.target,
            },
        };
        // Failed sends mark the candidate failed, which may free a slot: loop until stable.
        loop {
            let addrs = running.lookup.next_queries();
            if addrs.is_empty() {
                break;
            }
            let mut progressed = false;
            for addr in addrs {
                if self.pending.len() >= super::node::MAX_PENDING {
                    running.lookup.unsend(addr);
                } else if self
                    .send_query(addr, query.clone(), Purpose::Lookup(lid))
                    .is_some()
                {
                    progressed = true;
                } else {
                    running.lookup.on_failure(addr);
                    progressed = true;
                }
            }
            if !progressed {
                break;
            }
        }
        let receiver_gone = !flush_peers(&mut running);
        let abandoned = receiver_gone && running.announce.is_none();
        if running.lookup.is_done()
            || abandoned
            || now.saturating_duration_since(running.started) >= LOOKUP_DEADLINE
        {
            self.finish(running);
        } else {
            self.lookups.insert(lid, running);
        }
    }

    fn finish(&mut self, running: Running) {
        if let Some(port) = running.announce {
            let info_hash = running.lookup.target;
            for (addr, token) in running.lookup.closest_with_tokens(ANNOUNCE_TO) {
                let query = Query::AnnouncePeer {
                    info_hash,
                    port,
                    implied_port: port == 0,
                    token,
                };
                self.send_query(addr, query, Purpose::Announce);
            }
        }
        if let Some(tx) = running.peers
            && !running.backlog.is_empty()
        {
            // Hand the last batch over without blocking the actor; the channel closes after.
            let batch = running.backlog;
            tokio::spawn(async move {
                let _ = tx.send(batch).await;
            });
        }
        log_debug(&format!(
            "dht: lookup done after {} queries",
            running.lookup.queries_sent()
        ));
        // Queued lookups start on the next tick (no recursion through drive → finish).
    }

    fn start_queued(&mut self) {
        while self.lookups.len() < MAX_RUNNING {
            let Some(request) = self.queued.pop_front() else {
                break;
            };
            self.start_lookup_with(request, Vec::new(), Instant::now());
        }
    }

    /// A response to one of our queries.
    pub(super) fn on_response(
        &mut self,
        tid: &[u8],
        response: Response,
        from: SocketAddr,
        now: Instant,
    ) {
        let Some(pending) = self.take_pending(tid, from) else {
            self.stats.unmatched_responses += 1;
            return;
        };
        self.heard_from(response.id, from, now);
        let Purpose::Lookup(lid) = pending.purpose else {
            return;
        };
        if !self.lookups.contains_key(&lid) {
            return;
        }
        let mut nodes = Vec::new();
        for node in &response.nodes {
            let addr = SocketAddr::V4(node.addr);
            if node.id != self.id && self.address_allowed(addr) {
                nodes.push((node.id, addr));
            }
        }
        let mut peers = Vec::new();
        for peer in &response.values {
            let addr = SocketAddr::V4(*peer);
            if self.loopback_only && !peer.ip().is_loopback() {
                self.stats.refused_destinations += 1;
            } else if peer.port() != 0 && !peer.ip().is_unspecified() {
                peers.push(addr);
            }
        }
        if let Some(running) = self.lookups.get_mut(&lid) {
            running
                .lookup
                .on_response(from, response.id, response.token);
            for (id, addr) in nodes {
                running.lookup.add_candidate(Some(id), addr);
            }
            if running.lookup.kind == LookupKind::GetPeers {
                add_peers(running, peers);
            }
        }
        self.drive(lid, now);
    }

    /// A lookup query timed out or was answered with an error.
    pub(super) fn lookup_failed(&mut self, lid: u64, addr: SocketAddr, now: Instant) {
        if let Some(running) = self.lookups.get_mut(&lid) {
            running.lookup.on_failure(addr);
            self.drive(lid, now);
        }
    }

    /// Drives every lookup: retries sends held back, delivers backlogs, enforces deadlines.
    pub(super) fn tick_lookups(&mut self, now: Instant) {
        let ids: Vec<u64> = self.lookups.keys().copied().collect();
        for lid in ids {
            self.drive(lid, now);
        }
        self.start_queued();
    }
}

/// Adds newly found peers to the lookup's backlog, deduplicated and bounded.
fn add_peers(running: &mut Running, peers: Vec<SocketAddr>) {
    for peer in peers {
        if running.seen_peers.len() >= MAX_PEERS_PER_LOOKUP {
            break;
        }
        if running.seen_peers.insert(peer) {
            running.backlog.push(peer);
        }
    }
}

/// Tries to hand the backlog to the caller. Returns false when the caller is gone.
fn flush_peers(running: &mut Running) -> bool {
    let Some(tx) = &running.peers else {
        return true;
    };
    if running.backlog.is_empty() {
        return !tx.is_closed();
    }
    let batch = std::mem::take(&mut running.backlog);
    match tx.try_send(batch) {
        Ok(()) => true,
        Err(TrySendError::Full(batch)) => {
            running.backlog = batch;
            true
        }
        Err(TrySendError::Closed(_)) => {
            running.peers = None;
            false
        }
    }
}
