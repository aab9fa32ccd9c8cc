//! The reasons: each verdict as a [`Message`] (the words are in the catalogues, section "Nova's
//! policy"), in terms the user can act on ("ask an administrator for the member role in project
//! …"). An allowed request names the alternative that allowed it; a denied one the alternative
//! closest to passing, what is missing and who can fix it. Also the refusals that come before the
//! rule (Nova's lookup of the server, oslo.policy's scope check) and the notes on where the rule
//! in effect comes from.

use super::alternatives::{render_term, Atom, Lit, Term};
use super::evaluate::{implied_by, non_empty, NovaCredentials};
use super::file::{Origin, PolicyRule};
use crate::message::{Arg, Message};

/// Most other alternatives listed after a denial.
const MAX_ALTERNATIVES_SHOWN: usize = 3;

/// Facts the reasons need.
pub(super) struct Facts<'a> {
    pub(super) credentials: &'a NovaCredentials,
    pub(super) assigned: &'a [String],
    pub(super) effective: &'a [String],
    pub(super) token_project: &'a str,
    pub(super) server_project: &'a str,
}

/// An optional part of a sentence: the message, or nothing.
fn optional(part: Option<Message>) -> Arg {
    part.map_or_else(|| Arg::Text(String::new()), Arg::from)
}

/// A project id, or "(unknown)".
fn project(id: &str) -> Arg {
    if id.is_empty() {
        Message::new("nova-project-unknown").into()
    } else {
        id.into()
    }
}

/// Parts of a sentence joined by "; ", as a balanced tree so that nesting stays shallow.
fn clauses(mut parts: Vec<Message>) -> Message {
    join_tree(&mut parts, || Message::new("nova-clauses"))
}

/// Sentences one after the other, as a balanced tree.
pub(super) fn sentences(mut parts: Vec<Message>) -> Message {
    join_tree(&mut parts, || Message::new("nova-sentences"))
}

fn join_tree(parts: &mut Vec<Message>, joiner: fn() -> Message) -> Message {
    match parts.len() {
        0 => Message::new("nova-rule-holds"),
        1 => parts.remove(0),
        n => {
            let mut right = parts.split_off(n / 2);
            let first = join_tree(parts, joiner);
            let next = join_tree(&mut right, joiner);
            joiner().with("first", first).with("next", next)
        }
    }
}

impl Facts<'_> {
    /// "the role reader (implied by member)" / "the roles a and b".
    fn roles(&self, roles: &[String], with_origin: bool) -> Message {
        let named =
            roles.iter().map(
                |r| match implied_by(r, self.assigned).filter(|_| with_origin) {
                    Some(from) => Arg::from(
                        Message::new("nova-role-implied")
                            .with("role", r)
                            .with("from", from),
                    ),
                    None => Arg::from(r),
                },
            );
        Message::new("nova-roles")
            .with("count", roles.len())
            .with("roles", Arg::all(named))
    }

    /// "member and reader" / "拥有 member和reader", or "no roles".
    fn have(&self) -> Message {
        if self.effective.is_empty() {
            Message::new("nova-have-none")
        } else {
            Message::new("nova-have").with("roles", Arg::all(self.effective))
        }
    }

    /// "scoped to project X" / "not scoped to any project".
    fn token_scope(&self) -> Message {
        if self.token_project.is_empty() {
            Message::new("nova-token-unscoped")
        } else {
            Message::new("nova-token-scoped").with("project", self.token_project)
        }
    }
}

/// A hint that a role implied by the requested one works too ("or member, which includes it").
fn implying_hint(roles: &[String]) -> Arg {
    optional(match roles {
        [one] if one == "reader" => Some(Message::new("nova-hint-member")),
        _ => None,
    })
}

/// What a check on a credential field needs, as a phrase.
fn field_phrase(field: &str, key: Option<&str>, expected: &str) -> Message {
    if field == "roles" {
        return Message::new("nova-field-roles").with("expected", expected);
    }
    match key {
        Some(key) => Message::new("nova-field-matches")
            .with("field", field)
            .with("key", key)
            .with("expected", expected),
        None => Message::new("nova-field-is")
            .with("field", field)
            .with("expected", expected),
    }
}

