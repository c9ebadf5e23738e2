//! The peer wire protocol codec: turns bytes from a peer into [`Message`]s and back.
//!
//! It exists so that the one place where a stranger's bytes become our data structures is small,
//! synchronous and testable without a network. It owns the framing (the 68-byte handshake of
//! BEP 3 and the 4-byte big-endian length prefix of every later message), the message types of
//! BEP 3, BEP 5 (`port`), BEP 6 (fast extension) and BEP 10 (the `extended` envelope, whose
//! payload it leaves opaque), and the limits a peer must respect: how large a frame may be, which
//! piece indices exist, how long a bitfield is, how much a request may ask for. Every check is
//! made before any byte is acted on, and the length prefix is checked before the body is waited
//! for, so a peer cannot make us allocate more than [`WireLimits::max_frame_len`].
//!
//! It must not depend on sockets, tasks or torrent state: the connection task owns the socket and
//! the read buffer, the torrent owns piece sizes and which blocks were requested. The codec only
//! learns the piece count through [`WireLimits`]; checks that need more (a block lying inside its
//! piece, a piece message answering one of our requests) are the caller's.

use bytes::{Buf, BufMut, Bytes, BytesMut};

use crate::engine::{InfoHash, PeerId};

/// The protocol string of the handshake (BEP 3).
pub const PROTOCOL: &[u8; 19] = b"BitTorrent protocol";
/// Length of a full handshake: pstrlen, pstr, reserved, info-hash, peer id.
pub const HANDSHAKE_LEN: usize = 68;
/// Length of the handshake up to and including the info-hash (what [`Handshake::decode_prefix`]
/// reads).
pub const HANDSHAKE_PREFIX_LEN: usize = 48;
/// The block size everyone requests and serves (BEP 3 leaves it open; 16 KiB is universal).
pub const BLOCK_SIZE: u32 = 16 * 1024;
/// Largest request a peer may make of us (libtorrent and everyone else use 16 KiB blocks; we
/// accept requests up to this and reject larger).
pub const MAX_REQUEST_LEN: u32 = 16 * 1024;
/// Default cap on an `extended` payload (BEP 10): 1 MiB plus room for a dictionary header.
/// `ut_metadata` pieces (BEP 9) are 16 KiB plus a small dictionary; the slack leaves room for
/// extensions that send up to 1 MiB.
pub const DEFAULT_MAX_EXTENDED_LEN: u32 = 1024 * 1024 + 1024;

/// Bytes of the length prefix in front of every message after the handshake.
const PREFIX_LEN: usize = 4;

// Message ids. BEP 3:
const ID_CHOKE: u8 = 0;
const ID_UNCHOKE: u8 = 1;
const ID_INTERESTED: u8 = 2;
const ID_NOT_INTERESTED: u8 = 3;
const ID_HAVE: u8 = 4;
const ID_BITFIELD: u8 = 5;
const ID_REQUEST: u8 = 6;
const ID_PIECE: u8 = 7;
const ID_CANCEL: u8 = 8;
// BEP 5 (DHT): the peer's DHT port.
const ID_PORT: u8 = 9;
// BEP 6 (fast extension): 0x0D–0x11.
const ID_SUGGEST: u8 = 0x0D;
const ID_HAVE_ALL: u8 = 0x0E;
const ID_HAVE_NONE: u8 = 0x0F;
const ID_REJECT: u8 = 0x10;
const ID_ALLOWED_FAST: u8 = 0x11;
// BEP 10 (extension protocol): one id for every extension message.
const ID_EXTENDED: u8 = 20;

// Reserved bits of the handshake, as (byte, mask).
/// BEP 10: extension protocol.
const RESERVED_EXTENSIONS: (usize, u8) = (5, 0x10);
/// BEP 6: fast extension.
const RESERVED_FAST: (usize, u8) = (7, 0x04);
/// BEP 5: DHT.
const RESERVED_DHT: (usize, u8) = (7, 0x01);

/// A protocol violation: the connection that produced it must be dropped.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WireError {
    /// The length prefix announces more than [`WireLimits::max_frame_len`] allows.
    #[error("message of {len} bytes is larger than the {max} allowed")]
    FrameTooLarge { len: u32, max: usize },
    /// A message id outside BEP 3, 5, 6 and 10.
    #[error("unknown message id {id}")]
    UnknownId { id: u8 },
    /// A fixed-size message with the wrong size.
    #[error("`{message}` message with {len} payload bytes, expected {expected}")]
    WrongLength {
        message: &'static str,
        len: u32,
        expected: u32,
    },
    /// A variable-size message too short for its fixed header.
    #[error("`{message}` message with {len} payload bytes, expected at least {min}")]
    TooShort {
        message: &'static str,
        len: u32,
        min: u32,
    },
    /// A bitfield whose length does not match the piece count.
    #[error("bitfield of {got} bytes, expected {want} for {pieces} pieces")]
    BitfieldLength { got: u32, want: u32, pieces: u32 },
    /// A bitfield with bits set past the last piece.
    #[error("bitfield has spare bits set")]
    BitfieldSpareBits,
    /// A piece index the torrent does not have.
    #[error("{message} for piece {index}, but the torrent has {count} pieces")]
    IndexOutOfRange {
        message: &'static str,
        index: u32,
        count: u32,
    },
    /// A request, cancel or reject for more than [`MAX_REQUEST_LEN`] bytes.
    #[error("{message} for {length} bytes, more than 16 KiB")]
    RequestTooLong { message: &'static str, length: u32 },
    /// A request, cancel or reject for zero bytes.
    #[error("{message} for 0 bytes, a block has at least one")]
    EmptyRequest { message: &'static str },
    /// A block whose end (offset + length) does not fit in 32 bits.
    #[error("{message} of {length} bytes at offset {offset} ends past 4 GiB")]
    BlockOverflow {
        message: &'static str,
        offset: u32,
        length: u32,
    },
    /// A piece message carrying more than one block.
    #[error("piece message carries {len} bytes, more than one 16 KiB block")]
    PieceTooLong { len: u32 },
    /// An extended message larger than [`WireLimits::max_extended_len`].
    #[error("extended message of {len} bytes is larger than the {max} allowed")]
    ExtendedTooLong { len: u32, max: u32 },
    /// The handshake's first byte is not 19.
    #[error("bad handshake: protocol string length is {len}, expected 19")]
    BadProtocolLength { len: u8 },
    /// The handshake's protocol string is something else.
    #[error("bad handshake: protocol string is not `BitTorrent protocol`")]
    BadProtocol,
}

/// The first message on a connection, in both directions (BEP 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Handshake {
    /// Capability bits; see [`Handshake::supports_extensions`] and friends.
    pub reserved: [u8; 8],
    pub info_hash: InfoHash,
    pub peer_id: PeerId,
}

impl Handshake {
    /// Our handshake: advertises the extension protocol (BEP 10), the fast extension (BEP 6) and
    /// DHT (BEP 5).
    pub fn new(info_hash: InfoHash, peer_id: PeerId) -> Self {
        let mut reserved = [0u8; 8];
        for (byte, mask) in [RESERVED_EXTENSIONS, RESERVED_FAST, RESERVED_DHT] {
            if let Some(b) = reserved.get_mut(byte) {
                *b |= mask;
            }
        }
        Handshake {
            reserved,
            info_hash,
            peer_id,
        }
    }

