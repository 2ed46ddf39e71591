//! The print page: the whole course on one page (`print.html`), linked from the home page,
//! lessons in course order under their modules, one set of ids (no duplicates), links between
//! lessons turned into links within the page (a diagram's too), images re-rooted, quiz answers in disclosures.

mod common;
use common::{Course, Page};
use std::collections::HashMap;

const QUIZ: &str = "```quiz\n[[question]]\ntype = \"single\"\nprompt = \"Which is the template?\"\nexplain = \"The image is the template.\"\n  [[question.choice]]\n  text = \"The image\"\n  correct = true\n  [[question.choice]]\n  text = \"The container\"\n```\n";

fn course() -> Course {
    Course::new()
        .lesson(
            "01-basics/01-one.md",
            "# One\n\n## Goals\n\nSee [setup](../02-more/01-two.md#setup) and [goals](#goals).\n\n![A pixel](pixel.png)\n",
        )
        .lesson("01-basics/pixel.png", [0x89, b'P', b'N', b'G'])
        .lesson(
            "01-basics/02-quiz.md",
            format!("# Quiz\n\n## Goals\n\nBack to [one](01-one.md).\n\n{QUIZ}"),
        )
        .lesson(
            "02-more/01-two.md",
            "# Two\n\n## Goals\n\n## Setup\n\n```mermaid\nflowchart LR\n  A --> B\n```\n",
        )
}

/// Every id in the page (inline SVG's too), with how often each occurs.
fn ids(page: &Page) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for id in page.attrs("[id]", "id") {
        *counts.entry(id).or_insert(0) += 1;
    }
    counts
}

#[test]
fn the_print_page_holds_every_lesson_in_order_with_working_links() {
    let course = course();
    course.build().assert_success();
    let home = course.page("index.html");
    assert_eq!(home.attrs("a[href='print.html']", "href").len(), 1);

    let print = course.page("print.html");
    assert_eq!(print.texts(".print-module > h2"), ["Basics", "More"]);
    assert_eq!(print.texts(".print-lesson > h2"), ["One", "Quiz", "Two"]);

    let ids = ids(&print);
    let duplicates: Vec<_> = ids.iter().filter(|(_, n)| **n > 1).collect();
    assert!(duplicates.is_empty(), "duplicate ids: {duplicates:?}");
    // Every link within the page lands somewhere.
    for href in print.attrs("a[href^='#']", "href") {
        assert!(ids.contains_key(&href[1..]), "{href} has no target");
    }
    let links = print.attrs(".print-lesson a", "href");
    assert!(links.contains(&"#more-two-setup".to_string()), "{links:?}");
    assert!(
        links.contains(&"#basics-one-goals".to_string()),
        "{links:?}"
    );
    assert!(links.contains(&"#basics-one".to_string()), "{links:?}");

    // Images from the print page's folder (the site's top).
    let srcs = print.attrs(".print-lesson img", "src");
    assert_eq!(srcs, ["basics/pixel.png"]);
    assert!(course.exists(&format!("public/{}", srcs[0])));

    // The diagram is inline SVG; the quiz answer is in a disclosure.
    // The diagram keeps the ids its own style rules name (unique in the course already).
    let svg_ids = print.attrs("#more-two figure.diagram svg", "id");
    assert!(!svg_ids.is_empty());
    assert!(
        svg_ids.iter().all(|id| id.starts_with("more-two-diagram-")),
        "{svg_ids:?}"
    );
    let answers = print.texts("#basics-quiz details");
    assert!(
        answers
            .iter()
            .any(|a| a.contains("The image is the template.")),
        "{answers:?}"
    );
}

/// The print page puts each lesson's body in while it is written, in place of a marker its
/// template got: a lesson whose own HTML looks like such a marker keeps it as written, and
/// every lesson body is in the page exactly once.
#[test]
fn a_lesson_that_looks_like_the_print_pages_stand_in_is_printed_as_written() {
    let lookalike = "<!--coursebook-print-0000000000000000-0-->";
    let course = Course::new()
        .lesson(
            "01-basics/01-one.md",
            format!("# One\n\n{lookalike}\n\nThe first body.\n"),
        )
        .lesson("01-basics/02-two.md", "# Two\n\nThe second body.\n");
    course.build().assert_success();
    let html = course.read("public/print.html");
    assert_eq!(html.matches(lookalike).count(), 1, "{html}");
    assert_eq!(html.matches("The first body.").count(), 1);
    assert_eq!(html.matches("The second body.").count(), 1);
    let print = course.page("print.html");
    assert_eq!(print.texts(".print-lesson > h2"), ["One", "Two"]);
}
