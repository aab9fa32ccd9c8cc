#![cfg(not(target_arch = "wasm32"))]
//! The permission engine through its Rust API: the shared case matrix, explanations, the
//! per-server access report, and errors.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed assumption in a test is a failed test

#[path = "common/permission.rs"]
mod cases;

use cases::*;
use ecs_password::message::{render_checked, Lang, Message};
use ecs_password::permission::*;
use ecs_password::ErrorCode;

/// The message in `lang`, which must render without a Fluent error.
fn rendered(m: &Message, lang: Lang) -> String {
    let (text, errors) = render_checked(m, lang);
    assert!(errors.is_empty(), "{} {}: {errors:?}", m.id, lang.as_str());
    text
}

fn en(m: &Message) -> String {
    rendered(m, Lang::En)
}

fn zh(m: &Message) -> String {
    rendered(m, Lang::Zh)
}

fn access_request(case: &PermissionCase) -> AccessRequest {
    let mut request = AccessRequest {
        server_enterprise_project: case.server_enterprise_project.map(str::to_owned),
        ..AccessRequest::default()
    };
    for (k, v) in &case.context {
        request.context.insert(k, v);
    }
    request
}

#[test]
fn every_case_of_the_matrix() {
    let cases = permission_cases();
    assert!(cases.len() >= 270, "{}", cases.len());
    for case in &cases {
        let grants = Grants::parse(&case.grants).unwrap_or_else(|e| panic!("{}: {e}", case.name));
        let (method, path) = case.request.split_once(' ').unwrap();
        let d = check_permission(&grants, method, path, &access_request(case)).unwrap();
        let got = serde_json::to_value(&d).unwrap();
        assert_eq!(
            got["decision"],
            case.decision,
            "{}: {}",
            case.name,
            en(&d.explanation)
        );
        assert_eq!(
            got["reason"],
            case.reason,
            "{}: {}",
            case.name,
            en(&d.explanation)
        );
        if let Some((policy, statement)) = case.deciding {
            let deciding = d.deciding.as_ref().unwrap();
            assert_eq!(
                (deciding.policy.as_str(), deciding.statement),
                (policy, statement),
                "{}",
                case.name
            );
        }
        assert!(
            en(&d.explanation).starts_with(if case.decision == "allow" {
                "Allowed"
            } else {
                "Denied"
            }),
            "{}",
            en(&d.explanation)
        );
        assert!(
            zh(&d.explanation).starts_with(if case.decision == "allow" {
                "允许"
            } else {
                "拒绝"
            }),
            "{}",
            zh(&d.explanation)
        );
    }
}

fn decide(grants: &str, row: usize, server_ep: Option<&str>) -> Decision {
    let request = request(row, SERVER);
    let (method, path) = request.split_once(' ').unwrap();
    let access = AccessRequest {
        server_enterprise_project: server_ep.map(str::to_owned),
        ..AccessRequest::default()
    };
    check_permission(&Grants::parse(grants).unwrap(), method, path, &access).unwrap()
}

#[test]
fn explanations_say_why() {
    let ep = r#"{"grants": [{"policy": "ECS FullAccess", "scope": {"enterpriseProject": "ep1"}}]}"#;
    let d = decide(ep, 6, Some("ep1"));
    assert!(
        en(&d.explanation).contains("does not support enterprise projects (use the v1 API)"),
        "{}",
        en(&d.explanation)
    );
    assert!(
        zh(&d.explanation).contains("不支持企业项目授权"),
        "{}",
        zh(&d.explanation)
    );
    let d = decide(ep, 3, None);
    assert!(
        en(&d.explanation).contains("the server's enterprise project is not known"),
        "{}",
        en(&d.explanation)
    );

    let role = r#"{"grants": [{"policy": "Server Administrator", "scope": {"project": "p1"}}]}"#;
    let d = decide(role, 3, None);
    assert!(
        en(&d.explanation).contains("depends on \"Tenant Guest\""),
        "{}",
        en(&d.explanation)
    );

    let ro = r#"{"grants": [{"policy": "ECS ReadOnlyAccess", "scope": {"project": "p1"}}]}"#;
    let d = decide(ro, 4, None);
    assert!(en(&d.explanation).contains("None of your policies (\"ECS ReadOnlyAccess\") includes ecs:cloudServers:deletePassword"), "{}", en(&d.explanation));
    let d = decide(ro, 3, None);
    assert!(en(&d.explanation).contains("\"ECS ReadOnlyAccess\" (statement 1), granted in project p1, allows ecs:cloudServers:get"), "{}", en(&d.explanation));

    let new_name = r#"{"grants": [{"policy": {"Version": "1.1", "Statement": [{"Effect": "Allow", "Action": "ecs:cloudServers:showServerPassword"}]}, "scope": {"project": "p1"}}]}"#;
    let d = decide(new_name, 3, None);
    assert!(
        en(&d.explanation).contains("the newer name of ecs:cloudServers:get"),
        "{}",
        en(&d.explanation)
    );
    assert_eq!(d.deciding.unwrap().policy, "custom policy 1");
}

