//! `serve --cloud PRESET`: the proxy routes a page needs for one cloud, from its name instead of
//! URLs. See docs/proxy.md, "One command: --cloud".
//!
//! - `huaweicloud:REGION`, `otc:REGION`: the region's IAM and ECS endpoints from the core's region
//!   table (`data/regions.json`), as `/proxy/identity` and `/proxy/ecs`; and, where the region has
//!   the Key Pair Service (Huawei Cloud regions in Huawei's SDK table, no OTC region), its
//!   endpoint as `/proxy/kms`, for keys the cloud holds.
//! - `openstack:AUTH_URL`: the Keystone as `/proxy/identity`; the compute endpoints are not known
//!   in advance, so the proxy learns them from the catalogs of the tokens that Keystone issues
//!   (`/proxy/catalog/N`, in `proxy`).
//!
//! `/proxy/identity` is always the identity service's root, without a version (an auth URL
//! ending in `/v3` loses it), so that a page signs in at `/proxy/identity/v3/auth/tokens` whatever
//! form of the URL the operator gave, as the core's sign-in adds `v3` to an auth URL.

use crate::output::CliError;
use crate::proxy::{check_upstream_url, Upstream};
use serde_json::{json, Value};
use url::Url;

/// The route to the identity service (Keystone, IAM).
pub const IDENTITY_PREFIX: &str = "/proxy/identity";
/// The route to a region's ECS endpoint (Huawei Cloud, OTC).
pub const COMPUTE_PREFIX: &str = "/proxy/ecs";
/// The route to a region's KPS endpoint (Huawei Cloud: `kms.REGION.myhuaweicloud.com`), for
/// exporting a key pair's hosted private key.
pub const KPS_PREFIX: &str = "/proxy/kms";
/// Where the routes learned from catalogs live: `/proxy/catalog/0`, `/proxy/catalog/1`...
pub const CATALOG_PREFIX: &str = "/proxy/catalog";
/// Learned routes at most: a catalog names a handful of compute endpoints; a cap keeps a
/// misbehaving identity service from growing the table without end.
pub const MAX_LEARNED: usize = 32;

/// The kinds of cloud a preset names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    HuaweiCloud,
    Otc,
    OpenStack,
}

impl Kind {
    /// As `--cloud` and `GET /_proxy` spell it (and the region table, for the first two).
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::HuaweiCloud => "huaweicloud",
            Kind::Otc => "otc",
            Kind::OpenStack => "openstack",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Kind::HuaweiCloud => "Huawei Cloud",
            Kind::Otc => "Open Telekom Cloud",
            Kind::OpenStack => "OpenStack",
        }
    }
}

/// One `--cloud` value, checked.
#[derive(Clone, Debug)]
pub struct CloudPreset {
    pub kind: Kind,
    /// The region (Huawei Cloud, OTC); `None` for OpenStack.
    pub region: Option<String>,
    /// The identity service's root, behind [`IDENTITY_PREFIX`].
    pub identity: Url,
    /// The ECS endpoint behind [`COMPUTE_PREFIX`]; `None` for OpenStack (learned instead).
    pub compute: Option<Url>,
    /// The KPS endpoint behind [`KPS_PREFIX`], where the region table has one.
    pub kps: Option<Url>,
}

const EXAMPLES: &str = "Give huaweicloud:REGION (e.g. huaweicloud:cn-north-4), otc:REGION \
     (e.g. otc:eu-de) or openstack:AUTH_URL (e.g. openstack:https://keystone.example.com:5000/v3)";

