//! `coursebook serve`: the real server on a free port, driven over HTTP and its event stream
//! while the test edits the course on disk.

mod common;
#[path = "common/server.rs"]
mod server;

use common::Course;
use server::{Server, next_event};
use std::time::Duration;

fn course() -> Course {
    Course::new()
        .lesson(
            "01-basics/_index.md",
            "+++\ntitle = \"Basics\"\n+++\nThe basics.\n",
        )
        .lesson(
            "01-basics/01-first.md",
            "# First lesson\n\nHello from the first lesson.\n",
        )
        .lesson(
            "01-basics/02-second.md",
            "# Second lesson\n\nSee [the first](01-first.md).\n",
        )
        .lesson(
            "01-basics/diagram.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        )
}

#[test]
fn serves_pages_and_assets_with_their_types_and_the_reload_script() {
    let course = course();
    let server = Server::start(course.path(), 0, &[]);
    let page = server.get("/basics/first.html");
    assert_eq!(page.status, 200);
    assert_eq!(
        page.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(page.body.contains("Hello from the first lesson."));
    assert!(
        page.body.contains("<script src=\"/__coursebook/live.js\""),
        "live reload injected"
    );
    assert_eq!(page.header("cache-control"), Some("no-cache"));

    let css = server.get("/static/style.css");
    assert_eq!(
        (css.status, css.header("content-type")),
        (200, Some("text/css; charset=utf-8"))
    );
    let js = server.get("/static/theme.js");
    assert_eq!(js.status, 200);
    assert!(js.header("content-type").unwrap().contains("javascript"));
    let svg = server.get("/basics/diagram.svg");
    assert_eq!(
        (svg.status, svg.header("content-type")),
        (200, Some("image/svg+xml"))
    );
    assert!(!svg.body.contains("live.js"), "only HTML gets the script");
    assert_eq!(server.get("/__coursebook/live.js").status, 200);

    // A folder redirects to its slash, then serves its index; there are no listings.
    let folder = server.get("/basics");
    assert_eq!(
        (folder.status, folder.header("location")),
        (308, Some("/basics/"))
    );
    assert!(server.get("/basics/").body.contains("The basics."));
    let listing = server.get("/static/");
    assert_eq!(listing.status, 404);
    assert!(
        listing.body.contains("Page not found"),
        "no listing, the 404 page"
    );
    let missing = server.get("/nope.html");
    assert_eq!(missing.status, 404);
    assert!(
        missing.body.contains("Page not found"),
        "the site's own 404 page"
    );

    // The built site lives in a temporary folder: `public/` is never touched.
    assert!(!course.exists("public"));
}

#[test]
fn requests_cannot_read_outside_the_site() {
    let course = course().file("secret.txt", "top secret");
    let server = Server::start(course.path(), 0, &[]);
    for path in [
        "/../secret.txt",
        "/../book.toml",
        "/%2e%2e/secret.txt",
        "/basics/%2E%2E/%2e%2e/secret.txt",
        "/..%2fsecret.txt",
        "/basics\\..\\..\\secret.txt",
        "//etc/passwd",
        "/%00",
    ] {
        let response = server.get(path);
        assert!(
            response.status == 400 || response.status == 404,
            "{path}: {}",
            response.status
        );
        assert!(
            !response.body.contains("top secret") && !response.body.contains("root:"),
            "{path}"
        );
    }
}

#[test]
fn an_edit_is_visible_after_the_rebuild_and_only_touched_pages_are_reloaded() {
    let course = course();
    let server = Server::start(course.path(), 0, &[]);
    let events = server.events();
    let hello = next_event(&events, "hello", |m| m.contains("\"hello\""));
    assert!(hello.contains("\"error\":null"), "{hello}");

    std::fs::write(
        course.path().join("content/01-basics/02-second.md"),
        "# Second lesson\n\nAn edited paragraph.\n",
    )
    .unwrap();
    let reload = next_event(&events, "reload", |m| m.contains("\"reload\""));
    assert!(
        reload.contains("\"pages\":[\"basics/second.html\"]"),
        "{reload}"
    );
    server.wait_for("/basics/second.html", "the edit", |b| {
        b.contains("An edited paragraph.")
    });
    // The print page holds every lesson, so an edit does not remake it (on a large course
    // that would cost every save its speed): the next request for it does.
    std::thread::sleep(Duration::from_millis(300));
    let log: Vec<String> = std::iter::from_fn(|| server.log.try_recv().ok()).collect();
    assert!(
        !log.iter().any(|l| l.contains("print page")),
        "an edit remade the print page: {log:?}"
    );
    let print = server.get("/print.html");
    assert!(
        print.body.contains("An edited paragraph."),
        "{}",
        print.body
    );
    // (The server logs it before answering; the log reader may lag a moment behind.)
    let made = server
        .log
        .recv_timeout(Duration::from_secs(5))
        .unwrap_or_default();
    assert!(made.contains("made the print page in"), "{made}");

    // A new title changes the sidebar, the neighbours and the module page too.
    std::fs::write(
        course.path().join("content/01-basics/02-second.md"),
        "# Renamed lesson\n\nAn edited paragraph.\n",
    )
    .unwrap();
    let reload = next_event(&events, "reload", |m| m.contains("\"reload\""));
    for page in [
        "basics/second.html",
        "basics/first.html",
        "basics/index.html",
        "index.html",
    ] {
        assert!(
            reload.contains(&format!("\"{page}\"")),
            "{page} in {reload}"
        );
    }
    server.wait_for("/basics/first.html", "the new title in the sidebar", |b| {
        b.contains("Renamed lesson")
    });

    // A new lesson changes the course's structure: every page is rebuilt.
    std::fs::write(
        course.path().join("content/01-basics/03-third.md"),
        "# Third\n\nNew.\n",
    )
    .unwrap();
    let reload = next_event(&events, "reload", |m| m.contains("\"reload\""));
    assert!(reload.contains("\"pages\":\"*\""), "{reload}");
    assert_eq!(server.get("/basics/third.html").status, 200);
    assert!(!course.exists("public"));
}

#[test]
fn a_broken_save_shows_the_error_and_fixing_it_recovers() {
    let course = course();
    let server = Server::start(course.path(), 0, &[]);
    let events = server.events();
    next_event(&events, "hello", |m| m.contains("\"hello\""));
    let lesson = course.path().join("content/01-basics/01-first.md");
    std::fs::write(&lesson, "+++\ntitle = \n+++\nBroken.\n").unwrap();
    let error = next_event(&events, "error", |m| m.contains("\"error\""));
    assert!(error.contains("invalid front matter"), "{error}");
    assert!(
        error.contains("content/01-basics/01-first.md:2:9"),
        "file:line:col: {error}"
    );
    // The last good page is still served, and a new page load is told about the error.
    assert!(
        server
            .get("/basics/first.html")
            .body
            .contains("Hello from the first lesson.")
    );
    let late = server.events();
    let hello = next_event(&late, "hello", |m| m.contains("\"hello\""));
    assert!(hello.contains("invalid front matter"), "{hello}");

    std::fs::write(&lesson, "# First lesson\n\nFixed now.\n").unwrap();
    let reload = next_event(&events, "reload", |m| m.contains("\"reload\""));
    assert!(reload.contains("basics/first.html"), "{reload}");
    server.wait_for("/basics/first.html", "the fix", |b| {
        b.contains("Fixed now.")
    });
    let hello = next_event(&server.events(), "hello", |m| m.contains("\"hello\""));
    assert!(hello.contains("\"error\":null"), "{hello}");
}

#[test]
fn a_broken_course_at_start_is_served_with_its_error_until_fixed() {
    let course = Course::new().lesson("01-m/01-a.md", "+++\nweight = \"x\"\n+++\n# A\n");
    let server = Server::start(course.path(), 0, &[]);
    let hello = next_event(&server.events(), "hello", |m| m.contains("\"hello\""));
    assert!(hello.contains("front matter"), "{hello}");
    assert_eq!(
        server.get("/").status,
        200,
        "a placeholder page carries the error"
    );
    std::fs::write(course.path().join("content/01-m/01-a.md"), "# A\n\nGood.\n").unwrap();
    server.wait_for("/m/a.html", "the course once fixed", |b| {
        b.contains("Good.")
    });
}

#[test]
fn editors_that_save_by_rename_and_many_files_at_once_are_seen() {
    let course = course();
    let server = Server::start(course.path(), 0, &[]);
    let events = server.events();
    next_event(&events, "hello", |m| m.contains("\"hello\""));
    // Save by writing a temporary file and renaming it over the lesson (vim, VS Code...).
    let dir = course.path().join("content/01-basics");
    std::fs::write(dir.join(".01-first.md.swp"), "swap").unwrap();
    std::fs::write(
        dir.join("01-first.md.tmp"),
        "# First lesson\n\nSaved by rename.\n",
    )
    .unwrap();
    std::fs::rename(dir.join("01-first.md.tmp"), dir.join("01-first.md")).unwrap();
    std::fs::remove_file(dir.join(".01-first.md.swp")).unwrap();
    server.wait_for("/basics/first.html", "the renamed save", |b| {
        b.contains("Saved by rename.")
    });
    // Truncate, then write (some editors, `>` in a shell).
    std::fs::write(dir.join("01-first.md"), "").unwrap();
    std::fs::write(
        dir.join("01-first.md"),
        "# First lesson\n\nTruncated then written.\n",
    )
    .unwrap();
    server.wait_for("/basics/first.html", "the rewrite", |b| {
        b.contains("Truncated then written.")
    });
    // Many files at once, as `git checkout` does.
    for i in 0..30 {
        std::fs::write(
            dir.join(format!("1{i:02}-extra-{i}.md")),
            format!("# Extra {i}\n"),
        )
        .unwrap();
    }
    server.wait_for("/basics/extra-29.html", "the 30th new lesson", |b| {
        b.contains("Extra 29")
    });
    server.wait_for("/basics/first.html", "all 30 in the sidebar", |b| {
        b.contains("Extra 29")
    });
}

#[test]
fn a_taken_port_moves_to_the_next_and_ctrl_c_stops_cleanly() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let course = course();
    let tmp = tempfile::tempdir().unwrap();
    let server = Server::start_with_env(course.path(), port, &[], &[("TMPDIR", tmp.path())]);
    assert_ne!(server.port, port);
    assert_eq!(server.get("/basics/first.html").status, 200);
    assert!(
        server
            .startup
            .iter()
            .any(|l| l.contains(&format!("port {port} is taken"))),
        "the move is reported: {:?}",
        server.startup
    );
    assert_eq!(
        std::fs::read_dir(tmp.path()).unwrap().count(),
        1,
        "the preview folder"
    );
    // An open event stream (a browser with the preview) must not hold Ctrl-C up.
    let _events = server.events();
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(server.interrupt(), Some(0), "Ctrl-C exits cleanly");
    assert_eq!(
        std::fs::read_dir(tmp.path()).unwrap().count(),
        0,
        "and removes the preview folder"
    );
}

#[test]
fn sigterm_stops_the_server_and_cleans_up_too() {
    let course = course();
    let tmp = tempfile::tempdir().unwrap();
    let server = Server::start_with_env(course.path(), 0, &[], &[("TMPDIR", tmp.path())]);
    assert_eq!(server.signal("-TERM"), Some(0));
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 0);
}

