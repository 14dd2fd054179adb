//! Who the client is: the address a request came from and whether it arrived
//! over HTTPS, decided once per request by [`identify`] and read by everything
//! that cares (rate limits, the `Secure` cookie decision, the request log).
//!
//! The TCP peer is the client unless it is one of `--trusted-proxies`
//! ([`TrustedProxies`]). Only then are `Forwarded` (RFC 7239; preferred when
//! present) or `X-Forwarded-For`, and `X-Forwarded-Proto`, believed: the
//! client is the rightmost address of the chain that is not itself a trusted
//! proxy (everything to its left was written by the client and may be
//! invented). From any other peer those headers are ignored, so a client cannot
//! choose its own rate-limit key or make cookies `Secure` over plain HTTP.
//!
//! The raw address lives only in the request's memory: limiters and logs get
//! [`ClientAddr::key`], a salted hash that changes every day
//! ([`crate::ratelimit::AddressHasher`]).

use std::{
    convert::Infallible,
    net::{IpAddr, Ipv4Addr, SocketAddr},
    str::FromStr,
    sync::{Arc, LazyLock},
};

use axum::{
    extract::{ConnectInfo, FromRequestParts, Request, State},
    http::{Extensions, HeaderMap, request::Parts},
    middleware::Next,
    response::Response,
};
use ipnet::IpNet;

use crate::ratelimit::{AddressHasher, AddressKey};

/// The networks whose connections may speak for a client (`--trusted-proxies`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(pub Vec<IpNet>);

impl TrustedProxies {
    /// Whether `ip` (an IPv4-mapped IPv6 address counts as its IPv4 one) is a
    /// trusted proxy.
    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = unmap(ip);
        self.0.iter().any(|net| net.contains(&ip))
    }

    /// No proxy is trusted.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl FromStr for TrustedProxies {
    type Err = String;

    /// Comma-separated CIDRs (`10.0.0.0/8, fd00::/8`); a bare address is its
    /// own /32 or /128; empty means none.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.split(',')
            .map(str::trim)
            .filter(|part| !part.is_empty())
            .map(parse_net)
            .collect::<Result<Vec<_>, _>>()
            .map(TrustedProxies)
    }
}

/// One CIDR or bare address.
pub fn parse_net(s: &str) -> Result<IpNet, String> {
    let s = s.trim();
    s.parse::<IpNet>()
        .map(|n| n.trunc())
        .or_else(|_| s.parse::<IpAddr>().map(IpNet::from))
        .map_err(|_| format!("`{s}` is not an IP network (CIDR like 10.0.0.0/8) or address"))
}

/// The client of the current request (in the request's extensions).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddr {
    /// The client's address: kept in memory for this request only, never
    /// logged or stored.
    pub ip: IpAddr,
    /// The salted hash of `ip` that limiters and logs use.
    pub key: AddressKey,
    /// The client reached us (or the trusted proxy in front) over HTTPS.
    pub https: bool,
    /// `ip` came from a trusted proxy's header rather than the TCP peer.
    pub forwarded: bool,
}

impl ClientAddr {
    /// The client recorded by [`identify`], if the request went through it.
    pub fn of(extensions: &Extensions) -> Option<ClientAddr> {
        extensions.get::<ClientAddr>().copied()
    }
}

/// Whether the request's client used HTTPS (cookies then get `Secure`);
/// false when [`identify`] did not run.
pub fn is_https(extensions: &Extensions) -> bool {
    ClientAddr::of(extensions).is_some_and(|c| c.https)
}

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = Infallible;

    /// The recorded client, or [`ClientAddr::fallback`].
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientAddr::of(&parts.extensions)
            .unwrap_or_else(|| ClientAddr::fallback(&parts.extensions)))
    }
}

impl ClientAddr {
    /// Without [`identify`] (a router tested alone): the TCP peer (or 0.0.0.0)
    /// over plain HTTP, hashed by a process-wide hasher.
    pub fn fallback(extensions: &Extensions) -> ClientAddr {
        static HASHER: LazyLock<AddressHasher> = LazyLock::new(AddressHasher::default);
        let ip = extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| unmap(c.0.ip()))
            .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
        ClientAddr {
            ip,
            key: HASHER.key(ip),
            https: false,
            forwarded: false,
        }
    }
}

/// What [`identify`] needs: the trusted proxies and the address hasher.
#[derive(Default)]
pub struct Identify {
    pub trusted: TrustedProxies,
    pub hasher: AddressHasher,
}

