//! Receiving blocks straight into their buffers.
//!
//! A peer that is sending us blocks sends little else: frame after frame of `piece` messages,
//! 13 bytes of header and 16 KiB of block each. While that goes on, the reader does not read
//! into its buffer and copy each block out of it (see `storage::blocks`): one `readv` reads into
//! a row of frames laid out as it expects them, the rest of the frame under way first, then for
//! each next frame 13 bytes for its header and a pooled block buffer, placed where the next
//! block of the stream goes ([`Placement`]). The kernel's copy out of the socket is then the only
//! copy a block gets before the disk.
//!
//! Whatever does not fit the guess is not lost, only copied: from a header that is not a valid
//! `piece` header (a `have`, a keep-alive, anything malformed), or from the end of a block
//! shorter than its buffer, every byte read goes back to the reader's buffer, where the ordinary
//! decoder ([`wire::decode`]) judges it, and reading goes on the ordinary way until blocks flow
//! again. A header is accepted here only when the decoder would accept its frame
//! ([`wire::piece_header`]). A block whose guessed placement turns out wrong (peers that read
//! from disk on several threads interleave the blocks of two pieces) is moved within its buffer
//! once its header is in, while it is still in the CPU's cache ([`Slot::move_to`]); where the
//! buffer is too narrow for that, the direct write copies what is out of step.

use super::wire::{self, Message, PIECE_HEADER_LEN, WireLimits};
use crate::engine::storage::blocks::{Place, Placement, Slot};
use bytes::BytesMut;
use std::io::IoSliceMut;

/// Frames laid out for one read: about 128 KiB, what a fast peer has waiting.
const FRAMES: usize = 8;

/// The block size peers send.
const BLOCK: usize = wire::BLOCK_SIZE as usize;

/// A frame being received straight into a block buffer.
struct Frame {
    header: [u8; PIECE_HEADER_LEN],
    /// Bytes of `header` received.
    got_header: usize,
    /// The block announced, once the whole header is in: piece, offset and length.
    block: Option<(u32, u32, usize)>,
    slot: Slot,
    /// Bytes received into the slot's space.
    got: usize,
}

impl Frame {
    fn new(place: Place) -> Frame {
        Frame {
            header: [0; PIECE_HEADER_LEN],
            got_header: 0,
            block: None,
            slot: Slot::new(place),
            got: 0,
        }
    }

    /// Appends the bytes of the stream this frame received to `buf`.
    fn spill(mut self, buf: &mut BytesMut) {
        buf.extend_from_slice(&self.header[..self.got_header]);
        buf.extend_from_slice(&self.slot.space()[..self.got]);
    }
}

/// The receiving end of one connection: frames are read into its buffer and decoded there, or,
/// while blocks flow, read straight into block buffers.
pub(super) struct Receiver {
    /// Bytes read the ordinary way and not yet decoded; empty while receiving directly.
    pub(super) buf: BytesMut,
    /// Blocks received straight into their buffers, in order, as `piece` messages.
    pub(super) done: Vec<Message>,
    /// Receiving directly: the frame under way, if any, then the ones laid out for the next read.
    direct: Option<Vec<Frame>>,
    /// Where the next block of the stream is expected: the piece and offset after the last one
    /// announced.
    next: Option<(u32, u32)>,
    placement: Placement,
    limits: WireLimits,
    /// Bytes received directly that had to be copied to `buf` after all.
    #[cfg(test)]
    copied: usize,
    /// Blocks moved within their buffers into step with their files ([`Slot::move_to`]).
    #[cfg(test)]
    moved: usize,
}

impl Receiver {
    pub(super) fn new(buf: BytesMut, placement: Placement, limits: WireLimits) -> Self {
        Receiver {
            buf,
            done: Vec::new(),
            direct: None,
            next: None,
            placement,
            limits,
            #[cfg(test)]
            copied: 0,
            #[cfg(test)]
            moved: 0,
        }
    }

