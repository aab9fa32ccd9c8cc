//! The JavaScript API of the permission engine (`checkPermission`, `explainAccess`,
//! `permissionTable`, `checkNova`) on the shared cases, run by `wasm_node.rs` (Node) and
//! `wasm_browser.rs` (headless Chromium) in this folder.

use js_sys::Reflect;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

fn get(value: &JsValue, name: &str) -> JsValue {
    Reflect::get(value, &JsValue::from_str(name)).unwrap()
}

fn code_of(error: JsValue) -> String {
    assert!(
        error.is_instance_of::<js_sys::Error>(),
        "not an Error: {error:?}"
    );
    assert_eq!(
        get(&error, "name").as_string().as_deref(),
        Some("EcsPasswordError")
    );
    get(&error, "code").as_string().unwrap()
}

fn options(case: &crate::permission_cases::PermissionCase) -> JsValue {
    let options = js_sys::Object::new();
    let set = |o: &js_sys::Object, k: &str, v: &JsValue| {
        Reflect::set(o, &JsValue::from_str(k), v).unwrap()
    };
    if let Some(ep) = case.server_enterprise_project {
        set(&options, "serverEnterpriseProject", &JsValue::from_str(ep));
    }
    let context = js_sys::Object::new();
    for (k, v) in &case.context {
        set(&context, k, &JsValue::from_str(v));
    }
    set(&options, "context", &context);
    options.into()
}

#[wasm_bindgen_test]
fn permission_cases_through_the_wasm_api() {
    use ecs_password_cloud::check_permission;
    let cases = crate::permission_cases::permission_cases();
    assert!(cases.len() >= 270);
    for case in &cases {
        // Half the cases pass the grants as JSON text, half as a parsed object.
        let grants = if case.name.len() % 2 == 0 {
            JsValue::from_str(&case.grants)
        } else {
            js_sys::JSON::parse(&case.grants).unwrap()
        };
        let d = check_permission(grants, &case.request, Some(options(case)))
            .unwrap_or_else(|e| panic!("{}: {}", case.name, code_of(e)));
        assert_eq!(
            get(&d, "decision").as_string().as_deref(),
            Some(case.decision),
            "{}",
            case.name
        );
        assert_eq!(
            get(&d, "reason").as_string().as_deref(),
            Some(case.reason),
            "{}",
            case.name
        );
        if let Some((policy, statement)) = case.deciding {
            let deciding = get(&d, "deciding");
            assert_eq!(
                get(&deciding, "policy").as_string().as_deref(),
                Some(policy),
                "{}",
                case.name
            );
            assert_eq!(
                get(&deciding, "statement").as_f64(),
                Some(statement as f64),
                "{}",
                case.name
            );
        }
        // The explanation is a message as data: its id names the outcome (words are in the catalogues).
        let explanation = get(&d, "explanation");
        let id = get(&explanation, "messageId")
            .as_string()
            .unwrap_or_default();
        let expected = match case.reason {
            "allow" => "iam-allow",
            "explicit-deny" => "iam-explicit-deny",
            _ => "iam-implicit-deny",
        };
        assert!(id.starts_with(expected), "{}: {id}", case.name);
        assert!(get(&d, "explanationZh").is_undefined());
    }
}

