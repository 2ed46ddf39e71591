//! Heading ids, compatible with GitHub's (github-slugger), so the in-page tables of contents
//! authors already write for GitHub (`[Docker vs VMs](#docker-vs-virtual-machines)`) resolve.

use std::collections::HashMap;

/// GitHub's slug of a heading's text: lowercased; letters, digits, marks, `-` and `_` kept;
/// each space becomes `-`; everything else (punctuation, symbols, emoji) dropped.
pub fn github_slug(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    for c in text.chars() {
        if c == ' ' {
            slug.push('-');
        } else if c == '-' || c == '_' || c.is_alphanumeric() || is_mark(c) {
            slug.extend(c.to_lowercase());
        }
    }
    slug
}

/// Combining marks (Devanagari vowel signs, Arabic harakat...) are part of words to GitHub.
fn is_mark(c: char) -> bool {
    matches!(c as u32,
        0x0300..=0x036F | 0x0483..=0x0489 | 0x0591..=0x05BD | 0x0610..=0x061A | 0x064B..=0x065F
        | 0x0900..=0x0903 | 0x093A..=0x094F | 0x0951..=0x0957 | 0x0962..=0x0963
        | 0x0981..=0x0983 | 0x09BC..=0x09D7 | 0x0E31 | 0x0E34..=0x0E3A | 0x0E47..=0x0E4E
        | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0x302A..=0x302F
        | 0x3099..=0x309A | 0xFE20..=0xFE2F)
}

/// Hands out unique ids within one page: the second `Setup` is `setup-1`, then `setup-2`.
#[derive(Debug, Default)]
pub struct Slugger {
    seen: HashMap<String, usize>,
}

impl Slugger {
    /// github-slugger's rule: a taken `base` becomes `base-1`, `base-2`... skipping any suffix
    /// that is itself taken.
    pub fn unique(&mut self, base: &str) -> String {
        let mut candidate = base.to_string();
        while self.seen.contains_key(&candidate) {
            let count = self.seen.entry(base.to_string()).or_insert(0);
            *count += 1;
            candidate = format!("{base}-{count}");
        }
        self.seen.insert(candidate.clone(), 0);
        candidate
    }
}

/// 32-bit FNV-1a: tiny, and fixed forever (unlike std's hasher), for keys that must stay the
/// same across builds and releases (saved progress, verify shards).
pub fn stable_hash(text: &str) -> u32 {
    text.bytes().fold(0x811c_9dc5, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    })
}
