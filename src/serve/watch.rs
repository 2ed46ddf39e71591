//! Watching the course: notify's events, filtered to what the course is made of and gathered
//! into batches. Editors save in several steps (write a temporary file, rename it over the
//! old one; or truncate, then write) and `git checkout` changes many files at once, so a batch
//! closes only after a short quiet spell.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::Context;
use notify::{EventKind, RecursiveMode, Watcher};

/// A batch closes after this long without a new event...
const QUIET: Duration = Duration::from_millis(8);
/// ...or once it is this old, so a long burst of changes still shows progress.
const LONGEST: Duration = Duration::from_millis(500);

pub struct Watched {
    pub content: PathBuf,
    pub themes: PathBuf,
    pub config: PathBuf,
    /// An MkDocs project's settings and `nav` (`mkdocs.yml`), beside `book.toml`.
    pub mkdocs: PathBuf,
    /// The last verify run's results (`.coursebook/verify-results.json`): the badges.
    pub results: PathBuf,
}

impl Watched {
    fn wants(&self, path: &Path) -> bool {
        if path == self.config || path == self.mkdocs || path == self.results {
            return true;
        }
        if !(path.starts_with(&self.content) || path.starts_with(&self.themes)) {
            return false;
        }
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default();
        // Editors' temporary and backup files are never part of the course.
        !(name.starts_with('.')
            || name.starts_with('#')
            || name.ends_with('~')
            || name.ends_with(".swp")
            || name.ends_with(".swx")
            || name.ends_with(".tmp")
            || name.contains("___jb_")
            || name == "4913")
    }
}

/// Starts watching; each item of the returned iterator is one batch of changed paths.
pub fn start(root: &Path, watched: Watched) -> anyhow::Result<mpsc::IntoIter<Vec<PathBuf>>> {
    let (events, raw) = mpsc::channel::<notify::Result<notify::Event>>();
    let mut watcher = notify::recommended_watcher(events).context("starting the file watcher")?;
    watcher
        .watch(&watched.content, RecursiveMode::Recursive)
        .with_context(|| format!("watching {}", watched.content.display()))?;
    if watched.themes.is_dir() {
        watcher
            .watch(&watched.themes, RecursiveMode::Recursive)
            .with_context(|| format!("watching {}", watched.themes.display()))?;
    }
    // The root itself, not its sub-folders: `book.toml` (also when saved by rename).
    watcher
        .watch(root, RecursiveMode::NonRecursive)
        .with_context(|| format!("watching {}", root.display()))?;
    // The results' folder appears with the first verify run; it is watched from then on.
    let results_dir = watched.results.parent().map(Path::to_path_buf);
    let mut results_watched = false;
    if let Some(dir) = &results_dir
        && dir.is_dir()
    {
        results_watched = watcher.watch(dir, RecursiveMode::NonRecursive).is_ok();
    }
    let (batches, out) = mpsc::channel();
    std::thread::spawn(move || {
        let mut watcher = watcher; // lives as long as this thread
        let mut batch = BTreeSet::new();
        let mut opened = Instant::now();
        loop {
            let next = if batch.is_empty() {
                raw.recv().map_err(|_| mpsc::RecvTimeoutError::Disconnected)
            } else {
                raw.recv_timeout(QUIET)
            };
            match next {
                Ok(Ok(event)) => {
                    if matches!(event.kind, EventKind::Access(_)) {
                        continue;
                    }
                    if batch.is_empty() {
                        opened = Instant::now();
                    }
                    if !results_watched
                        && let Some(dir) = &results_dir
                        && event.paths.contains(dir)
                        && dir.is_dir()
                    {
                        results_watched = watcher.watch(dir, RecursiveMode::NonRecursive).is_ok();
                        // Written before the watch began? Then it is news too.
                        if watched.results.is_file() {
                            batch.insert(watched.results.clone());
                        }
                    }
                    batch.extend(event.paths.into_iter().filter(|p| watched.wants(p)));
                    if batch.is_empty() || opened.elapsed() < LONGEST {
                        continue;
                    }
                }
                Ok(Err(e)) => {
                    eprintln!("watch error: {e}");
                    continue;
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => return,
            }
            if !batch.is_empty()
                && batches
                    .send(std::mem::take(&mut batch).into_iter().collect())
                    .is_err()
            {
                return;
            }
        }
    });
    Ok(out.into_iter())
}
