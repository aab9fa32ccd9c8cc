//! Endpoints found, not typed: from a token's service catalog, or, for Huawei Cloud and Open
//! Telekom Cloud, from the table of their public regions in `data/regions.json`.

use crate::api::request::Endpoint;
use crate::api::response::clean;
use crate::error::{Error, ErrorCode, Result};
use crate::message::Message;
use crate::route::ApiFamily;
use serde_json::Value;

/// One service of a catalog.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(
    feature = "typescript",
    derive(tsify::Tsify),
    tsify(rename = "CatalogService")
)]
pub struct Service {
    /// The service type: `compute`, `identity`, and on Huawei Cloud / OTC also `ecs`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Its name (`nova`).
    pub name: String,
    /// Its endpoints.
    pub endpoints: Vec<CatalogEndpoint>,
}

/// One endpoint of a service.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify))]
pub struct CatalogEndpoint {
    /// `public`, `internal` or `admin`.
    pub interface: String,
    /// The region id (`region_id`, else the older `region`).
    pub region: String,
    /// The URL (for compute, with the project id in it on most deployments).
    pub url: String,
}

/// Which endpoint of a service (openstacksdk's `interface`, `OS_INTERFACE`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Interface {
    /// Reachable from anywhere (the default).
    #[default]
    Public,
    /// Inside the cloud's network.
    Internal,
    /// The operators' one.
    Admin,
}

impl Interface {
    /// Reads `public`, `internal`, `admin`, and the v2-era `publicURL`, `internalURL`,
    /// `adminURL` that openrc files still carry.
    pub fn parse(text: &str) -> Option<Interface> {
        let t = text.trim().to_ascii_lowercase();
        match t.trim_end_matches("url") {
            "public" => Some(Interface::Public),
            "internal" => Some(Interface::Internal),
            "admin" => Some(Interface::Admin),
            _ => None,
        }
    }

    /// As the catalog spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Interface::Public => "public",
            Interface::Internal => "internal",
            Interface::Admin => "admin",
        }
    }
}

