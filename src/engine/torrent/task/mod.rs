//! The torrent task: one actor per torrent that owns its piece picker, choker, peers and piece
//! buffers, and reacts to peer messages, disk results, tracker answers and a periodic tick.
//!
//! Nothing else touches this state: peer connections talk to it through a bounded channel of
//! [`PeerEvent`]s, the session and the announcer through [`TorrentMsg`]s, and disk work runs on
//! blocking threads whose results come back as messages. Blocks travel as `Bytes` from the
//! socket buffer to the disk without copies; a piece is hashed, and only then written, off the
//! async workers. Memory for blocks is capped: when too much is buffered, no new requests go out
//! until the disk catches up.
//!
//! A full disk or a missing save folder is waited out, not fatal: see [`faults`].

mod control;
mod details;
mod extensions;
mod faults;
mod goals;
mod moving;
mod resume;

pub use faults::{ReadFault, WriteFault};
pub use moving::MoveReply;

use super::choker::{ChokeCandidate, Choker};
use super::fast;
use super::hasher;
use super::peer_state::{MAX_SUGGESTED, MIN_REQUEST_TIMEOUT, Peer, PeerHas};
use super::picker::{BlockOutcome, PeerKey, PeerPieces, PiecePicker};
use crate::engine::api::{
    Eta, Event, FilePriority, PeerSource, TorrentDetails, TorrentState, TorrentStats,
    TrackerDetails,
};
use crate::engine::bitfield::Bitfield;
use crate::engine::limits::{PeerBandwidth, RateLimits, TorrentBandwidth};
use crate::engine::metainfo::Metainfo;
use crate::engine::peer::conn::{self, PeerEvent};
use crate::engine::peer::wire::{BLOCK_SIZE, BlockRequest, Handshake, Message, WireLimits};
use crate::engine::peer_id::PeerId;
use crate::engine::session::{FIRST_SCRAPE_WITHIN, Shared};
use crate::engine::storage::check::{self, HashProgress};
use crate::engine::storage::piece_buf::PieceBuf;
use crate::engine::storage::resume::ResumeData;
use crate::engine::storage::{Storage, StorageError, blocks};
use crate::engine::torrent::announcer::{self, AnnounceCounters, AnnouncerMsg};
use crate::engine::tracker::{ScrapeStats, TrackerError};
use bytes::Bytes;
use rand::SeedableRng;
use rand::rngs::SmallRng;
use std::collections::{HashMap, HashSet, VecDeque};
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};
use tokio::net::TcpStream;
use tokio::sync::{mpsc, oneshot, watch};

/// How long a shutdown waits for the `stopped` announces to be answered.
const STOPPED_ANNOUNCE_WAIT: Duration = Duration::from_secs(3);
/// Ticks per second of the torrent task.
const TICK: Duration = Duration::from_millis(500);
/// Ticks between two rechokes (10 s).
const RECHOKE_TICKS: u64 = 20;
/// Rechokes between two optimistic-unchoke rotations (30 s).
const OPTIMISTIC_EVERY: u64 = 3;
/// Under a download limit, a request's deadline is at least this many times what all requests
/// in flight take at the limit.
const REQUEST_TIMEOUT_FACTOR: u64 = 4;
/// A peer with requests in flight that sends nothing for this long is snubbed.
const SNUB_TIMEOUT: Duration = Duration::from_secs(30);
/// How long a peer must have kept us choked, while we are interested, before we ask it for the
/// pieces it allowed fast (BEP 6).
const ALLOWED_FAST_AFTER: Duration = Duration::from_secs(2);
/// Bytes of received blocks held in memory (partial pieces and pieces on their way to disk)
/// before we stop asking for more.
const MAX_BUFFERED_BYTES: u64 = 8 * 1024 * 1024;
/// Requests from one peer served at once; more are rejected.
const MAX_SERVING_PER_PEER: usize = 500;
/// Bytes of pieces kept in the seeding read cache.
const READ_CACHE_BYTES: u64 = 16 * 1024 * 1024;
/// Pieces of bad data after which a peer that sent them is banned (a sole sender counts twice).
const BAN_THRESHOLD: u32 = 2;
/// Connection attempts to one address before it is given up.
const MAX_CONNECT_FAILURES: u32 = 5;
/// The peer-message channel's capacity (shared by all peers of the torrent).
const PEER_EVENT_CAPACITY: usize = 1024;
/// Why a connection to an address blocked by the IP filter or a ban was not made.
pub(super) const BLOCKED: &str = "blocked by the IP filter or a ban";

/// Messages to a torrent task from the session, the announcer and its own helper tasks.
pub enum TorrentMsg {
    /// Addresses to try.
    AddPeers(Vec<SocketAddr>, PeerSource),
    /// An incoming connection whose handshake prefix named this torrent.
    Incoming(TcpStream, [u8; 8]),
    /// Stop transferring.
    Pause,
    /// Hold transfers, keeping the peers and trackers (see [`crate::engine::session::Command::Suspend`]).
    Suspend,
    /// Start again.
    Resume,
    /// Ask the trackers for peers now.
    Reannounce,
    /// Use these (validated) tracker tiers from now on.
    SetTrackers(Vec<Vec<String>>),
    /// Stop, announce `stopped`, flush, and end; `done` is answered then.
    Shutdown(oneshot::Sender<()>),
    /// A tracker answered, or failed.
    TrackerResult(Result<usize, String>),
    /// An outgoing or incoming connection finished its handshake.
    Connected(Box<(TcpStream, Handshake, SocketAddr, PeerSource)>),
    /// A connection attempt failed.
    ConnectFailed(SocketAddr, String),
    /// A piece was hashed (and written if it matched).
    PieceDone {
        piece: u32,
        result: Result<bool, WriteFault>,
        contributors: Box<[SocketAddr]>,
        bytes: u64,
    },
    /// A piece was read for seeding.
    PieceRead(u32, Result<Bytes, ReadFault>),
    /// The verified pieces are known; `true` when found by hashing (or trusting) the files,
    /// `false` when they come from resume data.
    CheckDone(Result<Bitfield, String>, bool),
    /// A front end watches (or stops watching) this torrent's details.
    Watch(bool),
    /// New file priorities, in file order.
    SetFilePriorities(Vec<FilePriority>),
    /// Download in order, or rarest first.
    SetSequential(bool),
    /// Start the first and last piece of each wanted file before the others (or not).
    SetFirstLastPiecesFirst(bool),
    /// Hash the data again.
    Recheck,
    /// The session's seeding goals changed: check them now.
    SeedGoalsChanged,
    /// The torrent's own seeding goals.
    SetSeedGoals(crate::engine::api::GoalOverride),
    /// The trackers' latest status.
    Trackers(Vec<TrackerDetails>),
    /// A resume-data save ended.
    ResumeSaved(Result<(), String>),
    /// The torrent is being removed, and the session deletes or keeps the data of this
    /// storage: stop saving resume data, and leave no move half done (see [`moving`]).
    Removing(Option<Arc<Storage>>),
    /// New download and upload limits for this torrent (0: none).
    SetLimits(RateLimits),
    /// Set its own cap on connected peers (`None`: the session's per-torrent one).
    SetMaxPeers(Option<u32>),
    /// The queue holds the torrent (`true`) or lets it run (`false`).
    Queue(bool),
    /// Force-start it (`true`), or hand it back to the queue.
    Force(bool),
    /// The session's IP filter or bans changed: drop the peers no longer allowed.
    AccessChanged,
    /// Move the data to this folder; answered once every file is in place, or refused.
    MoveStorage(std::path::PathBuf, oneshot::Sender<MoveReply>),
    /// A move's destination was checked, and how the files will travel decided.
    MovePlanned(Box<Result<crate::engine::storage::relocate::MovePlan, String>>),
    /// The save folder, missing, was looked at: whether it is there now.
    FolderProbed(bool),
    /// The save folder, missing at start, is back: its resume data if the files match it.
    FolderBack(Option<Box<ResumeData>>),
    /// The blocking part of a move ended.
    MovePlaced(Box<Result<moving::Placed, String>>),
    /// The session recorded the new save folder of a move.
    MoveCommitted,
    /// A queued torrent's scrape of one tracker ended: the round, the tracker, the counts.
    Scraped(Box<(u32, String, Result<ScrapeStats, TrackerError>)>),
}

/// How long an address whose connection was closed as a duplicate waits before it is dialled
/// again, when the connection kept is not known to be the same address.
const DUPLICATE_RETRY: Duration = Duration::from_secs(60);

/// Whether, of two connections between the same two peers, the one that completed second is
/// kept (and the first closed): the one opened by the end with the greater peer id stays.
/// Both ends decide alike whatever order their handshakes finished in, so when two peers dial
/// each other at the same moment exactly one connection survives — rather than each end
/// keeping a different one and both being closed.
fn keeps_second_connection(
    ours: &PeerId,
    theirs: &PeerId,
    second_outgoing: bool,
    first_outgoing: bool,
) -> bool {
    second_outgoing != first_outgoing && second_outgoing == (ours.0 > theirs.0)
}

/// Dials `addr` for `info_hash` in the background (counted as a connection from now on, and
/// waiting for a half-open slot); the outcome arrives in `inbox` as [`TorrentMsg::Connected`]
/// or [`TorrentMsg::ConnectFailed`]. Used by torrents and by magnets' metadata fetchers.
///
/// Every outgoing connection starts here, so this is where the IP filter and the bans are
/// enforced last: a blocked address is never dialled (it fails at once, counted as refused).
pub(super) fn dial(
    shared: &Shared,
    inbox: &mpsc::UnboundedSender<TorrentMsg>,
    info_hash: crate::engine::InfoHash,
    addr: SocketAddr,
    source: PeerSource,
) {
    shared.connections.fetch_add(1, Ordering::Relaxed);
    if !shared.access.admit(addr.ip()) {
        let _ = inbox.send(TorrentMsg::ConnectFailed(addr, BLOCKED.to_owned()));
        return;
    }
    let inbox = inbox.clone();
    let our_id = shared.peer_id;
    let half_open = shared.half_open.clone();
    let bind = shared.config.outgoing_ip;
    tokio::spawn(async move {
        let _permit = half_open.acquire_owned().await;
        let msg = match conn::connect(addr, info_hash, our_id, bind).await {
            Ok((stream, hs)) => TorrentMsg::Connected(Box::new((stream, hs, addr, source))),
            Err(e) => TorrentMsg::ConnectFailed(addr, e.to_string()),
        };
        let _ = inbox.send(msg);
    });
}

