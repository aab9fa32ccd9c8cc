//! `get`, `clear`, `reset` and `flag` against a fake cloud on loopback (plain http is allowed for
//! loopback only): every operation on every family, auth headers, errors with the cloud's details.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed assumption in a test is a failed test

use assert_cmd::Command;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures")
        .join(name)
}

fn read(name: &str) -> String {
    std::fs::read_to_string(fixture(name)).unwrap()
}

/// What the fake cloud saw: method, path, headers (lowercase names), body.
type Seen = Arc<Mutex<Vec<(String, String, Vec<(String, String)>, String)>>>;

/// A fake cloud answering like Huawei Cloud's ECS for server `s1` in project `p1`.
fn fake_cloud() -> (String, Seen) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen: Seen = Arc::default();
    let log = seen.clone();
    let ciphertext = read("rsa2048.ciphertext.b64");
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            if reader.read_line(&mut line).is_err() {
                continue;
            }
            let mut parts = line.split_whitespace();
            let (method, path) = (
                parts.next().unwrap_or_default().to_owned(),
                parts.next().unwrap_or_default().to_owned(),
            );
            let mut headers = Vec::new();
            loop {
                let mut h = String::new();
                if reader.read_line(&mut h).is_err() || h.trim().is_empty() {
                    break;
                }
                if let Some((n, v)) = h.trim_end().split_once(':') {
                    headers.push((n.to_lowercase(), v.trim().to_owned()));
                }
            }
            let length = headers
                .iter()
                .find(|(n, _)| n == "content-length")
                .and_then(|(_, v)| v.parse().ok())
                .unwrap_or(0usize);
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            let body = String::from_utf8_lossy(&body).into_owned();
            let header = |name: &str| {
                headers
                    .iter()
                    .find(|(n, _)| n == name)
                    .map(|(_, v)| v.clone())
            };
            let authorized = header("x-auth-token").as_deref() == Some("tok")
                || header("authorization")
                    .is_some_and(|a| a.starts_with("SDK-HMAC-SHA256 Access=AK"));
            let native = !path.starts_with("/v1/");
            let (status, reply) = if !authorized {
                (401, r#"{"error_code": "APIGW.0301", "error_msg": "Incorrect IAM authentication information", "request_id": "req-auth"}"#.to_owned())
            } else if path.contains("/s9") {
                if native {
                    (404, r#"{"itemNotFound": {"code": 404, "message": "Instance s9 could not be found."}}"#.to_owned())
                } else {
                    (404, r#"{"error": {"code": "Ecs.0114", "message": "Instance[s9] could not be found."}}"#.to_owned())
                }
            } else if path.ends_with("/s1/os-server-password") && method == "GET" {
                (200, format!(r#"{{"password": "{ciphertext}"}}"#))
            } else if (path.ends_with("/s1/os-server-password") && method == "DELETE")
                || (path.ends_with("/s1/os-reset-password") && method == "PUT")
            {
                (204, String::new())
            } else if path.ends_with("/s1/os-resetpwd-flag") {
                (200, r#"{"resetpwd_flag": "True"}"#.to_owned())
            } else {
                (
                    404,
                    r#"{"itemNotFound": {"code": 404, "message": "no route"}}"#.to_owned(),
                )
            };
            log.lock().unwrap().push((method, path, headers, body));
            let mut stream = stream;
            let _ = write!(
                stream,
                "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nX-Request-Id: req-{status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{reply}",
                reply.len()
            );
        }
    });
    (url, seen)
}

fn cli() -> Command {
    let mut cmd = Command::cargo_bin("ecs-password").unwrap();
    for var in [
        "OS_TOKEN",
        "HUAWEICLOUD_SDK_AK",
        "HUAWEICLOUD_SDK_SK",
        "HUAWEICLOUD_SDK_SECURITY_TOKEN",
        "ECS_PASSWORD_PASSPHRASE",
    ] {
        cmd.env_remove(var);
    }
    cmd
}

fn json(output: &[u8]) -> serde_json::Value {
    serde_json::from_slice(output)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(output)))
}

