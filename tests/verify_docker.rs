//! Lessons that run the docker CLI (`{verify docker}`), against a real Docker engine: the
//! lesson's commands run in a runner container whose `DOCKER_HOST` is coursebook's scoping
//! proxy. The lesson sees and touches only what it made, the author's own containers,
//! volumes, networks and images stay out of reach, escapes to the host are refused with a
//! reason, `[verify.images]` applies inside docker commands, and nothing the lesson made
//! outlives its session: not after a pass, a failure or a timeout.
//!
//! Every expectation about the CLI's output is a console block the lesson must pass: a PASS
//! proves the exact message (and exit code) the learner sees.

mod common;
#[path = "common/docker.rs"]
mod docker;

use std::collections::BTreeSet;
use std::sync::{PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::{Duration, Instant};

use common::{Course, Run};

/// The label the proxy puts on everything a lesson creates.
const SANDBOX: &str = "dev.coursebook.verify.sandbox";
const LESSON: &str = "content/01-m/01-a.md";

/// Tests that assert "no labelled object is left" take the engine for themselves; the others
/// share it. (Another process using the same engine at the same time can still add objects.)
static ENGINE: RwLock<()> = RwLock::new(());

fn shared() -> RwLockReadGuard<'static, ()> {
    ENGINE.read().unwrap_or_else(PoisonError::into_inner)
}

fn exclusive() -> RwLockWriteGuard<'static, ()> {
    ENGINE.write().unwrap_or_else(PoisonError::into_inner)
}

/// The busybox test image and `local/debian:bookworm` (the runner's base), or `None` after
/// saying why the test skips.
fn images() -> Option<(&'static str, &'static str)> {
    let busybox = docker::busybox();
    let debian = docker::debian();
    Some((busybox?, debian?))
}

/// A course whose default image is busybox and whose `[verify.images]` maps the names lessons
/// use (`debian:bookworm`, the runner's default, and `busybox`) to the local test images.
fn course(busybox: &str, debian: &str, lesson: &str) -> Course {
    Course::bare()
        .file(
            "book.toml",
            format!(
                "[book]\ntitle = \"D\"\n\n[verify]\nimage = \"{busybox}\"\ntimeout = \"60s\"\n\n[verify.images]\n\"debian:bookworm\" = \"{debian}\"\n\"busybox\" = \"{busybox}\"\n"
            ),
        )
        .lesson("01-m/01-a.md", lesson)
}

fn verify(course: &Course) -> Run {
    let began = Instant::now();
    let run = course.run(&["verify", "--root", ".", "--no-cache"]);
    eprintln!("verify took {:.1?}", began.elapsed());
    run
}

/// A lowercase token unique to this test (docker names and image references take it).
fn token() -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    format!("{:x}{:x}{n}", std::process::id(), nanos)
}

/// `template` with each `@KEY@` replaced.
fn fill(template: &str, vars: &[(&str, &str)]) -> String {
    vars.iter()
        .fold(template.to_string(), |text, (key, value)| {
            text.replace(&format!("@{key}@"), value)
        })
}

/// The lines of the lesson's tagged fences: where verify reports each block.
fn fences(lesson: &str) -> Vec<usize> {
    lesson
        .lines()
        .enumerate()
        .filter(|(_, l)| l.starts_with("```") && l.contains("{verify"))
        .map(|(i, _)| i + 1)
        .collect()
}

/// The line of the first line of `lesson` that contains `needle`.
fn line_of(lesson: &str, needle: &str) -> usize {
    lesson
        .lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no `{needle}` in the lesson"))
        + 1
}

fn status_line(status: &str, line: usize) -> String {
    format!("{status:<8}{LESSON}:{line}\n")
}

/// Every tagged block of `lesson` passed, and verify exited 0.
fn assert_all_pass(run: &Run, lesson: &str) {
    let lines = fences(lesson);
    let missing: Vec<usize> = lines
        .iter()
        .copied()
        .filter(|&l| !run.stderr.contains(&status_line("PASS", l)))
        .collect();
    assert!(
        missing.is_empty() && run.code == 0,
        "blocks at lines {missing:?} did not pass (exit {}):\n{}",
        run.code,
        run.stderr
    );
    assert!(
        run.stderr.ends_with(&format!(": {} pass\n", lines.len())),
        "{}",
        run.stderr
    );
}

/// Running containers that hold the shared test images, so that a proxy that wrongly lets a
/// prune or an `rmi` through cannot delete images other tests need (an image a running
/// container uses is never pruned, and `rmi` without `-f` refuses it).
struct Holds(Vec<String>);

impl Holds {
    fn new() -> Holds {
        let mut ids = Vec::new();
        for image in [docker::BUSYBOX, docker::DEBIAN, "local/busybox:latest"] {
            if docker::docker(&["image", "inspect", image]).is_err() {
                continue;
            }
            if let Ok(id) =
                docker::docker(&["run", "-d", "--network", "none", image, "sleep", "900"])
            {
                ids.push(id.trim().to_string());
            }
        }
        Holds(ids)
    }
}

impl Drop for Holds {
    fn drop(&mut self) {
        for id in &self.0 {
            let _ = docker::docker(&["rm", "-f", id]);
        }
    }
}

/// The course author's own objects on the same engine, made with the docker CLI directly (no
/// sandbox label): a running container, a stopped one, a named and an anonymous volume, a
/// network and a tagged image that no container uses. Each is something an unscoped `rm`,
/// `rmi` or prune would delete. Removed again on drop, also when the test panics.
struct Outside {
    running: String,
    running_id: String,
    stopped: String,
    volume: String,
    anonymous_volume: String,
    network: String,
    image: String,
    image_id: String,
}

impl Outside {
    fn create(busybox: &str) -> Outside {
        let t = token();
        let mut outside = Outside {
            running: format!("coursebook-author-{t}"),
            running_id: String::new(),
            stopped: format!("coursebook-author-stopped-{t}"),
            volume: format!("coursebook-author-{t}"),
            anonymous_volume: String::new(),
            network: format!("coursebook-author-{t}"),
            image: format!("coursebook-author/img:{t}"),
            image_id: String::new(),
        };
        let made = |args: &[&str]| {
            docker::docker(args)
                .unwrap_or_else(|e| panic!("docker {}: {e}", args.join(" ")))
                .trim()
                .to_string()
        };
        outside.running_id = made(&[
            "run",
            "-d",
            "--name",
            &outside.running,
            busybox,
            "sleep",
            "600",
        ]);
        made(&["create", "--name", &outside.stopped, busybox, "true"]);
        made(&["volume", "create", &outside.volume]);
        outside.anonymous_volume = made(&["volume", "create"]);
        made(&["network", "create", &outside.network]);
        // An image of its own (not busybox's id, which containers use): prune bait.
        let committed = made(&[
            "commit",
            "--change",
            &format!("LABEL coursebook.author={t}"),
            &outside.stopped,
        ]);
        made(&["tag", &committed, &outside.image]);
        outside.image_id = made(&["image", "inspect", "-f", "{{.Id}}", &outside.image]);
        outside
    }

