//! mdBook books build unchanged: a book made by `mdbook init` and grown with parts, nesting,
//! prefix, suffix and draft chapters and includes has the same chapters in the same order,
//! and the same headings, as mdBook's own build of it. Then each feature on its own, with
//! exact diagnostics for the mistakes.

mod common;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{Course, Page, text};

/// mdBook's binary: on PATH or in cargo's bin folder. Without it the comparison skips and
/// says why; under CI (`CI=true`, where scripts/test installs it) it fails instead.
fn mdbook() -> Option<PathBuf> {
    let mut candidates = vec![PathBuf::from("mdbook")];
    if let Some(home) = std::env::var_os("HOME") {
        candidates.push(Path::new(&home).join(".cargo/bin/mdbook"));
    }
    let found = candidates.into_iter().find(|c| {
        Command::new(c)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    });
    if found.is_none() {
        let reason = "mdBook is not installed (cargo install mdbook --locked)";
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("the mdBook comparison cannot run under CI: {reason}");
        }
        eprintln!("skipping the comparison with mdBook: {reason}");
    }
    found
}

fn run(program: &Path, args: &[&str], dir: &Path) {
    let out = Command::new(program)
        .args(args)
        .current_dir(dir)
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("running {}: {e}", program.display()));
    assert!(
        out.status.success(),
        "{} {args:?} failed:\n{}{}",
        program.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

const SUMMARY: &str = "# Summary

[Introduction](README.md)

# User Guide

- [Chapter 1](./chapter_1.md)
- [Installing](guide/installing.md)
    - [On Linux](guide/linux.md)
        - [From source](guide/source.md)
- [Not written yet]()

---

# Reference

- [Configuration](reference/config.md)
- [The `--rm` flag](reference/rm-flag.md)

[Contributors](contributors.md)
";

/// Grows the book `mdbook init` made in `dir` into one that uses every summary feature.
fn grow(dir: &Path) {
    let write = |rel: &str, text: &str| {
        let path = dir.join("src").join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write("SUMMARY.md", SUMMARY);
    write(
        "README.md",
        "# Introduction\n\nThis book is about containers.\n",
    );
    write(
        "guide/installing.md",
        "# Installing\n\n## Requirements\n\nA kernel.\n\n## Steps\n\n```sh\n{{#include ../listings/install.sh:2:3}}\n```\n\n### Check it\n\n```rust\n{{#rustdoc_include ../listings/main.rs:body}}\n```\n",
    );
    write(
        "guide/linux.md",
        "# On Linux\n\n## Debian and Ubuntu\n\n```rust,editable\n# fn main() {\nprintln!(\"apt\");\n# }\n```\n\n## Fedora\n",
    );
    write(
        "guide/source.md",
        "{{#title Building from source}}\n# From source\n\nSee [configuration](../reference/config.md#keys).\n",
    );
    write(
        "reference/config.md",
        "# Configuration\n\n## Keys\n\n### `title`\n\n{{#include ../listings/keys.md}}\n",
    );
    write("reference/rm-flag.md", "# The --rm flag\n\nIt removes.\n");
    write("contributors.md", "# Contributors\n\nEveryone.\n");
    write(
        "listings/install.sh",
        "#!/bin/sh\napt-get update\napt-get install -y docker.io\necho done\n",
    );
    write(
        "listings/main.rs",
        "fn main() {\n    // ANCHOR: body\n    println!(\"installed\");\n    // ANCHOR_END: body\n}\n",
    );
    write(
        "listings/keys.md",
        "## Included heading\n\nFrom an include.\n",
    );
}

/// The chapters of mdBook's table of contents in order: (output path, title), drafts with no
/// path. The section numbers are left out.
fn mdbook_chapters(book: &Path) -> Vec<(Option<String>, String)> {
    let toc = Page(scraper::Html::parse_document(
        &std::fs::read_to_string(book.join("toc.html")).expect("mdBook writes toc.html"),
    ));
    toc.select("li.chapter-item > span.chapter-link-wrapper")
        .iter()
        .map(|item| {
            let link = item
                .select(&scraper::Selector::parse("a").unwrap())
                .next()
                .and_then(|a| a.value().attr("href").map(str::to_string));
            let number: String = item
                .select(&scraper::Selector::parse("strong").unwrap())
                .map(|s| text(&s))
                .collect();
            let title = text(item).trim_start_matches(&number).trim().to_string();
            (link, title)
        })
        .collect()
}

/// The chapters in coursebook's sidebar, in order, the same way.
fn coursebook_chapters(page: &Page) -> Vec<(Option<String>, String)> {
    let mut chapters = vec![(Some("index.html".to_string()), String::new())];
    for item in page.select(".nav-lessons > li") {
        let link = item
            .select(&scraper::Selector::parse("a").unwrap())
            .next()
            .and_then(|a| a.value().attr("href").map(str::to_string));
        let number: String = item
            .select(&scraper::Selector::parse(".nav-number").unwrap())
            .map(|s| text(&s))
            .collect();
        let sr: String = item
            .select(&scraper::Selector::parse(".sr-only").unwrap())
            .map(|s| text(&s))
            .collect();
        let title = text(&item);
        let title = title
            .trim_start_matches(&number)
            .trim_end_matches(&sr)
            .trim();
        chapters.push((link, title.to_string()));
    }
    chapters
}

/// A page's headings as (level, id, text), from mdBook's `<main>` or coursebook's lesson.
fn headings(page: &Page, scope: &str) -> Vec<(String, String, String)> {
    page.select(&format!(
        "{scope} h1, {scope} h2, {scope} h3, {scope} h4, {scope} h5, {scope} h6"
    ))
    .iter()
    .map(|h| {
        let level = h.value().name().to_string();
        let id = h.value().attr("id").unwrap_or_default().to_string();
        let title = text(h).trim_end_matches('#').trim().to_string();
        (level, id, title)
    })
    .collect()
}

fn parse(path: &Path) -> Page {
    Page(scraper::Html::parse_document(
        &std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())),
    ))
}

