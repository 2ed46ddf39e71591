//! mdBook: reads an mdBook book's `SUMMARY.md` into an [`Outline`] (chapter order, nesting,
//! part titles, prefix and suffix chapters, drafts) and expands the `{{#include}}` family of
//! directives in its chapters, so an mdBook book builds unchanged.
//!
//! The summary format is mdBook's (<https://rust-lang.github.io/mdBook/format/summary.html>):
//! an optional `# Summary` title; prefix chapters `[Title](file.md)`; numbered chapters as a
//! nested list `- [Title](file.md)`, in parts each opened by a `# Part title`; `- [Title]()`
//! for a draft; separators `---`; then suffix chapters, unnumbered like the prefix.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diagnostics::{Diagnostic, Origin};
use crate::outline::{Chapter, Group, Outline};

pub const SUMMARY: &str = "SUMMARY.md";

/// Parses the text of `SUMMARY.md`; `shown` is its path as the author sees it.
pub fn parse_summary(text: &str, shown: &Path) -> Result<Outline, Vec<Diagnostic>> {
    let source: Arc<str> = Arc::from(text);
    let mut outline = Outline::default();
    let mut problems = Vec::new();
    // Numbers continue across parts: the counter of each depth, reset below it.
    let mut counters: Vec<u32> = Vec::new();
    // Indents of the list items open above the current one.
    let mut indents: Vec<usize> = Vec::new();
    let mut seen_numbered = false;
    let mut seen_title = false;
    let mut in_fence = false;
    let mut offset = 0;
    for (index, line) in text.split('\n').enumerate() {
        let line_no = index + 1;
        let span = offset..offset + line.len();
        offset += line.len() + 1;
        let trimmed = line.trim();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_fence = !in_fence;
            continue;
        }
        if in_fence || trimmed.is_empty() || trimmed.starts_with("<!--") {
            continue;
        }
        if is_separator(trimmed) {
            continue;
        }
        if let Some(heading) = trimmed.strip_prefix('#') {
            let heading = heading.trim_start_matches('#').trim();
            if !seen_title && !seen_numbered && outline.groups.is_empty() {
                // `# Summary`: the summary's own title.
                seen_title = true;
                continue;
            }
            outline.groups.push(Group {
                title: Some(heading.to_string()),
                chapters: Vec::new(),
            });
            indents.clear();
            continue;
        }
        let indent = line.len() - line.trim_start().len();
        let item = list_item(trimmed);
        let Some(link_text) = item.or(Some(trimmed)) else {
            continue;
        };
        let Some((title, target)) = link(link_text) else {
            problems.push(
                Diagnostic::error("this line of the summary is not a chapter link")
                    .at(shown, &source, span)
                    .label("expected `- [Title](file.md)` or `[Title](file.md)`")
                    .help("mdBook's summary lists chapters as links; see https://rust-lang.github.io/mdBook/format/summary.html"),
            );
            continue;
        };
        let path = (!target.is_empty()).then(|| clean_path(target));
        if item.is_some() {
            seen_numbered = true;
            while indents.last().is_some_and(|&open| open >= indent) {
                indents.pop();
            }
            let depth = indents.len();
            indents.push(indent);
            counters.truncate(depth + 1);
            counters.resize(depth + 1, 0);
            counters[depth] += 1;
            let number: String = counters.iter().map(|n| format!("{n}.")).collect();
            let group = match outline.groups.last_mut() {
                Some(group) if group.title.is_some() || group_is_numbered(group) => group,
                _ => {
                    outline.groups.push(Group::default());
                    outline.groups.last_mut().expect("just pushed")
                }
            };
            group.chapters.push(Chapter {
                title,
                path,
                depth: u8::try_from(depth).unwrap_or(u8::MAX),
                number: Some(number),
                line: line_no,
                section: false,
            });
        } else {
            // A prefix chapter before any numbered one, a suffix chapter after them.
            let needs_group = match outline.groups.last() {
                None => true,
                Some(group) => group_is_numbered(group) || group.title.is_some(),
            };
            if needs_group {
                outline.groups.push(Group::default());
            }
            indents.clear();
            let group = outline.groups.last_mut().expect("a group exists");
            group.chapters.push(Chapter {
                title,
                path,
                depth: 0,
                number: None,
                line: line_no,
                section: false,
            });
        }
    }
    outline.groups.retain(|g| !g.chapters.is_empty());
    if problems.is_empty() {
        Ok(outline)
    } else {
        Err(problems)
    }
}

