//! Signing in, sans-IO: the requests that turn what users have (a user name and password, an MFA
//! code, an application credential, an AK/SK pair) into a token and endpoints, and the reading of
//! the answers. Keystone v3 (OpenStack) and Huawei Cloud / Open Telekom Cloud IAM speak the same
//! `POST /v3/auth/tokens`; the differences (Huawei's MFA body, projects named after regions, AK/SK
//! instead of a token) are in the builders' arguments, not in separate code paths.
//!
//! Nothing here sends anything: the CLI sends with its blocking transport, tests with a fake.
//! Every secret is held in [`Secret`] (wiped on drop, never printed by `Debug`), and no error
//! message quotes one. The facts and their sources are in `docs/signin.md`.

pub mod catalog;
pub mod flow;
pub mod keystone;

pub use catalog::{
    api_endpoint, find_endpoint, region, regions, CatalogApi, CatalogEndpoint, Interface,
    RegionEndpoints, Service,
};
pub use flow::{SignInFlow, Step};
pub use keystone::{
    build_list_projects, build_project_by_region, build_token_request, parse_projects, parse_token,
    pick_project, project_for_region, AppCredential, Factor, Name, Named, Project, Scope,
    SignInAnswer, SignedIn, UserRef,
};

use crate::permission::NovaCredentials;
use zeroize::Zeroizing;

/// A password, TOTP code, application-credential secret, secret key or token: wiped when
/// dropped, `<redacted>` in `Debug`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Zeroizing<String>);

impl Secret {
    /// Takes the secret (the `String` is moved, not copied).
    pub fn new(value: impl Into<String>) -> Self {
        Secret(Zeroizing::new(value.into()))
    }

    /// The secret, for the request body or header it goes into.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl core::fmt::Debug for Secret {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("<redacted>")
    }
}

/// Whether a token that ends at `expires_at` (Unix seconds) should be replaced at `now`: once
/// less than `margin` seconds are left, so that a call started now does not fail half-way.
/// keystoneauth1 uses a margin of 30 seconds (`STALE_TOKEN_DURATION`); a caller that waits for a
/// password (minutes) should ask for more.
pub fn needs_new_sign_in(now: i64, expires_at: i64, margin: i64) -> bool {
    now.saturating_add(margin.max(0)) >= expires_at
}

impl SignedIn {
    /// What Nova's policy check needs from this token: the role names as assigned and the
    /// project it is scoped to (empty for a token without a project).
    pub fn nova_credentials(&self) -> NovaCredentials {
        NovaCredentials {
            roles: self.roles.clone(),
            project_id: self
                .project
                .as_ref()
                .map(|p| p.id.clone())
                .unwrap_or_default(),
            ..NovaCredentials::default()
        }
    }

    /// [`needs_new_sign_in`] for this token.
    pub fn needs_new_sign_in(&self, now: i64, margin: i64) -> bool {
        needs_new_sign_in(now, self.expires_unix, margin)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_not_printed() {
        let secret = Secret::new("hunter2");
        assert_eq!(format!("{secret:?}"), "<redacted>");
        assert_eq!(secret.expose(), "hunter2");
    }

    #[test]
    fn expiry_margin() {
        assert!(!needs_new_sign_in(1000, 2000, 30));
        assert!(!needs_new_sign_in(1969, 2000, 30));
        assert!(needs_new_sign_in(1970, 2000, 30));
        assert!(needs_new_sign_in(2001, 2000, 0));
        // A negative margin counts as none; huge values do not overflow.
        assert!(!needs_new_sign_in(1999, 2000, -50));
        assert!(needs_new_sign_in(i64::MAX, 2000, i64::MAX));
    }
}
