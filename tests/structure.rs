//! Course structure: modules and lessons ordered by numeric prefix or `weight`, front matter
//! in TOML and YAML, title fallbacks, drafts, and the sidebar, breadcrumbs and prev/next.

mod common;
use common::{Course, text};

#[test]
fn sidebar_follows_numeric_prefixes_not_alphabetical_order() {
    let course = Course::new()
        .lesson("10-last/01-z.md", "# Z\n")
        .lesson("2-second/01-y.md", "# Y\n")
        .lesson("1-first/10-ten.md", "# Ten\n")
        .lesson("1-first/9-nine.md", "# Nine\n")
        .lesson("1-first/1-one.md", "# One\n");
    course.build().assert_success();
    let page = course.page("first/one.html");
    assert_eq!(
        page.texts("nav.sidebar .nav-module > a"),
        ["First", "Second", "Last"]
    );
    let home = course.page("index.html");
    let modules = home.texts(".module-list h3 a");
    assert_eq!(modules, ["First", "Second", "Last"]);
    let lessons = page.texts("nav.sidebar .nav-lessons a");
    assert_eq!(lessons, ["One", "Nine", "Ten"]);
}

#[test]
fn weight_in_front_matter_overrides_file_order() {
    let course = Course::new()
        .lesson("01-m/01-a.md", "+++\ntitle = \"A\"\nweight = 3\n+++\n")
        .lesson("01-m/02-b.md", "---\ntitle: B\nweight: 1\n---\n")
        .lesson("01-m/03-c.md", "+++\ntitle = \"C\"\nweight = 2\n+++\n");
    course.build().assert_success();
    let page = course.page("m/a.html");
    assert_eq!(page.texts("nav.sidebar .nav-lessons a"), ["B", "C", "A"]);
    let module = course.page("m/index.html");
    assert_eq!(module.texts(".lesson-list h3 a"), ["B", "C", "A"]);
}

#[test]
fn toml_and_yaml_front_matter_fill_the_lesson_header() {
    let toml = "+++\ntitle = \"Volumes\"\ndescription = \"Keep data\"\nduration = 25\ndifficulty = \"intermediate\"\nobjectives = [\"Create a volume\", \"Mount it\"]\n+++\nBody.\n";
    let yaml = "---\ntitle: Volumes\ndescription: Keep data\nduration: 25\ndifficulty: intermediate\nobjectives:\n  - Create a volume\n  - Mount it\n---\nBody.\n";
    for (name, text_) in [("toml", toml), ("yaml", yaml)] {
        let course = Course::new().lesson("01-m/01-v.md", text_);
        course.build().assert_success();
        let page = course.page("m/v.html");
        assert_eq!(page.texts("main h1"), ["Volumes"], "{name}");
        assert_eq!(
            page.attrs("meta[name=description]", "content"),
            ["Keep data"],
            "{name}"
        );
        assert_eq!(
            page.texts(".objectives li"),
            ["Create a volume", "Mount it"],
            "{name}"
        );
        let badges = page.texts(".badges li").join(" ");
        assert!(
            badges.contains("25 min") && badges.to_lowercase().contains("intermediate"),
            "{name}: {badges}"
        );
    }
}

#[test]
fn title_falls_back_to_first_heading_then_file_name() {
    let course = Course::new()
        .lesson(
            "01-m/01-from-heading.md",
            "```\n# not a heading\n```\n\n# Real Title\n",
        )
        .lesson("01-m/02-getting_started.md", "no heading here\n");
    course.build().assert_success();
    assert_eq!(
        course.page("m/from-heading.html").texts("main h1"),
        ["Real Title"]
    );
    assert_eq!(
        course.page("m/getting_started.html").texts("main h1"),
        ["Getting started"]
    );
}

#[test]
fn drafts_are_left_out() {
    let course = Course::new()
        .lesson("01-m/01-a.md", "# A\n")
        .lesson("01-m/02-b.md", "+++\ndraft = true\n+++\n# B\n");
    course.build().assert_success();
    assert!(!course.exists("public/m/b.html"));
}

#[test]
fn lesson_pages_have_breadcrumbs_prev_next_and_current_highlight() {
    let course = Course::new()
        .lesson(
            "01-one/_index.md",
            "+++\ntitle = \"Module One\"\n+++\nIntro.\n",
        )
        .lesson("01-one/01-a.md", "# A\n")
        .lesson("01-one/02-b.md", "# B\n")
        .lesson("02-two/01-c.md", "# C\n");
    course.build().assert_success();
    let b = course.page("one/b.html");
    assert_eq!(b.texts("nav.breadcrumb li"), ["Home", "Module One", "B"]);
    assert_eq!(b.attrs("a[rel=prev]", "href"), ["a.html"]);
    assert_eq!(
        b.attrs("a[rel=next]", "href"),
        ["../two/c.html"],
        "next crosses into the next module"
    );
    let current: Vec<String> = b
        .select("nav.sidebar [aria-current=page]")
        .iter()
        .map(text)
        .collect();
    assert_eq!(current.len(), 1);
    assert!(current[0].contains('B'));
    let c = course.page("two/c.html");
    assert_eq!(c.attrs("a[rel=prev]", "href"), ["../one/b.html"]);
    assert!(c.select("a[rel=next]").is_empty());
}

