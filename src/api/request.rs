//! Building requests: a validated endpoint, checked ids, and the path of every call on every API
//! family, joined by the `url` crate (never by string concatenation).

use super::http::HttpRequest;
use crate::error::{Error, ErrorCode, Result};
use crate::message::Message;
pub use crate::route::check_id;
use crate::route::{ApiFamily, Operation, Resource, Route};
use url::{Host, Url};

/// A cloud endpoint: `https://ecs.<region>.myhuaweicloud.com`, a compute endpoint from the
/// service catalog (`https://nova.example.com:8774/v2.1`), or a same-origin proxy path (with the
/// cloud endpoint behind it, see [`Endpoint::via_proxy`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoint {
    /// Where requests are sent.
    url: Url,
    /// The cloud endpoint a proxy at `url` forwards to: what AK/SK signatures are made for.
    upstream: Option<Url>,
}

/// Whether a URL's host is this machine (`localhost`, 127.0.0.0/8, `::1`): the only hosts plain
/// http may be used for, and never reached through a proxy.
pub fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

impl Endpoint {
    /// Checks an endpoint URL: https (http only for loopback), no credentials, query or fragment.
    pub fn parse(text: &str) -> Result<Endpoint> {
        let invalid = |why: Message| {
            Error::new(
                ErrorCode::EndpointInvalid,
                Message::new("endpoint-invalid").with("detail", why),
            )
        };
        let text = text.trim();
        if let Some(c) = text.chars().find(|c| !c.is_ascii()) {
            return Err(invalid(
                Message::new("endpoint-detail-non-ascii")
                    .with("character", format!("U+{:04X}", c as u32)),
            ));
        }
        let url = parse_ascii_url(text)
            .ok_or_else(|| invalid(Message::new("endpoint-detail-not-url")))?;
        if url.host().is_none() {
            return Err(invalid(Message::new("endpoint-detail-no-host")));
        }
        let loopback = is_loopback(&url);
        match url.scheme() {
            "https" => {}
            "http" if loopback => {}
            "http" => return Err(invalid(Message::new("endpoint-detail-http"))),
            other => {
                return Err(invalid(
                    Message::new("endpoint-detail-scheme").with("scheme", other),
                ))
            }
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(invalid(Message::new("endpoint-detail-credentials")));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(invalid(Message::new("endpoint-detail-query")));
        }
        Ok(Endpoint {
            url,
            upstream: None,
        })
    }

    /// A same-origin proxy path (`proxy`, e.g. `https://console.example.com/proxy/ecs`) that
    /// forwards to the cloud endpoint `upstream` (e.g. `https://ecs.eu-de.otc.t-systems.com`),
    /// as `ecs-password serve --upstream /proxy/ecs=https://ecs.eu-de.otc.t-systems.com` does.
    ///
    /// Requests are sent to the proxy; AK/SK signatures are made for the URL the proxy calls
    /// (the upstream's host, and its path followed by the request's path below the proxy path),
    /// because that is what the cloud checks them against. Both URLs follow [`Endpoint::parse`].
    pub fn via_proxy(proxy: &str, upstream: &str) -> Result<Endpoint> {
        let upstream = Endpoint::parse(upstream)?.url;
        Ok(Endpoint {
            upstream: Some(upstream),
            ..Endpoint::parse(proxy)?
        })
    }

    /// The URL requests are sent to.
    pub fn url(&self) -> &Url {
        &self.url
    }

    /// The cloud endpoint behind a proxy ([`Endpoint::via_proxy`]); `None` for a direct one.
    pub fn upstream(&self) -> Option<&Url> {
        self.upstream.as_ref()
    }
}

/// `base` with `segments` appended as path segments (each percent-encoded by `url`) and `query`.
pub(crate) fn join(base: &Url, segments: &[&str], query: &[(String, String)]) -> Url {
    let mut url = base.clone();
    if let Ok(mut path) = url.path_segments_mut() {
        path.pop_if_empty().extend(segments);
    }
    if !query.is_empty() {
        url.query_pairs_mut().extend_pairs(query);
    }
    url
}

