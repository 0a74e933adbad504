//! Which addresses webhooks may call. A webhook is a request the server makes on an owner's
//! behalf, so by default it may only reach public (globally routed) addresses: not the
//! server's own loopback services, not the private network, not a cloud metadata endpoint.
//! Names are resolved once per delivery, every address is checked, and the request is pinned
//! to the checked addresses, so a name cannot be re-pointed between the check and the call.

use ipnet::IpNet;
use reqwest::Url;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::time::Duration;

/// How long a name may take to resolve.
const RESOLVE_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Clone, Debug, PartialEq, Eq)]
enum Allow {
    External,
    Any,
    Net(IpNet),
    Host(String),
}

/// The addresses webhooks may call (`DAILIES_WEBHOOK_HOSTS`): a comma-separated list of
/// `external` (public addresses, the default), `*` (anything), addresses or networks
/// (`192.168.1.20`, `10.0.0.0/8`) and host names (`hooks.internal`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WebhookHosts(Vec<Allow>);

impl Default for WebhookHosts {
    fn default() -> Self {
        WebhookHosts(vec![Allow::External])
    }
}

impl std::str::FromStr for WebhookHosts {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let mut list = Vec::new();
        for item in s.split(',').map(str::trim).filter(|i| !i.is_empty()) {
            let host_name = item.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
                && item.chars().any(|c| c.is_ascii_alphabetic());
            let allow = if item == "external" {
                Allow::External
            } else if item == "*" {
                Allow::Any
            } else if let Ok(net) = item.parse::<IpNet>() {
                Allow::Net(net)
            } else if let Ok(ip) = item.parse::<IpAddr>() {
                Allow::Net(IpNet::from(ip))
            } else if host_name {
                Allow::Host(item.trim_end_matches('.').to_ascii_lowercase())
            } else {
                return Err(format!(
                    "{item:?} is not `external`, `*`, an address, a network or a host name"
                ));
            };
            list.push(allow);
        }
        if list.is_empty() {
            return Err("the list is empty: `external` allows public addresses only".into());
        }
        Ok(WebhookHosts(list))
    }
}

/// Why a webhook may not call its URL.
#[derive(Debug, thiserror::Error)]
pub enum Refused {
    /// The URL has no host, or not one an HTTP client can call.
    #[error("the URL has no host to call")]
    NoHost,
    /// An address of the host is not allowed.
    #[error(
        "{}; this server calls public addresses only \
         (an administrator can allow others with DAILIES_WEBHOOK_HOSTS)",
        what_is(host, ip, kind)
    )]
    Private {
        /// The host as written in the URL.
        host: String,
        /// The refused address.
        ip: IpAddr,
        /// loopback, private, link-local…
        kind: &'static str,
    },
    /// The name did not resolve (may be temporary).
    #[error("{host} could not be resolved: {reason}")]
    Unresolved {
        /// The host as written in the URL.
        host: String,
        /// What the resolver said.
        reason: String,
    },
}

impl WebhookHosts {
    /// Whether a webhook may call `ip`, reached through the host name `host`.
    pub fn permits(&self, host: &str, ip: IpAddr) -> bool {
        let ip = canonical(ip);
        let host = host.trim_end_matches('.');
        self.0.iter().any(|allow| match allow {
            Allow::Any => true,
            Allow::External => special(ip).is_none(),
            Allow::Net(net) => net.contains(&ip),
            Allow::Host(name) => host.eq_ignore_ascii_case(name),
        })
    }

    /// The host of `url` and the addresses a delivery may connect to: every address it
    /// resolves to, each allowed. A host that is an address is checked as it is.
    pub async fn resolve(&self, url: &Url) -> Result<(String, Vec<SocketAddr>), Refused> {
        let host = url.host_str().filter(|h| !h.is_empty()).ok_or(Refused::NoHost)?;
        let port = url.port_or_known_default().ok_or(Refused::NoHost)?;
        let bare = unbracketed(host);
        let addrs: Vec<SocketAddr> = match bare.parse::<IpAddr>() {
            Ok(ip) => vec![SocketAddr::new(ip, port)],
            Err(_) => {
                let unresolved = |reason: String| Refused::Unresolved {
                    host: host.to_owned(),
                    reason,
                };
                tokio::time::timeout(RESOLVE_TIMEOUT, tokio::net::lookup_host((bare, port)))
                    .await
                    .map_err(|_| unresolved("the resolver did not answer in time".into()))?
                    .map_err(|e| unresolved(e.to_string()))?
                    .collect()
            }
        };
        if addrs.is_empty() {
            return Err(Refused::Unresolved {
                host: host.to_owned(),
                reason: "no addresses".into(),
            });
        }
        for a in &addrs {
            if !self.permits(bare, a.ip()) {
                return Err(Refused::Private {
                    host: host.to_owned(),
                    ip: a.ip(),
                    kind: special(canonical(a.ip())).unwrap_or("refused"),
                });
            }
        }
        Ok((bare.to_owned(), addrs))
    }
}

/// "10.0.0.7 is a private address", "hooks.example is 10.0.0.7, a private address".
fn what_is(host: &str, ip: &IpAddr, kind: &str) -> String {
    if unbracketed(host).parse::<IpAddr>().is_ok() {
        format!("{host} is a {kind} address")
    } else {
        format!("{host} is {ip}, a {kind} address")
    }
}

