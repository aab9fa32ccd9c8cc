//! What OpenStack users already have: `clouds.yaml` (with `secure.yaml` merged in) and the
//! `OS_*` variables of an openrc file, read as openstacksdk reads them (`openstack/config/loader.py`):
//!
//! - files: `OS_CLIENT_CONFIG_FILE` if set, then `clouds.yaml` (or `.yml`, `.json`) in the current
//!   directory, `~/.config/openstack/`, `/etc/openstack/`; the first found is used. `secure.yaml`
//!   (`OS_CLIENT_SECURE_FILE` first) is looked for in the same places and merged into it, key by key;
//! - the cloud: `--os-cloud`, else `OS_CLOUD`; with neither, the `OS_*` variables alone;
//! - precedence, as python-openstackclient applies it: flags, then `OS_*` variables, then the file.
//!
//! The YAML is parsed by `saphyr-parser` (the parser the core uses for Nova policy files); every
//! scalar is kept as text, which is what the auth options are.

use crate::output::CliError;
use saphyr_parser::{Event, Parser};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use zeroize::Zeroizing;

/// The auth options and settings of one cloud, merged from file, environment and flags.
#[derive(Default)]
pub struct CloudConfig {
    /// The cloud's name in `clouds.yaml`, if one was chosen.
    pub name: Option<String>,
    /// The file it came from.
    pub file: Option<PathBuf>,
    /// `auth_type` (`password`, `v3applicationcredential`, `token`, `v3totp`, ...).
    pub auth_type: Option<String>,
    /// The `auth:` options (`auth_url`, `username`, `password`, `project_name`, ...). Values are
    /// wiped on drop; `Debug` prints the keys only.
    pub auth: BTreeMap<String, Zeroizing<String>>,
    /// `region_name`.
    pub region_name: Option<String>,
    /// `interface` (`public` unless set).
    pub interface: Option<String>,
}

impl core::fmt::Debug for CloudConfig {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("CloudConfig")
            .field("name", &self.name)
            .field("file", &self.file)
            .field("auth_type", &self.auth_type)
            .field("auth_keys", &self.auth.keys().collect::<Vec<_>>())
            .field("region_name", &self.region_name)
            .field("interface", &self.interface)
            .finish()
    }
}

impl CloudConfig {
    /// An auth option, if set and not empty.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.auth
            .get(key)
            .map(|v| v.as_str())
            .filter(|v| !v.is_empty())
    }
}

/// Where the files are looked for, and the environment: given, so that tests need not change
/// the process's own.
pub struct Sources {
    /// The current directory.
    pub cwd: PathBuf,
    /// The home directory, if known.
    pub home: Option<PathBuf>,
    /// The system directory (`/etc/openstack`).
    pub etc: PathBuf,
    /// The environment.
    pub env: HashMap<String, String>,
}

impl Sources {
    /// This process's.
    pub fn from_process() -> Sources {
        Sources {
            cwd: std::env::current_dir().unwrap_or_else(|_| PathBuf::from(".")),
            home: std::env::var_os("HOME").map(PathBuf::from),
            etc: PathBuf::from("/etc/openstack"),
            env: std::env::vars().collect(),
        }
    }

