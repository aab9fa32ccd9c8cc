//! Keys the cloud holds: Huawei Cloud's Key Pair Service (KPS, part of DEW). A key pair created
//! with "hosted" private key (`is_key_protection`) keeps its private key in KPS, encrypted with a
//! KMS key; the owner (or an IAM user allowed `kps:domainKeypairs:exportpk` and
//! `kms:cmk:decryptDataKey`) can export it. Sans-IO, as the rest of `api`: requests are built here
//! and answers read here; something else sends them (the browser's decryption worker, so that the
//! private key exists nowhere else; the CLI's blocking client).
//!
//! The endpoint is DEW's, `https://kms.{region}.myhuaweicloud.com` (huaweicloud-sdk-python-v3,
//! `huaweicloudsdkkps/v3/region/kps_region.py`); the paths come from [`crate::route::KpsRoute`];
//! the actions each request needs from [`crate::permission::KPS_TABLE`]. Facts and sources:
//! docs/permissions.md, "Keys the cloud holds".

use super::http::{HttpRequest, HttpResponse, MAX_BODY_BYTES};
use super::request::{join, Endpoint};
use super::response::{clean, details, invalid, CloudAnswer};
use crate::error::{Error, ErrorCode, Result};
use crate::key::PrivateKey;
use crate::message::Message;
use crate::permission::{kps_row, KpsOperation};
use crate::route::{check_id, KpsResource, KpsRoute};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use zeroize::Zeroizing;

/// BatchExportPrivateKey exports at most this many private keys at a time.
pub const MAX_BATCH: usize = 10;

/// Where KPS calls go: the KPS (DEW) endpoint, or a same-origin proxy path to it, and the project.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KpsTarget {
    /// `https://kms.{region}.myhuaweicloud.com` (or a proxy, see `Endpoint::via_proxy`).
    pub endpoint: Endpoint,
    /// The project id (the region's project).
    pub project_id: String,
}

/// A KPS call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KpsCall {
    /// A key pair's details (ListKeypairDetail): is its private key hosted?
    Details(String),
    /// Export one hosted private key (ExportPrivateKey).
    Export(String),
    /// Export up to [`MAX_BATCH`] hosted private keys (BatchExportPrivateKey): a ZIP archive.
    BatchExport(Vec<String>),
}

impl KpsCall {
    /// The operation, as the permission table names it.
    pub const fn operation(&self) -> KpsOperation {
        match self {
            KpsCall::Details(_) => KpsOperation::Details,
            KpsCall::Export(_) => KpsOperation::Export,
            KpsCall::BatchExport(_) => KpsOperation::BatchExport,
        }
    }

    /// The key pair (or, for a batch, the names joined by ", ") it is about, for messages.
    pub fn key_pairs(&self) -> String {
        match self {
            KpsCall::Details(name) | KpsCall::Export(name) => name.clone(),
            KpsCall::BatchExport(names) => names.join(", "),
        }
    }
}

/// Builds the request for `call` (no auth headers yet: see `api::auth::authorize`). Every name is
/// checked by the one id rule; a batch holds 1 to 10 distinct names.
pub fn build(target: &KpsTarget, call: &KpsCall) -> Result<HttpRequest> {
    let (resource, body) = match call {
        KpsCall::Details(name) => (KpsResource::Details(name.clone()), None),
        KpsCall::Export(name) => {
            check_id("key-pair-name", name)?;
            (
                KpsResource::Export,
                Some(serde_json::json!({ "keypair": { "name": name } })),
            )
        }
        KpsCall::BatchExport(names) => {
            let distinct = names
                .iter()
                .enumerate()
                .all(|(i, n)| !names[..i].contains(n));
            if names.is_empty() || names.len() > MAX_BATCH || !distinct {
                return Err(Error::new(
                    ErrorCode::IdInvalid,
                    Message::new("kps-batch-size")
                        .with("max", MAX_BATCH)
                        .with("count", names.len()),
                ));
            }
            for name in names {
                check_id("key-pair-name", name)?;
            }
            let items: Vec<Value> = names
                .iter()
                .map(|name| serde_json::json!({ "keypair": { "name": name } }))
                .collect();
            (KpsResource::BatchExport, Some(Value::Array(items)))
        }
    };
    let (method, segments) = KpsRoute {
        project: target.project_id.clone(),
        resource,
    }
    .build()?;
    let segments: Vec<&str> = segments.iter().map(String::as_str).collect();
    let mut request =
        HttpRequest::new(method.as_str(), join(target.endpoint.url(), &segments, &[]));
    request.signed_url = target
        .endpoint
        .upstream()
        .map(|upstream| join(upstream, &segments, &[]));
    request.set_header(
        "Accept",
        if matches!(call, KpsCall::BatchExport(_)) {
            "application/zip, application/json"
        } else {
            "application/json"
        },
    );
    if let Some(body) = body {
        request.set_header("Content-Type", "application/json;charset=utf8");
        request.body = serde_json::to_vec(&body).unwrap_or_default();
    }
    Ok(request)
}

