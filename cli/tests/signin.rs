//! Signing in from `clouds.yaml` / `OS_*` variables against a fake Keystone and Nova on loopback:
//! Keystone-shaped answers (openstack/keystone api-ref samples: `X-Subject-Token`, the token
//! body with its catalog, the MFA receipt), the compute endpoint taken from the catalog, and
//! `--server` given by name.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed assumption in a test is a failed test

mod common;

use common::fixture;

use assert_cmd::Command;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

const WIN_ID: &str = "6e9c0b8a-1f2d-4c3b-9a8e-7d6c5b4a3f21";

/// What the fake saw: method, path, X-Auth-Token, Openstack-Auth-Receipt, body.
type Seen = Arc<Mutex<Vec<(String, String, String, String, String)>>>;

/// A fake Keystone (user `demo`, password `s3cret`; user `mfa` must add TOTP code `123456`) and
/// Nova (project `p1`: servers `win-2048`, and two called `twin`).
fn fake_cloud() -> (String, Seen) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let base = url.clone();
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
            // Headers: read by hand to keep the token and receipt.
            let mut token = String::new();
            let mut receipt = String::new();
            let mut length = 0usize;
            loop {
                let mut h = String::new();
                if reader.read_line(&mut h).is_err() || h.trim().is_empty() {
                    break;
                }
                if let Some((n, v)) = h.trim_end().split_once(':') {
                    match n.to_ascii_lowercase().as_str() {
                        "content-length" => length = v.trim().parse().unwrap_or(0),
                        "x-auth-token" => token = v.trim().to_owned(),
                        "openstack-auth-receipt" => receipt = v.trim().to_owned(),
                        _ => {}
                    }
                }
            }
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            let body = String::from_utf8_lossy(&body).into_owned();
            log.lock().unwrap().push((
                method.clone(),
                path.clone(),
                token.clone(),
                receipt.clone(),
                body.clone(),
            ));
            let json: serde_json::Value = serde_json::from_str(&body).unwrap_or_default();
            let identity = &json["auth"]["identity"];
            let token_body = format!(
                r#"{{"token": {{"methods": ["password"], "roles": [{{"id": "r1", "name": "member"}}, {{"id": "r2", "name": "reader"}}],
                "expires_at": "2099-11-07T02:58:43.578887Z",
                "project": {{"domain": {{"id": "default", "name": "Default"}}, "id": "p1", "name": "demo"}},
                "is_domain": false,
                "catalog": [{{"endpoints": [
                    {{"region_id": "RegionOne", "url": "{base}/identity/v3", "region": "RegionOne", "interface": "public", "id": "e1"}}],
                    "type": "identity", "id": "s1", "name": "keystone"}},
                    {{"endpoints": [
                    {{"region_id": "RegionOne", "url": "{base}/compute/v2.1/p1", "region": "RegionOne", "interface": "public", "id": "e2"}},
                    {{"region_id": "RegionOne", "url": "http://192.0.2.1:8774/v2.1/p1", "region": "RegionOne", "interface": "internal", "id": "e3"}}],
                    "type": "compute", "id": "s2", "name": "nova"}}],
                "user": {{"domain": {{"id": "default", "name": "Default"}}, "id": "u1", "name": "demo", "password_expires_at": null}},
                "audit_ids": ["3T2dc1CGQxyJsHdDu1xkcw"], "issued_at": "2015-11-07T01:58:43.578929Z"}}}}"#
            );
            let unauthorized = r#"{"error": {"code": 401, "message": "The request you have made requires authentication.", "title": "Unauthorized"}}"#;
            let (status, extra, reply) = if method == "POST" && path == "/identity/v3/auth/tokens" {
                let user = identity["password"]["user"]["name"]
                    .as_str()
                    .unwrap_or_default();
                let password = identity["password"]["user"]["password"]
                    .as_str()
                    .unwrap_or_default();
                let passcode = identity["totp"]["user"]["passcode"]
                    .as_str()
                    .unwrap_or_default();
                if receipt == "rcpt-1" && passcode == "123456" {
                    (201, "X-Subject-Token: tok-mfa\r\n".to_owned(), token_body)
                } else if user == "mfa" && password == "s3cret" {
                    (
                        401,
                        "Openstack-Auth-Receipt: rcpt-1\r\n".to_owned(),
                        r#"{"receipt": {"methods": ["password"], "expires_at": "2099-01-01T00:00:00.000000Z"}, "required_auth_methods": [["password", "totp"]]}"#.to_owned(),
                    )
                } else if user == "demo" && password == "s3cret" {
                    (201, "X-Subject-Token: tok-demo\r\n".to_owned(), token_body)
                } else {
                    (401, String::new(), unauthorized.to_owned())
                }
            } else if !token.starts_with("tok-") {
                (401, String::new(), unauthorized.to_owned())
            } else if method == "GET" && path.starts_with("/compute/v2.1/p1/servers/detail") {
                (
                    200,
                    String::new(),
                    format!(
                        r#"{{"servers": [{{"id": "{WIN_ID}", "name": "win-2048", "status": "ACTIVE", "key_name": "k"}},
                        {{"id": "11111111-0000-0000-0000-000000000001", "name": "twin"}},
                        {{"id": "11111111-0000-0000-0000-000000000002", "name": "twin"}}]}}"#
                    ),
                )
            } else if method == "GET"
                && path == format!("/compute/v2.1/p1/servers/{WIN_ID}/os-server-password")
            {
                (
                    200,
                    String::new(),
                    format!(r#"{{"password": "{}"}}"#, ciphertext.trim()),
                )
            } else {
                (
                    404,
                    String::new(),
                    r#"{"itemNotFound": {"code": 404, "message": "no route"}}"#.to_owned(),
                )
            };
            let mut stream = stream;
            let _ = write!(
                stream,
                "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\n{extra}Content-Length: {}\r\nConnection: close\r\n\r\n{reply}",
                reply.len()
            );
        }
    });
    (url, seen)
}

