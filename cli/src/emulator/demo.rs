//! The embedded demo: a project with servers that exercise every path of the product, principals
//! with full, read-only, enterprise-project-scoped and no access, and the demo private keys (the
//! test fixtures of `tests/fixtures/`) to download. Served only when no `--state` file is given.

use super::state::{
    AppCredential, Definition, KeyPairDef, PrincipalDef, ProjectDef, ServerDef, StateFile,
    TemporaryCredential,
};
use crate::output::CliError;
use ecs_password::api::password_rules::OsType;
use ecs_password::PrivateKey;
use serde_json::{json, Value};

/// The demo's passphrase for every encrypted key file (tests/fixtures/passphrase.txt).
pub const PASSPHRASE: &str = "correct horse battery";

pub const PROJECT_ID: &str = "0605767f5a80d5762fc1c000cf2b3f95";
const FINANCE: &str = "5b1c7e9a-0f0e-4c8d-9a11-2a3b4c5d6e7f";

/// A demo key file: download name, which key pair it belongs to, what it is, and its bytes.
pub struct KeyFile {
    pub file: &'static str,
    pub key_pair: &'static str,
    pub format: &'static str,
    pub encrypted: bool,
    pub bytes: &'static [u8],
}

macro_rules! key_file {
    ($file:literal, $pair:literal, $format:literal, $encrypted:literal) => {
        KeyFile {
            file: $file,
            key_pair: $pair,
            format: $format,
            encrypted: $encrypted,
            bytes: include_bytes!(concat!("../../../tests/fixtures/", $file)),
        }
    };
}

/// The downloads, in the order the page lists them. "unrelated" is a key of no server's key pair,
/// to see how a wrong key is named.
pub static KEY_FILES: [KeyFile; 13] = [
    key_file!("rsa2048.pkcs1.pem", "demo-rsa2048", "PKCS#1 PEM", false),
    key_file!("rsa2048.pkcs8.pem", "demo-rsa2048", "PKCS#8 PEM", false),
    key_file!("rsa2048.pkcs1.der", "demo-rsa2048", "PKCS#1 DER", false),
    key_file!(
        "rsa2048.pkcs8-pbkdf2-sha256-aes256cbc.pem",
        "demo-rsa2048",
        "encrypted PKCS#8 PEM (PBKDF2, AES-256)",
        true
    ),
    key_file!(
        "rsa2048.pkcs8-scrypt-aes256cbc.pem",
        "demo-rsa2048",
        "encrypted PKCS#8 PEM (scrypt)",
        true
    ),
    key_file!(
        "rsa2048.legacy-aes256cbc.pem",
        "demo-rsa2048",
        "OpenSSL encrypted PEM (AES-256)",
        true
    ),
    key_file!("rsa2048.openssh", "demo-rsa2048", "OpenSSH", false),
    key_file!(
        "rsa2048.openssh-aes256ctr",
        "demo-rsa2048",
        "OpenSSH with passphrase",
        true
    ),
    key_file!("rsa2048.ppk2", "demo-rsa2048", "PuTTY .ppk v2", false),
    key_file!(
        "rsa2048.ppk3-encrypted",
        "demo-rsa2048",
        "PuTTY .ppk v3 with passphrase (Argon2)",
        true
    ),
    key_file!("rsa4096.pkcs1.pem", "demo-rsa4096", "PKCS#1 PEM", false),
    key_file!("rsa4096.openssh", "demo-rsa4096", "OpenSSH", false),
    key_file!("other2048.pkcs1.pem", "unrelated", "PKCS#1 PEM", false),
];

pub fn key_file(name: &str) -> Option<&'static KeyFile> {
    KEY_FILES.iter().find(|k| k.file == name)
}

fn public_key(file: &str) -> Result<String, CliError> {
    let bytes = key_file(file).map(|k| k.bytes).unwrap_or_default();
    let key = PrivateKey::load(bytes, None).map_err(|e| {
        CliError::new(
            "SERVE_FAILED",
            format!("The demo key {file} does not load: {}", e.english()),
        )
    })?;
    Ok(key.info().public_key_openssh.clone())
}

fn server(
    id: &str,
    name: &str,
    os: OsType,
    key: Option<&str>,
    ep: &str,
    reset: bool,
    posts: Option<u64>,
) -> ServerDef {
    ServerDef {
        id: id.to_owned(),
        name: name.to_owned(),
        os,
        key_name: key.map(str::to_owned),
        enterprise_project_id: ep.to_owned(),
        reset_supported: reset,
        posts_after_seconds: posts,
        launched_seconds_ago: 0,
        tags: Vec::new(),
    }
}

