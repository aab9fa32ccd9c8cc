//! The emulated Key Pair Service (KPS, part of Huawei Cloud DEW) under `/kms` on serve's origin:
//! a key pair's details (ListKeypairDetail), exporting its hosted private key (ExportPrivateKey)
//! and up to ten at once (BatchExportPrivateKey, a ZIP archive). Callers authenticate as on the
//! other emulated APIs (tokens, AK/SK through the gateway); authorisation is the permission
//! engine's `check_kps` on the principal's grants (`kps:domainKeypairs:get`; for an export
//! `kps:domainKeypairs:exportpk` and its dependency `kms:cmk:decryptDataKey`). Pure
//! request-to-response: the HTTP plumbing is in `mod.rs`. Sources: docs/emulator.md, "Keys the
//! cloud holds".

use super::cloud::{authenticate, principal_request, shape, Issued, Reply, Request};
use super::state::{Definition, Principal};
use ecs_password::permission::{check_kps, ApiFamily, KpsOperation, Verdict};
use ecs_password::route::{KpsResource, KpsRoute};
use serde_json::{json, Value};
use zeroize::Zeroizing;

/// What KPS answers: JSON, or the batch export's ZIP archive (wiped once sent).
pub enum Answer {
    Json(Reply),
    Archive(Zeroizing<Vec<u8>>),
}

/// KPS's documented error shape, `{"error_code": "KPS.XXX", "error_msg": "..."}`. The API
/// reference lists no KPS codes, so the emulator's are its own (`KPS.NOT_FOUND`, ...); a refusal
/// carries IAM's `Pdp.0001`, naming the action, as the ECS refusals do.
fn error(status: u16, code: &str, message: &str) -> Answer {
    Answer::Json(super::cloud::reply(
        status,
        json!({ "error_code": code, "error_msg": message }),
    ))
}

/// Answers one request below `/kms` (`rest` is the path after it).
pub fn handle(
    def: &Definition,
    req: &Request,
    rest: &str,
    request_id: &str,
    issued: Issued,
) -> Answer {
    // The signature check parses the host; only a plain name or address gets there.
    let plain = |host: &str| {
        host.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']'))
    };
    if !req.header("host").is_none_or(plain) {
        return error(
            400,
            "KPS.INVALID",
            "The Host header is not a plain host name or address.",
        );
    }
    let Some(route) = KpsRoute::parse(req.method, rest) else {
        return error(404, "KPS.NOT_FOUND", "The requested API does not exist.");
    };
    // The gateway in front of KPS answers 401 as it does for ECS.
    let principal = match authenticate(def, ApiFamily::V1, req, request_id, issued) {
        Ok(p) => p,
        Err(refused) => return Answer::Json(refused),
    };
    if route.project != def.project.id
        || req
            .header("x-project-id")
            .is_some_and(|p| p != def.project.id)
    {
        return error(
            400,
            "KPS.PROJECT_MISMATCH",
            "The project in the request differs from the project of the credentials.",
        );
    }
    match route.resource {
        KpsResource::Details(name) => {
            if let Some(refused) = authorize(def, principal, KpsOperation::Details, &name) {
                return refused;
            }
            details(def, principal, &name)
        }
        KpsResource::Export => {
            let body: Option<Value> = serde_json::from_slice(req.body).ok();
            let Some(name) = body
                .as_ref()
                .and_then(|b| b.get("keypair"))
                .and_then(|k| k.get("name"))
                .and_then(Value::as_str)
            else {
                return error(
                    400,
                    "KPS.INVALID",
                    "Invalid request body: \"keypair\".\"name\" is required.",
                );
            };
            if let Some(refused) = authorize(def, principal, KpsOperation::Export, name) {
                return refused;
            }
            match hosted(def, name) {
                Err(refused) => refused,
                Ok(pem) => Answer::Json(super::cloud::reply(
                    200,
                    json!({ "keypair": { "name": name, "private_key": pem } }),
                )),
            }
        }
        KpsResource::BatchExport => {
            let body: Option<Value> = serde_json::from_slice(req.body).ok();
            let names: Option<Vec<&str>> = body.as_ref().and_then(Value::as_array).map(|items| {
                items
                    .iter()
                    .filter_map(|i| i.get("keypair")?.get("name")?.as_str())
                    .collect()
            });
            let count = body.as_ref().and_then(Value::as_array).map_or(0, Vec::len);
            let Some(names) = names.filter(|n| !n.is_empty() && n.len() == count && n.len() <= 10)
            else {
                return error(
                    400,
                    "KPS.INVALID",
                    "Invalid request body: an array of 1 to 10 {\"keypair\": {\"name\"}} is required.",
                );
            };
            if let Some(refused) =
                authorize(def, principal, KpsOperation::BatchExport, &names.join(", "))
            {
                return refused;
            }
            let mut files: Vec<(String, Zeroizing<Vec<u8>>)> = Vec::new();
            for name in names {
                match hosted(def, name) {
                    Err(refused) => return refused,
                    Ok(pem) => files.push((
                        format!("{name}.pem"),
                        Zeroizing::new(pem.as_bytes().to_vec()),
                    )),
                }
            }
            Answer::Archive(stored_zip(&files))
        }
    }
}

