//! What an import changed or left out, gathered while planning and printed at the end.

use crate::content::{Course, Layout};

/// What changed shape or was left out, gathered while planning.
#[derive(Debug, Default)]
pub(super) struct Notes {
    pub(super) nested: Vec<String>,
    /// MkDocs nav sections inside a module: headings over nested pages.
    pub(super) sections: Vec<String>,
    pub(super) tab_titles: Vec<String>,
    pub(super) kept_titles: Vec<String>,
    pub(super) unresolved: Vec<String>,
    pub(super) unlisted: Vec<String>,
    pub(super) dropped: Vec<String>,
    pub(super) edit_url: bool,
}

impl Notes {
    pub(super) fn lines(&self, course: &Course) -> Vec<String> {
        let list = |items: &[String]| {
            items
                .iter()
                .map(|i| format!("“{i}”"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut out = Vec::new();
        if !self.nested.is_empty() {
            out.push(format!(
                "flattened: {} nested chapter{} became lessons of their module, in reading order (a coursebook module is flat): {}",
                self.nested.len(),
                plural(self.nested.len()),
                list(&self.nested)
            ));
        }
        if !self.sections.is_empty() {
            out.push(format!(
                "flattened: the nav section{} {} no longer head{} their pages, which follow in the same order",
                plural(self.sections.len()),
                list(&self.sections),
                if self.sections.len() == 1 { "s" } else { "" }
            ));
        }
        if course.layout == Layout::MdBook {
            out.push(
                "changed: chapter numbers (1.2.) are not shown, and mdBook's smart punctuation (curly quotes) is not applied".into(),
            );
        }
        if !self.tab_titles.is_empty() {
            out.push(format!(
                "dropped: the `{{{{#title}}}}` browser-tab titles of {}; the tab shows the lesson's title",
                list(&self.tab_titles)
            ));
        }
        if !self.kept_titles.is_empty() {
            out.push(format!(
                "kept: the front matter titles of {}, which differ from the summary's",
                self.kept_titles.join(", ")
            ));
        }
        if self.edit_url {
            out.push("check: `edit-url-template` is kept, but the lessons moved: point its `{path}` at `content/` once the course is committed".into());
        }
        if !self.unlisted.is_empty() {
            let why = match course.layout {
                Layout::MdBook => {
                    "the summary does not list; what chapters include is already expanded into them"
                }
                _ => "`nav` does not list",
            };
            out.push(format!(
                "not copied: {} Markdown file{} {why}: {}",
                self.unlisted.len(),
                plural(self.unlisted.len()),
                self.unlisted.join(", ")
            ));
        }
        for dropped in &self.dropped {
            out.push(format!("dropped: {dropped}"));
        }
        if !self.unresolved.is_empty() {
            out.push(format!(
                "left as written: {} link{} to nothing in the book: {}",
                self.unresolved.len(),
                plural(self.unresolved.len()),
                self.unresolved.join(", ")
            ));
        }
        out
    }
}

pub(super) fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
