//! IAM policy conditions: `{"Operator": {"key": ["value", ...]}}` (Huawei Cloud IAM user guide,
//! "Policy Syntax", https://support.huaweicloud.com/intl/en-us/usermanual-iam/iam_01_0019.html;
//! Open Telekom Cloud IAM user guide, "Policy Syntax" and "Custom Policy Use Cases",
//! opentelekomcloud-docs/identity-access-management `umn/source/user_guide/permissions/`).
//! docs/permissions.md lists every operator those guides use, with its source.
//!
//! Values under one key are OR-ed; keys and operators are AND-ed. Each operator may carry an
//! `IfExists` suffix (a missing key then passes) and a `ForAllValues:` / `ForAnyValue:` qualifier
//! for multi-valued keys. Semantics where the IAM guides are silent follow AWS IAM, which Huawei's
//! policy language mirrors: a negated operator (`StringNotEquals`, ...) on a missing key is true;
//! `ForAllValues` on a missing or empty key is true; string comparisons are case-sensitive unless
//! the operator says `IgnoreCase`.

use super::context::RequestContext;
use crate::message::Message;
use serde::Serialize;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// The comparison an operator makes, before negation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Comparison {
    /// `StringEquals` / `StringNotEquals`.
    StringEquals,
    /// `StringEqualsIgnoreCase` / `StringNotEqualsIgnoreCase`.
    StringEqualsIgnoreCase,
    /// `StringMatch` / `StringNotMatch` (`*` and `?`).
    StringMatch,
    /// `StringStartWith`: the request value begins with the condition value (case-sensitive).
    StringStartWith,
    /// `StringEndWith`: the request value ends with the condition value (case-sensitive).
    StringEndWith,
    /// `NumberEquals` / `NumberNotEquals`.
    NumberEquals,
    /// `NumberLessThan`.
    NumberLessThan,
    /// `NumberLessThanEquals`.
    NumberLessThanEquals,
    /// `NumberGreaterThan`.
    NumberGreaterThan,
    /// `NumberGreaterThanEquals`.
    NumberGreaterThanEquals,
    /// `DateLessThan`.
    DateLessThan,
    /// `DateLessThanEquals`.
    DateLessThanEquals,
    /// `DateGreaterThan`.
    DateGreaterThan,
    /// `DateGreaterThanEquals`.
    DateGreaterThanEquals,
    /// `Bool`.
    Bool,
    /// `Null`: whether the key is absent.
    Null,
}

/// `ForAllValues:` or `ForAnyValue:`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Qualifier {
    /// Every value in the request must match one of the condition's values.
    ForAllValues,
    /// At least one value in the request must match one of the condition's values.
    ForAnyValue,
}

/// One `operator: {key: values}` clause.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Condition {
    /// The operator as written, e.g. `ForAnyValue:StringNotEqualsIfExists`.
    pub operator: String,
    /// What it compares.
    pub comparison: Comparison,
    /// `...Not...` operators.
    pub negated: bool,
    /// `...IfExists` operators.
    pub if_exists: bool,
    /// The multi-value qualifier, if any.
    pub qualifier: Option<Qualifier>,
    /// The condition key, e.g. `g:UserName`.
    pub key: String,
    /// The values, OR-ed.
    pub values: Vec<String>,
}

