//! Nova's registered defaults, per release, as Nova registers them with oslo.policy: by
//! reference to its base rules, with the deprecated rules oslo.policy falls back to.
//!
//! Sources (openstack/nova): `nova/policies/base.py` and `nova/policies/server_password.py` at
//! the tags `20.0.0` (Train, the `admin_or_owner` era), `27.0.0` (2023.1) and `33.0.0` (2026.1).

/// Which Nova release's defaults to evaluate against.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify))]
pub enum NovaRelease {
    /// Nova 20 (Train) and older: one rule `os_compute_api:os-server-password` for show and
    /// clear, `rule:admin_or_owner`, checked against the token's own project.
    #[serde(rename = "legacy")]
    Legacy,
    /// Nova 27 to 31 (2023.1 to 2025.1): `rule:project_reader_or_admin` (show) and
    /// `rule:project_member_or_admin` (clear), scope and new defaults enforced; no `manager` or
    /// `service` base rules yet.
    #[serde(rename = "2023.1")]
    V2023_1,
    /// Nova 32 (2025.2) and later, including 2026.1 (33.0.0): as 2023.1, plus the
    /// `project_manager_*` and `service_*` base rules.
    #[default]
    #[serde(rename = "2025.2")]
    V2025_2,
}

impl NovaRelease {
    /// Every release, oldest first.
    pub const ALL: [NovaRelease; 3] = [
        NovaRelease::Legacy,
        NovaRelease::V2023_1,
        NovaRelease::V2025_2,
    ];

    /// The name used by the CLI and the JavaScript API: `legacy`, `2023.1`, `2025.2`.
    pub const fn name(self) -> &'static str {
        match self {
            NovaRelease::Legacy => "legacy",
            NovaRelease::V2023_1 => "2023.1",
            NovaRelease::V2025_2 => "2025.2",
        }
    }

    /// The Nova releases whose defaults these are, for messages and docs.
    pub const fn covers(self) -> &'static str {
        match self {
            NovaRelease::Legacy => "Nova 20.x (Train) and older",
            NovaRelease::V2023_1 => "Nova 27.x to 31.x (2023.1 Antelope to 2025.1 Epoxy)",
            NovaRelease::V2025_2 => {
                "Nova 32.x (2025.2 Flamingo) and later, including 33.x (2026.1 Gazpacho)"
            }
        }
    }

    /// Parses a release name: `legacy` (or `train`), `2023.1` (or `2023.2`, `2024.1`, `2024.2`,
    /// `2025.1`), `2025.2` (or `2026.1`, `current`).
    pub fn parse(name: &str) -> Option<NovaRelease> {
        match name.trim().to_ascii_lowercase().as_str() {
            "legacy" | "train" | "stein" | "rocky" => Some(NovaRelease::Legacy),
            "2023.1" | "2023.2" | "2024.1" | "2024.2" | "2025.1" => Some(NovaRelease::V2023_1),
            "2025.2" | "2026.1" | "current" | "latest" => Some(NovaRelease::V2025_2),
            _ => None,
        }
    }

    /// Whether the password rules carry `scope_types=['project']` (so that oslo.policy refuses
    /// system- and domain-scoped tokens before the rule is evaluated).
    pub(super) const fn project_scoped(self) -> bool {
        !matches!(self, NovaRelease::Legacy)
    }

    /// Whether Nova checks the password rules against the server (`{'project_id':
    /// instance.project_id}`) rather than the token's own project (Train's `context.can(name)`
    /// with no target falls back to `default_target(context)`, nova/policy.py).
    pub(super) const fn targets_the_server(self) -> bool {
        !matches!(self, NovaRelease::Legacy)
    }
}

/// One `policy.RuleDefault` as Nova registers it.
pub(super) struct RuleDefault {
    pub name: &'static str,
    pub check: &'static str,
    /// `deprecated_rule=DeprecatedRule(name, check_str)`.
    pub deprecated: Option<(&'static str, &'static str)>,
}