#[test]
fn a_grown_mdbook_init_book_has_mdbooks_chapters_order_and_headings() {
    let Some(mdbook) = mdbook() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    run(
        &mdbook,
        &[
            "init",
            "--ignore",
            "none",
            "--title",
            "Containers Book",
            ".",
        ],
        dir.path(),
    );
    grow(dir.path());
    run(&mdbook, &["build"], dir.path());
    let site = dir.path().join("public");
    common::run_in(dir.path(), &["build", "--root", "."]).assert_success();

    // The same chapters in the same order: mdBook's first chapter is its index.html, which
    // is coursebook's home page; the draft is listed without a link by both.
    let theirs = mdbook_chapters(&dir.path().join("book"));
    let home = parse(&site.join("index.html"));
    let mut ours = coursebook_chapters(&home);
    ours[0].1 = "Introduction".into();
    assert_eq!(ours, theirs);
    assert!(home.html().contains("This book is about containers."));

    // The same headings (level, id and text) on every chapter with a page.
    for (path, title) in theirs.iter().skip(1) {
        let Some(path) = path else { continue };
        let want = headings(&parse(&dir.path().join("book").join(path)), "main");
        let got = headings(&parse(&site.join(path)), "article.lesson");
        // coursebook's page title is the chapter's first heading, shown by the template.
        let got: Vec<_> = got
            .into_iter()
            .map(|(level, id, text)| {
                if level == "h1" && id.is_empty() {
                    let first = want.first().map(|w| w.1.clone()).unwrap_or_default();
                    (level, first, text)
                } else {
                    (level, id, text)
                }
            })
            .collect();
        assert_eq!(got, want, "headings of {path} ({title})");
    }

    // `{{#title}}` names the browser tab in both.
    let tab = |p: &Path| text(&parse(p).one("title"));
    assert_eq!(
        tab(&site.join("guide/source.html")),
        tab(&dir.path().join("book/guide/source.html"))
    );
}