    fn has(&self, (byte, mask): (usize, u8)) -> bool {
        self.reserved.get(byte).is_some_and(|b| b & mask != 0)
    }

    /// BEP 10: the peer understands `extended` messages (reserved byte 5, bit 0x10).
    pub fn supports_extensions(&self) -> bool {
        self.has(RESERVED_EXTENSIONS)
    }

    /// BEP 6: the peer understands the fast extension (reserved byte 7, bit 0x04).
    pub fn supports_fast(&self) -> bool {
        self.has(RESERVED_FAST)
    }

    /// BEP 5: the peer runs a DHT node (reserved byte 7, bit 0x01).
    pub fn supports_dht(&self) -> bool {
        self.has(RESERVED_DHT)
    }

    /// The 68 bytes to send.
    pub fn encode(&self) -> [u8; HANDSHAKE_LEN] {
        let mut out = [0u8; HANDSHAKE_LEN];
        out[0] = 19;
        out[1..20].copy_from_slice(PROTOCOL);
        out[20..28].copy_from_slice(&self.reserved);
        out[28..48].copy_from_slice(&self.info_hash.0);
        out[48..68].copy_from_slice(&self.peer_id.0);
        out
    }

    /// Reads a full handshake; checks the protocol string, nothing else (the caller compares
    /// the info-hash with the torrent's and the peer id with its own).
    pub fn decode(bytes: &[u8; HANDSHAKE_LEN]) -> Result<Handshake, WireError> {
        let (prefix, id) = bytes.split_at(HANDSHAKE_PREFIX_LEN);
        let prefix: &[u8; HANDSHAKE_PREFIX_LEN] =
            prefix.try_into().map_err(|_| WireError::BadProtocol)?;
        let (reserved, info_hash) = Handshake::decode_prefix(prefix)?;
        let peer_id: [u8; 20] = id.try_into().map_err(|_| WireError::BadProtocol)?;
        Ok(Handshake {
            reserved,
            info_hash,
            peer_id: PeerId(peer_id),
        })
    }

    /// Incoming connections: the first 48 bytes (pstr + reserved + info-hash) arrive before the
    /// peer id; the session routes on the info-hash, so this reads just those.
    pub fn decode_prefix(
        bytes: &[u8; HANDSHAKE_PREFIX_LEN],
    ) -> Result<([u8; 8], InfoHash), WireError> {
        let [pstrlen, rest @ ..] = bytes;
        if usize::from(*pstrlen) != PROTOCOL.len() {
            return Err(WireError::BadProtocolLength { len: *pstrlen });
        }
        let (pstr, rest) = rest.split_at(PROTOCOL.len());
        if pstr != PROTOCOL {
            return Err(WireError::BadProtocol);
        }
        let (reserved, info_hash) = rest.split_at(8);
        let reserved: [u8; 8] = reserved.try_into().map_err(|_| WireError::BadProtocol)?;
        let info_hash: [u8; 20] = info_hash.try_into().map_err(|_| WireError::BadProtocol)?;
        Ok((reserved, InfoHash(info_hash)))
    }
}

/// One block of one piece: the subject of `request`, `cancel` and `reject`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct BlockRequest {
    pub piece: u32,
    pub offset: u32,
    pub length: u32,
}

/// A message after the handshake.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// A zero-length frame (BEP 3).
    KeepAlive,
    Choke,
    Unchoke,
    Interested,
    NotInterested,
    /// The peer now has this piece.
    Have(u32),
    /// Wire-format bitfield (see [`crate::engine::Bitfield`]), already checked for length and
    /// spare bits.
    Bitfield(Bytes),
    Request(BlockRequest),
    /// A block of data; `offset + data.len()` fits in 32 bits, and the rest of the range check
    /// is the caller's.
    Piece {
        piece: u32,
        offset: u32,
        data: Bytes,
    },
    Cancel(BlockRequest),
    /// BEP 5: the peer's DHT port.
    Port(u16),
    /// BEP 6: the peer suggests we download this piece (not range-checked: a hint).
    Suggest(u32),
    /// BEP 6: in place of a bitfield, the peer has every piece.
    HaveAll,
    /// BEP 6: in place of a bitfield, the peer has no piece.
    HaveNone,
    /// BEP 6: the peer will not serve this request.
    Reject(BlockRequest),
    /// BEP 6: we may request this piece even while choked (not range-checked: the receiver
    /// ignores an index out of range).
    AllowedFast(u32),
    /// BEP 10: an extension message; `id` 0 is the extension handshake, the rest are the ids
    /// the receiver assigned in its handshake. The payload is opaque here.
    Extended {
        id: u8,
        payload: Bytes,
    },
}

impl Message {
    /// Bytes after the length prefix (id + payload).
    fn body_len(&self) -> usize {
        match self {
            Message::KeepAlive => 0,
            Message::Choke
            | Message::Unchoke
            | Message::Interested
            | Message::NotInterested
            | Message::HaveAll
            | Message::HaveNone => 1,
            Message::Have(_) | Message::Suggest(_) | Message::AllowedFast(_) => 5,
            Message::Bitfield(bits) => bits.len().saturating_add(1),
            Message::Request(_) | Message::Cancel(_) | Message::Reject(_) => 13,
            Message::Piece { data, .. } => data.len().saturating_add(9),
            Message::Port(_) => 3,
            Message::Extended { payload, .. } => payload.len().saturating_add(2),
        }
    }

    /// Appends the message to `out`: the 4-byte big-endian length prefix, the id, the payload.
    ///
    /// Payloads are never near 4 GiB in practice (we send blocks of 16 KiB, bitfields of at most
    /// 512 MiB and small extension messages); a larger one would get a saturated length prefix.
    pub fn encode(&self, out: &mut BytesMut) {
        let body = self.body_len();
        out.reserve(body.saturating_add(PREFIX_LEN));
        out.put_u32(u32::try_from(body).unwrap_or(u32::MAX));
        let put_block = |out: &mut BytesMut, id: u8, r: &BlockRequest| {
            out.put_u8(id);
            out.put_u32(r.piece);
            out.put_u32(r.offset);
            out.put_u32(r.length);
        };
        match self {
            Message::KeepAlive => {}
            Message::Choke => out.put_u8(ID_CHOKE),
            Message::Unchoke => out.put_u8(ID_UNCHOKE),
            Message::Interested => out.put_u8(ID_INTERESTED),
            Message::NotInterested => out.put_u8(ID_NOT_INTERESTED),
            Message::Have(index) => {
                out.put_u8(ID_HAVE);
                out.put_u32(*index);
            }
            Message::Bitfield(bits) => {
                out.put_u8(ID_BITFIELD);
                out.put_slice(bits);
            }
            Message::Request(r) => put_block(out, ID_REQUEST, r),
            Message::Piece {
                piece,
                offset,
                data,
            } => {
                out.put_u8(ID_PIECE);
                out.put_u32(*piece);
                out.put_u32(*offset);
                out.put_slice(data);
            }
            Message::Cancel(r) => put_block(out, ID_CANCEL, r),
            Message::Port(port) => {
                out.put_u8(ID_PORT);
                out.put_u16(*port);
            }
            Message::Suggest(index) => {
                out.put_u8(ID_SUGGEST);
                out.put_u32(*index);
            }
            Message::HaveAll => out.put_u8(ID_HAVE_ALL),
            Message::HaveNone => out.put_u8(ID_HAVE_NONE),
            Message::Reject(r) => put_block(out, ID_REJECT, r),
            Message::AllowedFast(index) => {
                out.put_u8(ID_ALLOWED_FAST);
                out.put_u32(*index);
            }
            Message::Extended { id, payload } => {
                out.put_u8(ID_EXTENDED);
                out.put_u8(*id);
                out.put_slice(payload);
            }
        }
    }

