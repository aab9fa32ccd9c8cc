//! The unit tests of Nova's policy: the defaults, the explanations, the rule language, policy
//! files, and the behaviours also checked against oslo.policy by tests/nova_oracle.rs. The
//! explanations are rendered from the catalogues, hence the `render` feature.
#![cfg(feature = "render")]

use super::evaluate::{effective_roles, token_roles};
use super::rule::{parse_text_rule, render, Expr};
use super::*;
use crate::message::{render_checked, Lang, Message};
use crate::route::Operation;

const SHOW: &str = "os_compute_api:os-server-password:show";
const CLEAR: &str = "os_compute_api:os-server-password:clear";
const HOME: &str = "p-home";
const AWAY: &str = "p-away";

fn creds(roles: &[&str], project: &str) -> NovaCredentials {
    NovaCredentials {
        roles: roles.iter().map(|r| (*r).to_owned()).collect(),
        project_id: project.to_owned(),
        ..NovaCredentials::default()
    }
}

fn server(project: &str) -> NovaTarget {
    NovaTarget {
        project_id: project.to_owned(),
        user_id: None,
    }
}

/// A policy from (name, expression) pairs, written as JSON.
fn policy(rules: &[(&str, &str)]) -> NovaPolicy {
    let map: serde_json::Map<String, serde_json::Value> = rules
        .iter()
        .map(|(k, v)| ((*k).to_owned(), serde_json::Value::String((*v).to_owned())))
        .collect();
    NovaPolicy::parse(&serde_json::Value::Object(map).to_string()).unwrap()
}

/// `show` overridden with `expr`, checked for `roles` in project `token` against `target`.
fn show_with(expr: &str, roles: &[&str], token: &str, target: &str) -> NovaDecision {
    check_nova(
        &policy(&[(SHOW, expr)]),
        Operation::Get,
        &creds(roles, token),
        &server(target),
    )
    .unwrap()
}

fn allowed(expr: &str, roles: &[&str]) -> bool {
    show_with(expr, roles, HOME, HOME).allowed()
}

/// The message in `lang`, asserting that it renders without a Fluent error.
fn text(m: &Message, lang: Lang) -> String {
    let (text, errors) = render_checked(m, lang);
    assert!(errors.is_empty(), "{}: {errors:?}", lang.as_str());
    assert!(!text.contains("nova-"), "an id left unrendered: {text}");
    text
}

/// The explanation in English.
fn en(d: &NovaDecision) -> String {
    text(&d.explanation, Lang::En)
}

/// The explanation in Chinese.
fn zh(d: &NovaDecision) -> String {
    text(&d.explanation, Lang::Zh)
}

/// The English text of an error `check_nova` returned, which must be `POLICY_INVALID`.
fn refusal(err: &crate::Error) -> String {
    assert_eq!(err.code(), crate::ErrorCode::PolicyInvalid);
    text(err.message(), Lang::En)
}

fn parse_error(text: &str) -> NovaPolicyError {
    NovaPolicy::parse(text).unwrap_err()
}

// --- Nova's defaults -------------------------------------------------------------------------

#[test]
fn default_rules_for_each_role_and_project() {
    use Operation::{Clear, Get};
    // (operation, roles, same project?, allowed?)
    let cases: &[(Operation, &[&str], bool, bool)] = &[
        (Get, &[], true, false),
        (Get, &[], false, false),
        (Get, &["reader"], true, true),
        (Get, &["reader"], false, false),
        (Get, &["member"], true, true),
        (Get, &["member"], false, false),
        (Get, &["admin"], true, true),
        (Get, &["admin"], false, true),
        (Get, &["load-balancer_observer"], true, false),
        (Get, &["load-balancer_observer"], false, false),
        (Clear, &[], true, false),
        (Clear, &[], false, false),
        (Clear, &["reader"], true, false),
        (Clear, &["reader"], false, false),
        (Clear, &["member"], true, true),
        (Clear, &["member"], false, false),
        (Clear, &["admin"], true, true),
        (Clear, &["admin"], false, true),
        (Clear, &["load-balancer_observer"], true, false),
        (Clear, &["load-balancer_observer"], false, false),
    ];
    let defaults = NovaPolicy::defaults();
    for (op, roles, same, expected) in cases {
        let target = server(if *same { HOME } else { AWAY });
        let decision = check_nova(&defaults, *op, &creds(roles, HOME), &target).unwrap();
        assert_eq!(
            decision.allowed(),
            *expected,
            "{op:?} {roles:?} same={same}: {decision:?}"
        );
        assert_eq!(decision.rule, rule_name(*op).unwrap());
        assert_eq!(decision.expression, default_rule(*op).unwrap());
        assert!(!decision.overridden);
        let prefix = if *expected { "Allowed: " } else { "Denied: " };
        assert!(en(&decision).starts_with(prefix), "{}", en(&decision));
        let prefix_zh = if *expected { "允许：" } else { "拒绝：" };
        assert!(zh(&decision).starts_with(prefix_zh), "{}", zh(&decision));
    }
}

#[test]
fn defaults_render_back_to_the_documented_strings() {
    for op in OPERATIONS {
        let expr = parse_text_rule(default_rule(op).unwrap()).unwrap();
        assert_eq!(render(&expr), default_rule(op).unwrap());
    }
    assert_eq!(rule_name(Operation::Get), Some(SHOW));
    assert_eq!(rule_name(Operation::Clear), Some(CLEAR));
}

#[test]
fn roles_are_implied_lowercased_and_sorted() {
    // keystone/cmd/bootstrap.py: admin => manager => member => reader.
    assert_eq!(
        effective_roles(&["Admin".to_owned()]),
        ["admin", "manager", "member", "reader"]
    );
    assert_eq!(
        token_roles(&["Admin".to_owned(), "x".to_owned()]),
        ["Admin", "x", "manager", "member", "reader"]
    );
    assert_eq!(
        effective_roles(&["manager".to_owned()]),
        ["manager", "member", "reader"]
    );
    assert_eq!(
        effective_roles(&["MEMBER".to_owned(), "zeta".to_owned()]),
        ["member", "reader", "zeta"]
    );
    assert_eq!(effective_roles(&[" ".to_owned()]), Vec::<String>::new());
    let decision = check_nova(
        &NovaPolicy::defaults(),
        Operation::Clear,
        &creds(&["Member"], HOME),
        &server(HOME),
    )
    .unwrap();
    assert!(decision.allowed());
    assert_eq!(decision.effective_roles, ["member", "reader"]);
}

// --- Explanations ----------------------------------------------------------------------------

#[test]
fn allowed_explanations_name_the_branch() {
    let defaults = NovaPolicy::defaults();
    let d = check_nova(
        &defaults,
        Operation::Get,
        &creds(&["member"], HOME),
        &server(HOME),
    )
    .unwrap();
    assert_eq!(
        en(&d),
        "Allowed: you have the role reader (implied by member) in the server's project. \
         Matched: `role:reader and project_id:%(project_id)s`."
    );
    assert_eq!(
        zh(&d),
        "允许：你在服务器所属的项目中拥有角色 reader（由 member 隐含）。\
         匹配的分支：`role:reader and project_id:%(project_id)s`。"
    );
    let d = check_nova(
        &defaults,
        Operation::Get,
        &creds(&["admin"], HOME),
        &server(AWAY),
    )
    .unwrap();
    assert!(
        en(&d).contains("you have the role admin, which this rule accepts"),
        "{}",
        en(&d)
    );
    assert!(en(&d).ends_with("Matched: `role:admin`."), "{}", en(&d));
}

#[test]
fn denial_for_a_missing_role_says_which_and_where() {
    let d = check_nova(
        &NovaPolicy::defaults(),
        Operation::Clear,
        &creds(&["reader"], HOME),
        &server(HOME),
    )
    .unwrap();
    assert_eq!(
        en(&d),
        "Denied: the rule needs the role member in the server's project; you have reader. \
         Ask an administrator to give you the role member in project p-home. \
         The rule would also accept: `role:admin`."
    );
    assert_eq!(
        zh(&d),
        "拒绝：该规则要求你在服务器所属的项目中拥有角色 member；你拥有 reader。\
         请联系管理员在项目 p-home 中为你分配角色 member。该规则也接受：`role:admin`。"
    );
}