/// Parses an ASCII URL whose host is ASCII once percent-decoded, or gives `None`.
///
/// Host names are ASCII here (idna_adapter 1.0 maps nothing else to ASCII), and a host that holds
/// an upper-case letter and a non-ASCII character, written as is or percent-encoded, trips a
/// `debug_assert!` inside IDNA (a panic in debug builds; found by fuzzing). Such hosts are
/// refused before `url` parses them: a `%` in the host is told apart by parsing a copy with each
/// `%` turned into `^`, which `url` refuses in a host and nowhere else.
fn parse_ascii_url(text: &str) -> Option<Url> {
    if !text.is_ascii() {
        return None;
    }
    if text.contains('%') && Url::parse(&text.replace('%', "^")).is_err() {
        return None;
    }
    Url::parse(text).ok()
}

/// A page of the server list: v1 pages by number (`offset` from 1), native APIs by `marker`.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub enum PageCursor {
    /// v1: the page number, from 1.
    Offset(u32),
    /// Native: the id of the last server of the previous page.
    Marker(String),
}

/// A call the client can make, with everything needed to build it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Call {
    /// One of the four password operations; `Reset` carries the new password.
    Password(Operation, Option<ResetBody>),
    /// Server details (key pair name, OS type, enterprise project).
    ServerDetails,
    /// A key pair's public key and fingerprint.
    KeyPair(String),
    /// A page of the server list.
    ListServers {
        /// Servers per page (1-1000).
        limit: u32,
        /// Where the page starts; `None` for the first.
        cursor: Option<PageCursor>,
    },
}

/// The body of a reset.
#[derive(Clone, PartialEq, Eq)]
pub struct ResetBody {
    /// The new password (wiped on drop).
    pub new_password: zeroize::Zeroizing<String>,
    /// v1 only: ask the cloud to check complexity too.
    pub check_complexity: bool,
}

impl core::fmt::Debug for ResetBody {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ResetBody")
            .field("new_password", &"<redacted>")
            .field("check_complexity", &self.check_complexity)
            .finish()
    }
}

/// Where a call goes: the endpoint, the family, and the ids.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    /// The endpoint.
    pub endpoint: Endpoint,
    /// The API family.
    pub family: ApiFamily,
    /// The project id (not used by the Nova family, whose endpoint carries it if needed).
    pub project_id: String,
    /// The server id (not used by `ListServers`).
    pub server_id: String,
}

