//! Policy files read as oslo.policy reads them: `yaml.safe_load` (PyYAML, YAML 1.1), of which
//! JSON is a subset (oslo_policy/policy.py `parse_file_contents`).
//!
//! The YAML syntax is parsed by the maintained `saphyr-parser` crate; this module composes its
//! events into the one shape a policy file has (a mapping of rule names to strings or lists),
//! resolves plain scalars with PyYAML's YAML 1.1 implicit resolvers (`yes` is a boolean, `1:20`
//! an integer, `~` null; pyyaml `resolver.py`), and is stricter than oslo.policy where oslo.policy
//! would crash or silently deny: a value that is not a string, a list of strings or null, a
//! duplicate key, an unknown tag, a merge key or more than one document is an error naming the
//! rule and the line.

use crate::message::Message;
use saphyr_parser::{Event, Parser, ScalarStyle, Span, Tag};
use std::collections::HashMap;

/// Most nodes (after expanding aliases) a file may hold: a bound against alias bombs.
const MAX_NODES: usize = 200_000;

/// One rule's value as PyYAML would hand it to `oslo_policy._parser.parse_rule`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum RuleValue {
    /// A string: the policy language.
    Text(String),
    /// `null` (or an empty value): oslo.policy's empty rule, "allow everyone". `bare_bang` when it
    /// was written as a lone `!` (a YAML tag without a value), which operators mean as "deny".
    Null { bare_bang: bool },
    /// A list: oslo.policy's list-of-lists form; each item a string or a list of strings.
    List(Vec<ListItem>),
}

/// One element of a list rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum ListItem {
    Text(String),
    List(Vec<String>),
}

/// One `name: value` of the file, with the line it starts on (1-based).
#[derive(Clone, Debug)]
pub(super) struct FileEntry {
    pub name: String,
    pub line: usize,
    pub value: RuleValue,
}

/// Why a file could not be read: the rule at fault (if any), the line and the message
/// (`nova-parse-*`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct FileError {
    pub rule: Option<String>,
    pub line: usize,
    pub message: Message,
}

fn error(rule: Option<&str>, line: usize, message: Message) -> FileError {
    FileError {
        rule: rule.map(str::to_owned),
        line,
        message,
    }
}

/// A composed YAML node.
#[derive(Clone, Debug)]
enum Node {
    Scalar {
        value: String,
        /// Resolved by PyYAML's implicit resolvers (plain, or tagged with the bare `!`).
        implicit: bool,
        /// The explicit tag, other than the bare `!`.
        tag: Option<Tag>,
        bare_bang: bool,
        line: usize,
    },
    Seq {
        items: Vec<Node>,
        tag: Option<Tag>,
        line: usize,
    },
    Map {
        line: usize,
    },
}

impl Node {
    fn line(&self) -> usize {
        match self {
            Node::Scalar { line, .. } | Node::Seq { line, .. } | Node::Map { line } => *line,
        }
    }
}

/// What a scalar resolves to under PyYAML's safe loader.
enum Resolved {
    Str(String),
    Null,
    /// A list or a mapping.
    Container,
    /// Any other type, named for the message (`nova-parse-type-*`).
    Other(Message),
}

struct Composer<'a> {
    events: Parser<'a, saphyr_parser::StrInput<'a>>,
    anchors: HashMap<usize, Node>,
    nodes: usize,
}

impl<'a> Composer<'a> {
    fn next(&mut self) -> Result<(Event<'a>, Span), FileError> {
        match self.events.next_event() {
            Some(Ok(event)) => Ok(event),
            Some(Err(e)) => Err(error(
                None,
                e.marker().line(),
                // saphyr-parser's own diagnostic, quoted as it is.
                Message::new("nova-parse-yaml-invalid").with("reason", e.info()),
            )),
            None => Err(error(None, 0, Message::new("nova-parse-yaml-truncated"))),
        }
    }

    fn count(&mut self, line: usize) -> Result<(), FileError> {
        self.nodes += 1;
        if self.nodes > MAX_NODES {
            return Err(error(
                None,
                line,
                Message::new("nova-parse-yaml-too-many").with("max", MAX_NODES),
            ));
        }
        Ok(())
    }