/// Parses an operator name; `Err` says why it is not one.
pub(crate) fn parse_operator(
    name: &str,
) -> Result<(Comparison, bool, bool, Option<Qualifier>), Message> {
    let (qualifier, rest) = if let Some(rest) = name.strip_prefix("ForAllValues:") {
        (Some(Qualifier::ForAllValues), rest)
    } else if let Some(rest) = name.strip_prefix("ForAnyValue:") {
        (Some(Qualifier::ForAnyValue), rest)
    } else {
        (None, name)
    };
    let (rest, if_exists) = match rest.strip_suffix("IfExists") {
        Some(base) => (base, true),
        None => (rest, false),
    };
    use Comparison::*;
    let (comparison, negated) = match rest {
        "StringEquals" => (StringEquals, false),
        "StringNotEquals" => (StringEquals, true),
        "StringEqualsIgnoreCase" => (StringEqualsIgnoreCase, false),
        "StringNotEqualsIgnoreCase" => (StringEqualsIgnoreCase, true),
        "StringMatch" => (StringMatch, false),
        "StringNotMatch" => (StringMatch, true),
        "StringStartWith" => (StringStartWith, false),
        "StringEndWith" => (StringEndWith, false),
        "NumberEquals" => (NumberEquals, false),
        "NumberNotEquals" => (NumberEquals, true),
        "NumberLessThan" => (NumberLessThan, false),
        "NumberLessThanEquals" => (NumberLessThanEquals, false),
        "NumberGreaterThan" => (NumberGreaterThan, false),
        "NumberGreaterThanEquals" => (NumberGreaterThanEquals, false),
        "DateLessThan" => (DateLessThan, false),
        "DateLessThanEquals" => (DateLessThanEquals, false),
        "DateGreaterThan" => (DateGreaterThan, false),
        "DateGreaterThanEquals" => (DateGreaterThanEquals, false),
        "Bool" => (Bool, false),
        "Null" => (Null, false),
        _ => return Err(Message::new("policy-detail-operator-unknown").with("operator", name)),
    };
    if comparison == Null && (if_exists || qualifier.is_some()) {
        return Err(Message::new("policy-detail-operator-null").with("operator", name));
    }
    Ok((comparison, negated, if_exists, qualifier))
}

/// Checks that a value can be compared the way the operator needs; `Err` says why not.
pub(crate) fn check_value(comparison: Comparison, value: &str) -> Result<(), Message> {
    use Comparison::*;
    match comparison {
        NumberEquals
        | NumberLessThan
        | NumberLessThanEquals
        | NumberGreaterThan
        | NumberGreaterThanEquals => number(value)
            .map(|_| ())
            .ok_or_else(|| Message::new("policy-detail-not-number").with("value", value)),
        DateLessThan | DateLessThanEquals | DateGreaterThan | DateGreaterThanEquals => date(value)
            .map(|_| ())
            .ok_or_else(|| Message::new("policy-detail-not-time").with("value", value)),
        Bool | Null => match value.to_ascii_lowercase().as_str() {
            "true" | "false" => Ok(()),
            _ => Err(Message::new("policy-detail-not-bool").with("value", value)),
        },
        StringEquals | StringEqualsIgnoreCase | StringMatch | StringStartWith | StringEndWith => {
            Ok(())
        }
    }
}

impl Condition {
    /// Whether the request context satisfies this clause.
    pub fn holds(&self, context: &RequestContext) -> bool {
        let present = context.values(&self.key).filter(|v| !v.is_empty());
        if self.comparison == Comparison::Null {
            let want_absent = self.values.iter().any(|v| v.eq_ignore_ascii_case("true"));
            return want_absent == present.is_none();
        }
        let Some(request) = present else {
            return self.if_exists
                || self.negated
                || self.qualifier == Some(Qualifier::ForAllValues);
        };
        let matches_one = |r: &str| self.values.iter().any(|c| compare(self.comparison, r, c));
        // A negated operator holds for a request value that matches none of the values.
        let holds_for = |r: &String| matches_one(r) != self.negated;
        match self.qualifier {
            Some(Qualifier::ForAllValues) => request.iter().all(holds_for),
            Some(Qualifier::ForAnyValue) => request.iter().any(holds_for),
            None if self.negated => request.iter().all(holds_for),
            None => request.iter().any(holds_for),
        }
    }
}

/// The positive comparison of a request value with a condition value.
fn compare(comparison: Comparison, request: &str, condition: &str) -> bool {
    use Comparison::*;
    let numbers = || Some((number(request)?, number(condition)?));
    let dates = || Some((date(request)?, date(condition)?));
    match comparison {
        StringEquals => request == condition,
        StringEqualsIgnoreCase => request.to_lowercase() == condition.to_lowercase(),
        StringMatch => super::pattern::wildcard(condition, request, true, false),
        StringStartWith => request.starts_with(condition),
        StringEndWith => request.ends_with(condition),
        NumberEquals => numbers().is_some_and(|(r, c)| r == c),
        NumberLessThan => numbers().is_some_and(|(r, c)| r < c),
        NumberLessThanEquals => numbers().is_some_and(|(r, c)| r <= c),
        NumberGreaterThan => numbers().is_some_and(|(r, c)| r > c),
        NumberGreaterThanEquals => numbers().is_some_and(|(r, c)| r >= c),
        DateLessThan => dates().is_some_and(|(r, c)| r < c),
        DateLessThanEquals => dates().is_some_and(|(r, c)| r <= c),
        DateGreaterThan => dates().is_some_and(|(r, c)| r > c),
        DateGreaterThanEquals => dates().is_some_and(|(r, c)| r >= c),
        Bool => request.eq_ignore_ascii_case(condition),
        Null => false,
    }
}