impl CloudPreset {
    /// Parses and checks `KIND:REGION` or `openstack:AUTH_URL`; every failure is `USAGE` and
    /// says what is accepted (for an unknown region, the regions the table knows).
    pub fn parse(text: &str) -> Result<CloudPreset, CliError> {
        let usage = |why: String| CliError::usage(format!("--cloud \"{text}\": {why}."));
        let (kind, rest) = text
            .trim()
            .split_once(':')
            .ok_or_else(|| usage(format!("there is no ':' after the cloud. {EXAMPLES}")))?;
        let kind = match kind.trim() {
            "huaweicloud" => Kind::HuaweiCloud,
            "otc" => Kind::Otc,
            "openstack" => Kind::OpenStack,
            other => {
                return Err(usage(format!(
                    "the cloud \"{other}\" is not one of huaweicloud, otc, openstack. {EXAMPLES}"
                )))
            }
        };
        let rest = rest.trim();
        if kind == Kind::OpenStack {
            let url = check_upstream_url(rest).map_err(|why| {
                usage(format!(
                    "{why}. Give the Keystone auth URL, e.g. openstack:https://keystone.example.com:5000/v3"
                ))
            })?;
            return Ok(CloudPreset {
                kind,
                region: None,
                identity: identity_root(url),
                compute: None,
                kps: None,
            });
        }
        let found = ecs_password::signin::region(kind.as_str(), rest).map_err(|_| {
            let known: Vec<String> = ecs_password::signin::regions()
                .into_iter()
                .filter(|r| r.cloud == kind.as_str())
                .map(|r| r.region)
                .collect();
            usage(format!(
                "the region \"{rest}\" of {} is not in the region table; its known regions are {} \
                 (for a region not listed yet, give its endpoints instead: \
                 --upstream {IDENTITY_PREFIX}=IAM_URL --upstream {COMPUTE_PREFIX}=ECS_URL)",
                kind.as_str(),
                known.join(", ")
            ))
        })?;
        let checked = |url: &str| {
            check_upstream_url(url)
                .map_err(|why| usage(format!("the region table's endpoint {url}: {why}")))
        };
        Ok(CloudPreset {
            kind,
            region: Some(found.region.clone()),
            identity: identity_root(checked(&found.iam)?),
            compute: Some(checked(&found.ecs)?),
            kps: found.kps.as_deref().map(checked).transpose()?,
        })
    }

    /// The fixed routes: the identity service, and the ECS and KPS endpoints the region has.
    pub fn routes(&self) -> Vec<Upstream> {
        let mut routes = vec![Upstream {
            prefix: IDENTITY_PREFIX.to_owned(),
            url: self.identity.clone(),
        }];
        for (prefix, url) in [(COMPUTE_PREFIX, &self.compute), (KPS_PREFIX, &self.kps)] {
            if let Some(url) = url {
                routes.push(Upstream {
                    prefix: prefix.to_owned(),
                    url: url.clone(),
                });
            }
        }
        routes
    }

    /// Whether the proxy learns compute routes from the identity service's catalogs.
    pub fn learns(&self) -> bool {
        self.kind == Kind::OpenStack
    }

    /// The `cloud` field of `GET /_proxy` (a contract with the page: keep the names).
    pub fn to_json(&self) -> Value {
        json!({
            "kind": self.kind.as_str(),
            "region": self.region,
            "identity": IDENTITY_PREFIX,
            "identityUpstream": self.identity.as_str(),
            "compute": self.compute.as_ref().map(|_| COMPUTE_PREFIX),
            "computeUpstream": self.compute.as_ref().map(Url::as_str),
            "kps": self.kps.as_ref().map(|_| KPS_PREFIX),
            "kpsUpstream": self.kps.as_ref().map(Url::as_str),
        })
    }

    /// The start-up line that says which cloud the page serves (`origin`: where `serve` listens).
    pub fn start_up_line(&self, origin: &str) -> String {
        match (&self.region, &self.compute) {
            (Some(region), Some(_)) => format!(
                "Cloud: {} {region} (sign-in {origin}{IDENTITY_PREFIX}/, servers {origin}{COMPUTE_PREFIX}/{})",
                self.kind.label(),
                match self.kps {
                    Some(_) => format!(", keys the cloud holds {origin}{KPS_PREFIX}/"),
                    None => String::new(),
                }
            ),
            _ => format!(
                "Cloud: {} at {} (sign-in {origin}{IDENTITY_PREFIX}/; compute endpoints are learned from \
                 its service catalog as {origin}{CATALOG_PREFIX}/N, at most {MAX_LEARNED}, listed by GET /_proxy)",
                self.kind.label(),
                self.identity
            ),
        }
    }
}

