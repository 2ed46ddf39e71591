//! Pipeline: the whole build, top to bottom, in one function.
//!
//! `book.toml` → **load** (config, front matter, order) → **parse/transform** (Markdown,
//! highlighting, links; in parallel) → **check** (fragments, encoding) → **render** (tera; in
//! parallel) → **write** (staged, then swapped in). `check` runs every stage but the write.

use std::collections::HashMap;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;

use crate::config::{Config, LinkPolicy};
use crate::content::{self, Course, Page};
use crate::diagnostics::{Diagnostic, Diagnostics, Severity};
use crate::links::{self, LinkMap};
use crate::markdown::{self, Checks, Rendered};
use crate::output::{self, Staging};
use crate::render::Renderer;
use crate::theme::Theme;
use crate::{encoding, highlight};

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
    let root = &opts.root;
    if !root.is_dir() {
        return Err(BuildError::Environment(
            anyhow::anyhow!("course folder {} does not exist", root.display()),
            Vec::new(),
        ));
    }
    highlight::warm_up();

    // Load.
    let config = Config::load(root).map_err(BuildError::Content)?;
    let diagnostics = Diagnostics::default();
    let Some(course) = content::load(&root.join(config.content_dir()), root, &diagnostics) else {
        return Err(BuildError::Content(diagnostics.into_sorted()));
    };

    // Parse and transform, every page in parallel.
    let checks = Checks {
        strict: opts.strict,
        broken_links: if opts.strict || config.build.broken_links == Some(LinkPolicy::Error) {
            Severity::Error
        } else {
            Severity::Warning
        },
    };
    let map = LinkMap::new(&course);
    let pages: Vec<&Page> = course.pages().collect();
    let rendered: Vec<Rendered> = pages
        .par_iter()
        .map(|page| markdown::render(page, &map, checks))
        .collect();

    // Check what needs every page at once.
    check(&pages, &rendered, checks, &diagnostics);
    let mut all = diagnostics.into_sorted();
    if opts.strict {
        for d in &mut all {
            d.severity = Severity::Error;
        }
    }
    if all.iter().any(Diagnostic::is_error) {
        return Err(BuildError::Content(all));
    }

    // Render and write.
    let theme = Theme::load(root, &config.theme.name).map_err(BuildError::Content)?;
    let out_dir = root.join(opts.out.clone().unwrap_or_else(|| config.output_dir()));
    let by_output: HashMap<&str, &Rendered> = pages
        .iter()
        .zip(&rendered)
        .map(|(p, r)| (p.output.as_str(), r))
        .collect();
    let renderer = Renderer::new(&course, &config, &theme).with_progress(
        by_output
            .iter()
            .map(|(k, r)| (*k, r.progress.as_slice()))
            .collect(),
    );
    let staging = if opts.write {
        Some(Staging::new(&out_dir).map_err(|e| BuildError::Environment(e, all.clone()))?)
    } else {
        None
    };
    let written = render_site(&course, &renderer, &by_output, staging.as_ref(), &config);
    let count = match written {
        Ok(count) => count,
        Err(WriteFailure::Content(mut problems)) => {
            problems.extend(all);
            return Err(BuildError::Content(problems));
        }
        Err(WriteFailure::Io(e)) => return Err(BuildError::Environment(e, all)),
    };
    if let Some(staging) = staging {
        staging
            .commit()
            .map_err(|e| BuildError::Environment(e, all.clone()))?;
    }
    Ok(BuildSummary {
        diagnostics: all,
        pages: count,
        out_dir,
        elapsed: started.elapsed(),
    })
}

fn check(pages: &[&Page], rendered: &[Rendered], checks: Checks, diagnostics: &Diagnostics) {
    let ids: HashMap<&str, _> = pages
        .iter()
        .zip(rendered)
        .map(|(p, r)| (p.output.as_str(), (p.display.as_path(), &r.ids)))
        .collect();
    let refs: Vec<_> = pages
        .iter()
        .zip(rendered)
        .map(|(p, r)| (p.display.as_path(), &p.text, r.fragments.as_slice()))
        .collect();
    diagnostics.extend(links::check_fragments(&refs, &ids, checks.broken_links));
    for r in rendered {
        diagnostics.extend(r.diagnostics.iter().cloned());
    }
    diagnostics.extend(duplicate_quiz_ids(pages, rendered));
    let mojibake: Vec<Diagnostic> = pages
        .par_iter()
        .flat_map_iter(|p| encoding_warnings(p))
        .collect();
    diagnostics.extend(mojibake);
}

/// A question id keys the learner's saved progress, so it must be unique in the course.
fn duplicate_quiz_ids(pages: &[&Page], rendered: &[Rendered]) -> Vec<Diagnostic> {
    let mut first: HashMap<&str, (&Page, usize)> = HashMap::new();
    let mut problems = Vec::new();
    for (page, r) in pages.iter().zip(rendered) {
        for (id, span) in &r.quiz_ids {
            match first.get(id.as_str()) {
                None => {
                    first.insert(id, (page, span.start));
                }
                Some((other, at)) => {
                    let before = &other.text[..*at];
                    let line = before.matches('\n').count() + 1;
                    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
                    problems.push(
                        Diagnostic::error(format!("quiz: question id `{id}` is used twice in the course"))
                            .at(&page.display, &page.text, span.clone())
                            .label("second use")
                            .help(format!(
                                "first used at {}:{line}:{column}; ids keep the learner's saved progress, so give each question its own",
                                other.display.display()
                            )),
                    );
                }
            }
        }
    }
    problems
}

