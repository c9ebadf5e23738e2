//! The tracker clients against real sockets on 127.0.0.1: HTTP and UDP trackers written here
//! that speak the real protocols (BEP 3, BEP 23, BEP 7, BEP 48, BEP 15), the BEP 12 tier driver,
//! the loopback guard, and interop with the real `opentracker` (skipped when it is missing,
//! except under CI). Every timeout is short so the file runs in a few seconds.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use brooklet::engine::tracker::{
    AnnounceEvent, AnnounceRequest, ScrapeStats, TrackerClient, TrackerConfig, TrackerError,
    TrackerTiers, announce_tiers,
};
use brooklet::engine::{InfoHash, PeerId};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, UdpSocket};

const HASH: InfoHash = InfoHash([0x5a; 20]);
/// The UDP test tracker answers this torrent with an error action.
const UNREGISTERED: InfoHash = InfoHash([0xee; 20]);

fn config() -> TrackerConfig {
    TrackerConfig {
        http_timeout: Duration::from_secs(3),
        udp_retries: 1,
        udp_base_timeout: Duration::from_millis(500),
        loopback_only: true,
        extra_ca: None,
    }
}

fn client() -> TrackerClient {
    TrackerClient::new(config())
}

fn request(info_hash: InfoHash, port: u16) -> AnnounceRequest {
    AnnounceRequest {
        info_hash,
        // Bytes that need percent-encoding and bytes that do not.
        peer_id: PeerId(*b"-BK0100-\x00\xff %&?=abcde"),
        port,
        uploaded: 1000,
        downloaded: 2000,
        left: 12345,
        event: AnnounceEvent::Started,
        num_want: Some(25),
        key: 0xabcd,
    }
}

// ---------------------------------------------------------------------------------------------
// A small HTTP tracker.

/// What the HTTP test tracker does with one request.
enum Reply {
    /// Send these bytes and close.
    Bytes(Vec<u8>),
    /// Accept, read the request, and never answer.
    Hang,
}

/// An HTTP tracker on 127.0.0.1 that answers each connection with `respond(target, own addr)`
/// and records every request target.
struct HttpTracker {
    addr: SocketAddr,
    targets: Arc<Mutex<Vec<String>>>,
}

impl HttpTracker {
    async fn start(respond: impl Fn(&str, SocketAddr) -> Reply + Send + Sync + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let targets = Arc::new(Mutex::new(Vec::new()));
        let respond = Arc::new(respond);
        let recorded = targets.clone();
        tokio::spawn(async move {
            loop {
                let Ok((mut stream, _)) = listener.accept().await else {
                    return;
                };
                let respond = respond.clone();
                let recorded = recorded.clone();
                tokio::spawn(async move {
                    let mut head = Vec::new();
                    let mut buf = [0u8; 4096];
                    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 65536 {
                        match stream.read(&mut buf).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => head.extend_from_slice(&buf[..n]),
                        }
                    }
                    let text = String::from_utf8_lossy(&head).into_owned();
                    let first = text.lines().next().unwrap_or("").to_owned();
                    let mut parts = first.split(' ');
                    assert_eq!(parts.next(), Some("GET"), "request line {first:?}");
                    let target = parts.next().unwrap_or("").to_owned();
                    assert_eq!(parts.next(), Some("HTTP/1.1"), "request line {first:?}");
                    assert!(text.contains("\r\nHost: "), "no Host header: {text}");
                    recorded.lock().unwrap().push(target.clone());
                    match respond(&target, addr) {
                        Reply::Bytes(bytes) => {
                            let _ = stream.write_all(&bytes).await;
                            let _ = stream.shutdown().await;
                        }
                        Reply::Hang => tokio::time::sleep(Duration::from_secs(60)).await,
                    }
                });
            }
        });
        HttpTracker { addr, targets }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    fn targets(&self) -> Vec<String> {
        self.targets.lock().unwrap().clone()
    }
}

/// A 200 answer with a Content-Length.
fn ok(body: &[u8]) -> Reply {
    let mut r = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    r.extend_from_slice(body);
    Reply::Bytes(r)
}

