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

/// html-validate's verdict on `pages`, by the project's rules (`tests/js/htmlvalidate.cjs`),
/// in its text format; `None` when it is not installed (see [`tool`]).
pub fn html_validate(pages: &[PathBuf]) -> Option<std::process::Output> {
    let validator = tool("html-validate/bin/html-validate.mjs")?;
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = std::process::Command::new("node")
        .arg(&validator)
        .arg("--config")
        .arg(repo.join("tests/js/htmlvalidate.cjs"))
        .arg("--formatter")
        .arg("text")
        .args(pages)
        .output()
        .expect("running html-validate");
    Some(run)
}

/// Fails when html-validate finds a problem in `pages` (skips when it is not installed).
pub fn assert_valid_html(pages: &[PathBuf]) {
    let Some(run) = html_validate(pages) else {
        return;
    };
    assert!(
        run.status.success(),
        "html-validate found problems:\n{}{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
}
