//! Quizzes and self-checks in a real browser: the fixture course `tests/fixtures/quiz-course`
//! built by the real binary, opened over `file://` in headless Chromium, and used the way a
//! learner does (mouse, keyboard only, JavaScript off). Screenshots land in
//! `target/test-artifacts/`.
//!
//! Needs `/usr/bin/chromium` and `/usr/bin/chromedriver` (`scripts/test` installs them); without
//! them the tests skip and say so, except under CI, where they fail.

#[path = "common/browser.rs"]
mod browser;
mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use browser::{Browser, Key, Launch, StaticSite};
use common::Course;

/// The course key of the fixture (`data-course`, from its title), which prefixes every
/// localStorage key.
const PREFIX: &str = "cb:quiz-fixture:";

/// The fixture course, built.
fn built() -> Course {
    let course = Course::fixture("quiz-course");
    course.build().assert_success().assert_no_warnings();
    course
}

fn public(course: &Course, rel: &str) -> PathBuf {
    course.path().join("public").join(rel)
}

/// An answer, as a learner gives it.
#[derive(Clone, Copy, Debug)]
enum Answer {
    /// Pick exactly these choices (the `value` of radios or checkboxes).
    Pick(&'static [&'static str]),
    /// Type into the question's one text field or textarea.
    Type(&'static str),
    /// Type into the blanks, in order.
    Blanks(&'static [&'static str]),
    /// The position (1-based) given to each step, by its index in the right order.
    Positions(&'static [&'static str]),
}

/// Every question of the fixture: id, a wrong answer, the right answer.
const QUESTIONS: [(&str, Answer, Answer); 9] = [
    (
        "image-vs-container",
        Answer::Pick(&["1"]),
        Answer::Pick(&["0"]),
    ),
    (
        "pick-persistent",
        Answer::Pick(&["0", "2"]),
        Answer::Pick(&["0", "1"]),
    ),
    (
        "layers-readonly",
        Answer::Pick(&["false"]),
        Answer::Pick(&["true"]),
    ),
    (
        "port-mapping",
        Answer::Type("80"),
        Answer::Type("localhost:8000"),
    ),
    (
        "publish-flag",
        Answer::Type("--port"),
        Answer::Type("--publish"),
    ),
    ("layer-count", Answer::Type("3"), Answer::Type("2")),
    (
        "build-order",
        Answer::Positions(&["1", "3", "2"]),
        Answer::Positions(&["1", "2", "3"]),
    ),
    (
        "fill-run",
        Answer::Blanks(&["80", "httpd"]),
        Answer::Blanks(&["8080", "nginx:latest"]),
    ),
    ("echo-env", Answer::Type("GREETING"), Answer::Type("hi\n")),
];

/// Gives `answer` to question `id` with the mouse and the keyboard's letters.
async fn give(b: &Browser, id: &str, answer: Answer) {
    let q = format!("#q-{id}");
    match answer {
        Answer::Pick(values) => {
            for input in b.all(&format!("{q} .q-choice input")).await {
                let value = input
                    .attr("value")
                    .await
                    .expect("value")
                    .unwrap_or_default();
                let want = values.contains(&value.as_str());
                if input.is_selected().await.expect("selected") != want {
                    b.scroll_to(&input).await;
                    input.click().await.expect("click a choice");
                }
            }
        }
        Answer::Type(text) => {
            b.type_into(&format!("{q} input[type=text], {q} textarea"), text)
                .await;
        }
        Answer::Blanks(texts) => {
            let blanks = b.all(&format!("{q} input.q-blank")).await;
            assert_eq!(blanks.len(), texts.len(), "blanks of {id}");
            for (blank, text) in blanks.iter().zip(texts) {
                blank.clear().await.expect("clear");
                blank.send_keys(*text).await.expect("type a blank");
            }
        }
        Answer::Positions(positions) => {
            for (step, position) in positions.iter().enumerate() {
                let options = b
                    .all(&format!("{q} li[data-step=\"{step}\"] select option"))
                    .await;
                let mut picked = false;
                for option in options {
                    if option.text().await.expect("option text") == *position {
                        option.click().await.expect("pick a position");
                        picked = true;
                        break;
                    }
                }
                assert!(picked, "no position {position} for step {step} of {id}");
            }
        }
    }
}

