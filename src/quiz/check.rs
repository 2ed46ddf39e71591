//! Validation: turns the author's TOML into a [`Quiz`] that can be rendered, or lists every
//! problem with the span (into the block's text) of the key or value at fault.

use std::collections::HashSet;
use std::ops::Range;

use toml::Spanned;

use super::model::{Kind, Question, QuizSource, number};
use crate::config::closest;
use crate::slug::github_slug;

/// One problem in a quiz block; `span` is a byte range of the block's text.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub message: String,
    pub span: Range<usize>,
    pub label: String,
    pub help: Option<String>,
}

impl Problem {
    fn new(message: impl Into<String>, span: Range<usize>, label: impl Into<String>) -> Self {
        Problem {
            message: message.into(),
            span,
            label: label.into(),
            help: None,
        }
    }

    fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

#[derive(Debug, Clone)]
pub struct Quiz {
    pub questions: Vec<ValidQuestion>,
}

#[derive(Debug, Clone)]
pub struct ValidQuestion {
    pub id: String,
    /// Where the id is written, or the question's prompt when it is derived.
    pub id_span: Range<usize>,
    pub kind: Kind,
    pub prompt: String,
    pub explain: Option<String>,
    pub hints: Vec<String>,
    pub body: Body,
}

#[derive(Debug, Clone)]
pub struct ValidChoice {
    pub text: String,
    pub correct: bool,
    pub feedback: Option<String>,
}

#[derive(Debug, Clone)]
pub enum FillPart {
    Text(String),
    /// The accepted answers of one blank.
    Blank(Vec<String>),
}

#[derive(Debug, Clone)]
pub enum Body {
    Choices {
        choices: Vec<ValidChoice>,
        shuffle: bool,
    },
    TrueFalse(bool),
    Short {
        accept: Vec<String>,
        case_sensitive: bool,
        regex: bool,
    },
    Numeric {
        answer: f64,
        tolerance: f64,
    },
    Order(Vec<String>),
    Fill {
        parts: Vec<FillPart>,
        case_sensitive: bool,
        lang: Option<String>,
    },
    Output {
        command: String,
        output: String,
    },
}

/// Parses and validates a quiz block's text.
pub fn parse(text: &str) -> Result<Quiz, Vec<Problem>> {
    let source: QuizSource = toml::from_str(text).map_err(|e| vec![toml_problem(&e)])?;
    if source.question.is_empty() {
        return Err(vec![
            Problem::new("quiz has no questions", 0..0, "empty quiz").help(
                "add questions as `[[question]]` tables with `type` and `prompt`; see docs/quizzes.md",
            ),
        ]);
    }
    let mut problems = Vec::new();
    let mut questions = Vec::new();
    let mut ids: HashSet<String> = HashSet::new();
    for question in source.question {
        let span = question.span();
        let question = question.into_inner();
        if let Some(valid) = check_question(question, span, &mut problems) {
            if !ids.insert(valid.id.clone()) {
                problems.push(
                    Problem::new(
                        format!("question id `{}` is used twice in this quiz", valid.id),
                        valid.id_span.clone(),
                        "second use",
                    )
                    .help("ids keep the learner's saved progress; give each question its own"),
                );
            }
            questions.push(valid);
        }
    }
    if problems.is_empty() {
        Ok(Quiz { questions })
    } else {
        Err(problems)
    }
}

fn check_question(
    q: Question,
    span: Range<usize>,
    problems: &mut Vec<Problem>,
) -> Option<ValidQuestion> {
    let kind = *q.kind.get_ref();
    let before = problems.len();
    for (key, key_span) in q.typed_keys() {
        if !kind.keys().contains(&key) {
            let owners: Vec<&str> = ALL_KINDS
                .iter()
                .filter(|k| k.keys().contains(&key))
                .map(|k| k.name())
                .collect();
            problems.push(
                Problem::new(
                    format!("`{key}` does not apply to a `{}` question", kind.name()),
                    key_span,
                    "not used by this type",
                )
                .help(format!(
                    "`{key}` belongs to {} questions; a `{}` question takes {}",
                    owners.join(", "),
                    kind.name(),
                    list(kind.keys())
                )),
            );
        }
    }
    let prompt_span = q.prompt.span();
    if q.prompt.get_ref().trim().is_empty() {
        problems.push(Problem::new("empty prompt", prompt_span.clone(), "empty"));
    }
    let body = match kind {
        Kind::Single | Kind::Multiple => check_choices(&q, kind, span.clone(), problems),
        Kind::TrueFalse => match q.answer.as_ref().map(|a| (a.get_ref(), a.span())) {
            Some((toml::Value::Boolean(b), _)) => Some(Body::TrueFalse(*b)),
            Some((_, span)) => {
                problems.push(
                    Problem::new(
                        "a true-false answer must be `true` or `false`",
                        span,
                        "not a boolean",
                    )
                    .help("write `answer = true` or `answer = false`, without quotes"),
                );
                None
            }
            None => missing(problems, span.clone(), kind, "answer = true"),
        },
        Kind::Short => check_short(&q, span.clone(), problems),
        Kind::Numeric => check_numeric(&q, span.clone(), problems),
        Kind::Order => match &q.steps {
            Some(steps) if steps.get_ref().len() < 2 => {
                problems.push(Problem::new(
                    "an order question needs at least two steps",
                    steps.span(),
                    "too few steps",
                ));
                None
            }
            Some(steps) => {
                if let Some(dup) = duplicate(steps.get_ref().iter().map(String::as_str)) {
                    problems.push(Problem::new(
                        format!("step `{dup}` appears twice"),
                        steps.span(),
                        "duplicate step",
                    ));
                }
                Some(Body::Order(steps.get_ref().clone()))
            }
            None => missing(
                problems,
                span.clone(),
                kind,
                "steps = [\"first\", \"second\"]",
            ),
        },
        Kind::Fill => check_fill(&q, span.clone(), problems),
        Kind::Output => match (&q.command, &q.output) {
            (Some(command), Some(output)) => Some(Body::Output {
                command: command.get_ref().trim_end().to_string(),
                output: output.get_ref().trim_end_matches(['\n', '\r']).to_string(),
            }),
            (None, _) => missing(problems, span.clone(), kind, "command = \"echo hi\""),
            (_, None) => missing(problems, span.clone(), kind, "output = \"hi\""),
        },
    };
    if problems.len() > before {
        return None;
    }
    let (id, id_span) = match &q.id {
        Some(id) => {
            let text = id.get_ref().trim();
            if text.is_empty() || text.chars().any(char::is_whitespace) {
                problems.push(
                    Problem::new(
                        "a question id must be a word without spaces",
                        id.span(),
                        "bad id",
                    )
                    .help("use lowercase words joined by hyphens, such as `port-mapping`"),
                );
                return None;
            }
            (text.to_string(), id.span())
        }
        None => (derived_id(q.prompt.get_ref()), prompt_span),
    };
    Some(ValidQuestion {
        id,
        id_span,
        kind,
        prompt: q.prompt.into_inner(),
        explain: q.explain,
        hints: q.hints,
        body: body?,
    })
}

const ALL_KINDS: [Kind; 8] = [
    Kind::Single,
    Kind::Multiple,
    Kind::TrueFalse,
    Kind::Short,
    Kind::Numeric,
    Kind::Order,
    Kind::Fill,
    Kind::Output,
];

fn list(keys: &[&str]) -> String {
    let quoted: Vec<String> = keys.iter().map(|k| format!("`{k}`")).collect();
    quoted.join(", ")
}

fn missing(
    problems: &mut Vec<Problem>,
    span: Range<usize>,
    kind: Kind,
    example: &str,
) -> Option<Body> {
    let key = example.split([' ', '=']).next().unwrap_or(example);
    problems.push(
        Problem::new(
            format!("a `{}` question needs `{key}`", kind.name()),
            header(span),
            "in this question",
        )
        .help(format!("add, for example, `{example}`")),
    );
    None
}

/// Points at the start of a question rather than its whole table.
fn header(span: Range<usize>) -> Range<usize> {
    span.start..span.start + (span.end - span.start).min(12)
}

fn duplicate<'a>(items: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let mut seen = HashSet::new();
    items.into_iter().find(|i| !seen.insert(i.trim()))
}

