//! What Nova says about itself: the version documents at the compute root and at `/v2.1`
//! (openstack/nova `nova/api/openstack/compute/versions.py`, `views/versions.py`), the
//! microversion headers (`nova/api/openstack/api_version_request.py`, `wsgi.py`), and the server
//! view at the requested microversion (`nova/api/openstack/compute/views/servers.py`). Sources
//! and the field table are in docs/emulator.md.

use super::cloud::{reply, shape, Reply};
use super::state::{Definition, ServerDef, World};
use ecs_password::api::password_rules::OsType;
use serde_json::{json, Value};

/// The microversion range the emulator serves: 2.1 up to 2.96 (Nova 2024.1, and the newest
/// python-novaclient knows).
pub const MIN: Microversion = Microversion(2, 1);
pub const MAX: Microversion = Microversion(2, 96);

/// A compute microversion, `major.minor`.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
pub struct Microversion(pub u16, pub u16);

impl std::fmt::Display for Microversion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.0, self.1)
    }
}

/// When both the v2 and v2.1 documents say they were last updated (Nova's `VERSIONS`).
const V2_UPDATED: &str = "2011-01-21T11:33:21Z";
const V21_UPDATED: &str = "2013-07-23T11:33:21Z";

fn entry(host: &str, id: &str, detailed: bool) -> Value {
    let (status, version, min, updated, media) = if id == "v2.0" {
        ("SUPPORTED", String::new(), String::new(), V2_UPDATED, "2")
    } else {
        (
            "CURRENT",
            MAX.to_string(),
            MIN.to_string(),
            V21_UPDATED,
            "2.1",
        )
    };
    let path = if id == "v2.0" { "v2" } else { "v2.1" };
    let mut doc = json!({
        "id": id,
        "status": status,
        "version": version,
        "min_version": min,
        "updated": updated,
        "links": [{ "rel": "self", "href": format!("http://{host}/compute/{path}/") }],
    });
    if detailed {
        doc["links"] = json!([
            { "rel": "self", "href": format!("http://{host}/compute/{path}/") },
            { "rel": "describedby", "type": "text/html", "href": "http://docs.openstack.org/" },
        ]);
        doc["media-types"] = json!([{
            "base": "application/json",
            "type": format!("application/vnd.openstack.compute+json;version={media}"),
        }]);
    }
    doc
}

/// `GET /compute/`: every major version (Nova's `Versions.index`, 200).
pub fn versions(host: &str) -> Reply {
    reply(
        200,
        json!({ "versions": [entry(host, "v2.0", false), entry(host, "v2.1", false)] }),
    )
}

/// `GET /compute/v2.1[/{project}]`: the v2.1 document with its microversion range.
pub fn version(host: &str) -> Reply {
    reply(200, json!({ "version": entry(host, "v2.1", true) }))
}

/// The microversion a request asks for: `OpenStack-API-Version: compute X.Y` (from 2.27) or
/// `X-OpenStack-Nova-API-Version: X.Y`; none means 2.1, `latest` the maximum. A malformed value
/// is 400, one outside the range 406, in Nova's words.
pub fn requested(header: impl Fn(&str) -> Option<String>) -> Result<Microversion, Reply> {
    let from_new = header("openstack-api-version").and_then(|v| {
        v.split(',').find_map(|part| {
            let mut words = part.split_whitespace();
            (words.next()?.eq_ignore_ascii_case("compute"))
                .then(|| words.next().unwrap_or("").to_owned())
        })
    });
    let Some(text) = from_new.or_else(|| header("x-openstack-nova-api-version")) else {
        return Ok(MIN);
    };
    let text = text.trim();
    if text.eq_ignore_ascii_case("latest") {
        return Ok(MAX);
    }
    let parsed = text.split_once('.').and_then(|(a, b)| {
        let digits =
            |s: &str| !s.is_empty() && s.len() <= 4 && s.bytes().all(|c| c.is_ascii_digit());
        (digits(a) && digits(b)).then(|| Some(Microversion(a.parse().ok()?, b.parse().ok()?)))?
    });
    let Some(version) = parsed.filter(|v| v.0 != 0) else {
        return Err(shape::native(
            400,
            "badRequest",
            &format!("API Version String {text} is of invalid format. Must be of format MajorNum.MinorNum."),
        ));
    };
    if version < MIN || version > MAX {
        return Err(shape::native(
            406,
            "computeFault",
            &format!("Version {version} is not supported by the API. Minimum is {MIN} and maximum is {MAX}."),
        ));
    }
    Ok(version)
}

