//! Swarms of our own engines on 127.0.0.1: downloads are byte-identical, and misbehaving peers
//! (corrupt data, protocol violations, disconnects) cannot stop a download.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use brooklet::engine::InfoHash;
use brooklet::engine::api::Event;
use brooklet::engine::bitfield::Bitfield;
use brooklet::engine::metainfo::Metainfo;
use brooklet::engine::peer::wire::{self, Handshake, Message, WireLimits};
use brooklet::engine::peer_id::PeerId;
use brooklet::engine::session;
use bytes::{BufMut, BytesMut};
use std::net::SocketAddr;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

mod common;

use common::engine::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn single_file_download_is_byte_identical_with_short_last_piece() {
    let tmp = tempfile::tempdir().unwrap();
    let data = common::random_bytes(1, 3 * 1024 * 1024 + 12_345);
    let files = [("", data.clone())];
    let (torrent, meta) = make_torrent(&tmp.path().join("seed"), "movie.bin", &files, 64 * 1024);
    assert_ne!(meta.total_length % meta.piece_length, 0);
    let (seed, mut seed_events) =
        seeder_with(&torrent, &tmp.path().join("seed"), meta.info_hash).await;

    let (leech, mut events) = engine().await;
    let h = add(
        &leech,
        &torrent,
        &tmp.path().join("leech"),
        vec![addr(&seed)],
    )
    .await;
    wait_finished(&mut events, h).await;
    assert!(std::fs::read(tmp.path().join("leech/movie.bin")).unwrap() == data);
    // The seeder was reached on its port (the status bar's mark); the leecher only dialled.
    wait_snapshot(
        &mut seed_events,
        "the seeder to count its incoming peer",
        |s| s.incoming_connections > 0,
    )
    .await;
    let s = wait_snapshot(&mut events, "the leecher's snapshot", |_| true).await;
    assert_eq!(s.incoming_connections, 0);
    leech.shutdown().await;
    seed.shutdown().await;
}

/// Two engines that dial each other at the same moment end up with one connection between
/// them, not none: both ends keep the same one of the two (before, each end kept the one
/// whose handshake finished first there, so both could go, and each then gave up the other's
/// address for good). Several rounds, since which handshake finishes first is chance.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_engines_dialling_each_other_at_once_keep_one_connection() {
    let tmp = tempfile::tempdir().unwrap();
    let data = common::random_bytes(7, 300_000);
    let files = [("", data.clone())];
    let (torrent, meta) = make_torrent(&tmp.path().join("seed"), "both.bin", &files, 16 * 1024);
    for round in 0..6 {
        let (seed, _seed_events) =
            seeder_with(&torrent, &tmp.path().join("seed"), meta.info_hash).await;
        let (leech, mut events) = engine().await;
        let dir = tmp.path().join(format!("leech{round}"));
        let h = add(&leech, &torrent, &dir, vec![]).await;
        wait_stats(&mut events, h, "the leecher to start", |t| {
            t.state == brooklet::engine::api::TorrentState::Downloading
        })
        .await;
        leech
            .send(session::Command::AddPeer(h, addr(&seed)))
            .unwrap();
        seed.send(session::Command::AddPeer(h, addr(&leech)))
            .unwrap();
        tokio::time::timeout(Duration::from_secs(30), wait_finished(&mut events, h))
            .await
            .unwrap_or_else(|_| panic!("round {round}: no connection was kept"));
        assert!(std::fs::read(dir.join("both.bin")).unwrap() == data);
        leech.shutdown().await;
        seed.shutdown().await;
    }
}

/// Whether the other end closes `s` within `within` (what it sends meanwhile is read and
/// dropped).
async fn closed_within(s: &mut TcpStream, within: Duration) -> bool {
    let deadline = tokio::time::Instant::now() + within;
    let mut buf = [0u8; 4096];
    loop {
        match tokio::time::timeout_at(deadline, s.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return true,
            Ok(Ok(_)) => {}
            Err(_) => return false,
        }
    }
}

