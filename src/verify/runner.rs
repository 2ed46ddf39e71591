//! Runner: the image `{verify docker}` blocks run in: a base image (Debian by default) with
//! the host's own docker CLI copied in, so a lesson's `docker ...` commands work without a
//! registry. Built once per CLI binary and base image, and kept (labelled with their identity).

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
    let identity = format!("{}\n{}\n{changed}\n{base_id}", cli.display(), meta.len());
    let fingerprint = format!("{:016x}", super::results::fnv1a_64(identity.bytes()));
    let wanted = format!("{RUNNER_LABEL}={fingerprint}");
    let filters = HashMap::from([("label", vec![wanted.as_str()])]);
    let options = ListImagesOptionsBuilder::new().filters(&filters).build();
    if let Some(found) = docker.list_images(Some(options)).await?.into_iter().next() {
        return Ok(found.id);
    }
    let dockerfile = format!(
        "FROM {base}\nCOPY docker /usr/local/bin/docker\nRUN chmod 755 /usr/local/bin/docker\n"
    );
    let binary = std::fs::read(&cli)?;
    let mut tar = tar::Builder::new(Vec::new());
    for (name, data, mode) in [
        ("Dockerfile", dockerfile.as_bytes(), 0o644),
        ("docker", binary.as_slice(), 0o755),
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
        .networkmode("none")
        .build();
    let mut stream = docker.build_image(options, None, Some(bollard::body_full(context.into())));
    let mut id = None;
    while let Some(step) = stream.next().await {
        let info = step?;
        if let Some(detail) = info.error_detail {
            anyhow::bail!(
                "building the runner image: {}",
                detail.message.unwrap_or_default()
            );
        }
        if let Some(built) = info.aux.and_then(|aux| aux.id) {
            id = Some(built);
        }
    }
    id.ok_or_else(|| anyhow::anyhow!("building the runner image: the engine reported no image"))
}