/// A key pair as KPS describes it: enough to tell whether its private key can be used from the
/// cloud, and to check it against the server's key pair.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "camelCase")]
pub struct HostedKeyPair {
    /// Its name.
    pub name: String,
    /// `ssh-rsa AAAA...`.
    pub public_key: String,
    /// As KPS lists it.
    pub fingerprint: Option<String>,
    /// The private key is hosted by KPS (`is_key_protection`): it can be exported.
    pub hosted: bool,
    /// KPS says the key pair is frozen (`frozen_state` other than 0).
    pub frozen: bool,
}

impl HostedKeyPair {
    /// `KEY_NOT_HOSTED` unless the private key is hosted: then there is nothing to export, and
    /// the user's own key file is the only way.
    pub fn require_hosted(&self) -> Result<()> {
        if self.hosted {
            return Ok(());
        }
        let name = &self.name;
        Err(Error::new(
            ErrorCode::KeyNotHosted,
            Message::new("kps-not-hosted").with("name", name),
        ))
    }
}

/// Reads a ListKeypairDetail answer: `{"keypair": {"name", "public_key", "fingerprint",
/// "is_key_protection", "frozen_state", ...}}`.
pub fn parse_details(name: &str, response: &HttpResponse) -> Result<HostedKeyPair> {
    let call = KpsCall::Details(name.to_owned());
    let body = success_json(&call, response)?;
    let keypair = body.get("keypair").ok_or_else(|| {
        invalid(
            response,
            Message::new("answer-field-missing").with("field", "keypair"),
        )
    })?;
    let text = |k: &str| {
        keypair
            .get(k)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let (Some(name), Some(public_key)) = (text("name"), text("public_key")) else {
        return Err(invalid(
            response,
            Message::new("answer-key-pair-incomplete"),
        ));
    };
    let hosted = match keypair.get("is_key_protection") {
        Some(Value::Bool(b)) => *b,
        None | Some(Value::Null) => false,
        Some(_) => {
            return Err(invalid(
                response,
                Message::new("answer-field-type")
                    .with("field", "is_key_protection")
                    .with("kind", "boolean"),
            ))
        }
    };
    // A string in BatchExportPrivateKey's Keypair, an integer in ListKeypairDetail's.
    let frozen = match keypair.get("frozen_state") {
        Some(Value::Number(n)) => n.as_u64() != Some(0),
        Some(Value::String(s)) => s.trim() != "0" && !s.trim().is_empty(),
        _ => false,
    };
    Ok(HostedKeyPair {
        name,
        public_key,
        fingerprint: text("fingerprint"),
        hosted,
        frozen,
    })
}

/// A private key exported from KPS: the PEM text, wiped when dropped and never shown by `Debug`.
/// Load it with [`ExportedKey::load`] and drop it.
pub struct ExportedKey {
    name: Option<String>,
    private_key: Zeroizing<String>,
}

impl core::fmt::Debug for ExportedKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ExportedKey")
            .field("name", &self.name)
            .field("private_key", &"<redacted>")
            .finish()
    }
}

impl ExportedKey {
    /// The key pair's name, as the answer gives it.
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// The private key's text (PEM), for the key loader.
    pub fn private_key(&self) -> &[u8] {
        self.private_key.as_bytes()
    }

    /// Loads the private key with the same loader as a key file (no passphrase: KPS exports it
    /// in the clear, over TLS).
    pub fn load(&self) -> Result<PrivateKey> {
        PrivateKey::load(self.private_key(), None)
    }
}

/// The private key's string, read straight into a zeroizing buffer.
struct SecretText(Zeroizing<String>);

impl<'de> Deserialize<'de> for SecretText {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> core::result::Result<Self, D::Error> {
        String::deserialize(d).map(|s| SecretText(Zeroizing::new(s)))
    }
}

#[derive(Deserialize)]
struct ExportAnswer {
    keypair: Option<ExportedPair>,
}