    /// [`Message::encode`], except that a `piece` message's block is left out: everything
    /// before it is appended, and the block is returned, to be sent right after (by a vectored
    /// write, without copying it).
    pub fn encode_head<'a>(&'a self, out: &mut BytesMut) -> Option<&'a Bytes> {
        match self {
            Message::Piece {
                piece,
                offset,
                data,
            } => {
                out.reserve(PREFIX_LEN + 9);
                out.put_u32(u32::try_from(self.body_len()).unwrap_or(u32::MAX));
                out.put_u8(ID_PIECE);
                out.put_u32(*piece);
                out.put_u32(*offset);
                Some(data)
            }
            _ => {
                self.encode(out);
                None
            }
        }
    }

    /// Bytes [`Message::encode`] appends, length prefix included.
    pub fn encoded_len(&self) -> usize {
        self.body_len().saturating_add(PREFIX_LEN)
    }
}

/// What a connection will accept from its peer; built per torrent.
#[derive(Debug, Clone, Copy)]
pub struct WireLimits {
    /// Pieces in the torrent: valid indices are `0..piece_count`, and a bitfield has
    /// `ceil(piece_count / 8)` bytes.
    pub piece_count: u32,
    /// Largest `extended` payload (after the extension id) we accept.
    pub max_extended_len: u32,
}

impl WireLimits {
    /// Limits for a torrent of `piece_count` pieces, with [`DEFAULT_MAX_EXTENDED_LEN`].
    pub fn new(piece_count: u32) -> Self {
        WireLimits {
            piece_count,
            max_extended_len: DEFAULT_MAX_EXTENDED_LEN,
        }
    }

    /// Bytes of a bitfield for this torrent.
    fn bitfield_len(&self) -> u32 {
        self.piece_count.div_ceil(8)
    }

    /// Largest frame we accept: max(bitfield bytes + 1, 16 KiB block + 9, extended + 2), plus
    /// the 4-byte prefix.
    pub fn max_frame_len(&self) -> usize {
        let bitfield = u64::from(self.bitfield_len()) + 1;
        let piece = u64::from(BLOCK_SIZE) + 9;
        let extended = u64::from(self.max_extended_len) + 2;
        let body = bitfield.max(piece).max(extended);
        usize::try_from(body.saturating_add(PREFIX_LEN as u64)).unwrap_or(usize::MAX)
    }
}

/// Name of a message id for error messages.
fn name(id: u8) -> &'static str {
    match id {
        ID_CHOKE => "choke",
        ID_UNCHOKE => "unchoke",
        ID_INTERESTED => "interested",
        ID_NOT_INTERESTED => "not interested",
        ID_HAVE => "have",
        ID_BITFIELD => "bitfield",
        ID_REQUEST => "request",
        ID_PIECE => "piece",
        ID_CANCEL => "cancel",
        ID_PORT => "port",
        ID_SUGGEST => "suggest piece",
        ID_HAVE_ALL => "have all",
        ID_HAVE_NONE => "have none",
        ID_REJECT => "reject request",
        ID_ALLOWED_FAST => "allowed fast",
        ID_EXTENDED => "extended",
        _ => "unknown",
    }
}

/// Checks what can be checked from the id and the announced payload length alone, so that a
/// malformed frame is refused before its body is waited for.
fn check_shape(id: u8, payload_len: u32, limits: &WireLimits) -> Result<(), WireError> {
    let exact = |expected: u32| {
        if payload_len == expected {
            Ok(())
        } else {
            Err(WireError::WrongLength {
                message: name(id),
                len: payload_len,
                expected,
            })
        }
    };
    match id {
        ID_CHOKE | ID_UNCHOKE | ID_INTERESTED | ID_NOT_INTERESTED | ID_HAVE_ALL | ID_HAVE_NONE => {
            exact(0)
        }
        ID_HAVE | ID_SUGGEST | ID_ALLOWED_FAST => exact(4),
        ID_REQUEST | ID_CANCEL | ID_REJECT => exact(12),
        ID_PORT => exact(2),
        ID_BITFIELD => {
            let want = limits.bitfield_len();
            if payload_len == want {
                Ok(())
            } else {
                Err(WireError::BitfieldLength {
                    got: payload_len,
                    want,
                    pieces: limits.piece_count,
                })
            }
        }
        ID_PIECE => match payload_len.checked_sub(8) {
            None => Err(WireError::TooShort {
                message: name(id),
                len: payload_len,
                min: 8,
            }),
            Some(len) if len > BLOCK_SIZE => Err(WireError::PieceTooLong { len }),
            Some(_) => Ok(()),
        },
        ID_EXTENDED => match payload_len.checked_sub(1) {
            None => Err(WireError::TooShort {
                message: name(id),
                len: payload_len,
                min: 1,
            }),
            Some(len) if len > limits.max_extended_len => Err(WireError::ExtendedTooLong {
                len,
                max: limits.max_extended_len,
            }),
            Some(_) => Ok(()),
        },
        _ => Err(WireError::UnknownId { id }),
    }
}

/// Reads a big-endian u32 at `at`; `None` past the end.
fn be_u32(bytes: &[u8], at: usize) -> Option<u32> {
    let end = at.checked_add(4)?;
    let chunk: [u8; 4] = bytes.get(at..end)?.try_into().ok()?;
    Some(u32::from_be_bytes(chunk))
}

/// A payload of exactly `N` bytes, or the error for a wrong length.
fn fixed<const N: usize>(id: u8, payload: &[u8]) -> Result<[u8; N], WireError> {
    payload.try_into().map_err(|_| WireError::WrongLength {
        message: name(id),
        len: u32::try_from(payload.len()).unwrap_or(u32::MAX),
        expected: u32::try_from(N).unwrap_or(u32::MAX),
    })
}

fn check_index(id: u8, index: u32, limits: &WireLimits) -> Result<u32, WireError> {
    if index < limits.piece_count {
        Ok(index)
    } else {
        Err(WireError::IndexOutOfRange {
            message: name(id),
            index,
            count: limits.piece_count,
        })
    }
}

fn check_end(id: u8, offset: u32, length: u32) -> Result<(), WireError> {
    match offset.checked_add(length) {
        Some(_) => Ok(()),
        None => Err(WireError::BlockOverflow {
            message: name(id),
            offset,
            length,
        }),
    }
}

fn block_request(id: u8, payload: &[u8], limits: &WireLimits) -> Result<BlockRequest, WireError> {
    let p: [u8; 12] = fixed(id, payload)?;
    let [a, b, c, d, e, f, g, h, i, j, k, l] = p;
    let piece = check_index(id, u32::from_be_bytes([a, b, c, d]), limits)?;
    let offset = u32::from_be_bytes([e, f, g, h]);
    let length = u32::from_be_bytes([i, j, k, l]);
    if length == 0 {
        return Err(WireError::EmptyRequest { message: name(id) });
    }
    if length > MAX_REQUEST_LEN {
        return Err(WireError::RequestTooLong {
            message: name(id),
            length,
        });
    }
    check_end(id, offset, length)?;
    Ok(BlockRequest {
        piece,
        offset,
        length,
    })
}

