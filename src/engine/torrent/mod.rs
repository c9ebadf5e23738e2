//! One torrent's swarm logic: the torrent task and what it owns (piece picker, choker, peer
//! state), and its announcer.

pub mod announcer;
pub mod choker;
pub mod eta;
pub mod fast;
pub mod fetcher;
pub mod hasher;
pub mod peer_state;
pub mod picker;
pub mod task;
