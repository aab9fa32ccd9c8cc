//! Encrypted PKCS#8 schemes beyond what the `pkcs5` crate models.
//!
//! `pkcs5` decodes PBES2 with the KDFs, PRFs and ciphers it implements, and the PKCS#5 v1.5 PBES1
//! identifiers; an `EncryptedPrivateKeyInfo` with any other scheme does not decode there at all.
//! Such a file is intact, so it must not be called damaged: this module reads the
//! `EncryptedPrivateKeyInfo` structure generically (RFC 5958 §3), names its scheme from the OIDs
//! (RFC 8018 appendix A and B, RFC 7292 appendix C), and decrypts the one legacy scheme that Java's
//! keytool and older OpenSSL tools write by default, PKCS#12 `pbeWithSHAAnd3-KeyTripleDES-CBC`
//! (and its two-key sibling), whose key derivation is the `pkcs12` crate's (RFC 7292 appendix B).

use super::legacy;
use crate::error::{Error, Result};
use crate::message::Message;
use pkcs8::der::asn1::AnyRef;
use pkcs8::der::{Decode, Reader, SliceReader, Tag, Tagged};
use pkcs8::ObjectIdentifier;
use zeroize::Zeroizing;

const fn oid(s: &str) -> ObjectIdentifier {
    ObjectIdentifier::new_unwrap(s)
}

const PBES2: ObjectIdentifier = oid("1.2.840.113549.1.5.13");
const PBKDF2: ObjectIdentifier = oid("1.2.840.113549.1.5.12");
const PKCS12_PBE_SHA1_3DES: ObjectIdentifier = oid("1.2.840.113549.1.12.1.3");
const PKCS12_PBE_SHA1_2DES: ObjectIdentifier = oid("1.2.840.113549.1.12.1.4");

