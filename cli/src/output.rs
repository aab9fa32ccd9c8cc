//! Printing results and errors, as text or as JSON, and choosing the exit code.
//!
//! Everything is written with `write!` and its error handled, never with `println!` (which panics
//! when standard output is closed, e.g. `ecs-password ... | head`): an output that cannot be
//! written ends the command with status 1, silently for a closed pipe, with `OUTPUT_FAILED` on
//! standard error otherwise. Text that comes from the cloud passes through [`printable`] on its
//! way out, so that no escape sequence reaches the terminal.

use ecs_password::error::CloudDetails;
use ecs_password::{ErrorCode, KeyInfo};
use serde_json::Value;
use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

/// An error of the command line: a library error, or one of the CLI's own codes.
#[derive(Debug)]
pub struct CliError {
    pub code: &'static str,
    pub message: String,
    /// The library's message as data (`messageId` and `args` in `--json`), for library errors.
    pub data: Option<Box<ecs_password::message::Message>>,
    /// What the cloud answered, for API errors.
    pub cloud: Option<Box<CloudDetails>>,
}

impl CliError {
    pub fn new(code: &'static str, message: String) -> Self {
        CliError {
            code,
            message,
            data: None,
            cloud: None,
        }
    }

    pub fn usage(message: String) -> Self {
        CliError {
            code: "USAGE",
            message: message.trim_end().to_owned(),
            data: None,
            cloud: None,
        }
    }

    pub fn unreadable(what: &str, path: &Path, error: &std::io::Error) -> Self {
        CliError {
            code: "FILE_UNREADABLE",
            message: format!("Cannot read the {what} from {}: {error}.", path.display()),
            data: None,
            cloud: None,
        }
    }

    /// An input longer than the most that is read of it (`cap` bytes, a whole KiB or MiB).
    pub fn too_large(what: &str, path: &Path, cap: u64) -> Self {
        let size = if cap % (1 << 20) == 0 {
            format!("{} MiB", cap >> 20)
        } else {
            format!("{} KiB", cap >> 10)
        };
        CliError {
            code: "INPUT_TOO_LARGE",
            message: format!(
                "The {what} from {} is larger than {size}, the most ecs-password reads of it: check that it is the right file.",
                path.display()
            ),
            data: None,
            cloud: None,
        }
    }
}

impl From<ecs_password::Error> for CliError {
    fn from(e: ecs_password::Error) -> Self {
        CliError {
            code: e.code().as_str(),
            message: e.english(),
            data: Some(Box::new(e.message().clone())),
            cloud: e.cloud_details().cloned().map(Box::new),
        }
    }
}

impl From<ErrorCode> for CliError {
    fn from(code: ErrorCode) -> Self {
        CliError {
            code: code.as_str(),
            message: "The cloud's answer was not the one expected for this command.".into(),
            data: None,
            cloud: None,
        }
    }
}

/// `text` without control characters (C0, DEL and C1: `char::is_control`), the form in which
/// anything the cloud sent (codes, messages, request ids, a ciphertext) is printed: an `ESC [`
/// or `ESC ]` sequence could otherwise recolour, retitle or rewrite the user's terminal.
pub fn printable(text: &str) -> String {
    text.chars().filter(|c| !c.is_control()).collect()
}

/// [`printable`] line by line: for our own messages, whose line breaks are meant.
fn printable_lines(text: &str) -> String {
    text.split('\n')
        .map(printable)
        .collect::<Vec<_>>()
        .join("\n")
}

/// A password as shown on a terminal, if it holds control characters: each one escaped (`\n`,
/// `\r`, `\t`, `\u{1b}`), and a backslash doubled so that the escaped form reads back exactly.
fn escaped_password(password: &str) -> Option<String> {
    if !password.chars().any(char::is_control) {
        return None;
    }
    let mut shown = String::with_capacity(password.len() * 2);
    for c in password.chars() {
        match c {
            '\\' => shown.push_str("\\\\"),
            '\n' => shown.push_str("\\n"),
            '\r' => shown.push_str("\\r"),
            '\t' => shown.push_str("\\t"),
            c if c.is_control() => shown.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            c => shown.push(c),
        }
    }
    Some(shown)
}

