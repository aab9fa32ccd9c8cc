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
            let article = if expected_name == "DSA" { "a" } else { "an" };
            assert!(
                err.english()
                    .contains(&format!("This is {article} {expected_name} key,")),
                "{}: {err}",
                fixture.file
            );
            assert!(
                err.english()
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
        err.english().contains("2048-bit") && err.english().contains("4096-bit"),
        "{err}"
    );

    let err = decrypt_password(&key2048, ciphertext(1024)).unwrap_err();
    assert_eq!(err.code(), ErrorCode::WrongKey);
    assert!(
        err.english().contains("1024-bit") && err.english().contains("2048-bit"),
        "{err}"
    );

    // Cut short by a few characters: no RSA block size.
    let truncated = &ciphertext(2048)[..300];
    let err = decrypt_password(&key2048, truncated).unwrap_err();
    assert_eq!(err.code(), ErrorCode::CiphertextMalformed, "{err}");
    assert!(err.english().contains("225 bytes"), "{err}");

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
    // An empty message decrypts, and says that it is empty rather than "not text".
    let empty = decrypt_password(&key, CIPHERTEXT_2048_EMPTY).unwrap_err();
    assert_eq!(empty.code(), ErrorCode::PlaintextInvalid);
    assert!(empty.english().contains("empty message"), "{empty}");
    let not_text = decrypt_password(&key, CIPHERTEXT_2048_INVALID_UTF8).unwrap_err();
    assert!(!not_text.english().contains("empty"), "{not_text}");
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

#[test]
fn intact_keys_in_unread_schemes_are_unsupported_by_name() {
    for (file, scheme, legacy, bytes) in UNSUPPORTED_SCHEMES {
        for passphrase in [None, Some(PASSPHRASE), Some(WRONG_PASSPHRASE)] {
            let err = load(bytes, passphrase).expect_err(file);
            assert_eq!(err.code(), ErrorCode::KeyFormatUnsupported, "{file}: {err}");
            let message = err.english();
            assert!(
                message.contains(&format!("encrypted with {scheme},")),
                "{file}: {err}"
            );
            assert!(message.contains("is intact"), "{file}: {err}");
            assert!(!message.contains("damaged"), "{file}: {err}");
            assert!(
                message.contains("openssl pkcs8 -topk8 -v2 aes-256-cbc -in OLD -out NEW"),
                "{file}: {err}"
            );
            assert_eq!(
                message.contains("-provider legacy -provider default"),
                *legacy,
                "{file}: {err}"
            );
        }
    }
}

/// The advice is right: OpenSSL's own command, as the message gives it, turns every refused file
/// into one that loads, with the same key.
#[test]
fn the_advised_command_re_encrypts_into_a_scheme_that_loads() {
    let dir = std::env::temp_dir().join(format!("ecs-password-reencrypt-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let expected = load(KEYS[0].bytes, None)
        .unwrap()
        .info()
        .fingerprint_sha256
        .clone();
    for (file, _, legacy, bytes) in UNSUPPORTED_SCHEMES {
        let message = load(bytes, Some(PASSPHRASE))
            .unwrap_err()
            .english()
            .to_owned();
        let old = dir.join(file);
        let new = dir.join("new.pem");
        std::fs::write(&old, bytes).unwrap();
        let command = message
            .split("openssl ")
            .nth(1)
            .and_then(|rest| rest.split(" (").next())
            .unwrap()
            .trim_end_matches('.');
        let mut args: Vec<String> = command
            .split_whitespace()
            .map(|word| match word {
                "OLD" => old.display().to_string(),
                "NEW" => new.display().to_string(),
                other => other.to_owned(),
            })
            .collect();
        if *legacy {
            args.extend(["-provider", "legacy", "-provider", "default"].map(String::from));
        }
        if file.ends_with(".der") {
            args.extend(["-inform", "DER"].map(String::from));
        }
        args.extend(
            [
                "-passin",
                &format!("pass:{PASSPHRASE}"),
                "-passout",
                &format!("pass:{PASSPHRASE}"),
            ]
            .map(String::from),
        );
        let status = std::process::Command::new("openssl")
            .args(&args)
            .status()
            .unwrap();
        assert!(status.success(), "{file}: openssl {args:?}");
        let key = load(&std::fs::read(&new).unwrap(), Some(PASSPHRASE)).unwrap();
        assert_eq!(key.info().fingerprint_sha256, expected, "{file}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A cut-short or garbled file in those schemes is still damage, not "unsupported".
#[test]
fn damaged_encrypted_keys_are_malformed() {
    for (file, _, _, bytes) in UNSUPPORTED_SCHEMES.iter().filter(|k| k.0.ends_with(".der")) {
        let cut = &bytes[..bytes.len() - 10];
        assert_eq!(
            code(load(cut, Some(PASSPHRASE))),
            Some(ErrorCode::KeyMalformed),
            "{file}"
        );
    }
    let pem = std::str::from_utf8(UNSUPPORTED_SCHEMES[2].3).unwrap();
    let lines: Vec<&str> = pem.lines().collect();
    let cut = [&lines[..lines.len() / 2], &lines[lines.len() - 1..]]
        .concat()
        .join("\n");
    assert_eq!(
        code(load(cut.as_bytes(), Some(PASSPHRASE))),
        Some(ErrorCode::KeyMalformed)
    );
    let der = KEYS
        .iter()
        .find(|k| k.file == "rsa2048.pkcs8-pkcs12-sha1-3des.der")
        .unwrap();
    let cut = &der.bytes[..der.bytes.len() - 10];
    assert_eq!(
        code(load(cut, Some(PASSPHRASE))),
        Some(ErrorCode::KeyMalformed)
    );
}

/// PKCS#12 PBE takes the passphrase as UTF-16: OpenSSL's encoding of a passphrase outside the
/// Basic Multilingual Plane (surrogate pairs) must unlock here too. OpenSSL is the oracle.
#[test]
fn pkcs12_3des_with_a_non_ascii_passphrase_made_by_openssl() {
    let dir = std::env::temp_dir().join(format!("ecs-password-p12pass-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let passphrase = "pässwörd-密码-😀";
    let (pass_file, key_file) = (dir.join("pass.txt"), dir.join("key.pem"));
    std::fs::write(&pass_file, passphrase).unwrap();
    std::fs::write(dir.join("in.pem"), KEYS[0].bytes).unwrap();
    let status = std::process::Command::new("openssl")
        .args(["pkcs8", "-topk8", "-v1", "PBE-SHA1-3DES", "-in"])
        .arg(dir.join("in.pem"))
        .arg("-passout")
        .arg(format!("file:{}", pass_file.display()))
        .arg("-out")
        .arg(&key_file)
        .status()
        .unwrap();
    assert!(status.success());
    let bytes = std::fs::read(&key_file).unwrap();
    let key = load(&bytes, Some(passphrase)).unwrap();
    let expected = load(KEYS[0].bytes, None).unwrap();
    assert_eq!(
        key.info().fingerprint_sha256,
        expected.info().fingerprint_sha256
    );
    assert_eq!(
        code(load(&bytes, Some("pässwörd-密码-"))),
        Some(ErrorCode::WrongPassphrase)
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
