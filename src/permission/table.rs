//! The documented table of which IAM action each password API needs (the ECS API reference
//! "Permissions and Supported Actions: Password Management" pages in English and Chinese, e.g.
//! opentelekomcloud-docs/elastic-cloud-server `api-ref/source/permissions_and_supported_actions/`). One home: every other
//! part of the project (permission checks, the API client, the emulator) reads it from here.

use serde::Serialize;

/// The four password operations.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
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
}

impl Method {
    /// Parses a method name, ignoring case.
    pub fn parse(name: &str) -> Option<Method> {
        match name.to_ascii_uppercase().as_str() {
            "GET" => Some(Method::Get),
            "PUT" => Some(Method::Put),
            "DELETE" => Some(Method::Delete),
            _ => None,
        }
    }

    /// The method's name in upper case.
    pub const fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        }
    }
}

/// One row of the documented table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TableRow {
    /// Row number as in docs/permissions.md (1-9).
    pub number: u8,
    /// HTTP method.
    pub method: Method,
    /// Path template with `{project_id}` and `{server_id}`.
    pub path: &'static str,
    /// The API family.
    pub family: ApiFamily,
    /// The operation.
    pub operation: Operation,
    /// The IAM action as documented.
    pub action: &'static str,
    /// Newer names of the same action (2023-06 revisions); policies may use either.
    pub aliases: &'static [&'static str],
    /// Authorization through an IAM project is supported.
    pub project: bool,
    /// Authorization through an enterprise project is supported.
    pub enterprise_project: bool,
    /// Instance-level authorization (`ecs:*:*:instance:<id>` resources) is supported.
    pub instance_resources: bool,
    /// Marked deprecated by later revisions of the table.
    pub deprecated: bool,
    /// What the API does, in English (seed 001).
    pub description_en: &'static str,
    /// What the API does, in Chinese (seed 002).
    pub description_zh: &'static str,
}

impl TableRow {
    /// The documented action followed by its aliases.
    pub fn actions(&self) -> impl Iterator<Item = &'static str> + '_ {
        core::iter::once(self.action).chain(self.aliases.iter().copied())
    }
}

#[allow(clippy::too_many_arguments)] // one argument per column of the table
const fn row(
    number: u8,
    method: Method,
    path: &'static str,
    family: ApiFamily,
    operation: Operation,
    action: &'static str,
    aliases: &'static [&'static str],
    enterprise_project: bool,
    deprecated: bool,
    description_en: &'static str,
    description_zh: &'static str,
) -> TableRow {
    TableRow {
        number,
        method,
        path,
        family,
        operation,
        action,
        aliases,
        project: true,
        enterprise_project,
        instance_resources: matches!(family, ApiFamily::V1),
        deprecated,
        description_en,
        description_zh,
    }
}

/// Rows 1-9. Seed 000 lists v2 beside v2.1 without scope columns: v2 is treated like v2.1.
pub static TABLE: [TableRow; 9] = [
    row(
        1,
        Method::Put,
        "/v1/{project_id}/cloudservers/{server_id}/os-reset-password",
        ApiFamily::V1,
        Operation::Reset,
        "ecs:cloudServers:resetServerPwd",
        &[],
        true,
        false,
        "Resetting the password for logging in to an ECS with a few clicks for enterprise projects",
        "一键重置弹性云服务器密码（企业项目）",
    ),
    row(
        2,
        Method::Get,
        "/v1/{project_id}/cloudservers/{server_id}/os-resetpwd-flag",
        ApiFamily::V1,
        Operation::ResetFlag,
        "ecs:cloudServers:get",
        &["ecs:cloudServers:showResetPasswordFlag"],
        true,
        false,
        "Displaying whether an ECS supports password reset",
        "查询云服务器是否支持重置密码",
    ),
    row(
        3,
        Method::Get,
        "/v1/{project_id}/cloudservers/{server_id}/os-server-password",
        ApiFamily::V1,
        Operation::Get,
        "ecs:cloudServers:get",
        &["ecs:cloudServers:showServerPassword"],
        true,
        false,
        "Obtaining the password for logging in to a Windows ECS",
        "Windows云服务器获取密码",
    ),
    row(
        4,
        Method::Delete,
        "/v1/{project_id}/cloudservers/{server_id}/os-server-password",
        ApiFamily::V1,
        Operation::Clear,
        "ecs:cloudServers:deletePassword",
        &[],
        true,
        false,
        "Deleting the password for logging in to a Windows ECS",
        "Windows云服务器清除密码",
    ),
    row(
        5,
        Method::Put,
        "/v2.1/{project_id}/servers/{server_id}/os-reset-password",
        ApiFamily::V21,
        Operation::Reset,
        "ecs:cloudServers:resetServerPwd",
        &[],
        false,
        true,
        "Resetting the password for logging in to an ECS with a few clicks",
        "一键重置弹性云服务器云主机密码",
    ),
    row(
        6,
        Method::Get,
        "/v2.1/{project_id}/servers/{server_id}/os-server-password",
        ApiFamily::V21,
        Operation::Get,
        "ecs:serverPasswords:manage",
        &[],
        false,
        false,
        "Obtaining the password for logging in to a Windows ECS (native OpenStack)",
        "Windows云服务器获取密码（OpenStack原生）",
    ),
    row(
        7,
        Method::Delete,
        "/v2.1/{project_id}/servers/{server_id}/os-server-password",
        ApiFamily::V21,
        Operation::Clear,
        "ecs:serverPasswords:manage",
        &[],
        false,
        false,
        "Deleting the password for logging in to a Windows ECS (native OpenStack)",
        "Windows云服务器清除密码（OpenStack原生）",
    ),
    row(
        8,
        Method::Get,
        "/v2/{project_id}/servers/{server_id}/os-server-password",
        ApiFamily::V2,
        Operation::Get,
        "ecs:serverPasswords:manage",
        &[],
        false,
        false,
        "Obtaining the password for logging in to a Windows ECS (native OpenStack)",
        "Windows云服务器获取密码（OpenStack原生）",
    ),
    row(
        9,
        Method::Delete,
        "/v2/{project_id}/servers/{server_id}/os-server-password",
        ApiFamily::V2,
        Operation::Clear,
        "ecs:serverPasswords:manage",
        &[],
        false,
        false,
        "Deleting the password for logging in to a Windows ECS (native OpenStack)",
        "Windows云服务器清除密码（OpenStack原生）",
    ),
];