/// Names of the schemes, KDFs, PRFs and ciphers a key file may name: `(OID, name, legacy)`.
/// `legacy` marks what OpenSSL 3 reads only with its legacy provider loaded.
const NAMES: [(ObjectIdentifier, &str, bool); 37] = [
    // PKCS#5 v1.5 PBES1 (RFC 8018 appendix A.3).
    (
        oid("1.2.840.113549.1.5.1"),
        "PBES1 pbeWithMD2AndDES-CBC",
        true,
    ),
    (
        oid("1.2.840.113549.1.5.4"),
        "PBES1 pbeWithMD2AndRC2-CBC",
        true,
    ),
    (
        oid("1.2.840.113549.1.5.3"),
        "PBES1 pbeWithMD5AndDES-CBC",
        true,
    ),
    (
        oid("1.2.840.113549.1.5.6"),
        "PBES1 pbeWithMD5AndRC2-CBC",
        true,
    ),
    (
        oid("1.2.840.113549.1.5.10"),
        "PBES1 pbeWithSHA1AndDES-CBC",
        true,
    ),
    (
        oid("1.2.840.113549.1.5.11"),
        "PBES1 pbeWithSHA1AndRC2-CBC",
        true,
    ),
    // PKCS#12 PBE (RFC 7292 appendix C).
    (
        oid("1.2.840.113549.1.12.1.1"),
        "PKCS#12 pbeWithSHAAnd128BitRC4",
        true,
    ),
    (
        oid("1.2.840.113549.1.12.1.2"),
        "PKCS#12 pbeWithSHAAnd40BitRC4",
        true,
    ),
    (
        oid("1.2.840.113549.1.12.1.3"),
        "PKCS#12 pbeWithSHAAnd3-KeyTripleDES-CBC",
        false,
    ),
    (
        oid("1.2.840.113549.1.12.1.4"),
        "PKCS#12 pbeWithSHAAnd2-KeyTripleDES-CBC",
        false,
    ),
    (
        oid("1.2.840.113549.1.12.1.5"),
        "PKCS#12 pbeWithSHAAnd128BitRC2-CBC",
        true,
    ),
    (
        oid("1.2.840.113549.1.12.1.6"),
        "PKCS#12 pbewithSHAAnd40BitRC2-CBC",
        true,
    ),
    // PBES2 key derivation functions (RFC 8018 appendix A.2, RFC 7914 §7).
    (oid("1.2.840.113549.1.5.12"), "PBKDF2", false),
    (oid("1.3.6.1.4.1.11591.4.11"), "scrypt", false),
    // PBKDF2 pseudo-random functions (RFC 8018 appendix B.1, RFC 8018 erratum for SHA-512/t).
    (oid("1.2.840.113549.2.7"), "HMAC-SHA1", false),
    (oid("1.2.840.113549.2.8"), "HMAC-SHA224", false),
    (oid("1.2.840.113549.2.9"), "HMAC-SHA256", false),
    (oid("1.2.840.113549.2.10"), "HMAC-SHA384", false),
    (oid("1.2.840.113549.2.11"), "HMAC-SHA512", false),
    (oid("1.2.840.113549.2.12"), "HMAC-SHA512/224", false),
    (oid("1.2.840.113549.2.13"), "HMAC-SHA512/256", false),
    (oid("1.2.840.113549.2.5"), "HMAC-MD5", false),
    (oid("1.2.156.10197.1.401.2"), "HMAC-SM3", false),
    // PBES2 ciphers (RFC 8018 appendix B.2, RFC 3565, RFC 3657, RFC 8998).
    (oid("1.3.14.3.2.7"), "DES-CBC", true),
    (oid("1.2.840.113549.3.7"), "DES-EDE3-CBC", false),
    (oid("1.2.840.113549.3.2"), "RC2-CBC", true),
    (oid("1.2.840.113549.3.9"), "RC5-CBC", true),
    (oid("2.16.840.1.101.3.4.1.2"), "AES-128-CBC", false),
    (oid("2.16.840.1.101.3.4.1.22"), "AES-192-CBC", false),
    (oid("2.16.840.1.101.3.4.1.42"), "AES-256-CBC", false),
    (oid("2.16.840.1.101.3.4.1.6"), "AES-128-GCM", false),
    (oid("2.16.840.1.101.3.4.1.26"), "AES-192-GCM", false),
    (oid("2.16.840.1.101.3.4.1.46"), "AES-256-GCM", false),
    (oid("1.2.392.200011.61.1.1.1.2"), "Camellia-128-CBC", false),
    (oid("1.2.392.200011.61.1.1.1.4"), "Camellia-256-CBC", false),
    (oid("1.3.6.1.4.1.3029.1.2"), "Blowfish-CBC", true),
    (oid("1.2.156.10197.1.104.2"), "SM4-CBC", false),
];

/// The name of an algorithm (or its dotted OID), and whether OpenSSL 3 needs its legacy provider.
fn name_of(id: ObjectIdentifier) -> (String, bool) {
    NAMES
        .iter()
        .find(|(known, _, _)| *known == id)
        .map(|(_, name, legacy)| ((*name).to_owned(), *legacy))
        .unwrap_or_else(|| (format!("an unknown algorithm (OID {id})"), false))
}

/// An `AlgorithmIdentifier`: its OID and its parameters, if any.
#[derive(Clone, Copy)]
struct AlgorithmId<'a> {
    oid: ObjectIdentifier,
    parameters: Option<AnyRef<'a>>,
}

/// An `EncryptedPrivateKeyInfo` read without knowing its scheme.
pub(super) struct Encrypted<'a> {
    algorithm: AlgorithmId<'a>,
    data: &'a [u8],
}

