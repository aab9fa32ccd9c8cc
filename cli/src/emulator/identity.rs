//! The emulator's identity service: Keystone v3 under `/identity` (openstack/keystone
//! `keystone/api/auth.py`, `keystone/auth/plugins/{password,token,totp,application_credential}.py`,
//! `keystone/auth/core.py` for MFA rules and receipts) and Huawei Cloud IAM's Keystone-compatible
//! token API under `/v3` (IAM API reference: KeystoneCreateUserTokenByPassword,
//! KeystoneCreateUserTokenByPasswordAndMfa, KeystoneListAuthProjects, KeystoneListProjects).
//! Tokens it issues are accepted by the compute and ECS APIs. Sources and shapes:
//! docs/emulator.md "Identity".

use super::cloud::{self, no_content, reply, Reply, Request};
use super::state::{Definition, Principal};
use ecs_password::permission::ApiFamily;
use hmac::{KeyInit, Mac};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Which identity service a request went to.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Flavor {
    /// OpenStack Keystone at `/identity`.
    Keystone,
    /// Huawei Cloud IAM at `/v3` (tokens valid 24 h; AK/SK accepted for project lists).
    Iam,
}

impl Flavor {
    fn lifetime(self) -> Duration {
        match self {
            Flavor::Keystone => Duration::from_secs(3600),
            Flavor::Iam => Duration::from_secs(24 * 3600),
        }
    }
}

/// A token the service issued.
pub struct Token {
    pub principal: usize,
    pub methods: Vec<String>,
    pub scoped: bool,
    pub flavor: Flavor,
    pub issued: SystemTime,
    pub expires: SystemTime,
    pub audit_id: String,
    pub app_credential: Option<usize>,
}

/// A receipt: the methods that succeeded for a user whose MFA rules need more.
pub struct Receipt {
    pub principal: usize,
    pub methods: Vec<String>,
    pub expires: SystemTime,
}

/// At most this many live tokens and receipts are kept (the oldest go first).
const MAX_TOKENS: usize = 10_000;
/// A receipt lives 5 minutes, Keystone's default (`[receipt] expiration = 300`).
const RECEIPT_LIFETIME: Duration = Duration::from_secs(300);

/// Issued tokens and receipts, by id.
#[derive(Default)]
pub struct Tokens {
    pub tokens: HashMap<String, Token>,
    pub receipts: HashMap<String, Receipt>,
}

impl Tokens {
    /// The principal of a valid project-scoped token (what compute and ECS accept).
    pub fn scoped_principal(&self, id: &str) -> Option<usize> {
        self.tokens
            .get(id)
            .filter(|t| t.scoped && t.expires > SystemTime::now())
            .map(|t| t.principal)
    }

    fn valid(&self, id: &str) -> Option<&Token> {
        self.tokens
            .get(id)
            .filter(|t| t.expires > SystemTime::now())
    }

    fn make_room(&mut self) {
        let now = SystemTime::now();
        self.tokens.retain(|_, t| t.expires > now);
        self.receipts.retain(|_, r| r.expires > now);
        while self.tokens.len() >= MAX_TOKENS {
            let oldest = self
                .tokens
                .iter()
                .min_by_key(|(_, t)| t.issued)
                .map(|(k, _)| k.clone());
            match oldest {
                Some(k) => self.tokens.remove(&k),
                None => break,
            };
        }
        if self.receipts.len() >= MAX_TOKENS {
            self.receipts.clear();
        }
    }
}

fn random_hex(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    let _ = getrandom::fill(&mut buf);
    buf.iter().map(|b| format!("{b:02x}")).collect()
}

/// Keystone's time format: `2015-08-27T10:13:41.000000Z`.
fn keystone_time(at: SystemTime) -> String {
    let t = time::OffsetDateTime::from(at);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.microsecond()
    )
}

/// Keystone's error shape: `{"error": {"code", "message", "title"}}`, with `WWW-Authenticate`
/// on 401.
pub fn error(status: u16, message: &str, req: &Request) -> Reply {
    let title = match status {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        _ => "Error",
    };
    let answer = reply(
        status,
        json!({ "error": { "code": status, "message": message, "title": title } }),
    );
    if status == 401 {
        answer.with_header("www-authenticate", cloud::www_authenticate(req))
    } else {
        answer
    }
}

