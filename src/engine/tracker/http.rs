//! HTTP trackers: BEP 3 announces with BEP 23 compact and BEP 7 `peers6` peer lists (and the
//! original dictionary model), and BEP 48 scrapes.
//!
//! No HTTP crate is available, so this module owns a minimal HTTP/1.1 client over
//! [`tokio::net::TcpStream`]: one `GET` per connection (`Connection: close`), bodies framed by
//! `Content-Length`, chunked transfer-encoding or the end of the connection, at most three
//! redirects (to `http://` or `https://`), headers capped at 16 KiB and bodies at 2 MiB, the whole
//! exchange under one timeout. It also owns the parsing of announce and scrape bodies, which go
//! through [`bencode::decode`] with [`Limits::MESSAGE`] first. It relies on the parent module for
//! URLs, the loopback guard and peer lists, and must not depend on anything above the engine's
//! identity types and bencode gate. `https://` runs the same exchange over TLS ([`super::tls`]).

use super::{
    AnnounceRequest, AnnounceResponse, PeerList, ScrapeStats, TrackerConfig, TrackerError,
    TrackerUrl, clamp_interval, percent_encode, resolve,
};
use crate::engine::InfoHash;
use crate::engine::bencode::{self, Limits, get};
use serde_bencode::value::Value;
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Largest header block accepted (status line and headers).
pub const MAX_HEADER_BYTES: usize = 16 * 1024;
/// Largest body accepted (bencode decoding then applies its own, smaller, limit).
pub const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;
/// Most redirects followed for one request.
pub const MAX_REDIRECTS: usize = 3;
/// Longest chunk-size or trailer line accepted in a chunked body.
const MAX_LINE_BYTES: usize = 4096;

/// Announces over HTTP (BEP 3): builds the query, fetches, parses the body.
pub(crate) async fn announce(
    config: &TrackerConfig,
    url: &str,
    parsed: &TrackerUrl,
    req: &AnnounceRequest,
    tracker_id: Option<&str>,
) -> Result<AnnounceResponse, TrackerError> {
    let target = TrackerUrl {
        path_and_query: parsed.with_params(&announce_query(req, tracker_id)),
        ..parsed.clone()
    };
    let body = fetch(config, url, target).await?;
    parse_announce(url, &body)
}

/// Scrapes over HTTP at the URL derived by BEP 48 from the announce URL.
pub(crate) async fn scrape(
    config: &TrackerConfig,
    url: &str,
    info_hash: InfoHash,
) -> Result<ScrapeStats, TrackerError> {
    let scrape = TrackerUrl::parse(&scrape_url(url)?)?;
    let target = TrackerUrl {
        path_and_query: scrape.with_params(&format!("info_hash={}", percent_encode(&info_hash.0))),
        ..scrape
    };
    let body = fetch(config, url, target).await?;
    parse_scrape(url, &body, info_hash)
}

/// The announce query (BEP 3): `info_hash` and `peer_id` percent-encoded, our counts, always
/// `compact=1` (BEP 23) and `no_peer_id=1`, `event` unless a regular announce, `numwant` when
/// given, `key` as 8 hex digits, and `trackerid` when the tracker gave us one.
pub fn announce_query(req: &AnnounceRequest, tracker_id: Option<&str>) -> String {
    let mut q = format!(
        "info_hash={}&peer_id={}&port={}&uploaded={}&downloaded={}&left={}&compact=1&no_peer_id=1",
        percent_encode(&req.info_hash.0),
        percent_encode(&req.peer_id.0),
        req.port,
        req.uploaded,
        req.downloaded,
        req.left,
    );
    if let Some(event) = req.event.as_query_value() {
        q.push_str("&event=");
        q.push_str(event);
    }
    if let Some(n) = req.num_want {
        q.push_str(&format!("&numwant={n}"));
    }
    q.push_str(&format!("&key={:08x}", req.key));
    if let Some(id) = tracker_id {
        q.push_str("&trackerid=");
        q.push_str(&percent_encode(id.as_bytes()));
    }
    q
}

