//! `ecs-password serve --upstream PREFIX=URL` against local upstreams that record what they
//! receive: path and query mapping, methods, bodies and auth headers passed through, hop-by-hop
//! headers and cookies stripped, Host rewritten, AK/SK signatures made for the upstream still
//! valid, no way to steer the request elsewhere, size and time limits, bad options refused; and
//! `--cloud PRESET`: a region's routes, Keystone's compute endpoints learned from its catalog.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed assumption in a test is a failed test

mod common;

use common::{site, start, Server};
use ecs_password::api::auth::{authorize, Credentials};
use ecs_password::api::http::{HttpRequest, MAX_BODY_BYTES};
use ecs_password::api::request::{build, Call, Endpoint, ResetBody, Target};
use ecs_password::api::signer::{sign, AkSk};
use ecs_password::permission::{ApiFamily, Operation};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

// ---------------------------------------------------------------------------------------------
// A recording upstream.

/// A request as the upstream received it.
#[derive(Clone, Debug)]
struct Received {
    method: String,
    /// Path and query, as on the request line.
    target: String,
    /// Names in lower case, in the order received.
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Received {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

type Behaviour = dyn Fn(&Received, &mut TcpStream) + Send + Sync;

/// An HTTP/1.1 server on 127.0.0.1 that records each request and lets `reply` answer it.
struct Upstream {
    /// `http://127.0.0.1:PORT`
    url: String,
    /// `127.0.0.1:PORT`
    address: String,
    seen: Arc<Mutex<Vec<Received>>>,
}

impl Upstream {
    fn start(reply: impl Fn(&Received, &mut TcpStream) + Send + Sync + 'static) -> Upstream {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let address = listener.local_addr().unwrap().to_string();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let reply: Arc<Behaviour> = Arc::new(reply);
        let recorded = seen.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let (reply, recorded) = (reply.clone(), recorded.clone());
                std::thread::spawn(move || serve_connection(stream, &*reply, &recorded));
            }
        });
        Upstream {
            url: format!("http://{address}"),
            address,
            seen,
        }
    }

    fn seen(&self) -> Vec<Received> {
        self.seen.lock().unwrap().clone()
    }
}

fn serve_connection(stream: TcpStream, reply: &Behaviour, recorded: &Mutex<Vec<Received>>) {
    let mut writer = stream.try_clone().unwrap();
    let mut reader = BufReader::new(stream);
    loop {
        let Some((first, headers)) = read_head(&mut reader) else {
            return;
        };
        let mut parts = first.split(' ');
        let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
        let mut body = Vec::new();
        let chunked = headers
            .iter()
            .any(|(n, v)| n == "transfer-encoding" && v.contains("chunked"));
        if chunked {
            body = read_chunked(&mut reader);
        } else if let Some(len) = headers
            .iter()
            .find(|(n, _)| n == "content-length")
            .and_then(|(_, v)| v.parse::<usize>().ok())
        {
            body = vec![0; len];
            if reader.read_exact(&mut body).is_err() {
                return;
            }
        }
        let received = Received {
            method: method.to_owned(),
            target: target.to_owned(),
            headers,
            body,
        };
        recorded.lock().unwrap().push(received.clone());
        reply(&received, &mut writer);
    }
}

/// The request or status line and the headers (names in lower case); `None` at the end.
fn read_head(reader: &mut impl BufRead) -> Option<(String, Vec<(String, String)>)> {
    let mut first = String::new();
    if reader.read_line(&mut first).ok()? == 0 {
        return None;
    }
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() {
            break;
        }
        let (name, value) = line.split_once(':')?;
        headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
    }
    Some((first.trim_end().to_owned(), headers))
}

fn read_chunked(reader: &mut impl BufRead) -> Vec<u8> {
    let mut body = Vec::new();
    loop {
        let mut size = String::new();
        if reader.read_line(&mut size).unwrap_or(0) == 0 {
            return body;
        }
        let size = usize::from_str_radix(size.trim().split(';').next().unwrap(), 16).unwrap();
        let mut chunk = vec![0; size + 2];
        reader.read_exact(&mut chunk).unwrap();
        if size == 0 {
            return body;
        }
        body.extend_from_slice(&chunk[..size]);
    }
}

