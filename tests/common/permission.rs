//! Permission cases shared by the native tests (`tests/permission.rs`), the wasm tests and the CLI
//! tests: the system policies × the nine table rows × four scopes, with the outcome written out by
//! hand from the guides cited in docs/permissions.md ("The table", "System-defined policies"; not
//! computed by the engine), plus hand-made cases for explicit
//! denies, aliases, resources and conditions.
#![allow(dead_code)]

pub const PROJECT: &str = "p1";
pub const SERVER: &str = "s1";
pub const EP: &str = "ep1";

/// One decision to check.
pub struct PermissionCase {
    pub name: String,
    /// A grants document (JSON).
    pub grants: String,
    /// "METHOD PATH".
    pub request: String,
    pub server_enterprise_project: Option<&'static str>,
    pub context: Vec<(&'static str, &'static str)>,
    /// "allow" or "deny".
    pub decision: &'static str,
    /// "allow", "explicit-deny" or "implicit-deny".
    pub reason: &'static str,
    /// The deciding policy and statement, where one policy decides.
    pub deciding: Option<(&'static str, usize)>,
}

/// `(method, path template)` of rows 1-9.
pub const ROWS: [(&str, &str); 9] = [
    ("PUT", "/v1/{p}/cloudservers/{s}/os-reset-password"),
    ("GET", "/v1/{p}/cloudservers/{s}/os-resetpwd-flag"),
    ("GET", "/v1/{p}/cloudservers/{s}/os-server-password"),
    ("DELETE", "/v1/{p}/cloudservers/{s}/os-server-password"),
    ("PUT", "/v2.1/{p}/servers/{s}/os-reset-password"),
    ("GET", "/v2.1/{p}/servers/{s}/os-server-password"),
    ("DELETE", "/v2.1/{p}/servers/{s}/os-server-password"),
    ("GET", "/v2/{p}/servers/{s}/os-server-password"),
    ("DELETE", "/v2/{p}/servers/{s}/os-server-password"),
];

pub fn request(row: usize, server: &str) -> String {
    let (method, path) = ROWS[row - 1];
    format!(
        "{method} {}",
        path.replace("{p}", PROJECT).replace("{s}", server)
    )
}

/// Rows a configuration allows when granted in the server's project.
const SYSTEM: [(&str, &[&str], &[usize]); 7] = [
    (
        "ECS FullAccess",
        &["ECS FullAccess"],
        &[1, 2, 3, 4, 5, 6, 7, 8, 9],
    ),
    (
        "ECS CommonOperations",
        &["ECS CommonOperations"],
        &[2, 3, 6, 7, 8, 9],
    ),
    ("ECS ReadOnlyAccess", &["ECS ReadOnlyAccess"], &[2, 3]),
    (
        "Server Administrator without Tenant Guest",
        &["Server Administrator"],
        &[],
    ),
    (
        "Server Administrator with Tenant Guest",
        &["Server Administrator", "Tenant Guest"],
        &[1, 2, 3, 4, 5, 6, 7, 8, 9],
    ),
    (
        "Tenant Administrator",
        &["Tenant Administrator"],
        &[1, 2, 3, 4, 5, 6, 7, 8, 9],
    ),
    ("Tenant Guest", &["Tenant Guest"], &[2, 3]),
];

/// Rows that support authorization through enterprise projects.
const ENTERPRISE_ROWS: [usize; 4] = [1, 2, 3, 4];

fn grants(policies: &[&str], scope: &str) -> String {
    let items: Vec<String> = policies
        .iter()
        .map(|p| format!(r#"{{"policy": "{p}", "scope": {scope}}}"#))
        .collect();
    format!(r#"{{"grants": [{}]}}"#, items.join(", "))
}

pub fn permission_cases() -> Vec<PermissionCase> {
    let mut cases = Vec::new();
    let scopes: [(&str, String, Option<&'static str>, bool); 4] = [
        (
            "project",
            format!(r#"{{"project": "{PROJECT}"}}"#),
            None,
            true,
        ),
        (
            "enterprise project of the server",
            format!(r#"{{"enterpriseProject": "{EP}"}}"#),
            Some(EP),
            true,
        ),
        (
            "enterprise project of another server",
            format!(r#"{{"enterpriseProject": "{EP}"}}"#),
            Some("ep2"),
            false,
        ),
        (
            "another project",
            r#"{"project": "p2"}"#.to_string(),
            None,
            false,
        ),
    ];
    for (config, policies, allowed_rows) in SYSTEM {
        for (scope_name, scope, server_ep, applies) in &scopes {
            for row in 1..=9 {
                let enterprise = scope_name.starts_with("enterprise");
                let allowed = *applies
                    && allowed_rows.contains(&row)
                    && (!enterprise || ENTERPRISE_ROWS.contains(&row));
                cases.push(PermissionCase {
                    name: format!("{config}, {scope_name}, row {row}"),
                    grants: grants(policies, scope),
                    request: request(row, SERVER),
                    server_enterprise_project: *server_ep,
                    context: vec![],
                    decision: if allowed { "allow" } else { "deny" },
                    reason: if allowed { "allow" } else { "implicit-deny" },
                    deciding: (allowed && policies.len() == 1).then(|| (policies[0], 1)),
                });
            }
        }
    }
    cases.extend(hand_cases());
    cases
}

fn custom(statements: &str) -> String {
    format!(
        r#"{{"grants": [{{"policy": "ECS FullAccess", "scope": {{"project": "{PROJECT}"}}}},
            {{"name": "custom", "policy": {{"Version": "1.1", "Statement": {statements}}}, "scope": {{"project": "{PROJECT}"}}}}]}}"#
    )
}

fn only(statements: &str) -> String {
    format!(
        r#"{{"grants": [{{"name": "custom", "policy": {{"Version": "1.1", "Statement": {statements}}}, "scope": {{"project": "{PROJECT}"}}}}]}}"#
    )
}

#[allow(clippy::too_many_arguments)] // one argument per column of the case table
fn case(
    name: &str,
    grants: String,
    row: usize,
    server: &str,
    context: Vec<(&'static str, &'static str)>,
    decision: &'static str,
    reason: &'static str,
    deciding: Option<(&'static str, usize)>,
) -> PermissionCase {
    PermissionCase {
        name: name.into(),
        grants,
        request: request(row, server),
        server_enterprise_project: None,
        context,
        decision,
        reason,
        deciding,
    }
}

fn hand_cases() -> Vec<PermissionCase> {
    let deny_delete = custom(
        r#"[{"Effect": "Allow", "Action": ["ecs:*:list*"]}, {"Effect": "Deny", "Action": ["ecs:cloudServers:deletePassword"]}]"#,
    );
    let deny_new_name =
        custom(r#"[{"Effect": "Deny", "Action": ["ecs:cloudServers:showServerPassword"]}]"#);
    let new_name =
        only(r#"[{"Effect": "Allow", "Action": ["ecs:cloudServers:showServerPassword"]}]"#);
    let instance = only(
        r#"[{"Effect": "Allow", "Action": ["ecs:*:*"], "Resource": ["ecs:*:*:instance:s1"]}]"#,
    );
    let any_resource =
        only(r#"[{"Effect": "Allow", "Action": ["ecs:*:*"], "Resource": ["ecs:*:*:*:*"]}]"#);
    let until_2027 = only(
        r#"[{"Effect": "Allow", "Action": ["ecs:*:*"], "Condition": {"DateLessThan": {"g:CurrentTime": "2027-01-01T00:00:00Z"}}}]"#,
    );
    let from_2999 = only(
        r#"[{"Effect": "Allow", "Action": ["ecs:*:*"], "Condition": {"DateGreaterThan": {"g:CurrentTime": "2999-01-01T00:00:00Z"}}}]"#,
    );
    let mfa = only(
        r#"[{"Effect": "Allow", "Action": ["ecs:serverPasswords:manage"], "Condition": {"Bool": {"g:MFAPresent": ["true"]}, "StringMatch": {"g:UserName": ["ops-*"]}}}]"#,
    );
    let deny_unless_mfa = custom(
        r#"[{"Effect": "Deny", "Action": ["ecs:*:*"], "Condition": {"BoolIfExists": {"g:MFAPresent": ["false"]}}}]"#,
    );
    let star_pwd = only(r#"[{"Effect": "Allow", "Action": ["ecs:cloudServers:*Pwd"]}]"#);
    let upper = only(r#"[{"Effect": "Allow", "Action": ["ECS:CLOUDSERVERS:DELETEPASSWORD"]}]"#);
    vec![
        case(
            "explicit deny beats FullAccess",
            deny_delete.clone(),
            4,
            SERVER,
            vec![],
            "deny",
            "explicit-deny",
            Some(("custom", 2)),
        ),
        case(
            "explicit deny of deletePassword leaves v2.1 clear",
            deny_delete,
            7,
            SERVER,
            vec![],
            "allow",
            "allow",
            Some(("ECS FullAccess", 1)),
        ),
        case(
            "deny by the newer name blocks the old row",
            deny_new_name.clone(),
            3,
            SERVER,
            vec![],
            "deny",
            "explicit-deny",
            Some(("custom", 1)),
        ),
        case(
            "deny by the newer name leaves the reset flag",
            deny_new_name,
            2,
            SERVER,
            vec![],
            "allow",
            "allow",
            Some(("ECS FullAccess", 1)),
        ),
        case(
            "allow by the newer name",
            new_name.clone(),
            3,
            SERVER,
            vec![],
            "allow",
            "allow",
            Some(("custom", 1)),
        ),
        case(
            "the newer name of row 3 does not cover row 2",
            new_name,
            2,
            SERVER,
            vec![],
            "deny",
            "implicit-deny",
            None,
        ),
        case(
            "instance resource: this server",
            instance.clone(),
            3,
            "s1",
            vec![],
            "allow",
            "allow",
            Some(("custom", 1)),
        ),
        case(
            "instance resource: another server",
            instance.clone(),
            3,
            "s2",
            vec![],
            "deny",
            "implicit-deny",
            None,
        ),
        case(
            "instance resource on a row without resource-level authorization",
            instance,
            6,
            "s1",
            vec![],
            "deny",
            "implicit-deny",
            None,
        ),
        case(
            "all-resources pattern on a native row",
            any_resource,
            6,
            "s1",
            vec![],
            "allow",
            "allow",
            Some(("custom", 1)),
        ),
        case(
            "date condition holds",
            until_2027.clone(),
            3,
            SERVER,
            vec![("g:CurrentTime", "2026-11-23T12:00:00Z")],
            "allow",
            "allow",
            Some(("custom", 1)),
        ),
        case(
            "date condition fails",
            until_2027.clone(),
            3,
            SERVER,
            vec![("g:CurrentTime", "2027-06-01T00:00:00Z")],
            "deny",
            "implicit-deny",
            None,
        ),
        // Without g:CurrentTime in the context the key is missing natively, and "now" in the wasm
        // and CLI layers: both deny a window that has not started.
        case(
            "date window not started yet",
            from_2999,
            3,
            SERVER,
            vec![],
            "deny",
            "implicit-deny",
            None,
        ),
        case(
            "two conditions hold",
            mfa.clone(),
            6,
            SERVER,
            vec![("g:MFAPresent", "true"), ("g:UserName", "ops-alice")],
            "allow",
            "allow",
            Some(("custom", 1)),
        ),
        case(
            "one of two conditions fails",
            mfa,
            6,
            SERVER,
            vec![("g:MFAPresent", "true"), ("g:UserName", "bob")],
            "deny",
            "implicit-deny",
            None,
        ),
        case(
            "deny without MFA",
            deny_unless_mfa.clone(),
            3,
            SERVER,
            vec![("g:MFAPresent", "false")],
            "deny",
            "explicit-deny",
            Some(("custom", 1)),
        ),
        case(
            "deny without MFA: key absent counts as false (IfExists)",
            deny_unless_mfa.clone(),
            3,
            SERVER,
            vec![],
            "deny",
            "explicit-deny",
            Some(("custom", 1)),
        ),
        case(
            "deny without MFA: MFA present",
            deny_unless_mfa,
            3,
            SERVER,
            vec![("g:MFAPresent", "true")],
            "allow",
            "allow",
            Some(("ECS FullAccess", 1)),
        ),
        case(
            "wildcard inside the action segment",
            star_pwd.clone(),
            1,
            SERVER,
            vec![],
            "allow",
            "allow",
            Some(("custom", 1)),
        ),
        case(
            "wildcard inside the action segment does not match deletePassword",
            star_pwd,
            4,
            SERVER,
            vec![],
            "deny",
            "implicit-deny",
            None,
        ),
        case(
            "actions compare without case",
            upper,
            4,
            SERVER,
            vec![],
            "allow",
            "allow",
            Some(("custom", 1)),
        ),
        case(
            "no grants at all",
            r#"{"grants": []}"#.into(),
            3,
            SERVER,
            vec![],
            "deny",
            "implicit-deny",
            None,
        ),
    ]
}

/// Nova cases: (roles, token project, server project, request, operator policy, decision).
/// Defaults: show = reader in the server's project or admin; clear = member there or admin;
/// admin implies member implies reader.
pub type NovaCase = (
    &'static [&'static str],
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
    &'static str,
);

pub const NOVA_CASES: &[NovaCase] = &[
    (&["reader"], "p1", "p1", "GET /v2.1/servers/s1/os-server-password", None, "allow"),
    (&["reader"], "p1", "p1", "DELETE /v2.1/servers/s1/os-server-password", None, "deny"),
    (&["member"], "p1", "p1", "DELETE /v2.1/p1/servers/s1/os-server-password", None, "allow"),
    (&["member"], "p1", "p1", "GET /v2/p1/servers/s1/os-server-password/", None, "allow"),
    (&["member"], "p1", "p2", "GET /v2.1/servers/s1/os-server-password", None, "deny"),
    (&["admin"], "p1", "p2", "DELETE /v2.1/servers/s1/os-server-password", None, "allow"),
    (&["Admin"], "p1", "p1", "GET /compute/v2.1/servers/s1/os-server-password?x=1", None, "allow"),
    (&[], "p1", "p1", "GET /v2.1/servers/s1/os-server-password", None, "deny"),
    (&["operator"], "p1", "p1", "GET /v2.1/servers/s1/os-server-password", None, "deny"),
    (&["member"], "p1", "p1", "GET /v2.1/servers/s1/os-server-password", Some("\"os_compute_api:os-server-password:show\": \"rule:admin_api\"\n"), "deny"),
    (&["admin"], "p1", "p1", "GET /v2.1/servers/s1/os-server-password", Some("\"os_compute_api:os-server-password:show\": \"rule:admin_api\"\n"), "allow"),
    (&["operator"], "p1", "p1", "DELETE /v2.1/servers/s1/os-server-password", Some("{\"os_compute_api:os-server-password:clear\": \"role:operator and project_id:%(project_id)s\"}"), "allow"),
    (&["member"], "p1", "p1", "DELETE /v2.1/servers/s1/os-server-password", Some("# nobody clears\nos_compute_api:os-server-password:clear: '!'\n"), "deny"),
];
