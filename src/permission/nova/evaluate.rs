//! Evaluation as Nova and oslo.policy do it: the token's roles with Keystone's implied roles, the
//! credential values of Nova's `to_policy_values()`, the target's `%(key)s` values (the server's
//! project, or in Legacy the token's own), Nova's `is_admin` (the `context_is_admin` rule), and
//! each check, short-circuiting left to right and memoised per rule.

use super::alternatives::Term;
use super::file::{validate, NovaPolicy, NovaPolicyError};
use super::rule::{Expr, Kind, Template};
use std::collections::HashMap;

/// The rule Nova evaluates to fill the `is_admin` credential.
const CONTEXT_IS_ADMIN: &str = "context_is_admin";

/// Keystone's implied roles as `keystone-manage bootstrap` creates them today
/// (keystone/cmd/bootstrap.py, since Keystone 24.0.0 / 2023.2): each role and the role it implies.
pub const IMPLIED_ROLES: [(&str, &str); 3] = [
    ("admin", "manager"),
    ("manager", "member"),
    ("member", "reader"),
];

/// What the user's Keystone token says about them (oslo.context's policy values).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct NovaCredentials {
    /// The role names on the token, as assigned (implied roles are added by
    /// [`check_nova`](super::check_nova)).
    pub roles: Vec<String>,
    /// The project the token is scoped to; empty for a token with no project scope.
    pub project_id: String,
    /// The user's ID, for rules such as `user_id:%(user_id)s`.
    pub user_id: Option<String>,
    /// The domain the token is scoped to, for a domain-scoped token (which has no project).
    pub domain_id: Option<String>,
    /// `all` for a system-scoped token.
    pub system_scope: Option<String>,
}

/// The server the password belongs to, as Nova describes it to the policy engine.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct NovaTarget {
    /// The project that owns the server.
    pub project_id: String,
    /// The user who created the server, when known. (Nova itself sends only the project for
    /// these two rules, so leave this `None` to model Nova exactly.)
    pub user_id: Option<String>,
}

/// The roles Keystone puts in the token: the assigned ones as written, then those they imply
/// (by lowercase name) that are not there yet.
pub(super) fn token_roles(roles: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for role in roles.iter().map(|r| r.trim()).filter(|r| !r.is_empty()) {
        if !out.iter().any(|o| o.to_lowercase() == role.to_lowercase()) {
            out.push(role.to_owned());
        }
    }
    let mut index = 0;
    while let Some(role) = out.get(index) {
        let lower = role.to_lowercase();
        for (from, to) in IMPLIED_ROLES {
            if lower == from && !out.iter().any(|o| o.to_lowercase() == to) {
                out.push(to.to_owned());
            }
        }
        index += 1;
    }
    out
}

/// The token's roles plus everything they imply, lowercase, sorted, without duplicates.
pub(super) fn effective_roles(roles: &[String]) -> Vec<String> {
    let mut set: Vec<String> = token_roles(roles)
        .iter()
        .map(|r| r.to_lowercase())
        .collect();
    set.sort();
    set.dedup();
    set
}

/// The assigned role that implies `role`, when the token has `role` only through implication.
pub(super) fn implied_by(role: &str, assigned: &[String]) -> Option<String> {
    let assigned: Vec<String> = assigned.iter().map(|r| r.trim().to_lowercase()).collect();
    if assigned.iter().any(|a| a == role) {
        return None;
    }
    let mut current = role.to_owned();
    for _ in 0..IMPLIED_ROLES.len() {
        let Some((from, _)) = IMPLIED_ROLES.iter().find(|(_, to)| *to == current) else {
            break;
        };
        if assigned.iter().any(|a| a == from) {
            return Some((*from).to_owned());
        }
        current = (*from).to_owned();
    }
    None
}

/// Where `%(key)s` values come from.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum View {
    /// The password rule's target: the server's project (or, in Legacy, the token's own project
    /// and user: `default_target(context)`).
    Server,
    /// The target of `context_is_admin` while Nova computes `is_admin`: the token's own project
    /// and user (`default_target(context)`), with `is_admin` still `None`.
    Credentials,
}

/// A credential value as oslo.policy's generic check compares it: `str()` of a scalar (`None`,
/// `True`), or each element of a list.
#[derive(Clone, Debug)]
enum Value {
    One(String),
    Many(Vec<String>),
}

/// `str()` of an optional string: Python prints a missing value as `None`.
fn py_str(value: Option<&str>) -> String {
    value.unwrap_or("None").to_owned()
}

pub(super) fn non_empty(value: Option<&str>) -> Option<&str> {
    value.filter(|v| !v.is_empty())
}

pub(super) struct Evaluator<'a> {
    pub(super) policy: &'a NovaPolicy,
    credentials: &'a NovaCredentials,
    target: &'a NovaTarget,
    /// The roles in the token (assigned and implied), as Keystone writes them.
    token_roles: Vec<String>,
    pub(super) view: View,
    memo: HashMap<String, bool>,
    pub(super) dnf_memo: HashMap<(String, bool), Option<Vec<Term>>>,
    is_admin: Option<bool>,
}

