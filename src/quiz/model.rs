//! The TOML a ```quiz block holds, as written by the author (spans kept for diagnostics).

use serde::Deserialize;
use toml::Spanned;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuizSource {
    #[serde(default)]
    pub question: Vec<Spanned<Question>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    Single,
    Multiple,
    TrueFalse,
    Short,
    Numeric,
    Order,
    Fill,
    Output,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Single => "single",
            Kind::Multiple => "multiple",
            Kind::TrueFalse => "true-false",
            Kind::Short => "short",
            Kind::Numeric => "numeric",
            Kind::Order => "order",
            Kind::Fill => "fill",
            Kind::Output => "output",
        }
    }

    /// The keys a question of this type may have besides the common ones.
    pub fn keys(self) -> &'static [&'static str] {
        match self {
            Kind::Single | Kind::Multiple => &["choice", "shuffle"],
            Kind::TrueFalse => &["answer"],
            Kind::Short => &["accept", "case-sensitive", "regex"],
            Kind::Numeric => &["answer", "tolerance"],
            Kind::Order => &["steps"],
            Kind::Fill => &["text", "case-sensitive", "lang"],
            Kind::Output => &["command", "output"],
        }
    }
}

/// Every key a question can have; which apply depends on its `type`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Question {
    pub id: Option<Spanned<String>>,
    #[serde(rename = "type")]
    pub kind: Spanned<Kind>,
    pub prompt: Spanned<String>,
    pub explain: Option<String>,
    #[serde(default)]
    pub hints: Vec<String>,
    pub shuffle: Option<Spanned<bool>>,
    pub choice: Option<Spanned<Vec<Spanned<Choice>>>>,
    pub answer: Option<Spanned<toml::Value>>,
    pub accept: Option<Spanned<Vec<String>>>,
    pub case_sensitive: Option<Spanned<bool>>,
    pub regex: Option<Spanned<bool>>,
    pub tolerance: Option<Spanned<toml::Value>>,
    pub steps: Option<Spanned<Vec<String>>>,
    pub text: Option<Spanned<String>>,
    pub lang: Option<Spanned<String>>,
    pub command: Option<Spanned<String>>,
    pub output: Option<Spanned<String>>,
}

impl Question {
    /// The type-specific keys present, with their spans.
    pub fn typed_keys(&self) -> Vec<(&'static str, std::ops::Range<usize>)> {
        let mut keys = Vec::new();
        let mut add = |name, span: Option<std::ops::Range<usize>>| {
            if let Some(span) = span {
                keys.push((name, span));
            }
        };
        add("choice", self.choice.as_ref().map(Spanned::span));
        add("shuffle", self.shuffle.as_ref().map(Spanned::span));
        add("answer", self.answer.as_ref().map(Spanned::span));
        add("accept", self.accept.as_ref().map(Spanned::span));
        add(
            "case-sensitive",
            self.case_sensitive.as_ref().map(Spanned::span),
        );
        add("regex", self.regex.as_ref().map(Spanned::span));
        add("tolerance", self.tolerance.as_ref().map(Spanned::span));
        add("steps", self.steps.as_ref().map(Spanned::span));
        add("text", self.text.as_ref().map(Spanned::span));
        add("lang", self.lang.as_ref().map(Spanned::span));
        add("command", self.command.as_ref().map(Spanned::span));
        add("output", self.output.as_ref().map(Spanned::span));
        keys
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    pub text: Spanned<String>,
    #[serde(default)]
    pub correct: bool,
    pub feedback: Option<String>,
}

/// A number written as an integer or a float.
pub fn number(value: &toml::Value) -> Option<f64> {
    match value {
        toml::Value::Integer(i) => Some(*i as f64),
        toml::Value::Float(f) if f.is_finite() => Some(*f),
        _ => None,
    }
}