/// A peer connected to us dials us again (or we it): of the two connections the engine keeps
/// the one opened by the side with the greater peer id, and closes the other — the rule that
/// makes both ends of a simultaneous open keep the same connection.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn of_two_connections_with_one_peer_the_one_the_greater_id_opened_stays() {
    let tmp = tempfile::tempdir().unwrap();
    let files = [("", common::random_bytes(9, 100_000))];
    let (torrent, meta) = make_torrent(&tmp.path().join("src"), "twice.bin", &files, 16 * 1024);
    for (theirs, greater) in [(PeerId([0xff; 20]), true), (PeerId([0; 20]), false)] {
        let (engine_handle, mut events) = engine().await;
        let dir = tmp.path().join(format!("dst{greater}"));
        let h = add(&engine_handle, &torrent, &dir, vec![]).await;
        wait_stats(&mut events, h, "the torrent to start", |t| {
            t.state == brooklet::engine::api::TorrentState::Downloading
        })
        .await;
        let ours = Handshake::new(meta.info_hash, theirs);
        let mut reply = [0u8; 68];
        // First: the peer dials the engine.
        let mut dialled_in = TcpStream::connect(addr(&engine_handle)).await.unwrap();
        dialled_in.write_all(&ours.encode()).await.unwrap();
        dialled_in.read_exact(&mut reply).await.unwrap();
        wait_stats(&mut events, h, "the first connection", |t| t.peers == 1).await;
        // Then the engine dials the peer.
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        engine_handle
            .send(session::Command::AddPeer(h, listener.local_addr().unwrap()))
            .unwrap();
        let (mut dialled_out, _) = listener.accept().await.unwrap();
        dialled_out.read_exact(&mut reply).await.unwrap();
        dialled_out.write_all(&ours.encode()).await.unwrap();
        let wait = Duration::from_secs(3);
        let (in_closed, out_closed) = tokio::join!(
            closed_within(&mut dialled_in, wait),
            closed_within(&mut dialled_out, wait)
        );
        // The greater id keeps what it opened: the peer's connection, else the engine's.
        assert_eq!(
            (in_closed, out_closed),
            (!greater, greater),
            "peer id greater than the engine's: {greater}"
        );
        engine_handle.shutdown().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn multi_file_download_with_empty_files_and_nested_folders() {
    let tmp = tempfile::tempdir().unwrap();
    let files = vec![
        ("a.bin", common::random_bytes(2, 700_001)),
        ("empty.txt", Vec::new()),
        ("sub/b.bin", common::random_bytes(3, 1_000_000)),
        ("sub/deeper/c.bin", common::random_bytes(4, 17)),
        ("z.bin", common::random_bytes(5, 300_000)),
    ];
    let (torrent, meta) = make_torrent(&tmp.path().join("seed"), "pack", &files, 32 * 1024);
    let (seed, _se) = seeder_with(&torrent, &tmp.path().join("seed"), meta.info_hash).await;
    let (leech, mut events) = engine().await;
    let h = add(
        &leech,
        &torrent,
        &tmp.path().join("leech"),
        vec![addr(&seed)],
    )
    .await;
    wait_finished(&mut events, h).await;
    assert_same_tree(
        &tmp.path().join("seed/pack"),
        &tmp.path().join("leech/pack"),
        &files,
    );
    leech.shutdown().await;
    seed.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_seeder_three_leechers() {
    let tmp = tempfile::tempdir().unwrap();
    let data = common::random_bytes(6, 2 * 1024 * 1024 + 1);
    let files = [("", data.clone())];
    let (torrent, meta) = make_torrent(&tmp.path().join("seed"), "f.bin", &files, 32 * 1024);
    let (seed, _se) = seeder_with(&torrent, &tmp.path().join("seed"), meta.info_hash).await;
    let mut leechers = Vec::new();
    for i in 0..3 {
        let (e, ev) = engine().await;
        let dir = tmp.path().join(format!("leech{i}"));
        let h = add(&e, &torrent, &dir, vec![addr(&seed)]).await;
        leechers.push((e, ev, h, dir));
    }
    for (_, ev, h, dir) in &mut leechers {
        wait_finished(ev, *h).await;
        assert!(std::fs::read(dir.join("f.bin")).unwrap() == data);
    }
    for (e, ..) in leechers {
        e.shutdown().await;
    }
    seed.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_partial_seeders_together_complete_one_leecher() {
    let tmp = tempfile::tempdir().unwrap();
    let piece = 32 * 1024usize;
    let data = common::random_bytes(7, piece * 30 + 999);
    let files = [("", data.clone())];
    let (torrent, meta) = make_torrent(&tmp.path().join("full"), "f.bin", &files, piece as u64);
    let mut seeders = Vec::new();
    for s in 0..3usize {
        // Seeder `s` holds the pieces whose index mod 3 == s; the others are zeroed out.
        let mut partial = data.clone();
        for (i, chunk) in partial.chunks_mut(piece).enumerate() {
            if i % 3 != s {
                chunk.fill(0);
            }
        }
        let dir = tmp.path().join(format!("part{s}"));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("f.bin"), &partial).unwrap();
        let (e, mut ev) = engine().await;
        let h = add(&e, &torrent, &dir, vec![]).await;
        // Wait for its check to end (it is downloading: incomplete).
        let deadline = tokio::time::Instant::now() + TIMEOUT;
        loop {
            if let Some(Event::Snapshot(snap)) =
                tokio::time::timeout_at(deadline, ev.recv()).await.unwrap()
                && snap
                    .torrents
                    .iter()
                    .any(|t| t.info_hash == h && t.pieces_have > 0)
            {
                let t = snap.torrents.iter().find(|t| t.info_hash == h).unwrap();
                assert!(t.pieces_have < meta.piece_count());
                break;
            }
        }
        seeders.push((e, ev));
    }
    let peers: Vec<SocketAddr> = seeders.iter().map(|(e, _)| addr(e)).collect();
    let (leech, mut events) = engine().await;
    let h = add(&leech, &torrent, &tmp.path().join("leech"), peers).await;
    wait_finished(&mut events, h).await;
    assert!(std::fs::read(tmp.path().join("leech/f.bin")).unwrap() == data);
    leech.shutdown().await;
    for (e, _) in seeders {
        e.shutdown().await;
    }
}

// ----- hostile peers ---------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Misbehaviour {
    /// Answers every request with random bytes.
    CorruptBlocks,
    /// Sends half of the first piece asked for, then disconnects.
    DisconnectMidPiece,
    /// Announces a 100 MiB message.
    OversizedMessage,
    /// Sends a bitfield of the wrong length.
    BadBitfield,
    /// Asks for a block past the end of the torrent.
    OutOfRangeRequest,
    /// Not misbehaving: libtorrent's order — extended handshake, then have-all — and good data.
    ExtendedHandshakeThenHaveAll,
}

/// A fake peer that claims to have everything and then misbehaves. Returns its address and a
/// handle resolving to true when *the other side* closed the connection.
async fn hostile_peer(
    meta: &Metainfo,
    how: Misbehaviour,
) -> (SocketAddr, tokio::task::JoinHandle<bool>) {
    fake_peer(meta, how, Vec::new()).await
}

/// A fake peer behaving as `how` says; `data` is the torrent's content for the well-behaved kind.
async fn fake_peer(
    meta: &Metainfo,
    how: Misbehaviour,
    data: Vec<u8>,
) -> (SocketAddr, tokio::task::JoinHandle<bool>) {
    let piece_length = meta.piece_length as usize;
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let info_hash = meta.info_hash;
    let pieces = meta.piece_count();
    let handle = tokio::spawn(async move {
        let Ok((mut s, _)) = listener.accept().await else {
            return false;
        };
        let mut hs = [0u8; 68];
        if s.read_exact(&mut hs).await.is_err() {
            return false;
        }
        let mut ours = Handshake::new(info_hash, PeerId::generate());
        if how != Misbehaviour::ExtendedHandshakeThenHaveAll {
            ours.reserved = [0; 8];
        }
        s.write_all(&ours.encode()).await.unwrap();
        let mut out = BytesMut::new();
        match how {
            Misbehaviour::OversizedMessage => out.put_u32(100 << 20),
            Misbehaviour::BadBitfield => {
                Message::Bitfield(vec![0xff; pieces.div_ceil(8) + 3].into()).encode(&mut out)
            }
            Misbehaviour::OutOfRangeRequest => {
                Message::Bitfield(Bitfield::new(pieces).as_bytes().to_vec().into())
                    .encode(&mut out);
                Message::Interested.encode(&mut out);
                Message::Request(wire::BlockRequest {
                    piece: pieces as u32 - 1,
                    offset: 1 << 30,
                    length: 16384,
                })
                .encode(&mut out);
            }
            _ => {
                Message::Bitfield(Bitfield::full(pieces).as_bytes().to_vec().into())
                    .encode(&mut out);
                Message::Unchoke.encode(&mut out);
            }
        }
        s.write_all(&out).await.unwrap();
        let limits = WireLimits::new(pieces as u32);
        let mut buf = BytesMut::new();
        let mut served = 0u32;
        let mut seed = 99u64;
        loop {
            match tokio::time::timeout(Duration::from_secs(30), s.read_buf(&mut buf)).await {
                Ok(Ok(0)) | Ok(Err(_)) => return true,
                Err(_) => return false,
                Ok(Ok(_)) => {}
            }
            while let Ok(Some(msg)) = wire::decode(&mut buf, &limits) {
                if let Message::Request(r) = msg {
                    let mut out = BytesMut::new();
                    match how {
                        Misbehaviour::CorruptBlocks => {
                            seed += 1;
                            let junk = common::random_bytes(seed, r.length as usize);
                            Message::Piece {
                                piece: r.piece,
                                offset: r.offset,
                                data: junk.into(),
                            }
                            .encode(&mut out);
                        }
                        Misbehaviour::DisconnectMidPiece => {
                            served += 1;
                            if served > 1 {
                                return false; // we hang up: nothing to observe
                            }
                            let junk = common::random_bytes(seed, r.length as usize);
                            Message::Piece {
                                piece: r.piece,
                                offset: r.offset,
                                data: junk.into(),
                            }
                            .encode(&mut out);
                        }
                        Misbehaviour::ExtendedHandshakeThenHaveAll => {
                            let start = r.piece as usize * piece_length + r.offset as usize;
                            let block = data[start..start + r.length as usize].to_vec();
                            Message::Piece {
                                piece: r.piece,
                                offset: r.offset,
                                data: block.into(),
                            }
                            .encode(&mut out);
                        }
                        _ => {}
                    }
                    if s.write_all(&out).await.is_err() {
                        return true;
                    }
                }
            }
        }
    });
    (addr, handle)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn corrupt_peer_is_banned_and_download_completes() {
    let tmp = tempfile::tempdir().unwrap();
    let data = common::random_bytes(8, 1024 * 1024);
    let files = [("", data.clone())];
    let (torrent, meta) = make_torrent(&tmp.path().join("seed"), "f.bin", &files, 16 * 1024);
    let (bad, bad_done) = hostile_peer(&meta, Misbehaviour::CorruptBlocks).await;
    let (leech, mut events) = engine().await;
    // The corrupt peer first, alone, so it gets to send bad pieces.
    let h = add(&leech, &torrent, &tmp.path().join("leech"), vec![bad]).await;
    let deadline = tokio::time::Instant::now() + TIMEOUT;
    loop {
        match tokio::time::timeout_at(deadline, events.recv())
            .await
            .unwrap()
            .unwrap()
        {
            Event::PeerBanned { addr, .. } => {
                assert_eq!(addr, bad);
                break;
            }
            Event::TorrentFinished { .. } => panic!("finished with corrupt data"),
            _ => {}
        }
    }
    assert!(bad_done.await.unwrap(), "the banned peer was disconnected");
    let (seed, _se) = seeder_with(&torrent, &tmp.path().join("seed"), meta.info_hash).await;
    leech
        .send(session::Command::AddPeer(h, addr(&seed)))
        .unwrap();
    wait_finished(&mut events, h).await;
    assert!(std::fs::read(tmp.path().join("leech/f.bin")).unwrap() == data);
    leech.shutdown().await;
    seed.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn peer_disconnecting_mid_piece_does_not_stop_the_download() {
    let tmp = tempfile::tempdir().unwrap();
    let data = common::random_bytes(9, 512 * 1024);
    let files = [("", data.clone())];
    let (torrent, meta) = make_torrent(&tmp.path().join("seed"), "f.bin", &files, 64 * 1024);
    let (flaky, flaky_done) = hostile_peer(&meta, Misbehaviour::DisconnectMidPiece).await;
    let (leech, mut events) = engine().await;
    let h = add(&leech, &torrent, &tmp.path().join("leech"), vec![flaky]).await;
    flaky_done.await.unwrap();
    let (seed, _se) = seeder_with(&torrent, &tmp.path().join("seed"), meta.info_hash).await;
    leech
        .send(session::Command::AddPeer(h, addr(&seed)))
        .unwrap();
    wait_finished(&mut events, h).await;
    assert!(std::fs::read(tmp.path().join("leech/f.bin")).unwrap() == data);
    leech.shutdown().await;
    seed.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn protocol_violators_are_dropped_while_the_download_goes_on() {
    let tmp = tempfile::tempdir().unwrap();
    let data = common::random_bytes(10, 768 * 1024);
    let files = [("", data.clone())];
    let (torrent, meta) = make_torrent(&tmp.path().join("seed"), "f.bin", &files, 32 * 1024);
    let (seed, _se) = seeder_with(&torrent, &tmp.path().join("seed"), meta.info_hash).await;
    let mut hostile = Vec::new();
    for how in [
        Misbehaviour::OversizedMessage,
        Misbehaviour::BadBitfield,
        Misbehaviour::OutOfRangeRequest,
    ] {
        hostile.push((how, hostile_peer(&meta, how).await));
    }
    let mut peers: Vec<SocketAddr> = hostile.iter().map(|(_, (a, _))| *a).collect();
    peers.push(addr(&seed));
    let (leech, mut events) = engine().await;
    let h = add(&leech, &torrent, &tmp.path().join("leech"), peers).await;
    for (how, (_, done)) in hostile {
        assert!(
            done.await.unwrap(),
            "{how:?}: the violator was not disconnected"
        );
    }
    wait_finished(&mut events, h).await;
    assert!(std::fs::read(tmp.path().join("leech/f.bin")).unwrap() == data);
    leech.shutdown().await;
    seed.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn handshake_for_an_unknown_torrent_is_closed() {
    let (e, _ev) = engine().await;
    let mut s = TcpStream::connect(addr(&e)).await.unwrap();
    let hs = Handshake::new(InfoHash([7; 20]), PeerId::generate());
    s.write_all(&hs.encode()).await.unwrap();
    let mut buf = [0u8; 68];
    let n = tokio::time::timeout(Duration::from_secs(10), s.read(&mut buf))
        .await
        .unwrap()
        .unwrap_or(0);
    assert_eq!(
        n, 0,
        "the session answered a handshake for a torrent it does not serve"
    );
    e.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn removing_a_torrent_with_its_data_deletes_only_its_files() {
    let tmp = tempfile::tempdir().unwrap();
    let files = vec![
        ("a.bin", common::random_bytes(11, 100_000)),
        ("sub/b.bin", common::random_bytes(12, 50_000)),
    ];
    let (torrent, meta) = make_torrent(&tmp.path().join("seed"), "pack", &files, 16 * 1024);
    std::fs::write(tmp.path().join("seed/unrelated.txt"), b"keep me").unwrap();
    let (e, mut events) = seeder_with(&torrent, &tmp.path().join("seed"), meta.info_hash).await;
    e.send(session::Command::Remove {
        info_hash: meta.info_hash,
        delete_data: true,
    })
    .unwrap();
    let deadline = tokio::time::Instant::now() + TIMEOUT;
    loop {
        match tokio::time::timeout_at(deadline, events.recv())
            .await
            .unwrap()
            .unwrap()
        {
            Event::TorrentRemoved { info_hash } if info_hash == meta.info_hash => break,
            Event::TorrentError { message, .. } => panic!("{message}"),
            _ => {}
        }
    }
    assert!(
        !tmp.path().join("seed/pack").exists(),
        "the torrent's folder is gone"
    );
    assert_eq!(
        std::fs::read(tmp.path().join("seed/unrelated.txt")).unwrap(),
        b"keep me"
    );
    e.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_seed_sending_its_extended_handshake_before_have_all_is_downloaded_from() {
    // libtorrent's order: BEP 10 handshake first, then BEP 6 have-all. Both are legal.
    let tmp = tempfile::tempdir().unwrap();
    let data = common::random_bytes(13, 300_000);
    let files = [("", data.clone())];
    let (torrent, meta) = make_torrent(&tmp.path().join("seed"), "f.bin", &files, 32 * 1024);
    let (peer, _done) = fake_peer(
        &meta,
        Misbehaviour::ExtendedHandshakeThenHaveAll,
        data.clone(),
    )
    .await;
    let (leech, mut events) = engine().await;
    let h = add(&leech, &torrent, &tmp.path().join("leech"), vec![peer]).await;
    wait_finished(&mut events, h).await;
    assert!(std::fs::read(tmp.path().join("leech/f.bin")).unwrap() == data);
    leech.shutdown().await;
}
