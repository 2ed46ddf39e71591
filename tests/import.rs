//! `coursebook import`: an mdBook book becomes a course in coursebook's own layout, one file
//! per chapter, that builds strictly with the book's lessons in the book's order; mistakes
//! (a folder that is not that kind of book, an OUT that is not empty, a broken book) write
//! nothing.

mod common;
use std::path::{Path, PathBuf};

use common::{Course, Page, Run, text};

/// The fixture book (`tests/fixtures/import/mdbook-book`): a prefix (README and a foreword),
/// two parts, chapters nested two deep, a draft, a `{{#title}}`, includes, an image, links
/// between chapters with fragments, a link inside a code block, and a suffix chapter.
fn book() -> Course {
    Course::fixture("import/mdbook-book")
}

/// Imports `dir` into `<tmp>/course`; returns the temporary folder and the course's path.
fn import(from: &str, dir: &Path) -> (tempfile::TempDir, PathBuf, Run) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = tmp.path().join("course");
    let run = common::run_in(
        tmp.path(),
        &[
            "import",
            "--from",
            from,
            dir.to_str().expect("utf-8 path"),
            "course",
        ],
    );
    (tmp, out, run)
}

fn files(dir: &Path) -> Vec<String> {
    let mut found: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).expect("inside");
            rel.to_string_lossy().replace('\\', "/")
        })
        .collect();
    found.sort();
    found
}

fn read(dir: &Path, rel: &str) -> String {
    std::fs::read_to_string(dir.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn an_mdbook_book_becomes_module_folders_with_one_file_per_chapter() {
    let book = book();
    let (_tmp, out, run) = import("mdbook", book.path());
    run.assert_success();
    assert_eq!(
        files(&out),
        [
            ".gitignore",
            "book.toml",
            "content/01-foreword/01-foreword.md",
            "content/01-foreword/_index.md",
            "content/02-user-guide/01-installing.md",
            "content/02-user-guide/02-linux.md",
            "content/02-user-guide/03-source.md",
            "content/02-user-guide/04-using.md",
            "content/02-user-guide/_index.md",
            "content/03-reference/01-config.md",
            "content/03-reference/02-rm-flag.md",
            "content/03-reference/_index.md",
            "content/04-contributors/01-contributors.md",
            "content/04-contributors/_index.md",
            "content/_index.md",
            "content/images/layers.svg",
            "content/listings/install.sh",
            "theme/extra.css",
        ],
        "SUMMARY.md and the included Markdown file are not copied; the draft has no file"
    );

    assert_eq!(
        read(&out, "book.toml"),
        "[book]\ntitle = \"Containers Book\"\nauthors = [\"Ada\", \"Grace\"]\n\
         description = \"Containers from the ground up.\"\nlanguage = \"en\"\n\n\
         [output.html]\ngit-repository-url = \"https://example.com/containers-book\"\n\
         edit-url-template = \"https://example.com/containers-book/edit/main/src/{path}\"\n\
         additional-css = [\"theme/extra.css\"]\n"
    );
    assert_eq!(
        read(&out, "content/02-user-guide/_index.md"),
        "---\ntitle: \"User Guide\"\n---\n"
    );
    assert_eq!(
        read(&out, "content/_index.md"),
        "---\ntitle: \"Introduction\"\n---\n\n# Introduction\n\nThis book is about containers. \
         Start with [installing](02-user-guide/01-installing.md#steps).\n\n\
         ![Layers of an image](images/layers.svg)\n"
    );
    // The include is expanded; the image and the link follow the lesson to its new folder.
    assert_eq!(
        read(&out, "content/02-user-guide/01-installing.md"),
        "---\ntitle: \"Installing\"\n---\n\n# Installing\n\n\
         ![Layers of an image](../images/layers.svg)\n\n## Steps\n\n\
         ```sh\napt-get update\napt-get install -y docker.io\n```\n\n\
         Then read [On Linux](02-linux.md).\n"
    );
    // A link in a code block is text, and stays as written.
    assert_eq!(
        read(&out, "content/02-user-guide/02-linux.md"),
        "---\ntitle: \"On Linux\"\n---\n\n# On Linux\n\n\
         Follow [the steps](01-installing.md#steps) first.\n\n\
         ```markdown\nWrite links as [the steps](installing.md#steps).\n```\n"
    );
    // `{{#title}}` is gone: the title is the summary's.
    assert_eq!(
        read(&out, "content/02-user-guide/03-source.md"),
        "---\ntitle: \"From source\"\n---\n\n# From source\n\n\
         See [the keys](../03-reference/01-config.md#keys).\n"
    );
    assert_eq!(
        read(&out, "content/03-reference/01-config.md"),
        "---\ntitle: \"Configuration\"\n---\n\n# Configuration\n\n## Keys\n\n### `title`\n\n\
         From an include.\n\nBack to [the introduction](../_index.md).\n"
    );
    assert_eq!(
        read(&out, "content/03-reference/02-rm-flag.md")
            .lines()
            .nth(1),
        Some("title: \"The --rm flag\"")
    );

    // The summary says what changed shape, what is still to write, and what to run next.
    let said = &run.stdout;
    for line in [
        "4 modules, 8 lessons, 2 files copied",
        "flattened: 2 nested chapters became lessons of their module, in reading order (a coursebook module is flat): “On Linux”, “From source”",
        "dropped: the `{{#title}}` browser-tab titles of “From source”",
        "not copied: 1 Markdown file the summary does not list; what chapters include is already expanded into them: listings/keys.md",
        "TODO: write “Not written yet” (in `content/02-user-guide/`, after “From source”): it was a draft with no file",
        "`edit-url-template` is kept, but the lessons moved",
        "coursebook serve --root course --open",
    ] {
        assert!(said.contains(line), "summary lacks {line:?}:\n{said}");
    }
    assert!(
        !book.exists("public"),
        "the book itself is not built or changed"
    );
}

/// Every lesson title in reading order, following the pager from the lesson at `first`.
fn reading_order(site: &Path, first: &str) -> Vec<String> {
    let mut titles = Vec::new();
    let mut page = PathBuf::from(first);
    for _ in 0..100 {
        let html = Page(scraper::Html::parse_document(&read(
            site,
            &page.to_string_lossy(),
        )));
        if titles.is_empty() {
            titles.push(text(&html.one("article.lesson h1")));
        }
        let Some(next) = html.select("a.pager-next").first().copied() else {
            break;
        };
        titles.push(text(&html.one("a.pager-next .pager-title")));
        let href = next.value().attr("href").expect("pager link");
        page = normalize(&page.parent().unwrap_or(Path::new("")).join(href));
    }
    titles
}

fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::Normal(p) => out.push(p),
            _ => {}
        }
    }
    out
}

