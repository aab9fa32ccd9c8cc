//! The password APIs and their neighbours, answered the way the documents say each family does:
//! paths, bodies, status codes and error shapes (docs/emulator.md "What it answers", with its
//! sources). Authentication uses the
//! library's signer to check AK/SK signatures; authorisation uses the library's permission engine
//! (IAM for the Huawei families, Nova's policy for the Nova family). Pure request-to-response: the
//! HTTP plumbing is in `mod.rs`.

use super::nova;
use super::state::{Definition, Posted, Principal, ServerDef, World};
use ecs_password::api::http::HttpRequest;
use ecs_password::api::password_rules::{check_password, PasswordRules, ResetApi};
use ecs_password::api::signer::{parse_authorization, parse_sdk_date, verify};
use ecs_password::permission::{
    check_nova, check_permission, nova::rule_name as nova_rule_name, AccessRequest, ApiFamily,
    NovaCredentials, NovaPolicy, NovaTarget, Verdict,
};
use ecs_password::route::{self, Operation, Resource, Route};
use serde_json::{json, Value};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

/// What IAM knows of any request by `principal` in this cloud: the region, the account, and the
/// global condition keys the emulator sets (user name, no MFA, the time now).
pub fn principal_request(def: &Definition, principal: &Principal) -> AccessRequest {
    let mut request = AccessRequest {
        region: Some(def.region.clone()),
        domain_id: Some(def.domain_id.clone()),
        ..AccessRequest::default()
    };
    request.context.insert("g:UserName", &principal.name);
    request.context.insert("g:MFAPresent", "false");
    if let Ok(now) =
        time::OffsetDateTime::now_utc().format(&time::format_description::well_known::Rfc3339)
    {
        request.context.insert("g:CurrentTime", &now);
    }
    request
}

/// A received request, as the handler needs it.
pub struct Request<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub query: Option<&'a str>,
    /// Header names in lower case.
    pub headers: Vec<(String, String)>,
    pub body: &'a [u8],
}

impl Request<'_> {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn query(&self, key: &str) -> Option<String> {
        url::form_urlencoded::parse(self.query.unwrap_or("").as_bytes())
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.into_owned())
    }
}

/// Status, JSON body (`None`: no body, as for 204) and the headers particular to the answer.
pub struct Reply {
    pub status: u16,
    pub body: Option<Value>,
    pub retry_after: Option<u64>,
    /// Extra answer headers (lower-case names): microversions, `WWW-Authenticate`, tokens.
    pub headers: Vec<(&'static str, String)>,
}

impl Reply {
    /// The same answer with one more header.
    pub fn with_header(mut self, name: &'static str, value: impl Into<String>) -> Reply {
        self.headers.push((name, value.into()));
        self
    }
}

pub fn reply(status: u16, body: Value) -> Reply {
    Reply {
        status,
        body: Some(body),
        retry_after: None,
        headers: Vec::new(),
    }
}

pub fn no_content() -> Reply {
    Reply {
        status: 204,
        body: None,
        retry_after: None,
        headers: Vec::new(),
    }
}

/// The family a path belongs to, with the project id and the segments after it: the Huawei
/// families at `/v1|v2|v2.1/{project}`, Nova's compute endpoint at `/compute/v2.1/{project}`.
pub fn split(path: &str) -> Option<(ApiFamily, &str, Vec<&str>)> {
    let (nova, rest) = match path.strip_prefix("/compute/") {
        Some(rest) => (true, rest),
        None => (false, path),
    };
    let segments = route::path_segments(rest);
    let (family, project, rest) = route::split_prefix(&segments)?;
    let family = match (nova, family) {
        (false, family) => family,
        (true, ApiFamily::V21) => ApiFamily::Nova,
        (true, _) => return None,
    };
    Some((family, project, rest.to_vec()))
}

/// Errors in each family's own shape.
pub mod shape {
    use super::*;