/// The percent-decoded value of query parameter `name` in a request target.
fn param(target: &str, name: &str) -> Option<Vec<u8>> {
    let query = target.split_once('?')?.1;
    let value = query
        .split('&')
        .find_map(|kv| kv.strip_prefix(name)?.strip_prefix('='))?;
    let bytes = value.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
            out.push(u8::from_str_radix(hex, 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Some(out)
}

fn param_str(target: &str, name: &str) -> Option<String> {
    param(target, name).map(|v| String::from_utf8(v).unwrap())
}

fn compact(peers: &[([u8; 4], u16)]) -> Vec<u8> {
    let mut out = Vec::new();
    for (ip, port) in peers {
        out.extend_from_slice(ip);
        out.extend_from_slice(&port.to_be_bytes());
    }
    out
}

fn bstr(bytes: &[u8]) -> Vec<u8> {
    let mut out = format!("{}:", bytes.len()).into_bytes();
    out.extend_from_slice(bytes);
    out
}

// ---------------------------------------------------------------------------------------------
// HTTP tests.

#[tokio::test]
async fn http_compact_peers_and_request_fields() {
    let tracker = HttpTracker::start(|_, _| {
        let mut body =
            b"d8:completei4e10:incompletei6e8:intervali5e12:min intervali2e5:peers".to_vec();
        body.extend(bstr(&compact(&[
            ([127, 0, 0, 1], 6001),
            ([127, 0, 0, 2], 6002),
            ([127, 0, 0, 3], 0),
        ])));
        let mut v6 = [0u8; 18];
        v6[15] = 1;
        v6[16..].copy_from_slice(&6003u16.to_be_bytes());
        body.extend(b"6:peers6");
        body.extend(bstr(&v6));
        body.extend(b"10:tracker id3:t-1e");
        ok(&body)
    })
    .await;
    let client = client();
    let url = tracker.url("/announce?passkey=abc");
    let req = request(HASH, 6881);
    let resp = client.announce(&url, &req).await.unwrap();
    assert_eq!(resp.interval, Duration::from_secs(5));
    assert_eq!(resp.min_interval, Some(Duration::from_secs(2)));
    assert_eq!((resp.seeders, resp.leechers), (Some(4), Some(6)));
    assert_eq!(resp.tracker_id.as_deref(), Some("t-1"));
    assert_eq!(
        resp.peers,
        vec![
            "127.0.0.1:6001".parse().unwrap(),
            "127.0.0.2:6002".parse().unwrap(),
            "[::1]:6003".parse().unwrap(),
        ]
    );

    let targets = tracker.targets();
    let t = &targets[0];
    assert!(t.starts_with("/announce?passkey=abc&info_hash="), "{t}");
    assert_eq!(param(t, "info_hash").unwrap(), HASH.0);
    assert_eq!(param(t, "peer_id").unwrap(), req.peer_id.0);
    assert!(
        t.contains("peer_id=-BK0100-%00%FF%20%25%26%3F%3Dabcde&"),
        "{t}"
    );
    for (name, value) in [
        ("port", "6881"),
        ("uploaded", "1000"),
        ("downloaded", "2000"),
        ("left", "12345"),
        ("compact", "1"),
        ("no_peer_id", "1"),
        ("event", "started"),
        ("numwant", "25"),
        ("key", "0000abcd"),
    ] {
        assert_eq!(param_str(t, name).as_deref(), Some(value), "{name} in {t}");
    }
    assert_eq!(param(t, "trackerid"), None);

    // A regular announce carries no event, and echoes the tracker id (BEP 3).
    let mut again = request(HASH, 6881);
    again.event = AnnounceEvent::None;
    again.num_want = None;
    client.announce(&url, &again).await.unwrap();
    let t = &tracker.targets()[1];
    assert_eq!(param(t, "event"), None);
    assert_eq!(param(t, "numwant"), None);
    assert_eq!(param_str(t, "trackerid").as_deref(), Some("t-1"));
}

#[tokio::test]
async fn http_dictionary_peers() {
    let tracker = HttpTracker::start(|_, _| {
        ok(b"d8:intervali60e5:peersl\
            d2:ip9:127.0.0.17:peer id20:aaaaaaaaaaaaaaaaaaaa4:porti7001ee\
            d2:ip3:::14:porti7002ee\
            d2:ip9:localhost4:porti7003ee\
            d2:ip9:127.0.0.94:porti0ee\
            ee")
    })
    .await;
    let resp = client()
        .announce(&tracker.url("/announce"), &request(HASH, 1))
        .await
        .unwrap();
    assert_eq!(
        resp.peers,
        vec![
            "127.0.0.1:7001".parse().unwrap(),
            "[::1]:7002".parse().unwrap()
        ]
    );
    assert_eq!(resp.interval, Duration::from_secs(60));
}

#[tokio::test]
async fn http_failure_reason() {
    let tracker = HttpTracker::start(|target, _| {
        let body = b"d14:failure reason22:torrent not registerede";
        if target.starts_with("/bad/") {
            // Some trackers send their failure with a 4xx status.
            let mut r = format!(
                "HTTP/1.1 400 Bad Request\r\nContent-Length: {}\r\n\r\n",
                body.len()
            )
            .into_bytes();
            r.extend_from_slice(body);
            Reply::Bytes(r)
        } else {
            ok(body)
        }
    })
    .await;
    let client = client();
    for path in ["/announce", "/bad/announce"] {
        let err = client
            .announce(&tracker.url(path), &request(HASH, 1))
            .await
            .unwrap_err();
        assert_eq!(err, TrackerError::Failure("torrent not registered".into()));
        assert_eq!(err.to_string(), "tracker says: torrent not registered");
    }
}

#[tokio::test]
async fn http_garbage_is_a_bad_response() {
    let tracker = HttpTracker::start(|target, _| {
        if target.starts_with("/raw") {
            Reply::Bytes(common::random_bytes(7, 3000))
        } else {
            ok(&common::random_bytes(8, 3000))
        }
    })
    .await;
    let client = client();
    for path in ["/raw/announce", "/announce"] {
        let err = client
            .announce(&tracker.url(path), &request(HASH, 1))
            .await
            .unwrap_err();
        assert!(
            matches!(err, TrackerError::BadResponse { .. }),
            "{path}: {err:?}"
        );
    }
}

#[tokio::test]
async fn http_status_other_than_200() {
    let tracker = HttpTracker::start(|_, _| {
        Reply::Bytes(b"HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\n\r\nnot found".to_vec())
    })
    .await;
    let url = tracker.url("/announce");
    let err = client()
        .announce(&url, &request(HASH, 1))
        .await
        .unwrap_err();
    assert_eq!(
        err,
        TrackerError::HttpStatus {
            url: url.clone(),
            status: 404,
            reason: "Not Found".into()
        }
    );
    assert!(err.to_string().contains("404"));
}

#[tokio::test]
async fn http_tracker_that_never_answers_times_out() {
    let tracker = HttpTracker::start(|_, _| Reply::Hang).await;
    let client = TrackerClient::new(TrackerConfig {
        http_timeout: Duration::from_millis(300),
        ..config()
    });
    let url = tracker.url("/announce");
    let started = Instant::now();
    let err = client.announce(&url, &request(HASH, 1)).await.unwrap_err();
    assert_eq!(err, TrackerError::Timeout(url));
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(tracker.targets().len(), 1);
}

#[tokio::test]
async fn http_chunked_response() {
    let tracker = HttpTracker::start(|_, _| {
        let mut body = b"d8:intervali30e5:peers".to_vec();
        body.extend(bstr(&compact(&[
            ([127, 0, 0, 1], 6001),
            ([127, 0, 0, 1], 6002),
        ])));
        body.push(b'e');
        let mut r = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
        // Odd chunk sizes so that chunks split the peer list.
        for piece in body.chunks(7) {
            r.extend(format!("{:x}\r\n", piece.len()).bytes());
            r.extend_from_slice(piece);
            r.extend(b"\r\n");
        }
        r.extend(b"0\r\n\r\n");
        Reply::Bytes(r)
    })
    .await;
    let resp = client()
        .announce(&tracker.url("/announce"), &request(HASH, 1))
        .await
        .unwrap();
    assert_eq!(
        resp.peers,
        vec![
            "127.0.0.1:6001".parse().unwrap(),
            "127.0.0.1:6002".parse().unwrap()
        ]
    );
    assert_eq!(resp.interval, Duration::from_secs(30));
}

#[tokio::test]
async fn http_redirects() {
    let tracker = HttpTracker::start(|target, addr| {
        let redirect = |location: String| {
            Reply::Bytes(
                format!("HTTP/1.1 302 Found\r\nLocation: {location}\r\nContent-Length: 0\r\n\r\n")
                    .into_bytes(),
            )
        };
        let query = target.split_once('?').map_or("", |q| q.1);
        if target.starts_with("/old/") {
            redirect(format!("http://{addr}/new/announce?{query}"))
        } else if target.starts_with("/new/announce") {
            // Relative to the current path.
            redirect(format!("final?{query}"))
        } else if target.starts_with("/loop/") {
            redirect(format!("/loop/announce?{query}"))
        } else if target.starts_with("/tls/") {
            redirect("https://127.0.0.1/announce".to_owned())
        } else {
            ok(b"d8:intervali60e5:peers6:\x7f\x00\x00\x01\x17\x71e")
        }
    })
    .await;
    let client = client();
    let resp = client
        .announce(&tracker.url("/old/announce"), &request(HASH, 1))
        .await
        .unwrap();
    assert_eq!(resp.peers, vec!["127.0.0.1:6001".parse().unwrap()]);
    let targets = tracker.targets();
    assert_eq!(targets.len(), 3);
    assert!(
        targets[2].starts_with("/new/final?info_hash="),
        "{targets:?}"
    );

    let err = client
        .announce(&tracker.url("/loop/announce"), &request(HASH, 1))
        .await
        .unwrap_err();
    match err {
        TrackerError::BadResponse { reason, .. } => assert!(reason.contains("redirects")),
        other => panic!("{other:?}"),
    }
    // The first request and three redirects, no more.
    assert_eq!(tracker.targets().len(), 3 + 4);

    // A redirect to https is followed (port 443 on loopback: nobody there).
    let err = client
        .announce(&tracker.url("/tls/announce"), &request(HASH, 1))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, TrackerError::Io { url, .. } if url.contains("/tls/announce")),
        "{err:?}"
    );
}

