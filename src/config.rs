//! Config: reads `book.toml`, the first stage of the pipeline.
//!
//! The `[book]` table uses mdBook's keys with mdBook's meanings (`title`, `authors`,
//! `description`, `language`, `src`, `text-direction`), so an mdBook author's file works as is.
//! Unknown keys are reported all at once, each with its line, before serde checks the types.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;
use toml::de::{DeTable, DeValue};

use crate::diagnostics::Diagnostic;

pub const CONFIG_FILE: &str = "book.toml";

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct Config {
    pub book: BookConfig,
    pub build: BuildConfig,
    pub theme: ThemeConfig,
    pub verify: VerifyConfig,
    /// mdBook's renderer settings: `[output.html]` keys that mean something here are read
    /// (see [`HtmlOutput`]); the rest, and other renderers, are reported once.
    pub output: BTreeMap<String, toml::Table>,
    /// mdBook's preprocessors and `[rust]`: accepted, reported once, not run.
    pub preprocessor: BTreeMap<String, toml::Table>,
    pub rust: toml::Table,
    /// Warnings about the file (mdBook settings that have no effect here).
    #[serde(skip)]
    pub notes: Vec<Diagnostic>,
}

/// The `[output.html]` keys of an mdBook `book.toml` that coursebook honours.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case", default)]
pub struct HtmlOutput {
    /// A link to the book's repository in every page's header.
    pub git_repository_url: Option<String>,
    /// "Suggest an edit" on every chapter: `{path}` is the chapter's path in the source folder.
    pub edit_url_template: Option<String>,
    /// Style sheets and scripts (paths from the book's root) added to every page.
    pub additional_css: Vec<PathBuf>,
    pub additional_js: Vec<PathBuf>,
    /// mdBook's `site-url` is the path the book is served under: coursebook's `base-path`.
    pub site_url: Option<String>,
    /// `[output.html.search] enable = false` turns search off, as `[build] search` does.
    pub search: HtmlSearch,
    /// Typographic quotes and dashes, on by default in mdBook (`curly-quotes` before 0.5).
    pub smart_punctuation: Option<bool>,
    pub curly_quotes: Option<bool>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct HtmlSearch {
    pub enable: Option<bool>,
}

/// mdBook's tables whose keys are not checked here (see `ignored_mdbook_keys`).
const FREE_FORM: &[&str] = &["output", "preprocessor", "rust"];

/// The `[output.html]` keys [`HtmlOutput`] reads.
const HTML_KEYS: &[&str] = &[
    "git-repository-url",
    "edit-url-template",
    "additional-css",
    "additional-js",
    "site-url",
    "search",
    "smart-punctuation",
    "curly-quotes",
];

/// `[verify]`: defaults for the snippets `coursebook verify` runs.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct VerifyConfig {
    /// The image snippets run in unless they name one (`image=`).
    pub image: Option<String>,
    /// Per-snippet time limit, such as `30s` or `2m` (default 30s).
    pub timeout: Option<String>,
    /// Maps the images lessons name (`python:3.11-slim`) to images this engine has.
    pub images: std::collections::BTreeMap<String, String>,
    /// The image `{verify docker}` blocks run in, with the host's docker CLI added
    /// (default `debian:bookworm`, mapped by `images`).
    pub runner: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct BookConfig {
    pub title: Option<String>,
    pub authors: Vec<String>,
    pub description: Option<String>,
    pub language: String,
    /// mdBook's name for the content folder; `[build] content` wins when both are set.
    pub src: Option<PathBuf>,
    pub text_direction: Option<TextDirection>,
    /// Accepted for mdBook compatibility; has no effect.
    pub multilingual: Option<bool>,
}

impl Default for BookConfig {
    fn default() -> Self {
        BookConfig {
            title: None,
            authors: Vec::new(),
            description: None,
            language: "en".into(),
            src: None,
            text_direction: None,
            multilingual: None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TextDirection {
    Ltr,
    Rtl,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct BuildConfig {
    pub content: Option<PathBuf>,
    pub output: Option<PathBuf>,
    pub site_url: Option<String>,
    /// The path the site is served under when it is not the domain's root (GitHub Pages
    /// project sites: `/REPO/`). Only `404.html` needs it: every other link is relative.
    pub base_path: Option<String>,
    /// How broken internal links are reported: `warn` (default) or `error`.
    pub broken_links: Option<LinkPolicy>,
    /// Full-text search (`pagefind/` and a search button); on unless `false`.
    pub search: Option<bool>,
    /// mdBook's name for the output folder; `output` wins when both are set.
    pub build_dir: Option<PathBuf>,
    /// mdBook settings with no effect here (reported once).
    pub create_missing: Option<toml::Value>,
    pub use_default_preprocessors: Option<toml::Value>,
    pub extra_watch_dirs: Option<toml::Value>,
}

/// `[build]` keys of mdBook's that are accepted and have no effect.
const MDBOOK_BUILD_KEYS: &[&str] = &[
    "create-missing",
    "use-default-preprocessors",
    "extra-watch-dirs",
];

impl VerifyConfig {
    /// The image to run for an image a lesson names: its `[verify.images]` mapping, else
    /// the name itself.
    pub fn image(&self, name: &str) -> String {
        mapped_image(&self.images, name)
            .unwrap_or_else(|| short_image_name(name))
            .to_string()
    }
}

/// What `images` (`[verify.images]`) maps an image name to: `busybox`, `busybox:latest` and
/// `docker.io/library/busybox` are one name. `None` when it is not mapped.
pub fn mapped_image<'a>(images: &'a BTreeMap<String, String>, name: &str) -> Option<&'a str> {
    let name = short_image_name(name);
    let found = match name.strip_suffix(":latest") {
        Some(bare) => images.get(name).or_else(|| images.get(bare)),
        None => images
            .get(name)
            .or_else(|| images.get(&format!("{name}:latest"))),
    };
    found.map(String::as_str)
}

/// An image name as lessons write it: `docker.io/library/busybox` is `busybox` (the docker
/// CLI spells out the registry when it pulls).
pub fn short_image_name(name: &str) -> &str {
    name.strip_prefix("docker.io/library/")
        .or_else(|| name.strip_prefix("docker.io/"))
        .unwrap_or(name)
}

impl BuildConfig {
    /// Whether the site gets full-text search (`[build] search`, on by default).
    pub fn search(&self) -> bool {
        self.search != Some(false)
    }

    /// `site-url` with one trailing slash (`https://example.com/course/`), for absolute
    /// addresses: `format!("{base}{output}")`.
    pub fn site_base(&self) -> Option<String> {
        self.site_url
            .as_deref()
            .map(|u| format!("{}/", u.trim_end_matches('/')))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LinkPolicy {
    Warn,
    Error,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct ThemeConfig {
    pub name: String,
}

impl Default for ThemeConfig {
    fn default() -> Self {
        ThemeConfig {
            name: "default".into(),
        }
    }
}

/// The keys each table accepts; kept beside the structs above (serde's own unknown-field
/// error stops at the first key, and authors deserve all of them at once).
const SCHEMA: &[(&str, &[&str])] = &[
    (
        "book",
        &[
            "title",
            "authors",
            "description",
            "language",
            "src",
            "text-direction",
            "multilingual",
        ],
    ),
    (
        "build",
        &[
            "content",
            "output",
            "site-url",
            "base-path",
            "broken-links",
            "search",
            "build-dir",
            "create-missing",
            "use-default-preprocessors",
            "extra-watch-dirs",
        ],
    ),
    ("output", &[]),
    ("preprocessor", &[]),
    ("rust", &[]),
    ("theme", &["name"]),
    ("verify", &["image", "timeout", "images", "runner"]),
];

impl Config {
    /// Reads `root/book.toml`; a missing file means all defaults.
    pub fn load(root: &Path) -> Result<Config, Vec<Diagnostic>> {
        let mut config = Config::load_book_toml(root)?;
        if let Some(mkdocs) = crate::mkdocs::load(root) {
            config.merge_mkdocs(mkdocs?);
        }
        Ok(config)
    }

    /// Fills what `book.toml` leaves unset from an MkDocs project's `mkdocs.yml`.
    fn merge_mkdocs(&mut self, mk: crate::mkdocs::MkDocs) {
        let book = &mut self.book;
        book.title = book.title.take().or(mk.site_name.clone());
        book.description = book.description.take().or(mk.site_description.clone());
        if book.authors.is_empty() {
            book.authors.extend(mk.site_author.clone());
        }
        if let Some(language) = &mk.language
            && book.language == "en"
        {
            book.language = language.clone();
        }
        let build = &mut self.build;
        if build.content.is_none() && build.build_dir.is_none() && self.book.src.is_none() {
            build.content = Some(mk.docs_dir.clone());
        }
        build.output = build.output.take().or(mk.site_dir.clone());
        build.site_url = build.site_url.take().or(mk.site_url.clone());
        let html = self.output.entry("html".into()).or_default();
        let mut set = |key: &str, value: toml::Value| {
            html.entry(key.to_string()).or_insert(value);
        };
        if let Some(repo) = &mk.repo_url {
            set("git-repository-url", repo.clone().into());
        }
        if let Some(template) = mk.edit_url_template() {
            set("edit-url-template", template.into());
        }
        let in_docs = |files: &[String]| -> toml::Value {
            files
                .iter()
                .map(|f| toml::Value::from(mk.docs_dir.join(f).to_string_lossy().into_owned()))
                .collect::<Vec<_>>()
                .into()
        };
        if !mk.extra_css.is_empty() {
            set("additional-css", in_docs(&mk.extra_css));
        }
        if !mk.extra_javascript.is_empty() {
            set("additional-js", in_docs(&mk.extra_javascript));
        }
        self.notes.extend(mk.notes);
    }

    fn load_book_toml(root: &Path) -> Result<Config, Vec<Diagnostic>> {
        let path = root.join(CONFIG_FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
            Err(e) => {
                return Err(vec![
                    Diagnostic::error(format!("cannot read `{CONFIG_FILE}`: {e}"))
                        .in_file(Path::new(CONFIG_FILE)),
                ]);
            }
        };
        Config::parse(&text)
    }

    /// Parses the text of a `book.toml`, reporting every unknown key with its line.
    pub fn parse(text: &str) -> Result<Config, Vec<Diagnostic>> {
        let source: Arc<str> = Arc::from(text);
        let path = Path::new(CONFIG_FILE);
        let doc = match DeTable::parse(text) {
            Ok(doc) => doc,
            Err(e) => return Err(vec![toml_error(&e, path, &source)]),
        };
        let problems = unknown_keys(doc.get_ref(), path, &source);
        if !problems.is_empty() {
            return Err(problems);
        }
        let mut config =
            toml::from_str::<Config>(text).map_err(|e| vec![toml_error(&e, path, &source)])?;
        let html = config
            .html()
            .map_err(|e| vec![toml_error(&e, path, &source)])?;
        if config.build.base_path.is_none() {
            config.build.base_path = html.site_url;
        }
        if config.build.search.is_none() {
            config.build.search = html.search.enable;
        }
        config
            .notes
            .extend(ignored_mdbook_keys(doc.get_ref(), path, &source));
        Ok(config)
    }

    /// The `[output.html]` settings this build honours.
    pub fn html(&self) -> Result<HtmlOutput, toml::de::Error> {
        match self.output.get("html") {
            Some(table) => HtmlOutput::deserialize(toml::Value::Table(table.clone())),
            None => Ok(HtmlOutput::default()),
        }
    }

    /// The content folder under `root`: `[build] content`, mdBook's `[book] src`, else
    /// `content/`, or `src/` for an mdBook book that does not name its folder.
    pub fn content_path(&self, root: &Path) -> PathBuf {
        let named = self.build.content.is_some() || self.book.src.is_some();
        let mdbook_src = root.join("src");
        if !named && !root.join("content").exists() && mdbook_src.join("SUMMARY.md").is_file() {
            return mdbook_src;
        }
        root.join(self.content_dir())
    }

    pub fn content_dir(&self) -> PathBuf {
        self.build
            .content
            .clone()
            .or_else(|| self.book.src.clone())
            .unwrap_or_else(|| PathBuf::from("content"))
    }

    pub fn output_dir(&self) -> PathBuf {
        self.build
            .output
            .clone()
            .or_else(|| self.build.build_dir.clone())
            .unwrap_or_else(|| PathBuf::from("public"))
    }
}

fn unknown_keys(doc: &DeTable<'_>, path: &Path, source: &Arc<str>) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let tables: Vec<&str> = SCHEMA.iter().map(|(name, _)| *name).collect();
    for (key, value) in doc.iter() {
        let name = key.get_ref().as_ref();
        let Some((_, keys)) = SCHEMA.iter().find(|(table, _)| *table == name) else {
            let message = format!("unknown table `[{name}]`");
            problems.push(unknown(&message, name, &tables, key.span(), path, source));
            continue;
        };
        if let DeValue::Table(table) = value.get_ref()
            && !FREE_FORM.contains(&name)
        {
            for (inner, _) in table.iter() {
                let inner_name = inner.get_ref().as_ref();
                if !keys.contains(&inner_name) {
                    let message = format!("unknown key `{inner_name}` in `[{name}]`");
                    problems.push(unknown(
                        &message,
                        inner_name,
                        keys,
                        inner.span(),
                        path,
                        source,
                    ));
                }
            }
        }
    }
    problems
}

/// One warning for every mdBook setting that has no effect here, at the first of them: an
/// mdBook `book.toml` builds as is, and its author learns once what is not carried over.
fn ignored_mdbook_keys(doc: &DeTable<'_>, path: &Path, source: &Arc<str>) -> Option<Diagnostic> {
    let mut ignored: Vec<(String, std::ops::Range<usize>)> = Vec::new();
    for (key, value) in doc.iter() {
        let table = key.get_ref().as_ref();
        let DeValue::Table(inner) = value.get_ref() else {
            continue;
        };
        for (name, value) in inner.iter() {
            let name_str = name.get_ref().as_ref();
            match table {
                "build" if MDBOOK_BUILD_KEYS.contains(&name_str) => {
                    ignored.push((format!("build.{name_str}"), name.span()));
                }
                "output" if name_str == "html" => {
                    if let DeValue::Table(html) = value.get_ref() {
                        for (k, _) in html.iter() {
                            let k_str = k.get_ref().as_ref();
                            if !HTML_KEYS.contains(&k_str) {
                                ignored.push((format!("output.html.{k_str}"), k.span()));
                            }
                        }
                    }
                }
                "output" | "preprocessor" => {
                    ignored.push((format!("{table}.{name_str}"), name.span()));
                }
                "rust" => ignored.push((format!("rust.{name_str}"), name.span())),
                _ => {}
            }
        }
    }
    let (_, first) = ignored.first()?.clone();
    let names: Vec<String> = ignored.iter().map(|(n, _)| format!("`{n}`")).collect();
    let mut help = String::from(
        "coursebook reads `output.html`'s git-repository-url, edit-url-template, additional-css, additional-js and site-url",
    );
    if ignored.iter().any(|(n, _)| n.starts_with("preprocessor.")) {
        help.push_str("; preprocessors are not run (mermaid diagrams, includes and `{{#title}}` are built in)");
    }
    Some(
        Diagnostic::warning(format!(
            "{} mdBook setting{} ha{} no effect in coursebook: {}",
            ignored.len(),
            if ignored.len() == 1 { "" } else { "s" },
            if ignored.len() == 1 { "s" } else { "ve" },
            names.join(", ")
        ))
        .at(path, source, first)
        .label("the first of them")
        .help(help),
    )
}

fn unknown(
    message: &str,
    name: &str,
    known: &[&str],
    span: std::ops::Range<usize>,
    path: &Path,
    source: &Arc<str>,
) -> Diagnostic {
    let diagnostic = Diagnostic::error(message)
        .at(path, source, span)
        .label("not a coursebook setting");
    match closest(name, known) {
        Some(best) => diagnostic.help(format!("did you mean `{best}`?")),
        None => diagnostic.help(format!(
            "expected one of {}",
            known
                .iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// The known name nearest to a misspelt one, if any is close enough to be a likely typo.
pub fn closest<'a>(name: &str, known: &[&'a str]) -> Option<&'a str> {
    known
        .iter()
        .map(|k| (strsim::jaro_winkler(name, k), *k))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}

fn toml_error(e: &toml::de::Error, path: &Path, source: &Arc<str>) -> Diagnostic {
    let message = e.message().trim().to_string();
    let diagnostic = Diagnostic::error(format!("invalid `{CONFIG_FILE}`: {message}"));
    match e.span() {
        Some(span) => diagnostic.at(path, source, span).label("here"),
        None => diagnostic.in_file(path),
    }
}
