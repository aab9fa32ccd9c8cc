//! Requests compared with the samples of Keystone's API reference
//! (openstack/keystone `api-ref/source/v3/samples/admin/auth-*-request.json`) and Huawei's IAM API
//! reference ("Obtaining a User Token Through Password and Virtual MFA Authentication"); answers
//! shaped like the reference's `auth-*-response.json`.

use super::*;
use crate::signin::catalog::{find_endpoint, Interface};
use crate::signin::needs_new_sign_in;

fn endpoint(url: &str) -> Endpoint {
    Endpoint::parse(url).unwrap()
}

fn body_of(request: &HttpRequest) -> Value {
    serde_json::from_slice(&request.body).unwrap()
}

fn admin() -> UserRef {
    UserRef::Name {
        name: "admin".into(),
        domain: Name::Name("Default".into()),
    }
}

/// An answer of the identity service with these headers and body (also used by the flow's tests).
pub(in crate::signin) fn answer(status: u16, headers: &[(&str, &str)], body: &str) -> HttpResponse {
    HttpResponse {
        status,
        headers: headers
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect(),
        body: body.as_bytes().to_vec(),
    }
}

#[test]
fn the_version_is_added_once() {
    let factors = [Factor::Token(Secret::new("t"))];
    for (auth_url, expected) in [
        (
            "https://keystone.example.com:5000",
            "https://keystone.example.com:5000/v3/auth/tokens",
        ),
        (
            "https://keystone.example.com:5000/v3",
            "https://keystone.example.com:5000/v3/auth/tokens",
        ),
        (
            "https://cloud.example.com/identity/v3/",
            "https://cloud.example.com/identity/v3/auth/tokens",
        ),
        (
            "https://iam.eu-de.otc.t-systems.com/v3",
            "https://iam.eu-de.otc.t-systems.com/v3/auth/tokens",
        ),
    ] {
        let request =
            build_token_request(&endpoint(auth_url), &factors, &Scope::Default, None).unwrap();
        assert_eq!(request.url.as_str(), expected);
        assert_eq!(request.method, "POST");
    }
}

#[test]
fn password_scoped_to_a_project_by_name() {
    // auth-password-project-scoped-request.json (project by name and domain).
    let request = build_token_request(
        &endpoint("https://keystone.example.com/v3"),
        &[Factor::Password {
            user: admin(),
            password: Secret::new("devstacker"),
        }],
        &Scope::ProjectName {
            name: "admin".into(),
            domain: Some(Name::Id("default".into())),
        },
        None,
    )
    .unwrap();
    assert_eq!(
        body_of(&request),
        json!({"auth": {
            "identity": {"methods": ["password"], "password": {"user": {
                "name": "admin", "domain": {"name": "Default"}, "password": "devstacker"}}},
            "scope": {"project": {"name": "admin", "domain": {"id": "default"}}}}})
    );
    assert_eq!(request.header("Content-Type"), Some("application/json"));
    // Neither the request's Debug nor the factor's shows the password.
    assert!(
        !format!("{request:?}").contains("devstacker"),
        "{request:?}"
    );
    // No secret in Debug of what the request was built from.
    let factor = Factor::Password {
        user: admin(),
        password: Secret::new("devstacker"),
    };
    assert!(!format!("{factor:?}").contains("devstacker"));
}

#[test]
fn password_by_user_id_scoped_by_project_id_domain_and_system() {
    let url = endpoint("https://keystone.example.com/v3");
    let factors = [Factor::Password {
        user: UserRef::Id("ee4dfb6e5540447cb3741905149d9b6e".into()),
        password: Secret::new("devstacker"),
    }];
    let scope = |scope: Scope| {
        body_of(&build_token_request(&url, &factors, &scope, None).unwrap())["auth"]
            .get("scope")
            .cloned()
    };
    assert_eq!(
        scope(Scope::ProjectId("a6944d763bf64ee6a275f1263fae0352".into())),
        Some(json!({"project": {"id": "a6944d763bf64ee6a275f1263fae0352"}}))
    );
    assert_eq!(
        scope(Scope::Domain(Name::Id("default".into()))),
        Some(json!({"domain": {"id": "default"}}))
    );
    assert_eq!(scope(Scope::System), Some(json!({"system": {"all": true}})));
    assert_eq!(scope(Scope::Default), None);
    let body = body_of(&build_token_request(&url, &factors, &Scope::Default, None).unwrap());
    assert_eq!(
        body["auth"]["identity"]["password"]["user"],
        json!({"id": "ee4dfb6e5540447cb3741905149d9b6e", "password": "devstacker"})
    );
}

