//! The permission engine for JavaScript: grants and options in (JSON text or plain objects),
//! decisions out as plain objects. Conversions only.

use ecs_password::error::Error;
use ecs_password::permission::{self, AccessRequest, Grants};
use ecs_password_wasm_common::{to_js, to_object};
use serde::Deserialize;
use std::collections::BTreeMap;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r#"
/** A grants document: policies attached by system name or as JSON, each in a scope. */
export interface GrantsDocument {
  grants: Array<{
    policy: string | object;
    name?: string;
    scope: { project: string } | { enterpriseProject: string };
  }>;
}

/** What else a decision may depend on. */
export interface AccessOptions {
  /** The server's enterprise project id: needed for grants through enterprise projects. */
  serverEnterpriseProject?: string;
  /** Region and account id, for instance-level resources (ecs:<region>:<domain>:instance:<id>). */
  region?: string;
  domainId?: string;
  /** Condition keys, e.g. {"g:MFAPresent": "true"}. g:CurrentTime defaults to now. */
  context?: Record<string, string | string[]>;
}

/** Who is asking, for plain OpenStack (Nova's policy). */
export interface NovaOptions {
  /** The roles in the Keystone token, e.g. ["member"]. */
  roles: string[];
  /** The project the token is scoped to. */
  tokenProject: string;
  /** The project the server belongs to. */
  serverProject: string;
  /** The operator's policy.yaml or policy.json text, overriding Nova's defaults. */
  policy?: string;
  /** Whose defaults: "2025.2" (Nova 32 and later, the default), "2023.1" (Nova 27 to 31) or
   *  "legacy" (Nova 20 and older, admin_or_owner); release names such as "2024.1" map to these. */
  novaRelease?: string;
  /** Nova runs with [oslo_policy] enforce_new_defaults = false (deprecated defaults or-ed in). */
  enforceNewDefaults?: boolean;
}
"#;

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Options {
    server_enterprise_project: Option<String>,
    region: Option<String>,
    domain_id: Option<String>,
    #[serde(default)]
    context: BTreeMap<String, OneOrMany>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

pub(crate) fn grants(value: &JsValue) -> Result<Grants, JsValue> {
    if let Some(text) = value.as_string() {
        return Grants::parse(&text).map_err(to_js);
    }
    let json: serde_json::Value = serde_wasm_bindgen::from_value(value.clone()).map_err(|e| {
        to_js(Error::grants_invalid(
            ecs_password::message::Message::new("detail-not-json").with("detail", e.to_string()),
        ))
    })?;
    Grants::from_value(&json).map_err(to_js)
}

pub(crate) fn access_request(options: Option<JsValue>) -> Result<AccessRequest, JsValue> {
    let options: Options = match options {
        Some(o) if !o.is_undefined() && !o.is_null() => serde_wasm_bindgen::from_value(o)
            .map_err(|e| JsValue::from(js_sys::TypeError::new(&format!("options: {e}"))))?,
        _ => Options::default(),
    };
    let mut request = AccessRequest {
        server_enterprise_project: options.server_enterprise_project,
        region: options.region,
        domain_id: options.domain_id,
        ..AccessRequest::default()
    };
    for (key, values) in options.context {
        match values {
            OneOrMany::One(v) => request.context.insert(&key, &v),
            OneOrMany::Many(vs) => vs.iter().for_each(|v| request.context.insert(&key, v)),
        }
    }
    let now: String = js_sys::Date::new_0().to_iso_string().into();
    request.context.insert_default("g:CurrentTime", &now);
    Ok(request)
}

/// Decides one request (`"GET /v1/<project>/cloudservers/<server>/os-server-password"`) for the
/// given grants, explained by a message of the catalogues (`{messageId, args}`). Throws `NOT_IN_TABLE` for requests
/// the permission table does not list, `GRANTS_INVALID` / `POLICY_INVALID` for bad grants.
#[wasm_bindgen(js_name = checkPermission, unchecked_return_type = "Decision")]
pub fn check_permission(
    #[wasm_bindgen(unchecked_param_type = "GrantsDocument | string")] grants: JsValue,
    request: &str,
    #[wasm_bindgen(unchecked_optional_param_type = "AccessOptions")] options: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let grants = self::grants(&grants)?;
    let request_options = access_request(options)?;
    let (method, path) = permission::split_request(request).unwrap_or((request, ""));
    let decision =
        permission::check_permission(&grants, method, path, &request_options).map_err(to_js)?;
    to_object(&decision)
}

/// For one server: each password operation, through each API family, and the family to use.
#[wasm_bindgen(js_name = explainAccess, unchecked_return_type = "OperationAccess[]")]
pub fn explain_access(
    #[wasm_bindgen(unchecked_param_type = "GrantsDocument | string")] grants: JsValue,
    project_id: &str,
    server_id: &str,
    #[wasm_bindgen(unchecked_optional_param_type = "AccessOptions")] options: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let grants = self::grants(&grants)?;
    let request = access_request(options)?;
    to_object(&permission::explain_access(
        &grants, project_id, server_id, &request,
    ))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct NovaOptions {
    roles: Vec<String>,
    token_project: String,
    server_project: String,
    policy: Option<String>,
    nova_release: Option<String>,
    enforce_new_defaults: Option<bool>,
}

/// Decides a Nova request (`"GET /v2.1/servers/<id>/os-server-password"` or `DELETE`) for a token's
/// roles and project under Nova's policy (defaults, or the operator's overrides in `policy`).
#[wasm_bindgen(js_name = checkNova, unchecked_return_type = "NovaDecision")]
pub fn check_nova(
    request: &str,
    #[wasm_bindgen(unchecked_param_type = "NovaOptions")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let options: NovaOptions = serde_wasm_bindgen::from_value(options)
        .map_err(|e| JsValue::from(js_sys::TypeError::new(&format!("options: {e}"))))?;
    let (method, path) = permission::split_request(request).unwrap_or((request, ""));
    let release = match options.nova_release.as_deref() {
        Some(name) => permission::NovaRelease::parse(name).ok_or_else(|| {
            JsValue::from(js_sys::TypeError::new(&format!(
                "options.novaRelease: unknown Nova release `{name}`; give \"2025.2\", \"2023.1\" or \"legacy\""
            )))
        })?,
        None => permission::NovaRelease::default(),
    };
    let config = permission::NovaConfig {
        release,
        enforce_new_defaults: options.enforce_new_defaults.unwrap_or(true),
    };
    let policy = permission::NovaPolicy::load(options.policy.as_deref(), config)
        .map_err(|e| to_js(e.into()))?;
    let credentials = permission::NovaCredentials {
        roles: options.roles,
        project_id: options.token_project,
        ..Default::default()
    };
    let target = permission::NovaTarget {
        project_id: options.server_project,
        ..Default::default()
    };
    to_object(
        &permission::check_nova_request(&policy, method, path.trim(), &credentials, &target)
            .map_err(to_js)?,
    )
}

/// The documented permission table (rows 1-9), each description a message of the catalogues.
#[wasm_bindgen(js_name = permissionTable, unchecked_return_type = "object[]")]
pub fn permission_table() -> Result<JsValue, JsValue> {
    to_object(&permission::TABLE)
}
