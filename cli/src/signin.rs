//! Signing in from a `clouds.yaml` or openrc ([`crate::cloud_config`]): the core builds the
//! Keystone / IAM requests and reads the answers (`ecs_password::signin`); this module sends
//! them with the CLI's transport, asks for a missing password or TOTP code on the terminal, and
//! finds the compute endpoint in the catalog.

use crate::cloud_config::CloudConfig;
use crate::input;
use crate::output::CliError;
use ecs_password::api::client::{Transport, TransportError};
use ecs_password::api::http::{HttpRequest, HttpResponse};
use ecs_password::api::request::Endpoint;
use ecs_password::signin::{
    AppCredential, Factor, Name, Scope, Secret, SignInFlow, SignedIn, Step, UserRef,
};
use ecs_password::ErrorCode;

/// How long one identity request may take.
const TIMEOUT_MS: u64 = 30_000;

fn send(transport: &mut impl Transport, request: &HttpRequest) -> Result<HttpResponse, CliError> {
    transport.send(request, TIMEOUT_MS).map_err(|e| match e {
        TransportError::Timeout => CliError::new(
            ErrorCode::Timeout.as_str(),
            format!(
                "The identity service at {} did not answer within 30 seconds.",
                request.url.origin().ascii_serialization()
            ),
        ),
        TransportError::Network(detail) => CliError::new(
            ErrorCode::NetworkError.as_str(),
            format!(
                "The identity service at {} could not be reached: {}. Check auth_url.",
                request.url.origin().ascii_serialization(),
                crate::output::printable(&detail)
            ),
        ),
    })
}

fn domain(config: &CloudConfig, prefix: &str) -> Option<Name> {
    config
        .get(&format!("{prefix}domain_id"))
        .map(|d| Name::Id(d.to_owned()))
        .or_else(|| {
            config
                .get(&format!("{prefix}domain_name"))
                .map(|d| Name::Name(d.to_owned()))
        })
}

/// The user: `user_id`, or `username` in `user_domain_*` (else `domain_*`, else the `default`
/// domain, as python-openstackclient's `--os-default-domain` does).
fn user(config: &CloudConfig) -> Option<UserRef> {
    if let Some(id) = config.get("user_id") {
        return Some(UserRef::Id(id.to_owned()));
    }
    let name = config.get("username")?;
    Some(UserRef::Name {
        name: name.to_owned(),
        domain: domain(config, "user_")
            .or_else(|| domain(config, ""))
            .unwrap_or_else(|| Name::Id("default".into())),
    })
}

fn secret(config: &CloudConfig, key: &str) -> Option<Secret> {
    config.get(key).map(|v| Secret::new(v.to_owned()))
}

fn ask(prompt: &str) -> Result<Option<Secret>, CliError> {
    if !input::can_prompt() {
        return Ok(None);
    }
    rpassword::prompt_password(prompt)
        .map(|v| Some(Secret::new(v)))
        .map_err(|e| CliError::unreadable("answer", std::path::Path::new("the terminal"), &e))
}

fn missing(what: &str, key: &str, config: &CloudConfig) -> CliError {
    CliError::usage(format!(
        "Signing in to {} needs {what}: set auth.{key} in clouds.yaml (or secure.yaml), or the matching OS_ variable.",
        config.name.as_deref().unwrap_or("the cloud")
    ))
}