fn check_choices(
    q: &Question,
    kind: Kind,
    span: Range<usize>,
    problems: &mut Vec<Problem>,
) -> Option<Body> {
    let Some(choices) = &q.choice else {
        return missing(problems, span, kind, "[[question.choice]]");
    };
    let list = choices.get_ref();
    if list.len() < 2 {
        problems.push(
            Problem::new(
                format!("a `{}` question needs at least two choices", kind.name()),
                choices.span(),
                format!("{} choice", list.len()),
            )
            .help("add `[[question.choice]]` tables with `text`"),
        );
        return None;
    }
    let mut seen: Vec<&str> = Vec::new();
    for choice in list {
        let text = choice.get_ref().text.get_ref().trim();
        if seen.contains(&text) {
            problems.push(Problem::new(
                format!("choice `{text}` appears twice"),
                choice.get_ref().text.span(),
                "duplicate choice",
            ));
        }
        seen.push(text);
    }
    let correct = list.iter().filter(|c| c.get_ref().correct).count();
    let at = header(span);
    match kind {
        Kind::Single if correct != 1 => problems.push(
            Problem::new(
                format!("a `single` question needs exactly one correct choice, found {correct}"),
                at,
                "in this question",
            )
            .help(if correct == 0 {
                "mark the right choice with `correct = true`"
            } else {
                "use `type = \"multiple\"` when several choices are right"
            }),
        ),
        Kind::Multiple if correct == 0 => problems.push(
            Problem::new(
                "a `multiple` question needs at least one correct choice",
                at,
                "in this question",
            )
            .help("mark the right choices with `correct = true`"),
        ),
        Kind::Multiple if correct == list.len() => problems.push(
            Problem::new(
                "every choice of this `multiple` question is correct",
                at,
                "in this question",
            )
            .help("add at least one wrong choice, or the question gives itself away"),
        ),
        _ => {}
    }
    Some(Body::Choices {
        choices: list
            .iter()
            .map(|c| {
                let c = c.get_ref();
                ValidChoice {
                    text: c.text.get_ref().clone(),
                    correct: c.correct,
                    feedback: c.feedback.clone(),
                }
            })
            .collect(),
        shuffle: q.shuffle.as_ref().is_some_and(|s| *s.get_ref()),
    })
}