/// The reason for an allowed request, from the alternative that allowed it.
fn explain_allowed(term: &Term, facts: &Facts<'_>) -> Message {
    let roles: Vec<String> = term
        .iter()
        .filter_map(|l| match (&l.atom, l.negated) {
            (Atom::Role(r), false) => Some(r.clone()),
            _ => None,
        })
        .collect();
    let in_project = term.iter().any(|l| l.atom == Atom::Project && !l.negated);
    let mut parts = Vec::new();
    match (roles.is_empty(), in_project) {
        (false, true) => parts.push(
            Message::new("nova-allowed-role-in-project").with("roles", facts.roles(&roles, true)),
        ),
        (false, false) => parts.push(
            Message::new("nova-allowed-role-anywhere").with("roles", facts.roles(&roles, true)),
        ),
        (true, true) => parts.push(Message::new("nova-allowed-project")),
        (true, false) => {}
    }
    for lit in term {
        match (&lit.atom, lit.negated) {
            (Atom::Role(_), false) | (Atom::Project, false) => {}
            (Atom::Always { empty: false }, false) => {
                parts.push(Message::new("nova-allowed-always"))
            }
            (Atom::Always { empty: true }, false) => parts.push(Message::new("nova-allowed-empty")),
            (Atom::Role(r), true) => {
                parts.push(Message::new("nova-allowed-not-role").with("role", r));
            }
            (Atom::Project, true) => parts.push(Message::new("nova-allowed-not-project")),
            (
                Atom::Field {
                    field,
                    expected: Some(expected),
                    key,
                    ..
                },
                false,
            ) => parts.push(
                Message::new("nova-allowed-field")
                    .with("need", field_phrase(field, key.as_deref(), expected)),
            ),
            _ => parts.push(Message::new("nova-check-holds").with("check", lit.render())),
        }
    }
    Message::new("nova-allowed")
        .with("reasons", clauses(parts))
        .with("matched", render_term(term))
}

/// Why a failing check can never hold, whoever asks.
fn unfixable_reason(lit: &Lit) -> Message {
    let check = lit.render();
    match &lit.atom {
        Atom::Never => Message::new("nova-unfixable-never"),
        Atom::Always { .. } => Message::new("nova-unfixable-always").with("check", check),
        Atom::Undefined(name) => Message::new("nova-unfixable-undefined").with("rule", name),
        Atom::Field {
            key,
            expected: None,
            ..
        } => Message::new("nova-unfixable-no-target")
            .with("check", check)
            .with(
                "key",
                key.as_deref()
                    .map_or_else(|| Arg::from(Message::new("nova-target-value")), Arg::from),
            ),
        Atom::Field {
            field,
            known: false,
            ..
        } => {
            let lower = field.to_lowercase();
            let hint = ((lower == "role" || lower == "rule") && lower != *field)
                .then(|| Message::new("nova-hint-case").with("kind", lower));
            Message::new("nova-unfixable-unknown-field")
                .with("check", check)
                .with("field", field)
                .with("hint", optional(hint))
        }
        _ => Message::new("nova-unfixable-constant").with("check", check),
    }
}

