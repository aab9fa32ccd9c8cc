//! `ecs-password serve --upstream PREFIX=URL` (and `--cloud`): a same-origin path to a real cloud
//! endpoint, for a page that cannot call it directly (ECS endpoints send no CORS headers). See
//! docs/proxy.md.
//!
//! It is an allowlist, not an open proxy: each prefix forwards to one fixed upstream, given at
//! start-up (`--upstream`, `--cloud`) or learned from the catalog of the identity service the
//! operator chose (`--cloud openstack:`, `Learned`). Nothing in a request chooses the host: the
//! request target's authority (absolute form), `Host`, `X-Forwarded-*` and `Forwarded` are never
//! used; the path below the prefix is appended to the upstream's path only after a check that
//! refuses `.` and `..` segments (also percent-encoded), encoded `/` and `\`, `@`, NUL and empty
//! segments, and the URL built from it is checked again to have the upstream's origin and to stay
//! under its path.
//!
//! Requests are forwarded unchanged apart from the headers below, so that an AK/SK signature made
//! for the upstream (`Endpoint::via_proxy` in the library, `upstream` in the JavaScript target)
//! stays valid: the method, the path below the prefix, the query, the body and every other
//! header reach the upstream as sent.
//!
//! - Not forwarded: hop-by-hop headers (`Connection` and the names it lists, `Keep-Alive`,
//!   `Proxy-*`, `TE`, `Trailer`, `Transfer-Encoding`, `Upgrade`), `Host` (the upstream's own is
//!   sent), `Content-Length` (recomputed), `Expect`, `Accept-Encoding` (the proxy negotiates its
//!   own), `Cookie`, `Origin`, `Referer`, `Forwarded`, `X-Forwarded-*`, `X-Real-Ip` and `Via`.
//! - Not returned: the hop-by-hop headers, `Content-Length` (recomputed), `Set-Cookie`,
//!   `Access-Control-*` (the proxy is for its own origin only), `Strict-Transport-Security`,
//!   `Alt-Svc`, `Clear-Site-Data` and `Refresh` (they would apply to the proxy's origin).
//! - Added, on every answer (its own errors too): `Content-Security-Policy: sandbox` (an HTML
//!   answer runs no script and has no access to the page's origin), `X-Content-Type-Options:
//!   nosniff`, and `Cache-Control: no-store` unless the upstream sent a `Cache-Control`. None of
//!   the page's own headers are added.
//! - Limits: bodies of at most [`MAX_BODY_BYTES`] each way (413 / 502), read within the body
//!   deadline (`--body-timeout`, 408) before a place among the [`MAX_IN_FLIGHT`] is taken (503
//!   beyond), a time limit for the whole upstream exchange (504), redirects returned, never
//!   followed. The proxy's own errors are JSON, `{"error": {"code", "message"}}`, with codes
//!   `PROXY_*`.
//! - Nothing is logged: no header, no body, no URL.

use crate::guard::BodyError;
use crate::output::CliError;
use crate::preset::{CloudPreset, CATALOG_PREFIX, IDENTITY_PREFIX, MAX_LEARNED};
use axum::body::Body;
use axum::http::{
    header, HeaderMap, HeaderName, HeaderValue, Method, Request, Response, StatusCode,
};
use axum::routing::{any, get};
use axum::Router;
use ecs_password::api::http::MAX_BODY_BYTES;
use ecs_password::api::request::{is_loopback, Endpoint};
use ecs_password::signin::catalog::{parse_catalog, Service};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;
use tokio::sync::Semaphore;
use url::Url;

/// Paths served by `serve` itself: no prefix may be one of them, under one or above one.
pub const RESERVED: &[&str] = &[
    "/pkg",
    "/demo",
    "/_emulator",
    "/_proxy",
    "/v1",
    "/v2",
    "/v2.1",
    "/compute",
    "/identity",
    "/v3",
];

/// The default time limit of one upstream exchange, in seconds.
pub const DEFAULT_TIMEOUT_SECS: u64 = 30;

/// Proxied requests in flight at once; more are answered 503 at once.
pub const MAX_IN_FLIGHT: usize = 64;

/// Marks an answer of the proxy's, so that `serve` adds none of the page's own headers to it.
#[derive(Clone, Copy, Debug)]
pub struct Proxied;

/// One `--upstream PREFIX=URL`.
#[derive(Clone, Debug)]
pub struct Upstream {
    /// The path prefix, `/` then segments, without a trailing `/`.
    pub prefix: String,
    /// The fixed upstream: https (http for loopback only), no user, query or fragment.
    pub url: Url,
}

impl Upstream {
    /// Parses and checks `PREFIX=URL`.
    pub fn parse(text: &str) -> Result<Upstream, CliError> {
        let usage = |why: String| {
            CliError::usage(format!(
                "--upstream \"{text}\": {why}. Give PREFIX=URL, e.g. \
                 --upstream /proxy/ecs=https://ecs.eu-de.otc.t-systems.com"
            ))
        };
        let (prefix, url) = text
            .split_once('=')
            .ok_or_else(|| usage("there is no '=' between the prefix and the URL".into()))?;
        let prefix = check_prefix(prefix.trim()).map_err(usage)?;
        let url = check_upstream_url(url).map_err(usage)?;
        Ok(Upstream { prefix, url })
    }
}

/// The checks every upstream URL passes, given or learned: https (http for loopback only), no
/// user name, password, query or fragment.
pub fn check_upstream_url(text: &str) -> Result<Url, String> {
    Endpoint::parse(text)
        .map(|e| e.url().clone())
        .map_err(|e| format!("the URL is not usable ({})", e.english()))
}

