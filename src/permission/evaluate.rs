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
use super::table::{kps_row, lookup, row_for, ApiFamily, KpsOperation, Operation, TableRow};
use crate::error::raw;
use crate::error::{Error, Result};
use crate::message::Message;
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
        let value: Value = serde_json::from_str(json).map_err(|e| {
            Error::grants_invalid(Message::new("detail-not-json").with("detail", e.to_string()))
        })?;
        Grants::from_value(&value)
    }

    /// Validates an already-parsed grants document.
    pub fn from_value(value: &Value) -> Result<Grants> {
        let items = value
            .get("grants")
            .and_then(Value::as_array)
            .ok_or_else(|| Error::grants_invalid(Message::new("grants-detail-top-level")))?;
        let mut grants = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let n = i + 1;
            let at = |why: Message| {
                Error::grants_invalid(
                    Message::new("grants-detail-at")
                        .with("n", n)
                        .with("detail", why),
                )
            };
            let (name, system, policy) = match item.get("policy") {
                Some(Value::String(name)) => {
                    let (canonical, policy) = system_policy(name).ok_or_else(|| {
                        at(Message::new("grants-detail-unknown-policy")
                            .with("name", name)
                            .with(
                                "known",
                                super::system::system_policy_names()
                                    .collect::<Vec<_>>()
                                    .join(", "),
                            ))
                    })?;
                    (canonical.to_owned(), true, policy)
                }
                Some(policy @ Value::Object(_)) => {
                    let policy = Policy::validate(policy).map_err(|why| {
                        Error::policy_invalid(
                            Message::new("grants-detail-at")
                                .with("n", n)
                                .with("detail", raw(why)),
                        )
                    })?;
                    let name = item
                        .get("name")
                        .and_then(Value::as_str)
                        .map_or_else(|| format!("custom policy {n}"), str::to_owned);
                    (name, false, policy)
                }
                _ => return Err(at(Message::new("grants-detail-policy"))),
            };
            let scope = match item.get("scope") {
                Some(scope) => match (
                    scope.get("project").and_then(Value::as_str),
                    scope.get("enterpriseProject").and_then(Value::as_str),
                ) {
                    (Some(p), None) if !p.is_empty() => Scope::Project(p.to_owned()),
                    (None, Some(e)) if !e.is_empty() => Scope::EnterpriseProject(e.to_owned()),
                    _ => return Err(at(Message::new("grants-detail-scope"))),
                },
                None => {
                    return Err(at(
                        Message::new("answer-field-missing").with("field", "scope")
                    ))
                }
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

/// What one action needs of the grants: the action and its other names, the request it is for (in
/// messages), and which scopes and resources may grant it. Each row of the documented table and
/// each action of a KPS request is evaluated as one.
struct Need<'a> {
    action: &'a str,
    aliases: &'a [&'a str],
    /// `METHOD /path/template`, as messages name the request.
    api: String,
    /// Authorization through an enterprise project is supported.
    enterprise_project: bool,
    /// What to do instead when it is not, in English and Chinese (may be empty).
    enterprise_project_hint: (&'static str, &'static str),
    /// The instance resource, where instance-level authorization is supported; without it only
    /// a statement for every resource applies.
    instance: Option<String>,
    /// The policy a denial suggests, in English and Chinese.
    example: (String, String),
}

impl Need<'_> {
    fn actions(&self) -> impl Iterator<Item = &str> + '_ {
        core::iter::once(self.action).chain(self.aliases.iter().copied())
    }
}

/// One action's verdict, why, and the notes on what did not apply.
struct Outcome {
    decision: Verdict,
    reason: Reason,
    deciding: Option<DecidingStatement>,
    explanation: String,
    explanation_zh: String,
    notes: Notes,
}

