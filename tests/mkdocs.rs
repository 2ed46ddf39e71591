//! MkDocs projects build unchanged: a Material for MkDocs site written to Material's
//! documented syntax (tests/fixtures/material-site) builds with no errors, its pages in
//! `nav` order under `nav`'s sections, with the headings its Markdown has; `mkdocs.yml`'s
//! settings are honoured or reported once, with their line.

mod common;
use common::{Course, Page, text};

/// The sidebar's entries, in order: (link, label); sections have no link.
fn sidebar(page: &Page) -> Vec<(Option<String>, String)> {
    page.select(".nav-module-link, .nav-lessons > li")
        .iter()
        .map(|e| {
            let link = if e.value().name() == "a" {
                e.value().attr("href").map(str::to_string)
            } else {
                e.select(&scraper::Selector::parse("a").unwrap())
                    .next()
                    .and_then(|a| a.value().attr("href").map(str::to_string))
            };
            let heading = if e.value().name() == "a" { "# " } else { "" };
            (link, format!("{heading}{}", text(e)))
        })
        .collect()
}

/// A lesson's headings as (level, id, text), leaving out tab labels (Material shows them as
/// tabs, not headings) and the "#" self-links.
fn headings(page: &Page) -> Vec<(String, String, String)> {
    page.select("article.lesson :is(h1, h2, h3, h4, h5, h6):not(.tabbed-label)")
        .iter()
        .map(|h| {
            (
                h.value().name().to_string(),
                h.value().attr("id").unwrap_or_default().to_string(),
                text(h).trim_end_matches('#').trim().to_string(),
            )
        })
        .collect()
}

fn h(level: &str, id: &str, text: &str) -> (String, String, String) {
    (level.into(), id.into(), text.into())
}

#[test]
fn a_material_site_builds_in_nav_order_with_its_headings() {
    let course = Course::fixture("material-site");
    let run = course.build();
    run.assert_success();
    let shown = run.diagnostics();
    assert!(shown.ends_with("0 errors, 2 warnings"), "{shown}");
    assert!(
        shown.contains("warning: 3 MkDocs settings have no effect in coursebook: `theme`, `plugins: tags`, `markdown_extensions: pymdownx.emoji`\n  --> mkdocs.yml:9:1"),
        "{shown}"
    );
    assert!(
        shown.contains(
            "warning: 1 page is not in `nav` and not built: `docs/notes.md`\n  --> docs/notes.md"
        ),
        "{shown}"
    );
    assert!(!course.exists("public/notes.html"));

    // `site_name` and `index.md` make the home page.
    let home = course.page("index.html");
    assert_eq!(text(&home.one("title")), "Shipping with Containers");
    assert!(
        home.html()
            .contains("This course takes you from installing an engine")
    );

    // nav order, sections and nesting; untitled entries named by their page's heading.
    let page = course.page("guide/images.html");
    assert_eq!(
        sidebar(&page),
        [
            (
                Some("../getting-started/install.html".into()),
                "# Getting started".into()
            ),
            (
                Some("../getting-started/install.html".into()),
                "Install Docker".into()
            ),
            (
                Some("../getting-started/first-container.html".into()),
                "Your first container".into()
            ),
            (Some("images.html".into()), "# Guide".into()),
            (Some("images.html".into()), "Images".into()),
            (None, "Advanced".into()),
            (
                Some("advanced/multi-stage.html".into()),
                "Multi-stage builds".into()
            ),
            (Some("advanced/cache.html".into()), "Build cache".into()),
            (Some("../changelog.html".into()), "Changelog".into()),
        ]
    );
    // The pager walks the same order.
    let next = |path: &str| course.page(path).attrs("a.pager-next", "href");
    assert_eq!(
        next("getting-started/first-container.html"),
        ["../guide/images.html"]
    );
    assert_eq!(next("guide/advanced/cache.html"), ["../../changelog.html"]);

    let expected = [
        (
            "getting-started/install.html",
            vec![
                h("h1", "", "Install Docker"),
                h("h2", "pick-a-package", "Pick a package"),
                h("h2", "check-the-engine", "Check the engine"),
            ],
        ),
        (
            "getting-started/first-container.html",
            vec![
                h("h1", "", "Your first container"),
                h("h2", "run-it", "Run it"),
                h("h2", "what-happened", "What happened"),
            ],
        ),
        (
            "guide/images.html",
            vec![
                h("h1", "", "Images"),
                h("h2", "layers", "Layers"),
                h("h2", "tags", "Tags"),
            ],
        ),
        (
            "guide/advanced/multi-stage.html",
            vec![h("h1", "", "Multi-stage builds"), h("h2", "why", "Why")],
        ),
        (
            "guide/advanced/cache.html",
            vec![
                h("h1", "", "Build cache"),
                h(
                    "h2",
                    "order-instructions-by-change-rate",
                    "Order instructions by change rate",
                ),
            ],
        ),
        (
            "changelog.html",
            vec![h("h1", "", "Changelog"), h("h2", "2026-11", "2026-11")],
        ),
    ];
    for (path, want) in expected {
        assert_eq!(headings(&course.page(path)), want, "headings of {path}");
    }

    // attr_list's class, Material's blocks, links and images between folders.
    let first = course.page("getting-started/first-container.html");
    assert_eq!(first.attrs("h2.recap", "id"), ["what-happened"]);
    assert_eq!(first.texts("details.callout > summary"), ["Why --rm?"]);
    assert!(
        first
            .attrs(".prose a", "href")
            .contains(&"../guide/images.html#layers".to_string())
    );
    let images = course.page("guide/images.html");
    assert_eq!(images.attrs("img", "src"), ["../assets/layers.svg"]);
    assert!(course.exists("public/assets/layers.svg"));
    let install = course.page("getting-started/install.html");
    assert_eq!(install.texts(".tabbed-label"), ["Debian", "Fedora"]);
    assert_eq!(install.select("input[type=checkbox][checked]").len(), 1);

    // repo_url, edit_uri and extra_css.
    assert_eq!(
        install.attrs("a.repo-link", "href"),
        ["https://github.com/example/shipping"]
    );
    assert_eq!(
        install.attrs(".edit-link a", "href"),
        ["https://github.com/example/shipping/edit/main/docs/getting-started/install.md"]
    );
    assert!(
        install
            .attrs("link[rel=stylesheet]", "href")
            .contains(&"../docs/assets/extra.css".to_string())
    );
    assert!(course.exists("public/docs/assets/extra.css"));
}

