//! The emulated cloud of `ecs-password serve`: every password API on every family (v1, v2, v2.1
//! under `/`, Nova under `/compute/v2.1/{project}`), server details, the server list and key
//! pairs, with tokens or AK/SK, IAM or Nova authorisation, the demo (`GET /demo`, key downloads)
//! and faults on demand. Test controls live under `/_emulator/` (docs/emulator.md); they answer
//! only requests that carry [`CONTROL_HEADER`] and, if they have an `Origin`, come from the
//! page's own origin, so that no other web page can drive them (a cross-site request with a
//! custom header needs a CORS preflight, which is never granted).
//!
//! The world is behind one lock, held only while a request changes or reads it: requests are
//! parsed and authenticated before, and a lock poisoned by a panic is recovered, not fatal.

mod cloud;
pub mod demo;
pub mod faults;
mod identity;
mod kps;
mod nova;
pub mod state;

use crate::guard::{json_error, read_body, BodyError};
use crate::output::CliError;
use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use axum::Router;
use cloud::{shape, Cloud, Reply, Request};
use faults::{Fault, FaultSpec, Faults};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use state::{Definition, Posted, World};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant, SystemTime};

/// The header every `/_emulator/` request needs (any value): a page of another site cannot send
/// it without a CORS preflight.
pub const CONTROL_HEADER: &str = "x-emulator-control";

/// The largest request body the emulator reads.
const MAX_BODY_BYTES: usize = ecs_password::api::http::MAX_BODY_BYTES;

/// How the emulator starts.
pub struct Options {
    /// A state file instead of the embedded demo.
    pub state: Option<std::path::PathBuf>,
    /// Replaces every non-zero `postsAfterSeconds` (the demo's booting server: 45 s).
    pub post_delay: Option<u64>,
    /// Faults from the start.
    pub faults: FaultSpec,
    /// How long a client has to send a request body.
    pub body_timeout: Duration,
}

/// The emulator: its definition, the live world, and the faults.
pub struct Emulator {
    def: Definition,
    demo: bool,
    post_delay: Option<u64>,
    world: Mutex<(World, Instant)>,
    faults: Faults,
    /// Cloud API requests received (faulted ones included): tests count retries with it.
    requests: AtomicU64,
    /// Tokens and receipts the identity service issued (its own lock: never held with the
    /// world's).
    tokens: Mutex<identity::Tokens>,
    body_timeout: Duration,
}

impl Emulator {
    pub fn new(options: Options) -> Result<Emulator, CliError> {
        let (def, demo) = match &options.state {
            Some(path) => {
                let text = crate::input::read_text_file(path, "state file")?;
                (Definition::parse(&text)?, false)
            }
            None => (demo::definition()?, true),
        };
        let started = Instant::now();
        let world = World::start(&def, started, options.post_delay)?;
        Ok(Emulator {
            def,
            demo,
            post_delay: options.post_delay,
            world: Mutex::new((world, started)),
            faults: Faults::new(options.faults),
            requests: AtomicU64::new(0),
            tokens: Mutex::new(identity::Tokens::default()),
            body_timeout: options.body_timeout,
        })
    }

    /// The world, also after a panic while it was held (it stays consistent: every change to it
    /// is a single assignment or a whole new world).
    fn world(&self) -> MutexGuard<'_, (World, Instant)> {
        self.world.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn tokens(&self) -> MutexGuard<'_, identity::Tokens> {
        self.tokens.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The principal of a project-scoped token the identity service issued.
    fn issued(&self, token: &str) -> Option<usize> {
        self.tokens().scoped_principal(token)
    }

    /// One line for the start-up banner.
    pub fn summary(&self) -> String {
        format!(
            "emulated cloud: {} ({} servers, {} principals, project {}){}",
            if self.demo { "demo" } else { "state file" },
            self.def.servers.len(),
            self.def.principals.len(),
            self.def.project.id,
            if self.demo {
                "; demo details at /demo"
            } else {
                ""
            }
        )
    }
}

