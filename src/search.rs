//! Search: the course's full-text index, made by Pagefind (used as a library) from each page's
//! rendered body in memory and written to `pagefind/` beside the pages.
//!
//! Pagefind splits its index into small chunks that the browser fetches as a query needs them,
//! so the first query stays small however large the course is. Browsers refuse `fetch` from
//! `file://` pages, so every data file is also written as a script (`NAME.js`, its bytes in
//! base64), and `search-runtime.js`, Pagefind's browser module turned into a classic script,
//! loads those instead of fetching when the page is a file. The theme's `search.js` drives it.

use std::sync::LazyLock;

use anyhow::{Context, bail};
use base64::Engine;
use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;
use rayon::prelude::*;
use regex::Regex;

use crate::html::escape_attr;

/// The folder the bundle is written to, under the output folder.
pub const DIR: &str = "pagefind";

/// One page to index.
pub struct Doc<'a> {
    /// The page's output path (`module/lesson.html`).
    pub output: &'a str,
    pub title: &'a str,
    /// The module's title, for the module filter and the results (none for the home page).
    pub module: Option<&'a str>,
    /// The page's rendered body.
    pub html: &'a str,
}

/// The search bundle: each file's path under the output folder, and its bytes.
pub fn bundle(docs: &[Doc<'_>], language: &str) -> anyhow::Result<Vec<(String, Vec<u8>)>> {
    let files = std::thread::scope(|scope| {
        // Pagefind's API is async and may be called from inside another runtime (serve's),
        // so it gets a thread and a runtime of its own.
        scope
            .spawn(|| {
                tokio::runtime::Builder::new_current_thread()
                    .build()
                    .context("starting the search indexer")?
                    .block_on(index(docs, language))
            })
            .join()
            .unwrap_or_else(|_| bail!("the search indexer stopped"))
    })?;
    let mut bundle = Vec::new();
    for file in files {
        let name = file.filename.to_string_lossy().replace('\\', "/");
        if name == "pagefind.js" {
            let script = String::from_utf8(file.contents).context("pagefind.js is not text")?;
            bundle.push((
                format!("{DIR}/search-runtime.js"),
                classic_script(&script)?.into_bytes(),
            ));
        } else if is_data(&name) {
            let wrapped = format!(
                "__coursebookPagefind({},\"{}\");\n",
                serde_json::to_string(&name)?,
                base64::engine::general_purpose::STANDARD.encode(&file.contents)
            );
            bundle.push((format!("{DIR}/{name}.js"), wrapped.into_bytes()));
            bundle.push((format!("{DIR}/{name}"), file.contents));
        }
        // Pagefind's own UIs are left out (the theme has its own), and so is its worker: the
        // theme searches on the page's thread (see search.js).
    }
    Ok(bundle)
}

async fn index(
    docs: &[Doc<'_>],
    language: &str,
) -> anyhow::Result<Vec<pagefind::api::SyntheticFile>> {
    // Pagefind parses the pages of a folder in parallel (on rayon's pool, shared with the
    // rendering), while `add_html_file` parses one page at a time under a lock and copies
    // each page's words: so each page is written to a scratch folder and the folder added.
    let scratch = crate::output::scratch_dir("coursebook-search")
        .context("making a scratch folder for the search indexer")?;
    // `COURSEBOOK_SEARCH_PAGES=DIR` keeps these pages in DIR: to see what search indexes, or
    // to index them with Pagefind's own CLI and compare (tests/search_index.rs does).
    let kept = std::env::var_os("COURSEBOOK_SEARCH_PAGES").map(std::path::PathBuf::from);
    let dir = kept.as_deref().unwrap_or(scratch.path());
    docs.par_iter()
        .try_for_each(|doc| {
            let path = dir.join(doc.output);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(&path, page(doc, language))
        })
        .with_context(|| format!("writing pages to index in {}", dir.display()))?;
    let options = PagefindServiceConfig::builder()
        // Links must name the file: `module/index.html`, not `module/`, which a browser
        // shows as a folder listing over file://.
        .keep_index_url(true)
        .force_language(language.to_lowercase())
        .build();
    let mut index = PagefindIndex::new(Some(options))?;
    index
        .add_directory(dir.to_string_lossy().into_owned(), None)
        .await
        .context("indexing the pages")?;
    index.get_files().await
}

/// What Pagefind reads for one page: the title as its heading (the results show it), the
/// module as a filter and as metadata, then the body.
fn page(doc: &Doc<'_>, language: &str) -> String {
    let module = doc.module.map_or_else(String::new, |m| {
        let m = escape_attr(m);
        format!(
            "<span data-pagefind-filter=\"module:{m}\" data-pagefind-meta=\"module:{m}\"></span>"
        )
    });
    // Headings end with a "#" link to themselves, which is not part of their title; a verify
    // badge ("✓ Verified 2026-11-24 on debian") says nothing about the lesson; the
    // highlighter's spans are most of a lesson's markup and none of its words.
    static NOISE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r#"<p class="verify-badge [^"]*"[^>]*>.*?</p>\n?| ?<a class="anchor" [^>]*>#</a>|</?span[^>]*>"#,
        )
        .expect("valid regex")
    });
    format!(
        "<!DOCTYPE html><html lang=\"{}\"><head><title>{title}</title></head><body><main data-pagefind-body><h1>{title}</h1>{module}{}</main></body></html>",
        escape_attr(language),
        NOISE.replace_all(doc.html, ""),
        title = escape_attr(doc.title),
    )
}

