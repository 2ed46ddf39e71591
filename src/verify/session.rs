//! Session: runs one unit of work, a snippet alone or the blocks of a session in order, in
//! one container. Dockerfile blocks are built when the session next runs a command (so files
//! written after the Dockerfile are in the context too); blocks that name a built image run
//! in a container of it.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use bollard::Docker;
use similar::TextDiff;

use super::build::{self, Built};
use super::engine::{self, Sandbox, Settings};
use super::expect;
use super::snippets::{Kind, Snippet};
use super::{Outcome, Status, human, indent};

/// One container's work: a snippet alone, or a session's blocks in order.
pub struct Unit {
    pub image: String,
    /// Some block runs docker commands: the unit runs in the runner, behind a proxy.
    pub docker: bool,
    pub net: bool,
    pub env: Vec<String>,
    pub workdir: String,
    pub snippets: Vec<Snippet>,
}

/// A build has no `timeout=` of its own unless its block gives one: installing packages takes
/// longer than a command.
const BUILD_TIMEOUT: Duration = Duration::from_secs(300);

/// What runs a unit: the engine, the run's label, the default time limit, and the image map
/// (`[verify.images]`) applied to Dockerfiles' `FROM`.
pub struct Runner<'a> {
    pub docker: &'a Docker,
    pub run: &'a str,
    pub timeout: Duration,
    pub images: &'a BTreeMap<String, String>,
    /// The runner image's id, when some unit has `{verify docker}` blocks.
    pub runner: Option<&'a str>,
}

/// A `{verify docker}` session's sandbox: its folder on the host (mounted into the runner at
/// the same path, so `-v "$PWD":/x` names a real place) and the proxy its CLI talks to.
struct DockerSandbox {
    _dir: tempfile::TempDir,
    work: String,
    socket: String,
    filter: String,
    proxy: super::proxy::Proxy,
}

fn outcome(s: &Snippet, status: Status, detail: String) -> Outcome {
    Outcome {
        snippet: s.name(),
        status,
        detail,
        line: None,
        seconds: 0.0,
    }
}

