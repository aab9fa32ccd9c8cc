//! Test vectors shared by the native tests (`tests/keys.rs`) and the wasm tests
//! (`bindings/*/tests/wasm_node.rs`, `wasm_browser.rs`): the files in `tests/fixtures/`, embedded.
//! `tests/keys.rs` checks that this table and `tests/fixtures/manifest.json` list the same keys.
#![allow(dead_code)]

/// One key file from `tests/fixtures/manifest.json`.
pub struct KeyFixture {
    pub file: &'static str,
    pub format: &'static str,
    pub algorithm: &'static str,
    pub bits: Option<usize>,
    pub encrypted: bool,
    pub bytes: &'static [u8],
}

macro_rules! key {
    ($file:literal, $format:literal, $algorithm:literal, $bits:expr, $encrypted:expr) => {
        KeyFixture {
            file: $file,
            format: $format,
            algorithm: $algorithm,
            bits: $bits,
            encrypted: $encrypted,
            bytes: include_bytes!(concat!("../fixtures/", $file)),
        }
    };
}

macro_rules! fixture {
    ($file:literal) => {
        include_str!(concat!("../fixtures/", $file))
    };
}

pub const KEYS: &[KeyFixture] = &[
    key!("rsa2048.pkcs1.pem", "pkcs1-pem", "rsa", Some(2048), false),
    key!("rsa2048.pkcs1.der", "pkcs1-der", "rsa", Some(2048), false),
    key!("rsa2048.pkcs8.pem", "pkcs8-pem", "rsa", Some(2048), false),
    key!("rsa2048.pkcs8.der", "pkcs8-der", "rsa", Some(2048), false),
    key!(
        "rsa2048.pkcs8-pbkdf2-sha256-aes256cbc.pem",
        "pkcs8-encrypted-pem",
        "rsa",
        Some(2048),
        true
    ),
    key!(
        "rsa2048.pkcs8-pbkdf2-sha1-aes128cbc.pem",
        "pkcs8-encrypted-pem",
        "rsa",
        Some(2048),
        true
    ),
    key!(
        "rsa2048.pkcs8-scrypt-aes256cbc.pem",
        "pkcs8-encrypted-pem",
        "rsa",
        Some(2048),
        true
    ),
    key!(
        "rsa2048.pkcs8-pbkdf2-des3.pem",
        "pkcs8-encrypted-pem",
        "rsa",
        Some(2048),
        true
    ),
    key!(
        "rsa2048.pkcs8-pbkdf2-sha256-aes256cbc.der",
        "pkcs8-encrypted-der",
        "rsa",
        Some(2048),
        true
    ),
    key!(
        "rsa2048.pkcs8-pbkdf2-sha512-aes256cbc.pem",
        "pkcs8-encrypted-pem",
        "rsa",
        Some(2048),
        true
    ),
    key!(
        "rsa2048.pkcs8-pkcs12-sha1-3des.pem",
        "pkcs8-encrypted-pem",
        "rsa",
        Some(2048),
        true
    ),
    key!(
        "rsa2048.pkcs8-pkcs12-sha1-3des.der",
        "pkcs8-encrypted-der",
        "rsa",
        Some(2048),
        true
    ),
    key!(
        "rsa2048.pkcs8-pkcs12-sha1-2des.pem",
        "pkcs8-encrypted-pem",
        "rsa",
        Some(2048),
        true
    ),
    key!(
        "rsa2048.legacy-aes128cbc.pem",
        "openssl-legacy-pem",
        "rsa",
        Some(2048),
        true
    ),
    key!(
        "rsa2048.legacy-aes192cbc.pem",
        "openssl-legacy-pem",
        "rsa",
        Some(2048),
        true
    ),
    key!(
        "rsa2048.legacy-aes256cbc.pem",
        "openssl-legacy-pem",
        "rsa",
        Some(2048),
        true
    ),
    key!(
        "rsa2048.legacy-des3.pem",
        "openssl-legacy-pem",
        "rsa",
        Some(2048),
        true
    ),
    key!("rsa2048.openssh", "openssh", "rsa", Some(2048), false),
    key!(
        "rsa2048.openssh-aes256ctr",
        "openssh",
        "rsa",
        Some(2048),
        true
    ),
    key!(
        "rsa2048.openssh-aes256gcm",
        "openssh",
        "rsa",
        Some(2048),
        true
    ),
    key!(
        "rsa2048.openssh-chacha20poly1305",
        "openssh",
        "rsa",
        Some(2048),
        true
    ),
    key!("rsa2048.ppk2", "ppk2", "rsa", Some(2048), false),
    key!("rsa2048.ppk2-encrypted", "ppk2", "rsa", Some(2048), true),
    key!("rsa2048.ppk3", "ppk3", "rsa", Some(2048), false),
    key!("rsa2048.ppk3-encrypted", "ppk3", "rsa", Some(2048), true),
    key!(
        "rsa2048.ppk3-encrypted-argon2i",
        "ppk3",
        "rsa",
        Some(2048),
        true
    ),
    key!("rsa3072.pkcs1.pem", "pkcs1-pem", "rsa", Some(3072), false),
    key!("rsa3072.pkcs8.pem", "pkcs8-pem", "rsa", Some(3072), false),
    key!("rsa3072.openssh", "openssh", "rsa", Some(3072), false),
    key!("rsa4096.pkcs1.pem", "pkcs1-pem", "rsa", Some(4096), false),
    key!("rsa4096.pkcs8.pem", "pkcs8-pem", "rsa", Some(4096), false),
    key!("rsa4096.openssh", "openssh", "rsa", Some(4096), false),
    key!("rsa1024.pkcs1.pem", "pkcs1-pem", "rsa", Some(1024), false),
    key!("other2048.pkcs1.pem", "pkcs1-pem", "rsa", Some(2048), false),
    key!("other2048.openssh", "openssh", "rsa", Some(2048), false),
    key!("ed25519.openssh", "openssh", "ed25519", None, false),
    key!("ed25519.pkcs8.pem", "pkcs8-pem", "ed25519", None, false),
    key!("ed25519.ppk3", "ppk3", "ed25519", None, false),
    key!("ecdsa-p256.openssh", "openssh", "ecdsa", None, false),
    key!("ecdsa-p256.sec1.pem", "sec1-pem", "ecdsa", None, false),
    key!("ecdsa-p256.pkcs8.pem", "pkcs8-pem", "ecdsa", None, false),
    key!("dsa.openssl.pem", "openssl-dsa-pem", "dsa", None, false),
    key!("dsa.pkcs8.pem", "pkcs8-pem", "dsa", None, false),
    key!("dsa.openssh", "openssh", "dsa", None, false),
];

