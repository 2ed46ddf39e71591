//! Content: the load stage. Walks the content folder into a [`Course`] of modules and lessons.
//!
//! A course is `content/` with an optional `_index.md` (the home page text); each folder is a
//! module (optional `_index.md`), each other `.md` file a lesson. Order comes from front matter
//! `weight`, then a numeric file-name prefix (`02-setup.md`), then the name. Output paths drop
//! the prefix: `01-basics/02-setup.md` becomes `basics/setup.html`. Files that are not Markdown
//! are assets, copied beside the pages that use them.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::diagnostics::{Diagnostic, Diagnostics, Origin};
use crate::frontmatter::{self, FrontMatter};
use crate::mdbook;

/// One Markdown file: a lesson, a module's `_index.md` or the course's.
#[derive(Debug, Clone)]
pub struct Page {
    /// Path relative to the content folder, e.g. `01-basics/02-setup.md`.
    pub source: PathBuf,
    /// Path shown in diagnostics, relative to the course root, e.g. `content/01-basics/02-setup.md`.
    pub display: PathBuf,
    /// Output path relative to the site root, always with `/`, e.g. `basics/setup.html`.
    pub output: String,
    pub title: String,
    pub front: FrontMatter,
    /// The whole file, BOM removed and line endings normalised to `\n`.
    pub text: Arc<str>,
    /// Where the Markdown body starts in `text`.
    pub body_offset: usize,
    /// Where an mdBook chapter sits in its book (`None` for a course laid out in folders).
    pub chapter: Option<ChapterMeta>,
    /// For a chapter whose `{{#include}}`s are expanded in `text`: its file's own text, and
    /// where each part of `text` came from (see [`Page::locate`]).
    pub origin: Option<Arc<Origin>>,
}

/// An mdBook chapter's place in `SUMMARY.md`, and what its directives said.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ChapterMeta {
    /// The title the summary gives it: the sidebar and the pager show it.
    pub label: String,
    /// `1.2.` for numbered chapters.
    pub number: Option<String>,
    /// 0 for a top-level chapter, 1 for its sections, and so on.
    pub depth: u8,
    /// From `{{#title ...}}`: the page's `<title>`.
    pub html_title: Option<String>,
}

/// [`Page::locate`] in a diagnostic's chain: `Diagnostic::error(..).at_page(page, span)`.
pub trait AtPage {
    fn at_page(self, page: &Page, span: std::ops::Range<usize>) -> Self;
}

impl AtPage for Diagnostic {
    fn at_page(self, page: &Page, span: std::ops::Range<usize>) -> Self {
        page.locate(self, span)
    }
}

impl Page {
    /// Points `diagnostic` at `span` of `text`, shown where it is in the file: for an mdBook
    /// chapter with includes, a line of the chapter, or the include that brought the text in.
    pub fn locate(&self, diagnostic: Diagnostic, span: std::ops::Range<usize>) -> Diagnostic {
        match &self.origin {
            Some(origin) => diagnostic.at(&self.display, &origin.text, origin.span(span)),
            None => diagnostic.at(&self.display, &self.text, span),
        }
    }

    /// The line (from 1) of the file that `offset` of `text` is on.
    pub fn line_at(&self, offset: usize) -> usize {
        self.line_col_at(offset).0
    }

    /// The line and column (from 1; the column in characters) of the file that `offset` of
    /// `text` is at.
    pub fn line_col_at(&self, offset: usize) -> (usize, usize) {
        let before = match &self.origin {
            Some(origin) => &origin.text[..origin.span(offset..offset).start],
            None => &self.text[..offset],
        };
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        (before.matches('\n').count() + 1, column)
    }

    pub fn body(&self) -> &str {
        &self.text[self.body_offset..]
    }

    /// The title the sidebar and the pager show: an mdBook summary's, else the page's own.
    pub fn nav_title(&self) -> &str {
        self.chapter.as_ref().map_or(&self.title, |c| &c.label)
    }

