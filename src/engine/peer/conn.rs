//! A peer connection's I/O: the handshake, then one reader task and one writer task per
//! connection. They know nothing of pieces or choking: the reader decodes frames (with the
//! wire limits of the torrent), receiving blocks straight into their buffers while they flow
//! ([`super::recv`]), and forwards each message to the torrent task; the writer sends
//! what the torrent queues for it, batching small messages into one write and sending keep-alives
//! when idle.
//!
//! Rate limits ([`crate::engine::limits`]): when a bucket of the connection's chain is limited,
//! the reader takes tokens before each read and reads no more than it got (so the peer is slowed
//! by TCP itself), and the writer takes tokens for each batch before writing it. Unlimited, both
//! run the plain loops below after one atomic check per read or write.
//!
//! Back-pressure: the channel to the torrent is bounded and shared by all its peers, so a torrent
//! task that falls behind slows every reader down instead of buffering without limit. The channel
//! to the writer is unbounded but its content is bounded by the torrent's own accounting (at most
//! the requests it allows a peer, plus control messages).

use super::recv::Receiver;
use super::wire::{self, HANDSHAKE_LEN, Handshake, Message, WireLimits};
use crate::engine::info_hash::InfoHash;
use crate::engine::limits::PeerBandwidth;
use crate::engine::peer_id::PeerId;
use crate::engine::storage::blocks;
use crate::engine::torrent::picker::PeerKey;
use bytes::{BufMut, BytesMut};
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::net::{TcpSocket, TcpStream};
use tokio::sync::mpsc;

/// Time allowed for a TCP connect plus the handshake.
pub const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);
/// A peer that sends nothing (not even a keep-alive) for this long is dropped.
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(150);
/// We send a keep-alive after this long without sending anything (BEP 3: every 2 minutes).
pub const KEEPALIVE_INTERVAL: Duration = Duration::from_secs(90);
/// Bytes batched into one write.
const WRITE_BATCH: usize = 128 * 1024;

/// Why a connection attempt or a connection failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConnError {
    #[error("connect: {0}")]
    Connect(String),
    #[error("handshake timed out")]
    Timeout,
    #[error("handshake: {0}")]
    Handshake(String),
    #[error("the peer is serving another torrent")]
    WrongTorrent,
    #[error("connected to ourselves")]
    Ourselves,
}

/// What the reader and writer tasks tell the torrent.
#[derive(Debug)]
pub enum PeerEvent {
    /// A decoded message from the peer.
    Message(PeerKey, Message),
    /// The connection ended; the reason is for the log.
    Closed(PeerKey, String),
    /// Block payload bytes handed to the socket: what counts as uploaded (blocks still
    /// queued when the connection is dropped never are).
    Sent(PeerKey, u64),
}

/// Outgoing: connects to `addr` (from the local address `bind` when it is of the same
/// family), exchanges handshakes and checks the peer serves `info_hash`.
pub async fn connect(
    addr: SocketAddr,
    info_hash: InfoHash,
    our_id: PeerId,
    bind: Option<IpAddr>,
) -> Result<(TcpStream, Handshake), ConnError> {
    tokio::time::timeout(HANDSHAKE_TIMEOUT, async {
        let mut stream = open(addr, bind)
            .await
            .map_err(|e| ConnError::Connect(e.to_string()))?;
        let _ = stream.set_nodelay(true);
        stream
            .write_all(&Handshake::new(info_hash, our_id).encode())
            .await
            .map_err(|e| ConnError::Handshake(e.to_string()))?;
        let mut buf = [0u8; HANDSHAKE_LEN];
        stream
            .read_exact(&mut buf)
            .await
            .map_err(|e| ConnError::Handshake(e.to_string()))?;
        let theirs = Handshake::decode(&buf).map_err(|e| ConnError::Handshake(e.to_string()))?;
        if theirs.info_hash != info_hash {
            return Err(ConnError::WrongTorrent);
        }
        if theirs.peer_id == our_id {
            return Err(ConnError::Ourselves);
        }
        Ok((stream, theirs))
    })
    .await
    .map_err(|_| ConnError::Timeout)?
}