#[test]
fn denial_for_the_wrong_project_names_both_projects() {
    let d = check_nova(
        &NovaPolicy::defaults(),
        Operation::Clear,
        &creds(&["member"], HOME),
        &server(AWAY),
    )
    .unwrap();
    // Nova looks the server up first, and a non-admin token only finds its own project's
    // servers (nova/db/main/api.py model_query project_only): 404 before the policy.
    assert!(
        en(&d).starts_with(
            "Denied: your token is scoped to project p-home but the server is in project p-away, \
             and Nova only finds the servers of the token's own project"
        ),
        "{}",
        en(&d)
    );
    assert!(en(&d).contains("404"), "{}", en(&d));
    assert!(
        zh(&d).contains("你的令牌限定在项目 p-home，但服务器属于项目 p-away"),
        "{}",
        zh(&d)
    );
    assert!(!d.is_admin);
    // The same for an override that would let anyone in: the lookup comes first.
    let anyone = policy(&[(CLEAR, "@")]);
    let d = check_nova(
        &anyone,
        Operation::Clear,
        &creds(&["member"], HOME),
        &server(AWAY),
    )
    .unwrap();
    assert!(!d.allowed() && en(&d).contains("404"), "{}", en(&d));
    // An admin's token finds every server.
    let d = check_nova(
        &anyone,
        Operation::Clear,
        &creds(&["admin"], HOME),
        &server(AWAY),
    )
    .unwrap();
    assert!(d.allowed() && d.is_admin);
}

#[test]
fn denial_prefers_the_project_role_over_admin() {
    // No roles and no project: two things are missing for reader, one for admin, but a
    // plain user should be told about the reader role in the server's project. (A token
    // without a project is no "user context", so Nova's lookup does not filter it.)
    let d = check_nova(
        &NovaPolicy::defaults(),
        Operation::Get,
        &creds(&[], ""),
        &server(AWAY),
    )
    .unwrap();
    assert!(
        en(&d).starts_with(
            "Denied: the rule needs the role reader in the server's project (p-away), but your \
             token is not scoped to any project."
        ),
        "{}",
        en(&d)
    );
    assert!(
        en(&d).contains("(or the member role, which includes it)"),
        "{}",
        en(&d)
    );
    let unscoped = check_nova(
        &NovaPolicy::defaults(),
        Operation::Get,
        &creds(&["reader"], ""),
        &server(AWAY),
    )
    .unwrap();
    assert!(!unscoped.allowed());
    assert!(
        en(&unscoped).contains("not scoped to any project"),
        "{}",
        en(&unscoped)
    );
}

#[test]
fn wrongly_scoped_tokens_are_refused_before_the_rule() {
    let mut system = creds(&["admin"], "");
    system.system_scope = Some("all".to_owned());
    let d = check_nova(
        &NovaPolicy::defaults(),
        Operation::Get,
        &system,
        &server(HOME),
    )
    .unwrap();
    assert!(!d.allowed());
    assert!(en(&d).contains("only project-scoped tokens"), "{}", en(&d));
    assert!(zh(&d).contains("系统范围"), "{}", zh(&d));
    let mut domain = creds(&["admin"], "");
    domain.domain_id = Some("default".to_owned());
    let d = check_nova(
        &NovaPolicy::defaults(),
        Operation::Get,
        &domain,
        &server(HOME),
    )
    .unwrap();
    assert!(!d.allowed());
    assert!(
        en(&d).contains("domain-scoped (domain default)"),
        "{}",
        en(&d)
    );
}

// --- The rule language -----------------------------------------------------------------------

#[test]
fn each_syntax_element() {
    // (expression, roles, allowed?) with the token in the server's project.
    let cases: &[(&str, &[&str], bool)] = &[
        ("role:reader", &["reader"], true),
        ("role:reader", &["observer"], false),
        ("role:READER", &["Reader"], true),
        ("project_id:%(project_id)s", &[], true),
        ("project_id:p-home", &[], true),
        ("project_id:p-else", &[], false),
        ("'p-home':%(project_id)s", &[], true),
        ("\"p-else\":%(project_id)s", &[], false),
        ("None:%(project_id)s", &[], false),
        ("roles:member", &["admin"], true),
        ("roles:Member", &["member"], false),
        ("is_admin:True", &["admin"], true),
        ("is_admin:True", &["member"], false),
        ("is_admin_project:True", &[], true),
        ("rule:admin_api", &["admin"], true),
        ("rule:project_member_or_admin", &["member"], true),
        ("rule:no_such_rule", &["admin"], false),
        ("not rule:no_such_rule", &[], true),
        ("role:a and role:b", &["a"], false),
        ("role:a and role:b", &["a", "b"], true),
        ("role:a or role:b", &["b"], true),
        ("role:a or role:b", &[], false),
        ("not role:a", &[], true),
        ("not role:a", &["a"], false),
        ("not not role:a", &["a"], true),
        // and binds tighter than or
        ("role:a or role:b and role:c", &["a"], true),
        ("role:a or role:b and role:c", &["b"], false),
        ("role:a and role:b or role:c", &["c"], true),
        // not binds tighter than and
        ("not role:a and role:b", &["b"], true),
        ("not role:a and role:b", &["a", "b"], false),
        // parentheses
        ("(role:a or role:b) and role:c", &["a"], false),
        ("(role:a or role:b) and role:c", &["a", "c"], true),
        ("not (role:a and role:b)", &["a"], true),
        ("((role:a))", &["a"], true),
        ("(role:a)and(role:b)", &["a", "b"], false),
        ("@", &[], true),
        ("!", &["admin"], false),
        ("", &[], true),
        ("not @", &["admin"], false),
        ("not !", &[], true),
        // keywords are case-insensitive, check kinds are not
        ("role:a AND role:b", &["a", "b"], true),
        ("role:x Or role:b", &["b"], true),
        ("NOT role:a", &[], true),
        ("Role:admin", &["admin"], false),
        ("1:%(project_id)s", &[], false),
    ];
    for (expr, roles, expected) in cases {
        let decision = show_with(expr, roles, HOME, HOME);
        assert_eq!(
            decision.allowed(),
            *expected,
            "`{expr}` with {roles:?}: {}",
            en(&decision)
        );
        assert!(decision.overridden);
    }
}

#[test]
fn parenthesised_words_are_not_split_further() {
    // "(role:a)and(role:b)" is one word whose middle `)and(` stays inside the check: the role
    // is literally "a)and(role:b", as in oslo.policy.
    let expr = parse_text_rule("(role:a)and(role:b)").unwrap();
    assert_eq!(render(&expr), "role:a)and(role:b");
}

#[test]
fn rendering_is_canonical() {
    let cases = [
        (
            "role:a   OR  (role:b AND role:c)",
            "role:a or (role:b and role:c)",
        ),
        (
            "role:a or role:b and role:c",
            "role:a or (role:b and role:c)",
        ),
        (
            "(role:a or role:b) and role:c",
            "(role:a or role:b) and role:c",
        ),
        ("not (role:a or role:b)", "not (role:a or role:b)"),
        ("NOT role:a", "not role:a"),
        ("((@))", "@"),
        ("", ""),
    ];
    for (input, expected) in cases {
        assert_eq!(
            render(&parse_text_rule(input).unwrap()),
            expected,
            "{input}"
        );
    }
}

