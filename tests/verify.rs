//! `coursebook verify` against a real Docker engine: snippets pass, fail with a diff, exit
//! with the wrong code, time out, run out of memory, share a session; missing images and bad
//! tags are clear errors; no container outlives a run, not even one killed or interrupted.

mod common;
#[path = "common/docker.rs"]
mod docker;

use std::sync::{PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::{Duration, Instant};

use common::Course;

/// Every verify run sweeps dead runs' leftovers, so the test that plants one takes the engine
/// for itself; the others share it.
static ENGINE: RwLock<()> = RwLock::new(());

fn shared() -> RwLockReadGuard<'static, ()> {
    ENGINE.read().unwrap_or_else(PoisonError::into_inner)
}

fn exclusive() -> RwLockWriteGuard<'static, ()> {
    ENGINE.write().unwrap_or_else(PoisonError::into_inner)
}

fn course(image: &str, lesson: &str) -> Course {
    Course::bare()
        .file(
            "book.toml",
            format!("[book]\ntitle = \"V\"\n\n[verify]\nimage = \"{image}\"\ntimeout = \"20s\"\n"),
        )
        .lesson("01-m/01-a.md", lesson)
}

const MIXED: &str = r#"# Lesson

```sh {verify}
echo hello
```

```console {verify}
$ echo hi
hi
$ printf 'a\nb\nc\n'
a
...
c
$ ls /nope
ls: /nope: No such file or directory
[1]
$ echo "id: $$ done"
id: [..] done
$ echo 42 bytes
[0-9]+ bytes (re)
```

```console {verify}
$ echo actual
expected
```

```sh {verify exit=3}
exit 3
```

```sh {verify}
exit 4
```

```sh {verify timeout=1s}
sleep 10
```

```sh {verify skip="needs a GPU"}
nvidia-smi
```

```text {verify session=app file=conf/greeting.txt}
hello from a file
```

```sh {verify session=app}
test "$(cat conf/greeting.txt)" = "hello from a file"
echo "state" > made-here.txt
```

```console {verify session=app}
$ cat made-here.txt
state
```

```sh {verify session=broken}
exit 1
```

```sh {verify session=broken}
echo never
```
"#;

