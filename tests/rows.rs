//! The typed rows are the one definition of each table: its CSV header and the chart readers
//! derive from the row struct, and the report reads the rows' fields.

use corridor::report::rows::*;
use corridor::report::stats_charts::{LossSeries, OptionsChart};
use corridor::report::timeseries::{ResilienceSeries, ThroughputChart};
use serde::{Deserialize, Serialize};

fn subset<T: serde::de::DeserializeOwned>(names: &[&str]) {
    for n in names {
        assert!(columns::<T>().contains(n), "`{n}` is not a column");
    }
}

#[test]
fn what_readers_and_the_report_name_are_columns_of_their_rows() {
    subset::<DailyRow>(ThroughputChart::NEEDS);
    subset::<DailyRow>(ThroughputChart::NEEDS_DATA);
    subset::<DailyRow>(ResilienceSeries::NEEDS_DAILY);
    subset::<BandRow>(ResilienceSeries::NEEDS_BANDS);
    subset::<ReplicateRow>(LossSeries::NEEDS);
    subset::<CompareReplicateRow>(LossSeries::NEEDS_LONG);
    subset::<CompareRow>(OptionsChart::NEEDS);
}

/// `BandRow` with its median column renamed: the shape a rename of the field would give.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
struct Renamed {
    date: String,
    day: usize,
    p5: F4,
    #[serde(rename = "median")]
    p50: F4,
    p95: F4,
    mean: F4,
}
impl Table for Renamed {}

#[test]
fn a_renamed_column_changes_the_header_and_the_reader_together() {
    let row = Renamed {
        date: "2026-01-01".into(),
        day: 0,
        p5: F4::new(0.9),
        p50: F4::new(1.0),
        p95: F4::new(1.0),
        mean: F4::new(0.98),
    };
    let text = to_csv(std::slice::from_ref(&row)).unwrap();
    // The header follows the field's serde name ...
    assert_eq!(
        text,
        "date,day,p5,median,p95,mean\n2026-01-01,0,0.9000,1.0000,1.0000,0.9800\n"
    );
    // ... the same struct reads its own file back ...
    assert_eq!(
        from_csv::<Renamed>("b.csv", &text, &["median"]).unwrap(),
        vec![row]
    );
    // ... and a reader of the old rows refuses it, naming the column it misses.
    let band = "date,day,p5,p50,p95,mean\n2026-01-01,0,0.9000,1.0000,1.0000,0.9800\n";
    assert!(ResilienceSeries::from_csv("b.csv", band, "mc").is_ok());
    let e = from_csv::<BandRow>("b.csv", &text, ResilienceSeries::NEEDS_BANDS).unwrap_err();
    assert_eq!(
        e.to_string(),
        "b.csv: no column `p50` (is this the right CSV?)"
    );
}

#[test]
fn compare_rows_round_trip_through_the_golden_file() {
    let text = std::fs::read_to_string("tests/golden/compare.csv").unwrap();
    let rows: Vec<CompareRow> = from_csv("compare.csv", &text, OptionsChart::NEEDS).unwrap();
    assert_eq!(rows.len(), 5);
    assert_eq!(to_csv(&rows).unwrap(), text);
}
