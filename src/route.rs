//! The one home of every password API path: the families, the operations, the id rule, and
//! [`Route`], which builds a call's path segments (joined by the `url` crate in
//! `api::request`) and parses a received or checked path (the permission table, Nova's policy
//! check and the emulator's router). One parser means one id rule: what can be called is what
//! the permission engine can look up.

use crate::error::{Error, ErrorCode, Result};
use crate::message::Message;
use serde::Serialize;

/// The four password operations.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify))]
#[serde(rename_all = "kebab-case")]
pub enum Operation {
    /// GET os-server-password: read the encrypted password.
    Get,
    /// DELETE os-server-password: empty the stored ciphertext.
    Clear,
    /// PUT os-reset-password: set a new password (needs the guest's reset plug-in).
    Reset,
    /// GET os-resetpwd-flag: whether the server supports one-click reset.
    ResetFlag,
}

impl Operation {
    /// Every operation, in the order a UI shows them.
    pub const ALL: [Operation; 4] = [
        Operation::Get,
        Operation::Clear,
        Operation::Reset,
        Operation::ResetFlag,
    ];

    /// Stable name: `get`, `clear`, `reset`, `reset-flag`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Operation::Get => "get",
            Operation::Clear => "clear",
            Operation::Reset => "reset",
            Operation::ResetFlag => "reset-flag",
        }
    }
}

/// The API families of Huawei Cloud and Open Telekom Cloud that carry password APIs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify))]
pub enum ApiFamily {
    /// `/v1/{project_id}/cloudservers/...` (Huawei's own API).
    #[serde(rename = "v1")]
    V1,
    /// `/v2/{project_id}/servers/...` (native OpenStack).
    #[serde(rename = "v2")]
    V2,
    /// `/v2.1/{project_id}/servers/...` (native OpenStack).
    #[serde(rename = "v2.1")]
    V21,
    /// Plain OpenStack Nova: `servers/...` under the compute endpoint from the service catalog
    /// (which carries the version and, on older clouds, the project id). Not in the IAM table.
    #[serde(rename = "nova")]
    Nova,
}

impl ApiFamily {
    /// In the order the widget prefers them: v1 supports enterprise projects and instance-level
    /// authorization; v2.1 before v2.
    pub const PREFERENCE: [ApiFamily; 3] = [ApiFamily::V1, ApiFamily::V21, ApiFamily::V2];

    /// Parses a stable name.
    pub fn parse(name: &str) -> Option<ApiFamily> {
        [
            ApiFamily::V1,
            ApiFamily::V2,
            ApiFamily::V21,
            ApiFamily::Nova,
        ]
        .into_iter()
        .find(|f| f.as_str() == name)
    }

    /// Stable name: `v1`, `v2`, `v2.1`, `nova`.
    pub const fn as_str(self) -> &'static str {
        match self {
            ApiFamily::V1 => "v1",
            ApiFamily::V2 => "v2",
            ApiFamily::V21 => "v2.1",
            ApiFamily::Nova => "nova",
        }
    }
}

/// HTTP methods the table uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Method {
    /// GET
    Get,
    /// PUT
    Put,
    /// DELETE
    Delete,
    /// POST (KPS's private-key export)
    Post,
}

impl Method {
    /// Parses a method name, ignoring case.
    pub fn parse(name: &str) -> Option<Method> {
        match name.to_ascii_uppercase().as_str() {
            "GET" => Some(Method::Get),
            "PUT" => Some(Method::Put),
            "DELETE" => Some(Method::Delete),
            "POST" => Some(Method::Post),
            _ => None,
        }
    }

    /// The method's name in upper case.
    pub const fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
            Method::Post => "POST",
        }
    }
}

/// What a project id, server id or key pair name may contain: nothing that could steer a path.
pub fn check_id(kind: &str, value: &str) -> Result<()> {
    let ok = !value.is_empty()
        && value.len() <= 128
        && value != "."
        && value != ".."
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    if ok {
        Ok(())
    } else {
        let shown: String = value.chars().filter(|c| !c.is_control()).take(80).collect();
        Err(Error::new(
            ErrorCode::IdInvalid,
            Message::new("id-invalid")
                .with("kind", kind)
                .with("value", shown),
        ))
    }
}

