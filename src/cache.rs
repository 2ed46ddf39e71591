//! Cache: where coursebook keeps work it can reuse between runs (diagram renders, verify
//! results): `$COURSEBOOK_CACHE_DIR`, else `$XDG_CACHE_HOME/coursebook`, else
//! `~/.cache/coursebook`. Everything in it can be deleted at any time.

use std::path::PathBuf;

/// The folder for one kind of cached work, such as `diagrams`.
pub fn dir(kind: &str) -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("COURSEBOOK_CACHE_DIR") {
        return Some(PathBuf::from(dir).join(kind));
    }
    let base = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))?;
    Some(base.join("coursebook").join(kind))
}
