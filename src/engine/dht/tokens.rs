//! Write tokens for `announce_peer` (BEP 5).
//!
//! A `get_peers` reply carries a token; only a later `announce_peer` from the same IP with that
//! token is stored, so nobody can announce a peer on behalf of an address they cannot receive
//! packets at. The token is the SHA-1 of a secret and the querier's IP, cut to 8 bytes. The
//! secret changes every 5 minutes and the previous one is still accepted, so a token lives
//! 5 to 10 minutes. Nothing is stored per querier.

use sha1::{Digest, Sha1};
use std::net::IpAddr;
use std::time::{Duration, Instant};

/// How often the secret changes (BEP 5: "every five minutes").
pub const ROTATE_EVERY: Duration = Duration::from_secs(5 * 60);
/// Bytes of a token.
pub const TOKEN_LEN: usize = 8;

/// The current and previous secrets.
#[derive(Debug, Clone)]
pub struct TokenSecrets {
    current: [u8; 20],
    previous: [u8; 20],
    rotated_at: Instant,
}

impl TokenSecrets {
    pub fn new(now: Instant) -> Self {
        TokenSecrets {
            current: rand::random(),
            previous: rand::random(),
            rotated_at: now,
        }
    }

    /// Starts a new secret when the current one is [`ROTATE_EVERY`] old.
    pub fn rotate_if_due(&mut self, now: Instant) {
        if now.saturating_duration_since(self.rotated_at) >= ROTATE_EVERY {
            self.rotate(now);
        }
    }

    /// Starts a new secret now; the current one becomes the previous one.
    pub fn rotate(&mut self, now: Instant) {
        self.previous = self.current;
        self.current = rand::random();
        self.rotated_at = now;
    }

    /// The token to hand to a querier at `ip`.
    pub fn token_for(&self, ip: IpAddr) -> Vec<u8> {
        make(&self.current, ip).to_vec()
    }

    /// Whether `token` was handed to `ip` under the current or the previous secret.
    pub fn is_valid(&self, token: &[u8], ip: IpAddr) -> bool {
        token == make(&self.current, ip) || token == make(&self.previous, ip)
    }
}

fn make(secret: &[u8; 20], ip: IpAddr) -> [u8; TOKEN_LEN] {
    let mut hasher = Sha1::new();
    hasher.update(secret);
    match ip {
        IpAddr::V4(v4) => hasher.update(v4.octets()),
        IpAddr::V6(v6) => hasher.update(v6.octets()),
    }
    let digest: [u8; 20] = hasher.finalize().into();
    let mut out = [0u8; TOKEN_LEN];
    out.copy_from_slice(&digest[..TOKEN_LEN]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::Ipv4Addr;

    #[test]
    fn token_survives_one_rotation_but_not_two() {
        let t0 = Instant::now();
        let ip = IpAddr::V4(Ipv4Addr::new(10, 1, 2, 3));
        let mut secrets = TokenSecrets::new(t0);
        let token = secrets.token_for(ip);
        assert_eq!(token.len(), TOKEN_LEN);
        assert!(secrets.is_valid(&token, ip));
        assert!(!secrets.is_valid(&token, IpAddr::V4(Ipv4Addr::new(10, 1, 2, 4))));
        assert!(!secrets.is_valid(b"", ip));

        secrets.rotate_if_due(t0 + Duration::from_secs(60));
        assert!(secrets.is_valid(&token, ip), "not yet rotated");
        secrets.rotate_if_due(t0 + ROTATE_EVERY);
        assert!(
            secrets.is_valid(&token, ip),
            "previous secret still accepted"
        );
        assert_ne!(secrets.token_for(ip), token);
        secrets.rotate_if_due(t0 + ROTATE_EVERY * 2);
        assert!(!secrets.is_valid(&token, ip), "two rotations later");
    }
}
