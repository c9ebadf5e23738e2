//! Magnet links on 127.0.0.1: the metadata comes from peers (BEP 9/10) and is checked against
//! the info-hash, peers come from the link (`x.pe`) or from the DHT (BEP 5), a peer that sends
//! metadata failing the hash is dropped, and the torrent is kept so a restart needs no swarm.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use brooklet::engine::InfoHash;
use brooklet::engine::api::{AddTorrent, Event, TorrentSource};
use brooklet::engine::dht::{self, DhtConfig};
use brooklet::engine::metainfo::Metainfo;
use brooklet::engine::peer::extension::ExtHandshake;
use brooklet::engine::peer::metadata::MetadataMsg;
use brooklet::engine::peer::wire::{self, Handshake, Message, WireLimits};
use brooklet::engine::peer_id::PeerId;
use brooklet::engine::session::{self, Config, EngineHandle, EventReceiver};
use bytes::BytesMut;
use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

mod common;

use common::engine::*;

fn magnet(h: InfoHash, extra: &str) -> String {
    format!("magnet:?xt=urn:btih:{}{extra}", h.to_hex())
}

async fn add_magnet(engine: &EngineHandle, uri: &str, dir: &Path) -> InfoHash {
    std::fs::create_dir_all(dir).unwrap();
    let add = AddTorrent::new(TorrentSource::Magnet(uri.to_owned()), dir);
    engine.add_torrent(add).await.unwrap()
}

/// Waits for the metadata, then for the end of the download; returns the file list announced.
async fn wait_metadata_then_finished(events: &mut EventReceiver, h: InfoHash) -> Vec<String> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(90);
    let mut files = None;
    loop {
        let ev = tokio::time::timeout_at(deadline, events.recv())
            .await
            .expect("the magnet did not finish in time")
            .expect("engine stopped");
        match ev {
            Event::MetadataReceived {
                info_hash,
                files: f,
                ..
            } if info_hash == h => {
                files = Some(f.iter().map(|f| f.path.display().to_string()).collect());
            }
            Event::TorrentFinished { info_hash } if info_hash == h => {
                return files.expect("finished before the metadata was announced");
            }
            Event::TorrentError { message, .. } => panic!("torrent error: {message}"),
            _ => {}
        }
    }
}

/// The end of a hostile-peer test: an honest seeder of `torrent` is added to magnet `h`, and
/// the download must complete with `data` in `dir/file`. Shuts both engines down.
#[allow(clippy::too_many_arguments)]
async fn an_honest_seeder_completes(
    leech: EngineHandle,
    events: &mut EventReceiver,
    h: InfoHash,
    torrent: &[u8],
    seed_dir: &Path,
    dir: &Path,
    file: &str,
    data: &[u8],
) {
    let (seed, _se) = seeder_with(torrent, seed_dir, h).await;
    leech
        .send(brooklet::engine::session::Command::AddPeer(h, addr(&seed)))
        .unwrap();
    wait_metadata_then_finished(events, h).await;
    assert!(
        std::fs::read(dir.join(file)).unwrap() == data,
        "{file} differs"
    );
    leech.shutdown().await;
    seed.shutdown().await;
}

