//! `--family auto`: the CLI chooses the family as the widget does without the user's permissions
//! (`ecs_password::api::choice`): v1 first, v2.1 once if the cloud refuses v1 with 403, and no
//! second try for any other error or for a family the user named. Against a fake cloud on
//! loopback that grants only the OpenStack-compatible API.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed assumption in a test is a failed test

mod common;

use common::fixture;

use assert_cmd::Command;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

type Seen = Arc<Mutex<Vec<(String, String)>>>;

/// Server `s1` in project `p1`: every /v1/ request is refused (403, as IAM refuses an action the
/// user's policies do not grant), /v2.1/ answers; server `s9` exists nowhere (404).
fn v1_refusing_cloud() -> (String, Seen) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen: Seen = Arc::default();
    let log = seen.clone();
    let ciphertext = std::fs::read_to_string(fixture("rsa2048.ciphertext.b64")).unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            if reader.read_line(&mut line).is_err() {
                continue;
            }
            let mut parts = line.split_whitespace();
            let method = parts.next().unwrap_or_default().to_owned();
            let path = parts.next().unwrap_or_default().to_owned();
            let length = common::read_headers(&mut reader);
            let _ = reader.read_exact(&mut vec![0; length]);
            let (status, reply) = if path.contains("/s9") {
                (404, r#"{"itemNotFound": {"code": 404, "message": "Instance s9 could not be found."}}"#.to_owned())
            } else if path.starts_with("/v1/") {
                (403, r#"{"error_code": "ECS.0103", "error_msg": "Policy doesn't allow ecs:cloudServers:getServerPassword to be performed.", "request_id": "req-403"}"#.to_owned())
            } else if path == "/v2.1/p1/servers/s1/os-server-password" && method == "GET" {
                (200, format!(r#"{{"password": "{ciphertext}"}}"#))
            } else if path == "/v2.1/p1/servers/s1/os-server-password" && method == "DELETE" {
                (204, String::new())
            } else {
                (
                    404,
                    r#"{"itemNotFound": {"code": 404, "message": "no route"}}"#.to_owned(),
                )
            };
            log.lock().unwrap().push((method, path));
            let mut stream = stream;
            let _ = write!(
                stream,
                "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{reply}",
                reply.len()
            );
        }
    });
    (url, seen)
}

fn run(
    url: &str,
    command: &str,
    family: &str,
    server: &str,
    extra: &[&str],
) -> (Option<i32>, serde_json::Value) {
    let out = Command::cargo_bin("ecs-password")
        .unwrap()
        .env_remove("HUAWEICLOUD_SDK_AK")
        .env_remove("HUAWEICLOUD_SDK_SK")
        .args([
            command,
            "--json",
            "--endpoint",
            url,
            "--project",
            "p1",
            "--server",
            server,
        ])
        .args(["--family", family, "--token", "tok"])
        .args(extra)
        .output()
        .unwrap();
    let body = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)));
    (out.status.code(), body)
}

/// The requests since the last call, as (method, path), and forgets them.
fn take(seen: &Seen) -> Vec<(String, String)> {
    std::mem::take(&mut *seen.lock().unwrap())
}

fn request(method: &str, path: &str) -> (String, String) {
    (method.to_owned(), path.to_owned())
}

#[test]
fn auto_retries_a_refused_v1_on_v21_once() {
    let (url, seen) = v1_refusing_cloud();
    let key = fixture("rsa2048.pkcs1.pem");
    let (code, body) = run(&url, "get", "auto", "s1", &["--key", key.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{body}");
    assert_eq!(
        body["password"],
        std::fs::read_to_string(fixture("password.txt")).unwrap()
    );
    assert_eq!(
        take(&seen),
        [
            request("GET", "/v1/p1/cloudservers/s1/os-server-password"),
            request("GET", "/v2.1/p1/servers/s1/os-server-password"),
        ]
    );

    let (code, body) = run(&url, "clear", "auto", "s1", &[]);
    assert_eq!(
        (code, &body["cleared"]),
        (Some(0), &serde_json::json!(true)),
        "{body}"
    );
    assert_eq!(
        take(&seen),
        [
            request("DELETE", "/v1/p1/cloudservers/s1/os-server-password"),
            request("DELETE", "/v2.1/p1/servers/s1/os-server-password"),
        ]
    );
}

#[test]
fn a_named_family_and_other_errors_are_final() {
    let (url, seen) = v1_refusing_cloud();
    let (code, body) = run(&url, "get", "v1", "s1", &[]);
    assert_ne!(code, Some(0));
    assert_eq!(body["error"]["code"], "FORBIDDEN", "{body}");
    assert_eq!(
        take(&seen),
        [request("GET", "/v1/p1/cloudservers/s1/os-server-password")]
    );

    let (code, body) = run(&url, "get", "auto", "s9", &[]);
    assert_ne!(code, Some(0));
    assert_eq!(body["error"]["code"], "SERVER_NOT_FOUND", "{body}");
    assert_eq!(
        take(&seen),
        [request("GET", "/v1/p1/cloudservers/s9/os-server-password")]
    );
}
