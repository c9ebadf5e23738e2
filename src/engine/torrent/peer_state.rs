//! What a torrent knows about one connected peer: its pieces, the choke/interest state in both
//! directions, our requests to it, its requests to us, and its transfer rates.

use super::picker::PeerPieces;
use crate::engine::api::PeerSource;
use crate::engine::bitfield::Bitfield;
use crate::engine::peer::wire::{BlockRequest, Message};
use crate::engine::peer_id::PeerId;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::time::Instant;

/// Requests we keep in flight to a peer before its rate is known.
pub const INITIAL_QUEUE_DEPTH: usize = 64;
/// Never more requests in flight to one peer than this.
pub const MAX_QUEUE_DEPTH: usize = 500;
/// Assumed request queue of a peer that did not tell us its `reqq` (BEP 10).
pub const DEFAULT_PEER_REQQ: usize = 250;
/// Seconds of the peer's rate we keep requested (libtorrent's request_queue_time is 3 s).
const QUEUE_SECONDS: u64 = 2;
/// Under a download limit, seconds of the limit we keep requested from one peer: each
/// request in flight holds the peer's upload slot, so no more than the limit can deliver soon.
pub const LIMITED_QUEUE_SECONDS: u64 = 4;
/// Suggested pieces (BEP 6) kept per peer; older ones are forgotten.
pub const MAX_SUGGESTED: usize = 16;
/// A request is given at least this long before it times out.
pub const MIN_REQUEST_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(20);
/// A request times out after this many times how long the blocks queued up to it should take.
const REQUEST_TIMEOUT_FACTOR: u64 = 4;
/// Time constant, in seconds, of the long rate average used for request deadlines.
const LONG_RATE_SECONDS: f64 = 10.0;

/// The pieces a peer has.
#[derive(Debug, Clone)]
pub enum PeerHas {
    /// Every piece (BEP 6 `have all`); counted as a seed by the picker.
    All,
    /// The pieces in the bitfield (possibly none).
    Some(Bitfield),
}

impl PeerHas {
    /// As the picker wants it.
    pub fn as_pieces(&self) -> PeerPieces<'_> {
        match self {
            PeerHas::All => PeerPieces::All,
            PeerHas::Some(b) => PeerPieces::Some(b),
        }
    }

    /// Whether the peer has `piece`.
    pub fn has(&self, piece: usize) -> bool {
        match self {
            PeerHas::All => true,
            PeerHas::Some(b) => b.get(piece),
        }
    }

    /// Whether the peer has every piece.
    pub fn is_seed(&self) -> bool {
        match self {
            PeerHas::All => true,
            PeerHas::Some(b) => b.is_complete(),
        }
    }
}

/// Silent ticks after which a rate reads 0: the average's tail would otherwise halve for many
/// seconds after a burst (100 MB/s takes ~27 halvings to fall under 1 B/s), showing a transfer
/// that has stopped as still running.
const SILENT_TICKS_TO_ZERO: u8 = 4;

/// A smoothed transfer rate: an exponential average over the torrent's ticks that reads 0 once
/// nothing has moved for [`SILENT_TICKS_TO_ZERO`] ticks.
#[derive(Debug, Default, Clone, Copy)]
pub struct Rate {
    bytes_since_tick: u64,
    per_second: f64,
    silent_ticks: u8,
    /// A slower average (time constant [`LONG_RATE_SECONDS`]) that does not drop to 0 between
    /// the blocks of a slow peer.
    long: f64,
}

impl Rate {
    /// Counts transferred bytes.
    pub fn add(&mut self, bytes: u64) {
        self.bytes_since_tick += bytes;
    }

    /// Folds the bytes since the last tick into the average; `seconds` since the last tick.
    pub fn tick(&mut self, seconds: f64) {
        let now = self.bytes_since_tick as f64 / seconds.max(1e-3);
        self.per_second = 0.5 * self.per_second + 0.5 * now;
        let keep = (-seconds.max(0.0) / LONG_RATE_SECONDS).exp();
        self.long = keep * self.long + (1.0 - keep) * now;
        if self.bytes_since_tick == 0 {
            self.silent_ticks = self.silent_ticks.saturating_add(1);
        } else {
            self.silent_ticks = 0;
        }
        if self.per_second < 1.0 || self.silent_ticks >= SILENT_TICKS_TO_ZERO {
            self.per_second = 0.0;
        }
        self.bytes_since_tick = 0;
    }

    /// Bytes per second.
    pub fn get(&self) -> u64 {
        self.per_second as u64
    }

    /// Bytes per second averaged over the last ten seconds or so (see [`LONG_RATE_SECONDS`]).
    pub fn long(&self) -> u64 {
        self.long as u64
    }
}

