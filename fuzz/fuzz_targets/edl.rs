#![no_main]
//! cargo-fuzz target: [`harness::edl`].

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::edl(data));
