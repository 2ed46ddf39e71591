//! Material: Material for MkDocs syntax, rewritten into Markdown and HTML that pulldown-cmark
//! reads. It runs at the front of the parse stage, on each page's body, before
//! [`crate::markdown::render`] parses it (issue 10: build MkDocs / Material sites unchanged).
//!
//! [`rewrite`] turns admonitions (`!!! note "Title"`), collapsible blocks (`??? note`, `???+`)
//! and content tabs (`=== "Label"`) into coursebook's callout and tab markup, and `{: #id }`
//! heading attributes into the `{ #id }` form the parser reads. No source line moves:
//!
//! - an opening marker line becomes one line of HTML, and its body is dedented in place;
//! - a block's closing tags take the place of the blank line that ends it (a line is added
//!   only when a block ends without one, and then after every line of the page it follows);
//! - each HTML line starts with `<!-- material -->`: a CommonMark HTML block that opens with a comment
//!   ends on the line holding `-->`, so the Markdown on the next line is parsed as Markdown
//!   (a line opening with `<div>` would swallow everything up to the next blank line).
//!
//! [`Rewritten::original`] maps offsets in the rewritten text back to the page, so every
//! diagnostic still names its own `file:line`.
//!
//! Syntax this stage does not render (snippets, `==mark==`, keys, icons...) is found here too,
//! outside code, and reported once per build by [`once_per_build`] instead of being shown as
//! typed without a word.

use std::ops::Range;
use std::sync::LazyLock;

use pulldown_cmark::{Parser, html};
use regex::Regex;

use crate::content::{AtPage, Page};
use crate::diagnostics::Diagnostic;
use crate::html::escape_html;

mod unsupported;

use unsupported::CHECKS;
pub use unsupported::{Unsupported, once_per_build};

/// A page body after [`rewrite`], with the map back to the original text.
#[derive(Debug)]
pub struct Rewritten {
    pub text: String,
    /// One entry per rewritten line; empty when nothing was rewritten.
    lines: Vec<LineMap>,
    /// Unsupported syntax, with its span in the original body.
    found: Vec<(Unsupported, Range<usize>)>,
}

#[derive(Debug, Clone, Copy)]
struct LineMap {
    new_start: usize,
    orig_start: usize,
    /// The original line's length, with its newline.
    orig_len: usize,
    /// Bytes of indentation removed from the start of the line.
    shift: usize,
}

impl Rewritten {
    /// The offset in the original body of `offset` in the rewritten text.
    pub fn original(&self, offset: usize) -> usize {
        if self.lines.is_empty() {
            return offset;
        }
        let i = self
            .lines
            .partition_point(|l| l.new_start <= offset)
            .saturating_sub(1);
        let l = self.lines[i];
        let col = offset.saturating_sub(l.new_start);
        l.orig_start + (col + l.shift).min(l.orig_len)
    }

    /// One warning per unsupported construct found in `page`, in source order.
    pub fn diagnostics(&self, page: &Page) -> Vec<Diagnostic> {
        self.found
            .iter()
            .map(|(kind, span)| {
                let (what, label, help) = kind.describe();
                Diagnostic::warning(format!("unsupported Material for MkDocs syntax: {what}"))
                    .at_page(
                        page,
                        page.body_offset + span.start..page.body_offset + span.end,
                    )
                    .label(label)
                    .help(help)
            })
            .collect()
    }
}

/// An open block: an admonition, a details block, a tab panel (each strips four columns from
/// its body) or a tab set (strips nothing; its panels do).
#[derive(Debug)]
struct Frame {
    /// The column of the opening marker, in the rewritten text.
    keep: usize,
    /// The column where the body starts (or, for a tab set, where its markers are), in the
    /// original line.
    body: usize,
    close: &'static str,
    tab_set: Option<u8>,
    /// Content columns of the list items open in this block's body.
    lists: Vec<usize>,
}

#[derive(Debug, PartialEq)]
enum Kind {
    Text,
    Blank,
    /// One of ours, at this column.
    Html(usize),
}

#[derive(Debug)]
struct Out {
    text: String,
    newline: bool,
    map: LineMap,
    kind: Kind,
}

struct Fence {
    ch: char,
    len: usize,
    depth: usize,
}