#[test]
fn snippets_pass_fail_time_out_and_share_sessions() {
    let Some(image) = docker::busybox() else {
        return;
    };
    let _engine = shared();
    let course = course(image, MIXED);
    let run = course.run(&["verify", "--root", ".", "--no-cache"]);
    run.assert_code(1);
    // (A run killed earlier on a shared engine may leave containers that this run's sweep
    // reports removing; the sweep has its own test.)
    let lines: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| !l.starts_with(' ') && !l.ends_with("left by an earlier run"))
        .collect();
    let at = |line: usize| format!("content/01-m/01-a.md:{line}");
    let expected = [
        format!("PASS    {}", at(3)),
        format!("PASS    {}", at(7)),
        format!("FAIL    {}", at(23)),
        format!("PASS    {}", at(28)),
        format!("FAIL    {}", at(32)),
        format!("TIMEOUT {}", at(36)),
        format!("SKIP    {} (needs a GPU)", at(40)),
        format!("PASS    {}", at(44)),
        format!("PASS    {}", at(48)),
        format!("PASS    {}", at(53)),
        format!("FAIL    {}", at(58)),
        format!(
            "SKIP    {} (not run: {} failed earlier in the session)",
            at(62),
            at(58)
        ),
    ];
    assert_eq!(&lines[..lines.len() - 1], expected, "{}", run.stderr);
    let summary = lines[lines.len() - 1];
    assert!(summary.starts_with("verified 12 snippets in "), "{summary}");
    assert!(
        summary.ends_with(": 6 pass, 3 fail, 1 timeout, 2 skip"),
        "{summary}"
    );
    // The diff shows what the lesson expected and what the container printed.
    assert!(
        run.stderr
            .contains("    $ echo actual\n    --- expected (lesson)\n    +++ actual (container)"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("    -expected\n    +actual"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("exited with 4 (expected 0)"));
    assert!(run.stderr.contains("still running after 1 s"));
    assert_eq!(
        orphans(),
        Vec::<String>::new(),
        "no container outlives its run"
    );
}

/// Labelled containers whose run's process has ended (other tests' runs may be going on).
fn orphans() -> Vec<String> {
    docker::labelled_containers()
        .into_iter()
        .filter(|id| {
            let run = docker::run_of(id);
            // The sweep test plants a leftover of a dead run on purpose: not an orphan of
            // the run under test.
            !run.starts_with(&format!("{PLANTED_PID}-")) && docker::run_ended(&run)
        })
        .collect()
}

/// The made-up process id of the dead run whose leftovers the sweep test plants.
const PLANTED_PID: &str = "4000000000";

#[test]
fn a_snippet_that_runs_out_of_memory_is_reported_as_such() {
    let Some(image) = docker::busybox() else {
        return;
    };
    let _engine = shared();
    let course = course(
        image,
        "# M\n\n```sh {verify}\nx=$(head -c 400000000 /dev/zero | tr '\\0' a); echo ${#x}\n```\n",
    );
    let run = course.run(&["verify", "--root", ".", "--no-cache"]);
    run.assert_code(1);
    run.assert_stderr_contains("OOM     content/01-m/01-a.md:3");
    run.assert_stderr_contains("killed for using more than 256 MiB of memory");
    assert_eq!(orphans(), Vec::<String>::new());
}

#[test]
fn a_missing_image_is_one_environment_error_before_anything_runs() {
    let Some(image) = docker::busybox() else {
        return;
    };
    let _engine = shared();
    let course = course(
        image,
        "# M\n\n```sh {verify}\necho ran > /dev/null\n```\n\n```sh {verify image=python:3.11-slim}\npython3 -V\n```\n\n```sh {verify image=python:3.11-slim}\npython3 -V\n```\n",
    );
    let run = course.run(&["verify", "--root", ".", "--no-cache"]);
    run.assert_code(2);
    assert_eq!(
        run.stderr.matches("is not on this engine").count(),
        1,
        "{}",
        run.stderr
    );
    run.assert_stderr_contains("error: image `python:3.11-slim` is not on this engine (first used at content/01-m/01-a.md:7)");
    run.assert_stderr_contains("[verify.images]");
    assert!(!run.stderr.contains("PASS"), "nothing ran");

    // Mapping the name to an image the engine has makes it run.
    let mapped = Course::bare()
        .file(
            "book.toml",
            format!("[book]\ntitle = \"V\"\n\n[verify]\nimage = \"{image}\"\n\n[verify.images]\n\"python:3.11-slim\" = \"{image}\"\n"),
        )
        .lesson("01-m/01-a.md", "# M\n\n```sh {verify image=python:3.11-slim}\necho mapped\n```\n");
    let run = mapped.run(&["verify", "--root", ".", "--no-cache"]);
    run.assert_success();
    run.assert_stderr_contains("PASS    content/01-m/01-a.md:3");
}

#[test]
fn bad_tags_are_errors_at_their_line() {
    // No engine needed: tags are checked before anything runs.
    let course = course(
        "any",
        "# T\n\n```sh {verify imgae=x}\necho\n```\n\n```sh {verify timeout=soon}\necho\n```\n\n```python {verify}\nprint(1)\n```\n",
    );
    let run = course.run(&["verify", "--root", ".", "--no-cache"]);
    run.assert_code(1);
    let d = run.diagnostics();
    assert!(
        d.contains("error: unknown verify setting `imgae`\n  --> content/01-m/01-a.md:3:1"),
        "{d}"
    );
    assert!(d.contains("= help: did you mean `image`?"), "{d}");
    assert!(
        d.contains("error: `timeout=soon` is not a duration\n  --> content/01-m/01-a.md:7:1"),
        "{d}"
    );
    assert!(
        d.contains(
            "error: a `python` block cannot run by itself\n   --> content/01-m/01-a.md:11:1"
        ),
        "{d}"
    );
}

#[test]
fn leftovers_of_a_killed_run_are_swept_and_ctrl_c_removes_this_runs_containers() {
    let Some(image) = docker::busybox() else {
        return;
    };
    let _engine = exclusive();
    // A container as a run killed with -9 leaves it: its process is gone.
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap();
    let leftover = docker::docker(&[
        "run",
        "-d",
        "--label",
        &format!("dev.coursebook.verify={PLANTED_PID}-1"),
        "--label",
        &format!("dev.coursebook.host={}", host.trim()),
        image,
        "sh",
        "-c",
        "while :; do sleep 1; done",
    ])
    .unwrap();
    let leftover = leftover.trim().to_string();
    // And an image such a run built from a Dockerfile block.
    let leftover_image = docker::docker(&[
        "commit",
        "--change",
        &format!("LABEL dev.coursebook.verify={PLANTED_PID}-1"),
        "--change",
        &format!("LABEL dev.coursebook.host={}", host.trim()),
        &leftover,
    ])
    .unwrap();
    let leftover_image = leftover_image.trim().to_string();
    let course = course(image, "# S\n\n```sh {verify timeout=60s}\nsleep 30\n```\n");
    let mut child = std::process::Command::new(common::bin())
        .args([
            "verify",
            "--no-cache",
            "--root",
            course.path().to_str().unwrap(),
        ])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until the snippet's container runs, then press Ctrl-C.
    let deadline = Instant::now() + Duration::from_secs(30);
    let pid = child.id().to_string();
    loop {
        let mine = docker::docker(&["ps", "-q", "--filter", "label=dev.coursebook.verify"])
            .unwrap_or_default();
        let running_ours = mine
            .lines()
            .any(|id| docker::run_of(id).starts_with(&format!("{pid}-")));
        if running_ours {
            break;
        }
        assert!(Instant::now() < deadline, "the snippet never started");
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(
        docker::docker(&["inspect", &leftover]).is_err(),
        "the dead run's container was swept at start-up"
    );
    assert!(
        docker::docker(&["image", "inspect", &leftover_image]).is_err(),
        "and so was the image it built"
    );
    std::process::Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130));
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    assert!(
        stderr.contains("removed 1 container(s) left by an earlier run"),
        "{stderr}"
    );
    assert!(
        stderr.contains("interrupted: removed this run's containers"),
        "{stderr}"
    );
    let ours = docker::labelled_containers()
        .into_iter()
        .filter(|id| docker::run_of(id).starts_with(&format!("{pid}-")));
    assert_eq!(
        ours.count(),
        0,
        "no container of the interrupted run is left"
    );
}

