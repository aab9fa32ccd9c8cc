//! `ecs-password serve`: types, compression, security headers, embedding options, start-up errors.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed assumption in a test is a failed test

mod common;

use common::{get, header, rand_suffix, raw_headers, site, start};
use std::process::Command;

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
