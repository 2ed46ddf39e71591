//! The mojibake detector and repair: any text scans; repairing never grows findings from
//! nothing, and repairs only what the scan found.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let found = coursebook::encoding::scan(text);
    let (repaired, fixed) = coursebook::encoding::repair(text);
    if found.is_empty() {
        assert_eq!(repaired, text);
    }
    let _ = fixed;
});
