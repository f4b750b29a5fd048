//! Output files are written to a temporary file beside the target and renamed into place, so a
//! failed run never leaves a partial file.

use std::io::Write;
use std::path::{Path, PathBuf};

/// An output file could not be written.
#[derive(Debug, thiserror::Error)]
#[error("cannot write {path}: {error}")]
pub struct OutputError {
    pub path: PathBuf,
    /// The reason, shown in the message (not chained, so that it shows once).
    pub error: std::io::Error,
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
        error: source,
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
        error: source,
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

/// Prefix of a run's staging directory inside the output root: `.corridor-staging-<pid>-…`.
pub const STAGING_PREFIX: &str = ".corridor-staging-";

/// A run's outputs, written into a hidden directory inside the output root and published in
/// one step per top-level entry ([`Staging::publish`]): a kill at any moment leaves each
/// scenario folder (and each top-level file) as the old run or the new one, never a mixture.
/// Dropped without publishing (an error, a panic), it is removed with everything in it; after a
/// kill, the next run into the same root removes it ([`remove_stale`]).
#[derive(Debug)]
pub struct Staging {
    root: PathBuf,
    dir: Option<tempfile::TempDir>,
    /// The root, when this run created it (removed again, if still empty, when nothing is
    /// published).
    created: bool,
}

impl Drop for Staging {
    fn drop(&mut self) {
        if let Some(dir) = self.dir.take() {
            drop(dir);
            if self.created {
                let _ = std::fs::remove_dir(&self.root);
            }
        }
    }
}

impl Staging {
    /// A new staging directory inside `root` (created as needed), with an unpredictable name
    /// that carries this process's id; stale ones of dead processes are removed first.
    ///
    /// # Errors
    /// [`OutputError`] naming the root.
    pub fn new(root: &Path) -> Result<Self, OutputError> {
        let err = |source| OutputError {
            path: root.to_path_buf(),
            error: source,
        };
        let at = if root.as_os_str().is_empty() {
            Path::new(".")
        } else {
            root
        };
        let created = !at.exists();
        std::fs::create_dir_all(at).map_err(err)?;
        remove_stale(at);
        let dir = tempfile::Builder::new()
            .prefix(&format!(
                "{STAGING_PREFIX}{}-{}-",
                std::process::id(),
                host_id()
            ))
            .tempdir_in(at)
            .map_err(err)?;
        Ok(Staging {
            root: at.to_path_buf(),
            dir: Some(dir),
            created,
        })
    }

    /// Where a file at `rel` is written before publishing.
    pub fn path(&self, rel: &Path) -> PathBuf {
        self.dir
            .as_ref()
            .map_or_else(|| self.root.join(rel), |d| d.path().join(rel))
    }

    /// Moves every staged entry into the root, in name order: a file by a rename (which
    /// replaces the old one atomically); a directory by exchanging it with the old one after
    /// hard-linking into it the old files it does not replace (so other runs' outputs in the
    /// folder stay), so the folder switches from old to new in one step. The old directories
    /// end in the staging directory, which is then removed.
    ///
    /// # Errors
    /// [`OutputError`] naming the entry that could not be published.
    pub fn publish(mut self) -> Result<(), OutputError> {
        let Some(dir) = self.dir.take() else {
            return Ok(());
        };
        self.created = false;
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir.path())
            .map_err(|source| OutputError {
                path: dir.path().to_path_buf(),
                error: source,
            })?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        entries.sort();
        for src in entries {
            let Some(name) = src.file_name() else {
                continue;
            };
            let dst = self.root.join(name);
            let err = |source| OutputError {
                path: dst.clone(),
                error: source,
            };
            if src.is_dir() && dst.is_dir() {
                link_missing(&dst, &src).map_err(err)?;
                exchange(&src, &dst).map_err(err)?;
            } else {
                std::fs::rename(&src, &dst).map_err(err)?;
            }
        }
        dir.close().map_err(|source| OutputError {
            path: self.root.clone(),
            error: source,
        })
    }
}

