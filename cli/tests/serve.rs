//! `ecs-password serve`: types, compression, security headers, embedding options, start-up errors.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed assumption in a test is a failed test

mod common;

use common::{rand_suffix, site, start};
use std::process::Command;

fn get(url: &str) -> ureq::http::Response<ureq::Body> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    agent.get(url).call().unwrap()
}

/// The status line and headers of a GET sent by hand with `Accept-Encoding: gzip`.
fn raw_headers(url: &str, path: &str) -> String {
    use std::io::{Read, Write};
    let address = url.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {address}\r\nAccept-Encoding: gzip\r\nConnection: close\r\n\r\n").unwrap();
    let mut bytes = Vec::new();
    stream.read_to_end(&mut bytes).unwrap();
    let text = String::from_utf8_lossy(&bytes).to_lowercase();
    text.split("\r\n\r\n").next().unwrap_or_default().to_owned()
}

fn header<'a>(r: &'a ureq::http::Response<ureq::Body>, name: &str) -> &'a str {
    r.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

#[test]
fn serves_the_page_and_the_package_safely() {
    let root = site();
    let server = start(&root, &[]);
    let page = get(&format!("{}/", server.url));
    assert_eq!(page.status(), 200);
    assert!(header(&page, "content-type").starts_with("text/html"));
    let csp = header(&page, "content-security-policy").to_owned();
    assert!(
        csp.contains("script-src 'self' 'wasm-unsafe-eval'")
            && csp.contains("frame-ancestors 'none'")
            && csp.contains("connect-src 'self'"),
        "{csp}"
    );
    assert!(
        !csp.contains("unsafe-inline") && !csp.contains(" 'unsafe-eval'"),
        "{csp}"
    );
    assert_eq!(header(&page, "x-content-type-options"), "nosniff");
    assert_eq!(header(&page, "referrer-policy"), "no-referrer");
    assert_eq!(header(&page, "cache-control"), "no-cache");
    assert!(!header(&page, "last-modified").is_empty());

    let wasm = get(&format!("{}/pkg/ecs_password_bg.wasm", server.url));
    assert_eq!(header(&wasm, "content-type"), "application/wasm");
    // ureq decodes gzip itself: look at the raw answer.
    let raw = raw_headers(&server.url, "/pkg/ecs_password_bg.wasm");
    assert!(raw.contains("content-encoding: gzip"), "{raw}");
    let js = get(&format!("{}/pkg/ecs_password.js", server.url));
    assert!(
        header(&js, "content-type").contains("javascript"),
        "{}",
        header(&js, "content-type")
    );
    assert_eq!(get(&format!("{}/app.js", server.url)).status(), 200);
    assert_eq!(get(&format!("{}/missing.js", server.url)).status(), 404);
    for escape in [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/pkg/../../secret.txt",
    ] {
        let r = get(&format!("{}{escape}", server.url));
        assert_ne!(r.status(), 200, "{escape}");
    }
}

#[test]
fn embedding_and_direct_calls_are_opt_in() {
    let root = site();
    let server = start(
        &root,
        &[
            "--frame-ancestors",
            "https://console.example.com",
            "--connect-src",
            "https://ecs.eu-de.otc.t-systems.com",
        ],
    );
    let page = get(&format!("{}/", server.url));
    let csp = header(&page, "content-security-policy");
    assert!(
        csp.contains("frame-ancestors https://console.example.com"),
        "{csp}"
    );
    assert!(
        csp.contains("connect-src 'self' https://ecs.eu-de.otc.t-systems.com"),
        "{csp}"
    );
}

#[test]
fn start_up_errors_are_clear() {
    let root = site();
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_ecs-password"))
            .arg("serve")
            .args(args)
            .output()
            .unwrap()
    };
    let empty = std::env::temp_dir().join(format!("ecs-empty-{}", rand_suffix()));
    std::fs::create_dir_all(empty.join("www")).unwrap();
    std::fs::write(empty.join("www/index.html"), "x").unwrap();
    let out = run(&["--root", empty.to_str().unwrap(), "--listen", "127.0.0.1:0"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("MISSING_BUILD") && err.contains("scripts/build-wasm.sh"),
        "{err}"
    );

    let out = run(&[
        "--root",
        root.to_str().unwrap(),
        "--frame-ancestors",
        "https://x.example.com; script-src *",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8(out.stderr).unwrap().contains("USAGE"));

    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = busy.local_addr().unwrap().to_string();
    let out = run(&["--root", root.to_str().unwrap(), "--listen", &address]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8(out.stderr)
        .unwrap()
        .contains("the port is in use"));
}
