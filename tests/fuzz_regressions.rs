#![cfg(not(target_arch = "wasm32"))]
//! The fuzz targets' inputs, replayed in the normal test suite through the very functions the
//! fuzzers call (`fuzz/src/lib.rs`, included below): every seed in `fuzz/corpus/<target>/`,
//! every saved crash, timeout and out-of-memory input in `tests/fuzz-regressions/<target>/`, and
//! a set of hostile inputs (deep nesting, huge numbers, invalid UTF-8, huge sizes).
//!
//! A saved input named `EXPECTED--what` must give EXPECTED (the error code of the target's main
//! call, or `ok`); see docs/fuzzing.md for how a crash becomes such a file.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed assumption in a test is a failed test

#[path = "../fuzz/src/lib.rs"]
mod harness;

use std::panic::catch_unwind;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(entries) => entries
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_file())
            .collect(),
        Err(_) => Vec::new(),
    };
    files.sort();
    files
}

fn target(name: &str) -> harness::Target {
    harness::TARGETS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, f)| *f)
        .unwrap_or_else(|| panic!("no fuzz target {name}"))
}

/// Runs one input; a panic (a broken oracle or a library panic) fails with the input's name.
fn replay(name: &str, what: &str, bytes: &[u8]) -> String {
    let run = target(name);
    let started = Instant::now();
    let result = catch_unwind(|| run(bytes))
        .unwrap_or_else(|_| panic!("{name}: {what} panicked (see the message above)"));
    // Generous: the slowest legitimate input here (a seed unlocked with its passphrase) takes
    // well under a second; a key-derivation cost that slipped through takes minutes.
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "{name}: {what} took {:?}",
        started.elapsed()
    );
    result
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn every_target_has_a_seed_corpus_and_it_replays() {
    for (name, _) in harness::TARGETS {
        let seeds = files(&root().join("fuzz/corpus").join(name));
        assert!(
            seeds.len() >= 3,
            "fuzz/corpus/{name} has {} seeds",
            seeds.len()
        );
        let mut outcomes = std::collections::BTreeSet::new();
        for file in seeds {
            let bytes = std::fs::read(&file).unwrap();
            outcomes.insert(replay(name, &file.display().to_string(), &bytes));
        }
        // The seeds reach more than one outcome (not all rejected at the door).
        assert!(outcomes.len() >= 2, "{name}: every seed gives {outcomes:?}");
    }
}

#[test]
fn seeds_reach_the_paths_they_were_written_for() {
    let corpus = root().join("fuzz/corpus");
    let run = |target: &str, file: &str| {
        let bytes = std::fs::read(corpus.join(target).join(file)).unwrap();
        replay(target, file, &bytes)
    };
    // Unlocked with the passphrase, through each key-derivation scheme.
    for file in [
        "pass-cheap.pkcs8-scrypt.pem",
        "pass-cheap.pkcs8-pbkdf2-sha512.pem",
        "pass-cheap.openssh-aes256-ctr",
        "pass-cheap.openssh-chacha20-poly1305",
        "pass-cheap.ppk3-argon2id",
        "pass-rsa2048.legacy-des3.pem",
        "pass-rsa2048.ppk2",
    ] {
        assert_eq!(run("key", file), "ok", "{file}");
    }
    assert_eq!(
        run("key", "rsa2048.openssh-aes256ctr"),
        "PASSPHRASE_REQUIRED"
    );
    assert_eq!(
        run("key", "wrong-pass-rsa2048.legacy-aes256cbc.pem"),
        "WRONG_PASSPHRASE"
    );
    assert_eq!(run("key", "ed25519.openssh"), "KEY_NOT_RSA");
    assert_eq!(run("ciphertext", "rsa2048.ciphertext.b64"), "ok");
    assert_eq!(run("ciphertext", "raw-block"), "ok");
    assert_eq!(run("ciphertext", "rsa4096.ciphertext.b64"), "WRONG_KEY");
    assert_eq!(run("iam", "grants-system"), "ok");
    assert_eq!(run("iam", "policy-conditions"), "policy-ok");
    assert_eq!(run("nova", "yaml-custom"), "deny,allow");
    assert_eq!(run("api_response", "password"), "ok");
    assert_eq!(run("api_response", "apigw-error"), "RATE_LIMITED");
    assert_eq!(run("signer", "get"), "ok");
}

#[test]
fn saved_crashes_replay_with_their_expected_outcome() {
    let mut count = 0;
    for (name, _) in harness::TARGETS {
        for file in files(&root().join("tests/fuzz-regressions").join(name)) {
            let bytes = std::fs::read(&file).unwrap();
            let got = replay(name, &file.display().to_string(), &bytes);
            let file_name = file.file_name().unwrap().to_string_lossy().into_owned();
            if let Some((expected, _)) = file_name.split_once("--") {
                assert_eq!(got, expected, "{name}/{file_name}");
            }
            count += 1;
        }
    }
    assert!(count >= 15, "only {count} saved inputs");
}

