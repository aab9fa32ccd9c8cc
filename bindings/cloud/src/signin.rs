//! Signing in for JavaScript: the core's [`SignInFlow`] driven over `fetch`, one call per user
//! action. A call ends where the user must act (an MFA code, a project to pick) and says so;
//! the next call carries what the first returned (the receipt, or the unscoped token), so no
//! state is kept here between calls. The password, code and secret live only as long as the
//! request that sends them.

use crate::api::{cancelled, is_aborted, options, send, type_error};
use ecs_password::api::client::no_answer;
use ecs_password::api::request::Endpoint;
use ecs_password::permission::ApiFamily;
use ecs_password::signin::{
    api_endpoint, regions, AppCredential, Factor, Interface, Name, Scope, Secret, Service,
    SignInFlow, Step, UserRef,
};
use ecs_password_wasm_common::{to_js, to_object};
use serde::{Deserialize, Serialize};
use tsify::Tsify;
use wasm_bindgen::prelude::*;

// The argument and result types below are declared from their Rust types by tsify; the options,
// read field by field (an `AbortSignal` is no serde value), are declared here.
#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r#"
export interface SignInOptions {
  /** When the auth URL is a same-origin proxy path, the identity service behind it. */
  upstream?: string;
  /** The receipt of an earlier `needPasscode` answer. */
  receipt?: string;
  retry?: { timeoutMs?: number };
  signal?: AbortSignal;
}
"#;

/// A user: by id, or by name in a domain (on Huawei Cloud and OTC the domain is the account).
#[derive(Deserialize, Default, Clone, Tsify)]
#[serde(rename_all = "camelCase")]
struct SignInUser {
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    domain_id: Option<String>,
    #[serde(default)]
    domain_name: Option<String>,
}

fn domain(id: Option<String>, name: Option<String>) -> Option<Name> {
    let some = |s: Option<String>| s.filter(|s| !s.trim().is_empty());
    some(id)
        .map(Name::Id)
        .or_else(|| some(name).map(Name::Name))
}

impl SignInUser {
    fn user(self) -> Result<UserRef, JsValue> {
        if let Some(id) = self.id.filter(|s| !s.trim().is_empty()) {
            return Ok(UserRef::Id(id));
        }
        let name = self
            .name
            .filter(|s| !s.trim().is_empty())
            .ok_or_else(|| type_error("credentials.user", "give its id, or its name"))?;
        Ok(UserRef::Name {
            name,
            // Keystone's `default` domain when none is named, as python-openstackclient does.
            domain: domain(self.domain_id, self.domain_name)
                .unwrap_or_else(|| Name::Id("default".into())),
        })
    }
}

/// What the user signs in with; `method` says which fields count. `totp` continues an answer
/// that asked for an MFA code (`options.receipt`). Read flat: an internally tagged enum would make
/// serde buffer every field, which costs the module kilobytes for nothing.
#[derive(Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
struct SignInCredentials {
    #[tsify(type = r#""password" | "totp" | "applicationCredential" | "token""#)]
    method: String,
    #[serde(default)]
    user: Option<SignInUser>,
    #[serde(default)]
    password: Option<String>,
    #[serde(default)]
    passcode: Option<String>,
    /// Huawei IAM's password + virtual MFA names the MFA device's user by id: give it here.
    #[serde(default)]
    passcode_user_id: Option<String>,
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    secret: Option<String>,
    #[serde(default)]
    token: Option<String>,
}

fn required(value: Option<String>, what: &str) -> Result<Secret, JsValue> {
    value
        .map(Secret::new)
        .ok_or_else(|| type_error("credentials", format!("{what} is missing")))
}

fn filled(value: Option<String>) -> Option<String> {
    value.filter(|s| !s.trim().is_empty())
}

