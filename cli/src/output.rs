//! Printing results and errors, as text or as JSON, and choosing the exit code.

use ecs_password::error::CloudDetails;
use ecs_password::{ErrorCode, KeyInfo};
use std::path::Path;
use std::process::ExitCode;

/// An error of the command line: a library error, or one of the CLI's own codes.
#[derive(Debug)]
pub struct CliError {
    pub code: &'static str,
    pub message: String,
    /// What the cloud answered, for API errors.
    pub cloud: Option<CloudDetails>,
}

impl CliError {
    pub fn new(code: &'static str, message: String) -> Self {
        CliError {
            code,
            message,
            cloud: None,
        }
    }

    pub fn usage(message: String) -> Self {
        CliError {
            code: "USAGE",
            message: message.trim_end().to_owned(),
            cloud: None,
        }
    }

    pub fn unreadable(what: &str, path: &Path, error: &std::io::Error) -> Self {
        CliError {
            code: "FILE_UNREADABLE",
            message: format!("Cannot read the {what} from {}: {error}.", path.display()),
            cloud: None,
        }
    }
}

impl From<ecs_password::Error> for CliError {
    fn from(e: ecs_password::Error) -> Self {
        CliError {
            code: e.code().as_str(),
            message: e.message().to_owned(),
            cloud: e.cloud_details().cloned(),
        }
    }
}

impl From<ErrorCode> for CliError {
    fn from(code: ErrorCode) -> Self {
        CliError {
            code: code.as_str(),
            message: "The cloud's answer was not the one expected for this command.".into(),
            cloud: None,
        }
    }
}

pub struct Output {
    pub json: bool,
}

impl Output {
    pub fn password(&self, password: &str) -> ExitCode {
        if self.json {
            println!("{}", serde_json::json!({ "password": password }));
        } else {
            println!("{password}");
        }
        ExitCode::SUCCESS
    }

    /// One named value: `{"name": value}` in JSON, the value alone in text.
    pub fn value<T: serde::Serialize + std::fmt::Display>(
        &self,
        name: &str,
        value: &T,
    ) -> ExitCode {
        if self.json {
            println!("{}", serde_json::json!({ name: value }));
        } else {
            println!("{value}");
        }
        ExitCode::SUCCESS
    }

    pub fn key_info(&self, info: &KeyInfo) -> ExitCode {
        if self.json {
            println!("{}", serde_json::to_string(info).unwrap_or_default());
        } else {
            let encrypted = if info.encrypted {
                ", passphrase-protected"
            } else {
                ""
            };
            println!("Type:        RSA {} bits", info.bits);
            println!("Format:      {}{encrypted}", info.format.description());
            println!("Fingerprint: {}", info.fingerprint_sha256);
            println!("MD5:         {}", info.fingerprint_md5);
            if let Some(comment) = &info.comment {
                println!("Comment:     {comment}");
            }
            println!("Public key:  {}", info.public_key_openssh);
        }
        ExitCode::SUCCESS
    }

    pub fn fail(&self, error: &CliError) -> ExitCode {
        if self.json {
            let mut body = serde_json::json!({ "code": error.code, "message": error.message });
            if let Some(cloud) = &error.cloud {
                body["cloud"] = serde_json::to_value(cloud).unwrap_or_default();
            }
            println!("{}", serde_json::json!({ "error": body }));
        } else {
            eprintln!("error[{}]: {}", error.code, error.message);
            if let Some(cloud) = &error.cloud {
                let said = [cloud.cloud_code.as_deref(), cloud.cloud_message.as_deref()]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(": ");
                if !said.is_empty() {
                    eprintln!("  the cloud said: {said}");
                }
                if let Some(id) = &cloud.request_id {
                    eprintln!("  request id: {id}");
                }
            }
        }
        ExitCode::FAILURE
    }
}