/// What a path names below its family's prefix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Resource {
    /// A password operation on a server.
    Password(Operation, String),
    /// A server's details: `GET servers/{id}`.
    Server(String),
    /// The server list: `GET servers/detail`.
    ServerList,
    /// A key pair: `GET os-keypairs/{name}` (native families and Nova only).
    KeyPair(String),
}

/// A request's family, project and resource: built into a path, or parsed from one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Route {
    /// The API family.
    pub family: ApiFamily,
    /// The project id in the path; empty for Nova, whose endpoint carries it if needed.
    pub project: String,
    /// What the path names.
    pub resource: Resource,
}

/// Whether `family` has `operation`: get and clear everywhere, reset on v1 and v2.1, the
/// reset-support flag on v1 only.
pub const fn supports(family: ApiFamily, operation: Operation) -> bool {
    match operation {
        Operation::Get | Operation::Clear => true,
        Operation::Reset => matches!(family, ApiFamily::V1 | ApiFamily::V21),
        Operation::ResetFlag => matches!(family, ApiFamily::V1),
    }
}

impl Operation {
    /// The HTTP method of the operation.
    pub const fn method(self) -> Method {
        match self {
            Operation::Get | Operation::ResetFlag => Method::Get,
            Operation::Clear => Method::Delete,
            Operation::Reset => Method::Put,
        }
    }

    /// The last path segment of the operation.
    const fn segment(self) -> &'static str {
        match self {
            Operation::Get | Operation::Clear => "os-server-password",
            Operation::Reset => "os-reset-password",
            Operation::ResetFlag => "os-resetpwd-flag",
        }
    }
}

impl ApiFamily {
    /// The version segment of the family's paths; `None` for Nova (its endpoint has it).
    const fn version(self) -> Option<&'static str> {
        match self {
            ApiFamily::V1 => Some("v1"),
            ApiFamily::V2 => Some("v2"),
            ApiFamily::V21 => Some("v2.1"),
            ApiFamily::Nova => None,
        }
    }

    /// The servers collection: `cloudservers` on v1, `servers` elsewhere.
    const fn servers(self) -> &'static str {
        match self {
            ApiFamily::V1 => "cloudservers",
            _ => "servers",
        }
    }
}

impl Resource {
    /// The HTTP method that reads or changes the resource.
    pub const fn method(&self) -> Method {
        match self {
            Resource::Password(operation, _) => operation.method(),
            _ => Method::Get,
        }
    }
}

impl Route {
    /// The method and path segments of the route, every id checked by [`check_id`]; an error
    /// for an operation the family does not have (see [`supports`]) or a key pair on v1.
    pub fn build(&self) -> Result<(Method, Vec<String>)> {
        let family = self.family;
        let mut segments: Vec<String> = Vec::new();
        if let Some(version) = family.version() {
            check_id("project-id", &self.project)?;
            segments.push(version.into());
            segments.push(self.project.clone());
        }
        let servers = family.servers().to_owned();
        match &self.resource {
            Resource::Password(operation, server) => {
                if !supports(family, *operation) {
                    return Err(unsupported(operation.as_str(), family));
                }
                check_id("server-id", server)?;
                segments.extend([servers, server.clone(), operation.segment().into()]);
            }
            Resource::Server(server) => {
                check_id("server-id", server)?;
                segments.extend([servers, server.clone()]);
            }
            Resource::ServerList => segments.extend([servers, "detail".into()]),
            Resource::KeyPair(name) => {
                check_id("key-pair-name", name)?;
                if family == ApiFamily::V1 {
                    return Err(unsupported("key pair", family));
                }
                segments.extend(["os-keypairs".into(), name.clone()]);
            }
        }
        Ok((self.resource.method(), segments))
    }

    /// Parses a Huawei Cloud / OTC path, `/v1|v2|v2.1/{project_id}/...` (a full URL's scheme and
    /// host, the query and a trailing slash are ignored). `None`: not a password API path.
    pub fn parse(method: &str, path: &str) -> Option<Route> {
        let segments = path_segments(path);
        let (family, project, rest) = split_prefix(&segments)?;
        Route::parse_below(family, project, method, rest)
    }

    /// Parses a Nova path under any endpoint prefix (`.../servers/{id}/os-server-password`, with
    /// or without a version and project in front): the project is left empty.
    pub fn parse_nova(method: &str, path: &str) -> Option<Route> {
        let segments = path_segments(path);
        [3, 2].into_iter().find_map(|n| {
            let tail = segments.get(segments.len().checked_sub(n)?..)?;
            let resource = parse_resource(ApiFamily::Nova, Method::parse(method)?, tail)?;
            Some(Route {
                family: ApiFamily::Nova,
                project: String::new(),
                resource,
            })
        })
    }

