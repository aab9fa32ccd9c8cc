//! `ecs-password serve`: serves the standalone page (`www/`) and the wasm package (`pkg/`) with the
//! right types, compression, revalidation and security headers, and beside them the emulated cloud
//! (`emulator`, on unless `--no-emulator`).
//!
//! The Content-Security-Policy allows no inline script or style and no `eval`
//! (`'wasm-unsafe-eval'` is what compiling wasm needs); `connect-src` is the page's own origin plus
//! the origins given with `--connect-src`; `frame-ancestors` is `'none'` unless `--frame-ancestors`
//! names the consoles that may embed the page.
//!
//! Its own accept loop bounds what a client can hold: a header-read timeout (which is also the
//! idle timeout of a kept-alive connection), a deadline for reading a body, a cap on open
//! connections (beyond it the kernel queues new ones), and at start-up the soft open-file limit
//! raised to the hard one. Only the listen address, `localhost` and `--allowed-host` names are
//! accepted as `Host` (see `guard`).

use crate::emulator::{self, faults::FaultSpec, Emulator};
use crate::guard::{self, Hosts, StaticRoot};
use crate::output::{CliError, Output};
use axum::http::{header, HeaderValue, Response};
use axum::Router;
use clap::Args;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;
use tower::Layer;
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;

/// Open connections at once, by default (fewer if the open-file limit is lower).
pub const DEFAULT_MAX_CONNECTIONS: u32 = 4096;
/// Seconds a client has to send a request's headers, and a kept-alive connection may stay idle.
pub const DEFAULT_HEADER_TIMEOUT_SECS: u64 = 10;
/// Seconds a client has to send a request's body, from the end of its headers.
pub const DEFAULT_BODY_TIMEOUT_SECS: u64 = 10;
/// Files kept free of the connection cap: the static files, the upstream connections, logs.
const SPARE_FILES: u64 = 64;

/// Arguments of `serve`.
#[derive(Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// The project folder holding www/ and pkg/ (pkg/ is built by scripts/build-wasm.sh).
    #[arg(long, value_name = "DIR", default_value = ".")]
    root: PathBuf,
    /// An origin that may embed the page in a frame (repeatable), e.g. https://console.example.com.
    #[arg(long, value_name = "ORIGIN")]
    frame_ancestors: Vec<String>,
    /// An origin the page may call directly (repeatable), e.g. https://ecs.eu-de.otc.t-systems.com.
    #[arg(long, value_name = "ORIGIN")]
    connect_src: Vec<String>,
    /// Serve only the page: no emulated cloud (and no /demo).
    #[arg(long)]
    no_emulator: bool,
    /// Load the emulated cloud's servers, key pairs and principals from this JSON file instead of
    /// the embedded demo (see docs/emulator.md).
    #[arg(long, value_name = "FILE", conflicts_with = "no_emulator")]
    state: Option<PathBuf>,
    /// Seconds after start-up at which servers that are still booting post their password
    /// (the demo's win-booting: 45; at most 86400).
    #[arg(
        long,
        value_name = "SECS",
        conflicts_with = "no_emulator",
        value_parser = clap::value_parser!(u64).range(0..=emulator::state::MAX_POST_DELAY_SECS)
    )]
    post_delay: Option<u64>,
    /// Inject faults into the emulated cloud's API, e.g.
    /// "latency=50..200,error=0.1,throttle=0.05,retry-after=1,drop=0.02,seed=7".
    #[arg(long, value_name = "SPEC", conflicts_with = "no_emulator")]
    faults: Option<String>,
    /// Forward PREFIX (and the paths below it) to a fixed cloud endpoint (repeatable), e.g.
    /// /proxy/ecs=https://ecs.eu-de.otc.t-systems.com; see docs/proxy.md.
    #[arg(long, value_name = "PREFIX=URL")]
    upstream: Vec<String>,
    /// Set up the proxy routes for one cloud: huaweicloud:REGION or otc:REGION (/proxy/identity
    /// and /proxy/ecs from the region table), or openstack:AUTH_URL (/proxy/identity, and the
    /// compute endpoints learned from its catalog as /proxy/catalog/N); see docs/proxy.md.
    #[arg(long, value_name = "PRESET")]
    cloud: Option<String>,
    /// Time limit of one proxied exchange with an upstream, in seconds.
    #[arg(long, value_name = "SECS", default_value_t = crate::proxy::DEFAULT_TIMEOUT_SECS)]
    upstream_timeout: u64,
    /// Another name (or address) clients use to reach this server, as they send it in `Host`
    /// (repeatable), e.g. passwords.example.com behind a reverse proxy; a name without a port
    /// accepts any port. The listen address and localhost are always accepted.
    #[arg(long, value_name = "HOST[:PORT]")]
    allowed_host: Vec<String>,
    /// Open connections at most; beyond them new ones wait in the kernel's queue.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_CONNECTIONS,
          value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    max_connections: u32,
    /// Seconds a client has to send a request's headers; also how long an idle kept-alive
    /// connection stays open.
    #[arg(long, value_name = "SECS", default_value_t = DEFAULT_HEADER_TIMEOUT_SECS,
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    header_timeout: u64,
    /// Seconds a client has to send a request's body (emulated cloud and proxy).
    #[arg(long, value_name = "SECS", default_value_t = DEFAULT_BODY_TIMEOUT_SECS,
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    body_timeout: u64,
}

