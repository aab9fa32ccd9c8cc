//! Deciding one request against a user's grants, and the question users really ask: which password
//! operations may I perform on this server, through which API?
//!
//! Evaluation (IAM user guide, "Policy Syntax": authentication process): an explicit Deny that matches wins; else any matching Allow
//! allows; else the request is denied implicitly. A grant applies only within its scope: its
//! project, or servers of its enterprise project for rows that support enterprise projects. A role
//! whose `Depends` are not granted in the same scope grants nothing.

use super::context::RequestContext;
use super::pattern::{action_matches, resource_matches};
use super::policy::{Effect, Policy, Statement};
use super::system::system_policy;
use super::table::{lookup, row_for, ApiFamily, Operation, TableRow};
use crate::error::{Error, Result};
use serde::Serialize;
use serde_json::Value;

/// Where a grant applies.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Scope {
    /// An IAM project (region project) id.
    Project(String),
    /// An enterprise project id.
    EnterpriseProject(String),
}

/// A policy attached to the user (through a group) in a scope.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Grant {
    /// The system policy's name, or the custom policy's `name` (or "custom policy N").
    pub name: String,
    /// Whether it is a built-in system policy or role.
    pub system: bool,
    /// The policy.
    pub policy: Policy,
    /// Where it applies.
    pub scope: Scope,
}

/// A user's grants, as in a grants file: `{"grants": [{"policy": ..., "scope": ...}]}`.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Grants(pub Vec<Grant>);

impl Grants {
    /// Parses a grants document (JSON text).
    pub fn parse(json: &str) -> Result<Grants> {
        let value: Value = serde_json::from_str(json)
            .map_err(|e| Error::grants_invalid(&format!("it is not valid JSON ({e})")))?;
        Grants::from_value(&value)
    }

    /// Validates an already-parsed grants document.
    pub fn from_value(value: &Value) -> Result<Grants> {
        let items = value
            .get("grants")
            .and_then(Value::as_array)
            .ok_or_else(|| {
                Error::grants_invalid("the top level must be an object with a \"grants\" array")
            })?;
        let mut grants = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let n = i + 1;
            let at = |why: &str| Error::grants_invalid(&format!("grant {n}: {why}"));
            let (name, system, policy) = match item.get("policy") {
                Some(Value::String(name)) => {
                    let (canonical, policy) = system_policy(name).ok_or_else(|| {
                        at(&format!(
                            "\"{name}\" is not a system policy this tool knows ({})",
                            super::system::system_policy_names()
                                .collect::<Vec<_>>()
                                .join(", ")
                        ))
                    })?;
                    (canonical.to_owned(), true, policy)
                }
                Some(policy @ Value::Object(_)) => {
                    let policy = Policy::validate(policy)
                        .map_err(|why| Error::policy_invalid(&format!("grant {n}: {why}")))?;
                    let name = item
                        .get("name")
                        .and_then(Value::as_str)
                        .map_or_else(|| format!("custom policy {n}"), str::to_owned);
                    (name, false, policy)
                }
                _ => {
                    return Err(at(
                        "\"policy\" must be a system policy name or a policy object",
                    ))
                }
            };
            let scope = match item.get("scope") {
                Some(scope) => match (scope.get("project").and_then(Value::as_str), scope.get("enterpriseProject").and_then(Value::as_str)) {
                    (Some(p), None) if !p.is_empty() => Scope::Project(p.to_owned()),
                    (None, Some(e)) if !e.is_empty() => Scope::EnterpriseProject(e.to_owned()),
                    _ => return Err(at("\"scope\" must be {\"project\": \"<id>\"} or {\"enterpriseProject\": \"<id>\"}")),
                },
                None => return Err(at("\"scope\" is missing")),
            };
            grants.push(Grant {
                name,
                system,
                policy,
                scope,
            });
        }
        Ok(Grants(grants))
    }
}

/// What is asked: a request in the table, about one server.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AccessRequest {
    /// The server's enterprise project id, if known (grants through enterprise projects need it).
    pub server_enterprise_project: Option<String>,
    /// The region, for instance-level resources (`ecs:<region>:...`); unknown if `None`.
    pub region: Option<String>,
    /// The account (domain) id, for instance-level resources; unknown if `None`.
    pub domain_id: Option<String>,
    /// Condition keys.
    pub context: RequestContext,
}

/// Allow or deny.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// The request is allowed.
    Allow,
    /// The request is denied.
    Deny,
}

/// Why.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Reason {
    /// A statement allows it and none denies it.
    Allow,
    /// A statement denies it.
    ExplicitDeny,
    /// Nothing allows it.
    ImplicitDeny,
}