    /// The title for the browser's tab: `{{#title}}`'s, else the page's own.
    pub fn html_title(&self) -> &str {
        self.chapter
            .as_ref()
            .and_then(|c| c.html_title.as_deref())
            .unwrap_or(&self.title)
    }
}

/// How the course folder is laid out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Layout {
    /// coursebook's own: a folder per module, order from weights and numeric prefixes.
    #[default]
    Folders,
    /// An mdBook book: `SUMMARY.md` gives the chapters and their order.
    MdBook,
    /// An MkDocs project: `mkdocs.yml`'s `nav` (or the folder order) does.
    MkDocs,
}

/// A chapter an mdBook summary lists without a file (`- [Title]()`): shown, not linked.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    /// The index of the lesson it comes before in its module.
    pub before: usize,
    pub title: String,
    pub number: Option<String>,
    pub depth: u8,
    /// A heading over the chapters under it (an MkDocs nav section), not a chapter to come.
    pub section: bool,
}

#[derive(Debug, Clone)]
pub struct Module {
    /// Folder name relative to the content folder (empty for lessons at the top level).
    pub source_dir: PathBuf,
    /// Output folder (empty for the top level).
    pub slug: String,
    pub title: String,
    pub description: Option<String>,
    pub index: Option<Page>,
    pub lessons: Vec<Page>,
    /// An mdBook summary's chapters without a file, in place among the lessons.
    pub drafts: Vec<Draft>,
    /// A run of an mdBook book's chapters outside any part: the sidebar lists them without a
    /// heading.
    pub untitled: bool,
}

impl Module {
    /// Total minutes of the module's lessons that state a duration.
    pub fn duration(&self) -> u32 {
        self.lessons.iter().filter_map(|l| l.front.duration).sum()
    }

    /// The module's title, or `course`'s for lessons at the top level (which have none).
    pub fn title_or<'a>(&'a self, course: &'a str) -> &'a str {
        if self.title.is_empty() {
            course
        } else {
            &self.title
        }
    }

    /// Output path of the module's own page, when it has one.
    pub fn output(&self) -> Option<String> {
        (!self.slug.is_empty()).then(|| format!("{}/index.html", self.slug))
    }
}

#[derive(Debug, Clone)]
pub struct Course {
    /// Absolute path of the content folder.
    pub content_dir: PathBuf,
    /// The content folder as shown to the author (relative to the root).
    pub content_display: PathBuf,
    pub index: Option<Page>,
    pub modules: Vec<Module>,
    /// Non-Markdown files, relative to the content folder, with their output paths.
    pub assets: Vec<(PathBuf, String)>,
    pub layout: Layout,
}

impl Course {
    pub fn lessons(&self) -> impl Iterator<Item = (&Module, &Page)> {
        self.modules
            .iter()
            .flat_map(|m| m.lessons.iter().map(move |l| (m, l)))
    }

    /// Every page that becomes HTML: the course index, module indexes and lessons.
    pub fn pages(&self) -> impl Iterator<Item = &Page> {
        self.index.iter().chain(
            self.modules
                .iter()
                .flat_map(|m| m.index.iter().chain(m.lessons.iter())),
        )
    }
}

