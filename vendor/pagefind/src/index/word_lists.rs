//! coursebook: the word index while it is built. As `PackedWord`s, every (word, page) pair
//! was a 56-byte entry with two lists of its own, and the merged lists grew by doubling: at
//! 10,000 pages that was most of the build's memory. Here a pair is 16 bytes and its
//! locations sit in one list per word; each word becomes a `PackedWord` only when its chunk
//! of the index is encoded.

use hashbrown::HashMap;

use super::index_words::{PackedPage, PackedVariant, PackedWord};

/// One page of a word: its locations are `locs[start..start + len]` of the word, followed
/// by `meta_len` locations in the page's metadata.
#[derive(Debug, Clone, Copy)]
struct Page {
    page_number: u32,
    start: u32,
    len: u32,
    meta_len: u32,
}

#[derive(Debug, Default)]
pub struct WordLists {
    pages: Vec<Page>,
    locs: Vec<i32>,
    additional_variants: Vec<PackedVariant>,
}

impl WordLists {
    /// Adds the pages of one page's `PackedWord` (its pages, then its variants' pages).
    pub fn add(&mut self, word: PackedWord) {
        for page in word.pages {
            self.push(page);
        }
        merge_variants(&mut self.additional_variants, word.additional_variants);
    }

    fn push(&mut self, page: PackedPage) {
        self.pages.push(Page {
            page_number: page.page_number as u32,
            start: self.locs.len() as u32,
            len: page.locs.len() as u32,
            meta_len: page.meta_locs.len() as u32,
        });
        self.locs.extend(page.locs);
        self.locs.extend(page.meta_locs);
    }

    /// Appends `other`'s pages after these.
    pub fn append(&mut self, other: WordLists) {
        let offset = self.locs.len() as u32;
        self.pages.extend(other.pages.into_iter().map(|page| Page {
            start: page.start + offset,
            ..page
        }));
        self.locs.extend(other.locs);
        merge_variants(&mut self.additional_variants, other.additional_variants);
    }

    /// The size the word adds to its index chunk (as Pagefind counts it).
    pub fn chunk_size(&self) -> usize {
        self.pages
            .iter()
            .map(|p| (p.len + p.meta_len) as usize + 1)
            .chain(
                self.additional_variants
                    .iter()
                    .flat_map(|v| &v.pages)
                    .map(|p| p.locs.len() + p.meta_locs.len() + 1),
            )
            .sum::<usize>()
            + self.additional_variants.len()
    }

    /// The word as Pagefind encodes it, its pages in page order.
    pub fn into_packed(mut self, word: String) -> PackedWord {
        self.pages.sort_by_key(|p| p.page_number);
        for variant in &mut self.additional_variants {
            variant.pages.sort_by_key(|p| p.page_number);
        }
        let locs = &self.locs;
        PackedWord {
            word,
            pages: self
                .pages
                .iter()
                .map(|p| {
                    let (start, len) = (p.start as usize, p.len as usize);
                    PackedPage {
                        page_number: p.page_number as usize,
                        locs: locs[start..start + len].to_vec(),
                        meta_locs: locs[start + len..start + len + p.meta_len as usize].to_vec(),
                    }
                })
                .collect(),
            additional_variants: self.additional_variants,
        }
    }
}

fn merge_variants(into: &mut Vec<PackedVariant>, from: Vec<PackedVariant>) {
    for variant in from {
        if let Some(existing) = into.iter_mut().find(|v| v.form == variant.form) {
            existing.pages.extend(variant.pages);
        } else {
            into.push(variant);
        }
    }
}

/// Moves the words of `from` into `into`, `from`'s pages after `into`'s.
pub fn merge(into: &mut HashMap<String, WordLists>, from: HashMap<String, WordLists>) {
    if into.is_empty() {
        *into = from;
        return;
    }
    for (word, lists) in from {
        match into.entry(word) {
            hashbrown::hash_map::Entry::Occupied(mut entry) => entry.get_mut().append(lists),
            hashbrown::hash_map::Entry::Vacant(entry) => {
                entry.insert(lists);
            }
        }
    }
}

/// Adds one page's words to `into`.
pub fn add_page(into: &mut HashMap<String, WordLists>, page: HashMap<String, PackedWord>) {
    for (word, packed) in page {
        into.entry_ref(word.as_str()).or_default().add(packed);
    }
}
