//! Lessons written for Material for MkDocs build unchanged: admonitions, collapsible blocks,
//! content tabs, attribute lists and task lists render, diagnostics keep their lines, and
//! Material syntax coursebook does not render is reported once per build.

mod common;
use common::{Course, Page, text};

const LESSON: &str = r#"# Material

!!! note "Custom title"
    Body with [a broken link](nope.md).

    | a | b |
    |---|---|
    | 1 | 2 |

!!! warning
    Careful.

!!! tip ""
    No title bar.

!!! faq
    An alias.

!!! pied-piper
    Unknown type.

??? question "Closed"
    Hidden until opened.

???+ danger "Open"
    ```sh
    echo hi
    ```

    !!! bug "Nested"
        - one
        - two

## Setup { #custom-id .cls }

### Other {: #colon-id .wide }

- [x] done
- [ ] todo

=== "Linux"

    ```sh
    apt install foo
    ```

=== "macOS"
    brew install foo

===+ "Windows"
    choco install foo

===! "Cats"
    Meow.

=== "Dogs"
    Woof.
"#;

fn material() -> (Course, Page) {
    let course = Course::new().lesson("01-m/01-material.md", LESSON);
    course.build().assert_success();
    let page = course.page("m/material.html");
    (course, page)
}

/// The callout classes and titles of the page's top-level callouts.
fn callouts(page: &Page) -> Vec<(String, String)> {
    page.select(".prose > .callout")
        .iter()
        .map(|c| {
            let title = c
                .select(&scraper::Selector::parse(".callout-title").unwrap())
                .next()
                .map(|t| text(&t))
                .unwrap_or_default();
            (
                c.value().attr("class").unwrap_or_default().to_string(),
                title,
            )
        })
        .collect()
}

#[test]
fn admonitions_become_callouts_with_material_titles_and_kinds() {
    let (_course, page) = material();
    assert_eq!(
        callouts(&page),
        [
            ("callout callout-note".into(), "Custom title".into()),
            ("callout callout-warning".into(), "Warning".into()),
            ("callout callout-tip".into(), String::new()),
            ("callout callout-question".into(), "Faq".into()),
            (
                "callout callout-note callout-pied-piper".into(),
                "Pied-piper".into()
            ),
            ("callout callout-question".into(), "Closed".into()),
            ("callout callout-danger".into(), "Open".into()),
        ]
    );
    assert_eq!(
        page.attrs("div.callout", "role"),
        ["note"; 6],
        "every admonition is a note landmark"
    );
    assert!(page.select(".callout-tip .callout-title").is_empty());
}

#[test]
fn details_render_closed_or_open_with_a_summary() {
    let (_course, page) = material();
    let closed = page.one("details.callout-question");
    assert_eq!(closed.value().attr("open"), None);
    assert_eq!(
        text(&page.one("details.callout-question > summary.callout-title")),
        "Closed"
    );
    let open = page.one("details.callout-danger");
    assert_eq!(open.value().attr("open"), Some(""));
}

#[test]
fn admonitions_nest_and_hold_any_markdown() {
    let (_course, page) = material();
    page.one(".callout-note > .table-wrap > table");
    page.one("details.callout-danger > pre.code[data-lang=sh]");
    let nested = page.one("details.callout-danger > div.callout-bug");
    assert_eq!(
        text(&page.one("details.callout-danger > div.callout-bug > .callout-title")),
        "Nested"
    );
    assert_eq!(
        nested
            .select(&scraper::Selector::parse("ul > li").unwrap())
            .map(|li| text(&li))
            .collect::<Vec<_>>(),
        ["one", "two"]
    );
    // Everything after the blocks is outside them.
    page.one(".prose > h2#custom-id");
}