#[test]
fn application_credentials_by_id_and_by_name() {
    let url = endpoint("https://keystone.example.com/v3");
    // auth-application-credential-id-request.json
    let by_id = build_token_request(
        &url,
        &[Factor::ApplicationCredential {
            credential: AppCredential::Id("423f19a4ac1e4f48bbb4180756e6eb6c".into()),
            secret: Secret::new("rEaqvJka48mpv"),
        }],
        // An application credential carries its scope: none is sent.
        &Scope::ProjectId("p".into()),
        None,
    )
    .unwrap();
    assert_eq!(
        body_of(&by_id),
        json!({"auth": {"identity": {"methods": ["application_credential"],
            "application_credential": {"id": "423f19a4ac1e4f48bbb4180756e6eb6c", "secret": "rEaqvJka48mpv"}}}})
    );
    // auth-application-credential-name-request.json
    let by_name = build_token_request(
        &url,
        &[Factor::ApplicationCredential {
            credential: AppCredential::Name {
                name: "monitoring".into(),
                user: UserRef::Id("fd786d56402c4d1691372e7dee0d00b5".into()),
            },
            secret: Secret::new("rEaqvJka48mpv"),
        }],
        &Scope::Default,
        None,
    )
    .unwrap();
    assert_eq!(
        body_of(&by_name),
        json!({"auth": {"identity": {"methods": ["application_credential"],
            "application_credential": {"name": "monitoring",
                "user": {"id": "fd786d56402c4d1691372e7dee0d00b5"}, "secret": "rEaqvJka48mpv"}}}})
    );
}

#[test]
fn token_and_totp() {
    let url = endpoint("https://keystone.example.com/v3");
    let token = build_token_request(
        &url,
        &[Factor::Token(Secret::new("gAAAAABWHEVI"))],
        &Scope::ProjectId("5b50efd009b540559104ee3c03bbb2b7".into()),
        None,
    )
    .unwrap();
    // auth-token-scoped-request.json
    assert_eq!(
        body_of(&token),
        json!({"auth": {"identity": {"methods": ["token"], "token": {"id": "gAAAAABWHEVI"}},
            "scope": {"project": {"id": "5b50efd009b540559104ee3c03bbb2b7"}}}})
    );
    let totp = build_token_request(
        &url,
        &[Factor::Totp {
            user: UserRef::Id("ee4dfb6e5540447cb3741905149d9b6e".into()),
            passcode: Secret::new("123456"),
        }],
        &Scope::Default,
        None,
    )
    .unwrap();
    assert_eq!(
        body_of(&totp),
        json!({"auth": {"identity": {"methods": ["totp"], "totp": {"user": {
            "id": "ee4dfb6e5540447cb3741905149d9b6e", "passcode": "123456"}}}}})
    );
    assert_eq!(
        build_token_request(&url, &[], &Scope::Default, None)
            .unwrap_err()
            .code(),
        ErrorCode::AuthFailed
    );
}

#[test]
fn huawei_password_and_virtual_mfa() {
    // KeystoneCreateUserTokenByPasswordAndMfa: methods ["password", "totp"], the TOTP user by id,
    // the project named after the region.
    let request = build_token_request(
        &endpoint("https://iam.cn-north-4.myhuaweicloud.com"),
        &[
            Factor::Password {
                user: UserRef::Name {
                    name: "IAMUser".into(),
                    domain: Name::Name("IAMDomain".into()),
                },
                password: Secret::new("IAMPassword"),
            },
            Factor::Totp {
                user: UserRef::Id("b95b78b67fa045b38104c12fb...".into()),
                passcode: Secret::new("******"),
            },
        ],
        &Scope::ProjectName {
            name: "cn-north-4".into(),
            domain: None,
        },
        None,
    )
    .unwrap();
    assert_eq!(
        request.url.as_str(),
        "https://iam.cn-north-4.myhuaweicloud.com/v3/auth/tokens"
    );
    assert_eq!(
        body_of(&request),
        json!({"auth": {"identity": {"methods": ["password", "totp"],
            "password": {"user": {"name": "IAMUser", "password": "IAMPassword", "domain": {"name": "IAMDomain"}}},
            "totp": {"user": {"id": "b95b78b67fa045b38104c12fb...", "passcode": "******"}}},
            "scope": {"project": {"name": "cn-north-4"}}}})
    );
}