    fn var(&self, name: &str) -> Option<&str> {
        self.env
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    /// The files to try for `stem` (`clouds` or `secure`), in order.
    fn candidates(&self, stem: &str, override_var: &str) -> Vec<PathBuf> {
        let mut dirs = vec![self.cwd.clone()];
        if let Some(home) = &self.home {
            dirs.push(home.join(".config/openstack"));
        }
        dirs.push(self.etc.clone());
        let mut files: Vec<PathBuf> = self
            .var(override_var)
            .map(PathBuf::from)
            .into_iter()
            .collect();
        for dir in dirs {
            for ext in ["yaml", "yml", "json"] {
                files.push(dir.join(format!("{stem}.{ext}")));
            }
        }
        files
    }
}

/// The flags that name a cloud or override its settings.
#[derive(Default)]
pub struct Flags {
    /// `--os-cloud`.
    pub cloud: Option<String>,
    /// `--os-auth-url`.
    pub auth_url: Option<String>,
    /// `--os-region-name`.
    pub region_name: Option<String>,
    /// `--os-interface`.
    pub interface: Option<String>,
    /// `--os-project-name`.
    pub project_name: Option<String>,
    /// `--os-username`.
    pub username: Option<String>,
}

/// The `OS_*` variables and the auth option each sets (openstacksdk's `_get_os_environ`).
const ENV_AUTH: [(&str, &str); 20] = [
    ("OS_AUTH_URL", "auth_url"),
    ("OS_USERNAME", "username"),
    ("OS_USER_ID", "user_id"),
    ("OS_PASSWORD", "password"),
    ("OS_PROJECT_NAME", "project_name"),
    ("OS_PROJECT_ID", "project_id"),
    ("OS_TENANT_NAME", "project_name"),
    ("OS_TENANT_ID", "project_id"),
    ("OS_USER_DOMAIN_NAME", "user_domain_name"),
    ("OS_USER_DOMAIN_ID", "user_domain_id"),
    ("OS_PROJECT_DOMAIN_NAME", "project_domain_name"),
    ("OS_PROJECT_DOMAIN_ID", "project_domain_id"),
    ("OS_DOMAIN_NAME", "domain_name"),
    ("OS_DOMAIN_ID", "domain_id"),
    ("OS_APPLICATION_CREDENTIAL_ID", "application_credential_id"),
    (
        "OS_APPLICATION_CREDENTIAL_NAME",
        "application_credential_name",
    ),
    (
        "OS_APPLICATION_CREDENTIAL_SECRET",
        "application_credential_secret",
    ),
    ("OS_TOKEN", "token"),
    ("OS_PASSCODE", "passcode"),
    ("OS_SYSTEM_SCOPE", "system_scope"),
];

/// A YAML value: every scalar as text.
#[derive(Clone, Debug, PartialEq)]
enum Yaml {
    Text(String),
    List(Vec<Yaml>),
    Map(Vec<(String, Yaml)>),
}

/// At most this many values in a file (aliases included), and this deep.
const MAX_NODES: usize = 20_000;
const MAX_DEPTH: usize = 32;
/// A clouds.yaml is a few kilobytes; anything over this is not one.
const MAX_FILE_BYTES: u64 = 1024 * 1024;

struct Composer<'a> {
    events: Parser<'a, saphyr_parser::StrInput<'a>>,
    anchors: HashMap<usize, Yaml>,
    nodes: usize,
}

impl<'a> Composer<'a> {
    fn next(&mut self) -> Result<Event<'a>, String> {
        match self.events.next_event() {
            Some(Ok((event, _))) => Ok(event),
            Some(Err(e)) => Err(format!(
                "not valid YAML at line {}: {}",
                e.marker().line(),
                e.info()
            )),
            None => Err("the file ends unexpectedly".into()),
        }
    }

    fn node(&mut self, event: Event<'a>, depth: usize) -> Result<Yaml, String> {
        self.nodes += 1;
        if self.nodes > MAX_NODES || depth > MAX_DEPTH {
            return Err("the file is too large or too deeply nested".into());
        }
        let (node, anchor) = match event {
            Event::Scalar(value, _, anchor, _) => (Yaml::Text(value.into_owned()), anchor),
            Event::Alias(id) => {
                return self
                    .anchors
                    .get(&id)
                    .cloned()
                    .ok_or_else(|| "an alias refers to an unknown anchor".to_owned())
            }
            Event::SequenceStart(anchor, _) => {
                let mut items = Vec::new();
                loop {
                    let event = self.next()?;
                    if matches!(event, Event::SequenceEnd) {
                        break;
                    }
                    items.push(self.node(event, depth + 1)?);
                }
                (Yaml::List(items), anchor)
            }
            Event::MappingStart(anchor, _) => {
                let mut entries = Vec::new();
                loop {
                    let event = self.next()?;
                    if matches!(event, Event::MappingEnd) {
                        break;
                    }
                    let key = match self.node(event, depth + 1)? {
                        Yaml::Text(key) => key,
                        _ => return Err("a key is not text".into()),
                    };
                    let event = self.next()?;
                    let value = self.node(event, depth + 1)?;
                    entries.push((key, value));
                }
                (Yaml::Map(entries), anchor)
            }
            _ => return Err("unexpected YAML structure".into()),
        };
        if anchor != 0 {
            self.anchors.insert(anchor, node.clone());
        }
        Ok(node)
    }
}

