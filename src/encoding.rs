//! PLACEHOLDER until the encoding module lands (not to be committed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MojibakeKind {
    Windows1252,
    MacRoman,
    Lossy,
}
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub line: usize,
    pub column: usize,
    pub byte_range: std::ops::Range<usize>,
    pub original: String,
    pub repaired: Option<String>,
    pub kind: MojibakeKind,
}
pub fn scan(_text: &str) -> Vec<Finding> {
    Vec::new()
}
pub fn repair(text: &str) -> (String, Vec<Finding>) {
    (text.to_string(), Vec::new())
}
