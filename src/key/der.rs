//! PKCS#1 and PKCS#8 (plain and PBES2-encrypted), as PEM bodies or raw DER.

use super::{pbe, text, KeyFormat, Loaded};
use crate::error::{Error, Result};
use crate::message::Message;
use pkcs8::der::Decode;
use pkcs8::pkcs5;
use pkcs8::{EncryptedPrivateKeyInfoRef, ObjectIdentifier, PrivateKeyInfoRef};
use rsa::pkcs1::DecodeRsaPrivateKey;
use rsa::pkcs8::DecodePrivateKey;
use rsa::RsaPrivateKey;
use zeroize::Zeroizing;

const RSA_ENCRYPTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const RSASSA_PSS: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.10");
const EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const ED25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.112");
const ED448: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.113");
const X25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.110");
const DSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10040.4.1");

/// The most memory a scrypt-protected key may ask for (its table, `128 * r * N`; its `p` lanes,
/// `128 * r * p`, are bounded by the same figure). OpenSSL's default is 16 MiB; a file that asks
/// for more than this is refused instead of exhausting the browser tab.
const SCRYPT_MAX_MEMORY: u64 = 256 * 1024 * 1024;
/// The most work a scrypt-protected key may ask for, in bytes mixed (`128 * N * r * p`): four
/// times the largest memory, i.e. `p` up to 4 at the largest `N * r`. OpenSSL's default is 16 MiB.
const SCRYPT_MAX_WORK: u64 = 4 * SCRYPT_MAX_MEMORY;
/// PBKDF2 rounds above this would keep a browser busy for minutes: refuse them.
const PBKDF2_MAX_ITERATIONS: u32 = 10_000_000;

/// A PEM block holding PKCS#8 (plain or encrypted).
pub(super) fn load_pem_body(
    text: &str,
    format: KeyFormat,
    passphrase: Option<&[u8]>,
) -> Result<Loaded> {
    let label = match format {
        KeyFormat::Pkcs8EncryptedPem => "ENCRYPTED PRIVATE KEY",
        _ => "PRIVATE KEY",
    };
    let block = text::pem_block(text, label, format.description())?;
    let der = Zeroizing::new(block.into_contents());
    match format {
        KeyFormat::Pkcs8EncryptedPem => load_encrypted_pkcs8(&der, format, passphrase),
        _ => load_pkcs8(&der, format, false),
    }
}

/// Raw DER: PKCS#8, encrypted PKCS#8 or PKCS#1, told apart by their ASN.1 structure.
pub(super) fn load_der(der: &[u8], passphrase: Option<&[u8]>) -> Result<Loaded> {
    if PrivateKeyInfoRef::from_der(der).is_ok() {
        return load_pkcs8(der, KeyFormat::Pkcs8Der, false);
    }
    // Any EncryptedPrivateKeyInfo, also with a scheme that `pkcs5` does not model.
    if pbe::parse(der).is_some() || pbe::looks_encrypted(der) {
        return load_encrypted_pkcs8(der, KeyFormat::Pkcs8EncryptedDer, passphrase);
    }
    if pkcs1::RsaPrivateKey::from_der(der).is_ok() {
        return load_pkcs1(der, KeyFormat::Pkcs1Der, false);
    }
    if is_pkcs12(der) {
        return Err(Error::unsupported(Message::new("key-unsupported-pkcs12")));
    }
    Err(Error::not_a_key())
}

/// RSAPrivateKey DER, from a `BEGIN RSA PRIVATE KEY` body or a raw file.
pub(super) fn load_pkcs1(der: &[u8], format: KeyFormat, encrypted: bool) -> Result<Loaded> {
    let key = RsaPrivateKey::from_pkcs1_der(der).map_err(|_| {
        Error::key_malformed(
            format.description(),
            Message::new("key-detail-rsa-structure"),
        )
    })?;
    checked(key, format, encrypted)
}

/// PrivateKeyInfo DER: refuses other algorithms by name.
fn load_pkcs8(der: &[u8], format: KeyFormat, encrypted: bool) -> Result<Loaded> {
    let info = PrivateKeyInfoRef::from_der(der).map_err(|_| {
        Error::key_malformed(
            format.description(),
            Message::new("key-detail-pkcs8-structure"),
        )
    })?;
    let oid = info.algorithm.oid;
    if oid != RSA_ENCRYPTION {
        return Err(not_rsa_oid(oid));
    }
    let key = RsaPrivateKey::from_pkcs8_der(der).map_err(|_| {
        Error::key_malformed(format.description(), Message::new("key-detail-rsa-inside"))
    })?;
    checked(key, format, encrypted)
}