/// The answer headers of a versioned compute request.
pub fn version_headers(version: Microversion) -> Vec<(&'static str, String)> {
    vec![
        ("openstack-api-version", format!("compute {version}")),
        ("x-openstack-nova-api-version", version.to_string()),
        (
            "vary",
            "OpenStack-API-Version, X-OpenStack-Nova-API-Version".to_owned(),
        ),
    ]
}

/// The server's position in the definition: its stable fake address and MAC.
fn index(def: &Definition, server: &ServerDef) -> usize {
    def.servers
        .iter()
        .position(|s| s.id == server.id)
        .unwrap_or(0)
}

/// The flavour every emulated server has (a two-vCPU, 4 GiB general-purpose size).
const FLAVOR: (&str, u32, u32, u32) = ("s6.large.2", 2, 4096, 40);

/// A fixed image id per OS (the emulator has no image service).
fn image_id(os: OsType) -> &'static str {
    match os {
        OsType::Windows => "1d7c3c6b-8a35-4c5e-9b46-2f0a4d1e7a01",
        OsType::Linux => "1d7c3c6b-8a35-4c5e-9b46-2f0a4d1e7a02",
    }
}

/// Facts every view shares.
pub struct View<'a> {
    pub def: &'a Definition,
    pub host: &'a str,
    /// The live world: each server's creation time (the emulator's start, unless the state file
    /// says `launchedSecondsAgo`).
    pub world: &'a World,
}

