//! Which block to ask which peer for next: the piece picker.
//!
//! Owns the per-piece availability counts, the set of wanted pieces, and the state of every block
//! of every piece in progress (free, requested by whom, received). It holds no data and does no
//! I/O; the torrent task feeds it what peers have and what arrived, and asks it for requests.
//!
//! Strategy (as in libtorrent and BEP 3's recommendations):
//! - finish pieces already in progress before starting new ones (fewer partial pieces in memory);
//! - until a few pieces are complete, start random pieces (something to trade quickly);
//! - then rarest first, ties broken at random (a random scan start), or lowest index first in
//!   sequential mode;
//! - endgame: when every missing wanted block is already requested, ask a second peer for it; the
//!   torrent cancels the duplicate when one copy arrives.
//!
//! A piece with priority 0 (skipped file) is never started, unless a wanted file shares it.
//!
//! "First and last pieces first" (qBittorrent's option, for previewing media whose container
//! index sits at either end): the torrent hands the picker the first and last piece of every
//! wanted file, and those are started before any other new piece, in the order given.

use crate::engine::bitfield::Bitfield;
use crate::engine::peer::wire::{BLOCK_SIZE, BlockRequest};
use rand::Rng;
use rand::SeedableRng;
use rand::rngs::SmallRng;
use std::collections::HashMap;

/// Identifies a peer connection within one torrent.
pub type PeerKey = u64;

/// Pieces started at random before switching to rarest first.
const RANDOM_FIRST_PIECES: usize = 4;
/// Most peers asked for the same block in endgame.
const ENDGAME_MAX_REQUESTERS: usize = 2;

/// What a peer is known to have.
#[derive(Clone, Copy)]
pub enum PeerPieces<'a> {
    /// A seed (BEP 6 `have all`, or a full bitfield).
    All,
    /// Some pieces.
    Some(&'a Bitfield),
}

