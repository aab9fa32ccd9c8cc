//! The decisions the widget and the CLI take alike about a server: which API family to call (and
//! when a refusal of v1 is retried on v2.1), whether a key file is the server's key pair, and
//! which OS the server runs. Pure functions: the callers bring the facts (the permission engine's
//! recommendations, the cloud's answers) and do the calling.

use crate::api::password_rules::{OsType, ResetApi};
use crate::api::response::KeyPair;
use crate::error::ErrorCode;
use crate::key::KeyInfo;
use crate::permission::{ApiFamily, Operation, OperationAccess};
use serde::Serialize;

/// What the permission engine recommends, per operation, when the user's permissions are known.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Recommended {
    /// The family to get (and clear) the password through, if any allows it.
    pub get: Option<ApiFamily>,
    /// The family to reset the password through, if any allows it.
    pub reset: Option<ApiFamily>,
}

impl Recommended {
    /// The recommendations in [`crate::permission::explain_access`]'s answer.
    #[must_use]
    pub fn from_access(access: &[OperationAccess]) -> Recommended {
        let of = |operation: Operation| {
            access
                .iter()
                .find(|a| a.operation == operation)
                .and_then(|a| a.recommended)
        };
        Recommended {
            get: of(Operation::Get),
            reset: of(Operation::Reset),
        }
    }
}

/// Why a family was chosen: the widget says it next to the access list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub enum FamilyReason {
    /// The caller named it.
    Requested,
    /// Automatic: the first family the user's permissions allow the get through.
    Permissions,
    /// Automatic without the user's permissions: v1 first (enterprise projects and
    /// instance-level authorization work only there), v2.1 if the cloud refuses v1.
    Unknown,
    /// Automatic, but the permissions allow the get through no family: v1, and the cloud decides.
    Denied,
    /// The cloud refused v1 with 403, so v2.1 is tried (see [`FamilyChoice::after_refusal`]).
    Fallback,
}

impl FamilyReason {
    /// Every reason, for [`FamilyReason::parse`].
    pub const ALL: [FamilyReason; 5] = [
        FamilyReason::Requested,
        FamilyReason::Permissions,
        FamilyReason::Unknown,
        FamilyReason::Denied,
        FamilyReason::Fallback,
    ];

    /// The stable name (as serialized).
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            FamilyReason::Requested => "requested",
            FamilyReason::Permissions => "permissions",
            FamilyReason::Unknown => "unknown",
            FamilyReason::Denied => "denied",
            FamilyReason::Fallback => "fallback",
        }
    }

    /// Parses a stable name.
    #[must_use]
    pub fn parse(name: &str) -> Option<FamilyReason> {
        Self::ALL.into_iter().find(|r| r.as_str() == name)
    }
}

/// The family for the password calls, and the API for a reset (v1 or v2.1 only).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct FamilyChoice {
    /// Where get, clear, the server's details and its key pair are asked for.
    pub family: ApiFamily,
    /// Why.
    pub reason: FamilyReason,
    /// Where a reset goes.
    pub reset_api: ResetApi,
}

/// Chooses the family: the requested one (`None`: automatic), else the one the permissions
/// recommend for getting the password, else v1. A reset goes where the permissions allow it
/// through v2.1 (or, without permissions, where the family is v2.1), else through v1.
#[must_use]
pub fn choose_family(
    requested: Option<ApiFamily>,
    permissions: Option<&Recommended>,
) -> FamilyChoice {
    let (family, reason) = match (requested, permissions) {
        (Some(family), _) => (family, FamilyReason::Requested),
        (None, Some(Recommended { get: Some(f), .. })) => (*f, FamilyReason::Permissions),
        (None, Some(_)) => (ApiFamily::V1, FamilyReason::Denied),
        (None, None) => (ApiFamily::V1, FamilyReason::Unknown),
    };
    let reset_through_v21 = match permissions {
        Some(p) => p.reset == Some(ApiFamily::V21),
        None => family == ApiFamily::V21,
    };
    FamilyChoice {
        family,
        reason,
        reset_api: if reset_through_v21 {
            ResetApi::V21
        } else {
            ResetApi::V1
        },
    }
}

impl FamilyChoice {
    /// The choice to retry with after a call failed with `error`: v2.1 when v1 was chosen
    /// without knowing the permissions and the cloud refused it (403). Some clouds grant the
    /// OpenStack-compatible API without the Huawei one; a named family, a choice made from the
    /// permissions, and every other error are final. The reset API stays as it was chosen.
    #[must_use]
    pub fn after_refusal(&self, error: ErrorCode) -> Option<FamilyChoice> {
        (self.reason == FamilyReason::Unknown
            && self.family == ApiFamily::V1
            && error == ErrorCode::Forbidden)
            .then_some(FamilyChoice {
                family: ApiFamily::V21,
                reason: FamilyReason::Fallback,
                reset_api: self.reset_api,
            })
    }
}

/// Whether a key file is the server's key pair.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub enum KeyMatch {
    /// Its public key (or fingerprint) is the key pair's.
    Match,
    /// It is another key: it cannot decrypt this server's password.
    Mismatch,
    /// The key pair gives nothing to compare with.
    Unverified,
}

