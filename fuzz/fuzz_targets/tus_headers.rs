#![no_main]
//! cargo-fuzz target: [`harness::tus_headers`].

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::tus_headers(data));