/// A concrete request matched to its row, with the ids taken from the path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MatchedRequest {
    /// The row.
    pub row: &'static TableRow,
    /// `{project_id}` from the path.
    pub project_id: String,
    /// `{server_id}` from the path.
    pub server_id: String,
}

/// Finds the row for a method and a concrete path (ids filled in). The query string is ignored and
/// a trailing slash tolerated; a full URL's scheme and host are ignored too. `None`: not in the table.
pub fn lookup(method: &str, path: &str) -> Option<MatchedRequest> {
    let method = Method::parse(method)?;
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let path = match path.find("://") {
        Some(i) => path[i + 3..].find('/').map_or("/", |j| &path[i + 3 + j..]),
        None => path,
    };
    let segments: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    TABLE.iter().filter(|r| r.method == method).find_map(|row| {
        let template: Vec<&str> = row.path.split('/').collect();
        if template.len() != segments.len() {
            return None;
        }
        let (mut project_id, mut server_id) = (None, None);
        for (t, s) in template.iter().zip(&segments) {
            match *t {
                "{project_id}" if is_id(s) => project_id = Some(*s),
                "{server_id}" if is_id(s) => server_id = Some(*s),
                literal if literal == *s => {}
                _ => return None,
            }
        }
        Some(MatchedRequest {
            row,
            project_id: project_id?.to_owned(),
            server_id: server_id?.to_owned(),
        })
    })
}

/// Splits `"METHOD PATH"` (as the CLI and JavaScript give a request) into its method and path.
pub fn split_request(request: &str) -> Option<(&str, &str)> {
    request
        .trim()
        .split_once(char::is_whitespace)
        .map(|(m, p)| (m, p.trim()))
}

/// The row for an operation on a family, if the table has one.
pub fn row_for(operation: Operation, family: ApiFamily) -> Option<&'static TableRow> {
    TABLE
        .iter()
        .find(|r| r.operation == operation && r.family == family)
}

/// Ids are non-empty runs of letters, digits, `-` and `_`: nothing that could steer a path.
pub(crate) fn is_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_is_found_from_its_concrete_path() {
        for row in &TABLE {
            let path = row
                .path
                .replace("{project_id}", "p1")
                .replace("{server_id}", "s-1");
            for variant in [
                path.clone(),
                format!("{path}/"),
                format!("{path}?x=1"),
                format!("https://ecs.example.com{path}"),
            ] {
                let m =
                    lookup(row.method.as_str(), &variant).unwrap_or_else(|| panic!("{variant}"));
                assert_eq!(
                    (m.row.number, m.project_id.as_str(), m.server_id.as_str()),
                    (row.number, "p1", "s-1")
                );
            }
            assert_eq!(
                lookup(&row.method.as_str().to_lowercase(), &path).map(|m| m.row.number),
                Some(row.number)
            );
        }
    }

    #[test]
    fn other_requests_are_not_in_the_table() {
        for (method, path) in [
            ("POST", "/v1/p/cloudservers/s/os-server-password"),
            ("GET", "/v1/p/cloudservers/s"),
            ("GET", "/v2.1/servers/s/os-server-password"),
            ("GET", "/v1/p/cloudservers/../os-server-password"),
            ("GET", "/v1/p/cloudservers/s/x/os-server-password"),
            ("PUT", "/v2/p/servers/s/os-reset-password"),
            ("GET", "/v1//cloudservers/s/os-server-password"),
        ] {
            assert!(lookup(method, path).is_none(), "{method} {path}");
        }
    }

    #[test]
    fn every_operation_has_a_v1_row() {
        for op in Operation::ALL {
            assert!(row_for(op, ApiFamily::V1).is_some(), "{op:?}");
        }
    }
}