/// What of a key is compared with a key pair: [`KeyInfo`]'s public facts.
#[derive(Clone, Copy, Debug)]
pub struct KeyFacts<'a> {
    /// `ssh-rsa AAAA... comment`.
    pub public_key_openssh: &'a str,
    /// MD5 colon-hex of the public key blob.
    pub fingerprint_md5: &'a str,
    /// `SHA256:<base64>` of the same blob.
    pub fingerprint_sha256: &'a str,
}

impl<'a> From<&'a KeyInfo> for KeyFacts<'a> {
    fn from(info: &'a KeyInfo) -> Self {
        KeyFacts {
            public_key_openssh: &info.public_key_openssh,
            fingerprint_md5: &info.fingerprint_md5,
            fingerprint_sha256: &info.fingerprint_sha256,
        }
    }
}

impl KeyMatch {
    /// The stable name (as serialized).
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            KeyMatch::Match => "match",
            KeyMatch::Mismatch => "mismatch",
            KeyMatch::Unverified => "unverified",
        }
    }
}

/// Compares a key's public facts with the server's key pair: its public key if the cloud gives
/// one (the base64 blob; type and comment aside), else its fingerprint (MD5 colon-hex, as
/// OpenStack lists it, or SHA256 as `ssh-keygen -l` prints it). A wrong key is named before the
/// decryption fails on it.
#[must_use]
pub fn match_key_pair(key: KeyFacts<'_>, pair: &KeyPair) -> KeyMatch {
    let blob = |openssh: &str| openssh.split_whitespace().nth(1).map(str::to_owned);
    let same = if !pair.public_key.trim().is_empty() {
        Some(
            blob(&pair.public_key).is_some()
                && blob(&pair.public_key) == blob(key.public_key_openssh),
        )
    } else {
        pair.fingerprint
            .as_deref()
            .map(str::trim)
            .filter(|f| !f.is_empty())
            .map(|f| {
                f.eq_ignore_ascii_case(key.fingerprint_md5)
                    || f.strip_prefix("MD5:")
                        .is_some_and(|md5| md5.eq_ignore_ascii_case(key.fingerprint_md5))
                    || f == key.fingerprint_sha256
            })
    };
    match same {
        Some(true) => KeyMatch::Match,
        Some(false) => KeyMatch::Mismatch,
        None => KeyMatch::Unverified,
    }
}

