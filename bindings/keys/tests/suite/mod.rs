//! The JavaScript API (`decryptPassword`, `inspectKey`, `errorCodes`) on every fixture, shared by
//! `wasm_node.rs` (Node) and `wasm_browser.rs` (headless Chromium) in this folder.

use crate::common::*;
use ecs_password_keys::{decrypt_password, error_codes, inspect_key, UnlockedKey};
use js_sys::{Reflect, Uint8Array};
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

fn passphrase(fixture: &KeyFixture) -> Option<JsValue> {
    fixture.encrypted.then(|| JsValue::from_str(PASSPHRASE))
}

#[wasm_bindgen_test]
fn every_rsa_format_decrypts_from_a_uint8array() {
    let mut count = 0;
    for fixture in rsa_keys() {
        let array = Uint8Array::from(fixture.bytes);
        let password = decrypt_password(
            array.clone().into(),
            ciphertext(fixture.bits.unwrap()),
            passphrase(fixture),
        )
        .unwrap_or_else(|e| panic!("{}: {}", fixture.file, code_of(e)));
        assert_eq!(String::from(password), PASSWORD, "{}", fixture.file);
        assert!(
            array.to_vec().iter().all(|b| *b == 0),
            "{}: the caller's key array was not wiped",
            fixture.file
        );
        count += 1;
    }
    assert!(count >= 28, "{count}");
}

#[wasm_bindgen_test]
fn keys_and_passphrases_as_strings() {
    let fixture = KEYS
        .iter()
        .find(|k| k.file == "rsa2048.ppk3-encrypted")
        .unwrap();
    let key = JsValue::from_str(std::str::from_utf8(fixture.bytes).unwrap());
    let passphrase = Uint8Array::from(PASSPHRASE.as_bytes());
    let password = decrypt_password(
        key,
        CIPHERTEXT_2048_WRAPPED,
        Some(passphrase.clone().into()),
    )
    .unwrap();
    assert_eq!(String::from(password), PASSWORD);
    assert!(
        passphrase.to_vec().iter().all(|b| *b == 0),
        "the passphrase array was not wiped"
    );
}

#[wasm_bindgen_test]
fn inspect_key_reports_public_facts() {
    let fixture = KEYS
        .iter()
        .find(|k| k.file == "rsa2048.openssh-chacha20poly1305")
        .unwrap();
    let info = inspect_key(
        Uint8Array::from(fixture.bytes).into(),
        Some(JsValue::from_str(PASSPHRASE)),
    )
    .unwrap();
    let (sha256, md5) = fingerprints(2048).unwrap();
    assert_eq!(get(&info, "algorithm").as_string().as_deref(), Some("rsa"));
    assert_eq!(get(&info, "bits").as_f64(), Some(2048.0));
    assert_eq!(get(&info, "format").as_string().as_deref(), Some("openssh"));
    assert_eq!(get(&info, "encrypted").as_bool(), Some(true));
    assert_eq!(
        get(&info, "fingerprintSha256").as_string().as_deref(),
        Some(sha256)
    );
    assert_eq!(
        get(&info, "fingerprintMd5").as_string().as_deref(),
        Some(md5)
    );
    assert_eq!(
        get(&info, "comment").as_string().as_deref(),
        Some("rsa2048-test")
    );
}

#[wasm_bindgen_test]
fn errors_carry_stable_codes() {
    let key2048 = || JsValue::from(Uint8Array::from(KEYS[0].bytes));
    let encrypted = || {
        JsValue::from(Uint8Array::from(
            KEYS.iter()
                .find(|k| k.file == "rsa2048.legacy-des3.pem")
                .unwrap()
                .bytes,
        ))
    };
    let ed25519 = || {
        JsValue::from(Uint8Array::from(
            KEYS.iter()
                .find(|k| k.algorithm == "ed25519")
                .unwrap()
                .bytes,
        ))
    };
    let other = || JsValue::from_str(OTHER_2048);
    let cases: Vec<(&str, JsValue, &str, Option<JsValue>)> = vec![
        (
            "KEY_MALFORMED",
            JsValue::from_str(HORIZON_FAKE_KEY),
            ciphertext(2048),
            None,
        ),
        (
            "KEY_FORMAT_UNSUPPORTED",
            JsValue::from_str(PUBLIC_KEY_2048),
            ciphertext(2048),
            None,
        ),
        ("KEY_NOT_RSA", ed25519(), ciphertext(2048), None),
        ("PASSPHRASE_REQUIRED", encrypted(), ciphertext(2048), None),
        (
            "WRONG_PASSPHRASE",
            encrypted(),
            ciphertext(2048),
            Some(JsValue::from_str(WRONG_PASSPHRASE)),
        ),
        ("CIPHERTEXT_MALFORMED", key2048(), "abc$", None),
        ("WRONG_KEY", other(), ciphertext(2048), None),
        ("WRONG_KEY", key2048(), ciphertext(4096), None),
        ("PASSWORD_NOT_AVAILABLE", key2048(), "", Some(JsValue::NULL)),
        (
            "PLAINTEXT_INVALID",
            key2048(),
            CIPHERTEXT_2048_INVALID_UTF8,
            None,
        ),
    ];
    for (expected, key, ciphertext, passphrase) in cases {
        let error = decrypt_password(key, ciphertext, passphrase).expect_err(expected);
        // What reaches JavaScript: the message and its arguments as data (never a secret).
        let args = js_sys::JSON::stringify(&get(&error, "args")).unwrap();
        let message = format!(
            "{} {}",
            get(&error, "message").as_string().unwrap(),
            String::from(args)
        );
        assert_eq!(code_of(error), expected, "{message}");
        assert!(
            !message.contains(PASSPHRASE)
                && !message.contains(WRONG_PASSPHRASE)
                && !message.contains(PASSWORD)
        );
    }
    let error = decrypt_password(JsValue::from_f64(1.0), ciphertext(2048), None).unwrap_err();
    assert!(error.is_instance_of::<js_sys::TypeError>());
}

