//! Sharing: with `site-url`, every page has a canonical address and Open Graph tags, and each
//! lesson a social card (a real 1200×630 PNG) that its `og:image` names; every course has an
//! Atom feed of its lessons, newest first, dated by front matter, else by git, else by file.

mod common;
use common::Course;

const SITE: &str = "https://example.org/course/";

fn course(site_url: Option<&str>) -> Course {
    let url = site_url.map_or(String::new(), |u| format!("site-url = \"{u}\"\n"));
    Course::bare()
        .file(
            "book.toml",
            format!("[book]\ntitle = \"Ship It\"\n\n[build]\n{url}"),
        )
        .lesson(
            "01-basics/01-first.md",
            "+++\ntitle = \"First Steps With a Title Long Enough to Wrap Twice\"\ndescription = \"Where it starts.\"\nduration = 15\nupdated = \"2026-03-01\"\n+++\n\nHello.\n",
        )
        .lesson(
            "01-basics/02-second.md",
            "+++\ntitle = \"Second\"\ndate = \"2026-05-02T10:00:00Z\"\n+++\n\nMore.\n",
        )
        .lesson("02-more/01-third.md", "# Third\n\nNo date at all.\n")
}

fn child<'a, 'i>(n: roxmltree::Node<'a, 'i>, name: &str) -> roxmltree::Node<'a, 'i> {
    n.children()
        .find(|c| c.has_tag_name(name))
        .unwrap_or_else(|| panic!("no <{name}>"))
}

fn feed(course: &Course) -> (String, Vec<(String, String, String)>) {
    let xml = course.read("public/atom.xml");
    let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{e}\n{xml}"));
    let root = doc.root_element();
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.w3.org/2005/Atom")
    );
    let title = child(root, "title").text().unwrap_or("").to_string();
    let entries = root
        .children()
        .filter(|c| c.has_tag_name("entry"))
        .map(|e| {
            (
                child(e, "title").text().unwrap_or("").to_string(),
                child(e, "link").attribute("href").unwrap_or("").to_string(),
                child(e, "updated").text().unwrap_or("").to_string(),
            )
        })
        .collect();
    (title, entries)
}

#[test]
fn with_a_site_url_pages_have_canonical_and_open_graph_tags_and_lessons_a_card() {
    let course = course(Some(SITE));
    course.build().assert_success();
    let page = course.page("basics/first.html");
    let url = "https://example.org/course/basics/first.html";
    assert_eq!(page.attrs("link[rel=canonical]", "href"), [url]);
    assert_eq!(page.attrs("meta[property='og:url']", "content"), [url]);
    assert_eq!(
        page.attrs("meta[property='og:type']", "content"),
        ["article"]
    );
    assert_eq!(
        page.attrs("meta[property='og:description']", "content"),
        ["Where it starts."]
    );
    assert_eq!(
        page.attrs("meta[name='twitter:card']", "content"),
        ["summary_large_image"]
    );
    let image = page.attrs("meta[property='og:image']", "content");
    assert_eq!(image, ["https://example.org/course/cards/basics/first.png"]);
    let png = std::fs::read(course.path().join("public/cards/basics/first.png")).unwrap();
    let decoder = png::Decoder::new(std::io::Cursor::new(png));
    let info = decoder.read_info().unwrap();
    assert_eq!((info.info().width, info.info().height), (1200, 630));
    // A card is drawn, not blank: many colours (text on a background, anti-aliased).
    let mut reader = info;
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    reader.next_frame(&mut pixels).unwrap();
    let colours: std::collections::HashSet<&[u8]> = pixels.chunks(4).collect();
    assert!(colours.len() > 50, "only {} colours", colours.len());

    let home = course.page("index.html");
    assert_eq!(
        home.attrs("link[rel=canonical]", "href"),
        ["https://example.org/course/"]
    );
    assert_eq!(
        home.attrs("meta[property='og:type']", "content"),
        ["website"]
    );
    assert_eq!(
        home.attrs("link[rel=alternate][type='application/atom+xml']", "href"),
        ["atom.xml"]
    );
}

