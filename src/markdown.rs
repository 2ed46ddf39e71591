//! Markdown: the parse and transform stages for one page.
//!
//! pulldown-cmark events are rewritten on their way to HTML: headings get GitHub-compatible ids
//! and anchor links (and feed the table of contents), GitHub alerts become callouts, code
//! blocks are highlighted (with a badge under each `{verify}` block the last verify run
//! proved or found failing), tables get a scroll wrapper, and links are resolved against the
//! course (rewritten to the generated pages, and checked). Nothing here knows about templates,
//! files on disk or HTTP.

use std::collections::HashSet;
use std::ops::Range;

use pulldown_cmark::{
    BlockQuoteKind, CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag,
    TagEnd, html,
};
use serde::Serialize;

use crate::content::{AtPage, Page};
use crate::diagnostics::{Diagnostic, Severity};
use crate::html::{escape_attr, escape_html};
use crate::links::{self, FragmentRef, LinkMap, Target};
use crate::slug::{Slugger, github_slug};
use crate::verify::results::{self, Results};
use crate::{diagram, highlight, material, quiz};

mod checklist;

/// Settings that shape how a page is checked and read.
#[derive(Debug, Clone, Copy)]
pub struct Checks {
    pub strict: bool,
    /// Severity of broken internal links.
    pub broken_links: Severity,
    /// Straight quotes and `--` become typographic ones, as mdBook does by default (on for
    /// mdBook books unless `[output.html] smart-punctuation = false`).
    pub smart_punctuation: bool,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub title: String,
}

/// A page turned into HTML, with what later stages need to know about it.
#[derive(Debug, Default)]
pub struct Rendered {
    pub html: String,
    pub toc: Vec<TocEntry>,
    pub ids: HashSet<String>,
    pub fragments: Vec<FragmentRef>,
    pub diagnostics: Vec<Diagnostic>,
    /// Quiz question ids with the span (into the page's text) where each is set.
    pub quiz_ids: Vec<(String, Range<usize>)>,
    /// What the learner can complete on this page: `q:<question id>` and `c:<checklist item>`.
    pub progress: Vec<String>,
    /// The verify results keys of the page's `{verify}` blocks (skipped ones left out): the
    /// page shows their badges, so it is rendered again when their results change.
    pub verify_keys: Vec<String>,
    /// The HTML of the heading that opens the page when it is the page's title (the
    /// template shows it in place of the plain title).
    pub title_html: Option<String>,
    /// Material for MkDocs syntax shown as typed, one warning per place: the site reports
    /// each kind once per build ([`material::once_per_build`]).
    pub unsupported: Vec<Diagnostic>,
}

pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
}