    /// Composes the node that starts with `event`. `depth` is how many sequences may still nest
    /// inside it (a rule's value is a list of lists at most); mappings are recorded, not read.
    fn node(&mut self, event: Event<'a>, span: Span, depth: usize) -> Result<Node, FileError> {
        let line = span.start.line();
        self.count(line)?;
        let (node, anchor) = match event {
            Event::Scalar(value, style, anchor, tag) => {
                let tag = tag.map(|t| t.into_owned());
                // saphyr-parser reports the non-specific tag `!` as handle "" and suffix "!".
                let bare = tag.as_ref().is_some_and(|t| {
                    (t.handle.is_empty() && t.suffix == "!")
                        || (t.handle == "!" && t.suffix.is_empty())
                });
                let node = Node::Scalar {
                    bare_bang: bare && value.is_empty() && style == ScalarStyle::Plain,
                    implicit: bare || (tag.is_none() && style == ScalarStyle::Plain),
                    tag: if bare { None } else { tag },
                    value: value.into_owned(),
                    line,
                };
                (node, anchor)
            }
            Event::Alias(id) => {
                let Some(node) = self.anchors.get(&id).cloned() else {
                    return Err(error(
                        None,
                        line,
                        Message::new("nova-parse-yaml-unknown-anchor"),
                    ));
                };
                if let Node::Seq { items, .. } = &node {
                    let inner: usize = items
                        .iter()
                        .map(|i| match i {
                            Node::Seq { items, .. } => 1 + items.len(),
                            _ => 1,
                        })
                        .sum();
                    for _ in 0..inner {
                        self.count(line)?;
                    }
                }
                return Ok(node);
            }
            Event::SequenceStart(anchor, tag) => {
                let tag = tag.map(|t| t.into_owned());
                let mut items = Vec::new();
                loop {
                    let (event, span) = self.next()?;
                    if matches!(event, Event::SequenceEnd) {
                        break;
                    }
                    if depth == 0 {
                        return Err(error(
                            None,
                            span.start.line(),
                            Message::new("nova-parse-yaml-too-nested"),
                        ));
                    }
                    items.push(self.node(event, span, depth - 1)?);
                }
                (Node::Seq { items, tag, line }, anchor)
            }
            Event::MappingStart(anchor, _) => {
                // A mapping is never a valid rule value; skip it, counting nesting without
                // recursion.
                let mut open = 1_usize;
                while open > 0 {
                    let (event, span) = self.next()?;
                    self.count(span.start.line())?;
                    match event {
                        Event::MappingStart(..) | Event::SequenceStart(..) => open += 1,
                        Event::MappingEnd | Event::SequenceEnd => open -= 1,
                        _ => {}
                    }
                }
                (Node::Map { line }, anchor)
            }
            _ => return Err(error(None, line, Message::new("nova-parse-yaml-structure"))),
        };
        if anchor != 0 {
            self.anchors.insert(anchor, node.clone());
        }
        Ok(node)
    }
}

/// Reads a policy file: its rules in file order. An empty file (or an empty document) has none.
pub(super) fn read_policy_file(text: &str) -> Result<Vec<FileEntry>, FileError> {
    let mut composer = Composer {
        events: Parser::new_from_str(text),
        anchors: HashMap::new(),
        nodes: 0,
    };
    let mut entries: Vec<FileEntry> = Vec::new();
    let mut documents = 0;
    loop {
        let (event, span) = composer.next()?;
        match event {
            Event::StreamStart | Event::DocumentEnd | Event::Nothing => {}
            Event::StreamEnd => break,
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    return Err(error(
                        None,
                        span.start.line(),
                        Message::new("nova-parse-yaml-second-document"),
                    ));
                }
            }
            Event::MappingStart(_, tag) => {
                if let Some(tag) = tag {
                    if !is_core(&tag, "map") {
                        return Err(unknown_tag(None, span.start.line(), &tag));
                    }
                }
                read_rules(&mut composer, &mut entries)?;
            }
            Event::Scalar(value, style, _, tag) => {
                let empty = value.is_empty() && style == ScalarStyle::Plain && tag.is_none();
                let null = style == ScalarStyle::Plain
                    && tag.is_none()
                    && matches!(&*value, "~" | "null" | "Null" | "NULL");
                if !(empty || null) {
                    return Err(error(
                        None,
                        span.start.line(),
                        Message::new("nova-parse-yaml-not-mapping"),
                    ));
                }
            }
            _ => {
                return Err(error(
                    None,
                    span.start.line(),
                    Message::new("nova-parse-yaml-list-file"),
                ))
            }
        }
    }
    Ok(entries)
}