#[test]
fn binds_to_loopback_unless_told_otherwise() {
    let course = course();
    let server = Server::start(course.path(), 0, &[]);
    assert_eq!(server.host, "127.0.0.1");
    let reachable = |ip: std::net::IpAddr, port: u16| {
        std::net::TcpStream::connect_timeout(&(ip, port).into(), Duration::from_millis(500)).is_ok()
    };
    if let Some(ip) = local_non_loopback_address() {
        assert!(!reachable(ip, server.port), "not reachable on {ip}");
        // Told otherwise, it is: the check above can tell the difference.
        let shared = Server::start(course.path(), 0, &["--bind", "0.0.0.0"]);
        assert!(reachable(ip, shared.port), "--bind 0.0.0.0 serves {ip}");
    } else {
        eprintln!("no network address besides loopback: only the printed address is checked");
    }
}

/// This machine's address on its network, if it has one.
fn local_non_loopback_address() -> Option<std::net::IpAddr> {
    let socket = std::net::UdpSocket::bind("0.0.0.0:0").ok()?;
    socket.connect("192.0.2.1:9").ok()?; // TEST-NET: nothing is sent
    let ip = socket.local_addr().ok()?.ip();
    (!ip.is_loopback() && !ip.is_unspecified()).then_some(ip)
}