    /// `{"itemNotFound": {"code": 404, "message": ...}}`, Nova's shape (and Huawei's v2/v2.1).
    pub fn native(status: u16, root: &str, message: &str) -> Reply {
        reply(
            status,
            json!({ root: { "code": status, "message": message } }),
        )
    }

    /// `{"error": {"code": "Ecs.0114", "message": ...}}`, ECS v1's shape.
    pub fn ecs(status: u16, code: &str, message: &str) -> Reply {
        reply(
            status,
            json!({ "error": { "code": code, "message": message } }),
        )
    }

    /// The API gateway's shape, in front of every Huawei family.
    pub fn gateway(status: u16, code: &str, message: &str, request_id: &str) -> Reply {
        reply(
            status,
            json!({ "error_code": code, "error_msg": message, "request_id": request_id }),
        )
    }

    pub fn server_not_found(family: ApiFamily, id: &str) -> Reply {
        match family {
            ApiFamily::V1 => ecs(
                404,
                "Ecs.0114",
                &format!("Instance[{id}] could not be found."),
            ),
            _ => native(
                404,
                "itemNotFound",
                &format!("Instance {id} could not be found."),
            ),
        }
    }

    pub fn route_not_found(family: ApiFamily) -> Reply {
        match family {
            ApiFamily::V1 => ecs(404, "Ecs.0002", "The requested API does not exist."),
            _ => native(404, "itemNotFound", "The resource could not be found."),
        }
    }

    pub fn bad_request(family: ApiFamily, code: &str, message: &str) -> Reply {
        match family {
            ApiFamily::V1 => ecs(400, code, message),
            _ => native(400, "badRequest", message),
        }
    }

    /// A refusal: IAM's `Pdp.0001` naming the action, or Nova's `forbidden` naming the rule.
    pub fn forbidden(family: ApiFamily, action: &str, nova_rule: &str) -> Reply {
        match family {
            ApiFamily::Nova => native(
                403,
                "forbidden",
                &format!("Policy doesn't allow {nova_rule} to be performed."),
            ),
            _ => ecs(
                403,
                "Pdp.0001",
                &format!("Policy doesn't allow {action} to be performed."),
            ),
        }
    }