/// The entries of the top-level mapping, up to its end.
fn read_rules(composer: &mut Composer<'_>, entries: &mut Vec<FileEntry>) -> Result<(), FileError> {
    let mut lines: HashMap<String, usize> = HashMap::new();
    loop {
        let (event, span) = composer.next()?;
        if matches!(event, Event::MappingEnd) {
            return Ok(());
        }
        let key = composer.node(event, span, 0)?;
        let line = key.line();
        let name = match &key {
            Node::Scalar { value, .. } if value == "<<" && is_implicit(&key) => {
                return Err(error(None, line, Message::new("nova-parse-yaml-merge-key")))
            }
            _ => match resolve(&key)? {
                Resolved::Str(name) => name,
                Resolved::Null => {
                    return Err(error(None, line, Message::new("nova-parse-yaml-null-name")))
                }
                Resolved::Other(kind) => {
                    return Err(error(
                        None,
                        line,
                        Message::new("nova-parse-yaml-name-type").with("type", kind),
                    ))
                }
                Resolved::Container => {
                    return Err(error(
                        None,
                        line,
                        Message::new("nova-parse-yaml-name-not-string"),
                    ))
                }
            },
        };
        let (event, span) = composer.next()?;
        let value_node = composer.node(event, span, 2)?;
        let value = rule_value(&name, &value_node)?;
        if let Some(first) = lines.insert(name.clone(), line) {
            return Err(error(
                Some(&name),
                line,
                Message::new("nova-parse-yaml-duplicate").with("first", first),
            ));
        }
        entries.push(FileEntry { name, line, value });
    }
}

fn is_implicit(node: &Node) -> bool {
    matches!(node, Node::Scalar { implicit: true, .. })
}

fn is_core(tag: &Tag, suffix: &str) -> bool {
    tag.is_yaml_core_schema() && tag.suffix == suffix
}

fn unknown_tag(rule: Option<&str>, line: usize, tag: &Tag) -> FileError {
    let tag = if tag.is_yaml_core_schema() {
        format!("!!{}", tag.suffix)
    } else if tag.handle == "!" || tag.handle.is_empty() {
        format!("!{}", tag.suffix.trim_start_matches('!'))
    } else {
        format!("{}{}", tag.handle, tag.suffix)
    };
    error(
        rule,
        line,
        Message::new("nova-parse-yaml-tag").with("tag", tag),
    )
}

/// The value of rule `name` as a rule, or an error naming it.
fn rule_value(name: &str, node: &Node) -> Result<RuleValue, FileError> {
    let line = node.line();
    let not_a_rule = |what: Message| {
        error(
            Some(name),
            line,
            Message::new("nova-parse-yaml-value-type").with("type", what),
        )
    };
    match node {
        Node::Scalar { tag: Some(tag), .. } if !is_core(tag, "str") && !is_core(tag, "null") => {
            Err(unknown_tag(Some(name), line, tag))
        }
        Node::Scalar { .. } | Node::Map { .. } => match resolve_for(node, Some(name))? {
            Resolved::Str(text) => Ok(RuleValue::Text(text)),
            Resolved::Null => Ok(RuleValue::Null {
                bare_bang: matches!(
                    node,
                    Node::Scalar {
                        bare_bang: true,
                        ..
                    }
                ),
            }),
            Resolved::Other(kind) => Err(not_a_rule(kind)),
            // Only a mapping: a scalar is never a container.
            Resolved::Container => Err(not_a_rule(Message::new("nova-parse-type-mapping"))),
        },
        Node::Seq { items, tag, .. } => {
            if let Some(tag) = tag {
                if !is_core(tag, "seq") {
                    return Err(unknown_tag(Some(name), line, tag));
                }
            }
            let mut out = Vec::new();
            for (index, item) in items.iter().enumerate() {
                match item {
                    Node::Seq { items: inner, .. } => {
                        let mut checks = Vec::new();
                        for (j, check) in inner.iter().enumerate() {
                            match resolve_for(check, Some(name))? {
                                Resolved::Str(text) => checks.push(text),
                                _ => {
                                    return Err(error(
                                        Some(name),
                                        check.line(),
                                        Message::new("nova-parse-yaml-element-not-string")
                                            .with("outer", index + 1)
                                            .with("inner", j + 1),
                                    ))
                                }
                            }
                        }
                        out.push(ListItem::List(checks));
                    }
                    _ => match resolve_for(item, Some(name))? {
                        Resolved::Str(text) => out.push(ListItem::Text(text)),
                        _ => {
                            return Err(error(
                                Some(name),
                                item.line(),
                                Message::new("nova-parse-yaml-element-type")
                                    .with("index", index + 1),
                            ))
                        }
                    },
                }
            }
            Ok(RuleValue::List(out))
        }
    }
}

