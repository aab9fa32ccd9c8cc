//! Reading responses: success bodies into types, and every error shape the clouds send (ECS v1,
//! API gateway / IAM, native OpenStack) into one [`Error`] with the HTTP status, the cloud's code,
//! message and request id, mapped to our own code and an actionable message in English and Chinese.

use super::http::{HttpResponse, MAX_BODY_BYTES};
use super::request::{Call, PageCursor};
use crate::error::{CloudDetails, Error, ErrorCode, Result};
use crate::message::Message;
use crate::permission::{ApiFamily, Operation};
use serde::Serialize;
use serde_json::Value;

/// What a successful call returns.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(
    feature = "typescript",
    derive(tsify::Tsify),
    tsify(rename = "ApiAnswer")
)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Answer {
    /// The encrypted password (base64), never empty.
    Ciphertext {
        /// The ciphertext.
        ciphertext: String,
    },
    /// A clear or reset was accepted.
    Done,
    /// Whether the server supports one-click password reset.
    ResetFlag {
        /// The flag.
        supported: bool,
    },
    /// Server details.
    Server(ServerDetails),
    /// A key pair.
    KeyPair(KeyPair),
    /// A page of servers.
    Servers(ServerPage),
}

/// What the widget needs to know about a server.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "camelCase")]
pub struct ServerDetails {
    /// The server id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// `ACTIVE`, `SHUTOFF`, ...
    pub status: Option<String>,
    /// The key pair it was created with; `None`: created with a password, nothing to decrypt.
    pub key_name: Option<String>,
    /// `Windows` or `Linux` (from the `os_type` metadata), if the cloud says.
    pub os_type: Option<String>,
    /// The enterprise project (Huawei v1 only).
    pub enterprise_project_id: Option<String>,
    /// When it was created (`created`, RFC 3339), for [`super::diagnosis`].
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", tsify(optional))]
    pub created: Option<String>,
    /// When it first booted (`OS-SRV-USG:launched_at`, UTC without an offset on Nova), for
    /// [`super::diagnosis`]: the guest posts its password minutes after this.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", tsify(optional))]
    pub launched_at: Option<String>,
    /// Its tags as the list gives them (ECS v1: `key=value`; Nova 2.26 and later: plain strings),
    /// for choosing servers by tag.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "typescript", tsify(optional))]
    pub tags: Vec<String>,
}

/// A key pair's public half, to match a key file against.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "camelCase")]
pub struct KeyPair {
    /// Its name.
    pub name: String,
    /// `ssh-rsa AAAA...`.
    pub public_key: String,
    /// As the cloud lists it (MD5 colon-hex on OpenStack).
    pub fingerprint: Option<String>,
}

/// One page of the server list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "camelCase")]
pub struct ServerPage {
    /// The servers on this page.
    pub servers: Vec<ServerDetails>,
    /// Where the next page starts, if there is one.
    pub next: Option<PageCursor>,
    /// The total, where the API tells it (v1).
    pub total: Option<u64>,
}

/// Reads the response to `call` on `family`.
pub fn parse(call: &Call, family: ApiFamily, response: &HttpResponse) -> Result<Answer> {
    if response.body.len() > MAX_BODY_BYTES {
        return Err(invalid(response, Message::new("answer-too-large")));
    }
    if !(200..300).contains(&response.status) {
        return Err(error_from(call, response));
    }
    match call {
        Call::Password(Operation::Clear | Operation::Reset, _) => Ok(Answer::Done),
        Call::Password(Operation::Get, _) => {
            let body = json(response)?;
            match body.get("password") {
                Some(Value::String(c)) if !c.trim().is_empty() => Ok(Answer::Ciphertext {
                    ciphertext: c.trim().to_owned(),
                }),
                Some(Value::String(_) | Value::Null) | None if body.is_object() => {
                    Err(not_posted(response))
                }
                _ => Err(invalid(
                    response,
                    Message::new("answer-field-type")
                        .with("field", "password")
                        .with("kind", "string"),
                )),
            }
        }
        Call::Password(Operation::ResetFlag, _) => {
            let body = json(response)?;
            match body.get("resetpwd_flag") {
                Some(Value::String(s)) if s.eq_ignore_ascii_case("true") => {
                    Ok(Answer::ResetFlag { supported: true })
                }
                Some(Value::String(s)) if s.eq_ignore_ascii_case("false") => {
                    Ok(Answer::ResetFlag { supported: false })
                }
                Some(Value::Bool(b)) => Ok(Answer::ResetFlag { supported: *b }),
                _ => Err(invalid(
                    response,
                    Message::new("answer-field-type")
                        .with("field", "resetpwd_flag")
                        .with("kind", "boolean"),
                )),
            }
        }
        Call::ServerDetails => {
            let body = json(response)?;
            let server = body.get("server").ok_or_else(|| {
                invalid(
                    response,
                    Message::new("answer-field-missing").with("field", "server"),
                )
            })?;
            server_details(server)
                .ok_or_else(|| invalid(response, Message::new("answer-server-no-id")))
                .map(Answer::Server)
        }
        Call::KeyPair(_) => {
            let body = json(response)?;
            let keypair = body.get("keypair").ok_or_else(|| {
                invalid(
                    response,
                    Message::new("answer-field-missing").with("field", "keypair"),
                )
            })?;
            let text = |k: &str| keypair.get(k).and_then(Value::as_str).map(str::to_owned);
            match (text("name"), text("public_key")) {
                (Some(name), Some(public_key)) => Ok(Answer::KeyPair(KeyPair {
                    name,
                    public_key,
                    fingerprint: text("fingerprint"),
                })),
                _ => Err(invalid(
                    response,
                    Message::new("answer-key-pair-incomplete"),
                )),
            }
        }
        Call::ListServers { limit, cursor } => {
            let body = json(response)?;
            let list = body
                .get("servers")
                .and_then(Value::as_array)
                .ok_or_else(|| {
                    invalid(
                        response,
                        Message::new("answer-field-missing").with("field", "servers"),
                    )
                })?;
            let servers: Vec<ServerDetails> = list.iter().filter_map(server_details).collect();
            let total = body.get("count").and_then(Value::as_u64);
            let full = servers.len() as u64 >= u64::from(*limit) && !servers.is_empty();
            let next = if family == ApiFamily::V1 {
                let page = match cursor {
                    Some(PageCursor::Offset(n)) => (*n).max(1),
                    _ => 1,
                };
                let more = match total {
                    Some(t) => u64::from(page) * u64::from(*limit) < t,
                    None => full,
                };
                more.then(|| PageCursor::Offset(page + 1))
            } else {
                next_marker(&body).or_else(|| {
                    full.then(|| servers.last().map(|s| PageCursor::Marker(s.id.clone())))
                        .flatten()
                })
            };
            Ok(Answer::Servers(ServerPage {
                servers,
                next,
                total,
            }))
        }
    }
}

