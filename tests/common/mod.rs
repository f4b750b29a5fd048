//! Shared test helpers: golden files and the micro-network fixtures.
#![allow(dead_code)] // each test crate uses a part of them

pub mod fixtures;

/// Compares `got` with the golden file at `path`, showing the first differing lines; with
/// `UPDATE_GOLDEN=1` in the environment, rewrites the file instead.
pub fn check_golden(path: &str, got: &str) {
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        if let Some(dir) = std::path::Path::new(path).parent() {
            std::fs::create_dir_all(dir).unwrap();
        }
        std::fs::write(path, got).unwrap();
        return;
    }
    let want = std::fs::read_to_string(path).unwrap_or_default();
    if got != want {
        let diff: Vec<String> = want
            .lines()
            .zip(got.lines())
            .enumerate()
            .filter(|(_, (a, b))| a != b)
            .take(8)
            .map(|(i, (a, b))| format!("line {}:\n  - {a}\n  + {b}", i + 1))
            .collect();
        panic!(
            "{path} differs ({} vs {} lines); regenerate with UPDATE_GOLDEN=1 if intended:\n{}",
            want.lines().count(),
            got.lines().count(),
            diff.join("\n")
        );
    }
}
