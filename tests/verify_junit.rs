//! `coursebook verify --junit FILE` writes JUnit XML that CI servers accept: it validates
//! against the Jenkins xUnit plugin's JUnit schema (tests/fixtures/junit/junit-10.xsd, with
//! `xmllint --schema`), and its tests/failures/errors/skipped counts match its test cases.
//! Snippets run for real on a Docker engine, as in tests/verify.rs.

mod common;
#[path = "common/docker.rs"]
mod docker;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::Course;

fn schema() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/junit/junit-10.xsd")
}

/// Whether `xmllint` is here; without it the tests skip and say why, and under CI they fail.
fn xmllint() -> bool {
    let found = Command::new("xmllint")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        let reason = "no xmllint to validate JUnit XML with (apt-get install libxml2-utils)";
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("JUnit schema tests cannot run under CI: {reason}");
        }
        eprintln!("skipping JUnit schema tests: {reason}");
    }
    found
}

/// `xmllint --noout --schema junit-10.xsd FILE`: `Err` holds what xmllint said.
fn validate(file: &Path) -> Result<(), String> {
    let out = Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(schema())
        .arg(file)
        .output()
        .expect("run xmllint");
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

fn course(image: &str) -> Course {
    Course::bare()
        .file(
            "book.toml",
            format!("[book]\ntitle = \"J\"\n\n[verify]\nimage = \"{image}\"\ntimeout = \"20s\"\n"),
        )
        .lesson(
            "01-m/01-a.md",
            r#"# A

```sh {verify}
echo hello
```

```console {verify}
$ echo '<b> & "quoted"'
<b> & "quoted"
```

```sh {verify}
exit 4
```

```console {verify}
$ echo '<actual> & "more"'
expected
```
"#,
        )
        .lesson(
            "01-m/02-b.md",
            r#"# B

```sh {verify timeout=1s}
sleep 5
```

```sh {verify skip="needs a GPU & <drivers>"}
nvidia-smi
```

```sh {verify}
echo fine
```
"#,
        )
}

#[test]
fn junit_report_of_passes_failures_timeouts_and_skips_validates_against_the_schema() {
    let Some(image) = docker::busybox() else {
        return;
    };
    if !xmllint() {
        return;
    }
    let course = course(image);
    let run = course.run(&[
        "verify",
        "--root",
        ".",
        "--no-cache",
        "--junit",
        "junit.xml",
    ]);
    run.assert_code(1);
    let file = course.path().join("junit.xml");
    let xml = course.read("junit.xml");
    if let Err(complaint) = validate(&file) {
        panic!("the JUnit report does not validate against junit-10.xsd:\n{complaint}\n{xml}");
    }

    let report = Report::parse(&xml);
    let root = &report.root;
    // (The schema has no `skipped` on the root: the suites' counts carry it.)
    assert_eq!(
        (root.get("tests"), root.get("failures"), root.get("errors")),
        (Some("7"), Some("3"), Some("0")),
        "{xml}"
    );
    assert_eq!(
        report.suites.iter().map(|s| s.name()).collect::<Vec<_>>(),
        ["content/01-m/01-a.md", "content/01-m/02-b.md"]
    );
    // Each suite's counts are its test cases', and add up to the root's.
    let mut sums = [0usize; 4];
    for suite in &report.suites {
        let counted = [
            suite.cases.len(),
            suite.count("failure"),
            suite.count("error"),
            suite.count("skipped"),
        ];
        let claimed = ["tests", "failures", "errors", "skipped"]
            .map(|a| suite.attrs.get(a).and_then(|v| v.parse::<usize>().ok()));
        assert_eq!(claimed, counted.map(Some), "suite {}:\n{xml}", suite.name());
        for (sum, n) in sums.iter_mut().zip(counted) {
            *sum += n;
        }
    }
    assert_eq!(sums, [7, 3, 0, 1], "{xml}");
    let outcomes: Vec<(String, Option<String>)> = report
        .suites
        .iter()
        .flat_map(|s| &s.cases)
        .map(|c| {
            let mark = c.outcome.as_ref().map(|(tag, attrs)| match tag.as_str() {
                "failure" => format!("failure {}", attrs.get("type").unwrap_or_default()),
                other => other.to_string(),
            });
            (c.attrs.get("name").unwrap_or_default().to_string(), mark)
        })
        .collect();
    let expected = [
        ("line 3", None),
        ("line 7", None),
        ("line 12", Some("failure FAIL")),
        ("line 16", Some("failure FAIL")),
        ("line 3", Some("failure TIMEOUT")),
        ("line 7", Some("skipped")),
        ("line 11", None),
    ]
    .map(|(n, m)| (n.to_string(), m.map(str::to_string)));
    assert_eq!(outcomes, expected, "{xml}");
    // Messages arrive unescaped: what the lesson and the container said.
    let message = |suite: usize, case: usize| {
        report.suites[suite].cases[case]
            .outcome
            .as_ref()
            .and_then(|(_, a)| a.get("message").map(str::to_string))
            .unwrap_or_default()
    };
    assert_eq!(message(0, 2), "exited with 4 (expected 0)");
    assert_eq!(message(0, 3), "$ echo '<actual> & \"more\"'");
    assert_eq!(message(1, 0), "still running after 1 s");
    assert_eq!(message(1, 1), "needs a GPU & <drivers>");

    // The check can fail: the same report with an attribute the schema does not know.
    let broken = course.path().join("broken.xml");
    std::fs::write(
        &broken,
        xml.replacen("<testcase ", "<testcase verdict=\"?\" ", 1),
    )
    .unwrap();
    assert!(
        validate(&broken).is_err_and(|e| e.contains("verdict")),
        "xmllint accepts an unknown attribute: the schema check checks nothing"
    );
}

#[test]
fn control_characters_in_snippet_output_keep_the_report_well_formed() {
    // Coloured output (ESC) and stray NULs cannot appear in XML 1.0, not even as `&#27;`.
    let Some(image) = docker::busybox() else {
        return;
    };
    if !xmllint() {
        return;
    }
    let course = Course::bare()
        .file(
            "book.toml",
            format!("[book]\ntitle = \"J\"\n\n[verify]\nimage = \"{image}\"\n"),
        )
        .lesson(
            "01-m/01-a.md",
            "# C\n\n```sh {verify}\nprintf '\\033[31mred\\033[0m \\001 \\000 nul\\n'; exit 1\n```\n",
        );
    let run = course.run(&[
        "verify",
        "--root",
        ".",
        "--no-cache",
        "--junit",
        "junit.xml",
    ]);
    run.assert_code(1);
    let xml = course.read("junit.xml");
    if let Err(complaint) = validate(&course.path().join("junit.xml")) {
        panic!(
            "a failure whose output holds control characters breaks the report:\n{complaint}\n{xml:?}"
        );
    }
    let report = Report::parse(&xml);
    assert_eq!(report.root.get("failures"), Some("1"), "{xml}");
    let detail = &report.suites[0].cases[0].text;
    assert!(detail.contains("red"), "the output is kept: {detail:?}");
}

#[test]
fn the_schema_check_rejects_a_report_that_breaks_the_schema() {
    // tests/fixtures/junit/broken.xml is well-formed XML, but a test case has no `name` and a
    // failure sits outside any test case: xmllint must say no, or the tests above prove nothing.
    if !xmllint() {
        return;
    }
    let broken = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/junit/broken.xml");
    let complaint = validate(&broken).expect_err("xmllint accepted broken.xml");
    assert!(
        complaint.contains("The attribute 'name' is required but missing"),
        "{complaint}"
    );
    assert!(
        complaint.contains("Element 'failure': This element is not expected"),
        "{complaint}"
    );
    assert!(complaint.contains("fails to validate"), "{complaint}");
}

/// Just enough of an XML reader for JUnit reports: the root's attributes, and each suite's
/// test cases with their outcome element (failure, error, skipped) and its text.
struct Report {
    root: Attrs,
    suites: Vec<Suite>,
}

struct Suite {
    attrs: Attrs,
    cases: Vec<Case>,
}

struct Case {
    attrs: Attrs,
    outcome: Option<(String, Attrs)>,
    text: String,
}

#[derive(Default, Clone)]
struct Attrs(BTreeMap<String, String>);

impl Attrs {
    fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }
}

