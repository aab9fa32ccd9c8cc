//! Messages as data: an id in the catalogues (`locales/<lang>/ecs-password.ftl`, Project Fluent)
//! and typed arguments. The core writes no sentences; the CLI renders a [`Message`] here (feature
//! `render`), the widget renders the same catalogues with `@fluent/bundle`.
//!
//! An argument is a name, a number, or another message (rendered first, in the same language):
//! never a secret, since the constructors that build messages take none.

use serde::ser::{SerializeMap, Serializer};

/// A message: its catalogue id and its arguments.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    /// The id in the catalogues, e.g. `key-wrong-size`.
    pub id: &'static str,
    /// Named arguments, as the catalogue's placeables name them.
    pub args: Vec<(&'static str, Arg)>,
}

/// One argument of a [`Message`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Arg {
    /// A name or a value quoted as it is (a host, a format name, the cloud's code).
    Text(String),
    /// A count, size or position.
    Number(i64),
    /// A message of its own (a reason inside a sentence), rendered in the same language.
    Message(Box<Message>),
    /// A list, joined in the language's way ("a, b, and c" / "a、b和c"), as
    /// `Intl.ListFormat` joins it in the pages.
    List(ListKind, Vec<Arg>),
}

/// How an [`Arg::List`] is joined: `Intl.ListFormat`'s `type`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListKind {
    /// "a, b, and c" / "a、b和c".
    And,
    /// "a, b, or c" / "a、b或c".
    Or,
}

impl Arg {
    /// A list of names joined with "and".
    pub fn all<T: Into<Arg>>(items: impl IntoIterator<Item = T>) -> Arg {
        Arg::List(ListKind::And, items.into_iter().map(Into::into).collect())
    }

    /// A list of names joined with "or".
    pub fn any<T: Into<Arg>>(items: impl IntoIterator<Item = T>) -> Arg {
        Arg::List(ListKind::Or, items.into_iter().map(Into::into).collect())
    }
}

impl Message {
    /// A message without arguments.
    pub const fn new(id: &'static str) -> Self {
        Message {
            id,
            args: Vec::new(),
        }
    }

    /// Adds an argument.
    #[must_use]
    pub fn with(mut self, name: &'static str, value: impl Into<Arg>) -> Self {
        self.args.push((name, value.into()));
        self
    }

    /// The argument `name`, if given.
    pub fn arg(&self, name: &str) -> Option<&Arg> {
        self.args.iter().find(|(n, _)| *n == name).map(|(_, v)| v)
    }

    /// Adds to `out` this message's id and those of every message inside it (nested, or in a
    /// list): the entries a catalogue needs to render it, which the tests of coverage collect.
    pub fn collect_ids(&self, out: &mut std::collections::BTreeSet<&'static str>) {
        fn arg(a: &Arg, out: &mut std::collections::BTreeSet<&'static str>) {
            match a {
                Arg::Message(m) => m.collect_ids(out),
                Arg::List(_, items) => items.iter().for_each(|i| arg(i, out)),
                Arg::Text(_) | Arg::Number(_) => {}
            }
        }
        out.insert(self.id);
        self.args.iter().for_each(|(_, a)| arg(a, out));
    }
}

impl From<&str> for Arg {
    fn from(v: &str) -> Self {
        Arg::Text(v.to_owned())
    }
}
impl From<String> for Arg {
    fn from(v: String) -> Self {
        Arg::Text(v)
    }
}
impl From<&String> for Arg {
    fn from(v: &String) -> Self {
        Arg::Text(v.clone())
    }
}
impl From<Message> for Arg {
    fn from(v: Message) -> Self {
        Arg::Message(Box::new(v))
    }
}
macro_rules! number_arg {
    ($($t:ty),*) => {$(
        impl From<$t> for Arg {
            fn from(v: $t) -> Self {
                Arg::Number(i64::try_from(v).unwrap_or(i64::MAX))
            }
        }
    )*};
}
number_arg!(u8, u16, u32, u64, usize, i32, i64);