/// The Content-Security-Policy for these options.
pub fn content_security_policy(frame_ancestors: &[String], connect_src: &[String]) -> String {
    let frames = if frame_ancestors.is_empty() {
        "'none'".to_owned()
    } else {
        frame_ancestors.join(" ")
    };
    let connect = std::iter::once("'self'")
        .chain(connect_src.iter().map(String::as_str))
        .collect::<Vec<_>>()
        .join(" ");
    format!(
        "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; style-src 'self'; img-src 'self'; \
         connect-src {connect}; form-action 'none'; base-uri 'none'; object-src 'none'; frame-ancestors {frames}"
    )
}

/// An origin for a CSP source list: scheme, host and optional port, nothing else.
fn check_origin(origin: &str) -> Result<(), CliError> {
    let ok = url::Url::parse(origin).ok().is_some_and(|u| {
        matches!(u.scheme(), "https" | "http")
            && u.host_str().is_some()
            && u.path() == "/"
            && u.query().is_none()
            && !origin.contains(';')
            && !origin.contains(' ')
    });
    if ok {
        Ok(())
    } else {
        Err(CliError::usage(format!(
            "\"{origin}\" is not an origin such as https://console.example.com."
        )))
    }
}

pub fn run(args: &ServeArgs) -> ExitCode {
    let out = Output { json: false };
    match serve(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => out.fail(&e),
    }
}

fn serve(args: &ServeArgs) -> Result<(), CliError> {
    for origin in args.frame_ancestors.iter().chain(&args.connect_src) {
        check_origin(origin)?;
    }
    let body_timeout = Duration::from_secs(args.body_timeout);
    let proxy = crate::proxy::Proxy::new(
        &args.upstream,
        args.cloud.as_deref(),
        args.upstream_timeout,
        body_timeout,
    )?;
    let www = args.root.join("www");
    let pkg = args.root.join("pkg");
    if !www.join("index.html").is_file() {
        return Err(CliError::new(
            "MISSING_BUILD",
            format!(
                "{} has no index.html: give the project folder with --root.",
                www.display()
            ),
        ));
    }
    if !pkg.join("keys/ecs_password_keys_bg.wasm").is_file()
        || !pkg.join("cloud/ecs_password_cloud_bg.wasm").is_file()
    {
        return Err(CliError::new(
            "MISSING_BUILD",
            format!(
                "{} has no wasm modules (keys/, cloud/): run scripts/build-wasm.sh first.",
                pkg.display()
            ),
        ));
    }
    let csp = HeaderValue::from_str(&content_security_policy(
        &args.frame_ancestors,
        &args.connect_src,
    ))
    .map_err(|_| {
        CliError::usage("The CSP options contain characters not allowed in a header.".into())
    })?;
    let emulator = if args.no_emulator {
        None
    } else {
        let faults = match &args.faults {
            Some(spec) => FaultSpec::parse(spec)
                .map_err(|why| CliError::usage(format!("--faults: {why}.")))?,
            None => FaultSpec::default(),
        };
        Some(Arc::new(Emulator::new(emulator::Options {
            state: args.state.clone(),
            post_delay: args.post_delay,
            faults,
            body_timeout,
        })?))
    };
    let banner = emulator.as_ref().map(|e| e.summary());
    let www_root = StaticRoot::new(&www)?;
    let pkg_root = StaticRoot::new(&pkg)?;
    let files_limit = raise_file_limit();
    let max_connections =
        (args.max_connections as u64).min(files_limit.saturating_sub(SPARE_FILES).max(16)) as usize;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::new("SERVE_FAILED", format!("Cannot start the server: {e}.")))?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(args.listen)
            .await
            .map_err(|e| {
                let hint = if e.kind() == std::io::ErrorKind::AddrInUse {
                    " (the port is in use: choose another with --listen)"
                } else {
                    ""
                };
                CliError::new(
                    "LISTEN_FAILED",
                    format!("Cannot listen on {}: {e}{hint}.", args.listen),
                )
            })?;
        let address = listener
            .local_addr()
            .map_err(|e| CliError::new("LISTEN_FAILED", e.to_string()))?;
        let hosts = Arc::new(Hosts::new(address, &args.allowed_host)?);
        let mut app = Router::new();
        if let Some(emulator) = emulator {
            app = app.merge(emulator::router(emulator));
        }
        let www_files = axum::middleware::from_fn_with_state(www_root, guard::static_files)
            .layer(ServeDir::new(www).append_index_html_on_directories(true));
        let pkg_files = axum::middleware::from_fn_with_state(pkg_root, guard::static_files)
            .layer(ServeDir::new(pkg));
        let app = app
            .nest_service("/pkg", pkg_files)
            .merge(proxy.router())
            .fallback_service(www_files)
            .layer(axum::middleware::from_fn_with_state(
                hosts,
                guard::check_host,
            ))
            .layer(axum::middleware::map_response(
                move |response: Response<axum::body::Body>| {
                    let csp = csp.clone();
                    async move { page_headers(response, csp) }
                },
            ))
            .layer(CompressionLayer::new());
        // One write, errors ignored: whoever reads the banner may close the pipe after line 1.
        let mut text = format!("Serving ecs-password on http://{address}/  (Ctrl-C to stop)\n");
        if let Some(banner) = &banner {
            text.push_str(&format!("  {banner}\n"));
        }
        let mut stdout = std::io::stdout().lock();
        let _ = std::io::Write::write_all(&mut stdout, text.as_bytes());
        let _ = std::io::Write::flush(&mut stdout);
        drop(stdout);
        proxy.print_start_up(&format!("http://{address}"));
        if address.ip().is_unspecified() && args.allowed_host.is_empty() {
            eprintln!(
                "Note: listening on every interface, but only localhost, 127.0.0.1 and [::1] are \
                 accepted as Host: give the names clients use with --allowed-host."
            );
        }
        accept_loop(
            listener,
            app,
            max_connections,
            Duration::from_secs(args.header_timeout),
        )
        .await;
        Ok(())
    })
}

