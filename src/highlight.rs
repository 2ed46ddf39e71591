//! Highlight: server-side syntax highlighting of code blocks (transform stage).
//!
//! syntect with the `two-face` bundle (bat's curated grammars: Dockerfile, TOML, nginx, .env...
//! that syntect's own set lacks). Output uses CSS classes (`hl-keyword`...), never inline
//! styles, so the theme's light and dark palettes both apply. The syntax set is loaded once.

use std::sync::OnceLock;

use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::{SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

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

/// True when a grammar exists for the fence language.
pub fn is_known(lang: &str) -> bool {
    find(&lang.to_ascii_lowercase()).is_some()
}

/// Highlighted inner HTML of a code block (the spans that go inside `<code>`), or `None` when
/// the language is unknown.
pub fn highlight(lang: &str, code: &str) -> Option<String> {
    let syntax = find(&lang.to_ascii_lowercase())?;
    let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, syntaxes(), CLASS_STYLE);
    for line in LinesWithEndings::from(code) {
        if generator
            .parse_html_for_line_which_includes_newline(line)
            .is_err()
        {
            // A grammar that fails on odd input must not fail the build: fall back to plain.
            return None;
        }
    }
    Some(generator.finalize())
}
