//! Site: the course held in memory between stages, and between rebuilds under `serve`.
//!
//! [`Site::load`] runs the load and parse/transform stages for every page; [`Site::diagnostics`]
//! runs the checks that need every page at once; [`Site::write_all`] renders and writes the
//! whole site (staged, then swapped in) and [`Site::write_pages`] only the pages an edit touched.
//! [`Site::update`] re-reads one edited file and says which pages must be rendered again, or
//! that the course's structure changed and it must be loaded afresh. The last verify run's
//! results (`.coursebook/verify-results.json`) are loaded with the course, for the badges
//! under tagged code blocks.

use std::collections::{HashMap, HashSet};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;

use crate::config::{Config, LinkPolicy};
use crate::content::{self, AtPage, Course, Page};
use crate::diagnostics::{Diagnostic, Diagnostics, Severity};
use crate::links::{self, LinkMap};
use crate::markdown::{self, Checks, Rendered};
use crate::output::{self, Staging};
use crate::render::{PageHtml, Renderer};
use crate::theme::Theme;
use crate::verify::results::{self, Results};
use crate::{encoding, highlight};

pub struct Site {
    pub root: PathBuf,
    pub config: Config,
    pub course: Course,
    pub theme: Theme,
    strict: bool,
    checks: Checks,
    map: LinkMap,
    /// Problems found while loading (unreadable files, duplicate outputs).
    load_problems: Vec<Diagnostic>,
    /// Each page's HTML and findings, by output path.
    rendered: HashMap<String, Rendered>,
    /// Mis-decoded text, by output path.
    encoding: HashMap<String, Vec<Diagnostic>>,
    /// Pages whose last edit could not be read (bad front matter...): their old version stays.
    edit_problems: HashMap<PathBuf, Vec<Diagnostic>>,
    /// Why the last edit of the theme could not be loaded: the old theme stays.
    theme_problems: Vec<Diagnostic>,
    /// The last verify run's results, by block key.
    verified: Results,
    /// Why the results file could not be read: a warning even under `--strict`, since the
    /// file is the verify run's output, not the author's.
    verified_problem: Option<Diagnostic>,
}

/// What an edit to one file means for the site.
#[derive(Debug, PartialEq)]
pub enum Update {
    /// Render these outputs again (empty when the edit broke the page: see the diagnostics).
    Pages(HashSet<String>),
    /// The theme changed: render every page again (nothing needs parsing again).
    AllPages,
    /// The course's structure or configuration changed: load it again.
    Reload,
    /// Not part of the course.
    Ignored,
}

pub enum WriteFailure {
    Content(Vec<Diagnostic>),
    Io(anyhow::Error),
}

impl Site {
    /// Serve `404.html`'s links from `path` (`--base-path`), whatever `book.toml` says.
    pub fn set_base_path(&mut self, path: &str) {
        self.config.build.base_path = Some(path.to_string());
    }

    /// Loads `root`'s configuration, content and theme, and parses every page in parallel.
    pub fn load(root: &Path, strict: bool) -> Result<Site, Vec<Diagnostic>> {
        highlight::warm_up();
        let config = Config::load(root)?;
        let found = Diagnostics::default();
        found.extend(config.notes.iter().cloned());
        if let Ok(html) = config.html() {
            for (key, extra) in html
                .additional_css
                .iter()
                .map(|p| ("additional-css", p))
                .chain(html.additional_js.iter().map(|p| ("additional-js", p)))
            {
                if !root.join(extra).is_file() {
                    found.push(
                        Diagnostic::error(format!(
                            "`{key}` names `{}`, which does not exist",
                            extra.display()
                        ))
                        .in_file(Path::new(crate::config::CONFIG_FILE))
                        .help("paths in `[output.html]` are relative to the folder of `book.toml`"),
                    );
                }
            }
        }
        let Some(course) = content::load(&config.content_path(root), root, &found) else {
            return Err(found.into_sorted());
        };
        let load_problems = found.into_sorted();
        let theme = Theme::load(root, &config.theme.name).map_err(|mut theme| {
            theme.extend(load_problems.iter().cloned());
            theme
        })?;
        let checks = Checks {
            strict,
            broken_links: if strict || config.build.broken_links == Some(LinkPolicy::Error) {
                Severity::Error
            } else {
                Severity::Warning
            },
            smart_punctuation: course.layout == content::Layout::MdBook && {
                let html = config.html().unwrap_or_default();
                html.smart_punctuation.or(html.curly_quotes) != Some(false)
            },
        };
        let map = LinkMap::new(&course);
        let (verified, verified_problem) = load_results(root);
        let pages: Vec<&Page> = course.pages().collect();
        let rendered = pages
            .par_iter()
            .map(|page| {
                let html = markdown::render(page, &map, checks, &verified);
                (page.output.clone(), html)
            })
            .collect();
        let encoding = pages
            .par_iter()
            .map(|page| (page.output.clone(), encoding_warnings(page)))
            .collect();
        Ok(Site {
            root: root.to_path_buf(),
            config,
            course,
            theme,
            strict,
            checks,
            map,
            load_problems,
            rendered,
            encoding,
            edit_problems: HashMap::new(),
            theme_problems: Vec::new(),
            verified,
            verified_problem,
        })
    }

