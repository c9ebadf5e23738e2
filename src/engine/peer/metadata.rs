//! BEP 9 ut_metadata: the messages, the assembler that fetches an info dictionary from several
//! peers for a magnet link, and the serving side.
//!
//! A magnet link gives only the info-hash; the info dictionary it hashes is fetched from peers in
//! 16 KiB pieces. Every byte of it comes from strangers, so the assembler trusts nothing until the
//! SHA-1 of the whole matches the info-hash: it adopts one size claim (capped at
//! [`MAX_METADATA_SIZE`], and only allocated when the first piece arrives), accepts only pieces
//! of the exact length at the exact index it asked for, and when the hash fails it names every
//! peer that contributed, never gives them work again, and starts over.
//!
//! It must not depend on sockets, tasks or torrent state: the torrent task owns the connections
//! and calls in with peer addresses and the current time, which keeps this testable without a
//! network or a clock.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use bytes::{BufMut, Bytes, BytesMut};
use serde_bencode::value::Value;

use super::extension::{ExtError, opt_int};
use crate::engine::bencode::{self, Limits, get};
use crate::engine::info_hash::InfoHash;

/// BEP 9: metadata is sent in 16 KiB pieces; all but the last are exactly this long.
pub const METADATA_PIECE: usize = 16 * 1024;
/// Largest metadata we fetch; bigger claims are ignored (libtorrent's default limit is 30 MiB;
/// an info dictionary this large describes millions of pieces or files).
pub const MAX_METADATA_SIZE: u64 = 32 * 1024 * 1024;

// BEP 9 `msg_type` values.
const MSG_REQUEST: i64 = 0;
const MSG_DATA: i64 = 1;
const MSG_REJECT: i64 = 2;

/// A ut_metadata message (the payload after the extended message id byte).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MetadataMsg {
    /// Asks for one piece of the metadata.
    Request { piece: u32 },
    /// One piece, with the size of the whole metadata.
    Data {
        piece: u32,
        total_size: u64,
        data: Bytes,
    },
    /// The sender does not have (or will not send) that piece.
    Reject { piece: u32 },
}

impl MetadataMsg {
    /// The bencoded payload, followed by the raw piece for [`MetadataMsg::Data`].
    pub fn encode(&self) -> Bytes {
        let (msg_type, piece) = match self {
            MetadataMsg::Request { piece } => (MSG_REQUEST, piece),
            MetadataMsg::Data { piece, .. } => (MSG_DATA, piece),
            MetadataMsg::Reject { piece } => (MSG_REJECT, piece),
        };
        let mut d = HashMap::new();
        d.insert(b"msg_type".to_vec(), Value::Int(msg_type));
        d.insert(b"piece".to_vec(), Value::Int(i64::from(*piece)));
        if let MetadataMsg::Data { total_size, .. } = self {
            let total = i64::try_from(*total_size).unwrap_or(i64::MAX);
            d.insert(b"total_size".to_vec(), Value::Int(total));
        }
        let header = bencode::encode(&Value::Dict(d));
        match self {
            MetadataMsg::Data { data, .. } => {
                let mut out = BytesMut::with_capacity(header.len() + data.len());
                out.put_slice(&header);
                out.put_slice(data);
                out.freeze()
            }
            _ => Bytes::from(header),
        }
    }

