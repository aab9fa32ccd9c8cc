//! After `decryptPassword` and `inspectKey` return, the module's linear memory holds neither the
//! private exponent nor the password. Run in Node by `wasm-pack test --node`.
//!
//! This test binary must not contain the secrets it looks for, so it does not use
//! `tests/common` (which embeds `password.txt` and a DER key): the needles come XOR-masked from
//! `tests/fixtures/rsa3072.memory-needles.txt` and are unmasked byte by byte during the scan.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed assumption in a test is a failed test

use ecs_password_keys::{decrypt_password, inspect_key, UnlockedKey};
use js_sys::{Uint8Array, WebAssembly};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

const MASK: u8 = 0x5a;
const NEEDLES: &str = include_str!("../../../tests/fixtures/rsa3072.memory-needles.txt");
const KEYS: [(&str, &[u8]); 3] = [
    (
        "rsa3072.pkcs1.pem",
        include_bytes!("../../../tests/fixtures/rsa3072.pkcs1.pem"),
    ),
    (
        "rsa3072.pkcs8.pem",
        include_bytes!("../../../tests/fixtures/rsa3072.pkcs8.pem"),
    ),
    (
        "rsa3072.openssh",
        include_bytes!("../../../tests/fixtures/rsa3072.openssh"),
    ),
];
const CIPHERTEXT: &str = include_str!("../../../tests/fixtures/rsa3072.ciphertext.b64");

/// The masked needles: (d big-endian, password).
fn masked() -> (Vec<u8>, Vec<u8>) {
    let mut lines = NEEDLES
        .lines()
        .map(|l| base16ct::lower::decode_vec(l.trim()).unwrap());
    (lines.next().unwrap(), lines.next().unwrap())
}

/// Windows of the secret, still masked: 16-byte runs of d in big-endian order (as in DER) and in
/// little-endian order (as the bignum limbs lie in memory), and the whole password.
fn windows() -> Vec<(String, Vec<u8>)> {
    let (d, password) = masked();
    let mut out = Vec::new();
    for start in [0, d.len() / 3, d.len() / 2, d.len() - 16] {
        out.push((
            format!("d big-endian at {start}"),
            d[start..start + 16].to_vec(),
        ));
        let mut le = d.clone();
        le.reverse();
        out.push((
            format!("d little-endian at {start}"),
            le[start..start + 16].to_vec(),
        ));
    }
    out.push(("password".into(), password));
    out
}

/// Offsets in linear memory where `masked` occurs once unmasked. Reads memory through a JS view
/// and compares byte by byte, so the unmasked secret is never written anywhere; the copy buffer
/// is cleared after each chunk (it lies in the scanned memory too).
fn find(memory: &WebAssembly::Memory, masked: &[u8], buf: &mut [u8]) -> Vec<u32> {
    let chunk = (buf.len() - masked.len()) as u32;
    let first = masked[0] ^ MASK;
    let mut hits = Vec::new();
    let mut offset = 0;
    loop {
        // A fresh view each time: the memory may have grown (and its old buffer detached).
        let view = Uint8Array::new(&memory.buffer());
        let len = view.length();
        if offset >= len {
            break;
        }
        let end = (offset + chunk + masked.len() as u32).min(len);
        let n = (end - offset) as usize;
        view.subarray(offset, end).copy_to(&mut buf[..n]);
        for i in 0..n.saturating_sub(masked.len() - 1) {
            if buf[i] == first
                && masked
                    .iter()
                    .enumerate()
                    .all(|(j, m)| buf[i + j] == m ^ MASK)
            {
                hits.push(offset + i as u32);
            }
        }
        buf.iter_mut().for_each(|b| *b = 0);
        offset += chunk;
    }
    hits
}

fn scan() -> Vec<String> {
    let memory: WebAssembly::Memory = wasm_bindgen::memory().unchecked_into();
    let windows = windows();
    let mut buf = vec![0u8; (1 << 16) + 64];
    let mut leaks = Vec::new();
    for (name, needle) in &windows {
        let hits = find(&memory, needle, &mut buf);
        if !hits.is_empty() {
            leaks.push(format!("{name} at {hits:?}"));
        }
    }
    leaks
}