/// `Some(403)` unless the principal's grants allow the operation in the project.
fn authorize(
    def: &Definition,
    principal: &Principal,
    operation: KpsOperation,
    key_pair: &str,
) -> Option<Answer> {
    let request = principal_request(def, principal);
    let decision = check_kps(
        &principal.grants,
        operation,
        &def.project.id,
        key_pair,
        &request,
    );
    (decision.decision != Verdict::Allow).then(|| {
        let action = decision.missing.first().copied().unwrap_or_default();
        let mut answer = shape::gateway(
            403,
            "Pdp.0001",
            &format!("Policy doesn't allow {action} to be performed."),
            "",
        );
        // KPS's shape has no request_id in the body (the header carries it).
        if let Some(body) = answer.body.as_mut().and_then(Value::as_object_mut) {
            body.remove("request_id");
        }
        Answer::Json(answer)
    })
}

/// ListKeypairDetail's KeypairDetail.
fn details(def: &Definition, principal: &Principal, name: &str) -> Answer {
    let Some(key) = def.key_pair(name) else {
        return error(
            404,
            "KPS.NOT_FOUND",
            &format!("The key pair {name} does not exist."),
        );
    };
    Answer::Json(super::cloud::reply(
        200,
        json!({ "keypair": {
            "name": name,
            "type": "ssh",
            "scope": "user",
            "public_key": key.openssh,
            "fingerprint": key.fingerprint_md5,
            "is_key_protection": def.hosted_key(name).is_some(),
            "deleted": false,
            "description": "",
            "user_id": principal.user_id,
            "create_time": 0,
            "delete_time": 0,
            "update_time": 0,
            "frozen_state": 0,
        }}),
    ))
}

/// The hosted private key of a key pair, or the answer that refuses the export.
fn hosted<'d>(def: &'d Definition, name: &str) -> Result<&'d str, Answer> {
    if def.key_pair(name).is_none() {
        return Err(error(
            404,
            "KPS.NOT_FOUND",
            &format!("The key pair {name} does not exist."),
        ));
    }
    def.hosted_key(name).ok_or_else(|| {
        error(
            400,
            "KPS.NOT_HOSTED",
            &format!("The private key of key pair {name} is not hosted."),
        )
    })
}

/// A ZIP archive of `files`, stored (no compression): local headers, the central directory and
/// its end record (PKWARE APPNOTE 4.3), dated 1980-01-01.
fn stored_zip(files: &[(String, Zeroizing<Vec<u8>>)]) -> Zeroizing<Vec<u8>> {
    let mut out = Zeroizing::new(Vec::new());
    let mut central = Vec::new();
    let u16le = |v: usize| u16::try_from(v).unwrap_or(u16::MAX).to_le_bytes();
    let u32le = |v: usize| u32::try_from(v).unwrap_or(u32::MAX).to_le_bytes();
    for (name, data) in files {
        let offset = out.len();
        let crc = crc32fast::hash(data).to_le_bytes();
        // version 2.0, no flags, stored, time 00:00, date 1980-01-01
        let common: Vec<u8> = [
            &20u16.to_le_bytes()[..],
            &0u16.to_le_bytes(),
            &0u16.to_le_bytes(),
            &0u16.to_le_bytes(),
            &0x21u16.to_le_bytes(),
            &crc,
            &u32le(data.len()),
            &u32le(data.len()),
            &u16le(name.len()),
            &0u16.to_le_bytes(),
        ]
        .concat();
        out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        out.extend_from_slice(&common);
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(data);
        central.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        central.extend_from_slice(&20u16.to_le_bytes()); // made by
        central.extend_from_slice(&common);
        central.extend_from_slice(&[0; 6]); // comment length, disk, internal attributes
        central.extend_from_slice(&0u32.to_le_bytes()); // external attributes
        central.extend_from_slice(&u32le(offset));
        central.extend_from_slice(name.as_bytes());
    }
    let start = out.len();
    out.extend_from_slice(&central);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0; 4]); // this disk, the central directory's disk
    out.extend_from_slice(&u16le(files.len()));
    out.extend_from_slice(&u16le(files.len()));
    out.extend_from_slice(&u32le(central.len()));
    out.extend_from_slice(&u32le(start));
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}
