//! Render: the template stage. Turns the course and each page's HTML into complete pages with
//! the theme's tera templates. All URLs in the context are relative to the page being
//! rendered, so `public/` works from any sub-path and straight from the file system.

use std::collections::HashMap;

use serde::Serialize;
use tera::Context;

use crate::config::{Config, HtmlOutput, TextDirection};
use crate::content::{Course, Layout, Module, Page};
use crate::diagnostics::Diagnostic;
use crate::links::{relative_url, root_prefix};
use crate::markdown::{Rendered, TocEntry};
use crate::theme::{Theme, error_chain};

#[derive(Serialize)]
struct SiteCtx<'a> {
    title: &'a str,
    description: &'a str,
    authors: &'a [String],
    language: &'a str,
    direction: &'a str,
    /// Namespaces the learner's saved progress, so courses on one origin never mix.
    key: &'a str,
    /// True when some lesson has a quiz or checklist (the theme links the progress page).
    has_progress: bool,
    /// The site has full-text search (`pagefind/`): the theme shows a search button.
    search: bool,
    /// The course's repository (mdBook's `git-repository-url`), linked from the header.
    repository: Option<String>,
    /// Extra style sheets and scripts (mdBook's `additional-css`/`-js`), from the site root.
    extra_css: Vec<String>,
    extra_js: Vec<String>,
}

#[derive(Serialize)]
struct NavModule {
    title: String,
    url: String,
    duration: u32,
    current: bool,
    /// False for a run of an mdBook book's chapters outside any part: no heading is shown.
    heading: bool,
    /// Filled for the current module only: the sidebar of a 10,000-lesson course must not put
    /// every lesson on every page.
    lessons: Vec<NavLesson>,
    /// A link standing for the modules the sidebar leaves out ("12 later modules").
    more: bool,
}

#[derive(Serialize)]
struct NavLesson {
    title: String,
    /// Empty for an mdBook draft chapter, which has no page.
    url: String,
    duration: Option<u32>,
    current: bool,
    /// An mdBook chapter's nesting (0 at the top) and number (`2.1.`).
    depth: u8,
    number: Option<String>,
    /// An MkDocs nav section's title over the chapters nested under it.
    section: bool,
    /// A link standing for the lessons the sidebar leaves out ("48 earlier lessons").
    more: bool,
}

/// How many modules, and lessons of the open module, the sidebar shows either side of the
/// current one when there are too many to show them all.
const NAV_WINDOW: usize = 50;

/// The items of a list of `len` that the sidebar shows around item `at`: all of them when the
/// list is short, else `NAV_WINDOW` either side. Every page's sidebar then has a bounded size,
/// so the site grows linearly with the course (a sidebar listing every chapter on every page
/// made mdBook's output grow with the square of its size: rust-lang/mdBook#1931).
fn window(len: usize, at: usize) -> std::ops::Range<usize> {
    let shown = 2 * NAV_WINDOW + 1;
    if len <= shown {
        return 0..len;
    }
    let start = at.saturating_sub(NAV_WINDOW).min(len - shown);
    start..start + shown
}

/// Paths from the book's root as URL paths.
fn web_paths(paths: &[std::path::PathBuf]) -> Vec<String> {
    paths
        .iter()
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .collect()
}

/// "1 earlier lesson", "48 later modules".
fn more(count: usize, side: &str, what: &str) -> String {
    let plural = if count == 1 { "" } else { "s" };
    format!("{count} {side} {what}{plural}")
}

#[derive(Serialize)]
struct LinkCtx {
    title: String,
    url: String,
}

#[derive(Serialize)]
struct LessonCtx<'a> {
    title: &'a str,
    description: Option<&'a str>,
    duration: Option<u32>,
    difficulty: Option<&'a str>,
    objectives: &'a [String],
    content_html: &'a str,
    toc: &'a [TocEntry],
    title_html: Option<&'a str>,
}

#[derive(Serialize)]
struct ModuleSummary<'a> {
    title: &'a str,
    description: Option<&'a str>,
    url: String,
    lesson_count: usize,
    duration: u32,
    /// Space-separated keys of everything the learner can complete in the module.
    progress: String,
}

#[derive(Serialize)]
struct LessonSummary<'a> {
    title: &'a str,
    description: Option<&'a str>,
    url: String,
    duration: Option<u32>,
    difficulty: Option<&'a str>,
    /// Space-separated keys of everything the learner can complete in the lesson.
    progress: String,
}

