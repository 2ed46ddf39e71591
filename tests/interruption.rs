//! Interruption (issue 9): `kill -9` in the middle of a build leaves the previous `public/`
//! exactly as it was, and the next build succeeds and cleans up after the killed one.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use common::{Course, bin};

/// Every file under `dir` with a digest of its bytes, sorted by path.
fn snapshot(dir: &Path) -> Vec<(String, u64)> {
    use std::hash::{Hash, Hasher};
    let mut files: Vec<_> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            std::fs::read(e.path()).unwrap().hash(&mut hasher);
            (
                e.path().strip_prefix(dir).unwrap().display().to_string(),
                hasher.finish(),
            )
        })
        .collect();
    files.sort();
    files
}

/// `coursebook build` on `course`, started.
fn build(course: &Course) -> std::process::Child {
    Command::new(bin())
        .args(["build", "--root", "."])
        .current_dir(course.path())
        .env(
            "COURSEBOOK_CACHE_DIR",
            std::env::temp_dir().join("coursebook-test-cache"),
        )
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

fn staging_folders(course: &Course) -> Vec<String> {
    std::fs::read_dir(course.path())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("staging"))
        .collect()
}

#[test]
fn kill_9_during_a_build_leaves_the_previous_site_whole() {
    let mut course = Course::new();
    for m in 1..=4 {
        for l in 1..=60 {
            let mut text = format!("# Lesson {m}.{l}\n\n");
            for p in 0..20 {
                text.push_str(&format!(
                    "Paragraph {p} about images and containers.\n\n```bash\ndocker run --rm busybox echo {m} {l} {p}\n```\n\n"
                ));
            }
            course = course.lesson(&format!("0{m}-m{m}/{l:02}-l{l}.md"), text);
        }
    }
    course.build().assert_success();
    let public = course.path().join("public");
    let before = snapshot(&public);
    assert!(before.len() > 240);

    // Change every lesson, so a finished build would differ, then kill builds at several
    // moments: early (loading), in the middle (rendering, indexing) and late (writing).
    for lesson in walkdir::WalkDir::new(course.path().join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
    {
        let text = std::fs::read_to_string(lesson.path()).unwrap();
        std::fs::write(
            lesson.path(),
            text.replace("Paragraph", "Changed paragraph"),
        )
        .unwrap();
    }
    // Each killed build leaves the old site, or (killed after its last rename, while it
    // removed the old one) the whole new site: never a mix.
    let mut killed = 0;
    let mut seen = Vec::new();
    for delay in [20, 80, 200, 400, 700] {
        let mut child = build(&course);
        std::thread::sleep(Duration::from_millis(delay));
        let finished = child.try_wait().unwrap().is_some();
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        if finished {
            break;
        }
        killed += 1;
        seen.push((delay, snapshot(&public)));
    }
    assert!(
        killed >= 2,
        "only {killed} builds were killed before they finished"
    );

    // One more, killed as soon as its staging folder exists, so that there surely is one for
    // the next build to clean up (each build also cleans up after the ones killed before it).
    let mut child = build(&course);
    while staging_folders(&course).is_empty() && child.try_wait().unwrap().is_none() {
        std::thread::sleep(Duration::from_millis(2));
    }
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        !staging_folders(&course).is_empty(),
        "no staging folder to clean"
    );

    // The next build succeeds, and no staging folder of a killed build is left behind.
    course.build().assert_success();
    assert!(
        course
            .read("public/m1/l1.html")
            .contains("Changed paragraph")
    );
    assert_eq!(staging_folders(&course), Vec::<String>::new());
    let after = snapshot(&public);
    assert_ne!(before, after);
    for (delay, site) in seen {
        assert!(
            site == before || site == after,
            "a build killed after {delay} ms left a site that is neither the old nor the new one"
        );
    }
}
