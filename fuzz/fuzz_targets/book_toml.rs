//! `book.toml`: any text is a configuration or diagnostics; never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Err(problems) = coursebook::config::Config::parse(text) {
        assert!(!problems.is_empty());
    }
});
