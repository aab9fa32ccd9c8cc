//! The files of an export: entries in, bytes out. One home for the CLI (`get --kdbx`, `--csv`) and
//! the browser's export module (bindings/export), so both write the same files:
//! - [`kdbx`]: a KeePass KDBX 4 file written by the `keepass` crate (Argon2id as KeePassXC's
//!   defaults, AES-256 outside and ChaCha20 for the protected fields, the crate's defaults);
//! - [`csv`]: a plain CSV (RFC 4180) with OWASP's formula-injection guard on everything but the
//!   password.
//!
//! No I/O: the caller stores the bytes.

use ecs_password::Error;
use keepass::config::KdfConfig;
use keepass::db::fields;
use keepass::{Database, DatabaseKey};
use zeroize::Zeroizing;

/// The custom field of an entry that holds the server id.
pub const SERVER_ID_FIELD: &str = "Server ID";

/// The name of the database and of its root group.
pub const DATABASE_NAME: &str = "ecs-password";

/// One entry of the file. `Debug` is not derived: the password must not be printed.
#[derive(Default)]
pub struct Entry {
    pub title: String,
    pub username: String,
    pub password: Zeroizing<String>,
    pub url: Option<String>,
    pub notes: Option<String>,
    /// Kept as the custom field "Server ID" (KeePass, KeePassXC and Bitwarden import it).
    pub server_id: Option<String>,
}

/// The user of a server's entry: the Windows account the guest sets the password of
/// (Cloudbase-Init's default on Huawei Cloud and OTC images).
pub const WINDOWS_USER: &str = "Administrator";

impl Entry {
    /// The entry of one server's password, the same whether the CLI or the page exports it:
    /// titled by the server's name (or its id), the user `Administrator`, the server id in the
    /// custom field and in the notes (a CSV has no column for it).
    pub fn server(title: String, server_id: String, password: Zeroizing<String>) -> Entry {
        Entry {
            title,
            username: WINDOWS_USER.into(),
            password,
            url: None,
            notes: Some(format!("{SERVER_ID_FIELD}: {server_id}")),
            server_id: Some(server_id),
        }
    }
}

/// The key derivation: Argon2id with 64 MiB, as KeePassXC's defaults for KDBX 4 (the `keepass`
/// crate's own default is Argon2d with 1 MiB).
pub const ARGON2_MEMORY_BYTES: u64 = 64 << 20;
pub const ARGON2_ITERATIONS: u64 = 10;
pub const ARGON2_PARALLELISM: u32 = 2;

/// A KDBX 4 file holding `entries`, encrypted with `master` (which must not be empty:
/// `KDBX_FAILED`). The password is a protected field; the others are plain fields.
pub fn kdbx(entries: &[Entry], master: &str) -> Result<Vec<u8>, Error> {
    if master.is_empty() {
        return Err(Error::kdbx_master_empty());
    }
    let mut db = Database::new();
    // Keep the crate's Argon2 version; use Argon2id and KeePassXC's memory.
    if let KdfConfig::Argon2 { version, .. } | KdfConfig::Argon2id { version, .. } =
        db.config.kdf_config.clone()
    {
        db.config.kdf_config = KdfConfig::Argon2id {
            iterations: ARGON2_ITERATIONS,
            memory: ARGON2_MEMORY_BYTES,
            parallelism: ARGON2_PARALLELISM,
            version,
        };
    }
    db.meta.database_name = Some(DATABASE_NAME.into());
    let mut root = db.root_mut();
    root.name = DATABASE_NAME.into();
    for entry in entries {
        let mut e = root.add_entry();
        e.set_unprotected(fields::TITLE, entry.title.as_str());
        e.set_unprotected(fields::USERNAME, entry.username.as_str());
        e.set_protected(fields::PASSWORD, entry.password.as_str());
        if let Some(url) = entry.url.as_deref().filter(|u| !u.is_empty()) {
            e.set_unprotected(fields::URL, url);
        }
        if let Some(notes) = entry.notes.as_deref().filter(|n| !n.is_empty()) {
            e.set_unprotected(fields::NOTES, notes);
        }
        if let Some(id) = entry.server_id.as_deref().filter(|i| !i.is_empty()) {
            e.set_unprotected(SERVER_ID_FIELD, id);
        }
    }
    let mut bytes = Vec::new();
    let saved = db.save(&mut bytes, DatabaseKey::new().with_password(master));
    // The database's copies of the passwords are freed here; the allocator of a wasm module wipes
    // them (bindings/export), and natively they live only as long as this call.
    drop(db);
    saved.map_err(|e| Error::kdbx_failed(&e.to_string()))?;
    Ok(bytes)
}

