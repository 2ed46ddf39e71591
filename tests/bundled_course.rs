//! The bundled sample course (`content/`) builds cleanly under `--strict`, and its lesson
//! pages stay within the weight budget.

mod common;
use common::{Page, build_bundled, text};
use std::path::Path;

fn lesson_pages(site: &Path) -> Vec<std::path::PathBuf> {
    walkdir::WalkDir::new(site)
        .into_iter()
        .filter_map(|e| e.ok())
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n != "index.html" && n != "404.html")
        })
        .collect()
}

#[test]
fn bundled_course_builds_strictly_with_at_least_ten_lessons() {
    let (_out, site) = build_bundled("site");
    let lessons = lesson_pages(&site);
    assert!(lessons.len() >= 10, "only {} lessons", lessons.len());
    let home = Page(scraper::Html::parse_document(
        &std::fs::read_to_string(site.join("index.html")).unwrap(),
    ));
    assert!(home.select(".module-list li").len() >= 4);
}

#[test]
fn lesson_pages_weigh_under_60_kb_with_their_css_and_js() {
    let (_out, site) = build_bundled("site");
    for lesson in lesson_pages(&site) {
        let html = std::fs::read_to_string(&lesson).unwrap();
        let page = Page(scraper::Html::parse_document(&html));
        // The budget is for lessons without diagrams or quizzes (issue 2).
        if !page.select("figure.diagram, form.quiz").is_empty() {
            continue;
        }
        let mut total = html.len();
        let dir = lesson.parent().unwrap();
        for asset in page
            .attrs("link[rel=stylesheet]", "href")
            .into_iter()
            .chain(page.attrs("script[src]", "src"))
        {
            total += std::fs::metadata(dir.join(&asset))
                .unwrap_or_else(|e| panic!("{asset}: {e}"))
                .len() as usize;
        }
        assert!(
            total < 60 * 1024,
            "{} weighs {} bytes with CSS and JS",
            lesson.display(),
            total
        );
    }
}

#[test]
fn bundled_course_has_diagrams_of_several_types() {
    let (_out, site) = build_bundled("site");
    let mut kinds = std::collections::BTreeSet::new();
    for lesson in lesson_pages(&site) {
        let page = Page(scraper::Html::parse_document(
            &std::fs::read_to_string(&lesson).unwrap(),
        ));
        kinds.extend(page.attrs("figure.diagram", "data-kind"));
    }
    assert!(kinds.len() >= 3, "diagram types: {kinds:?}");
}

#[test]
fn box_drawing_diagrams_line_up() {
    let (_out, site) = build_bundled("site");
    let mut diagrams = 0;
    for lesson in lesson_pages(&site) {
        let page = Page(scraper::Html::parse_document(
            &std::fs::read_to_string(&lesson).unwrap(),
        ));
        for block in page.select("pre.boxdraw") {
            diagrams += 1;
            let body = text(&block);
            let widths: Vec<usize> = body.lines().map(|l| l.trim_end().chars().count()).collect();
            let max = widths.iter().copied().max().unwrap_or(0);
            for (line, w) in body.lines().zip(&widths) {
                let ends_in_border = line.trim_end().ends_with(['│', '┐', '┘', '┤', '┃']);
                assert!(
                    !ends_in_border || *w == max,
                    "ragged diagram line in {}: {line}",
                    lesson.display()
                );
            }
        }
    }
    assert!(diagrams >= 2, "the course has box-drawing diagrams");
}
