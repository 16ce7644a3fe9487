//! Placeholder while the VM grammar is brought up.