/// A URL's host without the brackets an IPv6 address is written in.
fn unbracketed(host: &str) -> &str {
    host.trim_start_matches('[').trim_end_matches(']')
}

/// An IPv4 address written as IPv6 (`::ffff:127.0.0.1`) is that IPv4 address.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

/// What kind of non-public address `ip` is, or `None` for a public one.
fn special(ip: IpAddr) -> Option<&'static str> {
    match ip {
        IpAddr::V4(v4) => special_v4(v4),
        IpAddr::V6(v6) => special_v6(v6),
    }
}

fn special_v4(ip: Ipv4Addr) -> Option<&'static str> {
    let [a, b, c, _] = ip.octets();
    Some(match (a, b, c) {
        _ if ip.is_loopback() => "loopback",
        _ if ip.is_private() => "private",
        _ if ip.is_link_local() => "link-local",
        _ if ip.is_unspecified() || a == 0 => "unspecified",
        _ if ip.is_multicast() => "multicast",
        _ if ip.is_broadcast() || a >= 240 => "reserved",
        (100, 64..=127, _) => "shared (carrier-grade NAT)",
        (192, 0, 0) => "IETF protocol",
        (192, 0, 2) | (198, 51, 100) | (203, 0, 113) => "documentation",
        (198, 18..=19, _) => "benchmarking",
        _ => return None,
    })
}

fn special_v6(ip: Ipv6Addr) -> Option<&'static str> {
    let s = ip.segments();
    Some(match s[0] {
        _ if ip.is_loopback() => "loopback",
        _ if ip.is_unspecified() => "unspecified",
        _ if ip.is_multicast() => "multicast",
        0xfc00..=0xfdff => "private (unique local)",
        0xfe80..=0xfebf => "link-local",
        0xfec0..=0xfeff => "site-local",
        0x2001 if s[1] == 0x0db8 => "documentation",
        // NAT64 and 6to4 carry an IPv4 address that decides.
        0x0064 if s[1] == 0xff9b => {
            return special_v4(Ipv4Addr::new(
                (s[6] >> 8) as u8,
                s[6] as u8,
                (s[7] >> 8) as u8,
                s[7] as u8,
            ))
        }
        0x2002 => {
            return special_v4(Ipv4Addr::new(
                (s[1] >> 8) as u8,
                s[1] as u8,
                (s[2] >> 8) as u8,
                s[2] as u8,
            ))
        }
        // IPv4-compatible (deprecated) `::a.b.c.d`.
        0 if s[1..6].iter().all(|&x| x == 0) => "reserved",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    type Result = std::result::Result<(), Box<dyn std::error::Error>>;

    #[test]
    fn the_default_calls_public_addresses_only() -> Result {
        let d = WebhookHosts::default();
        for ok in ["93.184.215.14", "2606:4700::1111", "8.8.8.8"] {
            assert!(d.permits("x", ok.parse()?), "{ok}");
        }
        for no in [
            "127.0.0.1",
            "127.8.9.10",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "100.64.0.1",
            "255.255.255.255",
            "::1",
            "::",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:169.254.169.254",
            "64:ff9b::a9fe:a9fe",
            "2002:7f00:1::",
            "::127.0.0.1",
        ] {
            assert!(!d.permits("x", no.parse()?), "{no}");
        }
        Ok(())
    }

    #[test]
    fn lists_allow_networks_addresses_names_and_everything() -> Result {
        let h: WebhookHosts = "external, 10.0.0.0/8,192.168.1.20, Hooks.Internal.".parse()?;
        assert!(h.permits("x", "10.9.9.9".parse()?));
        assert!(h.permits("x", "192.168.1.20".parse()?));
        assert!(!h.permits("x", "192.168.1.21".parse()?));
        assert!(h.permits("hooks.internal", "192.168.7.7".parse()?));
        assert!(!h.permits("x", "127.0.0.1".parse()?));
        assert!("*".parse::<WebhookHosts>()?.permits("x", "127.0.0.1".parse()?));
        assert!(!"127.0.0.1".parse::<WebhookHosts>()?.permits("x", "8.8.8.8".parse()?));
        for bad in ["", " , ", "10.0.0.0/99", "http://x", "a b"] {
            assert!(bad.parse::<WebhookHosts>().is_err(), "{bad:?}");
        }
        Ok(())
    }

    #[tokio::test]
    async fn names_are_resolved_and_every_address_checked() -> Result {
        let d = WebhookHosts::default();
        let e = d.resolve(&Url::parse("http://localhost:9/hook")?).await.err();
        assert!(matches!(e, Some(Refused::Private { kind: "loopback", .. })), "{e:?}");
        assert!(e.is_some_and(|e| e.to_string().contains("DAILIES_WEBHOOK_HOSTS")));
        let e = d.resolve(&Url::parse("http://[::ffff:a9fe:a9fe]/latest")?).await.err();
        assert!(matches!(e, Some(Refused::Private { kind: "link-local", .. })), "{e:?}");
        let loopback: WebhookHosts = "127.0.0.0/8,::1".parse()?;
        let (host, addrs) = loopback.resolve(&Url::parse("http://localhost:9/")?).await?;
        assert_eq!(host, "localhost");
        assert!(addrs.iter().all(|a| a.port() == 9 && a.ip().is_loopback()), "{addrs:?}");
        let (_, addrs) = d.resolve(&Url::parse("https://93.184.215.14/")?).await?;
        assert_eq!(addrs, vec!["93.184.215.14:443".parse()?]);
        Ok(())
    }
}