/// Handle the session keeps for a running torrent.
pub struct TorrentHandle {
    /// The task's inbox.
    pub tx: mpsc::UnboundedSender<TorrentMsg>,
    /// Its data (for deleting it after removal); `None` for a magnet without metadata.
    pub storage: Option<Arc<Storage>>,
    /// Its latest statistics.
    pub stats: watch::Receiver<TorrentStats>,
    /// Its details, while watched.
    pub details: watch::Receiver<Option<Arc<TorrentDetails>>>,
}

struct PieceBuffer {
    blocks: Vec<Option<Bytes>>,
    contributors: Vec<SocketAddr>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AddrState {
    Idle,
    Connecting,
    Connected,
    /// Never again this session (ourselves, banned, or failed too often).
    Dead,
}

struct KnownAddr {
    state: AddrState,
    source: PeerSource,
    failures: u32,
    /// Established connections to it that ended.
    drops: u32,
    retry_at: Instant,
}

/// What the torrent needs to start.
pub struct TorrentSetup {
    /// The torrent.
    pub meta: Arc<Metainfo>,
    /// Its data.
    pub storage: Arc<Storage>,
    /// Start paused.
    pub paused: bool,
    /// Download in order.
    pub sequential: bool,
    /// Start the first and last piece of each wanted file before the others.
    pub first_last_pieces_first: bool,
    /// Trust existing files as complete.
    pub skip_check: bool,
    /// Resume data the files still back: start with its pieces, no hash check.
    pub resume: Option<ResumeData>,
    /// Peers to try at once.
    pub peers: Vec<SocketAddr>,
    /// Folder the data is saved in (for the statistics).
    pub save_path: Arc<std::path::Path>,
    /// When it was added (Unix seconds).
    pub added_at: u64,
    /// When it was first complete (Unix seconds).
    pub completed_at: Option<u64>,
    /// File priorities in file order (empty: all normal).
    pub file_priorities: Vec<FilePriority>,
    /// Its own download and upload limits.
    pub limits: RateLimits,
    /// Its own cap on connected peers; `None`: [`Config::max_connections_per_torrent`].
    ///
    /// [`Config::max_connections_per_torrent`]: crate::engine::session::Config::max_connections_per_torrent
    pub max_peers: Option<u32>,
    /// Force-started: runs whatever the queue says.
    pub forced: bool,
}

struct Torrent {
    meta: Arc<Metainfo>,
    storage: Arc<Storage>,
    shared: Arc<Shared>,
    state: TorrentState,
    picker: PiecePicker,
    choker: Choker,
    rng: SmallRng,
    peers: HashMap<PeerKey, Peer>,
    next_key: PeerKey,
    known: HashMap<SocketAddr, KnownAddr>,
    banned: HashSet<SocketAddr>,
    banned_ids: HashSet<[u8; 20]>,
    blame: HashMap<SocketAddr, u32>,
    buffers: HashMap<u32, PieceBuffer>,
    buffered_bytes: u64,
    read_cache: VecDeque<(u32, Bytes)>,
    read_waiting: HashMap<u32, Vec<(PeerKey, BlockRequest)>>,
    inbox_tx: mpsc::UnboundedSender<TorrentMsg>,
    /// The connections' events channel, made with the first connection (a torrent that never
    /// had a peer — most of a large, mostly stopped session — carries none).
    peer_tx: Option<mpsc::Sender<PeerEvent>>,
    /// Its receiving end, for the run loop to take up.
    new_peer_rx: Option<mpsc::Receiver<PeerEvent>>,
    stats_tx: watch::Sender<TorrentStats>,
    counters: Arc<AnnounceCounters>,
    announcer: Option<mpsc::UnboundedSender<AnnouncerMsg>>,
    check_progress: Arc<HashProgress>,
    downloaded: u64,
    uploaded: u64,
    wasted: u64,
    download_rate: super::peer_state::Rate,
    /// The smoothed rate and time-to-finish estimate (reset whenever not downloading).
    eta: super::eta::EtaEstimator,
    upload_rate: super::peer_state::Rate,
    ticks: u64,
    last_tick: Instant,
    tracker_error: Option<String>,
    limits: WireLimits,
    /// Where received blocks go in their buffers (in step with their files).
    placement: blocks::Placement,
    finished_reported: bool,
    /// Seeding goals: time spent seeding, and whether a goal paused it or the user waived them.
    goals: goals::GoalState,
    save_path: Arc<std::path::Path>,
    added_at: u64,
    completed_at: Option<u64>,
    file_priorities: Vec<FilePriority>,
    /// Bytes of the pieces wanted (verified or not).
    wanted_total: u64,
    sequential: bool,
    /// The first and last piece of each wanted file go first.
    first_last: bool,
    /// Go back to paused when a recheck ends.
    stay_paused: bool,
    /// Force-started: the queue never holds it.
    forced: bool,
    /// Transfers are held while peers and trackers are kept (μTorrent's Pause).
    suspended: bool,
    /// Its own cap on connected peers (see [`TorrentSetup::max_peers`]).
    max_peers: Option<u32>,
    watched: bool,
    details_tx: watch::Sender<Option<Arc<TorrentDetails>>>,
    tracker_details: Vec<TrackerDetails>,
    /// Queued with trackers: a scrape task runs ([`Torrent::track_scrape`]).
    scrape_armed: bool,
    /// The scrape task's round: a task of an earlier round ends when it changes.
    scrape_round: Arc<std::sync::atomic::AtomicU32>,
    /// The `info` dictionary as served to peers (made on the first request).
    info_bytes: Option<Bytes>,
    /// When we last announced to the DHT.
    last_dht: Option<Instant>,
    /// Resume-data saving.
    resume: resume::ResumeWriter,
    /// Bytes hashed by earlier hash checks of this run.
    hashed_before: u64,
    /// Its own rate limits' buckets, shared with its connections.
    bandwidth: TorrentBandwidth,
    /// Its data is being moved: downloads wait.
    moving: Option<moving::MoveJob>,
    /// Pieces on their way to disk.
    writes_in_flight: usize,
    /// Block bytes handed to the peers' writers and not yet sent (the sum of `Peer::unsent`):
    /// seeding goals count them, so that a goal stops the torrent within a block of it.
    unsent: u64,
    /// Pieces being read from disk to serve peers.
    reading: HashSet<u32>,
    /// A storage fault being waited out (see [`faults`]).
    storage_wait: Option<faults::StorageWait>,
    /// Disk-full failures in a row (for the pause before the next try).
    full_failures: u32,
    /// The save folder was missing at start: the pieces are not known yet.
    unchecked: bool,
    /// A file of a piece we have is gone or short (found by the resume check or a read to
    /// upload): the torrent stays stopped, progress kept, and a resume rechecks it first.
    files_missing: Option<std::path::PathBuf>,
}

/// The next event of the connections, once there is a channel for them (never before).
async fn next_peer_event(rx: &mut Option<mpsc::Receiver<PeerEvent>>) -> Option<PeerEvent> {
    match rx {
        Some(rx) => rx.recv().await,
        None => std::future::pending().await,
    }
}

/// Starts a torrent task.
pub fn spawn(setup: TorrentSetup, shared: Arc<Shared>) -> TorrentHandle {
    let (inbox_tx, inbox_rx) = mpsc::unbounded_channel();
    let meta = setup.meta.clone();
    let storage = setup.storage.clone();
    if let Some(faults) = &shared.config.storage_faults {
        storage.inject_faults(faults.clone());
    }
    let mut picker = PiecePicker::new(meta.piece_length, meta.total_length);
    picker.set_sequential(setup.sequential);
    let stats = TorrentStats {
        wanted_bytes: meta.total_length,
        pieces_total: meta.piece_count(),
        completed_at: setup.completed_at,
        limits: setup.limits,
        tracker_hosts: crate::engine::api::tracker_hosts(&meta.trackers),
        ..TorrentStats::new(
            meta.info_hash,
            meta.name.clone(),
            TorrentState::Checking,
            setup.save_path.clone(),
            setup.added_at,
        )
    };
    let (stats_tx, stats_rx) = watch::channel(stats);
    let (details_tx, details_rx) = watch::channel(None);
    let counters = Arc::new(AnnounceCounters::default());
    counters.left.store(meta.total_length, Ordering::Relaxed);
    let limits = WireLimits::new(meta.piece_count() as u32);
    let placement = blocks::Placement::new(storage.layout());
    let shared_resume = shared.resume.clone();
    let mut torrent = Torrent {
        meta,
        storage: setup.storage,
        shared,
        state: TorrentState::Checking,
        picker,
        choker: Choker::new(),
        rng: SmallRng::from_rng(&mut rand::rng()),
        peers: HashMap::new(),
        next_key: 1,
        known: HashMap::new(),
        banned: HashSet::new(),
        banned_ids: HashSet::new(),
        blame: HashMap::new(),
        buffers: HashMap::new(),
        buffered_bytes: 0,
        read_cache: VecDeque::new(),
        read_waiting: HashMap::new(),
        inbox_tx: inbox_tx.clone(),
        peer_tx: None,
        new_peer_rx: None,
        stats_tx,
        counters,
        announcer: None,
        check_progress: Arc::new(HashProgress::default()),
        downloaded: 0,
        uploaded: 0,
        wasted: 0,
        download_rate: Default::default(),
        eta: Default::default(),
        upload_rate: Default::default(),
        ticks: 0,
        last_tick: Instant::now(),
        tracker_error: None,
        limits,
        placement,
        finished_reported: false,
        goals: goals::GoalState::default(),
        save_path: setup.save_path,
        added_at: setup.added_at,
        completed_at: setup.completed_at,
        file_priorities: Vec::new(),
        wanted_total: 0,
        sequential: setup.sequential,
        first_last: setup.first_last_pieces_first,
        stay_paused: false,
        forced: setup.forced,
        suspended: false,
        max_peers: setup.max_peers,
        watched: false,
        details_tx,
        tracker_details: Vec::new(),
        scrape_armed: false,
        scrape_round: Arc::default(),
        info_bytes: None,
        last_dht: None,
        resume: resume::ResumeWriter::new(shared_resume),
        hashed_before: 0,
        bandwidth: TorrentBandwidth::new(setup.limits),
        moving: None,
        writes_in_flight: 0,
        unsent: 0,
        reading: HashSet::new(),
        storage_wait: None,
        full_failures: 0,
        unchecked: false,
        files_missing: None,
    };
    torrent.file_priorities = vec![FilePriority::Normal; torrent.meta.files.len()];
    for (slot, p) in torrent
        .file_priorities
        .iter_mut()
        .zip(&setup.file_priorities)
    {
        *slot = *p;
    }
    let resumed = setup
        .resume
        .map(|r| torrent.take_resume(r, !setup.file_priorities.is_empty()));
    torrent.apply_priorities();
    torrent.add_addrs(&setup.peers, PeerSource::Manual);
    let paused = setup.paused;
    let skip_check = setup.skip_check;
    tokio::spawn(async move {
        if torrent.storage.opened_absent() {
            torrent.start_unavailable(paused);
        } else {
            torrent.start_check(skip_check, paused, resumed);
        }
        torrent.run(inbox_rx).await;
    });
    TorrentHandle {
        tx: inbox_tx,
        storage: Some(storage),
        stats: stats_rx,
        details: details_rx,
    }
}

/// A handle for a torrent that cannot run (its metadata or save folder is unusable): it shows
/// the error and answers a shutdown, nothing else.
pub fn errored(info_hash: crate::engine::InfoHash, name: String, message: String) -> TorrentHandle {
    let (tx, mut rx) = mpsc::unbounded_channel::<TorrentMsg>();
    let stats = TorrentStats::new(
        info_hash,
        name,
        TorrentState::Error(message),
        Arc::from(std::path::Path::new("")),
        crate::engine::unix_now(),
    );
    let (_stats_tx, stats) = watch::channel(stats);
    let (_details_tx, details) = watch::channel(None);
    tokio::spawn(async move {
        while let Some(msg) = rx.recv().await {
            if let TorrentMsg::Shutdown(done) = msg {
                let _ = done.send(());
                return;
            }
        }
    });
    TorrentHandle {
        tx,
        storage: None,
        stats,
        details,
    }
}

impl Torrent {
    /// Takes the settings and totals of resume data; returns its pieces. The file priorities
    /// are kept unless `explicit_priorities` (the caller gave new ones).
    fn take_resume(&mut self, r: ResumeData, explicit_priorities: bool) -> Bitfield {
        self.first_last |= r.first_last_pieces_first;
        if r.sequential {
            self.sequential = true;
            self.picker.set_sequential(true);
        }
        self.goals.own = r.seed_goals;
        // The priorities chosen last time, unless the caller gives new ones.
        if !explicit_priorities && r.file_priorities.len() == self.meta.files.len() {
            self.file_priorities.clone_from(&r.file_priorities);
        }
        self.downloaded = r.downloaded;
        self.uploaded = r.uploaded;
        self.completed_at = self.completed_at.or(r.completed_at);
        self.files_missing = r.files_missing;
        r.have
    }