fn load_encrypted_pkcs8(
    der: &[u8],
    format: KeyFormat,
    passphrase: Option<&[u8]>,
) -> Result<Loaded> {
    let desc = format.description();
    let Some(raw) = pbe::parse(der) else {
        return Err(Error::key_malformed(
            desc,
            Message::new("key-detail-encrypted-pkcs8-structure"),
        ));
    };
    let Ok(info) = EncryptedPrivateKeyInfoRef::from_der(der) else {
        // Well-formed, with a scheme that `pkcs5` does not model.
        if !raw.is_pkcs12_des() {
            return Err(raw.unsupported(desc));
        }
        let Some(passphrase) = passphrase else {
            return Err(Error::passphrase_required(desc));
        };
        return match raw.decrypt_pkcs12_des(passphrase, PBKDF2_MAX_ITERATIONS, desc)? {
            Some(plain) => unlocked(&plain, format),
            None => Err(Error::wrong_passphrase(desc)),
        };
    };
    if info.encryption_algorithm.pbes2().is_none() {
        // PBES1: `pkcs5` decodes its identifiers but decrypts none of them.
        return Err(raw.unsupported(desc));
    }
    check_kdf_cost(&info.encryption_algorithm)?;
    let Some(passphrase) = passphrase else {
        return Err(Error::passphrase_required(desc));
    };
    let plain = info.decrypt(passphrase).map_err(|e| match e {
        pkcs8::Error::EncryptedPrivateKey(pkcs5::Error::AlgorithmParametersInvalid { .. })
        | pkcs8::Error::EncryptedPrivateKey(pkcs5::Error::UnsupportedAlgorithm { .. }) => {
            raw.unsupported(desc)
        }
        // A wrong passphrase fails the CBC padding check (or, rarely, yields garbage DER).
        _ => Error::wrong_passphrase(desc),
    })?;
    unlocked(plain.as_bytes(), format)
}

/// The decrypted PrivateKeyInfo; garbage that passed the padding check by chance is still a wrong
/// passphrase.
fn unlocked(plain: &[u8], format: KeyFormat) -> Result<Loaded> {
    match PrivateKeyInfoRef::from_der(plain) {
        Ok(_) => load_pkcs8(plain, format, true),
        Err(_) => Err(Error::wrong_passphrase(format.description())),
    }
}

/// Refuses key-derivation parameters that would exhaust memory or time before trying them.
fn check_kdf_cost(scheme: &pkcs5::EncryptionScheme) -> Result<()> {
    let Some(params) = scheme.pbes2() else {
        return Ok(());
    };
    if let Some(scrypt) = params.kdf.scrypt() {
        // scrypt holds a table of N blocks of 128 * r bytes and p lanes of one block each, and
        // mixes each lane through the whole table: work 128 * r * N * p.
        let (n, r, p) = (
            scrypt.cost_parameter,
            u64::from(scrypt.block_size),
            u64::from(scrypt.parallelization),
        );
        let block = 128u64.saturating_mul(r);
        let memory = block.saturating_mul(n.max(p));
        let work = block.saturating_mul(n).saturating_mul(p);
        if memory > SCRYPT_MAX_MEMORY {
            return Err(Error::unsupported(
                Message::new("key-unsupported-scrypt-memory").with("mib", memory / (1024 * 1024)),
            ));
        }
        if work > SCRYPT_MAX_WORK {
            return Err(Error::unsupported(
                Message::new("key-unsupported-scrypt-work")
                    .with("n", n)
                    .with("r", r)
                    .with("p", p),
            ));
        }
    }
    if let Some(pbkdf2) = params.kdf.pbkdf2() {
        if pbkdf2.iteration_count > PBKDF2_MAX_ITERATIONS {
            return Err(Error::unsupported(
                Message::new("key-unsupported-pbkdf2-iterations")
                    .with("iterations", pbkdf2.iteration_count),
            ));
        }
    }
    Ok(())
}

/// Checks the key's internal consistency, so that a damaged file says so instead of "wrong key".
pub(super) fn checked(key: RsaPrivateKey, format: KeyFormat, encrypted: bool) -> Result<Loaded> {
    key.validate().map_err(|_| {
        Error::key_malformed(
            format.description(),
            Message::new("key-detail-rsa-inconsistent"),
        )
    })?;
    Ok(Loaded {
        key,
        format,
        encrypted,
        comment: None,
    })
}

fn not_rsa_oid(oid: ObjectIdentifier) -> Error {
    let name = match oid {
        ED25519 => "Ed25519",
        ED448 => "Ed448",
        X25519 => "X25519",
        EC_PUBLIC_KEY => "ECDSA",
        DSA => "DSA",
        RSASSA_PSS => return Error::unsupported(Message::new("key-unsupported-rsa-pss")),
        _ => return Error::not_rsa_other(),
    };
    Error::not_rsa(name)
}

/// PFX: `SEQUENCE { INTEGER 3, SEQUENCE { OID pkcs7-data, ... } ... }`.
fn is_pkcs12(der: &[u8]) -> bool {
    const PKCS7_DATA: &[u8] = &[
        0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01,
    ];
    der.get(..16)
        .is_some_and(|head| head.windows(3).any(|w| w == [0x02, 0x01, 0x03]))
        && der
            .get(..32)
            .is_some_and(|head| head.windows(PKCS7_DATA.len()).any(|w| w == PKCS7_DATA))
}
