//! Markdown features through the built pages: ids, table of contents, alerts, tables, task
//! lists, footnotes, odd fences and line endings.

mod common;
use common::{Course, text};

fn one_lesson(body: &str) -> Course {
    let course = Course::new().lesson("01-basics/01-page.md", body);
    course.build().assert_success();
    course
}

#[test]
fn heading_ids_are_github_slugs_with_numbered_duplicates() {
    let course = one_lesson(
        "# Page\n\n## Docker vs. Virtual Machines\n\n## 🎯 Module Overview\n\n## Setup\n\n### Setup\n\n## Setup\n\n## `docker run` -- options_here!\n",
    );
    let page = course.page("basics/page.html");
    let ids = page.attrs(".prose h2, .prose h3", "id");
    assert_eq!(
        ids,
        [
            "docker-vs-virtual-machines",
            "-module-overview",
            "setup",
            "setup-1",
            "setup-2",
            "docker-run----options_here"
        ]
    );
}

#[test]
fn every_heading_has_a_hover_anchor_to_itself() {
    let course = one_lesson("## First part\n\ntext\n");
    let page = course.page("basics/page.html");
    let anchor = page.one("h2#first-part a.anchor");
    assert_eq!(anchor.value().attr("href"), Some("#first-part"));
}

#[test]
fn table_of_contents_lists_h2_and_h3_only() {
    let course = one_lesson("## One\n\n### One point one\n\n#### Deep\n\n## Two\n");
    let page = course.page("basics/page.html");
    let toc = page.select("aside.toc a");
    let links: Vec<(String, String)> = toc
        .iter()
        .map(|a| {
            (
                text(a),
                a.value().attr("href").unwrap_or_default().to_string(),
            )
        })
        .collect();
    assert_eq!(
        links,
        [
            ("One".to_string(), "#one".to_string()),
            ("One point one".to_string(), "#one-point-one".to_string()),
            ("Two".to_string(), "#two".to_string()),
        ]
    );
}

#[test]
fn heading_attributes_set_id_and_class() {
    let course = one_lesson("## Custom {#my-id .special}\n");
    let page = course.page("basics/page.html");
    let h2 = page.one("h2#my-id");
    assert_eq!(h2.value().attr("class"), Some("special"));
}

#[test]
fn github_alerts_become_callouts() {
    let course = one_lesson(
        "> [!NOTE]\n> Useful.\n\n> [!TIP]\n> Try.\n\n> [!IMPORTANT]\n> Key.\n\n> [!WARNING]\n> Careful.\n\n> [!CAUTION]\n> Danger.\n\n> plain quote\n",
    );
    let page = course.page("basics/page.html");
    let kinds: Vec<String> = page
        .select(".prose .callout")
        .iter()
        .map(|e| e.value().attr("class").unwrap_or_default().to_string())
        .collect();
    assert_eq!(
        kinds,
        [
            "callout callout-note",
            "callout callout-tip",
            "callout callout-important",
            "callout callout-warning",
            "callout callout-caution"
        ]
    );
    assert_eq!(
        page.texts(".callout-title"),
        ["Note", "Tip", "Important", "Warning", "Caution"]
    );
    assert_eq!(page.texts(".prose blockquote"), ["plain quote"]);
}

#[test]
fn tables_task_lists_strikethrough_and_footnotes_render() {
    let course = one_lesson(
        "| Question | ✓ |\n|---|:-:|\n| Can I? | |\n\n- [ ] open\n- [x] done\n\n~~old~~ new\n\nClaim[^1].\n\n[^1]: Source.\n",
    );
    let page = course.page("basics/page.html");
    assert_eq!(page.select(".prose .table-wrap > table").len(), 1);
    assert_eq!(page.texts(".prose th"), ["Question", "✓"]);
    // Two task-list items and the ✓ column's one row are tickable.
    assert_eq!(page.select(".prose input[type=checkbox]").len(), 3);
    assert_eq!(page.select(".prose td > input.check").len(), 1);
    assert_eq!(page.select(".prose input[type=checkbox][checked]").len(), 1);
    assert_eq!(page.texts(".prose del"), ["old"]);
    assert_eq!(page.select(".prose .footnote-definition").len(), 1);
}