/// A rendered page, ready to be written: whole, or the print page, whose lesson bodies are
/// put in as it is written.
pub enum PageHtml<'a> {
    Whole(String),
    Spliced(crate::print::Spliced<'a>),
}

impl PageHtml<'_> {
    pub fn write_to(&self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        match self {
            PageHtml::Whole(html) => out.write_all(html.as_bytes()),
            PageHtml::Spliced(page) => page.write_to(out),
        }
    }
}

/// Everything the templates need that is the same for every page.
pub struct Renderer<'a> {
    pub course: &'a Course,
    pub config: &'a Config,
    /// mdBook's `[output.html]` settings that apply (repository, edit link, extra files).
    pub html: HtmlOutput,
    pub theme: &'a Theme,
    pub title: String,
    pub description: String,
    pub key: String,
    /// Progress keys (quiz questions, checklist items) of each page, by output path.
    pub progress: HashMap<&'a str, &'a [String]>,
    has_progress: bool,
}

/// The course title: `book.toml`, then the course `_index.md`, then a neutral default.
pub fn course_title(course: &Course, config: &Config) -> String {
    config
        .book
        .title
        .clone()
        .or_else(|| course.index.as_ref().map(|p| p.title.clone()))
        .unwrap_or_else(|| "Course".into())
}

/// The course's key: namespaces the learner's saved progress, and names the feed.
pub fn course_key(title: &str) -> String {
    match crate::slug::github_slug(title) {
        k if k.is_empty() => "course".to_string(),
        k => k,
    }
}

impl<'a> Renderer<'a> {
    pub fn new(course: &'a Course, config: &'a Config, theme: &'a Theme) -> Self {
        let description = config
            .book
            .description
            .clone()
            .or_else(|| {
                course
                    .index
                    .as_ref()
                    .and_then(|p| p.front.description.clone())
            })
            .unwrap_or_default();
        let title = course_title(course, config);
        let key = course_key(&title);
        Renderer {
            course,
            config,
            // `Config::parse` has already checked the table's types.
            html: config.html().unwrap_or_default(),
            theme,
            title,
            description,
            key,
            progress: HashMap::new(),
            has_progress: false,
        }
    }

    /// What the learner can complete on each page, for module, home and progress pages.
    pub fn with_progress(mut self, progress: HashMap<&'a str, &'a [String]>) -> Self {
        self.has_progress = progress.values().any(|k| !k.is_empty());
        self.progress = progress;
        self
    }

    fn lesson_progress(&self, lesson: &Page) -> String {
        self.progress
            .get(lesson.output.as_str())
            .map(|keys| keys.join(" "))
            .unwrap_or_default()
    }

    fn module_progress(&self, module: &Module) -> String {
        let keys: Vec<String> = module
            .lessons
            .iter()
            .map(|l| self.lesson_progress(l))
            .filter(|k| !k.is_empty())
            .collect();
        keys.join(" ")
    }

    /// Whether any page has a quiz or checklist (computed once: every page asks).
    pub fn has_progress(&self) -> bool {
        self.has_progress
    }

    fn base(
        &self,
        output: &str,
        current_module: Option<&Module>,
        page_title: &str,
        description: &str,
    ) -> Context {
        let mut ctx = Context::new();
        let direction = match self.config.book.text_direction {
            Some(TextDirection::Rtl) => "rtl",
            _ => "ltr",
        };
        ctx.insert(
            "site",
            &SiteCtx {
                title: &self.title,
                description: &self.description,
                authors: &self.config.book.authors,
                language: &self.config.book.language,
                direction,
                key: &self.key,
                has_progress: self.has_progress(),
                search: self.config.build.search(),
                repository: self.html.git_repository_url.clone(),
                extra_css: web_paths(&self.html.additional_css),
                extra_js: web_paths(&self.html.additional_js),
            },
        );
        ctx.insert("root", &root_prefix(output));
        ctx.insert("nav", &self.nav(output, current_module));
        ctx.insert("page_title", page_title);
        ctx.insert("description", description);
        // Open Graph and canonical links need absolute addresses: only with `site-url`.
        if let Some(base) = self.config.build.site_base() {
            let path = if output == "index.html" { "" } else { output };
            ctx.insert(
                "canonical",
                &crate::html::escape_attr(&format!("{base}{path}")),
            );
        }
        ctx
    }