/// The statement that decided.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DecidingStatement {
    /// The grant's policy name.
    pub policy: String,
    /// Statement number in the policy, from 1.
    pub statement: usize,
    /// The action name it matched (the documented one or its alias).
    pub action: String,
    /// The grant's scope.
    pub scope: Scope,
}

/// A decision with its explanation in English and Chinese.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Decision {
    /// Allow or deny.
    pub decision: Verdict,
    /// Why.
    pub reason: Reason,
    /// The table row (1-9).
    pub row: u8,
    /// The documented action the row needs.
    pub action: &'static str,
    /// The API family.
    pub family: ApiFamily,
    /// The operation.
    pub operation: Operation,
    /// The statement that decided (none for an implicit deny).
    pub deciding: Option<DecidingStatement>,
    /// The explanation, in English.
    pub explanation: String,
    /// The explanation, in Chinese.
    pub explanation_zh: String,
    /// Why grants or statements did not apply, in English (each also in `notes_zh`).
    pub notes: Vec<String>,
    /// The same notes in Chinese.
    pub notes_zh: Vec<String>,
}

/// Decides `METHOD PATH` (ids filled in) for a user with `grants`. `NOT_IN_TABLE` for any other request.
pub fn check_permission(
    grants: &Grants,
    method: &str,
    path: &str,
    request: &AccessRequest,
) -> Result<Decision> {
    let matched = lookup(method, path).ok_or_else(|| Error::not_in_table(method, path))?;
    Ok(decide(
        grants,
        matched.row,
        &matched.project_id,
        &matched.server_id,
        request,
    ))
}

struct Notes {
    en: Vec<String>,
    zh: Vec<String>,
}

impl Notes {
    fn add(&mut self, en: String, zh: String) {
        self.en.push(en);
        self.zh.push(zh);
    }
}

fn scope_text(scope: &Scope) -> (String, String) {
    match scope {
        Scope::Project(p) => (format!("project {p}"), format!("项目 {p}")),
        Scope::EnterpriseProject(e) => (format!("enterprise project {e}"), format!("企业项目 {e}")),
    }
}

fn decide(
    grants: &Grants,
    row: &'static TableRow,
    project_id: &str,
    server_id: &str,
    request: &AccessRequest,
) -> Decision {
    let mut notes = Notes {
        en: Vec::new(),
        zh: Vec::new(),
    };
    let mut allow: Option<DecidingStatement> = None;
    let mut deny: Option<DecidingStatement> = None;
    let resource = format!(
        "ecs:{}:{}:instance:{server_id}",
        request.region.as_deref().unwrap_or("?"),
        request.domain_id.as_deref().unwrap_or("?")
    );
    let mut context = request.context.clone();
    context.insert_default("g:ProjectId", project_id);
    if let Some(ep) = &request.server_enterprise_project {
        context.insert_default("g:EnterpriseProjectId", ep);
    }

    for grant in &grants.0 {
        if !grant_applies(grant, grants, row, project_id, request, &mut notes) {
            continue;
        }
        for (i, statement) in grant.policy.statements.iter().enumerate() {
            let Some(action) = statement_matches(
                statement,
                row,
                &resource,
                &context,
                &grant.name,
                i + 1,
                &mut notes,
            ) else {
                continue;
            };
            let found = DecidingStatement {
                policy: grant.name.clone(),
                statement: i + 1,
                action,
                scope: grant.scope.clone(),
            };
            match statement.effect {
                Effect::Deny => deny = deny.or(Some(found)),
                Effect::Allow => allow = allow.or(Some(found)),
            }
        }
    }

    let (decision, reason, deciding) = match (deny, allow) {
        (Some(d), _) => (Verdict::Deny, Reason::ExplicitDeny, Some(d)),
        (None, Some(a)) => (Verdict::Allow, Reason::Allow, Some(a)),
        (None, None) => (Verdict::Deny, Reason::ImplicitDeny, None),
    };
    let api = format!("{} {}", row.method.as_str(), row.path);
    let (explanation, explanation_zh) = match (&deciding, reason) {
        (Some(d), Reason::Allow) => {
            let (scope, scope_zh) = scope_text(&d.scope);
            let alias = if d.action != row.action {
                format!(" (the newer name of {})", row.action)
            } else {
                String::new()
            };
            (
                format!("Allowed: \"{}\" (statement {}), granted in {scope}, allows {}{alias}, which {api} needs.", d.policy, d.statement, d.action),
                format!("允许：在{scope_zh}中授予的“{}”（第 {} 条语句）允许 {}，这正是 {api} 所需的授权项。", d.policy, d.statement, d.action),
            )
        }
        (Some(d), _) => {
            let (scope, scope_zh) = scope_text(&d.scope);
            (
                format!(
                    "Denied: \"{}\" (statement {}), granted in {scope}, explicitly denies {}. An explicit Deny overrides every Allow: \
                     ask your administrator to remove or narrow that statement.",
                    d.policy, d.statement, d.action
                ),
                format!("拒绝：在{scope_zh}中授予的“{}”（第 {} 条语句）显式拒绝了 {}。显式拒绝优先于任何允许：请联系管理员删除或收窄该语句。", d.policy, d.statement, d.action),
            )
        }
        (None, _) => {
            let names: Vec<&str> = grants.0.iter().map(|g| g.name.as_str()).collect();
            let (why, why_zh) = if names.is_empty() {
                (
                    "You have no policies.".to_owned(),
                    "您没有任何策略。".to_owned(),
                )
            } else if notes.en.is_empty() {
                let names = names.join("\", \"");
                (
                    format!(
                        "None of your policies (\"{names}\") includes {}.",
                        row.action
                    ),
                    format!("您的策略（“{names}”）均不包含 {}。", row.action),
                )
            } else {
                (notes.en.join(" "), notes.zh.join(""))
            };
            (
                format!(
                    "Denied: no policy allows {} for {api}. {why} Ask your administrator for a policy that allows {} \
                     (for example ECS FullAccess) in this project.",
                    row.action, row.action
                ),
                format!("拒绝：没有任何策略为 {api} 授予 {}。{why_zh}请联系管理员在此项目中授予包含 {} 的策略（例如 ECS FullAccess）。", row.action, row.action),
            )
        }
    };
    Decision {
        decision,
        reason,
        row: row.number,
        action: row.action,
        family: row.family,
        operation: row.operation,
        deciding,
        explanation,
        explanation_zh,
        notes: notes.en,
        notes_zh: notes.zh,
    }
}

