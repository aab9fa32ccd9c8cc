//! The API client for JavaScript: the sans-IO core's requests sent with the global `fetch` (so the
//! same code runs in a page, a Web Worker and Node), with a time limit per try (AbortController),
//! retries with backoff and jitter for reads and deletes (never a reset), cancellation through an
//! `AbortSignal`, and a helper that waits for a password that is not posted yet.

use ecs_password::api::auth::{authorize, Credentials};
use ecs_password::api::client::{no_answer, outcome, TransportError};
use ecs_password::api::http::{HttpRequest, HttpResponse, MAX_BODY_BYTES};
use ecs_password::api::password_rules::{
    check_password, generate_password, OsType, PasswordRules, ResetApi,
};
use ecs_password::api::request::{build, Call, Endpoint, PageCursor, ResetBody, Target};
use ecs_password::api::response::{parse, Answer};
use ecs_password::api::retry::{PasswordWait, PollPolicy, Retrier, RetryPolicy, WaitStep};
use ecs_password::api::signer::AkSk;
use ecs_password::error::{Error, ErrorCode};
use ecs_password::permission::{ApiFamily, Operation};
use ecs_password_wasm_common::{to_js, to_object};
use js_sys::{Promise, Uint8Array};
use serde::Deserialize;
use tsify::Tsify;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use zeroize::Zeroizing;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = fetch)]
    fn global_fetch(input: &web_sys::Request) -> Promise;
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(callback: &js_sys::Function, ms: f64) -> JsValue;
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(id: &JsValue);
}

// The declarations of these argument types are written by tsify from the Rust types below; the
// answers' shapes, which the core's `Answer` serializes by hand, are declared here.
#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r#"
export interface ApiOptions {
  retry?: RetryOptions;
  /** Aborting it cancels the call (CANCELLED). */
  signal?: AbortSignal;
}
"#;

/// Where a call goes.
#[derive(Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ApiTarget {
    /// https://ecs.<region>.myhuaweicloud.com, a compute endpoint (nova), or a same-origin proxy
    /// path URL.
    pub(crate) endpoint: String,
    /// Required by `callApi` (checked there, so that a wrong name is a clear TypeError); a KPS
    /// target has none.
    #[serde(default)]
    #[tsify(type = "ApiFamily", optional)]
    pub(crate) family: String,
    #[serde(default)]
    #[tsify(optional)]
    pub(crate) project_id: String,
    #[serde(default)]
    #[tsify(optional)]
    pub(crate) server_id: String,
    /// When `endpoint` is a same-origin proxy path (`ecs-password serve --upstream PREFIX=URL`),
    /// the cloud endpoint behind it (that URL). AK/SK signatures are made for it: the proxy
    /// forwards the request unchanged to that host, which checks the signature against its own
    /// host and path.
    #[serde(default)]
    pub(crate) upstream: Option<String>,
}

/// Who calls: a token, or an access key pair (temporary ones with a security token).
#[derive(Deserialize, Tsify)]
#[serde(untagged)]
enum ApiAuth {
    Token {
        token: String,
    },
    AkSk {
        #[serde(rename = "accessKey")]
        access_key: String,
        #[serde(rename = "secretKey")]
        secret_key: String,
        /// Only temporary access keys have one.
        #[serde(rename = "securityToken", default)]
        #[tsify(optional)]
        security_token: Option<String>,
    },
}

/// What to call.
#[derive(Deserialize, Tsify)]
#[serde(tag = "kind", rename_all = "camelCase")]
enum ApiCall {
    /// A password operation; a reset with its new password.
    #[serde(rename_all = "camelCase")]
    Password {
        #[tsify(type = "Operation")]
        operation: String,
        #[serde(default)]
        new_password: Option<String>,
        #[serde(default)]
        #[tsify(optional)]
        check_complexity: bool,
    },
    ServerDetails,
    KeyPair {
        name: String,
    },
    ListServers {
        #[serde(default)]
        limit: Option<u32>,
        #[serde(default)]
        cursor: Option<PageCursor>,
    },
}

/// How a call is retried: attempts, backoff and the time limit of each try.
#[derive(Deserialize, Default, Tsify)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RetryOptions {
    #[serde(default)]
    max_attempts: Option<u32>,
    #[serde(default)]
    base_delay_ms: Option<u64>,
    #[serde(default)]
    max_delay_ms: Option<u64>,
    #[serde(default)]
    timeout_ms: Option<u64>,
}

pub(crate) fn type_error(what: &str, e: impl core::fmt::Display) -> JsValue {
    js_sys::TypeError::new(&format!("{what}: {e}")).into()
}

