//! The session: one per process. It owns the listening socket, the table of torrents and the
//! resources they share (peer id, tracker client, connection and disk budgets), turns front-end
//! [`Command`]s into work and merges the torrents' statistics into [`Snapshot`]s.
//!
//! Incoming connections are routed by the info-hash in their handshake; a handshake for a torrent
//! we don't serve is closed at once. With `loopback_only` (or `BROOKLET_LOOPBACK_ONLY=1`) the
//! session listens on 127.0.0.1 only and never connects to, or accepts, anything else.
//!
//! The IP filter and the banned addresses ([`PeerAccess`]) are checked by the accept loop
//! before a byte is read, and by the torrents before they queue or dial an address; changing
//! either drops the connections no longer allowed.

use crate::engine::api::{
    AddTorrent, EngineError, Event, FilePriority, QueueLimits, QueueMove, Snapshot, TorrentDetails,
    TorrentSource, TorrentState, TorrentStats,
};
use crate::engine::info_hash::InfoHash;
use crate::engine::ipfilter::IpFilter;
use crate::engine::ipfilter::access::PeerAccess;
use crate::engine::limits::{RateLimits, SessionBandwidth};
use crate::engine::magnet::MagnetLink;
use crate::engine::metainfo::Metainfo;
use crate::engine::peer::conn;
use crate::engine::peer_id::PeerId;
use crate::engine::session_state::{SavedTorrent, SessionState, StateStore};
use crate::engine::storage::resume::{RESUME_DIR, ResumeData, ResumeStore};
use crate::engine::storage::{Storage, StorageMode};
use crate::engine::torrent::fetcher::{self, FetcherSetup, MetadataReady};
use crate::engine::torrent::task::{self, TorrentHandle, TorrentMsg, TorrentSetup};
use crate::engine::tracker::{TrackerClient, TrackerConfig};
use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::{Semaphore, mpsc, oneshot};

mod copies;
mod moves;

/// Saved torrents made ready at once on the blocking threads during a restore.
const RESTORE_BATCH: usize = 64;
/// How long a shutdown waits for the torrents (each gives its `stopped` announce less).
const SHUTDOWN_TORRENTS: Duration = Duration::from_millis(3500);
/// How long a shutdown waits for each of the DHT's steps (saving its table, stopping).
const SHUTDOWN_DHT: Duration = Duration::from_millis(300);
/// The whole shutdown's budget, the session file's write included.
const SHUTDOWN_BUDGET: Duration = Duration::from_millis(4500);
/// Longest wait for a removed torrent to stop (a move it cancels undoes its copies first)
/// before its data is deleted.
const REMOVE_TIMEOUT: Duration = Duration::from_secs(15);
/// How often a snapshot goes out while the saved torrents are being added back.
const RESTORE_SNAPSHOT_EVERY: Duration = Duration::from_millis(50);

/// The latest a queued torrent's first scrape comes (see [`Config::scrape_interval`]).
pub const FIRST_SCRAPE_WITHIN: std::time::Duration = std::time::Duration::from_secs(5 * 60);

/// Session settings, with documented defaults.
#[derive(Debug, Clone)]
pub struct Config {
    /// TCP port to listen on; 0 picks a free one. Default: `BROOKLET_PORT`, else 0.
    pub listen_port: u16,
    /// Address to listen on. Default: all IPv4 addresses, or 127.0.0.1 with `loopback_only`.
    pub listen_ip: IpAddr,
    /// Never talk to a non-loopback address. Default: `BROOKLET_LOOPBACK_ONLY`.
    pub loopback_only: bool,
    /// Connections across all torrents. Default 500.
    pub max_connections: usize,
    /// Connections per torrent. Default 100.
    pub max_connections_per_torrent: usize,
    /// Outgoing connection attempts in progress at once. Default 32.
    pub max_half_open: usize,
    /// Blocking disk jobs (piece writes and reads) at once. Default 4.
    pub disk_jobs: usize,
    /// Write downloaded pieces past the operating system's page cache where the file system
    /// allows it (Linux `O_DIRECT`; see `storage::direct`): a third less CPU per byte, and a
    /// download does not push other programs' data out of memory. Off, every write goes
    /// through the page cache. Changed by [`Command::SetDirectWrites`]. Default on.
    pub direct_writes: bool,
    /// Torrents hash-checking at once. Default 1.
    pub checking_jobs: usize,
    /// Tracker timeouts and retries.
    pub tracker: TrackerConfig,
    /// Run a DHT node (BEP 5). Default: on, unless `BROOKLET_DHT=0`.
    pub dht: bool,
    /// `host:port` entries the DHT joins through. Default: `BROOKLET_DHT_BOOTSTRAP`
    /// (comma-separated), else the public routers — which `loopback_only` never contacts.
    pub dht_bootstrap: Vec<String>,
    /// BEP 42: keep only DHT nodes whose id matches their IP. Default on; loopback swarms
    /// (all on 127.0.0.1) are exempt by the rule itself.
    pub dht_enforce_node_id: bool,
    /// Report every verified piece as an [`Event::PieceVerified`]. Off by default: a busy
    /// download verifies thousands of pieces a second, which only tools and benchmarks want.
    pub piece_events: bool,
    /// How often a queued torrent (which does not announce) asks its trackers for the swarm's
    /// counts (scrape); the first time within the first [`FIRST_SCRAPE_WITHIN`] of it being
    /// queued, at a random moment so that many queued torrents do not ask at once. Default
    /// 30 min, as libtorrent.
    pub scrape_interval: std::time::Duration,
    /// Where the torrent list is kept across restarts; `None` keeps nothing (the command line,
    /// tests). The desktop app uses [`crate::engine::session_state::default_data_dir`].
    pub state_dir: Option<std::path::PathBuf>,
    /// Where each torrent's resume data is kept (verified pieces, so a restart skips the hash
    /// check); `None` keeps none. Default: none, or `<state_dir>/resume` when `state_dir` is set
    /// (see [`Config::resume_store`]). The command line sets it alone, without a session list.
    pub resume_dir: Option<std::path::PathBuf>,
    /// How often a torrent whose pieces or totals changed saves its resume data (it also saves
    /// on pause, completion and shutdown). Default 30 s, or `BROOKLET_RESUME_INTERVAL_MS`.
    pub resume_interval: Duration,
    /// Global download and upload limits, bytes per second (0: none). Default none.
    pub limits: RateLimits,
    /// The alternative ("turtle") limits. Default none.
    pub alt_limits: RateLimits,
    /// Start with the alternative limits in force. Default off.
    pub alt_speed: bool,
    /// When finished torrents stop seeding. Default: never.
    pub seed_goals: crate::engine::api::SeedGoals,
    /// What a torrent that reaches a seeding goal does: pause (the default) or leave the
    /// session, keeping its data.
    pub goal_action: crate::engine::api::GoalAction,
    /// Limits count protocol overhead (headers, requests, haves …) too, not only block
    /// payload. Default off (payload only, as the rates shown are).
    pub limit_overhead: bool,
    /// How many torrents run at once. Default: no queueing.
    pub queue: QueueLimits,
    /// Addresses we never connect to nor accept (changed by [`Command::SetIpFilter`]).
    /// Default none.
    pub ip_filter: Option<Arc<IpFilter>>,
    /// Addresses banned from the start (changed by [`Command::BanPeer`] and
    /// [`Command::UnbanPeer`]); at most [`crate::engine::ipfilter::access::MAX_BANS`] are kept.
    /// Default none.
    pub banned_peers: Vec<IpAddr>,
    /// The local address our outgoing peer connections leave from; `None` lets the system
    /// choose. An address of the other family than the peer's is not used. Default none.
    pub outgoing_ip: Option<IpAddr>,
    /// Announce to every tracker of every tier at once (qBittorrent's "always announce to all
    /// trackers in a tier" plus "to all tiers") instead of BEP 12's first tracker that answers.
    /// Changed by [`Command::SetAnnounceToAllTiers`]. Default off (BEP 12).
    pub announce_to_all_tiers: bool,
    /// A torrent that finishes downloading in this session has its data moved here (with
    /// [`Command::MoveStorage`]'s machinery; the folder is made if missing). Torrents added
    /// complete, or finished in an earlier run, stay where they are. Changed by
    /// [`Command::SetMoveCompleted`]. Default none.
    pub move_completed: Option<std::path::PathBuf>,
    /// Every torrent added (from a file or bytes) and every magnet link whose metadata arrives
    /// has its `.torrent` written here, as `<name>.torrent`. Changed by
    /// [`Command::SetTorrentCopies`]. Default none.
    pub torrent_copies: Option<std::path::PathBuf>,
    /// Peer exchange (BEP 11): offer `ut_pex` in our extended handshakes, send the peers we
    /// know and take the ones peers send. Private torrents never use it. Changed by
    /// [`Command::SetPex`]. Default on.
    pub pex: bool,
    /// Testing aids for moving data: copy within one filesystem, hold a copy midway. Default
    /// off; nothing but tests sets them.
    #[doc(hidden)]
    pub move_hooks: crate::engine::storage::relocate::MoveHooks,
    /// Testing aid: decides the fate of every read and write of torrent files (EIO, ENOSPC
    /// at byte N, short writes; see [`crate::engine::storage::inject`]). Default none.
    #[doc(hidden)]
    pub storage_faults: Option<Arc<dyn crate::engine::storage::inject::IoFaults>>,
}

impl Config {
    /// The resume files' store: `resume_dir`, else `<state_dir>/resume`, else none.
    pub fn resume_store(&self) -> Option<ResumeStore> {
        self.resume_dir
            .clone()
            .or_else(|| self.state_dir.as_ref().map(|d| d.join(RESUME_DIR)))
            .map(ResumeStore::new)
    }
}

