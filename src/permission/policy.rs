//! IAM policies: fine-grained (`"Version": "1.1"`) and role (`"Version": "1.0"`) documents,
//! parsed with serde and validated so that every mistake names its statement and field.

use super::condition::{self, Condition};
use crate::error::raw;
use crate::error::{Error, Result};
use crate::message::Message;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// `Allow` or `Deny`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Effect {
    /// Grants the actions.
    Allow,
    /// Refuses the actions, whatever else allows them.
    Deny,
}

/// A role (1.0) or a fine-grained policy (1.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum PolicyVersion {
    /// `"1.0"`: a role (RBAC); may depend on other roles.
    #[serde(rename = "1.0")]
    Role,
    /// `"1.1"`: a fine-grained policy.
    #[serde(rename = "1.1")]
    FineGrained,
}

/// One statement.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Statement {
    /// Allow or Deny.
    pub effect: Effect,
    /// Action patterns (`ecs:*:get*`).
    pub actions: Vec<String>,
    /// Resource patterns (`ecs:*:*:instance:<id>`); `None` means every resource.
    pub resources: Option<Vec<String>>,
    /// All must hold.
    pub conditions: Vec<Condition>,
}

/// A parsed, validated policy.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Policy {
    /// Role or fine-grained.
    pub version: PolicyVersion,
    /// The statements, in document order (numbered from 1 in explanations).
    pub statements: Vec<Statement>,
    /// Display names of the roles this role needs (`Depends`), e.g. `Tenant Guest`.
    pub depends: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPolicy {
    #[serde(rename = "Version")]
    version: Option<Value>,
    #[serde(rename = "Statement")]
    statement: Option<Value>,
    #[serde(rename = "Depends", default)]
    depends: Vec<RawDepends>,
}

#[derive(Deserialize)]
struct RawDepends {
    #[serde(default)]
    #[allow(dead_code)]
    catalog: Option<String>,
    display_name: String,
}

impl Policy {
    /// Parses a policy document (JSON text).
    pub fn parse(json: &str) -> Result<Policy> {
        let value: Value = serde_json::from_str(json).map_err(|e| {
            Error::policy_invalid(Message::new("detail-not-json").with("detail", e.to_string()))
        })?;
        Policy::from_value(&value)
    }

    /// Validates an already-parsed JSON document.
    pub fn from_value(value: &Value) -> Result<Policy> {
        Policy::validate(value).map_err(Error::policy_invalid)
    }

    /// Validates a document; `Err` says what is wrong (`policy-detail-*`), naming the statement
    /// and field.
    pub(crate) fn validate(value: &Value) -> core::result::Result<Policy, Message> {
        let raw: RawPolicy =
            serde_json::from_value(value.clone()).map_err(|e| raw(e.to_string()))?;
        let version = match raw.version.as_ref().and_then(Value::as_str) {
            Some("1.1") => PolicyVersion::FineGrained,
            Some("1.0") => PolicyVersion::Role,
            Some(other) => {
                return Err(Message::new("policy-detail-version").with("found", other));
            }
            None => return Err(Message::new("policy-detail-version-missing")),
        };
        let statements = match raw.statement {
            Some(Value::Array(items)) if !items.is_empty() => items,
            Some(Value::Array(_)) => return Err(Message::new("policy-detail-statement-empty")),
            Some(_) => return Err(Message::new("policy-detail-statement-not-array")),
            None => return Err(Message::new("policy-detail-statement-missing")),
        };
        let statements = statements
            .iter()
            .enumerate()
            .map(|(i, s)| {
                parse_statement(s).map_err(|why| {
                    Message::new("policy-detail-statement-at")
                        .with("statement", i + 1)
                        .with("detail", why)
                })
            })
            .collect::<core::result::Result<Vec<_>, _>>()?;
        Ok(Policy {
            version,
            statements,
            depends: raw.depends.into_iter().map(|d| d.display_name).collect(),
        })
    }
}

fn parse_statement(value: &Value) -> core::result::Result<Statement, Message> {
    let object = value
        .as_object()
        .ok_or(Message::new("policy-detail-statement-not-object"))?;
    for key in object.keys() {
        if !matches!(key.as_str(), "Effect" | "Action" | "Resource" | "Condition") {
            return Err(Message::new("policy-detail-unknown-field").with("field", key));
        }
    }
    let effect = match object.get("Effect").and_then(Value::as_str) {
        Some("Allow") => Effect::Allow,
        Some("Deny") => Effect::Deny,
        Some(other) => {
            return Err(Message::new("policy-detail-effect").with("found", other));
        }
        None => return Err(Message::new("policy-detail-effect-missing")),
    };
    let actions = strings(object.get("Action"), "Action")?
        .ok_or(Message::new("policy-detail-action-missing"))?;
    for action in &actions {
        let segments: Vec<&str> = action.split(':').collect();
        let well_formed = action == "*"
            || (segments.len() == 3
                && segments.iter().all(|s| {
                    !s.is_empty()
                        && s.chars()
                            .all(|c| c.is_ascii_alphanumeric() || c == '*' || c == '_' || c == '-')
                }));
        if !well_formed {
            return Err(Message::new("policy-detail-action").with("action", action));
        }
    }
    let resources = strings(object.get("Resource"), "Resource")?;
    for resource in resources.iter().flatten() {
        if resource != "*" && resource.splitn(5, ':').count() != 5 {
            return Err(Message::new("policy-detail-resource").with("resource", resource));
        }
    }
    let conditions = match object.get("Condition") {
        None => Vec::new(),
        Some(Value::Object(operators)) => parse_conditions(operators)?,
        Some(_) => return Err(Message::new("policy-detail-condition-not-object")),
    };
    Ok(Statement {
        effect,
        actions,
        resources,
        conditions,
    })
}

