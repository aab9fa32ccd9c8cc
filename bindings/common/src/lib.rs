//! What both wasm modules share, and nothing they export: errors as `Error` objects with a stable
//! `code`, values as plain objects, secrets copied out of a `Uint8Array` (which is then wiped).
//! The allocator is each module's own (bindings/keys, bindings/cloud).

use ecs_password::error::Error;
use js_sys::{Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use zeroize::Zeroizing;

#[wasm_bindgen(typescript_custom_section)]
/// The error types both modules' declarations name. (Key facts, `KeyInfo`, and the other types
/// the core hands across are declared from their Rust types by tsify: the core's `typescript`
/// feature.)
const TYPES: &'static str = r#"
/** Stable error codes: `error.code` of every error this module throws. */
export type ErrorCode =
  | "KEY_MALFORMED" | "KEY_FORMAT_UNSUPPORTED" | "KEY_NOT_RSA" | "PASSPHRASE_REQUIRED"
  | "WRONG_PASSPHRASE" | "CIPHERTEXT_MALFORMED" | "WRONG_KEY" | "PASSWORD_NOT_AVAILABLE"
  | "PLAINTEXT_INVALID" | "POLICY_INVALID" | "GRANTS_INVALID" | "NOT_IN_TABLE" | "ENDPOINT_INVALID"
  | "ID_INVALID" | "OPERATION_UNSUPPORTED" | "AUTH_FAILED" | "FORBIDDEN" | "SERVER_NOT_FOUND"
  | "KEY_PAIR_NOT_FOUND" | "PROJECT_MISMATCH" | "PASSWORD_REJECTED" | "RESET_FAILED" | "RATE_LIMITED"
  | "CLOUD_UNAVAILABLE" | "CLOUD_ERROR" | "RESPONSE_INVALID" | "NETWORK_ERROR" | "TIMEOUT" | "CANCELLED"
  | "MFA_REQUIRED" | "ENDPOINT_NOT_FOUND" | "PROJECT_NOT_FOUND" | "KEY_NOT_HOSTED"
  | "KDBX_FAILED";

/** A message as data: its id in the catalogues (locales/<lang>/ecs-password.ftl) and its
 *  arguments (numbers, names, nested messages, or lists joined as Intl.ListFormat joins them). */
export interface MessageData {
  messageId: string;
  args: Record<string, MessageArg>;
}

/** One argument of a message. */
export type MessageArg = string | number | MessageData | MessageList;

/** A list argument: "a, b, and c" (conjunction) or "a, b, or c" (disjunction). */
export interface MessageList {
  listType: "conjunction" | "disjunction";
  items: MessageArg[];
}

/** The errors this module throws: `name` is "EcsPasswordError", `code` is stable, and
 *  `messageId`/`args` render the specific message in any language of the catalogues (`message`
 *  is only `CODE: id`). Errors of API calls also say what the cloud answered. */
export interface EcsPasswordError extends Error {
  name: "EcsPasswordError";
  code: ErrorCode;
  messageId: string;
  args: Record<string, MessageArg>;
  /** HTTP status of the cloud's answer (0: no answer). */
  status?: number;
  cloudCode?: string | null;
  cloudMessage?: string | null;
  requestId?: string | null;
}
"#;

/// Copies a `Uint8Array` (then wipes it) or a string into a zeroizing buffer.
pub fn secret_bytes(value: &JsValue, name: &str) -> Result<Zeroizing<Vec<u8>>, JsValue> {
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
pub fn to_object<T: serde::Serialize>(value: &T) -> Result<JsValue, JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsValue::from(js_sys::Error::new(&e.to_string())))
}

/// An `Error` whose `name` is `EcsPasswordError` and whose `code` is the stable code.
pub fn to_js(error: Error) -> JsValue {
    // The words are rendered in JavaScript, from the catalogues, in the user's language.
    let js = js_sys::Error::new(&format!("{}: {}", error.code(), error.message().id));
    js.set_name("EcsPasswordError");
    let set = |name: &str, value: JsValue| {
        // Setting a property on a fresh Error object cannot fail.
        let _ = Reflect::set(&js, &JsValue::from_str(name), &value);
    };
    set("code", JsValue::from_str(error.code().as_str()));
    set("messageId", JsValue::from_str(error.message().id));
    if let Ok(data) = to_object(error.message()) {
        set(
            "args",
            Reflect::get(&data, &JsValue::from_str("args")).unwrap_or(JsValue::NULL),
        );
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