    /// The save folder, missing at start, is back: starts from `resume` when the files match
    /// it, else checks them.
    fn on_folder_back(&mut self, resume: Option<Box<ResumeData>>) {
        if self.state != TorrentState::Checking {
            return; // paused or rechecking meanwhile
        }
        let have = resume.map(|r| self.take_resume(*r, false));
        self.apply_priorities();
        self.start_check(false, false, have);
    }

    async fn run(&mut self, mut inbox: mpsc::UnboundedReceiver<TorrentMsg>) {
        let mut tick = tokio::time::interval(TICK);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut peer_rx: Option<mpsc::Receiver<PeerEvent>> = None;
        loop {
            if let Some(rx) = self.new_peer_rx.take() {
                peer_rx = Some(rx);
            }
            tokio::select! {
                biased;
                msg = inbox.recv() => match msg {
                    Some(TorrentMsg::Shutdown(done)) => {
                        self.shutdown(&mut inbox).await;
                        let _ = done.send(());
                        return;
                    }
                    Some(msg) => self.on_msg(msg),
                    None => return,
                },
                Some(ev) = next_peer_event(&mut peer_rx) => {
                    self.on_peer_event(ev);
                    // Drain what else is queued before looking at timers again.
                    for _ in 0..256 {
                        match peer_rx.as_mut().map(mpsc::Receiver::try_recv) {
                            Some(Ok(ev)) => self.on_peer_event(ev),
                            _ => break,
                        }
                    }
                }
                _ = tick.tick(), if self.wants_tick() => self.on_tick(),
            }
            self.track_scrape();
            // A torrent at rest gets no tick to publish what a message changed: now, then.
            if !self.wants_tick() {
                self.publish_stats();
                self.publish_details();
            }
        }
    }

    // ----- life cycle ---------------------------------------------------------------------

    /// Finds the verified pieces: `resumed` (from resume data), all (`skip_check`), none (no
    /// file exists yet) or by hashing the files.
    fn start_check(&mut self, skip_check: bool, paused: bool, resumed: Option<Bitfield>) {
        if paused {
            self.state = TorrentState::Paused;
        }
        if let Some(mut have) =
            resumed.filter(|h| !skip_check && h.len() == self.meta.piece_count())
        {
            if let Some(path) = self.files_missing.clone() {
                // Shown as held, not used: no transfers, no resume save, until a recheck.
                for p in have.iter_set() {
                    self.picker.set_have(p);
                }
                self.update_left();
                if self.storage.any_file_present() {
                    self.fail(format!("files missing: {}", path.display()));
                } else {
                    self.start_without_files(paused);
                }
                return;
            }
            // A piece kept in a file that is gone (or in a lost part file) is not held.
            self.storage.drop_unbacked(&mut have);
            let _ = self.inbox_tx.send(TorrentMsg::CheckDone(Ok(have), false));
            return;
        }
        if skip_check || !self.storage.any_file_present() {
            let have = if skip_check {
                Bitfield::full(self.meta.piece_count())
            } else {
                Bitfield::new(self.meta.piece_count())
            };
            let _ = self
                .inbox_tx
                .send(TorrentMsg::CheckDone(Ok(have), skip_check));
            return;
        }
        self.resume.checking();
        let storage = self.storage.clone();
        let meta = self.meta.clone();
        let progress = self.check_progress.clone();
        let inbox = self.inbox_tx.clone();
        let disk = self.shared.checking.clone();
        tokio::spawn(async move {
            let _permit = disk.acquire_owned().await;
            progress.started.store(true, Ordering::Relaxed);
            let result = tokio::task::spawn_blocking(move || {
                check::verify(&storage, &meta, check::default_threads(), &progress)
                    .map(|r| r.have)
                    .map_err(|e| e.to_string())
            })
            .await
            .unwrap_or_else(|e| Err(e.to_string()));
            let _ = inbox.send(TorrentMsg::CheckDone(result, true));
        });
    }

    fn on_check_done(&mut self, result: Result<Bitfield, String>, hashed: bool) {
        match result {
            Ok(have) => {
                for p in have.iter_set() {
                    self.picker.set_have(p);
                }
            }
            Err(e) => {
                self.fail(format!("hash check failed: {e}"));
                return;
            }
        }
        self.update_left();
        if self.stay_paused {
            self.stay_paused = false;
            self.state = TorrentState::Paused;
        }
        if self.state == TorrentState::Checking {
            self.state = self.ready_state();
        }
        if self.picker.is_complete() {
            self.finished_reported = true;
            self.on_complete_files(false, None);
        }
        if self.is_active() {
            self.start_transfers();
        }
        self.resume_ready(hashed);
        self.publish_stats();
    }

    fn start_transfers(&mut self) {
        if self.announcer.is_none() && !self.meta.trackers.is_empty() {
            self.announcer = Some(announcer::spawn(
                self.meta.info_hash,
                self.meta.trackers.clone(),
                self.shared.clone(),
                self.counters.clone(),
                self.inbox_tx.clone(),
            ));
        }
        self.connect_more();
    }

    /// The state a torrent ready to transfer enters: it waits in the queue when queueing is
    /// on (the session lets it go when a slot is free) unless it is force-started.
    fn ready_state(&self) -> TorrentState {
        if self.shared.queueing.load(Ordering::Relaxed) && !self.forced {
            TorrentState::Queued
        } else if self.picker.is_complete() {
            TorrentState::Seeding
        } else {
            TorrentState::Downloading
        }
    }

    fn pause(&mut self) {
        self.forced = false;
        self.suspended = false;
        self.stop_waiting();
        if matches!(
            self.state,
            TorrentState::Paused | TorrentState::Checking | TorrentState::Queued
        ) {
            self.state = TorrentState::Paused;
            return;
        }
        self.save_resume();
        self.state = TorrentState::Paused;
        for key in self.peers.keys().copied().collect::<Vec<_>>() {
            self.drop_peer(key, "torrent paused");
        }
        if let Some(a) = self.announcer.take() {
            let _ = a.send(AnnouncerMsg::Stop(None));
        }
    }

    /// Starts a paused or errored torrent (through the queue unless it is forced); a
    /// force-started one goes back under the queue's rule.
    fn resume(&mut self, forced: bool) {
        self.forced = forced;
        if self.suspended {
            self.lift_suspend();
        }
        if self.state != TorrentState::Paused && !matches!(self.state, TorrentState::Error(_)) {
            if forced && self.state == TorrentState::Queued {
                self.unqueue();
            }
            self.publish_stats();
            return;
        }
        if self.files_missing.is_some() {
            // The files must be checked before anything is uploaded or resumed.
            self.recheck();
            return;
        }
        self.goals.on_resume();
        if self.unchecked {
            // The save folder was missing at start: look for it now.
            self.look_for_folder_now();
            return;
        }
        self.stop_waiting();
        self.state = self.ready_state();
        if self.is_active() {
            self.start_running();
        }
        self.publish_stats();
    }

    /// The queue lets the torrent run.
    fn unqueue(&mut self) {
        if self.state != TorrentState::Queued {
            return;
        }
        self.state = if self.picker.is_complete() {
            TorrentState::Seeding
        } else {
            TorrentState::Downloading
        };
        self.start_running();
        self.publish_stats();
    }

    /// The queue holds a running torrent: like a pause, but it starts again by itself.
    fn enqueue(&mut self) {
        if !self.is_active() || self.forced {
            return;
        }
        self.save_resume();
        self.state = TorrentState::Queued;
        for key in self.peers.keys().copied().collect::<Vec<_>>() {
            self.drop_peer(key, "torrent queued");
        }
        if let Some(a) = self.announcer.take() {
            let _ = a.send(AnnouncerMsg::Stop(None));
        }
        self.publish_stats();
    }

    /// Connects again to the peers known, as after a pause.
    fn start_running(&mut self) {
        for k in self.known.values_mut() {
            if k.state != AddrState::Dead {
                k.state = AddrState::Idle;
                k.failures = 0;
            }
        }
        self.start_transfers();
    }

    /// Ends the torrent for a shutdown of the session: a move in progress ends first, then
    /// the `stopped` announces (at most [`STOPPED_ANNOUNCE_WAIT`]) and the last resume save.
    async fn shutdown(&mut self, inbox: &mut mpsc::UnboundedReceiver<TorrentMsg>) {
        for key in self.peers.keys().copied().collect::<Vec<_>>() {
            self.drop_peer(key, "shutting down");
        }
        self.end_move(inbox).await;
        // The `stopped` announce and the last resume save (syncing the files first) go on
        // together; then our file handles are closed.
        let stopped = self.announcer.take().map(|a| {
            let (done_tx, done_rx) = oneshot::channel();
            let _ = a.send(AnnouncerMsg::Stop(Some(done_tx)));
            done_rx
        });
        let announce = async {
            if let Some(done) = stopped {
                let _ = tokio::time::timeout(STOPPED_ANNOUNCE_WAIT, done).await;
            }
        };
        tokio::join!(announce, self.flush_resume());
        self.storage.close_all();
    }