/// (family, endpoint suffix, expected path prefix)
fn families(url: &str) -> Vec<(&'static str, String, &'static str)> {
    vec![
        ("v1", url.to_owned(), "/v1/p1/cloudservers/s1"),
        ("v2", url.to_owned(), "/v2/p1/servers/s1"),
        ("v2.1", url.to_owned(), "/v2.1/p1/servers/s1"),
        ("nova", format!("{url}/v2.1"), "/v2.1/servers/s1"),
    ]
}

fn run(
    command: &str,
    family: &str,
    endpoint: &str,
    server: &str,
    extra: &[&str],
) -> std::process::Output {
    cli()
        .args([
            command,
            "--json",
            "--endpoint",
            endpoint,
            "--project",
            "p1",
            "--server",
            server,
            "--family",
            family,
            "--token",
            "tok",
        ])
        .args(extra)
        .output()
        .unwrap()
}

#[test]
fn get_and_clear_on_every_family() {
    let (url, seen) = fake_cloud();
    for (family, endpoint, prefix) in families(&url) {
        let key = fixture("rsa2048.openssh-aes256gcm");
        let pass = fixture("passphrase.txt");
        let out = run(
            "get",
            family,
            &endpoint,
            "s1",
            &[
                "--key",
                key.to_str().unwrap(),
                "--passphrase-file",
                pass.to_str().unwrap(),
            ],
        );
        assert_eq!(
            out.status.code(),
            Some(0),
            "{family}: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        assert_eq!(
            json(&out.stdout)["password"],
            read("password.txt"),
            "{family}"
        );

        let out = run("get", family, &endpoint, "s1", &[]);
        assert_eq!(
            json(&out.stdout)["ciphertext"],
            read("rsa2048.ciphertext.b64"),
            "{family}"
        );

        let out = run("clear", family, &endpoint, "s1", &[]);
        assert_eq!(out.status.code(), Some(0), "{family}");
        assert_eq!(json(&out.stdout)["cleared"], true);

        let log = seen.lock().unwrap();
        let paths: Vec<(&str, &str)> = log
            .iter()
            .rev()
            .take(3)
            .map(|(m, p, _, _)| (m.as_str(), p.as_str()))
            .collect();
        let expected = format!("{prefix}/os-server-password");
        assert_eq!(
            paths,
            vec![
                ("DELETE", expected.as_str()),
                ("GET", expected.as_str()),
                ("GET", expected.as_str())
            ],
            "{family}"
        );
        assert!(log
            .iter()
            .all(|(_, _, h, _)| h.iter().any(|(n, v)| n == "x-auth-token" && v == "tok")));
    }
}