/// Parses a YAML (or JSON) document into text, lists and mappings.
fn parse_yaml(text: &str) -> Result<Yaml, String> {
    let mut composer = Composer {
        events: Parser::new_from_str(text),
        anchors: HashMap::new(),
        nodes: 0,
    };
    let mut root = None;
    loop {
        match composer.next()? {
            Event::StreamStart | Event::DocumentStart(_) | Event::DocumentEnd | Event::Nothing => {}
            Event::StreamEnd => break,
            event if root.is_none() => root = Some(composer.node(event, 0)?),
            _ => return Err("more than one YAML document".into()),
        }
    }
    Ok(root.unwrap_or(Yaml::Map(Vec::new())))
}

impl Yaml {
    fn get(&self, key: &str) -> Option<&Yaml> {
        match self {
            Yaml::Map(entries) => entries.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    fn text(&self) -> Option<&str> {
        match self {
            Yaml::Text(t) if t != "~" && t != "null" => Some(t),
            _ => None,
        }
    }

    /// `secure` merged into `self`, mapping by mapping (openstacksdk's `_merge_clouds`).
    fn merge(&mut self, secure: &Yaml) {
        match (self, secure) {
            (Yaml::Map(mine), Yaml::Map(theirs)) => {
                for (key, value) in theirs {
                    match mine.iter_mut().rev().find(|(k, _)| k == key) {
                        Some((_, existing)) => existing.merge(value),
                        None => mine.push((key.clone(), value.clone())),
                    }
                }
            }
            (me, other) => *me = other.clone(),
        }
    }
}

fn read_file(path: &Path) -> Result<Option<Yaml>, CliError> {
    let unreadable = |why: String| {
        CliError::new(
            "CONFIG_INVALID",
            format!("{} cannot be used: {why}.", path.display()),
        )
    };
    let meta = match std::fs::metadata(path) {
        Ok(meta) if meta.is_file() => meta,
        _ => return Ok(None),
    };
    if meta.len() > MAX_FILE_BYTES {
        return Err(unreadable("it is larger than 1 MiB".into()));
    }
    let text = std::fs::read_to_string(path).map_err(|e| unreadable(e.to_string()))?;
    parse_yaml(&text).map(Some).map_err(unreadable)
}

fn first_file(paths: &[PathBuf]) -> Result<Option<(PathBuf, Yaml)>, CliError> {
    for path in paths {
        if let Some(yaml) = read_file(path)? {
            return Ok(Some((path.clone(), yaml)));
        }
    }
    Ok(None)
}

/// The configuration for `flags`: the named cloud from the files, overridden by the `OS_*`
/// variables and then the flags. `Ok(None)`: no cloud named and no `OS_AUTH_URL`, nothing to
/// sign in with. A cloud that is named but not found is an error naming the files searched.
pub fn load(flags: &Flags, sources: &Sources) -> Result<Option<CloudConfig>, CliError> {
    let cloud_name = flags
        .cloud
        .clone()
        .filter(|c| !c.is_empty())
        .or_else(|| sources.var("OS_CLOUD").map(str::to_owned));
    let mut config = CloudConfig::default();
    if let Some(name) = &cloud_name {
        let candidates = sources.candidates("clouds", "OS_CLIENT_CONFIG_FILE");
        let found = first_file(&candidates)?;
        let Some((path, mut yaml)) = found else {
            let searched: Vec<String> =
                candidates.iter().map(|p| p.display().to_string()).collect();
            return Err(CliError::new(
                "CLOUD_NOT_FOUND",
                format!(
                    "The cloud \"{name}\" was asked for, but no clouds.yaml was found. Searched: {}.",
                    searched.join(", ")
                ),
            ));
        };
        if let Some((_, secure)) =
            first_file(&sources.candidates("secure", "OS_CLIENT_SECURE_FILE"))?
        {
            yaml.merge(&secure);
        }
        let Some(cloud) = yaml.get("clouds").and_then(|c| c.get(name)) else {
            let names: Vec<&str> = match yaml.get("clouds") {
                Some(Yaml::Map(entries)) => entries.iter().map(|(k, _)| k.as_str()).collect(),
                _ => Vec::new(),
            };
            return Err(CliError::new(
                "CLOUD_NOT_FOUND",
                format!(
                    "{} has no cloud \"{name}\" (it has: {}).",
                    path.display(),
                    if names.is_empty() {
                        "none".to_owned()
                    } else {
                        names.join(", ")
                    }
                ),
            ));
        };
        if let Some(Yaml::Map(auth)) = cloud.get("auth") {
            for (key, value) in auth {
                if let Some(text) = value.text() {
                    config
                        .auth
                        .insert(key.clone(), Zeroizing::new(text.to_owned()));
                }
            }
        }
        config.auth_type = cloud
            .get("auth_type")
            .and_then(Yaml::text)
            .map(str::to_owned);
        config.region_name = cloud
            .get("region_name")
            .and_then(Yaml::text)
            .map(str::to_owned);
        config.interface = cloud
            .get("interface")
            .and_then(Yaml::text)
            .map(str::to_owned);
        config.name = Some(name.clone());
        config.file = Some(path);
    }
    for (var, key) in ENV_AUTH {
        if let Some(value) = sources.var(var) {
            config
                .auth
                .insert(key.to_owned(), Zeroizing::new(value.to_owned()));
        }
    }
    let env = |name: &str| sources.var(name).map(str::to_owned);
    config.auth_type = env("OS_AUTH_TYPE").or(config.auth_type);
    config.region_name = env("OS_REGION_NAME").or(config.region_name);
    config.interface = env("OS_INTERFACE").or(config.interface);
    for (flag, key) in [
        (&flags.auth_url, "auth_url"),
        (&flags.project_name, "project_name"),
        (&flags.username, "username"),
    ] {
        if let Some(value) = flag.as_ref().filter(|v| !v.is_empty()) {
            config
                .auth
                .insert(key.to_owned(), Zeroizing::new(value.clone()));
        }
    }
    config.region_name = flags.region_name.clone().or(config.region_name);
    config.interface = flags.interface.clone().or(config.interface);
    if cloud_name.is_none() && config.get("auth_url").is_none() {
        return Ok(None);
    }
    if config.get("auth_url").is_none() {
        return Err(CliError::new(
            "CONFIG_INVALID",
            format!(
                "The cloud \"{}\" has no auth_url: add auth.auth_url to {}, or set OS_AUTH_URL.",
                config.name.as_deref().unwrap_or_default(),
                config
                    .file
                    .as_ref()
                    .map(|p| p.display().to_string())
                    .unwrap_or_default()
            ),
        ));
    }
    Ok(Some(config))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sources(dir: &Path, env: &[(&str, &str)]) -> Sources {
        Sources {
            cwd: dir.join("cwd"),
            home: Some(dir.join("home")),
            etc: dir.join("etc"),
            env: env
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        }
    }

    fn temp() -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "ecs-config-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or_default()
        ));
        for sub in ["cwd", "home/.config/openstack", "etc"] {
            std::fs::create_dir_all(dir.join(sub)).ok();
        }
        dir
    }

    const CLOUDS: &str = "
