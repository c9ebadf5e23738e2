//! How the engine asks for blocks, against a raw peer on 127.0.0.1 that is the test itself
//! speaking the wire protocol (so what is requested is exactly what the assertions see):
//! a request a peer never answers times out and the block comes from elsewhere; a low download
//! limit keeps few requests in flight and times none out; BEP 6 allowed-fast pieces are
//! requested from a peer that chokes us, and given to a peer we choke.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use brooklet::engine::InfoHash;
use brooklet::engine::limits::RateLimits;
use brooklet::engine::peer::wire::{self, BlockRequest, Handshake, Message, WireLimits};
use brooklet::engine::peer_id::PeerId;
use brooklet::engine::session::{self, Command, Config};
use brooklet::engine::torrent::fast;
use bytes::{Bytes, BytesMut};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;

mod common;

use common::engine::*;

const PIECE: u64 = 64 * 1024;
const BLOCK: usize = 16 * 1024;

/// The block `req` of `data`, as a piece message.
fn block(data: &[u8], req: BlockRequest) -> Message {
    let start = (u64::from(req.piece) * PIECE + u64::from(req.offset)) as usize;
    Message::Piece {
        piece: req.piece,
        offset: req.offset,
        data: Bytes::copy_from_slice(&data[start..start + req.length as usize]),
    }
}

/// Handshakes (fast extension on), sends `hello`, then hands every message read to `on_msg`
/// and writes what it returns, until `on_msg` says stop, the engine closes, or `secs` pass.
/// Writes go through their own task, so a slow reader at the engine never holds up reading.
async fn raw_peer(
    s: TcpStream,
    info_hash: InfoHash,
    pieces: u32,
    hello: Vec<Message>,
    secs: u64,
    mut on_msg: impl FnMut(Message) -> (Vec<Message>, bool),
) {
    let (mut rd, mut wr) = s.into_split();
    wr.write_all(&Handshake::new(info_hash, PeerId::generate()).encode())
        .await
        .unwrap();
    let mut theirs = [0u8; 68];
    rd.read_exact(&mut theirs).await.unwrap();
    let theirs = Handshake::decode(&theirs).unwrap();
    assert_eq!(theirs.info_hash, info_hash);
    assert!(theirs.supports_fast(), "the engine did not offer BEP 6");
    let (tx, mut rx) = mpsc::unbounded_channel::<Message>();
    let writer = tokio::spawn(async move {
        while let Some(msg) = rx.recv().await {
            let mut out = BytesMut::new();
            msg.encode(&mut out);
            if wr.write_all(&out).await.is_err() {
                break;
            }
        }
    });
    for m in hello {
        tx.send(m).unwrap();
    }
    let limits = WireLimits::new(pieces);
    let mut buf = BytesMut::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(secs);
    'read: loop {
        while let Some(msg) = wire::decode(&mut buf, &limits).unwrap() {
            let (replies, stop) = on_msg(msg);
            for r in replies {
                let _ = tx.send(r);
            }
            if stop {
                break 'read;
            }
        }
        match tokio::time::timeout_at(deadline, rd.read_buf(&mut buf)).await {
            Ok(Ok(n)) if n > 0 => {}
            _ => break,
        }
    }
    drop(tx);
    let _ = tokio::time::timeout(Duration::from_secs(5), writer).await;
}

#[derive(Default)]
struct SkipLog {
    /// The request never answered (the first one), and when it came.
    skipped: Option<(BlockRequest, Instant)>,
    /// How long after it the engine cancelled it.
    cancelled_after: Option<Duration>,
    /// The engine asked for it again after cancelling it.
    asked_again: bool,
}

