//! Accessibility in a real browser: axe-core (`tests/js`, npm) injected into the bundled
//! course's pages in headless Chromium finds no serious or critical violation on the home
//! page, a module page, a lesson with a quiz and a diagram, the print page and the search
//! results, in the light and the dark theme.
//!
//! Needs Chromium, chromedriver and `npm ci` in tests/js (`scripts/test` does all three);
//! without them the test skips and says why, except under CI, where it fails.

#[path = "common/browser.rs"]
mod browser;
mod common;
#[path = "common/node.rs"]
mod node;

use std::time::{Duration, Instant};

use browser::{Browser, Launch, StaticSite};
use common::build_bundled;

#[tokio::test]
async fn no_serious_violations_on_the_main_kinds_of_page_in_both_themes() {
    let Some(axe_path) = node::tool("axe-core/axe.min.js") else {
        return;
    };
    let Some(browser) = Browser::launch(Launch::new()).await else {
        return;
    };
    let axe = std::fs::read_to_string(axe_path).unwrap();
    let (_out, site) = build_bundled("site");
    let server = StaticSite::serve(&site);

    let pages = [
        "index.html",
        "foundations/index.html",
        // A quiz and a diagram.
        "foundations/images-and-layers.html",
        "print.html",
    ];
    let mut problems = Vec::new();
    for theme in ["light", "dark"] {
        for page in pages {
            browser.goto(&server.url(page)).await;
            browser
                .script(&format!(
                    "document.documentElement.setAttribute('data-theme', '{theme}'); return null"
                ))
                .await;
            for v in browser.axe_violations(&axe).await {
                problems.push(format!("{page} ({theme}): {v}"));
            }
        }
        // The search dialog with results.
        browser
            .goto(&server.url("building-images/dockerfiles.html"))
            .await;
        browser
            .script(&format!(
                "document.documentElement.setAttribute('data-theme', '{theme}'); return null"
            ))
            .await;
        browser.click(".search-btn").await;
        let started = Instant::now();
        while browser.all("dialog[open] .search-input").await.is_empty() {
            assert!(started.elapsed() < Duration::from_secs(10), "no search box");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        browser.type_into(".search-input", "volume").await;
        while !browser.text(".search-status").await.contains("results") {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "no search results"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        for v in browser.axe_violations(&axe).await {
            problems.push(format!("search results ({theme}): {v}"));
        }
    }
    browser.close().await;
    assert!(problems.is_empty(), "axe found:\n{}", problems.join("\n"));
}

/// axe is not a rubber stamp here: a page with real problems is reported.
#[tokio::test]
async fn axe_reports_a_page_with_real_problems() {
    let Some(axe_path) = node::tool("axe-core/axe.min.js") else {
        return;
    };
    let Some(browser) = Browser::launch(Launch::new()).await else {
        return;
    };
    let axe = std::fs::read_to_string(axe_path).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("bad.html");
    std::fs::write(
        &page,
        "<!DOCTYPE html><html lang=\"en\"><head><title>bad</title></head><body><main>\
         <p style=\"color:#bbb;background:#fff\">Faint text</p><img src=\"x.png\">\
         <button></button></main></body></html>",
    )
    .unwrap();
    browser.open(&page).await;
    let found = browser.axe_violations(&axe).await.join("\n");
    browser.close().await;
    for rule in ["color-contrast", "image-alt", "button-name"] {
        assert!(found.contains(rule), "{rule} not reported:\n{found}");
    }
}
