//! A validated quiz as HTML. Without JavaScript it is a form of native inputs whose answers and
//! explanations sit in "Show answer" disclosures; the JSON answer key at its end lets the
//! theme's `quiz.js` grade it in place.

use std::fmt::Write;

use serde_json::{Value, json};

use super::check::{Body, FillPart, Quiz, ValidQuestion};
use super::model::Kind;
use crate::highlight;
use crate::html::{escape_attr, escape_html};
use crate::markdown::fragment;

/// The HTML of the `n`th quiz (from 1) of a page.
pub fn render(quiz: &Quiz, n: usize) -> String {
    let total = quiz.questions.len();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<form class=\"quiz\" data-quiz=\"{n}\" aria-labelledby=\"quiz-{n}-title\">\
<p class=\"quiz-title\" id=\"quiz-{n}-title\">Quiz <span class=\"quiz-count\">{total} question{}</span></p>\
<ol class=\"quiz-questions\">",
        if total == 1 { "" } else { "s" }
    );
    for (i, q) in quiz.questions.iter().enumerate() {
        question(&mut out, q, i + 1, total);
    }
    let key: Vec<Value> = quiz.questions.iter().map(answer_key).collect();
    let key = serde_json::to_string(&key)
        .unwrap_or_default()
        .replace("</", "<\\/");
    let _ = writeln!(
        out,
        "</ol>\
<div class=\"quiz-footer\" hidden><p class=\"quiz-score\" role=\"status\"></p>\
<button type=\"button\" class=\"quiz-reset\">Reset answers</button></div>\
<script type=\"application/json\" class=\"quiz-key\">{key}</script>\
</form>"
    );
    out
}

fn question(out: &mut String, q: &ValidQuestion, number: usize, total: usize) {
    let id = escape_attr(&q.id);
    let dom = format!("q-{id}");
    let _ = writeln!(
        out,
        "<li class=\"question\" id=\"{dom}\" data-qid=\"{id}\" data-type=\"{}\">\
<fieldset aria-describedby=\"{dom}-prompt\"><legend class=\"q-number\">Question {number} of {total}</legend>\
<div class=\"q-prompt\" id=\"{dom}-prompt\">{}</div>",
        q.kind.name(),
        fragment(&q.prompt, false)
    );
    inputs(out, q, &dom);
    if !q.hints.is_empty() {
        out.push_str("<div class=\"q-hints\">");
        let count = q.hints.len();
        for (i, hint) in q.hints.iter().enumerate() {
            let _ = write!(
                out,
                "<details class=\"q-hint\"><summary>Hint {} of {count}</summary>{}</details>",
                i + 1,
                fragment(hint, false)
            );
        }
        out.push_str("</div>\n");
    }
    out.push_str(
        "<div class=\"q-actions\" hidden><button type=\"button\" class=\"q-check\">Check</button></div>\
<div class=\"q-result\" role=\"status\"></div>\n",
    );
    let _ = write!(
        out,
        "<details class=\"q-answer\"><summary>Show answer</summary><div class=\"q-answer-body\">{}",
        answer_html(q)
    );
    if let Some(explain) = &q.explain {
        let _ = write!(
            out,
            "<div class=\"q-explain\">{}</div>",
            fragment(explain, false)
        );
    }
    out.push_str("</div></details></fieldset></li>\n");
}