#[derive(Deserialize)]
struct ExportedPair {
    name: Option<String>,
    private_key: Option<SecretText>,
}

/// Reads the body of a successful ExportPrivateKey answer, `{"keypair": {"name", "private_key":
/// "-----BEGIN RSA PRIVATE KEY-----..."}}`: what the decryption worker hands the key module, so
/// that the private key is parsed where it is used. `expected` is the key pair asked for; an answer
/// about another one is refused. Errors never quote the body.
pub fn parse_export_body(expected: &str, body: &[u8]) -> Result<ExportedKey> {
    let bad = |why: Message| {
        Error::new(
            ErrorCode::ResponseInvalid,
            Message::new("kps-export-invalid").with("detail", why),
        )
    };
    if body.len() > MAX_BODY_BYTES {
        return Err(bad(Message::new("answer-too-large")));
    }
    // From text, as `decrypt` reads a pasted answer: one JSON reader in the key module, not two.
    let text = core::str::from_utf8(body).map_err(|_| bad(Message::new("answer-not-utf8")))?;
    let answer: ExportAnswer =
        serde_json::from_str(text).map_err(|_| bad(Message::new("answer-not-documented")))?;
    let pair = answer
        .keypair
        .ok_or_else(|| bad(Message::new("answer-field-missing").with("field", "keypair")))?;
    if let Some(name) = pair.name.as_deref().filter(|n| !n.is_empty()) {
        if name != expected {
            return Err(bad(Message::new("answer-other-key-pair")
                .with("got", clean(name.to_owned()))
                .with("expected", clean(expected.to_owned()))));
        }
    }
    let private_key = pair
        .private_key
        .map(|s| s.0)
        .filter(|k| !k.trim().is_empty())
        .ok_or_else(|| bad(Message::new("answer-no-private-key")))?;
    Ok(ExportedKey {
        name: pair.name,
        private_key,
    })
}

/// Reads an ExportPrivateKey answer: the private key, or the cloud's error (see [`error_from`]).
pub fn parse_export(name: &str, response: &HttpResponse) -> Result<ExportedKey> {
    let call = KpsCall::Export(name.to_owned());
    check(&call, response)?;
    parse_export_body(name, &response.body).map_err(|e| {
        Error::from_cloud(
            e.code(),
            e.message().clone(),
            details(response, None, None, None),
        )
    })
}

/// Reads a BatchExportPrivateKey answer: the ZIP archive KPS sends (`keypairs.zip`, one private key
/// file per key pair), as bytes wiped on drop. The archive is not opened here.
pub fn parse_batch_export(names: &[String], response: &HttpResponse) -> Result<Zeroizing<Vec<u8>>> {
    check(&KpsCall::BatchExport(names.to_vec()), response)?;
    if !response.body.starts_with(b"PK\x03\x04") {
        return Err(invalid(response, Message::new("answer-not-zip")));
    }
    Ok(Zeroizing::new(response.body.clone()))
}

fn check(call: &KpsCall, response: &HttpResponse) -> Result<()> {
    if response.body.len() > MAX_BODY_BYTES {
        return Err(invalid(response, Message::new("answer-too-large")));
    }
    if !(200..300).contains(&response.status) {
        return Err(error_from(call, response));
    }
    Ok(())
}

fn success_json(call: &KpsCall, response: &HttpResponse) -> Result<Value> {
    check(call, response)?;
    serde_json::from_slice(&response.body)
        .map_err(|_| invalid(response, Message::new("answer-not-json")))
}

/// The action a refusal's message names (`Policy doesn't allow kms:cmk:decryptDataKey to be
/// performed.`), if it names one.
fn named_action(message: &str) -> Option<String> {
    message
        .split(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | ',' | '(' | ')' | '[' | ']'))
        .map(|w| w.trim_end_matches(['.', ';']))
        .find(|w| {
            let parts: Vec<&str> = w.split(':').collect();
            parts.len() == 3
                && parts.iter().all(|p| {
                    !p.is_empty() && p.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'*')
                })
        })
        .map(str::to_owned)
}