/// The headers of every answer of the page's own; proxied answers keep theirs (`proxy` sets a
/// sandbox policy on them instead of the page's).
fn page_headers(
    mut response: Response<axum::body::Body>,
    csp: HeaderValue,
) -> Response<axum::body::Body> {
    if response
        .extensions()
        .get::<crate::proxy::Proxied>()
        .is_some()
    {
        return response;
    }
    let h = response.headers_mut();
    h.insert(header::CONTENT_SECURITY_POLICY, csp);
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        "cross-origin-resource-policy",
        HeaderValue::from_static("same-origin"),
    );
    // Files keep their names between builds: always revalidate (Last-Modified).
    // API answers set their own (no-store).
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    }
    response
}

/// Raises the soft open-file limit to the hard one, so that many clients cannot exhaust a low
/// default (often 1024); returns the limit now in force (`u64::MAX` where there is none).
fn raise_file_limit() -> u64 {
    // Where the limit cannot be read or raised, it is not the cap's business.
    rlimit::increase_nofile_limit(u64::MAX).unwrap_or(u64::MAX)
}

/// Accepts connections until Ctrl-C: at most `max_connections` open (the next accept waits
/// for one to close), each HTTP/1.1 with a header-read timeout; on Ctrl-C, open connections get
/// a few seconds to finish their requests.
async fn accept_loop(
    listener: tokio::net::TcpListener,
    app: Router,
    max_connections: usize,
    header_timeout: Duration,
) {
    let places = Arc::new(tokio::sync::Semaphore::new(max_connections));
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(hyper_util::rt::TokioTimer::new())
        .header_read_timeout(header_timeout)
        .keep_alive(true);
    let mut stop = std::pin::pin!(async {
        let _ = tokio::signal::ctrl_c().await;
    });
    loop {
        let place = tokio::select! {
            place = places.clone().acquire_owned() => place,
            () = &mut stop => break,
        };
        let Ok(place) = place else { break };
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            () = &mut stop => break,
        };
        let stream = match accepted {
            Ok((stream, _)) => stream,
            Err(_) => {
                // Out of files or a connection reset before it was accepted: try again shortly.
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let service = hyper_util::service::TowerToHyperService::new(app.clone());
        let connection = http.serve_connection(hyper_util::rt::TokioIo::new(stream), service);
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            let _ = connection.await;
            drop(place);
        });
    }
    let _ = tokio::time::timeout(Duration::from_secs(5), graceful.shutdown()).await;
}