impl Staging {
    /// Moves every staged file into place by itself, each by a rename into its folder (created
    /// as needed), leaving everything else in the folders as it is. For outputs that many
    /// processes write into one folder at once (shard partials on a cluster): exchanging the
    /// folder would drop a file another process published in between.
    ///
    /// # Errors
    /// [`OutputError`] naming the file that could not be published.
    pub fn publish_files(mut self) -> Result<(), OutputError> {
        let Some(dir) = self.dir.take() else {
            return Ok(());
        };
        self.created = false;
        fn walk(from: &Path, to: &Path) -> Result<(), OutputError> {
            let err = |path: &Path| {
                let path = path.to_path_buf();
                move |error| OutputError { path, error }
            };
            let mut entries: Vec<std::fs::DirEntry> = std::fs::read_dir(from)
                .map_err(err(from))?
                .collect::<Result<_, _>>()
                .map_err(err(from))?;
            entries.sort_by_key(std::fs::DirEntry::file_name);
            for e in entries {
                let (src, dst) = (e.path(), to.join(e.file_name()));
                if e.file_type().map_err(err(&src))?.is_dir() {
                    std::fs::create_dir_all(&dst).map_err(err(&dst))?;
                    walk(&src, &dst)?;
                } else {
                    std::fs::rename(&src, &dst).map_err(err(&dst))?;
                }
            }
            Ok(())
        }
        walk(dir.path(), &self.root)?;
        dir.close().map_err(|source| OutputError {
            path: self.root.clone(),
            error: source,
        })
    }
}

/// Hard-links into `new` every file of `old` that `new` lacks (directories recursively).
fn link_missing(old: &Path, new: &Path) -> std::io::Result<()> {
    for e in std::fs::read_dir(old)? {
        let e = e?;
        let (from, to) = (e.path(), new.join(e.file_name()));
        let kind = e.file_type()?;
        if kind.is_dir() {
            if !to.exists() {
                std::fs::create_dir(&to)?;
            }
            if to.is_dir() {
                link_missing(&from, &to)?;
            }
        } else if !to.exists() && !e.file_name().to_string_lossy().starts_with('.') {
            // A symlink is linked as itself (not followed), like any other entry.
            std::fs::hard_link(&from, &to).or_else(|_| std::fs::copy(&from, &to).map(|_| ()))?;
        }
    }
    Ok(())
}

/// Swaps two directories atomically (Linux `renameat2` with `RENAME_EXCHANGE`).
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let c = |p: &Path| {
        CString::new(p.as_os_str().as_bytes())
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))
    };
    let (ca, cb) = (c(a)?, c(b)?);
    // SAFETY: both are valid NUL-terminated paths; AT_FDCWD resolves them as given.
    let r = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            ca.as_ptr(),
            libc::AT_FDCWD,
            cb.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if r == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

/// Elsewhere: the old directory moves aside, then the new one into place (a short window in
/// which the folder is absent, never mixed).
#[cfg(not(target_os = "linux"))]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    let aside = a.with_extension("old");
    std::fs::rename(b, &aside)?;
    std::fs::rename(a, b)?;
    std::fs::rename(&aside, a)
}

/// This machine, as a staging name carries it: 16 hex digits of a hash of the host name. On a
/// folder that several machines share (a cluster's filesystem), a process id means something
/// only on the machine that wrote it.
fn host_id() -> String {
    use std::hash::{Hash, Hasher};
    let mut buf = [0u8; 256];
    // SAFETY: the buffer is valid for its length; gethostname NUL-terminates within it or
    // truncates, and we stop at the first NUL.
    let r = unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len()) };
    let name = if r == 0 {
        let end = buf.iter().position(|b| *b == 0).unwrap_or(buf.len());
        &buf[..end]
    } else {
        &[][..]
    };
    // FNV-1a: stable across builds and platforms, unlike the standard hasher's seed.
    let mut h = Fnv(0xcbf2_9ce4_8422_2325);
    name.hash(&mut h);
    format!("{:016x}", h.finish())
}

struct Fnv(u64);

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// Removes the staging directories in `root` left by processes of this machine that no longer
/// run (a killed run); those of live processes (a concurrent run into the same root) and of
/// other machines stay.
pub fn remove_stale(root: &Path) {
    let Ok(entries) = std::fs::read_dir(root) else {
        return;
    };
    let this_host = host_id();
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let mut parts = name.strip_prefix(STAGING_PREFIX).unwrap_or("").split('-');
        let (Some(pid), Some(host)) = (
            parts.next().and_then(|p| p.parse::<i32>().ok()),
            parts.next(),
        ) else {
            continue;
        };
        if host == this_host && !process_alive(pid) {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

fn process_alive(pid: i32) -> bool {
    if pid <= 0 {
        return false;
    }
    // SAFETY: signal 0 only checks that the process exists.
    let r = unsafe { libc::kill(pid, 0) };
    r == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
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