fn check_short(q: &Question, span: Range<usize>, problems: &mut Vec<Problem>) -> Option<Body> {
    let Some(accept) = &q.accept else {
        return missing(problems, span, Kind::Short, "accept = [\"8000\"]");
    };
    let answers = accept.get_ref();
    if answers.is_empty() || answers.iter().all(|a| a.trim().is_empty()) {
        problems.push(
            Problem::new("`accept` is empty", accept.span(), "no accepted answer")
                .help("list every answer that counts as right, such as `accept = [\"8000\"]`"),
        );
        return None;
    }
    let case_sensitive = flag(&q.case_sensitive);
    let regex = flag(&q.regex);
    if regex {
        for answer in answers {
            if let Err(e) = regex::RegexBuilder::new(answer)
                .case_insensitive(!case_sensitive)
                .build()
            {
                let detail = e.to_string();
                let last = detail
                    .lines()
                    .last()
                    .unwrap_or("invalid")
                    .trim()
                    .to_string();
                problems.push(
                    Problem::new(
                        format!("invalid regular expression `{answer}`: {last}"),
                        accept.span(),
                        "in here",
                    )
                    .help("each accepted answer is a regular expression because of `regex = true`"),
                );
            }
        }
    }
    Some(Body::Short {
        accept: answers.iter().map(|a| a.trim().to_string()).collect(),
        case_sensitive,
        regex,
    })
}

fn check_numeric(q: &Question, span: Range<usize>, problems: &mut Vec<Problem>) -> Option<Body> {
    let Some(answer) = &q.answer else {
        return missing(problems, span, Kind::Numeric, "answer = 3");
    };
    let Some(value) = number(answer.get_ref()) else {
        problems.push(
            Problem::new(
                "a numeric answer must be a number",
                answer.span(),
                "not a number",
            )
            .help("write the number without quotes, such as `answer = 8080` or `answer = 0.5`"),
        );
        return None;
    };
    let tolerance = match &q.tolerance {
        None => 0.0,
        Some(t) => match number(t.get_ref()) {
            Some(t) if t >= 0.0 => t,
            _ => {
                problems.push(Problem::new(
                    "`tolerance` must be a number of zero or more",
                    t.span(),
                    "not a tolerance",
                ));
                return None;
            }
        },
    };
    Some(Body::Numeric {
        answer: value,
        tolerance,
    })
}