#[test]
fn access_report_recommends_a_family() {
    let ep = Grants::parse(
        r#"{"grants": [{"policy": "ECS FullAccess", "scope": {"enterpriseProject": "ep1"}}]}"#,
    )
    .unwrap();
    let access = AccessRequest {
        server_enterprise_project: Some("ep1".into()),
        ..AccessRequest::default()
    };
    let report = explain_access(&ep, PROJECT, SERVER, &access);
    let get = report
        .iter()
        .find(|o| o.operation == Operation::Get)
        .unwrap();
    assert_eq!(get.recommended, Some(ApiFamily::V1));
    assert_eq!(
        get.families
            .iter()
            .map(|f| (f.family, f.decision.decision))
            .collect::<Vec<_>>(),
        vec![
            (ApiFamily::V1, Verdict::Allow),
            (ApiFamily::V21, Verdict::Deny),
            (ApiFamily::V2, Verdict::Deny),
        ]
    );
    assert_eq!(
        en(&get.explanation),
        "get: allowed through v1, denied through v2.1 and v2; use v1."
    );
    assert_eq!(
        zh(&get.explanation),
        "get：可通过 v1 执行，v2.1和v2 被拒绝；建议使用 v1。"
    );

    let common = Grants::parse(
        r#"{"grants": [{"policy": "ECS CommonOperations", "scope": {"project": "p1"}}]}"#,
    )
    .unwrap();
    let report = explain_access(&common, PROJECT, SERVER, &AccessRequest::default());
    let by_op = |op| report.iter().find(|o| o.operation == op).unwrap();
    assert_eq!(by_op(Operation::Get).recommended, Some(ApiFamily::V1));
    assert_eq!(by_op(Operation::Clear).recommended, Some(ApiFamily::V21));
    assert_eq!(by_op(Operation::Reset).recommended, None);
    assert_eq!(by_op(Operation::ResetFlag).recommended, Some(ApiFamily::V1));
    assert!(!by_op(Operation::Reset).allowed);
}

#[test]
fn requests_outside_the_table() {
    let grants = Grants::default();
    for (method, path) in [
        ("GET", "/v1/p1/cloudservers/s1"),
        ("POST", "/v1/p1/cloudservers/s1/os-server-password"),
        ("GET", "/v2.1/servers/s1/os-server-password"),
    ] {
        let e = check_permission(&grants, method, path, &AccessRequest::default()).unwrap_err();
        assert_eq!(e.code(), ErrorCode::NotInTable, "{method} {path}");
    }
}

