#![cfg(not(target_arch = "wasm32"))]
//! The blocking client over a fake transport: auth headers, retries (and never for a reset),
//! timeouts, and waiting for a password that is not posted yet.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed assumption in a test is a failed test

use ecs_password::api::auth::Credentials;
use ecs_password::api::client::{Client, Transport, TransportError};
use ecs_password::api::http::{HttpRequest, HttpResponse};
use ecs_password::api::request::{Call, Endpoint, ResetBody, Target};
use ecs_password::api::response::Answer;
use ecs_password::api::retry::{PollPolicy, RetryPolicy};
use ecs_password::api::signer::AkSk;
use ecs_password::permission::{ApiFamily, Operation};
use ecs_password::ErrorCode;
use std::collections::VecDeque;

/// Answers from a script; time passes only when the client sleeps.
struct Fake {
    script: VecDeque<Result<HttpResponse, TransportError>>,
    sent: Vec<HttpRequest>,
    slept: Vec<u64>,
    clock_ms: u64,
}

impl Fake {
    fn new(script: Vec<Result<HttpResponse, TransportError>>) -> Self {
        Fake {
            script: script.into(),
            sent: vec![],
            slept: vec![],
            clock_ms: 0,
        }
    }
}

impl Transport for Fake {
    fn send(
        &mut self,
        request: &HttpRequest,
        _timeout_ms: u64,
    ) -> Result<HttpResponse, TransportError> {
        self.sent.push(request.clone());
        self.script
            .pop_front()
            .expect("the client sent more requests than scripted")
    }
    fn sleep(&mut self, ms: u64) {
        self.slept.push(ms);
        self.clock_ms += ms;
    }
    fn now_unix(&self) -> u64 {
        1_700_000_000
    }
    fn now_ms(&self) -> u64 {
        self.clock_ms
    }
    fn random(&mut self) -> f64 {
        0.5
    }
}

fn ok(status: u16, body: &str) -> Result<HttpResponse, TransportError> {
    Ok(HttpResponse {
        status,
        headers: vec![],
        body: body.as_bytes().to_vec(),
    })
}

fn with_header(status: u16, name: &str, value: &str) -> Result<HttpResponse, TransportError> {
    Ok(HttpResponse {
        status,
        headers: vec![(name.into(), value.into())],
        body: vec![],
    })
}

fn target() -> Target {
    Target {
        endpoint: Endpoint::parse("https://ecs.example.com").unwrap(),
        family: ApiFamily::V1,
        project_id: "p1".into(),
        server_id: "s1".into(),
    }
}

fn client(script: Vec<Result<HttpResponse, TransportError>>) -> Client<Fake> {
    Client {
        transport: Fake::new(script),
        credentials: Credentials::Token("tok-123".to_string().into()),
        retry: RetryPolicy::default(),
    }
}

const GET: Call = Call::Password(Operation::Get, None);