    /// Parses the segments after a family's prefix and project (`rest`): what the emulator's
    /// router calls once it has checked the project.
    pub fn parse_below(
        family: ApiFamily,
        project: &str,
        method: &str,
        rest: &[&str],
    ) -> Option<Route> {
        if family != ApiFamily::Nova || !project.is_empty() {
            check_id("project-id", project).ok()?;
        }
        Some(Route {
            family,
            project: project.to_owned(),
            resource: parse_resource(family, Method::parse(method)?, rest)?,
        })
    }
}

/// The segments of a path (scheme and host of a full URL, query, fragment and one trailing
/// slash dropped), without the leading empty one.
pub fn path_segments(path: &str) -> Vec<&str> {
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let path = match path.find("://") {
        Some(i) => path[i + 3..].find('/').map_or("/", |j| &path[i + 3 + j..]),
        None => path,
    };
    let path = path.strip_suffix('/').unwrap_or(path);
    path.strip_prefix('/').unwrap_or(path).split('/').collect()
}

/// The family and project a path's segments start with (`v1|v2|v2.1`, then the project), and
/// the segments after them.
pub fn split_prefix<'a, 's>(
    segments: &'s [&'a str],
) -> Option<(ApiFamily, &'a str, &'s [&'a str])> {
    let (version, rest) = segments.split_first()?;
    let family = [ApiFamily::V1, ApiFamily::V2, ApiFamily::V21]
        .into_iter()
        .find(|f| f.version() == Some(*version))?;
    let (project, rest) = rest.split_first()?;
    (!project.is_empty()).then_some((family, *project, rest))
}

fn parse_resource(family: ApiFamily, method: Method, rest: &[&str]) -> Option<Resource> {
    let servers = family.servers();
    let id = |s: &str| check_id("id", s).is_ok().then(|| s.to_owned());
    match rest {
        [s, "detail"] if *s == servers && method == Method::Get => Some(Resource::ServerList),
        [s, server] if *s == servers && method == Method::Get => id(server).map(Resource::Server),
        [s, server, tail] if *s == servers => Operation::ALL
            .into_iter()
            .find(|op| op.segment() == *tail && op.method() == method && supports(family, *op))
            .and_then(|op| Some(Resource::Password(op, id(server)?))),
        ["os-keypairs", name] if family != ApiFamily::V1 && method == Method::Get => {
            id(name).map(Resource::KeyPair)
        }
        _ => None,
    }
}

/// What a path of Huawei Cloud's Key Pair Service (KPS, part of DEW) names, below
/// `/v3/{project_id}/keypairs` on the KPS endpoint (`https://kms.{region}.myhuaweicloud.com`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KpsResource {
    /// `GET keypairs/{keypair_name}`: a key pair's details (ListKeypairDetail).
    Details(String),
    /// `POST keypairs/private-key/export`: one hosted private key (ExportPrivateKey).
    Export,
    /// `POST keypairs/private-key/batch-export`: up to 10 (BatchExportPrivateKey).
    BatchExport,
}

impl KpsResource {
    /// The HTTP method: GET for details, POST for the exports.
    pub const fn method(&self) -> Method {
        match self {
            KpsResource::Details(_) => Method::Get,
            KpsResource::Export | KpsResource::BatchExport => Method::Post,
        }
    }
}

/// A KPS request's project and resource: built into a path, or parsed from one (the emulator's
/// router). The ids follow [`check_id`], as every other path does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KpsRoute {
    /// The project id in the path.
    pub project: String,
    /// What the path names.
    pub resource: KpsResource,
}

impl KpsRoute {
    /// The method and path segments (`v3`, the project, `keypairs`, ...), ids checked.
    pub fn build(&self) -> Result<(Method, Vec<String>)> {
        check_id("project-id", &self.project)?;
        let mut segments: Vec<String> = vec!["v3".into(), self.project.clone(), "keypairs".into()];
        match &self.resource {
            KpsResource::Details(name) => {
                check_id("key-pair-name", name)?;
                segments.push(name.clone());
            }
            KpsResource::Export => segments.extend(["private-key".into(), "export".into()]),
            KpsResource::BatchExport => {
                segments.extend(["private-key".into(), "batch-export".into()])
            }
        }
        Ok((self.resource.method(), segments))
    }