/// Derives the scrape URL from an announce URL (BEP 48): when the text after the last `/` of the
/// path starts with `announce`, that word becomes `scrape` (query kept); otherwise the tracker
/// does not support scrape ([`TrackerError::Unsupported`]).
pub fn scrape_url(announce_url: &str) -> Result<String, TrackerError> {
    let unsupported = || {
        TrackerError::Unsupported(format!(
            "tracker {announce_url} does not support scrape (BEP 48: the last part of its path \
             is not `announce`)"
        ))
    };
    let text = announce_url.trim();
    let after_scheme = text.find("://").map(|i| i + 3).ok_or_else(unsupported)?;
    let path_start = text[after_scheme..]
        .find('/')
        .map(|i| i + after_scheme)
        .ok_or_else(unsupported)?;
    let path_end = text[path_start..]
        .find(['?', '#'])
        .map_or(text.len(), |i| i + path_start);
    // An authority never holds `/`, but `?` may come before the first `/` (`http://h?x=/a`).
    if text[after_scheme..path_start].contains(['?', '#']) {
        return Err(unsupported());
    }
    let last_slash = text[path_start..path_end]
        .rfind('/')
        .map(|i| i + path_start)
        .ok_or_else(unsupported)?;
    let segment = &text[last_slash + 1..path_end];
    let rest = segment.strip_prefix("announce").ok_or_else(unsupported)?;
    Ok(format!(
        "{}scrape{}{}",
        &text[..=last_slash],
        rest,
        &text[path_end..]
    ))
}

/// Decodes an announce response body (BEP 3, BEP 7, BEP 23).
pub fn parse_announce(url: &str, body: &[u8]) -> Result<AnnounceResponse, TrackerError> {
    let dict = decode_dict(url, body)?;
    if let Some(reason) = get::string(&dict, "failure reason") {
        return Err(TrackerError::Failure(reason));
    }
    let mut peers = PeerList::default();
    match dict.get(b"peers".as_slice()) {
        Some(Value::Bytes(b)) => peers
            .add_compact(b, false)
            .map_err(|e| TrackerError::bad(url, e))?,
        Some(Value::List(l)) => add_dictionary_peers(l, &mut peers),
        _ => {}
    }
    match dict.get(b"peers6".as_slice()) {
        Some(Value::Bytes(b)) => peers
            .add_compact(b, true)
            .map_err(|e| TrackerError::bad(url, e))?,
        Some(Value::List(l)) => add_dictionary_peers(l, &mut peers),
        _ => {}
    }
    let min_interval = get::int(&dict, "min interval")
        .filter(|&s| s >= 1)
        .map(|s| clamp_interval(Some(s)));
    Ok(AnnounceResponse {
        interval: clamp_interval(get::int(&dict, "interval")),
        min_interval,
        peers: peers.into_vec(),
        seeders: get::int(&dict, "complete").and_then(|n| u32::try_from(n).ok()),
        leechers: get::int(&dict, "incomplete").and_then(|n| u32::try_from(n).ok()),
        warning: get::string(&dict, "warning message").map(|w| cap_text(&w)),
        tracker_id: get::string(&dict, "tracker id").map(|w| cap_text(&w)),
    })
}

/// Decodes a scrape response body (BEP 48): `files` maps the 20-byte info-hash to its counts. A
/// tracker that does not list the torrent knows no peer for it: all counts are 0.
pub fn parse_scrape(
    url: &str,
    body: &[u8],
    info_hash: InfoHash,
) -> Result<ScrapeStats, TrackerError> {
    let dict = decode_dict(url, body)?;
    if let Some(reason) = get::string(&dict, "failure reason") {
        return Err(TrackerError::Failure(reason));
    }
    let files = match dict.get(b"files".as_slice()) {
        Some(Value::Dict(files)) => files,
        _ => {
            return Err(TrackerError::bad(
                url,
                "scrape answer has no `files` dictionary",
            ));
        }
    };
    let Some(entry) = files.get(info_hash.0.as_slice()) else {
        return Ok(ScrapeStats::default());
    };
    let entry = get::dict(entry)
        .ok_or_else(|| TrackerError::bad(url, "scrape entry is not a dictionary"))?;
    let count = |key: &str| {
        get::int(entry, key)
            .and_then(|n| u32::try_from(n).ok())
            .unwrap_or(0)
    };
    Ok(ScrapeStats {
        complete: count("complete"),
        incomplete: count("incomplete"),
        downloaded: count("downloaded"),
    })
}

/// Runs a body through the bencode gate and requires a dictionary.
fn decode_dict(url: &str, body: &[u8]) -> Result<HashMap<Vec<u8>, Value>, TrackerError> {
    let (value, _) = bencode::decode(body, Limits::MESSAGE)
        .map_err(|e| TrackerError::bad(url, format!("not bencoded: {e}")))?;
    match value {
        Value::Dict(d) => Ok(d),
        _ => Err(TrackerError::bad(url, "not a bencoded dictionary")),
    }
}