/// A folder to run in, with `clouds.yaml` here and `secure.yaml` in the home directory.
fn folder(url: &str, user: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "ecs-signin-{}-{}",
        std::process::id(),
        common::rand_suffix()
    ));
    std::fs::create_dir_all(dir.join("home/.config/openstack")).unwrap();
    std::fs::write(
        dir.join("clouds.yaml"),
        format!(
            "clouds:\n  demo:\n    region_name: RegionOne\n    auth:\n      auth_url: {url}/identity/v3\n      username: {user}\n      project_name: demo\n      user_domain_name: Default\n      project_domain_name: Default\n"
        ),
    )
    .unwrap();
    std::fs::write(
        dir.join("home/.config/openstack/secure.yaml"),
        "clouds:\n  demo:\n    auth:\n      password: s3cret\n",
    )
    .unwrap();
    dir
}

fn cli(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("ecs-password").unwrap();
    for (var, _) in std::env::vars() {
        if var.starts_with("OS_") || var.starts_with("HUAWEICLOUD_SDK_") {
            cmd.env_remove(var);
        }
    }
    cmd.env_remove("ECS_PASSWORD_PASSPHRASE")
        .env("HOME", dir.join("home"))
        .current_dir(dir);
    cmd
}

fn key() -> String {
    fixture("rsa2048.pkcs1.pem").to_str().unwrap().to_owned()
}

