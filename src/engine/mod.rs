//! The BitTorrent engine: everything that knows about torrents, with no GUI dependency.
//!
//! This layer owns the formats (bencode, `.torrent` metainfo, magnet URIs), the mapping of pieces
//! onto files and the disk I/O behind it, hash checking and torrent creation. It must not import
//! anything from `cli`, `gui` or `platform`, nor any GUI crate: a front end drives it through its
//! public API only.

pub mod api;
pub mod bencode;
pub mod bitfield;
pub mod create;
pub mod dht;
pub mod info_hash;
pub mod ipfilter;
pub mod limits;
pub mod magnet;
pub mod metainfo;
pub mod peer;
pub mod peer_id;
pub(crate) mod queue;
pub mod session;
pub mod session_state;
pub mod sha1_lanes;
pub mod storage;
pub mod torrent;
pub mod tracker;

pub use bitfield::Bitfield;
pub use info_hash::InfoHash;
pub use magnet::MagnetLink;
pub use metainfo::Metainfo;
pub use peer_id::PeerId;

/// Environment variable that keeps every connection on loopback addresses (tests and CI set it).
pub const LOOPBACK_ONLY_ENV: &str = "BROOKLET_LOOPBACK_ONLY";

/// True when `BROOKLET_LOOPBACK_ONLY` is set to anything but `0` or the empty string.
pub fn loopback_only() -> bool {
    std::env::var_os(LOOPBACK_ONLY_ENV).is_some_and(|v| !v.is_empty() && v != "0")
}

/// Seconds since the Unix epoch (0 if the clock is before it).
pub fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}