#[wasm_bindgen_test]
fn published_vectors() {
    for (name, key, ciphertext, password) in PUBLISHED {
        let got = decrypt_password(JsValue::from_str(key), ciphertext, None)
            .unwrap_or_else(|e| panic!("{name}: {}", code_of(e)));
        assert_eq!(String::from(got), *password, "{name}");
    }
}

#[wasm_bindgen_test]
fn a_hosted_key_loads_from_the_kps_export_answer() {
    let fixture = KEYS.iter().find(|k| k.file == "rsa2048.pkcs1.pem").unwrap();
    let pem = std::str::from_utf8(fixture.bytes).unwrap();
    let body =
        serde_json::json!({ "keypair": { "name": "demo2", "private_key": pem } }).to_string();
    let array = Uint8Array::from(body.as_bytes());
    let key = UnlockedKey::from_kps_export("demo2", array.clone().into()).unwrap();
    assert!(
        array.to_vec().iter().all(|b| *b == 0),
        "the body was not wiped"
    );
    assert_eq!(get(&key.info().unwrap(), "bits").as_f64(), Some(2048.0));
    assert_eq!(
        String::from(key.decrypt(ciphertext(2048)).unwrap()),
        PASSWORD
    );

    // Another key pair's answer, the documented sample (a PEM cut short), a string: refused.
    let other = Uint8Array::from(body.as_bytes());
    let e = UnlockedKey::from_kps_export("demo3", other.into())
        .err()
        .unwrap();
    assert_eq!(code_of(e), "RESPONSE_INVALID");
    let sample =
        r#"{"keypair": {"name": "demo2", "private_key": "-----BEGIN RSA PRIVATE KEY-----..."}}"#;
    let e = UnlockedKey::from_kps_export("demo2", Uint8Array::from(sample.as_bytes()).into())
        .err()
        .unwrap();
    assert!(matches!(
        code_of(e).as_str(),
        "KEY_MALFORMED" | "KEY_FORMAT_UNSUPPORTED"
    ));
    let e = UnlockedKey::from_kps_export("demo2", JsValue::from_str(&body))
        .err()
        .unwrap();
    assert!(e.is_instance_of::<js_sys::TypeError>());
}

#[wasm_bindgen_test]
fn error_codes_lists_every_code() {
    let codes: Vec<String> = error_codes()
        .iter()
        .map(|c| c.as_string().unwrap())
        .collect();
    // The same codes, in the same order, as the core's list, each once.
    let core: Vec<&str> = ecs_password::ErrorCode::ALL
        .iter()
        .map(|c| c.as_str())
        .collect();
    assert_eq!(codes, core);
    let mut unique = codes.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), codes.len());
    assert!(
        codes.contains(&"WRONG_KEY".to_owned()) && codes.contains(&"PLAINTEXT_INVALID".to_owned())
    );
}

/// The Wycheproof RSAES-PKCS1-v1_5 vectors (2048, 3072, 4096 bits) through the wasm build, where
/// the bignum arithmetic uses 32-bit limbs: the message, `PLAINTEXT_INVALID`, or an error; never
/// a password for an invalid ciphertext.
#[wasm_bindgen_test]
fn wycheproof_vectors() {
    use crate::wycheproof_cases::{groups, Expected};
    let mut count = 0;
    for group in groups() {
        let key = UnlockedKey::new(JsValue::from_str(&group.key_pem), None)
            .unwrap_or_else(|e| panic!("{} bits: {}", group.bits, code_of(e)));
        for case in &group.cases {
            let label = format!("{} bits, tcId {}", group.bits, case.tc_id);
            match (&case.expected, key.decrypt(&case.ciphertext)) {
                (Expected::Password(message), Ok(password)) => {
                    assert_eq!(&String::from(password), message, "{label}")
                }
                (Expected::NotText | Expected::Empty, Err(e)) => {
                    let message = get(&e, "messageId").as_string().unwrap();
                    assert_eq!(code_of(e), "PLAINTEXT_INVALID", "{label}");
                    assert_eq!(
                        message == "plaintext-empty",
                        case.expected == Expected::Empty,
                        "{label}: {message}"
                    );
                }
                (Expected::Refused, Err(e)) => {
                    let code = code_of(e);
                    assert!(
                        [
                            "WRONG_KEY",
                            "CIPHERTEXT_MALFORMED",
                            "PASSWORD_NOT_AVAILABLE"
                        ]
                        .contains(&code.as_str()),
                        "{label}: {code}"
                    );
                }
                (expected, Ok(_)) => panic!("{label}: a password for {expected:?}"),
                (expected, Err(e)) => panic!("{label}: {} for {expected:?}", code_of(e)),
            }
            count += 1;
        }
    }
    assert_eq!(count, 3 * 67);
}