impl Default for Config {
    fn default() -> Self {
        let loopback_only = crate::engine::loopback_only();
        Config {
            listen_port: std::env::var("BROOKLET_PORT")
                .ok()
                .and_then(|p| p.parse().ok())
                .unwrap_or(0),
            listen_ip: if loopback_only {
                IpAddr::V4(Ipv4Addr::LOCALHOST)
            } else {
                IpAddr::V4(Ipv4Addr::UNSPECIFIED)
            },
            loopback_only,
            max_connections: 500,
            max_connections_per_torrent: 100,
            max_half_open: 32,
            disk_jobs: 4,
            direct_writes: true,
            checking_jobs: 1,
            tracker: TrackerConfig::default(),
            dht: std::env::var("BROOKLET_DHT").map_or(true, |v| v != "0"),
            dht_bootstrap: match std::env::var("BROOKLET_DHT_BOOTSTRAP") {
                Ok(list) => list
                    .split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect(),
                Err(_) => crate::engine::dht::DEFAULT_BOOTSTRAP
                    .iter()
                    .map(|s| (*s).to_owned())
                    .collect(),
            },
            dht_enforce_node_id: true,
            piece_events: false,
            scrape_interval: std::time::Duration::from_secs(30 * 60),
            state_dir: None,
            resume_dir: None,
            resume_interval: Duration::from_millis(
                std::env::var("BROOKLET_RESUME_INTERVAL_MS")
                    .ok()
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(30_000),
            ),
            limits: RateLimits::UNLIMITED,
            alt_limits: RateLimits::UNLIMITED,
            alt_speed: false,
            seed_goals: crate::engine::api::SeedGoals::default(),
            goal_action: crate::engine::api::GoalAction::Pause,
            limit_overhead: false,
            queue: QueueLimits::OFF,
            ip_filter: None,
            banned_peers: Vec::new(),
            announce_to_all_tiers: false,
            outgoing_ip: None,
            move_completed: None,
            torrent_copies: None,
            pex: true,
            move_hooks: Default::default(),
            storage_faults: None,
        }
    }
}

/// What every torrent task of a session shares.
pub struct Shared {
    /// Our peer id.
    pub peer_id: PeerId,
    /// The port we actually listen on.
    pub listen_port: u16,
    /// The settings.
    pub config: Config,
    /// Tracker client (with its UDP connection-id cache).
    pub trackers: TrackerClient,
    /// Budget of outgoing connection attempts.
    pub half_open: Arc<Semaphore>,
    /// Budget of blocking disk jobs.
    pub disk: Arc<Semaphore>,
    /// Budget of hash checks.
    pub checking: Arc<Semaphore>,
    /// The threads that hash downloaded pieces, several at a time.
    pub hasher: crate::engine::torrent::hasher::PieceHasher,
    /// Open peer connections, all torrents.
    pub connections: AtomicUsize,
    /// The event stream to the front end.
    pub events: mpsc::UnboundedSender<Event>,
    /// The DHT node, when it runs.
    pub dht: Option<crate::engine::dht::Dht>,
    /// Where torrents keep their resume data, if anywhere.
    pub resume: Option<ResumeStore>,
    /// The global rate limits' buckets.
    pub bandwidth: SessionBandwidth,
    /// When finished torrents stop seeding (changed by [`Command::SetSeedGoals`]).
    pub seed_goals: RwLock<crate::engine::api::SeedGoals>,
    /// Queue limits are set: a torrent ready to run waits in the queue until the session lets
    /// it go.
    pub queueing: AtomicBool,
    /// Incoming connections for a torrent we serve, this session.
    pub incoming: std::sync::atomic::AtomicU64,
    /// Bumped by every torrent (and magnet) whose published statistics changed: while it
    /// stands still, the session's tick looks at none of them.
    pub stats_changes: std::sync::atomic::AtomicU64,
    /// What reaching a goal does (changed by [`Command::SetGoalAction`]).
    pub goal_action: RwLock<crate::engine::api::GoalAction>,
    /// The session's own command inbox, for torrents that ask to be removed (weak: it does not
    /// keep the session alive once every front-end handle is gone).
    pub commands: mpsc::WeakUnboundedSender<Command>,
    /// The IP filter and bans in force, and the connections they refused.
    pub access: PeerAccess,
    /// Announcers ask every tracker of every tier (changed by
    /// [`Command::SetAnnounceToAllTiers`]).
    pub announce_to_all_tiers: AtomicBool,
    /// Downloaded pieces are written past the page cache where possible (changed by
    /// [`Command::SetDirectWrites`]).
    pub direct_writes: AtomicBool,
    /// Where torrents that finish downloading move their data (changed by
    /// [`Command::SetMoveCompleted`]).
    pub move_completed: RwLock<Option<std::path::PathBuf>>,
    /// Peer exchange is on (changed by [`Command::SetPex`]).
    pub pex: AtomicBool,
    /// Connections across all torrents (starts as [`Config::max_connections`], changed by
    /// [`Command::SetConnectionLimits`]).
    pub max_connections: AtomicUsize,
    /// Connections per torrent without a cap of its own (starts as
    /// [`Config::max_connections_per_torrent`]).
    pub max_connections_per_torrent: AtomicUsize,
}

/// Commands to the session.
#[derive(Debug)]
pub enum Command {
    /// Add a torrent; answers with its info-hash.
    Add(AddTorrent, oneshot::Sender<Result<InfoHash, EngineError>>),
    /// Stop a torrent (μTorrent's Stop): its peers are dropped and its trackers told `stopped`.
    Pause(InfoHash),
    /// Resume a torrent (stopped by [`Command::Pause`] or held by [`Command::Suspend`]).
    Resume(InfoHash),
    /// Hold a torrent's transfers but keep its peers and trackers (μTorrent's Pause; Pause is
    /// its Stop): nothing is requested, every peer is choked, and Resume goes on at once. A
    /// restart brings it back stopped.
    Suspend(InfoHash),
    /// Remove a torrent, optionally deleting its data.
    Remove {
        /// Which.
        info_hash: InfoHash,
        /// Delete the files too.
        delete_data: bool,
    },
    /// Connect to a peer for a torrent.
    AddPeer(InfoHash, SocketAddr),
    /// Ask the trackers of a torrent for peers now.
    Reannounce(InfoHash),
    /// Replace a torrent's trackers (tiers of announce URLs, BEP 12) while it runs; kept across
    /// restarts and used in its magnet link. The list is checked first
    /// ([`crate::engine::tracker::validate_trackers`]): a refused list changes nothing and is
    /// reported as [`Event::TorrentError`] with the reason.
    SetTrackers(InfoHash, Vec<Vec<String>>),
    /// Announce to every tracker of every tier (`true`) or as BEP 12 says; applies from each
    /// torrent's next announce.
    SetAnnounceToAllTiers(bool),
    /// Write downloaded pieces past the operating system's page cache where the file system
    /// allows it (`true`, see [`Config::direct_writes`]) or through it; applies from the next
    /// piece written.
    SetDirectWrites(bool),
    /// Include this torrent's [`crate::engine::api::TorrentDetails`] in the snapshots (`None`:
    /// no details).
    Watch(Option<InfoHash>),
    /// Set the priority of every file of a torrent, in file order.
    SetFilePriorities(InfoHash, Vec<crate::engine::api::FilePriority>),
    /// Download a torrent's pieces in order (or not).
    SetSequential(InfoHash, bool),
    /// Fetch the first and last piece of each wanted file of a torrent first (or not); kept
    /// in its resume data.
    SetFirstLastPiecesFirst(InfoHash, bool),
    /// Hash-check a torrent's data again.
    Recheck(InfoHash),
    /// Set the global (normal) download and upload limits, bytes per second, 0 for none.
    SetGlobalLimits(RateLimits),
    /// Set the alternative ("turtle") limits.
    SetAltLimits(RateLimits),
    /// Put the alternative limits in force (`true`) or the normal ones (`false`).
    SetAltSpeed(bool),
    /// Set a torrent's own download and upload limits (0: none); kept across restarts.
    SetTorrentLimits(InfoHash, RateLimits),
    /// Set a torrent's own cap on connected peers (`None`: [`Config::max_connections_per_torrent`]);
    /// lowering it drops the least useful peers at once; kept across restarts.
    SetTorrentMaxPeers(InfoHash, Option<u32>),
    /// When finished torrents stop seeding; applies at once to every torrent.
    SetSeedGoals(crate::engine::api::SeedGoals),
    /// How many torrents run at once; applies at once.
    SetQueueLimits(QueueLimits),
    /// Start a torrent whatever the queue says (until it is paused or resumed normally).
    ForceStart(InfoHash),
    /// Move a torrent in the queue.
    MoveInQueue(InfoHash, QueueMove),
    /// Set (or clear) a torrent's label; kept across restarts.
    SetLabel(InfoHash, Option<String>),
    /// What a torrent that reaches a seeding goal does.
    SetGoalAction(crate::engine::api::GoalAction),
    /// A torrent's own seeding goals (each may follow the session's); kept in its resume data.
    SetTorrentSeedGoals(InfoHash, crate::engine::api::GoalOverride),
    /// Put an IP filter in force (`None`: none); connections to addresses it blocks are
    /// dropped at once.
    SetIpFilter(Option<Arc<IpFilter>>),
    /// Drop every connection with `ip`, in every torrent, and refuse it from then on (both
    /// directions). The session keeps bans until it ends; `permanent` tells a front end that
    /// keeps its own list (the desktop app's settings) to save it.
    BanPeer {
        /// The address.
        ip: IpAddr,
        /// Kept across restarts by the front end.
        permanent: bool,
    },
    /// Allow a banned address again (the IP filter still applies).
    UnbanPeer(IpAddr),
    /// Move a torrent's data to another (existing) folder and keep it there, crash-safe (see
    /// [`crate::engine::storage::relocate`]); transfers stop meanwhile and the stats show the
    /// progress. A refusal or failure is an [`Event::TorrentError`] and changes nothing.
    MoveStorage(InfoHash, std::path::PathBuf),
    /// Move the data of torrents that finish downloading from now on to this folder (`None`:
    /// leave it where it is). See [`Config::move_completed`].
    SetMoveCompleted(Option<std::path::PathBuf>),
    /// Keep a copy of every `.torrent` added from now on in this folder (`None`: keep none).
    /// See [`Config::torrent_copies`].
    SetTorrentCopies(Option<std::path::PathBuf>),
    /// Turn peer exchange on or off: at once for what we send and take, from the next
    /// connection for what our extended handshake offers.
    SetPex(bool),
    /// Count protocol overhead in the rate limits too (`true`), or only payload; applies to
    /// every connection at once.
    SetLimitOverhead(bool),
    /// Set the connection limits: across all torrents, and per torrent for those without a cap
    /// of their own. Lower limits apply to new connections (the ones open stay); each at
    /// least 1.
    SetConnectionLimits {
        /// Across all torrents.
        global: usize,
        /// Per torrent.
        per_torrent: usize,
    },
    /// Stop everything gracefully; answered when done.
    Shutdown(oneshot::Sender<()>),
}

