//! Placeholder: xtask is written next.
fn main() {}