fn principal(name: &str, description: &str, n: u8, grants: Value, roles: &[&str]) -> PrincipalDef {
    PrincipalDef {
        name: name.to_owned(),
        description: description.to_owned(),
        token: Some(format!("demo-token-{name}")),
        access_key: Some(format!("DEMO{:0>16}", name.to_uppercase())),
        secret_key: Some(format!("demo-secret-key-{n}-{name}-not-for-real-use")),
        grants: json!({ "grants": grants }),
        nova_roles: roles.iter().map(|r| (*r).to_owned()).collect(),
        user_id: Some(format!("{:0>32}", format!("{n}"))),
        password: Some(format!("demo-password-{name}")),
        totp_secret: None,
        application_credentials: Vec::new(),
        temporary_credentials: Vec::new(),
    }
}

/// The demo domain (account) name, for Keystone/IAM sign-in.
pub const DOMAIN_NAME: &str = "demo";

/// The base32 secret of the reader's virtual MFA device (add it to an authenticator app, or
/// compute the code with any TOTP tool: SHA-1, 6 digits, 30 s).
pub const READER_TOTP_SECRET: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

/// Seconds after start-up at which the demo's "win-booting" server posts its password.
pub const BOOTING_POSTS_AFTER: u64 = 45;

/// The demo key pair whose private key the emulated Key Pair Service hosts.
pub const HOSTED_KEY_PAIR: &str = "demo-rsa4096";

/// Where the emulated Key Pair Service (KPS, part of DEW) answers, on serve's origin (apart from
/// the IAM at `/v3`): `/kms/v3/{project_id}/keypairs/...`.
pub const KPS_PREFIX: &str = "/kms";

/// A custom policy (1.1) allowing `actions` on every resource.
fn kps_policy(actions: &[&str]) -> Value {
    json!({ "Version": "1.1", "Statement": [{ "Effect": "Allow", "Action": actions }] })
}

/// A demo key file as the text KPS would export (it is PEM: the fixture is PKCS#1).
fn hosted_pem(file: &str) -> Result<String, CliError> {
    key_file(file)
        .and_then(|k| std::str::from_utf8(k.bytes).ok())
        .map(str::to_owned)
        .ok_or_else(|| CliError::new("SERVE_FAILED", format!("The demo key {file} is not text.")))
}

/// The demo definition.
pub fn definition() -> Result<Definition, CliError> {
    let project = json!({ "project": PROJECT_ID });
    let mut admin = principal(
        "admin",
        "ECS FullAccess in the project: may get, clear and reset every password; may also use the key pair demo-rsa4096's private key, which the Key Pair Service hosts.",
        1,
        json!([
            { "policy": "ECS FullAccess", "scope": project },
            { "name": "KPS use hosted keys (demo)", "policy": kps_policy(&[
                "kps:domainKeypairs:get", "kps:domainKeypairs:list",
                "kps:domainKeypairs:exportpk", "kms:cmk:decryptDataKey",
            ]), "scope": project },
        ]),
        &["member"],
    );
    admin.application_credentials.push(AppCredential {
        id: "a9c0ffee00000000000000000000000a".into(),
        name: "demo-admin-app".into(),
        secret: "demo-app-secret-admin-not-for-real-use".into(),
    });
    admin.temporary_credentials.push(TemporaryCredential {
        access_key: "DEMOTEMPORARYADMIN00".into(),
        secret_key: "demo-temporary-secret-admin-not-for-real-use".into(),
        security_token: "demo-security-token-admin".into(),
    });
    let mut reader = principal(
        "reader",
        "ECS ReadOnlyAccess in the project: may get passwords, not clear or reset them; may see that a key pair's private key is hosted, not export it.",
        2,
        json!([
            { "policy": "ECS ReadOnlyAccess", "scope": project },
            { "name": "KPS read (demo)", "policy": kps_policy(&[
                "kps:domainKeypairs:get", "kps:domainKeypairs:list",
            ]), "scope": project },
        ]),
        &["reader"],
    );
    reader.totp_secret = Some(READER_TOTP_SECRET.into());
    let mut file = StateFile {
        region: "demo-1".into(),
        domain_id: "d7ce9ae3a1b34e2c8f0a6b5c4d3e2f10".into(),
        domain_name: DOMAIN_NAME.into(),
        project: ProjectDef { id: PROJECT_ID.into(), name: "demo-1".into() },
        enterprise_projects: vec![
            ProjectDef { id: "0".into(), name: "default".into() },
            ProjectDef { id: FINANCE.into(), name: "finance".into() },
        ],
        key_pairs: vec![
            KeyPairDef { name: "demo-rsa2048".into(), public_key: public_key("rsa2048.pkcs1.pem")?, hosted_private_key: None },
            KeyPairDef {
                name: HOSTED_KEY_PAIR.into(),
                public_key: public_key("rsa4096.pkcs1.pem")?,
                hosted_private_key: Some(hosted_pem("rsa4096.pkcs1.pem")?),
            },
        ],
        servers: vec![
            server("7c1a5d2e-3b4f-4a6c-8d9e-0f1a2b3c4d01", "win-2048", OsType::Windows, Some("demo-rsa2048"), FINANCE, true, Some(0)),
            server("7c1a5d2e-3b4f-4a6c-8d9e-0f1a2b3c4d02", "win-4096", OsType::Windows, Some("demo-rsa4096"), "0", true, Some(0)),
            server("7c1a5d2e-3b4f-4a6c-8d9e-0f1a2b3c4d03", "win-booting", OsType::Windows, Some("demo-rsa2048"), "0", false, Some(BOOTING_POSTS_AFTER)),
            server("7c1a5d2e-3b4f-4a6c-8d9e-0f1a2b3c4d04", "linux-web", OsType::Linux, Some("demo-rsa2048"), "0", true, None),
            server("7c1a5d2e-3b4f-4a6c-8d9e-0f1a2b3c4d05", "win-nokey", OsType::Windows, None, "0", true, None),
        ],
        principals: vec![
            admin,
            reader,
            principal("finance", "ECS FullAccess on the \"finance\" enterprise project only: may act on win-2048 only.", 3,
                json!([{ "policy": "ECS FullAccess", "scope": { "enterpriseProject": FINANCE } }]), &[]),
            principal("nobody", "No policies: every password request is refused.", 4, json!([]), &[]),
        ],
    };
    // Tags to choose servers by in a fleet (`env=prod`: the three "ready" ones and linux-web).
    for server in &mut file.servers {
        let env = if matches!(server.name.as_str(), "win-booting" | "win-nokey") {
            "env=test"
        } else {
            "env=prod"
        };
        server.tags = vec![env.to_owned()];
    }
    Definition::check(file)
}

