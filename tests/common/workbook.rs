//! Reads an `.xlsx` back with calamine and checks it against the CSV files it was built from.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};

/// The text a cell reads back as, in the CSV's terms: a number as the value it parses to, a
/// date as `YYYY-MM-DD`.
fn same(cell: Option<&Data>, text: &str) -> bool {
    match cell {
        None | Some(Data::Empty) => text.is_empty(),
        Some(Data::String(s)) => s == text,
        Some(Data::Float(x)) => text.parse::<f64>().is_ok_and(|t| t == *x),
        Some(Data::Int(i)) => text.parse::<f64>().is_ok_and(|t| t == *i as f64),
        Some(Data::DateTime(d)) => d
            .as_datetime()
            .is_some_and(|d| d.date().to_string() == text),
        Some(other) => panic!("unexpected cell {other:?} for `{text}`"),
    }
}

/// Asserts that the workbook `bytes` has a contents sheet listing exactly the CSV `files`
/// (path, text), and for each a sheet whose first row is the CSV's header, second row a unit
/// per column, and then every value of the CSV in place.
pub fn assert_matches_csvs(bytes: &[u8], files: &[(String, String)]) {
    let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes.to_vec())).unwrap();
    let contents = wb.worksheet_range("Contents").unwrap();
    let mut sheets = Vec::new();
    for r in 4..contents.end().map_or(0, |e| e.0 + 1) {
        let sheet = contents.get_value((r, 0)).unwrap().to_string();
        let file = contents.get_value((r, 1)).unwrap().to_string();
        sheets.push((file, sheet));
    }
    let mut listed: Vec<&str> = sheets.iter().map(|(f, _)| f.as_str()).collect();
    listed.sort_unstable();
    let mut want: Vec<&str> = files.iter().map(|(f, _)| f.as_str()).collect();
    want.sort_unstable();
    assert_eq!(listed, want, "the contents sheet lists every CSV");
    for (file, csv) in files {
        let sheet = &sheets.iter().find(|(f, _)| f == file).unwrap().1;
        let range = wb.worksheet_range(sheet).unwrap();
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
        let mut rows = 0u32;
        for (i, rec) in rdr.records().enumerate() {
            let rec = rec.unwrap();
            // The header is row 0, the units row 1, the data from row 2.
            let r = if i == 0 { 0 } else { i as u32 + 1 };
            for (c, text) in rec.iter().enumerate() {
                let got = range.get_value((r, c as u32));
                assert!(
                    same(got, text),
                    "{file} row {i} column {c}: sheet `{sheet}` has {got:?}, the CSV `{text}`"
                );
            }
            rows += 1;
        }
        assert!(rows > 0, "{file} is empty");
        assert_eq!(
            range.end().map(|e| e.0 + 1),
            Some(rows + 1),
            "{file}: row count"
        );
    }
}
