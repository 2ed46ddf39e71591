//! The site shows the last `coursebook verify` run under each tagged block: "✓ Verified DATE on
//! IMAGE" for a pass, "✗ Failing (verify DATE)" otherwise; nothing on untagged, skipped or
//! edited blocks, and nothing else on the page changes. Results live in
//! `.coursebook/verify-results.json`, keyed by FNV-1a 64 of the block's language, a newline
//! and its text (the format is computed here, independently, so these tests pin it down).

mod common;
#[path = "common/docker.rs"]
mod docker;

use std::process::Command;

use common::{Course, Page};
use coursebook::site::{Site, Update};

const LESSON: &str = r#"# Lesson

```sh {verify}
echo hello
```

```sh {verify}
exit 4
```

```sh
echo hello
```

```sh {verify skip="needs a GPU"}
nvidia-smi
```

```text {verify session=s file=a.txt}
plain text
```
"#;

/// FNV-1a, 64 bits, of `lang`, a newline and `code`, as 16 hex digits.
fn key(lang: &str, code: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in format!("{lang}\n{code}").bytes() {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x100_0000_01b3);
    }
    format!("{hash:016x}")
}

fn results_json(entries: &[(&str, &str, &str, &str, &str)]) -> String {
    let records: Vec<String> = entries
        .iter()
        .map(|(lang, code, status, date, image)| {
            format!(
                "  \"{}\": {{ \"status\": \"{status}\", \"date\": \"{date}\", \"image\": \"{image}\" }}",
                key(lang, code)
            )
        })
        .collect();
    format!("{{\n{}\n}}\n", records.join(",\n"))
}

/// Each code block of the lesson, by its text, with the badge under it (if any).
fn blocks(page: &Page) -> Vec<(String, Option<String>)> {
    page.select(".prose pre.code")
        .into_iter()
        .map(|pre| {
            let badge = pre
                .next_siblings()
                .find_map(scraper::ElementRef::wrap)
                .filter(|e| e.value().classes().any(|c| c == "verify-badge"))
                .map(|e| common::text(&e));
            (pre.text().collect::<String>(), badge)
        })
        .collect()
}

fn course(results: Option<&str>) -> Course {
    let course = Course::new().lesson("01-m/01-a.md", LESSON);
    match results {
        Some(json) => course.file(".coursebook/verify-results.json", json),
        None => course,
    }
}

#[test]
fn hand_written_results_put_badges_on_tagged_blocks_only() {
    let json = results_json(&[
        ("sh", "echo hello\n", "pass", "2026-11-23", "local/busybox"),
        ("sh", "exit 4\n", "timeout", "2026-11-22", "local/busybox"),
        // A result for the skipped block (an older run) and for text no block has any more.
        ("sh", "nvidia-smi\n", "pass", "2026-11-01", "local/busybox"),
        ("sh", "echo gone\n", "pass", "2026-11-01", "local/busybox"),
        (
            "text",
            "plain text\n",
            "fail",
            "2026-11-21",
            "local/busybox",
        ),
    ]);
    let course = course(Some(&json));
    course.build().assert_success().assert_no_warnings();
    let page = course.page("m/a.html");
    assert_eq!(
        blocks(&page),
        [
            (
                "echo hello\n".into(),
                Some("✓ Verified 2026-11-23 on local/busybox".into())
            ),
            (
                "exit 4\n".into(),
                Some("✗ Failing (verify 2026-11-22)".into())
            ),
            // Untagged: the same text as the verified block, but no badge.
            ("echo hello\n".into(), None),
            ("nvidia-smi\n".into(), None),
            (
                "plain text\n".into(),
                Some("✗ Failing (verify 2026-11-21)".into())
            ),
        ]
    );
    let pass = page.one(".verify-pass");
    assert_eq!(pass.value().attr("data-status"), Some("pass"));
    let time = page.one(".verify-pass time");
    assert_eq!(time.value().attr("datetime"), Some("2026-11-23"));
    assert_eq!(
        page.attrs(".verify-fail", "data-status"),
        ["timeout", "fail"]
    );

    // Nothing else on the page changes: without the badges it is the page built without results.
    let with = course.read("public/m/a.html");
    let plain = self::course(None);
    plain.build().assert_success();
    let without = plain.read("public/m/a.html");
    let stripped: String = with
        .split_inclusive('\n')
        .filter(|l| !l.starts_with("<p class=\"verify-badge"))
        .collect();
    assert_eq!(stripped, without);

    // An edited block loses its badge; the others keep theirs.
    let course = course.lesson(
        "01-m/01-a.md",
        LESSON.replace(
            "echo hello\n```\n\n```sh {verify}",
            "echo hello, world\n```\n\n```sh {verify}",
        ),
    );
    course.build().assert_success();
    let page = course.page("m/a.html");
    let badges: Vec<Option<String>> = blocks(&page).into_iter().map(|(_, b)| b).collect();
    assert_eq!(
        badges,
        [
            None,
            Some("✗ Failing (verify 2026-11-22)".into()),
            None,
            None,
            Some("✗ Failing (verify 2026-11-21)".into())
        ]
    );
}

