//! `ecs-password get | clear | reset | flag`: the password APIs of a real cloud, from the command
//! line. The key never leaves this machine: `get --key` decrypts locally.

use crate::cloud_config;
use crate::http_transport::UreqTransport;
use crate::input;
use crate::output::{CliError, Output};
use crate::signin;
use clap::{Args, ValueEnum};
use ecs_password::api::auth::authorize;
use ecs_password::api::auth::Credentials;
use ecs_password::api::choice::{choose_family, FamilyChoice};
use ecs_password::api::client::Client;
use ecs_password::api::client::Transport;
use ecs_password::api::password_rules::{check_password, generate_password, OsType, PasswordRules};
use ecs_password::api::request::{Call, Endpoint, ResetBody, Target};
use ecs_password::api::response::Answer;
use ecs_password::api::retry::{PasswordWait, PollPolicy, RetryPolicy};
use ecs_password::api::signer::AkSk;
use ecs_password::permission::{ApiFamily, Operation};
use ecs_password::signin::{
    api_endpoint, build_project_by_region, project_for_region, regions, Interface,
};
use ecs_password::{decrypt_password, ErrorCode};
use std::path::PathBuf;
use std::process::ExitCode;
use zeroize::Zeroizing;

/// Where and as whom.
#[derive(Args)]
pub struct Connection {
    /// The API endpoint, e.g. https://ecs.eu-de.otc.t-systems.com (for nova: the compute
    /// endpoint). Found in the service catalog when signing in, or in the region table for AK/SK
    /// with --os-region-name; this overrides both.
    #[arg(long, value_name = "URL")]
    endpoint: Option<String>,
    /// The project id (not needed for --family nova; found when signing in, or from the region
    /// for AK/SK).
    #[arg(
        long,
        value_name = "ID",
        default_value = "",
        env = "HUAWEICLOUD_SDK_PROJECT_ID"
    )]
    project: String,
    /// The API family (default: nova when signed in from clouds.yaml or OS_AUTH_URL, else v1).
    #[arg(long, value_enum)]
    family: Option<Family>,
    /// A token (X-Auth-Token); or set OS_TOKEN; or AK/SK in HUAWEICLOUD_SDK_AK / HUAWEICLOUD_SDK_SK
    /// (and HUAWEICLOUD_SDK_SECURITY_TOKEN for temporary credentials).
    #[arg(long, value_name = "TOKEN", hide_env_values = true)]
    token: Option<String>,
    /// Sign in as this cloud of clouds.yaml (also OS_CLOUD).
    #[arg(long, value_name = "NAME")]
    os_cloud: Option<String>,
    /// The identity endpoint (also OS_AUTH_URL, auth.auth_url).
    #[arg(long, value_name = "URL")]
    os_auth_url: Option<String>,
    /// The user name (also OS_USERNAME, auth.username).
    #[arg(long, value_name = "NAME")]
    os_username: Option<String>,
    /// The project, by name (also OS_PROJECT_NAME, auth.project_name).
    #[arg(long, value_name = "NAME")]
    os_project_name: Option<String>,
    /// The region (also OS_REGION_NAME, region_name): picks the catalog's endpoint, or the
    /// Huawei Cloud / OTC region of an AK/SK pair.
    #[arg(long, value_name = "REGION")]
    os_region_name: Option<String>,
    /// public, internal or admin (also OS_INTERFACE, interface).
    #[arg(long, value_name = "INTERFACE")]
    os_interface: Option<String>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// Where, as whom, and which server.
#[derive(Args)]
pub struct CloudArgs {
    #[command(flatten)]
    pub conn: Connection,
    /// The server: its id, or its exact name (the server list is searched, as `nova
    /// get-password` does; a name several servers share is an error listing their ids).
    #[arg(long, value_name = "NAME|ID")]
    server: String,
}

#[derive(Clone, Copy, ValueEnum)]
enum Family {
    /// v1, and v2.1 once if the cloud refuses v1 (403): as the widget does without the user's
    /// permissions.
    Auto,
    V1,
    V2,
    #[value(name = "v2.1")]
    V21,
    Nova,
}

