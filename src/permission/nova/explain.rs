//! The wording: each verdict explained in English and in Simplified Chinese, in words the user can
//! act on ("ask an administrator for the member role in project …"). An allowed request names the
//! alternative that allowed it; a denied one the alternative closest to passing, what is missing
//! and who can fix it. Also the refusals that come before the rule (Nova's lookup of the server,
//! oslo.policy's scope check) and the notes on where the rule in effect comes from.

use super::alternatives::{render_term, Atom, Lit, Term};
use super::evaluate::{implied_by, non_empty, NovaCredentials};
use super::file::{Origin, PolicyRule};

/// Most other alternatives listed after a denial.
const MAX_ALTERNATIVES_SHOWN: usize = 3;

/// Facts the sentences need.
pub(super) struct Facts<'a> {
    pub(super) credentials: &'a NovaCredentials,
    pub(super) assigned: &'a [String],
    pub(super) effective: &'a [String],
    pub(super) token_project: &'a str,
    pub(super) server_project: &'a str,
}

fn join_en(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

fn join_zh(items: &[String]) -> String {
    items.join("、")
}

fn project_en(id: &str) -> String {
    if id.is_empty() {
        "(unknown)".to_owned()
    } else {
        id.to_owned()
    }
}

fn project_zh(id: &str) -> String {
    if id.is_empty() {
        "（未知）".to_owned()
    } else {
        id.to_owned()
    }
}

impl Facts<'_> {
    /// "the role reader (implied by member)" / "the roles a and b".
    fn roles_en(&self, roles: &[String], with_origin: bool) -> String {
        let named: Vec<String> = roles
            .iter()
            .map(
                |r| match implied_by(r, self.assigned).filter(|_| with_origin) {
                    Some(from) => format!("{r} (implied by {from})"),
                    None => r.clone(),
                },
            )
            .collect();
        if roles.len() == 1 {
            format!("the role {}", join_en(&named))
        } else {
            format!("the roles {}", join_en(&named))
        }
    }

    /// "reader 角色（由 member 隐含）" / "a、b 角色".
    fn roles_zh(&self, roles: &[String], with_origin: bool) -> String {
        let origins: Vec<String> = roles
            .iter()
            .filter(|_| with_origin)
            .filter_map(|r| {
                let from = implied_by(r, self.assigned)?;
                Some(if roles.len() == 1 {
                    format!("由 {from} 隐含")
                } else {
                    format!("{r} 由 {from} 隐含")
                })
            })
            .collect();
        if origins.is_empty() {
            format!("{} 角色", join_zh(roles))
        } else {
            format!("{} 角色（{}）", join_zh(roles), origins.join("，"))
        }
    }

    fn have_en(&self) -> String {
        if self.effective.is_empty() {
            "no roles".to_owned()
        } else {
            join_en(self.effective)
        }
    }

    fn have_zh(&self) -> String {
        if self.effective.is_empty() {
            "没有任何角色".to_owned()
        } else {
            format!("拥有 {}", join_zh(self.effective))
        }
    }

    /// "scoped to project X" / "not scoped to any project".
    fn token_scope_en(&self) -> String {
        if self.token_project.is_empty() {
            "not scoped to any project".to_owned()
        } else {
            format!("scoped to project {}", self.token_project)
        }
    }

    fn token_scope_zh(&self) -> String {
        if self.token_project.is_empty() {
            "未限定在任何项目".to_owned()
        } else {
            format!("限定在项目 {}", self.token_project)
        }
    }
}

/// A hint that a role implied by the requested one works too ("or member, which includes it").
fn implying_hint(roles: &[String]) -> (String, String) {
    match roles {
        [one] if one == "reader" => (
            " (or the member role, which includes it)".to_owned(),
            "（或隐含它的 member 角色）".to_owned(),
        ),
        _ => (String::new(), String::new()),
    }
}

fn field_phrase_en(field: &str, key: Option<&str>, expected: &str) -> String {
    if field == "roles" {
        return format!("{expected} among your roles (compared exactly, case-sensitively)");
    }
    match key {
        Some(key) => format!("your {field} to match the server's {key} ({expected})"),
        None => format!("your {field} to be {expected}"),
    }
}

