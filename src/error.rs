//! One error type for the whole crate: a stable machine-readable [`ErrorCode`] and a message that
//! tells the user what to do.
//!
//! Messages are written here and nowhere else, from facts that are safe to show (sizes, format
//! names, key types). They never contain key material, a passphrase or a password: the
//! constructors below take no such argument.

use core::fmt;

/// The stable code of an [`Error`]. The same strings appear in Rust ([`ErrorCode::as_str`]), as
/// `error.code` in JavaScript, and in the CLI's `--json` output. Never rename one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[non_exhaustive]
pub enum ErrorCode {
    /// The input looks like a key of a known format but its contents do not parse.
    KeyMalformed,
    /// The input is not a private key format this tool reads (or is a public key, certificate...).
    KeyFormatUnsupported,
    /// A valid private key, but not RSA: it can never decrypt a Windows password.
    KeyNotRsa,
    /// The key file is encrypted and no passphrase was given.
    PassphraseRequired,
    /// The passphrase does not unlock the key file.
    WrongPassphrase,
    /// The ciphertext is not base64, or does not decode to an RSA block.
    CiphertextMalformed,
    /// The ciphertext was encrypted to another key pair.
    WrongKey,
    /// The server has not posted its password yet (or it was cleared).
    PasswordNotAvailable,
    /// Decryption worked but the result is not a UTF-8 password.
    PlaintextInvalid,
    /// An IAM policy document is not valid.
    PolicyInvalid,
    /// A grants file (policies and their scopes) is not valid.
    GrantsInvalid,
    /// A request that the documented permission table does not list.
    NotInTable,
    /// The endpoint URL is not usable (not https, not a URL, has a query...).
    EndpointInvalid,
    /// A project, server or key pair id has characters that could steer the request.
    IdInvalid,
    /// The operation does not exist on the chosen API family (e.g. reset on v2).
    OperationUnsupported,
    /// The cloud refused the credentials (401, invalid or expired token, bad signature, clock skew).
    AuthFailed,
    /// The cloud refused the operation for these credentials (403).
    Forbidden,
    /// The server does not exist in this project (404).
    ServerNotFound,
    /// The key pair does not exist (404 on os-keypairs).
    KeyPairNotFound,
    /// The token's project is not the project in the URL.
    ProjectMismatch,
    /// The new password breaks the cloud's rules.
    PasswordRejected,
    /// The reset could not be done (plug-in missing, reset failed, server locked or busy).
    ResetFailed,
    /// Too many requests (429) and retries did not help.
    RateLimited,
    /// The cloud failed (5xx) and retries did not help.
    CloudUnavailable,
    /// Any other error answer from the cloud.
    CloudError,
    /// The answer could not be understood (not JSON, missing fields, too large).
    ResponseInvalid,
    /// The request did not reach the cloud (DNS, TLS, connection refused, CORS in a browser).
    NetworkError,
    /// No answer within the time limit.
    Timeout,
    /// The caller cancelled (e.g. stopped waiting for a password).
    Cancelled,
    /// Signing in needs a second factor (a TOTP code from the MFA device).
    MfaRequired,
    /// The service catalog or the region table has no endpoint for the service, interface and region.
    EndpointNotFound,
    /// No project (or more than one) has the name asked for.
    ProjectNotFound,
    /// The key pair's private key is not hosted by the cloud (KPS `is_key_protection` false).
    KeyNotHosted,
    /// The KeePass file could not be made (no master password, or the writer failed).
    KdbxFailed,
}

