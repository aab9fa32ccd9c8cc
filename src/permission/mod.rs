//! The permission engine: which IAM action each password API needs (the documented table), IAM
//! policy evaluation against a user's grants, and Nova's policy for plain OpenStack, each decision
//! explained in English and Chinese. Pure: no I/O.

mod condition;
mod context;
mod evaluate;
pub mod nova;
mod pattern;
mod policy;
mod system;
mod table;

pub use condition::{Comparison, Condition, Qualifier};
pub use context::RequestContext;
pub use evaluate::{
    check_kps, check_permission, explain_access, AccessRequest, ActionDecision, DecidingStatement,
    Decision, FamilyAccess, Grant, Grants, KpsDecision, OperationAccess, Reason, Scope, Verdict,
};
pub use policy::{Effect, Policy, PolicyVersion, Statement};
pub use system::{system_policy, system_policy_names};
pub use table::{
    kps_row, lookup, row_for, split_request, ApiFamily, KpsOperation, KpsRow, MatchedRequest,
    Method, Operation, TableRow, KPS_TABLE, TABLE,
};

pub use nova::{
    check_nova, NovaConfig, NovaCredentials, NovaDecision, NovaOperation, NovaPolicy,
    NovaPolicyError, NovaRelease, NovaTarget,
};

impl From<NovaPolicyError> for crate::Error {
    fn from(e: NovaPolicyError) -> Self {
        crate::Error::policy_invalid(crate::error::raw(e.to_string()))
    }
}

/// The Nova operation of a request: `GET` or `DELETE` on `.../servers/{server_id}/os-server-password`
/// (with or without a project id in the path, under any endpoint prefix). `NOT_IN_TABLE` otherwise.
pub fn nova_operation(method: &str, path: &str) -> crate::Result<NovaOperation> {
    use crate::route::{Resource, Route};
    match Route::parse_nova(method, path).map(|r| r.resource) {
        Some(Resource::Password(Operation::Get, _)) => Ok(NovaOperation::Show),
        Some(Resource::Password(Operation::Clear, _)) => Ok(NovaOperation::Clear),
        _ => Err(crate::Error::not_in_table(method, path)),
    }
}

/// A Nova decision shaped like an IAM [`Decision`]: `decision`, `reason` and `explanation` first.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NovaCheck {
    /// Allow or deny.
    pub decision: Verdict,
    /// `allow`, or `implicit-deny` (Nova's rules have no explicit deny).
    pub reason: Reason,
    /// Show or clear.
    pub operation: NovaOperation,
    /// The rule name checked.
    pub rule: String,
    /// The expression in effect.
    pub expression: String,
    /// Whether the operator's file replaced the default.
    pub overridden: bool,
    /// The token's roles after Keystone's implications.
    pub effective_roles: Vec<String>,
    /// What Nova computed for the context's `is_admin` (the `context_is_admin` rule).
    pub is_admin: bool,
    /// The Nova release whose defaults were used (`legacy`, `2023.1`, `2025.2`).
    pub release: NovaRelease,
    /// Why, in English.
    pub explanation: String,
    /// Why, in Chinese.
    pub explanation_zh: String,
}

/// Decides a Nova request (`GET`/`DELETE .../servers/{id}/os-server-password`) for a token.
pub fn check_nova_request(
    policy: &NovaPolicy,
    method: &str,
    path: &str,
    credentials: &NovaCredentials,
    target: &NovaTarget,
) -> crate::Result<NovaCheck> {
    let operation = nova_operation(method, path)?;
    let d = check_nova(policy, operation, credentials, target)?;
    Ok(NovaCheck {
        decision: if d.allowed {
            Verdict::Allow
        } else {
            Verdict::Deny
        },
        reason: if d.allowed {
            Reason::Allow
        } else {
            Reason::ImplicitDeny
        },
        operation,
        rule: d.rule,
        expression: d.expression,
        overridden: d.overridden,
        effective_roles: d.effective_roles,
        is_admin: d.is_admin,
        release: d.release,
        explanation: d.explanation_en,
        explanation_zh: d.explanation_zh,
    })
}