/// The emulator's routes, to merge into `serve`'s router.
pub fn router(emulator: Arc<Emulator>) -> Router {
    let controls = Router::new()
        .route("/_emulator/state", get(state_info))
        .route("/_emulator/reset", post(reset))
        .route("/_emulator/faults", get(get_faults).put(put_faults))
        .route("/_emulator/servers/{id}/post", post(post_now))
        .route_layer(axum::middleware::from_fn(same_origin_control));
    Router::new()
        .route("/v1/{*rest}", any(api))
        .route("/v2/{*rest}", any(api))
        .route("/v2.1/{*rest}", any(api))
        .route("/compute", any(api))
        .route("/compute/", any(api))
        .route("/compute/{*rest}", any(api))
        .route("/identity", any(identity_api))
        .route("/identity/", any(identity_api))
        .route("/identity/{*rest}", any(identity_api))
        .route("/v3/{*rest}", any(identity_api))
        .route("/kms/{*rest}", any(kps_api))
        .route("/demo", get(demo_info))
        .route("/demo/keys/{file}", get(demo_key))
        .merge(controls)
        .route_layer(axum::middleware::from_fn_with_state(
            emulator.clone(),
            whole_body,
        ))
        .with_state(emulator)
}

/// Refuses a control request without [`CONTROL_HEADER`], from another origin (its `Origin`
/// names another host than `Host`, or is `null`), or that the browser marks cross-site.
async fn same_origin_control(request: axum::extract::Request, next: Next) -> Response {
    let h = request.headers();
    let host = h.get(header::HOST).and_then(|v| v.to_str().ok());
    let origin_ok = match h.get(header::ORIGIN).map(|v| v.to_str()) {
        None => true,
        Some(Ok(origin)) => url::Url::parse(origin).ok().is_some_and(|u| {
            let authority = match (u.host_str(), u.port()) {
                (Some(name), Some(port)) => format!("{name}:{port}"),
                (Some(name), None) => name.to_owned(),
                _ => String::new(),
            };
            host.is_some_and(|host| host.eq_ignore_ascii_case(&authority))
        }),
        Some(Err(_)) => false,
    };
    let site_ok = h
        .get("sec-fetch-site")
        .is_none_or(|v| matches!(v.as_bytes(), b"same-origin" | b"none"));
    if h.contains_key(CONTROL_HEADER) && origin_ok && site_ok {
        return next.run(request).await;
    }
    json_error(
        StatusCode::FORBIDDEN,
        "CONTROL_REFUSED",
        "The emulator's controls answer only requests with an X-Emulator-Control header from \
         this server's own origin (docs/emulator.md).",
    )
}

/// Reads the request body whole, within the body deadline, before any handler runs: a slow
/// client is cut off, and no handler waits for bytes.
async fn whole_body(
    State(emulator): State<Arc<Emulator>>,
    request: axum::extract::Request,
    next: Next,
) -> Response {
    let (parts, body) = request.into_parts();
    match read_body(body, MAX_BODY_BYTES, emulator.body_timeout).await {
        Ok(bytes) => {
            next.run(axum::extract::Request::from_parts(parts, Body::from(bytes)))
                .await
        }
        Err(BodyError::TooLarge) => json_error(
            StatusCode::PAYLOAD_TOO_LARGE,
            "REQUEST_TOO_LARGE",
            &format!("The request body is larger than {MAX_BODY_BYTES} bytes."),
        ),
        Err(BodyError::TimedOut) => json_error(
            StatusCode::REQUEST_TIMEOUT,
            "REQUEST_TIMEOUT",
            &format!(
                "The request body did not arrive within {} s (--body-timeout).",
                emulator.body_timeout.as_secs()
            ),
        ),
        Err(BodyError::Unreadable) => json_error(
            StatusCode::BAD_REQUEST,
            "REQUEST_INVALID",
            "The request body could not be read.",
        ),
    }
}

