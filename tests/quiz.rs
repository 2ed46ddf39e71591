//! Quizzes: every validation error (message, file:line:col, help) and the HTML of every
//! question type, as the built page shows it without JavaScript.

mod common;
use common::{Course, Page, text};

/// A lesson whose line 4 is the first line of the quiz body.
fn quiz_lesson(body: &str) -> Course {
    Course::new().lesson("01-m/01-q.md", format!("# Q\n\n```quiz\n{body}```\n"))
}

/// The errors of a failed build as (message, location, help) triples.
fn errors(course: &Course) -> Vec<(String, String, String)> {
    let run = course.build();
    run.assert_code(1);
    assert!(!course.exists("public"), "a failed build writes nothing");
    let mut out = Vec::new();
    for line in run.diagnostics().lines() {
        let line = line.trim_start();
        if let Some(message) = line.strip_prefix("error: ") {
            out.push((message.to_string(), String::new(), String::new()));
        } else if let (Some(at), Some(last)) = (line.strip_prefix("--> "), out.last_mut()) {
            last.1 = at.to_string();
        } else if let (Some(help), Some(last)) = (line.strip_prefix("= help: "), out.last_mut()) {
            last.2 = help.to_string();
        }
    }
    out.retain(|(m, _, _)| m.starts_with("quiz"));
    out
}

fn one_error(body: &str) -> (String, String, String) {
    let found = errors(&quiz_lesson(body));
    assert_eq!(found.len(), 1, "{found:#?}");
    found.into_iter().next().unwrap()
}

const CHOICES_OK: &str = "  [[question.choice]]\n  text = \"a\"\n  correct = true\n  [[question.choice]]\n  text = \"b\"\n";

#[test]
fn invalid_toml_is_reported_where_it_breaks() {
    let (message, at, _) = one_error("[[question]\ntype = \"single\"\n");
    assert!(
        message.starts_with("quiz: invalid quiz TOML: "),
        "{message}"
    );
    assert_eq!(at, "content/01-m/01-q.md:4:12");
}

#[test]
fn misspelt_keys_and_types_get_a_suggestion() {
    assert_eq!(
        one_error("[[question]]\ntype = \"single\"\npromt = \"x\"\n"),
        (
            "quiz: unknown key `promt`".into(),
            "content/01-m/01-q.md:6:1".into(),
            "did you mean `prompt`?".into()
        )
    );
    assert_eq!(
        one_error("[[question]]\ntype = \"singel\"\nprompt = \"x\"\n"),
        (
            "quiz: unknown question type `singel`".into(),
            "content/01-m/01-q.md:5:8".into(),
            "did you mean `single`?".into()
        )
    );
    let (message, _, help) = one_error("[[question]]\ntype = \"essay\"\nprompt = \"x\"\n");
    assert_eq!(message, "quiz: unknown question type `essay`");
    assert!(
        help.starts_with("expected one of `single`, `multiple`, `true-false`"),
        "{help}"
    );
}

#[test]
fn a_quiz_needs_questions_and_each_question_a_type_and_prompt() {
    assert_eq!(
        one_error("").0,
        "quiz: quiz has no questions",
        "an empty block"
    );
    let (message, at, _) = one_error("[[question]]\nprompt = \"x\"\n");
    assert_eq!(
        message,
        "quiz: this question has no `type`; use one of `single`, `multiple`, `true-false`, `short`, `numeric`, `order`, `fill`, `output`"
    );
    assert_eq!(at, "content/01-m/01-q.md:4:1");
    assert_eq!(
        one_error("[[question]]\ntype = \"short\"\naccept = [\"a\"]\n").0,
        "quiz: this question has no `prompt`"
    );
}

