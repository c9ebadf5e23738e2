//! The BEP 10 extension handshake, and the error type shared by the extension messages.
//!
//! BEP 10 lets two peers that both set the extension bit agree on extra message types without new
//! reserved bits: each sends a bencoded dictionary (extended message id 0) whose `m` maps
//! extension names to the message id *it* wants to receive them under. So the ids we put in our
//! `m` ([`UT_METADATA_ID`], [`UT_PEX_ID`]) are what the peer will send us, and the ids in the
//! peer's `m` ([`ExtHandshake::ut_metadata`], [`ExtHandshake::ut_pex`]) are what we must send.
//!
//! This module owns the handshake's encoding and its hostile-input checks: the payload goes
//! through the bencode gate with message limits, every field we use is type-checked, numbers are
//! range-checked before conversion, and the client name is sanitised before anyone displays it.
//! It depends on the bencode gate only; sockets, tasks and torrent state belong to the caller.
//! [`ExtError`] is also the error of the ut_metadata ([`super::metadata`]) and ut_pex
//! ([`super::pex`]) modules, so a connection task handles one error type for all of them.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use bytes::Bytes;
use serde_bencode::value::Value;

use crate::engine::bencode::{self, BencodeError, Limits, get};

/// The id under which we want to receive ut_metadata messages (BEP 9). Any value 1..=255 works;
/// libtorrent uses 2 and 1 for these two, we use the order of the BEP numbers.
pub const UT_METADATA_ID: u8 = 1;
/// The id under which we want to receive ut_pex messages (BEP 11).
pub const UT_PEX_ID: u8 = 2;
/// The extended message id of the handshake itself (BEP 10).
pub const HANDSHAKE_ID: u8 = 0;
/// Largest `reqq` we believe: a peer claiming more still gets at most this many requests queued
/// (libtorrent caps incoming queues at 2000 by default).
pub const MAX_REQQ: usize = 2000;
/// Longest client name we keep, in characters.
pub const MAX_CLIENT_CHARS: usize = 64;