/// A path prefix: `/a/b` (a trailing `/` is dropped), segments of `A-Z a-z 0-9 - . _ ~`, no `.`
/// or `..`, not `/` and not a path `serve` answers itself.
fn check_prefix(prefix: &str) -> Result<String, String> {
    if !prefix.starts_with('/') {
        return Err("the prefix must start with '/'".into());
    }
    let trimmed = prefix.strip_suffix('/').unwrap_or(prefix);
    if trimmed.is_empty() {
        return Err("the prefix '/' would send the whole site to the upstream".into());
    }
    for segment in trimmed[1..].split('/') {
        if segment == "." || segment == ".." {
            return Err("the prefix must not contain '.' or '..' segments".into());
        }
        if segment.is_empty()
            || !segment
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'))
        {
            return Err(
                "the prefix may contain only '/'-separated segments of letters, digits, '-', '.', '_' and '~'"
                    .into(),
            );
        }
    }
    if let Some(taken) = RESERVED.iter().find(|r| overlaps(trimmed, r)) {
        return Err(format!(
            "the prefix overlaps {taken}, which ecs-password serve answers itself (reserved: {}); choose another, e.g. /proxy/ecs",
            RESERVED.join(", ")
        ));
    }
    Ok(trimmed.to_owned())
}

/// Whether one of two prefixes is the other or lies under it.
fn overlaps(a: &str, b: &str) -> bool {
    let under = |x: &str, y: &str| x.strip_prefix(y).is_some_and(|rest| rest.starts_with('/'));
    a == b || under(a, b) || under(b, a)
}

/// The proxy: its routes and their shared limits.
pub struct Proxy {
    /// The `--cloud` routes first, then the `--upstream` ones.
    upstreams: Vec<Upstream>,
    cloud: Option<CloudPreset>,
    timeout: Duration,
    body_timeout: Duration,
}

impl Proxy {
    /// Checks `--cloud` and every `--upstream` value (duplicates and nested prefixes are refused,
    /// the preset's routes included) and the time limit (seconds, at least 1). `body_timeout`
    /// bounds the reading of a request body.
    pub fn new(
        values: &[String],
        cloud: Option<&str>,
        timeout_secs: u64,
        body_timeout: Duration,
    ) -> Result<Proxy, CliError> {
        if timeout_secs == 0 || timeout_secs > 3600 {
            return Err(CliError::usage(format!(
                "--upstream-timeout {timeout_secs}: give a number of seconds from 1 to 3600."
            )));
        }
        let preset = cloud.map(CloudPreset::parse).transpose()?;
        let mut upstreams = preset.as_ref().map(CloudPreset::routes).unwrap_or_default();
        // Every prefix in use; the first `from_cloud` are the preset's (its learned routes too).
        let mut taken: Vec<String> = upstreams.iter().map(|u| u.prefix.clone()).collect();
        if preset.as_ref().is_some_and(CloudPreset::learns) {
            taken.push(CATALOG_PREFIX.to_owned());
        }
        let from_cloud = taken.len();
        for value in values {
            let upstream = Upstream::parse(value)?;
            if let Some((i, other)) = taken
                .iter()
                .enumerate()
                .find(|(_, p)| overlaps(p, &upstream.prefix))
            {
                let why = if *other == upstream.prefix {
                    "is given twice"
                } else {
                    "overlaps another"
                };
                let whose = match cloud {
                    Some(cloud) if i < from_cloud => format!(", a route of --cloud {cloud}"),
                    _ => String::new(),
                };
                return Err(CliError::usage(format!(
                    "--upstream: the prefix {} {why} ({other}{whose}); each prefix must name one upstream and none may lie under another.",
                    upstream.prefix
                )));
            }
            taken.push(upstream.prefix.clone());
            upstreams.push(upstream);
        }
        Ok(Proxy {
            upstreams,
            cloud: preset,
            timeout: Duration::from_secs(timeout_secs),
            body_timeout,
        })
    }

    /// Prints one start-up line per route, then the cloud's (`origin` is where `serve` listens).
    pub fn print_start_up(&self, origin: &str) {
        use std::io::Write;
        let mut out = std::io::stdout().lock();
        // A closed standard output is no reason to stop serving.
        for u in &self.upstreams {
            let _ = writeln!(
                out,
                "Proxying {origin}{}/ to {} (time limit {} s)",
                u.prefix,
                u.url,
                self.timeout.as_secs()
            );
        }
        if let Some(cloud) = &self.cloud {
            let _ = writeln!(out, "{}", cloud.start_up_line(origin));
        }
        let _ = out.flush();
    }

