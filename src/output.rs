//! Output: the write stage. Pages are written into a staging folder beside the output folder,
//! which replaces the old output only once everything succeeded, so a failed or interrupted
//! build leaves the previous `public/` as it was.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

/// Writes `bytes` to `rel` under `dir` through a temporary file and a rename, so a reader sees
/// the old file or the new one, never half of one (`serve` rewrites pages while they are read).
pub fn write_atomic(dir: &Path, rel: &str, bytes: &[u8]) -> io::Result<()> {
    write_atomic_with(dir, rel, |out| out.write_all(bytes))
}

/// [`write_atomic`], with the bytes written by `write`.
pub fn write_atomic_with(
    dir: &Path,
    rel: &str,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let path = dir.join(rel);
    let parent = path.parent().unwrap_or(dir);
    fs::create_dir_all(parent)?;
    let mut tmp = io::BufWriter::new(tempfile::NamedTempFile::new_in(parent)?);
    write(&mut tmp)?;
    let tmp = tmp.into_inner().map_err(io::IntoInnerError::into_error)?;
    tmp.persist(&path).map(|_| ()).map_err(|e| e.error)
}

/// Marks a folder as written by coursebook, so a build never replaces a folder it did not make.
pub const MARKER: &str = ".coursebook-output";

/// A scratch folder in the system's temporary folder, removed when dropped: named
/// `PREFIX-PID-RANDOM`, so that one left by a process killed before it could remove it is
/// removed by the next call with the same prefix.
pub fn scratch_dir(prefix: &str) -> io::Result<tempfile::TempDir> {
    remove_abandoned_scratch(prefix);
    let prefix = format!("{prefix}-");
    tempfile::Builder::new()
        .prefix(&format!("{prefix}{}-", std::process::id()))
        .tempdir_in(std::env::temp_dir())
}

/// Removes the scratch folders named `PREFIX-PID-RANDOM` whose process has ended.
pub fn remove_abandoned_scratch(prefix: &str) {
    remove_abandoned(&std::env::temp_dir(), &format!("{prefix}-"));
}

/// Removes the staging folders (and old sites moved aside) that builds killed before they
/// could clean up left in `parent`: those whose build is no longer running. Each is named
/// `.NAME.staging-PID-RANDOM` (an old site moved aside adds `.old`), so the pid comes with
/// the folder itself, whatever moment the build was killed at. A folder of a build still
/// running, or one named otherwise, stays.
fn remove_abandoned(parent: &Path, prefix: &str) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = name.strip_prefix(prefix) else {
            continue;
        };
        let pid = rest
            .split('-')
            .next()
            .and_then(|pid| pid.parse::<u32>().ok());
        if pid.is_some_and(|pid| !is_running(pid)) {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

/// Whether process `pid` exists (Linux's /proc; elsewhere, assume it does).
fn is_running(pid: u32) -> bool {
    let proc = Path::new("/proc");
    !proc.join("self").exists() || proc.join(pid.to_string()).exists()
}

pub struct Staging {
    dir: tempfile::TempDir,
    target: PathBuf,
}

impl Staging {
    /// Creates an empty staging folder next to `target`.
    pub fn new(target: &Path) -> anyhow::Result<Staging> {
        check_replaceable(target)?;
        let parent = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        fs::create_dir_all(&parent).with_context(|| format!("creating {}", parent.display()))?;
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        let prefix = format!(".{name}.staging-");
        remove_abandoned(&parent, &prefix);
        let dir = tempfile::Builder::new()
            .prefix(&format!("{prefix}{}-", std::process::id()))
            .tempdir_in(&parent)
            .with_context(|| format!("creating a staging folder in {}", parent.display()))?;
        fs::write(dir.path().join(MARKER), b"")
            .with_context(|| format!("writing in {}", dir.path().display()))?;
        Ok(Staging {
            dir,
            target: target.to_path_buf(),
        })
    }

    /// Writes one file at `rel` (a `/`-separated path) inside the staging folder.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        self.write_with(rel, |out| out.write_all(bytes))
    }

    /// [`Staging::write`], with the bytes written by `write`.
    pub fn write_with(
        &self,
        rel: &str,
        write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    ) -> io::Result<()> {
        let path = self.dir.path().join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        let mut file = io::BufWriter::new(fs::File::create(&path)?);
        write(&mut file)?;
        file.flush()
    }

    /// Copies a file into the staging folder.
    pub fn copy(&self, from: &Path, rel: &str) -> io::Result<()> {
        let path = self.dir.path().join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::copy(from, &path).map(|_| ())
    }

    /// Replaces the target with the staged folder. The old output is moved aside first and
    /// deleted last, so at every moment one complete site exists on disk.
    pub fn commit(self) -> anyhow::Result<()> {
        let staged = self.dir.keep();
        let target = &self.target;
        if target.exists() && exchange(&staged, target).is_ok() {
            // One step: `target` is the new site, and the staging folder holds the old one,
            // so a build killed from here on leaves the new site and a folder the next build
            // removes (see `remove_abandoned`).
            return remove_old_site(&staged);
        }
        // Elsewhere (or on a file system without the exchange): old site aside, new site in.
        // A kill between the two renames would leave no site at `target`.
        if target.exists() {
            let aside = staged.with_file_name(format!(
                "{}.old",
                staged
                    .file_name()
                    .map(|n| n.to_string_lossy())
                    .unwrap_or_default()
            ));
            fs::rename(target, &aside)
                .with_context(|| format!("moving the old {} aside", target.display()))?;
            if let Err(e) = fs::rename(&staged, target) {
                // Put the previous site back before reporting.
                let _ = fs::rename(&aside, target);
                let _ = fs::remove_dir_all(&staged);
                return Err(e)
                    .with_context(|| format!("moving the new site into {}", target.display()));
            }
            remove_old_site(&aside)?;
        } else {
            fs::rename(&staged, target)
                .with_context(|| format!("moving the new site into {}", target.display()))?;
        }
        Ok(())
    }
}

/// Removes the previous site once the new one is in place. Another build may have removed it
/// already (see `remove_abandoned`).
fn remove_old_site(old: &Path) -> anyhow::Result<()> {
    match fs::remove_dir_all(old) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => {
            Err(e).with_context(|| format!("removing the old site at {}", old.display()))
        }
        _ => Ok(()),
    }
}

/// Swaps two paths atomically (Linux's renameat2 with RENAME_EXCHANGE).
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::ErrorKind::Unsupported.into())
}

/// Refuses to replace a non-empty folder that coursebook did not write (a mistyped `--out`
/// must not delete an author's files).
fn check_replaceable(target: &Path) -> anyhow::Result<()> {
    if !target.exists() {
        return Ok(());
    }
    if !target.is_dir() {
        bail!(
            "output path {} exists and is not a folder",
            target.display()
        );
    }
    let mut entries =
        fs::read_dir(target).with_context(|| format!("reading {}", target.display()))?;
    let empty = entries.next().is_none();
    if !empty && !target.join(MARKER).exists() {
        bail!(
            "refusing to replace {}: it is not empty and was not written by coursebook (no `{MARKER}` file); choose another --out or delete it",
            target.display()
        );
    }
    Ok(())
}

/// A sitemap of the given output paths. With a site URL the locations are absolute, as the
/// sitemap protocol asks; without one they are relative to the site root.
pub fn sitemap(site_base: Option<&str>, paths: &[String]) -> String {
    let base = site_base.unwrap_or_default();
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for path in paths {
        xml.push_str("  <url><loc>");
        xml.push_str(&crate::html::escape_html(&format!("{base}{path}")));
        xml.push_str("</loc></url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}