    /// Every one of the author's objects is still there, untouched.
    fn assert_intact(&self) {
        let mut lost = Vec::new();
        match docker::docker(&["inspect", "-f", "{{.State.Running}}", &self.running_id]) {
            Ok(running) if running.trim() == "true" => {}
            Ok(_) => lost.push(format!("container {} was stopped", self.running)),
            Err(e) => lost.push(format!("container {}: {e}", self.running)),
        }
        let checks = [
            (
                "stopped container",
                vec!["container", "inspect", &self.stopped],
            ),
            ("volume", vec!["volume", "inspect", &self.volume]),
            (
                "anonymous volume",
                vec!["volume", "inspect", &self.anonymous_volume],
            ),
            ("network", vec!["network", "inspect", &self.network]),
        ];
        for (what, args) in checks {
            if let Err(e) = docker::docker(&args) {
                lost.push(format!("{what} {}: {e}", args[2]));
            }
        }
        match docker::docker(&["image", "inspect", "-f", "{{.Id}}", &self.image]) {
            Ok(id) if id.trim() == self.image_id => {}
            Ok(id) => lost.push(format!(
                "image {} now names {} (was {})",
                self.image,
                id.trim(),
                self.image_id
            )),
            Err(e) => lost.push(format!("image {}: {e}", self.image)),
        }
        assert!(
            lost.is_empty(),
            "the lesson reached the author's objects:\n{}",
            lost.join("\n")
        );
    }
}

impl Drop for Outside {
    fn drop(&mut self) {
        let _ = docker::docker(&["rm", "-f", &self.running, &self.stopped]);
        let _ = docker::docker(&["volume", "rm", "-f", &self.volume]);
        if !self.anonymous_volume.is_empty() {
            let _ = docker::docker(&["volume", "rm", "-f", &self.anonymous_volume]);
        }
        let _ = docker::docker(&["network", "rm", &self.network]);
        let _ = docker::docker(&["rmi", &self.image]);
    }
}

/// Everything on the engine that carries the sandbox label, as `kind id`.
fn sandboxed() -> BTreeSet<String> {
    let label = format!("label={SANDBOX}");
    let lists: [(&str, Vec<&str>); 4] = [
        (
            "container",
            vec!["ps", "-aq", "--no-trunc", "--filter", &label],
        ),
        ("volume", vec!["volume", "ls", "-q", "--filter", &label]),
        (
            "network",
            vec!["network", "ls", "-q", "--no-trunc", "--filter", &label],
        ),
        (
            "image",
            vec!["images", "-aq", "--no-trunc", "--filter", &label],
        ),
    ];
    let mut found = BTreeSet::new();
    for (kind, args) in lists {
        let out =
            docker::docker(&args).unwrap_or_else(|e| panic!("docker {}: {e}", args.join(" ")));
        found.extend(out.lines().map(|id| format!("{kind} {id}")));
    }
    found
}

/// Every volume on the engine, labelled or not (a container's anonymous `-v /data` volume is
/// made by the engine, not through the proxy).
fn volumes() -> BTreeSet<String> {
    docker::docker(&["volume", "ls", "-q"])
        .expect("docker volume ls")
        .lines()
        .map(str::to_string)
        .collect()
}

/// The engine before a run, to compare with after it.
struct Before {
    sandboxed: BTreeSet<String>,
    volumes: BTreeSet<String>,
}

impl Before {
    fn now() -> Before {
        Before {
            sandboxed: sandboxed(),
            volumes: volumes(),
        }
    }

    /// Nothing the run's lessons made is left: no object with the sandbox label, no new
    /// volume, and nothing named with the test's token.
    fn assert_nothing_left(&self, t: &str) {
        let mut left: Vec<String> = sandboxed()
            .difference(&self.sandboxed)
            .map(|o| format!("{o} (labelled {SANDBOX})"))
            .collect();
        left.extend(
            volumes()
                .difference(&self.volumes)
                .map(|v| format!("volume {v} (new since the run began)")),
        );
        let name = format!("name={t}");
        let named: [(&str, Vec<&str>); 3] = [
            ("container", vec!["ps", "-aq", "--filter", &name]),
            ("volume", vec!["volume", "ls", "-q", "--filter", &name]),
            ("network", vec!["network", "ls", "-q", "--filter", &name]),
        ];
        for (kind, args) in named {
            let out = docker::docker(&args).expect("docker ls");
            left.extend(out.lines().map(|id| format!("{kind} {id} (named *{t}*)")));
        }
        let images = docker::docker(&["images", "--format", "{{.Repository}}:{{.Tag}}"])
            .expect("docker images");
        left.extend(
            images
                .lines()
                .filter(|i| i.contains(t))
                .map(|i| format!("image {i}")),
        );
        assert!(
            left.is_empty(),
            "left behind by the session:\n{}",
            left.join("\n")
        );
    }
}

const HOSTILE: &str = r##"# A hostile lesson

Nothing of the author's shows in the lesson's lists.

```console {verify docker session=look}
$ docker ps -a -q
$ docker volume ls -q
$ docker images -q
```

```console {verify docker session=look-networks}
$ docker network ls --format '{{.Name}}' | sort
bridge
host
none
```

Nor can the lesson touch any of it.

```console {verify docker session=containers}
$ docker rm -f @ID@
Error response from daemon: container @ID@ is outside this lesson's sandbox
[1]
$ docker stop @NAME@
Error response from daemon: container @NAME@ is outside this lesson's sandbox
[1]
$ docker exec @NAME@ true
Error response from daemon: container @NAME@ is outside this lesson's sandbox
[1]
```

```console {verify docker session=image}
$ docker rmi @IMAGE@
Error response from daemon: image @IMAGE@ is outside this lesson's sandbox
[1]
```