    /// The routes: each prefix (with and without a path below it), the learned routes under
    /// [`CATALOG_PREFIX`] when the cloud's catalogs are learned, and `GET /_proxy`, which lists
    /// the routes and the cloud so that a page can sign AK/SK requests for the right host.
    pub fn router(&self) -> Router {
        let in_flight = Arc::new(Semaphore::new(MAX_IN_FLIGHT));
        let learned = self.cloud.as_ref().filter(|c| c.learns()).map(|c| {
            Arc::new(Learned {
                identity: c.identity.clone(),
                routes: Mutex::new(Vec::new()),
                in_flight: in_flight.clone(),
                timeout: self.timeout,
                body_timeout: self.body_timeout,
                full: AtomicBool::new(false),
            })
        });
        let listing = Arc::new(Listing {
            fixed: self
                .upstreams
                .iter()
                .map(|u| serde_json::json!({ "prefix": u.prefix, "upstream": u.url.as_str() }))
                .collect(),
            cloud: self
                .cloud
                .as_ref()
                .map_or(serde_json::Value::Null, CloudPreset::to_json),
            learned: learned.clone(),
        });
        let mut router = Router::new().route(
            "/_proxy",
            get(move || async move {
                (
                    [(header::CONTENT_TYPE, "application/json")],
                    listing.to_json(),
                )
            }),
        );
        for upstream in &self.upstreams {
            // One agent per upstream: its proxy depends on the host (none for loopback).
            let agent = crate::http_transport::agent_for(&upstream.url, Some(self.timeout));
            let shared = Arc::new(Shared {
                agent,
                in_flight: in_flight.clone(),
                timeout: self.timeout,
                body_timeout: self.body_timeout,
                learn: learned
                    .clone()
                    .filter(|_| upstream.prefix == IDENTITY_PREFIX),
            });
            let route = Arc::new(upstream.clone());
            let handler = {
                let shared = shared.clone();
                move |request: Request<Body>| {
                    let shared = shared.clone();
                    let route = route.clone();
                    async move { forward(&shared, &route, request).await }
                }
            };
            router = router
                .route(&upstream.prefix, any(handler.clone()))
                .route(&format!("{}/", upstream.prefix), any(handler.clone()))
                .route(&format!("{}/{{*rest}}", upstream.prefix), any(handler));
        }
        if let Some(learned) = learned {
            let handler = move |request: Request<Body>| {
                let learned = learned.clone();
                async move { forward_learned(&learned, request).await }
            };
            router = router
                .route(CATALOG_PREFIX, any(handler.clone()))
                .route(&format!("{CATALOG_PREFIX}/"), any(handler.clone()))
                .route(&format!("{CATALOG_PREFIX}/{{*rest}}"), any(handler));
        }
        router
    }
}

/// What `GET /_proxy` answers: `{"upstreams": [{prefix, upstream[, learned]}], "cloud"}`.
struct Listing {
    fixed: Vec<serde_json::Value>,
    cloud: serde_json::Value,
    learned: Option<Arc<Learned>>,
}

impl Listing {
    fn to_json(&self) -> String {
        let mut upstreams = self.fixed.clone();
        if let Some(learned) = &self.learned {
            upstreams.extend(learned.routes().iter().map(|r| {
                serde_json::json!({
                    "prefix": r.upstream.prefix,
                    "upstream": r.upstream.url.as_str(),
                    "learned": true,
                })
            }));
        }
        serde_json::json!({ "upstreams": upstreams, "cloud": self.cloud }).to_string()
    }
}

/// The path below the identity route whose successful answers carry a catalog to learn from.
const TOKEN_PATH: &str = "/v3/auth/tokens";

/// The routes learned from the identity service's catalogs (`--cloud openstack:`), numbered
/// in the order learned under [`CATALOG_PREFIX`], at most [`MAX_LEARNED`]. The operator chose
/// the identity service; the endpoints its catalogs name are the cloud's own, so they may become
/// routes like `--upstream` ones, after the same URL checks.
struct Learned {
    /// The identity service (its being on loopback decides whether loopback may be learned).
    identity: Url,
    routes: Mutex<Vec<LearnedRoute>>,
    in_flight: Arc<Semaphore>,
    timeout: Duration,
    body_timeout: Duration,
    /// Set once the cap is reached, so that it is said once.
    full: AtomicBool,
}

#[derive(Clone)]
struct LearnedRoute {
    upstream: Arc<Upstream>,
    shared: Arc<Shared>,
}

impl Learned {
    /// The routes so far (a poisoned lock is recovered: the table is never left half-written).
    fn routes(&self) -> MutexGuard<'_, Vec<LearnedRoute>> {
        self.routes.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Learns the compute endpoints of a token answer's `token.catalog`; anything else in the
    /// body, or a body that is not JSON, teaches nothing.
    fn learn(&self, body: &[u8]) {
        let Ok(answer) = serde_json::from_slice::<serde_json::Value>(body) else {
            return;
        };
        let services = parse_catalog(answer.get("token").and_then(|t| t.get("catalog")));
        let found = learnable(&services, &self.identity);
        let mut routes = self.routes();
        for url in found {
            if routes.iter().any(|r| r.upstream.url == url) {
                continue;
            }
            if routes.len() >= MAX_LEARNED {
                if !self.full.swap(true, Ordering::Relaxed) {
                    use std::io::Write;
                    let _ = writeln!(
                        std::io::stderr(),
                        "Note: {MAX_LEARNED} compute endpoints have been learned from catalogs, \
                         the most kept; further ones are not proxied."
                    );
                }
                break;
            }
            let shared = Arc::new(Shared {
                agent: crate::http_transport::agent_for(&url, Some(self.timeout)),
                in_flight: self.in_flight.clone(),
                timeout: self.timeout,
                body_timeout: self.body_timeout,
                learn: None,
            });
            let prefix = format!("{CATALOG_PREFIX}/{}", routes.len());
            routes.push(LearnedRoute {
                upstream: Arc::new(Upstream { prefix, url }),
                shared,
            });
        }
    }

    /// The learned route a request path is under, if any.
    fn route_for(&self, path: &str) -> Option<LearnedRoute> {
        self.routes()
            .iter()
            .find(|r| {
                path.strip_prefix(r.upstream.prefix.as_str())
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
            })
            .cloned()
    }
}

