//! Reports for CI: JUnit XML (one test case per snippet, grouped by lesson), JSON, and GitHub
//! Actions annotations that point at the lesson line.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::time::Duration;

use super::{Outcome, Status};
use crate::html;

/// Text for an XML attribute or element: escaped, and with the control characters XML 1.0
/// cannot hold at all (a coloured ESC, NUL) written as `\x1b`, so the report stays readable.
fn escape_attr(text: &str) -> String {
    let visible: String = text
        .chars()
        .map(|c| match c {
            '\t' | '\n' | '\r' => c.to_string(),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {
                format!("\\x{:02x}", c as u32)
            }
            c => c.to_string(),
        })
        .collect();
    html::escape_attr(&visible)
}

/// `path:line` split into the lesson and the line.
fn place(snippet: &str) -> (&str, &str) {
    snippet.rsplit_once(':').unwrap_or((snippet, "0"))
}

pub fn junit(outcomes: &[Outcome], elapsed: Duration) -> String {
    let count = |status: &Status| outcomes.iter().filter(|o| &o.status == status).count();
    let failures = count(&Status::Fail) + count(&Status::Timeout) + count(&Status::Oom);
    let mut by_lesson: BTreeMap<&str, Vec<&Outcome>> = BTreeMap::new();
    for o in outcomes {
        by_lesson.entry(place(&o.snippet).0).or_default().push(o);
    }
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        xml,
        "<testsuites name=\"coursebook verify\" tests=\"{}\" failures=\"{failures}\" errors=\"{}\" time=\"{:.3}\">",
        outcomes.len(),
        count(&Status::Error),
        elapsed.as_secs_f64()
    );
    for (lesson, cases) in by_lesson {
        let failed = cases
            .iter()
            .filter(|o| matches!(o.status, Status::Fail | Status::Timeout | Status::Oom))
            .count();
        let errors = cases.iter().filter(|o| o.status == Status::Error).count();
        let skipped = cases.iter().filter(|o| o.status == Status::Skip).count();
        let time: f64 = cases.iter().map(|o| o.seconds).sum();
        let _ = writeln!(
            xml,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failed}\" errors=\"{errors}\" skipped=\"{skipped}\" time=\"{time:.3}\">",
            escape_attr(lesson),
            cases.len()
        );
        for o in cases {
            let (_, line) = place(&o.snippet);
            let _ = write!(
                xml,
                "    <testcase classname=\"{}\" name=\"line {}\" file=\"{}\" line=\"{}\" time=\"{:.3}\"",
                escape_attr(lesson),
                escape_attr(line),
                escape_attr(lesson),
                escape_attr(line),
                o.seconds
            );
            let first = o.detail.lines().next().unwrap_or_default();
            match o.status {
                Status::Pass => xml.push_str("/>\n"),
                Status::Skip => {
                    let _ = writeln!(
                        xml,
                        "><skipped message=\"{}\"/></testcase>",
                        escape_attr(&o.detail)
                    );
                }
                Status::Error => {
                    let _ = writeln!(
                        xml,
                        "><error message=\"{}\">{}</error></testcase>",
                        escape_attr(first),
                        escape_attr(&o.detail)
                    );
                }
                Status::Fail | Status::Timeout | Status::Oom => {
                    let _ = writeln!(
                        xml,
                        "><failure type=\"{}\" message=\"{}\">{}</failure></testcase>",
                        o.status.label(),
                        escape_attr(first),
                        escape_attr(&o.detail)
                    );
                }
            }
        }
        xml.push_str("  </testsuite>\n");
    }
    xml.push_str("</testsuites>\n");
    xml
}

pub fn json(outcomes: &[Outcome], elapsed: Duration) -> String {
    let snippets: Vec<serde_json::Value> = outcomes
        .iter()
        .map(|o| {
            let (file, line) = place(&o.snippet);
            serde_json::json!({
                "file": file,
                "line": line.parse::<u64>().unwrap_or(0),
                "status": o.status.label().to_lowercase(),
                "detail": o.detail,
                "seconds": o.seconds,
                "failed_at_line": o.line,
            })
        })
        .collect();
    let report = serde_json::json!({
        "tool": concat!("coursebook ", env!("CARGO_PKG_VERSION")),
        "seconds": elapsed.as_secs_f64(),
        "snippets": snippets,
    });
    serde_json::to_string_pretty(&report).unwrap_or_default() + "\n"
}

/// `::error file=...,line=...::` lines, which GitHub shows on the lesson in a pull request.
pub fn github_annotations(outcomes: &[Outcome]) -> String {
    let mut out = String::new();
    for o in outcomes {
        if matches!(o.status, Status::Pass | Status::Skip) {
            continue;
        }
        let (file, line) = place(&o.snippet);
        let line = o.line.map_or(line.to_string(), |l| l.to_string());
        // Workflow commands escape %, CR and LF in their message.
        let message = format!("{}: {}", o.status.label(), o.detail)
            .replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A");
        let _ = writeln!(
            out,
            "::error file={file},line={line},title=coursebook verify::{message}"
        );
    }
    out
}