const UNAUTHORIZED: &str = "The request you have made requires authentication.";

fn host<'a>(req: &'a Request) -> &'a str {
    req.header("host").unwrap_or("localhost")
}

/// The TOTP code (RFC 6238: HMAC-SHA1, 30 s steps, 6 digits, as Keystone's totp plugin) for a
/// step counter.
fn totp_code(key: &[u8], counter: u64) -> Option<String> {
    let mut mac = hmac::Hmac::<sha1::Sha1>::new_from_slice(key).ok()?;
    mac.update(&counter.to_be_bytes());
    let digest = mac.finalize().into_bytes();
    let offset = usize::from(digest.last()? & 0x0f);
    let bytes: [u8; 4] = digest.get(offset..offset + 4)?.try_into().ok()?;
    let value = u32::from_be_bytes(bytes) & 0x7fff_ffff;
    Some(format!("{:06}", value % 1_000_000))
}

/// Whether `passcode` is the code of this step or the previous one (Keystone's
/// `[totp] included_previous_windows = 1`).
pub fn totp_matches(key: &[u8], passcode: &str, now: SystemTime) -> bool {
    let step = now
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() / 30)
        .unwrap_or_default();
    passcode.len() == 6
        && [step, step.saturating_sub(1)].iter().any(|s| {
            totp_code(key, *s).is_some_and(|c| constant_eq(c.as_bytes(), passcode.as_bytes()))
        })
}

fn constant_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Finds a user from `{"id"}` or `{"name", "domain": {"id"|"name"}}`.
fn find_user<'d>(
    def: &'d Definition,
    user: &Value,
    flavor: Flavor,
) -> Option<(usize, &'d Principal)> {
    if let Some(id) = user.get("id").and_then(Value::as_str) {
        return def
            .principals
            .iter()
            .enumerate()
            .find(|(_, p)| p.user_id == id);
    }
    let name = user.get("name").and_then(Value::as_str)?;
    let domain = user.get("domain");
    // Keystone needs the user's domain; IAM also takes a name alone (one account per endpoint).
    let domain_ok = match domain {
        Some(d) => domain_matches(def, d),
        None => flavor == Flavor::Iam,
    };
    if !domain_ok {
        return None;
    }
    def.principals
        .iter()
        .enumerate()
        .find(|(_, p)| p.name == name)
}

fn domain_matches(def: &Definition, domain: &Value) -> bool {
    match (
        domain.get("id").and_then(Value::as_str),
        domain.get("name").and_then(Value::as_str),
    ) {
        (Some(id), _) => id == def.domain_id,
        (None, Some(name)) => name == def.domain_name,
        _ => false,
    }
}

/// What a project scope names: `Ok(true)` this project, `Ok(false)` none (unscoped).
fn scope(def: &Definition, auth: &Value, flavor: Flavor) -> Result<bool, &'static str> {
    let Some(scope) = auth.get("scope") else {
        return Ok(false);
    };
    if scope.as_str() == Some("unscoped") {
        return Ok(false);
    }
    let Some(project) = scope.get("project") else {
        return Err("The emulator scopes tokens to its project only (no domain or system scope).");
    };
    let by_id = project
        .get("id")
        .and_then(Value::as_str)
        .map(|id| id == def.project.id);
    let by_name = project.get("name").and_then(Value::as_str).map(|name| {
        name == def.project.name
            && match project.get("domain") {
                Some(d) => domain_matches(def, d),
                None => flavor == Flavor::Iam,
            }
    });
    match by_id.or(by_name) {
        Some(true) => Ok(true),
        _ => Err("Could not find the project named in the scope."),
    }
}

/// The roles in a token: the user's Nova roles with the ones they imply (Keystone's default
/// roles: admin implies member, member implies reader).
fn roles(principal: &Principal) -> Vec<Value> {
    let mut names: Vec<&str> = Vec::new();
    for role in &principal.nova_roles {
        let implied: Vec<&str> = match role.as_str() {
            "admin" => vec!["admin", "member", "reader"],
            "member" => vec!["member", "reader"],
            other => vec![other],
        };
        for name in implied {
            if !names.contains(&name) {
                names.push(name);
            }
        }
    }
    names
        .into_iter()
        .map(|name| json!({ "id": stable_id("role", name), "name": name }))
        .collect()
}

