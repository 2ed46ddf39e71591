//! Import: `coursebook import --from mdbook|mkdocs DIR OUT` converts a book to coursebook's
//! own layout, for authors who switch for good (issue 10, "Bring an existing course").
//!
//! It reuses the load stage: [`Config::load`] and [`content::load`] read the book exactly as
//! `build` does (includes expanded, drafts found, mistakes reported at their `file:line`).
//! Then [`plan`] lays the loaded [`Course`] out as folders, one file per chapter:
//!
//! - each module (a part, or a run of chapters outside any part) is `content/NN-slug/` with an
//!   `_index.md` holding its title; nested chapters become lessons of their module, in reading
//!   order, since a coursebook module is flat;
//! - each chapter is `NN-STEM.md`, its original file name after a number, so `git log --follow`
//!   finds its history; its front matter's `title` is the summary's (or nav's) label, which is
//!   what the sidebar showed. A `{{#title}}` (the browser tab's title only) is dropped and said;
//! - its body is the loaded one (`{{#include}}` and friends already expanded), with links to
//!   other chapters and files rewritten for the new folders ([`rewrite`]);
//! - every other file of the book is copied to the same place under `content/`;
//! - draft chapters (no file) become TODO lines in the summary, not files.
//!
//! The result is written into a folder beside `OUT` and renamed into place at the end, so a
//! failed import leaves nothing behind.

mod names;
mod notes;
mod rewrite;
mod write;

use std::collections::{BTreeSet, HashSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::config::Config;
use crate::content::{self, Course, Layout, Page};
use crate::diagnostics::{Diagnostic, Diagnostics};
use names::{digits, lesson_stem, slug, unique};
use notes::{Notes, plural};
use rewrite::Targets;
use write::write;

/// The kind of book to import.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Source {
    /// An mdBook book: `book.toml` and `src/SUMMARY.md`
    #[value(name = "mdbook")]
    MdBook,
    /// An MkDocs project: `mkdocs.yml` and `docs/`
    #[value(name = "mkdocs")]
    MkDocs,
}

impl Source {
    fn name(self) -> &'static str {
        match self {
            Source::MdBook => "mdBook book",
            Source::MkDocs => "MkDocs project",
        }
    }
}

#[derive(Debug)]
pub enum ImportError {
    /// The book has mistakes (exit 1): the loader's diagnostics.
    Content(Vec<Diagnostic>),
    /// Wrong folder, `OUT` not empty, I/O (exit 2).
    Environment(anyhow::Error),
}

/// What an import did, for the summary printed at the end.
#[derive(Debug, Default)]
pub struct Summary {
    pub modules: usize,
    pub lessons: usize,
    pub assets: usize,
    /// Warnings from loading the book (mdBook settings that have no effect, say).
    pub warnings: Vec<Diagnostic>,
    /// What changed shape or was left out, one line each.
    pub notes: Vec<String>,
    /// Draft chapters with no file: lessons still to write.
    pub todos: Vec<String>,
}

/// Imports the book in `dir` into a new course folder `out`.
pub fn import(from: Source, dir: &Path, out: &Path) -> Result<Summary, ImportError> {
    check_out(out).map_err(ImportError::Environment)?;
    let (config, course, warnings) = load(from, dir)?;
    let plan = plan(dir, &config, &course);
    write(&plan, out).map_err(ImportError::Environment)?;
    Ok(Summary {
        warnings,
        ..plan.summary
    })
}

/// `OUT` must not exist, or be an empty folder: an import never mixes with other files.
fn check_out(out: &Path) -> anyhow::Result<()> {
    if !out.exists() {
        return Ok(());
    }
    if !out.is_dir() {
        anyhow::bail!("`{}` exists and is not a folder", out.display());
    }
    let mut entries =
        std::fs::read_dir(out).with_context(|| format!("reading {}", out.display()))?;
    if entries.next().is_some() {
        anyhow::bail!(
            "`{}` is not empty: import into a new folder (nothing was written)",
            out.display()
        );
    }
    Ok(())
}

