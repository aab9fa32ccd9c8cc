//! Keys the cloud holds (Huawei Cloud KPS, part of DEW) for JavaScript: whether the user may use a
//! hosted private key (`checkKps`), a key pair's details (`kpsKeyPair`: is it hosted?), the export
//! request built but not sent (`kpsExportRequest`: the decryption worker sends it, so the private
//! key exists only there), and the error of an export answer the worker got (`kpsExportError`).
//! Conversions only: the decisions are `ecs_password::api::kps` and `permission::check_kps`.

use crate::api::{
    cancelled, credentials, is_aborted, options, random, send, sleep, type_error, ApiTarget,
};
use crate::permission::{access_request, grants};
use ecs_password::api::auth::authorize;
use ecs_password::api::client::{no_answer, outcome};
use ecs_password::api::http::HttpResponse;
use ecs_password::api::kps::{build, error_from, parse_details, KpsCall, KpsTarget};
use ecs_password::api::request::Endpoint;
use ecs_password::api::retry::Retrier;
use ecs_password::permission::{self, KpsOperation};
use ecs_password_wasm_common::{to_js, to_object};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r#"
/** Where KPS calls go: the KPS (DEW) endpoint (https://kms.<region>.myhuaweicloud.com, or a
 *  same-origin proxy path URL with the endpoint behind it as `upstream`) and the project. */
export interface KpsTarget { endpoint: string; upstream?: string; projectId: string }

/** A key pair as KPS describes it. */
export interface HostedKeyPair {
  name: string;
  publicKey: string;
  fingerprint?: string;
  /** The private key is hosted (is_key_protection): it can be exported. */
  hosted: boolean;
  /** KPS says the key pair is frozen. */
  frozen: boolean;
}

/** A request built and authorized, for someone else to send with fetch. */
export interface BuiltRequest {
  url: string;
  method: "GET" | "POST";
  headers: Record<string, string>;
  body: string;
}

/** A failed answer, as the worker's fetch got it (its body holds no key). */
export interface FailedAnswer { status: number; headers?: Record<string, string>; body?: string }
"#;

/// Read with `callApi`'s target type (one deserializer in the module, not two): `endpoint`,
/// `upstream`, `projectId`.
fn kps_target(value: JsValue) -> Result<KpsTarget, JsValue> {
    let t: ApiTarget =
        serde_wasm_bindgen::from_value(value).map_err(|e| type_error("target", e))?;
    let endpoint = match t.upstream.as_deref().filter(|u| !u.is_empty()) {
        Some(upstream) => Endpoint::via_proxy(&t.endpoint, upstream),
        None => Endpoint::parse(&t.endpoint),
    };
    Ok(KpsTarget {
        endpoint: endpoint.map_err(to_js)?,
        project_id: t.project_id,
    })
}

fn operation(name: &str) -> Result<KpsOperation, JsValue> {
    [
        KpsOperation::Details,
        KpsOperation::Export,
        KpsOperation::BatchExport,
    ]
    .into_iter()
    .find(|o| o.as_str() == name)
    .ok_or_else(|| type_error("operation", "must be details, export or batch-export"))
}

/// Whether the user's grants allow a KPS request about `keyPair` in `projectId` (for "export":
/// `kps:domainKeypairs:exportpk` and its dependency `kms:cmk:decryptDataKey`), each action
/// explained in English and Chinese.
#[wasm_bindgen(js_name = checkKps, unchecked_return_type = "KpsDecision")]
pub fn check_kps(
    #[wasm_bindgen(unchecked_param_type = "GrantsDocument | string")] grants_js: JsValue,
    #[wasm_bindgen(unchecked_param_type = "KpsOperation")] operation_name: &str,
    project_id: &str,
    key_pair: &str,
    #[wasm_bindgen(unchecked_optional_param_type = "AccessOptions")] options_js: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let grants = grants(&grants_js)?;
    let operation = operation(operation_name)?;
    let request = access_request(options_js)?;
    to_object(&permission::check_kps(
        &grants, operation, project_id, key_pair, &request,
    ))
}

/// The KPS requests and the actions each needs (beside `permissionTable()`).
#[wasm_bindgen(js_name = kpsTable, unchecked_return_type = "object[]")]
pub fn kps_table() -> Result<JsValue, JsValue> {
    to_object(&permission::KPS_TABLE)
}

