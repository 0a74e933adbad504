#![no_main]
//! cargo-fuzz target: [`harness::ffprobe`].

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::ffprobe(data));