#[test]
fn generic_checks_against_missing_keys_are_false() {
    // The target has no user_id (Nova sends only the project): KeyError, so false.
    let mut me = creds(&["admin"], HOME);
    me.user_id = Some("u1".to_owned());
    let p = policy(&[(SHOW, "user_id:%(user_id)s")]);
    let d = check_nova(&p, Operation::Get, &me, &server(HOME)).unwrap();
    assert!(!d.allowed());
    assert!(en(&d).contains("does not supply"), "{}", en(&d));
    // With a user_id on the target it compares.
    let mine = NovaTarget {
        project_id: HOME.to_owned(),
        user_id: Some("u1".to_owned()),
    };
    assert!(check_nova(&p, Operation::Get, &me, &mine)
        .unwrap()
        .allowed());
    let theirs = NovaTarget {
        project_id: HOME.to_owned(),
        user_id: Some("u2".to_owned()),
    };
    let d = check_nova(&p, Operation::Get, &me, &theirs).unwrap();
    assert!(!d.allowed());
    assert!(en(&d).contains("yours is u1"), "{}", en(&d));
    // A credential field the token lacks is false too, even against an empty match.
    assert!(!allowed("domain_id:%(project_id)s", &["admin"]));
    assert!(!allowed("role:%(nothing)s", &["admin"]));
    assert!(!allowed("project_id:%(nothing)s", &["admin"]));
}

#[test]
fn case_sensitive_kind_gets_a_hint() {
    let d = show_with("Role:admin", &["admin"], HOME, HOME);
    assert!(!d.allowed());
    assert!(en(&d).contains("did you mean `role:…`?"), "{}", en(&d));
    assert!(en(&d).contains("only the cloud operator"), "{}", en(&d));
}

#[test]
fn undefined_rule_fails_closed_and_says_so() {
    let d = show_with("rule:no_such_rule", &["admin"], HOME, HOME);
    assert!(!d.allowed());
    assert!(
        en(&d).contains("rule:no_such_rule, which is not defined"),
        "{}",
        en(&d)
    );
    assert!(zh(&d).contains("未定义"), "{}", zh(&d));
}

#[test]
fn never_and_empty_rules_are_explained() {
    let d = show_with("!", &["admin"], HOME, HOME);
    assert!(
        en(&d).starts_with("Denied: the rule denies everyone (`!`)."),
        "{}",
        en(&d)
    );
    let d = show_with("", &[], HOME, HOME);
    assert!(d.allowed());
    assert_eq!(d.expression, "");
    assert!(
        en(&d).contains("empty rule as \"allow everyone\""),
        "{}",
        en(&d)
    );
    let d = show_with("@", &[], HOME, HOME);
    assert!(
        en(&d).starts_with("Allowed: the rule lets everyone in (@)."),
        "{}",
        en(&d)
    );
}

#[test]
fn is_admin_follows_context_is_admin() {
    let p = policy(&[
        ("context_is_admin", "role:cloud_admin"),
        (SHOW, "is_admin:True"),
    ]);
    let check = |roles: &[&str]| {
        check_nova(&p, Operation::Get, &creds(roles, HOME), &server(HOME)).unwrap()
    };
    assert!(check(&["cloud_admin"]).allowed());
    assert!(!check(&["admin"]).allowed());
    assert!(en(&check(&["admin"])).contains("context_is_admin"));
    // context_is_admin sees the credentials as its target.
    let p = policy(&[
        (
            "context_is_admin",
            "role:admin and project_id:%(project_id)s",
        ),
        (SHOW, "rule:admin_api"),
    ]);
    assert!(
        check_nova(&p, Operation::Get, &creds(&["admin"], HOME), &server(AWAY))
            .unwrap()
            .allowed()
    );
    // A context_is_admin that refers to is_admin sees it unset (Nova is still computing it).
    let p = policy(&[
        ("context_is_admin", "is_admin:True"),
        (SHOW, "is_admin:True"),
    ]);
    assert!(
        !check_nova(&p, Operation::Get, &creds(&["admin"], HOME), &server(HOME))
            .unwrap()
            .allowed()
    );
}

// --- Files -----------------------------------------------------------------------------------

#[test]
fn yaml_file_with_comments_and_quoting() {
    let text = "\u{feff}---\n\
        # Nova policy overrides\r\n\
        \n\
        \"admin_api\": \"role:cloud_admin\"   # who counts as admin\n\
        'project_member_api': 'role:member and project_id:%(project_id)s'\n\
        os_compute_api:os-server-password:show: rule:admin_api or role:it''s # plain\n\
        \"os_compute_api:os-server-password:clear\": 'role:it''s'\n\
        folded: role:a or\n\
        \x20 role:b\n\
        quoted_folded: \"role:a\n\
        \x20   and role:b\"\n\
        block: >-\n\
        \x20 role:a\n\
        \x20 or role:c\n\
        tagged: ! role:a\n\
        escaped: \"role:\\x61\"\n\
        empty: ''\n\
        null_value:\n\
        tilde: ~\n";
    let p = NovaPolicy::parse(text).unwrap();
    let expr = |name: &str| render(&p.rules[name].expr);
    assert_eq!(expr("admin_api"), "role:cloud_admin");
    assert_eq!(
        expr("project_member_api"),
        "role:member and project_id:%(project_id)s"
    );
    assert_eq!(expr(SHOW), "rule:admin_api or role:it''s");
    assert_eq!(expr(CLEAR), "role:it's");
    assert_eq!(expr("folded"), "role:a or role:b");
    assert_eq!(expr("quoted_folded"), "role:a and role:b");
    assert_eq!(expr("block"), "role:a or role:c");
    assert_eq!(expr("tagged"), "role:a");
    assert_eq!(expr("escaped"), "role:a");
    for name in ["empty", "null_value", "tilde"] {
        assert_eq!(p.rules[name].expr, Expr::Empty, "{name}");
    }
    let d = check_nova(&p, Operation::Clear, &creds(&["it's"], HOME), &server(HOME)).unwrap();
    assert!(d.allowed() && d.overridden);
    assert!(
        en(&d).ends_with("This rule comes from the cloud's policy file, not from Nova's defaults.")
    );
}

#[test]
fn json_file_with_strings_null_and_old_lists() {
    let text = r#"
            {
                "admin_api": "role:cloud_admin",
                "os_compute_api:os-server-password:show": [["role:reader", "project_id:%(project_id)s"], ["rule:admin_api"]],
                "os_compute_api:os-server-password:clear": null,
                "empty_list": [],
                "only_empty": [[]],
                "bare": ["role:a"]
            }"#;
    let p = NovaPolicy::parse(text).unwrap();
    assert_eq!(
        render(&p.rules[SHOW].expr),
        "(role:reader and project_id:%(project_id)s) or rule:admin_api"
    );
    assert_eq!(p.rules["empty_list"].expr, Expr::Empty);
    assert_eq!(p.rules["only_empty"].expr, Expr::Never);
    assert_eq!(render(&p.rules["bare"].expr), "role:a");
    let show = |roles: &[&str], project: &str| {
        check_nova(&p, Operation::Get, &creds(roles, HOME), &server(project))
            .unwrap()
            .allowed()
    };
    assert!(show(&["member"], HOME));
    assert!(!show(&["member"], AWAY));
    assert!(show(&["cloud_admin"], HOME));
    assert!(!show(&["admin"], AWAY));
    let clear = check_nova(&p, Operation::Clear, &creds(&[], HOME), &server(HOME)).unwrap();
    assert!(
        clear.allowed(),
        "a null rule allows everyone, as in oslo.policy"
    );
}

#[test]
fn show_overridden_with_admin_api_from_the_same_file() {
    let text = "\"admin_api\": \"role:cloud_admin\"\n\
                \"os_compute_api:os-server-password:show\": \"rule:admin_api\"\n";
    let p = NovaPolicy::parse(text).unwrap();
    let show = |roles: &[&str]| {
        check_nova(&p, Operation::Get, &creds(roles, HOME), &server(HOME)).unwrap()
    };
    let d = show(&["cloud_admin"]);
    assert!(d.allowed() && d.overridden);
    assert_eq!(d.expression, "rule:admin_api");
    assert!(en(&d).contains("Matched: `role:cloud_admin`"), "{}", en(&d));
    let d = show(&["admin"]);
    assert!(!d.allowed());
    assert!(
        en(&d).contains("the rule needs the role cloud_admin"),
        "{}",
        en(&d)
    );
    // clear keeps Nova's default.
    let d = check_nova(
        &p,
        Operation::Clear,
        &creds(&["member"], HOME),
        &server(HOME),
    )
    .unwrap();
    assert!(d.allowed() && !d.overridden);
    // Without the file's admin_api, Nova's default (is_admin:True, i.e. role:admin) applies.
    let p = policy(&[(SHOW, "rule:admin_api")]);
    assert!(
        check_nova(&p, Operation::Get, &creds(&["admin"], HOME), &server(AWAY))
            .unwrap()
            .allowed()
    );
}