    /// Reads a ut_metadata payload. The piece of a `data` message is a slice of `payload` (no
    /// copy) of at most [`METADATA_PIECE`] bytes. An unknown `msg_type` gives
    /// [`ExtError::UnknownMsgType`], which BEP 9 says to ignore.
    pub fn decode(payload: &Bytes) -> Result<MetadataMsg, ExtError> {
        let (value, header_len) = bencode::decode_prefix(payload, Limits::MESSAGE)?;
        let d = get::dict(&value).ok_or(ExtError::NotADictionary)?;
        let msg_type = opt_int(d, "msg_type")?.ok_or(ExtError::MissingField("msg_type"))?;
        let raw_piece = opt_int(d, "piece")?.ok_or(ExtError::MissingField("piece"))?;
        let piece = u32::try_from(raw_piece).map_err(|_| ExtError::OutOfRange {
            field: "piece",
            value: raw_piece,
        })?;
        let rest = payload.len() - header_len;
        match msg_type {
            MSG_REQUEST | MSG_REJECT => {
                if rest != 0 {
                    return Err(ExtError::TrailingData(rest));
                }
                Ok(if msg_type == MSG_REQUEST {
                    MetadataMsg::Request { piece }
                } else {
                    MetadataMsg::Reject { piece }
                })
            }
            MSG_DATA => {
                let raw_total =
                    opt_int(d, "total_size")?.ok_or(ExtError::MissingField("total_size"))?;
                let total_size = u64::try_from(raw_total)
                    .ok()
                    .filter(|t| (1..=MAX_METADATA_SIZE).contains(t))
                    .ok_or(ExtError::OutOfRange {
                        field: "total_size",
                        value: raw_total,
                    })?;
                if rest > METADATA_PIECE {
                    return Err(ExtError::PieceTooLong { len: rest });
                }
                if rest == 0 {
                    return Err(ExtError::BadLength {
                        field: "data",
                        len: 0,
                    });
                }
                Ok(MetadataMsg::Data {
                    piece,
                    total_size,
                    data: payload.slice(header_len..),
                })
            }
            other => Err(ExtError::UnknownMsgType(other)),
        }
    }
}

/// The serving side: our answer to a request for `piece` of our info dictionary `info`.
pub fn serve(info: &Bytes, piece: u32) -> MetadataMsg {
    let start = (piece as usize).saturating_mul(METADATA_PIECE);
    if start >= info.len() {
        return MetadataMsg::Reject { piece };
    }
    let end = info.len().min(start + METADATA_PIECE);
    MetadataMsg::Data {
        piece,
        total_size: info.len() as u64,
        data: info.slice(start..end),
    }
}

/// What the assembler has after a piece arrived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verified {
    /// More pieces are needed.
    Incomplete,
    /// All pieces are in and their SHA-1 is the info-hash: the bencoded info dictionary.
    Done(Bytes),
    /// All pieces are in but the hash is wrong. These peers sent the pieces; they are now
    /// banned from this assembler, which has started over.
    Failed { bad_senders: Vec<SocketAddr> },
}

/// The state of one metadata piece.
///
/// Invariant: `sender` is `Some` exactly when the piece's bytes are in the buffer, and then
/// `asked` is empty.
#[derive(Debug, Default, Clone)]
struct PieceSlot {
    /// Who sent the bytes we hold.
    sender: Option<SocketAddr>,
    /// Peers with an unanswered request for this piece, and when we sent it.
    asked: Vec<(SocketAddr, Instant)>,
    /// Peers that rejected this piece.
    rejected_by: Vec<SocketAddr>,
}

/// Collects metadata pieces from several peers for one info-hash.
///
/// Life cycle: no size (nothing to request) → size adopted by [`MetadataAssembler::offer_size`]
/// → pieces requested and received → `Done` (then everything else is ignored), or `Failed`
/// (back to "size adopted", with the senders banned).
#[derive(Debug, Clone)]
pub struct MetadataAssembler {
    info_hash: InfoHash,
    size: Option<u64>,
    /// One slot per piece once a size is adopted (at most 2048).
    pieces: Vec<PieceSlot>,
    /// The metadata being assembled; empty until the first piece is accepted.
    buffer: Vec<u8>,
    received: usize,
    bad: HashSet<SocketAddr>,
    done: bool,
}

impl MetadataAssembler {
    pub fn new(info_hash: InfoHash) -> Self {
        MetadataAssembler {
            info_hash,
            size: None,
            pieces: Vec::new(),
            buffer: Vec::new(),
            received: 0,
            bad: HashSet::new(),
            done: false,
        }
    }

    /// A peer claims the size (its handshake's `metadata_size`). Returns false, and ignores the
    /// claim, if it is 0, larger than [`MAX_METADATA_SIZE`], or differs from a size already
    /// adopted. The first valid claim is adopted; its buffer is only allocated when a piece
    /// arrives.
    pub fn offer_size(&mut self, size: u64) -> bool {
        if size == 0 || size > MAX_METADATA_SIZE || usize::try_from(size).is_err() {
            return false;
        }
        match self.size {
            Some(adopted) => adopted == size,
            None => {
                self.size = Some(size);
                self.pieces = vec![PieceSlot::default(); piece_count_of(size)];
                true
            }
        }
    }

