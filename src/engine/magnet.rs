//! Magnet URIs (BEP 9, plus the `so` file selection of BEP 53): the way most torrents reach a
//! client today, pasted by a person or handed over by a browser.
//!
//! This module owns reading and writing the `magnet:?` text form: the info-hash (`xt`), the
//! display name (`dn`), trackers (`tr`), peers to try first (`x.pe`), web seeds (`ws`) and the
//! files to download (`so`). Input comes from the outside world, so parsing is strict about what
//! it keeps, caps every list, and never panics on any input. It depends on nothing but
//! [`crate::engine::info_hash`]: fetching the metadata a magnet link points to belongs to the
//! peer and tracker layers, which use this module and not the other way round.

use std::fmt;
use std::net::SocketAddr;
use std::ops::RangeInclusive;
use std::str::FromStr;

use crate::engine::info_hash::{InfoHash, InfoHashError};

/// Longest magnet link accepted, in bytes (64 KiB).
const MAX_URI_LEN: usize = 64 * 1024;
/// Trackers kept from one link; further `tr` are ignored.
const MAX_TRACKERS: usize = 200;
/// Peers kept from one link; further `x.pe` are ignored.
const MAX_PEERS: usize = 200;
/// Web seeds kept from one link; further `ws` are ignored.
const MAX_WEB_SEEDS: usize = 200;
/// File ranges kept from one link; further `so` items are ignored.
const MAX_SELECTIONS: usize = 1000;
/// Longest piece of user input quoted back in an error message, in characters.
const MAX_QUOTED: usize = 80;
/// Longest host name accepted in `x.pe` (RFC 1035 limit for a full name).
const MAX_HOST_LEN: usize = 253;

/// A parsed magnet link: what is needed to find a torrent's metadata and peers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MagnetLink {
    /// The v1 info-hash from `xt=urn:btih:` (hex or base32 in the link).
    pub info_hash: InfoHash,
    /// The suggested name from `dn`, if present and not empty.
    pub display_name: Option<String>,
    /// Tracker URLs from `tr` (and `tr.1`, `tr.2`, …) in order of appearance, without duplicates.
    pub trackers: Vec<String>,
    /// Peers to contact directly, from `x.pe`, without duplicates.
    pub peers: Vec<PeerAddr>,
    /// Web seed URLs (BEP 19) from `ws`, without duplicates.
    pub web_seeds: Vec<String>,
    /// File indices to download (BEP 53 `so`); empty means every file.
    pub select_only: Vec<RangeInclusive<usize>>,
}

/// The address of a peer named in `x.pe`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PeerAddr {
    /// A literal IPv4 or IPv6 address with its port.
    Ip(SocketAddr),
    /// A host name still to be resolved, with its port.
    Host(String, u16),
}

/// Why a magnet link was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MagnetError {
    /// The text does not start with `magnet:?` (in any case).
    #[error("not a magnet link: it must start with `magnet:?`")]
    NotMagnet,
    /// No `xt=urn:btih:` parameter was found.
    #[error("magnet link has no `xt=urn:btih:` info-hash")]
    NoInfoHash,
    /// Two `xt=urn:btih:` parameters name different torrents.
    #[error("magnet link has two different info-hashes ({0} and {1})")]
    TwoInfoHashes(InfoHash, InfoHash),
    /// The text after `urn:btih:` is not a valid info-hash.
    #[error("bad info-hash in magnet link: {0}")]
    BadInfoHash(InfoHashError),
    /// Only a v2 (`urn:btmh:`) info-hash was given.
    #[error("magnet link is v2-only (`urn:btmh:`), which Brooklet does not support yet")]
    V2Only,
    /// A `%` in the named parameter is not followed by two hex digits.
    #[error("bad percent-encoding in `{param}`: every `%` must be followed by two hex digits")]
    BadPercentEncoding {
        /// The parameter name as written in the link, e.g. `tr.2`.
        param: String,
    },
    /// The named parameter does not decode to UTF-8 text.
    #[error("`{param}` in the magnet link is not valid UTF-8 once percent-decoded")]
    BadUtf8 {
        /// The parameter name as written in the link, e.g. `dn`.
        param: String,
    },
    /// An `x.pe` value is not `ipv4:port`, `[ipv6]:port` or `host:port` with a port 1–65535.
    #[error("bad peer address `{0}` in x.pe: expected `ip:port`, `[ipv6]:port` or `host:port`")]
    BadPeer(String),
    /// An item of `so` is not an index or an `a-b` range with `a <= b`.
    #[error("bad file selection `{0}` in so: expected indices or ranges like `0,2,4-6`")]
    BadSelection(String),
    /// The whole link is longer than 64 KiB.
    #[error("magnet link is too long ({0} bytes, at most 64 KiB)")]
    TooLong(usize),
}

