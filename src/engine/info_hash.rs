//! The identity of a torrent: the SHA-1 of its bencoded `info` dictionary (BEP 3).
//!
//! Owns parsing and formatting of the two textual forms found in the wild: 40 hex digits and the
//! 32-character base32 form that old magnet links use (BEP 9). Depends on nothing else in the
//! engine, so every layer (magnet links, trackers, the wire protocol, the GUI) can share it.

use std::fmt;

/// A v1 info-hash: SHA-1 over the exact bytes of the `info` dictionary.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct InfoHash(pub [u8; 20]);

/// Why a textual info-hash was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InfoHashError {
    #[error("an info-hash has 40 hex digits or 32 base32 letters, this one has {0} characters")]
    BadLength(usize),
    #[error("`{0}` is not a hex digit")]
    BadHex(char),
    #[error("`{0}` is not a base32 letter (A–Z, 2–7)")]
    BadBase32(char),
}

impl InfoHash {
    /// Hashes the raw bytes of an `info` dictionary.
    pub fn of_info_bytes(info: &[u8]) -> Self {
        use sha1::{Digest, Sha1};
        InfoHash(Sha1::digest(info).into())
    }

    /// Lower-case hex, the form trackers, DHT tools and most clients print.
    pub fn to_hex(&self) -> String {
        let mut s = String::with_capacity(40);
        for b in self.0 {
            s.push(HEX[(b >> 4) as usize] as char);
            s.push(HEX[(b & 15) as usize] as char);
        }
        s
    }

    /// Parses 40 hex digits (either case) or 32 base32 letters (either case).
    pub fn parse(text: &str) -> Result<Self, InfoHashError> {
        match text.len() {
            40 => Self::from_hex(text),
            32 => Self::from_base32(text),
            n => Err(InfoHashError::BadLength(n)),
        }
    }

    /// Parses exactly 40 hex digits.
    pub fn from_hex(text: &str) -> Result<Self, InfoHashError> {
        let bytes = text.as_bytes();
        if bytes.len() != 40 {
            return Err(InfoHashError::BadLength(text.chars().count()));
        }
        let mut out = [0u8; 20];
        for (i, pair) in bytes.chunks_exact(2).enumerate() {
            out[i] = (hex_value(pair[0])? << 4) | hex_value(pair[1])?;
        }
        Ok(InfoHash(out))
    }

    /// Parses exactly 32 base32 letters (RFC 4648 alphabet, no padding).
    pub fn from_base32(text: &str) -> Result<Self, InfoHashError> {
        let bytes = text.as_bytes();
        if bytes.len() != 32 {
            return Err(InfoHashError::BadLength(text.chars().count()));
        }
        let mut out = [0u8; 20];
        let mut acc: u64 = 0;
        let mut bits = 0u32;
        let mut pos = 0;
        for &c in bytes {
            let v = match c {
                b'A'..=b'Z' => c - b'A',
                b'a'..=b'z' => c - b'a',
                b'2'..=b'7' => c - b'2' + 26,
                _ => return Err(InfoHashError::BadBase32(char::from(c))),
            };
            acc = (acc << 5) | u64::from(v);
            bits += 5;
            if bits >= 8 {
                bits -= 8;
                out[pos] = (acc >> bits) as u8;
                pos += 1;
            }
        }
        Ok(InfoHash(out))
    }

    /// Upper-case base32, as in `urn:btih:` links of the early 2000s.
    pub fn to_base32(&self) -> String {
        const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        let mut s = String::with_capacity(32);
        let mut acc: u64 = 0;
        let mut bits = 0u32;
        for b in self.0 {
            acc = (acc << 8) | u64::from(b);
            bits += 8;
            while bits >= 5 {
                bits -= 5;
                s.push(ALPHABET[((acc >> bits) & 31) as usize] as char);
            }
        }
        s
    }
}

const HEX: &[u8; 16] = b"0123456789abcdef";

fn hex_value(c: u8) -> Result<u8, InfoHashError> {
    match c {
        b'0'..=b'9' => Ok(c - b'0'),
        b'a'..=b'f' => Ok(c - b'a' + 10),
        b'A'..=b'F' => Ok(c - b'A' + 10),
        _ => Err(InfoHashError::BadHex(char::from(c))),
    }
}

impl fmt::Display for InfoHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl fmt::Debug for InfoHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "InfoHash({})", self.to_hex())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_and_base32_round_trip() {
        let h = InfoHash::of_info_bytes(b"d4:name1:ae");
        assert_eq!(InfoHash::parse(&h.to_hex()), Ok(h));
        assert_eq!(InfoHash::parse(&h.to_base32()), Ok(h));
        assert_eq!(InfoHash::parse(&h.to_base32().to_lowercase()), Ok(h));
        assert_eq!(InfoHash::parse(&h.to_hex().to_uppercase()), Ok(h));
    }

    #[test]
    fn known_vectors() {
        // SHA-1("") = da39a3ee5e6b4b0d3255bfef95601890afd80709
        let h = InfoHash::of_info_bytes(b"");
        assert_eq!(h.to_hex(), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
        assert_eq!(h.to_base32(), "3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ");
    }

    #[test]
    fn rejects_bad_text() {
        assert_eq!(InfoHash::parse("abc"), Err(InfoHashError::BadLength(3)));
        let mut bad = "g".to_string();
        bad.push_str(&"0".repeat(39));
        assert_eq!(InfoHash::parse(&bad), Err(InfoHashError::BadHex('g')));
        let mut bad32 = "1".to_string();
        bad32.push_str(&"A".repeat(31));
        assert_eq!(InfoHash::parse(&bad32), Err(InfoHashError::BadBase32('1')));
        // Multi-byte characters never panic on slicing.
        assert!(InfoHash::parse(&"é".repeat(20)).is_err());
    }
}