/// Runs verify with its own cache folder.
fn verify_with_cache(course: &Course, cache: &std::path::Path, extra: &[&str]) -> (i32, String) {
    let args: Vec<&str> = ["verify", "--root", "."]
        .into_iter()
        .chain(extra.iter().copied())
        .collect();
    let run = common::run_with_cache(course.path(), &args, cache);
    (run.code, run.stderr)
}

#[test]
fn unchanged_snippets_that_passed_are_not_run_again() {
    let Some(image) = docker::busybox() else {
        return;
    };
    let _engine = shared();
    let cache = tempfile::tempdir().unwrap();
    let lesson = "# C\n\n```sh {verify}\necho one\n```\n\n```sh {verify session=s}\necho two > f\n```\n\n```sh {verify session=s}\ngrep -q two f\n```\n\n```sh {verify}\nexit 1\n```\n";
    let course = course(image, lesson);
    let (code, first) = verify_with_cache(&course, cache.path(), &[]);
    assert_eq!(code, 1, "{first}");
    assert!(!first.contains("(cached)"), "{first}");

    let started = Instant::now();
    let (code, second) = verify_with_cache(&course, cache.path(), &[]);
    let took = started.elapsed();
    assert_eq!(code, 1, "the failing snippet is never cached: {second}");
    for line in [3, 7, 11] {
        assert!(
            second.contains(&format!("PASS    content/01-m/01-a.md:{line} (cached)")),
            "{second}"
        );
    }
    assert!(
        second.contains("FAIL    content/01-m/01-a.md:15"),
        "{second}"
    );
    eprintln!("second run: {took:?}");

    // Editing the first block of the session reruns both of its blocks, and nothing else.
    std::fs::write(
        course.path().join("content/01-m/01-a.md"),
        lesson.replace("echo two > f", "echo two > f; true"),
    )
    .unwrap();
    let (_, third) = verify_with_cache(&course, cache.path(), &[]);
    assert!(
        third.contains("PASS    content/01-m/01-a.md:3 (cached)"),
        "{third}"
    );
    assert!(
        third.contains("PASS    content/01-m/01-a.md:7\n"),
        "{third}"
    );
    assert!(
        third.contains("PASS    content/01-m/01-a.md:11\n"),
        "{third}"
    );

    // --no-cache runs everything.
    let (_, forced) = verify_with_cache(&course, cache.path(), &["--no-cache"]);
    assert!(!forced.contains("(cached)"), "{forced}");
}

