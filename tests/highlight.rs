//! Code blocks: server-side highlighting with CSS classes for every language a Docker course
//! uses; unknown languages stay plain and escaped.

mod common;
use common::Course;

const SAMPLES: &[(&str, &str)] = &[
    ("bash", "if [ -f x ]; then echo \"hi\"; fi"),
    ("sh", "export A=1 # comment"),
    ("shell", "for f in *; do echo $f; done"),
    ("console", "$ docker ps # list"),
    (
        "dockerfile",
        "FROM python:3.11-slim AS base\n# deps\nENV PORT=8000\nRUN pip install \"flask==3.0\"",
    ),
    ("yaml", "services:\n  web:\n    image: nginx # c"),
    ("json", "{\"a\": [1, true]}"),
    ("toml", "[book]\ntitle = \"x\""),
    ("python", "def f(x):\n    return \"s\""),
    ("javascript", "const x = () => 'y';"),
    ("nginx", "server {\n  listen 80;\n}"),
    ("sql", "SELECT * FROM t WHERE id = 1;"),
    ("ini", "[section]\nkey = value"),
    ("env", "DATABASE_URL=postgres://x\n# comment"),
    ("diff", "--- a\n+++ b\n-old\n+new"),
    ("rust", "fn main() { let s = \"x\"; }"),
    ("go", "package main\nfunc main() {}"),
    ("html", "<p class=\"x\">hi</p>"),
    ("css", "body { color: red; }"),
];

#[test]
fn every_course_language_gets_highlight_classes_and_no_inline_styles() {
    let mut body = String::from("# Code\n\n");
    for (lang, code) in SAMPLES {
        body.push_str(&format!("```{lang}\n{code}\n```\n\n"));
    }
    let course = Course::new().lesson("01-m/01-code.md", body);
    course.build_strict().assert_success().assert_no_warnings();
    let page = course.page("m/code.html");
    let blocks = page.select(".prose pre.code");
    assert_eq!(blocks.len(), SAMPLES.len());
    for (block, (lang, _)) in blocks.iter().zip(SAMPLES) {
        let html = block.html();
        assert_eq!(block.value().attr("data-lang"), Some(*lang));
        let scopes: std::collections::BTreeSet<&str> = html
            .split(|c: char| c == '"' || c.is_whitespace())
            .filter(|w| w.starts_with("hl-"))
            .collect();
        // Two kinds of token at least (each sample mixes e.g. keywords and strings).
        assert!(scopes.len() >= 2, "{lang} is barely highlighted: {html}");
        assert!(!html.contains("style="), "{lang} has inline styles");
    }
}

#[test]
fn info_string_attributes_do_not_hide_the_language() {
    let course = Course::new().lesson(
        "01-m/01-a.md",
        "```bash {verify session=app}\necho hi\n```\n",
    );
    course.build().assert_success();
    let page = course.page("m/a.html");
    assert_eq!(page.attrs("pre.code", "data-lang"), ["bash"]);
}

#[test]
fn unknown_language_is_plain_escaped_and_warned_only_when_strict() {
    let course = Course::new().lesson("01-m/01-a.md", "```klingon\n<b>qapla'</b>\n```\n");
    course.build().assert_success().assert_no_warnings();
    let page = course.page("m/a.html");
    let code = page.one("pre.code code");
    assert!(
        code.html().contains("&lt;b&gt;"),
        "escaped: {}",
        code.html()
    );
    let run = course.build_strict();
    run.assert_code(1);
    run.assert_stderr_contains("unknown language `klingon` in code block");
}

#[test]
fn console_sessions_separate_prompt_command_and_output() {
    let course = Course::new().lesson(
        "01-m/01-a.md",
        "```console\n$ docker run --rm \\\n    alpine echo \"hi\"\nhi\n$ docker ps -q\n```\n",
    );
    course.build().assert_success();
    let page = course.page("m/a.html");
    assert_eq!(page.texts("pre.code .hl-prompt"), ["$", "$"]);
    assert_eq!(page.texts("pre.code .hl-output"), ["hi"]);
    let strings = page.texts("pre.code .hl-string");
    assert!(
        strings.iter().any(|s| s.contains("\"hi\"")),
        "the continuation line is highlighted as shell: {strings:?}"
    );
}
