//! `ecs-password check --openstack-roles ...`: Nova's policy for plain OpenStack.

use crate::check::{split_request, Answer, CheckArgs};
use crate::input::read_text_file;
use crate::output::CliError;
use ecs_password::permission::{
    check_nova_request, NovaConfig, NovaCredentials, NovaPolicy, NovaTarget, Verdict,
};

pub fn run(args: &CheckArgs) -> Result<Answer, CliError> {
    let (method, path) = split_request(&args.request)?;
    let config = NovaConfig {
        release: args.nova_release.unwrap_or_default(),
        enforce_new_defaults: !args.old_defaults_too,
    };
    let text = match &args.policy_file {
        Some(file) => Some(read_text_file(file, "policy file")?),
        None => None,
    };
    let policy = NovaPolicy::load(text.as_deref(), config).map_err(ecs_password::Error::from)?;
    let credentials = NovaCredentials {
        roles: args
            .openstack_roles
            .clone()
            .unwrap_or_default()
            .into_iter()
            .map(|r| r.trim().to_owned())
            .filter(|r| !r.is_empty())
            .collect(),
        project_id: args.token_project.clone().unwrap_or_default(),
        ..NovaCredentials::default()
    };
    let target = NovaTarget {
        project_id: args.server_project.clone().unwrap_or_default(),
        ..NovaTarget::default()
    };
    let d = check_nova_request(&policy, method, path, &credentials, &target)?;
    let allowed = d.decision == Verdict::Allow;
    let text = format!(
        "Decision: {}\nNova: {}\nRule: {} = {}{}\n{}\n{}",
        if allowed { "allow" } else { "deny" },
        d.release.covers(),
        d.rule,
        d.expression,
        if d.overridden {
            " (overridden by the policy file)"
        } else {
            ""
        },
        d.explanation,
        d.explanation_zh
    );
    Ok(Answer::Nova(
        serde_json::to_value(&d).unwrap_or_default(),
        allowed,
        text,
    ))
}
