//! MkDocs: reads a MkDocs (or Material for MkDocs) project's `mkdocs.yml`, so the site builds
//! unchanged: `site_name` and friends become the course's settings, `docs_dir` its content
//! folder, and `nav` (or, without one, the folder order MkDocs uses) its [`Outline`].
//! Settings with no meaning here are reported once, at their line; the Markdown extensions
//! coursebook has built in (admonitions, details, tabs, task lists, attribute lists, tables,
//! footnotes, highlighting) are not.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_yaml_ng::Value;

use crate::diagnostics::Diagnostic;
use crate::outline::{Chapter, Group, Outline};

pub const FILE: &str = "mkdocs.yml";

/// What `mkdocs.yml` says that coursebook uses.
#[derive(Debug, Default)]
pub struct MkDocs {
    pub site_name: Option<String>,
    pub site_description: Option<String>,
    pub site_author: Option<String>,
    pub site_url: Option<String>,
    /// The content folder, relative to the project (default `docs`).
    pub docs_dir: PathBuf,
    pub site_dir: Option<PathBuf>,
    pub repo_url: Option<String>,
    pub edit_uri: Option<String>,
    /// Relative to `docs_dir`.
    pub extra_css: Vec<String>,
    pub extra_javascript: Vec<String>,
    pub language: Option<String>,
    nav: Option<Value>,
    /// The whole file, for placing nav entries at their lines.
    text: Arc<str>,
    /// One warning for everything that has no effect, if anything.
    pub notes: Vec<Diagnostic>,
}

/// Top-level keys that are read, or that need no carrying over.
const USED: &[&str] = &[
    "site_name",
    "site_description",
    "site_author",
    "site_url",
    "docs_dir",
    "site_dir",
    "repo_url",
    "repo_name",
    "edit_uri",
    "extra_css",
    "extra_javascript",
    "nav",
    "copyright",
    "markdown_extensions",
    "use_directory_urls",
    "strict",
    "dev_addr",
];

/// Markdown extensions coursebook renders without being asked.
const BUILT_IN: &[&str] = &[
    "admonition",
    "attr_list",
    "def_list",
    "footnotes",
    "md_in_html",
    "tables",
    "toc",
    "pymdownx.details",
    "pymdownx.superfences",
    "pymdownx.tabbed",
    "pymdownx.tasklist",
    "pymdownx.highlight",
    "pymdownx.inlinehilite",
    "pymdownx.betterem",
    "pymdownx.smartsymbols",
];

/// Reads `root/mkdocs.yml`: `None` when there is none.
pub fn load(root: &Path) -> Option<Result<MkDocs, Vec<Diagnostic>>> {
    let path = root.join(FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
        Err(e) => {
            return Some(Err(vec![
                Diagnostic::error(format!("cannot read `{FILE}`: {e}")).in_file(Path::new(FILE)),
            ]));
        }
    };
    Some(parse(&text))
}