fn target(value: JsValue) -> Result<Target, JsValue> {
    let t: ApiTarget =
        serde_wasm_bindgen::from_value(value).map_err(|e| type_error("target", e))?;
    let family = ApiFamily::parse(&t.family)
        .ok_or_else(|| type_error("target.family", "must be v1, v2, v2.1 or nova"))?;
    let endpoint = match t.upstream.as_deref().filter(|u| !u.is_empty()) {
        Some(upstream) => Endpoint::via_proxy(&t.endpoint, upstream),
        None => Endpoint::parse(&t.endpoint),
    };
    Ok(Target {
        endpoint: endpoint.map_err(to_js)?,
        family,
        project_id: t.project_id,
        server_id: t.server_id,
    })
}

pub(crate) fn credentials(value: JsValue) -> Result<Credentials, JsValue> {
    let auth: ApiAuth = serde_wasm_bindgen::from_value(value).map_err(|e| type_error("auth", e))?;
    Ok(match auth {
        ApiAuth::Token { token } => Credentials::Token(Zeroizing::new(token)),
        ApiAuth::AkSk {
            access_key,
            secret_key,
            security_token,
        } => Credentials::AkSk(AkSk::new(access_key, secret_key, security_token)),
    })
}

fn call(value: JsValue) -> Result<Call, JsValue> {
    let c: ApiCall = serde_wasm_bindgen::from_value(value).map_err(|e| type_error("call", e))?;
    Ok(match c {
        ApiCall::Password {
            operation,
            new_password,
            check_complexity,
        } => {
            let op = Operation::ALL
                .into_iter()
                .find(|o| o.as_str() == operation)
                .ok_or_else(|| {
                    type_error("call.operation", "must be get, clear, reset or reset-flag")
                })?;
            let body = new_password.map(|p| ResetBody {
                new_password: Zeroizing::new(p),
                check_complexity,
            });
            Call::Password(op, body)
        }
        ApiCall::ServerDetails => Call::ServerDetails,
        ApiCall::KeyPair { name } => Call::KeyPair(name),
        ApiCall::ListServers { limit, cursor } => Call::ListServers {
            limit: limit.unwrap_or(100),
            cursor,
        },
    })
}

pub(crate) fn options(
    value: Option<JsValue>,
) -> Result<(RetryPolicy, Option<web_sys::AbortSignal>), JsValue> {
    let Some(value) = value.filter(|v| !v.is_undefined() && !v.is_null()) else {
        return Ok((RetryPolicy::default(), None));
    };
    let signal = js_sys::Reflect::get(&value, &"signal".into())
        .ok()
        .and_then(|s| s.dyn_into::<web_sys::AbortSignal>().ok());
    let retry_value = js_sys::Reflect::get(&value, &"retry".into()).unwrap_or(JsValue::UNDEFINED);
    let r: RetryOptions = if retry_value.is_undefined() {
        RetryOptions::default()
    } else {
        serde_wasm_bindgen::from_value(retry_value).map_err(|e| type_error("options.retry", e))?
    };
    let d = RetryPolicy::default();
    let policy = RetryPolicy {
        max_attempts: r.max_attempts.unwrap_or(d.max_attempts).max(1),
        base_delay_ms: r.base_delay_ms.unwrap_or(d.base_delay_ms),
        max_delay_ms: r.max_delay_ms.unwrap_or(d.max_delay_ms),
        timeout_ms: r.timeout_ms.unwrap_or(d.timeout_ms).max(1),
    };
    Ok((policy, signal))
}

pub(crate) fn cancelled() -> JsValue {
    to_js(Error::new(
        ErrorCode::Cancelled,
        ecs_password::message::Message::new("call-cancelled"),
    ))
}

pub(crate) fn is_aborted(signal: &Option<web_sys::AbortSignal>) -> bool {
    signal.as_ref().is_some_and(|s| s.aborted())
}

pub(crate) async fn sleep(ms: u64) {
    let promise = Promise::new(&mut |resolve, _| {
        set_timeout(&resolve, ms as f64);
    });
    let _ = JsFuture::from(promise).await;
}

pub(crate) fn random() -> f64 {
    js_sys::Math::random()
}