fn field_phrase_zh(field: &str, key: Option<&str>, expected: &str) -> String {
    if field == "roles" {
        return format!("你的角色中包含 {expected}（精确匹配，区分大小写）");
    }
    match key {
        Some(key) => format!("你的 {field} 与服务器的 {key}（{expected}）一致"),
        None => format!("你的 {field} 为 {expected}"),
    }
}

/// The sentences for an allowed request, from the alternative that allowed it.
fn explain_allowed(term: &Term, facts: &Facts<'_>) -> (String, String) {
    let roles: Vec<String> = term
        .iter()
        .filter_map(|l| match (&l.atom, l.negated) {
            (Atom::Role(r), false) => Some(r.clone()),
            _ => None,
        })
        .collect();
    let project = term.iter().any(|l| l.atom == Atom::Project && !l.negated);
    let mut en = Vec::new();
    let mut zh = Vec::new();
    match (roles.is_empty(), project) {
        (false, true) => {
            en.push(format!(
                "you have {} in the server's project",
                facts.roles_en(&roles, true)
            ));
            zh.push(format!(
                "你在服务器所属的项目中拥有 {}",
                facts.roles_zh(&roles, true)
            ));
        }
        (false, false) => {
            en.push(format!(
                "you have {}, which this rule accepts whatever project the server is in",
                facts.roles_en(&roles, true)
            ));
            zh.push(format!(
                "你拥有 {}，无论服务器属于哪个项目，此规则都接受该角色",
                facts.roles_zh(&roles, true)
            ));
        }
        (true, true) => {
            en.push("your token is scoped to the server's project".to_owned());
            zh.push("你的令牌限定在服务器所属的项目中".to_owned());
        }
        (true, false) => {}
    }
    for lit in term {
        match (&lit.atom, lit.negated) {
            (Atom::Role(_), false) | (Atom::Project, false) => {}
            (Atom::Always { empty: false }, false) => {
                en.push("the rule lets everyone in (@)".to_owned());
                zh.push("该规则允许所有人（@）".to_owned());
            }
            (Atom::Always { empty: true }, false) => {
                en.push(
                    "the rule is empty, and oslo.policy treats an empty rule as \"allow everyone\""
                        .to_owned(),
                );
                zh.push("该规则为空，而 oslo.policy 将空规则视为“允许所有人”".to_owned());
            }
            (Atom::Role(r), true) => {
                en.push(format!("you do not have the role {r}"));
                zh.push(format!("你没有 {r} 角色"));
            }
            (Atom::Project, true) => {
                en.push("your token is not scoped to the server's project".to_owned());
                zh.push("你的令牌不在服务器所属的项目中".to_owned());
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
                en.push(format!(
                    "the rule needs {}, and it does",
                    field_phrase_en(field, key.as_deref(), expected)
                ));
                zh.push(format!(
                    "该规则要求{}，你满足该条件",
                    field_phrase_zh(field, key.as_deref(), expected)
                ));
            }
            _ => {
                en.push(format!("`{}` holds", lit.render()));
                zh.push(format!("`{}` 成立", lit.render()));
            }
        }
    }
    if en.is_empty() {
        en.push("the rule holds".to_owned());
        zh.push("规则成立".to_owned());
    }
    let matched = render_term(term);
    (
        format!("Allowed: {}. Matched: `{matched}`.", en.join("; ")),
        format!("允许：{}。匹配的分支：`{matched}`。", zh.join("；")),
    )
}

