//! A course shaped like the public course repositories authors bring: hundreds of lessons in
//! nested folders with a README in each, images beside them, relative links across folders,
//! raw HTML fragments, CRLF and mixed line endings, byte-order marks, text mis-decoded
//! somewhere on its way, and lessons without a title. It builds, every lesson becomes a page,
//! and the diagnostics are exactly the mistakes planted in it, each at its file and line.

mod common;

use std::collections::BTreeSet;

use common::Course;

/// A deterministic generator (xorshift64*), so every run builds the same course.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 33) as usize % n
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

/// A 1×1 PNG.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x00, 0x01, 0x00, 0x00,
    0x05, 0x00, 0x01, 0x0d, 0x0a, 0x2d, 0xb4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae,
    0x42, 0x60, 0x82,
];

const MODULES: &[&str] = &[
    "01-getting-started",
    "02-images",
    "03-containers",
    "04-volumes",
    "05-networking",
    "06-compose",
    "07-security",
    "08-production",
];

/// Where a lesson sits in its module: flat, in a lab folder, or two folders down.
const NESTS: &[&str] = &["", "labs/", "labs/advanced/"];

struct Lesson {
    /// Path under `content/`.
    path: String,
    /// A word found only in this lesson, to find its page by.
    token: String,
}

struct Generated {
    course: Course,
    lessons: Vec<Lesson>,
    /// `content/PATH:LINE` of every mistake planted (broken links, images without alt text,
    /// mis-decoded text).
    planted: BTreeSet<String>,
}

/// Lines of a lesson, and where its planted mistakes are (1-based line numbers).
struct Text {
    lines: Vec<String>,
    planted: Vec<usize>,
}

impl Text {
    fn push(&mut self, line: impl Into<String>) {
        self.lines.push(line.into());
    }

    fn plant(&mut self, line: impl Into<String>) {
        self.lines.push(line.into());
        self.planted.push(self.lines.len());
    }
}

fn generate(count: usize) -> Generated {
    let mut rng = Rng(0x0c0f_fee5_eed5_2026);
    let mut course = Course::bare().file(
        "book.toml",
        "[book]\ntitle = \"Docker from the ground up\"\n\n[build]\nsearch = false\n",
    );
    let mut lessons: Vec<Lesson> = Vec::new();
    let mut planted = BTreeSet::new();
    for module in MODULES {
        course = course
            .lesson(
                &format!("{module}/README.md"),
                format!("# {module}\n\nThis folder's lessons, in order.\n"),
            )
            .lesson(&format!("{module}/images/diagram.png"), PNG)
            .lesson(&format!("{module}/labs/images/screenshot.png"), PNG);
    }
    for i in 0..count {
        let module = MODULES[i % MODULES.len()];
        let nest = NESTS[rng.below(NESTS.len())];
        let number = i / MODULES.len() + 1;
        let path = format!("{module}/{nest}{number:02}-lesson-{i}.md");
        let token = format!("zq{i}token");
        let up = "../".repeat(nest.matches('/').count());
        let mut text = Text {
            lines: Vec::new(),
            planted: Vec::new(),
        };
        match rng.below(10) {
            // Front matter with a title, as static site generators write it.
            0 | 1 => {
                text.push("---");
                text.push(format!("title: \"Lesson {i}: the {module} part\""));
                text.push("---");
                text.push("");
            }
            // No title at all: the page is named after the file.
            2 => {}
            _ => {
                text.push(format!("# Lesson {i} 🐳"));
                text.push("");
            }
        }
        text.push(format!(
            "Words about {token} and why it matters. It's a Docker course — with “quotes”."
        ));
        text.push("");
        if rng.chance(50) {
            text.push("| Command | What it does |");
            text.push("|---|---|");
            text.push("| `docker ps` | lists containers |");
            text.push("| `docker images` | lists images |");
            text.push("");
        }
        if rng.chance(40) {
            text.push("```bash");
            text.push("docker run --rm -it alpine sh");
            text.push("```");
            text.push("");
        }
        if rng.chance(30) {
            text.push("```text");
            text.push("┌────────┐     ┌─────────┐");
            text.push("│ client │ ──▶ │ dockerd │");
            text.push("└────────┘     └─────────┘");
            text.push("```");
            text.push("");
        }
        if rng.chance(30) {
            text.push("<details>");
            text.push("<summary>Hint</summary>");
            text.push("");
            text.push("Try `docker logs` first.<br>");
            text.push("");
            text.push("</details>");
            text.push("");
        }
        if rng.chance(25) {
            text.push("<div align=\"center\">");
            text.push(format!(
                "  <img src=\"{up}images/diagram.png\" alt=\"How the pieces fit\" width=\"400\">"
            ));
            text.push("</div>");
            text.push("");
        }
        if rng.chance(40) {
            text.push(format!("![The architecture]({up}images/diagram.png)"));
            text.push("");
        }
        // A link to an earlier lesson, across folders.
        if let Some(earlier) = (i > 0).then(|| &lessons[rng.below(i)]) {
            text.push(format!(
                "Back to [an earlier lesson]({up}../{}).",
                earlier.path
            ));
            text.push("");
        }
        if rng.chance(8) {
            text.plant(format!(
                "See [the next part]({up}../09-bonus/01-extra.md) when it exists."
            ));
            text.push("");
        }
        if rng.chance(5) {
            text.plant(format!("![]({up}images/diagram.png)"));
            text.push("");
        }
        if rng.chance(5) {
            text.plant("The cafÃ© example shows how text gets mangled.");
            text.push("");
        }
        text.push("- [ ] I ran the commands");
        text.push("- [x] I read the lesson");
        text.push("");
        let eol = match rng.below(10) {
            0..=5 => "\n",
            6..=8 => "\r\n",
            _ => "mixed",
        };
        let mut body = String::new();
        if rng.chance(5) {
            body.push('\u{feff}');
        }
        for (n, line) in text.lines.iter().enumerate() {
            body.push_str(line);
            body.push_str(match eol {
                "mixed" if n % 2 == 0 => "\r\n",
                "mixed" => "\n",
                eol => eol,
            });
        }
        for line in &text.planted {
            planted.insert(format!("content/{path}:{line}"));
        }
        course = course.lesson(&path, body);
        lessons.push(Lesson { path, token });
    }
    Generated {
        course,
        lessons,
        planted,
    }
}