async fn check(b: &Browser, id: &str) {
    b.click(&format!("#q-{id} .q-check")).await;
}

async fn verdict(b: &Browser, id: &str) -> String {
    b.text(&format!("#q-{id} .q-verdict")).await
}

async fn assert_graded(b: &Browser, id: &str, right: bool) {
    let q = format!("#q-{id}");
    let verdict = verdict(b, id).await;
    if right {
        assert_eq!(verdict, "✓ Correct.", "verdict of {id}");
    } else {
        assert!(
            verdict.starts_with("✗ Not quite"),
            "verdict of {id}: {verdict:?}"
        );
    }
    assert_eq!(b.has_class(&q, "is-right").await, right, "is-right on {id}");
    assert_eq!(
        b.has_class(&q, "is-wrong").await,
        !right,
        "is-wrong on {id}"
    );
}

/// The badge text quiz.js should show for a `data-progress` list, given what is done.
fn expected_badge(keys: &str, done: &BTreeSet<&str>) -> String {
    let keys: Vec<&str> = keys.split_whitespace().collect();
    let count = keys.iter().filter(|k| done.contains(*k)).count();
    format!("{count} of {} done", keys.len())
}

/// Every progress badge of the open page shows the count of `done` keys among its own.
async fn assert_badges(b: &Browser, page: &str, done: &BTreeSet<&str>) -> Vec<String> {
    let badges = b.all("[data-progress]").await;
    assert!(!badges.is_empty(), "{page} has no progress badge");
    let mut texts = Vec::new();
    for badge in badges {
        let keys = badge
            .attr("data-progress")
            .await
            .expect("attribute")
            .unwrap_or_default();
        assert!(
            badge.is_displayed().await.expect("displayed"),
            "badge hidden on {page}"
        );
        let text = badge
            .find(browser::By::Css(".progress-text"))
            .await
            .expect("progress text");
        let expected = expected_badge(&keys, done);
        let shown = text.text().await.expect("text");
        if shown != expected {
            let saved = b.local_storage_keys(PREFIX).await;
            panic!(
                "badge for `{keys}` on {page}: {shown:?}, expected {expected:?}\n\
                 done: {done:?}\nsaved in localStorage: {saved:?}"
            );
        }
        texts.push(shown);
    }
    texts
}

