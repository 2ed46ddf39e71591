//! The search index is Pagefind's, byte for byte: coursebook builds it with a patched
//! Pagefind (vendor/pagefind: same index, less memory), so every data file it writes is
//! compared with what stock Pagefind 1.6.0's own CLI (npm `pagefind`, installed by
//! `scripts/test`) makes from the same pages.

mod common;
#[path = "common/node.rs"]
mod node;

use common::{Course, bin};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

/// Every file under `dir` that the browser fetches to search (Pagefind's data files), by
/// path, decompressed: the entry file, the meta index, and the fragment, index and filter
/// chunks. (The compressed bytes depend on the zlib the binary was built with: Pagefind's
/// CLI and coursebook use different ones.)
fn data_files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).expect("read dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let rel = path
                .strip_prefix(dir)
                .expect("inside")
                .to_string_lossy()
                .replace('\\', "/");
            let data = rel == "pagefind-entry.json"
                || rel.ends_with(".pf_meta")
                || rel.ends_with(".pf_fragment")
                || rel.ends_with(".pf_index")
                || rel.ends_with(".pf_filter");
            if data {
                let bytes = std::fs::read(&path).expect("read");
                let bytes = if rel.ends_with(".json") {
                    bytes
                } else {
                    let mut plain = Vec::new();
                    std::io::Read::read_to_end(
                        &mut flate2::read::GzDecoder::new(bytes.as_slice()),
                        &mut plain,
                    )
                    .unwrap_or_else(|e| panic!("{rel} is not gzip: {e}"));
                    plain
                };
                files.insert(rel, bytes);
            }
        }
    }
    files
}

/// Builds `course`, keeping the pages it gives Pagefind, indexes those pages again with
/// Pagefind's CLI, and compares the two sets of data files.
fn assert_same_index_as_stock_pagefind(course: &Course, language: &str) {
    let Some(cli) = node::tool("@pagefind/linux-x64/bin/pagefind_extended") else {
        return;
    };
    let pages = tempfile::tempdir().expect("temp dir");
    let run = Command::new(bin())
        .arg("build")
        .current_dir(course.path())
        .env("NO_COLOR", "1")
        .env(
            "COURSEBOOK_CACHE_DIR",
            std::env::temp_dir().join("coursebook-test-cache"),
        )
        .env("COURSEBOOK_SEARCH_PAGES", pages.path())
        .output()
        .expect("run coursebook");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let stock = tempfile::tempdir().expect("temp dir");
    let out = Command::new(&cli)
        .arg("--site")
        .arg(pages.path())
        .arg("--output-path")
        .arg(stock.path())
        .args(["--keep-index-url", "--force-language", language, "--quiet"])
        .output()
        .expect("run pagefind");
    assert!(
        out.status.success(),
        "pagefind: {}",
        String::from_utf8_lossy(&out.stderr)
    );

    let ours = data_files(&course.path().join("public/pagefind"));
    let theirs = data_files(stock.path());
    assert!(
        theirs.keys().any(|f| f.ends_with(".pf_index")),
        "stock Pagefind wrote no index: {:?}",
        theirs.keys()
    );
    assert_eq!(
        ours.keys().collect::<Vec<_>>(),
        theirs.keys().collect::<Vec<_>>(),
        "the two indexes have different files"
    );
    for (name, bytes) in &theirs {
        assert!(ours[name] == *bytes, "{name} differs from stock Pagefind's");
    }
}

#[test]
fn the_search_index_is_the_one_stock_pagefind_makes() {
    let mut course = Course::new();
    // Two modules (the module filter), titles (metadata), code, words with diacritics
    // (Pagefind keeps their original forms as variants), and words on many pages.
    for (module, name) in [("01-basics", "Basics"), ("02-images", "Images")] {
        course = course.file(
            &format!("content/{module}/_index.md"),
            format!("+++\ntitle = \"{name}\"\n+++\n\nAbout {name}.\n"),
        );
        for n in 1..=6 {
            course = course.lesson(
                &format!("{module}/0{n}-lesson-{n}.md"),
                format!(
                    "# {name} lesson {n}\n\nA container runs an image; lesson {n} of {name}.\n\n\
                     ## Café naïve résumé\n\nThe café's naïve résumé, Ångström {n}.\n\n\
                     ```bash\ndocker compose down --volumes\ndocker run --rm -p 80{n}:80 nginx\n```\n"
                ),
            );
        }
    }
    assert_same_index_as_stock_pagefind(&course, "en");
}

#[test]
fn a_chinese_course_is_segmented_as_stock_pagefind_segments_it() {
    let course = Course::bare()
        .file(
            "book.toml",
            "[book]\ntitle = \"容器入门\"\nlanguage = \"zh-CN\"\n",
        )
        .lesson(
            "01-basics/01-images.md",
            "# 镜像与容器\n\n容器是镜像的运行实例。使用 `docker run` 启动一个新的容器。\n",
        )
        .lesson(
            "01-basics/02-volumes.md",
            "# 数据卷\n\n数据卷用于持久化容器中的数据，删除容器后数据仍然保留。\n",
        );
    assert_same_index_as_stock_pagefind(&course, "zh-cn");
}
