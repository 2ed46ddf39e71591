//! Mis-decoded text: `check` reports each case with file:line and the repaired text,
//! `fix-encoding` repairs reversible cases in place (or shows a diff), flags lossy ones, and
//! clean text in any language is never flagged.

mod common;
use common::{Course, seeds_dir};

const CLEAN: &str = "# Multilingual\n\n\
Français : déjà vu, naïve, Œuvre, garçon. Deutsch: Größe, Straße, Äpfel.\n\
Português: São Paulo, ação, avó. Español: niño, ¿qué?, ¡olé! Íslenska: Þórður, Ægir, ð.\n\
Magyar: Árvíztűrő tükörfúrógép. Türkçe: İstanbul, ığdır, şeker. Tiếng Việt: Tiếng Việt có dấu.\n\
Polski: zażółć gęślą jaźń. Čeština: příliš žluťoučký kůň. Română: știință, țară.\n\
中文：容器镜像 日本語：コンテナとイメージ 한국어: 컨테이너 이미지\n\
العربية: حاويات Docker עברית: מכולות Ελληνικά: δοχεία Русский: контейнеры हिन्दी: कंटेनर\n\
Symbols: © ® ™ ° ± × ÷ ½ ¼ µ § ¶ € £ ¥ — – … « » “quotes” ‘single’ • → ← ✓ ✗ 🎯 🐳 👍🏽\n\
Ångström, Ørsted, ſ, ﬁ, non\u{a0}breaking space.\n\n\
```\n┌──────┐\n│ box  │\n└──────┘\n```\n";

#[test]
fn clean_multilingual_text_is_never_flagged() {
    let course = Course::new().lesson("01-m/01-clean.md", CLEAN);
    let run = course.run(&["check", "--root", ".", "--strict"]);
    run.assert_success().assert_no_warnings();
    let fix = course.run(&["fix-encoding", "content/01-m/01-clean.md"]);
    fix.assert_success();
    assert!(fix.stdout.is_empty(), "{}", fix.stdout);
    assert_eq!(course.read("content/01-m/01-clean.md"), CLEAN);
}

#[test]
fn check_reports_windows_1252_and_mac_roman_with_line_and_repair() {
    let course = Course::new().lesson(
        "01-m/01-a.md",
        "# A\n\n## ðŸŽ¯ Goals\n\nIt\u{2019}s fine. Donâ€™t panic.\n\n## üéØ Overview\n",
    );
    let run = course.run(&["check", "--root", "."]);
    run.assert_success();
    insta::assert_snapshot!(run.diagnostics());
}

#[test]
fn fix_encoding_dry_run_shows_a_diff_and_changes_nothing() {
    let text = "# A\n\nok line\n## ðŸŽ¯ Goals\nâ”Œâ”€â”€â”\u{90}\n";
    let course = Course::new().lesson("01-m/01-a.md", text);
    let run = course.run(&["fix-encoding", "--dry-run", "content/01-m/01-a.md"]);
    run.assert_success();
    insta::assert_snapshot!(run.stdout);
    assert_eq!(course.read("content/01-m/01-a.md"), text);
}

#[test]
fn fix_encoding_repairs_in_place_and_leaves_lossy_text_alone() {
    let course = Course::new()
        .lesson("01-m/01-a.md", "## ðŸŽ¯ Goals\r\nâ”Œâ”€â”\u{90}\r\n")
        .lesson("01-m/02-b.md", "Lost: âââââ here\n");
    let run = course.run(&["fix-encoding", "content/01-m/01-a.md"]);
    run.assert_success();
    assert_eq!(
        course.read("content/01-m/01-a.md"),
        "## 🎯 Goals\r\n┌─┐\r\n",
        "CRLF kept, text repaired"
    );
    let run = course.run(&["fix-encoding", "content/01-m/02-b.md"]);
    run.assert_code(1);
    assert!(
        run.stdout.contains("content/01-m/02-b.md:1:7"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("cannot be repaired"), "{}", run.stdout);
    assert_eq!(course.read("content/01-m/02-b.md"), "Lost: âââââ here\n");
}

#[test]
fn every_seed_file_is_diagnosed_and_repaired() {
    let Some(seeds) = seeds_dir() else {
        eprintln!("skipped: ../shared/seeds is not present beside the repository");
        return;
    };
    let mut summary = String::new();
    let mut names: Vec<_> = std::fs::read_dir(&seeds)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    for path in names {
        let name = path
            .file_name()
            .unwrap()
            .to_string_lossy()
            .replace(".txt", ".md");
        let course = Course::new().lesson(&format!("01-s/{name}"), std::fs::read(&path).unwrap());
        let file = format!("content/01-s/{name}");
        let check = course.run(&["check", "--root", "."]);
        let reversible = check.stderr.matches("(UTF-8 read as").count();
        let lossy = check.stderr.matches("with bytes lost").count();
        let fix = course.run(&["fix-encoding", &file]);
        assert!(fix.code == 0 || fix.code == 1, "{}", fix.stderr);
        let after = course.run(&["check", "--root", "."]);
        assert_eq!(
            after.stderr.matches("(UTF-8 read as").count(),
            0,
            "{name} still has reversible mojibake:\n{}",
            after.stderr
        );
        assert_eq!(
            after.stderr.matches("with bytes lost").count(),
            lossy,
            "{name}: lossy text must be left alone"
        );
        summary.push_str(&format!("{name}: {reversible} reversible, {lossy} lossy\n"));
    }
    insta::assert_snapshot!(summary);
}