fn request_id() -> String {
    let mut bytes = [0u8; 16];
    let _ = getrandom::fill(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `req-<uuid>`, the form of Nova's `X-Compute-Request-Id`, from the 32 hex digits of an id.
fn nova_request_id(id: &str) -> String {
    match (
        id.get(..8),
        id.get(8..12),
        id.get(12..16),
        id.get(16..20),
        id.get(20..32),
    ) {
        (Some(a), Some(b), Some(c), Some(d), Some(e)) => format!("req-{a}-{b}-{c}-{d}-{e}"),
        _ => format!("req-{id}"),
    }
}

/// The answer, with the request id in `X-Request-Id` and `X-Openstack-Request-Id` (or, for
/// Nova, its own `req-<uuid>` form there).
fn json_response(reply: Reply, request_id: &str, openstack_id: Option<&str>) -> Response {
    let status = StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = match reply.body {
        Some(body) => (
            status,
            [(header::CONTENT_TYPE, "application/json")],
            body.to_string(),
        )
            .into_response(),
        None => status.into_response(),
    };
    let h = response.headers_mut();
    if let Ok(id) = HeaderValue::from_str(request_id) {
        h.insert("x-request-id", id.clone());
        h.insert("x-openstack-request-id", id);
    }
    if let Some(Ok(id)) = openstack_id.map(HeaderValue::from_str) {
        h.insert("x-openstack-request-id", id);
    }
    for (name, value) in reply.headers {
        if let Ok(value) = HeaderValue::from_str(&value) {
            h.append(name, value);
        }
    }
    if let Some(seconds) = reply.retry_after {
        h.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// A response cut short: the status line, the headers and the first bytes of the body go out,
/// then the connection breaks. (Breaking it before any byte would be a different fault: a browser
/// silently sends the request again when a reused connection closes without an answer, even a
/// PUT, which no page can prevent.)
fn dropped() -> Response {
    use futures_util::StreamExt;
    let first = futures_util::stream::once(async {
        Ok::<Bytes, std::io::Error>(Bytes::from_static(b"{\"password\": \""))
    });
    let broken = futures_util::stream::once(async {
        // Let the first chunk reach the socket before the error aborts the connection.
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        Err::<Bytes, std::io::Error>(std::io::Error::new(
            std::io::ErrorKind::ConnectionReset,
            "injected drop",
        ))
    });
    let mut response = Response::new(Body::from_stream(first.chain(broken)));
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

/// Every cloud API request: faults, then the answer.
async fn api(
    State(emulator): State<Arc<Emulator>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    emulator.requests.fetch_add(1, Ordering::Relaxed);
    let id = request_id();
    let family = cloud::split(uri.path()).map(|(f, _, _)| f);
    let (latency, fault) = emulator.faults.draw();
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    match (fault, family) {
        (Fault::Throttle(seconds), _) => {
            let mut reply = shape::gateway(
                429,
                "APIGW.0308",
                "The throttling threshold has been reached.",
                &id,
            );
            reply.retry_after = Some(seconds);
            return json_response(reply, &id, None);
        }
        (Fault::Unavailable, _) => {
            return json_response(
                shape::gateway(
                    503,
                    "APIGW.0201",
                    "The backend service is unavailable.",
                    &id,
                ),
                &id,
                None,
            );
        }
        (Fault::ServerError, Some(family)) => {
            return json_response(shape::server_error(family), &id, None)
        }
        _ => {}
    }
    let request = received(&method, &uri, &headers, &body);
    let nova = uri.path() == "/compute" || uri.path().starts_with("/compute/");
    let host = request
        .headers
        .iter()
        .find(|(n, _)| n == "host")
        .map_or("localhost", |(_, v)| v.as_str());
    // Parsing and authentication first, with no lock held.
    let reply = match uri.path() {
        // Nova's unauthenticated version documents.
        "/compute" | "/compute/" if method == Method::GET => nova::versions(host),
        "/compute/v2.1" | "/compute/v2.1/" if method == Method::GET => nova::version(host),
        _ => match cloud::admit(&emulator.def, &request, &id, &|t| emulator.issued(t)) {
            Err(refused) => refused,
            Ok(principal) => {
                let mut guard = emulator.world();
                let mut cloud = Cloud {
                    def: &emulator.def,
                    world: &mut guard.0,
                    now: Instant::now(),
                };
                cloud.handle(&request, principal)
            }
        },
    };
    if fault == Fault::Drop {
        return dropped();
    }
    let mut reply = reply;
    if nova {
        // Nova names each request twice, in its own form (`req-<uuid>`).
        let nova_id = nova_request_id(&id);
        reply
            .headers
            .push(("x-compute-request-id", nova_id.clone()));
        return json_response(reply, &id, Some(&nova_id));
    }
    json_response(reply, &id, None)
}

/// The request as the pure handlers read it: header names lower case, values that are not
/// visible ASCII left out (no handler reads them).
fn received<'a>(
    method: &'a Method,
    uri: &'a Uri,
    headers: &HeaderMap,
    body: &'a [u8],
) -> Request<'a> {
    Request {
        method: method.as_str(),
        path: uri.path(),
        query: uri.query(),
        headers: headers
            .iter()
            .filter_map(|(n, v)| Some((n.as_str().to_owned(), v.to_str().ok()?.to_owned())))
            .collect(),
        body,
    }
}

/// The Key Pair Service under `/kms` (`demo::KPS_PREFIX`): details, export, batch export. Faults
/// do not apply to it (they are for the password APIs).
async fn kps_api(
    State(emulator): State<Arc<Emulator>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    emulator.requests.fetch_add(1, Ordering::Relaxed);
    let id = request_id();
    let request = received(&method, &uri, &headers, &body);
    let rest = uri.path().strip_prefix(demo::KPS_PREFIX).unwrap_or("/");
    match kps::handle(&emulator.def, &request, rest, &id, &|t| emulator.issued(t)) {
        kps::Answer::Json(reply) => json_response(reply, &id, None),
        kps::Answer::Archive(zip) => {
            let mut response = (
                StatusCode::OK,
                [
                    (header::CONTENT_TYPE, "application/zip"),
                    (
                        header::CONTENT_DISPOSITION,
                        "attachment; filename=\"keypairs.zip\"",
                    ),
                    (header::CACHE_CONTROL, "no-store"),
                ],
                zip.to_vec(),
            )
                .into_response();
            if let Ok(value) = HeaderValue::from_str(&id) {
                response.headers_mut().insert("x-request-id", value);
            }
            response
        }
    }
}

/// The identity service: Keystone under `/identity`, IAM's token API under `/v3`. Faults do
/// not apply to it (they are for the password APIs a client retries).
async fn identity_api(
    State(emulator): State<Arc<Emulator>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let id = request_id();
    let request = received(&method, &uri, &headers, &body);
    let path = uri.path();
    let (flavor, rest) = if let Some(rest) = path.strip_prefix("/v3/") {
        (identity::Flavor::Iam, Some(rest))
    } else {
        let after = path.trim_start_matches("/identity").trim_matches('/');
        match after {
            "" => (identity::Flavor::Keystone, None),
            "v3" => (identity::Flavor::Keystone, Some("")),
            other => (identity::Flavor::Keystone, other.strip_prefix("v3/")),
        }
    };
    let reply = match (rest, method.as_str()) {
        (None, "GET")
            if path
                .trim_start_matches("/identity")
                .trim_matches('/')
                .is_empty() =>
        {
            identity::versions(&request)
        }
        (Some(""), "GET") => identity::version(&request),
        (Some(rest), _) if !rest.is_empty() => {
            let mut tokens = emulator.tokens();
            identity::Identity {
                def: &emulator.def,
                tokens: &mut tokens,
                flavor,
                request_id: &id,
            }
            .handle(&request, rest)
        }
        _ => identity::error(404, "The resource could not be found.", &request),
    };
    json_response(reply, &id, None)
}

fn not_demo() -> Response {
    (StatusCode::NOT_FOUND, [(header::CONTENT_TYPE, "application/json")],
        json!({ "error": { "code": "NOT_DEMO", "message": "The demo is only served when serve runs without --state." } }).to_string())
        .into_response()
}

fn no_store_json(value: Value) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        value.to_string(),
    )
        .into_response()
}

/// Unix-epoch RFC 3339 time of an instant (now + its distance).
fn wall_clock(at: Instant) -> Option<String> {
    let now = Instant::now();
    let when = if at >= now {
        SystemTime::now() + (at - now)
    } else {
        SystemTime::now() - (now - at)
    };
    time::OffsetDateTime::from(when)
        .format(&time::format_description::well_known::Rfc3339)
        .ok()
}

async fn demo_info(State(emulator): State<Arc<Emulator>>) -> Response {
    if !emulator.demo {
        return not_demo();
    }
    let guard = emulator.world();
    let posts_at = |id: &str| match guard.0.servers.get(id).map(|s| &s.posted) {
        Some(Posted::Pending(at)) => wall_clock(*at),
        Some(Posted::Ciphertext(_) | Posted::Cleared) => wall_clock(guard.1),
        _ => None,
    };
    no_store_json(demo::describe(&emulator.def, posts_at))
}

async fn demo_key(State(emulator): State<Arc<Emulator>>, Path(file): Path<String>) -> Response {
    match demo::key_file(&file) {
        Some(key) if emulator.demo => (
            [
                (header::CONTENT_TYPE, "application/octet-stream".to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{}\"", key.file),
                ),
                (header::CACHE_CONTROL, "no-store".to_owned()),
            ],
            key.bytes,
        )
            .into_response(),
        _ => not_demo(),
    }
}

