//! KRPC, the DHT's message format (BEP 5): bencoded dictionaries over UDP, one per datagram.
//!
//! This module turns bytes into [`Message`]s and back, and nothing else: it keeps no state and
//! does no I/O. Everything it decodes comes from the network, so every length is checked, every
//! list is capped and every failure is an error value (never a panic). Decoding goes through
//! [`crate::engine::bencode::decode`] with [`Limits::MESSAGE`], which bounds nesting and size
//! before serde_bencode sees the input.
//!
//! Only IPv4 is spoken: compact node info is 26 bytes (id + IPv4 + port) and compact peer info 6
//! bytes. `nodes6` (BEP 32) and 18-byte `values` entries are ignored.

use super::NodeId;
use crate::engine::bencode::{self, BencodeError, Limits, get};
use serde_bencode::value::Value;
use std::collections::HashMap;
use std::net::{Ipv4Addr, SocketAddrV4};

/// Length of one compact node info entry: 20-byte id, 4-byte IPv4 address, 2-byte port.
pub const COMPACT_NODE_LEN: usize = 26;
/// Longest transaction id we accept from others (ours are 2 bytes).
pub const MAX_TID_LEN: usize = 32;
/// Most `values` entries decoded from one response; the rest are ignored.
pub const MAX_VALUES: usize = 256;
/// Most `nodes` entries decoded from one response; the rest are ignored.
pub const MAX_NODES: usize = 64;
/// Longest write token we keep or accept.
pub const MAX_TOKEN_LEN: usize = 64;
/// Our client version, sent as `v` (BEP 5: two letters and two version bytes).
pub const VERSION: &[u8] = b"BK\x00\x01";

/// KRPC error codes (BEP 5).
pub const ERROR_GENERIC: i64 = 201;
pub const ERROR_SERVER: i64 = 202;
pub const ERROR_PROTOCOL: i64 = 203;
pub const ERROR_METHOD_UNKNOWN: i64 = 204;

/// A node as it travels in `nodes`: its id and IPv4 endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CompactNode {
    pub id: NodeId,
    pub addr: SocketAddrV4,
}

/// The four queries of BEP 5.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Query {
    Ping,
    FindNode {
        target: NodeId,
    },
    GetPeers {
        info_hash: [u8; 20],
    },
    /// `implied_port`: the peer's port is the UDP source port of this query (BEP 5).
    AnnouncePeer {
        info_hash: [u8; 20],
        port: u16,
        implied_port: bool,
        token: Vec<u8>,
    },
}

/// A response. KRPC responses are untyped: which fields matter depends on the query it answers.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Response {
    pub id: NodeId,
    pub nodes: Vec<CompactNode>,
    pub values: Vec<SocketAddrV4>,
    pub token: Option<Vec<u8>>,
}

/// What a message carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    Query { id: NodeId, query: Query },
    Response(Response),
    Error { code: i64, message: String },
}

/// One KRPC message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// Transaction id, echoed by the responder.
    pub tid: Vec<u8>,
    pub body: Body,
    /// BEP 42: in a response, the requester's address as the responder saw it.
    pub ip: Option<SocketAddrV4>,
}

