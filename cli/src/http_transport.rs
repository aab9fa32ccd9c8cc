//! The CLI's transport for the API client: ureq (rustls), bodies capped, no redirects followed,
//! environment proxies for remote hosts only ([`proxy_for`]), one agent (and so one connection
//! pool) per run.

use ecs_password::api::client::{Transport, TransportError};
use ecs_password::api::http::{HttpRequest, HttpResponse, MAX_BODY_BYTES};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// The proxy for requests to `url`: none for loopback, whatever the environment says (a token
/// meant for a local emulator or test cloud must not reach a proxy host); otherwise the one the
/// environment names, as ureq reads it (`ureq::Proxy::try_from_env`): the first set of
/// `ALL_PROXY`, `all_proxy`, `HTTPS_PROXY`, `https_proxy`, `HTTP_PROXY`, `http_proxy`, with the
/// hosts in `NO_PROXY` (or `no_proxy`) going direct. Plain http is allowed for loopback only
/// (`Endpoint::parse`), so only https requests ever go through a proxy, in a CONNECT tunnel.
pub fn proxy_for(url: &url::Url) -> Option<ureq::Proxy> {
    if ecs_password::api::request::is_loopback(url) {
        None
    } else {
        ureq::Proxy::try_from_env()
    }
}

/// An agent as the CLI and `serve --proxy` use one: HTTP error statuses are responses, redirects
/// are not followed (nor remembered), and requests to `url`'s host go through [`proxy_for`]'s
/// choice. `timeout` is the whole request's (a request may set its own).
pub fn agent_for(url: &url::Url, timeout: Option<Duration>) -> ureq::Agent {
    pooled_agent_for(url, timeout, None)
}

/// [`agent_for`], keeping up to `idle` connections per host (ureq's default otherwise) so that
/// that many threads sharing it reuse theirs.
fn pooled_agent_for(url: &url::Url, timeout: Option<Duration>, idle: Option<usize>) -> ureq::Agent {
    let builder = ureq::Agent::config_builder();
    let builder = match idle {
        Some(idle) => builder
            .max_idle_connections_per_host(idle)
            .max_idle_connections(idle.saturating_mul(2)),
        None => builder,
    };
    builder
        .timeout_global(timeout)
        .http_status_as_error(false)
        .max_redirects(0)
        .save_redirect_history(false)
        .proxy(proxy_for(url))
        .build()
        .into()
}

#[derive(Clone)]
pub struct UreqTransport {
    started: Instant,
    /// The run's agents, built on first use and then reused, so that polling (`get --wait`) and
    /// retries keep their connection: one for loopback hosts (never proxied), one for the rest.
    loopback: Option<ureq::Agent>,
    remote: Option<ureq::Agent>,
}

impl UreqTransport {
    pub fn new() -> Self {
        UreqTransport {
            started: Instant::now(),
            loopback: None,
            remote: None,
        }
    }

    /// A transport for `threads` threads that share one agent for `url`'s host, and so its
    /// connection pool, sized to keep one idle connection per thread. Clone it for each thread.
    pub fn shared(&mut self, url: &url::Url, threads: usize) -> UreqTransport {
        let slot = if ecs_password::api::request::is_loopback(url) {
            &mut self.loopback
        } else {
            &mut self.remote
        };
        *slot = Some(pooled_agent_for(url, None, Some(threads.max(1))));
        self.clone()
    }

    /// The agent for `url`'s host (see [`proxy_for`]).
    fn agent(&mut self, url: &url::Url) -> &ureq::Agent {
        let slot = if ecs_password::api::request::is_loopback(url) {
            &mut self.loopback
        } else {
            &mut self.remote
        };
        slot.get_or_insert_with(|| agent_for(url, None))
    }
}

impl Transport for UreqTransport {
    fn send(
        &mut self,
        request: &HttpRequest,
        timeout_ms: u64,
    ) -> Result<HttpResponse, TransportError> {
        let agent = self.agent(&request.url).clone();
        let mut builder = ureq::http::Request::builder()
            .method(request.method)
            .uri(request.url.as_str());
        for (name, value) in &request.headers {
            builder = builder.header(name.as_str(), value.as_str());
        }
        let http_request = builder
            .body(request.body.clone())
            .map_err(|e| TransportError::Network(e.to_string()))?;
        let http_request = agent
            .configure_request(http_request)
            .timeout_global(Some(Duration::from_millis(timeout_ms)))
            .build();
        let mut response = agent.run(http_request).map_err(|e| match e {
            ureq::Error::Timeout(_) => TransportError::Timeout,
            other => TransportError::Network(other.to_string()),
        })?;
        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .filter_map(|(n, v)| {
                v.to_str()
                    .ok()
                    .map(|v| (n.as_str().to_owned(), v.to_owned()))
            })
            .collect();
        let body = response
            .body_mut()
            .with_config()
            .limit(MAX_BODY_BYTES as u64 + 1)
            .read_to_vec()
            .map_err(|e| match e {
                ureq::Error::Timeout(_) => TransportError::Timeout,
                other => TransportError::Network(other.to_string()),
            })?;
        Ok(HttpResponse {
            status,
            headers,
            body,
        })
    }

    fn sleep(&mut self, ms: u64) {
        std::thread::sleep(Duration::from_millis(ms));
    }

    fn now_unix(&self) -> u64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or_default()
    }

    fn now_ms(&self) -> u64 {
        self.started.elapsed().as_millis() as u64
    }

    fn random(&mut self) -> f64 {
        let mut bytes = [0u8; 8];
        match getrandom::fill(&mut bytes) {
            Ok(()) => (u64::from_le_bytes(bytes) >> 11) as f64 / (1u64 << 53) as f64,
            Err(_) => 0.5,
        }
    }
}