/// The endpoints of a catalog that may become routes: services of type `compute` or `ecs`,
/// URLs that pass [`check_upstream_url`], and loopback ones only when the identity service is on
/// loopback too (a remote cloud has no business with this machine's own ports).
fn learnable(services: &[Service], identity: &Url) -> Vec<Url> {
    let local = is_loopback(identity);
    services
        .iter()
        .filter(|s| matches!(s.kind.as_str(), "compute" | "ecs"))
        .flat_map(|s| &s.endpoints)
        .filter_map(|e| check_upstream_url(&e.url).ok())
        .filter(|url| local || !is_loopback(url))
        .collect()
}

async fn forward_learned(learned: &Learned, request: Request<Body>) -> Response<Body> {
    match learned.route_for(request.uri().path()) {
        Some(route) => forward(&route.shared, &route.upstream, request).await,
        None => {
            let request_id = request.headers().get("x-request-id").cloned();
            finish(
                ProxyError::new(
                    StatusCode::NOT_FOUND,
                    "PROXY_ROUTE_UNKNOWN",
                    format!(
                        "No compute endpoint has been learned at this path: sign in through \
                         {IDENTITY_PREFIX}/v3/auth/tokens first, then take the route from GET /_proxy \
                         ({CATALOG_PREFIX}/0, /1... in the order learned, at most {MAX_LEARNED})."
                    ),
                )
                .into_response(request_id),
            )
        }
    }
}

struct Shared {
    agent: ureq::Agent,
    /// The [`MAX_IN_FLIGHT`] places, one per upstream exchange.
    in_flight: Arc<Semaphore>,
    timeout: Duration,
    body_timeout: Duration,
    /// On the identity route of a cloud whose catalogs are learned: where to learn them.
    learn: Option<Arc<Learned>>,
}

/// A failure of the proxy itself, answered as `{"error": {"code", "message"}}`.
struct ProxyError {
    status: StatusCode,
    code: &'static str,
    message: String,
}

impl ProxyError {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ProxyError {
            status,
            code,
            message: message.into(),
        }
    }

    fn into_response(self, request_id: Option<HeaderValue>) -> Response<Body> {
        let body = serde_json::json!({ "error": { "code": self.code, "message": self.message } });
        let mut response = Response::new(Body::from(body.to_string()));
        *response.status_mut() = self.status;
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        if let Some(id) = request_id {
            headers.insert("x-request-id", id);
        }
        match self.status {
            StatusCode::METHOD_NOT_ALLOWED => {
                headers.insert(
                    header::ALLOW,
                    HeaderValue::from_static("GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS"),
                );
            }
            StatusCode::SERVICE_UNAVAILABLE => {
                headers.insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
            }
            _ => {}
        }
        response
    }
}

async fn forward(shared: &Shared, upstream: &Upstream, request: Request<Body>) -> Response<Body> {
    let request_id = request.headers().get("x-request-id").cloned();
    finish(match try_forward(shared, upstream, request).await {
        Ok(response) => response,
        Err(e) => e.into_response(request_id),
    })
}

/// Adds the proxy's own three headers to an answer (its errors too) and marks it as proxied.
fn finish(mut response: Response<Body>) -> Response<Body> {
    let h = response.headers_mut();
    h.append(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("sandbox"),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response.extensions_mut().insert(Proxied);
    response
}

async fn try_forward(
    shared: &Shared,
    upstream: &Upstream,
    request: Request<Body>,
) -> Result<Response<Body>, ProxyError> {
    let (parts, body) = request.into_parts();
    if parts.uri.authority().is_some() || parts.uri.scheme().is_some() {
        return Err(ProxyError::new(
            StatusCode::BAD_REQUEST,
            "PROXY_REQUEST_INVALID",
            "The request target names a host; the proxy takes paths only, and its upstream is fixed.",
        ));
    }
    if !matches!(
        parts.method,
        Method::GET
            | Method::HEAD
            | Method::POST
            | Method::PUT
            | Method::PATCH
            | Method::DELETE
            | Method::OPTIONS
    ) {
        return Err(ProxyError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "PROXY_METHOD_NOT_ALLOWED",
            format!(
                "The proxy forwards GET, HEAD, POST, PUT, PATCH, DELETE and OPTIONS, not {}.",
                parts.method
            ),
        ));
    }
    let url = upstream_url(upstream, parts.uri.path(), parts.uri.query())?;
    let learn = shared.learn.clone().filter(|_| {
        parts.method == Method::POST
            && parts.uri.path().strip_prefix(upstream.prefix.as_str()) == Some(TOKEN_PATH)
    });
    // The body first, under its deadline: a slow client holds no place among the upstream's.
    let body = read_body(&parts.headers, body, shared.body_timeout).await?;
    let permit = shared.in_flight.clone().try_acquire_owned().map_err(|_| {
        ProxyError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "PROXY_BUSY",
            format!("The proxy already has {MAX_IN_FLIGHT} requests in flight; try again shortly."),
        )
    })?;
    if parts.method == Method::HEAD && !body.is_empty() {
        return Err(ProxyError::new(
            StatusCode::BAD_REQUEST,
            "PROXY_REQUEST_INVALID",
            "A HEAD request has no body.",
        ));
    }
    let mut builder = ureq::http::Request::builder()
        .method(parts.method.as_str())
        .uri(url.as_str());
    for (name, value) in request_headers(&parts.headers) {
        builder = builder.header(name.as_str(), value.as_bytes());
    }
    let outgoing = builder.body(body).map_err(|_| {
        ProxyError::new(
            StatusCode::BAD_REQUEST,
            "PROXY_REQUEST_INVALID",
            "The request could not be forwarded as given.",
        )
    })?;
    let agent = shared.agent.clone();
    let timeout = shared.timeout;
    let exchange = tokio::task::spawn_blocking(move || {
        // The place is held until the upstream exchange ends, even if the client has gone.
        let _permit = permit;
        let answer = exchange(&agent, outgoing, timeout)?;
        if let Some(learned) = learn.filter(|_| answer.status.is_success()) {
            learned.learn(&answer.body);
        }
        Ok(answer)
    });
    let answer = exchange.await.map_err(|_| {
        ProxyError::new(
            StatusCode::BAD_GATEWAY,
            "PROXY_UNREACHABLE",
            "The upstream exchange was interrupted.",
        )
    })??;
    let is_head = parts.method == Method::HEAD;
    let mut response = Response::new(Body::from(answer.body));
    *response.status_mut() = answer.status;
    copy_response_headers(&answer.headers, response.headers_mut(), is_head);
    Ok(response)
}

