//! Test harness: a throwaway course folder, the real `coursebook` binary run on it, and
//! the output read back as files and parsed HTML. Tests read like specifications:
//!
//! ```ignore
//! let course = Course::new().lesson("01-a/01-x.md", "# X");
//! let run = course.build();
//! run.assert_success();
//! ```
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

use scraper::{Html, Selector};

pub struct Course {
    dir: tempfile::TempDir,
}

impl Course {
    /// An empty course with a minimal `book.toml`.
    pub fn new() -> Course {
        Course::bare().file("book.toml", "[book]\ntitle = \"Test Course\"\n")
    }

    /// An empty folder, not even a `book.toml`.
    pub fn bare() -> Course {
        Course {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    /// Copies a fixture course from `tests/fixtures/<name>`.
    pub fn fixture(name: &str) -> Course {
        let course = Course::bare();
        let src = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name);
        copy_dir(&src, course.path());
        course
    }

    pub fn file(self, rel: &str, text: impl AsRef<[u8]>) -> Course {
        let path = self.path().join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(&path, text).expect("write");
        self
    }

    /// A file under `content/`.
    pub fn lesson(self, rel: &str, text: impl AsRef<[u8]>) -> Course {
        self.file(&format!("content/{rel}"), text)
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn run(&self, args: &[&str]) -> Run {
        run_in(self.path(), args)
    }

    pub fn build(&self) -> Run {
        self.run(&["build", "--root", "."])
    }

    pub fn build_strict(&self) -> Run {
        self.run(&["build", "--root", ".", "--strict"])
    }

    pub fn read(&self, rel: &str) -> String {
        let path = self.path().join(rel);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.path().join(rel).exists()
    }

    /// A page of the built site, parsed.
    pub fn page(&self, rel: &str) -> Page {
        Page(Html::parse_document(&self.read(&format!("public/{rel}"))))
    }
}

/// The bundled course (this repository's `content/`), built strictly into `<tmp>/<folder>`
/// (a sub-folder, so that the temporary folder can be served as the site's parent). Returns
/// the temporary folder, which removes the site when dropped, and the site's folder.
pub fn build_bundled(folder: &str) -> (tempfile::TempDir, PathBuf) {
    let out = tempfile::tempdir().expect("temp dir");
    let site = out.path().join(folder);
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    run_in(
        repo,
        &[
            "build",
            "--root",
            ".",
            "--strict",
            "--out",
            site.to_str().unwrap(),
        ],
    )
    .assert_success()
    .assert_no_warnings();
    (out, site)
}

pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_coursebook"))
}

pub fn run_in(dir: &Path, args: &[&str]) -> Run {
    // Diagram renders and cards are cached outside the course; tests keep theirs apart from
    // the user's.
    run_with_cache(
        dir,
        args,
        &std::env::temp_dir().join("coursebook-test-cache"),
    )
}

/// Runs coursebook in `dir` with its cache in `cache` (for tests of the cache itself).
pub fn run_with_cache(dir: &Path, args: &[&str], cache: &Path) -> Run {
    let output = Command::new(bin())
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("COURSEBOOK_CACHE_DIR", cache)
        .output()
        .expect("run coursebook");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn assert_success(&self) -> &Run {
        assert_eq!(self.code, 0, "expected success; stderr:\n{}", self.stderr);
        self
    }

    pub fn assert_code(&self, code: i32) -> &Run {
        assert_eq!(
            self.code, code,
            "expected exit {code}; stderr:\n{}",
            self.stderr
        );
        self
    }

    /// The diagnostics part of stderr: everything before the final summary lines, which hold
    /// timings and paths.
    pub fn diagnostics(&self) -> String {
        self.stderr
            .lines()
            .filter(|l| {
                !l.starts_with("built ")
                    && !l.starts_with("checked ")
                    && !l.starts_with("build failed")
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    pub fn assert_stderr_contains(&self, needle: &str) -> &Run {
        assert!(
            self.stderr.contains(needle),
            "stderr lacks {needle:?}:\n{}",
            self.stderr
        );
        self
    }

    pub fn assert_no_warnings(&self) -> &Run {
        let diagnostics = self.diagnostics();
        assert!(
            !diagnostics.contains("warning:"),
            "unexpected warnings:\n{}",
            self.stderr
        );
        assert!(
            !diagnostics.contains("error:"),
            "unexpected errors:\n{}",
            self.stderr
        );
        self
    }
}

pub struct Page(pub Html);

impl Page {
    pub fn select(&self, css: &str) -> Vec<scraper::ElementRef<'_>> {
        let selector = Selector::parse(css).unwrap_or_else(|e| panic!("bad selector {css}: {e:?}"));
        self.0.select(&selector).collect()
    }

    pub fn one(&self, css: &str) -> scraper::ElementRef<'_> {
        let found = self.select(css);
        assert_eq!(
            found.len(),
            1,
            "expected one `{css}`, found {}",
            found.len()
        );
        found[0]
    }

    pub fn texts(&self, css: &str) -> Vec<String> {
        self.select(css).iter().map(|e| text(e)).collect()
    }

    pub fn attrs(&self, css: &str, attr: &str) -> Vec<String> {
        self.select(css)
            .iter()
            .filter_map(|e| e.value().attr(attr).map(str::to_string))
            .collect()
    }

    pub fn html(&self) -> String {
        self.0.html()
    }
}

pub fn text(e: &scraper::ElementRef<'_>) -> String {
    e.text().collect::<String>().trim().to_string()
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk");
        let rel = entry.path().strip_prefix(from).expect("prefix");
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &dest).expect("copy");
        }
    }
}

/// The seed lessons shipped beside the repository (`../shared/seeds`), if present.
pub fn seeds_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds");
    dir.is_dir().then_some(dir)
}
