//! Search in a real browser: the bundled course and small fixtures built by the real binary,
//! opened in headless Chromium over HTTP from a sub-path and straight from the file system,
//! and searched the way a reader does (the `/` key, typing, arrow keys, the module filter).
//!
//! Needs `/usr/bin/chromium` and `/usr/bin/chromedriver`; without them the tests skip and say
//! so, except under CI, where they fail.

#[path = "common/browser.rs"]
mod browser;
mod common;

use std::time::{Duration, Instant};

use browser::{Browser, Key, Launch, StaticSite};
use common::{Course, build_bundled};

/// Opens the search (with the `/` key), types `query` and waits for the results; returns the
/// results' (title, where, href), best first.
async fn search(browser: &Browser, query: &str) -> Vec<(String, String, String)> {
    browser.one("main").await;
    browser.press("/").await;
    let input = wait_for(browser, "dialog.search-dialog[open] .search-input").await;
    input.clear().await.unwrap();
    input.send_keys(query).await.unwrap();
    wait_for_results(browser, query).await
}

/// The element `css` selects, once there is one (search.js loads on first use).
async fn wait_for(browser: &Browser, css: &str) -> browser::WebElement {
    let started = Instant::now();
    loop {
        if let Some(found) = browser.all(css).await.into_iter().next() {
            return found;
        }
        assert!(started.elapsed() < Duration::from_secs(10), "no {css}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn wait_for_results(browser: &Browser, query: &str) -> Vec<(String, String, String)> {
    let started = Instant::now();
    loop {
        let status = browser.text(".search-status").await;
        if status.contains(&format!("“{query}”")) {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "no results shown for {query:?}; status: {status:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let found = browser
        .script(
            "return [...document.querySelectorAll('.search-results a')].map(a => [
                a.querySelector('.search-title').textContent,
                (a.querySelector('.search-where') || {}).textContent || '',
                a.getAttribute('href')])",
        )
        .await;
    serde_json::from_value(found).unwrap()
}

fn first_href(found: &[(String, String, String)], query: &str) -> String {
    found
        .first()
        .unwrap_or_else(|| panic!("no results for {query:?}"))
        .2
        .clone()
}

#[tokio::test]
async fn bundled_course_search_over_http_from_a_sub_path() {
    let Some(browser) = Browser::launch(Launch::new()).await else {
        return;
    };
    let (out, _) = build_bundled("course");
    let server = StaticSite::serve(out.path());
    browser
        .goto(&server.url("course/building-images/dockerfiles.html"))
        .await;

    // A command with punctuation and spaces finds the lesson that runs it.
    let found = search(&browser, "docker compose down").await;
    let href = first_href(&found, "docker compose down");
    assert!(
        href.contains("/course/compose/docker-compose.html"),
        "{found:?}"
    );
    assert_eq!(found[0].0, "Docker Compose", "{found:?}");
    assert!(
        found[0].1.starts_with("Docker Compose"),
        "module shown: {found:?}"
    );
    let marks = browser.all(".search-results li:first-child mark").await;
    assert!(!marks.is_empty(), "the hit is highlighted in the excerpt");

    // A word from one lesson's topic puts that lesson first.
    let found = search(&browser, "multi-stage").await;
    assert!(
        first_href(&found, "multi-stage").contains("building-images/multi-stage-builds.html"),
        "{found:?}"
    );

    // Keyboard: down from the box reaches the first result; Enter follows it.
    browser.press(Key::Down).await;
    let focused = browser
        .script("return document.activeElement.getAttribute('href')")
        .await;
    assert_eq!(focused.as_str(), Some(found[0].2.as_str()));
    browser.press(Key::Enter).await;
    let started = Instant::now();
    while !browser
        .script("return location.pathname")
        .await
        .as_str()
        .is_some_and(|p| p.ends_with("/course/building-images/multi-stage-builds.html"))
    {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "Enter did not follow the result"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    // The module filter keeps only that module's pages.
    let found = search(&browser, "volume").await;
    assert!(
        found.iter().any(|r| r.1.starts_with("Networking")),
        "{found:?}"
    );
    assert!(
        found.iter().any(|r| !r.1.starts_with("Networking")),
        "{found:?}"
    );
    browser
        .script(
            "document.querySelector('.search-status').textContent = '';
             const s = document.querySelector('.search-module');
             s.value = [...s.options].find(o => o.text.startsWith('Networking')).value;
             s.dispatchEvent(new Event('change'));",
        )
        .await;
    let found = wait_for_results(&browser, "volume").await;
    assert!(!found.is_empty());
    assert!(
        found.iter().all(|r| r.1.starts_with("Networking")),
        "{found:?}"
    );

    let shot = browser::artifacts_dir().join("search-http.png");
    std::fs::create_dir_all(shot.parent().unwrap()).unwrap();
    browser.driver().screenshot(&shot).await.unwrap();
    // Escape closes the dialog and gives the focus back to the page.
    browser.one(".search-input").await.focus().await.unwrap();
    browser.press(Key::Escape).await;
    assert!(!browser.is_displayed("dialog.search-dialog").await);
    browser.close().await;
}

#[tokio::test]
async fn bundled_course_search_from_the_file_system() {
    let Some(browser) = Browser::launch(Launch::new()).await else {
        return;
    };
    let (out, _) = build_bundled("course");
    browser
        .open(&out.path().join("course/foundations/the-problem.html"))
        .await;
    browser.click(".search-btn").await;
    let found = {
        let input = wait_for(&browser, "dialog.search-dialog[open] .search-input").await;
        input.send_keys("healthcheck").await.unwrap();
        wait_for_results(&browser, "healthcheck").await
    };
    let href = first_href(&found, "healthcheck");
    assert!(href.starts_with("file://"), "{href}");
    assert!(href.contains("compose/docker-compose.html"), "{found:?}");
    // The link opens the lesson's file.
    browser.click(".search-results li:first-child a").await;
    let started = Instant::now();
    loop {
        let title = browser.script("return document.title").await;
        if title
            .as_str()
            .is_some_and(|t| t.starts_with("Docker Compose"))
        {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "still at {title}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    browser.close().await;
}

#[tokio::test]
async fn chinese_words_are_found_inside_sentences() {
    let Some(browser) = Browser::launch(Launch::new()).await else {
        return;
    };
    let course = Course::bare()
        .file(
            "book.toml",
            "[book]\ntitle = \"容器入门\"\nlanguage = \"zh-CN\"\n",
        )
        .lesson(
            "01-basics/_index.md",
            "---\ntitle: 基础\n---\n\n本模块介绍基础知识。\n",
        )
        .lesson(
            "01-basics/01-containers.md",
            "# 容器\n\n我们使用容器来运行应用程序，每个容器都有自己的文件系统。\n",
        )
        .lesson(
            "01-basics/02-images.md",
            "# 镜像\n\n镜像是只读的模板，由多个层组成。构建镜像需要一个文件。\n",
        );
    course.build().assert_success();
    browser
        .open(&course.path().join("public/basics/containers.html"))
        .await;
    // 模板 (template) sits in the middle of a sentence: only word segmentation finds it.
    let found = search(&browser, "模板").await;
    assert!(
        first_href(&found, "模板").ends_with("basics/images.html")
            || first_href(&found, "模板").contains("basics/images.html#"),
        "{found:?}"
    );
    let found = search(&browser, "运行").await;
    assert!(
        first_href(&found, "运行").contains("basics/containers.html"),
        "{found:?}"
    );
    browser.close().await;
}

#[tokio::test]
async fn no_search_button_without_search() {
    let course = Course::bare()
        .file(
            "book.toml",
            "[book]\ntitle = \"T\"\n[build]\nsearch = false\n",
        )
        .lesson("01-a/01-x.md", "# X\n\nText.\n");
    course.build().assert_success();
    assert!(!course.exists("public/pagefind"));
    assert!(course.page("a/x.html").select(".search-btn").is_empty());
    let on = Course::new().lesson("01-a/01-x.md", "# X\n\nText.\n");
    on.build().assert_success();
    assert!(on.exists("public/pagefind/pagefind-entry.json"));
    assert!(on.exists("public/pagefind/pagefind-entry.json.js"));
    assert!(on.exists("public/pagefind/search-runtime.js"));
    assert_eq!(on.page("a/x.html").select(".search-btn").len(), 1);
}
