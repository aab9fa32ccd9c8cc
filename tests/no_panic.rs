#![cfg(not(target_arch = "wasm32"))]
//! Nothing panics, whatever the input: arbitrary bytes, and real key files with random damage,
//! go through every parser, and arbitrary text through the ciphertext decoder.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed assumption in a test is a failed test

mod common;

use common::*;
use ecs_password::{decrypt_password, PrivateKey};
use proptest::prelude::*;

fn mutate(bytes: &[u8], edits: &[(usize, u8)], cut: usize) -> Vec<u8> {
    let mut out = bytes.to_vec();
    for (pos, value) in edits {
        if !out.is_empty() {
            let i = pos % out.len();
            out[i] = *value;
        }
    }
    out.truncate(out.len().saturating_sub(cut));
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..4096), pass in proptest::option::of(".{0,12}")) {
        let _ = PrivateKey::load(&bytes, pass.as_deref().map(str::as_bytes));
    }

    #[test]
    fn arbitrary_text_never_panics(text in "(-----BEGIN [A-Z ]{0,20}-----\n)?[ -~\n]{0,2000}(-----END [A-Z ]{0,20}-----)?") {
        let _ = PrivateKey::load(text.as_bytes(), None);
    }

    #[test]
    fn damaged_key_files_never_panic(index in 0..KEYS.len(), edits in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..4), cut in 0usize..64) {
        let fixture = &KEYS[index];
        // Unlocking costs real time (scrypt, Argon2, bcrypt): damage is checked without a passphrase
        // for encrypted files, which still parses everything up to the key derivation.
        let damaged = mutate(fixture.bytes, &edits, cut);
        let _ = PrivateKey::load(&damaged, None);
    }

    #[test]
    fn arbitrary_ciphertext_never_panics(text in "[A-Za-z0-9+/= \n{}\":]{0,700}") {
        let key = PrivateKey::load(KEYS[0].bytes, None).unwrap();
        let _ = decrypt_password(&key, &text);
    }

    #[test]
    fn arbitrary_blocks_of_the_right_size_never_panic(block in proptest::collection::vec(any::<u8>(), 256)) {
        use base64ct::Encoding;
        let key = PrivateKey::load(KEYS[0].bytes, None).unwrap();
        let _ = decrypt_password(&key, &base64ct::Base64::encode_string(&block));
    }
}

#[test]
fn damaged_encrypted_files_with_the_passphrase_never_panic() {
    // One deterministic pass with the passphrase, over every encrypted key and many damage points.
    for fixture in KEYS.iter().filter(|k| k.encrypted) {
        for step in 1..12 {
            let pos = fixture.bytes.len() * step / 12;
            let damaged = mutate(fixture.bytes, &[(pos, b'Z')], 0);
            let _ = PrivateKey::load(&damaged, Some(PASSPHRASE.as_bytes()));
        }
    }
}
