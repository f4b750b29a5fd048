//! Limits on what one command may read and simulate, so that a mistyped or hostile input on a
//! shared machine is refused in a second instead of filling the memory or the week. Every limit
//! has a default sized well above the shipped work and a ceiling for the deliberate case, which
//! `--allow-large` selects.
//!
//! | limit | default | with `--allow-large` | why the default |
//! |---|---|---|---|
//! | an input file | 64 MiB | 1 GiB | every shipped file is under 100 KB; 64 MiB holds about 2 million replay rows |
//! | rows of one CSV (a replay, a series) | 2,000,000 | 40,000,000 (a 1 GiB file holds about 40 million of the shortest rows) | about 200 assets failing a few times a year for 50 years is about 50,000 rows |
//! | replicate-days one command simulates | 365,000,000 | 36,500,000,000 | 1 million replicate-years of 365 days, 100 times a 10,000-replicate run |
//!
//! The replicate-days of a command are its replicate-years × each scenario's `horizon_days`,
//! counted once per option for a comparison (the status quo included) and three times with
//! `--sensitivity` (failure rates as given, halved and doubled); a shard counts only its own
//! replicates, so a large run split with `--shard K/N` needs no override.

use crate::model::units::group_thousands;

/// The limits one command works within.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The largest input file read, bytes.
    pub input_bytes: u64,
    /// The most data rows one CSV input may have.
    pub csv_rows: usize,
    /// The most replicate-days (replicate-years × horizon days, per option) one command
    /// simulates.
    pub replicate_days: u64,
    /// Whether these are the `--allow-large` ceilings (for the hint).
    pub large: bool,
}

impl Limits {
    /// The defaults.
    pub const DEFAULT: Limits = Limits {
        input_bytes: 64 << 20,
        csv_rows: 2_000_000,
        replicate_days: 365_000_000,
        large: false,
    };

    /// The ceilings `--allow-large` selects: 1 GiB files, 40 million rows, 100 million
    /// replicate-years of 365 days (the most `--runs` accepts).
    pub const LARGE: Limits = Limits {
        input_bytes: 1 << 30,
        csv_rows: 40_000_000,
        replicate_days: 36_500_000_000,
        large: true,
    };

    /// [`LARGE`](Self::LARGE) when `allow_large`, else [`DEFAULT`](Self::DEFAULT).
    pub fn new(allow_large: bool) -> Self {
        if allow_large {
            Self::LARGE
        } else {
            Self::DEFAULT
        }
    }

    /// How to go past a limit, for a message's hint.
    pub fn hint(&self) -> &'static str {
        if self.large {
            "this is the ceiling even with --allow-large"
        } else {
            "pass --allow-large to lift it for a deliberate large job"
        }
    }

    /// Refuses work above [`replicate_days`](Self::replicate_days): `parts` are what each
    /// scenario (or option set) of the command would simulate, `(label, replicate-years,
    /// horizon days, copies)`, `copies` being the options and sensitivity runs on the same
    /// replicates.
    ///
    /// # Errors
    /// The message: the total, the largest part and how to proceed.
    pub fn check_work(&self, parts: &[(String, u64, u32, u64)]) -> Result<(), String> {
        let days = |&(_, runs, horizon, copies): &(String, u64, u32, u64)| {
            (u128::from(runs) * u128::from(horizon)).saturating_mul(u128::from(copies))
        };
        let total = parts.iter().map(days).fold(0u128, u128::saturating_add);
        if total <= u128::from(self.replicate_days) {
            return Ok(());
        }
        let Some(big) = parts.iter().max_by_key(|p| days(p)) else {
            return Ok(());
        };
        let (label, runs, horizon, copies) = big;
        let copies = if *copies > 1 {
            format!(" × {copies} option runs")
        } else {
            String::new()
        };
        let whole = if parts.len() > 1 {
            format!(
                "; the command's {} parts simulate {} replicate-days in all",
                parts.len(),
                group_thousands(&total.to_string())
            )
        } else {
            String::new()
        };
        Err(format!(
            "{label}: {} replicate-years × {} days{copies} is {} replicate-days{whole}, above the limit of {} (hint: {}; or lower --runs, or split the run with --shard K/N)",
            group_thousands(&runs.to_string()),
            group_thousands(&horizon.to_string()),
            group_thousands(&days(big).to_string()),
            group_thousands(&self.replicate_days.to_string()),
            self.hint()
        ))
    }
}

impl Default for Limits {
    fn default() -> Self {
        Self::DEFAULT
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn work_at_the_limit_runs_and_one_replicate_day_more_is_refused() {
        let l = Limits::DEFAULT;
        // 1,000,000 replicate-years of 365 days is exactly the limit.
        let at = vec![("a".to_string(), 1_000_000, 365, 1)];
        assert_eq!(l.check_work(&at), Ok(()));
        let over = vec![
            ("a".to_string(), 1_000_000, 365, 1),
            ("b".to_string(), 1, 1, 1),
        ];
        let e = l.check_work(&over).unwrap_err();
        assert_eq!(
            e,
            "a: 1,000,000 replicate-years × 365 days is 365,000,000 replicate-days; the command's 2 parts simulate 365,000,001 replicate-days in all, above the limit of 365,000,000 (hint: pass --allow-large to lift it for a deliberate large job; or lower --runs, or split the run with --shard K/N)"
        );
        // 100 times more with --allow-large.
        assert_eq!(Limits::LARGE.check_work(&over), Ok(()));
    }

    #[test]
    fn options_multiply_the_work_and_nothing_overflows() {
        let l = Limits::DEFAULT;
        // 200,000 years × 365 days × 5 option runs is the limit exactly; one year more is not.
        assert_eq!(l.check_work(&[("s".to_string(), 200_000, 365, 5)]), Ok(()));
        let e = l
            .check_work(&[("s".to_string(), 200_001, 365, 5)])
            .unwrap_err();
        assert!(
            e.starts_with(
                "s: 200,001 replicate-years × 365 days × 5 option runs is 365,001,825 replicate-days, above the limit of 365,000,000"
            ),
            "{e}"
        );
        let huge = vec![("h".to_string(), u64::MAX, u32::MAX, u64::MAX)];
        assert!(Limits::LARGE.check_work(&huge).is_err());
    }
}
