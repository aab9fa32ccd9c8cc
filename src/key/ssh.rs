//! OpenSSH (`BEGIN OPENSSH PRIVATE KEY`) and PuTTY `.ppk` v2/v3 files, read by RustCrypto's
//! `ssh-key`. This module only checks what the files claim before unlocking them (algorithm,
//! version, memory cost) and maps `ssh-key`'s errors to ours.

use super::{der, KeyFormat, Loaded};
use crate::error::{Error, Result};
use crate::message::Message;
use ssh_key::private::KeypairData;
use ssh_key::Algorithm;

/// The most memory a `.ppk` v3 file may ask Argon2 for (PuTTY's default is 8 MiB).
const ARGON2_MAX_MEMORY_KIB: u64 = 256 * 1024;
/// The most Argon2 work a `.ppk` v3 file may ask for, memory times passes, in KiB: 4 GiB, e.g.
/// 16 passes over 256 MiB or 512 over 8 MiB (PuTTYgen's default is 8 MiB for about 100 ms).
const ARGON2_MAX_WORK_KIB: u64 = 16 * ARGON2_MAX_MEMORY_KIB;
/// The most bcrypt-pbkdf rounds an OpenSSH key may ask for (ssh-keygen's default is 16; its
/// manual suggests 100 for stronger protection).
const BCRYPT_MAX_ROUNDS: u32 = 1000;

pub(super) fn load_openssh(text: &str, passphrase: Option<&[u8]>) -> Result<Loaded> {
    let format = KeyFormat::Openssh;
    let key = ssh_key::PrivateKey::from_openssh(text).map_err(|e| match e {
        ssh_key::Error::AlgorithmUnknown | ssh_key::Error::AlgorithmUnsupported { .. } => {
            Error::not_rsa_other()
        }
        _ => Error::key_malformed(
            format.description(),
            Message::new("key-detail-openssh-structure"),
        ),
    })?;
    // The public half is stored in clear: refuse other algorithms before asking for a passphrase.
    refuse_non_rsa(&key.algorithm())?;
    let encrypted = key.is_encrypted();
    if let ssh_key::Kdf::Bcrypt { rounds, .. } = key.kdf() {
        if *rounds > BCRYPT_MAX_ROUNDS {
            return Err(Error::unsupported(
                Message::new("key-unsupported-bcrypt-rounds").with("rounds", *rounds),
            ));
        }
    }
    let key = if encrypted {
        let Some(passphrase) = passphrase else {
            return Err(Error::passphrase_required(format.description()));
        };
        key.decrypt(passphrase).map_err(|e| match e {
            ssh_key::Error::AlgorithmUnsupported { .. } | ssh_key::Error::AlgorithmUnknown => {
                Error::unsupported(
                    Message::new("key-unsupported-openssh-cipher")
                        .with("cipher", key.cipher().as_str()),
                )
            }
            // A wrong passphrase fails the check integers or the AEAD tag.
            _ => Error::wrong_passphrase(format.description()),
        })?
    } else {
        key
    };
    to_loaded(
        key.key_data(),
        key.comment().as_str_lossy(),
        format,
        encrypted,
    )
}