/// Renders `page`'s body. The page's first `# heading`, when it opens the page, is left to the
/// template (which shows the title) but keeps its id. `verified` holds the last verify run's
/// results, for the badges under tagged code blocks.
pub fn render(page: &Page, map: &LinkMap, checks: Checks, verified: &Results) -> Rendered {
    let mut state = State {
        page,
        map,
        checks,
        verified,
        out: Rendered::default(),
        slugger: Slugger::default(),
        title_hidden: false,
        diagrams: 0,
        quizzes: 0,
    };
    // Material for MkDocs syntax first; `material.original` maps offsets back to the page.
    let material = material::rewrite(page.body());
    state.out.unsupported = material.diagnostics(page);
    let mut events: Vec<Event> = Vec::new();
    let options = if checks.smart_punctuation {
        options() | Options::ENABLE_SMART_PUNCTUATION
    } else {
        options()
    };
    let mut iter = Parser::new_ext(&material.text, options)
        .into_offset_iter()
        .peekable();
    let mut first_block = true;
    let mut checklists = checklist::Checklists::new(&page.output);
    // The image being read: its alt text so far, and where it is.
    let mut image: Option<(String, Range<usize>)> = None;
    while let Some((event, range)) = iter.next() {
        let span = page.body_offset + material.original(range.start)
            ..page.body_offset + material.original(range.end);
        let Some(event) = checklists.on_event(event, &mut events) else {
            continue;
        };
        match (&event, &mut image) {
            (Event::Text(t) | Event::Code(t), Some((alt, _))) => alt.push_str(t),
            (Event::End(TagEnd::Image), Some(_)) => {
                if let Some((alt, at)) = image.take()
                    && alt.trim().is_empty()
                {
                    state.missing_alt(at);
                }
            }
            _ => {}
        }
        match event {
            Event::Start(Tag::Heading {
                level, id, classes, ..
            }) => {
                let mut inner = Vec::new();
                for (e, _) in iter.by_ref() {
                    if matches!(e, Event::End(TagEnd::Heading(_))) {
                        break;
                    }
                    inner.push(e);
                }
                let opens_page = first_block && level == HeadingLevel::H1;
                state.heading(level, id, &classes, inner, opens_page, &mut events);
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let mut code = String::new();
                for (e, _) in iter.by_ref() {
                    match e {
                        Event::Text(t) => code.push_str(&t),
                        Event::End(TagEnd::CodeBlock) => break,
                        _ => {}
                    }
                }
                let info = match &kind {
                    CodeBlockKind::Fenced(info) => info.to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                events.push(Event::Html(state.code_block(&info, &code, span).into()));
            }
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                let (class, title) = alert(kind);
                events.push(Event::Html(
                    format!(
                        "<div class=\"callout callout-{class}\" role=\"note\"><p class=\"callout-title\">{title}</p>\n"
                    )
                    .into(),
                ));
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => events.push(Event::Html("</div>\n".into())),
            Event::Start(Tag::Table(align)) => {
                events.push(Event::Html("<div class=\"table-wrap\">".into()));
                events.push(Event::Start(Tag::Table(align)));
            }
            Event::End(TagEnd::Table) => {
                events.push(Event::End(TagEnd::Table));
                events.push(Event::Html("</div>\n".into()));
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = state.link(link_type, dest_url, span);
                events.push(Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                state.image(&dest_url, span.clone());
                image = Some((String::new(), span));
                events.push(Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            other => events.push(other),
        }
        first_block = false;
    }
    html::push_html(&mut state.out.html, events.into_iter());
    // Every page's HTML is held for the whole build: without the room it grew into, it is a
    // third smaller.
    state.out.html.shrink_to_fit();
    state.out.progress.extend(checklists.keys);
    state.out
}

struct State<'a> {
    page: &'a Page,
    map: &'a LinkMap,
    checks: Checks,
    verified: &'a Results,
    out: Rendered,
    slugger: Slugger,
    title_hidden: bool,
    diagrams: usize,
    quizzes: usize,
}

impl State<'_> {
    fn heading(
        &mut self,
        level: HeadingLevel,
        explicit_id: Option<CowStr<'_>>,
        classes: &[CowStr<'_>],
        inner: Vec<Event<'_>>,
        opens_page: bool,
        events: &mut Vec<Event<'_>>,
    ) {
        let text = plain_text(&inner);
        // The template shows the title; an opening `# heading` that is the title would repeat it.
        let is_title = !self.title_hidden
            && level == HeadingLevel::H1
            && (text.trim() == self.page.title.trim()
                || (opens_page && self.page.front.title.is_none()));
        let hide = is_title;
        self.title_hidden |= is_title;
        let id = match explicit_id {
            Some(id) => self.slugger.unique(&id),
            None => self.slugger.unique(&github_slug(&text)),
        };
        self.out.ids.insert(id.clone());
        let n = level as u8;
        if matches!(level, HeadingLevel::H2 | HeadingLevel::H3) {
            self.out.toc.push(TocEntry {
                level: n,
                id: id.clone(),
                title: text.trim().to_string(),
            });
        }
        if hide {
            // The template shows the title; when the page's own heading is the title, its
            // markup (code, emphasis, typographic quotes) is kept for it.
            if self.page.front.title.is_none() {
                let mut title_html = String::new();
                html::push_html(&mut title_html, inner.into_iter());
                self.out.title_html = Some(title_html);
            }
            return;
        }
        let id_attr = escape_attr(&id);
        let class_attr = if classes.is_empty() {
            String::new()
        } else {
            let joined: Vec<&str> = classes.iter().map(|c| c.as_ref()).collect();
            format!(" class=\"{}\"", escape_attr(&joined.join(" ")))
        };
        let mut inner_html = String::new();
        html::push_html(&mut inner_html, inner.into_iter());
        events.push(Event::Html(
            format!(
                "<h{n} id=\"{id_attr}\"{class_attr}>{inner_html} <a class=\"anchor\" href=\"#{id_attr}\" aria-label=\"Link to this section\">#</a></h{n}>\n"
            )
            .into(),
        ));
    }

    fn code_block(&mut self, info: &str, code: &str, span: Range<usize>) -> String {
        let lang = fence_language(info);
        if lang == "mermaid" {
            return self.diagram(code, span);
        }
        if lang == "quiz" {
            return self.quiz(code, span);
        }
        let tags = verify_attrs(info);
        // A tagged console transcript shows output, not the matcher's notation.
        let block = if tags.is_some() && crate::verify::snippets::is_console(&lang) {
            self.code(info, &lang, &crate::verify::expect::shown(code), span)
        } else {
            let shown = crate::mdbook::visible_code(info, &lang, code);
            self.code(info, &lang, &shown, span)
        };
        match tags.and_then(|tags| self.badge(&tags, &lang, code)) {
            Some(badge) => block + &badge,
            None => block,
        }
    }

    /// The status of a `{verify}` block in the last verify run, under the block: text, not
    /// colour alone. None for untagged and skipped blocks, and for blocks without a result,
    /// which includes every block edited since the run (the key is a hash of its text).
    fn badge(&mut self, attrs: &[String], lang: &str, code: &str) -> Option<String> {
        if attrs.iter().any(|a| a == "skip" || a.starts_with("skip=")) {
            return None;
        }
        let key = results::key(lang, code);
        let record = self.verified.get(&key);
        self.out.verify_keys.push(key);
        let record = record?;
        let status = escape_attr(&record.status);
        let date = escape_html(&record.date);
        let text = match record.status.as_str() {
            "pass" => format!(
                "<span aria-hidden=\"true\">✓</span> Verified <time datetime=\"{date}\">{date}</time> on <span class=\"verify-image\">{}</span>",
                escape_html(&record.image)
            ),
            "fail" | "timeout" | "oom" | "error" => format!(
                "<span aria-hidden=\"true\">✗</span> Failing (verify <time datetime=\"{date}\">{date}</time>)"
            ),
            _ => return None,
        };
        let class = if record.status == "pass" {
            "verify-pass"
        } else {
            "verify-fail"
        };
        Some(format!(
            "<p class=\"verify-badge {class}\" data-status=\"{status}\">{text}</p>\n"
        ))
    }

    /// A code block highlighted, or as plain text (unknown languages are a pedantic warning).
    fn code(&mut self, info: &str, lang: &str, code: &str, span: Range<usize>) -> String {
        let plain = is_plain(lang);
        if !plain {
            if let Some(html) = highlighted_block(lang, code) {
                return html;
            }
            if self.checks.strict {
                self.out.diagnostics.push(
                    Diagnostic::warning(format!("unknown language `{lang}` in code block"))
                        .at_page(self.page, span.start..span.start + 3 + info.len())
                        .label("shown as plain text")
                        .help("check the spelling, or use `text` for plain output"),
                );
            }
        }
        plain_block(lang, code)
    }

    /// A mermaid fence becomes inline SVG; a diagram that fails is an error at the line of
    /// the diagram that the renderer blamed.
    fn diagram(&mut self, code: &str, span: Range<usize>) -> String {
        self.diagrams += 1;
        let id = diagram::diagram_id(&self.page.output, self.diagrams);
        match diagram::render_block(code, &id) {
            Ok(html) => html,
            Err(e) => {
                let text = &self.page.text;
                let line_start: usize = code
                    .split_inclusive('\n')
                    .take(e.line.unwrap_or(1).saturating_sub(1))
                    .map(str::len)
                    .sum();
                let at = block_offset(text, &span, code, line_start);
                let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
                let (span, label) = if e.line.is_some() {
                    (at..end, "here")
                } else {
                    (
                        span.start..span.start + 10.min(span.len()),
                        "in this diagram",
                    )
                };
                self.out.diagnostics.push(
                    Diagnostic::error(format!("mermaid diagram failed: {}", e.message))
                        .at_page(self.page, span)
                        .label(label)
                        .help(if e.message.contains("resource limit") {
                            "the diagram is too large to lay out in a page; split it into smaller diagrams"
                        } else {
                            "check the diagram against the Mermaid syntax reference: https://mermaid.js.org/intro/syntax-reference.html"
                        }),
                );
                format!(
                    "<pre class=\"code\" data-lang=\"mermaid\"><code>{}</code></pre>\n",
                    escape_html(code)
                )
            }
        }
    }

    /// A quiz fence becomes a form; every problem in it is an error at its own line and column.
    fn quiz(&mut self, code: &str, fence: Range<usize>) -> String {
        self.quizzes += 1;
        match quiz::check::parse(code) {
            Ok(parsed) => {
                for q in &parsed.questions {
                    let at = block_offset(&self.page.text, &fence, code, q.id_span.start);
                    let end = block_offset(&self.page.text, &fence, code, q.id_span.end);
                    self.out.quiz_ids.push((q.id.clone(), at..end.max(at)));
                    self.out.progress.push(format!("q:{}", q.id));
                }
                quiz::render(&parsed, self.quizzes)
            }
            Err(problems) => {
                for p in problems {
                    let start = block_offset(&self.page.text, &fence, code, p.span.start);
                    let mut end = block_offset(&self.page.text, &fence, code, p.span.end);
                    if p.span.is_empty() {
                        end = start + self.page.text[start..].find('\n').unwrap_or(0).min(8);
                    }
                    let mut d = Diagnostic::error(format!("quiz: {}", p.message))
                        .at_page(self.page, start..end.max(start))
                        .label(p.label);
                    if let Some(help) = p.help {
                        d = d.help(help);
                    }
                    self.out.diagnostics.push(d);
                }
                plain_block("toml", code)
            }
        }
    }

    fn link<'e>(&mut self, link_type: LinkType, url: CowStr<'e>, span: Range<usize>) -> CowStr<'e> {
        if matches!(link_type, LinkType::Autolink | LinkType::Email) {
            return url;
        }
        match links::resolve(&url, &self.page.source, &self.page.output, self.map) {
            Target::External | Target::Asset => url,
            Target::Page { output, fragment } => {
                if let Some(fragment) = &fragment {
                    self.out.fragments.push(FragmentRef {
                        target: output.clone(),
                        fragment: fragment.clone(),
                        span,
                    });
                }
                let mut rewritten = if output == self.page.output {
                    String::new()
                } else {
                    links::relative_url(&self.page.output, &output)
                };
                if let Some(fragment) = fragment {
                    rewritten.push('#');
                    rewritten.push_str(&fragment);
                }
                rewritten.into()
            }
            Target::Broken(reason) => {
                self.out.diagnostics.push(
                    Diagnostic::error(format!("broken link to `{url}`"))
                        .with_severity(self.checks.broken_links)
                        .at_page(self.page, span)
                        .label(reason),
                );
                url
            }
        }
    }

    /// An image without alt text says nothing to a reader who cannot see it (a warning; an
    /// error under `--strict`).
    fn missing_alt(&mut self, span: Range<usize>) {
        self.out.diagnostics.push(
            Diagnostic::warning("image without alt text")
                .at_page(self.page, span)
                .label("screen readers announce only the file name")
                .help("describe the image in the brackets: `![A container on its host](host.png)`; a purely decorative image can be HTML: `<img src=\"...\" alt=\"\">`"),
        );
    }

    fn image(&mut self, url: &str, span: Range<usize>) {
        if let Target::Broken(reason) =
            links::resolve(url, &self.page.source, &self.page.output, self.map)
        {
            self.out.diagnostics.push(
                Diagnostic::error(format!("missing image `{url}`"))
                    .at_page(self.page, span)
                    .label(reason)
                    .help("put the file next to the lesson, or fix the path"),
            );
        }
    }
}

/// The offset in the page's `text` of byte `offset` of a fenced block's `code`, whose fence
/// spans `fence`. Lines map one to one; a line's indentation inside a list is added back.
fn block_offset(text: &str, fence: &Range<usize>, code: &str, offset: usize) -> usize {
    let offset = offset.min(code.len());
    let line = code[..offset].matches('\n').count();
    let code_line_start = code[..offset].rfind('\n').map_or(0, |i| i + 1);
    let code_line_len = code[code_line_start..]
        .find('\n')
        .map_or(code.len(), |i| code_line_start + i)
        - code_line_start;
    // The code starts on the line after the opening fence.
    let mut at = text[fence.clone()]
        .find('\n')
        .map_or(fence.end, |i| fence.start + i + 1);
    for _ in 0..line {
        match text[at..fence.end].find('\n') {
            Some(i) => at += i + 1,
            None => return fence.start,
        }
    }
    let page_line_len = text[at..]
        .find('\n')
        .map_or(text.len() - at, |i| i)
        .saturating_sub(usize::from(
            text[at..]
                .split('\n')
                .next()
                .is_some_and(|l| l.ends_with('\r')),
        ));
    let indent = page_line_len.saturating_sub(code_line_len);
    (at + indent + offset - code_line_start).min(text.len())
}

fn is_plain(lang: &str) -> bool {
    matches!(lang, "" | "text" | "txt" | "plain" | "plaintext")
}

/// A code block in a known language, highlighted; `None` for plain text or an unknown language.
fn highlighted_block(lang: &str, code: &str) -> Option<String> {
    if is_plain(lang) {
        return None;
    }
    let spans = if highlight::is_session(lang) {
        Some(highlight::highlight_session(code))
    } else {
        highlight::highlight(lang, code)
    }?;
    let lang = escape_attr(lang);
    Some(format!(
        "<pre class=\"code\" data-lang=\"{lang}\"><code class=\"language-{lang}\">{spans}</code></pre>\n"
    ))
}

/// A code block shown as it is (box drawings get a tighter line height).
fn plain_block(lang: &str, code: &str) -> String {
    let escaped = escape_html(code);
    let boxdraw = if code.chars().any(|c| ('\u{2500}'..='\u{257F}').contains(&c)) {
        " boxdraw"
    } else {
        ""
    };
    if is_plain(lang) {
        format!("<pre class=\"code{boxdraw}\"><code>{escaped}</code></pre>\n")
    } else {
        let lang = escape_attr(lang);
        format!(
            "<pre class=\"code{boxdraw}\" data-lang=\"{lang}\"><code class=\"language-{lang}\">{escaped}</code></pre>\n"
        )
    }
}

/// A snippet of Markdown (a quiz prompt, choice or hint) as HTML: highlighted code blocks, but
/// no heading anchors and no link checks. `inline` drops the paragraph around a one-line text.
pub fn fragment(text: &str, inline: bool) -> String {
    let mut events = Vec::new();
    let mut parser = Parser::new_ext(text, options());
    while let Some(event) = parser.next() {
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let mut code = String::new();
                for e in parser.by_ref() {
                    match e {
                        Event::Text(t) => code.push_str(&t),
                        Event::End(TagEnd::CodeBlock) => break,
                        _ => {}
                    }
                }
                let lang = match &kind {
                    CodeBlockKind::Fenced(info) => fence_language(info),
                    CodeBlockKind::Indented => String::new(),
                };
                let html =
                    highlighted_block(&lang, &code).unwrap_or_else(|| plain_block(&lang, &code));
                events.push(Event::Html(html.into()));
            }
            other => events.push(other),
        }
    }
    let mut out = String::new();
    html::push_html(&mut out, events.into_iter());
    let trimmed = out.trim_end();
    if inline
        && let Some(inner) = trimmed
            .strip_prefix("<p>")
            .and_then(|t| t.strip_suffix("</p>"))
        && !inner.contains("<p>")
    {
        return inner.to_string();
    }
    trimmed.to_string()
}