/// Proves each question type grades right and wrong answers, shows per-choice feedback and
/// keeps the score.
#[tokio::test]
async fn every_question_type_grades_right_and_wrong_answers() {
    let Some(b) = Browser::launch(Launch::new()).await else {
        return;
    };
    let course = built();
    b.open(&public(&course, "basics/quiz.html")).await;

    assert_eq!(b.all("form.quiz li.question").await.len(), 9);
    assert!(b.is_displayed(".quiz-footer").await, "score footer shown");
    assert_eq!(b.text(".quiz-score").await, "", "no score before answering");

    // Checking an unanswered question asks for an answer and grades nothing.
    check(&b, "echo-env").await;
    assert_eq!(verdict(&b, "echo-env").await, "Answer the question first.");
    assert!(!b.has_class("#q-echo-env", "is-wrong").await);
    assert_eq!(b.text(".quiz-score").await, "");

    for (id, wrong, _) in QUESTIONS {
        give(&b, id, wrong).await;
        check(&b, id).await;
        assert_graded(&b, id, false).await;
        assert_eq!(b.text(".quiz-score").await, "Score: 0 of 9 correct.");
    }

    // A wrong pick shows that choice's feedback and is marked wrong.
    let single = "#q-image-vs-container";
    assert!(
        b.is_displayed(&format!("{single} .q-feedback[data-choice=\"1\"]"))
            .await
    );
    assert_eq!(
        b.text(&format!("{single} .q-feedback[data-choice=\"1\"]"))
            .await,
        "Reversed: the image is the template."
    );
    assert!(
        b.has_class(
            &format!("{single} .q-choice:has(input[value=\"1\"])"),
            "picked-wrong"
        )
        .await
    );
    // In a multiple-choice question, each picked choice is marked on its own.
    let multiple = "#q-pick-persistent";
    assert!(
        b.has_class(
            &format!("{multiple} .q-choice:has(input[value=\"0\"])"),
            "picked-right"
        )
        .await
    );
    assert!(
        b.has_class(
            &format!("{multiple} .q-choice:has(input[value=\"2\"])"),
            "picked-wrong"
        )
        .await
    );
    assert_eq!(
        b.text(&format!("{multiple} .q-feedback[data-choice=\"2\"]"))
            .await,
        "It goes away with the container."
    );

    for (n, (id, _, right)) in QUESTIONS.into_iter().enumerate() {
        give(&b, id, right).await;
        check(&b, id).await;
        assert_graded(&b, id, true).await;
        let n = n + 1;
        let score = if n == 9 {
            "Score: 9 of 9 correct. Well done!".to_string()
        } else {
            format!("Score: {n} of 9 correct.")
        };
        assert_eq!(b.text(".quiz-score").await, score, "after {id}");
    }

    // Once right, the wrong choice's feedback goes and the explanation comes.
    assert!(
        !b.is_displayed(&format!("{single} .q-feedback[data-choice=\"1\"]"))
            .await
    );
    assert!(
        b.text(&format!("{single} .q-result"))
            .await
            .contains("An image is a read-only template; containers are its instances."),
        "explanation shown"
    );
    // Other accepted answers are right too: the bare port, the regex's other branch.
    give(&b, "port-mapping", Answer::Type("  8000 ")).await;
    check(&b, "port-mapping").await;
    assert_graded(&b, "port-mapping", true).await;
    give(&b, "publish-flag", Answer::Type("-p")).await;
    check(&b, "publish-flag").await;
    assert_graded(&b, "publish-flag", true).await;
    b.close().await;
}