/// A raw peer serves every request but the first, never answering that one. The engine gives
/// up on it after its deadline (well before the 30 s of silence that mean a snub): it cancels
/// it and, the raw peer being its only peer, asks it again. Once a real seed joins, the block
/// comes from there, and the download finishes intact.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_never_answered_times_out_and_the_block_comes_from_the_seed() {
    let tmp = tempfile::tempdir().unwrap();
    let data = Arc::new(common::random_bytes(91, 1024 * 1024 - 1000));
    let (torrent, meta) = make_torrent(
        &tmp.path().join("seed"),
        "skip.bin",
        &[("", data.to_vec())],
        PIECE,
    );
    let (seed, _seed_events) =
        seeder_with(&torrent, &tmp.path().join("seed"), meta.info_hash).await;
    let pieces = u32::try_from(meta.piece_count()).unwrap();

    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let a_addr = listener.local_addr().unwrap();
    let log = Arc::new(Mutex::new(SkipLog::default()));
    let (cancel_tx, mut cancel_rx) = mpsc::unbounded_channel::<()>();
    let raw = {
        let (log, data, info_hash) = (log.clone(), data.clone(), meta.info_hash);
        tokio::spawn(async move {
            let (s, _) = listener.accept().await.unwrap();
            let hello = vec![Message::HaveAll, Message::Unchoke];
            raw_peer(s, info_hash, pieces, hello, 120, move |m| {
                let mut log = log.lock().unwrap();
                match m {
                    Message::Request(r) => match log.skipped {
                        None => log.skipped = Some((r, Instant::now())),
                        Some((x, _)) if x == r => {
                            if log.cancelled_after.is_some() {
                                log.asked_again = true;
                            }
                        }
                        Some(_) => return (vec![block(&data, r)], false),
                    },
                    Message::Cancel(r) => {
                        if let Some((x, at)) = log.skipped
                            && x == r
                            && log.cancelled_after.is_none()
                        {
                            log.cancelled_after = Some(at.elapsed());
                            let _ = cancel_tx.send(());
                        }
                    }
                    _ => {}
                }
                (Vec::new(), false)
            })
            .await;
        })
    };

    let (leech, mut events) = engine().await;
    let dir = tmp.path().join("leech");
    let h = add(&leech, &torrent, &dir, vec![a_addr]).await;
    let cancelled = tokio::time::timeout(Duration::from_secs(45), cancel_rx.recv()).await;
    assert!(
        matches!(cancelled, Ok(Some(()))),
        "the unanswered request was never cancelled"
    );
    let after = log.lock().unwrap().cancelled_after.unwrap();
    eprintln!("the unanswered request was cancelled after {after:?}");
    assert!(
        after >= Duration::from_secs(15) && after < Duration::from_secs(30),
        "cancelled after {after:?}: not the request's deadline"
    );
    leech.send(Command::AddPeer(h, addr(&seed))).unwrap();
    wait_finished(&mut events, h).await;
    assert!(
        std::fs::read(dir.join("skip.bin")).unwrap() == *data,
        "the download differs from the seeded data"
    );
    assert!(
        log.lock().unwrap().asked_again,
        "the only peer was not asked again for the timed-out block"
    );
    raw.abort();
    leech.shutdown().await;
    seed.shutdown().await;
}

#[derive(Default)]
struct LimitLog {
    requests: usize,
    cancels: usize,
}

/// Under a 4 KiB/s download limit a peer that answers at once is sent few requests at a time
/// (each one holds the peer's upload slot, and the limit delivers one block in 4 s), and none
/// of them times out although every block takes seconds to arrive.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn under_a_low_download_limit_few_requests_fly_and_none_time_out() {
    const LIMIT: u64 = 4 * 1024;
    const WATCH: Duration = Duration::from_secs(25);
    let tmp = tempfile::tempdir().unwrap();
    let data = Arc::new(common::random_bytes(92, 1024 * 1024));
    let (torrent, meta) = make_torrent(
        &tmp.path().join("src"),
        "slow.bin",
        &[("", data.to_vec())],
        PIECE,
    );
    let pieces = u32::try_from(meta.piece_count()).unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let b_addr = listener.local_addr().unwrap();
    let log = Arc::new(Mutex::new(LimitLog::default()));
    let raw = {
        let (log, data, info_hash) = (log.clone(), data.clone(), meta.info_hash);
        tokio::spawn(async move {
            let (s, _) = listener.accept().await.unwrap();
            let hello = vec![Message::HaveAll, Message::Unchoke];
            raw_peer(s, info_hash, pieces, hello, WATCH.as_secs(), move |m| {
                let mut log = log.lock().unwrap();
                match m {
                    Message::Request(r) => {
                        log.requests += 1;
                        return (vec![block(&data, r)], false);
                    }
                    Message::Cancel(_) => log.cancels += 1,
                    _ => {}
                }
                (Vec::new(), false)
            })
            .await;
        })
    };
    let (leech, _events) = session::spawn(Config {
        limits: RateLimits::new(LIMIT, 0),
        ..config()
    })
    .await
    .unwrap();
    add(&leech, &torrent, &tmp.path().join("leech"), vec![b_addr]).await;
    tokio::time::timeout(WATCH + Duration::from_secs(10), raw)
        .await
        .expect("the raw peer did not stop")
        .unwrap();
    let (requests, cancels) = {
        let log = log.lock().unwrap();
        (log.requests, log.cancels)
    };
    eprintln!("{requests} requests, {cancels} cancels in {WATCH:?} at {LIMIT} B/s");
    // What the limit lets through in the time watched (plus a burst of a block), plus the
    // requests in flight at the end.
    let deliverable = (WATCH.as_secs() * LIMIT) as usize / BLOCK + 1;
    assert!(
        requests <= deliverable + 3,
        "{requests} requests in {WATCH:?} at {LIMIT} B/s"
    );
    assert!(requests >= 3, "only {requests} requests");
    assert_eq!(cancels, 0, "requests timed out under the limit");
    leech.shutdown().await;
}

