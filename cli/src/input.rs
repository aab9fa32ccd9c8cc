//! Where the CLI's secrets and ciphertext come from: files, standard input, the environment and
//! the terminal. Everything read here that is secret is `Zeroizing`.

use crate::output::CliError;
use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};
use zeroize::Zeroizing;

/// The variable the passphrase may come from (for scripts; a file or the prompt is safer).
pub const PASSPHRASE_VAR: &str = "ECS_PASSWORD_PASSPHRASE";

pub fn read_secret_file(path: &Path, what: &str) -> Result<Zeroizing<Vec<u8>>, CliError> {
    std::fs::read(path)
        .map(Zeroizing::new)
        .map_err(|e| CliError::unreadable(what, path, &e))
}

/// The ciphertext from the argument, a file, or standard input (`-`, or nothing and a pipe).
pub fn ciphertext(arg: Option<String>, file: Option<PathBuf>) -> Result<String, CliError> {
    let from_stdin = || {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| CliError::unreadable("ciphertext", Path::new("standard input"), &e))?;
        Ok(text)
    };
    match (arg, file) {
        (Some(arg), _) if arg == "-" => from_stdin(),
        (Some(arg), _) => Ok(arg),
        (None, Some(path)) => {
            let bytes = std::fs::read(&path).map_err(|e| CliError::unreadable("ciphertext", &path, &e))?;
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

/// A text file that is not secret (grants, policies).
pub fn read_text_file(path: &Path, what: &str) -> Result<String, CliError> {
    std::fs::read_to_string(path).map_err(|e| CliError::unreadable(what, path, &e))
}

/// The first line of a secret file (a passphrase, a new password).
pub fn first_line_secret(path: &Path, what: &str) -> Result<Zeroizing<String>, CliError> {
    let bytes = read_secret_file(path, what)?;
    let text = Zeroizing::new(String::from_utf8_lossy(&bytes).into_owned());
    Ok(Zeroizing::new(
        text.split(['\n', '\r'])
            .next()
            .unwrap_or_default()
            .to_owned(),
    ))
}