/// The elements of a SEQUENCE, each read as `AnyRef` (one decoder for every shape below keeps the
/// wasm module small).
fn elements(sequence: AnyRef<'_>) -> Option<Vec<AnyRef<'_>>> {
    if sequence.tag() != Tag::Sequence {
        return None;
    }
    let mut reader = SliceReader::new(sequence.value()).ok()?;
    let mut out = Vec::new();
    while !reader.is_finished() {
        out.push(AnyRef::decode(&mut reader).ok()?);
    }
    Some(out)
}

/// `AlgorithmIdentifier ::= SEQUENCE { algorithm OBJECT IDENTIFIER, parameters ANY OPTIONAL }`.
fn algorithm_id(any: AnyRef<'_>) -> Option<AlgorithmId<'_>> {
    match elements(any)?.as_slice() {
        [id, rest @ ..] if id.tag() == Tag::ObjectIdentifier && rest.len() <= 1 => {
            Some(AlgorithmId {
                oid: ObjectIdentifier::from_bytes(id.value()).ok()?,
                parameters: rest.first().copied(),
            })
        }
        _ => None,
    }
}

/// `SEQUENCE { AlgorithmIdentifier, OCTET STRING }`, the whole input; `None` if it is not that.
pub(super) fn parse(der: &[u8]) -> Option<Encrypted<'_>> {
    match elements(AnyRef::from_der(der).ok()?)?.as_slice() {
        [algorithm, data] if data.tag() == Tag::OctetString => Some(Encrypted {
            algorithm: algorithm_id(*algorithm)?,
            data: data.value(),
        }),
        _ => None,
    }
}

/// Whether DER that may be cut short begins like an `EncryptedPrivateKeyInfo`: a SEQUENCE holding
/// a SEQUENCE whose OID is a PKCS#5 (1.2.840.113549.1.5) or PKCS#12 PBE (1.2.840.113549.1.12.1)
/// scheme. A public key's `SubjectPublicKeyInfo` has the same shape with a key algorithm's OID.
pub(super) fn looks_encrypted(der: &[u8]) -> bool {
    /// The contents after one tag-length header of the given tag (the length is not checked).
    fn inside(bytes: &[u8], tag: u8) -> Option<&[u8]> {
        let (&first, rest) = bytes.split_first()?;
        let (&len, rest) = rest.split_first()?;
        if first != tag {
            return None;
        }
        match len {
            0..=0x7f => Some(rest),
            0x81..=0x84 => rest.get(usize::from(len - 0x80)..),
            _ => None,
        }
    }
    const PKCS5: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05];
    const PKCS12_PBE: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x01];
    inside(der, 0x30)
        .and_then(|b| inside(b, 0x30))
        .and_then(|b| inside(b, 0x06))
        .is_some_and(|oid| oid.starts_with(PKCS5) || oid.starts_with(PKCS12_PBE))
}

