//! The metadata phase of a magnet link (BEP 9): one actor per magnet that finds peers (the
//! link's `x.pe` addresses, its trackers, the DHT, incoming connections), asks those that speak
//! `ut_metadata` for the pieces of the `info` dictionary, and hands the verified dictionary to
//! the session, which turns the magnet into a normal torrent task.
//!
//! It reuses the peer connection tasks of [`crate::engine::peer::conn`]; it downloads no pieces
//! and serves none. The metadata's SHA-1 must equal the info-hash before it is used; peers that
//! sent pieces of a dictionary that failed are not asked again. The size a peer claims is
//! capped before anything is allocated ([`crate::engine::peer::metadata::MAX_METADATA_SIZE`]).

use super::announcer::{self, AnnounceCounters, AnnouncerMsg};
use super::task::{TorrentHandle, TorrentMsg, log};
use crate::engine::api::{PeerSource, TorrentDetails, TorrentState, TorrentStats, TrackerDetails};
use crate::engine::info_hash::InfoHash;
use crate::engine::magnet::{MagnetLink, PeerAddr};
use crate::engine::peer::conn::{self, PeerEvent};
use crate::engine::peer::extension::{ExtHandshake, HANDSHAKE_ID, UT_METADATA_ID, UT_PEX_ID};
use crate::engine::peer::metadata::{MetadataAssembler, MetadataMsg, Verified};
use crate::engine::peer::pex::PexMsg;
use crate::engine::peer::wire::{Handshake, Message, WireLimits};
use crate::engine::peer_id::PeerId;
use crate::engine::session::Shared;
use bytes::Bytes;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};
use tokio::net::TcpStream;
use tokio::sync::{mpsc, oneshot, watch};

/// Connections a magnet keeps open while it looks for its metadata.
const MAX_PEERS: usize = 30;
/// Metadata requests in flight per peer.
const REQUESTS_PER_PEER: usize = 2;
/// A metadata request unanswered for this long may go to another peer.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// A peer that has not sent its extended handshake after this long is useless to us.
const HANDSHAKE_WAIT: Duration = Duration::from_secs(20);
/// How often the DHT is asked again for peers while the metadata is missing: soon at first
/// (the swarm may only just have announced), then every minute.
const DHT_FIRST_RETRY: Duration = Duration::from_secs(5);
const DHT_EVERY: Duration = Duration::from_secs(60);
/// Pieces a peer may announce in a bitfield before we know the torrent (the wire limit).
const MAX_PIECES_BEFORE_METADATA: u32 = 1 << 22;
/// Attempts to one address before it is given up.
const MAX_CONNECT_FAILURES: u32 = 3;

/// Verified metadata, for the session.
pub struct MetadataReady {
    /// Which torrent.
    pub info_hash: InfoHash,
    /// The bencoded `info` dictionary; its SHA-1 is the info-hash.
    pub info: Bytes,
    /// Every address we know for the swarm, to try again as a torrent.
    pub peers: Vec<(SocketAddr, PeerSource)>,
}

/// What the fetcher needs.
pub struct FetcherSetup {
    /// The magnet link.
    pub link: MagnetLink,
    /// Start without connecting.
    pub paused: bool,
    /// Extra peers (the command line's `--peer`).
    pub peers: Vec<SocketAddr>,
    /// Where the data will go (for the statistics).
    pub save_path: Arc<Path>,
    /// When it was added (Unix seconds).
    pub added_at: u64,
    /// Where the verified metadata goes.
    pub done: mpsc::UnboundedSender<MetadataReady>,
}

struct FPeer {
    addr: SocketAddr,
    id: PeerId,
    tx: crate::engine::peer::conn::PeerLink,
    /// Its id for ut_metadata, once its extended handshake said so.
    ut_metadata: Option<u8>,
    connected_at: Instant,
    source: PeerSource,
    client: String,
}

struct Known {
    source: PeerSource,
    connecting: bool,
    connected: bool,
    failures: u32,
    retry_at: Instant,
}

