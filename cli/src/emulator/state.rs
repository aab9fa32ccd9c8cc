//! What the emulated cloud holds: the definition (from `--state FILE` or the embedded demo),
//! checked once at start-up, and the live state of each server's password.

use crate::output::CliError;
use ecs_password::api::password_rules::{generate_password, OsType, PasswordRules, ResetApi};
use ecs_password::api::request::check_id;
use ecs_password::permission::Grants;
use ecs_password::{PrivateKey, PublicKey};
use serde::Deserialize;
use std::collections::HashMap;
use std::time::{Duration, Instant};
use zeroize::Zeroizing;

/// A state file, as written by hand (JSON). See docs/emulator.md for an example.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StateFile {
    /// Region name, used in instance resource names (`ecs:<region>:<domain>:instance:<id>`).
    pub region: String,
    /// The account (domain) id.
    pub domain_id: String,
    /// The account (domain) name users sign in with (Keystone's user and project domain).
    #[serde(default = "default_domain_name")]
    pub domain_name: String,
    /// The one project every server is in.
    pub project: ProjectDef,
    /// Enterprise projects by id (names only for display).
    #[serde(default)]
    pub enterprise_projects: Vec<ProjectDef>,
    /// Key pairs: name and OpenSSH public key line.
    #[serde(default)]
    pub key_pairs: Vec<KeyPairDef>,
    /// The servers.
    pub servers: Vec<ServerDef>,
    /// Who may call, and with what rights.
    pub principals: Vec<PrincipalDef>,
}

/// A project or enterprise project.
#[derive(Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectDef {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
}

/// A key pair as the cloud stores it: the public half, and, for a key pair whose private key
/// the Key Pair Service hosts (KPS `is_key_protection`), the private key it exports.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct KeyPairDef {
    /// The key pair's name.
    pub name: String,
    /// `ssh-rsa AAAA... comment`.
    pub public_key: String,
    /// The private key KPS holds (unencrypted PEM, as ExportPrivateKey returns it): the key pair
    /// is then hosted. It must be the private half of `publicKey`.
    #[serde(default)]
    pub hosted_private_key: Option<String>,
}

/// A server.
#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ServerDef {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// `windows` or `linux`.
    pub os: OsType,
    /// The key pair it was created with, if any.
    #[serde(default)]
    pub key_name: Option<String>,
    /// Its enterprise project ("0" is the default one).
    #[serde(default = "default_enterprise_project")]
    pub enterprise_project_id: String,
    /// Whether the one-click reset plug-in is installed (`os-resetpwd-flag`).
    #[serde(default = "yes")]
    pub reset_supported: bool,
    /// Seconds after start-up at which the guest posts its password (0: already posted). Only a
    /// Windows server with an RSA key pair ever posts; `null` means it never does.
    #[serde(default)]
    pub posts_after_seconds: Option<u64>,
    /// How long before start-up it was created and first booted (`created`,
    /// `OS-SRV-USG:launched_at`); 0, the default: at start-up. An old server that never posts is
    /// one whose image has no password agent.
    #[serde(default)]
    pub launched_seconds_ago: u64,
    /// Its tags, `key=value` (ECS v1's `tags`; Nova's from microversion 2.26).
    #[serde(default)]
    pub tags: Vec<String>,
}

fn default_domain_name() -> String {
    "Default".to_owned()
}

fn default_enterprise_project() -> String {
    "0".to_owned()
}

fn yes() -> bool {
    true
}

/// A caller: a token and/or an access key pair, IAM grants, and Nova roles.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PrincipalDef {
    /// A name to show.
    pub name: String,
    /// What this principal is for, to show in the demo.
    #[serde(default)]
    pub description: String,
    /// `X-Auth-Token` value.
    #[serde(default)]
    pub token: Option<String>,
    /// Access key id.
    #[serde(default)]
    pub access_key: Option<String>,
    /// Secret access key.
    #[serde(default)]
    pub secret_key: Option<String>,
    /// A grants document (`{"grants": [...]}`), as `ecs-password check --grants` reads it.
    #[serde(default = "no_grants")]
    pub grants: serde_json::Value,
    /// Keystone roles for the Nova family (`reader`, `member`, `admin`...).
    #[serde(default)]
    pub nova_roles: Vec<String>,
    /// The Keystone/IAM user id (default: derived from the name).
    #[serde(default)]
    pub user_id: Option<String>,
    /// The password to get a token with (`POST /v3/auth/tokens`, method `password`).
    #[serde(default)]
    pub password: Option<String>,
    /// A virtual MFA device's base32 secret: the user then needs `password` and `totp` together.
    #[serde(default)]
    pub totp_secret: Option<String>,
    /// Keystone application credentials of this user, scoped to the project.
    #[serde(default)]
    pub application_credentials: Vec<AppCredential>,
    /// Temporary AK/SK pairs, each valid only with its `X-Security-Token`.
    #[serde(default)]
    pub temporary_credentials: Vec<TemporaryCredential>,
}

