//! Peer exchange (BEP 11) between real engines and a raw peer on 127.0.0.1, in both directions:
//! a leecher that knows only one peer learns the seeder from that peer's ut_pex message and
//! completes from it; and an engine tells a peer that asks about the other peers it is connected
//! to. The raw peer is the test itself speaking the wire protocol, so what is sent and received
//! is exactly what the assertions see.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use brooklet::engine::InfoHash;
use brooklet::engine::peer::extension::ExtHandshake;
use brooklet::engine::peer::pex::PexMsg;
use brooklet::engine::peer::wire::{self, Handshake, Message, WireLimits};
use brooklet::engine::peer_id::PeerId;
use bytes::BytesMut;
use std::net::SocketAddr;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

mod common;

use common::engine::*;

/// Our id for ut_pex in the raw peer's extended handshake.
const OUR_PEX_ID: u8 = 9;

async fn send(s: &mut TcpStream, msg: Message) {
    let mut out = BytesMut::new();
    msg.encode(&mut out);
    s.write_all(&out).await.unwrap();
}

/// Handshakes as a peer that has nothing and speaks ut_pex (listening on `listen_port`).
async fn raw_handshake(s: &mut TcpStream, info_hash: InfoHash, listen_port: u16) {
    s.write_all(&Handshake::new(info_hash, PeerId::generate()).encode())
        .await
        .unwrap();
    let mut theirs = [0u8; 68];
    s.read_exact(&mut theirs).await.unwrap();
    assert_eq!(
        &theirs[28..48],
        &info_hash.0[..],
        "handshake for another torrent"
    );
    let ours = ExtHandshake {
        ut_pex: Some(OUR_PEX_ID),
        listen_port: Some(listen_port),
        ..ExtHandshake::default()
    };
    send(
        s,
        Message::Extended {
            id: 0,
            payload: ours.encode(),
        },
    )
    .await;
    send(s, Message::HaveNone).await;
}

/// Connects to `engine` once its torrent has checked its files: a torrent still checking
/// turns peers away (closing the socket, which the raw peer would see as a reset).
async fn connect_when_ready(
    engine: &brooklet::engine::session::EngineHandle,
    events: &mut brooklet::engine::session::EventReceiver,
    hash: InfoHash,
) -> TcpStream {
    use brooklet::engine::api::TorrentState;
    wait_torrent(events, hash, "downloading", |t| {
        t.state == TorrentState::Downloading
    })
    .await;
    TcpStream::connect(addr(engine)).await.unwrap()
}

/// Reads messages until `pick` returns something, or `secs` pass.
async fn read_until<T>(
    s: &mut TcpStream,
    piece_count: u32,
    secs: u64,
    mut pick: impl FnMut(Message) -> Option<T>,
) -> Option<T> {
    let limits = WireLimits::new(piece_count);
    let mut buf = BytesMut::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(secs);
    loop {
        while let Ok(Some(msg)) = wire::decode(&mut buf, &limits) {
            if let Some(t) = pick(msg) {
                return Some(t);
            }
        }
        match tokio::time::timeout_at(deadline, s.read_buf(&mut buf)).await {
            Ok(Ok(n)) if n > 0 => {}
            _ => return None,
        }
    }
}