/// Decodes one message from the front of `buf` if a whole frame is there (consuming it;
/// Bitfield/Piece/Extended payloads are split off as [`Bytes`] without copying); `Ok(None)` if
/// more bytes are needed. Errors are protocol violations the connection must be dropped for;
/// after an error `buf` is left as it was.
///
/// The length prefix is checked against [`WireLimits::max_frame_len`] as soon as its 4 bytes are
/// in, and the id and payload length as soon as the id is, so an oversized or malformed frame is
/// refused before its body is waited for.
pub fn decode(buf: &mut BytesMut, limits: &WireLimits) -> Result<Option<Message>, WireError> {
    let [a, b, c, d, ..] = buf[..] else {
        return Ok(None);
    };
    let len = u32::from_be_bytes([a, b, c, d]);
    if len == 0 {
        buf.advance(PREFIX_LEN);
        return Ok(Some(Message::KeepAlive));
    }
    let max = limits.max_frame_len().saturating_sub(PREFIX_LEN);
    let body_len = match usize::try_from(len) {
        Ok(body_len) if body_len <= max => body_len,
        _ => return Err(WireError::FrameTooLarge { len, max }),
    };
    let Some(&id) = buf.get(PREFIX_LEN) else {
        return Ok(None);
    };
    let payload_len = len.saturating_sub(1);
    check_shape(id, payload_len, limits)?;
    let Some(total) = PREFIX_LEN.checked_add(body_len) else {
        return Err(WireError::FrameTooLarge { len, max });
    };
    // Header: prefix and id.
    let header = PREFIX_LEN + 1;
    let Some(payload) = buf.get(header..total) else {
        return Ok(None);
    };

    let message = match id {
        ID_CHOKE => Message::Choke,
        ID_UNCHOKE => Message::Unchoke,
        ID_INTERESTED => Message::Interested,
        ID_NOT_INTERESTED => Message::NotInterested,
        ID_HAVE_ALL => Message::HaveAll,
        ID_HAVE_NONE => Message::HaveNone,
        ID_HAVE => Message::Have(check_index(
            id,
            u32::from_be_bytes(fixed(id, payload)?),
            limits,
        )?),
        // Hints, not claims: an index out of range is the receiver's to ignore (as libtorrent
        // does), not a reason to drop the peer.
        ID_SUGGEST => Message::Suggest(u32::from_be_bytes(fixed(id, payload)?)),
        ID_ALLOWED_FAST => Message::AllowedFast(u32::from_be_bytes(fixed(id, payload)?)),
        ID_REQUEST => Message::Request(block_request(id, payload, limits)?),
        ID_CANCEL => Message::Cancel(block_request(id, payload, limits)?),
        ID_REJECT => Message::Reject(block_request(id, payload, limits)?),
        ID_PORT => Message::Port(u16::from_be_bytes(fixed(id, payload)?)),
        ID_BITFIELD => {
            // Length was checked by `check_shape`; the spare bits at the end must be zero
            // (BEP 3), as `Bitfield::from_bytes` also requires.
            let spare = (u64::from(limits.bitfield_len()) * 8)
                .saturating_sub(u64::from(limits.piece_count));
            let bitfield_len = payload.len();
            if let Some(&last) = payload.last() {
                let mask = (1u16 << spare).saturating_sub(1);
                if u16::from(last) & mask != 0 {
                    return Err(WireError::BitfieldSpareBits);
                }
            }
            buf.advance(header);
            Message::Bitfield(buf.split_to(bitfield_len).freeze())
        }
        ID_PIECE => {
            let (Some(piece), Some(offset)) = (be_u32(payload, 0), be_u32(payload, 4)) else {
                return Err(WireError::TooShort {
                    message: name(id),
                    len: payload_len,
                    min: 8,
                });
            };
            let piece = check_index(id, piece, limits)?;
            let data_len = payload.len().saturating_sub(8);
            let length = u32::try_from(data_len).unwrap_or(u32::MAX);
            if length > BLOCK_SIZE {
                return Err(WireError::PieceTooLong { len: length });
            }
            check_end(id, offset, length)?;
            buf.advance(header + 8);
            Message::Piece {
                piece,
                offset,
                data: buf.split_to(data_len).freeze(),
            }
        }
        ID_EXTENDED => {
            let Some(&ext_id) = payload.first() else {
                return Err(WireError::TooShort {
                    message: name(id),
                    len: payload_len,
                    min: 1,
                });
            };
            let data_len = payload.len().saturating_sub(1);
            buf.advance(header + 1);
            Message::Extended {
                id: ext_id,
                payload: buf.split_to(data_len).freeze(),
            }
        }
        _ => return Err(WireError::UnknownId { id }),
    };
    // Fixed-size messages are still in `buf`; payload-carrying ones have consumed exactly
    // `total` bytes already.
    if !matches!(
        message,
        Message::Bitfield(_) | Message::Piece { .. } | Message::Extended { .. }
    ) {
        buf.advance(total);
    }
    Ok(Some(message))
}

/// Bytes of a `piece` frame before its block: the length prefix, the id, the piece index and
/// the offset.
pub const PIECE_HEADER_LEN: usize = PREFIX_LEN + 1 + 8;

/// The block announced by the header of a `piece` frame, as `(piece, offset, length)`, when
/// [`decode`] accepts that frame once its block has arrived; `None` for every other frame
/// (another message, or one [`decode`] refuses), which is then [`decode`]'s to judge. A reader
/// that receives blocks straight into their buffers checks headers with this.
pub fn piece_header(
    header: &[u8; PIECE_HEADER_LEN],
    limits: &WireLimits,
) -> Option<(u32, u32, usize)> {
    let [a, b, c, d, id, ref rest @ ..] = *header;
    if id != ID_PIECE {
        return None;
    }
    let len = u32::from_be_bytes([a, b, c, d]);
    let length = len.checked_sub(9)?;
    let max = limits.max_frame_len().saturating_sub(PREFIX_LEN);
    if length > BLOCK_SIZE || usize::try_from(len).ok()? > max {
        return None;
    }
    let piece = be_u32(rest, 0)?;
    let offset = be_u32(rest, 4)?;
    if piece >= limits.piece_count {
        return None;
    }
    offset.checked_add(length)?;
    Some((piece, offset, usize::try_from(length).ok()?))
}

/// Whether `prefix`, the start of a frame (shorter than [`PIECE_HEADER_LEN`]), can be the start
/// of a `piece` frame [`decode`] accepts. A reader that keeps such a prefix while it waits for
/// the rest must hand any other to [`decode`] at once: it may be a whole message (a `choke`, a
/// `have`), or one [`decode`] refuses already.
pub fn may_be_piece_header(prefix: &[u8]) -> bool {
    if let [a, b, c, d, ..] = *prefix
        && !(9..=BLOCK_SIZE + 9).contains(&u32::from_be_bytes([a, b, c, d]))
    {
        return false;
    }
    prefix.get(PREFIX_LEN).is_none_or(|&id| id == ID_PIECE)
}