/// Reads the book as `build` would, after checking it is the kind `--from` names.
fn load(from: Source, dir: &Path) -> Result<(Config, Course, Vec<Diagnostic>), ImportError> {
    let env = |message: String| ImportError::Environment(anyhow::anyhow!(message));
    if !dir.is_dir() {
        return Err(env(format!("`{}` is not a folder", dir.display())));
    }
    let config = Config::load(dir).map_err(ImportError::Content)?;
    let content_dir = config.content_path(dir);
    let summary = content_dir.join(crate::mdbook::SUMMARY);
    let mkdocs = dir.join("mkdocs.yml");
    let shown_summary = content::display_path(&summary, dir);
    match from {
        Source::MdBook if !summary.is_file() => {
            let hint = if mkdocs.is_file() {
                " (it has a `mkdocs.yml`: try `--from mkdocs`)"
            } else {
                ""
            };
            return Err(env(format!(
                "`{}` has no `{}`: is it an mdBook book?{hint}",
                dir.display(),
                shown_summary.display()
            )));
        }
        Source::MkDocs if !mkdocs.is_file() => {
            let hint = if summary.is_file() {
                format!(
                    " (it has `{}`: try `--from mdbook`)",
                    shown_summary.display()
                )
            } else {
                String::new()
            };
            return Err(env(format!(
                "`{}` has no `mkdocs.yml`: is it an MkDocs project?{hint}",
                dir.display()
            )));
        }
        _ => {}
    }
    let found = Diagnostics::default();
    found.extend(config.notes.iter().cloned());
    let course = content::load(&content_dir, dir, &found);
    let problems = found.into_sorted();
    let Some(course) = course.filter(|_| !problems.iter().any(Diagnostic::is_error)) else {
        return Err(ImportError::Content(problems));
    };
    let matches = match from {
        Source::MdBook => course.layout == Layout::MdBook,
        Source::MkDocs => course.layout == Layout::MkDocs,
    };
    if !matches {
        return Err(env(format!(
            "`{}` was not read as an {}: coursebook found a {:?} layout",
            dir.display(),
            from.name(),
            course.layout
        )));
    }
    Ok((config, course, problems))
}

/// Everything an import writes, decided before anything is.
#[derive(Debug, Default)]
struct Plan {
    /// `/`-separated path in `OUT` → text.
    files: Vec<(String, String)>,
    /// A file of the book → its `/`-separated path in `OUT`.
    copies: Vec<(PathBuf, String)>,
    summary: Summary,
}

/// One module's new folder, and where each of its lessons goes.
struct Placed<'a> {
    folder: String,
    title: String,
    lessons: Vec<(&'a Page, String)>,
}

fn plan(dir: &Path, config: &Config, course: &Course) -> Plan {
    let placed = place(course);
    let mut targets = Targets {
        assets: course.assets.iter().map(|(rel, _)| rel.clone()).collect(),
        ..Targets::default()
    };
    let lessons = placed.iter().flat_map(|m| m.lessons.iter());
    let index = course.index.iter().map(|p| (p, "_index.md".to_string()));
    for (page, new) in index.clone().chain(lessons.cloned()) {
        targets.pages.insert(page.source.clone(), new.clone());
        targets.outputs.insert(page.output.clone(), new);
    }

    let mut plan = Plan::default();
    let mut notes = Notes::default();
    let book = book_toml(dir, config, &mut plan, &mut notes);
    plan.files.push(("book.toml".into(), book));
    plan.files.push((".gitignore".into(), "public/\n".into()));
    for (page, new) in index {
        plan.files.push((
            format!("content/{new}"),
            lesson_file(page, &new, &targets, &mut notes),
        ));
    }
    for module in &placed {
        plan.files.push((
            format!("content/{}/_index.md", module.folder),
            front_matter(&module.title),
        ));
        for (page, new) in &module.lessons {
            plan.files.push((
                format!("content/{new}"),
                lesson_file(page, new, &targets, &mut notes),
            ));
            if page.chapter.as_ref().is_some_and(|c| c.depth > 0) {
                notes.nested.push(page.nav_title().to_string());
            }
        }
    }
    for (rel, _) in &course.assets {
        let shown = rel.to_string_lossy().replace('\\', "/");
        plan.copies
            .push((course.content_dir.join(rel), format!("content/{shown}")));
    }
    notes.unlisted = unlisted_markdown(course);
    notes.sections = course
        .modules
        .iter()
        .flat_map(|m| m.drafts.iter().filter(|d| d.section))
        .map(|d| d.title.clone())
        .collect();
    plan.summary.modules = placed.len();
    plan.summary.lessons = placed.iter().map(|m| m.lessons.len()).sum();
    plan.summary.assets = course.assets.len();
    plan.summary.notes = notes.lines(course);
    plan.summary.todos = todos(course, &placed);
    plan
}