impl View<'_> {
    fn os_name(server: &ServerDef) -> &'static str {
        match server.os {
            OsType::Windows => "Windows",
            OsType::Linux => "Linux",
        }
    }

    fn ip(&self, server: &ServerDef) -> (String, String) {
        let i = index(self.def, server) % 240;
        (
            format!("192.168.0.{}", 10 + i),
            format!("fa:16:3e:00:00:{i:02x}"),
        )
    }

    /// When `server` was created and first booted (RFC 3339).
    fn created(&self, server: &ServerDef) -> &str {
        self.world
            .servers
            .get(&server.id)
            .map_or(self.world.created.as_str(), |s| s.created.as_str())
    }

    /// A Nova server at `version` as a project member sees it (no admin-only attributes).
    pub fn nova(&self, server: &ServerDef, base: &str, version: Microversion) -> Value {
        let p = &self.def.project.id;
        let created = self.created(server);
        let (ip, mac) = self.ip(server);
        let link = |kind: &str, id: &str| json!([{ "rel": "bookmark", "href": format!("http://{}/compute/{p}/{kind}/{id}", self.host) }]);
        let mut s = json!({
            "id": server.id,
            "name": server.name,
            "status": "ACTIVE",
            "tenant_id": p,
            "user_id": "emulated-user",
            "metadata": { "os_type": Self::os_name(server) },
            "hostId": format!("{:0>56}", index(self.def, server)),
            "image": { "id": image_id(server.os), "links": link("images", image_id(server.os)) },
            "flavor": { "id": FLAVOR.0, "links": link("flavors", FLAVOR.0) },
            "created": created,
            "updated": created,
            "addresses": { "private": [{
                "version": 4, "addr": ip, "OS-EXT-IPS:type": "fixed", "OS-EXT-IPS-MAC:mac_addr": mac,
            }] },
            "accessIPv4": "",
            "accessIPv6": "",
            "links": [
                { "rel": "self", "href": format!("http://{}{base}/servers/{}", self.host, server.id) },
                { "rel": "bookmark", "href": format!("http://{}/compute/{p}/servers/{}", self.host, server.id) },
            ],
            "OS-DCF:diskConfig": "MANUAL",
            "progress": 0,
            "OS-EXT-AZ:availability_zone": "nova",
            "config_drive": "",
            "key_name": server.key_name,
            "OS-SRV-USG:launched_at": created.trim_end_matches('Z'),
            "OS-SRV-USG:terminated_at": null,
            "OS-EXT-STS:task_state": null,
            "OS-EXT-STS:vm_state": "active",
            "OS-EXT-STS:power_state": 1,
            "os-extended-volumes:volumes_attached": [],
            "security_groups": [{ "name": "default" }],
        });
        let at = |minor: u16| version >= Microversion(2, minor);
        if at(9) {
            s["locked"] = json!(false);
        }
        if at(19) {
            s["description"] = Value::Null;
        }
        if at(26) {
            s["tags"] = json!(server.tags);
        }
        if at(47) {
            s["flavor"] = json!({
                "vcpus": FLAVOR.1, "ram": FLAVOR.2, "disk": FLAVOR.3, "ephemeral": 0, "swap": 0,
                "original_name": FLAVOR.0, "extra_specs": {},
            });
        }
        if at(63) {
            s["trusted_image_certificates"] = Value::Null;
        }
        if at(73) {
            s["locked_reason"] = Value::Null;
        }
        if at(96) {
            s["pinned_availability_zone"] = Value::Null;
        }
        s
    }

    /// An ECS v1 `cloudservers` server (Huawei's ServerDetail) or a Huawei native v2/v2.1 one:
    /// Nova's fields plus the enterprise project and Huawei's own.
    pub fn huawei(&self, server: &ServerDef, v1: bool) -> Value {
        let (ip, mac) = self.ip(server);
        let os = Self::os_name(server);
        let mut s = self.nova(server, &format!("/v2.1/{}", self.def.project.id), MIN);
        s["enterprise_project_id"] = json!(server.enterprise_project_id);
        s["metadata"] = json!({
            "os_type": os,
            "image_name": format!("{os} demo image"),
            "metering.image_id": image_id(server.os),
            "charging_mode": "0",
            "vpc_id": "3a0c7a5e-9c1b-4f0e-8d6a-5b4c3d2e1f00",
        });
        s["OS-EXT-AZ:availability_zone"] = json!(format!("{}a", self.def.region));
        if v1 {
            s["flavor"] = json!({
                "id": FLAVOR.0, "name": FLAVOR.0, "disk": FLAVOR.3.to_string(),
                "vcpus": FLAVOR.1.to_string(), "ram": FLAVOR.2.to_string(),
            });
            s["image"] = json!({ "id": image_id(server.os) });
            s["addresses"] = json!({ "3a0c7a5e-9c1b-4f0e-8d6a-5b4c3d2e1f00": [{
                "version": "4", "addr": ip, "OS-EXT-IPS:type": "fixed",
                "OS-EXT-IPS-MAC:mac_addr": mac, "OS-EXT-IPS:port_id": format!("{:0>8}-0000-4000-8000-000000000000", index(self.def, server)),
            }] });
            s["security_groups"] =
                json!([{ "name": "default", "id": "0b3e2c1d-7f6a-4e5d-9c8b-1a2b3c4d5e6f" }]);
            s["locked"] = json!(false);
            s["description"] = json!("");
            s["tags"] = json!(server.tags);
            s["sys_tags"] = json!([{ "key": "_sys_enterprise_project_id", "value": server.enterprise_project_id }]);
            s["host_status"] = json!("UP");
            s["OS-EXT-SRV-ATTR:hostname"] = json!(server.name);
            s["os:scheduler_hints"] = json!({});
            if let Some(map) = s.as_object_mut() {
                map.remove("links");
            }
        }
        s
    }
}
