//! The `console` block reader and expectation matcher: any block splits into steps, and any
//! expected output matches or not against any actual output; never a panic or a hang.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (&str, &str)| {
    let (block, actual) = input;
    let steps = coursebook::verify::expect::steps(block);
    let _ = coursebook::verify::expect::shown(block);
    let expected: Vec<String> = block.lines().map(str::to_string).collect();
    let _ = coursebook::verify::expect::matches(&expected, actual);
    let _ = steps;
});
