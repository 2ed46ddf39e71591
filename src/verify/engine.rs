//! Engine: the Docker Engine API through bollard. Containers for snippets are created with
//! limits (memory, CPU, processes), no network unless asked, and the run's labels, so that
//! they can always be found and removed: after each snippet, on Ctrl-C, and by the sweep at
//! the start of the next run if this one was killed.

use std::collections::HashMap;

use bollard::Docker;
use bollard::container::LogOutput;
use bollard::exec::{StartExecOptions, StartExecResults};
use bollard::models::{ContainerCreateBody, ExecConfig, HostConfig};
use bollard::query_parameters::{
    CreateContainerOptionsBuilder, CreateImageOptionsBuilder, ListContainersOptionsBuilder,
    ListImagesOptionsBuilder, LogsOptionsBuilder, RemoveContainerOptionsBuilder,
    RemoveImageOptionsBuilder,
};
use futures_util::StreamExt;
use tokio::io::AsyncWriteExt;

/// Every container `verify` makes carries this label, valued with the run's id.
pub const LABEL: &str = "dev.coursebook.verify";
/// Output kept per command; the rest is dropped with a note.
const OUTPUT_CAP: usize = 1 << 20;

pub async fn connect() -> anyhow::Result<Docker> {
    let docker = Docker::connect_with_defaults()?;
    docker.ping().await?;
    Ok(docker)
}

/// Names the machine a run's containers belong to, so a sweep never touches another
/// machine's runs on a shared engine.
pub const HOST_LABEL: &str = "dev.coursebook.host";

pub fn host() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_string())
        .unwrap_or_else(|_| "unknown".into())
}

/// A run's id: its process id and start time (a sweep checks the process is gone).
pub fn run_id() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    format!("{}-{nanos}", std::process::id())
}

/// Removes containers left by runs on this machine whose process has ended (killed, crashed).
/// Runs still going, here or elsewhere, keep theirs. Returns how many were removed.
pub async fn sweep(docker: &Docker) -> usize {
    let here = host();
    let containers = labelled(docker, LABEL).await;
    let volumes = labelled_volumes(docker, LABEL).await;
    let networks = labelled_networks(docker, LABEL).await;
    let mut all: Vec<HashMap<String, String>> = containers
        .iter()
        .map(|c| c.labels.clone().unwrap_or_default())
        .collect();
    all.extend(
        labelled_images(docker, LABEL)
            .await
            .into_iter()
            .map(|i| i.labels),
    );
    all.extend(volumes.into_iter().map(|v| v.labels));
    all.extend(networks.into_iter().filter_map(|n| n.labels));
    // Runs of this machine whose process has ended.
    let dead: std::collections::BTreeSet<String> = all
        .iter()
        .filter(|labels| labels.get(HOST_LABEL).is_some_and(|h| *h == here))
        .filter_map(|labels| labels.get(LABEL))
        .filter(|run| {
            let pid = run
                .split('-')
                .next()
                .and_then(|pid| pid.parse::<u32>().ok());
            !pid.is_some_and(|pid| std::path::Path::new(&format!("/proc/{pid}")).exists())
        })
        .cloned()
        .collect();
    let removed = containers
        .iter()
        .filter(|c| {
            c.labels
                .as_ref()
                .and_then(|l| l.get(LABEL))
                .is_some_and(|run| dead.contains(run))
        })
        .count();
    for run in &dead {
        remove_run(docker, run).await;
    }
    removed
}

/// Removes every container of run `run` (Ctrl-C), and what its lessons made.
pub async fn remove_run(docker: &Docker, run: &str) {
    remove_labelled(docker, &format!("{LABEL}={run}")).await;
}

/// Removes everything labelled `label` (`key=value`): containers first (they hold the
/// rest), then images, volumes and networks. Best effort.
pub async fn remove_labelled(docker: &Docker, label: &str) {
    for id in labelled(docker, label)
        .await
        .into_iter()
        .filter_map(|c| c.id)
    {
        remove(docker, &id).await;
    }
    for image in labelled_images(docker, label).await {
        remove_image(docker, &image.id).await;
    }
    for volume in labelled_volumes(docker, label).await {
        let _ = docker
            .remove_volume(
                &volume.name,
                None::<bollard::query_parameters::RemoveVolumeOptions>,
            )
            .await;
    }
    for network in labelled_networks(docker, label)
        .await
        .into_iter()
        .filter_map(|n| n.id)
    {
        let _ = docker.remove_network(&network).await;
    }
}

/// Volumes whose labels match `label`: those lessons made.
async fn labelled_volumes(docker: &Docker, label: &str) -> Vec<bollard::models::Volume> {
    let filters = HashMap::from([("label", vec![label])]);
    let options = bollard::query_parameters::ListVolumesOptionsBuilder::new()
        .filters(&filters)
        .build();
    docker
        .list_volumes(Some(options))
        .await
        .ok()
        .and_then(|v| v.volumes)
        .unwrap_or_default()
}

