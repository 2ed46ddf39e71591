//! Snippets: the fenced blocks a lesson tags for `verify` (`sh {verify timeout=60s}`), with
//! their attributes checked and their position kept for reports.

use std::path::PathBuf;
use std::time::Duration;

use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};

use crate::config::closest;
use crate::content::{AtPage, Page};
use crate::diagnostics::Diagnostic;
use crate::markdown::{fence_language, options, verify_attrs};

/// How a snippet is run and judged.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// A shell script: passes when it exits with the expected code.
    Script,
    /// A terminal session: each `$ ` command's output and exit code are matched.
    Console,
    /// A file written into the session's working folder (`file=NAME`), not run. A Dockerfile
    /// is also built, with that folder as its context, before the session's next command.
    File(String),
    /// The output of running an image built earlier in the session (`run=TAG`) with its own
    /// command, matched like a console transcript's output.
    Output(String),
}

#[derive(Debug, Clone)]
pub struct Snippet {
    /// The lesson, as shown to the author.
    pub path: PathBuf,
    /// The line of the opening fence (1-based).
    pub line: usize,
    pub lang: String,
    pub code: String,
    pub kind: Kind,
    pub image: Option<String>,
    pub timeout: Option<Duration>,
    pub exit: i64,
    pub skip: Option<String>,
    pub session: Option<String>,
    pub net: bool,
    pub env: Vec<String>,
    pub workdir: Option<String>,
    /// A Dockerfile's image name for later blocks of its session (`tag=`; the session's name
    /// by default).
    pub tag: Option<String>,
    /// `tag=` was written (not the session's name by default): in a docker session, only
    /// then is the Dockerfile built for the lesson.
    pub tag_given: bool,
    /// Set when `image=` names an image built earlier in the session: the block runs in a
    /// container of that image.
    pub built: Option<String>,
    /// Runs docker commands (`{verify docker}`): in the runner, behind the scoping proxy.
    pub docker: bool,
}

impl Snippet {
    pub fn name(&self) -> String {
        format!("{}:{}", self.path.display(), self.line)
    }

    /// Whether this block is a Dockerfile to build: a `file=` block whose language or file
    /// name says so (`Dockerfile`, `app.Dockerfile`, `Containerfile`).
    pub fn is_dockerfile(&self) -> bool {
        let Kind::File(name) = &self.kind else {
            return false;
        };
        let base = name.rsplit('/').next().unwrap_or(name).to_ascii_lowercase();
        matches!(
            self.lang.to_ascii_lowercase().as_str(),
            "dockerfile" | "containerfile"
        ) || base.starts_with("dockerfile")
            || base.starts_with("containerfile")
            || base.ends_with(".dockerfile")
    }
}

const KEYS: &[&str] = &[
    "image", "timeout", "exit", "skip", "session", "file", "net", "env", "workdir", "tag", "run",
    "docker",
];

/// The tagged snippets of `page`, or the problems with their tags.
pub fn extract(page: &Page) -> (Vec<Snippet>, Vec<Diagnostic>) {
    let mut snippets = Vec::new();
    let mut spans = Vec::new();
    let mut problems = Vec::new();
    if let Some(timeout) = &page.front.verify.timeout
        && parse_duration(timeout).is_none()
    {
        let at = page.text.find(timeout.as_str()).unwrap_or(0);
        problems.push(
            Diagnostic::error(format!(
                "`verify.timeout = \"{timeout}\"` is not a duration"
            ))
            .at_page(page, at..at + timeout.len())
            .label("in the front matter")
            .help("write seconds or minutes, such as \"60s\" or \"2m\""),
        );
    }
    // Snippets inside Material's admonitions and tabs run too, dedented; `material.original`
    // maps their places back to the page.
    let material = crate::material::rewrite(page.body());
    let mut parser = Parser::new_ext(&material.text, options()).into_offset_iter();
    while let Some((event, range)) = parser.next() {
        let Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) = event else {
            continue;
        };
        let mut code = String::new();
        for (e, _) in parser.by_ref() {
            match e {
                Event::Text(t) => code.push_str(&t),
                Event::End(TagEnd::CodeBlock) => break,
                _ => {}
            }
        }
        let start = page.body_offset + material.original(range.start);
        if fence_language(&info) == "quiz" {
            let skip = verify_attrs(&info).and_then(|attrs| {
                attrs.iter().find_map(|a| {
                    a.strip_prefix("skip")
                        .map(|r| r.trim_start_matches('=').to_string())
                })
            });
            let fence_line = page.line_at(start);
            snippets.extend(quiz_outputs(page, fence_line, &code, skip));
            continue;
        }
        let Some(attrs) = verify_attrs(&info) else {
            continue;
        };
        let line = page.line_at(start);
        let fence_end = page.text[start..]
            .find('\n')
            .map_or(page.text.len(), |i| start + i);
        let at = |message: String| Diagnostic::error(message).at_page(page, start..fence_end);
        match snippet(page, line, &fence_language(&info), code, &attrs) {
            Ok(s) => {
                snippets.push(s);
                spans.push(start..fence_end);
            }
            Err((message, help)) => problems.push(at(message).label("in this tag").help(help)),
        }
    }
    for (i, message, help) in link_builds(&mut snippets) {
        let span = spans.get(i).cloned().unwrap_or(0..0);
        problems.push(
            Diagnostic::error(message)
                .at_page(page, span)
                .label("in this tag")
                .help(help),
        );
    }
    (snippets, problems)
}