#[test]
fn without_nav_pages_follow_mkdocs_folder_order() {
    let course = Course::bare()
        .file("mkdocs.yml", "site_name: Plain\ndocs_dir: pages\n")
        .file("pages/index.md", "# Welcome\n\nHello there.\n")
        .file("pages/b.md", "# Bee\n")
        .file("pages/a.md", "# Ay\n")
        .file("pages/user-guide/z.md", "# Zed\n")
        .file("pages/user-guide/index.md", "# Guide start\n");
    course.build().assert_success().assert_no_warnings();
    let page = course.page("a.html");
    assert_eq!(
        page.texts(".nav-module-link, .nav-lessons > li"),
        ["Ay", "Bee", "User guide", "Guide start", "Zed"]
    );
    assert!(course.page("index.html").html().contains("Hello there."));
}

#[test]
fn mistakes_in_mkdocs_yml_name_their_line() {
    let course = Course::bare()
        .file(
            "mkdocs.yml",
            "site_name: Broken\nnav:\n  - Home: index.md\n  - Gone: gone.md\n",
        )
        .file("docs/index.md", "# Home\n");
    let run = course.build();
    run.assert_code(1);
    assert!(
        run.diagnostics().contains(
            "error: `mkdocs.yml` lists `docs/gone.md`, which does not exist\n  --> mkdocs.yml:4:1"
        ),
        "{}",
        run.diagnostics()
    );
    assert!(!course.exists("public"));

    let course = Course::bare()
        .file("mkdocs.yml", "site_name: Broken\nnav: [unclosed\n")
        .file("docs/index.md", "# Home\n");
    let run = course.build();
    run.assert_code(1);
    assert!(
        run.diagnostics().contains("error: invalid `mkdocs.yml`")
            && run.diagnostics().contains("--> mkdocs.yml:"),
        "{}",
        run.diagnostics()
    );
}