/// Leecher B is given only a raw peer A, which has no data and whose one useful message is a
/// ut_pex naming the seeder. B can only complete by connecting to the seeder it learned of.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_leecher_learns_the_seeder_through_pex_and_completes() {
    let tmp = tempfile::tempdir().unwrap();
    let data = common::random_bytes(81, 2_000_000 + 17);
    let (torrent, meta) = make_torrent(
        &tmp.path().join("seed"),
        "pex.bin",
        &[("", data.clone())],
        64 * 1024,
    );
    let (seed, _seed_events) =
        seeder_with(&torrent, &tmp.path().join("seed"), meta.info_hash).await;
    let seed_addr = addr(&seed);
    let pieces = u32::try_from(meta.piece_count()).unwrap();

    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let a_addr = listener.local_addr().unwrap();
    let info_hash = meta.info_hash;
    let raw_a = tokio::spawn(async move {
        let (mut s, _) = listener.accept().await.unwrap();
        raw_handshake(&mut s, info_hash, a_addr.port()).await;
        // B's id for ut_pex, from its extended handshake.
        let their_pex = read_until(&mut s, pieces, 20, |m| match m {
            Message::Extended { id: 0, payload } => ExtHandshake::decode(&payload).ok()?.ut_pex,
            _ => None,
        })
        .await
        .expect("B sent no extended handshake with ut_pex");
        let pex = PexMsg {
            added: vec![(seed_addr, brooklet::engine::peer::pex::flags::SEED)],
            dropped: Vec::new(),
        };
        send(
            &mut s,
            Message::Extended {
                id: their_pex,
                payload: pex.encode(),
            },
        )
        .await;
        // Stay connected (and useless) until B is done.
        let _ = read_until(&mut s, pieces, 60, |_| None::<()>).await;
    });

    let (leech, mut events) = engine().await;
    let dir = tmp.path().join("leech");
    let h = add(&leech, &torrent, &dir, vec![a_addr]).await;
    wait_finished(&mut events, h).await;
    assert!(
        std::fs::read(dir.join("pex.bin")).unwrap() == data,
        "the download differs from the seeded data"
    );
    raw_a.abort();
    leech.shutdown().await;
    seed.shutdown().await;
}

/// Engine A downloads from engine S (which has nothing yet either, so both stay connected);
/// a raw peer that connects to A gets a ut_pex message listing S's listening address.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_engine_tells_its_peers_about_the_others_through_pex() {
    let tmp = tempfile::tempdir().unwrap();
    let data = common::random_bytes(82, 500_000);
    let (torrent, meta) = make_torrent(
        &tmp.path().join("src"),
        "told.bin",
        &[("", data)],
        64 * 1024,
    );
    let (s_engine, _s_events) = engine().await;
    add(&s_engine, &torrent, &tmp.path().join("s"), vec![]).await;
    let (a_engine, mut a_events) = engine().await;
    add(
        &a_engine,
        &torrent,
        &tmp.path().join("a"),
        vec![addr(&s_engine)],
    )
    .await;

    let mut s = connect_when_ready(&a_engine, &mut a_events, meta.info_hash).await;
    raw_handshake(&mut s, meta.info_hash, 1).await;
    let pieces = u32::try_from(meta.piece_count()).unwrap();
    let s_addr: SocketAddr = addr(&s_engine);
    // A sends ut_pex at most every few seconds; the first one lists its connected peers.
    let listed = read_until(&mut s, pieces, 30, |m| match m {
        Message::Extended { id, payload } if id == OUR_PEX_ID => {
            let msg = PexMsg::decode(&payload).ok()?;
            msg.added.iter().any(|(a, _)| *a == s_addr).then_some(msg)
        }
        _ => None,
    })
    .await;
    let msg = listed.unwrap_or_else(|| panic!("A never listed S ({s_addr}) in a ut_pex message"));
    assert!(
        msg.added.iter().all(|(a, _)| a.port() != 1),
        "A listed the receiving peer itself: {msg:?}"
    );
    a_engine.shutdown().await;
    s_engine.shutdown().await;
}