/// Loads the course under `content_dir`; `display_root` is what paths are shown relative to.
pub fn load(content_dir: &Path, display_root: &Path, diagnostics: &Diagnostics) -> Option<Course> {
    let content_display = display_path(content_dir, display_root);
    if !content_dir.is_dir() {
        diagnostics.push(
            Diagnostic::error(format!(
                "content folder `{}` does not exist",
                content_display.display()
            ))
            .help("create it, or set `[build] content` in `book.toml`"),
        );
        return None;
    }
    if content_dir.join(mdbook::SUMMARY).is_file() {
        return load_mdbook(content_dir, content_display, diagnostics);
    }
    if let Some(Ok(mkdocs)) = crate::mkdocs::load(display_root)
        && content_dir == display_root.join(&mkdocs.docs_dir)
    {
        return load_mkdocs(content_dir, content_display, &mkdocs, diagnostics);
    }
    let (markdown, assets) = walk(content_dir, &content_display, diagnostics);

    let pages: Vec<Page> = markdown
        .par_iter()
        .filter_map(|rel| {
            read_page(
                content_dir,
                &content_display,
                rel,
                Layout::Folders,
                diagnostics,
            )
        })
        .collect();

    let mut index = None;
    let mut folders: BTreeMap<PathBuf, (Option<Page>, Vec<Page>)> = BTreeMap::new();
    for page in pages {
        let top = top_folder(&page.source);
        let is_index = page.source.file_name().is_some_and(|n| n == "_index.md");
        match (top, is_index) {
            (None, true) => index = Some(page),
            (None, false) => folders.entry(PathBuf::new()).or_default().1.push(page),
            (Some(dir), true) if page.source.parent() == Some(dir.as_path()) => {
                folders.entry(dir).or_default().0 = Some(page)
            }
            (Some(dir), _) => folders.entry(dir).or_default().1.push(page),
        }
    }

    let mut modules: Vec<Module> = folders
        .into_iter()
        .filter(|(_, (_, lessons))| !lessons.is_empty())
        .map(|(dir, (index, lessons))| build_module(dir, index, lessons))
        .collect();
    modules.sort_by(|a, b| {
        order_key(&a.source_dir, a.index.as_ref()).cmp(&order_key(&b.source_dir, b.index.as_ref()))
    });

    let slugs: BTreeMap<PathBuf, String> = modules
        .iter()
        .map(|m| (m.source_dir.clone(), m.slug.clone()))
        .collect();
    let mut course = Course {
        content_dir: content_dir.to_path_buf(),
        content_display,
        index,
        modules,
        assets: Vec::new(),
        layout: Layout::Folders,
    };
    for module in &mut course.modules {
        for lesson in &mut module.lessons {
            lesson.output = output_path(&lesson.source, &slugs);
        }
        let module_output = module.output().unwrap_or_else(|| "index.html".into());
        if let Some(index) = &mut module.index {
            index.output = module_output;
        }
    }
    if let Some(index) = &mut course.index {
        index.output = "index.html".into();
    }
    course.assets = assets
        .into_iter()
        .map(|rel| {
            let out = output_dir(&rel, &slugs);
            (rel, out)
        })
        .collect();
    check_duplicate_outputs(&course, diagnostics);
    Some(course)
}

/// Loads an mdBook book: the chapters `SUMMARY.md` lists, in its order, each written where
/// mdBook writes it. A root `README.md` that opens the book is the home page's text (mdBook
/// makes it `index.html` too). Each part, and each run of chapters outside a part, is a
/// module; nested chapters keep their depth and number. Markdown files the summary does not
/// list are not pages (mdBook ignores them too; they are often included snippets).
fn load_mdbook(
    content_dir: &Path,
    content_display: PathBuf,
    diagnostics: &Diagnostics,
) -> Option<Course> {
    let summary_shown = content_display.join(mdbook::SUMMARY);
    let text = read_text(
        &content_dir.join(mdbook::SUMMARY),
        &summary_shown,
        diagnostics,
    )?;
    let outline = match mdbook::parse_summary(&text, &summary_shown) {
        Ok(outline) => outline,
        Err(problems) => {
            diagnostics.extend(problems);
            return None;
        }
    };
    let listing = Listing {
        shown: summary_shown,
        source: Arc::from(text.as_str()),
    };
    let (_, assets) = walk(content_dir, &content_display, diagnostics);
    load_outline(
        content_dir,
        content_display,
        &outline,
        &listing,
        assets,
        Layout::MdBook,
        diagnostics,
    )
}

