//! A real Docker engine for tests: checks it answers, and makes the busybox image the tests
//! run snippets in with `docker import` (no registry is reachable here). Without an engine the
//! tests skip and say why; under CI (`CI=true`) they fail instead.
#![allow(dead_code)]

use std::process::{Command, Stdio};
use std::sync::OnceLock;

pub const BUSYBOX: &str = "coursebook-test/busybox:latest";

/// The test image's name, or `None` (after saying why) when there is no engine.
pub fn busybox() -> Option<&'static str> {
    static READY: OnceLock<Result<(), String>> = OnceLock::new();
    match READY.get_or_init(prepare) {
        Ok(()) => Some(BUSYBOX),
        Err(reason) => {
            if std::env::var("CI").is_ok_and(|v| v == "true") {
                panic!("Docker tests cannot run under CI: {reason}");
            }
            eprintln!("skipping Docker tests: {reason}");
            None
        }
    }
}

fn prepare() -> Result<(), String> {
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
