//! Where input files come from: the disk, or texts held in memory (the scenarios embedded in the
//! binary, test fixtures). Loaders read every file through a [`Source`], so the same code loads
//! a scenario directory on disk and the embedded one, and tests need no temporary directories.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::limits::Limits;

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

    /// The limits on what is read from it (the row count of a CSV, for instance).
    fn limits(&self) -> Limits {
        Limits::DEFAULT
    }
}

/// The largest input file read by default, bytes (64 MiB, [`Limits::DEFAULT`]): above any
/// network, scenario or variant file and about 2 million replay rows. Anything larger is
/// refused before it is read; `--allow-large` reads up to [`Limits::LARGE`]'s 1 GiB.
pub const MAX_INPUT_BYTES: u64 = Limits::DEFAULT.input_bytes;

/// Reads the text of a regular file of at most [`MAX_INPUT_BYTES`]: devices, FIFOs and
/// directories are refused before anything is read (`/dev/zero` would never end), and a file
/// that grows while it is read is cut off at the limit and refused.
///
/// # Errors
/// The I/O error, or `InvalidInput` saying why the file is refused.
pub fn read_bounded(path: &Path) -> std::io::Result<String> {
    read_limited(path, MAX_INPUT_BYTES)
}

/// [`read_bounded`] with a limit of `max` bytes (shard partials, whose replicate rows grow with
/// the shard: [`MAX_PARTIAL_BYTES`]).
///
/// # Errors
/// As [`read_bounded`].
pub fn read_limited(path: &Path, max: u64) -> std::io::Result<String> {
    use std::io::Read;
    let refuse = |msg: String| Err(std::io::Error::new(std::io::ErrorKind::InvalidInput, msg));
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        let what = if meta.is_dir() {
            "a directory"
        } else {
            "a device, FIFO or socket"
        };
        return refuse(format!("{what}, not a regular file"));
    }
    let too_big = |n: u64| {
        let hint = if max < Limits::LARGE.input_bytes {
            " (hint: pass --allow-large to read files of up to 1 GiB)"
        } else {
            ""
        };
        format!(
            "{:.1} MiB, above the {} MiB an input file may have{hint}",
            n as f64 / 1_048_576.0,
            max >> 20
        )
    };
    if meta.len() > max {
        return refuse(too_big(meta.len()));
    }
    let mut text = String::with_capacity(meta.len() as usize);
    std::fs::File::open(path)?
        .take(max + 1)
        .read_to_string(&mut text)?;
    if text.len() as u64 > max {
        return refuse(too_big(text.len() as u64));
    }
    Ok(text)
}

/// The largest shard partial `corridor merge` reads, bytes (2 GiB: about 4 million replicate
/// rows at ~530 bytes each).
pub const MAX_PARTIAL_BYTES: u64 = 2 << 30;

/// The file system, read within `limits`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Disk {
    pub limits: Limits,
}

impl Disk {
    /// The file system read within `limits`.
    pub fn new(limits: Limits) -> Self {
        Disk { limits }
    }
}

impl Source for Disk {
    fn read(&self, path: &Path) -> std::io::Result<String> {
        read_limited(path, self.limits.input_bytes)
    }

    fn limits(&self) -> Limits {
        self.limits
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
        let disk = Disk::default().toml_files(Path::new("scenarios")).unwrap();
        assert_eq!(m.toml_files(Path::new("scenarios")).unwrap(), disk);
        for p in disk {
            assert_eq!(m.read(&p).unwrap(), std::fs::read_to_string(&p).unwrap());
        }
    }
}