#[test]
fn reset_and_flag_where_the_family_has_them() {
    let (url, seen) = fake_cloud();
    let out = run("flag", "v1", &url, "s1", &[]);
    assert_eq!(
        (
            out.status.code(),
            json(&out.stdout)["resetSupported"].as_bool()
        ),
        (Some(0), Some(true))
    );
    for family in ["v2", "v2.1", "nova"] {
        let out = run("flag", family, &url, "s1", &[]);
        assert_eq!(out.status.code(), Some(1));
        assert_eq!(
            json(&out.stdout)["error"]["code"],
            "OPERATION_UNSUPPORTED",
            "{family}"
        );
    }
    for family in ["v1", "v2.1"] {
        let out = run(
            "reset",
            family,
            &url,
            "s1",
            &["--generate", "--length", "20"],
        );
        assert_eq!(
            out.status.code(),
            Some(0),
            "{family}: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        let password = json(&out.stdout)["password"].as_str().unwrap().to_owned();
        assert_eq!(password.chars().count(), 20);
        let log = seen.lock().unwrap();
        let (method, _, _, body) = log.last().unwrap();
        assert_eq!(method, "PUT");
        let body: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(
            body["reset-password"]["new_password"],
            password.as_str(),
            "{family}"
        );
    }
    let weak = std::env::temp_dir().join(format!("ecs-weak-{}", std::process::id()));
    std::fs::write(&weak, "password\n").unwrap();
    let out = run(
        "reset",
        "v1",
        &url,
        "s1",
        &["--new-password-file", weak.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json(&out.stdout)["error"]["code"], "PASSWORD_REJECTED");
    for family in ["v2", "nova"] {
        let out = run("reset", family, &url, "s1", &["--generate"]);
        assert_eq!(
            json(&out.stdout)["error"]["code"],
            "OPERATION_UNSUPPORTED",
            "{family}"
        );
    }
}

#[test]
fn errors_carry_the_cloud_details() {
    let (url, _) = fake_cloud();
    let out = run("get", "v1", &url, "s9", &[]);
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out.stdout);
    assert_eq!(v["error"]["code"], "SERVER_NOT_FOUND");
    assert_eq!(v["error"]["cloud"]["cloudCode"], "Ecs.0114");
    assert_eq!(v["error"]["cloud"]["status"], 404);
    assert_eq!(v["error"]["cloud"]["requestId"], "req-404");
    let out = run("get", "v2.1", &url, "s9", &[]);
    assert_eq!(
        json(&out.stdout)["error"]["cloud"]["cloudCode"],
        "itemNotFound"
    );

    let out = cli()
        .args([
            "get",
            "--endpoint",
            &url,
            "--project",
            "p1",
            "--server",
            "s1",
            "--token",
            "wrong",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("error[AUTH_FAILED]")
            && err.contains("APIGW.0301")
            && err.contains("request id: req-401"),
        "{err}"
    );

    let out = cli()
        .args([
            "get",
            "--json",
            "--endpoint",
            "http://ecs.example.com",
            "--project",
            "p1",
            "--server",
            "s1",
            "--token",
            "tok",
        ])
        .output()
        .unwrap();
    assert_eq!(json(&out.stdout)["error"]["code"], "ENDPOINT_INVALID");
    let out = cli()
        .args([
            "get",
            "--json",
            "--endpoint",
            &url,
            "--project",
            "p1",
            "--server",
            "s1/../s2",
            "--token",
            "tok",
        ])
        .output()
        .unwrap();
    assert_eq!(json(&out.stdout)["error"]["code"], "ID_INVALID");
    let out = cli()
        .args([
            "get",
            "--json",
            "--endpoint",
            &url,
            "--project",
            "p1",
            "--server",
            "s1",
        ])
        .output()
        .unwrap();
    assert_eq!(json(&out.stdout)["error"]["code"], "USAGE");
}

#[test]
fn aksk_from_the_sdk_variables() {
    let (url, seen) = fake_cloud();
    let out = cli()
        .args([
            "get",
            "--json",
            "--endpoint",
            &url,
            "--project",
            "p1",
            "--server",
            "s1",
        ])
        .env("HUAWEICLOUD_SDK_AK", "AKEXAMPLE")
        .env("HUAWEICLOUD_SDK_SK", "SKEXAMPLE")
        .env("HUAWEICLOUD_SDK_SECURITY_TOKEN", "sts")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let log = seen.lock().unwrap();
    let headers = &log.last().unwrap().2;
    let h = |n: &str| {
        headers
            .iter()
            .find(|(k, _)| k == n)
            .map(|(_, v)| v.as_str())
    };
    assert_eq!(h("x-project-id"), Some("p1"));
    assert_eq!(h("x-security-token"), Some("sts"));
    assert!(h("x-sdk-date").is_some());
    assert!(h("authorization").unwrap().contains("Access=AKEXAMPLE"));
    assert!(!format!("{headers:?}").contains("SKEXAMPLE"));
}
