//! Pipeline: the whole build, top to bottom, in one function.
//!
//! `book.toml` → **load** (config, front matter, order) → **parse/transform** (Markdown,
//! highlighting, links; in parallel) → **check** (fragments, encoding) → **render** (tera; in
//! parallel) → **write** (staged, then swapped in). `check` runs every stage but the write.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::diagnostics::Diagnostic;
use crate::site::{Site, WriteFailure};

#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The course folder (holds `book.toml` and `content/`).
    pub root: PathBuf,
    /// Overrides `[build] output`.
    pub out: Option<PathBuf>,
    /// Broken links and every warning fail the build; pedantic checks are on.
    pub strict: bool,
    /// False for `check`: run every stage, write nothing.
    pub write: bool,
    /// Overrides `[build] base-path`.
    pub base_path: Option<String>,
}

#[derive(Debug)]
pub struct BuildSummary {
    pub diagnostics: Vec<Diagnostic>,
    pub pages: usize,
    pub out_dir: PathBuf,
    pub elapsed: Duration,
}

#[derive(Debug)]
pub enum BuildError {
    /// The author's input has errors (exit 1).
    Content(Vec<Diagnostic>),
    /// The machine stopped us: I/O, permissions, a folder we may not replace (exit 2).
    Environment(anyhow::Error, Vec<Diagnostic>),
}

pub fn build(opts: &BuildOptions) -> Result<BuildSummary, BuildError> {
    let started = Instant::now();
    if !opts.root.is_dir() {
        return Err(BuildError::Environment(
            anyhow::anyhow!("course folder {} does not exist", opts.root.display()),
            Vec::new(),
        ));
    }
    // Load, then parse and transform every page in parallel.
    let mut site = Site::load(&opts.root, opts.strict).map_err(BuildError::Content)?;
    if let Some(path) = &opts.base_path {
        site.set_base_path(path);
    }
    // Check what needs every page at once.
    let diagnostics = site.diagnostics();
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(BuildError::Content(diagnostics));
    }
    // Render and write.
    let out_dir = site.out_dir(opts.out.as_deref());
    let pages = match site.write_all(opts.write.then_some(out_dir.as_path()), true) {
        Ok(pages) => pages,
        Err(WriteFailure::Content(mut problems)) => {
            problems.extend(diagnostics);
            return Err(BuildError::Content(problems));
        }
        Err(WriteFailure::Io(e)) => return Err(BuildError::Environment(e, diagnostics)),
    };
    Ok(BuildSummary {
        diagnostics,
        pages,
        out_dir,
        elapsed: started.elapsed(),
    })
}

/// Where a course's output goes, for messages: relative to the current folder when possible.
pub fn shown(path: &Path) -> String {
    std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| path.to_path_buf())
        .display()
        .to_string()
}
