//! Themes: a `themes/<name>/` folder overrides the built-in theme file by file.

mod common;
use common::Course;

#[test]
fn a_theme_folder_overrides_single_files_and_keeps_the_rest() {
    let course = Course::new()
        .lesson("01-m/01-a.md", "# A\n\n- [ ] tick me\n")
        .file(
            "themes/default/templates/lesson.html",
            "{% extends \"base.html\" %}{% block main %}<article class=\"mine\">{{ lesson.content_html | safe }}</article>{% endblock main %}",
        )
        .file("themes/default/static/extra.css", "p{}");
    course.build().assert_success().assert_no_warnings();
    let page = course.page("m/a.html");
    assert_eq!(
        page.select("article.mine").len(),
        1,
        "the folder's lesson template"
    );
    assert_eq!(
        page.select(".sidebar").len(),
        1,
        "the built-in base template and partials"
    );
    for file in [
        "static/style.css",
        "static/theme.js",
        "static/extra.css",
        "progress.html",
    ] {
        assert!(course.exists(&format!("public/{file}")), "{file}");
    }
}

#[test]
fn a_named_theme_that_does_not_exist_is_an_error() {
    let course = Course::bare()
        .file(
            "book.toml",
            "[book]\ntitle = \"T\"\n[theme]\nname = \"fancy\"\n",
        )
        .lesson("01-m/01-a.md", "# A\n");
    let run = course.build();
    run.assert_code(1);
    run.assert_stderr_contains("theme `fancy` not found");
}
