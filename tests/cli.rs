//! The command line: help, exit codes, `new`.

mod common;
use common::{Course, run_in};

#[test]
fn help_lists_every_command() {
    let run = run_in(std::path::Path::new("."), &["--help"]);
    run.assert_success();
    for command in ["build", "check", "fix-encoding", "new"] {
        assert!(
            run.stdout.contains(command),
            "{command} missing from:\n{}",
            run.stdout
        );
    }
    let run = run_in(std::path::Path::new("."), &["build", "--help"]);
    assert!(
        run.stdout.contains("--strict")
            && run.stdout.contains("--root")
            && run.stdout.contains("--out")
    );
}

#[test]
fn usage_errors_exit_2() {
    run_in(std::path::Path::new("."), &["build", "--no-such-flag"]).assert_code(2);
    run_in(std::path::Path::new("."), &["fix-encoding"]).assert_code(2);
    let course = Course::bare();
    course
        .run(&["build", "--root", "does-not-exist"])
        .assert_code(2);
}

#[test]
fn new_scaffolds_a_course_that_builds_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    run_in(dir.path(), &["new", "my-course"]).assert_success();
    let run = run_in(&dir.path().join("my-course"), &["build", "--strict"]);
    run.assert_success().assert_no_warnings();
    assert!(
        dir.path()
            .join("my-course/public/getting-started/welcome.html")
            .exists()
    );
    // A second `new` into the same, now non-empty, folder is refused.
    run_in(dir.path(), &["new", "my-course"]).assert_code(2);
}

#[test]
fn out_flag_overrides_the_output_folder() {
    let course = Course::new().lesson("01-m/01-a.md", "# A\n");
    course
        .run(&["build", "--root", ".", "--out", "elsewhere"])
        .assert_success();
    assert!(course.exists("elsewhere/m/a.html"));
}

#[test]
fn verify_help_lists_every_tag_setting() {
    let run = run_in(std::path::Path::new("."), &["verify", "--help"]);
    run.assert_success();
    // Every key the tag parser accepts is explained.
    for key in [
        "image=", "timeout=", "exit=", "session=", "file=", "tag=", "run=", "docker", "net",
        "env=", "workdir=", "skip=",
    ] {
        assert!(run.stdout.contains(key), "{key} in:\n{}", run.stdout);
    }
}
