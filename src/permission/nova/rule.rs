//! The rule language (oslo_policy/_parser.py, _checks.py): a check string parsed into an
//! [`Expr`], rendered back canonically. The parser keeps oslo.policy's precedence and tokenizing,
//! and where oslo.policy would silently deny everyone or crash it returns an error naming the
//! column. Also: how Nova's own defaults parse ([`registered_check`]) and oslo.policy's equality
//! of checks ([`oslo_eq`]), which the loading of a policy file needs.

use crate::message::Message;

/// Deepest nesting of parentheses, `not` and `rule:` references that is evaluated.
pub(super) const MAX_DEPTH: usize = 32;

// ------------------------------------------------------------------------------------------------
// Expressions
// ------------------------------------------------------------------------------------------------

/// A parsed oslo.policy check string.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Expr {
    /// `@`.
    Always,
    /// The empty rule (`""`, YAML null, JSON `null` or `[]`): oslo.policy allows everyone.
    Empty,
    /// `!`.
    Never,
    /// `role:NAME` (NAME may use `%(key)s`).
    Role(Template),
    /// `rule:NAME`.
    Rule(String),
    /// `is_admin:MATCH`: Nova's `IsAdminCheck`, true when the context's `is_admin` is
    /// `MATCH.lower() == 'true'` (nova/policy.py). `raw` is MATCH as written.
    IsAdmin {
        expected: bool,
        raw: String,
    },
    /// `KIND:MATCH` for any other kind.
    Generic {
        kind: Kind,
        matched: Template,
    },
    /// `http:` / `https:`: a call to a remote server, which this module cannot make.
    Remote(String),
    Not(Box<Expr>),
    And(Vec<Expr>),
    Or(Vec<Expr>),
}

/// The left side of a generic check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    /// A credential field (oslo.policy follows dotted paths; the credentials here are flat).
    Field(String),
    /// A Python literal (`'text'`, `True`, `42`…): `raw` as written, `value` as `str()` of it.
    Literal { raw: String, value: String },
}

impl Kind {
    fn raw(&self) -> &str {
        match self {
            Kind::Field(field) => field,
            Kind::Literal { raw, .. } => raw,
        }
    }
}

/// The right side of a check: text with `%(key)s` substitutions from the target.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Template {
    raw: String,
    parts: Vec<Part>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Part {
    Text(String),
    Key(String),
}

impl Template {
    /// The key when the template is exactly one `%(key)s`.
    pub(super) fn single_key(&self) -> Option<&str> {
        match self.parts.as_slice() {
            [Part::Key(key)] => Some(key),
            _ => None,
        }
    }

    /// The template with the target's values filled in; `None` when a key is missing (oslo.policy's
    /// `KeyError`, which makes the check false).
    pub(super) fn resolve(&self, lookup: impl Fn(&str) -> Option<String>) -> Option<String> {
        let mut out = String::new();
        for part in &self.parts {
            match part {
                Part::Text(text) => out.push_str(text),
                Part::Key(key) => out.push_str(&lookup(key)?),
            }
        }
        Some(out)
    }
}

/// Renders an expression canonically: `and` groups inside `or` and `or` groups inside `and` are
/// parenthesised, nothing else is.
pub(super) fn render(expr: &Expr) -> String {
    match expr {
        Expr::Always => "@".to_owned(),
        Expr::Empty => String::new(),
        Expr::Never => "!".to_owned(),
        Expr::Role(template) => format!("role:{}", template.raw),
        Expr::Rule(name) => format!("rule:{name}"),
        Expr::IsAdmin { raw, .. } => format!("is_admin:{raw}"),
        Expr::Generic { kind, matched } => {
            let kind = match kind {
                Kind::Field(field) => field.as_str(),
                Kind::Literal { raw, .. } => raw.as_str(),
            };
            format!("{kind}:{}", matched.raw)
        }
        Expr::Remote(raw) => raw.clone(),
        Expr::Not(inner) => format!("not {}", render_grouped(inner)),
        Expr::And(items) => join_rendered(items, " and "),
        Expr::Or(items) => items
            .iter()
            .map(|item| match item {
                Expr::And(_) | Expr::Or(_) => format!("({})", render(item)),
                _ => render(item),
            })
            .collect::<Vec<_>>()
            .join(" or "),
    }
}