    pub(super) fn is_direct(&self) -> bool {
        self.direct.is_some()
    }

    /// Where in its buffer the block of `len` bytes at `offset` of `piece` goes.
    pub(super) fn place(&self, piece: u32, offset: u32, len: usize) -> Place {
        self.placement.place(piece, offset, len)
    }

    /// The next whole frame in `buf`, decoded ([`wire::decode`]).
    pub(super) fn decode(&mut self) -> Result<Option<Message>, wire::WireError> {
        let message = wire::decode(&mut self.buf, &self.limits)?;
        if let Some(Message::Piece {
            piece,
            offset,
            data,
        }) = &message
        {
            self.expect_after(*piece, *offset, data.len());
        }
        Ok(message)
    }

    /// Starts receiving directly, once every whole frame in `buf` is decoded; the frame begun in
    /// `buf` moves to a block buffer. Stays with the buffer (and says so) when that frame is not
    /// a block.
    pub(super) fn start_direct(&mut self) -> bool {
        if self.direct.is_some() {
            return true;
        }
        let got_header = self.buf.len().min(PIECE_HEADER_LEN);
        let mut header = [0; PIECE_HEADER_LEN];
        header[..got_header].copy_from_slice(&self.buf[..got_header]);
        let body = self.buf.len() - got_header;
        let block = if got_header == PIECE_HEADER_LEN {
            match wire::piece_header(&header, &self.limits) {
                // Not whole: whole frames were decoded already.
                Some(block) if body < block.2 => Some(block),
                _ => return false,
            }
        } else if wire::may_be_piece_header(&header[..got_header]) {
            None
        } else {
            return false;
        };
        let mut frame = Frame::new(match block {
            Some((piece, offset, len)) => self.placement.place(piece, offset, len),
            None => predicted_place(&self.placement, self.next, 0),
        });
        frame.header = header;
        frame.got_header = got_header;
        frame.block = block;
        frame.slot.space()[..body].copy_from_slice(&self.buf[got_header..]);
        frame.got = body;
        #[cfg(test)]
        {
            self.copied += body;
        }
        if let Some((piece, offset, len)) = block {
            self.expect_after(piece, offset, len);
        }
        self.buf.clear();
        self.direct = Some(vec![frame]);
        true
    }

    /// Goes back to the buffer: the frame under way moves to it.
    pub(super) fn stop_direct(&mut self) {
        for frame in self.direct.take().into_iter().flatten() {
            self.give_back(frame);
        }
    }

