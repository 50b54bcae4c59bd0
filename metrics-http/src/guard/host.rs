//! The `Host` guard against DNS rebinding.
//!
//! A web page can make a browser resolve the page's own host name to 127.0.0.1 and then read
//! `http://attacker.example:9464/metrics` as same-origin: the TCP peer is loopback, so the peer guard lets it
//! through, but the `Host` header still says `attacker.example`. Answering only loopback names (and the names the
//! operator lists) closes that door. The refusal is 421 Misdirected Request: the client may be allowed here, it
//! only reached this server under a name the server does not answer for (403 already means "this peer may not").

use std::net::{IpAddr, Ipv6Addr};

use axum::http::header::HOST;
use axum::http::{HeaderMap, Uri};

/// The host names the server answers for besides loopback names and addresses, or any name at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum AllowedHosts {
    /// Loopback names and addresses, and these names (lowercase, without port or trailing dot).
    Listed(Vec<Box<str>>),
    /// Any `Host` (the list was `*`).
    Any,
    /// A list given in code that cannot be used, and why: [`Config::validate`](crate::Config::validate) refuses
    /// it (the builder methods do not return errors).
    Invalid(Box<str>),
}

impl AllowedHosts {
    /// The allow-list of `entries` (`*` allows any host).
    ///
    /// # Errors
    ///
    /// An entry that is not a host name or an IP address (a port, a scheme, a path, a space).
    pub(crate) fn parse<S: AsRef<str>>(
        entries: impl IntoIterator<Item = S>,
    ) -> Result<Self, String> {
        let mut names = Vec::new();
        for entry in entries {
            let entry = entry.as_ref().trim();
            if entry.is_empty() {
                continue;
            }
            if entry == "*" {
                return Ok(Self::Any);
            }
            let bare = entry
                .strip_prefix('[')
                .and_then(|inner| inner.strip_suffix(']'))
                .unwrap_or(entry);
            let name = match bare.parse::<IpAddr>() {
                Ok(ip) => Some(canonical(ip)),
                Err(_) => Some(normalize(entry)).filter(|name| {
                    !name.is_empty()
                        && name.bytes().all(|b| {
                            b.is_ascii_alphanumeric() || b == b'-' || b == b'.' || b == b'_'
                        })
                }),
            };
            let Some(name) = name else {
                return Err(format!(
                    "{} is not a host name or an IP address (write names without port or scheme, \
                     separated by commas; `*` allows any)",
                    crate::excerpt::excerpt(entry)
                ));
            };
            names.push(name.into());
        }
        Ok(Self::Listed(names))
    }

    /// Whether a request naming `host` (a `Host` header value or a URI authority, with or without port) is
    /// answered.
    pub(crate) fn allows(&self, host: &str) -> bool {
        let names = match self {
            Self::Listed(names) => names,
            Self::Any => return true,
            Self::Invalid(_) => return false,
        };
        let Some(name) = host_name(host) else {
            return false;
        };
        is_loopback_name(&name) || names.iter().any(|listed| **listed == *name)
    }
}

/// The host a request names: the authority of an absolute-form target (`GET http://host/metrics`) wins over the
/// `Host` header, as RFC 9112 section 3.2.2 says. `Ok(None)` when there is none (an HTTP/1.0 client, which no
/// browser is); `Err` when there are several `Host` headers or one is not text.
pub(crate) fn requested_host<'r>(
    uri: &'r Uri,
    headers: &'r HeaderMap,
) -> Result<Option<&'r str>, ()> {
    if let Some(authority) = uri.authority() {
        return Ok(Some(authority.as_str()));
    }
    let mut hosts = headers.get_all(HOST).iter();
    let Some(first) = hosts.next() else {
        return Ok(None);
    };
    if hosts.next().is_some() {
        return Err(());
    }
    first.to_str().map(Some).map_err(|_| ())
}

/// Whether `name` (normalized, without port) is `localhost`, an address in 127.0.0.0/8 or `::1` (IPv4-mapped
/// loopback included).
fn is_loopback_name(name: &str) -> bool {
    if name == "localhost" {
        return true;
    }
    let ip = name
        .strip_prefix('[')
        .and_then(|inner| inner.strip_suffix(']'))
        .map_or_else(
            || name.parse::<IpAddr>().ok(),
            |inner| inner.parse::<Ipv6Addr>().ok().map(IpAddr::V6),
        );
    ip.is_some_and(super::peer::is_loopback_peer)
}

