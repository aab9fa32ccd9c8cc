//! The JavaScript API: thin conversions around the pure core, nothing else.
//!
//! Key and passphrase arrive as `Uint8Array` (preferred: the caller's array is wiped after
//! copying) or as strings (which JavaScript cannot wipe). Every copy on the Rust side is
//! `Zeroizing`, and the zeroizing global allocator wipes every freed heap block, so after a call
//! the module's linear memory holds no key and no password. Errors are real `Error` objects with a
//! stable `code`.

mod api;
mod choice;
mod permission;

pub use api::{call_api, check_new_password, generate_new_password, wait_for_password};
pub use choice::{choose_family, family_after_refusal, guess_os, match_key_pair};
pub use permission::{check_nova, check_permission, explain_access, permission_table};

use crate::error::{Error, ErrorCode};
use crate::key::PrivateKey;
use js_sys::{JsString, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use zeroize::Zeroizing;

#[global_allocator]
static ALLOCATOR: zeroizing_alloc::ZeroAlloc<std::alloc::System> =
    zeroizing_alloc::ZeroAlloc(std::alloc::System);

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r#"
/** Stable error codes: `error.code` of every error this module throws. */
export type ErrorCode =
  | "KEY_MALFORMED" | "KEY_FORMAT_UNSUPPORTED" | "KEY_NOT_RSA" | "PASSPHRASE_REQUIRED"
  | "WRONG_PASSPHRASE" | "CIPHERTEXT_MALFORMED" | "WRONG_KEY" | "PASSWORD_NOT_AVAILABLE"
  | "PLAINTEXT_INVALID" | "POLICY_INVALID" | "GRANTS_INVALID" | "NOT_IN_TABLE" | "ENDPOINT_INVALID"
  | "ID_INVALID" | "OPERATION_UNSUPPORTED" | "AUTH_FAILED" | "FORBIDDEN" | "SERVER_NOT_FOUND"
  | "KEY_PAIR_NOT_FOUND" | "PROJECT_MISMATCH" | "PASSWORD_REJECTED" | "RESET_FAILED" | "RATE_LIMITED"
  | "CLOUD_UNAVAILABLE" | "CLOUD_ERROR" | "RESPONSE_INVALID" | "NETWORK_ERROR" | "TIMEOUT" | "CANCELLED";

/** The errors this module throws: `name` is "EcsPasswordError", `code` is stable. Errors of
 *  API calls also say what the cloud answered. */
export interface EcsPasswordError extends Error {
  name: "EcsPasswordError";
  code: ErrorCode;
  /** The message in Chinese (API and permission errors). */
  messageZh?: string;
  /** HTTP status of the cloud's answer (0: no answer). */
  status?: number;
  cloudCode?: string | null;
  cloudMessage?: string | null;
  requestId?: string | null;
}

/** Container names, as `KeyInfo.format`. */
export type KeyFormat =
  | "pkcs1-pem" | "pkcs1-der" | "pkcs8-pem" | "pkcs8-der" | "pkcs8-encrypted-pem"
  | "pkcs8-encrypted-der" | "openssl-legacy-pem" | "openssh" | "ppk2" | "ppk3";

/** Public facts about a private key: safe to show and to send. */
export interface KeyInfo {
  algorithm: "rsa";
  bits: number;
  format: KeyFormat;
  encrypted: boolean;
  /** As `ssh-keygen -l` prints it: "SHA256:..." */
  fingerprintSha256: string;
  /** MD5 colon-hex, as OpenStack key pair lists show it. */
  fingerprintMd5: string;
  /** "ssh-rsa AAAA... comment" */
  publicKeyOpenssh: string;
  comment?: string;
}
"#;

/// Decrypts a server's encrypted password with the user's private key.
///
/// `key` is the key file's contents; a `Uint8Array` is wiped (filled with zeros) once read.
/// `ciphertext` is the API's `password` value (or the whole JSON response). Throws an
/// `EcsPasswordError`. The returned string cannot be wiped by anyone: drop it when done.
#[wasm_bindgen(js_name = decryptPassword, unchecked_return_type = "string")]
pub fn decrypt_password(
    #[wasm_bindgen(unchecked_param_type = "Uint8Array | string")] key: JsValue,
    ciphertext: &str,
    #[wasm_bindgen(unchecked_optional_param_type = "Uint8Array | string")] passphrase: Option<
        JsValue,
    >,
) -> Result<JsString, JsValue> {
    let key = load(&key, passphrase.as_ref())?;
    let password = crate::decrypt_password(&key, ciphertext).map_err(to_js)?;
    // The JS string is decoded from this buffer, which is wiped when `password` drops.
    Ok(JsString::from(password.as_str()))
}

/// Reads a private key and returns its public facts (type, size, format, fingerprints).
///
/// Same inputs and errors as `decryptPassword`; the key material is wiped before it returns.
#[wasm_bindgen(js_name = inspectKey, unchecked_return_type = "KeyInfo")]
pub fn inspect_key(
    #[wasm_bindgen(unchecked_param_type = "Uint8Array | string")] key: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "Uint8Array | string")] passphrase: Option<
        JsValue,
    >,
) -> Result<JsValue, JsValue> {
    let key = load(&key, passphrase.as_ref())?;
    to_object(key.info())
}

/// A private key unlocked once, to decrypt many passwords: a fleet of servers, or a password
/// polled for, without reading the file and running the passphrase's key derivation again (an
/// Argon2 or bcrypt unlock costs hundreds of milliseconds). Keep it in a Web Worker; call `free()`
/// when done, which wipes the key material (the module's allocator zeroes every freed block).
#[wasm_bindgen]
pub struct UnlockedKey {
    key: PrivateKey,
}

#[wasm_bindgen]
impl UnlockedKey {
    /// Same inputs and errors as `decryptPassword`'s `key` and `passphrase`.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "Uint8Array | string")] key: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "Uint8Array | string")] passphrase: Option<
            JsValue,
        >,
    ) -> Result<UnlockedKey, JsValue> {
        Ok(UnlockedKey {
            key: load(&key, passphrase.as_ref())?,
        })
    }

    /// The key's public facts.
    #[wasm_bindgen(getter, unchecked_return_type = "KeyInfo")]
    pub fn info(&self) -> Result<JsValue, JsValue> {
        to_object(self.key.info())
    }

    /// Decrypts one encrypted password, as `decryptPassword` does.
    #[wasm_bindgen(unchecked_return_type = "string")]
    pub fn decrypt(&self, ciphertext: &str) -> Result<JsString, JsValue> {
        let password = crate::decrypt_password(&self.key, ciphertext).map_err(to_js)?;
        Ok(JsString::from(password.as_str()))
    }
}