/// BEP 27: for a private torrent the engine neither offers ut_pex in its extended handshake nor
/// sends a peer list, even to a peer that asks for one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_private_torrent_never_exchanges_peers() {
    use brooklet::engine::create::{CreateOptions, CreationDate, create};
    use brooklet::engine::storage::check::HashProgress;
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    std::fs::create_dir_all(&src).unwrap();
    let path = src.join("private.bin");
    std::fs::write(&path, common::random_bytes(83, 500_000)).unwrap();
    let mut opts = CreateOptions::new(&path);
    opts.piece_length = Some(64 * 1024);
    opts.creation_date = CreationDate::Omit;
    opts.private = true;
    let created = create(&opts, &HashProgress::default()).unwrap();
    let meta = created.metainfo;
    let torrent = created.bytes;

    let (s_engine, _s_events) = engine().await;
    add(&s_engine, &torrent, &tmp.path().join("s"), vec![]).await;
    let (a_engine, mut a_events) = engine().await;
    add(
        &a_engine,
        &torrent,
        &tmp.path().join("a"),
        vec![addr(&s_engine)],
    )
    .await;
    let mut s = connect_when_ready(&a_engine, &mut a_events, meta.info_hash).await;
    raw_handshake(&mut s, meta.info_hash, 1).await;
    let pieces = u32::try_from(meta.piece_count()).unwrap();
    let mut offered_pex = None;
    let mut got_pex = false;
    // Longer than the engine's 5 s between peer-exchange rounds.
    let _ = read_until(&mut s, pieces, 8, |m| {
        match m {
            Message::Extended { id: 0, payload } => {
                offered_pex = Some(ExtHandshake::decode(&payload).ok()?.ut_pex.is_some());
            }
            Message::Extended { id, .. } if id == OUR_PEX_ID => got_pex = true,
            _ => {}
        }
        None::<()>
    })
    .await;
    assert_eq!(
        offered_pex,
        Some(false),
        "the extended handshake offered ut_pex (or never came)"
    );
    assert!(!got_pex, "a peer list was sent for a private torrent");
    a_engine.shutdown().await;
    s_engine.shutdown().await;
}

/// With peer exchange off ([`brooklet::engine::session::Config::pex`]) an engine neither offers
/// ut_pex in its extended handshake nor sends peer lists, and a list a peer sends anyway is
/// ignored: the address in it is never dialled.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_pex_off_an_engine_neither_sends_nor_uses_peer_lists() {
    use brooklet::engine::peer::extension::UT_PEX_ID;
    use brooklet::engine::session::{self, Config};
    let tmp = tempfile::tempdir().unwrap();
    let data = common::random_bytes(84, 500_000);
    let (torrent, meta) = make_torrent(
        &tmp.path().join("src"),
        "no-pex.bin",
        &[("", data)],
        64 * 1024,
    );
    // S has no data either, so A keeps downloading (and would dial any address it learns).
    let (s_engine, _s_events) = engine().await;
    add(&s_engine, &torrent, &tmp.path().join("s"), vec![]).await;
    let (a_engine, mut a_events) = session::spawn(Config {
        pex: false,
        dht: false,
        ..config()
    })
    .await
    .unwrap();
    add(
        &a_engine,
        &torrent,
        &tmp.path().join("a"),
        vec![addr(&s_engine)],
    )
    .await;
    let bait = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let bait_addr = bait.local_addr().unwrap();

    let mut s = connect_when_ready(&a_engine, &mut a_events, meta.info_hash).await;
    raw_handshake(&mut s, meta.info_hash, 1).await;
    // A list under the id A would use if PEX were on.
    let pex = PexMsg {
        added: vec![(bait_addr, brooklet::engine::peer::pex::flags::SEED)],
        dropped: Vec::new(),
    };
    send(
        &mut s,
        Message::Extended {
            id: UT_PEX_ID,
            payload: pex.encode(),
        },
    )
    .await;
    let pieces = u32::try_from(meta.piece_count()).unwrap();
    let mut offered_pex = None;
    let mut got_pex = false;
    // Longer than the engine's 5 s between peer-exchange rounds.
    let dialled = tokio::spawn(async move {
        tokio::time::timeout(Duration::from_secs(8), bait.accept())
            .await
            .is_ok()
    });
    let _ = read_until(&mut s, pieces, 8, |m| {
        match m {
            Message::Extended { id: 0, payload } => {
                offered_pex = Some(ExtHandshake::decode(&payload).ok()?.ut_pex.is_some());
            }
            Message::Extended { id, .. } if id == OUR_PEX_ID => got_pex = true,
            _ => {}
        }
        None::<()>
    })
    .await;
    assert_eq!(
        offered_pex,
        Some(false),
        "the extended handshake offered ut_pex (or never came)"
    );
    assert!(!got_pex, "a peer list was sent with PEX off");
    assert!(
        !dialled.await.unwrap(),
        "the address from an ignored peer list was dialled"
    );
    a_engine.shutdown().await;
    s_engine.shutdown().await;
}