/// Connects `image=` and `run=` to the Dockerfile blocks of the same session that build them,
/// and names the blocks that ask for an image no earlier block builds.
fn link_builds(snippets: &mut [Snippet]) -> Vec<(usize, String, String)> {
    let mut problems = Vec::new();
    for i in 0..snippets.len() {
        let (before, rest) = snippets.split_at_mut(i);
        let s = &mut rest[0];
        let built_here = |name: &str| {
            before.iter().any(|b| {
                b.session.is_some()
                    && b.session == s.session
                    && b.is_dockerfile()
                    && b.tag.as_deref() == Some(name)
            })
        };
        if let Some(image) = &s.image
            && built_here(image)
        {
            s.built = Some(image.clone());
        }
        if let Kind::Output(name) = &s.kind
            && s.skip.is_none()
            && !built_here(name)
        {
            let help = match &s.session {
                Some(session) => format!(
                    "build it first in session `{session}`: a Dockerfile block with `file=Dockerfile session={session} tag={name}`"
                ),
                None => format!(
                    "`run=` runs an image built earlier in the same session: add `session=NAME` here and to the Dockerfile block tagged `{name}`"
                ),
            };
            problems.push((
                i,
                format!("`run={name}` names no image built earlier in this lesson"),
                help,
            ));
        }
    }
    problems
}

/// The `output` questions of a quiz ("what does this command print?"), as console snippets,
/// so the answer key is proven against a real container. A quiz that does not parse is left to
/// the build to report.
fn quiz_outputs(page: &Page, fence_line: usize, code: &str, skip: Option<String>) -> Vec<Snippet> {
    let Ok(quiz) = crate::quiz::check::parse(code) else {
        return Vec::new();
    };
    quiz.questions
        .iter()
        .filter_map(|q| match &q.body {
            crate::quiz::check::Body::Output { command, output } => Some(Snippet {
                path: page.display.clone(),
                line: fence_line
                    + 1
                    + code[..q.id_span.start.min(code.len())]
                        .matches('\n')
                        .count(),
                lang: "quiz".into(),
                code: format!("$ {command}\n{output}\n"),
                kind: Kind::Console,
                image: page.front.verify.image.clone(),
                timeout: page
                    .front
                    .verify
                    .timeout
                    .as_deref()
                    .and_then(parse_duration),
                exit: 0,
                skip: skip
                    .clone()
                    .map(|s| if s.is_empty() { "skipped".into() } else { s }),
                session: None,
                net: page.front.verify.net,
                env: page.front.verify.env.clone(),
                workdir: page.front.verify.workdir.clone(),
                tag: None,
                tag_given: false,
                built: None,
                docker: false,
            }),
            _ => None,
        })
        .collect()
}

