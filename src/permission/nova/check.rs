//! The entry point, [`check_nova`]: what Nova does with one request for a server's password, in
//! its order: the server lookup (another project's server is not found), oslo.policy's scope
//! check, then the rule, evaluated and explained. Also the rule names of the operations and the
//! verdict.

use super::evaluate::{effective_roles, Evaluator, NovaCredentials, NovaTarget, View};
use super::explain::{explain, lookup_refusal, notes, scope_refusal, sentences, Facts};
use super::file::{validate, NovaPolicy, Origin, PolicyRule};
use super::release::{self, NovaRelease};
use super::rule::{render, Expr};
use crate::error::{Error, ErrorCode};
use crate::message::Message;
use crate::permission::{Reason, Verdict};
use crate::route::Operation;

/// The operations Nova guards with a password rule: `GET` (show) and `DELETE` (clear) on
/// `/servers/{server_id}/os-server-password`. Nova has no reset or reset-flag API.
pub const OPERATIONS: [Operation; 2] = [Operation::Get, Operation::Clear];

/// The oslo.policy rule name Nova checks today, e.g. `os_compute_api:os-server-password:show`;
/// `None` for an operation Nova does not offer.
pub const fn rule_name(operation: Operation) -> Option<&'static str> {
    rule_name_in(operation, NovaRelease::V2025_2)
}

/// Nova's default for [`rule_name`] today, by reference to its base rules: readers (get) or
/// members (clear) of the server's project, or admins.
pub const fn default_rule(operation: Operation) -> Option<&'static str> {
    match operation {
        Operation::Get => Some("rule:project_reader_or_admin"),
        Operation::Clear => Some("rule:project_member_or_admin"),
        Operation::Reset | Operation::ResetFlag => None,
    }
}

/// The rule name Nova checks in `release` (one shared name in Legacy).
pub const fn rule_name_in(operation: Operation, release: NovaRelease) -> Option<&'static str> {
    let [show, clear] = release::password_rules(release);
    match operation {
        Operation::Get => Some(show),
        Operation::Clear => Some(clear),
        Operation::Reset | Operation::ResetFlag => None,
    }
}

/// The verdict of [`check_nova`], shaped like IAM's `Decision`: `decision`, `reason`, then the
/// rule and the explanation.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct NovaDecision {
    /// Whether Nova lets this token perform the operation on this server.
    #[cfg_attr(feature = "typescript", tsify(type = "\"allow\" | \"deny\""))]
    pub decision: Verdict,
    /// `allow`, or `implicit-deny` (Nova's rules have no explicit deny).
    #[cfg_attr(feature = "typescript", tsify(type = "\"allow\" | \"implicit-deny\""))]
    pub reason: Reason,
    /// `get` or `clear`.
    pub operation: Operation,
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
    /// Why: the verdict's reason, what to do, and where the rule comes from (`nova-*` messages).
    #[cfg_attr(feature = "typescript", tsify(type = "MessageData"))]
    pub explanation: Message,
}

impl NovaDecision {
    /// Whether the decision is "allow".
    pub fn allowed(&self) -> bool {
        self.decision == Verdict::Allow
    }
}

/// Decides whether `credentials` may perform `operation` on the server `target` under `policy`,
/// and explains why: Nova's lookup of the server, oslo.policy's scope check, then the rule.
///
/// Errors with `NOT_IN_TABLE` for an operation Nova does not offer (reset), and `POLICY_INVALID`
/// when the rule (or a rule it refers to, `context_is_admin` included) is part of a `rule:`
/// cycle, nests deeper than 32 levels, or uses an `http:` check; a reference to an undefined rule
/// is not an error (oslo.policy fails closed, and the explanation says so).
pub fn check_nova(
    policy: &NovaPolicy,
    operation: Operation,
    credentials: &NovaCredentials,
    target: &NovaTarget,
) -> crate::Result<NovaDecision> {
    let release = policy.config.release;
    let name = rule_name_in(operation, release).ok_or_else(|| {
        Error::new(
            ErrorCode::NotInTable,
            Message::new("nova-no-rule").with("operation", operation.as_str()),
        )
    })?;
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
    let (allowed, mut said) = match refusal {
        Some(refusal) => (false, vec![refusal]),
        None => {
            let allowed = evaluator.eval(&rule.expr)?;
            let terms = evaluator.dnf(&rule.expr, false)?;
            (
                allowed,
                explain(allowed, terms.as_deref(), &expression, &facts),
            )
        }
    };
    said.extend(notes(rule, name));
    Ok(NovaDecision {
        decision: if allowed {
            Verdict::Allow
        } else {
            Verdict::Deny
        },
        reason: if allowed {
            Reason::Allow
        } else {
            Reason::ImplicitDeny
        },
        operation,
        rule: name.to_owned(),
        expression,
        overridden: matches!(rule.origin, Origin::File | Origin::Deprecated(_)),
        effective_roles: effective,
        is_admin,
        release,
        explanation: sentences(said),
    })
}