fn parse_conditions(
    operators: &serde_json::Map<String, Value>,
) -> core::result::Result<Vec<Condition>, Message> {
    let mut out = Vec::new();
    for (operator, keys) in operators {
        let (comparison, negated, if_exists, qualifier) = condition::parse_operator(operator)
            .map_err(|e| Message::new("policy-detail-condition").with("detail", e))?;
        let keys = keys.as_object().ok_or_else(|| {
            Message::new("policy-detail-condition-keys").with("operator", operator)
        })?;
        for (key, values) in keys {
            let values =
                strings(Some(values), &format!("Condition {operator} {key}"))?.unwrap_or_default();
            if values.is_empty() {
                return Err(Message::new("policy-detail-condition-no-values")
                    .with("operator", operator)
                    .with("key", key));
            }
            for v in &values {
                condition::check_value(comparison, v).map_err(|e| {
                    Message::new("policy-detail-condition-value")
                        .with("operator", operator)
                        .with("key", key)
                        .with("detail", e)
                })?;
            }
            out.push(Condition {
                operator: operator.clone(),
                comparison,
                negated,
                if_exists,
                qualifier,
                key: key.clone(),
                values,
            });
        }
    }
    Ok(out)
}

/// A string or an array of strings (numbers and booleans are accepted as their text).
fn strings(
    value: Option<&Value>,
    field: &str,
) -> core::result::Result<Option<Vec<String>>, Message> {
    let one = |v: &Value| match v {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => Ok(n.to_string()),
        Value::Bool(b) => Ok(b.to_string()),
        _ => Err(Message::new("policy-detail-strings").with("field", field)),
    };
    match value {
        None => Ok(None),
        Some(Value::Array(items)) => items
            .iter()
            .map(one)
            .collect::<core::result::Result<_, _>>()
            .map(Some),
        Some(v) => one(v).map(|s| Some(vec![s])),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorCode;

    #[test]
    fn parses_fine_grained_and_role_policies() {
        let p = Policy::parse(r#"{"Version": "1.1", "Statement": [{"Effect": "Allow", "Action": ["ecs:*:get*"], "Condition": {"StringEquals": {"g:UserName": "alice"}}}]}"#).unwrap();
        assert_eq!(p.version, PolicyVersion::FineGrained);
        assert_eq!(
            p.statements[0].conditions[0].values,
            vec!["alice".to_string()]
        );
        let r = Policy::parse(r#"{"Version": "1.0", "Statement": [{"Effect": "Allow", "Action": "ecs:*:*"}], "Depends": [{"catalog": "BASE", "display_name": "Tenant Guest"}]}"#).unwrap();
        assert_eq!(r.depends, vec!["Tenant Guest".to_string()]);
    }

    #[test]
    fn errors_name_the_statement_and_field() {
        let cases = [
            (
                r#"{"Version": "1.1", "Statement": [{"Effect": "Allow", "Action": ["ecs:*:get*"]}, {"Effect": "allow", "Action": "*"}]}"#,
                "Statement 2: Effect",
            ),
            (
                r#"{"Version": "1.1", "Statement": [{"Effect": "Allow"}]}"#,
                "Statement 1: Action is missing",
            ),
            (
                r#"{"Version": "1.1", "Statement": [{"Effect": "Allow", "Action": "ecs:get"}]}"#,
                "Statement 1: Action \"ecs:get\"",
            ),
            (
                r#"{"Version": "1.1", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "instance"}]}"#,
                "Statement 1: Resource",
            ),
            (
                r#"{"Version": "1.1", "Statement": [{"Effect": "Allow", "Action": "*", "Condition": {"StringEqual": {"a": "b"}}}]}"#,
                "Statement 1: Condition: \"StringEqual\"",
            ),
            (
                r#"{"Version": "1.1", "Statement": [{"Effect": "Allow", "Action": "*", "Condition": {"NumberLessThan": {"g:MFAAge": "soon"}}}]}"#,
                "not a number",
            ),
            (
                r#"{"Version": "1.1", "Statement": [{"Effect": "Allow", "Action": "*", "Actions": "*"}]}"#,
                "unknown field \"Actions\"",
            ),
            (r#"{"Version": "2", "Statement": []}"#, "Version must be"),
            (
                r#"{"Statement": [{"Effect": "Allow", "Action": "*"}]}"#,
                "Version is missing",
            ),
            (
                r#"{"Version": "1.1", "Statement": []}"#,
                "Statement is empty",
            ),
            (r#"{"Version": "1.1"}"#, "Statement is missing"),
            (r#"not json"#, "not valid JSON"),
        ];
        for (json, expected) in cases {
            let e = Policy::parse(json).unwrap_err();
            assert_eq!(e.code(), ErrorCode::PolicyInvalid);
            assert!(e.english().contains(expected), "{json}: {}", e.english());
        }
    }
}
