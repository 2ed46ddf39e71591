//! Runner: the image `{verify docker}` blocks run in: a base image (Debian by default) with
//! the host's own docker CLI copied in, so a lesson's `docker ...` commands work without a
//! registry, and what lessons use next to it: `curl` (for published ports), `busybox` (its
//! `nc` forwards them, see the proxy's `ports`) and Compose. What the base lacks is installed
//! with its package manager, from the distribution's mirror: the one download, once. Where
//! `docker compose` is not a CLI plugin (Debian ships Compose 1.29 as `docker-compose`), a
//! plugin shim passes it to `docker-compose`. Built once per CLI binary, base image and
//! recipe, and kept (labelled with their identity).

use std::collections::HashMap;
use std::path::PathBuf;

use bollard::Docker;
use bollard::query_parameters::{BuildImageOptionsBuilder, ListImagesOptionsBuilder};
use futures_util::StreamExt;

/// Labels the runner image with the hash of the CLI and base it was built from.
const RUNNER_LABEL: &str = "dev.coursebook.runner";

/// The docker CLI on this machine.
fn cli() -> anyhow::Result<PathBuf> {
    std::env::var_os("PATH")
        .into_iter()
        .flat_map(|paths| std::env::split_paths(&paths).collect::<Vec<_>>())
        .map(|dir| dir.join("docker"))
        .find(|p| p.is_file())
        .ok_or_else(|| {
            anyhow::anyhow!(
                "`{{verify docker}}` blocks need the docker CLI on this machine to copy into their runner (apt-get install docker.io)"
            )
        })
}

/// What the runner needs besides the docker CLI, as commands.
const TOOLS: &str = "curl busybox docker-compose";

/// `docker compose ARGS` as `docker-compose ARGS`, as a docker CLI plugin.
const COMPOSE_SHIM: &str = r#"#!/bin/sh
# coursebook: `docker compose` is Compose v1's `docker-compose` in this runner.
if [ "$1" = docker-cli-plugin-metadata ]; then
  printf '{"SchemaVersion":"0.1.0","Vendor":"coursebook","Version":"%s","ShortDescription":"Docker Compose (docker-compose)"}\n' \
    "$(docker-compose version --short 2>/dev/null)"
  exit 0
fi
shift
# Compose v2 colours only a terminal; v1 colours logs anywhere.
[ -t 1 ] || set -- --ansi never "$@"
exec docker-compose "$@"
"#;

/// The runner's recipe: the CLI, then the tools the base lacks (Debian's package names;
/// another base must have them already), then the compose shim if `docker compose` is not
/// a plugin already.
fn dockerfile(base: &str) -> String {
    format!(
        r#"FROM {base}
COPY docker /usr/local/bin/docker
COPY compose-plugin /tmp/compose-plugin
RUN set -e; need=""; \
    command -v curl >/dev/null || need="$need curl ca-certificates"; \
    command -v busybox >/dev/null || need="$need busybox-static"; \
    command -v docker-compose >/dev/null || need="$need docker-compose"; \
    if [ -n "$need" ]; then \
      command -v apt-get >/dev/null || {{ echo "coursebook: the runner base {base} lacks:$need, and has no apt-get to install them; name a [verify] runner image that has {TOOLS}" >&2; exit 1; }}; \
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $need >/dev/null && rm -rf /var/lib/apt/lists/*; \
    fi; \
    if docker compose version >/dev/null 2>&1; then rm /tmp/compose-plugin; \
    else mkdir -p /usr/local/lib/docker/cli-plugins && mv /tmp/compose-plugin /usr/local/lib/docker/cli-plugins/docker-compose; fi
"#
    )
}

/// The runner image's id, building it from `base` (an image the engine has) if needed.
pub async fn ensure(docker: &Docker, base: &str) -> anyhow::Result<String> {
    let cli = cli()?;
    let base_id = super::engine::image_id(docker, base)
        .await
        .ok_or_else(|| anyhow::anyhow!("the runner's base image `{base}` is not on this engine"))?;
    // The CLI by its path, size and change time: reading all 45 MB of it on every run to
    // find an image that is almost always there already would be the slowest step.
    let meta = std::fs::metadata(&cli)?;
    let changed = meta
        .modified()?
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let dockerfile = dockerfile(base);
    let identity = format!(
        "{}\n{}\n{changed}\n{base_id}\n{dockerfile}",
        cli.display(),
        meta.len()
    );
    let fingerprint = format!("{:016x}", super::results::fnv1a_64(identity.bytes()));
    let wanted = format!("{RUNNER_LABEL}={fingerprint}");
    let filters = HashMap::from([("label", vec![wanted.as_str()])]);
    let options = ListImagesOptionsBuilder::new().filters(&filters).build();
    if let Some(found) = docker.list_images(Some(options)).await?.into_iter().next() {
        return Ok(found.id);
    }
    eprintln!(
        "Building the runner image for docker blocks from {base} (once; installs what it lacks of {TOOLS})"
    );
    let binary = std::fs::read(&cli)?;
    let mut tar = tar::Builder::new(Vec::new());
    for (name, data, mode) in [
        ("Dockerfile", dockerfile.as_bytes(), 0o644),
        ("docker", binary.as_slice(), 0o755),
        ("compose-plugin", COMPOSE_SHIM.as_bytes(), 0o755),
    ] {
        let mut header = tar::Header::new_gnu();
        header.set_size(data.len() as u64);
        header.set_mode(mode);
        header.set_cksum();
        tar.append_data(&mut header, name, data)?;
    }
    let context = tar.into_inner()?;
    let labels = HashMap::from([(RUNNER_LABEL.to_string(), fingerprint)]);
    let options = BuildImageOptionsBuilder::new()
        .rm(true)
        .forcerm(true)
        .labels(&labels)
        .build();
    let mut stream = docker.build_image(options, None, Some(bollard::body_full(context.into())));
    let mut id = None;
    let mut log = String::new();
    while let Some(step) = stream.next().await {
        let info = match step {
            Ok(info) => info,
            Err(e) => return Err(build_failed(&log, &e.to_string())),
        };
        if let Some(text) = &info.stream {
            log.push_str(text);
        }
        if let Some(detail) = info.error_detail {
            return Err(build_failed(&log, &detail.message.unwrap_or_default()));
        }
        if let Some(built) = info.aux.and_then(|aux| aux.id) {
            id = Some(built);
        }
    }
    id.ok_or_else(|| anyhow::anyhow!("building the runner image: the engine reported no image"))
}

/// Why the runner could not be built: the recipe's own explanation when it gave one (a base
/// without apt-get), else the end of the build's output and the engine's message.
fn build_failed(log: &str, message: &str) -> anyhow::Error {
    // The recipe's `echo "coursebook: ..."` (after the terminal colour codes the builder puts
    // around a step's stderr), not the step's own line that contains it.
    let said = log
        .lines()
        .filter(|l| !l.starts_with("Step "))
        .find_map(|l| {
            l.split_once("coursebook: ")
                .map(|(_, reason)| reason.trim())
        });
    if let Some(reason) = said {
        return anyhow::anyhow!("building the runner image: {reason}");
    }
    let lines: Vec<&str> = log.lines().filter(|l| !l.trim().is_empty()).collect();
    let tail = lines[lines.len().saturating_sub(8)..].join("\n");
    anyhow::anyhow!(
        "building the runner image failed (it installs packages from the base's mirror once: is it reachable?):\n{tail}\n{message}"
    )
}
