//! From the `password` field of the os-server-password API to the Windows password.
//!
//! The guest agent (cloudbase-init) encrypts the password with RSA PKCS#1 v1.5 to the server's
//! key pair and posts it base64-encoded (ECS API reference, "Obtaining the Password for Logging In
//! to an ECS"; openstack/nova `api-ref/source/os-server-password.inc`). We decode leniently (line
//! breaks, spaces, a pasted JSON response), tell a wrong key from a damaged ciphertext by the
//! block size, and decrypt with blinding.

use crate::error::{Error, Result};
use crate::key::PrivateKey;
use crate::message::Message;
use base64ct::{Base64, Base64Unpadded, Encoding};
use rsa::traits::PaddingScheme;
use rsa::Pkcs1v15Encrypt;
use zeroize::Zeroizing;

/// RSA modulus sizes in bytes that key pairs are made with. A ciphertext of one of these lengths
/// that differs from the key's size was made for another key; any other length is damage.
const RSA_BLOCK_SIZES: [usize; 8] = [64, 128, 192, 256, 384, 512, 768, 1024];

/// Decrypts `ciphertext` (base64, as the API returns it) with `key`.
///
/// Accepts line breaks and spaces inside the base64, and a whole JSON response such as
/// `{"password": "..."}`. An empty value means the server has not posted a password yet.
pub fn decrypt_password(key: &PrivateKey, ciphertext: &str) -> Result<Zeroizing<String>> {
    let block = decode_ciphertext(ciphertext)?;
    let key_size = key.size_bytes();
    if block.len() != key_size {
        return Err(if RSA_BLOCK_SIZES.contains(&block.len()) {
            Error::wrong_key_size(block.len() * 8, key.info().bits)
        } else {
            Error::ciphertext_malformed(
                Message::new("ciphertext-detail-size")
                    .with("bytes", block.len())
                    .with("bits", key.info().bits)
                    .with("expected", key_size),
            )
        });
    }
    let plain = Pkcs1v15Encrypt
        .decrypt(Some(&mut getrandom::SysRng), key.rsa(), &block)
        .map_err(|_| Error::wrong_key())?;
    match String::from_utf8(plain) {
        Ok(password) => {
            let password = Zeroizing::new(password);
            if password.is_empty() {
                return Err(Error::plaintext_empty());
            }
            Ok(password)
        }
        Err(not_utf8) => {
            // The rejected bytes are secret too.
            zeroize::Zeroize::zeroize(&mut not_utf8.into_bytes());
            Err(Error::plaintext_invalid())
        }
    }
}

/// Base64 (padded or not, with any whitespace) or a JSON object with a `password` field.
fn decode_ciphertext(input: &str) -> Result<Vec<u8>> {
    let input = input.trim_start_matches('\u{feff}').trim();
    let field;
    let value = if input.starts_with('{') {
        field = password_field(input)?;
        field.as_str()
    } else {
        input.trim_matches('"')
    };
    let compact: String = value.chars().filter(|c| !c.is_whitespace()).collect();
    if compact.is_empty() {
        return Err(Error::password_not_available());
    }
    if let Some(bad) = compact
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=')))
    {
        let shown = if bad.is_ascii_graphic() {
            format!("'{bad}'")
        } else {
            format!("U+{:04X}", bad as u32)
        };
        return Err(Error::ciphertext_malformed(
            Message::new("ciphertext-detail-character").with("character", shown),
        ));
    }
    Base64::decode_vec(&compact)
        .or_else(|_| Base64Unpadded::decode_vec(&compact))
        .map_err(|_| Error::ciphertext_malformed(Message::new("ciphertext-detail-incomplete")))
}

/// The `password` field of a pasted API response; a missing field means "not posted yet".
fn password_field(json: &str) -> Result<String> {
    #[derive(serde::Deserialize)]
    struct Response {
        password: Option<String>,
    }
    serde_json::from_str::<Response>(json)
        .map(|r| r.password.unwrap_or_default())
        .map_err(|_| Error::ciphertext_malformed(Message::new("ciphertext-detail-json")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;

    #[test]
    fn whitespace_and_json_are_accepted() {
        assert_eq!(
            decode_ciphertext(" QUJD\r\nREVG ").ok(),
            Some(b"ABCDEF".to_vec())
        );
        assert_eq!(
            decode_ciphertext("{\"password\": \"QUJD\"}").ok(),
            Some(b"ABC".to_vec())
        );
        assert_eq!(decode_ciphertext("QUI").ok(), Some(b"AB".to_vec()));
    }

    #[test]
    fn empty_means_not_available() {
        for input in ["", "  \n", "{\"password\": \"\"}", "{}", "\"\""] {
            assert_eq!(
                decode_ciphertext(input).map_err(|e| e.code()),
                Err(ErrorCode::PasswordNotAvailable),
                "{input:?}"
            );
        }
    }

    #[test]
    fn non_base64_is_malformed() {
        for input in ["abc$", "QUJD-", "{\"pass", "Q"] {
            assert_eq!(
                decode_ciphertext(input).map_err(|e| e.code()),
                Err(ErrorCode::CiphertextMalformed),
                "{input:?}"
            );
        }
    }
}