fn inputs(out: &mut String, q: &ValidQuestion, dom: &str) {
    match &q.body {
        Body::Choices { choices, shuffle } => {
            let input = if q.kind == Kind::Multiple {
                "checkbox"
            } else {
                "radio"
            };
            let _ = write!(
                out,
                "<ul class=\"q-choices\"{}>",
                if *shuffle { " data-shuffle" } else { "" }
            );
            for (i, c) in choices.iter().enumerate() {
                let _ = write!(
                    out,
                    "<li><label class=\"q-choice\"><input type=\"{input}\" name=\"{dom}\" value=\"{i}\"> <span>{}</span></label>",
                    fragment(&c.text, true)
                );
                if let Some(feedback) = &c.feedback {
                    let _ = write!(
                        out,
                        "<div class=\"q-feedback\" data-choice=\"{i}\" hidden>{}</div>",
                        fragment(feedback, true)
                    );
                }
                out.push_str("</li>");
            }
            out.push_str("</ul>\n");
        }
        Body::TrueFalse(_) => {
            let _ = writeln!(
                out,
                "<ul class=\"q-choices q-true-false\"><li><label class=\"q-choice\"><input type=\"radio\" name=\"{dom}\" value=\"true\"> <span>True</span></label></li>\
<li><label class=\"q-choice\"><input type=\"radio\" name=\"{dom}\" value=\"false\"> <span>False</span></label></li></ul>"
            );
        }
        Body::Short { .. } => {
            let _ = writeln!(
                out,
                "<p class=\"q-field\"><label for=\"{dom}-answer\">Your answer</label> \
<input type=\"text\" id=\"{dom}-answer\" name=\"{dom}\" autocomplete=\"off\" autocapitalize=\"off\" spellcheck=\"false\"></p>"
            );
        }
        Body::Numeric { .. } => {
            let _ = writeln!(
                out,
                "<p class=\"q-field\"><label for=\"{dom}-answer\">Your answer</label> \
<input type=\"text\" inputmode=\"decimal\" id=\"{dom}-answer\" name=\"{dom}\" autocomplete=\"off\" size=\"10\"></p>"
            );
        }
        Body::Order(steps) => {
            let shown = scrambled(steps.len(), &q.id);
            let _ = write!(
                out,
                "<p class=\"q-instructions\">Number the steps from 1 (first) to {}.</p><ul class=\"q-order\">",
                steps.len()
            );
            for step in shown {
                let _ = write!(
                    out,
                    "<li data-step=\"{step}\"><label><select name=\"{dom}-{step}\"><option value=\"\">–</option>"
                );
                for position in 1..=steps.len() {
                    let _ = write!(out, "<option>{position}</option>");
                }
                let _ = write!(
                    out,
                    "</select> <span>{}</span></label></li>",
                    fragment(&steps[step], true)
                );
            }
            out.push_str("</ul>\n");
        }
        Body::Fill { parts, lang, .. } => {
            let (open, close) = if lang.is_some() {
                ("<pre class=\"code q-fill\"><code>", "</code></pre>")
            } else {
                ("<p class=\"q-fill\">", "</p>")
            };
            out.push_str(open);
            let mut blank = 0;
            for part in parts {
                match part {
                    FillPart::Text(text) => out.push_str(&escape_html(text)),
                    FillPart::Blank(answers) => {
                        blank += 1;
                        let width = answers
                            .iter()
                            .map(|a| a.chars().count())
                            .max()
                            .unwrap_or(4)
                            .max(4)
                            + 1;
                        let _ = write!(
                            out,
                            "<input type=\"text\" class=\"q-blank\" name=\"{dom}-{blank}\" aria-label=\"Blank {blank}\" size=\"{width}\" autocomplete=\"off\" autocapitalize=\"off\" spellcheck=\"false\">"
                        );
                    }
                }
            }
            out.push_str(close);
            out.push('\n');
        }
        Body::Output { command, .. } => {
            let session = format!("$ {command}\n");
            let _ = writeln!(
                out,
                "<pre class=\"code\" data-lang=\"console\"><code class=\"language-console\">{}</code></pre>\
<p class=\"q-field\"><label for=\"{dom}-answer\">What does it print?</label></p>\
<textarea id=\"{dom}-answer\" name=\"{dom}\" rows=\"3\" spellcheck=\"false\" class=\"q-output\"></textarea>",
                highlight::highlight_session(&session)
            );
        }
    }
}

