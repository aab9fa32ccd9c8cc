//! The CSV of an export against its shared fixture (`csv-entries.json`, made by Python's
//! `csv.writer`): the bytes are those the page's `exportCsv` must write too
//! (tests/js/export-browser.test.mjs reads the same file), and Python's `csv` reader gets every
//! value back, names guarded and passwords exact.

use ecs_password_export::{csv, Entry, CSV_COLUMNS};
use serde_json::Value;
use std::io::Write;
use std::process::{Command, Stdio};
use zeroize::Zeroizing;

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

fn fixture() -> Result<Value> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/csv-entries.json");
    Ok(serde_json::from_str(&std::fs::read_to_string(path)?)?)
}

fn text(entry: &Value, name: &str) -> Option<String> {
    entry[name].as_str().map(str::to_owned)
}

fn entries(fixture: &Value) -> Vec<Entry> {
    let list = fixture["entries"].as_array().cloned().unwrap_or_default();
    list.iter()
        .map(|e| Entry {
            title: text(e, "title").unwrap_or_default(),
            username: text(e, "username").unwrap_or_default(),
            password: Zeroizing::new(text(e, "password").unwrap_or_default()),
            url: text(e, "url"),
            notes: text(e, "notes"),
            server_id: text(e, "serverId"),
        })
        .collect()
}

/// The rows of `text` as Python's csv module reads them (`newline=""`, as its documentation says).
fn python_rows(text: &str) -> Result<Vec<Vec<String>>> {
    let script = "import csv, io, json, sys; print(json.dumps(list(csv.reader(io.StringIO(sys.stdin.read(), newline='')))))";
    let mut child = Command::new("python3")
        .args(["-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()?;
    child
        .stdin
        .take()
        .ok_or("no stdin")?
        .write_all(text.as_bytes())?;
    let out = child.wait_with_output()?;
    assert!(out.status.success(), "python3 failed");
    Ok(serde_json::from_slice(&out.stdout)?)
}

fn guarded(value: Option<String>) -> String {
    let value = value.unwrap_or_default();
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value
    }
}

#[test]
fn the_csv_is_the_fixtures_bytes() -> Result<()> {
    let fixture = fixture()?;
    let written = csv(&entries(&fixture));
    assert_eq!(written.as_str(), fixture["csv"].as_str().ok_or("no csv")?);
    Ok(())
}

#[test]
fn python_reads_back_every_value_names_guarded_passwords_exact() -> Result<()> {
    let fixture = fixture()?;
    let list = fixture["entries"].as_array().ok_or("no entries")?;
    let rows = python_rows(&csv(&entries(&fixture)))?;
    assert_eq!(rows[0], CSV_COLUMNS);
    let want: Vec<Vec<String>> = list
        .iter()
        .map(|e| {
            vec![
                guarded(text(e, "title")),
                guarded(text(e, "username")),
                text(e, "password").unwrap_or_default(),
                guarded(text(e, "url")),
                guarded(text(e, "notes")),
            ]
        })
        .collect();
    assert_eq!(rows[1..], want[..]);
    // The cases the guard is for, and the passwords it must leave alone.
    assert!(want.iter().any(|r| r[0].starts_with("'=")));
    assert!(want.iter().any(|r| r[2].starts_with('=')));
    assert!(want.iter().any(|r| r[2].starts_with('\'')));
    Ok(())
}

#[test]
fn no_entries_is_the_header_only_and_odd_text_never_panics() {
    assert_eq!(
        csv(&[]).as_str(),
        "\"title\",\"username\",\"password\",\"url\",\"notes\"\r\n"
    );
    let odd = ["", "\"", "\"\"\"", "'", "=", "\u{0}", "\u{feff}=1", "\r\n"];
    for title in odd {
        let entry = Entry {
            title: title.into(),
            password: Zeroizing::new(title.into()),
            ..Entry::default()
        };
        let text = csv(&[entry]);
        assert!(text.ends_with("\r\n"));
    }
}