/// Keeps tracker-supplied text to a sane length for the GUI.
fn cap_text(text: &str) -> String {
    text.chars().take(1024).collect()
}

/// The original peer model (BEP 3): a list of dictionaries with `ip` (an IPv4 or IPv6 literal;
/// host names are skipped, we resolve nothing a tracker names) and `port`.
fn add_dictionary_peers(list: &[Value], peers: &mut PeerList) {
    for item in list {
        let Some(d) = get::dict(item) else { continue };
        let Some(ip) = get::bytes(d, "ip").and_then(|b| std::str::from_utf8(b).ok()) else {
            continue;
        };
        let ip = ip.trim().trim_start_matches('[').trim_end_matches(']');
        let Ok(ip) = ip.parse::<IpAddr>() else {
            continue;
        };
        let Some(port) = get::int(d, "port").and_then(|p| u16::try_from(p).ok()) else {
            continue;
        };
        peers.push(ip, port);
    }
}

/// A response as read off the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct HttpResponse {
    pub status: u16,
    pub reason: String,
    pub location: Option<String>,
    pub body: Vec<u8>,
}

/// GETs `target` under the configured timeout, following up to [`MAX_REDIRECTS`] redirects,
/// and returns the body of a 200 answer. `url` is the URL the user knows, for messages.
async fn fetch(
    config: &TrackerConfig,
    url: &str,
    target: TrackerUrl,
) -> Result<Vec<u8>, TrackerError> {
    match tokio::time::timeout(config.http_timeout, fetch_following(config, url, target)).await {
        Ok(result) => result,
        Err(_) => Err(TrackerError::Timeout(url.to_owned())),
    }
}

async fn fetch_following(
    config: &TrackerConfig,
    url: &str,
    mut target: TrackerUrl,
) -> Result<Vec<u8>, TrackerError> {
    let mut redirects = 0;
    loop {
        let resp = get_once(config, url, &target).await?;
        if matches!(resp.status, 301 | 302 | 303 | 307 | 308) {
            let Some(location) = resp.location else {
                return Err(TrackerError::bad(
                    url,
                    format!("redirect {} without a Location", resp.status),
                ));
            };
            if redirects == MAX_REDIRECTS {
                return Err(TrackerError::bad(
                    url,
                    format!("more than {MAX_REDIRECTS} redirects"),
                ));
            }
            redirects += 1;
            target = redirect_target(url, &target, &location)?;
            continue;
        }
        if resp.status != 200 {
            // Many trackers explain a refusal in a bencoded body with a 4xx status.
            if let Err(TrackerError::Failure(reason)) = parse_announce(url, &resp.body) {
                return Err(TrackerError::Failure(reason));
            }
            return Err(TrackerError::HttpStatus {
                url: url.to_owned(),
                status: resp.status,
                reason: cap_text(&resp.reason),
            });
        }
        return Ok(resp.body);
    }
}

/// Where a `Location` header sends us: an absolute `http://` URL, a scheme-relative `//host/…`,
/// an absolute path or a path relative to the current one. Anything but HTTP(S) is refused.
pub(crate) fn redirect_target(
    url: &str,
    current: &TrackerUrl,
    location: &str,
) -> Result<TrackerUrl, TrackerError> {
    let location = location.trim();
    let scheme = match current.scheme {
        super::Scheme::Https => "https",
        _ => "http",
    };
    let scheme_end = location.find("://");
    let is_absolute = scheme_end.is_some_and(|i| {
        location[..i]
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'-' | b'.'))
    });
    let next = if is_absolute {
        TrackerUrl::parse(location)?
    } else if location.starts_with("//") {
        TrackerUrl::parse(&format!("{scheme}:{location}"))?
    } else if location.starts_with('/') {
        TrackerUrl::parse(&format!("{scheme}://{}{location}", current.host_header()))?
    } else {
        let path = current.path_and_query.split('?').next().unwrap_or("/");
        let dir = path.rfind('/').map_or("/", |i| &path[..=i]);
        TrackerUrl::parse(&format!(
            "{scheme}://{}{dir}{location}",
            current.host_header()
        ))?
    };
    match next.scheme {
        super::Scheme::Http | super::Scheme::Https => Ok(next),
        super::Scheme::Udp => Err(TrackerError::bad(url, "redirect to a non-HTTP URL")),
    }
}