struct Fetcher {
    info_hash: InfoHash,
    link: MagnetLink,
    shared: Arc<Shared>,
    state: TorrentState,
    assembler: MetadataAssembler,
    peers: HashMap<u64, FPeer>,
    next_key: u64,
    known: HashMap<SocketAddr, Known>,
    inbox_tx: mpsc::UnboundedSender<TorrentMsg>,
    peer_tx: mpsc::Sender<PeerEvent>,
    stats_tx: watch::Sender<TorrentStats>,
    details_tx: watch::Sender<Option<Arc<TorrentDetails>>>,
    watched: bool,
    trackers: Vec<TrackerDetails>,
    announcer: Option<mpsc::UnboundedSender<AnnouncerMsg>>,
    counters: Arc<AnnounceCounters>,
    done: mpsc::UnboundedSender<MetadataReady>,
    save_path: Arc<Path>,
    tracker_error: Option<String>,
    last_dht: Option<Instant>,
    dht_lookups: u32,
    finished: bool,
    /// The metadata size each connected peer claimed.
    claims: HashMap<SocketAddr, u64>,
    /// When the assembler last accepted a piece (or adopted a size).
    last_progress: Instant,
}

/// Starts the metadata phase of a magnet link.
pub fn spawn(setup: FetcherSetup, shared: Arc<Shared>) -> TorrentHandle {
    let (inbox_tx, inbox_rx) = mpsc::unbounded_channel();
    let (peer_tx, peer_rx) = mpsc::channel(256);
    let info_hash = setup.link.info_hash;
    let stats = TorrentStats {
        tracker_hosts: crate::engine::api::tracker_hosts(std::slice::from_ref(
            &setup.link.trackers,
        )),
        ..TorrentStats::new(
            info_hash,
            setup
                .link
                .display_name
                .clone()
                .unwrap_or_else(|| info_hash.to_hex()),
            TorrentState::FetchingMetadata,
            setup.save_path.clone(),
            setup.added_at,
        )
    };
    let (stats_tx, stats_rx) = watch::channel(stats);
    let (details_tx, details_rx) = watch::channel(None);
    let counters = Arc::new(AnnounceCounters::default());
    // Trackers treat `left = 0` as a seed; we have nothing yet.
    counters.left.store(16 * 1024, Ordering::Relaxed);
    let mut fetcher = Fetcher {
        info_hash,
        assembler: MetadataAssembler::new(info_hash),
        link: setup.link,
        shared,
        state: if setup.paused {
            TorrentState::Paused
        } else {
            TorrentState::FetchingMetadata
        },
        peers: HashMap::new(),
        next_key: 1,
        known: HashMap::new(),
        inbox_tx: inbox_tx.clone(),
        peer_tx,
        stats_tx,
        details_tx,
        watched: false,
        trackers: Vec::new(),
        announcer: None,
        counters,
        done: setup.done,
        save_path: setup.save_path,
        tracker_error: None,
        last_dht: None,
        dht_lookups: 0,
        finished: false,
        claims: HashMap::new(),
        last_progress: Instant::now(),
    };
    let mut hosts = Vec::new();
    for p in fetcher.link.peers.clone() {
        match p {
            PeerAddr::Ip(addr) => fetcher.add_addrs(&[addr], PeerSource::Magnet),
            PeerAddr::Host(host, port) => hosts.push((host, port)),
        }
    }
    if !hosts.is_empty() {
        // Names are resolved off the actor; with loopback-only, only `localhost` is.
        let loopback_only = fetcher.shared.config.loopback_only;
        let inbox = inbox_tx.clone();
        tokio::spawn(async move {
            for (host, port) in hosts {
                if loopback_only && !host.eq_ignore_ascii_case("localhost") {
                    continue;
                }
                if let Ok(Ok(addrs)) = tokio::time::timeout(
                    Duration::from_secs(10),
                    tokio::net::lookup_host((host.as_str(), port)),
                )
                .await
                {
                    let addrs: Vec<SocketAddr> = addrs.take(8).collect();
                    let _ = inbox.send(TorrentMsg::AddPeers(addrs, PeerSource::Magnet));
                }
            }
        });
    }
    fetcher.add_addrs(&setup.peers, PeerSource::Manual);
    tokio::spawn(async move {
        if fetcher.state != TorrentState::Paused {
            fetcher.start();
        }
        fetcher.run(inbox_rx, peer_rx).await;
    });
    TorrentHandle {
        tx: inbox_tx,
        storage: None,
        stats: stats_rx,
        details: details_rx,
    }
}