fn group_is_numbered(group: &Group) -> bool {
    group.chapters.iter().any(|c| c.number.is_some())
}

fn is_separator(line: &str) -> bool {
    let squeezed: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    squeezed.len() >= 3
        && ["-", "*", "_"]
            .iter()
            .any(|m| squeezed.chars().all(|c| c.to_string() == *m))
}

/// The text after a list marker (`- `, `* `, `+ `, `1. `), if the line is a list item.
fn list_item(line: &str) -> Option<&str> {
    for marker in ["- ", "* ", "+ "] {
        if let Some(rest) = line.strip_prefix(marker) {
            return Some(rest.trim_start());
        }
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 {
        let rest = &line[digits..];
        if let Some(rest) = rest.strip_prefix(". ").or_else(|| rest.strip_prefix(") ")) {
            return Some(rest.trim_start());
        }
    }
    None
}

/// `[Title](target)` → the title as plain text and the target. Brackets may nest in the
/// title (`[The [x] flag](x.md)`); Markdown emphasis and code marks are dropped from it.
fn link(text: &str) -> Option<(String, &str)> {
    let rest = text.strip_prefix('[')?;
    let mut depth = 1;
    let mut close = None;
    let mut escaped = false;
    for (i, c) in rest.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '[' => depth += 1,
            ']' => {
                depth -= 1;
                if depth == 0 {
                    close = Some(i);
                    break;
                }
            }
            _ => {}
        }
    }
    let close = close?;
    let title = &rest[..close];
    let after = rest[close + 1..].strip_prefix('(')?;
    let end = after.rfind(')')?;
    if !after[end + 1..].trim().is_empty() {
        return None;
    }
    let target = after[..end].trim();
    // `[Title](file.md "tooltip")`: the tooltip is not part of the path.
    let target = target.split_once(" \"").map_or(target, |(t, _)| t).trim();
    let target = target.trim_start_matches('<').trim_end_matches('>');
    let plain = title
        .replace("\\[", "[")
        .replace("\\]", "]")
        .replace(['`', '*'], "");
    Some((plain.trim().to_string(), target))
}

/// `./guide/intro.md` → `guide/intro.md`, with `%20` and friends decoded.
fn clean_path(target: &str) -> PathBuf {
    let decoded = percent_encoding::percent_decode_str(target).decode_utf8_lossy();
    let mut path = PathBuf::new();
    for part in decoded.split('/') {
        match part {
            "" | "." => {}
            part => path.push(part),
        }
    }
    path
}

/// Where mdBook writes a chapter: `README.md` becomes its folder's `index.html`, every other
/// file keeps its name with `.html` (so links into an existing book keep working).
pub fn output_path(source: &Path) -> String {
    let mut out = source.to_string_lossy().replace('\\', "/");
    if let Some(stem) = out.strip_suffix(".md") {
        out = stem.to_string();
    }
    if out == "README" || out.ends_with("/README") {
        out.truncate(out.len() - "README".len());
        out.push_str("index");
    }
    format!("{out}.html")
}

/// A chapter after its `{{#...}}` directives have run.
#[derive(Debug)]
pub struct Expanded {
    pub text: String,
    /// From `{{#title ...}}`: the page's `<title>` (and heading) instead of the summary's.
    pub title: Option<String>,
    /// Where each part of `text` came from in the chapter's file.
    pub origin: Origin,
}

/// How deep includes may nest (mdBook's limit too): a file that includes itself stops here.
const MAX_DEPTH: usize = 10;