/// The host name of `host` without its port, normalized; `None` when it is not a well-formed `host[:port]`.
fn host_name(host: &str) -> Option<String> {
    let host = host.trim();
    let (name, port) = if host.starts_with('[') {
        let end = host.find(']')?;
        let (name, rest) = host.split_at(end + 1);
        (
            name,
            rest.strip_prefix(':')
                .map_or((!rest.is_empty()).then_some(rest), Some),
        )
    } else {
        match host.rsplit_once(':') {
            Some((name, port)) => (name, Some(port)),
            None => (host, None),
        }
    };
    if port.is_some_and(|port| port.len() > 5 || !port.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    if name.is_empty() {
        return None;
    }
    if let Some(inner) = name.strip_prefix('[') {
        // Bracketed: only an IPv6 literal, written canonically so that listed addresses compare equal.
        let inner = inner.strip_suffix(']')?;
        return inner
            .parse::<Ipv6Addr>()
            .ok()
            .map(|ip| canonical(IpAddr::V6(ip)));
    }
    Some(normalize(name))
}

/// An address as the allow-list stores it: IPv6 in brackets, as it appears in a `Host` header.
fn canonical(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(ip) => ip.to_string(),
        IpAddr::V6(ip) => format!("[{ip}]"),
    }
}

/// Lowercase, without the trailing dot of a fully qualified name.
fn normalize(name: &str) -> String {
    let name = name.strip_suffix('.').unwrap_or(name);
    name.to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loopback_only() -> AllowedHosts {
        AllowedHosts::Listed(Vec::new())
    }

    #[test]
    fn loopback_names_and_addresses_are_answered_with_or_without_port() {
        let hosts = loopback_only();
        for host in [
            "localhost",
            "LOCALHOST:9464",
            "localhost.",
            "localhost.:9464",
            "127.0.0.1",
            "127.0.0.1:9464",
            "127.8.9.10:80",
            "[::1]",
            "[::1]:9464",
            "[::ffff:127.0.0.1]:9464",
            "localhost:",
        ] {
            assert!(hosts.allows(host), "{host} is loopback");
        }
    }

    #[test]
    fn other_names_are_refused_unless_listed() {
        let hosts = loopback_only();
        for host in [
            "attacker.example",
            "attacker.example:9464",
            "localhost.attacker.example",
            "127.0.0.1.nip.io",
            "10.0.0.1:9464",
            "0.0.0.0",
            "[::]:9464",
            "[::1",
            "::1",
            "2130706433",
            "0x7f000001",
            "localhost:9464:1",
            "localhost:http",
            "",
            ":9464",
            "[::1]x",
        ] {
            assert!(!hosts.allows(host), "{host:?} must be refused");
        }
        let listed = AllowedHosts::parse(["metrics.internal", " Box.Local. "]).unwrap();
        assert!(listed.allows("metrics.internal:9464"));
        assert!(listed.allows("box.local"));
        assert!(listed.allows("localhost"), "loopback stays allowed");
        assert!(!listed.allows("attacker.example"));
        assert!(
            AllowedHosts::parse(["a", "*"])
                .unwrap()
                .allows("anything:1")
        );
        let addresses = AllowedHosts::parse(["10.0.0.5", "fd00::1", "[FD00::2]"]).unwrap();
        assert!(addresses.allows("10.0.0.5:9464"));
        assert!(addresses.allows("[fd00:0::1]:9464"));
        assert!(addresses.allows("[fd00::2]"));
        assert!(
            !addresses.allows("fd00::1"),
            "IPv6 in a Host header needs brackets"
        );
    }

    #[test]
    fn malformed_entries_are_refused() {
        for entry in ["http://x", "host:9464", "a b", "host/path", "ü.example"] {
            assert!(AllowedHosts::parse([entry]).is_err(), "{entry}");
        }
        assert_eq!(AllowedHosts::parse(["", " "]).unwrap(), loopback_only());
    }

    #[test]
    fn the_target_authority_wins_and_duplicate_hosts_are_refused() {
        let mut headers = HeaderMap::new();
        headers.insert(HOST, "localhost".parse().unwrap());
        let absolute: Uri = "http://attacker.example/metrics".parse().unwrap();
        assert_eq!(
            requested_host(&absolute, &headers),
            Ok(Some("attacker.example"))
        );
        let origin: Uri = "/metrics".parse().unwrap();
        assert_eq!(requested_host(&origin, &headers), Ok(Some("localhost")));
        headers.append(HOST, "attacker.example".parse().unwrap());
        assert_eq!(requested_host(&origin, &headers), Err(()));
        assert_eq!(requested_host(&origin, &HeaderMap::new()), Ok(None));
    }
}