    fn nav(&self, output: &str, current: Option<&Module>) -> Vec<NavModule> {
        let modules = &self.course.modules;
        let url_of = |m: &Module| {
            let first = m
                .lessons
                .first()
                .map(|l| l.output.as_str())
                .unwrap_or("index.html");
            relative_url(output, m.output().as_deref().unwrap_or(first))
        };
        let at = current
            .and_then(|c| modules.iter().position(|m| m.source_dir == c.source_dir))
            .unwrap_or(0);
        let shown = window(modules.len(), at);
        let mut nav = Vec::new();
        let more_modules = |i: usize, count: usize, side: &str| NavModule {
            title: more(count, side, "module"),
            url: url_of(&modules[i]),
            duration: 0,
            current: false,
            heading: true,
            lessons: Vec::new(),
            more: true,
        };
        if shown.start > 0 {
            nav.push(more_modules(shown.start - 1, shown.start, "earlier"));
        }
        for m in &modules[shown.clone()] {
            let is_current = current.is_some_and(|c| c.source_dir == m.source_dir);
            let lessons = if is_current || m.slug.is_empty() {
                self.nav_lessons(output, m)
            } else {
                Vec::new()
            };
            nav.push(NavModule {
                title: m.title_or("Lessons").to_string(),
                url: url_of(m),
                duration: m.duration(),
                current: is_current,
                heading: !m.untitled,
                lessons,
                more: false,
            });
        }
        if shown.end < modules.len() {
            nav.push(more_modules(shown.end, modules.len() - shown.end, "later"));
        }
        nav
    }

    /// The open module's lessons in the sidebar, around the current one.
    fn nav_lessons(&self, output: &str, m: &Module) -> Vec<NavLesson> {
        let lessons = &m.lessons;
        let at = lessons.iter().position(|l| l.output == output).unwrap_or(0);
        let shown = window(lessons.len(), at);
        let more_lessons = |i: usize, count: usize, side: &str| NavLesson {
            title: more(count, side, "lesson"),
            url: relative_url(output, &lessons[i].output),
            duration: None,
            current: false,
            depth: 0,
            number: None,
            section: false,
            more: true,
        };
        let drafts_before = |i: usize| {
            m.drafts
                .iter()
                .filter(move |d| d.before == i)
                .map(|d| NavLesson {
                    title: d.title.clone(),
                    url: String::new(),
                    duration: None,
                    current: false,
                    depth: d.depth,
                    number: d.number.clone(),
                    section: d.section,
                    more: false,
                })
        };
        let mut nav = Vec::new();
        if shown.start > 0 {
            nav.push(more_lessons(shown.start - 1, shown.start, "earlier"));
        }
        for (i, l) in lessons.iter().enumerate().take(shown.end).skip(shown.start) {
            nav.extend(drafts_before(i));
            nav.push(NavLesson {
                title: l.nav_title().to_string(),
                url: relative_url(output, &l.output),
                duration: l.front.duration,
                current: l.output == output,
                depth: l.chapter.as_ref().map_or(0, |c| c.depth),
                number: l.chapter.as_ref().and_then(|c| c.number.clone()),
                section: false,
                more: false,
            });
        }
        if shown.end == lessons.len() {
            nav.extend(drafts_before(lessons.len()));
        }
        if shown.end < lessons.len() {
            nav.push(more_lessons(shown.end, lessons.len() - shown.end, "later"));
        }
        nav
    }

    fn render(
        &self,
        template: &str,
        ctx: &Context,
        page: Option<&Page>,
    ) -> Result<String, Diagnostic> {
        self.theme.tera.render(template, ctx).map_err(|e| {
            let d = Diagnostic::error(format!("template `{template}` failed: {}", error_chain(&e)));
            match page {
                Some(p) => d.in_file(&p.display),
                None => d,
            }
        })
    }

