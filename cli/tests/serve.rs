//! `ecs-password serve`: types, compression, security headers, embedding options, start-up errors.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed assumption in a test is a failed test

mod common;

use common::{
    address, closed_within, connect, get, header, rand_suffix, raw_headers, raw_request, site,
    start,
};
use std::io::Write;
use std::process::Command;
use std::time::{Duration, Instant};

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

    let wasm = get(&format!(
        "{}/pkg/keys/ecs_password_keys_bg.wasm",
        server.url
    ));
    assert_eq!(header(&wasm, "content-type"), "application/wasm");
    // ureq decodes gzip itself: look at the raw answer.
    let raw = raw_headers(&server.url, "/pkg/keys/ecs_password_keys_bg.wasm");
    assert!(raw.contains("content-encoding: gzip"), "{raw}");
    let js = get(&format!("{}/pkg/cloud/ecs_password_cloud.js", server.url));
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

#[test]
fn unfinished_headers_and_idle_connections_are_closed() {
    let root = site();
    let server = start(&root, &["--header-timeout", "1"]);
    // Headers that never end (slowloris), and a connection that never sends a byte.
    let mut slow = connect(&server, Duration::from_secs(5));
    slow.write_all(b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        .unwrap();
    let mut silent = connect(&server, Duration::from_secs(5));
    // A keep-alive connection that has been answered and then says nothing more.
    let mut idle = connect(&server, Duration::from_secs(5));
    write!(
        idle,
        "GET /app.js HTTP/1.1\r\nHost: {}\r\n\r\n",
        address(&server)
    )
    .unwrap();
    let started = Instant::now();
    for (name, stream) in [
        ("slow", &mut slow),
        ("silent", &mut silent),
        ("idle", &mut idle),
    ] {
        assert!(
            closed_within(stream, Duration::from_secs(4)),
            "{name}: still open after {:?}",
            started.elapsed()
        );
    }
    // The server still answers.
    assert_eq!(get(&format!("{}/", server.url)).status(), 200);
}

#[test]
fn open_connections_are_capped_and_the_file_limit_raised() {
    let root = site();
    let server = start(&root, &["--header-timeout", "2", "--max-connections", "8"]);
    // Eight silent connections fill the cap: a ninth caller waits (the kernel queues it, behind
    // them) until the header timeout frees a place, instead of the server running out of files.
    // The clock starts before the eight connect, so no place can be free before 2 s have passed
    // on it, however late a loaded machine runs this thread.
    let started = Instant::now();
    let held: Vec<_> = (0..8)
        .map(|_| connect(&server, Duration::from_secs(5)))
        .collect();
    let answer = raw_request(
        &server,
        &format!(
            "GET /app.js HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            address(&server)
        ),
    );
    let waited = started.elapsed();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(
        waited >= Duration::from_secs(2),
        "answered after {waited:?}, before the header timeout freed a place: beyond the cap of 8"
    );
    drop(held);
    assert!(
        Command::new(env!("CARGO_BIN_EXE_ecs-password"))
            .args(["serve", "--max-connections", "0"])
            .output()
            .unwrap()
            .status
            .code()
            == Some(1)
    );
}

#[cfg(target_os = "linux")]
#[test]
fn the_soft_file_limit_is_raised_to_the_hard_one() {
    let root = site();
    // Start serve under a low soft limit (the hard one stays as it is).
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -S -n 256 && exec '{}' serve --listen 127.0.0.1:0 --root '{}'",
            env!("CARGO_BIN_EXE_ecs-password"),
            root.display()
        ))
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(child.stdout.take().unwrap()),
        &mut line,
    )
    .unwrap();
    let limits = std::fs::read_to_string(format!("/proc/{}/limits", child.id())).unwrap();
    let _ = child.kill();
    let _ = child.wait();
    let files = limits
        .lines()
        .find(|l| l.starts_with("Max open files"))
        .unwrap()
        .split_whitespace()
        .skip(3)
        .take(2)
        .collect::<Vec<_>>();
    assert_ne!(files[0], "256", "soft limit not raised: {files:?}");
    assert_eq!(files[0], files[1], "{files:?}");
}

#[test]
fn dotfiles_and_symlinks_out_of_the_roots_are_not_served() {
    let root = site();
    std::fs::create_dir_all(root.join("www/.git")).unwrap();
    std::fs::write(root.join("www/.git/config"), "[remote]").unwrap();
    std::fs::write(root.join("www/.env"), "SECRET=1").unwrap();
    std::fs::write(root.join("pkg/.hidden"), "x").unwrap();
    std::fs::create_dir_all(root.join("www/sub")).unwrap();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(root.join("secret.txt"), root.join("www/out.txt")).unwrap();
        std::os::unix::fs::symlink("../../secret.txt", root.join("www/sub/up.txt")).unwrap();
        std::os::unix::fs::symlink(&root, root.join("www/all")).unwrap();
        std::os::unix::fs::symlink("../app.js", root.join("www/sub/app.js")).unwrap();
    }
    let server = start(&root, &[]);
    for path in [
        "/.env",
        "/.git/config",
        "/%2egit/config",
        "/sub/../.env",
        "/pkg/.hidden",
        "/out.txt",
        "/sub/up.txt",
        "/all/secret.txt",
    ] {
        let r = get(&format!("{}{path}", server.url));
        assert_eq!(r.status(), 404, "{path}");
    }
    // A link that stays inside the root is served.
    #[cfg(unix)]
    assert_eq!(get(&format!("{}/sub/app.js", server.url)).status(), 200);
}

#[test]
fn only_the_listen_address_and_localhost_are_accepted_as_host() {
    let root = site();
    let server = start(&root, &[]);
    let port = server.url.rsplit(':').next().unwrap().to_owned();
    let with_host = |host: &str| {
        raw_request(
            &server,
            &format!("GET /app.js HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"),
        )
    };
    for good in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("LocalHost:{port}"),
    ] {
        let answer = with_host(&good);
        assert!(answer.starts_with("HTTP/1.1 200"), "{good}: {answer}");
    }
    for bad in [
        "evil.example".to_owned(),
        format!("evil.example:{port}"),
        format!("localhost.evil.example:{port}"),
        format!("127.0.0.2:{port}"),
        "localhost:1".to_owned(),
        "X%C3%A9.example".to_owned(),
    ] {
        let answer = with_host(&bad);
        assert!(answer.starts_with("HTTP/1.1 421"), "{bad}: {answer}");
        assert!(answer.contains("HOST_NOT_ALLOWED"), "{bad}: {answer}");
    }
    // A name given with --allowed-host (e.g. the one a reverse proxy forwards).
    let named = start(&root, &["--allowed-host", "pw.example.com"]);
    let answer = raw_request(
        &named,
        "GET /app.js HTTP/1.1\r\nHost: pw.example.com\r\nConnection: close\r\n\r\n",
    );
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}
