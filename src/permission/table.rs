//! The documented table of which IAM action each password API needs (the ECS API reference
//! "Permissions and Supported Actions: Password Management" pages in English and Chinese, e.g.
//! opentelekomcloud-docs/elastic-cloud-server `api-ref/source/permissions_and_supported_actions/`). One home: every other
//! part of the project (permission checks, the API client, the emulator) reads it from here.

use crate::message::Message;
use serde::Serialize;

pub use crate::route::{ApiFamily, Method, Operation};
use crate::route::{Resource, Route};

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
    /// What the API does (`table-*`; the English and Chinese tables' wording, seeds 001 and 002).
    pub description: Message,
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
    description: Message,
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
        description,
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
        Message::new("table-reset-password-enterprise"),
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
        Message::new("table-reset-flag"),
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
        Message::new("table-get-password"),
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
        Message::new("table-clear-password"),
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
        Message::new("table-reset-password"),
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
        Message::new("table-get-password-openstack"),
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
        Message::new("table-clear-password-openstack"),
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
        Message::new("table-get-password-openstack"),
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
        Message::new("table-clear-password-openstack"),
    ),
];

/// The requests of Huawei Cloud's Key Pair Service (KPS, part of DEW) that use a private key the
/// cloud holds: reading a key pair's details (whether its private key is hosted) and exporting the
/// private key, one or up to ten at a time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify))]
#[serde(rename_all = "kebab-case")]
pub enum KpsOperation {
    /// `GET /v3/{project_id}/keypairs/{keypair_name}` (ListKeypairDetail).
    Details,
    /// `POST /v3/{project_id}/keypairs/private-key/export` (ExportPrivateKey).
    Export,
    /// `POST /v3/{project_id}/keypairs/private-key/batch-export` (BatchExportPrivateKey).
    BatchExport,
}

impl KpsOperation {
    /// Stable name: `details`, `export`, `batch-export`.
    pub const fn as_str(self) -> &'static str {
        match self {
            KpsOperation::Details => "details",
            KpsOperation::Export => "export",
            KpsOperation::BatchExport => "batch-export",
        }
    }
}

/// One KPS request and the IAM actions it needs, beside the ECS table (docs/permissions.md,
/// "Keys the cloud holds"). KPS authorizes through IAM projects; no enterprise project and no
/// resource-level authorization is modelled (a statement that names resources does not apply).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct KpsRow {
    /// The operation.
    pub operation: KpsOperation,
    /// HTTP method.
    pub method: Method,
    /// Path template (below the KPS endpoint) with `{project_id}` and `{keypair_name}`.
    pub path: &'static str,
    /// The IAM action (role/policy-based authorization).
    pub action: &'static str,
    /// Its name in identity policies; a policy may use either.
    pub aliases: &'static [&'static str],
    /// The actions it depends on: each must be allowed too.
    pub dependencies: &'static [&'static str],
    /// What the API does (`kps-table-*`).
    pub description: Message,
    /// Where the row comes from.
    pub source: &'static str,
}

impl KpsRow {
    /// The action followed by its dependencies: everything a request needs allowed.
    pub fn required(&self) -> impl Iterator<Item = &'static str> + '_ {
        core::iter::once(self.action).chain(self.dependencies.iter().copied())
    }
}

