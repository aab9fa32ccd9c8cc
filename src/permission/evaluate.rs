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
use crate::error::{Error, Result};
use crate::message::{Arg, Message};
use serde::Serialize;
use serde_json::Value;

/// Where a grant applies.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify))]
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
                                .with("detail", why),
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
#[cfg_attr(feature = "typescript", derive(tsify::Tsify))]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// The request is allowed.
    Allow,
    /// The request is denied.
    Deny,
}

/// Why.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify))]
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
#[cfg_attr(feature = "typescript", derive(tsify::Tsify))]
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

/// A decision and why: `explanation` and `notes` are messages of the catalogues (`iam-*`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify))]
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
    #[cfg_attr(feature = "typescript", tsify(type = "DecidingStatement | null"))]
    pub deciding: Option<DecidingStatement>,
    /// Why: who decided, or what to ask the administrator for.
    #[cfg_attr(feature = "typescript", tsify(type = "MessageData"))]
    pub explanation: Message,
    /// Why grants or statements did not apply (each a clause).
    #[cfg_attr(feature = "typescript", tsify(type = "MessageData[]"))]
    pub notes: Vec<Message>,
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

/// `m` with the scope's kind (`project` / `enterprise-project`, a selector in the catalogues) and id.
fn with_scope(m: Message, scope: &Scope) -> Message {
    match scope {
        Scope::Project(p) => m.with("scope_kind", "project").with("scope", p),
        Scope::EnterpriseProject(e) => m.with("scope_kind", "enterprise-project").with("scope", e),
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
    /// When it is not, the v1 API (which supports it) is the way.
    use_v1_for_enterprise_project: bool,
    /// The instance resource, where instance-level authorization is supported; without it only
    /// a statement for every resource applies.
    instance: Option<String>,
    /// The policy a denial suggests: a system policy's name or a message.
    example: Arg,
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
    explanation: Message,
    notes: Vec<Message>,
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
        use_v1_for_enterprise_project: true,
        instance: row.instance_resources.then_some(resource),
        example: Arg::from("ECS FullAccess"),
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
        notes: outcome.notes,
    }
}