    fn fail(&mut self, message: String) {
        self.stop_with_error(message, true);
    }

    /// Enters the error state with `message` and drops the peers; `tell` sends the
    /// [`Event::TorrentError`] (not for a retry failing again the same way).
    fn stop_with_error(&mut self, message: String, tell: bool) {
        self.state = TorrentState::Error(message.clone());
        for key in self.peers.keys().copied().collect::<Vec<_>>() {
            self.drop_peer(key, "torrent error");
        }
        if tell {
            let _ = self.shared.events.send(Event::TorrentError {
                info_hash: self.meta.info_hash,
                message,
            });
        }
        self.publish_stats();
    }

    /// Whether the tick has work: a torrent stopped, queued or failed — with no storage fault
    /// to wait out, no peers, no move, no rate still falling to zero, no resume data waiting
    /// and nobody watching its details — sleeps until a message wakes it, so a session of
    /// thousands of stopped torrents costs no CPU.
    fn wants_tick(&self) -> bool {
        let resting = matches!(
            self.state,
            TorrentState::Paused | TorrentState::Queued | TorrentState::Error(_)
        );
        !resting
            || !self.peers.is_empty()
            || self.storage_wait.is_some()
            || self.moving.is_some()
            || self.download_rate.get() > 0
            || self.upload_rate.get() > 0
            || self.resume.pending()
            || self.watched
    }

    fn is_active(&self) -> bool {
        matches!(
            self.state,
            TorrentState::Downloading | TorrentState::Seeding
        )
    }

    // ----- messages ----------------------------------------------------------------------

    fn on_msg(&mut self, msg: TorrentMsg) {
        match msg {
            TorrentMsg::AddPeers(addrs, source) => {
                self.add_addrs(&addrs, source);
                self.connect_more();
            }
            TorrentMsg::Incoming(stream, reserved) => self.accept_incoming(stream, reserved),
            TorrentMsg::Pause => self.pause(),
            TorrentMsg::Suspend => self.suspend(),
            TorrentMsg::Resume => self.resume(false),
            TorrentMsg::Force(true) => self.resume(true),
            TorrentMsg::Force(false) => self.forced = false,
            TorrentMsg::Queue(true) => self.enqueue(),
            TorrentMsg::Queue(false) => self.unqueue(),
            TorrentMsg::Reannounce => {
                if let Some(a) = &self.announcer {
                    let _ = a.send(AnnouncerMsg::Reannounce);
                }
            }
            TorrentMsg::SetTrackers(tiers) => self.set_trackers(tiers),
            TorrentMsg::Shutdown(_) => {}
            TorrentMsg::TrackerResult(r) => {
                self.tracker_error = r.err();
            }
            TorrentMsg::Connected(c) => {
                let (stream, hs, addr, source) = *c;
                self.on_connected(stream, hs, addr, source)
            }
            TorrentMsg::ConnectFailed(addr, reason) => {
                log::debug(&format!("connection with {addr} failed: {reason}"));
                self.shared.connections.fetch_sub(1, Ordering::Relaxed);
                if reason == BLOCKED {
                    self.known.remove(&addr);
                } else if let Some(k) = self.known.get_mut(&addr) {
                    k.failures += 1;
                    k.state = if reason.contains("ourselves") || k.failures >= MAX_CONNECT_FAILURES
                    {
                        AddrState::Dead
                    } else {
                        k.retry_at = Instant::now() + Duration::from_secs(5 << k.failures.min(6));
                        AddrState::Idle
                    };
                }
            }
            TorrentMsg::PieceDone {
                piece,
                result,
                contributors,
                bytes,
            } => {
                self.writes_in_flight = self.writes_in_flight.saturating_sub(1);
                self.on_piece_done(piece, result, contributors, bytes);
                self.try_start_move();
            }
            TorrentMsg::PieceRead(piece, result) => self.on_piece_read(piece, result),
            TorrentMsg::CheckDone(result, hashed) => self.on_check_done(result, hashed),
            TorrentMsg::ResumeSaved(result) => {
                self.on_resume_saved(result);
                self.try_start_move();
            }
            TorrentMsg::Removing(kept) => {
                self.forget_resume();
                self.on_move_removing(kept);
            }
            TorrentMsg::Watch(on) => {
                self.watched = on;
                if on {
                    self.publish_details();
                } else {
                    self.details_tx.send_replace(None);
                }
            }
            TorrentMsg::SetFilePriorities(p) => self.set_file_priorities(p),
            TorrentMsg::SetSequential(on) => self.set_sequential(on),
            TorrentMsg::SetFirstLastPiecesFirst(on) => self.set_first_last(on),
            TorrentMsg::Recheck if self.moving.is_some() => {}
            TorrentMsg::Recheck => self.recheck(),
            TorrentMsg::SeedGoalsChanged => self.check_seed_goals(),
            TorrentMsg::SetSeedGoals(goals) => self.set_own_goals(goals),
            TorrentMsg::Trackers(t) => {
                self.tracker_details = t;
                self.publish_details();
            }
            TorrentMsg::SetLimits(limits) => {
                self.bandwidth.set(limits);
                self.publish_stats();
            }
            TorrentMsg::SetMaxPeers(max) => self.set_max_peers(max),
            TorrentMsg::AccessChanged => self.enforce_access(),
            TorrentMsg::MoveStorage(dest, reply) => self.start_move(dest, reply),
            TorrentMsg::MovePlanned(result) => self.on_move_planned(*result),
            TorrentMsg::MovePlaced(result) => self.on_move_placed(*result),
            TorrentMsg::FolderProbed(present) => self.on_folder_probed(present),
            TorrentMsg::FolderBack(resume) => self.on_folder_back(resume),
            TorrentMsg::MoveCommitted => self.on_move_committed(),
            TorrentMsg::Scraped(scraped) => {
                let (round, url, result) = *scraped;
                self.on_scraped(round, &url, result);
            }
        }
    }

    // ----- connections -------------------------------------------------------------------

    fn add_addrs(&mut self, addrs: &[SocketAddr], source: PeerSource) {
        for &addr in addrs {
            if addr.port() == 0 || self.banned.contains(&addr) {
                continue;
            }
            if self.shared.config.loopback_only && !addr.ip().is_loopback() {
                continue;
            }
            if !self.known.contains_key(&addr) && !self.shared.access.admit(addr.ip()) {
                continue;
            }
            self.known.entry(addr).or_insert(KnownAddr {
                state: AddrState::Idle,
                source,
                failures: 0,
                drops: 0,
                retry_at: Instant::now(),
            });
        }
    }

    /// How many peers it may be connected to.
    fn peer_cap(&self) -> usize {
        self.max_peers.map_or(
            self.shared
                .max_connections_per_torrent
                .load(Ordering::Relaxed),
            |m| m as usize,
        )
    }

    /// Sets its own cap on connected peers; when lowered below the peers connected now, the
    /// least useful go: those we exchange nothing with first, then the slowest.
    fn set_max_peers(&mut self, max: Option<u32>) {
        self.max_peers = max;
        let cap = self.peer_cap();
        if self.peers.len() > cap {
            let mut ranked: Vec<(u64, PeerKey)> = self
                .peers
                .iter()
                .map(|(key, p)| (p.usefulness(), *key))
                .collect();
            ranked.sort_unstable();
            let excess = self.peers.len() - cap;
            for (_, key) in ranked.into_iter().take(excess) {
                self.drop_peer(key, "over the torrent's connection limit");
            }
        }
        self.publish_stats();
        self.connect_more();
    }

    fn connect_more(&mut self) {
        if !self.is_active() {
            return;
        }
        let now = Instant::now();
        let mut busy = self
            .known
            .values()
            .filter(|k| matches!(k.state, AddrState::Connecting | AddrState::Connected))
            .count();
        let max = self.peer_cap();
        let candidates: Vec<SocketAddr> = self
            .known
            .iter()
            .filter(|(_, k)| k.state == AddrState::Idle && k.retry_at <= now)
            .map(|(a, _)| *a)
            .collect();
        for addr in candidates {
            if busy >= max
                || self.shared.connections.load(Ordering::Relaxed)
                    >= self.shared.max_connections.load(Ordering::Relaxed)
            {
                break;
            }
            if let Some(k) = self.known.get_mut(&addr) {
                k.state = AddrState::Connecting;
                busy += 1;
                dial(
                    &self.shared,
                    &self.inbox_tx,
                    self.meta.info_hash,
                    addr,
                    k.source,
                );
            }
        }
    }