fn render_grouped(expr: &Expr) -> String {
    match expr {
        Expr::And(_) | Expr::Or(_) => format!("({})", render(expr)),
        _ => render(expr),
    }
}

fn join_rendered(items: &[Expr], separator: &str) -> String {
    items
        .iter()
        .map(render_grouped)
        .collect::<Vec<_>>()
        .join(separator)
}

// ------------------------------------------------------------------------------------------------
// Expression parser (oslo_policy/_parser.py)
// ------------------------------------------------------------------------------------------------

#[derive(Debug)]
enum Tok {
    LParen,
    RParen,
    And,
    Or,
    Not,
    Quoted(String),
    Check(Expr),
}

#[derive(Debug)]
struct Token {
    tok: Tok,
    /// 1-based column (in characters) in the expression.
    col: usize,
}

/// Parses a textual rule. The empty string is the empty rule; a blank one is an error (oslo.policy
/// fails to parse it and denies everyone).
pub(super) fn parse_text_rule(text: &str) -> Result<Expr, Message> {
    if text.is_empty() {
        return Ok(Expr::Empty);
    }
    let tokens = tokenize(text)?;
    if tokens.is_empty() {
        return Err(Message::new("nova-parse-blank"));
    }
    let mut parser = Parser {
        tokens,
        pos: 0,
        end: text.chars().count() + 1,
    };
    let expr = parser.parse_or(0)?;
    match parser.peek() {
        None => Ok(expr),
        Some(token) => Err(Message::new("nova-parse-unexpected")
            .with("token", describe_tok(&token.tok))
            .with("column", token.col)),
    }
}

/// Python's `\\s` (`str.isspace`): Unicode whitespace plus the separators U+001C to U+001F.
fn is_python_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// Splits on whitespace, then peels parentheses off the ends of each word, as oslo.policy does.
fn tokenize(text: &str) -> Result<Vec<Token>, Message> {
    let mut tokens = Vec::new();
    let mut word = String::new();
    let mut word_col = 0;
    for (index, c) in text.chars().enumerate() {
        if is_python_space(c) {
            if !word.is_empty() {
                tokenize_word(&word, word_col, &mut tokens)?;
                word.clear();
            }
        } else {
            if word.is_empty() {
                word_col = index + 1;
            }
            word.push(c);
        }
    }
    if !word.is_empty() {
        tokenize_word(&word, word_col, &mut tokens)?;
    }
    Ok(tokens)
}

fn tokenize_word(word: &str, col: usize, tokens: &mut Vec<Token>) -> Result<(), Message> {
    let rest = word.trim_start_matches('(');
    let leading = word.chars().count() - rest.chars().count();
    for i in 0..leading {
        tokens.push(Token {
            tok: Tok::LParen,
            col: col + i,
        });
    }
    if rest.is_empty() {
        return Ok(());
    }
    let col = col + leading;
    let clean = rest.trim_end_matches(')');
    let clean_len = clean.chars().count();
    let trailing = rest.chars().count() - clean_len;
    if !clean.is_empty() {
        let tok = match clean.to_lowercase().as_str() {
            "and" => Tok::And,
            "or" => Tok::Or,
            "not" => Tok::Not,
            _ => {
                let first = rest.chars().next();
                let last = rest.chars().last();
                let quoted = rest.chars().count() >= 2
                    && matches!(
                        (first, last),
                        (Some('"'), Some('"')) | (Some('\''), Some('\''))
                    );
                if quoted {
                    Tok::Quoted(rest.to_owned())
                } else {
                    Tok::Check(parse_check(clean, col)?)
                }
            }
        };
        tokens.push(Token { tok, col });
    }
    for i in 0..trailing {
        tokens.push(Token {
            tok: Tok::RParen,
            col: col + clean_len + i,
        });
    }
    Ok(())
}

