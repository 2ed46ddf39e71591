//! Front matter (TOML `+++` and YAML `---`): any text splits into front matter and body, or
//! is a diagnostic; never a panic.
#![no_main]

use std::path::Path;
use std::sync::Arc;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let source: Arc<str> = Arc::from(text);
    if let Ok(split) =
        coursebook::frontmatter::split(text, Path::new("content/01-m/01-x.md"), &source)
    {
        assert!(split.body_offset <= text.len());
        assert!(text.ends_with(split.body));
    }
});