impl Fetcher {
    async fn run(
        &mut self,
        mut inbox: mpsc::UnboundedReceiver<TorrentMsg>,
        mut peer_rx: mpsc::Receiver<PeerEvent>,
    ) {
        let mut tick = tokio::time::interval(Duration::from_millis(500));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        while !self.finished {
            tokio::select! {
                biased;
                msg = inbox.recv() => match msg {
                    Some(TorrentMsg::Shutdown(done)) => {
                        self.stop(done).await;
                        return;
                    }
                    Some(msg) => self.on_msg(msg),
                    None => return,
                },
                Some(ev) = peer_rx.recv() => self.on_peer_event(ev),
                _ = tick.tick() => self.on_tick(),
            }
        }
        // Handed over: close our connections so the torrent task can make its own.
        self.stop_announcer(None).await;
        self.peers.clear();
    }

    fn start(&mut self) {
        self.state = TorrentState::FetchingMetadata;
        if self.announcer.is_none() && !self.link.trackers.is_empty() {
            self.announcer = Some(announcer::spawn(
                self.info_hash,
                vec![self.link.trackers.clone()],
                self.shared.clone(),
                self.counters.clone(),
                self.inbox_tx.clone(),
            ));
        }
        self.ask_dht();
        self.connect_more();
        self.publish();
    }

    /// The user's tracker list (validated by the session) replaces the link's: the running
    /// announcer swaps it, or one starts (unless paused); an empty list stops it.
    fn set_trackers(&mut self, tiers: Vec<Vec<String>>) {
        self.link.trackers = tiers.iter().flatten().cloned().collect();
        if tiers.is_empty() {
            if let Some(a) = self.announcer.take() {
                let _ = a.send(AnnouncerMsg::Stop(None));
            }
        } else if let Some(a) = &self.announcer {
            let _ = a.send(AnnouncerMsg::SetTrackers(tiers));
        } else if self.state != TorrentState::Paused {
            self.announcer = Some(announcer::spawn(
                self.info_hash,
                tiers,
                self.shared.clone(),
                self.counters.clone(),
                self.inbox_tx.clone(),
            ));
        }
        self.publish();
    }

    async fn stop(&mut self, done: oneshot::Sender<()>) {
        self.peers.clear();
        self.stop_announcer(Some(done)).await;
    }

    async fn stop_announcer(&mut self, done: Option<oneshot::Sender<()>>) {
        if let Some(a) = self.announcer.take() {
            let (tx, rx) = oneshot::channel();
            let _ = a.send(AnnouncerMsg::Stop(Some(tx)));
            let _ = tokio::time::timeout(Duration::from_secs(4), rx).await;
        }
        if let Some(done) = done {
            let _ = done.send(());
        }
    }

    fn ask_dht(&mut self) {
        let Some(dht) = self.shared.dht.clone() else {
            return;
        };
        self.last_dht = Some(Instant::now());
        self.dht_lookups += 1;
        let mut found = dht.get_peers(self.info_hash);
        let inbox = self.inbox_tx.clone();
        tokio::spawn(async move {
            while let Some(batch) = found.recv().await {
                if inbox
                    .send(TorrentMsg::AddPeers(batch, PeerSource::Dht))
                    .is_err()
                {
                    return;
                }
            }
        });
    }

