//! `ecs-password`: recover a cloud server's Windows password from the command line.
//!
//! Every failure prints a stable code (the library's, plus the command line's own: `USAGE`,
//! `FILE_UNREADABLE`, `INPUT_TOO_LARGE`, `OUTPUT_FAILED`, ...) and exits 1; `--json` prints
//! `{"error": {"code", "message"}}` instead. An output that cannot be written (a closed pipe, a
//! full disk) also ends a command with status 1.

mod check;
mod check_nova;
mod cloud;
mod cloud_config;
mod emulator;
mod export;
mod fleet;
mod guard;
mod hosted;
mod http_transport;
mod input;
mod output;
mod preset;
mod proxy;
mod serve;
mod signin;

use clap::{Args, Parser, Subcommand};
use ecs_password::{decrypt_password, ErrorCode, PrivateKey};
use output::{CliError, Output};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "ecs-password",
    version,
    about = "Recover the Windows password of a Huawei Cloud, Open Telekom Cloud or OpenStack server with your private key."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Decrypt an encrypted password (the "password" field of os-server-password) and print it.
    Decrypt {
        #[command(flatten)]
        key: KeyArgs,
        /// The encrypted password (base64), or "-" to read it from standard input.
        #[arg(conflicts_with = "ciphertext_file")]
        ciphertext: Option<String>,
        /// Read the encrypted password (or the API's whole JSON response) from this file.
        #[arg(long, value_name = "FILE")]
        ciphertext_file: Option<PathBuf>,
        /// Print JSON: {"password": "..."} or {"error": {"code": "...", "message": "..."}}.
        #[arg(long)]
        json: bool,
    },
    /// Serve the standalone page and the wasm package (default http://127.0.0.1:8080/).
    Serve(serve::ServeArgs),
    /// Get a server's password from the cloud: decrypted with --key, else the ciphertext.
    Get(cloud::GetArgs),
    /// Clear the stored encrypted password (the Windows password itself does not change).
    Clear(cloud::CloudArgs),
    /// Reset the password (needs the reset plug-in in the server; takes effect after a restart).
    Reset(cloud::ResetArgs),
    /// Whether the server supports one-click password reset (v1).
    Flag(cloud::CloudArgs),
    /// May this user make this password request? Explains the decision (exit 0 allow, 2 deny, 1 error).
    Check(check::CheckArgs),
    /// Print a private key's type, size, format and fingerprints, to match it to a key pair.
    KeyInfo {
        #[command(flatten)]
        key: KeyArgs,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args)]
struct KeyArgs {
    /// The private key file: PEM (PKCS#1, PKCS#8, encrypted or not), DER, OpenSSH or PuTTY .ppk.
    #[arg(long, value_name = "FILE")]
    key: PathBuf,
    /// Read the key's passphrase from this file (first line). Otherwise ECS_PASSWORD_PASSPHRASE
    /// is used, or it is asked for on the terminal.
    #[arg(long, value_name = "FILE")]
    passphrase_file: Option<PathBuf>,
}

fn main() -> ExitCode {
    let json_requested = std::env::args().any(|a| a == "--json");
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if !e.use_stderr() => {
            // --help and --version: status 1 if they could not be written (a closed pipe).
            return match e.print() {
                Ok(()) => ExitCode::SUCCESS,
                Err(_) => ExitCode::FAILURE,
            };
        }
        Err(e) => {
            let out = Output {
                json: json_requested,
            };
            return out.fail(&CliError::usage(e.render().to_string()));
        }
    };
    match cli.command {
        Command::Decrypt {
            key,
            ciphertext,
            ciphertext_file,
            json,
        } => {
            let out = Output { json };
            match run_decrypt(&key, ciphertext, ciphertext_file) {
                Ok(password) => out.password(&password),
                Err(e) => out.fail(&e),
            }
        }
        Command::Serve(args) => serve::run(&args),
        Command::Get(args) => cloud::get(&args),
        Command::Clear(args) => cloud::clear(&args),
        Command::Reset(args) => cloud::reset(&args),
        Command::Flag(args) => cloud::flag(&args),
        Command::Check(args) => check::run(&args, &Output { json: args.json }),
        Command::KeyInfo { key, json } => {
            let out = Output { json };
            match load_key(&key.key, key.passphrase_file.as_deref()) {
                Ok(key) => out.key_info(key.info()),
                Err(e) => out.fail(&e),
            }
        }
    }
}

fn run_decrypt(
    key: &KeyArgs,
    ciphertext: Option<String>,
    file: Option<PathBuf>,
) -> Result<zeroize::Zeroizing<String>, CliError> {
    // Read the ciphertext first: a missing one should not cost a passphrase prompt.
    let ciphertext = input::ciphertext(ciphertext, file)?;
    let key = load_key(&key.key, key.passphrase_file.as_deref())?;
    Ok(decrypt_password(&key, &ciphertext)?)
}

/// Loads the key, getting a passphrase only if the file turns out to need one.
pub(crate) fn load_key(
    path: &std::path::Path,
    passphrase_file: Option<&std::path::Path>,
) -> Result<PrivateKey, CliError> {
    let bytes = input::read_key_file(path)?;
    let given = input::passphrase(passphrase_file)?;
    if let Some(passphrase) = given {
        return Ok(PrivateKey::load(&bytes, Some(passphrase.as_bytes()))?);
    }
    match PrivateKey::load(&bytes, None) {
        Err(e) if e.code() == ErrorCode::PassphraseRequired && input::can_prompt() => {
            let mut last = e;
            for _ in 0..3 {
                let passphrase = input::prompt_passphrase(path)?;
                match PrivateKey::load(&bytes, Some(passphrase.as_bytes())) {
                    Err(e) if e.code() == ErrorCode::WrongPassphrase => {
                        output::note(&e.english());
                        last = e;
                    }
                    other => return Ok(other?),
                }
            }
            Err(last.into())
        }
        other => Ok(other?),
    }
}