/// A 32-hex id that is the same on every start (roles, endpoints, services).
fn stable_id(kind: &str, name: &str) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(format!("{kind}:{name}").as_bytes())
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn endpoint(region: &str, url: String, service: &str) -> Value {
    json!({
        "id": stable_id("endpoint", service),
        "interface": "public",
        "region": region,
        "region_id": region,
        "url": url,
    })
}

fn service(kind: &str, name: &str, endpoints: Vec<Value>) -> Value {
    json!({ "type": kind, "name": name, "id": stable_id("service", name), "endpoints": endpoints })
}

/// The catalog: the emulator's own identity and compute endpoints (Nova's catalog entry, with
/// the project in the URL as Huawei's and older Nova catalogs have it), and for IAM also ECS.
fn catalog(def: &Definition, flavor: Flavor, host: &str) -> Value {
    let r = &def.region;
    let p = &def.project.id;
    match flavor {
        Flavor::Keystone => json!([
            service(
                "identity",
                "keystone",
                vec![endpoint(r, format!("http://{host}/identity"), "keystone")]
            ),
            service(
                "compute",
                "nova",
                vec![endpoint(
                    r,
                    format!("http://{host}/compute/v2.1/{p}"),
                    "nova"
                )]
            ),
        ]),
        Flavor::Iam => json!([
            service(
                "identity",
                "iam",
                vec![endpoint(r, format!("http://{host}/v3"), "iam")]
            ),
            service(
                "ecs",
                "ecs",
                vec![endpoint(r, format!("http://{host}/v1/{p}"), "ecs")]
            ),
            service(
                "compute",
                "nova",
                vec![endpoint(
                    r,
                    format!("http://{host}/v2.1/{p}"),
                    "nova-huawei"
                )]
            ),
        ]),
    }
}

fn domain(def: &Definition) -> Value {
    json!({ "id": def.domain_id, "name": def.domain_name })
}

fn user_json(def: &Definition, principal: &Principal) -> Value {
    json!({
        "id": principal.user_id,
        "name": principal.name,
        "domain": domain(def),
        "password_expires_at": null,
    })
}

fn token_body(def: &Definition, token: &Token, req: &Request) -> Value {
    let Some(principal) = def.principals.get(token.principal) else {
        return Value::Null;
    };
    let mut body = json!({
        "methods": token.methods,
        "user": user_json(def, principal),
        "expires_at": keystone_time(token.expires),
        "issued_at": keystone_time(token.issued),
        "audit_ids": [token.audit_id],
    });
    if token.scoped {
        body["project"] =
            json!({ "id": def.project.id, "name": def.project.name, "domain": domain(def) });
        body["roles"] = json!(roles(principal));
        body["is_domain"] = json!(false);
        if req.query("nocatalog").is_none() {
            body["catalog"] = catalog(def, token.flavor, host(req));
        }
    }
    if let Some(app) = token
        .app_credential
        .and_then(|i| principal.application_credentials.get(i))
    {
        body["application_credential"] =
            json!({ "id": app.id, "name": app.name, "restricted": true });
    }
    json!({ "token": body })
}

fn project_json(def: &Definition, req: &Request, flavor: Flavor) -> Value {
    let base = match flavor {
        Flavor::Keystone => "/identity/v3",
        Flavor::Iam => "/v3",
    };
    json!({
        "id": def.project.id,
        "name": def.project.name,
        "domain_id": def.domain_id,
        "description": "",
        "enabled": true,
        "is_domain": false,
        "parent_id": def.domain_id,
        "links": { "self": format!("http://{}{base}/projects/{}", host(req), def.project.id) },
    })
}

/// The identity service.
pub struct Identity<'a> {
    pub def: &'a Definition,
    pub tokens: &'a mut Tokens,
    pub flavor: Flavor,
    pub request_id: &'a str,
}

