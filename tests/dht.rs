//! The DHT (BEP 5) end to end on 127.0.0.1: a swarm of our own nodes finding an announced peer,
//! hostile datagrams, saved state, the loopback-only guard, and interop with libtorrent.
//!
//! Every wait is an event or a condition polled under a timeout; nothing asserts after a sleep.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use brooklet::engine::InfoHash;
use brooklet::engine::dht::krpc::{self, Body, CompactNode, Message, Query, Response};
use brooklet::engine::dht::{self, Dht, DhtConfig, DhtStats};
use std::collections::HashSet;
use std::future::Future;
use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4};
use std::time::Duration;
use tokio::net::UdpSocket;
use tokio::time::timeout;

/// A node on 127.0.0.1 for tests: no BEP 42 (all share one IP), generous rate limits, short
/// query timeouts.
fn config(bootstrap: &[SocketAddr]) -> DhtConfig {
    DhtConfig {
        bind: "127.0.0.1:0".parse().unwrap(),
        bootstrap: bootstrap.iter().map(ToString::to_string).collect(),
        loopback_only: true,
        saved: None,
        enforce_node_id_rules: false,
        query_rate_per_ip: 100_000,
        query_rate_global: 100_000,
        query_timeout: Duration::from_secs(1),
        ..DhtConfig::default()
    }
}