/// Loads an MkDocs project: the pages `mkdocs.yml`'s `nav` lists, or every page in MkDocs'
/// folder order when it has none.
fn load_mkdocs(
    content_dir: &Path,
    content_display: PathBuf,
    mkdocs: &crate::mkdocs::MkDocs,
    diagnostics: &Diagnostics,
) -> Option<Course> {
    let (markdown, assets) = walk(content_dir, &content_display, diagnostics);
    let (outline, problems) = mkdocs.outline(&markdown);
    let failed = problems.iter().any(Diagnostic::is_error);
    diagnostics.extend(problems);
    if failed {
        return None;
    }
    let listed: std::collections::HashSet<&Path> = outline
        .groups
        .iter()
        .flat_map(|g| g.chapters.iter().filter_map(|c| c.path.as_deref()))
        .collect();
    let unlisted: Vec<&PathBuf> = markdown
        .iter()
        .filter(|p| !listed.contains(p.as_path()))
        .collect();
    if let Some(first) = unlisted.first() {
        // MkDocs builds such pages but links them from nowhere; here they are left out, and
        // said so once.
        let names: Vec<String> = unlisted
            .iter()
            .map(|p| format!("`{}`", content_display.join(p).display()))
            .collect();
        diagnostics.push(
            Diagnostic::warning(format!(
                "{} page{} not in `nav` and not built: {}",
                unlisted.len(),
                if unlisted.len() == 1 { " is" } else { "s are" },
                names.join(", ")
            ))
            .in_file(&content_display.join(first))
            .help(format!("add them to `nav` in `{}`", crate::mkdocs::FILE)),
        );
    }
    let listing = Listing {
        shown: PathBuf::from(crate::mkdocs::FILE),
        source: mkdocs.source(),
    };
    load_outline(
        content_dir,
        content_display,
        &outline,
        &listing,
        assets,
        Layout::MkDocs,
        diagnostics,
    )
}

/// The file that lists a book's chapters, for diagnostics about them.
struct Listing {
    shown: PathBuf,
    source: Arc<str>,
}

impl Listing {
    fn line(&self, line: usize) -> std::ops::Range<usize> {
        let start: usize = self
            .source
            .split('\n')
            .take(line.saturating_sub(1))
            .map(|l| l.len() + 1)
            .sum();
        let start = start.min(self.source.len());
        let len = self.source[start..]
            .find('\n')
            .unwrap_or(self.source.len() - start);
        start..start + len
    }
}

/// A course from an outline: each group a module, each chapter a lesson written where
/// mdBook and MkDocs write it; a root `README.md` or `index.md` that opens the book is the
/// home page's text.
fn load_outline(
    content_dir: &Path,
    content_display: PathBuf,
    outline: &crate::outline::Outline,
    listing: &Listing,
    assets: Vec<PathBuf>,
    layout: Layout,
    diagnostics: &Diagnostics,
) -> Option<Course> {
    let listed: Vec<(usize, &crate::outline::Chapter)> = outline
        .groups
        .iter()
        .enumerate()
        .flat_map(|(g, group)| group.chapters.iter().map(move |c| (g, c)))
        .collect();
    let pages: Vec<Option<Page>> = listed
        .par_iter()
        .map(|(_, chapter)| {
            let rel = chapter.path.as_ref()?;
            if !content_dir.join(rel).is_file() {
                diagnostics.push(
                    Diagnostic::error(format!(
                        "`{}` lists `{}`, which does not exist",
                        listing.shown.display(),
                        content_display.join(rel).display()
                    ))
                    .at(&listing.shown, &listing.source, listing.line(chapter.line))
                    .label("listed here")
                    .help(match layout {
                        Layout::MdBook => {
                            "create the file, fix the path, or make it a draft: `- [Title]()`"
                        }
                        _ => "create the file, or fix the path",
                    }),
                );
                return None;
            }
            let mut page = read_page(content_dir, &content_display, rel, layout, diagnostics)?;
            page.output = mdbook::output_path(rel);
            let meta = page.chapter.get_or_insert_with(ChapterMeta::default);
            // An MkDocs nav entry without a title is named by the page's own heading.
            meta.label = if chapter.title.is_empty() {
                page.title.clone()
            } else {
                chapter.title.clone()
            };
            meta.number = chapter.number.clone();
            meta.depth = chapter.depth;
            Some(page)
        })
        .collect();

    let mut index = None;
    let mut modules: Vec<Module> = Vec::new();
    for (i, ((g, chapter), page)) in listed.iter().zip(pages).enumerate() {
        let group = &outline.groups[*g];
        if modules.len() <= *g {
            modules.resize_with(g + 1, || Module {
                source_dir: PathBuf::new(),
                slug: String::new(),
                title: String::new(),
                description: None,
                index: None,
                lessons: Vec::new(),
                drafts: Vec::new(),
                untitled: true,
            });
            let module = &mut modules[*g];
            module.source_dir = PathBuf::from(format!("{}#{g}", listing.shown.display()));
            module.untitled = group.title.is_none();
            module.title = group.title.clone().unwrap_or_else(|| chapter.title.clone());
        }
        let module = &mut modules[*g];
        match page {
            Some(page)
                if i == 0
                    && (page.source == Path::new("README.md")
                        || page.source == Path::new("index.md")) =>
            {
                index = Some(Page {
                    output: "index.html".into(),
                    ..page
                });
            }
            Some(page) => module.lessons.push(page),
            None if chapter.path.is_none() => module.drafts.push(Draft {
                before: module.lessons.len(),
                title: chapter.title.clone(),
                number: chapter.number.clone(),
                depth: chapter.depth,
                section: chapter.section,
            }),
            None => {}
        }
    }
    modules.retain(|m| !m.lessons.is_empty() || !m.drafts.is_empty());
    let course = Course {
        content_dir: content_dir.to_path_buf(),
        content_display,
        index,
        modules,
        assets: assets
            .into_iter()
            .filter(|rel| rel.extension().is_none_or(|e| e != "md"))
            .map(|rel| {
                let out = rel.to_string_lossy().replace('\\', "/");
                (rel, out)
            })
            .collect(),
        layout,
    };
    check_duplicate_outputs(&course, diagnostics);
    Some(course)
}

