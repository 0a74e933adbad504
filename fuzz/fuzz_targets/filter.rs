#![no_main]
//! cargo-fuzz target: [`harness::filter`].

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::filter(data));
