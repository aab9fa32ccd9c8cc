//! The key module for JavaScript: keys, their KDFs, RSA decryption and fingerprints, as thin
//! conversions around the pure core (what the decryption worker and the offline page load).
//!
//! Key and passphrase arrive as `Uint8Array` (preferred: the caller's array is wiped after
//! copying) or as strings (which JavaScript cannot wipe). Every copy on the Rust side is
//! `Zeroizing`, and the zeroizing global allocator wipes every freed heap block, so after a call
//! the module's linear memory holds no key and no password. Errors are real `Error` objects with a
//! stable `code`.

use ecs_password::api::kps::parse_export_body;
use ecs_password::error::ErrorCode;
use ecs_password::key::PrivateKey;
use ecs_password_wasm_common::{secret_bytes, to_js, to_object};
use js_sys::JsString;
use wasm_bindgen::prelude::*;

#[global_allocator]
static ALLOCATOR: zeroizing_alloc::ZeroAlloc<std::alloc::System> =
    zeroizing_alloc::ZeroAlloc(std::alloc::System);

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
    let password = ecs_password::decrypt_password(&key, ciphertext).map_err(to_js)?;
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

    /// A hosted private key, straight from the body of KPS's ExportPrivateKey answer
    /// (`{"keypair": {"name", "private_key": "-----BEGIN RSA PRIVATE KEY-----..."}}`), as the
    /// decryption worker's `fetch` got it: `body` is wiped once read, and the PEM inside is parsed
    /// by the same loader as a key file and wiped. `keyPair` is the name asked for: an answer about
    /// another key pair is refused (RESPONSE_INVALID). Errors never quote the body.
    #[wasm_bindgen(js_name = fromKpsExport)]
    pub fn from_kps_export(
        key_pair: &str,
        #[wasm_bindgen(unchecked_param_type = "Uint8Array")] body: JsValue,
    ) -> Result<UnlockedKey, JsValue> {
        if !body.is_instance_of::<js_sys::Uint8Array>() {
            return Err(js_sys::TypeError::new("body must be a Uint8Array").into());
        }
        let bytes = secret_bytes(&body, "body")?;
        let exported = parse_export_body(key_pair, &bytes).map_err(to_js)?;
        drop(bytes);
        Ok(UnlockedKey {
            key: exported.load().map_err(to_js)?,
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
        let password = ecs_password::decrypt_password(&self.key, ciphertext).map_err(to_js)?;
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
