//! The engine's public surface: the commands a front end sends, the events and snapshots it gets
//! back, and the errors it may see.
//!
//! Front ends (the CLI, the GUI) only ever talk to the engine through these types, over channels:
//! commands in, events out. Everything here is plain data, cheap to clone and to send across
//! threads; no handle to engine internals leaks out.

use crate::engine::info_hash::InfoHash;
use crate::engine::limits::RateLimits;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// Where a new torrent comes from.
#[derive(Debug, Clone)]
pub enum TorrentSource {
    /// The bytes of a `.torrent` file.
    Bytes(Vec<u8>),
    /// A `.torrent` file on disk.
    Path(PathBuf),
    /// A magnet link.
    Magnet(String),
}

/// Everything needed to add a torrent.
#[derive(Debug, Clone)]
pub struct AddTorrent {
    /// The torrent.
    pub source: TorrentSource,
    /// The folder its file or folder is saved in (must exist).
    pub save_path: PathBuf,
    /// Add it paused.
    pub paused: bool,
    /// Peers to try at once, besides the trackers' (e.g. `--peer` on the command line).
    pub peers: Vec<SocketAddr>,
    /// Download pieces in order.
    pub sequential: bool,
    /// Fetch the first and last piece of each wanted file before the others (to preview
    /// media while the rest downloads).
    pub first_last_pieces_first: bool,
    /// Skip the hash check of existing files and trust they are complete (seeding from the
    /// folder a torrent was just created from).
    pub skip_check: bool,
    /// Priority of each file, in the torrent's file order; empty means every file at
    /// [`FilePriority::Normal`]. Ignored for a magnet link until its metadata arrives.
    pub file_priorities: Vec<FilePriority>,
    /// The user's label for it (see [`clean_label`]).
    pub label: Option<String>,
    /// Only to seed existing data: the save folder may be read-only. Otherwise a save folder
    /// we cannot write in is refused when the torrent is added ([`EngineError::SaveFolder`]).
    pub seed_only: bool,
}

/// Longest label kept, in characters.
pub const MAX_LABEL_CHARS: usize = 64;

/// A label as kept: trimmed, control characters dropped, at most [`MAX_LABEL_CHARS`]; `None`
/// when nothing is left.
pub fn clean_label(label: &str) -> Option<String> {
    let cleaned: String = label
        .trim()
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_LABEL_CHARS)
        .collect();
    let cleaned = cleaned.trim();
    (!cleaned.is_empty()).then(|| cleaned.to_owned())
}

impl AddTorrent {
    /// A torrent from `source`, saved under `save_path`, started, with defaults.
    pub fn new(source: TorrentSource, save_path: impl Into<PathBuf>) -> Self {
        AddTorrent {
            source,
            save_path: save_path.into(),
            paused: false,
            peers: Vec::new(),
            sequential: false,
            first_last_pieces_first: false,
            skip_check: false,
            file_priorities: Vec::new(),
            label: None,
            seed_only: false,
        }
    }
}

/// When a finished torrent stops seeding: the seeding goals of μTorrent and qBittorrent. A
/// torrent that reaches one is paused (or removed, by the session's [`GoalAction`]); resuming it
/// by hand lets it seed on, goals waived.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct SeedGoals {
    /// Stop once uploaded ÷ downloaded reaches this. Downloaded counts at least the verified
    /// data, so a torrent seeded from its own files stops after uploading `ratio` × its size.
    pub ratio: Option<f64>,
    /// Stop after seeding this long (time spent seeding since it was started).
    pub seeding_time: Option<Duration>,
    /// Stop after seeding this long without uploading anything.
    pub idle_time: Option<Duration>,
}

/// One of a torrent's own settings: the session's value, none at all, or its own.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Limit<T> {
    /// Whatever the session-wide setting is.
    #[default]
    Global,
    /// No limit for this torrent, whatever the session says.
    Unlimited,
    /// This torrent's own value.
    Value(T),
}

impl<T: Copy> Limit<T> {
    /// The value in force, given the session's `global` one.
    pub fn resolve(self, global: Option<T>) -> Option<T> {
        match self {
            Limit::Global => global,
            Limit::Unlimited => None,
            Limit::Value(v) => Some(v),
        }
    }
}