fn factors(value: JsValue) -> Result<Vec<Factor>, JsValue> {
    let c: SignInCredentials =
        serde_wasm_bindgen::from_value(value).map_err(|e| type_error("credentials", e))?;
    let user = |u: Option<SignInUser>| u.unwrap_or_default().user();
    Ok(match c.method.as_str() {
        "password" => {
            let user = user(c.user)?;
            let mut list = vec![Factor::Password {
                user: user.clone(),
                password: required(c.password, "password")?,
            }];
            // A code given up front goes in the same request (Huawei IAM's password + MFA, which
            // names the device's user by id).
            if let Some(passcode) = filled(c.passcode) {
                list.push(Factor::Totp {
                    user: filled(c.passcode_user_id).map_or(user, UserRef::Id),
                    passcode: Secret::new(passcode),
                });
            }
            list
        }
        "totp" => vec![Factor::Totp {
            user: user(c.user)?,
            passcode: required(c.passcode, "passcode")?,
        }],
        "applicationCredential" => {
            let credential = match (filled(c.id), filled(c.name), c.user) {
                (Some(id), _, _) => AppCredential::Id(id),
                (None, Some(name), Some(owner)) => AppCredential::Name {
                    name,
                    user: owner.user()?,
                },
                _ => {
                    return Err(type_error(
                        "credentials",
                        "an application credential needs its id, or its name and user",
                    ))
                }
            };
            vec![Factor::ApplicationCredential {
                credential,
                secret: required(c.secret, "secret")?,
            }]
        }
        "token" => vec![Factor::Token(required(c.token, "token")?)],
        _ => {
            return Err(type_error(
                "credentials.method",
                "must be password, totp, applicationCredential or token",
            ))
        }
    })
}

/// What the token is for: a project by id, or by name in a domain, or a domain; none (`null`):
/// the user's default project, or a list to pick from.
#[derive(Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
struct SignInScope {
    #[serde(default)]
    project_id: Option<String>,
    #[serde(default)]
    project_name: Option<String>,
    #[serde(default)]
    domain_id: Option<String>,
    #[serde(default)]
    domain_name: Option<String>,
}

fn scope(value: JsValue) -> Result<Scope, JsValue> {
    if value.is_null() || value.is_undefined() {
        return Ok(Scope::Default);
    }
    let s: SignInScope =
        serde_wasm_bindgen::from_value(value).map_err(|e| type_error("scope", e))?;
    let some = |s: Option<String>| s.filter(|s| !s.trim().is_empty());
    Ok(match (some(s.project_id), some(s.project_name)) {
        (Some(id), _) => Scope::ProjectId(id),
        (None, Some(name)) => Scope::ProjectName {
            name,
            domain: domain(s.domain_id, s.domain_name),
        },
        (None, None) => match domain(s.domain_id, s.domain_name) {
            Some(d) => Scope::Domain(d),
            None => Scope::Default,
        },
    })
}

fn auth_url(url: &str, options: &Option<JsValue>) -> Result<Endpoint, JsValue> {
    let upstream = options
        .as_ref()
        .and_then(|o| js_sys::Reflect::get(o, &"upstream".into()).ok())
        .and_then(|u| u.as_string())
        .filter(|u| !u.is_empty());
    match upstream {
        Some(upstream) => Endpoint::via_proxy(url, &upstream),
        None => Endpoint::parse(url),
    }
    .map_err(to_js)
}

fn receipt(options: &Option<JsValue>) -> Option<String> {
    options
        .as_ref()
        .and_then(|o| js_sys::Reflect::get(o, &"receipt".into()).ok())
        .and_then(|r| r.as_string())
        .filter(|r| !r.is_empty())
}

/// Signed in, or what the user must do first.
#[derive(Serialize, Tsify)]
#[tsify(missing_as_null)]
#[serde(tag = "kind", rename_all = "camelCase")]
enum SignInResult<'a> {
    /// Signed in: the token and what it is for.
    #[serde(rename_all = "camelCase")]
    SignedIn {
        /// For `X-Auth-Token`.
        token: &'a str,
        expires_at: &'a str,
        /// Unix seconds.
        expires_unix: i64,
        methods: &'a [String],
        user: &'a Option<ecs_password::signin::Named>,
        user_domain: &'a Option<ecs_password::signin::Named>,
        project: &'a Option<ecs_password::signin::Project>,
        /// Role names, as assigned (Keystone lists the implied ones too): Nova's policy check
        /// takes them.
        roles: &'a [String],
        catalog: &'a [Service],
    },
    /// The identity service wants the MFA device's code: call again with `{method: "totp"}` and
    /// this receipt.
    NeedPasscode { receipt: &'a str },
    /// The user has several projects: call again with `{method: "token", token}` and
    /// `{projectId}`.
    ChooseProject {
        token: &'a str,
        projects: &'a [ecs_password::signin::Project],
    },
}

