//! Highlight: server-side syntax highlighting of code blocks (transform stage).
//!
//! syntect with the `two-face` bundle (bat's curated grammars: Dockerfile, TOML, nginx, .env...
//! that syntect's own set lacks). Output uses CSS classes (`hl-keyword`...), never inline
//! styles, so the theme's light and dark palettes both apply. The syntax set is loaded once.

use std::collections::HashMap;
use std::str::FromStr;
use std::sync::{Mutex, OnceLock};

use syntect::easy::HighlightLines;
use syntect::highlighting::{Color, ScopeSelectors, StyleModifier, Theme, ThemeItem};
use syntect::parsing::{SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

use crate::html::{escape_html, push_escaped};

/// The token classes the theme colours, each with the TextMate scope selectors it covers.
///
/// Rather than one class per scope atom (`hl-meta hl-function-call hl-arguments hl-shell`,
/// which made a Python lesson 60 KB), each token gets the one class of its most specific
/// matching selector, resolved with TextMate's own precedence rules: syntect does this when
/// it applies a theme, so a synthetic theme whose "colour" is the class index does the work.
const CLASSES: &[(&str, &str)] = &[
    ("comment", "comment, punctuation.definition.comment"),
    ("string", "string, meta.attribute-with-value.html string"),
    (
        "escape",
        "constant.character.escape, constant.other.placeholder",
    ),
    ("number", "constant.numeric"),
    (
        "constant",
        "constant.language, constant.other, support.constant, variable.other.constant",
    ),
    ("keyword", "keyword, storage.modifier, keyword.control"),
    (
        "operator",
        "keyword.operator, punctuation.separator.key-value",
    ),
    (
        "type",
        "storage.type, support.type, entity.name.type, support.class, entity.other.inherited-class",
    ),
    (
        "function",
        "entity.name.function, support.function, variable.function, meta.function-call.identifier",
    ),
    (
        "variable",
        "variable.other.readwrite, variable.parameter, variable.language, punctuation.definition.variable, variable.other.normal",
    ),
    ("attr", "entity.other.attribute-name"),
    (
        "tag",
        "entity.name.tag, support.type.property-name, meta.mapping.key string, entity.name.section.group-title",
    ),
    ("heading", "markup.heading, entity.name.section"),
    ("inserted", "markup.inserted"),
    ("deleted", "markup.deleted"),
    (
        "range",
        "meta.diff.range, meta.diff.header, meta.separator.diff",
    ),
];

fn class_theme() -> &'static Theme {
    static THEME: OnceLock<Theme> = OnceLock::new();
    THEME.get_or_init(|| Theme {
        scopes: CLASSES
            .iter()
            .enumerate()
            .filter_map(|(i, (_, selectors))| {
                Some(ThemeItem {
                    scope: ScopeSelectors::from_str(selectors).ok()?,
                    style: StyleModifier {
                        foreground: Some(class_color(i + 1)),
                        background: None,
                        font_style: None,
                    },
                })
            })
            .collect(),
        ..Theme::default()
    })
}

/// Class number `n` encoded as a colour (0 means "no class").
fn class_color(n: usize) -> Color {
    Color {
        r: 0,
        g: 0,
        b: n as u8,
        a: 255,
    }
}

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(two_face::syntax::extra_newlines)
}

/// Loads the grammars now (they are otherwise loaded on first use, inside a timed stage).
pub fn warm_up() {
    syntaxes();
}

/// Names authors write after the fence that the grammars do not know by that token.
fn alias(lang: &str) -> &str {
    match lang {
        "sh" | "shell" | "zsh" | "console" | "shell-session" | "shellsession" | "terminal" => {
            "bash"
        }
        "docker" | "containerfile" => "dockerfile",
        "yml" | "compose" => "yaml",
        "js" | "node" => "javascript",
        "ts" => "typescript",
        "py" | "python3" => "python",
        "env" | "dotenv" => ".env",
        "conf" | "cfg" => "ini",
        "golang" => "go",
        "rs" => "rust",
        "htm" | "xhtml" => "html",
        "patch" => "diff",
        "jsonc" | "json5" => "json",
        "postgres" | "postgresql" | "psql" | "mysql" | "sqlite" => "sql",
        "make" => "makefile",
        other => other,
    }
}