/// The identity service's root: the URL without a last segment that starts with `v3` (the rule
/// the core's sign-in uses to decide whether to add `v3`).
fn identity_root(mut url: Url) -> Url {
    let path = url.path().trim_end_matches('/').to_owned();
    if let Some((parent, last)) = path.rsplit_once('/') {
        if last.starts_with("v3") {
            url.set_path(if parent.is_empty() { "/" } else { parent });
        }
    }
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_come_from_the_table() {
        let otc = CloudPreset::parse("otc:eu-de").unwrap();
        assert_eq!(
            otc.identity.as_str(),
            "https://iam.eu-de.otc.t-systems.com/"
        );
        assert_eq!(
            otc.compute.as_ref().map(Url::as_str),
            Some("https://ecs.eu-de.otc.t-systems.com/")
        );
        let routes: Vec<_> = otc
            .routes()
            .into_iter()
            .map(|u| (u.prefix, u.url.to_string()))
            .collect();
        assert_eq!(
            routes,
            [
                (
                    "/proxy/identity".to_owned(),
                    "https://iam.eu-de.otc.t-systems.com/".to_owned()
                ),
                (
                    "/proxy/ecs".to_owned(),
                    "https://ecs.eu-de.otc.t-systems.com/".to_owned()
                )
            ]
        );
        assert!(!otc.learns());
        let eu = CloudPreset::parse("huaweicloud:eu-west-101").unwrap();
        assert_eq!(
            eu.to_json(),
            json!({
                "kind": "huaweicloud", "region": "eu-west-101",
                "identity": "/proxy/identity",
                "identityUpstream": "https://iam.eu-west-101.myhuaweicloud.eu/",
                "compute": "/proxy/ecs",
                "computeUpstream": "https://ecs.eu-west-101.myhuaweicloud.eu/",
                "kps": null,
                "kpsUpstream": null,
            })
        );
        assert_eq!(otc.kps, None, "OTC has no KPS in the region table");
    }

    #[test]
    fn a_huawei_cloud_region_with_kps_routes_proxy_kms_to_it() {
        let preset = CloudPreset::parse("huaweicloud:cn-north-4").unwrap();
        let table = ecs_password::signin::region("huaweicloud", "cn-north-4").unwrap();
        let kps = table.kps.expect("cn-north-4 has KPS in the region table");
        let routes: Vec<_> = preset
            .routes()
            .into_iter()
            .map(|u| (u.prefix, u.url.to_string()))
            .collect();
        assert_eq!(
            routes.last(),
            Some(&(KPS_PREFIX.to_owned(), format!("{kps}/")))
        );
        let json = preset.to_json();
        assert_eq!(json["kps"], "/proxy/kms");
        assert_eq!(json["kpsUpstream"], format!("{kps}/"));
        assert!(preset
            .start_up_line("http://127.0.0.1:8080")
            .contains("keys the cloud holds http://127.0.0.1:8080/proxy/kms/"));
    }

    #[test]
    fn openstack_names_its_keystone_root() {
        for (given, root) in [
            (
                "openstack:https://keystone.example.com:5000/v3",
                "https://keystone.example.com:5000/",
            ),
            (
                "openstack:https://keystone.example.com:5000/v3/",
                "https://keystone.example.com:5000/",
            ),
            (
                " openstack: https://cloud.example.com/identity/v3 ",
                "https://cloud.example.com/identity",
            ),
            (
                "openstack:https://cloud.example.com/identity",
                "https://cloud.example.com/identity",
            ),
            ("openstack:http://127.0.0.1:5000", "http://127.0.0.1:5000/"),
        ] {
            let p = CloudPreset::parse(given).unwrap();
            assert_eq!(p.identity.as_str(), root, "{given}");
            assert!(p.learns() && p.compute.is_none() && p.region.is_none());
            assert_eq!(p.routes().len(), 1);
        }
        let p = CloudPreset::parse("openstack:https://keystone.example.com/v3").unwrap();
        assert_eq!(p.to_json()["compute"], Value::Null);
        assert_eq!(p.to_json()["region"], Value::Null);
    }

    #[test]
    fn bad_presets_say_what_is_accepted() {
        let message = |text: &str| {
            let e = CloudPreset::parse(text).unwrap_err();
            assert_eq!(e.code, "USAGE", "{text}");
            e.message
        };
        for text in ["aws:us-east-1", "otc", "huawei:cn-north-4", ""] {
            assert!(message(text).contains("openstack:AUTH_URL"), "{text}");
        }
        let m = message("otc:cn-north-4");
        assert!(m.contains("eu-de") && m.contains("eu-nl"), "{m}");
        assert!(!m.contains("cn-north-1"), "{m}");
        let m = message("huaweicloud:");
        assert!(m.contains("cn-north-4") && !m.contains("eu-de,"), "{m}");
        for (text, says) in [
            ("openstack:http://keystone.example.com/v3", "only loopback"),
            ("openstack:https://u:p@keystone.example.com/v3", "user name"),
            ("openstack:https://keystone.example.com/v3?x=1", "query"),
            ("openstack:keystone.example.com", "not a URL"),
        ] {
            let m = message(text);
            assert!(m.contains(says) && m.contains("auth URL"), "{text}: {m}");
        }
    }
}