/// One connected peer, as the torrent task sees it.
#[derive(Debug)]
pub struct Peer {
    /// Where it is.
    pub addr: SocketAddr,
    /// Its id from the handshake.
    pub id: PeerId,
    /// How we learnt of it.
    pub source: PeerSource,
    /// Queue of messages for its writer task.
    pub tx: crate::engine::peer::conn::PeerLink,
    /// Both sides support the fast extension (BEP 6).
    pub fast: bool,
    /// Both sides support the extension protocol (BEP 10).
    pub extensions: bool,
    /// Its pieces.
    pub has: PeerHas,
    /// Whether its first message other than the BEP 10 extended handshake, a keep-alive or a
    /// DHT port (the messages that may precede the bitfield) was seen.
    pub got_first_message: bool,
    /// We refuse to upload to it.
    pub am_choking: bool,
    /// We want something it has.
    pub am_interested: bool,
    /// Since when we have wanted something from it (while we do).
    pub interested_at: Option<Instant>,
    /// It refuses to upload to us.
    pub peer_choking: bool,
    /// It wants something we have.
    pub peer_interested: bool,
    /// Our requests in flight, with when they were sent.
    pub outstanding: HashMap<BlockRequest, Instant>,
    /// How many requests we allow in flight now.
    pub queue_depth: usize,
    /// Its advertised request queue size (BEP 10 `reqq`).
    pub reqq: usize,
    /// Its requests to us still being served.
    pub serving: usize,
    /// Payload it sent us.
    pub download: Rate,
    /// Payload we sent it.
    pub upload: Rate,
    /// Total payload bytes it sent us.
    pub downloaded: u64,
    /// Total payload bytes we sent it.
    pub uploaded: u64,
    /// When its last block arrived (or when we started waiting).
    pub last_block: Instant,
    /// When its last block arrived (`None`: none yet).
    pub last_answer: Option<Instant>,
    /// Pieces it lets us request while it chokes us (BEP 6 allowed fast), at most
    /// [`crate::engine::torrent::fast::MAX_ALLOWED_FAST_IN`].
    pub allowed_fast: Vec<u32>,
    /// Pieces we let it request while we choke it (BEP 6 allowed fast, the ones we told it).
    pub allowed_fast_out: Vec<u32>,
    /// Pieces of its allowed-fast set that we do not have yet: it is told of each when we get
    /// it.
    pub allowed_fast_later: Vec<u32>,
    /// Pieces it suggested (BEP 6), newest last, at most [`MAX_SUGGESTED`].
    pub suggested: std::collections::VecDeque<u32>,
    /// It let our requests starve.
    pub snubbed: bool,
    /// Its client name from the extended handshake (empty until then).
    pub client: String,
    /// Its message id for ut_metadata (BEP 9).
    pub ut_metadata: Option<u8>,
    /// Its message id for ut_pex (BEP 11).
    pub ut_pex: Option<u8>,
    /// The port it listens on (BEP 10 `p`).
    pub listen_port: Option<u16>,
    /// What we told it through peer exchange.
    pub pex: crate::engine::peer::pex::PexState,
    /// When its last peer-exchange message arrived.
    pub pex_received: Option<Instant>,
    /// Metadata pieces we sent it.
    pub metadata_served: u32,
    /// Blocks read for it, waiting for room in its writer's queue (see
    /// [`Peer::send_ahead`]); a cancel or a choke takes them back unsent.
    pub backlog:
        std::collections::VecDeque<(crate::engine::peer::wire::BlockRequest, bytes::Bytes)>,
    /// Block bytes handed to its writer and not yet reported sent.
    pub unsent: u64,
}

impl Peer {
    /// How much it is worth keeping, for dropping the least useful first: neither side
    /// interested ranks lowest, then by the bytes a second exchanged both ways.
    pub fn usefulness(&self) -> u64 {
        let interest = u64::from(self.am_interested || self.peer_interested);
        (interest << 62) | (self.download.get() + self.upload.get()).min((1 << 62) - 1)
    }

    /// How many block bytes may wait in its writer's queue: half a second at its upload
    /// rate, at least 256 KiB, at most 8 MiB. Beyond that, blocks wait in [`Peer::backlog`],
    /// where a cancel or a choke still reaches them.
    pub fn send_ahead(&self) -> u64 {
        (self.upload.get() / 2).clamp(256 * 1024, 8 * 1024 * 1024)
    }

