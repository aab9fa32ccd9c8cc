//! One error type for the whole crate: a stable machine-readable [`ErrorCode`] and a [`Message`]
//! (an id in the catalogues and typed arguments) that tells the user what to do.
//!
//! No sentence is written here: the words are in `locales/<lang>/ecs-password.ftl`. Arguments are
//! facts that are safe to show (sizes, format names, key types, the cloud's code); never key
//! material, a passphrase or a password: the constructors below take no such argument.

use crate::message::Message;
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

    /// The id of the code's generic message in the catalogues, e.g. `error-wrong-key`.
    pub fn message_id(self) -> String {
        format!(
            "error-{}",
            self.as_str().to_ascii_lowercase().replace('_', "-")
        )
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An error with a stable [`ErrorCode`] and a [`Message`] to render in the user's language;
/// errors from the cloud also carry what the cloud said ([`CloudDetails`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    code: ErrorCode,
    message: Message,
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

/// A message that quotes a library's own diagnostic (serde_json, ssh-key...) as it is.
pub(crate) fn raw(text: impl Into<String>) -> Message {
    Message::new("detail-raw").with("text", text.into())
}

impl Error {
    /// An error with its code and message.
    pub fn new(code: ErrorCode, message: Message) -> Self {
        Error {
            code,
            message,
            cloud: None,
        }
    }

    /// An error from an API call: its message and what the cloud said.
    pub(crate) fn from_cloud(code: ErrorCode, message: Message, details: CloudDetails) -> Self {
        Error {
            code,
            message,
            cloud: Some(Box::new(details)),
        }
    }

    /// What the cloud answered, for errors from an API call.
    pub fn cloud_details(&self) -> Option<&CloudDetails> {
        self.cloud.as_deref()
    }

    /// The stable machine-readable code.
    pub fn code(&self) -> ErrorCode {
        self.code
    }

    /// What went wrong and what to do about it, as data: render it with
    /// [`crate::message::render`] (or in JavaScript from the same catalogues).
    pub fn message(&self) -> &Message {
        &self.message
    }

    /// The message in English (the CLI's and `Display`'s language).
    #[cfg(feature = "render")]
    pub fn english(&self) -> String {
        crate::message::render(&self.message, crate::message::Lang::En)
    }

    /// The message in Chinese.
    #[cfg(feature = "render")]
    pub fn chinese(&self) -> String {
        crate::message::render(&self.message, crate::message::Lang::Zh)
    }

    pub(crate) fn key_malformed(format: &str, detail: Message) -> Self {
        Self::new(
            ErrorCode::KeyMalformed,
            Message::new("key-malformed")
                .with("format", format)
                .with("detail", detail),
        )
    }

    pub(crate) fn not_a_key() -> Self {
        Self::new(
            ErrorCode::KeyFormatUnsupported,
            Message::new("key-not-a-key"),
        )
    }

    /// A key (or something else) this tool does not read; the message says what to do instead.
    pub(crate) fn unsupported(message: Message) -> Self {
        Self::new(ErrorCode::KeyFormatUnsupported, message)
    }

    pub(crate) fn not_rsa(key_type: &str) -> Self {
        Self::new(
            ErrorCode::KeyNotRsa,
            Message::new("key-not-rsa").with("key_type", key_type),
        )
    }

    /// A key of an algorithm with no name we know; still not RSA.
    pub(crate) fn not_rsa_other() -> Self {
        Self::new(ErrorCode::KeyNotRsa, Message::new("key-not-rsa-other"))
    }

    /// An intact encrypted key file whose scheme this tool does not read.
    pub(crate) fn encryption_unsupported(format: &str, scheme: &str, legacy: bool) -> Self {
        Self::new(
            ErrorCode::KeyFormatUnsupported,
            Message::new("key-encryption-unsupported")
                .with("format", format)
                .with("scheme", scheme)
                .with("legacy", if legacy { "yes" } else { "no" }),
        )
    }

    pub(crate) fn passphrase_required(format: &str) -> Self {
        Self::new(
            ErrorCode::PassphraseRequired,
            Message::new("key-passphrase-required").with("format", format),
        )
    }

    pub(crate) fn wrong_passphrase(format: &str) -> Self {
        Self::new(
            ErrorCode::WrongPassphrase,
            Message::new("key-wrong-passphrase").with("format", format),
        )
    }

    pub(crate) fn ciphertext_malformed(detail: Message) -> Self {
        Self::new(
            ErrorCode::CiphertextMalformed,
            Message::new("ciphertext-malformed").with("detail", detail),
        )
    }

    pub(crate) fn wrong_key_size(ciphertext_bits: usize, key_bits: usize) -> Self {
        Self::new(
            ErrorCode::WrongKey,
            Message::new("key-wrong-size")
                .with("ciphertext_bits", ciphertext_bits)
                .with("key_bits", key_bits),
        )
    }

    pub(crate) fn wrong_key() -> Self {
        Self::new(ErrorCode::WrongKey, Message::new("key-wrong"))
    }

    pub(crate) fn password_not_available() -> Self {
        Self::new(
            ErrorCode::PasswordNotAvailable,
            Message::new("password-not-available"),
        )
    }

    pub(crate) fn plaintext_invalid() -> Self {
        Self::new(
            ErrorCode::PlaintextInvalid,
            Message::new("plaintext-invalid"),
        )
    }

    pub(crate) fn plaintext_empty() -> Self {
        Self::new(ErrorCode::PlaintextInvalid, Message::new("plaintext-empty"))
    }

    pub(crate) fn policy_invalid(detail: Message) -> Self {
        Self::new(
            ErrorCode::PolicyInvalid,
            Message::new("policy-invalid").with("detail", detail),
        )
    }

    /// Grants that do not parse (the detail names what is wrong).
    pub fn grants_invalid(detail: Message) -> Self {
        Self::new(
            ErrorCode::GrantsInvalid,
            Message::new("grants-invalid").with("detail", detail),
        )
    }

    /// The KeePass file could not be made; `detail` is the writer's own diagnostic (never a
    /// password: the writer's errors are about I/O, XML and the cipher).
    pub fn kdbx_failed(detail: &str) -> Self {
        Self::new(
            ErrorCode::KdbxFailed,
            Message::new("kdbx-failed").with("detail", raw(detail)),
        )
    }

    /// A KeePass file needs a master password.
    pub fn kdbx_master_empty() -> Self {
        Self::new(ErrorCode::KdbxFailed, Message::new("kdbx-master-empty"))
    }

    pub(crate) fn not_in_table(method: &str, path: &str) -> Self {
        let shown: String = format!("{method} {path}")
            .chars()
            .filter(|c| !c.is_control())
            .take(200)
            .collect();
        Self::new(
            ErrorCode::NotInTable,
            Message::new("not-in-table").with("request", shown),
        )
    }
}

/// `CODE: message`, in English where the renderer is built in (else the message's id).
impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        #[cfg(feature = "render")]
        return write!(f, "{}: {}", self.code, self.english());
        #[cfg(not(feature = "render"))]
        return write!(f, "{}: {}", self.code, self.message.id);
    }
}

impl std::error::Error for Error {}
