//! The rule as alternatives (disjunctive normal form) of plain checks, each check with its truth
//! for this token and server: what the explanation chooses from. Bounded: a rule with too many
//! alternatives, or too long a one, is not broken down.

use super::evaluate::{Evaluator, View};
use super::file::NovaPolicyError;
use super::rule::{render, Expr, Kind, CREDENTIAL_FIELDS};

/// Most alternatives (disjunctive terms) the explanation considers before giving up on detail.
const MAX_TERMS: usize = 64;
/// Most checks in one alternative the explanation considers.
const MAX_TERM_LEN: usize = 32;

/// A check as the explanation sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Atom {
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
pub(super) struct Lit {
    pub(super) atom: Atom,
    pub(super) negated: bool,
    pub(super) holds: bool,
    /// The check as written, e.g. `role:reader`.
    text: String,
}

impl Lit {
    pub(super) fn render(&self) -> String {
        if self.negated {
            format!("not {}", self.text)
        } else {
            self.text.clone()
        }
    }

    /// How hard it is for a plain user to make this check hold: becoming an admin (cloud-wide in
    /// Keystone's default model) is the least likely fix, so it weighs more than the others.
    pub(super) fn cost(&self) -> usize {
        match &self.atom {
            Atom::Role(role) if !self.negated && role == "admin" => 3,
            Atom::Field { field, .. } if !self.negated && field == "is_admin" => 3,
            _ => 1,
        }
    }

    /// Failing, and no change to the user's roles or token can make it hold.
    pub(super) fn unfixable(&self) -> bool {
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

pub(super) type Term = Vec<Lit>;

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
    pub(super) fn dnf(
        &mut self,
        expr: &Expr,
        negated: bool,
    ) -> Result<Option<Vec<Term>>, NovaPolicyError> {
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

pub(super) fn render_term(term: &Term) -> String {
    term.iter()
        .map(Lit::render)
        .collect::<Vec<_>>()
        .join(" and ")
}
