//! Quiz blocks (TOML): any text is a quiz or a list of problems; never a panic. (Rendering a
//! parsed quiz is fuzzed through the markdown target, whose ```quiz fences parse and render.)
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Err(problems) = coursebook::quiz::check::parse(text) {
        assert!(!problems.is_empty());
    }
});