#[test]
fn get_with_os_cloud_and_a_server_name() {
    let (url, seen) = fake_cloud();
    let dir = folder(&url, "demo");
    let out = cli(&dir)
        .args([
            "get",
            "--os-cloud",
            "demo",
            "--server",
            "win-2048",
            "--key",
            &key(),
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let expected = std::fs::read_to_string(fixture("password.txt")).unwrap();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap().trim_end(),
        expected.trim_end()
    );
    let log = seen.lock().unwrap();
    // Sign in: the password from secure.yaml, the project by name and domain.
    let (method, path, _, _, body) = &log[0];
    assert_eq!(
        (method.as_str(), path.as_str()),
        ("POST", "/identity/v3/auth/tokens")
    );
    let body: serde_json::Value = serde_json::from_str(body).unwrap();
    assert_eq!(
        body,
        serde_json::json!({"auth": {"identity": {"methods": ["password"], "password": {"user": {
            "name": "demo", "domain": {"name": "Default"}, "password": "s3cret"}}},
            "scope": {"project": {"name": "demo", "domain": {"name": "Default"}}}}})
    );
    // Then the server list (to find the name) and the password, with the token, at the
    // catalog's public compute endpoint.
    assert!(
        log[1]
            .1
            .starts_with("/compute/v2.1/p1/servers/detail?limit=1000"),
        "{:?}",
        log[1]
    );
    assert_eq!(log[1].2, "tok-demo");
    assert_eq!(
        log[2].1,
        format!("/compute/v2.1/p1/servers/{WIN_ID}/os-server-password")
    );
    assert_eq!(log[2].2, "tok-demo");
    assert_eq!(log.len(), 3);
}

#[test]
fn openrc_variables_flags_and_an_id() {
    let (url, seen) = fake_cloud();
    let dir = folder(&url, "nobody");
    // No clouds.yaml cloud named: the OS_* variables alone; a UUID needs no list.
    let out = cli(&dir)
        .env("OS_AUTH_URL", format!("{url}/identity/v3"))
        .env("OS_USERNAME", "demo")
        .env("OS_PASSWORD", "s3cret")
        .env("OS_PROJECT_NAME", "demo")
        .env("OS_USER_DOMAIN_NAME", "Default")
        .args(["get", "--json", "--server", WIN_ID])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8(out.stdout)
        .unwrap()
        .contains("\"ciphertext\""));
    assert_eq!(seen.lock().unwrap().len(), 2);
    // The internal interface's endpoint is plain http on another host: refused, not used.
    let out = cli(&dir)
        .args([
            "get",
            "--json",
            "--os-cloud",
            "demo",
            "--os-username",
            "demo",
            "--os-interface",
            "internal",
            "--server",
            WIN_ID,
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout.contains("ENDPOINT_INVALID"), "{stdout}");
    // A region the catalog does not have.
    let out = cli(&dir)
        .args([
            "get",
            "--json",
            "--os-cloud",
            "demo",
            "--os-username",
            "demo",
            "--os-region-name",
            "RegionTwo",
            "--server",
            WIN_ID,
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("ENDPOINT_NOT_FOUND"), "{stdout}");
}

#[test]
fn mfa_receipts_names_and_missing_clouds() {
    let (url, seen) = fake_cloud();
    let dir = folder(&url, "mfa");
    // The receipt is answered with OS_PASSCODE.
    let out = cli(&dir)
        .env("OS_PASSCODE", "123456")
        .args(["get", "--json", "--os-cloud", "demo", "--server", WIN_ID])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    {
        let log = seen.lock().unwrap();
        // First password (+ the code, given up front), then the receipt with the code.
        assert_eq!(log[1].3, "rcpt-1");
        let second: serde_json::Value = serde_json::from_str(&log[1].4).unwrap();
        assert_eq!(
            second["auth"]["identity"]["methods"],
            serde_json::json!(["totp"])
        );
        assert_eq!(log[2].2, "tok-mfa");
    }
    // Without a code and without a terminal: MFA_REQUIRED.
    let out = cli(&dir)
        .args(["get", "--json", "--os-cloud", "demo", "--server", WIN_ID])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("MFA_REQUIRED"), "{stdout}");
    // A name two servers share.
    let dir = folder(&url, "demo");
    let out = cli(&dir)
        .args(["get", "--json", "--os-cloud", "demo", "--server", "twin"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("SERVER_AMBIGUOUS"), "{stdout}");
    assert!(
        stdout
            .contains("11111111-0000-0000-0000-000000000001, 11111111-0000-0000-0000-000000000002"),
        "{stdout}"
    );
    let out = cli(&dir)
        .args(["get", "--json", "--os-cloud", "demo", "--server", "nope"])
        .output()
        .unwrap();
    assert!(String::from_utf8(out.stdout)
        .unwrap()
        .contains("SERVER_NOT_FOUND"));
    // A wrong password: Keystone's 401, AUTH_FAILED.
    let out = cli(&dir)
        .env("OS_PASSWORD", "wrong")
        .args(["get", "--json", "--os-cloud", "demo", "--server", WIN_ID])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("AUTH_FAILED"), "{stdout}");
    assert!(!stdout.contains("wrong"), "{stdout}");
    // A cloud that is not there: the files searched are named.
    let out = cli(&dir)
        .args(["get", "--json", "--os-cloud", "prod", "--server", WIN_ID])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains("CLOUD_NOT_FOUND") && stdout.contains("demo"),
        "{stdout}"
    );
    let empty = std::env::temp_dir().join(format!("ecs-signin-empty-{}", common::rand_suffix()));
    std::fs::create_dir_all(&empty).unwrap();
    let out = cli(&empty)
        .args(["get", "--json", "--os-cloud", "demo", "--server", WIN_ID])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains("CLOUD_NOT_FOUND") && stdout.contains(".config/openstack/clouds.yaml"),
        "{stdout}"
    );
}

/// What the fake IAM/ECS saw: path and query, headers (lowercase names).
type SeenHeaders = Arc<Mutex<Vec<(String, Vec<(String, String)>)>>>;

