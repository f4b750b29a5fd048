//! `corridor new scenario NAME`: a commented scenario file with every section, which runs as it
//! stands (two example events on the embedded network) and shows every optional section and
//! event kind commented out, ready to copy.

use std::path::Path;

use super::sink::write_text;
use super::{AppError, Sink};

const TEMPLATE: &str = include_str!("scenario_template.toml");

/// The template for a scenario named `name`, written to `file` (as the user will type it).
pub fn scenario_template(name: &str, file: &str) -> String {
    TEMPLATE.replace("{name}", name).replace("{file}", file)
}

/// Whether `name` can be a scenario's file name and output folder.
fn plain_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 100
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && !name.starts_with('-')
}

/// Writes `NAME.toml` to `sink` (whose root is the directory `dir_shown`, as the user typed it);
/// refuses to overwrite an existing file unless `force`.
///
/// # Errors
/// [`AppError::Input`] for a name that is not a plain file name, or a file that exists; output
/// errors.
pub fn new_scenario(
    name: &str,
    dir: &Path,
    force: bool,
    sink: &mut dyn Sink,
) -> Result<std::path::PathBuf, AppError> {
    if !plain_name(name) {
        return Err(AppError::Input(format!(
            "`{name}` is not a scenario name: use letters, digits, `-` and `_` (it becomes the file name and the output folder), e.g. `aktau-outage`"
        )));
    }
    let rel = std::path::PathBuf::from(format!("{name}.toml"));
    let path = dir.join(&rel);
    if path.exists() && !force {
        return Err(AppError::Input(format!(
            "{} exists; corridor new does not overwrite it (hint: choose another name, or add --force)",
            path.display()
        )));
    }
    let text = scenario_template(name, &path.display().to_string());
    write_text(sink, &rel, &text)?;
    sink.print(&format!(
        "{}\nnext: edit its [[event]]s, then `corridor validate {0}` and `corridor run {0}`\n",
        path.display()
    ));
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_plain_file_names() {
        for ok in ["aktau-outage", "s1", "my_case"] {
            assert!(plain_name(ok), "{ok}");
        }
        for bad in ["", "../x", "a/b", "a b", "-x", "x.toml", &"x".repeat(101)] {
            assert!(!plain_name(bad), "{bad}");
        }
    }
}