clouds:
  demo:
    region_name: RegionOne
    interface: internal
    auth:
      auth_url: https://keystone.example.com:5000/v3
      username: demo
      project_name: demo
      user_domain_name: Default
      project_domain_id: default
  other:
    auth: {auth_url: 'https://other.example.com/v3', project_id: 1234}
";

    #[test]
    fn a_cloud_from_the_home_directory_with_its_secret_from_secure_yaml() {
        let dir = temp();
        std::fs::write(dir.join("home/.config/openstack/clouds.yaml"), CLOUDS).ok();
        std::fs::write(
            dir.join("etc/secure.yaml"),
            "clouds:\n  demo:\n    auth:\n      password: s3cret\n",
        )
        .ok();
        let flags = Flags {
            cloud: Some("demo".into()),
            ..Flags::default()
        };
        let config = load(&flags, &sources(&dir, &[])).unwrap().unwrap();
        assert_eq!(
            config.get("auth_url"),
            Some("https://keystone.example.com:5000/v3")
        );
        assert_eq!(config.get("password"), Some("s3cret"));
        assert_eq!(config.get("username"), Some("demo"));
        assert_eq!(config.region_name.as_deref(), Some("RegionOne"));
        assert_eq!(config.interface.as_deref(), Some("internal"));
        assert!(!format!("{config:?}").contains("s3cret"));
        // Numbers are kept as text.
        let flags = Flags {
            cloud: Some("other".into()),
            ..Flags::default()
        };
        let other = load(&flags, &sources(&dir, &[])).unwrap().unwrap();
        assert_eq!(other.get("project_id"), Some("1234"));
    }

    #[test]
    fn flags_beat_variables_beat_the_file() {
        let dir = temp();
        std::fs::write(dir.join("cwd/clouds.yaml"), CLOUDS).ok();
        // The current directory comes before the home directory.
        std::fs::write(
            dir.join("home/.config/openstack/clouds.yaml"),
            "clouds: {demo: {auth: {auth_url: 'https://wrong.example.com'}}}",
        )
        .ok();
        let env = [
            ("OS_CLOUD", "demo"),
            ("OS_USERNAME", "from-env"),
            ("OS_PROJECT_NAME", "env-project"),
            ("OS_REGION_NAME", "RegionTwo"),
        ];
        let flags = Flags {
            project_name: Some("flag-project".into()),
            ..Flags::default()
        };
        let config = load(&flags, &sources(&dir, &env)).unwrap().unwrap();
        assert_eq!(
            config.get("auth_url"),
            Some("https://keystone.example.com:5000/v3")
        );
        assert_eq!(config.get("username"), Some("from-env"));
        assert_eq!(config.get("project_name"), Some("flag-project"));
        assert_eq!(config.region_name.as_deref(), Some("RegionTwo"));
        // OS_CLIENT_CONFIG_FILE comes first of all.
        let special = dir.join("special.yaml");
        std::fs::write(
            &special,
            "clouds: {demo: {auth: {auth_url: 'https://special.example.com'}}}",
        )
        .ok();
        let special_text = special.display().to_string();
        let env = [
            ("OS_CLOUD", "demo"),
            ("OS_CLIENT_CONFIG_FILE", special_text.as_str()),
        ];
        let config = load(&Flags::default(), &sources(&dir, &env))
            .unwrap()
            .unwrap();
        assert_eq!(config.get("auth_url"), Some("https://special.example.com"));
    }

    #[test]
    fn openrc_variables_alone() {
        let dir = temp();
        let env = [
            ("OS_AUTH_URL", "https://keystone.example.com/v3"),
            ("OS_APPLICATION_CREDENTIAL_ID", "423f19a4"),
            ("OS_APPLICATION_CREDENTIAL_SECRET", "rEaqvJka48mpv"),
            ("OS_AUTH_TYPE", "v3applicationcredential"),
        ];
        let config = load(&Flags::default(), &sources(&dir, &env))
            .unwrap()
            .unwrap();
        assert_eq!(config.auth_type.as_deref(), Some("v3applicationcredential"));
        assert_eq!(
            config.get("application_credential_secret"),
            Some("rEaqvJka48mpv")
        );
        assert!(config.name.is_none());
        // Nothing at all: no sign-in.
        assert!(load(&Flags::default(), &sources(&dir, &[]))
            .unwrap()
            .is_none());
    }

    #[test]
    fn a_missing_cloud_names_the_files_searched() {
        let dir = temp();
        let flags = Flags {
            cloud: Some("demo".into()),
            ..Flags::default()
        };
        let e = load(&flags, &sources(&dir, &[])).err().unwrap();
        assert_eq!(e.code, "CLOUD_NOT_FOUND");
        for place in [
            "cwd/clouds.yaml",
            "home/.config/openstack/clouds.yaml",
            "etc/clouds.yaml",
        ] {
            assert!(e.message.contains(place), "{}", e.message);
        }
        std::fs::write(dir.join("etc/clouds.yaml"), CLOUDS).ok();
        let flags = Flags {
            cloud: Some("prod".into()),
            ..Flags::default()
        };
        let e = load(&flags, &sources(&dir, &[])).err().unwrap();
        assert_eq!(e.code, "CLOUD_NOT_FOUND");
        assert!(e.message.contains("demo, other"), "{}", e.message);
        std::fs::write(dir.join("etc/clouds.yaml"), "clouds: [unclosed").ok();
        let e = load(&flags, &sources(&dir, &[])).err().unwrap();
        assert_eq!(e.code, "CONFIG_INVALID");
    }
}