/// `GET /demo`: everything a newcomer needs to walk every path (see docs/emulator.md). Its
/// endpoints are paths on the origin it was fetched from: the request's `Host` is never echoed.
pub fn describe(def: &Definition, posts_at: impl Fn(&str) -> Option<String>) -> Value {
    let p = &def.project.id;
    let servers: Vec<Value> = def
        .servers
        .iter()
        .map(|s| {
            let id = &s.id;
            json!({
                "id": id,
                "name": s.name,
                "os": s.os,
                "keyName": s.key_name,
                "enterpriseProjectId": s.enterprise_project_id,
                "resetSupported": s.reset_supported,
                "postsPasswordAt": posts_at(id),
                "paths": {
                    "v1": format!("/v1/{p}/cloudservers/{id}/os-server-password"),
                    "v2": format!("/v2/{p}/servers/{id}/os-server-password"),
                    "v2.1": format!("/v2.1/{p}/servers/{id}/os-server-password"),
                    "nova": format!("/compute/v2.1/{p}/servers/{id}/os-server-password"),
                },
            })
        })
        .collect();
    let downloads = |pair: &str| -> Vec<Value> {
        KEY_FILES
            .iter()
            .filter(|k| k.key_pair == pair)
            .map(|k| {
                json!({
                    "format": k.format,
                    "file": k.file,
                    "href": format!("/demo/keys/{}", k.file),
                    "passphrase": k.encrypted.then_some(PASSPHRASE),
                })
            })
            .collect()
    };
    let mut key_pairs: Vec<Value> = def
        .key_pairs
        .iter()
        .map(|(name, key)| {
            json!({
                "name": name,
                "bits": key.bits,
                "fingerprint": key.fingerprint_sha256,
                "fingerprintMd5": key.fingerprint_md5,
                "hosted": def.hosted_key(name).is_some(),
                "downloads": downloads(name),
            })
        })
        .collect();
    key_pairs.push(json!({
        "name": "unrelated",
        "bits": 2048,
        "hosted": false,
        "fingerprint": null,
        "description": "A key of no server's key pair: try it to see a wrong key named before decryption.",
        "downloads": downloads("unrelated"),
    }));
    let principals: Vec<Value> = def
        .principals
        .iter()
        .map(|pr| {
            json!({
                "name": pr.name,
                "description": pr.description,
                "token": pr.token,
                "accessKey": pr.access_key,
                "secretKey": pr.secret_key.as_ref().map(|s| s.as_str()),
                "grants": pr.grants_json,
                "novaRoles": pr.nova_roles,
                "userId": pr.user_id,
                "password": pr.password.as_ref().map(|s| s.as_str()),
                "totpSecret": pr.totp_secret.as_ref().map(|s| s.as_str()),
                "applicationCredentials": pr.application_credentials.iter().map(|a| json!({
                    "id": a.id, "name": a.name, "secret": a.secret,
                })).collect::<Vec<_>>(),
                "temporaryCredentials": pr.temporary_credentials.iter().map(|t| json!({
                    "accessKey": t.access_key, "secretKey": t.secret_key, "securityToken": t.security_token,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "endpoint": "/",
        "region": def.region,
        "domainId": def.domain_id,
        "domainName": def.domain_name,
        "identityEndpoint": "/identity",
        "iamEndpoint": "/v3",
        "project": def.project,
        "enterpriseProjects": def.enterprise_projects,
        "novaEndpoint": format!("/compute/v2.1/{p}"),
        "kpsEndpoint": KPS_PREFIX,
        "servers": servers,
        "keyPairs": key_pairs,
        "principals": principals,
        "passphrase": PASSPHRASE,
    })
}
