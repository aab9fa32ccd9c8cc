//! `ecs-password check --openstack-roles ...`: Nova's policy for plain OpenStack.

use crate::check::{split_request, Answer, CheckArgs};
use crate::input::read_text_file;
use crate::output::CliError;
use ecs_password::message::{render, Lang};
use ecs_password::permission::{
    check_nova_request, NovaConfig, NovaCredentials, NovaPolicy, NovaTarget,
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
    let allowed = d.allowed();
    let explanation = render(&d.explanation, Lang::En);
    let text = format!(
        "Decision: {}\nNova: {}\nRule: {} = {}{}\n{explanation}",
        if allowed { "allow" } else { "deny" },
        d.release.covers(),
        d.rule,
        d.expression,
        if d.overridden {
            " (overridden by the policy file)"
        } else {
            ""
        },
    );
    // As the errors' JSON: the rendered text, then the message as data (`messageId`, `args`).
    let mut json = serde_json::to_value(&d).unwrap_or_default();
    if let Some(fields) = json.as_object_mut() {
        if let Some(serde_json::Value::Object(message)) = fields.remove("explanation") {
            fields.insert("explanation".into(), explanation.into());
            fields.extend(message);
        }
    }
    Ok(Answer::Nova(json, allowed, text))
}