impl PeerPieces<'_> {
    fn has(&self, piece: usize) -> bool {
        match self {
            PeerPieces::All => true,
            PeerPieces::Some(b) => b.get(piece),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum BlockState {
    Free,
    Requested(Vec<PeerKey>),
    Received,
}

#[derive(Debug)]
struct Partial {
    blocks: Vec<BlockState>,
    received: usize,
    free: usize,
    /// Free blocks whose request to a peer timed out (by block index): that peer is not asked
    /// for them again while another peer has the piece.
    timed_out: HashMap<usize, PeerKey>,
}

/// What became of a received block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BlockOutcome {
    /// New data. `others` asked for the same block (endgame) and should be sent a cancel.
    /// `piece_complete` says every block of the piece is now here.
    Accepted {
        piece_complete: bool,
        others: Vec<PeerKey>,
    },
    /// We did not ask for it, or already have it: drop the data.
    Unwanted,
}

/// The piece picker of one torrent.
#[derive(Debug)]
pub struct PiecePicker {
    piece_length: u64,
    total_length: u64,
    have: Bitfield,
    /// Download priority per piece; 0 means not wanted.
    priority: Vec<u8>,
    /// How many connected peers have each piece (seeds excluded: see `seeds`).
    availability: Vec<u32>,
    /// Connected peers that have every piece.
    seeds: u32,
    partial: HashMap<u32, Partial>,
    /// Pieces fully received and being hashed.
    verifying: Vec<bool>,
    sequential: bool,
    /// Pieces started before any other new piece (first and last of each wanted file), in
    /// order; empty when the option is off.
    first: Vec<usize>,
    rng: SmallRng,
}

impl PiecePicker {
    /// A picker for `piece_count` pieces that wants every piece and has none.
    pub fn new(piece_length: u64, total_length: u64) -> PiecePicker {
        let count = total_length.div_ceil(piece_length.max(1)) as usize;
        PiecePicker {
            piece_length: piece_length.max(1),
            total_length,
            have: Bitfield::new(count),
            priority: vec![1; count],
            availability: vec![0; count],
            seeds: 0,
            partial: HashMap::new(),
            verifying: vec![false; count],
            sequential: false,
            first: Vec::new(),
            rng: SmallRng::from_rng(&mut rand::rng()),
        }
    }

    /// Number of pieces.
    pub fn piece_count(&self) -> usize {
        self.have.len()
    }

    /// The verified pieces.
    pub fn have(&self) -> &Bitfield {
        &self.have
    }

    /// Size of piece `piece`.
    pub fn piece_size(&self, piece: usize) -> u64 {
        let start = piece as u64 * self.piece_length;
        self.total_length
            .saturating_sub(start)
            .min(self.piece_length)
    }

    fn block_count(&self, piece: usize) -> usize {
        self.piece_size(piece).div_ceil(u64::from(BLOCK_SIZE)) as usize
    }

    fn block_request(&self, piece: usize, block: usize) -> BlockRequest {
        let offset = block as u64 * u64::from(BLOCK_SIZE);
        let length = (self.piece_size(piece) - offset).min(u64::from(BLOCK_SIZE));
        BlockRequest {
            piece: piece as u32,
            offset: offset as u32,
            length: length as u32,
        }
    }

    /// Download lowest pieces first (streaming) instead of rarest first.
    pub fn set_sequential(&mut self, on: bool) {
        self.sequential = on;
    }

    /// Pieces to start before any other (in this order); out-of-range ones are ignored, and an
    /// empty list turns the preference off.
    pub fn set_first_pieces(&mut self, mut pieces: Vec<usize>) {
        let count = self.piece_count();
        pieces.retain(|&p| p < count);
        let mut seen = std::collections::HashSet::new();
        pieces.retain(|p| seen.insert(*p));
        self.first = pieces;
    }

    /// Sets the priority of one piece (0 = not wanted). Pieces in progress stay in progress.
    pub fn set_priority(&mut self, piece: usize, priority: u8) {
        if let Some(p) = self.priority.get_mut(piece) {
            *p = priority;
        }
    }

    /// Whether we still want piece `piece` (wanted and not had).
    pub fn wants(&self, piece: usize) -> bool {
        piece < self.piece_count() && self.priority[piece] > 0 && !self.have.get(piece)
    }

    /// True when every wanted piece is verified.
    pub fn is_complete(&self) -> bool {
        (0..self.piece_count()).all(|p| !self.wants(p))
    }

    /// Bytes of wanted pieces not yet verified.
    pub fn wanted_bytes_left(&self) -> u64 {
        (0..self.piece_count())
            .filter(|&p| self.wants(p))
            .map(|p| self.piece_size(p))
            .sum()
    }

    /// Whether a connected peer has at least one wanted piece we lack (false when nothing is
    /// missing).
    pub fn any_missing_available(&self) -> bool {
        (0..self.piece_count()).any(|p| self.wants(p) && self.availability(p) > 0)
    }

    /// Marks a piece verified (from a hash check or a download).
    pub fn set_have(&mut self, piece: usize) {
        self.have.set(piece);
        self.partial.remove(&(piece as u32));
        if let Some(v) = self.verifying.get_mut(piece) {
            *v = false;
        }
    }

    /// How many connected peers have `piece`.
    pub fn availability(&self, piece: usize) -> u32 {
        self.availability.get(piece).copied().unwrap_or(0) + self.seeds
    }

    /// A peer announced one piece.
    pub fn peer_has(&mut self, piece: usize) {
        if let Some(a) = self.availability.get_mut(piece) {
            *a += 1;
        }
    }

    /// A peer's pieces join the swarm's availability.
    pub fn add_peer(&mut self, pieces: PeerPieces<'_>) {
        match pieces {
            PeerPieces::All => self.seeds += 1,
            PeerPieces::Some(b) => {
                for p in b.iter_set() {
                    self.availability[p] += 1;
                }
            }
        }
    }

    /// A peer's pieces leave the availability (it left, or it replaced its piece set).
    pub fn remove_availability(&mut self, pieces: PeerPieces<'_>) {
        match pieces {
            PeerPieces::All => self.seeds = self.seeds.saturating_sub(1),
            PeerPieces::Some(b) => {
                for p in b.iter_set() {
                    self.availability[p] = self.availability[p].saturating_sub(1);
                }
            }
        }
    }

    /// A peer left: its pieces leave the availability and its requests become free again.
    pub fn remove_peer(&mut self, peer: PeerKey, pieces: PeerPieces<'_>) {
        self.remove_availability(pieces);
        for partial in self.partial.values_mut() {
            for block in &mut partial.blocks {
                release(block, peer, &mut partial.free);
            }
        }
    }

    /// Whether a peer has anything we want.
    pub fn is_interesting(&self, pieces: PeerPieces<'_>) -> bool {
        match pieces {
            PeerPieces::All => !self.is_complete(),
            PeerPieces::Some(b) => b.iter_set().any(|p| self.wants(p)),
        }
    }

    /// Up to `max` new requests for `peer`, which has `pieces`.
    pub fn pick(&mut self, peer: PeerKey, pieces: PeerPieces<'_>, max: usize) -> Vec<BlockRequest> {
        self.pick_suggested(peer, pieces, max, &[])
    }

    /// [`PiecePicker::pick`], preferring the pieces the peer `suggested` (BEP 6) among new
    /// pieces of equal priority and rarity.
    pub fn pick_suggested(
        &mut self,
        peer: PeerKey,
        pieces: PeerPieces<'_>,
        max: usize,
        suggested: &[u32],
    ) -> Vec<BlockRequest> {
        let mut out = Vec::new();
        if max == 0 {
            return out;
        }
        // 1. Free blocks of pieces already in progress, most advanced first.
        let mut started: Vec<(usize, u32)> = self
            .partial
            .iter()
            .filter(|(p, part)| part.free > 0 && pieces.has(**p as usize))
            .map(|(p, part)| (part.free, *p))
            .collect();
        started.sort_unstable();
        for (_, piece) in started {
            self.take_free_blocks(piece as usize, peer, max, &mut out);
            if out.len() >= max {
                return out;
            }
        }
        // 2. New pieces.
        while out.len() < max {
            let Some(piece) = self.choose_new_piece(pieces, suggested) else {
                break;
            };
            let blocks = self.block_count(piece);
            self.partial.insert(
                piece as u32,
                Partial {
                    blocks: vec![BlockState::Free; blocks],
                    received: 0,
                    free: blocks,
                    timed_out: HashMap::new(),
                },
            );
            self.take_free_blocks(piece, peer, max, &mut out);
        }
        // 3. Endgame: nothing left to start; double up on blocks others are fetching.
        if out.len() < max && self.no_unstarted_wanted_pieces() {
            let pieces_in_progress: Vec<u32> = self.partial.keys().copied().collect();
            for piece in pieces_in_progress {
                if !pieces.has(piece as usize) {
                    continue;
                }
                let count = self.partial.get(&piece).map_or(0, |p| p.blocks.len());
                for block in 0..count {
                    if out.len() >= max {
                        return out;
                    }
                    let Some(part) = self.partial.get_mut(&piece) else {
                        break;
                    };
                    if let BlockState::Requested(by) = &mut part.blocks[block]
                        && by.len() < ENDGAME_MAX_REQUESTERS
                        && !by.contains(&peer)
                    {
                        by.push(peer);
                        out.push(self.block_request(piece as usize, block));
                    }
                }
            }
        }
        out
    }

    fn take_free_blocks(
        &mut self,
        piece: usize,
        peer: PeerKey,
        max: usize,
        out: &mut Vec<BlockRequest>,
    ) {
        // A block that timed out at this peer goes to another one, unless no other has it.
        let others_have_it = self.availability(piece) > 1;
        let Some(part) = self.partial.get_mut(&(piece as u32)) else {
            return;
        };
        let mut taken = Vec::new();
        for (i, block) in part.blocks.iter_mut().enumerate() {
            if out.len() + taken.len() >= max {
                break;
            }
            if others_have_it && part.timed_out.get(&i) == Some(&peer) {
                continue;
            }
            if *block == BlockState::Free {
                *block = BlockState::Requested(vec![peer]);
                part.free -= 1;
                taken.push(i);
            }
        }
        for i in taken {
            out.push(self.block_request(piece, i));
        }
    }

    fn no_unstarted_wanted_pieces(&self) -> bool {
        (0..self.piece_count())
            .all(|p| !self.wants(p) || self.verifying[p] || self.partial.contains_key(&(p as u32)))
    }

    fn startable(&self, piece: usize, pieces: PeerPieces<'_>) -> bool {
        self.wants(piece)
            && !self.verifying[piece]
            && !self.partial.contains_key(&(piece as u32))
            && pieces.has(piece)
    }

    fn choose_new_piece(&mut self, pieces: PeerPieces<'_>, suggested: &[u32]) -> Option<usize> {
        let n = self.piece_count();
        if n == 0 {
            return None;
        }
        if let Some(&p) = self.first.iter().find(|&&p| self.startable(p, pieces)) {
            return Some(p);
        }
        if self.sequential {
            // Highest priority first, then lowest index.
            return (0..n)
                .filter(|&p| self.startable(p, pieces))
                .max_by_key(|&p| (self.priority[p], std::cmp::Reverse(p)));
        }
        let start = self.rng.random_range(0..n);
        let is_suggested = |p: usize| suggested.contains(&(p as u32));
        if self.have.count() < RANDOM_FIRST_PIECES {
            return (0..n)
                .map(|i| (start + i) % n)
                .filter(|&p| self.startable(p, pieces))
                .max_by_key(|&p| (self.priority[p], is_suggested(p)));
        }
        // Rarest first among the highest priority, a suggested piece before an equally rare
        // other, scanning from a random start so ties are broken at random; stop early at the
        // rarest possible (only this peer has it) unless a suggestion could still beat it.
        let mut best: Option<(u8, std::cmp::Reverse<u32>, bool, usize)> = None;
        for i in 0..n {
            let p = (start + i) % n;
            if !self.startable(p, pieces) {
                continue;
            }
            let key = (
                self.priority[p],
                std::cmp::Reverse(self.availability(p)),
                is_suggested(p),
                p,
            );
            if best.is_none_or(|b| (key.0, key.1, key.2) > (b.0, b.1, b.2)) {
                best = Some(key);
                if self.availability(p) <= 1
                    && self.priority[p] >= self.max_priority()
                    && (key.2 || suggested.is_empty())
                {
                    break;
                }
            }
        }
        best.map(|b| b.3)
    }

    fn max_priority(&self) -> u8 {
        // Priorities are few and rarely change; a linear scan here is only reached once per
        // started piece.
        self.priority.iter().copied().max().unwrap_or(0)
    }

    /// Records an arrived block (`from` sent it).
    pub fn on_block(&mut self, req: &BlockRequest, from: PeerKey) -> BlockOutcome {
        let piece = req.piece as usize;
        let block = (req.offset / BLOCK_SIZE) as usize;
        if !req.offset.is_multiple_of(BLOCK_SIZE) || self.block_request(piece, block) != *req {
            return BlockOutcome::Unwanted;
        }
        let Some(part) = self.partial.get_mut(&req.piece) else {
            return BlockOutcome::Unwanted;
        };
        let Some(state) = part.blocks.get_mut(block) else {
            return BlockOutcome::Unwanted;
        };
        let others = match state {
            BlockState::Received => return BlockOutcome::Unwanted,
            BlockState::Free => {
                // Arrived after we gave up on it (timeout, peer choked us): still useful.
                part.free -= 1;
                Vec::new()
            }
            BlockState::Requested(by) => by.iter().copied().filter(|&p| p != from).collect(),
        };
        *state = BlockState::Received;
        part.timed_out.remove(&block);
        part.received += 1;
        let piece_complete = part.received == part.blocks.len();
        if piece_complete {
            self.verifying[piece] = true;
        }
        BlockOutcome::Accepted {
            piece_complete,
            others,
        }
    }

    /// A request will not be answered (rejected, cancelled, timed out, peer choked us).
    pub fn on_request_dropped(&mut self, req: &BlockRequest, peer: PeerKey) {
        let block = (req.offset / BLOCK_SIZE) as usize;
        if let Some(part) = self.partial.get_mut(&req.piece)
            && let Some(state) = part.blocks.get_mut(block)
        {
            release(state, peer, &mut part.free);
        }
    }

    /// A request to `peer` timed out: the block is free again, for another peer if one has it
    /// (a late answer from `peer` is still taken, see [`PiecePicker::on_block`]).
    pub fn on_request_timed_out(&mut self, req: &BlockRequest, peer: PeerKey) {
        let block = (req.offset / BLOCK_SIZE) as usize;
        if let Some(part) = self.partial.get_mut(&req.piece)
            && let Some(state) = part.blocks.get_mut(block)
        {
            release(state, peer, &mut part.free);
            part.timed_out.insert(block, peer);
        }
    }

    /// A fully received piece failed its hash: every block must be fetched again.
    pub fn on_piece_failed(&mut self, piece: usize) {
        if let Some(v) = self.verifying.get_mut(piece) {
            *v = false;
        }
        self.partial.remove(&(piece as u32));
    }

    /// Pieces in progress (started, not yet verified).
    pub fn pieces_in_progress(&self) -> impl Iterator<Item = usize> + '_ {
        self.partial.keys().map(|&p| p as usize)
    }
}

