//! Our identity in swarms: the 20-byte peer id with the client prefix `-BK0100-` (BEP 20).

use std::fmt;

/// A peer id: 20 opaque bytes; ours start with the Azureus-style prefix `-BKxyzw-`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct PeerId(pub [u8; 20]);

/// Our client prefix (BEP 20): `BK` for Brooklet, then the version as four digits.
pub const CLIENT_PREFIX: &[u8; 8] = b"-BK0100-";

impl PeerId {
    /// A fresh random id with our prefix; the rest is printable so logs stay readable.
    pub fn generate() -> PeerId {
        use rand::Rng;
        const ALPHABET: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
        let mut id = [0u8; 20];
        id[..8].copy_from_slice(CLIENT_PREFIX);
        let mut rng = rand::rng();
        for b in &mut id[8..] {
            *b = ALPHABET[rng.random_range(0..ALPHABET.len())];
        }
        PeerId(id)
    }

    /// A short human-readable client name guessed from the id (`-TR3000-` → `Transmission 3.00`).
    pub fn client_name(&self) -> String {
        let id = &self.0;
        if id[0] == b'-' && id[7] == b'-' {
            let code = &id[1..3];
            let version: String = id[3..7]
                .iter()
                .filter(|b| b.is_ascii_alphanumeric())
                .map(|&b| char::from(b))
                .collect();
            let name = match code {
                b"BK" => "Brooklet",
                b"TR" => "Transmission",
                b"LT" | b"lt" => "libtorrent",
                b"qB" => "qBittorrent",
                b"UT" => "µTorrent",
                b"DE" => "Deluge",
                b"AZ" => "Vuze",
                b"RB" => "rqbit",
                _ => return format!("{}{}", String::from_utf8_lossy(code), version),
            };
            return format!("{name} {version}");
        }
        if id.starts_with(b"A2-") {
            return "aria2".to_owned();
        }
        String::from_utf8_lossy(&id[..8])
            .chars()
            .filter(|c| !c.is_control())
            .collect()
    }
}

impl fmt::Debug for PeerId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "PeerId({})",
            String::from_utf8_lossy(&self.0).escape_debug()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_ids_have_our_prefix_and_differ() {
        let a = PeerId::generate();
        let b = PeerId::generate();
        assert_eq!(&a.0[..8], CLIENT_PREFIX);
        assert_ne!(a, b);
        assert_eq!(a.client_name(), "Brooklet 0100");
    }

    #[test]
    fn client_names() {
        let mut id = [b'x'; 20];
        id[..8].copy_from_slice(b"-TR3000-");
        assert_eq!(PeerId(id).client_name(), "Transmission 3000");
        id[..8].copy_from_slice(b"A2-1-36-");
        assert_eq!(PeerId(id).client_name(), "aria2");
    }
}