/// Why an extension message (handshake, ut_metadata, ut_pex) or a metadata piece was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq, Clone)]
pub enum ExtError {
    /// The payload is not valid bencode within the message limits.
    #[error("malformed bencode: {0}")]
    Bencode(#[from] BencodeError),
    /// The payload is valid bencode but not a dictionary.
    #[error("the extension message is not a dictionary")]
    NotADictionary,
    /// A required key is absent.
    #[error("the extension message has no `{0}`")]
    MissingField(&'static str),
    /// A key we use holds the wrong bencode type.
    #[error("`{0}` in the extension message has the wrong type")]
    WrongType(&'static str),
    /// An integer outside the range its field allows.
    #[error("`{field}` = {value} is out of range")]
    OutOfRange { field: &'static str, value: i64 },
    /// A byte string whose length the field does not allow.
    #[error("`{field}` is {len} bytes long, which is not a valid length")]
    BadLength { field: &'static str, len: usize },
    /// BEP 9: an unrecognised `msg_type`. The spec says to ignore such messages, so this one is
    /// not a reason to drop the peer (see [`ExtError::is_ignorable`]).
    #[error("unknown ut_metadata msg_type {0}")]
    UnknownMsgType(i64),
    /// Bytes after a ut_metadata request or reject, which carry none.
    #[error("{0} unexpected bytes after a ut_metadata message")]
    TrailingData(usize),
    /// A ut_metadata piece larger than 16 KiB.
    #[error("metadata piece of {len} bytes is larger than 16 KiB")]
    PieceTooLong { len: usize },
    /// A metadata piece index past the end of the metadata.
    #[error("metadata piece {piece} does not exist (the metadata has {count} pieces)")]
    PieceOutOfRange { piece: u32, count: usize },
    /// A metadata piece of the wrong length (16 KiB, or the remainder for the last piece).
    #[error("metadata piece {piece} is {len} bytes, expected {expected}")]
    WrongPieceLength {
        piece: u32,
        len: usize,
        expected: usize,
    },
    /// A `total_size` other than the metadata size we adopted.
    #[error("the peer says the metadata is {claimed} bytes, but {adopted} were announced")]
    SizeMismatch { claimed: u64, adopted: u64 },
}

impl ExtError {
    /// True when the message should be silently ignored rather than held against the peer
    /// (BEP 9: unknown message types are for future extensions).
    pub fn is_ignorable(&self) -> bool {
        matches!(self, ExtError::UnknownMsgType(_))
    }
}

/// What a peer told us in its extension handshake (or what we tell it).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ExtHandshake {
    /// The peer's message id for ut_metadata (BEP 9); `None` when absent or 0 (disabled).
    pub ut_metadata: Option<u8>,
    /// The peer's message id for ut_pex (BEP 11); `None` when absent or 0 (disabled).
    pub ut_pex: Option<u8>,
    /// BEP 9 `metadata_size` as claimed; the metadata module checks it against its cap.
    pub metadata_size: Option<u64>,
    /// `v`, the client name: control characters dropped, at most [`MAX_CLIENT_CHARS`].
    pub client: Option<String>,
    /// `p`, the port the peer listens on (`None` when absent or 0).
    pub listen_port: Option<u16>,
    /// `reqq`, how many outstanding requests the peer accepts, capped at [`MAX_REQQ`].
    pub reqq: Option<usize>,
    /// `yourip`, our address as the peer sees it.
    pub yourip: Option<IpAddr>,
    /// BEP 21 `upload_only`: the peer will not download (a seed, or a partial seed).
    pub upload_only: bool,
}

impl ExtHandshake {
    /// The bencoded handshake payload (after the extended id byte, which is [`HANDSHAKE_ID`]).
    /// `m` is always present; an extension whose id is `None` is left out of it.
    pub fn encode(&self) -> Bytes {
        let mut m = HashMap::new();
        if let Some(id) = self.ut_metadata {
            m.insert(b"ut_metadata".to_vec(), Value::Int(i64::from(id)));
        }
        if let Some(id) = self.ut_pex {
            m.insert(b"ut_pex".to_vec(), Value::Int(i64::from(id)));
        }
        let mut d = HashMap::new();
        d.insert(b"m".to_vec(), Value::Dict(m));
        if let Some(size) = self.metadata_size {
            d.insert(b"metadata_size".to_vec(), Value::Int(saturating_i64(size)));
        }
        if let Some(client) = &self.client {
            d.insert(b"v".to_vec(), Value::Bytes(client.as_bytes().to_vec()));
        }
        if let Some(port) = self.listen_port {
            d.insert(b"p".to_vec(), Value::Int(i64::from(port)));
        }
        if let Some(reqq) = self.reqq {
            d.insert(b"reqq".to_vec(), Value::Int(saturating_i64(reqq as u64)));
        }
        if let Some(ip) = self.yourip {
            let octets = match ip {
                IpAddr::V4(v4) => v4.octets().to_vec(),
                IpAddr::V6(v6) => v6.octets().to_vec(),
            };
            d.insert(b"yourip".to_vec(), Value::Bytes(octets));
        }
        if self.upload_only {
            d.insert(b"upload_only".to_vec(), Value::Int(1));
        }
        Bytes::from(bencode::encode(&Value::Dict(d)))
    }

    /// Reads a peer's handshake payload. Unknown keys (and unknown `m` entries) are ignored; the
    /// keys we use must have the right type and range, or the whole handshake is refused.
    pub fn decode(payload: &[u8]) -> Result<ExtHandshake, ExtError> {
        let (value, _) = bencode::decode(payload, Limits::MESSAGE)?;
        let d = get::dict(&value).ok_or(ExtError::NotADictionary)?;
        let mut hs = ExtHandshake::default();

        if let Some(m) = d.get(&b"m"[..]) {
            let m = get::dict(m).ok_or(ExtError::WrongType("m"))?;
            hs.ut_metadata = extension_id(m, "ut_metadata", "m.ut_metadata")?;
            hs.ut_pex = extension_id(m, "ut_pex", "m.ut_pex")?;
        }
        if let Some(size) = opt_int(d, "metadata_size")? {
            // BEP 9: the size in bytes; negative is nonsense, too large is the caller's to cap.
            hs.metadata_size = Some(u64::try_from(size).map_err(|_| ExtError::OutOfRange {
                field: "metadata_size",
                value: size,
            })?);
        }
        if let Some(v) = d.get(&b"v"[..]) {
            let Value::Bytes(raw) = v else {
                return Err(ExtError::WrongType("v"));
            };
            hs.client = sanitize_client(raw);
        }
        if let Some(port) = opt_int(d, "p")? {
            let port = u16::try_from(port).map_err(|_| ExtError::OutOfRange {
                field: "p",
                value: port,
            })?;
            hs.listen_port = (port != 0).then_some(port);
        }
        if let Some(reqq) = opt_int(d, "reqq")? {
            if reqq < 0 {
                return Err(ExtError::OutOfRange {
                    field: "reqq",
                    value: reqq,
                });
            }
            let capped = usize::try_from(reqq).unwrap_or(MAX_REQQ).min(MAX_REQQ);
            hs.reqq = (capped != 0).then_some(capped);
        }
        if let Some(ip) = d.get(&b"yourip"[..]) {
            let Value::Bytes(raw) = ip else {
                return Err(ExtError::WrongType("yourip"));
            };
            hs.yourip = Some(ip_from_bytes(raw).ok_or(ExtError::BadLength {
                field: "yourip",
                len: raw.len(),
            })?);
        }
        // BEP 21: an integer, non-zero meaning upload only.
        hs.upload_only = opt_int(d, "upload_only")?.is_some_and(|v| v != 0);
        Ok(hs)
    }
}

/// `d[key]` as an integer when present; an error when present with another type.
pub(crate) fn opt_int(
    d: &HashMap<Vec<u8>, Value>,
    key: &'static str,
) -> Result<Option<i64>, ExtError> {
    match d.get(key.as_bytes()) {
        None => Ok(None),
        Some(Value::Int(i)) => Ok(Some(*i)),
        Some(_) => Err(ExtError::WrongType(key)),
    }
}

/// `d[key]` as a byte string when present; an error when present with another type.
pub(crate) fn opt_bytes<'a>(
    d: &'a HashMap<Vec<u8>, Value>,
    key: &'static str,
) -> Result<Option<&'a [u8]>, ExtError> {
    match d.get(key.as_bytes()) {
        None => Ok(None),
        Some(Value::Bytes(b)) => Ok(Some(b)),
        Some(_) => Err(ExtError::WrongType(key)),
    }
}

/// An `m` entry: absent or 0 means the extension is off (BEP 10), 1..=255 is its id.
fn extension_id(
    m: &HashMap<Vec<u8>, Value>,
    name: &'static str,
    field: &'static str,
) -> Result<Option<u8>, ExtError> {
    let Some(v) = m.get(name.as_bytes()) else {
        return Ok(None);
    };
    let Value::Int(id) = v else {
        return Err(ExtError::WrongType(field));
    };
    let id = u8::try_from(*id).map_err(|_| ExtError::OutOfRange { field, value: *id })?;
    Ok((id != 0).then_some(id))
}

/// The printable part of a client name, at most [`MAX_CLIENT_CHARS`] characters; `None` when
/// nothing printable is left.
fn sanitize_client(raw: &[u8]) -> Option<String> {
    // Never look at more than 4 bytes per kept character, whatever the peer sent.
    let raw = &raw[..raw.len().min(MAX_CLIENT_CHARS * 4)];
    let name: String = String::from_utf8_lossy(raw)
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_CLIENT_CHARS)
        .collect();
    let name = name.trim();
    (!name.is_empty()).then(|| name.to_owned())
}

/// A 4-byte IPv4 or 16-byte IPv6 address in network order.
pub(crate) fn ip_from_bytes(raw: &[u8]) -> Option<IpAddr> {
    if let Ok(v4) = <[u8; 4]>::try_from(raw) {
        Some(IpAddr::V4(Ipv4Addr::from(v4)))
    } else if let Ok(v6) = <[u8; 16]>::try_from(raw) {
        Some(IpAddr::V6(Ipv6Addr::from(v6)))
    } else {
        None
    }
}

fn saturating_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const LIBTORRENT: &[u8] = b"d1:md11:ut_metadatai3e6:ut_pexi1ee13:metadata_sizei31235e1:pi6881e4:reqqi500e1:v16:libtorrent/2.0.8e";

