//! A key pair's public half, as the cloud stores it (one `ssh-rsa AAAA... comment` line), and the
//! one thing the guest agent does with it: encrypt the new password (cloudbase-init,
//! RSA PKCS#1 v1.5). The product only decrypts; this side exists for the emulated cloud and for
//! tests that make ciphertexts the way a real server does.

use super::fingerprint::Fingerprints;
use crate::error::{Error, Result};
use crate::message::Message;
use base64ct::{Base64, Encoding};
use rsa::traits::{PaddingScheme, PublicKeyParts};
use rsa::Pkcs1v15Encrypt;

/// An RSA public key read from an OpenSSH public key line.
#[derive(Clone, Debug)]
pub struct PublicKey {
    key: rsa::RsaPublicKey,
    /// Modulus size in bits.
    pub bits: usize,
    /// `SHA256:<base64>`, as `ssh-keygen -l` prints it.
    pub fingerprint_sha256: String,
    /// MD5 colon-hex, as key pair APIs return it.
    pub fingerprint_md5: String,
    /// The `ssh-rsa AAAA...` line, normalised.
    pub openssh: String,
}

impl PublicKey {
    /// Reads `ssh-rsa AAAA... [comment]`. Other key types get `KEY_NOT_RSA`.
    pub fn from_openssh(line: &str) -> Result<PublicKey> {
        let parsed = ssh_key::PublicKey::from_openssh(line.trim()).map_err(|_| {
            Error::key_malformed("OpenSSH public key", Message::new("key-detail-public-line"))
        })?;
        let rsa = parsed
            .key_data()
            .rsa()
            .ok_or_else(|| Error::not_rsa(parsed.algorithm().as_str()))?;
        let key = rsa::RsaPublicKey::try_from(rsa).map_err(|_| {
            Error::key_malformed(
                "OpenSSH public key",
                Message::new("key-detail-public-numbers"),
            )
        })?;
        let comment = Some(AsRef::<str>::as_ref(parsed.comment())).filter(|c| !c.is_empty());
        let fingerprints = Fingerprints::of(&key, comment)?;
        Ok(PublicKey {
            bits: key.n().bits() as usize,
            key,
            fingerprint_sha256: fingerprints.sha256,
            fingerprint_md5: fingerprints.md5,
            openssh: fingerprints.openssh,
        })
    }

    /// What the guest agent posts: `password` encrypted with RSA PKCS#1 v1.5 (random padding from
    /// the operating system), base64 without line breaks.
    pub fn encrypt_password(&self, password: &str) -> Result<String> {
        let block = Pkcs1v15Encrypt
            .encrypt(&mut getrandom::SysRng, &self.key, password.as_bytes())
            .map_err(|_| {
                Error::new(
                    crate::ErrorCode::PlaintextInvalid,
                    Message::new("password-too-long-for-key").with("bits", self.bits),
                )
            })?;
        Ok(Base64::encode_string(&block))
    }
}