#[test]
fn the_imported_course_builds_strictly_with_the_books_lessons_in_the_books_order() {
    let book = book();
    book.build_strict().assert_success().assert_no_warnings();
    let (_tmp, out, run) = import("mdbook", book.path());
    run.assert_success();
    common::run_in(&out, &["build", "--strict", "--root", "."])
        .assert_success()
        .assert_no_warnings();

    let theirs = reading_order(&book.path().join("public"), "foreword.html");
    let ours = reading_order(&out.join("public"), "foreword/foreword.html");
    assert_eq!(
        theirs,
        [
            "Foreword",
            "Installing",
            "On Linux",
            "From source",
            "Using it",
            "Configuration",
            "The --rm flag",
            "Contributors"
        ]
    );
    assert_eq!(ours, theirs);

    // The links resolve in the built site: to the lesson, its heading, and the image.
    let site = out.join("public");
    let linux = Page(scraper::Html::parse_document(&read(
        &site,
        "user-guide/linux.html",
    )));
    assert!(
        linux
            .attrs("article a", "href")
            .contains(&"installing.html#steps".to_string()),
        "{:?}",
        linux.attrs("article a", "href")
    );
    assert!(site.join("images/layers.svg").is_file());
    assert!(site.join("theme/extra.css").is_file());
}

#[test]
fn an_out_folder_that_is_not_empty_is_refused_and_left_alone() {
    let book = book();
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir(tmp.path().join("course")).unwrap();
    std::fs::write(tmp.path().join("course/notes.txt"), "mine").unwrap();
    let run = common::run_in(
        tmp.path(),
        &[
            "import",
            "--from",
            "mdbook",
            book.path().to_str().unwrap(),
            "course",
        ],
    );
    run.assert_code(2).assert_stderr_contains(
        "error: `course` is not empty: import into a new folder (nothing was written)",
    );
    assert_eq!(files(&tmp.path().join("course")), ["notes.txt"]);
    assert_eq!(
        std::fs::read_dir(tmp.path()).unwrap().count(),
        1,
        "no folder is left beside it"
    );

    // An empty folder is fine.
    std::fs::remove_file(tmp.path().join("course/notes.txt")).unwrap();
    let run = common::run_in(
        tmp.path(),
        &[
            "import",
            "--from",
            "mdbook",
            book.path().to_str().unwrap(),
            "course",
        ],
    );
    run.assert_success();
    assert!(tmp.path().join("course/content/_index.md").is_file());
}