    /// A freshly connected peer: choked and not interested both ways.
    pub fn new(
        addr: SocketAddr,
        id: PeerId,
        source: PeerSource,
        tx: crate::engine::peer::conn::PeerLink,
        piece_count: usize,
    ) -> Peer {
        Peer {
            addr,
            id,
            source,
            tx,
            fast: false,
            extensions: false,
            has: PeerHas::Some(Bitfield::new(piece_count)),
            got_first_message: false,
            am_choking: true,
            am_interested: false,
            interested_at: None,
            peer_choking: true,
            peer_interested: false,
            outstanding: HashMap::new(),
            queue_depth: INITIAL_QUEUE_DEPTH,
            reqq: DEFAULT_PEER_REQQ,
            serving: 0,
            download: Rate::default(),
            upload: Rate::default(),
            downloaded: 0,
            uploaded: 0,
            last_block: Instant::now(),
            last_answer: None,
            allowed_fast: Vec::new(),
            allowed_fast_out: Vec::new(),
            allowed_fast_later: Vec::new(),
            suggested: std::collections::VecDeque::new(),
            snubbed: false,
            client: String::new(),
            ut_metadata: None,
            ut_pex: None,
            listen_port: None,
            pex: Default::default(),
            pex_received: None,
            metadata_served: 0,
            backlog: std::collections::VecDeque::new(),
            unsent: 0,
        }
    }

    /// Queues a message; a closed writer is noticed through the reader's `Closed` event.
    pub fn send(&self, msg: Message) {
        let _ = self.tx.send(msg);
    }

    /// Adapts the request queue depth to the measured rate.
    pub fn adapt_queue_depth(&mut self) {
        let by_rate = (self.download.get() * QUEUE_SECONDS
            / u64::from(crate::engine::peer::wire::BLOCK_SIZE)) as usize;
        self.queue_depth = by_rate
            .clamp(INITIAL_QUEUE_DEPTH, MAX_QUEUE_DEPTH)
            .min(self.reqq.max(1));
    }

    /// How many requests may be in flight now: [`Peer::queue_depth`], but under a download
    /// limit of `limit` bytes a second (0: none) no more than the limit delivers in
    /// [`LIMITED_QUEUE_SECONDS`], and at least one.
    pub fn request_room(&self, limit: u64) -> usize {
        if limit == 0 {
            return self.queue_depth;
        }
        let by_limit = (limit * LIMITED_QUEUE_SECONDS
            / u64::from(crate::engine::peer::wire::BLOCK_SIZE)) as usize;
        self.queue_depth.min(by_limit.max(1))
    }

    /// Whether it may request `piece` from us now: we do not choke it, or it is one of the
    /// pieces we allowed fast.
    pub fn may_request(&self, piece: u32) -> bool {
        !self.am_choking || self.allowed_fast_out.contains(&piece)
    }

    /// Whether we may request `piece` from it now: it does not choke us, or it allowed the
    /// piece fast.
    pub fn may_ask(&self, piece: u32) -> bool {
        !self.peer_choking || (self.fast && self.allowed_fast.contains(&piece))
    }

    /// Our requests to it that timed out by `now`, oldest first.
    ///
    /// A request's deadline is [`REQUEST_TIMEOUT_FACTOR`] times how long the bytes requested
    /// up to it (itself and the older requests still in flight) take at the peer's long rate,
    /// and no less than `floor` (which the caller lengthens under a download limit). Only a
    /// peer that answered something since the request went out can time one out: a peer that
    /// answers nothing at all is left to the snub detection.
    pub fn timed_out_requests(
        &self,
        now: Instant,
        floor: std::time::Duration,
    ) -> Vec<BlockRequest> {
        let Some(answered) = self.last_answer else {
            return Vec::new();
        };
        let mut by_age: Vec<(Instant, BlockRequest)> =
            self.outstanding.iter().map(|(r, t)| (*t, *r)).collect();
        by_age.sort_unstable_by_key(|(t, r)| (*t, r.piece, r.offset));
        let rate = self.download.long();
        let mut ahead: u64 = 0;
        let mut out = Vec::new();
        for (sent, req) in by_age {
            ahead += u64::from(req.length);
            if answered <= sent {
                continue;
            }
            let expected = if rate == 0 {
                // Nothing measured lately: only the floor applies.
                std::time::Duration::ZERO
            } else {
                std::time::Duration::from_secs_f64(
                    (REQUEST_TIMEOUT_FACTOR * ahead) as f64 / rate as f64,
                )
            };
            if now.duration_since(sent) > expected.max(floor) {
                out.push(req);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_steady_rate_reads_as_itself() {
        let mut r = Rate::default();
        for _ in 0..20 {
            r.add(500_000);
            r.tick(0.5);
        }
        // The average converges on the rate (within a byte per second after 20 ticks).
        assert!(r.get().abs_diff(1_000_000) <= 1, "{}", r.get());
    }

    #[test]
    fn a_stopped_transfer_reads_zero_within_two_seconds_not_fourteen() {
        let mut r = Rate::default();
        for _ in 0..10 {
            r.add(50_000_000);
            r.tick(0.5);
        }
        assert!(r.get() > 90_000_000);
        let mut ticks = 0;
        while r.get() > 0 {
            r.tick(0.5);
            ticks += 1;
            assert!(
                ticks <= 4,
                "still {} B/s after {ticks} silent ticks",
                r.get()
            );
        }
        // One block after the silence counts again at once.
        r.add(16_384);
        r.tick(0.5);
        assert!(r.get() > 0);
    }
}