#[test]
fn content_tabs_form_sets_with_labelled_panels() {
    let (course, page) = material();
    let sets = page.select(".prose > .tabbed-set");
    assert_eq!(sets.len(), 2, "`===!` starts a second set");
    let labels = |set: &scraper::ElementRef<'_>| -> Vec<String> {
        let label = scraper::Selector::parse(".tabbed-block > .tabbed-label").unwrap();
        set.select(&label).map(|l| text(&l)).collect()
    };
    assert_eq!(labels(&sets[0]), ["Linux", "macOS", "Windows"]);
    assert_eq!(labels(&sets[1]), ["Cats", "Dogs"]);
    assert_eq!(
        page.texts(".tabbed-label"),
        ["Linux", "macOS", "Windows", "Cats", "Dogs"]
    );
    // Without JavaScript the labels are headings one level below the section's.
    assert_eq!(page.select("h4.tabbed-label").len(), 5);
    page.one(".tabbed-block:has(> .tabbed-label) > pre.code[data-lang=sh]");
    assert_eq!(
        page.select(".tabbed-block[data-selected]")
            .iter()
            .map(text)
            .map(|t| t.split_whitespace().next().unwrap_or_default().to_string())
            .collect::<Vec<_>>(),
        ["Windows"]
    );
    assert_eq!(
        page.texts(".tabbed-set .tabbed-block > p"),
        ["brew install foo", "choco install foo", "Meow.", "Woof."]
    );
    // The tab script comes only with pages that have tabs.
    assert_eq!(
        page.attrs("script[src$='tabs.js']", "src"),
        ["../static/tabs.js"]
    );
    assert!(course.exists("public/static/tabs.js"));
    let plain = Course::new().lesson("01-m/01-plain.md", "# Plain\n\ntext\n");
    plain.build().assert_success();
    assert!(
        plain
            .page("m/plain.html")
            .select("script[src$='tabs.js']")
            .is_empty()
    );
    // So does the stylesheet of Material's blocks, on lessons and the home and module pages.
    assert_eq!(
        page.attrs("link[href$='material.css']", "href"),
        ["../static/material.css"]
    );
    assert!(
        plain
            .page("m/plain.html")
            .select("link[href$='material.css']")
            .is_empty()
    );
    let intro = Course::new()
        .lesson("_index.md", "Welcome.\n\n!!! info\n    Read this first.\n")
        .lesson("01-m/_index.md", "=== \"A\"\n    a\n")
        .lesson("01-m/01-plain.md", "# Plain\n");
    intro.build().assert_success();
    let home = intro.page("index.html");
    assert_eq!(
        home.attrs("link[href$='material.css']", "href"),
        ["static/material.css"]
    );
    home.one(".callout-info");
    let module = intro.page("m/index.html");
    assert_eq!(
        module.attrs("script[src$='tabs.js']", "src"),
        ["../static/tabs.js"]
    );
}

#[test]
fn heading_attribute_lists_work_with_spaces_and_a_colon() {
    let (_course, page) = material();
    assert_eq!(page.one("h2#custom-id").value().attr("class"), Some("cls"));
    assert_eq!(page.one("h3#colon-id").value().attr("class"), Some("wide"));
    assert_eq!(
        text(&page.one("h3#colon-id")).trim_end_matches('#').trim(),
        "Other"
    );
}

#[test]
fn task_lists_render_checkboxes() {
    let (_course, page) = material();
    let boxes = page.select(".prose li > input[type=checkbox]");
    assert_eq!(boxes.len(), 2);
    assert_eq!(boxes[0].value().attr("checked"), Some(""));
    assert_eq!(boxes[1].value().attr("checked"), None);
}

#[test]
fn a_broken_link_inside_an_admonition_is_reported_at_its_line() {
    let course = Course::new().lesson("01-m/01-material.md", LESSON);
    let run = course.build();
    run.assert_success().assert_stderr_contains(
        "warning: broken link to `nope.md`\n  --> content/01-m/01-material.md:4:15\n",
    );
    // Lines after the rewritten blocks keep their numbers too.
    let late = LESSON.to_string() + "\nLast [link](gone.md).\n";
    let line = late.lines().count();
    let course = Course::new().lesson("01-m/01-material.md", late);
    course
        .build()
        .assert_stderr_contains(&format!("--> content/01-m/01-material.md:{line}:6\n"));
}