    /// A server error injected by the fault generator.
    pub fn server_error(family: ApiFamily) -> Reply {
        match family {
            ApiFamily::V1 => ecs(500, "Ecs.0000", "Internal error (injected fault)."),
            _ => native(
                500,
                "computeFault",
                "Unexpected API Error (injected fault).",
            ),
        }
    }
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default()
}

/// `Keystone uri="..."`: where a client that got 401 gets a token (keystonemiddleware's header).
pub fn www_authenticate(req: &Request) -> String {
    format!(
        "Keystone uri=\"http://{}/identity\"",
        req.header("host").unwrap_or("localhost")
    )
}

/// The principal (by index) a token the emulator's Keystone or IAM issued belongs to, if it is
/// valid and project-scoped.
pub type Issued<'a> = &'a dyn Fn(&str) -> Option<usize>;

/// Who is calling, or the 401 to send. `family` decides the shape of the 401 (V1 for the
/// gateway's).
pub fn authenticate<'d>(
    def: &'d Definition,
    family: ApiFamily,
    req: &Request,
    request_id: &str,
    issued: Issued,
) -> Result<&'d Principal, Reply> {
    let refuse = |why: &str| match family {
        // keystonemiddleware's answer, pointing at the emulator's own Keystone.
        ApiFamily::Nova => reply(
            401,
            json!({ "error": { "code": 401, "title": "Unauthorized", "message": why } }),
        )
        .with_header("www-authenticate", www_authenticate(req)),
        _ => shape::gateway(
            401,
            "APIGW.0301",
            &format!("Incorrect IAM authentication information: {why}"),
            request_id,
        ),
    };
    if let Some(token) = req.header("x-auth-token") {
        return def
            .principals
            .iter()
            .find(|p| p.token.as_deref() == Some(token))
            .or_else(|| issued(token).and_then(|i| def.principals.get(i)))
            .ok_or_else(|| refuse("the token is not valid (unknown or expired)"));
    }
    let Some(authorization) = req.header("authorization") else {
        return Err(refuse(
            "the request has neither X-Auth-Token nor an AK/SK signature",
        ));
    };
    if family == ApiFamily::Nova {
        return Err(refuse(
            "this endpoint takes Keystone tokens (X-Auth-Token) only",
        ));
    }
    let header = parse_authorization(authorization)
        .ok_or_else(|| refuse("the Authorization header is not SDK-HMAC-SHA256"))?;
    let ak = header.access_key.as_str();
    let permanent = def
        .principals
        .iter()
        .find(|p| p.access_key.as_deref() == Some(ak))
        .map(|p| (p, p.secret_key.as_ref().map(|s| s.as_str()), None));
    let temporary = || {
        def.principals.iter().find_map(|p| {
            p.temporary_credentials
                .iter()
                .find(|t| t.access_key == ak)
                .map(|t| {
                    (
                        p,
                        Some(t.secret_key.as_str()),
                        Some(t.security_token.as_str()),
                    )
                })
        })
    };
    let (principal, secret, security_token) = permanent
        .or_else(temporary)
        .ok_or_else(|| refuse("the access key is unknown"))?;
    // A temporary access key is valid only with its security token (IAM `securitytokens`).
    if let Some(expected) = security_token {
        match req.header("x-security-token") {
            None => return Err(refuse("a temporary access key needs its X-Security-Token")),
            Some(given) if given != expected => {
                return Err(refuse(
                    "the X-Security-Token is not valid for this access key",
                ))
            }
            Some(_) => {}
        }
        if !header
            .signed_headers
            .iter()
            .any(|n| n == "x-security-token")
        {
            return Err(refuse("X-Security-Token must be among the signed headers"));
        }
    }
    let date = req
        .header("x-sdk-date")
        .and_then(parse_sdk_date)
        .ok_or_else(|| refuse("X-Sdk-Date is missing or malformed"))?;
    if unix_now().abs_diff(date) > 15 * 60 {
        return Err(refuse(
            "the request time (X-Sdk-Date) differs from the server's clock by more than 15 minutes",
        ));
    }
    let host = req.header("host").unwrap_or("localhost");
    let query = req.query.map(|q| format!("?{q}")).unwrap_or_default();
    let method: &'static str = match req.method {
        "GET" => "GET",
        "PUT" => "PUT",
        "DELETE" => "DELETE",
        "POST" => "POST",
        _ => "HEAD",
    };
    let url = url::Url::parse(&format!("http://{host}{}{query}", req.path))
        .map_err(|_| refuse("the request URL cannot be checked"))?;
    let mut signed = HttpRequest::new(method, url);
    for (name, value) in &req.headers {
        if header.signed_headers.iter().any(|n| n == name) {
            signed.headers.push((name.clone(), value.clone()));
        }
    }
    signed.body = req.body.to_vec();
    let secret = secret.unwrap_or_default();
    if !header.signed_headers.iter().any(|n| n == "host") || !verify(&signed, &header, secret) {
        return Err(refuse(
            "the signature does not match (check the secret key, the signed headers and the host)",
        ));
    }
    Ok(principal)
}

/// The emulated cloud's data: the fixed definition and the live world.
pub struct Cloud<'a> {
    pub def: &'a Definition,
    pub world: &'a mut World,
    pub now: Instant,
}

/// Who is calling, or the answer that refuses the request: everything that parses the request
/// (path, headers, signature) and needs only the definition, so that it runs before the world is
/// locked. `request_id` is the id the response will carry.
pub fn admit<'d>(
    def: &'d Definition,
    req: &Request,
    request_id: &str,
    issued: Issued,
) -> Result<&'d Principal, Reply> {
    let Some((family, _, _)) = split(req.path) else {
        return Err(not_found());
    };
    // The signature check parses the host into a URL; only a plain name or address gets there
    // (the IDNA adapter the workspace pins asserts on some %-encoded names in debug builds).
    let plain = |host: &str| {
        host.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']'))
    };
    if !req.header("host").is_none_or(plain) {
        return Err(shape::bad_request(
            family,
            "Ecs.0005",
            "The Host header is not a plain host name or address.",
        ));
    }
    authenticate(def, family, req, request_id, issued)
}

