//! Print: the whole course as one page (`print.html`), for paper, PDF or reading offline. Each
//! lesson's rendered HTML is placed under its own prefix: its ids become `LESSON-ID` so the
//! page has no duplicates, links between lessons become links within the page, and the
//! relative addresses of images and other pages are re-rooted at the site's top, where
//! `print.html` sits. Diagrams are inline SVG already; quizzes keep their "Show answer"
//! disclosures.

use std::collections::HashSet;
use std::hash::BuildHasher;
use std::io::{self, Write};
use std::sync::LazyLock;

use regex::{Captures, Regex};

/// The prefix of a lesson's ids in the print page: `basics/setup.html` -> `basics-setup`.
pub fn prefix(output: &str) -> String {
    output
        .strip_suffix(".html")
        .unwrap_or(output)
        .replace('/', "-")
}

/// The print page as its template made it, with a marker where each lesson's body goes: the
/// bodies are made one at a time as the page is written, so the whole course is never held
/// twice over (at 10,000 lessons the page is 150 MB, and a template context holding every
/// body, and the page it renders, cost 430 MB at once).
pub struct Spliced<'a> {
    skeleton: String,
    marker: String,
    /// Each lesson's rendered body and output path, by the number in its marker.
    bodies: Vec<(&'a str, &'a str)>,
    lessons: HashSet<String>,
}

impl<'a> Spliced<'a> {
    /// A marker per build: the template's text around it is escaped or the theme's own, so
    /// the random part keeps an author's raw HTML from ever looking like one.
    pub fn marker() -> String {
        let nonce = std::collections::hash_map::RandomState::new().hash_one(std::process::id());
        format!("<!--coursebook-print-{nonce:016x}-")
    }

    /// The stand-in for body `n` that the template places (`MARKER` `n` `-->`).
    pub fn placeholder(marker: &str, n: usize) -> String {
        format!("{marker}{n}-->")
    }

    /// `skeleton`, rendered with `placeholder(marker, n)` for the body of `bodies[n]`
    /// (its rendered HTML and output path); `lessons` are the outputs of every lesson.
    pub fn new(
        skeleton: String,
        marker: String,
        bodies: Vec<(&'a str, &'a str)>,
        lessons: HashSet<String>,
    ) -> Self {
        Spliced {
            skeleton,
            marker,
            bodies,
            lessons,
        }
    }

    /// Writes the page, each body made as it is reached.
    pub fn write_to(&self, out: &mut dyn Write) -> io::Result<()> {
        let mut parts = self.skeleton.split(self.marker.as_str());
        out.write_all(parts.next().unwrap_or_default().as_bytes())?;
        for part in parts {
            let body = part.split_once("-->").and_then(|(n, rest)| {
                let (html, output) = self.bodies.get(n.parse::<usize>().ok()?)?;
                Some((lesson_body(html, output, &self.lessons), rest))
            });
            match body {
                Some((body, rest)) => {
                    out.write_all(body.as_bytes())?;
                    out.write_all(rest.as_bytes())?;
                }
                // Not one of ours (cannot be: the marker is random); kept as it was.
                None => {
                    out.write_all(self.marker.as_bytes())?;
                    out.write_all(part.as_bytes())?;
                }
            }
        }
        Ok(())
    }
}

static ATTRIBUTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(\s)(id|for|aria-labelledby|aria-describedby|aria-controls|href|src|xlink:href)="([^"]*)""#,
    )
    .expect("valid regex")
});

static URL_REF: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"url\(#([^)]+)\)").expect("valid regex"));