#[test]
fn a_corrupt_results_file_is_a_warning_and_a_normal_build() {
    let course = course(Some("{ \"abc\": { \"status\": "));
    let run = course.build();
    run.assert_success()
        .assert_stderr_contains(
            "warning: `.coursebook/verify-results.json` is not a verify results file",
        )
        .assert_stderr_contains("built without verify badges");
    assert!(course.page("m/a.html").select(".verify-badge").is_empty());
    // Not the author's mistake: even `--strict` builds.
    course
        .build_strict()
        .assert_success()
        .assert_stderr_contains("warning: `.coursebook/verify-results.json`");
}

#[test]
fn serve_re_renders_the_pages_whose_results_changed() {
    let course = Course::new()
        .lesson("01-m/01-a.md", LESSON)
        .lesson("01-m/02-b.md", "# B\n\n```sh {verify}\necho b\n```\n");
    let mut site = Site::load(course.path(), false).expect("loads");
    let results = course.path().join(".coursebook/verify-results.json");
    std::fs::create_dir_all(results.parent().unwrap()).unwrap();
    std::fs::write(
        &results,
        results_json(&[("sh", "echo b\n", "pass", "2026-11-23", "busybox")]),
    )
    .unwrap();
    assert_eq!(
        site.update(&results),
        Update::Pages(["m/b.html".to_string()].into())
    );
    // The same results again: nothing to render.
    assert_eq!(site.update(&results), Update::Pages(Default::default()));
}

/// Today's date (UTC), from the system's `date`.
fn today() -> String {
    let out = Command::new("date").args(["-u", "+%F"]).output().unwrap();
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

#[test]
fn verify_then_build_shows_each_blocks_result() {
    let Some(image) = docker::busybox() else {
        return;
    };
    let course = Course::bare()
        .file(
            "book.toml",
            format!("[book]\ntitle = \"V\"\n\n[verify]\nimage = \"{image}\"\ntimeout = \"20s\"\n"),
        )
        .lesson("01-m/01-a.md", LESSON);
    let before = today();
    course
        .run(&["verify", "--root", ".", "--no-cache"])
        .assert_code(1);
    let dates = [before, today()];
    assert!(
        course.exists(".coursebook/verify-results.json"),
        "verify wrote no results file"
    );
    course.build().assert_success();
    let found = blocks(&course.page("m/a.html"));
    let badge = |i: usize| found[i].1.clone().unwrap_or_default();
    assert!(
        dates
            .iter()
            .any(|d| badge(0) == format!("✓ Verified {d} on {image}")),
        "{found:?}"
    );
    assert!(
        dates
            .iter()
            .any(|d| badge(1) == format!("✗ Failing (verify {d})")),
        "{found:?}"
    );
    assert_eq!((&found[2].1, &found[3].1), (&None, &None), "{found:?}");
    assert!(badge(4).starts_with("✓ Verified "), "{found:?}");

    // Edit the passing block and rebuild (no new verify run): its badge is gone.
    let course = course.lesson(
        "01-m/01-a.md",
        LESSON.replace(
            "echo hello\n```\n\n```sh {verify}",
            "echo bye\n```\n\n```sh {verify}",
        ),
    );
    course.build().assert_success();
    let found = blocks(&course.page("m/a.html"));
    assert_eq!(found[0], ("echo bye\n".to_string(), None));
    assert!(found[1].1.is_some(), "{found:?}");
}

#[test]
fn a_tagged_transcript_shows_output_not_the_matchers_notation() {
    let transcript = "$ uname -r\n[..]-amd64\n$ ls /nope\nls: /nope: No such file or directory\n[1]\n$ seq 1 50\n1\n...\n50\n$ date +%Y\n20[0-9]{2} (re)\n";
    let course = Course::new().lesson(
        "m/a.md",
        format!("# A\n\n```console {{verify}}\n{transcript}```\n\n```console\n{transcript}```\n"),
    );
    course.build().assert_success();
    let page = course.page("m/a.html");
    let shown: Vec<String> = page
        .select("pre")
        .iter()
        .map(|pre| pre.text().collect())
        .collect();
    assert_eq!(
        shown[0],
        "$ uname -r\n…-amd64\n$ ls /nope\nls: /nope: No such file or directory\n$ seq 1 50\n1\n…\n50\n$ date +%Y\n20[0-9]{2}\n"
    );
    // An untagged block is the author's text, as written.
    assert_eq!(shown[1], transcript);
}