/// A key pair's details from KPS (ListKeypairDetail), with retries for failures worth one: is its
/// private key hosted? Rejects with an `EcsPasswordError` (KEY_PAIR_NOT_FOUND, FORBIDDEN...).
#[wasm_bindgen(js_name = kpsKeyPair, unchecked_return_type = "HostedKeyPair")]
pub async fn kps_key_pair(
    #[wasm_bindgen(unchecked_param_type = "KpsTarget")] target_js: JsValue,
    name: String,
    #[wasm_bindgen(unchecked_param_type = "ApiAuth")] auth: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "ApiOptions")] options_js: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let target = kps_target(target_js)?;
    let credentials = credentials(auth)?;
    let (retry, signal) = options(options_js)?;
    let call = KpsCall::Details(name.clone());
    let mut retrier = Retrier::new(retry);
    loop {
        if is_aborted(&signal) {
            return Err(cancelled());
        }
        let mut request = build(&target, &call).map_err(to_js)?;
        let now = (js_sys::Date::now() / 1000.0) as u64;
        authorize(&mut request, &credentials, Some(&target.project_id), now);
        let sent = send(&request, retrier.timeout_ms()).await;
        if let Some(wait) = retrier.after(&request, outcome(&sent), random()) {
            sleep(wait).await;
            continue;
        }
        let pair = match sent {
            Ok(response) => parse_details(&name, &response),
            Err(e) => Err(no_answer(&e, &request)),
        };
        return to_object(&pair.map_err(to_js)?);
    }
}

/// The ExportPrivateKey request for `name`, built and authorized (`X-Auth-Token`, or an AK/SK
/// signature made now: send it within 15 minutes), NOT sent: hand it to the decryption worker
/// (`exportKey`), whose `fetch` is the only place the answer, and so the private key, arrives.
#[wasm_bindgen(js_name = kpsExportRequest, unchecked_return_type = "BuiltRequest")]
pub fn kps_export_request(
    #[wasm_bindgen(unchecked_param_type = "KpsTarget")] target_js: JsValue,
    name: &str,
    #[wasm_bindgen(unchecked_param_type = "ApiAuth")] auth: JsValue,
) -> Result<JsValue, JsValue> {
    let target = kps_target(target_js)?;
    let credentials = credentials(auth)?;
    let mut request = build(&target, &KpsCall::Export(name.to_owned())).map_err(to_js)?;
    let now = (js_sys::Date::now() / 1000.0) as u64;
    authorize(&mut request, &credentials, Some(&target.project_id), now);
    // A plain object, set field by field: the request holds the token, so no copy of it is
    // made on the way but the strings JavaScript gets.
    let set = |object: &js_sys::Object, name: &str, value: &str| {
        js_sys::Reflect::set(object, &JsValue::from_str(name), &JsValue::from_str(value))
    };
    let headers = js_sys::Object::new();
    for (name, value) in &request.headers {
        set(&headers, name, value)?;
    }
    let out = js_sys::Object::new();
    set(&out, "url", request.url.as_str())?;
    set(&out, "method", request.method)?;
    js_sys::Reflect::set(&out, &JsValue::from_str("headers"), &headers)?;
    set(&out, "body", &String::from_utf8_lossy(&request.body))?;
    Ok(out.into())
}

/// The `EcsPasswordError` for an export answer that was not a success (returned, not thrown):
/// FORBIDDEN naming the actions, KEY_PAIR_NOT_FOUND, AUTH_FAILED..., with the cloud's code,
/// message and request id. Give it what the worker's `fetch` got; error answers hold no key.
#[wasm_bindgen(js_name = kpsExportError, unchecked_return_type = "EcsPasswordError")]
pub fn kps_export_error(
    name: &str,
    #[wasm_bindgen(unchecked_param_type = "FailedAnswer")] answer: JsValue,
) -> Result<JsValue, JsValue> {
    // Read field by field (no deserializer of its own): status, the request id headers, body.
    let field = |name: &str| js_sys::Reflect::get(&answer, &JsValue::from_str(name)).ok();
    let status = field("status")
        .and_then(|s| s.as_f64())
        .filter(|s| (100.0..=599.0).contains(s))
        .ok_or_else(|| type_error("answer.status", "must be an HTTP status"))?;
    let headers_js = field("headers").filter(|h| h.is_object());
    let headers = ["x-request-id", "x-openstack-request-id"]
        .iter()
        .filter_map(|name| {
            let value =
                js_sys::Reflect::get(headers_js.as_ref()?, &JsValue::from_str(name)).ok()?;
            Some(((*name).to_owned(), value.as_string()?))
        })
        .collect();
    let response = HttpResponse {
        status: status as u16,
        headers,
        body: field("body")
            .and_then(|b| b.as_string())
            .unwrap_or_default()
            .into_bytes(),
    };
    Ok(to_js(error_from(
        &KpsCall::Export(name.to_owned()),
        &response,
    )))
}