#[test]
fn includes_hidden_lines_and_playground_snippets_render() {
    let course = Course::bare()
        .file("book.toml", "[book]\ntitle = \"B\"\n")
        .file(
            "src/SUMMARY.md",
            "# Summary\n\n- [One](one.md)\n",
        )
        .file(
            "src/one.md",
            "# One\n\n```sh\n{{#include code/run.sh:2}}\n```\n\n```rust,editable\n{{#rustdoc_include code/main.rs:body}}\n```\n\n```rust,ignore\n# use std::fs;\nlet x = 1;\n```\n\n```python hidelines=!!!\n!!!import os\nprint(os.name)\n```\n\nLiteral: \\{{#include nothing.md}}\n",
        )
        .file("src/code/run.sh", "#!/bin/sh\ndocker run --rm hello\n")
        .file(
            "src/code/main.rs",
            "fn main() {\n    // ANCHOR: body\n    let n = 2;\n    // ANCHOR_END: body\n}\n",
        );
    course.build().assert_success().assert_no_warnings();
    let page = course.page("one.html");
    let code = page.texts("pre code");
    assert_eq!(
        code,
        [
            "docker run --rm hello",
            "let n = 2;",
            "let x = 1;",
            "print(os.name)"
        ]
    );
    assert_eq!(
        page.attrs("pre", "data-lang"),
        ["sh", "rust", "rust", "python"],
        "snippets tagged for the playground or mdbook test keep their language"
    );
    assert!(page.html().contains("Literal: {{#include nothing.md}}"));
}

#[test]
fn mistakes_in_the_summary_and_includes_name_their_file_and_line() {
    let course = Course::bare()
        .file(
            "src/SUMMARY.md",
            "# Summary\n\n- [One](one.md)\n- [Gone](gone.md)\n",
        )
        .file(
            "src/one.md",
            "# One\n\nText.\n\n{{#include missing.rs}}\n\n{{#include one.md:nowhere}}\n",
        );
    let run = course.build();
    run.assert_code(1);
    let shown = run.diagnostics();
    assert!(
        shown.contains(
            "error: `src/SUMMARY.md` lists `src/gone.md`, which does not exist\n  --> src/SUMMARY.md:4:1"
        ),
        "{shown}"
    );
    assert!(
        shown.contains("error: cannot include `missing.rs`: No such file or directory (os error 2)\n  --> src/one.md:5:1"),
        "{shown}"
    );
    assert!(
        shown.contains("error: `one.md` has no anchor `nowhere`\n  --> src/one.md:7:1"),
        "{shown}"
    );
    assert!(!course.exists("public"), "nothing is written");

    let course = Course::bare()
        .file(
            "src/SUMMARY.md",
            "# Summary\n\n- [One](one.md)\n  some prose\n",
        )
        .file("src/one.md", "# One\n");
    let run = course.build();
    run.assert_code(1);
    assert!(
        run.diagnostics().contains(
            "error: this line of the summary is not a chapter link\n  --> src/SUMMARY.md:4:1"
        ),
        "{}",
        run.diagnostics()
    );
}

/// A chapter's text has its includes expanded, but its diagnostics name the chapter's own
/// lines: a mistake after a multi-line include is at its line in the file, and a mistake in
/// included text is at the include that brought it in.
#[test]
fn diagnostics_after_and_inside_an_include_name_the_chapters_own_line() {
    let course = Course::bare()
        .file("src/SUMMARY.md", "# Summary\n\n- [One](one.md)\n")
        .file(
            "src/part.md",
            "First included line.\n\nSecond, with [a dead end](#inside).\n\nThird.\n",
        )
        .file(
            "src/one.md",
            "# One\n\n{{#include part.md}}\n\nAfter the include, [nowhere](#after).\n",
        );
    let run = course.build_strict();
    run.assert_code(1);
    let shown = run.diagnostics();
    assert!(
        shown.contains(
            "error: broken link: no heading `#after` on this page\n  --> src/one.md:5:20"
        ),
        "{shown}"
    );
    assert!(
        shown.contains(
            "error: broken link: no heading `#inside` on this page\n  --> src/one.md:3:1"
        ),
        "{shown}"
    );
}