    /// Parses a KPS path below the endpoint, `/v3/{project_id}/keypairs/...` (query and a
    /// trailing slash ignored). `None`: not one of the KPS requests this tool makes.
    pub fn parse(method: &str, path: &str) -> Option<KpsRoute> {
        let segments = path_segments(path);
        let method = Method::parse(method)?;
        let resource = match segments.as_slice() {
            ["v3", _, "keypairs", "private-key", "export"] if method == Method::Post => {
                KpsResource::Export
            }
            ["v3", _, "keypairs", "private-key", "batch-export"] if method == Method::Post => {
                KpsResource::BatchExport
            }
            ["v3", _, "keypairs", name] if method == Method::Get => {
                check_id("key-pair-name", name).ok()?;
                KpsResource::Details((*name).to_owned())
            }
            _ => return None,
        };
        let project = segments.get(1)?;
        check_id("project-id", project).ok()?;
        Some(KpsRoute {
            project: (*project).to_owned(),
            resource,
        })
    }
}

fn unsupported(operation: &str, family: ApiFamily) -> Error {
    Error::new(
        ErrorCode::OperationUnsupported,
        Message::new("operation-unsupported")
            .with("family", family.as_str())
            .with("operation", operation),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const FAMILIES: [ApiFamily; 4] = [
        ApiFamily::V1,
        ApiFamily::V2,
        ApiFamily::V21,
        ApiFamily::Nova,
    ];

    fn route(family: ApiFamily, resource: Resource) -> Route {
        Route {
            family,
            project: if family == ApiFamily::Nova {
                String::new()
            } else {
                "p.1".into()
            },
            resource,
        }
    }

    fn parse(family: ApiFamily, method: Method, segments: &[String]) -> Option<Route> {
        let path = format!("/{}", segments.join("/"));
        if family == ApiFamily::Nova {
            Route::parse_nova(method.as_str(), &path)
        } else {
            Route::parse(method.as_str(), &path)
        }
    }

    #[test]
    fn every_family_and_operation_round_trips() {
        for family in FAMILIES {
            let mut resources = vec![Resource::Server("s.1".into()), Resource::ServerList];
            if family != ApiFamily::V1 {
                resources.push(Resource::KeyPair("kp.1".into()));
            }
            for operation in Operation::ALL {
                resources.push(Resource::Password(operation, "s.1".into()));
            }
            for resource in resources {
                let r = route(family, resource);
                let built = r.build();
                if let Resource::Password(op, _) = r.resource {
                    if !supports(family, op) {
                        assert_eq!(
                            built.unwrap_err().code(),
                            ErrorCode::OperationUnsupported,
                            "{r:?}"
                        );
                        continue;
                    }
                }
                let (method, segments) = built.unwrap();
                assert_eq!(
                    parse(family, method, &segments).as_ref(),
                    Some(&r),
                    "{segments:?}"
                );
                // Another method is another route (or none).
                for other in [Method::Get, Method::Put, Method::Delete] {
                    if other != method {
                        assert_ne!(parse(family, other, &segments).as_ref(), Some(&r));
                    }
                }
            }
        }
    }

    #[test]
    fn paths_match_the_documented_shapes() {
        let (method, segments) = route(
            ApiFamily::V1,
            Resource::Password(Operation::ResetFlag, "s".into()),
        )
        .build()
        .unwrap();
        assert_eq!(
            (method, segments.join("/")),
            (Method::Get, "v1/p.1/cloudservers/s/os-resetpwd-flag".into())
        );
        let (method, segments) = route(
            ApiFamily::Nova,
            Resource::Password(Operation::Clear, "s".into()),
        )
        .build()
        .unwrap();
        assert_eq!(
            (method, segments.join("/")),
            (Method::Delete, "servers/s/os-server-password".into())
        );
        // Nova under any endpoint prefix, a full URL, a query and a trailing slash.
        for path in [
            "/v2.1/servers/s/os-server-password",
            "/compute/v2.1/p/servers/s/os-server-password/",
            "https://nova.example.com:8774/v2.1/servers/s/os-server-password?x=1",
        ] {
            assert_eq!(
                Route::parse_nova("get", path).map(|r| r.resource),
                Some(Resource::Password(Operation::Get, "s".into())),
                "{path}"
            );
        }
    }

    #[test]
    fn an_id_with_a_dot_is_callable_and_parsed() {
        let r = route(
            ApiFamily::V21,
            Resource::Password(Operation::Get, "srv.01".into()),
        );
        let (_, segments) = r.build().unwrap();
        assert_eq!(
            segments,
            ["v2.1", "p.1", "servers", "srv.01", "os-server-password"]
        );
        assert_eq!(
            Route::parse("GET", "/v2.1/p.1/servers/srv.01/os-server-password"),
            Some(r)
        );
    }

    #[test]
    fn kps_paths_round_trip_and_refuse_what_could_steer() {
        for resource in [
            KpsResource::Details("demo-rsa4096".into()),
            KpsResource::Details("kp.1".into()),
            KpsResource::Export,
            KpsResource::BatchExport,
        ] {
            let route = KpsRoute {
                project: "p1".into(),
                resource,
            };
            let (method, segments) = route.build().unwrap();
            let path = format!("/{}", segments.join("/"));
            assert_eq!(KpsRoute::parse(method.as_str(), &path), Some(route.clone()));
            assert_eq!(
                KpsRoute::parse(method.as_str(), &format!("{path}/?x=1")),
                Some(route.clone())
            );
            for other in [Method::Get, Method::Put, Method::Delete, Method::Post] {
                if other != method {
                    assert_eq!(
                        KpsRoute::parse(other.as_str(), &path),
                        None,
                        "{other:?} {path}"
                    );
                }
            }
        }
        assert_eq!(
            KpsRoute {
                project: "p1".into(),
                resource: KpsResource::Export
            }
            .build()
            .unwrap()
            .1
            .join("/"),
            "v3/p1/keypairs/private-key/export"
        );
        for path in [
            "/v3/p1/keypairs/..",
            "/v3/p1/keypairs/a%2Fb",
            "/v3/../keypairs/k",
            "/v3//keypairs/k",
            "/v3/p1/keypairs",
            "/v3/p1/keypairs/private-key/other",
            "/v2.1/p1/keypairs/k",
        ] {
            assert_eq!(KpsRoute::parse("GET", path), None, "{path}");
            assert_eq!(KpsRoute::parse("POST", path), None, "{path}");
        }
        for bad in ["", "..", "a/b"] {
            let route = KpsRoute {
                project: "p1".into(),
                resource: KpsResource::Details(bad.into()),
            };
            assert_eq!(route.build().unwrap_err().code(), ErrorCode::IdInvalid);
            let route = KpsRoute {
                project: bad.into(),
                resource: KpsResource::Export,
            };
            assert_eq!(route.build().unwrap_err().code(), ErrorCode::IdInvalid);
        }
    }

    #[test]
    fn paths_that_could_steer_are_refused() {
        for path in [
            "/v1/p/cloudservers/../os-server-password",
            "/v1/p/cloudservers/./os-server-password",
            "/v1/../cloudservers/s/os-server-password",
            "/v1//cloudservers/s/os-server-password",
            "/v1/p/cloudservers//os-server-password",
            "/v1/p/cloudservers/a%2Fb/os-server-password",
            "/v1/p/cloudservers/a%2fb/os-server-password",
            "/v1/p/cloudservers/%2e%2e/os-server-password",
            "/v1/p/cloudservers/s/x/os-server-password",
            "/v1/p%2Fq/cloudservers/s/os-server-password",
            "/v2.1/servers/s/os-server-password",
            "/v3/p/servers/s/os-server-password",
            "",
            "/",
        ] {
            assert_eq!(Route::parse("GET", path), None, "{path}");
        }
        for path in [
            "/servers/../os-server-password",
            "/servers/a%2Fb/os-server-password",
            "/servers//os-server-password",
            "",
        ] {
            assert_eq!(Route::parse_nova("GET", path), None, "{path}");
        }
        for bad in ["", ".", "..", "a/b", "a%2Fb"] {
            let r = route(
                ApiFamily::V1,
                Resource::Password(Operation::Get, bad.into()),
            );
            assert_eq!(
                r.build().unwrap_err().code(),
                ErrorCode::IdInvalid,
                "{bad:?}"
            );
            let mut r = route(ApiFamily::V1, Resource::ServerList);
            r.project = bad.into();
            assert_eq!(
                r.build().unwrap_err().code(),
                ErrorCode::IdInvalid,
                "{bad:?}"
            );
        }
    }
}