impl Family {
    /// The family asked for; `None`: automatic (`ecs_password::api::choice` decides).
    fn requested(self) -> Option<ApiFamily> {
        match self {
            Family::Auto => None,
            Family::V1 => Some(ApiFamily::V1),
            Family::V2 => Some(ApiFamily::V2),
            Family::V21 => Some(ApiFamily::V21),
            Family::Nova => Some(ApiFamily::Nova),
        }
    }
}

/// `get`'s own options.
#[derive(Args)]
pub struct GetArgs {
    #[command(flatten)]
    pub conn: Connection,
    /// The server: its id, or its exact name (the server list is searched, as `nova
    /// get-password` does; a name several servers share is an error listing their ids). Repeat
    /// it for several servers; "-" reads ids and names from standard input, one a line.
    #[arg(long, value_name = "NAME|ID", required_unless_present_any = ["all", "name"])]
    pub(crate) server: Vec<String>,
    /// Every server of the project (JSON Lines, one object per server).
    #[arg(long, conflicts_with_all = ["server", "name"])]
    pub(crate) all: bool,
    /// The servers whose name matches this glob, e.g. 'win-*' (JSON Lines).
    #[arg(long, value_name = "GLOB", conflicts_with = "server")]
    pub(crate) name: Option<String>,
    /// How many servers are asked at once (1 to 64).
    #[arg(long, value_name = "N", default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub(crate) parallel: u16,
    /// Decrypt locally with this private key; without it (or --hosted-key), the ciphertext is
    /// printed.
    #[arg(long, value_name = "FILE", group = "decrypt")]
    pub(crate) key: Option<PathBuf>,
    /// Decrypt with the private key the cloud holds for the server's key pair (Huawei Cloud's Key
    /// Pair Service): exported once per key pair for the run, then wiped. Needs the IAM actions
    /// kps:domainKeypairs:exportpk and kms:cmk:decryptDataKey.
    #[arg(long, group = "decrypt")]
    pub(crate) hosted_key: bool,
    /// The Key Pair Service's endpoint (default: the region's, from the region table, for Huawei
    /// Cloud regions), e.g. https://kms.cn-north-4.myhuaweicloud.com.
    #[arg(long, value_name = "URL", requires = "hosted_key")]
    pub(crate) kps_endpoint: Option<String>,
    /// The key's passphrase, from a file (else ECS_PASSWORD_PASSPHRASE, else asked).
    #[arg(long, value_name = "FILE", requires = "key")]
    pub(crate) passphrase_file: Option<PathBuf>,
    /// Wait (up to this many minutes, 1 to 1440) for a password the server has not posted yet,
    /// where waiting can help: not for a Linux server, one without an RSA key pair, or one that
    /// has run past the minutes a password takes.
    #[arg(long, value_name = "MINUTES", value_parser = clap::value_parser!(u64).range(1..=MAX_WAIT_MINUTES))]
    pub(crate) wait: Option<u64>,
    /// While waiting, ask every this many seconds (1 to 300).
    #[arg(long, value_name = "SECONDS", default_value_t = 30, requires = "wait", value_parser = clap::value_parser!(u64).range(1..=300))]
    pub(crate) poll_interval: u64,
    /// Also write every password to this new KeePass file (KDBX 4, encrypted with a master
    /// password asked twice on the terminal, or read from --kdbx-password-file); the JSON lines
    /// then leave the passwords out.
    #[arg(long, value_name = "FILE", requires = "decrypt")]
    pub(crate) kdbx: Option<PathBuf>,
    /// The KeePass file's master password, from a file (first line).
    #[arg(long, value_name = "FILE", requires = "kdbx")]
    pub(crate) kdbx_password_file: Option<PathBuf>,
    /// Also write every password to this new CSV file, UNENCRYPTED (needs
    /// --i-understand-plaintext); the JSON lines then leave the passwords out.
    #[arg(long, value_name = "FILE", requires_all = ["decrypt", "i_understand_plaintext"])]
    pub(crate) csv: Option<PathBuf>,
    /// Confirms that --csv writes passwords in plain text.
    #[arg(long, requires = "csv")]
    pub(crate) i_understand_plaintext: bool,
}