/// Runs mdBook's directives in the text of the chapter at `file` (absolute): `{{#include}}`
/// and `{{#rustdoc_include}}` with line ranges or anchors, `{{#playground}}` and
/// `{{#title}}`. `\{{#...}}` is left as written, without the backslash. Problems are reported
/// at the directive, in `shown` (the chapter as the author sees it).
pub fn expand(text: &str, file: &Path, shown: &Path) -> (Expanded, Vec<Diagnostic>) {
    let source: Arc<str> = Arc::from(text);
    let mut problems = Vec::new();
    let mut title = None;
    let mut report = |span: std::ops::Range<usize>, message: String, label: &str| {
        problems.push(
            Diagnostic::error(message)
                .at(shown, &source, span)
                .label(label.to_string()),
        );
    };
    let mut origin = Origin::new(Arc::clone(&source));
    let text = run(
        text,
        file,
        0,
        &mut |span, message, label| report(span, message, label),
        &mut title,
        Some(&mut origin),
    );
    (
        Expanded {
            text,
            title,
            origin,
        },
        problems,
    )
}

type Report<'a> = dyn FnMut(std::ops::Range<usize>, String, &str) + 'a;

fn run(
    text: &str,
    file: &Path,
    depth: usize,
    report: &mut Report<'_>,
    title: &mut Option<String>,
    mut origin: Option<&mut Origin>,
) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = 0;
    // Where each piece of `out` came from (the chapter's own text only, not an included one).
    let mut piece = |out: &String, from: Result<usize, std::ops::Range<usize>>| {
        if let Some(origin) = origin.as_deref_mut() {
            match from {
                Ok(from) => origin.copied(out.len(), from),
                Err(directive) => origin.inserted(out.len(), directive),
            }
        }
    };
    while let Some(found) = text[rest..].find("{{#") {
        let start = rest + found;
        let Some(len) = text[start..].find("}}") else {
            break;
        };
        let end = start + len + 2;
        if text[..start].ends_with('\\') {
            piece(&out, Ok(rest));
            out.push_str(&text[rest..start - 1]);
            piece(&out, Ok(start));
            out.push_str(&text[start..end]);
            rest = end;
            continue;
        }
        piece(&out, Ok(rest));
        out.push_str(&text[rest..start]);
        rest = end;
        let inner = text[start + 3..end - 2].trim();
        let (name, arg) = inner.split_once(char::is_whitespace).unwrap_or((inner, ""));
        let arg = arg.trim();
        let span = start..end;
        match name {
            "title" => *title = Some(arg.to_string()),
            "include" | "rustdoc_include" | "playground" => {
                let Some(included) =
                    include(arg, file, name == "rustdoc_include", span.clone(), report)
                else {
                    continue;
                };
                let target = file
                    .parent()
                    .unwrap_or(Path::new(""))
                    .join(arg.split(':').next().unwrap_or(arg));
                let included = if depth + 1 >= MAX_DEPTH {
                    report(
                        span.clone(),
                        format!(
                            "`{{{{#{name} {arg}}}}}` nests includes more than {MAX_DEPTH} deep"
                        ),
                        "included here",
                    );
                    included
                } else {
                    // Problems inside the included file are shown at this directive.
                    let at = span.clone();
                    let shown_target = arg.split(':').next().unwrap_or(arg).to_string();
                    let mut nested = |_: std::ops::Range<usize>, message: String, label: &str| {
                        report(at.clone(), format!("in `{shown_target}`: {message}"), label);
                    };
                    run(&included, &target, depth + 1, &mut nested, title, None)
                };
                piece(&out, Err(span.clone()));
                if name == "playground" {
                    out.push_str("```rust\n");
                    out.push_str(included.trim_end_matches('\n'));
                    out.push_str("\n```");
                } else {
                    out.push_str(&included);
                }
            }
            _ => {
                // Not ours (a template language, say): left as written.
                piece(&out, Ok(start));
                out.push_str(&text[start..end]);
            }
        }
    }
    piece(&out, Ok(rest));
    out.push_str(&text[rest..]);
    out
}