/// A torrent's own seeding goals, each overriding the session's [`SeedGoals`] or not. Kept in
/// the torrent's resume data.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct GoalOverride {
    /// Share ratio.
    pub ratio: Limit<f64>,
    /// Seeding time.
    pub seeding_time: Limit<Duration>,
    /// Time seeding without uploading.
    pub idle_time: Limit<Duration>,
}

impl GoalOverride {
    /// The goals in force for a torrent with these overrides, given the session's.
    pub fn apply(&self, global: &SeedGoals) -> SeedGoals {
        SeedGoals {
            ratio: self.ratio.resolve(global.ratio),
            seeding_time: self.seeding_time.resolve(global.seeding_time),
            idle_time: self.idle_time.resolve(global.idle_time),
        }
    }

    /// Every goal follows the session's.
    pub fn is_global(&self) -> bool {
        *self == GoalOverride::default()
    }
}

/// What happens to a torrent that reaches a seeding goal (session-wide).
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum GoalAction {
    /// Pause it (resuming it by hand waives the goals).
    #[default]
    Pause,
    /// Remove it from the session, keeping its data.
    Remove,
}

/// How long a downloading torrent needs to finish.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Eta {
    /// No estimate: not downloading (seeding, paused, checking), or nothing measured yet.
    #[default]
    Unknown,
    /// It will not finish as things are: no connected peer has a missing wanted piece, the
    /// swarm stalled, or the estimate is absurdly long (over 100 days).
    Infinite,
    /// At the current smoothed rate.
    Finite(Duration),
}

impl Eta {
    /// A key that orders estimates shortest first, then infinite, then unknown.
    pub fn sort_key(self) -> (u8, Duration) {
        match self {
            Eta::Finite(d) => (0, d),
            Eta::Infinite => (1, Duration::ZERO),
            Eta::Unknown => (2, Duration::ZERO),
        }
    }
}

/// How many torrents run at once; the others wait in [`TorrentState::Queued`], in queue order.
///
/// The rule, as the preferences state it: going down the queue, a torrent that still has
/// something to download takes a download slot and one of the active slots; a finished one a
/// seeding slot and an active slot; when a slot it needs is taken, it waits. Force-started
/// torrents, paused ones, ones in error, hash checks (they have their own small queue) and magnet
/// links fetching their metadata are not counted. With `ignore_slow`, a torrent that has moved
/// less than `slow_rate` (download rate for a download, upload rate for a seed) for
/// `slow_after` keeps running but frees its slot for the next in line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueueLimits {
    /// Downloads at once (`None`: no limit).
    pub downloads: Option<usize>,
    /// Seeds at once.
    pub seeds: Option<usize>,
    /// Downloads and seeds together.
    pub active: Option<usize>,
    /// Slow torrents don't take a slot.
    pub ignore_slow: bool,
    /// Below this many bytes per second a torrent is slow.
    pub slow_rate: u64,
    /// … once it has been so for this long.
    pub slow_after: Duration,
}

impl QueueLimits {
    /// No queueing: every started torrent runs.
    pub const OFF: QueueLimits = QueueLimits {
        downloads: None,
        seeds: None,
        active: None,
        ignore_slow: false,
        slow_rate: 2048,
        slow_after: Duration::from_secs(60),
    };

    /// Some limit is set: torrents may have to wait.
    pub fn enabled(&self) -> bool {
        self.downloads.is_some() || self.seeds.is_some() || self.active.is_some()
    }
}

impl Default for QueueLimits {
    fn default() -> Self {
        QueueLimits::OFF
    }
}

/// Where to move a torrent in the queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueueMove {
    /// One place up (earlier: started sooner).
    Up,
    /// One place down.
    Down,
    /// First.
    Top,
    /// Last.
    Bottom,
}

/// Where a torrent is in its life.
///
/// Invariants: `Checking` comes first when files exist; `Downloading` and `Seeding` are only
/// entered after the check; `Seeding` means every wanted piece is verified; `Error` holds until
/// the user acts (resume or recheck).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TorrentState {
    /// A magnet link whose metadata (the `info` dictionary) is being fetched from peers.
    FetchingMetadata,
    /// Hashing existing data.
    Checking,
    /// Fetching pieces.
    Downloading,
    /// Every wanted piece is here; uploading.
    Seeding,
    /// Waiting in the queue for a download or seeding slot (see [`QueueLimits`]).
    Queued,
    /// Stopped by the user.
    Paused,
    /// Stopped by a fault; the message says what happened.
    Error(String),
}

