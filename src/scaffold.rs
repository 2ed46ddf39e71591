//! `new`: scaffolds a minimal course an author can build straight away and then edit.

use std::path::Path;

use anyhow::{Context, bail};

const FILES: &[(&str, &str)] = &[
    (
        "book.toml",
        r#"[book]
title = "My Course"
authors = []
description = "What learners will be able to do after this course."
language = "en"

[build]
# content = "content"
# output = "public"
# site-url = "https://example.com/my-course/"
"#,
    ),
    (".gitignore", "public/\n"),
    (
        "content/_index.md",
        r#"+++
title = "My Course"
description = "What learners will be able to do after this course."
+++

Welcome! This page is `content/_index.md`. Each folder in `content/` is a module and each
Markdown file in it a lesson, ordered by the number in front of its name.
"#,
    ),
    (
        "content/01-getting-started/_index.md",
        r#"+++
title = "Getting started"
description = "The first module."
+++

A module's `_index.md` introduces it; the lessons are listed below it automatically.
"#,
    ),
    (
        "content/01-getting-started/01-welcome.md",
        r#"+++
title = "Welcome"
description = "How this course works."
duration = 5
difficulty = "beginner"
objectives = ["Find your way around a lesson"]
+++

## What you will do

Every lesson starts with front matter (between the `+++` lines) and continues in Markdown.

```bash
echo "code blocks are highlighted at build time"
```

> [!TIP]
> Link to other lessons by their file: [the next lesson](02-next-steps.md).

## Self-check

- [ ] I can find the next lesson
"#,
    ),
    (
        "content/01-getting-started/02-next-steps.md",
        r#"+++
title = "Next steps"
duration = 5
+++

## Write your own lessons

Add a file such as `03-my-topic.md` next to this one and run `coursebook build` again.
"#,
    ),
];

/// Creates a course in `dir`, which must not exist or be empty.
pub fn new_course(dir: &Path) -> anyhow::Result<()> {
    if dir.exists() {
        let mut entries =
            std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))?;
        if entries.next().is_some() {
            bail!("{} already exists and is not empty", dir.display());
        }
    }
    for (rel, text) in FILES {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("creating {}", parent.display()))?;
        }
        std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(())
}
