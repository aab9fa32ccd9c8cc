//! `ecs-password check --openstack-roles ...`: Nova's policy for plain OpenStack.

use crate::check::{split_request, Answer, CheckArgs};
use crate::input::read_text_file;
use crate::output::CliError;
use ecs_password::permission::{
    check_nova_request, NovaCredentials, NovaPolicy, NovaTarget, Verdict,
};

pub fn run(args: &CheckArgs) -> Result<Answer, CliError> {
    let (method, path) = split_request(&args.request)?;
    let policy = match &args.policy_file {
        Some(file) => NovaPolicy::parse(&read_text_file(file, "policy file")?)
            .map_err(ecs_password::Error::from)?,
        None => NovaPolicy::defaults(),
    };
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
        "Decision: {}\nRule: {} = {}{}\n{}\n{}",
        if allowed { "allow" } else { "deny" },
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
