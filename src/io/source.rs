//! Where input files come from: the disk, or texts held in memory (the scenarios embedded in the
//! binary, test fixtures). Loaders read every file through a [`Source`], so the same code loads
//! a scenario directory on disk and the embedded one, and tests need no temporary directories.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A tree of input files.
pub trait Source: Sync {
    /// The text of the file at `path`.
    ///
    /// # Errors
    /// The I/O error (for memory: `NotFound`).
    fn read(&self, path: &Path) -> std::io::Result<String>;

    /// The `*.toml` files directly inside `dir`, sorted by path.
    ///
    /// # Errors
    /// The I/O error of listing `dir` (for memory: `NotFound` when no file lies under it).
    fn toml_files(&self, dir: &Path) -> std::io::Result<Vec<PathBuf>>;
}

/// The file system.
#[derive(Debug, Clone, Copy, Default)]
pub struct Disk;

impl Source for Disk {
    fn read(&self, path: &Path) -> std::io::Result<String> {
        std::fs::read_to_string(path)
    }

    fn toml_files(&self, dir: &Path) -> std::io::Result<Vec<PathBuf>> {
        let mut v: Vec<PathBuf> = std::fs::read_dir(dir)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        v.sort();
        Ok(v)
    }
}

/// Files in memory, keyed by path.
#[derive(Debug, Clone, Default)]
pub struct Memory {
    files: BTreeMap<PathBuf, String>,
}

impl Memory {
    /// A tree of `(path, text)` files.
    pub fn new<P: Into<PathBuf>, T: Into<String>>(files: impl IntoIterator<Item = (P, T)>) -> Self {
        Memory {
            files: files
                .into_iter()
                .map(|(p, t)| (p.into(), t.into()))
                .collect(),
        }
    }

    /// The shipped `scenarios/` tree embedded at build time, under `scenarios/`.
    pub fn embedded_scenarios() -> Self {
        Memory::new(
            crate::io::embedded::SCENARIO_FILES
                .iter()
                .map(|(rel, text)| (Path::new("scenarios").join(rel), *text)),
        )
    }
}

impl Source for Memory {
    fn read(&self, path: &Path) -> std::io::Result<String> {
        self.files.get(path).cloned().ok_or_else(|| {
            std::io::Error::new(std::io::ErrorKind::NotFound, "no such file (embedded)")
        })
    }

    fn toml_files(&self, dir: &Path) -> std::io::Result<Vec<PathBuf>> {
        let under: Vec<&PathBuf> = self.files.keys().filter(|p| p.starts_with(dir)).collect();
        if under.is_empty() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "no such directory (embedded)",
            ));
        }
        Ok(under
            .into_iter()
            .filter(|p| p.parent() == Some(dir) && p.extension().is_some_and(|x| x == "toml"))
            .cloned()
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_lists_only_the_toml_files_directly_in_a_directory() {
        let m = Memory::new([
            ("s/b.toml", "b"),
            ("s/a.toml", "a"),
            ("s/data/x.csv", "x"),
            ("s/variants/v.toml", "v"),
        ]);
        assert_eq!(
            m.toml_files(Path::new("s")).unwrap(),
            vec![PathBuf::from("s/a.toml"), PathBuf::from("s/b.toml")]
        );
        assert_eq!(
            m.toml_files(Path::new("s/variants")).unwrap(),
            vec![PathBuf::from("s/variants/v.toml")]
        );
        assert!(m.toml_files(Path::new("t")).is_err());
        assert_eq!(m.read(Path::new("s/data/x.csv")).unwrap(), "x");
        assert_eq!(
            m.read(Path::new("s/c.toml")).unwrap_err().kind(),
            std::io::ErrorKind::NotFound
        );
    }

    #[test]
    fn the_embedded_scenarios_hold_every_shipped_scenario() {
        let m = Memory::embedded_scenarios();
        let disk = Disk.toml_files(Path::new("scenarios")).unwrap();
        assert_eq!(m.toml_files(Path::new("scenarios")).unwrap(), disk);
        for p in disk {
            assert_eq!(m.read(&p).unwrap(), std::fs::read_to_string(&p).unwrap());
        }
    }
}