    fn on_msg(&mut self, msg: TorrentMsg) {
        match msg {
            TorrentMsg::AddPeers(addrs, source) => {
                self.add_addrs(&addrs, source);
                self.connect_more();
            }
            TorrentMsg::Incoming(stream, reserved) => self.accept_incoming(stream, reserved),
            // Nothing but metadata is fetched: holding transfers is a pause.
            TorrentMsg::Pause | TorrentMsg::Suspend => {
                self.state = TorrentState::Paused;
                self.peers.clear();
                if let Some(a) = self.announcer.take() {
                    let _ = a.send(AnnouncerMsg::Stop(None));
                }
                self.publish();
            }
            TorrentMsg::Resume | TorrentMsg::Force(true) => {
                if self.state == TorrentState::Paused {
                    for k in self.known.values_mut() {
                        k.failures = 0;
                        k.connected = false;
                    }
                    self.start();
                }
            }
            TorrentMsg::Reannounce => {
                if let Some(a) = &self.announcer {
                    let _ = a.send(AnnouncerMsg::Reannounce);
                }
                self.ask_dht();
            }
            TorrentMsg::TrackerResult(r) => self.tracker_error = r.err(),
            TorrentMsg::Trackers(t) => self.trackers = t,
            TorrentMsg::SetTrackers(tiers) => self.set_trackers(tiers),
            // A magnet's own limits apply once it is a torrent; the global ones apply now.
            TorrentMsg::SetLimits(_) | TorrentMsg::SetMaxPeers(_) => {}
            TorrentMsg::AccessChanged => self.enforce_access(),
            TorrentMsg::Connected(c) => {
                let (stream, hs, addr, source) = *c;
                self.on_connected(stream, hs, addr, source)
            }
            TorrentMsg::ConnectFailed(addr, reason) => {
                log::debug(&format!(
                    "metadata: connection with {addr} failed: {reason}"
                ));
                self.shared.connections.fetch_sub(1, Ordering::Relaxed);
                if reason == super::task::BLOCKED {
                    self.known.remove(&addr);
                } else if let Some(k) = self.known.get_mut(&addr) {
                    k.connecting = false;
                    k.failures += 1;
                    k.retry_at = Instant::now() + Duration::from_secs(5 << k.failures.min(6));
                }
            }
            TorrentMsg::Watch(on) => {
                self.watched = on;
                if !on {
                    self.details_tx.send_replace(None);
                }
                self.publish();
            }
            // Nothing to prioritise, order or check before the metadata is here; the
            // session applies file priorities once the torrent exists.
            TorrentMsg::SetFilePriorities(_)
            | TorrentMsg::SetSequential(_)
            | TorrentMsg::SetFirstLastPiecesFirst(_)
            | TorrentMsg::Recheck
            | TorrentMsg::SeedGoalsChanged
            | TorrentMsg::SetSeedGoals(_)
            | TorrentMsg::Shutdown(_)
            | TorrentMsg::PieceDone { .. }
            | TorrentMsg::PieceRead(..)
            | TorrentMsg::CheckDone(..)
            | TorrentMsg::ResumeSaved(_)
            | TorrentMsg::Removing(_)
            | TorrentMsg::Queue(_)
            | TorrentMsg::MovePlanned(_)
            | TorrentMsg::MovePlaced(_)
            | TorrentMsg::MoveCommitted
            | TorrentMsg::Scraped(_)
            | TorrentMsg::FolderProbed(_)
            | TorrentMsg::FolderBack(_)
            | TorrentMsg::Force(false) => {}
            // No data yet: only the folder changes (the session keeps it for the torrent).
            TorrentMsg::MoveStorage(dest, reply) => {
                self.save_path = Arc::from(dest.as_path());
                drop(reply);
                let path = self.save_path.clone();
                self.stats_tx.send_modify(|s| s.save_path = path);
                self.shared.stats_changes.fetch_add(1, Ordering::Relaxed);
            }
        }
    }

    fn add_addrs(&mut self, addrs: &[SocketAddr], source: PeerSource) {
        for &addr in addrs {
            if addr.port() == 0 || (self.shared.config.loopback_only && !addr.ip().is_loopback()) {
                continue;
            }
            if !self.known.contains_key(&addr) && !self.shared.access.admit(addr.ip()) {
                continue;
            }
            if self.known.len() >= 2000 && !self.known.contains_key(&addr) {
                break;
            }
            self.known.entry(addr).or_insert(Known {
                source,
                connecting: false,
                connected: false,
                failures: 0,
                retry_at: Instant::now(),
            });
        }
    }