```console {verify docker session=volume}
$ docker volume rm @VOLUME@
Error response from daemon: volume @VOLUME@ is outside this lesson's sandbox
[1]
```

```console {verify docker session=network}
$ docker network rm @NETWORK@
Error response from daemon: network @NETWORK@ is outside this lesson's sandbox
exit status 1
[1]
```

Nor use it from a container of its own, nor take its image's name.

```console {verify docker session=use-volume}
$ docker run --rm -v @VOLUME@:/x busybox true
docker: Error response from daemon: volume @VOLUME@ is outside this lesson's sandbox
...
[125]
```

```console {verify docker session=use-network}
$ docker run --rm --network @NETWORK@ busybox true
docker: Error response from daemon: network @NETWORK@ is outside this lesson's sandbox
...
[125]
```

```console {verify docker session=use-container}
$ docker run --rm --volumes-from @NAME@ busybox true
docker: Error response from daemon: container @NAME@ is outside this lesson's sandbox
...
[125]
```

```console {verify docker session=retag}
$ docker tag busybox @IMAGE@
Error response from daemon: [..]
[1]
```

```console {verify docker session=prune}
$ docker system prune -a -f --volumes
...
```

```console {verify docker session=escape}
$ docker run --rm -v /etc:/x busybox true
docker: Error response from daemon: refused in a lesson sandbox: bind mount of /etc (only the lesson's folder can be mounted)
...
[125]
$ docker run --rm --privileged busybox true
docker: Error response from daemon: refused in a lesson sandbox: privileged mode
...
[125]
$ docker run --rm -v /var/run/docker.sock:/s busybox true
docker: Error response from daemon: refused in a lesson sandbox: the Docker socket
...
[125]
```
"##;

/// A lesson that lists, removes, prunes and escapes gets errors, and the author's container,
/// volumes, network and image are all still there afterwards.
#[test]
fn a_hostile_lesson_cannot_see_or_touch_the_authors_objects() {
    let Some((busybox, debian)) = images() else {
        return;
    };
    let _engine = shared();
    let _holds = Holds::new();
    let outside = Outside::create(busybox);
    let lesson = fill(
        HOSTILE,
        &[
            ("ID", &outside.running_id),
            ("NAME", &outside.running),
            ("IMAGE", &outside.image),
            ("VOLUME", &outside.volume),
            ("NETWORK", &outside.network),
        ],
    );
    let run = verify(&course(busybox, debian, &lesson));
    // The author's objects first: they matter even when the lesson's output differs.
    outside.assert_intact();
    assert_all_pass(&run, &lesson);
}

/// Each option that reaches past the sandbox, and the reason the learner reads for it.
const REFUSED: &[(&str, &str)] = &[
    ("--privileged", "privileged mode"),
    ("--pid host", "the host's pid namespace"),
    ("--ipc host", "the host's ipc namespace"),
    ("--network host", "the host's network namespace"),
    ("--uts host", "the host's uts namespace"),
    ("--device /dev/null", "devices"),
    ("--cap-add NET_ADMIN", "added capabilities"),
    (
        "-v /etc:/x",
        "bind mount of /etc (only the lesson's folder can be mounted)",
    ),
    // The same mount written the long way must not slip through.
    (
        "--mount type=bind,source=/etc,target=/x",
        "bind mount of /etc (only the lesson's folder can be mounted)",
    ),
    ("-v /var/run/docker.sock:/s", "the Docker socket"),
    // A volume whose driver options bind a host folder is a bind mount by another name.
    (
        "--mount type=volume,source=v,target=/x,volume-opt=type=none,volume-opt=o=bind,volume-opt=device=/etc",
        "volume driver options (they can bind any host folder)",
    ),
];

/// `docker run` with any refused option fails as the engine would refuse it (`docker: Error
/// response from daemon: refused in a lesson sandbox: REASON`, exit 125) and creates nothing;
/// `docker exec --privileged` into the lesson's own container is refused too. So is a request
/// made with curl that the engine would read differently from the proxy: a field spelled in
/// lowercase (the engine matches keys ignoring case) or JSON followed by more bytes (the
/// engine reads the first value and ignores the rest).
#[test]
fn each_escape_to_the_host_is_refused_with_its_reason() {
    let Some((busybox, debian)) = images() else {
        return;
    };
    let _engine = shared();
    let t = token();
    let mut lesson = String::from("# Refused\n\n");
    for (i, (flags, reason)) in REFUSED.iter().enumerate() {
        lesson.push_str(&format!(
            "```console {{verify docker session=r{i}}}\n\
             $ docker run --rm --name refused-{t}-{i} {flags} busybox true\n\
             docker: Error response from daemon: refused in a lesson sandbox: {reason}\n\
             ...\n\
             [125]\n\
             $ docker ps -aq --filter name=refused-{t}-{i}\n\
             ```\n\n"
        ));
    }
    lesson.push_str(&format!(
        "```console {{verify docker session=exec}}\n\
         $ docker run -d --name held-{t} busybox sleep 300 > /dev/null\n\
         $ docker exec --privileged held-{t} true\n\
         Error response from daemon: refused in a lesson sandbox: privileged mode\n\
         [1]\n\
         ```\n\n"
    ));
    // The lesson writes its own folder: a symbolic link in it to / is not a way out.
    lesson.push_str(
        "```console {verify docker session=symlink}\n\
         $ ln -s / escape && docker run --rm -v \"$PWD/escape\":/x busybox true\n\
         docker: Error response from daemon: refused in a lesson sandbox: bind mount of [..]/escape (only the lesson's folder can be mounted)\n\
         ...\n\
         [125]\n\
         ```\n\n\
         ```console {verify docker session=build-host}\n\
         $ touch Dockerfile && docker build --network host . 2>&1 | grep -o 'refused in a lesson sandbox: .*'\n\
         refused in a lesson sandbox: the host's network namespace\n\
         ```\n\n\
         ```console {verify docker session=spelling}\n\
         $ curl -s --unix-socket /var/run/docker.sock -H 'Content-Type: application/json' -d '{\"Image\":\"busybox\",\"hostconfig\":{\"privileged\":true}}' http://localhost/containers/create\n\
         {\"message\":\"refused in a lesson sandbox: the key `hostconfig` (the engine reads it as `HostConfig`; write that)\"}\n\
         $ docker run -d --name spelt-$$ busybox sleep 300 >/dev/null\n\
         $ curl -s --unix-socket /var/run/docker.sock -H 'Content-Type: application/json' -d '{\"Privileged\":true,\"Cmd\":[\"true\"]} x' http://localhost/containers/spelt-$$/exec\n\
         {\"message\":\"refused in a lesson sandbox: a request body that is not plain JSON [..]\"}\n\
         ```\n\n\
         ```console {verify docker session=volume}\n\
         $ docker volume create --opt type=none --opt o=bind --opt device=/etc hostetc\n\
         Error response from daemon: refused in a lesson sandbox: volume driver options (they can bind any host folder)\n\
         [1]\n\
         ```\n",
    );
    let run = verify(&course(busybox, debian, &lesson));
    let lines = fences(&lesson);
    let rows: Vec<&str> = REFUSED
        .iter()
        .map(|(flags, _)| *flags)
        .chain([
            "exec --privileged",
            "-v $PWD/escape (a symlink to /)",
            "build --network host",
            "keys the engine reads case-insensitively, and bodies it reads past",
            "volume create with driver options",
        ])
        .collect();
    let failed: Vec<String> = lines
        .iter()
        .zip(&rows)
        .filter(|(line, _)| !run.stderr.contains(&status_line("PASS", **line)))
        .map(|(line, row)| format!("`{row}` (line {line})"))
        .collect();
    assert!(
        failed.is_empty() && run.code == 0,
        "not refused as specified: {}\n{}",
        failed.join(", "),
        run.stderr
    );
}