/// A fake Huawei IAM and ECS on one port: the project of region `eu-de` is `0590a3a6`.
fn fake_iam_and_ecs() -> (String, SeenHeaders) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen: SeenHeaders = Arc::default();
    let log = seen.clone();
    let ciphertext = std::fs::read_to_string(fixture("rsa2048.ciphertext.b64")).unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            if reader.read_line(&mut line).is_err() {
                continue;
            }
            let path = line
                .split_whitespace()
                .nth(1)
                .unwrap_or_default()
                .to_owned();
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
            let signed = headers
                .iter()
                .any(|(n, v)| n == "authorization" && v.starts_with("SDK-HMAC-SHA256 Access=AK1"));
            log.lock().unwrap().push((path.clone(), headers));
            let (status, reply) = if !signed {
                (401, r#"{"error_code": "APIGW.0301", "error_msg": "Incorrect IAM authentication information"}"#.to_owned())
            } else if path == "/v3/projects?name=eu-de" {
                (200, r#"{"links": {}, "projects": [{"is_domain": false, "enabled": true, "id": "0590a3a6", "domain_id": "d78c", "name": "eu-de"}]}"#.to_owned())
            } else if path == "/v1/0590a3a6/cloudservers/s1/os-server-password" {
                (200, format!(r#"{{"password": "{}"}}"#, ciphertext.trim()))
            } else {
                (
                    404,
                    r#"{"error": {"code": "Ecs.0114", "message": "not found"}}"#.to_owned(),
                )
            };
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

#[test]
fn aksk_finds_the_project_of_its_region() {
    let (url, seen) = fake_iam_and_ecs();
    let dir = folder(&url, "demo");
    let out = cli(&dir)
        .env("HUAWEICLOUD_SDK_AK", "AK1")
        .env("HUAWEICLOUD_SDK_SK", "SK1")
        .env("HUAWEICLOUD_SDK_IAM_ENDPOINT", &url)
        .args([
            "get",
            "--endpoint",
            &url,
            "--os-region-name",
            "eu-de",
            "--server",
            "s1",
            "--key",
            &key(),
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let expected = std::fs::read_to_string(fixture("password.txt")).unwrap();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap().trim_end(),
        expected.trim_end()
    );
    let log = seen.lock().unwrap();
    assert_eq!(log.len(), 2);
    assert_eq!(log[0].0, "/v3/projects?name=eu-de");
    // The lookup is signed without a project; the call then carries the project found.
    let project = |i: usize| {
        log[i]
            .1
            .iter()
            .find(|(n, _)| n == "x-project-id")
            .map(|(_, v)| v.clone())
    };
    assert_eq!(project(0), None);
    assert_eq!(project(1).as_deref(), Some("0590a3a6"));
    // An unknown region without an endpoint: ENDPOINT_NOT_FOUND.
    let out = cli(&dir)
        .env("HUAWEICLOUD_SDK_AK", "AK1")
        .env("HUAWEICLOUD_SDK_SK", "SK1")
        .args([
            "get",
            "--json",
            "--os-region-name",
            "mars-1",
            "--server",
            "s1",
        ])
        .output()
        .unwrap();
    assert!(String::from_utf8(out.stdout)
        .unwrap()
        .contains("ENDPOINT_NOT_FOUND"));
}

/// The emulator's Keystone (`serve`, docs/emulator.md "Identity"): the demo user `admin` signs
/// in from a clouds.yaml, and `win-2048` is found by name in the catalog's compute endpoint.
#[test]
fn against_the_emulators_keystone() {
    let root = common::site();
    let server = common::start(&root, &[]);
    let dir = std::env::temp_dir().join(format!("ecs-signin-emu-{}", common::rand_suffix()));
    std::fs::create_dir_all(dir.join("home")).unwrap();
    std::fs::write(
        dir.join("clouds.yaml"),
        format!(
            "clouds:\n  demo:\n    auth:\n      auth_url: {}/identity/v3\n      username: admin\n      password: demo-password-admin\n      user_domain_name: demo\n      project_name: demo-1\n      project_domain_name: demo\n",
            server.url
        ),
    )
    .unwrap();
    let out = cli(&dir)
        .args([
            "get",
            "--json",
            "--os-cloud",
            "demo",
            "--server",
            "win-2048",
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout} {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("\"ciphertext\""), "{stdout}");
    // The reader's password alone gets a receipt: without a code, MFA_REQUIRED.
    let out = cli(&dir)
        .env("OS_USERNAME", "reader")
        .env("OS_PASSWORD", "demo-password-reader")
        .args([
            "get",
            "--json",
            "--os-cloud",
            "demo",
            "--server",
            "win-2048",
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("MFA_REQUIRED"), "{stdout}");
}