/// A TCP connection to `addr`, from `bind` (any port) when it is of `addr`'s family.
async fn open(addr: SocketAddr, bind: Option<IpAddr>) -> std::io::Result<TcpStream> {
    let Some(bind) = bind.filter(|b| b.is_ipv4() == addr.is_ipv4()) else {
        return TcpStream::connect(addr).await;
    };
    let socket = if bind.is_ipv4() {
        TcpSocket::new_v4()?
    } else {
        TcpSocket::new_v6()?
    };
    socket.bind(SocketAddr::new(bind, 0))?;
    socket.connect(addr).await
}

/// Incoming, first half: reads the protocol header, reserved bits and info-hash, so the session
/// can route the connection to its torrent (or close it).
pub async fn read_incoming_prefix(
    stream: &mut TcpStream,
) -> Result<([u8; 8], InfoHash), ConnError> {
    let mut buf = [0u8; 48];
    tokio::time::timeout(HANDSHAKE_TIMEOUT, stream.read_exact(&mut buf))
        .await
        .map_err(|_| ConnError::Timeout)?
        .map_err(|e| ConnError::Handshake(e.to_string()))?;
    Handshake::decode_prefix(&buf).map_err(|e| ConnError::Handshake(e.to_string()))
}

/// Incoming, second half: sends our handshake and reads the peer's id.
pub async fn finish_incoming(
    stream: &mut TcpStream,
    reserved: [u8; 8],
    info_hash: InfoHash,
    our_id: PeerId,
) -> Result<Handshake, ConnError> {
    let _ = stream.set_nodelay(true);
    tokio::time::timeout(HANDSHAKE_TIMEOUT, async {
        stream
            .write_all(&Handshake::new(info_hash, our_id).encode())
            .await
            .map_err(|e| ConnError::Handshake(e.to_string()))?;
        let mut id = [0u8; 20];
        stream
            .read_exact(&mut id)
            .await
            .map_err(|e| ConnError::Handshake(e.to_string()))?;
        if id == our_id.0 {
            return Err(ConnError::Ourselves);
        }
        Ok(Handshake {
            reserved,
            info_hash,
            peer_id: PeerId(id),
        })
    })
    .await
    .map_err(|_| ConnError::Timeout)?
}

/// The torrent's end of an established connection: it queues messages for the writer task
/// (through `Deref` to the channel's sender). Dropping it closes the connection at once: both
/// tasks stop and messages still queued are discarded — a writer held back by an upload limit
/// would otherwise keep a dropped peer's socket open until its queue drained.
#[derive(Debug)]
pub struct PeerLink {
    tx: mpsc::UnboundedSender<Message>,
    reader: tokio::task::AbortHandle,
    writer: tokio::task::AbortHandle,
}

impl std::ops::Deref for PeerLink {
    type Target = mpsc::UnboundedSender<Message>;

    fn deref(&self) -> &Self::Target {
        &self.tx
    }
}

impl Drop for PeerLink {
    fn drop(&mut self) {
        self.reader.abort();
        self.writer.abort();
    }
}

/// Starts the reader and writer tasks of an established connection; dropping the returned
/// link closes it. Received blocks go into buffers of their own, each where `placement` says.
pub fn spawn(
    stream: TcpStream,
    key: PeerKey,
    limits: WireLimits,
    placement: blocks::Placement,
    bandwidth: PeerBandwidth,
    events: mpsc::Sender<PeerEvent>,
) -> PeerLink {
    let (read, write) = stream.into_split();
    let (tx, rx) = mpsc::unbounded_channel();
    let reader = tokio::spawn(read_loop(
        read,
        key,
        limits,
        placement,
        bandwidth.clone(),
        events.clone(),
    ));
    let writer = tokio::spawn(write_loop(write, key, rx, bandwidth, events));
    PeerLink {
        tx,
        reader: reader.abort_handle(),
        writer: writer.abort_handle(),
    }
}

