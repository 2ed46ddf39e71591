//! Policy: what a lesson's Docker API calls may do, as pure edits and checks of the request
//! (no I/O). The proxy asks the engine about the objects these name.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use serde_json::{Map, Value};

/// The session a proxy serves: its labels, its folder and the image aliases.
pub struct Scope {
    /// Labels every object the lesson creates gets (the sandbox's, the run's, the host's).
    pub labels: BTreeMap<String, String>,
    /// `key=value` of the sandbox label, for list and prune filters.
    pub filter: String,
    /// The lesson's folder on the host: the only place bind mounts may come from.
    pub work: PathBuf,
    /// `[verify.images]`.
    pub images: BTreeMap<String, String>,
}

impl Scope {
    /// The image a lesson's name stands for (`busybox` -> `local/busybox`).
    pub fn image(&self, name: &str) -> String {
        crate::config::mapped_image(&self.images, name)
            .unwrap_or_else(|| crate::config::short_image_name(name))
            .to_string()
    }
}

/// Objects a create request names that the proxy must check are the lesson's own.
#[derive(Default, Debug)]
pub struct Named {
    pub containers: Vec<String>,
    pub volumes: Vec<String>,
    pub networks: Vec<String>,
    /// Published ports (`-p`), taken out of the request: see [`ports`](super::ports).
    pub ports: Vec<Published>,
    /// `-P`: every exposed port, on a free port.
    pub publish_all: bool,
}

/// One `-p [ip:][host:]port[/proto]` of a container.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Published {
    pub host_ip: String,
    /// `None`: any free port (`-p 80`).
    pub host_port: Option<u16>,
    pub port: u16,
    pub proto: String,
}

/// The process limit of a lesson's containers when the lesson sets none.
pub const DEFAULT_PIDS: i64 = 1024;

/// The memory limit of a lesson's containers when the lesson sets none: 1 GiB.
pub const DEFAULT_MEMORY: i64 = 1 << 30;

/// Why a volume with driver options is refused: the local driver's `o=bind,device=/etc`
/// mounts any host folder.
const VOLUME_OPTIONS: &str = "volume driver options (they can bind any host folder)";

/// The fields of request bodies that the proxy reads or sets. The engine (Go's
/// `encoding/json`) matches a key to a field ignoring case, Unicode's simple case folding
/// included (`ſ` is `s`, `K` the Kelvin sign is `k`): `"privileged": true` asks for
/// privileged mode as `"Privileged": true` does. A key spelled otherwise than these would
/// reach the engine unchecked, so [`parse_body`] refuses it.
const CHECKED_FIELDS: &[&str] = &[
    "Image",
    "Labels",
    "HostConfig",
    "NetworkingConfig",
    "EndpointsConfig",
    "Privileged",
    "PidMode",
    "IpcMode",
    "NetworkMode",
    "UTSMode",
    "UsernsMode",
    "CgroupnsMode",
    "Devices",
    "DeviceRequests",
    "DeviceCgroupRules",
    "CapAdd",
    "SecurityOpt",
    "Binds",
    "Mounts",
    "Type",
    "Source",
    "VolumeOptions",
    "DriverConfig",
    "VolumesFrom",
    "PortBindings",
    "PublishAllPorts",
    "HostIp",
    "HostPort",
    "PidsLimit",
    "Memory",
    "Driver",
    "DriverOpts",
    "Container",
];

/// Objects whose keys are names chosen by the lesson (labels, options, ports, networks),
/// not fields: their keys are not checked, their values are.
const NAME_MAPS: &[&str] = &[
    "Labels",
    "DriverOpts",
    "Options",
    "Sysctls",
    "StorageOpt",
    "Annotations",
    "ExposedPorts",
    "Volumes",
    "PortBindings",
    "EndpointsConfig",
];

/// A request body as the policy reads it: JSON, with every field it checks spelled as the
/// engine documents it. A body that does not parse is refused rather than passed on: the
/// engine's decoder takes what serde_json refuses (trailing bytes, invalid UTF-8), so an
/// unparsed body would reach it unchecked.
pub fn parse_body(bytes: &[u8]) -> Result<Value, String> {
    let value: Value = serde_json::from_slice(bytes)
        .map_err(|e| refused(format!("a request body that is not plain JSON ({e})")))?;
    check_spelling(&value, false)?;
    Ok(value)
}

