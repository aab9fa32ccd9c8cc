//! Keystone v3's token API as OpenStack and Huawei Cloud / OTC IAM serve it:
//! `POST /v3/auth/tokens` (password, TOTP, token, application credential, and password + TOTP),
//! `GET /v3/auth/projects`, and Huawei's `GET /v3/projects?name=<region>` for AK/SK users.

use super::catalog::{parse_catalog, Service};
use super::Secret;
use crate::api::http::{HttpRequest, HttpResponse, MAX_BODY_BYTES};
use crate::api::request::{join, Endpoint};
use crate::api::response::{clean, invalid, CloudAnswer};
use crate::error::{Error, ErrorCode, Result};
use crate::message::Message;
use serde_json::{json, Map, Value};

/// A domain (or anything else Keystone names either way), by id or by name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Name {
    /// By id, e.g. `default`.
    Id(String),
    /// By name, e.g. `Default`, or a Huawei account name.
    Name(String),
}

impl Name {
    fn json(&self) -> Value {
        match self {
            Name::Id(id) => json!({ "id": id }),
            Name::Name(name) => json!({ "name": name }),
        }
    }
}

/// Who signs in: a user id, or a user name within a domain (on Huawei Cloud and OTC the domain
/// is the account).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UserRef {
    /// A user id (unique across domains).
    Id(String),
    /// A user name and the domain it is unique in.
    Name {
        /// The user name.
        name: String,
        /// Its domain.
        domain: Name,
    },
}

impl UserRef {
    fn json(&self) -> Map<String, Value> {
        let mut user = Map::new();
        match self {
            UserRef::Id(id) => {
                user.insert("id".into(), json!(id));
            }
            UserRef::Name { name, domain } => {
                user.insert("name".into(), json!(name));
                user.insert("domain".into(), domain.json());
            }
        }
        user
    }
}

/// Which application credential: its id alone, or its name and its owner.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AppCredential {
    /// The credential's id.
    Id(String),
    /// The credential's name and the user who owns it.
    Name {
        /// The credential's name.
        name: String,
        /// Its owner.
        user: UserRef,
    },
}

/// One authentication method of a token request. Several are combined for multi-factor
/// sign-in (password + TOTP).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Factor {
    /// `password`: the user and their password.
    Password {
        /// Who.
        user: UserRef,
        /// Their password.
        password: Secret,
    },
    /// `totp`: the six-digit code of the user's MFA device (Huawei's virtual MFA too; Huawei
    /// wants the user's id here).
    Totp {
        /// Who.
        user: UserRef,
        /// The code.
        passcode: Secret,
    },
    /// `token`: an existing token, to get another one (e.g. scoped to a project).
    Token(Secret),
    /// `application_credential`: an application credential and its secret.
    ApplicationCredential {
        /// Which.
        credential: AppCredential,
        /// Its secret.
        secret: Secret,
    },
}

impl Factor {
    fn method(&self) -> &'static str {
        match self {
            Factor::Password { .. } => "password",
            Factor::Totp { .. } => "totp",
            Factor::Token(_) => "token",
            Factor::ApplicationCredential { .. } => "application_credential",
        }
    }

    fn json(&self) -> Value {
        match self {
            Factor::Password { user, password } => {
                let mut user = user.json();
                user.insert("password".into(), json!(password.expose()));
                json!({ "user": user })
            }
            Factor::Totp { user, passcode } => {
                let mut user = user.json();
                user.insert("passcode".into(), json!(passcode.expose()));
                json!({ "user": user })
            }
            Factor::Token(token) => json!({ "id": token.expose() }),
            Factor::ApplicationCredential { credential, secret } => {
                let mut body = Map::new();
                match credential {
                    AppCredential::Id(id) => {
                        body.insert("id".into(), json!(id));
                    }
                    AppCredential::Name { name, user } => {
                        body.insert("name".into(), json!(name));
                        body.insert("user".into(), Value::Object(user.json()));
                    }
                }
                body.insert("secret".into(), json!(secret.expose()));
                Value::Object(body)
            }
        }
    }
}

/// What the token is for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    /// No scope: the user's default project if Keystone has one, else unscoped (enough to list
    /// projects).
    Default,
    /// A project by id.
    ProjectId(String),
    /// A project by name. Keystone needs its domain; Huawei Cloud and OTC name projects after
    /// their region (`eu-de`, `cn-north-4`) and need none.
    ProjectName {
        /// The project's name.
        name: String,
        /// Its domain, where the cloud needs one.
        domain: Option<Name>,
    },
    /// A domain.
    Domain(Name),
    /// The whole deployment (`{"system": {"all": true}}`).
    System,
}