#[test]
fn a_theme_edit_rerenders_every_page_and_a_broken_template_is_shown() {
    let template = |text: &str| {
        format!("{{% extends \"base.html\" %}}{{% block main %}}<p>{text}</p>{{% endblock main %}}")
    };
    let course = course().file(
        "themes/default/templates/404.html",
        template("Lost, first version"),
    );
    let server = Server::start(course.path(), 0, &[]);
    let events = server.events();
    next_event(&events, "hello", |m| m.contains("\"hello\""));
    assert!(
        server
            .get("/nope.html")
            .body
            .contains("Lost, first version")
    );
    let file = course.path().join("themes/default/templates/404.html");
    std::fs::write(&file, template("Lost, second version")).unwrap();
    let reload = next_event(&events, "reload", |m| m.contains("\"reload\""));
    assert!(reload.contains("\"pages\":\"*\""), "{reload}");
    server.wait_for("/nope.html", "the new template", |b| {
        b.contains("Lost, second version")
    });

    std::fs::write(&file, "{% block main %").unwrap();
    let error = next_event(&events, "error", |m| m.contains("\"error\""));
    assert!(error.contains("404.html"), "{error}");
    assert!(
        server
            .get("/nope.html")
            .body
            .contains("Lost, second version"),
        "the last good site stays"
    );
    std::fs::write(&file, template("Lost, fixed")).unwrap();
    server.wait_for("/nope.html", "the fixed template", |b| {
        b.contains("Lost, fixed")
    });
}