fn snippet(
    page: &Page,
    line: usize,
    lang: &str,
    code: String,
    attrs: &[String],
) -> Result<Snippet, (String, String)> {
    let kind = match lang {
        lang if is_console(lang) => Kind::Console,
        "sh" | "bash" | "shell" | "zsh" => Kind::Script,
        _ => Kind::File(String::new()),
    };
    let defaults = &page.front.verify;
    let mut s = Snippet {
        path: page.display.clone(),
        line,
        lang: lang.to_string(),
        code,
        kind,
        image: defaults.image.clone(),
        timeout: defaults.timeout.as_deref().and_then(parse_duration),
        exit: 0,
        skip: None,
        session: None,
        net: defaults.net,
        env: defaults.env.clone(),
        workdir: defaults.workdir.clone(),
        tag: None,
        tag_given: false,
        built: None,
        docker: false,
    };
    for attr in attrs {
        let (key, value) = match attr.split_once('=') {
            Some((k, v)) => (k, Some(v.to_string())),
            None => (attr.as_str(), None),
        };
        let need = |v: Option<String>| {
            v.filter(|v| !v.is_empty()).ok_or_else(|| {
                (
                    format!("`{key}` needs a value"),
                    format!("write `{key}=...`"),
                )
            })
        };
        match key {
            "image" => s.image = Some(need(value)?),
            "timeout" => {
                let v = need(value)?;
                s.timeout = Some(parse_duration(&v).ok_or_else(|| {
                    (
                        format!("`timeout={v}` is not a duration"),
                        "write seconds or minutes, such as `timeout=60s` or `timeout=2m`"
                            .to_string(),
                    )
                })?);
            }
            "exit" => {
                let v = need(value)?;
                s.exit = v.parse().map_err(|_| {
                    (
                        format!("`exit={v}` is not an exit code"),
                        "write a number, such as `exit=1`".to_string(),
                    )
                })?;
            }
            "skip" => s.skip = Some(value.unwrap_or_else(|| "skipped".into())),
            "session" => s.session = Some(need(value)?),
            "file" => s.kind = Kind::File(need(value)?),
            "net" => s.net = true,
            "env" => s.env.push(need(value)?),
            "workdir" => s.workdir = Some(need(value)?),
            "tag" => s.tag = Some(need(value)?),
            "run" => s.kind = Kind::Output(need(value)?),
            "docker" => s.docker = true,
            other => {
                let help = match closest(other, KEYS) {
                    Some(best) => format!("did you mean `{best}`?"),
                    None => format!("verify takes {}", KEYS.join(", ")),
                };
                return Err((format!("unknown verify setting `{other}`"), help));
            }
        }
    }
    if s.kind == Kind::File(String::new())
        && matches!(
            lang.to_ascii_lowercase().as_str(),
            "dockerfile" | "containerfile"
        )
    {
        s.kind = Kind::File("Dockerfile".into());
    }
    if s.tag.is_some() && !s.is_dockerfile() {
        return Err((
            "`tag` names the image a Dockerfile block builds".to_string(),
            "put it on a `dockerfile` block with `file=Dockerfile`, or remove it".to_string(),
        ));
    }
    s.tag_given = s.tag.is_some();
    if s.is_dockerfile() && s.tag.is_none() {
        s.tag = s.session.clone();
    }
    if s.kind == Kind::File(String::new()) && s.skip.is_none() {
        return Err((
            format!("a `{lang}` block cannot run by itself"),
            "give it `file=NAME` to write it into a session's folder, or use a `sh` or `console` block"
                .to_string(),
        ));
    }
    Ok(s)
}

/// Whether a fence's language is a terminal transcript (`$ ` commands and their output).
pub fn is_console(lang: &str) -> bool {
    matches!(lang, "console" | "shell-session" | "terminal")
}

/// `30s`, `2m`, `500ms`, or a bare number of seconds.
pub fn parse_duration(text: &str) -> Option<Duration> {
    let (number, unit) = match text.find(|c: char| !c.is_ascii_digit() && c != '.') {
        Some(i) => text.split_at(i),
        None => (text, "s"),
    };
    let n: f64 = number.parse().ok()?;
    let secs = match unit {
        "ms" => n / 1000.0,
        "s" => n,
        "m" => n * 60.0,
        _ => return None,
    };
    (secs > 0.0 && secs.is_finite()).then(|| Duration::from_secs_f64(secs))
}
