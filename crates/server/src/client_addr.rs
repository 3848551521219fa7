//! Which address a request comes from. Directly connected, it is the TCP peer. Behind a reverse proxy
//! (nginx, Caddy) every peer is the proxy, so for peers named by `--trusted-proxy` the address is read from
//! the headers the proxy adds: `X-Forwarded-For`, or else `Forwarded: for=…`. Headers from any other peer
//! are ignored, since a client can write whatever it likes into them.

use std::{
    net::{IpAddr, SocketAddr},
    str::FromStr,
};

use axum::{
    extract::{ConnectInfo, Request, State},
    http::{header, HeaderMap},
    middleware::Next,
    response::Response,
};
use ipnet::IpNet;

/// The address a request counts as coming from, for rate limits and logs; set on every request whose
/// connection has a peer address (`jianyan serve` always has one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientIp(pub IpAddr);

/// How the client reached the site: over https or not, and the host (with its port, if one was given)
/// it asked for. Behind a trusted proxy, from `X-Forwarded-Proto` and `X-Forwarded-Host` (the last value
/// of each, the one the nearest proxy wrote); otherwise from the connection and its `Host`. Set on every
/// request by `resolve`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RequestSite {
    pub https: bool,
    /// `example.org` or `example.org:8443`, lower case; `None` when the request named no host.
    pub host: Option<String>,
}

impl RequestSite {
    /// The site of a request from `peer` (unknown: never a trusted proxy) with these headers and URI.
    pub fn of(
        trusted: &TrustedProxies,
        peer: Option<IpAddr>,
        headers: &HeaderMap,
        uri: &axum::http::Uri,
    ) -> Self {
        let from_proxy = peer.is_some_and(|peer| trusted.contains(peer));
        let forwarded = |name: &str| {
            from_proxy
                .then(|| last_value(headers, name))
                .flatten()
                .filter(|value| !value.is_empty())
        };
        let https =
            forwarded("x-forwarded-proto").is_some_and(|proto| proto.eq_ignore_ascii_case("https"));
        let host = forwarded("x-forwarded-host")
            .or_else(|| {
                headers
                    .get(header::HOST)
                    .and_then(|value| value.to_str().ok())
                    .map(str::to_owned)
            })
            // HTTP/2 names the host in the URI's authority instead of a Host header.
            .or_else(|| {
                uri.authority()
                    .map(|authority| authority.as_str().to_owned())
            })
            .map(|host| host.trim().to_ascii_lowercase());
        RequestSite { https, host }
    }
}

/// The last comma-separated value of the last `name` header, trimmed.
fn last_value(headers: &HeaderMap, name: &str) -> Option<String> {
    let value = headers.get_all(name).iter().next_back()?.to_str().ok()?;
    value.rsplit(',').next().map(|last| last.trim().to_owned())
}

/// The proxies whose forwarding headers are believed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    /// Trusts the proxies in these networks (a single address is a network of one).
    pub fn new(networks: Vec<IpNet>) -> Self {
        Self(networks)
    }

    fn contains(&self, ip: IpAddr) -> bool {
        let ip = unmapped(ip);
        self.0.iter().any(|network| network.contains(&ip))
    }

    /// The client's address for a request from `peer` with these headers: the peer itself unless it
    /// is trusted; otherwise the right-most forwarded address that is not a trusted proxy (every entry
    /// left of it could have been written by the client). When the proxy sent no usable header, the peer.
    pub fn client_ip(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        if !self.contains(peer) {
            return peer;
        }
        let chain = forwarded_for(headers);
        let mut client = peer;
        for hop in chain.iter().rev() {
            match hop {
                // "unknown", an obfuscated name or garbage: nothing to count by beyond the last proxy.
                None => break,
                Some(ip) => {
                    client = *ip;
                    if !self.contains(*ip) {
                        break;
                    }
                }
            }
        }
        client
    }
}

/// A `--trusted-proxy` value: an address (`127.0.0.1`, `::1`) or a network (`10.0.0.0/8`, `fd00::/8`).
pub fn parse_trusted_proxy(text: &str) -> Result<IpNet, String> {
    let text = text.trim();
    IpNet::from_str(text)
        .map(|network| network.trunc())
        .or_else(|_| IpAddr::from_str(text).map(IpNet::from))
        .map_err(|_| format!("“{text}”不是 IP 地址或网段，例如 127.0.0.1、::1 或 10.0.0.0/8"))
}

