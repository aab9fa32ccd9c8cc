//! `ecs-password serve`: serves the standalone page (`www/`) and the wasm package (`pkg/`) with the
//! right types, compression, revalidation and security headers, and beside them the emulated cloud
//! (`emulator`, on unless `--no-emulator`).
//!
//! The Content-Security-Policy allows no inline script or style and no `eval`
//! (`'wasm-unsafe-eval'` is what compiling wasm needs); `connect-src` is the page's own origin plus
//! the origins given with `--connect-src`; `frame-ancestors` is `'none'` unless `--frame-ancestors`
//! names the consoles that may embed the page.

use crate::emulator::{self, faults::FaultSpec, Emulator};
use crate::output::{CliError, Output};
use axum::http::{header, HeaderValue, Response};
use axum::Router;
use clap::Args;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;

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
    /// Time limit of one proxied exchange with an upstream, in seconds.
    #[arg(long, value_name = "SECS", default_value_t = crate::proxy::DEFAULT_TIMEOUT_SECS)]
    upstream_timeout: u64,
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
    let proxy = crate::proxy::Proxy::new(&args.upstream, args.upstream_timeout)?;
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
    if !pkg.join("ecs_password_bg.wasm").is_file() {
        return Err(CliError::new(
            "MISSING_BUILD",
            format!(
                "{} has no wasm package: run scripts/build-wasm.sh first.",
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
        })?))
    };
    let banner = emulator.as_ref().map(|e| e.summary());
    let mut app = Router::new();
    if let Some(emulator) = emulator {
        app = app.merge(emulator::router(emulator));
    }
    let app = app
        .nest_service("/pkg", ServeDir::new(pkg))
        .merge(proxy.router())
        .fallback_service(ServeDir::new(www).append_index_html_on_directories(true))
        .layer(axum::middleware::map_response(
            move |mut response: Response<axum::body::Body>| {
                let csp = csp.clone();
                async move {
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
            },
        ))
        .layer(CompressionLayer::new());
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
        axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
            .map_err(|e| CliError::new("SERVE_FAILED", format!("The server stopped: {e}.")))
    })
}
