//! Every page of the bundled course (lessons, modules, quizzes, diagrams, the print page,
//! progress and 404) is valid HTML by html-validate's recommended rules, with the exceptions
//! `tests/js/htmlvalidate.cjs` lists and explains.

mod common;
#[path = "common/node.rs"]
mod node;

use std::path::Path;
use std::process::Command;

use common::build_bundled;

#[test]
fn every_page_of_the_bundled_course_is_valid_html() {
    let Some(validator) = node::tool("html-validate/bin/html-validate.mjs") else {
        return;
    };
    let (_out, site) = build_bundled("site");
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let pages: Vec<String> = walkdir::WalkDir::new(&site)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| e.path().display().to_string())
        .collect();
    assert!(pages.len() > 20, "only {} pages", pages.len());
    let run = Command::new("node")
        .arg(&validator)
        .arg("--config")
        .arg(repo.join("tests/js/htmlvalidate.cjs"))
        .arg("--formatter")
        .arg("text")
        .args(&pages)
        .output()
        .expect("running html-validate");
    assert!(
        run.status.success(),
        "html-validate found problems:\n{}{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
}

/// The validator is not a rubber stamp: a page with a real mistake fails.
#[test]
fn the_validator_rejects_a_broken_page() {
    let Some(validator) = node::tool("html-validate/bin/html-validate.mjs") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("broken.html");
    std::fs::write(
        &page,
        "<!DOCTYPE html><html lang=\"en\"><head><title>x</title></head><body><main><p id=\"a\">x</p><p id=\"a\"><div>y</div></p></main></body></html>\n",
    )
    .unwrap();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = Command::new("node")
        .arg(&validator)
        .arg("--config")
        .arg(repo.join("tests/js/htmlvalidate.cjs"))
        .arg(&page)
        .output()
        .expect("running html-validate");
    assert!(!run.status.success());
    let text = String::from_utf8_lossy(&run.stdout);
    assert!(text.contains("no-dup-id"), "{text}");
}
