//! `scripts/check-yanked` (run by `scripts/test`, so by CI) fails on a Cargo.lock that locks a
//! yanked crates.io version and passes one that does not, asking the crates.io index. Needs
//! Python 3.11 (`tomllib`) and the index; without them the test skips and says why, except
//! under CI, where it fails.

use std::path::Path;
use std::process::Command;

const CRATES_IO: &str = "registry+https://github.com/rust-lang/crates.io-index";

/// Runs the script on a lock file naming `name` `version`; its exit code and output.
fn check(name: &str, version: &str) -> Option<(i32, String)> {
    let python = Command::new("python3")
        .args(["-c", "import tomllib"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !python {
        let reason = "no Python 3.11 with tomllib";
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("{reason}: under CI this test must run");
        }
        eprintln!("skipped: {reason}");
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    let lock = dir.path().join("Cargo.lock");
    std::fs::write(
        &lock,
        format!(
            "version = 4\n\n[[package]]\nname = \"{name}\"\nversion = \"{version}\"\nsource = \"{CRATES_IO}\"\n"
        ),
    )
    .unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/check-yanked");
    let out = Command::new("python3")
        .arg(script)
        .arg(&lock)
        .output()
        .expect("running scripts/check-yanked");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    Some((out.status.code().unwrap_or(-1), text))
}

#[test]
fn a_lock_with_a_yanked_version_fails_and_one_without_passes() {
    // The RustSec database's placeholder on crates.io: published once, then yanked.
    let Some((code, text)) = check("rustsec-advisory-db", "0.0.0") else {
        return;
    };
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("rustsec-advisory-db"), "{text}");

    let Some((code, text)) = check("itoa", "1.0.15") else {
        return;
    };
    assert_eq!(code, 0, "{text}");
}