#[test]
fn the_feed_lists_lessons_newest_first_with_absolute_links() {
    let course = course(Some(SITE));
    course.build().assert_success();
    let (title, entries) = feed(&course);
    assert_eq!(title, "Ship It");
    let titles: Vec<&str> = entries.iter().map(|e| e.0.as_str()).collect();
    // `third` has no date: its file's time (now) makes it the newest.
    assert_eq!(
        titles,
        [
            "Third",
            "Second",
            "First Steps With a Title Long Enough to Wrap Twice"
        ]
    );
    assert_eq!(
        entries[1].1,
        "https://example.org/course/basics/second.html"
    );
    assert_eq!(entries[1].2, "2026-05-02T10:00:00Z");
    assert_eq!(entries[2].2, "2026-03-01T00:00:00Z");
}

#[test]
fn without_a_site_url_there_are_no_cards_and_the_feed_links_are_relative() {
    let course = course(None);
    course.build().assert_success();
    let page = course.page("basics/first.html");
    assert!(
        page.select("link[rel=canonical], meta[property^='og:']")
            .is_empty()
    );
    assert!(!course.exists("public/cards"));
    let (_, entries) = feed(&course);
    assert_eq!(entries[1].1, "basics/second.html");
}

#[test]
fn an_undated_lesson_is_dated_by_its_last_commit() {
    let course = course(Some(SITE));
    let git = |args: &[&str]| {
        let out = std::process::Command::new("git")
            .args(args)
            .current_dir(course.path())
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@example.org")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@example.org")
            .env("GIT_COMMITTER_DATE", "2025-05-06T07:08:09Z")
            .env("GIT_AUTHOR_DATE", "2025-05-06T07:08:09Z")
            .output()
            .expect("git runs");
        assert!(out.status.success(), "git {args:?}: {:?}", out);
    };
    git(&["init", "-q"]);
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "lessons"]);
    course.build().assert_success();
    let (_, entries) = feed(&course);
    let third = entries.iter().find(|e| e.0 == "Third").expect("third");
    assert!(
        third.2.starts_with("2025-05-06T07:08:09"),
        "dated {}, not by its commit",
        third.2
    );
}

/// Cards are kept in the cache by their content: a rebuild reuses them (a card there stands
/// in for the drawing), and a cached card that is not a whole PNG is drawn again.
#[test]
fn cards_come_from_the_cache_and_a_broken_cached_card_is_drawn_again() {
    let course = course(Some(SITE));
    let cache = tempfile::tempdir().unwrap();
    let build = || {
        common::run_with_cache(course.path(), &["build", "--root", "."], cache.path())
            .assert_success();
    };
    let card = || std::fs::read(course.path().join("public/cards/basics/first.png")).unwrap();
    build();
    let drawn = card();
    let cached: Vec<std::path::PathBuf> = std::fs::read_dir(cache.path().join("cards"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(cached.len(), 3, "one card per lesson: {cached:?}");
    let file = cached
        .iter()
        .find(|p| std::fs::read(p).unwrap() == drawn)
        .expect("the drawn card is in the cache")
        .clone();

    // A stand-in in the cache (a whole PNG, but not this card) is what the next build uses.
    let stand_in: Vec<u8> = [
        &b"\x89PNG\r\n\x1a\n"[..],
        b"stand-in",
        &[0, 0, 0, 0, b'I', b'E', b'N', b'D', 0xae, 0x42, 0x60, 0x82],
    ]
    .concat();
    std::fs::write(&file, &stand_in).unwrap();
    build();
    assert_eq!(card(), stand_in, "the cached card was not used");

    // Cut short, it is not trusted: the card is drawn again, and cached again.
    std::fs::write(&file, &drawn[..drawn.len() / 2]).unwrap();
    build();
    assert_eq!(card(), drawn);
    assert_eq!(std::fs::read(&file).unwrap(), drawn);
}
