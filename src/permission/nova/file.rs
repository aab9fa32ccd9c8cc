//! The policy in effect, as oslo.policy's `Enforcer` holds it: the operator's file (read by the
//! `yaml` module, each value parsed as a rule, strings in the policy language and lists in the
//! list-of-lists form) over the registered defaults of a release, with deprecated names handled
//! as `_handle_deprecated_rule` does; `rule:` lookup with the `default` fallback; and the
//! validation of what a rule can reach (cycles, depth, remote checks) before it is evaluated.

use super::release::{self, NovaRelease};
use super::rule::{oslo_eq, parse_check, parse_text_rule, registered_check, Expr, MAX_DEPTH};
use super::yaml;
use crate::message::Message;
use core::fmt;
use std::collections::{BTreeMap, HashMap};

/// The rule oslo.policy falls back to for an undefined `rule:` reference
/// (`[oslo_policy] policy_default_rule`, default `default`; oslo_policy/policy.py `Rules`).
const DEFAULT_RULE: &str = "default";

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
    pub(super) rules: BTreeMap<String, PolicyRule>,
    pub(super) config: NovaConfig,
}

/// One rule of a [`NovaPolicy`].
#[derive(Clone, Debug)]
pub(super) struct PolicyRule {
    pub(super) expr: Expr,
    pub(super) origin: Origin,
    /// Written in YAML as a bare `!`, which YAML reads as an empty value (so: allow everyone).
    pub(super) bare_bang: bool,
}

/// Where a rule in effect comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Origin {
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
    /// What is wrong and where (`nova-policy-*`; the parsers' own diagnostics, `nova-parse-*`,
    /// inside `nova-policy-line`).
    pub message: Message,
}

impl NovaPolicyError {
    pub(super) fn new(rule: Option<&str>, message: Message) -> Self {
        NovaPolicyError {
            rule: rule.map(str::to_owned),
            message,
        }
    }

    /// A parser's diagnostic at `line` of the file.
    pub(super) fn at_line(rule: Option<&str>, line: usize, detail: Message) -> Self {
        Self::new(
            rule,
            Message::new("nova-policy-line")
                .with("line", line)
                .with("detail", detail),
        )
    }

    /// The whole message: the rule (or the file) and what is wrong.
    pub fn full(&self) -> Message {
        match &self.rule {
            Some(rule) => Message::new("nova-policy-rule")
                .with("rule", rule)
                .with("detail", self.message.clone()),
            None => Message::new("nova-policy-file").with("detail", self.message.clone()),
        }
    }
}

/// English, for logs and tests (the CLI and the widget render [`NovaPolicyError::full`]).
impl fmt::Display for NovaPolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        #[cfg(feature = "render")]
        return f.write_str(&crate::message::render(
            &self.full(),
            crate::message::Lang::En,
        ));
        #[cfg(not(feature = "render"))]
        return f.write_str(self.full().id);
    }
}

impl std::error::Error for NovaPolicyError {}

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
                .map_err(|e| NovaPolicyError::at_line(e.rule.as_deref(), e.line, e.message))?;
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

    /// The rule `rule:NAME` evaluates: NAME, or else the file's `default` rule (oslo.policy's
    /// `Rules.__missing__`), with the name actually used.
    pub(super) fn lookup<'p>(&'p self, name: &'p str) -> Option<(&'p str, &'p PolicyRule)> {
        match self.rules.get(name) {
            Some(rule) => Some((name, rule)),
            None => self
                .rules
                .get(DEFAULT_RULE)
                .map(|rule| (DEFAULT_RULE, rule)),
        }
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

impl Default for NovaPolicy {
    fn default() -> Self {
        NovaPolicy::defaults()
    }
}

// ------------------------------------------------------------------------------------------------
// Policy files
// ------------------------------------------------------------------------------------------------

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
                    let detail = Message::new("nova-parse-in-text")
                        .with("detail", m)
                        .with("text", text);
                    NovaPolicyError::at_line(Some(name), line, detail)
                })
        }
        yaml::RuleValue::List(items) => parse_list_rule(items)
            .map(|expr| (expr, false))
            .map_err(|m| NovaPolicyError::at_line(Some(name), line, m)),
    }
}

/// oslo.policy's list-of-lists syntax (`_parse_list_rule`): the outer list is `or`, each inner
/// list is `and`, and each string is one check (not an expression). `[]` is the empty rule; empty
/// strings and empty lists in the outer list are skipped, and nothing left means `!`.
fn parse_list_rule(items: &[yaml::ListItem]) -> Result<Expr, Message> {
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
                Message::new("nova-parse-list-element")
                    .with("outer", outer + 1)
                    .with("inner", inner + 1)
                    .with("detail", message)
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
pub(super) fn validate(policy: &NovaPolicy, name: &str) -> Result<(), NovaPolicyError> {
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
            Message::new("nova-policy-too-deep").with("max", MAX_DEPTH),
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
                Message::new("nova-policy-cycle").with("cycle", cycle.join(" -> ")),
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
                    Message::new("nova-policy-remote").with("check", raw.as_str()),
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