const MINE: &str = r##"# Lists and prunes

```console {verify docker session=containers}
$ docker run -d --name t3-web-@T@ busybox sleep 300 > /dev/null
$ docker create --name t3-job-@T@ busybox true > /dev/null
$ docker ps -a --format '{{.Names}}' | sort
t3-job-@T@
t3-web-@T@
$ docker container prune -f > /dev/null
$ docker ps -a --format '{{.Names}}'
t3-web-@T@
```

```console {verify docker session=volumes}
$ docker volume create t3-data-@T@
t3-data-@T@
$ docker volume ls -q
t3-data-@T@
$ docker volume rm t3-data-@T@
t3-data-@T@
$ docker volume create > /dev/null
$ docker volume ls -q | wc -l
1
$ docker volume prune -f > /dev/null
$ docker volume ls -q
```

```console {verify docker session=networks}
$ docker network create t3-net-@T@ > /dev/null
$ docker network ls --format '{{.Name}}' | sort
bridge
host
none
t3-net-@T@
$ docker network prune -f > /dev/null
$ docker network ls --format '{{.Name}}' | sort
bridge
host
none
```

```console {verify docker session=images}
$ printf 'FROM @BUSYBOX@\nLABEL t3=@T@\n' | docker build -q -t t3-img-@T@ -
...
$ docker images --format '{{.Repository}}'
t3-img-@T@
$ docker image prune -a -f > /dev/null
$ docker images -q
```
"##;

/// `docker ps -a`, `volume ls`, `network ls` and `images` list exactly what the lesson made
/// (and `network ls` the built-in networks, as every engine does); each prune removes the lesson's own unused objects and none of the author's.
#[test]
fn lists_and_prunes_see_only_the_lessons_own_objects() {
    let Some((busybox, debian)) = images() else {
        return;
    };
    let _engine = shared();
    let _holds = Holds::new();
    let outside = Outside::create(busybox);
    let t = token();
    let lesson = fill(MINE, &[("T", &t), ("BUSYBOX", busybox)]);
    let run = verify(&course(busybox, debian, &lesson));
    outside.assert_intact();
    assert_all_pass(&run, &lesson);
}

/// What a session makes before it ends one way or another: a running container with an
/// anonymous volume, a stopped container, a volume, a network and a built image.
const MAKES_EVERYTHING: &str = r##"# Cleanup

```console {verify docker session=s}
$ docker run -d --name t4-up-@T@ -v /data busybox sleep 300 > /dev/null
$ docker create --name t4-down-@T@ busybox true > /dev/null
$ docker volume create t4-vol-@T@
t4-vol-@T@
$ docker network create t4-net-@T@ > /dev/null
$ printf 'FROM @BUSYBOX@\nLABEL t4=@T@\n' | docker build -q -t t4-img-@T@ -
...
$ docker ps -a --format '{{.Names}}' | sort
t4-down-@T@
t4-up-@T@
```
"##;

/// Runs a lesson made of [`MAKES_EVERYTHING`] and `rest` with the engine to itself, checks
/// the run with `check`, then that nothing the session made is left.
fn leaves_nothing(rest: &str, check: impl FnOnce(&Run, &str, Duration)) {
    let Some((busybox, debian)) = images() else {
        return;
    };
    let _engine = exclusive();
    let t = token();
    let lesson = fill(
        &format!("{MAKES_EVERYTHING}{rest}"),
        &[("T", &t), ("BUSYBOX", busybox)],
    );
    let before = Before::now();
    let began = Instant::now();
    let run = verify(&course(busybox, debian, &lesson));
    let took = began.elapsed();
    before.assert_nothing_left(&t);
    check(&run, &lesson, took);
}

#[test]
fn a_session_that_passes_leaves_nothing_behind() {
    leaves_nothing("", |run, lesson, _| assert_all_pass(run, lesson));
}

#[test]
fn a_session_that_fails_midway_leaves_nothing_behind() {
    let rest = "\n```console {verify docker session=s}\n$ docker ps --format '{{.Names}}'\nsomeone-else\n```\n\n```sh {verify docker session=s}\ndocker ps\n```\n";
    leaves_nothing(rest, |run, lesson, _| {
        let failing = line_of(lesson, "someone-else") - 2;
        let never = fences(lesson)[2];
        assert_eq!(run.code, 1, "{}", run.stderr);
        run.assert_stderr_contains(&status_line("PASS", fences(lesson)[0]));
        run.assert_stderr_contains(&status_line("FAIL", failing));
        run.assert_stderr_contains(&format!(
            "SKIP    {LESSON}:{never} (not run: {LESSON}:{failing} failed earlier in the session)"
        ));
    });
}

