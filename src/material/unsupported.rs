//! Material / pymdownx syntax that coursebook does not render: what each kind is, how it is
//! found outside code, and how its warnings are merged to one per kind per build.

use std::sync::LazyLock;

use regex::Regex;

use crate::diagnostics::Diagnostic;

/// Material / pymdownx syntax that coursebook shows as typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unsupported {
    Snippet,
    Mark,
    Insert,
    Keys,
    Annotate,
    Abbreviation,
    Icon,
}

impl Unsupported {
    /// What it is, the label under it and the help line.
    pub(super) fn describe(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Unsupported::Snippet => (
                "snippet `--8<--` (pymdownx.snippets)",
                "the file is not included",
                "paste the included text into the lesson",
            ),
            Unsupported::Mark => (
                "highlight `==text==` (pymdownx.mark)",
                "shown with its `==`",
                "use `**bold**` or `*emphasis*`",
            ),
            Unsupported::Insert => (
                "insert `^^text^^` (pymdownx.caret)",
                "shown with its `^^`",
                "use `<ins>text</ins>`",
            ),
            Unsupported::Keys => (
                "keys `++ctrl+alt+del++` (pymdownx.keys)",
                "shown with its `++`",
                "use `<kbd>Ctrl</kbd>+<kbd>Alt</kbd>+<kbd>Del</kbd>`",
            ),
            Unsupported::Annotate => (
                "code annotations `{ .annotate }`",
                "shown as typed; the annotations stay a plain list",
                "remove `{ .annotate }` and the `(1)` markers, and keep the notes as a list",
            ),
            Unsupported::Abbreviation => (
                "abbreviation `*[ABBR]: ...` (abbr)",
                "shown as a paragraph",
                "spell the term out where it first appears",
            ),
            Unsupported::Icon => (
                "icon shortcode `:material-...:` (pymdownx.emoji)",
                "shown as typed",
                "remove the shortcode, or use an emoji or an inline SVG",
            ),
        }
    }
}

/// Merges the unsupported-syntax warnings of every page (in course order) into one per kind,
/// at its first place, counting the others: a course converted from MkDocs would otherwise
/// print the same warning hundreds of times.
pub fn once_per_build<'a>(pages: impl IntoIterator<Item = &'a [Diagnostic]>) -> Vec<Diagnostic> {
    let mut first: Vec<(Diagnostic, usize)> = Vec::new();
    for d in pages.into_iter().flatten() {
        match first.iter_mut().find(|(f, _)| f.message == d.message) {
            Some((_, more)) => *more += 1,
            None => first.push((d.clone(), 0)),
        }
    }
    first
        .into_iter()
        .map(|(d, more)| match more {
            0 => d,
            n => {
                let label = format!(
                    "{} (and in {n} more place{})",
                    d.label,
                    if n == 1 { "" } else { "s" }
                );
                d.label(label)
            }
        })
        .collect()
}

pub(super) static CHECKS: LazyLock<Vec<(Unsupported, Regex)>> = LazyLock::new(|| {
    [
        (Unsupported::Snippet, r"(--8<--)"),
        (
            Unsupported::Mark,
            r"(?:^|[^\w=])(==[^\s=](?:[^=]*?[^\s=])?==)(?:[^\w=]|$)",
        ),
        (
            Unsupported::Insert,
            r"(?:^|[^\w^])(\^\^[^\s^](?:[^^]*?[^\s^])?\^\^)(?:[^\w^]|$)",
        ),
        (
            Unsupported::Keys,
            r#"(?:^|[^\w+])(\+\+(?:[\w-]+|"[^"]*")(?:\+(?:[\w-]+|"[^"]*"))*\+\+)"#,
        ),
        (Unsupported::Annotate, r"(\{\s*:?[^}]*\.annotate\b[^}]*\})"),
        (Unsupported::Abbreviation, r"^ {0,3}(\*\[[^\]]+\]:)"),
        (
            Unsupported::Icon,
            r"(:(?:material|fontawesome|octicons|simple)-[a-z0-9-]+:)",
        ),
    ]
    .into_iter()
    .map(|(kind, re)| (kind, Regex::new(re).expect("regex")))
    .collect()
});
