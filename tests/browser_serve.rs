//! The live preview in a real browser: `coursebook serve` on a free port, a lesson open in
//! headless Chromium, and the lesson's file edited on disk by the test.

#[path = "common/browser.rs"]
mod browser;
mod common;
#[path = "common/server.rs"]
mod server;

use std::time::{Duration, Instant};

use browser::{Browser, Launch};
use common::Course;
use server::Server;

fn long_lesson(marker: &str) -> String {
    let mut text = String::from("# Long lesson\n\n");
    for i in 0..80 {
        text.push_str(&format!(
            "Paragraph {i} of a lesson long enough to scroll.\n\n"
        ));
    }
    text.push_str(marker);
    text.push('\n');
    text
}

/// Polls `js` in the page until it returns true (the page may reload meanwhile).
async fn eventually(b: &Browser, what: &str, js: &str) {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        if b.driver()
            .execute(js, Vec::new())
            .await
            .ok()
            .and_then(|r| r.json().as_bool())
            == Some(true)
        {
            return;
        }
        assert!(Instant::now() < deadline, "never: {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn an_edit_reloads_the_page_in_place_and_errors_show_over_it() {
    let Some(b) = Browser::launch(Launch::new()).await else {
        return;
    };
    let course = Course::new()
        .lesson("01-m/01-long.md", long_lesson("First version."))
        .lesson("01-m/02-other.md", "# Other\n\nText.\n");
    let server = Server::start(course.path(), 0, &[]);
    b.goto(&format!("http://127.0.0.1:{}/m/long.html", server.port))
        .await;
    eventually(
        &b,
        "the live script connected",
        "return !!document.querySelector('script[src=\"/__coursebook/live.js\"]')",
    )
    .await;
    // Give the event stream a moment to open, then scroll down the page.
    tokio::time::sleep(Duration::from_millis(300)).await;
    b.script("window.scrollTo(0, 1200); window.__before_reload = true; return null")
        .await;
    let scrolled = b.script("return Math.round(window.scrollY)").await;
    assert_eq!(scrolled, serde_json::json!(1200));

    let file = course.path().join("content/01-m/01-long.md");
    std::fs::write(&file, long_lesson("Second version.")).unwrap();
    eventually(
        &b,
        "the new text after a reload",
        "return !window.__before_reload && document.body.textContent.includes('Second version.')",
    )
    .await;
    eventually(
        &b,
        "the same scroll position",
        "return Math.abs(window.scrollY - 1200) < 2",
    )
    .await;

    // A broken save: the overlay appears over the last good page...
    std::fs::write(&file, "+++\ntitle = \n+++\n").unwrap();
    eventually(
        &b,
        "the error overlay",
        "return !!document.getElementById('cb-serve-overlay')",
    )
    .await;
    let overlay = b.text("#cb-serve-overlay").await;
    assert!(overlay.contains("invalid front matter"), "{overlay}");
    assert!(overlay.contains("content/01-m/01-long.md:2:9"), "{overlay}");
    assert!(
        b.script("return document.body.textContent.includes('Second version.')")
            .await
            == serde_json::json!(true)
    );
    // ...and fixing the file clears it, with the fix shown.
    std::fs::write(&file, long_lesson("Third version.")).unwrap();
    eventually(
        &b,
        "the fix without the overlay",
        "return document.body.textContent.includes('Third version.') && !document.getElementById('cb-serve-overlay')",
    )
    .await;

    // An edit to another page does not reload this one.
    b.script("window.__still_here = true; return null").await;
    std::fs::write(
        course.path().join("content/01-m/02-other.md"),
        "# Other\n\nChanged.\n",
    )
    .unwrap();
    server.wait_for("/m/other.html", "the other page's edit", |body| {
        body.contains("Changed.")
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        b.script("return window.__still_here === true").await,
        serde_json::json!(true)
    );
    b.close().await;
}

#[tokio::test]
async fn a_page_reconnects_and_catches_up_after_the_server_restarts() {
    let Some(b) = Browser::launch(Launch::new()).await else {
        return;
    };
    let course = Course::new().lesson("01-m/01-a.md", "# A\n\nBefore the restart.\n");
    let server = Server::start(course.path(), 0, &[]);
    let port = server.port;
    b.goto(&format!("http://127.0.0.1:{port}/m/a.html")).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    drop(server);
    std::fs::write(
        course.path().join("content/01-m/01-a.md"),
        "# A\n\nAfter the restart.\n",
    )
    .unwrap();
    let _again = Server::start(course.path(), port, &[]);
    eventually(
        &b,
        "the page reloaded from the new server",
        "return document.body.textContent.includes('After the restart.')",
    )
    .await;
    b.close().await;
}

/// Every line the server printed since the last call.
fn printed(server: &Server) -> String {
    std::iter::from_fn(|| server.log.try_recv().ok())
        .collect::<Vec<_>>()
        .join("\n")
}

#[tokio::test]
async fn search_in_the_preview_is_indexed_when_asked_for_not_on_every_save() {
    let Some(b) = Browser::launch(Launch::new()).await else {
        return;
    };
    let course = Course::new()
        .lesson("01-m/01-a.md", "# Alpha\n\nAbout ports.\n")
        .lesson("01-m/02-b.md", "# Beta\n\nAbout volumes.\n");
    let server = Server::start(course.path(), 0, &[]);
    // The first request for the index makes it.
    let entry = server.get("/pagefind/pagefind-entry.json");
    assert_eq!(entry.status, 200, "{}", entry.body);
    std::thread::sleep(Duration::from_millis(200));
    assert!(
        printed(&server).contains("indexed 2 pages for search"),
        "the index is made on the first request"
    );

    // Saving a lesson rebuilds its page but leaves the index alone...
    std::fs::write(
        course.path().join("content/01-m/02-b.md"),
        "# Beta\n\nAbout volumes and the quokkaword.\n",
    )
    .unwrap();
    server.wait_for("/m/b.html", "the edit", |body| body.contains("quokkaword"));
    std::thread::sleep(Duration::from_millis(300));
    let log = printed(&server);
    assert!(log.contains("rebuilt"), "{log}");
    assert!(!log.contains("indexed"), "saving re-indexed: {log}");

    // ...until a search needs it, which then finds the new word.
    b.goto(&format!("http://127.0.0.1:{}/m/a.html", server.port))
        .await;
    b.one("main").await;
    b.press("/").await;
    eventually(
        &b,
        "the search box",
        "return !!document.querySelector('dialog[open] .search-input')",
    )
    .await;
    b.type_into(".search-input", "quokkaword").await;
    eventually(
        &b,
        "the edited lesson found",
        "const a = document.querySelector('.search-results a'); return !!a && a.href.includes('/m/b.html')",
    )
    .await;
    assert!(printed(&server).contains("indexed 2 pages for search"));
    b.close().await;
}