    /// The adopted metadata size.
    pub fn size(&self) -> Option<u64> {
        self.size
    }

    /// Number of pieces of the adopted size (0 before one is adopted).
    pub fn piece_count(&self) -> usize {
        self.pieces.len()
    }

    /// True once [`Verified::Done`] was returned.
    pub fn is_done(&self) -> bool {
        self.done
    }

    /// True when this peer sent a piece of metadata that failed the hash check.
    pub fn is_bad(&self, peer: SocketAddr) -> bool {
        self.bad.contains(&peer)
    }

    /// How many requests to `peer` are unanswered (for the caller's pipelining limit).
    pub fn outstanding(&self, peer: SocketAddr) -> usize {
        self.pieces
            .iter()
            .filter(|s| s.asked.iter().any(|(p, _)| *p == peer))
            .count()
    }

    /// The next piece to request from `peer`, lowest index first: not received, not rejected by
    /// this peer, not already asked of this peer, and not asked of anyone within `timeout` (an
    /// older request may be duplicated to another peer). Marks it asked of `peer` at `now`.
    /// `None` for a banned peer, before a size is adopted, after `Done`, or when nothing fits.
    pub fn next_request(
        &mut self,
        peer: SocketAddr,
        now: Instant,
        timeout: Duration,
    ) -> Option<u32> {
        if self.done || self.bad.contains(&peer) {
            return None;
        }
        let (index, slot) = self.pieces.iter_mut().enumerate().find(|(_, slot)| {
            slot.sender.is_none()
                && !slot.rejected_by.contains(&peer)
                && slot
                    .asked
                    .iter()
                    .all(|(p, at)| *p != peer && now.saturating_duration_since(*at) >= timeout)
        })?;
        let piece = u32::try_from(index).ok()?;
        slot.asked.push((peer, now));
        Some(piece)
    }

    /// The peer rejected `piece`: it is free for others and never asked of this peer again
    /// (while it stays connected).
    pub fn on_reject(&mut self, peer: SocketAddr, piece: u32) {
        if let Some(slot) = self.pieces.get_mut(piece as usize) {
            slot.asked.retain(|(p, _)| *p != peer);
            if !slot.rejected_by.contains(&peer) {
                slot.rejected_by.push(peer);
            }
        }
    }

    /// The peer disconnected: its unanswered requests become free at once, and its rejections
    /// are forgotten (so the bookkeeping is bounded by the connected peers). A banned peer stays
    /// banned.
    pub fn on_peer_gone(&mut self, peer: SocketAddr) {
        for slot in &mut self.pieces {
            slot.asked.retain(|(p, _)| *p != peer);
            slot.rejected_by.retain(|p| *p != peer);
        }
    }

    /// Stores a piece from `peer`. Errors (the peer broke the protocol): `total_size` other than
    /// the adopted size, index past the end, a length other than 16 KiB (the remainder for the
    /// last piece). Ignored (`Incomplete`): pieces we did not ask this peer for (including late
    /// duplicates after a timeout), anything before a size is adopted, after `Done`, or from a
    /// banned peer. When the last piece is in, the SHA-1 is checked against the info-hash.
    pub fn on_data(
        &mut self,
        peer: SocketAddr,
        piece: u32,
        total_size: u64,
        data: &[u8],
    ) -> Result<Verified, ExtError> {
        if self.done || self.bad.contains(&peer) {
            return Ok(Verified::Incomplete);
        }
        let Some(size) = self.size else {
            return Ok(Verified::Incomplete);
        };
        if total_size != size {
            return Err(ExtError::SizeMismatch {
                claimed: total_size,
                adopted: size,
            });
        }
        let count = self.pieces.len();
        let index = piece as usize;
        let expected = piece_len(size, index);
        let Some(slot) = self.pieces.get_mut(index) else {
            return Err(ExtError::PieceOutOfRange { piece, count });
        };
        if data.len() != expected {
            return Err(ExtError::WrongPieceLength {
                piece,
                len: data.len(),
                expected,
            });
        }
        if slot.sender.is_some() || !slot.asked.iter().any(|(p, _)| *p == peer) {
            return Ok(Verified::Incomplete);
        }
        if self.buffer.is_empty() {
            // `size` was checked against MAX_METADATA_SIZE when adopted.
            self.buffer = vec![0; usize::try_from(size).unwrap_or(0)];
        }
        let start = index * METADATA_PIECE;
        let Some(target) = self.buffer.get_mut(start..start + expected) else {
            return Err(ExtError::PieceOutOfRange { piece, count });
        };
        target.copy_from_slice(data);
        slot.sender = Some(peer);
        slot.asked.clear();
        self.received += 1;
        if self.received < count {
            return Ok(Verified::Incomplete);
        }
        Ok(self.verify())
    }

