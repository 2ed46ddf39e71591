//! Import's names: folder slugs, lesson file stems and their numbers, made unique the way
//! their URLs will be.

use std::collections::HashSet;
use std::path::Path;

use crate::content;

/// Digits in the numbers of `count` items: at least two, so `10-` sorts after `09-`.
pub(super) fn digits(count: usize) -> usize {
    count.to_string().len().max(2)
}

/// `base`, or `base-2`, `base-3`... when it is taken (compared as the URL slug will be).
pub(super) fn unique(taken: &mut HashSet<String>, base: &str) -> String {
    let mut candidate = base.to_string();
    let mut n = 2;
    while !taken.insert(content::slugify_name(&format!("0-{candidate}"))) {
        candidate = format!("{base}-{n}");
        n += 1;
    }
    candidate
}

/// A folder name from a title: lowercase letters and digits, `-` between words.
pub(super) fn slug(title: &str) -> String {
    let mut out = String::new();
    for c in title.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-');
    if out.is_empty() {
        "module".into()
    } else {
        out.into()
    }
}

/// The chapter's file name without `.md` and without a number in front of it (`03-setup`
/// → `setup`). `index` would be the module's own page, so it takes its folder's name.
pub(super) fn lesson_stem(source: &Path) -> String {
    let stem = source
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let unnumbered = stem
        .trim_start_matches(|c: char| c.is_ascii_digit())
        .trim_start_matches(['-', '_', '.', ' ']);
    let stem = if unnumbered.len() < stem.len() && !unnumbered.is_empty() {
        unnumbered.to_string()
    } else {
        stem
    };
    if stem.eq_ignore_ascii_case("index") || stem.eq_ignore_ascii_case("_index") {
        let parent = source
            .parent()
            .and_then(Path::file_name)
            .map(|n| n.to_string_lossy().into_owned());
        return parent.unwrap_or_else(|| "overview".into());
    }
    stem
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lesson_stems_keep_the_file_name_without_its_number() {
        assert_eq!(lesson_stem(Path::new("guide/03-setup.md")), "setup");
        assert_eq!(lesson_stem(Path::new("chapter_1.md")), "chapter_1");
        assert_eq!(lesson_stem(Path::new("guide/README.md")), "README");
        assert_eq!(lesson_stem(Path::new("guide/index.md")), "guide");
        assert_eq!(lesson_stem(Path::new("01.md")), "01");
    }

    #[test]
    fn folder_slugs_are_lowercase_words() {
        assert_eq!(slug("User Guide"), "user-guide");
        assert_eq!(slug("The `--rm` flag!"), "the-rm-flag");
        assert_eq!(slug("Référence"), "référence");
        assert_eq!(slug("?!"), "module");
    }

    #[test]
    fn names_are_made_unique_as_urls() {
        let mut taken = HashSet::new();
        assert_eq!(unique(&mut taken, "README"), "README");
        assert_eq!(unique(&mut taken, "readme"), "readme-2");
    }
}
