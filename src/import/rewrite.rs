//! Import, link rewriting: the links and images of a chapter that moved to a new folder are
//! pointed at the new places of the chapters and files they name, fragments kept.
//!
//! Destinations are found with pulldown-cmark's offset iterator (inline links and images,
//! reference definitions, and `src`/`href` in raw HTML), on the text Material's syntax is
//! rewritten into first, so links inside admonitions and tabs are found and those inside code
//! blocks and code spans are left as written.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use pulldown_cmark::{Event, LinkType, Parser, Tag};
use regex::Regex;

/// Where every chapter and file of the book went, relative to the new content folder.
#[derive(Debug, Default)]
pub struct Targets {
    /// A chapter's source path (`guide/install.md`) → its new file (`02-guide/01-install.md`).
    pub pages: HashMap<PathBuf, String>,
    /// A chapter's page as the old site wrote it (`guide/install.html`) → its new file, for
    /// links written to the HTML.
    pub outputs: HashMap<String, String>,
    /// Files copied to the same place under the new content folder.
    pub assets: HashSet<PathBuf>,
}

/// A chapter's body with its links rewritten, and the links that named nothing in the book.
#[derive(Debug, Default, PartialEq)]
pub struct Rewritten {
    pub text: String,
    pub unresolved: Vec<String>,
}

/// Rewrites the links in `body`, the text of the chapter that was at `old` (relative to the
/// old content folder) and is now at `new` (relative to the new one, `/`-separated).
pub fn rewrite(body: &str, old: &Path, new: &str, targets: &Targets) -> Rewritten {
    let mut edits: Vec<(Range<usize>, String)> = Vec::new();
    let mut unresolved = Vec::new();
    for span in destinations(body) {
        let written = &body[span.clone()];
        match retarget(&unescape(written), old, new, targets) {
            Retarget::Keep => {}
            Retarget::To(url) if url != written => edits.push((span, url)),
            Retarget::To(_) => {}
            Retarget::Unknown => unresolved.push(written.to_string()),
        }
    }
    edits.sort_by_key(|(span, _)| span.start);
    edits.dedup_by_key(|(span, _)| span.start);
    let mut text = String::with_capacity(body.len());
    let mut at = 0;
    for (span, url) in edits {
        if span.start < at {
            continue;
        }
        text.push_str(&body[at..span.start]);
        text.push_str(&url);
        at = span.end;
    }
    text.push_str(&body[at..]);
    Rewritten { text, unresolved }
}

/// The byte ranges of every link and image destination in `body`, as written.
fn destinations(body: &str) -> Vec<Range<usize>> {
    let material = crate::material::rewrite(body);
    let text = material.text.as_str();
    let parser = Parser::new_ext(text, crate::markdown::options()).into_offset_iter();
    let mut found: Vec<Range<usize>> = parser
        .reference_definitions()
        .iter()
        .filter_map(|(_, def)| definition_dest(text, def.span.clone()))
        .collect();
    for (event, range) in parser {
        match event {
            Event::Start(Tag::Link { link_type, .. } | Tag::Image { link_type, .. })
                if link_type == LinkType::Inline =>
            {
                found.extend(inline_dest(text, range));
            }
            Event::Html(_) | Event::InlineHtml(_) => found.extend(html_urls(text, range)),
            _ => {}
        }
    }
    // Back to the page's own offsets; a span the rewrite moved is left alone rather than
    // guessed at.
    found
        .into_iter()
        .filter_map(|span| {
            let mapped = material.original(span.start)..material.original(span.end);
            let same = body.get(mapped.clone()) == text.get(span);
            same.then_some(mapped)
        })
        .collect()
}

/// `[text](dest "title")`: the range of `dest` (without `<>`) in `text[range]`.
fn inline_dest(text: &str, range: Range<usize>) -> Option<Range<usize>> {
    let source = text.get(range.clone())?;
    let inner = source.strip_suffix(')')?;
    let open = inner.rfind("](")? + 2;
    let at = range.start + open;
    destination_at(text, at, range.start + inner.len())
}

/// `[label]: dest "title"`: the range of `dest` in the definition at `span`.
fn definition_dest(text: &str, span: Range<usize>) -> Option<Range<usize>> {
    let source = text.get(span.clone())?;
    let colon = source.find("]:")? + 2;
    destination_at(text, span.start + colon, span.end)
}

/// The destination that starts after optional white space at `at`, before `end`.
fn destination_at(text: &str, at: usize, end: usize) -> Option<Range<usize>> {
    let rest = text.get(at..end)?;
    let start = at + (rest.len() - rest.trim_start().len());
    let rest = &text[start..end];
    if let Some(angled) = rest.strip_prefix('<') {
        let close = angled.find('>')?;
        return Some(start + 1..start + 1 + close);
    }
    let len = rest.find(char::is_whitespace).unwrap_or(rest.len());
    (len > 0).then_some(start..start + len)
}

static HTML_URL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)\b(?:src|href)\s*=\s*(?:"([^"]*)"|'([^']*)')"#).expect("valid regex")
});