impl ErrorCode {
    /// Every code, in documentation order.
    pub const ALL: [ErrorCode; 34] = [
        ErrorCode::KeyMalformed,
        ErrorCode::KeyFormatUnsupported,
        ErrorCode::KeyNotRsa,
        ErrorCode::PassphraseRequired,
        ErrorCode::WrongPassphrase,
        ErrorCode::CiphertextMalformed,
        ErrorCode::WrongKey,
        ErrorCode::PasswordNotAvailable,
        ErrorCode::PlaintextInvalid,
        ErrorCode::PolicyInvalid,
        ErrorCode::GrantsInvalid,
        ErrorCode::NotInTable,
        ErrorCode::EndpointInvalid,
        ErrorCode::IdInvalid,
        ErrorCode::OperationUnsupported,
        ErrorCode::AuthFailed,
        ErrorCode::Forbidden,
        ErrorCode::ServerNotFound,
        ErrorCode::KeyPairNotFound,
        ErrorCode::ProjectMismatch,
        ErrorCode::PasswordRejected,
        ErrorCode::ResetFailed,
        ErrorCode::RateLimited,
        ErrorCode::CloudUnavailable,
        ErrorCode::CloudError,
        ErrorCode::ResponseInvalid,
        ErrorCode::NetworkError,
        ErrorCode::Timeout,
        ErrorCode::Cancelled,
        ErrorCode::MfaRequired,
        ErrorCode::EndpointNotFound,
        ErrorCode::ProjectNotFound,
        ErrorCode::KeyNotHosted,
        ErrorCode::KdbxFailed,
    ];

    /// The code as it appears to JavaScript and in JSON, e.g. `"WRONG_KEY"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorCode::KeyMalformed => "KEY_MALFORMED",
            ErrorCode::KeyFormatUnsupported => "KEY_FORMAT_UNSUPPORTED",
            ErrorCode::KeyNotRsa => "KEY_NOT_RSA",
            ErrorCode::PassphraseRequired => "PASSPHRASE_REQUIRED",
            ErrorCode::WrongPassphrase => "WRONG_PASSPHRASE",
            ErrorCode::CiphertextMalformed => "CIPHERTEXT_MALFORMED",
            ErrorCode::WrongKey => "WRONG_KEY",
            ErrorCode::PasswordNotAvailable => "PASSWORD_NOT_AVAILABLE",
            ErrorCode::PlaintextInvalid => "PLAINTEXT_INVALID",
            ErrorCode::PolicyInvalid => "POLICY_INVALID",
            ErrorCode::GrantsInvalid => "GRANTS_INVALID",
            ErrorCode::NotInTable => "NOT_IN_TABLE",
            ErrorCode::EndpointInvalid => "ENDPOINT_INVALID",
            ErrorCode::IdInvalid => "ID_INVALID",
            ErrorCode::OperationUnsupported => "OPERATION_UNSUPPORTED",
            ErrorCode::AuthFailed => "AUTH_FAILED",
            ErrorCode::Forbidden => "FORBIDDEN",
            ErrorCode::ServerNotFound => "SERVER_NOT_FOUND",
            ErrorCode::KeyPairNotFound => "KEY_PAIR_NOT_FOUND",
            ErrorCode::ProjectMismatch => "PROJECT_MISMATCH",
            ErrorCode::PasswordRejected => "PASSWORD_REJECTED",
            ErrorCode::ResetFailed => "RESET_FAILED",
            ErrorCode::RateLimited => "RATE_LIMITED",
            ErrorCode::CloudUnavailable => "CLOUD_UNAVAILABLE",
            ErrorCode::CloudError => "CLOUD_ERROR",
            ErrorCode::ResponseInvalid => "RESPONSE_INVALID",
            ErrorCode::NetworkError => "NETWORK_ERROR",
            ErrorCode::Timeout => "TIMEOUT",
            ErrorCode::Cancelled => "CANCELLED",
            ErrorCode::MfaRequired => "MFA_REQUIRED",
            ErrorCode::EndpointNotFound => "ENDPOINT_NOT_FOUND",
            ErrorCode::ProjectNotFound => "PROJECT_NOT_FOUND",
            ErrorCode::KeyNotHosted => "KEY_NOT_HOSTED",
            ErrorCode::KdbxFailed => "KDBX_FAILED",
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An error with a stable [`ErrorCode`] and an actionable English message; errors from the cloud
/// also carry what the cloud said ([`CloudDetails`]) and a Chinese message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    code: ErrorCode,
    message: String,
    message_zh: Option<String>,
    cloud: Option<Box<CloudDetails>>,
}