#[test]
fn choice_questions_are_checked_for_their_correct_answers() {
    let single = |choices: &str| {
        one_error(&format!(
            "[[question]]\ntype = \"single\"\nprompt = \"p\"\n{choices}"
        ))
    };
    let (message, at, help) =
        single("  [[question.choice]]\n  text = \"a\"\n  [[question.choice]]\n  text = \"b\"\n");
    assert_eq!(
        message,
        "quiz: a `single` question needs exactly one correct choice, found 0"
    );
    assert_eq!(at, "content/01-m/01-q.md:4:1");
    assert_eq!(help, "mark the right choice with `correct = true`");
    let (message, _, help) = single(
        "  [[question.choice]]\n  text = \"a\"\n  correct = true\n  [[question.choice]]\n  text = \"b\"\n  correct = true\n",
    );
    assert_eq!(
        message,
        "quiz: a `single` question needs exactly one correct choice, found 2"
    );
    assert_eq!(
        help,
        "use `type = \"multiple\"` when several choices are right"
    );
    let (message, at, _) = single("  [[question.choice]]\n  text = \"a\"\n  correct = true\n");
    assert_eq!(
        message,
        "quiz: a `single` question needs at least two choices"
    );
    assert_eq!(at, "content/01-m/01-q.md:7:3");
    let (message, at, _) = single(
        "  [[question.choice]]\n  text = \"same\"\n  correct = true\n  [[question.choice]]\n  text = \"same\"\n",
    );
    assert_eq!(message, "quiz: choice `same` appears twice");
    assert_eq!(at, "content/01-m/01-q.md:11:10");

    let multiple = |choices: &str| {
        one_error(&format!(
            "[[question]]\ntype = \"multiple\"\nprompt = \"p\"\n{choices}"
        ))
    };
    assert_eq!(
        multiple("  [[question.choice]]\n  text = \"a\"\n  [[question.choice]]\n  text = \"b\"\n")
            .0,
        "quiz: a `multiple` question needs at least one correct choice"
    );
    assert_eq!(
        multiple("  [[question.choice]]\n  text = \"a\"\n  correct = true\n  [[question.choice]]\n  text = \"b\"\n  correct = true\n").0,
        "quiz: every choice of this `multiple` question is correct"
    );
}

#[test]
fn typed_answers_are_checked() {
    let (message, at, _) =
        one_error("[[question]]\ntype = \"short\"\nprompt = \"p\"\naccept = []\n");
    assert_eq!(message, "quiz: `accept` is empty");
    assert_eq!(at, "content/01-m/01-q.md:7:10");
    let (message, at, help) =
        one_error("[[question]]\ntype = \"numeric\"\nprompt = \"p\"\nanswer = \"three\"\n");
    assert_eq!(message, "quiz: a numeric answer must be a number");
    assert_eq!(at, "content/01-m/01-q.md:7:10");
    assert_eq!(
        help,
        "write the number without quotes, such as `answer = 8080` or `answer = 0.5`"
    );
    assert_eq!(
        one_error("[[question]]\ntype = \"true-false\"\nprompt = \"p\"\nanswer = \"yes\"\n").0,
        "quiz: a true-false answer must be `true` or `false`"
    );
    let (message, _, help) = one_error("[[question]]\ntype = \"true-false\"\nprompt = \"p\"\n");
    assert_eq!(message, "quiz: a `true-false` question needs `answer`");
    assert_eq!(help, "add, for example, `answer = true`");
    let (message, _, _) = one_error(
        "[[question]]\ntype = \"short\"\nprompt = \"p\"\nregex = true\naccept = [\"(-p\"]\n",
    );
    assert!(
        message.starts_with("quiz: invalid regular expression `(-p`: "),
        "{message}"
    );
    assert_eq!(
        one_error("[[question]]\ntype = \"fill\"\nprompt = \"p\"\ntext = \"no blanks\"\n").0,
        "quiz: a fill question needs at least one blank"
    );
    assert_eq!(
        one_error("[[question]]\ntype = \"fill\"\nprompt = \"p\"\ntext = \"-p [[8080:80\"\n").0,
        "quiz: a blank opened with `[[` is never closed with `]]`"
    );
    assert_eq!(
        one_error("[[question]]\ntype = \"order\"\nprompt = \"p\"\nsteps = [\"only\"]\n").0,
        "quiz: an order question needs at least two steps"
    );
    assert_eq!(
        one_error("[[question]]\ntype = \"output\"\nprompt = \"p\"\ncommand = \"echo hi\"\n").0,
        "quiz: a `output` question needs `output`"
    );
}

