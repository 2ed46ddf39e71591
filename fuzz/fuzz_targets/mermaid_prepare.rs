//! The mermaid pre-normaliser (multi-line label dedent) and the diagram kind sniffer: any
//! source, never a panic; line numbers are kept.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|source: &str| {
    let _ = coursebook::diagram::diagram_kind(source);
    let prepared = coursebook::diagram::dedent_quoted_labels(source);
    assert_eq!(prepared.lines().count(), source.lines().count());
});