fn server_details(server: &Value) -> Option<ServerDetails> {
    let text = |v: Option<&Value>| {
        v.and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    Some(ServerDetails {
        id: text(server.get("id"))?,
        name: text(server.get("name")).unwrap_or_default(),
        status: text(server.get("status")),
        key_name: text(server.get("key_name")),
        os_type: text(server.get("metadata").and_then(|m| m.get("os_type"))),
        enterprise_project_id: text(server.get("enterprise_project_id")),
        created: text(server.get("created")),
        launched_at: text(server.get("OS-SRV-USG:launched_at")),
        tags: server
            .get("tags")
            .and_then(Value::as_array)
            .map(|tags| {
                tags.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default(),
    })
}

/// The `marker` of a `servers_links` entry with `rel: next`.
fn next_marker(body: &Value) -> Option<PageCursor> {
    let links = body.get("servers_links")?.as_array()?;
    let href = links
        .iter()
        .find(|l| l.get("rel").and_then(Value::as_str) == Some("next"))?
        .get("href")?
        .as_str()?;
    // Only the query matters: read it without parsing the host (a non-ASCII host with an upper-case
    // letter trips a debug assertion inside IDNA), which also accepts a relative link.
    let query = href.split('#').next()?.split_once('?')?.1;
    let marker = url::form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == "marker")?
        .1
        .into_owned();
    Some(PageCursor::Marker(marker))
}

fn json(response: &HttpResponse) -> Result<Value> {
    serde_json::from_slice(&response.body)
        .map_err(|_| invalid(response, Message::new("answer-not-json")))
}

fn request_id(response: &HttpResponse, body: Option<&Value>) -> Option<String> {
    response
        .header("X-Request-Id")
        .or_else(|| response.header("X-Openstack-Request-Id"))
        .or_else(|| response.header("X-Compute-Request-Id"))
        .map(str::to_owned)
        .or_else(|| {
            body.and_then(|b| b.get("request_id"))
                .and_then(Value::as_str)
                .map(str::to_owned)
        })
}

/// Text from the cloud as it is kept: no control characters (an escape sequence must not reach
/// a terminal or a log), at most 500 characters.
pub(crate) fn clean(s: String) -> String {
    s.chars()
        .filter(|c| !c.is_control())
        .take(500)
        .collect::<String>()
}

pub(crate) fn details(
    response: &HttpResponse,
    body: Option<&Value>,
    code: Option<String>,
    message: Option<String>,
) -> CloudDetails {
    CloudDetails {
        status: response.status,
        cloud_code: code.map(clean),
        cloud_message: message.map(clean),
        request_id: request_id(response, body).map(clean),
    }
}

pub(crate) fn invalid(response: &HttpResponse, why: Message) -> Error {
    Error::from_cloud(
        ErrorCode::ResponseInvalid,
        Message::new("response-invalid").with("detail", why),
        details(response, None, None, None),
    )
}

fn not_posted(response: &HttpResponse) -> Error {
    let base = Error::password_not_available();
    Error::from_cloud(
        base.code(),
        base.message().clone(),
        details(response, None, None, None),
    )
}

/// A cloud's error answer, read the same way by each service's mapper (ECS and Nova here, KPS in
/// `kps.rs`, the identity service in `signin/keystone.rs`), which only chooses our code and reason.
pub(crate) struct CloudAnswer<'a> {
    response: &'a HttpResponse,
    /// The body, when JSON (the request id may be in it).
    body: Option<Value>,
    /// The cloud's code, cleaned: our own message quotes it.
    code: Option<String>,
    /// The cloud's message.
    pub(crate) message: Option<String>,
}

impl<'a> CloudAnswer<'a> {
    pub(crate) fn read(response: &'a HttpResponse) -> Self {
        let body: Option<Value> = serde_json::from_slice(&response.body).ok();
        let (code, message) = body
            .as_ref()
            .map(cloud_code_and_message)
            .unwrap_or_default();
        CloudAnswer {
            response,
            body,
            code: code.map(clean),
            message,
        }
    }

    /// The cloud's code, or "" without one.
    pub(crate) fn cloud_code(&self) -> &str {
        self.code.as_deref().unwrap_or("")
    }

    /// Our error: `our` code; the message says the status, the cloud's code when it gave one, and
    /// `reason`; the cloud's details (status, code, message, request id) come along.
    pub(crate) fn error(self, our: ErrorCode, reason: Message) -> Error {
        let full = match &self.code {
            Some(code) => Message::new("cloud-answer-coded").with("cloud_code", code),
            None => Message::new("cloud-answer"),
        }
        .with("reason", reason)
        .with("status", self.response.status);
        let details = details(self.response, self.body.as_ref(), self.code, self.message);
        Error::from_cloud(our, full, details)
    }
}

/// The cloud's code and message from any of the three error shapes.
fn cloud_code_and_message(body: &Value) -> (Option<String>, Option<String>) {
    let text = |v: Option<&Value>| match v {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    // ECS v1: {"error": {"code": "Ecs.0114", "message": "..."}}
    if let Some(error) = body.get("error").filter(|e| e.is_object()) {
        return (text(error.get("code")), text(error.get("message")));
    }
    // API gateway / IAM: {"error_code": "APIGW.0301", "error_msg": "...", "request_id": "..."}
    if body.get("error_code").is_some() || body.get("error_msg").is_some() {
        return (text(body.get("error_code")), text(body.get("error_msg")));
    }
    // Native OpenStack: {"itemNotFound": {"code": 404, "message": "..."}}
    if let Some((root, inner)) = body
        .as_object()
        .filter(|o| o.len() == 1)
        .and_then(|o| o.iter().next())
    {
        if inner.is_object() {
            return (Some(root.clone()), text(inner.get("message")));
        }
    }
    (None, None)
}

/// Maps an error answer to our code and messages.
fn error_from(call: &Call, response: &HttpResponse) -> Error {
    let answer = CloudAnswer::read(response);
    let status = response.status;
    let cloud = answer.cloud_code();
    let keypair = matches!(call, Call::KeyPair(_));
    let (our, id): (ErrorCode, &str) = match (status, cloud) {
        (_, "Ecs.0114" | "Ecs.0614") | (404, "itemNotFound") if !keypair => {
            (ErrorCode::ServerNotFound, "cloud-server-not-found")
        }
        (404, _) if keypair => (ErrorCode::KeyPairNotFound, "cloud-key-pair-gone"),
        (404, _) => (ErrorCode::ServerNotFound, "cloud-not-found"),
        (_, "Pdp.0001") => (ErrorCode::Forbidden, "cloud-pdp-denied"),
        (_, "Ecs.0003") => (ErrorCode::Forbidden, "cloud-account-restricted"),
        (403, _) | (_, "Ecs.0110") => (ErrorCode::Forbidden, "cloud-forbidden"),
        (_, "Ecs.0023" | "Common.0018") => (ErrorCode::ProjectMismatch, "cloud-project-mismatch"),
        (401, _)
        | (_, "Common.0013" | "APIGW.0301" | "APIGW.0101" | "APIGW.0303" | "APIGW.0305") => {
            (ErrorCode::AuthFailed, "cloud-auth-failed")
        }
        (_, "Ecs.0011") => (ErrorCode::PasswordRejected, "cloud-password-rejected"),
        (_, "Ecs.0612" | "Ecs.0613") => (ErrorCode::ResetFailed, "cloud-reset-plugin"),
        (_, "Ecs.0605") => (ErrorCode::ResetFailed, "cloud-server-locked"),
        (_, "Ecs.0610") => (ErrorCode::ResetFailed, "cloud-reset-failed"),
        (429, _) => (ErrorCode::RateLimited, "cloud-rate-limited"),
        (500..=599, _) => (ErrorCode::CloudUnavailable, "cloud-unavailable"),
        _ => (ErrorCode::CloudError, "cloud-refused"),
    };
    answer.error(our, Message::new(id))
}