#[test]
fn bare_bang_in_yaml_allows_everyone_and_warns() {
    let p = NovaPolicy::parse("os_compute_api:os-server-password:show: !\n").unwrap();
    let d = check_nova(&p, Operation::Get, &creds(&[], HOME), &server(HOME)).unwrap();
    assert!(d.allowed());
    assert!(en(&d).contains("unquoted !"), "{}", en(&d));
    assert!(zh(&d).contains("不带引号的 !"), "{}", zh(&d));
    let p = NovaPolicy::parse("os_compute_api:os-server-password:show: '!'\n").unwrap();
    assert!(
        !check_nova(&p, Operation::Get, &creds(&["admin"], HOME), &server(HOME))
            .unwrap()
            .allowed()
    );
}

#[test]
fn cycles_are_reported() {
    let p = policy(&[
        ("a", "rule:b"),
        ("b", "role:x or rule:a"),
        (SHOW, "role:admin or rule:a"),
    ]);
    let err = check_nova(&p, Operation::Get, &creds(&["admin"], HOME), &server(HOME)).unwrap_err();
    assert!(
        refusal(&err).contains(&format!("policy rule \"{}\"", "a")),
        "{err}"
    );
    assert!(
        refusal(&err).contains("rule:a -> rule:b -> rule:a"),
        "{}",
        refusal(&err)
    );
    let own = policy(&[(SHOW, "rule:os_compute_api:os-server-password:show")]);
    let err = check_nova(&own, Operation::Get, &creds(&[], HOME), &server(HOME)).unwrap_err();
    assert!(refusal(&err).contains("cycle"), "{}", refusal(&err));
    // A cycle the checked rule cannot reach is not its problem.
    let elsewhere = policy(&[("a", "rule:b"), ("b", "rule:a")]);
    assert!(check_nova(
        &elsewhere,
        Operation::Get,
        &creds(&["reader"], HOME),
        &server(HOME)
    )
    .unwrap()
    .allowed());
}

#[test]
fn depth_is_bounded() {
    // A chain of 40 rules, then one of 10 000: an error, not a stack overflow.
    for length in [40_usize, 10_000] {
        let names: Vec<String> = (0..length).map(|i| format!("r{i}")).collect();
        let mut rules: Vec<(String, String)> = (0..length - 1)
            .map(|i| (names[i].clone(), format!("rule:{}", names[i + 1])))
            .collect();
        rules.push((names[length - 1].clone(), "role:admin".to_owned()));
        rules.push((SHOW.to_owned(), "rule:r0".to_owned()));
        let pairs: Vec<(&str, &str)> = rules
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let err = check_nova(
            &policy(&pairs),
            Operation::Get,
            &creds(&["admin"], HOME),
            &server(HOME),
        )
        .unwrap_err();
        assert!(
            refusal(&err).contains(&format!("policy rule \"{}\"", SHOW)),
            "{err}"
        );
        assert!(
            refusal(&err).contains("more than 32 levels"),
            "{}",
            refusal(&err)
        );
    }
    // A chain of 30 is fine.
    let mut rules: Vec<(String, String)> = (0..29)
        .map(|i| (format!("r{i}"), format!("rule:r{}", i + 1)))
        .collect();
    rules.push(("r29".to_owned(), "role:admin".to_owned()));
    rules.push((SHOW.to_owned(), "rule:r0".to_owned()));
    let pairs: Vec<(&str, &str)> = rules
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert!(check_nova(
        &policy(&pairs),
        Operation::Get,
        &creds(&["admin"], HOME),
        &server(HOME)
    )
    .unwrap()
    .allowed());
    // Deep parentheses are a parse error.
    let deep = format!("{}role:a{}", "(".repeat(40), ")".repeat(40));
    let err = parse_error(&format!("{{\"r\": \"{deep}\"}}"));
    assert!(err.to_string().contains("more than 32 levels"), "{err}");
    let nots = format!("{}role:a", "not ".repeat(40));
    assert!(NovaPolicy::parse(&format!("{{\"r\": \"{nots}\"}}")).is_err());
}

#[test]
fn shared_references_do_not_explode() {
    // Each level refers to the previous one twice: 2^10 alternatives, too many to list, and
    // evaluation stays linear thanks to memoisation.
    let mut rules = vec![("l0".to_owned(), "role:x0 or role:y0".to_owned())];
    for i in 1..10 {
        rules.push((
            format!("l{i}"),
            format!(
                "(rule:l{} and role:x{i}) or (rule:l{} and role:y{i})",
                i - 1,
                i - 1
            ),
        ));
    }
    rules.push((SHOW.to_owned(), "rule:l9".to_owned()));
    let pairs: Vec<(&str, &str)> = rules
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let p = policy(&pairs);
    let d = check_nova(&p, Operation::Get, &creds(&["nobody"], HOME), &server(HOME)).unwrap();
    assert!(!d.allowed());
    assert!(en(&d).contains("too many alternatives"), "{}", en(&d));
    let all: Vec<String> = (0..10).map(|i| format!("x{i}")).collect();
    let all: Vec<&str> = all.iter().map(String::as_str).collect();
    let d = check_nova(&p, Operation::Get, &creds(&all, HOME), &server(HOME)).unwrap();
    assert!(d.allowed());
}

#[test]
fn remote_checks_are_refused_only_when_reached() {
    let p = policy(&[
        (SHOW, "role:admin or http://policy.example/check"),
        ("other", "https://x"),
    ]);
    let err = check_nova(&p, Operation::Get, &creds(&["admin"], HOME), &server(HOME)).unwrap_err();
    assert!(
        refusal(&err).contains(&format!("policy rule \"{}\"", SHOW)),
        "{err}"
    );
    assert!(refusal(&err).contains("remote server"), "{}", refusal(&err));
    assert!(check_nova(
        &p,
        Operation::Clear,
        &creds(&["member"], HOME),
        &server(HOME)
    )
    .unwrap()
    .allowed());
}