/// `verify` names a snippet by its chapter's own line, after a multi-line include too.
#[test]
fn verify_lists_a_snippet_after_an_include_at_its_line_in_the_chapter() {
    let course = Course::bare()
        .file("src/SUMMARY.md", "# Summary\n\n- [One](one.md)\n")
        .file("src/part.md", "Line one.\n\nLine two.\n\nLine three.\n")
        .file(
            "src/one.md",
            "# One\n\n{{#include part.md}}\n\n```bash {verify}\necho hi\n```\n",
        );
    let run = course.run(&["verify", "--list"]);
    run.assert_success();
    assert_eq!(run.stdout.trim(), "src/one.md:5", "{}", run.stderr);
}

#[test]
fn output_html_settings_are_honoured_and_the_rest_reported_once() {
    let course = Course::bare()
        .file(
            "book.toml",
            "[book]\ntitle = \"B\"\nsrc = \"chapters\"\n\n[build]\nbuild-dir = \"site\"\ncreate-missing = false\n\n[preprocessor.mermaid]\ncommand = \"mdbook-mermaid\"\n\n[output.html]\ngit-repository-url = \"https://example.com/b\"\nedit-url-template = \"https://example.com/b/edit/main/chapters/{path}\"\nadditional-css = [\"theme/extra.css\"]\nadditional-js = [\"theme/extra.js\"]\nsite-url = \"/b/\"\nmathjax-support = true\n\n[output.html.search]\nenable = false\n\n[output.linkcheck]\n",
        )
        .file("theme/extra.css", "body{}")
        .file("theme/extra.js", "1;")
        .file("chapters/SUMMARY.md", "- [One](sub/one.md)\n")
        .file("chapters/sub/one.md", "# One\n");
    let run = course.build();
    run.assert_success();
    let shown = run.diagnostics();
    assert_eq!(
        shown.matches("warning:").count(),
        1,
        "one warning for all of them: {shown}"
    );
    assert!(
        shown.contains("warning: 4 mdBook settings have no effect in coursebook: `build.create-missing`, `output.html.mathjax-support`, `output.linkcheck`, `preprocessor.mermaid`\n  --> book.toml:7:1"),
        "{shown}"
    );
    assert!(
        course.exists("site/sub/one.html"),
        "build-dir is the output folder"
    );
    assert!(course.exists("site/theme/extra.css") && course.exists("site/theme/extra.js"));
    assert!(!course.exists("site/pagefind"), "search.enable = false");
    let page = Page(scraper::Html::parse_document(
        &course.read("site/sub/one.html"),
    ));
    assert_eq!(page.attrs("a.repo-link", "href"), ["https://example.com/b"]);
    assert_eq!(
        page.attrs(".edit-link a", "href"),
        ["https://example.com/b/edit/main/chapters/sub/one.md"]
    );
    assert!(
        page.attrs("link[rel=stylesheet]", "href")
            .contains(&"../theme/extra.css".to_string())
    );
    assert!(
        page.attrs("script[src]", "src")
            .contains(&"../theme/extra.js".to_string())
    );
    assert!(
        course
            .read("site/404.html")
            .contains("href=\"/b/static/style.css\""),
        "site-url is the base path of the 404 page"
    );

    let course = Course::bare()
        .file(
            "book.toml",
            "[output.html]\nadditional-css = [\"missing.css\"]\n",
        )
        .file("src/SUMMARY.md", "- [One](one.md)\n")
        .file("src/one.md", "# One\n");
    let run = course.build();
    run.assert_code(1);
    assert!(
        run.diagnostics()
            .contains("error: `additional-css` names `missing.css`, which does not exist"),
        "{}",
        run.diagnostics()
    );
}

#[test]
fn markdown_files_the_summary_does_not_list_are_not_pages() {
    let course = Course::bare()
        .file("src/SUMMARY.md", "- [One](one.md)\n")
        .file("src/one.md", "# One\n\n{{#include parts/snippet.md}}\n")
        .file("src/parts/snippet.md", "Shared text.\n")
        .file("src/notes.md", "# Notes\n");
    course.build().assert_success();
    assert!(course.page("one.html").html().contains("Shared text."));
    assert!(!course.exists("public/notes.html"));
    assert!(!course.exists("public/parts/snippet.html"));
    assert!(!course.exists("public/SUMMARY.html"));
}
