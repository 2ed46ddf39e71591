//! Theme: finds the tera templates and static files of the configured theme.
//!
//! A course may ship its own `themes/<name>/` (templates/*.html, static/**); the `default`
//! theme is also compiled into the binary, so a course needs no copy of it.

use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};
use tera::Tera;

use crate::diagnostics::Diagnostic;

static DEFAULT_THEME: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

pub struct Theme {
    pub tera: Tera,
    /// Static files: path relative to `static/` and contents.
    pub statics: Vec<(String, Vec<u8>)>,
}

/// Every theme must provide these templates.
pub const TEMPLATES: &[&str] = &["index.html", "module.html", "lesson.html", "404.html"];

impl Theme {
    pub fn load(root: &Path, name: &str) -> Result<Theme, Vec<Diagnostic>> {
        let dir = root.join("themes").join(name);
        let (templates, statics) = if dir.is_dir() {
            // A theme folder overrides the built-in theme file by file: what it lacks (a
            // template added in a later release, quiz.js...) comes from the default.
            let own = read_dir_theme(&dir).map_err(|e| {
                vec![
                    Diagnostic::error(format!("cannot read theme `{name}`: {e:#}"))
                        .in_file(&PathBuf::from("themes").join(name)),
                ]
            })?;
            overlay(embedded_theme(), own)
        } else if name == "default" {
            embedded_theme()
        } else {
            return Err(vec![Diagnostic::error(format!("theme `{name}` not found"))
                .help(format!(
                    "create `themes/{name}/templates/`, or remove `[theme] name` to use the default theme"
                ))]);
        };
        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html"]);
        let mut problems = Vec::new();
        // All at once: a template may extend one that sorts after it.
        if let Err(e) =
            tera.add_raw_templates(templates.iter().map(|(f, t)| (f.as_str(), t.as_str())))
        {
            problems.push(template_error(name, "", &e));
        }
        for required in TEMPLATES {
            if !templates.iter().any(|(f, _)| f == required) {
                problems.push(
                    Diagnostic::error(format!("theme `{name}` has no `{required}` template"))
                        .in_file(&PathBuf::from("themes").join(name).join("templates")),
                );
            }
        }
        if problems.is_empty() {
            let statics = statics
                .into_iter()
                .map(|(name, bytes)| {
                    let bytes = minified(&name, bytes);
                    (name, bytes)
                })
                .collect();
            Ok(Theme { tera, statics })
        } else {
            Err(problems)
        }
    }
}

type Files = (Vec<(String, String)>, Vec<(String, Vec<u8>)>);

/// Stylesheets and scripts without comments and spaces (a quarter of their weight, which every
/// page pays). The minifier is the one rustdoc used for its own; when it cannot read a file,
/// the file is served as written.
fn minified(name: &str, bytes: Vec<u8>) -> Vec<u8> {
    let Ok(text) = std::str::from_utf8(&bytes) else {
        return bytes;
    };
    let small = if name.ends_with(".css") {
        minifier::css::minify(text).ok().map(|m| m.to_string())
    } else if name.ends_with(".js") {
        minifier::js::minify(text).ok().map(|m| m.to_string())
    } else {
        None
    };
    match small {
        Some(small) if !small.trim().is_empty() || text.trim().is_empty() => small.into_bytes(),
        _ => bytes,
    }
}

fn overlay(base: Files, own: Files) -> Files {
    fn merge<T>(mut base: Vec<(String, T)>, own: Vec<(String, T)>) -> Vec<(String, T)> {
        for (name, content) in own {
            match base.iter_mut().find(|(n, _)| *n == name) {
                Some(slot) => slot.1 = content,
                None => base.push((name, content)),
            }
        }
        base
    }
    (merge(base.0, own.0), merge(base.1, own.1))
}

fn embedded_theme() -> Files {
    let mut templates = Vec::new();
    let mut statics = Vec::new();
    collect_embedded(&DEFAULT_THEME, &mut templates, &mut statics);
    (templates, statics)
}

fn collect_embedded(
    dir: &Dir<'_>,
    templates: &mut Vec<(String, String)>,
    statics: &mut Vec<(String, Vec<u8>)>,
) {
    for file in dir.files() {
        let path = file.path().to_string_lossy().replace('\\', "/");
        if let Some(name) = path.strip_prefix("templates/") {
            templates.push((
                name.to_string(),
                String::from_utf8_lossy(file.contents()).into_owned(),
            ));
        } else if let Some(name) = path.strip_prefix("static/") {
            statics.push((name.to_string(), file.contents().to_vec()));
        }
    }
    for sub in dir.dirs() {
        collect_embedded(sub, templates, statics);
    }
}

fn read_dir_theme(dir: &Path) -> anyhow::Result<Files> {
    use anyhow::Context;
    let mut templates = Vec::new();
    let mut statics = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(dir)?
            .to_string_lossy()
            .replace('\\', "/");
        if let Some(name) = rel.strip_prefix("templates/") {
            let text = std::fs::read_to_string(entry.path())
                .with_context(|| format!("reading {}", entry.path().display()))?;
            templates.push((name.to_string(), text));
        } else if let Some(name) = rel.strip_prefix("static/") {
            let bytes = std::fs::read(entry.path())
                .with_context(|| format!("reading {}", entry.path().display()))?;
            statics.push((name.to_string(), bytes));
        }
    }
    Ok((templates, statics))
}

/// Tera's errors nest their cause; the author needs the whole chain on one line.
pub fn error_chain(e: &tera::Error) -> String {
    let mut message = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    message
}

fn template_error(theme: &str, file: &str, e: &tera::Error) -> Diagnostic {
    let path = PathBuf::from("themes")
        .join(theme)
        .join("templates")
        .join(file);
    Diagnostic::error(format!("template error: {}", error_chain(e))).in_file(&path)
}
