//! Build: a session's Dockerfile block becomes an image, built by the engine with the
//! session's working folder as its context, so `COPY app.py .` finds the file an earlier block
//! wrote. A failing step is reported at the lesson line of its instruction.

use std::collections::{BTreeMap, HashMap};
use std::io::Read;

use bollard::Docker;
use bollard::query_parameters::{BuildImageOptionsBuilder, DownloadFromContainerOptionsBuilder};
use futures_util::{StreamExt, TryStreamExt};

use super::engine::{self, HOST_LABEL, LABEL, Sandbox};

/// One instruction of a Dockerfile: where it starts (1-based line) and its text, with
/// continuation lines joined.
#[derive(Debug, Clone, PartialEq)]
pub struct Instruction {
    pub line: usize,
    pub text: String,
}

/// The instructions of `dockerfile`, in the order the builder numbers its steps: comments,
/// parser directives and blank lines are not steps; a line ending in `\` continues.
pub fn instructions(dockerfile: &str) -> Vec<Instruction> {
    let mut found: Vec<Instruction> = Vec::new();
    let mut continuing = false;
    for (i, raw) in dockerfile.lines().enumerate() {
        let line = raw.trim();
        if line.starts_with('#') || (line.is_empty() && !continuing) {
            continue;
        }
        let (body, continues) = match line.strip_suffix('\\') {
            Some(body) => (body.trim_end(), true),
            None => (line, false),
        };
        match found.last_mut() {
            Some(last) if continuing => {
                last.text.push(' ');
                last.text.push_str(body);
            }
            _ => found.push(Instruction {
                line: i + 1,
                text: body.to_string(),
            }),
        }
        continuing = continues;
    }
    found
}

/// The images `FROM` lines pull in, with their Dockerfile line: not `scratch`, not an earlier
/// stage (`FROM build`), not one built from a build argument (`FROM $BASE`).
pub fn base_images(dockerfile: &str) -> Vec<(usize, String)> {
    let mut stages: Vec<String> = Vec::new();
    let mut images = Vec::new();
    for instruction in instructions(dockerfile) {
        let Some((image, stage)) = from_parts(&instruction.text) else {
            continue;
        };
        if !image.eq_ignore_ascii_case("scratch")
            && !image.contains('$')
            && !stages.iter().any(|s| s.eq_ignore_ascii_case(&image))
        {
            images.push((instruction.line, image));
        }
        stages.extend(stage);
    }
    images
}

/// The `FROM` instructions of a Dockerfile and of its mapped text ([`map_bases`]), in
/// order, as (mapped, written).
pub fn from_lines(written: &str, mapped: &str) -> Vec<(String, String)> {
    let froms = |text: &str| -> Vec<String> {
        instructions(text)
            .into_iter()
            .filter(|i| from_parts(&i.text).is_some())
            .map(|i| i.text)
            .collect()
    };
    froms(mapped).into_iter().zip(froms(written)).collect()
}

/// `FROM [--platform=...] IMAGE [AS NAME]` as (IMAGE, NAME).
fn from_parts(text: &str) -> Option<(String, Option<String>)> {
    let mut words = text.split_whitespace();
    if !words.next()?.eq_ignore_ascii_case("FROM") {
        return None;
    }
    let image = words.find(|w| !w.starts_with("--"))?.to_string();
    let stage = match (words.next(), words.next()) {
        (Some(as_), Some(name)) if as_.eq_ignore_ascii_case("AS") => Some(name.to_string()),
        _ => None,
    };
    Some((image, stage))
}

/// `dockerfile` with each `FROM` image named in `images` replaced by the image it maps to
/// (`[verify.images]`); lines stay where they are, so steps still map to lesson lines.
pub fn map_bases(dockerfile: &str, images: &BTreeMap<String, String>) -> String {
    let mut out = String::with_capacity(dockerfile.len());
    for line in dockerfile.split_inclusive('\n') {
        let mapped = from_parts(line.trim()).and_then(|(image, _)| {
            let to = crate::config::mapped_image(images, &image)?;
            let at = line.find(image.as_str())?;
            Some(format!("{}{to}{}", &line[..at], &line[at + image.len()..]))
        });
        out.push_str(mapped.as_deref().unwrap_or(line));
    }
    out
}

/// How a build ended.
pub enum Built {
    Image(String),
    Failed {
        /// The Dockerfile line of the instruction that failed, when the builder said which.
        line: Option<usize>,
        /// The engine's message.
        message: String,
        /// The end of the build output.
        log: String,
    },
}