    fn accept_incoming(&mut self, mut stream: TcpStream, reserved: [u8; 8]) {
        let Ok(addr) = stream.peer_addr() else {
            return;
        };
        let connected = self.peers.len();
        if !self.is_active()
            || connected >= self.peer_cap()
            || self.shared.connections.load(Ordering::Relaxed)
                >= self.shared.max_connections.load(Ordering::Relaxed)
            || self.banned.contains(&addr)
            || !self.shared.access.admit(addr.ip())
        {
            return; // dropping the stream closes it
        }
        self.shared.connections.fetch_add(1, Ordering::Relaxed);
        let inbox = self.inbox_tx.clone();
        let info_hash = self.meta.info_hash;
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
        // The filter or the bans may have changed during the handshake.
        if !self.shared.access.admit(addr.ip()) {
            self.shared.connections.fetch_sub(1, Ordering::Relaxed);
            self.known.remove(&addr);
            return;
        }
        // A second connection with the same peer (both ends dialled at once): one of the two
        // goes, the same one at both ends.
        let outgoing = source != PeerSource::Incoming;
        let twin = self
            .peers
            .iter()
            .find(|(_, p)| p.id == hs.peer_id)
            .map(|(k, p)| (*k, p.source != PeerSource::Incoming));
        let replaces = twin.filter(|&(_, twin_outgoing)| {
            keeps_second_connection(&self.shared.peer_id, &hs.peer_id, outgoing, twin_outgoing)
        });
        let duplicate = twin.is_some() && replaces.is_none();
        // Handshakes finish in any order: the cap is checked again here.
        let full = self.peers.len() - usize::from(replaces.is_some()) >= self.peer_cap();
        if !self.is_active() || full || self.banned_ids.contains(&hs.peer_id.0) || duplicate {
            self.shared.connections.fetch_sub(1, Ordering::Relaxed);
            if duplicate && let Some((twin_key, _)) = twin {
                log::debug(&format!(
                    "{addr}: a second connection with the same peer, closed"
                ));
                self.alias_duplicate(twin_key, addr);
            } else if let Some(k) = self.known.get_mut(&addr) {
                k.state = AddrState::Idle;
            }
            return;
        }
        if let Some((twin_key, _)) = replaces {
            self.drop_peer(
                twin_key,
                "a second connection with the same peer is kept instead",
            );
        }
        let key = self.next_key;
        self.next_key += 1;
        let bandwidth = PeerBandwidth::new(&self.bandwidth, &self.shared.bandwidth);
        let events = match &self.peer_tx {
            Some(tx) => tx.clone(),
            None => {
                let (tx, rx) = mpsc::channel(PEER_EVENT_CAPACITY);
                self.new_peer_rx = Some(rx);
                self.peer_tx = Some(tx.clone());
                tx
            }
        };
        let tx = conn::spawn(
            stream,
            key,
            self.limits,
            self.placement.clone(),
            bandwidth,
            events,
        );
        let ours = Handshake::new(self.meta.info_hash, self.shared.peer_id);
        let mut peer = Peer::new(addr, hs.peer_id, source, tx, self.meta.piece_count());
        peer.fast = hs.supports_fast() && ours.supports_fast();
        peer.extensions = hs.supports_extensions() && ours.supports_extensions();
        // Our pieces first (BEP 3: the bitfield, or BEP 6's compact forms).
        let have = self.picker.have();
        if peer.fast && have.is_complete() {
            peer.send(Message::HaveAll);
        } else if peer.fast && have.count() == 0 {
            peer.send(Message::HaveNone);
        } else if have.count() > 0 {
            peer.send(Message::Bitfield(Bytes::copy_from_slice(have.as_bytes())));
        }
        if peer.extensions {
            peer.send(self.our_ext_handshake(addr));
        }
        if peer.fast {
            // BEP 6: the pieces of its canonical allowed-fast set that we have, it may
            // request while we choke it; the others, once we have them.
            let count = self.meta.piece_count();
            let set = fast::allowed_fast_set(
                addr.ip(),
                &self.meta.info_hash,
                u32::try_from(count).unwrap_or(u32::MAX),
                fast::set_size(count),
            );
            for piece in set {
                if self.picker.have().get(piece as usize) {
                    peer.send(Message::AllowedFast(piece));
                    peer.allowed_fast_out.push(piece);
                } else {
                    peer.allowed_fast_later.push(piece);
                }
            }
        }
        match self.known.get_mut(&addr) {
            Some(k) => k.state = AddrState::Connected,
            None => {
                if source != PeerSource::Incoming {
                    self.known.insert(
                        addr,
                        KnownAddr {
                            state: AddrState::Connected,
                            source,
                            failures: 0,
                            drops: 0,
                            retry_at: Instant::now(),
                        },
                    );
                }
            }
        }
        log::debug(&format!(
            "connected to {addr} ({})",
            hs.peer_id.client_name()
        ));
        self.peers.insert(key, peer);
    }

    /// A connection with the peer of `twin` was closed as its duplicate: the address it was
    /// dialled at is reached through `twin` while that lasts, so it is not dialled again
    /// meanwhile (and never given up for good).
    fn alias_duplicate(&mut self, twin: PeerKey, addr: SocketAddr) {
        let Some(k) = self.known.get_mut(&addr) else {
            return;
        };
        match self.peers.get_mut(&twin) {
            Some(peer) if peer.source == PeerSource::Incoming && peer.addr.ip() == addr.ip() => {
                peer.listen_port = Some(addr.port());
                k.state = AddrState::Connected;
            }
            _ => {
                k.state = AddrState::Idle;
                k.retry_at = Instant::now() + DUPLICATE_RETRY;
            }
        }
    }

    fn drop_peer(&mut self, key: PeerKey, reason: &str) {
        let Some(peer) = self.peers.remove(&key) else {
            return;
        };
        log::debug(&format!("peer {} gone: {reason}", peer.addr));
        // What its writer had not sent is dropped with it (the writer stops at once).
        self.unsent = self.unsent.saturating_sub(peer.unsent);
        self.shared.connections.fetch_sub(1, Ordering::Relaxed);
        self.picker.remove_peer(key, peer.has.as_pieces());
        // The address it was reached at, and for one that dialled us, the address it listens at.
        let listening = peer
            .listen_port
            .filter(|_| peer.source == PeerSource::Incoming)
            .map(|port| SocketAddr::new(peer.addr.ip(), port));
        for addr in std::iter::once(peer.addr).chain(listening) {
            if let Some(k) = self.known.get_mut(&addr)
                && k.state == AddrState::Connected
            {
                k.state = AddrState::Idle;
                // The first drop gets a quick second try (a peer may have refused us only
                // because an older connection of ours, e.g. the magnet's metadata fetcher, was
                // still open); after that, every 10 s.
                let wait = if k.drops == 0 { 1 } else { 10 };
                k.drops += 1;
                k.retry_at = Instant::now() + Duration::from_secs(wait);
            }
        }
        for list in self.read_waiting.values_mut() {
            list.retain(|(k, _)| *k != key);
        }
        // Its requests are free again: hand them to the others.
        let others: Vec<PeerKey> = self.peers.keys().copied().collect();
        for k in others {
            self.fill_requests(k);
        }
    }

    /// Drops the peers the session's filter or bans no longer allow, and forgets their
    /// addresses (a tracker or PEX may tell them again; they are checked then).
    fn enforce_access(&mut self) {
        let blocked: Vec<PeerKey> = self
            .peers
            .iter()
            .filter(|(_, p)| !self.shared.access.allows(p.addr.ip()))
            .map(|(k, _)| *k)
            .collect();
        for key in blocked {
            self.drop_peer(key, BLOCKED);
        }
        let access = &self.shared.access;
        self.known
            .retain(|addr, k| k.state == AddrState::Connecting || access.allows(addr.ip()));
        self.publish_stats();
    }

    fn ban(&mut self, addr: SocketAddr) {
        if !self.banned.insert(addr) {
            return;
        }
        if let Some(k) = self.known.get_mut(&addr) {
            k.state = AddrState::Dead;
        }
        let keys: Vec<PeerKey> = self
            .peers
            .iter()
            .filter(|(_, p)| p.addr == addr)
            .map(|(k, _)| *k)
            .collect();
        for key in keys {
            if let Some(p) = self.peers.get(&key) {
                self.banned_ids.insert(p.id.0);
            }
            self.drop_peer(key, "banned for sending bad data");
        }
        let _ = self.shared.events.send(Event::PeerBanned {
            info_hash: self.meta.info_hash,
            addr,
        });
    }

    // ----- peer messages -----------------------------------------------------------------

    fn on_peer_event(&mut self, ev: PeerEvent) {
        match ev {
            PeerEvent::Closed(key, reason) => self.drop_peer(key, &reason),
            PeerEvent::Sent(key, len) => self.on_sent(key, len),
            PeerEvent::Message(key, msg) => {
                if let Err(reason) = self.on_message(key, msg) {
                    log::info(&format!(
                        "dropping peer {}: {reason}",
                        self.peers
                            .get(&key)
                            .map_or_else(String::new, |p| p.addr.to_string())
                    ));
                    self.drop_peer(key, &reason);
                }
            }
        }
    }

    fn on_message(&mut self, key: PeerKey, msg: Message) -> Result<(), String> {
        let piece_count = self.meta.piece_count();
        let Some(peer) = self.peers.get_mut(&key) else {
            return Ok(());
        };
        // BEP 3/6: the bitfield (or have-all/have-none) must come first — but BEP 10's extended
        // handshake, keep-alives and the DHT port may precede it (libtorrent sends its extended
        // handshake before its have-all).
        let preamble = matches!(
            msg,
            Message::Extended { .. } | Message::KeepAlive | Message::Port(_)
        );
        let first = !peer.got_first_message && !preamble;
        if !preamble {
            peer.got_first_message = true;
        }
        match msg {
            Message::KeepAlive => {}
            // BEP 6: a hint of what it would like to send; kept for the picker (bounded).
            Message::Suggest(index) => {
                if peer.fast
                    && (index as usize) < piece_count
                    && self.picker.wants(index as usize)
                    && !peer.suggested.contains(&index)
                {
                    if peer.suggested.len() >= MAX_SUGGESTED {
                        peer.suggested.pop_front();
                    }
                    peer.suggested.push_back(index);
                }
            }
            Message::Port(port) => self.on_dht_port(key, port),
            Message::Choke => {
                peer.peer_choking = true;
                // BEP 6: a choke does not cancel requests for pieces it allowed fast.
                let dropped: Vec<BlockRequest> = peer
                    .outstanding
                    .keys()
                    .filter(|r| !peer.may_ask(r.piece))
                    .copied()
                    .collect();
                for r in &dropped {
                    peer.outstanding.remove(r);
                    self.picker.on_request_dropped(r, key);
                }
                self.fill_requests(key);
            }
            Message::Unchoke => {
                peer.peer_choking = false;
                peer.last_block = Instant::now();
                self.fill_requests(key);
            }
            Message::Interested => {
                peer.peer_interested = true;
                let unchoked = self.peers.values().filter(|p| !p.am_choking).count();
                if self.choker.has_free_slot(unchoked) {
                    self.set_choke(key, false);
                }
            }
            Message::NotInterested => {
                peer.peer_interested = false;
            }
            Message::Have(index) => {
                let index = index as usize;
                if let PeerHas::Some(b) = &mut peer.has
                    && !b.get(index)
                {
                    b.set(index);
                    self.picker.peer_has(index);
                }
                self.update_interest(key);
            }
            // BEP 3 and 6 want the bitfield (or have-all/have-none) first, but real clients
            // differ: libtorrent sends its extended handshake before have-all, aria2 sends
            // have-none and later a bitfield. A later availability message replaces the
            // earlier one, as libtorrent tolerates too.
            Message::Bitfield(bytes) => {
                let bits = Bitfield::from_bytes(&bytes, piece_count)
                    .ok_or_else(|| "malformed bitfield".to_owned())?;
                self.replace_pieces(key, PeerHas::Some(bits));
            }
            Message::HaveAll | Message::HaveNone => {
                if !peer.fast {
                    return Err("fast-extension message without the fast extension".into());
                }
                let has = if matches!(msg, Message::HaveAll) {
                    PeerHas::All
                } else {
                    PeerHas::Some(Bitfield::new(piece_count))
                };
                self.replace_pieces(key, has);
            }
            Message::Request(req) => self.on_request(key, req)?,
            Message::Cancel(req) => self.on_cancel(key, req),
            Message::Piece {
                piece,
                offset,
                data,
            } => {
                let req = BlockRequest {
                    piece,
                    offset,
                    length: data.len() as u32,
                };
                self.on_block(key, req, data);
            }
            Message::Reject(req) => {
                if !peer.fast {
                    return Err("reject without the fast extension".into());
                }
                if peer.outstanding.remove(&req).is_some() {
                    self.picker.on_request_dropped(&req, key);
                }
            }
            // BEP 6: pieces we may request while it chokes us (bounded; others ignored).
            Message::AllowedFast(index) => {
                if !peer.fast {
                    return Err("allowed fast without the fast extension".into());
                }
                if (index as usize) < piece_count
                    && !peer.allowed_fast.contains(&index)
                    && peer.allowed_fast.len() < fast::MAX_ALLOWED_FAST_IN
                {
                    peer.allowed_fast.push(index);
                    if peer.peer_choking {
                        self.fill_requests(key);
                    }
                }
            }
            Message::Extended { id, payload } => self.on_extended(key, id, payload)?,
        }
        if first {
            self.on_first_message(key);
        }
        Ok(())
    }