/// The front end's handle to a running engine. Cheap to clone.
#[derive(Clone)]
pub struct EngineHandle {
    tx: mpsc::UnboundedSender<Command>,
    listen_port: u16,
    dht_port: Option<u16>,
}

/// The engine's event stream.
pub type EventReceiver = mpsc::UnboundedReceiver<Event>;

impl EngineHandle {
    /// A handle whose commands arrive on the returned receiver instead of at a session: front
    /// ends use it to test that their actions send the right commands.
    pub fn detached(listen_port: u16) -> (EngineHandle, mpsc::UnboundedReceiver<Command>) {
        let (tx, rx) = mpsc::unbounded_channel();
        (
            EngineHandle {
                tx,
                listen_port,
                dht_port: None,
            },
            rx,
        )
    }

    /// Sends a command (fire and forget).
    pub fn send(&self, cmd: Command) -> Result<(), EngineError> {
        self.tx.send(cmd).map_err(|_| EngineError::ShutDown)
    }

    /// Adds a torrent and waits for the session to accept it.
    pub async fn add_torrent(&self, add: AddTorrent) -> Result<InfoHash, EngineError> {
        let (tx, rx) = oneshot::channel();
        self.send(Command::Add(add, tx))?;
        rx.await.map_err(|_| EngineError::ShutDown)?
    }

    /// Stops every torrent gracefully (stopped announces, flushed files) and ends the session.
    pub async fn shutdown(&self) {
        let (tx, rx) = oneshot::channel();
        if self.send(Command::Shutdown(tx)).is_ok() {
            let _ = rx.await;
        }
    }

    /// The TCP port the session listens on.
    pub fn listen_port(&self) -> u16 {
        self.listen_port
    }

    /// The UDP port of the session's DHT node, when it runs.
    pub fn dht_port(&self) -> Option<u16> {
        self.dht_port
    }
}

type Routes = Arc<RwLock<HashMap<InfoHash, mpsc::UnboundedSender<TorrentMsg>>>>;

/// Starts a session on the current tokio runtime.
pub async fn spawn(config: Config) -> Result<(EngineHandle, EventReceiver), EngineError> {
    let listener = TcpListener::bind((config.listen_ip, config.listen_port))
        .await
        .map_err(|e| EngineError::Listen {
            port: config.listen_port,
            reason: e.to_string(),
        })?;
    let listen_port = listener
        .local_addr()
        .map(|a| a.port())
        .unwrap_or(config.listen_port);
    let (events_tx, events_rx) = mpsc::unbounded_channel();
    let (cmd_tx, cmd_rx) = mpsc::unbounded_channel();
    let store = config.state_dir.clone().map(StateStore::new);
    let saved_state = match store.clone() {
        Some(store) => tokio::task::spawn_blocking(move || store.load())
            .await
            .unwrap_or_default(),
        None => SessionState::default(),
    };
    let dht = if config.dht {
        start_dht(&config, listen_port, saved_state.dht.clone()).await
    } else {
        None
    };
    let shared = Arc::new(Shared {
        peer_id: PeerId::generate(),
        listen_port,
        trackers: TrackerClient::new(config.tracker.clone()),
        half_open: Arc::new(Semaphore::new(config.max_half_open.max(1))),
        disk: Arc::new(Semaphore::new(config.disk_jobs.max(1))),
        checking: Arc::new(Semaphore::new(config.checking_jobs.max(1))),
        hasher: crate::engine::torrent::hasher::PieceHasher::new(
            crate::engine::storage::check::default_threads().min(crate::engine::sha1_lanes::LANES),
        ),
        connections: AtomicUsize::new(0),
        events: events_tx,
        dht,
        resume: config.resume_store(),
        bandwidth: SessionBandwidth::new(
            if config.alt_speed {
                config.alt_limits
            } else {
                config.limits
            },
            config.limit_overhead,
        ),
        seed_goals: RwLock::new(config.seed_goals),
        queueing: AtomicBool::new(config.queue.enabled()),
        incoming: Default::default(),
        stats_changes: Default::default(),
        announce_to_all_tiers: AtomicBool::new(config.announce_to_all_tiers),
        direct_writes: AtomicBool::new(config.direct_writes),
        move_completed: RwLock::new(config.move_completed.clone()),
        pex: AtomicBool::new(config.pex),
        max_connections: AtomicUsize::new(config.max_connections),
        max_connections_per_torrent: AtomicUsize::new(config.max_connections_per_torrent),
        goal_action: RwLock::new(config.goal_action),
        commands: cmd_tx.downgrade(),
        access: PeerAccess::new(config.ip_filter.clone(), &config.banned_peers),
        config,
    });
    let dht_port = shared.dht.as_ref().map(|d| d.local_addr().port());
    let routes: Routes = Arc::new(RwLock::new(HashMap::new()));
    tokio::spawn(accept_loop(listener, routes.clone(), shared.clone()));
    let persist = store.clone().map(spawn_state_writer);
    let (metadata_tx, metadata_rx) = mpsc::unbounded_channel();
    let (normal_limits, alt_limits, alt_speed) = (
        shared.config.limits,
        shared.config.alt_limits,
        shared.config.alt_speed,
    );
    let queue = shared.config.queue;
    let torrent_copies = shared.config.torrent_copies.clone();
    let (moved_tx, moved_rx) = mpsc::unbounded_channel();
    let session = Session {
        moved_tx,
        moved_rx: Some(moved_rx),
        metadata_tx,
        metadata_rx: Some(metadata_rx),
        magnets: HashMap::new(),
        shared,
        routes,
        torrents: Vec::new(),
        last_snapshot: None,
        watched: None,
        store,
        persist,
        saved: SessionState {
            version: 1,
            torrents: Vec::new(),
            dht: saved_state.dht.clone(),
        },
        saved_torrents: Some(saved_state.torrents),
        dht_nodes: 0,
        ticks: 0,
        normal_limits,
        alt_limits,
        alt_speed,
        torrent_limits: HashMap::new(),
        last_limits: None,
        queue,
        slow_since: HashMap::new(),
        forced: std::collections::HashSet::new(),
        max_peers: HashMap::new(),
        labels: HashMap::new(),
        edited_trackers: HashMap::new(),
        last_blocked: 0,
        last_incoming: 0,
        seen_changes: u64::MAX,
        dirty: true,
        torrent_copies,
    };
    tokio::spawn(session.run(cmd_rx));
    Ok((
        EngineHandle {
            tx: cmd_tx,
            listen_port,
            dht_port,
        },
        events_rx,
    ))
}

/// Starts the DHT node on the UDP port of our TCP port (or any free one when that is taken).
async fn start_dht(
    config: &Config,
    listen_port: u16,
    saved: Option<crate::engine::dht::DhtState>,
) -> Option<crate::engine::dht::Dht> {
    use crate::engine::dht::{self, DhtConfig};
    let make = |port| DhtConfig {
        bind: SocketAddr::new(config.listen_ip, port),
        bootstrap: config.dht_bootstrap.clone(),
        loopback_only: config.loopback_only,
        saved: saved.clone(),
        enforce_node_id_rules: config.dht_enforce_node_id,
        ..DhtConfig::default()
    };
    match dht::spawn(make(listen_port)).await {
        Ok(d) => Some(d),
        Err(_) => match dht::spawn(make(0)).await {
            Ok(d) => Some(d),
            Err(e) => {
                task::log::info(&format!("the DHT cannot start: {e}"));
                None
            }
        },
    }
}

async fn accept_loop(listener: TcpListener, routes: Routes, shared: Arc<Shared>) {
    loop {
        let Ok((mut stream, addr)) = listener.accept().await else {
            tokio::time::sleep(Duration::from_millis(100)).await;
            continue;
        };
        if shared.config.loopback_only && !addr.ip().is_loopback() {
            continue;
        }
        // Blocked by the IP filter or banned: closed before reading a byte.
        if !shared.access.admit(addr.ip()) {
            task::log::debug(&format!("refused connection from {addr}: blocked"));
            continue;
        }
        let routes = routes.clone();
        let shared = shared.clone();
        tokio::spawn(async move {
            let Ok((reserved, info_hash)) = conn::read_incoming_prefix(&mut stream).await else {
                return;
            };
            let route = routes.read().ok().and_then(|r| r.get(&info_hash).cloned());
            match route {
                Some(torrent) => {
                    shared.incoming.fetch_add(1, Ordering::Relaxed);
                    let _ = torrent.send(TorrentMsg::Incoming(stream, reserved));
                }
                None => task::log::info(&format!(
                    "closing connection from {addr}: unknown torrent {info_hash}"
                )),
            }
        });
    }
}