impl Identity<'_> {
    /// Answers one request; `rest` is the path after `/identity` or `/v3` prefix's version
    /// (`auth/tokens`, ...), `None` for the version documents.
    pub fn handle(&mut self, req: &Request, rest: &str) -> Reply {
        let rest = rest.trim_end_matches('/');
        match (req.method, rest) {
            ("POST", "auth/tokens") => self.issue(req),
            ("GET" | "HEAD", "auth/tokens") => self.validate(req),
            ("DELETE", "auth/tokens") => self.revoke(req),
            ("GET", "auth/projects") => self.projects(req, None),
            ("GET", "projects") => {
                let name = req.query("name");
                self.projects(req, name.as_deref())
            }
            ("GET", path) if path.starts_with("users/") && path.ends_with("/projects") => {
                let id = &path["users/".len()..path.len() - "/projects".len()];
                match self.caller(req) {
                    Err(refused) => refused,
                    Ok(p) if self.def.principals.get(p).is_some_and(|p| p.user_id == id) => {
                        self.project_list(req, p, None)
                    }
                    Ok(_) => error(
                        403,
                        "You are not authorized to perform the requested action: identity:list_user_projects.",
                        req,
                    ),
                }
            }
            (_, "auth/tokens" | "auth/projects" | "projects") => {
                error(405, "The method is not allowed for the requested URL.", req)
            }
            _ => error(404, "The resource could not be found.", req),
        }
    }

    /// The caller of a read: a token (any, scoped or not), or on IAM an AK/SK signature.
    fn caller(&self, req: &Request) -> Result<usize, Reply> {
        if let Some(token) = req.header("x-auth-token") {
            if let Some(t) = self.tokens.valid(token) {
                return Ok(t.principal);
            }
            if let Some(i) = self
                .def
                .principals
                .iter()
                .position(|p| p.token.as_deref() == Some(token))
            {
                return Ok(i);
            }
            return Err(error(401, UNAUTHORIZED, req));
        }
        if self.flavor == Flavor::Iam && req.header("authorization").is_some() {
            let none = |_: &str| None;
            let principal =
                cloud::authenticate(self.def, ApiFamily::V1, req, self.request_id, &none)?;
            return self
                .def
                .principals
                .iter()
                .position(|p| std::ptr::eq(p, principal))
                .ok_or_else(|| error(401, UNAUTHORIZED, req));
        }
        Err(error(401, UNAUTHORIZED, req))
    }

    fn projects(&self, req: &Request, name: Option<&str>) -> Reply {
        match self.caller(req) {
            Err(refused) => refused,
            Ok(p) => self.project_list(req, p, name),
        }
    }

    /// The projects a user may scope to: the one project, where they have a role (Keystone) or
    /// any grant (IAM: every user of the account sees its region projects).
    fn project_list(&self, req: &Request, principal: usize, name: Option<&str>) -> Reply {
        let member = self
            .def
            .principals
            .get(principal)
            .is_some_and(|p| self.flavor == Flavor::Iam || !p.nova_roles.is_empty());
        let listed = member && name.is_none_or(|n| n == self.def.project.name);
        let projects: Vec<Value> = if listed {
            vec![project_json(self.def, req, self.flavor)]
        } else {
            Vec::new()
        };
        let own = format!("http://{}{}", host(req), req.path);
        reply(
            200,
            json!({ "projects": projects, "links": { "self": own, "previous": null, "next": null } }),
        )
    }

    fn validate(&self, req: &Request) -> Reply {
        if let Err(refused) = self.caller(req) {
            return refused;
        }
        let Some(subject) = req.header("x-subject-token") else {
            return error(400, "X-Subject-Token is required.", req);
        };
        match self.tokens.valid(subject) {
            Some(token) => {
                reply(200, token_body(self.def, token, req)).with_header("x-subject-token", subject)
            }
            None => error(404, &format!("Could not find token: {subject}."), req),
        }
    }

    fn revoke(&mut self, req: &Request) -> Reply {
        if let Err(refused) = self.caller(req) {
            return refused;
        }
        let Some(subject) = req.header("x-subject-token") else {
            return error(400, "X-Subject-Token is required.", req);
        };
        match self.tokens.tokens.remove(subject) {
            Some(_) => no_content(),
            None => error(404, &format!("Could not find token: {subject}."), req),
        }
    }

    /// `POST /v3/auth/tokens`.
    fn issue(&mut self, req: &Request) -> Reply {
        let Ok(body) = serde_json::from_slice::<Value>(req.body) else {
            return error(400, "The request body is not JSON.", req);
        };
        let auth = &body["auth"];
        let identity = &auth["identity"];
        let Some(methods) = identity["methods"].as_array().filter(|m| !m.is_empty()) else {
            return error(
                400,
                "'methods' is a required property: auth.identity.methods.",
                req,
            );
        };
        let methods: Vec<&str> = methods.iter().filter_map(Value::as_str).collect();
        let now = SystemTime::now();
        let mut who: Option<usize> = None;
        let mut done: Vec<String> = Vec::new();
        let mut app_credential = None;
        let mut bypass_mfa = false;
        // A receipt from an earlier attempt adds the methods it proved.
        if let Some(id) = req.header("openstack-auth-receipt") {
            match self.tokens.receipts.get(id).filter(|r| r.expires > now) {
                Some(r) => {
                    who = Some(r.principal);
                    done.extend(r.methods.iter().cloned());
                }
                None => return error(401, "The receipt is not valid (unknown or expired).", req),
            }
        }
        for method in &methods {
            let data = &identity[*method];
            let found: Option<usize> = match *method {
                "password" => find_user(self.def, &data["user"], self.flavor).and_then(|(i, p)| {
                    let given = data["user"]["password"].as_str()?;
                    let expected = p.password.as_deref()?;
                    constant_eq(given.as_bytes(), expected.as_bytes()).then_some(i)
                }),
                "totp" => find_user(self.def, &data["user"], self.flavor).and_then(|(i, p)| {
                    let passcode = data["user"]["passcode"].as_str()?;
                    totp_matches(p.totp_key.as_deref()?, passcode, now).then_some(i)
                }),
                "application_credential" => self.application_credential(data).map(|(i, a)| {
                    app_credential = Some(a);
                    bypass_mfa = true;
                    i
                }),
                "token" => data["id"]
                    .as_str()
                    .and_then(|id| self.tokens.valid(id))
                    .map(|t| {
                        // The token's own methods carry over (Keystone's token plugin).
                        done.extend(t.methods.iter().cloned());
                        bypass_mfa = true;
                        t.principal
                    }),
                other => {
                    return error(
                        401,
                        &format!("Attempted to authenticate with an unsupported method: {other}."),
                        req,
                    )
                }
            };
            match (found, who) {
                (None, _) => return error(401, UNAUTHORIZED, req),
                (Some(f), Some(w)) if f != w => return error(401, UNAUTHORIZED, req),
                (Some(f), _) => who = Some(f),
            }
            if !done.iter().any(|d| d == method) {
                done.push((*method).to_owned());
            }
        }
        let Some(who) = who else {
            return error(401, UNAUTHORIZED, req);
        };
        let Some(principal) = self.def.principals.get(who) else {
            return error(401, UNAUTHORIZED, req);
        };
        // MFA rules: a user with a virtual MFA device needs password and totp together
        // (`multi_factor_auth_rules = [["password", "totp"]]`); otherwise a receipt says what
        // succeeded and what is missing.
        let rule = ["password", "totp"];
        if principal.totp_key.is_some()
            && !bypass_mfa
            && !rule.iter().all(|m| done.iter().any(|d| d == m))
        {
            self.tokens.make_room();
            let id = random_hex(32);
            let user = user_json(self.def, principal);
            let receipt = json!({
                "methods": done,
                "user": user,
                "expires_at": keystone_time(now + RECEIPT_LIFETIME),
                "issued_at": keystone_time(now),
            });
            self.tokens.receipts.insert(
                id.clone(),
                Receipt {
                    principal: who,
                    methods: done,
                    expires: now + RECEIPT_LIFETIME,
                },
            );
            return reply(
                401,
                json!({
                    "error": { "code": 401, "title": "Unauthorized", "message": "Additional authentications steps required." },
                    "receipt": receipt,
                    "required_auth_methods": [rule],
                }),
            )
            .with_header("openstack-auth-receipt", id)
            .with_header("www-authenticate", cloud::www_authenticate(req));
        }
        let scoped = if app_credential.is_some() {
            // An application credential is bound to its project; a scope is not allowed.
            if auth.get("scope").is_some() {
                return error(401, "Application credentials may not name a scope.", req);
            }
            true
        } else {
            match scope(self.def, auth, self.flavor) {
                Ok(s) => s,
                Err(why) => return error(401, why, req),
            }
        };
        if scoped && self.flavor == Flavor::Keystone && principal.nova_roles.is_empty() {
            return error(
                401,
                &format!(
                    "User {} has no access to project {}.",
                    principal.user_id, self.def.project.id
                ),
                req,
            );
        }
        self.tokens.make_room();
        let id = match self.flavor {
            Flavor::Keystone => format!("gAAAAAB{}", random_hex(60)),
            Flavor::Iam => format!("MIIE{}", random_hex(60)),
        };
        let token = Token {
            principal: who,
            methods: done,
            scoped,
            flavor: self.flavor,
            issued: now,
            expires: now + self.flavor.lifetime(),
            audit_id: random_hex(11),
            app_credential,
        };
        let body = token_body(self.def, &token, req);
        self.tokens.tokens.insert(id.clone(), token);
        reply(201, body).with_header("x-subject-token", id)
    }

    /// `{"id", "secret"}` or `{"name", "user": {...}, "secret"}`.
    fn application_credential(&self, data: &Value) -> Option<(usize, usize)> {
        let secret = data["secret"].as_str()?;
        let (owner, index) = match data["id"].as_str() {
            Some(id) => self.def.principals.iter().enumerate().find_map(|(i, p)| {
                p.application_credentials
                    .iter()
                    .position(|a| a.id == id)
                    .map(|a| (i, a))
            })?,
            None => {
                let name = data["name"].as_str()?;
                let (i, p) = find_user(self.def, &data["user"], Flavor::Keystone)?;
                (
                    i,
                    p.application_credentials
                        .iter()
                        .position(|a| a.name == name)?,
                )
            }
        };
        let expected = &self
            .def
            .principals
            .get(owner)?
            .application_credentials
            .get(index)?
            .secret;
        constant_eq(secret.as_bytes(), expected.as_bytes()).then_some((owner, index))
    }
}