fn check_spelling(value: &Value, names: bool) -> Result<(), String> {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                if !names
                    && let Some(field) = CHECKED_FIELDS
                        .iter()
                        .find(|f| **f != key && folded(f) == folded(key))
                {
                    return Err(refused(format!(
                        "the key `{key}` (the engine reads it as `{field}`; write that)"
                    )));
                }
                let inner_names = !names && NAME_MAPS.contains(&key.as_str()) && inner.is_object();
                if inner_names {
                    check_spelling(inner, true)?;
                } else {
                    check_spelling(inner, false)?;
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                check_spelling(item, false)?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// `text` case-folded the way Go's `encoding/json` compares keys (simple folding: `ſ` and
/// `S` both become `s`).
fn folded(text: &str) -> String {
    text.chars()
        .flat_map(char::to_uppercase)
        .flat_map(char::to_lowercase)
        .collect()
}

/// Checks a `POST /volumes/create` body: the local driver without options only.
pub fn volume_create(body: &Value) -> Result<(), String> {
    let driver = body
        .get("Driver")
        .and_then(Value::as_str)
        .unwrap_or("local");
    let options = body
        .get("DriverOpts")
        .and_then(Value::as_object)
        .is_some_and(|o| !o.is_empty());
    if driver != "local" && !driver.is_empty() {
        return Err(refused(format!("the `{driver}` volume driver")));
    }
    if options {
        return Err(refused(VOLUME_OPTIONS));
    }
    Ok(())
}

fn refused(reason: impl std::fmt::Display) -> String {
    format!("refused in a lesson sandbox: {reason}")
}

/// Checks and edits a `POST /containers/create` body: labels added, the image mapped, and
/// everything that would reach the host refused. Returns the objects it names.
pub fn container_create(body: &mut Value, scope: &Scope) -> Result<Named, String> {
    let Some(config) = body.as_object_mut() else {
        return Err(refused("a container config that is not a JSON object"));
    };
    add_labels(config, "Labels", scope);
    if let Some(Value::String(image)) = config.get("Image") {
        let mapped = scope.image(image);
        config.insert("Image".into(), Value::String(mapped));
    }
    let mut named = Named::default();
    if let Some(host) = config.get("HostConfig").and_then(Value::as_object) {
        host_config(host, scope, &mut named)?;
    }
    if let Some(host) = config.get_mut("HostConfig").and_then(Value::as_object_mut) {
        named.ports = take_port_bindings(host)?;
        named.publish_all = host.remove("PublishAllPorts").and_then(|v| v.as_bool()) == Some(true);
    }
    // A fork bomb in a lesson's container stops at a process limit, as verify's own
    // containers do, unless the lesson sets one itself.
    if let Some(host) = config.get_mut("HostConfig").and_then(Value::as_object_mut) {
        let unset = host
            .get("PidsLimit")
            .is_none_or(|v| v.is_null() || v.as_i64().is_some_and(|n| n <= 0));
        if unset {
            host.insert("PidsLimit".into(), Value::from(DEFAULT_PIDS));
        }
        // And a memory hog at a memory limit (enough for a database or a compiler).
        if host.get("Memory").and_then(Value::as_i64).unwrap_or(0) <= 0 {
            host.insert("Memory".into(), Value::from(DEFAULT_MEMORY));
        }
    }
    if let Some(endpoints) = config
        .get("NetworkingConfig")
        .and_then(|n| n.get("EndpointsConfig"))
        .and_then(Value::as_object)
    {
        named
            .networks
            .extend(endpoints.keys().filter(|n| !is_builtin_network(n)).cloned());
    }
    Ok(named)
}

fn host_config(host: &Map<String, Value>, scope: &Scope, named: &mut Named) -> Result<(), String> {
    let is = |key: &str, value: &str| host.get(key).and_then(Value::as_str) == Some(value);
    let nonempty = |key: &str| {
        host.get(key)
            .and_then(Value::as_array)
            .is_some_and(|a| !a.is_empty())
    };
    if host.get("Privileged").and_then(Value::as_bool) == Some(true) {
        return Err(refused("privileged mode"));
    }
    for (key, what) in [
        ("PidMode", "pid"),
        ("IpcMode", "ipc"),
        ("NetworkMode", "network"),
        ("UTSMode", "uts"),
        ("UsernsMode", "user"),
        ("CgroupnsMode", "cgroup"),
    ] {
        if is(key, "host") {
            return Err(refused(format!("the host's {what} namespace")));
        }
    }
    if nonempty("Devices") || nonempty("DeviceRequests") || nonempty("DeviceCgroupRules") {
        return Err(refused("devices"));
    }
    if nonempty("CapAdd") {
        return Err(refused("added capabilities"));
    }
    if host
        .get("SecurityOpt")
        .and_then(Value::as_array)
        .is_some_and(|opts| {
            opts.iter()
                .filter_map(Value::as_str)
                .any(|o| o.contains("unconfined"))
        })
    {
        return Err(refused("an unconfined security profile"));
    }
    for bind in host
        .get("Binds")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
    {
        let source = bind.split(':').next().unwrap_or_default();
        if source.starts_with('/') {
            bind_source(source, scope)?;
        } else if !source.is_empty() {
            named.volumes.push(source.to_string());
        }
    }
    for mount in host
        .get("Mounts")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let source = mount.get("Source").and_then(Value::as_str).unwrap_or("");
        let driver_options = mount
            .get("VolumeOptions")
            .and_then(|v| v.get("DriverConfig"))
            .is_some_and(|d| !d.is_null());
        if driver_options {
            return Err(refused(VOLUME_OPTIONS));
        }
        match mount.get("Type").and_then(Value::as_str) {
            Some("bind") => bind_source(source, scope)?,
            Some("volume") if !source.is_empty() => named.volumes.push(source.to_string()),
            Some("volume") | Some("tmpfs") | None => {}
            Some(other) => return Err(refused(format!("a `{other}` mount"))),
        }
    }
    for from in host
        .get("VolumesFrom")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
    {
        named
            .containers
            .push(from.split(':').next().unwrap_or(from).to_string());
    }
    if let Some(mode) = host.get("NetworkMode").and_then(Value::as_str) {
        if let Some(other) = mode.strip_prefix("container:") {
            named.containers.push(other.to_string());
        } else if !is_builtin_network(mode) {
            named.networks.push(mode.to_string());
        }
    }
    Ok(())
}

/// Removes `PortBindings` from a host config, returning them: nothing a lesson runs binds a
/// port on the host (where it could clash with the author's services, or another session's).
fn take_port_bindings(host: &mut Map<String, Value>) -> Result<Vec<Published>, String> {
    let Some(Value::Object(bindings)) = host.remove("PortBindings") else {
        return Ok(Vec::new());
    };
    let mut ports = Vec::new();
    for (spec, hosts) in bindings {
        let (port, proto) = spec.split_once('/').unwrap_or((&spec, "tcp"));
        let port: u16 = port
            .parse()
            .map_err(|_| refused(format!("the port `{spec}`")))?;
        for binding in hosts.as_array().into_iter().flatten() {
            let text = |key: &str| binding.get(key).and_then(Value::as_str).unwrap_or("");
            let host_port = match text("HostPort") {
                "" => None,
                p => Some(
                    p.parse()
                        .map_err(|_| refused(format!("the host port `{p}` (ranges too)")))?,
                ),
            };
            let host_ip = match text("HostIp") {
                "" => "0.0.0.0",
                ip => ip,
            };
            ports.push(Published {
                host_ip: host_ip.to_string(),
                host_port,
                port,
                proto: proto.to_string(),
            });
        }
    }
    Ok(ports)
}

/// Networks every engine has, which lessons may use.
pub fn is_builtin_network(name: &str) -> bool {
    matches!(name, "" | "default" | "bridge" | "none")
}

/// A bind mount may only come from the lesson's folder, and never be the Docker socket.
fn bind_source(source: &str, scope: &Scope) -> Result<(), String> {
    if source.ends_with("docker.sock") {
        return Err(refused("the Docker socket"));
    }
    let path = Path::new(source);
    let inside = path.starts_with(&scope.work)
        && !path.components().any(|c| matches!(c, Component::ParentDir))
        && resolved(path).starts_with(resolved(&scope.work));
    if inside {
        Ok(())
    } else {
        Err(refused(format!(
            "bind mount of {source} (only the lesson's folder can be mounted)"
        )))
    }
}

/// `path` with symbolic links resolved, as the engine will see it: the lesson writes its
/// folder, so `ln -s / escape` then `-v "$PWD/escape":/x` must not pass for a path inside it.
/// A path that does not exist yet (the engine creates it) resolves through its nearest
/// existing ancestor.
fn resolved(path: &Path) -> PathBuf {
    let mut missing = Vec::new();
    let mut at = path;
    loop {
        if let Ok(real) = std::fs::canonicalize(at) {
            return missing.iter().rev().fold(real, |p, part| p.join(part));
        }
        match (at.parent(), at.file_name()) {
            (Some(parent), Some(name)) => {
                missing.push(name.to_os_string());
                at = parent;
            }
            _ => return path.to_path_buf(),
        }
    }
}

/// Adds the scope's labels to the object `config[key]` (creating it).
pub fn add_labels(config: &mut Map<String, Value>, key: &str, scope: &Scope) {
    let labels = config
        .entry(key)
        .or_insert_with(|| Value::Object(Map::new()));
    if !labels.is_object() {
        *labels = Value::Object(Map::new());
    }
    if let Some(labels) = labels.as_object_mut() {
        insert_labels(labels, scope);
    }
}

/// Adds the scope's labels to a map of labels.
pub fn insert_labels(labels: &mut Map<String, Value>, scope: &Scope) {
    for (k, v) in &scope.labels {
        labels.insert(k.clone(), Value::String(v.clone()));
    }
}

/// The `filters` query value with the sandbox's label added, in the map form
/// (`{"label":{"k=v":true}}`) every engine version accepts, also for prunes.
pub fn with_label_filter(filters: Option<&str>, label: &str) -> String {
    let mut map: Map<String, Value> = filters
        .and_then(|f| serde_json::from_str::<Value>(f).ok())
        .and_then(|v| v.as_object().cloned())
        .unwrap_or_default();
    // The list form (`{"label":["a"]}`) becomes the map form.
    for value in map.values_mut() {
        if let Value::Array(items) = value {
            let as_map: Map<String, Value> = items
                .iter()
                .filter_map(Value::as_str)
                .map(|s| (s.to_string(), Value::Bool(true)))
                .collect();
            *value = Value::Object(as_map);
        }
    }
    let labels = map
        .entry("label")
        .or_insert_with(|| Value::Object(Map::new()));
    if let Some(labels) = labels.as_object_mut() {
        labels.insert(label.to_string(), Value::Bool(true));
    }
    Value::Object(map).to_string()
}

/// A query string as pairs, decoded.
pub fn query_pairs(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let decode = |s: &str| {
                percent_encoding::percent_decode_str(&s.replace('+', " "))
                    .decode_utf8_lossy()
                    .into_owned()
            };
            (decode(k), decode(v))
        })
        .collect()
}

