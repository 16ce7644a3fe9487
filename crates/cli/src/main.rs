//! Placeholder: the multi-call binary is written next.
fn main() {}