#[test]
fn keys_of_another_type_are_refused() {
    let (message, at, help) = one_error(&format!(
        "[[question]]\ntype = \"single\"\nprompt = \"p\"\naccept = [\"x\"]\n{CHOICES_OK}"
    ));
    assert_eq!(
        message,
        "quiz: `accept` does not apply to a `single` question"
    );
    assert_eq!(at, "content/01-m/01-q.md:7:10");
    assert_eq!(
        help,
        "`accept` belongs to short questions; a `single` question takes `choice`, `shuffle`"
    );
}

#[test]
fn every_problem_of_a_quiz_is_reported_at_once_with_positions_inside_lists() {
    // An indented fence inside a list item: columns count the indentation.
    let course = Course::new().lesson(
        "01-m/01-q.md",
        "# Q\n\n- Try it:\n\n  ```quiz\n  [[question]]\n  type = \"short\"\n  prompt = \"p\"\n  accept = []\n\n  [[question]]\n  type = \"numeric\"\n  prompt = \"q\"\n  answer = \"x\"\n  ```\n",
    );
    let found = errors(&course);
    let at: Vec<(&str, &str)> = found
        .iter()
        .map(|(m, a, _)| (m.as_str(), a.as_str()))
        .collect();
    assert_eq!(
        at,
        [
            ("quiz: `accept` is empty", "content/01-m/01-q.md:9:12"),
            (
                "quiz: a numeric answer must be a number",
                "content/01-m/01-q.md:14:12"
            ),
        ]
    );
}

#[test]
fn question_ids_are_unique_across_the_course_and_both_places_are_named() {
    let quiz = |id: &str| {
        format!(
            "# L\n\n```quiz\n[[question]]\nid = \"{id}\"\ntype = \"true-false\"\nprompt = \"p\"\nanswer = true\n```\n"
        )
    };
    let course = Course::new()
        .lesson("01-m/01-a.md", quiz("ports"))
        .lesson("01-m/02-b.md", quiz("ports"));
    let found = errors(&course);
    assert_eq!(found.len(), 1, "{found:#?}");
    let (message, at, help) = &found[0];
    assert_eq!(
        message,
        "quiz: question id `ports` is used twice in the course"
    );
    assert_eq!(at, "content/01-m/02-b.md:5:6");
    assert!(
        help.starts_with("first used at content/01-m/01-a.md:5:6;"),
        "{help}"
    );

    let (message, _, _) = one_error(
        "[[question]]\nid = \"x\"\ntype = \"true-false\"\nprompt = \"p\"\nanswer = true\n[[question]]\nid = \"x\"\ntype = \"true-false\"\nprompt = \"q\"\nanswer = false\n",
    );
    assert_eq!(message, "quiz: question id `x` is used twice in this quiz");
}

#[test]
fn a_missing_id_is_derived_from_the_prompt_and_never_written_back() {
    let body = "[[question]]\ntype = \"true-false\"\nprompt = \"Are **image layers** read-only?\"\nanswer = true\n";
    let course = quiz_lesson(body);
    course.build().assert_success().assert_no_warnings();
    let page = course.page("m/q.html");
    assert_eq!(
        page.attrs("li.question", "data-qid"),
        ["are-image-layers-read-only"]
    );
    assert_eq!(
        course.read("content/01-m/01-q.md"),
        format!("# Q\n\n```quiz\n{body}```\n"),
        "the author's file is untouched"
    );
    // Rebuilding gives the same id: saved progress survives.
    course.build().assert_success();
    assert_eq!(
        course.page("m/q.html").attrs("li.question", "data-qid"),
        ["are-image-layers-read-only"]
    );
}