/// One check (`_parse_check`): `!`, `@` or `kind:match`.
pub(super) fn parse_check(text: &str, col: usize) -> Result<Expr, Message> {
    match text {
        "!" => return Ok(Expr::Never),
        "@" => return Ok(Expr::Always),
        _ => {}
    }
    let Some((kind, matched)) = text.split_once(':') else {
        return Err(Message::new("nova-parse-not-a-check")
            .with("text", text)
            .with("column", col));
    };
    let match_col = col + kind.chars().count() + 1;
    match kind {
        "rule" => Ok(Expr::Rule(matched.to_owned())),
        "role" => Ok(Expr::Role(parse_template(matched, match_col)?)),
        "is_admin" => Ok(Expr::IsAdmin {
            expected: matched.to_lowercase() == "true",
            raw: matched.to_owned(),
        }),
        "http" | "https" => Ok(Expr::Remote(text.to_owned())),
        "" => Err(Message::new("nova-parse-empty-kind")
            .with("text", text)
            .with("column", col)),
        _ => Ok(Expr::Generic {
            kind: parse_kind(kind, col)?,
            matched: parse_template(matched, match_col)?,
        }),
    }
}

/// Python's keywords, which `ast.literal_eval` rejects with a `SyntaxError` (an exception
/// oslo.policy does not catch); `True`, `False` and `None` are literals.
const PYTHON_KEYWORDS: [&str; 32] = [
    "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del", "elif",
    "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda",
    "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
];

/// The credential fields of Nova's `to_policy_values()` (oslo_context/context.py, plus
/// `is_admin` from nova/context.py and `system`, which oslo.policy's `enforce` adds).
pub(super) const CREDENTIAL_FIELDS: [&str; 15] = [
    "user_id",
    "user_domain_id",
    "system_scope",
    "domain_id",
    "project_id",
    "project_domain_id",
    "roles",
    "is_admin_project",
    "service_user_id",
    "service_user_domain_id",
    "service_project_id",
    "service_project_domain_id",
    "service_roles",
    "is_admin",
    "system",
];

/// The left side of a generic check: a Python literal (as `ast.literal_eval` reads it) or a
/// credential field (a dotted path of identifiers). Anything else would make oslo.policy raise
/// or compare something unexpected, so it is an error here.
fn parse_kind(kind: &str, col: usize) -> Result<Kind, Message> {
    let first = kind.chars().next();
    if matches!(first, Some('\'' | '"')) {
        let count = kind.chars().count();
        if count >= 2 && kind.chars().last() == first {
            let value: String = kind.chars().skip(1).take(count - 2).collect();
            if !value.contains(['\'', '"', '\\']) {
                return Ok(Kind::Literal {
                    raw: kind.to_owned(),
                    value,
                });
            }
        }
        return Err(Message::new("nova-parse-bad-literal")
            .with("text", kind)
            .with("column", col));
    }
    if matches!(kind, "True" | "False" | "None") {
        return Ok(Kind::Literal {
            raw: kind.to_owned(),
            value: kind.to_owned(),
        });
    }
    let (negative, digits) = match kind.strip_prefix('-') {
        Some(digits) => (true, digits),
        None => (false, kind.strip_prefix('+').unwrap_or(kind)),
    };
    if !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()) {
        if digits.len() > 1 && digits.starts_with('0') {
            return Err(Message::new("nova-parse-leading-zero")
                .with("text", kind)
                .with("column", col));
        }
        let value = if negative && digits != "0" {
            format!("-{digits}")
        } else {
            digits.to_owned()
        };
        return Ok(Kind::Literal {
            raw: kind.to_owned(),
            value,
        });
    }
    // Python identifiers (Unicode letters too), as `ast.literal_eval` reads a Name.
    let identifier = |segment: &str| {
        segment.starts_with(|c: char| c.is_alphabetic() || c == '_')
            && segment.chars().all(|c| c.is_alphanumeric() || c == '_')
            && !PYTHON_KEYWORDS.contains(&segment)
    };
    let segments: Vec<&str> = kind.split('.').collect();
    if !segments.iter().all(|s| identifier(s)) {
        return Err(Message::new("nova-parse-bad-kind")
            .with("text", kind)
            .with("column", col));
    }
    if segments.len() > 1 && CREDENTIAL_FIELDS.contains(&segments[0]) {
        return Err(Message::new("nova-parse-field-path")
            .with("text", kind)
            .with("column", col)
            .with("field", segments[0]));
    }
    Ok(Kind::Field(kind.to_owned()))
}