    /// A peer's whole piece set is replaced (bitfield, have-all, have-none).
    fn replace_pieces(&mut self, key: PeerKey, has: PeerHas) {
        let Some(peer) = self.peers.get_mut(&key) else {
            return;
        };
        let old = std::mem::replace(&mut peer.has, has);
        self.picker.remove_availability(old.as_pieces());
        if let Some(peer) = self.peers.get(&key) {
            self.picker.add_peer(peer.has.as_pieces());
        }
        self.update_interest(key);
    }

    fn on_first_message(&mut self, key: PeerKey) {
        // Two seeds have nothing to say to each other.
        let both_seeds =
            self.picker.is_complete() && self.peers.get(&key).is_some_and(|p| p.has.is_seed());
        if both_seeds {
            self.drop_peer(key, "both are seeds");
        }
    }

    fn update_interest(&mut self, key: PeerKey) {
        let Some(peer) = self.peers.get_mut(&key) else {
            return;
        };
        let interesting = self.picker.is_interesting(peer.has.as_pieces());
        if interesting != peer.am_interested {
            peer.am_interested = interesting;
            peer.interested_at = interesting.then(Instant::now);
            peer.send(if interesting {
                Message::Interested
            } else {
                Message::NotInterested
            });
        }
        if interesting {
            self.fill_requests(key);
        }
    }

    fn set_choke(&mut self, key: PeerKey, choke: bool) {
        if let Some(peer) = self.peers.get_mut(&key)
            && peer.am_choking != choke
        {
            peer.am_choking = choke;
            peer.send(if choke {
                Message::Choke
            } else {
                Message::Unchoke
            });
            if choke {
                // Blocks not yet handed to the writer are not sent (rejected, with BEP 6),
                // except those of the pieces we allowed fast.
                let (keep, drop): (VecDeque<_>, VecDeque<_>) = std::mem::take(&mut peer.backlog)
                    .into_iter()
                    .partition(|(req, _)| peer.allowed_fast_out.contains(&req.piece));
                peer.backlog = keep;
                for (req, _) in drop {
                    peer.serving = peer.serving.saturating_sub(1);
                    if peer.fast {
                        peer.send(Message::Reject(req));
                    }
                }
            }
        }
    }

    /// The peer takes back a request: unsent, it is dropped (rejected, with BEP 6).
    fn on_cancel(&mut self, key: PeerKey, req: BlockRequest) {
        let Some(peer) = self.peers.get_mut(&key) else {
            return;
        };
        let before = peer.backlog.len();
        peer.backlog.retain(|(r, _)| *r != req);
        let mut dropped = before - peer.backlog.len();
        if let Some(waiting) = self.read_waiting.get_mut(&req.piece) {
            let before = waiting.len();
            waiting.retain(|(k, r)| !(*k == key && *r == req));
            dropped += before - waiting.len();
        }
        if dropped > 0 {
            peer.serving = peer.serving.saturating_sub(dropped);
            if peer.fast {
                peer.send(Message::Reject(req));
            }
        }
    }

    /// Hands blocks of the backlog to the writer while its queue has room.
    fn pump(&mut self, key: PeerKey) {
        let mut budget = self.upload_budget();
        let Some(peer) = self.peers.get_mut(&key) else {
            return;
        };
        let ahead = peer.send_ahead();
        while peer.unsent < ahead && budget != Some(0) {
            let Some((req, data)) = peer.backlog.pop_front() else {
                break;
            };
            peer.serving = peer.serving.saturating_sub(1);
            peer.unsent += data.len() as u64;
            self.unsent += data.len() as u64;
            budget = budget.map(|b| b.saturating_sub(data.len() as u64));
            peer.send(Message::Piece {
                piece: req.piece,
                offset: req.offset,
                data,
            });
        }
    }

    /// The tightest download limit on this torrent, its own or the session's (0: none).
    fn download_limit(&self) -> u64 {
        [
            self.bandwidth.download.rate(),
            self.shared.bandwidth.download.rate(),
        ]
        .into_iter()
        .filter(|&r| r != 0)
        .min()
        .unwrap_or(0)
    }

    fn fill_requests(&mut self, key: PeerKey) {
        if self.state != TorrentState::Downloading
            || self.buffered_bytes > MAX_BUFFERED_BYTES
            || self.moving.is_some()
            || self.suspended
        {
            return;
        }
        let limit = self.download_limit();
        let piece_count = self.meta.piece_count();
        let Some(peer) = self.peers.get_mut(&key) else {
            return;
        };
        let depth = peer.request_room(limit);
        if !peer.am_interested || peer.outstanding.len() >= depth {
            return;
        }
        // Choked, only the pieces it allowed fast (BEP 6) that it has.
        let allowed;
        let pieces = if peer.peer_choking {
            // Not at once: most peers unchoke within a round trip of our interest, and pieces
            // started while choked would go before the ones the picker prefers (first and
            // last pieces, high priority, sequential order).
            let choked_for = peer.interested_at.map(|t| t.elapsed());
            if !peer.fast
                || peer.allowed_fast.is_empty()
                || choked_for.is_none_or(|d| d < ALLOWED_FAST_AFTER)
            {
                return;
            }
            let mut bits = Bitfield::new(piece_count);
            for &p in &peer.allowed_fast {
                if peer.has.has(p as usize) {
                    bits.set(p as usize);
                }
            }
            allowed = bits;
            PeerPieces::Some(&allowed)
        } else {
            peer.has.as_pieces()
        };
        let room = depth - peer.outstanding.len();
        let suggested: Vec<u32> = peer.suggested.iter().copied().collect();
        let reqs = self.picker.pick_suggested(key, pieces, room, &suggested);
        let now = Instant::now();
        if peer.outstanding.is_empty() {
            peer.last_block = now;
        }
        for r in reqs {
            peer.outstanding.insert(r, now);
            peer.send(Message::Request(r));
        }
    }

    fn on_block(&mut self, key: PeerKey, req: BlockRequest, data: Bytes) {
        let len = data.len() as u64;
        let Some(peer) = self.peers.get_mut(&key) else {
            return;
        };
        peer.outstanding.remove(&req);
        peer.downloaded += len;
        peer.download.add(len);
        peer.last_block = Instant::now();
        peer.last_answer = Some(peer.last_block);
        peer.snubbed = false;
        let addr = peer.addr;
        self.downloaded += len;
        self.download_rate.add(len);
        self.eta.add(len);
        self.counters.downloaded.fetch_add(len, Ordering::Relaxed);
        if self.moving.is_some() {
            // Its request was cancelled when the move began: nothing is written until it ends.
            self.wasted += len;
            return;
        }
        match self.picker.on_block(&req, key) {
            BlockOutcome::Unwanted => self.wasted += len,
            BlockOutcome::Accepted {
                piece_complete,
                others,
            } => {
                for other in others {
                    if let Some(o) = self.peers.get_mut(&other)
                        && o.outstanding.remove(&req).is_some()
                    {
                        o.send(Message::Cancel(req));
                    }
                }
                let blocks = self
                    .picker
                    .piece_size(req.piece as usize)
                    .div_ceil(u64::from(BLOCK_SIZE));
                let buffer = self
                    .buffers
                    .entry(req.piece)
                    .or_insert_with(|| PieceBuffer {
                        blocks: vec![None; blocks as usize],
                        contributors: Vec::new(),
                    });
                if let Some(slot) = buffer.blocks.get_mut((req.offset / BLOCK_SIZE) as usize) {
                    *slot = Some(data);
                    self.buffered_bytes += len;
                }
                if !buffer.contributors.contains(&addr) {
                    buffer.contributors.push(addr);
                }
                if piece_complete && let Some(buffer) = self.buffers.remove(&req.piece) {
                    self.write_piece(req.piece, buffer);
                }
            }
        }
        self.fill_requests(key);
    }

    fn write_piece(&mut self, piece: u32, buffer: PieceBuffer) {
        let storage = self.storage.clone();
        storage.set_direct_writes(self.shared.direct_writes.load(Ordering::Relaxed));
        let expected = self
            .meta
            .piece_hashes
            .get(piece as usize)
            .copied()
            .unwrap_or_default();
        let offset = u64::from(piece) * self.meta.piece_length;
        let inbox = self.inbox_tx.clone();
        let shared = self.shared.clone();
        let bytes: u64 = buffer.blocks.iter().flatten().map(|b| b.len() as u64).sum();
        self.writes_in_flight += 1;
        tokio::spawn(async move {
            let contributors: Box<[SocketAddr]> = buffer.contributors.as_slice().into();
            let blocks: Vec<Bytes> = buffer.blocks.into_iter().flatten().collect();
            // Hashed on the session's hashing threads, with other pieces if more are coming
            // ([`hasher`]); where none can, on the blocking thread of the write.
            let hash = shared.hasher.sha1(&blocks).await;
            let result = if hash.is_some_and(|h| h != expected) {
                Ok(false)
            } else {
                let _permit = shared.disk.clone().acquire_owned().await;
                tokio::task::spawn_blocking(move || {
                    if hash.unwrap_or_else(|| hasher::sha1_here(&blocks)) != expected {
                        return Ok(false);
                    }
                    storage
                        .write_blocks(offset, &blocks)
                        .map_err(|e: StorageError| faults::WriteFault::classify(&e, &storage))?;
                    Ok(true)
                })
                .await
                .unwrap_or_else(|e| Err(faults::WriteFault::Other(e.to_string())))
            };
            let _ = inbox.send(TorrentMsg::PieceDone {
                piece,
                result,
                contributors,
                bytes,
            });
        });
    }