    fn connect_more(&mut self) {
        if self.state != TorrentState::FetchingMetadata {
            return;
        }
        let now = Instant::now();
        let busy = self.peers.len() + self.known.values().filter(|k| k.connecting).count();
        let room = MAX_PEERS.saturating_sub(busy);
        let candidates: Vec<SocketAddr> = self
            .known
            .iter()
            .filter(|(addr, k)| {
                !k.connecting
                    && !k.connected
                    && k.failures < MAX_CONNECT_FAILURES
                    && k.retry_at <= now
                    && !self.assembler.is_bad(**addr)
            })
            .map(|(a, _)| *a)
            .take(room)
            .collect();
        for addr in candidates {
            if self.shared.connections.load(Ordering::Relaxed)
                >= self.shared.max_connections.load(Ordering::Relaxed)
            {
                return;
            }
            let Some(k) = self.known.get_mut(&addr) else {
                continue;
            };
            k.connecting = true;
            super::task::dial(&self.shared, &self.inbox_tx, self.info_hash, addr, k.source);
        }
    }

    fn accept_incoming(&mut self, mut stream: TcpStream, reserved: [u8; 8]) {
        let Ok(addr) = stream.peer_addr() else {
            return;
        };
        if self.state != TorrentState::FetchingMetadata
            || self.peers.len() >= MAX_PEERS
            || self.shared.connections.load(Ordering::Relaxed)
                >= self.shared.max_connections.load(Ordering::Relaxed)
            || !self.shared.access.admit(addr.ip())
        {
            return;
        }
        self.shared.connections.fetch_add(1, Ordering::Relaxed);
        let inbox = self.inbox_tx.clone();
        let info_hash = self.info_hash;
        let our_id = self.shared.peer_id;
        tokio::spawn(async move {
            let msg = match conn::finish_incoming(&mut stream, reserved, info_hash, our_id).await {
                Ok(hs) => TorrentMsg::Connected(Box::new((stream, hs, addr, PeerSource::Incoming))),
                Err(e) => TorrentMsg::ConnectFailed(addr, e.to_string()),
            };
            let _ = inbox.send(msg);
        });
    }

    fn on_connected(
        &mut self,
        stream: TcpStream,
        hs: Handshake,
        addr: SocketAddr,
        source: PeerSource,
    ) {
        if let Some(k) = self.known.get_mut(&addr) {
            k.connecting = false;
        }
        // The filter or the bans may have changed during the handshake.
        if !self.shared.access.admit(addr.ip()) {
            self.shared.connections.fetch_sub(1, Ordering::Relaxed);
            self.known.remove(&addr);
            return;
        }
        let duplicate = self.peers.values().any(|p| p.id == hs.peer_id);
        // A peer without the extension protocol cannot give us metadata.
        if self.state != TorrentState::FetchingMetadata || duplicate || !hs.supports_extensions() {
            self.shared.connections.fetch_sub(1, Ordering::Relaxed);
            if let Some(k) = self.known.get_mut(&addr) {
                k.failures = MAX_CONNECT_FAILURES;
            }
            return;
        }
        let key = self.next_key;
        self.next_key += 1;
        let limits = WireLimits::new(MAX_PIECES_BEFORE_METADATA);
        let bandwidth = crate::engine::limits::PeerBandwidth::session_only(&self.shared.bandwidth);
        let tx = conn::spawn(
            stream,
            key,
            limits,
            Default::default(),
            bandwidth,
            self.peer_tx.clone(),
        );
        if hs.supports_fast() {
            let _ = tx.send(Message::HaveNone);
        }
        let ours = ExtHandshake {
            ut_metadata: Some(UT_METADATA_ID),
            ut_pex: self.pex_on().then_some(UT_PEX_ID),
            client: Some(format!("Brooklet {}", env!("CARGO_PKG_VERSION"))),
            listen_port: Some(self.shared.listen_port).filter(|&p| p != 0),
            yourip: Some(addr.ip()),
            ..ExtHandshake::default()
        };
        let _ = tx.send(Message::Extended {
            id: HANDSHAKE_ID,
            payload: ours.encode(),
        });
        if let Some(k) = self.known.get_mut(&addr) {
            k.connected = true;
        }
        log::debug(&format!(
            "metadata: connected to {addr} ({})",
            hs.peer_id.client_name()
        ));
        self.peers.insert(
            key,
            FPeer {
                addr,
                id: hs.peer_id,
                tx,
                ut_metadata: None,
                connected_at: Instant::now(),
                source,
                client: String::new(),
            },
        );
        self.publish();
    }