/// Collects Markdown files and assets, skipping hidden files and folders.
fn walk(
    content_dir: &Path,
    display: &Path,
    diagnostics: &Diagnostics,
) -> (Vec<PathBuf>, Vec<PathBuf>) {
    let mut markdown = Vec::new();
    let mut assets = Vec::new();
    let walker = WalkDir::new(content_dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let path = e
                    .path()
                    .map(|p| display.join(p.strip_prefix(content_dir).unwrap_or(p)))
                    .unwrap_or_else(|| display.to_path_buf());
                let reason = if e.loop_ancestor().is_some() {
                    "symbolic link loop".to_string()
                } else {
                    e.io_error()
                        .map_or_else(|| e.to_string(), |io| io.to_string())
                };
                diagnostics.push(
                    Diagnostic::error(format!("cannot read `{}`: {reason}", path.display()))
                        .in_file(&path),
                );
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(content_dir) else {
            continue;
        };
        if rel.extension().is_some_and(|e| e == "md") {
            markdown.push(rel.to_path_buf());
        } else {
            assets.push(rel.to_path_buf());
        }
    }
    (markdown, assets)
}

/// Reads one page again after an edit (for `serve`): `None` when it has become a draft.
pub fn read_one(
    content_dir: &Path,
    display: &Path,
    rel: &Path,
    layout: Layout,
) -> Result<Option<Page>, Vec<Diagnostic>> {
    let found = Diagnostics::default();
    let page = read_page(content_dir, display, rel, layout, &found);
    let problems = found.into_sorted();
    if problems.is_empty() {
        Ok(page)
    } else {
        Err(problems)
    }
}

