//! Loading a private key from whatever file the user has.
//!
//! [`PrivateKey::load`] takes the raw bytes of a file (or pasted text) and an optional passphrase,
//! finds out which container it is, unlocks it, and returns the RSA key together with
//! [`KeyInfo`]: the public facts a user needs to match the file to a server's key pair.
//! Each container lives in its own module; this one only recognises and dispatches.

mod der;
mod fingerprint;
mod legacy;
mod pbe;
mod public;
mod ssh;
mod text;

pub use public::PublicKey;

use crate::error::{Error, Result};
use crate::message::Message;
use core::fmt;
use rsa::traits::PublicKeyParts;
use rsa::RsaPrivateKey;
use zeroize::Zeroizing;

/// The container a key was read from. The `as_str` names are stable (JSON, JavaScript, CLI).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify))]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum KeyFormat {
    /// `BEGIN RSA PRIVATE KEY` (RFC 8017 RSAPrivateKey).
    Pkcs1Pem,
    /// RSAPrivateKey as raw DER.
    Pkcs1Der,
    /// `BEGIN PRIVATE KEY` (RFC 5208 PrivateKeyInfo).
    Pkcs8Pem,
    /// PrivateKeyInfo as raw DER.
    Pkcs8Der,
    /// `BEGIN ENCRYPTED PRIVATE KEY` (PBES2).
    Pkcs8EncryptedPem,
    /// EncryptedPrivateKeyInfo as raw DER.
    Pkcs8EncryptedDer,
    /// OpenSSL's traditional encrypted PEM (`Proc-Type: 4,ENCRYPTED`, `DEK-Info`).
    OpensslLegacyPem,
    /// `BEGIN OPENSSH PRIVATE KEY` (ssh-keygen's default since OpenSSH 7.8).
    Openssh,
    /// PuTTY `.ppk` version 2.
    Ppk2,
    /// PuTTY `.ppk` version 3 (PuTTY 0.75 and later).
    Ppk3,
    /// `BEGIN EC PRIVATE KEY` (SEC1): recognised so that it can be refused by name.
    Sec1Pem,
    /// `BEGIN DSA PRIVATE KEY`: recognised so that it can be refused by name.
    OpensslDsaPem,
}

impl KeyFormat {
    /// Stable name, e.g. `"pkcs8-encrypted-pem"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            KeyFormat::Pkcs1Pem => "pkcs1-pem",
            KeyFormat::Pkcs1Der => "pkcs1-der",
            KeyFormat::Pkcs8Pem => "pkcs8-pem",
            KeyFormat::Pkcs8Der => "pkcs8-der",
            KeyFormat::Pkcs8EncryptedPem => "pkcs8-encrypted-pem",
            KeyFormat::Pkcs8EncryptedDer => "pkcs8-encrypted-der",
            KeyFormat::OpensslLegacyPem => "openssl-legacy-pem",
            KeyFormat::Openssh => "openssh",
            KeyFormat::Ppk2 => "ppk2",
            KeyFormat::Ppk3 => "ppk3",
            KeyFormat::Sec1Pem => "sec1-pem",
            KeyFormat::OpensslDsaPem => "openssl-dsa-pem",
        }
    }

    /// How a person would name the format in a sentence.
    pub const fn description(self) -> &'static str {
        match self {
            KeyFormat::Pkcs1Pem => "PKCS#1 PEM",
            KeyFormat::Pkcs1Der => "PKCS#1 DER",
            KeyFormat::Pkcs8Pem => "PKCS#8 PEM",
            KeyFormat::Pkcs8Der => "PKCS#8 DER",
            KeyFormat::Pkcs8EncryptedPem => "encrypted PKCS#8 PEM",
            KeyFormat::Pkcs8EncryptedDer => "encrypted PKCS#8 DER",
            KeyFormat::OpensslLegacyPem => "OpenSSL encrypted PEM",
            KeyFormat::Openssh => "OpenSSH",
            KeyFormat::Ppk2 => "PuTTY .ppk (version 2)",
            KeyFormat::Ppk3 => "PuTTY .ppk (version 3)",
            KeyFormat::Sec1Pem => "SEC1 EC PEM",
            KeyFormat::OpensslDsaPem => "OpenSSL DSA PEM",
        }
    }
}

impl fmt::Display for KeyFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.description())
    }
}

/// Public facts about a loaded key: safe to show, log and send anywhere.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
// The bindings hand it over JSON-compatible: an absent comment arrives as `null`.
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "camelCase")]
pub struct KeyInfo {
    /// Always `"rsa"` for a key that loads (other algorithms are refused with `KEY_NOT_RSA`).
    pub algorithm: &'static str,
    /// Modulus size in bits, e.g. 2048.
    pub bits: usize,
    /// The container the key was read from.
    pub format: KeyFormat,
    /// Whether the file was protected by a passphrase.
    pub encrypted: bool,
    /// `SHA256:<base64>` of the OpenSSH public key blob, exactly as `ssh-keygen -l` prints it.
    pub fingerprint_sha256: String,
    /// MD5 of the same blob as colon-separated hex: what key pair lists of OpenStack clouds show.
    pub fingerprint_md5: String,
    /// The public key as one `ssh-rsa AAAA...` line, to compare with the cloud's key pair.
    pub public_key_openssh: String,
    /// The key's comment (OpenSSH and PuTTY files carry one), if any.
    pub comment: Option<String>,
}