#[test]
fn a_session_that_times_out_leaves_nothing_behind() {
    let rest = "\n```sh {verify docker session=s timeout=3s}\ndocker run --name t4-sleep-@T@ busybox sleep 60\n```\n";
    leaves_nothing(rest, |run, lesson, took| {
        let slow = line_of(lesson, "timeout=3s");
        assert_eq!(run.code, 1, "{}", run.stderr);
        run.assert_stderr_contains(&status_line("PASS", fences(lesson)[0]));
        run.assert_stderr_contains(&format!(
            "TIMEOUT {LESSON}:{slow}\n    still running after 3 s"
        ));
        // The lesson's `sleep 60` container is killed, not waited for.
        assert!(
            took < Duration::from_secs(50),
            "verify took {took:?}: it waited for the lesson's container"
        );
    });
}

const BUILDS: &str = r##"# Building an image

```text {verify session=img file=greet.sh}
echo "$(cat /message.txt), from a built image"
```

```text {verify session=img file=message.txt}
Hello
```

```console {verify docker session=img}
$ docker images -q
```

```sh {verify docker session=img}
cat > Dockerfile <<'EOF'
FROM @BUSYBOX@
COPY greet.sh message.txt /
CMD ["sh", "/greet.sh"]
EOF
docker build -t hello-@T@ .
```

```console {verify docker session=img}
$ docker run --rm hello-@T@
Hello, from a built image
$ docker images --format '{{.Repository}}'
hello-@T@
```
"##;

/// The session's folder (files written by earlier `file=` blocks) is the context of the
/// lesson's `docker build`; the image runs, lists as the lesson's, and is gone afterwards.
#[test]
fn a_lesson_builds_an_image_from_its_files_and_the_image_is_gone_afterwards() {
    let Some((busybox, debian)) = images() else {
        return;
    };
    let _engine = exclusive();
    let t = token();
    let lesson = fill(BUILDS, &[("T", &t), ("BUSYBOX", busybox)]);
    let before = Before::now();
    let run = verify(&course(busybox, debian, &lesson));
    assert_all_pass(&run, &lesson);
    assert!(
        docker::docker(&["image", "inspect", &format!("hello-{t}")]).is_err(),
        "the built image outlived the session"
    );
    before.assert_nothing_left(&t);
}

const ALIASES: &str = r##"# Aliases

```console {verify docker}
$ docker run --rm busybox echo hi
hi
```

```console {verify docker session=alias}
$ docker image inspect busybox --format ok
ok
$ docker rmi busybox
Error response from daemon: image busybox is outside this lesson's sandbox
[1]
```

```sh {verify docker session=alias}
printf 'FROM busybox\nRUN echo built on busybox > /proof\nCMD ["cat", "/proof"]\n' > Dockerfile
docker build -t on-busybox-@T@ .
```

```console {verify docker session=alias}
$ docker run --rm on-busybox-@T@
built on busybox
```
"##;

/// `[verify.images]` maps the images docker commands name (`run`, `image inspect`, a
/// Dockerfile's `FROM`), a lone `{verify docker}` block runs too, and an image the lesson did
/// not build can be read but not removed.
#[test]
fn image_aliases_apply_inside_docker_commands_and_other_images_are_read_only() {
    let Some((busybox, debian)) = images() else {
        return;
    };
    let _engine = shared();
    let _holds = Holds::new();
    let t = token();
    let lesson = fill(ALIASES, &[("T", &t)]);
    let run = verify(&course(busybox, debian, &lesson));
    assert!(
        docker::docker(&["image", "inspect", busybox]).is_ok(),
        "the lesson removed the busybox image"
    );
    assert_all_pass(&run, &lesson);
}

/// The refusal of other bind mounts says "only the lesson's folder can be mounted": that one
/// can, and a container sees the files `file=` blocks wrote into it.
#[test]
fn the_lessons_own_folder_can_be_bind_mounted() {
    let Some((busybox, debian)) = images() else {
        return;
    };
    let _engine = shared();
    let lesson = "# Mounts\n\n```text {verify session=m file=note.txt}\nfrom the lesson's folder\n```\n\n```console {verify docker session=m}\n$ docker run --rm -v \"$PWD\":/lesson busybox cat /lesson/note.txt\nfrom the lesson's folder\n```\n";
    let run = verify(&course(busybox, debian, lesson));
    assert_all_pass(&run, lesson);
}

/// The runner is `[verify] runner` mapped through `[verify.images]`; its default,
/// `debian:bookworm`, missing from the engine is an environment error before anything runs.
#[test]
fn the_runner_image_is_verify_runner_mapped_through_verify_images_and_must_have_its_tools() {
    let Some((busybox, debian)) = images() else {
        return;
    };
    let _engine = shared();
    let lesson = "# R\n\n```console {verify docker}\n$ docker run --rm busybox echo from the runner\nfrom the runner\n```\n";
    let custom = Course::bare()
        .file(
            "book.toml",
            format!(
                "[book]\ntitle = \"D\"\n\n[verify]\nimage = \"{busybox}\"\nrunner = \"my-runner:1\"\ntimeout = \"60s\"\n\n[verify.images]\n\"my-runner:1\" = \"{debian}\"\n\"busybox\" = \"{busybox}\"\n"
            ),
        )
        .lesson("01-m/01-a.md", lesson);
    let run = verify(&custom);
    assert_all_pass(&run, lesson);

    let unmapped = Course::bare()
        .file(
            "book.toml",
            format!(
                "[book]\ntitle = \"D\"\n\n[verify]\nimage = \"{busybox}\"\n\n[verify.images]\n\"busybox\" = \"{busybox}\"\n"
            ),
        )
        .lesson("01-m/01-a.md", lesson);
    let run = verify(&unmapped);
    run.assert_code(2);
    run.assert_stderr_contains("image `debian:bookworm` is not on this engine");
    assert!(!run.stderr.contains("PASS"), "nothing ran: {}", run.stderr);

    // A base that lacks the runner's tools and has no apt-get to install them.
    let bare = Course::bare()
        .file(
            "book.toml",
            format!(
                "[book]\ntitle = \"D\"\n\n[verify]\nimage = \"{busybox}\"\nrunner = \"{busybox}\"\n"
            ),
        )
        .lesson("01-m/01-a.md", lesson);
    let run = verify(&bare);
    run.assert_code(2);
    run.assert_stderr_contains(&format!(
        "error: building the runner image: the runner base {busybox} lacks: curl ca-certificates docker-compose, and has no apt-get to install them; name a [verify] runner image that has curl busybox docker-compose"
    ));
}

/// A `verify` run whose docker lesson made a volume and a container and holds them (it
/// sleeps), started with its own TMPDIR (for its sandbox folder); returned once the container
/// runs.
struct Held {
    name: String,
    tmp: tempfile::TempDir,
    child: std::process::Child,
    _course: Course,
}

