//! The differential test of the Nova policy engine against the real oslo.policy.
//!
//! `tests/oracle/nova_policy.py` (run by `scripts/test.sh` in the `.venv` that `scripts/setup.sh`
//! creates) generates thousands of seeded cases and decides each with oslo.policy's `Enforcer`,
//! Nova's rules registered as Nova registers them. This test replays every case through
//! `check_nova` and fails on any disagreement, printing the smallest one. It is not part of the
//! default `cargo test` (it needs the case file); run it with
//!
//! ```sh
//! .venv/bin/python tests/oracle/nova_policy.py && cargo test -p ecs-password --test nova_oracle
//! ```
//!
//! A missing case file is a failure, never a skip.

use ecs_password::message::{render, Lang};
use ecs_password::permission::{
    check_nova, NovaConfig, NovaCredentials, NovaPolicy, NovaRelease, NovaTarget,
};
use ecs_password::route::Operation;
use serde::Deserialize;

#[derive(Deserialize)]
struct CaseFile {
    #[serde(rename = "osloPolicy")]
    oslo_policy: String,
    cases: Vec<Case>,
}

#[derive(Deserialize, Debug)]
#[serde(rename_all = "camelCase")]
struct Case {
    id: usize,
    release: NovaRelease,
    enforce_new_defaults: bool,
    form: String,
    file: String,
    #[serde(deserialize_with = "operation")]
    operation: Operation,
    roles: Vec<String>,
    project_id: Option<String>,
    user_id: Option<String>,
    system_scope: Option<String>,
    domain_id: Option<String>,
    server_project: String,
    expected: Expected,
}

#[derive(Deserialize, Debug)]
#[serde(rename_all = "camelCase")]
struct Expected {
    /// oslo.policy's verdict on the password rule.
    policy: Option<bool>,
    /// What Nova computed for `context.is_admin`.
    is_admin: Option<bool>,
    /// Whether Nova's lookup finds the server for this context.
    found: Option<bool>,
    /// oslo.policy raised (the engine must refuse the policy too).
    error: Option<String>,
    /// oslo.policy logged "Failed to understand rule" (the engine must refuse the policy).
    oslo_parse_failed: bool,
}

/// The case file's operation (oslo.policy's rule suffix): `show` is `get`, `clear` is `clear`.
fn operation<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Operation, D::Error> {
    match String::deserialize(d)?.as_str() {
        "show" => Ok(Operation::Get),
        "clear" => Ok(Operation::Clear),
        other => Err(serde::de::Error::custom(format!(
            "unknown operation {other}"
        ))),
    }
}

/// What went wrong with one case, if anything.
fn disagreement(case: &Case) -> Option<String> {
    let config = NovaConfig {
        release: case.release,
        enforce_new_defaults: case.enforce_new_defaults,
    };
    let text = (!case.file.is_empty()).then_some(case.file.as_str());
    let strict = case.expected.error.is_some() || case.expected.oslo_parse_failed;
    let policy = match NovaPolicy::load(text, config) {
        Ok(policy) => policy,
        Err(_) if strict => return None,
        Err(e) => return Some(format!("our engine refused the policy file: {e}")),
    };
    let credentials = NovaCredentials {
        roles: case.roles.clone(),
        project_id: case.project_id.clone().unwrap_or_default(),
        user_id: case.user_id.clone(),
        domain_id: case.domain_id.clone(),
        system_scope: case.system_scope.clone(),
    };
    let target = NovaTarget {
        project_id: case.server_project.clone(),
        user_id: None,
    };
    let decision = match check_nova(&policy, case.operation, &credentials, &target) {
        Ok(decision) => decision,
        Err(_) if strict => return None,
        Err(e) => return Some(format!("our engine failed: {e}")),
    };
    if strict {
        return Some(format!(
            "oslo.policy {} but our engine decided allowed={}",
            case.expected
                .error
                .as_deref()
                .map_or("could not parse a rule".to_owned(), |e| format!(
                    "raised {e}"
                )),
            decision.allowed()
        ));
    }
    let (Some(policy_ok), Some(is_admin), Some(found)) = (
        case.expected.policy,
        case.expected.is_admin,
        case.expected.found,
    ) else {
        return Some("the case has no verdict".to_owned());
    };
    if decision.is_admin != is_admin {
        return Some(format!(
            "is_admin: oslo.policy {is_admin}, ours {}",
            decision.is_admin
        ));
    }
    let expected = found && policy_ok;
    if decision.allowed() != expected {
        return Some(format!(
            "allowed: oslo.policy {expected} (rule {policy_ok}, server found {found}), ours {} \
             (rule {} = {}): {}",
            decision.allowed(),
            decision.rule,
            decision.expression,
            render(&decision.explanation, Lang::En)
        ));
    }
    None
}

#[test]
fn our_engine_agrees_with_oslo_policy() {
    let path = std::env::var("NOVA_ORACLE_CASES").unwrap_or_else(|_| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/target/nova-oracle/cases.json").to_owned()
    });
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "the oracle's case file {path} is missing ({e}); generate it with \
             `.venv/bin/python tests/oracle/nova_policy.py` (scripts/test.sh does)"
        )
    });
    let file: CaseFile = serde_json::from_str(&text).expect("the case file is JSON");
    assert!(
        file.cases.len() >= 5000,
        "only {} cases; the differential test needs at least 5000",
        file.cases.len()
    );
    let mut failures: Vec<(&Case, String)> = file
        .cases
        .iter()
        .filter_map(|case| disagreement(case).map(|why| (case, why)))
        .collect();
    let allowed = file
        .cases
        .iter()
        .filter(|c| c.expected.policy == Some(true) && c.expected.found == Some(true))
        .count();
    println!(
        "nova oracle: {} cases against oslo.policy {} ({allowed} allowed), {} disagreements",
        file.cases.len(),
        file.oslo_policy,
        failures.len()
    );
    failures.sort_by_key(|(case, _)| (case.file.len() + case.roles.len(), case.id));
    if let Some((case, why)) = failures.first() {
        panic!(
            "{} of {} cases disagree with oslo.policy; the smallest (case {}):\n  release {} \
             (enforce_new_defaults {}), {:?} by roles {:?} in project {:?} (system_scope {:?}, \
             domain {:?}) on a server in {}\n  policy file ({}):\n{}\n  {why}",
            failures.len(),
            file.cases.len(),
            case.id,
            case.release.name(),
            case.enforce_new_defaults,
            case.operation,
            case.roles,
            case.project_id,
            case.system_scope,
            case.domain_id,
            case.server_project,
            case.form,
            case.file,
        );
    }
}
