#![no_main]
//! cargo-fuzz target: [`harness::photo`].

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::photo(data));
