//! `fix-encoding`: repairs mis-decoded text in place (see [`crate::encoding`]).
//!
//! Only reversible damage is rewritten; text whose bytes were lost is reported and left alone,
//! because any repair would be a guess.

use std::path::Path;

use anyhow::Context;
use similar::TextDiff;

use crate::encoding::{self, MojibakeKind};

/// What happened to one file.
#[derive(Debug, Default)]
pub struct FileReport {
    pub repaired: usize,
    pub lossy: usize,
}

/// Repairs `path` (or, with `dry_run`, prints the diff it would apply). Every finding is printed
/// as `path:line:col`.
pub fn fix_file(
    path: &Path,
    dry_run: bool,
    out: &mut impl std::io::Write,
) -> anyhow::Result<FileReport> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let (fixed, findings) = encoding::repair(&text);
    let mut report = FileReport::default();
    for f in &findings {
        let at = format!("{}:{}:{}", path.display(), f.line, f.column);
        match (&f.repaired, f.kind) {
            (Some(new), _) => {
                report.repaired += 1;
                writeln!(out, "{at}: `{}` → `{new}`", f.original)?;
            }
            (None, MojibakeKind::Lossy) | (None, _) => {
                report.lossy += 1;
                writeln!(
                    out,
                    "{at}: `{}` cannot be repaired: bytes were lost; retype it",
                    f.original
                )?;
            }
        }
    }
    if report.repaired == 0 {
        return Ok(report);
    }
    if dry_run {
        let name = path.display().to_string();
        let diff = TextDiff::from_lines(&text, &fixed);
        write!(
            out,
            "{}",
            diff.unified_diff().context_radius(1).header(&name, &name)
        )?;
    } else {
        write_in_place(path, &fixed)?;
    }
    Ok(report)
}

/// Writes through a temporary file in the same folder, so a crash never leaves half a lesson.
fn write_in_place(path: &Path, text: &str) -> anyhow::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("writing beside {}", path.display()))?;
    std::io::Write::write_all(&mut tmp, text.as_bytes())?;
    if let Ok(meta) = std::fs::metadata(path) {
        let _ = std::fs::set_permissions(tmp.path(), meta.permissions());
    }
    tmp.persist(path)
        .with_context(|| format!("replacing {}", path.display()))?;
    Ok(())
}
