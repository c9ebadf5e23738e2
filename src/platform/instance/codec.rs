//! The hand-off's wire format: one request, one byte of answer.
//!
//! ```text
//! request = "BROOKLET" version:u8(=1) count:u16be { length:u16be utf8-bytes }*count
//! answer  = 0x06 (accepted) | 0x15 (refused)
//! ```
//!
//! Everything that arrives is treated as hostile: the reader never allocates more than the
//! limits allow (64 KiB in all, at most 256 items of at most 8 KiB each), checks UTF-8, and
//! accepts only absolute paths and magnet links without control characters. A count of zero
//! asks only to raise the window.

use super::OpenRequest;
use std::io::{self, Read};
use std::path::Path;

/// The first bytes of every request.
pub const MAGIC: &[u8; 8] = b"BROOKLET";
/// The format's version.
pub const VERSION: u8 = 1;
/// Most bytes one request may take, header included.
pub const MAX_MESSAGE: usize = 64 * 1024;
/// Most items in one request.
pub const MAX_ITEMS: usize = 256;
/// Most bytes in one item.
pub const MAX_ITEM: usize = 8 * 1024;
/// The answer to a request that was taken.
pub const ACCEPTED: u8 = 0x06;
/// The answer to a request that was not.
pub const REFUSED: u8 = 0x15;

const HEADER: usize = MAGIC.len() + 1 + 2;

