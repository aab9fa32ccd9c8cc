//! May a plain OpenStack user show or clear a server's password under Nova's policy, and why?
//!
//! Nova guards `GET` and `DELETE /servers/{server_id}/os-server-password` with two oslo.policy
//! rules, [`NovaOperation::rule_name`]. [`check_nova`] evaluates one of them for one token against
//! one server, with the defaults of a Nova release ([`NovaRelease`], today's by default) and the
//! operator's `policy.yaml` / `policy.json` overrides ([`NovaPolicy::load`]), and explains the
//! verdict in English and in Simplified Chinese, in words the user can act on ("ask an
//! administrator for the member role in project …").
//!
//! # What is modelled, and how (sources: openstack/nova, openstack/oslo.policy, oslo.context)
//!
//! * **Files** are read as oslo.policy reads them, with `yaml.safe_load` (JSON being a subset):
//!   see the `yaml` module. Strings are the policy language, lists oslo.policy's list-of-lists
//!   form (`[]` is the empty rule, "allow everyone"), null the empty rule.
//! * **Rule language** (oslo_policy/_parser.py, _checks.py): `role:NAME`, generic checks
//!   `FIELD:%(KEY)s`, `FIELD:literal` and `'literal':%(KEY)s`, `rule:NAME`, `and`, `or`, `not`,
//!   parentheses, `@`, `!` and the empty rule. Precedence is `not` > `and` > `or`; the keywords are
//!   case-insensitive, the check kinds case-sensitive (`Role:admin` is a generic check on a
//!   credential field named `Role`). `is_admin:` is Nova's own `IsAdminCheck` (nova/policy.py):
//!   true when the context's `is_admin` equals `match.lower() == 'true'`, without substitution.
//!   A `rule:` to an undefined rule evaluates the rule named `default` when the file defines one
//!   (oslo.policy's `policy_default_rule`), and is false otherwise.
//! * **Defaults** are registered as Nova registers them, by reference to its base rules
//!   (`rule:project_reader_or_admin`, ...), with their deprecated rules handled as oslo.policy's
//!   `Enforcer._handle_deprecated_rule` does: an override of the deprecated name
//!   (`os_compute_api:os-server-password`, `rule:admin_or_owner`, `rule:admin_api`) replaces the
//!   new default unless the new name is overridden too; with `enforce_new_defaults=False` the
//!   deprecated check is or-ed in.
//! * **Strict parsing**: where oslo.policy logs "Failed to understand rule" and silently denies
//!   everyone, or crashes, [`NovaPolicy::load`] returns an error naming the rule and the line.
//! * **Credentials** are Nova's `RequestContext.to_policy_values()`: oslo.context's fields (unset
//!   ones are `None`, which a generic check compares as the text `None`), `roles` as Keystone puts
//!   them in the token (with the roles they imply, see [`IMPLIED_ROLES`]), `is_admin_project` True,
//!   and `is_admin`, which Nova computes when it builds the context: the `context_is_admin` rule
//!   evaluated with the token's own project and user as the target, while `is_admin` is still
//!   `None` (nova/context.py, nova/policy.py `check_is_admin`).
//! * **Lookup**: Nova loads the server before it checks the rule, and for a non-admin token with
//!   a project the database query only finds servers of that project (nova/db/main/api.py
//!   `model_query(project_only=True)`, `nova.context.is_user_context`): another project's server
//!   is "not found" (404) whatever the policy says.
//! * **Scope**: the rules have `scope_types=['project']` and oslo.policy enforces scope, so a
//!   system- or domain-scoped token is denied before the rule is looked at (not in Legacy).
//! * **Safety**: `rule:` cycles, nesting deeper than 32 levels and `http:` checks (which would call
//!   a remote server) are reported as errors; evaluation is memoised and never recurses without
//!   bound.

mod release;
mod yaml;

pub use release::NovaRelease;

use core::fmt;
use std::collections::{BTreeMap, HashMap};

/// Deepest nesting of parentheses, `not` and `rule:` references that is evaluated.
const MAX_DEPTH: usize = 32;
/// Most alternatives (disjunctive terms) the explanation considers before giving up on detail.
const MAX_TERMS: usize = 64;
/// Most checks in one alternative the explanation considers.
const MAX_TERM_LEN: usize = 32;
/// Most other alternatives listed after a denial.
const MAX_ALTERNATIVES_SHOWN: usize = 3;

/// The rule Nova evaluates to fill the `is_admin` credential.
const CONTEXT_IS_ADMIN: &str = "context_is_admin";
/// The rule oslo.policy falls back to for an undefined `rule:` reference
/// (`[oslo_policy] policy_default_rule`, default `default`; oslo_policy/policy.py `Rules`).
const DEFAULT_RULE: &str = "default";

/// Keystone's implied roles as `keystone-manage bootstrap` creates them today
/// (keystone/cmd/bootstrap.py, since Keystone 24.0.0 / 2023.2): each role and the role it implies.
pub const IMPLIED_ROLES: [(&str, &str); 3] = [
    ("admin", "manager"),
    ("manager", "member"),
    ("member", "reader"),
];

// ------------------------------------------------------------------------------------------------
// Public types
// ------------------------------------------------------------------------------------------------

/// The two Nova password operations.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NovaOperation {
    /// `GET /servers/{server_id}/os-server-password`: read the encrypted password.
    Show,
    /// `DELETE /servers/{server_id}/os-server-password`: erase it from the metadata service.
    Clear,
}

impl NovaOperation {
    /// Both operations, show first.
    pub const ALL: [NovaOperation; 2] = [NovaOperation::Show, NovaOperation::Clear];

    /// The oslo.policy rule name Nova checks, e.g. `os_compute_api:os-server-password:show`.
    pub const fn rule_name(self) -> &'static str {
        match self {
            NovaOperation::Show => "os_compute_api:os-server-password:show",
            NovaOperation::Clear => "os_compute_api:os-server-password:clear",
        }
    }

    /// Nova's default for [`rule_name`](Self::rule_name) today, by reference to its base rules:
    /// readers (show) or members (clear) of the server's project, or admins.
    pub const fn default_rule(self) -> &'static str {
        match self {
            NovaOperation::Show => "rule:project_reader_or_admin",
            NovaOperation::Clear => "rule:project_member_or_admin",
        }
    }

    /// The rule name Nova checks in `release` (one shared name in Legacy).
    pub const fn rule_name_in(self, release: NovaRelease) -> &'static str {
        let [show, clear] = release::password_rules(release);
        match self {
            NovaOperation::Show => show,
            NovaOperation::Clear => clear,
        }
    }
}

/// What the user's Keystone token says about them (oslo.context's policy values).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct NovaCredentials {
    /// The role names on the token, as assigned (implied roles are added by [`check_nova`]).
    pub roles: Vec<String>,
    /// The project the token is scoped to; empty for a token with no project scope.
    pub project_id: String,
    /// The user's ID, for rules such as `user_id:%(user_id)s`.
    pub user_id: Option<String>,
    /// The domain the token is scoped to, for a domain-scoped token (which has no project).
    pub domain_id: Option<String>,
    /// `all` for a system-scoped token.
    pub system_scope: Option<String>,
}

/// The server the password belongs to, as Nova describes it to the policy engine.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct NovaTarget {
    /// The project that owns the server.
    pub project_id: String,
    /// The user who created the server, when known. (Nova itself sends only the project for
    /// these two rules, so leave this `None` to model Nova exactly.)
    pub user_id: Option<String>,
}

/// How Nova is configured: which release's defaults, and `[oslo_policy] enforce_new_defaults`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct NovaConfig {
    /// The release whose defaults apply (today's by default).
    pub release: NovaRelease,
    /// `True` in Nova since 2023.1 (nova/policy.py sets it) and in oslo.policy since 4.5.0:
    /// deprecated defaults are ignored. `False` or-s each deprecated check into its new default.
    pub enforce_new_defaults: bool,
}

impl Default for NovaConfig {
    fn default() -> Self {
        NovaConfig {
            release: NovaRelease::default(),
            enforce_new_defaults: true,
        }
    }
}

/// Nova's rules as its oslo.policy `Enforcer` holds them: the operator's file rules, and each
/// registered default that the file does not override.
#[derive(Clone, Debug)]
pub struct NovaPolicy {
    /// Rule name -> rule in effect.
    rules: BTreeMap<String, PolicyRule>,
    config: NovaConfig,
}

/// One rule of a [`NovaPolicy`].
#[derive(Clone, Debug)]
struct PolicyRule {
    expr: Expr,
    origin: Origin,
    /// Written in YAML as a bare `!`, which YAML reads as an empty value (so: allow everyone).
    bare_bang: bool,
}

/// Where a rule in effect comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Origin {
    /// Nova's registered default.
    Default,
    /// The operator's file, under this name.
    File,
    /// The operator's override of the deprecated name (e.g. `os_compute_api:os-server-password`).
    Deprecated(String),
    /// The default or-ed with its deprecated check (`enforce_new_defaults = False`).
    DefaultOrDeprecated,
}

/// Why a policy file could not be read or a rule could not be evaluated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NovaPolicyError {
    /// The rule at fault, when the error belongs to one.
    pub rule: Option<String>,
    /// What is wrong and where, in English.
    pub message: String,
}

impl NovaPolicyError {
    fn new(rule: Option<&str>, message: impl Into<String>) -> Self {
        NovaPolicyError {
            rule: rule.map(str::to_owned),
            message: message.into(),
        }
    }
}

impl fmt::Display for NovaPolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.rule {
            Some(rule) => write!(f, "policy rule \"{rule}\": {}", self.message),
            None => write!(f, "policy file: {}", self.message),
        }
    }
}

impl std::error::Error for NovaPolicyError {}

/// The verdict of [`check_nova`], with the reasons.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NovaDecision {
    /// Whether Nova lets this token perform the operation on this server.
    pub allowed: bool,
    /// The rule name checked, e.g. `os_compute_api:os-server-password:show`.
    pub rule: String,
    /// The rule's expression in effect, re-rendered canonically (`""` for the empty rule).
    pub expression: String,
    /// True when the operator's policy file replaced Nova's default for this rule.
    pub overridden: bool,
    /// The token's roles after Keystone's implications, lowercase and sorted.
    pub effective_roles: Vec<String>,
    /// What Nova computed for the context's `is_admin` (the `context_is_admin` rule).
    pub is_admin: bool,
    /// The Nova release whose defaults were used.
    pub release: NovaRelease,
    /// Why, in English.
    pub explanation_en: String,
    /// Why, in Simplified Chinese.
    pub explanation_zh: String,
}

impl NovaPolicy {
    /// Today's Nova defaults, without a policy file.
    pub fn defaults() -> NovaPolicy {
        NovaPolicy::build(Vec::new(), NovaConfig::default())
    }

    /// Today's Nova defaults with the operator's policy file (YAML or JSON).
    pub fn parse(text: &str) -> Result<NovaPolicy, NovaPolicyError> {
        NovaPolicy::load(Some(text), NovaConfig::default())
    }

    /// The defaults of `config.release`, overridden by the operator's policy file when given.
    /// Errors name the rule and the line.
    pub fn load(text: Option<&str>, config: NovaConfig) -> Result<NovaPolicy, NovaPolicyError> {
        let mut file = Vec::new();
        if let Some(text) = text {
            let text = text.strip_prefix('\u{feff}').unwrap_or(text);
            let entries = yaml::read_policy_file(text)
                .map_err(|e| NovaPolicyError::new(e.rule.as_deref(), e.message))?;
            for entry in entries {
                let (expr, bare_bang) = file_rule(&entry)?;
                file.push((entry.name, expr, bare_bang));
            }
        }
        Ok(NovaPolicy::build(file, config))
    }

    /// The release and settings this policy models.
    pub fn config(&self) -> NovaConfig {
        self.config
    }

    /// oslo.policy's `Enforcer.load_rules`: the file's rules, then every registered default the
    /// file leaves out, through `_handle_deprecated_rule`.
    fn build(file: Vec<(String, Expr, bool)>, config: NovaConfig) -> NovaPolicy {
        let mut rules: BTreeMap<String, PolicyRule> = BTreeMap::new();
        for (name, expr, bare_bang) in file {
            rules.insert(
                name,
                PolicyRule {
                    expr,
                    origin: Origin::File,
                    bare_bang,
                },
            );
        }
        let file_rules: BTreeMap<String, Expr> = rules
            .iter()
            .map(|(name, rule)| (name.clone(), rule.expr.clone()))
            .collect();
        for default in release::registered(config.release) {
            if rules.contains_key(default.name) {
                continue;
            }
            // The defaults are constants that parse; `!` (deny) is the safe stand-in.
            let check = registered_check(default.check);
            let mut rule = PolicyRule {
                expr: check.clone(),
                origin: Origin::Default,
                bare_bang: false,
            };
            if let Some((old_name, old_check)) = default.deprecated {
                let old = registered_check(old_check);
                let overridden = file_rules.get(old_name).filter(|file_check| {
                    old_name != default.name
                        && !oslo_eq(file_check, &old)
                        && !matches!(file_check, Expr::Rule(r) if r == default.name)
                });
                if let Some(file_check) = overridden {
                    rule.expr = file_check.clone();
                    rule.origin = Origin::Deprecated(old_name.to_owned());
                } else if !config.enforce_new_defaults && old_check != default.check {
                    rule.expr = Expr::Or(vec![check, old]);
                    rule.origin = Origin::DefaultOrDeprecated;
                }
            }
            rules.insert(default.name.to_owned(), rule);
        }
        NovaPolicy { rules, config }
    }
}