/// One try: `fetch` with a time limit.
pub(crate) async fn send(
    request: &HttpRequest,
    timeout_ms: u64,
) -> Result<HttpResponse, TransportError> {
    let init = web_sys::RequestInit::new();
    init.set_method(request.method);
    init.set_redirect(web_sys::RequestRedirect::Error);
    let headers = web_sys::Headers::new().map_err(|_| TransportError::Network("headers".into()))?;
    for (name, value) in &request.headers {
        headers
            .set(name, value)
            .map_err(|_| TransportError::Network(format!("header {name}")))?;
    }
    init.set_headers(&headers);
    if !request.body.is_empty() {
        let body = Uint8Array::from(request.body.as_slice());
        init.set_body(&body);
    }
    let controller = web_sys::AbortController::new()
        .map_err(|_| TransportError::Network("AbortController".into()))?;
    init.set_signal(Some(&controller.signal()));
    let js_request = web_sys::Request::new_with_str_and_init(request.url.as_str(), &init)
        .map_err(|e| TransportError::Network(describe(&e)))?;
    let abort = Closure::once_into_js(move || controller.abort());
    let timer = set_timeout(abort.unchecked_ref(), timeout_ms as f64);
    let result = JsFuture::from(global_fetch(&js_request)).await;
    let response = match result {
        Ok(r) => r
            .dyn_into::<web_sys::Response>()
            .map_err(|_| TransportError::Network("not a Response".into())),
        Err(e) if describe(&e).contains("Abort") => Err(TransportError::Timeout),
        Err(e) => Err(TransportError::Network(describe(&e))),
    };
    let response = match response {
        Ok(r) => r,
        Err(e) => {
            clear_timeout(&timer);
            return Err(e);
        }
    };
    let status = response.status();
    let mut header_list = Vec::new();
    if let Ok(Some(iter)) = js_sys::try_iter(&response.headers()) {
        for entry in iter.flatten() {
            let pair: js_sys::Array = entry.unchecked_into();
            if let (Some(n), Some(v)) = (pair.get(0).as_string(), pair.get(1).as_string()) {
                header_list.push((n, v));
            }
        }
    }
    let too_big = header_list.iter().any(|(n, v)| {
        n.eq_ignore_ascii_case("content-length")
            && v.parse::<usize>().is_ok_and(|l| l > MAX_BODY_BYTES)
    });
    let body = if too_big {
        vec![0; MAX_BODY_BYTES + 1]
    } else {
        let buffer = response
            .array_buffer()
            .map_err(|e| TransportError::Network(describe(&e)))?;
        match JsFuture::from(buffer).await {
            Ok(b) => Uint8Array::new(&b).to_vec(),
            Err(e) if describe(&e).contains("Abort") => {
                clear_timeout(&timer);
                return Err(TransportError::Timeout);
            }
            Err(e) => {
                clear_timeout(&timer);
                return Err(TransportError::Network(describe(&e)));
            }
        }
    };
    clear_timeout(&timer);
    Ok(HttpResponse {
        status,
        headers: header_list,
        body,
    })
}

fn describe(e: &JsValue) -> String {
    if let Some(err) = e.dyn_ref::<js_sys::Error>() {
        let name: String = err.name().into();
        let message: String = err.message().into();
        format!("{name}: {message}")
    } else {
        e.as_string().unwrap_or_else(|| "fetch failed".into())
    }
}

/// Build, authorize, send, retry, parse: the core's `Retrier` decides. The outer error is a
/// cancellation (already a JS value), the inner result the core's typed answer or error.
async fn execute(
    target: &Target,
    call: &Call,
    credentials: &Credentials,
    retry: &RetryPolicy,
    signal: &Option<web_sys::AbortSignal>,
) -> Result<Result<Answer, Error>, JsValue> {
    let mut retrier = Retrier::new(*retry);
    loop {
        if is_aborted(signal) {
            return Err(cancelled());
        }
        let mut request = match build(target, call) {
            Ok(request) => request,
            Err(e) => return Ok(Err(e)),
        };
        let now = (js_sys::Date::now() / 1000.0) as u64;
        authorize(&mut request, credentials, Some(&target.project_id), now);
        let sent = send(&request, retrier.timeout_ms()).await;
        if let Some(wait) = retrier.after(&request, outcome(&sent), random()) {
            sleep(wait).await;
            continue;
        }
        return Ok(match sent {
            Ok(response) => parse(call, target.family, &response),
            Err(e) => Err(no_answer(&e, &request)),
        });
    }
}

