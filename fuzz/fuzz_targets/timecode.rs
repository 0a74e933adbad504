#![no_main]
//! cargo-fuzz target: [`harness::timecode`].

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::timecode(data));