/// A check string of Nova's own defaults, parsed as Nova parses it: when nova/policy.py imports
/// nova/policies (and oslo.policy parses each `RuleDefault` as it is built), its `IsAdminCheck`
/// is not registered yet, so `is_admin:True` there is a generic check on the `is_admin`
/// credential. (It compares `str(is_admin)`, which gives the same verdicts, but it is not equal
/// to an operator's `is_admin:True`, which matters to `_handle_deprecated_rule`.)
fn registered_check(text: &str) -> Expr {
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

/// A file entry as a rule: the policy language for strings, the list-of-lists form for lists.
fn file_rule(entry: &yaml::FileEntry) -> Result<(Expr, bool), NovaPolicyError> {
    let name = entry.name.as_str();
    let line = entry.line;
    match &entry.value {
        yaml::RuleValue::Null { bare_bang } => Ok((Expr::Empty, *bare_bang)),
        yaml::RuleValue::Text(text) => {
            parse_text_rule(text)
                .map(|expr| (expr, false))
                .map_err(|m| {
                    NovaPolicyError::new(Some(name), format!("line {line}: {m} (in `{text}`)"))
                })
        }
        yaml::RuleValue::List(items) => parse_list_rule(items)
            .map(|expr| (expr, false))
            .map_err(|m| NovaPolicyError::new(Some(name), format!("line {line}: {m}"))),
    }
}

/// oslo.policy's `Check.__eq__`, as `_handle_deprecated_rule` compares an override of a
/// deprecated name with the deprecated default: same check types, kinds and matches.
fn oslo_eq(a: &Expr, b: &Expr) -> bool {
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

impl Default for NovaPolicy {
    fn default() -> Self {
        NovaPolicy::defaults()
    }
}

// ------------------------------------------------------------------------------------------------
// Expressions
// ------------------------------------------------------------------------------------------------

/// A parsed oslo.policy check string.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Expr {
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
enum Kind {
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
struct Template {
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
    fn single_key(&self) -> Option<&str> {
        match self.parts.as_slice() {
            [Part::Key(key)] => Some(key),
            _ => None,
        }
    }

    /// The template with the target's values filled in; `None` when a key is missing (oslo.policy's
    /// `KeyError`, which makes the check false).
    fn resolve(&self, lookup: impl Fn(&str) -> Option<String>) -> Option<String> {
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
fn render(expr: &Expr) -> String {
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
fn parse_text_rule(text: &str) -> Result<Expr, String> {
    if text.is_empty() {
        return Ok(Expr::Empty);
    }
    let tokens = tokenize(text)?;
    if tokens.is_empty() {
        return Err(
            "the rule is blank (only whitespace), which oslo.policy cannot parse and treats \
                    as \"deny everyone\"; write \"\" to allow everyone or \"!\" to deny everyone"
                .to_owned(),
        );
    }
    let mut parser = Parser {
        tokens,
        pos: 0,
        end: text.chars().count() + 1,
    };
    let expr = parser.parse_or(0)?;
    match parser.peek() {
        None => Ok(expr),
        Some(token) => Err(format!(
            "unexpected {} at column {}",
            describe_tok(&token.tok),
            token.col
        )),
    }
}

/// Python's `\\s` (`str.isspace`): Unicode whitespace plus the separators U+001C to U+001F.
fn is_python_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// Splits on whitespace, then peels parentheses off the ends of each word, as oslo.policy does.
fn tokenize(text: &str) -> Result<Vec<Token>, String> {
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

fn tokenize_word(word: &str, col: usize, tokens: &mut Vec<Token>) -> Result<(), String> {
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
fn parse_check(text: &str, col: usize) -> Result<Expr, String> {
    match text {
        "!" => return Ok(Expr::Never),
        "@" => return Ok(Expr::Always),
        _ => {}
    }
    let Some((kind, matched)) = text.split_once(':') else {
        return Err(format!(
            "`{text}` at column {col} is not a check: write kind:match (for example \
             role:member or rule:admin_api), @ or !"
        ));
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
        "" => Err(format!(
            "`{text}` at column {col} has nothing before the `:`"
        )),
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
const CREDENTIAL_FIELDS: [&str; 15] = [
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
fn parse_kind(kind: &str, col: usize) -> Result<Kind, String> {
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
        return Err(format!(
            "the quoted text `{kind}` at column {col} is not a simple string literal"
        ));
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
            return Err(format!(
                "the number `{kind}` at column {col} has a leading zero, which Python rejects"
            ));
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
        return Err(format!(
            "`{kind}` at column {col} is neither a credential field name (such as project_id) \
             nor a simple literal ('text', a whole number, True, False or None); oslo.policy reads \
             it as a Python expression"
        ));
    }
    if segments.len() > 1 && CREDENTIAL_FIELDS.contains(&segments[0]) {
        return Err(format!(
            "`{kind}` at column {col} looks inside the credential field {}, which is not a \
             mapping (oslo.policy fails with a TypeError)",
            segments[0]
        ));
    }
    Ok(Kind::Field(kind.to_owned()))
}

/// The right side of a check, with Python `%`-formatting: `%(key)s` and `%%`.
fn parse_template(raw: &str, col: usize) -> Result<Template, String> {
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
                    return Err(format!(
                        "the `%` at column {} must be written %(key)s (or %% for a literal %)",
                        col + index
                    ));
                }
                if !text.is_empty() {
                    parts.push(Part::Text(core::mem::take(&mut text)));
                }
                parts.push(Part::Key(key));
            }
            _ => {
                return Err(format!(
                    "the `%` at column {} must be written %(key)s (or %% for a literal %)",
                    col + index
                ))
            }
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

fn describe_tok(tok: &Tok) -> String {
    match tok {
        Tok::LParen => "`(`".to_owned(),
        Tok::RParen => "`)`".to_owned(),
        Tok::And => "`and`".to_owned(),
        Tok::Or => "`or`".to_owned(),
        Tok::Not => "`not`".to_owned(),
        Tok::Quoted(text) => format!("quoted text {text}"),
        Tok::Check(expr) => format!("check `{}` (join checks with `and` or `or`)", render(expr)),
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

    fn parse_or(&mut self, depth: usize) -> Result<Expr, String> {
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

    fn parse_and(&mut self, depth: usize) -> Result<Expr, String> {
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

    fn parse_unary(&mut self, depth: usize) -> Result<Expr, String> {
        let end = self.end;
        let Some(token) = self.take() else {
            return Err(format!(
                "the rule ends at column {end} where a check was expected"
            ));
        };
        if depth >= MAX_DEPTH {
            return Err(format!(
                "the rule nests `(` and `not` more than {MAX_DEPTH} levels deep (column {})",
                token.col
            ));
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
                    Some(other) => Err(format!(
                        "unexpected {} at column {}; the `(` at column {} is not closed",
                        describe_tok(&other.tok),
                        other.col,
                        token.col
                    )),
                    None => Err(format!("the `(` at column {} is never closed", token.col)),
                }
            }
            Tok::Quoted(text) => Err(format!(
                "quoted text {text} at column {} is not a check (oslo.policy cannot parse it)",
                token.col
            )),
            other => Err(format!(
                "unexpected {} at column {} where a check was expected",
                describe_tok(&other),
                token.col
            )),
        }
    }
}

// ------------------------------------------------------------------------------------------------
// Policy files
// ------------------------------------------------------------------------------------------------

/// oslo.policy's list-of-lists syntax (`_parse_list_rule`): the outer list is `or`, each inner
/// list is `and`, and each string is one check (not an expression). `[]` is the empty rule; empty
/// strings and empty lists in the outer list are skipped, and nothing left means `!`.
fn parse_list_rule(items: &[yaml::ListItem]) -> Result<Expr, String> {
    if items.is_empty() {
        return Ok(Expr::Empty);
    }
    let mut alternatives = Vec::new();
    for (outer, item) in items.iter().enumerate() {
        let checks: Vec<&String> = match item {
            yaml::ListItem::Text(text) if text.is_empty() => continue,
            yaml::ListItem::Text(text) => vec![text],
            yaml::ListItem::List(inner) => inner.iter().collect(),
        };
        let mut all = Vec::new();
        for (inner, text) in checks.iter().enumerate() {
            let expr = parse_check(text, 1).map_err(|message| {
                format!("element {}.{} of the list: {message}", outer + 1, inner + 1)
            })?;
            all.push(expr);
        }
        match all.len() {
            0 => {}
            1 => alternatives.extend(all),
            _ => alternatives.push(Expr::And(all)),
        }
    }
    Ok(match alternatives.len() {
        0 => Expr::Never,
        1 => alternatives.pop().unwrap_or(Expr::Never),
        _ => Expr::Or(alternatives),
    })
}

// ------------------------------------------------------------------------------------------------
// Validation: cycles, depth, remote checks
// ------------------------------------------------------------------------------------------------

struct Validator<'p> {
    policy: &'p NovaPolicy,
    heights: HashMap<String, usize>,
    stack: Vec<String>,
    root: String,
}

/// Checks everything the rule `name` can reach: no `rule:` cycle, no nesting deeper than
/// [`MAX_DEPTH`], no `http:` check.
fn validate(policy: &NovaPolicy, name: &str) -> Result<(), NovaPolicyError> {
    let mut validator = Validator {
        policy,
        heights: HashMap::new(),
        stack: Vec::new(),
        root: name.to_owned(),
    };
    let height = validator.rule_height(name, 0)?;
    if height > MAX_DEPTH {
        return Err(validator.too_deep());
    }
    Ok(())
}

impl Validator<'_> {
    fn too_deep(&self) -> NovaPolicyError {
        NovaPolicyError::new(
            Some(&self.root),
            format!(
                "the rule nests `rule:` references, `not` and parentheses more than {MAX_DEPTH} \
                 levels deep"
            ),
        )
    }

    fn rule_height(&mut self, name: &str, depth: usize) -> Result<usize, NovaPolicyError> {
        if let Some(&height) = self.heights.get(name) {
            return Ok(height);
        }
        if let Some(start) = self.stack.iter().position(|n| n == name) {
            let mut cycle: Vec<String> = self
                .stack
                .iter()
                .skip(start)
                .map(|n| format!("rule:{n}"))
                .collect();
            cycle.push(format!("rule:{name}"));
            return Err(NovaPolicyError::new(
                Some(name),
                format!(
                    "the rules refer to each other in a cycle ({}), so they can never be decided",
                    cycle.join(" -> ")
                ),
            ));
        }
        let Some((resolved, rule)) = self.policy.lookup(name) else {
            return Ok(0);
        };
        if resolved != name {
            return self.rule_height(resolved, depth);
        }
        self.stack.push(name.to_owned());
        let height = self.expr_height(&rule.expr, depth, name)?;
        self.stack.pop();
        self.heights.insert(name.to_owned(), height);
        Ok(height)
    }

    fn expr_height(
        &mut self,
        expr: &Expr,
        depth: usize,
        rule: &str,
    ) -> Result<usize, NovaPolicyError> {
        if depth > MAX_DEPTH {
            return Err(self.too_deep());
        }
        Ok(match expr {
            Expr::Remote(raw) => {
                return Err(NovaPolicyError::new(
                    Some(rule),
                    format!(
                        "`{raw}` asks a remote server for the decision; this tool cannot evaluate \
                         http: or https: checks"
                    ),
                ))
            }
            Expr::Not(inner) => 1 + self.expr_height(inner, depth + 1, rule)?,
            Expr::And(items) | Expr::Or(items) => {
                let mut highest = 0;
                for item in items {
                    highest = highest.max(self.expr_height(item, depth + 1, rule)?);
                }
                1 + highest
            }
            Expr::Rule(name) => 1 + self.rule_height(name, depth + 1)?,
            _ => 0,
        })
    }
}

// ------------------------------------------------------------------------------------------------
// Evaluation
// ------------------------------------------------------------------------------------------------

impl NovaPolicy {
    /// The rule `rule:NAME` evaluates: NAME, or else the file's `default` rule (oslo.policy's
    /// `Rules.__missing__`), with the name actually used.
    fn lookup<'p>(&'p self, name: &'p str) -> Option<(&'p str, &'p PolicyRule)> {
        match self.rules.get(name) {
            Some(rule) => Some((name, rule)),
            None => self
                .rules
                .get(DEFAULT_RULE)
                .map(|rule| (DEFAULT_RULE, rule)),
        }
    }
}

/// The roles Keystone puts in the token: the assigned ones as written, then those they imply
/// (by lowercase name) that are not there yet.
fn token_roles(roles: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for role in roles.iter().map(|r| r.trim()).filter(|r| !r.is_empty()) {
        if !out.iter().any(|o| o.to_lowercase() == role.to_lowercase()) {
            out.push(role.to_owned());
        }
    }
    let mut index = 0;
    while let Some(role) = out.get(index) {
        let lower = role.to_lowercase();
        for (from, to) in IMPLIED_ROLES {
            if lower == from && !out.iter().any(|o| o.to_lowercase() == to) {
                out.push(to.to_owned());
            }
        }
        index += 1;
    }
    out
}

/// The token's roles plus everything they imply, lowercase, sorted, without duplicates.
fn effective_roles(roles: &[String]) -> Vec<String> {
    let mut set: Vec<String> = token_roles(roles)
        .iter()
        .map(|r| r.to_lowercase())
        .collect();
    set.sort();
    set.dedup();
    set
}

/// The assigned role that implies `role`, when the token has `role` only through implication.
fn implied_by(role: &str, assigned: &[String]) -> Option<String> {
    let assigned: Vec<String> = assigned.iter().map(|r| r.trim().to_lowercase()).collect();
    if assigned.iter().any(|a| a == role) {
        return None;
    }
    let mut current = role.to_owned();
    for _ in 0..IMPLIED_ROLES.len() {
        let Some((from, _)) = IMPLIED_ROLES.iter().find(|(_, to)| *to == current) else {
            break;
        };
        if assigned.iter().any(|a| a == from) {
            return Some((*from).to_owned());
        }
        current = (*from).to_owned();
    }
    None
}

/// Where `%(key)s` values come from.
#[derive(Clone, Copy, PartialEq, Eq)]
enum View {
    /// The password rule's target: the server's project (or, in Legacy, the token's own project
    /// and user: `default_target(context)`).
    Server,
    /// The target of `context_is_admin` while Nova computes `is_admin`: the token's own project
    /// and user (`default_target(context)`), with `is_admin` still `None`.
    Credentials,
}

/// A credential value as oslo.policy's generic check compares it: `str()` of a scalar (`None`,
/// `True`), or each element of a list.
#[derive(Clone, Debug)]
enum Value {
    One(String),
    Many(Vec<String>),
}

/// `str()` of an optional string: Python prints a missing value as `None`.
fn py_str(value: Option<&str>) -> String {
    value.unwrap_or("None").to_owned()
}

fn non_empty(value: Option<&str>) -> Option<&str> {
    value.filter(|v| !v.is_empty())
}

struct Evaluator<'a> {
    policy: &'a NovaPolicy,
    credentials: &'a NovaCredentials,
    target: &'a NovaTarget,
    /// The roles in the token (assigned and implied), as Keystone writes them.
    token_roles: Vec<String>,
    view: View,
    memo: HashMap<String, bool>,
    dnf_memo: HashMap<(String, bool), Option<Vec<Term>>>,
    is_admin: Option<bool>,
}

impl<'a> Evaluator<'a> {
    fn new(
        policy: &'a NovaPolicy,
        credentials: &'a NovaCredentials,
        target: &'a NovaTarget,
        view: View,
    ) -> Self {
        Evaluator {
            policy,
            credentials,
            target,
            token_roles: token_roles(&credentials.roles),
            view,
            memo: HashMap::new(),
            dnf_memo: HashMap::new(),
            is_admin: None,
        }
    }

    fn token_project(&self) -> Option<&str> {
        non_empty(Some(&self.credentials.project_id))
    }

    /// The target's value for `%(key)s`, as `str()` of it; `None` when the target lacks the key.
    fn target_value(&self, key: &str) -> Option<String> {
        let own_target =
            self.view == View::Credentials || !self.policy.config.release.targets_the_server();
        if own_target {
            return match key {
                "project_id" => Some(py_str(self.token_project())),
                "user_id" => Some(py_str(non_empty(self.credentials.user_id.as_deref()))),
                _ => None,
            };
        }
        match key {
            "project_id" => Some(self.target.project_id.clone()),
            "user_id" => self.target.user_id.clone(),
            _ => None,
        }
    }

    fn resolve(&self, template: &Template) -> Option<String> {
        template.resolve(|key| self.target_value(key))
    }

    /// `is_admin`, as Nova computes it: the `context_is_admin` rule with the token's own project
    /// and user as the target. `None` while it is being computed.
    fn is_admin(&mut self) -> Result<Option<bool>, NovaPolicyError> {
        if let View::Credentials = self.view {
            return Ok(None);
        }
        if let Some(known) = self.is_admin {
            return Ok(Some(known));
        }
        validate(self.policy, CONTEXT_IS_ADMIN)?;
        let mut inner = Evaluator::new(
            self.policy,
            self.credentials,
            self.target,
            View::Credentials,
        );
        let value = inner.eval_rule(CONTEXT_IS_ADMIN)?;
        self.is_admin = Some(value);
        Ok(Some(value))
    }

    /// The credential's value for a generic check's field; `None` when the credentials lack it.
    fn credential_value(&self, field: &str) -> Option<Value> {
        let c = self.credentials;
        let scalar = |v: Option<&str>| Some(Value::One(py_str(non_empty(v))));
        match field {
            "roles" => Some(Value::Many(self.token_roles.clone())),
            "service_roles" => Some(Value::Many(Vec::new())),
            "project_id" => scalar(Some(&c.project_id)),
            "user_id" => scalar(c.user_id.as_deref()),
            "domain_id" => scalar(c.domain_id.as_deref()),
            "system_scope" => scalar(c.system_scope.as_deref()),
            // `enforce` copies a set system_scope to `system`; otherwise the key is absent.
            "system" => non_empty(c.system_scope.as_deref()).map(|s| Value::One(s.to_owned())),
            "is_admin_project" => Some(Value::One("True".to_owned())),
            "user_domain_id"
            | "project_domain_id"
            | "service_user_id"
            | "service_user_domain_id"
            | "service_project_id"
            | "service_project_domain_id" => scalar(None),
            _ => None,
        }
    }

    fn has_role(&self, name: &str) -> bool {
        let name = name.to_lowercase();
        self.token_roles.iter().any(|r| r.to_lowercase() == name)
    }

    /// The truth of an expression, short-circuiting left to right as oslo.policy does.
    fn eval(&mut self, expr: &Expr) -> Result<bool, NovaPolicyError> {
        Ok(match expr {
            Expr::Always | Expr::Empty => true,
            Expr::Never => false,
            Expr::Role(template) => self
                .resolve(template)
                .is_some_and(|name| self.has_role(&name)),
            Expr::IsAdmin { expected, .. } => self.is_admin()? == Some(*expected),
            Expr::Generic { kind, matched } => {
                let Some(expected) = self.resolve(matched) else {
                    return Ok(false);
                };
                match kind {
                    Kind::Literal { value, .. } => *value == expected,
                    Kind::Field(field) if field == "is_admin" => {
                        let value = match self.is_admin()? {
                            Some(true) => "True",
                            Some(false) => "False",
                            None => "None",
                        };
                        value == expected
                    }
                    Kind::Field(field) => match self.credential_value(field) {
                        Some(Value::One(value)) => value == expected,
                        Some(Value::Many(values)) => values.contains(&expected),
                        None => false,
                    },
                }
            }
            Expr::Rule(name) => self.eval_rule(name)?,
            Expr::Remote(raw) => {
                return Err(NovaPolicyError::new(
                    None,
                    format!("cannot evaluate the remote check `{raw}`"),
                ))
            }
            Expr::Not(inner) => !self.eval(inner)?,
            Expr::And(items) => {
                for item in items {
                    if !self.eval(item)? {
                        return Ok(false);
                    }
                }
                true
            }
            Expr::Or(items) => {
                for item in items {
                    if self.eval(item)? {
                        return Ok(true);
                    }
                }
                false
            }
        })
    }

    fn eval_rule(&mut self, name: &str) -> Result<bool, NovaPolicyError> {
        let policy = self.policy;
        let Some((resolved, rule)) = policy.lookup(name) else {
            return Ok(false);
        };
        if let Some(&known) = self.memo.get(resolved) {
            return Ok(known);
        }
        let value = self.eval(&rule.expr)?;
        self.memo.insert(resolved.to_owned(), value);
        Ok(value)
    }
}

// ------------------------------------------------------------------------------------------------
// Explanation: the rule as alternatives (disjunctive normal form) of plain checks
// ------------------------------------------------------------------------------------------------

/// A check as the explanation sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Atom {
    /// `@` (`empty`: the empty rule).
    Always { empty: bool },
    /// `!`.
    Never,
    /// `role:NAME`, NAME lowercase.
    Role(String),
    /// `project_id:%(project_id)s`.
    Project,
    /// Any other check on a credential field.
    Field {
        field: String,
        expected: Option<String>,
        key: Option<String>,
        known: bool,
    },
    /// A check whose truth does not depend on the user (a literal on the left, or a `%(key)s`
    /// the target lacks).
    Constant,
    /// `rule:NAME` where NAME is not defined: oslo.policy fails closed.
    Undefined(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Lit {
    atom: Atom,
    negated: bool,
    holds: bool,
    /// The check as written, e.g. `role:reader`.
    text: String,
}

impl Lit {
    fn render(&self) -> String {
        if self.negated {
            format!("not {}", self.text)
        } else {
            self.text.clone()
        }
    }

    /// How hard it is for a plain user to make this check hold: becoming an admin (cloud-wide in
    /// Keystone's default model) is the least likely fix, so it weighs more than the others.
    fn cost(&self) -> usize {
        match &self.atom {
            Atom::Role(role) if !self.negated && role == "admin" => 3,
            Atom::Field { field, .. } if !self.negated && field == "is_admin" => 3,
            _ => 1,
        }
    }

    /// Failing, and no change to the user's roles or token can make it hold.
    fn unfixable(&self) -> bool {
        if self.holds {
            return false;
        }
        match &self.atom {
            Atom::Always { .. } | Atom::Never | Atom::Constant | Atom::Undefined(_) => true,
            Atom::Field {
                expected,
                known,
                field,
                ..
            } => expected.is_none() || !known || field == "is_admin_project",
            Atom::Role(_) | Atom::Project => false,
        }
    }
}

type Term = Vec<Lit>;

impl Evaluator<'_> {
    fn atom_of(&mut self, expr: &Expr) -> Result<Atom, NovaPolicyError> {
        Ok(match expr {
            Expr::Always => Atom::Always { empty: false },
            Expr::Empty => Atom::Always { empty: true },
            Expr::Never => Atom::Never,
            Expr::Role(template) => match self.resolve(template) {
                Some(name) => Atom::Role(name.to_lowercase()),
                None => Atom::Constant,
            },
            Expr::Generic {
                kind: Kind::Literal { .. },
                ..
            } => Atom::Constant,
            Expr::Generic {
                kind: Kind::Field(field),
                matched,
            } => {
                let server = self.policy.config.release.targets_the_server();
                if field == "project_id"
                    && matched.single_key() == Some("project_id")
                    && server
                    && self.view == View::Server
                {
                    return Ok(Atom::Project);
                }
                Atom::Field {
                    field: field.clone(),
                    expected: self.resolve(matched),
                    key: matched.single_key().map(str::to_owned),
                    known: CREDENTIAL_FIELDS.contains(&field.as_str()),
                }
            }
            Expr::IsAdmin { expected, .. } => Atom::Field {
                field: "is_admin".to_owned(),
                expected: Some(if *expected { "True" } else { "False" }.to_owned()),
                key: None,
                known: true,
            },
            Expr::Rule(name) => Atom::Undefined(name.clone()),
            _ => Atom::Constant,
        })
    }

    /// The alternatives under which `expr` (negated when `negated`) holds; `None` when there are
    /// too many to explain.
    fn dnf(&mut self, expr: &Expr, negated: bool) -> Result<Option<Vec<Term>>, NovaPolicyError> {
        match expr {
            Expr::Not(inner) => self.dnf(inner, !negated),
            Expr::And(items) | Expr::Or(items) => {
                let conjunction = matches!(expr, Expr::And(_)) != negated;
                let mut children = Vec::new();
                for item in items {
                    match self.dnf(item, negated)? {
                        Some(terms) => children.push(terms),
                        None => return Ok(None),
                    }
                }
                Ok(if conjunction {
                    product(children)
                } else {
                    concat(children)
                })
            }
            Expr::Rule(name) if self.policy.lookup(name).is_some() => {
                let policy = self.policy;
                let Some((resolved, rule)) = policy.lookup(name) else {
                    return Ok(None);
                };
                let key = (resolved.to_owned(), negated);
                if let Some(known) = self.dnf_memo.get(&key) {
                    return Ok(known.clone());
                }
                let terms = self.dnf(&rule.expr, negated)?;
                self.dnf_memo.insert(key, terms.clone());
                Ok(terms)
            }
            leaf => {
                let holds = self.eval(leaf)? != negated;
                let atom = self.atom_of(leaf)?;
                Ok(Some(vec![vec![Lit {
                    atom,
                    negated,
                    holds,
                    text: render(leaf),
                }]]))
            }
        }
    }
}

fn concat(children: Vec<Vec<Term>>) -> Option<Vec<Term>> {
    let mut out: Vec<Term> = Vec::new();
    for terms in children {
        for term in terms {
            if !out.contains(&term) {
                out.push(term);
            }
        }
        if out.len() > MAX_TERMS {
            return None;
        }
    }
    Some(out)
}

fn product(children: Vec<Vec<Term>>) -> Option<Vec<Term>> {
    let mut acc: Vec<Term> = vec![Vec::new()];
    for terms in children {
        if acc.len().saturating_mul(terms.len()) > MAX_TERMS {
            return None;
        }
        let mut next = Vec::new();
        for left in &acc {
            for right in &terms {
                let mut term = left.clone();
                for lit in right {
                    if !term.contains(lit) {
                        term.push(lit.clone());
                    }
                }
                if term.len() > MAX_TERM_LEN {
                    return None;
                }
                if !next.contains(&term) {
                    next.push(term);
                }
            }
        }
        acc = next;
    }
    Some(acc)
}

fn render_term(term: &Term) -> String {
    term.iter()
        .map(Lit::render)
        .collect::<Vec<_>>()
        .join(" and ")
}

// ------------------------------------------------------------------------------------------------
// Explanation: wording
// ------------------------------------------------------------------------------------------------

/// Facts the sentences need.
struct Facts<'a> {
    credentials: &'a NovaCredentials,
    assigned: &'a [String],
    effective: &'a [String],
    token_project: &'a str,
    server_project: &'a str,
}

fn join_en(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

fn join_zh(items: &[String]) -> String {
    items.join("、")
}

fn project_en(id: &str) -> String {
    if id.is_empty() {
        "(unknown)".to_owned()
    } else {
        id.to_owned()
    }
}

fn project_zh(id: &str) -> String {
    if id.is_empty() {
        "（未知）".to_owned()
    } else {
        id.to_owned()
    }
}

impl Facts<'_> {
    /// "the role reader (implied by member)" / "the roles a and b".
    fn roles_en(&self, roles: &[String], with_origin: bool) -> String {
        let named: Vec<String> = roles
            .iter()
            .map(
                |r| match implied_by(r, self.assigned).filter(|_| with_origin) {
                    Some(from) => format!("{r} (implied by {from})"),
                    None => r.clone(),
                },
            )
            .collect();
        if roles.len() == 1 {
            format!("the role {}", join_en(&named))
        } else {
            format!("the roles {}", join_en(&named))
        }
    }

    /// "reader 角色（由 member 隐含）" / "a、b 角色".
    fn roles_zh(&self, roles: &[String], with_origin: bool) -> String {
        let origins: Vec<String> = roles
            .iter()
            .filter(|_| with_origin)
            .filter_map(|r| {
                let from = implied_by(r, self.assigned)?;
                Some(if roles.len() == 1 {
                    format!("由 {from} 隐含")
                } else {
                    format!("{r} 由 {from} 隐含")
                })
            })
            .collect();
        if origins.is_empty() {
            format!("{} 角色", join_zh(roles))
        } else {
            format!("{} 角色（{}）", join_zh(roles), origins.join("，"))
        }
    }

    fn have_en(&self) -> String {
        if self.effective.is_empty() {
            "no roles".to_owned()
        } else {
            join_en(self.effective)
        }
    }

    fn have_zh(&self) -> String {
        if self.effective.is_empty() {
            "没有任何角色".to_owned()
        } else {
            format!("拥有 {}", join_zh(self.effective))
        }
    }

    /// "scoped to project X" / "not scoped to any project".
    fn token_scope_en(&self) -> String {
        if self.token_project.is_empty() {
            "not scoped to any project".to_owned()
        } else {
            format!("scoped to project {}", self.token_project)
        }
    }

    fn token_scope_zh(&self) -> String {
        if self.token_project.is_empty() {
            "未限定在任何项目".to_owned()
        } else {
            format!("限定在项目 {}", self.token_project)
        }
    }
}

/// A hint that a role implied by the requested one works too ("or member, which includes it").
fn implying_hint(roles: &[String]) -> (String, String) {
    match roles {
        [one] if one == "reader" => (
            " (or the member role, which includes it)".to_owned(),
            "（或隐含它的 member 角色）".to_owned(),
        ),
        _ => (String::new(), String::new()),
    }
}

fn field_phrase_en(field: &str, key: Option<&str>, expected: &str) -> String {
    if field == "roles" {
        return format!("{expected} among your roles (compared exactly, case-sensitively)");
    }
    match key {
        Some(key) => format!("your {field} to match the server's {key} ({expected})"),
        None => format!("your {field} to be {expected}"),
    }
}

fn field_phrase_zh(field: &str, key: Option<&str>, expected: &str) -> String {
    if field == "roles" {
        return format!("你的角色中包含 {expected}（精确匹配，区分大小写）");
    }
    match key {
        Some(key) => format!("你的 {field} 与服务器的 {key}（{expected}）一致"),
        None => format!("你的 {field} 为 {expected}"),
    }
}

/// The sentences for an allowed request, from the alternative that allowed it.
fn explain_allowed(term: &Term, facts: &Facts<'_>) -> (String, String) {
    let roles: Vec<String> = term
        .iter()
        .filter_map(|l| match (&l.atom, l.negated) {
            (Atom::Role(r), false) => Some(r.clone()),
            _ => None,
        })
        .collect();
    let project = term.iter().any(|l| l.atom == Atom::Project && !l.negated);
    let mut en = Vec::new();
    let mut zh = Vec::new();
    match (roles.is_empty(), project) {
        (false, true) => {
            en.push(format!(
                "you have {} in the server's project",
                facts.roles_en(&roles, true)
            ));
            zh.push(format!(
                "你在服务器所属的项目中拥有 {}",
                facts.roles_zh(&roles, true)
            ));
        }
        (false, false) => {
            en.push(format!(
                "you have {}, which this rule accepts whatever project the server is in",
                facts.roles_en(&roles, true)
            ));
            zh.push(format!(
                "你拥有 {}，无论服务器属于哪个项目，此规则都接受该角色",
                facts.roles_zh(&roles, true)
            ));
        }
        (true, true) => {
            en.push("your token is scoped to the server's project".to_owned());
            zh.push("你的令牌限定在服务器所属的项目中".to_owned());
        }
        (true, false) => {}
    }
    for lit in term {
        match (&lit.atom, lit.negated) {
            (Atom::Role(_), false) | (Atom::Project, false) => {}
            (Atom::Always { empty: false }, false) => {
                en.push("the rule lets everyone in (@)".to_owned());
                zh.push("该规则允许所有人（@）".to_owned());
            }
            (Atom::Always { empty: true }, false) => {
                en.push(
                    "the rule is empty, and oslo.policy treats an empty rule as \"allow everyone\""
                        .to_owned(),
                );
                zh.push("该规则为空，而 oslo.policy 将空规则视为“允许所有人”".to_owned());
            }
            (Atom::Role(r), true) => {
                en.push(format!("you do not have the role {r}"));
                zh.push(format!("你没有 {r} 角色"));
            }
            (Atom::Project, true) => {
                en.push("your token is not scoped to the server's project".to_owned());
                zh.push("你的令牌不在服务器所属的项目中".to_owned());
            }
            (
                Atom::Field {
                    field,
                    expected: Some(expected),
                    key,
                    ..
                },
                false,
            ) => {
                en.push(format!(
                    "the rule needs {}, and it does",
                    field_phrase_en(field, key.as_deref(), expected)
                ));
                zh.push(format!(
                    "该规则要求{}，你满足该条件",
                    field_phrase_zh(field, key.as_deref(), expected)
                ));
            }
            _ => {
                en.push(format!("`{}` holds", lit.render()));
                zh.push(format!("`{}` 成立", lit.render()));
            }
        }
    }
    if en.is_empty() {
        en.push("the rule holds".to_owned());
        zh.push("规则成立".to_owned());
    }
    let matched = render_term(term);
    (
        format!("Allowed: {}. Matched: `{matched}`.", en.join("; ")),
        format!("允许：{}。匹配的分支：`{matched}`。", zh.join("；")),
    )
}

/// Why a failing check can never hold, whoever asks.
fn unfixable_reason(lit: &Lit) -> (String, String) {
    let text = lit.render();
    match &lit.atom {
        Atom::Never => (
            "the rule denies everyone (`!`)".to_owned(),
            "该规则拒绝所有人（`!`）".to_owned(),
        ),
        Atom::Always { .. } => (
            format!("the rule contains `{text}`, which never holds"),
            format!("该规则包含永远不成立的 `{text}`"),
        ),
        Atom::Undefined(name) => (
            format!(
                "the rule depends on rule:{name}, which is not defined, so oslo.policy fails closed"
            ),
            format!("该规则依赖未定义的 rule:{name}，oslo.policy 因此按拒绝处理"),
        ),
        Atom::Field {
            key,
            expected: None,
            ..
        } => {
            let key = key.clone().unwrap_or_else(|| "value".to_owned());
            (
                format!(
                    "the check `{text}` needs the server's {key}, which Nova does not supply for this \
                     request, so it always fails"
                ),
                format!("检查 `{text}` 需要服务器的 {key}，但 Nova 在此请求中不提供该值，因此总是失败"),
            )
        }
        Atom::Field {
            field,
            known: false,
            ..
        } => {
            let lower = field.to_lowercase();
            let (hint_en, hint_zh) = if (lower == "role" || lower == "rule") && lower != *field {
                (
                    format!(" (check kinds are case-sensitive: did you mean `{lower}:…`?)"),
                    format!("（检查类型区分大小写：是否想写 `{lower}:…`？）"),
                )
            } else {
                (String::new(), String::new())
            };
            (
                format!(
                    "the check `{text}` reads a credential field `{field}` that tokens do not carry, \
                     so it always fails{hint_en}"
                ),
                format!("检查 `{text}` 读取的凭据字段 `{field}` 在令牌中不存在，因此总是失败{hint_zh}"),
            )
        }
        _ => (
            format!("the check `{text}` is false for this server, whoever asks"),
            format!("检查 `{text}` 对该服务器不成立，与请求者无关"),
        ),
    }
}

/// The sentences for a denied request, from the alternative closest to passing.
fn explain_denied(term: &Term, facts: &Facts<'_>) -> (String, String) {
    if let Some(lit) = term.iter().find(|l| l.unfixable()) {
        let (en, zh) = unfixable_reason(lit);
        return (
            format!(
                "Denied: {en}. No role assignment can change this; only the cloud operator can \
                 change the policy."
            ),
            format!("拒绝：{zh}。任何角色分配都无法改变这一点，只有云平台运营方可以修改策略。"),
        );
    }
    let failing = |atom_is: &dyn Fn(&Atom) -> bool, negated: bool| -> Vec<&Lit> {
        term.iter()
            .filter(|l| !l.holds && l.negated == negated && atom_is(&l.atom))
            .collect()
    };
    let missing_roles: Vec<String> = failing(&|a| matches!(a, Atom::Role(_)), false)
        .iter()
        .filter_map(|l| match &l.atom {
            Atom::Role(r) => Some(r.clone()),
            _ => None,
        })
        .collect();
    let project_lit = term.iter().find(|l| l.atom == Atom::Project && !l.negated);
    let project_fails = project_lit.is_some_and(|l| !l.holds);
    let held_roles: Vec<String> = term
        .iter()
        .filter_map(|l| match (&l.atom, l.negated, l.holds) {
            (Atom::Role(r), false, true) => Some(r.clone()),
            _ => None,
        })
        .collect();
    let server = project_en(facts.server_project);
    let server_zh = project_zh(facts.server_project);

    let mut reasons_en = Vec::new();
    let mut reasons_zh = Vec::new();
    let mut actions_en = Vec::new();
    let mut actions_zh = Vec::new();

    if !missing_roles.is_empty() {
        let needed_en = facts.roles_en(&missing_roles, false);
        let needed_zh = facts.roles_zh(&missing_roles, false);
        let (hint_en, hint_zh) = implying_hint(&missing_roles);
        match (project_lit.is_some(), project_fails) {
            (true, false) => {
                reasons_en.push(format!(
                    "the rule needs {needed_en} in the server's project; you have {}",
                    facts.have_en()
                ));
                reasons_zh.push(format!(
                    "该规则要求你在服务器所属的项目中拥有 {needed_zh}；你{}",
                    facts.have_zh()
                ));
                actions_en.push(format!(
                    "Ask an administrator to give you {needed_en}{hint_en} in project {server}."
                ));
                actions_zh.push(format!(
                    "请联系管理员在项目 {server_zh} 中为你分配 {needed_zh}{hint_zh}。"
                ));
            }
            (true, true) => {
                let (where_en, where_zh) = if facts.token_project.is_empty() {
                    (String::new(), String::new())
                } else {
                    (
                        format!(" (where you have {})", facts.have_en()),
                        format!("（你在那里{}）", facts.have_zh()),
                    )
                };
                reasons_en.push(format!(
                    "the rule needs {needed_en} in the server's project ({server}), but your token is \
                     {}{where_en}",
                    facts.token_scope_en(),
                ));
                reasons_zh.push(format!(
                    "该规则要求你在服务器所属的项目（{server_zh}）中拥有 {needed_zh}，但你的令牌{}{where_zh}",
                    facts.token_scope_zh(),
                ));
                actions_en.push(format!(
                    "Ask an administrator to give you {needed_en}{hint_en} in project {server}, then \
                     use a token scoped to that project."
                ));
                actions_zh.push(format!(
                    "请联系管理员在项目 {server_zh} 中为你分配 {needed_zh}{hint_zh}，然后使用限定在该项目的令牌。"
                ));
            }
            (false, _) => {
                reasons_en.push(format!(
                    "the rule needs {needed_en}; you have {}",
                    facts.have_en()
                ));
                reasons_zh.push(format!("该规则要求 {needed_zh}；你{}", facts.have_zh()));
                actions_en.push(format!(
                    "Ask an administrator to give you {needed_en}{hint_en}."
                ));
                actions_zh.push(format!("请联系管理员为你分配 {needed_zh}{hint_zh}。"));
            }
        }
    } else if project_fails {
        let token_en = if facts.token_project.is_empty() {
            "the token is not scoped to any project".to_owned()
        } else {
            format!("the token is scoped to project {}", facts.token_project)
        };
        let token_zh = if facts.token_project.is_empty() {
            "令牌未限定在任何项目".to_owned()
        } else {
            format!("令牌限定在项目 {}", facts.token_project)
        };
        reasons_en.push(format!("{token_en} but the server is in project {server}"));
        reasons_zh.push(format!("{token_zh}，但服务器属于项目 {server_zh}"));
        let (need_en, need_zh) = if held_roles.is_empty() {
            (String::new(), String::new())
        } else {
            (
                format!(
                    "; you need {} in that project too",
                    facts.roles_en(&held_roles, false)
                ),
                format!(
                    "；你在该项目中同样需要 {}",
                    facts.roles_zh(&held_roles, false)
                ),
            )
        };
        actions_en.push(format!(
            "Use a token scoped to project {server} (for example `openstack --os-project-id {server} …`){need_en}."
        ));
        actions_zh.push(format!(
            "请使用限定在项目 {server_zh} 的令牌（例如 `openstack --os-project-id {server_zh} …`）{need_zh}。"
        ));
    }

    for lit in term.iter().filter(|l| !l.holds) {
        match (&lit.atom, lit.negated) {
            (Atom::Role(_), false) | (Atom::Project, false) => {}
            (Atom::Role(r), true) => {
                let origin = implied_by(r, facts.assigned)
                    .map(|from| {
                        (
                            format!(" (implied by {from})"),
                            format!("（由 {from} 隐含）"),
                        )
                    })
                    .unwrap_or_default();
                reasons_en.push(format!(
                    "the rule refuses anyone with the role {r}, and you have it{}",
                    origin.0
                ));
                reasons_zh.push(format!(
                    "该规则拒绝拥有 {r} 角色的用户，而你拥有该角色{}",
                    origin.1
                ));
                actions_en.push(format!("Use an account or token without the role {r}."));
                actions_zh.push(format!("请使用没有 {r} 角色的账号或令牌。"));
            }
            (Atom::Project, true) => {
                reasons_en
                    .push("the rule refuses tokens scoped to the server's own project".to_owned());
                reasons_zh.push("该规则拒绝限定在服务器自身项目中的令牌".to_owned());
            }
            (
                Atom::Field {
                    field,
                    expected: Some(_),
                    ..
                },
                false,
            ) if field == "is_admin" => {
                reasons_en.push(
                    "the rule needs is_admin:True, which Nova sets only when the token passes \
                     context_is_admin (by default: the admin role)"
                        .to_owned(),
                );
                reasons_zh.push(
                    "该规则要求 is_admin:True，而 Nova 只在令牌满足 context_is_admin（默认即 admin 角色）时才设置它"
                        .to_owned(),
                );
                actions_en.push("Only an administrator can do this.".to_owned());
                actions_zh.push("只有管理员可以执行此操作。".to_owned());
            }
            (
                Atom::Field {
                    field,
                    expected: Some(expected),
                    key,
                    ..
                },
                false,
            ) => {
                let actual = field_values(facts, field).unwrap_or_default();
                let (yours_en, yours_zh) = if field == "roles" {
                    (
                        format!("you have {}", facts.have_en()),
                        format!("你{}", facts.have_zh()),
                    )
                } else if actual.is_empty() {
                    ("yours is not set".to_owned(), "你的未设置".to_owned())
                } else {
                    (
                        format!("yours is {}", join_en(&actual)),
                        format!("你的是 {}", join_zh(&actual)),
                    )
                };
                reasons_en.push(format!(
                    "the rule needs {}; {yours_en}",
                    field_phrase_en(field, key.as_deref(), expected)
                ));
                reasons_zh.push(format!(
                    "该规则要求{}；{yours_zh}",
                    field_phrase_zh(field, key.as_deref(), expected)
                ));
            }
            (
                Atom::Field {
                    field,
                    expected: Some(expected),
                    ..
                },
                true,
            ) => {
                reasons_en.push(format!(
                    "the rule refuses a {field} of {expected}, which is yours"
                ));
                reasons_zh.push(format!(
                    "该规则拒绝 {field} 为 {expected} 的请求，而你的正是如此"
                ));
            }
            _ => {
                reasons_en.push(format!("`{}` does not hold", lit.render()));
                reasons_zh.push(format!("`{}` 不成立", lit.render()));
            }
        }
    }
    if reasons_en.is_empty() {
        reasons_en.push("your credentials do not satisfy the rule".to_owned());
        reasons_zh.push("你的凭据不满足该规则".to_owned());
    }
    let mut en = format!("Denied: {}.", reasons_en.join("; "));
    let mut zh = format!("拒绝：{}。", reasons_zh.join("；"));
    for action in actions_en {
        en.push(' ');
        en.push_str(&action);
    }
    for action in actions_zh {
        zh.push_str(&action);
    }
    (en, zh)
}

/// What the explanation can say about a credential field's value.
fn field_values(facts: &Facts<'_>, field: &str) -> Option<Vec<String>> {
    let credentials = facts.credentials;
    let value = match field {
        "roles" => return Some(facts.effective.to_vec()),
        "project_id" => Some(credentials.project_id.as_str()),
        "user_id" => credentials.user_id.as_deref(),
        "domain_id" => credentials.domain_id.as_deref(),
        "system_scope" => credentials.system_scope.as_deref(),
        _ => None,
    };
    non_empty(value).map(|v| vec![v.to_owned()])
}

/// Explains a verdict from the rule's alternatives.
fn explain(
    allowed: bool,
    terms: Option<&[Term]>,
    expression: &str,
    facts: &Facts<'_>,
) -> (String, String) {
    let Some(terms) = terms else {
        let server = project_en(facts.server_project);
        return if allowed {
            (
                format!("Allowed: your credentials satisfy the rule `{expression}`."),
                format!("允许：你的凭据满足规则 `{expression}`。"),
            )
        } else {
            (
                format!(
                    "Denied: your token ({}, with {}) does not satisfy the rule `{expression}` for a \
                     server in project {server}; the rule has too many alternatives to break down.",
                    facts.token_scope_en(),
                    facts.have_en()
                ),
                format!(
                    "拒绝：你的令牌（{}，{}）不满足针对项目 {} 中服务器的规则 `{expression}`；该规则的分支太多，无法逐一说明。",
                    facts.token_scope_zh(),
                    facts.have_zh(),
                    project_zh(facts.server_project)
                ),
            )
        };
    };
    if allowed {
        return match terms.iter().find(|t| t.iter().all(|l| l.holds)) {
            Some(term) => explain_allowed(term, facts),
            None => explain(true, None, expression, facts),
        };
    }
    let best = terms.iter().enumerate().min_by_key(|(index, term)| {
        let unfixable = term.iter().any(Lit::unfixable);
        let cost: usize = term.iter().filter(|l| !l.holds).map(Lit::cost).sum();
        (unfixable, cost, *index)
    });
    let Some((best_index, best)) = best else {
        // No alternative at all: the rule is unsatisfiable (e.g. an old-style list of empty lists).
        return (
            "Denied: the rule can never be satisfied; only the cloud operator can change the policy.".to_owned(),
            "拒绝：该规则永远无法满足，只有云平台运营方可以修改策略。".to_owned(),
        );
    };
    let (mut en, mut zh) = explain_denied(best, facts);
    let others: Vec<String> = terms
        .iter()
        .enumerate()
        .filter(|(index, term)| *index != best_index && !term.iter().any(Lit::unfixable))
        .map(|(_, term)| format!("`{}`", render_term(term)))
        .collect();
    if !others.is_empty() {
        let shown: Vec<String> = others
            .iter()
            .take(MAX_ALTERNATIVES_SHOWN)
            .cloned()
            .collect();
        let more = others.len() - shown.len();
        let (more_en, more_zh) = if more > 0 {
            (format!(" and {more} more"), format!(" 等另外 {more} 种"))
        } else {
            (String::new(), String::new())
        };
        en.push_str(&format!(
            " The rule would also accept: {}{more_en}.",
            shown.join(", ")
        ));
        zh.push_str(&format!("该规则也接受：{}{more_zh}。", join_zh(&shown)));
    }
    (en, zh)
}

/// The reason a token of the wrong scope is refused, if it is: oslo.policy's `_enforce_scope`
/// takes a token with `system` (a set `system_scope`) as system-scoped, else one with a
/// `domain_id` as domain-scoped.
fn scope_refusal(credentials: &NovaCredentials, server_project: &str) -> Option<(String, String)> {
    let system = non_empty(credentials.system_scope.as_deref());
    let domain = non_empty(credentials.domain_id.as_deref());
    let (what_en, what_zh) = match (system, domain) {
        (Some(system), _) => (
            format!("system-scoped (system_scope: {system})"),
            format!("系统范围的（system_scope: {system}）"),
        ),
        (None, Some(domain)) => (
            format!("domain-scoped (domain {domain})"),
            format!("域范围的（域 {domain}）"),
        ),
        (None, None) => return None,
    };
    let server = project_en(server_project);
    let server_zh = project_zh(server_project);
    Some((
        format!(
            "Denied: Nova accepts only project-scoped tokens for this API (scope_types = ['project'], \
             enforced by default since the 2023.1 release), and your token is {what_en}. Get a token \
             scoped to the server's project {server}."
        ),
        format!(
            "拒绝：Nova 的此接口只接受项目范围的令牌（scope_types = ['project']，自 2023.1 版本起默认强制检查），\
             而你的令牌是{what_zh}。请获取限定在服务器所属项目 {server_zh} 的令牌。"
        ),
    ))
}

/// The reason Nova does not even find the server, if so: for a non-admin token with a project,
/// the database only returns that project's servers (nova/db/main/api.py `model_query` with
/// `project_only=True`; nova/context.py `is_user_context`), and the API answers 404.
fn lookup_refusal(
    credentials: &NovaCredentials,
    server_project: &str,
    is_admin: bool,
) -> Option<(String, String)> {
    let token = non_empty(Some(&credentials.project_id))?;
    if is_admin || token == server_project {
        return None;
    }
    let server = project_en(server_project);
    let server_zh = project_zh(server_project);
    Some((
        format!(
            "Denied: your token is scoped to project {token} but the server is in project {server}, \
             and Nova only finds the servers of the token's own project unless the token passes \
             context_is_admin (by default: the admin role); it answers 404 (not found) before it looks \
             at the password rule. Use a token scoped to project {server} (for example \
             `openstack --os-project-id {server} …`)."
        ),
        format!(
            "拒绝：你的令牌限定在项目 {token}，但服务器属于项目 {server_zh}；除非令牌满足 context_is_admin\
             （默认即 admin 角色），Nova 只能找到令牌所属项目中的服务器，会在检查密码规则之前返回 404（未找到）。\
             请使用限定在项目 {server_zh} 的令牌（例如 `openstack --os-project-id {server_zh} …`）。"
        ),
    ))
}

/// Decides whether `credentials` may perform `operation` on the server `target` under `policy`,
/// and explains why: Nova's lookup of the server, oslo.policy's scope check, then the rule.
///
/// Errors when the rule (or a rule it refers to, `context_is_admin` included) is part of a
/// `rule:` cycle, nests deeper than 32 levels, or uses an `http:` check; a reference to an
/// undefined rule is not an error (oslo.policy fails closed, and the explanation says so).
pub fn check_nova(
    policy: &NovaPolicy,
    operation: NovaOperation,
    credentials: &NovaCredentials,
    target: &NovaTarget,
) -> Result<NovaDecision, NovaPolicyError> {
    let release = policy.config.release;
    let name = operation.rule_name_in(release);
    let never = PolicyRule {
        expr: Expr::Never,
        origin: Origin::Default,
        bare_bang: false,
    };
    let rule = policy.rules.get(name).unwrap_or(&never);
    validate(policy, name)?;
    let expression = render(&rule.expr);
    let mut evaluator = Evaluator::new(policy, credentials, target, View::Server);
    let is_admin = evaluator.is_admin()?.unwrap_or(false);
    let effective = effective_roles(&credentials.roles);
    let facts = Facts {
        credentials,
        assigned: &credentials.roles,
        effective: &effective,
        token_project: &credentials.project_id,
        server_project: &target.project_id,
    };

    let refusal = lookup_refusal(credentials, &target.project_id, is_admin).or_else(|| {
        release
            .project_scoped()
            .then(|| scope_refusal(credentials, &target.project_id))
            .flatten()
    });
    let (allowed, mut explanation_en, mut explanation_zh) = match refusal {
        Some((en, zh)) => (false, en, zh),
        None => {
            let allowed = evaluator.eval(&rule.expr)?;
            let terms = evaluator.dnf(&rule.expr, false)?;
            let (en, zh) = explain(allowed, terms.as_deref(), &expression, &facts);
            (allowed, en, zh)
        }
    };
    if rule.bare_bang {
        explanation_en.push_str(
            " Note: the policy file writes this rule as an unquoted !, which YAML reads as an empty \
             value, so everyone is allowed; the operator should write \"!\" in quotes to deny everyone.",
        );
        explanation_zh.push_str(
            "注意：策略文件中该规则写成了不带引号的 !，YAML 会把它读成空值，因此所有人都被允许；运营方应写成带引号的 \"!\" 才能拒绝所有人。",
        );
    }
    match &rule.origin {
        Origin::Default => {}
        Origin::File => {
            explanation_en.push_str(
                " This rule comes from the cloud's policy file, not from Nova's defaults.",
            );
            explanation_zh.push_str("此规则来自云平台的策略文件，而非 Nova 的默认规则。");
        }
        Origin::Deprecated(old) => {
            explanation_en.push_str(&format!(
                " This rule comes from the policy file's override of the deprecated name `{old}`, \
                 which oslo.policy applies because the file does not set `{name}` itself."
            ));
            explanation_zh.push_str(&format!(
                "此规则来自策略文件对已弃用名称 `{old}` 的覆盖；由于文件没有设置 `{name}`，oslo.policy 沿用了它。"
            ));
        }
        Origin::DefaultOrDeprecated => {
            explanation_en.push_str(
                " With enforce_new_defaults = False, oslo.policy also accepts the deprecated default.",
            );
            explanation_zh.push_str(
                "由于 enforce_new_defaults = False，oslo.policy 同时接受已弃用的默认规则。",
            );
        }
    }
    Ok(NovaDecision {
        allowed,
        rule: name.to_owned(),
        expression,
        overridden: matches!(rule.origin, Origin::File | Origin::Deprecated(_)),
        effective_roles: effective,
        is_admin,
        release,
        explanation_en,
        explanation_zh,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHOW: &str = "os_compute_api:os-server-password:show";
    const CLEAR: &str = "os_compute_api:os-server-password:clear";
    const HOME: &str = "p-home";
    const AWAY: &str = "p-away";

    fn creds(roles: &[&str], project: &str) -> NovaCredentials {
        NovaCredentials {
            roles: roles.iter().map(|r| (*r).to_owned()).collect(),
            project_id: project.to_owned(),
            ..NovaCredentials::default()
        }
    }

    fn server(project: &str) -> NovaTarget {
        NovaTarget {
            project_id: project.to_owned(),
            user_id: None,
        }
    }

    /// A policy from (name, expression) pairs, written as JSON.
    fn policy(rules: &[(&str, &str)]) -> NovaPolicy {
        let map: serde_json::Map<String, serde_json::Value> = rules
            .iter()
            .map(|(k, v)| ((*k).to_owned(), serde_json::Value::String((*v).to_owned())))
            .collect();
        NovaPolicy::parse(&serde_json::Value::Object(map).to_string()).unwrap()
    }

    /// `show` overridden with `expr`, checked for `roles` in project `token` against `target`.
    fn show_with(expr: &str, roles: &[&str], token: &str, target: &str) -> NovaDecision {
        check_nova(
            &policy(&[(SHOW, expr)]),
            NovaOperation::Show,
            &creds(roles, token),
            &server(target),
        )
        .unwrap()
    }

    fn allowed(expr: &str, roles: &[&str]) -> bool {
        show_with(expr, roles, HOME, HOME).allowed
    }

    fn parse_error(text: &str) -> NovaPolicyError {
        NovaPolicy::parse(text).unwrap_err()
    }

    // --- Nova's defaults -------------------------------------------------------------------------

    #[test]
    fn default_rules_for_each_role_and_project() {
        use NovaOperation::{Clear, Show};
        // (operation, roles, same project?, allowed?)
        let cases: &[(NovaOperation, &[&str], bool, bool)] = &[
            (Show, &[], true, false),
            (Show, &[], false, false),
            (Show, &["reader"], true, true),
            (Show, &["reader"], false, false),
            (Show, &["member"], true, true),
            (Show, &["member"], false, false),
            (Show, &["admin"], true, true),
            (Show, &["admin"], false, true),
            (Show, &["load-balancer_observer"], true, false),
            (Show, &["load-balancer_observer"], false, false),
            (Clear, &[], true, false),
            (Clear, &[], false, false),
            (Clear, &["reader"], true, false),
            (Clear, &["reader"], false, false),
            (Clear, &["member"], true, true),
            (Clear, &["member"], false, false),
            (Clear, &["admin"], true, true),
            (Clear, &["admin"], false, true),
            (Clear, &["load-balancer_observer"], true, false),
            (Clear, &["load-balancer_observer"], false, false),
        ];
        let defaults = NovaPolicy::defaults();
        for (op, roles, same, expected) in cases {
            let target = server(if *same { HOME } else { AWAY });
            let decision = check_nova(&defaults, *op, &creds(roles, HOME), &target).unwrap();
            assert_eq!(
                decision.allowed, *expected,
                "{op:?} {roles:?} same={same}: {decision:?}"
            );
            assert_eq!(decision.rule, op.rule_name());
            assert_eq!(decision.expression, op.default_rule());
            assert!(!decision.overridden);
            let prefix = if *expected { "Allowed: " } else { "Denied: " };
            assert!(
                decision.explanation_en.starts_with(prefix),
                "{}",
                decision.explanation_en
            );
            let prefix_zh = if *expected { "允许：" } else { "拒绝：" };
            assert!(
                decision.explanation_zh.starts_with(prefix_zh),
                "{}",
                decision.explanation_zh
            );
        }
    }

    #[test]
    fn defaults_render_back_to_the_documented_strings() {
        for op in NovaOperation::ALL {
            let expr = parse_text_rule(op.default_rule()).unwrap();
            assert_eq!(render(&expr), op.default_rule());
        }
        assert_eq!(NovaOperation::Show.rule_name(), SHOW);
        assert_eq!(NovaOperation::Clear.rule_name(), CLEAR);
    }

    #[test]
    fn roles_are_implied_lowercased_and_sorted() {
        // keystone/cmd/bootstrap.py: admin => manager => member => reader.
        assert_eq!(
            effective_roles(&["Admin".to_owned()]),
            ["admin", "manager", "member", "reader"]
        );
        assert_eq!(
            token_roles(&["Admin".to_owned(), "x".to_owned()]),
            ["Admin", "x", "manager", "member", "reader"]
        );
        assert_eq!(
            effective_roles(&["manager".to_owned()]),
            ["manager", "member", "reader"]
        );
        assert_eq!(
            effective_roles(&["MEMBER".to_owned(), "zeta".to_owned()]),
            ["member", "reader", "zeta"]
        );
        assert_eq!(effective_roles(&[" ".to_owned()]), Vec::<String>::new());
        let decision = check_nova(
            &NovaPolicy::defaults(),
            NovaOperation::Clear,
            &creds(&["Member"], HOME),
            &server(HOME),
        )
        .unwrap();
        assert!(decision.allowed);
        assert_eq!(decision.effective_roles, ["member", "reader"]);
    }

    // --- Explanations ----------------------------------------------------------------------------

    #[test]
    fn allowed_explanations_name_the_branch() {
        let defaults = NovaPolicy::defaults();
        let d = check_nova(
            &defaults,
            NovaOperation::Show,
            &creds(&["member"], HOME),
            &server(HOME),
        )
        .unwrap();
        assert_eq!(
            d.explanation_en,
            "Allowed: you have the role reader (implied by member) in the server's project. \
             Matched: `role:reader and project_id:%(project_id)s`."
        );
        assert_eq!(
            d.explanation_zh,
            "允许：你在服务器所属的项目中拥有 reader 角色（由 member 隐含）。\
             匹配的分支：`role:reader and project_id:%(project_id)s`。"
        );
        let d = check_nova(
            &defaults,
            NovaOperation::Show,
            &creds(&["admin"], HOME),
            &server(AWAY),
        )
        .unwrap();
        assert!(
            d.explanation_en
                .contains("you have the role admin, which this rule accepts"),
            "{}",
            d.explanation_en
        );
        assert!(
            d.explanation_en.ends_with("Matched: `role:admin`."),
            "{}",
            d.explanation_en
        );
    }

    #[test]
    fn denial_for_a_missing_role_says_which_and_where() {
        let d = check_nova(
            &NovaPolicy::defaults(),
            NovaOperation::Clear,
            &creds(&["reader"], HOME),
            &server(HOME),
        )
        .unwrap();
        assert_eq!(
            d.explanation_en,
            "Denied: the rule needs the role member in the server's project; you have reader. \
             Ask an administrator to give you the role member in project p-home. \
             The rule would also accept: `role:admin`."
        );
        assert!(
            d.explanation_zh.contains("拥有 member 角色"),
            "{}",
            d.explanation_zh
        );
        assert!(
            d.explanation_zh
                .contains("在项目 p-home 中为你分配 member 角色"),
            "{}",
            d.explanation_zh
        );
    }

    #[test]
    fn denial_for_the_wrong_project_names_both_projects() {
        let d = check_nova(
            &NovaPolicy::defaults(),
            NovaOperation::Clear,
            &creds(&["member"], HOME),
            &server(AWAY),
        )
        .unwrap();
        // Nova looks the server up first, and a non-admin token only finds its own project's
        // servers (nova/db/main/api.py model_query project_only): 404 before the policy.
        assert!(
            d.explanation_en.starts_with(
                "Denied: your token is scoped to project p-home but the server is in project p-away, \
                 and Nova only finds the servers of the token's own project"
            ),
            "{}",
            d.explanation_en
        );
        assert!(d.explanation_en.contains("404"), "{}", d.explanation_en);
        assert!(
            d.explanation_zh
                .contains("你的令牌限定在项目 p-home，但服务器属于项目 p-away"),
            "{}",
            d.explanation_zh
        );
        assert!(!d.is_admin);
        // The same for an override that would let anyone in: the lookup comes first.
        let anyone = policy(&[(CLEAR, "@")]);
        let d = check_nova(
            &anyone,
            NovaOperation::Clear,
            &creds(&["member"], HOME),
            &server(AWAY),
        )
        .unwrap();
        assert!(
            !d.allowed && d.explanation_en.contains("404"),
            "{}",
            d.explanation_en
        );
        // An admin's token finds every server.
        let d = check_nova(
            &anyone,
            NovaOperation::Clear,
            &creds(&["admin"], HOME),
            &server(AWAY),
        )
        .unwrap();
        assert!(d.allowed && d.is_admin);
    }

    #[test]
    fn denial_prefers_the_project_role_over_admin() {
        // No roles and no project: two things are missing for reader, one for admin, but a
        // plain user should be told about the reader role in the server's project. (A token
        // without a project is no "user context", so Nova's lookup does not filter it.)
        let d = check_nova(
            &NovaPolicy::defaults(),
            NovaOperation::Show,
            &creds(&[], ""),
            &server(AWAY),
        )
        .unwrap();
        assert!(
            d.explanation_en.starts_with(
                "Denied: the rule needs the role reader in the server's project (p-away), but your \
                 token is not scoped to any project."
            ),
            "{}",
            d.explanation_en
        );
        assert!(
            d.explanation_en
                .contains("(or the member role, which includes it)"),
            "{}",
            d.explanation_en
        );
        let unscoped = check_nova(
            &NovaPolicy::defaults(),
            NovaOperation::Show,
            &creds(&["reader"], ""),
            &server(AWAY),
        )
        .unwrap();
        assert!(!unscoped.allowed);
        assert!(
            unscoped
                .explanation_en
                .contains("not scoped to any project"),
            "{}",
            unscoped.explanation_en
        );
    }

    #[test]
    fn wrongly_scoped_tokens_are_refused_before_the_rule() {
        let mut system = creds(&["admin"], "");
        system.system_scope = Some("all".to_owned());
        let d = check_nova(
            &NovaPolicy::defaults(),
            NovaOperation::Show,
            &system,
            &server(HOME),
        )
        .unwrap();
        assert!(!d.allowed);
        assert!(
            d.explanation_en.contains("only project-scoped tokens"),
            "{}",
            d.explanation_en
        );
        assert!(
            d.explanation_zh.contains("系统范围"),
            "{}",
            d.explanation_zh
        );
        let mut domain = creds(&["admin"], "");
        domain.domain_id = Some("default".to_owned());
        let d = check_nova(
            &NovaPolicy::defaults(),
            NovaOperation::Show,
            &domain,
            &server(HOME),
        )
        .unwrap();
        assert!(!d.allowed);
        assert!(
            d.explanation_en.contains("domain-scoped (domain default)"),
            "{}",
            d.explanation_en
        );
    }

    // --- The rule language -----------------------------------------------------------------------

    #[test]
    fn each_syntax_element() {
        // (expression, roles, allowed?) with the token in the server's project.
        let cases: &[(&str, &[&str], bool)] = &[
            ("role:reader", &["reader"], true),
            ("role:reader", &["observer"], false),
            ("role:READER", &["Reader"], true),
            ("project_id:%(project_id)s", &[], true),
            ("project_id:p-home", &[], true),
            ("project_id:p-else", &[], false),
            ("'p-home':%(project_id)s", &[], true),
            ("\"p-else\":%(project_id)s", &[], false),
            ("None:%(project_id)s", &[], false),
            ("roles:member", &["admin"], true),
            ("roles:Member", &["member"], false),
            ("is_admin:True", &["admin"], true),
            ("is_admin:True", &["member"], false),
            ("is_admin_project:True", &[], true),
            ("rule:admin_api", &["admin"], true),
            ("rule:project_member_or_admin", &["member"], true),
            ("rule:no_such_rule", &["admin"], false),
            ("not rule:no_such_rule", &[], true),
            ("role:a and role:b", &["a"], false),
            ("role:a and role:b", &["a", "b"], true),
            ("role:a or role:b", &["b"], true),
            ("role:a or role:b", &[], false),
            ("not role:a", &[], true),
            ("not role:a", &["a"], false),
            ("not not role:a", &["a"], true),
            // and binds tighter than or
            ("role:a or role:b and role:c", &["a"], true),
            ("role:a or role:b and role:c", &["b"], false),
            ("role:a and role:b or role:c", &["c"], true),
            // not binds tighter than and
            ("not role:a and role:b", &["b"], true),
            ("not role:a and role:b", &["a", "b"], false),
            // parentheses
            ("(role:a or role:b) and role:c", &["a"], false),
            ("(role:a or role:b) and role:c", &["a", "c"], true),
            ("not (role:a and role:b)", &["a"], true),
            ("((role:a))", &["a"], true),
            ("(role:a)and(role:b)", &["a", "b"], false),
            ("@", &[], true),
            ("!", &["admin"], false),
            ("", &[], true),
            ("not @", &["admin"], false),
            ("not !", &[], true),
            // keywords are case-insensitive, check kinds are not
            ("role:a AND role:b", &["a", "b"], true),
            ("role:x Or role:b", &["b"], true),
            ("NOT role:a", &[], true),
            ("Role:admin", &["admin"], false),
            ("1:%(project_id)s", &[], false),
        ];
        for (expr, roles, expected) in cases {
            let decision = show_with(expr, roles, HOME, HOME);
            assert_eq!(
                decision.allowed, *expected,
                "`{expr}` with {roles:?}: {}",
                decision.explanation_en
            );
            assert!(decision.overridden);
        }
    }

    #[test]
    fn parenthesised_words_are_not_split_further() {
        // "(role:a)and(role:b)" is one word whose middle `)and(` stays inside the check: the role
        // is literally "a)and(role:b", as in oslo.policy.
        let expr = parse_text_rule("(role:a)and(role:b)").unwrap();
        assert_eq!(render(&expr), "role:a)and(role:b");
    }

    #[test]
    fn rendering_is_canonical() {
        let cases = [
            (
                "role:a   OR  (role:b AND role:c)",
                "role:a or (role:b and role:c)",
            ),
            (
                "role:a or role:b and role:c",
                "role:a or (role:b and role:c)",
            ),
            (
                "(role:a or role:b) and role:c",
                "(role:a or role:b) and role:c",
            ),
            ("not (role:a or role:b)", "not (role:a or role:b)"),
            ("NOT role:a", "not role:a"),
            ("((@))", "@"),
            ("", ""),
        ];
        for (input, expected) in cases {
            assert_eq!(
                render(&parse_text_rule(input).unwrap()),
                expected,
                "{input}"
            );
        }
    }

    #[test]
    fn generic_checks_against_missing_keys_are_false() {
        // The target has no user_id (Nova sends only the project): KeyError, so false.
        let mut me = creds(&["admin"], HOME);
        me.user_id = Some("u1".to_owned());
        let p = policy(&[(SHOW, "user_id:%(user_id)s")]);
        let d = check_nova(&p, NovaOperation::Show, &me, &server(HOME)).unwrap();
        assert!(!d.allowed);
        assert!(
            d.explanation_en.contains("does not supply"),
            "{}",
            d.explanation_en
        );
        // With a user_id on the target it compares.
        let mine = NovaTarget {
            project_id: HOME.to_owned(),
            user_id: Some("u1".to_owned()),
        };
        assert!(
            check_nova(&p, NovaOperation::Show, &me, &mine)
                .unwrap()
                .allowed
        );
        let theirs = NovaTarget {
            project_id: HOME.to_owned(),
            user_id: Some("u2".to_owned()),
        };
        let d = check_nova(&p, NovaOperation::Show, &me, &theirs).unwrap();
        assert!(!d.allowed);
        assert!(
            d.explanation_en.contains("yours is u1"),
            "{}",
            d.explanation_en
        );
        // A credential field the token lacks is false too, even against an empty match.
        assert!(!allowed("domain_id:%(project_id)s", &["admin"]));
        assert!(!allowed("role:%(nothing)s", &["admin"]));
        assert!(!allowed("project_id:%(nothing)s", &["admin"]));
    }

    #[test]
    fn case_sensitive_kind_gets_a_hint() {
        let d = show_with("Role:admin", &["admin"], HOME, HOME);
        assert!(!d.allowed);
        assert!(
            d.explanation_en.contains("did you mean `role:…`?"),
            "{}",
            d.explanation_en
        );
        assert!(
            d.explanation_en.contains("only the cloud operator"),
            "{}",
            d.explanation_en
        );
    }

    #[test]
    fn undefined_rule_fails_closed_and_says_so() {
        let d = show_with("rule:no_such_rule", &["admin"], HOME, HOME);
        assert!(!d.allowed);
        assert!(
            d.explanation_en
                .contains("rule:no_such_rule, which is not defined"),
            "{}",
            d.explanation_en
        );
        assert!(d.explanation_zh.contains("未定义"), "{}", d.explanation_zh);
    }

    #[test]
    fn never_and_empty_rules_are_explained() {
        let d = show_with("!", &["admin"], HOME, HOME);
        assert!(
            d.explanation_en
                .starts_with("Denied: the rule denies everyone (`!`)."),
            "{}",
            d.explanation_en
        );
        let d = show_with("", &[], HOME, HOME);
        assert!(d.allowed);
        assert_eq!(d.expression, "");
        assert!(
            d.explanation_en
                .contains("empty rule as \"allow everyone\""),
            "{}",
            d.explanation_en
        );
        let d = show_with("@", &[], HOME, HOME);
        assert!(
            d.explanation_en
                .starts_with("Allowed: the rule lets everyone in (@)."),
            "{}",
            d.explanation_en
        );
    }

    #[test]
    fn is_admin_follows_context_is_admin() {
        let p = policy(&[
            ("context_is_admin", "role:cloud_admin"),
            (SHOW, "is_admin:True"),
        ]);
        let check = |roles: &[&str]| {
            check_nova(&p, NovaOperation::Show, &creds(roles, HOME), &server(HOME)).unwrap()
        };
        assert!(check(&["cloud_admin"]).allowed);
        assert!(!check(&["admin"]).allowed);
        assert!(check(&["admin"])
            .explanation_en
            .contains("context_is_admin"));
        // context_is_admin sees the credentials as its target.
        let p = policy(&[
            (
                "context_is_admin",
                "role:admin and project_id:%(project_id)s",
            ),
            (SHOW, "rule:admin_api"),
        ]);
        assert!(
            check_nova(
                &p,
                NovaOperation::Show,
                &creds(&["admin"], HOME),
                &server(AWAY)
            )
            .unwrap()
            .allowed
        );
        // A context_is_admin that refers to is_admin sees it unset (Nova is still computing it).
        let p = policy(&[
            ("context_is_admin", "is_admin:True"),
            (SHOW, "is_admin:True"),
        ]);
        assert!(
            !check_nova(
                &p,
                NovaOperation::Show,
                &creds(&["admin"], HOME),
                &server(HOME)
            )
            .unwrap()
            .allowed
        );
    }

    // --- Files -----------------------------------------------------------------------------------

    #[test]
    fn yaml_file_with_comments_and_quoting() {
        let text = "\u{feff}---\n\
            # Nova policy overrides\r\n\
            \n\
            \"admin_api\": \"role:cloud_admin\"   # who counts as admin\n\
            'project_member_api': 'role:member and project_id:%(project_id)s'\n\
            os_compute_api:os-server-password:show: rule:admin_api or role:it''s # plain\n\
            \"os_compute_api:os-server-password:clear\": 'role:it''s'\n\
            folded: role:a or\n\
            \x20 role:b\n\
            quoted_folded: \"role:a\n\
            \x20   and role:b\"\n\
            block: >-\n\
            \x20 role:a\n\
            \x20 or role:c\n\
            tagged: ! role:a\n\
            escaped: \"role:\\x61\"\n\
            empty: ''\n\
            null_value:\n\
            tilde: ~\n";
        let p = NovaPolicy::parse(text).unwrap();
        let expr = |name: &str| render(&p.rules[name].expr);
        assert_eq!(expr("admin_api"), "role:cloud_admin");
        assert_eq!(
            expr("project_member_api"),
            "role:member and project_id:%(project_id)s"
        );
        assert_eq!(expr(SHOW), "rule:admin_api or role:it''s");
        assert_eq!(expr(CLEAR), "role:it's");
        assert_eq!(expr("folded"), "role:a or role:b");
        assert_eq!(expr("quoted_folded"), "role:a and role:b");
        assert_eq!(expr("block"), "role:a or role:c");
        assert_eq!(expr("tagged"), "role:a");
        assert_eq!(expr("escaped"), "role:a");
        for name in ["empty", "null_value", "tilde"] {
            assert_eq!(p.rules[name].expr, Expr::Empty, "{name}");
        }
        let d = check_nova(
            &p,
            NovaOperation::Clear,
            &creds(&["it's"], HOME),
            &server(HOME),
        )
        .unwrap();
        assert!(d.allowed && d.overridden);
        assert!(d
            .explanation_en
            .ends_with("This rule comes from the cloud's policy file, not from Nova's defaults."));
    }

    #[test]
    fn json_file_with_strings_null_and_old_lists() {
        let text = r#"
            {
                "admin_api": "role:cloud_admin",
                "os_compute_api:os-server-password:show": [["role:reader", "project_id:%(project_id)s"], ["rule:admin_api"]],
                "os_compute_api:os-server-password:clear": null,
                "empty_list": [],
                "only_empty": [[]],
                "bare": ["role:a"]
            }"#;
        let p = NovaPolicy::parse(text).unwrap();
        assert_eq!(
            render(&p.rules[SHOW].expr),
            "(role:reader and project_id:%(project_id)s) or rule:admin_api"
        );
        assert_eq!(p.rules["empty_list"].expr, Expr::Empty);
        assert_eq!(p.rules["only_empty"].expr, Expr::Never);
        assert_eq!(render(&p.rules["bare"].expr), "role:a");
        let show = |roles: &[&str], project: &str| {
            check_nova(
                &p,
                NovaOperation::Show,
                &creds(roles, HOME),
                &server(project),
            )
            .unwrap()
            .allowed
        };
        assert!(show(&["member"], HOME));
        assert!(!show(&["member"], AWAY));
        assert!(show(&["cloud_admin"], HOME));
        assert!(!show(&["admin"], AWAY));
        let clear = check_nova(&p, NovaOperation::Clear, &creds(&[], HOME), &server(HOME)).unwrap();
        assert!(
            clear.allowed,
            "a null rule allows everyone, as in oslo.policy"
        );
    }

    #[test]
    fn show_overridden_with_admin_api_from_the_same_file() {
        let text = "\"admin_api\": \"role:cloud_admin\"\n\
                    \"os_compute_api:os-server-password:show\": \"rule:admin_api\"\n";
        let p = NovaPolicy::parse(text).unwrap();
        let show = |roles: &[&str]| {
            check_nova(&p, NovaOperation::Show, &creds(roles, HOME), &server(HOME)).unwrap()
        };
        let d = show(&["cloud_admin"]);
        assert!(d.allowed && d.overridden);
        assert_eq!(d.expression, "rule:admin_api");
        assert!(
            d.explanation_en.contains("Matched: `role:cloud_admin`"),
            "{}",
            d.explanation_en
        );
        let d = show(&["admin"]);
        assert!(!d.allowed);
        assert!(
            d.explanation_en
                .contains("the rule needs the role cloud_admin"),
            "{}",
            d.explanation_en
        );
        // clear keeps Nova's default.
        let d = check_nova(
            &p,
            NovaOperation::Clear,
            &creds(&["member"], HOME),
            &server(HOME),
        )
        .unwrap();
        assert!(d.allowed && !d.overridden);
        // Without the file's admin_api, Nova's default (is_admin:True, i.e. role:admin) applies.
        let p = policy(&[(SHOW, "rule:admin_api")]);
        assert!(
            check_nova(
                &p,
                NovaOperation::Show,
                &creds(&["admin"], HOME),
                &server(AWAY)
            )
            .unwrap()
            .allowed
        );
    }

    #[test]
    fn bare_bang_in_yaml_allows_everyone_and_warns() {
        let p = NovaPolicy::parse("os_compute_api:os-server-password:show: !\n").unwrap();
        let d = check_nova(&p, NovaOperation::Show, &creds(&[], HOME), &server(HOME)).unwrap();
        assert!(d.allowed);
        assert!(
            d.explanation_en.contains("unquoted !"),
            "{}",
            d.explanation_en
        );
        assert!(
            d.explanation_zh.contains("不带引号的 !"),
            "{}",
            d.explanation_zh
        );
        let p = NovaPolicy::parse("os_compute_api:os-server-password:show: '!'\n").unwrap();
        assert!(
            !check_nova(
                &p,
                NovaOperation::Show,
                &creds(&["admin"], HOME),
                &server(HOME)
            )
            .unwrap()
            .allowed
        );
    }

    #[test]
    fn cycles_are_reported() {
        let p = policy(&[
            ("a", "rule:b"),
            ("b", "role:x or rule:a"),
            (SHOW, "role:admin or rule:a"),
        ]);
        let err = check_nova(
            &p,
            NovaOperation::Show,
            &creds(&["admin"], HOME),
            &server(HOME),
        )
        .unwrap_err();
        assert_eq!(err.rule.as_deref(), Some("a"));
        assert!(
            err.message.contains("rule:a -> rule:b -> rule:a"),
            "{}",
            err.message
        );
        let own = policy(&[(SHOW, "rule:os_compute_api:os-server-password:show")]);
        let err =
            check_nova(&own, NovaOperation::Show, &creds(&[], HOME), &server(HOME)).unwrap_err();
        assert!(err.message.contains("cycle"), "{}", err.message);
        // A cycle the checked rule cannot reach is not its problem.
        let elsewhere = policy(&[("a", "rule:b"), ("b", "rule:a")]);
        assert!(
            check_nova(
                &elsewhere,
                NovaOperation::Show,
                &creds(&["reader"], HOME),
                &server(HOME)
            )
            .unwrap()
            .allowed
        );
    }

    #[test]
    fn depth_is_bounded() {
        // A chain of 40 rules, then one of 10 000: an error, not a stack overflow.
        for length in [40_usize, 10_000] {
            let names: Vec<String> = (0..length).map(|i| format!("r{i}")).collect();
            let mut rules: Vec<(String, String)> = (0..length - 1)
                .map(|i| (names[i].clone(), format!("rule:{}", names[i + 1])))
                .collect();
            rules.push((names[length - 1].clone(), "role:admin".to_owned()));
            rules.push((SHOW.to_owned(), "rule:r0".to_owned()));
            let pairs: Vec<(&str, &str)> = rules
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            let err = check_nova(
                &policy(&pairs),
                NovaOperation::Show,
                &creds(&["admin"], HOME),
                &server(HOME),
            )
            .unwrap_err();
            assert_eq!(err.rule.as_deref(), Some(SHOW));
            assert!(
                err.message.contains("more than 32 levels"),
                "{}",
                err.message
            );
        }
        // A chain of 30 is fine.
        let mut rules: Vec<(String, String)> = (0..29)
            .map(|i| (format!("r{i}"), format!("rule:r{}", i + 1)))
            .collect();
        rules.push(("r29".to_owned(), "role:admin".to_owned()));
        rules.push((SHOW.to_owned(), "rule:r0".to_owned()));
        let pairs: Vec<(&str, &str)> = rules
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert!(
            check_nova(
                &policy(&pairs),
                NovaOperation::Show,
                &creds(&["admin"], HOME),
                &server(HOME)
            )
            .unwrap()
            .allowed
        );
        // Deep parentheses are a parse error.
        let deep = format!("{}role:a{}", "(".repeat(40), ")".repeat(40));
        let err = parse_error(&format!("{{\"r\": \"{deep}\"}}"));
        assert!(
            err.message.contains("more than 32 levels"),
            "{}",
            err.message
        );
        let nots = format!("{}role:a", "not ".repeat(40));
        assert!(NovaPolicy::parse(&format!("{{\"r\": \"{nots}\"}}")).is_err());
    }

    #[test]
    fn shared_references_do_not_explode() {
        // Each level refers to the previous one twice: 2^10 alternatives, too many to list, and
        // evaluation stays linear thanks to memoisation.
        let mut rules = vec![("l0".to_owned(), "role:x0 or role:y0".to_owned())];
        for i in 1..10 {
            rules.push((
                format!("l{i}"),
                format!(
                    "(rule:l{} and role:x{i}) or (rule:l{} and role:y{i})",
                    i - 1,
                    i - 1
                ),
            ));
        }
        rules.push((SHOW.to_owned(), "rule:l9".to_owned()));
        let pairs: Vec<(&str, &str)> = rules
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let p = policy(&pairs);
        let d = check_nova(
            &p,
            NovaOperation::Show,
            &creds(&["nobody"], HOME),
            &server(HOME),
        )
        .unwrap();
        assert!(!d.allowed);
        assert!(
            d.explanation_en.contains("too many alternatives"),
            "{}",
            d.explanation_en
        );
        let all: Vec<String> = (0..10).map(|i| format!("x{i}")).collect();
        let all: Vec<&str> = all.iter().map(String::as_str).collect();
        let d = check_nova(&p, NovaOperation::Show, &creds(&all, HOME), &server(HOME)).unwrap();
        assert!(d.allowed);
    }

    #[test]
    fn remote_checks_are_refused_only_when_reached() {
        let p = policy(&[
            (SHOW, "role:admin or http://policy.example/check"),
            ("other", "https://x"),
        ]);
        let err = check_nova(
            &p,
            NovaOperation::Show,
            &creds(&["admin"], HOME),
            &server(HOME),
        )
        .unwrap_err();
        assert_eq!(err.rule.as_deref(), Some(SHOW));
        assert!(err.message.contains("remote server"), "{}", err.message);
        assert!(
            check_nova(
                &p,
                NovaOperation::Clear,
                &creds(&["member"], HOME),
                &server(HOME)
            )
            .unwrap()
            .allowed
        );
    }

    #[test]
    fn parse_errors_name_the_rule_and_position() {
        // (file, rule, fragment of the message)
        let cases: &[(&str, Option<&str>, &str)] = &[
            (
                r#"{"r": "role:a or (role:b"}"#,
                Some("r"),
                "the `(` at column 11 is never closed",
            ),
            (r#"{"r": "role:a and"}"#, Some("r"), "ends at column 11"),
            (r#"{"r": "role:a role:b"}"#, Some("r"), "column 8"),
            (
                r#"{"r": "(role:a))"}"#,
                Some("r"),
                "unexpected `)` at column 9",
            ),
            (
                r#"{"r": "admin"}"#,
                Some("r"),
                "`admin` at column 1 is not a check",
            ),
            (r#"{"r": "   "}"#, Some("r"), "blank"),
            (
                r#"{"r": "role:a or 'quoted'"}"#,
                Some("r"),
                "quoted text 'quoted' at column 11",
            ),
            (
                r#"{"r": "project_id:%(project_id)d"}"#,
                Some("r"),
                "`%` at column 12",
            ),
            (r#"{"r": "007:%(project_id)s"}"#, Some("r"), "leading zero"),
            (r#"{"r": ":x"}"#, Some("r"), "nothing before the `:`"),
            (
                r#"{"r": 5}"#,
                Some("r"),
                "line 1: YAML reads the value as an integer",
            ),
            (r#"{"r": true}"#, Some("r"), "as a boolean"),
            (r#"{"r": {"a": "b"}}"#, Some("r"), "as a mapping"),
            (r#"{"r": [5]}"#, Some("r"), "element 1"),
            (r#"{"r": [["role:a", 5]]}"#, Some("r"), "element 1.2"),
            (r#"{"r": [[["role:a"]]]}"#, None, "nest deeper"),
            (r#"{"r": "role:a"} extra"#, None, "line 1: not valid YAML"),
            (
                "{\"r\": \"role:a\",\n \"r\": \"role:b\"}",
                Some("r"),
                "line 2: the rule is defined twice (first on line 1)",
            ),
            (
                "a: role:a\nb: '!'\na: role:b\n",
                Some("a"),
                "line 3: the rule is defined twice",
            ),
            ("1:20: role:a\n", None, "as an integer"),
            ("r: 1:20\n", Some("r"), "as an integer"),
            ("r: off\n", Some("r"), "as a boolean"),
            ("r: 2026-12-01\n", Some("r"), "as a date"),
            ("r: !!int 5\n", Some("r"), "`!!int` is a YAML tag"),
            ("r: !!binary aGk=\n", Some("r"), "is a YAML tag"),
            ("<<: {r: role:a}\n", None, "merge keys"),
            ("r: *nowhere\n", None, "not valid YAML"),
            (
                "r: role:a and is:x\n",
                Some("r"),
                "`is` at column 12 is neither",
            ),
            (
                "r: project-id:x\n",
                Some("r"),
                "is neither a credential field",
            ),
            (
                "r: u'x':%(project_id)s\n",
                Some("r"),
                "is neither a credential field",
            ),
            (
                "r: roles.x:y\n",
                Some("r"),
                "looks inside the credential field roles",
            ),
            (
                "\"r\": \"role:a or\"\n",
                Some("r"),
                "line 1: the rule ends at column 10",
            ),
            (
                "# c\nok: role:a\nbad: role:a and not\n",
                Some("bad"),
                "line 3",
            ),
            (
                "r: @\n",
                None,
                "line 1: not valid YAML (or JSON): unexpected character",
            ),
            ("r: a: b\n", None, "line 1: not valid YAML"),
            ("r: \"role:a\n", None, "not valid YAML"),
            ("r: \"role:a\" x\n", None, "not valid YAML"),
            (
                "r: yes\n",
                Some("r"),
                "line 1: YAML reads the value as a boolean (`yes`)",
            ),
            ("r: !foo role:a\n", Some("r"), "`!foo` is a YAML tag"),
            ("just text\n", None, "line 1: the file must be a mapping"),
            (
                "ok: role:a\n  indented: role:b\n",
                None,
                "line 2: not valid YAML",
            ),
            (
                "a: role:a\n---\nb: role:b\n",
                None,
                "line 2: a second YAML document",
            ),
            (
                "- role:a\n",
                None,
                "line 1: the file must be a mapping of rule names to rules, not a list",
            ),
        ];
        for (text, rule, fragment) in cases {
            let err = parse_error(text);
            assert_eq!(err.rule.as_deref(), *rule, "{text:?}: {err}");
            assert!(err.message.contains(fragment), "{text:?}: {}", err.message);
            assert!(err.to_string().contains(&err.message));
        }
        let err = parse_error(r#"{"os_compute_api:os-server-password:show": "role:a or"}"#);
        assert!(
            err.to_string()
                .starts_with("policy rule \"os_compute_api:os-server-password:show\": "),
            "{err}"
        );
    }

    #[test]
    fn empty_files_keep_the_defaults() {
        for text in ["", "\n\n", "# only a comment\n", "{}", "---\n...\n"] {
            let p = NovaPolicy::parse(text).unwrap();
            let d = check_nova(
                &p,
                NovaOperation::Show,
                &creds(&["reader"], HOME),
                &server(HOME),
            )
            .unwrap();
            assert!(d.allowed && !d.overridden, "{text:?}");
        }
    }

    #[test]
    fn outputs_serialize_in_camel_case() {
        let d = check_nova(
            &NovaPolicy::defaults(),
            NovaOperation::Show,
            &creds(&["reader"], HOME),
            &server(HOME),
        )
        .unwrap();
        let json = serde_json::to_value(&d).unwrap();
        for key in [
            "allowed",
            "rule",
            "expression",
            "overridden",
            "effectiveRoles",
            "explanationEn",
            "explanationZh",
        ] {
            assert!(json.get(key).is_some(), "{key} in {json}");
        }
        assert_eq!(serde_json::to_value(NovaOperation::Clear).unwrap(), "clear");
        let parsed: NovaCredentials =
            serde_json::from_str(r#"{"roles": ["member"], "projectId": "p", "systemScope": null}"#)
                .unwrap();
        assert_eq!(parsed, creds(&["member"], "p"));
    }

    // --- As Nova and oslo.policy evaluate it (each checked by tests/nova_oracle.rs too) ----------

    fn load(text: &str, release: NovaRelease, enforce_new_defaults: bool) -> NovaPolicy {
        NovaPolicy::load(
            Some(text),
            NovaConfig {
                release,
                enforce_new_defaults,
            },
        )
        .unwrap()
    }

    fn decide(p: &NovaPolicy, op: NovaOperation, roles: &[&str], token: &str, at: &str) -> bool {
        check_nova(p, op, &creds(roles, token), &server(at))
            .unwrap()
            .allowed
    }

    #[test]
    fn defaults_are_registered_by_reference_to_the_base_rules() {
        // nova/policies/server_password.py: check_str=base.PROJECT_READER_OR_ADMIN.
        let d = check_nova(
            &NovaPolicy::defaults(),
            NovaOperation::Show,
            &creds(&["reader"], HOME),
            &server(HOME),
        )
        .unwrap();
        assert_eq!(d.expression, "rule:project_reader_or_admin");
        assert_eq!(d.release, NovaRelease::V2025_2);
        // So an override of a base rule changes the answer, as in Nova.
        let p = policy(&[(
            "project_reader_api",
            "role:auditor and project_id:%(project_id)s",
        )]);
        assert!(!decide(&p, NovaOperation::Show, &["reader"], HOME, HOME));
        assert!(decide(&p, NovaOperation::Show, &["auditor"], HOME, HOME));
        let p = policy(&[("context_is_admin", "role:cloud_admin")]);
        assert!(!decide(&p, NovaOperation::Show, &["admin"], HOME, AWAY));
        assert!(decide(
            &p,
            NovaOperation::Show,
            &["cloud_admin"],
            HOME,
            AWAY
        ));
    }

    #[test]
    fn manager_and_service_base_rules_exist_from_2025_2() {
        // nova/policies/base.py (32.0.0): project_manager_api, service_api, service_or_admin.
        let text = "os_compute_api:os-server-password:show: rule:project_manager_or_admin\n\
                    os_compute_api:os-server-password:clear: rule:service_or_admin\n";
        let now = load(text, NovaRelease::V2025_2, true);
        assert!(decide(&now, NovaOperation::Show, &["manager"], HOME, HOME));
        assert!(!decide(&now, NovaOperation::Show, &["member"], HOME, HOME));
        assert!(decide(&now, NovaOperation::Clear, &["service"], HOME, HOME));
        // keystone/cmd/bootstrap.py: admin implies manager.
        assert!(decide(&now, NovaOperation::Show, &["admin"], HOME, HOME));
        let before = load(text, NovaRelease::V2023_1, true);
        assert!(!decide(
            &before,
            NovaOperation::Show,
            &["manager"],
            HOME,
            HOME
        ));
        assert!(!decide(
            &before,
            NovaOperation::Clear,
            &["service"],
            HOME,
            HOME
        ));
    }

    #[test]
    fn the_deprecated_name_applies_as_oslo_policy_applies_it() {
        // oslo_policy/policy.py _handle_deprecated_rule: an override of the deprecated name
        // replaces the new default when the new name is not overridden.
        let p = policy(&[("os_compute_api:os-server-password", "role:x")]);
        for op in NovaOperation::ALL {
            let d = check_nova(&p, op, &creds(&["x"], HOME), &server(HOME)).unwrap();
            assert!(d.allowed && d.overridden, "{op:?}");
            assert!(
                d.explanation_en.contains("deprecated name"),
                "{}",
                d.explanation_en
            );
            assert!(!decide(&p, op, &["admin"], HOME, HOME));
        }
        let p = policy(&[
            ("os_compute_api:os-server-password", "role:x"),
            (SHOW, "role:y"),
        ]);
        assert!(decide(&p, NovaOperation::Show, &["y"], HOME, HOME));
        assert!(!decide(&p, NovaOperation::Show, &["x"], HOME, HOME));
        assert!(decide(&p, NovaOperation::Clear, &["x"], HOME, HOME));
        // The deprecated default itself, or a reference to the new rule, changes nothing.
        let p = policy(&[("os_compute_api:os-server-password", "(rule:admin_or_owner)")]);
        assert!(!decide(&p, NovaOperation::Show, &[], HOME, HOME));
        let p = policy(&[(
            "os_compute_api:os-server-password",
            "rule:os_compute_api:os-server-password:show",
        )]);
        let d = check_nova(
            &p,
            NovaOperation::Show,
            &creds(&["reader"], HOME),
            &server(HOME),
        )
        .unwrap();
        assert!(d.allowed && !d.overridden);
        // ... but for clear it is an override: readers may clear.
        assert!(decide(&p, NovaOperation::Clear, &["reader"], HOME, HOME));
        // Base rules: the deprecated names really are "rule:admin_api" and "rule:admin_or_owner".
        let p = policy(&[("rule:admin_or_owner", "role:z")]);
        assert!(decide(&p, NovaOperation::Show, &["z"], HOME, HOME));
        assert!(!decide(&p, NovaOperation::Show, &["reader"], HOME, HOME));
        // Nova's own deprecated is_admin:True is a generic check, so the operator's identical text
        // (an IsAdminCheck) differs from it and replaces context_is_admin: nobody is admin then.
        let p = policy(&[("rule:admin_api", "is_admin:True")]);
        let d = check_nova(
            &p,
            NovaOperation::Show,
            &creds(&["admin"], HOME),
            &server(HOME),
        )
        .unwrap();
        assert!(!d.is_admin);
    }

    #[test]
    fn enforce_new_defaults_false_ors_the_deprecated_default_in() {
        // With enforce_new_defaults = False, show is project_reader_or_admin or admin_or_owner,
        // and admin_or_owner lets any token of the server's project in.
        let old = load("", NovaRelease::V2025_2, false);
        let d = check_nova(&old, NovaOperation::Show, &creds(&[], HOME), &server(HOME)).unwrap();
        assert!(d.allowed, "{}", d.explanation_en);
        assert!(
            d.explanation_en.contains("enforce_new_defaults"),
            "{}",
            d.explanation_en
        );
        let new = load("", NovaRelease::V2025_2, true);
        assert!(!decide(&new, NovaOperation::Show, &[], HOME, HOME));
    }

    #[test]
    fn undefined_rules_fall_back_to_default() {
        // oslo_policy/policy.py Rules.__missing__ with policy_default_rule = "default".
        let p = policy(&[("default", "role:x"), (SHOW, "rule:nowhere")]);
        assert!(decide(&p, NovaOperation::Show, &["x"], HOME, HOME));
        assert!(!decide(&p, NovaOperation::Show, &["admin"], HOME, HOME));
        // A default that refers to an undefined rule refers to itself: a cycle.
        let p = policy(&[("default", "rule:nowhere"), (SHOW, "rule:elsewhere")]);
        let err =
            check_nova(&p, NovaOperation::Show, &creds(&[], HOME), &server(HOME)).unwrap_err();
        assert!(err.message.contains("cycle"), "{}", err.message);
    }

    #[test]
    fn is_admin_is_novas_own_check() {
        // nova/policy.py IsAdminCheck: expected = match.lower() == 'true'; no substitution.
        for (expr, roles, expected) in [
            ("is_admin:True", &["admin"][..], true),
            ("is_admin:true", &["admin"], true),
            ("is_admin:TRUE", &["admin"], true),
            ("is_admin:yes", &["admin"], false),
            ("is_admin:yes", &["member"], true),
            ("is_admin:False", &["member"], true),
            ("is_admin:%(project_id)s", &["admin"], false),
        ] {
            assert_eq!(allowed(expr, roles), expected, "{expr} {roles:?}");
        }
        // While Nova computes is_admin, it is None: neither True nor False.
        let p = policy(&[("context_is_admin", "is_admin:False or role:x")]);
        let d = check_nova(
            &p,
            NovaOperation::Show,
            &creds(&["member"], HOME),
            &server(HOME),
        )
        .unwrap();
        assert!(!d.is_admin);
    }

    #[test]
    fn credentials_are_novas_policy_values() {
        // oslo_context/context.py to_policy_values: unset fields are None, str(None) == "None".
        assert!(allowed("domain_id:None", &[]));
        assert!(allowed("user_domain_id:None", &[]));
        assert!(allowed("service_project_id:None", &[]));
        assert!(!allowed("system:None", &[]));
        assert!(!allowed("not_a_field:None", &[]));
        // roles: as Keystone writes them, compared exactly by a generic check.
        assert!(allowed("roles:Member", &["Member"]));
        assert!(!allowed("roles:member", &["Member"]));
        assert!(allowed("roles:reader", &["Member"]));
        assert!(allowed("role:member", &["Member"]));
        // A token without a project: project_id is None, and so is the target of context_is_admin.
        let p = policy(&[("context_is_admin", "project_id:None")]);
        let d = check_nova(&p, NovaOperation::Show, &creds(&[], ""), &server(HOME)).unwrap();
        assert!(d.is_admin && d.allowed);
    }

    #[test]
    fn legacy_release_checks_one_rule_against_the_own_project() {
        // Nova 20.0.0: os_compute_api:os-server-password = rule:admin_or_owner, context.can()
        // without a target, so default_target(context): the token's own project.
        let p = NovaPolicy::load(
            None,
            NovaConfig {
                release: NovaRelease::Legacy,
                enforce_new_defaults: true,
            },
        )
        .unwrap();
        let d = check_nova(&p, NovaOperation::Clear, &creds(&[], HOME), &server(HOME)).unwrap();
        assert!(d.allowed);
        assert_eq!(d.rule, "os_compute_api:os-server-password");
        assert_eq!(d.expression, "rule:admin_or_owner");
        // Another project's server is not found, unless the token is an admin's.
        assert!(!decide(&p, NovaOperation::Show, &["member"], HOME, AWAY));
        assert!(decide(&p, NovaOperation::Show, &["admin"], HOME, AWAY));
        // No scope types in Legacy: a system-scoped admin is not refused by scope.
        let mut system = creds(&["admin"], "");
        system.system_scope = Some("all".to_owned());
        assert!(
            check_nova(&p, NovaOperation::Show, &system, &server(HOME))
                .unwrap()
                .allowed
        );
        assert_eq!(NovaRelease::parse("Train"), Some(NovaRelease::Legacy));
        assert_eq!(NovaRelease::parse("2024.1"), Some(NovaRelease::V2023_1));
        assert_eq!(NovaRelease::parse("2026.1"), Some(NovaRelease::V2025_2));
        assert_eq!(NovaRelease::parse("ussuri"), None);
    }

    #[test]
    fn yaml_lists_and_anchors_read_as_pyyaml_reads_them() {
        // oslo.policy documents `rule: []` as "always"; lists are or-of-and of single checks.
        let text = "os_compute_api:os-server-password:show: []\n\
                    os_compute_api:os-server-password:clear:\n  - [role:a, project_id:%(project_id)s]\n  - role:b\n\
                    x: &shared role:c\n\
                    y: *shared\n";
        let p = NovaPolicy::parse(text).unwrap();
        assert!(decide(&p, NovaOperation::Show, &[], HOME, HOME));
        assert!(decide(&p, NovaOperation::Clear, &["a"], HOME, HOME));
        assert!(decide(&p, NovaOperation::Clear, &["b"], HOME, HOME));
        assert!(!decide(&p, NovaOperation::Clear, &["c"], HOME, HOME));
        assert_eq!(render(&p.rules["y"].expr), "role:c");
    }

    /// A deterministic stream of awkward inputs: nothing panics, overflows or hangs.
    #[test]
    fn garbage_never_panics() {
        const PIECES: [&str; 24] = [
            "(", ")", " ", "and", "or", "not", "role:", "rule:", "a", "%(", ")s", "%", "'", "\"",
            ":", "@", "!", "\n", "#", "{", "}", "[", "\\", "é",
        ];
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..3000 {
            let len = (next() % 24) as usize;
            let text: String = (0..len)
                .map(|_| PIECES[(next() % PIECES.len() as u64) as usize])
                .collect();
            let _ = parse_text_rule(&text);
            for file in [
                format!("{SHOW}: {text}"),
                format!("{{\"{SHOW}\": {:?}}}", text),
                text.clone(),
            ] {
                if let Ok(p) = NovaPolicy::parse(&file) {
                    for op in NovaOperation::ALL {
                        let _ = check_nova(&p, op, &creds(&["member"], HOME), &server(HOME));
                    }
                }
            }
        }
    }
}