static ADMONITION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"^(!!!|\?\?\?\+?) *([\w-]+(?: +[\w-]+)*)? *(?:"(.*)")? *$"#).expect("regex")
});
static TAB: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"^===([!+]{0,2}) +"(.*)" *$"#).expect("regex"));
static LIST_ITEM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^([-*+]|[0-9]{1,9}[.)])( {1,4}|$)").expect("regex"));
/// Rewrites Material syntax in a page's `body`; see the module docs.
pub fn rewrite(body: &str) -> Rewritten {
    let mut r = Rewriter {
        out: Vec::new(),
        frames: Vec::new(),
        lists: Vec::new(),
        fence: None,
        heading: 1,
        found: Vec::new(),
    };
    let mut orig_start = 0;
    for raw in body.split_inclusive('\n') {
        r.line(raw, orig_start);
        orig_start += raw.len();
    }
    r.close_to(0, orig_start, true);
    let mut text = String::with_capacity(body.len() + 64);
    let mut lines = Vec::with_capacity(r.out.len());
    for o in r.out {
        let mut map = o.map;
        map.new_start = text.len();
        lines.push(map);
        text.push_str(&o.text);
        if o.newline {
            text.push('\n');
        }
    }
    if text == body {
        lines.clear();
    }
    Rewritten {
        text,
        lines,
        found: r.found,
    }
}

struct Rewriter {
    out: Vec<Out>,
    frames: Vec<Frame>,
    /// Content columns of the list items open outside every block.
    lists: Vec<usize>,
    fence: Option<Fence>,
    /// The level of the last ATX heading: a tab's label is a heading one level below it.
    heading: u8,
    found: Vec<(Unsupported, Range<usize>)>,
}

impl Rewriter {
    fn line(&mut self, raw: &str, orig_start: usize) {
        let newline = raw.ends_with('\n');
        let line = raw.strip_suffix('\n').unwrap_or(raw);
        let map = LineMap {
            new_start: 0,
            orig_start,
            orig_len: raw.len(),
            shift: 0,
        };
        if line.trim().is_empty() {
            let (text, shift) = strip_columns(line, self.dedent());
            self.out.push(Out {
                text: text.to_string(),
                newline,
                map: LineMap { shift, ..map },
                kind: Kind::Blank,
            });
            return;
        }
        let indent = columns(line);
        // Blocks end at the first non-blank line indented less than their body.
        let mut depth = self.frames.len();
        while let Some(frame) = depth.checked_sub(1).map(|i| &self.frames[i]) {
            let stays = match frame.tab_set {
                None => indent >= frame.body,
                Some(_) => {
                    indent >= frame.body
                        && indent < frame.body + 4
                        && TAB
                            .captures(line.trim_start())
                            .is_some_and(|c| !c[1].contains('!'))
                }
            };
            if stays {
                break;
            }
            depth -= 1;
        }
        self.close_to(depth, orig_start, false);
        let (text, shift) = strip_columns(line, self.dedent());
        let map = LineMap { shift, ..map };
        let local = columns(text);
        let rest = text.trim_start();
        if let Some(fence) = &self.fence {
            if rest.starts_with(&fence.ch.to_string().repeat(fence.len))
                && rest.trim_end().chars().all(|c| c == fence.ch)
            {
                self.fence = None;
            }
            return self.push(text.to_string(), newline, map, Kind::Text);
        }
        let lists = self.frames.last().map_or(&self.lists, |f| &f.lists);
        let in_list = lists.last().is_some_and(|&c| local >= c && local < c + 4);
        if local >= 4 && !in_list {
            // An indented code block.
            return self.push(text.to_string(), newline, map, Kind::Text);
        }
        if let Some(fence) = fence_open(rest) {
            self.fence = Some(Fence {
                depth: self.frames.len(),
                ..fence
            });
            return self.push(text.to_string(), newline, map, Kind::Text);
        }
        self.track_lists(local, rest);
        if let Some(c) = ADMONITION.captures(rest) {
            let marker = &c[1];
            let words: Vec<&str> = c
                .get(2)
                .map_or(Vec::new(), |m| m.as_str().split_whitespace().collect());
            let title = c.get(3).map(|m| m.as_str());
            if !words.is_empty() || (marker != "!!!" && title.is_some()) {
                let html = " ".repeat(local) + &opening(marker, &words, title);
                let close = if marker == "!!!" {
                    "</div>"
                } else {
                    "</details>"
                };
                self.open(local, self.body_column(indent, local, in_list), close, None);
                return self.push(html, newline, map, Kind::Html(local));
            }
        }
        if let Some(c) = TAB.captures(rest) {
            let flags = &c[1];
            let level = match self.frames.last() {
                Some(Frame {
                    tab_set: Some(level),
                    ..
                }) => *level,
                _ => {
                    let level = (self.heading + 1).min(6);
                    let html =
                        " ".repeat(local) + "<!-- material --><div class=\"tabbed-set\" data-tabs>";
                    self.open(local, indent, "</div>", Some(level));
                    self.push(html, false, map, Kind::Html(local));
                    level
                }
            };
            let selected = if flags.contains('+') {
                " data-selected"
            } else {
                ""
            };
            let html = format!(
                "<div class=\"tabbed-block\"{selected}><h{level} class=\"tabbed-label\">{}</h{level}>",
                inline(&c[2])
            );
            self.open(
                local,
                self.body_column(indent, local, in_list),
                "</div>",
                None,
            );
            return self.push_onto_set(html, newline, map, local);
        }
        if let Some(hashes) = rest.split(' ').next().filter(|h| {
            (1..=6).contains(&h.len()) && h.bytes().all(|b| b == b'#') && rest.len() > h.len()
        }) {
            self.heading = hashes.len() as u8;
        }
        let text = attr_list_colon(rest, text);
        self.scan(&text, orig_start + shift);
        self.push(text, newline, map, Kind::Text)
    }