/// The first value of `key` among `pairs`.
pub fn param<'a>(pairs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

/// Pairs back to a query string.
pub fn query_string(pairs: &[(String, String)]) -> String {
    let encode = |s: &str| {
        percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
    };
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// `query` with `key` set to `value` (replacing any earlier value).
pub fn set_param(query: &str, key: &str, value: String) -> String {
    let mut pairs: Vec<(String, String)> = query_pairs(query)
        .into_iter()
        .filter(|(k, _)| k != key)
        .collect();
    pairs.push((key.to_string(), value));
    query_string(&pairs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refusal(body: &str) -> String {
        parse_body(body.as_bytes()).expect_err(body)
    }

    #[test]
    fn fields_spelled_as_the_engine_would_still_read_them_are_refused() {
        for (body, key, field) in [
            (
                r#"{"hostconfig":{"Privileged":true}}"#,
                "hostconfig",
                "HostConfig",
            ),
            (
                r#"{"HostConfig":{"privileged":true}}"#,
                "privileged",
                "Privileged",
            ),
            (r#"{"HostConfig":{"BINDS":["/etc:/x"]}}"#, "BINDS", "Binds"),
            // Go folds the long s to s and the Kelvin sign to k, as Unicode does.
            (r#"{"Hoſtconfig":{}}"#, "Hoſtconfig", "HostConfig"),
            (
                r#"{"HostConfig":{"Mounts":[{"type":"bind"}]}}"#,
                "type",
                "Type",
            ),
            (
                r#"{"HostConfig":{"PortBindings":{"80/tcp":[{"hostport":"80"}]}}}"#,
                "hostport",
                "HostPort",
            ),
            (r#"{"driveropts":{"o":"bind"}}"#, "driveropts", "DriverOpts"),
        ] {
            assert_eq!(
                refusal(body),
                format!(
                    "refused in a lesson sandbox: the key `{key}` (the engine reads it as `{field}`; write that)"
                ),
                "{body}"
            );
        }
    }

    #[test]
    fn names_chosen_by_the_lesson_may_look_like_fields() {
        let body = r#"{"Labels":{"image":"x","type":"y"},"DriverOpts":{"memory":"1"},
            "HostConfig":{"PortBindings":{"80/tcp":[{"HostPort":"8080"}]}},
            "NetworkingConfig":{"EndpointsConfig":{"source":{}}},"Cmd":["privileged"]}"#;
        assert!(parse_body(body.as_bytes()).is_ok());
    }

    #[test]
    fn a_body_the_engine_would_read_differently_is_refused() {
        // Go's decoder stops after the first value; serde_json refuses the rest.
        assert!(refusal(r#"{"Privileged":true} x"#).starts_with(
            "refused in a lesson sandbox: a request body that is not plain JSON (trailing characters"
        ));
        assert!(
            parse_body(b"{\"Cmd\":[\"\xff\"]}").is_err(),
            "invalid UTF-8"
        );
    }
}
