//! The loopback guard: judges the TCP peer address, never a forwarded header.

use std::net::IpAddr;

/// Whether `peer` is a loopback address. An IPv4 address mapped into IPv6 (`::ffff:127.0.0.1`, what a dual-stack
/// listener reports for an IPv4 client) is judged as the IPv4 address it carries.
///
/// `X-Forwarded-For` and similar headers are never consulted: any client can write them.
///
/// ```
/// use metrics_http::is_loopback_peer;
///
/// assert!(is_loopback_peer("127.0.0.1".parse().unwrap()));
/// assert!(is_loopback_peer("::ffff:127.0.0.1".parse().unwrap()));
/// assert!(!is_loopback_peer("::ffff:10.0.0.1".parse().unwrap()));
/// ```
pub fn is_loopback_peer(peer: IpAddr) -> bool {
    peer.to_canonical().is_loopback()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn loopback_in_every_spelling_is_accepted() {
        for text in [
            "127.0.0.1",
            "127.8.9.10",
            "::1",
            "::ffff:127.0.0.1",
            "::ffff:7f00:2",
        ] {
            assert!(is_loopback_peer(ip(text)), "{text} is loopback");
        }
    }

    #[test]
    fn everything_else_is_refused() {
        for text in [
            "10.0.0.1",
            "192.168.1.10",
            "0.0.0.0",
            "::",
            "::ffff:10.0.0.1",
            "::ffff:0.0.0.0",
            "fe80::1",
            "2001:db8::1",
            // An IPv4-compatible (not mapped) address is a different, deprecated form: no special meaning.
            "::127.0.0.1",
            // NAT64 of 127.0.0.1 is a remote host as far as this machine is concerned.
            "64:ff9b::7f00:1",
        ] {
            assert!(!is_loopback_peer(ip(text)), "{text} is not loopback");
        }
    }
}