impl Suite {
    fn name(&self) -> &str {
        self.attrs.get("name").unwrap_or_default()
    }

    fn count(&self, outcome: &str) -> usize {
        self.cases
            .iter()
            .filter(|c| c.outcome.as_ref().is_some_and(|(tag, _)| tag == outcome))
            .count()
    }
}

impl Report {
    fn parse(xml: &str) -> Report {
        let mut report = Report {
            root: Attrs::default(),
            suites: Vec::new(),
        };
        let mut rest = xml;
        while let Some(open) = rest.find('<') {
            let text = &rest[..open];
            rest = &rest[open..];
            if let Some(case) = report.suites.last_mut().and_then(|s| s.cases.last_mut()) {
                case.text.push_str(&unescape(text));
            }
            if rest.starts_with("<?") || rest.starts_with("<!--") {
                let end = if rest.starts_with("<?") { "?>" } else { "-->" };
                let close = rest.find(end).expect("unterminated declaration or comment");
                rest = &rest[close + end.len()..];
                continue;
            }
            let (tag, attrs, len) = tag(rest);
            rest = &rest[len..];
            match tag.as_str() {
                "testsuites" => report.root = attrs,
                "testsuite" => report.suites.push(Suite {
                    attrs,
                    cases: Vec::new(),
                }),
                "testcase" => report
                    .suites
                    .last_mut()
                    .expect("a testcase outside a testsuite")
                    .cases
                    .push(Case {
                        attrs,
                        outcome: None,
                        text: String::new(),
                    }),
                "failure" | "error" | "skipped" => {
                    let case = report
                        .suites
                        .last_mut()
                        .and_then(|s| s.cases.last_mut())
                        .expect("an outcome outside a testcase");
                    assert!(case.outcome.is_none(), "two outcomes in one testcase");
                    case.outcome = Some((tag, attrs));
                }
                _ => {}
            }
        }
        report
    }
}

/// The element at the start of `text` (`<name a="v" ...>` or `</name>`): its name (empty for a
/// closing tag), attributes, and length.
fn tag(text: &str) -> (String, Attrs, usize) {
    let mut attrs = Attrs::default();
    let mut quote = None;
    let end = text
        .char_indices()
        .find(|&(_, c)| {
            match (quote, c) {
                (None, '"' | '\'') => quote = Some(c),
                (Some(q), c) if c == q => quote = None,
                _ => {}
            }
            quote.is_none() && c == '>'
        })
        .map(|(i, _)| i)
        .expect("unterminated tag");
    let inner = text[1..end].trim_end_matches('/');
    if inner.starts_with('/') {
        return (String::new(), attrs, end + 1);
    }
    let (name, mut rest) = inner.split_once(char::is_whitespace).unwrap_or((inner, ""));
    while let Some((key, after)) = rest.split_once('=') {
        let after = after.trim_start();
        let q = after.chars().next().expect("attribute without a value");
        let close = after[1..].find(q).expect("unterminated attribute");
        attrs
            .0
            .insert(key.trim().to_string(), unescape(&after[1..=close]));
        rest = &after[close + 2..];
    }
    (name.to_string(), attrs, end + 1)
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}
