//! Requests for other nodes: the hook where cluster forwarding plugs in.
//!
//! A `proxy_to_node` method whose `node` parameter names another node is handed to
//! a [`NodeRouter`]. Until cluster forwarding exists, [`SingleNode`] answers the
//! way Proxmox VE does in a one-node cluster: the name is not a cluster member, its
//! address lookup fails, and the request fails with 500.

use virton_router::ApiError;

/// Decides what happens to a request addressed to another node.
pub trait NodeRouter: Send + Sync + 'static {
    /// Called with the target node's name (never this node's). `Ok(())` lets this
    /// node handle the request itself; an error is the answer. Cluster forwarding
    /// will be added here: the router resolves the member's address and the server
    /// forwards the request with the caller's ticket and CSRF token.
    fn route(&self, node: &str) -> Result<(), ApiError>;
}

/// A one-node cluster: every other node name is unknown.
#[derive(Debug, Clone, Copy, Default)]
pub struct SingleNode;

impl NodeRouter for SingleNode {
    fn route(&self, node: &str) -> Result<(), ApiError> {
        Err(ApiError::internal(format!(
            "hostname lookup '{node}' failed - failed to get address info for: {node}: Name or service not known\n"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_node_answers_upstream_lookup_failure() {
        let e = SingleNode.route("pve9").unwrap_err();
        assert_eq!(e.status, 500);
        assert_eq!(
            e.reason(),
            "hostname lookup 'pve9' failed - failed to get address info for: pve9: Name or service not known"
        );
    }
}