/// The upstream URL for a request path under `upstream.prefix` and its raw query.
fn upstream_url(upstream: &Upstream, path: &str, query: Option<&str>) -> Result<Url, ProxyError> {
    let invalid = |why: &str| {
        ProxyError::new(
            StatusCode::BAD_REQUEST,
            "PROXY_PATH_INVALID",
            format!("The path below the proxy prefix {why}; the proxy forwards plain paths only."),
        )
    };
    let rest = path
        .strip_prefix(&upstream.prefix)
        .filter(|rest| rest.is_empty() || rest.starts_with('/'))
        .ok_or_else(|| invalid("does not follow the prefix"))?;
    let segments: Vec<&str> = rest.split('/').skip(1).collect();
    for (i, segment) in segments.iter().enumerate() {
        let decoded = percent_decode(segment).ok_or_else(|| invalid("has a bad %-escape"))?;
        if decoded == b"." || decoded == b".." {
            return Err(invalid("contains a '.' or '..' segment"));
        }
        if decoded
            .iter()
            .any(|&b| matches!(b, b'/' | b'\\' | b'@' | 0) || b.is_ascii_control())
        {
            return Err(invalid(
                "contains an encoded '/', a '\\', an '@' or a control character",
            ));
        }
        if segment.is_empty() && i + 1 < segments.len() {
            return Err(invalid("contains an empty segment ('//')"));
        }
    }
    let mut url = upstream.url.clone();
    let base = upstream.url.path().trim_end_matches('/');
    let joined = if rest.is_empty() {
        upstream.url.path().to_owned()
    } else {
        format!("{base}{rest}")
    };
    url.set_path(&joined);
    url.set_query(query);
    // Again, on the URL as the url crate sees it: the upstream's origin, under its path.
    let same_origin = url.scheme() == upstream.url.scheme()
        && url.host() == upstream.url.host()
        && url.port_or_known_default() == upstream.url.port_or_known_default()
        && url.username().is_empty()
        && url.password().is_none();
    let under = url.path() == upstream.url.path()
        || url
            .path()
            .strip_prefix(base)
            .is_some_and(|r| r.starts_with('/'));
    if !(same_origin && under) || url.fragment().is_some() {
        return Err(invalid("leaves the upstream's path"));
    }
    Ok(url)
}

/// `%XX`-decoding; `None` for a `%` without two hex digits (which `percent_decode_str` would
/// keep as it is).
fn percent_decode(text: &str) -> Option<Vec<u8>> {
    let well_formed = text.split('%').skip(1).all(|escape| {
        escape
            .as_bytes()
            .get(..2)
            .is_some_and(|hex| hex.iter().all(u8::is_ascii_hexdigit))
    });
    well_formed.then(|| percent_encoding::percent_decode_str(text).collect())
}

/// Reads the request body within `deadline`, refusing more than [`MAX_BODY_BYTES`] (before
/// reading, when `Content-Length` says so).
async fn read_body(
    headers: &HeaderMap,
    body: Body,
    deadline: Duration,
) -> Result<Vec<u8>, ProxyError> {
    let too_large = || {
        ProxyError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "PROXY_REQUEST_TOO_LARGE",
            format!("The request body is larger than the proxy's limit of {MAX_BODY_BYTES} bytes."),
        )
    };
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_BODY_BYTES as u64) {
        return Err(too_large());
    }
    match crate::guard::read_body(body, MAX_BODY_BYTES, deadline).await {
        Ok(bytes) => Ok(bytes.to_vec()),
        Err(BodyError::TooLarge) => Err(too_large()),
        Err(BodyError::TimedOut) => Err(ProxyError::new(
            StatusCode::REQUEST_TIMEOUT,
            "PROXY_REQUEST_TIMEOUT",
            format!(
                "The request body did not arrive within {} s (--body-timeout).",
                deadline.as_secs()
            ),
        )),
        Err(BodyError::Unreadable) => Err(ProxyError::new(
            StatusCode::BAD_REQUEST,
            "PROXY_REQUEST_INVALID",
            "The request body could not be read.",
        )),
    }
}

/// Request headers never forwarded (besides those `Connection` lists).
fn dropped_from_request(name: &str) -> bool {
    is_hop_by_hop(name)
        || matches!(
            name,
            "host"
                | "content-length"
                | "expect"
                | "accept-encoding"
                | "cookie"
                | "cookie2"
                | "origin"
                | "referer"
                | "forwarded"
                | "via"
                | "x-real-ip"
        )
        || name.starts_with("x-forwarded-")
}

