//! The torrent's side of the extension protocol (BEP 10): our extended handshake, what a peer's
//! handshake tells us (client, listen port, queue size, its ids for ut_metadata and ut_pex),
//! serving our metadata to magnet users (BEP 9), peer exchange both ways (BEP 11), and DHT
//! nodes learned from `port` messages (BEP 5).

use super::{AddrState, PeerKey, Torrent, log};
use crate::engine::api::PeerSource;
use crate::engine::peer::extension::{
    ExtHandshake, HANDSHAKE_ID, MAX_REQQ, UT_METADATA_ID, UT_PEX_ID,
};
use crate::engine::peer::metadata::{self, MetadataMsg};
use crate::engine::peer::pex::{self, PexMsg};
use crate::engine::peer::wire::Message;
use crate::engine::torrent::peer_state::Peer;
use bytes::Bytes;
use std::net::SocketAddr;
use std::time::Instant;

/// Metadata pieces served to one peer per connection beyond one full copy (a peer asking for
/// the same dictionary again and again only wastes our upload).
const EXTRA_METADATA_SERVES: u32 = 16;
/// How often an active torrent announces itself to the DHT (BEP 5 suggests 15 minutes).
const DHT_ANNOUNCE_EVERY: std::time::Duration = std::time::Duration::from_secs(15 * 60);

impl Torrent {
    /// Our extended handshake for `peer`.
    pub(super) fn our_ext_handshake(&self, peer: SocketAddr) -> Message {
        let hs = ExtHandshake {
            ut_metadata: Some(UT_METADATA_ID),
            ut_pex: self.pex_on().then_some(UT_PEX_ID),
            metadata_size: Some(self.meta.info_bytes.len() as u64),
            client: Some(format!("Brooklet {}", env!("CARGO_PKG_VERSION"))),
            listen_port: Some(self.shared.listen_port).filter(|&p| p != 0),
            reqq: Some(super::MAX_SERVING_PER_PEER),
            yourip: Some(peer.ip()),
            upload_only: false,
        };
        Message::Extended {
            id: HANDSHAKE_ID,
            payload: hs.encode(),
        }
    }

