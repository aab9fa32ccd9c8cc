#![cfg(not(target_arch = "wasm32"))]
//! Native tests of key loading and decryption against the fixtures made by real tools
//! (`tests/fixtures/make.sh`) and the published Horizon and gophercloud vectors.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed assumption in a test is a failed test

mod common;

use common::*;
use ecs_password::{decrypt_password, ErrorCode, PrivateKey};

fn load(bytes: &[u8], passphrase: Option<&str>) -> Result<PrivateKey, ecs_password::Error> {
    PrivateKey::load(bytes, passphrase.map(str::as_bytes))
}

fn code<T>(result: Result<T, ecs_password::Error>) -> Option<ErrorCode> {
    result.err().map(|e| e.code())
}

#[test]
fn table_lists_every_key_in_the_manifest() {
    let manifest: serde_json::Value =
        serde_json::from_str(include_str!("fixtures/manifest.json")).unwrap();
    let files: Vec<&str> = manifest
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["file"].as_str().unwrap())
        .collect();
    let table: Vec<&str> = KEYS.iter().map(|k| k.file).collect();
    assert_eq!(
        files, table,
        "tests/common/mod.rs is out of date with manifest.json"
    );
}

#[test]
fn every_rsa_format_loads_and_decrypts() {
    for fixture in rsa_keys() {
        let passphrase = fixture.encrypted.then_some(PASSPHRASE);
        let key =
            load(fixture.bytes, passphrase).unwrap_or_else(|e| panic!("{}: {e}", fixture.file));
        let info = key.info();
        assert_eq!(info.format.as_str(), fixture.format, "{}", fixture.file);
        assert_eq!(Some(info.bits), fixture.bits, "{}", fixture.file);
        assert_eq!(info.encrypted, fixture.encrypted, "{}", fixture.file);
        let bits = info.bits;
        let password = decrypt_password(&key, ciphertext(bits))
            .unwrap_or_else(|e| panic!("{}: {e}", fixture.file));
        assert_eq!(password.as_str(), PASSWORD, "{}", fixture.file);
    }
}

#[test]
fn fingerprints_match_ssh_keygen() {
    let mut checked = 0;
    for fixture in rsa_keys() {
        let key = load(fixture.bytes, fixture.encrypted.then_some(PASSPHRASE)).unwrap();
        if let Some((sha256, md5)) = fingerprints(key.info().bits) {
            assert_eq!(key.info().fingerprint_sha256, sha256, "{}", fixture.file);
            assert_eq!(key.info().fingerprint_md5, md5, "{}", fixture.file);
            checked += 1;
        }
    }
    assert!(
        checked >= 25,
        "only {checked} keys had fingerprints to compare"
    );
    let key = load(KEYS[0].bytes, None).unwrap();
    let public_line = PUBLIC_KEY_2048
        .split_whitespace()
        .take(2)
        .collect::<Vec<_>>()
        .join(" ");
    assert!(key.info().public_key_openssh.starts_with(&public_line));
}

#[test]
fn openssh_and_ppk_comments_are_reported() {
    let key = KEYS.iter().find(|k| k.file == "rsa2048.openssh").unwrap();
    let info = load(key.bytes, None).unwrap().info().clone();
    assert_eq!(info.comment.as_deref(), Some("rsa2048-test"));
}

#[test]
fn non_rsa_keys_are_refused_by_name() {
    let mut seen = 0;
    for fixture in KEYS.iter().filter(|k| k.algorithm != "rsa") {
        for passphrase in [None, Some(PASSPHRASE)] {
            let err = load(fixture.bytes, passphrase).expect_err(fixture.file);
            assert_eq!(err.code(), ErrorCode::KeyNotRsa, "{}: {err}", fixture.file);
            let expected_name = match fixture.algorithm {
                "ed25519" => "Ed25519",
                "ecdsa" => "ECDSA",
                "dsa" => "DSA",
                other => panic!("unexpected algorithm {other}"),
            };
            assert!(
                err.message().contains(expected_name),
                "{}: {err}",
                fixture.file
            );
            assert!(
                err.message()
                    .contains("RSA key pair the server was created with"),
                "{err}"
            );
        }
        seen += 1;
    }
    assert!(seen >= 8);
}

#[test]
fn encrypted_keys_need_the_right_passphrase() {
    let encrypted: Vec<_> = rsa_keys().filter(|k| k.encrypted).collect();
    assert!(encrypted.len() >= 15);
    for fixture in encrypted {
        assert_eq!(
            code(load(fixture.bytes, None)),
            Some(ErrorCode::PassphraseRequired),
            "{}",
            fixture.file
        );
        assert_eq!(
            code(load(fixture.bytes, Some(WRONG_PASSPHRASE))),
            Some(ErrorCode::WrongPassphrase),
            "{}",
            fixture.file
        );
        assert_eq!(
            code(load(fixture.bytes, Some(""))),
            Some(ErrorCode::WrongPassphrase),
            "{}",
            fixture.file
        );
    }
}

