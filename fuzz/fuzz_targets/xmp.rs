#![no_main]
//! cargo-fuzz target: [`harness::xmp`].

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::xmp(data));