impl<'a> Evaluator<'a> {
    pub(super) fn new(
        policy: &'a NovaPolicy,
        credentials: &'a NovaCredentials,
        target: &'a NovaTarget,
        view: View,
    ) -> Self {
        Evaluator {
            policy,
            credentials,
            target,
            token_roles: token_roles(&credentials.roles),
            view,
            memo: HashMap::new(),
            dnf_memo: HashMap::new(),
            is_admin: None,
        }
    }

    fn token_project(&self) -> Option<&str> {
        non_empty(Some(&self.credentials.project_id))
    }

    /// The target's value for `%(key)s`, as `str()` of it; `None` when the target lacks the key.
    fn target_value(&self, key: &str) -> Option<String> {
        let own_target =
            self.view == View::Credentials || !self.policy.config.release.targets_the_server();
        if own_target {
            return match key {
                "project_id" => Some(py_str(self.token_project())),
                "user_id" => Some(py_str(non_empty(self.credentials.user_id.as_deref()))),
                _ => None,
            };
        }
        match key {
            "project_id" => Some(self.target.project_id.clone()),
            "user_id" => self.target.user_id.clone(),
            _ => None,
        }
    }

    pub(super) fn resolve(&self, template: &Template) -> Option<String> {
        template.resolve(|key| self.target_value(key))
    }

    /// `is_admin`, as Nova computes it: the `context_is_admin` rule with the token's own project
    /// and user as the target. `None` while it is being computed.
    pub(super) fn is_admin(&mut self) -> Result<Option<bool>, NovaPolicyError> {
        if let View::Credentials = self.view {
            return Ok(None);
        }
        if let Some(known) = self.is_admin {
            return Ok(Some(known));
        }
        validate(self.policy, CONTEXT_IS_ADMIN)?;
        let mut inner = Evaluator::new(
            self.policy,
            self.credentials,
            self.target,
            View::Credentials,
        );
        let value = inner.eval_rule(CONTEXT_IS_ADMIN)?;
        self.is_admin = Some(value);
        Ok(Some(value))
    }

    /// The credential's value for a generic check's field; `None` when the credentials lack it.
    fn credential_value(&self, field: &str) -> Option<Value> {
        let c = self.credentials;
        let scalar = |v: Option<&str>| Some(Value::One(py_str(non_empty(v))));
        match field {
            "roles" => Some(Value::Many(self.token_roles.clone())),
            "service_roles" => Some(Value::Many(Vec::new())),
            "project_id" => scalar(Some(&c.project_id)),
            "user_id" => scalar(c.user_id.as_deref()),
            "domain_id" => scalar(c.domain_id.as_deref()),
            "system_scope" => scalar(c.system_scope.as_deref()),
            // `enforce` copies a set system_scope to `system`; otherwise the key is absent.
            "system" => non_empty(c.system_scope.as_deref()).map(|s| Value::One(s.to_owned())),
            "is_admin_project" => Some(Value::One("True".to_owned())),
            "user_domain_id"
            | "project_domain_id"
            | "service_user_id"
            | "service_user_domain_id"
            | "service_project_id"
            | "service_project_domain_id" => scalar(None),
            _ => None,
        }
    }

    fn has_role(&self, name: &str) -> bool {
        let name = name.to_lowercase();
        self.token_roles.iter().any(|r| r.to_lowercase() == name)
    }

    /// The truth of an expression, short-circuiting left to right as oslo.policy does.
    pub(super) fn eval(&mut self, expr: &Expr) -> Result<bool, NovaPolicyError> {
        Ok(match expr {
            Expr::Always | Expr::Empty => true,
            Expr::Never => false,
            Expr::Role(template) => self
                .resolve(template)
                .is_some_and(|name| self.has_role(&name)),
            Expr::IsAdmin { expected, .. } => self.is_admin()? == Some(*expected),
            Expr::Generic { kind, matched } => {
                let Some(expected) = self.resolve(matched) else {
                    return Ok(false);
                };
                match kind {
                    Kind::Literal { value, .. } => *value == expected,
                    Kind::Field(field) if field == "is_admin" => {
                        let value = match self.is_admin()? {
                            Some(true) => "True",
                            Some(false) => "False",
                            None => "None",
                        };
                        value == expected
                    }
                    Kind::Field(field) => match self.credential_value(field) {
                        Some(Value::One(value)) => value == expected,
                        Some(Value::Many(values)) => values.contains(&expected),
                        None => false,
                    },
                }
            }
            Expr::Rule(name) => self.eval_rule(name)?,
            Expr::Remote(raw) => {
                return Err(NovaPolicyError::new(
                    None,
                    crate::message::Message::new("nova-policy-remote").with("check", raw.as_str()),
                ))
            }
            Expr::Not(inner) => !self.eval(inner)?,
            Expr::And(items) => {
                for item in items {
                    if !self.eval(item)? {
                        return Ok(false);
                    }
                }
                true
            }
            Expr::Or(items) => {
                for item in items {
                    if self.eval(item)? {
                        return Ok(true);
                    }
                }
                false
            }
        })
    }

    fn eval_rule(&mut self, name: &str) -> Result<bool, NovaPolicyError> {
        let policy = self.policy;
        let Some((resolved, rule)) = policy.lookup(name) else {
            return Ok(false);
        };
        if let Some(&known) = self.memo.get(resolved) {
            return Ok(known);
        }
        let value = self.eval(&rule.expr)?;
        self.memo.insert(resolved.to_owned(), value);
        Ok(value)
    }
}