/// Response headers never returned (besides those `Connection` lists).
fn dropped_from_response(name: &str) -> bool {
    is_hop_by_hop(name)
        || matches!(
            name,
            "content-length"
                | "set-cookie"
                | "set-cookie2"
                | "strict-transport-security"
                | "alt-svc"
                | "clear-site-data"
                | "refresh"
        )
        || name.starts_with("access-control-")
}

/// RFC 9110 section 7.6.1, plus the proxy headers of old HTTP/1.0 clients.
fn is_hop_by_hop(name: &str) -> bool {
    matches!(
        name,
        "connection"
            | "keep-alive"
            | "te"
            | "trailer"
            | "trailers"
            | "transfer-encoding"
            | "upgrade"
    ) || name.starts_with("proxy-")
}

/// The names a `Connection` header lists (lower case).
fn connection_listed(headers: &HeaderMap) -> Vec<String> {
    headers
        .get_all(header::CONNECTION)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|n| n.trim().to_ascii_lowercase())
        .filter(|n| !n.is_empty())
        .collect()
}

fn request_headers(headers: &HeaderMap) -> Vec<(HeaderName, HeaderValue)> {
    let listed = connection_listed(headers);
    headers
        .iter()
        .filter(|(name, _)| {
            !dropped_from_request(name.as_str()) && !listed.iter().any(|l| l == name.as_str())
        })
        .map(|(name, value)| (name.clone(), value.clone()))
        .collect()
}

fn copy_response_headers(from: &HeaderMap, to: &mut HeaderMap, is_head: bool) {
    let listed = connection_listed(from);
    for (name, value) in from {
        let keep = !dropped_from_response(name.as_str())
            && !listed.iter().any(|l| l == name.as_str())
            // A HEAD answer has no body to measure: keep the upstream's length.
            || (is_head && name == header::CONTENT_LENGTH);
        if keep {
            to.append(name.clone(), value.clone());
        }
    }
}

/// What the upstream answered.
struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
}