/// Whether a grant's scope and dependencies let it speak for this request; notes why not.
fn grant_applies(
    grant: &Grant,
    grants: &Grants,
    row: &TableRow,
    project_id: &str,
    request: &AccessRequest,
    notes: &mut Notes,
) -> bool {
    let name = &grant.name;
    match &grant.scope {
        Scope::Project(p) if p != project_id => {
            notes.add(
                format!("\"{name}\" is granted in project {p}, not in the request's project {project_id}."),
                format!("“{name}”授予在项目 {p}，而不是请求所在的项目 {project_id}。"),
            );
            return false;
        }
        Scope::Project(_) => {}
        Scope::EnterpriseProject(e) => {
            if !row.enterprise_project {
                notes.add(
                    format!(
                        "\"{name}\" is granted through enterprise project {e}, and {} {} does not support enterprise projects (use the v1 API).",
                        row.method.as_str(),
                        row.path
                    ),
                    format!("“{name}”通过企业项目 {e} 授予，而 {} {} 不支持企业项目授权（请使用 v1 接口）。", row.method.as_str(), row.path),
                );
                return false;
            }
            match &request.server_enterprise_project {
                None => {
                    notes.add(
                        format!("\"{name}\" is granted through enterprise project {e}, and the server's enterprise project is not known."),
                        format!("“{name}”通过企业项目 {e} 授予，但云服务器所属的企业项目未知。"),
                    );
                    return false;
                }
                Some(server_ep) if server_ep != e => {
                    notes.add(
                        format!("\"{name}\" is granted through enterprise project {e}, and the server belongs to enterprise project {server_ep}."),
                        format!("“{name}”通过企业项目 {e} 授予，而云服务器属于企业项目 {server_ep}。"),
                    );
                    return false;
                }
                Some(_) => {}
            }
        }
    }
    for dependency in &grant.policy.depends {
        let granted = grants
            .0
            .iter()
            .any(|g| g.scope == grant.scope && g.name.eq_ignore_ascii_case(dependency));
        if !granted {
            let (scope, scope_zh) = scope_text(&grant.scope);
            notes.add(
                format!("The role \"{name}\" depends on \"{dependency}\", which is not granted in {scope}: it grants nothing until \"{dependency}\" is granted there too."),
                format!("角色“{name}”依赖“{dependency}”，而“{dependency}”未在{scope_zh}中授予：在同时授予之前，该角色不生效。"),
            );
            return false;
        }
    }
    true
}