/// `{"messageId": "...", "args": {"name": value, ...}}`: what JavaScript and `--json` get. A list
/// argument is `{"listType": "conjunction" | "disjunction", "items": [...]}`.
impl serde::Serialize for Message {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        struct Args<'a>(&'a [(&'static str, Arg)]);
        impl serde::Serialize for Args<'_> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let mut map = s.serialize_map(Some(self.0.len()))?;
                for (name, value) in self.0 {
                    map.serialize_entry(name, value)?;
                }
                map.end()
            }
        }
        let mut map = s.serialize_map(Some(2))?;
        map.serialize_entry("messageId", self.id)?;
        map.serialize_entry("args", &Args(&self.args))?;
        map.end()
    }
}

impl serde::Serialize for Arg {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Arg::Text(t) => s.serialize_str(t),
            Arg::Number(n) => s.serialize_i64(*n),
            Arg::Message(m) => m.serialize(s),
            Arg::List(kind, items) => {
                let mut map = s.serialize_map(Some(2))?;
                let kind = match kind {
                    ListKind::And => "conjunction",
                    ListKind::Or => "disjunction",
                };
                map.serialize_entry("listType", kind)?;
                map.serialize_entry("items", items)?;
                map.end()
            }
        }
    }
}

/// A language of the catalogues.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Lang {
    /// English (the fallback).
    En,
    /// Simplified Chinese.
    Zh,
}

impl Lang {
    /// Every language, each with a catalogue.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Zh];

    /// The tag: `en`, `zh`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }

    /// The language of a tag such as `zh-CN`, `zh_CN.UTF-8` or `en` (English for any other).
    pub fn from_tag(tag: &str) -> Lang {
        if tag.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("zh")) {
            Lang::Zh
        } else {
            Lang::En
        }
    }

    /// The ids of the catalogue's messages, in file order: the lines `id = …` (an entry starts
    /// its line; comments, terms and continued or attribute lines do not).
    pub fn message_ids(self) -> impl Iterator<Item = &'static str> {
        self.catalogue()
            .lines()
            .filter(|l| !l.starts_with(['#', '-', ' ', '.']))
            .filter_map(|l| l.split_once(" = ").map(|(id, _)| id))
    }

    /// The catalogue's Fluent source.
    pub const fn catalogue(self) -> &'static str {
        match self {
            Lang::En => include_str!("../locales/en/ecs-password.ftl"),
            Lang::Zh => include_str!("../locales/zh/ecs-password.ftl"),
        }
    }
}

#[cfg(feature = "render")]
pub use render::{render, render_checked};

#[cfg(feature = "render")]
mod render {
    use super::{Arg, Lang, ListKind, Message};
    use fluent_bundle::concurrent::FluentBundle;
    use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
    use std::sync::OnceLock;

    type Bundle = FluentBundle<FluentResource>;

    /// How deep messages nest inside messages (a reason in a clause in a sentence, a role in a
    /// list): the widget's `MAX_DEPTH` in www/i18n/messages.js is the same.
    const MAX_DEPTH: u8 = 16;

