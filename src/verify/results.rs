//! The last verify run's results, kept with the course so the site can show which snippets
//! are proven.
//!
//! `verify` [`save`]s one [`Record`] per snippet it ran (or found cached) into
//! `.coursebook/verify-results.json`; the build [`load`]s them and the Markdown stage puts a
//! badge under each tagged block whose [`key`] has a record. The key is a hash of the block's
//! language and text, so an edited block loses its badge instead of showing a stale one. The
//! file is meant to be committed: pretty JSON with sorted keys, so a rerun diffs line by line.
//! This module is plain data: nothing here talks to Docker.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

/// One snippet's last result.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, PartialEq)]
pub struct Record {
    /// `pass`, `fail`, `timeout`, `oom` or `error`.
    pub status: String,
    /// The day it last ran (or was found cached), `YYYY-MM-DD`, UTC.
    pub date: String,
    /// The image it ran on.
    pub image: String,
}

/// Records by [`key`].
pub type Results = BTreeMap<String, Record>;

/// Stable key of a block: 64-bit FNV-1a of `lang + "\n" + code`, as 16 hex digits. 64 bits
/// rather than [`crate::slug::stable_hash`]'s 32: with thousands of blocks, 32-bit keys would
/// collide often enough to put one block's badge on another.
pub fn key(lang: &str, code: &str) -> String {
    let bytes = lang
        .bytes()
        .chain(std::iter::once(b'\n'))
        .chain(code.bytes());
    format!("{:016x}", fnv1a_64(bytes))
}

pub(crate) fn fnv1a_64(bytes: impl Iterator<Item = u8>) -> u64 {
    bytes.fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// Where results live: `<root>/.coursebook/verify-results.json`.
pub fn file(root: &Path) -> PathBuf {
    root.join(".coursebook").join("verify-results.json")
}

/// The file as shown to the author, relative to the course root.
fn shown() -> PathBuf {
    Path::new(".coursebook").join("verify-results.json")
}

/// Today's date, UTC, `YYYY-MM-DD`.
pub fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    civil_date(secs / 86_400)
}