#[derive(Default)]
struct FastLog {
    served: Vec<BlockRequest>,
    others: Vec<BlockRequest>,
}

/// A raw peer with every piece chokes us for good but allows pieces 3 and 11 fast (after an
/// allowed fast and a suggest out of range, which are ignored): the engine requests (and
/// receives) every block of those two, and nothing else.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_choking_peer_s_allowed_fast_pieces_are_requested_and_no_others() {
    const ALLOWED: [u32; 2] = [3, 11];
    let tmp = tempfile::tempdir().unwrap();
    let data = Arc::new(common::random_bytes(93, 1024 * 1024));
    let (torrent, meta) = make_torrent(
        &tmp.path().join("src"),
        "fast.bin",
        &[("", data.to_vec())],
        PIECE,
    );
    let pieces = u32::try_from(meta.piece_count()).unwrap();
    let blocks_allowed = ALLOWED.len() * (PIECE as usize / BLOCK);
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let c_addr = listener.local_addr().unwrap();
    let log = Arc::new(Mutex::new(FastLog::default()));
    let raw = {
        let (log, data, info_hash) = (log.clone(), data.clone(), meta.info_hash);
        tokio::spawn(async move {
            let (s, _) = listener.accept().await.unwrap();
            // Indices out of range first: ignored, not a reason to drop the peer.
            let mut hello = vec![
                Message::HaveAll,
                Message::AllowedFast(pieces),
                Message::Suggest(u32::MAX),
            ];
            hello.extend(ALLOWED.iter().map(|&p| Message::AllowedFast(p)));
            raw_peer(s, info_hash, pieces, hello, 60, move |m| {
                let mut log = log.lock().unwrap();
                if let Message::Request(r) = m {
                    if ALLOWED.contains(&r.piece) {
                        log.served.push(r);
                        return (vec![block(&data, r)], false);
                    }
                    log.others.push(r);
                }
                (Vec::new(), false)
            })
            .await;
        })
    };
    let (leech, mut events) = engine().await;
    let h = add(&leech, &torrent, &tmp.path().join("leech"), vec![c_addr]).await;
    let stats = wait_torrent_within(
        &mut events,
        h,
        "the allowed-fast pieces",
        Duration::from_secs(30),
        |t| t.pieces_have >= ALLOWED.len(),
    )
    .await;
    assert_eq!(stats.pieces_have, ALLOWED.len());
    // Time for any stray request to arrive.
    tokio::time::sleep(Duration::from_secs(2)).await;
    {
        let log = log.lock().unwrap();
        assert!(
            log.others.is_empty(),
            "requested while choked: {:?}",
            log.others
        );
        let mut served = log.served.clone();
        served.sort_unstable_by_key(|r| (r.piece, r.offset));
        served.dedup();
        assert_eq!(served.len(), blocks_allowed, "{served:?}");
    }
    raw.abort();
    leech.shutdown().await;
}