    pub fn home(&self, rendered: Option<&Rendered>) -> Result<String, Diagnostic> {
        let output = "index.html";
        let mut ctx = self.base(output, None, &self.title, &self.description);
        let modules: Vec<ModuleSummary> = self
            .course
            .modules
            .iter()
            .map(|m| ModuleSummary {
                title: &m.title,
                description: m.description.as_deref(),
                url: relative_url(
                    output,
                    &m.output().unwrap_or_else(|| {
                        m.lessons
                            .first()
                            .map(|l| l.output.clone())
                            .unwrap_or_default()
                    }),
                ),
                lesson_count: m.lessons.len(),
                duration: m.duration(),
                progress: self.module_progress(m),
            })
            .collect();
        let lesson_count: usize = self.course.modules.iter().map(|m| m.lessons.len()).sum();
        let duration: u32 = self.course.modules.iter().map(Module::duration).sum();
        ctx.insert(
            "course",
            &serde_json::json!({
                "intro_html": rendered.map(|r| r.html.as_str()).unwrap_or(""),
                "modules": modules,
                "lesson_count": lesson_count,
                "duration": duration,
            }),
        );
        ctx.insert("quiz_js", &self.has_progress());
        // Feed readers find the feed from the home page.
        ctx.insert("feed", &true);
        self.render("index.html", &ctx, self.course.index.as_ref())
    }

    pub fn module(
        &self,
        module: &Module,
        rendered: Option<&Rendered>,
    ) -> Result<String, Diagnostic> {
        let output = module.output().unwrap_or_default();
        let title = format!("{} · {}", module.title, self.title);
        let description = module.description.as_deref().unwrap_or_default();
        let mut ctx = self.base(&output, Some(module), &title, description);
        let lessons: Vec<LessonSummary> = module
            .lessons
            .iter()
            .map(|l| LessonSummary {
                title: &l.title,
                description: l.front.description.as_deref(),
                url: relative_url(&output, &l.output),
                duration: l.front.duration,
                difficulty: l.front.difficulty.as_deref(),
                progress: self.lesson_progress(l),
            })
            .collect();
        ctx.insert(
            "module",
            &serde_json::json!({
                "title": module.title,
                "description": module.description,
                "intro_html": rendered.map(|r| r.html.as_str()).unwrap_or(""),
                "url": "index.html",
                "duration": module.duration(),
                "lessons": lessons,
            }),
        );
        ctx.insert("quiz_js", &!self.module_progress(module).is_empty());
        self.render("module.html", &ctx, module.index.as_ref())
    }

    pub fn lesson(
        &self,
        module: &Module,
        index: usize,
        lesson: &Page,
        rendered: &Rendered,
        prev: Option<&Page>,
        next: Option<&Page>,
    ) -> Result<String, Diagnostic> {
        let output = &lesson.output;
        let title = match lesson
            .chapter
            .as_ref()
            .and_then(|c| c.html_title.as_deref())
        {
            Some(title) => title.to_string(),
            None => format!("{} · {}", lesson.title, module.title_or(&self.title)),
        };
        let description = lesson.front.description.as_deref().unwrap_or_default();
        let mut ctx = self.base(output, Some(module), &title, description);
        ctx.insert(
            "lesson",
            &LessonCtx {
                title: &lesson.title,
                description: lesson.front.description.as_deref(),
                duration: lesson.front.duration,
                difficulty: lesson.front.difficulty.as_deref(),
                objectives: &lesson.front.objectives,
                content_html: &rendered.html,
                toc: &rendered.toc,
                title_html: rendered.title_html.as_deref(),
            },
        );
        match &lesson.chapter {
            Some(chapter) => {
                if let Some(number) = &chapter.number {
                    ctx.insert("chapter_number", number);
                }
            }
            None => ctx.insert("lesson_number", &(index + 1)),
        }
        if let Some(template) = &self.html.edit_url_template {
            let path = lesson.source.to_string_lossy().replace('\\', "/");
            ctx.insert("edit_url", &template.replace("{path}", &path));
        }
        ctx.insert(
            "quiz_js",
            &rendered.progress.iter().any(|k| k.starts_with("q:")),
        );
        // A part of an mdBook book has no page of its own: its first chapter stands for it.
        let module_url = module.output().unwrap_or_else(|| {
            let first = (self.course.layout == Layout::MdBook)
                .then(|| module.lessons.first())
                .flatten();
            first.map_or_else(|| "index.html".to_string(), |l| l.output.clone())
        });
        ctx.insert(
            "module",
            &LinkCtx {
                // A run of mdBook chapters outside any part has no title of its own.
                title: if module.untitled {
                    String::new()
                } else {
                    module.title_or(&self.title).to_string()
                },
                url: relative_url(output, &module_url),
            },
        );
        let link = |p: Option<&Page>| {
            p.map(|p| LinkCtx {
                title: p.nav_title().to_string(),
                url: relative_url(output, &p.output),
            })
        };
        ctx.insert("prev", &link(prev));
        ctx.insert("next", &link(next));
        if let Some(base) = self.config.build.site_base() {
            let url = format!("{base}{}", crate::share::card_path(output));
            ctx.insert("card", &crate::html::escape_attr(&url));
        }
        self.render("lesson.html", &ctx, Some(lesson))
    }

