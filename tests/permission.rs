#![cfg(not(target_arch = "wasm32"))]
//! The permission engine through its Rust API: the shared case matrix, explanations, the
//! per-server access report, and errors.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed assumption in a test is a failed test

#[path = "common/permission.rs"]
mod cases;

use cases::*;
use ecs_password::permission::*;
use ecs_password::ErrorCode;

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
            got["decision"], case.decision,
            "{}: {}",
            case.name, d.explanation
        );
        assert_eq!(
            got["reason"], case.reason,
            "{}: {}",
            case.name, d.explanation
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
        assert!(!d.explanation.is_empty() && !d.explanation_zh.is_empty());
        assert!(
            d.explanation.starts_with(if case.decision == "allow" {
                "Allowed"
            } else {
                "Denied"
            }),
            "{}",
            d.explanation
        );
        assert!(
            d.explanation_zh.starts_with(if case.decision == "allow" {
                "允许"
            } else {
                "拒绝"
            }),
            "{}",
            d.explanation_zh
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
        d.explanation
            .contains("does not support enterprise projects (use the v1 API)"),
        "{}",
        d.explanation
    );
    assert!(
        d.explanation_zh.contains("不支持企业项目授权"),
        "{}",
        d.explanation_zh
    );
    let d = decide(ep, 3, None);
    assert!(
        d.explanation
            .contains("the server's enterprise project is not known"),
        "{}",
        d.explanation
    );

    let role = r#"{"grants": [{"policy": "Server Administrator", "scope": {"project": "p1"}}]}"#;
    let d = decide(role, 3, None);
    assert!(
        d.explanation.contains("depends on \"Tenant Guest\""),
        "{}",
        d.explanation
    );

    let ro = r#"{"grants": [{"policy": "ECS ReadOnlyAccess", "scope": {"project": "p1"}}]}"#;
    let d = decide(ro, 4, None);
    assert!(d.explanation.contains("None of your policies (\"ECS ReadOnlyAccess\") includes ecs:cloudServers:deletePassword"), "{}", d.explanation);
    let d = decide(ro, 3, None);
    assert!(d.explanation.contains("\"ECS ReadOnlyAccess\" (statement 1), granted in project p1, allows ecs:cloudServers:get"), "{}", d.explanation);

    let new_name = r#"{"grants": [{"policy": {"Version": "1.1", "Statement": [{"Effect": "Allow", "Action": "ecs:cloudServers:showServerPassword"}]}, "scope": {"project": "p1"}}]}"#;
    let d = decide(new_name, 3, None);
    assert!(
        d.explanation
            .contains("the newer name of ecs:cloudServers:get"),
        "{}",
        d.explanation
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
        get.explanation,
        "get: allowed through v1, denied through v2.1, v2; use v1."
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
            got["reason"], *reason,
            "{method} {path} {context:?}: {}",
            d.explanation
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
        d.explanation
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
        d.explanation
            .starts_with("Allowed: exporting the hosted private key of key pair \"demo-rsa4096\""),
        "{}",
        d.explanation
    );
    assert!(
        d.explanation_zh
            .starts_with("允许：导出密钥对“demo-rsa4096”的托管私钥"),
        "{}",
        d.explanation_zh
    );

    // The action alone: the dependency is missing, and the explanation says so in both languages.
    let alone = grants(&custom(r#""kps:domainKeypairs:exportpk""#, project));
    let d = export(&alone);
    assert_eq!(
        (d.decision, d.reason),
        (Verdict::Deny, Reason::ImplicitDeny)
    );
    assert_eq!(d.missing, ["kms:cmk:decryptDataKey"]);
    assert!(d.explanation.contains("kps:domainKeypairs:exportpk and its dependency kms:cmk:decryptDataKey, and kms:cmk:decryptDataKey is not allowed"), "{}", d.explanation);
    assert!(
        d.explanation_zh.contains("kms:cmk:decryptDataKey 未被允许"),
        "{}",
        d.explanation_zh
    );

    // The identity-policy name of the action counts too, as an alias.
    let alias = grants(&custom(
        r#""kps:SSHKeyPair:exportPrivateKey", "kms:cmk:*""#,
        project,
    ));
    let d = export(&alias);
    assert_eq!(d.decision, Verdict::Allow, "{}", d.explanation);
    assert_eq!(
        d.actions[0].deciding.as_ref().unwrap().action,
        "kps:SSHKeyPair:exportPrivateKey"
    );
    assert!(d.actions[0]
        .explanation
        .contains("the newer name of kps:domainKeypairs:exportpk"));

    // ECS policies grant neither; Tenant Administrator ("*") grants both.
    let ecs = grants(r#"{"grants": [{"policy": "ECS FullAccess", "scope": {"project": "p1"}}]}"#);
    let d = export(&ecs);
    assert_eq!(
        d.missing,
        ["kps:domainKeypairs:exportpk", "kms:cmk:decryptDataKey"]
    );
    assert!(
        d.explanation.contains("are not allowed")
            && d.explanation
                .contains("None of your policies (\"ECS FullAccess\")"),
        "{}",
        d.explanation
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
        d.explanation.contains("\"no KMS\" (statement 1)"),
        "{}",
        d.explanation
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
        assert!(d.actions.iter().all(|a| a.notes.iter().any(|n| n.contains(note))), "{note}: {:?}", d.actions);
        assert!(d.actions.iter().all(|a| a.notes.len() == a.notes_zh.len()));
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
