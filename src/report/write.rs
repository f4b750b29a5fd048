//! Output files are written to a temporary file beside the target and renamed into place, so a
//! failed run never leaves a partial file.

use std::io::Write;
use std::path::{Path, PathBuf};

/// An output file could not be written.
#[derive(Debug, thiserror::Error)]
#[error("cannot write {path}: {source}")]
pub struct OutputError {
    pub path: PathBuf,
    #[source]
    pub source: std::io::Error,
}

/// Creates `path`'s directory and returns the temporary name a write to `path` goes through.
///
/// # Errors
/// [`OutputError`] naming the path.
pub fn temp_beside(path: &Path) -> Result<std::path::PathBuf, OutputError> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|source| OutputError {
        path: path.to_path_buf(),
        source,
    })?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    Ok(dir.join(format!(".{name}.tmp-{}", std::process::id())))
}

/// Writes `bytes` to `path` atomically (temp file in the same directory, then rename).
/// Creates the parent directory if needed.
///
/// # Errors
/// [`OutputError`] naming the path.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    let err = |source| OutputError {
        path: path.to_path_buf(),
        source,
    };
    let tmp = temp_beside(path)?;
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_and_replaces_without_leaving_temp_files() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("sub").join("a.csv");
        write_atomic(&p, b"one").unwrap();
        write_atomic(&p, b"two").unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "two");
        let names: Vec<_> = std::fs::read_dir(p.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("a.csv")]);
    }

    #[test]
    fn unwritable_target_is_an_error_naming_the_path() {
        let dir = tempfile::tempdir().unwrap();
        // A directory cannot be replaced by a file.
        let p = dir.path().join("d");
        std::fs::create_dir(&p).unwrap();
        std::fs::write(p.join("x"), "keep").unwrap();
        let e = write_atomic(&p, b"x").unwrap_err();
        assert!(e.to_string().contains(&p.display().to_string()));
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