/// Parses the text of an `mkdocs.yml`.
pub fn parse(text: &str) -> Result<MkDocs, Vec<Diagnostic>> {
    let source: Arc<str> = Arc::from(text);
    let shown = Path::new(FILE);
    let value: Value = match serde_yaml_ng::from_str(text) {
        Ok(value) => value,
        Err(e) => {
            let d = Diagnostic::error(format!("invalid `{FILE}`: {e}"));
            return Err(vec![match e.location() {
                Some(at) => {
                    let start = at.index().min(text.len());
                    d.at(shown, &source, start..start).label("here")
                }
                None => d.in_file(shown),
            }]);
        }
    };
    let Value::Mapping(map) = value else {
        return Err(vec![
            Diagnostic::error(format!("`{FILE}` is not a mapping of settings")).in_file(shown),
        ]);
    };
    let string = |key: &str| map.get(key).and_then(Value::as_str).map(str::to_string);
    let strings = |key: &str| -> Vec<String> {
        map.get(key)
            .and_then(Value::as_sequence)
            .map(|s| {
                s.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default()
    };
    let language = map
        .get("theme")
        .and_then(|t| t.get("language"))
        .and_then(Value::as_str)
        .map(str::to_string);
    let mut ignored: Vec<String> = Vec::new();
    for (key, value) in &map {
        let Some(key) = key.as_str() else { continue };
        if key == "markdown_extensions" {
            for ext in value.as_sequence().into_iter().flatten() {
                let name = match ext {
                    Value::String(name) => Some(name.as_str()),
                    Value::Mapping(m) => m.keys().next().and_then(Value::as_str),
                    _ => None,
                };
                if let Some(name) = name.filter(|n| !BUILT_IN.contains(n)) {
                    ignored.push(format!("markdown_extensions: {name}"));
                }
            }
        } else if key == "theme" {
            // The look is coursebook's; the language is read above.
            ignored.push("theme".into());
        } else if key == "plugins" {
            for plugin in value.as_sequence().into_iter().flatten() {
                let name = match plugin {
                    Value::String(name) => Some(name.as_str()),
                    Value::Mapping(m) => m.keys().next().and_then(Value::as_str),
                    _ => None,
                };
                // Search is built in.
                if let Some(name) = name.filter(|n| *n != "search") {
                    ignored.push(format!("plugins: {name}"));
                }
            }
        } else if !USED.contains(&key) {
            ignored.push(key.to_string());
        }
    }
    let mut notes = Vec::new();
    if let Some(first) = ignored.first() {
        let name = first.rsplit(": ").next().unwrap_or(first);
        let line = line_of(&source, name).unwrap_or(1);
        notes.push(
            Diagnostic::warning(format!(
                "{} MkDocs setting{} ha{} no effect in coursebook: {}",
                ignored.len(),
                if ignored.len() == 1 { "" } else { "s" },
                if ignored.len() == 1 { "s" } else { "ve" },
                ignored
                    .iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
            .at(shown, &source, line_span(&source, line))
            .label("the first of them")
            .help("the theme is coursebook's; search, admonitions, details, content tabs, task lists and attribute lists are built in"),
        );
    }
    Ok(MkDocs {
        site_name: string("site_name"),
        site_description: string("site_description"),
        site_author: string("site_author"),
        site_url: string("site_url"),
        docs_dir: string("docs_dir").map_or_else(|| PathBuf::from("docs"), PathBuf::from),
        site_dir: string("site_dir").map(PathBuf::from),
        repo_url: string("repo_url"),
        edit_uri: string("edit_uri"),
        extra_css: strings("extra_css"),
        extra_javascript: strings("extra_javascript"),
        language,
        nav: map.get("nav").cloned(),
        text: source,
        notes,
    })
}

impl MkDocs {
    /// `edit_uri` joined to `repo_url` as an mdBook-style template (`{path}` is the page's
    /// path in `docs_dir`). MkDocs' default for GitHub and GitLab is `edit/master/docs/`.
    pub fn edit_url_template(&self) -> Option<String> {
        let repo = self.repo_url.as_deref()?;
        let uri = match self.edit_uri.as_deref() {
            Some("") => return None,
            Some(uri) => uri.to_string(),
            None if repo.contains("github.com") || repo.contains("gitlab.com") => {
                format!("edit/master/{}/", self.docs_dir.display())
            }
            None => return None,
        };
        if uri.starts_with("http://") || uri.starts_with("https://") {
            return Some(format!("{uri}{{path}}"));
        }
        Some(format!(
            "{}/{}{{path}}",
            repo.trim_end_matches('/'),
            uri.trim_start_matches('/')
        ))
    }

    /// The chapters in `nav` order, or in MkDocs' folder order when there is no `nav`:
    /// `docs` is the content folder, `pages` the Markdown files under it.
    pub fn outline(&self, pages: &[PathBuf]) -> (Outline, Vec<Diagnostic>) {
        match &self.nav {
            Some(nav) => self.nav_outline(nav),
            None => (folder_outline(pages), Vec::new()),
        }
    }

    fn nav_outline(&self, nav: &Value) -> (Outline, Vec<Diagnostic>) {
        let mut outline = Outline::default();
        let mut problems = Vec::new();
        let Some(items) = nav.as_sequence() else {
            problems.push(
                Diagnostic::error("`nav` is not a list")
                    .at(
                        Path::new(FILE),
                        &self.text,
                        line_span(&self.text, line_of(&self.text, "nav").unwrap_or(1)),
                    )
                    .help("list pages as `- Title: page.md` and sections as `- Section:` with a list under them"),
            );
            return (outline, problems);
        };
        let mut search_from = 0;
        for item in items {
            let Some((title, target)) = entry(item) else {
                continue;
            };
            match target {
                Target::Section(children) => {
                    let mut group = Group {
                        title: title.clone(),
                        chapters: Vec::new(),
                    };
                    self.section(children, 0, &mut group, &mut search_from, &mut problems);
                    outline.groups.push(group);
                }
                Target::Page(path) | Target::Link(path) => {
                    let needs_group = outline.groups.last().is_none_or(|g| g.title.is_some());
                    if needs_group {
                        outline.groups.push(Group::default());
                    }
                    let group = outline.groups.last_mut().expect("a group exists");
                    self.page(
                        title,
                        path,
                        target_is_link(item),
                        0,
                        group,
                        &mut search_from,
                        &mut problems,
                    );
                }
            }
        }
        outline.groups.retain(|g| !g.chapters.is_empty());
        (outline, problems)
    }

    fn section(
        &self,
        items: &[Value],
        depth: u8,
        group: &mut Group,
        search_from: &mut usize,
        problems: &mut Vec<Diagnostic>,
    ) {
        for item in items {
            let Some((title, target)) = entry(item) else {
                continue;
            };
            match target {
                Target::Section(children) => {
                    let line = self.find_line(title.as_deref().unwrap_or(""), search_from);
                    group.chapters.push(Chapter {
                        title: title.unwrap_or_default(),
                        path: None,
                        depth,
                        number: None,
                        line,
                        section: true,
                    });
                    self.section(
                        children,
                        depth.saturating_add(1),
                        group,
                        search_from,
                        problems,
                    );
                }
                Target::Page(path) | Target::Link(path) => {
                    self.page(
                        title,
                        path,
                        target_is_link(item),
                        depth,
                        group,
                        search_from,
                        problems,
                    );
                }
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn page(
        &self,
        title: Option<String>,
        path: &str,
        external: bool,
        depth: u8,
        group: &mut Group,
        search_from: &mut usize,
        problems: &mut Vec<Diagnostic>,
    ) {
        let line = self.find_line(path, search_from);
        if external {
            problems.push(
                Diagnostic::warning(format!("the nav links to `{path}`, outside the site"))
                    .at(Path::new(FILE), &self.text, line_span(&self.text, line))
                    .label("not shown in the sidebar")
                    .help("link to it from a page instead"),
            );
            return;
        }
        let path = PathBuf::from(path.trim_start_matches("./"));
        group.chapters.push(Chapter {
            // Without a title, the page's own heading names it (see `content`).
            title: title.unwrap_or_default(),
            path: Some(path),
            depth,
            number: None,
            line,
            section: false,
        });
    }

    /// The line of the first mention of `needle` at or after byte `from`, moving `from`
    /// past it: nav entries are found in order even when a name repeats.
    fn find_line(&self, needle: &str, from: &mut usize) -> usize {
        let at = self.text[*from..]
            .find(needle)
            .map(|i| *from + i)
            .or_else(|| self.text.find(needle));
        match at {
            Some(at) => {
                *from = at + needle.len();
                self.text[..at].matches('\n').count() + 1
            }
            None => 1,
        }
    }

    /// The span of `line` in `mkdocs.yml`, for diagnostics about the pages it lists.
    pub fn line_span(&self, line: usize) -> std::ops::Range<usize> {
        line_span(&self.text, line)
    }

    pub fn source(&self) -> Arc<str> {
        self.text.clone()
    }
}

enum Target<'a> {
    Page(&'a str),
    Link(&'a str),
    Section(&'a [Value]),
}

/// A nav entry: `page.md`, `Title: page.md`, `Title: https://...` or `Section: [...]`.
fn entry(item: &Value) -> Option<(Option<String>, Target<'_>)> {
    match item {
        Value::String(path) => Some((None, Target::Page(path))),
        Value::Mapping(map) => {
            let (key, value) = map.iter().next()?;
            let title = key.as_str().map(str::to_string);
            match value {
                Value::String(path) if is_link(path) => Some((title, Target::Link(path))),
                Value::String(path) => Some((title, Target::Page(path))),
                Value::Sequence(children) => Some((title, Target::Section(children))),
                _ => None,
            }
        }
        _ => None,
    }
}

fn target_is_link(item: &Value) -> bool {
    matches!(entry(item), Some((_, Target::Link(_))))
}

fn is_link(path: &str) -> bool {
    path.contains("://") || path.starts_with("mailto:")
}

/// MkDocs' order without a `nav`: in each folder, `index.md` (or `README.md`) first, then the
/// other pages by name, then the sub-folders by name, each a section titled from its name.
fn folder_outline(pages: &[PathBuf]) -> Outline {
    let mut sorted: Vec<&PathBuf> = pages.iter().collect();
    sorted.sort_by_key(|p| sort_key(p));
    let mut outline = Outline::default();
    let mut top = Group::default();
    let mut groups: Vec<(String, Group)> = Vec::new();
    for path in sorted {
        let mut parts = path.components();
        let first = parts.next();
        let depth = path.components().count().saturating_sub(2);
        if depth == 0 && path.parent().is_none_or(|p| p.as_os_str().is_empty()) {
            top.chapters.push(chapter(path, 0));
            continue;
        }
        let folder = first
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .unwrap_or_default();
        if groups.last().is_none_or(|(name, _)| *name != folder) {
            groups.push((
                folder.clone(),
                Group {
                    title: Some(section_title(&folder)),
                    chapters: Vec::new(),
                },
            ));
        }
        let group = &mut groups.last_mut().expect("just pushed").1;
        group
            .chapters
            .push(chapter(path, u8::try_from(depth).unwrap_or(u8::MAX)));
    }
    if !top.chapters.is_empty() {
        outline.groups.push(top);
    }
    outline.groups.extend(groups.into_iter().map(|(_, g)| g));
    outline
}

fn chapter(path: &Path, depth: u8) -> Chapter {
    Chapter {
        title: String::new(),
        path: Some(path.to_path_buf()),
        depth,
        number: None,
        line: 0,
        section: false,
    }
}

/// Folders after files, `index.md` and `README.md` first among files.
fn sort_key(path: &Path) -> Vec<(u8, String)> {
    let parts: Vec<String> = path
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let is_file = i + 1 == parts.len();
            let rank = match (is_file, name.as_str()) {
                (true, "index.md" | "README.md") => 0,
                (true, _) => 1,
                (false, _) => 2,
            };
            (rank, name.to_lowercase())
        })
        .collect()
}

/// `user-guide` → `User guide`, as MkDocs titles a section from its folder.
fn section_title(folder: &str) -> String {
    let words = folder.replace(['-', '_'], " ");
    let mut chars = words.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// The line of the first line that starts (after indentation) with `key`.
fn line_of(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|l| {
            let l = l.trim_start().trim_start_matches("- ");
            l.starts_with(key)
        })
        .map(|i| i + 1)
}

fn line_span(text: &str, line: usize) -> std::ops::Range<usize> {
    let start: usize = text
        .split('\n')
        .take(line.saturating_sub(1))
        .map(|l| l.len() + 1)
        .sum();
    let start = start.min(text.len());
    let len = text[start..].find('\n').unwrap_or(text.len() - start);
    start..start + len
}

#[cfg(test)]
mod tests {
    use super::*;

    fn titles(outline: &Outline) -> Vec<(Option<&str>, &str, Option<&str>, u8)> {
        outline
            .groups
            .iter()
            .flat_map(|g| {
                g.chapters.iter().map(move |c| {
                    (
                        g.title.as_deref(),
                        c.title.as_str(),
                        c.path.as_deref().and_then(Path::to_str),
                        c.depth,
                    )
                })
            })
            .collect()
    }

    #[test]
    fn nav_gives_order_sections_and_nesting() {
        let mk = parse(
            "site_name: Docs\nnav:\n  - Home: index.md\n  - about.md\n  - User Guide:\n      - Install: guide/install.md\n      - Advanced:\n          - Tuning: guide/tuning.md\n  - GitHub: https://github.com/x/y\n",
        )
        .unwrap();
        let (outline, problems) = mk.outline(&[]);
        assert_eq!(
            titles(&outline),
            vec![
                (None, "Home", Some("index.md"), 0),
                (None, "", Some("about.md"), 0),
                (Some("User Guide"), "Install", Some("guide/install.md"), 0),
                (Some("User Guide"), "Advanced", None, 0),
                (Some("User Guide"), "Tuning", Some("guide/tuning.md"), 1),
            ]
        );
        assert_eq!(outline.groups[1].chapters[0].line, 6);
        assert!(outline.groups[1].chapters[1].section);
        assert_eq!(problems.len(), 1, "the external link is reported");
        assert_eq!(problems[0].line_col(), Some((9, 1)));
    }

    #[test]
    fn without_nav_folders_follow_files_and_index_comes_first() {
        let mk = parse("site_name: Docs\n").unwrap();
        let pages: Vec<PathBuf> = [
            "b.md",
            "index.md",
            "user-guide/z.md",
            "user-guide/index.md",
            "a.md",
            "user-guide/deep/x.md",
        ]
        .iter()
        .map(PathBuf::from)
        .collect();
        let (outline, _) = mk.outline(&pages);
        assert_eq!(
            titles(&outline),
            vec![
                (None, "", Some("index.md"), 0),
                (None, "", Some("a.md"), 0),
                (None, "", Some("b.md"), 0),
                (Some("User guide"), "", Some("user-guide/index.md"), 0),
                (Some("User guide"), "", Some("user-guide/z.md"), 0),
                (Some("User guide"), "", Some("user-guide/deep/x.md"), 1),
            ]
        );
    }

    #[test]
    fn settings_without_effect_are_one_warning_at_the_first() {
        let mk = parse(
            "site_name: Docs\ntheme:\n  name: material\n  language: fr\nplugins:\n  - search\n  - blog\nmarkdown_extensions:\n  - admonition\n  - pymdownx.emoji:\n      emoji_index: !!python/name:material.extensions.emoji.twemoji\n  - pymdownx.tabbed:\n      alternate_style: true\nextra:\n  social: []\n",
        )
        .unwrap();
        assert_eq!(mk.language.as_deref(), Some("fr"));
        assert_eq!(mk.notes.len(), 1);
        let shown = mk.notes[0].render();
        assert!(
            shown.contains("4 MkDocs settings have no effect in coursebook: `theme`, `plugins: blog`, `markdown_extensions: pymdownx.emoji`, `extra`"),
            "{shown}"
        );
        assert_eq!(mk.notes[0].line_col(), Some((2, 1)));
    }

    #[test]
    fn edit_links_join_repo_and_edit_uri() {
        let mk =
            parse("site_name: D\nrepo_url: https://github.com/x/y/\nedit_uri: edit/main/docs/\n")
                .unwrap();
        assert_eq!(
            mk.edit_url_template().as_deref(),
            Some("https://github.com/x/y/edit/main/docs/{path}")
        );
        let mk = parse("site_name: D\nrepo_url: https://github.com/x/y\n").unwrap();
        assert_eq!(
            mk.edit_url_template().as_deref(),
            Some("https://github.com/x/y/edit/master/docs/{path}")
        );
    }

    #[test]
    fn invalid_yaml_is_an_error_at_its_place() {
        let problems = parse("site_name: [unclosed\nnav: x\n").expect_err("invalid");
        assert!(problems[0].render().contains("invalid `mkdocs.yml`"));
        assert!(problems[0].line_col().is_some());
    }
}