/// The reason for a denied request, from the alternative closest to passing.
fn explain_denied(term: &Term, facts: &Facts<'_>) -> Vec<Message> {
    if let Some(lit) = term.iter().find(|l| l.unfixable()) {
        return vec![Message::new("nova-denied-unfixable").with("reason", unfixable_reason(lit))];
    }
    let missing_roles: Vec<String> = term
        .iter()
        .filter(|l| !l.holds && !l.negated)
        .filter_map(|l| match &l.atom {
            Atom::Role(r) => Some(r.clone()),
            _ => None,
        })
        .collect();
    let project_lit = term.iter().find(|l| l.atom == Atom::Project && !l.negated);
    let project_fails = project_lit.is_some_and(|l| !l.holds);
    let held_roles: Vec<String> = term
        .iter()
        .filter_map(|l| match (&l.atom, l.negated, l.holds) {
            (Atom::Role(r), false, true) => Some(r.clone()),
            _ => None,
        })
        .collect();
    let server = || project(facts.server_project);

    let mut reasons = Vec::new();
    let mut actions = Vec::new();

    if !missing_roles.is_empty() {
        let needed = || facts.roles(&missing_roles, false);
        let hint = || implying_hint(&missing_roles);
        match (project_lit.is_some(), project_fails) {
            (true, false) => {
                reasons.push(
                    Message::new("nova-needs-roles-in-project")
                        .with("roles", needed())
                        .with("have", facts.have()),
                );
                actions.push(
                    Message::new("nova-ask-roles-in-project")
                        .with("roles", needed())
                        .with("hint", hint())
                        .with("project", server()),
                );
            }
            (true, true) => {
                let where_ = (!facts.token_project.is_empty())
                    .then(|| Message::new("nova-where-you-have").with("have", facts.have()));
                reasons.push(
                    Message::new("nova-needs-roles-in-other-project")
                        .with("roles", needed())
                        .with("project", server())
                        .with("scope", facts.token_scope())
                        .with("where", optional(where_)),
                );
                actions.push(
                    Message::new("nova-ask-roles-then-scope")
                        .with("roles", needed())
                        .with("hint", hint())
                        .with("project", server()),
                );
            }
            (false, _) => {
                reasons.push(
                    Message::new("nova-needs-roles")
                        .with("roles", needed())
                        .with("have", facts.have()),
                );
                actions.push(
                    Message::new("nova-ask-roles")
                        .with("roles", needed())
                        .with("hint", hint()),
                );
            }
        }
    } else if project_fails {
        reasons.push(
            Message::new("nova-wrong-project")
                .with("scope", facts.token_scope())
                .with("project", server()),
        );
        let also = (!held_roles.is_empty())
            .then(|| Message::new("nova-also-need").with("roles", facts.roles(&held_roles, false)));
        actions.push(
            Message::new("nova-use-project-token")
                .with("project", server())
                .with("also", optional(also)),
        );
    }

    for lit in term.iter().filter(|l| !l.holds) {
        match (&lit.atom, lit.negated) {
            (Atom::Role(_), false) | (Atom::Project, false) => {}
            (Atom::Role(r), true) => {
                let origin = implied_by(r, facts.assigned)
                    .map(|from| Message::new("nova-implied-by").with("from", from));
                reasons.push(
                    Message::new("nova-refuses-role")
                        .with("role", r)
                        .with("origin", optional(origin)),
                );
                actions.push(Message::new("nova-use-without-role").with("role", r));
            }
            (Atom::Project, true) => reasons.push(Message::new("nova-refuses-own-project")),
            (
                Atom::Field {
                    field,
                    expected: Some(_),
                    ..
                },
                false,
            ) if field == "is_admin" => {
                reasons.push(Message::new("nova-needs-is-admin"));
                actions.push(Message::new("nova-admin-only"));
            }
            (
                Atom::Field {
                    field,
                    expected: Some(expected),
                    key,
                    ..
                },
                false,
            ) => {
                let actual = field_values(facts, field).unwrap_or_default();
                let yours = if field == "roles" {
                    Message::new("nova-yours-roles").with("have", facts.have())
                } else if actual.is_empty() {
                    Message::new("nova-yours-unset")
                } else {
                    Message::new("nova-yours-is").with("value", Arg::all(actual))
                };
                reasons.push(
                    Message::new("nova-needs-field")
                        .with("need", field_phrase(field, key.as_deref(), expected))
                        .with("yours", yours),
                );
            }
            (
                Atom::Field {
                    field,
                    expected: Some(expected),
                    ..
                },
                true,
            ) => reasons.push(
                Message::new("nova-refuses-field")
                    .with("field", field)
                    .with("expected", expected),
            ),
            _ => reasons.push(Message::new("nova-check-fails").with("check", lit.render())),
        }
    }
    if reasons.is_empty() {
        reasons.push(Message::new("nova-credentials-fail"));
    }
    let mut out = vec![Message::new("nova-denied").with("reasons", clauses(reasons))];
    out.extend(actions);
    out
}

/// What the explanation can say about a credential field's value.
fn field_values(facts: &Facts<'_>, field: &str) -> Option<Vec<String>> {
    let credentials = facts.credentials;
    let value = match field {
        "roles" => return Some(facts.effective.to_vec()),
        "project_id" => Some(credentials.project_id.as_str()),
        "user_id" => credentials.user_id.as_deref(),
        "domain_id" => credentials.domain_id.as_deref(),
        "system_scope" => credentials.system_scope.as_deref(),
        _ => None,
    };
    non_empty(value).map(|v| vec![v.to_owned()])
}

