//! Tests of the interfaces grammar with hand-written fixtures.

use super::*;

#[test]
fn empty_file_writes_header_and_loopback() {
    let cfg = NetworkConfig::read("", &HostLinks::default());
    assert_eq!(
        cfg.write(),
        format!("{HEADER}auto lo\niface lo inet loopback\n\n")
    );
}
