//! The message catalogues (locales/<lang>/ecs-password.ftl): every error code and every message id
//! the code builds has a text in every language, with the same placeables, and renders without a
//! Fluent error. The ids are read from the sources (`Message::new("...")`), not counted by hand.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed assumption in a test is a failed test

use ecs_password::message::{render, render_checked, Arg, Lang, Message};
use ecs_password::ErrorCode;
use fluent_syntax::ast::{Entry, Expression, InlineExpression, Pattern, PatternElement};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Each message id of a catalogue, with the variables its value uses (selectors included).
fn entries(lang: Lang) -> BTreeMap<String, BTreeSet<String>> {
    let resource = fluent_syntax::parser::parse(lang.catalogue()).unwrap_or_else(|(_, errors)| {
        panic!("{} catalogue does not parse: {errors:?}", lang.as_str())
    });
    let mut out = BTreeMap::new();
    for entry in resource.body {
        if let Entry::Message(m) = entry {
            let mut vars = BTreeSet::new();
            if let Some(value) = &m.value {
                variables(value, &mut vars);
            }
            let fresh = out.insert(m.id.name.to_owned(), vars).is_none();
            assert!(fresh, "{} has {} twice", lang.as_str(), m.id.name);
        }
    }
    out
}

fn variables(pattern: &Pattern<&str>, out: &mut BTreeSet<String>) {
    for element in &pattern.elements {
        if let PatternElement::Placeable { expression } = element {
            expression_variables(expression, out);
        }
    }
}

fn expression_variables(expression: &Expression<&str>, out: &mut BTreeSet<String>) {
    match expression {
        Expression::Select { selector, variants } => {
            inline_variables(selector, out);
            for v in variants {
                variables(&v.value, out);
            }
        }
        Expression::Inline(inline) => inline_variables(inline, out),
    }
}

fn inline_variables(inline: &InlineExpression<&str>, out: &mut BTreeSet<String>) {
    match inline {
        InlineExpression::VariableReference { id } => {
            out.insert(id.name.to_owned());
        }
        InlineExpression::Placeable { expression } => expression_variables(expression, out),
        _ => {}
    }
}

/// Every `Message::new("id")` in the crate's sources.
fn ids_in_sources() -> BTreeSet<String> {
    fn walk(dir: &Path, out: &mut BTreeSet<String>) {
        for entry in std::fs::read_dir(dir).expect("src/ is readable").flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).expect("a source file is readable");
                for piece in text.split("Message::new(").skip(1) {
                    let piece = piece.trim_start();
                    if let Some(rest) = piece.strip_prefix('"') {
                        if let Some(end) = rest.find('"') {
                            out.insert(rest[..end].to_owned());
                        }
                    }
                }
            }
        }
    }
    let mut out = BTreeSet::new();
    walk(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut out);
    out
}

#[test]
fn every_language_has_the_same_ids_and_placeables() {
    let en = entries(Lang::En);
    for lang in Lang::ALL {
        let other = entries(lang);
        let missing: Vec<_> = en.keys().filter(|k| !other.contains_key(*k)).collect();
        let extra: Vec<_> = other.keys().filter(|k| !en.contains_key(*k)).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "{}: missing {missing:?}, extra {extra:?}",
            lang.as_str()
        );
        for (id, vars) in &en {
            assert_eq!(
                vars,
                &other[id],
                "{}: the placeables of {id} differ from English",
                lang.as_str()
            );
        }
    }
}

#[test]
fn every_error_code_and_every_built_id_has_a_text() {
    let en = entries(Lang::En);
    for code in ErrorCode::ALL {
        assert!(
            en.contains_key(&code.message_id()),
            "no generic text for {code}"
        );
    }
    let built = ids_in_sources();
    assert!(
        built.contains("key-wrong-size"),
        "the source scan finds the ids"
    );
    let missing: Vec<_> = built.iter().filter(|id| !en.contains_key(*id)).collect();
    assert!(
        missing.is_empty(),
        "ids built in src/ without a catalogue entry: {missing:?}"
    );
}

#[test]
fn every_message_renders_without_errors_in_every_language() {
    for lang in Lang::ALL {
        for (id, vars) in entries(lang) {
            // Numbers and names in turn, so that number and string selectors both resolve.
            for number in [1_i64, 7] {
                let id: &'static str = Box::leak(id.clone().into_boxed_str());
                let mut message = Message::new(id);
                for var in &vars {
                    let name: &'static str = Box::leak(var.clone().into_boxed_str());
                    let value = if number == 1 {
                        Arg::Number(number)
                    } else {
                        Arg::Text("x".into())
                    };
                    message = message.with(name, value);
                }
                let (text, errors) = render_checked(&message, lang);
                assert!(errors.is_empty(), "{} {id}: {errors:?}", lang.as_str());
                assert!(
                    !text.trim().is_empty() && !text.contains("{$"),
                    "{} {id}: {text:?}",
                    lang.as_str()
                );
            }
        }
    }
}

#[test]
fn a_specific_error_renders_its_facts_in_both_languages() {
    // The password of the 4096-bit fixture, with the 2048-bit key (fixtures made by openssl).
    let key = ecs_password::PrivateKey::load(include_bytes!("fixtures/rsa2048.pkcs1.pem"), None)
        .unwrap_or_else(|e| panic!("fixture: {e}"));
    let error =
        ecs_password::decrypt_password(&key, include_str!("fixtures/rsa4096.ciphertext.b64"))
            .err()
            .unwrap_or_else(|| panic!("a 4096-bit block cannot decrypt with a 2048-bit key"));
    assert_eq!(error.code(), ErrorCode::WrongKey);
    let en = render(error.message(), Lang::En);
    let zh = render(error.message(), Lang::Zh);
    assert!(
        en.contains("4096-bit RSA key") && en.contains("this key is 2048-bit"),
        "{en}"
    );
    assert!(
        zh.contains("4096 位 RSA") && zh.contains("此密钥是 2048 位"),
        "{zh}"
    );
    assert_eq!(error.to_string(), format!("WRONG_KEY: {en}"));
}