    fn bundle(lang: Lang) -> &'static Bundle {
        static EN: OnceLock<Bundle> = OnceLock::new();
        static ZH: OnceLock<Bundle> = OnceLock::new();
        let cell = match lang {
            Lang::En => &EN,
            Lang::Zh => &ZH,
        };
        cell.get_or_init(|| {
            let tag = lang.as_str().parse().unwrap_or_default();
            let mut bundle = Bundle::new_concurrent(vec![tag]);
            // Plain text for terminals and tests (the widget sets the same on its side).
            bundle.set_use_isolating(false);
            // A syntax error drops only its entry; the catalogue test reports any.
            let resource = FluentResource::try_new(lang.catalogue().to_owned())
                .unwrap_or_else(|(partial, _)| partial);
            // Ids are unique in each file (the catalogue test checks); an overriding add cannot fail.
            bundle.add_resource_overriding(resource);
            bundle
        })
    }

    /// The message in `lang`, falling back to English, then to its id.
    pub fn render(message: &Message, lang: Lang) -> String {
        render_checked(message, lang).0
    }

    /// [`render`], and the Fluent errors met (missing arguments, unknown ids): for the tests.
    pub fn render_checked(message: &Message, lang: Lang) -> (String, Vec<String>) {
        let mut errors = Vec::new();
        let text = format(message, lang, &mut errors, 0);
        (text, errors)
    }

    /// One item of a list, as text.
    fn item(arg: &Arg, lang: Lang, errors: &mut Vec<String>, depth: u8) -> String {
        match arg {
            Arg::Text(t) => t.clone(),
            Arg::Number(n) => n.to_string(),
            Arg::Message(m) if depth < MAX_DEPTH => format(m, lang, errors, depth + 1),
            Arg::Message(m) => m.id.to_owned(),
            Arg::List(kind, items) if depth < MAX_DEPTH => {
                join(*kind, items, lang, errors, depth + 1)
            }
            Arg::List(..) => String::new(),
        }
    }

    #[cfg(test)]
    pub(super) fn join_for_test(list: &Arg, lang: Lang) -> String {
        item(list, lang, &mut Vec::new(), 0)
    }

    /// The items joined as `Intl.ListFormat` joins them (CLDR): "a, b, and c", "a、b和c".
    fn join(
        kind: ListKind,
        items: &[Arg],
        lang: Lang,
        errors: &mut Vec<String>,
        depth: u8,
    ) -> String {
        let items: Vec<String> = items.iter().map(|a| item(a, lang, errors, depth)).collect();
        let word = match (lang, kind) {
            (Lang::En, ListKind::And) => "and",
            (Lang::En, ListKind::Or) => "or",
            (Lang::Zh, ListKind::And) => "和",
            (Lang::Zh, ListKind::Or) => "或",
        };
        match (lang, items.as_slice()) {
            (_, []) => String::new(),
            (_, [one]) => one.clone(),
            (Lang::En, [a, b]) => format!("{a} {word} {b}"),
            (Lang::En, [init @ .., last]) => format!("{}, {word} {last}", init.join(", ")),
            (Lang::Zh, [init @ .., last]) => format!("{}{word}{last}", init.join("、")),
        }
    }

    fn format(message: &Message, lang: Lang, errors: &mut Vec<String>, depth: u8) -> String {
        let found = [lang, Lang::En].into_iter().find_map(|l| {
            let b = bundle(l);
            b.get_message(message.id)
                .and_then(|m| m.value())
                .map(|p| (l, b, p))
        });
        let Some((used, bundle, pattern)) = found else {
            errors.push(format!("no message {}", message.id));
            return message.id.to_owned();
        };
        if used != lang {
            errors.push(format!("{} has no {} text", message.id, lang.as_str()));
        }
        let mut args = FluentArgs::new();
        for (name, value) in &message.args {
            let value = match value {
                Arg::Text(t) => FluentValue::from(t.as_str()),
                Arg::Number(n) => FluentValue::from(*n),
                Arg::Message(m) if depth < MAX_DEPTH => {
                    FluentValue::from(format(m, lang, errors, depth + 1))
                }
                Arg::Message(m) => FluentValue::from(m.id),
                Arg::List(kind, items) => {
                    FluentValue::from(join(*kind, items, lang, errors, depth))
                }
            };
            args.set(*name, value);
        }
        let mut fluent_errors = Vec::new();
        let text = bundle.format_pattern(pattern, Some(&args), &mut fluent_errors);
        errors.extend(
            fluent_errors
                .iter()
                .map(|e| format!("{}: {e:?}", message.id)),
        );
        text.into_owned()
    }
}

#[cfg(all(test, feature = "render"))]
mod tests {
    use super::{Arg, Lang, ListKind};

    /// The lists join as `Intl.ListFormat` joins them in the pages (node's ICU gives these).
    #[test]
    fn lists_join_as_intl_list_format_does() {
        let cases = [
            (Lang::En, ListKind::And, "a, b, and c", "a and b"),
            (Lang::En, ListKind::Or, "a, b, or c", "a or b"),
            (Lang::Zh, ListKind::And, "a、b和c", "a和b"),
            (Lang::Zh, ListKind::Or, "a、b或c", "a或b"),
        ];
        for (lang, kind, three, two) in cases {
            let list = |n: usize| {
                Arg::List(
                    kind,
                    ["a", "b", "c"][..n].iter().map(|&s| s.into()).collect(),
                )
            };
            let join = |n| super::render::join_for_test(&list(n), lang);
            assert_eq!(join(3), three);
            assert_eq!(join(2), two);
            assert_eq!(join(1), "a");
            assert_eq!(join(0), "");
        }
    }
}