impl Scope {
    fn json(&self) -> Option<Value> {
        match self {
            Scope::Default => None,
            Scope::ProjectId(id) => Some(json!({ "project": { "id": id } })),
            Scope::ProjectName { name, domain } => {
                let mut project = Map::new();
                project.insert("name".into(), json!(name));
                if let Some(domain) = domain {
                    project.insert("domain".into(), domain.json());
                }
                Some(json!({ "project": project }))
            }
            Scope::Domain(domain) => Some(json!({ "domain": domain.json() })),
            Scope::System => Some(json!({ "system": { "all": true } })),
        }
    }
}

/// `auth_url` followed by `v3` (unless it already ends with a `v3…` segment, as
/// `https://keystone.example.com:5000/v3` and `https://iam.eu-de.otc.t-systems.com/v3` do) and
/// `segments`. (keystoneauth1 discovers the version from the root document; every Keystone and
/// Huawei IAM serves v3 at `<root>/v3`, which saves the round trip.)
fn identity_url(
    auth_url: &Endpoint,
    segments: &[&str],
    query: &[(String, String)],
) -> (url::Url, Option<url::Url>) {
    let ends_in_v3 = |url: &url::Url| {
        url.path_segments()
            .and_then(|mut s| s.rfind(|s| !s.is_empty()))
            .is_some_and(|last| last.starts_with("v3"))
    };
    let with_version = |url: &url::Url| {
        let mut all = Vec::with_capacity(segments.len() + 1);
        if !ends_in_v3(url) {
            all.push("v3");
        }
        all.extend_from_slice(segments);
        join(url, &all, query)
    };
    (
        with_version(auth_url.url()),
        auth_url.upstream().map(with_version),
    )
}

fn request(
    method: &'static str,
    auth_url: &Endpoint,
    segments: &[&str],
    query: &[(String, String)],
) -> HttpRequest {
    let (url, signed) = identity_url(auth_url, segments, query);
    let mut request = HttpRequest::new(method, url);
    request.signed_url = signed;
    request.set_header("Accept", "application/json");
    request
}

/// `POST /v3/auth/tokens` with `factors` (at least one) and `scope`. `receipt` is the
/// `Openstack-Auth-Receipt` of an earlier answer that asked for more factors
/// ([`SignInAnswer::MoreFactorsNeeded`]): sent back with the missing factor only.
///
/// An application credential carries its own scope, so `scope` is not sent with one.
pub fn build_token_request(
    auth_url: &Endpoint,
    factors: &[Factor],
    scope: &Scope,
    receipt: Option<&str>,
) -> Result<HttpRequest> {
    if factors.is_empty() {
        return Err(Error::new(
            ErrorCode::AuthFailed,
            Message::new("signin-nothing"),
        ));
    }
    let mut identity = Map::new();
    let methods: Vec<&str> = factors.iter().map(Factor::method).collect();
    identity.insert("methods".into(), json!(methods));
    for factor in factors {
        identity.insert(factor.method().into(), factor.json());
    }
    let mut auth = Map::new();
    auth.insert("identity".into(), Value::Object(identity));
    let app_credential = factors
        .iter()
        .any(|f| matches!(f, Factor::ApplicationCredential { .. }));
    if let Some(scope) = scope.json().filter(|_| !app_credential) {
        auth.insert("scope".into(), scope);
    }
    let mut request = request("POST", auth_url, &["auth", "tokens"], &[]);
    request.set_header("Content-Type", "application/json");
    if let Some(receipt) = receipt {
        request.set_header("Openstack-Auth-Receipt", receipt);
    }
    // The body holds the password: it is ordinary memory, like a reset's body (see docs/signin.md).
    request.body = serde_json::to_vec(&json!({ "auth": auth })).unwrap_or_default();
    Ok(request)
}

/// A project, as a token or a project list describes it.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(
    feature = "typescript",
    derive(tsify::Tsify),
    tsify(rename = "SignInProject")
)]
#[serde(rename_all = "camelCase")]
pub struct Project {
    /// Its id (what URLs and Nova's policy use).
    pub id: String,
    /// Its name (on Huawei Cloud and OTC: the region, or `<region>_<sub-project>`).
    pub name: String,
    /// Its domain's id, where the answer says.
    #[cfg_attr(feature = "typescript", tsify(optional))]
    pub domain_id: Option<String>,
    /// Its domain's name, where the answer says.
    #[cfg_attr(feature = "typescript", tsify(optional))]
    pub domain_name: Option<String>,
    /// Whether it is enabled (`true` unless the answer says otherwise).
    pub enabled: bool,
}

/// A user or domain as a token names it.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(
    feature = "typescript",
    derive(tsify::Tsify),
    tsify(rename = "SignInNamed")
)]
#[serde(rename_all = "camelCase")]
pub struct Named {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
}