/// One request on a fresh connection: resolve (loopback guard first), connect, send, read.
async fn get_once(
    config: &TrackerConfig,
    url: &str,
    target: &TrackerUrl,
) -> Result<HttpResponse, TrackerError> {
    let addrs = resolve(
        url,
        &target.host,
        target.port,
        config.loopback_only,
        config.http_timeout,
    )
    .await?;
    let tcp = connect_any(url, &addrs).await?;
    let request = format!(
        "GET {} HTTP/1.1\r\nHost: {}\r\nUser-Agent: Brooklet/{}\r\nAccept: */*\r\n\
         Accept-Encoding: identity\r\nConnection: close\r\n\r\n",
        target.path_and_query,
        target.host_header(),
        env!("CARGO_PKG_VERSION"),
    );
    if target.scheme == super::Scheme::Https {
        let tls = super::tls::client_config(config.extra_ca.as_deref()).map_err(|message| {
            TrackerError::Io {
                url: url.to_owned(),
                message,
            }
        })?;
        let mut stream = super::tls::connect(tcp, &target.host, tls)
            .await
            .map_err(|e| TrackerError::Io {
                url: url.to_owned(),
                message: format!("TLS: {e}"),
            })?;
        exchange(url, &mut stream, &request).await
    } else {
        let mut stream = tcp;
        exchange(url, &mut stream, &request).await
    }
}

/// Sends the request and reads the response, over plain TCP or TLS.
async fn exchange<S: AsyncRead + tokio::io::AsyncWrite + Unpin>(
    url: &str,
    stream: &mut S,
    request: &str,
) -> Result<HttpResponse, TrackerError> {
    stream
        .write_all(request.as_bytes())
        .await
        .map_err(|e| TrackerError::io(url, &e))?;
    stream
        .flush()
        .await
        .map_err(|e| TrackerError::io(url, &e))?;
    read_response(url, stream).await
}

/// Connects to the first address that accepts; the error of the last one otherwise.
async fn connect_any(url: &str, addrs: &[SocketAddr]) -> Result<TcpStream, TrackerError> {
    let mut last = TrackerError::Io {
        url: url.to_owned(),
        message: "no address to connect to".to_owned(),
    };
    for addr in addrs {
        match TcpStream::connect(addr).await {
            Ok(s) => return Ok(s),
            Err(e) => last = TrackerError::io(url, &e),
        }
    }
    Err(last)
}

/// Buffered reading with hard limits, over any byte stream (tests use byte slices).
struct Reader<'a, R> {
    inner: &'a mut R,
    buf: Vec<u8>,
    pos: usize,
    url: &'a str,
}