#[test]
fn module_page_lists_lessons_with_total_duration() {
    let course = Course::new()
        .lesson(
            "01-m/_index.md",
            "+++\ntitle = \"Mod\"\ndescription = \"About mod\"\n+++\n",
        )
        .lesson("01-m/01-a.md", "+++\ntitle = \"A\"\nduration = 10\n+++\n")
        .lesson("01-m/02-b.md", "+++\ntitle = \"B\"\nduration = 25\n+++\n");
    course.build().assert_success();
    let module = course.page("m/index.html");
    assert_eq!(module.texts(".lesson-list h3 a"), ["A", "B"]);
    assert!(module.html().contains("35 min"), "total duration shown");
}

#[test]
fn front_matter_errors_name_file_line_and_key() {
    let course = Course::new().lesson("01-m/01-a.md", "+++\ntitle = \"A\"\ndurration = 5\n+++\n");
    let run = course.build();
    run.assert_code(1);
    insta::assert_snapshot!("unknown_front_matter_key", run.diagnostics());

    let course = Course::new().lesson("01-m/01-a.md", "---\ntitle: A\nduration: twenty\n---\n");
    let run = course.build();
    run.assert_code(1);
    insta::assert_snapshot!("yaml_wrong_type", run.diagnostics());

    let course = Course::new().lesson("01-m/01-a.md", "+++\ntitle = \"A\"\n");
    let run = course.build();
    run.assert_code(1);
    insta::assert_snapshot!("unclosed_front_matter", run.diagnostics());
}

#[test]
fn duplicate_output_paths_are_an_error() {
    let course = Course::new()
        .lesson("01-m/01-setup.md", "# A\n")
        .lesson("01-m/02-setup.md", "# B\n");
    let run = course.build();
    run.assert_code(1);
    assert!(
        run.stderr.contains("error: `content/01-m/01-setup.md` and `content/01-m/02-setup.md` would both be written to `m/setup.html`"),
        "{}",
        run.stderr
    );
}

#[test]
fn lessons_at_the_top_level_and_in_sub_folders_are_built() {
    let course = Course::new()
        .lesson(
            "01-welcome.md",
            "# Welcome\n\n[deep](02-m/extra/01-deep.md)\n",
        )
        .lesson("02-m/01-a.md", "# A\n")
        .lesson("02-m/extra/01-deep.md", "# Deep\n");
    course.build().assert_success().assert_no_warnings();
    assert!(course.exists("public/welcome.html"));
    assert!(course.exists("public/m/extra/deep.html"));
    let welcome = course.page("welcome.html");
    assert_eq!(
        welcome.attrs(".prose a:not(.anchor)", "href"),
        ["m/extra/deep.html"]
    );
}

/// A course of `modules` modules of `lessons` lessons each (`L1`, `L2`, ... in each), search
/// off to keep the build quick.
fn big_course(modules: usize, lessons: usize) -> Course {
    let mut course = Course::bare().file(
        "book.toml",
        "[book]\ntitle = \"Big\"\n\n[build]\nsearch = false\n",
    );
    for m in 1..=modules {
        for l in 1..=lessons {
            course = course.lesson(&format!("{m:04}-m{m}/{l:04}-l{l}.md"), format!("# L{l}\n"));
        }
    }
    course
}

/// Past 101 entries the sidebar shows 50 either side of the current lesson (and module), with
/// a link for the rest on each side, so every page's sidebar has a bounded size: the site
/// grows linearly with the course, never with its square (rust-lang/mdBook#1931).
#[test]
fn long_sidebars_show_a_window_around_the_current_page() {
    let course = big_course(1, 300);
    course.build().assert_success();
    let middle = course.page("m1/l150.html");
    let links = middle.texts("nav.sidebar .nav-lessons a");
    assert_eq!(links.len(), 103, "{links:?}");
    assert_eq!(links[0], "99 earlier lessons");
    assert_eq!(links[1], "L100");
    assert_eq!(links[101], "L200");
    assert_eq!(links[102], "100 later lessons");
    let more = middle.attrs("nav.sidebar .nav-more a", "href");
    assert_eq!(
        more,
        ["l99.html", "l201.html"],
        "each links the next lesson it hides"
    );
    assert_eq!(middle.texts("nav.sidebar [aria-current=page]"), ["L150"]);
    let first = course.page("m1/l1.html");
    let links = first.texts("nav.sidebar .nav-lessons a");
    assert_eq!(links.first().map(String::as_str), Some("L1"));
    assert_eq!(links.last().map(String::as_str), Some("199 later lessons"));
    // The module page still lists every lesson.
    assert_eq!(
        course
            .page("m1/index.html")
            .texts(".lesson-list h3 a")
            .len(),
        300
    );

    let modules = big_course(120, 1);
    modules.build().assert_success();
    let page = modules.page("m60/l1.html");
    let shown = page.texts("nav.sidebar .nav-modules > li > a");
    assert_eq!(shown.len(), 103);
    assert_eq!(shown[0], "9 earlier modules");
    assert_eq!(shown[1], "M10");
    assert_eq!(shown[102], "10 later modules");
    assert_eq!(
        modules.page("index.html").texts(".module-list h3 a").len(),
        120
    );
}

#[test]
fn a_lesson_page_is_the_same_size_in_a_module_of_300_lessons_and_of_1200() {
    let size = |lessons: usize| {
        let course = big_course(1, lessons);
        course.build().assert_success();
        course.read("public/m1/l150.html").len() as f64
    };
    let (small, large) = (size(300), size(1200));
    assert!(
        (large - small).abs() / small < 0.02,
        "lesson 150's page is {small} bytes in a 300-lesson module and {large} in a 1,200-lesson one"
    );
}