/// One JSON document on one line. serde_json escapes U+0000 to U+001F; DEL and the C1 controls
/// (U+0080 to U+009F, among them the one-character CSI, U+009B) are escaped here too, so that
/// the line itself holds no control character while the value stays exact.
fn json_text(value: &Value) -> String {
    let text = value.to_string();
    if !text.chars().any(char::is_control) {
        return text;
    }
    let mut safe = String::with_capacity(text.len() + 12);
    for c in text.chars() {
        if c.is_control() {
            safe.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            safe.push(c);
        }
    }
    safe
}

/// A line on standard error; a failure to write it is ignored (there is nowhere left to say so).
pub fn note(text: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{text}");
}

/// Writes `text` to standard output and flushes it.
fn write_out(text: &str) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()
}

/// The end of a command whose standard output failed: status 1; a closed pipe (the reader has
/// what it wanted, as with `| head`) is not worth a message, anything else is named.
fn output_failed(error: &std::io::Error) -> ExitCode {
    if error.kind() != std::io::ErrorKind::BrokenPipe {
        note(&format!(
            "error[OUTPUT_FAILED]: Cannot write to standard output: {error}."
        ));
    }
    ExitCode::FAILURE
}

pub struct Output {
    pub json: bool,
}

impl Output {
    /// Prints one line (text or JSON) and ends with `status`, or with 1 if it cannot be written.
    fn finish(&self, line: &str, status: ExitCode) -> ExitCode {
        match write_out(&format!("{line}\n")) {
            Ok(()) => status,
            Err(e) => output_failed(&e),
        }
    }

    /// The JSON document or the text, then `status`.
    pub fn either(&self, json: &Value, text: &str, status: ExitCode) -> ExitCode {
        if self.json {
            self.finish(&json_text(json), status)
        } else {
            self.finish(text, status)
        }
    }

    /// A password as text: exact to a pipe or file; on a terminal, with any control character
    /// escaped (and a notice on standard error), so that it cannot act on the terminal.
    fn password_text(password: &str) -> String {
        match escaped_password(password) {
            Some(shown) if std::io::stdout().is_terminal() => {
                note(
                    "note: the password contains control characters; they are shown escaped \
                     (\\n, \\r, \\t, \\u{1b}; a backslash as \\\\). For the exact characters \
                     use --json or send the output to a file or pipe.",
                );
                shown
            }
            _ => password.to_owned(),
        }
    }

    pub fn password(&self, password: &str) -> ExitCode {
        let json = serde_json::json!({ "password": password });
        self.either(&json, &Self::password_text(password), ExitCode::SUCCESS)
    }

    /// One named value: `{"name": value}` in JSON, the value alone in text.
    pub fn value<T: serde::Serialize + std::fmt::Display>(
        &self,
        name: &str,
        value: &T,
    ) -> ExitCode {
        let json = serde_json::json!({ name: value });
        self.either(&json, &value.to_string(), ExitCode::SUCCESS)
    }

    /// Delivers a new password before the request that sets it: a password that could not be
    /// printed is never set. Text: the password's line. JSON: the opening of
    /// `{"password": ..., "reset": ...}`, which [`Output::finish_delivered`] completes.
    pub fn deliver_first(&self, password: &str) -> Result<(), ExitCode> {
        let text = if self.json {
            let whole = json_text(&serde_json::json!({ "password": password }));
            format!("{},", whole.strip_suffix('}').unwrap_or(&whole))
        } else {
            format!("{}\n", Self::password_text(password))
        };
        write_out(&text).map_err(|e| output_failed(&e))
    }