impl Held {
    fn start(busybox: &str, debian: &str, prefix: &str) -> Held {
        let name = format!("{prefix}-{}", token());
        let lesson = format!(
            "# H\n\n```sh {{verify docker timeout=120s}}\ndocker volume create vol-{name} >/dev/null\ndocker run -d --name {name} busybox sleep 300 >/dev/null\nsleep 100\n```\n"
        );
        let course = course(busybox, debian, &lesson);
        let tmp = tempfile::tempdir().unwrap();
        let child = std::process::Command::new(common::bin())
            .args(["verify", "--no-cache", "--root"])
            .arg(course.path())
            .env("TMPDIR", tmp.path())
            .env(
                "COURSEBOOK_CACHE_DIR",
                std::env::temp_dir().join("coursebook-test-cache"),
            )
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(60);
        while docker::docker(&["ps", "-q", "--filter", &format!("name={name}")])
            .unwrap_or_default()
            .trim()
            .is_empty()
        {
            assert!(
                Instant::now() < deadline,
                "the lesson's container never started"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        Held {
            name,
            tmp,
            child,
            _course: course,
        }
    }
}

#[test]
fn ctrl_c_removes_what_the_lesson_made_and_its_sandbox_folder() {
    let Some((busybox, debian)) = images() else {
        return;
    };
    let _engine = exclusive();
    let before = sandboxed();
    let held = Held::start(busybox, debian, "held");
    let (name, tmp, mut child) = (&held.name, &held.tmp, held.child);
    assert_eq!(
        std::fs::read_dir(tmp.path()).unwrap().count(),
        1,
        "the sandbox folder exists while the lesson runs"
    );
    std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert_eq!(child.wait().unwrap().code(), Some(130));
    assert_eq!(sandboxed(), before, "nothing the lesson made is left");
    assert!(docker::docker(&["volume", "inspect", &format!("vol-{name}")]).is_err());
    assert_eq!(
        std::fs::read_dir(tmp.path()).unwrap().count(),
        0,
        "the sandbox folder is removed"
    );
}

/// `kill -9` gives a run no chance to clean up: its lesson's container, volume and sandbox
/// folder outlive it. The next run, of any course, finds the killed run's pid gone and removes
/// them all.
#[test]
fn what_a_run_killed_with_kill_9_left_is_removed_by_the_next_run() {
    let Some((busybox, debian)) = images() else {
        return;
    };
    let _engine = exclusive();
    let before = sandboxed();
    let held = Held::start(busybox, debian, "killed");
    let (name, tmp, mut child) = (&held.name, &held.tmp, held.child);
    let cache = std::env::temp_dir().join("coursebook-test-cache");
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    // Nothing cleaned up after the killed run: what it left is there to be swept.
    assert!(
        docker::docker(&["inspect", name]).is_ok(),
        "the killed run's container is still there"
    );
    assert!(docker::docker(&["volume", "inspect", &format!("vol-{name}")]).is_ok());
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 1);

    let next = course(busybox, debian, "# N\n\n```sh {verify}\necho next\n```\n");
    let run = std::process::Command::new(common::bin())
        .args(["verify", "--no-cache", "--root"])
        .arg(next.path())
        .env("TMPDIR", tmp.path())
        .env("COURSEBOOK_CACHE_DIR", &cache)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("container(s) left by an earlier run"),
        "the sweep says what it removed: {stderr}"
    );
    assert!(
        docker::docker(&["inspect", name]).is_err(),
        "container removed"
    );
    assert!(
        docker::docker(&["volume", "inspect", &format!("vol-{name}")]).is_err(),
        "volume removed"
    );
    assert_eq!(sandboxed(), before, "nothing the killed run made is left");
    assert_eq!(
        std::fs::read_dir(tmp.path()).unwrap().count(),
        0,
        "the killed run's sandbox folder is removed"
    );
}

const PORTS: &str = r##"# Ports

```console {verify docker session=p}
$ mkdir -p site && echo 'hello from the container' > site/index.html
$ docker run -d --init --name web-@T@ -p 8000:80 -v "$PWD/site":/www busybox httpd -f -p 80 -h /www >/dev/null
$ curl -s http://localhost:8000/
hello from the container
$ docker port web-@T@
80/tcp -> 0.0.0.0:8000
$ docker ps --format '{{.Names}} {{.Ports}}'
web-@T@ 0.0.0.0:8000->80/tcp
$ docker run -d --name web2-@T@ -p 8000:80 busybox httpd -f -p 80 >/dev/null
docker: Error response from daemon: driver failed programming external connectivity on endpoint web2-@T@: Bind for 0.0.0.0:8000 failed: port is already allocated
...
[125]
$ docker restart web-@T@ >/dev/null
$ curl -s localhost:8000
hello from the container
$ docker stop web-@T@ >/dev/null
$ curl -s localhost:8000
[7]
$ docker rm web-@T@ web2-@T@ >/dev/null
$ docker run -d --init --name slow-@T@ -p 8002:80 -v "$PWD/site":/www busybox sh -c 'sleep 1; exec httpd -f -p 80 -h /www' >/dev/null
$ curl -s localhost:8002
hello from the container
$ docker rm -f slow-@T@ >/dev/null
$ docker network create shop-@T@ >/dev/null
$ docker run -d --name api-@T@ --network shop-@T@ --expose 9000 -P -v "$PWD/site":/www busybox httpd -f -p 9000 -h /www >/dev/null
$ docker port api-@T@
9000/tcp -> 0.0.0.0:32768
$ curl -s localhost:32768
hello from the container
$ docker rm -f api-@T@ >/dev/null
$ docker network rm shop-@T@
shop-@T@
```
"##;

/// `-p` publishes on the runner's `localhost`, not on the host: `curl` reaches the container,
/// `docker port` and `docker ps` show the binding as the engine would, a port in use fails
/// the second container with the engine's message, a restart keeps it and a stop ends it, and
/// `-P` on a user-defined network gets a port from the ephemeral range. A server that takes
/// a second to listen answers a `curl` sent the instant `docker run -d` returned.
#[test]
fn published_ports_reach_the_container_from_the_lesson_and_never_bind_on_the_host() {
    let Some((busybox, debian)) = images() else {
        return;
    };
    let _engine = shared();
    let t = token();
    let lesson = fill(PORTS, &[("T", &t)]);
    let run = verify(&course(busybox, debian, &lesson));
    assert_all_pass(&run, &lesson);
}

