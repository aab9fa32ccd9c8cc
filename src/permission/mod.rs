//! The permission engine: which IAM action each password API needs (the documented table), IAM
//! policy evaluation against a user's grants, and Nova's policy for plain OpenStack, each decision
//! explained (Nova's as messages of the catalogues). Pure: no I/O.

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
    check_nova, NovaConfig, NovaCredentials, NovaDecision, NovaPolicy, NovaPolicyError,
    NovaRelease, NovaTarget,
};

impl From<NovaPolicyError> for crate::Error {
    fn from(e: NovaPolicyError) -> Self {
        crate::Error::policy_invalid(e.full())
    }
}

/// The operation of a Nova request: `GET` or `DELETE` on `.../servers/{server_id}/os-server-password`
/// (with or without a project id in the path, under any endpoint prefix). `NOT_IN_TABLE` otherwise.
pub fn nova_operation(method: &str, path: &str) -> crate::Result<Operation> {
    use crate::route::{Resource, Route};
    match Route::parse_nova(method, path).map(|r| r.resource) {
        Some(Resource::Password(operation, _)) if nova::OPERATIONS.contains(&operation) => {
            Ok(operation)
        }
        _ => Err(crate::Error::not_in_table(method, path)),
    }
}

/// Decides a Nova request (`GET`/`DELETE .../servers/{id}/os-server-password`) for a token.
pub fn check_nova_request(
    policy: &NovaPolicy,
    method: &str,
    path: &str,
    credentials: &NovaCredentials,
    target: &NovaTarget,
) -> crate::Result<NovaDecision> {
    check_nova(policy, nova_operation(method, path)?, credentials, target)
}