/// The part of a file an include asks for: `file`, `file:3`, `file:3:9`, `file::9`,
/// `file:3:` or `file:anchor`. A rustdoc include keeps the rest of the file as hidden lines.
fn include(
    arg: &str,
    chapter: &Path,
    rustdoc: bool,
    span: std::ops::Range<usize>,
    report: &mut Report<'_>,
) -> Option<String> {
    let (path, selector) = match arg.split_once(':') {
        Some((path, selector)) => (path.trim(), Some(selector.trim())),
        None => (arg, None),
    };
    if path.is_empty() {
        report(span, "an include needs a file".into(), "no file named here");
        return None;
    }
    let full = chapter.parent().unwrap_or(Path::new("")).join(path);
    let text = match std::fs::read_to_string(&full) {
        Ok(text) => text.replace("\r\n", "\n"),
        Err(e) => {
            report(
                span,
                format!("cannot include `{path}`: {e}"),
                "included here",
            );
            return None;
        }
    };
    let lines: Vec<&str> = text.lines().collect();
    let is_anchor_line = |l: &str| l.contains("ANCHOR:") || l.contains("ANCHOR_END:");
    let wanted: Vec<bool> = match selector {
        None | Some("") => vec![true; lines.len()],
        Some(selector) => match line_range(selector) {
            Some(Ok((from, to))) => (1..=lines.len())
                .map(|n| n >= from && to.is_none_or(|to| n <= to))
                .collect(),
            Some(Err(())) => {
                report(
                    span,
                    format!("`{selector}` is not a line range"),
                    "in this include",
                );
                return None;
            }
            None => {
                let open = lines
                    .iter()
                    .position(|l| anchor_of(l, "ANCHOR:") == Some(selector));
                let Some(open) = open else {
                    report(
                        span,
                        format!("`{path}` has no anchor `{selector}`"),
                        "in this include",
                    );
                    return None;
                };
                let close = lines[open..]
                    .iter()
                    .position(|l| anchor_of(l, "ANCHOR_END:") == Some(selector))
                    .map_or(lines.len(), |i| open + i);
                (0..lines.len()).map(|i| i > open && i < close).collect()
            }
        },
    };
    let mut out = String::new();
    for (line, keep) in lines.iter().zip(wanted) {
        if is_anchor_line(line) {
            continue;
        }
        if keep {
            out.push_str(line);
            out.push('\n');
        } else if rustdoc {
            out.push_str("# ");
            out.push_str(line);
            out.push('\n');
        }
    }
    // An include sits inside a line: its last newline would split the line in two.
    if out.ends_with('\n') {
        out.pop();
    }
    Some(out)
}

/// `3`, `3:9`, `:9`, `3:` as 1-based inclusive lines; `None` when it is an anchor name.
fn line_range(selector: &str) -> Option<Result<(usize, Option<usize>), ()>> {
    let numeric = |s: &str| s.is_empty() || s.chars().all(|c| c.is_ascii_digit());
    let (from, to) = match selector.split_once(':') {
        Some((from, to)) => (from.trim(), Some(to.trim())),
        None => (selector, None),
    };
    if !numeric(from) || !to.is_none_or(numeric) || (from.is_empty() && to.is_none()) {
        return None;
    }
    let parse = |s: &str| s.parse::<usize>().map_err(|_| ());
    let result = (|| {
        let start = if from.is_empty() { 1 } else { parse(from)? };
        let end = match to {
            None => Some(start),
            Some("") => None,
            Some(to) => Some(parse(to)?),
        };
        Ok((start, end))
    })();
    Some(result)
}

fn anchor_of<'a>(line: &'a str, marker: &str) -> Option<&'a str> {
    let after = &line[line.find(marker)? + marker.len()..];
    after.split_whitespace().next()
}

