//! The decisions the widget shares with the CLI (`api::choice`): which family, whether a key is
//! the server's key pair, which OS. Conversions only, field by field (`Reflect`) rather than
//! through serde: the page downloads every byte of this module.

use ecs_password::api::choice::{self, FamilyChoice, FamilyReason, KeyFacts, Recommended};
use ecs_password::api::diagnosis::{diagnose, Diagnosis, Facts};
use ecs_password::api::password_rules::{OsType, ResetApi};
use ecs_password::api::response::{KeyPair, ServerDetails};
use ecs_password::error::ErrorCode;
use ecs_password::message::Message;
use ecs_password::permission::ApiFamily;
use ecs_password_wasm_common::to_object;
use js_sys::{Object, Reflect};
use serde::Serialize;
use tsify::Tsify;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r#"
/** The permission engine's recommendations (`OperationAccess.recommended` of get and reset). */
export interface Recommended {
  get?: string | null;
  reset?: string | null;
}
"#;

/// Why no password comes, and whether waiting can help (`api::diagnosis`, docs/fleet.md), with
/// what to tell the user as data (rendered from the catalogues in the page's language).
#[derive(Serialize, Tsify)]
struct PasswordDiagnosis {
    #[serde(flatten)]
    #[tsify(type = "Diagnosis")]
    diagnosis: Diagnosis,
    #[tsify(type = "MessageData")]
    message: Message,
}

/// A string property of `object` (None when absent, null or not a string).
fn text(object: &JsValue, name: &str) -> Option<String> {
    Reflect::get(object, &JsValue::from_str(name))
        .ok()
        .and_then(|v| v.as_string())
}

fn type_error(message: String) -> JsValue {
    js_sys::TypeError::new(&message).into()
}

fn family(name: &str) -> Result<ApiFamily, JsValue> {
    ApiFamily::parse(name).ok_or_else(|| {
        type_error(format!(
            "family must be auto, v1, v2, v2.1 or nova, not \"{name}\""
        ))
    })
}

fn reset_api_name(api: ResetApi) -> &'static str {
    match api {
        ResetApi::V1 => "v1",
        ResetApi::V21 => "v2.1",
    }
}

fn choice_object(choice: &FamilyChoice) -> JsValue {
    let object = Object::new();
    for (name, value) in [
        ("family", choice.family.as_str()),
        ("reason", choice.reason.as_str()),
        ("resetApi", reset_api_name(choice.reset_api)),
    ] {
        // Setting a property on a fresh object cannot fail.
        let _ = Reflect::set(&object, &JsValue::from_str(name), &JsValue::from_str(value));
    }
    object.into()
}

/// Chooses the family: `requested` ("auto", or a family), with the permission engine's
/// recommendations when the user's permissions are known (null when not).
#[wasm_bindgen(js_name = chooseFamily, unchecked_return_type = "FamilyChoice")]
pub fn choose_family(
    requested: &str,
    #[wasm_bindgen(unchecked_optional_param_type = "Recommended | null")] recommended: Option<
        JsValue,
    >,
) -> Result<JsValue, JsValue> {
    let requested = match requested {
        "" | "auto" => None,
        name => Some(family(name)?),
    };
    let recommended = match recommended {
        Some(r) if r.is_object() => {
            let of = |name: &str| text(&r, name).as_deref().map(family).transpose();
            Some(Recommended {
                get: of("get")?,
                reset: of("reset")?,
            })
        }
        _ => None,
    };
    Ok(choice_object(&choice::choose_family(
        requested,
        recommended.as_ref(),
    )))
}

/// The choice to retry with after a call failed with `errorCode`, or null (the error is final):
/// v2.1 when v1 was chosen without the user's permissions and the cloud refused it.
#[wasm_bindgen(js_name = familyAfterRefusal, unchecked_return_type = "FamilyChoice | null")]
pub fn family_after_refusal(
    #[wasm_bindgen(unchecked_param_type = "FamilyChoice")] choice: JsValue,
    error_code: &str,
) -> Result<JsValue, JsValue> {
    let field = |name: &str| {
        text(&choice, name).ok_or_else(|| type_error(format!("choice.{name} is missing")))
    };
    let reason = field("reason")?;
    let choice = FamilyChoice {
        family: family(&field("family")?)?,
        reason: FamilyReason::parse(&reason)
            .ok_or_else(|| type_error(format!("choice.reason \"{reason}\" is not a reason")))?,
        reset_api: if field("resetApi")? == "v2.1" {
            ResetApi::V21
        } else {
            ResetApi::V1
        },
    };
    let code = ErrorCode::ALL
        .into_iter()
        .find(|e| e.as_str() == error_code);
    Ok(code
        .and_then(|code| choice.after_refusal(code))
        .map_or(JsValue::NULL, |next| choice_object(&next)))
}