    #[test]
    fn reads_a_libtorrent_handshake() {
        let hs = ExtHandshake::decode(LIBTORRENT).unwrap();
        assert_eq!(
            hs,
            ExtHandshake {
                ut_metadata: Some(3),
                ut_pex: Some(1),
                metadata_size: Some(31235),
                client: Some("libtorrent/2.0.8".into()),
                listen_port: Some(6881),
                reqq: Some(500),
                yourip: None,
                upload_only: false,
            }
        );
    }

    #[test]
    fn refuses_a_handshake_whose_string_length_runs_past_the_end() {
        // The same handshake with `v` claiming 17 bytes for the 16 of "libtorrent/2.0.8".
        let broken = b"d1:md11:ut_metadatai3e6:ut_pexi1ee13:metadata_sizei31235e1:pi6881e4:reqqi500e1:v17:libtorrent/2.0.8e";
        assert_eq!(
            ExtHandshake::decode(broken),
            Err(ExtError::Bencode(BencodeError::UnexpectedEnd))
        );
    }

    #[test]
    fn reads_a_transmission_style_handshake_with_unknown_keys() {
        // Transmission sends `e`, `ipv6`, `complete_ago`, `yourip` and extensions we do not know.
        let payload = b"d12:complete_agoi1e1:ei0e4:ipv616:\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\x011:md11:lt_donthavei7e10:share_modei8e11:ut_metadatai2e6:ut_pexi0ee13:metadata_sizei512e1:pi51413e4:reqqi512e11:upload_onlyi1e1:v18:Transmission 4.0.56:yourip4:\xc0\xa8\x01\x02e";
        let hs = ExtHandshake::decode(payload).unwrap();
        assert_eq!(hs.ut_metadata, Some(2));
        assert_eq!(hs.ut_pex, None, "id 0 means disabled");
        assert_eq!(hs.metadata_size, Some(512));
        assert_eq!(hs.listen_port, Some(51413));
        assert_eq!(hs.client.as_deref(), Some("Transmission 4.0.5"));
        assert_eq!(hs.yourip, Some(IpAddr::V4(Ipv4Addr::new(192, 168, 1, 2))));
        assert!(hs.upload_only);
    }

