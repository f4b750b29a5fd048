#![warn(missing_docs)]
//! Plain data: the capacitated geographic network of oil and data assets.
//!
//! No I/O, no threads, no plotting. Quantities are stored in canonical units (see [`units`]),
//! and field names carry the unit (`capacity_kt_per_day`, `length_km`).

pub mod date;
pub mod failure;
pub mod hazard;
pub mod network;
pub mod scenario;
pub mod units;
pub mod variant;

pub use date::Date;
pub use failure::*;
pub use network::*;
pub use scenario::*;
pub use variant::Variant;
