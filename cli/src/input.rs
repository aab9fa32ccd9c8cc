//! Where the CLI's secrets and ciphertext come from: files, standard input, the environment and
//! the terminal. Everything read here that is secret is `Zeroizing`.

use crate::output::CliError;
use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};
use zeroize::Zeroizing;

/// The variable the passphrase may come from (for scripts; a file or the prompt is safer).
pub const PASSPHRASE_VAR: &str = "ECS_PASSWORD_PASSPHRASE";

/// How much of each input is read (README, "Limits"): a key file (a 16384-bit PuTTY key is
/// about 13 KB) ...
pub const KEY_FILE_CAP: u64 = 1 << 20;
/// ... a passphrase or new-password file (only its first line is used) ...
pub const LINE_FILE_CAP: u64 = 64 << 10;
/// ... the ciphertext, from a file (the API's whole JSON answer is a few hundred bytes) or
/// standard input ...
pub const CIPHERTEXT_CAP: u64 = 64 << 10;
/// ... and a grants, policy or emulator state file.
pub const TEXT_FILE_CAP: u64 = 4 << 20;

/// Reads all of `reader`, but no more than `cap` bytes: one byte more is `INPUT_TOO_LARGE`
/// (a device such as /dev/zero, or a wrong file, never grows memory without limit).
fn read_capped(
    reader: impl Read,
    cap: u64,
    what: &str,
    from: &Path,
) -> Result<Zeroizing<Vec<u8>>, CliError> {
    let mut bytes = Zeroizing::new(Vec::new());
    reader
        .take(cap.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| CliError::unreadable(what, from, &e))?;
    if bytes.len() as u64 > cap {
        return Err(CliError::too_large(what, from, cap));
    }
    Ok(bytes)
}

fn read_file_capped(path: &Path, cap: u64, what: &str) -> Result<Zeroizing<Vec<u8>>, CliError> {
    let file = std::fs::File::open(path).map_err(|e| CliError::unreadable(what, path, &e))?;
    read_capped(file, cap, what, path)
}

/// The private key file, at most [`KEY_FILE_CAP`].
pub fn read_key_file(path: &Path) -> Result<Zeroizing<Vec<u8>>, CliError> {
    read_file_capped(path, KEY_FILE_CAP, "key")
}

/// The ciphertext from the argument, a file, or standard input (`-`, or nothing and a pipe).
pub fn ciphertext(arg: Option<String>, file: Option<PathBuf>) -> Result<String, CliError> {
    let from_stdin = || {
        let bytes = read_capped(
            std::io::stdin().lock(),
            CIPHERTEXT_CAP,
            "ciphertext",
            Path::new("standard input"),
        )?;
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    };
    match (arg, file) {
        (Some(arg), _) if arg == "-" => from_stdin(),
        (Some(arg), _) => Ok(arg),
        (None, Some(path)) => {
            let bytes = read_file_capped(&path, CIPHERTEXT_CAP, "ciphertext")?;
            Ok(String::from_utf8_lossy(&bytes).into_owned())
        }
        (None, None) if !std::io::stdin().is_terminal() => from_stdin(),
        (None, None) => Err(CliError::usage(
            "Give the encrypted password as an argument, with --ciphertext-file FILE, or on standard input (-).".into(),
        )),
    }
}

/// A passphrase given up front: `--passphrase-file` (its first line), else the environment.
pub fn passphrase(file: Option<&Path>) -> Result<Option<Zeroizing<String>>, CliError> {
    if let Some(path) = file {
        return first_line_secret(path, "passphrase").map(Some);
    }
    Ok(std::env::var(PASSPHRASE_VAR).ok().map(Zeroizing::new))
}

/// Whether a passphrase can be asked for: a terminal is attached.
pub fn can_prompt() -> bool {
    std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
}

pub fn prompt_passphrase(key: &Path) -> Result<Zeroizing<String>, CliError> {
    rpassword::prompt_password(format!("Passphrase for {}: ", key.display()))
        .map(Zeroizing::new)
        .map_err(|e| CliError::unreadable("passphrase", Path::new("the terminal"), &e))
}

/// A text file that is not secret (grants, policies, the emulator's state), at most
/// [`TEXT_FILE_CAP`].
pub fn read_text_file(path: &Path, what: &str) -> Result<String, CliError> {
    let mut bytes = read_file_capped(path, TEXT_FILE_CAP, what)?;
    String::from_utf8(std::mem::take(&mut *bytes)).map_err(|_| {
        CliError::unreadable(
            what,
            path,
            &std::io::Error::new(std::io::ErrorKind::InvalidData, "it is not UTF-8 text"),
        )
    })
}

/// The first line of a secret file (a passphrase, a new password), at most [`LINE_FILE_CAP`].
pub fn first_line_secret(path: &Path, what: &str) -> Result<Zeroizing<String>, CliError> {
    let bytes = read_file_capped(path, LINE_FILE_CAP, what)?;
    let text = Zeroizing::new(String::from_utf8_lossy(&bytes).into_owned());
    Ok(Zeroizing::new(
        text.split(['\n', '\r'])
            .next()
            .unwrap_or_default()
            .to_owned(),
    ))
}