fn resolve(node: &Node) -> Result<Resolved, FileError> {
    resolve_for(node, None)
}

/// What PyYAML's safe loader makes of a scalar (`yaml/resolver.py`, `yaml/constructor.py`).
fn resolve_for(node: &Node, rule: Option<&str>) -> Result<Resolved, FileError> {
    let Node::Scalar {
        value,
        implicit,
        tag,
        line,
        ..
    } = node
    else {
        return Ok(Resolved::Container);
    };
    if let Some(tag) = tag {
        return if is_core(tag, "str") {
            Ok(Resolved::Str(value.clone()))
        } else if is_core(tag, "null") {
            Ok(Resolved::Null)
        } else {
            Err(unknown_tag(rule, *line, tag))
        };
    }
    if !implicit {
        return Ok(Resolved::Str(value.clone()));
    }
    Ok(match implicit_type(value) {
        None => Resolved::Str(value.clone()),
        Some("null") => Resolved::Null,
        Some(kind) => Resolved::Other(
            Message::new("nova-parse-type-scalar")
                .with("type", type_message(kind))
                .with("value", value),
        ),
    })
}

/// The name of a type [`implicit_type`] gives, as a message.
fn type_message(kind: &str) -> Message {
    match kind {
        "boolean" => Message::new("nova-parse-type-boolean"),
        "integer" => Message::new("nova-parse-type-integer"),
        "number" => Message::new("nova-parse-type-number"),
        "date" => Message::new("nova-parse-type-date"),
        "merge key" => Message::new("nova-parse-type-merge-key"),
        _ => Message::new("nova-parse-type-value-key"),
    }
}

/// The type PyYAML's implicit resolvers give a plain scalar, `None` for a string.
fn implicit_type(value: &str) -> Option<&'static str> {
    if matches!(value, "" | "~" | "null" | "Null" | "NULL") {
        return Some("null");
    }
    const BOOLS: [&str; 18] = [
        "yes", "Yes", "YES", "no", "No", "NO", "true", "True", "TRUE", "false", "False", "FALSE",
        "on", "On", "ON", "off", "Off", "OFF",
    ];
    if BOOLS.contains(&value) {
        return Some("boolean");
    }
    if is_yaml11_int(value) {
        return Some("integer");
    }
    if is_yaml11_float(value) {
        return Some("number");
    }
    if is_yaml11_timestamp(value) {
        return Some("date");
    }
    match value {
        "<<" => Some("merge key"),
        "=" => Some("value key"),
        _ => None,
    }
}

fn strip_sign(s: &str) -> &str {
    s.strip_prefix(['-', '+']).unwrap_or(s)
}

fn all(s: &str, ok: impl Fn(char) -> bool) -> bool {
    !s.is_empty() && s.chars().all(ok)
}

/// `[0-5]?[0-9]` after each `:` of a sexagesimal number.
fn sexagesimal_tail(parts: &[&str]) -> bool {
    !parts.is_empty()
        && parts.iter().all(|p| {
            let b = p.as_bytes();
            match b {
                [d] => d.is_ascii_digit(),
                [a, d] => (b'0'..=b'5').contains(a) && d.is_ascii_digit(),
                _ => false,
            }
        })
}

