//! What `ecs-password serve` refuses before any handler runs, and the one way its handlers read
//! a request body:
//!
//! - [`Hosts`]: the `Host` names it answers to (the listen address, `localhost`, and the names
//!   given with `--allowed-host`); any other is refused with 421, so that a web page whose name
//!   was rebound to 127.0.0.1 (DNS rebinding) cannot read the page's origin.
//! - [`static_files`]: the static roots serve no dotfile and follow no symbolic link that leaves
//!   the root.
//! - [`read_body`]: a body is read whole, under a size limit and a deadline.

use crate::output::CliError;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::uri::Authority;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// A JSON error of `serve` itself: `{"error": {"code", "message"}}`, not stored.
pub fn json_error(status: StatusCode, code: &str, message: &str) -> Response {
    let body = serde_json::json!({ "error": { "code": code, "message": message } });
    let mut response = (status, body.to_string()).into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// One accepted `Host`: a lower-case name (IPv6 in brackets) and a port, or any port.
#[derive(Clone, Debug, PartialEq)]
struct Accepted {
    host: String,
    port: Option<u16>,
}

/// The `Host` values `serve` answers to.
#[derive(Clone, Debug)]
pub struct Hosts {
    accepted: Vec<Accepted>,
}

impl Hosts {
    /// `localhost`, 127.0.0.1, [::1] and the listen address, each on the bound port, plus each
    /// `--allowed-host NAME[:PORT]` (a name alone accepts any port, or none).
    pub fn new(bound: SocketAddr, allowed: &[String]) -> Result<Hosts, CliError> {
        let port = bound.port();
        let mut accepted: Vec<Accepted> = ["localhost", "127.0.0.1", "[::1]"]
            .iter()
            .map(|h| Accepted {
                host: (*h).to_owned(),
                port: Some(port),
            })
            .collect();
        if !bound.ip().is_unspecified() {
            accepted.push(Accepted {
                host: bracketed(bound.ip()),
                port: Some(port),
            });
        }
        for value in allowed {
            let parsed = parse_host(value).filter(|a| {
                a.host.bytes().all(|b| {
                    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'[' | b']' | b':')
                })
            });
            let Some(parsed) = parsed else {
                return Err(CliError::usage(format!(
                    "--allowed-host \"{value}\" is not a host name or address with an optional port, e.g. passwords.example.com or 10.0.0.5:8080."
                )));
            };
            accepted.push(parsed);
        }
        Ok(Hosts { accepted })
    }

    /// Whether a `Host` header value (or a request target's authority) is one of ours.
    pub fn allows(&self, value: &str) -> bool {
        let Some(given) = parse_host(value) else {
            return false;
        };
        // A `Host` without a port means the default one (serve speaks plain HTTP).
        let port = given.port.unwrap_or(80);
        self.accepted.iter().any(|a| {
            a.host == given.host
                && match a.port {
                    None => true,
                    Some(p) => p == port,
                }
        })
    }
}

/// An IP address as a URL host (IPv6 in brackets).
fn bracketed(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => format!("[{v6}]"),
    }
}

/// `host[:port]` as an authority without user information; the host in lower case.
fn parse_host(value: &str) -> Option<Accepted> {
    if value.is_empty() || value.contains('@') {
        return None;
    }
    let authority: Authority = value.parse().ok()?;
    let host = authority.host();
    if host.is_empty() || host.contains('%') {
        return None;
    }
    Some(Accepted {
        host: host.to_ascii_lowercase(),
        port: authority.port_u16(),
    })
}

/// Refuses a request whose `Host` (and absolute-form authority, if any) is not one of ours.
pub async fn check_host(State(hosts): State<Arc<Hosts>>, request: Request, next: Next) -> Response {
    let header_ok = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .is_some_and(|h| hosts.allows(h));
    let target_ok = request
        .uri()
        .authority()
        .is_none_or(|a| hosts.allows(a.as_str()));
    if header_ok && target_ok {
        return next.run(request).await;
    }
    json_error(
        StatusCode::MISDIRECTED_REQUEST,
        "HOST_NOT_ALLOWED",
        "The Host header names none of the addresses this server answers to. If the name is \
         yours (e.g. behind a reverse proxy), start serve with --allowed-host NAME.",
    )
}