/// Proves answers and ticks survive a reload, feed the progress badges of the module and
/// progress pages, and that "Reset answers" clears the quiz.
#[tokio::test]
async fn progress_persists_and_reset_clears_it() {
    let Some(b) = Browser::launch(Launch::new()).await else {
        return;
    };
    let course = built();
    let site = StaticSite::serve(&course.path().join("public"));
    let quiz = site.url("basics/quiz.html");
    let checks = site.url("basics/checks.html");

    b.goto(&quiz).await;
    give(&b, "layers-readonly", Answer::Pick(&["true"])).await;
    check(&b, "layers-readonly").await;
    give(&b, "port-mapping", Answer::Type("8000")).await;
    check(&b, "port-mapping").await;
    // A wrong answer is saved too, but is not progress.
    give(&b, "layer-count", Answer::Type("5")).await;
    check(&b, "layer-count").await;
    assert_eq!(
        b.local_storage(&format!("{PREFIX}q:port-mapping")).await,
        Some(r#"{"v":"8000","ok":true}"#.to_string())
    );

    b.goto(&checks).await;
    let boxes = b.all("input.check[data-check]").await;
    assert_eq!(boxes.len(), 4, "two task-list items and two table rows");
    let first = b
        .attr("input.check", "data-check")
        .await
        .expect("data-check");
    b.click(&format!("input.check[data-check=\"{first}\"]"))
        .await;
    b.reload().await;
    assert!(
        b.is_selected(&format!("input.check[data-check=\"{first}\"]"))
            .await,
        "the tick survives a reload"
    );
    let ticked = b.all("input.check:checked").await.len();
    assert_eq!(ticked, 1, "only the ticked box is ticked");

    b.goto(&quiz).await;
    assert!(
        b.is_selected("#q-layers-readonly input[value=\"true\"]")
            .await
    );
    assert_graded(&b, "layers-readonly", true).await;
    assert_eq!(b.value("#q-port-mapping input[type=text]").await, "8000");
    assert_graded(&b, "port-mapping", true).await;
    assert_eq!(b.value("#q-layer-count input[type=text]").await, "5");
    assert_graded(&b, "layer-count", false).await;
    assert_eq!(b.text(".quiz-score").await, "Score: 2 of 9 correct.");

    let done: BTreeSet<&str> = ["q:layers-readonly", "q:port-mapping", first.as_str()]
        .into_iter()
        .collect();
    b.goto(&site.url("basics/index.html")).await;
    let module = assert_badges(&b, "basics/index.html", &done).await;
    assert_eq!(module, ["2 of 9 done", "1 of 4 done"]);
    b.goto(&site.url("progress.html")).await;
    let progress = assert_badges(&b, "progress.html", &done).await;
    assert_eq!(progress, ["3 of 13 done", "2 of 9 done", "1 of 4 done"]);
    assert!(b.has_class("[data-progress]", "is-started").await);
    assert!(!b.has_class("[data-progress]", "is-done").await);

    b.goto(&quiz).await;
    b.click(".quiz-reset").await;
    assert!(
        b.all("li.question.is-right, li.question.is-wrong")
            .await
            .is_empty()
    );
    assert!(b.all("#q-layers-readonly input:checked").await.is_empty());
    assert_eq!(b.value("#q-port-mapping input[type=text]").await, "");
    assert_eq!(b.text(".quiz-score").await, "");
    assert_eq!(
        b.local_storage_keys(&format!("{PREFIX}q:")).await,
        Vec::<String>::new(),
        "reset forgets the saved answers"
    );
    b.reload().await;
    assert!(
        b.all("li.question.is-right, li.question.is-wrong")
            .await
            .is_empty()
    );
    assert_eq!(b.value("#q-port-mapping input[type=text]").await, "");

    // The checklist tick is not a quiz answer: it stays.
    b.goto(&site.url("progress.html")).await;
    let only_tick: BTreeSet<&str> = [first.as_str()].into_iter().collect();
    let progress = assert_badges(&b, "progress.html", &only_tick).await;
    assert_eq!(progress, ["1 of 13 done", "0 of 9 done", "1 of 4 done"]);
    b.close().await;
}

/// Proves hints come one at a time and the button goes once all are shown.
#[tokio::test]
async fn hints_are_revealed_one_at_a_time() {
    let Some(b) = Browser::launch(Launch::new()).await else {
        return;
    };
    let course = built();
    b.open(&public(&course, "basics/quiz.html")).await;
    let q = "#q-image-vs-container";
    let hints = b.all(&format!("{q} .q-hint")).await;
    assert_eq!(hints.len(), 2);
    let button = format!("{q} .q-hint-btn");
    let shown = async |n: usize| {
        let mut shown = Vec::new();
        for hint in b.all(&format!("{q} .q-hint")).await {
            shown.push(hint.is_displayed().await.expect("displayed"));
        }
        assert_eq!(shown.iter().filter(|s| **s).count(), n, "hints shown");
        shown
    };

    assert_eq!(b.text(&button).await, "Show a hint (1 of 2)");
    assert_eq!(shown(0).await, [false, false]);
    assert_eq!(
        b.all(".q-hint-btn").await.len(),
        1,
        "only questions with hints"
    );

    b.click(&button).await;
    assert_eq!(shown(1).await, [true, false]);
    assert_eq!(b.text(&button).await, "Show a hint (2 of 2)");
    let first = b.text(&format!("{q} .q-hint:nth-child(1)")).await;
    assert!(
        first.contains("Think of a class and its objects."),
        "{first:?}"
    );
    let focus = b.focused().await;
    assert!(
        focus.tag == "summary" && focus.is_within(&format!("{q} .q-hint")).await,
        "the revealed hint takes the focus, not {}",
        focus.describe()
    );

    b.click(&button).await;
    assert_eq!(shown(2).await, [true, true]);
    assert!(!b.is_displayed(&button).await, "no more hints, no button");
    let second = b.text(&format!("{q} .q-hint:nth-child(2)")).await;
    assert!(
        second.contains("Which one can you docker run?"),
        "{second:?}"
    );
    b.close().await;
}

/// Proves a learner with only a keyboard can answer and check a true-false and a short
/// question: Tab, Space, arrow keys and Enter, no clicks.
#[tokio::test]
async fn questions_can_be_answered_with_the_keyboard_only() {
    let Some(b) = Browser::launch(Launch::new()).await else {
        return;
    };
    let course = built();
    b.open(&public(&course, "basics/quiz.html")).await;

    // Tab from the top of the page into the true-false question's radio group.
    let mut in_group = false;
    for _ in 0..80 {
        b.press(Key::Tab).await;
        let focus = b.focused().await;
        if focus.tag == "input" && focus.is_within("#q-layers-readonly").await {
            in_group = true;
            break;
        }
    }
    assert!(in_group, "Tab never reached the true-false question");
    let focus = b.focused().await;
    assert_eq!(
        focus.value, "true",
        "an unanswered radio group is entered at its first radio"
    );

    // Space picks; the arrow keys move the pick.
    b.press(Key::Space).await;
    assert!(
        b.is_selected("#q-layers-readonly input[value=\"true\"]")
            .await
    );
    b.press(Key::Down).await;
    assert!(
        b.is_selected("#q-layers-readonly input[value=\"false\"]")
            .await
    );
    assert_eq!(b.focused().await.value, "false");

    // Tab leaves the group for the Check button; Enter presses it.
    b.press(Key::Tab).await;
    let focus = b.focused().await;
    assert_eq!(
        focus.class,
        "q-check",
        "after the choices comes Check, not {}",
        focus.describe()
    );
    b.press(Key::Enter).await;
    assert_graded(&b, "layers-readonly", false).await;

    // Back to the choices, change the answer, check again with Space.
    b.press_shift_tab().await;
    assert_eq!(b.focused().await.value, "false", "back on the picked radio");
    b.press(Key::Up).await;
    assert!(
        b.is_selected("#q-layers-readonly input[value=\"true\"]")
            .await
    );
    b.press(Key::Tab).await;
    assert_eq!(b.focused().await.class, "q-check");
    b.press(Key::Space).await;
    assert_graded(&b, "layers-readonly", true).await;

    // On to the short question; Enter in its field checks it.
    b.tab_until(20, "the short answer field", |f| {
        f.id == "q-port-mapping-answer"
    })
    .await;
    b.press("8001").await;
    b.press(Key::Enter).await;
    assert_graded(&b, "port-mapping", false).await;
    b.press(Key::Backspace).await;
    b.press("0").await;
    b.press(Key::Enter).await;
    assert_eq!(b.value("#q-port-mapping-answer").await, "8000");
    assert_graded(&b, "port-mapping", true).await;
    assert_eq!(b.text(".quiz-score").await, "Score: 2 of 9 correct.");
    b.close().await;
}

/// Proves the quiz works without JavaScript: native inputs, answers inside "Show answer",
/// no dead buttons.
#[tokio::test]
async fn without_javascript_answers_sit_in_show_answer() {
    let Some(b) = Browser::launch(Launch::new().without_javascript()).await else {
        return;
    };
    let course = built();
    let quiz = public(&course, "basics/quiz.html");
    b.open(&quiz).await;

    // JavaScript is really off: quiz.js would have shown the footer and added hint buttons.
    assert!(!b.is_displayed(".quiz-footer").await, "footer stays hidden");
    assert!(b.all(".q-hint-btn").await.is_empty(), "no hint buttons");
    for actions in b.all(".q-actions").await {
        assert!(
            !actions.is_displayed().await.expect("displayed"),
            "Check buttons stay hidden"
        );
    }
    // Hints are plain disclosures, visible.
    assert_eq!(b.all("#q-image-vs-container details.q-hint").await.len(), 2);
    assert!(b.is_displayed("#q-image-vs-container details.q-hint").await);

    // Every question carries its answer in a closed "Show answer" disclosure.
    let answers = b.all("li.question details.q-answer").await;
    assert_eq!(answers.len(), 9);
    let body = "#q-port-mapping .q-answer-body";
    assert!(!b.is_displayed(body).await, "closed at first");
    b.click("#q-port-mapping details.q-answer > summary").await;
    assert!(
        b.attr("#q-port-mapping details.q-answer", "open")
            .await
            .is_some()
    );
    let text = b.text(body).await;
    for needle in [
        "8000",
        "localhost:8000",
        "http://localhost:8000",
        "-p HOST:CONTAINER",
    ] {
        assert!(text.contains(needle), "answer lacks {needle:?}: {text:?}");
    }
    b.click("#q-build-order details.q-answer > summary").await;
    assert_eq!(
        b.text("#q-build-order .q-answer-body").await,
        "Write a Dockerfile\nRun docker build\nRun docker run"
    );

    // The inputs work as plain form fields.
    b.click("#q-layers-readonly input[value=\"true\"]").await;
    assert!(
        b.is_selected("#q-layers-readonly input[value=\"true\"]")
            .await
    );
    b.click("#q-pick-persistent input[value=\"1\"]").await;
    assert!(b.is_selected("#q-pick-persistent input[value=\"1\"]").await);
    b.type_into("#q-port-mapping input[type=text]", "8000")
        .await;
    assert_eq!(b.value("#q-port-mapping input[type=text]").await, "8000");
    b.type_into("#q-echo-env textarea", "hi").await;
    assert_eq!(b.value("#q-echo-env textarea").await, "hi");
    give(&b, "build-order", Answer::Positions(&["1", "2", "3"])).await;
    assert_eq!(
        b.value("#q-build-order li[data-step=\"1\"] select").await,
        "2"
    );
    // Enter in a field must not submit the form (and lose the answers).
    let url = b.driver().current_url().await.expect("url");
    b.one("#q-port-mapping input[type=text]")
        .await
        .send_keys(Key::Enter)
        .await
        .expect("enter");
    assert_eq!(b.driver().current_url().await.expect("url"), url);
    assert_eq!(b.value("#q-port-mapping input[type=text]").await, "8000");

    // Checklist boxes can be ticked too (they are just not remembered).
    b.open(&public(&course, "basics/checks.html")).await;
    b.click("input.check").await;
    assert!(b.is_selected("input.check").await);
    b.close().await;
}

/// Saves screenshots of an answered quiz in the light and dark themes (for a person to look
/// at) and proves the dark one is dark.
#[tokio::test]
async fn screenshots_in_light_and_dark_themes() {
    let Some(b) = Browser::launch(Launch::new()).await else {
        return;
    };
    let course = built();
    let site = StaticSite::serve(&course.path().join("public"));
    let quiz = site.url("basics/quiz.html");
    let dir = browser::artifacts_dir();

    b.goto(&quiz).await;
    b.set_local_storage("cb-theme", "light").await;
    b.reload().await;
    // Feedback of each kind: a wrong pick with its feedback, a right answer with its
    // explanation, a wrong blank, a revealed hint.
    give(&b, "image-vs-container", Answer::Pick(&["1"])).await;
    check(&b, "image-vs-container").await;
    give(&b, "port-mapping", Answer::Type("8000")).await;
    check(&b, "port-mapping").await;
    give(&b, "fill-run", Answer::Blanks(&["8080", "httpd"])).await;
    check(&b, "fill-run").await;
    b.click("#q-pick-persistent .q-check").await;

    let light = dir.join("quiz-light.png");
    b.click("#q-image-vs-container .q-hint-btn").await;
    b.screenshot_full_page(&light).await;

    b.set_local_storage("cb-theme", "dark").await;
    b.reload().await;
    assert_eq!(b.attr("html", "data-theme").await.as_deref(), Some("dark"));
    // Saved answers come back graded after the reload.
    assert_graded(&b, "image-vs-container", false).await;
    assert_graded(&b, "port-mapping", true).await;
    b.click("#q-pick-persistent .q-check").await;
    b.click("#q-image-vs-container .q-hint-btn").await;
    let dark = dir.join("quiz-dark.png");
    b.screenshot_full_page(&dark).await;
    b.close().await;

    let light_luma = mean_luma(&light);
    let dark_luma = mean_luma(&dark);
    assert!(
        dark_luma + 80.0 < light_luma,
        "dark screenshot not darker: mean luma {dark_luma:.0} vs {light_luma:.0} (see {} and {})",
        dark.display(),
        light.display()
    );
    eprintln!("screenshots: {} and {}", light.display(), dark.display());
}

/// The mean luma (0-255) of a PNG, after checking it is a full-page shot.
fn mean_luma(path: &Path) -> f64 {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut decoder = png::Decoder::new(std::io::BufReader::new(file));
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().expect("png header");
    let mut buf = vec![0; reader.output_buffer_size().expect("png size")];
    let info = reader.next_frame(&mut buf).expect("png frame");
    assert_eq!(info.width, 1200, "{} width", path.display());
    assert!(
        info.height > 900,
        "{} is {} px high: not the whole page",
        path.display(),
        info.height
    );
    let channels = info.line_size / info.width as usize;
    let pixels = buf[..info.buffer_size()].chunks(channels);
    let count = pixels.len() as f64;
    pixels
        .map(|p| {
            if p.len() >= 3 {
                0.2126 * f64::from(p[0]) + 0.7152 * f64::from(p[1]) + 0.0722 * f64::from(p[2])
            } else {
                f64::from(p[0])
            }
        })
        .sum::<f64>()
        / count
}

/// Typed numbers must be numbers, true/false and blanks are marked one by one, and a learner
/// who comes back sees the shuffled choices in the same order.
#[tokio::test]
async fn numbers_true_false_blanks_and_shuffled_choices_behave() {
    let Some(b) = Browser::launch(Launch::new()).await else {
        return;
    };
    let course = built();
    let site = StaticSite::serve(&course.path().join("public"));
    b.goto(&site.url("basics/quiz.html")).await;

    give(&b, "layer-count", Answer::Type("2 layers")).await;
    check(&b, "layer-count").await;
    assert_eq!(
        verdict(&b, "layer-count").await,
        "Enter a number, such as 3 or 0.5."
    );
    assert!(
        !b.has_class("#q-layer-count", "is-wrong").await,
        "not graded"
    );
    give(&b, "layer-count", Answer::Type("2,0")).await;
    check(&b, "layer-count").await;
    assert_graded(&b, "layer-count", true).await;

    give(&b, "layers-readonly", Answer::Pick(&["false"])).await;
    check(&b, "layers-readonly").await;
    assert!(
        b.has_class(
            "#q-layers-readonly .q-choice:has(input[value=\"false\"])",
            "picked-wrong"
        )
        .await
    );

    give(&b, "fill-run", Answer::Blanks(&["8080", "httpd"])).await;
    check(&b, "fill-run").await;
    let blanks = b.all("#q-fill-run input.q-blank").await;
    assert_eq!(
        blanks[0].attr("aria-invalid").await.unwrap(),
        Some("false".into())
    );
    assert_eq!(
        blanks[1].attr("aria-invalid").await.unwrap(),
        Some("true".into())
    );
    assert!(
        b.has_class("#q-fill-run input[name$=\"-2\"]", "blank-wrong")
            .await
    );

    const ORDER: &str = "return [...document.querySelectorAll('#q-image-vs-container .q-choice input')].map(i => i.value).join()";
    let before = b.script(ORDER).await;
    b.reload().await;
    assert_eq!(
        b.script(ORDER).await,
        before,
        "the same order after a reload"
    );
    b.close().await;
}
