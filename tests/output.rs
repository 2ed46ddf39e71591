//! Output: atomic replacement of `public/`, refusal to clobber foreign folders, `check`
//! writing nothing, and the extra files every site gets.

mod common;
use common::Course;

fn good() -> Course {
    Course::new()
        .lesson("01-m/01-a.md", "# A\n\n## Part\n")
        .lesson("01-m/photo.png", [0x89u8, b'P', b'N', b'G'])
}

#[test]
fn failing_build_leaves_the_previous_site_intact() {
    let course = good();
    course.build().assert_success();
    let before = course.read("public/m/a.html");
    // Break the course: a front matter error fails the build.
    let course = course.lesson("01-m/02-b.md", "+++\ntitle = 3\n+++\n");
    course.build().assert_code(1);
    assert_eq!(course.read("public/m/a.html"), before);
    assert!(!course.exists("public/m/b.html"));
    let leftovers: Vec<_> = std::fs::read_dir(course.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("staging"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "no staging folders left behind: {leftovers:?}"
    );
}

#[test]
fn successful_rebuild_replaces_stale_files() {
    let course = good().lesson("01-m/02-old.md", "# Old\n");
    course.build().assert_success();
    assert!(course.exists("public/m/old.html"));
    std::fs::remove_file(course.path().join("content/01-m/02-old.md")).unwrap();
    course.build().assert_success();
    assert!(
        !course.exists("public/m/old.html"),
        "removed lessons disappear from the output"
    );
}

#[test]
fn refuses_to_replace_a_folder_it_did_not_write() {
    let course = good().file("public/notes.txt", "my own file");
    let run = course.build();
    run.assert_code(2);
    run.assert_stderr_contains("refusing to replace");
    assert_eq!(course.read("public/notes.txt"), "my own file");
}

#[test]
fn check_reports_but_writes_nothing() {
    let course = good();
    let run = course.run(&["check", "--root", "."]);
    run.assert_success();
    assert!(!course.exists("public"));
    let bad = good().lesson("01-m/02-b.md", "[x](nowhere.md)\n");
    let run = bad.run(&["check", "--root", ".", "--strict"]);
    run.assert_code(1);
    assert!(!bad.exists("public"));
}

#[test]
fn site_has_sitemap_404_assets_and_theme_files() {
    let course = good().file(
        "book.toml",
        "[book]\ntitle = \"T\"\n[build]\nsite-url = \"https://example.com/course/\"\n",
    );
    course.build().assert_success();
    let sitemap = course.read("public/sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://example.com/course/m/a.html</loc>"),
        "{sitemap}"
    );
    assert!(sitemap.contains("<loc>https://example.com/course/m/index.html</loc>"));
    let not_found = course.page("404.html");
    assert!(
        not_found
            .attrs("link[rel=stylesheet]", "href")
            .iter()
            .all(|h| h.starts_with("https://example.com/course/"))
    );
    assert!(course.exists("public/m/photo.png"));
    assert!(course.exists("public/static/style.css"));
}

#[test]
fn output_is_deterministic() {
    let course = good()
        .lesson("02-n/01-x.md", "# X\n\n```bash\necho 1\n```\n")
        .lesson("02-n/02-y.md", "# Y\n\n[x](01-x.md)\n");
    let snapshot = || -> Vec<String> {
        course.build().assert_success();
        [
            "index.html",
            "m/a.html",
            "n/x.html",
            "n/y.html",
            "sitemap.xml",
        ]
        .iter()
        .map(|p| course.read(&format!("public/{p}")))
        .collect()
    };
    let first = snapshot();
    let second = snapshot();
    assert_eq!(first, second);
}

#[test]
fn pages_link_assets_relatively_so_the_site_works_from_any_folder() {
    let course = good();
    course.build().assert_success();
    let lesson = course.page("m/a.html");
    for href in lesson
        .attrs("link[rel=stylesheet]", "href")
        .iter()
        .chain(lesson.attrs("script[src]", "src").iter())
    {
        assert!(href.starts_with("../static/"), "{href}");
    }
    for href in lesson.attrs("a[href]", "href") {
        assert!(!href.starts_with('/'), "absolute link {href}");
    }
}

/// A GitHub Pages project site lives under `/REPO/`: `--base-path` (or `[build] base-path`)
/// gives 404.html, which is served at any depth, links under it; every other page links
/// relatively and needs nothing.
#[test]
fn base_path_roots_the_404_page_for_project_sites() {
    let course = good();
    course
        .run(&["build", "--root", ".", "--base-path", "/my-course"])
        .assert_success();
    let not_found = course.page("404.html");
    let hrefs = not_found.attrs("link[rel=stylesheet], a.brand", "href");
    assert!(!hrefs.is_empty());
    assert!(
        hrefs.iter().all(|h| h.starts_with("/my-course/")),
        "{hrefs:?}"
    );
    let lesson = course.page("m/a.html");
    assert!(
        lesson
            .attrs("link[rel=stylesheet]", "href")
            .iter()
            .all(|h| h.starts_with("../")),
        "other pages stay relative"
    );

    let configured = good().file(
        "book.toml",
        "[book]\ntitle = \"T\"\n[build]\nbase-path = \"/from-config/\"\n",
    );
    configured.build().assert_success();
    assert!(
        configured
            .page("404.html")
            .attrs("link[rel=stylesheet]", "href")
            .iter()
            .all(|h| h.starts_with("/from-config/"))
    );
}