/// Mis-decoded text, reported with the repair `fix-encoding` would make.
pub fn encoding_warnings(page: &Page) -> Vec<Diagnostic> {
    encoding::scan(&page.text)
        .into_iter()
        .map(|f| {
            let d = Diagnostic::warning(match f.kind {
                encoding::MojibakeKind::Windows1252 => {
                    "mis-decoded text (UTF-8 read as Windows-1252)"
                }
                encoding::MojibakeKind::MacRoman => "mis-decoded text (UTF-8 read as Mac Roman)",
                encoding::MojibakeKind::Lossy => "mis-decoded text with bytes lost",
            })
            .at(&page.display, &page.text, f.byte_range.clone());
            match &f.repaired {
                Some(fixed) => d.label(format!("should read `{fixed}`")).help(format!(
                    "run `coursebook fix-encoding {}` to repair it",
                    page.display.display()
                )),
                None => d
                    .label("the original characters cannot be recovered")
                    .help("retype this text; `fix-encoding` leaves it alone"),
            }
        })
        .collect()
}

enum WriteFailure {
    Content(Vec<Diagnostic>),
    Io(anyhow::Error),
}

/// Renders every page with the theme and, when staging, writes it with the assets.
fn render_site(
    course: &Course,
    renderer: &Renderer,
    rendered: &HashMap<&str, &Rendered>,
    staging: Option<&Staging>,
    config: &Config,
) -> Result<usize, WriteFailure> {
    let mut jobs: Vec<Job> = vec![Job::Home, Job::NotFound];
    if renderer.has_progress() {
        jobs.push(Job::Progress);
    }
    for (mi, module) in course.modules.iter().enumerate() {
        if module.output().is_some() {
            jobs.push(Job::Module(mi));
        }
    }
    let lessons: Vec<(usize, usize)> = course
        .modules
        .iter()
        .enumerate()
        .flat_map(|(mi, m)| (0..m.lessons.len()).map(move |li| (mi, li)))
        .collect();
    for (n, &(mi, li)) in lessons.iter().enumerate() {
        jobs.push(Job::Lesson { mi, li, n });
    }

    let progress = progress_bar(jobs.len());
    let problems = Diagnostics::default();
    let io_error: std::sync::Mutex<Option<anyhow::Error>> = std::sync::Mutex::new(None);
    let lesson_page = |n: usize| {
        lessons
            .get(n)
            .map(|&(mi, li)| &course.modules[mi].lessons[li])
    };
    let empty = Rendered::default();
    let get = |page: &Page| {
        rendered
            .get(page.output.as_str())
            .copied()
            .unwrap_or(&empty)
    };

    jobs.par_iter().for_each(|job| {
        let (path, html) = match *job {
            Job::Home => (
                "index.html".to_string(),
                renderer.home(course.index.as_ref().map(get)),
            ),
            Job::NotFound => ("404.html".to_string(), renderer.not_found()),
            Job::Progress => ("progress.html".to_string(), renderer.progress_page()),
            Job::Module(mi) => {
                let m = &course.modules[mi];
                (
                    m.output().unwrap_or_default(),
                    renderer.module(m, m.index.as_ref().map(get)),
                )
            }
            Job::Lesson { mi, li, n } => {
                let m = &course.modules[mi];
                let page = &m.lessons[li];
                let prev = n.checked_sub(1).and_then(lesson_page);
                (
                    page.output.clone(),
                    renderer.lesson(m, li, page, get(page), prev, lesson_page(n + 1)),
                )
            }
        };
        progress.inc(1);
        match html {
            Ok(html) => {
                if let Some(staging) = staging
                    && let Err(e) = staging.write(&path, html.as_bytes())
                {
                    record(
                        &io_error,
                        anyhow::Error::new(e).context(format!("writing {path}")),
                    );
                }
            }
            Err(d) => problems.push(d),
        }
    });
    progress.finish_and_clear();
    let problems = problems.into_sorted();
    if !problems.is_empty() {
        return Err(WriteFailure::Content(problems));
    }
    if let Some(e) = io_error.into_inner().unwrap_or_else(|e| e.into_inner()) {
        return Err(WriteFailure::Io(e));
    }
    if let Some(staging) = staging {
        write_extras(course, renderer, staging, config).map_err(WriteFailure::Io)?;
    }
    Ok(jobs.len())
}

enum Job {
    Home,
    NotFound,
    Progress,
    Module(usize),
    Lesson { mi: usize, li: usize, n: usize },
}

fn record(slot: &std::sync::Mutex<Option<anyhow::Error>>, e: anyhow::Error) {
    if let Ok(mut slot) = slot.lock() {
        slot.get_or_insert(e);
    }
}

/// Assets, theme files and the sitemap.
fn write_extras(
    course: &Course,
    renderer: &Renderer,
    staging: &Staging,
    config: &Config,
) -> anyhow::Result<()> {
    use anyhow::Context;
    course.assets.par_iter().try_for_each(|(src, out)| {
        let from = course.content_dir.join(src);
        staging
            .copy(&from, out)
            .with_context(|| format!("copying {}", from.display()))
    })?;
    for (rel, bytes) in &renderer.theme.statics {
        staging
            .write(&format!("static/{rel}"), bytes)
            .with_context(|| format!("writing static/{rel}"))?;
    }
    let mut paths = vec![String::new()];
    paths.extend(course.modules.iter().filter_map(|m| m.output()));
    paths.extend(course.lessons().map(|(_, l)| l.output.clone()));
    staging
        .write(
            "sitemap.xml",
            output::sitemap(config.build.site_url.as_deref(), &paths).as_bytes(),
        )
        .context("writing sitemap.xml")?;
    Ok(())
}

fn progress_bar(len: usize) -> ProgressBar {
    if len < 200 || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len as u64);
    if let Ok(style) =
        ProgressStyle::with_template("{spinner} rendering {pos}/{len} pages {wide_bar} {eta}")
    {
        bar.set_style(style);
    }
    bar
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