/// A Keystone application credential.
#[derive(Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct AppCredential {
    pub id: String,
    pub name: String,
    #[serde(skip_serializing)]
    pub secret: String,
}

/// A temporary access key (IAM `securitytokens`): AK, SK and the security token.
#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TemporaryCredential {
    pub access_key: String,
    pub secret_key: String,
    pub security_token: String,
}

fn no_grants() -> serde_json::Value {
    serde_json::json!({ "grants": [] })
}

/// A checked principal.
pub struct Principal {
    pub name: String,
    pub description: String,
    pub token: Option<String>,
    pub access_key: Option<String>,
    pub secret_key: Option<Zeroizing<String>>,
    pub grants_json: serde_json::Value,
    pub grants: Grants,
    pub nova_roles: Vec<String>,
    pub user_id: String,
    pub password: Option<Zeroizing<String>>,
    /// The decoded TOTP key.
    pub totp_key: Option<Zeroizing<Vec<u8>>>,
    /// The base32 form, for the demo description.
    pub totp_secret: Option<Zeroizing<String>>,
    pub application_credentials: Vec<AppCredential>,
    pub temporary_credentials: Vec<TemporaryCredential>,
}

/// A key pair the guest cannot encrypt to (Ed25519, ECDSA...): served, never posted to.
pub struct OtherKeyPair {
    pub name: String,
    /// The public key line as given.
    pub openssh: String,
    /// MD5 colon-hex of the key blob, as Nova lists it.
    pub fingerprint_md5: String,
}

/// The checked definition: everything the emulator serves, fixed for its lifetime.
pub struct Definition {
    pub region: String,
    pub domain_id: String,
    pub domain_name: String,
    pub project: ProjectDef,
    pub enterprise_projects: Vec<ProjectDef>,
    /// RSA key pairs by name, in file order.
    pub key_pairs: Vec<(String, PublicKey)>,
    /// The private keys KPS hosts, by key pair name (PEM, wiped on drop).
    pub hosted_keys: Vec<(String, Zeroizing<String>)>,
    /// The other key pairs (see [`OtherKeyPair`]).
    pub other_key_pairs: Vec<OtherKeyPair>,
    pub servers: Vec<ServerDef>,
    pub principals: Vec<Principal>,
}

fn invalid(what: String) -> CliError {
    CliError::new(
        "STATE_INVALID",
        format!("The emulator's state is invalid: {what}."),
    )
}

impl Definition {
    /// Parses and checks a state file's text.
    pub fn parse(text: &str) -> Result<Definition, CliError> {
        let file: StateFile = serde_json::from_str(text).map_err(|e| invalid(e.to_string()))?;
        Definition::check(file)
    }

