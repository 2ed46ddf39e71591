use super::*;

/// The 1-based line of `offset` in `text`.
fn line_of(text: &str, offset: usize) -> usize {
    text[..offset].matches('\n').count() + 1
}

/// Every rewritten line maps back to an original line; returns the pairs (new, original).
fn line_pairs(body: &str) -> Vec<(usize, usize)> {
    let r = rewrite(body);
    let mut start = 0;
    let mut pairs = Vec::new();
    for line in r.text.split_inclusive('\n') {
        pairs.push((line_of(&r.text, start), line_of(body, r.original(start))));
        start += line.len();
    }
    pairs
}

const ADMONITIONS: &str = "# T\n\n!!! note \"Custom title\"\n    Body [link](x.md).\n\n    - a\n    - b\n\n!!! warning\n    Careful.\n\n!!! tip \"\"\n    Untitled.\n\nAfter.\n";

#[test]
fn admonitions_keep_every_line_in_place() {
    let r = rewrite(ADMONITIONS);
    assert_eq!(r.text.lines().count(), ADMONITIONS.lines().count());
    for (new, orig) in line_pairs(ADMONITIONS) {
        assert_eq!(new, orig, "{}", r.text);
    }
    let at = r.text.find("[link]").unwrap();
    let orig = r.original(at);
    assert_eq!(&ADMONITIONS[orig..orig + 6], "[link]");
}

#[test]
fn admonition_titles_follow_python_markdown() {
    let text = rewrite(ADMONITIONS).text;
    assert!(text.contains("<!-- material --><div class=\"callout callout-note\" role=\"note\"><p class=\"callout-title\">Custom title</p>\n"), "{text}");
    assert!(text.contains("<p class=\"callout-title\">Warning</p>"));
    assert!(text.contains("<div class=\"callout callout-tip\" role=\"note\">\n"));
    assert!(text.contains("\nBody [link](x.md).\n\n- a\n- b\n<!-- material --></div>\n"));
}

#[test]
fn aliases_unknown_types_and_extra_classes() {
    let text =
        rewrite("!!! tldr\n    x\n\n!!! pied-piper\n    y\n\n!!! info inline end \"T\"\n    z\n")
            .text;
    assert!(
        text.contains(
            "callout callout-abstract\" role=\"note\"><p class=\"callout-title\">Tldr</p>"
        )
    );
    assert!(text.contains("callout callout-note callout-pied-piper\""));
    assert!(text.contains("callout callout-info inline end\""));
}

#[test]
fn details_are_closed_or_open() {
    let text = rewrite("??? note \"Closed\"\n    a\n\n???+ example\n    b\n").text;
    assert!(text.contains(
        "<details class=\"callout callout-note\"><summary class=\"callout-title\">Closed</summary>"
    ));
    assert!(text.contains("<details class=\"callout callout-example\" open><summary class=\"callout-title\">Example</summary>"));
    assert_eq!(text.matches("</details>").count(), 2);
}

#[test]
fn nested_blocks_close_together_on_the_blank_line() {
    let body = "!!! note\n    outer\n\n    !!! bug\n        inner\n\n        ```sh\n        echo\n        ```\n\nafter\n";
    let r = rewrite(body);
    assert_eq!(
        r.text,
        "<!-- material --><div class=\"callout callout-note\" role=\"note\"><p class=\"callout-title\">Note</p>\nouter\n\n<!-- material --><div class=\"callout callout-bug\" role=\"note\"><p class=\"callout-title\">Bug</p>\ninner\n\n```sh\necho\n```\n<!-- material --></div></div>\nafter\n"
    );
}

#[test]
fn a_block_without_a_blank_line_after_it_gets_a_line_after_every_source_line() {
    let body = "!!! note\n    body\nNext\n";
    let r = rewrite(body);
    assert_eq!(
        r.text,
        "<!-- material --><div class=\"callout callout-note\" role=\"note\"><p class=\"callout-title\">Note</p>\nbody\n<!-- material --></div>\nNext\n"
    );
    let next = r.text.find("Next").unwrap();
    assert_eq!(line_of(body, r.original(next)), 3);
    assert_eq!(&body[r.original(next)..], "Next\n");
}

#[test]
fn blocks_at_the_end_close_without_moving_lines() {
    let r = rewrite("!!! note\n    body");
    assert!(
        r.text.ends_with("body\n<!-- material --></div>"),
        "{}",
        r.text
    );
    assert_eq!(r.original(r.text.len()), "!!! note\n    body".len());
}