/// Calls a password API (or server details, a key pair, a page of servers). Rejects with an
/// `EcsPasswordError` whose `code` is stable; cloud errors also carry `status`, `cloudCode`,
/// `cloudMessage` and `requestId`.
#[wasm_bindgen(js_name = callApi, unchecked_return_type = "ApiAnswer")]
pub async fn call_api(
    #[wasm_bindgen(unchecked_param_type = "ApiTarget")] target_js: JsValue,
    #[wasm_bindgen(unchecked_param_type = "ApiCall")] call_js: JsValue,
    #[wasm_bindgen(unchecked_param_type = "ApiAuth")] auth: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "ApiOptions")] options_js: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let target = target(target_js)?;
    let call = call(call_js)?;
    let credentials = credentials(auth)?;
    let (retry, signal) = options(options_js)?;
    let answer = execute(&target, &call, &credentials, &retry, &signal)
        .await?
        .map_err(to_js)?;
    to_object(&answer)
}

/// Asks for the encrypted password until the server has posted it: every `intervalMs` (default
/// 30 s) for at most `limitMs` (default 20 min); `onWait(msUntilNextAsk)` is called before each
/// wait (for a countdown); aborting `signal` stops with CANCELLED. Resolves to the ciphertext.
#[wasm_bindgen(js_name = waitForPassword, unchecked_return_type = "string")]
pub async fn wait_for_password(
    #[wasm_bindgen(unchecked_param_type = "ApiTarget")] target_js: JsValue,
    #[wasm_bindgen(unchecked_param_type = "ApiAuth")] auth: JsValue,
    #[wasm_bindgen(
        unchecked_optional_param_type = "ApiOptions & { intervalMs?: number; limitMs?: number; onWait?: (ms: number) => void }"
    )]
    options_js: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let target = target(target_js)?;
    let credentials = credentials(auth)?;
    let (retry, signal) = options(options_js.clone())?;
    let number = |name: &str| {
        options_js
            .as_ref()
            .and_then(|o| js_sys::Reflect::get(o, &name.into()).ok())
            .and_then(|v| v.as_f64())
            .map(|v| v.max(0.0) as u64)
    };
    let defaults = PollPolicy::default();
    let poll = PollPolicy {
        interval_ms: number("intervalMs").unwrap_or(defaults.interval_ms),
        limit_ms: number("limitMs").unwrap_or(defaults.limit_ms),
    };
    let on_wait = options_js
        .as_ref()
        .and_then(|o| js_sys::Reflect::get(o, &"onWait".into()).ok())
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    let wait = PasswordWait::new(poll, js_sys::Date::now() as u64);
    let get = Call::Password(Operation::Get, None);
    loop {
        let result = execute(&target, &get, &credentials, &retry, &signal).await?;
        match wait.after(result, js_sys::Date::now() as u64) {
            WaitStep::Posted(ciphertext) => return Ok(JsValue::from_str(&ciphertext)),
            WaitStep::Fail(e) => return Err(to_js(e)),
            WaitStep::AskAfter(ms) => {
                if let Some(f) = &on_wait {
                    let _ = f.call1(&JsValue::NULL, &JsValue::from_f64(ms as f64));
                }
                // Wake early when cancelled: check the signal every 250 ms.
                let mut waited = 0;
                while waited < ms {
                    if is_aborted(&signal) {
                        return Err(cancelled());
                    }
                    let step = (ms - waited).min(250);
                    sleep(step).await;
                    waited += step;
                }
            }
        }
    }
}

/// Which rules a new password must meet: the reset API's, for the server's OS.
#[derive(Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
struct PasswordRuleOptions {
    api: ResetApi,
    os: OsType,
    #[serde(default)]
    user_name: Option<String>,
}

fn rules(value: JsValue) -> Result<PasswordRules, JsValue> {
    let r: PasswordRuleOptions =
        serde_wasm_bindgen::from_value(value).map_err(|e| type_error("rules", e))?;
    Ok(PasswordRules::new(r.api, r.os, r.user_name.as_deref()))
}

/// Every rule a new password breaks for this API and OS (empty when it is acceptable).
#[wasm_bindgen(js_name = checkNewPassword, unchecked_return_type = "BrokenRule[]")]
pub fn check_new_password(
    password: &str,
    #[wasm_bindgen(unchecked_param_type = "PasswordRuleOptions")] options: JsValue,
) -> Result<JsValue, JsValue> {
    to_object(&check_password(password, &rules(options)?))
}

/// A random password (default 16 characters) that passes `checkNewPassword` for these rules.
#[wasm_bindgen(js_name = generateNewPassword)]
pub fn generate_new_password(
    #[wasm_bindgen(unchecked_param_type = "PasswordRuleOptions")] options: JsValue,
    length: Option<usize>,
) -> Result<String, JsValue> {
    let rules = rules(options)?;
    let password = generate_password(&rules, length.unwrap_or(16))
        .map_err(|e| JsValue::from(js_sys::Error::new(&e.to_string())))?;
    Ok(password.as_str().to_owned())
}