/// The factors `auth_type` (default `password`) calls for.
fn factors(config: &CloudConfig) -> Result<Vec<Factor>, CliError> {
    let auth_type = config.auth_type.as_deref().unwrap_or_else(|| {
        if config.get("application_credential_secret").is_some() {
            "v3applicationcredential"
        } else if config.get("token").is_some() && config.get("password").is_none() {
            "v3token"
        } else {
            "password"
        }
    });
    let who = || user(config).ok_or_else(|| missing("a user", "username", config));
    let password = || -> Result<Secret, CliError> {
        match secret(config, "password") {
            Some(p) => Ok(p),
            None => ask("Password: ")?.ok_or_else(|| missing("a password", "password", config)),
        }
    };
    let passcode = || -> Result<Secret, CliError> {
        match secret(config, "passcode") {
            Some(p) => Ok(p),
            None => ask("TOTP code: ")?.ok_or_else(mfa_required),
        }
    };
    Ok(match auth_type.trim_start_matches("v3") {
        "password" => {
            let mut list = vec![Factor::Password {
                user: who()?,
                password: password()?,
            }];
            // A passcode given up front: password and virtual MFA in one request (Huawei IAM).
            if let Some(passcode) = secret(config, "passcode") {
                list.push(Factor::Totp {
                    user: who()?,
                    passcode,
                });
            }
            list
        }
        "multifactor" => vec![
            Factor::Password {
                user: who()?,
                password: password()?,
            },
            Factor::Totp {
                user: who()?,
                passcode: passcode()?,
            },
        ],
        "totp" => vec![Factor::Totp {
            user: who()?,
            passcode: passcode()?,
        }],
        "token" => vec![Factor::Token(
            secret(config, "token").ok_or_else(|| missing("a token", "token", config))?,
        )],
        "applicationcredential" => {
            let credential = match (config.get("application_credential_id"), config.get("application_credential_name")) {
                (Some(id), _) => AppCredential::Id(id.to_owned()),
                (None, Some(name)) => AppCredential::Name {
                    name: name.to_owned(),
                    user: who()?,
                },
                (None, None) => return Err(missing("an application credential", "application_credential_id", config)),
            };
            vec![Factor::ApplicationCredential {
                credential,
                secret: secret(config, "application_credential_secret")
                    .ok_or_else(|| missing("the application credential's secret", "application_credential_secret", config))?,
            }]
        }
        other => {
            return Err(CliError::usage(format!(
                "auth_type \"{}\" is not one ecs-password signs in with: use password, v3multifactor, v3totp, token or v3applicationcredential.",
                crate::output::printable(other)
            )))
        }
    })
}

fn mfa_required() -> CliError {
    CliError::new(
        ErrorCode::MfaRequired.as_str(),
        "Signing in needs the code of your MFA device: run on a terminal to be asked for it, or set OS_PASSCODE (auth.passcode) to the current code.".into(),
    )
}

fn scope(config: &CloudConfig) -> Scope {
    if let Some(id) = config.get("project_id") {
        return Scope::ProjectId(id.to_owned());
    }
    if let Some(name) = config.get("project_name") {
        return Scope::ProjectName {
            name: name.to_owned(),
            domain: domain(config, "project_")
                .or_else(|| domain(config, "user_"))
                .or_else(|| domain(config, "")),
        };
    }
    if config.get("system_scope").is_some() {
        return Scope::System;
    }
    match domain(config, "") {
        Some(d) => Scope::Domain(d),
        None => Scope::Default,
    }
}

/// Signs in as `config` says, driving the core's [`SignInFlow`]: answers a receipt with a TOTP
/// code (asked on the terminal, or `passcode`); for a token without a project, takes the only
/// project the user has, or lists them to choose from with `--os-project-name`.
pub fn sign_in(config: &CloudConfig, transport: &mut impl Transport) -> Result<SignedIn, CliError> {
    let auth_url = Endpoint::parse(config.get("auth_url").unwrap_or_default())?;
    let factors = factors(config)?;
    let (mut flow, first) = SignInFlow::start(auth_url, &factors, scope(config), None)?;
    drop(factors);
    let mut request = first;
    loop {
        let answer = send(transport, &request)?;
        request = match flow.after(&answer)? {
            Step::Send(next) => *next,
            Step::NeedPasscode => {
                let passcode = match secret(config, "passcode") {
                    Some(p) => p,
                    None => ask("TOTP code: ")?.ok_or_else(mfa_required)?,
                };
                flow.passcode(passcode)?
            }
            Step::ChooseProject(projects) => {
                let names: Vec<String> = projects
                    .iter()
                    .map(|p| crate::output::printable(&p.name))
                    .collect();
                return Err(CliError::new(
                    ErrorCode::ProjectNotFound.as_str(),
                    format!(
                        "The token has no project: name one with --os-project-name (or OS_PROJECT_NAME, auth.project_name). The user's projects: {}.",
                        names.join(", ")
                    ),
                ));
            }
            Step::Done(token) => return Ok(*token),
        };
    }
}