    /// The column (in the original line) where the body of a block opened at `indent` starts:
    /// four columns in from its parent's body, or, inside a list item, from the marker.
    fn body_column(&self, indent: usize, local: usize, in_list: bool) -> usize {
        if in_list {
            indent + 4
        } else {
            indent - local + 4
        }
    }

    /// Columns stripped from the body lines of the innermost block.
    fn dedent(&self) -> usize {
        4 * self.frames.iter().filter(|f| f.tab_set.is_none()).count()
    }

    fn open(&mut self, keep: usize, body: usize, close: &'static str, tab_set: Option<u8>) {
        self.frames.push(Frame {
            keep,
            body,
            close,
            tab_set,
            lists: Vec::new(),
        });
    }

    fn push(&mut self, text: String, newline: bool, map: LineMap, kind: Kind) {
        self.out.push(Out {
            text,
            newline,
            map,
            kind,
        });
    }

    /// A tab panel's opening: on the line of its tab set's opening when that was just pushed
    /// (the set's `<div>` was pushed without a newline).
    fn push_onto_set(&mut self, html: String, newline: bool, map: LineMap, keep: usize) {
        match self.out.last_mut() {
            Some(last) if !last.newline && last.kind == Kind::Html(keep) => {
                last.text.push_str(&html);
                last.newline = newline;
            }
            _ => self.push(
                format!("{}<!-- material -->{html}", " ".repeat(keep)),
                newline,
                map,
                Kind::Html(keep),
            ),
        }
    }

    /// Closes blocks until `depth` remain. Their closing tags replace the blank line before
    /// `orig_start` (the line that ended them), join the HTML line before it, or, failing
    /// both, get a line of their own, mapped to `orig_start`.
    fn close_to(&mut self, depth: usize, orig_start: usize, at_end: bool) {
        while self.frames.len() > depth {
            let Some(frame) = self.frames.pop() else {
                break;
            };
            if self
                .fence
                .as_ref()
                .is_some_and(|f| f.depth > self.frames.len())
            {
                self.fence = None;
            }
            let keep = frame.keep;
            match self.out.last_mut() {
                Some(last) if last.kind == Kind::Blank => {
                    last.text = format!("{}<!-- material -->{}", " ".repeat(keep), frame.close);
                    last.kind = Kind::Html(keep);
                }
                Some(last) if last.kind == Kind::Html(keep) => last.text.push_str(frame.close),
                last => {
                    if let Some(last) = last {
                        last.newline = true;
                    }
                    let map = LineMap {
                        new_start: 0,
                        orig_start,
                        orig_len: 0,
                        shift: 0,
                    };
                    self.push(
                        format!("{}<!-- material -->{}", " ".repeat(keep), frame.close),
                        !at_end,
                        map,
                        Kind::Html(keep),
                    );
                }
            }
        }
    }

    /// Keeps the list items open at this line (a block inside a list item may be indented
    /// four columns or more).
    fn track_lists(&mut self, local: usize, rest: &str) {
        let lists = match self.frames.last_mut() {
            Some(f) => &mut f.lists,
            None => &mut self.lists,
        };
        while lists.last().is_some_and(|&c| local < c) {
            lists.pop();
        }
        if let Some(c) = LIST_ITEM.captures(rest) {
            let spaces = c[2].len().max(1);
            lists.push(local + c[1].len() + spaces);
        }
    }

    /// Records the unsupported syntax on a line of text (not code), whose first byte is at
    /// `at` in the original body.
    fn scan(&mut self, text: &str, at: usize) {
        let masked = mask_code_spans(text);
        for (kind, re) in CHECKS.iter() {
            if let Some(m) = re.captures(&masked).and_then(|c| c.get(1)) {
                self.found.push((*kind, at + m.start()..at + m.end()));
            }
        }
        self.found.sort_by_key(|(_, span)| span.start);
    }
}