/// Signs in to Keystone v3 or Huawei Cloud / OTC IAM (`POST /v3/auth/tokens`, the version added
/// to `authUrl` unless it ends in one). Resolves when signed in, or when the user must act: an
/// MFA code (`needPasscode`) or a project to pick (`chooseProject`). Rejects with an
/// `EcsPasswordError` (`AUTH_FAILED`, `MFA_REQUIRED`, `PROJECT_NOT_FOUND`, `NETWORK_ERROR`, ...).
#[wasm_bindgen(js_name = signIn, unchecked_return_type = "SignInResult")]
pub async fn sign_in(
    #[wasm_bindgen(js_name = authUrl)] auth_url_text: String,
    #[wasm_bindgen(unchecked_param_type = "SignInCredentials")] credentials: JsValue,
    #[wasm_bindgen(unchecked_param_type = "SignInScope | null")] scope_js: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "SignInOptions")] options_js: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let auth_url = auth_url(&auth_url_text, &options_js)?;
    let factors = factors(credentials)?;
    let scope = scope(scope_js)?;
    let (retry, signal) = options(options_js.clone())?;
    let receipt = receipt(&options_js);
    let (mut flow, first) =
        SignInFlow::start(auth_url, &factors, scope, receipt.as_deref()).map_err(to_js)?;
    drop(factors);
    let mut request = first;
    loop {
        if is_aborted(&signal) {
            return Err(cancelled());
        }
        let answer = match send(&request, retry.timeout_ms).await {
            Ok(answer) => answer,
            Err(e) => return Err(to_js(no_answer(&e, &request))),
        };
        request = match flow.after(&answer).map_err(to_js)? {
            Step::Send(next) => *next,
            Step::NeedPasscode => {
                return to_object(&SignInResult::NeedPasscode {
                    receipt: flow.receipt().unwrap_or_default(),
                })
            }
            Step::ChooseProject(projects) => {
                let token = flow
                    .unscoped_token()
                    .map(Secret::expose)
                    .unwrap_or_default();
                return to_object(&SignInResult::ChooseProject {
                    token,
                    projects: &projects,
                });
            }
            Step::Done(t) => {
                return to_object(&SignInResult::SignedIn {
                    token: t.token.expose(),
                    expires_at: &t.expires_at,
                    expires_unix: t.expires_unix,
                    methods: &t.methods,
                    user: &t.user,
                    user_domain: &t.user_domain,
                    project: &t.project,
                    roles: &t.roles,
                    catalog: &t.catalog,
                })
            }
        };
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WhereJs {
    family: Option<String>,
    interface: Option<String>,
    region: Option<String>,
}

#[derive(Serialize)]
struct CatalogApiJs {
    family: Option<ApiFamily>,
    endpoint: String,
}

/// Where the password APIs are, by the token's catalog (`signin::api_endpoint`): Nova's compute
/// URL for `nova`, the ECS host for `v1`/`v2`/`v2.1`; for `auto` (or none) the ECS host when the
/// catalog lists `ecs` (family `null`: choose among v1/v2/v2.1), else Nova. `ENDPOINT_NOT_FOUND`
/// lists what the catalog offers.
#[wasm_bindgen(
    js_name = apiEndpoint,
    unchecked_return_type = "{ family: \"v1\" | \"v2\" | \"v2.1\" | \"nova\" | null; endpoint: string }"
)]
pub fn api_endpoint_js(
    #[wasm_bindgen(unchecked_param_type = "CatalogService[]")] catalog: JsValue,
    #[wasm_bindgen(
        unchecked_param_type = "{ family?: \"auto\" | \"v1\" | \"v2\" | \"v2.1\" | \"nova\"; interface?: \"public\" | \"internal\" | \"admin\"; region?: string }"
    )]
    query: JsValue,
) -> Result<JsValue, JsValue> {
    let catalog: Vec<Service> =
        serde_wasm_bindgen::from_value(catalog).map_err(|e| type_error("catalog", e))?;
    let q: WhereJs = serde_wasm_bindgen::from_value(query).map_err(|e| type_error("query", e))?;
    let family = match q.family.as_deref() {
        None | Some("auto") | Some("") => None,
        Some(text) => Some(
            ApiFamily::parse(text)
                .ok_or_else(|| type_error("query.family", "must be auto, v1, v2, v2.1 or nova"))?,
        ),
    };
    let interface = match q.interface.as_deref() {
        None => Interface::Public,
        Some(text) => Interface::parse(text)
            .ok_or_else(|| type_error("query.interface", "must be public, internal or admin"))?,
    };
    let found = api_endpoint(
        &catalog,
        family,
        interface,
        q.region.as_deref().filter(|r| !r.is_empty()),
    )
    .map_err(to_js)?;
    to_object(&CatalogApiJs {
        family: found.family,
        endpoint: found
            .endpoint
            .url()
            .as_str()
            .trim_end_matches('/')
            .to_owned(),
    })
}