/// The CSV's columns, in order: what password managers (KeePassXC, Bitwarden, 1Password) map on
/// import. The server id is not a column: the caller puts it in the notes.
pub const CSV_COLUMNS: [&str; 5] = ["title", "username", "password", "url", "notes"];

/// The start of a cell that a spreadsheet would run as a formula (OWASP, "CSV Injection").
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A plain, UNENCRYPTED CSV of `entries` (UTF-8): a header of [`CSV_COLUMNS`], then one row per
/// entry; RFC 4180 with every cell quoted, `"` doubled and CRLF line ends. A cell other than the
/// password that starts with `=`, `+`, `-`, `@`, a tab or a carriage return gets a `'` in front
/// (OWASP's "CSV Injection" advice), so that a spreadsheet does not run a server's name as a
/// formula; passwords are written exactly, since importers take the cell as it is. The text is
/// built in one buffer of its final size, so no partial copy of a password is left behind by a
/// growing buffer, and it is wiped when dropped.
pub fn csv(entries: &[Entry]) -> Zeroizing<String> {
    let header = CSV_COLUMNS.map(|c| (c, true));
    let rows = entries.iter().map(|e| {
        [
            (e.title.as_str(), true),
            (e.username.as_str(), true),
            (e.password.as_str(), false),
            (e.url.as_deref().unwrap_or(""), true),
            (e.notes.as_deref().unwrap_or(""), true),
        ]
    });
    let size = std::iter::once(header)
        .chain(rows.clone())
        .flatten()
        .try_fold(0usize, |sum, (text, _)| {
            // The text, one more per `"`, and at most five: two quotes, the guard, the comma (or
            // its share of the CRLF).
            sum.checked_add(text.len())?
                .checked_add(text.matches('"').count())?
                .checked_add(5)
        });
    let mut out = Zeroizing::new(String::new());
    // Should the size not fit (it cannot for text that is in memory), the buffer grows instead.
    let _ = out.try_reserve_exact(size.unwrap_or(0));
    for row in std::iter::once(header).chain(rows) {
        for (i, (text, guard)) in row.into_iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push('"');
            if guard && text.starts_with(FORMULA_STARTS) {
                out.push('\'');
            }
            for part in text.split_inclusive('"') {
                out.push_str(part);
                if part.ends_with('"') {
                    out.push('"');
                }
            }
            out.push('"');
        }
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use ecs_password::ErrorCode;

    fn entry(title: &str, password: &str) -> Entry {
        Entry {
            title: title.into(),
            username: "Administrator".into(),
            password: Zeroizing::new(password.into()),
            url: Some("https://console.example/ecs".into()),
            notes: Some("note".into()),
            server_id: Some("7c1a5d2e-3b4f-4a6c-8d9e-0f1a2b3c4d01".into()),
        }
    }

    #[test]
    fn the_file_opens_with_its_master_password_only() -> Result<(), Box<dyn std::error::Error>> {
        let bytes = kdbx(
            &[entry("win-2048", "Pa$$w0rd!"), entry("服务器", "密码")],
            "master",
        )?;
        assert_eq!(
            &bytes[..4],
            &[0x03, 0xd9, 0xa2, 0x9a],
            "the KeePass signature"
        );
        let db = Database::open(
            &mut bytes.as_slice(),
            DatabaseKey::new().with_password("master"),
        )?;
        let got: Vec<_> = db
            .root()
            .entries()
            .map(|e| {
                [
                    fields::TITLE,
                    fields::USERNAME,
                    fields::PASSWORD,
                    fields::URL,
                    fields::NOTES,
                    SERVER_ID_FIELD,
                ]
                .map(|f| e.get(f).map(str::to_owned))
            })
            .collect();
        let want = |t: &str, p: &str| {
            [
                t,
                "Administrator",
                p,
                "https://console.example/ecs",
                "note",
                "7c1a5d2e-3b4f-4a6c-8d9e-0f1a2b3c4d01",
            ]
            .map(|s| Some(s.to_owned()))
        };
        assert_eq!(
            got,
            vec![want("win-2048", "Pa$$w0rd!"), want("服务器", "密码")]
        );
        assert!(Database::open(
            &mut bytes.as_slice(),
            DatabaseKey::new().with_password("other")
        )
        .is_err());
        Ok(())
    }

    #[test]
    fn an_empty_master_password_is_refused() {
        let error = kdbx(&[entry("a", "b")], "").err();
        assert_eq!(error.map(|e| e.code()), Some(ErrorCode::KdbxFailed));
    }
}
