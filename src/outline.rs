//! Outline: a book's chapters in reading order, grouped as the sidebar shows them. mdBook's
//! `SUMMARY.md` ([`crate::mdbook`]) and MkDocs' `nav` ([`crate::mkdocs`]) are read into one,
//! and [`crate::content`] turns it into the course's modules and lessons.

use std::path::PathBuf;

#[derive(Debug, Default, PartialEq)]
pub struct Outline {
    pub groups: Vec<Group>,
}

/// A run of chapters: the prefix, a part (with its title), the numbered chapters outside any
/// part, or the suffix.
#[derive(Debug, Default, PartialEq)]
pub struct Group {
    pub title: Option<String>,
    pub chapters: Vec<Chapter>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Chapter {
    pub title: String,
    /// The Markdown file, relative to the source folder; `None` for a draft or a section.
    pub path: Option<PathBuf>,
    /// 0 for a top-level chapter, 1 for its sections, and so on.
    pub depth: u8,
    /// `1.2.` for numbered chapters; prefix and suffix chapters have none.
    pub number: Option<String>,
    /// Line of the file that lists it (`SUMMARY.md`, `mkdocs.yml`).
    pub line: usize,
    /// A heading over the chapters nested under it (an MkDocs nav section), not a draft.
    pub section: bool,
}