#[test]
fn a_passphrase_given_for_a_plain_key_is_ignored() {
    for fixture in rsa_keys().filter(|k| !k.encrypted) {
        assert!(
            load(fixture.bytes, Some(PASSPHRASE)).is_ok(),
            "{}",
            fixture.file
        );
    }
}

#[test]
fn wrong_key_is_told_apart_from_a_damaged_ciphertext() {
    let key2048 = load(KEYS[0].bytes, None).unwrap();
    let other = load(OTHER_2048.as_bytes(), None).unwrap();
    let err = decrypt_password(&other, ciphertext(2048)).unwrap_err();
    assert_eq!(err.code(), ErrorCode::WrongKey, "{err}");

    let key4096 = load(
        KEYS.iter().find(|k| k.bits == Some(4096)).unwrap().bytes,
        None,
    )
    .unwrap();
    let err = decrypt_password(&key4096, ciphertext(2048)).unwrap_err();
    assert_eq!(err.code(), ErrorCode::WrongKey);
    assert!(
        err.message().contains("2048-bit") && err.message().contains("4096-bit"),
        "{err}"
    );

    let err = decrypt_password(&key2048, ciphertext(1024)).unwrap_err();
    assert_eq!(err.code(), ErrorCode::WrongKey);
    assert!(
        err.message().contains("1024-bit") && err.message().contains("2048-bit"),
        "{err}"
    );

    // Cut short by a few characters: no RSA block size.
    let truncated = &ciphertext(2048)[..300];
    let err = decrypt_password(&key2048, truncated).unwrap_err();
    assert_eq!(err.code(), ErrorCode::CiphertextMalformed, "{err}");
    assert!(err.message().contains("225 bytes"), "{err}");

    assert_eq!(
        code(decrypt_password(&key2048, "not base64!")),
        Some(ErrorCode::CiphertextMalformed)
    );
}

#[test]
fn ciphertext_forms() {
    let key = load(KEYS[0].bytes, None).unwrap();
    assert_eq!(
        decrypt_password(&key, CIPHERTEXT_2048_WRAPPED)
            .unwrap()
            .as_str(),
        PASSWORD
    );
    let json = format!("{{\"password\": \"{}\"}}", ciphertext(2048));
    assert_eq!(decrypt_password(&key, &json).unwrap().as_str(), PASSWORD);
    let unpadded = ciphertext(2048).trim_end_matches('=');
    assert_eq!(decrypt_password(&key, unpadded).unwrap().as_str(), PASSWORD);
    assert_eq!(
        decrypt_password(&key, CIPHERTEXT_2048_UNICODE)
            .unwrap()
            .as_str(),
        UNICODE_PASSWORD
    );
    assert_eq!(
        code(decrypt_password(&key, CIPHERTEXT_2048_INVALID_UTF8)),
        Some(ErrorCode::PlaintextInvalid)
    );
    for empty in ["", " \r\n", "{\"password\": \"\"}", "{}"] {
        assert_eq!(
            code(decrypt_password(&key, empty)),
            Some(ErrorCode::PasswordNotAvailable),
            "{empty:?}"
        );
    }
}

#[test]
fn published_vectors() {
    for (name, key, ciphertext, password) in PUBLISHED {
        let key = load(key.as_bytes(), None).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            decrypt_password(&key, ciphertext).unwrap().as_str(),
            *password,
            "{name}"
        );
    }
    assert_eq!(
        code(load(HORIZON_FAKE_KEY.as_bytes(), None)),
        Some(ErrorCode::KeyMalformed)
    );
}

#[test]
fn text_is_read_however_it_was_saved() {
    let pem = std::str::from_utf8(KEYS[0].bytes).unwrap();
    let mut variants = vec![
        pem.replace('\n', "\r\n"),
        format!("\u{feff}{pem}"),
        format!("\n\n   {}\n\n", pem.trim_end()),
        pem.trim_end().to_owned(),
        pem.lines()
            .map(|l| format!("    {l}"))
            .collect::<Vec<_>>()
            .join("\n"),
        format!("Bag Attributes\n    localKeyID: 01 02\n{pem}"),
        format!("{}\n{pem}", CERTIFICATE),
    ];
    variants.push(pem.replace('\n', "\r"));
    for (i, text) in variants.iter().enumerate() {
        let key = load(text.as_bytes(), None).unwrap_or_else(|e| panic!("variant {i}: {e}"));
        assert_eq!(
            decrypt_password(&key, ciphertext(2048)).unwrap().as_str(),
            PASSWORD,
            "variant {i}"
        );
    }
    // UTF-16 with a byte order mark, as Windows Notepad may save it.
    let mut utf16 = vec![0xFF, 0xFE];
    pem.encode_utf16()
        .for_each(|u| utf16.extend_from_slice(&u.to_le_bytes()));
    assert!(load(&utf16, None).is_ok());
    // A PEM body pasted without its BEGIN/END lines.
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    assert_eq!(
        load(body.as_bytes(), None).unwrap().info().format.as_str(),
        "pkcs1-der"
    );
}