    /// Checks ids, references and grants; the first problem found is the error.
    pub fn check(file: StateFile) -> Result<Definition, CliError> {
        let id = |kind: &str, value: &str| {
            check_id(kind, value)
                .map_err(|e| invalid(format!("{kind} \"{value}\": {}", e.english())))
        };
        id("project id", &file.project.id)?;
        let mut key_pairs = Vec::new();
        let mut hosted_keys = Vec::new();
        let mut other_key_pairs: Vec<OtherKeyPair> = Vec::new();
        for kp in &file.key_pairs {
            id("key pair name", &kp.name)?;
            if key_pairs.iter().any(|(n, _)| n == &kp.name)
                || other_key_pairs.iter().any(|o| o.name == kp.name)
            {
                return Err(invalid(format!("key pair \"{}\" is listed twice", kp.name)));
            }
            match PublicKey::from_openssh(&kp.public_key) {
                Ok(key) => {
                    if let Some(pem) = &kp.hosted_private_key {
                        let private = PrivateKey::load(pem.as_bytes(), None).map_err(|e| {
                            invalid(format!(
                                "key pair \"{}\": hostedPrivateKey does not load: {}",
                                kp.name,
                                e.english()
                            ))
                        })?;
                        if private.info().fingerprint_sha256 != key.fingerprint_sha256 {
                            return Err(invalid(format!(
                                "key pair \"{}\": hostedPrivateKey is not the private half of publicKey",
                                kp.name
                            )));
                        }
                        hosted_keys.push((kp.name.clone(), Zeroizing::new(pem.clone())));
                    }
                    key_pairs.push((kp.name.clone(), key))
                }
                Err(e) if e.code() == ecs_password::ErrorCode::KeyNotRsa => {
                    if kp.hosted_private_key.is_some() {
                        return Err(invalid(format!(
                            "key pair \"{}\": only an RSA key pair can be hosted here",
                            kp.name
                        )));
                    }
                    other_key_pairs.push(OtherKeyPair {
                        name: kp.name.clone(),
                        openssh: kp.public_key.trim().to_owned(),
                        fingerprint_md5: md5_fingerprint(&kp.public_key).unwrap_or_default(),
                    })
                }
                Err(e) => {
                    return Err(invalid(format!(
                        "key pair \"{}\": {}",
                        kp.name,
                        e.english()
                    )))
                }
            }
        }
        if file.servers.is_empty() {
            return Err(invalid("there are no servers".into()));
        }
        for (i, server) in file.servers.iter().enumerate() {
            id("server id", &server.id)?;
            if file.servers[..i].iter().any(|s| s.id == server.id) {
                return Err(invalid(format!(
                    "server id \"{}\" is listed twice",
                    server.id
                )));
            }
            if server
                .posts_after_seconds
                .is_some_and(|after| after > MAX_POST_DELAY_SECS)
            {
                return Err(invalid(format!(
                    "server \"{}\": postsAfterSeconds is at most {MAX_POST_DELAY_SECS}",
                    server.id
                )));
            }
            if server.launched_seconds_ago > MAX_LAUNCHED_AGO_SECS {
                return Err(invalid(format!(
                    "server \"{}\": launchedSecondsAgo is at most {MAX_LAUNCHED_AGO_SECS}",
                    server.id
                )));
            }
            if let Some(name) = &server.key_name {
                if !key_pairs.iter().any(|(n, _)| n == name)
                    && !other_key_pairs.iter().any(|o| &o.name == name)
                {
                    return Err(invalid(format!(
                        "server \"{}\" names key pair \"{name}\", which is not in keyPairs",
                        server.id
                    )));
                }
            }
        }
        let mut principals = Vec::new();
        for p in file.principals {
            let grants = Grants::from_value(&p.grants)
                .map_err(|e| invalid(format!("principal \"{}\": {}", p.name, e.english())))?;
            if p.token.is_none()
                && p.access_key.is_none()
                && p.password.is_none()
                && p.application_credentials.is_empty()
                && p.temporary_credentials.is_empty()
            {
                return Err(invalid(format!(
                    "principal \"{}\" has no token, access key, password or application credential",
                    p.name
                )));
            }
            let totp_key = match &p.totp_secret {
                None => None,
                Some(secret) => Some(Zeroizing::new(
                    data_encoding::BASE32_NOPAD
                        .decode(secret.trim_end_matches('=').to_ascii_uppercase().as_bytes())
                        .ok()
                        .filter(|k| k.len() >= 10)
                        .ok_or_else(|| {
                            invalid(format!(
                                "principal \"{}\": totpSecret is not base32 of at least 10 bytes",
                                p.name
                            ))
                        })?,
                )),
            };
            if totp_key.is_some() && p.password.is_none() {
                return Err(invalid(format!(
                    "principal \"{}\" has a totpSecret but no password",
                    p.name
                )));
            }
            let user_id = p.user_id.clone().unwrap_or_else(|| {
                use sha2::Digest;
                sha2::Sha256::digest(format!("user:{}", p.name).as_bytes())
                    .iter()
                    .take(16)
                    .map(|b| format!("{b:02x}"))
                    .collect()
            });
            if p.access_key.is_some() != p.secret_key.is_some() {
                return Err(invalid(format!(
                    "principal \"{}\" needs both accessKey and secretKey",
                    p.name
                )));
            }
            let keys = |q: &Principal| {
                q.access_key
                    .iter()
                    .cloned()
                    .chain(q.temporary_credentials.iter().map(|t| t.access_key.clone()))
                    .collect::<Vec<_>>()
            };
            let mine: Vec<String> = p
                .access_key
                .iter()
                .cloned()
                .chain(p.temporary_credentials.iter().map(|t| t.access_key.clone()))
                .collect();
            let clash = principals.iter().any(|q: &Principal| {
                (p.token.is_some() && q.token == p.token)
                    || keys(q).iter().any(|k| mine.contains(k))
                    || q.user_id == user_id
                    || q.application_credentials
                        .iter()
                        .any(|a| p.application_credentials.iter().any(|b| b.id == a.id))
            }) || (1..mine.len()).any(|i| mine[..i].contains(&mine[i]));
            if clash {
                return Err(invalid(format!(
                    "principal \"{}\" shares a token, access key, user id or application credential id with another",
                    p.name
                )));
            }
            principals.push(Principal {
                name: p.name,
                description: p.description,
                token: p.token.filter(|t| !t.is_empty()),
                access_key: p.access_key,
                secret_key: p.secret_key.map(Zeroizing::new),
                grants_json: p.grants,
                grants,
                nova_roles: p.nova_roles,
                user_id,
                password: p.password.map(Zeroizing::new),
                totp_key,
                totp_secret: p.totp_secret.map(Zeroizing::new),
                application_credentials: p.application_credentials,
                temporary_credentials: p.temporary_credentials,
            });
        }
        Ok(Definition {
            region: file.region,
            domain_id: file.domain_id,
            domain_name: file.domain_name,
            project: file.project,
            enterprise_projects: file.enterprise_projects,
            key_pairs,
            hosted_keys,
            other_key_pairs,
            servers: file.servers,
            principals,
        })
    }