/// A token and what Keystone says about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedIn {
    /// The token (`X-Subject-Token`), for `X-Auth-Token`.
    pub token: Secret,
    /// When it stops working, as sent (ISO 8601, UTC).
    pub expires_at: String,
    /// The same, in Unix seconds (for [`super::needs_new_sign_in`]).
    pub expires_unix: i64,
    /// The methods that made it (`password`, `totp`, ...).
    pub methods: Vec<String>,
    /// Who it belongs to.
    pub user: Option<Named>,
    /// The user's domain.
    pub user_domain: Option<Named>,
    /// The project it is scoped to.
    pub project: Option<Project>,
    /// The domain it is scoped to (a domain-scoped token).
    pub domain: Option<Named>,
    /// The role names on it (as assigned; Keystone lists implied roles too).
    pub roles: Vec<String>,
    /// The service catalog (empty for an unscoped token).
    pub catalog: Vec<Service>,
}

/// What a token request got.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SignInAnswer {
    /// A token.
    SignedIn(Box<SignedIn>),
    /// Keystone accepted the factors given but wants more (a user with MFA rules): send the
    /// missing one (a TOTP code) with this receipt.
    MoreFactorsNeeded {
        /// The `Openstack-Auth-Receipt` to send back.
        receipt: String,
        /// The combinations of methods that would do, e.g. `[["password", "totp"]]`.
        required: Vec<Vec<String>>,
    },
}

fn text(v: Option<&Value>) -> Option<String> {
    v.and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(|s| clean(s.to_owned()))
}

fn named(v: Option<&Value>) -> Option<Named> {
    let v = v?;
    let id = text(v.get("id"));
    let name = text(v.get("name"));
    if id.is_none() && name.is_none() {
        return None;
    }
    Some(Named {
        id: id.unwrap_or_default(),
        name: name.unwrap_or_default(),
    })
}

fn project(v: &Value) -> Option<Project> {
    let domain = named(v.get("domain"));
    Some(Project {
        id: text(v.get("id"))?,
        name: text(v.get("name")).unwrap_or_default(),
        domain_id: text(v.get("domain_id")).or_else(|| {
            domain
                .as_ref()
                .map(|d| d.id.clone())
                .filter(|s| !s.is_empty())
        }),
        domain_name: domain.map(|d| d.name).filter(|s| !s.is_empty()),
        enabled: v.get("enabled").and_then(Value::as_bool).unwrap_or(true),
    })
}

fn body(response: &HttpResponse) -> Result<Value> {
    if response.body.len() > MAX_BODY_BYTES {
        return Err(invalid(response, Message::new("answer-too-large")));
    }
    serde_json::from_slice(&response.body)
        .map_err(|_| invalid(response, Message::new("answer-not-json")))
}

/// Reads the answer to [`build_token_request`].
pub fn parse_token(response: &HttpResponse) -> Result<SignInAnswer> {
    if response.status == 401 {
        if let Some(receipt) = response.header("Openstack-Auth-Receipt") {
            let body: Value = serde_json::from_slice(&response.body).unwrap_or_default();
            let required = body
                .get("required_auth_methods")
                .and_then(Value::as_array)
                .map(|sets| {
                    sets.iter()
                        .filter_map(Value::as_array)
                        .map(|set| set.iter().filter_map(|m| text(Some(m))).collect())
                        .collect()
                })
                .unwrap_or_default();
            return Ok(SignInAnswer::MoreFactorsNeeded {
                receipt: receipt.trim().to_owned(),
                required,
            });
        }
    }
    if !(200..300).contains(&response.status) {
        return Err(sign_in_error(response));
    }
    let token = response
        .header("X-Subject-Token")
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| {
            invalid(
                response,
                Message::new("answer-header-missing").with("header", "X-Subject-Token"),
            )
        })?;
    let body = body(response)?;
    let t = body.get("token").filter(|t| t.is_object()).ok_or_else(|| {
        invalid(
            response,
            Message::new("answer-field-missing").with("field", "token"),
        )
    })?;
    let expires_at = text(t.get("expires_at")).ok_or_else(|| {
        invalid(
            response,
            Message::new("answer-field-missing").with("field", "expires_at"),
        )
    })?;
    let expires_unix =
        time::OffsetDateTime::parse(&expires_at, &time::format_description::well_known::Rfc3339)
            .map_err(|_| {
                invalid(
                    response,
                    Message::new("answer-field-type")
                        .with("field", "expires_at")
                        .with("kind", "time"),
                )
            })?
            .unix_timestamp();
    let list = |key: &str| -> Vec<Value> {
        t.get(key)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    Ok(SignInAnswer::SignedIn(Box::new(SignedIn {
        token: Secret::new(token.to_owned()),
        expires_at,
        expires_unix,
        methods: list("methods")
            .iter()
            .filter_map(|m| text(Some(m)))
            .collect(),
        user: named(t.get("user")),
        user_domain: named(t.get("user").and_then(|u| u.get("domain"))),
        project: t.get("project").and_then(project),
        domain: named(t.get("domain")),
        roles: list("roles")
            .iter()
            .filter_map(|r| text(r.get("name")))
            .collect(),
        catalog: parse_catalog(t.get("catalog")),
    })))
}

