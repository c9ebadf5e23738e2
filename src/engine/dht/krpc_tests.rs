#![allow(clippy::unwrap_used)]

use super::*;

fn round_trip(msg: Message) {
    let bytes = encode(&msg);
    assert_eq!(
        decode(&bytes).unwrap(),
        msg,
        "{}",
        String::from_utf8_lossy(&bytes)
    );
}

fn node(i: u8) -> CompactNode {
    CompactNode {
        id: [i; 20],
        addr: SocketAddrV4::new(Ipv4Addr::new(10, 0, 0, i), 6000 + u16::from(i)),
    }
}

#[test]
fn every_query_round_trips() {
    for query in [
        Query::Ping,
        Query::FindNode { target: [7; 20] },
        Query::GetPeers { info_hash: [9; 20] },
        Query::AnnouncePeer {
            info_hash: [9; 20],
            port: 6881,
            implied_port: false,
            token: b"tok".to_vec(),
        },
        Query::AnnouncePeer {
            info_hash: [9; 20],
            port: 0,
            implied_port: true,
            token: b"tok".to_vec(),
        },
    ] {
        round_trip(Message {
            tid: b"aa".to_vec(),
            body: Body::Query { id: [1; 20], query },
            ip: None,
        });
    }
}

#[test]
fn responses_and_errors_round_trip() {
    round_trip(Message {
        tid: b"xy".to_vec(),
        body: Body::Response(Response {
            id: [3; 20],
            nodes: vec![node(1), node(2)],
            values: vec![SocketAddrV4::new(Ipv4Addr::LOCALHOST, 51413)],
            token: Some(b"secret".to_vec()),
        }),
        ip: Some(SocketAddrV4::new(Ipv4Addr::new(1, 2, 3, 4), 5)),
    });
    round_trip(Message {
        tid: vec![0, 1],
        body: Body::Error {
            code: ERROR_PROTOCOL,
            message: "bad".into(),
        },
        ip: None,
    });
}

#[test]
fn decodes_the_bep5_example_ping() {
    let m = decode(b"d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t2:aa1:y1:qe").unwrap();
    assert_eq!(m.tid, b"aa");
    assert_eq!(
        m.body,
        Body::Query {
            id: *b"abcdefghij0123456789",
            query: Query::Ping
        }
    );
}

#[test]
fn truncated_compact_nodes_are_refused() {
    let mut nodes = encode_nodes(&[node(1), node(2)]);
    nodes.pop();
    assert_eq!(decode_nodes(&nodes), Err(KrpcError::BadLength("nodes")));
    let mut raw = b"d1:rd2:id20:abcdefghij01234567895:nodes51:".to_vec();
    raw.extend_from_slice(&nodes);
    raw.extend_from_slice(b"e1:t2:aa1:y1:re");
    let f = decode(&raw).unwrap_err();
    assert_eq!(f.error, KrpcError::BadLength("nodes"));
    assert!(!f.is_query);
}

#[test]
fn wrong_types_are_refused_with_the_field_named() {
    // `id` as an integer.
    let f = decode(b"d1:ad2:idi5ee1:q4:ping1:t2:aa1:y1:qe").unwrap_err();
    assert_eq!(f.error, KrpcError::Field("id"));
    assert!(f.is_query);
    assert_eq!(f.tid.as_deref(), Some(&b"aa"[..]));
    assert_eq!(f.error_code(), ERROR_PROTOCOL);
    // Short id.
    let f = decode(b"d1:ad2:id3:abce1:q4:ping1:t2:aa1:y1:qe").unwrap_err();
    assert_eq!(f.error, KrpcError::BadLength("id"));
    // `values` not a list.
    let f = decode(b"d1:rd2:id20:abcdefghij01234567896:valuesi1ee1:t2:aa1:y1:re").unwrap_err();
    assert_eq!(f.error, KrpcError::Field("values"));
    // Port out of range.
    let f = decode(
        b"d1:ad2:id20:abcdefghij01234567899:info_hash20:abcdefghij01234567894:porti70000e5:token1:xe1:q13:announce_peer1:t2:aa1:y1:qe",
    )
    .unwrap_err();
    assert_eq!(f.error, KrpcError::BadValue("port"));
    // Transaction id that is a list.
    let f = decode(b"d1:tle1:y1:qe").unwrap_err();
    assert_eq!(f.error, KrpcError::Field("t"));
    assert_eq!(f.tid, None);
}

#[test]
fn unknown_methods_get_204_and_non_dictionaries_are_dropped() {
    let f = decode(b"d1:ad2:id20:abcdefghij0123456789e1:q5:vote!1:t2:aa1:y1:qe").unwrap_err();
    assert_eq!(f.error, KrpcError::UnknownMethod("vote!".into()));
    assert_eq!(f.error_code(), ERROR_METHOD_UNKNOWN);
    for garbage in [&b"li1ee"[..], b"4:spam", b"i42e"] {
        assert_eq!(
            decode(garbage).unwrap_err().error,
            KrpcError::NotADictionary
        );
    }
    for garbage in [&b""[..], b"d", b"\xff\xfe", b"d1:t2:aae trailing"] {
        assert!(matches!(
            decode(garbage).unwrap_err().error,
            KrpcError::Bencode(_)
        ));
    }
    let deep = format!("{}{}", "l".repeat(10_000), "e".repeat(10_000));
    assert!(matches!(
        decode(deep.as_bytes()).unwrap_err().error,
        KrpcError::Bencode(_)
    ));
}

#[test]
fn huge_lists_are_capped_and_ipv6_values_skipped() {
    let mut raw = b"d1:rd2:id20:abcdefghij01234567896:valuesl".to_vec();
    for i in 0..1000u32 {
        raw.extend_from_slice(b"6:");
        raw.extend_from_slice(&[127, 0, 0, 1]);
        raw.extend_from_slice(&(i as u16).to_be_bytes());
    }
    raw.extend_from_slice(b"18:");
    raw.extend_from_slice(&[0u8; 18]);
    raw.extend_from_slice(b"ee1:t2:aa1:y1:re");
    let m = decode(&raw).unwrap();
    let Body::Response(r) = m.body else {
        panic!("not a response")
    };
    assert_eq!(r.values.len(), MAX_VALUES);

    let many: Vec<CompactNode> = (0..200).map(|i| node(i as u8)).collect();
    assert_eq!(decode_nodes(&encode_nodes(&many)).unwrap().len(), MAX_NODES);
}

#[test]
fn oversized_token_and_tid_are_refused() {
    let tid = "x".repeat(MAX_TID_LEN + 1);
    let raw = format!("d1:t{}:{}1:y1:qe", tid.len(), tid);
    assert_eq!(
        decode(raw.as_bytes()).unwrap_err().error,
        KrpcError::BadLength("t")
    );
    let token = "x".repeat(MAX_TOKEN_LEN + 1);
    let raw = format!(
        "d1:rd2:id20:abcdefghij01234567895:token{}:{}e1:t2:aa1:y1:re",
        token.len(),
        token
    );
    assert_eq!(
        decode(raw.as_bytes()).unwrap_err().error,
        KrpcError::BadLength("token")
    );
}
