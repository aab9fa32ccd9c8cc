//! The emulated Key Pair Service (KPS, part of DEW) of `ecs-password serve`, under `/kms`: key pair
//! details, exporting a hosted private key and batches of them, authentication as on the other
//! APIs, the grants decided by the permission engine (`kps:domainKeypairs:exportpk` and its
//! dependency `kms:cmk:decryptDataKey`), the demo, state files; and the core's own KPS requests
//! (`api::kps`) against it, as a contract test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed assumption in a test is a failed test

mod common;

use common::demo::{P, WIN4096};
use common::fixture;

use common::{agent, site, start, Server};
use ecs_password::api::auth::{authorize, Credentials};
use ecs_password::api::http::{HttpRequest, HttpResponse};
use ecs_password::api::kps::{
    build, parse_batch_export, parse_details, parse_export, KpsCall, KpsTarget,
};
use ecs_password::api::request::Endpoint;
use ecs_password::api::signer::AkSk;
use ecs_password::{decrypt_password, ErrorCode, PrivateKey};
use serde_json::Value;

/// Sends a request the core built, as the CLI's transport would.
fn send(request: &HttpRequest) -> HttpResponse {
    let mut builder = ureq::http::Request::builder()
        .method(request.method)
        .uri(request.url.as_str());
    for (name, value) in &request.headers {
        builder = builder.header(name.as_str(), value.as_str());
    }
    let mut response = agent()
        .run(builder.body(request.body.clone()).unwrap())
        .unwrap();
    let headers = response
        .headers()
        .iter()
        .map(|(n, v)| {
            (
                n.as_str().to_owned(),
                v.to_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    let body = response.body_mut().read_to_vec().unwrap();
    HttpResponse {
        status: response.status().as_u16(),
        headers,
        body,
    }
}

fn target(server: &Server) -> KpsTarget {
    KpsTarget {
        endpoint: Endpoint::parse(&format!("{}/kms", server.url)).unwrap(),
        project_id: P.into(),
    }
}

fn token(who: &str) -> Credentials {
    Credentials::Token(zeroize::Zeroizing::new(format!("demo-token-{who}")))
}

fn call(server: &Server, call: &KpsCall, credentials: &Credentials) -> HttpResponse {
    let mut request = build(&target(server), call).unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    authorize(&mut request, credentials, Some(P), now);
    send(&request)
}

fn json(response: &HttpResponse) -> Value {
    serde_json::from_slice(&response.body).unwrap_or(Value::Null)
}

fn demo(server: &Server) -> Value {
    let mut r = agent().get(format!("{}/demo", server.url)).call().unwrap();
    serde_json::from_str(&r.body_mut().read_to_string().unwrap()).unwrap()
}

/// The ciphertext win-4096's guest posted, read through v1 as the admin.
fn ciphertext(server: &Server) -> String {
    let mut r = agent()
        .get(format!(
            "{}/v1/{P}/cloudservers/{WIN4096}/os-server-password",
            server.url
        ))
        .header("X-Auth-Token", "demo-token-admin")
        .call()
        .unwrap();
    let body: Value = serde_json::from_str(&r.body_mut().read_to_string().unwrap()).unwrap();
    body["password"].as_str().unwrap().to_owned()
}

#[test]
fn the_demo_hosts_one_key_and_only_the_admin_may_export_it() {
    let server = start(&site(), &[]);
    let demo = demo(&server);
    assert_eq!(demo["kpsEndpoint"], "/kms");
    let hosted: Vec<(&str, bool)> = demo["keyPairs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| (k["name"].as_str().unwrap(), k["hosted"].as_bool().unwrap()))
        .collect();
    assert_eq!(
        hosted,
        [
            ("demo-rsa2048", false),
            ("demo-rsa4096", true),
            ("unrelated", false)
        ]
    );

    // Details: the admin and the reader see that demo-rsa4096 is hosted; nobody may not look.
    for who in ["admin", "reader"] {
        let answer = call(
            &server,
            &KpsCall::Details("demo-rsa4096".into()),
            &token(who),
        );
        let pair = parse_details("demo-rsa4096", &answer).unwrap();
        assert!(pair.hosted && !pair.frozen, "{who}");
        let info =
            PrivateKey::load(&std::fs::read(fixture("rsa4096.pkcs1.pem")).unwrap(), None).unwrap();
        assert_eq!(pair.public_key, info.info().public_key_openssh);
        let answer = call(
            &server,
            &KpsCall::Details("demo-rsa2048".into()),
            &token(who),
        );
        assert!(!parse_details("demo-rsa2048", &answer).unwrap().hosted);
    }
    let refused = call(
        &server,
        &KpsCall::Details("demo-rsa4096".into()),
        &token("nobody"),
    );
    assert_eq!(refused.status, 403);
    assert_eq!(
        json(&refused)["error_msg"],
        "Policy doesn't allow kps:domainKeypairs:get to be performed."
    );
    assert!(refused.header("x-request-id").is_some());

    // The admin exports the private key, and it decrypts win-4096's password.
    let answer = call(
        &server,
        &KpsCall::Export("demo-rsa4096".into()),
        &token("admin"),
    );
    assert_eq!(answer.status, 200);
    let exported = parse_export("demo-rsa4096", &answer).unwrap();
    let key = exported.load().unwrap();
    assert_eq!(key.info().bits, 4096);
    assert!(decrypt_password(&key, &ciphertext(&server)).is_ok());

    // The reader may read, not export: refused by the permission engine, naming the action.
    let refused = call(
        &server,
        &KpsCall::Export("demo-rsa4096".into()),
        &token("reader"),
    );
    assert_eq!(refused.status, 403);
    assert_eq!(json(&refused)["error_code"], "Pdp.0001");
    assert!(!String::from_utf8_lossy(&refused.body).contains("PRIVATE KEY"));
    let e = parse_export("demo-rsa4096", &refused).unwrap_err();
    assert_eq!(e.code(), ErrorCode::Forbidden);
    assert!(
        e.english()
            .contains("The cloud names kps:domainKeypairs:exportpk."),
        "{}",
        e.english()
    );
    for who in ["finance", "nobody"] {
        let refused = call(
            &server,
            &KpsCall::Export("demo-rsa4096".into()),
            &token(who),
        );
        assert_eq!(refused.status, 403, "{who}");
    }

    // A key pair that is not hosted, one that does not exist.
    let not_hosted = call(
        &server,
        &KpsCall::Export("demo-rsa2048".into()),
        &token("admin"),
    );
    assert_eq!(
        (not_hosted.status, json(&not_hosted)["error_code"].as_str()),
        (400, Some("KPS.NOT_HOSTED"))
    );
    assert_eq!(
        parse_export("demo-rsa2048", &not_hosted)
            .unwrap_err()
            .code(),
        ErrorCode::CloudError
    );
    let missing = call(&server, &KpsCall::Export("gone".into()), &token("admin"));
    assert_eq!(
        parse_export("gone", &missing).unwrap_err().code(),
        ErrorCode::KeyPairNotFound
    );
    let missing = call(&server, &KpsCall::Details("gone".into()), &token("admin"));
    assert_eq!(
        parse_details("gone", &missing).unwrap_err().code(),
        ErrorCode::KeyPairNotFound
    );

    // The nova and Huawei key pair views are unchanged: no private key there.
    for path in [
        format!("/v2.1/{P}/os-keypairs/demo-rsa4096"),
        format!("/compute/v2.1/{P}/os-keypairs/demo-rsa4096"),
    ] {
        let mut r = agent()
            .get(format!("{}{path}", server.url))
            .header("X-Auth-Token", "demo-token-admin")
            .call()
            .unwrap();
        assert_eq!(r.status().as_u16(), 200, "{path}");
        let body = r.body_mut().read_to_string().unwrap();
        let body: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(body["keypair"]["name"], "demo-rsa4096");
        assert!(body["keypair"].get("private_key").is_none(), "{path}");
    }
}

#[test]
fn credentials_projects_and_bodies_are_checked() {
    let server = start(&site(), &[]);
    let demo = demo(&server);
    let admin = demo["principals"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "admin")
        .unwrap()
        .clone();
    let aksk = |secret: &str| {
        Credentials::AkSk(AkSk::new(
            admin["accessKey"].as_str().unwrap(),
            secret,
            None,
        ))
    };
    // AK/SK, signed for the URL sent (the body included).
    let export = KpsCall::Export("demo-rsa4096".into());
    let answer = call(
        &server,
        &export,
        &aksk(admin["secretKey"].as_str().unwrap()),
    );
    assert!(parse_export("demo-rsa4096", &answer).is_ok());
    let answer = call(&server, &export, &aksk("wrong"));
    assert_eq!(
        (answer.status, json(&answer)["error_code"].as_str()),
        (401, Some("APIGW.0301"))
    );
    assert_eq!(
        parse_export("demo-rsa4096", &answer).unwrap_err().code(),
        ErrorCode::AuthFailed
    );
    let answer = call(&server, &export, &token("unknown"));
    assert_eq!(answer.status, 401);

    // A token IAM issued (password sign-in, the region's project) works too.
    let mut r = agent()
        .post(format!("{}/v3/auth/tokens", server.url))
        .send(r#"{"auth": {"identity": {"methods": ["password"], "password": {"user": {"name": "admin", "password": "demo-password-admin", "domain": {"name": "demo"}}}}, "scope": {"project": {"name": "demo-1"}}}}"#)
        .unwrap();
    assert_eq!(r.status().as_u16(), 201);
    let issued = r
        .headers()
        .get("x-subject-token")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    let _ = r.body_mut().read_to_string();
    let answer = call(&server, &export, &Credentials::Token(issued.into()));
    assert!(parse_export("demo-rsa4096", &answer).is_ok());

    // Another project, a body without a name, an unknown path.
    let other = KpsTarget {
        project_id: "ffffffffffffffffffffffffffffffff".into(),
        ..target(&server)
    };
    let mut request = build(&other, &export).unwrap();
    authorize(&mut request, &token("admin"), None, 0);
    let answer = send(&request);
    assert_eq!(
        (answer.status, json(&answer)["error_code"].as_str()),
        (400, Some("KPS.PROJECT_MISMATCH"))
    );
    let mut request = build(&target(&server), &export).unwrap();
    authorize(&mut request, &token("admin"), None, 0);
    request.body = br#"{"keypair": {}}"#.to_vec();
    assert_eq!(send(&request).status, 400);
    let mut r = agent()
        .get(format!(
            "{}/kms/v3/{P}/keypairs/private-key/export",
            server.url
        ))
        .header("X-Auth-Token", "demo-token-admin")
        .call()
        .unwrap();
    // GET of "private-key/export" is no KPS request: 404 in KPS's shape.
    assert_eq!(r.status().as_u16(), 404);
    let body: Value = serde_json::from_str(&r.body_mut().read_to_string().unwrap()).unwrap();
    assert_eq!(body["error_code"], "KPS.NOT_FOUND");
}

/// Reads the entries of a stored (uncompressed) ZIP archive through its central directory.
fn stored_entries(zip: &[u8]) -> Vec<(String, Vec<u8>)> {
    let u16at = |i: usize| u16::from_le_bytes([zip[i], zip[i + 1]]) as usize;
    let u32at =
        |i: usize| u32::from_le_bytes([zip[i], zip[i + 1], zip[i + 2], zip[i + 3]]) as usize;
    let end = zip.len() - 22;
    assert_eq!(u32at(end), 0x0605_4b50, "end of central directory");
    let (count, mut at) = (u16at(end + 10), u32at(end + 16));
    let mut out = Vec::new();
    for _ in 0..count {
        assert_eq!(u32at(at), 0x0201_4b50, "central header");
        assert_eq!(u16at(at + 10), 0, "stored");
        let (crc, size, name_len, offset) = (
            u32at(at + 16),
            u32at(at + 24),
            u16at(at + 28),
            u32at(at + 42),
        );
        let name = String::from_utf8(zip[at + 46..at + 46 + name_len].to_vec()).unwrap();
        assert_eq!(u32at(offset), 0x0403_4b50, "local header");
        let data_at = offset + 30 + u16at(offset + 26) + u16at(offset + 28);
        let data = zip[data_at..data_at + size].to_vec();
        assert_eq!(crc32(&data), crc as u32, "{name}: CRC-32");
        out.push((name, data));
        at += 46 + name_len + u16at(at + 30) + u16at(at + 32);
    }
    out
}

/// CRC-32 (IEEE), bit by bit: the check of the archive does not share the emulator's code.
fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for byte in data {
        crc ^= u32::from(*byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[test]
fn a_batch_export_is_a_zip_of_the_hosted_keys() {
    let server = start(&site(), &[]);
    let names = vec!["demo-rsa4096".to_owned()];
    let answer = call(
        &server,
        &KpsCall::BatchExport(names.clone()),
        &token("admin"),
    );
    assert_eq!(answer.header("content-type"), Some("application/zip"));
    let zip = parse_batch_export(&names, &answer).unwrap();
    let entries = stored_entries(&zip);
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].0, "demo-rsa4096.pem");
    let key = PrivateKey::load(&entries[0].1, None).unwrap();
    assert!(decrypt_password(&key, &ciphertext(&server)).is_ok());

    // One that is not hosted spoils the batch; the reader may not; 11 names are too many.
    let mixed = vec!["demo-rsa4096".to_owned(), "demo-rsa2048".to_owned()];
    let answer = call(
        &server,
        &KpsCall::BatchExport(mixed.clone()),
        &token("admin"),
    );
    assert_eq!(
        parse_batch_export(&mixed, &answer).unwrap_err().code(),
        ErrorCode::CloudError
    );
    let answer = call(
        &server,
        &KpsCall::BatchExport(names.clone()),
        &token("reader"),
    );
    assert_eq!(
        parse_batch_export(&names, &answer).unwrap_err().code(),
        ErrorCode::Forbidden
    );
    let mut request = build(&target(&server), &KpsCall::BatchExport(names)).unwrap();
    authorize(&mut request, &token("admin"), None, 0);
    let items: Vec<Value> = (0..11)
        .map(|_| serde_json::json!({ "keypair": { "name": "demo-rsa4096" } }))
        .collect();
    request.body = serde_json::to_vec(&items).unwrap();
    assert_eq!(send(&request).status, 400);
}

#[test]
fn a_state_file_marks_key_pairs_hosted_and_checks_the_private_key() {
    let dir = site();
    let public = std::fs::read_to_string(fixture("rsa3072.pub")).unwrap();
    let private = std::fs::read_to_string(fixture("rsa3072.pkcs1.pem")).unwrap();
    let other = std::fs::read_to_string(fixture("rsa2048.pkcs1.pem")).unwrap();
    let state = |hosted: &str| {
        serde_json::json!({
            "region": "eu-de", "domainId": "d1", "project": { "id": "p1", "name": "eu-de" },
            "keyPairs": [{ "name": "kp", "publicKey": public.trim(), "hostedPrivateKey": hosted }],
            "servers": [{ "id": "s1", "name": "w", "os": "windows", "keyName": "kp", "postsAfterSeconds": 0 }],
            "principals": [{ "name": "ops", "token": "t1",
                "grants": { "grants": [{ "policy": "Tenant Administrator", "scope": { "project": "p1" } }] } }],
        })
        .to_string()
    };
    let file = dir.join("state.json");
    std::fs::write(&file, state(&private)).unwrap();
    let server = start(&dir, &["--state", file.to_str().unwrap()]);
    let kps = KpsTarget {
        endpoint: Endpoint::parse(&format!("{}/kms", server.url)).unwrap(),
        project_id: "p1".into(),
    };
    let t1 = Credentials::Token("t1".to_owned().into());
    let mut request = build(&kps, &KpsCall::Export("kp".into())).unwrap();
    authorize(&mut request, &t1, None, 0);
    let key = parse_export("kp", &send(&request)).unwrap().load().unwrap();
    assert_eq!(key.info().bits, 3072);
    let mut request = build(&kps, &KpsCall::Details("kp".into())).unwrap();
    authorize(&mut request, &t1, None, 0);
    assert!(parse_details("kp", &send(&request)).unwrap().hosted);
    drop(server);

    // A private key that is not the key pair's, or not a key: STATE_INVALID at start-up.
    for (bad, why) in [
        (other.as_str(), "not the private half"),
        ("nonsense", "does not load"),
    ] {
        std::fs::write(&file, state(bad)).unwrap();
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_ecs-password"))
            .args(["serve", "--listen", "127.0.0.1:0", "--state"])
            .arg(&file)
            .arg("--root")
            .arg(&dir)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("STATE_INVALID") && stderr.contains(why),
            "{stderr}"
        );
        // Named, never quoted: no line of the key in the message.
        let line = other.lines().nth(1).unwrap();
        assert!(!stderr.contains(line), "{stderr}");
    }
}