/// Builds the request for `call` on `target` (no auth headers yet: see `auth`). The path comes
/// from [`Route::build`].
pub fn build(target: &Target, call: &Call) -> Result<HttpRequest> {
    let family = target.family;
    let project = if family == ApiFamily::Nova {
        String::new()
    } else {
        target.project_id.clone()
    };
    let server = || target.server_id.clone();
    let mut query: Vec<(String, String)> = Vec::new();
    let mut body = None;
    let route = |family, resource| Route {
        family,
        project: project.clone(),
        resource,
    };
    let route = match call {
        Call::Password(Operation::Reset, None) => {
            return Err(Error::new(
                ErrorCode::OperationUnsupported,
                Message::new("reset-needs-password"),
            ))
        }
        Call::Password(operation, reset) => {
            if let (Operation::Reset, Some(reset)) = (operation, reset) {
                let mut inner = serde_json::json!({ "new_password": reset.new_password.as_str() });
                if family == ApiFamily::V1 && reset.check_complexity {
                    inner["is_check_password"] = serde_json::Value::Bool(true);
                }
                body = Some(serde_json::json!({ "reset-password": inner }));
            }
            route(family, Resource::Password(*operation, server()))
        }
        Call::ServerDetails => route(family, Resource::Server(server())),
        // Key pairs live under the native API on every Huawei/OTC family.
        Call::KeyPair(name) => route(
            if family == ApiFamily::V1 {
                ApiFamily::V21
            } else {
                family
            },
            Resource::KeyPair(name.clone()),
        ),
        Call::ListServers { limit, cursor } => {
            query.push(("limit".to_owned(), (*limit).clamp(1, 1000).to_string()));
            match (family, cursor) {
                (ApiFamily::V1, Some(PageCursor::Offset(n))) => {
                    query.push(("offset".into(), n.max(&1).to_string()))
                }
                (ApiFamily::V1, _) => query.push(("offset".into(), "1".into())),
                (_, Some(PageCursor::Marker(m))) => {
                    check_id("marker", m)?;
                    query.push(("marker".into(), m.clone()));
                }
                (_, _) => {}
            }
            route(family, Resource::ServerList)
        }
    };
    let (method, segments) = route.build()?;
    let segments: Vec<&str> = segments.iter().map(String::as_str).collect();
    let url = join(&target.endpoint.url, &segments, &query);
    let mut request = HttpRequest::new(method.as_str(), url);
    request.signed_url = target
        .endpoint
        .upstream
        .as_ref()
        .map(|upstream| join(upstream, &segments, &query));
    request.set_header("Accept", "application/json");
    if let Some(body) = body {
        request.set_header("Content-Type", "application/json;charset=utf8");
        request.body = serde_json::to_vec(&body).unwrap_or_default();
    }
    Ok(request)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints() {
        for ok in [
            "https://ecs.eu-de.otc.t-systems.com",
            "https://nova.example.com:8774/v2.1/",
            "http://127.0.0.1:8080/proxy/ecs",
            "http://[::1]:1",
            "http://localhost",
            "https://ECS.example.com/v1/a%20b/%E4%B8%AD",
        ] {
            assert!(Endpoint::parse(ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://ecs.example.com",
            "ftp://x",
            "https://u:p@x",
            "https://x/?a=1",
            "https://x/#f",
            "ecs.example.com",
            "",
            "javascript:alert(1)",
            // Found by fuzzing: a non-ASCII host with an upper-case letter tripped a debug
            // assertion in IDNA (a panic in debug builds).
            "https:F\u{d5}ecs.example.com/v1",
            "https://Ecs.\u{e9}xample.com",
            "http:/ecs.eE%EE.example.com",
            "https://%41%C3%A9.example.com",
        ] {
            assert_eq!(
                Endpoint::parse(bad).unwrap_err().code(),
                ErrorCode::EndpointInvalid,
                "{bad}"
            );
        }
    }

    #[test]
    fn behind_a_proxy_requests_go_to_the_proxy_and_are_signed_for_the_cloud() {
        let target = |endpoint: Endpoint| Target {
            endpoint,
            family: ApiFamily::Nova,
            project_id: String::new(),
            server_id: "s1".into(),
        };
        let endpoint = Endpoint::via_proxy(
            "http://127.0.0.1:8080/proxy/nova/",
            "https://nova.example.com:8774/v2.1",
        )
        .unwrap();
        assert_eq!(
            endpoint.upstream().map(Url::as_str),
            Some("https://nova.example.com:8774/v2.1")
        );
        let call = Call::ListServers {
            limit: 5,
            cursor: Some(PageCursor::Marker("m1".into())),
        };
        let request = build(&target(endpoint), &call).unwrap();
        assert_eq!(
            request.url.as_str(),
            "http://127.0.0.1:8080/proxy/nova/servers/detail?limit=5&marker=m1"
        );
        assert_eq!(
            request.signing_url().as_str(),
            "https://nova.example.com:8774/v2.1/servers/detail?limit=5&marker=m1"
        );
        // A direct endpoint signs what it sends.
        let direct = build(
            &target(Endpoint::parse("https://nova.example.com:8774/v2.1").unwrap()),
            &call,
        )
        .unwrap();
        assert_eq!(direct.signed_url, None);
        assert_eq!(direct.signing_url(), request.signing_url());
        // Both URLs are checked.
        for (proxy, upstream) in [
            ("http://127.0.0.1/p", "http://ecs.example.com"),
            ("http://example.com/p", "https://ecs.example.com"),
            ("http://127.0.0.1/p", "https://u:p@ecs.example.com"),
            ("http://127.0.0.1/p", "https://ecs.example.com/?q"),
        ] {
            assert_eq!(
                Endpoint::via_proxy(proxy, upstream).unwrap_err().code(),
                ErrorCode::EndpointInvalid,
                "{proxy} {upstream}"
            );
        }
    }

    #[test]
    fn ids_cannot_steer_the_path() {
        for bad in [
            "",
            "..",
            ".",
            "a/b",
            "a?b",
            "a#b",
            "%2e%2e",
            "a b",
            "a\\b",
            "é",
            "a\nb",
            &"x".repeat(129),
        ] {
            assert_eq!(
                check_id("server-id", bad).unwrap_err().code(),
                ErrorCode::IdInvalid,
                "{bad:?}"
            );
        }
        for ok in [
            "0605767f5a80d5762fc1c000cf2b3f95",
            "b4d9e3a2-0000-4c8e-9a1f-2d1c0e8f7a6b",
            "KeyPair-ab_1.x",
        ] {
            assert!(check_id("id", ok).is_ok(), "{ok}");
        }
    }
}