    /// Every problem in the course, sorted; under `--strict` all of them are errors.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        let all = Diagnostics::default();
        all.extend(self.load_problems.iter().cloned());
        let pages: Vec<(&Page, &Rendered)> = self
            .course
            .pages()
            .filter_map(|p| self.rendered.get(&p.output).map(|r| (p, r)))
            .collect();
        let ids: HashMap<&str, _> = pages
            .iter()
            .map(|(p, r)| (p.output.as_str(), (p.display.as_path(), &r.ids)))
            .collect();
        let refs: Vec<_> = pages
            .iter()
            .map(|(p, r)| (*p, r.fragments.as_slice()))
            .collect();
        all.extend(links::check_fragments(
            &refs,
            &ids,
            self.checks.broken_links,
        ));
        for (_, r) in &pages {
            all.extend(r.diagnostics.iter().cloned());
        }
        all.extend(crate::material::once_per_build(
            pages.iter().map(|(_, r)| r.unsupported.as_slice()),
        ));
        all.extend(duplicate_quiz_ids(&pages));
        for warnings in self.encoding.values() {
            all.extend(warnings.iter().cloned());
        }
        for problems in self.edit_problems.values() {
            all.extend(problems.iter().cloned());
        }
        all.extend(self.theme_problems.iter().cloned());
        let mut all = all.into_sorted();
        if self.strict {
            for d in &mut all {
                d.severity = Severity::Error;
            }
        }
        all.extend(self.verified_problem.iter().cloned());
        all
    }

    /// The folder the site is written to: `--out`, else `[build] output`, under the root.
    pub fn out_dir(&self, out: Option<&Path>) -> PathBuf {
        self.root
            .join(out.map_or_else(|| self.config.output_dir(), Path::to_path_buf))
    }

    /// Renders every page; writes them, the assets, the theme's files and (when `search` and
    /// the course has search) the search index to `out` (staged and swapped in, so a failure
    /// leaves the old site whole), or only renders when `out` is `None` (`check`). Returns the
    /// number of pages.
    pub fn write_all(&self, out: Option<&Path>, search: bool) -> Result<usize, WriteFailure> {
        let staging = match out {
            Some(out) => Some(Staging::new(out).map_err(WriteFailure::Io)?),
            None => None,
        };
        let jobs = self.jobs();
        let bar = progress_bar(jobs.len());
        let write = |path: &str, html: &PageHtml<'_>| match &staging {
            Some(s) => s.write_with(path, |out| html.write_to(out)),
            None => Ok(()),
        };
        // The search index is made from the Markdown's HTML, not the themed pages, so it is
        // made on a thread of its own while the pages render.
        let indexing = staging.is_some() && search && self.config.build.search();
        let (count, bundle) = std::thread::scope(|scope| {
            let bundle = indexing.then(|| scope.spawn(|| self.search_bundle()));
            let count = self.render_jobs(&jobs, &write, &bar);
            bar.finish_and_clear();
            // On a large course the index takes longer than the pages: say what the wait is.
            let waiting = match &bundle {
                Some(b) if !b.is_finished() => {
                    spinner(jobs.len(), "indexing {len} pages for search")
                }
                _ => ProgressBar::hidden(),
            };
            let bundle = bundle.map(|b| {
                b.join()
                    .unwrap_or_else(|_| Err(anyhow::anyhow!("the search indexer stopped")))
            });
            waiting.finish_and_clear();
            (count, bundle)
        });
        let count = count?;
        if let Some(staging) = staging {
            let bundle = bundle.transpose().map_err(WriteFailure::Io)?;
            self.write_extras(&staging, bundle.unwrap_or_default())
                .map_err(WriteFailure::Io)?;
            staging.commit().map_err(WriteFailure::Io)?;
        }
        Ok(count)
    }

    /// Renders the pages at `outputs` again and writes each into the existing site at `out`
    /// (one atomic rename per file: a browser never reads half a page).
    pub fn write_pages(
        &self,
        out: &Path,
        outputs: &HashSet<String>,
    ) -> Result<usize, WriteFailure> {
        let jobs: Vec<Job> = self
            .jobs()
            .into_iter()
            .filter(|job| outputs.contains(&self.job_output(job)))
            .collect();
        let write = |path: &str, html: &PageHtml<'_>| {
            output::write_atomic_with(out, path, |w| html.write_to(w))
        };
        self.render_jobs(&jobs, &write, &ProgressBar::hidden())
    }

    /// Indexes the course for search again and replaces `pagefind/` in the site at `out`
    /// (`serve` does this when a search needs it, not on every edit).
    pub fn write_search(&self, out: &Path) -> anyhow::Result<()> {
        use anyhow::Context;
        let bundle = self.search_bundle()?;
        let dir = out.join(crate::search::DIR);
        if dir.exists() {
            std::fs::remove_dir_all(&dir).with_context(|| format!("removing {}", dir.display()))?;
        }
        for (path, bytes) in bundle {
            output::write_atomic(out, &path, &bytes).with_context(|| format!("writing {path}"))?;
        }
        Ok(())
    }

    /// The search index of every page with a body: the home page, modules and lessons.
    fn search_bundle(&self) -> anyhow::Result<Vec<(String, Vec<u8>)>> {
        let course = &self.course;
        let title = crate::render::course_title(course, &self.config);
        fn doc<'a>(
            rendered: &'a HashMap<String, Rendered>,
            page: &'a Page,
            title: &'a str,
            module: Option<&'a str>,
        ) -> crate::search::Doc<'a> {
            crate::search::Doc {
                output: &page.output,
                title,
                module,
                html: rendered.get(&page.output).map_or("", |r| r.html.as_str()),
            }
        }
        let rendered = &self.rendered;
        let mut docs: Vec<crate::search::Doc<'_>> = Vec::new();
        docs.extend(course.index.iter().map(|p| doc(rendered, p, &title, None)));
        for module in &course.modules {
            let name = module.title_or(&title);
            docs.extend(
                module
                    .index
                    .iter()
                    .map(|p| doc(rendered, p, name, Some(name))),
            );
            docs.extend(
                module
                    .lessons
                    .iter()
                    .map(|l| doc(rendered, l, &l.title, Some(name))),
            );
        }
        crate::search::bundle(&docs, &self.config.book.language)
    }

    /// Re-reads the edited file at `path` and re-parses it.
    pub fn update(&mut self, path: &Path) -> Update {
        if path == self.root.join("book.toml") || path == self.root.join(crate::mkdocs::FILE) {
            return Update::Reload;
        }
        if path == results::file(&self.root) {
            return self.update_results();
        }
        if path.starts_with(self.root.join("themes")) {
            return match Theme::load(&self.root, &self.config.theme.name) {
                Ok(theme) => {
                    self.theme = theme;
                    self.theme_problems.clear();
                    Update::AllPages
                }
                Err(problems) => {
                    self.theme_problems = problems;
                    Update::Pages(HashSet::new())
                }
            };
        }
        let Ok(rel) = path.strip_prefix(&self.course.content_dir) else {
            return Update::Ignored;
        };
        let rel = rel.to_path_buf();
        let Some(old) = self.course.pages().find(|p| p.source == rel) else {
            let known_asset = self.course.assets.iter().any(|(src, _)| *src == rel);
            // A new lesson, folder or asset; a deleted asset. Anything else that is gone
            // already was an editor's temporary file.
            return if path.exists() || known_asset {
                Update::Reload
            } else {
                Update::Ignored
            };
        };
        if !path.exists() {
            return Update::Reload;
        }
        let is_lesson = self.course.lessons().any(|(_, l)| l.source == rel);
        let new = match content::read_one(
            &self.course.content_dir,
            &self.course.content_display,
            &rel,
            self.course.layout,
        ) {
            Err(problems) => {
                self.edit_problems.insert(rel, problems);
                return Update::Pages(HashSet::new());
            }
            Ok(None) => return Update::Reload, // now a draft
            Ok(Some(new)) => new,
        };
        self.edit_problems.remove(&rel);
        let front_changed = old.title != new.title
            || old.front.description != new.front.description
            || old.front.duration != new.front.duration
            || old.front.difficulty != new.front.difficulty;
        if old.front.weight != new.front.weight || (!is_lesson && front_changed) {
            return Update::Reload;
        }
        let output = old.output.clone();
        // The summary, not the file, places an mdBook chapter; `{{#title}}` is the file's.
        let chapter = old.chapter.clone().map(|meta| content::ChapterMeta {
            html_title: new.chapter.as_ref().and_then(|c| c.html_title.clone()),
            ..meta
        });
        let page = Page {
            output: output.clone(),
            chapter,
            ..new
        };
        let rendered = markdown::render(&page, &self.map, self.checks, &self.verified);
        let had_progress = self.has_progress();
        let progress_changed = self
            .rendered
            .get(&output)
            .is_none_or(|old| old.progress != rendered.progress);
        self.encoding
            .insert(output.clone(), encoding_warnings(&page));
        self.rendered.insert(output.clone(), rendered);
        if had_progress != self.has_progress() {
            self.replace_page(&rel, page);
            return Update::Reload; // the sidebar link to the progress page comes or goes
        }
        let mut outputs = HashSet::from([output.clone()]);
        if is_lesson {
            let mi = self.module_of(&rel).unwrap_or(0);
            let module = &self.course.modules[mi];
            if front_changed || progress_changed {
                outputs.extend(module.output());
                outputs.insert("index.html".into());
                outputs.insert("progress.html".into());
            }
            if front_changed {
                // The sidebar lists the module's lessons; neighbours link to it by title.
                outputs.extend(module.lessons.iter().map(|l| l.output.clone()));
                let flat: Vec<&str> = self
                    .course
                    .lessons()
                    .map(|(_, l)| l.output.as_str())
                    .collect();
                if let Some(n) = flat.iter().position(|o| *o == output) {
                    outputs.extend(n.checked_sub(1).map(|p| flat[p].to_string()));
                    outputs.extend(flat.get(n + 1).map(|s| s.to_string()));
                }
            }
        }
        self.replace_page(&rel, page);
        Update::Pages(outputs)
    }

    /// Reloads the verify results and re-renders the pages whose badges they change.
    fn update_results(&mut self) -> Update {
        let (verified, problem) = load_results(&self.root);
        self.verified_problem = problem;
        let old = std::mem::replace(&mut self.verified, verified);
        let changed: Vec<&Page> = self
            .course
            .pages()
            .filter(|p| {
                self.rendered.get(&p.output).is_some_and(|r| {
                    r.verify_keys
                        .iter()
                        .any(|k| old.get(k) != self.verified.get(k))
                })
            })
            .collect();
        let rendered: Vec<(String, Rendered)> = changed
            .par_iter()
            .map(|page| {
                let html = markdown::render(page, &self.map, self.checks, &self.verified);
                (page.output.clone(), html)
            })
            .collect();
        let outputs = rendered.iter().map(|(o, _)| o.clone()).collect();
        self.rendered.extend(rendered);
        Update::Pages(outputs)
    }

    fn replace_page(&mut self, rel: &Path, page: Page) {
        let slot = self
            .course
            .index
            .iter_mut()
            .chain(
                self.course
                    .modules
                    .iter_mut()
                    .flat_map(|m| m.index.iter_mut().chain(m.lessons.iter_mut())),
            )
            .find(|p| p.source == rel);
        if let Some(slot) = slot {
            *slot = page;
        }
    }

    fn module_of(&self, lesson: &Path) -> Option<usize> {
        self.course
            .modules
            .iter()
            .position(|m| m.lessons.iter().any(|l| l.source == lesson))
    }

    fn has_progress(&self) -> bool {
        self.rendered.values().any(|r| !r.progress.is_empty())
    }

    fn renderer(&self) -> Renderer<'_> {
        Renderer::new(&self.course, &self.config, &self.theme).with_progress(
            self.rendered
                .iter()
                .map(|(k, r)| (k.as_str(), r.progress.as_slice()))
                .collect(),
        )
    }

    fn jobs(&self) -> Vec<Job> {
        let mut jobs: Vec<Job> = vec![Job::Home, Job::NotFound, Job::Print];
        if self.has_progress() {
            jobs.push(Job::Progress);
        }
        for (mi, module) in self.course.modules.iter().enumerate() {
            if module.output().is_some() {
                jobs.push(Job::Module(mi));
            }
        }
        let mut n = 0;
        for (mi, module) in self.course.modules.iter().enumerate() {
            for li in 0..module.lessons.len() {
                jobs.push(Job::Lesson { mi, li, n });
                n += 1;
            }
        }
        jobs
    }

    fn job_output(&self, job: &Job) -> String {
        match *job {
            Job::Home => "index.html".into(),
            Job::NotFound => "404.html".into(),
            Job::Progress => "progress.html".into(),
            Job::Print => "print.html".into(),
            Job::Module(mi) => self.course.modules[mi].output().unwrap_or_default(),
            Job::Lesson { mi, li, .. } => self.course.modules[mi].lessons[li].output.clone(),
        }
    }

    /// Renders `jobs` in parallel with the theme, handing each page to `write`.
    fn render_jobs(
        &self,
        jobs: &[Job],
        write: &(dyn Fn(&str, &PageHtml<'_>) -> std::io::Result<()> + Sync),
        bar: &ProgressBar,
    ) -> Result<usize, WriteFailure> {
        let renderer = self.renderer();
        let course = &self.course;
        let lessons: Vec<&Page> = course.lessons().map(|(_, l)| l).collect();
        let empty = Rendered::default();
        let get = |page: &Page| self.rendered.get(&page.output).unwrap_or(&empty);
        let problems = Diagnostics::default();
        let io_error: std::sync::Mutex<Option<anyhow::Error>> = std::sync::Mutex::new(None);
        jobs.par_iter().for_each(|job| {
            let html = match *job {
                Job::Home => renderer
                    .home(course.index.as_ref().map(get))
                    .map(PageHtml::Whole),
                Job::NotFound => renderer.not_found().map(PageHtml::Whole),
                Job::Progress => renderer.progress_page().map(PageHtml::Whole),
                Job::Print => renderer.print_page(&get).map(PageHtml::Spliced),
                Job::Module(mi) => {
                    let m = &course.modules[mi];
                    renderer
                        .module(m, m.index.as_ref().map(get))
                        .map(PageHtml::Whole)
                }
                Job::Lesson { mi, li, n } => {
                    let m = &course.modules[mi];
                    let page = &m.lessons[li];
                    let prev = n.checked_sub(1).and_then(|p| lessons.get(p).copied());
                    let next = lessons.get(n + 1).copied();
                    renderer
                        .lesson(m, li, page, get(page), prev, next)
                        .map(PageHtml::Whole)
                }
            };
            bar.inc(1);
            match html {
                Ok(html) => {
                    let path = self.job_output(job);
                    if let Err(e) = write(&path, &html)
                        && let Ok(mut slot) = io_error.lock()
                    {
                        slot.get_or_insert(
                            anyhow::Error::new(e).context(format!("writing {path}")),
                        );
                    }
                }
                Err(d) => problems.push(d),
            }
        });
        let problems = problems.into_sorted();
        if !problems.is_empty() {
            return Err(WriteFailure::Content(problems));
        }
        if let Some(e) = io_error.into_inner().unwrap_or_else(|e| e.into_inner()) {
            return Err(WriteFailure::Io(e));
        }
        Ok(jobs.len())
    }

    /// Assets, theme files, the sitemap, the feed, the search bundle and the cards.
    fn write_extras(
        &self,
        staging: &Staging,
        search: Vec<(String, Vec<u8>)>,
    ) -> anyhow::Result<()> {
        use anyhow::Context;
        let course = &self.course;
        course.assets.par_iter().try_for_each(|(src, out)| {
            let from = course.content_dir.join(src);
            staging
                .copy(&from, out)
                .with_context(|| format!("copying {}", from.display()))
        })?;
        // mdBook's `additional-css` and `-js`, at the same paths as in the book's folder.
        let html = self.config.html().unwrap_or_default();
        for extra in html.additional_css.iter().chain(&html.additional_js) {
            let out = extra.to_string_lossy().replace('\\', "/");
            staging
                .copy(&self.root.join(extra), &out)
                .with_context(|| format!("copying {}", extra.display()))?;
        }
        for (rel, bytes) in &self.theme.statics {
            staging
                .write(&format!("static/{rel}"), bytes)
                .with_context(|| format!("writing static/{rel}"))?;
        }
        let mut paths = vec![String::new()];
        paths.extend(course.modules.iter().filter_map(|m| m.output()));
        paths.extend(course.lessons().map(|(_, l)| l.output.clone()));
        let site_base = self.config.build.site_base();
        let site_base = site_base.as_deref();
        staging
            .write("sitemap.xml", output::sitemap(site_base, &paths).as_bytes())
            .context("writing sitemap.xml")?;
        let updated = crate::share::updated(course);
        let title = crate::render::course_title(course, &self.config);
        let key = crate::render::course_key(&title);
        let feed = crate::share::atom(&title, site_base, &key, course, &updated);
        staging
            .write("atom.xml", feed.as_bytes())
            .context("writing atom.xml")?;
        search.par_iter().try_for_each(|(path, bytes)| {
            staging
                .write(path, bytes)
                .with_context(|| format!("writing {path}"))
        })?;
        // Cards are for links shared elsewhere, which need the site's address.
        if site_base.is_some() {
            course
                .lessons()
                .collect::<Vec<_>>()
                .par_iter()
                .try_for_each(|(m, l)| {
                    let module = m.title_or(&title);
                    let svg = crate::share::card_svg(&title, module, &l.title, l.front.duration);
                    let png = crate::share::card(&svg)
                        .with_context(|| format!("drawing the card of {}", l.display.display()))?;
                    let path = crate::share::card_path(&l.output);
                    staging
                        .write(&path, &png)
                        .with_context(|| format!("writing {path}"))
                })?;
        }
        Ok(())
    }
}

enum Job {
    Home,
    NotFound,
    Progress,
    /// The whole course on one page.
    Print,
    Module(usize),
    Lesson {
        mi: usize,
        li: usize,
        n: usize,
    },
}

/// A question id keys the learner's saved progress, so it must be unique in the course.
fn duplicate_quiz_ids(pages: &[(&Page, &Rendered)]) -> Vec<Diagnostic> {
    let mut first: HashMap<&str, (&Page, usize)> = HashMap::new();
    let mut problems = Vec::new();
    for (page, r) in pages {
        for (id, span) in &r.quiz_ids {
            match first.get(id.as_str()) {
                None => {
                    first.insert(id, (page, span.start));
                }
                Some((other, at)) => {
                    let (line, column) = other.line_col_at(*at);
                    problems.push(
                        Diagnostic::error(format!("quiz: question id `{id}` is used twice in the course"))
                            .at_page(page, span.clone())
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

/// The last verify run's results; a file that cannot be read is a warning, never a failed
/// build: the site is built without badges.
fn load_results(root: &Path) -> (Results, Option<Diagnostic>) {
    match results::load(root) {
        Ok(verified) => (verified, None),
        Err(message) => (
            Results::new(),
            Some(Diagnostic::warning(message).help(
                "the site is built without verify badges; run `coursebook verify` to write the file again",
            )),
        ),
    }
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
            .at_page(page, f.byte_range.clone());
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

/// A spinner with `message` (`{len}` is `len`) for work that reports no progress of its own,
/// shown where [`progress_bar`] would be.
fn spinner(len: usize, message: &str) -> ProgressBar {
    if !shows_progress(len) {
        return ProgressBar::hidden();
    }
    let spinner = ProgressBar::new(len as u64);
    if let Ok(style) = ProgressStyle::with_template(&format!("{{spinner}} {message} {{elapsed}}")) {
        spinner.set_style(style);
    }
    spinner.enable_steady_tick(std::time::Duration::from_millis(120));
    spinner
}

/// Progress is shown for work on 200 pages or more, on a terminal.
fn shows_progress(len: usize) -> bool {
    len >= 200 && std::io::stderr().is_terminal()
}

fn progress_bar(len: usize) -> ProgressBar {
    if !shows_progress(len) {
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
