//! The mermaid pre-normaliser (multi-line label dedent) and the diagram kind sniffer: any
//! source, never a panic; line numbers are kept (the first crash found was this target's own
//! line count, which `str::lines` makes wrong for a last line emptied of its spaces).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|source: &str| {
    let _ = coursebook::diagram::diagram_kind(source);
    let prepared = coursebook::diagram::dedent_quoted_labels(source);
    // Diagnostics point at lines of the block: the newlines all stay. (Not `lines()`: a last
    // line of only spaces inside a label is emptied, and `lines()` does not count an empty
    // last line.)
    assert_eq!(prepared.matches('\n').count(), source.matches('\n').count());
});