/// Why a request was not read.
#[derive(Debug, thiserror::Error)]
pub enum CodecError {
    /// The bytes do not start like a Brooklet request.
    #[error("not a Brooklet request")]
    BadMagic,
    /// A version this build does not speak.
    #[error("unsupported request version {0}")]
    Version(u8),
    /// More than [`MAX_ITEMS`] items.
    #[error("{0} items in one request (at most {MAX_ITEMS})")]
    TooManyItems(usize),
    /// An item longer than [`MAX_ITEM`].
    #[error("an item of {0} bytes (at most {MAX_ITEM})")]
    ItemTooLong(usize),
    /// The whole request is larger than [`MAX_MESSAGE`].
    #[error("request larger than {MAX_MESSAGE} bytes")]
    TooLarge,
    /// An item is not UTF-8.
    #[error("item {0} is not UTF-8")]
    NotUtf8(usize),
    /// An item is empty, holds control characters, or is neither an absolute path nor a
    /// magnet link.
    #[error("item {0} is neither an absolute path nor a magnet link")]
    BadItem(usize),
    /// The request ended early, or reading it failed (or took too long).
    #[error("reading the request: {0}")]
    Io(#[from] io::Error),
}

/// Whether `item` is something a request may carry: an absolute path or a magnet link, not
/// empty, without control characters.
pub fn valid_item(item: &str) -> bool {
    !item.is_empty()
        && !item.chars().any(char::is_control)
        && (is_magnet(item) || Path::new(item).is_absolute())
}

fn is_magnet(item: &str) -> bool {
    item.get(..7)
        .is_some_and(|h| h.eq_ignore_ascii_case("magnet:"))
}

/// Encodes a request, checking the same limits the reader enforces.
pub fn encode(request: &OpenRequest) -> Result<Vec<u8>, CodecError> {
    if request.items.len() > MAX_ITEMS {
        return Err(CodecError::TooManyItems(request.items.len()));
    }
    let mut out = Vec::with_capacity(HEADER);
    out.extend_from_slice(MAGIC);
    out.push(VERSION);
    // The count fits: MAX_ITEMS < u16::MAX.
    out.extend_from_slice(&(request.items.len() as u16).to_be_bytes());
    for (i, item) in request.items.iter().enumerate() {
        if item.len() > MAX_ITEM {
            return Err(CodecError::ItemTooLong(item.len()));
        }
        if !valid_item(item) {
            return Err(CodecError::BadItem(i));
        }
        out.extend_from_slice(&(item.len() as u16).to_be_bytes());
        out.extend_from_slice(item.as_bytes());
        if out.len() > MAX_MESSAGE {
            return Err(CodecError::TooLarge);
        }
    }
    Ok(out)
}

/// Encodes a request as one or more requests that each fit the limits (a second launch may be
/// given more than [`MAX_ITEMS`] files). Fails only on an item no request can carry. A request
/// without items stays one (it asks to raise the window).
pub fn encode_batches(request: &OpenRequest) -> Result<Vec<Vec<u8>>, CodecError> {
    let mut batches = Vec::new();
    let mut batch = OpenRequest::default();
    let mut size = HEADER;
    for (i, item) in request.items.iter().enumerate() {
        if item.len() > MAX_ITEM {
            return Err(CodecError::ItemTooLong(item.len()));
        }
        if !valid_item(item) {
            return Err(CodecError::BadItem(i));
        }
        if batch.items.len() == MAX_ITEMS || size + 2 + item.len() > MAX_MESSAGE {
            batches.push(encode(&std::mem::take(&mut batch))?);
            size = HEADER;
        }
        size += 2 + item.len();
        batch.items.push(item.clone());
    }
    if !batch.items.is_empty() || batches.is_empty() {
        batches.push(encode(&batch)?);
    }
    Ok(batches)
}

/// Reads one request from `r`, enforcing every limit before allocating. Bytes after the
/// request are not read.
pub fn read_request(r: &mut impl Read) -> Result<OpenRequest, CodecError> {
    let mut header = [0u8; HEADER];
    r.read_exact(&mut header)?;
    if &header[..MAGIC.len()] != MAGIC {
        return Err(CodecError::BadMagic);
    }
    let version = header[MAGIC.len()];
    if version != VERSION {
        return Err(CodecError::Version(version));
    }
    let count = usize::from(u16::from_be_bytes([header[HEADER - 2], header[HEADER - 1]]));
    if count > MAX_ITEMS {
        return Err(CodecError::TooManyItems(count));
    }
    let mut total = HEADER;
    let mut items = Vec::with_capacity(count);
    for i in 0..count {
        let mut len = [0u8; 2];
        r.read_exact(&mut len)?;
        let len = usize::from(u16::from_be_bytes(len));
        if len > MAX_ITEM {
            return Err(CodecError::ItemTooLong(len));
        }
        total += 2 + len;
        if total > MAX_MESSAGE {
            return Err(CodecError::TooLarge);
        }
        let mut bytes = vec![0u8; len];
        r.read_exact(&mut bytes)?;
        let item = String::from_utf8(bytes).map_err(|_| CodecError::NotUtf8(i))?;
        if !valid_item(&item) {
            return Err(CodecError::BadItem(i));
        }
        items.push(item);
    }
    Ok(OpenRequest { items })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    fn absolute(name: &str) -> String {
        std::env::temp_dir()
            .join(name)
            .to_string_lossy()
            .into_owned()
    }

    fn decode(bytes: &[u8]) -> Result<OpenRequest, CodecError> {
        read_request(&mut &bytes[..])
    }

    fn header(count: u16) -> Vec<u8> {
        let mut b = MAGIC.to_vec();
        b.push(VERSION);
        b.extend_from_slice(&count.to_be_bytes());
        b
    }

    #[test]
    fn a_request_round_trips() {
        let request = OpenRequest {
            items: vec![
                absolute("ubuntu.torrent"),
                "magnet:?xt=urn:btih:0123456789abcdef0123456789abcdef01234567".into(),
                absolute("日本語 ünïcode.torrent"),
            ],
        };
        let bytes = encode(&request).unwrap();
        assert_eq!(decode(&bytes).unwrap(), request);
    }

    #[test]
    fn an_empty_request_asks_only_to_raise() {
        let bytes = encode(&OpenRequest::default()).unwrap();
        assert_eq!(bytes.len(), HEADER);
        assert!(decode(&bytes).unwrap().items.is_empty());
    }

    #[test]
    fn garbage_is_refused() {
        assert!(matches!(
            decode(b"GET / HTTP/1.1\r\n\r\n"),
            Err(CodecError::BadMagic)
        ));
        assert!(matches!(decode(b""), Err(CodecError::Io(_))));
        let mut v2 = header(0);
        v2[MAGIC.len()] = 2;
        assert!(matches!(decode(&v2), Err(CodecError::Version(2))));
    }

    #[test]
    fn limits_are_checked_before_allocating() {
        assert!(matches!(
            decode(&header(257)),
            Err(CodecError::TooManyItems(257))
        ));
        let mut long = header(1);
        long.extend_from_slice(&9000u16.to_be_bytes());
        assert!(matches!(decode(&long), Err(CodecError::ItemTooLong(9000))));
        // 200 items of 8 KiB each pass the item limits but not the total.
        let item = format!("magnet:{}", "a".repeat(MAX_ITEM - 7));
        let mut big = header(200);
        for _ in 0..200 {
            big.extend_from_slice(&(item.len() as u16).to_be_bytes());
            big.extend_from_slice(item.as_bytes());
        }
        assert!(matches!(decode(&big), Err(CodecError::TooLarge)));
        let too_many = OpenRequest {
            items: vec![absolute("x.torrent"); 300],
        };
        assert!(matches!(
            encode(&too_many),
            Err(CodecError::TooManyItems(300))
        ));
    }

    #[test]
    fn items_must_be_utf8_absolute_paths_or_magnets() {
        let mut bad_utf8 = header(1);
        bad_utf8.extend_from_slice(&2u16.to_be_bytes());
        bad_utf8.extend_from_slice(&[0xff, 0xfe]);
        assert!(matches!(decode(&bad_utf8), Err(CodecError::NotUtf8(0))));
        for item in ["relative.torrent", "", "magnet:?xt=\u{1b}[2J", "/a\nb"] {
            let mut b = header(1);
            b.extend_from_slice(&(item.len() as u16).to_be_bytes());
            b.extend_from_slice(item.as_bytes());
            assert!(
                matches!(decode(&b), Err(CodecError::BadItem(0))),
                "{item:?}"
            );
        }
    }

    #[test]
    fn a_large_request_is_split_into_requests_that_fit() {
        let many = OpenRequest {
            items: (0..300)
                .map(|n| absolute(&format!("{n}.torrent")))
                .collect(),
        };
        let long = format!("magnet:{}", "b".repeat(MAX_ITEM - 7));
        let big = OpenRequest {
            items: vec![long; 9],
        };
        for request in [many, big] {
            let batches = encode_batches(&request).unwrap();
            assert_eq!(batches.len(), 2);
            let items: Vec<String> = batches
                .iter()
                .flat_map(|b| decode(b).unwrap().items)
                .collect();
            assert_eq!(items, request.items);
        }
        assert_eq!(encode_batches(&OpenRequest::default()).unwrap().len(), 1);
        let bad = OpenRequest {
            items: vec!["relative".into()],
        };
        assert!(matches!(encode_batches(&bad), Err(CodecError::BadItem(0))));
    }

    #[test]
    fn a_truncated_request_is_an_error_not_a_panic() {
        let bytes = encode(&OpenRequest {
            items: vec![absolute("a.torrent")],
        })
        .unwrap();
        for cut in 0..bytes.len() {
            assert!(decode(&bytes[..cut]).is_err(), "cut at {cut}");
        }
    }
}
