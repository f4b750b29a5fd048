//! The identity of the build that produced a result: package version, git revision, whether
//! the sources built in differed from it, and a hash of the embedded data. Manifests and shard
//! partials carry it, and a merge refuses partials of different builds.

use serde::{Deserialize, Serialize};

/// Which build of corridor wrote a result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Build {
    /// The package version (`Cargo.toml`).
    pub version: String,
    /// The git revision built (12 hex digits), `unknown` outside a git checkout.
    pub revision: String,
    /// Whether the sources built into the binary (`src/`, `routes/`, `scenarios/`,
    /// `build.rs`, `Cargo.toml`, `Cargo.lock`) had changes not in that revision.
    pub dirty: bool,
    /// SHA-256 over every embedded `routes/` and `scenarios/` file, name and contents.
    pub data_sha256: String,
}

impl Build {
    /// This binary's build.
    pub fn this() -> Self {
        Self {
            version: env!("CARGO_PKG_VERSION").into(),
            revision: option_env!("CORRIDOR_GIT_REVISION")
                .unwrap_or("unknown")
                .into(),
            dirty: option_env!("CORRIDOR_GIT_DIRTY") == Some("1"),
            data_sha256: env!("CORRIDOR_DATA_SHA256").into(),
        }
    }
}

impl std::fmt::Display for Build {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "corridor {} (revision {}{}, data {})",
            self.version,
            self.revision,
            if self.dirty {
                " with local changes"
            } else {
                ""
            },
            self.data_sha256.get(..12).unwrap_or(&self.data_sha256)
        )
    }
}
