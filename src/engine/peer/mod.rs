//! Peers: the wire protocol (BEP 3, BEP 6, BEP 10) and the connection tasks.

pub mod conn;
pub mod extension;
pub mod metadata;
pub mod pex;
mod recv;
pub mod wire;