/// Where a build happens and what it builds.
pub struct Build<'a> {
    pub sandbox: &'a Sandbox,
    /// The session's working folder in the sandbox: the build context.
    pub context: &'a str,
    /// The Dockerfile's path in the context.
    pub dockerfile: &'a str,
    /// The Dockerfile as the builder should read it (images mapped).
    pub text: &'a str,
    pub run: &'a str,
    pub net: bool,
}

/// Builds an image from the sandbox's working folder. Intermediate containers are always
/// removed; the image carries the run's label so it is removed with the run.
pub async fn build(docker: &Docker, b: Build<'_>) -> anyhow::Result<Built> {
    let context = context_tar(docker, &b).await?;
    let labels = HashMap::from([
        (LABEL.to_string(), b.run.to_string()),
        (HOST_LABEL.to_string(), engine::host()),
    ]);
    let options = BuildImageOptionsBuilder::new()
        .dockerfile(b.dockerfile)
        .rm(true)
        .forcerm(true)
        .memory(256 * 1024 * 1024)
        .memswap(256 * 1024 * 1024)
        .labels(&labels)
        .networkmode(if b.net { "default" } else { "none" })
        .build();
    let steps = regex::Regex::new(r"^(?:Step|STEP) (\d+)/\d+\s*:").expect("a valid pattern");
    let mut stream = docker.build_image(options, None, Some(bollard::body_full(context.into())));
    let mut log = String::new();
    let mut step: Option<usize> = None;
    let mut image = None;
    let failure = loop {
        match stream.next().await {
            None => break None,
            Some(Ok(info)) => {
                if let Some(text) = info.stream {
                    for line in text.lines() {
                        if let Some(n) = steps.captures(line).and_then(|c| c[1].parse().ok()) {
                            step = Some(n);
                        }
                    }
                    log.push_str(&text);
                }
                if let Some(id) = info.aux.and_then(|aux| aux.id) {
                    image = Some(id);
                }
                if let Some(detail) = info.error_detail {
                    break Some(detail.message.unwrap_or_default());
                }
            }
            Some(Err(bollard::errors::Error::DockerStreamError { error })) => break Some(error),
            Some(Err(e)) => return Err(e.into()),
        }
    };
    if let Some(message) = failure {
        let line = step.and_then(|n| instructions(b.text).get(n - 1).map(|i| i.line));
        return Ok(Built::Failed {
            line,
            message: message.trim().to_string(),
            log: tail(&log, 20),
        });
    }
    match image {
        Some(id) => Ok(Built::Image(id)),
        None => Ok(Built::Failed {
            line: None,
            message: "the engine reported no image".into(),
            log: tail(&log, 20),
        }),
    }
}

/// The working folder as a tar, with the Dockerfile replaced by the mapped text when it
/// differs from what the lesson wrote.
async fn context_tar(docker: &Docker, b: &Build<'_>) -> anyhow::Result<Vec<u8>> {
    let options = DownloadFromContainerOptionsBuilder::new()
        .path(&format!("{}/.", b.context.trim_end_matches('/')))
        .build();
    let bytes: Vec<u8> = docker
        .download_from_container(&b.sandbox.id, Some(options))
        .map_ok(|chunk| chunk.to_vec())
        .try_concat()
        .await?;
    let text = b.text.to_string();
    rewrite_dockerfile(&bytes, b.dockerfile, |_| text.clone())?
        .ok_or_else(|| anyhow::anyhow!("{} is not in {}", b.dockerfile, b.context))
}

/// A build context (tar) with the Dockerfile at `name` replaced by `rewrite(its text)`, or
/// `None` when the context has no such file.
pub fn rewrite_dockerfile(
    context: &[u8],
    name: &str,
    rewrite: impl Fn(&str) -> String,
) -> anyhow::Result<Option<Vec<u8>>> {
    let mut archive = tar::Archive::new(context);
    let mut out = tar::Builder::new(Vec::new());
    let want = name.trim_start_matches("./");
    let mut replaced = false;
    for entry in archive.entries()? {
        let mut entry = entry?;
        let path = entry
            .path()?
            .to_string_lossy()
            .trim_start_matches("./")
            .to_string();
        if path.is_empty() {
            continue;
        }
        let mut header = entry.header().clone();
        let mut data = Vec::new();
        entry.read_to_end(&mut data)?;
        if path == want {
            data = rewrite(&String::from_utf8_lossy(&data)).into_bytes();
            header.set_size(data.len() as u64);
            replaced = true;
        }
        out.append_data(&mut header, &path, data.as_slice())?;
    }
    Ok(replaced.then_some(out.into_inner()?))
}

fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}