/// Explains a verdict from the rule's alternatives: the sentences, in order.
pub(super) fn explain(
    allowed: bool,
    terms: Option<&[Term]>,
    expression: &str,
    facts: &Facts<'_>,
) -> Vec<Message> {
    let Some(terms) = terms else {
        return vec![if allowed {
            Message::new("nova-allowed-opaque").with("expression", expression)
        } else {
            Message::new("nova-denied-opaque")
                .with("scope", facts.token_scope())
                .with("have", facts.have())
                .with("expression", expression)
                .with("project", project(facts.server_project))
        }];
    };
    if allowed {
        return match terms.iter().find(|t| t.iter().all(|l| l.holds)) {
            Some(term) => vec![explain_allowed(term, facts)],
            None => explain(true, None, expression, facts),
        };
    }
    let best = terms.iter().enumerate().min_by_key(|(index, term)| {
        let unfixable = term.iter().any(Lit::unfixable);
        let cost: usize = term.iter().filter(|l| !l.holds).map(Lit::cost).sum();
        (unfixable, cost, *index)
    });
    let Some((best_index, best)) = best else {
        // No alternative at all: the rule is unsatisfiable (e.g. an old-style list of empty lists).
        return vec![Message::new("nova-unsatisfiable")];
    };
    let mut out = explain_denied(best, facts);
    let others: Vec<String> = terms
        .iter()
        .enumerate()
        .filter(|(index, term)| *index != best_index && !term.iter().any(Lit::unfixable))
        .map(|(_, term)| format!("`{}`", render_term(term)))
        .collect();
    if !others.is_empty() {
        let more = others.len().saturating_sub(MAX_ALTERNATIVES_SHOWN);
        out.push(
            Message::new("nova-also-accepts")
                .with(
                    "alternatives",
                    Arg::any(others.into_iter().take(MAX_ALTERNATIVES_SHOWN)),
                )
                .with(
                    "more",
                    optional((more > 0).then(|| Message::new("nova-more").with("count", more))),
                ),
        );
    }
    out
}

/// The reason a token of the wrong scope is refused, if it is: oslo.policy's `_enforce_scope`
/// takes a token with `system` (a set `system_scope`) as system-scoped, else one with a
/// `domain_id` as domain-scoped.
pub(super) fn scope_refusal(
    credentials: &NovaCredentials,
    server_project: &str,
) -> Option<Message> {
    let system = non_empty(credentials.system_scope.as_deref());
    let domain = non_empty(credentials.domain_id.as_deref());
    let scope = match (system, domain) {
        (Some(system), _) => Message::new("nova-scope-system").with("system", system),
        (None, Some(domain)) => Message::new("nova-scope-domain").with("domain", domain),
        (None, None) => return None,
    };
    Some(
        Message::new("nova-scope-refusal")
            .with("scope", scope)
            .with("project", project(server_project)),
    )
}

/// The reason Nova does not even find the server, if so: for a non-admin token with a project,
/// the database only returns that project's servers (nova/db/main/api.py `model_query` with
/// `project_only=True`; nova/context.py `is_user_context`), and the API answers 404.
pub(super) fn lookup_refusal(
    credentials: &NovaCredentials,
    server_project: &str,
    is_admin: bool,
) -> Option<Message> {
    let token = non_empty(Some(&credentials.project_id))?;
    if is_admin || token == server_project {
        return None;
    }
    Some(
        Message::new("nova-lookup-refusal")
            .with("token", token)
            .with("project", project(server_project)),
    )
}

/// The notes after the verdict on the rule `name` itself: a `!` that YAML read as an empty value,
/// and where the rule in effect comes from when it is not Nova's default.
pub(super) fn notes(rule: &PolicyRule, name: &str) -> Vec<Message> {
    let mut out = Vec::new();
    if rule.bare_bang {
        out.push(Message::new("nova-note-bare-bang"));
    }
    match &rule.origin {
        Origin::Default => {}
        Origin::File => out.push(Message::new("nova-note-file")),
        Origin::Deprecated(old) => out.push(
            Message::new("nova-note-deprecated")
                .with("old", old)
                .with("rule", name),
        ),
        Origin::DefaultOrDeprecated => out.push(Message::new("nova-note-old-defaults")),
    }
    out
}
