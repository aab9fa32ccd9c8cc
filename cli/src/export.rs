//! Where `get` for many servers also puts the passwords: a KeePass KDBX 4 file encrypted with a
//! master password (written by the `keepass` crate), or, asked for explicitly, a plain CSV file.
//! The files are created empty and owner-only before the first request (a file that cannot be
//! made should not cost the run) and filled at the end; a run that ends before removes them.

use crate::cloud::GetArgs;
use crate::input;
use crate::output::{self, CliError};
use ecs_password_export::Entry;
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use zeroize::Zeroizing;

/// A reserved output file.
struct Reserved {
    path: PathBuf,
    file: Option<File>,
}

/// The exports asked for, and the passwords gathered for them.
pub struct Exports {
    kdbx: Option<(Reserved, Zeroizing<String>)>,
    csv: Option<Reserved>,
    entries: Vec<Entry>,
}

/// How many times the master password may be mistyped on the terminal.
const PROMPTS: usize = 3;

impl Exports {
    /// Reads the master password and reserves the files of `--kdbx` and `--csv`.
    pub fn open(args: &GetArgs) -> Result<Exports, CliError> {
        let mut exports = Exports {
            kdbx: None,
            csv: None,
            entries: Vec::new(),
        };
        if let Some(path) = &args.kdbx {
            let master = master_password(path, args.kdbx_password_file.as_deref())?;
            exports.kdbx = Some((reserve(path, "KeePass file")?, master));
        }
        if let Some(path) = &args.csv {
            output::note(&format!(
                "warning: --csv writes the passwords UNENCRYPTED to {}: anyone who can read that file has them. Import it, then delete it.",
                path.display()
            ));
            exports.csv = Some(reserve(path, "CSV file")?);
        }
        Ok(exports)
    }

    /// Whether any export was asked for.
    pub fn any(&self) -> bool {
        self.kdbx.is_some() || self.csv.is_some()
    }

    pub fn add(&mut self, entry: Entry) {
        self.entries.push(entry);
    }

    /// Writes the files; one line per file to tell the user.
    pub fn write(&mut self) -> Result<Vec<String>, CliError> {
        let mut notes = Vec::new();
        let count = self.entries.len();
        let plural = if count == 1 { "password" } else { "passwords" };
        if let Some((reserved, master)) = &mut self.kdbx {
            let bytes = ecs_password_export::kdbx(&self.entries, master)?;
            reserved.fill(&bytes, "KeePass file")?;
            notes.push(format!(
                "{count} {plural} written to {} (KeePass KDBX 4).",
                reserved.path.display()
            ));
        }
        if let Some(reserved) = &mut self.csv {
            let text = ecs_password_export::csv(&self.entries);
            reserved.fill(text.as_bytes(), "CSV file")?;
            notes.push(format!(
                "{count} {plural} written to {} (plain text: delete it once imported).",
                reserved.path.display()
            ));
        }
        Ok(notes)
    }
}

impl Drop for Exports {
    /// A file never filled (the run ended before) is removed, not left empty.
    fn drop(&mut self) {
        let reserved = self.kdbx.iter().map(|(r, _)| r).chain(self.csv.iter());
        for r in reserved {
            if r.file.is_some() {
                let _ = std::fs::remove_file(&r.path);
            }
        }
    }
}

impl Reserved {
    fn fill(&mut self, bytes: &[u8], what: &str) -> Result<(), CliError> {
        let Some(mut file) = self.file.take() else {
            return Ok(());
        };
        file.write_all(bytes)
            .and_then(|()| file.sync_all())
            .map_err(|e| unwritable(what, &self.path, &e))
    }
}

fn unwritable(what: &str, path: &Path, error: &std::io::Error) -> CliError {
    CliError::new(
        "FILE_UNWRITABLE",
        format!("Cannot write the {what} {}: {error}.", path.display()),
    )
}

/// Creates `path`, new (an existing file is never overwritten) and readable by its owner only.
fn reserve(path: &Path, what: &str) -> Result<Reserved, CliError> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let file = options.open(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            CliError::new(
                "FILE_UNWRITABLE",
                format!(
                    "The {what} {} already exists: name a new file (it is never overwritten).",
                    path.display()
                ),
            )
        } else {
            unwritable(what, path, &e)
        }
    })?;
    Ok(Reserved {
        path: path.to_owned(),
        file: Some(file),
    })
}

/// The master password: the first line of `file`, else asked twice on the terminal.
fn master_password(kdbx: &Path, file: Option<&Path>) -> Result<Zeroizing<String>, CliError> {
    let empty = || {
        CliError::usage("The KeePass master password is empty: a KeePass file needs one.".into())
    };
    if let Some(file) = file {
        let password = input::first_line_secret(file, "KeePass master password")?;
        return if password.is_empty() {
            Err(empty())
        } else {
            Ok(password)
        };
    }
    if !input::can_prompt() {
        return Err(CliError::usage(
            "--kdbx needs a master password: give --kdbx-password-file FILE (there is no terminal to ask on).".into(),
        ));
    }
    let ask = |prompt: String| {
        rpassword::prompt_password(prompt)
            .map(Zeroizing::new)
            .map_err(|e| CliError::unreadable("master password", Path::new("the terminal"), &e))
    };
    for _ in 0..PROMPTS {
        let first = ask(format!("Master password for {}: ", kdbx.display()))?;
        if first.is_empty() {
            output::note("The master password is empty: a KeePass file needs one.");
            continue;
        }
        let again = ask("The same master password again: ".into())?;
        if *first == *again {
            return Ok(first);
        }
        output::note("The two master passwords differ.");
    }
    Err(CliError::usage(format!(
        "No master password after {PROMPTS} tries: the two entries must match and not be empty."
    )))
}