/// A seed gives a fast-extension peer it chokes the canonical allowed-fast set of its address
/// (BEP 6), serves requests for those pieces although it chokes the peer, and rejects others.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_seed_allows_a_choked_peer_its_fast_set_and_serves_only_that() {
    let tmp = tempfile::tempdir().unwrap();
    let data = common::random_bytes(94, 1024 * 1024);
    let (torrent, meta) = make_torrent(
        &tmp.path().join("seed"),
        "given.bin",
        &[("", data.clone())],
        PIECE,
    );
    let (seed, _seed_events) =
        seeder_with(&torrent, &tmp.path().join("seed"), meta.info_hash).await;
    let pieces = u32::try_from(meta.piece_count()).unwrap();
    let ip = "127.0.0.1".parse().unwrap();
    let mut expected = fast::allowed_fast_set(
        ip,
        &meta.info_hash,
        pieces,
        fast::set_size(meta.piece_count()),
    );
    expected.sort_unstable();
    assert!(!expected.is_empty());
    let outside = (0..pieces).find(|p| !expected.contains(p)).unwrap();
    let wanted = BlockRequest {
        piece: expected[0],
        offset: 0,
        length: BLOCK as u32,
    };
    let refused = BlockRequest {
        piece: outside,
        offset: 0,
        length: BLOCK as u32,
    };

    let s = TcpStream::connect(addr(&seed)).await.unwrap();
    let seed_addr: SocketAddr = addr(&seed);
    assert!(seed_addr.ip().is_loopback());
    let mut allowed = Vec::new();
    let mut unchoked = false;
    let mut got_block = None;
    let mut rejected = false;
    let mut asked = false;
    let k = expected.len();
    raw_peer(
        s,
        meta.info_hash,
        pieces,
        vec![Message::HaveNone],
        20,
        |m| {
            match m {
                Message::AllowedFast(p) => allowed.push(p),
                Message::Unchoke => unchoked = true,
                Message::Piece {
                    piece,
                    offset,
                    data,
                } => got_block = Some((piece, offset, data)),
                Message::Reject(r) if r == refused => rejected = true,
                _ => {}
            }
            if !asked && allowed.len() >= k {
                asked = true;
                return (
                    vec![Message::Request(wanted), Message::Request(refused)],
                    false,
                );
            }
            (Vec::new(), got_block.is_some() && rejected)
        },
    )
    .await;
    allowed.sort_unstable();
    assert_eq!(allowed, expected, "not the canonical allowed-fast set");
    assert!(!unchoked, "the seed unchoked a peer not interested");
    let (piece, offset, block) = got_block.expect("the allowed-fast block was not served");
    assert_eq!((piece, offset), (wanted.piece, wanted.offset));
    let start = (u64::from(piece) * PIECE) as usize;
    assert!(block[..] == data[start..start + BLOCK], "wrong block data");
    assert!(rejected, "a piece outside the set was not rejected");
    seed.shutdown().await;
}

/// A downloader tells a fast-extension peer of each piece of its allowed-fast set as it gets
/// it (BEP 6), not only of those it had when the peer connected.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pieces_of_the_fast_set_gotten_later_are_allowed_then() {
    let tmp = tempfile::tempdir().unwrap();
    let data = common::random_bytes(95, 1024 * 1024);
    let (torrent, meta) = make_torrent(
        &tmp.path().join("seed"),
        "later.bin",
        &[("", data.clone())],
        PIECE,
    );
    let (seed, _seed_events) =
        seeder_with(&torrent, &tmp.path().join("seed"), meta.info_hash).await;
    let (leech, mut events) = engine().await;
    let h = add(&leech, &torrent, &tmp.path().join("leech"), vec![]).await;
    wait_stats(&mut events, h, "the leecher to start", |t| {
        t.state == brooklet::engine::api::TorrentState::Downloading
    })
    .await;
    let pieces = u32::try_from(meta.piece_count()).unwrap();
    let mut expected = fast::allowed_fast_set(
        "127.0.0.1".parse().unwrap(),
        &meta.info_hash,
        pieces,
        fast::set_size(meta.piece_count()),
    );
    expected.sort_unstable();
    // The raw peer connects while the leecher has nothing, and keeps what it is told.
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    let k = expected.len();
    let s = TcpStream::connect(addr(&leech)).await.unwrap();
    let peer = tokio::spawn(raw_peer(
        s,
        meta.info_hash,
        pieces,
        vec![Message::HaveNone],
        60,
        move |m| {
            let mut log = log.lock().unwrap();
            log.push(m);
            let allowed = log
                .iter()
                .filter(|m| matches!(m, Message::AllowedFast(_)))
                .count();
            (Vec::new(), allowed >= k)
        },
    ));
    wait_stats(&mut events, h, "the raw peer to be connected", |t| {
        t.peers == 1
    })
    .await;
    leech.send(Command::AddPeer(h, addr(&seed))).unwrap();
    wait_finished(&mut events, h).await;
    tokio::time::timeout(Duration::from_secs(30), peer)
        .await
        .expect("the raw peer was not told the whole set")
        .unwrap();
    let seen = std::mem::take(&mut *seen.lock().unwrap());
    let mut allowed: Vec<u32> = Vec::new();
    let mut announced: Vec<u32> = Vec::new();
    for m in seen.iter() {
        match m {
            Message::Have(p) => announced.push(*p),
            Message::AllowedFast(p) => {
                assert!(
                    announced.contains(p),
                    "piece {p} allowed before the leecher had it"
                );
                allowed.push(*p);
            }
            _ => {}
        }
    }
    allowed.sort_unstable();
    assert_eq!(allowed, expected);
    leech.shutdown().await;
    seed.shutdown().await;
}
