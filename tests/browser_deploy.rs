//! Deploy anywhere: the bundled course's `public/` works straight from the file system and
//! from a sub-path of a web server, with nothing configured. Every relative link and asset of
//! every page resolves to a file of the site; in headless Chromium the stylesheet applies,
//! the scripts run, images load and links lead to working pages, both ways. (Search from
//! both is in tests/browser_search.rs.)

#[path = "common/browser.rs"]
mod browser;
mod common;

use std::time::{Duration, Instant};

use browser::{Browser, Launch, StaticSite};
use common::build_bundled;

#[test]
fn every_relative_link_and_asset_of_every_page_is_a_file_of_the_site() {
    let (_out, site) = build_bundled("course");
    let mut checked = 0;
    let mut broken = Vec::new();
    for entry in walkdir::WalkDir::new(&site)
        .into_iter()
        .filter_map(Result::ok)
    {
        let page = entry.path();
        // 404.html is served at any depth, so it links from the site's root (--base-path).
        if page.extension().is_none_or(|x| x != "html") || page.ends_with("404.html") {
            continue;
        }
        let html = scraper::Html::parse_document(&std::fs::read_to_string(page).unwrap());
        let selector =
            scraper::Selector::parse("a[href], link[href], script[src], img[src]").unwrap();
        for element in html.select(&selector) {
            let value = element.attr("href").or(element.attr("src")).unwrap();
            let path = value.split(['#', '?']).next().unwrap();
            if path.is_empty() || value.contains("://") || value.starts_with("mailto:") {
                continue;
            }
            assert!(
                !path.starts_with('/'),
                "{}: root-absolute {value}",
                page.display()
            );
            let target = page.parent().unwrap().join(path);
            checked += 1;
            if !target.is_file() {
                broken.push(format!(
                    "{} -> {value}",
                    page.strip_prefix(&site).unwrap().display()
                ));
            }
        }
    }
    assert!(checked > 300, "only {checked} links checked");
    assert!(
        broken.is_empty(),
        "links to nothing:\n{}",
        broken.join("\n")
    );
}

/// The page as a reader gets it: styled, scripted, its images drawn.
async fn assert_whole(browser: &Browser, at: &str) {
    let started = Instant::now();
    loop {
        let state = browser
            .script(
                "return {
                   styled: getComputedStyle(document.querySelector('.site-header')).position === 'sticky',
                   scripted: !document.querySelector('.theme-btn').hidden,
                   images: [...document.images].every(i => i.complete && i.naturalWidth > 0),
                 }",
            )
            .await;
        if state == serde_json::json!({"styled": true, "scripted": true, "images": true}) {
            return;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{at} is not whole: {state}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// From the home page, through the first module, to a lesson with an image, by clicking.
async fn walk(browser: &Browser, how: &str) {
    assert_whole(browser, &format!("home ({how})")).await;
    browser.click(".nav-module-link").await;
    assert_whole(browser, &format!("first module ({how})")).await;
    let url = browser.script("return location.href").await;
    assert!(
        url.as_str()
            .unwrap()
            .ends_with("/course/foundations/index.html"),
        "{url}"
    );
    browser
        .click(".nav-module.is-open a[href$='images-and-layers.html']")
        .await;
    assert_whole(browser, &format!("lesson ({how})")).await;
    let images = browser.script("return document.images.length").await;
    assert!(images.as_u64() > Some(0), "the lesson has an image");
}

#[tokio::test]
async fn the_site_works_from_the_file_system_and_from_a_sub_path() {
    let Some(browser) = Browser::launch(Launch::new()).await else {
        return;
    };
    let (out, site) = build_bundled("course");
    browser.open(&site.join("index.html")).await;
    walk(&browser, "file://").await;
    let server = StaticSite::serve(out.path());
    browser.goto(&server.url("course/index.html")).await;
    walk(&browser, "http sub-path").await;
    browser.close().await;
}