/// Hostile inputs for every target: each must give an answer, not a panic, a hang or an abort.
fn hostile() -> Vec<(&'static str, String, Vec<u8>)> {
    let mut cases: Vec<(&'static str, String, Vec<u8>)> = Vec::new();
    let mut add = |target: &'static str, what: &str, bytes: Vec<u8>| {
        cases.push((target, what.to_owned(), bytes));
    };
    let deep_json = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n)).into_bytes();
    let invalid_utf8 = b"\xff\xfe\xfd\xc3\x28\xa0\xa1\xe2\x28\xa1\xf0\x28\x8c\xbc".to_vec();

    // key
    add("key", "empty after the length byte", vec![0]);
    add("key", "passphrase longer than the input", vec![200, b'x']);
    add("key", "invalid UTF-8", [&[0u8][..], &invalid_utf8].concat());
    add(
        "key",
        "DER with a 4 GiB length",
        vec![0, 0x30, 0x84, 0xff, 0xff, 0xff, 0xff, 0x02],
    );
    add("key", "DER nested 10000 deep", {
        let mut v = vec![0u8];
        for _ in 0..10_000 {
            v.extend_from_slice(&[0x30, 0x80]);
        }
        v
    });
    add(
        "key",
        "odd-length UTF-16",
        vec![0, 0xff, 0xfe, b'-', 0, b'-'],
    );
    add(
        "key",
        "UTF-16 with a lone surrogate",
        vec![0, 0xff, 0xfe, 0x00, 0xd8, b'a', 0],
    );
    add("key", "10000 BEGIN lines", {
        let mut v = vec![0u8];
        v.extend("-----BEGIN PRIVATE KEY-----".repeat(10_000).bytes());
        v
    });
    add(
        "key",
        "a million dashes",
        [vec![0u8], vec![b'-'; 1 << 20]].concat(),
    );
    add(
        "key",
        "1 MiB of base64",
        [vec![0u8], vec![b'A'; 1 << 20]].concat(),
    );
    add(
        "key",
        "PuTTY header with a huge line count",
        [
            &[0u8][..],
            b"PuTTY-User-Key-File-3: ssh-rsa\nEncryption: none\nComment: x\nPublic-Lines: 18446744073709551615\nAAAA\n",
        ]
        .concat(),
    );
    // ciphertext
    add("ciphertext", "invalid UTF-8", invalid_utf8.clone());
    add("ciphertext", "JSON nested 100000 deep", {
        let mut v = b"{\"password\": ".to_vec();
        v.extend(deep_json(100_000));
        v.push(b'}');
        v
    });
    add(
        "ciphertext",
        "a huge number",
        b"{\"password\": 1e999999999}".to_vec(),
    );
    add("ciphertext", "4 MiB of base64", vec![b'A'; 4 << 20]);
    add("ciphertext", "a raw block of zeros", vec![0; 257]);
    add(
        "ciphertext",
        "a raw block of 0xff",
        [vec![0], vec![0xff; 256]].concat(),
    );
    // iam
    add("iam", "JSON nested 100000 deep", deep_json(100_000));
    add("iam", "invalid UTF-8", invalid_utf8.clone());
    add(
        "iam",
        "huge numbers",
        br#"{"Version": 1e999999, "Statement": [{"Effect": "Allow", "Action": ["ecs:*:*"], "Condition": {"NumberLessThan": {"g:N": [1e308, -1e308, 18446744073709551616]}}}]}"#
            .iter()
            .chain(b"\0g:N=1e999999\n")
            .copied()
            .collect(),
    );
    add(
        "iam",
        "odd addresses and dates",
        br#"{"Version": "1.1", "Statement": [{"Effect": "Deny", "Action": ["*:*:*"], "Condition": {"IpAddress": {"g:SourceIp": ["1.2.3.4/999", "::/129", "1.2.3.4/-1", "300.1.1.1"]}, "DateGreaterThan": {"g:CurrentTime": ["99999-12-31T23:59:59Z", "-1"]}}}]}"#
            .iter()
            .chain(b"\0g:SourceIp=::ffff:1.2.3.4/0\ng:CurrentTime=9999-12-31T23:59:60Z\n")
            .copied()
            .collect(),
    );
    add("iam", "10000 statements", {
        let statement = r#"{"Effect": "Allow", "Action": ["ecs:cloudServers:*"]},"#;
        format!(
            r#"{{"Version": "1.1", "Statement": [{}{{"Effect": "Deny", "Action": ["*:*:*"]}}]}}"#,
            statement.repeat(10_000)
        )
        .into_bytes()
    });
    add("iam", "an action pattern of 100000 stars", {
        format!(
            r#"{{"Version": "1.1", "Statement": [{{"Effect": "Allow", "Action": ["{}a"]}}]}}"#,
            "*".repeat(100_000)
        )
        .into_bytes()
    });
    // nova
    add("nova", "100000 parentheses", {
        format!(
            "os_compute_api:os-server-password:show: \"{}role:a{}\"\n",
            "(".repeat(100_000),
            ")".repeat(100_000)
        )
        .into_bytes()
    });
    add(
        "nova",
        "100000 nots",
        format!(
            "os_compute_api:os-server-password:show: \"{}@\"\n",
            "not ".repeat(100_000)
        )
        .into_bytes(),
    );
    add("nova", "a chain of 10000 rules", {
        let mut text = String::from("os_compute_api:os-server-password:show: \"rule:r0\"\n");
        for i in 0..10_000 {
            text.push_str(&format!("r{i}: \"rule:r{} or role:x{i}\"\n", i + 1));
        }
        text.into_bytes()
    });
    add("nova", "a diamond of 40 levels", {
        let mut text = String::from("os_compute_api:os-server-password:show: \"rule:d0\"\n");
        for i in 0..40 {
            text.push_str(&format!(
                "d{i}: \"(rule:d{0} or role:a) and (rule:d{0} or role:b)\"\n",
                i + 1
            ));
        }
        text.into_bytes()
    });
    add("nova", "50 alternatives of 50 roles", {
        let term = |i: usize| format!("(role:a{i} or role:b{i})");
        let expr: Vec<String> = (0..50).map(term).collect();
        format!(
            "os_compute_api:os-server-password:show: \"{}\"\n",
            expr.join(" and ")
        )
        .into_bytes()
    });
    add("nova", "JSON nested 100000 deep", {
        let mut v = b"{\"os_compute_api:os-server-password:show\": ".to_vec();
        v.extend(deep_json(100_000));
        v.push(b'}');
        v
    });
    add("nova", "invalid UTF-8", invalid_utf8.clone());
    add(
        "nova",
        "unterminated templates and quotes",
        b"os_compute_api:os-server-password:show: \"project_id:%(project_id\"\nx: 'a\ny: \"b\n\0roles=,,,\n"
            .to_vec(),
    );
    // api_response
    add("api_response", "status 0", vec![0, 0]);
    add(
        "api_response",
        "status 65535 and invalid UTF-8",
        [vec![0xff, 0xff], invalid_utf8.clone()].concat(),
    );
    add(
        "api_response",
        "JSON nested 100000 deep",
        [vec![0, 200, b'\n', b'\n'], deep_json(100_000)].concat(),
    );
    add(
        "api_response",
        "huge numbers",
        [
            &[0u8, 200, b'\n', b'\n'][..],
            br#"{"count": 1e999999, "servers": [{"id": 18446744073709551616}], "resetpwd_flag": 1e308}"#,
        ]
        .concat(),
    );
    add(
        "api_response",
        "a huge Retry-After",
        [&[1u8, 173][..], b"Retry-After: 99999999999999999999999\n\n"].concat(),
    );
    add(
        "api_response",
        "4 MiB and one byte of body",
        [vec![0, 200, b'\n', b'\n'], vec![b' '; (4 << 20) + 1]].concat(),
    );
    add(
        "api_response",
        "an error nested 10000 deep",
        [
            &[1u8, 244, b'\n', b'\n'][..],
            format!(
                "{}\"x\"{}",
                r#"{"error": "#.repeat(10_000),
                "}".repeat(10_000)
            )
            .as_bytes(),
        ]
        .concat(),
    );
    // signer
    add(
        "signer",
        "10000 path segments and query pairs",
        format!(
            "\0https://h.example{}?{}\n\n",
            "/%2F%00".repeat(10_000),
            "a=%FF&".repeat(10_000)
        )
        .into_bytes(),
    );
    add(
        "signer",
        "invalid UTF-8 headers",
        [
            &b"\x01https://h.example/\n"[..],
            &invalid_utf8,
            b": \xff\n\n",
        ]
        .concat(),
    );
    add(
        "signer",
        "non-ASCII endpoint",
        "\u{0}https://Ä.example/".as_bytes().to_vec(),
    );
    add(
        "signer",
        "a 1 MiB header",
        format!("\0https://h.example/\nX-A: {}\n\n", "v".repeat(1 << 20)).into_bytes(),
    );
    cases
}

#[test]
fn hostile_inputs_get_an_answer() {
    let cases = hostile();
    for (name, _) in harness::TARGETS {
        assert!(
            cases.iter().any(|(t, _, _)| *t == name),
            "no hostile input for {name}"
        );
    }
    for (name, what, bytes) in &cases {
        let got = replay(name, what, bytes);
        assert!(!got.is_empty(), "{name}: {what}");
    }
}
