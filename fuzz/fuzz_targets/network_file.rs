//! cargo-fuzz target: the body is [`crossdock_server::fuzzing::network_file`], shared with the
//! replay test in crates/server/tests/fuzz_regressions.rs.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| crossdock_server::fuzzing::network_file(data));
