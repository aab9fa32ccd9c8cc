//! The permission engine: which IAM action each password API needs (the documented table), IAM
//! policy evaluation against a user's grants, and Nova's policy for plain OpenStack, each decision
//! explained in English and Chinese. Pure: no I/O.

mod condition;
mod context;
mod evaluate;
// NOVA pub mod nova;
mod pattern;
mod policy;
mod system;
mod table;

pub use condition::{Comparison, Condition, Qualifier};
pub use context::RequestContext;
pub use evaluate::{
    check_permission, explain_access, AccessRequest, DecidingStatement, Decision, FamilyAccess, Grant, Grants, OperationAccess, Reason,
    Scope, Verdict,
};
pub use policy::{Effect, Policy, PolicyVersion, Statement};
pub use system::{system_policy, system_policy_names};
pub use table::{lookup, row_for, ApiFamily, MatchedRequest, Method, Operation, TableRow, TABLE};