impl MagnetLink {
    /// A link naming only `info_hash`, with no name, trackers, peers, web seeds or selection.
    pub fn new(info_hash: InfoHash) -> MagnetLink {
        MagnetLink {
            info_hash,
            display_name: None,
            trackers: Vec::new(),
            peers: Vec::new(),
            web_seeds: Vec::new(),
            select_only: Vec::new(),
        }
    }

    /// Parses a `magnet:?` URI. Surrounding whitespace is ignored, unknown parameters are
    /// skipped, and items beyond the per-list caps (200 trackers, peers and web seeds, 1000 `so`
    /// ranges) are dropped without error.
    pub fn parse(uri: &str) -> Result<MagnetLink, MagnetError> {
        if uri.len() > MAX_URI_LEN {
            return Err(MagnetError::TooLong(uri.len()));
        }
        let query =
            strip_prefix_ignore_case(uri.trim(), "magnet:?").ok_or(MagnetError::NotMagnet)?;

        let mut info_hash: Option<InfoHash> = None;
        let mut saw_btmh = false;
        let mut display_name: Option<String> = None;
        let mut trackers: Vec<String> = Vec::new();
        let mut peers: Vec<PeerAddr> = Vec::new();
        let mut web_seeds: Vec<String> = Vec::new();
        let mut select_only: Vec<RangeInclusive<usize>> = Vec::new();

        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (key, raw) = pair.split_once('=').unwrap_or((pair, ""));
            match base_name(key) {
                "xt" => {
                    let value = decode(key, raw, false)?;
                    if let Some(text) = strip_prefix_ignore_case(&value, "urn:btih:") {
                        let hash = InfoHash::parse(text).map_err(MagnetError::BadInfoHash)?;
                        match info_hash {
                            Some(first) if first != hash => {
                                return Err(MagnetError::TwoInfoHashes(first, hash));
                            }
                            _ => info_hash = Some(hash),
                        }
                    } else if strip_prefix_ignore_case(&value, "urn:btmh:").is_some() {
                        saw_btmh = true;
                    }
                }
                // Once a list is full (or a name found), later items fall through to `_`
                // unread.
                "dn" if display_name.is_none() => {
                    let value = decode(key, raw, true)?;
                    if !value.is_empty() {
                        display_name = Some(value);
                    }
                }
                "tr" => push_url(&mut trackers, MAX_TRACKERS, key, raw)?,
                "ws" => push_url(&mut web_seeds, MAX_WEB_SEEDS, key, raw)?,
                "x.pe" if peers.len() < MAX_PEERS => {
                    let peer = parse_peer(&decode(key, raw, false)?)?;
                    if !peers.contains(&peer) {
                        peers.push(peer);
                    }
                }
                "so" if select_only.len() < MAX_SELECTIONS => {
                    parse_selection(&decode(key, raw, false)?, &mut select_only)?;
                }
                _ => {}
            }
        }

