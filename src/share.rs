//! Share: how the course looks outside its own pages. A social card (PNG, 1200×630) for each
//! lesson, drawn with resvg from an SVG with the bundled fonts, so every machine draws the
//! same picture; and the Atom feed of lessons, newest first, each dated by its front matter
//! (`updated`, else `date`), else by its last git commit, else by its file's change time.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock};

use crate::content::{Course, Module, Page};
use crate::html::escape_html;

/// Card size: what Open Graph and Twitter show best.
pub const CARD_WIDTH: u32 = 1200;
pub const CARD_HEIGHT: u32 = 630;

/// Where a lesson's card goes in the site: `basics/setup.html` -> `cards/basics/setup.png`.
pub fn card_path(output: &str) -> String {
    let stem = output.strip_suffix(".html").unwrap_or(output);
    format!("cards/{stem}.png")
}

/// The card of one lesson as SVG: the course, the module, the lesson's title (wrapped to
/// three lines at most) and its duration.
pub fn card_svg(course: &str, module: &str, lesson: &str, duration: Option<u32>) -> String {
    let mut lines = wrap(lesson, 26);
    if lines.len() > 3 {
        lines.truncate(3);
        if let Some(last) = lines.last_mut() {
            last.push('…');
        }
    }
    let mut title = String::new();
    for (i, line) in lines.iter().enumerate() {
        title.push_str(&format!(
            r##"<text x="80" y="{}" font-family="Liberation Sans" font-weight="bold" font-size="68" fill="#ffffff">{}</text>"##,
            260 + i * 84,
            escape_html(line)
        ));
    }
    let footer = match duration {
        Some(minutes) => format!("{} · {minutes} min", escape_html(module)),
        None => escape_html(module),
    };
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{CARD_WIDTH}" height="{CARD_HEIGHT}" viewBox="0 0 {CARD_WIDTH} {CARD_HEIGHT}">
<rect width="100%" height="100%" fill="#1d3557"/>
<rect x="0" y="0" width="24" height="{CARD_HEIGHT}" fill="#e9a23b"/>
<text x="80" y="130" font-family="Liberation Sans" font-size="36" fill="#f1c27d">{}</text>
{title}
<text x="80" y="560" font-family="Liberation Sans" font-size="34" fill="#d8e2ef">{footer}</text>
</svg>"##,
        escape_html(course)
    )
}

/// Words of `text` in lines of at most `width` characters (a longer word gets a line of its
/// own).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= width => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines
}

/// The bundled fonts, loaded once, for every card.
static FONTS: LazyLock<Arc<resvg::usvg::fontdb::Database>> = LazyLock::new(|| {
    let mut db = resvg::usvg::fontdb::Database::new();
    db.load_font_data(crate::diagram::FONT_REGULAR.to_vec());
    db.load_font_data(crate::diagram::FONT_BOLD.to_vec());
    Arc::new(db)
});

/// The card for `svg`: from the cache when it was drawn before (drawing costs about 10 ms
/// of CPU, a second at 100 lessons), else drawn and kept. A cached file that is not a whole
/// PNG is drawn again, never trusted.
pub fn card(svg: &str) -> anyhow::Result<Vec<u8>> {
    let path = cache_path(svg);
    if let Some(path) = &path
        && let Ok(bytes) = std::fs::read(path)
        && is_whole_png(&bytes)
    {
        return Ok(bytes);
    }
    let png = card_png(svg)?;
    if let Some(path) = path {
        crate::cache::store(&path, &png);
    }
    Ok(png)
}

fn cache_path(svg: &str) -> Option<PathBuf> {
    crate::cache::file("cards", (env!("CARGO_PKG_VERSION"), "card-v1", svg), "png")
}

/// The PNG signature at the start and the IEND chunk at the end.
fn is_whole_png(bytes: &[u8]) -> bool {
    const IEND: &[u8] = &[0, 0, 0, 0, b'I', b'E', b'N', b'D', 0xae, 0x42, 0x60, 0x82];
    bytes.starts_with(b"\x89PNG\r\n\x1a\n") && bytes.ends_with(IEND)
}

/// Draws `svg` as a PNG.
pub fn card_png(svg: &str) -> anyhow::Result<Vec<u8>> {
    let options = resvg::usvg::Options {
        fontdb: Arc::clone(&FONTS),
        font_family: "Liberation Sans".into(),
        ..Default::default()
    };
    let tree = resvg::usvg::Tree::from_str(svg, &options)?;
    let mut pixmap = resvg::tiny_skia::Pixmap::new(CARD_WIDTH, CARD_HEIGHT)
        .ok_or_else(|| anyhow::anyhow!("cannot allocate a {CARD_WIDTH}x{CARD_HEIGHT} card"))?;
    resvg::render(
        &tree,
        resvg::usvg::Transform::default(),
        &mut pixmap.as_mut(),
    );
    Ok(pixmap.encode_png()?)
}

/// When each lesson last changed, as RFC 3339, by output path.
pub fn updated(course: &Course) -> HashMap<String, String> {
    let committed = git_dates(&course.content_dir);
    course
        .lessons()
        .map(|(_, page)| {
            let from_front = page
                .front
                .updated
                .as_deref()
                .or(page.front.date.as_deref())
                .and_then(rfc3339);
            let date = from_front
                .or_else(|| committed.get(&page.source).cloned())
                .or_else(|| modified(&course.content_dir.join(&page.source)))
                .unwrap_or_else(|| "1970-01-01T00:00:00Z".into());
            (page.output.clone(), date)
        })
        .collect()
}