impl<R: AsyncRead + Unpin> Reader<'_, R> {
    /// Bytes read but not yet consumed.
    fn pending(&self) -> &[u8] {
        &self.buf[self.pos..]
    }

    /// Reads more bytes; false at the end of the stream.
    async fn fill(&mut self) -> Result<bool, TrackerError> {
        if self.pos > 0 {
            self.buf.drain(..self.pos);
            self.pos = 0;
        }
        let mut chunk = [0u8; 8192];
        let n = match self.inner.read(&mut chunk).await {
            Ok(n) => n,
            // A TLS server that closes without `close_notify`: the end of the stream, as with
            // plain TCP (a body cut short still fails its framing or its bencode).
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => 0,
            Err(e) => return Err(TrackerError::io(self.url, &e)),
        };
        self.buf.extend_from_slice(&chunk[..n]);
        Ok(n > 0)
    }

    /// Reads the header block (up to and including the blank line) and returns it.
    async fn head(&mut self) -> Result<Vec<u8>, TrackerError> {
        loop {
            if let Some(end) = head_end(self.pending()) {
                let head = self.pending()[..end].to_vec();
                self.pos += end;
                return Ok(head);
            }
            if self.pending().len() > MAX_HEADER_BYTES {
                return Err(TrackerError::bad(
                    self.url,
                    format!("headers longer than {MAX_HEADER_BYTES} bytes"),
                ));
            }
            if !self.fill().await? {
                return Err(TrackerError::bad(
                    self.url,
                    "connection closed before the end of the headers",
                ));
            }
        }
    }

    /// Reads one line (without its CRLF or LF) of at most [`MAX_LINE_BYTES`].
    async fn line(&mut self) -> Result<Vec<u8>, TrackerError> {
        loop {
            if let Some(i) = self.pending().iter().position(|&b| b == b'\n') {
                let mut line = self.pending()[..i].to_vec();
                self.pos += i + 1;
                if line.last() == Some(&b'\r') {
                    line.pop();
                }
                return Ok(line);
            }
            if self.pending().len() > MAX_LINE_BYTES {
                return Err(TrackerError::bad(
                    self.url,
                    "overlong line in a chunked body",
                ));
            }
            if !self.fill().await? {
                return Err(TrackerError::bad(
                    self.url,
                    "connection closed in the middle of a chunked body",
                ));
            }
        }
    }

    /// Appends exactly `n` bytes to `out`.
    async fn take(&mut self, n: usize, out: &mut Vec<u8>) -> Result<(), TrackerError> {
        let mut left = n;
        loop {
            let have = self.pending().len().min(left);
            out.extend_from_slice(&self.pending()[..have]);
            self.pos += have;
            left -= have;
            if left == 0 {
                return Ok(());
            }
            if !self.fill().await? {
                return Err(TrackerError::bad(
                    self.url,
                    format!("connection closed after {} of {n} body bytes", n - left),
                ));
            }
        }
    }

    /// Everything until the end of the stream, at most [`MAX_BODY_BYTES`].
    async fn rest(&mut self) -> Result<Vec<u8>, TrackerError> {
        loop {
            if self.pending().len() > MAX_BODY_BYTES {
                return Err(too_large(self.url));
            }
            if !self.fill().await? {
                return Ok(self.pending().to_vec());
            }
        }
    }

    /// A chunked body (RFC 9112 §7.1), trailers read and ignored.
    async fn chunked(&mut self) -> Result<Vec<u8>, TrackerError> {
        let mut body = Vec::new();
        loop {
            let line = self.line().await?;
            let size_text = line.split(|&b| b == b';').next().unwrap_or(&[]);
            let size_text = std::str::from_utf8(size_text).unwrap_or("").trim();
            let size = if !size_text.is_empty()
                && size_text.len() <= 16
                && size_text.bytes().all(|c| c.is_ascii_hexdigit())
            {
                usize::from_str_radix(size_text, 16).ok()
            } else {
                None
            }
            .ok_or_else(|| TrackerError::bad(self.url, "bad chunk size in a chunked body"))?;
            if size == 0 {
                let mut trailer_bytes = 0usize;
                loop {
                    let trailer = self.line().await?;
                    if trailer.is_empty() {
                        return Ok(body);
                    }
                    trailer_bytes += trailer.len();
                    if trailer_bytes > MAX_HEADER_BYTES {
                        return Err(TrackerError::bad(self.url, "trailers too long"));
                    }
                }
            }
            if size > MAX_BODY_BYTES - body.len() {
                return Err(too_large(self.url));
            }
            self.take(size, &mut body).await?;
            if !self.line().await?.is_empty() {
                return Err(TrackerError::bad(self.url, "chunk longer than its size"));
            }
        }
    }
}

fn too_large(url: &str) -> TrackerError {
    TrackerError::bad(url, format!("body larger than {MAX_BODY_BYTES} bytes"))
}

/// The length of the header block in `buf` (through the blank line, CRLF or bare LF), if
/// complete within [`MAX_HEADER_BYTES`].
fn head_end(buf: &[u8]) -> Option<usize> {
    let window = &buf[..buf.len().min(MAX_HEADER_BYTES)];
    for (i, &b) in window.iter().enumerate() {
        if b != b'\n' {
            continue;
        }
        match (window.get(i + 1), window.get(i + 2)) {
            (Some(b'\n'), _) => return Some(i + 2),
            (Some(b'\r'), Some(b'\n')) => return Some(i + 3),
            _ => {}
        }
    }
    None
}

