//! Calendar dates as day numbers (proleptic Gregorian), enough for daily time steps.

use std::fmt;

/// A calendar date. Ordered; subtracting two gives the number of days between them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Days since 1970-01-01.
    pub days: i64,
}

impl Date {
    /// The date `y-m-d`, or `None` if it does not exist.
    pub fn from_ymd(y: i64, m: u32, d: u32) -> Option<Date> {
        if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
            return None;
        }
        // Howard Hinnant's days_from_civil.
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = (m as i64 + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d as i64 - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        Some(Date {
            days: era * 146_097 + doe - 719_468,
        })
    }

    /// Parses `YYYY-MM-DD`.
    pub fn parse(s: &str) -> Option<Date> {
        let mut it = s.trim().splitn(3, '-');
        let y = it.next()?.parse().ok()?;
        let m = it.next()?.parse().ok()?;
        let d = it.next()?.parse().ok()?;
        if s.trim().len() != 10 {
            return None;
        }
        Date::from_ymd(y, m, d)
    }

    /// (year, month, day).
    pub fn ymd(self) -> (i64, u32, u32) {
        let z = self.days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let y = yoe + era * 400 + if m <= 2 { 1 } else { 0 };
        (y, m, d)
    }

    /// Days since 1 January of its year (0 on 1 January), capped at 364 so that 31 December of
    /// a leap year falls on the last day of the seasonal calendar: where a Monte Carlo year
    /// starting on this date begins in the seasons of its weather windows.
    pub fn day_of_year0(self) -> u32 {
        let (y, _, _) = self.ymd();
        let jan1 = Date::from_ymd(y, 1, 1).map_or(0, |d| d.days);
        (self.days - jan1).clamp(0, 364) as u32
    }

    /// The date `n` days later (saturating: no input can make it overflow).
    pub fn plus(self, n: i64) -> Date {
        Date {
            days: self.days.saturating_add(n),
        }
    }
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_of_year_counts_from_january_the_first_and_stops_at_364() {
        let doy = |y, m, d| Date::from_ymd(y, m, d).unwrap().day_of_year0();
        assert_eq!(doy(2026, 1, 1), 0);
        assert_eq!(doy(2026, 3, 1), 59);
        assert_eq!(doy(2024, 3, 1), 60);
        assert_eq!(doy(2026, 12, 31), 364);
        // 31 December of a leap year is day 365, the last of the seasonal calendar's 0…364.
        assert_eq!(doy(2024, 12, 31), 364);
        assert_eq!(doy(1969, 12, 31), 364);
    }

    #[test]
    fn known_dates_round_trip() {
        assert_eq!(Date::from_ymd(1970, 1, 1).unwrap().days, 0);
        assert_eq!(Date::from_ymd(2000, 3, 1).unwrap().days, 11_017);
        let d = Date::parse("2024-02-29").unwrap();
        assert_eq!(d.to_string(), "2024-02-29");
        assert_eq!(d.plus(1).to_string(), "2024-03-01");
        assert_eq!(
            Date::parse("2025-03-01").unwrap().days - Date::parse("2025-02-01").unwrap().days,
            28
        );
        assert!(Date::parse("2025-02-29").is_none());
        assert!(Date::parse("2025-13-01").is_none());
        assert!(Date::parse("25-1-1").is_none());
        for n in -800_000..800_000i64 {
            if n % 997 == 0 {
                let d = Date { days: n };
                let (y, m, dd) = d.ymd();
                assert_eq!(Date::from_ymd(y, m, dd), Some(d));
            }
        }
    }
}