/// While a lesson publishes port 8000, nothing listens on the host's port 8000: the binding
/// lives in the runner.
#[test]
fn a_published_port_is_not_bound_on_the_host() {
    let Some((busybox, debian)) = images() else {
        return;
    };
    let _engine = shared();
    let t = token();
    let port = 20000 + (std::process::id() % 20000) as u16;
    let lesson = format!(
        "# Host\n\n```console {{verify docker session=h}}\n$ docker run -d --init --name h-{t} -p {port}:80 busybox httpd -f -p 80 >/dev/null\n$ sleep 2\n```\n"
    );
    let course = course(busybox, debian, &lesson);
    let mut child = std::process::Command::new(common::bin())
        .args(["verify", "--no-cache", "--root"])
        .arg(course.path())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut seen_running = false;
    while Instant::now() < deadline && child.try_wait().unwrap().is_none() {
        if docker::docker(&[
            "inspect",
            "--format",
            "{{.State.Running}}",
            &format!("h-{t}"),
        ])
        .is_ok_and(|out| out.trim() == "true")
        {
            seen_running = true;
            assert!(
                std::net::TcpStream::connect(("127.0.0.1", port)).is_err(),
                "port {port} is bound on the host"
            );
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let status = child.wait().unwrap();
    assert!(
        seen_running,
        "the lesson's container was never seen running"
    );
    assert!(status.success());
}

const COMPOSE: &str = r##"# Compose

```yaml {verify session=c file=compose.yaml}
services:
  db:
    image: busybox
    init: true
    command: sh -c 'sleep 2 && mkdir -p /data && echo ready > /data/state && httpd -f -p 5432 -h /data'
    volumes:
      - data:/data
    healthcheck:
      test: ["CMD", "wget", "-q", "-O", "/dev/null", "http://localhost:5432/state"]
      interval: 1s
      timeout: 2s
      retries: 20
  web:
    image: busybox
    init: true
    command: sh -c 'mkdir -p /www && wget -q -O /www/index.html http://db:5432/state && httpd -f -p 80 -h /www'
    ports:
      - "8080:80"
    depends_on:
      db:
        condition: service_healthy
volumes:
  data:
```

```console {verify docker session=c}
$ docker compose up -d 2>&1 | sort
...
$ curl -s localhost:8080
ready
$ docker compose ps --services
db
web
$ docker compose exec -T db sh -c 'echo kept > /data/note'
$ docker compose down
...
$ docker compose up -d >/dev/null 2>&1
$ docker compose exec -T db cat /data/note
kept
$ docker-compose down -v 2>&1 | grep -c Removing
...
```

"##;

/// A Compose stack from a `file=` block: `docker compose` (the shim) and `docker-compose`
/// both work, `depends_on: service_healthy` waits for the database's healthcheck (the web
/// service fetches from it at start), the published port answers, and a named volume keeps
/// its data across `down` and `up`.
#[test]
fn a_compose_stack_with_a_healthcheck_and_a_volume_runs_as_on_the_authors_machine() {
    let Some((busybox, debian)) = images() else {
        return;
    };
    let _engine = exclusive();
    let before = Before::now();
    let run = verify(&course(busybox, debian, COMPOSE));
    assert_all_pass(&run, COMPOSE);
    before.assert_nothing_left("work_");
}

#[test]
fn lesson_containers_get_process_and_memory_limits_unless_they_set_them() {
    let Some((busybox, debian)) = images() else {
        return;
    };
    let _engine = shared();
    let t = token();
    let lesson = format!(
        "# Limits\n\n```console {{verify docker session=l}}\n$ docker create --name a-{t} busybox true >/dev/null\n$ docker inspect --format '{{{{.HostConfig.PidsLimit}}}} {{{{.HostConfig.Memory}}}}' a-{t}\n1024 1073741824\n$ docker create --name b-{t} --pids-limit 64 --memory 64m busybox true >/dev/null\n$ docker inspect --format '{{{{.HostConfig.PidsLimit}}}} {{{{.HostConfig.Memory}}}}' b-{t}\n64 67108864\n```\n"
    );
    let run = verify(&course(busybox, debian, &lesson));
    assert_all_pass(&run, &lesson);
}

const MISSING: &str = r##"# Missing images

```yaml {verify session=c file=compose.yaml}
services:
  db:
    image: postgres:16
```

```console {verify docker session=c}
$ docker compose up -d
```

```console {verify docker}
$ docker run --rm docker.io/library/postgres:16 true
```

```sh {verify docker}
printf 'FROM python:3.12-slim\nRUN true\n' > Dockerfile
docker build -q .
```
"##;

/// An image the engine does not have, named by a compose file, `docker run` (with the registry
/// spelled out) or a `docker build`'s `FROM`, is an ERROR naming the image and what to do,
/// not a failed diff: nothing is pulled, and the builder never tries a registry.
#[test]
fn a_lesson_that_needs_an_image_the_engine_lacks_is_an_error_naming_it() {
    let Some((busybox, debian)) = images() else {
        return;
    };
    let _engine = shared();
    let run = verify(&course(busybox, debian, MISSING));
    assert_eq!(run.code, 1, "{}", run.stderr);
    for (line, image) in [
        (9, "postgres:16"),
        (13, "postgres:16"),
        (17, "python:3.12-slim"),
    ] {
        let expected = format!(
            "ERROR   {LESSON}:{line}\n    needs {image}, which this engine does not have (lessons never pull): load it, or map the name in book.toml [verify.images]\n"
        );
        assert!(
            run.stderr.contains(&expected),
            "{expected}\nnot in\n{}",
            run.stderr
        );
    }
}

/// The 1-based line of the tagged fence of the block in `text` that contains `needle`.
fn block_with(text: &str, needle: &str) -> usize {
    let lines: Vec<&str> = text.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no `{needle}` in the lesson"));
    let fence = lines[..at]
        .iter()
        .rposition(|l| l.starts_with("```"))
        .unwrap_or_else(|| panic!("`{needle}` is not in a code block"));
    assert!(
        lines[fence].contains("{verify"),
        "`{needle}` is in an untagged block: {}",
        lines[fence]
    );
    fence + 1
}

/// The bundled course, verified as it ships, on an engine that also holds the author's own
/// objects: every tagged block passes or is skipped with a reason (the docker CLI itself is no
/// reason any more), each docker topic the course teaches is shown by a block that passed
/// (below, by a command in it), the lesson that runs `docker system prune -a` for real leaves
/// the author's container, volume, network and images alone, and nothing is left behind.
#[test]
fn the_bundled_course_verifies_and_its_prune_leaves_the_authors_objects_alone() {
    let Some((busybox, debian)) = images() else {
        return;
    };
    let _engine = exclusive();
    let _holds = Holds::new();
    let outside = Outside::create(busybox);
    let before = Before::now();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let course = Course::bare();
    common::copy_dir(&root.join("content"), &course.path().join("content"));
    // The course maps the images its lessons name to local ones; point those at the test's.
    let config = std::fs::read_to_string(root.join("book.toml"))
        .unwrap()
        .replace("\"local/busybox\"", &format!("\"{busybox}\""))
        .replace("\"local/debian:bookworm\"", &format!("\"{debian}\""));
    let course = course.file("book.toml", config);
    let run = verify(&course);
    run.assert_success();
    assert!(!run.stderr.contains("FAIL"), "{}", run.stderr);
    assert!(
        !run.stderr.contains("runs the docker CLI"),
        "{}",
        run.stderr
    );
    let topics = [
        (
            "02-working-with-containers/01-running-containers.md",
            "docker run --rm alpine echo",
        ),
        (
            "02-working-with-containers/01-running-containers.md",
            "$ docker logs hello-web",
        ),
        (
            "02-working-with-containers/01-running-containers.md",
            "$ docker exec hello-web",
        ),
        (
            "02-working-with-containers/02-container-lifecycle.md",
            "$ docker system prune -a",
        ),
        (
            "03-building-images/01-dockerfiles.md",
            "$ docker build -t hello-web:0.1 .",
        ),
        (
            "03-building-images/02-the-build-cache.md",
            "Step 2/6 : WORKDIR /app",
        ),
        (
            "03-building-images/03-multi-stage-builds.md",
            "multi-stage is smaller",
        ),
        (
            "03-building-images/04-testing-an-image.md",
            "$ docker build -t report .",
        ),
        (
            "04-networking-and-data/01-networking-and-ports.md",
            "$ docker port random-port",
        ),
        (
            "04-networking-and-data/01-networking-and-ports.md",
            "--network try-net busybox wget",
        ),
        ("04-networking-and-data/02-volumes.md", "$ docker rm writer"),
        (
            "04-networking-and-data/03-environment-variables.md",
            "--env-file .env alpine",
        ),
        (
            "05-compose/01-docker-compose.md",
            "$ docker compose down -v",
        ),
        (
            "05-compose/01-docker-compose.md",
            "{{.State.Health.Status}}",
        ),
        (
            "05-compose/01-docker-compose.md",
            "$ docker compose logs --no-color web",
        ),
    ];
    for (lesson, needle) in topics {
        let text = std::fs::read_to_string(root.join("content").join(lesson)).unwrap();
        let line = block_with(&text, needle);
        run.assert_stderr_contains(&format!("PASS    content/{lesson}:{line}\n"));
    }
    outside.assert_intact();
    before.assert_nothing_left("coursebook-test-none");
}

/// Two lessons that both name a container `web` and a network `shop`: their docker sessions
/// take turns, so neither finds the other's `web` in its way (names are engine-wide).
#[test]
fn docker_sessions_that_use_the_same_names_take_turns() {
    let Some((busybox, debian)) = images() else {
        return;
    };
    let _engine = shared();
    let lesson = "# Same names\n\n```console {verify docker session=s}\n$ docker network create shop\n[..]\n$ docker run -d --init --name web --network shop busybox sleep 30\n[..]\n$ sleep 1\n$ docker ps --format '{{.Names}}'\nweb\n$ docker rm -f web\nweb\n$ docker network rm shop\nshop\n```\n";
    let course = course(busybox, debian, lesson).lesson("01-m/02-b.md", lesson);
    let run = verify(&course);
    run.assert_success();
    run.assert_stderr_contains("PASS    content/01-m/01-a.md:3\n");
    run.assert_stderr_contains("PASS    content/01-m/02-b.md:3\n");
}

const AS_READERS_SEE_IT: &str = r##"# As readers see it

```console {verify docker session=r}
$ printf 'FROM busybox\nRUN echo hi > /x\nCMD ["cat", "/x"]\n' > Dockerfile
$ docker build -t hi-@T@ . 2>&1 | grep -E '^Step|^Successfully'
Step 1/3 : FROM busybox
Step 2/3 : RUN echo hi > /x
Step 3/3 : CMD ["cat", "/x"]
Successfully built [..]
Successfully tagged hi-@T@:latest
$ docker image history --format '{{.CreatedBy}}' hi-@T@ | grep -c LABEL
0
[1]
$ docker image inspect --format '{{json .Config.Labels}}' hi-@T@
null
$ docker create --name c-@T@ busybox true
[..]
$ docker ps -a --format '{{.Image}} {{.Names}}'
busybox c-@T@
$ docker inspect --format '{{.Config.Image}} {{json .Config.Labels}}' c-@T@
busybox {}
$ docker volume create v-@T@
v-@T@
$ docker volume inspect --format '{{json .Labels}}' v-@T@
null
$ docker network create n-@T@ >/dev/null
$ docker network ls --format '{{.Name}}' | sort
bridge
host
n-@T@
none
$ docker run -d --init --name w-@T@ --network n-@T@ -p 8000:80 busybox httpd -f -p 80 >/dev/null
$ docker network inspect --format '{{len .Containers}}' n-@T@
1
$ docker rm -f w-@T@ c-@T@
w-@T@
c-@T@
$ docker network rm n-@T@
n-@T@
```
"##;

/// The proxy's work does not show in the lesson's output: a build's steps are numbered and
/// shown as written (no LABEL steps for the proxy's labels, the FROM name as the lesson wrote
/// it), histories and inspections carry no coursebook labels, `docker ps` shows the image
/// name the lesson used, `network ls` lists the built-in networks, and the runner, which joins
/// a network to forward a published port, is not among its containers.
#[test]
fn the_lessons_output_is_what_a_reader_sees_without_the_proxy() {
    let Some((busybox, debian)) = images() else {
        return;
    };
    let _engine = shared();
    let t = token();
    let lesson = fill(AS_READERS_SEE_IT, &[("T", &t)]);
    let run = verify(&course(busybox, debian, &lesson));
    assert_all_pass(&run, &lesson);
}