    /// Drops the peers the session's filter or bans no longer allow and forgets their
    /// addresses.
    fn enforce_access(&mut self) {
        let blocked: Vec<u64> = self
            .peers
            .iter()
            .filter(|(_, p)| !self.shared.access.allows(p.addr.ip()))
            .map(|(k, _)| *k)
            .collect();
        for key in blocked {
            self.drop_peer(key, super::task::BLOCKED);
        }
        let access = &self.shared.access;
        self.known
            .retain(|addr, k| k.connecting || access.allows(addr.ip()));
        self.publish();
    }

    fn drop_peer(&mut self, key: u64, reason: &str) {
        let Some(peer) = self.peers.remove(&key) else {
            return;
        };
        log::debug(&format!("metadata: peer {} gone: {reason}", peer.addr));
        self.shared.connections.fetch_sub(1, Ordering::Relaxed);
        self.assembler.on_peer_gone(peer.addr);
        self.claims.remove(&peer.addr);
        if let Some(k) = self.known.get_mut(&peer.addr) {
            k.connected = false;
            k.retry_at = Instant::now() + Duration::from_secs(30);
        }
        // Its requests are free again.
        for key in self.peers.keys().copied().collect::<Vec<_>>() {
            self.request(key);
        }
    }

    fn on_peer_event(&mut self, ev: PeerEvent) {
        match ev {
            PeerEvent::Closed(key, reason) => self.drop_peer(key, &reason),
            PeerEvent::Message(key, Message::Extended { id, payload }) => {
                if let Err(reason) = self.on_extended(key, id, payload) {
                    self.drop_peer(key, &reason);
                }
            }
            // Availability, choking, requests: nothing to do before we know the torrent.
            PeerEvent::Message(..) | PeerEvent::Sent(..) => {}
        }
    }

    /// Peer exchange is on in the session (a magnet link has no `private` flag yet).
    fn pex_on(&self) -> bool {
        self.shared.pex.load(Ordering::Relaxed)
    }