/// `content/PATH:LINE` of each diagnostic in `stderr` (from its `--> PATH:LINE:COL` line).
fn locations(stderr: &str) -> BTreeSet<String> {
    stderr
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("--> "))
        .map(|at| {
            at.rsplit_once(':')
                .map_or(at, |(place, _column)| place)
                .to_string()
        })
        .collect()
}

/// Every page of the site except the print page (which holds every lesson), as text.
fn pages(site: &std::path::Path) -> Vec<(String, String)> {
    walkdir::WalkDir::new(site)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .filter(|e| e.file_name() != "print.html")
        .map(|e| {
            (
                e.path().display().to_string(),
                std::fs::read_to_string(e.path()).unwrap(),
            )
        })
        .collect()
}

#[test]
fn a_course_shaped_like_real_repositories_builds_with_exactly_its_mistakes_reported() {
    let generated = generate(320);
    let course = &generated.course;
    let run = course.build();
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    run.assert_success();
    assert!(
        generated.planted.len() >= 20,
        "the generator plants mistakes: {}",
        generated.planted.len()
    );
    assert_eq!(
        locations(&run.stderr),
        generated.planted,
        "diagnostics are exactly the planted mistakes, at their lines:\n{}",
        run.stderr
    );
    let pages = pages(&course.path().join("public"));
    for lesson in &generated.lessons {
        let holders: Vec<&str> = pages
            .iter()
            .filter(|(_, html)| html.contains(&format!("{} ", lesson.token)))
            .map(|(path, _)| path.as_str())
            .collect();
        assert_eq!(
            holders.len(),
            1,
            "{} has one page holding its text: {holders:?}",
            lesson.path
        );
    }
    // A byte-order mark or a carriage return never reaches a page.
    for (path, html) in &pages {
        assert!(!html.contains('\u{feff}'), "{path} has a BOM");
        assert!(!html.contains('\r'), "{path} has a carriage return");
    }
}

#[test]
fn errors_in_a_real_world_course_name_each_file_and_line_and_keep_the_last_site() {
    let generated = generate(120);
    let course = generated.course;
    course.build().assert_success();
    let before = course.read("public/index.html");
    // A lesson saved in Latin-1 by an old editor, and an image that was never committed.
    let course = course
        .lesson(
            "03-containers/labs/99-latin1.md",
            b"# Caf\xe9\n\nNa\xefve text.\n".as_slice(),
        )
        .lesson(
            "05-networking/99-missing-image.md",
            "# Diagram\r\n\r\n![The network](images/network.png)\r\n",
        );
    let run = course.build();
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    run.assert_code(1);
    assert_eq!(
        locations(&run.stderr)
            .into_iter()
            .filter(|at| at.contains("/99-"))
            .collect::<Vec<_>>(),
        [
            "content/03-containers/labs/99-latin1.md:1",
            "content/05-networking/99-missing-image.md:3",
        ],
        "{}",
        run.stderr
    );
    run.assert_stderr_contains(
        "error: `content/03-containers/labs/99-latin1.md` is not valid UTF-8",
    );
    run.assert_stderr_contains("the byte E9 here");
    run.assert_stderr_contains("error: missing image `images/network.png`");
    assert_eq!(
        course.read("public/index.html"),
        before,
        "the last site stays"
    );
}