    /// Where to read next when receiving directly (empty otherwise): the rest of the frame under
    /// way, then header and block of each next frame expected.
    pub(super) fn iovecs(&mut self) -> Vec<IoSliceMut<'_>> {
        let Some(frames) = &mut self.direct else {
            return Vec::new();
        };
        // The frames whose block is not known yet take the next places in the stream.
        let mut unknown = frames.iter().filter(|f| f.block.is_none()).count();
        while frames.len() < FRAMES {
            frames.push(Frame::new(predicted_place(
                &self.placement,
                self.next,
                unknown,
            )));
            unknown += 1;
        }
        let mut iovecs = Vec::with_capacity(2 * FRAMES);
        for frame in frames.iter_mut() {
            let Frame {
                header,
                got_header,
                block,
                slot,
                got,
            } = frame;
            match block {
                None => {
                    iovecs.push(IoSliceMut::new(&mut header[*got_header..]));
                    iovecs.push(IoSliceMut::new(slot.space()));
                }
                Some((.., len)) => {
                    iovecs.push(IoSliceMut::new(&mut slot.space()[*got..*len]));
                }
            }
        }
        iovecs
    }

    /// Takes in the `n` bytes a read put where [`Receiver::iovecs`] said: whole blocks go to
    /// [`Receiver::done`], the frame under way stays, and what is not a block goes to `buf` (which
    /// ends receiving directly).
    pub(super) fn filled(&mut self, n: usize) {
        let Some(mut frames) = self.direct.take() else {
            return;
        };
        // The bytes went to the frames in order, as the slices were laid out.
        let mut left = n;
        for frame in frames.iter_mut() {
            if left == 0 {
                break;
            }
            if frame.block.is_none() {
                let take = left.min(PIECE_HEADER_LEN - frame.got_header);
                frame.got_header += take;
                left -= take;
                let take = left.min(BLOCK);
                frame.got += take;
                left -= take;
            } else if let Some((.., len)) = frame.block {
                let take = left.min(len - frame.got);
                frame.got += take;
                left -= take;
            }
        }
        let mut frames = frames.into_iter();
        let mut kept = Vec::with_capacity(FRAMES);
        while let Some(mut frame) = frames.next() {
            if frame.got_header < PIECE_HEADER_LEN {
                // Untouched (and so are the rest), or its header is under way: kept only while
                // it may still be a block's.
                if frame.got_header == 0 {
                    break;
                }
                if !wire::may_be_piece_header(&frame.header[..frame.got_header]) {
                    self.give_back(frame);
                    return;
                }
                kept.push(frame);
                break;
            }
            let (piece, offset, len) = match frame.block {
                Some(block) => block,
                None => match wire::piece_header(&frame.header, &self.limits) {
                    Some((piece, offset, len)) => {
                        frame.block = Some((piece, offset, len));
                        self.expect_after(piece, offset, len);
                        // Its buffer was laid out for the block expected: peers that read
                        // from disk on several threads interleave the blocks of two pieces,
                        // often of two files (a fifth of the blocks of 2,000 files came
                        // elsewhere than expected from libtorrent).
                        let place = self.placement.place(piece, offset, len);
                        let _moved = frame.slot.move_to(place, frame.got);
                        #[cfg(test)]
                        {
                            self.moved += usize::from(_moved);
                        }
                        (piece, offset, len)
                    }
                    None => {
                        // Not a block: this frame and all after it are the decoder's.
                        self.give_back(frame);
                        frames.for_each(|f| self.give_back(f));
                        return;
                    }
                },
            };
            if frame.got < len {
                kept.push(frame);
                break;
            }
            if frame.got > len {
                // A block shorter than its buffer: what came after it is the decoder's.
                self.buf
                    .extend_from_slice(&frame.slot.space()[len..frame.got]);
                #[cfg(test)]
                {
                    self.copied += frame.got - len;
                }
                self.done.push(Message::Piece {
                    piece,
                    offset,
                    data: frame.slot.into_block(len),
                });
                frames.for_each(|f| self.give_back(f));
                return;
            }
            self.done.push(Message::Piece {
                piece,
                offset,
                data: frame.slot.into_block(len),
            });
        }
        self.direct = Some(kept);
    }

    /// The bytes `frame` received go to `buf`, for the decoder.
    fn give_back(&mut self, frame: Frame) {
        #[cfg(test)]
        {
            self.copied += frame.got_header + frame.got;
        }
        frame.spill(&mut self.buf);
    }

    /// The next block of the stream is expected after this one.
    fn expect_after(&mut self, piece: u32, offset: u32, len: usize) {
        let len = u32::try_from(len).unwrap_or(u32::MAX);
        self.next = Some((piece, offset.saturating_add(len)));
    }
}

