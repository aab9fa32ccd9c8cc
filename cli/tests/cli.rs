//! The `ecs-password` binary end to end: exit codes, text and JSON output, passphrase sources.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed assumption in a test is a failed test

use assert_cmd::Command;
use std::path::PathBuf;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures")
        .join(name)
}

fn read(name: &str) -> String {
    std::fs::read_to_string(fixture(name)).unwrap()
}

fn cli() -> Command {
    let mut cmd = Command::cargo_bin("ecs-password").unwrap();
    cmd.env_remove("ECS_PASSWORD_PASSPHRASE");
    cmd
}

fn json(output: &[u8]) -> serde_json::Value {
    serde_json::from_slice(output)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(output)))
}

#[test]
fn decrypts_from_an_argument() {
    let out = cli()
        .args(["decrypt", "--key"])
        .arg(fixture("rsa2048.pkcs1.pem"))
        .arg(read("rsa2048.ciphertext.b64"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        format!("{}\n", read("password.txt"))
    );
}

#[test]
fn decrypts_from_stdin_and_file_with_passphrase_file() {
    let out = cli()
        .args(["decrypt", "--json", "--key"])
        .arg(fixture("rsa2048.openssh-aes256ctr"))
        .arg("--passphrase-file")
        .arg(fixture("passphrase.txt"))
        .arg("-")
        .write_stdin(read("rsa2048.ciphertext-wrapped.b64"))
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(json(&out.stdout)["password"], read("password.txt"));

    let out = cli()
        .args(["decrypt", "--key"])
        .arg(fixture("rsa2048.ppk3-encrypted"))
        .arg("--ciphertext-file")
        .arg(fixture("rsa2048.ciphertext.b64"))
        .env("ECS_PASSWORD_PASSPHRASE", read("passphrase.txt"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn failures_exit_1_with_a_code() {
    let cases: &[(&[&str], &str)] = &[
        (
            &["--key", "rsa2048.pkcs8-scrypt-aes256cbc.pem"],
            "PASSPHRASE_REQUIRED",
        ),
        (&["--key", "other2048.pkcs1.pem"], "WRONG_KEY"),
        (&["--key", "ed25519.openssh"], "KEY_NOT_RSA"),
        (&["--key", "rsa2048.pub"], "KEY_FORMAT_UNSUPPORTED"),
        (&["--key", "does-not-exist.pem"], "FILE_UNREADABLE"),
    ];
    for (args, expected) in cases {
        let mut cmd = cli();
        cmd.arg("decrypt").arg("--json");
        for a in args.iter() {
            cmd.arg(if a.contains('.') {
                fixture(a).into_os_string()
            } else {
                a.into()
            });
        }
        let out = cmd.arg(read("rsa2048.ciphertext.b64")).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let v = json(&out.stdout);
        assert_eq!(v["error"]["code"], *expected, "{args:?}: {v}");
        assert!(v["error"]["message"].as_str().unwrap().len() > 20);
    }
    let out = cli()
        .args(["decrypt", "--key"])
        .arg(fixture("rsa2048.pkcs1.pem"))
        .arg("")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("error[PASSWORD_NOT_AVAILABLE]"));
}

#[test]
fn wrong_passphrase_from_the_environment() {
    let out = cli()
        .args(["key-info", "--json", "--key"])
        .arg(fixture("rsa2048.legacy-aes256cbc.pem"))
        .env("ECS_PASSWORD_PASSPHRASE", "wrong passphrase")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json(&out.stdout)["error"]["code"], "WRONG_PASSPHRASE");
}

#[test]
fn usage_errors_exit_1() {
    let out = cli().args(["decrypt", "--json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json(&out.stdout)["error"]["code"], "USAGE");
    let out = cli().args(["frobnicate"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(cli().arg("--help").output().unwrap().status.success());
}

#[test]
fn key_info_text_and_json() {
    let fingerprints = read("rsa2048.fingerprints.txt");
    let (sha256, md5) = fingerprints.split_once('\n').unwrap();
    let out = cli()
        .args(["key-info", "--key"])
        .arg(fixture("rsa2048.ppk2"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("RSA 2048 bits") && text.contains(sha256) && text.contains(md5.trim()),
        "{text}"
    );

    let out = cli()
        .args(["key-info", "--json", "--key"])
        .arg(fixture("rsa4096.pkcs8.pem"))
        .output()
        .unwrap();
    let v = json(&out.stdout);
    assert_eq!(v["bits"], 4096);
    assert_eq!(v["format"], "pkcs8-pem");
    assert_eq!(v["encrypted"], false);
    assert!(v["fingerprintSha256"]
        .as_str()
        .unwrap()
        .starts_with("SHA256:"));
}

fn write_temp(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ecs-password-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn check_with_iam_grants() {
    let grants = write_temp(
        "ep.json",
        r#"{"grants": [{"policy": "ECS FullAccess", "scope": {"enterpriseProject": "ep1"}}]}"#,
    );
    let run = |request: &str| {
        cli()
            .args([
                "check",
                "--json",
                "--server-enterprise-project",
                "ep1",
                "--grants",
            ])
            .arg(&grants)
            .args(["--request", request])
            .output()
            .unwrap()
    };
    let out = run("GET /v1/p1/cloudservers/s1/os-server-password");
    assert_eq!(out.status.code(), Some(0));
    let v = json(&out.stdout);
    assert_eq!(
        (
            v["decision"].as_str(),
            v["reason"].as_str(),
            v["row"].as_u64()
        ),
        (Some("allow"), Some("allow"), Some(3))
    );
    assert!(v["explanation"].as_str().unwrap().starts_with("Allowed"));

    let out = run("DELETE /v2.1/p1/servers/s1/os-server-password");
    assert_eq!(out.status.code(), Some(2));
    let v = json(&out.stdout);
    assert_eq!(
        (v["decision"].as_str(), v["reason"].as_str()),
        (Some("deny"), Some("implicit-deny"))
    );
    assert!(v["explanation"]
        .as_str()
        .unwrap()
        .contains("does not support enterprise projects"));

    let out = run("GET /v1/p1/cloudservers/s1");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json(&out.stdout)["error"]["code"], "NOT_IN_TABLE");
}

#[test]
fn check_with_context_and_explicit_deny() {
    let grants = write_temp(
        "mfa.json",
        r#"{"grants": [{"policy": "ECS FullAccess", "scope": {"project": "p1"}},
            {"name": "require MFA", "policy": {"Version": "1.1", "Statement": [{"Effect": "Deny", "Action": ["ecs:*:*"],
              "Condition": {"BoolIfExists": {"g:MFAPresent": ["false"]}}}]}, "scope": {"project": "p1"}}]}"#,
    );
    let run = |extra: &[&str]| {
        cli()
            .args(["check", "--json", "--grants"])
            .arg(&grants)
            .args(["--request", "PUT /v1/p1/cloudservers/s1/os-reset-password"])
            .args(extra)
            .output()
            .unwrap()
    };
    let out = run(&[]);
    assert_eq!(out.status.code(), Some(2));
    let v = json(&out.stdout);
    assert_eq!(v["reason"], "explicit-deny");
    assert_eq!(v["deciding"]["policy"], "require MFA");
    let out = run(&["--context", "g:MFAPresent=true"]);
    assert_eq!(out.status.code(), Some(0));
    let text = cli()
        .args(["check", "--grants"])
        .arg(&grants)
        .args(["--request", "PUT /v1/p1/cloudservers/s1/os-reset-password"])
        .output()
        .unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(
        text.contains("Decision: deny (explicit-deny)") && text.contains("拒绝"),
        "{text}"
    );

    let bad = write_temp(
        "bad.json",
        r#"{"grants": [{"policy": "ECS Everything", "scope": {"project": "p1"}}]}"#,
    );
    let out = cli()
        .args(["check", "--json", "--grants"])
        .arg(&bad)
        .args(["--request", "GET /v1/p1/cloudservers/s1/os-server-password"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json(&out.stdout)["error"]["code"], "GRANTS_INVALID");
}

#[test]
fn check_with_a_nova_release() {
    let run = |extra: &[&str]| {
        cli()
            .args([
                "check",
                "--json",
                "--openstack-roles",
                "observer",
                "--token-project",
                "p1",
                "--server-project",
                "p1",
                "--request",
                "GET /v2.1/servers/s1/os-server-password",
            ])
            .args(extra)
            .output()
            .unwrap()
    };
    // Today's Nova: readers of the project; observer is not one.
    let out = run(&[]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(json(&out.stdout)["release"], "2025.2");
    // Nova 20 (admin_or_owner): any token of the server's project.
    let out = run(&["--nova-release", "train"]);
    assert_eq!(out.status.code(), Some(0));
    let v = json(&out.stdout);
    assert_eq!(
        (v["release"].as_str(), v["rule"].as_str()),
        (Some("legacy"), Some("os_compute_api:os-server-password"))
    );
    // enforce_new_defaults = False or-s admin_or_owner back in.
    let out = run(&["--old-defaults-too"]);
    assert_eq!(out.status.code(), Some(0));
    let out = run(&["--nova-release", "ussuri"]);
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out.stdout);
    assert_eq!(v["error"]["code"], "USAGE");
    assert!(v["error"]["message"]
        .as_str()
        .unwrap()
        .contains("unknown Nova release"));
}

#[test]
fn check_with_openstack_roles_and_policy_file() {
    let run = |roles: &str, server_project: &str, extra: &[&std::ffi::OsStr]| {
        cli()
            .args([
                "check",
                "--json",
                "--openstack-roles",
                roles,
                "--token-project",
                "p1",
                "--server-project",
                server_project,
            ])
            .args(["--request", "DELETE /v2.1/servers/s1/os-server-password"])
            .args(extra)
            .output()
            .unwrap()
    };
    let out = run("member", "p1", &[]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        json(&out.stdout)["rule"],
        "os_compute_api:os-server-password:clear"
    );
    let out = run("reader", "p1", &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(json(&out.stdout)["explanation"]
        .as_str()
        .unwrap()
        .contains("member"));
    let out = run("member", "p2", &[]);
    assert_eq!(out.status.code(), Some(2));

    let policy = write_temp(
        "policy.yaml",
        "# operators only\n\"os_compute_api:os-server-password:clear\": \"role:operator\"\n",
    );
    let out = run(
        "member",
        "p1",
        &["--policy-file".as_ref(), policy.as_os_str()],
    );
    assert_eq!(out.status.code(), Some(2));
    let v = json(&out.stdout);
    assert_eq!(
        (v["overridden"].as_bool(), v["expression"].as_str()),
        (Some(true), Some("role:operator"))
    );
    let broken = write_temp(
        "broken.yaml",
        "\"os_compute_api:os-server-password:clear\": \"role:operator and\"\n",
    );
    let out = run(
        "member",
        "p1",
        &["--policy-file".as_ref(), broken.as_os_str()],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json(&out.stdout)["error"]["code"], "POLICY_INVALID");
}