/// Every error code, so that a UI can check its message catalog covers them all.
#[wasm_bindgen(js_name = errorCodes, unchecked_return_type = "ErrorCode[]")]
pub fn error_codes() -> js_sys::Array {
    ErrorCode::ALL
        .iter()
        .map(|c| JsValue::from_str(c.as_str()))
        .collect()
}

fn load(key: &JsValue, passphrase: Option<&JsValue>) -> Result<PrivateKey, JsValue> {
    let key_bytes = secret_bytes(key, "key")?;
    let passphrase = match passphrase {
        Some(p) if !p.is_undefined() && !p.is_null() => Some(secret_bytes(p, "passphrase")?),
        _ => None,
    };
    PrivateKey::load(&key_bytes, passphrase.as_deref().map(Vec::as_slice)).map_err(to_js)
}

/// Copies a `Uint8Array` (then wipes it) or a string into a zeroizing buffer.
fn secret_bytes(value: &JsValue, name: &str) -> Result<Zeroizing<Vec<u8>>, JsValue> {
    if let Some(array) = value.dyn_ref::<Uint8Array>() {
        let bytes = Zeroizing::new(array.to_vec());
        array.fill(0, 0, array.length());
        Ok(bytes)
    } else if let Some(text) = value.as_string() {
        Ok(Zeroizing::new(text.into_bytes()))
    } else {
        Err(js_sys::TypeError::new(&format!("{name} must be a Uint8Array or a string")).into())
    }
}

/// A Rust value as a plain JavaScript object (maps as objects, as JSON would give them).
pub(crate) fn to_object<T: serde::Serialize>(value: &T) -> Result<JsValue, JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsValue::from(js_sys::Error::new(&e.to_string())))
}

/// An `Error` whose `name` is `EcsPasswordError` and whose `code` is the stable code.
pub(crate) fn to_js(error: Error) -> JsValue {
    let js = js_sys::Error::new(error.message());
    js.set_name("EcsPasswordError");
    let set = |name: &str, value: JsValue| {
        // Setting a property on a fresh Error object cannot fail.
        let _ = Reflect::set(&js, &JsValue::from_str(name), &value);
    };
    set("code", JsValue::from_str(error.code().as_str()));
    if let Some(zh) = error.message_zh() {
        set("messageZh", JsValue::from_str(zh));
    }
    if let Some(cloud) = error.cloud_details() {
        set("status", JsValue::from_f64(f64::from(cloud.status)));
        let optional = |v: &Option<String>| v.as_deref().map_or(JsValue::NULL, JsValue::from_str);
        set("cloudCode", optional(&cloud.cloud_code));
        set("cloudMessage", optional(&cloud.cloud_message));
        set("requestId", optional(&cloud.request_id));
    }
    js.into()
}