/// The action name (documented or alias) through which `statement` speaks for the request, if its
/// action, resource and conditions all match; notes near misses.
fn statement_matches(
    statement: &Statement,
    row: &TableRow,
    resource: &str,
    context: &RequestContext,
    policy: &str,
    number: usize,
    notes: &mut Notes,
) -> Option<String> {
    let action = row
        .actions()
        .find(|a| statement.actions.iter().any(|p| action_matches(p, a)))?;
    if let Some(resources) = &statement.resources {
        let covered = if row.instance_resources {
            resources.iter().any(|p| resource_matches(p, resource))
        } else {
            // Without resource-level authorization only a statement for every resource applies.
            resources
                .iter()
                .any(|p| p == "*" || p.split(':').skip(1).all(|s| s == "*"))
        };
        if !covered {
            let (en, zh) = if row.instance_resources {
                (
                    format!("\"{policy}\" statement {number} matches {action} but only for other resources than {resource}."),
                    format!("“{policy}”第 {number} 条语句匹配 {action}，但仅限于 {resource} 以外的资源。"),
                )
            } else {
                (
                    format!("\"{policy}\" statement {number} matches {action} but names resources, and {} {} does not support resource-level authorization.", row.method.as_str(), row.path),
                    format!("“{policy}”第 {number} 条语句匹配 {action}，但指定了资源，而 {} {} 不支持资源级授权。", row.method.as_str(), row.path),
                )
            };
            notes.add(en, zh);
            return None;
        }
    }
    if let Some(failed) = statement.conditions.iter().find(|c| !c.holds(context)) {
        let values = failed.values.join(", ");
        notes.add(
            format!("\"{policy}\" statement {number} matches {action} but its condition {} {} [{values}] does not hold for this request.", failed.operator, failed.key),
            format!("“{policy}”第 {number} 条语句匹配 {action}，但其条件 {} {} [{values}] 对此请求不成立。", failed.operator, failed.key),
        );
        return None;
    }
    Some(action.to_owned())
}

/// One family's answer for an operation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FamilyAccess {
    /// The API family.
    pub family: ApiFamily,
    /// The concrete request, e.g. `GET /v1/p/cloudservers/s/os-server-password`.
    pub request: String,
    /// The decision for it.
    pub decision: Decision,
}

/// What a user may do for one operation, through which families, and which to use.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OperationAccess {
    /// The operation.
    pub operation: Operation,
    /// Allowed through at least one family.
    pub allowed: bool,
    /// The family to use: the first allowed in the order v1, v2.1, v2.
    pub recommended: Option<ApiFamily>,
    /// Every family that has a row for the operation.
    pub families: Vec<FamilyAccess>,
    /// A one-line summary, in English.
    pub explanation: String,
    /// The same in Chinese.
    pub explanation_zh: String,
}

/// For one server: every password operation, every family, and the family to use.
pub fn explain_access(
    grants: &Grants,
    project_id: &str,
    server_id: &str,
    request: &AccessRequest,
) -> Vec<OperationAccess> {
    Operation::ALL
        .iter()
        .map(|&operation| {
            let families: Vec<FamilyAccess> = ApiFamily::PREFERENCE
                .iter()
                .filter_map(|&family| row_for(operation, family))
                .map(|row| FamilyAccess {
                    family: row.family,
                    request: format!(
                        "{} {}",
                        row.method.as_str(),
                        row.path
                            .replace("{project_id}", project_id)
                            .replace("{server_id}", server_id)
                    ),
                    decision: decide(grants, row, project_id, server_id, request),
                })
                .collect();
            let recommended = families
                .iter()
                .find(|f| f.decision.decision == Verdict::Allow)
                .map(|f| f.family);
            let list = |verdict: Verdict| {
                families
                    .iter()
                    .filter(|f| f.decision.decision == verdict)
                    .map(|f| f.family.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let (allowed, denied) = (list(Verdict::Allow), list(Verdict::Deny));
            let (explanation, explanation_zh) = match recommended {
                Some(family) if denied.is_empty() => (
                    format!(
                        "{}: allowed through {allowed}; use {}.",
                        operation.as_str(),
                        family.as_str()
                    ),
                    format!(
                        "{}：可通过 {allowed} 执行；建议使用 {}。",
                        operation.as_str(),
                        family.as_str()
                    ),
                ),
                Some(family) => (
                    format!(
                        "{}: allowed through {allowed}, denied through {denied}; use {}.",
                        operation.as_str(),
                        family.as_str()
                    ),
                    format!(
                        "{}：可通过 {allowed} 执行，{denied} 被拒绝；建议使用 {}。",
                        operation.as_str(),
                        family.as_str()
                    ),
                ),
                None => (
                    format!(
                        "{}: denied through every API ({denied}).",
                        operation.as_str()
                    ),
                    format!("{}：所有接口（{denied}）均被拒绝。", operation.as_str()),
                ),
            };
            OperationAccess {
                operation,
                allowed: recommended.is_some(),
                recommended,
                families,
                explanation,
                explanation_zh,
            }
        })
        .collect()
}
