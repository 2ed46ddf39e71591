//! Expectations: a `console` block read as commands and the output each should print, and the
//! matcher that compares real output with it (cram's conventions).
//!
//! - `$ ` starts a command; a line ending in `\` continues it.
//! - The lines after a command are its expected output; `...` on a line of its own matches
//!   any number of lines, `[..]` any text within a line, a trailing ` (re)` makes the line a
//!   regular expression.
//! - `[N]` on a line of its own expects exit code N (otherwise 0).

#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub command: String,
    pub expected: Vec<String>,
    pub exit: i64,
}

/// The commands of a console block, with what each should print.
pub fn steps(block: &str) -> Vec<Step> {
    let mut steps: Vec<Step> = Vec::new();
    let mut continuing = false;
    for line in block.lines() {
        if continuing && let Some(step) = steps.last_mut() {
            step.command.push('\n');
            step.command.push_str(line);
            continuing = line.ends_with('\\');
            continue;
        }
        if let Some(command) = line.strip_prefix("$ ") {
            continuing = command.ends_with('\\');
            steps.push(Step {
                command: command.to_string(),
                expected: Vec::new(),
                exit: 0,
            });
        } else if let Some(step) = steps.last_mut() {
            let trimmed = line.trim();
            let code = trimmed
                .strip_prefix('[')
                .and_then(|t| t.strip_suffix(']'))
                .and_then(|t| t.parse::<i64>().ok());
            match code {
                Some(code) if trimmed != "[..]" => step.exit = code,
                _ => step.expected.push(line.trim_end().to_string()),
            }
        }
    }
    for step in &mut steps {
        while step.expected.last().is_some_and(String::is_empty) {
            step.expected.pop();
        }
    }
    steps
}

/// A console block as readers see it on the page: the matcher's notation means nothing to
/// them, so `...` and `[..]` become `…`, a ` (re)` marker is dropped, and `[N]` exit-code
/// lines (a terminal never prints them) are left out. Commands are untouched.
pub fn shown(block: &str) -> String {
    let mut out = String::with_capacity(block.len());
    let mut continuing = false;
    for line in block.split_inclusive('\n') {
        let text = line.trim_end_matches('\n');
        let newline = &line[text.len()..];
        if continuing || text.starts_with("$ ") {
            continuing = text.ends_with('\\');
            out.push_str(line);
            continue;
        }
        let trimmed = text.trim();
        let exit_code = trimmed
            .strip_prefix('[')
            .and_then(|t| t.strip_suffix(']'))
            .is_some_and(|t| t.parse::<i64>().is_ok());
        if exit_code {
            continue;
        }
        let text = if trimmed == "..." {
            "…".to_string()
        } else {
            let text = text.strip_suffix(" (re)").unwrap_or(text);
            text.replace("[..]", "…")
        };
        out.push_str(&text);
        out.push_str(newline);
    }
    out
}

/// Whether `actual` output matches the `expected` lines.
pub fn matches(expected: &[String], actual: &str) -> bool {
    let actual: Vec<&str> = actual.lines().map(str::trim_end).collect();
    let mut actual = actual.as_slice();
    while actual.last().is_some_and(|l| l.is_empty()) {
        actual = &actual[..actual.len() - 1];
    }
    match_from(expected, actual)
}

/// Whether the expected lines match the actual ones. Computed line by line from the end, for
/// every start in the output at once: time is lines × patterns however many `...` the block
/// has (a backtracking search was exponential in them, and hung on a block of thirty).
fn match_from(expected: &[String], actual: &[&str]) -> bool {
    let n = actual.len();
    // `next[j]`: the expected lines after the current one match `actual[j..]`.
    let mut next: Vec<bool> = (0..=n).map(|j| j == n).collect();
    for pattern in expected.iter().rev() {
        let mut row = vec![false; n + 1];
        if pattern.trim() == "..." {
            row[n] = next[n];
            for j in (0..n).rev() {
                row[j] = next[j] || row[j + 1];
            }
        } else {
            let pattern = Pattern::new(pattern);
            for j in 0..n {
                row[j] = next[j + 1] && pattern.matches(actual[j]);
            }
        }
        next = row;
    }
    next[0]
}

/// One expected line: a regular expression (`... (re)`, compiled once), or text with `[..]`
/// wildcards.
enum Pattern<'a> {
    /// `None`: the expression does not compile, and matches nothing.
    Regex(Option<regex::Regex>),
    Text(&'a str),
}

impl<'a> Pattern<'a> {
    fn new(pattern: &'a str) -> Pattern<'a> {
        match pattern.strip_suffix(" (re)") {
            Some(re) => Pattern::Regex(regex::Regex::new(&format!("^(?:{re})$")).ok()),
            None => Pattern::Text(pattern),
        }
    }

    fn matches(&self, line: &str) -> bool {
        match self {
            Pattern::Regex(re) => re.as_ref().is_some_and(|r| r.is_match(line)),
            Pattern::Text(pattern) => wildcard_matches(pattern, line),
        }
    }
}

fn wildcard_matches(pattern: &str, line: &str) -> bool {
    if !pattern.contains("[..]") {
        return pattern == line;
    }
    let parts: Vec<&str> = pattern.split("[..]").collect();
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !line.starts_with(first) || line.len() < first.len() + last.len() || !line.ends_with(last) {
        return false;
    }
    let mut rest = &line[first.len()..line.len() - last.len()];
    for part in &parts[1..parts.len() - 1] {
        match rest.find(part) {
            Some(i) => rest = &rest[i + part.len()..],
            None => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_outputs_and_exit_codes() {
        let s = steps("$ echo a \\\n  b\na b\n$ false\n[1]\n$ true\n");
        assert_eq!(s.len(), 3);
        assert_eq!(s[0].command, "echo a \\\n  b");
        assert_eq!(s[0].expected, ["a b"]);
        assert_eq!((s[1].exit, s[1].expected.len()), (1, 0));
        assert_eq!(s[2].expected, Vec::<String>::new());
    }

    #[test]
    fn wildcards_and_regexes() {
        let e = |lines: &[&str]| lines.iter().map(|l| l.to_string()).collect::<Vec<_>>();
        assert!(matches(&e(&["a", "...", "z"]), "a\nb\nc\nz\n"));
        assert!(matches(&e(&["a", "...", "z"]), "a\nz"));
        assert!(!matches(&e(&["a", "z"]), "a\nb\nz"));
        assert!(matches(&e(&["id: [..] ok"]), "id: 3f2a ok"));
        assert!(!matches(&e(&["id: [..] ok"]), "id: 3f2a fail"));
        assert!(matches(&e(&["[0-9]+ bytes (re)"]), "512 bytes"));
        assert!(!matches(&e(&["[0-9]+ bytes (re)"]), "many bytes"));
        assert!(matches(&e(&["hi"]), "hi   \n\n"));
    }
}