/// Where a peer address came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PeerSource {
    /// A tracker's answer.
    Tracker,
    /// Given by the user or the command line.
    Manual,
    /// It connected to us.
    Incoming,
    /// The DHT.
    Dht,
    /// Peer exchange with another peer.
    Pex,
    /// The magnet link (`x.pe`).
    Magnet,
}

/// How much a file is wanted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FilePriority {
    /// Not downloaded.
    Skip,
    /// After the others.
    Low,
    /// The default.
    #[default]
    Normal,
    /// Before the others.
    High,
}

/// One file of the torrent shown in the details panel.
#[derive(Debug, Clone, PartialEq)]
pub struct FileDetails {
    /// Path relative to the save folder (starts with the torrent's folder for multi-file
    /// torrents).
    pub path: PathBuf,
    /// Size in bytes.
    pub length: u64,
    /// Bytes of it in verified pieces.
    pub done: u64,
    /// How much it is wanted.
    pub priority: FilePriority,
}

/// One connected peer shown in the details panel.
#[derive(Debug, Clone, PartialEq)]
pub struct PeerDetails {
    /// Its address.
    pub addr: SocketAddr,
    /// Its client, from the extended handshake or the peer id (empty when unknown).
    pub client: String,
    /// Where we learned of it.
    pub source: PeerSource,
    /// It connected to us.
    pub incoming: bool,
    /// Share of the pieces it has, 0.0–1.0.
    pub progress: f32,
    /// Payload bytes per second from it.
    pub download_rate: u64,
    /// Payload bytes per second to it.
    pub upload_rate: u64,
    /// Payload bytes from it this session.
    pub downloaded: u64,
    /// Payload bytes to it this session.
    pub uploaded: u64,
    /// We are interested in it.
    pub am_interested: bool,
    /// We choke it.
    pub am_choking: bool,
    /// It is interested in us.
    pub peer_interested: bool,
    /// It chokes us.
    pub peer_choking: bool,
    /// It sends nothing although asked.
    pub snubbed: bool,
    /// Our requests waiting for an answer from it.
    pub requests: usize,
}

/// What a tracker last told us.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TrackerStatus {
    /// Not contacted yet.
    NotContacted,
    /// An announce is on its way.
    Updating,
    /// The last announce worked.
    Working,
    /// The last announce failed; the reason.
    Error(String),
}

/// One tracker shown in the details panel.
#[derive(Debug, Clone, PartialEq)]
pub struct TrackerDetails {
    /// Its announce URL.
    pub url: String,
    /// Its tier (BEP 12), from 0.
    pub tier: usize,
    /// How the last announce went.
    pub status: TrackerStatus,
    /// A warning message it sent, if any.
    pub warning: Option<String>,
    /// Peers it gave in its last answer.
    pub peers: usize,
    /// Seeders it reports (announce or scrape), when it does.
    pub seeders: Option<u32>,
    /// Leechers it reports, when it does.
    pub leechers: Option<u32>,
    /// Time until its next announce.
    pub next_announce: Option<Duration>,
}

/// Everything the details panel shows about one torrent (sent in snapshots for the torrent a
/// front end asked to watch with [`crate::engine::session::Command::Watch`]).
#[derive(Debug, Clone, PartialEq)]
pub struct TorrentDetails {
    /// Identity.
    pub info_hash: InfoHash,
    /// Folder the torrent's data is saved in.
    pub save_path: PathBuf,
    /// The torrent's comment.
    pub comment: Option<String>,
    /// The program that made it.
    pub created_by: Option<String>,
    /// When it was made (Unix seconds).
    pub creation_date: Option<i64>,
    /// BEP 27 private torrent.
    pub private: bool,
    /// Piece size in bytes (0 before a magnet's metadata arrives).
    pub piece_length: u64,
    /// Total size in bytes.
    pub total_length: u64,
    /// Verified pieces, one bool per piece (empty before metadata).
    pub pieces: Vec<bool>,
    /// Pieces being downloaded now.
    pub downloading: Vec<u32>,
    /// Files in torrent order (empty before metadata).
    pub files: Vec<FileDetails>,
    /// Connected peers.
    pub peers: Vec<PeerDetails>,
    /// Trackers, by tier.
    pub trackers: Vec<TrackerDetails>,
    /// The torrent's tracker list as set (BEP 12 tiers of announce URLs): the `.torrent`'s,
    /// the magnet link's (one tier) or the user's ([`crate::engine::session::Command::SetTrackers`]).
    /// What "Edit trackers" starts from, even before any tracker was contacted.
    pub tracker_tiers: Vec<Vec<String>>,
    /// A magnet link for this torrent.
    pub magnet: String,
}