/// The place of the block expected `ahead` blocks after `next` (that of piece 0's first
/// block when nothing is expected).
fn predicted_place(placement: &Placement, next: Option<(u32, u32)>, ahead: usize) -> Place {
    let (piece, offset) = next.unwrap_or((0, 0));
    let ahead = u32::try_from(ahead.saturating_mul(BLOCK)).unwrap_or(u32::MAX);
    placement.place(piece, offset.saturating_add(ahead), BLOCK)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::engine::storage::layout::{Layout, entries};
    use bytes::Bytes;
    use rand::{Rng, SeedableRng};

    const PIECE_LENGTH: u32 = 256 * 1024;
    const PIECES: u32 = 64;

    fn placement(lengths: &[u64]) -> Placement {
        Placement::new(&Layout::new(u64::from(PIECE_LENGTH), &entries(lengths)))
    }

    fn encoded(messages: &[Message]) -> Vec<u8> {
        let mut out = BytesMut::new();
        for m in messages {
            m.encode(&mut out);
        }
        out.to_vec()
    }

    fn block(piece: u32, offset: u32, len: usize, rng: &mut impl Rng) -> Message {
        let data: Vec<u8> = (0..len).map(|_| rng.random()).collect();
        Message::Piece {
            piece,
            offset,
            data: Bytes::from(data),
        }
    }

    /// Messages and error, short enough to read when they differ: a block as its place, length
    /// and a checksum.
    fn summary(got: &(Vec<Message>, Option<wire::WireError>)) -> (Vec<String>, String) {
        let messages = got
            .0
            .iter()
            .map(|m| match m {
                Message::Piece {
                    piece,
                    offset,
                    data,
                } => {
                    let sum = data
                        .iter()
                        .fold(0u64, |h, &b| h.wrapping_mul(31).wrapping_add(u64::from(b)));
                    format!("piece {piece} {offset} len {} sum {sum:x}", data.len())
                }
                other => format!("{other:?}"),
            })
            .collect();
        (messages, format!("{:?}", got.1))
    }

    /// What the decoder alone makes of the whole stream at once.
    fn reference(stream: &[u8], limits: &WireLimits) -> (Vec<Message>, Option<wire::WireError>) {
        let mut buf = BytesMut::from(stream);
        let mut out = Vec::new();
        loop {
            match wire::decode(&mut buf, limits) {
                Ok(Some(m)) => out.push(m),
                Ok(None) => return (out, None),
                Err(e) => return (out, Some(e)),
            }
        }
    }

    /// What the receiver makes of the stream arriving in reads of `size()` bytes at most, done
    /// as the read loop does them: decode what is buffered, receive directly once blocks came,
    /// read.
    fn receive(
        stream: &[u8],
        rx: &mut Receiver,
        mut size: impl FnMut() -> usize,
    ) -> (Vec<Message>, Option<wire::WireError>) {
        let mut out = Vec::new();
        let mut at = 0;
        loop {
            let mut blocks = false;
            for m in rx.done.drain(..) {
                blocks = true;
                out.push(m);
            }
            loop {
                match rx.decode() {
                    Ok(Some(m)) => {
                        blocks |= matches!(m, Message::Piece { .. });
                        out.push(m);
                    }
                    Ok(None) => break,
                    Err(e) => return (out, Some(e)),
                }
            }
            if at == stream.len() {
                return (out, None);
            }
            if blocks {
                rx.start_direct();
            }
            let want = size().clamp(1, stream.len() - at);
            if rx.is_direct() {
                // As `readv` does: the slices in order, up to what is there.
                let mut n = 0;
                for slice in rx.iovecs().iter_mut() {
                    let k = slice.len().min(want - n);
                    slice[..k].copy_from_slice(&stream[at + n..at + n + k]);
                    n += k;
                }
                at += n;
                rx.filled(n);
            } else {
                rx.buf.extend_from_slice(&stream[at..at + want]);
                at += want;
            }
        }
    }

    #[test]
    fn any_stream_read_in_any_pieces_gives_what_the_decoder_gives() {
        let limits = WireLimits::new(PIECES);
        let mut rng = rand::rngs::SmallRng::seed_from_u64(3);
        let layouts: [&[u64]; 2] = [&[16 << 20], &[5000, 100, 70_000, 1 << 20, 333, 15 << 20]];
        let mut direct = 0;
        for case in 0..300 {
            // Mostly blocks in order, with jumps, short blocks and other messages between.
            let mut messages = Vec::new();
            let (mut piece, mut offset) = (rng.random_range(0..PIECES), 0u32);
            for _ in 0..rng.random_range(1..40) {
                let m = match rng.random_range(0..20) {
                    0 => Message::Have(rng.random_range(0..PIECES)),
                    1 => Message::KeepAlive,
                    2 => Message::Unchoke,
                    3 => Message::Extended {
                        id: 1,
                        payload: Bytes::from(vec![b'd'; rng.random_range(0..3000)]),
                    },
                    4 => block(piece, offset, rng.random_range(0..BLOCK), &mut rng),
                    5 => {
                        piece = rng.random_range(0..PIECES);
                        offset = 0;
                        block(piece, offset, BLOCK, &mut rng)
                    }
                    _ => block(piece, offset, BLOCK, &mut rng),
                };
                offset = (offset + BLOCK as u32) % PIECE_LENGTH;
                messages.push(m);
            }
            let mut stream = encoded(&messages);
            // Now and then, a frame the decoder refuses, or half a frame.
            match case % 5 {
                0 => {
                    // A whole block of a piece out of range.
                    stream.extend_from_slice(&[0, 0, 0x40, 9, 7, 0, 0, 0, 99, 0, 0, 0, 0]);
                    stream.extend_from_slice(&[0; BLOCK]);
                }
                1 => stream.extend_from_slice(&[0, 1, 0, 0, 7]),
                2 => stream.truncate(stream.len() - rng.random_range(1..20).min(stream.len())),
                _ => {}
            }
            let expected = reference(&stream, &limits);
            let layout = layouts[case % 2];
            let sizes: [&dyn Fn(&mut rand::rngs::SmallRng) -> usize; 3] = [
                &|r| r.random_range(1..40),
                &|r| r.random_range(1..200_000),
                &|r| [13, 16384, 16397, 1 << 20][r.random_range(0..4)],
            ];
            let size = sizes[case % 3];
            let mut rx = Receiver::new(BytesMut::new(), placement(layout), limits);
            let mut read_rng = rand::rngs::SmallRng::seed_from_u64(case as u64);
            let got = receive(&stream, &mut rx, || size(&mut read_rng));
            let (got, expected) = (summary(&got), summary(&expected));
            let first =
                (0..got.0.len().max(expected.0.len())).find(|&i| got.0.get(i) != expected.0.get(i));
            assert_eq!(
                (first, &got.1),
                (None, &expected.1),
                "case {case}: first difference {:?} / {:?}",
                first.and_then(|i| got.0.get(i)),
                first.and_then(|i| expected.0.get(i)),
            );
            direct += usize::from(rx.copied < stream.len() / 2);
        }
        assert!(direct > 100, "only {direct} cases mostly received directly");
    }

    /// `messages` received directly in reads of a few sizes: for each, the receiver (with what
    /// it counted) and how many blocks came out in step with their files.
    fn received_in_reads_of_each_size(
        messages: &[Message],
        placement: &Placement,
    ) -> Vec<(Receiver, usize)> {
        let stream = encoded(messages);
        let limits = WireLimits::new(PIECES);
        [1000, 16397, 100_000]
            .into_iter()
            .map(|read| {
                let mut rx = Receiver::new(BytesMut::new(), placement.clone(), limits);
                let (got, error) = receive(&stream, &mut rx, || read);
                assert_eq!(error, None);
                assert_eq!(got, messages);
                let in_step = in_step(&got, placement);
                (rx, in_step)
            })
            .collect()
    }

    /// How many of `blocks` are in step with their files (their phase where `placement` puts
    /// them).
    fn in_step(blocks: &[Message], placement: &Placement) -> usize {
        blocks
            .iter()
            .filter(|m| {
                let Message::Piece {
                    piece,
                    offset,
                    data,
                } = m
                else {
                    unreachable!()
                };
                let place = placement.place(*piece, *offset, data.len());
                data.as_ptr() as usize % 4096 == place.phase
            })
            .count()
    }

    #[test]
    fn blocks_in_order_are_received_in_place_in_step_with_their_files() {
        let mut rng = rand::rngs::SmallRng::seed_from_u64(4);
        for layout in [
            &[16u64 << 20][..],
            &[5000, 100, 70_000, 1 << 20, 333, 15 << 20],
        ] {
            let placement = placement(layout);
            let messages: Vec<Message> = (0..4 * PIECE_LENGTH / BLOCK as u32)
                .map(|i| {
                    let at = 5 * PIECE_LENGTH + i * BLOCK as u32;
                    block(at / PIECE_LENGTH, at % PIECE_LENGTH, BLOCK, &mut rng)
                })
                .collect();
            for (rx, in_step) in received_in_reads_of_each_size(&messages, &placement) {
                // Only the start, before blocks were known to flow, was copied.
                assert!(rx.copied < 2 * BLOCK, "{} bytes copied", rx.copied);
                // (The first ones were decoded from the buffer: not copied into place here.)
                assert!(
                    in_step + 8 >= messages.len(),
                    "{in_step} of {} in step",
                    messages.len()
                );
            }
        }
    }

    #[test]
    fn blocks_of_interleaved_pieces_are_put_in_step_with_their_files() {
        let mut rng = rand::rngs::SmallRng::seed_from_u64(6);
        // Pieces 0 to 7, each mostly in a file of its own (files of a piece's length and a few
        // bytes, so each at another phase), 2 at a time, their blocks alternating, as from a
        // peer reading them on two threads.
        let placement = placement(&[
            5000,
            262_147,
            262_139,
            262_151,
            262_133,
            262_157,
            262_127,
            262_163,
            7 << 20,
        ]);
        let mut messages = Vec::new();
        for pair in [(0, 2), (5, 1), (3, 7), (4, 6)] {
            for b in 0..PIECE_LENGTH / BLOCK as u32 {
                for piece in [pair.0, pair.1] {
                    messages.push(block(piece, b * BLOCK as u32, BLOCK, &mut rng));
                }
            }
        }
        for (rx, in_step) in received_in_reads_of_each_size(&messages, &placement) {
            let n = messages.len();
            assert!(in_step + 8 >= n, "{in_step} of {n} in step");
            // Every other block was laid out where the one before it would have gone on.
            assert!(rx.moved > n / 3, "{} of {n} moved", rx.moved);
        }
    }

    #[test]
    fn going_back_to_the_buffer_keeps_the_frame_under_way() {
        let limits = WireLimits::new(PIECES);
        let mut rng = rand::rngs::SmallRng::seed_from_u64(5);
        let messages: Vec<Message> = (0..3)
            .map(|i| block(1, i * BLOCK as u32, BLOCK, &mut rng))
            .collect();
        let stream = encoded(&messages);
        let mut rx = Receiver::new(BytesMut::new(), placement(&[16 << 20]), limits);
        // The first block the ordinary way, then half of the second one directly.
        let first = PIECE_HEADER_LEN + BLOCK + 7;
        rx.buf.extend_from_slice(&stream[..first]);
        assert_eq!(rx.decode().unwrap().as_ref(), messages.first());
        assert!(rx.start_direct());
        let half = 8000;
        let mut n = 0;
        for slice in rx.iovecs().iter_mut() {
            let k = slice.len().min(half - n);
            slice[..k].copy_from_slice(&stream[first + n..first + n + k]);
            n += k;
        }
        rx.filled(n);
        assert!(rx.done.is_empty());
        // A download limit comes on: the buffer takes over with the bytes so far.
        rx.stop_direct();
        assert!(!rx.is_direct());
        assert_eq!(&rx.buf[..], &stream[PIECE_HEADER_LEN + BLOCK..first + half]);
        rx.buf.extend_from_slice(&stream[first + half..]);
        let (rest, error) = reference(&rx.buf, &limits);
        assert_eq!((&rest[..], error), (&messages[1..], None));
    }
}
