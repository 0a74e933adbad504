#![no_main]
//! cargo-fuzz target: [`harness::avid`].

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::avid(data));