pub(super) fn load_ppk(text: &str, passphrase: Option<&[u8]>) -> Result<Loaded> {
    let header = text.lines().next().unwrap_or_default();
    let (version, algorithm) = header
        .strip_prefix("PuTTY-User-Key-File-")
        .and_then(|rest| rest.split_once(':'))
        .map(|(v, a)| (v.trim(), a.trim()))
        .unwrap_or_default();
    let format = match version {
        "2" => KeyFormat::Ppk2,
        "3" => KeyFormat::Ppk3,
        "1" => return Err(Error::unsupported(Message::new("key-unsupported-ppk1"))),
        _ => {
            return Err(Error::key_malformed(
                "PuTTY .ppk",
                Message::new("key-detail-ppk-header"),
            ))
        }
    };
    if let Ok(algorithm) = Algorithm::new(algorithm) {
        refuse_non_rsa(&algorithm)?;
    } else {
        return Err(Error::not_rsa_other());
    }
    let value = |name: &str| {
        text.lines().find_map(|l| {
            l.strip_prefix(name)
                .and_then(|l| l.strip_prefix(':'))
                .map(str::trim)
        })
    };
    let encrypted = value("Encryption").is_some_and(|e| e != "none");
    // The largest of a header's values: a file may repeat a header, and `ssh-key` reads the last.
    let number = |name: &str| -> Result<Option<u64>> {
        let mut largest = None;
        for v in text.lines().filter_map(|l| {
            l.strip_prefix(name)
                .and_then(|l| l.strip_prefix(':'))
                .map(str::trim)
        }) {
            let v: u64 = v.parse().map_err(|_| {
                Error::key_malformed(
                    format.description(),
                    Message::new("key-detail-not-a-number").with("name", name),
                )
            })?;
            largest = largest.max(Some(v));
        }
        Ok(largest)
    };
    if let Some(memory) = number("Argon2-Memory")? {
        if memory > ARGON2_MAX_MEMORY_KIB {
            return Err(Error::unsupported(
                Message::new("key-unsupported-argon2-memory").with("mib", memory / 1024),
            ));
        }
        let passes = number("Argon2-Passes")?.unwrap_or(1);
        if memory.saturating_mul(passes) > ARGON2_MAX_WORK_KIB {
            return Err(Error::unsupported(
                Message::new("key-unsupported-argon2-work")
                    .with("passes", passes)
                    .with("mib", memory / 1024),
            ));
        }
    }
    let passphrase = match (encrypted, passphrase) {
        (true, None) => return Err(Error::passphrase_required(format.description())),
        (true, Some(p)) => Some(match core::str::from_utf8(p) {
            Ok(p) => p.to_owned(),
            Err(_) => return Err(Error::wrong_passphrase(format.description())),
        }),
        (false, _) => None,
    };
    let key = ssh_key::PrivateKey::from_ppk(text, passphrase).map_err(|e| {
        let mac_failed =
            matches!(&e, ssh_key::Error::Ppk(inner) if inner.to_string() == "incorrect MAC");
        match (mac_failed, encrypted) {
            (true, true) => Error::wrong_passphrase(format.description()),
            (true, false) => {
                Error::key_malformed(format.description(), Message::new("key-detail-ppk-mac"))
            }
            _ => Error::key_malformed(
                format.description(),
                Message::new("key-detail-ppk-structure"),
            ),
        }
    })?;
    to_loaded(
        key.key_data(),
        key.comment().as_str_lossy(),
        format,
        encrypted,
    )
}

fn refuse_non_rsa(algorithm: &Algorithm) -> Result<()> {
    match algorithm {
        Algorithm::Rsa { .. } => Ok(()),
        Algorithm::Ed25519 => Err(Error::not_rsa("Ed25519")),
        Algorithm::Ecdsa { .. } => Err(Error::not_rsa("ECDSA")),
        Algorithm::Dsa => Err(Error::not_rsa("DSA")),
        Algorithm::SkEd25519 | Algorithm::SkEcdsaSha2NistP256 => {
            Err(Error::not_rsa("FIDO security key"))
        }
        _ => Err(Error::not_rsa_other()),
    }
}

fn to_loaded(
    data: &KeypairData,
    comment: &str,
    format: KeyFormat,
    encrypted: bool,
) -> Result<Loaded> {
    let Some(rsa) = data.rsa() else {
        return Err(Error::key_malformed(
            format.description(),
            Message::new("key-detail-not-rsa-pair"),
        ));
    };
    let key = rsa::RsaPrivateKey::try_from(rsa).map_err(|_| {
        Error::key_malformed(
            format.description(),
            Message::new("key-detail-rsa-inconsistent"),
        )
    })?;
    let mut loaded = der::checked(key, format, encrypted)?;
    loaded.comment = Some(comment.to_owned());
    Ok(loaded)
}