        let info_hash = match info_hash {
            Some(hash) => hash,
            None if saw_btmh => return Err(MagnetError::V2Only),
            None => return Err(MagnetError::NoInfoHash),
        };
        Ok(MagnetLink {
            info_hash,
            display_name,
            trackers,
            peers,
            web_seeds,
            select_only,
        })
    }

    /// Formats the link as `magnet:?xt=urn:btih:<40 lower-case hex>` followed by `dn`, `tr`,
    /// `x.pe`, `ws` and `so`, values percent-encoded per RFC 3986. An empty `display_name` and
    /// empty ranges (`start > end`) in `select_only` are left out.
    pub fn to_uri(&self) -> String {
        let mut s = String::from("magnet:?xt=urn:btih:");
        s.push_str(&self.info_hash.to_hex());
        if let Some(name) = self.display_name.as_deref().filter(|n| !n.is_empty()) {
            push_param(&mut s, "dn", name);
        }
        for tracker in &self.trackers {
            push_param(&mut s, "tr", tracker);
        }
        for peer in &self.peers {
            push_param(&mut s, "x.pe", &peer.to_string());
        }
        for seed in &self.web_seeds {
            push_param(&mut s, "ws", seed);
        }
        let ranges = self.selection_text();
        if !ranges.is_empty() {
            // Digits, `,` and `-` need no escaping in a query.
            s.push_str("&so=");
            s.push_str(&ranges);
        }
        s
    }

    /// The file selection (BEP 53 `so`) as written in a link: `0,2,4-6`; empty when none.
    pub fn selection_text(&self) -> String {
        self.select_only
            .iter()
            .filter(|r| r.start() <= r.end())
            .map(|r| {
                if r.start() == r.end() {
                    r.start().to_string()
                } else {
                    format!("{}-{}", r.start(), r.end())
                }
            })
            .collect::<Vec<_>>()
            .join(",")
    }

    /// True when file `index` should be downloaded: `select_only` is empty or contains it.
    pub fn wants_file(&self, index: usize) -> bool {
        self.select_only.is_empty() || self.select_only.iter().any(|r| r.contains(&index))
    }
}

impl FromStr for MagnetLink {
    type Err = MagnetError;

    /// Same as [`MagnetLink::parse`].
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        MagnetLink::parse(s)
    }
}

impl fmt::Display for MagnetLink {
    /// Writes [`MagnetLink::to_uri`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_uri())
    }
}

impl fmt::Display for PeerAddr {
    /// Writes `1.2.3.4:port`, `[ipv6]:port` or `host:port`, the form `x.pe` uses.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PeerAddr::Ip(addr) => write!(f, "{addr}"),
            PeerAddr::Host(host, port) => write!(f, "{host}:{port}"),
        }
    }
}

/// `xt.1` → `xt`, `tr.2` → `tr`; every other key is returned unchanged.
fn base_name(key: &str) -> &str {
    match key.split_once('.') {
        Some((base @ ("xt" | "tr"), n))
            if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) =>
        {
            base
        }
        _ => key,
    }
}

/// `text` without `prefix`, compared ASCII-case-insensitively; `None` if it does not start so.
fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    if head.eq_ignore_ascii_case(prefix) {
        text.get(prefix.len()..)
    } else {
        None
    }
}

/// At most [`MAX_QUOTED`] characters of `text`, for quoting in an error message.
fn quote(text: &str) -> String {
    match text.char_indices().nth(MAX_QUOTED) {
        Some((cut, _)) => format!("{}…", text.get(..cut).unwrap_or_default()),
        None => text.to_string(),
    }
}

/// Percent-decodes `raw` (the value of parameter `key`) into UTF-8 text; `+` becomes a space only
/// when `plus_is_space`.
fn decode(key: &str, raw: &str, plus_is_space: bool) -> Result<String, MagnetError> {
    let mut out = Vec::with_capacity(raw.len());
    let mut bytes = raw.bytes();
    while let Some(b) = bytes.next() {
        match b {
            b'%' => {
                let hi = bytes.next().and_then(hex_value);
                let lo = bytes.next().and_then(hex_value);
                match (hi, lo) {
                    (Some(hi), Some(lo)) => out.push((hi << 4) | lo),
                    _ => {
                        return Err(MagnetError::BadPercentEncoding { param: quote(key) });
                    }
                }
            }
            b'+' if plus_is_space => out.push(b' '),
            other => out.push(other),
        }
    }
    String::from_utf8(out).map_err(|_| MagnetError::BadUtf8 { param: quote(key) })
}

