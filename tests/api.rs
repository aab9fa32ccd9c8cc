#![cfg(not(target_arch = "wasm32"))]
//! The sans-IO API client: golden requests for every call on every family, and every success and
//! error shape of the answers.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed assumption in a test is a failed test

use ecs_password::api::http::HttpResponse;
use ecs_password::api::request::{build, Call, Endpoint, PageCursor, ResetBody, Target};
use ecs_password::api::response::{parse, Answer};
use ecs_password::permission::{lookup, ApiFamily, Operation};
use ecs_password::ErrorCode;

fn target(family: ApiFamily) -> Target {
    let endpoint = match family {
        ApiFamily::Nova => "https://nova.example.com:8774/v2.1/",
        _ => "https://ecs.example.com",
    };
    Target {
        endpoint: Endpoint::parse(endpoint).unwrap(),
        family,
        project_id: "p1".into(),
        server_id: "s1".into(),
    }
}

fn reset() -> Call {
    Call::Password(
        Operation::Reset,
        Some(ResetBody {
            new_password: "N3w!pass-word".to_string().into(),
            check_complexity: true,
        }),
    )
}

/// (family, call, expected "METHOD URL" or error code, expected body)
#[test]
fn golden_requests() {
    use ApiFamily::*;
    let pw = |op| Call::Password(op, None);
    let cases: Vec<(ApiFamily, Call, &str, Option<&str>)> = vec![
        (
            V1,
            pw(Operation::Get),
            "GET https://ecs.example.com/v1/p1/cloudservers/s1/os-server-password",
            None,
        ),
        (
            V2,
            pw(Operation::Get),
            "GET https://ecs.example.com/v2/p1/servers/s1/os-server-password",
            None,
        ),
        (
            V21,
            pw(Operation::Get),
            "GET https://ecs.example.com/v2.1/p1/servers/s1/os-server-password",
            None,
        ),
        (
            Nova,
            pw(Operation::Get),
            "GET https://nova.example.com:8774/v2.1/servers/s1/os-server-password",
            None,
        ),
        (
            V1,
            pw(Operation::Clear),
            "DELETE https://ecs.example.com/v1/p1/cloudservers/s1/os-server-password",
            None,
        ),
        (
            V2,
            pw(Operation::Clear),
            "DELETE https://ecs.example.com/v2/p1/servers/s1/os-server-password",
            None,
        ),
        (
            V21,
            pw(Operation::Clear),
            "DELETE https://ecs.example.com/v2.1/p1/servers/s1/os-server-password",
            None,
        ),
        (
            Nova,
            pw(Operation::Clear),
            "DELETE https://nova.example.com:8774/v2.1/servers/s1/os-server-password",
            None,
        ),
        (
            V1,
            reset(),
            "PUT https://ecs.example.com/v1/p1/cloudservers/s1/os-reset-password",
            Some(r#"{"reset-password":{"is_check_password":true,"new_password":"N3w!pass-word"}}"#),
        ),
        (
            V21,
            reset(),
            "PUT https://ecs.example.com/v2.1/p1/servers/s1/os-reset-password",
            Some(r#"{"reset-password":{"new_password":"N3w!pass-word"}}"#),
        ),
        (V2, reset(), "OPERATION_UNSUPPORTED", None),
        (Nova, reset(), "OPERATION_UNSUPPORTED", None),
        (V1, pw(Operation::Reset), "OPERATION_UNSUPPORTED", None),
        (
            V1,
            pw(Operation::ResetFlag),
            "GET https://ecs.example.com/v1/p1/cloudservers/s1/os-resetpwd-flag",
            None,
        ),
        (V2, pw(Operation::ResetFlag), "OPERATION_UNSUPPORTED", None),
        (V21, pw(Operation::ResetFlag), "OPERATION_UNSUPPORTED", None),
        (
            Nova,
            pw(Operation::ResetFlag),
            "OPERATION_UNSUPPORTED",
            None,
        ),
        (
            V1,
            Call::ServerDetails,
            "GET https://ecs.example.com/v1/p1/cloudservers/s1",
            None,
        ),
        (
            V2,
            Call::ServerDetails,
            "GET https://ecs.example.com/v2/p1/servers/s1",
            None,
        ),
        (
            V21,
            Call::ServerDetails,
            "GET https://ecs.example.com/v2.1/p1/servers/s1",
            None,
        ),
        (
            Nova,
            Call::ServerDetails,
            "GET https://nova.example.com:8774/v2.1/servers/s1",
            None,
        ),
        (
            V1,
            Call::KeyPair("KeyPair-01".into()),
            "GET https://ecs.example.com/v2.1/p1/os-keypairs/KeyPair-01",
            None,
        ),
        (
            V2,
            Call::KeyPair("kp".into()),
            "GET https://ecs.example.com/v2/p1/os-keypairs/kp",
            None,
        ),
        (
            V21,
            Call::KeyPair("kp".into()),
            "GET https://ecs.example.com/v2.1/p1/os-keypairs/kp",
            None,
        ),
        (
            Nova,
            Call::KeyPair("kp".into()),
            "GET https://nova.example.com:8774/v2.1/os-keypairs/kp",
            None,
        ),
        (V1, Call::KeyPair("../x".into()), "ID_INVALID", None),
        (
            V1,
            Call::ListServers {
                limit: 50,
                cursor: None,
            },
            "GET https://ecs.example.com/v1/p1/cloudservers/detail?limit=50&offset=1",
            None,
        ),
        (
            V1,
            Call::ListServers {
                limit: 5000,
                cursor: Some(PageCursor::Offset(3)),
            },
            "GET https://ecs.example.com/v1/p1/cloudservers/detail?limit=1000&offset=3",
            None,
        ),
        (
            V21,
            Call::ListServers {
                limit: 50,
                cursor: Some(PageCursor::Marker("abc-1".into())),
            },
            "GET https://ecs.example.com/v2.1/p1/servers/detail?limit=50&marker=abc-1",
            None,
        ),
        (
            Nova,
            Call::ListServers {
                limit: 10,
                cursor: None,
            },
            "GET https://nova.example.com:8774/v2.1/servers/detail?limit=10",
            None,
        ),
    ];
    for (family, call, expected, body) in cases {
        match build(&target(family), &call) {
            Ok(request) => {
                assert_eq!(
                    format!("{} {}", request.method, request.url),
                    expected,
                    "{family:?} {call:?}"
                );
                assert_eq!(request.header("Accept"), Some("application/json"));
                match body {
                    Some(body) => {
                        let got: serde_json::Value = serde_json::from_slice(&request.body).unwrap();
                        assert_eq!(
                            got,
                            serde_json::from_str::<serde_json::Value>(body).unwrap(),
                            "{family:?} {call:?}"
                        );
                        assert_eq!(
                            request.header("Content-Type"),
                            Some("application/json;charset=utf8")
                        );
                    }
                    None => assert!(request.body.is_empty()),
                }
            }
            Err(e) => assert_eq!(e.code().as_str(), expected, "{family:?} {call:?}: {e}"),
        }
    }
}

#[test]
fn every_password_request_is_the_one_in_the_permission_table() {
    for family in [ApiFamily::V1, ApiFamily::V2, ApiFamily::V21] {
        for op in Operation::ALL {
            let call = if op == Operation::Reset {
                reset()
            } else {
                Call::Password(op, None)
            };
            let Ok(request) = build(&target(family), &call) else {
                continue;
            };
            let row = lookup(request.method, request.url.path())
                .unwrap_or_else(|| panic!("{family:?} {op:?} not in the table"));
            assert_eq!((row.row.family, row.row.operation), (family, op));
        }
    }
}

#[test]
fn ids_and_endpoints_are_checked() {
    let mut t = target(ApiFamily::V1);
    for bad in ["s1/../../p2", "s1?x=1", "s1#", "%2e%2e", ""] {
        t.server_id = bad.into();
        assert_eq!(
            build(&t, &Call::Password(Operation::Get, None))
                .unwrap_err()
                .code(),
            ErrorCode::IdInvalid,
            "{bad}"
        );
    }
    let mut t = target(ApiFamily::V21);
    t.project_id = "p1/servers".into();
    assert_eq!(
        build(&t, &Call::ServerDetails).unwrap_err().code(),
        ErrorCode::IdInvalid
    );
    // A proxy path in the endpoint is kept, and joined by segments.
    let t = Target {
        endpoint: Endpoint::parse("http://127.0.0.1:8080/proxy/ecs/").unwrap(),
        ..target(ApiFamily::V1)
    };
    let r = build(&t, &Call::Password(Operation::Get, None)).unwrap();
    assert_eq!(
        r.url.as_str(),
        "http://127.0.0.1:8080/proxy/ecs/v1/p1/cloudservers/s1/os-server-password"
    );
}

fn response(status: u16, body: &str, headers: &[(&str, &str)]) -> HttpResponse {
    HttpResponse {
        status,
        headers: headers
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        body: body.as_bytes().to_vec(),
    }
}

#[test]
fn success_shapes() {
    use ApiFamily::*;
    let get = Call::Password(Operation::Get, None);
    assert_eq!(
        parse(&get, V1, &response(200, r#"{"password": "QUJD"}"#, &[])).unwrap(),
        Answer::Ciphertext {
            ciphertext: "QUJD".into()
        }
    );
    for empty in [r#"{"password": ""}"#, r#"{"password": null}"#, "{}"] {
        let e = parse(
            &get,
            V21,
            &response(200, empty, &[("X-Request-Id", "req-1")]),
        )
        .unwrap_err();
        assert_eq!(e.code(), ErrorCode::PasswordNotAvailable, "{empty}");
        assert!(e.chinese().contains("尚未上报"));
        assert_eq!(
            e.cloud_details().unwrap().request_id.as_deref(),
            Some("req-1")
        );
    }
    assert_eq!(
        parse(
            &Call::Password(Operation::Clear, None),
            V1,
            &response(204, "", &[])
        )
        .unwrap(),
        Answer::Done
    );
    assert_eq!(
        parse(&reset(), V21, &response(202, "", &[])).unwrap(),
        Answer::Done
    );
    let flag = Call::Password(Operation::ResetFlag, None);
    assert_eq!(
        parse(
            &flag,
            V1,
            &response(200, r#"{"resetpwd_flag": "True"}"#, &[])
        )
        .unwrap(),
        Answer::ResetFlag { supported: true }
    );
    assert_eq!(
        parse(
            &flag,
            V1,
            &response(200, r#"{"resetpwd_flag": "False"}"#, &[])
        )
        .unwrap(),
        Answer::ResetFlag { supported: false }
    );
    assert_eq!(
        parse(
            &flag,
            V1,
            &response(200, r#"{"resetpwd_flag": "maybe"}"#, &[])
        )
        .unwrap_err()
        .code(),
        ErrorCode::ResponseInvalid
    );

    let server = r#"{"server": {"id": "s1", "name": "win-01", "status": "ACTIVE", "key_name": "kp", "metadata": {"os_type": "Windows"}, "enterprise_project_id": "ep1"}}"#;
    match parse(&Call::ServerDetails, V1, &response(200, server, &[])).unwrap() {
        Answer::Server(s) => {
            assert_eq!(
                (
                    s.id.as_str(),
                    s.key_name.as_deref(),
                    s.os_type.as_deref(),
                    s.enterprise_project_id.as_deref()
                ),
                ("s1", Some("kp"), Some("Windows"), Some("ep1"))
            );
            assert_eq!((s.created, s.launched_at), (None, None));
            assert!(s.tags.is_empty());
        }
        other => panic!("{other:?}"),
    }
    // Tags, for choosing servers by tag: ECS v1 writes `key=value`, Nova plain strings; anything
    // that is not a string is skipped.
    let server = r#"{"server": {"id": "s1", "tags": ["env=prod", "web", 7, null]}}"#;
    match parse(&Call::ServerDetails, V1, &response(200, server, &[])).unwrap() {
        Answer::Server(s) => assert_eq!(s.tags, ["env=prod", "web"]),
        other => panic!("{other:?}"),
    }
    // The times the diagnosis reads (api::diagnosis), as Nova and ECS write them.
    let server = r#"{"server": {"id": "s1", "created": "2026-01-01T00:00:00Z", "OS-SRV-USG:launched_at": "2026-01-01T00:01:02.000000"}}"#;
    match parse(&Call::ServerDetails, V21, &response(200, server, &[])).unwrap() {
        Answer::Server(s) => assert_eq!(
            (s.created.as_deref(), s.launched_at.as_deref()),
            (
                Some("2026-01-01T00:00:00Z"),
                Some("2026-01-01T00:01:02.000000")
            )
        ),
        other => panic!("{other:?}"),
    }
    let keypair =
        r#"{"keypair": {"name": "kp", "public_key": "ssh-rsa AAAA x", "fingerprint": "c2:38"}}"#;
    assert!(
        matches!(parse(&Call::KeyPair("kp".into()), V21, &response(200, keypair, &[])).unwrap(), Answer::KeyPair(k) if k.fingerprint.as_deref() == Some("c2:38"))
    );

    let v1_page = r#"{"count": 3, "servers": [{"id": "a"}, {"id": "b"}]}"#;
    let list = Call::ListServers {
        limit: 2,
        cursor: None,
    };
    match parse(&list, V1, &response(200, v1_page, &[])).unwrap() {
        Answer::Servers(p) => assert_eq!(
            (p.servers.len(), p.next, p.total),
            (2, Some(PageCursor::Offset(2)), Some(3))
        ),
        other => panic!("{other:?}"),
    }
    let last_page = Call::ListServers {
        limit: 2,
        cursor: Some(PageCursor::Offset(2)),
    };
    assert!(
        matches!(parse(&last_page, V1, &response(200, r#"{"count": 3, "servers": [{"id": "c"}]}"#, &[])).unwrap(), Answer::Servers(p) if p.next.is_none())
    );
    let native = r#"{"servers": [{"id": "a"}, {"id": "b"}], "servers_links": [{"rel": "next", "href": "https://x/v2.1/p1/servers/detail?limit=2&marker=b"}]}"#;
    assert!(
        matches!(parse(&list, V21, &response(200, native, &[])).unwrap(), Answer::Servers(p) if p.next == Some(PageCursor::Marker("b".into())))
    );
    assert!(
        matches!(parse(&list, Nova, &response(200, r#"{"servers": [{"id": "a"}]}"#, &[])).unwrap(), Answer::Servers(p) if p.next.is_none())
    );
    // The next link's marker is read from its query alone: a relative link works, and a host that
    // IDNA cannot map (non-ASCII with an upper-case letter, found by fuzzing) does not panic.
    for href in [
        "/v2.1/p1/servers/detail?limit=2&marker=b#x",
        "https://X\u{d5}.example/v2.1/servers/detail?marker=b",
    ] {
        let body = serde_json::json!({"servers": [{"id": "a"}], "servers_links": [{"rel": "next", "href": href}]});
        assert!(
            matches!(parse(&list, V21, &response(200, &body.to_string(), &[])).unwrap(), Answer::Servers(p) if p.next == Some(PageCursor::Marker("b".into()))),
            "{href}"
        );
    }
}

/// (call, status, body, headers, our code, cloud code)
#[test]
fn error_shapes() {
    let get = Call::Password(Operation::Get, None);
    let kp = Call::KeyPair("kp".into());
    let reset = reset();
    type Case<'a> = (
        &'a Call,
        u16,
        &'a str,
        Vec<(&'a str, &'a str)>,
        ErrorCode,
        Option<&'a str>,
    );
    let cases: Vec<Case> = vec![
        (
            &get,
            404,
            r#"{"error": {"code": "Ecs.0114", "message": "Instance[s9] could not be found."}}"#,
            vec![("X-Request-Id", "r1")],
            ErrorCode::ServerNotFound,
            Some("Ecs.0114"),
        ),
        (
            &get,
            404,
            r#"{"error": {"code": "Ecs.0614", "message": "x"}}"#,
            vec![],
            ErrorCode::ServerNotFound,
            Some("Ecs.0614"),
        ),
        (
            &get,
            404,
            r#"{"itemNotFound": {"code": 404, "message": "Instance s9 could not be found."}}"#,
            vec![],
            ErrorCode::ServerNotFound,
            Some("itemNotFound"),
        ),
        (
            &kp,
            404,
            r#"{"itemNotFound": {"code": 404, "message": "Keypair kp not found"}}"#,
            vec![],
            ErrorCode::KeyPairNotFound,
            Some("itemNotFound"),
        ),
        (
            &get,
            403,
            r#"{"error": {"code": "Pdp.0001", "message": "Policy doesn't allow ecs:cloudServers:get to be performed."}}"#,
            vec![],
            ErrorCode::Forbidden,
            Some("Pdp.0001"),
        ),
        (
            &get,
            403,
            r#"{"error_code": "Ecs.0003", "error_msg": "account restricted"}"#,
            vec![],
            ErrorCode::Forbidden,
            Some("Ecs.0003"),
        ),
        (
            &get,
            403,
            r#"{"error": {"code": "Ecs.0110", "message": "x"}}"#,
            vec![],
            ErrorCode::Forbidden,
            Some("Ecs.0110"),
        ),
        (
            &get,
            403,
            r#"{"forbidden": {"code": 403, "message": "Policy doesn't allow os_compute_api:os-server-password:show"}}"#,
            vec![],
            ErrorCode::Forbidden,
            Some("forbidden"),
        ),
        (
            &get,
            401,
            r#"{"error_code": "APIGW.0301", "error_msg": "Incorrect IAM authentication information", "request_id": "body-id"}"#,
            vec![],
            ErrorCode::AuthFailed,
            Some("APIGW.0301"),
        ),
        (
            &get,
            401,
            r#"{"error": {"code": "Common.0013", "message": "x"}}"#,
            vec![],
            ErrorCode::AuthFailed,
            Some("Common.0013"),
        ),
        (
            &get,
            401,
            r#"{"unauthorized": {"code": 401, "message": "The request you have made requires authentication."}}"#,
            vec![],
            ErrorCode::AuthFailed,
            Some("unauthorized"),
        ),
        (
            &get,
            400,
            r#"{"error": {"code": "Ecs.0023", "message": "x"}}"#,
            vec![],
            ErrorCode::ProjectMismatch,
            Some("Ecs.0023"),
        ),
        (
            &get,
            400,
            r#"{"error_code": "Common.0018", "error_msg": "x"}"#,
            vec![],
            ErrorCode::ProjectMismatch,
            Some("Common.0018"),
        ),
        (
            &reset,
            400,
            r#"{"error": {"code": "Ecs.0011", "message": "password is too simple"}}"#,
            vec![],
            ErrorCode::PasswordRejected,
            Some("Ecs.0011"),
        ),
        (
            &reset,
            400,
            r#"{"error": {"code": "Ecs.0612", "message": "x"}}"#,
            vec![],
            ErrorCode::ResetFailed,
            Some("Ecs.0612"),
        ),
        (
            &reset,
            400,
            r#"{"error": {"code": "Ecs.0613", "message": "x"}}"#,
            vec![],
            ErrorCode::ResetFailed,
            Some("Ecs.0613"),
        ),
        (
            &reset,
            409,
            r#"{"error": {"code": "Ecs.0605", "message": "x"}}"#,
            vec![],
            ErrorCode::ResetFailed,
            Some("Ecs.0605"),
        ),
        (
            &reset,
            500,
            r#"{"error": {"code": "Ecs.0610", "message": "x"}}"#,
            vec![],
            ErrorCode::ResetFailed,
            Some("Ecs.0610"),
        ),
        (
            &get,
            429,
            r#"{"error_code": "APIGW.0308", "error_msg": "too many"}"#,
            vec![],
            ErrorCode::RateLimited,
            Some("APIGW.0308"),
        ),
        (
            &get,
            503,
            "<html>Service Unavailable</html>",
            vec![],
            ErrorCode::CloudUnavailable,
            None,
        ),
        (
            &get,
            500,
            r#"{"computeFault": {"code": 500, "message": "Unexpected API Error."}}"#,
            vec![],
            ErrorCode::CloudUnavailable,
            Some("computeFault"),
        ),
        (
            &get,
            409,
            r#"{"conflictingRequest": {"code": 409, "message": "x"}}"#,
            vec![],
            ErrorCode::CloudError,
            Some("conflictingRequest"),
        ),
        (&get, 400, "", vec![], ErrorCode::CloudError, None),
        (
            &get,
            200,
            "not json",
            vec![],
            ErrorCode::ResponseInvalid,
            None,
        ),
        (
            &get,
            200,
            r#"{"password": 42}"#,
            vec![],
            ErrorCode::ResponseInvalid,
            None,
        ),
    ];
    for (call, status, body, headers, code, cloud_code) in cases {
        let e = parse(call, ApiFamily::V1, &response(status, body, &headers)).unwrap_err();
        assert_eq!(e.code(), code, "{status} {body}: {e}");
        let details = e.cloud_details().unwrap();
        assert_eq!(details.status, status);
        assert_eq!(details.cloud_code.as_deref(), cloud_code, "{body}");
        assert!(!e.chinese().is_empty());
        if let Some((_, id)) = headers.iter().find(|(k, _)| *k == "X-Request-Id") {
            assert_eq!(details.request_id.as_deref(), Some(*id));
        }
        assert!(!e.english().contains("<html>"));
    }
    let e = parse(
        &get,
        ApiFamily::V1,
        &response(
            401,
            r#"{"error_code": "APIGW.0301", "error_msg": "x", "request_id": "body-id"}"#,
            &[],
        ),
    )
    .unwrap_err();
    assert_eq!(
        e.cloud_details().unwrap().request_id.as_deref(),
        Some("body-id")
    );
    let big = "x".repeat(5 * 1024 * 1024);
    assert_eq!(
        parse(&get, ApiFamily::V1, &response(200, &big, &[]))
            .unwrap_err()
            .code(),
        ErrorCode::ResponseInvalid
    );
}

/// The body hash a signature covers comes from the signed headers only: an `X-Sdk-Content-Sha256`
/// added after signing, or a signed one that does not match the body, cannot swap the body.
#[test]
fn a_signature_covers_the_body_it_was_made_over() {
    use ecs_password::api::http::HttpRequest;
    use ecs_password::api::signer::{parse_authorization, sdk_date, sign, verify, AkSk};
    use sha2::{Digest, Sha256};
    let hex = |body: &[u8]| -> String {
        Sha256::digest(body)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    };
    let (a, b) = (
        br#"{"reset-password": {"new_password": "Chosen!by-owner1"}}"#.to_vec(),
        br#"{"reset-password": {"new_password": "Chosen!by-thief2"}}"#.to_vec(),
    );
    let credentials = AkSk::new("AK", "SK", None);
    let signed = |extra: &[(&str, &str)]| {
        let url =
            url::Url::parse("https://ecs.example.com/v1/p1/cloudservers/s1/os-reset-password")
                .unwrap();
        let mut request = HttpRequest::new("PUT", url);
        for (name, value) in extra {
            request.set_header(name, value);
        }
        request.body = a.clone();
        sign(&mut request, &credentials, &sdk_date(1_700_000_000));
        request
    };
    let check = |request: &HttpRequest| {
        let header = parse_authorization(request.header("Authorization").unwrap()).unwrap();
        verify(request, &header, "SK")
    };

    let honest = signed(&[]);
    assert!(check(&honest));
    let mut swapped = honest.clone();
    swapped.body = b.clone();
    assert!(!check(&swapped), "a plain body swap");
    // The hash of body A, unsigned, beside body B.
    swapped.set_header("X-Sdk-Content-Sha256", &hex(&a));
    assert!(!check(&swapped), "an unsigned X-Sdk-Content-Sha256");

    // Signed, the header stands for the body: it must be the body's hash.
    let hashed = signed(&[("X-Sdk-Content-Sha256", &hex(&a))]);
    assert!(check(&hashed));
    let mut swapped = hashed.clone();
    swapped.body = b.clone();
    assert!(!check(&swapped), "a signed hash of another body");
    // UNSIGNED-PAYLOAD, signed, is the sender's own choice (as with S3's x-amz-content-sha256).
    let unsigned = signed(&[("X-Sdk-Content-Sha256", "UNSIGNED-PAYLOAD")]);
    let mut other = unsigned.clone();
    other.body = b;
    assert!(check(&unsigned) && check(&other));
}