/// A state to save, and who waits for it to be on disk.
type StateWrite = (SessionState, Option<oneshot::Sender<()>>);

/// Saves session states one after the other on a blocking thread, always the newest one
/// (intermediate states queued meanwhile are skipped), then answers everyone waiting.
fn spawn_state_writer(store: StateStore) -> mpsc::UnboundedSender<StateWrite> {
    let (tx, mut rx) = mpsc::unbounded_channel::<StateWrite>();
    tokio::spawn(async move {
        while let Some((mut state, waiter)) = rx.recv().await {
            let mut waiters: Vec<oneshot::Sender<()>> = waiter.into_iter().collect();
            while let Ok((newer, waiter)) = rx.try_recv() {
                state = newer;
                waiters.extend(waiter);
            }
            let store = store.clone();
            let result = tokio::task::spawn_blocking(move || store.save(&state)).await;
            if let Ok(Err(e)) = result {
                task::log::info(&format!("cannot save the session: {e}"));
            }
            for w in waiters {
                let _ = w.send(());
            }
        }
    });
    tx
}

/// A magnet link waiting for its metadata.
struct PendingMagnet {
    link: MagnetLink,
    save_path: std::path::PathBuf,
    sequential: bool,
    first_last_pieces_first: bool,
    added_at: u64,
}

struct Session {
    /// Torrents whose files were placed in a new folder ([`Command::MoveStorage`]).
    moved_tx: mpsc::UnboundedSender<moves::Moved>,
    moved_rx: Option<mpsc::UnboundedReceiver<moves::Moved>>,
    /// Fetchers send verified metadata here.
    metadata_tx: mpsc::UnboundedSender<MetadataReady>,
    metadata_rx: Option<mpsc::UnboundedReceiver<MetadataReady>>,
    /// Magnets still fetching their metadata.
    magnets: HashMap<InfoHash, PendingMagnet>,
    shared: Arc<Shared>,
    routes: Routes,
    torrents: Vec<(InfoHash, TorrentHandle)>,
    last_snapshot: Option<(Vec<TorrentStats>, Option<Arc<TorrentDetails>>)>,
    /// The torrent whose details go into snapshots.
    watched: Option<InfoHash>,
    store: Option<StateStore>,
    persist: Option<mpsc::UnboundedSender<StateWrite>>,
    saved: SessionState,
    /// The torrents of the saved session, until they are restored.
    saved_torrents: Option<Vec<SavedTorrent>>,
    /// Nodes in the DHT routing table, refreshed every few seconds.
    dht_nodes: usize,
    ticks: u64,
    /// The global limits when the alternative ones are off.
    normal_limits: RateLimits,
    /// The alternative ("turtle") limits.
    alt_limits: RateLimits,
    /// The alternative limits are in force.
    alt_speed: bool,
    /// Torrents' own limits, kept for restored torrents until their task starts.
    torrent_limits: HashMap<InfoHash, RateLimits>,
    /// The global limits and alternative mode in the last snapshot.
    last_limits: Option<(RateLimits, bool)>,
    /// How many torrents run at once.
    queue: QueueLimits,
    /// Since when each running torrent has been slow (for `QueueLimits::ignore_slow`).
    slow_since: HashMap<InfoHash, tokio::time::Instant>,
    /// Force-started torrents, kept for restored torrents until their task starts.
    forced: std::collections::HashSet<InfoHash>,
    /// Torrents' own caps on connected peers.
    max_peers: HashMap<InfoHash, u32>,
    /// The torrents' labels.
    labels: HashMap<InfoHash, String>,
    /// Tracker lists the user set, in place of the torrents' own.
    edited_trackers: HashMap<InfoHash, Vec<Vec<String>>>,
    /// Refused connections in the last snapshot.
    last_blocked: u64,
    /// Incoming connections in the last snapshot.
    last_incoming: u64,
    /// [`Shared::stats_changes`] as of the last full look at the torrents.
    seen_changes: u64,
    /// A command or a background result came since that look (the list, labels, limits or
    /// queue may have changed without any torrent publishing).
    dirty: bool,
    /// Where copies of added `.torrent` files go ([`Config::torrent_copies`]).
    torrent_copies: Option<std::path::PathBuf>,
}

impl Session {
    /// Re-adds the torrents of the saved session. One that cannot be loaded is reported and
    /// dropped from the list; the others are not affected.
    async fn restore(&mut self) {
        let Some(saved_torrents) = self.saved_torrents.take() else {
            return;
        };
        if self.store.is_none() {
            return;
        }
        // The blocking work (reading the copies, opening storage, reading resume data) runs
        // for a batch of torrents at once on the blocking threads; the torrents are then
        // added in their saved order. A long list is shown as it loads: a snapshot every so
        // often, so a front end lists the first torrents at once.
        let Some(store) = self.store.clone() else {
            return;
        };
        let mut shown = tokio::time::Instant::now();
        let mut rest = saved_torrents.into_iter().peekable();
        while rest.peek().is_some() {
            let batch: Vec<_> = rest
                .by_ref()
                .take(RESTORE_BATCH)
                .filter_map(|saved| {
                    let info_hash = InfoHash::from_hex(&saved.info_hash).ok()?;
                    let (store, resume) = (store.clone(), self.shared.resume.clone());
                    let for_job = saved.clone();
                    let job = tokio::task::spawn_blocking(move || {
                        prepare_restore(&for_job, &info_hash, &store, resume)
                    });
                    Some((saved, info_hash, job))
                })
                .collect();
            for (saved, info_hash, job) in batch {
                let restored = job
                    .await
                    .unwrap_or_else(|e| Restored::Failed(EngineError::BadTorrent(e.to_string())));
                self.restore_one(saved, info_hash, restored).await;
                // The first torrent at once, then every so often.
                if self.torrents.len() == 1 || shown.elapsed() >= RESTORE_SNAPSHOT_EVERY {
                    self.snapshot();
                    shown = tokio::time::Instant::now();
                }
            }
        }
        self.persist_state();
    }

    fn persist_state(&self) {
        if let Some(tx) = &self.persist {
            let _ = tx.send((self.saved.clone(), None));
        }
    }

    /// Saves the state and waits until it is on disk.
    async fn flush_state(&self) {
        if let Some(tx) = &self.persist {
            let (done, wait) = oneshot::channel();
            if tx.send((self.saved.clone(), Some(done))).is_ok() {
                let _ = wait.await;
            }
        }
    }

    fn set_saved_paused(&mut self, info_hash: &InfoHash, paused: bool) {
        let hex = info_hash.to_hex();
        if let Some(t) = self.saved.torrents.iter_mut().find(|t| t.info_hash == hex)
            && t.paused != paused
        {
            t.paused = paused;
            self.persist_state();
        }
    }

    async fn run(mut self, mut commands: mpsc::UnboundedReceiver<Command>) {
        self.restore().await;
        let mut tick = tokio::time::interval(Duration::from_millis(250));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let (Some(mut metadata), Some(mut moved)) = (self.metadata_rx.take(), self.moved_rx.take())
        else {
            return;
        };
        loop {
            tokio::select! {
                Some(ready) = metadata.recv() => {
                    self.dirty = true;
                    self.on_metadata(ready).await;
                }
                Some(done) = moved.recv() => {
                    self.dirty = true;
                    self.on_moved(done);
                }
                cmd = commands.recv() => match cmd {
                    Some(Command::Shutdown(done)) => {
                        self.shutdown().await;
                        let _ = done.send(());
                        return;
                    }
                    Some(cmd) => {
                        self.dirty = true;
                        self.on_command(cmd).await;
                    }
                    None => {
                        self.shutdown().await;
                        return;
                    }
                },
                _ = tick.tick() => {
                    self.ticks += 1;
                    if self.ticks.is_multiple_of(20)
                        && let Some(dht) = &self.shared.dht
                        && let Ok(stats) =
                            tokio::time::timeout(Duration::from_millis(200), dht.stats()).await
                    {
                        self.dht_nodes = stats.nodes;
                    }
                    // A quiet session (no torrent published, no command, nobody slow) is
                    // not walked: ten thousand stopped torrents cost nothing per tick.
                    let changes = self.shared.stats_changes.load(Ordering::Relaxed);
                    let quiet = !self.dirty
                        && changes == self.seen_changes
                        && self.slow_since.is_empty();
                    if !quiet {
                        self.apply_queue();
                    }
                    self.snapshot_after(quiet);
                    self.dirty = false;
                    self.seen_changes = changes;
                }
            }
        }
    }

    fn set_label(&mut self, info_hash: InfoHash, label: Option<String>) {
        if self.torrent(&info_hash).is_none() {
            return;
        }
        let label = label.as_deref().and_then(crate::engine::api::clean_label);
        match &label {
            Some(l) => self.labels.insert(info_hash, l.clone()),
            None => self.labels.remove(&info_hash),
        };
        let hex = info_hash.to_hex();
        if let Some(t) = self.saved.torrents.iter_mut().find(|t| t.info_hash == hex)
            && t.label != label
        {
            t.label = label;
            self.persist_state();
        }
        self.snapshot();
    }