fn hex_value(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// Decodes a URL parameter and appends it to `list` unless empty, already present or the list is
/// full.
fn push_url(list: &mut Vec<String>, cap: usize, key: &str, raw: &str) -> Result<(), MagnetError> {
    if list.len() >= cap {
        return Ok(());
    }
    let url = decode(key, raw, false)?;
    if !url.is_empty() && !list.contains(&url) {
        list.push(url);
    }
    Ok(())
}

/// Appends `&key=value` with `value` percent-encoded: everything but RFC 3986 unreserved
/// characters becomes `%XX`.
fn push_param(out: &mut String, key: &str, value: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    out.push('&');
    out.push_str(key);
    out.push('=');
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 15)]));
        }
    }
}

/// Parses one `x.pe` value: `1.2.3.4:port`, `[ipv6]:port` or `host:port`, port 1–65535.
fn parse_peer(text: &str) -> Result<PeerAddr, MagnetError> {
    let bad = || MagnetError::BadPeer(quote(text));
    if let Ok(addr) = text.parse::<SocketAddr>() {
        return if addr.port() == 0 {
            Err(bad())
        } else {
            Ok(PeerAddr::Ip(addr))
        };
    }
    let (host, port) = text.rsplit_once(':').ok_or_else(bad)?;
    let host_ok = !host.is_empty()
        && host.len() <= MAX_HOST_LEN
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_'))
        // All digits and dots is a malformed IPv4 address, not a name.
        && !host.bytes().all(|b| b.is_ascii_digit() || b == b'.');
    if !host_ok {
        return Err(bad());
    }
    Ok(PeerAddr::Host(
        host.to_string(),
        parse_port(port).ok_or_else(bad)?,
    ))
}

/// A port written as 1–5 decimal digits, in 1..=65535.
fn parse_port(text: &str) -> Option<u16> {
    if text.is_empty() || text.len() > 5 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse::<u16>().ok().filter(|&p| p != 0)
}

/// Parses a `so` value such as `0,2,4,6-8` into `out`, stopping silently at the cap. Empty items
/// (as in a trailing comma) are skipped.
fn parse_selection(text: &str, out: &mut Vec<RangeInclusive<usize>>) -> Result<(), MagnetError> {
    for item in text.split(',').filter(|i| !i.is_empty()) {
        if out.len() >= MAX_SELECTIONS {
            break;
        }
        let bad = || MagnetError::BadSelection(quote(item));
        let range = match item.split_once('-') {
            Some((a, b)) => {
                let (a, b) = (
                    parse_index(a).ok_or_else(bad)?,
                    parse_index(b).ok_or_else(bad)?,
                );
                if a > b {
                    return Err(bad());
                }
                a..=b
            }
            None => {
                let a = parse_index(item).ok_or_else(bad)?;
                a..=a
            }
        };
        out.push(range);
    }
    Ok(())
}