/// The KPS requests. Sources: the Huawei Cloud DEW API reference pages "Exporting a private key"
/// (ExportPrivateKey.html: action `kps:domainKeypairs:exportpk`, identity-policy name
/// `kps:SSHKeyPair:exportPrivateKey`, dependency `kms:cmk:decryptDataKey`), "Querying SSH Key Pair
/// Details" (ListKeypairDetail.html: `kps:domainKeypairs:get`, `kps:SSHKeyPair:get`) and
/// "Exporting Private Keys of Key Pairs in Batches" (BatchExportPrivateKey.html, which names no
/// action of its own: it exports the same private keys, so it is held to the export's).
pub static KPS_TABLE: [KpsRow; 3] = [
    KpsRow {
        operation: KpsOperation::Details,
        method: Method::Get,
        path: "/v3/{project_id}/keypairs/{keypair_name}",
        action: "kps:domainKeypairs:get",
        aliases: &["kps:SSHKeyPair:get"],
        dependencies: &[],
        description: Message::new("kps-table-details"),
        source: "https://support.huaweicloud.com/intl/en-us/api-dew/ListKeypairDetail.html",
    },
    KpsRow {
        operation: KpsOperation::Export,
        method: Method::Post,
        path: "/v3/{project_id}/keypairs/private-key/export",
        action: "kps:domainKeypairs:exportpk",
        aliases: &["kps:SSHKeyPair:exportPrivateKey"],
        dependencies: &["kms:cmk:decryptDataKey"],
        description: Message::new("kps-table-export"),
        source: "https://support.huaweicloud.com/intl/en-us/api-dew/ExportPrivateKey.html",
    },
    KpsRow {
        operation: KpsOperation::BatchExport,
        method: Method::Post,
        path: "/v3/{project_id}/keypairs/private-key/batch-export",
        action: "kps:domainKeypairs:exportpk",
        aliases: &["kps:SSHKeyPair:exportPrivateKey"],
        dependencies: &["kms:cmk:decryptDataKey"],
        description: Message::new("kps-table-batch-export"),
        source: "https://support.huaweicloud.com/intl/en-us/api-dew/BatchExportPrivateKey.html",
    },
];

/// The KPS row of an operation.
pub fn kps_row(operation: KpsOperation) -> &'static KpsRow {
    match operation {
        KpsOperation::Details => &KPS_TABLE[0],
        KpsOperation::Export => &KPS_TABLE[1],
        KpsOperation::BatchExport => &KPS_TABLE[2],
    }
}

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

/// Finds the row for a method and a concrete path (ids filled in, by the one id rule of
/// [`crate::route::check_id`]). The query string is ignored and a trailing slash tolerated; a full
/// URL's scheme and host are ignored too. `None`: not in the table.
pub fn lookup(method: &str, path: &str) -> Option<MatchedRequest> {
    let route = Route::parse(method, path)?;
    let Resource::Password(operation, server_id) = route.resource else {
        return None;
    };
    Some(MatchedRequest {
        row: row_for(operation, route.family)?,
        project_id: route.project,
        server_id,
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
    fn an_id_the_client_can_call_is_in_the_table() {
        // One id rule (crate::route::check_id): an id with a `.` used to be callable but
        // NOT_IN_TABLE here.
        let m = lookup("GET", "/v1/p.1/cloudservers/srv.01/os-server-password").unwrap();
        assert_eq!(
            (m.row.number, m.project_id.as_str(), m.server_id.as_str()),
            (3, "p.1", "srv.01")
        );
    }

    #[test]
    fn every_kps_operation_has_its_row_and_its_path_parses() {
        use crate::route::{KpsResource, KpsRoute};
        for op in [
            KpsOperation::Details,
            KpsOperation::Export,
            KpsOperation::BatchExport,
        ] {
            let row = kps_row(op);
            assert_eq!(row.operation, op);
            let path = row
                .path
                .replace("{project_id}", "p1")
                .replace("{keypair_name}", "kp1");
            let route = KpsRoute::parse(row.method.as_str(), &path).unwrap();
            let expected = match op {
                KpsOperation::Details => KpsResource::Details("kp1".into()),
                KpsOperation::Export => KpsResource::Export,
                KpsOperation::BatchExport => KpsResource::BatchExport,
            };
            assert_eq!(route.resource, expected, "{path}");
        }
        assert_eq!(
            kps_row(KpsOperation::Export).required().collect::<Vec<_>>(),
            ["kps:domainKeypairs:exportpk", "kms:cmk:decryptDataKey"]
        );
    }

    #[test]
    fn every_operation_has_a_v1_row() {
        for op in Operation::ALL {
            assert!(row_for(op, ApiFamily::V1).is_some(), "{op:?}");
        }
    }
}