#[test]
fn results_are_written_as_junit_json_and_github_annotations() {
    let Some(image) = docker::busybox() else {
        return;
    };
    let _engine = shared();
    let course = course(
        image,
        "# R\n\n```sh {verify}\necho ok\n```\n\n```console {verify}\n$ echo \"<b>&\"\nnope\n```\n\n```sh {verify skip=\"later\"}\nx\n```\n",
    );
    let out = std::process::Command::new(common::bin())
        .args([
            "verify",
            "--no-cache",
            "--root",
            course.path().to_str().unwrap(),
        ])
        .args(["--junit", "junit.xml", "--json", "report.json"])
        .current_dir(course.path())
        .env("GITHUB_ACTIONS", "true")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.starts_with("::error file=content/01-m/01-a.md,line=7,title=coursebook verify::FAIL: $ echo \"<b>&\"%0A"),
        "{stdout}"
    );
    assert_eq!(stdout.lines().count(), 1, "one annotation, for the failure");

    // The JUnit file parses as XML and counts what happened.
    let check = std::process::Command::new("python3")
        .args([
            "-c",
            "import sys, xml.etree.ElementTree as E\n\
             r = E.parse(sys.argv[1]).getroot()\n\
             s = r.find('testsuite')\n\
             print(r.get('tests'), r.get('failures'), s.get('skipped'), s.get('name'),\n\
                   [c.get('name') for c in s.findall('testcase')],\n\
                   s.find('testcase/failure').get('message'))",
            course.path().join("junit.xml").to_str().unwrap(),
        ])
        .output()
        .expect("python3 parses the XML");
    assert_eq!(
        String::from_utf8_lossy(&check.stdout).trim(),
        "3 1 1 content/01-m/01-a.md ['line 3', 'line 7', 'line 12'] $ echo \"<b>&\"",
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );

    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(course.path().join("report.json")).unwrap())
            .unwrap();
    let statuses: Vec<(&str, u64)> = json["snippets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["status"].as_str().unwrap(), s["line"].as_u64().unwrap()))
        .collect();
    assert_eq!(statuses, [("pass", 3), ("fail", 7), ("skip", 12)]);
}

#[test]
fn shards_split_snippets_stably_and_completely_and_filter_selects() {
    // No engine needed: --list shows the selection without running it.
    let mut course = Course::new();
    for lesson in 1..=3 {
        let mut text = format!("# L{lesson}\n\n");
        for i in 0..10 {
            text.push_str(&format!(
                "```sh {{verify}}\necho lesson {lesson} snippet {i}\n```\n\n"
            ));
        }
        if lesson == 2 {
            text.push_str("```sh {verify session=s}\necho needle > f\n```\n\n```sh {verify session=s}\ncat f\n```\n");
        }
        course = course.lesson(&format!("01-m/0{lesson}-l{lesson}.md"), text);
    }
    let list = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["verify", "--root", ".", "--list"];
        all.extend_from_slice(args);
        let run = course.run(&all);
        run.assert_success();
        run.stdout.lines().map(str::to_string).collect()
    };
    let everything = list(&[]);
    assert_eq!(everything.len(), 32);
    let shards: Vec<Vec<String>> = (1..=3)
        .map(|k| list(&["--shard", &format!("{k}/3")]))
        .collect();
    let mut union: Vec<String> = shards.concat();
    union.sort();
    let mut sorted = everything.clone();
    sorted.sort();
    assert_eq!(union, sorted, "every snippet in exactly one shard");
    assert!(
        shards.iter().all(|s| s.len() >= 4),
        "shards are balanced enough: {shards:?}"
    );
    assert_eq!(
        list(&["--shard", "2/3"]),
        shards[1],
        "the same split every time"
    );
    let session: Vec<&Vec<String>> = shards
        .iter()
        .filter(|s| s.iter().any(|n| n.ends_with("02-l2.md:43")))
        .collect();
    assert_eq!(session.len(), 1);
    assert!(
        session[0].iter().any(|n| n.ends_with("02-l2.md:47")),
        "a session stays together"
    );

    assert_eq!(
        list(&["--filter", "needle"]),
        ["content/01-m/02-l2.md:43", "content/01-m/02-l2.md:47"],
        "a match brings its session along"
    );
    let bad = course.run(&["verify", "--root", ".", "--list", "--shard", "4/3"]);
    bad.assert_code(2);
    bad.assert_stderr_contains("shard 4/3 does not exist");
}