    /// After [`Output::deliver_first`]: whether the password was set.
    pub fn finish_delivered(&self, result: Result<(), CliError>) -> ExitCode {
        match (result, self.json) {
            (Ok(()), true) => self.finish("\"reset\":true}", ExitCode::SUCCESS),
            (Ok(()), false) => ExitCode::SUCCESS,
            (Err(e), true) => {
                let line = format!("\"reset\":false,\"error\":{}}}", json_text(&error_json(&e)));
                self.finish(&line, ExitCode::FAILURE)
            }
            (Err(mut e), false) => {
                e.message
                    .push_str(" The password printed above was not set.");
                self.fail(&e)
            }
        }
    }

    pub fn key_info(&self, info: &KeyInfo) -> ExitCode {
        let json = serde_json::to_value(info).unwrap_or_default();
        let encrypted = if info.encrypted {
            ", passphrase-protected"
        } else {
            ""
        };
        let mut text = format!(
            "Type:        RSA {} bits\nFormat:      {}{encrypted}\nFingerprint: {}\nMD5:         {}\n",
            info.bits,
            info.format.description(),
            info.fingerprint_sha256,
            info.fingerprint_md5
        );
        if let Some(comment) = &info.comment {
            text.push_str(&format!("Comment:     {}\n", printable(comment)));
        }
        text.push_str(&format!("Public key:  {}", info.public_key_openssh));
        self.either(&json, &text, ExitCode::SUCCESS)
    }

    pub fn fail(&self, error: &CliError) -> ExitCode {
        if self.json {
            let line = json_text(&serde_json::json!({ "error": error_json(error) }));
            return self.finish(&line, ExitCode::FAILURE);
        }
        let mut text = format!("error[{}]: {}", error.code, printable_lines(&error.message));
        if let Some(cloud) = &error.cloud {
            let said = [cloud.cloud_code.as_deref(), cloud.cloud_message.as_deref()]
                .into_iter()
                .flatten()
                .map(printable)
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(": ");
            if !said.is_empty() {
                text.push_str(&format!("\n  the cloud said: {said}"));
            }
            if let Some(id) = &cloud.request_id {
                text.push_str(&format!("\n  request id: {}", printable(id)));
            }
        }
        note(&text);
        ExitCode::FAILURE
    }
}

/// One JSON document as a line of standard output (`get`'s JSON Lines), flushed.
pub fn write_line(value: &Value) -> std::io::Result<()> {
    write_out(&format!("{}\n", json_text(value)))
}

/// The `{"code", "message", "cloud"}` of an error in JSON, cloud text made [`printable`].
pub fn error_json(error: &CliError) -> Value {
    let mut body = serde_json::json!({
        "code": error.code,
        "message": printable_lines(&error.message),
    });
    if let Some(data) = &error.data {
        if let Ok(Value::Object(fields)) = serde_json::to_value(data) {
            if let Some(b) = body.as_object_mut() {
                b.extend(fields);
            }
        }
    }
    if let Some(cloud) = &error.cloud {
        let clean = |s: &Option<String>| s.as_deref().map(printable);
        let cloud = CloudDetails {
            status: cloud.status,
            cloud_code: clean(&cloud.cloud_code),
            cloud_message: clean(&cloud.cloud_message),
            request_id: clean(&cloud.request_id),
        };
        body["cloud"] = serde_json::to_value(cloud).unwrap_or_default();
    }
    body
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_read_back_exactly() {
        assert_eq!(escaped_password("plain\\"), None);
        assert_eq!(
            escaped_password("a\u{1b}[2J\\n\n\u{9b}").as_deref(),
            Some("a\\u{1b}[2J\\\\n\\n\\u{9b}")
        );
        assert_eq!(printable("re\u{1b}]0;x\u{7}q\u{9b}1\r\n"), "re]0;xq1");
        let v = serde_json::json!({ "p": "\u{1b}\u{7f}\u{9b}é" });
        assert_eq!(json_text(&v), r#"{"p":"\u001b\u007f\u009bé"}"#);
        let back: Value = serde_json::from_str(&json_text(&v)).unwrap_or_default();
        assert_eq!(back, v);
    }
}