#[test]
fn a_folder_that_is_not_that_kind_of_book_is_a_clear_error() {
    let book = book();
    let (tmp, out, run) = import("mkdocs", book.path());
    run.assert_code(2).assert_stderr_contains(&format!(
        "error: `{}` has no `mkdocs.yml`: is it an MkDocs project? (it has `src/SUMMARY.md`: try `--from mdbook`)",
        book.path().display()
    ));
    assert!(!out.exists());
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 0);

    let notes = Course::new().lesson("01-a/01-x.md", "# X\n");
    let (_tmp, out, run) = import("mdbook", notes.path());
    run.assert_code(2).assert_stderr_contains(&format!(
        "error: `{}` has no `content/SUMMARY.md`: is it an mdBook book?",
        notes.path().display()
    ));
    assert!(!out.exists());
}

#[test]
fn a_broken_book_shows_the_loaders_diagnostics_and_writes_nothing() {
    let book = book().file(
        "src/SUMMARY.md",
        "# Summary\n\n- [Installing](guide/installing.md)\n- [Gone](guide/gone.md)\n",
    );
    let (tmp, out, run) = import("mdbook", book.path());
    run.assert_code(1);
    assert!(
        run.stderr.contains(
            "error: `src/SUMMARY.md` lists `src/guide/gone.md`, which does not exist\n  --> src/SUMMARY.md:4:1"
        ),
        "{}",
        run.stderr
    );
    run.assert_stderr_contains("nothing was written");
    assert!(!out.exists());
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 0);
}

#[test]
fn the_help_shows_an_example() {
    let run = common::run_in(Path::new("."), &["import", "--help"]);
    run.assert_success();
    assert!(
        run.stdout
            .contains("coursebook import --from mdbook ./my-book ./my-course"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("- mdbook: An mdBook book")
            && run.stdout.contains("- mkdocs: An MkDocs project"),
        "{}",
        run.stdout
    );
}

#[test]
fn an_mkdocs_project_imports_and_builds_strictly_in_nav_order() {
    let site = Course::fixture("material-site");
    site.build().assert_success();
    let (_tmp, out, run) = import("mkdocs", site.path());
    run.assert_success();
    assert_eq!(
        files(&out),
        [
            ".gitignore",
            "book.toml",
            "content/01-getting-started/01-install.md",
            "content/01-getting-started/02-first-container.md",
            "content/01-getting-started/_index.md",
            "content/02-guide/01-images.md",
            "content/02-guide/02-multi-stage.md",
            "content/02-guide/03-cache.md",
            "content/02-guide/_index.md",
            "content/03-changelog/01-changelog.md",
            "content/03-changelog/_index.md",
            "content/_index.md",
            "content/assets/extra.css",
            "content/assets/layers.svg",
        ]
    );
    // mkdocs.yml's settings, with `extra_css` inside the copied docs folder.
    assert_eq!(
        read(&out, "book.toml"),
        "[book]\ntitle = \"Shipping with Containers\"\nauthors = [\"The Fixture Team\"]\n\
         description = \"A short course on building and running container images.\"\n\
         language = \"en\"\n\n[output.html]\n\
         git-repository-url = \"https://github.com/example/shipping\"\n\
         edit-url-template = \"https://github.com/example/shipping/edit/main/docs/{path}\"\n\
         additional-css = [\"content/assets/extra.css\"]\n"
    );
    // A nav entry without a title is named by the page's heading; Material syntax is kept.
    let first = read(&out, "content/01-getting-started/02-first-container.md");
    assert!(first.starts_with("---\ntitle: \""), "{first}");
    assert!(
        read(&out, "content/02-guide/01-images.md").contains("???+ info \"Inspecting layers\""),
        "Material blocks are left for coursebook to render"
    );
    let said = &run.stdout;
    assert!(
        said.contains("flattened: the nav section “Advanced” no longer heads their pages"),
        "{said}"
    );
    assert!(
        said.contains("not copied: 1 Markdown file `nav` does not list: notes.md"),
        "{said}"
    );

    common::run_in(&out, &["build", "--strict", "--root", "."])
        .assert_success()
        .assert_no_warnings();
    let first = "getting-started/install.html";
    let theirs = reading_order(&site.path().join("public"), first);
    assert_eq!(theirs.len(), 6, "{theirs:?}");
    assert_eq!(reading_order(&out.join("public"), first), theirs);
}
