//! Inputs the fuzzers (fuzz/) found to crash or hang coursebook, each kept as a test of the
//! fixed behaviour.

mod common;

use std::time::Duration;

use common::Course;

/// front_matter, crash-7cc0dbe6: a first line of `---` and a no-break space (as pasted from a
/// web page) opened front matter, and the header was then sliced one byte in, inside the
/// space's two bytes: a panic.
#[test]
fn a_fence_line_ending_in_a_no_break_space_opens_front_matter_without_a_panic() {
    let course = Course::new()
        .lesson("01-m/01-a.md", "---\u{a0}\ntitle: Pasted\n---\n\nBody.\n")
        .lesson(
            "01-m/02-b.md",
            "---\u{a0}\n\nd\",\ntr \"\u{a0}\u{a0}\n---\n= \"k",
        );
    let run = course.build();
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    // The second is the fuzzer's input: not YAML, so an error at its line, not a crash.
    run.assert_code(1);
    run.assert_stderr_contains("content/01-m/02-b.md:3");
    let course = Course::new().lesson("01-m/01-a.md", "---\u{a0}\ntitle: Pasted\n---\n\nBody.\n");
    course.build().assert_success();
    assert_eq!(course.page("m/a.html").texts("h1"), ["Pasted"]);
}

/// console, timeout-6e620357: a block with thirty `...` lines against output that does not
/// match took exponential time (each `...` tried every number of lines to skip, nested).
#[test]
fn many_ellipsis_lines_against_long_output_are_decided_at_once() {
    let mut expected: Vec<String> = Vec::new();
    for _ in 0..30 {
        expected.push("...".into());
        expected.push("line".into());
    }
    expected.push("a line that never comes".into());
    let actual = "line\n".repeat(400);
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(coursebook::verify::expect::matches(&expected, &actual));
    });
    let matched = rx
        .recv_timeout(Duration::from_secs(10))
        .expect("matching took more than 10 s");
    assert!(!matched);
    // And the same shape that does match still does.
    let expected: Vec<String> = ["...", "line", "...", "end"].map(String::from).to_vec();
    assert!(coursebook::verify::expect::matches(
        &expected,
        &format!("{}end\n", "line\n".repeat(400))
    ));
}