impl GetArgs {
    /// Whether passwords are decrypted (`--key` or `--hosted-key`), not printed as ciphertexts.
    pub(crate) fn decrypts(&self) -> bool {
        self.key.is_some() || self.hosted_key
    }

    /// What every `get` needs before its first password request, in this order: the key (a wrong
    /// passphrase should not cost a round trip), the session, and the hosted keys.
    pub(crate) fn connect(
        &self,
    ) -> Result<
        (
            Option<ecs_password::key::PrivateKey>,
            Session,
            Option<crate::hosted::HostedKeys>,
        ),
        CliError,
    > {
        let key = self
            .key
            .as_ref()
            .map(|path| crate::load_key(path, self.passphrase_file.as_deref()))
            .transpose()?;
        let session = connect(&self.conn)?;
        let hosted = self.hosted_keys(&session)?;
        Ok((key, session, hosted))
    }

    /// The hosted keys of the run, when `--hosted-key`: where KPS is, said first on stderr.
    pub(crate) fn hosted_keys(
        &self,
        session: &Session,
    ) -> Result<Option<crate::hosted::HostedKeys>, CliError> {
        if !self.hosted_key {
            return Ok(None);
        }
        let endpoint = crate::hosted::kps_endpoint(
            self.kps_endpoint.as_deref(),
            session.region.as_deref(),
            &session.target.endpoint,
        )?;
        if session.target.project_id.is_empty() {
            return Err(CliError::usage(
                "--hosted-key needs the project id (--project): KPS's paths name it.".into(),
            ));
        }
        crate::output::note(&crate::hosted::notice());
        Ok(Some(crate::hosted::HostedKeys::new(
            ecs_password::api::kps::KpsTarget {
                endpoint,
                project_id: session.target.project_id.clone(),
            },
        )))
    }
}

/// The longest `get --wait`: a day (a server posts its password within minutes of its first
/// start, or never).
const MAX_WAIT_MINUTES: u64 = 24 * 60;