/// Writes a whole answer with a Content-Length (without the body for HEAD).
fn respond(
    r: &Received,
    stream: &mut TcpStream,
    status: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) {
    let mut head = format!("HTTP/1.1 {status}\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
    let _ = stream.write_all(head.as_bytes());
    if r.method != "HEAD" {
        let _ = stream.write_all(body);
    }
}

// ---------------------------------------------------------------------------------------------
// A plain HTTP client for the proxy (byte-exact request targets and headers).

#[derive(Debug)]
struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The proxy's own error code.
    fn code(&self) -> String {
        let json: serde_json::Value = serde_json::from_slice(&self.body)
            .unwrap_or_else(|_| panic!("not JSON: {}", self.text()));
        json["error"]["code"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }
}

/// Sends `head` (request line and headers, without the blank line) and `body` as given, and
/// reads one answer.
fn raw(server: &Server, head: &str, body: &[u8]) -> Answer {
    let address = server.url.trim_start_matches("http://");
    let mut stream = TcpStream::connect(address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let mut bytes = format!("{head}\r\n\r\n").into_bytes();
    bytes.extend_from_slice(body);
    // The proxy may answer (413) before reading everything: a failed write is not the test's end.
    let _ = stream.write_all(&bytes);
    let is_head = head.starts_with("HEAD ");
    let mut reader = BufReader::new(stream);
    let (status_line, headers) = read_head(&mut reader).expect("an answer");
    let status = status_line.split(' ').nth(1).unwrap().parse().unwrap();
    let mut body = Vec::new();
    let length = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse::<usize>().ok());
    if is_head {
    } else if headers
        .iter()
        .any(|(n, v)| n == "transfer-encoding" && v.contains("chunked"))
    {
        body = read_chunked(&mut reader);
    } else if let Some(length) = length {
        body = vec![0; length];
        reader.read_exact(&mut body).unwrap();
    } else {
        let _ = reader.read_to_end(&mut body);
    }
    Answer {
        status,
        headers,
        body,
    }
}

/// `METHOD target` with these headers (and Host, and Content-Length for a body).
fn send(
    server: &Server,
    method: &str,
    target: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Answer {
    let address = server.url.trim_start_matches("http://");
    let mut head = format!("{method} {target} HTTP/1.1\r\nHost: {address}");
    for (name, value) in headers {
        head.push_str(&format!("\r\n{name}: {value}"));
    }
    if !body.is_empty() {
        head.push_str(&format!("\r\nContent-Length: {}", body.len()));
    }
    raw(server, &head, body)
}

/// An upstream that answers by the last path segment.
fn scripted() -> Upstream {
    Upstream::start(|r, stream| {
        let path = r.target.split('?').next().unwrap_or("");
        let last = path.rsplit('/').next().unwrap_or("");
        match last {
            "chunked" => {
                let _ = stream.write_all(
                    b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n\
                      5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n",
                );
            }
            "exact" => respond(r, stream, "200 OK", &[], &vec![b'a'; MAX_BODY_BYTES]),
            "big" => respond(r, stream, "200 OK", &[], &vec![b'a'; MAX_BODY_BYTES + 1]),
            "big-chunked" => {
                let _ = stream.write_all(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
                let chunk = vec![b'a'; 1 << 20];
                for _ in 0..5 {
                    let _ = write!(stream, "{:x}\r\n", chunk.len());
                    let _ = stream.write_all(&chunk);
                    let _ = stream.write_all(b"\r\n");
                }
                let _ = stream.write_all(b"0\r\n\r\n");
            }
            "redirect" => respond(
                r,
                stream,
                "302 Found",
                &[("Location", "http://127.0.0.1:9/elsewhere")],
                b"",
            ),
            "slow" => {
                std::thread::sleep(Duration::from_millis(3000));
                respond(r, stream, "200 OK", &[], b"late");
            }
            "stall" => {
                let _ = stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\npartial");
                std::thread::sleep(Duration::from_millis(3000));
            }
            "page" => respond(
                r,
                stream,
                "200 OK",
                &[
                    ("Content-Type", "text/html"),
                    ("Refresh", "0; url=https://evil.example/"),
                    ("Content-Security-Policy", "default-src *"),
                ],
                b"<script>alert(document.domain)</script>",
            ),
            "cached" => respond(
                r,
                stream,
                "200 OK",
                &[("Cache-Control", "max-age=60")],
                b"{}",
            ),
            _ => respond(
                r,
                stream,
                "201 Created",
                &[
                    ("Content-Type", "application/json"),
                    ("X-Request-Id", "up-123"),
                    ("X-Custom", "yes"),
                    ("Set-Cookie", "session=UPSTREAM-COOKIE"),
                    ("Connection", "keep-alive, X-Hop-Answer"),
                    ("X-Hop-Answer", "1"),
                    ("Keep-Alive", "timeout=5"),
                    ("Proxy-Authenticate", "Basic realm=x"),
                    ("Strict-Transport-Security", "max-age=100"),
                    ("Access-Control-Allow-Origin", "*"),
                    ("Alt-Svc", "h3=\":443\""),
                ],
                br#"{"ok":true}"#,
            ),
        }
    })
}

// ---------------------------------------------------------------------------------------------

const SECRETS: [&str; 5] = [
    "TOKEN-SECRET-1",
    "SIGNATURE-SECRET-2",
    "STS-SECRET-3",
    "COOKIE-SECRET-4",
    "PROXY-SECRET-5",
];

#[test]
fn requests_reach_the_upstream_unchanged_but_for_hop_by_hop_headers() {
    let upstream = scripted();
    let root = site();
    let prefix = format!("/proxy/ecs={}/base", upstream.url);
    let server = start(&root, &["--upstream", &prefix]);
    let target = "/proxy/ecs/v1/p1/cloudservers/s1/os-server-password?limit=5&marker=a%2Fb";
    let auth = [
        ("X-Auth-Token", "TOKEN-SECRET-1"),
        (
            "Authorization",
            "SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;x-sdk-date, Signature=SIGNATURE-SECRET-2",
        ),
        ("X-Sdk-Date", "20240229T120000Z"),
        ("X-Security-Token", "STS-SECRET-3"),
        ("X-Project-Id", "p1"),
        ("Content-Type", "application/json;charset=utf8"),
        ("Accept", "application/json"),
        ("X-Request-Id", "req-1"),
        ("X_Underscore", "kept"),
    ];
    let dropped = [
        ("Connection", "keep-alive, X-Hop"),
        ("X-Hop", "1"),
        ("Keep-Alive", "timeout=5"),
        ("Proxy-Authorization", "Basic PROXY-SECRET-5"),
        ("TE", "trailers"),
        ("Cookie", "session=COOKIE-SECRET-4"),
        ("Origin", "https://console.example.com"),
        ("Referer", "https://console.example.com/page"),
        ("X-Forwarded-For", "203.0.113.9"),
        ("X-Forwarded-Host", "evil.example.com"),
        ("Forwarded", "host=evil.example.com"),
        ("Accept-Encoding", "br"),
    ];
    let headers: Vec<(&str, &str)> = auth.iter().chain(&dropped).copied().collect();
    for method in ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] {
        let body = if matches!(method, "GET" | "HEAD" | "OPTIONS") {
            Vec::new()
        } else {
            format!(r#"{{"method":"{method}"}}"#).into_bytes()
        };
        let answer = send(&server, method, target, &headers, &body);
        assert_eq!(answer.status, 201, "{method}: {}", answer.text());
        let expected: &[u8] = if method == "HEAD" {
            b""
        } else {
            br#"{"ok":true}"#
        };
        assert_eq!(answer.body, expected);
        assert_eq!(answer.header("x-request-id"), Some("up-123"));
        assert_eq!(answer.header("x-custom"), Some("yes"));
        assert_eq!(answer.header("content-length"), Some("11"), "{method}");
        assert_eq!(answer.header("content-type"), Some("application/json"));
        for gone in [
            "set-cookie",
            "x-hop-answer",
            "keep-alive",
            "proxy-authenticate",
            "strict-transport-security",
            "access-control-allow-origin",
            "alt-svc",
        ] {
            assert_eq!(answer.header(gone), None, "{method}: {gone} came back");
        }

        let seen = upstream.seen();
        let r = seen.last().unwrap();
        assert_eq!(r.method, method);
        assert_eq!(
            r.target,
            "/base/v1/p1/cloudservers/s1/os-server-password?limit=5&marker=a%2Fb"
        );
        assert_eq!(r.body, body, "{method}");
        assert_eq!(r.header("host"), Some(upstream.address.as_str()));
        for (name, value) in auth {
            assert_eq!(
                r.header(&name.to_ascii_lowercase()),
                Some(value),
                "{method}: {name}"
            );
        }
        for (name, _) in dropped {
            let name = name.to_ascii_lowercase();
            if name == "connection" {
                assert!(
                    !r.header("connection").unwrap_or("").contains("X-Hop"),
                    "{method}"
                );
            } else if name == "accept-encoding" {
                assert_ne!(r.header("accept-encoding"), Some("br"), "{method}");
            } else {
                assert_eq!(r.header(&name), None, "{method}: {name} was forwarded");
            }
        }
    }
    assert_eq!(upstream.seen().len(), 7);

    // A chunked request body arrives whole (with a length, without Transfer-Encoding).
    let address = server.url.trim_start_matches("http://").to_owned();
    let answer = raw(
        &server,
        &format!(
            "POST /proxy/ecs/chunked-in HTTP/1.1\r\nHost: {address}\r\nTransfer-Encoding: chunked"
        ),
        b"3\r\nabc\r\n4\r\ndefg\r\n0\r\n\r\n",
    );
    assert_eq!(answer.status, 201);
    let r = upstream.seen().pop().unwrap();
    assert_eq!(r.body, b"abcdefg");
    assert_eq!(r.header("transfer-encoding"), None);
    assert_eq!(r.header("content-length"), Some("7"));

    // The prefix alone, and with a slash, map to the upstream's path.
    send(&server, "GET", "/proxy/ecs", &[], b"");
    assert_eq!(upstream.seen().pop().unwrap().target, "/base");
    send(&server, "GET", "/proxy/ecs/?a=1", &[], b"");
    assert_eq!(upstream.seen().pop().unwrap().target, "/base/?a=1");

    // Upstream errors, chunked answers and redirects come back as they are.
    let answer = send(&server, "GET", "/proxy/ecs/chunked", &[], b"");
    assert_eq!(
        (answer.status, answer.text().as_str()),
        (200, "hello world")
    );
    let answer = send(&server, "GET", "/proxy/ecs/redirect", &[], b"");
    assert_eq!(answer.status, 302);
    assert_eq!(
        answer.header("location"),
        Some("http://127.0.0.1:9/elsewhere")
    );
    assert_eq!(upstream.seen().len(), 12, "the redirect was followed");

    // The start-up line names the upstream (read once it has arrived: the reader thread may
    // lag); no credential ever reaches the output.
    let line = format!("{}/proxy/ecs/ to {}/base", server.url, upstream.url);
    let output = printed(&server, &line);
    assert!(output.contains(&line), "{output}");
    for secret in SECRETS {
        assert!(!output.contains(secret), "{secret} in {output}");
    }
}

/// What an AK/SK signature covers, checked by the upstream as the cloud does: rebuilt from what
/// arrived (its own Host, the path and query it saw, the signed headers, the body) and signed
/// again with the same keys.
fn signature_holds(r: &Received, keys: &AkSk) -> bool {
    let authorization = r.header("authorization").unwrap();
    let signed = authorization
        .split("SignedHeaders=")
        .nth(1)
        .unwrap()
        .split(',')
        .next()
        .unwrap();
    let method = match r.method.as_str() {
        "GET" => "GET",
        "PUT" => "PUT",
        "DELETE" => "DELETE",
        other => panic!("{other}"),
    };
    let url =
        url::Url::parse(&format!("http://{}{}", r.header("host").unwrap(), r.target)).unwrap();
    let mut request = HttpRequest::new(method, url);
    for name in signed.split(';').filter(|n| *n != "host") {
        for (n, v) in r.headers.iter().filter(|(n, _)| n == name) {
            request.headers.push((n.clone(), v.clone()));
        }
    }
    request.body = r.body.clone();
    sign(&mut request, keys, r.header("x-sdk-date").unwrap());
    request.header("Authorization") == Some(authorization)
}

#[test]
fn signatures_made_for_the_upstream_hold_through_the_proxy() {
    let upstream = scripted();
    let root = site();
    let prefix = format!("/proxy/ecs={}/base", upstream.url);
    let server = start(&root, &["--upstream", &prefix]);
    let keys = AkSk::new("AKEXAMPLE", "SK-EXAMPLE-NOT-REAL", Some("sts-token".into()));
    let credentials = Credentials::AkSk(keys.clone());
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let proxy_endpoint = format!("{}/proxy/ecs", server.url);
    let upstream_endpoint = format!("{}/base", upstream.url);
    let reset = Call::Password(
        Operation::Reset,
        Some(ResetBody {
            new_password: zeroize::Zeroizing::new("Xy7!abcd-EF".into()),
            check_complexity: true,
        }),
    );
    let calls = [
        Call::Password(Operation::Get, None),
        Call::Password(Operation::Clear, None),
        reset,
        Call::ListServers {
            limit: 5,
            cursor: None,
        },
    ];
    let send_via = |endpoint: Endpoint, call: &Call| -> Received {
        let target = Target {
            endpoint,
            family: ApiFamily::V1,
            project_id: "p1".into(),
            server_id: "s1".into(),
        };
        let mut request = build(&target, call).unwrap();
        authorize(&mut request, &credentials, Some("p1"), 1_709_208_000);
        let mut builder = ureq::http::Request::builder()
            .method(request.method)
            .uri(request.url.as_str());
        for (name, value) in &request.headers {
            builder = builder.header(name.as_str(), value.as_str());
        }
        let answer = agent
            .run(builder.body(request.body.clone()).unwrap())
            .unwrap();
        assert_eq!(answer.status(), 201);
        upstream.seen().pop().unwrap()
    };
    for call in &calls {
        let behind = Endpoint::via_proxy(&proxy_endpoint, &upstream_endpoint).unwrap();
        let r = send_via(behind, call);
        assert!(
            r.target.starts_with("/base/v1/p1/cloudservers/"),
            "{}",
            r.target
        );
        assert!(signature_holds(&r, &keys), "{call:?}: {r:?}");
        // Signed for the proxy's own URL, the upstream refuses it: the check can fail.
        let r = send_via(Endpoint::parse(&proxy_endpoint).unwrap(), call);
        assert!(!signature_holds(&r, &keys), "{call:?}");
    }
    assert!(!server.output().contains("SK-EXAMPLE-NOT-REAL"));
}

#[test]
fn no_request_can_steer_the_proxy_elsewhere() {
    let upstream = scripted();
    let elsewhere = scripted();
    let root = site();
    std::fs::write(root.join("www/evil.txt"), "static").unwrap();
    let prefix = format!("/proxy/nova={}/v2.1", upstream.url);
    let server = start(&root, &["--upstream", &prefix]);
    let evil = elsewhere.address.as_str();
    for target in [
        "/proxy/nova/../evil.txt",
        "/proxy/nova/..",
        "/proxy/nova/%2e%2e/evil.txt",
        "/proxy/nova/.%2E/evil.txt",
        "/proxy/nova/%2E%2E%2Fevil.txt",
        "/proxy/nova/./servers",
        "/proxy/nova/servers/%2f..%2f..%2fx",
        "/proxy/nova/a%5c..%5cx",
        "/proxy/nova/a\\..\\x",
        "/proxy/nova/@127.0.0.1",
        "/proxy/nova/a%40127.0.0.1",
        "/proxy/nova//127.0.0.1/x",
        "/proxy/nova/%00",
        "/proxy/nova/%zz",
    ] {
        let answer = send(&server, "GET", target, &[], b"");
        assert_eq!(answer.status, 400, "{target}: {}", answer.text());
        assert_eq!(answer.code(), "PROXY_PATH_INVALID", "{target}");
    }
    // Not the prefix at all: the static site answers, never the upstream.
    for target in [
        "/proxy/nova@127.0.0.1/servers",
        "/proxy/novax/servers",
        "/proxy/%6eova/servers",
        "/proxy/x/../nova/servers",
    ] {
        let answer = send(&server, "GET", target, &[], b"");
        assert_eq!(answer.status, 404, "{target}: {}", answer.text());
    }
    // A request target that names a host (absolute form) is refused: another host by serve's
    // Host rule, its own by the proxy (which takes paths only).
    let answer = raw(
        &server,
        &format!("GET http://{evil}/proxy/nova/servers HTTP/1.1\r\nHost: {evil}"),
        b"",
    );
    assert_eq!(
        (answer.status, answer.code().as_str()),
        (421, "HOST_NOT_ALLOWED")
    );
    let own = server.url.trim_start_matches("http://");
    let answer = raw(
        &server,
        &format!("GET http://{own}/proxy/nova/servers HTTP/1.1\r\nHost: {own}"),
        b"",
    );
    assert_eq!(
        (answer.status, answer.code().as_str()),
        (400, "PROXY_REQUEST_INVALID")
    );
    // Methods beyond the seven are refused.
    for method in ["TRACE", "PROPFIND"] {
        let answer = send(&server, method, "/proxy/nova/servers", &[], b"");
        assert_eq!(answer.status, 405, "{method}");
        assert_eq!(answer.code(), "PROXY_METHOD_NOT_ALLOWED");
        assert!(answer.header("allow").unwrap().contains("PATCH"));
    }
    assert!(upstream.seen().is_empty(), "{:?}", upstream.seen());

    // Host and X-Forwarded-Host do not choose the host; the upstream gets its own. (A Host that
    // is not serve's own is refused before the proxy.)
    let address = server.url.trim_start_matches("http://").to_owned();
    for host in [evil.to_owned(), format!("{address}@{evil}")] {
        let answer = raw(
            &server,
            &format!("GET /proxy/nova/servers HTTP/1.1\r\nHost: {host}"),
            b"",
        );
        assert_eq!(answer.status, 421, "{host}");
    }
    let answer = raw(
        &server,
        &format!(
            "GET /proxy/nova/servers HTTP/1.1\r\nHost: {address}\r\nX-Forwarded-Host: {evil}\r\nForwarded: host={evil}"
        ),
        b"",
    );
    assert_eq!(answer.status, 201);
    let r = upstream.seen().pop().unwrap();
    assert_eq!(
        (r.target.as_str(), r.header("host")),
        ("/v2.1/servers", Some(upstream.address.as_str()))
    );
    assert!(elsewhere.seen().is_empty(), "{:?}", elsewhere.seen());

    // The discovery document names the upstream (for signing).
    let answer = send(&server, "GET", "/_proxy", &[], b"");
    let json: serde_json::Value = serde_json::from_slice(&answer.body).unwrap();
    assert_eq!(json["upstreams"][0]["prefix"], "/proxy/nova");
    assert_eq!(
        json["upstreams"][0]["upstream"],
        format!("{}/v2.1", upstream.url)
    );
    assert!(answer.header("content-security-policy").is_some());
}

#[test]
fn bodies_are_limited_both_ways() {
    let upstream = scripted();
    let root = site();
    let prefix = format!("/p={}", upstream.url);
    let server = start(&root, &["--upstream", &prefix]);
    let address = server.url.trim_start_matches("http://").to_owned();
    // The limit itself passes, both ways.
    let body = vec![b'x'; MAX_BODY_BYTES];
    let answer = send(&server, "PUT", "/p/upload", &[], &body);
    assert_eq!(answer.status, 201);
    assert_eq!(upstream.seen().pop().unwrap().body.len(), MAX_BODY_BYTES);
    let answer = send(&server, "GET", "/p/exact", &[], b"");
    assert_eq!((answer.status, answer.body.len()), (200, MAX_BODY_BYTES));
    let before = upstream.seen().len();

    // One byte more is refused, announced or not.
    let answer = raw(
        &server,
        &format!(
            "PUT /p/upload HTTP/1.1\r\nHost: {address}\r\nContent-Length: {}",
            MAX_BODY_BYTES + 1
        ),
        b"",
    );
    assert_eq!(
        (answer.status, answer.code().as_str()),
        (413, "PROXY_REQUEST_TOO_LARGE")
    );
    let mut chunked = Vec::new();
    for _ in 0..4 {
        chunked.extend_from_slice(format!("{:x}\r\n", 1 << 20).as_bytes());
        chunked.extend_from_slice(&vec![b'x'; 1 << 20]);
        chunked.extend_from_slice(b"\r\n");
    }
    chunked.extend_from_slice(b"1\r\nx\r\n0\r\n\r\n");
    let answer = raw(
        &server,
        &format!("PUT /p/upload HTTP/1.1\r\nHost: {address}\r\nTransfer-Encoding: chunked"),
        &chunked,
    );
    assert_eq!(
        (answer.status, answer.code().as_str()),
        (413, "PROXY_REQUEST_TOO_LARGE")
    );
    assert_eq!(
        upstream.seen().len(),
        before,
        "a too large body reached the upstream"
    );

    for path in ["/p/big", "/p/big-chunked"] {
        let answer = send(&server, "GET", path, &[("X-Request-Id", "r-big")], b"");
        assert_eq!(answer.status, 502, "{path}");
        assert_eq!(answer.code(), "PROXY_RESPONSE_TOO_LARGE");
        assert_eq!(answer.header("x-request-id"), Some("r-big"));
    }
}

#[test]
fn slow_dead_and_busy_upstreams() {
    let upstream = scripted();
    let closed = TcpListener::bind("127.0.0.1:0").unwrap();
    let dead = format!("/dead=http://{}", closed.local_addr().unwrap());
    drop(closed);
    let root = site();
    let slow = format!("/slow={}", upstream.url);
    let server = start(
        &root,
        &[
            "--upstream",
            &slow,
            "--upstream",
            &dead,
            "--upstream-timeout",
            "1",
        ],
    );
    for path in ["/slow/slow", "/slow/stall"] {
        let started = Instant::now();
        let answer = send(&server, "GET", path, &[], b"");
        assert_eq!(
            (answer.status, answer.code().as_str()),
            (504, "PROXY_TIMEOUT"),
            "{path}"
        );
        assert!(
            started.elapsed() < Duration::from_millis(2800),
            "{path}: {:?}",
            started.elapsed()
        );
    }
    let answer = send(&server, "GET", "/dead/v1", &[], b"");
    assert_eq!(
        (answer.status, answer.code().as_str()),
        (502, "PROXY_UNREACHABLE")
    );

    // More than 64 at once: the rest are told to come back. The upstream holds every request
    // until the refusals are in (a fixed hold of 1.5 s let callers that a loaded machine started
    // late find places already free again).
    let gate = Arc::new((Mutex::new(false), Condvar::new()));
    let held = gate.clone();
    let holding = Upstream::start(move |r, stream| {
        let (open, opened) = &*held;
        let closed = open.lock().unwrap();
        drop(opened.wait_timeout_while(closed, Duration::from_secs(30), |open| !*open));
        respond(r, stream, "200 OK", &[], b"done");
    });
    let busy = Arc::new(start(
        &root,
        &["--upstream", &format!("/b={}", holding.url)],
    ));
    let (places, callers) = (64, 72);
    let answered = Arc::new(AtomicUsize::new(0));
    let threads: Vec<_> = (0..callers)
        .map(|_| {
            let (busy, answered) = (busy.clone(), answered.clone());
            std::thread::spawn(move || {
                let a = send(&busy, "GET", "/b/busy", &[], b"");
                answered.fetch_add(1, Ordering::SeqCst);
                (a.status, a.header("retry-after").map(str::to_owned))
            })
        })
        .collect();
    // While 64 are held, only a refusal can end a call: wait for the others, then let go.
    common::wait_until(Duration::from_secs(30), || {
        answered.load(Ordering::SeqCst) >= callers - places
    });
    *gate.0.lock().unwrap() = true;
    gate.1.notify_all();
    let statuses: Vec<_> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    let ok = statuses.iter().filter(|(s, _)| *s == 200).count();
    let refused = statuses
        .iter()
        .filter(|(s, r)| *s == 503 && r.as_deref() == Some("1"))
        .count();
    assert_eq!((ok, refused), (places, callers - places), "{statuses:?}");
}

/// Runs `serve` with `args`, which must make it stop at start-up: its exit code and stderr.
fn serve_refused(root: &std::path::Path, args: &[&str]) -> (Option<i32>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_ecs-password"))
        .args(["serve", "--listen", "127.0.0.1:0", "--root"])
        .arg(root)
        .args(args)
        .output()
        .unwrap();
    (out.status.code(), String::from_utf8(out.stderr).unwrap())
}

#[test]
fn bad_upstream_options_are_usage_errors() {
    let root = site();
    let run = |args: &[&str]| serve_refused(&root, args);
    for (args, says) in [
        (&["--upstream", "https://ecs.example.com"][..], "no '='"),
        (
            &["--upstream", "proxy=https://ecs.example.com"],
            "must start with '/'",
        ),
        (&["--upstream", "/a/../b=https://ecs.example.com"], "'..'"),
        (&["--upstream", "/=https://ecs.example.com"], "whole site"),
        (
            &["--upstream", "/pkg=https://ecs.example.com"],
            "overlaps /pkg",
        ),
        (
            &["--upstream", "/v2.1/x=https://ecs.example.com"],
            "overlaps /v2.1",
        ),
        (
            &["--upstream", "/demo=https://ecs.example.com"],
            "overlaps /demo",
        ),
        (
            &["--upstream", "/_emulator=https://ecs.example.com"],
            "overlaps /_emulator",
        ),
        (
            &["--upstream", "/compute=https://ecs.example.com"],
            "overlaps /compute",
        ),
        // The emulator's Keystone and IAM (merging a route there would have crashed serve).
        (
            &["--upstream", "/identity=https://ecs.example.com"],
            "overlaps /identity",
        ),
        (
            &["--upstream", "/v3=https://ecs.example.com"],
            "overlaps /v3",
        ),
        (&["--upstream", "/a%2e=https://ecs.example.com"], "only"),
        (
            &["--upstream", "/p=http://ecs.example.com"],
            "only loopback may use http",
        ),
        (
            &["--upstream", "/p=https://user:pw@ecs.example.com"],
            "user name or password",
        ),
        (&["--upstream", "/p=https://ecs.example.com/?a=1"], "query"),
        (&["--upstream", "/p=https://ecs.example.com/#f"], "fragment"),
        (&["--upstream", "/p=ftp://ecs.example.com"], "https"),
        (
            &[
                "--upstream",
                "/p=https://a.example.com",
                "--upstream",
                "/p/=https://b.example.com",
            ],
            "given twice",
        ),
        (
            &[
                "--upstream",
                "/p=https://a.example.com",
                "--upstream",
                "/p/q=https://b.example.com",
            ],
            "overlaps another",
        ),
        (&["--upstream-timeout", "0"], "from 1 to 3600"),
        (&["--upstream-timeout", "soon"], "invalid value"),
    ] {
        let (code, stderr) = run(args);
        assert_eq!(code, Some(1), "{args:?}: {stderr}");
        assert!(stderr.contains("error[USAGE]"), "{args:?}: {stderr}");
        assert!(stderr.contains(says), "{args:?}: {stderr}");
    }
}

#[test]
fn slow_request_bodies_do_not_starve_the_proxy() {
    let upstream = scripted();
    let root = site();
    let prefix = format!("/p={}", upstream.url);
    let server = start(&root, &["--upstream", &prefix, "--body-timeout", "2"]);
    let address = server.url.trim_start_matches("http://").to_owned();
    // 64 bodies that trickle (one byte, then nothing): as many as the proxy has places.
    let slow: Vec<TcpStream> = (0..64)
        .map(|_| {
            let mut s = TcpStream::connect(&address).unwrap();
            write!(
                s,
                "POST /p/upload HTTP/1.1\r\nHost: {address}\r\nContent-Length: 100\r\n\r\nx"
            )
            .unwrap();
            s
        })
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    // Ordinary callers are still served at once.
    for _ in 0..3 {
        let started = Instant::now();
        let answer = send(&server, "GET", "/p/ok", &[], b"");
        assert_eq!(answer.status, 201, "{}", answer.text());
        assert!(started.elapsed() < Duration::from_secs(1));
    }
    // And each slow body is cut off at the deadline, never forwarded.
    let first = slow.into_iter().next().unwrap();
    first
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let mut reader = BufReader::new(first);
    let (status, _) = read_head(&mut reader).expect("an answer");
    assert!(status.starts_with("HTTP/1.1 408"), "{status}");
    assert!(upstream
        .seen()
        .iter()
        .all(|r| !r.target.ends_with("/upload")));
}

#[test]
fn proxied_answers_are_sandboxed_and_not_stored() {
    let upstream = scripted();
    let root = site();
    let prefix = format!("/p={}", upstream.url);
    let server = start(&root, &["--upstream", &prefix]);
    let page = send(&server, "GET", "/p/page", &[], b"");
    assert_eq!(page.status, 200);
    let csps: Vec<&str> = page
        .headers
        .iter()
        .filter(|(n, _)| n == "content-security-policy")
        .map(|(_, v)| v.as_str())
        .collect();
    assert!(csps.contains(&"sandbox"), "{:?}", page.headers);
    assert!(
        !csps.iter().any(|c| c.contains("script-src 'self'")),
        "the page's own policy on a proxied answer: {csps:?}"
    );
    assert_eq!(page.header("refresh"), None);
    assert_eq!(page.header("cache-control"), Some("no-store"));
    assert_eq!(page.header("x-content-type-options"), Some("nosniff"));
    // Headers of the page's own, not the upstream's, are not added.
    for name in [
        "cross-origin-opener-policy",
        "cross-origin-resource-policy",
        "referrer-policy",
    ] {
        assert_eq!(page.header(name), None, "{name}");
    }
    let cached = send(&server, "GET", "/p/cached", &[], b"");
    assert_eq!(cached.header("cache-control"), Some("max-age=60"));
    // The proxy's own errors are sandboxed and not stored too.
    let refused = send(&server, "GET", "/p/a/../b", &[], b"");
    assert_eq!(refused.status, 400);
    assert_eq!(refused.header("cache-control"), Some("no-store"));
    assert_eq!(refused.header("content-security-policy"), Some("sandbox"));
}

// ---------------------------------------------------------------------------------------------
// `--cloud PRESET`: the routes of one cloud, and compute routes learned from Keystone's catalog.

/// `GET /_proxy`, as JSON.
fn listing(server: &Server) -> serde_json::Value {
    let answer = send(server, "GET", "/_proxy", &[], b"");
    assert_eq!(answer.status, 200, "{}", answer.text());
    serde_json::from_slice(&answer.body).unwrap()
}

/// The prefixes and upstreams `GET /_proxy` lists, learned ones marked with `*`.
fn routes(server: &Server) -> Vec<(String, String)> {
    listing(server)["upstreams"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            let mark = if u["learned"] == true { "*" } else { "" };
            (
                format!("{}{mark}", u["prefix"].as_str().unwrap()),
                u["upstream"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// What the server printed once `line` has appeared (the start-up lines come after the first).
fn printed(server: &Server, line: &str) -> String {
    common::wait_until(Duration::from_secs(10), || server.output().contains(line));
    server.output()
}

#[test]
fn a_region_preset_routes_to_its_iam_and_ecs() {
    let root = site();
    let server = start(&root, &["--cloud", "otc:eu-de", "--no-emulator"]);
    assert_eq!(
        routes(&server),
        [
            (
                "/proxy/identity".to_owned(),
                "https://iam.eu-de.otc.t-systems.com/".to_owned()
            ),
            (
                "/proxy/ecs".to_owned(),
                "https://ecs.eu-de.otc.t-systems.com/".to_owned()
            ),
        ]
    );
    assert_eq!(
        listing(&server)["cloud"],
        serde_json::json!({
            "kind": "otc", "region": "eu-de",
            "identity": "/proxy/identity",
            "identityUpstream": "https://iam.eu-de.otc.t-systems.com/",
            "compute": "/proxy/ecs",
            "computeUpstream": "https://ecs.eu-de.otc.t-systems.com/",
            "kps": null, "kpsUpstream": null,
        })
    );
    let out = printed(&server, "Cloud:");
    for line in [
        format!(
            "Proxying {}/proxy/identity/ to https://iam.eu-de.otc.t-systems.com/ (time limit 30 s)",
            server.url
        ),
        format!(
            "Proxying {}/proxy/ecs/ to https://ecs.eu-de.otc.t-systems.com/ (time limit 30 s)",
            server.url
        ),
        format!(
            "Cloud: Open Telekom Cloud eu-de (sign-in {0}/proxy/identity/, servers {0}/proxy/ecs/)",
            server.url
        ),
    ] {
        assert!(out.lines().any(|l| l == line), "{line:?} not in {out}");
    }

    // Beside --upstream routes and the emulator; Huawei Cloud Europe is under its own domain.
    let upstream = scripted();
    let nova = format!("/proxy/nova={}/v2.1", upstream.url);
    let server = start(
        &root,
        &["--cloud", "huaweicloud:eu-west-101", "--upstream", &nova],
    );
    let json = listing(&server);
    assert_eq!(json["cloud"]["kind"], "huaweicloud");
    assert_eq!(json["cloud"]["region"], "eu-west-101");
    assert_eq!(
        json["cloud"]["computeUpstream"],
        "https://ecs.eu-west-101.myhuaweicloud.eu/"
    );
    assert_eq!(
        routes(&server)
            .iter()
            .map(|(p, _)| p.as_str())
            .collect::<Vec<_>>(),
        ["/proxy/identity", "/proxy/ecs", "/proxy/nova"]
    );
    assert_eq!(
        send(&server, "GET", "/proxy/nova/servers", &[], b"").status,
        201
    );
    assert_eq!(send(&server, "GET", "/demo", &[], b"").status, 200);
    assert!(printed(&server, "Cloud:").contains("Cloud: Huawei Cloud eu-west-101 ("));

    // A region with the Key Pair Service: /proxy/kms to it, in the listing and the start-up line.
    let server = start(
        &root,
        &["--cloud", "huaweicloud:cn-north-4", "--no-emulator"],
    );
    let kms = "https://kms.cn-north-4.myhuaweicloud.com/";
    assert_eq!(
        routes(&server).last(),
        Some(&("/proxy/kms".to_owned(), kms.to_owned()))
    );
    let json = listing(&server);
    assert_eq!(json["cloud"]["kps"], "/proxy/kms");
    assert_eq!(json["cloud"]["kpsUpstream"], kms);
    assert!(printed(&server, "Cloud:")
        .contains(&format!("keys the cloud holds {}/proxy/kms/)", server.url)));

    // Without --cloud, the field is there and null.
    let plain = start(&root, &["--upstream", &nova]);
    assert_eq!(listing(&plain)["cloud"], serde_json::Value::Null);
}

#[test]
fn bad_cloud_presets_are_usage_errors() {
    let root = site();
    let run = |args: &[&str]| serve_refused(&root, args);
    for (args, says) in [
        (&["--cloud", "aws:us-east-1"][..], "huaweicloud:REGION"),
        (&["--cloud", "eu-de"], "openstack:AUTH_URL"),
        (
            &["--cloud", "otc:cn-north-4"],
            "its known regions are eu-de, eu-nl",
        ),
        (&["--cloud", "huaweicloud:mars-1"], "cn-north-4"),
        (&["--cloud", "otc:"], "eu-de"),
        (
            &["--cloud", "openstack:http://keystone.example.com:5000/v3"],
            "only loopback may use http",
        ),
        (
            &["--cloud", "openstack:https://u:p@keystone.example.com/v3"],
            "user name or password",
        ),
        (&["--cloud", "openstack:"], "auth URL"),
        (
            &[
                "--cloud",
                "otc:eu-de",
                "--upstream",
                "/proxy/ecs=https://ecs.example.com",
            ],
            "given twice (/proxy/ecs, a route of --cloud otc:eu-de)",
        ),
        (
            &[
                "--cloud",
                "openstack:https://keystone.example.com/v3",
                "--upstream",
                "/proxy/catalog/0=https://nova.example.com",
            ],
            "overlaps another (/proxy/catalog, a route of --cloud",
        ),
        (
            &["--cloud", "otc:eu-de", "--cloud", "otc:eu-nl"],
            "cannot be used multiple times",
        ),
    ] {
        let (code, stderr) = run(args);
        assert_eq!(code, Some(1), "{args:?}: {stderr}");
        assert!(stderr.contains("error[USAGE]"), "{args:?}: {stderr}");
        assert!(stderr.contains(says), "{args:?}: {stderr}");
    }
}

/// A Keystone that answers `POST .../auth/tokens` with a catalog: `{"fail": true}` gets a 401
/// (with a catalog anyway), `{"many": K}` ten compute endpoints numbered from `10 * K`, anything
/// else the catalog of `compute_url` and of endpoints that must not be learned.
fn fake_keystone(compute_url: String) -> Upstream {
    Upstream::start(move |r, stream| {
        let body: serde_json::Value = serde_json::from_slice(&r.body).unwrap_or_default();
        let endpoint = |kind: &str, url: &str| {
            serde_json::json!({"type": kind, "name": kind, "endpoints": [
                {"interface": "public", "region_id": "RegionOne", "url": url}
            ]})
        };
        let catalog: Vec<serde_json::Value> = if let Some(k) = body["many"].as_u64() {
            (0..10)
                .map(|i| endpoint("compute", &format!("{compute_url}/c{}", 10 * k + i)))
                .collect()
        } else {
            let address = compute_url.trim_start_matches("http://");
            vec![
                endpoint("identity", "http://127.0.0.1:9/identity"),
                endpoint("compute", "http://nova.example.com:8774/v2.1"),
                endpoint("compute", &format!("http://admin:secret@{address}/v2.1")),
                endpoint("compute", &format!("{compute_url}/v2.1/p1")),
            ]
        };
        let status = if body["fail"] == true {
            "401 Unauthorized"
        } else {
            "201 Created"
        };
        let answer = serde_json::json!({"token": {"catalog": catalog}}).to_string();
        respond(
            r,
            stream,
            status,
            &[
                ("Content-Type", "application/json"),
                ("X-Subject-Token", "TOKEN-1"),
            ],
            answer.as_bytes(),
        );
    })
}

#[test]
fn openstack_compute_routes_are_learned_from_the_catalog() {
    let compute = scripted();
    let keystone = fake_keystone(compute.url.clone());
    let root = site();
    let auth_url = format!("openstack:{}/v3", keystone.url);
    let server = start(&root, &["--cloud", &auth_url, "--no-emulator"]);
    let root_url = format!("{}/", keystone.url);
    assert_eq!(
        routes(&server),
        [("/proxy/identity".to_owned(), root_url.clone())]
    );
    assert_eq!(
        listing(&server)["cloud"],
        serde_json::json!({
            "kind": "openstack", "region": null,
            "identity": "/proxy/identity", "identityUpstream": root_url,
            "compute": null, "computeUpstream": null,
            "kps": null, "kpsUpstream": null,
        })
    );
    assert!(printed(&server, "Cloud:").contains(&format!(
        "Cloud: OpenStack at {root_url} (sign-in {}/proxy/identity/; compute endpoints are learned",
        server.url
    )));
    // Nothing learned yet.
    let early = send(
        &server,
        "GET",
        "/proxy/catalog/0/servers",
        &[("X-Request-Id", "r-0")],
        b"",
    );
    assert_eq!(
        (early.status, early.code().as_str()),
        (404, "PROXY_ROUTE_UNKNOWN")
    );
    assert_eq!(early.header("x-request-id"), Some("r-0"));
    assert_eq!(early.header("content-security-policy"), Some("sandbox"));

    // A failed sign-in, and a GET of the same path, teach nothing.
    let tokens = "/proxy/identity/v3/auth/tokens";
    assert_eq!(
        send(&server, "POST", tokens, &[], br#"{"fail": true}"#).status,
        401
    );
    assert_eq!(send(&server, "GET", tokens, &[], b"").status, 201);
    assert_eq!(routes(&server).len(), 1);

    // A sign-in through the proxy: the auth URL's v3 is not doubled, and the loopback compute
    // endpoint (only it: not the identity service, plain http elsewhere or credentials) is learned.
    let signed_in = send(&server, "POST", tokens, &[], br#"{"auth": {}}"#);
    assert_eq!(signed_in.status, 201, "{}", signed_in.text());
    assert_eq!(signed_in.header("x-subject-token"), Some("TOKEN-1"));
    assert_eq!(keystone.seen().last().unwrap().target, "/v3/auth/tokens");
    let learned = (
        "/proxy/catalog/0*".to_owned(),
        format!("{}/v2.1/p1", compute.url),
    );
    assert_eq!(
        routes(&server),
        [
            ("/proxy/identity".to_owned(), root_url.clone()),
            learned.clone()
        ]
    );
    // Signing in again learns nothing new.
    send(&server, "POST", tokens, &[], br#"{"auth": {}}"#);
    assert_eq!(routes(&server).len(), 2);

    // The learned route forwards as an --upstream one does.
    let answer = send(
        &server,
        "GET",
        "/proxy/catalog/0/servers/x/os-server-password?a=1",
        &[("X-Auth-Token", "TOKEN-1")],
        b"",
    );
    assert_eq!(answer.status, 201, "{}", answer.text());
    assert_eq!(answer.header("content-security-policy"), Some("sandbox"));
    let r = compute.seen().pop().unwrap();
    assert_eq!(r.target, "/v2.1/p1/servers/x/os-server-password?a=1");
    assert_eq!(r.header("x-auth-token"), Some("TOKEN-1"));
    assert_eq!(r.header("host"), Some(compute.address.as_str()));
    let escape = send(&server, "GET", "/proxy/catalog/0/../../x", &[], b"");
    assert_eq!(
        (escape.status, escape.code().as_str()),
        (400, "PROXY_PATH_INVALID")
    );
    assert_eq!(
        send(&server, "GET", "/proxy/catalog/1/servers", &[], b"").code(),
        "PROXY_ROUTE_UNKNOWN"
    );

    // The cap: 32 routes at most, said once.
    for k in 0..5 {
        let body = format!(r#"{{"many": {k}}}"#);
        assert_eq!(
            send(&server, "POST", tokens, &[], body.as_bytes()).status,
            201
        );
    }
    let all = routes(&server);
    assert_eq!(all.len(), 1 + 32, "{all:?}");
    assert_eq!(all[1], learned);
    assert_eq!(
        all[32],
        (
            "/proxy/catalog/31*".to_owned(),
            format!("{}/c30", compute.url)
        )
    );
    assert_eq!(
        send(&server, "GET", "/proxy/catalog/32/servers", &[], b"").code(),
        "PROXY_ROUTE_UNKNOWN"
    );
    assert_eq!(
        send(&server, "GET", "/proxy/catalog/31/servers", &[], b"").status,
        201
    );
    assert_eq!(compute.seen().pop().unwrap().target, "/c30/servers");
    let out = printed(&server, "Note: 32 compute endpoints");
    assert_eq!(
        out.matches("Note: 32 compute endpoints").count(),
        1,
        "{out}"
    );
}

#[test]
fn the_emulators_keystone_through_a_second_serve() {
    // The cloud: a serve with the emulator (Keystone at /identity, Nova at /compute).
    let root = site();
    let cloud = start(&root, &[]);
    // The page's server: nothing but the proxy to that Keystone.
    let auth_url = format!("openstack:{}/identity/v3", cloud.url);
    let server = start(&root, &["--cloud", &auth_url, "--no-emulator"]);
    let sign_in = r#"{"auth": {"identity": {"methods": ["password"], "password": {"user": {"name": "admin", "domain": {"name": "demo"}, "password": "demo-password-admin"}}},
        "scope": {"project": {"name": "demo-1", "domain": {"name": "demo"}}}}}"#;
    let signed_in = send(
        &server,
        "POST",
        "/proxy/identity/v3/auth/tokens",
        &[("Content-Type", "application/json")],
        sign_in.as_bytes(),
    );
    assert_eq!(signed_in.status, 201, "{}", signed_in.text());
    let token = signed_in.header("x-subject-token").unwrap().to_owned();
    let project = "0605767f5a80d5762fc1c000cf2b3f95";
    assert_eq!(
        routes(&server)[1],
        (
            "/proxy/catalog/0*".to_owned(),
            format!("{}/compute/v2.1/{project}", cloud.url)
        )
    );
    let got = send(
        &server,
        "GET",
        "/proxy/catalog/0/servers/7c1a5d2e-3b4f-4a6c-8d9e-0f1a2b3c4d01/os-server-password",
        &[("X-Auth-Token", &token)],
        b"",
    );
    assert_eq!(got.status, 200, "{}", got.text());
    let json: serde_json::Value = serde_json::from_slice(&got.body).unwrap();
    assert!(!json["password"].as_str().unwrap().is_empty(), "{json}");
}