/// Reads a token's `catalog` array; entries without a type or endpoints without a URL are
/// skipped.
pub fn parse_catalog(catalog: Option<&Value>) -> Vec<Service> {
    let text = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_owned);
    catalog
        .and_then(Value::as_array)
        .map(|services| {
            services
                .iter()
                .filter_map(|s| {
                    Some(Service {
                        kind: text(s.get("type"))?,
                        name: text(s.get("name")).unwrap_or_default(),
                        endpoints: s
                            .get("endpoints")
                            .and_then(Value::as_array)
                            .map(|list| {
                                list.iter()
                                    .filter_map(|e| {
                                        Some(CatalogEndpoint {
                                            interface: text(e.get("interface"))?,
                                            region: text(e.get("region_id"))
                                                .or_else(|| text(e.get("region")))
                                                .unwrap_or_default(),
                                            url: text(e.get("url"))?,
                                        })
                                    })
                                    .collect()
                            })
                            .unwrap_or_default(),
                    })
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The endpoint of the first of `types` the catalog has, on `interface`, in `region` (any
/// region if `None`: the first listed, as keystoneauth1 does). `ENDPOINT_NOT_FOUND` lists what
/// the catalog offers for those types.
pub fn find_endpoint(
    catalog: &[Service],
    types: &[&str],
    interface: Interface,
    region: Option<&str>,
) -> Result<Endpoint> {
    for kind in types {
        for service in catalog.iter().filter(|s| s.kind == *kind) {
            if let Some(found) = service
                .endpoints
                .iter()
                .find(|e| e.interface == interface.as_str() && region.is_none_or(|r| e.region == r))
            {
                return Endpoint::parse(&found.url);
            }
        }
    }
    let offered: Vec<String> = catalog
        .iter()
        .filter(|s| types.contains(&s.kind.as_str()))
        .flat_map(|s| {
            s.endpoints
                .iter()
                .map(move |e| format!("{} {} {}", s.kind, e.interface, e.region))
        })
        .take(20)
        .map(clean)
        .collect();
    let offered = if offered.is_empty() {
        "none".to_owned()
    } else {
        offered.join("; ")
    };
    let wanted = format!(
        "{} {}{}",
        types.join("/"),
        interface.as_str(),
        region
            .map(|r| format!(" in {}", clean(r.to_owned())))
            .unwrap_or_default()
    );
    Err(Error::new(
        ErrorCode::EndpointNotFound,
        Message::new("catalog-no-endpoint")
            .with("wanted", wanted)
            .with("offered", offered),
    ))
}

/// The endpoint of the password APIs in a catalog, and the family it serves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CatalogApi {
    /// The family; `None` when none was asked for and the ECS host was found (the v1, v2 and
    /// v2.1 families all live there: `api::choice` picks among them).
    pub family: Option<ApiFamily>,
    /// Nova's compute URL (the `nova` family), or the ECS host (the other families).
    pub endpoint: Endpoint,
}

/// Where the password APIs are, by the catalog: Nova's `compute` URL for the `nova` family;
/// for the Huawei / OTC families the host of the `ecs` service (their paths start at the host),
/// else of `compute`. With no family asked for: the ECS host if the catalog lists `ecs` (Huawei
/// Cloud and OTC do), else Nova (a plain OpenStack). The CLI and the page decide alike.
pub fn api_endpoint(
    catalog: &[Service],
    requested: Option<ApiFamily>,
    interface: Interface,
    region: Option<&str>,
) -> Result<CatalogApi> {
    let ecs_host = |types: &[&str]| -> Result<Endpoint> {
        let found = find_endpoint(catalog, types, interface, region)?;
        Endpoint::parse(&found.url().origin().ascii_serialization())
    };
    match requested {
        Some(ApiFamily::Nova) => Ok(CatalogApi {
            family: Some(ApiFamily::Nova),
            endpoint: find_endpoint(catalog, &["compute"], interface, region)?,
        }),
        Some(family) => Ok(CatalogApi {
            family: Some(family),
            endpoint: ecs_host(&["ecs", "compute"])?,
        }),
        None if catalog.iter().any(|s| s.kind == "ecs") => Ok(CatalogApi {
            family: None,
            endpoint: ecs_host(&["ecs"])?,
        }),
        None => api_endpoint(catalog, Some(ApiFamily::Nova), interface, region),
    }
}

/// A public region of Huawei Cloud or Open Telekom Cloud and its ECS and IAM endpoints.
#[derive(Clone, Debug, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[cfg_attr(
    feature = "typescript",
    derive(tsify::Tsify),
    tsify(rename = "CloudRegion")
)]
pub struct RegionEndpoints {
    /// `huaweicloud` or `otc`.
    pub cloud: String,
    /// The region id, e.g. `eu-de`, `cn-north-4`; also the name of its default project.
    pub region: String,
    /// The ECS endpoint (v1 and native APIs alike).
    pub ecs: String,
    /// The IAM endpoint.
    pub iam: String,
    /// The Key Pair Service (KPS, part of DEW) endpoint, where the table knows it: keys the cloud
    /// holds are exported there (`api::kps`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kps: Option<String>,
}

#[derive(serde::Deserialize)]
struct RegionTable {
    regions: Vec<RegionEndpoints>,
}

/// The region table, with its sources and date (`data/regions.json`).
const REGIONS: &str = include_str!("../../data/regions.json");

/// Every region of the table.
pub fn regions() -> Vec<RegionEndpoints> {
    serde_json::from_str::<RegionTable>(REGIONS)
        .map(|t| t.regions)
        .unwrap_or_default()
}

/// The endpoints of `region` on `cloud` (`huaweicloud` or `otc`); `ENDPOINT_NOT_FOUND` lists the
/// known ones. A region the table does not know yet is reached by giving the endpoints.
pub fn region(cloud: &str, region: &str) -> Result<RegionEndpoints> {
    let all = regions();
    if let Some(found) = all.iter().find(|r| r.cloud == cloud && r.region == region) {
        return Ok(found.clone());
    }
    let known: Vec<&str> = all
        .iter()
        .filter(|r| r.cloud == cloud)
        .map(|r| r.region.as_str())
        .collect();
    let (region, cloud) = (clean(region.to_owned()), clean(cloud.to_owned()));
    let known = if known.is_empty() {
        "none (the clouds are huaweicloud and otc)".to_owned()
    } else {
        known.join(", ")
    };
    Err(Error::new(
        ErrorCode::EndpointNotFound,
        Message::new("region-unknown")
            .with("region", region)
            .with("cloud", cloud)
            .with("known", known),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_region_table_is_well_formed() {
        let all = regions();
        assert!(all.len() >= 20, "{}", all.len());
        for r in &all {
            assert!(matches!(r.cloud.as_str(), "huaweicloud" | "otc"), "{r:?}");
            let ecs = Endpoint::parse(&r.ecs).unwrap();
            let iam = Endpoint::parse(&r.iam).unwrap();
            let host = |e: &Endpoint| e.url().host_str().unwrap_or_default().to_owned();
            assert_eq!(host(&ecs), r.ecs.trim_start_matches("https://"), "{r:?}");
            assert!(
                host(&ecs).starts_with(&format!("ecs.{}.", r.region)),
                "{r:?}"
            );
            assert!(
                host(&iam).starts_with(&format!("iam.{}.", r.region)),
                "{r:?}"
            );
            if let Some(kps) = &r.kps {
                let kps = Endpoint::parse(kps).unwrap();
                assert_eq!(host(&kps), format!("kms.{}.myhuaweicloud.com", r.region));
            }
        }
        // KPS: the regions of Huawei's SDK table (kps_region.py), none of OTC's.
        assert_eq!(all.iter().filter(|r| r.kps.is_some()).count(), 13);
        assert_eq!(
            region("huaweicloud", "cn-north-4").unwrap().kps.as_deref(),
            Some("https://kms.cn-north-4.myhuaweicloud.com")
        );
        assert_eq!(region("otc", "eu-de").unwrap().kps, None);
        assert_eq!(
            region("otc", "eu-de").unwrap().ecs,
            "https://ecs.eu-de.otc.t-systems.com"
        );
        assert_eq!(
            region("huaweicloud", "cn-north-4").unwrap().iam,
            "https://iam.cn-north-4.myhuaweicloud.com"
        );
        // Huawei Cloud Europe (Dublin) is under its own domain.
        assert_eq!(
            region("huaweicloud", "eu-west-101").unwrap().ecs,
            "https://ecs.eu-west-101.myhuaweicloud.eu"
        );
        let e = region("otc", "cn-north-4").unwrap_err();
        assert_eq!(e.code(), ErrorCode::EndpointNotFound);
        assert!(e.english().contains("eu-de, eu-nl"), "{}", e.english());
    }

    #[test]
    fn interfaces() {
        assert_eq!(Interface::parse("publicURL"), Some(Interface::Public));
        assert_eq!(Interface::parse(" internal "), Some(Interface::Internal));
        assert_eq!(Interface::parse("admin"), Some(Interface::Admin));
        assert_eq!(Interface::parse("private"), None);
    }

    fn service(kind: &str, url: &str) -> Service {
        Service {
            kind: kind.into(),
            name: kind.into(),
            endpoints: vec![CatalogEndpoint {
                interface: "public".into(),
                region: "r1".into(),
                url: url.into(),
            }],
        }
    }

    #[test]
    fn the_api_endpoint_follows_the_family() {
        let huawei = [
            service("compute", "https://ecs.r1.example.com/v2.1/p1"),
            service("ecs", "https://ecs.r1.example.com/v1/p1"),
        ];
        let openstack = [service("compute", "https://nova.example.com:8774/v2.1/p1")];
        let find = |catalog: &[Service], family| {
            let found = api_endpoint(catalog, family, Interface::Public, Some("r1")).unwrap();
            (found.family, found.endpoint.url().as_str().to_owned())
        };
        assert_eq!(
            find(&huawei, None),
            (None, "https://ecs.r1.example.com/".into())
        );
        assert_eq!(
            find(&huawei, Some(ApiFamily::V21)),
            (Some(ApiFamily::V21), "https://ecs.r1.example.com/".into())
        );
        assert_eq!(
            find(&huawei, Some(ApiFamily::Nova)),
            (
                Some(ApiFamily::Nova),
                "https://ecs.r1.example.com/v2.1/p1".into()
            )
        );
        assert_eq!(
            find(&openstack, None),
            (
                Some(ApiFamily::Nova),
                "https://nova.example.com:8774/v2.1/p1".into()
            )
        );
        // v1 on a plain OpenStack: the compute host (the caller asked for it).
        assert_eq!(
            find(&openstack, Some(ApiFamily::V1)),
            (Some(ApiFamily::V1), "https://nova.example.com:8774/".into())
        );
        let missing = api_endpoint(&openstack, None, Interface::Public, Some("r2")).unwrap_err();
        assert_eq!(missing.code(), ErrorCode::EndpointNotFound);
    }
}