/// Networks whose labels match `label`: those lessons made.
async fn labelled_networks(docker: &Docker, label: &str) -> Vec<bollard::models::Network> {
    let filters = HashMap::from([("label", vec![label])]);
    let options = bollard::query_parameters::ListNetworksOptionsBuilder::new()
        .filters(&filters)
        .build();
    docker
        .list_networks(Some(options))
        .await
        .unwrap_or_default()
}

/// Images whose labels match `label`: those Dockerfile blocks built.
async fn labelled_images(docker: &Docker, label: &str) -> Vec<bollard::models::ImageSummary> {
    let filters = HashMap::from([("label", vec![label])]);
    let options = ListImagesOptionsBuilder::new()
        .all(true)
        .filters(&filters)
        .build();
    docker.list_images(Some(options)).await.unwrap_or_default()
}

/// Removes an image a Dockerfile block built (best effort: a leftover is swept later).
pub async fn remove_image(docker: &Docker, id: &str) {
    let options = RemoveImageOptionsBuilder::new().force(true).build();
    let _ = docker.remove_image(id, Some(options), None).await;
}

/// Containers, running or not, whose labels match `label` (`key` or `key=value`); none when
/// the engine cannot be asked.
async fn labelled(docker: &Docker, label: &str) -> Vec<bollard::models::ContainerSummary> {
    let filters = HashMap::from([("label", vec![label])]);
    let options = ListContainersOptionsBuilder::new()
        .all(true)
        .filters(&filters)
        .build();
    docker
        .list_containers(Some(options))
        .await
        .unwrap_or_default()
}

/// Pulls `image` from its registry (`--pull` only). A name without a tag means `latest`,
/// as on the command line (the API would otherwise pull every tag).
pub async fn pull(docker: &Docker, image: &str) -> anyhow::Result<()> {
    let last = image.rsplit('/').next().unwrap_or(image);
    let (name, tag) = match last.rsplit_once(':') {
        Some((_, tag)) if !last.contains('@') => (&image[..image.len() - tag.len() - 1], tag),
        _ if last.contains('@') => (image, ""),
        _ => (image, "latest"),
    };
    let mut options = CreateImageOptionsBuilder::new().from_image(name);
    if !tag.is_empty() {
        options = options.tag(tag);
    }
    let mut progress = docker.create_image(Some(options.build()), None, None);
    while let Some(step) = progress.next().await {
        step?;
    }
    Ok(())
}

/// The image's id, if the engine has it.
pub async fn image_id(docker: &Docker, image: &str) -> Option<String> {
    docker.inspect_image(image).await.ok().and_then(|i| i.id)
}

pub async fn remove(docker: &Docker, id: &str) {
    let options = RemoveContainerOptionsBuilder::new()
        .force(true)
        .v(true)
        .build();
    let _ = docker.remove_container(id, Some(options)).await;
}

/// What a container is started with.
pub struct Settings<'a> {
    pub image: &'a str,
    pub run: &'a str,
    pub net: bool,
    pub env: Vec<String>,
    /// The working folder; `None` keeps the image's own (`WORKDIR`).
    pub workdir: Option<&'a str>,
    /// Host paths mounted into the container (`host:container`).
    pub binds: Vec<String>,
}

/// A running container that waits for commands.
pub struct Sandbox {
    docker: Docker,
    pub id: String,
}

/// What one command did.
pub struct Ran {
    pub output: String,
    pub exit: i64,
}

impl Sandbox {
    /// A container that idles until removed; every snippet runs as an exec in it.
    pub async fn start(docker: &Docker, s: Settings<'_>) -> anyhow::Result<Sandbox> {
        let idle = vec![
            "sh".into(),
            "-c".into(),
            "trap 'exit 0' TERM INT; while :; do sleep 1; done".into(),
        ];
        let sandbox = Sandbox::create(docker, s, Some(idle)).await?;
        if let Err(e) = docker.start_container(&sandbox.id, None).await {
            sandbox.remove().await;
            return Err(e.into());
        }
        Ok(sandbox)
    }

    /// A container of `s.image` that will run the image's own command (`run_to_end`). The
    /// caller removes it, also when it times out.
    pub async fn for_image(docker: &Docker, s: Settings<'_>) -> anyhow::Result<Sandbox> {
        Sandbox::create(docker, s, None).await
    }

    /// A container whose own command is `cmd` (`run_to_end`): a lone snippet costs one
    /// process start less than an idle container plus an exec.
    pub async fn for_command(
        docker: &Docker,
        s: Settings<'_>,
        cmd: Vec<String>,
    ) -> anyhow::Result<Sandbox> {
        Sandbox::create(docker, s, Some(cmd)).await
    }