/// Compares a key's public facts (`KeyInfo`) with the server's key pair.
#[wasm_bindgen(js_name = matchKeyPair, unchecked_return_type = "KeyMatch")]
pub fn match_key_pair(
    #[wasm_bindgen(unchecked_param_type = "KeyInfo")] key: JsValue,
    #[wasm_bindgen(
        unchecked_param_type = "{ name?: string; publicKey?: string | null; fingerprint?: string | null }"
    )]
    key_pair: JsValue,
) -> Result<JsValue, JsValue> {
    let fact =
        |name: &str| text(&key, name).ok_or_else(|| type_error(format!("key.{name} is missing")));
    let (public_key_openssh, fingerprint_md5, fingerprint_sha256) = (
        fact("publicKeyOpenssh")?,
        fact("fingerprintMd5")?,
        fact("fingerprintSha256")?,
    );
    let pair = KeyPair {
        name: text(&key_pair, "name").unwrap_or_default(),
        public_key: text(&key_pair, "publicKey").unwrap_or_default(),
        fingerprint: text(&key_pair, "fingerprint"),
    };
    let facts = KeyFacts {
        public_key_openssh: &public_key_openssh,
        fingerprint_md5: &fingerprint_md5,
        fingerprint_sha256: &fingerprint_sha256,
    };
    Ok(JsValue::from_str(
        choice::match_key_pair(facts, &pair).as_str(),
    ))
}

/// The server's OS from its `osType` (the `os_type` metadata): "linux" when it says so, else
/// "windows".
#[wasm_bindgen(js_name = guessOs, unchecked_return_type = "\"windows\" | \"linux\"")]
pub fn guess_os(os_type: Option<String>) -> JsValue {
    JsValue::from_str(match choice::guess_os(os_type.as_deref()) {
        OsType::Windows => "windows",
        OsType::Linux => "linux",
    })
}

/// Why a server's password answer was empty, and whether waiting can help: from its details (as
/// `callApi` gives them), its key pair (or null), and whether this page cleared it.
#[wasm_bindgen(js_name = diagnoseMissingPassword, unchecked_return_type = "PasswordDiagnosis")]
pub fn diagnose_missing_password(
    #[wasm_bindgen(
        unchecked_param_type = "{ id?: string; name?: string; status?: string | null; keyName?: string | null; osType?: string | null; created?: string | null; launchedAt?: string | null }"
    )]
    details: JsValue,
    #[wasm_bindgen(
        unchecked_param_type = "{ name?: string; publicKey?: string | null; fingerprint?: string | null } | null"
    )]
    key_pair: JsValue,
    cleared: Option<bool>,
) -> Result<JsValue, JsValue> {
    if !details.is_object() {
        return Err(type_error("details must be the server's details".into()));
    }
    let server = ServerDetails {
        id: text(&details, "id").unwrap_or_default(),
        name: text(&details, "name").unwrap_or_default(),
        status: text(&details, "status"),
        key_name: text(&details, "keyName"),
        os_type: text(&details, "osType"),
        enterprise_project_id: None,
        created: text(&details, "created"),
        launched_at: text(&details, "launchedAt"),
        tags: Vec::new(),
    };
    let pair = Some(key_pair).filter(JsValue::is_object).map(|p| KeyPair {
        name: text(&p, "name").unwrap_or_default(),
        public_key: text(&p, "publicKey").unwrap_or_default(),
        fingerprint: text(&p, "fingerprint"),
    });
    let diagnosis = diagnose(&Facts {
        server: &server,
        key_pair: pair.as_ref(),
        cleared: cleared.unwrap_or(false),
        now_unix: (js_sys::Date::now() / 1000.0) as u64,
    });
    // The words come from the catalogues, in the widget's language.
    let message = diagnosis.message();
    to_object(&PasswordDiagnosis { diagnosis, message })
}