#[wasm_bindgen_test]
fn permission_errors_and_access_report() {
    use ecs_password_cloud::{check_permission, explain_access, permission_table};
    let grants = JsValue::from_str(
        r#"{"grants": [{"policy": "ECS FullAccess", "scope": {"enterpriseProject": "ep1"}}]}"#,
    );
    let e = check_permission(grants.clone(), "GET /v1/p1/cloudservers/s1", None).unwrap_err();
    assert_eq!(code_of(e), "NOT_IN_TABLE");
    let e = check_permission(
        JsValue::from_str("{}"),
        "GET /v1/p1/cloudservers/s1/os-server-password",
        None,
    )
    .unwrap_err();
    assert_eq!(code_of(e), "GRANTS_INVALID");

    let options = js_sys::JSON::parse(r#"{"serverEnterpriseProject": "ep1"}"#).unwrap();
    let report: js_sys::Array = explain_access(grants, "p1", "s1", Some(options))
        .unwrap()
        .into();
    assert_eq!(report.length(), 4);
    let get_op = report.get(0);
    assert_eq!(
        get(&get_op, "operation").as_string().as_deref(),
        Some("get")
    );
    assert_eq!(
        get(&get_op, "recommended").as_string().as_deref(),
        Some("v1")
    );
    let table: js_sys::Array = permission_table().unwrap().into();
    assert_eq!(table.length(), 9);
    assert_eq!(
        get(&table.get(5), "action").as_string().as_deref(),
        Some("ecs:serverPasswords:manage")
    );
}

#[wasm_bindgen_test]
fn nova_cases_through_the_wasm_api() {
    use ecs_password_cloud::check_nova;
    for (roles, token_project, server_project, request, policy, expected) in
        crate::permission_cases::NOVA_CASES
    {
        let options = serde_json::json!({"roles": roles, "tokenProject": token_project, "serverProject": server_project, "policy": policy});
        let options = js_sys::JSON::parse(&options.to_string()).unwrap();
        let d =
            check_nova(request, options).unwrap_or_else(|e| panic!("{request}: {}", code_of(e)));
        assert_eq!(
            get(&d, "decision").as_string().as_deref(),
            Some(*expected),
            "{roles:?} {request}"
        );
        // The reason is a message as data: an id of the catalogues' Nova section, its arguments.
        let explanation = get(&d, "explanation");
        assert!(get(&explanation, "messageId")
            .as_string()
            .is_some_and(|id| id.starts_with("nova-")));
        assert!(get(&explanation, "args").is_object());
        assert!(get(&d, "explanationZh").is_undefined());
        assert_eq!(
            get(&d, "operation").as_string().as_deref(),
            Some(if request.starts_with("GET") {
                "get"
            } else {
                "clear"
            })
        );
    }
    let options =
        js_sys::JSON::parse(r#"{"roles": [], "tokenProject": "p", "serverProject": "p"}"#).unwrap();
    assert_eq!(
        code_of(check_nova("PUT /v2.1/servers/s1/os-server-password", options).unwrap_err()),
        "NOT_IN_TABLE"
    );
}

#[wasm_bindgen_test]
fn hosted_keys_permission_request_and_errors() {
    use ecs_password_cloud::{check_kps, kps_export_error, kps_export_request, kps_table};
    let json = |s: &str| js_sys::JSON::parse(s).unwrap();
    let reader = JsValue::from_str(
        r#"{"grants": [{"policy": "ECS ReadOnlyAccess", "scope": {"project": "p1"}}]}"#,
    );
    let d = check_kps(reader, "export", "p1", "demo-rsa4096", None).unwrap();
    assert_eq!(get(&d, "decision").as_string().as_deref(), Some("deny"));
    let missing: js_sys::Array = get(&d, "missing").into();
    assert_eq!(
        missing
            .iter()
            .map(|m| m.as_string().unwrap())
            .collect::<Vec<_>>(),
        ["kps:domainKeypairs:exportpk", "kms:cmk:decryptDataKey"]
    );
    let explanation = get(&d, "explanation");
    assert_eq!(
        get(&explanation, "messageId").as_string().as_deref(),
        Some("kps-deny")
    );
    let args = get(&explanation, "args");
    assert_eq!(get(&args, "count").as_f64(), Some(2.0));
    let listed: js_sys::Array = get(&get(&args, "missing"), "items").into();
    assert_eq!(
        listed
            .iter()
            .map(|m| m.as_string().unwrap())
            .collect::<Vec<_>>(),
        ["kps:domainKeypairs:exportpk", "kms:cmk:decryptDataKey"]
    );
    let admin = json(
        r#"{"grants": [{"policy": {"Version": "1.1", "Statement": [{"Effect": "Allow", "Action": ["kps:domainKeypairs:*", "kms:cmk:decryptDataKey"]}]}, "scope": {"project": "p1"}}]}"#,
    );
    let d = check_kps(admin, "export", "p1", "demo-rsa4096", None).unwrap();
    assert_eq!(get(&d, "decision").as_string().as_deref(), Some("allow"));
    assert!(check_kps(JsValue::from_str("{}"), "export", "p1", "k", None).is_err());
    assert!(check_kps(
        JsValue::from_str(r#"{"grants": []}"#),
        "import",
        "p1",
        "k",
        None
    )
    .unwrap_err()
    .is_instance_of::<js_sys::TypeError>());
    let table: js_sys::Array = kps_table().unwrap().into();
    assert_eq!(table.length(), 3);

    // The export request: built and authorized, for the worker to send.
    let target =
        json(r#"{"endpoint": "https://kms.cn-north-4.myhuaweicloud.com", "projectId": "p1"}"#);
    let request =
        kps_export_request(target.clone(), "demo-rsa4096", json(r#"{"token": "t-1"}"#)).unwrap();
    assert_eq!(
        get(&request, "url").as_string().as_deref(),
        Some("https://kms.cn-north-4.myhuaweicloud.com/v3/p1/keypairs/private-key/export")
    );
    assert_eq!(get(&request, "method").as_string().as_deref(), Some("POST"));
    assert_eq!(
        get(&get(&request, "headers"), "X-Auth-Token")
            .as_string()
            .as_deref(),
        Some("t-1")
    );
    assert_eq!(
        get(&request, "body").as_string().as_deref(),
        Some(r#"{"keypair":{"name":"demo-rsa4096"}}"#)
    );
    let signed = kps_export_request(
        target.clone(),
        "demo-rsa4096",
        json(r#"{"accessKey": "AK", "secretKey": "SK"}"#),
    )
    .unwrap();
    let headers = get(&signed, "headers");
    assert!(get(&headers, "Authorization")
        .as_string()
        .unwrap()
        .starts_with("SDK-HMAC-SHA256 Access=AK,"));
    assert_eq!(
        get(&headers, "X-Project-Id").as_string().as_deref(),
        Some("p1")
    );
    let e = kps_export_request(target, "../x", json(r#"{"token": "t"}"#)).unwrap_err();
    assert_eq!(code_of(e), "ID_INVALID");

    // A refused export, as the worker's fetch got it.
    let answer = json(
        r#"{"status": 403, "headers": {"x-request-id": "r-9"},
        "body": "{\"error_code\": \"Pdp.0001\", \"error_msg\": \"Policy doesn't allow kps:domainKeypairs:exportpk to be performed.\"}"}"#,
    );
    let e = kps_export_error("demo-rsa4096", answer).unwrap();
    assert_eq!(code_of(e.clone()), "FORBIDDEN");
    assert_eq!(get(&e, "requestId").as_string().as_deref(), Some("r-9"));
    assert_eq!(
        get(&e, "cloudCode").as_string().as_deref(),
        Some("Pdp.0001")
    );
    // The action the cloud named is an argument of the message (the words are the catalogues').
    let args = String::from(js_sys::JSON::stringify(&get(&e, "args")).unwrap());
    assert!(args.contains("kms:cmk:decryptDataKey"), "{args}");
}