/// A front matter date as RFC 3339: `2026-03-01` is midnight UTC that day; a full timestamp is
/// kept; anything else is not a date.
fn rfc3339(text: &str) -> Option<String> {
    let text = text.trim();
    let is_date = |d: &str| {
        d.len() == 10
            && d.char_indices().all(|(i, c)| {
                if i == 4 || i == 7 {
                    c == '-'
                } else {
                    c.is_ascii_digit()
                }
            })
    };
    if is_date(text) {
        return Some(format!("{text}T00:00:00Z"));
    }
    let (day, time) = text.split_once('T')?;
    (is_date(day) && time.len() >= 8).then(|| text.to_string())
}

/// The last commit date of each file under `dir`, by its path relative to `dir`, from one
/// `git log` (none outside a repository, or without git).
fn git_dates(dir: &Path) -> HashMap<PathBuf, String> {
    let output = std::process::Command::new("git")
        .arg("-C")
        .arg(dir)
        .args([
            "log",
            "--format=%x00%cI",
            "--name-only",
            "--relative",
            "--",
            ".",
        ])
        .stderr(std::process::Stdio::null())
        .output();
    let Ok(output) = output
        .map_err(drop)
        .and_then(|o| o.status.success().then_some(o).ok_or(()))
    else {
        return HashMap::new();
    };
    let mut dates = HashMap::new();
    let mut current = "";
    let text = String::from_utf8_lossy(&output.stdout);
    for line in text.lines() {
        if let Some(date) = line.strip_prefix('\0') {
            current = date;
        } else if !line.is_empty() {
            // Newest first: the first date seen for a file is its last change.
            dates
                .entry(PathBuf::from(line))
                .or_insert_with(|| current.to_string());
        }
    }
    dates
}

fn modified(file: &Path) -> Option<String> {
    let time = std::fs::metadata(file).ok()?.modified().ok()?;
    let secs = time.duration_since(std::time::UNIX_EPOCH).ok()?.as_secs();
    Some(format_unix(secs))
}

/// Seconds since 1970 as RFC 3339 UTC (civil-from-days, as in Howard Hinnant's algorithm).
fn format_unix(secs: u64) -> String {
    let rem = secs % 86_400;
    format!(
        "{}T{:02}:{:02}:{:02}Z",
        crate::verify::results::civil_date(secs / 86_400),
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// The Atom feed of the course's lessons, newest first. Links are absolute with the site's
/// address (`site_base`, ending in `/`), else relative to the feed (at the site's root).
pub fn atom(
    title: &str,
    site_base: Option<&str>,
    key: &str,
    course: &Course,
    updated: &HashMap<String, String>,
) -> String {
    let base = site_base.unwrap_or_default();
    let id = |path: &str| match site_base {
        Some(_) => format!("{base}{path}"),
        None => format!("urn:coursebook:{key}:{path}"),
    };
    let mut lessons: Vec<(&Module, &Page, &str)> = course
        .lessons()
        .map(|(m, p)| {
            let date = updated.get(&p.output).map_or("", String::as_str);
            (m, p, date)
        })
        .collect();
    lessons.sort_by(|a, b| b.2.cmp(a.2).then_with(|| a.1.output.cmp(&b.1.output)));
    let newest = lessons.first().map_or("1970-01-01T00:00:00Z", |l| l.2);
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n  <title>{}</title>\n  <id>{}</id>\n  <updated>{newest}</updated>\n  <link rel=\"self\" href=\"{}atom.xml\"/>\n  <link href=\"{}\"/>\n  <generator>coursebook</generator>\n",
        escape_html(title),
        escape_html(&id("")),
        escape_html(base),
        escape_html(if base.is_empty() { "index.html" } else { base }),
    );
    for (module, page, date) in lessons {
        xml.push_str("  <entry>\n");
        xml.push_str(&format!(
            "    <title>{}</title>\n    <id>{}</id>\n    <link href=\"{}\"/>\n    <updated>{date}</updated>\n",
            escape_html(&page.title),
            escape_html(&id(&page.output)),
            escape_html(&format!("{base}{}", page.output)),
        ));
        if !module.title.is_empty() {
            xml.push_str(&format!(
                "    <category term=\"{}\"/>\n",
                escape_html(&module.title)
            ));
        }
        if let Some(summary) = &page.front.description {
            xml.push_str(&format!(
                "    <summary>{}</summary>\n",
                escape_html(summary)
            ));
        }
        xml.push_str("  </entry>\n");
    }
    xml.push_str("</feed>\n");
    xml
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unix_times_format_as_utc_dates() {
        assert_eq!(format_unix(0), "1970-01-01T00:00:00Z");
        assert_eq!(format_unix(1_709_251_199), "2024-02-29T23:59:59Z");
        assert_eq!(format_unix(1_795_000_000), "2026-11-18T11:06:40Z");
    }

    #[test]
    fn front_matter_dates_become_rfc3339_or_nothing() {
        assert_eq!(
            rfc3339("2026-03-01").as_deref(),
            Some("2026-03-01T00:00:00Z")
        );
        assert_eq!(
            rfc3339("2026-03-01T10:00:00+01:00").as_deref(),
            Some("2026-03-01T10:00:00+01:00")
        );
        assert_eq!(rfc3339("last spring"), None);
    }

    #[test]
    fn long_titles_wrap_at_word_boundaries() {
        assert_eq!(
            wrap("Testing an Image Before You Share It", 26),
            ["Testing an Image Before", "You Share It"]
        );
    }
}