fn release(state: &mut BlockState, peer: PeerKey, free: &mut usize) {
    if let BlockState::Requested(by) = state {
        by.retain(|&p| p != peer);
        if by.is_empty() {
            *state = BlockState::Free;
            *free += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    const B: u64 = BLOCK_SIZE as u64;

    fn accept_all(p: &mut PiecePicker, reqs: &[BlockRequest], from: PeerKey) -> Vec<usize> {
        let mut done = Vec::new();
        for r in reqs {
            if let BlockOutcome::Accepted {
                piece_complete: true,
                ..
            } = p.on_block(r, from)
            {
                done.push(r.piece as usize);
            }
        }
        done
    }

    #[test]
    fn downloads_everything_from_one_seed_with_short_last_piece() {
        let total = 10 * 2 * B + 5;
        let mut p = PiecePicker::new(2 * B, total);
        assert_eq!(p.piece_count(), 11);
        p.add_peer(PeerPieces::All);
        let mut bytes = 0;
        loop {
            let reqs = p.pick(1, PeerPieces::All, 7);
            if reqs.is_empty() {
                break;
            }
            bytes += reqs.iter().map(|r| u64::from(r.length)).sum::<u64>();
            for piece in accept_all(&mut p, &reqs, 1) {
                p.set_have(piece);
            }
        }
        assert!(p.is_complete());
        assert_eq!(bytes, total);
        assert_eq!(p.wanted_bytes_left(), 0);
    }

    #[test]
    fn finishes_started_pieces_first() {
        let mut p = PiecePicker::new(4 * B, 40 * B);
        p.add_peer(PeerPieces::All);
        let first = p.pick(1, PeerPieces::All, 2);
        assert_eq!(first.len(), 2);
        assert_eq!(first[0].piece, first[1].piece);
        // Peer 1 goes away: its blocks are free again, and peer 2 continues that same piece.
        p.remove_peer(1, PeerPieces::All);
        p.add_peer(PeerPieces::All);
        let next = p.pick(2, PeerPieces::All, 4);
        assert!(next.iter().all(|r| r.piece == first[0].piece));
    }

    #[test]
    fn rarest_first_after_the_first_pieces() {
        let mut p = PiecePicker::new(B, 20 * B);
        for i in 0..RANDOM_FIRST_PIECES {
            p.set_have(i);
        }
        let mut common = Bitfield::full(20);
        for i in 0..RANDOM_FIRST_PIECES {
            common.clear(i);
        }
        // Two peers have everything we lack; only one has piece 17.
        let mut partial = common.clone();
        partial.clear(17);
        p.add_peer(PeerPieces::Some(&common));
        p.add_peer(PeerPieces::Some(&partial));
        p.add_peer(PeerPieces::Some(&partial));
        let reqs = p.pick(1, PeerPieces::Some(&common), 1);
        assert_eq!(reqs[0].piece, 17);
    }

    #[test]
    fn only_pieces_the_peer_has() {
        let mut p = PiecePicker::new(B, 8 * B);
        let mut has = Bitfield::new(8);
        has.set(5);
        p.add_peer(PeerPieces::Some(&has));
        let reqs = p.pick(1, PeerPieces::Some(&has), 10);
        assert_eq!(reqs.len(), 1);
        assert_eq!(reqs[0].piece, 5);
        assert!(p.pick(1, PeerPieces::Some(&has), 10).is_empty());
        let none = Bitfield::new(8);
        assert!(!p.is_interesting(PeerPieces::Some(&none)));
        assert!(p.is_interesting(PeerPieces::Some(&has)));
    }

    #[test]
    fn skipped_pieces_are_never_requested() {
        let mut p = PiecePicker::new(B, 4 * B);
        p.set_priority(1, 0);
        p.set_priority(2, 0);
        p.add_peer(PeerPieces::All);
        let reqs = p.pick(1, PeerPieces::All, 100);
        let mut pieces: Vec<u32> = reqs.iter().map(|r| r.piece).collect();
        pieces.sort_unstable();
        pieces.dedup();
        assert_eq!(pieces, vec![0, 3]);
        for piece in accept_all(&mut p, &reqs, 1) {
            p.set_have(piece);
        }
        assert!(p.is_complete());
    }

    #[test]
    fn missing_pieces_are_available_only_when_a_peer_has_one() {
        let mut p = PiecePicker::new(B, 4 * B);
        p.set_have(0);
        assert!(!p.any_missing_available());
        let mut has = Bitfield::new(4);
        has.set(0);
        p.add_peer(PeerPieces::Some(&has));
        assert!(!p.any_missing_available(), "only a piece we have");
        has.set(3);
        p.peer_has(3);
        assert!(p.any_missing_available());
        p.remove_availability(PeerPieces::Some(&has));
        assert!(!p.any_missing_available());
        p.add_peer(PeerPieces::All);
        assert!(p.any_missing_available());
    }

    #[test]
    fn first_and_last_pieces_of_each_file_come_first() {
        // Two files: pieces 0..=9 and 10..=19.
        let mut p = PiecePicker::new(B, 20 * B);
        p.set_first_pieces(vec![0, 9, 10, 19, 99]);
        let mut has = Bitfield::full(20);
        has.clear(10);
        p.add_peer(PeerPieces::Some(&has));
        let reqs = p.pick(1, PeerPieces::Some(&has), 3);
        let pieces: Vec<u32> = reqs.iter().map(|r| r.piece).collect();
        // Piece 10 is missing at this peer: the next preferred ones instead.
        assert_eq!(pieces, vec![0, 9, 19]);
        // The preferred pieces first, then the usual order (sequential here).
        let mut all_first = PiecePicker::new(B, 20 * B);
        all_first.set_first_pieces(vec![19, 0]);
        all_first.set_sequential(true);
        all_first.add_peer(PeerPieces::All);
        let reqs = all_first.pick(1, PeerPieces::All, 4);
        let pieces: Vec<u32> = reqs.iter().map(|r| r.piece).collect();
        assert_eq!(pieces, vec![19, 0, 1, 2], "then sequential order");
        // Had pieces and skipped pieces are not started again.
        let mut q = PiecePicker::new(B, 4 * B);
        q.set_have(0);
        q.set_priority(3, 0);
        q.set_first_pieces(vec![0, 3, 2]);
        q.add_peer(PeerPieces::All);
        assert_eq!(q.pick(1, PeerPieces::All, 1)[0].piece, 2);
        q.set_first_pieces(Vec::new());
        assert!(q.first.is_empty());
    }

    #[test]
    fn sequential_mode_goes_in_order() {
        let mut p = PiecePicker::new(B, 6 * B);
        p.set_sequential(true);
        p.add_peer(PeerPieces::All);
        let reqs = p.pick(1, PeerPieces::All, 6);
        let pieces: Vec<u32> = reqs.iter().map(|r| r.piece).collect();
        assert_eq!(pieces, vec![0, 1, 2, 3, 4, 5]);
    }

    #[test]
    fn endgame_doubles_up_and_reports_who_to_cancel() {
        let mut p = PiecePicker::new(2 * B, 2 * B);
        p.add_peer(PeerPieces::All);
        p.add_peer(PeerPieces::All);
        let a = p.pick(1, PeerPieces::All, 10);
        assert_eq!(a.len(), 2);
        let b = p.pick(2, PeerPieces::All, 10);
        assert_eq!(b.len(), 2, "endgame: peer 2 asks for the same blocks");
        assert!(p.pick(3, PeerPieces::All, 10).len() <= 2);
        match p.on_block(&a[0], 2) {
            BlockOutcome::Accepted { others, .. } => assert_eq!(others, vec![1]),
            other => panic!("{other:?}"),
        }
        assert_eq!(p.on_block(&a[0], 1), BlockOutcome::Unwanted);
    }

    #[test]
    fn failed_piece_is_downloaded_again() {
        let mut p = PiecePicker::new(B, 2 * B);
        p.add_peer(PeerPieces::All);
        let reqs = p.pick(1, PeerPieces::All, 1);
        let done = accept_all(&mut p, &reqs, 1);
        assert_eq!(done.len(), 1);
        p.on_piece_failed(done[0]);
        let again = p.pick(2, PeerPieces::All, 2);
        assert!(again.iter().any(|r| r.piece as usize == done[0]));
    }

    #[test]
    fn dropped_requests_become_free_and_bad_blocks_are_unwanted() {
        let mut p = PiecePicker::new(B, 4 * B);
        p.add_peer(PeerPieces::All);
        let reqs = p.pick(1, PeerPieces::All, 1);
        p.on_request_dropped(&reqs[0], 1);
        let again = p.pick(2, PeerPieces::All, 1);
        assert_eq!(again, reqs);
        let odd = BlockRequest {
            piece: 0,
            offset: 5,
            length: 10,
        };
        assert_eq!(p.on_block(&odd, 1), BlockOutcome::Unwanted);
        let out_of_range = BlockRequest {
            piece: 99,
            offset: 0,
            length: BLOCK_SIZE,
        };
        assert_eq!(p.on_block(&out_of_range, 1), BlockOutcome::Unwanted);
    }

    #[test]
    fn a_suggested_piece_wins_among_equally_rare_ones_only() {
        let mut p = PiecePicker::new(B, 20 * B);
        for i in 0..RANDOM_FIRST_PIECES {
            p.set_have(i);
        }
        p.add_peer(PeerPieces::All);
        // Every missing piece is equally rare: the suggestion is taken, whatever the random
        // scan start.
        for _ in 0..20 {
            let mut q = PiecePicker::new(B, 20 * B);
            for i in 0..RANDOM_FIRST_PIECES {
                q.set_have(i);
            }
            q.add_peer(PeerPieces::All);
            let reqs = q.pick_suggested(1, PeerPieces::All, 1, &[13]);
            assert_eq!(reqs[0].piece, 13);
        }
        // A rarer piece still comes first: the suggestion only breaks ties.
        let mut has = Bitfield::full(20);
        has.clear(5);
        p.add_peer(PeerPieces::Some(&has));
        let reqs = p.pick_suggested(1, PeerPieces::All, 1, &[13]);
        assert_eq!(reqs[0].piece, 5);
        // A suggestion of a piece we have, or out of range, changes nothing.
        let reqs = p.pick_suggested(2, PeerPieces::All, 1, &[0, 99]);
        assert_ne!(reqs[0].piece, 0);
        // Among the first (random) pieces the suggestion wins too.
        let mut r = PiecePicker::new(B, 20 * B);
        r.add_peer(PeerPieces::All);
        assert_eq!(r.pick_suggested(1, PeerPieces::All, 1, &[7])[0].piece, 7);
    }

    #[test]
    fn a_timed_out_block_goes_to_another_peer_unless_none_has_it() {
        let mut p = PiecePicker::new(2 * B, 2 * B);
        p.add_peer(PeerPieces::All);
        let a = p.pick(1, PeerPieces::All, 1);
        assert_eq!(a.len(), 1);
        p.on_request_timed_out(&a[0], 1);
        // Peer 1 is the only one with the piece: it is asked again.
        let again = p.pick(1, PeerPieces::All, 2);
        assert!(again.contains(&a[0]), "{again:?}");
        p.on_request_timed_out(&a[0], 1);
        for r in &again {
            if *r != a[0] {
                p.on_request_dropped(r, 1);
            }
        }
        // With a second peer, peer 1 gets the other block only, and peer 2 the timed-out one.
        p.add_peer(PeerPieces::All);
        let one = p.pick(1, PeerPieces::All, 2);
        assert!(!one.contains(&a[0]), "{one:?}");
        let two = p.pick(2, PeerPieces::All, 2);
        assert!(two.contains(&a[0]), "{two:?}");
        // Peer 1's late answer is still taken, and peer 2's request is to be cancelled.
        match p.on_block(&a[0], 1) {
            BlockOutcome::Accepted { others, .. } => assert_eq!(others, vec![2]),
            other => panic!("{other:?}"),
        }
    }
}
