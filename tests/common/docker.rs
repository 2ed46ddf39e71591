//! A real Docker engine for tests: checks it answers, and makes the busybox image the tests
//! run snippets in with `docker import` (no registry is reachable here). A Debian image,
//! `local/debian:bookworm`, comes from `scripts/debian-image` (see [`debian`]). Without an
//! engine or an image the tests skip and say why; under CI (`CI=true`) they fail instead.
#![allow(dead_code)]

use std::process::{Command, Stdio};
use std::sync::OnceLock;

pub const BUSYBOX: &str = "coursebook-test/busybox:latest";
pub const DEBIAN: &str = "local/debian:bookworm";

/// The test image's name, or `None` (after saying why) when there is no engine.
pub fn busybox() -> Option<&'static str> {
    static READY: OnceLock<Result<(), String>> = OnceLock::new();
    ready(BUSYBOX, READY.get_or_init(prepare))
}

/// `local/debian:bookworm` (Debian 12, debootstrap's minbase: bash, coreutils, apt), or
/// `None` after saying why.
///
/// `scripts/test` makes the image before any test runs (debootstrap the first time, about a
/// minute; then `docker import` of the root file system it cached, a few seconds). Here the
/// image is only imported from that cache (`scripts/debian-image --cached-only`): a plain
/// `cargo test` never spends a minute downloading Debian behind the developer's back.
/// Without the image or the cache, the tests that need it skip and name the command to run;
/// under CI they fail, as [`busybox`]'s do.
pub fn debian() -> Option<&'static str> {
    static READY: OnceLock<Result<(), String>> = OnceLock::new();
    ready(DEBIAN, READY.get_or_init(prepare_debian))
}

fn ready(image: &'static str, prepared: &Result<(), String>) -> Option<&'static str> {
    match prepared {
        Ok(()) => Some(image),
        Err(reason) => {
            if std::env::var("CI").is_ok_and(|v| v == "true") {
                panic!("Docker tests cannot run under CI: {reason}");
            }
            eprintln!("skipping Docker tests that need `{image}`: {reason}");
            None
        }
    }
}

fn engine() -> Result<(), String> {
    let info = Command::new("docker")
        .args(["info", "--format", "{{.ServerVersion}}"])
        .output()
        .map_err(|e| format!("no docker command ({e}); apt-get install docker.io"))?;
    if !info.status.success() {
        return Err(format!(
            "the Docker engine does not answer ({}); start dockerd",
            String::from_utf8_lossy(&info.stderr).trim()
        ));
    }
    Ok(())
}

fn prepare_debian() -> Result<(), String> {
    engine()?;
    if docker(&["image", "inspect", DEBIAN]).is_ok() {
        return Ok(());
    }
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/debian-image");
    let out = Command::new(&script)
        .arg("--cached-only")
        .output()
        .map_err(|e| format!("running {}: {e}", script.display()))?;
    match out.status.code() {
        Some(0) => Ok(()),
        Some(3) => Err(format!(
            "`{DEBIAN}` is not on the engine and no root file system is cached: run scripts/debian-image (debootstrap, about a minute, once)"
        )),
        _ => Err(format!(
            "scripts/debian-image --cached-only failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )),
    }
}

fn prepare() -> Result<(), String> {
    engine()?;
    if docker(&["image", "inspect", BUSYBOX]).is_ok() {
        return Ok(());
    }
    let busybox = ["/bin/busybox", "/usr/bin/busybox"]
        .into_iter()
        .find(|p| std::path::Path::new(p).is_file())
        .ok_or("no busybox binary to build the test image from (apt-get install busybox-static)")?;
    let root = tempfile::tempdir().map_err(|e| e.to_string())?;
    let bin = root.path().join("bin");
    std::fs::create_dir_all(&bin).map_err(|e| e.to_string())?;
    std::fs::copy(busybox, bin.join("busybox")).map_err(|e| e.to_string())?;
    let list = Command::new(busybox)
        .arg("--list")
        .output()
        .map_err(|e| e.to_string())?;
    for applet in String::from_utf8_lossy(&list.stdout).lines() {
        let _ = std::os::unix::fs::symlink("busybox", bin.join(applet));
    }
    for dir in ["tmp", "work", "etc"] {
        std::fs::create_dir_all(root.path().join(dir)).map_err(|e| e.to_string())?;
    }
    // World-writable and sticky, as in every distribution (and Docker Hub's busybox): a
    // lesson's `USER 10001` may write there.
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(
        root.path().join("tmp"),
        std::fs::Permissions::from_mode(0o1777),
    )
    .map_err(|e| e.to_string())?;
    let tar = Command::new("tar")
        .args(["-C", root.path().to_str().unwrap(), "-c", "."])
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| e.to_string())?;
    let import = Command::new("docker")
        .args(["import", "-", BUSYBOX])
        .stdin(tar.stdout.unwrap())
        .output()
        .map_err(|e| e.to_string())?;
    if !import.status.success() {
        return Err(format!(
            "docker import failed: {}",
            String::from_utf8_lossy(&import.stderr)
        ));
    }
    Ok(())
}

/// Runs the docker CLI (test set-up and inspection only; coursebook itself uses the API).
pub fn docker(args: &[&str]) -> Result<String, String> {
    let out = Command::new("docker")
        .args(args)
        .output()
        .map_err(|e| e.to_string())?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

/// Containers carrying coursebook's verify label, running or not.
pub fn labelled_containers() -> Vec<String> {
    docker(&["ps", "-aq", "--filter", "label=dev.coursebook.verify"])
        .unwrap_or_default()
        .lines()
        .map(str::to_string)
        .collect()
}

/// The verify run (`pid-nanos`) a container or image belongs to, from its label.
pub fn run_of(id: &str) -> String {
    docker(&[
        "inspect",
        "-f",
        "{{index .Config.Labels \"dev.coursebook.verify\"}}",
        id,
    ])
    .unwrap_or_default()
    .trim()
    .to_string()
}

/// Whether run `run`'s process has ended (what leaves an orphan rather than work in progress).
pub fn run_ended(run: &str) -> bool {
    let pid = run.split('-').next().unwrap_or("0");
    !std::path::Path::new(&format!("/proc/{pid}")).exists()
}
