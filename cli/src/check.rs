//! `ecs-password check`: may this user make this password API request? IAM grants for Huawei
//! Cloud and Open Telekom Cloud, or Nova roles and policy for plain OpenStack.
//!
//! Exit status: 0 allowed, 2 denied, 1 error (bad input, or a request not in the table).

use crate::input::read_text_file;
use crate::output::{CliError, Output};
use clap::Args;
use ecs_password::message::{render, Lang};
use ecs_password::permission::{check_permission, AccessRequest, Decision, Grants, Verdict};
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `check`.
#[derive(Args)]
pub struct CheckArgs {
    /// The request, e.g. "GET /v1/<project>/cloudservers/<server>/os-server-password".
    #[arg(long, value_name = "\"METHOD PATH\"")]
    pub request: String,
    /// IAM: a grants file, {"grants": [{"policy": NAME | {...}, "scope": {"project": ID} | {"enterpriseProject": ID}}]}.
    #[arg(
        long,
        value_name = "FILE",
        required_unless_present = "openstack_roles",
        conflicts_with = "openstack_roles"
    )]
    grants: Option<PathBuf>,
    /// IAM: the server's enterprise project id.
    #[arg(long, value_name = "ID", requires = "grants")]
    server_enterprise_project: Option<String>,
    /// IAM: the region, for instance-level resources.
    #[arg(long, value_name = "REGION", requires = "grants")]
    region: Option<String>,
    /// IAM: the account (domain) id, for instance-level resources.
    #[arg(long, value_name = "ID", requires = "grants")]
    domain_id: Option<String>,
    /// IAM: a condition key's value (repeatable; repeat a key for several values). g:CurrentTime defaults to now.
    #[arg(long, value_name = "KEY=VALUE", requires = "grants")]
    context: Vec<String>,
    /// OpenStack: the roles in the token, comma-separated (e.g. reader,member).
    #[arg(long, value_name = "ROLES", value_delimiter = ',', requires_all = ["token_project", "server_project"])]
    pub openstack_roles: Option<Vec<String>>,
    /// OpenStack: the project the token is scoped to.
    #[arg(long, value_name = "ID")]
    pub token_project: Option<String>,
    /// OpenStack: the project the server belongs to.
    #[arg(long, value_name = "ID")]
    pub server_project: Option<String>,
    /// OpenStack: the operator's policy.yaml or policy.json overriding Nova's defaults.
    #[arg(long, value_name = "FILE", requires = "openstack_roles")]
    pub policy_file: Option<PathBuf>,
    /// OpenStack: whose defaults: 2025.2 (Nova 32+, the default), 2023.1 (Nova 27 to 31) or
    /// legacy (Nova 20 and older, admin_or_owner); other release names map to these.
    #[arg(long, value_name = "RELEASE", requires = "openstack_roles", value_parser = parse_release)]
    pub nova_release: Option<ecs_password::permission::NovaRelease>,
    /// OpenStack: Nova runs with [oslo_policy] enforce_new_defaults = False (deprecated defaults
    /// are or-ed in).
    #[arg(long, requires = "openstack_roles")]
    pub old_defaults_too: bool,
    /// Print JSON: the decision with "decision", "reason", "explanation" (English), and the
    /// explanation's "messageId" and "args".
    #[arg(long)]
    pub json: bool,
}

fn parse_release(name: &str) -> Result<ecs_password::permission::NovaRelease, String> {
    ecs_password::permission::NovaRelease::parse(name).ok_or_else(|| {
        format!("unknown Nova release `{name}`: give 2025.2, 2023.1 or legacy (or a release name such as 2024.1 or train)")
    })
}

pub fn run(args: &CheckArgs, out: &Output) -> ExitCode {
    let result = if args.openstack_roles.is_some() {
        crate::check_nova::run(args)
    } else {
        run_iam(args)
    };
    match result {
        Ok(Answer::Iam(decision)) => print_iam(&decision, out),
        Ok(Answer::Nova(json, allowed, text)) => print(out, &json, allowed, &text),
        Err(e) => out.fail(&e),
    }
}

/// A decision of either engine, ready to print.
pub enum Answer {
    Iam(Decision),
    /// JSON, allowed, human text.
    Nova(serde_json::Value, bool, String),
}

fn run_iam(args: &CheckArgs) -> Result<Answer, CliError> {
    let Some(path) = &args.grants else {
        return Err(CliError::usage(
            "Give --grants FILE (IAM) or --openstack-roles (OpenStack).".into(),
        ));
    };
    let grants = Grants::parse(&read_text_file(path, "grants")?)?;
    let mut request = AccessRequest {
        server_enterprise_project: args.server_enterprise_project.clone(),
        region: args.region.clone(),
        domain_id: args.domain_id.clone(),
        ..AccessRequest::default()
    };
    for pair in &args.context {
        request
            .context
            .insert_pair(pair)
            .ok_or_else(|| CliError::usage(format!("--context {pair}: expected KEY=VALUE")))?;
    }
    if let Ok(now) =
        time::OffsetDateTime::now_utc().format(&time::format_description::well_known::Rfc3339)
    {
        request.context.insert_default("g:CurrentTime", &now);
    }
    let (method, path) = split_request(&args.request)?;
    Ok(Answer::Iam(check_permission(
        &grants, method, path, &request,
    )?))
}

/// `"GET /path"` into its method and path.
pub fn split_request(request: &str) -> Result<(&str, &str), CliError> {
    ecs_password::permission::split_request(request).ok_or_else(|| {
        CliError::usage(format!("--request \"{request}\": expected \"METHOD PATH\""))
    })
}

fn print_iam(d: &Decision, out: &Output) -> ExitCode {
    let json = decision_json(d);
    let text = format!(
        "Decision: {} ({})\nRow {}: {} needs {}\n{}",
        json["decision"].as_str().unwrap_or_default(),
        json["reason"].as_str().unwrap_or_default(),
        d.row,
        json["family"].as_str().unwrap_or_default(),
        d.action,
        json["explanation"].as_str().unwrap_or_default(),
    );
    print(out, &json, d.decision == Verdict::Allow, &text)
}

/// The decision in JSON as errors are: `explanation` (and each note) rendered in English, the
/// explanation's `messageId` and `args` beside it for other languages and for programs.
fn decision_json(d: &Decision) -> serde_json::Value {
    let mut json = serde_json::to_value(d).unwrap_or_default();
    json["explanation"] = render(&d.explanation, Lang::En).into();
    json["messageId"] = d.explanation.id.into();
    json["args"] = serde_json::to_value(&d.explanation)
        .map(|m| m["args"].clone())
        .unwrap_or_default();
    json["notes"] = d
        .notes
        .iter()
        .map(|n| render(n, Lang::En))
        .collect::<Vec<_>>()
        .into();
    json
}

fn print(out: &Output, json: &serde_json::Value, allowed: bool, text: &str) -> ExitCode {
    let status = if allowed {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    };
    out.either(json, text, status)
}