#[test]
fn things_that_are_not_private_keys() {
    let cases: &[(&str, &[u8])] = &[
        ("public key", PUBLIC_KEY_2048.as_bytes()),
        ("certificate", CERTIFICATE.as_bytes()),
        ("empty", b""),
        ("text", b"hello, this is not a key"),
        ("binary", &[0xde, 0xad, 0xbe, 0xef, 0x00]),
        (
            "PEM public key",
            b"-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA\n-----END PUBLIC KEY-----\n",
        ),
        ("PuTTY v1", b"PuTTY-User-Key-File-1: ssh-rsa\n"),
    ];
    for (name, bytes) in cases {
        assert_eq!(
            code(load(bytes, None)),
            Some(ErrorCode::KeyFormatUnsupported),
            "{name}"
        );
    }
    let cut = &KEYS[0].bytes[..KEYS[0].bytes.len() / 2];
    assert_eq!(code(load(cut, None)), Some(ErrorCode::KeyMalformed));
}

#[test]
fn damaged_keys_say_so() {
    // One character changed in the middle of each text key.
    for fixture in rsa_keys().filter(|k| !k.file.ends_with(".der")) {
        let mut bytes = fixture.bytes.to_vec();
        let mid = bytes.len() / 2;
        bytes[mid] = if bytes[mid] == b'A' { b'B' } else { b'A' };
        let result = load(&bytes, fixture.encrypted.then_some(PASSPHRASE));
        // A flipped bit in an encrypted body looks exactly like a wrong passphrase.
        let allowed = [ErrorCode::KeyMalformed, ErrorCode::WrongPassphrase];
        match result {
            Err(e) => assert!(allowed.contains(&e.code()), "{}: {e}", fixture.file),
            // A change inside unused bits or a comment can still load; it must then be the same key.
            Ok(key) => assert_eq!(Some(key.info().bits), fixture.bits, "{}", fixture.file),
        }
    }
}

#[test]
fn errors_never_contain_secrets() {
    let mut messages = Vec::new();
    for fixture in KEYS {
        for passphrase in [None, Some(WRONG_PASSPHRASE), Some(PASSPHRASE)] {
            if let Err(e) = load(fixture.bytes, passphrase) {
                messages.push(format!("{e} {e:?}"));
            }
        }
    }
    let key = load(KEYS[0].bytes, None).unwrap();
    for c in [
        ciphertext(1024),
        ciphertext(4096),
        CIPHERTEXT_2048_INVALID_UTF8,
        "abc$",
    ] {
        messages.push(format!("{:?}", decrypt_password(&key, c).unwrap_err()));
    }
    let other = load(OTHER_2048.as_bytes(), None).unwrap();
    messages.push(format!(
        "{:?}",
        decrypt_password(&other, ciphertext(2048)).unwrap_err()
    ));
    assert!(messages.len() > 40);
    let secrets = [PASSPHRASE, WRONG_PASSPHRASE, PASSWORD, "Tq8!"];
    for message in &messages {
        for secret in secrets {
            assert!(
                !message.contains(secret),
                "a message leaks a secret: {message}"
            );
        }
        // No 16-character run of any key file's text.
        for fixture in KEYS.iter().filter(|k| !k.file.ends_with(".der")) {
            let text = std::str::from_utf8(fixture.bytes).unwrap();
            for line in text
                .lines()
                .filter(|l| l.len() >= 16 && !l.contains(' ') && !l.contains(':'))
            {
                assert!(
                    !message.contains(&line[..16]),
                    "a message leaks key text: {message}"
                );
            }
        }
    }
}

#[test]
fn debug_output_shows_no_key_material() {
    let key = load(KEYS[0].bytes, None).unwrap();
    let debug = format!("{key:?}");
    assert!(debug.contains("SHA256:"), "{debug}");
    assert!(
        !debug.contains("BoxedUint") && !debug.contains("primes") && debug.len() < 2000,
        "{debug}"
    );
}
