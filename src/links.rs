//! Links: resolves the links and images a page refers to, rewrites `.md` links to the
//! generated pages, and checks every internal fragment once all pages are parsed.
//!
//! Used by the parse stage (resolution and rewriting, per page) and after it (fragments, which
//! need the heading ids of every page).

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::{Component, Path, PathBuf};

use crate::content::{AtPage, Course, Page};
use crate::diagnostics::{Diagnostic, Severity};

/// What the link resolver knows about the whole course.
#[derive(Debug, Default)]
pub struct LinkMap {
    /// Source path of each page (relative to the content folder) → its output path.
    pages: HashMap<PathBuf, String>,
    /// Non-Markdown files under the content folder, relative to it.
    assets: HashSet<PathBuf>,
}

impl LinkMap {
    pub fn new(course: &Course) -> LinkMap {
        let mut pages: HashMap<PathBuf, String> = course
            .pages()
            .map(|p| (p.source.clone(), p.output.clone()))
            .collect();
        // A link to a folder, or to its `_index.md`, means the module page.
        for module in &course.modules {
            if let Some(output) = module.output() {
                pages.insert(module.source_dir.join("_index.md"), output.clone());
                pages.insert(module.source_dir.clone(), output);
            }
        }
        pages.insert(PathBuf::from("_index.md"), "index.html".into());
        pages.insert(PathBuf::new(), "index.html".into());
        LinkMap {
            pages,
            assets: course.assets.iter().map(|(src, _)| src.clone()).collect(),
        }
    }
}

/// Where a link points.
#[derive(Debug, PartialEq)]
pub enum Target {
    /// A URL with a scheme, or protocol-relative: left alone.
    External,
    /// Another page (or this one): `output` path and optional fragment.
    Page {
        output: String,
        fragment: Option<String>,
    },
    /// A file copied from the content folder.
    Asset,
    /// Nothing: the reason says why.
    Broken(String),
}

/// A `#fragment` reference to check once every page's heading ids are known.
#[derive(Debug, Clone)]
pub struct FragmentRef {
    pub target: String,
    pub fragment: String,
    pub span: Range<usize>,
}

pub fn is_external(url: &str) -> bool {
    url.starts_with("//")
        || url.split_once(':').is_some_and(|(scheme, _)| {
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        })
}

/// Resolves `url` as written in the page whose source is `page_source`.
pub fn resolve(url: &str, page_source: &Path, page_output: &str, map: &LinkMap) -> Target {
    if is_external(url) {
        return Target::External;
    }
    let (path_part, fragment) = match url.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (url, None),
    };
    let path_part = path_part.split('?').next().unwrap_or_default();
    let fragment = fragment.map(percent_decode).filter(|f| !f.is_empty());
    if path_part.is_empty() {
        return Target::Page {
            output: page_output.to_string(),
            fragment,
        };
    }
    let decoded = percent_decode(path_part);
    let base = page_source.parent().unwrap_or(Path::new(""));
    let joined = if let Some(absolute) = decoded.strip_prefix('/') {
        PathBuf::from(absolute)
    } else {
        base.join(&decoded)
    };
    let Some(normal) = normalize(&joined) else {
        return Target::Broken("it points outside the content folder".into());
    };
    if let Some(output) = map.pages.get(&normal) {
        return Target::Page {
            output: output.clone(),
            fragment,
        };
    }
    if map.assets.contains(&normal) {
        return Target::Asset;
    }
    let normal_md = normal.with_extension("md");
    if decoded.ends_with(".html") && map.pages.contains_key(&normal_md) {
        return Target::Broken(format!(
            "link to the Markdown file instead: `{}`",
            normal_md.display()
        ));
    }
    Target::Broken("no such page or file in the course".into())
}

/// Removes `.` and `..`; `None` when the path climbs above the content folder.
pub fn normalize(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::Normal(part) => out.push(part),
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::CurDir => {}
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(out)
}

/// `s` with its `%XX` escapes decoded; as written when they do not decode to UTF-8.
fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8()
        .map_or_else(|_| s.to_string(), |d| d.into_owned())
}

/// The URL of `to` relative to the page at `from` (both site-root-relative output paths).
pub fn relative_url(from: &str, to: &str) -> String {
    let from_dirs: Vec<&str> = from.split('/').collect();
    let from_dirs = &from_dirs[..from_dirs.len().saturating_sub(1)];
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from_dirs
        .iter()
        .zip(to_parts.iter())
        .take_while(|(a, b)| a == b)
        .count()
        .min(to_parts.len().saturating_sub(1));
    let mut url = "../".repeat(from_dirs.len() - common);
    url.push_str(&to_parts[common..].join("/"));
    url
}

/// The prefix from a page to the site root: `""` at the top, `"../"` one folder down.
pub fn root_prefix(output: &str) -> String {
    "../".repeat(output.matches('/').count())
}

/// Checks every collected fragment against the ids of the page it targets.
pub fn check_fragments(
    pages: &[(&Page, &[FragmentRef])],
    ids: &HashMap<&str, (&Path, &HashSet<String>)>,
    severity: Severity,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (page, refs) in pages {
        let display = page.display.as_path();
        for r in refs.iter() {
            let Some((target_display, known)) = ids.get(r.target.as_str()) else {
                continue;
            };
            if known.contains(&r.fragment) {
                continue;
            }
            let mut candidates: Vec<&str> = known.iter().map(String::as_str).collect();
            candidates.sort_unstable();
            let place = if *target_display == display {
                "on this page".to_string()
            } else {
                format!("in `{}`", target_display.display())
            };
            let d = Diagnostic::error(format!("broken link: no heading `#{}` {place}", r.fragment))
                .with_severity(severity)
                .at_page(page, r.span.clone())
                .label("no heading with this id");
            out.push(match crate::config::closest(&r.fragment, &candidates) {
                Some(best) => d.help(format!("did you mean `#{best}`?")),
                None => d,
            });
        }
    }
    out
}