#[test]
fn unsupported_syntax_is_reported_once_per_kind_at_its_first_place() {
    let course = Course::new()
        .lesson(
            "01-m/01-a.md",
            "# A\n\nSee ==this== and `==not this==`.\n\n```md\n++ctrl++ :material-x: --8<-- \"no.md\"\n```\n\n!!! note\n    Press ++ctrl+alt+del++.\n",
        )
        .lesson(
            "01-m/02-b.md",
            "# B\n\n==again== and ==more==\n\n--8<-- \"snippet.md\"\n\nA ^^caret^^ insert :octicons-mark-github-16:\n\n- item\n{ .annotate }\n\n*[HTML]: Hyper Text Markup Language\n\nA :fontawesome-brands-github: icon and a :material-check: icon.\n",
        );
    let run = course.build();
    run.assert_success();
    let stderr = run.diagnostics();
    let expected = [
        (
            "highlight `==text==` (pymdownx.mark)",
            "content/01-m/01-a.md:3:5",
            "shown with its `==` (and in 1 more place)",
        ),
        (
            "keys `++ctrl+alt+del++` (pymdownx.keys)",
            "content/01-m/01-a.md:10:11",
            "shown with its `++`",
        ),
        (
            "snippet `--8<--` (pymdownx.snippets)",
            "content/01-m/02-b.md:5:1",
            "the file is not included",
        ),
        (
            "insert `^^text^^` (pymdownx.caret)",
            "content/01-m/02-b.md:7:3",
            "shown with its `^^`",
        ),
        (
            "icon shortcode `:material-...:` (pymdownx.emoji)",
            "content/01-m/02-b.md:7:20",
            "shown as typed (and in 1 more place)",
        ),
        (
            "code annotations `{ .annotate }`",
            "content/01-m/02-b.md:10:1",
            "shown as typed; the annotations stay a plain list",
        ),
        (
            "abbreviation `*[ABBR]: ...` (abbr)",
            "content/01-m/02-b.md:12:1",
            "shown as a paragraph",
        ),
    ];
    for (what, place, label) in expected {
        let message = format!("warning: unsupported Material for MkDocs syntax: {what}");
        assert_eq!(
            stderr.matches(&message).count(),
            1,
            "{message} once:\n{stderr}"
        );
        let at = stderr.find(&message).unwrap();
        let block = &stderr[at..];
        let block = &block[..block[1..].find("warning:").map_or(block.len(), |i| i + 1)];
        assert!(
            block.contains(&format!("--> {place}\n")),
            "{what} at {place}:\n{block}"
        );
        assert!(block.contains(label), "{what} labelled {label:?}:\n{block}");
    }
    assert!(stderr.contains("0 errors, 7 warnings"), "{stderr}");
    // Warnings fail a strict build.
    course.build_strict().assert_code(1);
}

#[test]
fn the_exact_text_of_an_unsupported_syntax_warning() {
    let course = Course::new().lesson("01-m/01-a.md", "# A\n\nPress ++ctrl+c++ to stop.\n");
    let run = course.build();
    run.assert_success();
    assert_eq!(
        run.diagnostics(),
        "warning: unsupported Material for MkDocs syntax: keys `++ctrl+alt+del++` (pymdownx.keys)
  --> content/01-m/01-a.md:3:7
  |
3 | Press ++ctrl+c++ to stop.
  |       ^^^^^^^^^^ shown with its `++`
  |
  = help: use `<kbd>Ctrl</kbd>+<kbd>Alt</kbd>+<kbd>Del</kbd>`

0 errors, 1 warning"
    );
}

#[test]
fn an_admonition_inside_a_list_item_stays_in_the_item() {
    let course = Course::new().lesson(
        "01-m/01-a.md",
        "# A\n\n1. Install it.\n\n    !!! tip\n        Use the package manager.\n\n2. Run it.\n",
    );
    course.build().assert_success().assert_no_warnings();
    let page = course.page("m/a.html");
    page.one(".prose > ol > li > div.callout-tip");
    assert_eq!(page.select(".prose > ol > li").len(), 2);
}

#[path = "common/node.rs"]
mod node;

#[test]
fn a_material_lesson_is_valid_html() {
    let (course, _page) = material();
    node::assert_valid_html(&[course.path().join("public/m/material.html")]);
}
