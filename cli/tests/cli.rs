//! The `ecs-password` binary end to end: exit codes, text and JSON output, passphrase sources.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed assumption in a test is a failed test

mod common;

use common::{fixture, read_fixture};

use assert_cmd::Command;
use std::path::PathBuf;

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
        .arg(read_fixture("rsa2048.ciphertext.b64"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        format!("{}\n", read_fixture("password.txt"))
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
        .write_stdin(read_fixture("rsa2048.ciphertext-wrapped.b64"))
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(json(&out.stdout)["password"], read_fixture("password.txt"));

    let out = cli()
        .args(["decrypt", "--key"])
        .arg(fixture("rsa2048.ppk3-encrypted"))
        .arg("--ciphertext-file")
        .arg(fixture("rsa2048.ciphertext.b64"))
        .env("ECS_PASSWORD_PASSPHRASE", read_fixture("passphrase.txt"))
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
        let out = cmd
            .arg(read_fixture("rsa2048.ciphertext.b64"))
            .output()
            .unwrap();
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
    let fingerprints = read_fixture("rsa2048.fingerprints.txt");
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
        .contains("\"ECS FullAccess\" is granted through enterprise project ep1, and DELETE /v2.1/{project_id}/servers/{server_id}/os-server-password does not support enterprise projects (use the v1 API)"), "{v}");
    // The message as data beside the text, as errors have it; no second language in the JSON.
    assert_eq!(v["messageId"], "iam-implicit-deny-not-applicable");
    assert_eq!(v["args"]["action"], "ecs:serverPasswords:manage");
    assert_eq!(
        v["args"]["notes"]["items"][0]["messageId"],
        "iam-note-ep-unsupported-use-v1"
    );
    assert!(v.get("explanationZh").is_none() && v.get("notesZh").is_none());
    assert!(
        v["notes"][0]
            .as_str()
            .unwrap()
            .starts_with("\"ECS FullAccess\" is granted through enterprise project ep1"),
        "{v}"
    );

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
        text.contains("Decision: deny (explicit-deny)")
            && text.contains("Denied: \"require MFA\" (statement 1), granted in project p1, explicitly denies ecs:cloudServers:resetServerPwd")
            && text.contains("ask your administrator to remove or narrow that statement"),
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
    // As an error's JSON: the English text, and the message as data for other languages.
    let v = json(&out.stdout);
    assert!(v["explanation"]
        .as_str()
        .unwrap()
        .contains("Ask an administrator to give you the role member in project p1."));
    assert_eq!(v["messageId"], "nova-sentences");
    assert!(v["args"].is_object());
    assert!(v.get("explanationZh").is_none());
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

/// The binary, with standard streams the test chooses.
fn bin() -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_ecs-password"));
    cmd.env_remove("ECS_PASSWORD_PASSPHRASE");
    cmd
}

/// Issue 12, point 5: every command whose standard output is closed (or full) ends quietly
/// with status 1 instead of panicking.
#[test]
fn a_closed_or_full_stdout_ends_every_command_quietly() {
    let grants = write_temp(
        "pipe.json",
        r#"{"grants": [{"policy": "ECS FullAccess", "scope": {"project": "p1"}}]}"#,
    );
    let ciphertext = read_fixture("rsa2048.ciphertext.b64");
    let key = fixture("rsa2048.pkcs1.pem");
    let key = key.to_str().unwrap();
    let grants = grants.to_str().unwrap();
    let commands: [&[&str]; 6] = [
        &["--help"],
        &["decrypt", "--key", key, &ciphertext],
        &["key-info", "--key", key],
        &[
            "check",
            "--grants",
            grants,
            "--request",
            "GET /v1/p1/cloudservers/s1/os-server-password",
        ],
        // An error printed as JSON goes to standard output too.
        &["decrypt", "--key", "/does/not/exist", &ciphertext],
        // A denial (exit status 2) that cannot be printed is an error.
        &[
            "check",
            "--grants",
            grants,
            "--request",
            "GET /v1/p2/cloudservers/s1/os-server-password",
        ],
    ];
    let outputs: [(&str, common::MakeStdout); 2] = [
        ("closed pipe", common::closed_pipe),
        ("/dev/full", common::full_device),
    ];
    for args in commands {
        for json in [false, true] {
            for (what, stdout) in outputs {
                let out = bin()
                    .args(args)
                    .args(json.then_some("--json"))
                    .stdout(stdout())
                    .output()
                    .unwrap();
                common::assert_quiet_failure(&out, &format!("{args:?} --json {json}, {what}"));
            }
        }
    }
    // A closed pipe is said nothing about; a full disk is named.
    let out = bin()
        .args(commands[2])
        .stdout(common::full_device())
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("error[OUTPUT_FAILED]"));
    let out = bin()
        .args(commands[2])
        .stdout(common::closed_pipe())
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}