#[test]
fn parse_errors_name_the_rule_and_position() {
    // (file, rule, fragment of the English message, fragment of the Chinese one)
    let table: &[(&str, Option<&str>, &str, &str)] = &[
        (
            r#"{"r": "role:a or (role:b"}"#,
            Some("r"),
            "the `(` at column 11 is never closed (in `role:a or (role:b`)",
            "第 11 列的 `(` 始终没有闭合（位于 `role:a or (role:b`）",
        ),
        (r#"{"r": "role:a and"}"#, Some("r"), "ends at column 11", "规则在第 11 列结束"),
        (
            r#"{"r": "role:a role:b"}"#,
            Some("r"),
            "unexpected check `role:b` (join checks with `and` or `or`) at column 8",
            "第 8 列出现了意外的检查 `role:b`（检查之间请用 `and` 或 `or` 连接）",
        ),
        (
            r#"{"r": "role:a 'q'"}"#,
            Some("r"),
            "unexpected quoted text 'q' at column 8",
            "第 8 列出现了意外的带引号文本 'q'",
        ),
        (
            r#"{"r": "(role:a))"}"#,
            Some("r"),
            "unexpected `)` at column 9",
            "第 9 列出现了意外的`)`",
        ),
        (
            r#"{"r": "(role:a role:b"}"#,
            Some("r"),
            "unexpected check `role:b` (join checks with `and` or `or`) at column 9; the `(` at \
             column 1 is not closed",
            "第 9 列出现了意外的检查 `role:b`（检查之间请用 `and` 或 `or` 连接）；第 1 列的 `(` 没有闭合",
        ),
        (
            r#"{"r": "role:a and or role:b"}"#,
            Some("r"),
            "unexpected `or` at column 12 where a check was expected",
            "第 12 列应为一个检查，却是`or`",
        ),
        (
            r#"{"r": "admin"}"#,
            Some("r"),
            "`admin` at column 1 is not a check",
            "第 1 列的 `admin` 不是检查",
        ),
        (
            r#"{"r": ["admin"]}"#,
            Some("r"),
            "element 1.1 of the list: `admin` at column 1 is not a check",
            "列表的第 1.1 个元素：第 1 列的 `admin` 不是检查",
        ),
        (r#"{"r": "   "}"#, Some("r"), "blank", "空白"),
        (
            r#"{"r": "role:a or 'quoted'"}"#,
            Some("r"),
            "quoted text 'quoted' at column 11",
            "第 11 列的带引号文本 'quoted' 不是检查",
        ),
        (
            r#"{"r": "project_id:%(project_id)d"}"#,
            Some("r"),
            "`%` at column 12",
            "第 12 列的 `%`",
        ),
        (
            r#"{"r": "007:%(project_id)s"}"#,
            Some("r"),
            "the number `007` at column 1 has a leading zero",
            "第 1 列的数字 `007` 有前导零",
        ),
        (
            r#"{"r": "'a'b':x"}"#,
            Some("r"),
            "the quoted text `'a'b'` at column 1 is not a simple string literal",
            "第 1 列的带引号文本 `'a'b'` 不是简单的字符串字面量",
        ),
        (
            r#"{"r": ":x"}"#,
            Some("r"),
            "`:x` at column 1 has nothing before the `:`",
            "第 1 列的 `:x` 在 `:` 之前没有内容",
        ),
        (
            r#"{"r": 5}"#,
            Some("r"),
            "line 1: YAML reads the value as an integer",
            "第 1 行：YAML 把该值读成了整数",
        ),
        (r#"{"r": true}"#, Some("r"), "as a boolean", "读成了布尔值"),
        (r#"{"r": {"a": "b"}}"#, Some("r"), "as a mapping", "读成了映射"),
        (
            r#"{"r": [5]}"#,
            Some("r"),
            "element 1 of the list is neither",
            "列表的第 1 个元素既不是字符串也不是列表",
        ),
        (
            r#"{"r": [["role:a", 5]]}"#,
            Some("r"),
            "element 1.2 of the list is not a string",
            "列表的第 1.2 个元素不是字符串",
        ),
        (r#"{"r": [[["role:a"]]]}"#, None, "nest deeper", "列表嵌套超过"),
        (
            r#"{"r": "role:a"} extra"#,
            None,
            "line 1: not valid YAML",
            "第 1 行：不是有效的 YAML",
        ),
        (
            "{\"r\": \"role:a\",\n \"r\": \"role:b\"}",
            Some("r"),
            "line 2: the rule is defined twice (first on line 1)",
            "第 2 行：该规则被定义了两次（第一次在第 1 行）",
        ),
        (
            "a: role:a\nb: '!'\na: role:b\n",
            Some("a"),
            "line 3: the rule is defined twice",
            "第 3 行：该规则被定义了两次",
        ),
        (
            "1:20: role:a\n",
            None,
            "reads the rule name as an integer (`1:20`)",
            "把规则名读成了整数（`1:20`）",
        ),
        ("~: role:a\n", None, "a rule name is empty (null)", "规则名为空（null）"),
        (
            "? {a: b}\n: role:a\n",
            None,
            "a rule name must be a string",
            "规则名必须是字符串",
        ),
        ("r: 1:20\n", Some("r"), "as an integer (`1:20`)", "整数（`1:20`）"),
        ("r: 1.5\n", Some("r"), "as a number (`1.5`)", "数字（`1.5`）"),
        ("r: off\n", Some("r"), "as a boolean (`off`)", "布尔值（`off`）"),
        (
            "r: 2026-12-01\n",
            Some("r"),
            "as a date (`2026-12-01`)",
            "日期（`2026-12-01`）",
        ),
        ("r: <<\n", Some("r"), "as a merge key (`<<`)", "合并键（`<<`）"),
        ("r: =\n", Some("r"), "as a value key (`=`)", "值键（`=`）"),
        ("r: !!int 5\n", Some("r"), "`!!int` is a YAML tag", "`!!int` 是"),
        ("r: !!binary aGk=\n", Some("r"), "is a YAML tag", "`!!binary` 是"),
        ("<<: {r: role:a}\n", None, "merge keys", "合并键（`<<`）"),
        ("r: *nowhere\n", None, "not valid YAML", "不是有效的 YAML"),
        (
            "r: role:a and is:x\n",
            Some("r"),
            "`is` at column 12 is neither",
            "第 12 列的 `is` 既不是凭据字段名",
        ),
        (
            "r: project-id:x\n",
            Some("r"),
            "is neither a credential field",
            "第 1 列的 `project-id` 既不是凭据字段名",
        ),
        (
            "r: u'x':%(project_id)s\n",
            Some("r"),
            "is neither a credential field",
            "第 1 列的 `u'x'` 既不是",
        ),
        (
            "r: roles.x:y\n",
            Some("r"),
            "looks inside the credential field roles",
            "凭据字段 roles 的内部",
        ),
        (
            "\"r\": \"role:a or\"\n",
            Some("r"),
            "line 1: the rule ends at column 10",
            "第 1 行：规则在第 10 列结束",
        ),
        (
            "# c\nok: role:a\nbad: role:a and not\n",
            Some("bad"),
            "line 3",
            "第 3 行",
        ),
        (
            "r: @\n",
            None,
            "line 1: not valid YAML (or JSON): unexpected character",
            "第 1 行：不是有效的 YAML（或 JSON）：",
        ),
        ("r: a: b\n", None, "line 1: not valid YAML", "第 1 行：不是有效的 YAML"),
        ("r: \"role:a\n", None, "not valid YAML", "不是有效的 YAML"),
        ("r: \"role:a\" x\n", None, "not valid YAML", "不是有效的 YAML"),
        (
            "r: yes\n",
            Some("r"),
            "line 1: YAML reads the value as a boolean (`yes`)",
            "第 1 行：YAML 把该值读成了布尔值（`yes`）",
        ),
        ("r: !foo role:a\n", Some("r"), "`!foo` is a YAML tag", "`!foo` 是"),
        (
            "just text\n",
            None,
            "line 1: the file must be a mapping",
            "第 1 行：文件必须是规则名到规则的映射",
        ),
        (
            "ok: role:a\n  indented: role:b\n",
            None,
            "line 2: not valid YAML",
            "第 2 行：不是有效的 YAML",
        ),
        (
            "a: role:a\n---\nb: role:b\n",
            None,
            "line 2: a second YAML document",
            "第 2 行：出现了第二个 YAML 文档",
        ),
        (
            "- role:a\n",
            None,
            "line 1: the file must be a mapping of rule names to rules, not a list",
            "第 1 行：文件必须是规则名到规则的映射，而不是列表",
        ),
    ];
    // Generated: nesting past MAX_DEPTH, and an alias bomb past the node bound.
    let deep = format!(
        "r: \"{}role:a{}\"\n",
        "(".repeat(rule::MAX_DEPTH + 1),
        ")".repeat(rule::MAX_DEPTH + 1)
    );
    let row = format!("[{}]", vec!["x"; 100].join(","));
    let bomb = format!(
        "a: &a [{}]\n{}",
        vec![row.as_str(); 100].join(","),
        (0..20).map(|i| format!("b{i}: *a\n")).collect::<String>()
    );
    let too_deep_en = format!("nests `(` and `not` more than {} levels", rule::MAX_DEPTH);
    let too_deep_zh = format!("嵌套的 `(` 和 `not` 超过 {} 层", rule::MAX_DEPTH);
    let generated = [
        (
            deep.as_str(),
            Some("r"),
            too_deep_en.as_str(),
            too_deep_zh.as_str(),
        ),
        (
            bomb.as_str(),
            None,
            "more than 200000 values",
            "超过 200000 个值",
        ),
    ];
    let mut reached = std::collections::BTreeSet::new();
    for (file, rule, en, zh) in table.iter().chain(&generated) {
        let err = parse_error(file);
        assert_eq!(err.rule.as_deref(), *rule, "{file:?}: {err}");
        let detail = text(&err.message, Lang::En);
        assert!(detail.contains(en), "{file:?}: {detail}");
        assert!(
            text(&err.message, Lang::Zh).contains(zh),
            "{file:?}: {}",
            text(&err.message, Lang::Zh)
        );
        assert!(err.to_string().contains(&detail));
        // The full message renders in both languages, naming the rule.
        for lang in Lang::ALL {
            let full = text(&err.full(), lang);
            assert!(rule.is_none_or(|r| full.contains(r)), "{full}");
        }
        err.message.collect_ids(&mut reached);
    }
    // Every parser diagnostic is reached by a case, except those the YAML parser's own checks
    // pre-empt (saphyr-parser rejects an unknown alias and always ends the stream itself).
    let unreachable = [
        "nova-parse-yaml-unknown-anchor",
        "nova-parse-yaml-truncated",
        "nova-parse-yaml-structure",
    ];
    let catalogue: Vec<&str> = Lang::En
        .message_ids()
        .filter(|id| id.starts_with("nova-parse-"))
        .collect();
    assert!(unreachable.iter().all(|id| catalogue.contains(id)));
    let missed: Vec<&&str> = catalogue
        .iter()
        .filter(|id| !reached.contains(**id) && !unreachable.contains(id))
        .collect();
    assert!(missed.is_empty(), "diagnostics no case reaches: {missed:?}");
    let err = parse_error(r#"{"os_compute_api:os-server-password:show": "role:a or"}"#);
    assert!(
        err.to_string()
            .starts_with("policy rule \"os_compute_api:os-server-password:show\": "),
        "{err}"
    );
}

#[test]
fn empty_files_keep_the_defaults() {
    for text in ["", "\n\n", "# only a comment\n", "{}", "---\n...\n"] {
        let p = NovaPolicy::parse(text).unwrap();
        let d = check_nova(&p, Operation::Get, &creds(&["reader"], HOME), &server(HOME)).unwrap();
        assert!(d.allowed() && !d.overridden, "{text:?}");
    }
}

#[test]
fn outputs_serialize_in_camel_case() {
    let d = check_nova(
        &NovaPolicy::defaults(),
        Operation::Get,
        &creds(&["reader"], HOME),
        &server(HOME),
    )
    .unwrap();
    let json = serde_json::to_value(&d).unwrap();
    for key in [
        "decision",
        "reason",
        "operation",
        "rule",
        "expression",
        "overridden",
        "effectiveRoles",
        "isAdmin",
        "release",
        "explanation",
    ] {
        assert!(json.get(key).is_some(), "{key} in {json}");
    }
    assert_eq!(
        (&json["decision"], &json["reason"], &json["operation"]),
        (&"allow".into(), &"allow".into(), &"get".into())
    );
    assert_eq!(json["explanation"]["messageId"], "nova-allowed");
    assert!(json.get("explanationZh").is_none() && json.get("allowed").is_none());
    assert_eq!(serde_json::to_value(Operation::Clear).unwrap(), "clear");
    let parsed: NovaCredentials =
        serde_json::from_str(r#"{"roles": ["member"], "projectId": "p", "systemScope": null}"#)
            .unwrap();
    assert_eq!(parsed, creds(&["member"], "p"));
}

// --- As Nova and oslo.policy evaluate it (each checked by tests/nova_oracle.rs too) ----------

fn load(text: &str, release: NovaRelease, enforce_new_defaults: bool) -> NovaPolicy {
    NovaPolicy::load(
        Some(text),
        NovaConfig {
            release,
            enforce_new_defaults,
        },
    )
    .unwrap()
}

fn decide(p: &NovaPolicy, op: Operation, roles: &[&str], token: &str, at: &str) -> bool {
    check_nova(p, op, &creds(roles, token), &server(at))
        .unwrap()
        .allowed()
}

#[test]
fn defaults_are_registered_by_reference_to_the_base_rules() {
    // nova/policies/server_password.py: check_str=base.PROJECT_READER_OR_ADMIN.
    let d = check_nova(
        &NovaPolicy::defaults(),
        Operation::Get,
        &creds(&["reader"], HOME),
        &server(HOME),
    )
    .unwrap();
    assert_eq!(d.expression, "rule:project_reader_or_admin");
    assert_eq!(d.release, NovaRelease::V2025_2);
    // So an override of a base rule changes the answer, as in Nova.
    let p = policy(&[(
        "project_reader_api",
        "role:auditor and project_id:%(project_id)s",
    )]);
    assert!(!decide(&p, Operation::Get, &["reader"], HOME, HOME));
    assert!(decide(&p, Operation::Get, &["auditor"], HOME, HOME));
    let p = policy(&[("context_is_admin", "role:cloud_admin")]);
    assert!(!decide(&p, Operation::Get, &["admin"], HOME, AWAY));
    assert!(decide(&p, Operation::Get, &["cloud_admin"], HOME, AWAY));
}

#[test]
fn manager_and_service_base_rules_exist_from_2025_2() {
    // nova/policies/base.py (32.0.0): project_manager_api, service_api, service_or_admin.
    let text = "os_compute_api:os-server-password:show: rule:project_manager_or_admin\n\
                os_compute_api:os-server-password:clear: rule:service_or_admin\n";
    let now = load(text, NovaRelease::V2025_2, true);
    assert!(decide(&now, Operation::Get, &["manager"], HOME, HOME));
    assert!(!decide(&now, Operation::Get, &["member"], HOME, HOME));
    assert!(decide(&now, Operation::Clear, &["service"], HOME, HOME));
    // keystone/cmd/bootstrap.py: admin implies manager.
    assert!(decide(&now, Operation::Get, &["admin"], HOME, HOME));
    let before = load(text, NovaRelease::V2023_1, true);
    assert!(!decide(&before, Operation::Get, &["manager"], HOME, HOME));
    assert!(!decide(&before, Operation::Clear, &["service"], HOME, HOME));
}

#[test]
fn the_deprecated_name_applies_as_oslo_policy_applies_it() {
    // oslo_policy/policy.py _handle_deprecated_rule: an override of the deprecated name
    // replaces the new default when the new name is not overridden.
    let p = policy(&[("os_compute_api:os-server-password", "role:x")]);
    for op in OPERATIONS {
        let d = check_nova(&p, op, &creds(&["x"], HOME), &server(HOME)).unwrap();
        assert!(d.allowed() && d.overridden, "{op:?}");
        assert!(en(&d).contains("deprecated name"), "{}", en(&d));
        assert!(!decide(&p, op, &["admin"], HOME, HOME));
    }
    let p = policy(&[
        ("os_compute_api:os-server-password", "role:x"),
        (SHOW, "role:y"),
    ]);
    assert!(decide(&p, Operation::Get, &["y"], HOME, HOME));
    assert!(!decide(&p, Operation::Get, &["x"], HOME, HOME));
    assert!(decide(&p, Operation::Clear, &["x"], HOME, HOME));
    // The deprecated default itself, or a reference to the new rule, changes nothing.
    let p = policy(&[("os_compute_api:os-server-password", "(rule:admin_or_owner)")]);
    assert!(!decide(&p, Operation::Get, &[], HOME, HOME));
    let p = policy(&[(
        "os_compute_api:os-server-password",
        "rule:os_compute_api:os-server-password:show",
    )]);
    let d = check_nova(&p, Operation::Get, &creds(&["reader"], HOME), &server(HOME)).unwrap();
    assert!(d.allowed() && !d.overridden);
    // ... but for clear it is an override: readers may clear.
    assert!(decide(&p, Operation::Clear, &["reader"], HOME, HOME));
    // Base rules: the deprecated names really are "rule:admin_api" and "rule:admin_or_owner".
    let p = policy(&[("rule:admin_or_owner", "role:z")]);
    assert!(decide(&p, Operation::Get, &["z"], HOME, HOME));
    assert!(!decide(&p, Operation::Get, &["reader"], HOME, HOME));
    // Nova's own deprecated is_admin:True is a generic check, so the operator's identical text
    // (an IsAdminCheck) differs from it and replaces context_is_admin: nobody is admin then.
    let p = policy(&[("rule:admin_api", "is_admin:True")]);
    let d = check_nova(&p, Operation::Get, &creds(&["admin"], HOME), &server(HOME)).unwrap();
    assert!(!d.is_admin);
}

#[test]
fn enforce_new_defaults_false_ors_the_deprecated_default_in() {
    // With enforce_new_defaults = False, show is project_reader_or_admin or admin_or_owner,
    // and admin_or_owner lets any token of the server's project in.
    let old = load("", NovaRelease::V2025_2, false);
    let d = check_nova(&old, Operation::Get, &creds(&[], HOME), &server(HOME)).unwrap();
    assert!(d.allowed(), "{}", en(&d));
    assert!(en(&d).contains("enforce_new_defaults"), "{}", en(&d));
    let new = load("", NovaRelease::V2025_2, true);
    assert!(!decide(&new, Operation::Get, &[], HOME, HOME));
}

#[test]
fn undefined_rules_fall_back_to_default() {
    // oslo_policy/policy.py Rules.__missing__ with policy_default_rule = "default".
    let p = policy(&[("default", "role:x"), (SHOW, "rule:nowhere")]);
    assert!(decide(&p, Operation::Get, &["x"], HOME, HOME));
    assert!(!decide(&p, Operation::Get, &["admin"], HOME, HOME));
    // A default that refers to an undefined rule refers to itself: a cycle.
    let p = policy(&[("default", "rule:nowhere"), (SHOW, "rule:elsewhere")]);
    let err = check_nova(&p, Operation::Get, &creds(&[], HOME), &server(HOME)).unwrap_err();
    assert!(refusal(&err).contains("cycle"), "{}", refusal(&err));
}

#[test]
fn is_admin_is_novas_own_check() {
    // nova/policy.py IsAdminCheck: expected = match.lower() == 'true'; no substitution.
    for (expr, roles, expected) in [
        ("is_admin:True", &["admin"][..], true),
        ("is_admin:true", &["admin"], true),
        ("is_admin:TRUE", &["admin"], true),
        ("is_admin:yes", &["admin"], false),
        ("is_admin:yes", &["member"], true),
        ("is_admin:False", &["member"], true),
        ("is_admin:%(project_id)s", &["admin"], false),
    ] {
        assert_eq!(allowed(expr, roles), expected, "{expr} {roles:?}");
    }
    // While Nova computes is_admin, it is None: neither True nor False.
    let p = policy(&[("context_is_admin", "is_admin:False or role:x")]);
    let d = check_nova(&p, Operation::Get, &creds(&["member"], HOME), &server(HOME)).unwrap();
    assert!(!d.is_admin);
}

#[test]
fn credentials_are_novas_policy_values() {
    // oslo_context/context.py to_policy_values: unset fields are None, str(None) == "None".
    assert!(allowed("domain_id:None", &[]));
    assert!(allowed("user_domain_id:None", &[]));
    assert!(allowed("service_project_id:None", &[]));
    assert!(!allowed("system:None", &[]));
    assert!(!allowed("not_a_field:None", &[]));
    // roles: as Keystone writes them, compared exactly by a generic check.
    assert!(allowed("roles:Member", &["Member"]));
    assert!(!allowed("roles:member", &["Member"]));
    assert!(allowed("roles:reader", &["Member"]));
    assert!(allowed("role:member", &["Member"]));
    // A token without a project: project_id is None, and so is the target of context_is_admin.
    let p = policy(&[("context_is_admin", "project_id:None")]);
    let d = check_nova(&p, Operation::Get, &creds(&[], ""), &server(HOME)).unwrap();
    assert!(d.is_admin && d.allowed());
}

#[test]
fn legacy_release_checks_one_rule_against_the_own_project() {
    // Nova 20.0.0: os_compute_api:os-server-password = rule:admin_or_owner, context.can()
    // without a target, so default_target(context): the token's own project.
    let p = NovaPolicy::load(
        None,
        NovaConfig {
            release: NovaRelease::Legacy,
            enforce_new_defaults: true,
        },
    )
    .unwrap();
    let d = check_nova(&p, Operation::Clear, &creds(&[], HOME), &server(HOME)).unwrap();
    assert!(d.allowed());
    assert_eq!(d.rule, "os_compute_api:os-server-password");
    assert_eq!(d.expression, "rule:admin_or_owner");
    // Another project's server is not found, unless the token is an admin's.
    assert!(!decide(&p, Operation::Get, &["member"], HOME, AWAY));
    assert!(decide(&p, Operation::Get, &["admin"], HOME, AWAY));
    // No scope types in Legacy: a system-scoped admin is not refused by scope.
    let mut system = creds(&["admin"], "");
    system.system_scope = Some("all".to_owned());
    assert!(check_nova(&p, Operation::Get, &system, &server(HOME))
        .unwrap()
        .allowed());
    assert_eq!(NovaRelease::parse("Train"), Some(NovaRelease::Legacy));
    assert_eq!(NovaRelease::parse("2024.1"), Some(NovaRelease::V2023_1));
    assert_eq!(NovaRelease::parse("2026.1"), Some(NovaRelease::V2025_2));
    assert_eq!(NovaRelease::parse("ussuri"), None);
}

#[test]
fn yaml_lists_and_anchors_read_as_pyyaml_reads_them() {
    // oslo.policy documents `rule: []` as "always"; lists are or-of-and of single checks.
    let text = "os_compute_api:os-server-password:show: []\n\
                os_compute_api:os-server-password:clear:\n  - [role:a, project_id:%(project_id)s]\n  - role:b\n\
                x: &shared role:c\n\
                y: *shared\n";
    let p = NovaPolicy::parse(text).unwrap();
    assert!(decide(&p, Operation::Get, &[], HOME, HOME));
    assert!(decide(&p, Operation::Clear, &["a"], HOME, HOME));
    assert!(decide(&p, Operation::Clear, &["b"], HOME, HOME));
    assert!(!decide(&p, Operation::Clear, &["c"], HOME, HOME));
    assert_eq!(render(&p.rules["y"].expr), "role:c");
}

/// A deterministic stream of awkward inputs: nothing panics, overflows or hangs.
#[test]
fn garbage_never_panics() {
    const PIECES: [&str; 24] = [
        "(", ")", " ", "and", "or", "not", "role:", "rule:", "a", "%(", ")s", "%", "'", "\"", ":",
        "@", "!", "\n", "#", "{", "}", "[", "\\", "é",
    ];
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for _ in 0..3000 {
        let len = (next() % 24) as usize;
        let text: String = (0..len)
            .map(|_| PIECES[(next() % PIECES.len() as u64) as usize])
            .collect();
        let _ = parse_text_rule(&text);
        for file in [
            format!("{SHOW}: {text}"),
            format!("{{\"{SHOW}\": {:?}}}", text),
            text.clone(),
        ] {
            if let Ok(p) = NovaPolicy::parse(&file) {
                for op in OPERATIONS {
                    let _ = check_nova(&p, op, &creds(&["member"], HOME), &server(HOME));
                }
            }
        }
    }
}

// --- Every reason renders ---------------------------------------------------------------------

/// Each branch of the explanation, driven through `check_nova` with real arguments: every
/// `nova-*` reason of the catalogue is reached, and renders in English and Chinese without a
/// Fluent error and without an id left unrendered.
#[test]
fn every_reason_renders_in_every_language() {
    let with_user = |roles: &[&str], user: Option<&str>| NovaCredentials {
        user_id: user.map(str::to_owned),
        ..creds(roles, HOME)
    };
    let scoped = |system: Option<&str>, domain: Option<&str>| NovaCredentials {
        system_scope: system.map(str::to_owned),
        domain_id: domain.map(str::to_owned),
        ..creds(&["admin"], HOME)
    };
    let many = "(role:a or role:b) and (role:c or role:d) and (role:e or role:f) and \
                (role:g or role:h) and (role:i or role:j) and (role:k or role:l) and (role:m or role:n)";
    let deprecated = "\"os_compute_api:os-server-password\": \"role:x\"\n";
    let old_defaults = NovaConfig {
        enforce_new_defaults: false,
        ..NovaConfig::default()
    };
    let admins = [("context_is_admin", "role:boss")];
    // The rule `show` overridden with `expr`, for `roles` in the server's project.
    let show = |expr: &str, roles: &[&str]| {
        (
            policy(&[(SHOW, expr)]),
            Operation::Get,
            creds(roles, HOME),
            HOME,
        )
    };
    // (policy, operation, credentials, server project)
    let cases: Vec<(NovaPolicy, Operation, NovaCredentials, &str)> = vec![
        // Allowed: each kind of alternative.
        (
            NovaPolicy::defaults(),
            Operation::Get,
            creds(&["member"], HOME),
            HOME,
        ),
        (
            NovaPolicy::defaults(),
            Operation::Get,
            creds(&["admin"], HOME),
            AWAY,
        ),
        show("project_id:%(project_id)s", &[]),
        show("@", &[]),
        show("", &[]),
        show("role:a and not role:x", &["a"]),
        (
            policy(&[(SHOW, "role:admin and not project_id:%(project_id)s")]),
            Operation::Get,
            creds(&["admin"], HOME),
            AWAY,
        ),
        (
            policy(&[(SHOW, "user_id:u1")]),
            Operation::Get,
            with_user(&[], Some("u1")),
            HOME,
        ),
        (
            policy(&[(SHOW, "user_id:%(project_id)s")]),
            Operation::Get,
            with_user(&[], Some(HOME)),
            HOME,
        ),
        show("roles:member", &["member"]),
        show("'p-home':%(project_id)s", &[]),
        (
            policy(&[(SHOW, many)]),
            Operation::Get,
            creds(&["a", "c", "e", "g", "i", "k", "m"], HOME),
            HOME,
        ),
        // Denied for good: no role can fix it.
        show("!", &[]),
        show("not @", &[]),
        show("rule:nowhere", &[]),
        (
            policy(&[(SHOW, "user_id:%(user_id)s")]),
            Operation::Get,
            with_user(&[], Some("u1")),
            HOME,
        ),
        (
            policy(&[(SHOW, "user_id:%(user_id)s%(project_id)s")]),
            Operation::Get,
            with_user(&[], Some("u1")),
            HOME,
        ),
        show("Role:admin", &["admin"]),
        show("'x':%(project_id)s", &[]),
        // Denied: what is missing and who can fix it.
        (
            NovaPolicy::defaults(),
            Operation::Clear,
            creds(&["reader"], HOME),
            HOME,
        ),
        (
            NovaPolicy::defaults(),
            Operation::Get,
            creds(&[], HOME),
            HOME,
        ),
        (
            policy(&[(SHOW, "role:reader and project_id:%(project_id)s")]),
            Operation::Get,
            creds(&[], ""),
            HOME,
        ),
        (
            policy(&[
                admins[0],
                (SHOW, "role:reader and project_id:%(project_id)s"),
            ]),
            Operation::Get,
            creds(&["boss"], HOME),
            AWAY,
        ),
        show("role:x", &[]),
        (
            policy(&[(SHOW, "project_id:%(project_id)s")]),
            Operation::Get,
            creds(&[], ""),
            HOME,
        ),
        (
            policy(&[(SHOW, "role:reader and project_id:%(project_id)s")]),
            Operation::Get,
            creds(&["reader"], ""),
            HOME,
        ),
        show("not role:reader", &["member"]),
        show("not project_id:%(project_id)s", &[]),
        show("is_admin:True", &["member"]),
        (
            policy(&[(SHOW, "user_id:u1")]),
            Operation::Get,
            with_user(&[], Some("u2")),
            HOME,
        ),
        (
            policy(&[(SHOW, "user_id:u1")]),
            Operation::Get,
            with_user(&[], None),
            HOME,
        ),
        show("roles:Member", &["member"]),
        (
            policy(&[(SHOW, "not user_id:u1")]),
            Operation::Get,
            with_user(&[], Some("u1")),
            HOME,
        ),
        show("role:x and not role:reader", &["reader"]),
        show("role:a or role:b or role:c or role:d or role:e", &[]),
        (
            policy(&[(SHOW, many)]),
            Operation::Get,
            creds(&[], HOME),
            HOME,
        ),
        // Refused before the rule: the lookup and the scope.
        (
            NovaPolicy::defaults(),
            Operation::Get,
            creds(&["reader"], HOME),
            AWAY,
        ),
        (
            NovaPolicy::defaults(),
            Operation::Get,
            creds(&["reader"], HOME),
            "",
        ),
        (
            NovaPolicy::defaults(),
            Operation::Get,
            scoped(Some("all"), None),
            HOME,
        ),
        (
            NovaPolicy::defaults(),
            Operation::Get,
            scoped(None, Some("default")),
            HOME,
        ),
        // The notes on where the rule comes from.
        (
            NovaPolicy::parse(&format!("{SHOW}: !\n")).unwrap(),
            Operation::Get,
            creds(&[], HOME),
            HOME,
        ),
        (
            NovaPolicy::parse(deprecated).unwrap(),
            Operation::Get,
            creds(&["x"], HOME),
            HOME,
        ),
        (
            NovaPolicy::load(None, old_defaults).unwrap(),
            Operation::Get,
            creds(&[], HOME),
            HOME,
        ),
    ];
    let mut reached = std::collections::BTreeSet::new();
    for (p, op, who, at) in &cases {
        let d = check_nova(p, *op, who, &server(at)).unwrap();
        let (en, zh) = (en(&d), zh(&d));
        assert!(
            en.starts_with(if d.allowed() { "Allowed: " } else { "Denied: " }),
            "{en}"
        );
        assert!(
            zh.starts_with(if d.allowed() {
                "允许："
            } else {
                "拒绝："
            }),
            "{zh}"
        );
        d.explanation.collect_ids(&mut reached);
    }
    // Fallbacks no alternative of a parsed rule reaches (a term always has a check; a failing
    // check that a role or token can fix always has its own reason).
    let fallbacks = [
        "nova-rule-holds",
        "nova-check-fails",
        "nova-credentials-fail",
        "nova-unsatisfiable",
    ];
    let catalogue: Vec<&str> = Lang::En
        .message_ids()
        .filter(|id| {
            id.starts_with("nova-")
                && !id.starts_with("nova-policy-")
                && !id.starts_with("nova-parse-")
        })
        .filter(|id| *id != "nova-no-rule" && !fallbacks.contains(id))
        .collect();
    let missed: Vec<&&str> = catalogue
        .iter()
        .filter(|id| !reached.contains(**id))
        .collect();
    assert!(missed.is_empty(), "reasons no case reaches: {missed:?}");
    // The fallbacks render too.
    for id in fallbacks {
        let m = Message::new(id).with("check", "role:x");
        for lang in Lang::ALL {
            let (shown, errors) = render_checked(&m, lang);
            // An argument a message does not use is not an error.
            assert!(errors.is_empty() && !shown.contains(id), "{id}: {errors:?}");
        }
    }
}

#[test]
fn operations_nova_does_not_offer_are_not_in_its_table() {
    for op in Operation::ALL {
        let result = check_nova(
            &NovaPolicy::defaults(),
            op,
            &creds(&["admin"], HOME),
            &server(HOME),
        );
        match rule_name(op) {
            Some(name) => assert_eq!(result.unwrap().rule, name),
            None => {
                let err = result.unwrap_err();
                assert_eq!(err.code(), crate::ErrorCode::NotInTable);
                assert!(text(err.message(), Lang::En).contains(op.as_str()));
                assert!(text(err.message(), Lang::Zh).contains(op.as_str()));
            }
        }
    }
    assert_eq!(OPERATIONS.map(|op| rule_name(op).is_some()), [true; 2]);
}