    #[test]
    fn round_trips() {
        for hs in [
            ExtHandshake::default(),
            ExtHandshake {
                ut_metadata: Some(UT_METADATA_ID),
                ut_pex: Some(UT_PEX_ID),
                metadata_size: Some(123_456),
                client: Some("Brooklet 0.1.0".into()),
                listen_port: Some(6881),
                reqq: Some(250),
                yourip: Some("2001:db8::1".parse().unwrap()),
                upload_only: true,
            },
            ExtHandshake {
                ut_metadata: Some(255),
                yourip: Some("10.0.0.1".parse().unwrap()),
                ..ExtHandshake::default()
            },
        ] {
            assert_eq!(ExtHandshake::decode(&hs.encode()).unwrap(), hs);
        }
    }

    #[test]
    fn encodes_canonically() {
        let hs = ExtHandshake {
            ut_metadata: Some(1),
            ut_pex: Some(2),
            metadata_size: Some(31235),
            listen_port: Some(6881),
            ..ExtHandshake::default()
        };
        assert_eq!(
            &hs.encode()[..],
            b"d1:md11:ut_metadatai1e6:ut_pexi2ee13:metadata_sizei31235e1:pi6881ee"
        );
        assert_eq!(&ExtHandshake::default().encode()[..], b"d1:mdee");
    }