fn find(lang: &str) -> Option<&'static SyntaxReference> {
    let set = syntaxes();
    let lang = alias(lang);
    set.find_syntax_by_token(lang)
        .or_else(|| set.find_syntax_by_extension(lang))
        .or_else(|| set.find_syntax_by_name(lang))
}

/// Fence languages that show a terminal session: `$ ` lines are commands, the rest output.
pub fn is_session(lang: &str) -> bool {
    matches!(
        lang,
        "console" | "shell-session" | "shellsession" | "terminal"
    )
}

/// A terminal session: the `$ ` prompt in its own unselectable span, each command (with its
/// `\` continuation lines) highlighted as shell, output lines left plain.
pub fn highlight_session(code: &str) -> String {
    if !code.lines().any(|l| l.starts_with("$ ")) {
        return highlight("bash", code).unwrap_or_else(|| escape_html(code));
    }
    let mut html = String::with_capacity(code.len() * 2);
    let mut command = String::new();
    for line in LinesWithEndings::from(code) {
        let continues = !command.is_empty() && command.trim_end().ends_with('\\');
        if let Some(rest) = line.strip_prefix("$ ").filter(|_| !continues) {
            flush_command(&mut html, &mut command);
            html.push_str("<span class=\"hl-prompt\">$ </span>");
            command.push_str(rest);
        } else if continues {
            command.push_str(line);
        } else {
            flush_command(&mut html, &mut command);
            html.push_str("<span class=\"hl-output\">");
            push_escaped(&mut html, line.trim_end_matches('\n'));
            html.push_str("</span>");
            if line.ends_with('\n') {
                html.push('\n');
            }
        }
    }
    flush_command(&mut html, &mut command);
    html
}

fn flush_command(html: &mut String, command: &mut String) {
    if !command.is_empty() {
        html.push_str(&highlight("bash", command).unwrap_or_else(|| escape_html(command)));
        command.clear();
    }
}

/// Highlighted blocks, kept by `serve` so that reloading the whole course after a structural
/// change highlights only what changed. Off for one-shot builds, where nothing repeats.
static CACHE: OnceLock<Mutex<HashMap<BlockKey, Option<String>>>> = OnceLock::new();

/// A code block's language and text.
type BlockKey = (String, String);

/// Remembers every highlighted block for the rest of the process (for `serve`).
pub fn enable_cache() {
    CACHE.get_or_init(Mutex::default);
}

/// Highlighted inner HTML of a code block (the spans that go inside `<code>`), or `None` when
/// the language is unknown.
pub fn highlight(lang: &str, code: &str) -> Option<String> {
    let Some(cache) = CACHE.get() else {
        return highlight_uncached(lang, code);
    };
    let key = (lang.to_string(), code.to_string());
    if let Some(hit) = cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
        return hit;
    }
    let html = highlight_uncached(lang, code);
    if let Ok(mut cache) = cache.lock() {
        cache.insert(key, html.clone());
    }
    html
}

fn highlight_uncached(lang: &str, code: &str) -> Option<String> {
    let syntax = find(&lang.to_ascii_lowercase())?;
    let mut highlighter = HighlightLines::new(syntax, class_theme());
    let mut html = String::with_capacity(code.len() * 2);
    let mut open: usize = 0;
    for line in LinesWithEndings::from(code) {
        // A grammar that fails on odd input must not fail the build: fall back to plain.
        let tokens = highlighter.highlight_line(line, syntaxes()).ok()?;
        for (style, text) in tokens {
            let class = style.foreground.b as usize;
            // Whitespace takes any class, so runs of one class merge into one span.
            if class != open && !text.trim().is_empty() {
                if open != 0 {
                    html.push_str("</span>");
                }
                if let Some((name, _)) = class.checked_sub(1).and_then(|i| CLASSES.get(i)) {
                    html.push_str("<span class=\"hl-");
                    html.push_str(name);
                    html.push_str("\">");
                }
                open = class;
            }
            push_escaped(&mut html, text);
        }
    }
    if open != 0 {
        html.push_str("</span>");
    }
    Some(html)
}