/// A code block as readers see it under mdBook's hidden-line convention: in Rust, lines that
/// start with `# ` (or are only `#`) are setup the reader does not need, and `##` writes a
/// literal `#`; `hidelines=PREFIX` in the info string hides the lines that start with PREFIX
/// in any language. Other blocks come back as written.
pub fn visible_code<'a>(info: &str, lang: &str, code: &'a str) -> std::borrow::Cow<'a, str> {
    let prefix = info
        .split([',', ' ', '{', '}'])
        .find_map(|attr| attr.strip_prefix("hidelines="));
    let rust = lang == "rust" || lang == "rs";
    if prefix.is_none() && (!rust || !code.contains('#')) {
        return code.into();
    }
    let mut out = String::with_capacity(code.len());
    for line in code.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let hidden = match prefix {
            Some(prefix) => !prefix.is_empty() && trimmed.starts_with(prefix),
            None => {
                let body = trimmed.trim_end_matches(['\n', '\r']);
                body == "#" || body.starts_with("# ")
            }
        };
        if hidden {
            continue;
        }
        if prefix.is_none()
            && let Some(rest) = trimmed.strip_prefix("##")
        {
            let indent = &line[..line.len() - trimmed.len()];
            out.push_str(indent);
            out.push('#');
            out.push_str(rest);
            continue;
        }
        out.push_str(line);
    }
    out.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outline(text: &str) -> Outline {
        parse_summary(text, Path::new("src/SUMMARY.md")).expect("valid summary")
    }

    fn chapters(o: &Outline) -> Vec<(Option<&str>, &str, u8, Option<&str>)> {
        o.groups
            .iter()
            .flat_map(|g| {
                g.chapters.iter().map(move |c| {
                    (
                        g.title.as_deref(),
                        c.title.as_str(),
                        c.depth,
                        c.number.as_deref(),
                    )
                })
            })
            .collect()
    }

    #[test]
    fn parts_prefix_suffix_nesting_and_drafts() {
        let o = outline(
            "# Summary\n\n[Intro](README.md)\n\n# Guide\n\n- [Install](guide/install.md)\n- [Read](guide/read.md)\n    - [Deep](guide/deep.md)\n        - [Deeper](guide/deeper.md)\n- [Draft]()\n\n---\n\n# Reference\n\n- [Config](config.md)\n\n[Thanks](thanks.md)\n",
        );
        assert_eq!(
            chapters(&o),
            vec![
                (None, "Intro", 0, None),
                (Some("Guide"), "Install", 0, Some("1.")),
                (Some("Guide"), "Read", 0, Some("2.")),
                (Some("Guide"), "Deep", 1, Some("2.1.")),
                (Some("Guide"), "Deeper", 2, Some("2.1.1.")),
                (Some("Guide"), "Draft", 0, Some("3.")),
                (Some("Reference"), "Config", 0, Some("4.")),
                (None, "Thanks", 0, None),
            ]
        );
        let draft = &o.groups[1].chapters[4];
        assert_eq!(draft.path, None);
        assert_eq!(draft.line, 11);
        assert_eq!(
            o.groups[1].chapters[0].path.as_deref(),
            Some(Path::new("guide/install.md"))
        );
    }

    #[test]
    fn numbered_chapters_without_parts_share_one_untitled_group() {
        let o =
            outline("# Summary\n\n- [One](./one.md)\n  - [One A](one/a.md)\n- [Two](two%20x.md)\n");
        assert_eq!(o.groups.len(), 1);
        assert_eq!(
            chapters(&o),
            vec![
                (None, "One", 0, Some("1.")),
                (None, "One A", 1, Some("1.1.")),
                (None, "Two", 0, Some("2.")),
            ]
        );
        assert_eq!(
            o.groups[0].chapters[2].path.as_deref(),
            Some(Path::new("two x.md"))
        );
    }

    #[test]
    fn titles_keep_nested_brackets_and_drop_code_marks() {
        let o = outline("- [The `--rm` [flag]](rm.md)\n");
        assert_eq!(o.groups[0].chapters[0].title, "The --rm [flag]");
    }

    #[test]
    fn a_line_that_is_not_a_link_is_an_error_at_its_line() {
        let problems = parse_summary(
            "# Summary\n\n- [One](one.md)\n- just text\n",
            Path::new("src/SUMMARY.md"),
        )
        .expect_err("not a link");
        assert_eq!(problems[0].line_col(), Some((4, 1)));
    }

    fn expand_in(dir: &Path, text: &str) -> (Expanded, Vec<Diagnostic>) {
        expand(text, &dir.join("ch.md"), Path::new("src/ch.md"))
    }

    #[test]
    fn includes_take_whole_files_line_ranges_and_anchors() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.sh"), "one\ntwo\nthree\nfour\n").unwrap();
        std::fs::write(
            dir.path().join("m.rs"),
            "fn main() {\n    // ANCHOR: body\n    println!(\"hi\");\n    // ANCHOR_END: body\n}\n",
        )
        .unwrap();
        let cases = [
            ("{{#include a.sh}}", "one\ntwo\nthree\nfour"),
            ("{{#include a.sh:2}}", "two"),
            ("{{#include a.sh:2:3}}", "two\nthree"),
            ("{{#include a.sh::2}}", "one\ntwo"),
            ("{{#include a.sh:3:}}", "three\nfour"),
            ("{{#include m.rs:body}}", "    println!(\"hi\");"),
            ("{{#include m.rs}}", "fn main() {\n    println!(\"hi\");\n}"),
            (
                "{{#rustdoc_include m.rs:body}}",
                "# fn main() {\n    println!(\"hi\");\n# }",
            ),
            ("\\{{#include a.sh}}", "{{#include a.sh}}"),
            ("{{ not a directive }}", "{{ not a directive }}"),
        ];
        for (text, want) in cases {
            let (got, problems) = expand_in(dir.path(), text);
            assert!(problems.is_empty(), "{text}: {problems:?}");
            assert_eq!(got.text, want, "{text}");
        }
    }

    #[test]
    fn includes_nest_and_title_is_taken() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::fs::write(dir.path().join("sub/outer.md"), "[{{#include inner.md}}]").unwrap();
        std::fs::write(dir.path().join("sub/inner.md"), "deep\n").unwrap();
        let (got, _) = expand_in(
            dir.path(),
            "{{#title My Page}}\nsee {{#include sub/outer.md}}\n",
        );
        assert_eq!(got.text, "\nsee [deep]\n");
        assert_eq!(got.title.as_deref(), Some("My Page"));
    }

    #[test]
    fn a_missing_file_or_anchor_is_an_error_at_the_directive() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.rs"), "x\n").unwrap();
        let (_, problems) = expand_in(
            dir.path(),
            "text\n\n{{#include gone.rs}}\n{{#include a.rs:nope}}\n",
        );
        assert_eq!(problems.len(), 2);
        assert_eq!(problems[0].line_col(), Some((3, 1)));
        assert!(problems[0].render().contains("cannot include `gone.rs`"));
        assert_eq!(problems[1].line_col(), Some((4, 1)));
        assert!(problems[1].render().contains("has no anchor `nope`"));
    }

    #[test]
    fn a_file_including_itself_stops() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("ch.md"), "x {{#include ch.md}}").unwrap();
        let (got, problems) = expand_in(dir.path(), "{{#include ch.md}}");
        assert!(got.text.starts_with("x x x"));
        assert!(
            problems[0].render().contains("more than 10 deep"),
            "{problems:?}"
        );
    }

    #[test]
    fn hidden_lines_are_left_out_of_rust_and_hidelines_blocks() {
        let rust = "# fn main() {\n#\nlet x = 1;\n##[derive(Debug)]\n#[test]\n#![allow(x)]\n# }\n";
        assert_eq!(
            visible_code("rust,editable", "rust", rust),
            "let x = 1;\n#[derive(Debug)]\n#[test]\n#![allow(x)]\n"
        );
        assert_eq!(
            visible_code("python hidelines=!!!", "python", "!!!import os\nprint(1)\n"),
            "print(1)\n"
        );
        let shell = "# a comment\necho hi\n";
        assert_eq!(visible_code("sh", "sh", shell), shell);
    }

    #[test]
    fn output_paths_follow_mdbook() {
        assert_eq!(output_path(Path::new("guide/intro.md")), "guide/intro.html");
        assert_eq!(
            output_path(Path::new("guide/README.md")),
            "guide/index.html"
        );
        assert_eq!(output_path(Path::new("README.md")), "index.html");
        assert_eq!(output_path(Path::new("chapter_1.md")), "chapter_1.html");
    }
}