/// A bare DHT node on 127.0.0.1 joining through `bootstrap`: no BEP 42 (every node shares the
/// address) and rate limits that a swarm of test nodes on one IP cannot hit.
async fn loopback_node(bootstrap: Vec<String>) -> dht::Dht {
    dht::spawn(DhtConfig {
        bind: "127.0.0.1:0".parse().unwrap(),
        bootstrap,
        loopback_only: true,
        enforce_node_id_rules: false,
        query_rate_per_ip: 100_000,
        query_rate_global: 100_000,
        query_timeout: Duration::from_secs(1),
        ..DhtConfig::default()
    })
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_magnet_with_a_peer_address_fetches_metadata_and_data_and_keeps_the_torrent() {
    let tmp = tempfile::tempdir().unwrap();
    let files = [
        ("one.bin", common::random_bytes(31, 700_000)),
        ("sub/two.bin", common::random_bytes(32, 1_300_000)),
    ];
    let (torrent, meta) = make_torrent(&tmp.path().join("seed"), "pack", &files, 32 * 1024);
    let (seed, _se) = seeder_with(&torrent, &tmp.path().join("seed"), meta.info_hash).await;

    let state = tmp.path().join("state");
    std::fs::create_dir_all(&state).unwrap();
    let (leech, mut events) = session::spawn(Config {
        state_dir: Some(state.clone()),
        ..config()
    })
    .await
    .unwrap();
    let uri = magnet(
        meta.info_hash,
        &format!(
            "&dn=pack&x.pe={}&ws=http%3A%2F%2F127.0.0.1%3A9%2Fpack",
            addr(&seed)
        ),
    );
    let dir = tmp.path().join("leech");
    let h = add_magnet(&leech, &uri, &dir).await;
    assert_eq!(h, meta.info_hash);
    let listed = wait_metadata_then_finished(&mut events, h).await;
    assert_eq!(listed, vec!["pack/one.bin", "pack/sub/two.bin"]);
    for (rel, data) in &files {
        assert!(
            std::fs::read(dir.join("pack").join(rel)).unwrap() == *data,
            "{rel} differs"
        );
    }
    // The torrent is kept: same info-hash, the link's name did not replace the real one.
    let kept = std::fs::read(
        state
            .join("torrents")
            .join(format!("{}.torrent", h.to_hex())),
    )
    .expect("the .torrent of the magnet is kept");
    let kept = Metainfo::from_bytes(&kept).unwrap();
    assert_eq!(kept.info_hash, h);
    assert_eq!(kept.files.len(), meta.files.len());
    // The link's web seed is kept with it (BEP 19 url-list).
    assert_eq!(kept.web_seeds, ["http://127.0.0.1:9/pack"]);
    leech.shutdown().await;
    seed.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bare_info_hash_finds_its_seeder_through_the_dht() {
    let tmp = tempfile::tempdir().unwrap();
    let data = common::random_bytes(41, 1_500_000);
    let (torrent, meta) = make_torrent(
        &tmp.path().join("seed"),
        "solo.bin",
        &[("", data.clone())],
        64 * 1024,
    );

    // A DHT node of our own on 127.0.0.1 is the only router both engines know.
    let router = loopback_node(Vec::new()).await;
    let with_dht = || Config {
        dht: true,
        dht_bootstrap: vec![router.local_addr().to_string()],
        dht_enforce_node_id: false,
        ..config()
    };
    let (seed, mut seed_events) = session::spawn(with_dht()).await.unwrap();
    add(&seed, &torrent, &tmp.path().join("seed"), vec![]).await;
    wait_seeding(&mut seed_events, meta.info_hash).await;

    let (leech, mut events) = session::spawn(with_dht()).await.unwrap();
    let dir = tmp.path().join("leech");
    let h = add_magnet(&leech, &magnet(meta.info_hash, ""), &dir).await;
    wait_metadata_then_finished(&mut events, h).await;
    assert!(std::fs::read(dir.join("solo.bin")).unwrap() == data);
    leech.shutdown().await;
    seed.shutdown().await;
    router.shutdown().await;
}

/// A peer that offers the metadata of `info` with one byte flipped; returns whether we
/// closed the connection on it after it answered.
async fn lying_metadata_peer(
    info_hash: InfoHash,
    info: Vec<u8>,
    wrong_size: bool,
) -> (SocketAddr, tokio::task::JoinHandle<bool>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let handle = tokio::spawn(async move {
        let Ok((mut s, _)) = listener.accept().await else {
            return false;
        };
        let mut hs = [0u8; 68];
        s.read_exact(&mut hs).await.unwrap();
        s.write_all(&Handshake::new(info_hash, PeerId::generate()).encode())
            .await
            .unwrap();
        let mut forged = info.clone();
        let last = forged.len() - 2;
        forged[last] ^= 0x01;
        if wrong_size {
            forged.extend_from_slice(&[b'e'; 100]);
        }
        let ours = ExtHandshake {
            ut_metadata: Some(7),
            metadata_size: Some(forged.len() as u64),
            ..ExtHandshake::default()
        };
        let mut out = BytesMut::new();
        Message::Extended {
            id: 0,
            payload: ours.encode(),
        }
        .encode(&mut out);
        s.write_all(&out).await.unwrap();
        let limits = WireLimits::new(1 << 20);
        let mut buf = BytesMut::new();
        let mut their_id = None;
        let mut answered = false;
        loop {
            match tokio::time::timeout(Duration::from_secs(30), s.read_buf(&mut buf)).await {
                Ok(Ok(0)) | Ok(Err(_)) => return answered,
                Err(_) => return false,
                Ok(Ok(_)) => {}
            }
            while let Ok(Some(msg)) = wire::decode(&mut buf, &limits) {
                let Message::Extended { id, payload } = msg else {
                    continue;
                };
                if id == 0 {
                    their_id = ExtHandshake::decode(&payload).unwrap().ut_metadata;
                } else if id == 7
                    && let Ok(MetadataMsg::Request { piece }) = MetadataMsg::decode(&payload)
                {
                    let start = piece as usize * 16384;
                    let end = (start + 16384).min(forged.len());
                    let reply = MetadataMsg::Data {
                        piece,
                        total_size: forged.len() as u64,
                        data: forged[start..end].to_vec().into(),
                    };
                    let mut out = BytesMut::new();
                    Message::Extended {
                        id: their_id.unwrap(),
                        payload: reply.encode(),
                    }
                    .encode(&mut out);
                    s.write_all(&out).await.unwrap();
                    answered = true;
                }
            }
        }
    });
    (addr, handle)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_peer_sending_forged_metadata_is_dropped_and_the_real_metadata_wins() {
    let tmp = tempfile::tempdir().unwrap();
    let data = common::random_bytes(51, 400_000);
    let (torrent, meta) = make_torrent(
        &tmp.path().join("seed"),
        "true.bin",
        &[("", data.clone())],
        16 * 1024,
    );
    let (liar, liar_done) =
        lying_metadata_peer(meta.info_hash, meta.info_bytes.clone(), false).await;
    let (leech, mut events) = engine().await;
    let dir = tmp.path().join("leech");
    // Only the liar at first: its metadata must fail the hash.
    let h = add_magnet(
        &leech,
        &magnet(meta.info_hash, &format!("&x.pe={liar}")),
        &dir,
    )
    .await;
    let dropped = tokio::time::timeout(Duration::from_secs(30), liar_done)
        .await
        .unwrap()
        .unwrap();
    assert!(
        dropped,
        "the liar was not disconnected after its forged metadata"
    );
    // Then an honest seeder: the download completes with the real torrent.
    an_honest_seeder_completes(
        leech,
        &mut events,
        h,
        &torrent,
        &tmp.path().join("seed"),
        &dir,
        "true.bin",
        &data,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_peer_claiming_a_wrong_metadata_size_cannot_stall_the_magnet() {
    let tmp = tempfile::tempdir().unwrap();
    let data = common::random_bytes(61, 300_000);
    let (torrent, meta) = make_torrent(
        &tmp.path().join("seed"),
        "size.bin",
        &[("", data.clone())],
        16 * 1024,
    );
    let (seed, _se) = seeder_with(&torrent, &tmp.path().join("seed"), meta.info_hash).await;
    let (liar, _liar_done) =
        lying_metadata_peer(meta.info_hash, meta.info_bytes.clone(), true).await;
    let (leech, mut events) = engine().await;
    let dir = tmp.path().join("leech");
    // The liar first, alone, so its size is the one adopted; the seeder a moment later.
    let h = add_magnet(
        &leech,
        &magnet(meta.info_hash, &format!("&x.pe={liar}")),
        &dir,
    )
    .await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    leech
        .send(brooklet::engine::session::Command::AddPeer(h, addr(&seed)))
        .unwrap();
    wait_metadata_then_finished(&mut events, h).await;
    assert!(std::fs::read(dir.join("size.bin")).unwrap() == data);
    leech.shutdown().await;
    seed.shutdown().await;
}

/// A DHT of 50 of our nodes on 127.0.0.1 (48 bare nodes in a chain, plus the seeder's and the
/// leecher's engines joining at opposite ends): the seeder announces, the leecher with only the
/// info-hash finds it, fetches the metadata and downloads byte-identical data.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bare_info_hash_is_found_across_a_50_node_dht() {
    let tmp = tempfile::tempdir().unwrap();
    let data = common::random_bytes(91, 900_000);
    let (torrent, meta) = make_torrent(
        &tmp.path().join("seed"),
        "far.bin",
        &[("", data.clone())],
        32 * 1024,
    );
    let mut nodes: Vec<dht::Dht> = Vec::new();
    for _ in 0..48 {
        let bootstrap = nodes
            .last()
            .map(|n: &dht::Dht| vec![n.local_addr().to_string()])
            .unwrap_or_default();
        let node = loopback_node(bootstrap).await;
        nodes.push(node);
    }
    let joined = tokio::time::timeout(Duration::from_secs(30), async {
        for node in &nodes {
            while node.stats().await.nodes < 2 {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
    })
    .await;
    assert!(joined.is_ok(), "the 48 DHT nodes did not join each other");
    let with_dht = |via: &dht::Dht| Config {
        dht: true,
        dht_bootstrap: vec![via.local_addr().to_string()],
        dht_enforce_node_id: false,
        ..config()
    };
    let (seed, mut seed_events) = session::spawn(with_dht(&nodes[0])).await.unwrap();
    add(&seed, &torrent, &tmp.path().join("seed"), vec![]).await;
    wait_seeding(&mut seed_events, meta.info_hash).await;
    // The leecher starts once the seeder's announce is stored somewhere: before that a lookup
    // can only come back empty, and the next one is a minute away (a race that made this test
    // time out now and then, not the search it means to test).
    let announced = tokio::time::timeout(Duration::from_secs(30), async {
        loop {
            for node in &nodes {
                if node.stats().await.stored_peers > 0 {
                    return;
                }
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await;
    assert!(
        announced.is_ok(),
        "the seeder's announce reached no DHT node"
    );

    let (leech, mut events) = session::spawn(with_dht(&nodes[47])).await.unwrap();
    let dir = tmp.path().join("leech");
    let h = add_magnet(&leech, &magnet(meta.info_hash, ""), &dir).await;
    wait_metadata_then_finished(&mut events, h).await;
    assert!(std::fs::read(dir.join("far.bin")).unwrap() == data);
    leech.shutdown().await;
    seed.shutdown().await;
    for node in &nodes {
        node.shutdown().await;
    }
}

/// An info dictionary of ~26 KiB (1,280 piece hashes) travels as two BEP 9 pieces.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metadata_larger_than_one_16_kib_piece_is_assembled() {
    let tmp = tempfile::tempdir().unwrap();
    let data = common::random_bytes(92, 20 * 1024 * 1024);
    let (torrent, meta) = make_torrent(
        &tmp.path().join("seed"),
        "big-meta.bin",
        &[("", data.clone())],
        16 * 1024,
    );
    assert!(
        meta.info_bytes.len() > 16 * 1024,
        "the test needs metadata of more than one piece"
    );
    let (seed, _se) = seeder_with(&torrent, &tmp.path().join("seed"), meta.info_hash).await;
    let (leech, mut events) = engine().await;
    let dir = tmp.path().join("leech");
    let h = add_magnet(
        &leech,
        &magnet(meta.info_hash, &format!("&x.pe={}", addr(&seed))),
        &dir,
    )
    .await;
    wait_metadata_then_finished(&mut events, h).await;
    assert!(std::fs::read(dir.join("big-meta.bin")).unwrap() == data);
    leech.shutdown().await;
    seed.shutdown().await;
}

/// A peer whose extended handshake is not a valid dictionary is dropped; the magnet still gets
/// its metadata and data from an honest seeder.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_malformed_extended_handshake_drops_the_peer_not_the_magnet() {
    let tmp = tempfile::tempdir().unwrap();
    let data = common::random_bytes(93, 300_000);
    let (torrent, meta) = make_torrent(
        &tmp.path().join("seed"),
        "hs.bin",
        &[("", data.clone())],
        16 * 1024,
    );
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let bad = listener.local_addr().unwrap();
    let info_hash = meta.info_hash;
    let bad_peer = tokio::spawn(async move {
        let (mut s, _) = listener.accept().await.unwrap();
        let mut hs = [0u8; 68];
        s.read_exact(&mut hs).await.unwrap();
        s.write_all(&Handshake::new(info_hash, PeerId::generate()).encode())
            .await
            .unwrap();
        let mut out = BytesMut::new();
        Message::Extended {
            id: 0,
            // A dictionary cut short, then a key with a value of the wrong type.
            payload: bytes::Bytes::from_static(b"d1:md11:ut_metadatai1ee13:metadata_size3:abce"),
        }
        .encode(&mut out);
        Message::Extended {
            id: 0,
            payload: bytes::Bytes::from_static(b"d1:mli1ee"),
        }
        .encode(&mut out);
        s.write_all(&out).await.unwrap();
        // The engine must close the connection.
        let mut buf = vec![0u8; 4096];
        loop {
            match tokio::time::timeout(Duration::from_secs(30), s.read(&mut buf)).await {
                Ok(Ok(0)) | Ok(Err(_)) => return true,
                Ok(Ok(_)) => {}
                Err(_) => return false,
            }
        }
    });
    let (leech, mut events) = engine().await;
    let dir = tmp.path().join("leech");
    let h = add_magnet(
        &leech,
        &magnet(meta.info_hash, &format!("&x.pe={bad}")),
        &dir,
    )
    .await;
    let closed = tokio::time::timeout(Duration::from_secs(40), bad_peer)
        .await
        .unwrap()
        .unwrap();
    assert!(
        closed,
        "the peer with a malformed extended handshake was kept"
    );
    an_honest_seeder_completes(
        leech,
        &mut events,
        h,
        &torrent,
        &tmp.path().join("seed"),
        &dir,
        "hs.bin",
        &data,
    )
    .await;
}

/// BEP 53: `so=1` downloads only the second file; the others are never created.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_magnets_file_selection_downloads_only_the_selected_file() {
    let tmp = tempfile::tempdir().unwrap();
    // Each file is exactly two pieces, so no piece is shared between files.
    let files = [
        ("a.bin", common::random_bytes(94, 32 * 1024)),
        ("b.bin", common::random_bytes(95, 32 * 1024)),
        ("c.bin", common::random_bytes(96, 32 * 1024)),
    ];
    let (torrent, meta) = make_torrent(&tmp.path().join("seed"), "sel", &files, 16 * 1024);
    let (seed, _se) = seeder_with(&torrent, &tmp.path().join("seed"), meta.info_hash).await;
    let (leech, mut events) = engine().await;
    let dir = tmp.path().join("leech");
    let h = add_magnet(
        &leech,
        &magnet(meta.info_hash, &format!("&so=1&x.pe={}", addr(&seed))),
        &dir,
    )
    .await;
    wait_metadata_then_finished(&mut events, h).await;
    assert!(std::fs::read(dir.join("sel/b.bin")).unwrap() == files[1].1);
    assert!(
        !dir.join("sel/a.bin").exists(),
        "a skipped file was created"
    );
    assert!(
        !dir.join("sel/c.bin").exists(),
        "a skipped file was created"
    );
    leech.shutdown().await;
    seed.shutdown().await;
}

/// BEP 27: a private torrent is never announced to the DHT, while a public one added to the
/// same engine is (the control that shows the test could fail).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_private_torrent_never_goes_to_the_dht() {
    use brooklet::engine::create::{CreateOptions, CreationDate, create};
    use brooklet::engine::storage::check::HashProgress;
    let tmp = tempfile::tempdir().unwrap();
    let seed_dir = tmp.path().join("seed");
    std::fs::create_dir_all(&seed_dir).unwrap();
    let make = |name: &str, private: bool| {
        let path = seed_dir.join(name);
        std::fs::write(&path, common::random_bytes(97, 100_000)).unwrap();
        let mut opts = CreateOptions::new(&path);
        opts.piece_length = Some(16 * 1024);
        opts.creation_date = CreationDate::Omit;
        opts.private = private;
        create(&opts, &HashProgress::default()).unwrap()
    };
    let secret = make("secret.bin", true);
    let open = make("open.bin", false);
    assert!(secret.metainfo.private && !open.metainfo.private);

    let router = loopback_node(Vec::new()).await;
    let (seed, mut events) = session::spawn(Config {
        dht: true,
        dht_bootstrap: vec![router.local_addr().to_string()],
        dht_enforce_node_id: false,
        ..config()
    })
    .await
    .unwrap();
    add(&seed, &secret.bytes, &seed_dir, vec![]).await;
    wait_seeding(&mut events, secret.metainfo.info_hash).await;
    // Long enough for an announce to land: the public torrent below shows it takes well under.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let mut found = router.get_peers(secret.metainfo.info_hash);
    let mut leaked = Vec::new();
    while let Ok(Some(batch)) = tokio::time::timeout(Duration::from_secs(5), found.recv()).await {
        leaked.extend(batch);
    }
    assert!(
        leaked.is_empty(),
        "the private torrent was announced: {leaked:?}"
    );
    assert_eq!(router.stats().await.stored_peers, 0);

    add(&seed, &open.bytes, &seed_dir, vec![]).await;
    let announced = tokio::time::timeout(Duration::from_secs(20), async {
        while router.stats().await.stored_peers == 0 {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await;
    assert!(
        announced.is_ok(),
        "the public torrent was not announced either"
    );
    seed.shutdown().await;
    router.shutdown().await;
}