impl Runner<'_> {
    fn settings<'s>(
        &'s self,
        unit: &'s Unit,
        image: &'s str,
        workdir: Option<&'s str>,
    ) -> Settings<'s> {
        Settings {
            image,
            run: self.run,
            net: unit.net,
            env: unit.env.clone(),
            workdir,
            binds: Vec::new(),
        }
    }

    /// Sets up a docker session's folder and proxy.
    fn docker_sandbox(&self) -> anyhow::Result<DockerSandbox> {
        use super::proxy;
        let engine = proxy::engine_socket().ok_or_else(|| {
            anyhow::anyhow!(
                "`{{verify docker}}` blocks need a local engine (DOCKER_HOST=unix://...): their runner mounts the proxy's socket"
            )
        })?;
        // Named with the run's pid: the next run removes the folder of a run killed outright.
        let dir = crate::output::scratch_dir(SANDBOX_PREFIX)?;
        if let Ok(mut dirs) = SANDBOX_DIRS.lock() {
            dirs.push(dir.path().to_path_buf());
        }
        let work = dir.path().join("work");
        std::fs::create_dir_all(&work)?;
        let socket = dir.path().join("docker.sock");
        let sandbox = format!("{}-{}", self.run, engine::unique());
        let labels = proxy::labels(&sandbox, self.run);
        let filter = format!("{}={sandbox}", proxy::SANDBOX_LABEL);
        let scope = proxy::Scope {
            labels,
            filter: filter.clone(),
            work: work.clone(),
            images: self.images.clone(),
        };
        let running = proxy::Proxy::start(self.docker, engine, socket.clone(), scope)?;
        Ok(DockerSandbox {
            _dir: dir,
            work: work.to_string_lossy().into_owned(),
            socket: socket.to_string_lossy().into_owned(),
            filter,
            proxy: running,
        })
    }

    pub async fn run_unit(&self, unit: Unit) -> Vec<Outcome> {
        if unit.snippets.iter().all(|s| s.skip.is_some()) {
            return unit
                .snippets
                .iter()
                .map(|s| outcome(s, Status::Skip, s.skip.clone().unwrap_or_default()))
                .collect();
        }
        if let [s] = unit.snippets.as_slice()
            && s.kind == Kind::Script
            && s.built.is_none()
            && !unit.docker
        {
            return vec![self.run_alone(&unit, s).await];
        }
        let error = |detail: String| {
            unit.snippets
                .iter()
                .map(|s| outcome(s, Status::Error, detail.clone()))
                .collect::<Vec<_>>()
        };
        let docker_sandbox = match unit.docker.then(|| self.docker_sandbox()).transpose() {
            Ok(d) => d,
            Err(e) => return error(format!("could not set up the docker sandbox: {e:#}")),
        };
        let settings = match (&docker_sandbox, self.runner) {
            (Some(d), Some(runner)) => Settings {
                binds: vec![
                    format!("{0}:{0}", d.work),
                    format!("{}:/var/run/docker.sock", d.socket),
                ],
                // On the default bridge: its port forwarders reach the lesson's containers.
                net: true,
                ..self.settings(&unit, runner, Some(&d.work))
            },
            (Some(_), None) => return error("no runner image for docker blocks".into()),
            _ => self.settings(&unit, &unit.image, Some(&unit.workdir)),
        };
        // The session's folder: the build context of its Dockerfiles.
        let context = docker_sandbox
            .as_ref()
            .map_or(unit.workdir.as_str(), |d| d.work.as_str());
        let sandbox = match Sandbox::start(self.docker, settings).await {
            Ok(sandbox) => sandbox,
            Err(e) => return error(format!("could not start a container: {e:#}")),
        };
        if let Some(d) = &docker_sandbox {
            d.proxy.set_runner(&sandbox.id);
        }
        let mut outcomes: Vec<Outcome> = Vec::new();
        // Dockerfiles written but not built yet: (outcome index, snippet index).
        let mut pending: Vec<(usize, usize)> = Vec::new();
        // Tag -> image id, for `image=` and `run=` of later blocks.
        let mut built: BTreeMap<String, String> = BTreeMap::new();
        let mut broken: Option<String> = None;
        for (i, s) in unit.snippets.iter().enumerate() {
            if !matches!(s.kind, Kind::File(_)) && s.skip.is_none() && broken.is_none() {
                self.build_pending(
                    &unit,
                    &sandbox,
                    context,
                    &mut pending,
                    &mut built,
                    &mut outcomes,
                )
                .await;
                broken = first_failure(&outcomes);
            }
            if let Some(reason) = &s.skip {
                outcomes.push(outcome(s, Status::Skip, reason.clone()));
                continue;
            }
            if let Some(first) = &broken {
                outcomes.push(outcome(
                    s,
                    Status::Skip,
                    format!("not run: {first} failed earlier in the session"),
                ));
                continue;
            }
            let began = Instant::now();
            let mut result = self.run_block(&unit, &sandbox, s, &built).await;
            if let Some(d) = &docker_sandbox {
                let missing = d.proxy.take_missing();
                if !missing.is_empty() && result.status != Status::Pass {
                    result.status = Status::Error;
                    result.detail = format!(
                        "needs {}, which this engine does not have (lessons never pull): load it, or map the name in book.toml [verify.images]\n{}",
                        missing.join(", "),
                        result.detail
                    );
                }
            }
            outcomes.push(Outcome {
                seconds: began.elapsed().as_secs_f64(),
                ..result
            });
            // In a docker session the lesson runs `docker build` itself; only a `tag=` asks for
            // the Dockerfile to be built for it too.
            let builds = s.is_dockerfile() && (!unit.docker || s.tag_given);
            if builds && outcomes[outcomes.len() - 1].status == Status::Pass {
                pending.push((outcomes.len() - 1, i));
            }
            broken = first_failure(&outcomes);
        }
        if broken.is_none() {
            self.build_pending(
                &unit,
                &sandbox,
                context,
                &mut pending,
                &mut built,
                &mut outcomes,
            )
            .await;
        }
        sandbox.remove().await;
        for id in built.values() {
            engine::remove_image(self.docker, id).await;
        }
        if let Some(d) = &docker_sandbox {
            engine::remove_labelled(self.docker, &d.filter).await;
        }
        outcomes
    }

    /// A script that is a unit by itself runs as its container's own command.
    async fn run_alone(&self, unit: &Unit, s: &Snippet) -> Outcome {
        let began = Instant::now();
        let settings = self.settings(unit, &unit.image, Some(&unit.workdir));
        let sandbox = match Sandbox::for_command(self.docker, settings, script_command(s)).await {
            Ok(sandbox) => sandbox,
            Err(e) => {
                let detail = format!("could not start a container: {e:#}");
                return outcome(s, Status::Error, detail);
            }
        };
        let limit = s.timeout.unwrap_or(self.timeout);
        let job = async {
            let ran = sandbox.run_to_end().await?;
            Ok(exit_status(s, &ran))
        };
        let result = judge(limit, &sandbox, s, job).await;
        sandbox.remove().await;
        Outcome {
            seconds: began.elapsed().as_secs_f64(),
            ..result
        }
    }

    /// Runs one block (not a pending build), with its time limit.
    async fn run_block(
        &self,
        unit: &Unit,
        sandbox: &Sandbox,
        s: &Snippet,
        built: &BTreeMap<String, String>,
    ) -> Outcome {
        let limit = s.timeout.unwrap_or(self.timeout);
        let image = match (&s.kind, &s.built) {
            (Kind::Output(tag), _) | (_, Some(tag)) => built.get(tag),
            _ => None,
        };
        let Some(image) = image else {
            if let Kind::Output(tag) = &s.kind {
                let detail = format!("no image was built as `{tag}` in this session");
                return outcome(s, Status::Error, detail);
            }
            return judge(limit, sandbox, s, run_snippet(sandbox, s)).await;
        };
        // A block that names a built image gets a container of its own from it, starting in
        // the image's WORKDIR unless the block says otherwise.
        let settings = self.settings(unit, image, s.workdir.as_deref());
        let fresh = match &s.kind {
            Kind::Output(_) => Sandbox::for_image(self.docker, settings).await,
            _ => Sandbox::start(self.docker, settings).await,
        };
        let fresh = match fresh {
            Ok(fresh) => fresh,
            Err(e) => {
                return outcome(
                    s,
                    Status::Error,
                    format!("could not start a container of the built image: {e:#}"),
                );
            }
        };
        let result = judge(limit, &fresh, s, run_snippet(&fresh, s)).await;
        fresh.remove().await;
        result
    }

    /// Builds the Dockerfiles written so far, in order, recording each one's outcome in the
    /// place its block has. Stops at the first failure.
    async fn build_pending(
        &self,
        unit: &Unit,
        sandbox: &Sandbox,
        context: &str,
        pending: &mut Vec<(usize, usize)>,
        built: &mut BTreeMap<String, String>,
        outcomes: &mut [Outcome],
    ) {
        for (at, index) in std::mem::take(pending) {
            let s = &unit.snippets[index];
            let Kind::File(name) = &s.kind else { continue };
            // Earlier builds of the session are images too: `FROM app` means the one built here.
            let mut images = self.images.clone();
            images.extend(built.iter().map(|(tag, id)| (tag.clone(), id.clone())));
            let text = build::map_bases(&s.code, &images);
            let limit = s.timeout.unwrap_or(BUILD_TIMEOUT);
            let began = Instant::now();
            let job = build::build(
                self.docker,
                build::Build {
                    sandbox,
                    context,
                    dockerfile: name,
                    text: &text,
                    run: self.run,
                    net: unit.net,
                },
            );
            let mut result = match tokio::time::timeout(limit, job).await {
                Err(_) => outcome(
                    s,
                    Status::Timeout,
                    format!("the build was still running after {}", human(limit)),
                ),
                Ok(Err(e)) => outcome(s, Status::Error, format!("could not build: {e:#}")),
                Ok(Ok(Built::Image(id))) => {
                    if let Some(tag) = &s.tag {
                        built.insert(tag.clone(), id);
                    }
                    outcome(s, Status::Pass, String::new())
                }
                Ok(Ok(Built::Failed { line, message, log })) => {
                    let lesson_line = line.map(|l| s.line + l);
                    let place = match (lesson_line, line) {
                        (Some(at), Some(l)) => format!(
                            "the build failed at {}:{at}: {}\n",
                            s.path.display(),
                            s.code.lines().nth(l - 1).unwrap_or_default().trim()
                        ),
                        _ => "the build failed\n".to_string(),
                    };
                    Outcome {
                        line: lesson_line,
                        ..outcome(s, Status::Fail, format!("{place}{message}\n{log}"))
                    }
                }
            };
            result.seconds = outcomes[at].seconds + began.elapsed().as_secs_f64();
            let failed = result.status != Status::Pass;
            outcomes[at] = result;
            if failed {
                return;
            }
        }
    }
}

