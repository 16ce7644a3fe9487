//! Placeholder: the daemon is written next.
fn main() {}
