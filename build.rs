//! Rebuilds the binary when the embedded default theme changes (`include_dir!` cannot tell
//! cargo on stable Rust).
fn main() {
    println!("cargo:rerun-if-changed=themes/default");
}