    async fn create(
        docker: &Docker,
        s: Settings<'_>,
        cmd: Option<Vec<String>>,
    ) -> anyhow::Result<Sandbox> {
        let config = ContainerCreateBody {
            image: Some(s.image.to_string()),
            cmd,
            env: Some(s.env),
            working_dir: s.workdir.map(str::to_string),
            labels: Some(HashMap::from([
                (LABEL.to_string(), s.run.to_string()),
                (HOST_LABEL.to_string(), host()),
            ])),
            network_disabled: Some(!s.net),
            host_config: Some(HostConfig {
                memory: Some(256 * 1024 * 1024),
                memory_swap: Some(256 * 1024 * 1024),
                nano_cpus: Some(1_000_000_000),
                pids_limit: Some(256),
                network_mode: Some(if s.net { "bridge" } else { "none" }.into()),
                binds: (!s.binds.is_empty()).then_some(s.binds),
                ..Default::default()
            }),
            ..Default::default()
        };
        let name = format!("coursebook-verify-{}-{}", s.run, unique());
        let options = CreateContainerOptionsBuilder::new().name(&name).build();
        let id = docker.create_container(Some(options), config).await?.id;
        Ok(Sandbox {
            docker: docker.clone(),
            id,
        })
    }

    /// Starts the container's own command and collects its output until it exits. (The
    /// log stream ends with the container; `wait_container` would report a non-zero exit as
    /// an error, so the exit code is read from the container afterwards.)
    pub async fn run_to_end(&self) -> anyhow::Result<Ran> {
        self.docker.start_container(&self.id, None).await?;
        let options = LogsOptionsBuilder::new()
            .follow(true)
            .stdout(true)
            .stderr(true)
            .build();
        let mut logs = self.docker.logs(&self.id, Some(options));
        let mut collected = Collected::default();
        while let Some(chunk) = logs.next().await {
            collected.add(chunk?);
        }
        let state = self.docker.inspect_container(&self.id, None).await?.state;
        let exit = state.and_then(|s| s.exit_code).unwrap_or(-1);
        Ok(Ran {
            output: collected.finish(),
            exit,
        })
    }

    /// Runs `cmd` (with `stdin`, if given) and collects stdout and stderr as they interleave.
    pub async fn exec(&self, cmd: Vec<String>, stdin: Option<&str>) -> anyhow::Result<Ran> {
        let exec = self
            .docker
            .create_exec(
                &self.id,
                ExecConfig {
                    attach_stdin: Some(stdin.is_some()),
                    attach_stdout: Some(true),
                    attach_stderr: Some(true),
                    cmd: Some(cmd),
                    ..Default::default()
                },
            )
            .await?
            .id;
        let started = self
            .docker
            .start_exec(&exec, Some(StartExecOptions::default()))
            .await?;
        let StartExecResults::Attached {
            mut output,
            mut input,
        } = started
        else {
            anyhow::bail!("the engine did not attach to the command");
        };
        if let Some(text) = stdin {
            input.write_all(text.as_bytes()).await?;
            input.shutdown().await?;
        }
        drop(input);
        let mut collected = Collected::default();
        while let Some(chunk) = output.next().await {
            collected.add(chunk?);
        }
        let output = collected.finish();
        let exit = self
            .docker
            .inspect_exec(&exec)
            .await?
            .exit_code
            .unwrap_or(-1);
        Ok(Ran { output, exit })
    }

    /// Whether the kernel killed a process for exceeding the memory limit. The engine's
    /// `OOMKilled` only covers the container's first process, so the cgroup's own count (v1
    /// `memory.oom_control`, v2 `memory.events`) is read too.
    pub async fn oom_killed(&self) -> bool {
        let flagged = self
            .docker
            .inspect_container(&self.id, None)
            .await
            .ok()
            .and_then(|c| c.state)
            .and_then(|s| s.oom_killed)
            .unwrap_or(false);
        if flagged {
            return true;
        }
        let read =
            "cat /sys/fs/cgroup/memory.events /sys/fs/cgroup/memory/memory.oom_control 2>/dev/null";
        let Ok(ran) = self
            .exec(vec!["sh".into(), "-c".into(), read.into()], None)
            .await
        else {
            return false;
        };
        ran.output.lines().any(|line| {
            line.strip_prefix("oom_kill ")
                .and_then(|n| n.trim().parse::<u64>().ok())
                .is_some_and(|n| n > 0)
        })
    }

    pub async fn remove(&self) {
        remove(&self.docker, &self.id).await;
    }
}

/// Output as it interleaves, up to [`OUTPUT_CAP`].
#[derive(Default)]
struct Collected {
    bytes: Vec<u8>,
    truncated: bool,
}

impl Collected {
    fn add(&mut self, chunk: LogOutput) {
        let message = match chunk {
            LogOutput::StdOut { message }
            | LogOutput::StdErr { message }
            | LogOutput::Console { message } => message,
            LogOutput::StdIn { .. } => return,
        };
        if self.bytes.len() + message.len() > OUTPUT_CAP {
            self.truncated = true;
        } else {
            self.bytes.extend_from_slice(&message);
        }
    }

    fn finish(self) -> String {
        let mut output = String::from_utf8_lossy(&self.bytes).into_owned();
        if self.truncated {
            output.push_str("\n[output cut at 1 MiB]\n");
        }
        output
    }
}

/// A number no other call in this process gets: names containers and sandboxes apart.
pub fn unique() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed).to_string()
}