#[test]
fn a_receipt_asks_for_the_second_factor() {
    // Keystone with MFA rules: 401, the receipt in a header, the methods that would do in the body.
    let first = answer(
        401,
        &[("Openstack-Auth-Receipt", "gAAAAABcOSJ1receipt")],
        r#"{"receipt": {"methods": ["password"], "user": {"id": "ee4dfb6e", "name": "admin",
            "domain": {"id": "default", "name": "Default"}}, "expires_at": "2018-07-05T12:34:56.000000Z",
            "issued_at": "2018-07-05T12:29:56.000000Z"},
            "required_auth_methods": [["password", "totp"]]}"#,
    );
    let SignInAnswer::MoreFactorsNeeded { receipt, required } = parse_token(&first).unwrap() else {
        panic!("not a receipt");
    };
    assert_eq!(receipt, "gAAAAABcOSJ1receipt");
    assert_eq!(
        required,
        vec![vec!["password".to_owned(), "totp".to_owned()]]
    );
    let second = build_token_request(
        &endpoint("https://keystone.example.com/v3"),
        &[Factor::Totp {
            user: UserRef::Id("ee4dfb6e".into()),
            passcode: Secret::new("123456"),
        }],
        &Scope::Default,
        Some(&receipt),
    )
    .unwrap();
    assert_eq!(
        second.header("Openstack-Auth-Receipt"),
        Some("gAAAAABcOSJ1receipt")
    );
}

/// auth-password-project-scoped-response.json (the catalog cut to identity and compute).
const PROJECT_SCOPED: &str = r#"{
    "token": {
        "methods": ["password"],
        "roles": [{"id": "51cc68287d524c759f47c811e6463340", "name": "admin"}],
        "expires_at": "2015-11-07T02:58:43.578887Z",
        "project": {
            "domain": {"id": "default", "name": "Default"},
            "id": "a6944d763bf64ee6a275f1263fae0352",
            "name": "admin"
        },
        "is_domain": false,
        "catalog": [
            {"endpoints": [
                {"region_id": "RegionOne", "url": "http://23.253.248.171:5000/v2.0", "region": "RegionOne", "interface": "public", "id": "068d1b359ee84b438266cb736d81de97"},
                {"region_id": "RegionOne", "url": "http://23.253.248.171:35357/v2.0", "region": "RegionOne", "interface": "admin", "id": "8bfc846841ab441ca38471be6d164ced"}
             ], "type": "identity", "id": "050726f278654128aba89757ae25950c", "name": "keystone"},
            {"endpoints": [
                {"region_id": "RegionOne", "url": "http://23.253.248.171:8774/v2.1/a6944d763bf64ee6a275f1263fae0352", "region": "RegionOne", "interface": "admin", "id": "2511589f262a407bb0071a814a480af4"},
                {"region_id": "RegionOne", "url": "http://23.253.248.171:8774/v2.1/a6944d763bf64ee6a275f1263fae0352", "region": "RegionOne", "interface": "internal", "id": "9cf9209ae4fc4673a7295611001cf0ae"},
                {"region_id": "RegionOne", "url": "http://23.253.248.171:8774/v2.1/a6944d763bf64ee6a275f1263fae0352", "region": "RegionOne", "interface": "public", "id": "d200b2509e1343e3887dcc465b4fa534"}
             ], "type": "compute", "id": "a226b3eeb5594f50bf8b6df94636ed28", "name": "nova"}
        ],
        "user": {
            "domain": {"id": "default", "name": "Default"},
            "id": "ee4dfb6e5540447cb3741905149d9b6e",
            "name": "admin",
            "password_expires_at": "2016-11-06T15:32:17.000000"
        },
        "audit_ids": ["3T2dc1CGQxyJsHdDu1xkcw"],
        "issued_at": "2015-11-07T01:58:43.578929Z"
    }
}"#;