#[test]
fn crlf_bom_and_tabs_parse_like_plain_lf() {
    let lf = "+++\ntitle = \"Endings\"\n+++\n\n## Part one\n\n- item\n\t- nested with a tab\n\n```bash\necho hi\n```\n";
    let crlf = format!("\u{feff}{}", lf.replace('\n', "\r\n"));
    let a = Course::new().lesson("01-m/01-p.md", lf);
    let b = Course::new().lesson("01-m/01-p.md", crlf);
    a.build().assert_success();
    b.build().assert_success();
    let (pa, pb) = (a.page("m/p.html"), b.page("m/p.html"));
    assert_eq!(pa.texts("h1"), ["Endings"]);
    assert_eq!(pb.texts("h1"), ["Endings"]);
    assert_eq!(pa.one(".prose").html(), pb.one(".prose").html());
    assert!(!pb.html().contains('\r'));
}

#[test]
fn tilde_long_and_unterminated_fences_all_render_as_code() {
    let course = one_lesson(
        "~~~yaml\nkey: 1\n~~~\n\n````markdown\n```bash\nnested\n```\n````\n\n```bash\necho never closed\n",
    );
    let page = course.page("basics/page.html");
    let blocks = page.select(".prose pre.code");
    assert_eq!(blocks.len(), 3);
    assert!(text(&blocks[1]).contains("```bash"));
    assert!(text(&blocks[2]).contains("echo never closed"));
}

#[test]
fn raw_html_passes_through() {
    let course = one_lesson("<details><summary>More</summary>\n\nHidden *text*.\n\n</details>\n");
    let page = course.page("basics/page.html");
    assert_eq!(page.texts(".prose details summary"), ["More"]);
    assert_eq!(page.texts(".prose details em"), ["text"]);
}

#[test]
fn box_drawing_blocks_are_marked_for_tight_line_height() {
    let course = one_lesson("```\n┌──┐\n│  │\n└──┘\n```\n\n```\nplain\n```\n");
    let page = course.page("basics/page.html");
    assert_eq!(page.select(".prose pre.code.boxdraw").len(), 1);
    assert_eq!(page.select(".prose pre.code").len(), 2);
}

#[test]
fn opening_title_heading_is_not_repeated_in_the_body() {
    let course = one_lesson("# Page Title\n\nIntro.\n\n# Second h1\n");
    let page = course.page("basics/page.html");
    assert_eq!(page.texts("h1"), ["Page Title", "Second h1 #"]);
}

/// A 1×1 PNG.
const PIXEL: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 0, 0,
    1, 0, 0, 0, 1, 8, 0, 0, 0, 0, 0x3a, 0x7e, 0x9b, 0x55, 0, 0, 0, 0x0a, 0x49, 0x44, 0x41, 0x54,
    0x78, 0x9c, 0x63, 0x60, 0, 0, 0, 2, 0, 1, 0x48, 0xaf, 0xa4, 0x71, 0, 0, 0, 0, 0x49, 0x45, 0x4e,
    0x44, 0xae, 0x42, 0x60, 0x82,
];

#[test]
fn an_image_without_alt_text_is_a_warning_and_an_error_under_strict() {
    let body = "# Pictures\n\nIntro.\n\n![](pic.png)\n\n![A described picture](pic.png)\n\n![ `  ` ](pic.png)\n";
    let course = Course::new()
        .lesson("01-basics/01-page.md", body)
        .lesson("01-basics/pic.png", PIXEL);
    let expected = |severity: &str| {
        format!(
            "{severity}: image without alt text\n  --> content/01-basics/01-page.md:5:1\n  |\n5 | ![](pic.png)\n  | ^^^^^^^^^^^^ screen readers announce only the file name\n"
        )
    };
    let run = course.build();
    run.assert_success();
    run.assert_stderr_contains(&expected("warning"));
    run.assert_stderr_contains("content/01-basics/01-page.md:9:1");
    assert!(!run.stderr.contains(":7:1"), "{}", run.stderr);
    assert_eq!(run.stderr.matches("image without alt text").count(), 2);
    let page = course.page("basics/page.html");
    let alts = page.attrs("img", "alt");
    assert_eq!(alts.len(), 3, "{alts:?}");
    assert_eq!(alts[1], "A described picture");
    let strict = course.build_strict();
    strict.assert_code(1);
    strict.assert_stderr_contains(&expected("error"));
}
