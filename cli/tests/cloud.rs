//! `get`, `clear`, `reset` and `flag` against a fake cloud on loopback (plain http is allowed for
//! loopback only): every operation on every family, auth headers, errors with the cloud's details.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed assumption in a test is a failed test

mod common;

use common::{fixture, read_fixture};

use assert_cmd::Command;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

/// A password a (hostile) guest might post: escapes, a C1 control and a line break.
const HOSTILE_PASSWORD: &str = "Pa\u{1b}]0;owned\u{7}ss\u{9b}2J\nw\\rd";

fn public_key() -> ecs_password::PublicKey {
    let key = std::fs::read(fixture("rsa2048.pkcs1.pem")).unwrap();
    let key = ecs_password::PrivateKey::load(&key, None).unwrap();
    ecs_password::PublicKey::from_openssh(&key.info().public_key_openssh).unwrap()
}

/// What the fake cloud saw: method, path, headers (lowercase names), body.
type Seen = Arc<Mutex<Vec<(String, String, Vec<(String, String)>, String)>>>;

/// A fake cloud answering like Huawei Cloud's ECS for server `s1` in project `p1`.
fn fake_cloud() -> (String, Seen) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen: Seen = Arc::default();
    let log = seen.clone();
    let ciphertext = read_fixture("rsa2048.ciphertext.b64");
    let hostile_ciphertext = public_key().encrypt_password(HOSTILE_PASSWORD).unwrap();
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
            // A cloud (or something in its place) that answers with terminal escapes.
            let hostile = path.contains("/s7/");
            let (status, reply) = if hostile {
                (400, r#"{"error_code": "\u001b[2J\u001b]0;owned\u0007Ecs.9\u009b31m", "error_msg": "bad\u001b[31m red\r\nfake: line", "request_id": "req\u001b[8m-7"}"#.to_owned())
            } else if !authorized {
                (401, r#"{"error_code": "APIGW.0301", "error_msg": "Incorrect IAM authentication information", "request_id": "req-auth"}"#.to_owned())
            } else if path.contains("/s9") {
                if native {
                    (404, r#"{"itemNotFound": {"code": 404, "message": "Instance s9 could not be found."}}"#.to_owned())
                } else {
                    (404, r#"{"error": {"code": "Ecs.0114", "message": "Instance[s9] could not be found."}}"#.to_owned())
                }
            } else if path.ends_with("/s8/os-server-password") && method == "GET" {
                (200, format!(r#"{{"password": "{hostile_ciphertext}"}}"#))
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
            let request_id = if hostile {
                String::new()
            } else {
                format!("X-Request-Id: req-{status}\r\n")
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\n{request_id}Content-Length: {}\r\nConnection: close\r\n\r\n{reply}",
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
            read_fixture("password.txt"),
            "{family}"
        );

        let out = run("get", family, &endpoint, "s1", &[]);
        assert_eq!(
            json(&out.stdout)["ciphertext"],
            read_fixture("rsa2048.ciphertext.b64"),
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

/// The binary itself (std's `Command`, whose standard streams the tests choose).
fn bin() -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_ecs-password"));
    for var in [
        "OS_TOKEN",
        "HUAWEICLOUD_SDK_AK",
        "HUAWEICLOUD_SDK_SK",
        "ECS_PASSWORD_PASSPHRASE",
    ]
    .into_iter()
    .chain(PROXY_VARS)
    {
        cmd.env_remove(var);
    }
    cmd
}

/// Every proxy variable ureq reads (`ureq::Proxy::try_from_env`).
const PROXY_VARS: [&str; 6] = [
    "ALL_PROXY",
    "all_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "HTTP_PROXY",
    "http_proxy",
];

/// A stand-in for an HTTP proxy: records each request line (a proxied request's, or CONNECT's)
/// and answers 502.
fn fake_proxy() -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen: Arc<Mutex<Vec<String>>> = Arc::default();
    let log = seen.clone();
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            let mut line = String::new();
            let _ = BufReader::new(stream.try_clone().unwrap()).read_line(&mut line);
            log.lock().unwrap().push(line.trim_end().to_owned());
            let _ = stream.write_all(
                b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            );
        }
    });
    (url, seen)
}

/// Issue 12, point 4: requests to loopback (the emulator, a local fake) never go to a proxy
/// named in the environment, from the CLI or from `serve --upstream`; the token stays here.
#[test]
fn loopback_never_goes_through_an_environment_proxy() {
    let (url, _) = fake_cloud();
    let (proxy, proxied) = fake_proxy();
    for var in PROXY_VARS {
        let out = bin()
            .args([
                "get",
                "--json",
                "--endpoint",
                &url,
                "--project",
                "p1",
                "--server",
                "s1",
                "--token",
                "tok",
            ])
            .env(var, &proxy)
            .output()
            .unwrap();
        assert_eq!(
            (out.status.code(), json(&out.stdout)["ciphertext"].as_str()),
            (
                Some(0),
                Some(read_fixture("rsa2048.ciphertext.b64").as_str())
            ),
            "{var}"
        );
        assert_eq!(*proxied.lock().unwrap(), Vec::<String>::new(), "{var}");
    }
    let env: Vec<(&str, &str)> = PROXY_VARS.iter().map(|v| (*v, proxy.as_str())).collect();
    let server = common::start_env(
        &common::site(),
        &["--no-emulator", "--upstream", &format!("/proxy/ecs={url}")],
        &env,
    );
    let mut answer = common::agent()
        .get(format!(
            "{}/proxy/ecs/v1/p1/cloudservers/s1/os-server-password",
            server.url
        ))
        .header("X-Auth-Token", "tok")
        .call()
        .unwrap();
    assert_eq!(
        answer.status(),
        200,
        "{}",
        answer.body_mut().read_to_string().unwrap()
    );
    assert_eq!(*proxied.lock().unwrap(), Vec::<String>::new());
}

/// Issue 12, point 4: an https endpoint goes through the proxy each documented variable names
/// (a CONNECT tunnel: the proxy sees the host, never the token).
#[test]
fn https_endpoints_use_the_proxy_variables() {
    let (proxy, proxied) = fake_proxy();
    let new_password = std::env::temp_dir().join(format!("ecs-proxy-pw-{}", std::process::id()));
    std::fs::write(&new_password, "Nw!7pass-Word\n").unwrap();
    for var in PROXY_VARS {
        // reset: one attempt (never retried), so a refused tunnel fails at once.
        let out = bin()
            .args([
                "reset",
                "--json",
                "--endpoint",
                "https://ecs.example.com",
                "--project",
                "p1",
                "--server",
                "s1",
                "--token",
                "tok",
                "--new-password-file",
            ])
            .arg(&new_password)
            .env(var, &proxy)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{var}");
        let seen = proxied.lock().unwrap().pop();
        assert_eq!(
            seen.as_deref(),
            Some("CONNECT ecs.example.com:443 HTTP/1.1"),
            "{var}"
        );
    }
}

/// Issue 12, point 5: a closed standard output ends `get` quietly with status 1.
#[test]
fn get_with_a_closed_stdout_fails_quietly() {
    let (url, _) = fake_cloud();
    for json in [false, true] {
        let out = bin()
            .args([
                "get",
                "--endpoint",
                &url,
                "--project",
                "p1",
                "--server",
                "s1",
                "--token",
                "tok",
                "--key",
            ])
            .arg(fixture("rsa2048.pkcs1.pem"))
            .args(json.then_some("--json"))
            .stdout(common::closed_pipe())
            .output()
            .unwrap();
        common::assert_quiet_failure(&out, "get");
    }
}

/// Issue 12, point 5: `reset --generate` whose new password cannot be written does not reset:
/// no request reaches the cloud (a closed pipe, a full disk).
#[test]
fn reset_generate_never_sets_a_password_it_cannot_deliver() {
    let (url, seen) = fake_cloud();
    let outputs: [(&str, common::MakeStdout); 2] = [
        ("closed pipe", common::closed_pipe),
        ("/dev/full", common::full_device),
    ];
    for (what, stdout) in outputs {
        for json in [false, true] {
            let out = bin()
                .args([
                    "reset",
                    "--generate",
                    "--endpoint",
                    &url,
                    "--project",
                    "p1",
                    "--server",
                    "s1",
                    "--token",
                    "tok",
                ])
                .args(json.then_some("--json"))
                .stdout(stdout())
                .output()
                .unwrap();
            common::assert_quiet_failure(&out, what);
        }
    }
    assert!(
        seen.lock()
            .unwrap()
            .iter()
            .all(|(method, ..)| method != "PUT"),
        "a reset was sent"
    );
    // With a working output the password is delivered and set (the same one).
    let out = run("reset", "v1", &url, "s1", &["--generate"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let printed = json(&out.stdout);
    assert_eq!(printed["reset"], true);
    let log = seen.lock().unwrap();
    let body: serde_json::Value = serde_json::from_str(&log.last().unwrap().3).unwrap();
    assert_eq!(body["reset-password"]["new_password"], printed["password"]);
    drop(log);
    // A reset the cloud refuses after the password was delivered says so: one JSON document
    // with "reset": false and the error; in text, the error says the printed password was not set.
    let out = run("reset", "v1", &url, "s9", &["--generate"]);
    assert_eq!(out.status.code(), Some(1));
    let printed = json(&out.stdout);
    assert_eq!(
        (
            printed["reset"].as_bool(),
            printed["error"]["code"].as_str()
        ),
        (Some(false), Some("SERVER_NOT_FOUND"))
    );
    assert_eq!(printed["password"].as_str().map(str::len), Some(16));
    let out = bin()
        .args([
            "reset",
            "--generate",
            "--endpoint",
            &url,
            "--project",
            "p1",
            "--server",
            "s9",
            "--token",
            "tok",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(String::from_utf8(out.stdout).unwrap().trim().len(), 16);
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("error[SERVER_NOT_FOUND]")
            && err.contains("The password printed above was not set."),
        "{err}"
    );
}

/// No control character other than the line ends.
fn assert_no_controls(text: &str, what: &str) {
    assert!(
        !text.chars().any(|c| c.is_control() && c != '\n'),
        "{what}: {text:?}"
    );
}

/// Issue 12, point 9: what the cloud says reaches the terminal without control characters, in
/// text and in JSON; the rest of the message is kept.
#[test]
fn cloud_errors_are_printed_without_control_characters() {
    let (url, _) = fake_cloud();
    let out = bin()
        .args([
            "get",
            "--endpoint",
            &url,
            "--project",
            "p1",
            "--server",
            "s7",
            "--token",
            "tok",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_no_controls(&err, "text");
    assert_eq!(err.lines().count(), 3, "{err}");
    assert!(
        err.contains("Ecs.9") && err.contains("request id: req[8m-7"),
        "{err}"
    );
    assert!(err.contains("fake: line"), "{err}");

    let out = bin()
        .args([
            "get",
            "--json",
            "--endpoint",
            &url,
            "--project",
            "p1",
            "--server",
            "s7",
            "--token",
            "tok",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_no_controls(&text, "json text");
    let v = json(text.as_bytes());
    for field in [
        &v["error"]["message"],
        &v["error"]["cloud"]["cloudCode"],
        &v["error"]["cloud"]["cloudMessage"],
        &v["error"]["cloud"]["requestId"],
    ] {
        assert_no_controls(field.as_str().unwrap(), "json field");
    }
    assert_eq!(v["error"]["cloud"]["requestId"], "req[8m-7");
}

/// Issue 12, point 9: a password with control characters is printed as it is to a pipe and in
/// JSON (escaped by JSON), and escaped, with a notice, on a terminal.
#[test]
fn a_password_with_control_characters_is_escaped_on_a_terminal_only() {
    let (url, _) = fake_cloud();
    let key = fixture("rsa2048.pkcs1.pem");
    let args = |json: bool| {
        let mut args: Vec<String> = [
            "get",
            "--endpoint",
            &url,
            "--project",
            "p1",
            "--server",
            "s8",
            "--token",
            "tok",
            "--key",
        ]
        .map(str::to_owned)
        .to_vec();
        args.push(key.to_str().unwrap().to_owned());
        if json {
            args.push("--json".into());
        }
        args
    };
    let out = bin().args(args(false)).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        format!("{HOSTILE_PASSWORD}\n")
    );

    let out = bin().args(args(true)).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_no_controls(&text, "json");
    assert_eq!(json(text.as_bytes())["password"], HOSTILE_PASSWORD);

    // On a terminal: script(1) gives the command a pseudo-terminal.
    let command = std::iter::once(env!("CARGO_BIN_EXE_ecs-password").to_owned())
        .chain(args(false))
        .collect::<Vec<_>>()
        .join(" ");
    let out = std::process::Command::new("script")
        .args(["-q", "-e", "-c", &command, "/dev/null"])
        .env_remove("OS_TOKEN")
        .stdin(std::process::Stdio::null())
        .output()
        .expect("script(1) from util-linux is needed for this test");
    let seen = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{seen}");
    assert_no_controls(&seen.replace('\r', ""), "terminal");
    assert!(
        seen.contains(r"Pa\u{1b}]0;owned\u{7}ss\u{9b}2J\nw\\rd"),
        "{seen:?}"
    );
    assert!(seen.contains("control characters"), "{seen:?}");
}

/// A keep-alive cloud that answers the first `busy` asks for the password with 503 and
/// `Retry-After: 0`, then the ciphertext; counts the connections it accepts and the requests.
fn busy_cloud(busy: usize) -> (String, Arc<Mutex<(usize, usize)>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let counts: Arc<Mutex<(usize, usize)>> = Arc::default();
    let log = counts.clone();
    let ciphertext = read_fixture("rsa2048.ciphertext.b64");
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            log.lock().unwrap().0 += 1;
            let (log, ciphertext) = (log.clone(), ciphertext.clone());
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut stream = stream;
                loop {
                    let mut line = String::new();
                    if !matches!(reader.read_line(&mut line), Ok(1..)) {
                        return;
                    }
                    let length = common::read_headers(&mut reader);
                    let mut body = vec![0; length];
                    let _ = reader.read_exact(&mut body);
                    let asked = {
                        let mut counts = log.lock().unwrap();
                        counts.1 += 1;
                        counts.1
                    };
                    let (status, extra, reply) = if asked <= busy {
                        (
                            503,
                            "Retry-After: 0\r\n",
                            r#"{"error_code": "Ecs.0000", "error_msg": "busy"}"#.to_owned(),
                        )
                    } else {
                        (200, "", format!(r#"{{"password": "{ciphertext}"}}"#))
                    };
                    let _ = write!(
                        stream,
                        "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\n{extra}Content-Length: {}\r\n\r\n{reply}",
                        reply.len()
                    );
                }
            });
        }
    });
    (url, counts)
}

/// One run, one connection: the retries of a `get` (and so the asks of a `get --wait`, which go
/// through the same transport) reuse the connection of the first request.
#[test]
fn one_run_reuses_its_connection() {
    let (url, counts) = busy_cloud(2);
    let out = run("get", "v1", &url, "s1", &[]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        json(&out.stdout)["ciphertext"],
        read_fixture("rsa2048.ciphertext.b64")
    );
    assert_eq!(*counts.lock().unwrap(), (1, 3), "(connections, requests)");
}