    /// Peer exchange is in use for this torrent: the session has it on and the torrent is not
    /// private (BEP 27 forbids it there).
    fn pex_on(&self) -> bool {
        !self.meta.private && self.shared.pex.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// An `extended` message from a peer. Errors drop the peer.
    pub(super) fn on_extended(
        &mut self,
        key: PeerKey,
        id: u8,
        payload: Bytes,
    ) -> Result<(), String> {
        match id {
            HANDSHAKE_ID => self.on_ext_handshake(key, &payload),
            UT_METADATA_ID => self.on_metadata_msg(key, &payload),
            UT_PEX_ID if self.pex_on() => {
                self.on_pex(key, &payload);
                Ok(())
            }
            // An id we never offered: BEP 10 says to ignore it.
            _ => Ok(()),
        }
    }

    fn on_ext_handshake(&mut self, key: PeerKey, payload: &[u8]) -> Result<(), String> {
        let Some(peer) = self.peers.get_mut(&key) else {
            return Ok(());
        };
        let hs = ExtHandshake::decode(payload).map_err(|e| format!("extended handshake: {e}"))?;
        if let Some(reqq) = hs.reqq {
            peer.reqq = reqq.clamp(1, MAX_REQQ);
        }
        if let Some(client) = hs.client {
            peer.client = client;
        }
        peer.ut_metadata = hs.ut_metadata;
        peer.ut_pex = hs.ut_pex;
        if let Some(port) = hs.listen_port {
            peer.listen_port = Some(port);
            // An incoming peer's listen address is worth keeping (for PEX and reconnects).
            if peer.source == PeerSource::Incoming {
                let addr = SocketAddr::new(peer.addr.ip(), port);
                self.add_addrs(&[addr], PeerSource::Incoming);
                // Reached through this connection while it lasts: not dialled meanwhile (a
                // second connection to the same peer would only be closed again).
                if let Some(k) = self.known.get_mut(&addr)
                    && k.state == AddrState::Idle
                {
                    k.state = AddrState::Connected;
                }
            }
        }
        Ok(())
    }

    fn on_metadata_msg(&mut self, key: PeerKey, payload: &Bytes) -> Result<(), String> {
        let msg = match MetadataMsg::decode(payload) {
            Ok(m) => m,
            Err(e) if e.is_ignorable() => return Ok(()),
            Err(e) => return Err(format!("bad metadata message: {e}")),
        };
        let MetadataMsg::Request { piece } = msg else {
            // We asked for nothing: data or rejects are ignored.
            return Ok(());
        };
        let info = self
            .info_bytes
            .get_or_insert_with(|| Bytes::from(self.meta.info_bytes.clone()))
            .clone();
        let pieces = info.len().div_ceil(metadata::METADATA_PIECE) as u32;
        let Some(peer) = self.peers.get_mut(&key) else {
            return Ok(());
        };
        let Some(their_id) = peer.ut_metadata else {
            return Ok(()); // it never told us where to send the answer
        };
        peer.metadata_served += 1;
        let reply = if peer.metadata_served > pieces + EXTRA_METADATA_SERVES {
            MetadataMsg::Reject { piece }
        } else {
            metadata::serve(&info, piece)
        };
        peer.send(Message::Extended {
            id: their_id,
            payload: reply.encode(),
        });
        Ok(())
    }

    fn on_pex(&mut self, key: PeerKey, payload: &[u8]) {
        let Some(peer) = self.peers.get_mut(&key) else {
            return;
        };
        // At most one message a minute is expected; extra ones are ignored, not punished.
        let now = Instant::now();
        if peer
            .pex_received
            .is_some_and(|t| now.saturating_duration_since(t) < pex::PEX_INTERVAL / 2)
        {
            return;
        }
        peer.pex_received = Some(now);
        match PexMsg::decode(payload) {
            Ok(msg) => {
                let added: Vec<SocketAddr> = msg.added.iter().map(|(a, _)| *a).collect();
                log::debug(&format!("pex: {} peers from {}", added.len(), peer.addr));
                self.add_addrs(&added, PeerSource::Pex);
                self.connect_more();
            }
            Err(e) => log::debug(&format!("pex: ignoring a bad message: {e}")),
        }
    }

    /// Sends each peer that speaks ut_pex what changed in our peer set (each at most once a
    /// minute, see [`pex::PexState`]).
    pub(super) fn send_pex(&mut self) {
        if !self.pex_on() || !self.peers.values().any(|p| p.ut_pex.is_some()) {
            return;
        }
        // A peer is listed at the address others can connect to: for one that connected to
        // us, its IP with the port from its extended handshake (unknown: not listed).
        let listed = |p: &Peer| -> Option<SocketAddr> {
            if p.source == PeerSource::Incoming {
                Some(SocketAddr::new(p.addr.ip(), p.listen_port?))
            } else {
                Some(p.addr)
            }
        };
        let connected: Vec<(SocketAddr, u8)> = self
            .peers
            .values()
            .filter_map(|p| {
                let incoming = p.source == PeerSource::Incoming;
                let listen = listed(p)?;
                let mut flags = 0;
                if p.has.is_seed() {
                    flags |= pex::flags::SEED;
                }
                if !incoming {
                    flags |= pex::flags::OUTGOING;
                }
                Some((listen, flags))
            })
            .collect();
        let now = Instant::now();
        for peer in self.peers.values_mut() {
            let Some(id) = peer.ut_pex else {
                continue;
            };
            // Never tell a peer about itself, under either of its addresses.
            let itself = listed(peer).unwrap_or(peer.addr);
            if let Some(msg) = peer.pex.poll(now, &connected, itself) {
                peer.send(Message::Extended {
                    id,
                    payload: msg.encode(),
                });
            }
        }
    }

    /// Announces the torrent to the DHT (and takes the peers the lookup finds) when it is
    /// active, public, and the last announce is [`DHT_ANNOUNCE_EVERY`] old.
    pub(super) fn announce_dht(&mut self, now: Instant) {
        if self.meta.private
            || !self.is_active()
            || self
                .last_dht
                .is_some_and(|t| now.saturating_duration_since(t) < DHT_ANNOUNCE_EVERY)
        {
            return;
        }
        let Some(dht) = self.shared.dht.clone() else {
            return;
        };
        self.last_dht = Some(now);
        let mut found = dht.announce(self.meta.info_hash, self.shared.listen_port);
        let inbox = self.inbox_tx.clone();
        tokio::spawn(async move {
            while let Some(batch) = found.recv().await {
                if inbox
                    .send(super::TorrentMsg::AddPeers(batch, PeerSource::Dht))
                    .is_err()
                {
                    return;
                }
            }
        });
    }

    /// A `port` message: the peer runs a DHT node there (BEP 5).
    pub(super) fn on_dht_port(&mut self, key: PeerKey, port: u16) {
        if self.meta.private || port == 0 {
            return;
        }
        let (Some(dht), Some(peer)) = (self.shared.dht.as_ref(), self.peers.get(&key)) else {
            return;
        };
        dht.add_node(SocketAddr::new(peer.addr.ip(), port));
    }
}