fn number(s: &str) -> Option<f64> {
    s.trim().parse::<f64>().ok().filter(|n| n.is_finite())
}

fn date(s: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(s.trim(), &Rfc3339).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cond(operator: &str, key: &str, values: &[&str]) -> Condition {
        let (comparison, negated, if_exists, qualifier) = parse_operator(operator).unwrap();
        Condition {
            operator: operator.into(),
            comparison,
            negated,
            if_exists,
            qualifier,
            key: key.into(),
            values: values.iter().map(|v| v.to_string()).collect(),
        }
    }

    fn ctx(pairs: &[(&str, &str)]) -> RequestContext {
        let mut c = RequestContext::default();
        for (k, v) in pairs {
            c.insert(k, v);
        }
        c
    }

    /// (operator, key, condition values, context, expected)
    #[test]
    fn every_operator() {
        let user = ctx(&[
            ("g:UserName", "alice"),
            ("g:MFAAge", "300"),
            ("g:MFAPresent", "true"),
            ("g:CurrentTime", "2026-11-23T12:00:00Z"),
            ("g:ResourceTag/env", "prod"),
            ("g:ResourceTag/env", "test"),
        ]);
        let cases: &[(&str, &str, &[&str], bool)] = &[
            ("StringEquals", "g:UserName", &["alice"], true),
            ("StringEquals", "g:UserName", &["bob", "alice"], true),
            ("StringEquals", "g:UserName", &["Alice"], false),
            ("StringEquals", "g:username", &["alice"], true),
            ("StringNotEquals", "g:UserName", &["bob"], true),
            ("StringNotEquals", "g:UserName", &["alice"], false),
            ("StringNotEquals", "g:DomainName", &["x"], true),
            ("StringEqualsIgnoreCase", "g:UserName", &["ALICE"], true),
            ("StringNotEqualsIgnoreCase", "g:UserName", &["ALICE"], false),
            ("StringMatch", "g:UserName", &["a*"], true),
            ("StringMatch", "g:UserName", &["al?ce"], true),
            ("StringMatch", "g:UserName", &["b*"], false),
            ("StringNotMatch", "g:UserName", &["b*"], true),
            ("StringNotMatch", "g:UserName", &["?lice"], false),
            ("NumberEquals", "g:MFAAge", &["300"], true),
            ("NumberEquals", "g:MFAAge", &["300.0"], true),
            ("NumberNotEquals", "g:MFAAge", &["300"], false),
            ("NumberLessThan", "g:MFAAge", &["3600"], true),
            ("NumberLessThan", "g:MFAAge", &["300"], false),
            ("NumberLessThanEquals", "g:MFAAge", &["300"], true),
            ("NumberGreaterThan", "g:MFAAge", &["299"], true),
            ("NumberGreaterThan", "g:MFAAge", &["300"], false),
            ("NumberGreaterThanEquals", "g:MFAAge", &["300"], true),
            (
                "DateLessThan",
                "g:CurrentTime",
                &["2027-01-01T00:00:00Z"],
                true,
            ),
            (
                "DateLessThan",
                "g:CurrentTime",
                &["2026-11-23T12:00:00Z"],
                false,
            ),
            (
                "DateLessThanEquals",
                "g:CurrentTime",
                &["2026-11-23T20:00:00+08:00"],
                true,
            ),
            (
                "DateGreaterThan",
                "g:CurrentTime",
                &["2026-01-01T00:00:00Z"],
                true,
            ),
            (
                "DateGreaterThanEquals",
                "g:CurrentTime",
                &["2026-11-23T12:00:01Z"],
                false,
            ),
            ("Bool", "g:MFAPresent", &["true"], true),
            ("Bool", "g:MFAPresent", &["false"], false),
            ("Null", "g:MFAPresent", &["false"], true),
            ("Null", "g:MFAPresent", &["true"], false),
            ("Null", "g:DomainName", &["true"], true),
            ("Null", "g:DomainName", &["false"], false),
            ("StringEquals", "g:DomainName", &["x"], false),
            ("StringEqualsIfExists", "g:DomainName", &["x"], true),
            ("StringEqualsIfExists", "g:UserName", &["bob"], false),
            ("NumberLessThanIfExists", "g:Missing", &["1"], true),
            ("BoolIfExists", "g:MFAPresent", &["false"], false),
            (
                "ForAnyValue:StringEquals",
                "g:ResourceTag/env",
                &["prod"],
                true,
            ),
            (
                "ForAnyValue:StringEquals",
                "g:ResourceTag/env",
                &["dev"],
                false,
            ),
            (
                "ForAllValues:StringEquals",
                "g:ResourceTag/env",
                &["prod"],
                false,
            ),
            (
                "ForAllValues:StringEquals",
                "g:ResourceTag/env",
                &["prod", "test"],
                true,
            ),
            ("ForAllValues:StringEquals", "g:Missing", &["prod"], true),
            ("ForAnyValue:StringEquals", "g:Missing", &["prod"], false),
            (
                "ForAnyValue:StringNotEquals",
                "g:ResourceTag/env",
                &["prod"],
                true,
            ),
            (
                "ForAllValues:StringNotEquals",
                "g:ResourceTag/env",
                &["dev"],
                true,
            ),
            (
                "ForAllValues:StringNotEquals",
                "g:ResourceTag/env",
                &["prod"],
                false,
            ),
            ("StringNotEquals", "g:ResourceTag/env", &["prod"], false),
            (
                "ForAnyValue:StringMatchIfExists",
                "g:Missing",
                &["p*"],
                true,
            ),
            // The Huawei Cloud and OTC IAM guides' own operators.
            ("StringStartWith", "g:UserName", &["al"], true),
            ("StringStartWith", "g:UserName", &["alice"], true),
            ("StringStartWith", "g:UserName", &["li"], false),
            ("StringStartWith", "g:UserName", &["AL"], false),
            ("StringStartWith", "g:UserName", &["bob", "ali"], true),
            ("StringStartWith", "g:UserName", &["alicex"], false),
            ("StringStartWith", "g:DomainName", &["a"], false),
            ("StringStartWithIfExists", "g:DomainName", &["a"], true),
            ("StringStartWithIfExists", "g:UserName", &["b"], false),
            ("StringStartWithIfExists", "g:UserName", &["a"], true),
            ("StringEndWith", "g:UserName", &["ice"], true),
            ("StringEndWith", "g:UserName", &["al"], false),
            ("StringEndWith", "g:UserName", &["ICE"], false),
            ("StringEndWith", "g:DomainName", &["x"], false),
            ("StringEndWithIfExists", "g:DomainName", &["x"], true),
            ("StringEndWithIfExists", "g:UserName", &["ice"], true),
            ("StringEndWithIfExists", "g:UserName", &["bob"], false),
            (
                "ForAnyValue:StringStartWith",
                "g:ResourceTag/env",
                &["te"],
                true,
            ),
            (
                "ForAllValues:StringStartWith",
                "g:ResourceTag/env",
                &["te"],
                false,
            ),
            (
                "ForAllValues:StringEndWith",
                "g:ResourceTag/env",
                &["d", "t"],
                true,
            ),
        ];
        for (operator, key, values, expected) in cases {
            assert_eq!(
                cond(operator, key, values).holds(&user),
                *expected,
                "{operator} {key} {values:?}"
            );
        }
    }

    #[test]
    fn bad_operators_and_values() {
        assert!(parse_operator("StringEqual").is_err());
        assert!(parse_operator("NullIfExists").is_err());
        assert!(parse_operator("ForAllValues:Null").is_err());
        assert!(parse_operator("ForSomeValues:StringEquals").is_err());
        // Operators the IAM guides do not define are refused, not guessed at.
        assert!(parse_operator("StringNotStartWith").is_err());
        assert!(parse_operator("StringLike").is_err());
        assert!(parse_operator("StringStartsWith").is_err());
        assert!(check_value(Comparison::StringStartWith, "").is_ok());
        assert!(check_value(Comparison::NumberLessThan, "ten").is_err());
        assert!(check_value(Comparison::DateLessThan, "2026-13-01").is_err());
        assert!(check_value(Comparison::Bool, "yes").is_err());
        assert!(check_value(Comparison::StringMatch, "*").is_ok());
    }
}