/// Statistics of one torrent, as shown in a torrent list.
#[derive(Debug, Clone, PartialEq)]
pub struct TorrentStats {
    /// Identity.
    pub info_hash: InfoHash,
    /// Display name.
    pub name: String,
    /// Life-cycle state.
    pub state: TorrentState,
    /// Bytes of wanted data.
    pub wanted_bytes: u64,
    /// Bytes of wanted data verified.
    pub done_bytes: u64,
    /// Verified pieces and the total.
    pub pieces_have: usize,
    /// Number of pieces.
    pub pieces_total: usize,
    /// Progress of a running hash check, 0.0–1.0.
    pub check_progress: f32,
    /// Bytes read and hashed by hash checks since the torrent was started (0 when it started
    /// from its resume data).
    pub checked_bytes: u64,
    /// Payload download rate, bytes per second.
    pub download_rate: u64,
    /// Payload upload rate, bytes per second.
    pub upload_rate: u64,
    /// Payload bytes downloaded, earlier runs included when resume data was kept.
    pub downloaded: u64,
    /// Payload bytes uploaded, earlier runs included when resume data was kept.
    pub uploaded: u64,
    /// Bytes thrown away (failed hashes, duplicates).
    pub wasted: u64,
    /// Connected peers.
    pub peers: usize,
    /// Connected peers that have everything.
    pub seeds: usize,
    /// Seeders in the whole swarm, as the trackers report them (the most any says; from
    /// announces, or scrapes while queued), when one does.
    pub swarm_seeds: Option<u32>,
    /// Leechers in the whole swarm, likewise.
    pub swarm_leechers: Option<u32>,
    /// Estimated time to finish ([`Eta::Unknown`] when not downloading).
    pub eta: Eta,
    /// Peers banned for sending bad data.
    pub banned: usize,
    /// The last tracker error, if any.
    pub tracker_error: Option<String>,
    /// The hosts of its trackers, sorted, each once ([`tracker_hosts`]); empty: trackerless.
    pub tracker_hosts: Arc<[String]>,
    /// Folder the data is saved in.
    pub save_path: Arc<Path>,
    /// When it was added (Unix seconds).
    pub added_at: u64,
    /// When every wanted piece was first verified (Unix seconds).
    pub completed_at: Option<u64>,
    /// The torrent's own download and upload limits (0: none; the global ones apply too).
    pub limits: RateLimits,
    /// Its own cap on connected peers (`None`: the session's per-torrent one).
    pub max_peers: Option<u32>,
    /// Its place in the queue, from 1 (set by the session in snapshots).
    pub queue_position: usize,
    /// Force-started: runs whatever the queue limits say.
    pub forced: bool,
    /// Paused μTorrent's way ([`crate::engine::session::Command::Suspend`]): `state` stays
    /// downloading or seeding, the peers stay connected, nothing is transferred.
    pub suspended: bool,
    /// Checking, but waiting for its turn (hash checks run one at a time).
    pub check_queued: bool,
    /// The user's label (set by the session in snapshots).
    pub label: Option<String>,
    /// The torrent's own seeding goals (each may follow the session's).
    pub seed_goals: GoalOverride,
    /// The first and last piece of each wanted file are fetched first.
    pub first_last_pieces_first: bool,
    /// Its data is being moved to another folder ([`crate::engine::session::Command::MoveStorage`]):
    /// the share of bytes moved, 0.0–1.0. Transfers stop meanwhile; `state` is what the torrent
    /// returns to afterwards.
    pub moving: Option<f32>,
    /// Pieces are downloaded in order.
    pub sequential: bool,
    /// In [`TorrentState::Error`] for a storage fault it waits out (a full disk, a missing
    /// save folder): how long until it tries again by itself (whole seconds).
    pub retry_in: Option<Duration>,
}

