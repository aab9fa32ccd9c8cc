//! Reading responses: success bodies into types, and every error shape the clouds send (ECS v1,
//! API gateway / IAM, native OpenStack) into one [`Error`] with the HTTP status, the cloud's code,
//! message and request id, mapped to our own code and an actionable message in English and Chinese.

use super::http::{HttpResponse, MAX_BODY_BYTES};
use super::request::{Call, PageCursor};
use crate::error::{CloudDetails, Error, ErrorCode, Result};
use crate::permission::{ApiFamily, Operation};
use serde::Serialize;
use serde_json::Value;

/// What a successful call returns.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
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
    pub created: Option<String>,
    /// When it first booted (`OS-SRV-USG:launched_at`, UTC without an offset on Nova), for
    /// [`super::diagnosis`]: the guest posts its password minutes after this.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub launched_at: Option<String>,
    /// Its tags as the list gives them (ECS v1: `key=value`; Nova 2.26 and later: plain strings),
    /// for choosing servers by tag.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
}

/// A key pair's public half, to match a key file against.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
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
        return Err(invalid(response, "the answer is larger than 4 MiB"));
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
                _ => Err(invalid(response, "\"password\" is not a string")),
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
                    "\"resetpwd_flag\" is missing or not True/False",
                )),
            }
        }
        Call::ServerDetails => {
            let body = json(response)?;
            let server = body
                .get("server")
                .ok_or_else(|| invalid(response, "\"server\" is missing"))?;
            server_details(server)
                .ok_or_else(|| invalid(response, "the server has no id"))
                .map(Answer::Server)
        }
        Call::KeyPair(_) => {
            let body = json(response)?;
            let keypair = body
                .get("keypair")
                .ok_or_else(|| invalid(response, "\"keypair\" is missing"))?;
            let text = |k: &str| keypair.get(k).and_then(Value::as_str).map(str::to_owned);
            match (text("name"), text("public_key")) {
                (Some(name), Some(public_key)) => Ok(Answer::KeyPair(KeyPair {
                    name,
                    public_key,
                    fingerprint: text("fingerprint"),
                })),
                _ => Err(invalid(response, "the key pair has no name or public key")),
            }
        }
        Call::ListServers { limit, cursor } => {
            let body = json(response)?;
            let list = body
                .get("servers")
                .and_then(Value::as_array)
                .ok_or_else(|| invalid(response, "\"servers\" is missing"))?;
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
    serde_json::from_slice(&response.body).map_err(|_| invalid(response, "it is not JSON"))
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

pub(crate) fn invalid(response: &HttpResponse, why: &str) -> Error {
    Error::from_cloud(
        ErrorCode::ResponseInvalid,
        format!("The cloud's answer could not be understood: {why}. If a proxy or gateway sits in between, check that it passes the API through."),
        format!("无法理解云平台的响应：{why}。如果中间有代理或网关，请确认它正确转发了接口。"),
        details(response, None, None, None),
    )
}

fn not_posted(response: &HttpResponse) -> Error {
    let base = Error::password_not_available();
    Error::from_cloud(
        ErrorCode::PasswordNotAvailable,
        base.message().to_owned(),
        "云服务器尚未上报密码，或密码已被清除。新建的 Windows 云服务器会在首次启动后 5 到 10 分钟内上报：请稍后再试。".into(),
        details(response, None, None, None),
    )
}

/// The cloud's code and message from any of the three error shapes.
pub(crate) fn cloud_code_and_message(body: &Value) -> (Option<String>, Option<String>) {
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
    let body: Option<Value> = serde_json::from_slice(&response.body).ok();
    let (code, message) = body
        .as_ref()
        .map(cloud_code_and_message)
        .unwrap_or_default();
    // Cleaned before it is quoted in our own message, too.
    let code = code.map(clean);
    let status = response.status;
    let cloud = code.as_deref().unwrap_or("");
    let keypair = matches!(call, Call::KeyPair(_));
    let (our, en, zh): (ErrorCode, &str, &str) = match (status, cloud) {
        (_, "Ecs.0114" | "Ecs.0614") | (404, "itemNotFound") if !keypair => (
            ErrorCode::ServerNotFound,
            "The server was not found in this project. Check the server id and that the project (and region) is the one the server is in.",
            "在此项目中找不到该云服务器。请检查云服务器 ID，并确认项目（及区域）正是云服务器所在的项目。",
        ),
        (404, _) if keypair => (
            ErrorCode::KeyPairNotFound,
            "The server's key pair no longer exists in this project. You can still decrypt with the private key you kept; its fingerprint just cannot be checked first.",
            "此项目中已不存在该云服务器的密钥对。您仍可使用保存的私钥解密，只是无法预先核对指纹。",
        ),
        (404, _) => (
            ErrorCode::ServerNotFound,
            "The server or the API was not found. Check the server id, the project and the endpoint (region).",
            "找不到该云服务器或接口。请检查云服务器 ID、项目和接口地址（区域）。",
        ),
        (_, "Pdp.0001") => (
            ErrorCode::Forbidden,
            "Your IAM policies do not allow this operation (Pdp.0001). Ask your administrator for the action the permission check names, in this project.",
            "您的 IAM 策略不允许此操作（Pdp.0001）。请联系管理员在此项目中授予权限检查所指出的授权项。",
        ),
        (_, "Ecs.0003") => (
            ErrorCode::Forbidden,
            "The account is restricted (for example in arrears or frozen), so the operation is refused. Settle the account or contact the cloud's support.",
            "账号受限（例如欠费或被冻结），操作被拒绝。请处理账号状态或联系云平台客服。",
        ),
        (403, _) | (_, "Ecs.0110") => (
            ErrorCode::Forbidden,
            "The cloud refused this operation for your credentials (403). Check your permissions for this project and server.",
            "云平台拒绝了您的凭证执行此操作（403）。请检查您在此项目和云服务器上的权限。",
        ),
        (_, "Ecs.0023" | "Common.0018") => (
            ErrorCode::ProjectMismatch,
            "The token belongs to another project than the one in the request. Get a token scoped to the server's project (and region).",
            "令牌所属的项目与请求中的项目不一致。请获取限定在云服务器所在项目（及区域）的令牌。",
        ),
        (401, _) | (_, "Common.0013" | "APIGW.0301" | "APIGW.0101" | "APIGW.0303" | "APIGW.0305") => (
            ErrorCode::AuthFailed,
            "The cloud did not accept the credentials: the token is invalid or expired, or the AK/SK signature is wrong (a clock more than 15 minutes off also breaks it). Sign in again.",
            "云平台不接受该凭证：令牌无效或已过期，或 AK/SK 签名错误（本机时钟偏差超过 15 分钟也会导致失败）。请重新登录。",
        ),
        (_, "Ecs.0011") => (
            ErrorCode::PasswordRejected,
            "The cloud rejected the new password: it does not meet the complexity rules. Use the generator or follow the listed rules.",
            "云平台拒绝了新密码：不符合复杂度要求。请使用生成器或按所列规则设置。",
        ),
        (_, "Ecs.0612" | "Ecs.0613") => (
            ErrorCode::ResetFailed,
            "The server's one-click password reset plug-in is missing or not working, so the password cannot be reset through the API. Install the plug-in in the server, or reset the password inside it.",
            "云服务器的一键重置密码插件未安装或不可用，无法通过接口重置密码。请在云服务器中安装插件，或登录云服务器内部修改密码。",
        ),
        (_, "Ecs.0605") => (
            ErrorCode::ResetFailed,
            "The server is locked, so its password cannot be reset now. Unlock it (or wait for the operation that locked it to finish) and try again.",
            "云服务器已被锁定，当前无法重置密码。请解锁（或等待锁定它的操作完成）后重试。",
        ),
        (_, "Ecs.0610") => (
            ErrorCode::ResetFailed,
            "The password reset failed on the cloud's side. Check that the server is running or stopped (not in a transitional state) and try again.",
            "云平台重置密码失败。请确认云服务器处于运行或关机状态（而非中间状态）后重试。",
        ),
        (429, _) => (
            ErrorCode::RateLimited,
            "The cloud is limiting requests (429). Wait a minute and try again.",
            "云平台正在限流（429）。请稍等一分钟后重试。",
        ),
        (500..=599, _) => (
            ErrorCode::CloudUnavailable,
            "The cloud could not answer right now (server error). Try again in a few minutes; if it persists, quote the request id to the cloud's support.",
            "云平台暂时无法响应（服务端错误）。请几分钟后重试；如果持续出现，请向云平台客服提供请求 ID。",
        ),
        _ => (
            ErrorCode::CloudError,
            "The cloud refused the request. Its own message and code are shown below; quote the request id to the cloud's support if needed.",
            "云平台拒绝了该请求。下方显示了云平台自己的错误信息和错误码；如有需要，请向云平台客服提供请求 ID。",
        ),
    };
    let mut en = en.to_owned();
    let mut zh = zh.to_owned();
    if let Some(code) = &code {
        en.push_str(&format!(" (HTTP {status}, {code})"));
        zh.push_str(&format!("（HTTP {status}，{code}）"));
    } else {
        en.push_str(&format!(" (HTTP {status})"));
        zh.push_str(&format!("（HTTP {status}）"));
    }
    Error::from_cloud(our, en, zh, details(response, body.as_ref(), code, message))
}