/// A file index written as decimal digits only; `None` if empty, not digits or too large.
fn parse_index(text: &str) -> Option<usize> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse::<usize>().ok()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

    const HEX: &str = "c12fe1c06bba254a9dc9f519b335aa7c1367a88a";
    const BASE32: &str = "YEX6DQDLXISUVHOJ6UM3GNNKPQJWPKEK";

    fn hash() -> InfoHash {
        InfoHash::parse(HEX).unwrap()
    }

    fn link(params: &str) -> Result<MagnetLink, MagnetError> {
        MagnetLink::parse(&format!("magnet:?xt=urn:btih:{HEX}{params}"))
    }

    #[test]
    fn hex_xt() {
        let m = link("").unwrap();
        assert_eq!(m, MagnetLink::new(hash()));
        let upper = MagnetLink::parse(&format!("magnet:?xt=urn:btih:{}", HEX.to_uppercase()));
        assert_eq!(upper.unwrap().info_hash, hash());
    }

    #[test]
    fn base32_xt() {
        assert_eq!(hash().to_base32(), BASE32);
        let m = MagnetLink::parse(&format!("magnet:?xt=urn:btih:{BASE32}")).unwrap();
        assert_eq!(m.info_hash, hash());
        let lower = MagnetLink::parse(&format!("magnet:?xt=urn:btih:{}", BASE32.to_lowercase()));
        assert_eq!(lower.unwrap().info_hash, hash());
    }

    #[test]
    fn scheme_is_case_insensitive_and_whitespace_trimmed() {
        let m = MagnetLink::parse(&format!("  MAGNET:?xt=urn:btih:{HEX}\n")).unwrap();
        assert_eq!(m.info_hash, hash());
        let m = MagnetLink::parse(&format!("Magnet:?xt=URN:BTIH:{HEX}")).unwrap();
        assert_eq!(m.info_hash, hash());
    }

    #[test]
    fn xt_need_not_come_first() {
        let m = MagnetLink::parse(&format!("magnet:?dn=x&xt=urn:btih:{HEX}")).unwrap();
        assert_eq!(m.info_hash, hash());
        assert_eq!(m.display_name.as_deref(), Some("x"));
    }

    #[test]
    fn dn_with_percent_and_plus() {
        let m = link("&dn=Big%20Buck+Bunny%21%C3%A9").unwrap();
        assert_eq!(m.display_name.as_deref(), Some("Big Buck Bunny!é"));
        // `%2B` is a literal plus.
        let m = link("&dn=C%2B%2B").unwrap();
        assert_eq!(m.display_name.as_deref(), Some("C++"));
        // The first non-empty `dn` wins; an empty one is no name.
        let m = link("&dn=first&dn=second").unwrap();
        assert_eq!(m.display_name.as_deref(), Some("first"));
        assert_eq!(link("&dn=").unwrap().display_name, None);
    }

    #[test]
    fn plus_is_literal_in_tr_and_ws() {
        let m = link("&tr=http://t.example/a+b&ws=http://w.example/c+d").unwrap();
        assert_eq!(m.trackers, ["http://t.example/a+b"]);
        assert_eq!(m.web_seeds, ["http://w.example/c+d"]);
    }

    #[test]
    fn trackers_keep_order_and_drop_duplicates() {
        let m = link(
            "&tr=udp%3A%2F%2Fb.example%3A80&tr=http://a.example/announce\
             &tr=udp://b.example:80&tr=&tr=udp://c.example:6969",
        )
        .unwrap();
        assert_eq!(
            m.trackers,
            [
                "udp://b.example:80",
                "http://a.example/announce",
                "udp://c.example:6969"
            ]
        );
    }

    #[test]
    fn numbered_tr_and_xt() {
        let m = MagnetLink::parse(&format!(
            "magnet:?xt.1=urn:btih:{HEX}&xt.2=urn:btih:{BASE32}&tr.1=udp://a:1&tr.2=udp://b:2&tr=udp://a:1"
        ))
        .unwrap();
        assert_eq!(m.info_hash, hash());
        assert_eq!(m.trackers, ["udp://a:1", "udp://b:2"]);
        // Not a numbered variant: ignored like any unknown parameter.
        let m = link("&tr.x=udp://a:1&tr.=udp://b:2&TR=udp://c:3").unwrap();
        assert!(m.trackers.is_empty());
    }

    #[test]
    fn hybrid_keeps_btih() {
        let btmh = "1220caf1e1c30e81cb361b9ee167c4aa64228a7fa4fa9f6105232b28ad099f3a302e";
        let m = MagnetLink::parse(&format!(
            "magnet:?xt=urn:btmh:{btmh}&xt=urn:btih:{HEX}&dn=hybrid"
        ))
        .unwrap();
        assert_eq!(m.info_hash, hash());
    }

    #[test]
    fn unknown_parameters_ignored() {
        let m = link("&xl=12345&kt=a+b&as=http%3A%2F%2Fx&foo&=bar&&xs=%zz").unwrap();
        assert_eq!(m, MagnetLink::new(hash()));
        let m = MagnetLink::parse(&format!("magnet:?xt=urn:sha1:abc&xt=urn:btih:{HEX}")).unwrap();
        assert_eq!(m.info_hash, hash());
    }

    #[test]
    fn x_pe_ipv4_ipv6_and_host() {
        let m = link(
            "&x.pe=10.0.0.1:6881&x.pe=%5B2001:db8::1%5D:51413&x.pe=[::1]:1\
             &x.pe=peer.example.org:65535&x.pe=10.0.0.1:6881",
        )
        .unwrap();
        assert_eq!(
            m.peers,
            [
                PeerAddr::Ip(SocketAddr::new(
                    IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1)),
                    6881
                )),
                PeerAddr::Ip(SocketAddr::new(
                    IpAddr::V6("2001:db8::1".parse::<Ipv6Addr>().unwrap()),
                    51413
                )),
                PeerAddr::Ip(SocketAddr::new(IpAddr::V6(Ipv6Addr::LOCALHOST), 1)),
                PeerAddr::Host("peer.example.org".to_string(), 65535),
            ]
        );
        assert_eq!(m.peers[1].to_string(), "[2001:db8::1]:51413");
        assert_eq!(m.peers[3].to_string(), "peer.example.org:65535");
    }

    #[test]
    fn web_seeds() {
        let m = link("&ws=http%3A%2F%2Fmirror.example%2Ffile%20name.iso&ws=https://m2.example/")
            .unwrap();
        assert_eq!(
            m.web_seeds,
            ["http://mirror.example/file name.iso", "https://m2.example/"]
        );
    }

    #[test]
    fn so_indices_and_ranges() {
        let m = link("&so=0,2,4,6-8&so=10-10,").unwrap();
        assert_eq!(m.select_only, [0..=0, 2..=2, 4..=4, 6..=8, 10..=10]);
        let wanted: Vec<usize> = (0..12).filter(|&i| m.wants_file(i)).collect();
        assert_eq!(wanted, [0, 2, 4, 6, 7, 8, 10]);
        // Percent-encoded commas work too.
        assert_eq!(link("&so=1%2C3").unwrap().select_only, [1..=1, 3..=3]);
        // No selection: every file.
        let all = link("").unwrap();
        assert!(all.wants_file(0) && all.wants_file(usize::MAX));
    }

    #[test]
    fn caps_drop_extra_items() {
        let mut params = String::new();
        for i in 0..250 {
            params.push_str(&format!("&tr=udp://t{i}:1&ws=http://w{i}/&x.pe=h{i}:1"));
        }
        params.push_str("&so=");
        let items: Vec<String> = (0..1100).map(|i| (i * 2).to_string()).collect();
        params.push_str(&items.join(","));
        // Beyond the cap, even malformed items are not looked at.
        params.push_str("&so=oops&x.pe=bad");
        let m = link(&params).unwrap();
        assert_eq!(m.trackers.len(), MAX_TRACKERS);
        assert_eq!(m.trackers[199], "udp://t199:1");
        assert_eq!(m.web_seeds.len(), MAX_WEB_SEEDS);
        assert_eq!(m.peers.len(), MAX_PEERS);
        assert_eq!(m.select_only.len(), MAX_SELECTIONS);
        assert_eq!(m.select_only[999], 1998..=1998);
    }

    #[test]
    fn to_uri_format() {
        let mut m = MagnetLink::new(hash());
        m.display_name = Some("a b+c/é".to_string());
        m.trackers = vec!["udp://t.example:80/announce".to_string()];
        m.peers = vec![PeerAddr::Host("h.example".to_string(), 80)];
        // An empty range selects nothing and is left out.
        m.select_only = vec![1..=1, 3..=5, RangeInclusive::new(9, 2)];
        assert_eq!(
            m.to_uri(),
            format!(
                "magnet:?xt=urn:btih:{HEX}&dn=a%20b%2Bc%2F%C3%A9\
                 &tr=udp%3A%2F%2Ft.example%3A80%2Fannounce&x.pe=h.example%3A80&so=1,3-5"
            )
        );
        assert_eq!(m.to_string(), m.to_uri());
        assert_eq!(
            MagnetLink::new(hash()).to_uri(),
            format!("magnet:?xt=urn:btih:{HEX}")
        );
    }

    #[test]
    fn round_trip_fully_populated() {
        let m = MagnetLink {
            info_hash: hash(),
            display_name: Some("Ubuntu 24.04 + extras (100%) & more=yes ☃".to_string()),
            trackers: vec![
                "udp://tracker.example:6969/announce?key=a+b&c=%20".to_string(),
                "https://t2.example/announce".to_string(),
            ],
            peers: vec![
                PeerAddr::Ip("192.168.1.2:6881".parse().unwrap()),
                PeerAddr::Ip("[fe80::1:2]:443".parse().unwrap()),
                PeerAddr::Host("seed.example.net".to_string(), 51413),
            ],
            web_seeds: vec!["http://mirror.example/path with spaces/".to_string()],
            select_only: vec![0..=0, 2..=2, 5..=9, usize::MAX..=usize::MAX],
        };
        let uri = m.to_uri();
        assert_eq!(MagnetLink::parse(&uri), Ok(m.clone()));
        assert_eq!(uri.parse::<MagnetLink>(), Ok(m));
    }

    #[test]
    fn error_not_magnet() {
        for text in [
            "",
            "magnet:",
            "magnet:xt=urn:btih:x",
            "http://example.com/?xt=1",
            "é",
        ] {
            assert_eq!(
                MagnetLink::parse(text),
                Err(MagnetError::NotMagnet),
                "{text}"
            );
        }
        assert_eq!(
            MagnetError::NotMagnet.to_string(),
            "not a magnet link: it must start with `magnet:?`"
        );
    }

    #[test]
    fn error_no_info_hash() {
        for text in [
            "magnet:?",
            "magnet:?dn=x&tr=udp://a:1",
            "magnet:?xt=urn:sha1:abc",
        ] {
            assert_eq!(
                MagnetLink::parse(text),
                Err(MagnetError::NoInfoHash),
                "{text}"
            );
        }
    }

    #[test]
    fn error_two_info_hashes() {
        let other = "0000000000000000000000000000000000000001";
        let err = link(&format!("&xt=urn:btih:{other}")).unwrap_err();
        assert_eq!(
            err,
            MagnetError::TwoInfoHashes(hash(), InfoHash::parse(other).unwrap())
        );
        assert!(err.to_string().contains("two different info-hashes"));
        // The same hash twice, in hex and base32, is fine.
        assert!(link(&format!("&xt=urn:btih:{BASE32}")).is_ok());
    }

    #[test]
    fn error_bad_info_hash() {
        assert_eq!(
            MagnetLink::parse("magnet:?xt=urn:btih:abc"),
            Err(MagnetError::BadInfoHash(InfoHashError::BadLength(3)))
        );
        let bad = format!("g{}", &HEX[1..]);
        let err = MagnetLink::parse(&format!("magnet:?xt=urn:btih:{bad}")).unwrap_err();
        assert_eq!(err, MagnetError::BadInfoHash(InfoHashError::BadHex('g')));
        assert!(
            err.to_string()
                .starts_with("bad info-hash in magnet link: ")
        );
    }

    #[test]
    fn error_v2_only() {
        let err = MagnetLink::parse("magnet:?xt=urn:btmh:1220abcd&dn=x").unwrap_err();
        assert_eq!(err, MagnetError::V2Only);
        assert!(err.to_string().contains("v2-only"));
    }

    #[test]
    fn error_bad_percent_encoding() {
        for params in ["&tr.3=udp%3", "&tr.3=%zz", "&tr.3=%"] {
            assert_eq!(
                link(params),
                Err(MagnetError::BadPercentEncoding {
                    param: "tr.3".to_string()
                }),
                "{params}"
            );
        }
        let err = link("&dn=100%").unwrap_err();
        assert_eq!(
            err.to_string(),
            "bad percent-encoding in `dn`: every `%` must be followed by two hex digits"
        );
    }

    #[test]
    fn error_bad_utf8() {
        let err = link("&dn=%FF%FE").unwrap_err();
        assert_eq!(
            err,
            MagnetError::BadUtf8 {
                param: "dn".to_string()
            }
        );
        assert!(err.to_string().contains("`dn`"));
        assert!(matches!(link("&ws=%C3"), Err(MagnetError::BadUtf8 { param }) if param == "ws"));
    }

    #[test]
    fn error_bad_peer() {
        for peer in [
            "10.0.0.1",
            "10.0.0.1:0",
            "10.0.0.1:65536",
            "[::1]:0",
            "::1:80",
            "[::1:80",
            ":80",
            "host:",
            "host:+80",
            "host:-1",
            "host:999999999999999999999",
            "bad_host!:80",
            "999.1.1.1:80",
            "ho st:80",
        ] {
            let encoded = peer.replace(' ', "%20");
            assert_eq!(
                link(&format!("&x.pe={encoded}")),
                Err(MagnetError::BadPeer(peer.to_string())),
                "{peer}"
            );
        }
        assert_eq!(
            MagnetError::BadPeer("x".to_string()).to_string(),
            "bad peer address `x` in x.pe: expected `ip:port`, `[ipv6]:port` or `host:port`"
        );
    }

    #[test]
    fn error_bad_selection() {
        for item in [
            "5-3",
            "a",
            "1-",
            "-1",
            "1-2-3",
            "+1",
            " 1",
            "99999999999999999999999999999",
            "0-99999999999999999999999999999",
        ] {
            let encoded = item.replace(' ', "%20");
            assert_eq!(
                link(&format!("&so=0,{encoded}")),
                Err(MagnetError::BadSelection(item.to_string())),
                "{item}"
            );
        }
        assert!(
            link("&so=0,5-3")
                .unwrap_err()
                .to_string()
                .contains("`5-3` in so")
        );
    }

    #[test]
    fn error_too_long() {
        let long = format!("magnet:?xt=urn:btih:{HEX}&dn={}", "a".repeat(MAX_URI_LEN));
        assert_eq!(
            MagnetLink::parse(&long),
            Err(MagnetError::TooLong(long.len()))
        );
        assert!(
            MagnetError::TooLong(70000)
                .to_string()
                .contains("70000 bytes")
        );
        // Exactly 64 KiB is still accepted.
        let head = format!("magnet:?xt=urn:btih:{HEX}&dn=");
        let fits = format!("{head}{}", "a".repeat(MAX_URI_LEN - head.len()));
        assert_eq!(fits.len(), MAX_URI_LEN);
        assert!(MagnetLink::parse(&fits).is_ok());
    }

    #[test]
    fn long_values_are_shortened_in_errors() {
        let peer = "x".repeat(500);
        let Err(MagnetError::BadPeer(quoted)) = link(&format!("&x.pe={peer}")) else {
            panic!("expected BadPeer");
        };
        assert_eq!(quoted.chars().count(), MAX_QUOTED + 1);
        assert!(quoted.ends_with('…'));
    }

    #[test]
    fn never_panics_on_random_input() {
        // xorshift64*: deterministic, no dependency.
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move || {
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            state.wrapping_mul(0x2545_F491_4F6C_DD1D)
        };
        const TOKENS: &[&str] = &[
            "xt=urn:btih:",
            "xt.1=",
            "urn:btmh:",
            HEX,
            BASE32,
            "&",
            "=",
            "%",
            "%C3",
            "%A9",
            "%5B",
            "+",
            "tr=",
            "tr.2=",
            "dn=",
            "ws=",
            "x.pe=",
            "so=",
            "[",
            "]",
            ":",
            "::1",
            "-",
            ",",
            "0",
            "65535",
            "99999999999999999999",
            "é",
            "☃",
            ".",
            "host",
        ];
        let mut parsed = 0;
        for round in 0..600 {
            let mut text = String::from("magnet:?");
            let len = next() % 64;
            if round % 2 == 0 {
                // Raw bytes, made into text the lossy way.
                let bytes: Vec<u8> = (0..len).map(|_| next().to_le_bytes()[3]).collect();
                text.push_str(&String::from_utf8_lossy(&bytes));
            } else {
                if round % 4 == 1 {
                    // Start from a valid link so that later parameters get exercised too.
                    text.push_str(&format!("xt=urn:btih:{HEX}&"));
                }
                for _ in 0..len {
                    let i = usize::try_from(next() % TOKENS.len() as u64).unwrap();
                    text.push_str(TOKENS[i]);
                }
            }
            if let Ok(m) = MagnetLink::parse(&text) {
                parsed += 1;
                // Whatever parses must survive a round trip.
                assert_eq!(MagnetLink::parse(&m.to_uri()), Ok(m.clone()), "{text}");
                let _ = m.wants_file(usize::try_from(next() % 100).unwrap());
            }
        }
        assert!(parsed >= 10, "only {parsed} random links parsed");
    }
}
