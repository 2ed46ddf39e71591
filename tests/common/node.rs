//! The npm tools the tests run on built sites (`tests/js/package.json`: html-validate and
//! axe-core), installed by `scripts/test` with `npm ci`. Without them a test says why on
//! stderr and skips; under CI (`CI=true`) it panics instead: CI must never skip them.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// `tests/js/node_modules/<rel>`, if it is installed (and `node` with it).
pub fn tool(rel: &str) -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/js/node_modules")
        .join(rel);
    let node = std::process::Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    let missing = if !node {
        "no `node` on PATH (apt-get install nodejs npm)".to_string()
    } else if !path.exists() {
        format!("{} is missing (run `npm ci` in tests/js)", path.display())
    } else {
        return Some(path);
    };
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{missing}: under CI this test must run");
    }
    eprintln!("skipped: {missing}");
    None
}
