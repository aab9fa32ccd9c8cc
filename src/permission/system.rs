//! System-defined policies and roles that users attach by name (the ECS user guide's "Permissions"
//! page, opentelekomcloud-docs/elastic-cloud-server `umn/source/service_overview/permissions.rst`,
//! and the IAM API reference for roles; docs/permissions.md gives the source of each name). Roles (1.0) write service names
//! in upper case, as the cloud's own documents do.
//!
//! Reading chosen for the renamed actions: `get*` does not match `showServerPassword`, but a
//! request is authorized when a policy allows either the documented name or its newer alias
//! (policies written with either name must keep working). So `ECS ReadOnlyAccess`
//! (`ecs:*:get*`) allows GET os-server-password through the old name `ecs:cloudServers:get`, as it
//! did when the table was first published.

use super::policy::Policy;

/// `(name, JSON)` of every built-in policy.
const SYSTEM_POLICIES: [(&str, &str); 6] = [
    (
        "ECS FullAccess",
        r#"{"Version": "1.1", "Statement": [{"Effect": "Allow", "Action": ["ecs:*:*", "evs:*:*", "vpc:*:*", "ims:*:*"]}]}"#,
    ),
    (
        "ECS CommonOperations",
        r#"{"Version": "1.1", "Statement": [{"Effect": "Allow", "Action": [
        "ecs:*:get*", "ecs:*:list*", "ecs:*:start", "ecs:*:stop", "ecs:*:reboot", "ecs:cloudServerPasswords:reset",
        "ecs:serverPasswords:manage", "ecs:serverKeypairs:*", "ecs:cloudServers:vnc", "ecs:serverGroups:manage",
        "ecs:serverVolumes:use", "evs:*:get*", "evs:*:list*", "vpc:*:get*", "vpc:*:list*", "ims:*:get*", "ims:*:list*"]}]}"#,
    ),
    (
        "ECS ReadOnlyAccess",
        r#"{"Version": "1.1", "Statement": [{"Effect": "Allow", "Action": [
        "ecs:*:get*", "ecs:*:list*", "ecs:serverGroups:manage", "ecs:serverVolumes:use",
        "evs:*:get*", "evs:*:list*", "vpc:*:get*", "vpc:*:list*", "ims:*:get*", "ims:*:list*"]}]}"#,
    ),
    (
        "Server Administrator",
        r#"{"Version": "1.0", "Statement": [{"Effect": "Allow", "Action": ["ECS:*:*", "EVS:*:*", "VPC:*:*", "IMS:*:*"]}],
        "Depends": [{"catalog": "BASE", "display_name": "Tenant Guest"}]}"#,
    ),
    (
        "Tenant Administrator",
        r#"{"Version": "1.0", "Statement": [{"Effect": "Allow", "Action": ["*"]}, {"Effect": "Deny", "Action": ["identity:*:*"]}]}"#,
    ),
    (
        "Tenant Guest",
        r#"{"Version": "1.0", "Statement": [{"Effect": "Allow", "Action": ["*:*:Get*", "*:*:List*"]}, {"Effect": "Deny", "Action": ["identity:*:*"]}]}"#,
    ),
];

/// The names of the built-in policies, in documentation order.
pub fn system_policy_names() -> impl Iterator<Item = &'static str> {
    SYSTEM_POLICIES.iter().map(|(name, _)| *name)
}

/// A built-in policy by name (case and repeated spaces ignored), with its canonical name.
pub fn system_policy(name: &str) -> Option<(&'static str, Policy)> {
    let wanted: String = name
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    SYSTEM_POLICIES
        .iter()
        .find(|(n, _)| n.to_lowercase() == wanted)
        .and_then(|(n, json)| Policy::parse(json).ok().map(|p| (*n, p)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_system_policy_parses_and_is_found_by_name() {
        for name in system_policy_names() {
            assert_eq!(system_policy(name).map(|(n, _)| n), Some(name));
            assert_eq!(
                system_policy(&format!("  {}  ", name.to_uppercase())).map(|(n, _)| n),
                Some(name)
            );
        }
        assert!(system_policy("ECS SuperUser").is_none());
        assert_eq!(
            system_policy("Server Administrator").unwrap().1.depends,
            vec!["Tenant Guest".to_string()]
        );
    }
}