/// The mermaid fences of a Markdown body, in order.
pub fn mermaid_sources(body: &str) -> Vec<String> {
    let mut sources = Vec::new();
    let mut current: Option<String> = None;
    // Diagrams inside Material's admonitions and tabs count too.
    let body = material::rewrite(body);
    for event in Parser::new_ext(&body.text, options()) {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info)))
                if fence_language(&info) == "mermaid" =>
            {
                current = Some(String::new());
            }
            Event::Text(t) => {
                if let Some(c) = current.as_mut() {
                    c.push_str(&t);
                }
            }
            Event::End(TagEnd::CodeBlock) => sources.extend(current.take()),
            _ => {}
        }
    }
    sources
}

/// The language of a fence's info string: `bash {verify}` and `bash,ignore` are both `bash`.
pub fn fence_language(info: &str) -> String {
    info.split(|c: char| c.is_whitespace() || c == ',' || c == '{')
        .next()
        .unwrap_or_default()
        .trim_start_matches('.')
        .to_ascii_lowercase()
}

/// The words inside `{verify ...}` of a fence's info string, if it has one: `sh {verify
/// timeout=60s skip="why"}` gives `timeout=60s` and `skip=why`.
pub fn verify_attrs(info: &str) -> Option<Vec<String>> {
    let open = info.find('{')?;
    let close = info.rfind('}')?;
    let words = split_words(info.get(open + 1..close)?);
    (words.first().map(String::as_str) == Some("verify")).then(|| words[1..].to_vec())
}

/// Splits on spaces, keeping `key="quoted value"` together (without its quotes).
fn split_words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            c if c.is_whitespace() && !quoted => {
                if !current.is_empty() {
                    words.push(std::mem::take(&mut current));
                }
            }
            c => current.push(c),
        }
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

fn alert(kind: BlockQuoteKind) -> (&'static str, &'static str) {
    match kind {
        BlockQuoteKind::Note => ("note", "Note"),
        BlockQuoteKind::Tip => ("tip", "Tip"),
        BlockQuoteKind::Important => ("important", "Important"),
        BlockQuoteKind::Warning => ("warning", "Warning"),
        BlockQuoteKind::Caution => ("caution", "Caution"),
    }
}

fn plain_text(events: &[Event<'_>]) -> String {
    let mut text = String::new();
    for event in events {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    text
}