fn need_for_row(row: &TableRow, server_id: &str, request: &AccessRequest) -> Need<'static> {
    let resource = format!(
        "ecs:{}:{}:instance:{server_id}",
        request.region.as_deref().unwrap_or("?"),
        request.domain_id.as_deref().unwrap_or("?")
    );
    Need {
        action: row.action,
        aliases: row.aliases,
        api: format!("{} {}", row.method.as_str(), row.path),
        enterprise_project: row.enterprise_project,
        enterprise_project_hint: (" (use the v1 API)", "（请使用 v1 接口）"),
        instance: row.instance_resources.then_some(resource),
        example: (
            " (for example ECS FullAccess)".into(),
            "（例如 ECS FullAccess）".into(),
        ),
    }
}

fn decide(
    grants: &Grants,
    row: &'static TableRow,
    project_id: &str,
    server_id: &str,
    request: &AccessRequest,
) -> Decision {
    let outcome = evaluate(
        grants,
        &need_for_row(row, server_id, request),
        project_id,
        request,
    );
    Decision {
        decision: outcome.decision,
        reason: outcome.reason,
        row: row.number,
        action: row.action,
        family: row.family,
        operation: row.operation,
        deciding: outcome.deciding,
        explanation: outcome.explanation,
        explanation_zh: outcome.explanation_zh,
        notes: outcome.notes.en,
        notes_zh: outcome.notes.zh,
    }
}