impl Identify {
    /// The client of a request from `peer` with these headers.
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> ClientAddr {
        let (ip, https, forwarded) = resolve(&self.trusted, peer, headers);
        ClientAddr {
            ip,
            key: self.hasher.key(ip),
            https,
            forwarded,
        }
    }
}

/// Middleware: records the request's [`ClientAddr`] (the TCP peer from
/// `ConnectInfo`, or 0.0.0.0 when there is none, as in router tests).
pub async fn identify(State(ctx): State<Arc<Identify>>, mut req: Request, next: Next) -> Response {
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip())
        .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
    let client = ctx.client(peer, req.headers());
    req.extensions_mut().insert(client);
    next.run(req).await
}

/// The client address, whether it used HTTPS, and whether a header said so.
pub fn resolve(
    trusted: &TrustedProxies,
    peer: IpAddr,
    headers: &HeaderMap,
) -> (IpAddr, bool, bool) {
    let peer = unmap(peer);
    if !trusted.contains(peer) {
        return (peer, false, false);
    }
    // Hops oldest first: each names who connected to the next proxy, and the
    // scheme that connection used, when the proxy said.
    let hops = forwarded_hops(headers).unwrap_or_else(|| x_forwarded_hops(headers));
    // Walk from our side: the first hop that is not a trusted proxy is the client.
    let mut client = peer;
    let mut https = None;
    for hop in hops.iter().rev() {
        let Some(ip) = hop.ip else {
            // Garbage (or `unknown`) where an address should be: the nearest
            // address we know is the best we have.
            https = hop.https.or(https);
            break;
        };
        client = ip;
        https = hop.https;
        if !trusted.contains(ip) {
            break;
        }
    }
    (client, https.unwrap_or(false), client != peer)
}

/// One hop of a forwarding chain: the address it names (if one could be read)
/// and the scheme it was reached with (if given).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hop {
    pub ip: Option<IpAddr>,
    pub https: Option<bool>,
}

/// The hops of the `Forwarded` headers (RFC 7239), or `None` without one.
/// Elements are comma-separated, pairs semicolon-separated, values tokens or
/// quoted strings; `for` may be `1.2.3.4`, `1.2.3.4:80`, `"[2001:db8::1]:443"`,
/// `unknown` or an obfuscated `_name` (the last two read as no address).
pub fn forwarded_hops(headers: &HeaderMap) -> Option<Vec<Hop>> {
    let values: Vec<&str> = headers
        .get_all("forwarded")
        .iter()
        .map(|v| v.to_str().unwrap_or(""))
        .collect();
    if values.is_empty() {
        return None;
    }
    let mut hops = Vec::new();
    for value in values {
        for element in split_outside_quotes(value, ',') {
            let mut hop = Hop {
                ip: None,
                https: None,
            };
            for pair in split_outside_quotes(element, ';') {
                let Some((name, v)) = pair.split_once('=') else {
                    continue;
                };
                let v = unquote(v.trim());
                match name.trim().to_ascii_lowercase().as_str() {
                    "for" => hop.ip = parse_node(v),
                    "proto" => hop.https = Some(v.eq_ignore_ascii_case("https")),
                    _ => {}
                }
            }
            hops.push(hop);
        }
    }
    Some(hops)
}

/// The hops of `X-Forwarded-For`, each with the matching `X-Forwarded-Proto`
/// entry when that header lists as many; otherwise its first value (most
/// proxies send one) is taken as the scheme the client used, for every hop.
pub fn x_forwarded_hops(headers: &HeaderMap) -> Vec<Hop> {
    let list = |name: &str| -> Vec<String> {
        headers
            .get_all(name)
            .iter()
            .flat_map(|v| v.to_str().unwrap_or("").split(','))
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect()
    };
    let fors = list("x-forwarded-for");
    let protos = list("x-forwarded-proto");
    let mut hops: Vec<Hop> = fors
        .iter()
        .map(|f| Hop {
            ip: parse_node(f),
            https: None,
        })
        .collect();
    if protos.len() == hops.len() {
        for (hop, proto) in hops.iter_mut().zip(&protos) {
            hop.https = Some(proto.eq_ignore_ascii_case("https"));
        }
    } else if let Some(first) = protos.first() {
        // One scheme for the whole chain: the one the client used.
        let https = first.eq_ignore_ascii_case("https");
        if hops.is_empty() {
            hops.push(Hop {
                ip: None,
                https: Some(https),
            });
        } else {
            for hop in &mut hops {
                hop.https = Some(https);
            }
        }
    }
    hops
}