    /// [`Command::SetTrackers`].
    fn set_trackers(&mut self, info_hash: InfoHash, tiers: Vec<Vec<String>>) {
        if self.torrent(&info_hash).is_none() {
            return;
        }
        let tiers = match crate::engine::tracker::validate_trackers(tiers) {
            Ok(t) => t,
            Err(e) => {
                let message = format!("the trackers were not changed: {e}");
                let _ = self
                    .shared
                    .events
                    .send(Event::TorrentError { info_hash, message });
                return;
            }
        };
        self.edited_trackers.insert(info_hash, tiers.clone());
        let hex = info_hash.to_hex();
        if let Some(t) = self.saved.torrents.iter_mut().find(|t| t.info_hash == hex) {
            t.trackers = Some(tiers.clone());
            self.persist_state();
        }
        self.tell(&info_hash, TorrentMsg::SetTrackers(tiers));
    }

    /// `meta` with the user's tracker list in place of its own, if the user set one.
    fn with_edited_trackers(&self, meta: Arc<Metainfo>) -> Arc<Metainfo> {
        match self.edited_trackers.get(&meta.info_hash) {
            Some(tiers) if *tiers != meta.trackers => {
                let mut edited = (*meta).clone();
                edited.trackers = tiers.clone();
                Arc::new(edited)
            }
            _ => meta,
        }
    }

    fn set_forced(&mut self, info_hash: &InfoHash, forced: bool) {
        if forced {
            self.forced.insert(*info_hash);
        } else {
            self.forced.remove(info_hash);
        }
        let hex = info_hash.to_hex();
        if let Some(t) = self.saved.torrents.iter_mut().find(|t| t.info_hash == hex)
            && t.forced != forced
        {
            t.forced = forced;
            self.persist_state();
        }
    }

    /// Lets queued torrents run and holds running ones, as the queue limits say (see
    /// [`crate::engine::queue`]). Each torrent's last published state is the input: one that
    /// was just told to start is seen as queued until its task answers, and told again, which
    /// it ignores.
    fn apply_queue(&mut self) {
        use crate::engine::queue::{Entry, Kind, plan};
        let now = tokio::time::Instant::now();
        let limits = self.queue;
        let mut entries = Vec::new();
        let mut planned = Vec::new();
        for (h, t) in &self.torrents {
            let s = t.stats.borrow();
            let running = matches!(s.state, TorrentState::Downloading | TorrentState::Seeding);
            if s.forced || !(running || s.state == TorrentState::Queued) {
                if !self.slow_since.is_empty() {
                    self.slow_since.remove(h);
                }
                continue;
            }
            let complete = match s.state {
                TorrentState::Seeding => true,
                TorrentState::Downloading => false,
                _ => s.done_bytes >= s.wanted_bytes,
            };
            let rate = if complete {
                s.upload_rate
            } else {
                s.download_rate
            };
            let slow = if running && limits.ignore_slow && rate < limits.slow_rate {
                let since = *self.slow_since.entry(*h).or_insert(now);
                now.duration_since(since) >= limits.slow_after
            } else {
                self.slow_since.remove(h);
                false
            };
            entries.push(Entry {
                kind: if complete { Kind::Seed } else { Kind::Download },
                slow,
            });
            planned.push((t.tx.clone(), running));
        }
        for ((tx, running), run) in planned.into_iter().zip(plan(&limits, &entries)) {
            if run != running {
                let _ = tx.send(TorrentMsg::Queue(!run));
            }
        }
    }

    /// Moves a torrent in the queue (the session's order, kept in the saved list too).
    fn move_in_queue(&mut self, info_hash: &InfoHash, to: QueueMove) {
        let Some(pos) = self.torrents.iter().position(|(h, _)| h == info_hash) else {
            return;
        };
        let last = self.torrents.len() - 1;
        let new = match to {
            QueueMove::Up => pos.saturating_sub(1),
            QueueMove::Down => (pos + 1).min(last),
            QueueMove::Top => 0,
            QueueMove::Bottom => last,
        };
        if new == pos {
            return;
        }
        let entry = self.torrents.remove(pos);
        self.torrents.insert(new, entry);
        let order: HashMap<String, usize> = self
            .torrents
            .iter()
            .enumerate()
            .map(|(i, (h, _))| (h.to_hex(), i))
            .collect();
        // Saved entries of torrents not in the session (an unplugged drive) keep their place
        // at the end.
        self.saved
            .torrents
            .sort_by_key(|t| order.get(&t.info_hash).copied().unwrap_or(usize::MAX));
        self.persist_state();
        self.apply_queue();
        self.snapshot();
    }

    fn torrent(&self, info_hash: &InfoHash) -> Option<&TorrentHandle> {
        self.torrents
            .iter()
            .find(|(h, _)| h == info_hash)
            .map(|(_, t)| t)
    }

    fn tell(&self, info_hash: &InfoHash, msg: TorrentMsg) {
        if let Some(t) = self.torrent(info_hash) {
            let _ = t.tx.send(msg);
        }
    }

    async fn on_command(&mut self, cmd: Command) {
        match cmd {
            Command::Add(add, reply) => {
                let result = self.add_torrent(add, None).await;
                let _ = reply.send(result);
            }
            Command::Pause(h) => {
                self.tell(&h, TorrentMsg::Pause);
                self.set_saved_paused(&h, true);
                self.set_forced(&h, false);
            }
            Command::Suspend(h) => {
                self.tell(&h, TorrentMsg::Suspend);
                self.set_saved_paused(&h, true);
            }
            Command::Resume(h) => {
                self.tell(&h, TorrentMsg::Resume);
                self.set_saved_paused(&h, false);
                self.set_forced(&h, false);
            }
            Command::ForceStart(h) => {
                self.tell(&h, TorrentMsg::Force(true));
                self.set_saved_paused(&h, false);
                self.set_forced(&h, true);
            }
            Command::MoveInQueue(h, to) => self.move_in_queue(&h, to),
            Command::SetLabel(h, label) => self.set_label(h, label),
            Command::SetQueueLimits(limits) => {
                self.queue = limits;
                self.shared
                    .queueing
                    .store(limits.enabled(), Ordering::Relaxed);
                self.slow_since.clear();
                self.apply_queue();
            }
            Command::AddPeer(h, addr) => self.tell(
                &h,
                TorrentMsg::AddPeers(vec![addr], crate::engine::api::PeerSource::Manual),
            ),
            Command::Reannounce(h) => self.tell(&h, TorrentMsg::Reannounce),
            Command::SetTrackers(h, tiers) => self.set_trackers(h, tiers),
            Command::SetAnnounceToAllTiers(on) => {
                self.shared
                    .announce_to_all_tiers
                    .store(on, Ordering::Relaxed);
            }
            Command::SetDirectWrites(on) => {
                self.shared.direct_writes.store(on, Ordering::Relaxed);
            }
            Command::Watch(h) => {
                if let Some(old) = self.watched.take() {
                    self.tell(&old, TorrentMsg::Watch(false));
                }
                if let Some(h) = h {
                    self.tell(&h, TorrentMsg::Watch(true));
                }
                self.watched = h;
            }
            Command::SetFilePriorities(h, p) => self.tell(&h, TorrentMsg::SetFilePriorities(p)),
            Command::SetSequential(h, on) => self.tell(&h, TorrentMsg::SetSequential(on)),
            Command::SetFirstLastPiecesFirst(h, on) => {
                self.tell(&h, TorrentMsg::SetFirstLastPiecesFirst(on));
            }
            Command::Recheck(h) => self.tell(&h, TorrentMsg::Recheck),
            Command::SetGlobalLimits(l) => {
                self.normal_limits = l;
                self.apply_global_limits();
            }
            Command::SetAltLimits(l) => {
                self.alt_limits = l;
                self.apply_global_limits();
            }
            Command::SetAltSpeed(on) => {
                self.alt_speed = on;
                self.apply_global_limits();
            }
            Command::SetTorrentLimits(h, l) => self.set_torrent_limits(h, l),
            Command::SetTorrentMaxPeers(h, max) => self.set_torrent_max_peers(h, max),
            Command::SetSeedGoals(goals) => {
                *self
                    .shared
                    .seed_goals
                    .write()
                    .unwrap_or_else(|p| p.into_inner()) = goals;
                for (_, t) in &self.torrents {
                    let _ = t.tx.send(TorrentMsg::SeedGoalsChanged);
                }
            }
            Command::SetGoalAction(action) => {
                *self
                    .shared
                    .goal_action
                    .write()
                    .unwrap_or_else(|p| p.into_inner()) = action;
            }
            Command::SetTorrentSeedGoals(h, goals) => {
                self.tell(&h, TorrentMsg::SetSeedGoals(goals));
            }
            Command::SetIpFilter(filter) => {
                self.shared.access.set_filter(filter);
                self.access_changed();
            }
            Command::BanPeer { ip, permanent: _ } => {
                if !self.shared.access.ban(ip) {
                    task::log::info(&format!("cannot ban {ip}: the ban list is full"));
                }
                self.access_changed();
            }
            Command::UnbanPeer(ip) => self.shared.access.unban(ip),
            Command::Remove {
                info_hash,
                delete_data,
            } => self.remove(info_hash, delete_data).await,
            Command::MoveStorage(h, dest) => self.move_storage(h, dest),
            Command::SetMoveCompleted(folder) => {
                *self
                    .shared
                    .move_completed
                    .write()
                    .unwrap_or_else(|p| p.into_inner()) = folder;
            }
            Command::SetTorrentCopies(folder) => self.torrent_copies = folder,
            Command::SetPex(on) => self.shared.pex.store(on, Ordering::Relaxed),
            Command::SetLimitOverhead(on) => self.shared.bandwidth.set_overhead(on),
            Command::SetConnectionLimits {
                global,
                per_torrent,
            } => {
                let shared = &self.shared;
                shared
                    .max_connections
                    .store(global.max(1), Ordering::Relaxed);
                shared
                    .max_connections_per_torrent
                    .store(per_torrent.max(1), Ordering::Relaxed);
                // Raised limits let torrents dial the peers they know at once.
                for (_, t) in &self.torrents {
                    let _ = t.tx.send(TorrentMsg::AddPeers(
                        Vec::new(),
                        crate::engine::api::PeerSource::Manual,
                    ));
                }
            }
            Command::Shutdown(_) => {}
        }
    }