/// `reset`'s own options.
#[derive(Args)]
pub struct ResetArgs {
    #[command(flatten)]
    pub cloud: CloudArgs,
    /// Read the new password from this file (first line).
    #[arg(long, value_name = "FILE", conflicts_with = "generate")]
    new_password_file: Option<PathBuf>,
    /// Generate a new password that passes the rules, and print it.
    #[arg(long)]
    generate: bool,
    /// Length of a generated password, within the rules (Windows and Linux: 8 to 26).
    #[arg(long, default_value_t = 16)]
    length: usize,
    /// The server's OS, for the password rules.
    #[arg(long, value_enum, default_value_t = Os::Windows)]
    os: Os,
    /// v1 only: ask the cloud to check the complexity too.
    #[arg(long)]
    check_complexity: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum Os {
    Windows,
    Linux,
}

type Cloud = (Client<UreqTransport>, Target, FamilyChoice);

/// A signed-in connection: the client, the target without a server, the family choice, and
/// whether `--server` is taken as an id without looking it up.
pub(crate) struct Session {
    pub client: Client<UreqTransport>,
    pub target: Target,
    pub choice: FamilyChoice,
    pub by_id_only: bool,
    /// The region, where one was given or is known (for `--hosted-key`'s KPS endpoint).
    pub region: Option<String>,
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

fn client_and_target(args: &CloudArgs) -> Result<Cloud, CliError> {
    let mut session = connect(&args.conn)?;
    session.target.server_id = if session.by_id_only {
        args.server.clone()
    } else {
        find_server(&mut session.client, &session.target, &args.server)?
    };
    Ok((session.client, session.target, session.choice))
}

/// Signs in (or takes the token or access key given) and finds the endpoint and project.
pub(crate) fn connect(args: &Connection) -> Result<Session, CliError> {
    let mut transport = UreqTransport::new();
    let flags = cloud_config::Flags {
        cloud: args.os_cloud.clone(),
        auth_url: args.os_auth_url.clone(),
        region_name: args.os_region_name.clone(),
        interface: args.os_interface.clone(),
        project_name: args.os_project_name.clone(),
        username: args.os_username.clone(),
    };
    let token = args.token.clone().filter(|t| !t.is_empty());
    // A token given with an endpoint is used as it is (OS_TOKEN alone is used only then, too:
    // with a clouds.yaml it is one of the sign-in methods).
    let direct_token = token
        .or_else(|| args.endpoint.as_ref().and(env("OS_TOKEN")))
        .filter(|_| args.endpoint.is_some() && args.os_cloud.is_none());
    let aksk = match (env("HUAWEICLOUD_SDK_AK"), env("HUAWEICLOUD_SDK_SK")) {
        (Some(ak), Some(sk)) => Some(AkSk::new(ak, sk, env("HUAWEICLOUD_SDK_SECURITY_TOKEN"))),
        _ => None,
    };
    // The form that predates signing in (an endpoint and a token or AK/SK) takes --server as the
    // id it was always given; every other form also accepts a name.
    let by_id_only = args.endpoint.is_some() && (direct_token.is_some() || aksk.is_some());
    let config = if direct_token.is_some() || aksk.is_some() {
        None
    } else {
        cloud_config::load(&flags, &cloud_config::Sources::from_process())?
    };
    let requested = args.family.map(Family::requested);
    let mut region = args
        .os_region_name
        .clone()
        .or_else(|| env("OS_REGION_NAME"));
    let (credentials, endpoint, project, default_family) = if let Some(token) = direct_token {
        let endpoint = Endpoint::parse(args.endpoint.as_deref().unwrap_or_default())?;
        (
            Credentials::Token(Zeroizing::new(token)),
            endpoint,
            args.project.clone(),
            ApiFamily::V1,
        )
    } else if let Some(keys) = aksk {
        let (endpoint, iam) = match (&args.endpoint, &region) {
            (Some(url), _) => {
                let endpoint = Endpoint::parse(url)?;
                let origin = endpoint.url().origin().ascii_serialization();
                let known = regions().into_iter().find(|r| r.ecs == origin);
                (endpoint, known.map(|r| (r.iam, r.region)))
            }
            (None, Some(region)) => {
                let found = ecs_password::signin::region("huaweicloud", region)
                    .or_else(|_| ecs_password::signin::region("otc", region))?;
                (
                    Endpoint::parse(&found.ecs)?,
                    Some((found.iam, found.region)),
                )
            }
            (None, None) => {
                return Err(CliError::usage(
                    "Give --endpoint URL or --os-region-name REGION (e.g. eu-de, cn-north-4)."
                        .into(),
                ))
            }
        };
        // HUAWEICLOUD_SDK_IAM_ENDPOINT overrides the table's IAM endpoint, as in Huawei's SDKs.
        let iam = match (env("HUAWEICLOUD_SDK_IAM_ENDPOINT"), iam, region.clone()) {
            (Some(url), Some((_, known)), _) => Some((url, known)),
            (Some(url), None, Some(region)) => Some((url, region)),
            (_, iam, _) => iam,
        };
        let credentials = Credentials::AkSk(keys);
        let mut project = args.project.clone();
        let family = requested.flatten().unwrap_or(ApiFamily::V1);
        if project.is_empty() && family != ApiFamily::Nova {
            // As Huawei's SDKs do: the project named after the region, listed with the AK/SK.
            let Some((iam, region)) = iam else {
                return Err(CliError::usage(format!(
                    "--project is required for --family {} with an endpoint the region table does not know.",
                    family.as_str()
                )));
            };
            let mut request = build_project_by_region(&Endpoint::parse(&iam)?, &region)?;
            authorize(&mut request, &credentials, None, transport.now_unix());
            let response = transport.send(&request, 30_000).map_err(|_| {
                CliError::new(
                    ErrorCode::NetworkError.as_str(),
                    format!("The IAM endpoint {iam} could not be reached."),
                )
            })?;
            project = project_for_region(&response, &region)?;
        }
        (credentials, endpoint, project, ApiFamily::V1)
    } else if let Some(config) = config {
        region = config.region_name.clone().or(region);
        let signed = signin::sign_in(&config, &mut transport)?;
        let family = requested.flatten().unwrap_or(ApiFamily::Nova);
        let endpoint = match &args.endpoint {
            Some(url) => Endpoint::parse(url)?,
            None => {
                let interface = match config.interface.as_deref() {
                    None => Interface::Public,
                    Some(text) => Interface::parse(text).ok_or_else(|| {
                        CliError::usage(format!(
                            "interface \"{}\" is not public, internal or admin.",
                            crate::output::printable(text)
                        ))
                    })?,
                };
                let region = config.region_name.as_deref();
                api_endpoint(&signed.catalog, Some(family), interface, region)?.endpoint
            }
        };
        let project = signed
            .project
            .as_ref()
            .map(|p| p.id.clone())
            .unwrap_or_default();
        (
            Credentials::Token(Zeroizing::new(signed.token.expose().to_owned())),
            endpoint,
            project,
            ApiFamily::Nova,
        )
    } else {
        return Err(CliError::usage(
            "No credentials: give --os-cloud NAME (clouds.yaml) or set OS_CLOUD or OS_AUTH_URL; or give --token (or OS_TOKEN) with --endpoint; or set HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK.".into(),
        ));
    };
    // The CLI is given no permissions, so an automatic choice starts with v1.
    let choice = choose_family(requested.unwrap_or(Some(default_family)), None);
    let family = choice.family;
    if family != ApiFamily::Nova && project.is_empty() {
        return Err(CliError::usage(format!(
            "--project is required for --family {}.",
            family.as_str()
        )));
    }
    let target = Target {
        endpoint,
        family,
        project_id: project,
        server_id: String::new(),
    };
    let client = Client {
        transport,
        credentials,
        retry: RetryPolicy::default(),
    };
    Ok(Session {
        client,
        target,
        choice,
        by_id_only,
        region,
    })
}

/// Whether `text` is a server id as the clouds make them (a UUID), so no list is needed.
pub(crate) fn looks_like_id(text: &str) -> bool {
    let hex = |s: &str| s.chars().all(|c| c.is_ascii_hexdigit());
    let parts: Vec<&str> = text.split('-').collect();
    (parts.len() == 5
        && [8, 4, 4, 4, 12]
            .iter()
            .zip(&parts)
            .all(|(n, p)| p.len() == *n && hex(p)))
        || (text.len() == 32 && hex(text))
}

/// The most servers searched for a name (pages of 1000).
pub(crate) const MAX_SERVER_PAGES: usize = 20;

/// The id of the server `name_or_id`: a UUID as it is; else the server whose id or exact name it
/// is, from the server list (as novaclient's `find_resource` does). Several servers of that name:
/// an error listing their ids.
fn find_server(
    client: &mut Client<UreqTransport>,
    target: &Target,
    name_or_id: &str,
) -> Result<String, CliError> {
    if looks_like_id(name_or_id) {
        return Ok(name_or_id.to_owned());
    }
    let mut cursor = None;
    let mut named = Vec::new();
    for _ in 0..MAX_SERVER_PAGES {
        let page = match client.call(
            target,
            &Call::ListServers {
                limit: 1000,
                cursor: cursor.clone(),
            },
        )? {
            Answer::Servers(page) => page,
            _ => return Err(CliError::from(ErrorCode::ResponseInvalid)),
        };
        for server in page.servers {
            if server.id == name_or_id {
                return Ok(server.id);
            }
            if server.name == name_or_id {
                named.push(server.id);
            }
        }
        match page.next {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    match named.as_slice() {
        [one] => Ok(one.clone()),
        [] => Err(CliError::new(
            ErrorCode::ServerNotFound.as_str(),
            format!(
                "No server has the id or name \"{}\" in this project.",
                crate::output::printable(name_or_id)
            ),
        )),
        several => Err(CliError::new(
            "SERVER_AMBIGUOUS",
            format!(
                "{} servers are called \"{}\": give one of their ids instead: {}.",
                several.len(),
                crate::output::printable(name_or_id),
                several.join(", ")
            ),
        )),
    }
}

/// Runs `call` on the chosen family and, when the choice says a refusal is worth another family
/// (`--family auto`: v1 refused with 403), once more on that one.
pub(crate) fn with_fallback<T>(
    client: &mut Client<UreqTransport>,
    target: &mut Target,
    choice: FamilyChoice,
    mut call: impl FnMut(&mut Client<UreqTransport>, &Target) -> ecs_password::Result<T>,
) -> ecs_password::Result<T> {
    match call(client, target) {
        Err(error) => match choice.after_refusal(error.code()) {
            Some(next) => {
                target.family = next.family;
                call(client, target)
            }
            None => Err(error),
        },
        answer => answer,
    }
}

pub fn get(args: &GetArgs) -> ExitCode {
    if crate::fleet::wanted(args) {
        return crate::fleet::run(args);
    }
    let out = Output {
        json: args.conn.json,
    };
    let result = (|| -> Result<(Option<Zeroizing<String>>, String), CliError> {
        let (key, mut session, hosted) = args.connect()?;
        let server = args.server.first().cloned().unwrap_or_default();
        session.target.server_id = if session.by_id_only {
            server
        } else {
            find_server(&mut session.client, &session.target, &server)?
        };
        let Session {
            mut client,
            mut target,
            choice,
            ..
        } = session;
        let asked = with_fallback(&mut client, &mut target, choice, |c, t| {
            c.call(t, &Call::Password(Operation::Get, None))
        });
        let ciphertext = match asked {
            Ok(Answer::Ciphertext { ciphertext }) => ciphertext,
            Ok(_) => return Err(CliError::from(ErrorCode::ResponseInvalid)),
            // Not posted: why, and whether waiting (--wait) can help.
            Err(e) if e.code() == ErrorCode::PasswordNotAvailable => {
                let diagnosis = crate::fleet::diagnose_server(&mut client, &target, None, None);
                let poll = args.wait.map(|minutes| PollPolicy {
                    interval_ms: args.poll_interval.saturating_mul(1000),
                    limit_ms: minutes.saturating_mul(60_000),
                });
                let now = client.transport.now_ms();
                let wait = match (poll, &diagnosis) {
                    (None, _) => None,
                    (Some(poll), None) => Some(PasswordWait::new(poll, now)),
                    (Some(poll), Some(d)) => PasswordWait::for_diagnosis(poll, now, d),
                };
                match (wait, diagnosis) {
                    (Some(wait), _) => match client.poll_password(&target, &wait, &mut || false) {
                        Ok(ciphertext) => ciphertext,
                        // Still nothing: why, now.
                        Err(e) if e.code() == ErrorCode::PasswordNotAvailable => {
                            return Err(crate::fleet::diagnose_server(
                                &mut client,
                                &target,
                                None,
                                None,
                            )
                            .map_or(e, |d| d.to_error())
                            .into())
                        }
                        Err(e) => return Err(e.into()),
                    },
                    (None, Some(d)) => return Err(d.to_error().into()),
                    (None, None) => return Err(e.into()),
                }
            }
            Err(e) => return Err(e.into()),
        };
        let password = match (key, hosted) {
            (Some(key), _) => Some(decrypt_password(&key, &ciphertext)?),
            // The server's key pair, then its hosted key (exported now, wiped when dropped).
            (None, Some(hosted)) => {
                let details = match client.call(&target, &Call::ServerDetails)? {
                    Answer::Server(details) => details,
                    _ => return Err(CliError::from(ErrorCode::ResponseInvalid)),
                };
                let key_pair = crate::hosted::key_pair_of(details.key_name.as_deref())?;
                let key = hosted.key(&mut client, key_pair)?;
                Some(decrypt_password(&key, &ciphertext)?)
            }
            (None, None) => None,
        };
        Ok((password, ciphertext))
    })();
    match result {
        Ok((Some(password), _)) => out.password(&password),
        // Base64 as the cloud sent it, but nothing that could act on a terminal.
        Ok((None, ciphertext)) => out.value("ciphertext", &crate::output::printable(&ciphertext)),
        Err(e) => out.fail(&e),
    }
}

pub fn clear(args: &CloudArgs) -> ExitCode {
    let out = Output {
        json: args.conn.json,
    };
    let result = client_and_target(args).and_then(|(mut c, mut t, choice)| {
        Ok(with_fallback(&mut c, &mut t, choice, |c, t| {
            c.call(t, &Call::Password(Operation::Clear, None))
        })?)
    });
    match result {
        Ok(_) => out.value("cleared", &true),
        Err(e) => out.fail(&e),
    }
}

pub fn flag(args: &CloudArgs) -> ExitCode {
    let out = Output {
        json: args.conn.json,
    };
    let result = client_and_target(args)
        .and_then(|(mut c, t, _)| Ok(c.call(&t, &Call::Password(Operation::ResetFlag, None))?));
    match result {
        Ok(Answer::ResetFlag { supported }) => out.value("resetSupported", &supported),
        Ok(_) => out.fail(&CliError::from(ErrorCode::ResponseInvalid)),
        Err(e) => out.fail(&e),
    }
}

pub fn reset(args: &ResetArgs) -> ExitCode {
    let out = Output {
        json: args.cloud.conn.json,
    };
    let prepared = (|| -> Result<(Client<UreqTransport>, Target, ResetBody, bool), CliError> {
        // A reset is not retried on another family (nor is it in the widget).
        let choice = choose_family(args.cloud.conn.family.and_then(Family::requested), None);
        let api = match choice.family {
            ApiFamily::V1 | ApiFamily::V21 => choice.reset_api,
            other => {
                return Err(CliError::new(
                    "OPERATION_UNSUPPORTED",
                    format!(
                        "The {} API cannot reset passwords: use --family v1 or v2.1.",
                        other.as_str()
                    ),
                ))
            }
        };
        let os = match args.os {
            Os::Windows => OsType::Windows,
            Os::Linux => OsType::Linux,
        };
        let rules = PasswordRules::new(api, os, None);
        if !(rules.min_len..=rules.max_len).contains(&args.length) {
            return Err(CliError::usage(format!(
                "--length {}: a generated password has {} to {} characters.",
                args.length, rules.min_len, rules.max_len
            )));
        }
        let (password, generated) = match &args.new_password_file {
            Some(path) => (input::first_line_secret(path, "new password")?, false),
            None if args.generate => (
                generate_password(&rules, args.length)
                    .map_err(|e| CliError::new("RANDOM_UNAVAILABLE", e.to_string()))?,
                true,
            ),
            None => {
                return Err(CliError::usage(
                    "Give --new-password-file FILE or --generate.".into(),
                ))
            }
        };
        let broken = check_password(&password, &rules);
        if !broken.is_empty() {
            let list: Vec<String> = broken
                .iter()
                .map(|b| ecs_password::message::render(&b.message, ecs_password::message::Lang::En))
                .collect();
            return Err(CliError::new(
                "PASSWORD_REJECTED",
                format!("The new password breaks the rules: {}", list.join(" ")),
            ));
        }
        let (client, target, _) = client_and_target(&args.cloud)?;
        let body = ResetBody {
            new_password: password,
            check_complexity: args.check_complexity,
        };
        Ok((client, target, body, generated))
    })();
    let (mut client, target, body, generated) = match prepared {
        Ok(prepared) => prepared,
        Err(e) => return out.fail(&e),
    };
    // A generated password is printed before it is set: one that cannot be delivered (a closed
    // or full standard output) is never set.
    if generated {
        if let Err(status) = out.deliver_first(&body.new_password) {
            return status;
        }
    }
    let result = client
        .call(&target, &Call::Password(Operation::Reset, Some(body)))
        .map(|_| ())
        .map_err(CliError::from);
    match (generated, result) {
        (true, result) => out.finish_delivered(result),
        (false, Ok(())) => out.value("reset", &true),
        (false, Err(e)) => out.fail(&e),
    }
}