#[test]
fn tabs_group_until_a_bang_or_other_text() {
    let body = "## H\n\n=== \"A\"\n    a\n\n===+ \"B\"\n    b\n\n===! \"C\"\n    c\n\ntext\n";
    let r = rewrite(body);
    assert_eq!(r.text.lines().count(), body.lines().count());
    assert_eq!(
        r.text
            .matches("<div class=\"tabbed-set\" data-tabs>")
            .count(),
        2
    );
    assert!(r.text.contains("<!-- material --><div class=\"tabbed-set\" data-tabs><div class=\"tabbed-block\"><h3 class=\"tabbed-label\">A</h3>\na\n<!-- material --></div>\n<!-- material --><div class=\"tabbed-block\" data-selected><h3 class=\"tabbed-label\">B</h3>\nb\n<!-- material --></div></div>\n"), "{}", r.text);
    assert!(r.text.ends_with("c\n<!-- material --></div></div>\ntext\n"));
}

#[test]
fn an_admonition_in_a_list_item_stays_in_it() {
    let body = "1. Step\n\n    !!! tip\n        Inside.\n\n2. Next\n";
    let r = rewrite(body);
    assert_eq!(
        r.text,
        "1. Step\n\n    <!-- material --><div class=\"callout callout-tip\" role=\"note\"><p class=\"callout-title\">Tip</p>\n    Inside.\n    <!-- material --></div>\n2. Next\n"
    );
}

#[test]
fn nothing_changes_in_code_fences_or_indented_code() {
    let body = "```markdown\n!!! note \"x\"\n    ==mark== ++ctrl++ :material-check:\n=== \"Tab\"\n    body\n## H {: #id }\n```\n\n~~~\n--8<-- \"file.md\"\n~~~\n\nText.\n\n    !!! note\n        code\n";
    let r = rewrite(body);
    assert_eq!(r.text, body);
    assert!(r.found.is_empty(), "{:?}", r.found);
    assert_eq!(r.original(5), 5);
}

#[test]
fn ordinary_markdown_is_untouched() {
    let body = "# Title\n\nSome *text*, a [link](a.md), x == y and C++ or i++.\n\n- [x] done\n\n> [!NOTE]\n> GitHub alert.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nSetext\n===\n";
    let r = rewrite(body);
    assert_eq!(r.text, body);
    assert!(r.found.is_empty(), "{:?}", r.found);
}

#[test]
fn colon_attribute_lists_on_headings_keep_their_length() {
    let r = rewrite("## Title {: #custom-id .cls }\n");
    assert_eq!(r.text, "## Title {  #custom-id .cls }\n");
}

#[test]
fn unsupported_syntax_is_found_outside_code_with_its_span() {
    let body = "A ==mark== and `==code==`.\n\n!!! note\n    ^^ins^^ ++ctrl+alt+del++\n\n--8<-- \"x.md\"\n\n``` { .annotate }\ncode\n```\n\n- item { .annotate }\n\n*[HTML]: Hyper Text\n\n:fontawesome-brands-github: and :octicons-mark-github-16:\n";
    let r = rewrite(body);
    let found: Vec<(Unsupported, &str, usize)> = r
        .found
        .iter()
        .map(|(k, s)| (*k, &body[s.clone()], line_of(body, s.start)))
        .collect();
    assert_eq!(
        found,
        [
            (Unsupported::Mark, "==mark==", 1),
            (Unsupported::Insert, "^^ins^^", 4),
            (Unsupported::Keys, "++ctrl+alt+del++", 4),
            (Unsupported::Snippet, "--8<--", 6),
            (Unsupported::Annotate, "{ .annotate }", 12),
            (Unsupported::Abbreviation, "*[HTML]:", 14),
            (Unsupported::Icon, ":fontawesome-brands-github:", 16),
        ]
    );
}

#[test]
fn once_per_build_keeps_the_first_place_and_counts_the_rest() {
    let page_of = |path: &str, text: &str| Page {
        source: path.into(),
        display: path.into(),
        output: String::new(),
        title: String::new(),
        front: Default::default(),
        text: std::sync::Arc::from(text),
        body_offset: 0,
        chapter: None,
        origin: None,
    };
    let (a, b) = (
        page_of("a.md", "==a==\n==b==\n"),
        page_of("b.md", "++x++ ==c==\n"),
    );
    let page = rewrite(&a.text).diagnostics(&a);
    let other = rewrite(&b.text).diagnostics(&b);
    let merged = once_per_build([page.as_slice(), other.as_slice()]);
    assert_eq!(merged.len(), 2);
    assert_eq!(merged[0].line_col(), Some((1, 1)));
    assert_eq!(
        merged[0].label,
        "shown with its `==` (and in 2 more places)"
    );
    assert_eq!(merged[1].label, "shown with its `++`");
}