/// Gives every module a folder `NN-slug` and every lesson a file `NN-STEM.md` in it.
fn place(course: &Course) -> Vec<Placed<'_>> {
    let modules: Vec<_> = course
        .modules
        .iter()
        .filter(|m| !m.lessons.is_empty())
        .collect();
    let width = digits(modules.len());
    let mut folders = HashSet::new();
    modules
        .iter()
        .enumerate()
        .map(|(i, module)| {
            // A run of chapters outside any part has no name of its own: one chapter (a
            // foreword, a suffix chapter) names its module, several are "Chapters".
            let title = match (module.untitled, module.lessons.as_slice()) {
                (true, [only]) => only.nav_title().to_string(),
                (true, _) => "Chapters".to_string(),
                (false, _) => module.title.clone(),
            };
            let slug = unique(&mut folders, &slug(&title));
            let folder = format!("{:0width$}-{slug}", i + 1);
            let width = digits(module.lessons.len());
            let mut names = HashSet::new();
            let lessons = module
                .lessons
                .iter()
                .enumerate()
                .map(|(j, page)| {
                    let stem = unique(&mut names, &lesson_stem(&page.source));
                    (page, format!("{folder}/{:0width$}-{stem}.md", j + 1))
                })
                .collect();
            Placed {
                folder,
                title,
                lessons,
            }
        })
        .collect()
}

/// YAML front matter with only a title.
fn front_matter(title: &str) -> String {
    format!("---\ntitle: {}\n---\n", yaml_string(title))
}

/// A YAML double-quoted string (JSON's escapes are YAML's).
fn yaml_string(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| format!("\"{}\"", text.replace('"', "'")))
}

/// A lesson's new text: front matter with its title, then its body with links rewritten.
fn lesson_file(page: &Page, new: &str, targets: &Targets, notes: &mut Notes) -> String {
    let title = page.nav_title();
    let header = &page.text[..page.body_offset];
    let mut out = if header.is_empty() {
        front_matter(title)
    } else if page.front.title.is_none() {
        // The page's own front matter stays; the title goes after its opening fence.
        let (fence, rest) = header.split_once('\n').unwrap_or((header, ""));
        let line = if fence.trim() == "+++" {
            format!("title = {}", toml::Value::String(title.to_string()))
        } else {
            format!("title: {}", yaml_string(title))
        };
        format!("{fence}\n{line}\n{rest}")
    } else {
        if page.front.title.as_deref() != Some(title) {
            notes.kept_titles.push(page.display.display().to_string());
        }
        header.to_string()
    };
    if page
        .chapter
        .as_ref()
        .is_some_and(|c| c.html_title.is_some())
    {
        notes.tab_titles.push(title.to_string());
    }
    let rewritten = rewrite::rewrite(page.body(), &page.source, new, targets);
    for url in rewritten.unresolved {
        notes
            .unresolved
            .push(format!("`{url}` in {}", page.display.display()));
    }
    out.push('\n');
    out.push_str(rewritten.text.trim_start_matches('\n'));
    out
}

/// `book.toml` for the course: `[book]` as it was, the `[build]` and `[output.html]`
/// settings coursebook honours; the extra style sheets and scripts are copied.
fn book_toml(dir: &Path, config: &Config, plan: &mut Plan, notes: &mut Notes) -> String {
    let value = |s: &str| toml::Value::String(s.to_string()).to_string();
    let list = |items: &[String]| {
        let quoted: Vec<String> = items.iter().map(|i| value(i)).collect();
        format!("[{}]", quoted.join(", "))
    };
    let book = &config.book;
    let mut out = String::from("[book]\n");
    if let Some(title) = &book.title {
        let _ = writeln!(out, "title = {}", value(title));
    }
    let _ = writeln!(out, "authors = {}", list(&book.authors));
    if let Some(description) = &book.description {
        let _ = writeln!(out, "description = {}", value(description));
    }
    let _ = writeln!(out, "language = {}", value(&book.language));
    if let Some(direction) = book.text_direction {
        let direction = format!("{direction:?}").to_lowercase();
        let _ = writeln!(out, "text-direction = {}", value(&direction));
    }

    let build = &config.build;
    let mut build_keys = String::new();
    if let Some(url) = &build.site_url {
        let _ = writeln!(build_keys, "site-url = {}", value(url));
    }
    if let Some(path) = &build.base_path {
        let _ = writeln!(build_keys, "base-path = {}", value(path));
    }
    if build.search == Some(false) {
        build_keys.push_str("search = false\n");
    }
    if !build_keys.is_empty() {
        let _ = write!(out, "\n[build]\n{build_keys}");
    }

    let html = config.html().unwrap_or_default();
    let mut html_keys = String::new();
    if let Some(url) = &html.git_repository_url {
        let _ = writeln!(html_keys, "git-repository-url = {}", value(url));
    }
    if let Some(template) = &html.edit_url_template {
        let _ = writeln!(html_keys, "edit-url-template = {}", value(template));
        notes.edit_url = true;
    }
    for (key, files) in [
        ("additional-css", &html.additional_css),
        ("additional-js", &html.additional_js),
    ] {
        let kept = copy_extras(dir, &course_content(dir, config), files, plan, notes);
        if !kept.is_empty() {
            let _ = writeln!(html_keys, "{key} = {}", list(&kept));
        }
    }
    if !html_keys.is_empty() {
        let _ = write!(out, "\n[output.html]\n{html_keys}");
    }
    out
}

