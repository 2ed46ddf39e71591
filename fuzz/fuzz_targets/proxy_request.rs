//! The scoping proxy's reading of a lesson's Docker API request: any path, query and body is
//! parsed without a panic, and every container config the policy accepts keeps the sandbox:
//! no privileged mode, no host port binding, no bind mount from outside the lesson's folder,
//! the sandbox's labels on it, and no key the engine would read as a checked field.
#![no_main]

use std::collections::BTreeMap;
use std::path::PathBuf;

use coursebook::verify::proxy::{policy, split_version};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

// An input is a request as the proxy sees it: the target (path and query) on the first line,
// the body after it, so seeds are plain Docker API requests.
fuzz_target!(|input: &[u8]| {
    let split = input
        .iter()
        .position(|&b| b == b'\n')
        .unwrap_or(input.len());
    let target = String::from_utf8_lossy(&input[..split]);
    let body = input.get(split + 1..).unwrap_or_default();
    let (path, query) = target.split_once('?').unwrap_or((&target, ""));
    let _ = split_version(path);
    let pairs = policy::query_pairs(query);
    let filters = policy::with_label_filter(policy::param(&pairs, "filters"), "k=v");
    let _ = policy::set_param(query, "filters", filters);
    let _ = policy::query_string(&pairs);

    let Ok(parsed) = policy::parse_body(body) else {
        return;
    };
    let _ = policy::volume_create(&parsed);
    let scope = policy::Scope {
        labels: BTreeMap::from([("sandbox".to_string(), "s1".to_string())]),
        filter: "sandbox=s1".to_string(),
        work: PathBuf::from("/nonexistent-lesson/work"),
        images: BTreeMap::new(),
    };
    let mut config = parsed;
    if policy::container_create(&mut config, &scope).is_err() {
        return;
    }
    let labels = config.get("Labels").and_then(Value::as_object);
    assert_eq!(
        labels.and_then(|l| l.get("sandbox")),
        Some(&Value::from("s1")),
        "accepted without the sandbox label: {config}"
    );
    let Some(host) = config.get("HostConfig").and_then(Value::as_object) else {
        return;
    };
    assert_ne!(host.get("Privileged"), Some(&Value::Bool(true)), "{config}");
    assert!(host.get("PortBindings").is_none(), "{config}");
    assert!(host.get("PublishAllPorts").is_none(), "{config}");
    for bind in host
        .get("Binds")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let source = bind.as_str().unwrap_or("").split(':').next().unwrap_or("");
        assert!(
            !source.starts_with('/') || source.starts_with("/nonexistent-lesson/work"),
            "bind from outside the lesson's folder accepted: {config}"
        );
    }
});
