//! Every page of the bundled course (lessons, modules, quizzes, diagrams, the print page,
//! progress and 404) is valid HTML by html-validate's recommended rules, with the exceptions
//! `tests/js/htmlvalidate.cjs` lists and explains.

mod common;
#[path = "common/node.rs"]
mod node;

use std::path::PathBuf;

use common::build_bundled;

#[test]
fn every_page_of_the_bundled_course_is_valid_html() {
    if node::tool("html-validate/bin/html-validate.mjs").is_none() {
        return;
    }
    let (_out, site) = build_bundled("site");
    let pages: Vec<PathBuf> = walkdir::WalkDir::new(&site)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| e.path().to_path_buf())
        .collect();
    assert!(pages.len() > 20, "only {} pages", pages.len());
    node::assert_valid_html(&pages);
}

/// The validator is not a rubber stamp: a page with a real mistake fails.
#[test]
fn the_validator_rejects_a_broken_page() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("broken.html");
    std::fs::write(
        &page,
        "<!DOCTYPE html><html lang=\"en\"><head><title>x</title></head><body><main><p id=\"a\">x</p><p id=\"a\"><div>y</div></p></main></body></html>\n",
    )
    .unwrap();
    let Some(run) = node::html_validate(&[page]) else {
        return;
    };
    assert!(!run.status.success());
    let text = String::from_utf8_lossy(&run.stdout);
    assert!(text.contains("no-dup-id"), "{text}");
}
