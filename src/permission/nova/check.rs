//! The entry point, [`check_nova`]: what Nova does with one request for a server's password, in
//! its order: the server lookup (another project's server is not found), oslo.policy's scope
//! check, then the rule, evaluated and explained. Also the two operations and the verdict.

use super::evaluate::{effective_roles, Evaluator, NovaCredentials, NovaTarget, View};
use super::explain::{add_notes, explain, lookup_refusal, scope_refusal, Facts};
use super::file::{validate, NovaPolicy, NovaPolicyError, Origin, PolicyRule};
use super::release::{self, NovaRelease};
use super::rule::{render, Expr};

/// The two Nova password operations.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NovaOperation {
    /// `GET /servers/{server_id}/os-server-password`: read the encrypted password.
    Show,
    /// `DELETE /servers/{server_id}/os-server-password`: erase it from the metadata service.
    Clear,
}

impl NovaOperation {
    /// Both operations, show first.
    pub const ALL: [NovaOperation; 2] = [NovaOperation::Show, NovaOperation::Clear];

    /// The oslo.policy rule name Nova checks, e.g. `os_compute_api:os-server-password:show`.
    pub const fn rule_name(self) -> &'static str {
        match self {
            NovaOperation::Show => "os_compute_api:os-server-password:show",
            NovaOperation::Clear => "os_compute_api:os-server-password:clear",
        }
    }

    /// Nova's default for [`rule_name`](Self::rule_name) today, by reference to its base rules:
    /// readers (show) or members (clear) of the server's project, or admins.
    pub const fn default_rule(self) -> &'static str {
        match self {
            NovaOperation::Show => "rule:project_reader_or_admin",
            NovaOperation::Clear => "rule:project_member_or_admin",
        }
    }

    /// The rule name Nova checks in `release` (one shared name in Legacy).
    pub const fn rule_name_in(self, release: NovaRelease) -> &'static str {
        let [show, clear] = release::password_rules(release);
        match self {
            NovaOperation::Show => show,
            NovaOperation::Clear => clear,
        }
    }
}

/// The verdict of [`check_nova`], with the reasons.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NovaDecision {
    /// Whether Nova lets this token perform the operation on this server.
    pub allowed: bool,
    /// The rule name checked, e.g. `os_compute_api:os-server-password:show`.
    pub rule: String,
    /// The rule's expression in effect, re-rendered canonically (`""` for the empty rule).
    pub expression: String,
    /// True when the operator's policy file replaced Nova's default for this rule.
    pub overridden: bool,
    /// The token's roles after Keystone's implications, lowercase and sorted.
    pub effective_roles: Vec<String>,
    /// What Nova computed for the context's `is_admin` (the `context_is_admin` rule).
    pub is_admin: bool,
    /// The Nova release whose defaults were used.
    pub release: NovaRelease,
    /// Why, in English.
    pub explanation_en: String,
    /// Why, in Simplified Chinese.
    pub explanation_zh: String,
}

/// Decides whether `credentials` may perform `operation` on the server `target` under `policy`,
/// and explains why: Nova's lookup of the server, oslo.policy's scope check, then the rule.
///
/// Errors when the rule (or a rule it refers to, `context_is_admin` included) is part of a
/// `rule:` cycle, nests deeper than 32 levels, or uses an `http:` check; a reference to an
/// undefined rule is not an error (oslo.policy fails closed, and the explanation says so).
pub fn check_nova(
    policy: &NovaPolicy,
    operation: NovaOperation,
    credentials: &NovaCredentials,
    target: &NovaTarget,
) -> Result<NovaDecision, NovaPolicyError> {
    let release = policy.config.release;
    let name = operation.rule_name_in(release);
    let never = PolicyRule {
        expr: Expr::Never,
        origin: Origin::Default,
        bare_bang: false,
    };
    let rule = policy.rules.get(name).unwrap_or(&never);
    validate(policy, name)?;
    let expression = render(&rule.expr);
    let mut evaluator = Evaluator::new(policy, credentials, target, View::Server);
    let is_admin = evaluator.is_admin()?.unwrap_or(false);
    let effective = effective_roles(&credentials.roles);
    let facts = Facts {
        credentials,
        assigned: &credentials.roles,
        effective: &effective,
        token_project: &credentials.project_id,
        server_project: &target.project_id,
    };

    let refusal = lookup_refusal(credentials, &target.project_id, is_admin).or_else(|| {
        release
            .project_scoped()
            .then(|| scope_refusal(credentials, &target.project_id))
            .flatten()
    });
    let (allowed, mut explanation_en, mut explanation_zh) = match refusal {
        Some((en, zh)) => (false, en, zh),
        None => {
            let allowed = evaluator.eval(&rule.expr)?;
            let terms = evaluator.dnf(&rule.expr, false)?;
            let (en, zh) = explain(allowed, terms.as_deref(), &expression, &facts);
            (allowed, en, zh)
        }
    };
    add_notes(rule, name, &mut explanation_en, &mut explanation_zh);
    Ok(NovaDecision {
        allowed,
        rule: name.to_owned(),
        expression,
        overridden: matches!(rule.origin, Origin::File | Origin::Deprecated(_)),
        effective_roles: effective,
        is_admin,
        release,
        explanation_en,
        explanation_zh,
    })
}