/// How a read went.
enum ReadOutcome {
    /// Bytes arrived.
    Data,
    /// Nothing this time (a spurious wake-up); try again.
    Nothing,
    /// The connection is over, for this reason.
    End(String),
}

async fn read_loop(
    mut read: OwnedReadHalf,
    key: PeerKey,
    limits: WireLimits,
    placement: blocks::Placement,
    bandwidth: PeerBandwidth,
    events: mpsc::Sender<PeerEvent>,
) {
    let mut rx = Receiver::new(
        BytesMut::with_capacity(FIRST_RECV_BUFFER),
        placement,
        limits,
    );
    // A block came in since the last read.
    let mut sending_blocks = false;
    let reason = loop {
        // Blocks received straight into their buffers.
        for msg in rx.done.drain(..) {
            sending_blocks = true;
            if events.send(PeerEvent::Message(key, msg)).await.is_err() {
                return; // the torrent is gone
            }
        }
        // Decode every whole frame already buffered.
        loop {
            let before = rx.buf.len();
            match rx.decode() {
                Ok(Some(mut msg)) => {
                    // Out of the read buffer while it is still in the CPU cache, into a buffer
                    // of its own (see `storage::blocks`): the read buffer is read into again.
                    if let Message::Piece {
                        piece,
                        offset,
                        data,
                    } = &mut msg
                    {
                        let place = rx.place(*piece, *offset, data.len());
                        *data = blocks::own_block(std::mem::take(data), place);
                        sending_blocks = true;
                    }
                    if !bandwidth.counts_overhead() && bandwidth.download.is_limited() {
                        // Only block payload counts: the rest of the frame goes back.
                        let frame = before - rx.buf.len();
                        let payload = match &msg {
                            Message::Piece { data, .. } => data.len(),
                            _ => 0,
                        };
                        bandwidth
                            .download
                            .give_back(frame.saturating_sub(payload) as u64);
                    }
                    if events.send(PeerEvent::Message(key, msg)).await.is_err() {
                        return; // the torrent is gone
                    }
                }
                Ok(None) => break,
                Err(e) => {
                    let _ = events
                        .send(PeerEvent::Closed(key, format!("protocol violation: {e}")))
                        .await;
                    return;
                }
            }
        }
        let limited = bandwidth.download.is_limited();
        let blocks_came = std::mem::take(&mut sending_blocks);
        // While blocks flow, they are read straight into their buffers (see `recv`); a download
        // limit reads by quanta, into the buffer.
        if limited {
            rx.stop_direct();
        } else if blocks_came {
            rx.start_direct();
        }
        // While blocks waiting for the disk use up the memory they may, a peer sending blocks
        // waits: the data stays in the socket, and TCP slows the peer down (for a while at
        // most). A peer that sends only requests and the like is read at once.
        if blocks_came {
            blocks::room(blocks::MAX_WAIT).await;
        }
        let outcome = if rx.is_direct() {
            read_direct(&read, &mut rx).await
        } else {
            // Room for the rest of the current frame, and then some, so a fast peer's blocks
            // arrive in few large reads.
            let need = wire::frame_len(&rx.buf).unwrap_or(0);
            make_room(&mut rx.buf, need.max(MIN_READ));
            if limited {
                read_limited(&read, &mut rx.buf, &bandwidth).await
            } else {
                match tokio::time::timeout(IDLE_TIMEOUT, read.read_buf(&mut rx.buf)).await {
                    Err(_) => ReadOutcome::End("idle for too long".to_owned()),
                    Ok(Ok(0)) => ReadOutcome::End("closed by the peer".to_owned()),
                    Ok(Ok(_)) => ReadOutcome::Data,
                    Ok(Err(e)) => ReadOutcome::End(format!("read: {e}")),
                }
            }
        };
        match outcome {
            ReadOutcome::Data | ReadOutcome::Nothing => {}
            ReadOutcome::End(reason) => break reason,
        }
    };
    let _ = events.send(PeerEvent::Closed(key, reason)).await;
}