/// An address as proxies write it: `1.2.3.4`, `1.2.3.4:80`, `2001:db8::1`,
/// `[2001:db8::1]`, `[2001:db8::1]:443`; anything else is `None`.
pub fn parse_node(s: &str) -> Option<IpAddr> {
    let s = unquote(s.trim());
    if let Ok(ip) = s.parse::<IpAddr>() {
        return Some(unmap(ip));
    }
    if let Ok(sa) = s.parse::<SocketAddr>() {
        return Some(unmap(sa.ip()));
    }
    let inner = s.strip_prefix('[')?;
    let (addr, _) = inner.split_once(']')?;
    addr.parse::<IpAddr>().ok().map(unmap)
}

fn unmap(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6
            .to_ipv4_mapped()
            .map(IpAddr::V4)
            .unwrap_or(IpAddr::V6(v6)),
        v4 => v4,
    }
}

fn unquote(s: &str) -> &str {
    s.strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .unwrap_or(s)
}

/// Splits on `sep` except inside double quotes.
fn split_outside_quotes(s: &str, sep: char) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    let mut quoted = false;
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            c if c == sep && !quoted => {
                parts.push(s[start..i].trim());
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    parts.push(s[start..].trim());
    parts.into_iter().filter(|p| !p.is_empty()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, HeaderValue::from_static(v));
        }
        h
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn trusted(s: &str) -> TrustedProxies {
        s.parse().unwrap()
    }

    #[test]
    fn parses_cidrs_bare_addresses_and_an_empty_list() {
        let t = trusted(" 10.0.0.0/8, 192.0.2.7 ,fd00::/8,::1");
        assert_eq!(t.0.len(), 4);
        assert!(t.contains(ip("10.1.2.3")));
        assert!(t.contains(ip("192.0.2.7")));
        assert!(!t.contains(ip("192.0.2.8")));
        assert!(t.contains(ip("fd12::1")));
        assert!(t.contains(ip("::1")));
        assert!(
            t.contains(ip("::ffff:10.9.9.9")),
            "IPv4-mapped peers match IPv4 networks"
        );
        assert!(trusted("").is_empty());
        assert_eq!(trusted("10.1.2.3/8").0[0].to_string(), "10.0.0.0/8");
    }

    #[test]
    fn refuses_garbage_networks() {
        for bad in [
            "10.0.0.0/33",
            "localhost",
            "10.0.0",
            "fd00::/129",
            "1.2.3.4/8/8",
            "*",
        ] {
            assert!(bad.parse::<TrustedProxies>().is_err(), "{bad}");
        }
    }

    #[test]
    fn reads_addresses_with_ports_and_brackets() {
        assert_eq!(parse_node("192.0.2.60"), Some(ip("192.0.2.60")));
        assert_eq!(parse_node("192.0.2.60:4711"), Some(ip("192.0.2.60")));
        assert_eq!(
            parse_node("\"[2001:db8:cafe::17]:4711\""),
            Some(ip("2001:db8:cafe::17"))
        );
        assert_eq!(
            parse_node("[2001:db8:cafe::17]"),
            Some(ip("2001:db8:cafe::17"))
        );
        assert_eq!(
            parse_node("2001:db8:cafe::17"),
            Some(ip("2001:db8:cafe::17"))
        );
        assert_eq!(parse_node("::ffff:192.0.2.1"), Some(ip("192.0.2.1")));
        for garbage in [
            "unknown",
            "_hidden",
            "",
            "[2001:db8::1",
            "300.1.1.1",
            "a.b.c.d",
            "[]:80",
            "1.2.3.4:x",
        ] {
            assert_eq!(parse_node(garbage), None, "{garbage}");
        }
    }

    #[test]
    fn reads_forwarded_elements_pairs_and_quotes() {
        let h = headers(&[
            (
                "forwarded",
                "for=192.0.2.60;proto=https;by=203.0.113.43, for=\"[2001:db8:cafe::17]:4711\"",
            ),
            ("forwarded", "For=\"_gazonk\";Proto=HTTP, for=unknown"),
        ]);
        let hops = forwarded_hops(&h).unwrap();
        assert_eq!(
            hops,
            vec![
                Hop {
                    ip: Some(ip("192.0.2.60")),
                    https: Some(true)
                },
                Hop {
                    ip: Some(ip("2001:db8:cafe::17")),
                    https: None
                },
                Hop {
                    ip: None,
                    https: Some(false)
                },
                Hop {
                    ip: None,
                    https: None
                },
            ]
        );
        // A quoted comma does not split an element.
        let h = headers(&[("forwarded", "for=\"a,b\";proto=https, for=198.51.100.1")]);
        assert_eq!(forwarded_hops(&h).unwrap().len(), 2);
        assert_eq!(forwarded_hops(&HeaderMap::new()), None);
    }

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_it_claims() {
        let h = headers(&[
            ("x-forwarded-for", "203.0.113.9"),
            ("forwarded", "for=203.0.113.10;proto=https"),
            ("x-forwarded-proto", "https"),
        ]);
        for t in [trusted(""), trusted("10.0.0.0/8")] {
            assert_eq!(
                resolve(&t, ip("192.0.2.1"), &h),
                (ip("192.0.2.1"), false, false)
            );
        }
    }

    #[test]
    fn a_trusted_proxy_names_the_rightmost_untrusted_address() {
        let t = trusted("10.0.0.0/8");
        // The client wrote 1.1.1.1 itself; the proxy appended the real 203.0.113.9.
        let h = headers(&[
            ("x-forwarded-for", "1.1.1.1, 203.0.113.9"),
            ("x-forwarded-proto", "https"),
        ]);
        assert_eq!(
            resolve(&t, ip("10.0.0.2"), &h),
            (ip("203.0.113.9"), true, true)
        );
        // Two trusted proxies in a row.
        let h = headers(&[("x-forwarded-for", "1.1.1.1, 203.0.113.9, 10.0.0.7")]);
        assert_eq!(
            resolve(&t, ip("10.0.0.2"), &h),
            (ip("203.0.113.9"), false, true)
        );
        // Several header lines are one list.
        let h = headers(&[
            ("x-forwarded-for", "1.1.1.1"),
            ("x-forwarded-for", "203.0.113.9:5555"),
        ]);
        assert_eq!(resolve(&t, ip("10.0.0.2"), &h).0, ip("203.0.113.9"));
        // IPv6 clients through an IPv4-mapped trusted peer.
        let h = headers(&[("forwarded", "for=\"[2001:db8::5]:1234\";proto=https")]);
        assert_eq!(
            resolve(&t, ip("::ffff:10.0.0.2"), &h),
            (ip("2001:db8::5"), true, true)
        );
    }

    #[test]
    fn forwarded_wins_over_x_forwarded_for() {
        let t = trusted("127.0.0.1/32");
        let h = headers(&[
            ("x-forwarded-for", "198.51.100.1"),
            ("forwarded", "for=198.51.100.2;proto=http"),
            ("x-forwarded-proto", "https"),
        ]);
        assert_eq!(
            resolve(&t, ip("127.0.0.1"), &h),
            (ip("198.51.100.2"), false, true)
        );
    }

    #[test]
    fn garbage_in_the_chain_stops_at_the_nearest_known_address() {
        let t = trusted("10.0.0.0/8");
        let h = headers(&[("x-forwarded-for", "not-an-ip")]);
        assert_eq!(
            resolve(&t, ip("10.0.0.2"), &h),
            (ip("10.0.0.2"), false, false)
        );
        let h = headers(&[("x-forwarded-for", "garbage, 10.0.0.9")]);
        assert_eq!(resolve(&t, ip("10.0.0.2"), &h).0, ip("10.0.0.9"));
        let h = headers(&[("forwarded", "for=unknown;proto=https")]);
        assert_eq!(
            resolve(&t, ip("10.0.0.2"), &h),
            (ip("10.0.0.2"), true, false)
        );
        // No forwarding header at all: the proxy itself.
        assert_eq!(
            resolve(&t, ip("10.0.0.2"), &HeaderMap::new()),
            (ip("10.0.0.2"), false, false)
        );
        // Header bytes that are not text are ignored.
        let mut h = HeaderMap::new();
        h.insert(
            "x-forwarded-for",
            HeaderValue::from_bytes(b"\xff\xfe").unwrap(),
        );
        assert_eq!(resolve(&t, ip("10.0.0.2"), &h).0, ip("10.0.0.2"));
    }

    #[test]
    fn a_proto_list_is_matched_to_its_hop() {
        let t = trusted("10.0.0.0/8");
        let h = headers(&[
            ("x-forwarded-for", "203.0.113.9, 10.0.0.7"),
            ("x-forwarded-proto", "https, http"),
        ]);
        assert_eq!(
            resolve(&t, ip("10.0.0.2"), &h),
            (ip("203.0.113.9"), true, true)
        );
        // Only a scheme, no address: the proxy is the client, over that scheme.
        let h = headers(&[("x-forwarded-proto", "https")]);
        assert_eq!(
            resolve(&t, ip("10.0.0.2"), &h),
            (ip("10.0.0.2"), true, false)
        );
    }
}