/// Middleware: puts the request's `ClientIp` (when the connection has a peer address) and its
/// `RequestSite` into its extensions.
pub async fn resolve(
    State(trusted): State<TrustedProxies>,
    mut request: Request,
    next: Next,
) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(peer)| peer.ip());
    if let Some(peer) = peer {
        let client = trusted.client_ip(peer, request.headers());
        request.extensions_mut().insert(ClientIp(client));
    }
    let site = RequestSite::of(&trusted, peer, request.headers(), request.uri());
    request.extensions_mut().insert(site);
    next.run(request).await
}

/// The forwarded addresses, client first, proxies after; `None` for an entry that is no address.
/// `X-Forwarded-For` wins when both headers are present, as nginx and most proxies send only that one.
fn forwarded_for(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    let x_forwarded_for: Vec<Option<IpAddr>> = headers
        .get_all("x-forwarded-for")
        .iter()
        .flat_map(|value| {
            let text = value.to_str().unwrap_or_default();
            text.split(',').map(parse_node).collect::<Vec<_>>()
        })
        .collect();
    if !x_forwarded_for.is_empty() {
        return x_forwarded_for;
    }
    headers
        .get_all(header::FORWARDED)
        .iter()
        .flat_map(|value| {
            let text = value.to_str().unwrap_or_default();
            text.split(',')
                .map(forwarded_element_for)
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The `for=` of one element of a `Forwarded` header (RFC 7239), e.g. `for=192.0.2.60;proto=https`.
fn forwarded_element_for(element: &str) -> Option<IpAddr> {
    element.split(';').find_map(|pair| {
        let (name, value) = pair.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("for")
            .then(|| parse_node(value.trim().trim_matches('"')))
            .flatten()
    })
}

/// An address as proxies write it: `192.0.2.60`, `192.0.2.60:4711`, `2001:db8::1`, `[2001:db8::1]` or
/// `[2001:db8::1]:4711`.
fn parse_node(text: &str) -> Option<IpAddr> {
    let text = text.trim();
    let ip = IpAddr::from_str(text)
        .ok()
        .or_else(|| SocketAddr::from_str(text).ok().map(|socket| socket.ip()))
        .or_else(|| {
            text.strip_prefix('[')
                .and_then(|rest| rest.strip_suffix(']'))
                .and_then(|inner| IpAddr::from_str(inner).ok())
        })?;
    Some(unmapped(ip))
}

/// `::ffff:192.0.2.1` as `192.0.2.1`, so one rule covers a dual-stack socket's IPv4 peers.
fn unmapped(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        IpAddr::V4(_) => ip,
    }
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().expect("a test address")
    }

    fn trusting(networks: &[&str]) -> TrustedProxies {
        TrustedProxies::new(
            networks
                .iter()
                .map(|text| parse_trusted_proxy(text).expect("a test network"))
                .collect(),
        )
    }

    type Pairs = &'static [(&'static str, &'static str)];

    fn headers(pairs: Pairs) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn the_client_is_the_right_most_forwarded_address_that_is_not_a_trusted_proxy() {
        let proxies = trusting(&["127.0.0.1", "10.0.0.0/8"]);
        let cases: [(&str, Pairs, &str, &str); 13] = [
            (
                "203.0.113.9",
                &[("x-forwarded-for", "198.51.100.1")],
                "203.0.113.9",
                "an untrusted peer's header is ignored",
            ),
            (
                "127.0.0.1",
                &[],
                "127.0.0.1",
                "a trusted peer that forwards nothing",
            ),
            (
                "127.0.0.1",
                &[("x-forwarded-for", "198.51.100.1")],
                "198.51.100.1",
                "one hop",
            ),
            (
                "127.0.0.1",
                &[("x-forwarded-for", "6.6.6.6, 198.51.100.1")],
                "198.51.100.1",
                "a spoofed entry on the left",
            ),
            (
                "127.0.0.1",
                &[("x-forwarded-for", "198.51.100.1, 10.1.2.3")],
                "198.51.100.1",
                "a second trusted proxy",
            ),
            (
                "127.0.0.1",
                &[
                    ("x-forwarded-for", "6.6.6.6"),
                    ("x-forwarded-for", "198.51.100.1"),
                ],
                "198.51.100.1",
                "two header lines in order",
            ),
            (
                "127.0.0.1",
                &[("x-forwarded-for", "10.1.2.3, 10.1.2.4")],
                "10.1.2.3",
                "only proxies: the farthest",
            ),
            (
                "127.0.0.1",
                &[("x-forwarded-for", "198.51.100.1, garbage, 10.1.2.3")],
                "10.1.2.3",
                "garbage: the last proxy",
            ),
            (
                "127.0.0.1",
                &[("x-forwarded-for", "[2001:db8::7]:1234")],
                "2001:db8::7",
                "IPv6 with a port",
            ),
            (
                "127.0.0.1",
                &[("forwarded", "for=\"[2001:db8::1]:4711\"")],
                "2001:db8::1",
                "Forwarded, IPv6 with a port",
            ),
            (
                "127.0.0.1",
                &[(
                    "forwarded",
                    "for=192.0.2.60;proto=https;by=10.0.0.1, For=198.51.100.3",
                )],
                "198.51.100.3",
                "Forwarded, two elements",
            ),
            (
                "127.0.0.1",
                &[("forwarded", "for=unknown")],
                "127.0.0.1",
                "Forwarded, unknown",
            ),
            (
                "::ffff:127.0.0.1",
                &[("x-forwarded-for", "198.51.100.1")],
                "198.51.100.1",
                "a mapped IPv4 peer",
            ),
        ];
        for (peer, pairs, expected, why) in cases {
            assert_eq!(
                proxies.client_ip(ip(peer), &headers(pairs)),
                ip(expected),
                "{why}"
            );
        }
    }

    #[test]
    fn the_site_is_read_from_forwarding_headers_only_when_a_trusted_proxy_sent_them() {
        let proxies = trusting(&["127.0.0.1"]);
        let uri = axum::http::Uri::from_static("/api/staff/session");
        let forwarded = headers(&[
            ("host", "127.0.0.1:8080"),
            ("x-forwarded-proto", "http, https"),
            ("x-forwarded-host", "JianYan.example.org"),
        ]);
        let cases = [
            (
                Some("127.0.0.1"),
                &forwarded,
                true,
                Some("jianyan.example.org"),
                "a trusted proxy",
            ),
            (
                Some("203.0.113.9"),
                &forwarded,
                false,
                Some("127.0.0.1:8080"),
                "an untrusted peer's headers are ignored",
            ),
            (
                None,
                &forwarded,
                false,
                Some("127.0.0.1:8080"),
                "no peer address is no proxy",
            ),
        ];
        for (peer, headers, https, host, why) in cases {
            let site = RequestSite::of(&proxies, peer.map(ip), headers, &uri);
            assert_eq!(site.https, https, "{why}");
            assert_eq!(site.host.as_deref(), host, "{why}");
        }
    }

    #[test]
    fn x_forwarded_for_wins_over_forwarded() {
        let proxies = trusting(&["127.0.0.1"]);
        let both = headers(&[
            ("forwarded", "for=192.0.2.60"),
            ("x-forwarded-for", "198.51.100.1"),
        ]);
        assert_eq!(
            proxies.client_ip(ip("127.0.0.1"), &both),
            ip("198.51.100.1")
        );
    }

    #[test]
    fn a_trusted_proxy_is_an_address_or_a_network_and_anything_else_is_refused_in_chinese() {
        let good = [
            ("127.0.0.1", "127.0.0.1/32"),
            ("::1", "::1/128"),
            ("10.1.2.3/8", "10.0.0.0/8"),
            (" fd00::/8 ", "fd00::/8"),
        ];
        for (text, network) in good {
            assert_eq!(
                parse_trusted_proxy(text).map(|n| n.to_string()),
                Ok(network.to_owned()),
                "{text}"
            );
        }
        for bad in ["", "localhost", "10.0.0.0/33", "1.2.3"] {
            let error = parse_trusted_proxy(bad).expect_err(bad);
            assert!(error.contains("不是 IP 地址或网段"), "{bad}: {error}");
        }
    }
}
