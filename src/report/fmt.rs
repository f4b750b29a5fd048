//! Numbers as a reader expects them in a report: thousands separators, money in $k/$m/$bn,
//! shares as percentages, and never a negative zero.

/// `x` to `dp` decimals with thousands separators (`1,234.5`); `-0` shows as `0`; a NaN or an
/// infinity as `–`.
pub fn number(x: f64, dp: usize) -> String {
    if !x.is_finite() {
        return "–".into();
    }
    let s = format!("{:.*}", dp, x.abs());
    let (int, frac) = s
        .split_once('.')
        .map_or((s.as_str(), None), |(i, f)| (i, Some(f)));
    let grouped = crate::model::units::group_thousands(int);
    let zero = s.chars().all(|c| c == '0' || c == '.');
    let sign = if x < 0.0 && !zero { "−" } else { "" };
    match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

/// US dollars at three significant figures in the largest fitting unit: `$8.18 bn`,
/// `$424 m`, `$27.6 m`, `$950 k`, `$12`; negative as `−$1.20 m`.
pub fn usd(x: f64) -> String {
    if !x.is_finite() {
        return "–".into();
    }
    let a = x.abs();
    let (v, unit) = if a >= 999.5e6 {
        (a / 1e9, " bn")
    } else if a >= 999.5e3 {
        (a / 1e6, " m")
    } else if a >= 999.5 {
        (a / 1e3, " k")
    } else {
        (a, "")
    };
    let body = if unit.is_empty() {
        number(v, 0)
    } else {
        number(v, sig3_decimals(v))
    };
    let sign = if x < 0.0 && body.chars().any(|c| c.is_ascii_digit() && c != '0') {
        "−"
    } else {
        ""
    };
    format!("{sign}${body}{unit}")
}

/// Decimals for three significant figures of `v` (≥ 1): 2 below 10, 1 below 100, else 0.
fn sig3_decimals(v: f64) -> usize {
    if v < 9.995 {
        2
    } else if v < 99.95 {
        1
    } else {
        0
    }
}

/// A fraction as a percentage to `dp` decimals: `0.9339` → `93.4%`.
pub fn percent(fraction: f64, dp: usize) -> String {
    if !fraction.is_finite() {
        return "–".into();
    }
    format!("{}%", number(fraction * 100.0, dp))
}

/// A change of a fraction in percentage points, signed: `−0.0495` → `−4.95 pp`.
pub fn points(fraction: f64, dp: usize) -> String {
    let s = number(fraction * 100.0, dp);
    let sign = if fraction > 0.0 && s.chars().any(|c| c.is_ascii_digit() && c != '0') {
        "+"
    } else {
        ""
    };
    format!("{sign}{s} pp")
}

/// A quantity with enough decimals for three significant figures below 100 and none above
/// (`16.8`, `0.603`, `1,086`), for figures in sentences.
pub fn sig3(x: f64) -> String {
    let a = x.abs();
    let dp = if a == 0.0 || a >= 99.95 {
        0
    } else if a >= 9.995 {
        1
    } else if a >= 0.9995 {
        2
    } else {
        3
    };
    number(x, dp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_group_thousands_and_drop_negative_zero() {
        assert_eq!(number(8_175_778_204.0, 0), "8,175,778,204");
        assert_eq!(number(1234.56, 1), "1,234.6");
        assert_eq!(number(999.0, 0), "999");
        assert_eq!(number(-0.0, 2), "0.00");
        assert_eq!(number(-0.0004, 3), "0.000");
        assert_eq!(number(-1500.0, 0), "−1,500");
        assert_eq!(number(f64::NAN, 1), "–");
        assert_eq!(number(100_000.0, 0), "100,000");
    }

    #[test]
    fn money_takes_the_largest_unit_at_three_figures() {
        assert_eq!(usd(8_175_778_204.0), "$8.18 bn");
        assert_eq!(usd(424_052_844.0), "$424 m");
        assert_eq!(usd(27_555_927.0), "$27.6 m");
        assert_eq!(usd(999_600.0), "$1.00 m");
        assert_eq!(usd(950_000.0), "$950 k");
        assert_eq!(usd(12.0), "$12");
        assert_eq!(usd(0.0), "$0");
        assert_eq!(usd(-0.0), "$0");
        assert_eq!(usd(-1_200_000.0), "−$1.20 m");
        assert_eq!(usd(12_345_000_000.0), "$12.3 bn");
    }

    #[test]
    fn shares_show_as_percentages_and_changes_as_points() {
        assert_eq!(percent(0.9339, 1), "93.4%");
        assert_eq!(percent(1.0, 0), "100%");
        assert_eq!(percent(-0.0, 1), "0.0%");
        assert_eq!(points(-0.0495, 2), "−4.95 pp");
        assert_eq!(points(0.003, 1), "+0.3 pp");
        assert_eq!(points(-0.0001, 1), "0.0 pp");
    }

    #[test]
    fn sentence_figures_keep_three_significant_digits() {
        assert_eq!(sig3(16.84), "16.8");
        assert_eq!(sig3(0.6031), "0.603");
        assert_eq!(sig3(3.254), "3.25");
        assert_eq!(sig3(1086.0), "1,086");
        assert_eq!(sig3(0.0), "0");
    }
}