#[test]
fn invalid_grants_name_the_grant() {
    let cases = [
        (
            r#"{"grants": [{"policy": "ECS SuperUser", "scope": {"project": "p1"}}]}"#,
            ErrorCode::GrantsInvalid,
            "grant 1: \"ECS SuperUser\" is not a system policy",
        ),
        (
            r#"{"grants": [{"policy": "ECS FullAccess"}]}"#,
            ErrorCode::GrantsInvalid,
            "grant 1: \"scope\" is missing",
        ),
        (
            r#"{"grants": [{"policy": "ECS FullAccess", "scope": {"project": "p1", "enterpriseProject": "e"}}]}"#,
            ErrorCode::GrantsInvalid,
            "grant 1: \"scope\" must be",
        ),
        (
            r#"{"grants": [{"policy": "ECS FullAccess", "scope": {"project": "p1"}}, {"policy": {"Version": "1.1", "Statement": [{"Effect": "Permit", "Action": "*"}]}, "scope": {"project": "p1"}}]}"#,
            ErrorCode::PolicyInvalid,
            "grant 2: Statement 1: Effect",
        ),
        (r#"[]"#, ErrorCode::GrantsInvalid, "\"grants\" array"),
    ];
    for (json, code, expected) in cases {
        let e = Grants::parse(json).unwrap_err();
        assert_eq!(e.code(), code, "{json}");
        assert!(e.english().contains(expected), "{}", e.english());
    }
}

#[test]
fn nova_cases() {
    for (roles, token_project, server_project, request, policy, expected) in NOVA_CASES {
        let policy = policy.map_or_else(NovaPolicy::defaults, |text| {
            NovaPolicy::parse(text).unwrap()
        });
        let credentials = NovaCredentials {
            roles: roles.iter().map(|r| r.to_string()).collect(),
            project_id: token_project.to_string(),
            ..NovaCredentials::default()
        };
        let target = NovaTarget {
            project_id: server_project.to_string(),
            ..NovaTarget::default()
        };
        let (method, path) = request.split_once(' ').unwrap();
        let d = check_nova_request(&policy, method, path, &credentials, &target).unwrap();
        for lang in ecs_password::message::Lang::ALL {
            let (text, errors) = ecs_password::message::render_checked(&d.explanation, lang);
            assert!(errors.is_empty() && !text.is_empty(), "{text} {errors:?}");
        }
        assert_eq!(
            serde_json::to_value(&d).unwrap()["decision"],
            *expected,
            "{roles:?} {request}: {}",
            ecs_password::message::render(&d.explanation, ecs_password::message::Lang::En)
        );
    }
    for (method, path) in [
        ("PUT", "/v2.1/servers/s1/os-server-password"),
        ("GET", "/v2.1/servers/s1"),
        ("GET", "/v2.1/servers/../os-server-password"),
        ("GET", "/v2.1/flavors/s1/os-server-password"),
    ] {
        assert_eq!(
            nova_operation(method, path).unwrap_err().code(),
            ErrorCode::NotInTable,
            "{method} {path}"
        );
    }
    let e =
        NovaPolicy::parse("\"os_compute_api:os-server-password:show\": \"role:reader and (\"\n")
            .unwrap_err();
    assert_eq!(
        ecs_password::Error::from(e).code(),
        ErrorCode::PolicyInvalid
    );
}

/// The IAM guides' own condition examples, on the password APIs: OTC "Custom Policy Use Cases"
/// (`StringStartWith` on `g:UserName`, in a Deny) and the Huawei Cloud / OTC "Policy Syntax"
/// example (`StringEndWithIfExists` on `g:UserName` with `Bool` on `g:MFAPresent`).
#[test]
fn the_guides_condition_examples() {
    let deny_test_users = r#"{"grants": [
          {"policy": "ECS FullAccess", "scope": {"project": "p1"}},
          {"name": "no TestUser", "scope": {"project": "p1"}, "policy": {"Version": "1.1", "Statement": [
            {"Effect": "Deny", "Action": ["ecs:cloudServers:resetServerPwd"],
             "Condition": {"StringStartWith": {"g:UserName": ["TestUser"]}}}]}}]}"#;
    let syntax_example = r#"{"grants": [
          {"name": "guide example", "scope": {"project": "p1"}, "policy": {"Version": "1.1", "Statement": [
            {"Effect": "Allow", "Action": ["ecs:cloudServers:get"],
             "Condition": {"StringEndWithIfExists": {"g:UserName": ["specialCharacter"]},
                           "Bool": {"g:MFAPresent": ["true"]}}}]}}]}"#;
    let reset = ("PUT", "/v1/p1/cloudservers/s1/os-reset-password");
    let get = ("GET", "/v1/p1/cloudservers/s1/os-server-password");
    /// (grants, request, context, expected reason)
    type Case<'a> = (
        &'a str,
        (&'a str, &'a str),
        &'a [(&'a str, &'a str)],
        &'a str,
    );
    let cases: &[Case] = &[
        (
            deny_test_users,
            reset,
            &[("g:UserName", "TestUser01")],
            "explicit-deny",
        ),
        (
            deny_test_users,
            reset,
            &[("g:UserName", "TestUser")],
            "explicit-deny",
        ),
        (
            deny_test_users,
            reset,
            &[("g:UserName", "testuser01")],
            "allow",
        ),
        (
            deny_test_users,
            reset,
            &[("g:UserName", "MyTestUser")],
            "allow",
        ),
        (deny_test_users, reset, &[], "allow"),
        (
            syntax_example,
            get,
            &[
                ("g:UserName", "ops-specialCharacter"),
                ("g:MFAPresent", "true"),
            ],
            "allow",
        ),
        (
            syntax_example,
            get,
            &[
                ("g:UserName", "specialCharacter-ops"),
                ("g:MFAPresent", "true"),
            ],
            "implicit-deny",
        ),
        (syntax_example, get, &[("g:MFAPresent", "true")], "allow"),
        (
            syntax_example,
            get,
            &[("g:UserName", "ops-specialCharacter")],
            "implicit-deny",
        ),
    ];
    for (grants, (method, path), context, reason) in cases {
        let grants = Grants::parse(grants).unwrap();
        let mut request = AccessRequest::default();
        for (k, v) in *context {
            request.context.insert(k, v);
        }
        let d = check_permission(&grants, method, path, &request).unwrap();
        let got = serde_json::to_value(&d).unwrap();
        assert_eq!(
            got["reason"],
            *reason,
            "{method} {path} {context:?}: {}",
            en(&d.explanation)
        );
    }
}

