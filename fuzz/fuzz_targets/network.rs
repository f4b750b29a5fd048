//! The `network` fuzz target: [`common::network_input`] (what it feeds and checks is documented there).
#![no_main]

#[path = "common.rs"]
mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| common::network_input(data));