#[test]
fn a_project_scoped_token() {
    let response = answer(
        201,
        &[("X-Subject-Token", "gAAAAABWJI9Hproject")],
        PROJECT_SCOPED,
    );
    let SignInAnswer::SignedIn(token) = parse_token(&response).unwrap() else {
        panic!("no token");
    };
    assert_eq!(token.token.expose(), "gAAAAABWJI9Hproject");
    assert!(!format!("{token:?}").contains("gAAAAABWJI9Hproject"));
    assert_eq!(token.expires_at, "2015-11-07T02:58:43.578887Z");
    assert_eq!(token.expires_unix, 1_446_865_123);
    assert!(!token.needs_new_sign_in(1_446_865_123 - 3600, 30));
    assert!(token.needs_new_sign_in(1_446_865_123 - 10, 30));
    assert!(needs_new_sign_in(1_446_865_124, token.expires_unix, 0));
    assert_eq!(token.methods, ["password"]);
    assert_eq!(token.roles, ["admin"]);
    let project = token.project.clone().unwrap();
    assert_eq!(project.id, "a6944d763bf64ee6a275f1263fae0352");
    assert_eq!(project.name, "admin");
    assert_eq!(project.domain_id.as_deref(), Some("default"));
    assert_eq!(token.user.as_ref().unwrap().name, "admin");
    assert_eq!(token.user_domain.as_ref().unwrap().name, "Default");
    let nova = token.nova_credentials();
    assert_eq!(nova.roles, ["admin"]);
    assert_eq!(nova.project_id, "a6944d763bf64ee6a275f1263fae0352");
    // The sample's compute endpoints are plain http: found, and refused (the token would travel
    // in the clear).
    assert_eq!(token.catalog.len(), 2);
    let e = find_endpoint(
        &token.catalog,
        &["compute"],
        Interface::Public,
        Some("RegionOne"),
    )
    .unwrap_err();
    assert_eq!(e.code(), ErrorCode::EndpointInvalid);
    let e = find_endpoint(
        &token.catalog,
        &["compute"],
        Interface::Public,
        Some("RegionTwo"),
    )
    .unwrap_err();
    assert_eq!(e.code(), ErrorCode::EndpointNotFound);
    assert!(
        e.english().contains("compute public RegionOne"),
        "{}",
        e.english()
    );
}

/// A Huawei Cloud token body (IAM API reference, KeystoneCreateUserTokenByPassword), cut short.
const HUAWEI_TOKEN: &str = r#"{
    "token": {
        "expires_at": "2020-01-04T09:05:22.701000Z",
        "methods": ["password"],
        "catalog": [
            {"endpoints": [{"id": "33e1cbdd86d34e89a63cf8ad16a5f49f", "interface": "public",
                "region": "*", "region_id": "*", "url": "https://iam.myhuaweicloud.com/v3"}],
             "id": "100a6a3477f1495286579b819d399e36", "name": "iam", "type": "iam"},
            {"endpoints": [{"id": "ea6d5fca6e1a4e3ea8b5b1aa3f1a3b27", "interface": "public",
                "region": "cn-north-4", "region_id": "cn-north-4",
                "url": "https://ecs.cn-north-4.myhuaweicloud.com/v2.1/05041fffa40025702f6dc009cc6f8f33"}],
             "id": "ac4e5bb9b8704cbd9d1f2d0e5ac8dbd5", "name": "nova", "type": "compute"},
            {"endpoints": [{"id": "1e0a0e8a4d4d4c6c9f7e0d9a8b7c6d5e", "interface": "public",
                "region": "cn-north-4", "region_id": "cn-north-4",
                "url": "https://ecs.cn-north-4.myhuaweicloud.com/v1/05041fffa40025702f6dc009cc6f8f33"}],
             "id": "f3e0c1b2a3d4e5f60718293a4b5c6d7e", "name": "ecs", "type": "ecs"}
        ],
        "domain": {"name": "IAMDomain", "id": "d78cbac186b744899480f25bd02..."},
        "roles": [{"name": "te_admin", "id": "0"}, {"name": "secu_admin", "id": "0"}],
        "project": {"domain": {"name": "IAMDomain", "id": "d78cbac186b744899480f25bd02..."},
            "name": "cn-north-4", "id": "05041fffa40025702f6dc009cc6f8f33"},
        "issued_at": "2020-01-03T09:05:22.701000Z",
        "user": {"domain": {"name": "IAMDomain", "id": "d78cbac186b744899480f25bd02..."},
            "name": "IAMUser", "password_expires_at": "", "id": "7116d09f88fa41908676fdd4b039e..."}
    }
}"#;