/// The RSA keys whose ciphertexts are in the fixtures (`other2048` is the "wrong key").
pub fn rsa_keys() -> impl Iterator<Item = &'static KeyFixture> {
    KEYS.iter()
        .filter(|k| k.algorithm == "rsa" && k.file.starts_with("rsa"))
}

pub const PASSPHRASE: &str = fixture!("passphrase.txt");
pub const WRONG_PASSPHRASE: &str = "wrong passphrase";
pub const PASSWORD: &str = fixture!("password.txt");
pub const UNICODE_PASSWORD: &str = fixture!("unicode-password.txt");

/// The ciphertext of `PASSWORD` for each RSA size, made by `openssl pkeyutl -encrypt`.
pub fn ciphertext(bits: usize) -> &'static str {
    match bits {
        1024 => fixture!("rsa1024.ciphertext.b64"),
        2048 => fixture!("rsa2048.ciphertext.b64"),
        3072 => fixture!("rsa3072.ciphertext.b64"),
        4096 => fixture!("rsa4096.ciphertext.b64"),
        _ => unreachable!("no ciphertext for {bits} bits"),
    }
}

pub const CIPHERTEXT_2048_WRAPPED: &str = fixture!("rsa2048.ciphertext-wrapped.b64");
pub const CIPHERTEXT_2048_UNICODE: &str = fixture!("rsa2048-unicode.ciphertext.b64");
pub const CIPHERTEXT_2048_INVALID_UTF8: &str = fixture!("rsa2048-invalid-utf8.ciphertext.b64");
pub const CIPHERTEXT_2048_EMPTY: &str = fixture!("rsa2048-empty.ciphertext.b64");

