//! Dockerfile blocks under `coursebook verify`, against a real Docker engine: a session's files
//! form the build context, the built image runs later blocks and its own command, a failing
//! step is reported at its lesson line, `FROM` images are checked (and mapped) before anything
//! runs, and the built images do not outlive the run.

mod common;
#[path = "common/docker.rs"]
mod docker;

use std::process::Command;

use common::Course;

fn course(image: &str, lesson: &str) -> Course {
    Course::bare()
        .file(
            "book.toml",
            format!(
                "[book]\ntitle = \"B\"\n\n[verify]\nimage = \"{image}\"\ntimeout = \"20s\"\n\n[verify.images]\n\"python:3.12-slim\" = \"{image}\"\n"
            ),
        )
        .lesson("01-m/01-a.md", lesson)
}

/// Runs verify with its own result cache, with extra environment.
fn verify(course: &Course, cache: &std::path::Path, env: &[(&str, &str)]) -> (i32, String) {
    let out = Command::new(common::bin())
        .args(["verify", "--root", course.path().to_str().unwrap()])
        .env("COURSEBOOK_CACHE_DIR", cache)
        .envs(env.iter().copied())
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Images left behind by runs that have ended.
fn built_images() -> Vec<String> {
    docker::docker(&["images", "-q", "--filter", "label=dev.coursebook.verify"])
        .unwrap_or_default()
        .lines()
        .map(str::to_string)
        .filter(|id| docker::run_ended(&docker::run_of(id)))
        .collect()
}

const APP: &str = r#"# An app in an image

```sh {verify session=app file=app.sh}
echo "Hello, $(cat /app/greeting.txt)!"
```

```dockerfile {verify session=app}
FROM python:3.12-slim
WORKDIR /app
# the app and its data
COPY app.sh greeting.txt \
     /app/
CMD ["sh", "/app/app.sh"]
```

The greeting is written after the Dockerfile: it is still in the build context.

```text {verify session=app file=greeting.txt}
learner
```

```text {verify session=app run=app}
Hello, learner!
```

```console {verify session=app image=app}
$ ls /app
app.sh
greeting.txt
```
"#;

#[test]
fn a_sessions_files_are_the_build_context_and_the_image_runs_later_blocks() {
    let Some(image) = docker::busybox() else {
        return;
    };
    let course = course(image, APP);
    let cache = tempfile::tempdir().unwrap();
    let (code, stderr) = verify(&course, cache.path(), &[]);
    assert_eq!(code, 0, "{stderr}");
    for line in [3, 7, 18, 22, 26] {
        assert!(
            stderr.contains(&format!("PASS    content/01-m/01-a.md:{line}\n")),
            "line {line}: {stderr}"
        );
    }
    assert!(stderr.ends_with(": 5 pass\n"), "{stderr}");
    assert_eq!(
        built_images(),
        Vec::<String>::new(),
        "built images are removed"
    );

    // Unchanged: nothing runs again.
    let (code, stderr) = verify(&course, cache.path(), &[]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stderr.matches("(cached)").count(), 5, "{stderr}");

    // Editing a file the image is built from reruns the build and what follows it, and the
    // image's output now differs from the lesson's.
    let edited = APP.replace("learner\n```", "world\n```");
    std::fs::write(course.path().join("content/01-m/01-a.md"), edited).unwrap();
    let (code, stderr) = verify(&course, cache.path(), &[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("FAIL    content/01-m/01-a.md:22\n    running the image built as `app`:"),
        "{stderr}"
    );
    assert!(
        stderr.contains("    -Hello, learner!\n    +Hello, world!"),
        "{stderr}"
    );
}

#[test]
fn a_failing_build_step_is_reported_at_its_lesson_line() {
    let Some(image) = docker::busybox() else {
        return;
    };
    let lesson = "# Broken\n\n```dockerfile {verify session=bad}\nFROM python:3.12-slim\n\n# two steps\nRUN echo building\nRUN test -f /missing \\\n    && echo found\nCMD [\"true\"]\n```\n\n```sh {verify session=bad}\necho never\n```\n";
    let course = course(image, lesson);
    let cache = tempfile::tempdir().unwrap();
    let (code, stderr) = verify(&course, cache.path(), &[("GITHUB_ACTIONS", "true")]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains(
            "FAIL    content/01-m/01-a.md:3\n    the build failed at content/01-m/01-a.md:8: RUN test -f /missing \\\n"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("returned a non-zero code: 1"), "{stderr}");
    assert!(
        stderr.contains("SKIP    content/01-m/01-a.md:13 (not run: content/01-m/01-a.md:3 failed earlier in the session)"),
        "{stderr}"
    );
    let out = Command::new(common::bin())
        .args(["verify", "--root", course.path().to_str().unwrap()])
        .env("COURSEBOOK_CACHE_DIR", cache.path())
        .env("GITHUB_ACTIONS", "true")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("::error file=content/01-m/01-a.md,line=8,title=coursebook verify::FAIL"),
        "{stdout}"
    );
    assert_eq!(built_images(), Vec::<String>::new());
}

#[test]
fn from_images_are_checked_before_anything_runs_and_never_pulled_unasked() {
    let Some(image) = docker::busybox() else {
        return;
    };
    let lesson = "# From\n\n```sh {verify}\necho first\n```\n\n```dockerfile {verify session=s}\nFROM python:3.12-slim AS base\nFROM base\nFROM node:22-alpine\n```\n";
    let course = course(image, lesson);
    let cache = tempfile::tempdir().unwrap();
    let (code, stderr) = verify(&course, cache.path(), &[]);
    assert_eq!(code, 2, "{stderr}");
    // python:3.12-slim is mapped and `base` is a stage: only node is missing.
    assert!(
        stderr.contains(
            "image `node:22-alpine` is not on this engine (first used at content/01-m/01-a.md:10)"
        ),
        "{stderr}"
    );
    assert_eq!(
        stderr.matches("is not on this engine").count(),
        1,
        "{stderr}"
    );
    assert!(!stderr.contains("PASS"), "nothing ran: {stderr}");

    // --pull asks the registry, which is out of reach here: still one clear error.
    let out = Command::new(common::bin())
        .args([
            "verify",
            "--pull",
            "--root",
            course.path().to_str().unwrap(),
        ])
        .env("COURSEBOOK_CACHE_DIR", cache.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("pulling node:22-alpine"), "{stderr}");
    assert!(
        stderr.contains("could not pull `node:22-alpine` (first used at content/01-m/01-a.md:10)"),
        "{stderr}"
    );
}

#[test]
fn run_and_tag_are_checked_at_their_line() {
    // No engine needed: tags are checked before anything runs.
    let lesson =
        "# T\n\n```text {verify session=s run=web}\nhi\n```\n\n```sh {verify tag=web}\necho\n```\n";
    let course = course("any", lesson);
    let run = course.run(&["verify", "--root", "."]);
    run.assert_code(1);
    let d = run.diagnostics();
    assert!(
        d.contains("error: `run=web` names no image built earlier in this lesson\n  --> content/01-m/01-a.md:3:1"),
        "{d}"
    );
    assert!(
        d.contains("= help: build it first in session `s`: a Dockerfile block with `file=Dockerfile session=s tag=web`"),
        "{d}"
    );
    assert!(
        d.contains(
            "error: `tag` names the image a Dockerfile block builds\n  --> content/01-m/01-a.md:7:1"
        ),
        "{d}"
    );
}