    /// All pieces are in: hand the metadata out, or ban its senders and start over.
    fn verify(&mut self) -> Verified {
        let buffer = std::mem::take(&mut self.buffer);
        self.received = 0;
        if InfoHash::of_info_bytes(&buffer) == self.info_hash {
            self.done = true;
            self.pieces.clear();
            return Verified::Done(Bytes::from(buffer));
        }
        let senders: BTreeSet<SocketAddr> = self.pieces.iter().filter_map(|s| s.sender).collect();
        for slot in &mut self.pieces {
            slot.sender = None;
            slot.asked.clear();
        }
        self.bad.extend(senders.iter().copied());
        Verified::Failed {
            bad_senders: senders.into_iter().collect(),
        }
    }
}

fn piece_count_of(size: u64) -> usize {
    usize::try_from(size.div_ceil(METADATA_PIECE as u64)).unwrap_or(0)
}

/// Length of piece `index` of metadata of `size` bytes (0 past the end).
fn piece_len(size: u64, index: usize) -> usize {
    let size = usize::try_from(size).unwrap_or(0);
    let start = index.saturating_mul(METADATA_PIECE);
    size.saturating_sub(start).min(METADATA_PIECE)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const TIMEOUT: Duration = Duration::from_secs(10);

    fn addr(n: u8) -> SocketAddr {
        SocketAddr::from(([10, 0, 0, n], 6881))
    }

    /// A realistic-looking info dictionary of `len` bytes (the content is irrelevant to BEP 9).
    fn info_bytes(len: usize) -> Bytes {
        let mut x: u32 = 0x1234_5678;
        (0..len)
            .map(|_| {
                x = x.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                (x >> 24) as u8
            })
            .collect::<Vec<u8>>()
            .into()
    }

    fn assembler_for(info: &Bytes) -> MetadataAssembler {
        let mut a = MetadataAssembler::new(InfoHash::of_info_bytes(info));
        assert!(a.offer_size(info.len() as u64));
        a
    }

    /// Sends the (honest) answer to a request through the message codec, as a peer would.
    fn deliver(a: &mut MetadataAssembler, peer: SocketAddr, info: &Bytes, piece: u32) -> Verified {
        let wire = serve(info, piece).encode();
        let MetadataMsg::Data {
            piece,
            total_size,
            data,
        } = MetadataMsg::decode(&wire).unwrap()
        else {
            panic!("expected data");
        };
        a.on_data(peer, piece, total_size, &data).unwrap()
    }

    #[test]
    fn reads_a_real_data_message_without_copying() {
        let mut payload = b"d8:msg_typei1e5:piecei0e10:total_sizei34256ee".to_vec();
        let header = payload.len();
        payload.extend((0..METADATA_PIECE).map(|i| (i % 251) as u8));
        let payload = Bytes::from(payload);
        let msg = MetadataMsg::decode(&payload).unwrap();
        let MetadataMsg::Data {
            piece,
            total_size,
            data,
        } = msg
        else {
            panic!("expected data");
        };
        assert_eq!((piece, total_size, data.len()), (0, 34256, METADATA_PIECE));
        assert_eq!(
            data.as_ptr(),
            payload[header..].as_ptr(),
            "a slice, not a copy"
        );
    }

    #[test]
    fn reads_real_requests_and_rejects() {
        let request = Bytes::from_static(b"d8:msg_typei0e5:piecei0ee");
        assert_eq!(
            MetadataMsg::decode(&request).unwrap(),
            MetadataMsg::Request { piece: 0 }
        );
        // Extra keys (some clients add `total_size` to rejects) are tolerated.
        let reject = Bytes::from_static(b"d8:msg_typei2e5:piecei3e10:total_sizei9ee");
        assert_eq!(
            MetadataMsg::decode(&reject).unwrap(),
            MetadataMsg::Reject { piece: 3 }
        );
    }

    #[test]
    fn messages_round_trip() {
        for msg in [
            MetadataMsg::Request { piece: 0 },
            MetadataMsg::Request { piece: u32::MAX },
            MetadataMsg::Reject { piece: 7 },
            MetadataMsg::Data {
                piece: 2,
                total_size: 40_000,
                data: Bytes::from(vec![b'e'; 40_000 - 2 * METADATA_PIECE]),
            },
        ] {
            assert_eq!(MetadataMsg::decode(&msg.encode()).unwrap(), msg);
        }
        assert_eq!(
            &MetadataMsg::Request { piece: 1 }.encode()[..],
            b"d8:msg_typei0e5:piecei1ee"
        );
    }

    #[test]
    fn refuses_hostile_messages() {
        let dec = |b: &'static [u8]| MetadataMsg::decode(&Bytes::from_static(b));
        assert_eq!(dec(b"li1ee"), Err(ExtError::NotADictionary));
        assert_eq!(
            dec(b"d5:piecei0ee"),
            Err(ExtError::MissingField("msg_type"))
        );
        assert_eq!(
            dec(b"d8:msg_typei0ee"),
            Err(ExtError::MissingField("piece"))
        );
        assert_eq!(
            dec(b"d8:msg_type1:05:piecei0ee"),
            Err(ExtError::WrongType("msg_type"))
        );
        assert_eq!(
            dec(b"d8:msg_typei0e5:piecei-1ee"),
            Err(ExtError::OutOfRange {
                field: "piece",
                value: -1
            })
        );
        assert_eq!(
            dec(b"d8:msg_typei0e5:piecei4294967296ee"),
            Err(ExtError::OutOfRange {
                field: "piece",
                value: 4_294_967_296
            })
        );
        assert_eq!(
            dec(b"d8:msg_typei0e5:piecei0eeXYZ"),
            Err(ExtError::TrailingData(3))
        );
        assert_eq!(
            dec(b"d8:msg_typei1e5:piecei0eexx"),
            Err(ExtError::MissingField("total_size"))
        );
        assert_eq!(
            dec(b"d8:msg_typei1e5:piecei0e10:total_sizei-5eexx"),
            Err(ExtError::OutOfRange {
                field: "total_size",
                value: -5
            })
        );
        assert_eq!(
            dec(b"d8:msg_typei1e5:piecei0e10:total_sizei1073741824eexx"),
            Err(ExtError::OutOfRange {
                field: "total_size",
                value: 1 << 30
            })
        );
        assert_eq!(
            dec(b"d8:msg_typei1e5:piecei0e10:total_sizei5ee"),
            Err(ExtError::BadLength {
                field: "data",
                len: 0
            })
        );
        let unknown = dec(b"d8:msg_typei9e5:piecei0ee").unwrap_err();
        assert_eq!(unknown, ExtError::UnknownMsgType(9));
        assert!(unknown.is_ignorable());
        assert!(matches!(dec(b"d8:msg_typei1e"), Err(ExtError::Bencode(_))));

        let mut long = b"d8:msg_typei1e5:piecei0e10:total_sizei99999ee".to_vec();
        long.extend(std::iter::repeat_n(0u8, METADATA_PIECE + 1));
        assert_eq!(
            MetadataMsg::decode(&Bytes::from(long)),
            Err(ExtError::PieceTooLong {
                len: METADATA_PIECE + 1
            })
        );
    }

    #[test]
    fn serves_pieces_and_rejects_past_the_end() {
        let info = info_bytes(40_000);
        let MetadataMsg::Data {
            total_size, data, ..
        } = serve(&info, 2)
        else {
            panic!("expected data");
        };
        assert_eq!(total_size, 40_000);
        assert_eq!(data, info.slice(2 * METADATA_PIECE..));
        assert_eq!(serve(&info, 3), MetadataMsg::Reject { piece: 3 });
        assert_eq!(
            serve(&info, u32::MAX),
            MetadataMsg::Reject { piece: u32::MAX }
        );
        assert_eq!(serve(&Bytes::new(), 0), MetadataMsg::Reject { piece: 0 });
    }

    #[test]
    fn pieces_from_three_peers_out_of_order_complete_the_metadata() {
        let info = info_bytes(2 * METADATA_PIECE + 1234);
        let mut a = assembler_for(&info);
        assert_eq!(a.piece_count(), 3);
        let now = Instant::now();
        let (p1, p2, p3) = (addr(1), addr(2), addr(3));
        assert_eq!(a.next_request(p1, now, TIMEOUT), Some(0));
        assert_eq!(a.next_request(p2, now, TIMEOUT), Some(1));
        assert_eq!(a.next_request(p3, now, TIMEOUT), Some(2));
        assert_eq!(a.next_request(p1, now, TIMEOUT), None, "all in flight");
        assert_eq!(a.outstanding(p1), 1);
        assert_eq!(deliver(&mut a, p3, &info, 2), Verified::Incomplete);
        assert_eq!(deliver(&mut a, p1, &info, 0), Verified::Incomplete);
        assert_eq!(deliver(&mut a, p2, &info, 1), Verified::Done(info.clone()));
        assert!(a.is_done());
        assert_eq!(a.next_request(p1, now, TIMEOUT), None);
        assert_eq!(deliver(&mut a, p1, &info, 0), Verified::Incomplete);
    }

    #[test]
    fn a_single_small_piece_completes_at_once() {
        let info = Bytes::from_static(b"d6:lengthi1e4:name1:a12:piece lengthi16384e6:pieces0:e");
        let mut a = assembler_for(&info);
        assert_eq!(a.piece_count(), 1);
        assert_eq!(a.next_request(addr(1), Instant::now(), TIMEOUT), Some(0));
        assert_eq!(deliver(&mut a, addr(1), &info, 0), Verified::Done(info));
    }

    #[test]
    fn corrupt_piece_names_its_sender_then_good_peers_complete() {
        let info = info_bytes(3 * METADATA_PIECE);
        let mut a = assembler_for(&info);
        let now = Instant::now();
        let (good, evil, other) = (addr(1), addr(2), addr(3));
        assert_eq!(a.next_request(good, now, TIMEOUT), Some(0));
        assert_eq!(a.next_request(evil, now, TIMEOUT), Some(1));
        assert_eq!(a.next_request(good, now, TIMEOUT), Some(2));
        deliver(&mut a, good, &info, 0);
        deliver(&mut a, good, &info, 2);
        let mut corrupt = info.slice(METADATA_PIECE..2 * METADATA_PIECE).to_vec();
        corrupt[100] ^= 1;
        let verdict = a.on_data(evil, 1, info.len() as u64, &corrupt).unwrap();
        assert_eq!(
            verdict,
            Verified::Failed {
                bad_senders: vec![good, evil]
            }
        );
        assert!(a.is_bad(evil) && a.is_bad(good) && !a.is_bad(other));
        assert_eq!(a.size(), Some(info.len() as u64), "the size is kept");

        // The banned peers get no work and their data is ignored.
        assert_eq!(a.next_request(evil, now, TIMEOUT), None);
        assert_eq!(a.next_request(good, now, TIMEOUT), None);
        assert_eq!(
            a.on_data(evil, 1, info.len() as u64, &corrupt).unwrap(),
            Verified::Incomplete
        );

        // A clean second round from a fresh peer.
        for piece in 0..3 {
            assert_eq!(a.next_request(other, now, TIMEOUT), Some(piece));
        }
        assert_eq!(deliver(&mut a, other, &info, 1), Verified::Incomplete);
        assert_eq!(deliver(&mut a, other, &info, 2), Verified::Incomplete);
        assert_eq!(deliver(&mut a, other, &info, 0), Verified::Done(info));
    }

    #[test]
    fn failed_round_names_only_the_peers_that_sent_pieces() {
        let info = info_bytes(2 * METADATA_PIECE);
        let mut a = assembler_for(&info);
        let now = Instant::now();
        let (liar, idle) = (addr(1), addr(2));
        assert_eq!(a.next_request(liar, now, TIMEOUT), Some(0));
        assert_eq!(a.next_request(liar, now, TIMEOUT), Some(1));
        let zeros = vec![0u8; METADATA_PIECE];
        let size = info.len() as u64;
        assert_eq!(
            a.on_data(liar, 0, size, &zeros).unwrap(),
            Verified::Incomplete
        );
        assert_eq!(
            a.on_data(liar, 1, size, &zeros).unwrap(),
            Verified::Failed {
                bad_senders: vec![liar]
            }
        );
        assert!(!a.is_bad(idle));
        assert_eq!(a.next_request(idle, now, TIMEOUT), Some(0));
    }

    #[test]
    fn timed_out_requests_are_offered_to_another_peer() {
        let info = info_bytes(METADATA_PIECE + 10);
        let mut a = assembler_for(&info);
        let t0 = Instant::now();
        let (slow, fast) = (addr(1), addr(2));
        assert_eq!(a.next_request(slow, t0, TIMEOUT), Some(0));
        assert_eq!(a.next_request(slow, t0, TIMEOUT), Some(1));
        // Before the timeout, nothing is free.
        let early = t0 + TIMEOUT - Duration::from_millis(1);
        assert_eq!(a.next_request(fast, early, TIMEOUT), None);
        // After it, both pieces may be asked of another peer, but not again of the slow one.
        let late = t0 + TIMEOUT;
        assert_eq!(a.next_request(slow, late, TIMEOUT), None);
        assert_eq!(a.next_request(fast, late, TIMEOUT), Some(0));
        assert_eq!(a.next_request(fast, late, TIMEOUT), Some(1));
        // The slow peer's late answer still counts; the duplicate is ignored.
        assert_eq!(deliver(&mut a, slow, &info, 0), Verified::Incomplete);
        assert_eq!(deliver(&mut a, fast, &info, 0), Verified::Incomplete);
        assert_eq!(deliver(&mut a, fast, &info, 1), Verified::Done(info));
    }

    #[test]
    fn rejected_pieces_are_not_asked_again_of_the_same_peer() {
        let info = info_bytes(2 * METADATA_PIECE);
        let mut a = assembler_for(&info);
        let now = Instant::now();
        let (stingy, kind) = (addr(1), addr(2));
        assert_eq!(a.next_request(stingy, now, TIMEOUT), Some(0));
        a.on_reject(stingy, 0);
        // Piece 0 is free again at once, but not for the peer that rejected it.
        assert_eq!(a.next_request(stingy, now, TIMEOUT), Some(1));
        a.on_reject(stingy, 1);
        assert_eq!(a.next_request(stingy, now, TIMEOUT), None);
        let later = now + 10 * TIMEOUT;
        assert_eq!(a.next_request(stingy, later, TIMEOUT), None);
        assert_eq!(a.next_request(kind, now, TIMEOUT), Some(0));
        assert_eq!(a.next_request(kind, now, TIMEOUT), Some(1));
        a.on_reject(stingy, 99); // out of range: ignored
    }

    #[test]
    fn a_departed_peers_requests_are_free_at_once() {
        let info = info_bytes(METADATA_PIECE);
        let mut a = assembler_for(&info);
        let now = Instant::now();
        assert_eq!(a.next_request(addr(1), now, TIMEOUT), Some(0));
        assert_eq!(a.next_request(addr(2), now, TIMEOUT), None);
        a.on_peer_gone(addr(1));
        assert_eq!(a.outstanding(addr(1)), 0);
        assert_eq!(a.next_request(addr(2), now, TIMEOUT), Some(0));
        // Its answer, if it still arrives, is no longer expected.
        assert_eq!(deliver(&mut a, addr(1), &info, 0), Verified::Incomplete);
        assert_eq!(a.size(), Some(info.len() as u64));
        assert_eq!(deliver(&mut a, addr(2), &info, 0), Verified::Done(info));
    }

    #[test]
    fn size_claims_are_capped_and_never_allocated_up_front() {
        let mut a = MetadataAssembler::new(InfoHash([7; 20]));
        assert!(!a.offer_size(1 << 30));
        assert!(!a.offer_size(u64::MAX));
        assert!(!a.offer_size(0));
        assert_eq!(a.size(), None);
        assert_eq!(a.piece_count(), 0);
        assert_eq!(a.next_request(addr(1), Instant::now(), TIMEOUT), None);
        // Data before any size is adopted is ignored, whatever it claims.
        assert_eq!(
            a.on_data(addr(1), 0, 1 << 30, &[0; 16]).unwrap(),
            Verified::Incomplete
        );
        assert!(a.buffer.capacity() == 0);
        assert!(a.offer_size(MAX_METADATA_SIZE));
        assert_eq!(a.piece_count(), 2048);
        assert!(
            a.buffer.capacity() == 0,
            "allocated only when a piece arrives"
        );
        assert!(
            a.offer_size(MAX_METADATA_SIZE),
            "the same claim again is fine"
        );
        assert!(!a.offer_size(1000), "a conflicting claim is refused");
        assert_eq!(a.size(), Some(MAX_METADATA_SIZE));
    }

    #[test]
    fn refuses_hostile_pieces() {
        let info = info_bytes(2 * METADATA_PIECE + 100);
        let size = info.len() as u64;
        let mut a = assembler_for(&info);
        let now = Instant::now();
        let p = addr(1);
        for _ in 0..3 {
            a.next_request(p, now, TIMEOUT);
        }
        assert_eq!(
            a.on_data(p, 3, size, &[0; 100]),
            Err(ExtError::PieceOutOfRange { piece: 3, count: 3 })
        );
        assert_eq!(
            a.on_data(p, u32::MAX, size, &[0; 100]),
            Err(ExtError::PieceOutOfRange {
                piece: u32::MAX,
                count: 3
            })
        );
        assert_eq!(
            a.on_data(p, 0, size, &vec![0; METADATA_PIECE + 1]),
            Err(ExtError::WrongPieceLength {
                piece: 0,
                len: METADATA_PIECE + 1,
                expected: METADATA_PIECE
            })
        );
        assert_eq!(
            a.on_data(p, 0, size, &[0; 100]),
            Err(ExtError::WrongPieceLength {
                piece: 0,
                len: 100,
                expected: METADATA_PIECE
            })
        );
        assert_eq!(
            a.on_data(p, 2, size, &[0; 101]),
            Err(ExtError::WrongPieceLength {
                piece: 2,
                len: 101,
                expected: 100
            })
        );
        assert_eq!(
            a.on_data(p, 0, size + 1, info.slice(..METADATA_PIECE).as_ref()),
            Err(ExtError::SizeMismatch {
                claimed: size + 1,
                adopted: size
            })
        );
        // None of that was stored: the honest pieces still complete the metadata.
        for piece in 0..3 {
            let v = deliver(&mut a, p, &info, piece);
            assert_eq!(v == Verified::Done(info.clone()), piece == 2);
        }
    }

    #[test]
    fn unrequested_pieces_are_ignored() {
        let info = info_bytes(METADATA_PIECE * 2);
        let mut a = assembler_for(&info);
        let now = Instant::now();
        assert_eq!(deliver(&mut a, addr(9), &info, 0), Verified::Incomplete);
        // The piece is still wanted.
        assert_eq!(a.next_request(addr(1), now, TIMEOUT), Some(0));
        assert_eq!(a.next_request(addr(1), now, TIMEOUT), Some(1));
        deliver(&mut a, addr(1), &info, 0);
        assert_eq!(deliver(&mut a, addr(1), &info, 1), Verified::Done(info));
    }
}
