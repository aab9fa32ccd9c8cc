//! The emulated cloud of `ecs-password serve`, over HTTP: every endpoint and error on every family,
//! authentication (tokens, AK/SK), IAM and Nova authorisation, the demo, state files, faults, and
//! a contract test that runs the product's own API client (the CLI) against it on every family
//! and operation.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed assumption in a test is a failed test

mod common;

use common::demo::{BOOTING, FAMILIES, LINUX, NOKEY, P, WIN2048, WIN4096};
use common::fixture;

use common::{agent, site, start, Server};
use ecs_password::api::http::HttpRequest;
use ecs_password::api::signer::{sdk_date, sign, AkSk};
use ecs_password::{decrypt_password, PrivateKey};
use serde_json::Value;
use sha2::{Digest, Sha256};

struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Value,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

fn call(
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Result<Reply, ureq::Error> {
    let mut request = ureq::http::Request::builder().method(method).uri(url);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let mut response = agent().run(request.body(body.as_bytes().to_vec()).unwrap())?;
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
    let text = response.body_mut().read_to_string()?;
    Ok(Reply {
        status: response.status().as_u16(),
        headers,
        body: serde_json::from_str(&text).unwrap_or(Value::Null),
    })
}

fn token(name: &str) -> String {
    format!("demo-token-{name}")
}

/// `METHOD path` as principal `who` (a token).
fn api(server: &Server, method: &str, path: &str, who: &str) -> Reply {
    let t = token(who);
    call(
        method,
        &format!("{}{path}", server.url),
        &[("X-Auth-Token", &t)],
        "",
    )
    .unwrap()
}

/// The password path of a server on a family.
fn password_path(family: &str, server: &str) -> String {
    match family {
        "v1" => format!("/v1/{P}/cloudservers/{server}/os-server-password"),
        "nova" => format!("/compute/v2.1/{P}/servers/{server}/os-server-password"),
        v => format!("/{v}/{P}/servers/{server}/os-server-password"),
    }
}

/// The header every `/_emulator/` control request needs.
const CONTROL: (&str, &str) = ("X-Emulator-Control", "1");

fn state(server: &Server) -> Value {
    call(
        "GET",
        &format!("{}/_emulator/state", server.url),
        &[CONTROL],
        "",
    )
    .unwrap()
    .body
}

fn guest_password_sha256(server: &Server, id: &str) -> String {
    let state = state(server);
    let found = state["servers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == id)
        .unwrap()
        .clone();
    found["passwordSha256"].as_str().unwrap().to_owned()
}

fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn emulator(extra: &[&str]) -> Server {
    start(&site(), extra)
}

#[test]
fn every_family_returns_the_guests_password_encrypted_to_the_key_pair() {
    let server = emulator(&[]);
    for (id, key) in [
        (WIN2048, "rsa2048.pkcs1.pem"),
        (WIN4096, "rsa4096.pkcs1.pem"),
    ] {
        let key = PrivateKey::load(&std::fs::read(fixture(key)).unwrap(), None).unwrap();
        let expected = guest_password_sha256(&server, id);
        let mut ciphertexts = Vec::new();
        for family in FAMILIES {
            let reply = api(&server, "GET", &password_path(family, id), "admin");
            assert_eq!(reply.status, 200, "{family}");
            assert_eq!(reply.header("content-type"), Some("application/json"));
            assert_eq!(reply.header("cache-control"), Some("no-store"));
            assert_eq!(reply.header("x-request-id").map(str::len), Some(32));
            let ciphertext = reply.body["password"].as_str().unwrap().to_owned();
            assert!(
                ciphertext.len() <= 1020,
                "Nova keeps at most 1020 characters"
            );
            let password = decrypt_password(&key, &ciphertext).unwrap();
            assert_eq!(sha256_hex(&password), expected, "{family}");
            ciphertexts.push(ciphertext);
        }
        // The guest posted once: every family returns the same stored ciphertext.
        ciphertexts.dedup();
        assert_eq!(ciphertexts.len(), 1);
    }
}

#[test]
fn servers_that_have_not_posted_answer_an_empty_password() {
    let server = emulator(&[]);
    for id in [BOOTING, LINUX, NOKEY] {
        for family in FAMILIES {
            let reply = api(&server, "GET", &password_path(family, id), "admin");
            assert_eq!(
                (reply.status, reply.body["password"].as_str()),
                (200, Some("")),
                "{id} {family}"
            );
        }
    }
    // The booting server posts when told to (or after --post-delay); the others never do.
    let post = |id: &str| {
        call(
            "POST",
            &format!("{}/_emulator/servers/{id}/post", server.url),
            &[CONTROL],
            "",
        )
        .unwrap()
        .status
    };
    assert_eq!(post(BOOTING), 204);
    assert_eq!(post(LINUX), 409);
    assert_eq!(post("nope"), 404);
    let reply = api(&server, "GET", &password_path("v2.1", BOOTING), "admin");
    assert!(!reply.body["password"].as_str().unwrap().is_empty());

    // --post-delay 1: the guest posts one second after the emulator started, not before. The
    // clock starts before the spawn, so the bound holds however long a loaded machine takes to
    // start it (an empty first answer would depend on reaching it within that second).
    let spawned = std::time::Instant::now();
    let delayed = emulator(&["--post-delay", "1"]);
    let path = password_path("v1", BOOTING);
    let posted = common::wait_until(std::time::Duration::from_secs(30), || {
        api(&delayed, "GET", &path, "admin").body["password"] != ""
    });
    let posted_after = spawned.elapsed();
    assert!(posted, "not posted 30 s after a --post-delay of 1 s");
    assert!(
        posted_after >= std::time::Duration::from_secs(1),
        "posted {posted_after:?} after the start, before the delay of 1 s"
    );
}

#[test]
fn clear_empties_the_stored_password_on_every_family() {
    let server = emulator(&[]);
    for family in FAMILIES {
        call(
            "POST",
            &format!("{}/_emulator/servers/{WIN4096}/post", server.url),
            &[CONTROL],
            "",
        )
        .unwrap();
        let path = password_path(family, WIN4096);
        assert_ne!(
            api(&server, "GET", &path, "admin").body["password"],
            "",
            "{family}"
        );
        let cleared = api(&server, "DELETE", &path, "admin");
        assert_eq!(cleared.status, 204, "{family}");
        assert_eq!(
            api(&server, "GET", &path, "admin").body["password"],
            "",
            "{family}"
        );
    }
}

#[test]
fn reset_needs_the_plug_in_follows_the_rules_and_changes_the_password() {
    let server = emulator(&[]);
    let flag = |id: &str| {
        api(
            &server,
            "GET",
            &format!("/v1/{P}/cloudservers/{id}/os-resetpwd-flag"),
            "admin",
        )
    };
    assert_eq!(
        flag(WIN2048).body,
        serde_json::json!({ "resetpwd_flag": "True" })
    );
    assert_eq!(
        flag(BOOTING).body,
        serde_json::json!({ "resetpwd_flag": "False" })
    );
    let reset = |path: String, body: &str| {
        call(
            "PUT",
            &format!("{}{path}", server.url),
            &[
                ("X-Auth-Token", "demo-token-admin"),
                ("Content-Type", "application/json"),
            ],
            body,
        )
        .unwrap()
    };
    let v1 = |id: &str| format!("/v1/{P}/cloudservers/{id}/os-reset-password");
    let v21 = |id: &str| format!("/v2.1/{P}/servers/{id}/os-reset-password");

    let done = reset(
        v1(WIN2048),
        r#"{"reset-password": {"new_password": "Nw!7pass-Word", "is_check_password": true}}"#,
    );
    assert_eq!(done.status, 204);
    assert_eq!(
        guest_password_sha256(&server, WIN2048),
        sha256_hex("Nw!7pass-Word")
    );
    let done = reset(
        v21(WIN2048),
        r#"{"reset-password": {"new_password": "An0ther{Pass}"}}"#,
    );
    assert_eq!(done.status, 204);
    assert_eq!(
        guest_password_sha256(&server, WIN2048),
        sha256_hex("An0ther{Pass}")
    );
    let resets = state(&server)["servers"][0]["resets"].clone();
    assert_eq!(resets, 2);

    // Complexity: v1 checks only when asked; v2.1 always.
    let weak = reset(
        v1(WIN2048),
        r#"{"reset-password": {"new_password": "short", "is_check_password": true}}"#,
    );
    assert_eq!(
        (weak.status, weak.body["error"]["code"].as_str()),
        (400, Some("Ecs.0011"))
    );
    assert_eq!(
        reset(
            v1(WIN2048),
            r#"{"reset-password": {"new_password": "unchecked"}}"#
        )
        .status,
        204
    );
    let weak = reset(
        v21(WIN2048),
        r#"{"reset-password": {"new_password": "short"}}"#,
    );
    assert_eq!(
        (weak.status, weak.body["badRequest"]["code"].as_u64()),
        (400, Some(400))
    );
    // No plug-in, no body, wrong family.
    let no_plugin = reset(
        v1(BOOTING),
        r#"{"reset-password": {"new_password": "Nw!7pass-Word"}}"#,
    );
    assert_eq!(
        (no_plugin.status, no_plugin.body["error"]["code"].as_str()),
        (400, Some("Ecs.0613"))
    );
    assert_eq!(reset(v1(WIN2048), "{}").body["error"]["code"], "Ecs.0005");
    assert_eq!(
        reset(format!("/v2/{P}/servers/{WIN2048}/os-reset-password"), "{}").status,
        404
    );
    assert_eq!(
        reset(
            format!("/compute/v2.1/{P}/servers/{WIN2048}/os-reset-password"),
            "{}"
        )
        .status,
        404
    );
    assert_eq!(
        api(
            &server,
            "GET",
            &format!("/v2.1/{P}/servers/{WIN2048}/os-resetpwd-flag"),
            "admin"
        )
        .status,
        404
    );
}

#[test]
fn errors_come_in_each_familys_own_shape() {
    let server = emulator(&[]);
    let missing = "00000000-0000-4000-8000-000000000000";
    let v1 = api(&server, "GET", &password_path("v1", missing), "admin");
    assert_eq!(
        (v1.status, v1.body["error"]["code"].as_str()),
        (404, Some("Ecs.0114"))
    );
    for family in ["v2", "v2.1", "nova"] {
        let r = api(&server, "GET", &password_path(family, missing), "admin");
        assert_eq!(
            (r.status, r.body["itemNotFound"]["code"].as_u64()),
            (404, Some(404)),
            "{family}"
        );
    }
    // 401: no token, unknown token; the gateway's shape, Keystone's for Nova.
    for family in FAMILIES {
        let url = format!("{}{}", server.url, password_path(family, WIN2048));
        let none = call("GET", &url, &[], "").unwrap();
        let unknown = call("GET", &url, &[("X-Auth-Token", "forged")], "").unwrap();
        for r in [none, unknown] {
            assert_eq!(r.status, 401, "{family}");
            if family == "nova" {
                assert_eq!(r.body["error"]["code"], 401);
            } else {
                assert_eq!(r.body["error_code"], "APIGW.0301");
                assert_eq!(r.body["request_id"].as_str(), r.header("x-request-id"));
            }
        }
    }
    // Another project than the token's.
    let other = api(
        &server,
        "GET",
        &format!("/v1/ffffffffffffffffffffffffffffffff/cloudservers/{WIN2048}/os-server-password"),
        "admin",
    );
    assert_eq!(
        (other.status, other.body["error"]["code"].as_str()),
        (400, Some("Ecs.0023"))
    );
    let other = api(
        &server,
        "GET",
        &format!("/v2.1/ffffffffffffffffffffffffffffffff/servers/{WIN2048}/os-server-password"),
        "admin",
    );
    assert_eq!(
        (other.status, other.body["badRequest"]["code"].as_u64()),
        (400, Some(400))
    );
    // An API that does not exist.
    assert_eq!(
        api(
            &server,
            "GET",
            &format!("/v1/{P}/cloudservers/{WIN2048}/nothing"),
            "admin"
        )
        .status,
        404
    );
    assert_eq!(
        api(&server, "POST", &password_path("v2.1", WIN2048), "admin").status,
        404
    );
}

#[test]
fn iam_grants_and_nova_roles_decide() {
    let server = emulator(&[]);
    let status = |family: &str, method: &str, id: &str, who: &str| {
        api(&server, method, &password_path(family, id), who)
    };
    // reader: get yes, clear no (Pdp.0001 on Huawei families, Nova's forbidden on Nova).
    for family in ["v1", "v2", "v2.1"] {
        // The table: v2 and v2.1 ask ecs:serverPasswords:manage even to read, which read-only
        // lacks; v1 asks ecs:cloudServers:get.
        let expected = if family == "v1" { 200 } else { 403 };
        assert_eq!(
            status(family, "GET", WIN4096, "reader").status,
            expected,
            "{family}"
        );
        let denied = status(family, "DELETE", WIN4096, "reader");
        assert_eq!(
            (denied.status, denied.body["error"]["code"].as_str()),
            (403, Some("Pdp.0001")),
            "{family}"
        );
        assert!(denied.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("ecs:"));
    }
    assert_eq!(status("nova", "GET", WIN4096, "reader").status, 200);
    let denied = status("nova", "DELETE", WIN4096, "reader");
    assert_eq!(denied.status, 403);
    assert!(denied.body["forbidden"]["message"]
        .as_str()
        .unwrap()
        .contains("os-server-password"));
    // finance: its enterprise project only (v1 and v2.1 support enterprise projects; v2 does not).
    assert_eq!(status("v1", "GET", WIN2048, "finance").status, 200);
    assert_eq!(status("v1", "GET", WIN4096, "finance").status, 403);
    assert_eq!(status("v1", "DELETE", WIN2048, "finance").status, 204);
    // nobody: refused everywhere, details included.
    for family in FAMILIES {
        assert_eq!(
            status(family, "GET", WIN2048, "nobody").status,
            403,
            "{family}"
        );
    }
    assert_eq!(
        api(
            &server,
            "GET",
            &format!("/v2.1/{P}/servers/{WIN2048}"),
            "nobody"
        )
        .status,
        403
    );
    assert_eq!(
        api(
            &server,
            "GET",
            &format!("/v2.1/{P}/os-keypairs/demo-rsa2048"),
            "nobody"
        )
        .status,
        403
    );
    assert_eq!(
        api(
            &server,
            "GET",
            &format!("/v1/{P}/cloudservers/detail"),
            "nobody"
        )
        .status,
        403
    );
}

#[test]
fn ak_sk_signatures_are_checked() {
    let server = emulator(&[]);
    let demo = call("GET", &format!("{}/demo", server.url), &[], "")
        .unwrap()
        .body;
    let admin = demo["principals"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "admin")
        .unwrap()
        .clone();
    let (ak, sk) = (
        admin["accessKey"].as_str().unwrap(),
        admin["secretKey"].as_str().unwrap(),
    );
    let url = format!("{}{}", server.url, password_path("v1", WIN2048));
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let signed = |secret: &str, seconds: u64| {
        let mut request = HttpRequest::new("GET", url::Url::parse(&url).unwrap());
        request.set_header("X-Project-Id", P);
        sign(
            &mut request,
            &AkSk::new(ak, secret, None),
            &sdk_date(seconds),
        );
        request.headers
    };
    let send = |headers: Vec<(String, String)>| {
        let pairs: Vec<(&str, &str)> = headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        call("GET", &url, &pairs, "").unwrap()
    };
    assert_eq!(send(signed(sk, now)).status, 200);
    let wrong = send(signed("not-the-secret", now));
    assert_eq!(
        (wrong.status, wrong.body["error_code"].as_str()),
        (401, Some("APIGW.0301"))
    );
    assert!(wrong.body["error_msg"]
        .as_str()
        .unwrap()
        .contains("signature"));
    assert_eq!(
        send(signed(sk, now - 3600)).status,
        401,
        "clock skew over 15 minutes"
    );
    let mut tampered = signed(sk, now);
    tampered
        .iter_mut()
        .filter(|(n, _)| n == "X-Project-Id")
        .for_each(|(_, v)| *v = "ffffffffffffffffffffffffffffffff".into());
    assert_eq!(send(tampered).status, 401);
    // Nova takes tokens only.
    let nova_url = format!("{}{}", server.url, password_path("nova", WIN2048));
    let mut request = HttpRequest::new("GET", url::Url::parse(&nova_url).unwrap());
    sign(&mut request, &AkSk::new(ak, sk, None), &sdk_date(now));
    let pairs: Vec<(&str, &str)> = request
        .headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    assert_eq!(call("GET", &nova_url, &pairs, "").unwrap().status, 401);
}

/// A reset signed over one body is not accepted with another, whatever `X-Sdk-Content-Sha256`
/// says (issue 12, point 3): the guest keeps the signed password, never the swapped one.
#[test]
fn a_signed_reset_body_cannot_be_swapped() {
    let server = emulator(&[]);
    let demo = call("GET", &format!("{}/demo", server.url), &[], "")
        .unwrap()
        .body;
    let admin = demo["principals"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "admin")
        .unwrap()
        .clone();
    let credentials = AkSk::new(
        admin["accessKey"].as_str().unwrap(),
        admin["secretKey"].as_str().unwrap(),
        None,
    );
    let url = format!(
        "{}/v1/{P}/cloudservers/{WIN2048}/os-reset-password",
        server.url
    );
    let body =
        |password: &str| format!(r#"{{"reset-password": {{"new_password": "{password}"}}}}"#);
    let (chosen, thief) = (body("Chosen!by-owner1"), body("Chosen!by-thief2"));
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let signed = |extra: &[(&str, &str)]| {
        let mut request = HttpRequest::new("PUT", url::Url::parse(&url).unwrap());
        request.set_header("Content-Type", "application/json");
        for (name, value) in extra {
            request.set_header(name, value);
        }
        request.body = chosen.as_bytes().to_vec();
        sign(&mut request, &credentials, &sdk_date(now));
        request.headers
    };
    let send = |headers: &[(String, String)], extra: &[(&str, &str)], body: &str| {
        let mut pairs: Vec<(&str, &str)> = headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        pairs.extend_from_slice(extra);
        call("PUT", &url, &pairs, body).unwrap().status
    };
    let before = guest_password_sha256(&server, WIN2048);
    // Signed over the chosen body; sent with the thief's, plus the chosen body's hash unsigned.
    let plain = signed(&[]);
    let chosen_hash = sha256_hex(&chosen);
    assert_eq!(
        send(&plain, &[("X-Sdk-Content-Sha256", &chosen_hash)], &thief),
        401
    );
    // A signed hash must be the hash of the body that comes with it.
    let hashed = signed(&[("X-Sdk-Content-Sha256", &chosen_hash)]);
    assert_eq!(send(&hashed, &[], &thief), 401);
    assert_eq!(guest_password_sha256(&server, WIN2048), before);
    // The honest requests go through.
    assert_eq!(send(&hashed, &[], &chosen), 204);
    assert_eq!(
        guest_password_sha256(&server, WIN2048),
        sha256_hex("Chosen!by-owner1")
    );
}

#[test]
fn server_details_lists_and_key_pairs() {
    let server = emulator(&[]);
    let details = api(
        &server,
        "GET",
        &format!("/v1/{P}/cloudservers/{WIN2048}"),
        "admin",
    )
    .body;
    assert_eq!(details["server"]["key_name"], "demo-rsa2048");
    assert_eq!(details["server"]["metadata"]["os_type"], "Windows");
    assert_eq!(
        details["server"]["enterprise_project_id"],
        "5b1c7e9a-0f0e-4c8d-9a11-2a3b4c5d6e7f"
    );
    let nokey = api(
        &server,
        "GET",
        &format!("/v2.1/{P}/servers/{NOKEY}"),
        "admin",
    )
    .body;
    assert_eq!(nokey["server"]["key_name"], Value::Null);

    let v1 = api(
        &server,
        "GET",
        &format!("/v1/{P}/cloudservers/detail?offset=2&limit=2"),
        "admin",
    )
    .body;
    assert_eq!(v1["count"], 5);
    assert_eq!(v1["servers"].as_array().unwrap().len(), 2);
    assert_eq!(v1["servers"][0]["id"], BOOTING);
    let first = api(
        &server,
        "GET",
        &format!("/v2.1/{P}/servers/detail?limit=2"),
        "admin",
    )
    .body;
    let next = first["servers_links"][0]["href"].as_str().unwrap();
    assert!(next.contains(&format!("marker={WIN4096}")), "{next}");
    let last = api(
        &server,
        "GET",
        &format!("/v2.1/{P}/servers/detail?limit=2&marker={LINUX}"),
        "admin",
    )
    .body;
    assert_eq!(last["servers"].as_array().unwrap().len(), 1);
    assert!(last.get("servers_links").is_none());
    let finance = api(
        &server,
        "GET",
        &format!("/v1/{P}/cloudservers/detail"),
        "finance",
    )
    .body;
    assert_eq!(
        finance["count"], 1,
        "an enterprise-project grant sees its servers only"
    );

    let key =
        PrivateKey::load(&std::fs::read(fixture("rsa2048.pkcs1.pem")).unwrap(), None).unwrap();
    for path in [
        format!("/v2.1/{P}/os-keypairs/demo-rsa2048"),
        format!("/compute/v2.1/{P}/os-keypairs/demo-rsa2048"),
    ] {
        let pair = api(&server, "GET", &path, "admin").body;
        assert_eq!(
            pair["keypair"]["fingerprint"].as_str(),
            Some(key.info().fingerprint_md5.as_str())
        );
        assert_eq!(
            pair["keypair"]["public_key"].as_str(),
            Some(key.info().public_key_openssh.as_str())
        );
    }
    let missing = api(
        &server,
        "GET",
        &format!("/v2/{P}/os-keypairs/gone"),
        "admin",
    );
    assert_eq!(
        (
            missing.status,
            missing.body["itemNotFound"]["code"].as_u64()
        ),
        (404, Some(404))
    );
}

#[test]
fn the_demo_lists_everything_and_its_keys_open() {
    let server = emulator(&[]);
    let demo = call("GET", &format!("{}/demo", server.url), &[], "")
        .unwrap()
        .body;
    // Relative: the demo never echoes the Host it was asked under.
    assert_eq!(demo["endpoint"].as_str(), Some("/"));
    assert_eq!(demo["project"]["id"], P);
    assert_eq!(
        demo["novaEndpoint"].as_str().unwrap(),
        format!("/compute/v2.1/{P}")
    );
    let names: Vec<&str> = demo["principals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["admin", "reader", "finance", "nobody"]);
    let servers = demo["servers"].as_array().unwrap();
    assert_eq!(servers.len(), 5);
    assert_eq!(servers[1]["paths"]["nova"], password_path("nova", WIN4096));
    assert!(servers[2]["postsPasswordAt"]
        .as_str()
        .unwrap()
        .starts_with("20"));
    assert_eq!(servers[3]["postsPasswordAt"], Value::Null);
    let mut opened = 0;
    for pair in demo["keyPairs"].as_array().unwrap() {
        for download in pair["downloads"].as_array().unwrap() {
            let response = agent()
                .get(format!(
                    "{}{}",
                    server.url,
                    download["href"].as_str().unwrap()
                ))
                .call()
                .unwrap();
            assert!(response.headers()["content-disposition"]
                .to_str()
                .unwrap()
                .starts_with("attachment"));
            let bytes = response.into_body().read_to_vec().unwrap();
            let passphrase = download["passphrase"].as_str().map(str::as_bytes);
            let key = PrivateKey::load(&bytes, passphrase).unwrap();
            if let Some(fp) = pair["fingerprint"].as_str() {
                assert_eq!(key.info().fingerprint_sha256, fp);
            }
            opened += 1;
        }
    }
    assert!(opened >= 12, "{opened}");
    assert_eq!(
        call(
            "GET",
            &format!("{}/demo/keys/..%2Fpassword.txt", server.url),
            &[],
            ""
        )
        .unwrap()
        .status,
        404
    );
}

#[test]
fn a_state_file_replaces_the_demo_and_bad_ones_are_named() {
    let dir = site();
    let public = std::fs::read_to_string(fixture("rsa3072.pub")).unwrap();
    let state = serde_json::json!({
        "region": "eu-de", "domainId": "d1", "project": { "id": "p1", "name": "eu-de" },
        "keyPairs": [{ "name": "kp", "publicKey": public.trim() }],
        "servers": [{ "id": "s1", "name": "w", "os": "windows", "keyName": "kp", "postsAfterSeconds": 0 }],
        "domainName": "acct",
        "principals": [{ "name": "ops", "token": "t1", "password": "pw-ops", "novaRoles": ["member"],
            "grants": { "grants": [{ "policy": "ECS FullAccess", "scope": { "project": "p1" } }] } }],
    });
    let file = dir.join("state.json");
    std::fs::write(&file, state.to_string()).unwrap();
    let server = start(&dir, &["--state", file.to_str().unwrap()]);
    let reply = call(
        "GET",
        &format!("{}/v2.1/p1/servers/s1/os-server-password", server.url),
        &[("X-Auth-Token", "t1")],
        "",
    )
    .unwrap();
    let key =
        PrivateKey::load(&std::fs::read(fixture("rsa3072.pkcs1.pem")).unwrap(), None).unwrap();
    assert!(decrypt_password(&key, reply.body["password"].as_str().unwrap()).is_ok());
    // The state file's user signs in to IAM (`/v3`, the region's project by name) and Keystone.
    let iam = call(
        "POST",
        &format!("{}/v3/auth/tokens", server.url),
        &[],
        r#"{"auth": {"identity": {"methods": ["password"], "password": {"user": {"name": "ops", "password": "pw-ops", "domain": {"name": "acct"}}}}, "scope": {"project": {"name": "eu-de"}}}}"#,
    )
    .unwrap();
    assert_eq!(iam.status, 201, "{}", iam.body);
    assert_eq!(iam.body["token"]["project"]["id"], "p1");
    let by_token = call(
        "GET",
        &format!("{}/v2.1/p1/servers/s1/os-server-password", server.url),
        &[("X-Auth-Token", iam.header("x-subject-token").unwrap())],
        "",
    )
    .unwrap();
    assert_eq!(by_token.body, reply.body);
    let demo = call("GET", &format!("{}/demo", server.url), &[], "").unwrap();
    assert_eq!(
        (demo.status, demo.body["error"]["code"].as_str()),
        (404, Some("NOT_DEMO"))
    );
    assert_eq!(
        call(
            "GET",
            &format!("{}/demo/keys/rsa2048.pkcs1.pem", server.url),
            &[],
            ""
        )
        .unwrap()
        .status,
        404
    );

    let bin = env!("CARGO_BIN_EXE_ecs-password");
    for (bad, says) in [
        (serde_json::json!({ "servers": [] }), "missing field"),
        (
            serde_json::json!({ "region": "r", "domainId": "d", "project": { "id": "p", "name": "n" }, "servers": [
            { "id": "s", "name": "n", "os": "windows", "keyName": "nope" }], "principals": [] }),
            "\"nope\"",
        ),
        (
            serde_json::json!({ "region": "r", "domainId": "d", "project": { "id": "p", "name": "n" }, "servers": [
            { "id": "s", "name": "n", "os": "windows" }], "principals": [{ "name": "x", "token": "t", "grants": { "grants": [{ "policy": "No Such Policy", "scope": { "project": "p" } }] } }] }),
            "principal \"x\"",
        ),
        (
            serde_json::json!({ "region": "r", "domainId": "d", "project": { "id": "p", "name": "n" }, "servers": [
            { "id": "s", "name": "n", "os": "windows", "postsAfterSeconds": 1_000_000_000_000u64 }], "principals": [] }),
            "postsAfterSeconds is at most 86400",
        ),
        (
            serde_json::json!({ "region": "r", "domainId": "d", "project": { "id": "p", "name": "n" }, "servers": [
            { "id": "s", "name": "n", "os": "windows" }], "principals": [{ "name": "x", "password": "pw", "totpSecret": "not base32!" }] }),
            "totpSecret is not base32",
        ),
    ] {
        std::fs::write(&file, bad.to_string()).unwrap();
        let out = std::process::Command::new(bin)
            .args(["serve", "--listen", "127.0.0.1:0", "--root"])
            .arg(&dir)
            .arg("--state")
            .arg(&file)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1));
        assert!(err.contains("STATE_INVALID") && err.contains(says), "{err}");
    }
}

#[test]
fn no_emulator_serves_the_page_only() {
    let server = emulator(&["--no-emulator"]);
    assert_eq!(
        api(&server, "GET", &password_path("v1", WIN2048), "admin").status,
        404
    );
    assert_eq!(
        call("GET", &format!("{}/demo", server.url), &[], "")
            .unwrap()
            .status,
        404
    );
    assert_eq!(
        call("GET", &format!("{}/", server.url), &[], "")
            .unwrap()
            .status,
        200
    );
}

#[test]
fn faults_are_injected_on_demand_and_repeat_with_a_seed() {
    let server = emulator(&["--faults", "throttle=1,retry-after=3"]);
    let throttled = api(&server, "GET", &password_path("v1", WIN2048), "admin");
    assert_eq!(
        (throttled.status, throttled.header("retry-after")),
        (429, Some("3"))
    );
    assert_eq!(throttled.body["error_code"], "APIGW.0308");
    // The static page and the demo are never faulted.
    assert_eq!(
        call("GET", &format!("{}/demo", server.url), &[], "")
            .unwrap()
            .status,
        200
    );

    let set = |spec: &str| {
        call(
            "PUT",
            &format!("{}/_emulator/faults", server.url),
            &[CONTROL],
            spec,
        )
        .unwrap()
        .status
    };
    assert_eq!(set(r#"{"errorRate": 2}"#), 400);
    assert_eq!(set(r#"{"errorRate": 1}"#), 204);
    let failed = api(&server, "GET", &password_path("v2.1", WIN2048), "admin");
    assert!(matches!(failed.status, 500 | 503), "{}", failed.status);

    // A dropped connection: the request took effect, the answer is lost.
    assert_eq!(set(r#"{"dropRate": 1}"#), 204);
    let dropped = call(
        "DELETE",
        &format!("{}{}", server.url, password_path("v1", WIN2048)),
        &[("X-Auth-Token", "demo-token-admin")],
        "",
    );
    assert!(dropped.is_err(), "the client must see a broken connection");
    assert_eq!(set("{}"), 204);
    assert_eq!(
        api(&server, "GET", &password_path("v1", WIN2048), "admin").body["password"],
        ""
    );

    // The same seed and the same requests give the same faults.
    let run = || {
        assert_eq!(
            set(r#"{"errorRate": 0.3, "throttleRate": 0.3, "seed": 9}"#),
            204
        );
        (0..30)
            .map(|_| api(&server, "GET", &password_path("v2", WIN4096), "admin").status)
            .collect::<Vec<_>>()
    };
    let first = run();
    assert_eq!(first, run());
    assert!(first.contains(&200) && first.contains(&429), "{first:?}");
}

#[test]
fn concurrent_requests_are_all_answered() {
    let server = emulator(&[]);
    let url = format!("{}{}", server.url, password_path("v1", WIN4096));
    let threads: Vec<_> = (0..32)
        .map(|_| {
            let url = url.clone();
            std::thread::spawn(move || {
                call("GET", &url, &[("X-Auth-Token", "demo-token-reader")], "")
                    .unwrap()
                    .status
            })
        })
        .collect();
    assert!(threads.into_iter().all(|t| t.join().unwrap() == 200));
}

/// The product's API client (through the CLI) against the emulator: every family, every operation,
/// tokens and AK/SK, and the errors mapped to the product's codes.
#[test]
fn contract_the_api_client_works_against_the_emulator_everywhere() {
    let server = emulator(&[]);
    let bin = env!("CARGO_BIN_EXE_ecs-password");
    let endpoint = |family: &str| {
        if family == "nova" {
            format!("{}/compute/v2.1/{P}", server.url)
        } else {
            server.url.clone()
        }
    };
    let run = |args: &[&str], family: &str, server_id: &str, aksk: bool| {
        let mut command = std::process::Command::new(bin);
        command.args(args).args([
            "--endpoint",
            &endpoint(family),
            "--project",
            P,
            "--server",
            server_id,
            "--family",
            family,
            "--json",
        ]);
        command
            .env_remove("OS_TOKEN")
            .env_remove("HUAWEICLOUD_SDK_AK")
            .env_remove("HUAWEICLOUD_SDK_SK");
        if aksk {
            command
                .env("HUAWEICLOUD_SDK_AK", "DEMO00000000000ADMIN")
                .env(
                    "HUAWEICLOUD_SDK_SK",
                    "demo-secret-key-1-admin-not-for-real-use",
                );
        } else {
            command.env("OS_TOKEN", "demo-token-admin");
        }
        let out = command.output().unwrap();
        let json: Value = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
        (out.status.code(), json)
    };
    let key = fixture("rsa2048.openssh-aes256ctr");
    let pass = fixture("passphrase.txt");
    let new_password = site().join("new-password.txt");
    std::fs::write(&new_password, "Fresh!Pass-2026\n").unwrap();
    for family in FAMILIES {
        for aksk in [false, true] {
            if family == "nova" && aksk {
                continue; // Keystone takes tokens only
            }
            let label = format!("{family} aksk={aksk}");
            call(
                "POST",
                &format!("{}/_emulator/servers/{WIN2048}/post", server.url),
                &[CONTROL],
                "",
            )
            .unwrap();
            let (code, got) = run(
                &[
                    "get",
                    "--key",
                    key.to_str().unwrap(),
                    "--passphrase-file",
                    pass.to_str().unwrap(),
                ],
                family,
                WIN2048,
                aksk,
            );
            assert_eq!(code, Some(0), "{label} {got}");
            assert_eq!(
                sha256_hex(got["password"].as_str().unwrap()),
                guest_password_sha256(&server, WIN2048),
                "{label}"
            );
            let (code, got) = run(&["clear"], family, WIN2048, aksk);
            assert_eq!(code, Some(0), "{label} {got}");
            let (code, got) = run(&["get"], family, WIN2048, aksk);
            assert_eq!(
                (code, got["error"]["code"].as_str()),
                (Some(1), Some("PASSWORD_NOT_AVAILABLE")),
                "{label}"
            );
            let (code, got) = run(&["flag"], family, WIN2048, aksk);
            let (code, got) = if family == "v1" {
                assert_eq!(
                    (code, got["resetSupported"].as_bool()),
                    (Some(0), Some(true)),
                    "{label} {got}"
                );
                run(
                    &[
                        "reset",
                        "--new-password-file",
                        new_password.to_str().unwrap(),
                    ],
                    family,
                    WIN2048,
                    aksk,
                )
            } else {
                assert_eq!(got["error"]["code"], "OPERATION_UNSUPPORTED", "{label}");
                run(
                    &[
                        "reset",
                        "--new-password-file",
                        new_password.to_str().unwrap(),
                    ],
                    family,
                    WIN2048,
                    aksk,
                )
            };
            if matches!(family, "v1" | "v2.1") {
                assert_eq!(code, Some(0), "{label} {got}");
                assert_eq!(
                    guest_password_sha256(&server, WIN2048),
                    sha256_hex("Fresh!Pass-2026"),
                    "{label}"
                );
            } else {
                assert_eq!(got["error"]["code"], "OPERATION_UNSUPPORTED", "{label}");
            }
            let (_, got) = run(
                &["get"],
                family,
                "00000000-0000-4000-8000-000000000000",
                aksk,
            );
            assert_eq!(got["error"]["code"], "SERVER_NOT_FOUND", "{label}");
            let (_, got) = run(&["get"], family, NOKEY, aksk);
            assert_eq!(got["error"]["code"], "PASSWORD_NOT_AVAILABLE", "{label}");
        }
    }
    // Refusals map to the product's codes, with the cloud's details.
    let mut command = std::process::Command::new(bin);
    let out = command
        .args([
            "clear",
            "--endpoint",
            &server.url,
            "--project",
            P,
            "--server",
            WIN4096,
            "--family",
            "v1",
            "--json",
        ])
        .env("OS_TOKEN", "demo-token-reader")
        .output()
        .unwrap();
    let got: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(got["error"]["code"], "FORBIDDEN", "{got}");
    assert_eq!(got["error"]["cloud"]["cloudCode"], "Pdp.0001", "{got}");
    let out = std::process::Command::new(bin)
        .args([
            "get",
            "--endpoint",
            &server.url,
            "--project",
            P,
            "--server",
            WIN4096,
            "--family",
            "v2",
            "--json",
        ])
        .env("OS_TOKEN", "expired")
        .output()
        .unwrap();
    let got: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(got["error"]["code"], "AUTH_FAILED", "{got}");
}

/// Under injected faults the CLI gets the password or ends with a clear error, in bounded time,
/// retries reads (never a reset), and a reset whose answer is lost is not sent again.
#[test]
fn the_cli_under_faults_gets_the_password_or_a_clear_error_and_never_resets_twice() {
    let server = emulator(&["--faults", "throttle=0.3,error=0.1,retry-after=0,seed=11"]);
    let bin = env!("CARGO_BIN_EXE_ecs-password");
    let cli = |args: &[&str]| {
        let started = std::time::Instant::now();
        let out = std::process::Command::new(bin)
            .args(args)
            .args([
                "--endpoint",
                &server.url,
                "--project",
                P,
                "--server",
                WIN2048,
                "--family",
                "v1",
                "--json",
            ])
            .env("OS_TOKEN", "demo-token-admin")
            .output()
            .unwrap();
        assert!(started.elapsed().as_secs() < 30, "the CLI must not hang");
        let json: Value = serde_json::from_slice(&out.stdout).unwrap();
        (out.status.code(), json)
    };
    let requests = || state(&server)["requests"].as_u64().unwrap();
    let key = fixture("rsa2048.pkcs1.pem");
    let expected = guest_password_sha256(&server, WIN2048);
    let mut got_it = 0;
    for _ in 0..8 {
        match cli(&["get", "--key", key.to_str().unwrap()]) {
            (Some(0), json) => {
                assert_eq!(sha256_hex(json["password"].as_str().unwrap()), expected);
                got_it += 1;
            }
            (Some(1), json) => {
                let code = json["error"]["code"].as_str().unwrap().to_owned();
                assert!(
                    ["RATE_LIMITED", "CLOUD_UNAVAILABLE", "CLOUD_ERROR"].contains(&code.as_str()),
                    "{json}"
                );
                assert!(!json["error"]["message"].as_str().unwrap().is_empty());
            }
            other => panic!("{other:?}"),
        }
    }
    assert!(
        got_it >= 5,
        "retries should get most reads through: {got_it}/8"
    );

    let set = |spec: &str| {
        assert_eq!(
            call(
                "PUT",
                &format!("{}/_emulator/faults", server.url),
                &[CONTROL],
                spec
            )
            .unwrap()
            .status,
            204
        )
    };
    let new_password = site().join("new.txt");
    std::fs::write(&new_password, "Fresh!Pass-2026\n").unwrap();
    let reset = || {
        cli(&[
            "reset",
            "--new-password-file",
            new_password.to_str().unwrap(),
        ])
    };

    // Throttled: a read is retried (4 tries), a reset is sent once.
    set(r#"{"throttleRate": 1, "retryAfterSeconds": 0}"#);
    let before = requests();
    assert_eq!(cli(&["get"]).1["error"]["code"], "RATE_LIMITED");
    assert_eq!(requests() - before, 4);
    let before = requests();
    assert_eq!(reset().1["error"]["code"], "RATE_LIMITED");
    assert_eq!(requests() - before, 1, "a reset is never retried");

    // The answer to a reset is lost: the CLI says so, and the reset happened exactly once.
    set(r#"{"dropRate": 1}"#);
    let resets_before = state(&server)["servers"][0]["resets"].as_u64().unwrap();
    let (code, json) = reset();
    assert_eq!(code, Some(1));
    assert_eq!(json["error"]["code"], "NETWORK_ERROR", "{json}");
    let after = state(&server);
    assert_eq!(
        after["servers"][0]["resets"].as_u64().unwrap(),
        resets_before + 1
    );
    assert_eq!(
        after["servers"][0]["passwordSha256"],
        sha256_hex("Fresh!Pass-2026")
    );
}

/// One request by hand, answered and closed: (status, body).
fn raw_call(server: &Server, request: &str) -> (u16, String) {
    let answer = common::raw_request(server, request);
    let status = answer
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = answer.split("\r\n\r\n").nth(1).unwrap_or("").to_owned();
    (status, body)
}

#[test]
fn other_sites_cannot_drive_the_emulator_or_read_the_demo() {
    let server = emulator(&[]);
    let address = common::address(&server);
    let port = address.rsplit(':').next().unwrap().to_owned();
    // DNS rebinding: a page of evil.example whose name now points to 127.0.0.1.
    for host in ["evil.example", &format!("evil.example:{port}")] {
        let (status, body) = raw_call(
            &server,
            &format!("GET /demo HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"),
        );
        assert_eq!(status, 421, "{host}: {body}");
        assert!(!body.contains("secretKey"), "{body}");
    }
    let (status, body) = raw_call(
        &server,
        &format!("GET /demo HTTP/1.1\r\nHost: localhost:{port}\r\nConnection: close\r\n\r\n"),
    );
    assert_eq!(status, 200);
    assert!(!body.contains("localhost"), "the demo echoes Host: {body}");

    // A form or a simple fetch from another site: no custom header.
    let before = state(&server)["servers"][0]["passwordSha256"].clone();
    let control = |method: &str, path: &str, headers: &str| {
        raw_call(
            &server,
            &format!(
                "{method} /_emulator/{path} HTTP/1.1\r\nHost: {address}\r\n{headers}Content-Length: 0\r\nConnection: close\r\n\r\n"
            ),
        )
        .0
    };
    for (method, path) in [
        ("POST", "reset"),
        ("PUT", "faults"),
        ("GET", "faults"),
        ("GET", "state"),
        ("POST", &format!("servers/{BOOTING}/post") as &str),
    ] {
        assert_eq!(
            control(method, path, "Origin: https://evil.example\r\n"),
            403,
            "{method} {path}"
        );
        assert_eq!(control(method, path, ""), 403, "{method} {path}");
        // The header, but from another origin (or a null one).
        for origin in ["https://evil.example", "null", "http://127.0.0.1:1"] {
            assert_eq!(
                control(
                    method,
                    path,
                    &format!("X-Emulator-Control: 1\r\nOrigin: {origin}\r\n")
                ),
                403,
                "{method} {path} from {origin}"
            );
        }
    }
    assert_eq!(state(&server)["servers"][0]["passwordSha256"], before);
    // The page itself (same origin) and tools (no Origin) with the header may.
    assert_eq!(
        control(
            "POST",
            "reset",
            &format!("X-Emulator-Control: 1\r\nOrigin: http://{address}\r\n")
        ),
        204
    );
    assert_eq!(control("POST", "reset", "X-Emulator-Control: 1\r\n"), 204);
    assert_ne!(state(&server)["servers"][0]["passwordSha256"], before);
}

#[test]
fn a_request_that_fails_inside_the_emulator_does_not_break_the_next_ones() {
    let server = emulator(&[]);
    let address = common::address(&server);
    let demo = call("GET", &format!("{}/demo", server.url), &[], "")
        .unwrap()
        .body;
    let admin = demo["principals"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "admin")
        .unwrap()
        .clone();
    let (ak, sk) = (
        admin["accessKey"].as_str().unwrap(),
        admin["secretKey"].as_str().unwrap(),
    );
    let path = password_path("v1", WIN2048);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    // Signed for a host name that is not ASCII once its %-escapes are decoded.
    for host in ["X%C3%A9.example", &address as &str] {
        let mut request = HttpRequest::new(
            "GET",
            url::Url::parse(&format!("http://{address}{path}")).unwrap(),
        );
        sign(&mut request, &AkSk::new(ak, sk, None), &sdk_date(now));
        let mut head = format!("GET {path} HTTP/1.1\r\nConnection: close\r\n");
        for (name, value) in &request.headers {
            if !name.eq_ignore_ascii_case("host") {
                head.push_str(&format!("{name}: {value}\r\n"));
            }
        }
        head.push_str(&format!("Host: {host}\r\n\r\n"));
        let (status, body) = raw_call(&server, &head);
        assert!(status != 500 && status != 0, "{host}: {status} {body}");
    }
    for _ in 0..3 {
        assert_eq!(
            api(&server, "GET", &password_path("v1", WIN2048), "admin").status,
            200
        );
    }
    assert_eq!(
        call("GET", &format!("{}/demo", server.url), &[], "")
            .unwrap()
            .status,
        200
    );
}

#[test]
fn nova_describes_its_versions_and_honours_microversions() {
    let server = emulator(&[]);
    let root = call("GET", &format!("{}/compute/", server.url), &[], "").unwrap();
    assert_eq!(root.status, 200);
    let versions = root.body["versions"].as_array().unwrap();
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[1]["id"], "v2.1");
    assert_eq!(versions[1]["status"], "CURRENT");
    assert_eq!(versions[1]["min_version"], "2.1");
    assert_eq!(versions[1]["version"], "2.96");
    assert!(root
        .header("x-compute-request-id")
        .unwrap()
        .starts_with("req-"));
    let v21 = call("GET", &format!("{}/compute/v2.1", server.url), &[], "").unwrap();
    assert_eq!(v21.body["version"]["id"], "v2.1");
    assert_eq!(
        v21.body["version"]["media-types"][0]["type"],
        "application/vnd.openstack.compute+json;version=2.1"
    );
    let t = token("admin");
    let show = |headers: &[(&str, &str)]| {
        let mut all = vec![("X-Auth-Token", t.as_str())];
        all.extend_from_slice(headers);
        call(
            "GET",
            &format!("{}/compute/v2.1/{P}/servers/{WIN2048}", server.url),
            &all,
            "",
        )
        .unwrap()
    };
    // No header: 2.1, with the 2.1 view (a flavor reference, no `locked`).
    let plain = show(&[]);
    assert_eq!(plain.header("openstack-api-version"), Some("compute 2.1"));
    assert_eq!(plain.header("x-openstack-nova-api-version"), Some("2.1"));
    let s = &plain.body["server"];
    for field in [
        "created",
        "updated",
        "addresses",
        "image",
        "status",
        "tenant_id",
        "user_id",
    ] {
        assert!(!s[field].is_null(), "{field}");
    }
    assert_eq!(s["flavor"]["id"], "s6.large.2");
    assert!(s.get("locked").is_none());
    // 2.79: an embedded flavor, `locked`, `tags`.
    let newer = show(&[("OpenStack-API-Version", "compute 2.79")]);
    assert_eq!(newer.header("openstack-api-version"), Some("compute 2.79"));
    assert_eq!(newer.body["server"]["flavor"]["vcpus"], 2);
    assert_eq!(newer.body["server"]["locked"], false);
    let latest = show(&[("X-OpenStack-Nova-API-Version", "latest")]);
    assert_eq!(latest.header("x-openstack-nova-api-version"), Some("2.96"));
    // Outside the range: 406; malformed: 400.
    let unsupported = show(&[("OpenStack-API-Version", "compute 2.999")]);
    assert_eq!(unsupported.status, 406);
    assert_eq!(unsupported.body["computeFault"]["code"], 406);
    assert_eq!(
        show(&[("OpenStack-API-Version", "compute two")]).status,
        400
    );
    // 401 names the Keystone to go to.
    let refused = call(
        "GET",
        &format!("{}/compute/v2.1/{P}/servers/{WIN2048}", server.url),
        &[],
        "",
    )
    .unwrap();
    assert_eq!(refused.status, 401);
    assert!(refused
        .header("www-authenticate")
        .unwrap()
        .starts_with("Keystone uri=\"http://"));
    // ECS v1 shows Huawei's fields.
    let v1 = api(
        &server,
        "GET",
        &format!("/v1/{P}/cloudservers/{WIN2048}"),
        "admin",
    );
    assert_eq!(v1.body["server"]["flavor"]["vcpus"], "2");
    assert_eq!(
        v1.body["server"]["sys_tags"][0]["key"],
        "_sys_enterprise_project_id"
    );
}

#[test]
fn keystone_issues_tokens_that_compute_accepts() {
    let server = emulator(&[]);
    // 300 with the version list (the test agent would follow its Location).
    let host = server.url.trim_start_matches("http://").to_owned();
    let (status, text) = raw_call(
        &server,
        &format!("GET /identity/ HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"),
    );
    assert_eq!(status, 300);
    assert!(text.contains(r#""id":"v3.14""#), "{text}");
    let tokens = format!("{}/identity/v3/auth/tokens", server.url);
    let password = |user: &str, secret: &str| {
        format!(
            r#"{{"auth": {{"identity": {{"methods": ["password"], "password": {{"user": {{"name": "{user}", "domain": {{"name": "demo"}}, "password": "{secret}"}}}}}},
               "scope": {{"project": {{"name": "demo-1", "domain": {{"name": "demo"}}}}}}}}}}"#
        )
    };
    let issued = call(
        "POST",
        &tokens,
        &[],
        &password("admin", "demo-password-admin"),
    )
    .unwrap();
    assert_eq!(issued.status, 201);
    let token = issued.header("x-subject-token").unwrap().to_owned();
    let body = &issued.body["token"];
    assert_eq!(body["methods"][0], "password");
    assert_eq!(body["project"]["id"], P);
    assert_eq!(body["user"]["domain"]["name"], "demo");
    let roles: Vec<&str> = body["roles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(roles, ["member", "reader"]);
    let compute = body["catalog"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["type"] == "compute")
        .unwrap();
    let url = compute["endpoints"][0]["url"].as_str().unwrap();
    assert!(url.ends_with(&format!("/compute/v2.1/{P}")));
    let got = call(
        "GET",
        &format!("{url}/servers/{WIN2048}/os-server-password"),
        &[("X-Auth-Token", &token)],
        "",
    )
    .unwrap();
    assert_eq!(got.status, 200);
    assert!(!got.body["password"].as_str().unwrap().is_empty());
    // Validation, then revocation.
    let valid = call(
        "GET",
        &tokens,
        &[("X-Auth-Token", &token), ("X-Subject-Token", &token)],
        "",
    )
    .unwrap();
    assert_eq!(valid.status, 200);
    assert_eq!(
        call(
            "DELETE",
            &tokens,
            &[("X-Auth-Token", &token), ("X-Subject-Token", &token)],
            ""
        )
        .unwrap()
        .status,
        204
    );
    let gone = call(
        "GET",
        &format!("{url}/servers/{WIN2048}/os-server-password"),
        &[("X-Auth-Token", &token)],
        "",
    )
    .unwrap();
    assert_eq!(gone.status, 401);
    // A wrong password: Keystone's shape and WWW-Authenticate.
    let wrong = call("POST", &tokens, &[], &password("admin", "nope")).unwrap();
    assert_eq!(wrong.status, 401);
    assert_eq!(wrong.body["error"]["title"], "Unauthorized");
    assert!(wrong
        .header("www-authenticate")
        .unwrap()
        .starts_with("Keystone uri="));
    // The MFA user: a receipt, then the code completes it.
    let receipt = call(
        "POST",
        &tokens,
        &[],
        &password("reader", "demo-password-reader"),
    )
    .unwrap();
    assert_eq!(receipt.status, 401);
    assert_eq!(receipt.body["required_auth_methods"][0][1], "totp");
    assert_eq!(receipt.body["receipt"]["methods"][0], "password");
    assert!(receipt.header("openstack-auth-receipt").is_some());
    // A passcode that is not the current one is refused, with the receipt too.
    let bad_code = r#"{"auth": {"identity": {"methods": ["totp"], "totp": {"user": {"id": "00000000000000000000000000000002", "passcode": "000000x"}}}}}"#;
    let refused = call(
        "POST",
        &tokens,
        &[(
            "Openstack-Auth-Receipt",
            receipt.header("openstack-auth-receipt").unwrap(),
        )],
        bad_code,
    )
    .unwrap();
    assert_eq!(refused.status, 401);
    assert!(refused.body.get("receipt").is_none());
}

#[test]
fn temporary_access_keys_need_their_security_token() {
    let server = emulator(&[]);
    let demo = call("GET", &format!("{}/demo", server.url), &[], "")
        .unwrap()
        .body;
    let admin = demo["principals"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "admin")
        .unwrap()
        .clone();
    let temp = &admin["temporaryCredentials"][0];
    let (ak, sk, st) = (
        temp["accessKey"].as_str().unwrap(),
        temp["secretKey"].as_str().unwrap(),
        temp["securityToken"].as_str().unwrap(),
    );
    let url = format!("{}{}", server.url, password_path("v1", WIN2048));
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let send = |token: Option<&str>| {
        let mut request = HttpRequest::new("GET", url::Url::parse(&url).unwrap());
        sign(
            &mut request,
            &AkSk::new(ak, sk, token.map(str::to_owned)),
            &sdk_date(now),
        );
        let pairs: Vec<(&str, &str)> = request
            .headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        call("GET", &url, &pairs, "").unwrap()
    };
    assert_eq!(send(Some(st)).status, 200);
    for bad in [None, Some("not-the-token")] {
        let r = send(bad);
        assert_eq!(r.status, 401, "{bad:?}");
        assert_eq!(r.body["error_code"], "APIGW.0301");
    }
    // IAM's project lookup, as Huawei's SDKs make it, signed with the same keys.
    let lookup = format!("{}/v3/projects?name=demo-1", server.url);
    let mut request = HttpRequest::new("GET", url::Url::parse(&lookup).unwrap());
    sign(
        &mut request,
        &AkSk::new(ak, sk, Some(st.to_owned())),
        &sdk_date(now),
    );
    let pairs: Vec<(&str, &str)> = request
        .headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let projects = call("GET", &lookup, &pairs, "").unwrap();
    assert_eq!(projects.body["projects"][0]["id"], P);
}
