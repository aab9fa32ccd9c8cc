//! `BEGIN RSA PRIVATE KEY`, plain or in OpenSSL's traditional encrypted form:
//!
//! ```text
//! Proc-Type: 4,ENCRYPTED
//! DEK-Info: AES-256-CBC,<hex IV>
//! ```
//!
//! The key is OpenSSL's `EVP_BytesToKey` (MD5, one round, salt = first 8 bytes of the IV), as
//! written in `PEM_do_header`; the body is CBC with PKCS#7 padding. The block ciphers and MD5 are
//! RustCrypto's; only the key stretching loop is composed here.

use super::{der, text, KeyFormat, Loaded};
use crate::error::{Error, Result};
use crate::message::Message;
use cbc::cipher::{block_padding::Pkcs7, BlockCipherDecrypt, BlockModeDecrypt, KeyInit, KeyIvInit};
use md5::{Digest, Md5};
use zeroize::Zeroizing;

/// A `BEGIN RSA PRIVATE KEY` block, encrypted or not.
pub(super) fn load_pkcs1_pem(text: &str, passphrase: Option<&[u8]>) -> Result<Loaded> {
    let block = text::pem_block(text, "RSA PRIVATE KEY", KeyFormat::Pkcs1Pem.description())?;
    let encrypted = block
        .headers()
        .get("Proc-Type")
        .is_some_and(|v| v.contains("ENCRYPTED"));
    if !encrypted {
        let der = Zeroizing::new(block.into_contents());
        return der::load_pkcs1(&der, KeyFormat::Pkcs1Pem, false);
    }
    let format = KeyFormat::OpensslLegacyPem;
    let dek_info = block.headers().get("DEK-Info").ok_or_else(|| {
        Error::key_malformed(
            format.description(),
            Message::new("key-detail-dek-info-missing"),
        )
    })?;
    let (cipher_name, iv_hex) = dek_info.split_once(',').ok_or_else(|| {
        Error::key_malformed(
            format.description(),
            Message::new("key-detail-dek-info-no-iv"),
        )
    })?;
    let cipher = LegacyCipher::from_name(cipher_name.trim())?;
    let iv = base16ct::mixed::decode_vec(iv_hex.trim())
        .ok()
        .filter(|iv| iv.len() == cipher.iv_len())
        .ok_or_else(|| {
            Error::key_malformed(format.description(), Message::new("key-detail-dek-info-iv"))
        })?;
    let Some(passphrase) = passphrase else {
        return Err(Error::passphrase_required(format.description()));
    };
    let key = evp_bytes_to_key(passphrase, &iv[..8], cipher.key_len());
    let mut body = Zeroizing::new(block.into_contents());
    let plain_len = cipher
        .decrypt(&key, &iv, &mut body)
        .map_err(|()| Error::wrong_passphrase(format.description()))?;
    // Garbage that passed the padding check by chance is still a wrong passphrase.
    if pkcs1::RsaPrivateKey::try_from(&body[..plain_len]).is_err() {
        return Err(Error::wrong_passphrase(format.description()));
    }
    der::load_pkcs1(&body[..plain_len], format, true)
}

/// The ciphers OpenSSL wrote into `DEK-Info` for RSA keys (all in CBC mode).
#[derive(Clone, Copy)]
enum LegacyCipher {
    Aes128,
    Aes192,
    Aes256,
    DesEde3,
    Des,
}

impl LegacyCipher {
    fn from_name(name: &str) -> Result<Self> {
        Ok(match name.to_ascii_uppercase().as_str() {
            "AES-128-CBC" => Self::Aes128,
            "AES-192-CBC" => Self::Aes192,
            "AES-256-CBC" => Self::Aes256,
            "DES-EDE3-CBC" => Self::DesEde3,
            "DES-CBC" => Self::Des,
            other => {
                return Err(Error::unsupported(
                    Message::new("key-unsupported-legacy-cipher")
                        .with("cipher", text::printable(other)),
                ))
            }
        })
    }

    fn key_len(self) -> usize {
        match self {
            Self::Aes128 => 16,
            Self::Aes192 | Self::DesEde3 => 24,
            Self::Aes256 => 32,
            Self::Des => 8,
        }
    }

    fn iv_len(self) -> usize {
        match self {
            Self::Aes128 | Self::Aes192 | Self::Aes256 => 16,
            Self::DesEde3 | Self::Des => 8,
        }
    }

    /// Decrypts in place; returns the plaintext length, or `Err` when the padding is wrong.
    fn decrypt(self, key: &[u8], iv: &[u8], buf: &mut [u8]) -> core::result::Result<usize, ()> {
        match self {
            Self::Aes128 => cbc_decrypt::<aes::Aes128>(key, iv, buf),
            Self::Aes192 => cbc_decrypt::<aes::Aes192>(key, iv, buf),
            Self::Aes256 => cbc_decrypt::<aes::Aes256>(key, iv, buf),
            Self::DesEde3 => cbc_decrypt::<des::TdesEde3>(key, iv, buf),
            Self::Des => cbc_decrypt::<des::Des>(key, iv, buf),
        }
    }
}

pub(super) fn cbc_decrypt<C: BlockCipherDecrypt + KeyInit>(
    key: &[u8],
    iv: &[u8],
    buf: &mut [u8],
) -> core::result::Result<usize, ()> {
    let dec = cbc::Decryptor::<C>::new_from_slices(key, iv).map_err(|_| ())?;
    dec.decrypt_padded::<Pkcs7>(buf)
        .map(<[u8]>::len)
        .map_err(|_| ())
}

/// OpenSSL's `EVP_BytesToKey(cipher, EVP_md5(), salt, pass, count = 1)`:
/// `D_1 = MD5(pass || salt)`, `D_i = MD5(D_{i-1} || pass || salt)`, key = `D_1 || D_2 || ...`.
fn evp_bytes_to_key(passphrase: &[u8], salt: &[u8], key_len: usize) -> Zeroizing<Vec<u8>> {
    let mut key = Zeroizing::new(Vec::with_capacity(key_len + 16));
    let mut previous: Option<Zeroizing<[u8; 16]>> = None;
    while key.len() < key_len {
        let mut md5 = Md5::new();
        if let Some(prev) = &previous {
            md5.update(prev.as_slice());
        }
        md5.update(passphrase);
        md5.update(salt);
        let digest = Zeroizing::new(<[u8; 16]>::from(md5.finalize()));
        key.extend_from_slice(digest.as_slice());
        previous = Some(digest);
    }
    key.truncate(key_len);
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reference value from `openssl enc -aes-128-cbc -k pass -S 0102030405060708 -P -md md5`.
    #[test]
    fn evp_bytes_to_key_matches_openssl() {
        let key = evp_bytes_to_key(b"pass", &[1, 2, 3, 4, 5, 6, 7, 8], 16);
        assert_eq!(
            base16ct::upper::encode_string(&key),
            "86A00079BEB5DCA79870668BB0C56A7E"
        );
    }
}