async fn state_info(State(emulator): State<Arc<Emulator>>) -> Response {
    let guard = emulator.world();
    let servers: Vec<Value> = emulator
        .def
        .servers
        .iter()
        .filter_map(|s| {
            let live = guard.0.servers.get(&s.id)?;
            let posted = match live.posted {
                Posted::Pending(at) if Instant::now() >= at => "posted",
                Posted::Pending(_) => "pending",
                Posted::Ciphertext(_) => "posted",
                Posted::Cleared => "cleared",
                Posted::Never => "never",
            };
            let digest = Sha256::digest(live.password.as_bytes());
            Some(json!({
                "id": s.id,
                "name": s.name,
                "posted": posted,
                "resets": live.resets,
                "passwordSha256": digest.iter().map(|b| format!("{b:02x}")).collect::<String>(),
            }))
        })
        .collect();
    no_store_json(json!({
        "servers": servers,
        "faults": emulator.faults.spec(),
        "requests": emulator.requests.load(Ordering::Relaxed),
    }))
}

/// Back to the start: new guest passwords, posting scheduled from now, faults kept.
async fn reset(State(emulator): State<Arc<Emulator>>) -> Response {
    let now = Instant::now();
    match World::start(&emulator.def, now, emulator.post_delay) {
        Ok(world) => {
            *emulator.world() = (world, now);
            StatusCode::NO_CONTENT.into_response()
        }
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, e.message).into_response(),
    }
}