/// The book's content folder relative to its root (`src`, `docs`).
fn course_content(dir: &Path, config: &Config) -> PathBuf {
    let content = config.content_path(dir);
    content
        .strip_prefix(dir)
        .map(Path::to_path_buf)
        .unwrap_or(content)
}

/// The `additional-css`/`-js` files (relative to the book's folder) as the course names
/// them: those in the content folder (`docs/extra.css`) are copied with it, under `content/`;
/// the others are copied to the same place. Those missing or outside the book are left out
/// and said.
fn copy_extras(
    dir: &Path,
    content: &Path,
    files: &[PathBuf],
    plan: &mut Plan,
    notes: &mut Notes,
) -> Vec<String> {
    let mut kept = Vec::new();
    for file in files {
        let shown = file.to_string_lossy().replace('\\', "/");
        if let Ok(rest) = file.strip_prefix(content)
            && dir.join(file).is_file()
        {
            kept.push(format!(
                "content/{}",
                rest.to_string_lossy().replace('\\', "/")
            ));
            continue;
        }
        let inside = file.components().all(|c| {
            matches!(
                c,
                std::path::Component::Normal(_) | std::path::Component::CurDir
            )
        });
        if !inside || !dir.join(file).is_file() {
            notes.dropped.push(format!(
                "`{shown}` from `[output.html]`: it does not exist in the book's folder"
            ));
            continue;
        }
        plan.copies.push((dir.join(file), shown.clone()));
        kept.push(shown);
    }
    kept
}

/// Markdown files under the content folder that are not pages: included snippets, notes.
fn unlisted_markdown(course: &Course) -> Vec<String> {
    let pages: HashSet<&Path> = course.pages().map(|p| p.source.as_path()).collect();
    let mut found = BTreeSet::new();
    let walker = walkdir::WalkDir::new(&course.content_dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker.filter_map(Result::ok) {
        let Ok(rel) = entry.path().strip_prefix(&course.content_dir) else {
            continue;
        };
        let markdown = rel.extension().is_some_and(|e| e == "md");
        if entry.file_type().is_file()
            && markdown
            && !pages.contains(rel)
            && rel != Path::new(crate::mdbook::SUMMARY)
        {
            found.insert(rel.to_string_lossy().replace('\\', "/"));
        }
    }
    found.into_iter().collect()
}

/// A line for each draft chapter: where it would go.
fn todos(course: &Course, placed: &[Placed<'_>]) -> Vec<String> {
    let mut out = Vec::new();
    for module in &course.modules {
        let folder = placed.iter().find(|p| {
            p.lessons.first().map(|l| l.0.source.as_path())
                == module.lessons.first().map(|l| l.source.as_path())
        });
        for draft in module.drafts.iter().filter(|d| !d.section) {
            let place = match (folder, draft.before.checked_sub(1)) {
                (Some(p), Some(after)) => format!(
                    "in `content/{}/`, after “{}”",
                    p.folder,
                    module.lessons[after].nav_title()
                ),
                (Some(p), None) => format!("at the start of `content/{}/`", p.folder),
                (None, _) => format!("in “{}”, which has no other chapter", module.title),
            };
            out.push(format!(
                "write “{}” ({place}): it was a draft with no file",
                draft.title
            ));
        }
    }
    out
}

/// The summary printed when an import succeeds.
pub fn describe(summary: &Summary, from: Source, dir: &Path, out: &Path) -> String {
    let mut text = format!(
        "imported the {} in {} into {}: {} module{}, {} lesson{}, {} file{} copied\n",
        from.name(),
        dir.display(),
        out.display(),
        summary.modules,
        plural(summary.modules),
        summary.lessons,
        plural(summary.lessons),
        summary.assets,
        plural(summary.assets),
    );
    for note in &summary.notes {
        let _ = writeln!(text, "  {note}");
    }
    for todo in &summary.todos {
        let _ = writeln!(text, "  TODO: {todo}");
    }
    let root = out.display();
    let _ = write!(
        text,
        "next:\n  coursebook serve --root {root} --open\n  coursebook build --strict --root {root}\n"
    );
    text
}