/// A read straight into the block buffers `rx` lays out.
async fn read_direct(read: &OwnedReadHalf, rx: &mut Receiver) -> ReadOutcome {
    match tokio::time::timeout(IDLE_TIMEOUT, read.readable()).await {
        Err(_) => return ReadOutcome::End("idle for too long".to_owned()),
        Ok(Err(e)) => return ReadOutcome::End(format!("read: {e}")),
        Ok(Ok(())) => {}
    }
    let result = read.try_read_vectored(&mut rx.iovecs());
    match result {
        Ok(0) => ReadOutcome::End("closed by the peer".to_owned()),
        Ok(n) => {
            rx.filled(n);
            ReadOutcome::Data
        }
        Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => ReadOutcome::Nothing,
        Err(e) => ReadOutcome::End(format!("read: {e}")),
    }
}

/// A new connection's receive buffer: enough for its first messages; one that transfers
/// blocks moves on to a [`RECV_CHUNK`].
const FIRST_RECV_BUFFER: usize = 16 * 1024;
/// Room made before each read, at least.
const MIN_READ: usize = 64 * 1024;
/// The size of a receive buffer that blocks are read into.
const RECV_CHUNK: usize = 128 * 1024;

/// Makes room in `buf` for `need` more bytes. In place when it can: the bytes already decoded
/// are reclaimed, and the unread ones (the start of the next frame) move to the front. Blocks
/// are copied out as they are decoded (see `storage::blocks`), so that is the usual case; only a
/// payload still being handled (a bitfield, an extension message) can share the buffer. Then,
/// or when it is too small, the unread bytes move to a new buffer of at least [`RECV_CHUNK`],
/// and the old one goes with the last payload that uses it.
fn make_room(buf: &mut BytesMut, need: usize) {
    if buf.capacity() - buf.len() >= need || buf.try_reclaim(need) {
        return;
    }
    let mut next = BytesMut::with_capacity(buf.len().saturating_add(need).max(RECV_CHUNK));
    next.extend_from_slice(buf);
    *buf = next;
}

/// A read under a download limit: waits until the socket has data, takes a quantum of tokens,
/// reads at most that much and gives back what was not read.
async fn read_limited(
    read: &OwnedReadHalf,
    buf: &mut BytesMut,
    bandwidth: &PeerBandwidth,
) -> ReadOutcome {
    match tokio::time::timeout(IDLE_TIMEOUT, read.readable()).await {
        Err(_) => return ReadOutcome::End("idle for too long".to_owned()),
        Ok(Err(e)) => return ReadOutcome::End(format!("read: {e}")),
        Ok(Ok(())) => {}
    }
    let chain = &bandwidth.download;
    let quantum = chain.quantum();
    chain.acquire(quantum).await;
    let room = usize::try_from(quantum).unwrap_or(usize::MAX);
    match read.try_read_buf(&mut (&mut *buf).limit(room)) {
        Ok(0) => {
            chain.give_back(quantum);
            ReadOutcome::End("closed by the peer".to_owned())
        }
        Ok(n) => {
            chain.give_back(quantum.saturating_sub(n as u64));
            ReadOutcome::Data
        }
        Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
            chain.give_back(quantum);
            ReadOutcome::Nothing
        }
        Err(e) => ReadOutcome::End(format!("read: {e}")),
    }
}

/// Blocks at least this long are written from their own memory (a vectored write); shorter
/// ones are copied next to the other messages. It also bounds the slices of one write: a batch
/// holds at most [`WRITE_BATCH`] / [`OWN_SLICE_FROM`] + 1 such blocks.
const OWN_SLICE_FROM: usize = 1024;