/// Reads one HTTP/1.x response from `stream`: interim 1xx answers skipped, the body framed by
/// chunked transfer-encoding, `Content-Length` or the end of the connection.
pub(crate) async fn read_response<R: AsyncRead + Unpin>(
    url: &str,
    stream: &mut R,
) -> Result<HttpResponse, TrackerError> {
    let mut reader = Reader {
        inner: stream,
        buf: Vec::new(),
        pos: 0,
        url,
    };
    loop {
        let head = reader.head().await?;
        let text = String::from_utf8_lossy(&head);
        let mut lines = text.lines().map(|l| l.trim_end_matches('\r'));
        let status_line = lines.next().unwrap_or("");
        let (status, reason) = parse_status_line(status_line)
            .ok_or_else(|| TrackerError::bad(url, "not an HTTP response"))?;
        let mut content_length: Option<u64> = None;
        let mut chunked = false;
        let mut has_transfer_encoding = false;
        let mut location = None;
        for line in lines {
            let Some((name, value)) = line.split_once(':') else {
                continue;
            };
            let value = value.trim();
            match name.trim().to_ascii_lowercase().as_str() {
                "content-length" => {
                    let n: u64 = value
                        .parse()
                        .map_err(|_| TrackerError::bad(url, "bad Content-Length"))?;
                    if content_length.is_some_and(|old| old != n) {
                        return Err(TrackerError::bad(url, "conflicting Content-Length headers"));
                    }
                    content_length = Some(n);
                }
                "transfer-encoding" => {
                    has_transfer_encoding = true;
                    chunked = value
                        .rsplit(',')
                        .next()
                        .is_some_and(|last| last.trim().eq_ignore_ascii_case("chunked"));
                }
                "location" => location = Some(value.to_owned()),
                _ => {}
            }
        }
        if (100..200).contains(&status) {
            continue;
        }
        let body = if status == 204 || status == 304 {
            Vec::new()
        } else if chunked {
            reader.chunked().await?
        } else if let (Some(n), false) = (content_length, has_transfer_encoding) {
            let n = usize::try_from(n)
                .ok()
                .filter(|&n| n <= MAX_BODY_BYTES)
                .ok_or_else(|| too_large(url))?;
            let mut body = Vec::with_capacity(n);
            reader.take(n, &mut body).await?;
            body
        } else {
            reader.rest().await?
        };
        return Ok(HttpResponse {
            status,
            reason,
            location,
            body,
        });
    }
}

