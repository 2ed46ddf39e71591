//! Content tabs (Material's `=== "Label"`) in a real browser: without JavaScript every panel
//! shows under its label; with tabs.js each set is a WAI-ARIA tablist that arrow keys, Home
//! and End drive, and axe finds no serious problem on a page of admonitions and tabs in the
//! light and the dark theme.
//!
//! Needs Chromium and chromedriver (and `npm ci` in tests/js for axe); without them the
//! tests skip and say why.

#[path = "common/browser.rs"]
mod browser;
mod common;
#[path = "common/node.rs"]
mod node;

use browser::{Browser, Launch};
use common::Course;
use thirtyfour::prelude::Key;

const LESSON: &str = "# Tabs\n\n## Install\n\n=== \"Linux\"\n    apt install foo\n\n=== \"macOS\"\n    brew install foo\n\n===+ \"Windows\"\n    choco install foo\n\n!!! tip \"Colours\"\n    A tip.\n\n??? example \"More\"\n    Hidden.\n\n!!! quote\n    Quoted.\n\n!!! failure\n    Failed.\n";

fn built() -> Course {
    let course = Course::new().lesson("01-m/01-tabs.md", LESSON);
    course.build().assert_success().assert_no_warnings();
    course
}

async fn selected(b: &Browser) -> Vec<String> {
    let mut out = Vec::new();
    for tab in b.all("[role=tab]").await {
        if tab.attr("aria-selected").await.unwrap().as_deref() == Some("true") {
            out.push(tab.text().await.unwrap());
        }
    }
    out
}

async fn visible_panels(b: &Browser) -> Vec<String> {
    let mut out = Vec::new();
    for panel in b.all(".tabbed-block").await {
        if panel.is_displayed().await.unwrap() {
            out.push(panel.text().await.unwrap());
        }
    }
    out
}

#[tokio::test]
async fn without_javascript_every_panel_shows_under_its_label() {
    let Some(b) = Browser::launch(Launch::new().without_javascript()).await else {
        return;
    };
    let course = built();
    b.open(&course.path().join("public/m/tabs.html")).await;
    assert!(b.all("[role=tab]").await.is_empty());
    assert_eq!(
        visible_panels(&b).await,
        [
            "Linux\napt install foo",
            "macOS\nbrew install foo",
            "Windows\nchoco install foo"
        ]
    );
    b.close().await;
}

#[tokio::test]
async fn tabs_follow_the_aria_pattern_with_the_keyboard() {
    let Some(b) = Browser::launch(Launch::new()).await else {
        return;
    };
    let course = built();
    b.open(&course.path().join("public/m/tabs.html")).await;
    let list = b.one("[role=tablist]").await;
    assert_eq!(list.text().await.unwrap(), "Linux\nmacOS\nWindows");
    // `===+` chose the selected tab; only its panel shows, labelled by its tab.
    assert_eq!(selected(&b).await, ["Windows"]);
    assert_eq!(visible_panels(&b).await, ["choco install foo"]);
    let panel = b.one(".tabbed-block:not([hidden])").await;
    assert_eq!(
        panel.attr("role").await.unwrap().as_deref(),
        Some("tabpanel")
    );
    let labelled_by = panel.attr("aria-labelledby").await.unwrap().unwrap();
    assert_eq!(b.text(&format!("#{labelled_by}")).await, "Windows");
    // One tab stop: the selected tab.
    let tabindex: Vec<Option<String>> = {
        let mut v = Vec::new();
        for tab in b.all("[role=tab]").await {
            v.push(tab.attr("tabindex").await.unwrap());
        }
        v
    };
    assert_eq!(
        tabindex,
        [Some("-1".into()), Some("-1".into()), Some("0".into())]
    );
    b.script("document.querySelector('[role=tab][aria-selected=true]').focus(); return null")
        .await;
    b.press(Key::Right).await;
    assert_eq!(
        selected(&b).await,
        ["Linux"],
        "ArrowRight wraps to the first tab"
    );
    let focus = b.focused().await;
    assert_eq!(
        focus.id,
        "tab-1",
        "the focus moves with the selection: {}",
        focus.describe()
    );
    assert_eq!(visible_panels(&b).await, ["apt install foo"]);
    b.press(Key::Left).await;
    assert_eq!(selected(&b).await, ["Windows"]);
    b.press(Key::Home).await;
    assert_eq!(selected(&b).await, ["Linux"]);
    b.press(Key::End).await;
    assert_eq!(selected(&b).await, ["Windows"]);
    b.press(Key::Left).await;
    assert_eq!(selected(&b).await, ["macOS"]);
    assert_eq!(visible_panels(&b).await, ["brew install foo"]);
    b.click("[role=tab]:first-child").await;
    assert_eq!(selected(&b).await, ["Linux"]);
    b.close().await;
}

#[tokio::test]
async fn axe_finds_no_serious_problem_with_callouts_and_tabs() {
    let Some(axe_path) = node::tool("axe-core/axe.min.js") else {
        return;
    };
    let Some(b) = Browser::launch(Launch::new()).await else {
        return;
    };
    let axe = std::fs::read_to_string(axe_path).unwrap();
    let course = built();
    let mut problems = Vec::new();
    for theme in ["light", "dark"] {
        b.open(&course.path().join("public/m/tabs.html")).await;
        b.script(&format!(
            "document.documentElement.setAttribute('data-theme', '{theme}'); \
             document.querySelectorAll('details').forEach(d => d.open = true); return null"
        ))
        .await;
        let found = b.axe_violations(&axe).await;
        problems.extend(found.into_iter().map(|v| format!("{theme}: {v}")));
    }
    b.close().await;
    assert!(problems.is_empty(), "axe found:\n{}", problems.join("\n"));
}