/// The right side of a check, with Python `%`-formatting: `%(key)s` and `%%`.
fn parse_template(raw: &str, col: usize) -> Result<Template, Message> {
    let mut parts = Vec::new();
    let mut text = String::new();
    let mut chars = raw.chars().enumerate().peekable();
    while let Some((index, c)) = chars.next() {
        if c != '%' {
            text.push(c);
            continue;
        }
        match chars.next() {
            Some((_, '%')) => text.push('%'),
            Some((_, '(')) => {
                let mut key = String::new();
                let mut closed = false;
                for (_, k) in chars.by_ref() {
                    if k == ')' {
                        closed = true;
                        break;
                    }
                    if k == '(' {
                        // Python counts nested parentheses in a key; keep keys simple.
                        break;
                    }
                    key.push(k);
                }
                if !closed || chars.next().map(|(_, s)| s) != Some('s') {
                    return Err(Message::new("nova-parse-bad-percent").with("column", col + index));
                }
                if !text.is_empty() {
                    parts.push(Part::Text(core::mem::take(&mut text)));
                }
                parts.push(Part::Key(key));
            }
            _ => return Err(Message::new("nova-parse-bad-percent").with("column", col + index)),
        }
    }
    if !text.is_empty() {
        parts.push(Part::Text(text));
    }
    Ok(Template {
        raw: raw.to_owned(),
        parts,
    })
}

/// A token, named for a message.
fn describe_tok(tok: &Tok) -> Message {
    let symbol = |s: &str| Message::new("nova-parse-token-symbol").with("symbol", s);
    match tok {
        Tok::LParen => symbol("("),
        Tok::RParen => symbol(")"),
        Tok::And => symbol("and"),
        Tok::Or => symbol("or"),
        Tok::Not => symbol("not"),
        Tok::Quoted(text) => Message::new("nova-parse-token-quoted").with("text", text),
        Tok::Check(expr) => Message::new("nova-parse-token-check").with("check", render(expr)),
    }
}

/// Recursive descent with oslo.policy's precedence: `not` > `and` > `or`.
struct Parser {
    tokens: Vec<Token>,
    pos: usize,
    /// The column just after the expression.
    end: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos)
    }

    fn take(&mut self) -> Option<Token> {
        let token = self.tokens.get_mut(self.pos)?;
        let taken = Token {
            tok: core::mem::replace(&mut token.tok, Tok::RParen),
            col: token.col,
        };
        self.pos += 1;
        Some(taken)
    }

    fn parse_or(&mut self, depth: usize) -> Result<Expr, Message> {
        let mut items = vec![self.parse_and(depth)?];
        while matches!(self.peek(), Some(Token { tok: Tok::Or, .. })) {
            self.pos += 1;
            items.push(self.parse_and(depth)?);
        }
        Ok(if items.len() == 1 {
            items.pop().unwrap_or(Expr::Never)
        } else {
            Expr::Or(items)
        })
    }

    fn parse_and(&mut self, depth: usize) -> Result<Expr, Message> {
        let mut items = vec![self.parse_unary(depth)?];
        while matches!(self.peek(), Some(Token { tok: Tok::And, .. })) {
            self.pos += 1;
            items.push(self.parse_unary(depth)?);
        }
        Ok(if items.len() == 1 {
            items.pop().unwrap_or(Expr::Never)
        } else {
            Expr::And(items)
        })
    }

    fn parse_unary(&mut self, depth: usize) -> Result<Expr, Message> {
        let end = self.end;
        let Some(token) = self.take() else {
            return Err(Message::new("nova-parse-ends-early").with("column", end));
        };
        if depth >= MAX_DEPTH {
            return Err(Message::new("nova-parse-too-deep")
                .with("max", MAX_DEPTH)
                .with("column", token.col));
        }
        match token.tok {
            Tok::Check(expr) => Ok(expr),
            Tok::Not => Ok(Expr::Not(Box::new(self.parse_unary(depth + 1)?))),
            Tok::LParen => {
                let inner = self.parse_or(depth + 1)?;
                match self.take() {
                    Some(Token {
                        tok: Tok::RParen, ..
                    }) => Ok(inner),
                    Some(other) => Err(Message::new("nova-parse-unclosed")
                        .with("token", describe_tok(&other.tok))
                        .with("column", other.col)
                        .with("open", token.col)),
                    None => Err(Message::new("nova-parse-never-closed").with("column", token.col)),
                }
            }
            Tok::Quoted(text) => Err(Message::new("nova-parse-quoted")
                .with("text", text)
                .with("column", token.col)),
            other => Err(Message::new("nova-parse-expected-check")
                .with("token", describe_tok(&other))
                .with("column", token.col)),
        }
    }
}