fn not_found() -> Reply {
    shape::native(404, "itemNotFound", "The resource could not be found.")
}

impl Cloud<'_> {
    /// Answers one API request of an admitted `principal` (see [`admit`]).
    pub fn handle(&mut self, req: &Request, principal: &Principal) -> Reply {
        let Some((family, _, _)) = split(req.path) else {
            return not_found();
        };
        if family != ApiFamily::Nova {
            return self.handle_at(req, principal, family, nova::MIN);
        }
        match nova::requested(|name| req.header(name).map(str::to_owned)) {
            Err(refused) => refused,
            Ok(version) => {
                let mut answer = self.handle_at(req, principal, family, version);
                answer.headers.extend(nova::version_headers(version));
                answer
            }
        }
    }

    fn handle_at(
        &mut self,
        req: &Request,
        principal: &Principal,
        family: ApiFamily,
        version: nova::Microversion,
    ) -> Reply {
        let Some((_, project, segments)) = split(req.path) else {
            return not_found();
        };
        if project != self.def.project.id
            || req
                .header("x-project-id")
                .is_some_and(|p| p != self.def.project.id)
        {
            return match family {
                ApiFamily::V1 => shape::ecs(400, "Ecs.0023", "The project in the request differs from the project of the credentials."),
                _ => shape::native(400, "badRequest", &format!(
                    "Malformed request URL: URL's project_id '{project}' doesn't match Context's project_id '{}'",
                    self.def.project.id
                )),
            };
        }
        if family == ApiFamily::Nova && segments.is_empty() && req.method == "GET" {
            return nova::version(req.header("host").unwrap_or("localhost"));
        }
        let Some(route) = Route::parse_below(family, project, req.method, &segments) else {
            return shape::route_not_found(family);
        };
        match route.resource {
            Resource::ServerList => self.list(family, principal, req, version),
            Resource::KeyPair(name) => self.key_pair(family, principal, &name),
            Resource::Server(id) => match self.def.server(&id) {
                None => shape::server_not_found(family, &id),
                Some(server) if !self.may_read(family, principal, server) => shape::forbidden(
                    family,
                    "ecs:cloudServers:get",
                    "os_compute_api:servers:show",
                ),
                Some(server) => reply(
                    200,
                    json!({ "server": self.server_json(family, server, req, version) }),
                ),
            },
            Resource::Password(op, id) => match self.def.server(&id) {
                None => shape::server_not_found(family, &id),
                Some(server) => self
                    .authorize(family, principal, req, server)
                    .unwrap_or_else(|| self.password(family, server, op, req)),
            },
        }
    }

    fn access_request(&self, principal: &Principal, server: &ServerDef) -> AccessRequest {
        AccessRequest {
            server_enterprise_project: Some(server.enterprise_project_id.clone()),
            ..principal_request(self.def, principal)
        }
    }

    fn nova_allows(&self, principal: &Principal, operation: Operation) -> bool {
        let credentials = NovaCredentials {
            roles: principal.nova_roles.clone(),
            project_id: self.def.project.id.clone(),
            user_id: Some(principal.name.clone()),
            ..NovaCredentials::default()
        };
        let target = NovaTarget {
            project_id: self.def.project.id.clone(),
            user_id: None,
        };
        check_nova(&NovaPolicy::defaults(), operation, &credentials, &target)
            .is_ok_and(|d| d.allowed())
    }

    /// Reading a server (details, list, key pair) needs what reading its password needs:
    /// `ecs:cloudServers:get` (IAM), or Nova's show rule.
    fn may_read(&self, family: ApiFamily, principal: &Principal, server: &ServerDef) -> bool {
        if family == ApiFamily::Nova {
            return self.nova_allows(principal, Operation::Get);
        }
        let path = format!(
            "/v1/{}/cloudservers/{}/os-server-password",
            self.def.project.id, server.id
        );
        check_permission(
            &principal.grants,
            "GET",
            &path,
            &self.access_request(principal, server),
        )
        .is_ok_and(|d| d.decision == Verdict::Allow)
    }

    /// The permission check of a password request; `Some(403)` when it is denied.
    fn authorize(
        &self,
        family: ApiFamily,
        principal: &Principal,
        req: &Request,
        server: &ServerDef,
    ) -> Option<Reply> {
        if family == ApiFamily::Nova {
            let operation = if req.method == "DELETE" {
                Operation::Clear
            } else {
                Operation::Get
            };
            return (!self.nova_allows(principal, operation)).then(|| {
                shape::forbidden(family, "", nova_rule_name(operation).unwrap_or_default())
            });
        }
        match check_permission(
            &principal.grants,
            req.method,
            req.path,
            &self.access_request(principal, server),
        ) {
            Ok(d) if d.decision == Verdict::Allow => None,
            Ok(d) => Some(shape::forbidden(family, d.action, "")),
            Err(_) => Some(shape::route_not_found(family)),
        }
    }

    fn password(
        &mut self,
        family: ApiFamily,
        server: &ServerDef,
        op: Operation,
        req: &Request,
    ) -> Reply {
        let Some(state) = self.world.servers.get_mut(&server.id) else {
            return shape::server_not_found(family, &server.id);
        };
        match op {
            Operation::Get => {
                if let Posted::Pending(at) = state.posted {
                    if self.now >= at {
                        let ciphertext = server
                            .key_name
                            .as_deref()
                            .and_then(|k| self.def.key_pair(k))
                            .and_then(|key| key.encrypt_password(&state.password).ok());
                        state.posted = ciphertext.map_or(Posted::Never, Posted::Ciphertext);
                    }
                }
                let password = match &state.posted {
                    Posted::Ciphertext(c) => c.as_str(),
                    _ => "",
                };
                reply(200, json!({ "password": password }))
            }
            Operation::Clear => {
                let due = matches!(state.posted, Posted::Pending(at) if self.now >= at);
                if due || matches!(state.posted, Posted::Ciphertext(_)) {
                    state.posted = Posted::Cleared;
                }
                no_content()
            }
            Operation::ResetFlag => reply(
                200,
                json!({ "resetpwd_flag": if server.reset_supported { "True" } else { "False" } }),
            ),
            Operation::Reset => {
                let body: Option<Value> = serde_json::from_slice(req.body).ok();
                let inner = body.as_ref().and_then(|b| b.get("reset-password"));
                let Some(new_password) = inner
                    .and_then(|i| i.get("new_password"))
                    .and_then(Value::as_str)
                else {
                    return shape::bad_request(
                        family,
                        "Ecs.0005",
                        "Invalid request body: \"reset-password\".\"new_password\" is required.",
                    );
                };
                let check = family == ApiFamily::V21
                    || inner
                        .and_then(|i| i.get("is_check_password"))
                        .and_then(Value::as_bool)
                        == Some(true);
                let api = if family == ApiFamily::V1 {
                    ResetApi::V1
                } else {
                    ResetApi::V21
                };
                let broken =
                    check_password(new_password, &PasswordRules::new(api, server.os, None));
                if new_password.is_empty() || (check && !broken.is_empty()) {
                    let why = broken
                        .first()
                        .map_or("the password is empty".to_owned(), |b| {
                            ecs_password::message::render(
                                &b.message,
                                ecs_password::message::Lang::En,
                            )
                        });
                    return shape::bad_request(
                        family,
                        "Ecs.0011",
                        &format!("The password does not meet the complexity requirements: {why}"),
                    );
                }
                if !server.reset_supported {
                    return shape::bad_request(
                        family,
                        "Ecs.0613",
                        "The one-click password reset plug-in is not installed on this server.",
                    );
                }
                state.password = zeroize::Zeroizing::new(new_password.to_owned());
                state.resets += 1;
                no_content()
            }
        }
    }

    /// A server as the family shows it (Nova at the requested microversion).
    fn server_json(
        &self,
        family: ApiFamily,
        server: &ServerDef,
        req: &Request,
        version: nova::Microversion,
    ) -> Value {
        let view = nova::View {
            def: self.def,
            host: req.header("host").unwrap_or("localhost"),
            world: &*self.world,
        };
        match family {
            ApiFamily::Nova => view.nova(
                server,
                &format!("/compute/v2.1/{}", self.def.project.id),
                version,
            ),
            ApiFamily::V1 => view.huawei(server, true),
            _ => view.huawei(server, false),
        }
    }

    fn list(
        &self,
        family: ApiFamily,
        principal: &Principal,
        req: &Request,
        version: nova::Microversion,
    ) -> Reply {
        let visible: Vec<&ServerDef> = self
            .def
            .servers
            .iter()
            .filter(|s| self.may_read(family, principal, s))
            .collect();
        if visible.is_empty() && family != ApiFamily::Nova && principal.grants.0.is_empty() {
            return shape::forbidden(family, "ecs:cloudServers:list", "");
        }
        let limit = req
            .query("limit")
            .and_then(|l| l.parse::<usize>().ok())
            .unwrap_or(25)
            .clamp(1, 1000);
        if family == ApiFamily::V1 {
            let page = req
                .query("offset")
                .and_then(|o| o.parse::<usize>().ok())
                .unwrap_or(1)
                .max(1);
            let servers: Vec<Value> = visible
                .iter()
                .skip((page - 1) * limit)
                .take(limit)
                .map(|s| self.server_json(family, s, req, version))
                .collect();
            return reply(200, json!({ "count": visible.len(), "servers": servers }));
        }
        let start = match req.query("marker") {
            Some(m) => match visible.iter().position(|s| s.id == m) {
                Some(i) => i + 1,
                None => return shape::bad_request(family, "", &format!("marker [{m}] not found")),
            },
            None => 0,
        };
        let page: Vec<&ServerDef> = visible.iter().skip(start).take(limit).copied().collect();
        let mut body = json!({ "servers": page.iter().map(|s| self.server_json(family, s, req, version)).collect::<Vec<_>>() });
        if start + page.len() < visible.len() {
            if let Some(last) = page.last() {
                let host = req.header("host").unwrap_or("localhost");
                body["servers_links"] = json!([{ "rel": "next", "href": format!("http://{host}{}?limit={limit}&marker={}", req.path, last.id) }]);
            }
        }
        reply(200, body)
    }

    fn key_pair(&self, family: ApiFamily, principal: &Principal, name: &str) -> Reply {
        let users = self
            .def
            .servers
            .iter()
            .filter(|s| s.key_name.as_deref() == Some(name));
        let readable = users.clone().any(|s| self.may_read(family, principal, s));
        let known = self
            .def
            .key_pair(name)
            .map(|k| (k.openssh.as_str(), k.fingerprint_md5.as_str()))
            .or_else(|| {
                self.def
                    .other_key_pair(name)
                    .map(|o| (o.openssh.as_str(), o.fingerprint_md5.as_str()))
            });
        match known {
            Some((openssh, fingerprint))
                if readable || users.count() == 0 && !principal.grants.0.is_empty() =>
            {
                reply(
                    200,
                    json!({ "keypair": {
                        "name": name,
                        "public_key": openssh,
                        "fingerprint": fingerprint,
                        "type": "ssh",
                        "user_id": principal.name,
                    }}),
                )
            }
            Some(_) => shape::forbidden(
                family,
                "ecs:serverKeypairs:get",
                "os_compute_api:os-keypairs:show",
            ),
            None => shape::native(
                404,
                "itemNotFound",
                &format!("Keypair {name} not found for user {}", principal.name),
            ),
        }
    }
}