#[tokio::test]
async fn http_scrape_uses_the_bep48_url() {
    let tracker = HttpTracker::start(|target, _| {
        assert!(
            target.starts_with("/x/scrape?passkey=1&info_hash="),
            "{target}"
        );
        let mut body = b"d5:filesd".to_vec();
        body.extend(bstr(&HASH.0));
        body.extend(b"d8:completei3e10:downloadedi9e10:incompletei4eeee");
        ok(&body)
    })
    .await;
    let client = client();
    let stats = client
        .scrape(&tracker.url("/x/announce?passkey=1"), HASH)
        .await
        .unwrap();
    assert_eq!(
        stats,
        ScrapeStats {
            complete: 3,
            incomplete: 4,
            downloaded: 9
        }
    );
    assert_eq!(param(&tracker.targets()[0], "info_hash").unwrap(), HASH.0);
    // Nothing to derive from: no request is made.
    let err = client
        .scrape(&tracker.url("/tracker"), HASH)
        .await
        .unwrap_err();
    assert!(matches!(err, TrackerError::Unsupported(_)), "{err:?}");
    assert_eq!(tracker.targets().len(), 1);
}

/// A port nothing listens on (bound, then released).
fn closed_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

#[tokio::test]
async fn closed_ports_are_refused() {
    let port = closed_port();
    let url = format!("http://127.0.0.1:{port}/announce");
    let err = client()
        .announce(&url, &request(HASH, 1))
        .await
        .unwrap_err();
    match &err {
        TrackerError::Io { url: u, message } => {
            assert_eq!(u, &url);
            assert!(message.contains("refused"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        err.to_string(),
        format!("tracker {url}: connection refused")
    );

    // UDP: the connected socket hears the ICMP "port unreachable" at once.
    let socket = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let port = socket.local_addr().unwrap().port();
    drop(socket);
    let started = Instant::now();
    let err = client()
        .announce(&format!("udp://127.0.0.1:{port}"), &request(HASH, 1))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, TrackerError::Io { message, .. } if message.contains("refused")),
        "{err:?}"
    );
    assert!(started.elapsed() < Duration::from_millis(400));
}

#[tokio::test]
async fn unsupported_schemes() {
    let client = client();
    assert!(matches!(
        client.announce("wss://127.0.0.1/", &request(HASH, 1)).await,
        Err(TrackerError::Unsupported(_))
    ));
    assert!(matches!(
        client.scrape("not a url", HASH).await,
        Err(TrackerError::BadUrl(_))
    ));
}

#[tokio::test]
async fn loopback_only_refuses_other_addresses_before_sending() {
    let client = client();
    let started = Instant::now();
    for url in [
        "http://192.0.2.1/announce",
        "http://[2001:db8::1]:6969/announce",
        "udp://192.0.2.1:6969/announce",
    ] {
        let err = client.announce(url, &request(HASH, 1)).await.unwrap_err();
        assert_eq!(err, TrackerError::NotLoopback(url.into()));
        let err = client.scrape(url, HASH).await.unwrap_err();
        assert_eq!(err, TrackerError::NotLoopback(url.into()));
    }
    // Redirects are checked too.
    let tracker = HttpTracker::start(|_, _| {
        Reply::Bytes(b"HTTP/1.1 301 Moved\r\nLocation: http://192.0.2.1/announce\r\n\r\n".to_vec())
    })
    .await;
    let url = tracker.url("/announce");
    let err = client.announce(&url, &request(HASH, 1)).await.unwrap_err();
    assert_eq!(err, TrackerError::NotLoopback(url));
    // A 30 s connect attempt would take far longer.
    assert!(started.elapsed() < Duration::from_secs(1));
    assert!(err.to_string().contains("BROOKLET_LOOPBACK_ONLY"));
}

#[tokio::test]
async fn localhost_names_pass_the_loopback_guard() {
    let tracker = HttpTracker::start(|_, _| ok(b"d8:intervali60e5:peers0:e")).await;
    let url = format!("http://localhost:{}/announce", tracker.addr.port());
    let resp = client().announce(&url, &request(HASH, 1)).await.unwrap();
    assert!(resp.peers.is_empty());
}

// ---------------------------------------------------------------------------------------------
// A small UDP tracker (BEP 15).

#[derive(Clone, Copy, Default)]
struct UdpBehaviour {
    /// Ignore this many packets first.
    drop_first: usize,
    /// Never answer.
    silent: bool,
    /// Before each real reply, send a false one (same transaction, error action) from another
    /// socket.
    decoy: bool,
}

struct UdpTracker {
    addr: SocketAddr,
    received: Arc<AtomicUsize>,
    connects: Arc<AtomicUsize>,
    announces: Arc<Mutex<Vec<Vec<u8>>>>,
}

const PROTOCOL_ID: u64 = 0x0417_2710_1980;

impl UdpTracker {
    async fn start(bind: &str, behaviour: UdpBehaviour) -> Option<Self> {
        let socket = UdpSocket::bind(bind).await.ok()?;
        let addr = socket.local_addr().unwrap();
        let decoy = UdpSocket::bind(if addr.is_ipv6() {
            "[::1]:0"
        } else {
            "127.0.0.1:0"
        })
        .await
        .unwrap();
        let received = Arc::new(AtomicUsize::new(0));
        let connects = Arc::new(AtomicUsize::new(0));
        let announces = Arc::new(Mutex::new(Vec::new()));
        let (r, c, a) = (received.clone(), connects.clone(), announces.clone());
        tokio::spawn(async move {
            let mut ids = Vec::<u64>::new();
            let mut buf = vec![0u8; 2048];
            loop {
                let Ok((n, from)) = socket.recv_from(&mut buf).await else {
                    return;
                };
                let seen = r.fetch_add(1, Ordering::SeqCst);
                if behaviour.silent || seen < behaviour.drop_first {
                    continue;
                }
                let p = &buf[..n];
                if n < 16 {
                    continue;
                }
                let conn = u64::from_be_bytes(p[0..8].try_into().unwrap());
                let action = u32::from_be_bytes(p[8..12].try_into().unwrap());
                let tx = &p[12..16];
                let mut out = Vec::new();
                let error = |msg: &str| {
                    let mut e = 3u32.to_be_bytes().to_vec();
                    e.extend_from_slice(tx);
                    e.extend_from_slice(msg.as_bytes());
                    e
                };
                if conn == PROTOCOL_ID && action == 0 {
                    c.fetch_add(1, Ordering::SeqCst);
                    let id: u64 = rand::random();
                    ids.push(id);
                    out.extend_from_slice(&0u32.to_be_bytes());
                    out.extend_from_slice(tx);
                    out.extend_from_slice(&id.to_be_bytes());
                } else if !ids.contains(&conn) {
                    out = error("unknown connection id");
                } else if action == 1 && n >= 98 {
                    a.lock().unwrap().push(p.to_vec());
                    if p[16..36] == UNREGISTERED.0 {
                        out = error("torrent not registered");
                    } else {
                        out.extend_from_slice(&1u32.to_be_bytes());
                        out.extend_from_slice(tx);
                        for v in [7u32, 3, 4] {
                            out.extend_from_slice(&v.to_be_bytes());
                        }
                        for port in [6001u16, 6002] {
                            if addr.is_ipv6() {
                                let mut ip = [0u8; 16];
                                ip[15] = 1;
                                out.extend_from_slice(&ip);
                            } else {
                                out.extend_from_slice(&[127, 0, 0, 1]);
                            }
                            out.extend_from_slice(&port.to_be_bytes());
                        }
                    }
                } else if action == 2 && n >= 36 {
                    out.extend_from_slice(&2u32.to_be_bytes());
                    out.extend_from_slice(tx);
                    for v in [5u32, 6, 7] {
                        out.extend_from_slice(&v.to_be_bytes());
                    }
                } else {
                    out = error("bad request");
                }
                if behaviour.decoy {
                    let _ = decoy.send_to(&error("decoy"), from).await;
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
                let _ = socket.send_to(&out, from).await;
            }
        });
        Some(UdpTracker {
            addr,
            received,
            connects,
            announces,
        })
    }

    async fn v4(behaviour: UdpBehaviour) -> Self {
        Self::start("127.0.0.1:0", behaviour).await.unwrap()
    }

    fn url(&self) -> String {
        format!("udp://{}/announce", self.addr)
    }
}

fn u32_at(p: &[u8], at: usize) -> u32 {
    u32::from_be_bytes(p[at..at + 4].try_into().unwrap())
}

fn u64_at(p: &[u8], at: usize) -> u64 {
    u64::from_be_bytes(p[at..at + 8].try_into().unwrap())
}

// ---------------------------------------------------------------------------------------------
// UDP tests.

#[tokio::test]
async fn udp_announce_sends_what_we_asked() {
    let tracker = UdpTracker::v4(UdpBehaviour::default()).await;
    let req = request(HASH, 6881);
    let resp = client().announce(&tracker.url(), &req).await.unwrap();
    assert_eq!(resp.interval, Duration::from_secs(7));
    assert_eq!((resp.leechers, resp.seeders), (Some(3), Some(4)));
    assert_eq!(
        resp.peers,
        vec![
            "127.0.0.1:6001".parse().unwrap(),
            "127.0.0.1:6002".parse().unwrap()
        ]
    );
    let announces = tracker.announces.lock().unwrap().clone();
    let p = &announces[0];
    assert_eq!(p.len(), 98);
    assert_eq!(&p[16..36], &HASH.0);
    assert_eq!(&p[36..56], &req.peer_id.0);
    assert_eq!(u64_at(p, 56), 2000, "downloaded");
    assert_eq!(u64_at(p, 64), 12345, "left");
    assert_eq!(u64_at(p, 72), 1000, "uploaded");
    assert_eq!(u32_at(p, 80), 2, "event started");
    assert_eq!(u32_at(p, 88), 0xabcd, "key");
    assert_eq!(u32_at(p, 92), 25, "num_want");
    assert_eq!(&p[96..98], &6881u16.to_be_bytes());
}

#[tokio::test]
async fn udp_scrape_and_connection_id_reuse() {
    let tracker = UdpTracker::v4(UdpBehaviour::default()).await;
    let client = client();
    let mut req = request(HASH, 6881);
    client.announce(&tracker.url(), &req).await.unwrap();
    req.event = AnnounceEvent::None;
    client.announce(&tracker.url(), &req).await.unwrap();
    let stats = client.scrape(&tracker.url(), HASH).await.unwrap();
    assert_eq!(
        stats,
        ScrapeStats {
            complete: 5,
            downloaded: 6,
            incomplete: 7
        }
    );
    // One connect for all three: the connection id is good for a minute (BEP 15).
    assert_eq!(tracker.connects.load(Ordering::SeqCst), 1);
    let announces = tracker.announces.lock().unwrap().clone();
    assert_eq!(announces.len(), 2);
    assert_eq!(u32_at(&announces[1], 80), 0, "event none");
    assert_eq!(u64_at(&announces[0], 0), u64_at(&announces[1], 0));
    // A new client has its own cache.
    TrackerClient::new(config())
        .announce(&tracker.url(), &req)
        .await
        .unwrap();
    assert_eq!(tracker.connects.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn udp_error_action_is_a_failure() {
    let tracker = UdpTracker::v4(UdpBehaviour::default()).await;
    let err = client()
        .announce(&tracker.url(), &request(UNREGISTERED, 1))
        .await
        .unwrap_err();
    assert_eq!(err, TrackerError::Failure("torrent not registered".into()));
}

#[tokio::test]
async fn udp_retransmits_a_lost_packet() {
    let tracker = UdpTracker::v4(UdpBehaviour {
        drop_first: 1,
        ..Default::default()
    })
    .await;
    let client = TrackerClient::new(TrackerConfig {
        udp_base_timeout: Duration::from_millis(150),
        ..config()
    });
    let started = Instant::now();
    let resp = client
        .announce(&tracker.url(), &request(HASH, 1))
        .await
        .unwrap();
    assert_eq!(resp.peers.len(), 2);
    assert!(started.elapsed() >= Duration::from_millis(150));
    // The lost connect, its retransmission, the announce.
    assert_eq!(tracker.received.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn udp_tracker_that_never_answers_times_out() {
    let tracker = UdpTracker::v4(UdpBehaviour {
        silent: true,
        ..Default::default()
    })
    .await;
    let client = TrackerClient::new(TrackerConfig {
        udp_retries: 2,
        udp_base_timeout: Duration::from_millis(50),
        ..config()
    });
    let url = tracker.url();
    let started = Instant::now();
    let err = client.announce(&url, &request(HASH, 1)).await.unwrap_err();
    let elapsed = started.elapsed();
    assert_eq!(err, TrackerError::Timeout(url));
    // 50 + 100 + 200 ms (BEP 15's doubling), three sends.
    assert!(elapsed >= Duration::from_millis(350), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(2), "{elapsed:?}");
    assert_eq!(tracker.received.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn udp_replies_from_other_addresses_are_ignored() {
    let tracker = UdpTracker::v4(UdpBehaviour {
        decoy: true,
        ..Default::default()
    })
    .await;
    let resp = client()
        .announce(&tracker.url(), &request(HASH, 1))
        .await
        .unwrap();
    assert_eq!(resp.peers.len(), 2);
}

#[tokio::test]
async fn udp_ipv6_tracker_sends_18_byte_peers() {
    let Some(tracker) = UdpTracker::start("[::1]:0", UdpBehaviour::default()).await else {
        eprintln!("skipping: no IPv6 loopback here");
        return;
    };
    let url = format!("udp://[::1]:{}", tracker.addr.port());
    let resp = client().announce(&url, &request(HASH, 1)).await.unwrap();
    assert_eq!(
        resp.peers,
        vec!["[::1]:6001".parse().unwrap(), "[::1]:6002".parse().unwrap()]
    );
}

// ---------------------------------------------------------------------------------------------
// Tiers (BEP 12).

#[tokio::test]
async fn tiers_stop_at_the_first_tracker_that_answers() {
    let good =
        HttpTracker::start(|_, _| ok(b"d8:intervali60e5:peers6:\x7f\x00\x00\x01\x17\x71e")).await;
    let spare = HttpTracker::start(|_, _| ok(b"d8:intervali60e5:peers0:e")).await;
    let dead = format!("http://127.0.0.1:{}/announce", closed_port());
    let good_url = good.url("/announce");
    let spare_url = spare.url("/announce");
    let mut tiers = TrackerTiers::in_given_order(vec![
        vec![dead.clone(), good_url.clone()],
        vec![spare_url.clone()],
    ]);
    let client = client();
    let resp = announce_tiers(&client, &mut tiers, &request(HASH, 1))
        .await
        .unwrap();
    assert_eq!(resp.peers, vec!["127.0.0.1:6001".parse().unwrap()]);
    // The second tier was not needed.
    assert!(spare.targets().is_empty());
    // The tracker that answered moved to the front of its tier.
    let order: Vec<&str> = tiers.order().map(|(_, _, u)| u).collect();
    assert_eq!(
        order,
        [good_url.as_str(), dead.as_str(), spare_url.as_str()]
    );
    let dead_status = tiers.status_of(&dead).unwrap();
    assert!(
        dead_status
            .last_error
            .as_deref()
            .unwrap()
            .contains("refused")
    );
    assert_eq!(dead_status.consecutive_failures, 1);
    let good_status = tiers.status_of(&good_url).unwrap();
    assert_eq!(
        (good_status.last_error.clone(), good_status.peers),
        (None, Some(1))
    );
    assert!(good_status.next_announce.is_some());

    // Every tracker failing: the last error, and every status recorded.
    let mut tiers = TrackerTiers::new(vec![
        vec![dead.clone()],
        vec!["http://127.0.0.1:1/x".into()],
    ]);
    let err = announce_tiers(&client, &mut tiers, &request(HASH, 1))
        .await
        .unwrap_err();
    assert!(matches!(err, TrackerError::Io { .. }), "{err:?}");
    assert!(tiers.statuses().all(|s| s.last_error.is_some()));
    let mut none = TrackerTiers::new(Vec::new());
    assert_eq!(
        announce_tiers(&client, &mut none, &request(HASH, 1)).await,
        Err(TrackerError::NoTrackers)
    );
}

// ---------------------------------------------------------------------------------------------
// The real opentracker.

/// Kills opentracker through its handle when the test ends, pass or fail.
struct KillOnDrop(Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            match self.0.try_wait() {
                Ok(Some(_)) | Err(_) => return,
                Ok(None) => std::thread::sleep(Duration::from_millis(10)),
            }
        }
    }
}

/// A port free for both TCP and UDP on 127.0.0.1 (bound, then released).
fn free_port() -> u16 {
    for _ in 0..50 {
        let tcp = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = tcp.local_addr().unwrap().port();
        if std::net::UdpSocket::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
    panic!("no port free for both TCP and UDP");
}

#[tokio::test]
async fn opentracker_interop() {
    if !common::require_tool("opentracker", "opentracker") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let hash = InfoHash::of_info_bytes(b"brooklet opentracker interop");
    let whitelist = dir.path().join("whitelist.txt");
    std::fs::write(&whitelist, format!("{}\n", hash.to_hex())).unwrap();
    let conf = dir.path().join("opentracker.conf");
    std::fs::write(&conf, format!("access.whitelist {}\n", whitelist.display())).unwrap();
    let log = std::fs::File::create(dir.path().join("log.txt")).unwrap();
    let port = free_port();
    let child = Command::new("opentracker")
        .args([
            "-i",
            "127.0.0.1",
            "-p",
            &port.to_string(),
            "-P",
            &port.to_string(),
            "-f",
        ])
        .arg(&conf)
        .current_dir(dir.path())
        .stdin(Stdio::null())
        .stdout(log.try_clone().unwrap())
        .stderr(log)
        .spawn()
        .expect("start opentracker");
    let mut guard = KillOnDrop(child);
    let log = || std::fs::read_to_string(dir.path().join("log.txt")).unwrap_or_default();

    let client = TrackerClient::new(TrackerConfig {
        http_timeout: Duration::from_secs(2),
        udp_retries: 2,
        udp_base_timeout: Duration::from_millis(500),
        loopback_only: true,
        extra_ca: None,
    });
    let http = format!("http://127.0.0.1:{port}/announce");
    let udp = format!("udp://127.0.0.1:{port}/announce");
    let mut first = request(hash, 7001);
    first.peer_id = PeerId(*b"-BK0100-aaaaaaaaaaaa");
    first.left = 500;

    // Wait until it answers (and has read its whitelist).
    let deadline = Instant::now() + Duration::from_secs(10);
    let resp = loop {
        match client.announce(&http, &first).await {
            Ok(resp) => break resp,
            Err(e) => {
                if let Ok(Some(status)) = guard.0.try_wait() {
                    panic!("opentracker exited with {status}: {}", log());
                }
                assert!(
                    Instant::now() < deadline,
                    "opentracker never answered: {e}\n{}",
                    log()
                );
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    };
    assert!(resp.interval >= Duration::from_secs(1));

    // A second peer over UDP learns about the first.
    let mut second = request(hash, 7002);
    second.peer_id = PeerId(*b"-BK0100-bbbbbbbbbbbb");
    second.left = 0;
    let resp = client.announce(&udp, &second).await.unwrap();
    let first_addr: SocketAddr = "127.0.0.1:7001".parse().unwrap();
    assert!(resp.peers.contains(&first_addr), "{:?}", resp.peers);
    assert_eq!((resp.seeders, resp.leechers), (Some(1), Some(1)));

    // And the first learns about the second over HTTP.
    first.event = AnnounceEvent::None;
    let resp = client.announce(&http, &first).await.unwrap();
    let second_addr: SocketAddr = "127.0.0.1:7002".parse().unwrap();
    assert!(resp.peers.contains(&second_addr), "{:?}", resp.peers);

    let expected = ScrapeStats {
        complete: 1,
        incomplete: 1,
        downloaded: 0,
    };
    assert_eq!(client.scrape(&http, hash).await.unwrap(), expected);
    assert_eq!(client.scrape(&udp, hash).await.unwrap(), expected);

    // A torrent that is not whitelisted is refused with a reason.
    let err = client
        .announce(&http, &request(InfoHash([1; 20]), 7003))
        .await
        .unwrap_err();
    assert!(matches!(err, TrackerError::Failure(_)), "{err:?}");
    drop(guard);
}
