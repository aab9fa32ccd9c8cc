//! The export module for JavaScript: a KeePass KDBX 4 file of passwords, encrypted with a master
//! password, or a plain CSV, built by the same code as the CLI's `get --kdbx` and `--csv` (the
//! `ecs-password-export` crate). Loaded only when the user exports, in its own worker
//! (www/export-worker.js).
//!
//! Passwords and the master password may come as `Uint8Array` (wiped once read) or strings; every
//! copy on the Rust side is `Zeroizing`, and the zeroizing global allocator wipes every freed heap
//! block, so after a call the module's memory holds no password. Errors are `Error` objects with a
//! stable `code` (`KDBX_FAILED`), or a `TypeError` for input of the wrong shape.

use ecs_password_export::{csv, kdbx, Entry};
use ecs_password_wasm_common::{secret_bytes, to_js};
use js_sys::{Array, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use zeroize::Zeroizing;

#[global_allocator]
static ALLOCATOR: zeroizing_alloc::ZeroAlloc<std::alloc::System> =
    zeroizing_alloc::ZeroAlloc(std::alloc::System);

/// The most entries one file takes (a fleet is hundreds of servers), and the longest field in
/// characters: bounds on what a caller can make the module hold.
pub const MAX_ENTRIES: u32 = 10_000;
pub const MAX_FIELD_CHARS: u32 = 64 * 1024;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r#"
/**
 * One entry of the KeePass file or of the CSV. Without a `username`, it is a server's entry, made
 * as the CLI makes it: the user "Administrator", the server id (then required) in the custom
 * field and in the notes.
 */
export interface ExportEntry {
  title: string;
  username?: string;
  /** A Uint8Array (UTF-8) is wiped once read. */
  password: string | Uint8Array;
  url?: string;
  notes?: string;
  /** Kept as the custom field "Server ID". */
  serverId?: string;
}
"#;

/// A KeePass KDBX 4 file (Argon2id 64 MiB, AES-256) of `entries`, encrypted with
/// `masterPassword` (not empty). Takes a second or two: the key derivation is meant to be slow.
#[wasm_bindgen(js_name = exportKdbx)]
pub fn export_kdbx(
    #[wasm_bindgen(unchecked_param_type = "ExportEntry[]")] entries: JsValue,
    #[wasm_bindgen(js_name = masterPassword, unchecked_param_type = "Uint8Array | string")]
    master_password: JsValue,
) -> Result<Uint8Array, JsValue> {
    // Read (and wipe) the master password first, whatever else fails.
    let master = utf8(
        secret_bytes(&master_password, "masterPassword")?,
        "masterPassword",
    )?;
    let entries = read_entries(&entries)?;
    let bytes = Zeroizing::new(kdbx(&entries, &master).map_err(to_js)?);
    Ok(Uint8Array::from(bytes.as_slice()))
}

/// A plain, UNENCRYPTED CSV (UTF-8) of `entries`: RFC 4180, a header, every cell quoted, names
/// guarded against formula injection, passwords exact (`ecs_password_export::csv`). The caller
/// warns the user first. Passwords given as `Uint8Array` are wiped once read.
#[wasm_bindgen(js_name = exportCsv)]
pub fn export_csv(
    #[wasm_bindgen(unchecked_param_type = "ExportEntry[]")] entries: JsValue,
) -> Result<Uint8Array, JsValue> {
    let entries = read_entries(&entries)?;
    let text = csv(&entries);
    Ok(Uint8Array::from(text.as_bytes()))
}

fn read_entries(value: &JsValue) -> Result<Vec<Entry>, JsValue> {
    let Some(array) = value.dyn_ref::<Array>() else {
        return Err(type_error("entries must be an array"));
    };
    if array.length() > MAX_ENTRIES {
        return Err(type_error(&format!(
            "entries has {} items: at most {MAX_ENTRIES} go in one file",
            array.length()
        )));
    }
    let mut entries = Vec::with_capacity(array.length() as usize);
    // Every password is read (and its array wiped) even when an earlier entry is refused.
    let mut first_error = None;
    for (i, item) in array.iter().enumerate() {
        match read_entry(&item, i) {
            Ok(entry) => entries.push(entry),
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    match first_error {
        Some(e) => Err(e),
        None => Ok(entries),
    }
}

fn read_entry(item: &JsValue, i: usize) -> Result<Entry, JsValue> {
    if !item.is_object() {
        return Err(type_error(&format!("entries[{i}] must be an object")));
    }
    let get =
        |name: &str| Reflect::get(item, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED);
    let password = get("password");
    let password = if password.is_undefined() {
        Err(type_error(&format!("entries[{i}].password is missing")))
    } else {
        secret_bytes(&password, &format!("entries[{i}].password"))
            .and_then(|b| utf8(b, &format!("entries[{i}].password")))
    };
    let text = |name: &str, required: bool| -> Result<Option<String>, JsValue> {
        let value = get(name);
        if value.is_undefined() || value.is_null() {
            return if required {
                Err(type_error(&format!("entries[{i}].{name} is missing")))
            } else {
                Ok(None)
            };
        }
        let Some(text) = value.as_string() else {
            return Err(type_error(&format!("entries[{i}].{name} must be a string")));
        };
        if text.chars().count() > MAX_FIELD_CHARS as usize {
            return Err(type_error(&format!(
                "entries[{i}].{name} is longer than {MAX_FIELD_CHARS} characters"
            )));
        }
        Ok(Some(text))
    };
    let password = password?;
    if password.chars().count() > MAX_FIELD_CHARS as usize {
        return Err(type_error(&format!(
            "entries[{i}].password is longer than {MAX_FIELD_CHARS} characters"
        )));
    }
    let title = text("title", true)?.unwrap_or_default();
    let server_id = text("serverId", false)?;
    match (text("username", false)?, server_id) {
        // A server's entry: one home for its fields, the export crate (the CLI makes it so too).
        (None, Some(id)) => Ok(Entry::server(title, id, password)),
        (None, None) => Err(type_error(&format!(
            "entries[{i}].username is missing (or give serverId for a server's entry)"
        ))),
        (Some(username), server_id) => Ok(Entry {
            title,
            username,
            password,
            url: text("url", false)?,
            notes: text("notes", false)?,
            server_id,
        }),
    }
}

/// The bytes as text; the bytes are wiped either way.
fn utf8(bytes: Zeroizing<Vec<u8>>, name: &str) -> Result<Zeroizing<String>, JsValue> {
    match std::str::from_utf8(&bytes) {
        Ok(text) => Ok(Zeroizing::new(text.to_owned())),
        Err(_) => Err(type_error(&format!("{name} is not UTF-8"))),
    }
}

fn type_error(message: &str) -> JsValue {
    js_sys::TypeError::new(message).into()
}