#[test]
fn quiz_output_questions_are_proven_and_a_wrong_answer_key_fails() {
    let Some(image) = docker::busybox() else {
        return;
    };
    let _engine = shared();
    let quiz = |answer: &str| {
        format!(
            "# Q\n\n```quiz\n[[question]]\nid = \"count\"\ntype = \"output\"\nprompt = \"What does it print?\"\ncommand = \"printf 'a\\\\nb\\\\n' | wc -l\"\noutput = \"{answer}\"\n```\n"
        )
    };
    let right = course(image, &quiz("2"));
    let run = right.run(&["verify", "--root", ".", "--no-cache"]);
    run.assert_success();
    run.assert_stderr_contains("PASS    content/01-m/01-a.md:5");
    let wrong = course(image, &quiz("3"));
    let run = wrong.run(&["verify", "--root", ".", "--no-cache"]);
    run.assert_code(1);
    run.assert_stderr_contains("FAIL    content/01-m/01-a.md:5");
    run.assert_stderr_contains("-3\n    +2");
}

/// Forwards TCP connections on a loopback port to the engine's unix socket, so the test can
/// reach the same engine the way a remote one is reached: `DOCKER_HOST=tcp://...`.
fn tcp_to_engine() -> std::net::SocketAddr {
    use std::os::unix::net::UnixStream;
    let socket = std::env::var("DOCKER_HOST")
        .ok()
        .and_then(|h| h.strip_prefix("unix://").map(str::to_string))
        .unwrap_or_else(|| "/var/run/docker.sock".into());
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for client in listener.incoming().flatten() {
            let Ok(engine) = UnixStream::connect(&socket) else {
                continue;
            };
            let (mut c1, mut e1) = (client.try_clone().unwrap(), engine.try_clone().unwrap());
            let (mut c2, mut e2) = (client, engine);
            std::thread::spawn(move || {
                let _ = std::io::copy(&mut c1, &mut e1);
                let _ = e1.shutdown(std::net::Shutdown::Write);
            });
            std::thread::spawn(move || {
                let _ = std::io::copy(&mut e2, &mut c2);
                let _ = c2.shutdown(std::net::Shutdown::Write);
            });
        }
    });
    addr
}