#[test]
fn token_and_aksk_headers() {
    let mut c = client(vec![ok(200, r#"{"password": "QUJD"}"#)]);
    assert_eq!(
        c.call(&target(), &GET).unwrap(),
        Answer::Ciphertext {
            ciphertext: "QUJD".into()
        }
    );
    assert_eq!(c.transport.sent[0].header("X-Auth-Token"), Some("tok-123"));

    let mut c = client(vec![ok(200, r#"{"password": "QUJD"}"#)]);
    c.credentials = Credentials::AkSk(AkSk::new("AK1", "SK1", Some("sts-token".into())));
    c.call(&target(), &GET).unwrap();
    let sent = &c.transport.sent[0];
    assert_eq!(sent.header("X-Auth-Token"), None);
    assert_eq!(sent.header("X-Project-Id"), Some("p1"));
    assert_eq!(sent.header("X-Security-Token"), Some("sts-token"));
    assert_eq!(sent.header("X-Sdk-Date"), Some("20231114T221320Z"));
    assert!(sent
        .header("Authorization")
        .unwrap()
        .starts_with("SDK-HMAC-SHA256 Access=AK1, SignedHeaders="));
    assert!(format!("{:?}", c.credentials).find("SK1").is_none());
}

#[test]
fn reads_are_retried_with_backoff_and_retry_after() {
    let mut c = client(vec![
        with_header(503, "X", "y"),
        with_header(429, "Retry-After", "2"),
        Err(TransportError::Network("reset".into())),
        ok(200, r#"{"password": "QUJD"}"#),
    ]);
    assert!(matches!(
        c.call(&target(), &GET).unwrap(),
        Answer::Ciphertext { .. }
    ));
    assert_eq!(c.transport.sent.len(), 4);
    assert_eq!(c.transport.slept, vec![250, 2000, 1000]);

    let mut c = client(vec![with_header(503, "X", "y"); 4]);
    let e = c
        .call(&target(), &Call::Password(Operation::Clear, None))
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::CloudUnavailable);
    assert_eq!(c.transport.sent.len(), 4, "max attempts");
}

#[test]
fn a_reset_is_never_retried() {
    let reset = Call::Password(
        Operation::Reset,
        Some(ResetBody {
            new_password: "Xy7!abcdEF".to_string().into(),
            check_complexity: false,
        }),
    );
    for failure in [
        with_header(503, "X", "y"),
        with_header(429, "Retry-After", "1"),
        Err(TransportError::Network("reset".into())),
        Err(TransportError::Timeout),
    ] {
        let mut c = client(vec![failure]);
        let e = c.call(&target(), &reset).unwrap_err();
        assert_eq!(c.transport.sent.len(), 1, "{e}");
        assert!(c.transport.slept.is_empty());
    }
}

#[test]
fn timeouts_and_network_errors_end_clearly() {
    let mut c = client(vec![
        Err(TransportError::Timeout),
        Err(TransportError::Timeout),
        Err(TransportError::Timeout),
        Err(TransportError::Timeout),
    ]);
    let e = c.call(&target(), &GET).unwrap_err();
    assert_eq!(e.code(), ErrorCode::Timeout);
    assert!(e.english().contains("ecs.example.com") && e.chinese().ne(&e.english()));
    let mut c = client(vec![
        Err(TransportError::Network(
            "connection refused".into()
        ));
        4
    ]);
    let e = c.call(&target(), &GET).unwrap_err();
    assert_eq!(e.code(), ErrorCode::NetworkError);
    assert!(e.english().contains("CORS"));
}

#[test]
fn waiting_for_a_password() {
    let mut script = vec![ok(200, r#"{"password": ""}"#); 3];
    script.push(ok(200, r#"{"password": "QUJD"}"#));
    let mut c = client(script);
    let poll = PollPolicy {
        interval_ms: 30_000,
        limit_ms: 600_000,
    };
    assert_eq!(
        c.wait_for_ciphertext(&target(), &poll, &mut || false)
            .unwrap(),
        "QUJD"
    );
    assert_eq!(c.transport.slept, vec![30_000; 3]);

    let mut c = client(vec![ok(200, r#"{"password": ""}"#); 5]);
    let poll = PollPolicy {
        interval_ms: 30_000,
        limit_ms: 100_000,
    };
    let e = c
        .wait_for_ciphertext(&target(), &poll, &mut || false)
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::PasswordNotAvailable);
    assert_eq!(c.transport.slept, vec![30_000, 30_000, 30_000, 10_000]);

    let mut c = client(vec![ok(200, r#"{"password": ""}"#); 5]);
    let mut asks = 0;
    let e = c
        .wait_for_ciphertext(&target(), &PollPolicy::default(), &mut || {
            asks += 1;
            asks > 2
        })
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::Cancelled);

    let mut c = client(vec![ok(
        404,
        r#"{"error": {"code": "Ecs.0114", "message": "x"}}"#,
    )]);
    assert_eq!(
        c.wait_for_ciphertext(&target(), &PollPolicy::default(), &mut || false)
            .unwrap_err()
            .code(),
        ErrorCode::ServerNotFound
    );
}

/// Keys the cloud holds: details first, then one export, the key loaded from the answer.
#[test]
fn a_hosted_key_is_read_from_kps_after_its_details() {
    use ecs_password::api::kps::KpsTarget;
    let kps = KpsTarget {
        endpoint: Endpoint::parse("https://kms.cn-north-4.myhuaweicloud.com").unwrap(),
        project_id: "p1".into(),
    };
    let pem = include_str!("fixtures/rsa2048.pkcs1.pem");
    let public = ecs_password::PrivateKey::load(pem.as_bytes(), None)
        .unwrap()
        .info()
        .public_key_openssh
        .clone();
    let details = |hosted: bool| {
        serde_json::json!({ "keypair": { "name": "kp", "public_key": public, "is_key_protection": hosted } })
            .to_string()
    };
    let exported =
        serde_json::json!({ "keypair": { "name": "kp", "private_key": pem } }).to_string();
    let token = || Credentials::Token(zeroize::Zeroizing::new("t".into()));

    // A 503 on the details is retried; the export is sent once.
    let mut client = Client {
        transport: Fake::new(vec![
            ok(503, ""),
            ok(200, &details(true)),
            ok(200, &exported),
        ]),
        credentials: token(),
        retry: RetryPolicy::default(),
    };
    let key = client.hosted_key(&kps, "kp").unwrap();
    assert_eq!(key.info().public_key_openssh, public);
    let sent: Vec<(&str, &str)> = client
        .transport
        .sent
        .iter()
        .map(|r| (r.method, r.url.path()))
        .collect();
    assert_eq!(
        sent,
        [
            ("GET", "/v3/p1/keypairs/kp"),
            ("GET", "/v3/p1/keypairs/kp"),
            ("POST", "/v3/p1/keypairs/private-key/export")
        ]
    );
    assert_eq!(client.transport.sent[2].header("X-Auth-Token"), Some("t"));

    // Not hosted: nothing is exported.
    let mut client = Client {
        transport: Fake::new(vec![ok(200, &details(false))]),
        credentials: token(),
        retry: RetryPolicy::default(),
    };
    assert_eq!(
        client.hosted_key(&kps, "kp").unwrap_err().code(),
        ErrorCode::KeyNotHosted
    );
    assert_eq!(client.transport.sent.len(), 1);

    // A refused export (the engine would have said so first): FORBIDDEN, not retried.
    let mut client = Client {
        transport: Fake::new(vec![ok(200, &details(true)), ok(503, "")]),
        credentials: token(),
        retry: RetryPolicy::default(),
    };
    assert_eq!(
        client.hosted_key(&kps, "kp").unwrap_err().code(),
        ErrorCode::CloudUnavailable
    );
    assert_eq!(
        client.transport.sent.len(),
        2,
        "an export is never sent twice"
    );
    let mut client = Client {
        transport: Fake::new(vec![
            ok(200, &details(true)),
            ok(
                403,
                r#"{"error_code": "Pdp.0001", "error_msg": "Policy doesn't allow kps:domainKeypairs:exportpk to be performed."}"#,
            ),
        ]),
        credentials: token(),
        retry: RetryPolicy::default(),
    };
    let e = client.hosted_key(&kps, "kp").unwrap_err();
    assert_eq!(e.code(), ErrorCode::Forbidden);
    assert!(e.english().contains("kms:cmk:decryptDataKey"));
}