    /// Adds a torrent; `restored_at` is set when it comes from the saved session (its copy and
    /// entry exist already).
    /// Adds back one saved torrent made ready by [`prepare_restore`].
    async fn restore_one(&mut self, saved: SavedTorrent, info_hash: InfoHash, restored: Restored) {
        if saved.limits != RateLimits::UNLIMITED {
            self.torrent_limits.insert(info_hash, saved.limits);
        }
        if saved.forced {
            self.forced.insert(info_hash);
        }
        if let Some(max) = saved.max_peers {
            self.max_peers.insert(info_hash, max);
        }
        if let Some(tiers) = saved
            .trackers
            .clone()
            .and_then(|t| crate::engine::tracker::validate_trackers(t).ok())
        {
            self.edited_trackers.insert(info_hash, tiers);
        }
        if let Some(label) = saved
            .label
            .as_deref()
            .and_then(crate::engine::api::clean_label)
        {
            self.labels.insert(info_hash, label);
        }
        let result = match restored {
            Restored::Ready(ready) => {
                let Prepared {
                    bytes,
                    meta,
                    storage,
                    resume,
                } = *ready;
                let mut add = AddTorrent::new(TorrentSource::Bytes(Vec::new()), &saved.save_path);
                add.paused = saved.paused;
                self.register_torrent(add, bytes, meta, storage, resume, Some(saved.added_at))
                    .await
            }
            Restored::Magnet(uri) => {
                let mut add = AddTorrent::new(TorrentSource::Magnet(uri), &saved.save_path);
                add.paused = saved.paused;
                self.add_torrent(add, Some(saved.added_at)).await
            }
            Restored::Failed(e) => Err(e),
        };
        if let Err(e) = result {
            // Kept in the saved list: an unplugged drive must not cost the torrent.
            self.saved.torrents.push(saved);
            let _ = self.shared.events.send(Event::TorrentError {
                info_hash,
                message: e.to_string(),
            });
        }
    }

    async fn add_torrent(
        &mut self,
        mut add: AddTorrent,
        restored_at: Option<u64>,
    ) -> Result<InfoHash, EngineError> {
        // A new torrent's folder must take files (unless it only seeds): refused here, with
        // the system's reason, rather than at its first write.
        if !add.seed_only && restored_at.is_none() {
            let folder = add.save_path.clone();
            tokio::task::spawn_blocking(move || check_writable(&folder))
                .await
                .map_err(|e| e.to_string())
                .and_then(|r| r)
                .map_err(|reason| EngineError::SaveFolder {
                    path: add.save_path.clone(),
                    reason,
                })?;
        }
        // The bytes are kept separately; the source is not needed past this point.
        let bytes = match std::mem::replace(&mut add.source, TorrentSource::Bytes(Vec::new())) {
            TorrentSource::Bytes(b) => b,
            TorrentSource::Path(p) => tokio::fs::read(&p).await.map_err(|e| EngineError::Read {
                path: p.clone(),
                reason: e.to_string(),
            })?,
            TorrentSource::Magnet(ref uri) => {
                let link =
                    MagnetLink::parse(uri).map_err(|e| EngineError::BadTorrent(e.to_string()))?;
                return self.add_magnet(link, uri.clone(), add, restored_at);
            }
        };
        let meta = Arc::new(
            Metainfo::from_bytes(&bytes).map_err(|e| EngineError::BadTorrent(e.to_string()))?,
        );
        if self.torrent(&meta.info_hash).is_some() {
            return Err(EngineError::AlreadyAdded(meta.info_hash));
        }
        let save_path = add.save_path.clone();
        let resume_store = self.shared.resume.clone().filter(|_| !add.skip_check);
        let (storage, resume) = {
            let meta = meta.clone();
            tokio::task::spawn_blocking(move || open_storage(&save_path, &meta, resume_store))
                .await
                .map_err(|e| EngineError::SaveFolder {
                    path: add.save_path.clone(),
                    reason: e.to_string(),
                })??
        };
        self.register_torrent(add, bytes, meta, storage, resume, restored_at)
            .await
    }

    /// Puts a parsed torrent with its opened storage in the session: saves its copy and the
    /// list (unless restoring), starts its task and reports it.
    async fn register_torrent(
        &mut self,
        add: AddTorrent,
        bytes: Vec<u8>,
        meta: Arc<Metainfo>,
        storage: Storage,
        resume: Option<ResumeData>,
        restored_at: Option<u64>,
    ) -> Result<InfoHash, EngineError> {
        if self.torrent(&meta.info_hash).is_some() {
            return Err(EngineError::AlreadyAdded(meta.info_hash));
        }
        let meta = self.with_edited_trackers(meta);
        let info_hash = meta.info_hash;
        let name = meta.name.clone();
        let added_at = restored_at.unwrap_or_else(crate::engine::unix_now);
        if let Some(label) = add
            .label
            .as_deref()
            .and_then(crate::engine::api::clean_label)
        {
            self.labels.insert(info_hash, label);
        }
        if let Some(store) = self.store.clone() {
            if restored_at.is_none() {
                let copy = bytes.clone();
                let saved =
                    tokio::task::spawn_blocking(move || store.save_torrent(&info_hash, &copy))
                        .await;
                if let Ok(Err(e)) = saved {
                    return Err(EngineError::SaveFolder {
                        path: self
                            .store
                            .as_ref()
                            .map(|s| s.dir().to_path_buf())
                            .unwrap_or_default(),
                        reason: e.to_string(),
                    });
                }
            }
            self.saved.torrents.push(SavedTorrent {
                info_hash: info_hash.to_hex(),
                save_path: add.save_path.clone(),
                paused: add.paused,
                added_at,
                magnet: None,
                completed_at: None,
                limits: self
                    .torrent_limits
                    .get(&info_hash)
                    .copied()
                    .unwrap_or_default(),
                forced: self.forced.contains(&info_hash),
                max_peers: self.max_peers.get(&info_hash).copied(),
                label: self.labels.get(&info_hash).cloned(),
                trackers: self.edited_trackers.get(&info_hash).cloned(),
                moving_to: None,
            });
            if restored_at.is_none() {
                self.persist_state();
            }
        }
        let handle = task::spawn(
            TorrentSetup {
                meta,
                storage: Arc::new(storage),
                paused: add.paused,
                sequential: add.sequential,
                first_last_pieces_first: add.first_last_pieces_first,
                skip_check: add.skip_check,
                resume,
                peers: add.peers,
                save_path: add.save_path.clone().into(),
                added_at,
                completed_at: None,
                file_priorities: add.file_priorities,
                limits: self
                    .torrent_limits
                    .get(&info_hash)
                    .copied()
                    .unwrap_or_default(),
                forced: self.forced.contains(&info_hash),
                max_peers: self.max_peers.get(&info_hash).copied(),
            },
            self.shared.clone(),
        );
        if let Ok(mut routes) = self.routes.write() {
            routes.insert(info_hash, handle.tx.clone());
        }
        self.torrents.push((info_hash, handle));
        if restored_at.is_none() {
            self.keep_torrent_copy(info_hash, &name, &bytes);
        }
        let _ = self
            .shared
            .events
            .send(Event::TorrentAdded { info_hash, name });
        Ok(info_hash)
    }

    /// Adds a magnet link: a fetcher looks for its metadata; [`Self::on_metadata`] turns it
    /// into a torrent.
    fn add_magnet(
        &mut self,
        mut link: MagnetLink,
        uri: String,
        add: AddTorrent,
        restored_at: Option<u64>,
    ) -> Result<InfoHash, EngineError> {
        let info_hash = link.info_hash;
        if self.torrent(&info_hash).is_some() {
            return Err(EngineError::AlreadyAdded(info_hash));
        }
        if !add.save_path.is_dir() {
            return Err(EngineError::SaveFolder {
                path: add.save_path.clone(),
                reason: "not a folder".into(),
            });
        }
        let added_at = restored_at.unwrap_or_else(crate::engine::unix_now);
        if let Some(tiers) = self.edited_trackers.get(&info_hash) {
            link.trackers = tiers.iter().flatten().cloned().collect();
        }
        if let Some(label) = add
            .label
            .as_deref()
            .and_then(crate::engine::api::clean_label)
        {
            self.labels.insert(info_hash, label);
        }
        if self.store.is_some() {
            self.saved.torrents.push(SavedTorrent {
                info_hash: info_hash.to_hex(),
                save_path: add.save_path.clone(),
                paused: add.paused,
                added_at,
                magnet: Some(uri),
                completed_at: None,
                limits: self
                    .torrent_limits
                    .get(&info_hash)
                    .copied()
                    .unwrap_or_default(),
                forced: self.forced.contains(&info_hash),
                max_peers: self.max_peers.get(&info_hash).copied(),
                label: self.labels.get(&info_hash).cloned(),
                trackers: self.edited_trackers.get(&info_hash).cloned(),
                moving_to: None,
            });
            if restored_at.is_none() {
                self.persist_state();
            }
        }
        let name = link
            .display_name
            .clone()
            .unwrap_or_else(|| info_hash.to_hex());
        self.magnets.insert(
            info_hash,
            PendingMagnet {
                link: link.clone(),
                save_path: add.save_path.clone(),
                sequential: add.sequential,
                first_last_pieces_first: add.first_last_pieces_first,
                added_at,
            },
        );
        let handle = fetcher::spawn(
            FetcherSetup {
                link,
                paused: add.paused,
                peers: add.peers,
                save_path: add.save_path.clone().into(),
                added_at,
                done: self.metadata_tx.clone(),
            },
            self.shared.clone(),
        );
        if let Ok(mut routes) = self.routes.write() {
            routes.insert(info_hash, handle.tx.clone());
        }
        self.torrents.push((info_hash, handle));
        let _ = self
            .shared
            .events
            .send(Event::TorrentAdded { info_hash, name });
        Ok(info_hash)
    }