#[test]
fn a_verify_run_during_serve_shows_its_badges_without_a_restart() {
    let course = course().lesson(
        "01-basics/03-tagged.md",
        "# Tagged\n\n```sh {verify}\necho hello\n```\n",
    );
    // `.coursebook/` does not exist yet: the first verify run makes it.
    let server = Server::start(course.path(), 0, &[]);
    let events = server.events();
    next_event(&events, "hello", |m| m.contains("\"hello\""));
    assert!(!server.get("/basics/tagged.html").body.contains("Verified"));

    // What `coursebook verify` writes: FNV-1a 64 of "sh\n" + the block's text.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in "sh\necho hello\n".bytes() {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x100_0000_01b3);
    }
    let dir = course.path().join(".coursebook");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("verify-results.json"),
        format!("{{\"{hash:016x}\": {{\"status\": \"pass\", \"date\": \"2026-11-23\", \"image\": \"busybox\"}}}}\n"),
    )
    .unwrap();
    let reload = next_event(&events, "reload", |m| m.contains("\"reload\""));
    assert!(reload.contains("\"basics/tagged.html\""), "{reload}");
    assert!(!reload.contains("\"basics/first.html\""), "{reload}");
    server.wait_for("/basics/tagged.html", "the badge", |b| {
        b.contains("Verified") && b.contains("busybox")
    });
}

#[test]
fn editing_an_mdbook_summary_or_mkdocs_nav_reorders_the_pages() {
    let book = Course::bare()
        .file("book.toml", "[book]\ntitle = \"Book\"\n")
        .file("src/SUMMARY.md", "- [One](one.md)\n- [Two](two.md)\n")
        .file("src/one.md", "# One\n")
        .file("src/two.md", "# Two\n");
    let server = Server::start(book.path(), 0, &[]);
    let events = server.events();
    next_event(&events, "hello", |m| m.contains("\"hello\""));
    assert!(server.get("/one.html").body.contains("rel=\"next\""));
    std::fs::write(
        book.path().join("src/SUMMARY.md"),
        "- [Two](two.md)\n- [One](one.md)\n",
    )
    .unwrap();
    let reload = next_event(&events, "reload", |m| m.contains("\"reload\""));
    assert!(reload.contains("\"pages\":\"*\""), "{reload}");
    server.wait_for("/two.html", "Two first", |b| {
        b.contains("rel=\"next\"") && !b.contains("rel=\"prev\"")
    });
    drop(server);

    let site = Course::bare()
        .file("mkdocs.yml", "site_name: Site\nnav:\n  - a.md\n  - b.md\n")
        .file("docs/a.md", "# Ay\n")
        .file("docs/b.md", "# Bee\n");
    let server = Server::start(site.path(), 0, &[]);
    let events = server.events();
    next_event(&events, "hello", |m| m.contains("\"hello\""));
    std::fs::write(
        site.path().join("mkdocs.yml"),
        "site_name: Renamed site\nnav:\n  - b.md\n  - a.md\n",
    )
    .unwrap();
    next_event(&events, "reload", |m| m.contains("\"reload\""));
    server.wait_for("/b.html", "the nav's new order and name", |b| {
        b.contains("Renamed site") && !b.contains("rel=\"prev\"")
    });
}