impl Encrypted<'_> {
    /// Whether this tool decrypts the scheme itself (rather than through `pkcs5`): PKCS#12 PBE
    /// with three- or two-key triple DES.
    pub(super) fn is_pkcs12_des(&self) -> bool {
        [PKCS12_PBE_SHA1_3DES, PKCS12_PBE_SHA1_2DES].contains(&self.algorithm.oid)
    }

    /// The scheme as a person would name it (e.g. "PBES2 (PBKDF2 with HMAC-SHA512/256,
    /// AES-256-CBC)"), and whether OpenSSL 3 reads it only with its legacy provider; `None` for
    /// PBES2 parameters that do not parse.
    fn scheme(&self) -> Option<(String, bool)> {
        if self.algorithm.oid != PBES2 {
            return Some(name_of(self.algorithm.oid));
        }
        let (kdf, cipher) = self.algorithm.parameters.and_then(pbes2_parts)?;
        let (kdf_name, kdf_legacy) = name_of(kdf.oid);
        let kdf_name = match (kdf.oid, kdf.parameters.and_then(pbkdf2_prf)) {
            (PBKDF2, Some(prf)) => format!("{kdf_name} with {}", name_of(prf).0),
            (PBKDF2, None) => format!("{kdf_name} with HMAC-SHA1"),
            _ => kdf_name,
        };
        let (cipher_name, cipher_legacy) = name_of(cipher.oid);
        Some((
            format!("PBES2 ({kdf_name}, {cipher_name})"),
            kdf_legacy || cipher_legacy,
        ))
    }

    /// The error for a scheme this tool does not read: it names the scheme and the command that
    /// re-encrypts the key into one it reads. PBES2 parameters that do not parse are damage.
    pub(super) fn unsupported(&self, format: &str) -> Error {
        match self.scheme() {
            Some((scheme, legacy)) => Error::encryption_unsupported(format, &scheme, legacy),
            None => Error::key_malformed(format, Message::new("key-detail-pbes2-parameters")),
        }
    }

    /// Decrypts PKCS#12 `pbeWithSHAAnd3-KeyTripleDES-CBC` or `pbeWithSHAAnd2-KeyTripleDES-CBC`;
    /// `None` when the padding is wrong (a wrong passphrase, or a passphrase that is not UTF-8 and
    /// so cannot be what was typed).
    pub(super) fn decrypt_pkcs12_des(
        &self,
        passphrase: &[u8],
        max_iterations: u32,
        format: &str,
    ) -> Result<Option<Zeroizing<Vec<u8>>>> {
        use pkcs12::kdf::{derive_key, Pkcs12KeyType};
        let params = self
            .algorithm
            .parameters
            .and_then(pkcs12_params)
            .ok_or_else(|| {
                Error::key_malformed(format, Message::new("key-detail-pkcs12-parameters"))
            })?;
        let (salt, iterations) = params;
        if iterations == 0 || iterations > max_iterations {
            return Err(Error::unsupported(
                Message::new("key-unsupported-pkcs12-iterations").with("iterations", iterations),
            ));
        }
        let Ok(passphrase) = core::str::from_utf8(passphrase) else {
            return Ok(None);
        };
        // The password as `derive_key` takes it (RFC 7292 appendix B.1): UTF-16 big-endian with a
        // two-byte terminator, as OpenSSL converts a UTF-8 passphrase.
        let mut password = Zeroizing::new(Vec::with_capacity(2 * passphrase.len() + 2));
        password.extend(passphrase.encode_utf16().flat_map(u16::to_be_bytes));
        password.extend([0, 0]);
        let rounds = i32::try_from(iterations).unwrap_or(i32::MAX);
        let derive = |kind, len| {
            Zeroizing::new(derive_key::<sha1::Sha1>(&password, salt, kind, rounds, len))
        };
        let three_key = self.algorithm.oid == PKCS12_PBE_SHA1_3DES;
        let key = derive(
            Pkcs12KeyType::EncryptionKey,
            if three_key { 24 } else { 16 },
        );
        let iv = derive(Pkcs12KeyType::Iv, 8);
        let mut buf = Zeroizing::new(self.data.to_vec());
        let decrypted = if three_key {
            legacy::cbc_decrypt::<des::TdesEde3>(&key, &iv, &mut buf)
        } else {
            legacy::cbc_decrypt::<des::TdesEde2>(&key, &iv, &mut buf)
        };
        match decrypted {
            Ok(len) => {
                buf.truncate(len);
                Ok(Some(buf))
            }
            Err(()) => Ok(None),
        }
    }
}

/// `PBES2-params ::= SEQUENCE { keyDerivationFunc AlgorithmIdentifier, encryptionScheme ... }`.
fn pbes2_parts(params: AnyRef<'_>) -> Option<(AlgorithmId<'_>, AlgorithmId<'_>)> {
    match elements(params)?.as_slice() {
        [kdf, cipher] => Some((algorithm_id(*kdf)?, algorithm_id(*cipher)?)),
        _ => None,
    }
}

/// The `prf` of `PBKDF2-params ::= SEQUENCE { salt, iterationCount, keyLength OPTIONAL, prf
/// DEFAULT hmacWithSHA1 }`: the one member that is itself a SEQUENCE after the salt.
fn pbkdf2_prf(params: AnyRef<'_>) -> Option<ObjectIdentifier> {
    let members = elements(params)?;
    let prf = members.iter().skip(1).find(|m| m.tag() == Tag::Sequence)?;
    algorithm_id(*prf).map(|a| a.oid)
}

/// `pkcs-12PbeParams ::= SEQUENCE { salt OCTET STRING, iterations INTEGER }`.
fn pkcs12_params(params: AnyRef<'_>) -> Option<(&[u8], u32)> {
    match elements(params)?.as_slice() {
        [salt, iterations]
            if salt.tag() == Tag::OctetString && iterations.tag() == Tag::Integer =>
        {
            Some((salt.value(), iterations.decode_as::<u32>().ok()?))
        }
        _ => None,
    }
}