/// Evaluates one action for a request in `project_id`: an explicit Deny that matches wins, else
/// any matching Allow allows, else it is denied implicitly.
fn evaluate(grants: &Grants, need: &Need, project_id: &str, request: &AccessRequest) -> Outcome {
    let mut notes = Vec::new();
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
    let statement = |m: Message, d: &DecidingStatement| {
        with_scope(
            m.with("policy", &d.policy)
                .with("statement", d.statement)
                .with("action", &d.action),
            &d.scope,
        )
    };
    let explanation = match (&deciding, reason) {
        (Some(d), Reason::Allow) if d.action != need.action => {
            statement(Message::new("iam-allow-alias"), d)
                .with("documented", need.action)
                .with("api", &need.api)
        }
        (Some(d), Reason::Allow) => statement(Message::new("iam-allow"), d).with("api", &need.api),
        (Some(d), _) => statement(Message::new("iam-explicit-deny"), d),
        (None, _) => {
            let denied = if grants.0.is_empty() {
                Message::new("iam-implicit-deny-no-policies")
            } else if notes.is_empty() {
                Message::new("iam-implicit-deny-not-included").with(
                    "policies",
                    Arg::all(
                        grants
                            .0
                            .iter()
                            .map(|g| Message::new("iam-policy-name").with("name", &g.name)),
                    ),
                )
            } else {
                Message::new("iam-implicit-deny-not-applicable")
                    .with("notes", Arg::all(notes.iter().cloned()))
            };
            denied
                .with("action", need.action)
                .with("api", &need.api)
                .with("example", need.example.clone())
        }
    };
    Outcome {
        decision,
        reason,
        deciding,
        explanation,
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
    notes: &mut Vec<Message>,
) -> bool {
    let name = &grant.name;
    match &grant.scope {
        Scope::Project(p) if p != project_id => {
            notes.push(
                Message::new("iam-note-other-project")
                    .with("policy", name)
                    .with("granted", p)
                    .with("project", project_id),
            );
            return false;
        }
        Scope::Project(_) => {}
        Scope::EnterpriseProject(e) => {
            let note = |m: Message| m.with("policy", name).with("enterprise_project", e);
            if !need.enterprise_project {
                let m = if need.use_v1_for_enterprise_project {
                    Message::new("iam-note-ep-unsupported-use-v1")
                } else {
                    Message::new("iam-note-ep-unsupported")
                };
                notes.push(note(m).with("api", &need.api));
                return false;
            }
            match &request.server_enterprise_project {
                None => {
                    notes.push(note(Message::new("iam-note-ep-unknown")));
                    return false;
                }
                Some(server_ep) if server_ep != e => {
                    notes.push(
                        note(Message::new("iam-note-ep-other"))
                            .with("server_enterprise_project", server_ep),
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
            notes.push(with_scope(
                Message::new("iam-note-dependency")
                    .with("policy", name)
                    .with("dependency", dependency),
                &grant.scope,
            ));
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
    notes: &mut Vec<Message>,
) -> Option<String> {
    let action = need
        .actions()
        .find(|a| statement.actions.iter().any(|p| action_matches(p, a)))?;
    let near_miss = |m: Message| {
        m.with("policy", policy)
            .with("statement", number)
            .with("action", action)
    };
    if let Some(resources) = &statement.resources {
        let covered = match &need.instance {
            Some(resource) => resources.iter().any(|p| resource_matches(p, resource)),
            // Without resource-level authorization only a statement for every resource applies.
            None => resources
                .iter()
                .any(|p| p == "*" || p.split(':').skip(1).all(|s| s == "*")),
        };
        if !covered {
            notes.push(match &need.instance {
                Some(resource) => {
                    near_miss(Message::new("iam-note-other-resources")).with("resource", resource)
                }
                None => near_miss(Message::new("iam-note-resource-level")).with("api", &need.api),
            });
            return None;
        }
    }
    if let Some(failed) = statement.conditions.iter().find(|c| !c.holds(context)) {
        notes.push(
            near_miss(Message::new("iam-note-condition"))
                .with("operator", &failed.operator)
                .with("key", &failed.key)
                .with("values", failed.values.join(", ")),
        );
        return None;
    }
    Some(action.to_owned())
}

/// One family's answer for an operation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify))]
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
#[cfg_attr(feature = "typescript", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct OperationAccess {
    /// The operation.
    pub operation: Operation,
    /// Allowed through at least one family.
    pub allowed: bool,
    /// The family to use: the first allowed in the order v1, v2.1, v2.
    #[cfg_attr(feature = "typescript", tsify(type = "ApiFamily | null"))]
    pub recommended: Option<ApiFamily>,
    /// Every family that has a row for the operation.
    pub families: Vec<FamilyAccess>,
    /// A one-line summary (`iam-operation-*`).
    #[cfg_attr(feature = "typescript", tsify(type = "MessageData"))]
    pub explanation: Message,
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
                let names: Vec<&str> = families
                    .iter()
                    .filter(|f| f.decision.decision == verdict)
                    .map(|f| f.family.as_str())
                    .collect();
                (!names.is_empty()).then(|| Arg::all(names))
            };
            let explanation = match (recommended, list(Verdict::Allow), list(Verdict::Deny)) {
                (Some(family), Some(allowed), None) => Message::new("iam-operation-allowed")
                    .with("allowed", allowed)
                    .with("recommended", family.as_str()),
                (Some(family), Some(allowed), Some(denied)) => {
                    Message::new("iam-operation-allowed-partly")
                        .with("allowed", allowed)
                        .with("denied", denied)
                        .with("recommended", family.as_str())
                }
                (_, _, denied) => Message::new("iam-operation-denied").with(
                    "denied",
                    denied.unwrap_or_else(|| Arg::all(Vec::<Arg>::new())),
                ),
            }
            .with("operation", operation.as_str());
            OperationAccess {
                operation,
                allowed: recommended.is_some(),
                recommended,
                families,
                explanation,
            }
        })
        .collect()
}

/// One action a KPS request needs, decided.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify))]
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
    #[cfg_attr(feature = "typescript", tsify(type = "DecidingStatement | null"))]
    pub deciding: Option<DecidingStatement>,
    /// Why: who decided, or what to ask the administrator for.
    #[cfg_attr(feature = "typescript", tsify(type = "MessageData"))]
    pub explanation: Message,
    /// Why grants or statements did not apply (each a clause).
    #[cfg_attr(feature = "typescript", tsify(type = "MessageData[]"))]
    pub notes: Vec<Message>,
}

/// Whether a KPS request (a key pair's details, or exporting a hosted private key) is allowed:
/// its own action and every action it depends on must be, in the project.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify))]
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
    /// Why (`kps-allow` / `kps-deny`, the denied actions' explanations inside).
    #[cfg_attr(feature = "typescript", tsify(type = "MessageData"))]
    pub explanation: Message,
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
    let example = Message::new("iam-example-custom-policy")
        .with("actions", Arg::all(required.iter().copied()));
    let actions: Vec<ActionDecision> = required
        .iter()
        .enumerate()
        .map(|(i, &action)| {
            let need = Need {
                action,
                aliases: if i == 0 { row.aliases } else { &[] },
                api: format!("{} {}", row.method.as_str(), row.path),
                enterprise_project: false,
                use_v1_for_enterprise_project: false,
                instance: None,
                example: example.clone().into(),
            };
            let outcome = evaluate(grants, &need, project_id, request);
            ActionDecision {
                action,
                dependency: i > 0,
                decision: outcome.decision,
                reason: outcome.reason,
                deciding: outcome.deciding,
                explanation: outcome.explanation,
                notes: outcome.notes,
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
    let what = match operation {
        KpsOperation::Details => Message::new("kps-what-details"),
        KpsOperation::Export => Message::new("kps-what-export"),
        KpsOperation::BatchExport => Message::new("kps-what-batch-export"),
    }
    .with("key_pair", key_pair);
    let needs: Arg = match row.dependencies {
        [] => row.action.into(),
        deps => Message::new("kps-needs-with-dependencies")
            .with("action", row.action)
            .with("dependencies", Arg::all(deps.iter().copied()))
            .into(),
    };
    // Each denied action's own explanation, in order (an export needs at most two actions).
    let why = actions
        .iter()
        .filter(|a| a.decision == Verdict::Deny)
        .map(|a| a.explanation.clone())
        .reduce(|first, second| {
            Message::new("iam-sentences")
                .with("first", first)
                .with("second", second)
        });
    let explanation = match why {
        None => {
            let by = actions.iter().filter_map(|a| {
                a.deciding.as_ref().map(|d| {
                    Message::new("kps-allowed-by")
                        .with("action", a.action)
                        .with("policy", &d.policy)
                        .with("statement", d.statement)
                })
            });
            Message::new("kps-allow").with("allowed_by", Arg::all(by))
        }
        Some(why) => Message::new("kps-deny")
            .with("missing", Arg::all(missing.iter().copied()))
            .with("count", missing.len())
            .with("why", why),
    }
    .with("what", what)
    .with("needs", needs);
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
    }
}
