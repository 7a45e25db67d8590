//! The `copydesk` binary: `serve` (LSP over stdio) and `check` (headless).
fn main() {
    println!("copydesk {}", env!("CARGO_PKG_VERSION"));
}