    /// A magnet's metadata arrived (verified against the info-hash): from now on it is a
    /// torrent like any other, and its `.torrent` is kept so a restart needs no swarm.
    async fn on_metadata(&mut self, ready: MetadataReady) {
        let info_hash = ready.info_hash;
        let Some(pending) = self.magnets.remove(&info_hash) else {
            return; // removed meanwhile
        };
        let Some(pos) = self.torrents.iter().position(|(h, _)| *h == info_hash) else {
            return;
        };
        let bytes = torrent_file(&ready.info, &pending.link.trackers, &pending.link.web_seeds);
        let meta = match Metainfo::from_bytes(&bytes) {
            Ok(m) => self.with_edited_trackers(Arc::new(m)),
            Err(e) => {
                let message = format!("the torrent's metadata is unusable: {e}");
                self.torrents[pos].1 = task::errored(
                    info_hash,
                    pending.link.display_name.clone().unwrap_or_default(),
                    message.clone(),
                );
                let _ = self
                    .shared
                    .events
                    .send(Event::TorrentError { info_hash, message });
                return;
            }
        };
        let storage = {
            let meta = meta.clone();
            let path = pending.save_path.clone();
            let resume_store = self.shared.resume.clone();
            tokio::task::spawn_blocking(move || {
                let storage = Storage::for_torrent(&path, &meta, StorageMode::ReadWrite)?;
                let resume = usable_resume(resume_store.as_ref(), &storage, &meta.info_hash);
                Ok::<_, crate::engine::storage::StorageError>((storage, resume))
            })
            .await
        };
        let (storage, resume) = match storage {
            Ok(Ok(s)) => s,
            Ok(Err(e)) => {
                self.metadata_failed(pos, &meta, e.to_string());
                return;
            }
            Err(e) => {
                self.metadata_failed(pos, &meta, e.to_string());
                return;
            }
        };
        self.keep_torrent_copy(info_hash, &meta.name, &bytes);
        if let Some(store) = self.store.clone() {
            let copy = bytes.clone();
            let saved =
                tokio::task::spawn_blocking(move || store.save_torrent(&info_hash, &copy)).await;
            if let Ok(Err(e)) = saved {
                task::log::info(&format!("cannot keep the torrent of {info_hash}: {e}"));
            } else {
                let hex = info_hash.to_hex();
                if let Some(t) = self.saved.torrents.iter_mut().find(|t| t.info_hash == hex) {
                    t.magnet = None;
                }
                self.persist_state();
            }
        }
        // BEP 53: a link's `so` selects the files to download (indices in the info
        // dictionary's file list); the others are skipped.
        let file_priorities: Vec<FilePriority> = if pending.link.select_only.is_empty() {
            Vec::new()
        } else {
            (0..meta.files.len())
                .map(|i| {
                    if pending.link.wants_file(i) {
                        FilePriority::Normal
                    } else {
                        FilePriority::Skip
                    }
                })
                .collect()
        };
        let handle = task::spawn(
            TorrentSetup {
                meta: meta.clone(),
                storage: Arc::new(storage),
                paused: false,
                sequential: pending.sequential,
                first_last_pieces_first: pending.first_last_pieces_first,
                skip_check: false,
                resume,
                peers: Vec::new(),
                save_path: pending.save_path.clone().into(),
                added_at: pending.added_at,
                completed_at: None,
                file_priorities: file_priorities.clone(),
                limits: self
                    .torrent_limits
                    .get(&info_hash)
                    .copied()
                    .unwrap_or_default(),
                forced: self.forced.contains(&info_hash),
                max_peers: self.max_peers.get(&info_hash).copied(),
            },
            self.shared.clone(),
        );
        let mut by_source: HashMap<crate::engine::api::PeerSource, Vec<SocketAddr>> =
            HashMap::new();
        for (addr, source) in ready.peers {
            by_source.entry(source).or_default().push(addr);
        }
        for (source, addrs) in by_source {
            let _ = handle.tx.send(TorrentMsg::AddPeers(addrs, source));
        }
        if self.watched == Some(info_hash) {
            let _ = handle.tx.send(TorrentMsg::Watch(true));
        }
        if let Ok(mut routes) = self.routes.write() {
            routes.insert(info_hash, handle.tx.clone());
        }
        self.torrents[pos].1 = handle;
        let files = meta
            .files
            .iter()
            .enumerate()
            .filter(|(_, f)| !f.pad)
            .map(|(i, f)| crate::engine::api::FileDetails {
                path: f.path.iter().collect(),
                length: f.length,
                done: 0,
                priority: file_priorities.get(i).copied().unwrap_or_default(),
            })
            .collect();
        let _ = self.shared.events.send(Event::MetadataReceived {
            info_hash,
            name: meta.name.clone(),
            files,
        });
    }

    fn metadata_failed(&mut self, pos: usize, meta: &Metainfo, reason: String) {
        let message = format!("cannot use the save folder: {reason}");
        self.torrents[pos].1 = task::errored(meta.info_hash, meta.name.clone(), message.clone());
        let _ = self.shared.events.send(Event::TorrentError {
            info_hash: meta.info_hash,
            message,
        });
    }

    /// The filter or the bans changed: every torrent (and metadata fetcher) drops the peers no
    /// longer allowed and forgets their addresses.
    fn access_changed(&mut self) {
        for (_, t) in &self.torrents {
            let _ = t.tx.send(TorrentMsg::AccessChanged);
        }
    }

    /// Puts the normal or alternative global limits in force (at once: waiting connections see
    /// the new rate within a few tens of milliseconds).
    fn apply_global_limits(&mut self) {
        let limits = if self.alt_speed {
            self.alt_limits
        } else {
            self.normal_limits
        };
        self.shared.bandwidth.set(limits);
        self.snapshot();
    }

    fn set_torrent_limits(&mut self, info_hash: InfoHash, limits: RateLimits) {
        if self.torrent(&info_hash).is_none() {
            return;
        }
        if limits == RateLimits::UNLIMITED {
            self.torrent_limits.remove(&info_hash);
        } else {
            self.torrent_limits.insert(info_hash, limits);
        }
        self.tell(&info_hash, TorrentMsg::SetLimits(limits));
        let hex = info_hash.to_hex();
        if let Some(t) = self.saved.torrents.iter_mut().find(|t| t.info_hash == hex)
            && t.limits != limits
        {
            t.limits = limits;
            self.persist_state();
        }
    }

    /// Sets (or clears) a torrent's own cap on connected peers.
    fn set_torrent_max_peers(&mut self, info_hash: InfoHash, max: Option<u32>) {
        if self.torrent(&info_hash).is_none() {
            return;
        }
        match max {
            Some(m) => self.max_peers.insert(info_hash, m),
            None => self.max_peers.remove(&info_hash),
        };
        self.tell(&info_hash, TorrentMsg::SetMaxPeers(max));
        let hex = info_hash.to_hex();
        if let Some(t) = self.saved.torrents.iter_mut().find(|t| t.info_hash == hex)
            && t.max_peers != max
        {
            t.max_peers = max;
            self.persist_state();
        }
    }

    async fn remove(&mut self, info_hash: InfoHash, delete_data: bool) {
        self.magnets.remove(&info_hash);
        self.torrent_limits.remove(&info_hash);
        self.max_peers.remove(&info_hash);
        self.forced.remove(&info_hash);
        self.slow_since.remove(&info_hash);
        self.labels.remove(&info_hash);
        self.edited_trackers.remove(&info_hash);
        let Some(pos) = self.torrents.iter().position(|(h, _)| *h == info_hash) else {
            return;
        };
        let (_, handle) = self.torrents.remove(pos);
        if let Some(store) = &self.store {
            let hex = info_hash.to_hex();
            self.saved.torrents.retain(|t| t.info_hash != hex);
            store.remove_torrent(&info_hash);
            self.persist_state();
        }
        if let Ok(mut routes) = self.routes.write() {
            routes.remove(&info_hash);
        }
        let (tx, rx) = oneshot::channel();
        // The torrent ends a move in progress with the data whole in this storage's folder.
        let _ = handle.tx.send(TorrentMsg::Removing(handle.storage.clone()));
        let _ = handle.tx.send(TorrentMsg::Shutdown(tx));
        let _ = tokio::time::timeout(REMOVE_TIMEOUT, rx).await;
        if let Some(store) = self.shared.resume.clone() {
            let _ = tokio::task::spawn_blocking(move || store.remove(&info_hash)).await;
        }
        if delete_data && let Some(storage) = handle.storage.clone() {
            let deleted = tokio::task::spawn_blocking(move || storage.delete_files()).await;
            if let Ok(Err(e)) = deleted {
                let _ = self.shared.events.send(Event::TorrentError {
                    info_hash,
                    message: format!("could not delete the data: {e}"),
                });
            }
        }
        let _ = self.shared.events.send(Event::TorrentRemoved { info_hash });
    }