fn fixture_page() -> (Course, Page) {
    let course = Course::fixture("quiz-course");
    course.build_strict().assert_success().assert_no_warnings();
    let page = course.page("basics/quiz.html");
    (course, page)
}

fn question<'a>(page: &'a Page, id: &str) -> scraper::ElementRef<'a> {
    page.one(&format!("li.question[data-qid=\"{id}\"]"))
}

fn select<'a>(e: scraper::ElementRef<'a>, css: &str) -> Vec<scraper::ElementRef<'a>> {
    e.select(&scraper::Selector::parse(css).unwrap()).collect()
}

fn answer_text(page: &Page, id: &str) -> String {
    text(&select(question(page, id), "details.q-answer .q-answer-body")[0])
}

#[test]
fn every_question_type_renders_as_a_form_that_works_without_javascript() {
    let (_course, page) = fixture_page();
    let form = page.one("form.quiz");
    assert_eq!(form.value().attr("aria-labelledby"), Some("quiz-1-title"));
    assert_eq!(
        page.attrs("li.question", "data-type"),
        [
            "single",
            "multiple",
            "true-false",
            "short",
            "short",
            "numeric",
            "order",
            "fill",
            "output"
        ]
    );
    for q in page.select("li.question") {
        assert_eq!(
            select(q, "fieldset > legend").len(),
            1,
            "a fieldset with a legend"
        );
        assert_eq!(
            select(q, "details.q-answer > summary").len(),
            1,
            "a Show answer disclosure"
        );
        assert_eq!(
            select(q, ".q-actions")[0].value().attr("hidden"),
            Some(""),
            "buttons that need JavaScript start hidden"
        );
    }
    assert_eq!(page.one(".quiz-footer").value().attr("hidden"), Some(""));

    // single: radios, per-choice feedback, answers marked in the disclosure.
    let single = question(&page, "image-vs-container");
    assert_eq!(
        select(single, "input[type=radio][name=q-image-vs-container]").len(),
        3
    );
    assert_eq!(select(single, ".q-choices[data-shuffle]").len(), 1);
    assert_eq!(
        text(&select(single, ".q-feedback[data-choice=\"1\"]")[0]),
        "Reversed: the image is the template."
    );
    assert_eq!(select(single, "strong").len(), 1, "Markdown in the prompt");
    assert_eq!(select(single, "details.q-hint").len(), 2);
    let key: Vec<String> = select(single, ".q-key li.right").iter().map(text).collect();
    assert_eq!(
        key,
        ["✓ A container is a running (or stopped) instance of an image"]
    );
    assert!(answer_text(&page, "image-vs-container").contains("An image is a read-only template"));

    // multiple: checkboxes, every right choice marked.
    let multiple = question(&page, "pick-persistent");
    assert_eq!(select(multiple, "input[type=checkbox]").len(), 3);
    assert_eq!(select(multiple, ".q-key li.right").len(), 2);

    // true-false, short, numeric, output: native inputs with labels.
    assert_eq!(
        select(question(&page, "layers-readonly"), "input[type=radio]").len(),
        2
    );
    assert_eq!(answer_text(&page, "layers-readonly"), "Answer: True");
    let short = question(&page, "port-mapping");
    let input = select(short, "input[type=text]")[0];
    let id = input.value().attr("id").unwrap();
    assert_eq!(select(short, &format!("label[for=\"{id}\"]")).len(), 1);
    assert!(
        answer_text(&page, "port-mapping").starts_with("Accepted answers: 8000, localhost:8000")
    );
    assert!(answer_text(&page, "publish-flag").starts_with("Answers matching: ^(-p|--publish)$"));
    assert_eq!(
        select(question(&page, "layer-count"), "input[inputmode=decimal]").len(),
        1
    );
    assert_eq!(
        select(
            question(&page, "layer-count"),
            ".q-prompt pre.code .hl-keyword"
        )
        .len(),
        3,
        "code in a prompt is highlighted"
    );
    assert_eq!(answer_text(&page, "layer-count"), "Answer: 2");
    let output = question(&page, "echo-env");
    assert_eq!(select(output, "textarea").len(), 1);
    assert_eq!(text(&select(output, "pre.code .hl-prompt")[0]), "$");
    assert_eq!(answer_text(&page, "echo-env"), "hi");

    // order: scrambled steps, each with a position select; the key lists the right order.
    let order = question(&page, "build-order");
    let shown: Vec<String> = select(order, ".q-order li")
        .iter()
        .map(|li| li.value().attr("data-step").unwrap().to_string())
        .collect();
    assert_eq!(shown.len(), 3);
    assert_ne!(shown, ["0", "1", "2"], "never shown in the right order");
    assert_eq!(select(order, ".q-order select option").len(), 3 * 4);
    let key: Vec<String> = select(order, "ol.q-key li").iter().map(text).collect();
    assert_eq!(
        key,
        ["Write a Dockerfile", "Run docker build", "Run docker run"]
    );

    // fill: one labelled input per blank inside the command.
    let fill = question(&page, "fill-run");
    let blanks = select(fill, "pre.q-fill input.q-blank");
    assert_eq!(blanks.len(), 2);
    assert_eq!(blanks[1].value().attr("aria-label"), Some("Blank 2"));
    assert_eq!(
        answer_text(&page, "fill-run"),
        "docker run -p 8080:80 nginx"
    );

    // The answer key quiz.js grades against.
    let key: serde_json::Value = serde_json::from_str(&text(&page.one("script.quiz-key"))).unwrap();
    assert_eq!(key[0]["correct"], serde_json::json!([0]));
    assert_eq!(key[1]["correct"], serde_json::json!([0, 1]));
    assert_eq!(key[4]["regex"], serde_json::json!(true));
    assert_eq!(
        key[7]["blanks"],
        serde_json::json!([["8080"], ["nginx", "nginx:latest"]])
    );
}

