//! Cache: where coursebook keeps work it can reuse between runs (diagram renders, verify
//! results): `$COURSEBOOK_CACHE_DIR`, else `$XDG_CACHE_HOME/coursebook`, else
//! `~/.cache/coursebook`. Everything in it can be deleted at any time.

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

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

/// The cache file for work identified by `key`: `<dir(kind)>/<hash of key>.<ext>`. The key
/// must name everything the result depends on (the renderer's version too).
pub fn file(kind: &str, key: impl Hash, ext: &str) -> Option<PathBuf> {
    let mut hasher = std::hash::DefaultHasher::new();
    key.hash(&mut hasher);
    Some(dir(kind)?.join(format!("{:016x}.{ext}", hasher.finish())))
}

/// Keeps `bytes` at `path`, written whole then renamed. Best effort: a cache that cannot be
/// written only costs doing the work again next time.
pub fn store(path: &Path, bytes: &[u8]) {
    if let (Some(dir), Some(name)) = (path.parent(), path.file_name().and_then(|n| n.to_str())) {
        let _ = crate::output::write_atomic(dir, name, bytes);
    }
}
