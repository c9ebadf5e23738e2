//! `https://` trackers: the announce runs over TLS to a tracker on 127.0.0.1 whose certificate
//! (made here with `openssl` for the name 127.0.0.1, signed by a throwaway authority) is
//! trusted through `TrackerConfig::extra_ca` naming that authority, as a private tracker's
//! would be; without that authority
//! the same announce fails with a TLS error that says why. Needs `openssl` (Debian: openssl).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use brooklet::engine::InfoHash;
use brooklet::engine::tracker::{
    AnnounceEvent, AnnounceRequest, TrackerClient, TrackerConfig, TrackerError,
};
use common::*;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::{self, pki_types::pem::PemObject};

/// A throwaway authority and, signed by it, a key and certificate for 127.0.0.1, made by
/// `openssl`: (server key, server certificate, authority certificate).
fn make_certificates(dir: &Path) -> (PathBuf, PathBuf, PathBuf) {
    let p = |name: &str| dir.join(name);
    let run = |what: &str, args: &[&str]| {
        let out = run_with_timeout(
            std::process::Command::new("openssl")
                .args(args)
                .current_dir(dir),
            60,
        );
        expect_success(&out, what);
    };
    run(
        "openssl req (authority)",
        &[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=Brooklet test authority",
            "-keyout",
            "ca.key",
            "-out",
            "ca.pem",
        ],
    );
    run(
        "openssl req (tracker)",
        &[
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-subj",
            "/CN=127.0.0.1",
            "-keyout",
            "key.pem",
            "-out",
            "tracker.csr",
        ],
    );
    std::fs::write(
        p("ext.cnf"),
        "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n\
         extendedKeyUsage=serverAuth\n",
    )
    .unwrap();
    run(
        "openssl x509 (sign)",
        &[
            "x509",
            "-req",
            "-in",
            "tracker.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-days",
            "2",
            "-extfile",
            "ext.cnf",
            "-out",
            "cert.pem",
        ],
    );
    (p("key.pem"), p("cert.pem"), p("ca.pem"))
}

/// Serves one announce answer (a peer at 127.0.0.1:6001) over TLS to every connection;
/// returns the tracker's URL.
async fn start_tls_tracker(key: &Path, cert: &Path) -> String {
    let certs = rustls::pki_types::CertificateDer::pem_file_iter(cert)
        .unwrap()
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    let key = rustls::pki_types::PrivateKeyDer::from_pem_file(key).unwrap();
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .unwrap();
    let acceptor = TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("https://{}/announce", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(tcp).await else {
                    return;
                };
                let mut head = Vec::new();
                let mut buf = [0u8; 1024];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match tls.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => head.extend_from_slice(&buf[..n]),
                    }
                }
                assert!(head.starts_with(b"GET /announce?info_hash="));
                let body = b"d8:intervali60e5:peers6:\x7f\x00\x00\x01\x17\x71e";
                let reply = format!(
                    "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = tls.write_all(reply.as_bytes()).await;
                let _ = tls.write_all(body).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    url
}

fn request() -> AnnounceRequest {
    AnnounceRequest {
        info_hash: InfoHash([0x42; 20]),
        peer_id: brooklet::engine::peer_id::PeerId::generate(),
        port: 6881,
        uploaded: 0,
        downloaded: 0,
        left: 1000,
        event: AnnounceEvent::Started,
        num_want: Some(50),
        key: 7,
    }
}

fn client(extra_ca: Option<PathBuf>) -> TrackerClient {
    TrackerClient::new(TrackerConfig {
        http_timeout: Duration::from_secs(10),
        loopback_only: true,
        extra_ca,
        ..TrackerConfig::default()
    })
}

#[tokio::test]
async fn an_https_tracker_answers_over_tls_and_an_unknown_authority_is_refused() {
    if !require_tool("openssl", "openssl") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (key, cert, authority) = make_certificates(dir.path());
    let url = start_tls_tracker(&key, &cert).await;

    let answer = client(Some(authority))
        .announce(&url, &request())
        .await
        .expect("announce over TLS");
    assert_eq!(answer.peers, vec!["127.0.0.1:6001".parse().unwrap()]);
    assert_eq!(answer.interval, Duration::from_secs(60));

    // The built-in roots alone do not vouch for a self-signed certificate.
    let err = client(None).announce(&url, &request()).await.unwrap_err();
    match &err {
        TrackerError::Io { message, .. } => assert!(
            message.starts_with("TLS:") && message.contains("certificate"),
            "{message}"
        ),
        other => panic!("expected a TLS error, got {other:?}"),
    }
}
