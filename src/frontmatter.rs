//! Front matter: splits a lesson's `+++` TOML or `---` YAML header from its Markdown body.
//!
//! Part of the load stage. One function serves lessons and module `_index.md` files alike, so
//! the error text is the same wherever the header sits.

use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use serde::Deserialize;

use crate::diagnostics::Diagnostic;

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct FrontMatter {
    pub title: Option<String>,
    pub description: Option<String>,
    /// Minutes.
    pub duration: Option<u32>,
    pub difficulty: Option<String>,
    pub objectives: Vec<String>,
    pub draft: bool,
    pub weight: Option<i64>,
    pub date: Option<String>,
    pub updated: Option<String>,
    pub tags: Vec<String>,
    /// Defaults for this page's `{verify}` blocks (a block's own settings win; `book.toml`'s
    /// `[verify]` applies where neither says).
    pub verify: VerifyDefaults,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct VerifyDefaults {
    pub image: Option<String>,
    pub timeout: Option<String>,
    pub net: bool,
    pub env: Vec<String>,
    pub workdir: Option<String>,
}

const KEYS: &[&str] = &[
    "title",
    "description",
    "duration",
    "difficulty",
    "objectives",
    "draft",
    "weight",
    "date",
    "updated",
    "tags",
    "verify",
];

/// A document split into its header and body.
#[derive(Debug)]
pub struct Split<'a> {
    pub front: FrontMatter,
    pub body: &'a str,
    /// Byte offset of `body` in the whole text, so body positions map back to file lines.
    pub body_offset: usize,
}

/// Splits and parses the front matter of `text` (already BOM-stripped, LF line endings).
pub fn split<'a>(text: &'a str, path: &Path, source: &Arc<str>) -> Result<Split<'a>, Diagnostic> {
    let Some((fence, format, header_start)) = opening(text) else {
        return Ok(Split {
            front: FrontMatter::default(),
            body: text,
            body_offset: 0,
        });
    };
    let Some(close) = closing(text, header_start, fence) else {
        if fence == "---" {
            // A lone `---` line is also a Markdown thematic break; without a closing line
            // there is no header, and the line renders as a rule.
            return Ok(Split {
                front: FrontMatter::default(),
                body: text,
                body_offset: 0,
            });
        }
        return Err(Diagnostic::error(format!(
            "front matter opened with `{fence}` is never closed"
        ))
        .at(path, source, 0..fence.len())
        .label("opened here")
        .help(format!("add a line with only `{fence}` after the last key")));
    };
    let header = &text[header_start..close.start];
    let body_offset = close.end.min(text.len());
    let front = parse(header, header_start, format, path, source)?;
    Ok(Split {
        front,
        body: &text[body_offset..],
        body_offset,
    })
}

#[derive(Clone, Copy)]
enum Format {
    Toml,
    Yaml,
}

/// The fence the text opens with, its format, and where the header starts: after the first
/// line, which may end in spaces (any Unicode ones, such as a no-break space pasted from a
/// web page) besides the fence.
fn opening(text: &str) -> Option<(&'static str, Format, usize)> {
    let line = text.split_inclusive('\n').next()?;
    let (fence, format) = match line.trim_end() {
        "+++" => ("+++", Format::Toml),
        "---" => ("---", Format::Yaml),
        _ => return None,
    };
    Some((fence, format, line.len()))
}

/// Byte range of the closing fence line (including its newline).
fn closing(text: &str, from: usize, fence: &str) -> Option<Range<usize>> {
    let mut pos = from.min(text.len());
    for line in text[pos..].split_inclusive('\n') {
        if line.trim_end() == fence {
            return Some(pos..pos + line.len());
        }
        pos += line.len();
    }
    None
}

fn parse(
    header: &str,
    offset: usize,
    format: Format,
    path: &Path,
    source: &Arc<str>,
) -> Result<FrontMatter, Diagnostic> {
    match format {
        Format::Toml => toml::from_str(header).map_err(|e| {
            let span = e.span().unwrap_or(0..0);
            front_matter_error(
                e.message(),
                offset + span.start..offset + span.end,
                path,
                source,
            )
        }),
        Format::Yaml => {
            if header.trim().is_empty() {
                return Ok(FrontMatter::default());
            }
            serde_yaml_ng::from_str(header).map_err(|e| {
                let start = e.location().map_or(0, |l| l.index());
                let message = e.to_string();
                // serde_yaml appends " at line N column M"; the excerpt shows that already.
                let message = message.split(" at line ").next().unwrap_or(&message);
                front_matter_error(message, offset + start..offset + start + 1, path, source)
            })
        }
    }
}

fn front_matter_error(
    message: &str,
    span: Range<usize>,
    path: &Path,
    source: &Arc<str>,
) -> Diagnostic {
    let message = message
        .trim()
        .replace("u32", "a whole number")
        .replace("i64", "a whole number");
    if let Some(name) = unknown_field_name(&message) {
        let diagnostic = Diagnostic::error(format!("unknown front matter key `{name}`"))
            .at(path, source, span)
            .label("not a lesson setting");
        return match crate::config::closest(name, KEYS) {
            Some(best) => diagnostic.help(format!("did you mean `{best}`?")),
            None => diagnostic.help(format!("known keys: {}", KEYS.join(", "))),
        };
    }
    let diagnostic = Diagnostic::error(format!("invalid front matter: {message}"))
        .at(path, source, span)
        .label("here");
    if message.contains("duration") {
        return diagnostic.help("`duration` is a whole number of minutes, e.g. `duration = 20`");
    }
    diagnostic
}

fn unknown_field_name(message: &str) -> Option<&str> {
    let rest = message.strip_prefix("unknown field `")?;
    rest.split('`').next()
}