/// Files the browser fetches as a query needs them (Pagefind names them by content hash).
fn is_data(name: &str) -> bool {
    name == "pagefind-entry.json"
        || (name.starts_with("pagefind.") && name.ends_with(".pf_meta"))
        || (name.starts_with("wasm.") && name.ends_with(".pagefind"))
        || ["index/", "fragment/", "filter/"]
            .iter()
            .any(|dir| name.starts_with(dir))
}

/// Pagefind's browser module as a classic script that sets `window.coursebookPagefind`. A
/// module cannot be imported from a `file://` page, and its `fetch` is replaced there by one
/// that loads each file's script twin.
fn classic_script(module: &str) -> anyhow::Result<String> {
    // The module ends with its export list (minified or not): `export{createInstance,...};`.
    let exports = ["export{", "export {"]
        .iter()
        .filter_map(|e| module.rfind(e))
        .max()
        .filter(|&at| module[at..].contains("createInstance"));
    let Some(exports) = exports else {
        bail!("pagefind.js has no export list with createInstance: is this Pagefind 1.6?");
    };
    if !module.contains("import.meta.url") {
        bail!("pagefind.js no longer reads import.meta.url: is this Pagefind 1.6?");
    }
    let body = module[..exports].replace("import.meta.url", "coursebookScriptUrl");
    Ok(format!(
        "// Pagefind (MIT), adapted by coursebook to load from file:// pages.\n\
         (function () {{\n\"use strict\";\n{prelude}\n{body}\n\
         window.coursebookPagefind = {{ createInstance: createInstance }};\n}})();\n",
        prelude = FILE_FETCH,
    ))
}

/// `fetch` for Pagefind inside the classic script: the real one over HTTP; from a file, a
/// `<script>` per file, which hands its bytes to `__coursebookPagefind`.
const FILE_FETCH: &str = r#"var coursebookScriptUrl;
var waiting = {};
window.__coursebookPagefind = function (name, data) {
  var bytes = Uint8Array.from(atob(data), function (c) { return c.charCodeAt(0); });
  (waiting[name] || []).forEach(function (w) { w(new Response(bytes)); });
  delete waiting[name];
};
var fetch = location.protocol !== "file:" ? window.fetch.bind(window) : function (input) {
  var url = String(input).split("?")[0];
  var name = url.slice(url.lastIndexOf("/pagefind/") + "/pagefind/".length);
  return new Promise(function (resolve, reject) {
    (waiting[name] = waiting[name] || []).push(resolve);
    var script = document.createElement("script");
    script.src = url + ".js";
    script.onerror = function () { reject(new Error("cannot load " + url)); };
    script.onload = function () { script.remove(); };
    document.head.appendChild(script);
  });
};"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_indexed_page_keeps_the_words_and_drops_anchors_badges_and_highlighting() {
        let html = "<h2 id=\"run\">Run it <a class=\"anchor\" href=\"#run\">#</a></h2>\n\
            <pre><code><span class=\"c\">docker</span> compose down</code></pre>\n\
            <p class=\"verify-badge verify-pass\" data-status=\"pass\"><span aria-hidden=\"true\">✓</span> Verified <time datetime=\"2026-11-24\">2026-11-24</time> on <span class=\"verify-image\">debian</span></p>\n\
            <p>After the badge.</p>";
        let doc = Doc {
            output: "m/a.html",
            title: "A",
            module: Some("M"),
            html,
        };
        let page = page(&doc, "en");
        assert!(page.contains("<h2 id=\"run\">Run it</h2>"), "{page}");
        assert!(page.contains("<code>docker compose down</code>"), "{page}");
        assert!(page.contains("<p>After the badge.</p>"), "{page}");
        assert!(!page.contains("Verified"), "{page}");
    }
}