/// `ssh-keygen -l` SHA256 and MD5 fingerprints (first and second line) for each RSA size.
pub fn fingerprints(bits: usize) -> Option<(&'static str, &'static str)> {
    let text = match bits {
        2048 => fixture!("rsa2048.fingerprints.txt"),
        3072 => fixture!("rsa3072.fingerprints.txt"),
        4096 => fixture!("rsa4096.fingerprints.txt"),
        _ => return None,
    };
    let mut lines = text.lines();
    Some((lines.next()?, lines.next()?))
}

pub const OTHER_2048: &str = fixture!("other2048.pkcs1.pem");
pub const PUBLIC_KEY_2048: &str = fixture!("rsa2048.pub");
pub const CERTIFICATE: &str = fixture!("certificate.pem");

/// Published vectors: (name, key PEM, ciphertext, password). See tests/fixtures/published/README.md.
pub const PUBLISHED: &[(&str, &str, &str, &str)] = &[
    (
        "horizon",
        fixture!("published/horizon.key.pem"),
        fixture!("published/horizon.ciphertext.b64"),
        fixture!("published/horizon.password.txt"),
    ),
    (
        "horizon, key on one line as in the JavaScript source",
        fixture!("published/horizon.key.as-published.txt"),
        fixture!("published/horizon.ciphertext.b64"),
        fixture!("published/horizon.password.txt"),
    ),
    (
        "gophercloud",
        fixture!("published/gophercloud.key.pem"),
        fixture!("published/gophercloud.ciphertext.b64"),
        fixture!("published/gophercloud.password.txt"),
    ),
];

/// Horizon's negative vector: a key cut down until it no longer parses.
pub const HORIZON_FAKE_KEY: &str = fixture!("published/horizon.fake-key.pem");

/// Intact encrypted PKCS#8 keys in schemes the tool does not read: (file, the scheme's name as the
/// error gives it, whether the advice names OpenSSL's legacy provider).
pub const UNSUPPORTED_SCHEMES: &[(&str, &str, bool, &[u8])] = &[
    (
        "rsa2048.pkcs8-pkcs12-sha1-rc2-40.pem",
        "PKCS#12 pbewithSHAAnd40BitRC2-CBC",
        true,
        include_bytes!("../fixtures/rsa2048.pkcs8-pkcs12-sha1-rc2-40.pem"),
    ),
    (
        "rsa2048.pkcs8-pbes1-md5-des.pem",
        "PBES1 pbeWithMD5AndDES-CBC",
        true,
        include_bytes!("../fixtures/rsa2048.pkcs8-pbes1-md5-des.pem"),
    ),
    (
        "rsa2048.pkcs8-pbes2-rc2cbc.pem",
        "PBES2 (PBKDF2 with HMAC-SHA256, RC2-CBC)",
        true,
        include_bytes!("../fixtures/rsa2048.pkcs8-pbes2-rc2cbc.pem"),
    ),
    (
        "rsa2048.pkcs8-pbes2-rc2cbc.der",
        "PBES2 (PBKDF2 with HMAC-SHA256, RC2-CBC)",
        true,
        include_bytes!("../fixtures/rsa2048.pkcs8-pbes2-rc2cbc.der"),
    ),
    (
        "rsa2048.pkcs8-pbes2-camellia256cbc.pem",
        "PBES2 (PBKDF2 with HMAC-SHA256, Camellia-256-CBC)",
        false,
        include_bytes!("../fixtures/rsa2048.pkcs8-pbes2-camellia256cbc.pem"),
    ),
    (
        "rsa2048.pkcs8-pbkdf2-sha512-256-aes256cbc.pem",
        "PBES2 (PBKDF2 with HMAC-SHA512/256, AES-256-CBC)",
        false,
        include_bytes!("../fixtures/rsa2048.pkcs8-pbkdf2-sha512-256-aes256cbc.pem"),
    ),
];