/// The `src="..."` and `href="..."` values of raw HTML at `text[range]`.
fn html_urls(text: &str, range: Range<usize>) -> Vec<Range<usize>> {
    let Some(html) = text.get(range.clone()) else {
        return Vec::new();
    };
    HTML_URL
        .captures_iter(html)
        .filter_map(|c| c.get(1).or_else(|| c.get(2)))
        .map(|m| range.start + m.start()..range.start + m.end())
        .collect()
}

/// Backslash escapes (`\_`) as CommonMark reads them in a destination.
fn unescape(written: &str) -> String {
    let mut out = String::with_capacity(written.len());
    let mut chars = written.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, chars.peek()) {
            ('\\', Some(next)) if next.is_ascii_punctuation() => {
                out.push(*next);
                chars.next();
            }
            _ => out.push(c),
        }
    }
    out
}

#[derive(Debug, PartialEq)]
enum Retarget {
    /// External, a fragment on this page, or empty: nothing to do.
    Keep,
    To(String),
    /// Names a file the book does not have.
    Unknown,
}

fn retarget(url: &str, old: &Path, new: &str, targets: &Targets) -> Retarget {
    if url.is_empty() || url.starts_with('#') || crate::links::is_external(url) {
        return Retarget::Keep;
    }
    let (path, fragment) = match url.find(['?', '#']) {
        Some(i) => url.split_at(i),
        None => (url, ""),
    };
    if path.is_empty() {
        return Retarget::Keep;
    }
    let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
    let joined = match decoded.strip_prefix('/') {
        Some(from_root) => PathBuf::from(from_root),
        None => old.parent().unwrap_or(Path::new("")).join(decoded.as_ref()),
    };
    let Some(normal) = crate::links::normalize(&joined) else {
        return Retarget::Unknown;
    };
    let as_url = normal.to_string_lossy().replace('\\', "/");
    let target = targets
        .pages
        .get(&normal)
        .or_else(|| targets.outputs.get(&as_url))
        .cloned()
        .or_else(|| targets.assets.contains(&normal).then_some(as_url));
    match target {
        Some(target) => Retarget::To(format!(
            "{}{fragment}",
            encode(&crate::links::relative_url(new, &target))
        )),
        None => Retarget::Unknown,
    }
}

/// A path as a link destination: the characters that would end or break one are escaped;
/// letters in any script stay readable.
fn encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        match c {
            ' ' => out.push_str("%20"),
            '%' => out.push_str("%25"),
            '(' => out.push_str("%28"),
            ')' => out.push_str("%29"),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            '#' => out.push_str("%23"),
            '?' => out.push_str("%3F"),
            c if c.is_control() => out.push_str(&format!("%{:02X}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn targets() -> Targets {
        let mut t = Targets::default();
        t.pages
            .insert("guide/install.md".into(), "02-guide/01-install.md".into());
        t.pages
            .insert("intro.md".into(), "01-intro/01-intro.md".into());
        t.pages.insert("README.md".into(), "_index.md".into());
        t.pages
            .insert("two x.md".into(), "01-intro/02-two x.md".into());
        t.outputs
            .insert("guide/install.html".into(), "02-guide/01-install.md".into());
        t.assets.insert("img/a b.png".into());
        t
    }

    fn run(body: &str) -> Rewritten {
        rewrite(
            body,
            Path::new("intro.md"),
            "01-intro/01-intro.md",
            &targets(),
        )
    }

    #[test]
    fn links_and_images_follow_their_targets_and_keep_fragments() {
        let got = run(
            "See [install](guide/install.md#steps \"t\"), [home](./README.md), [me](#x), \
             [html](guide/install.html), [two](<two x.md>) and ![a b](img/a%20b.png).\n\n\
             [ref]: guide/install.md?x=1#top\n",
        );
        assert_eq!(
            got.text,
            "See [install](../02-guide/01-install.md#steps \"t\"), [home](../_index.md), [me](#x), \
             [html](../02-guide/01-install.md), [two](<02-two%20x.md>) and ![a b](../img/a%20b.png).\n\n\
             [ref]: ../02-guide/01-install.md?x=1#top\n"
        );
        assert!(got.unresolved.is_empty());
    }

    #[test]
    fn code_is_left_alone_and_html_attributes_follow() {
        let body = "```md\n[x](guide/install.md)\n```\n\n`[y](intro.md)`\n\n<img src=\"img/a b.png\" alt=\"\">\n";
        assert_eq!(
            run(body).text,
            body.replace("src=\"img/a b.png\"", "src=\"../img/a%20b.png\"")
        );
    }

    #[test]
    fn links_inside_admonitions_are_found_and_unknown_ones_reported() {
        // Without Material's rewrite, the indented body would be an indented code block.
        let got = run("!!! note\n\n    Read [it](guide/install.md) and [gone](gone.md).\n");
        assert_eq!(
            got.text,
            "!!! note\n\n    Read [it](../02-guide/01-install.md) and [gone](gone.md).\n"
        );
        assert_eq!(got.unresolved, ["gone.md"]);
    }

    #[test]
    fn external_links_stay() {
        let body = "[a](https://x.org/a.md) [b](mailto:x@y) [c](//cdn/x.js)\n";
        assert_eq!(run(body).text, body);
    }
}