/// Evaluates one action for a request in `project_id`: an explicit Deny that matches wins, else
/// any matching Allow allows, else it is denied implicitly.
fn evaluate(grants: &Grants, need: &Need, project_id: &str, request: &AccessRequest) -> Outcome {
    let mut notes = Notes {
        en: Vec::new(),
        zh: Vec::new(),
    };
    let mut allow: Option<DecidingStatement> = None;
    let mut deny: Option<DecidingStatement> = None;
    let mut context = request.context.clone();
    context.insert_default("g:ProjectId", project_id);
    if let Some(ep) = &request.server_enterprise_project {
        context.insert_default("g:EnterpriseProjectId", ep);
    }

    for grant in &grants.0 {
        if !grant_applies(grant, grants, need, project_id, request, &mut notes) {
            continue;
        }
        for (i, statement) in grant.policy.statements.iter().enumerate() {
            let Some(action) =
                statement_matches(statement, need, &context, &grant.name, i + 1, &mut notes)
            else {
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
    let api = &need.api;
    let action = need.action;
    let (explanation, explanation_zh) = match (&deciding, reason) {
        (Some(d), Reason::Allow) => {
            let (scope, scope_zh) = scope_text(&d.scope);
            let alias = if d.action != action {
                format!(" (the newer name of {action})")
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
                    format!("None of your policies (\"{names}\") includes {action}."),
                    format!("您的策略（“{names}”）均不包含 {action}。"),
                )
            } else {
                (notes.en.join(" "), notes.zh.join(""))
            };
            let (example, example_zh) = &need.example;
            (
                format!(
                    "Denied: no policy allows {action} for {api}. {why} Ask your administrator for a policy that allows {action}{example} in this project."
                ),
                format!("拒绝：没有任何策略为 {api} 授予 {action}。{why_zh}请联系管理员在此项目中授予包含 {action} 的策略{example_zh}。"),
            )
        }
    };
    Outcome {
        decision,
        reason,
        deciding,
        explanation,
        explanation_zh,
        notes,
    }
}

/// Whether a grant's scope and dependencies let it speak for this request; notes why not.
fn grant_applies(
    grant: &Grant,
    grants: &Grants,
    need: &Need,
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
            if !need.enterprise_project {
                let api = &need.api;
                let (hint, hint_zh) = need.enterprise_project_hint;
                notes.add(
                    format!(
                        "\"{name}\" is granted through enterprise project {e}, and {api} does not support enterprise projects{hint}."
                    ),
                    format!("“{name}”通过企业项目 {e} 授予，而 {api} 不支持企业项目授权{hint_zh}。"),
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
    need: &Need,
    context: &RequestContext,
    policy: &str,
    number: usize,
    notes: &mut Notes,
) -> Option<String> {
    let action = need
        .actions()
        .find(|a| statement.actions.iter().any(|p| action_matches(p, a)))?;
    if let Some(resources) = &statement.resources {
        let covered = match &need.instance {
            Some(resource) => resources.iter().any(|p| resource_matches(p, resource)),
            // Without resource-level authorization only a statement for every resource applies.
            None => resources
                .iter()
                .any(|p| p == "*" || p.split(':').skip(1).all(|s| s == "*")),
        };
        if !covered {
            let api = &need.api;
            let (en, zh) = match &need.instance {
                Some(resource) => (
                    format!("\"{policy}\" statement {number} matches {action} but only for other resources than {resource}."),
                    format!("“{policy}”第 {number} 条语句匹配 {action}，但仅限于 {resource} 以外的资源。"),
                ),
                None => (
                    format!("\"{policy}\" statement {number} matches {action} but names resources, and {api} does not support resource-level authorization."),
                    format!("“{policy}”第 {number} 条语句匹配 {action}，但指定了资源，而 {api} 不支持资源级授权。"),
                ),
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

/// One action a KPS request needs, decided.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ActionDecision {
    /// The action.
    pub action: &'static str,
    /// Whether it is a dependency of the request's own action.
    pub dependency: bool,
    /// Allow or deny.
    pub decision: Verdict,
    /// Why.
    pub reason: Reason,
    /// The statement that decided (none for an implicit deny).
    pub deciding: Option<DecidingStatement>,
    /// The explanation, in English.
    pub explanation: String,
    /// The explanation, in Chinese.
    pub explanation_zh: String,
    /// Why grants or statements did not apply, in English.
    pub notes: Vec<String>,
    /// The same notes in Chinese.
    pub notes_zh: Vec<String>,
}

/// Whether a KPS request (a key pair's details, or exporting a hosted private key) is allowed:
/// its own action and every action it depends on must be, in the project.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct KpsDecision {
    /// Allow only when every action is allowed.
    pub decision: Verdict,
    /// `allow`; `explicit-deny` when a statement denies one of the actions; else `implicit-deny`.
    pub reason: Reason,
    /// The operation.
    pub operation: KpsOperation,
    /// The concrete request, e.g. `POST /v3/<project>/keypairs/private-key/export`.
    pub request: String,
    /// The key pair it is about.
    pub key_pair: String,
    /// Every action it needs, its own first, then its dependencies.
    pub actions: Vec<ActionDecision>,
    /// The actions that are not allowed (empty when the request is).
    pub missing: Vec<&'static str>,
    /// The explanation, in English.
    pub explanation: String,
    /// The explanation, in Chinese.
    pub explanation_zh: String,
}

/// Decides a KPS request about `key_pair` in `project_id` for a user with `grants`: the request's
/// action (`kps:domainKeypairs:exportpk` for an export, or its identity-policy name) and each of
/// its dependencies (`kms:cmk:decryptDataKey`), each evaluated as the ECS rows are. KPS is
/// authorized through IAM projects: grants through enterprise projects, and statements that name
/// resources, do not apply (said in the notes).
pub fn check_kps(
    grants: &Grants,
    operation: KpsOperation,
    project_id: &str,
    key_pair: &str,
    request: &AccessRequest,
) -> KpsDecision {
    let row = kps_row(operation);
    let required: Vec<&'static str> = row.required().collect();
    let list = required.join(", ");
    let actions: Vec<ActionDecision> = required
        .iter()
        .enumerate()
        .map(|(i, &action)| {
            let need = Need {
                action,
                aliases: if i == 0 { row.aliases } else { &[] },
                api: format!("{} {}", row.method.as_str(), row.path),
                enterprise_project: false,
                enterprise_project_hint: ("", ""),
                instance: None,
                example: (
                    format!(" (for example a custom policy whose Action lists {list})"),
                    format!("（例如 Action 中列出 {list} 的自定义策略）"),
                ),
            };
            let outcome = evaluate(grants, &need, project_id, request);
            ActionDecision {
                action,
                dependency: i > 0,
                decision: outcome.decision,
                reason: outcome.reason,
                deciding: outcome.deciding,
                explanation: outcome.explanation,
                explanation_zh: outcome.explanation_zh,
                notes: outcome.notes.en,
                notes_zh: outcome.notes.zh,
            }
        })
        .collect();
    let missing: Vec<&'static str> = actions
        .iter()
        .filter(|a| a.decision == Verdict::Deny)
        .map(|a| a.action)
        .collect();
    let reason = if missing.is_empty() {
        Reason::Allow
    } else if actions.iter().any(|a| a.reason == Reason::ExplicitDeny) {
        Reason::ExplicitDeny
    } else {
        Reason::ImplicitDeny
    };
    let (what, what_zh) = match operation {
        KpsOperation::Details => (
            format!("reading the details of key pair \"{key_pair}\""),
            format!("读取密钥对“{key_pair}”的详细信息"),
        ),
        KpsOperation::Export => (
            format!("exporting the hosted private key of key pair \"{key_pair}\""),
            format!("导出密钥对“{key_pair}”的托管私钥"),
        ),
        KpsOperation::BatchExport => (
            format!("exporting hosted private keys in a batch (\"{key_pair}\")"),
            format!("批量导出托管私钥（“{key_pair}”）"),
        ),
    };
    let (needs, needs_zh) = match row.dependencies {
        [] => (row.action.to_owned(), row.action.to_owned()),
        deps => (
            format!("{} and its dependency {}", row.action, deps.join(", ")),
            format!("{} 及其依赖的授权项 {}", row.action, deps.join("、")),
        ),
    };
    let (explanation, explanation_zh) = if missing.is_empty() {
        let by: Vec<String> = actions
            .iter()
            .filter_map(|a| {
                a.deciding.as_ref().map(|d| {
                    format!(
                        "{} by \"{}\" (statement {})",
                        a.action, d.policy, d.statement
                    )
                })
            })
            .collect();
        let by_zh: Vec<String> = actions
            .iter()
            .filter_map(|a| {
                a.deciding.as_ref().map(|d| {
                    format!(
                        "“{}”（第 {} 条语句）允许 {}",
                        d.policy, d.statement, a.action
                    )
                })
            })
            .collect();
        (
            format!(
                "Allowed: {what} needs {needs}; your policies allow each: {}.",
                by.join("; ")
            ),
            format!(
                "允许：{what_zh}需要 {needs_zh}；您的策略均已允许：{}。",
                by_zh.join("；")
            ),
        )
    } else {
        let why: Vec<&str> = actions
            .iter()
            .filter(|a| a.decision == Verdict::Deny)
            .map(|a| a.explanation.as_str())
            .collect();
        let why_zh: Vec<&str> = actions
            .iter()
            .filter(|a| a.decision == Verdict::Deny)
            .map(|a| a.explanation_zh.as_str())
            .collect();
        let missing_list = missing.join(", ");
        (
            format!(
                "Denied: {what} needs {needs}, and {missing_list} {} not allowed. {}",
                if missing.len() == 1 { "is" } else { "are" },
                why.join(" ")
            ),
            format!(
                "拒绝：{what_zh}需要 {needs_zh}，而 {} 未被允许。{}",
                missing.join("、"),
                why_zh.join("")
            ),
        )
    };
    KpsDecision {
        decision: if missing.is_empty() {
            Verdict::Allow
        } else {
            Verdict::Deny
        },
        reason,
        operation,
        request: format!(
            "{} {}",
            row.method.as_str(),
            row.path
                .replace("{project_id}", project_id)
                .replace("{keypair_name}", key_pair)
        ),
        key_pair: key_pair.to_owned(),
        actions,
        missing,
        explanation,
        explanation_zh,
    }
}