async fn write_loop(
    mut write: OwnedWriteHalf,
    key: PeerKey,
    mut rx: mpsc::UnboundedReceiver<Message>,
    bandwidth: PeerBandwidth,
    events: mpsc::Sender<PeerEvent>,
) {
    let mut out = BytesMut::with_capacity(WRITE_BATCH);
    let mut batch: Vec<Message> = Vec::new();
    loop {
        let first = match tokio::time::timeout(KEEPALIVE_INTERVAL, rx.recv()).await {
            Ok(Some(msg)) => msg,
            Ok(None) => break, // the torrent dropped us
            Err(_) => Message::KeepAlive,
        };
        let limited = bandwidth.upload.is_limited();
        // Limited, batches stay about one quantum long so waiting connections take turns.
        let most = if limited {
            usize::try_from(bandwidth.upload.quantum()).unwrap_or(WRITE_BATCH)
        } else {
            WRITE_BATCH
        };
        let mut total = first.encoded_len();
        batch.push(first);
        while total < most {
            match rx.try_recv() {
                Ok(msg) => {
                    total = total.saturating_add(msg.encoded_len());
                    batch.push(msg);
                }
                Err(_) => break,
            }
        }
        let payload: usize = batch
            .iter()
            .map(|m| match m {
                Message::Piece { data, .. } => data.len(),
                _ => 0,
            })
            .sum();
        if limited {
            let cost = if bandwidth.counts_overhead() {
                total
            } else {
                payload
            };
            if cost > 0 {
                bandwidth.upload.acquire(cost as u64).await;
            }
        }
        // Everything but the long blocks goes into `out`; each long block follows the bytes of
        // `out` up to its cut.
        let mut cuts: Vec<(usize, &[u8])> = Vec::new();
        for msg in &batch {
            match msg {
                Message::Piece { data, .. } if data.len() >= OWN_SLICE_FROM => {
                    if let Some(block) = msg.encode_head(&mut out) {
                        cuts.push((out.len(), block));
                    }
                }
                _ => msg.encode(&mut out),
            }
        }
        let mut slices = Vec::with_capacity(cuts.len() * 2 + 1);
        let mut at = 0;
        for (cut, block) in cuts {
            slices.push(std::io::IoSlice::new(&out[at..cut]));
            slices.push(std::io::IoSlice::new(block));
            at = cut;
        }
        slices.push(std::io::IoSlice::new(&out[at..]));
        let written = write_all_vectored(&mut write, &mut slices).await;
        drop(slices);
        batch.clear();
        out.clear();
        if let Err(e) = written {
            let _ = events
                .send(PeerEvent::Closed(key, format!("write: {e}")))
                .await;
            return;
        }
        if payload > 0
            && events
                .send(PeerEvent::Sent(key, payload as u64))
                .await
                .is_err()
        {
            return; // the torrent is gone
        }
    }
    let _ = write.shutdown().await;
}