impl TorrentStats {
    /// A torrent in `state` with nothing transferred, counted or known yet.
    pub fn new(
        info_hash: InfoHash,
        name: String,
        state: TorrentState,
        save_path: Arc<Path>,
        added_at: u64,
    ) -> TorrentStats {
        TorrentStats {
            info_hash,
            name,
            state,
            wanted_bytes: 0,
            done_bytes: 0,
            pieces_have: 0,
            pieces_total: 0,
            check_progress: 0.0,
            checked_bytes: 0,
            download_rate: 0,
            upload_rate: 0,
            downloaded: 0,
            uploaded: 0,
            wasted: 0,
            peers: 0,
            seeds: 0,
            swarm_seeds: None,
            swarm_leechers: None,
            eta: Eta::Unknown,
            banned: 0,
            tracker_error: None,
            tracker_hosts: Arc::from([]),
            save_path,
            added_at,
            completed_at: None,
            limits: RateLimits::UNLIMITED,
            max_peers: None,
            queue_position: 0,
            forced: false,
            suspended: false,
            check_queued: false,
            label: None,
            seed_goals: GoalOverride::default(),
            first_last_pieces_first: false,
            moving: None,
            sequential: false,
            retry_in: None,
        }
    }
}

/// The state of every torrent at one moment.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    /// All torrents, in queue order (the order they were added, unless moved).
    pub torrents: Vec<TorrentStats>,
    /// Sum of download rates.
    pub download_rate: u64,
    /// Sum of upload rates.
    pub upload_rate: u64,
    /// The TCP port we listen on.
    pub listen_port: u16,
    /// Details of the watched torrent, if one is watched and still in the session.
    pub details: Option<Arc<TorrentDetails>>,
    /// Nodes in the DHT routing table (0 when the DHT is off).
    pub dht_nodes: usize,
    /// The global limits in force (the alternative ones while `alt_speed` is on).
    pub limits: RateLimits,
    /// The alternative ("turtle") limits are in force.
    pub alt_speed: bool,
    /// Connections refused by the IP filter or a ban this session (incoming closed at once,
    /// outgoing never attempted).
    pub blocked_connections: u64,
    /// Peers that connected to us this session for a torrent we serve: more than 0 shows that
    /// the listening port can be reached from outside (μTorrent's green mark).
    pub incoming_connections: u64,
}

/// What the engine reports.
#[derive(Debug, Clone)]
pub enum Event {
    /// A torrent was added (and is checking or starting).
    TorrentAdded { info_hash: InfoHash, name: String },
    /// Every wanted piece of a torrent is verified and on disk.
    TorrentFinished { info_hash: InfoHash },
    /// A piece passed its hash check (only with `Config::piece_events`).
    PieceVerified { info_hash: InfoHash, piece: u32 },
    /// A torrent stopped because of a fault.
    TorrentError {
        info_hash: InfoHash,
        message: String,
    },
    /// A magnet link's metadata arrived and was verified: the torrent now has files. A front
    /// end may ask which files to download ([`crate::engine::session::Command::SetFilePriorities`]).
    MetadataReceived {
        info_hash: InfoHash,
        name: String,
        files: Vec<FileDetails>,
    },
    /// A torrent was removed.
    TorrentRemoved { info_hash: InfoHash },
    /// A peer was banned for sending data that failed the hash check.
    PeerBanned {
        info_hash: InfoHash,
        addr: SocketAddr,
    },
    /// Periodic statistics (a few times a second, only when something changed).
    Snapshot(Arc<Snapshot>),
    /// The session has shut down: final announces sent, files flushed.
    ShutDown,
}

/// Why an engine operation failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EngineError {
    #[error("{0}")]
    BadTorrent(String),
    #[error("cannot read `{path}`: {reason}")]
    Read { path: PathBuf, reason: String },
    #[error("the torrent {0} is already in the session")]
    AlreadyAdded(InfoHash),
    #[error("no torrent {0} in the session")]
    UnknownTorrent(InfoHash),
    #[error("the save folder `{path}` is unusable: {reason}")]
    SaveFolder { path: PathBuf, reason: String },
    #[error("cannot listen on port {port}: {reason}")]
    Listen { port: u16, reason: String },
    #[error("the engine has shut down")]
    ShutDown,
}

/// The hosts of `tiers`' tracker URLs (lower case), sorted, each once; URLs without a host
/// the engine understands are left out.
pub fn tracker_hosts(tiers: &[Vec<String>]) -> Arc<[String]> {
    let mut hosts: Vec<String> = tiers
        .iter()
        .flatten()
        .filter_map(|url| crate::engine::tracker::TrackerUrl::parse(url).ok())
        .map(|u| u.host)
        .collect();
    hosts.sort_unstable();
    hosts.dedup();
    hosts.into()
}