/// Why a failing check can never hold, whoever asks.
fn unfixable_reason(lit: &Lit) -> (String, String) {
    let text = lit.render();
    match &lit.atom {
        Atom::Never => (
            "the rule denies everyone (`!`)".to_owned(),
            "该规则拒绝所有人（`!`）".to_owned(),
        ),
        Atom::Always { .. } => (
            format!("the rule contains `{text}`, which never holds"),
            format!("该规则包含永远不成立的 `{text}`"),
        ),
        Atom::Undefined(name) => (
            format!(
                "the rule depends on rule:{name}, which is not defined, so oslo.policy fails closed"
            ),
            format!("该规则依赖未定义的 rule:{name}，oslo.policy 因此按拒绝处理"),
        ),
        Atom::Field {
            key,
            expected: None,
            ..
        } => {
            let key = key.clone().unwrap_or_else(|| "value".to_owned());
            (
                format!(
                    "the check `{text}` needs the server's {key}, which Nova does not supply for this \
                     request, so it always fails"
                ),
                format!("检查 `{text}` 需要服务器的 {key}，但 Nova 在此请求中不提供该值，因此总是失败"),
            )
        }
        Atom::Field {
            field,
            known: false,
            ..
        } => {
            let lower = field.to_lowercase();
            let (hint_en, hint_zh) = if (lower == "role" || lower == "rule") && lower != *field {
                (
                    format!(" (check kinds are case-sensitive: did you mean `{lower}:…`?)"),
                    format!("（检查类型区分大小写：是否想写 `{lower}:…`？）"),
                )
            } else {
                (String::new(), String::new())
            };
            (
                format!(
                    "the check `{text}` reads a credential field `{field}` that tokens do not carry, \
                     so it always fails{hint_en}"
                ),
                format!("检查 `{text}` 读取的凭据字段 `{field}` 在令牌中不存在，因此总是失败{hint_zh}"),
            )
        }
        _ => (
            format!("the check `{text}` is false for this server, whoever asks"),
            format!("检查 `{text}` 对该服务器不成立，与请求者无关"),
        ),
    }
}

