//! Import's write: the planned course goes into a folder beside `OUT`, renamed into place at
//! the end, so a failed import leaves nothing behind.

use std::path::{Path, PathBuf};

use anyhow::Context;

use super::Plan;

/// Writes the plan into a folder beside `out`, then renames it into place.
pub(super) fn write(plan: &Plan, out: &Path) -> anyhow::Result<()> {
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent).with_context(|| format!("creating {}", parent.display()))?;
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "course".into());
    let staging = tempfile::Builder::new()
        .prefix(&format!(".{name}.import-"))
        .tempdir_in(&parent)
        .with_context(|| format!("creating a folder in {}", parent.display()))?;
    for (rel, text) in &plan.files {
        let path = staging.path().join(rel);
        create_parent(&path)?;
        std::fs::write(&path, text).with_context(|| format!("writing {rel}"))?;
    }
    for (from, rel) in &plan.copies {
        let path = staging.path().join(rel);
        create_parent(&path)?;
        std::fs::copy(from, &path).with_context(|| format!("copying {}", from.display()))?;
    }
    make_readable(staging.path())?;
    if out.exists() {
        // Checked empty before anything was planned.
        std::fs::remove_dir(out).with_context(|| format!("replacing {}", out.display()))?;
    }
    let staged = staging.keep();
    if let Err(e) = std::fs::rename(&staged, out) {
        let _ = std::fs::remove_dir_all(&staged);
        return Err(e).with_context(|| format!("moving the course into {}", out.display()));
    }
    Ok(())
}

pub(super) fn create_parent(path: &Path) -> anyhow::Result<()> {
    match path.parent() {
        Some(parent) => std::fs::create_dir_all(parent)
            .with_context(|| format!("creating {}", parent.display())),
        None => Ok(()),
    }
}

/// A temporary folder is private (0700); the course folder is an ordinary one.
#[cfg(unix)]
pub(super) fn make_readable(dir: &Path) -> anyhow::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755))
        .with_context(|| format!("setting the permissions of {}", dir.display()))
}

#[cfg(not(unix))]
pub(super) fn make_readable(_: &Path) -> anyhow::Result<()> {
    Ok(())
}