/// `DEPRECATED_ADMIN_POLICY` of nova/policies/base.py: note the name includes `rule:`.
const DEPRECATED_ADMIN: Option<(&str, &str)> = Some(("rule:admin_api", "is_admin:True"));
/// `DEPRECATED_ADMIN_OR_OWNER_POLICY` of nova/policies/base.py.
const DEPRECATED_ADMIN_OR_OWNER: Option<(&str, &str)> = Some((
    "rule:admin_or_owner",
    "is_admin:True or project_id:%(project_id)s",
));
/// `DEPRECATED_POLICY` of nova/policies/server_password.py: the pre-Wallaby single rule.
const DEPRECATED_SERVER_PASSWORD: Option<(&str, &str)> =
    Some(("os_compute_api:os-server-password", "rule:admin_or_owner"));

const fn rule(name: &'static str, check: &'static str) -> RuleDefault {
    RuleDefault {
        name,
        check,
        deprecated: None,
    }
}

const fn deprecated(
    name: &'static str,
    check: &'static str,
    deprecated: Option<(&'static str, &'static str)>,
) -> RuleDefault {
    RuleDefault {
        name,
        check,
        deprecated,
    }
}

/// The password rules' names in `release`: show first, then clear (the same name in Legacy).
pub(super) const fn password_rules(release: NovaRelease) -> [&'static str; 2] {
    match release {
        NovaRelease::Legacy => [
            "os_compute_api:os-server-password",
            "os_compute_api:os-server-password",
        ],
        _ => [
            "os_compute_api:os-server-password:show",
            "os_compute_api:os-server-password:clear",
        ],
    }
}

/// Every rule `release` registers that these two APIs can reach.
pub(super) fn registered(release: NovaRelease) -> Vec<RuleDefault> {
    match release {
        NovaRelease::Legacy => vec![
            rule("context_is_admin", "role:admin"),
            rule(
                "admin_or_owner",
                "is_admin:True or project_id:%(project_id)s",
            ),
            rule("admin_api", "is_admin:True"),
            rule("os_compute_api:os-server-password", "rule:admin_or_owner"),
        ],
        NovaRelease::V2023_1 | NovaRelease::V2025_2 => {
            let manager = matches!(release, NovaRelease::V2025_2);
            let mut rules = vec![
                deprecated("context_is_admin", "role:admin", DEPRECATED_ADMIN),
                rule(
                    "admin_or_owner",
                    "is_admin:True or project_id:%(project_id)s",
                ),
                rule("admin_api", "is_admin:True"),
            ];
            if manager {
                rules.push(deprecated(
                    "project_manager_api",
                    "role:manager and project_id:%(project_id)s",
                    DEPRECATED_ADMIN,
                ));
            }
            rules.extend([
                deprecated(
                    "project_member_api",
                    "role:member and project_id:%(project_id)s",
                    DEPRECATED_ADMIN_OR_OWNER,
                ),
                deprecated(
                    "project_reader_api",
                    "role:reader and project_id:%(project_id)s",
                    DEPRECATED_ADMIN_OR_OWNER,
                ),
            ]);
            if manager {
                rules.extend([
                    deprecated("service_api", "role:service", DEPRECATED_ADMIN),
                    deprecated(
                        "project_manager_or_admin",
                        "rule:project_manager_api or rule:context_is_admin",
                        DEPRECATED_ADMIN,
                    ),
                ]);
            }
            rules.extend([
                deprecated(
                    "project_member_or_admin",
                    "rule:project_member_api or rule:context_is_admin",
                    DEPRECATED_ADMIN_OR_OWNER,
                ),
                deprecated(
                    "project_reader_or_admin",
                    "rule:project_reader_api or rule:context_is_admin",
                    DEPRECATED_ADMIN_OR_OWNER,
                ),
            ]);
            if manager {
                rules.push(deprecated(
                    "service_or_admin",
                    "rule:service_api or rule:context_is_admin",
                    DEPRECATED_ADMIN,
                ));
            }
            rules.extend([
                deprecated(
                    "os_compute_api:os-server-password:show",
                    "rule:project_reader_or_admin",
                    DEPRECATED_SERVER_PASSWORD,
                ),
                deprecated(
                    "os_compute_api:os-server-password:clear",
                    "rule:project_member_or_admin",
                    DEPRECATED_SERVER_PASSWORD,
                ),
            ]);
            rules
        }
    }
}
