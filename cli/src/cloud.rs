//! `ecs-password get | clear | reset | flag`: the password APIs of a real cloud, from the command
//! line. The key never leaves this machine: `get --key` decrypts locally.

use crate::http_transport::UreqTransport;
use crate::input;
use crate::output::{CliError, Output};
use clap::{Args, ValueEnum};
use ecs_password::api::auth::Credentials;
use ecs_password::api::choice::{choose_family, FamilyChoice};
use ecs_password::api::client::Client;
use ecs_password::api::password_rules::{check_password, generate_password, OsType, PasswordRules};
use ecs_password::api::request::{Call, Endpoint, ResetBody, Target};
use ecs_password::api::response::Answer;
use ecs_password::api::retry::{PollPolicy, RetryPolicy};
use ecs_password::api::signer::AkSk;
use ecs_password::permission::{ApiFamily, Operation};
use ecs_password::{decrypt_password, ErrorCode};
use std::path::PathBuf;
use std::process::ExitCode;
use zeroize::Zeroizing;

/// Where and as whom.
#[derive(Args)]
pub struct CloudArgs {
    /// The API endpoint, e.g. https://ecs.eu-de.otc.t-systems.com (for nova: the compute endpoint).
    #[arg(long, value_name = "URL")]
    endpoint: String,
    /// The project id (not needed for --family nova).
    #[arg(long, value_name = "ID", default_value = "")]
    project: String,
    /// The server id.
    #[arg(long, value_name = "ID")]
    server: String,
    /// The API family.
    #[arg(long, value_enum, default_value_t = Family::V1)]
    family: Family,
    /// A token (X-Auth-Token); or set OS_TOKEN; or AK/SK in HUAWEICLOUD_SDK_AK / HUAWEICLOUD_SDK_SK
    /// (and HUAWEICLOUD_SDK_SECURITY_TOKEN for temporary credentials).
    #[arg(long, value_name = "TOKEN", env = "OS_TOKEN", hide_env_values = true)]
    token: Option<String>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
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
    pub cloud: CloudArgs,
    /// Decrypt locally with this private key; without it, the ciphertext is printed.
    #[arg(long, value_name = "FILE")]
    key: Option<PathBuf>,
    /// The key's passphrase, from a file (else ECS_PASSWORD_PASSPHRASE, else asked).
    #[arg(long, value_name = "FILE", requires = "key")]
    passphrase_file: Option<PathBuf>,
    /// Wait (up to this many minutes, 1 to 1440) for a password the server has not posted yet.
    #[arg(long, value_name = "MINUTES", value_parser = clap::value_parser!(u64).range(1..=MAX_WAIT_MINUTES))]
    wait: Option<u64>,
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

fn client_and_target(args: &CloudArgs) -> Result<Cloud, CliError> {
    let credentials = match (&args.token, std::env::var("HUAWEICLOUD_SDK_AK"), std::env::var("HUAWEICLOUD_SDK_SK")) {
        (Some(token), _, _) if !token.is_empty() => Credentials::Token(Zeroizing::new(token.clone())),
        (_, Ok(ak), Ok(sk)) if !ak.is_empty() && !sk.is_empty() => {
            Credentials::AkSk(AkSk::new(ak, sk, std::env::var("HUAWEICLOUD_SDK_SECURITY_TOKEN").ok().filter(|t| !t.is_empty())))
        }
        _ => {
            return Err(CliError::usage(
                "No credentials: give --token (or OS_TOKEN), or set HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK.".into(),
            ))
        }
    };
    // The CLI is given no permissions, so an automatic choice starts with v1.
    let choice = choose_family(args.family.requested(), None);
    let family = choice.family;
    if family != ApiFamily::Nova && args.project.is_empty() {
        return Err(CliError::usage(format!(
            "--project is required for --family {}.",
            family.as_str()
        )));
    }
    let target = Target {
        endpoint: Endpoint::parse(&args.endpoint)?,
        family,
        project_id: args.project.clone(),
        server_id: args.server.clone(),
    };
    Ok((
        Client {
            transport: UreqTransport::new(),
            credentials,
            retry: RetryPolicy::default(),
        },
        target,
        choice,
    ))
}

/// Runs `call` on the chosen family and, when the choice says a refusal is worth another family
/// (`--family auto`: v1 refused with 403), once more on that one.
fn with_fallback<T>(
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
    let out = Output {
        json: args.cloud.json,
    };
    let result = (|| -> Result<(Option<Zeroizing<String>>, String), CliError> {
        // Load the key first: a wrong passphrase should not cost a round trip.
        let key = args
            .key
            .as_ref()
            .map(|path| crate::load_key(path, args.passphrase_file.as_deref()))
            .transpose()?;
        let (mut client, mut target, choice) = client_and_target(&args.cloud)?;
        let poll = args.wait.map(|minutes| PollPolicy {
            limit_ms: minutes.saturating_mul(60_000),
            ..PollPolicy::default()
        });
        let answer = with_fallback(&mut client, &mut target, choice, |c, t| match &poll {
            Some(poll) => c
                .wait_for_ciphertext(t, poll, &mut || false)
                .map(|ciphertext| Answer::Ciphertext { ciphertext }),
            None => c.call(t, &Call::Password(Operation::Get, None)),
        })?;
        let Answer::Ciphertext { ciphertext } = answer else {
            return Err(CliError::from(ErrorCode::ResponseInvalid));
        };
        let password = key.map(|k| decrypt_password(&k, &ciphertext)).transpose()?;
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
    let out = Output { json: args.json };
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
    let out = Output { json: args.json };
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
        json: args.cloud.json,
    };
    let prepared = (|| -> Result<(Client<UreqTransport>, Target, ResetBody, bool), CliError> {
        // A reset is not retried on another family (nor is it in the widget).
        let choice = choose_family(args.cloud.family.requested(), None);
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
            let list: Vec<String> = broken.iter().map(|b| b.message.clone()).collect();
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