#[test]
fn docker_host_selects_the_engine_and_a_bad_one_is_an_environment_error() {
    let Some(image) = docker::busybox() else {
        return;
    };
    let _engine = shared();
    let course = course(
        image,
        "# H\n\n```console {verify}\n$ echo over tcp\nover tcp\n```\n",
    );
    let addr = tcp_to_engine();
    let run = |host: &str| {
        std::process::Command::new(common::bin())
            .args([
                "verify",
                "--no-cache",
                "--root",
                course.path().to_str().unwrap(),
            ])
            .env("DOCKER_HOST", host)
            .output()
            .unwrap()
    };
    let out = run(&format!("tcp://{addr}"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("PASS    content/01-m/01-a.md:3"),
        "{stderr}"
    );

    for bad in ["tcp://127.0.0.1:1", "gopher://engine"] {
        let out = run(bad);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{bad}: {stderr}");
        assert!(
            stderr.contains("cannot reach the Docker engine"),
            "{bad}: {stderr}"
        );
        assert!(stderr.contains("DOCKER_HOST"), "{bad}: {stderr}");
    }
}

#[test]
fn front_matter_sets_a_pages_defaults_and_blocks_override_them() {
    let Some(image) = docker::busybox() else {
        return;
    };
    let _engine = shared();
    let lesson = "+++\ntitle = \"F\"\n\n[verify]\nimage = \"alpine:3.20\"\ntimeout = \"1s\"\nenv = [\"GREETING=hi\"]\nworkdir = \"/srv\"\n+++\n\n```console {verify}\n$ echo $GREETING from $(pwd)\nhi from /srv\n```\n\n```sh {verify}\nsleep 5\n```\n\n```sh {verify timeout=20s}\nsleep 2\n```\n";
    let course = Course::bare()
        .file(
            "book.toml",
            format!("[book]\ntitle = \"V\"\n\n[verify]\nimage = \"not-used\"\n\n[verify.images]\n\"alpine:3.20\" = \"{image}\"\n"),
        )
        .lesson("01-m/01-a.md", lesson);
    let run = course.run(&["verify", "--root", ".", "--no-cache"]);
    run.assert_code(1);
    run.assert_stderr_contains("PASS    content/01-m/01-a.md:11\n");
    run.assert_stderr_contains("TIMEOUT content/01-m/01-a.md:16\n    still running after 1 s");
    run.assert_stderr_contains("PASS    content/01-m/01-a.md:20\n");

    let bad = course.file(
        "content/01-m/01-a.md",
        "+++\ntitle = \"F\"\n[verify]\ntimeout = \"soon\"\n+++\n\n```sh {verify}\ntrue\n```\n",
    );
    let run = bad.run(&["verify", "--root", ".", "--no-cache"]);
    run.assert_code(1);
    let d = run.diagnostics();
    assert!(
        d.contains(
            "error: `verify.timeout = \"soon\"` is not a duration\n  --> content/01-m/01-a.md:4:12"
        ),
        "{d}"
    );
}

#[test]
fn odd_info_strings_are_not_tags_and_never_crash() {
    let course = course(
        "any",
        "# O\n\n```sh }{\necho\n```\n\n```sh {}\necho\n```\n\n```sh {verifyx}\necho\n```\n",
    );
    let run = course.run(&["verify", "--root", ".", "--list"]);
    run.assert_success();
    assert_eq!(run.stdout, "", "nothing is tagged");
}

const TERMINAL: &str = r#"# Like a terminal

```console {verify session=t}
$ mkdir -p app && cd app
$ pwd
/work/app
$ export TAG=1
$ N=3
$ echo "$TAG $N"
1 3
$ unset N
$ echo "[$N]"
[]
$ false
[1]
$ echo "$TAG still"
1 still
```

```console {verify session=t}
$ pwd
/work/app
```

```console {verify}
$ pwd
/work
```
"#;

/// A console block's steps behave as typed into one terminal: `cd` and variables (exported
/// or not, and `unset`) carry to the next step and the session's next block, a failing step
/// does not lose them, and another unit starts fresh.
#[test]
fn console_steps_keep_the_folder_and_variables_like_a_terminal() {
    let Some(image) = docker::busybox() else {
        return;
    };
    let _engine = shared();
    let run = course(image, TERMINAL).run(&["verify", "--root", ".", "--no-cache"]);
    run.assert_success();
    for line in [3, 20, 25] {
        run.assert_stderr_contains(&format!("PASS    content/01-m/01-a.md:{line}\n"));
    }
}

#[test]
fn snippets_inside_material_admonitions_and_tabs_are_found_at_their_lines() {
    let course = course(
        "any",
        "# M\n\n!!! note \"Try it\"\n    ```sh {verify}\n    echo in-admonition\n    ```\n\n=== \"Debian\"\n\n    ```sh {verify}\n    echo in-tab\n    ```\n",
    );
    let run = course.run(&["verify", "--root", ".", "--list"]);
    run.assert_success();
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", run.stdout);
    assert!(lines[0].contains("01-a.md:4"), "{}", run.stdout);
    assert!(lines[1].contains("01-a.md:10"), "{}", run.stdout);
}
