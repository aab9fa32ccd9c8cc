#![cfg(not(target_arch = "wasm32"))]
//! The Wycheproof RSAES-PKCS1-v1_5 decryption vectors for 2048, 3072 and 4096 bits, natively
//! (the same cases run in wasm from `bindings/keys/tests/suite.rs`). See `tests/vectors/wycheproof/`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed assumption in a test is a failed test

#[path = "common/wycheproof.rs"]
mod wycheproof;

use base64ct::Encoding;
use ecs_password::{decrypt_password, ErrorCode, PrivateKey};
use wycheproof::{groups, Expected, EXTRACT};

const FILES: [(usize, &str); 3] = [
    (
        2048,
        include_str!("vectors/wycheproof/rsa_pkcs1_2048_test.json"),
    ),
    (
        3072,
        include_str!("vectors/wycheproof/rsa_pkcs1_3072_test.json"),
    ),
    (
        4096,
        include_str!("vectors/wycheproof/rsa_pkcs1_4096_test.json"),
    ),
];

fn file(bits: usize) -> serde_json::Value {
    let text = FILES.iter().find(|(b, _)| *b == bits).unwrap().1;
    serde_json::from_str(text).unwrap()
}

/// The extract the wasm tests embed is exactly the vendored files' content (extract.py).
#[test]
fn extract_matches_the_vendored_files() {
    let mut rebuilt = serde_json::Map::new();
    for (bits, _) in FILES {
        let data = file(bits);
        assert_eq!(data["algorithm"], "RSAES-PKCS1-v1_5");
        let groups: Vec<serde_json::Value> = data["testGroups"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| {
                assert_eq!(g["keySize"], bits);
                let tests: Vec<serde_json::Value> = g["tests"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|t| serde_json::json!([t["tcId"], t["msg"], t["ct"], t["result"]]))
                    .collect();
                serde_json::json!({"key": g["privateKeyPem"], "tests": tests})
            })
            .collect();
        rebuilt.insert(bits.to_string(), groups.into());
    }
    let extract: serde_json::Value = serde_json::from_str(EXTRACT).unwrap();
    assert!(
        extract == serde_json::Value::Object(rebuilt),
        "rsa_pkcs1_decrypt.json is out of date: run tests/vectors/wycheproof/extract.py"
    );
}

#[test]
fn every_vector_decrypts_to_its_message_or_is_refused() {
    let groups = groups();
    let mut counts = std::collections::BTreeMap::<String, usize>::new();
    for (bits, _) in FILES {
        let data = file(bits);
        let in_file: usize = groups
            .iter()
            .filter(|g| g.bits == bits)
            .map(|g| g.cases.len())
            .sum();
        assert_eq!(
            in_file as u64,
            data["numberOfTests"].as_u64().unwrap(),
            "{bits}"
        );
        for (group, raw) in groups
            .iter()
            .filter(|g| g.bits == bits)
            .zip(data["testGroups"].as_array().unwrap())
        {
            let pem = PrivateKey::load(group.key_pem.as_bytes(), None).unwrap();
            // The vector's PKCS#8 DER is the same key (the cases then run once, with the PEM).
            let der =
                base16ct::mixed::decode_vec(raw["privateKeyPkcs8"].as_str().unwrap()).unwrap();
            let der = PrivateKey::load(&der, None).unwrap();
            assert_eq!(pem.info().bits, bits);
            assert_eq!(pem.info().fingerprint_sha256, der.info().fingerprint_sha256);
            for case in &group.cases {
                let label = format!("{bits} tcId {}", case.tc_id);
                {
                    let result = decrypt_password(&pem, &case.ciphertext);
                    match (&case.expected, &result) {
                        (Expected::Password(message), Ok(password)) => {
                            assert_eq!(password.as_str(), message, "{label}")
                        }
                        (Expected::NotText, Err(e)) => {
                            assert_eq!(e.code(), ErrorCode::PlaintextInvalid, "{label}: {e}");
                            assert!(!e.english().contains("empty"), "{label}: {e}");
                        }
                        (Expected::Empty, Err(e)) => {
                            assert_eq!(e.code(), ErrorCode::PlaintextInvalid, "{label}: {e}");
                            assert!(e.english().contains("empty message"), "{label}: {e}");
                        }
                        (Expected::Refused, Err(e)) => assert!(
                            [
                                ErrorCode::WrongKey,
                                ErrorCode::CiphertextMalformed,
                                ErrorCode::PasswordNotAvailable
                            ]
                            .contains(&e.code()),
                            "{label}: {e}"
                        ),
                        (expected, Ok(_)) => panic!("{label}: a password for {expected:?}"),
                        (expected, Err(e)) => panic!("{label}: {e} for {expected:?}"),
                    }
                }
                let kind = match &case.expected {
                    Expected::Password(_) => "valid text".to_owned(),
                    Expected::NotText => "valid, not text".to_owned(),
                    Expected::Empty => "valid, empty".to_owned(),
                    Expected::Refused => {
                        format!("invalid: {}", result_code(&pem, &case.ciphertext))
                    }
                };
                *counts.entry(kind).or_default() += 1;
            }
        }
    }
    println!("Wycheproof RSAES-PKCS1-v1_5 (2048, 3072, 4096): {counts:?}");
    assert_eq!(counts.values().sum::<usize>(), 67 + 67 + 67);
    assert_eq!(counts["valid text"], 24);
    assert_eq!(counts["valid, empty"], 3);
}

fn result_code(key: &PrivateKey, ciphertext: &str) -> &'static str {
    decrypt_password(key, ciphertext)
        .unwrap_err()
        .code()
        .as_str()
}

/// Wycheproof's advice for `InvalidPkcs1Padding`: every such vector must give the same error, so
/// that the answer is no padding oracle.
#[test]
fn invalid_paddings_cannot_be_told_apart() {
    for (bits, _) in FILES {
        let data = file(bits);
        let mut errors = std::collections::BTreeSet::new();
        for group in data["testGroups"].as_array().unwrap() {
            let key = PrivateKey::load(group["privateKeyPem"].as_str().unwrap().as_bytes(), None)
                .unwrap();
            for t in group["tests"].as_array().unwrap() {
                if t["flags"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|f| f == "InvalidPkcs1Padding")
                {
                    let ct = base16ct::mixed::decode_vec(t["ct"].as_str().unwrap()).unwrap();
                    let ct = base64ct::Base64::encode_string(&ct);
                    errors.insert(decrypt_password(&key, &ct).unwrap_err().to_string());
                }
            }
        }
        assert_eq!(errors.len(), 1, "{bits}: {errors:?}");
    }
}