/// `GET /identity/`: Keystone's version list (300 Multiple Choices, `Location` the v3 URL).
pub fn versions(req: &Request) -> Reply {
    let v3 = format!("http://{}/identity/v3/", host(req));
    reply(300, json!({ "versions": { "values": [v3_entry(&v3)] } })).with_header("location", v3)
}

/// `GET /identity/v3`: the v3 document.
pub fn version(req: &Request) -> Reply {
    let v3 = format!("http://{}/identity/v3/", host(req));
    reply(200, json!({ "version": v3_entry(&v3) }))
}

fn v3_entry(href: &str) -> Value {
    json!({
        "id": "v3.14",
        "status": "stable",
        "updated": "2020-04-07T00:00:00Z",
        "links": [{ "rel": "self", "href": href }],
        "media-types": [{ "base": "application/json", "type": "application/vnd.openstack.identity-v3+json" }],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B, SHA-1, truncated to 6 digits (the 8-digit values' last six).
    #[test]
    fn totp_matches_the_rfc_vectors() {
        let key = b"12345678901234567890";
        assert_eq!(totp_code(key, 59 / 30).as_deref(), Some("287082"));
        assert_eq!(
            totp_code(key, 1_111_111_109 / 30).as_deref(),
            Some("081804")
        );
        assert_eq!(
            totp_code(key, 1_234_567_890 / 30).as_deref(),
            Some("005924")
        );
        assert_eq!(
            totp_code(key, 20_000_000_000 / 30).as_deref(),
            Some("353130")
        );
        let at = UNIX_EPOCH + Duration::from_secs(59);
        assert!(totp_matches(key, "287082", at));
        assert!(totp_matches(key, "287082", at + Duration::from_secs(30)));
        assert!(!totp_matches(key, "287082", at + Duration::from_secs(61)));
        assert!(!totp_matches(key, "28708", at));
    }
}