    fn on_extended(&mut self, key: u64, id: u8, payload: Bytes) -> Result<(), String> {
        let Some(peer) = self.peers.get_mut(&key) else {
            return Ok(());
        };
        if id == HANDSHAKE_ID {
            let hs =
                ExtHandshake::decode(&payload).map_err(|e| format!("extended handshake: {e}"))?;
            if let Some(c) = hs.client {
                peer.client = c;
            }
            let Some(ut) = hs.ut_metadata else {
                return Err("no ut_metadata: it cannot send the metadata".into());
            };
            peer.ut_metadata = Some(ut);
            if let Some(size) = hs.metadata_size {
                let addr = peer.addr;
                self.claims.insert(addr, size);
                if self.assembler.size().is_none() && self.assembler.offer_size(size) {
                    self.last_progress = Instant::now();
                }
            }
            if let (Some(port), PeerSource::Incoming) = (hs.listen_port, peer.source) {
                let listen = SocketAddr::new(peer.addr.ip(), port);
                self.add_addrs(&[listen], PeerSource::Incoming);
            }
            self.request(key);
            return Ok(());
        }
        if id == UT_PEX_ID {
            // Peer exchange works before the metadata too: more peers to ask (when it is on;
            // otherwise what a peer sends anyway is ignored).
            if !self.pex_on() {
                return Ok(());
            }
            if let Ok(pex) = PexMsg::decode(&payload) {
                let added: Vec<SocketAddr> = pex.added.iter().map(|(a, _)| *a).collect();
                self.add_addrs(&added, PeerSource::Pex);
                self.connect_more();
            }
            return Ok(());
        }
        if id != UT_METADATA_ID {
            return Ok(());
        }
        let addr = peer.addr;
        let their_id = peer.ut_metadata;
        match MetadataMsg::decode(&payload) {
            Ok(MetadataMsg::Request { piece }) => {
                // We have nothing to give yet.
                if let Some(their_id) = their_id {
                    let _ = peer.tx.send(Message::Extended {
                        id: their_id,
                        payload: MetadataMsg::Reject { piece }.encode(),
                    });
                }
            }
            Ok(MetadataMsg::Reject { piece }) => {
                self.assembler.on_reject(addr, piece);
                self.request(key);
            }
            Ok(MetadataMsg::Data {
                piece,
                total_size,
                data,
            }) => match self.assembler.on_data(addr, piece, total_size, &data) {
                Ok(Verified::Incomplete) => {
                    self.last_progress = Instant::now();
                    self.request(key);
                }
                Ok(Verified::Done(info)) => self.on_metadata(info),
                Ok(Verified::Failed { bad_senders }) => {
                    log::info(&format!(
                        "metadata from {bad_senders:?} does not match the info-hash; asking others"
                    ));
                    let bad: Vec<u64> = self
                        .peers
                        .iter()
                        .filter(|(_, p)| bad_senders.contains(&p.addr))
                        .map(|(k, _)| *k)
                        .collect();
                    for k in bad {
                        self.drop_peer(k, "sent metadata that failed the hash check");
                    }
                    for k in self.peers.keys().copied().collect::<Vec<_>>() {
                        self.request(k);
                    }
                }
                // A piece that does not fit what we expect (another size, an index we did not
                // ask for) is ignored: a liar that announced a size first must not get honest
                // peers dropped. A dictionary that fails the hash names its senders above.
                Err(e) => log::debug(&format!("metadata: ignoring a piece from {addr}: {e}")),
            },
            Err(e) if e.is_ignorable() => {}
            Err(e) => return Err(format!("bad metadata message: {e}")),
        }
        Ok(())
    }

    /// The size we adopted came from the first peer that claimed one. A liar can claim a wrong
    /// size first, and then no honest piece fits: when nothing arrived for a while (or the
    /// adopted size lost the majority) and other peers claim another size, start over with the
    /// size most of them claim. The hash check still decides who told the truth.
    fn reconsider_size(&mut self, now: Instant) {
        let Some(adopted) = self.assembler.size() else {
            return;
        };
        let mut votes: HashMap<u64, usize> = HashMap::new();
        for size in self.claims.values() {
            *votes.entry(*size).or_default() += 1;
        }
        let Some((&best, &count)) = votes
            .iter()
            .filter(|(s, _)| **s != adopted)
            .max_by_key(|(s, c)| (**c, std::cmp::Reverse(**s)))
        else {
            return;
        };
        let stalled = now.saturating_duration_since(self.last_progress) > REQUEST_TIMEOUT * 2;
        let outvoted = count > votes.get(&adopted).copied().unwrap_or(0);
        if !(stalled || outvoted) {
            return;
        }
        log::info(&format!(
            "metadata: trying the size {best} claimed by {count} peer(s) instead of {adopted}"
        ));
        let mut fresh = MetadataAssembler::new(self.info_hash);
        if fresh.offer_size(best) {
            self.assembler = fresh;
            self.last_progress = now;
        }
    }

    /// Asks a peer for metadata pieces, up to a few at a time.
    fn request(&mut self, key: u64) {
        let Some(peer) = self.peers.get(&key) else {
            return;
        };
        let Some(their_id) = peer.ut_metadata else {
            return;
        };
        let now = Instant::now();
        while self.assembler.outstanding(peer.addr) < REQUESTS_PER_PEER {
            let Some(piece) = self.assembler.next_request(peer.addr, now, REQUEST_TIMEOUT) else {
                break;
            };
            let _ = peer.tx.send(Message::Extended {
                id: their_id,
                payload: MetadataMsg::Request { piece }.encode(),
            });
        }
    }

