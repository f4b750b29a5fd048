//! The `routes/` dataset, embedded at build time (see `build.rs`).

include!(concat!(env!("OUT_DIR"), "/embedded_routes.rs"));