    async fn shutdown(&mut self) {
        let mut waits = Vec::new();
        for (_, t) in &self.torrents {
            let (tx, rx) = oneshot::channel();
            if t.tx.send(TorrentMsg::Shutdown(tx)).is_ok() {
                waits.push(rx);
            }
        }
        // Every step has its share of one budget, so that the process is gone within 5 s of
        // a quit or SIGTERM: torrents (their `stopped` announces and resume saves run at
        // once), then the DHT's table, then the session file.
        let start = tokio::time::Instant::now();
        for rx in waits {
            let _ = tokio::time::timeout_at(start + SHUTDOWN_TORRENTS, rx).await;
        }
        if let Some(dht) = &self.shared.dht {
            if let Ok(state) = tokio::time::timeout(SHUTDOWN_DHT, dht.save_state()).await {
                self.saved.dht = Some(state);
            }
            let _ = tokio::time::timeout(SHUTDOWN_DHT, dht.shutdown()).await;
        }
        let _ = tokio::time::timeout_at(start + SHUTDOWN_BUDGET, self.flush_state()).await;
        self.snapshot();
        let _ = self.shared.events.send(Event::ShutDown);
    }

    fn snapshot(&mut self) {
        self.snapshot_after(false);
    }

    /// Sends a snapshot if anything in it changed; `quiet`: no torrent published new
    /// statistics and the list is as it was, so the torrents need not be looked at.
    fn snapshot_after(&mut self, quiet: bool) {
        let details = self
            .watched
            .and_then(|h| self.torrent(&h))
            .and_then(|t| t.details.borrow().clone());
        let limits = (self.shared.bandwidth.limits(), self.alt_speed);
        let blocked = self.shared.access.refused();
        // Only whether any came matters to a front end: one snapshot when the first does.
        let incoming = self.shared.incoming.load(Ordering::Relaxed);
        // Nothing to send when no torrent published new statistics and the list (order,
        // labels) is as last sent: found without copying anything, so a large idle session
        // costs a few thousand atomic loads per snapshot, not thousands of copies.
        let list_unchanged = quiet && self.last_snapshot.is_some()
            || self.last_snapshot.as_ref().is_some_and(|(last, _)| {
                last.len() == self.torrents.len()
                    && self.torrents.iter().zip(last).all(|((h, t), sent)| {
                        *h == sent.info_hash
                            && !t.stats.has_changed().unwrap_or(true)
                            && (sent.label.is_none() && self.labels.is_empty()
                                || self.labels.get(h) == sent.label.as_ref())
                    })
            });
        if list_unchanged
            && let Some((_, last_details)) = &self.last_snapshot
            && *last_details == details
            && self.last_limits == Some(limits)
            && self.last_blocked == blocked
            && (self.last_incoming > 0) == (incoming > 0)
        {
            return;
        }
        let labels = &self.labels;
        let torrents: Vec<TorrentStats> = self
            .torrents
            .iter_mut()
            .enumerate()
            .map(|(i, (h, t))| TorrentStats {
                queue_position: i + 1,
                label: labels.get(h).cloned(),
                ..t.stats.borrow_and_update().clone()
            })
            .collect();
        if let Some((last, last_details)) = &self.last_snapshot
            && *last == torrents
            && *last_details == details
            && self.last_limits == Some(limits)
            && self.last_blocked == blocked
            && (self.last_incoming > 0) == (incoming > 0)
        {
            return;
        }
        self.last_limits = Some(limits);
        self.last_blocked = blocked;
        self.last_incoming = incoming;
        let snapshot = Snapshot {
            download_rate: torrents.iter().map(|t| t.download_rate).sum(),
            upload_rate: torrents.iter().map(|t| t.upload_rate).sum(),
            listen_port: self.shared.listen_port,
            torrents: torrents.clone(),
            details: details.clone(),
            dht_nodes: self.dht_nodes,
            limits: limits.0,
            alt_speed: limits.1,
            blocked_connections: blocked,
            incoming_connections: incoming,
        };
        self.last_snapshot = Some((torrents, details));
        let _ = self.shared.events.send(Event::Snapshot(Arc::new(snapshot)));
    }
}

/// The resume data a torrent can start from without a hash check, if any (blocking). Why
/// existing resume data was not usable is logged; the torrent is then checked.
/// Opens a torrent's storage under `save_path` and reads its usable resume data (blocking).
fn open_storage(
    save_path: &std::path::Path,
    meta: &Metainfo,
    resume_store: Option<ResumeStore>,
) -> Result<(Storage, Option<ResumeData>), EngineError> {
    let storage = Storage::for_torrent(save_path, meta, StorageMode::ReadWrite).map_err(|e| {
        EngineError::SaveFolder {
            path: save_path.to_path_buf(),
            reason: e.to_string(),
        }
    })?;
    let resume = usable_resume(resume_store.as_ref(), &storage, &meta.info_hash);
    Ok((storage, resume))
}

/// Whether files can be made in `folder` (blocking): a probe file is created and removed. A
/// read-only or unwritable folder is refused with the system's reason.
fn check_writable(folder: &std::path::Path) -> Result<(), String> {
    let probe = folder.join(format!(".brooklet-write-test-{}", std::process::id()));
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&probe)
    {
        Ok(_) => {
            let _ = std::fs::remove_file(&probe);
            Ok(())
        }
        // A leftover probe of ours: the folder takes files.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            let _ = std::fs::remove_file(&probe);
            Ok(())
        }
        // Missing: `open_storage` says so.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(format!("cannot write in this folder: {e}")),
    }
}

/// What [`prepare_restore`] makes ready for one torrent.
struct Prepared {
    bytes: Vec<u8>,
    meta: Arc<Metainfo>,
    storage: Storage,
    resume: Option<ResumeData>,
}

/// A saved torrent made ready off the session task: its `.torrent` copy read and parsed, its
/// storage opened and its resume data read.
enum Restored {
    Ready(Box<Prepared>),
    /// No copy of the torrent: a magnet link waiting for its metadata.
    Magnet(String),
    Failed(EngineError),
}

/// The blocking part of restoring one saved torrent.
fn prepare_restore(
    saved: &SavedTorrent,
    info_hash: &InfoHash,
    store: &StateStore,
    resume_store: Option<ResumeStore>,
) -> Restored {
    let bytes = match store.load_torrent(info_hash) {
        Ok(bytes) => bytes,
        Err(_) => {
            return match &saved.magnet {
                Some(uri) => Restored::Magnet(uri.clone()),
                None => Restored::Failed(EngineError::BadTorrent(format!(
                    "the saved copy of torrent {info_hash} is missing"
                ))),
            };
        }
    };
    let meta = match Metainfo::from_bytes(&bytes) {
        Ok(m) => Arc::new(m),
        Err(e) => return Restored::Failed(EngineError::BadTorrent(e.to_string())),
    };
    if let Some(to) = &saved.moving_to {
        crate::engine::storage::relocate::recover(&meta, &saved.save_path, to);
    }
    // An unplugged drive: the folder is neither created nor checked; the torrent waits for it
    // and then starts from its resume data.
    if std::fs::metadata(&saved.save_path).is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound)
    {
        return Restored::Ready(Box::new(Prepared {
            bytes,
            storage: Storage::for_absent_root(&saved.save_path, &meta),
            meta,
            resume: None,
        }));
    }
    match open_storage(&saved.save_path, &meta, resume_store) {
        Ok((storage, resume)) => Restored::Ready(Box::new(Prepared {
            bytes,
            meta,
            storage,
            resume,
        })),
        Err(e) => Restored::Failed(e),
    }
}

fn usable_resume(
    store: Option<&ResumeStore>,
    storage: &Storage,
    info_hash: &InfoHash,
) -> Option<ResumeData> {
    match store?.load_for(storage, info_hash) {
        Ok(data) => Some(data),
        Err(crate::engine::storage::resume::ResumeError::Missing) => None,
        Err(e) => {
            task::log::info(&format!("{info_hash}: {e}; checking its data"));
            None
        }
    }
}

/// A `.torrent` file around a bare `info` dictionary (from metadata exchange) and a magnet's
/// trackers and web seeds: `announce`, `announce-list` (one tier each, in the link's order),
/// `info`, `url-list` — keys in sorted order, the `info` bytes exactly as received so the
/// info-hash stays the same.
fn torrent_file(info: &[u8], trackers: &[String], web_seeds: &[String]) -> Vec<u8> {
    fn string(out: &mut Vec<u8>, s: &[u8]) {
        out.extend_from_slice(s.len().to_string().as_bytes());
        out.push(b':');
        out.extend_from_slice(s);
    }
    let mut out = Vec::with_capacity(info.len() + 64 + trackers.len() * 64);
    out.push(b'd');
    if let Some(first) = trackers.first() {
        string(&mut out, b"announce");
        string(&mut out, first.as_bytes());
        string(&mut out, b"announce-list");
        out.push(b'l');
        for t in trackers {
            out.push(b'l');
            string(&mut out, t.as_bytes());
            out.push(b'e');
        }
        out.push(b'e');
    }
    string(&mut out, b"info");
    out.extend_from_slice(info);
    // BEP 19 web seeds from the link's `ws`, kept for when web seeding is supported.
    if !web_seeds.is_empty() {
        string(&mut out, b"url-list");
        out.push(b'l');
        for w in web_seeds {
            string(&mut out, w.as_bytes());
        }
        out.push(b'e');
    }
    out.push(b'e');
    out
}

impl std::fmt::Debug for EngineHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "EngineHandle(port {})", self.listen_port)
    }
}