    pub fn key_pair(&self, name: &str) -> Option<&PublicKey> {
        self.key_pairs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, k)| k)
    }

    /// The private key KPS hosts for a key pair, if it hosts one.
    pub fn hosted_key(&self, name: &str) -> Option<&str> {
        self.hosted_keys
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, pem)| pem.as_str())
    }

    pub fn other_key_pair(&self, name: &str) -> Option<&OtherKeyPair> {
        self.other_key_pairs.iter().find(|o| o.name == name)
    }

    pub fn server(&self, id: &str) -> Option<&ServerDef> {
        self.servers.iter().find(|s| s.id == id)
    }
}

/// `c2:38:...`: the MD5 of an OpenSSH public key's blob, as Nova shows a key pair's fingerprint.
fn md5_fingerprint(line: &str) -> Option<String> {
    use md5::Digest;
    let blob = line.split_whitespace().nth(1)?;
    let bytes = data_encoding::BASE64.decode(blob.as_bytes()).ok()?;
    let digest = md5::Md5::digest(&bytes);
    Some(
        digest
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<Vec<_>>()
            .join(":"),
    )
}

/// The oldest a server may be made (`launchedSecondsAgo`): ten years.
pub const MAX_LAUNCHED_AGO_SECS: u64 = 10 * 366 * 86_400;

/// The latest a guest posts its password, in seconds after start-up (`--post-delay`,
/// `postsAfterSeconds`): a day, far more than any demo needs and well inside what `Instant` and
/// the wall clock can hold.
pub const MAX_POST_DELAY_SECS: u64 = 86_400;

/// Where a server's posted password stands.
#[derive(Clone)]
pub enum Posted {
    /// The guest posts at this instant.
    Pending(Instant),
    /// The ciphertext the guest posted.
    Ciphertext(String),
    /// Cleared with DELETE (the guest does not post again by itself).
    Cleared,
    /// This server never posts (Linux, or no RSA key pair).
    Never,
}

/// One server's live state.
pub struct ServerState {
    /// The password the guest set (the emulator is the guest too).
    pub password: Zeroizing<String>,
    /// RFC 3339 time it was created and first booted.
    pub created: String,
    pub posted: Posted,
    /// Successful resets so far (tests check that a reset is never sent twice).
    pub resets: u32,
}

/// Now less `seconds`, in whole seconds, RFC 3339 UTC.
fn rfc3339_ago(seconds: u64) -> String {
    let ago = time::Duration::seconds(i64::try_from(seconds).unwrap_or(i64::MAX));
    time::OffsetDateTime::now_utc()
        .checked_sub(ago)
        .and_then(|t| t.replace_nanosecond(0).ok())
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".to_owned())
}

/// The live state of every server.
pub struct World {
    pub servers: HashMap<String, ServerState>,
    /// RFC 3339 wall-clock time of the start: when the servers were "created".
    pub created: String,
}

impl World {
    /// A fresh start: every guest picks a password; posting is scheduled from `now`.
    /// `post_delay` replaces every non-zero `postsAfterSeconds`.
    pub fn start(
        def: &Definition,
        now: Instant,
        post_delay: Option<u64>,
    ) -> Result<World, CliError> {
        let mut servers = HashMap::new();
        for s in &def.servers {
            let rules = PasswordRules::new(ResetApi::V1, s.os, None);
            let password = generate_password(&rules, 16).map_err(|e| {
                CliError::new(
                    "SERVE_FAILED",
                    format!("No random numbers for the emulated guests: {e}."),
                )
            })?;
            // Only to an RSA key pair (cloudbase-init's CryptManager refuses the others).
            let posts = s.os == OsType::Windows
                && s.key_name
                    .as_deref()
                    .and_then(|k| def.key_pair(k))
                    .is_some();
            let posted = match s.posts_after_seconds {
                Some(after) if posts => {
                    let after = if after > 0 {
                        post_delay.unwrap_or(after)
                    } else {
                        0
                    };
                    Posted::Pending(now + Duration::from_secs(after))
                }
                _ => Posted::Never,
            };
            servers.insert(
                s.id.clone(),
                ServerState {
                    password,
                    created: rfc3339_ago(s.launched_seconds_ago),
                    posted,
                    resets: 0,
                },
            );
        }
        Ok(World {
            servers,
            created: rfc3339_ago(0),
        })
    }
}
