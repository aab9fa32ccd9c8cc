//! The Wycheproof RSAES-PKCS1-v1_5 decryption vectors (`tests/vectors/wycheproof/`), as cases
//! for `decrypt_password`, shared by the native (`tests/wycheproof.rs`) and wasm tests.
#![allow(dead_code)]

use base64ct::{Base64, Encoding};

/// The compact extract the wasm tests embed (see the README beside it).
pub const EXTRACT: &str = include_str!("../vectors/wycheproof/rsa_pkcs1_decrypt.json");

/// What the product must answer for one vector.
#[derive(Debug, PartialEq, Eq)]
pub enum Expected {
    /// A valid ciphertext of a UTF-8 message: that message.
    Password(String),
    /// A valid ciphertext of bytes that are not UTF-8: `PLAINTEXT_INVALID`.
    NotText,
    /// A valid ciphertext of the empty message: `PLAINTEXT_INVALID`, saying it is empty.
    Empty,
    /// An invalid ciphertext: any error, never a password.
    Refused,
}

pub struct Case {
    pub tc_id: u64,
    /// The ciphertext as base64, as the os-server-password API returns it.
    pub ciphertext: String,
    pub expected: Expected,
}

pub struct Group {
    pub bits: usize,
    pub key_pem: String,
    pub cases: Vec<Case>,
}

fn hex(s: &str) -> Vec<u8> {
    base16ct::mixed::decode_vec(s).unwrap()
}

/// Every group of the extract, for 2048, 3072 and 4096 bits.
pub fn groups() -> Vec<Group> {
    let extract: serde_json::Value = serde_json::from_str(EXTRACT).unwrap();
    let mut groups = Vec::new();
    for bits in [2048usize, 3072, 4096] {
        for group in extract[bits.to_string()].as_array().unwrap() {
            let cases = group["tests"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| {
                    let msg = hex(t[1].as_str().unwrap());
                    let expected = match (t[3].as_str().unwrap(), String::from_utf8(msg)) {
                        ("valid", Ok(text)) if text.is_empty() => Expected::Empty,
                        ("valid", Ok(text)) => Expected::Password(text),
                        ("valid", Err(_)) => Expected::NotText,
                        ("invalid", _) => Expected::Refused,
                        (other, _) => panic!("result {other}"),
                    };
                    Case {
                        tc_id: t[0].as_u64().unwrap(),
                        ciphertext: Base64::encode_string(&hex(t[2].as_str().unwrap())),
                        expected,
                    }
                })
                .collect();
            groups.push(Group {
                bits,
                key_pem: group["key"].as_str().unwrap().to_owned(),
                cases,
            });
        }
    }
    groups
}