/// An RSA private key ready to decrypt, with its public facts.
///
/// Its `Debug` output shows only [`KeyInfo`]; the key material is wiped when it is dropped
/// (the `rsa` crate zeroizes its private parts).
pub struct PrivateKey {
    key: RsaPrivateKey,
    info: KeyInfo,
}

impl fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PrivateKey")
            .field("info", &self.info)
            .finish_non_exhaustive()
    }
}

/// What a container parser hands back: the RSA key plus what only the container knows.
pub(crate) struct Loaded {
    pub key: RsaPrivateKey,
    pub format: KeyFormat,
    pub encrypted: bool,
    pub comment: Option<String>,
}

impl PrivateKey {
    /// Reads a private key from a file's bytes or pasted text.
    ///
    /// Tolerates a UTF-8 byte order mark, CRLF line ends, surrounding whitespace, text before the
    /// PEM block and a missing final newline. `passphrase` is only used for encrypted files; an
    /// encrypted file without one fails with `PASSPHRASE_REQUIRED`.
    pub fn load(input: &[u8], passphrase: Option<&[u8]>) -> Result<PrivateKey> {
        let loaded = match text::classify(input)? {
            text::Input::Der(der) => der::load_der(der, passphrase)?,
            text::Input::Text(text) => load_text(&text, passphrase)?,
        };
        PrivateKey::from_loaded(loaded)
    }

    fn from_loaded(loaded: Loaded) -> Result<PrivateKey> {
        let public = loaded.key.to_public_key();
        let fingerprints = fingerprint::Fingerprints::of(&public, loaded.comment.as_deref())?;
        let info = KeyInfo {
            algorithm: "rsa",
            bits: public.n().bits() as usize,
            format: loaded.format,
            encrypted: loaded.encrypted,
            fingerprint_sha256: fingerprints.sha256,
            fingerprint_md5: fingerprints.md5,
            public_key_openssh: fingerprints.openssh,
            comment: loaded.comment.filter(|c| !c.is_empty()),
        };
        Ok(PrivateKey {
            key: loaded.key,
            info,
        })
    }

    /// The key's public facts.
    pub fn info(&self) -> &KeyInfo {
        &self.info
    }

    /// The modulus size in bytes: the length of every ciphertext made for this key.
    pub fn size_bytes(&self) -> usize {
        self.key.size()
    }

    pub(crate) fn rsa(&self) -> &RsaPrivateKey {
        &self.key
    }
}

/// Dispatches on the text's first marker: a PuTTY header, a PEM label, or an OpenSSH public key.
fn load_text(text: &Zeroizing<String>, passphrase: Option<&[u8]>) -> Result<Loaded> {
    if text.starts_with("PuTTY-User-Key-File-") {
        return ssh::load_ppk(text, passphrase);
    }
    if let Some(label) = text::pem_label(text) {
        return match label.as_str() {
            "RSA PRIVATE KEY" => legacy::load_pkcs1_pem(text, passphrase),
            "PRIVATE KEY" => der::load_pem_body(text, KeyFormat::Pkcs8Pem, passphrase),
            "ENCRYPTED PRIVATE KEY" => {
                der::load_pem_body(text, KeyFormat::Pkcs8EncryptedPem, passphrase)
            }
            "OPENSSH PRIVATE KEY" => ssh::load_openssh(text, passphrase),
            "EC PRIVATE KEY" => Err(Error::not_rsa("ECDSA")),
            "DSA PRIVATE KEY" => Err(Error::not_rsa("DSA")),
            "PUBLIC KEY" | "RSA PUBLIC KEY" | "SSH2 PUBLIC KEY" => Err(public_key_given()),
            "CERTIFICATE" | "TRUSTED CERTIFICATE" | "X509 CERTIFICATE" => Err(Error::unsupported(
                Message::new("key-unsupported-certificate"),
            )),
            "PGP PRIVATE KEY BLOCK" => Err(Error::unsupported(Message::new("key-unsupported-pgp"))),
            other => Err(Error::unsupported(
                Message::new("key-unsupported-pem-label").with("label", text::printable(other)),
            )),
        };
    }
    if text::looks_like_openssh_public_key(text) {
        return Err(public_key_given());
    }
    if let Some(der) = text::bare_base64(text) {
        // A PEM body pasted without its BEGIN/END lines.
        return der::load_der(&der, passphrase);
    }
    Err(Error::not_a_key())
}

fn public_key_given() -> Error {
    Error::unsupported(Message::new("key-unsupported-public-key"))
}
