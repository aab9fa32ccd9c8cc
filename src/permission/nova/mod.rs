//! May a plain OpenStack user show or clear a server's password under Nova's policy, and why?
//!
//! Nova guards `GET` and `DELETE /servers/{server_id}/os-server-password` with two oslo.policy
//! rules, [`rule_name`] of `route::Operation::Get` and `Clear`. [`check_nova`] evaluates one of
//! them for one token against one server, with the defaults of a Nova release ([`NovaRelease`],
//! today's by default) and the operator's `policy.yaml` / `policy.json` overrides
//! ([`NovaPolicy::load`]), and explains the verdict as a message (`nova-*` in the catalogues), in
//! words the user can act on ("ask an administrator for the member role in project …").
//!
//! # What is modelled, and how (sources: openstack/nova, openstack/oslo.policy, oslo.context)
//!
//! * **Files** are read as oslo.policy reads them, with `yaml.safe_load` (JSON being a subset):
//!   see the `yaml` module. Strings are the policy language, lists oslo.policy's list-of-lists
//!   form (`[]` is the empty rule, "allow everyone"), null the empty rule.
//! * **Rule language** (oslo_policy/_parser.py, _checks.py): `role:NAME`, generic checks
//!   `FIELD:%(KEY)s`, `FIELD:literal` and `'literal':%(KEY)s`, `rule:NAME`, `and`, `or`, `not`,
//!   parentheses, `@`, `!` and the empty rule. Precedence is `not` > `and` > `or`; the keywords are
//!   case-insensitive, the check kinds case-sensitive (`Role:admin` is a generic check on a
//!   credential field named `Role`). `is_admin:` is Nova's own `IsAdminCheck` (nova/policy.py):
//!   true when the context's `is_admin` equals `match.lower() == 'true'`, without substitution.
//!   A `rule:` to an undefined rule evaluates the rule named `default` when the file defines one
//!   (oslo.policy's `policy_default_rule`), and is false otherwise.
//! * **Defaults** are registered as Nova registers them, by reference to its base rules
//!   (`rule:project_reader_or_admin`, ...), with their deprecated rules handled as oslo.policy's
//!   `Enforcer._handle_deprecated_rule` does: an override of the deprecated name
//!   (`os_compute_api:os-server-password`, `rule:admin_or_owner`, `rule:admin_api`) replaces the
//!   new default unless the new name is overridden too; with `enforce_new_defaults=False` the
//!   deprecated check is or-ed in.
//! * **Strict parsing**: where oslo.policy logs "Failed to understand rule" and silently denies
//!   everyone, or crashes, [`NovaPolicy::load`] returns an error naming the rule and the line.
//! * **Credentials** are Nova's `RequestContext.to_policy_values()`: oslo.context's fields (unset
//!   ones are `None`, which a generic check compares as the text `None`), `roles` as Keystone puts
//!   them in the token (with the roles they imply, see [`IMPLIED_ROLES`]), `is_admin_project` True,
//!   and `is_admin`, which Nova computes when it builds the context: the `context_is_admin` rule
//!   evaluated with the token's own project and user as the target, while `is_admin` is still
//!   `None` (nova/context.py, nova/policy.py `check_is_admin`).
//! * **Lookup**: Nova loads the server before it checks the rule, and for a non-admin token with
//!   a project the database query only finds servers of that project (nova/db/main/api.py
//!   `model_query(project_only=True)`, `nova.context.is_user_context`): another project's server
//!   is "not found" (404) whatever the policy says.
//! * **Scope**: the rules have `scope_types=['project']` and oslo.policy enforces scope, so a
//!   system- or domain-scoped token is denied before the rule is looked at (not in Legacy).
//! * **Safety**: `rule:` cycles, nesting deeper than 32 levels and `http:` checks (which would call
//!   a remote server) are reported as errors; evaluation is memoised and never recurses without
//!   bound.
//!
//! # The parts
//!
//! * `rule`: the rule language: the parsed form of a check string, its parser and its canonical
//!   rendering.
//! * `file`: the policy in effect ([`NovaPolicy`], [`NovaConfig`], [`NovaPolicyError`]): the
//!   operator's file (read by `yaml`) over the defaults of a release (`release`), `rule:` lookup,
//!   and validation (cycles, depth, remote checks).
//! * `evaluate`: evaluation ([`NovaCredentials`], [`NovaTarget`], [`IMPLIED_ROLES`]): roles,
//!   credential values, targets, `is_admin`, each check.
//! * `alternatives`: the rule as alternatives of plain checks, each with its truth.
//! * `explain`: each verdict's reasons as messages (the words are in the catalogues).
//! * `check`: the entry point, [`check_nova`] ([`rule_name`], [`NovaDecision`]): the lookup,
//!   the scope, the rule, the explanation.
//! * `release`: Nova's registered defaults per release ([`NovaRelease`]); `yaml`: policy files
//!   read as PyYAML's `safe_load` reads them.

mod alternatives;
mod check;
mod evaluate;
mod explain;
mod file;
mod release;
mod rule;
mod yaml;

pub use check::{check_nova, default_rule, rule_name, rule_name_in, NovaDecision, OPERATIONS};
pub use evaluate::{NovaCredentials, NovaTarget, IMPLIED_ROLES};
pub use file::{NovaConfig, NovaPolicy, NovaPolicyError};
pub use release::NovaRelease;

#[cfg(test)]
mod tests;