/// The right answer, for the "Show answer" disclosure.
fn answer_html(q: &ValidQuestion) -> String {
    match &q.body {
        Body::Choices { choices, .. } => {
            let mut html = String::from("<ul class=\"q-key\">");
            for c in choices {
                let (mark, class) = if c.correct {
                    ("✓", "right")
                } else {
                    ("✗", "wrong")
                };
                let _ = write!(
                    html,
                    "<li class=\"{class}\"><span class=\"q-mark\" role=\"img\" aria-label=\"{}\">{mark}</span> {}",
                    if c.correct { "right" } else { "wrong" },
                    fragment(&c.text, true)
                );
                if let Some(feedback) = &c.feedback {
                    let _ = write!(
                        html,
                        " <span class=\"q-why\">{}</span>",
                        fragment(feedback, true)
                    );
                }
                html.push_str("</li>");
            }
            html.push_str("</ul>");
            html
        }
        Body::TrueFalse(answer) => format!(
            "<p>Answer: <strong>{}</strong></p>",
            if *answer { "True" } else { "False" }
        ),
        Body::Short { accept, regex, .. } => {
            let items: Vec<String> = accept
                .iter()
                .map(|a| format!("<code>{}</code>", escape_html(a)))
                .collect();
            format!(
                "<p>{}: {}</p>",
                if *regex {
                    "Answers matching"
                } else {
                    "Accepted answers"
                },
                items.join(", ")
            )
        }
        Body::Numeric { answer, tolerance } => {
            if *tolerance > 0.0 {
                format!("<p>Answer: <strong>{answer}</strong> (± {tolerance})</p>")
            } else {
                format!("<p>Answer: <strong>{answer}</strong></p>")
            }
        }
        Body::Order(steps) => {
            let items: String = steps
                .iter()
                .map(|s| format!("<li>{}</li>", fragment(s, true)))
                .collect();
            format!("<ol class=\"q-key\">{items}</ol>")
        }
        Body::Fill { parts, lang, .. } => {
            let mut text = String::new();
            for part in parts {
                match part {
                    FillPart::Text(t) => text.push_str(&escape_html(t)),
                    FillPart::Blank(answers) => {
                        let _ = write!(text, "<mark>{}</mark>", escape_html(&answers[0]));
                    }
                }
            }
            if lang.is_some() {
                format!("<pre class=\"code\"><code>{text}</code></pre>")
            } else {
                format!("<p>{text}</p>")
            }
        }
        Body::Output { output, .. } => format!(
            "<pre class=\"code\"><code>{}</code></pre>",
            escape_html(output)
        ),
    }
}

/// What `quiz.js` grades against.
fn answer_key(q: &ValidQuestion) -> Value {
    let mut key = json!({ "id": q.id, "type": q.kind.name() });
    let extra = match &q.body {
        Body::Choices { choices, .. } => json!({
            "correct": choices.iter().enumerate().filter(|(_, c)| c.correct).map(|(i, _)| i).collect::<Vec<_>>(),
        }),
        Body::TrueFalse(answer) => json!({ "answer": answer }),
        Body::Short {
            accept,
            case_sensitive,
            regex,
        } => json!({ "accept": accept, "caseSensitive": case_sensitive, "regex": regex }),
        Body::Numeric { answer, tolerance } => json!({ "answer": answer, "tolerance": tolerance }),
        Body::Order(steps) => json!({ "steps": steps.len() }),
        Body::Fill {
            parts,
            case_sensitive,
            ..
        } => json!({
            "blanks": parts.iter().filter_map(|p| match p {
                FillPart::Blank(a) => Some(a.clone()),
                FillPart::Text(_) => None,
            }).collect::<Vec<_>>(),
            "caseSensitive": case_sensitive,
        }),
        Body::Output { output, .. } => json!({ "output": output }),
    };
    if let (Value::Object(key), Value::Object(extra)) = (&mut key, extra) {
        key.extend(extra);
    }
    key
}

/// The order in which an `order` question shows its steps: never the right one, and the same
/// on every build (it depends only on the question's id).
fn scrambled(len: usize, id: &str) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    let mut state = id.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    });
    for i in (1..len).rev() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        order.swap(i, (state % (i as u64 + 1)) as usize);
    }
    if order.iter().enumerate().all(|(i, s)| i == *s) {
        order.rotate_left(1);
    }
    order
}
