//! `--set KEY=VALUE`: a scalar field of a scenario file replaced (or added) from the command
//! line before the file is checked, so an override meets every check the file's own value
//! would. The file's text, and so its SHA-256 in a manifest, is left as it is; the overrides
//! are recorded beside it.

use std::borrow::Cow;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// Splits `KEY=VALUE` (for the command line).
///
/// # Errors
/// What is wrong, for clap to print.
pub fn parse_override(s: &str) -> Result<(String, String), String> {
    let Some((key, value)) = s.split_once('=') else {
        return Err(format!(
            "`{s}` is not KEY=VALUE (e.g. monte_carlo.runs=2000 or economics.oil_price.value=60)"
        ));
    };
    let key = key.trim();
    if key.is_empty() || value.contains('\n') {
        return Err(format!(
            "`{s}` is not KEY=VALUE with a dotted KEY and a one-line VALUE"
        ));
    }
    Ok((key.to_string(), value.trim().to_string()))
}

/// One step of a dotted key: a table key, or the `#n`th (1-based) entry of an array of tables.
enum Step<'k> {
    Key(&'k str),
    Item(&'k str, usize),
}

fn steps(key: &str) -> Result<Vec<Step<'_>>, String> {
    key.split('.')
        .map(|part| match part.split_once("[#") {
            Some((name, rest)) => {
                let n = rest
                    .strip_suffix(']')
                    .and_then(|n| n.parse::<usize>().ok())
                    .filter(|n| *n >= 1);
                match n {
                    Some(n) if !name.is_empty() => Ok(Step::Item(name, n)),
                    _ => Err(format!(
                        "`{part}` is not an entry of an array of tables (write e.g. event[#2].duration_days for the second [[event]])"
                    )),
                }
            }
            None if part.is_empty() || part.contains(['[', ']', ' ']) => Err(format!(
                "`{part}` is not a key (keys are dotted, e.g. monte_carlo.seed)"
            )),
            None => Ok(Step::Key(part)),
        })
        .collect()
}

fn find<'t, 'a>(table: &'t mut DeTable<'a>, key: &str) -> Option<&'t mut Spanned<DeValue<'a>>> {
    table
        .iter_mut()
        .find(|(k, _)| k.get_ref() == key)
        .map(|(_, v)| v)
}

fn kind(v: &DeValue<'_>) -> &'static str {
    match v {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a number",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

/// Applies `overrides` (key, value) to `doc` in order. A key names a scalar field by its dotted
/// path (`monte_carlo.runs`, `economics.oil_price.value`, `event[#2].duration_days`); its tables must be
/// in the file, and the field is replaced if present (keeping its place for messages) or added.
/// VALUE is read as TOML (`2000`, `60.5`, `true`, `"text"`); where the field holds a string, a
/// bare word is taken as that string.
///
/// # Errors
/// `(key=value, problem)` for the first override that cannot apply.
pub fn apply<'a>(
    doc: &mut Spanned<DeTable<'a>>,
    overrides: &'a [(String, String)],
) -> Result<(), (String, String)> {
    for (key, value) in overrides {
        apply_one(doc, key, value).map_err(|e| (format!("{key}={value}"), e))?;
    }
    Ok(())
}

fn apply_one<'a>(
    doc: &mut Spanned<DeTable<'a>>,
    key: &'a str,
    value: &'a str,
) -> Result<(), String> {
    let steps = steps(key)?;
    let (last, path) = steps.split_last().ok_or("an empty key")?;
    let Step::Key(field) = last else {
        return Err("the last part of KEY must be a field, not an entry of an array".into());
    };
    let mut span = doc.span();
    let mut table: &mut DeTable<'a> = doc.get_mut();
    let mut walked = String::new();
    for step in path {
        let (name, item) = match step {
            Step::Key(k) => (*k, None),
            Step::Item(k, n) => (*k, Some(*n)),
        };
        walked.push_str(if walked.is_empty() { "" } else { "." });
        walked.push_str(name);
        let v = find(table, name).ok_or_else(|| {
            format!(
                "the scenario has no table `{walked}` (--set changes fields of tables the file has)"
            )
        })?;
        span = v.span();
        let v = match item {
            None => v,
            Some(n) => {
                let what = kind(v.get_ref());
                let DeValue::Array(items) = v.get_mut() else {
                    return Err(format!("`{walked}` is {what}, not an array of tables"));
                };
                let len = items.len();
                let v = items
                    .get_mut(n - 1)
                    .ok_or_else(|| format!("`{walked}` has {len} entries, not {n}"))?;
                walked.push_str(&format!("[#{n}]"));
                span = v.span();
                v
            }
        };
        table = match v.get_mut() {
            DeValue::Table(t) => t,
            other => {
                return Err(format!("`{walked}` is {}, not a table", kind(other)));
            }
        };
    }
    let parsed = DeValue::parse(value).ok().map(Spanned::into_inner);
    match find(table, field) {
        Some(old) => {
            let new = match (old.get_ref(), parsed) {
                (DeValue::Array(_) | DeValue::Table(_), _) => {
                    return Err(format!(
                        "`{key}` is {}; --set changes single values only",
                        kind(old.get_ref())
                    ));
                }
                (DeValue::String(_), Some(v @ DeValue::String(_))) => v,
                (DeValue::String(_), _) => DeValue::String(Cow::Borrowed(value)),
                (_, Some(DeValue::Array(_) | DeValue::Table(_))) => {
                    return Err("VALUE must be a single value, not an array or a table".into());
                }
                (_, Some(v)) => v,
                (old_value, None) => {
                    return Err(format!(
                        "`{value}` is not a TOML value; the file has {} here (write strings in quotes)",
                        kind(old_value)
                    ));
                }
            };
            let at = old.span();
            *old = Spanned::new(at, new);
        }
        None => {
            let new = match parsed {
                Some(DeValue::Array(_) | DeValue::Table(_)) => {
                    return Err("VALUE must be a single value, not an array or a table".into());
                }
                Some(v) => v,
                None => DeValue::String(Cow::Borrowed(value)),
            };
            table.insert(
                Spanned::new(span.clone(), Cow::Borrowed(*field)),
                Spanned::new(span, new),
            );
        }
    }
    Ok(())
}