#[test]
fn checklists_and_check_tables_become_tickable_boxes_with_stable_keys() {
    let (course, _) = fixture_page();
    let page = course.page("basics/checks.html");
    let boxes = page.select("input.check[data-check]");
    assert_eq!(boxes.len(), 4, "two task-list items and two table rows");
    assert!(
        boxes.iter().all(|b| b.value().attr("disabled").is_none()),
        "tickable"
    );
    assert_eq!(
        page.attrs("td > input.check", "aria-label"),
        [
            "Write a Dockerfile from memory",
            "Read the output of docker ps"
        ]
    );
    let keys = page.attrs("input.check", "data-check");
    course.build().assert_success();
    assert_eq!(
        course
            .page("basics/checks.html")
            .attrs("input.check", "data-check"),
        keys
    );

    // The module page and the progress page count every question and box.
    let module = course.page("basics/index.html");
    let counts: Vec<usize> = module
        .attrs("[data-progress]", "data-progress")
        .iter()
        .map(|k| k.split_whitespace().count())
        .collect();
    assert_eq!(counts, [9, 4]);
    let progress = course.page("progress.html");
    assert_eq!(
        progress.texts(".progress-lessons a"),
        ["Every question type", "Self-checks"]
    );
    assert_eq!(progress.select("script[src$=\"quiz.js\"]").len(), 1);
    assert_eq!(
        course
            .page("basics/checks.html")
            .select("script[src$=\"quiz.js\"]")
            .len(),
        0,
        "a page without a quiz does not load quiz.js"
    );
}

#[test]
fn a_course_without_quizzes_has_no_progress_page() {
    let course = Course::new().lesson("01-m/01-a.md", "# A\n\nText.\n");
    course.build().assert_success();
    assert!(!course.exists("public/progress.html"));
    assert!(
        course
            .page("m/a.html")
            .select(".sidebar-progress")
            .is_empty()
    );
}