/// `GET /v3/auth/projects`: the projects `token` may be scoped to.
pub fn build_list_projects(auth_url: &Endpoint, token: &Secret) -> HttpRequest {
    let mut request = request("GET", auth_url, &["auth", "projects"], &[]);
    request.set_header("X-Auth-Token", token.expose());
    request
}

/// `GET /v3/projects?name=<region>` on a Huawei Cloud / OTC IAM endpoint: how Huawei's SDKs find
/// the project id of a region for an AK/SK pair. Sign it (`api::auth::authorize` with the
/// AK/SK and no project id) before sending.
pub fn build_project_by_region(iam_url: &Endpoint, region: &str) -> Result<HttpRequest> {
    crate::route::check_id("region", region)?;
    Ok(request(
        "GET",
        iam_url,
        &["projects"],
        &[("name".to_owned(), region.to_owned())],
    ))
}

/// Reads a project list (`{"projects": [...]}`), from either request above.
pub fn parse_projects(response: &HttpResponse) -> Result<Vec<Project>> {
    if !(200..300).contains(&response.status) {
        return Err(sign_in_error(response));
    }
    let body = body(response)?;
    let list = body
        .get("projects")
        .and_then(Value::as_array)
        .ok_or_else(|| {
            invalid(
                response,
                Message::new("answer-field-missing").with("field", "projects"),
            )
        })?;
    Ok(list.iter().filter_map(project).collect())
}

/// The one enabled project called `name` (in `domain`, if given, by id or name), or
/// `PROJECT_NOT_FOUND` naming the projects there are.
pub fn pick_project(projects: &[Project], name: &str, domain: Option<&Name>) -> Result<Project> {
    let in_domain = |p: &Project| match domain {
        None => true,
        Some(Name::Id(id)) => p.domain_id.as_deref().is_none_or(|d| d == id),
        Some(Name::Name(n)) => p.domain_name.as_deref().is_none_or(|d| d == n),
    };
    let matches: Vec<&Project> = projects
        .iter()
        .filter(|p| p.enabled && p.name == name && in_domain(p))
        .collect();
    match matches.as_slice() {
        [one] => Ok((*one).clone()),
        [] => {
            let names: Vec<&str> = projects.iter().take(20).map(|p| p.name.as_str()).collect();
            let shown = if names.is_empty() {
                "none".to_owned()
            } else {
                names.join(", ")
            };
            let name = clean(name.to_owned());
            Err(Error::new(
                ErrorCode::ProjectNotFound,
                Message::new("signin-project-name-unknown")
                    .with("name", name)
                    .with("shown", shown),
            ))
        }
        several => {
            let ids: Vec<&str> = several.iter().map(|p| p.id.as_str()).collect();
            let name = clean(name.to_owned());
            Err(Error::new(
                ErrorCode::ProjectNotFound,
                Message::new("signin-project-name-ambiguous")
                    .with("name", name)
                    .with("ids", ids.join(", ")),
            ))
        }
    }
}

/// The project id of `region` from the answer to [`build_project_by_region`]: exactly one
/// project must be listed (as Huawei's SDKs require).
pub fn project_for_region(response: &HttpResponse, region: &str) -> Result<String> {
    let projects = parse_projects(response)?;
    match projects.as_slice() {
        [one] => Ok(one.id.clone()),
        _ => {
            let region = clean(region.to_owned());
            Err(Error::new(
                ErrorCode::ProjectNotFound,
                Message::new("signin-region-projects")
                    .with("count", projects.len())
                    .with("region", region),
            ))
        }
    }
}

/// An error answer of the identity service: Keystone's `{"error": {"code": 401, "message",
/// "title"}}` or Huawei IAM's `{"error_code": "IAM.0101", "error_msg"}`, with our code.
fn sign_in_error(response: &HttpResponse) -> Error {
    let (our, id) = match response.status {
        401 => (ErrorCode::AuthFailed, "identity-auth-failed"),
        403 => (ErrorCode::Forbidden, "identity-forbidden"),
        404 => (ErrorCode::ProjectNotFound, "identity-not-found"),
        429 => (ErrorCode::RateLimited, "identity-rate-limited"),
        500..=599 => (ErrorCode::CloudUnavailable, "identity-unavailable"),
        _ => (ErrorCode::CloudError, "identity-refused"),
    };
    CloudAnswer::read(response).error(our, Message::new(id))
}

#[cfg(test)]
pub(super) mod tests;