#[test]
fn a_huawei_token_and_its_catalog() {
    let response = answer(
        201,
        &[("x-subject-token", "MIIatAYJKoZIhvcNAQcCoII")],
        HUAWEI_TOKEN,
    );
    let SignInAnswer::SignedIn(token) = parse_token(&response).unwrap() else {
        panic!("no token");
    };
    assert_eq!(token.token.expose(), "MIIatAYJKoZIhvcNAQcCoII");
    assert_eq!(token.roles, ["te_admin", "secu_admin"]);
    assert_eq!(
        token.project.as_ref().unwrap().id,
        "05041fffa40025702f6dc009cc6f8f33"
    );
    let compute = find_endpoint(
        &token.catalog,
        &["compute"],
        Interface::Public,
        Some("cn-north-4"),
    )
    .unwrap();
    assert_eq!(
        compute.url().as_str(),
        "https://ecs.cn-north-4.myhuaweicloud.com/v2.1/05041fffa40025702f6dc009cc6f8f33"
    );
    // The first type listed wins.
    let ecs = find_endpoint(&token.catalog, &["ecs", "compute"], Interface::Public, None).unwrap();
    assert!(ecs.url().path().starts_with("/v1/"), "{ecs:?}");
    assert_eq!(
        find_endpoint(&token.catalog, &["compute"], Interface::Internal, None)
            .unwrap_err()
            .code(),
        ErrorCode::EndpointNotFound
    );
}

#[test]
fn bad_token_answers() {
    for (response, why) in [
        (answer(201, &[], HUAWEI_TOKEN), "X-Subject-Token"),
        (
            answer(201, &[("X-Subject-Token", "t")], "<html>"),
            "not JSON",
        ),
        (
            answer(201, &[("X-Subject-Token", "t")], r#"{"token": {}}"#),
            "expires_at",
        ),
        (
            answer(
                201,
                &[("X-Subject-Token", "t")],
                r#"{"token": {"expires_at": "tomorrow"}}"#,
            ),
            "ISO 8601",
        ),
    ] {
        let e = parse_token(&response).unwrap_err();
        assert_eq!(e.code(), ErrorCode::ResponseInvalid, "{why}");
        assert!(e.english().contains(why), "{}", e.english());
    }
}

#[test]
fn keystone_and_iam_errors() {
    // Keystone's error shape (keystone/exception.py, rendered by keystone/server/flask).
    let e = parse_token(&answer(
        401,
        &[("X-Openstack-Request-Id", "req-5d1f")],
        r#"{"error": {"code": 401, "message": "The request you have made requires authentication.", "title": "Unauthorized"}}"#,
    ))
    .unwrap_err();
    assert_eq!(e.code(), ErrorCode::AuthFailed);
    let details = e.cloud_details().unwrap();
    assert_eq!(details.status, 401);
    assert_eq!(details.cloud_code.as_deref(), Some("401"));
    assert_eq!(
        details.cloud_message.as_deref(),
        Some("The request you have made requires authentication.")
    );
    assert_eq!(details.request_id.as_deref(), Some("req-5d1f"));
    // Huawei IAM's gateway shape.
    let e = parse_token(&answer(
        403,
        &[],
        r#"{"error_msg": "The user does not have programmatic access.", "error_code": "IAM.0002", "request_id": "r1"}"#,
    ))
    .unwrap_err();
    assert_eq!(e.code(), ErrorCode::Forbidden);
    assert_eq!(
        e.cloud_details().unwrap().cloud_code.as_deref(),
        Some("IAM.0002")
    );
    for (status, code) in [
        (404, ErrorCode::ProjectNotFound),
        (429, ErrorCode::RateLimited),
        (503, ErrorCode::CloudUnavailable),
        (400, ErrorCode::CloudError),
    ] {
        assert_eq!(
            parse_token(&answer(status, &[], "")).unwrap_err().code(),
            code
        );
    }
}

/// get-available-project-scopes-response.json
const AUTH_PROJECTS: &str = r#"{
    "links": {"self": "https://identity.example.com/v3/auth/projects", "previous": null, "next": null},
    "projects": [
        {"domain_id": "1789d1", "enabled": true, "id": "263fd9",
         "links": {"self": "https://identity.example.com/v3/projects/263fd9"}, "name": "Test Group"},
        {"domain_id": "1789d1", "enabled": true, "id": "50ef01",
         "links": {"self": "https://identity.example.com/v3/projects/50ef01"}, "name": "Build Group"}
    ]
}"#;