/// `html`, a lesson's body rendered for `output`, as it reads inside the print page.
/// `lessons` are the outputs of every lesson in the page.
pub fn lesson_body(html: &str, output: &str, lessons: &HashSet<String>) -> String {
    let own = prefix(output);
    let dir = output.rsplit_once('/').map_or("", |(dir, _)| dir);
    let html = ATTRIBUTE.replace_all(html, |c: &Captures<'_>| {
        let (space, name, value) = (&c[1], &c[2], &c[3]);
        let value = match name {
            "id" | "for" | "aria-labelledby" | "aria-describedby" | "aria-controls" => value
                .split_whitespace()
                .map(|id| scoped(&own, id))
                .collect::<Vec<_>>()
                .join(" "),
            "src" => rerooted(value, dir),
            _ => link(value, dir, &own, lessons),
        };
        format!("{space}{name}=\"{value}\"")
    });
    let html = URL_REF
        .replace_all(&html, |c: &Captures<'_>| {
            format!("url(#{})", scoped(&own, &c[1]))
        })
        .into_owned();
    inert_quizzes(html)
}

/// The print page does not grade quizzes (its answers are shown), so their forms become
/// groups: a page of forms all named "Quiz" would be landmarks without unique names.
fn inert_quizzes(html: String) -> String {
    const FORM: &str = "<form class=\"quiz\"";
    let quizzes = html.matches(FORM).count();
    // Only when every form is a quiz: an author's own form keeps its tags.
    if quizzes == 0 || html.matches("<form").count() != quizzes {
        return html;
    }
    html.replace(FORM, "<div role=\"group\" class=\"quiz\"")
        .replace("</form>", "</div>")
}

/// An id of the lesson `own` as it is in the print page. Ids that start with the lesson's
/// prefix are unique in the course already (a diagram's, which its SVG's own style rules
/// name) and stay as they are.
fn scoped(own: &str, id: &str) -> String {
    if id.starts_with(own) && id[own.len()..].starts_with('-') {
        id.to_string()
    } else {
        format!("{own}-{id}")
    }
}

/// A link inside a lesson: to a place in this lesson or another one in the page, it becomes
/// a fragment; to anything else, an address from the site's top.
fn link(href: &str, dir: &str, own: &str, lessons: &HashSet<String>) -> String {
    if let Some(fragment) = href.strip_prefix('#') {
        return format!("#{}", scoped(own, fragment));
    }
    if is_absolute(href) {
        return href.to_string();
    }
    let (path, fragment) = match href.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (href, None),
    };
    let target = normalized(dir, path);
    if lessons.contains(&target) {
        let other = prefix(&target);
        return match fragment {
            Some(f) => format!("#{other}-{f}"),
            None => format!("#{other}"),
        };
    }
    match fragment {
        Some(f) => format!("{target}#{f}"),
        None => target,
    }
}

fn rerooted(src: &str, dir: &str) -> String {
    if is_absolute(src) {
        src.to_string()
    } else {
        normalized(dir, src)
    }
}

/// A scheme (`https:`, `data:`, `mailto:`), protocol-relative or root-relative address.
fn is_absolute(url: &str) -> bool {
    url.starts_with('/')
        || url.split_once(':').is_some_and(|(scheme, _)| {
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
        })
}

/// `path` (relative to the folder `dir` of the site) as a path from the site's top.
fn normalized(dir: &str, path: &str) -> String {
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_links_and_sources_are_rewritten_for_the_print_page() {
        let lessons: HashSet<String> = ["a/one.html", "b/two.html"].map(String::from).into();
        let html = r##"<h2 id="goals">Goals</h2><a href="#goals">x</a><a href="../b/two.html#setup">y</a><a href="../b/two.html">z</a><a href="index.html">m</a><img src="pic.png" alt="p"><a href="https://e.org/#x">e</a><label for="q1" data-id="keep">Q</label><svg id="a-one-diagram-1"><path marker-end="url(#arrow)"/><use href="#a-one-diagram-1-m"/></svg>"##;
        let out = lesson_body(html, "a/one.html", &lessons);
        assert_eq!(
            out,
            r##"<h2 id="a-one-goals">Goals</h2><a href="#a-one-goals">x</a><a href="#b-two-setup">y</a><a href="#b-two">z</a><a href="a/index.html">m</a><img src="a/pic.png" alt="p"><a href="https://e.org/#x">e</a><label for="a-one-q1" data-id="keep">Q</label><svg id="a-one-diagram-1"><path marker-end="url(#a-one-arrow)"/><use href="#a-one-diagram-1-m"/></svg>"##
        );
    }
}
