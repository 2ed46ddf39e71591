//! HTML escaping shared by the stages that write markup (highlight, markdown, diagram, output).

/// Appends `text` with `<`, `>` and `&` escaped, for element content.
pub fn push_escaped(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            _ => out.push(c),
        }
    }
}

/// `text` escaped for element content.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    push_escaped(&mut out, text);
    out
}

/// `text` escaped for a double-quoted attribute value.
pub fn escape_attr(text: &str) -> String {
    escape_html(text).replace('"', "&quot;")
}
