//! Links: relative `.md` links become page URLs, and every internal link and fragment is
//! checked, with the exact message for each broken case.

mod common;
use common::Course;

fn course_with(body: &str) -> Course {
    Course::new()
        .lesson("01-intro/01-first.md", body)
        .lesson("01-intro/02-second.md", "# Second\n\n## Target heading\n")
        .lesson("02-more/_index.md", "+++\ntitle = \"More\"\n+++\n")
        .lesson("02-more/01-third.md", "# Third\n\n## Deep dive\n")
        .lesson(
            "01-intro/diagram.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        )
}

#[test]
fn md_links_are_rewritten_to_generated_pages_with_fragments() {
    let course = course_with(
        "# First\n\n[a](02-second.md) [b](02-second.md#target-heading) [c](../02-more/01-third.md#deep-dive) \
         [d](../02-more/) [e](#local) [f](https://example.com/x.md) [g](diagram.svg) [h](/02-more/01-third.md)\n\n## Local\n",
    );
    course.build().assert_success().assert_no_warnings();
    let page = course.page("intro/first.html");
    assert_eq!(
        page.attrs(".prose a:not(.anchor)", "href"),
        [
            "second.html",
            "second.html#target-heading",
            "../more/third.html#deep-dive",
            "../more/index.html",
            "#local",
            "https://example.com/x.md",
            "diagram.svg",
            "../more/third.html",
        ]
    );
    assert!(
        course.exists("public/intro/diagram.svg"),
        "assets beside lessons are copied"
    );
}

#[test]
fn broken_links_are_warnings_with_file_line_and_reason() {
    let course = course_with(
        "# First\n\nSee [missing](03-nope.md).\n\n[frag](02-second.md#no-such-heading)\n\n[here](#nowhere)\n\n[up](../../outside.md)\n",
    );
    let run = course.build();
    run.assert_success();
    insta::assert_snapshot!(run.diagnostics());
}

#[test]
fn strict_turns_broken_links_into_errors_and_keeps_public_untouched() {
    let course = course_with("# First\n\nSee [missing](03-nope.md).\n");
    let run = course.build_strict();
    run.assert_code(1);
    assert!(
        run.stderr.contains("error: broken link to `03-nope.md`"),
        "{}",
        run.stderr
    );
    assert!(!course.exists("public"), "a failed build writes nothing");
}

#[test]
fn config_can_make_broken_links_errors() {
    let course = course_with("# First\n\n[x](#nowhere)\n").file(
        "book.toml",
        "[book]\ntitle = \"T\"\n\n[build]\nbroken-links = \"error\"\n",
    );
    let run = course.build();
    run.assert_code(1);
    assert!(
        run.stderr
            .contains("error: broken link: no heading `#nowhere` on this page"),
        "{}",
        run.stderr
    );
}

#[test]
fn missing_image_is_an_error_even_without_strict() {
    let course = course_with("# First\n\n![Layers](layers.png)\n");
    let run = course.build();
    run.assert_code(1);
    insta::assert_snapshot!(run.diagnostics());
}

#[test]
fn link_to_html_output_suggests_the_markdown_file() {
    let course = course_with("# First\n\n[x](02-second.html)\n");
    let run = course.build();
    assert!(
        run.stderr
            .contains("link to the Markdown file instead: `01-intro/02-second.md`"),
        "{}",
        run.stderr
    );
}

#[test]
fn fragment_typo_gets_a_suggestion() {
    let course = course_with("# First\n\n[x](02-second.md#target-headin)\n");
    let run = course.build();
    assert!(
        run.stderr.contains("did you mean `#target-heading`?"),
        "{}",
        run.stderr
    );
}