fn read_page(
    content_dir: &Path,
    display: &Path,
    rel: &Path,
    layout: Layout,
    diagnostics: &Diagnostics,
) -> Option<Page> {
    let shown = display.join(rel);
    let text = read_text(&content_dir.join(rel), &shown, diagnostics)?;
    let mut chapter = None;
    let mut origin = None;
    let text = if layout == Layout::MdBook && text.contains("{{#") {
        let (expanded, problems) = mdbook::expand(&text, &content_dir.join(rel), &shown);
        if !problems.is_empty() {
            diagnostics.extend(problems);
            return None;
        }
        chapter = Some(ChapterMeta {
            html_title: expanded.title,
            ..ChapterMeta::default()
        });
        origin = Some(Arc::new(expanded.origin));
        expanded.text
    } else {
        text
    };
    let text: Arc<str> = Arc::from(text);
    let split = match frontmatter::split(&text, &shown, &text) {
        Ok(split) => split,
        Err(d) => {
            diagnostics.push(d);
            return None;
        }
    };
    if split.front.draft {
        return None;
    }
    let title = split
        .front
        .title
        .clone()
        .or_else(|| first_heading(split.body))
        .unwrap_or_else(|| humanize(rel));
    let (front, body_offset) = (split.front, split.body_offset);
    Some(Page {
        source: rel.to_path_buf(),
        display: shown,
        output: String::new(),
        title,
        front,
        body_offset,
        text,
        chapter,
        origin,
    })
}

/// UTF-8 with an optional BOM; CRLF and lone CR become LF so byte offsets map to lines.
/// The text of the file at `path` (shown as `shown`), or `None` with the reason reported:
/// unreadable, or not UTF-8.
fn read_text(path: &Path, shown: &Path, diagnostics: &Diagnostics) -> Option<String> {
    let read = std::fs::read(path)
        .map_err(|e| {
            Diagnostic::error(format!("cannot read `{}`: {e}", shown.display())).in_file(shown)
        })
        .and_then(|bytes| decode(&bytes, shown));
    read.map_err(|d| diagnostics.push(d)).ok()
}

fn decode(bytes: &[u8], shown: &Path) -> Result<String, Diagnostic> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.contains(&0) {
        return Err(Diagnostic::error(format!(
            "`{}` is a binary file, not Markdown",
            shown.display()
        ))
        .in_file(shown)
        .help("rename it so it does not end in `.md`, or move it out of the content folder"));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let at = e.valid_up_to();
        let bad = &bytes[at..at + e.error_len().unwrap_or(bytes.len() - at)];
        let hex: Vec<String> = bad.iter().map(|b| format!("{b:02X}")).collect();
        // The file as shown, each invalid sequence a U+FFFD: everything before the first is
        // the file's own text, so the span points at the right line and column.
        let source: std::sync::Arc<str> = String::from_utf8_lossy(bytes).into();
        Diagnostic::error(format!("`{}` is not valid UTF-8", shown.display()))
            .at(shown, &source, at..at + '\u{FFFD}'.len_utf8())
            .label(format!("the byte{} {} here", if bad.len() == 1 { "" } else { "s" }, hex.join(" ")))
            .help("save the file as UTF-8 in your editor (it may have been saved as Latin-1 or Windows-1252)")
    })?;
    if !text.contains('\r') {
        return Ok(text.to_string());
    }
    Ok(text.replace("\r\n", "\n").replace('\r', "\n"))
}

/// The text of the first ATX `# ` heading outside a code fence.
pub fn first_heading(body: &str) -> Option<String> {
    let mut fence: Option<&str> = None;
    for line in body.lines() {
        let trimmed = line.trim_start();
        for marker in ["```", "~~~"] {
            if trimmed.starts_with(marker) {
                match fence {
                    Some(open) if open == marker => fence = None,
                    None => fence = Some(marker),
                    _ => {}
                }
            }
        }
        if fence.is_none()
            && let Some(title) = trimmed.strip_prefix("# ")
        {
            let title = title
                .trim()
                .trim_end_matches('#')
                .trim()
                .replace(['`', '*'], "");
            if !title.is_empty() {
                return Some(title.to_string());
            }
        }
    }
    None
}