/// Keys the cloud holds: exporting a hosted private key needs `kps:domainKeypairs:exportpk` and
/// its dependency `kms:cmk:decryptDataKey` (DEW API reference, ExportPrivateKey), both allowed in
/// the project.
#[test]
fn exporting_a_hosted_key_needs_the_action_and_its_dependency() {
    const P: &str = "p1";
    let grants = |json: &str| Grants::parse(json).unwrap();
    let custom = |actions: &str, scope: &str| {
        format!(
            r#"{{"grants": [{{"name": "kps export", "policy": {{"Version": "1.1", "Statement": [{{"Effect": "Allow", "Action": [{actions}]}}]}}, "scope": {scope}}}]}}"#
        )
    };
    let project = r#"{"project": "p1"}"#;
    let export = |g: &Grants| {
        check_kps(
            g,
            KpsOperation::Export,
            P,
            "demo-rsa4096",
            &AccessRequest::default(),
        )
    };

    // Both actions: allowed, each by its statement.
    let both = grants(&custom(
        r#""kps:domainKeypairs:exportpk", "kms:cmk:decryptDataKey""#,
        project,
    ));
    let d = export(&both);
    assert_eq!(
        (d.decision, d.reason),
        (Verdict::Allow, Reason::Allow),
        "{}",
        en(&d.explanation)
    );
    assert!(d.missing.is_empty());
    assert_eq!(
        d.actions
            .iter()
            .map(|a| (a.action, a.dependency, a.decision))
            .collect::<Vec<_>>(),
        [
            ("kps:domainKeypairs:exportpk", false, Verdict::Allow),
            ("kms:cmk:decryptDataKey", true, Verdict::Allow)
        ]
    );
    assert_eq!(d.request, "POST /v3/p1/keypairs/private-key/export");
    assert!(
        en(&d.explanation)
            .starts_with("Allowed: exporting the hosted private key of key pair \"demo-rsa4096\""),
        "{}",
        en(&d.explanation)
    );
    assert!(
        zh(&d.explanation).starts_with("允许：导出密钥对“demo-rsa4096”的托管私钥"),
        "{}",
        zh(&d.explanation)
    );

    // The action alone: the dependency is missing, and the explanation says so in both languages.
    let alone = grants(&custom(r#""kps:domainKeypairs:exportpk""#, project));
    let d = export(&alone);
    assert_eq!(
        (d.decision, d.reason),
        (Verdict::Deny, Reason::ImplicitDeny)
    );
    assert_eq!(d.missing, ["kms:cmk:decryptDataKey"]);
    assert!(en(&d.explanation).contains("kps:domainKeypairs:exportpk and its dependency kms:cmk:decryptDataKey, and kms:cmk:decryptDataKey is not allowed"), "{}", en(&d.explanation));
    assert!(
        zh(&d.explanation).contains("kms:cmk:decryptDataKey 未被允许"),
        "{}",
        zh(&d.explanation)
    );

    // The identity-policy name of the action counts too, as an alias.
    let alias = grants(&custom(
        r#""kps:SSHKeyPair:exportPrivateKey", "kms:cmk:*""#,
        project,
    ));
    let d = export(&alias);
    assert_eq!(d.decision, Verdict::Allow, "{}", en(&d.explanation));
    assert_eq!(
        d.actions[0].deciding.as_ref().unwrap().action,
        "kps:SSHKeyPair:exportPrivateKey"
    );
    assert!(en(&d.actions[0].explanation).contains("the newer name of kps:domainKeypairs:exportpk"));

    // ECS policies grant neither; Tenant Administrator ("*") grants both.
    let ecs = grants(r#"{"grants": [{"policy": "ECS FullAccess", "scope": {"project": "p1"}}]}"#);
    let d = export(&ecs);
    assert_eq!(
        d.missing,
        ["kps:domainKeypairs:exportpk", "kms:cmk:decryptDataKey"]
    );
    assert!(
        en(&d.explanation).contains("are not allowed")
            && en(&d.explanation).contains("None of your policies (\"ECS FullAccess\")"),
        "{}",
        en(&d.explanation)
    );
    let admin =
        grants(r#"{"grants": [{"policy": "Tenant Administrator", "scope": {"project": "p1"}}]}"#);
    assert_eq!(export(&admin).decision, Verdict::Allow);

    // An explicit Deny on the dependency wins.
    let denied = grants(&format!(
        r#"{{"grants": [{{"policy": "Tenant Administrator", "scope": {project}}},
            {{"name": "no KMS", "policy": {{"Version": "1.1", "Statement": [{{"Effect": "Deny", "Action": ["kms:*:*"]}}]}}, "scope": {project}}}]}}"#
    ));
    let d = export(&denied);
    assert_eq!(
        (d.decision, d.reason),
        (Verdict::Deny, Reason::ExplicitDeny)
    );
    assert_eq!(d.missing, ["kms:cmk:decryptDataKey"]);
    assert!(
        en(&d.explanation).contains("\"no KMS\" (statement 1)"),
        "{}",
        en(&d.explanation)
    );

    // Another project, an enterprise project, and a statement naming resources: none applies,
    // and the notes say why.
    for (g, note) in [
        (custom(r#""kps:*:*", "kms:*:*""#, r#"{"project": "p2"}"#), "granted in project p2"),
        (custom(r#""kps:*:*", "kms:*:*""#, r#"{"enterpriseProject": "ep1"}"#), "does not support enterprise projects"),
        (
            r#"{"grants": [{"name": "one key", "policy": {"Version": "1.1", "Statement": [{"Effect": "Allow", "Action": ["kps:*:*", "kms:*:*"], "Resource": ["kms:*:*:KeyId:abc"]}]}, "scope": {"project": "p1"}}]}"#.to_owned(),
            "names resources",
        ),
    ] {
        let d = export(&grants(&g));
        assert_eq!(d.decision, Verdict::Deny, "{g}");
        assert!(d.actions.iter().all(|a| a.notes.iter().any(|n| en(n).contains(note))), "{note}: {:?}", d.actions);
        assert!(d.actions.iter().all(|a| a.notes.iter().all(|n| zh(n).contains('“'))));
    }

    // Reading the details needs kps:domainKeypairs:get only; a batch what an export needs.
    let reader = grants(&custom(r#""kps:domainKeypairs:get""#, project));
    let d = check_kps(
        &reader,
        KpsOperation::Details,
        P,
        "k",
        &AccessRequest::default(),
    );
    assert_eq!((d.decision, d.actions.len()), (Verdict::Allow, 1));
    assert_eq!(d.request, "GET /v3/p1/keypairs/k");
    let d = check_kps(
        &both,
        KpsOperation::BatchExport,
        P,
        "k",
        &AccessRequest::default(),
    );
    assert_eq!(d.decision, Verdict::Allow);
    assert_eq!(export(&reader).missing.len(), 2);
}

/// The reasons are messages of the catalogues: a set of grants that reaches each outcome (allow,
/// explicit deny, implicit deny with and without an example, each note, the access summaries,
/// KPS allow and deny) renders in both languages with its real arguments and no Fluent error,
/// and together they reach every `iam-*` and KPS reason id of the catalogue.
#[test]
fn every_reason_renders_in_both_languages() {
    let custom = |statement: &str, scope: &str| {
        format!(
            r#"{{"grants": [{{"name": "mine", "policy": {{"Version": "1.1", "Statement": [{statement}]}}, "scope": {scope}}}]}}"#
        )
    };
    let p1 = r#"{"project": "p1"}"#;
    let ep1 = r#"{"enterpriseProject": "ep1"}"#;
    let at = |region: Option<&str>, ep: Option<&str>| AccessRequest {
        region: region.map(str::to_owned),
        domain_id: region.map(|_| "d1".to_owned()),
        server_enterprise_project: ep.map(str::to_owned),
        ..AccessRequest::default()
    };
    let get_v1 = ("GET", "/v1/p1/cloudservers/s1/os-server-password");
    let get_v21 = ("GET", "/v2.1/p1/servers/s1/os-server-password");
    // (grants, request, options)
    let ecs: Vec<(String, (&str, &str), AccessRequest)> = vec![
        (r#"{"grants": []}"#.into(), get_v1, at(None, None)),
        (
            r#"{"grants": [{"policy": "ECS ReadOnlyAccess", "scope": {"project": "p1"}}]}"#.into(),
            ("DELETE", "/v1/p1/cloudservers/s1/os-server-password"),
            at(None, None),
        ),
        (
            custom(
                r#"{"Effect": "Allow", "Action": "ecs:cloudServers:showServerPassword"}"#,
                p1,
            ),
            get_v1,
            at(None, None),
        ),
        (
            custom(r#"{"Effect": "Deny", "Action": "ecs:*:*"}"#, ep1),
            get_v1,
            at(None, Some("ep1")),
        ),
        (
            custom(r#"{"Effect": "Allow", "Action": "ecs:*:*"}"#, ep1),
            get_v21,
            at(None, Some("ep1")),
        ),
        (
            custom(r#"{"Effect": "Allow", "Action": "ecs:*:*"}"#, ep1),
            get_v1,
            at(None, None),
        ),
        (
            custom(r#"{"Effect": "Allow", "Action": "ecs:*:*"}"#, ep1),
            get_v1,
            at(None, Some("ep2")),
        ),
        (
            custom(
                r#"{"Effect": "Allow", "Action": "ecs:*:*"}"#,
                r#"{"project": "p2"}"#,
            ),
            get_v1,
            at(None, None),
        ),
        (
            r#"{"grants": [{"policy": "Server Administrator", "scope": {"project": "p1"}}]}"#
                .into(),
            get_v1,
            at(None, None),
        ),
        (
            custom(
                r#"{"Effect": "Allow", "Action": "ecs:*:*", "Resource": "ecs:*:*:instance:other"}"#,
                p1,
            ),
            get_v1,
            at(Some("r1"), None),
        ),
        (
            custom(
                r#"{"Effect": "Allow", "Action": "ecs:*:*", "Resource": "ecs:*:*:instance:s1"}"#,
                p1,
            ),
            get_v21,
            at(None, None),
        ),
        (
            custom(
                r#"{"Effect": "Allow", "Action": "ecs:*:*", "Condition": {"Bool": {"g:MFAPresent": ["true"]}}}"#,
                p1,
            ),
            get_v1,
            at(None, None),
        ),
    ];
    let mut messages: Vec<Message> = Vec::new();
    for (grants, (method, path), request) in &ecs {
        let grants = Grants::parse(grants).unwrap();
        let d = check_permission(&grants, method, path, request).unwrap();
        messages.push(d.explanation);
        messages.extend(d.notes);
        for access in explain_access(&grants, "p1", "s1", request) {
            messages.push(access.explanation);
        }
    }
    let kps: [(String, KpsOperation); 5] = [
        (
            custom(
                r#"{"Effect": "Allow", "Action": ["kps:*:*", "kms:*:*"]}"#,
                p1,
            ),
            KpsOperation::Export,
        ),
        (
            custom(
                r#"{"Effect": "Allow", "Action": ["kps:*:*", "kms:*:*"]}"#,
                ep1,
            ),
            KpsOperation::BatchExport,
        ),
        (
            custom(r#"{"Effect": "Allow", "Action": "kps:*:*"}"#, p1),
            KpsOperation::Details,
        ),
        (
            custom(r#"{"Effect": "Allow", "Action": "kps:*:*"}"#, p1),
            KpsOperation::Export,
        ),
        (r#"{"grants": []}"#.into(), KpsOperation::Export),
    ];
    for (grants, operation) in &kps {
        let grants = Grants::parse(grants).unwrap();
        let d = check_kps(&grants, *operation, "p1", "k1", &AccessRequest::default());
        messages.push(d.explanation);
        for a in d.actions {
            messages.push(a.explanation);
            messages.extend(a.notes);
        }
    }
    let mut reached = std::collections::BTreeSet::new();
    for m in &messages {
        m.collect_ids(&mut reached);
        for lang in Lang::ALL {
            let text = rendered(m, lang);
            assert!(!text.contains("iam-") && !text.contains("kps-"), "{text}");
        }
    }
    let reasons: Vec<&str> = Lang::En
        .message_ids()
        .filter(|id| {
            id.starts_with("iam-")
                || ["kps-what-", "kps-needs-", "kps-allow", "kps-deny"]
                    .iter()
                    .any(|p| id.starts_with(p))
        })
        .collect();
    assert!(
        reasons.contains(&"iam-note-dependency"),
        "the scan reads the catalogue"
    );
    let unreached: Vec<_> = reasons.iter().filter(|id| !reached.contains(*id)).collect();
    assert!(unreached.is_empty(), "no case reaches {unreached:?}");

    // The table's descriptions too.
    for d in TABLE
        .iter()
        .map(|r| &r.description)
        .chain(KPS_TABLE.iter().map(|r| &r.description))
    {
        assert!(
            en(d).contains("password") || en(d).contains("key pair"),
            "{}",
            en(d)
        );
        assert!(!zh(d).is_empty());
    }
}

/// The facts of a reason (policy, statement, action, scope, the fix) are in both languages.
#[test]
fn reasons_name_the_policy_statement_action_and_fix_in_both_languages() {
    let deny = r#"{"grants": [{"policy": "ECS FullAccess", "scope": {"project": "p1"}},
        {"name": "no reads", "scope": {"project": "p1"}, "policy": {"Version": "1.1", "Statement": [
          {"Effect": "Allow", "Action": "ecs:*:list*"},
          {"Effect": "Deny", "Action": "ecs:cloudServers:get"}]}}]}"#;
    let d = decide(deny, 3, None);
    assert_eq!(d.reason, Reason::ExplicitDeny);
    assert_eq!(
        en(&d.explanation),
        "Denied: \"no reads\" (statement 2), granted in project p1, explicitly denies ecs:cloudServers:get. \
         An explicit Deny overrides every Allow: ask your administrator to remove or narrow that statement."
    );
    assert_eq!(
        zh(&d.explanation),
        "拒绝：在项目 p1中授予的“no reads”（第 2 条语句）显式拒绝了 ecs:cloudServers:get。显式拒绝优先于任何允许：请联系管理员删除或收窄该语句。"
    );
    let serialized = serde_json::to_value(&d).unwrap();
    assert_eq!(serialized["explanation"]["messageId"], "iam-explicit-deny");
    assert_eq!(serialized["explanation"]["args"]["statement"], 2);
    assert!(serialized.get("explanationZh").is_none());

    let two = r#"{"grants": [{"policy": "ECS ReadOnlyAccess", "scope": {"project": "p1"}},
        {"policy": "ECS CommonOperations", "scope": {"project": "p1"}}]}"#;
    let d = decide(two, 1, None);
    assert!(en(&d.explanation).contains("None of your policies (\"ECS ReadOnlyAccess\" and \"ECS CommonOperations\") includes ecs:cloudServers:resetServerPwd. Ask your administrator for a policy that allows ecs:cloudServers:resetServerPwd (for example ECS FullAccess)"), "{}", en(&d.explanation));
    assert!(zh(&d.explanation).contains("您的策略（“ECS ReadOnlyAccess”和“ECS CommonOperations”）均不包含 ecs:cloudServers:resetServerPwd。请联系管理员在此项目中授予包含 ecs:cloudServers:resetServerPwd 的策略（例如 ECS FullAccess）"), "{}", zh(&d.explanation));

    let role = r#"{"grants": [{"policy": "Server Administrator", "scope": {"project": "p1"}}]}"#;
    let d = decide(role, 3, None);
    assert!(
        zh(&d.explanation).contains(
            "角色“Server Administrator”依赖“Tenant Guest”，而“Tenant Guest”未在项目 p1中授予"
        ),
        "{}",
        zh(&d.explanation)
    );
    assert_eq!(d.notes.len(), 1);
    assert!(en(&d.notes[0]).starts_with("the role \"Server Administrator\" depends on \"Tenant Guest\", which is not granted in project p1"));
}