/// Writes all of `slices` (one `writev` per call, at most 1,024 slices each).
async fn write_all_vectored(
    write: &mut OwnedWriteHalf,
    mut slices: &mut [std::io::IoSlice<'_>],
) -> std::io::Result<()> {
    std::io::IoSlice::advance_slices(&mut slices, 0);
    while !slices.is_empty() {
        let n = slices.len().min(1024);
        match write.write_vectored(&slices[..n]).await {
            Ok(0) => return Err(std::io::ErrorKind::WriteZero.into()),
            Ok(written) => std::io::IoSlice::advance_slices(&mut slices, written),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    /// Reads up to `len` bytes into `buf` (after making room) and splits them off.
    fn read_into(buf: &mut BytesMut, len: usize) -> bytes::Bytes {
        make_room(buf, MIN_READ);
        let room = (buf.capacity() - buf.len()).min(len);
        buf.extend_from_slice(&vec![7u8; room]);
        buf.split_to(room).freeze()
    }

    #[tokio::test]
    async fn blocks_written_from_their_own_memory_arrive_as_encoded_and_are_counted() {
        use crate::engine::limits::{RateLimits, SessionBandwidth};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let client = TcpStream::connect(listener.local_addr().unwrap());
        let (client, accepted) = tokio::join!(client, listener.accept());
        let (_r, write) = client.unwrap().into_split();
        let (mut server, _) = accepted.unwrap();
        let (tx, rx) = mpsc::unbounded_channel();
        let (events_tx, mut events) = mpsc::channel(64);
        let bandwidth =
            PeerBandwidth::session_only(&SessionBandwidth::new(RateLimits::UNLIMITED, false));
        let writer = tokio::spawn(write_loop(write, 9, rx, bandwidth, events_tx));
        // Long blocks (their own slices), a short one (copied), other messages between, more
        // than one batch's worth in all.
        let mut msgs = Vec::new();
        for i in 0..40u32 {
            let len = match i % 4 {
                0 => 16384,
                1 => 10,
                2 => OWN_SLICE_FROM,
                _ => 5000,
            };
            let data: Vec<u8> = (0..len).map(|b| (b as u32 * 31 + i) as u8).collect();
            msgs.push(Message::Piece {
                piece: i,
                offset: i * 7,
                data: bytes::Bytes::from(data),
            });
            msgs.push(Message::Have(i));
        }
        let mut want = BytesMut::new();
        let mut payload = 0;
        for m in &msgs {
            m.encode(&mut want);
            if let Message::Piece { data, .. } = m {
                payload += data.len() as u64;
            }
        }
        for m in msgs {
            tx.send(m).unwrap();
        }
        let mut got = vec![0u8; want.len()];
        server.read_exact(&mut got).await.unwrap();
        assert!(got == want[..], "the bytes on the wire differ");
        let mut sent = 0;
        while sent < payload {
            match events.recv().await {
                Some(PeerEvent::Sent(9, n)) => sent += n,
                other => panic!("{other:?}"),
            }
        }
        assert_eq!(sent, payload);
        drop(tx);
        writer.await.unwrap();
    }

    #[test]
    fn a_read_buffer_is_read_into_again_in_place_once_nothing_split_off_it_is_alive() {
        let mut buf = BytesMut::with_capacity(FIRST_RECV_BUFFER);
        // A connection that needs more room moves on to a chunk.
        make_room(&mut buf, MIN_READ);
        assert!(buf.capacity() >= RECV_CHUNK);
        let start = buf.as_ptr();
        // Filled, decoded, and gone: the same memory is read into again.
        drop(read_into(&mut buf, usize::MAX));
        let again = read_into(&mut buf, usize::MAX);
        assert_eq!(again.as_ptr(), start);
        // Still alive (a bitfield being handled): the next read goes to another buffer, and
        // what was split off is intact.
        let next = read_into(&mut buf, usize::MAX);
        assert_ne!(next.as_ptr(), start);
        assert!(again.iter().all(|&b| b == 7));
    }

    #[test]
    fn unread_bytes_move_with_the_buffer() {
        let mut buf = BytesMut::with_capacity(FIRST_RECV_BUFFER);
        let held = read_into(&mut buf, RECV_CHUNK - 1000);
        // Half a frame is waiting when the room runs out, and the buffer is still shared.
        buf.extend_from_slice(b"half a frame");
        make_room(&mut buf, MIN_READ);
        assert_eq!(&buf[..], b"half a frame");
        assert!(buf.capacity() - buf.len() >= MIN_READ);
        drop(held);
        // Once nothing else uses it, in place: filled, all decoded but the start of a frame.
        let at = buf.as_ptr();
        buf.extend_from_slice(&vec![1; buf.capacity() - buf.len() - 5]);
        buf.extend_from_slice(b"tail!");
        drop(buf.split_to(buf.len() - 5));
        make_room(&mut buf, MIN_READ);
        assert_eq!(buf.as_ptr(), at);
        assert_eq!(&buf[..], b"tail!");
    }
}