fn build_module(dir: PathBuf, index: Option<Page>, mut lessons: Vec<Page>) -> Module {
    lessons.sort_by_key(|l| order_key(&l.source, Some(l)));
    let title = index
        .as_ref()
        .map(|i| i.title.clone())
        .filter(|t| !t.is_empty() && dir.as_os_str() != "")
        .unwrap_or_else(|| humanize(&dir));
    let description = index.as_ref().and_then(|i| i.front.description.clone());
    let slug = dir
        .file_name()
        .map(|n| slugify_name(&n.to_string_lossy()))
        .unwrap_or_default();
    Module {
        source_dir: dir,
        slug,
        title,
        description,
        index,
        lessons,
        drafts: Vec::new(),
        untitled: false,
    }
}

/// Sort key: front matter weight, then numeric prefix, then name.
fn order_key(path: &Path, page: Option<&Page>) -> (i64, u64, String) {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let weight = page.and_then(|p| p.front.weight);
    let prefix = numeric_prefix(&name);
    (weight.unwrap_or(i64::MAX), prefix.unwrap_or(u64::MAX), name)
}

fn numeric_prefix(name: &str) -> Option<u64> {
    let digits: String = name.chars().take_while(|c| c.is_ascii_digit()).collect();
    digits.parse().ok()
}

/// `02-Containers vs VMs.md` → `containers-vs-vms`: prefix and extension dropped, URL-safe.
pub fn slugify_name(name: &str) -> String {
    let stem = name.strip_suffix(".md").unwrap_or(name);
    let rest = stem.trim_start_matches(|c: char| c.is_ascii_digit());
    let rest = if rest.len() < stem.len() {
        rest.trim_start_matches(['-', '_', '.', ' '])
    } else {
        rest
    };
    let rest = if rest.is_empty() { stem } else { rest };
    let mut slug = String::new();
    for c in rest.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() || c == '_' || c == '.' {
            slug.push(c);
        } else if !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_matches('-').to_string();
    if slug.is_empty() { "page".into() } else { slug }
}

/// `01-getting_started` → `Getting started`: a readable fallback title.
fn humanize(path: &Path) -> String {
    let name = path
        .file_stem()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let words = slugify_name(&name).replace(['-', '_'], " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => name,
    }
}

fn top_folder(rel: &Path) -> Option<PathBuf> {
    let mut components = rel.components();
    let first = components.next()?;
    components.next()?;
    Some(PathBuf::from(first.as_os_str()))
}

/// Output path of a lesson: module folder renamed to its slug, file to its slug + `.html`.
fn output_path(rel: &Path, slugs: &BTreeMap<PathBuf, String>) -> String {
    let dir = rel
        .parent()
        .map(|p| output_dir(p, slugs))
        .unwrap_or_default();
    let file = rel
        .file_name()
        .map(|n| slugify_name(&n.to_string_lossy()))
        .unwrap_or_default();
    if dir.is_empty() {
        format!("{file}.html")
    } else {
        format!("{dir}/{file}.html")
    }
}

/// Output path of a folder or asset: only the module folder is renamed.
fn output_dir(rel: &Path, slugs: &BTreeMap<PathBuf, String>) -> String {
    let mut parts: Vec<String> = Vec::new();
    for (i, component) in rel.components().enumerate() {
        let Component::Normal(name) = component else {
            continue;
        };
        let name = name.to_string_lossy();
        if i == 0
            && let Some(slug) = slugs.get(Path::new(name.as_ref()))
        {
            parts.push(slug.clone());
            continue;
        }
        parts.push(name.into_owned());
    }
    parts.join("/")
}

fn check_duplicate_outputs(course: &Course, diagnostics: &Diagnostics) {
    let mut seen: BTreeMap<&str, &Path> = BTreeMap::new();
    for page in course.pages() {
        if let Some(first) = seen.insert(&page.output, &page.display) {
            diagnostics.push(
                Diagnostic::error(format!(
                    "`{}` and `{}` would both be written to `{}`",
                    first.display(),
                    page.display.display(),
                    page.output
                ))
                .in_file(&page.display)
                .help("rename one of them: file names without their numeric prefix must differ"),
            );
        }
    }
}

pub fn display_path(path: &Path, root: &Path) -> PathBuf {
    path.strip_prefix(root)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| path.to_path_buf())
}
