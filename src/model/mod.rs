#![warn(missing_docs)]
//! Plain data: the capacitated geographic network of oil and data assets.
//!
//! No I/O, no threads, no plotting. Quantities are stored in canonical units (see [`units`]),
//! and field names carry the unit (`capacity_kt_per_day`, `length_km`).

pub mod build;
pub mod date;
pub mod failure;
pub mod hazard;
pub mod network;
pub mod scenario;
pub mod units;
pub mod variant;

pub use build::Build;
pub use date::Date;
pub use failure::*;
pub use network::*;
pub use scenario::*;
pub use variant::Variant;

/// Checks an option named on the command line or in a file: a variant id, or a sized
/// variant's id and one of its levels joined by `@` (`tankers@15`); returns the id and the
/// level.
///
/// # Errors
/// What is wrong with `option`, for a message.
pub fn split_option(option: &str) -> Result<(&str, Option<f64>), String> {
    let Some((id, level)) = option.split_once('@') else {
        return check_id(option).map(|()| (option, None));
    };
    check_id(id)?;
    match level.parse::<f64>() {
        Ok(x) if level.len() <= 24 && level.chars().all(|c| c.is_ascii_digit() || c == '.') => {
            Ok((id, Some(x)))
        }
        _ => Err(format!(
            "`{option}` is not an option: `{level}` after `@` is not a level (e.g. tankers@15)"
        )),
    }
}

/// Whether `id` may name a scenario, a variant or an output folder: 1–80 ASCII letters, digits,
/// `-` and `_` (so no path separator, no `..`, nothing hidden). Output paths are built only from
/// ids that pass, never from a name read from a file.
///
/// # Errors
/// What is wrong with `id`, for a message.
pub fn check_id(id: &str) -> Result<(), String> {
    if id.is_empty() || id.len() > 80 {
        return Err(format!("`{id}` is not an id: it must have 1–80 characters"));
    }
    match id
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
    {
        Some(c) => Err(format!(
            "`{id}` is not an id: `{}` is not allowed (ids are ASCII letters, digits, `-` and `_`)",
            c.escape_default()
        )),
        None => Ok(()),
    }
}