#[test]
fn projects_are_listed_and_picked_by_name() {
    let request = build_list_projects(
        &endpoint("https://identity.example.com/v3"),
        &Secret::new("tok"),
    );
    assert_eq!(
        request.url.as_str(),
        "https://identity.example.com/v3/auth/projects"
    );
    assert_eq!(request.method, "GET");
    assert_eq!(request.header("X-Auth-Token"), Some("tok"));
    assert!(!format!("{request:?}").contains("tok\""), "{request:?}");
    let projects = parse_projects(&answer(200, &[], AUTH_PROJECTS)).unwrap();
    assert_eq!(projects.len(), 2);
    assert_eq!(
        pick_project(&projects, "Build Group", None).unwrap().id,
        "50ef01"
    );
    assert_eq!(
        pick_project(&projects, "Build Group", Some(&Name::Id("1789d1".into())))
            .unwrap()
            .id,
        "50ef01"
    );
    let e = pick_project(&projects, "Build Group", Some(&Name::Id("other".into()))).unwrap_err();
    assert_eq!(e.code(), ErrorCode::ProjectNotFound);
    let e = pick_project(&projects, "Prod", None).unwrap_err();
    assert_eq!(e.code(), ErrorCode::ProjectNotFound);
    assert!(
        e.english().contains("Test Group, Build Group"),
        "{}",
        e.english()
    );
    let twice = [projects[0].clone(), projects[0].clone()];
    let e = pick_project(&twice, "Test Group", None).unwrap_err();
    assert!(e.english().contains("263fd9, 263fd9"), "{}", e.english());
}

#[test]
fn huawei_finds_the_project_of_a_region() {
    // As huaweicloudsdkcore does for AK/SK: GET <iam>/v3/projects?name=<region>, signed.
    let request =
        build_project_by_region(&endpoint("https://iam.eu-de.otc.t-systems.com"), "eu-de").unwrap();
    assert_eq!(
        request.url.as_str(),
        "https://iam.eu-de.otc.t-systems.com/v3/projects?name=eu-de"
    );
    assert_eq!(
        build_project_by_region(&endpoint("https://iam.example.com"), "a/b")
            .unwrap_err()
            .code(),
        ErrorCode::IdInvalid
    );
    // KeystoneListProjects' answer.
    let one = r#"{"links": {"self": "https://iam.eu-de.otc.t-systems.com/v3/projects?name=eu-de"},
        "projects": [{"is_domain": false, "description": "", "links": {"self": "https://iam.eu-de.otc.t-systems.com/v3/projects/0590a3a6f90025bc2fb5c00b0e2fc8dc"},
        "enabled": true, "id": "0590a3a6f90025bc2fb5c00b0e2fc8dc", "parent_id": "d78cbac186b744899480f25bd022f468",
        "domain_id": "d78cbac186b744899480f25bd022f468", "name": "eu-de"}]}"#;
    assert_eq!(
        project_for_region(&answer(200, &[], one), "eu-de").unwrap(),
        "0590a3a6f90025bc2fb5c00b0e2fc8dc"
    );
    let none = r#"{"links": {}, "projects": []}"#;
    assert_eq!(
        project_for_region(&answer(200, &[], none), "eu-de")
            .unwrap_err()
            .code(),
        ErrorCode::ProjectNotFound
    );
    assert_eq!(
        project_for_region(
            &answer(401, &[], r#"{"error_msg": "Incorrect IAM authentication information: verify aksk signature fail", "error_code": "APIGW.0301"}"#),
            "eu-de"
        )
        .unwrap_err()
        .code(),
        ErrorCode::AuthFailed
    );
}
