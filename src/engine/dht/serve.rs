//! Answering queries from other nodes (BEP 5): ping, find_node, get_peers, announce_peer.
//!
//! Every query first passes the rate limits; a query over them is dropped without a reply.
//! Replies carry the querier's address in `ip` (BEP 42) so nodes behind NAT learn theirs. A
//! querier we do not know is pinged, and enters the routing table only if it answers (so a
//! spoofed source address cannot plant a node).

use super::NodeId;
use super::krpc::{Body, CompactNode, ERROR_PROTOCOL, Message, Query, Response};
use super::node::Node;
use super::routing::K;
use std::net::{SocketAddr, SocketAddrV4};
use std::time::Instant;

impl Node {
    pub(super) fn on_query(
        &mut self,
        tid: Vec<u8>,
        id: NodeId,
        query: Query,
        from: SocketAddr,
        now: Instant,
    ) {
        let SocketAddr::V4(from_v4) = from else {
            return;
        };
        if !self.limiter.allow(from.ip(), now) {
            self.stats.rate_limited += 1;
            return;
        }
        let body = match query {
            Query::Ping => Body::Response(self.response()),
            Query::FindNode { target } => Body::Response(Response {
                nodes: self.closest_v4(&target),
                ..self.response()
            }),
            Query::GetPeers { info_hash } => Body::Response(Response {
                nodes: self.closest_v4(&info_hash),
                values: self.store.peers(&info_hash, now),
                token: Some(self.secrets.token_for(from.ip())),
                ..self.response()
            }),
            Query::AnnouncePeer {
                info_hash,
                port,
                implied_port,
                token,
            } => {
                if self.secrets.is_valid(&token, from.ip()) {
                    // BEP 5: with implied_port the peer's port is the query's source port.
                    let port = if implied_port { from.port() } else { port };
                    self.store
                        .announce(info_hash, SocketAddrV4::new(*from_v4.ip(), port), now);
                    Body::Response(self.response())
                } else {
                    Body::Error {
                        code: ERROR_PROTOCOL,
                        message: "bad token".into(),
                    }
                }
            }
        };
        let reply = Message {
            tid,
            body,
            ip: Some(from_v4),
        };
        self.send(from, &reply);

        if !self.table.heard_query(&id, from, now)
            && !self.table.contains(&id, from)
            && self.table.has_room_for(&id, now)
            && self.node_admissible(&id, from)
        {
            self.ping(from);
        }
    }

    fn response(&self) -> Response {
        Response {
            id: self.id,
            ..Response::default()
        }
    }

    fn closest_v4(&self, target: &NodeId) -> Vec<CompactNode> {
        self.table
            .closest(target, K, Instant::now())
            .into_iter()
            .filter_map(|(id, addr)| match addr {
                SocketAddr::V4(addr) => Some(CompactNode { id, addr }),
                SocketAddr::V6(_) => None,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::super::krpc::{self, CompactNode, Message, Response};
    use super::super::storage::MAX_VALUES_IN_REPLY;
    use super::super::tokens::TOKEN_LEN;
    use std::net::{Ipv4Addr, SocketAddrV4};

    #[test]
    fn a_full_get_peers_reply_fits_in_one_small_datagram() {
        let addr = SocketAddrV4::new(Ipv4Addr::new(255, 255, 255, 255), 65535);
        let reply = Message {
            tid: vec![0xFF; krpc::MAX_TID_LEN],
            body: krpc::Body::Response(Response {
                id: [0xFF; 20],
                nodes: vec![
                    CompactNode {
                        id: [0xFF; 20],
                        addr
                    };
                    super::K
                ],
                values: vec![addr; MAX_VALUES_IN_REPLY],
                token: Some(vec![0xFF; TOKEN_LEN]),
            }),
            ip: Some(addr),
        };
        let len = krpc::encode(&reply).len();
        assert!(len < 1400, "{len} bytes");
    }
}