/// Maps a KPS error answer (the gateway's `{"error_code", "error_msg"}`, KPS's own `KPS.XXX` codes
/// in the same shape, or `{"error": {...}}`) to our code and messages, with the cloud's code,
/// message and request id. A 403 names the actions the call needs (and the one the cloud names).
/// Error answers hold no private key, so the cloud module maps the ones the worker's `fetch` got.
pub fn error_from(call: &KpsCall, response: &HttpResponse) -> Error {
    let answer = CloudAnswer::read(response);
    let status = response.status;
    let cloud = answer.cloud_code();
    let names = clean(call.key_pairs());
    let row = kps_row(call.operation());
    let needs: Vec<&str> = row.required().collect();
    let (our, reason): (ErrorCode, Message) = match (status, cloud) {
        (401, _) | (_, "APIGW.0301" | "APIGW.0101" | "APIGW.0303" | "APIGW.0305") => {
            (ErrorCode::AuthFailed, Message::new("kps-auth-failed"))
        }
        (403, _) | (_, "Pdp.0001") => {
            let named = answer.message.as_deref().and_then(named_action).map(clean);
            let reason = Message::new("kps-forbidden")
                .with(
                    "operation",
                    Message::new("kps-operation").with("operation", row.operation.as_str()),
                )
                .with("actions", needs.join(" + "));
            let reason = match named {
                Some(action) => Message::new("kps-forbidden-named")
                    .with("reason", reason)
                    .with("action", action),
                None => reason,
            };
            (ErrorCode::Forbidden, reason)
        }
        (404, _) => (
            ErrorCode::KeyPairNotFound,
            Message::new("kps-key-pair-not-found").with("names", names),
        ),
        (429, _) => (ErrorCode::RateLimited, Message::new("kps-rate-limited")),
        (500..=599, _) => (ErrorCode::CloudUnavailable, Message::new("kps-unavailable")),
        _ => (
            ErrorCode::CloudError,
            Message::new("kps-refused").with("names", names),
        ),
    };
    answer.error(our, reason)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The demo's 2048-bit test key (tests/fixtures): a public test key, never used elsewhere.
    const KEY: &str = include_str!("../../tests/fixtures/rsa2048.pkcs1.pem");

    fn target() -> KpsTarget {
        KpsTarget {
            endpoint: Endpoint::parse("https://kms.cn-north-4.myhuaweicloud.com").unwrap(),
            project_id: "0605767f5a80d5762fc1c000cf2b3f95".into(),
        }
    }

    fn answer(status: u16, body: &str) -> HttpResponse {
        HttpResponse {
            status,
            headers: vec![("X-Request-Id".into(), "r-1".into())],
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn requests_follow_the_api_reference() {
        let details = build(&target(), &KpsCall::Details("demo2".into())).unwrap();
        assert_eq!(details.method, "GET");
        assert_eq!(
            details.url.as_str(),
            "https://kms.cn-north-4.myhuaweicloud.com/v3/0605767f5a80d5762fc1c000cf2b3f95/keypairs/demo2"
        );
        assert!(details.body.is_empty());

        // The documented example request: {"keypair": {"name": "demo2"}}.
        let export = build(&target(), &KpsCall::Export("demo2".into())).unwrap();
        assert_eq!(export.method, "POST");
        assert_eq!(
            export.url.as_str(),
            "https://kms.cn-north-4.myhuaweicloud.com/v3/0605767f5a80d5762fc1c000cf2b3f95/keypairs/private-key/export"
        );
        assert_eq!(
            serde_json::from_slice::<Value>(&export.body).unwrap(),
            serde_json::json!({ "keypair": { "name": "demo2" } })
        );
        assert_eq!(
            export.header("Content-Type"),
            Some("application/json;charset=utf8")
        );

        // The documented batch example: demo2, demo3 and demo4.
        let names: Vec<String> = ["demo2", "demo3", "demo4"].map(String::from).to_vec();
        let batch = build(&target(), &KpsCall::BatchExport(names)).unwrap();
        assert!(batch
            .url
            .path()
            .ends_with("/keypairs/private-key/batch-export"));
        assert_eq!(
            serde_json::from_slice::<Value>(&batch.body).unwrap(),
            serde_json::json!([
                { "keypair": { "name": "demo2" } },
                { "keypair": { "name": "demo3" } },
                { "keypair": { "name": "demo4" } }
            ])
        );

        // Behind a proxy: sent to the proxy, signed for KPS.
        let proxied = KpsTarget {
            endpoint: Endpoint::via_proxy(
                "http://127.0.0.1:8080/proxy/kms",
                "https://kms.cn-north-4.myhuaweicloud.com",
            )
            .unwrap(),
            project_id: "p1".into(),
        };
        let request = build(&proxied, &KpsCall::Export("k".into())).unwrap();
        assert_eq!(
            request.url.as_str(),
            "http://127.0.0.1:8080/proxy/kms/v3/p1/keypairs/private-key/export"
        );
        assert_eq!(
            request.signing_url().as_str(),
            "https://kms.cn-north-4.myhuaweicloud.com/v3/p1/keypairs/private-key/export"
        );
    }

    #[test]
    fn names_and_batches_are_checked() {
        for bad in ["", "..", "a/b", "a?b"] {
            for call in [
                KpsCall::Details(bad.into()),
                KpsCall::Export(bad.into()),
                KpsCall::BatchExport(vec!["ok".into(), bad.into()]),
            ] {
                assert_eq!(
                    build(&target(), &call).unwrap_err().code(),
                    ErrorCode::IdInvalid,
                    "{call:?}"
                );
            }
        }
        let eleven: Vec<String> = (0..11).map(|i| format!("k{i}")).collect();
        for batch in [Vec::new(), eleven, vec!["a".into(), "a".into()]] {
            let e = build(&target(), &KpsCall::BatchExport(batch)).unwrap_err();
            assert_eq!(e.code(), ErrorCode::IdInvalid);
            assert!(e.chinese().ne(&e.english()));
        }
        let ten: Vec<String> = (0..10).map(|i| format!("k{i}")).collect();
        assert!(build(&target(), &KpsCall::BatchExport(ten)).is_ok());
        let mut bad_project = target();
        bad_project.project_id = "../x".into();
        assert_eq!(
            build(&bad_project, &KpsCall::Export("k".into()))
                .unwrap_err()
                .code(),
            ErrorCode::IdInvalid
        );
    }

    #[test]
    fn details_say_whether_the_private_key_is_hosted() {
        // The fields of ListKeypairDetail's KeypairDetail.
        let body = r#"{"keypair": {"name": "demo2", "id": 3, "type": "ssh", "scope": "user",
            "public_key": "ssh-rsa AAAAB3NzaC1yc2E demo2", "fingerprint": "SHA256:abc",
            "is_key_protection": true, "deleted": false, "description": "", "user_id": "u1",
            "create_time": 1581507580000, "delete_time": 0, "update_time": 0, "frozen_state": 0}}"#;
        let pair = parse_details("demo2", &answer(200, body)).unwrap();
        assert_eq!(
            pair,
            HostedKeyPair {
                name: "demo2".into(),
                public_key: "ssh-rsa AAAAB3NzaC1yc2E demo2".into(),
                fingerprint: Some("SHA256:abc".into()),
                hosted: true,
                frozen: false,
            }
        );
        assert!(pair.require_hosted().is_ok());

        let kept = body
            .replace(
                "\"is_key_protection\": true",
                "\"is_key_protection\": false",
            )
            .replace("\"frozen_state\": 0", "\"frozen_state\": \"1\"");
        let pair = parse_details("demo2", &answer(200, &kept)).unwrap();
        assert!(!pair.hosted && pair.frozen);
        let e = pair.require_hosted().unwrap_err();
        assert_eq!(e.code(), ErrorCode::KeyNotHosted);
        assert!(e.english().contains("demo2") && e.chinese().contains("demo2"));

        for bad in [
            "not json",
            "{}",
            r#"{"keypair": {"name": "demo2"}}"#,
            r#"{"keypair": {"name": "demo2", "public_key": "ssh-rsa A", "is_key_protection": "yes"}}"#,
        ] {
            assert_eq!(
                parse_details("demo2", &answer(200, bad))
                    .unwrap_err()
                    .code(),
                ErrorCode::ResponseInvalid,
                "{bad}"
            );
        }
    }

    #[test]
    fn the_exported_key_loads_and_never_shows() {
        let body =
            serde_json::json!({ "keypair": { "name": "demo2", "private_key": KEY } }).to_string();
        let exported = parse_export("demo2", &answer(200, &body)).unwrap();
        assert_eq!(exported.name(), Some("demo2"));
        let shown = format!("{exported:?}");
        assert!(
            !shown.contains("BEGIN") && shown.contains("<redacted>"),
            "{shown}"
        );
        let key = exported.load().unwrap();
        assert_eq!(key.info().bits, 2048);

        // The documented sample body: a PEM cut short is a damaged key, not a crash.
        let sample = r#"{"keypair": {"name": "demo2", "private_key": "-----BEGIN RSA PRIVATE KEY-----..."}}"#;
        let exported = parse_export_body("demo2", sample.as_bytes()).unwrap();
        let e = exported.load().unwrap_err();
        assert!(
            matches!(
                e.code(),
                ErrorCode::KeyMalformed | ErrorCode::KeyFormatUnsupported
            ),
            "{e:?}"
        );

        // Another key pair's answer, no key, not JSON: refused without quoting the body.
        let other =
            serde_json::json!({ "keypair": { "name": "other", "private_key": KEY } }).to_string();
        for bad in [
            other.as_str(),
            r#"{"keypair": {"name": "demo2"}}"#,
            r#"{"keypair": {"name": "demo2", "private_key": " "}}"#,
            "-----BEGIN RSA PRIVATE KEY-----",
        ] {
            let e = parse_export_body("demo2", bad.as_bytes()).unwrap_err();
            assert_eq!(e.code(), ErrorCode::ResponseInvalid, "{bad}");
            assert!(
                !e.english().contains("BEGIN") && !e.english().contains("MII"),
                "{e}"
            );
            assert!(e.chinese().ne(&e.english()));
        }
    }

    #[test]
    fn errors_name_the_missing_action() {
        // The documented error shape, {"error_code": "KPS.XXX", "error_msg": "XXX"}.
        let e = parse_export(
            "demo2",
            &answer(400, r#"{"error_code": "KPS.XXX", "error_msg": "XXX"}"#),
        )
        .unwrap_err();
        assert_eq!(e.code(), ErrorCode::CloudError);
        let cloud = e.cloud_details().unwrap();
        assert_eq!(
            (
                cloud.status,
                cloud.cloud_code.as_deref(),
                cloud.cloud_message.as_deref(),
                cloud.request_id.as_deref()
            ),
            (400, Some("KPS.XXX"), Some("XXX"), Some("r-1"))
        );
        assert!(e.english().contains("(HTTP 400, KPS.XXX)"));

        let refused = r#"{"error_code": "Pdp.0001", "error_msg": "Policy doesn't allow kms:cmk:decryptDataKey to be performed."}"#;
        let e = parse_export("demo2", &answer(403, refused)).unwrap_err();
        assert_eq!(e.code(), ErrorCode::Forbidden);
        assert!(
            e.english()
                .contains("kps:domainKeypairs:exportpk + kms:cmk:decryptDataKey")
                && e.english()
                    .contains("The cloud names kms:cmk:decryptDataKey."),
            "{}",
            e.english()
        );
        assert!(e.chinese().contains("kms:cmk:decryptDataKey"));
        let e = parse_details("demo2", &answer(403, "{}")).unwrap_err();
        assert_eq!(e.code(), ErrorCode::Forbidden);
        assert!(
            e.english().contains("kps:domainKeypairs:get") && !e.english().contains("exportpk")
        );

        for (status, body, code) in [
            (
                401,
                r#"{"error_code": "APIGW.0301", "error_msg": "Incorrect IAM authentication information"}"#,
                ErrorCode::AuthFailed,
            ),
            (
                404,
                r#"{"error_code": "KPS.XXX", "error_msg": "not found"}"#,
                ErrorCode::KeyPairNotFound,
            ),
            (429, "", ErrorCode::RateLimited),
            (500, "oops", ErrorCode::CloudUnavailable),
            (
                503,
                r#"{"error": {"code": "APIGW.0201", "message": "x"}}"#,
                ErrorCode::CloudUnavailable,
            ),
        ] {
            for result in [
                parse_export("demo2", &answer(status, body)).map(|_| ()),
                parse_details("demo2", &answer(status, body)).map(|_| ()),
                parse_batch_export(&["demo2".into()], &answer(status, body)).map(|_| ()),
            ] {
                let e = result.unwrap_err();
                assert_eq!(e.code(), code, "{status} {body}");
                assert!(e.chinese().ne(&e.english()));
                assert_eq!(e.cloud_details().unwrap().status, status);
            }
        }
    }

    #[test]
    fn a_batch_answer_is_a_zip_archive() {
        let names = vec!["demo2".to_owned()];
        let zip = HttpResponse {
            status: 200,
            headers: Vec::new(),
            body: b"PK\x03\x04rest".to_vec(),
        };
        assert_eq!(
            parse_batch_export(&names, &zip).unwrap().as_slice(),
            b"PK\x03\x04rest"
        );
        assert_eq!(
            parse_batch_export(&names, &answer(200, "{}"))
                .unwrap_err()
                .code(),
            ErrorCode::ResponseInvalid
        );
    }
}