/// The guest posts now (a booting server, or one whose password was cleared).
async fn post_now(State(emulator): State<Arc<Emulator>>, Path(id): Path<String>) -> Response {
    let mut guard = emulator.world();
    match guard.0.servers.get_mut(&id) {
        Some(server) if !matches!(server.posted, Posted::Never) => {
            server.posted = Posted::Pending(Instant::now());
            StatusCode::NO_CONTENT.into_response()
        }
        Some(_) => (
            StatusCode::CONFLICT,
            "This server never posts a password (Linux, or no key pair).",
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

async fn get_faults(State(emulator): State<Arc<Emulator>>) -> Response {
    no_store_json(json!(emulator.faults.spec()))
}

async fn put_faults(State(emulator): State<Arc<Emulator>>, body: Bytes) -> Response {
    let spec = serde_json::from_slice::<FaultSpec>(&body)
        .map_err(|e| e.to_string())
        .and_then(|s| s.check().map(|()| s));
    match spec {
        Ok(spec) => {
            emulator.faults.set(spec);
            StatusCode::NO_CONTENT.into_response()
        }
        Err(why) => (
            StatusCode::BAD_REQUEST,
            [(header::CONTENT_TYPE, "application/json")],
            json!({ "error": { "code": "FAULTS_INVALID", "message": why } }).to_string(),
        )
            .into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn demo() -> Arc<Emulator> {
        Arc::new(
            Emulator::new(Options {
                state: None,
                post_delay: None,
                faults: FaultSpec::default(),
                body_timeout: Duration::from_secs(1),
            })
            .unwrap(),
        )
    }

    #[tokio::test]
    async fn a_poisoned_lock_is_taken_over() {
        let emulator = demo();
        let holder = emulator.clone();
        let panicked = std::thread::spawn(move || {
            let _guard = holder.world.lock().unwrap();
            panic!("a panic while the world is held");
        })
        .join();
        assert!(panicked.is_err() && emulator.world.is_poisoned());
        let answer = state_info(State(emulator.clone())).await;
        assert_eq!(answer.status(), StatusCode::OK);
        assert_eq!(
            post_now(
                State(emulator.clone()),
                Path(demo::definition().unwrap().servers[2].id.clone())
            )
            .await
            .status(),
            StatusCode::NO_CONTENT
        );
    }

    #[test]
    fn requests_are_admitted_without_the_world() {
        let emulator = demo();
        let _held = emulator.world();
        let now = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap()
            .as_secs();
        // A host that is not ASCII once decoded, as the signature check sees it.
        let request = Request {
            method: "GET",
            path: "/v1/0605767f5a80d5762fc1c000cf2b3f95/cloudservers/x/os-server-password",
            query: None,
            headers: vec![
                ("host".into(), "X%C3%A9.example".into()),
                ("x-sdk-date".into(), ecs_password::api::signer::sdk_date(now)),
                ("authorization".into(), "SDK-HMAC-SHA256 Access=DEMO00000000000ADMIN, SignedHeaders=host;x-sdk-date, Signature=00".into()),
            ],
            body: b"",
        };
        // The world is held above: admitting must not need it, and the host is refused before
        // the signature check would parse it.
        let refused = cloud::admit(&emulator.def, &request, "id", &|_| None)
            .err()
            .map(|r| r.status);
        assert_eq!(refused, Some(400));
    }
}