    fn on_metadata(&mut self, info: Bytes) {
        log::info(&format!(
            "metadata of {} received ({} bytes)",
            self.info_hash,
            info.len()
        ));
        let mut peers: Vec<(SocketAddr, PeerSource)> = self
            .known
            .iter()
            .filter(|(a, k)| k.failures < MAX_CONNECT_FAILURES && !self.assembler.is_bad(**a))
            .map(|(a, k)| (*a, k.source))
            .collect();
        // Those that answered first go first.
        peers.sort_by_key(|(a, _)| !self.peers.values().any(|p| p.addr == *a));
        // Close our connections before the torrent task opens its own: a peer like libtorrent
        // refuses a second connection with the same peer id while the first is still open.
        self.peers.clear();
        let _ = self.done.send(MetadataReady {
            info_hash: self.info_hash,
            info,
            peers,
        });
        self.finished = true;
    }

    fn on_tick(&mut self) {
        if self.state != TorrentState::FetchingMetadata {
            return;
        }
        let now = Instant::now();
        let silent: Vec<u64> = self
            .peers
            .iter()
            .filter(|(_, p)| p.ut_metadata.is_none() && now - p.connected_at > HANDSHAKE_WAIT)
            .map(|(k, _)| *k)
            .collect();
        for k in silent {
            self.drop_peer(k, "no extended handshake");
        }
        self.reconsider_size(now);
        for k in self.peers.keys().copied().collect::<Vec<_>>() {
            self.request(k);
        }
        let wait = DHT_FIRST_RETRY
            .saturating_mul(1 << self.dht_lookups.min(4))
            .min(DHT_EVERY);
        if self.last_dht.is_none_or(|t| now - t > wait) {
            self.ask_dht();
        }
        self.connect_more();
        self.publish();
    }

    fn publish(&self) {
        let peers = self.peers.len();
        let tracker_error = self.tracker_error.clone();
        let state = self.state.clone();
        let changed = self.stats_tx.send_if_modified(|s| {
            let changed = s.peers != peers || s.state != state || s.tracker_error != tracker_error;
            s.peers = peers;
            s.state = state;
            s.tracker_error = tracker_error;
            changed
        });
        if changed {
            self.shared.stats_changes.fetch_add(1, Ordering::Relaxed);
        }
        if self.watched {
            let mut peers: Vec<_> = self
                .peers
                .values()
                .map(|p| crate::engine::api::PeerDetails {
                    addr: p.addr,
                    client: if p.client.is_empty() {
                        p.id.client_name()
                    } else {
                        p.client.clone()
                    },
                    source: p.source,
                    incoming: p.source == PeerSource::Incoming,
                    progress: 0.0,
                    download_rate: 0,
                    upload_rate: 0,
                    downloaded: 0,
                    uploaded: 0,
                    am_interested: false,
                    am_choking: true,
                    peer_interested: false,
                    peer_choking: true,
                    snubbed: false,
                    requests: self.assembler.outstanding(p.addr),
                })
                .collect();
            peers.sort_by_key(|p| p.addr);
            let details = TorrentDetails {
                info_hash: self.info_hash,
                save_path: self.save_path.to_path_buf(),
                comment: None,
                created_by: None,
                creation_date: None,
                private: false,
                piece_length: 0,
                total_length: 0,
                pieces: Vec::new(),
                downloading: Vec::new(),
                files: Vec::new(),
                peers,
                trackers: self.trackers.clone(),
                tracker_tiers: if self.link.trackers.is_empty() {
                    Vec::new()
                } else {
                    vec![self.link.trackers.clone()]
                },
                magnet: self.link.to_uri(),
            };
            self.details_tx.send_if_modified(|old| {
                if old.as_deref() == Some(&details) {
                    false
                } else {
                    *old = Some(Arc::new(details));
                    true
                }
            });
        }
    }
}