/// The public regions of Huawei Cloud and Open Telekom Cloud with their ECS and IAM endpoints
/// (`data/regions.json`, whose sources are in the file).
#[wasm_bindgen(js_name = cloudRegions, unchecked_return_type = "CloudRegion[]")]
pub fn cloud_regions() -> Result<JsValue, JsValue> {
    to_object(&regions())
}

/// The projects a token may be scoped to (`GET /v3/auth/projects`), enabled or not: for a
/// project picker after sign-in. Scope to one with `signIn(authUrl, {method: "token", token},
/// {projectId})`.
#[wasm_bindgen(js_name = listProjects, unchecked_return_type = "SignInProject[]")]
pub async fn list_projects(
    #[wasm_bindgen(js_name = authUrl)] auth_url_text: String,
    token: String,
    #[wasm_bindgen(unchecked_optional_param_type = "SignInOptions")] options_js: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let auth_url = auth_url(&auth_url_text, &options_js)?;
    let (retry, _) = options(options_js)?;
    let token = Secret::new(token);
    let request = ecs_password::signin::build_list_projects(&auth_url, &token);
    let answer = send(&request, retry.timeout_ms)
        .await
        .map_err(|e| to_js(no_answer(&e, &request)))?;
    to_object(&ecs_password::signin::parse_projects(&answer).map_err(to_js)?)
}

/// The project id of `region` for an access key pair, as Huawei's SDKs find it: a signed
/// `GET <iam>/v3/projects?name=<region>` that must list exactly one project (else
/// `PROJECT_NOT_FOUND`). `iamUrl` may be a same-origin proxy path with `options.upstream` the IAM
/// endpoint behind it (the signature is made for that host).
#[wasm_bindgen(js_name = projectForRegion)]
pub async fn project_for_region_js(
    #[wasm_bindgen(js_name = iamUrl)] iam_url_text: String,
    region: String,
    #[wasm_bindgen(unchecked_param_type = "ApiAuth")] auth: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "SignInOptions")] options_js: Option<JsValue>,
) -> Result<String, JsValue> {
    let iam_url = auth_url(&iam_url_text, &options_js)?;
    let credentials = crate::api::credentials(auth)?;
    let (retry, _) = options(options_js)?;
    let mut request =
        ecs_password::signin::build_project_by_region(&iam_url, &region).map_err(to_js)?;
    let now = (js_sys::Date::now() / 1000.0) as u64;
    ecs_password::api::auth::authorize(&mut request, &credentials, None, now);
    let answer = send(&request, retry.timeout_ms)
        .await
        .map_err(|e| to_js(no_answer(&e, &request)))?;
    ecs_password::signin::project_for_region(&answer, &region).map_err(to_js)
}
