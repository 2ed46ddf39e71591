//! Diagnostics: the author-facing errors and warnings of every pipeline stage.
//!
//! Each stage (config, load, parse, links) reports problems as [`Diagnostic`]s carrying a path,
//! a byte span into that file's text, a message and an optional help line. A build collects all
//! of them and renders them at the end, rustc-style, through `codespan-reporting`:
//!
//! ```text
//! error: broken link to `missing.md`
//!   --> content/01-intro/02-setup.md:14:5
//! ```

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, Chars, Config};

/// Where each part of a page's text came from, for a page whose text is not its file's (an
/// mdBook chapter with its `{{#include}}`s expanded): diagnostics found in the text are shown
/// at the file's own line, and those inside included text at the directive that included it.
#[derive(Debug, Clone)]
pub struct Origin {
    /// The file's text, as the author wrote it.
    pub text: Arc<str>,
    /// Pieces of the expanded text, in order: where each starts in it, and what it is.
    pieces: Vec<(usize, Piece)>,
}

#[derive(Debug, Clone)]
enum Piece {
    /// Copied from the file, starting at this offset in it.
    Copied(usize),
    /// Put in by the directive at this span of the file.
    Inserted(Range<usize>),
}

impl Origin {
    pub fn new(text: Arc<str>) -> Origin {
        Origin {
            text,
            pieces: Vec::new(),
        }
    }

    /// Records that the expanded text from `at` on is copied from the file at `from`.
    pub fn copied(&mut self, at: usize, from: usize) {
        self.pieces.push((at, Piece::Copied(from)));
    }

    /// Records that the expanded text from `at` on was put in by the directive at `directive`.
    pub fn inserted(&mut self, at: usize, directive: Range<usize>) {
        self.pieces.push((at, Piece::Inserted(directive)));
    }

    /// `span` of the expanded text, as a span of the file.
    pub fn span(&self, span: Range<usize>) -> Range<usize> {
        let start = self.offset(span.start, false);
        start..self.offset(span.end, true).max(start)
    }

    fn offset(&self, at: usize, end: bool) -> usize {
        let i = self.pieces.partition_point(|(start, _)| *start <= at);
        match i.checked_sub(1).map(|i| &self.pieces[i]) {
            Some((start, Piece::Copied(from))) => (from + (at - start)).min(self.text.len()),
            Some((_, Piece::Inserted(directive))) if end => directive.end,
            Some((_, Piece::Inserted(directive))) => directive.start,
            None => at.min(self.text.len()),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Warning,
    Error,
}

/// One problem in the author's input.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub severity: Severity,
    pub message: String,
    /// Path as shown to the author (relative to the course root where possible).
    pub path: Option<PathBuf>,
    /// The file's full text, for the source excerpt.
    pub source: Option<Arc<str>>,
    /// Byte span into `source`.
    pub span: Range<usize>,
    pub label: String,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            path: None,
            source: None,
            span: 0..0,
            label: String::new(),
            help: None,
        }
    }

    pub fn warning(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(message)
        }
    }

    /// Points the diagnostic at `span` in `path`, whose text is `source`.
    pub fn at(mut self, path: &Path, source: &Arc<str>, span: Range<usize>) -> Self {
        let end = char_boundary(source, span.end);
        let start = char_boundary(source, span.start.min(end));
        self.path = Some(path.to_path_buf());
        self.source = Some(Arc::clone(source));
        self.span = start..end;
        self
    }

    /// Points the diagnostic at a whole file, with no excerpt.
    pub fn in_file(mut self, path: &Path) -> Self {
        self.path = Some(path.to_path_buf());
        self
    }

    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = label.into();
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// 1-based line and column of the span start, when the diagnostic has a source.
    pub fn line_col(&self) -> Option<(usize, usize)> {
        let source = self.source.as_ref()?;
        let before = &source[..self.span.start];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let col = source[line_start..self.span.start].chars().count() + 1;
        Some((line, col))
    }

    /// Renders the diagnostic as plain text in the rustc style.
    pub fn render(&self) -> String {
        let config = Config {
            chars: Chars::ascii(),
            ..Config::default()
        };
        let mut out = String::new();
        let cs = match self.severity {
            Severity::Error => CsDiagnostic::error(),
            Severity::Warning => CsDiagnostic::warning(),
        }
        .with_message(&self.message);
        let cs = match &self.help {
            Some(help) => cs.with_note(format!("help: {help}")),
            None => cs,
        };
        match (&self.path, &self.source) {
            (Some(path), Some(source)) => {
                let file = SimpleFile::new(path.display().to_string(), source.as_ref());
                let cs =
                    cs.with_label(Label::primary((), self.span.clone()).with_message(&self.label));
                if term::emit_to_string(&mut out, &config, &file, &cs).is_ok() {
                    return out;
                }
                out.clear();
                self.render_without_source(&mut out, Some(path));
            }
            (path, _) => self.render_without_source(&mut out, path.as_deref()),
        }
        out
    }

    fn render_without_source(&self, out: &mut String, path: Option<&Path>) {
        let word = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        out.push_str(&format!("{word}: {}\n", self.message));
        if let Some(path) = path {
            out.push_str(&format!("  --> {}\n", path.display()));
        }
        if let Some(help) = &self.help {
            out.push_str(&format!("  = help: {help}\n"));
        }
    }
}

/// The nearest char boundary at or before `i` (spans from parsers may land inside a character).
fn char_boundary(s: &str, i: usize) -> usize {
    let mut i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// A thread-safe collector, shared by the parallel stages of a build.
#[derive(Debug, Default)]
pub struct Diagnostics {
    items: Mutex<Vec<Diagnostic>>,
}

impl Diagnostics {
    pub fn push(&self, diagnostic: Diagnostic) {
        if let Ok(mut items) = self.items.lock() {
            items.push(diagnostic);
        }
    }

    pub fn extend(&self, diagnostics: impl IntoIterator<Item = Diagnostic>) {
        if let Ok(mut items) = self.items.lock() {
            items.extend(diagnostics);
        }
    }

    /// All diagnostics, sorted by file and position so output is deterministic despite
    /// parallel rendering.
    pub fn into_sorted(self) -> Vec<Diagnostic> {
        let mut items = self.items.into_inner().unwrap_or_else(|e| e.into_inner());
        items.sort_by(|a, b| {
            (&a.path, a.span.start, &a.message).cmp(&(&b.path, b.span.start, &b.message))
        });
        items
    }
}

/// Prints diagnostics to stderr and a one-line summary; returns the number of errors.
pub fn report(diagnostics: &[Diagnostic]) -> usize {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    for d in diagnostics {
        eprintln!("{}\n", d.render().trim_end());
    }
    if errors > 0 || warnings > 0 {
        eprintln!(
            "{} error{}, {} warning{}",
            errors,
            if errors == 1 { "" } else { "s" },
            warnings,
            if warnings == 1 { "" } else { "s" }
        );
    }
    errors
}
