//! `diagrams --png`: exports every mermaid diagram of the course as a PNG (resvg, 2x), for
//! slides and social cards. Reuses the load stage and the diagram renderer of the build.

use std::path::{Path, PathBuf};

use anyhow::Context;
use rayon::prelude::*;

use crate::config::Config;
use crate::content;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::diagram;
use crate::markdown;

/// Writes `<page>-diagram-<n>.png` (and `-dark.png` with `dark`) into `out_dir`; returns the
/// files written, or the diagnostics of the diagrams that failed.
pub fn export_pngs(
    root: &Path,
    out_dir: &Path,
    dark: bool,
) -> anyhow::Result<Result<Vec<PathBuf>, Vec<Diagnostic>>> {
    let config = match Config::load(root) {
        Ok(config) => config,
        Err(problems) => return Ok(Err(problems)),
    };
    let diagnostics = Diagnostics::default();
    let Some(course) = content::load(&config.content_path(root), root, &diagnostics) else {
        return Ok(Err(diagnostics.into_sorted()));
    };
    std::fs::create_dir_all(out_dir).with_context(|| format!("creating {}", out_dir.display()))?;
    let mut jobs = Vec::new();
    for page in course.pages() {
        for (i, source) in markdown::mermaid_sources(page.body())
            .into_iter()
            .enumerate()
        {
            jobs.push((page, diagram::diagram_id(&page.output, i + 1), source));
        }
    }
    let themes: &[bool] = if dark { &[false, true] } else { &[false] };
    let written: Vec<anyhow::Result<Option<PathBuf>>> = jobs
        .par_iter()
        .flat_map_iter(|job| themes.iter().map(move |&d| (job, d)))
        .map(
            |((page, id, source), dark)| match diagram::render_png(source, dark, id) {
                Ok(png) => {
                    let name = if dark {
                        format!("{id}-dark.png")
                    } else {
                        format!("{id}.png")
                    };
                    let path = out_dir.join(name);
                    std::fs::write(&path, png)
                        .with_context(|| format!("writing {}", path.display()))?;
                    Ok(Some(path))
                }
                Err(e) => {
                    diagnostics.push(
                        Diagnostic::error(format!("mermaid diagram `{id}` failed: {}", e.message))
                            .in_file(&page.display),
                    );
                    Ok(None)
                }
            },
        )
        .collect();
    let mut files = Vec::new();
    for result in written {
        files.extend(result?);
    }
    let problems = diagnostics.into_sorted();
    if problems.is_empty() {
        files.sort();
        Ok(Ok(files))
    } else {
        Ok(Err(problems))
    }
}