/// A file of `size` bytes of `byte`.
fn write_size(name: &str, size: usize, byte: u8) -> PathBuf {
    let path = write_temp(name, "");
    std::fs::write(&path, vec![byte; size]).unwrap();
    path
}

fn error_code(out: &std::process::Output) -> String {
    assert_eq!(out.status.code(), Some(1));
    json(&out.stdout)["error"]["code"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Issue 12, point 6: each input is read up to its documented cap; one byte more is refused with
/// INPUT_TOO_LARGE (and exactly the cap is read, and fails for what it holds).
#[test]
fn inputs_over_their_cap_are_refused() {
    const MIB: usize = 1 << 20;
    const KIB64: usize = 64 << 10;
    let ciphertext = read_fixture("rsa2048.ciphertext.b64");
    let encrypted_key = fixture("rsa2048.openssh-aes256ctr");
    let decrypt = |args: &[&std::ffi::OsStr], stdin: &[u8]| {
        cli()
            .args(["decrypt", "--json"])
            .args(args)
            .write_stdin(stdin.to_vec())
            .output()
            .unwrap()
    };
    for (size, expected) in [
        (MIB, "KEY_FORMAT_UNSUPPORTED"),
        (MIB + 1, "INPUT_TOO_LARGE"),
    ] {
        let key = write_size("big.key", size, b'A');
        let out = cli()
            .args(["decrypt", "--json", "--key"])
            .arg(&key)
            .arg(&ciphertext)
            .output()
            .unwrap();
        assert_eq!(error_code(&out), expected, "key of {size} bytes");
    }
    for (size, expected) in [(KIB64, "WRONG_PASSPHRASE"), (KIB64 + 1, "INPUT_TOO_LARGE")] {
        let passphrase = write_size("big.pass", size, b'p');
        let out = cli()
            .args(["decrypt", "--json", "--key"])
            .arg(&encrypted_key)
            .arg("--passphrase-file")
            .arg(&passphrase)
            .arg(&ciphertext)
            .output()
            .unwrap();
        assert_eq!(
            error_code(&out),
            expected,
            "passphrase file of {size} bytes"
        );
    }
    let key = fixture("rsa2048.pkcs1.pem");
    for (size, expected) in [
        (KIB64, "CIPHERTEXT_MALFORMED"),
        (KIB64 + 1, "INPUT_TOO_LARGE"),
    ] {
        let file = write_size("big.b64", size, b'A');
        let out = decrypt(
            &[
                "--key".as_ref(),
                key.as_os_str(),
                "--ciphertext-file".as_ref(),
                file.as_os_str(),
            ],
            b"",
        );
        assert_eq!(
            error_code(&out),
            expected,
            "ciphertext file of {size} bytes"
        );
        let out = decrypt(
            &["--key".as_ref(), key.as_os_str(), "-".as_ref()],
            &vec![b'A'; size],
        );
        assert_eq!(error_code(&out), expected, "standard input of {size} bytes");
    }
    for (size, expected) in [
        (4 * MIB, "GRANTS_INVALID"),
        (4 * MIB + 1, "INPUT_TOO_LARGE"),
    ] {
        let grants = write_size("big.json", size, b' ');
        let out = cli()
            .args([
                "check",
                "--json",
                "--request",
                "GET /v1/p1/cloudservers/s1/os-server-password",
                "--grants",
            ])
            .arg(&grants)
            .output()
            .unwrap();
        assert_eq!(error_code(&out), expected, "grants of {size} bytes");
    }
    let big = write_size("big.policy", 4 * MIB + 1, b' ');
    let out = cli()
        .args([
            "check",
            "--json",
            "--request",
            "GET /v2.1/servers/s1/os-server-password",
            "--openstack-roles",
            "admin",
            "--token-project",
            "p",
            "--server-project",
            "p",
            "--policy-file",
        ])
        .arg(&big)
        .output()
        .unwrap();
    assert_eq!(error_code(&out), "INPUT_TOO_LARGE", "policy file");
    let big = write_size("big.newpass", KIB64 + 1, b'N');
    let out = cli()
        .args([
            "reset",
            "--json",
            "--endpoint",
            "http://127.0.0.1:9",
            "--project",
            "p1",
            "--server",
            "s1",
            "--token",
            "t",
            "--new-password-file",
        ])
        .arg(&big)
        .output()
        .unwrap();
    assert_eq!(error_code(&out), "INPUT_TOO_LARGE", "new password file");
    let message = json(&out.stdout)["error"]["message"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(message.contains("64 KiB"), "{message}");
}

/// Issue 12, point 6: endless inputs (a device, standard input) stop at the cap.
#[test]
fn endless_inputs_stop_at_the_cap() {
    let ciphertext = read_fixture("rsa2048.ciphertext.b64");
    let zero = std::path::Path::new("/dev/zero");
    let (encrypted, plain) = (
        fixture("rsa2048.openssh-aes256ctr"),
        fixture("rsa2048.pkcs1.pem"),
    );
    let cases: [(&[&std::ffi::OsStr], bool); 4] = [
        (
            &["--key".as_ref(), zero.as_os_str(), ciphertext.as_ref()],
            false,
        ),
        (
            &[
                "--key".as_ref(),
                encrypted.as_os_str(),
                "--passphrase-file".as_ref(),
                zero.as_os_str(),
                ciphertext.as_ref(),
            ],
            false,
        ),
        (
            &[
                "--key".as_ref(),
                plain.as_os_str(),
                "--ciphertext-file".as_ref(),
                zero.as_os_str(),
            ],
            false,
        ),
        (&["--key".as_ref(), plain.as_os_str(), "-".as_ref()], true),
    ];
    for (args, stdin) in cases {
        let mut cmd = bin();
        cmd.args(["decrypt", "--json"]).args(args);
        if stdin {
            cmd.stdin(std::fs::File::open(zero).unwrap());
        }
        let out = cmd.output().unwrap();
        assert_eq!(error_code(&out), "INPUT_TOO_LARGE", "{args:?}");
    }
}

/// Runs the command for at most 20 s; `None` if it was still running (then killed).
fn run_briefly(cmd: &mut std::process::Command) -> Option<std::process::Output> {
    let mut child = cmd
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while std::time::Instant::now() < deadline {
        if child.try_wait().unwrap().is_some() {
            return Some(child.wait_with_output().unwrap());
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
    None
}

/// Issue 12, point 10: every numeric option is checked at start-up: out of its range is a usage
/// error (status 1), never a panic at start-up or later.
#[test]
fn numeric_options_are_bounded_at_start_up() {
    let site = common::site();
    let site = site.to_str().unwrap();
    let serve = |extra: &[&str]| {
        let mut cmd = bin();
        cmd.args(["serve", "--listen", "127.0.0.1:0", "--root", site])
            .args(extra);
        cmd
    };
    let cloud = [
        "--endpoint",
        "http://127.0.0.1:9",
        "--project",
        "p1",
        "--server",
        "s1",
        "--token",
        "t",
    ];
    let cases: Vec<(std::process::Command, &str)> = vec![
        (
            serve(&["--post-delay", "18446744073709551615"]),
            "--post-delay",
        ),
        (serve(&["--post-delay", "1000000000000"]), "--post-delay"),
        (serve(&["--post-delay", "86401"]), "--post-delay"),
        (serve(&["--upstream-timeout", "0"]), "--upstream-timeout"),
        (
            serve(&["--upstream-timeout", "18446744073709551615"]),
            "--upstream-timeout",
        ),
        (serve(&["--faults", "retry-after=3601"]), "retry-after"),
        (
            serve(&["--faults", "latency=18446744073709551615"]),
            "latency",
        ),
        (serve(&["--faults", "seed=18446744073709551616"]), "seed"),
        (serve(&["--listen", "127.0.0.1:65536"]), "--listen"),
        (
            {
                let mut c = bin();
                c.arg("get")
                    .args(cloud)
                    .args(["--wait", "18446744073709551615"]);
                c
            },
            "--wait",
        ),
        (
            {
                let mut c = bin();
                c.arg("get").args(cloud).args(["--wait", "0"]);
                c
            },
            "--wait",
        ),
        (
            {
                let mut c = bin();
                c.arg("reset")
                    .args(cloud)
                    .args(["--generate", "--length", "1000000000"]);
                c
            },
            "--length",
        ),
        (
            {
                let mut c = bin();
                c.arg("reset")
                    .args(cloud)
                    .args(["--generate", "--length", "7"]);
                c
            },
            "--length",
        ),
        (
            {
                let mut c = bin();
                c.arg("reset")
                    .args(cloud)
                    .args(["--generate", "--length", "27"]);
                c
            },
            "--length",
        ),
    ];
    for (mut cmd, option) in cases {
        let what = format!("{:?}", cmd.get_args().collect::<Vec<_>>());
        let out = run_briefly(&mut cmd).unwrap_or_else(|| panic!("{what}: still running"));
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{what}: {err}");
        assert!(
            err.contains("error[USAGE]") && err.contains(option),
            "{what}: {err}"
        );
        assert!(!err.contains("panicked"), "{what}: {err}");
    }
    // The bounds themselves are accepted: the server starts (its first line is printed).
    let server = common::start(
        std::path::Path::new(site),
        &[
            "--post-delay",
            "86400",
            "--upstream-timeout",
            "3600",
            "--faults",
            "retry-after=3600,latency=120000",
        ],
    );
    let demo = common::get(&format!("{}/demo", server.url));
    assert_eq!(demo.status(), 200);
}
