//! The `csv` fuzz target: [`common::csv_input`] (what it feeds and checks is documented there).
#![no_main]

#[path = "common.rs"]
mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| common::csv_input(data));