/// Polls `check` on the node's stats until it holds, or panics after `secs`.
async fn wait_for_stats(node: &Dht, secs: u64, what: &str, check: impl Fn(&DhtStats) -> bool) {
    let result = timeout(Duration::from_secs(secs), async {
        loop {
            let stats = node.stats().await;
            if check(&stats) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await;
    if result.is_err() {
        panic!(
            "timed out waiting for {what}; stats: {:?}",
            node.stats().await
        );
    }
}

/// Runs get_peers lookups until one reports `peer`, or panics after `secs`.
async fn find_peer(node: &Dht, info_hash: InfoHash, peer: SocketAddr, secs: u64) {
    let found = timeout(Duration::from_secs(secs), async {
        loop {
            let mut rx = node.get_peers(info_hash);
            while let Some(batch) = rx.recv().await {
                if batch.contains(&peer) {
                    return;
                }
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await;
    assert!(
        found.is_ok(),
        "{peer} not found within {secs} s; stats: {:?}",
        node.stats().await
    );
}

/// Drains a lookup's channel until it closes (the lookup ended), within `secs`.
async fn drain(mut rx: tokio::sync::mpsc::Receiver<Vec<SocketAddr>>, secs: u64) -> Vec<SocketAddr> {
    let mut all = Vec::new();
    timeout(Duration::from_secs(secs), async {
        while let Some(batch) = rx.recv().await {
            all.extend(batch);
        }
    })
    .await
    .expect("lookup did not end in time");
    all
}

async fn with_timeout<T>(secs: u64, what: &str, f: impl Future<Output = T>) -> T {
    timeout(Duration::from_secs(secs), f)
        .await
        .unwrap_or_else(|_| panic!("timed out: {what}"))
}

/// `n` nodes, each bootstrapped from the one before it (a chain).
async fn chain(n: usize) -> Vec<Dht> {
    let mut nodes: Vec<Dht> = Vec::new();
    for _ in 0..n {
        let bootstrap: Vec<SocketAddr> = nodes.last().map(Dht::local_addr).into_iter().collect();
        nodes.push(dht::spawn(config(&bootstrap)).await.unwrap());
    }
    for node in &nodes {
        wait_for_stats(node, 10, "a node to join", |s| s.nodes >= 2).await;
    }
    nodes
}

async fn shutdown_all(nodes: &[Dht]) {
    for node in nodes {
        with_timeout(5, "shutdown", node.shutdown()).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn announced_peer_is_found_by_a_distant_node_in_a_20_node_swarm() {
    let nodes = chain(20).await;
    let a = &nodes[0];
    let z = &nodes[19];
    let info_hash = InfoHash([0x5A; 20]);
    let port = 40_001;

    drain(a.announce(info_hash, port), 20).await;
    let peer: SocketAddr = (Ipv4Addr::LOCALHOST, port).into();
    find_peer(z, info_hash, peer, 10).await;

    // Several nodes store it, and a lookup for something else finds nothing.
    with_timeout(5, "two nodes to store the announce", async {
        loop {
            let mut storing = 0;
            for node in &nodes {
                storing += usize::from(node.stats().await.stored_peers > 0);
            }
            if storing >= 2 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await;
    let other = drain(z.get_peers(InfoHash([0x11; 20])), 20).await;
    assert!(other.is_empty(), "{other:?}");

    // announce with port 0 uses the UDP source port (implied_port).
    let implied = InfoHash([0x77; 20]);
    drain(nodes[5].announce(implied, 0), 20).await;
    find_peer(&nodes[12], implied, nodes[5].local_addr(), 10).await;
    shutdown_all(&nodes).await;
}

/// A raw KRPC ping with transaction id `tid`.
fn ping(tid: &[u8]) -> Vec<u8> {
    krpc::encode(&Message {
        tid: tid.to_vec(),
        body: Body::Query {
            id: [0x42; 20],
            query: Query::Ping,
        },
        ip: None,
    })
}

/// Receives datagrams on `socket` until one decodes as a message with `tid`.
async fn reply_to(socket: &UdpSocket, tid: &[u8]) -> Message {
    with_timeout(5, "a reply", async {
        let mut buf = vec![0u8; 4096];
        loop {
            let (n, _) = socket.recv_from(&mut buf).await.unwrap();
            eprintln!(
                "DEBUG got {:?} {:?}",
                String::from_utf8_lossy(&buf[..n]),
                krpc::decode(&buf[..n])
            );
            if let Ok(msg) = krpc::decode(&buf[..n])
                && msg.tid == tid
            {
                return msg;
            }
        }
    })
    .await
}

#[tokio::test]
async fn hostile_datagrams_are_dropped_and_the_node_still_answers() {
    let node = dht::spawn(config(&[])).await.unwrap();
    let target = node.local_addr();
    let hostile = UdpSocket::bind("127.0.0.1:0").await.unwrap();
    let mut garbage: Vec<Vec<u8>> = vec![
        b"".to_vec(),
        b"d".to_vec(),
        b"\xff\x00\x13garbage".to_vec(),
        b"li1ei2ee".to_vec(),
        b"i42e".to_vec(),
        format!("{}{}", "l".repeat(5000), "e".repeat(5000)).into_bytes(),
        vec![b'x'; 60_000],
        b"d1:rd2:id20:abcdefghij01234567895:nodes5:shorte1:t2:aa1:y1:re".to_vec(),
        b"d1:rd2:id20:abcdefghij0123456789e1:t2:zz1:y1:re".to_vec(), // unknown transaction
        b"d1:ad2:id3:abce1:q4:ping1:t2:e11:y1:qe".to_vec(),           // short id
        b"d1:ad2:id20:abcdefghij0123456789e1:q4:nope1:t2:e21:y1:qe".to_vec(),
        b"d1:ad2:id20:abcdefghij01234567899:info_hash20:abcdefghij01234567894:porti1e5:token3:bade1:q13:announce_peer1:t2:e31:y1:qe".to_vec(),
    ];
    let mut huge = b"d1:rd2:id20:abcdefghij01234567896:valuesl".to_vec();
    for _ in 0..400 {
        huge.extend_from_slice(b"6:\x7f\x00\x00\x01\x1a\xe1");
    }
    huge.extend_from_slice(b"ee1:t2:aa1:y1:re");
    garbage.push(huge);
    // Rounds of garbage, each followed by a ping whose answer shows the node is alive (and paces
    // the rounds so the kernel does not drop datagrams).
    const ROUNDS: usize = 20;
    for round in 0..ROUNDS {
        for g in &garbage {
            hostile.send_to(g, target).await.unwrap();
        }
        // Malformed queries with a readable transaction id get KRPC errors 203 and 204, and an
        // announce with a forged token is refused.
        for (tid, expected) in [
            (b"e1", krpc::ERROR_PROTOCOL),
            (b"e2", krpc::ERROR_METHOD_UNKNOWN),
            (b"e3", krpc::ERROR_PROTOCOL),
        ] {
            let Body::Error { code, .. } = reply_to(&hostile, tid).await.body else {
                panic!("expected an error reply")
            };
            assert_eq!(code, expected);
        }
        // A real ping is still answered, with our id and the BEP 42 `ip` field.
        let tid = [b'o', round as u8];
        hostile.send_to(&ping(&tid), target).await.unwrap();
        let reply = reply_to(&hostile, &tid).await;
        let Body::Response(r) = reply.body else {
            panic!("expected a response, got {reply:?}")
        };
        assert_eq!(r.id, node.node_id());
        assert_eq!(
            reply.ip.map(SocketAddr::V4),
            Some(hostile.local_addr().unwrap())
        );
    }
    let stats = node.stats().await;
    assert!(stats.malformed_dropped >= (ROUNDS * 10) as u64, "{stats:?}");
    assert!(
        stats.unmatched_responses >= (ROUNDS * 2) as u64,
        "{stats:?}"
    );
    assert_eq!(stats.stored_peers, 0);
    node.shutdown().await;
}

#[tokio::test]
async fn queries_over_the_per_ip_rate_are_dropped() {
    let node = dht::spawn(DhtConfig {
        query_rate_per_ip: 5,
        ..config(&[])
    })
    .await
    .unwrap();
    let client = UdpSocket::bind("127.0.0.1:0").await.unwrap();
    for i in 0..100u8 {
        client
            .send_to(&ping(&[b'p', i]), node.local_addr())
            .await
            .unwrap();
    }
    wait_for_stats(&node, 5, "100 packets in", |s| s.packets_in >= 100).await;
    let stats = node.stats().await;
    assert!(stats.rate_limited >= 80, "{stats:?}");
    assert!(stats.packets_out <= 20, "{stats:?}");
    node.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_node_restarted_from_saved_state_rejoins_without_bootstrap() {
    let nodes = chain(6).await;
    let info_hash = InfoHash([0xC3; 20]);
    drain(nodes[0].announce(info_hash, 40_002), 20).await;

    let leaving = &nodes[5];
    let state = leaving.save_state().await;
    assert_eq!(state.node_id, leaving.node_id());
    assert!(state.nodes.len() >= 2, "{state:?}");
    leaving.shutdown().await;

    // Through JSON, as the session file would keep it.
    let json = serde_json::to_string(&state).unwrap();
    let restored = dht::spawn(DhtConfig {
        saved: Some(serde_json::from_str(&json).unwrap()),
        ..config(&[])
    })
    .await
    .unwrap();
    assert_eq!(restored.node_id(), state.node_id);
    wait_for_stats(&restored, 10, "the restored node to rejoin", |s| {
        s.nodes >= 2
    })
    .await;
    find_peer(
        &restored,
        info_hash,
        (Ipv4Addr::LOCALHOST, 40_002).into(),
        10,
    )
    .await;
    restored.shutdown().await;
    shutdown_all(&nodes[..5]).await;
}

/// A scripted node on a raw socket: answers every query with `nodes` and `values`. Returns the
/// kinds of query it saw and how many datagrams it received.
async fn fake_node(
    socket: UdpSocket,
    nodes: Vec<CompactNode>,
    values: Vec<SocketAddrV4>,
) -> (HashSet<String>, u64) {
    let mut seen = HashSet::new();
    let mut received = 0;
    let mut buf = vec![0u8; 4096];
    while let Ok(Ok((n, from))) = timeout(Duration::from_secs(3), socket.recv_from(&mut buf)).await
    {
        received += 1;
        let Ok(msg) = krpc::decode(&buf[..n]) else {
            continue;
        };
        let Body::Query { query, .. } = msg.body else {
            continue;
        };
        seen.insert(
            format!("{query:?}")
                .split([' ', '{'])
                .next()
                .unwrap()
                .to_owned(),
        );
        let reply = Message {
            tid: msg.tid,
            body: Body::Response(Response {
                id: [0x99; 20],
                nodes: nodes.clone(),
                values: values.clone(),
                token: Some(b"tk".to_vec()),
            }),
            ip: None,
        };
        socket.send_to(&krpc::encode(&reply), from).await.unwrap();
    }
    (seen, received)
}

#[tokio::test]
async fn loopback_only_never_contacts_nor_reports_outside_addresses() {
    let fake = UdpSocket::bind("127.0.0.1:0").await.unwrap();
    let fake_addr = fake.local_addr().unwrap();
    let outside = |ip: [u8; 4], port| SocketAddrV4::new(Ipv4Addr::from(ip), port);
    let nodes = vec![
        CompactNode {
            id: [0x01; 20],
            addr: outside([192, 0, 2, 5], 6881),
        },
        CompactNode {
            id: [0x02; 20],
            addr: outside([10, 0, 0, 1], 6881),
        },
    ];
    let values = vec![outside([192, 0, 2, 7], 6881), outside([127, 0, 0, 1], 5555)];
    let fake_task = tokio::spawn(fake_node(fake, nodes, values));

    let node = dht::spawn(DhtConfig {
        bootstrap: vec![
            "192.0.2.1:6881".into(),
            "router.bittorrent.com:6881".into(),
            fake_addr.to_string(),
        ],
        ..config(&[])
    })
    .await
    .unwrap();
    assert!(node.local_addr().ip().is_loopback());
    wait_for_stats(&node, 5, "the fake node in the table", |s| s.nodes == 1).await;
    let peers = drain(node.get_peers(InfoHash([0xEE; 20])), 10).await;
    assert_eq!(peers, vec![SocketAddr::from((Ipv4Addr::LOCALHOST, 5555))]);
    let stats = node.stats().await;
    // 2 bootstrap entries, 2 nodes in each of 2 responses, 1 peer.
    let expected_refusals = 2 + 2 * 2 + 1;
    assert!(stats.refused_destinations >= expected_refusals, "{stats:?}");
    assert_eq!(stats.nodes, 1, "{stats:?}");
    node.shutdown().await;
    let (seen, received) = with_timeout(10, "fake node", fake_task).await.unwrap();
    assert!(
        seen.contains("FindNode") && seen.contains("GetPeers"),
        "{seen:?}"
    );
    // Every packet the node sent reached the fake node: none went anywhere else.
    assert!(received >= stats.packets_out, "{received} {stats:?}");
}

/// A libtorrent session on 127.0.0.1 with only our node to bootstrap from; it adds the torrent
/// `argv[2]` (by info-hash) and re-announces it to the DHT every second for a minute.
const LIBTORRENT_DHT_PEER: &str = r#"
import libtorrent as lt, sys, time, tempfile
node_port = int(sys.argv[1]); ih_hex = sys.argv[2]
s = lt.session({
    'listen_interfaces': '127.0.0.1:0', 'enable_dht': True, 'enable_lsd': False,
    'enable_upnp': False, 'enable_natpmp': False,
    'dht_bootstrap_nodes': '127.0.0.1:%d' % node_port,
    'dht_restrict_routing_ips': False, 'dht_restrict_search_ips': False,
    'dht_enforce_node_id': False, 'dht_prefer_verified_node_ids': False,
    'dht_ignore_dark_internet': False,
    # All our nodes share 127.0.0.1: do not block it for querying more than 5 times a second.
    'dht_block_ratelimit': 100000,
})
atp = lt.add_torrent_params()
atp.info_hashes = lt.info_hash_t(lt.sha1_hash(bytes.fromhex(ih_hex)))
atp.save_path = tempfile.mkdtemp()
h = s.add_torrent(atp)
print('port', s.listen_port(), flush=True)
deadline = time.time() + 60
while time.time() < deadline:
    h.force_dht_announce()
    time.sleep(1)
"#;

/// Kills a child process through its handle when dropped (also when the test panics).
struct KillOnDrop(std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        common::wait_with_timeout(&mut self.0, Duration::from_secs(10));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn libtorrent_announces_through_our_node_and_we_find_its_peer() {
    if !common::require_python_libtorrent() {
        return;
    }
    let node = dht::spawn(config(&[])).await.unwrap();
    let info_hash = InfoHash([0x3C; 20]);
    let mut child = common::program(common::SYSTEM_PYTHON)
        .arg("-c")
        .arg(LIBTORRENT_DHT_PEER)
        .arg(node.local_addr().port().to_string())
        .arg(info_hash.to_hex())
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::inherit())
        .spawn()
        .expect("start python3");
    let stdout = child.stdout.take().unwrap();
    let child = KillOnDrop(child);
    let first_line = tokio::task::spawn_blocking(move || {
        use std::io::BufRead;
        let mut line = String::new();
        std::io::BufReader::new(stdout)
            .read_line(&mut line)
            .map(|_| line)
    });
    let line = with_timeout(60, "libtorrent to start", first_line)
        .await
        .unwrap()
        .unwrap();
    let lt_port: u16 = line
        .trim()
        .strip_prefix("port ")
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("unexpected first line from libtorrent: {line:?}"));

    wait_for_stats(&node, 30, "libtorrent's node in our table", |s| {
        s.nodes >= 1
    })
    .await;
    wait_for_stats(&node, 30, "libtorrent's announce", |s| s.stored_peers >= 1).await;
    let lt_peer: SocketAddr = (Ipv4Addr::LOCALHOST, lt_port).into();
    find_peer(&node, info_hash, lt_peer, 10).await;

    // The other way round: a second node joins through libtorrent's DHT (same port as its TCP
    // listener), learns our first node from libtorrent's find_node reply, and finds the peer.
    let joiner = dht::spawn(config(&[lt_peer])).await.unwrap();
    wait_for_stats(&joiner, 30, "libtorrent and our first node", |s| {
        s.nodes >= 2
    })
    .await;
    find_peer(&joiner, info_hash, lt_peer, 10).await;
    joiner.shutdown().await;
    node.shutdown().await;
    drop(child);
}
