//! coursebook: a page's words, packed. Every page's words are held until the index is built,
//! and as a map of strings to lists they took about 90 KB a page (a map slot, a string and a
//! list for each distinct word, each list grown by doubling); packed, they take about a
//! fifth of that. The index build unpacks one page at a time.

use hashbrown::HashMap;

use super::FossickedWord;

/// One place a word occurs: its position, its weight, and the index of its original form
/// in `variants` (`NO_VARIANT` when the word was not normalised).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Place {
    position: u32,
    variant: u32,
    weight: u8,
}

const NO_VARIANT: u32 = u32::MAX;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct WordData {
    /// Every distinct word, one after another.
    text: String,
    /// For each word: where it ends in `text`, and where its places end in `places`.
    ends: Vec<(u32, u32)>,
    places: Vec<Place>,
    variants: Vec<String>,
}

impl WordData {
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }
}

impl From<HashMap<String, Vec<FossickedWord>>> for WordData {
    fn from(map: HashMap<String, Vec<FossickedWord>>) -> Self {
        let mut data = WordData {
            text: String::with_capacity(map.keys().map(String::len).sum()),
            ends: Vec::with_capacity(map.len()),
            places: Vec::with_capacity(map.values().map(Vec::len).sum()),
            variants: Vec::new(),
        };
        for (word, positions) in map {
            data.text.push_str(&word);
            for word in positions {
                let variant = match word.original_word {
                    Some(original) => {
                        data.variants.push(original);
                        (data.variants.len() - 1) as u32
                    }
                    None => NO_VARIANT,
                };
                data.places.push(Place {
                    position: word.position,
                    variant,
                    weight: word.weight,
                });
            }
            data.ends
                .push((data.text.len() as u32, data.places.len() as u32));
        }
        data.variants.shrink_to_fit();
        data
    }
}

impl IntoIterator for WordData {
    type Item = (String, Vec<FossickedWord>);
    type IntoIter = std::vec::IntoIter<(String, Vec<FossickedWord>)>;

    /// Each word with its places, as the fossicker found them.
    fn into_iter(self) -> Self::IntoIter {
        let mut variants: Vec<Option<String>> = self.variants.into_iter().map(Some).collect();
        let (mut text_start, mut place_start) = (0usize, 0usize);
        let mut words = Vec::with_capacity(self.ends.len());
        for (text_end, place_end) in self.ends {
            let (text_end, place_end) = (text_end as usize, place_end as usize);
            let positions = self.places[place_start..place_end]
                .iter()
                .map(|place| FossickedWord {
                    position: place.position,
                    weight: place.weight,
                    original_word: if place.variant == NO_VARIANT {
                        None
                    } else {
                        variants[place.variant as usize].take()
                    },
                })
                .collect();
            words.push((self.text[text_start..text_end].to_string(), positions));
            text_start = text_end;
            place_start = place_end;
        }
        words.into_iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_unpack_as_they_were_packed() {
        let word = |position, weight, original: Option<&str>| FossickedWord {
            position,
            weight,
            original_word: original.map(str::to_string),
        };
        let map: HashMap<String, Vec<FossickedWord>> = HashMap::from_iter([
            ("cafe".to_string(), vec![word(0, 24, Some("café")), word(7, 12, None)]),
            ("docker".to_string(), vec![word(3, 24, None)]),
        ]);
        let packed = WordData::from(map.clone());
        let unpacked: HashMap<String, Vec<FossickedWord>> = packed.into_iter().collect();
        assert_eq!(unpacked, map);
    }
}
