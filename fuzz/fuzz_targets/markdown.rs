//! Markdown to HTML with every extension (anchors, alerts, link rewriting, code-fence
//! attributes, quizzes, checklists, box drawing): any lesson text renders, never panics.
//! Diagrams are left out (they are merman's, fuzzed upstream) by turning ```mermaid fences
//! into plain code.
#![no_main]

use std::path::PathBuf;
use std::sync::{Arc, LazyLock};

use coursebook::content::{Course, Module, Page};
use coursebook::diagnostics::Severity;
use coursebook::links::LinkMap;
use coursebook::markdown::{self, Checks};
use libfuzzer_sys::fuzz_target;

fn page(output: &str, text: &str) -> Page {
    Page {
        source: PathBuf::from(format!("01-m/{output}.md")),
        display: PathBuf::from(format!("content/01-m/{output}.md")),
        output: format!("m/{output}.html"),
        title: output.to_string(),
        front: Default::default(),
        text: Arc::from(text),
        body_offset: 0,
        chapter: None,
    }
}

/// A course with two lessons, so that links between lessons resolve.
static MAP: LazyLock<LinkMap> = LazyLock::new(|| {
    let course = Course {
        content_dir: PathBuf::from("/nonexistent/content"),
        content_display: PathBuf::from("content"),
        index: None,
        modules: vec![Module {
            source_dir: PathBuf::from("01-m"),
            slug: "m".into(),
            title: "M".into(),
            description: None,
            index: None,
            lessons: vec![page("a", "# A\n"), page("b", "# B\n")],
            drafts: Vec::new(),
            untitled: false,
        }],
        assets: Vec::new(),
        layout: Default::default(),
    };
    LinkMap::new(&course)
});

fuzz_target!(|text: &str| {
    let text = text.replace("mermaid", "text");
    let checks = Checks {
        strict: true,
        broken_links: Severity::Warning,
        // mdBook books read `--` and quotes typographically: half the inputs do too.
        smart_punctuation: text.len() % 2 == 1,
    };
    let _ = markdown::render(&page("a", &text), &MAP, checks, &Default::default());
});