/// What the cloud answered, for errors that come from an API call.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CloudDetails {
    /// The HTTP status (0 when no answer arrived).
    pub status: u16,
    /// The cloud's own code, e.g. `Ecs.0114`, `APIGW.0301`, `itemNotFound`.
    pub cloud_code: Option<String>,
    /// The cloud's own message, as sent (never contains our secrets: we send none).
    pub cloud_message: Option<String>,
    /// `X-Request-Id` (or the body's `request_id`), to quote to support.
    pub request_id: Option<String>,
}

/// Result type of this crate.
pub type Result<T> = core::result::Result<T, Error>;

impl Error {
    fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Error {
            code,
            message: message.into(),
            message_zh: None,
            cloud: None,
        }
    }

    /// An error with its message in English and Chinese.
    pub fn bilingual(code: ErrorCode, message: String, message_zh: String) -> Self {
        Error {
            code,
            message,
            message_zh: Some(message_zh),
            cloud: None,
        }
    }

    /// An error from an API call: messages in English and Chinese, and what the cloud said.
    pub(crate) fn from_cloud(
        code: ErrorCode,
        message: String,
        message_zh: String,
        details: CloudDetails,
    ) -> Self {
        Error {
            code,
            message,
            message_zh: Some(message_zh),
            cloud: Some(Box::new(details)),
        }
    }

    /// The message in Chinese, where this error has one (API and permission errors).
    pub fn message_zh(&self) -> Option<&str> {
        self.message_zh.as_deref()
    }

    /// What the cloud answered, for errors from an API call.
    pub fn cloud_details(&self) -> Option<&CloudDetails> {
        self.cloud.as_deref()
    }

    /// The stable machine-readable code.
    pub fn code(&self) -> ErrorCode {
        self.code
    }

    /// What went wrong and what to do about it.
    pub fn message(&self) -> &str {
        &self.message
    }

    pub(crate) fn key_malformed(format: &str, detail: &str) -> Self {
        Self::new(
            ErrorCode::KeyMalformed,
            format!(
                "The key file looks like {format} but its contents are damaged ({detail}). \
                 Open the original file again, or copy the whole key including its BEGIN and END lines."
            ),
        )
    }

    pub(crate) fn not_a_key() -> Self {
        Self::new(
            ErrorCode::KeyFormatUnsupported,
            "This is not a private key file this tool can read. Choose the private key of the server's \
             key pair: a .pem file (BEGIN RSA PRIVATE KEY, BEGIN PRIVATE KEY or BEGIN ENCRYPTED PRIVATE KEY), \
             an OpenSSH key (BEGIN OPENSSH PRIVATE KEY, e.g. ~/.ssh/id_rsa) or a PuTTY .ppk file.",
        )
    }

    pub(crate) fn unsupported(what: &str, advice: &str) -> Self {
        Self::new(
            ErrorCode::KeyFormatUnsupported,
            format!("{what} cannot be used here. {advice}"),
        )
    }

    pub(crate) fn not_rsa(key_type: &str) -> Self {
        let a = article(key_type);
        Self::new(
            ErrorCode::KeyNotRsa,
            format!(
                "This is {a} {key_type} key, not an RSA key. Windows passwords are encrypted to the RSA key \
                 pair the server was created with: choose that key pair's private key. (A server created \
                 with {a} {key_type} key pair never receives an encrypted password.)"
            ),
        )
    }

    /// An intact encrypted key file whose scheme this tool does not read.
    pub(crate) fn encryption_unsupported(format: &str, scheme: &str, legacy: bool) -> Self {
        let provider = if legacy {
            " (OpenSSL 3 reads this old scheme only with -provider legacy -provider default added)"
        } else {
            ""
        };
        Self::new(
            ErrorCode::KeyFormatUnsupported,
            format!(
                "This {format} key file is intact, but it is encrypted with {scheme}, which this tool does not \
                 read. Re-encrypt it with AES (the key itself stays the same): \
                 openssl pkcs8 -topk8 -v2 aes-256-cbc -in OLD -out NEW{provider}."
            ),
        )
    }

    pub(crate) fn passphrase_required(format: &str) -> Self {
        Self::new(
            ErrorCode::PassphraseRequired,
            format!("This {format} key file is protected by a passphrase. Enter the passphrase to unlock it."),
        )
    }

    pub(crate) fn wrong_passphrase(format: &str) -> Self {
        Self::new(
            ErrorCode::WrongPassphrase,
            format!(
                "The passphrase does not unlock this {format} key file. Check it and try again \
                 (passphrases are case-sensitive)."
            ),
        )
    }

    pub(crate) fn ciphertext_malformed(detail: &str) -> Self {
        Self::new(
            ErrorCode::CiphertextMalformed,
            format!(
                "The encrypted password is not valid: {detail}. Copy the whole value of the \"password\" \
                 field returned by the os-server-password API."
            ),
        )
    }

    pub(crate) fn wrong_key_size(ciphertext_bits: usize, key_bits: usize) -> Self {
        Self::new(
            ErrorCode::WrongKey,
            format!(
                "This is the wrong key: the password was encrypted to a {ciphertext_bits}-bit RSA key, \
                 and this key is {key_bits}-bit. Choose the private key of the key pair the server was \
                 created with."
            ),
        )
    }

    pub(crate) fn wrong_key() -> Self {
        Self::new(
            ErrorCode::WrongKey,
            "This is the wrong key: the password was encrypted to a different key pair. Choose the \
             private key of the key pair the server was created with (compare the fingerprints).",
        )
    }

    pub(crate) fn password_not_available() -> Self {
        Self::new(
            ErrorCode::PasswordNotAvailable,
            "The server has not posted its password yet, or it was cleared. A new Windows server posts \
             it 5 to 10 minutes after its first boot: try again later.",
        )
    }

    pub(crate) fn plaintext_invalid() -> Self {
        Self::new(
            ErrorCode::PlaintextInvalid,
            "The password decrypted, but it is not text. The ciphertext was probably not made by the \
             server's password agent, or it was encrypted to another key: check the key pair.",
        )
    }

    pub(crate) fn plaintext_empty() -> Self {
        Self::new(
            ErrorCode::PlaintextInvalid,
            "The ciphertext decrypted with this key, but to an empty message, which is no password. Get the \
             password from the os-server-password API again.",
        )
    }

    pub(crate) fn policy_invalid(detail: &str) -> Self {
        Self::new(
            ErrorCode::PolicyInvalid,
            format!("The policy is not valid: {detail}."),
        )
    }

    /// Grants that do not parse (the message names what is wrong).
    pub fn grants_invalid(detail: &str) -> Self {
        Self::new(
            ErrorCode::GrantsInvalid,
            format!(
                "The grants are not valid: {detail}. Expected {{\"grants\": [{{\"policy\": \"ECS ReadOnlyAccess\" or {{policy JSON}}, \
                 \"scope\": {{\"project\": \"<id>\"}} or {{\"enterpriseProject\": \"<id>\"}}}}]}}."
            ),
        )
    }

    /// The KeePass file could not be made; `detail` says why (never a password: the writer's
    /// errors are about I/O, XML and the cipher).
    pub fn kdbx_failed(detail: &str) -> Self {
        Self::new(
            ErrorCode::KdbxFailed,
            format!("The KeePass file could not be made: {detail}."),
        )
    }

    pub(crate) fn not_in_table(method: &str, path: &str) -> Self {
        let shown: String = format!("{method} {path}")
            .chars()
            .filter(|c| !c.is_control())
            .take(200)
            .collect();
        Self::new(
            ErrorCode::NotInTable,
            format!(
                "\"{shown}\" is not one of the password APIs in the permission table. Give a method and a path \
                 with the ids filled in, e.g. GET /v1/<project_id>/cloudservers/<server_id>/os-server-password."
            ),
        )
    }
}

/// "a" or "an" before a key type as it is spoken: "an Ed25519", "an ECDSA", "a DSA".
fn article(word: &str) -> &'static str {
    if word.starts_with(['A', 'E', 'I', 'O', 'U', 'X', 'a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for Error {}