/// The name of every sandbox folder starts with this, then the run's pid (see
/// `output::scratch_dir`).
pub const SANDBOX_PREFIX: &str = "coursebook-sandbox";

/// Sandbox folders of this run, so an interrupted run (which exits without unwinding) can
/// still remove them.
static SANDBOX_DIRS: std::sync::Mutex<Vec<std::path::PathBuf>> = std::sync::Mutex::new(Vec::new());

/// Removes the sandbox folders of this run (Ctrl-C).
pub fn remove_sandbox_dirs() {
    if let Ok(dirs) = SANDBOX_DIRS.lock() {
        for dir in dirs.iter() {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// The first block of the session that did not pass, if any.
fn first_failure(outcomes: &[Outcome]) -> Option<String> {
    outcomes
        .iter()
        .find(|o| !matches!(o.status, Status::Pass | Status::Skip))
        .map(|o| o.snippet.clone())
}

/// Runs `job` with a time limit and turns what happened into an outcome (a command killed
/// with 137 in a container whose memory ran out is OOM, not a plain failure).
async fn judge(
    limit: Duration,
    sandbox: &Sandbox,
    s: &Snippet,
    job: impl Future<Output = anyhow::Result<(Status, String, i64)>>,
) -> Outcome {
    let (status, detail) = match tokio::time::timeout(limit, job).await {
        Err(_) => (
            Status::Timeout,
            format!("still running after {}", human(limit)),
        ),
        Ok(Err(e)) => (Status::Error, format!("{e:#}")),
        Ok(Ok((Status::Fail, detail, 137))) if sandbox.oom_killed().await => (
            Status::Oom,
            format!("killed for using more than 256 MiB of memory\n{detail}"),
        ),
        Ok(Ok((status, detail, _))) => (status, detail),
    };
    outcome(s, status, detail)
}

/// Runs one snippet; on failure the detail says why. The last exit code comes with it.
async fn run_snippet(sandbox: &Sandbox, s: &Snippet) -> anyhow::Result<(Status, String, i64)> {
    match &s.kind {
        Kind::File(name) => {
            let ran = sandbox
                .exec(
                    vec![
                        "sh".into(),
                        "-c".into(),
                        "mkdir -p \"$(dirname \"$1\")\" && cat > \"$1\"".into(),
                        "sh".into(),
                        name.clone(),
                    ],
                    Some(&s.code),
                )
                .await?;
            Ok(if ran.exit == 0 {
                (Status::Pass, String::new(), 0)
            } else {
                (
                    Status::Fail,
                    format!("could not write {name}: {}", ran.output),
                    ran.exit,
                )
            })
        }
        Kind::Script => {
            let ran = sandbox.exec(script_command(s), None).await?;
            Ok(exit_status(s, &ran))
        }
        Kind::Output(tag) => {
            let ran = sandbox.run_to_end().await?;
            let expected: Vec<String> = s.code.lines().map(str::to_string).collect();
            Ok(match mismatch(&expected, s.exit, &ran) {
                None => (Status::Pass, String::new(), ran.exit),
                Some(why) => (
                    Status::Fail,
                    format!("running the image built as `{tag}`:\n{why}"),
                    ran.exit,
                ),
            })
        }
        Kind::Console => {
            for step in expect::steps(&s.code) {
                let ran = sandbox.exec(console_command(&step.command), None).await?;
                if let Some(why) = mismatch(&step.expected, step.exit, &ran) {
                    return Ok((Status::Fail, format!("$ {}\n{why}", step.command), ran.exit));
                }
            }
            Ok((Status::Pass, String::new(), 0))
        }
    }
}

/// How a console step runs: as in a terminal, where a step starts in the folder the last one
/// ended in and sees the variables earlier steps set (`cd app`, `export TAG=1`, `N=3`), in
/// bash where the image has it (the shell readers type into), else `sh`. Each step is its own
/// process, so the state is kept in a file between steps: the folder, and every variable
/// (`set -a` exports each assignment, `export -p` writes them out in the shell's own syntax).
const CONSOLE_STEP: &str = r#"__cb="${TMPDIR:-/tmp}/.coursebook-console"
if [ -f "$__cb.cwd" ]; then cd "$(cat "$__cb.cwd")" 2>/dev/null; fi
if [ -f "$__cb.env" ]; then . "$__cb.env" 2>/dev/null; fi
set -a
eval "$1"
__cb_rc=$?
set +a
{ pwd > "$__cb.cwd"; export -p > "$__cb.env"; } 2>/dev/null
exit $__cb_rc"#;

fn console_command(command: &str) -> Vec<String> {
    vec![
        "sh".into(),
        "-c".into(),
        "if command -v bash >/dev/null 2>&1; then exec bash -c \"$1\" bash \"$2\"; else exec sh -c \"$1\" sh \"$2\"; fi"
            .into(),
        "sh".into(),
        CONSOLE_STEP.into(),
        command.into(),
    ]
}

/// The command that runs a script block: `sh -c`, or bash where the image has it for a
/// `bash` block.
fn script_command(s: &Snippet) -> Vec<String> {
    if s.lang == "bash" {
        vec![
            "sh".into(),
            "-c".into(),
            "if command -v bash >/dev/null 2>&1; then exec bash -c \"$1\"; else exec sh -c \"$1\"; fi"
                .into(),
            "sh".into(),
            s.code.clone(),
        ]
    } else {
        vec!["sh".into(), "-c".into(), s.code.clone()]
    }
}

/// A script passes when it exits with the code the block expects.
fn exit_status(s: &Snippet, ran: &engine::Ran) -> (Status, String, i64) {
    if ran.exit == s.exit {
        (Status::Pass, String::new(), ran.exit)
    } else {
        (
            Status::Fail,
            format!(
                "exited with {} (expected {})\n{}",
                ran.exit,
                s.exit,
                indent(&ran.output)
            ),
            ran.exit,
        )
    }
}

/// Why a command's result is not the one the lesson shows: its exit code, and a unified diff
/// of the output.
fn mismatch(expected: &[String], exit: i64, ran: &engine::Ran) -> Option<String> {
    let output_ok = expect::matches(expected, &ran.output);
    if output_ok && ran.exit == exit {
        return None;
    }
    let mut why = String::new();
    if ran.exit != exit {
        why.push_str(&format!("exited with {} (expected {exit})\n", ran.exit));
    }
    if !output_ok {
        let expected = expected.join("\n") + "\n";
        let diff = TextDiff::from_lines(&expected, &ran.output);
        why.push_str(
            &diff
                .unified_diff()
                .header("expected (lesson)", "actual (container)")
                .to_string(),
        );
    }
    Some(why)
}