/// Why a datagram is not a KRPC message we understand.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KrpcError {
    #[error("not valid bencode: {0}")]
    Bencode(#[from] BencodeError),
    #[error("the message is not a dictionary")]
    NotADictionary,
    #[error("field `{0}` is missing or has the wrong type")]
    Field(&'static str),
    #[error("field `{0}` has a bad length")]
    BadLength(&'static str),
    #[error("field `{0}` has a bad value")]
    BadValue(&'static str),
    #[error("unknown message type")]
    UnknownType,
    #[error("unknown query method `{0}`")]
    UnknownMethod(String),
}

/// A decoding failure, with what was learned before it: a query with a readable transaction id
/// deserves an error reply (203 or 204), anything else is dropped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeFailure {
    pub tid: Option<Vec<u8>>,
    pub is_query: bool,
    pub error: KrpcError,
}

impl DecodeFailure {
    /// The KRPC error code a query failing this way should be answered with.
    pub fn error_code(&self) -> i64 {
        match self.error {
            KrpcError::UnknownMethod(_) => ERROR_METHOD_UNKNOWN,
            _ => ERROR_PROTOCOL,
        }
    }
}

type Dict = HashMap<Vec<u8>, Value>;

/// Decodes one datagram.
pub fn decode(bytes: &[u8]) -> Result<Message, DecodeFailure> {
    let fail = |tid: Option<Vec<u8>>, is_query: bool, error: KrpcError| DecodeFailure {
        tid,
        is_query,
        error,
    };
    let (value, _) =
        bencode::decode(bytes, Limits::MESSAGE).map_err(|e| fail(None, false, e.into()))?;
    let Some(top) = get::dict(&value) else {
        return Err(fail(None, false, KrpcError::NotADictionary));
    };
    let tid = match get::bytes(top, "t") {
        Some(t) if t.len() <= MAX_TID_LEN => t.to_vec(),
        Some(_) => return Err(fail(None, false, KrpcError::BadLength("t"))),
        None => return Err(fail(None, false, KrpcError::Field("t"))),
    };
    let kind = get::bytes(top, "y")
        .ok_or_else(|| fail(Some(tid.clone()), false, KrpcError::Field("y")))?;
    let ip = get::bytes(top, "ip").and_then(parse_addr);
    let body = match kind {
        b"q" => decode_query(top).map_err(|e| fail(Some(tid.clone()), true, e))?,
        b"r" => decode_response(top).map_err(|e| fail(Some(tid.clone()), false, e))?,
        b"e" => decode_error(top).map_err(|e| fail(Some(tid.clone()), false, e))?,
        _ => return Err(fail(Some(tid), false, KrpcError::UnknownType)),
    };
    Ok(Message { tid, body, ip })
}

fn id20(d: &Dict, key: &'static str) -> Result<[u8; 20], KrpcError> {
    let b = get::bytes(d, key).ok_or(KrpcError::Field(key))?;
    b.try_into().map_err(|_| KrpcError::BadLength(key))
}

fn decode_query(top: &Dict) -> Result<Body, KrpcError> {
    let method = get::bytes(top, "q").ok_or(KrpcError::Field("q"))?;
    let args = top
        .get(b"a".as_slice())
        .and_then(get::dict)
        .ok_or(KrpcError::Field("a"))?;
    let id = id20(args, "id")?;
    let query = match method {
        b"ping" => Query::Ping,
        b"find_node" => Query::FindNode {
            target: id20(args, "target")?,
        },
        b"get_peers" => Query::GetPeers {
            info_hash: id20(args, "info_hash")?,
        },
        b"announce_peer" => {
            let info_hash = id20(args, "info_hash")?;
            let implied_port = get::int(args, "implied_port").unwrap_or(0) != 0;
            let port = match get::int(args, "port") {
                Some(p) => u16::try_from(p).map_err(|_| KrpcError::BadValue("port"))?,
                None if implied_port => 0,
                None => return Err(KrpcError::Field("port")),
            };
            if port == 0 && !implied_port {
                return Err(KrpcError::BadValue("port"));
            }
            let token = get::bytes(args, "token").ok_or(KrpcError::Field("token"))?;
            if token.len() > MAX_TOKEN_LEN {
                return Err(KrpcError::BadLength("token"));
            }
            Query::AnnouncePeer {
                info_hash,
                port,
                implied_port,
                token: token.to_vec(),
            }
        }
        other => {
            let name: String = String::from_utf8_lossy(&other[..other.len().min(32)]).into_owned();
            return Err(KrpcError::UnknownMethod(name));
        }
    };
    Ok(Body::Query { id, query })
}

fn decode_response(top: &Dict) -> Result<Body, KrpcError> {
    let r = top
        .get(b"r".as_slice())
        .and_then(get::dict)
        .ok_or(KrpcError::Field("r"))?;
    let id = id20(r, "id")?;
    let nodes = match r.get(b"nodes".as_slice()) {
        None => Vec::new(),
        Some(Value::Bytes(b)) => decode_nodes(b)?,
        Some(_) => return Err(KrpcError::Field("nodes")),
    };
    let values = match r.get(b"values".as_slice()) {
        None => Vec::new(),
        Some(Value::List(items)) => {
            let mut out = Vec::new();
            for item in items.iter().take(MAX_VALUES) {
                match item {
                    // BEP 32 puts 18-byte IPv6 peers here too; we skip them.
                    Value::Bytes(b) => out.extend(parse_addr(b)),
                    _ => return Err(KrpcError::Field("values")),
                }
            }
            out
        }
        Some(_) => return Err(KrpcError::Field("values")),
    };
    let token = match r.get(b"token".as_slice()) {
        None => None,
        Some(Value::Bytes(b)) if b.len() <= MAX_TOKEN_LEN => Some(b.clone()),
        Some(Value::Bytes(_)) => return Err(KrpcError::BadLength("token")),
        Some(_) => return Err(KrpcError::Field("token")),
    };
    Ok(Body::Response(Response {
        id,
        nodes,
        values,
        token,
    }))
}

fn decode_error(top: &Dict) -> Result<Body, KrpcError> {
    let e = get::list(top, "e").ok_or(KrpcError::Field("e"))?;
    let code = match e.first() {
        Some(Value::Int(c)) => *c,
        _ => return Err(KrpcError::Field("e")),
    };
    let message = match e.get(1) {
        Some(Value::Bytes(b)) => String::from_utf8_lossy(&b[..b.len().min(200)]).into_owned(),
        _ => String::new(),
    };
    Ok(Body::Error { code, message })
}

/// Decodes compact node info: a whole number of 26-byte entries, at most [`MAX_NODES`] kept.
pub fn decode_nodes(b: &[u8]) -> Result<Vec<CompactNode>, KrpcError> {
    if !b.len().is_multiple_of(COMPACT_NODE_LEN) {
        return Err(KrpcError::BadLength("nodes"));
    }
    Ok(b.chunks_exact(COMPACT_NODE_LEN)
        .take(MAX_NODES)
        .filter_map(|c| {
            let id: NodeId = c[..20].try_into().ok()?;
            Some(CompactNode {
                id,
                addr: parse_addr(&c[20..])?,
            })
        })
        .collect())
}

/// Encodes compact node info.
pub fn encode_nodes(nodes: &[CompactNode]) -> Vec<u8> {
    let mut out = Vec::with_capacity(nodes.len() * COMPACT_NODE_LEN);
    for n in nodes {
        out.extend_from_slice(&n.id);
        out.extend_from_slice(&compact_addr(n.addr));
    }
    out
}

/// Compact peer info: 4-byte IPv4 address and 2-byte port, big-endian.
pub fn compact_addr(addr: SocketAddrV4) -> [u8; 6] {
    let mut out = [0u8; 6];
    out[..4].copy_from_slice(&addr.ip().octets());
    out[4..].copy_from_slice(&addr.port().to_be_bytes());
    out
}

/// Parses 6 bytes of compact peer info; anything else is `None`.
pub fn parse_addr(b: &[u8]) -> Option<SocketAddrV4> {
    let b: [u8; 6] = b.try_into().ok()?;
    Some(SocketAddrV4::new(
        Ipv4Addr::new(b[0], b[1], b[2], b[3]),
        u16::from_be_bytes([b[4], b[5]]),
    ))
}

fn bytes(b: impl Into<Vec<u8>>) -> Value {
    Value::Bytes(b.into())
}

/// Encodes a message.
pub fn encode(msg: &Message) -> Vec<u8> {
    let mut top: Dict = HashMap::new();
    top.insert(b"t".to_vec(), bytes(msg.tid.clone()));
    top.insert(b"v".to_vec(), bytes(VERSION));
    if let Some(ip) = msg.ip {
        top.insert(b"ip".to_vec(), bytes(compact_addr(ip).to_vec()));
    }
    match &msg.body {
        Body::Query { id, query } => {
            let mut a: Dict = HashMap::new();
            a.insert(b"id".to_vec(), bytes(id.to_vec()));
            let method: &[u8] = match query {
                Query::Ping => b"ping",
                Query::FindNode { target } => {
                    a.insert(b"target".to_vec(), bytes(target.to_vec()));
                    b"find_node"
                }
                Query::GetPeers { info_hash } => {
                    a.insert(b"info_hash".to_vec(), bytes(info_hash.to_vec()));
                    b"get_peers"
                }
                Query::AnnouncePeer {
                    info_hash,
                    port,
                    implied_port,
                    token,
                } => {
                    a.insert(b"info_hash".to_vec(), bytes(info_hash.to_vec()));
                    a.insert(b"port".to_vec(), Value::Int(i64::from(*port)));
                    a.insert(b"token".to_vec(), bytes(token.clone()));
                    if *implied_port {
                        a.insert(b"implied_port".to_vec(), Value::Int(1));
                    }
                    b"announce_peer"
                }
            };
            top.insert(b"y".to_vec(), bytes(b"q".to_vec()));
            top.insert(b"q".to_vec(), bytes(method));
            top.insert(b"a".to_vec(), Value::Dict(a));
        }
        Body::Response(r) => {
            let mut d: Dict = HashMap::new();
            d.insert(b"id".to_vec(), bytes(r.id.to_vec()));
            if !r.nodes.is_empty() {
                d.insert(b"nodes".to_vec(), bytes(encode_nodes(&r.nodes)));
            }
            if !r.values.is_empty() {
                let values = r
                    .values
                    .iter()
                    .map(|a| bytes(compact_addr(*a).to_vec()))
                    .collect();
                d.insert(b"values".to_vec(), Value::List(values));
            }
            if let Some(token) = &r.token {
                d.insert(b"token".to_vec(), bytes(token.clone()));
            }
            top.insert(b"y".to_vec(), bytes(b"r".to_vec()));
            top.insert(b"r".to_vec(), Value::Dict(d));
        }
        Body::Error { code, message } => {
            top.insert(b"y".to_vec(), bytes(b"e".to_vec()));
            top.insert(
                b"e".to_vec(),
                Value::List(vec![Value::Int(*code), bytes(message.as_bytes())]),
            );
        }
    }
    bencode::encode(&Value::Dict(top))
}

#[cfg(test)]
#[path = "krpc_tests.rs"]
mod tests;