    /// The whole course on one page (`print.html`): every lesson's body, in order, under
    /// its module ([`crate::print`] keeps ids unique and links inside the page).
    pub fn print_page(
        &self,
        rendered: &dyn Fn(&Page) -> &'a Rendered,
    ) -> Result<crate::print::Spliced<'a>, Diagnostic> {
        let output = "print.html";
        let mut ctx = self.base(
            output,
            None,
            &format!("{} (the whole course)", self.title),
            &self.description,
        );
        let lessons: std::collections::HashSet<String> = self
            .course
            .lessons()
            .map(|(_, l)| l.output.clone())
            .collect();
        // The template gets a placeholder for each body; the bodies go in as the page is
        // written (see `print::Spliced`).
        let marker = crate::print::Spliced::marker();
        let mut bodies: Vec<(&'a str, &'a str)> = Vec::new();
        let course: &'a Course = self.course;
        let modules: Vec<serde_json::Value> = course
            .modules
            .iter()
            .filter(|m| !m.lessons.is_empty())
            .map(|m| {
                let id = format!("module-{}", m.slug.replace('/', "-"));
                let lessons: Vec<serde_json::Value> = m
                    .lessons
                    .iter()
                    .map(|l| {
                        bodies.push((rendered(l).html.as_str(), l.output.as_str()));
                        serde_json::json!({
                            "title": l.title,
                            "id": crate::print::prefix(&l.output),
                            "duration": l.front.duration,
                            "html": crate::print::Spliced::placeholder(&marker, bodies.len() - 1),
                        })
                    })
                    .collect();
                serde_json::json!({
                    "title": m.title_or(&self.title),
                    "id": id,
                    "lessons": lessons,
                })
            })
            .collect();
        ctx.insert("modules", &modules);
        let skeleton = self.render("print.html", &ctx, None)?;
        Ok(crate::print::Spliced::new(
            skeleton, marker, bodies, lessons,
        ))
    }

    /// The learner's progress through every lesson that has a quiz or a checklist.
    pub fn progress_page(&self) -> Result<String, Diagnostic> {
        let output = "progress.html";
        let mut ctx = self.base(output, None, &format!("Your progress · {}", self.title), "");
        let modules: Vec<serde_json::Value> = self
            .course
            .modules
            .iter()
            .filter(|m| !self.module_progress(m).is_empty())
            .map(|m| {
                let lessons: Vec<serde_json::Value> = m
                    .lessons
                    .iter()
                    .filter(|l| !self.lesson_progress(l).is_empty())
                    .map(|l| {
                        serde_json::json!({
                            "title": l.title,
                            "url": relative_url(output, &l.output),
                            "progress": self.lesson_progress(l),
                        })
                    })
                    .collect();
                serde_json::json!({
                    "title": m.title_or("Lessons"),
                    "progress": self.module_progress(m),
                    "lessons": lessons,
                })
            })
            .collect();
        ctx.insert("modules", &modules);
        ctx.insert("quiz_js", &true);
        self.render("progress.html", &ctx, None)
    }

    pub fn not_found(&self) -> Result<String, Diagnostic> {
        let mut ctx = self.base(
            "404.html",
            None,
            &format!("Page not found · {}", self.title),
            "",
        );
        // 404.html is served at any depth, so relative links cannot work there.
        let build = &self.config.build;
        let root = match (build.site_base(), build.base_path.as_deref()) {
            (Some(base), _) => base,
            (None, Some(path)) => format!("/{}/", path.trim_matches('/')).replace("//", "/"),
            (None, None) => "/".into(),
        };
        ctx.insert("root", &root);
        let nav: Vec<NavModule> = self
            .nav("index.html", None)
            .into_iter()
            .map(|mut m| {
                m.url = format!("{root}{}", m.url);
                m
            })
            .collect();
        ctx.insert("nav", &nav);
        self.render("404.html", &ctx, None)
    }
}