    /// A queued torrent does not announce, so its trackers are asked for the swarm's counts
    /// instead (scrape, as libtorrent does for its queued torrents): a task per queued torrent
    /// scrapes each tracker, first at a random moment within [`FIRST_SCRAPE_WITHIN`], then
    /// every [`crate::engine::session::Config::scrape_interval`], until the torrent leaves the queue.
    fn track_scrape(&mut self) {
        let queued = self.state == TorrentState::Queued && !self.meta.trackers.is_empty();
        if queued == self.scrape_armed {
            return;
        }
        self.scrape_armed = queued;
        let round = self
            .scrape_round
            .fetch_add(1, Ordering::Relaxed)
            .wrapping_add(1);
        if !queued {
            return;
        }
        if self.tracker_details.is_empty() {
            self.tracker_details = self.listed_trackers();
        }
        let urls: Vec<String> = self.meta.trackers.iter().flatten().cloned().collect();
        let interval = self
            .shared
            .config
            .scrape_interval
            .max(Duration::from_secs(1));
        let first = interval
            .min(FIRST_SCRAPE_WITHIN)
            .mul_f64(rand::random::<f64>());
        let current = self.scrape_round.clone();
        let shared = self.shared.clone();
        let inbox = self.inbox_tx.clone();
        let info_hash = self.meta.info_hash;
        tokio::spawn(async move {
            tokio::time::sleep(first).await;
            loop {
                for url in &urls {
                    if current.load(Ordering::Relaxed) != round {
                        return;
                    }
                    let result = shared.trackers.scrape(url, info_hash).await;
                    let msg = TorrentMsg::Scraped(Box::new((round, url.clone(), result)));
                    if inbox.send(msg).is_err() {
                        return;
                    }
                }
                tokio::time::sleep(interval).await;
            }
        });
    }

    /// A scrape's counts go into the tracker's details (and the swarm counts of the stats).
    fn on_scraped(&mut self, round: u32, url: &str, result: Result<ScrapeStats, TrackerError>) {
        if round != self.scrape_round.load(Ordering::Relaxed) {
            return;
        }
        let Some(t) = self.tracker_details.iter_mut().find(|t| t.url == url) else {
            return;
        };
        match result {
            Ok(counts) => {
                t.seeders = Some(counts.complete);
                t.leechers = Some(counts.incomplete);
            }
            Err(e) => log::debug(&format!("scrape of {url}: {e}")),
        }
        self.publish_stats();
        self.publish_details();
    }

    fn on_piece_done(
        &mut self,
        piece: u32,
        result: Result<bool, WriteFault>,
        contributors: Box<[SocketAddr]>,
        bytes: u64,
    ) {
        self.buffered_bytes = self.buffered_bytes.saturating_sub(bytes);
        match result {
            Ok(true) => {
                self.full_failures = 0;
                self.picker.set_have(piece as usize);
                self.resume.note_piece();
                self.update_left();
                if self.shared.config.piece_events {
                    let _ = self.shared.events.send(Event::PieceVerified {
                        info_hash: self.meta.info_hash,
                        piece,
                    });
                }
                for key in self.peers.keys().copied().collect::<Vec<_>>() {
                    if let Some(p) = self.peers.get_mut(&key) {
                        if !p.has.has(piece as usize) {
                            p.send(Message::Have(piece));
                        }
                        if let Some(i) = p.allowed_fast_later.iter().position(|&f| f == piece) {
                            p.allowed_fast_later.swap_remove(i);
                            p.send(Message::AllowedFast(piece));
                            p.allowed_fast_out.push(piece);
                        }
                        if p.am_interested && p.has.has(piece as usize) {
                            self.update_interest(key);
                        }
                    }
                }
                if self.picker.is_complete() && !self.finished_reported {
                    self.finished_reported = true;
                    self.on_finished();
                }
            }
            Ok(false) => {
                self.picker.on_piece_failed(piece as usize);
                self.wasted += bytes;
                log::info(&format!(
                    "piece {piece} failed its hash check (from {contributors:?})"
                ));
                let weight = if contributors.len() == 1 { 2 } else { 1 };
                for addr in contributors {
                    let blame = self.blame.entry(addr).or_insert(0);
                    *blame += weight;
                    if *blame >= BAN_THRESHOLD * 2 - 1 + u32::from(weight == 1) {
                        self.ban(addr);
                    }
                }
            }
            Err(fault) => {
                self.picker.on_piece_failed(piece as usize);
                match fault {
                    faults::WriteFault::DiskFull(m) => {
                        self.wait_for_storage(faults::WaitKind::DiskFull, m)
                    }
                    faults::WriteFault::Unavailable(m) => {
                        self.wait_for_storage(faults::WaitKind::Unavailable, m)
                    }
                    faults::WriteFault::Other(e) => {
                        self.fail(format!("cannot write piece {piece}: {e}"))
                    }
                }
                return;
            }
        }
        for key in self.peers.keys().copied().collect::<Vec<_>>() {
            self.fill_requests(key);
        }
    }

    fn on_finished(&mut self) {
        self.state = TorrentState::Seeding;
        if self.completed_at.is_none() {
            self.completed_at = Some(crate::engine::unix_now());
        }
        if let Some(a) = &self.announcer {
            let _ = a.send(AnnouncerMsg::Completed);
        }
        // Tell the peers we no longer want anything; drop the seeds.
        for key in self.peers.keys().copied().collect::<Vec<_>>() {
            self.update_interest(key);
            if self.peers.get(&key).is_some_and(|p| p.has.is_seed()) {
                self.drop_peer(key, "both are seeds");
            }
        }
        self.publish_stats();
        // Every piece is written (in the page cache). Durability is the resume writer's job: it
        // syncs the data files before it records their pieces, so a crash never loses a piece
        // it claims; it saves now, in the background, so finishing is not as slow as the disk.
        // The event goes out once the empty files exist too, so whoever hears "finished" finds
        // every file of the torrent.
        self.save_resume();
        let move_to = self
            .shared
            .move_completed
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        self.on_complete_files(true, move_to);
    }

    /// Creates the empty files, which no piece ever writes (on a blocking thread), then, when
    /// `announce` is set, reports the torrent finished; then, given a folder for completed
    /// downloads ([`crate::engine::session::Config::move_completed`]), asks the session to
    /// move the data there.
    fn on_complete_files(&self, announce: bool, move_to: Option<std::path::PathBuf>) {
        let storage = self.storage.clone();
        let events = self.shared.events.clone();
        let info_hash = self.meta.info_hash;
        let save_path = self.save_path.clone();
        let session = self.shared.commands.clone();
        tokio::task::spawn_blocking(move || {
            if let Err(e) = storage.create_empty_files() {
                log::info(&format!("{info_hash}: cannot create the empty files: {e}"));
            }
            if announce {
                let _ = events.send(Event::TorrentFinished { info_hash });
            }
            let Some(dest) = move_to else {
                return;
            };
            if let Err(e) = std::fs::create_dir_all(&dest) {
                let _ = events.send(Event::TorrentError {
                    info_hash,
                    message: format!(
                        "cannot move the finished download to `{}`: {e}",
                        dest.display()
                    ),
                });
                return;
            }
            if moving::same_folder(&save_path, &dest) {
                return;
            }
            if let Some(session) = session.upgrade() {
                let _ = session.send(crate::engine::session::Command::MoveStorage(
                    info_hash, dest,
                ));
            }
        });
    }

    // ----- serving ---------------------------------------------------------------------

    fn on_request(&mut self, key: PeerKey, req: BlockRequest) -> Result<(), String> {
        let piece_size = self.picker.piece_size(req.piece as usize);
        if u64::from(req.offset) + u64::from(req.length) > piece_size {
            return Err(format!("request past the end of piece {}", req.piece));
        }
        let Some(peer) = self.peers.get_mut(&key) else {
            return Ok(());
        };
        let have = self.picker.have().get(req.piece as usize);
        if !have || !peer.may_request(req.piece) || peer.serving >= MAX_SERVING_PER_PEER {
            if peer.fast {
                peer.send(Message::Reject(req));
            }
            return Ok(());
        }
        peer.serving += 1;
        if let Some((_, data)) = self.read_cache.iter().find(|(p, _)| *p == req.piece) {
            let data = data.clone();
            self.send_block(key, req, &data);
            return Ok(());
        }
        self.read_waiting
            .entry(req.piece)
            .or_default()
            .push((key, req));
        // While a move renames the files, reads wait for them in their new folder.
        if !self
            .moving
            .as_ref()
            .is_some_and(moving::MoveJob::holds_reads)
        {
            self.start_read(req.piece);
        }
        Ok(())
    }

    /// Reads `piece` from disk for the requests waiting for it, unless a read of it is already
    /// in flight.
    fn start_read(&mut self, piece: u32) {
        if !self.reading.insert(piece) {
            return;
        }
        let piece_size = self.picker.piece_size(piece as usize);
        let storage = self.storage.clone();
        let inbox = self.inbox_tx.clone();
        let shared = self.shared.clone();
        let offset = u64::from(piece) * self.meta.piece_length;
        let expected = self
            .meta
            .piece_hashes
            .get(piece as usize)
            .copied()
            .unwrap_or_default();
        tokio::spawn(async move {
            let read = {
                let _permit = shared.disk.clone().acquire_owned().await;
                let storage = storage.clone();
                tokio::task::spawn_blocking(move || {
                    let mut buf = PieceBuf::take(piece_size as usize);
                    storage
                        .read_at(offset, buf.as_mut_slice())
                        .map_err(|e| ReadFault::classify(&e, &storage, piece))?;
                    Ok(buf.into_bytes())
                })
                .await
                .unwrap_or_else(|e| Err(ReadFault::Other(e.to_string())))
            };
            // Never upload what no longer verifies (a file changed under us). Hashed on the
            // session's hashing threads, with other pieces being read if any.
            let result = match read {
                Ok(data) => {
                    let blocks = std::slice::from_ref(&data);
                    let hash = match shared.hasher.sha1(blocks).await {
                        Some(hash) => Some(hash),
                        None => {
                            let data = data.clone();
                            tokio::task::spawn_blocking(move || {
                                hasher::sha1_here(std::slice::from_ref(&data))
                            })
                            .await
                            .ok()
                        }
                    };
                    if hash == Some(expected) {
                        Ok(data)
                    } else {
                        Err(ReadFault::changed(&storage, piece))
                    }
                }
                Err(e) => Err(e),
            };
            let _ = inbox.send(TorrentMsg::PieceRead(piece, result));
        });
    }

    /// Starts the reads that waited (while a move renamed the files).
    fn serve_held_reads(&mut self) {
        let held: Vec<u32> = self
            .read_waiting
            .keys()
            .filter(|p| !self.reading.contains(p))
            .copied()
            .collect();
        for piece in held {
            self.start_read(piece);
        }
    }