/// The server's OS from its `os_type` metadata: Linux when it says so, else Windows (the only OS
/// that posts a password, and what a server without the metadata most likely runs).
#[must_use]
pub fn guess_os(os_type: Option<&str>) -> OsType {
    match os_type {
        Some(text) if text.to_ascii_lowercase().contains("linux") => OsType::Linux,
        _ => OsType::Windows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::key::PrivateKey;

    const AUTO: Option<ApiFamily> = None;

    #[test]
    fn a_requested_family_is_kept_whatever_the_permissions() {
        for family in [
            ApiFamily::V1,
            ApiFamily::V2,
            ApiFamily::V21,
            ApiFamily::Nova,
        ] {
            let choice = choose_family(
                Some(family),
                Some(&Recommended {
                    get: Some(ApiFamily::V1),
                    reset: None,
                }),
            );
            assert_eq!(
                (choice.family, choice.reason),
                (family, FamilyReason::Requested)
            );
            assert_eq!(
                choice.after_refusal(ErrorCode::Forbidden),
                None,
                "{family:?}"
            );
        }
    }

    #[test]
    fn automatic_follows_the_permissions() {
        let p = Recommended {
            get: Some(ApiFamily::V21),
            reset: Some(ApiFamily::V21),
        };
        assert_eq!(
            choose_family(AUTO, Some(&p)),
            FamilyChoice {
                family: ApiFamily::V21,
                reason: FamilyReason::Permissions,
                reset_api: ResetApi::V21
            }
        );
        let p = Recommended {
            get: Some(ApiFamily::V2),
            reset: Some(ApiFamily::V1),
        };
        assert_eq!(choose_family(AUTO, Some(&p)).reset_api, ResetApi::V1);
        let denied = choose_family(AUTO, Some(&Recommended::default()));
        assert_eq!(
            (denied.family, denied.reason, denied.reset_api),
            (ApiFamily::V1, FamilyReason::Denied, ResetApi::V1)
        );
    }

    #[test]
    fn without_permissions_v1_is_tried_and_a_403_falls_back_to_v21_once() {
        let first = choose_family(AUTO, None);
        assert_eq!(
            (first.family, first.reason, first.reset_api),
            (ApiFamily::V1, FamilyReason::Unknown, ResetApi::V1)
        );
        let second = first.after_refusal(ErrorCode::Forbidden).unwrap();
        assert_eq!(
            (second.family, second.reason, second.reset_api),
            (ApiFamily::V21, FamilyReason::Fallback, ResetApi::V1)
        );
        assert_eq!(second.after_refusal(ErrorCode::Forbidden), None);
        for other in [
            ErrorCode::AuthFailed,
            ErrorCode::ServerNotFound,
            ErrorCode::NetworkError,
            ErrorCode::Timeout,
        ] {
            assert_eq!(first.after_refusal(other), None, "{other:?}");
        }
        // Known permissions are not second-guessed: a 403 then is the cloud's final word.
        assert_eq!(
            choose_family(AUTO, Some(&Recommended::default())).after_refusal(ErrorCode::Forbidden),
            None
        );
        assert_eq!(
            choose_family(Some(ApiFamily::V21), None).reset_api,
            ResetApi::V21
        );
        assert_eq!(
            choose_family(Some(ApiFamily::V2), None).reset_api,
            ResetApi::V1
        );
    }

    #[test]
    fn recommendations_are_read_from_explain_access() {
        let grants = crate::permission::Grants::parse(
            r#"{"grants":[{"policy":"ECS FullAccess","scope":{"project":"p1"}}]}"#,
        )
        .unwrap();
        let access = crate::permission::explain_access(
            &grants,
            "p1",
            "s1",
            &crate::permission::AccessRequest::default(),
        );
        let r = Recommended::from_access(&access);
        assert_eq!(
            r,
            Recommended {
                get: Some(ApiFamily::V1),
                reset: Some(ApiFamily::V1)
            }
        );
        assert_eq!(Recommended::from_access(&[]), Recommended::default());
    }

    fn fixture(name: &str) -> Vec<u8> {
        std::fs::read(format!(
            "{}/tests/fixtures/{name}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap()
    }

    fn pair(public_key: &str, fingerprint: Option<&str>) -> KeyPair {
        KeyPair {
            name: "kp".into(),
            public_key: public_key.into(),
            fingerprint: fingerprint.map(str::to_owned),
        }
    }

    #[test]
    fn a_key_matches_its_public_key_or_its_fingerprints_and_nothing_else() {
        let key = PrivateKey::load(&fixture("rsa2048.pkcs1.pem"), None).unwrap();
        let other = PrivateKey::load(&fixture("other2048.pkcs1.pem"), None).unwrap();
        let (info, other) = (key.info(), other.info());
        let blob = info.public_key_openssh.split_whitespace().nth(1).unwrap();
        // Another comment, or none, is the same key.
        assert_eq!(
            match_key_pair(
                info.into(),
                &pair(&format!("ssh-rsa {blob} Generated-by-Nova\n"), None)
            ),
            KeyMatch::Match
        );
        assert_eq!(
            match_key_pair(info.into(), &pair(&format!("ssh-rsa {blob}"), None)),
            KeyMatch::Match
        );
        assert_eq!(
            match_key_pair(
                info.into(),
                &pair(&other.public_key_openssh, Some(&info.fingerprint_md5))
            ),
            KeyMatch::Mismatch,
            "the public key decides"
        );
        assert_eq!(
            match_key_pair(info.into(), &pair("ssh-rsa", None)),
            KeyMatch::Mismatch
        );
        assert_eq!(
            match_key_pair(info.into(), &pair("", Some(&info.fingerprint_md5))),
            KeyMatch::Match
        );
        assert_eq!(
            match_key_pair(
                info.into(),
                &pair("", Some(&info.fingerprint_md5.to_uppercase()))
            ),
            KeyMatch::Match
        );
        assert_eq!(
            match_key_pair(
                info.into(),
                &pair("", Some(&format!("MD5:{}", info.fingerprint_md5)))
            ),
            KeyMatch::Match
        );
        assert_eq!(
            match_key_pair(info.into(), &pair("  ", Some(&info.fingerprint_sha256))),
            KeyMatch::Match
        );
        assert_eq!(
            match_key_pair(info.into(), &pair("", Some(&other.fingerprint_md5))),
            KeyMatch::Mismatch
        );
        assert_eq!(
            match_key_pair(info.into(), &pair("", None)),
            KeyMatch::Unverified
        );
        assert_eq!(
            match_key_pair(info.into(), &pair("", Some(" "))),
            KeyMatch::Unverified
        );
    }

    #[test]
    fn stable_names_are_the_serialized_ones() {
        for reason in FamilyReason::ALL {
            assert_eq!(serde_json::to_value(reason).unwrap(), reason.as_str());
            assert_eq!(FamilyReason::parse(reason.as_str()), Some(reason));
        }
        assert_eq!(FamilyReason::parse("Requested"), None);
        for m in [KeyMatch::Match, KeyMatch::Mismatch, KeyMatch::Unverified] {
            assert_eq!(serde_json::to_value(m).unwrap(), m.as_str());
        }
    }

    #[test]
    fn the_os_is_linux_only_when_the_metadata_says_so() {
        assert_eq!(guess_os(Some("Linux")), OsType::Linux);
        assert_eq!(guess_os(Some("CentOS linux 7")), OsType::Linux);
        assert_eq!(guess_os(Some("Windows")), OsType::Windows);
        assert_eq!(guess_os(Some("")), OsType::Windows);
        assert_eq!(guess_os(None), OsType::Windows);
    }
}