/// The proleptic Gregorian date `days` after 1970-01-01 (Howard Hinnant's `civil_from_days`,
/// <https://howardhinnant.github.io/date_algorithms.html#civil_from_days>): a date is all
/// `verify` and the feed need, so no date crate.
pub(crate) fn civil_date(days: u64) -> String {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z % 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// Merges this run into the file (written atomically: a temporary file renamed over it).
///
/// `cached` records (passed before, unchanged, not rerun) keep the existing record's date, so
/// the badge says when the snippet last really ran. With `prune` (a full run) keys not in
/// `records` are dropped: blocks that were edited, deleted or are now skipped. A block whose
/// text appears twice in one run keeps the worse result: a failing copy is never shown as
/// proven.
pub fn save(root: &Path, records: Vec<(String, Record, bool)>, prune: bool) -> std::io::Result<()> {
    // A file that does not parse is replaced: the run that is being saved is the truth now.
    let old = load(root).unwrap_or_default();
    let mut merged = if prune { Results::new() } else { old.clone() };
    let mut this_run = std::collections::HashSet::new();
    for (key, mut record, cached) in records {
        if cached && let Some(before) = old.get(&key) {
            record.date.clone_from(&before.date);
        }
        let fresh = this_run.insert(key.clone());
        if !fresh && merged.get(&key).is_some_and(|r| r.status != "pass") {
            continue;
        }
        merged.insert(key, record);
    }
    let path = file(root);
    let dir = path.parent().unwrap_or(root);
    std::fs::create_dir_all(dir)?;
    let mut text = serde_json::to_string_pretty(&merged).map_err(std::io::Error::other)?;
    text.push('\n');
    let mut temp = tempfile::NamedTempFile::new_in(dir)?;
    temp.write_all(text.as_bytes())?;
    temp.persist(&path).map_err(|e| e.error)?;
    Ok(())
}

/// The results, or none when there is no file. The error names the file and says what is
/// wrong with it; the build shows it as a warning and goes on without badges.
pub fn load(root: &Path) -> Result<Results, String> {
    let text = match std::fs::read_to_string(file(root)) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Results::new()),
        Err(e) => return Err(format!("cannot read `{}`: {e}", shown().display())),
    };
    serde_json::from_str(&text)
        .map_err(|e| format!("`{}` is not a verify results file: {e}", shown().display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates_match_the_calendar() {
        assert_eq!(civil_date(0), "1970-01-01");
        assert_eq!(civil_date(11_016), "2000-02-29");
        assert_eq!(civil_date(11_017), "2000-03-01");
        assert_eq!(civil_date(20_415), "2025-11-23");
        assert_eq!(civil_date(20_780), "2026-11-23");
        assert_eq!(civil_date(47_541), "2100-03-01");
    }

    #[test]
    fn keys_are_fnv1a_64_of_language_and_text() {
        // The FNV-1a 64 test vectors (http://www.isthe.com/chongo/src/fnv/test_fnv.c).
        assert_eq!(fnv1a_64("a".bytes()), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a_64("foobar".bytes()), 0x8594_4171_f739_67e8);
        assert_eq!(key("sh", "echo hi\n"), "d741f21676a7cf02");
        assert_eq!(key("sh", "echo hi\n"), key("sh", "echo hi\n"));
        assert_ne!(key("sh", "echo hi\n"), key("bash", "echo hi\n"));
        assert_ne!(key("sh", "echo hi\n"), key("sh", "echo hi!\n"));
    }

    fn record(status: &str, date: &str) -> Record {
        Record {
            status: status.into(),
            date: date.into(),
            image: "busybox".into(),
        }
    }

    #[test]
    fn cached_keeps_its_date_prune_drops_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        save(
            root,
            vec![
                ("a".into(), record("pass", "2026-01-01"), false),
                ("b".into(), record("fail", "2026-01-01"), false),
            ],
            true,
        )
        .unwrap();
        // A partial run: `a` cached (keeps its date), `c` new; `b` stays.
        save(
            root,
            vec![
                ("a".into(), record("pass", "2026-02-02"), true),
                ("c".into(), record("pass", "2026-02-02"), true),
            ],
            false,
        )
        .unwrap();
        let got = load(root).unwrap();
        assert_eq!(got["a"], record("pass", "2026-01-01"));
        assert_eq!(got["b"], record("fail", "2026-01-01"));
        assert_eq!(got["c"], record("pass", "2026-02-02"));
        // A full run drops what it did not see.
        save(
            root,
            vec![("c".into(), record("pass", "2026-03-03"), false)],
            true,
        )
        .unwrap();
        let got = load(root).unwrap();
        assert_eq!(got.keys().collect::<Vec<_>>(), ["c"]);
        assert_eq!(got["c"].date, "2026-03-03");
        let text = std::fs::read_to_string(file(root)).unwrap();
        assert!(
            text.ends_with("}\n") && text.contains("\n  \"c\": {\n"),
            "{text}"
        );
    }

    #[test]
    fn a_failing_copy_of_a_block_wins() {
        let dir = tempfile::tempdir().unwrap();
        save(
            dir.path(),
            vec![
                ("k".into(), record("fail", "2026-01-01"), false),
                ("k".into(), record("pass", "2026-01-01"), false),
            ],
            true,
        )
        .unwrap();
        assert_eq!(load(dir.path()).unwrap()["k"].status, "fail");
    }

    #[test]
    fn no_file_is_no_results_and_a_bad_one_is_named() {
        let dir = tempfile::tempdir().unwrap();
        assert!(load(dir.path()).unwrap().is_empty());
        std::fs::create_dir_all(dir.path().join(".coursebook")).unwrap();
        std::fs::write(file(dir.path()), "{ not json").unwrap();
        let err = load(dir.path()).unwrap_err();
        assert!(err.contains("verify-results.json"), "{err}");
    }
}
