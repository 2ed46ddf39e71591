//! `book.toml`: mdBook's `[book]` keys work, defaults apply, and unknown keys are errors
//! naming the key and its line.

mod common;
use common::Course;

fn lesson(course: Course) -> Course {
    course.lesson("01-m/01-l.md", "# Lesson\n")
}

#[test]
fn an_mdbook_book_section_is_understood() {
    let course = lesson(Course::bare().file(
        "book.toml",
        "[book]\ntitle = \"Rusty Course\"\nauthors = [\"Ada\", \"Grace\"]\ndescription = \"About rust\"\nlanguage = \"fr\"\nsrc = \"chapters\"\nmultilingual = false\n",
    ))
    .lesson("../chapters/01-a/01-b.md", "# Chapter\n");
    course.build().assert_success();
    let home = course.page("index.html");
    assert_eq!(home.attrs("html", "lang"), ["fr"]);
    assert!(home.html().contains("Rusty Course"));
    assert!(
        course.exists("public/a/b.html"),
        "`src` names the content folder as in mdBook"
    );
}

#[test]
fn no_book_toml_means_defaults() {
    let course = lesson(Course::bare());
    course.build().assert_success();
    assert!(course.exists("public/m/l.html"));
    assert_eq!(course.page("index.html").attrs("html", "lang"), ["en"]);
}

#[test]
fn unknown_keys_are_all_reported_with_their_lines() {
    let course = lesson(Course::bare().file(
        "book.toml",
        "[book]\ntitel = \"Typo\"\nauthors = []\n\n[build]\noutput-dir = \"site\"\n\n[extras]\nx = 1\n",
    ));
    let run = course.build();
    run.assert_code(1);
    insta::assert_snapshot!(run.diagnostics());
}

#[test]
fn wrong_types_and_syntax_errors_point_at_the_value() {
    let course = lesson(Course::bare().file("book.toml", "[book]\ntitle = 42\n"));
    let run = course.build();
    run.assert_code(1);
    insta::assert_snapshot!("wrong_type", run.diagnostics());

    let course = lesson(Course::bare().file("book.toml", "[book\ntitle = \"x\"\n"));
    let run = course.build();
    run.assert_code(1);
    assert!(run.stderr.contains("--> book.toml:1:"), "{}", run.stderr);
}

#[test]
fn build_section_moves_content_and_output() {
    let course = Course::bare()
        .file(
            "book.toml",
            "[build]\ncontent = \"lessons\"\noutput = \"site\"\n",
        )
        .file("lessons/01-m/01-l.md", "# L\n");
    course.build().assert_success();
    assert!(course.exists("site/m/l.html"));
    assert!(!course.exists("public"));
}

#[test]
fn missing_content_folder_is_reported() {
    let course = Course::new();
    let run = course.build();
    run.assert_code(1);
    assert!(
        run.stderr
            .contains("error: content folder `content` does not exist"),
        "{}",
        run.stderr
    );
}

#[test]
fn text_direction_sets_the_page_direction() {
    let course = lesson(Course::bare().file(
        "book.toml",
        "[book]\nlanguage = \"ar\"\ntext-direction = \"rtl\"\n",
    ));
    course.build().assert_success();
    let page = course.page("m/l.html");
    assert_eq!(page.attrs("html", "dir"), ["rtl"]);
    assert_eq!(page.attrs("html", "lang"), ["ar"]);
}
