//! Authenticating a built request: an IAM/Keystone token (`X-Auth-Token`), or AK/SK signing
//! (SDK-HMAC-SHA256, with `X-Security-Token` for temporary credentials).

use super::http::HttpRequest;
use super::signer::{sdk_date, sign, AkSk};
use zeroize::Zeroizing;

/// How the user proves who they are.
#[derive(Clone)]
pub enum Credentials {
    /// A project-scoped token (valid 24 h on Huawei Cloud).
    Token(Zeroizing<String>),
    /// An access key pair, optionally temporary (with a security token).
    AkSk(AkSk),
}

impl core::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Credentials::Token(_) => f.write_str("Credentials::Token(<redacted>)"),
            Credentials::AkSk(k) => write!(f, "Credentials::AkSk({k:?})"),
        }
    }
}

/// Adds the auth headers. `project_id` is sent as `X-Project-Id` with AK/SK (as Huawei's SDKs do);
/// `unix_seconds` is now, for the signature's date.
pub fn authorize(
    request: &mut HttpRequest,
    credentials: &Credentials,
    project_id: Option<&str>,
    unix_seconds: u64,
) {
    match credentials {
        Credentials::Token(token) => request.set_header("X-Auth-Token", token),
        Credentials::AkSk(keys) => {
            if let Some(project) = project_id.filter(|p| !p.is_empty()) {
                request.set_header("X-Project-Id", project);
            }
            sign(request, keys, &sdk_date(unix_seconds));
        }
    }
}