    #[test]
    fn refuses_non_dictionaries_and_bad_bencode() {
        assert_eq!(
            ExtHandshake::decode(b"li1ee"),
            Err(ExtError::NotADictionary)
        );
        assert!(matches!(
            ExtHandshake::decode(b"d1:mdee trailing"),
            Err(ExtError::Bencode(BencodeError::TrailingBytes { .. }))
        ));
        assert!(matches!(
            ExtHandshake::decode(b""),
            Err(ExtError::Bencode(_))
        ));
        assert_eq!(
            ExtHandshake::decode(b"d1:mi1ee"),
            Err(ExtError::WrongType("m"))
        );
    }

    #[test]
    fn refuses_extension_ids_outside_a_byte() {
        assert_eq!(
            ExtHandshake::decode(b"d1:md11:ut_metadatai256eee"),
            Err(ExtError::OutOfRange {
                field: "m.ut_metadata",
                value: 256
            })
        );
        assert_eq!(
            ExtHandshake::decode(b"d1:md6:ut_pexi-1eee"),
            Err(ExtError::OutOfRange {
                field: "m.ut_pex",
                value: -1
            })
        );
        assert_eq!(
            ExtHandshake::decode(b"d1:md6:ut_pex1:xee"),
            Err(ExtError::WrongType("m.ut_pex"))
        );
        // Unknown extensions may hold anything.
        let hs = ExtHandshake::decode(b"d1:md5:weirdli1ee4:zzzzi9999eee").unwrap();
        assert_eq!(hs, ExtHandshake::default());
    }

    #[test]
    fn refuses_negative_sizes_and_keeps_huge_claims_for_the_cap() {
        assert_eq!(
            ExtHandshake::decode(b"d13:metadata_sizei-1ee"),
            Err(ExtError::OutOfRange {
                field: "metadata_size",
                value: -1
            })
        );
        let hs = ExtHandshake::decode(b"d13:metadata_sizei9223372036854775807ee").unwrap();
        assert_eq!(hs.metadata_size, Some(i64::MAX as u64));
        assert_eq!(
            ExtHandshake::decode(b"d13:metadata_size3:abce"),
            Err(ExtError::WrongType("metadata_size"))
        );
    }

    #[test]
    fn checks_ports_reqq_and_yourip() {
        assert_eq!(
            ExtHandshake::decode(b"d1:pi65536ee"),
            Err(ExtError::OutOfRange {
                field: "p",
                value: 65536
            })
        );
        assert_eq!(ExtHandshake::decode(b"d1:pi0ee").unwrap().listen_port, None);
        assert_eq!(
            ExtHandshake::decode(b"d4:reqqi999999999999ee")
                .unwrap()
                .reqq,
            Some(MAX_REQQ)
        );
        assert!(ExtHandshake::decode(b"d4:reqqi-5ee").is_err());
        assert_eq!(
            ExtHandshake::decode(b"d6:yourip7:1234567e"),
            Err(ExtError::BadLength {
                field: "yourip",
                len: 7
            })
        );
        assert_eq!(
            ExtHandshake::decode(b"d6:youripi1ee"),
            Err(ExtError::WrongType("yourip"))
        );
    }

    #[test]
    fn sanitizes_the_client_name() {
        let hs = ExtHandshake::decode(b"d1:v13:evil\x1b[31m\n\x07\xffxe").unwrap();
        assert_eq!(hs.client.as_deref(), Some("evil[31m\u{fffd}x"));
        let long = format!("d1:v{}:{}e", 10_000, "a".repeat(10_000));
        let hs = ExtHandshake::decode(long.as_bytes()).unwrap();
        assert_eq!(hs.client.unwrap().chars().count(), MAX_CLIENT_CHARS);
        assert_eq!(ExtHandshake::decode(b"d1:v2:\n\te").unwrap().client, None);
        assert_eq!(
            ExtHandshake::decode(b"d1:vi1ee"),
            Err(ExtError::WrongType("v"))
        );
    }

    #[test]
    fn only_unknown_msg_type_is_ignorable() {
        assert!(ExtError::UnknownMsgType(7).is_ignorable());
        assert!(!ExtError::NotADictionary.is_ignorable());
    }
}