/// The HTML line that opens an admonition (`!!!`) or a details block (`???`, `???+`).
fn opening(marker: &str, words: &[&str], title: Option<&str>) -> String {
    let ty = words.first().map(|w| w.to_ascii_lowercase());
    let (class, known) = ty.as_deref().map_or(("note", true), kind);
    let mut classes = format!("callout callout-{class}");
    if !known && let Some(ty) = &ty {
        classes.push_str(&format!(" callout-{ty}"));
    }
    for extra in words.iter().skip(1) {
        classes.push(' ');
        classes.push_str(&extra.to_ascii_lowercase());
    }
    // Python-Markdown's default title is the type, capitalised; `""` means no title bar.
    let title = match (title, &ty) {
        (Some(t), _) if !t.trim().is_empty() => inline(t),
        (Some(_), _) if marker == "!!!" => String::new(),
        (_, Some(ty)) => escape_html(&capitalise(ty)),
        (_, None) => "Details".to_string(),
    };
    if marker == "!!!" {
        let title = if title.is_empty() {
            String::new()
        } else {
            format!("<p class=\"callout-title\">{title}</p>")
        };
        format!("<!-- material --><div class=\"{classes}\" role=\"note\">{title}")
    } else {
        let open = if marker.ends_with('+') { " open" } else { "" };
        format!(
            "<!-- material --><details class=\"{classes}\"{open}><summary class=\"callout-title\">{title}</summary>"
        )
    }
}

/// The callout kind of a Material admonition type (aliases resolved), and whether it is known.
fn kind(ty: &str) -> (&'static str, bool) {
    let class = match ty {
        "note" | "seealso" => "note",
        "abstract" | "summary" | "tldr" => "abstract",
        "info" | "todo" => "info",
        "tip" | "hint" | "important" => "tip",
        "success" | "check" | "done" => "success",
        "question" | "help" | "faq" => "question",
        "warning" | "caution" | "attention" => "warning",
        "failure" | "fail" | "missing" => "failure",
        "danger" | "error" => "danger",
        "bug" => "bug",
        "example" => "example",
        "quote" | "cite" => "quote",
        _ => return ("note", false),
    };
    (class, true)
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map_or(String::new(), |c| {
        c.to_uppercase()
            .chain(chars.flat_map(char::to_lowercase))
            .collect()
    })
}

/// A title or label: inline Markdown on one line, or escaped text if it parses as a block.
fn inline(text: &str) -> String {
    let mut out = String::new();
    html::push_html(&mut out, Parser::new(text));
    match out
        .trim_end()
        .strip_prefix("<p>")
        .and_then(|t| t.strip_suffix("</p>"))
    {
        Some(inner) if !inner.contains('\n') => inner.to_string(),
        _ => escape_html(text),
    }
}

/// Python-Markdown's attr_list allows `{: #id }`; pulldown-cmark reads `{ #id }`. The colon
/// becomes a space, so the line keeps its length.
fn attr_list_colon(rest: &str, text: &str) -> String {
    if rest.starts_with('#')
        && rest.trim_end().ends_with('}')
        && let Some(open) = text.rfind("{:")
    {
        let mut fixed = text.to_string();
        fixed.replace_range(open + 1..open + 2, " ");
        return fixed;
    }
    text.to_string()
}

/// The opening fence of a code block, if `rest` (a line without its indentation) is one.
fn fence_open(rest: &str) -> Option<Fence> {
    let ch = rest.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let len = rest.chars().take_while(|c| *c == ch).count();
    if len < 3 || (ch == '`' && rest[len..].contains('`')) {
        return None;
    }
    Some(Fence { ch, len, depth: 0 })
}

/// `line` with backtick code spans blanked out (same length), so no check fires inside them.
fn mask_code_spans(line: &str) -> String {
    let bytes = line.as_bytes();
    let mut masked = bytes.to_vec();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'`' {
            i += 1;
            continue;
        }
        let run = bytes[i..].iter().take_while(|&&b| b == b'`').count();
        let close = (i + run..bytes.len()).find(|&j| {
            bytes[j] == b'`'
                && bytes[j..].iter().take_while(|&&b| b == b'`').count() == run
                && bytes[j - 1] != b'`'
        });
        match close {
            Some(j) => {
                masked[i..j + run].fill(b' ');
                i = j + run;
            }
            None => i += run,
        }
    }
    String::from_utf8(masked).unwrap_or_else(|_| line.to_string())
}

/// The columns of a line's indentation (a tab reaches the next multiple of four).
fn columns(line: &str) -> usize {
    let mut col = 0;
    for c in line.chars() {
        match c {
            ' ' => col += 1,
            '\t' => col += 4 - col % 4,
            _ => break,
        }
    }
    col
}

/// `line` without up to `n` columns of indentation, and the bytes removed.
fn strip_columns(line: &str, n: usize) -> (&str, usize) {
    let mut col = 0;
    for (i, c) in line.char_indices() {
        if col >= n {
            return (&line[i..], i);
        }
        match c {
            ' ' => col += 1,
            '\t' => col += 4 - col % 4,
            _ => return (&line[i..], i),
        }
    }
    ("", line.len())
}

#[cfg(test)]
mod tests;