/// `HTTP/1.1 200 OK` → (200, "OK").
fn parse_status_line(line: &str) -> Option<(u16, String)> {
    let rest = line.strip_prefix("HTTP/")?;
    let (_version, rest) = rest.split_once(' ')?;
    let rest = rest.trim_start();
    let (code, reason) = rest.split_once(' ').unwrap_or((rest, ""));
    if code.len() != 3 || !code.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    Some((code.parse().ok()?, reason.trim().to_owned()))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::engine::PeerId;
    use crate::engine::tracker::AnnounceEvent;
    use std::time::Duration;

    const URL: &str = "http://t.example/announce";

    fn request() -> AnnounceRequest {
        AnnounceRequest {
            info_hash: InfoHash::from_hex("0123456789abcdef0123456789abcdef01234567").unwrap(),
            peer_id: PeerId(*b"-BK0100-abcdefghijkl"),
            port: 6881,
            uploaded: 1,
            downloaded: 2,
            left: 3,
            event: AnnounceEvent::Started,
            num_want: Some(50),
            key: 0xbeef,
        }
    }

    #[test]
    fn announce_query_has_every_parameter() {
        let q = announce_query(&request(), None);
        assert_eq!(
            q,
            "info_hash=%01%23Eg%89%AB%CD%EF%01%23Eg%89%AB%CD%EF%01%23Eg\
             &peer_id=-BK0100-abcdefghijkl&port=6881&uploaded=1&downloaded=2&left=3\
             &compact=1&no_peer_id=1&event=started&numwant=50&key=0000beef"
        );
        let mut req = request();
        req.event = AnnounceEvent::None;
        req.num_want = None;
        let q = announce_query(&req, Some("id 1"));
        assert!(!q.contains("event=") && !q.contains("numwant="));
        assert!(q.ends_with("&key=0000beef&trackerid=id%201"));
    }

    #[test]
    fn bep48_scrape_urls() {
        let ok = |a: &str| scrape_url(a).unwrap();
        assert_eq!(
            ok("http://example.com/announce"),
            "http://example.com/scrape"
        );
        assert_eq!(
            ok("http://example.com/x/announce"),
            "http://example.com/x/scrape"
        );
        assert_eq!(
            ok("http://example.com/announce.php"),
            "http://example.com/scrape.php"
        );
        assert_eq!(
            ok("http://example.com/announce?x2%0644"),
            "http://example.com/scrape?x2%0644"
        );
        assert_eq!(
            ok("http://example.com:8080/pk/announce?a=/b/announce"),
            "http://example.com:8080/pk/scrape?a=/b/announce"
        );
        for no in [
            "http://example.com/a",
            "http://example.com/announce/",
            "http://example.com/x%064announce",
            "http://example.com/a?announce",
            "http://example.com",
            "http://example.com?x=/announce",
            "nonsense",
        ] {
            assert!(
                matches!(scrape_url(no), Err(TrackerError::Unsupported(_))),
                "{no}"
            );
        }
    }

    #[test]
    fn compact_and_peers6() {
        let mut body =
            b"d8:completei5e10:incompletei7e8:intervali900e12:min intervali60e5:peers12:".to_vec();
        body.extend_from_slice(&[10, 0, 0, 1, 0x1a, 0xe1, 10, 0, 0, 2, 0, 0]);
        body.extend_from_slice(b"6:peers618:");
        let mut v6 = [0u8; 18];
        v6[0] = 0x20;
        v6[1] = 0x01;
        v6[15] = 9;
        v6[16..].copy_from_slice(&51413u16.to_be_bytes());
        body.extend_from_slice(&v6);
        body.extend_from_slice(b"15:warning message4:slowe");
        let r = parse_announce(URL, &body).unwrap();
        assert_eq!(r.interval, Duration::from_secs(900));
        assert_eq!(r.min_interval, Some(Duration::from_secs(60)));
        assert_eq!((r.seeders, r.leechers), (Some(5), Some(7)));
        assert_eq!(r.warning.as_deref(), Some("slow"));
        assert_eq!(
            r.peers,
            vec![
                "10.0.0.1:6881".parse().unwrap(),
                "[2001::9]:51413".parse().unwrap()
            ]
        );
    }

    #[test]
    fn bad_compact_lengths() {
        let err = parse_announce(URL, b"d8:intervali60e5:peers5:abcdee").unwrap_err();
        assert!(matches!(err, TrackerError::BadResponse { .. }), "{err:?}");
        let err = parse_announce(URL, b"d8:intervali60e6:peers66:abcdefe").unwrap_err();
        assert!(matches!(err, TrackerError::BadResponse { .. }), "{err:?}");
    }

    #[test]
    fn dictionary_peers() {
        let body = b"d8:intervali60e5:peersl\
            d2:ip8:10.0.0.17:peer id20:aaaaaaaaaaaaaaaaaaaa4:porti6881ee\
            d2:ip11:example.org4:porti1ee\
            d2:ip3:::14:porti2ee\
            d2:ip5:[::2]4:porti3ee\
            d2:ip8:10.0.0.34:porti0ee\
            d2:ip8:10.0.0.44:porti70000ee\
            d2:ip8:10.0.0.5e\
            i5e\
            ee";
        let r = parse_announce(URL, body).unwrap();
        assert_eq!(
            r.peers,
            vec![
                "10.0.0.1:6881".parse().unwrap(),
                "[::1]:2".parse().unwrap(),
                "[::2]:3".parse().unwrap()
            ]
        );
        assert_eq!(r.interval, Duration::from_secs(60));
        assert_eq!((r.seeders, r.leechers), (None, None));
    }

    #[test]
    fn failure_garbage_and_defaults() {
        assert_eq!(
            parse_announce(URL, b"d14:failure reason9:not todaye").unwrap_err(),
            TrackerError::Failure("not today".into())
        );
        for junk in [&b"<html>oops</html>"[..], b"", b"li1ee", b"d8:intervali1e"] {
            assert!(matches!(
                parse_announce(URL, junk),
                Err(TrackerError::BadResponse { .. })
            ));
        }
        let deep = "l".repeat(10_000) + &"e".repeat(10_000);
        assert!(parse_announce(URL, deep.as_bytes()).is_err());
        let r = parse_announce(URL, b"d10:tracker id3:abce").unwrap();
        assert_eq!(r.interval, crate::engine::tracker::DEFAULT_INTERVAL);
        assert_eq!(r.tracker_id.as_deref(), Some("abc"));
        assert!(r.peers.is_empty());
        let r = parse_announce(URL, b"d8:completei-1e8:intervali99999999e5:peersi3ee").unwrap();
        assert_eq!(r.interval, crate::engine::tracker::MAX_INTERVAL);
        assert_eq!(r.seeders, None);
    }

    #[test]
    fn scrape_bodies() {
        let hash = InfoHash([b'a'; 20]);
        let body =
            b"d5:filesd20:aaaaaaaaaaaaaaaaaaaad8:completei3e10:downloadedi9e10:incompletei4eeee";
        assert_eq!(
            parse_scrape(URL, body, hash).unwrap(),
            ScrapeStats {
                complete: 3,
                incomplete: 4,
                downloaded: 9
            }
        );
        assert_eq!(
            parse_scrape(URL, b"d5:filesdee", hash).unwrap(),
            ScrapeStats::default()
        );
        assert!(matches!(
            parse_scrape(URL, b"de", hash),
            Err(TrackerError::BadResponse { .. })
        ));
        assert!(matches!(
            parse_scrape(URL, b"d14:failure reason2:noe", hash),
            Err(TrackerError::Failure(_))
        ));
    }

    async fn read(bytes: &[u8]) -> Result<HttpResponse, TrackerError> {
        let mut input = bytes;
        read_response(URL, &mut input).await
    }

    #[tokio::test]
    async fn response_framing() {
        let r = read(b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabcEXTRA")
            .await
            .unwrap();
        assert_eq!((r.status, r.body.as_slice()), (200, &b"abc"[..]));

        let r = read(b"HTTP/1.0 200 OK\n\nto the end").await.unwrap();
        assert_eq!(r.body, b"to the end");

        let r = read(
            b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\
              3;ext=1\r\nabc\r\n10\r\n0123456789abcdef\r\n0\r\nX-Trailer: 1\r\n\r\n",
        )
        .await
        .unwrap();
        assert_eq!(r.body, b"abc0123456789abcdef");

        let r = read(b"HTTP/1.1 302 Found\r\nLocation: /elsewhere\r\nContent-Length: 0\r\n\r\n")
            .await
            .unwrap();
        assert_eq!((r.status, r.location.as_deref()), (302, Some("/elsewhere")));

        let r = read(b"HTTP/1.1 404\r\n\r\n").await.unwrap();
        assert_eq!((r.status, r.reason.as_str()), (404, ""));
    }

    #[tokio::test]
    async fn malformed_responses() {
        for bad in [
            &b""[..],
            b"garbage\r\n\r\n",
            b"HTTP/1.1 2000 OK\r\n\r\n",
            b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort",
            b"HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n",
            b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
            b"HTTP/1.1 200 OK\r\nContent-Length: 99999999999\r\n\r\n",
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcd\r\n0\r\n\r\n",
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nab",
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffff\r\n",
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n7fffffffffffffff\r\n",
        ] {
            assert!(
                matches!(read(bad).await, Err(TrackerError::BadResponse { .. })),
                "{:?}",
                String::from_utf8_lossy(bad)
            );
        }
        let huge_headers = format!("HTTP/1.1 200 OK\r\nX: {}\r\n\r\n", "a".repeat(20_000));
        assert!(matches!(
            read(huge_headers.as_bytes()).await,
            Err(TrackerError::BadResponse { .. })
        ));
        let mut huge_body = b"HTTP/1.1 200 OK\r\n\r\n".to_vec();
        huge_body.resize(MAX_BODY_BYTES + 100, b'x');
        assert!(matches!(
            read(&huge_body).await,
            Err(TrackerError::BadResponse { .. })
        ));
    }

    #[test]
    fn redirect_targets() {
        let cur = TrackerUrl::parse("http://h:81/a/announce?x=1").unwrap();
        let t = |loc: &str| redirect_target(URL, &cur, loc);
        assert_eq!(t("/b?y").unwrap().path_and_query, "/b?y");
        assert_eq!(t("/b?y").unwrap().port, 81);
        assert_eq!(t("other?y").unwrap().path_and_query, "/a/other?y");
        let abs = t("http://g:82/c").unwrap();
        assert_eq!((abs.host.as_str(), abs.port), ("g", 82));
        assert_eq!(t("//g/c").unwrap().host, "g");
        let secure = t("https://g/c").unwrap();
        assert_eq!(
            (secure.scheme, secure.port),
            (crate::engine::tracker::Scheme::Https, 443)
        );
        // From an https tracker, relative locations stay on https.
        let from_tls = TrackerUrl::parse("https://h/a/announce").unwrap();
        let next = redirect_target(URL, &from_tls, "/b").unwrap();
        assert_eq!(
            (next.scheme, next.port),
            (crate::engine::tracker::Scheme::Https, 443)
        );
        assert!(matches!(
            t("udp://g:1/c"),
            Err(TrackerError::BadResponse { .. })
        ));
        assert!(t("ftp://g/c").is_err());
    }
}