fn check_fill(q: &Question, span: Range<usize>, problems: &mut Vec<Problem>) -> Option<Body> {
    let Some(text) = &q.text else {
        return missing(
            problems,
            span,
            Kind::Fill,
            "text = \"docker run -p [[8080]]:80 nginx\"",
        );
    };
    match fill_parts(text.get_ref()) {
        Ok(parts) if parts.iter().any(|p| matches!(p, FillPart::Blank(_))) => Some(Body::Fill {
            parts,
            case_sensitive: flag(&q.case_sensitive),
            lang: q.lang.as_ref().map(|l| l.get_ref().clone()),
        }),
        Ok(_) => {
            problems.push(
                Problem::new(
                    "a fill question needs at least one blank",
                    text.span(),
                    "no `[[...]]` here",
                )
                .help("mark each blank with its answer in double brackets: `-p [[8080]]:80`"),
            );
            None
        }
        Err(message) => {
            problems
                .push(Problem::new(message, text.span(), "in this text").help(
                    "a blank is `[[answer]]`, or `[[one|other]]` when several answers count",
                ));
            None
        }
    }
}

/// Splits `docker run -p [[8080|80]]:80` into text and blanks.
pub fn fill_parts(text: &str) -> Result<Vec<FillPart>, String> {
    let mut parts = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find("[[") {
        if open > 0 {
            parts.push(FillPart::Text(rest[..open].to_string()));
        }
        let after = &rest[open + 2..];
        let close = after
            .find("]]")
            .ok_or_else(|| "a blank opened with `[[` is never closed with `]]`".to_string())?;
        let answers: Vec<String> = after[..close]
            .split('|')
            .map(|a| a.trim().to_string())
            .collect();
        if answers.iter().any(String::is_empty) {
            return Err("a blank has an empty answer".into());
        }
        parts.push(FillPart::Blank(answers));
        rest = &after[close + 2..];
    }
    if !rest.is_empty() {
        parts.push(FillPart::Text(rest.to_string()));
    }
    Ok(parts)
}

fn flag(value: &Option<Spanned<bool>>) -> bool {
    value.as_ref().is_some_and(|v| *v.get_ref())
}

/// A stable id for a question without one: the prompt's slug (never written back to the file).
pub fn derived_id(prompt: &str) -> String {
    let slug = github_slug(prompt.lines().next().unwrap_or(prompt));
    let mut id = String::new();
    for word in slug.split('-').filter(|w| !w.is_empty()) {
        if !id.is_empty() && id.len() + word.len() > 48 {
            break;
        }
        if !id.is_empty() {
            id.push('-');
        }
        id.push_str(word);
    }
    if id.is_empty() {
        use std::hash::{Hash, Hasher};
        let mut h = std::hash::DefaultHasher::new();
        prompt.hash(&mut h);
        id = format!("q-{:08x}", h.finish() as u32);
    }
    id
}

/// A TOML or schema error, with "did you mean" for misspelt keys and types.
fn toml_problem(e: &toml::de::Error) -> Problem {
    let span = e.span().unwrap_or(0..0);
    let message = e.message().trim().to_string();
    let names: Vec<&str> = message.split('`').skip(1).step_by(2).collect();
    let (head, label) = if message.starts_with("unknown field") {
        ("unknown key", "unknown key")
    } else if message.starts_with("unknown variant") {
        ("unknown question type", "unknown type")
    } else if message.starts_with("missing field") {
        let key = names.first().copied().unwrap_or("?");
        let what = if key == "type" {
            format!(
                "this question has no `type`; use one of {}",
                list(&ALL_KINDS.map(Kind::name))
            )
        } else {
            format!("this question has no `{key}`")
        };
        return Problem::new(what, header(span), "in this question");
    } else {
        return Problem::new(format!("invalid quiz TOML: {message}"), span, "here")
            .help("see docs/quizzes.md for the format");
    };
    let (found, expected) = names.split_first().map_or(("?", &[][..]), |(f, e)| (*f, e));
    let found = found.to_string();
    let help = match closest(&found, expected) {
        Some(best) => format!("did you mean `{best}`?"),
        None => format!("expected one of {}", list(expected)),
    };
    Problem::new(format!("{head} `{found}`"), span, label).help(help)
}