/// Hint for the reader: how many more bytes the frame at the front of `buf` needs (so the
/// reader can reserve exactly; `Some(0)` when it is complete), `None` when unknown (fewer than
/// 4 bytes buffered). Call [`decode`] first: it refuses oversized frames, whose hint would be
/// huge.
pub fn frame_len(buf: &[u8]) -> Option<usize> {
    let [a, b, c, d, ..] = *buf else {
        return None;
    };
    let body = usize::try_from(u32::from_be_bytes([a, b, c, d])).unwrap_or(usize::MAX);
    Some(body.saturating_add(PREFIX_LEN).saturating_sub(buf.len()))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn limits() -> WireLimits {
        // 37 pieces: a 5-byte bitfield with 3 spare bits.
        WireLimits::new(37)
    }

    fn every_message() -> Vec<Message> {
        let block = BlockRequest {
            piece: 36,
            offset: 16384,
            length: 16384,
        };
        vec![
            Message::KeepAlive,
            Message::Choke,
            Message::Unchoke,
            Message::Interested,
            Message::NotInterested,
            Message::Have(0),
            Message::Have(36),
            Message::Bitfield(Bytes::from_static(&[0xff, 0x00, 0xaa, 0x55, 0xf8])),
            Message::Request(block),
            Message::Request(BlockRequest {
                piece: 1,
                offset: u32::MAX - 1,
                length: 1,
            }),
            Message::Piece {
                piece: 3,
                offset: 32768,
                data: Bytes::from(vec![7u8; BLOCK_SIZE as usize]),
            },
            Message::Piece {
                piece: 3,
                offset: 0,
                data: Bytes::from_static(b"short last block"),
            },
            Message::Cancel(block),
            Message::Port(6881),
            Message::Suggest(5),
            Message::HaveAll,
            Message::HaveNone,
            Message::Reject(block),
            Message::AllowedFast(7),
            Message::Extended {
                id: 0,
                payload: Bytes::from_static(b"d1:md11:ut_metadatai3eee"),
            },
            Message::Extended {
                id: 255,
                payload: Bytes::new(),
            },
        ]
    }

    fn encoded(m: &Message) -> BytesMut {
        let mut out = BytesMut::new();
        m.encode(&mut out);
        out
    }

    /// A frame with the given id and payload, length prefix computed.
    fn frame(id: u8, payload: &[u8]) -> BytesMut {
        let mut out = BytesMut::new();
        out.put_u32(u32::try_from(payload.len() + 1).unwrap());
        out.put_u8(id);
        out.put_slice(payload);
        out
    }

    fn block_payload(piece: u32, offset: u32, length: u32) -> Vec<u8> {
        let mut p = Vec::new();
        p.extend_from_slice(&piece.to_be_bytes());
        p.extend_from_slice(&offset.to_be_bytes());
        p.extend_from_slice(&length.to_be_bytes());
        p
    }

    fn decode_err(mut buf: BytesMut) -> WireError {
        let before = buf.clone();
        let err = decode(&mut buf, &limits()).expect_err("should be refused");
        assert_eq!(buf, before, "an error leaves the buffer untouched");
        err
    }

    #[test]
    fn round_trip_every_message() {
        for m in every_message() {
            let mut buf = encoded(&m);
            assert_eq!(buf.len(), m.encoded_len(), "{m:?}");
            assert_eq!(frame_len(&buf), Some(0));
            let got = decode(&mut buf, &limits()).unwrap().unwrap();
            assert_eq!(got, m);
            assert!(buf.is_empty());
        }
    }

    #[test]
    fn a_head_and_its_block_are_the_whole_message() {
        for m in every_message() {
            let mut head = BytesMut::new();
            let block = m.encode_head(&mut head);
            assert_eq!(block.is_some(), matches!(m, Message::Piece { .. }), "{m:?}");
            if let Some(block) = block {
                head.extend_from_slice(block);
            }
            assert_eq!(head, encoded(&m), "{m:?}");
        }
    }

    #[test]
    fn known_encodings() {
        assert_eq!(&encoded(&Message::KeepAlive)[..], &[0, 0, 0, 0]);
        assert_eq!(&encoded(&Message::Interested)[..], &[0, 0, 0, 1, 2]);
        assert_eq!(
            &encoded(&Message::Have(258))[..],
            &[0, 0, 0, 5, 4, 0, 0, 1, 2]
        );
        assert_eq!(
            &encoded(&Message::Port(0x1ae1))[..],
            &[0, 0, 0, 3, 9, 0x1a, 0xe1]
        );
        assert_eq!(&encoded(&Message::HaveAll)[..], &[0, 0, 0, 1, 0x0e]);
        assert_eq!(
            &encoded(&Message::Reject(BlockRequest {
                piece: 1,
                offset: 2,
                length: 3
            }))[..],
            &[0, 0, 0, 13, 0x10, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3]
        );
        assert_eq!(
            &encoded(&Message::Extended {
                id: 3,
                payload: Bytes::from_static(b"x")
            })[..],
            &[0, 0, 0, 3, 20, 3, b'x']
        );
    }

    #[test]
    fn partial_frames_byte_by_byte() {
        let mut stream = BytesMut::new();
        let messages = every_message();
        let mut ends = Vec::new();
        for m in &messages {
            m.encode(&mut stream);
            ends.push(stream.len());
        }
        let mut buf = BytesMut::new();
        let mut got = Vec::new();
        let mut fed = 0;
        for &byte in stream.iter() {
            buf.put_u8(byte);
            fed += 1;
            match decode(&mut buf, &limits()).unwrap() {
                Some(m) => {
                    assert_eq!(
                        Some(&fed),
                        ends.get(got.len()),
                        "decoded only when complete"
                    );
                    got.push(m);
                    assert!(buf.is_empty());
                }
                None => {
                    if buf.len() < 4 {
                        assert_eq!(frame_len(&buf), None);
                    } else {
                        let end = ends[got.len()];
                        assert_eq!(frame_len(&buf), Some(end - fed));
                    }
                }
            }
        }
        assert_eq!(got, messages);
    }

    #[test]
    fn several_messages_in_one_buffer() {
        let mut buf = BytesMut::new();
        for m in every_message() {
            m.encode(&mut buf);
        }
        // Half a frame at the end.
        buf.put_slice(&[0, 0, 0, 5, 4, 0]);
        let mut got = Vec::new();
        while let Some(m) = decode(&mut buf, &limits()).unwrap() {
            got.push(m);
        }
        assert_eq!(got, every_message());
        assert_eq!(&buf[..], &[0, 0, 0, 5, 4, 0]);
        assert_eq!(frame_len(&buf), Some(3));
    }

    #[test]
    fn keep_alive() {
        let mut buf = BytesMut::from(&[0u8, 0, 0, 0, 0, 0, 0][..]);
        assert_eq!(decode(&mut buf, &limits()), Ok(Some(Message::KeepAlive)));
        assert_eq!(buf.len(), 3);
        assert_eq!(decode(&mut buf, &limits()), Ok(None));
        assert_eq!(Message::KeepAlive.encoded_len(), 4);
    }

    #[test]
    fn empty_and_short_buffers_need_more() {
        for n in 0..4 {
            let mut buf = BytesMut::from(&[0u8, 0, 0, 13][..n]);
            assert_eq!(decode(&mut buf, &limits()), Ok(None));
            assert_eq!(frame_len(&buf), None);
        }
        let mut buf = BytesMut::from(&[0u8, 0, 0, 13][..]);
        assert_eq!(decode(&mut buf, &limits()), Ok(None));
        assert_eq!(frame_len(&buf), Some(13));
    }

    #[test]
    fn handshake_round_trip_and_reserved_bits() {
        let info_hash = InfoHash::of_info_bytes(b"d4:name1:ae");
        let peer_id = PeerId(*b"-BK0100-abcdefghijkl");
        let ours = Handshake::new(info_hash, peer_id);
        assert!(ours.supports_extensions() && ours.supports_fast() && ours.supports_dht());
        assert_eq!(ours.reserved, [0, 0, 0, 0, 0, 0x10, 0, 0x05]);
        let bytes = ours.encode();
        assert_eq!(bytes.len(), HANDSHAKE_LEN);
        assert_eq!(bytes[0], 19);
        assert_eq!(&bytes[1..20], PROTOCOL);
        assert_eq!(&bytes[28..48], &info_hash.0);
        assert_eq!(&bytes[48..], &peer_id.0);
        assert_eq!(Handshake::decode(&bytes), Ok(ours));

        let plain = Handshake {
            reserved: [0; 8],
            info_hash,
            peer_id,
        };
        assert!(!plain.supports_extensions() && !plain.supports_fast() && !plain.supports_dht());
        let only_fast = Handshake {
            reserved: [0, 0, 0, 0, 0, 0, 0, 0x04],
            ..plain
        };
        assert!(only_fast.supports_fast() && !only_fast.supports_dht());
        assert!(!only_fast.supports_extensions());
        // Unknown bits survive a round trip.
        let odd = Handshake {
            reserved: [0xff, 1, 2, 3, 4, 5, 6, 7],
            ..plain
        };
        assert_eq!(Handshake::decode(&odd.encode()), Ok(odd));
    }

    #[test]
    fn handshake_decode_prefix() {
        let info_hash = InfoHash([9; 20]);
        let hs = Handshake::new(info_hash, PeerId([1; 20]));
        let bytes = hs.encode();
        let prefix: [u8; 48] = bytes[..48].try_into().unwrap();
        assert_eq!(
            Handshake::decode_prefix(&prefix),
            Ok((hs.reserved, info_hash))
        );
    }

    #[test]
    fn error_bad_protocol_length() {
        let mut bytes = Handshake::new(InfoHash([0; 20]), PeerId([0; 20])).encode();
        bytes[0] = 18;
        let err = Handshake::decode(&bytes).unwrap_err();
        assert_eq!(err, WireError::BadProtocolLength { len: 18 });
        assert_eq!(
            err.to_string(),
            "bad handshake: protocol string length is 18, expected 19"
        );
        let prefix: [u8; 48] = bytes[..48].try_into().unwrap();
        assert_eq!(Handshake::decode_prefix(&prefix), Err(err));
    }

    #[test]
    fn error_bad_protocol() {
        let mut bytes = Handshake::new(InfoHash([0; 20]), PeerId([0; 20])).encode();
        bytes[1] = b'b';
        let err = Handshake::decode(&bytes).unwrap_err();
        assert_eq!(err, WireError::BadProtocol);
        assert_eq!(
            err.to_string(),
            "bad handshake: protocol string is not `BitTorrent protocol`"
        );
        let prefix: [u8; 48] = bytes[..48].try_into().unwrap();
        assert_eq!(Handshake::decode_prefix(&prefix), Err(err));
    }

    #[test]
    fn max_frame_len_values() {
        // Small torrent: the extended cap dominates.
        assert_eq!(
            limits().max_frame_len(),
            DEFAULT_MAX_EXTENDED_LEN as usize + 2 + 4
        );
        // Without extension room, the piece message dominates.
        let tight = WireLimits {
            piece_count: 10,
            max_extended_len: 0,
        };
        assert_eq!(tight.max_frame_len(), 16384 + 9 + 4);
        // A huge torrent: the bitfield dominates.
        let huge = WireLimits::new(80_000_000);
        assert_eq!(huge.max_frame_len(), 10_000_000 + 1 + 4);
        // No overflow at the extremes.
        let extreme = WireLimits {
            piece_count: u32::MAX,
            max_extended_len: u32::MAX,
        };
        assert_eq!(extreme.max_frame_len(), u32::MAX as usize + 2 + 4);
    }

    #[test]
    fn error_frame_too_large_with_only_the_prefix_buffered() {
        let mut buf = BytesMut::with_capacity(8);
        buf.put_u32(u32::MAX);
        let err = decode(&mut buf, &limits()).unwrap_err();
        let max = limits().max_frame_len() - 4;
        assert_eq!(err, WireError::FrameTooLarge { len: u32::MAX, max });
        assert_eq!(
            err.to_string(),
            format!("message of 4294967295 bytes is larger than the {max} allowed")
        );
        // Nothing of the claimed size was allocated.
        assert!(buf.capacity() < 64, "capacity {}", buf.capacity());
        // One byte over the limit is refused too; exactly the limit is waited for.
        let mut buf = BytesMut::new();
        buf.put_u32(u32::try_from(max + 1).unwrap());
        assert!(matches!(
            decode(&mut buf, &limits()),
            Err(WireError::FrameTooLarge { .. })
        ));
        let mut buf = BytesMut::new();
        buf.put_u32(u32::try_from(max).unwrap());
        assert_eq!(decode(&mut buf, &limits()), Ok(None));
    }

    #[test]
    fn malformed_frames_are_refused_before_the_body_arrives() {
        // A `have` announcing 1000 bytes: refused once the id is in, not after 1000 bytes.
        let mut buf = BytesMut::with_capacity(8);
        buf.put_u32(1001);
        buf.put_u8(ID_HAVE);
        assert!(matches!(
            decode(&mut buf, &limits()),
            Err(WireError::WrongLength { .. })
        ));
        assert!(buf.capacity() < 64);
        // An extended message over its own cap, though within the frame limit of a torrent
        // with a huge bitfield.
        let big = WireLimits {
            piece_count: 100_000_000,
            max_extended_len: 1000,
        };
        let mut buf = BytesMut::new();
        buf.put_u32(1002 + 1);
        buf.put_u8(ID_EXTENDED);
        assert_eq!(
            decode(&mut buf, &big),
            Err(WireError::ExtendedTooLong {
                len: 1001,
                max: 1000
            })
        );
    }

    #[test]
    fn error_unknown_id() {
        for id in [10u8, 11, 12, 0x12, 19, 21, 255] {
            let err = decode_err(frame(id, &[]));
            assert_eq!(err, WireError::UnknownId { id });
        }
        assert_eq!(
            WireError::UnknownId { id: 42 }.to_string(),
            "unknown message id 42"
        );
    }

    #[test]
    fn error_wrong_length() {
        let err = decode_err(frame(ID_HAVE, &[0, 0, 0]));
        assert_eq!(
            err,
            WireError::WrongLength {
                message: "have",
                len: 3,
                expected: 4
            }
        );
        assert_eq!(
            err.to_string(),
            "`have` message with 3 payload bytes, expected 4"
        );
        for (id, len) in [
            (ID_CHOKE, 1),
            (ID_UNCHOKE, 1),
            (ID_INTERESTED, 2),
            (ID_NOT_INTERESTED, 1),
            (ID_HAVE_ALL, 1),
            (ID_HAVE_NONE, 4),
            (ID_SUGGEST, 5),
            (ID_ALLOWED_FAST, 0),
            (ID_REQUEST, 11),
            (ID_CANCEL, 13),
            (ID_REJECT, 0),
            (ID_PORT, 4),
        ] {
            assert!(
                matches!(
                    decode_err(frame(id, &vec![0; len])),
                    WireError::WrongLength { .. }
                ),
                "id {id} with {len} bytes"
            );
        }
    }

    #[test]
    fn error_too_short() {
        let err = decode_err(frame(ID_PIECE, &[0; 7]));
        assert_eq!(
            err,
            WireError::TooShort {
                message: "piece",
                len: 7,
                min: 8
            }
        );
        assert_eq!(
            err.to_string(),
            "`piece` message with 7 payload bytes, expected at least 8"
        );
        assert_eq!(
            decode_err(frame(ID_EXTENDED, &[])),
            WireError::TooShort {
                message: "extended",
                len: 0,
                min: 1
            }
        );
    }

    #[test]
    fn error_bitfield_length() {
        let err = decode_err(frame(ID_BITFIELD, &[0; 4]));
        assert_eq!(
            err,
            WireError::BitfieldLength {
                got: 4,
                want: 5,
                pieces: 37
            }
        );
        assert_eq!(
            err.to_string(),
            "bitfield of 4 bytes, expected 5 for 37 pieces"
        );
        assert!(matches!(
            decode_err(frame(ID_BITFIELD, &[0; 6])),
            WireError::BitfieldLength { .. }
        ));
    }

    #[test]
    fn error_bitfield_spare_bits() {
        // 37 pieces: the low 3 bits of the last byte are spare.
        for last in [0x01u8, 0x02, 0x04, 0xff] {
            let err = decode_err(frame(ID_BITFIELD, &[0xff, 0xff, 0xff, 0xff, last]));
            assert_eq!(err, WireError::BitfieldSpareBits);
        }
        assert_eq!(
            WireError::BitfieldSpareBits.to_string(),
            "bitfield has spare bits set"
        );
        // A multiple of 8 has no spare bits; any last byte is fine.
        let mut buf = frame(ID_BITFIELD, &[0xff; 2]);
        let got = decode(&mut buf, &WireLimits::new(16)).unwrap();
        assert_eq!(
            got,
            Some(Message::Bitfield(Bytes::from_static(&[0xff, 0xff])))
        );
        // Zero pieces: an empty bitfield is the only valid one.
        let mut buf = frame(ID_BITFIELD, &[]);
        let got = decode(&mut buf, &WireLimits::new(0)).unwrap();
        assert_eq!(got, Some(Message::Bitfield(Bytes::new())));
        // Same verdict as the shared Bitfield type.
        for last in 0..=255u8 {
            let bytes = [0u8, 0, 0, 0, last];
            let mut buf = frame(ID_BITFIELD, &bytes);
            assert_eq!(
                decode(&mut buf, &limits()).is_ok(),
                crate::engine::Bitfield::from_bytes(&bytes, 37).is_some()
            );
        }
    }

    #[test]
    fn error_index_out_of_range() {
        let err = decode_err(frame(ID_HAVE, &37u32.to_be_bytes()));
        assert_eq!(
            err,
            WireError::IndexOutOfRange {
                message: "have",
                index: 37,
                count: 37
            }
        );
        assert_eq!(
            err.to_string(),
            "have for piece 37, but the torrent has 37 pieces"
        );
        // Suggest and allowed fast are hints: out of range, they reach the torrent, which
        // ignores them.
        let mut buf = frame(ID_SUGGEST, &u32::MAX.to_be_bytes());
        assert_eq!(
            decode(&mut buf, &limits()).unwrap(),
            Some(Message::Suggest(u32::MAX))
        );
        let mut buf = frame(ID_ALLOWED_FAST, &37u32.to_be_bytes());
        assert_eq!(
            decode(&mut buf, &limits()).unwrap(),
            Some(Message::AllowedFast(37))
        );
        for id in [ID_REQUEST, ID_CANCEL, ID_REJECT] {
            assert!(matches!(
                decode_err(frame(id, &block_payload(37, 0, 16384))),
                WireError::IndexOutOfRange { .. }
            ));
        }
        let mut piece = block_payload(100, 0, 0)[..8].to_vec();
        piece.extend_from_slice(b"data");
        let err = decode_err(frame(ID_PIECE, &piece));
        assert_eq!(
            err.to_string(),
            "piece for piece 100, but the torrent has 37 pieces"
        );
        // With no pieces known, every index is out of range.
        let mut buf = frame(ID_HAVE, &0u32.to_be_bytes());
        assert!(decode(&mut buf, &WireLimits::new(0)).is_err());
    }

    #[test]
    fn error_request_too_long() {
        let err = decode_err(frame(ID_REQUEST, &block_payload(0, 0, MAX_REQUEST_LEN + 1)));
        assert_eq!(
            err,
            WireError::RequestTooLong {
                message: "request",
                length: 16385
            }
        );
        assert_eq!(err.to_string(), "request for 16385 bytes, more than 16 KiB");
        for id in [ID_CANCEL, ID_REJECT] {
            assert!(matches!(
                decode_err(frame(id, &block_payload(0, 0, u32::MAX))),
                WireError::RequestTooLong { .. }
            ));
        }
    }

    #[test]
    fn error_empty_request() {
        let err = decode_err(frame(ID_REQUEST, &block_payload(0, 0, 0)));
        assert_eq!(err, WireError::EmptyRequest { message: "request" });
        assert_eq!(
            err.to_string(),
            "request for 0 bytes, a block has at least one"
        );
        for id in [ID_CANCEL, ID_REJECT] {
            assert!(matches!(
                decode_err(frame(id, &block_payload(0, 0, 0))),
                WireError::EmptyRequest { .. }
            ));
        }
    }

    #[test]
    fn error_block_overflow() {
        let err = decode_err(frame(ID_REQUEST, &block_payload(0, u32::MAX, 1)));
        assert_eq!(
            err,
            WireError::BlockOverflow {
                message: "request",
                offset: u32::MAX,
                length: 1
            }
        );
        assert_eq!(
            err.to_string(),
            "request of 1 bytes at offset 4294967295 ends past 4 GiB"
        );
        let mut piece = block_payload(0, u32::MAX - 2, 0)[..8].to_vec();
        piece.extend_from_slice(b"abcd");
        assert!(matches!(
            decode_err(frame(ID_PIECE, &piece)),
            WireError::BlockOverflow { .. }
        ));
        // Ending exactly at 4 GiB - 1 + 1 = 2^32 overflows; ending just below does not.
        let mut piece = block_payload(0, u32::MAX - 4, 0)[..8].to_vec();
        piece.extend_from_slice(b"abcd");
        assert!(decode(&mut frame(ID_PIECE, &piece), &limits()).is_ok());
    }

    #[test]
    fn error_piece_too_long() {
        let mut payload = block_payload(0, 0, 0)[..8].to_vec();
        payload.resize(8 + BLOCK_SIZE as usize + 1, 0);
        // Refused from the header alone, before the body arrives.
        let full = frame(ID_PIECE, &payload);
        let err = decode_err(BytesMut::from(&full[..5]));
        assert_eq!(err, WireError::PieceTooLong { len: 16385 });
        assert_eq!(
            err.to_string(),
            "piece message carries 16385 bytes, more than one 16 KiB block"
        );
        assert_eq!(decode_err(full), err);
    }

    #[test]
    fn error_extended_too_long() {
        let small = WireLimits {
            piece_count: 37,
            max_extended_len: 10,
        };
        let mut buf = frame(ID_EXTENDED, &[1; 12]);
        let err = decode(&mut buf, &small).unwrap_err();
        assert_eq!(err, WireError::ExtendedTooLong { len: 11, max: 10 });
        assert_eq!(
            err.to_string(),
            "extended message of 11 bytes is larger than the 10 allowed"
        );
        let mut buf = frame(ID_EXTENDED, &[1; 11]);
        assert!(decode(&mut buf, &small).is_ok());
    }

    #[test]
    fn payloads_share_memory_with_the_input() {
        let m = Message::Piece {
            piece: 2,
            offset: 0,
            data: Bytes::from(vec![0xabu8; BLOCK_SIZE as usize]),
        };
        let mut buf = BytesMut::with_capacity(64 * 1024);
        m.encode(&mut buf);
        Message::Extended {
            id: 1,
            payload: Bytes::from_static(b"d8:msg_typei0e5:piecei0ee"),
        }
        .encode(&mut buf);
        let start = buf.as_ptr() as usize;
        let end = start + buf.capacity();
        let within = |b: &Bytes| {
            let p = b.as_ptr() as usize;
            p >= start && p + b.len() <= end
        };
        let Some(Message::Piece { data, .. }) = decode(&mut buf, &limits()).unwrap() else {
            panic!("expected a piece");
        };
        assert_eq!(data.len(), BLOCK_SIZE as usize);
        assert!(within(&data), "piece data was copied");
        let Some(Message::Extended { payload, .. }) = decode(&mut buf, &limits()).unwrap() else {
            panic!("expected an extended message");
        };
        assert!(within(&payload), "extended payload was copied");
    }

    /// xorshift64: deterministic, no crates.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            let mut x = self.0;
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            self.0 = x;
            x
        }

        fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }
    }

    #[test]
    fn fuzz_never_panics_and_round_trips() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        let ids = [
            0u8, 1, 2, 3, 4, 5, 6, 7, 8, 9, 13, 14, 15, 16, 17, 20, 21, 255,
        ];
        let mut decoded = 0;
        for round in 0..20_000 {
            let limits = WireLimits {
                piece_count: u32::try_from(rng.below(70)).unwrap(),
                max_extended_len: u32::try_from(rng.below(64)).unwrap(),
            };
            let mut bytes = Vec::new();
            if round % 4 == 0 {
                // Pure noise.
                for _ in 0..rng.below(64) {
                    bytes.push(rng.next() as u8);
                }
            } else {
                // Plausible frames with random ids, lengths and payloads, some truncated.
                for _ in 0..rng.below(4) + 1 {
                    let payload_len = rng.below(24) as usize;
                    let id = ids[rng.below(ids.len() as u64) as usize];
                    let announced = match rng.below(8) {
                        0 => rng.next() as u32,
                        1 => 0,
                        _ => u32::try_from(payload_len + 1).unwrap(),
                    };
                    bytes.extend_from_slice(&announced.to_be_bytes());
                    bytes.push(id);
                    for _ in 0..payload_len {
                        // Mostly small numbers so indices and lengths are sometimes valid.
                        let b = if rng.below(3) == 0 {
                            rng.next() as u8
                        } else {
                            0
                        };
                        bytes.push(b);
                    }
                }
                let cut = rng.below(bytes.len() as u64 + 1) as usize;
                bytes.truncate(cut.max(bytes.len() / 2));
            }
            let mut buf = BytesMut::from(&bytes[..]);
            let mut at = 0;
            loop {
                let _ = frame_len(&buf);
                let before = buf.len();
                match decode(&mut buf, &limits) {
                    Ok(Some(m)) => {
                        decoded += 1;
                        let used = before - buf.len();
                        assert!(used >= 4);
                        // Decoding is exact: re-encoding gives back the consumed bytes.
                        assert_eq!(&encoded(&m)[..], &bytes[at..at + used], "{m:?}");
                        assert_eq!(m.encoded_len(), used);
                        at += used;
                    }
                    Ok(None) => {
                        assert_eq!(buf.len(), before);
                        assert_ne!(frame_len(&buf), Some(0));
                        break;
                    }
                    Err(_) => {
                        assert_eq!(buf.len(), before);
                        break;
                    }
                }
            }
        }
        // The generator reaches the interesting paths, not only errors.
        assert!(decoded > 1000, "only {decoded} messages decoded");
    }

    #[test]
    fn a_piece_header_is_accepted_exactly_when_decode_accepts_its_frame() {
        use rand::{Rng, SeedableRng};
        let limits = limits();
        let mut rng = rand::rngs::SmallRng::seed_from_u64(9);
        let mut pieces = 0;
        for case in 0..20_000 {
            // Lengths and fields near every boundary, ids mostly `piece`.
            let len: u32 = match case % 4 {
                0 => rng.random_range(0..=BLOCK_SIZE + 20),
                1 => BLOCK_SIZE + 9,
                2 => rng.random(),
                _ => rng.random_range(0..20),
            };
            let id = if rng.random_bool(0.8) {
                ID_PIECE
            } else {
                rng.random()
            };
            let piece: u32 = if rng.random_bool(0.8) {
                rng.random_range(0..40)
            } else {
                rng.random()
            };
            let offset: u32 = match rng.random_range(0..3) {
                0 => rng.random(),
                1 => u32::MAX - rng.random_range(0..BLOCK_SIZE + 10),
                _ => rng.random_range(0..1 << 20),
            };
            let mut header = [0u8; PIECE_HEADER_LEN];
            header[..4].copy_from_slice(&len.to_be_bytes());
            header[4] = id;
            header[5..9].copy_from_slice(&piece.to_be_bytes());
            header[9..].copy_from_slice(&offset.to_be_bytes());
            // The whole frame, when it is short enough to build.
            let body = (len as usize)
                .saturating_sub(9)
                .min(BLOCK_SIZE as usize + 64);
            let mut frame = BytesMut::from(&header[..]);
            frame.extend_from_slice(&vec![0xAB; body]);
            let decoded = decode(&mut frame, &limits);
            // A prefix that may start a piece is not decoded yet, and a piece's may.
            for k in 0..PIECE_HEADER_LEN {
                let prefix = &header[..k];
                if may_be_piece_header(prefix) {
                    let mut buf = BytesMut::from(prefix);
                    assert_eq!(decode(&mut buf, &limits), Ok(None), "{prefix:?}");
                }
            }
            let all_prefixes = (0..PIECE_HEADER_LEN).all(|k| may_be_piece_header(&header[..k]));
            match piece_header(&header, &limits) {
                Some((p, o, l)) => {
                    pieces += 1;
                    assert!(all_prefixes, "{header:?}");
                    match decoded {
                        Ok(Some(Message::Piece {
                            piece: dp,
                            offset: doff,
                            data,
                        })) => {
                            assert_eq!((p, o, l), (dp, doff, data.len()), "{header:?}");
                        }
                        other => panic!("{header:?}: header accepted, decode gave {other:?}"),
                    }
                }
                None => assert!(
                    !matches!(decoded, Ok(Some(Message::Piece { .. }))),
                    "{header:?}: decode accepted a piece the header check refused"
                ),
            }
        }
        assert!(pieces > 5_000, "only {pieces} headers accepted");
    }
}