// ------------------------------------------------------------------------------------------------
// Nova's defaults, and oslo.policy's equality of checks
// ------------------------------------------------------------------------------------------------

/// A check string of Nova's own defaults, parsed as Nova parses it: when nova/policy.py imports
/// nova/policies (and oslo.policy parses each `RuleDefault` as it is built), its `IsAdminCheck`
/// is not registered yet, so `is_admin:True` there is a generic check on the `is_admin`
/// credential. (It compares `str(is_admin)`, which gives the same verdicts, but it is not equal
/// to an operator's `is_admin:True`, which matters to `_handle_deprecated_rule`.)
pub(super) fn registered_check(text: &str) -> Expr {
    fn generic(expr: Expr) -> Expr {
        match expr {
            Expr::IsAdmin { raw, .. } => Expr::Generic {
                kind: Kind::Field("is_admin".to_owned()),
                matched: parse_template(&raw, 1).unwrap_or(Template {
                    raw: raw.clone(),
                    parts: vec![Part::Text(raw)],
                }),
            },
            Expr::Not(inner) => Expr::Not(Box::new(generic(*inner))),
            Expr::And(items) => Expr::And(items.into_iter().map(generic).collect()),
            Expr::Or(items) => Expr::Or(items.into_iter().map(generic).collect()),
            other => other,
        }
    }
    parse_text_rule(text).map_or(Expr::Never, generic)
}

/// oslo.policy's `Check.__eq__`, as `_handle_deprecated_rule` compares an override of a
/// deprecated name with the deprecated default: same check types, kinds and matches.
pub(super) fn oslo_eq(a: &Expr, b: &Expr) -> bool {
    match (a, b) {
        (Expr::Always | Expr::Empty, Expr::Always | Expr::Empty) | (Expr::Never, Expr::Never) => {
            true
        }
        (Expr::Role(x), Expr::Role(y)) => x.raw == y.raw,
        (Expr::Rule(x), Expr::Rule(y)) => x == y,
        (Expr::IsAdmin { expected: x, .. }, Expr::IsAdmin { expected: y, .. }) => x == y,
        (
            Expr::Generic {
                kind: k1,
                matched: m1,
            },
            Expr::Generic {
                kind: k2,
                matched: m2,
            },
        ) => k1.raw() == k2.raw() && m1.raw == m2.raw,
        (Expr::Remote(x), Expr::Remote(y)) => x == y,
        (Expr::Not(x), Expr::Not(y)) => oslo_eq(x, y),
        (Expr::And(x), Expr::And(y)) | (Expr::Or(x), Expr::Or(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| oslo_eq(x, y))
        }
        _ => false,
    }
}