/// The sentences for a denied request, from the alternative closest to passing.
fn explain_denied(term: &Term, facts: &Facts<'_>) -> (String, String) {
    if let Some(lit) = term.iter().find(|l| l.unfixable()) {
        let (en, zh) = unfixable_reason(lit);
        return (
            format!(
                "Denied: {en}. No role assignment can change this; only the cloud operator can \
                 change the policy."
            ),
            format!("拒绝：{zh}。任何角色分配都无法改变这一点，只有云平台运营方可以修改策略。"),
        );
    }
    let failing = |atom_is: &dyn Fn(&Atom) -> bool, negated: bool| -> Vec<&Lit> {
        term.iter()
            .filter(|l| !l.holds && l.negated == negated && atom_is(&l.atom))
            .collect()
    };
    let missing_roles: Vec<String> = failing(&|a| matches!(a, Atom::Role(_)), false)
        .iter()
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
    let server = project_en(facts.server_project);
    let server_zh = project_zh(facts.server_project);

    let mut reasons_en = Vec::new();
    let mut reasons_zh = Vec::new();
    let mut actions_en = Vec::new();
    let mut actions_zh = Vec::new();

    if !missing_roles.is_empty() {
        let needed_en = facts.roles_en(&missing_roles, false);
        let needed_zh = facts.roles_zh(&missing_roles, false);
        let (hint_en, hint_zh) = implying_hint(&missing_roles);
        match (project_lit.is_some(), project_fails) {
            (true, false) => {
                reasons_en.push(format!(
                    "the rule needs {needed_en} in the server's project; you have {}",
                    facts.have_en()
                ));
                reasons_zh.push(format!(
                    "该规则要求你在服务器所属的项目中拥有 {needed_zh}；你{}",
                    facts.have_zh()
                ));
                actions_en.push(format!(
                    "Ask an administrator to give you {needed_en}{hint_en} in project {server}."
                ));
                actions_zh.push(format!(
                    "请联系管理员在项目 {server_zh} 中为你分配 {needed_zh}{hint_zh}。"
                ));
            }
            (true, true) => {
                let (where_en, where_zh) = if facts.token_project.is_empty() {
                    (String::new(), String::new())
                } else {
                    (
                        format!(" (where you have {})", facts.have_en()),
                        format!("（你在那里{}）", facts.have_zh()),
                    )
                };
                reasons_en.push(format!(
                    "the rule needs {needed_en} in the server's project ({server}), but your token is \
                     {}{where_en}",
                    facts.token_scope_en(),
                ));
                reasons_zh.push(format!(
                    "该规则要求你在服务器所属的项目（{server_zh}）中拥有 {needed_zh}，但你的令牌{}{where_zh}",
                    facts.token_scope_zh(),
                ));
                actions_en.push(format!(
                    "Ask an administrator to give you {needed_en}{hint_en} in project {server}, then \
                     use a token scoped to that project."
                ));
                actions_zh.push(format!(
                    "请联系管理员在项目 {server_zh} 中为你分配 {needed_zh}{hint_zh}，然后使用限定在该项目的令牌。"
                ));
            }
            (false, _) => {
                reasons_en.push(format!(
                    "the rule needs {needed_en}; you have {}",
                    facts.have_en()
                ));
                reasons_zh.push(format!("该规则要求 {needed_zh}；你{}", facts.have_zh()));
                actions_en.push(format!(
                    "Ask an administrator to give you {needed_en}{hint_en}."
                ));
                actions_zh.push(format!("请联系管理员为你分配 {needed_zh}{hint_zh}。"));
            }
        }
    } else if project_fails {
        let token_en = if facts.token_project.is_empty() {
            "the token is not scoped to any project".to_owned()
        } else {
            format!("the token is scoped to project {}", facts.token_project)
        };
        let token_zh = if facts.token_project.is_empty() {
            "令牌未限定在任何项目".to_owned()
        } else {
            format!("令牌限定在项目 {}", facts.token_project)
        };
        reasons_en.push(format!("{token_en} but the server is in project {server}"));
        reasons_zh.push(format!("{token_zh}，但服务器属于项目 {server_zh}"));
        let (need_en, need_zh) = if held_roles.is_empty() {
            (String::new(), String::new())
        } else {
            (
                format!(
                    "; you need {} in that project too",
                    facts.roles_en(&held_roles, false)
                ),
                format!(
                    "；你在该项目中同样需要 {}",
                    facts.roles_zh(&held_roles, false)
                ),
            )
        };
        actions_en.push(format!(
            "Use a token scoped to project {server} (for example `openstack --os-project-id {server} …`){need_en}."
        ));
        actions_zh.push(format!(
            "请使用限定在项目 {server_zh} 的令牌（例如 `openstack --os-project-id {server_zh} …`）{need_zh}。"
        ));
    }

    for lit in term.iter().filter(|l| !l.holds) {
        match (&lit.atom, lit.negated) {
            (Atom::Role(_), false) | (Atom::Project, false) => {}
            (Atom::Role(r), true) => {
                let origin = implied_by(r, facts.assigned)
                    .map(|from| {
                        (
                            format!(" (implied by {from})"),
                            format!("（由 {from} 隐含）"),
                        )
                    })
                    .unwrap_or_default();
                reasons_en.push(format!(
                    "the rule refuses anyone with the role {r}, and you have it{}",
                    origin.0
                ));
                reasons_zh.push(format!(
                    "该规则拒绝拥有 {r} 角色的用户，而你拥有该角色{}",
                    origin.1
                ));
                actions_en.push(format!("Use an account or token without the role {r}."));
                actions_zh.push(format!("请使用没有 {r} 角色的账号或令牌。"));
            }
            (Atom::Project, true) => {
                reasons_en
                    .push("the rule refuses tokens scoped to the server's own project".to_owned());
                reasons_zh.push("该规则拒绝限定在服务器自身项目中的令牌".to_owned());
            }
            (
                Atom::Field {
                    field,
                    expected: Some(_),
                    ..
                },
                false,
            ) if field == "is_admin" => {
                reasons_en.push(
                    "the rule needs is_admin:True, which Nova sets only when the token passes \
                     context_is_admin (by default: the admin role)"
                        .to_owned(),
                );
                reasons_zh.push(
                    "该规则要求 is_admin:True，而 Nova 只在令牌满足 context_is_admin（默认即 admin 角色）时才设置它"
                        .to_owned(),
                );
                actions_en.push("Only an administrator can do this.".to_owned());
                actions_zh.push("只有管理员可以执行此操作。".to_owned());
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
                let (yours_en, yours_zh) = if field == "roles" {
                    (
                        format!("you have {}", facts.have_en()),
                        format!("你{}", facts.have_zh()),
                    )
                } else if actual.is_empty() {
                    ("yours is not set".to_owned(), "你的未设置".to_owned())
                } else {
                    (
                        format!("yours is {}", join_en(&actual)),
                        format!("你的是 {}", join_zh(&actual)),
                    )
                };
                reasons_en.push(format!(
                    "the rule needs {}; {yours_en}",
                    field_phrase_en(field, key.as_deref(), expected)
                ));
                reasons_zh.push(format!(
                    "该规则要求{}；{yours_zh}",
                    field_phrase_zh(field, key.as_deref(), expected)
                ));
            }
            (
                Atom::Field {
                    field,
                    expected: Some(expected),
                    ..
                },
                true,
            ) => {
                reasons_en.push(format!(
                    "the rule refuses a {field} of {expected}, which is yours"
                ));
                reasons_zh.push(format!(
                    "该规则拒绝 {field} 为 {expected} 的请求，而你的正是如此"
                ));
            }
            _ => {
                reasons_en.push(format!("`{}` does not hold", lit.render()));
                reasons_zh.push(format!("`{}` 不成立", lit.render()));
            }
        }
    }
    if reasons_en.is_empty() {
        reasons_en.push("your credentials do not satisfy the rule".to_owned());
        reasons_zh.push("你的凭据不满足该规则".to_owned());
    }
    let mut en = format!("Denied: {}.", reasons_en.join("; "));
    let mut zh = format!("拒绝：{}。", reasons_zh.join("；"));
    for action in actions_en {
        en.push(' ');
        en.push_str(&action);
    }
    for action in actions_zh {
        zh.push_str(&action);
    }
    (en, zh)
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

/// Explains a verdict from the rule's alternatives.
pub(super) fn explain(
    allowed: bool,
    terms: Option<&[Term]>,
    expression: &str,
    facts: &Facts<'_>,
) -> (String, String) {
    let Some(terms) = terms else {
        let server = project_en(facts.server_project);
        return if allowed {
            (
                format!("Allowed: your credentials satisfy the rule `{expression}`."),
                format!("允许：你的凭据满足规则 `{expression}`。"),
            )
        } else {
            (
                format!(
                    "Denied: your token ({}, with {}) does not satisfy the rule `{expression}` for a \
                     server in project {server}; the rule has too many alternatives to break down.",
                    facts.token_scope_en(),
                    facts.have_en()
                ),
                format!(
                    "拒绝：你的令牌（{}，{}）不满足针对项目 {} 中服务器的规则 `{expression}`；该规则的分支太多，无法逐一说明。",
                    facts.token_scope_zh(),
                    facts.have_zh(),
                    project_zh(facts.server_project)
                ),
            )
        };
    };
    if allowed {
        return match terms.iter().find(|t| t.iter().all(|l| l.holds)) {
            Some(term) => explain_allowed(term, facts),
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
        return (
            "Denied: the rule can never be satisfied; only the cloud operator can change the policy.".to_owned(),
            "拒绝：该规则永远无法满足，只有云平台运营方可以修改策略。".to_owned(),
        );
    };
    let (mut en, mut zh) = explain_denied(best, facts);
    let others: Vec<String> = terms
        .iter()
        .enumerate()
        .filter(|(index, term)| *index != best_index && !term.iter().any(Lit::unfixable))
        .map(|(_, term)| format!("`{}`", render_term(term)))
        .collect();
    if !others.is_empty() {
        let shown: Vec<String> = others
            .iter()
            .take(MAX_ALTERNATIVES_SHOWN)
            .cloned()
            .collect();
        let more = others.len() - shown.len();
        let (more_en, more_zh) = if more > 0 {
            (format!(" and {more} more"), format!(" 等另外 {more} 种"))
        } else {
            (String::new(), String::new())
        };
        en.push_str(&format!(
            " The rule would also accept: {}{more_en}.",
            shown.join(", ")
        ));
        zh.push_str(&format!("该规则也接受：{}{more_zh}。", join_zh(&shown)));
    }
    (en, zh)
}

/// The reason a token of the wrong scope is refused, if it is: oslo.policy's `_enforce_scope`
/// takes a token with `system` (a set `system_scope`) as system-scoped, else one with a
/// `domain_id` as domain-scoped.
pub(super) fn scope_refusal(
    credentials: &NovaCredentials,
    server_project: &str,
) -> Option<(String, String)> {
    let system = non_empty(credentials.system_scope.as_deref());
    let domain = non_empty(credentials.domain_id.as_deref());
    let (what_en, what_zh) = match (system, domain) {
        (Some(system), _) => (
            format!("system-scoped (system_scope: {system})"),
            format!("系统范围的（system_scope: {system}）"),
        ),
        (None, Some(domain)) => (
            format!("domain-scoped (domain {domain})"),
            format!("域范围的（域 {domain}）"),
        ),
        (None, None) => return None,
    };
    let server = project_en(server_project);
    let server_zh = project_zh(server_project);
    Some((
        format!(
            "Denied: Nova accepts only project-scoped tokens for this API (scope_types = ['project'], \
             enforced by default since the 2023.1 release), and your token is {what_en}. Get a token \
             scoped to the server's project {server}."
        ),
        format!(
            "拒绝：Nova 的此接口只接受项目范围的令牌（scope_types = ['project']，自 2023.1 版本起默认强制检查），\
             而你的令牌是{what_zh}。请获取限定在服务器所属项目 {server_zh} 的令牌。"
        ),
    ))
}

/// The reason Nova does not even find the server, if so: for a non-admin token with a project,
/// the database only returns that project's servers (nova/db/main/api.py `model_query` with
/// `project_only=True`; nova/context.py `is_user_context`), and the API answers 404.
pub(super) fn lookup_refusal(
    credentials: &NovaCredentials,
    server_project: &str,
    is_admin: bool,
) -> Option<(String, String)> {
    let token = non_empty(Some(&credentials.project_id))?;
    if is_admin || token == server_project {
        return None;
    }
    let server = project_en(server_project);
    let server_zh = project_zh(server_project);
    Some((
        format!(
            "Denied: your token is scoped to project {token} but the server is in project {server}, \
             and Nova only finds the servers of the token's own project unless the token passes \
             context_is_admin (by default: the admin role); it answers 404 (not found) before it looks \
             at the password rule. Use a token scoped to project {server} (for example \
             `openstack --os-project-id {server} …`)."
        ),
        format!(
            "拒绝：你的令牌限定在项目 {token}，但服务器属于项目 {server_zh}；除非令牌满足 context_is_admin\
             （默认即 admin 角色），Nova 只能找到令牌所属项目中的服务器，会在检查密码规则之前返回 404（未找到）。\
             请使用限定在项目 {server_zh} 的令牌（例如 `openstack --os-project-id {server_zh} …`）。"
        ),
    ))
}

/// The notes after the verdict on the rule `name` itself: a `!` that YAML read as an empty value,
/// and where the rule in effect comes from when it is not Nova's default.
pub(super) fn add_notes(
    rule: &PolicyRule,
    name: &str,
    explanation_en: &mut String,
    explanation_zh: &mut String,
) {
    if rule.bare_bang {
        explanation_en.push_str(
            " Note: the policy file writes this rule as an unquoted !, which YAML reads as an empty \
             value, so everyone is allowed; the operator should write \"!\" in quotes to deny everyone.",
        );
        explanation_zh.push_str(
            "注意：策略文件中该规则写成了不带引号的 !，YAML 会把它读成空值，因此所有人都被允许；运营方应写成带引号的 \"!\" 才能拒绝所有人。",
        );
    }
    match &rule.origin {
        Origin::Default => {}
        Origin::File => {
            explanation_en.push_str(
                " This rule comes from the cloud's policy file, not from Nova's defaults.",
            );
            explanation_zh.push_str("此规则来自云平台的策略文件，而非 Nova 的默认规则。");
        }
        Origin::Deprecated(old) => {
            explanation_en.push_str(&format!(
                " This rule comes from the policy file's override of the deprecated name `{old}`, \
                 which oslo.policy applies because the file does not set `{name}` itself."
            ));
            explanation_zh.push_str(&format!(
                "此规则来自策略文件对已弃用名称 `{old}` 的覆盖；由于文件没有设置 `{name}`，oslo.policy 沿用了它。"
            ));
        }
        Origin::DefaultOrDeprecated => {
            explanation_en.push_str(
                " With enforce_new_defaults = False, oslo.policy also accepts the deprecated default.",
            );
            explanation_zh.push_str(
                "由于 enforce_new_defaults = False，oslo.policy 同时接受已弃用的默认规则。",
            );
        }
    }
}