/// PyYAML's int resolver: binary, octal, decimal, hexadecimal and sexagesimal (`1:30`).
fn is_yaml11_int(value: &str) -> bool {
    let s = strip_sign(value);
    if let Some(bits) = s.strip_prefix("0b") {
        return all(bits, |c| matches!(c, '0' | '1' | '_'));
    }
    if let Some(hex) = s.strip_prefix("0x") {
        return all(hex, |c| c.is_ascii_hexdigit() || c == '_');
    }
    if s == "0" {
        return true;
    }
    if let Some(octal) = s.strip_prefix('0') {
        return all(octal, |c| matches!(c, '0'..='7' | '_'));
    }
    let mut parts = s.split(':');
    let head = parts.next().unwrap_or_default();
    let head_ok = head.starts_with(|c: char| matches!(c, '1'..='9'))
        && all(head, |c| c.is_ascii_digit() || c == '_');
    let rest: Vec<&str> = parts.collect();
    head_ok && (rest.is_empty() || sexagesimal_tail(&rest))
}

/// `[0-9_]*(?:[eE][-+][0-9]+)?` after the decimal point.
fn fraction_and_exponent(s: &str) -> bool {
    let (fraction, exponent) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    fraction.chars().all(|c| c.is_ascii_digit() || c == '_')
        && exponent
            .is_none_or(|e| e.starts_with(['-', '+']) && all(&e[1..], |c| c.is_ascii_digit()))
}

/// PyYAML's float resolver: `1.5`, `.5`, `1e+3` forms, sexagesimal `1:30.5`, `.inf`, `.nan`.
fn is_yaml11_float(value: &str) -> bool {
    if matches!(value, ".nan" | ".NaN" | ".NAN") {
        return true;
    }
    let signed = strip_sign(value);
    if matches!(signed, ".inf" | ".Inf" | ".INF") {
        return true;
    }
    if let Some(rest) = value.strip_prefix('.') {
        return rest.starts_with(|c: char| c.is_ascii_digit()) && fraction_and_exponent(rest);
    }
    let Some((whole, fraction)) = signed.split_once('.') else {
        return false;
    };
    let mut parts = whole.split(':');
    let head = parts.next().unwrap_or_default();
    let rest: Vec<&str> = parts.collect();
    let head_ok = head.starts_with(|c: char| c.is_ascii_digit())
        && all(head, |c| c.is_ascii_digit() || c == '_');
    if !head_ok {
        return false;
    }
    if rest.is_empty() {
        fraction_and_exponent(fraction)
    } else {
        sexagesimal_tail(&rest) && fraction.chars().all(|c| c.is_ascii_digit() || c == '_')
    }
}

/// PyYAML's timestamp resolver starts with `YYYY-M-D`; anything of that shape is taken as a
/// date (a rule cannot start with digits and a dash anyway).
fn is_yaml11_timestamp(value: &str) -> bool {
    let b = value.as_bytes();
    b.len() >= 8 && b[..4].iter().all(u8::is_ascii_digit) && b[4] == b'-'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pyyaml_implicit_types() {
        for (text, kind) in [
            ("yes", Some("boolean")),
            ("Off", Some("boolean")),
            ("0", Some("integer")),
            ("-12", Some("integer")),
            ("0x1F", Some("integer")),
            ("0b101", Some("integer")),
            ("017", Some("integer")),
            ("1:20", Some("integer")),
            ("190:20:30", Some("integer")),
            ("1.5", Some("number")),
            (".5", Some("number")),
            ("1.0e+3", Some("number")),
            ("1:20.5", Some("number")),
            ("-.inf", Some("number")),
            (".NaN", Some("number")),
            ("2026-12-01", Some("date")),
            ("~", Some("null")),
            ("<<", Some("merge key")),
            ("role:admin", None),
            ("1:60", None),
            ("1.2.3", None),
            ("1e3", None),
            ("y", None),
            ("rule:admin_api", None),
            ("@", None),
            ("08", None),
        ] {
            assert_eq!(implicit_type(text), kind, "{text}");
        }
    }
}