#[wasm_bindgen_test]
fn the_scan_finds_a_secret_that_is_there() {
    // Proves the scan works: put the unmasked password into memory on purpose, find it, wipe it.
    let (_, password) = masked();
    let mut planted: Vec<u8> = password.iter().map(|b| b ^ MASK).collect();
    let found = scan();
    planted.iter_mut().for_each(|b| *b = 0);
    std::hint::black_box(&planted);
    assert!(
        found.iter().any(|f| f.starts_with("password")),
        "the scan missed a planted password: {found:?}"
    );
}

#[wasm_bindgen_test]
fn no_secret_remains_after_decrypt_password() {
    let (_, masked_password) = masked();
    for (name, key) in KEYS {
        let password = decrypt_password(Uint8Array::from(key).into(), CIPHERTEXT, None)
            .unwrap_or_else(|_| panic!("{name} did not decrypt"));
        // Compare in JavaScript's string, character by character, never as Rust bytes.
        assert_eq!(password.length() as usize, masked_password.len());
        for (i, m) in masked_password.iter().enumerate() {
            assert_eq!(
                password.char_code_at(i as u32) as u8,
                m ^ MASK,
                "{name}: wrong password"
            );
        }
        let leaks = scan();
        assert!(
            leaks.is_empty(),
            "{name}: secrets remain in linear memory: {leaks:?}"
        );
    }
}

#[wasm_bindgen_test]
fn no_secret_remains_after_inspect_key() {
    for (name, key) in KEYS {
        inspect_key(JsValue::from_str(std::str::from_utf8(key).unwrap()), None).unwrap();
        let leaks = scan();
        assert!(
            leaks.is_empty(),
            "{name}: secrets remain in linear memory: {leaks:?}"
        );
    }
}

#[wasm_bindgen_test]
fn an_unlocked_key_holds_its_secret_until_freed_and_none_after() {
    let (_, masked_password) = masked();
    for (name, key) in KEYS {
        let unlocked = UnlockedKey::new(Uint8Array::from(key).into(), None).unwrap();
        for _ in 0..3 {
            let password = unlocked.decrypt(CIPHERTEXT).unwrap();
            assert_eq!(password.length() as usize, masked_password.len(), "{name}");
        }
        // While unlocked, the private exponent is in memory (the control: the scan sees it).
        assert!(
            scan().iter().any(|l| l.starts_with('d')),
            "{name}: the unlocked key is not found"
        );
        drop(unlocked); // what JavaScript's free() does
        let leaks = scan();
        assert!(
            leaks.is_empty(),
            "{name}: secrets remain after free(): {leaks:?}"
        );
    }
}

#[wasm_bindgen_test]
fn a_key_from_a_kps_export_answer_leaves_nothing_once_freed() {
    let (_, masked_password) = masked();
    let (name, pem) = KEYS[0];
    // The body of KPS's ExportPrivateKey answer, as the worker's fetch gets it.
    let pem = std::str::from_utf8(pem).unwrap().replace('\n', "\\n");
    let body = format!(r#"{{"keypair": {{"name": "kp-3072", "private_key": "{pem}"}}}}"#);
    let array = Uint8Array::from(body.as_bytes());
    drop(body);
    drop(pem);
    let unlocked = UnlockedKey::from_kps_export("kp-3072", array.clone().into()).unwrap();
    assert!(
        array.to_vec().iter().all(|b| *b == 0),
        "the body was not wiped"
    );
    let password = unlocked.decrypt(CIPHERTEXT).unwrap();
    assert_eq!(password.length() as usize, masked_password.len(), "{name}");
    drop(unlocked);
    let leaks = scan();
    assert!(leaks.is_empty(), "secrets remain after free(): {leaks:?}");
}