/// The root of a static service, as its real (canonical) path.
#[derive(Clone, Debug)]
pub struct StaticRoot(pub Arc<PathBuf>);

impl StaticRoot {
    pub fn new(dir: &Path) -> Result<StaticRoot, CliError> {
        let real = dir.canonicalize().map_err(|e| {
            CliError::new(
                "MISSING_BUILD",
                format!("Cannot open {}: {e}.", dir.display()),
            )
        })?;
        Ok(StaticRoot(Arc::new(real)))
    }
}

/// In front of a static service: 404 for a path with a segment that starts with `.` (dotfiles,
/// and `.`/`..`, also %-encoded), and for one whose file (or directory index) is reached through a
/// symbolic link out of the root.
pub async fn static_files(
    State(root): State<StaticRoot>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path();
    let decoded = percent_encoding::percent_decode_str(path).decode_utf8();
    let Ok(decoded) = decoded else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let segments: Vec<&str> = decoded.split('/').filter(|s| !s.is_empty()).collect();
    if segments
        .iter()
        .any(|s| s.starts_with('.') || s.contains('\\') || s.contains('\0'))
    {
        return StatusCode::NOT_FOUND.into_response();
    }
    let mut candidate = root.0.as_ref().clone();
    candidate.extend(&segments);
    for file in [candidate.clone(), candidate.join("index.html")] {
        // A path that does not exist is the static service's own 404.
        if let Ok(real) = tokio::fs::canonicalize(&file).await {
            if !real.starts_with(root.0.as_ref()) {
                return StatusCode::NOT_FOUND.into_response();
            }
        }
    }
    next.run(request).await
}

/// Why a body could not be read.
#[derive(Debug, PartialEq)]
pub enum BodyError {
    TooLarge,
    TimedOut,
    Unreadable,
}

/// Reads a body whole: at most `limit` bytes, within `deadline` from the call.
pub async fn read_body(body: Body, limit: usize, deadline: Duration) -> Result<Bytes, BodyError> {
    match tokio::time::timeout(deadline, axum::body::to_bytes(body, limit)).await {
        Err(_) => Err(BodyError::TimedOut),
        Ok(Ok(bytes)) => Ok(bytes),
        Ok(Err(e)) => {
            let mut source: Option<&(dyn std::error::Error + 'static)> = Some(&e);
            while let Some(s) = source {
                if s.is::<http_body_util::LengthLimitError>() {
                    return Err(BodyError::TooLarge);
                }
                source = s.source();
            }
            Err(BodyError::Unreadable)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts() {
        let hosts = Hosts::new(
            "127.0.0.1:8080".parse().unwrap(),
            &[
                "pw.example.com".into(),
                "10.0.0.5:9000".into(),
                "[fd00::1]".into(),
            ],
        )
        .unwrap();
        for ok in [
            "127.0.0.1:8080",
            "localhost:8080",
            "LOCALHOST:8080",
            "[::1]:8080",
            "pw.example.com",
            "pw.example.com:443",
            "10.0.0.5:9000",
            "[fd00::1]",
            "[fd00::1]:1",
        ] {
            assert!(hosts.allows(ok), "{ok}");
        }
        for bad in [
            "",
            "127.0.0.1",
            "localhost",
            "localhost:80",
            "127.0.0.1:8081",
            "evil.example",
            "evil.example:8080",
            "localhost.evil.example:8080",
            "user@localhost:8080",
            "10.0.0.5",
            "10.0.0.5:9001",
            "X%C3%A9.example",
            "xn--x-9fa.example",
            "localhost:8080/x",
        ] {
            assert!(!hosts.allows(bad), "{bad}");
        }
        let on_80 = Hosts::new("127.0.0.1:80".parse().unwrap(), &[]).unwrap();
        assert!(on_80.allows("localhost") && on_80.allows("127.0.0.1:80"));
        let any = Hosts::new("0.0.0.0:8080".parse().unwrap(), &[]).unwrap();
        assert!(any.allows("localhost:8080") && !any.allows("0.0.0.0:8080"));
        for bad in ["a b", "x@y", "", "a/b", "X%C3%A9.example", "é.example"] {
            assert!(
                Hosts::new("127.0.0.1:8080".parse().unwrap(), &[bad.into()]).is_err(),
                "{bad}"
            );
        }
    }
}