/// One blocking exchange with the upstream, body read whole (at most [`MAX_BODY_BYTES`]).
fn exchange(
    agent: &ureq::Agent,
    request: ureq::http::Request<Vec<u8>>,
    timeout: Duration,
) -> Result<Answer, ProxyError> {
    let failed = |e: ureq::Error| -> ProxyError {
        let timed_out = matches!(e, ureq::Error::Timeout(_))
            || matches!(&e, ureq::Error::Io(io) if matches!(io.kind(), std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock));
        if timed_out {
            return ProxyError::new(
                StatusCode::GATEWAY_TIMEOUT,
                "PROXY_TIMEOUT",
                format!(
                    "The upstream did not answer within {} s (--upstream-timeout).",
                    timeout.as_secs()
                ),
            );
        }
        let why = match e {
            ureq::Error::BodyExceedsLimit(_) => {
                return ProxyError::new(
                    StatusCode::BAD_GATEWAY,
                    "PROXY_RESPONSE_TOO_LARGE",
                    format!(
                        "The upstream's answer is larger than the proxy's limit of {MAX_BODY_BYTES} bytes."
                    ),
                )
            }
            ureq::Error::HostNotFound => "its host name was not found".to_owned(),
            ureq::Error::ConnectionFailed => "the connection failed".to_owned(),
            ureq::Error::Io(io) => match io.kind() {
                std::io::ErrorKind::ConnectionRefused => "it refused the connection".to_owned(),
                std::io::ErrorKind::ConnectionReset | std::io::ErrorKind::ConnectionAborted => {
                    "it dropped the connection".to_owned()
                }
                std::io::ErrorKind::UnexpectedEof => "it closed the connection early".to_owned(),
                _ => "of a network error".to_owned(),
            },
            ureq::Error::Tls(_) | ureq::Error::Rustls(_) => {
                "the TLS handshake failed".to_owned()
            }
            _ => "its answer was not valid HTTP".to_owned(),
        };
        ProxyError::new(
            StatusCode::BAD_GATEWAY,
            "PROXY_UNREACHABLE",
            format!("The upstream could not be reached: {why}."),
        )
    };
    let mut response = agent.run(request).map_err(failed)?;
    let declared = response
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_BODY_BYTES as u64) {
        return Err(failed(ureq::Error::BodyExceedsLimit(MAX_BODY_BYTES as u64)));
    }
    let status = StatusCode::from_u16(response.status().as_u16())
        .map_err(|_| failed(ureq::Error::BadUri(String::new())))?;
    let headers = response.headers().clone();
    let body = response
        .body_mut()
        .with_config()
        .limit(MAX_BODY_BYTES as u64)
        .read_to_vec()
        .map_err(failed)?;
    Ok(Answer {
        status,
        headers,
        body,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn upstream(url: &str) -> Upstream {
        Upstream {
            prefix: "/proxy/ecs".into(),
            url: Url::parse(url).unwrap(),
        }
    }

    #[test]
    fn prefixes() {
        assert_eq!(check_prefix("/proxy/ecs/").as_deref(), Ok("/proxy/ecs"));
        assert_eq!(check_prefix("/v2.10").as_deref(), Ok("/v2.10"));
        assert_eq!(check_prefix("/pkgs").as_deref(), Ok("/pkgs"));
        for bad in [
            "proxy",
            "/",
            "//",
            "/a//b",
            "/a/../b",
            "/..",
            "/./a",
            "/pkg",
            "/pkg/x",
            "/v2.1",
            "/v2/x",
            "/_emulator",
            "/demo/",
            "/compute/a",
            "/identity",
            "/v3/auth",
            "/_proxy",
            "/a b",
            "/a%2e",
            "/{x}",
            "/*x",
            "/a@b",
            "/a:b",
        ] {
            assert!(check_prefix(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn paths_cannot_leave_the_upstream() {
        let u = upstream("https://nova.example.com:8774/v2.1");
        let ok = |path: &str, query: Option<&str>| {
            upstream_url(&u, path, query)
                .map(|u| u.to_string())
                .unwrap_or_else(|e| e.message)
        };
        assert_eq!(ok("/proxy/ecs", None), "https://nova.example.com:8774/v2.1");
        assert_eq!(
            ok("/proxy/ecs/", None),
            "https://nova.example.com:8774/v2.1/"
        );
        assert_eq!(
            ok(
                "/proxy/ecs/servers/s%201/os-server-password",
                Some("a=1&b=%2F")
            ),
            "https://nova.example.com:8774/v2.1/servers/s%201/os-server-password?a=1&b=%2F"
        );
        for bad in [
            "/proxy/ecs/..",
            "/proxy/ecs/../x",
            "/proxy/ecs/%2e%2e/x",
            "/proxy/ecs/.%2E/x",
            "/proxy/ecs/./x",
            "/proxy/ecs/a%2f..%2f..%2fx",
            "/proxy/ecs/a%5cb",
            "/proxy/ecs/a\\b",
            "/proxy/ecs/@evil.example.com",
            "/proxy/ecs/a%40b",
            "/proxy/ecs//evil.example.com/x",
            "/proxy/ecs/%00",
            "/proxy/ecs/%zz",
            "/proxy/ecs/%2",
            "/proxy/ecsx/a",
            "/other",
        ] {
            assert!(upstream_url(&u, bad, None).is_err(), "{bad}");
        }
        // Strict decoding: a `%` needs two hex digits (the crate alone would keep `%zz`).
        assert_eq!(
            percent_decode("a%2Fb%25%e2%82%ac").as_deref(),
            Some("a/b%€".as_bytes())
        );
        for bad in ["%", "%2", "%zz", "a%2gb", "%%41"] {
            assert_eq!(percent_decode(bad), None, "{bad}");
        }
        // A root upstream: paths map one to one, and `..` is refused even where it would stay
        // on the upstream.
        let root = upstream("http://127.0.0.1:9/");
        for bad in [
            "/proxy/ecs/v1/../x",
            "/proxy/ecs/v1/%2E%2e/x",
            "/proxy/ecs/v1/./x",
        ] {
            assert!(upstream_url(&root, bad, None).is_err(), "{bad}");
        }
        assert_eq!(
            upstream_url(&root, "/proxy/ecs/v1/p/cloudservers", Some("limit=1"))
                .map(|u| u.to_string())
                .ok()
                .as_deref(),
            Some("http://127.0.0.1:9/v1/p/cloudservers?limit=1")
        );
    }

    #[test]
    fn hop_by_hop_and_private_headers_are_not_forwarded() {
        let mut h = HeaderMap::new();
        for (n, v) in [
            ("connection", "keep-alive, X-Secret-Hop"),
            ("x-secret-hop", "1"),
            ("keep-alive", "timeout=5"),
            ("proxy-authorization", "Basic x"),
            ("te", "trailers"),
            ("upgrade", "websocket"),
            ("host", "evil.example.com"),
            ("cookie", "a=b"),
            ("origin", "https://evil.example.com"),
            ("referer", "https://evil.example.com/"),
            ("x-forwarded-host", "evil.example.com"),
            ("forwarded", "host=evil.example.com"),
            ("accept-encoding", "br"),
            ("x-auth-token", "tok"),
            ("authorization", "SDK-HMAC-SHA256 x"),
            ("x-sdk-date", "20240101T000000Z"),
            ("x-request-id", "r1"),
            ("x_underscore", "u"),
        ] {
            h.append(
                HeaderName::from_bytes(n.as_bytes()).unwrap(),
                HeaderValue::from_static(v),
            );
        }
        let kept: Vec<String> = request_headers(&h)
            .iter()
            .map(|(n, _)| n.to_string())
            .collect();
        assert_eq!(
            kept,
            [
                "x-auth-token",
                "authorization",
                "x-sdk-date",
                "x-request-id",
                "x_underscore"
            ]
        );
    }

    #[test]
    fn options_are_checked() {
        assert!(Proxy::new(&[], None, 0, Duration::from_secs(10)).is_err());
        assert!(Proxy::new(&[], None, 3601, Duration::from_secs(10)).is_err());
        let two = |a: &str, b: &str| {
            Proxy::new(
                &[a.to_owned(), b.to_owned()],
                None,
                30,
                Duration::from_secs(10),
            )
            .err()
        };
        assert!(two("/a=https://x.example.com", "/a/=https://y.example.com").is_some());
        assert!(two("/a=https://x.example.com", "/a/b=https://y.example.com").is_some());
        assert!(two("/a=https://x.example.com", "/ab=https://y.example.com").is_none());
        for bad in [
            "/a",
            "/a=",
            "/a=http://example.com",
            "/a=https://u:p@example.com",
            "/a=https://example.com/?q",
            "/a=https://example.com/#f",
            "/a=ftp://example.com",
            "a=https://example.com",
        ] {
            let e = Proxy::new(&[bad.to_owned()], None, 30, Duration::from_secs(10)).err();
            assert_eq!(e.map(|e| e.code), Some("USAGE"), "{bad}");
        }
        assert!(Proxy::new(
            &["/a=http://localhost:1/x".to_owned()],
            None,
            30,
            Duration::from_secs(10)
        )
        .is_ok());
    }

    #[test]
    fn cloud_routes_and_upstreams_do_not_overlap() {
        let with = |cloud: &str, upstream: &str| {
            Proxy::new(
                &[upstream.to_owned()],
                Some(cloud),
                30,
                Duration::from_secs(10),
            )
            .err()
            .map(|e| (e.code, e.message))
        };
        let (code, message) = with("otc:eu-de", "/proxy/ecs/=https://x.example.com").unwrap();
        assert_eq!(code, "USAGE");
        assert!(
            message
                .contains("/proxy/ecs is given twice (/proxy/ecs, a route of --cloud otc:eu-de)"),
            "{message}"
        );
        let (_, message) = with("otc:eu-de", "/proxy=https://x.example.com").unwrap();
        assert!(
            message.contains("overlaps another (/proxy/identity"),
            "{message}"
        );
        // The learned routes' space is the OpenStack preset's only.
        assert!(with("otc:eu-de", "/proxy/catalog=https://x.example.com").is_none());
        let keystone = "openstack:https://keystone.example.com/v3";
        let (_, message) = with(keystone, "/proxy/catalog/3=https://x.example.com").unwrap();
        assert!(
            message.contains("(/proxy/catalog, a route of --cloud openstack:"),
            "{message}"
        );
        assert!(with(keystone, "/proxy/ecs=https://x.example.com").is_none());
        assert_eq!(
            with("otc:mars-1", "/p=https://x.example.com").map(|e| e.0),
            Some("USAGE")
        );
    }

    fn catalog(urls: &[(&str, &str)]) -> Vec<u8> {
        let services: Vec<serde_json::Value> = urls
            .iter()
            .map(|(kind, url)| {
                serde_json::json!({"type": kind, "name": kind, "endpoints": [
                    {"interface": "public", "region_id": "RegionOne", "url": url}
                ]})
            })
            .collect();
        serde_json::json!({"token": {"catalog": services}})
            .to_string()
            .into_bytes()
    }

    fn learned(identity: &str) -> Learned {
        Learned {
            identity: Url::parse(identity).unwrap(),
            routes: Mutex::new(Vec::new()),
            in_flight: Arc::new(Semaphore::new(1)),
            timeout: Duration::from_secs(1),
            body_timeout: Duration::from_secs(1),
            full: AtomicBool::new(false),
        }
    }

    fn table(l: &Learned) -> Vec<(String, String)> {
        l.routes()
            .iter()
            .map(|r| (r.upstream.prefix.clone(), r.upstream.url.to_string()))
            .collect()
    }

    #[test]
    fn only_checked_compute_endpoints_are_learned() {
        let remote = learned("https://keystone.example.com/");
        remote.learn(&catalog(&[
            ("identity", "https://keystone.example.com/v3"),
            ("compute", "https://nova.example.com:8774/v2.1/p1"),
            ("ecs", "https://ecs.example.com"),
            ("network", "https://neutron.example.com"),
            ("compute", "http://nova.example.com/v2.1"),
            ("compute", "https://user:pw@nova.example.com/v2.1"),
            ("compute", "https://nova.example.com/v2.1?x=1"),
            ("compute", "ftp://nova.example.com/"),
            ("compute", "not a url"),
            // A remote cloud's catalog cannot point the proxy at this machine.
            ("compute", "http://127.0.0.1:8080/admin"),
            ("compute", "https://localhost/"),
            // Learned once.
            ("compute", "https://nova.example.com:8774/v2.1/p1"),
        ]));
        assert_eq!(
            table(&remote),
            [
                (
                    "/proxy/catalog/0".to_owned(),
                    "https://nova.example.com:8774/v2.1/p1".to_owned()
                ),
                (
                    "/proxy/catalog/1".to_owned(),
                    "https://ecs.example.com/".to_owned()
                ),
            ]
        );
        // Not a token answer, not JSON: nothing learned, nothing forgotten.
        remote.learn(b"<html>");
        remote.learn(br#"{"catalog": [{"type": "compute", "endpoints": [{"interface": "public", "url": "https://other.example.com"}]}]}"#);
        assert_eq!(table(&remote).len(), 2);
        assert!(remote.route_for("/proxy/catalog/1/v1/x").is_some());
        assert!(remote.route_for("/proxy/catalog/1").is_some());
        for unknown in [
            "/proxy/catalog/2",
            "/proxy/catalog/10",
            "/proxy/catalog/01/x",
            "/proxy/catalog",
        ] {
            assert!(remote.route_for(unknown).is_none(), "{unknown}");
        }
        // A Keystone on loopback may name loopback endpoints (a test cloud, the emulator).
        let local = learned("http://127.0.0.1:5000/");
        local.learn(&catalog(&[("compute", "http://127.0.0.1:8774/v2.1")]));
        assert_eq!(table(&local).len(), 1);
    }

    #[test]
    fn the_learned_routes_are_capped() {
        let l = learned("https://keystone.example.com/");
        let urls: Vec<String> = (0..MAX_LEARNED + 5)
            .map(|i| format!("https://nova{i}.example.com/v2.1"))
            .collect();
        let first: Vec<(&str, &str)> = urls.iter().map(|u| ("compute", u.as_str())).collect();
        l.learn(&catalog(&first[..10]));
        l.learn(&catalog(&first));
        let t = table(&l);
        assert_eq!(t.len(), MAX_LEARNED);
        assert_eq!(
            t[MAX_LEARNED - 1].0,
            format!("/proxy/catalog/{}", MAX_LEARNED - 1)
        );
        assert_eq!(t[MAX_LEARNED - 1].1, urls[MAX_LEARNED - 1]);
        assert!(l.full.load(Ordering::Relaxed));
    }
}