    fn on_piece_read(&mut self, piece: u32, result: Result<Bytes, ReadFault>) {
        self.reading.remove(&piece);
        self.on_move_read_done(piece);
        let waiting = self.read_waiting.remove(&piece).unwrap_or_default();
        match result {
            Ok(data) => {
                for (key, req) in waiting {
                    self.send_block(key, req, &data);
                }
                let cap = READ_CACHE_BYTES.max(self.meta.piece_length);
                self.read_cache.push_back((piece, data));
                while self
                    .read_cache
                    .iter()
                    .map(|(_, d)| d.len() as u64)
                    .sum::<u64>()
                    > cap
                {
                    self.read_cache.pop_front();
                }
            }
            // The progress is kept: the user's recheck finds what the files still hold.
            Err(ReadFault::FilesMissing(m, path)) => {
                self.files_missing = Some(path);
                self.fail(m)
            }
            Err(ReadFault::Other(m)) => self.fail(m),
            Err(ReadFault::Unavailable(m)) => {
                self.wait_for_storage(faults::WaitKind::Unavailable, m)
            }
        }
    }

    fn send_block(&mut self, key: PeerKey, req: BlockRequest, piece: &Bytes) {
        let Some(peer) = self.peers.get_mut(&key) else {
            return;
        };
        let start = req.offset as usize;
        let end = start + req.length as usize;
        if !peer.may_request(req.piece) || end > piece.len() {
            peer.serving = peer.serving.saturating_sub(1);
            return;
        }
        peer.backlog.push_back((req, piece.slice(start..end)));
        self.pump(key);
    }

    /// `len` bytes of blocks went out to a peer: they count as uploaded now.
    fn on_sent(&mut self, key: PeerKey, len: u64) {
        if let Some(peer) = self.peers.get_mut(&key) {
            peer.uploaded += len;
            peer.upload.add(len);
            let was = peer.unsent;
            peer.unsent = was.saturating_sub(len);
            // A dropped peer's unsent bytes left the count when it went.
            self.unsent = self.unsent.saturating_sub(was - peer.unsent);
        }
        // Counted before the pump: between the two, the bytes would be in neither `unsent`
        // nor `uploaded`, and the ratio goal's budget would hand out one write batch too many.
        self.uploaded += len;
        self.pump(key);
        self.resume.note_totals();
        self.upload_rate.add(len);
        self.counters.uploaded.fetch_add(len, Ordering::Relaxed);
        self.check_seed_goals();
    }

    // ----- periodic ----------------------------------------------------------------------

    fn on_tick(&mut self) {
        self.ticks += 1;
        self.storage_tick();
        let now = Instant::now();
        let elapsed = now.duration_since(self.last_tick);
        let seconds = elapsed.as_secs_f64();
        self.last_tick = now;
        self.download_rate.tick(seconds);
        if self.state == TorrentState::Downloading {
            self.eta.sample(elapsed);
        } else {
            self.eta.reset();
        }
        self.upload_rate.tick(seconds);
        if self.state == TorrentState::Seeding {
            self.goals.on_seeding_tick(elapsed, self.uploaded);
            self.check_seed_goals();
        }
        let mut starving = Vec::new();
        for (key, p) in &mut self.peers {
            p.download.tick(seconds);
            p.upload.tick(seconds);
            p.adapt_queue_depth();
            if !p.outstanding.is_empty() && now.duration_since(p.last_block) > SNUB_TIMEOUT {
                p.snubbed = true;
                starving.push(*key);
            }
        }
        for key in starving {
            if let Some(p) = self.peers.get_mut(&key) {
                let dropped: Vec<BlockRequest> = p.outstanding.drain().map(|(r, _)| r).collect();
                for r in &dropped {
                    self.picker.on_request_dropped(r, key);
                }
            }
        }
        self.time_out_requests(now);
        if self.ticks.is_multiple_of(RECHOKE_TICKS) {
            self.rechoke();
        }
        // Blocks held back by the ratio goal's budget move on if a dropped peer freed some.
        for key in self.peers.keys().copied().collect::<Vec<_>>() {
            self.pump(key);
        }
        if self.ticks.is_multiple_of(4) {
            self.connect_more();
        }
        if self.ticks.is_multiple_of(10) {
            self.send_pex();
        }
        self.announce_dht(now);
        for key in self.peers.keys().copied().collect::<Vec<_>>() {
            self.fill_requests(key);
        }
        self.resume_tick();
        self.publish_stats();
        self.publish_details();
    }

    /// Cancels the requests a peer let pass their deadline (see
    /// [`Peer::timed_out_requests`]) and frees their blocks for another peer; the tick's
    /// request filling asks for them again. Under a download limit every deadline is at least
    /// [`REQUEST_TIMEOUT_FACTOR`] times what all our requests in flight take at the limit, so a
    /// low limit does not time out what is merely waiting its turn.
    fn time_out_requests(&mut self, now: Instant) {
        let limit = self.download_limit();
        let mut floor = MIN_REQUEST_TIMEOUT;
        if limit > 0 {
            let in_flight: u64 = self
                .peers
                .values()
                .flat_map(|p| p.outstanding.keys())
                .map(|r| u64::from(r.length))
                .sum();
            floor = floor.max(Duration::from_secs_f64(
                (REQUEST_TIMEOUT_FACTOR * in_flight) as f64 / limit as f64,
            ));
        }
        for (key, peer) in &mut self.peers {
            for req in peer.timed_out_requests(now, floor) {
                peer.outstanding.remove(&req);
                peer.send(Message::Cancel(req));
                self.picker.on_request_timed_out(&req, *key);
                log::debug(&format!(
                    "request {}:{} to {} timed out",
                    req.piece, req.offset, peer.addr
                ));
            }
        }
    }

    fn rechoke(&mut self) {
        let candidates: Vec<ChokeCandidate> = self
            .peers
            .iter()
            .map(|(k, p)| ChokeCandidate {
                key: *k,
                interested: p.peer_interested,
                download_rate: p.download.get(),
                upload_rate: p.upload.get(),
                snubbed: p.snubbed,
            })
            .collect();
        let rotate = (self.ticks / RECHOKE_TICKS).is_multiple_of(OPTIMISTIC_EVERY);
        let seeding = self.picker.is_complete();
        let unchoke = if self.suspended {
            Vec::new()
        } else {
            self.choker
                .rechoke(&candidates, seeding, rotate, &mut self.rng)
        };
        for key in self.peers.keys().copied().collect::<Vec<_>>() {
            self.set_choke(key, !unchoke.contains(&key));
        }
    }

    fn update_left(&self) {
        self.counters
            .left
            .store(self.picker.wanted_bytes_left(), Ordering::Relaxed);
    }

    fn publish_stats(&self) {
        let left = self.picker.wanted_bytes_left();
        let rate = self.download_rate.get();
        let stats = TorrentStats {
            info_hash: self.meta.info_hash,
            name: self.meta.name.clone(),
            state: self.state.clone(),
            wanted_bytes: self.wanted_total,
            done_bytes: self.wanted_total.saturating_sub(left),
            pieces_have: self.picker.have().count(),
            pieces_total: self.meta.piece_count(),
            check_progress: (self.check_progress.bytes.load(Ordering::Relaxed) as f64
                / self.meta.total_length.max(1) as f64) as f32,
            checked_bytes: self.hashed_before + self.check_progress.bytes.load(Ordering::Relaxed),
            download_rate: rate,
            upload_rate: self.upload_rate.get(),
            downloaded: self.downloaded,
            uploaded: self.uploaded,
            wasted: self.wasted,
            peers: self.peers.len(),
            seeds: self.peers.values().filter(|p| p.has.is_seed()).count(),
            swarm_seeds: self.tracker_details.iter().filter_map(|t| t.seeders).max(),
            swarm_leechers: self.tracker_details.iter().filter_map(|t| t.leechers).max(),
            eta: match self.state {
                TorrentState::Downloading if !self.suspended => {
                    self.eta.estimate(left, self.picker.any_missing_available())
                }
                _ => Eta::Unknown,
            },
            banned: self.banned.len(),
            tracker_error: self.tracker_error.clone(),
            tracker_hosts: self.stats_tx.borrow().tracker_hosts.clone(),
            save_path: self.save_path.clone(),
            added_at: self.added_at,
            completed_at: self.completed_at,
            limits: self.bandwidth.limits(),
            max_peers: self.max_peers,
            queue_position: 0,
            forced: self.forced,
            suspended: self.suspended,
            check_queued: self.state == TorrentState::Checking
                && !self.check_progress.started.load(Ordering::Relaxed),
            label: None,
            seed_goals: self.goals.own,
            first_last_pieces_first: self.first_last,
            sequential: self.sequential,
            moving: self.moving.as_ref().map(moving::MoveJob::fraction),
            retry_in: self.retry_in(),
        };
        let changed = self.stats_tx.send_if_modified(|old| {
            if *old == stats {
                false
            } else {
                *old = stats;
                true
            }
        });
        if changed {
            self.shared.stats_changes.fetch_add(1, Ordering::Relaxed);
        }
    }
}

/// Minimal logging to stderr, switched on with `BROOKLET_LOG=debug|info`.
pub(crate) mod log {
    use std::sync::OnceLock;

    fn level() -> u8 {
        static LEVEL: OnceLock<u8> = OnceLock::new();
        *LEVEL.get_or_init(|| match std::env::var("BROOKLET_LOG").as_deref() {
            Ok("debug") => 2,
            Ok("info") => 1,
            _ => 0,
        })
    }

    /// Logs at info level.
    pub fn info(msg: &str) {
        if level() >= 1 {
            eprintln!("[brooklet] {msg}");
        }
    }

    /// Logs at debug level.
    pub fn debug(msg: &str) {
        if level() >= 2 {
            eprintln!("[brooklet] {msg}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two peers that dial each other at once: whichever order each end sees its two
    /// handshakes finish in, both ends keep the same connection — the one the peer with the
    /// greater id opened.
    #[test]
    fn both_ends_keep_the_same_of_two_simultaneous_connections() {
        let low = PeerId([1; 20]);
        let high = PeerId([2; 20]);
        // The connection `high` opened: outgoing at `high`, incoming at `low`.
        for (ours, theirs) in [(low, high), (high, low)] {
            let kept_is_outgoing = ours.0 > theirs.0;
            // Kept when it finished second...
            assert!(keeps_second_connection(
                &ours,
                &theirs,
                kept_is_outgoing,
                !kept_is_outgoing
            ));
            // ...and when it finished first, the other is not kept instead.
            assert!(!keeps_second_connection(
                &ours,
                &theirs,
                !kept_is_outgoing,
                kept_is_outgoing
            ));
        }
        // Two connections in the same direction: the first stays.
        for second_outgoing in [false, true] {
            assert!(!keeps_second_connection(
                &low,
                &high,
                second_outgoing,
                second_outgoing
            ));
        }
    }
}
