//! CSV tables as one Excel workbook: a contents sheet, then one sheet per table with the
//! column names (bold, frozen), their units under them ([`column_unit`]), and the values as the
//! CSV states them — numbers as numbers (shown with the CSV's decimals and thousands
//! separators), dates as dates, the rest as text. Reading a sheet back gives the CSV's values.

use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, Url, Workbook, Worksheet, XlsxError,
};

use super::units::column_unit;

/// The rows an Excel sheet holds.
pub const MAX_ROWS: usize = 1_048_576;
/// The characters an Excel cell holds.
const MAX_CELL: usize = 32_767;
/// The length of a sheet name.
const MAX_NAME: usize = 31;
/// Rows above a table's data: its column names and their units.
pub const HEAD_ROWS: u32 = 2;

/// A table for the workbook: the file it was written to (relative to the output directory) and
/// its CSV text.
#[derive(Debug, Clone, PartialEq)]
pub struct CsvTable {
    pub file: String,
    pub csv: String,
}

/// What a table became: its sheet, and anything that did not fit.
#[derive(Debug, Clone, PartialEq)]
pub struct SheetEntry {
    pub sheet: String,
    pub file: String,
    pub rows: usize,
    pub columns: usize,
    pub note: String,
}

/// The sheet name of `file` (`a/b/daily.csv` → `a b daily`): Excel's forbidden characters
/// replaced, cut to 31 characters from the front of its folder part, unique among `taken`
/// (case-insensitively, as Excel compares them).
pub fn sheet_name(file: &str, taken: &[String]) -> String {
    let stem = file.strip_suffix(".csv").unwrap_or(file);
    let clean = |s: &str| -> String {
        s.chars()
            .map(|c| if "[]:*?/\\'".contains(c) { '_' } else { c })
            .collect()
    };
    let (dir, last) = stem.rsplit_once('/').unwrap_or(("", stem));
    let last = clean(last);
    let dir = clean(&dir.replace('/', " "));
    let fit = |extra: &str| -> String {
        let room = MAX_NAME.saturating_sub(last.chars().count() + extra.chars().count());
        let name = if dir.is_empty() {
            last.clone()
        } else if room > 1 {
            let d: String = dir.chars().take(room - 1).collect();
            format!("{d} {last}")
        } else {
            last.clone()
        };
        let name: String = name
            .chars()
            .take(MAX_NAME - extra.chars().count())
            .collect();
        format!("{name}{extra}")
    };
    let free = |n: &str| !taken.iter().any(|t| t.eq_ignore_ascii_case(n));
    let mut name = fit("");
    let mut k = 2;
    while !free(&name) {
        name = fit(&format!("~{k}"));
        k += 1;
    }
    name
}

/// The length of the folder (with its `/`) that every table's file lies in, which the sheet
/// names leave out.
fn common_dir(tables: &[CsvTable]) -> usize {
    let Some(first) = tables.first() else {
        return 0;
    };
    let mut len = first.file.rfind('/').map_or(0, |i| i + 1);
    for t in tables {
        let shares = |len: usize| {
            t.file.len() > len && t.file.as_bytes().get(..len) == first.file.as_bytes().get(..len)
        };
        while len > 0 && !shares(len) {
            len = first.file[..len - 1].rfind('/').map_or(0, |i| i + 1);
        }
    }
    len
}

/// A cell as the CSV states it.
enum Cell<'a> {
    Empty,
    /// A number, with its decimals in the CSV.
    Number(f64, usize),
    /// A `YYYY-MM-DD` date.
    Date(ExcelDateTime),
    Text(&'a str),
}

fn cell(text: &str) -> Cell<'_> {
    if text.is_empty() {
        return Cell::Empty;
    }
    let b = text.as_bytes();
    let digits = |s: &[u8]| !s.is_empty() && s.iter().all(u8::is_ascii_digit);
    if b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && digits(&b[..4])
        && let Ok(d) = ExcelDateTime::parse_from_str(text)
    {
        return Cell::Date(d);
    }
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    let (int, frac) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let plain = digits(int.as_bytes()) && (frac.is_empty() || digits(frac.as_bytes()));
    let is_point = unsigned.contains('.');
    match text.parse::<f64>() {
        Ok(x) if plain && x.is_finite() && !(is_point && frac.is_empty()) => {
            Cell::Number(x, frac.len())
        }
        _ => Cell::Text(text),
    }
}

/// The number format showing `decimals` decimals with thousands separators.
fn number_format(decimals: usize, unit: &str) -> String {
    let int = if unit.is_empty() { "0" } else { "#,##0" };
    if decimals == 0 {
        int.to_string()
    } else {
        format!("{int}.{}", "0".repeat(decimals.min(15)))
    }
}

fn xerr(file: &str) -> impl Fn(XlsxError) -> String + '_ {
    move |e| format!("{file}: {e}")
}

/// Writes `table` to `ws`; returns its rows and columns and what was cut to fit.
fn write_table(ws: &mut Worksheet, table: &CsvTable) -> Result<(usize, usize, String), String> {
    let e = xerr(&table.file);
    let head = Format::new().set_bold();
    let unit_fmt = Format::new()
        .set_italic()
        .set_font_color(Color::RGB(0x59_59_59));
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(table.csv.as_bytes());
    let header: Vec<String> = rdr
        .headers()
        .map_err(|x| format!("{}: {x}", table.file))?
        .iter()
        .map(str::to_string)
        .collect();
    let units: Vec<&str> = header.iter().map(|h| column_unit(h)).collect();
    for (c, (h, u)) in header.iter().zip(&units).enumerate() {
        let c = u16::try_from(c).map_err(|_| format!("{}: too many columns", table.file))?;
        ws.write_string_with_format(0, c, h, &head).map_err(&e)?;
        ws.write_string_with_format(1, c, *u, &unit_fmt)
            .map_err(&e)?;
    }
    let mut formats: Vec<Vec<Option<Format>>> = vec![vec![None; 16]; header.len()];
    let mut cut = 0usize;
    let mut rows = 0usize;
    let mut dropped = 0usize;
    for rec in rdr.records() {
        let rec = rec.map_err(|x| format!("{}: {x}", table.file))?;
        if rows + HEAD_ROWS as usize >= MAX_ROWS {
            dropped += 1;
            continue;
        }
        let r = u32::try_from(rows).unwrap_or(u32::MAX) + HEAD_ROWS;
        for (c, text) in rec.iter().enumerate() {
            let col = u16::try_from(c).map_err(|_| format!("{}: too many columns", table.file))?;
            match cell(text) {
                Cell::Empty => {}
                Cell::Number(x, d) => {
                    let d = d.min(15);
                    let unit = units.get(c).copied().unwrap_or("");
                    if formats.len() <= c {
                        formats.resize(c + 1, vec![None; 16]);
                    }
                    let f = formats[c][d].get_or_insert_with(|| {
                        Format::new().set_num_format(number_format(d, unit))
                    });
                    ws.write_number_with_format(r, col, x, f).map_err(&e)?;
                }
                Cell::Date(d) => {
                    ws.write_datetime_with_format(r, col, &d, &date)
                        .map_err(&e)?;
                }
                Cell::Text(t) => {
                    let t = if t.chars().count() > MAX_CELL {
                        cut += 1;
                        t.chars().take(MAX_CELL - 1).collect::<String>() + "…"
                    } else {
                        t.to_string()
                    };
                    ws.write_string(r, col, t).map_err(&e)?;
                }
            }
        }
        rows += 1;
    }
    ws.set_freeze_panes(HEAD_ROWS, 0).map_err(&e)?;
    ws.set_autofit_max_width(360).autofit();
    let mut note = Vec::new();
    if dropped > 0 {
        note.push(format!(
            "{dropped} rows past Excel's {MAX_ROWS} left out (the CSV has them all)"
        ));
    }
    if cut > 0 {
        note.push(format!(
            "{cut} cells longer than Excel's {MAX_CELL} characters cut"
        ));
    }
    Ok((rows + dropped, header.len(), note.join("; ")))
}

/// The workbook of `tables` (in that order) after a contents sheet titled `title`, as the
/// bytes of an `.xlsx` file. The same tables give the same bytes.
///
/// # Errors
/// The table and what Excel could not take.
pub fn workbook(title: &str, tables: &[CsvTable]) -> Result<Vec<u8>, String> {
    let mut wb = Workbook::new();
    // A fixed creation time, so that the same tables give the same file.
    let epoch = ExcelDateTime::from_ymd(2000, 1, 1).map_err(|e| e.to_string())?;
    wb.set_properties(
        &DocProperties::new()
            .set_title(title)
            .set_creation_datetime(&epoch),
    );
    let mut entries: Vec<SheetEntry> = Vec::new();
    let mut names: Vec<String> = vec!["Contents".into()];
    let contents_index = 0;
    wb.add_worksheet()
        .set_name("Contents")
        .map_err(|e| e.to_string())?;
    let common = common_dir(tables);
    for t in tables {
        let name = sheet_name(&t.file[common..], &names);
        names.push(name.clone());
        let ws = wb.add_worksheet();
        ws.set_name(&name).map_err(xerr(&t.file))?;
        let (rows, columns, note) = write_table(ws, t)?;
        entries.push(SheetEntry {
            sheet: name,
            file: t.file.clone(),
            rows,
            columns,
            note,
        });
    }
    let ws = wb
        .worksheet_from_index(contents_index)
        .map_err(|e| e.to_string())?;
    write_contents(ws, title, &entries).map_err(|e| e.to_string())?;
    wb.save_to_buffer().map_err(|e| e.to_string())
}

fn write_contents(
    ws: &mut Worksheet,
    title: &str,
    entries: &[SheetEntry],
) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    ws.write_string_with_format(0, 0, title, &Format::new().set_bold().set_font_size(14))?;
    ws.write_string(
        1,
        0,
        "One sheet per CSV table the run wrote: row 1 names each column as in the CSV, row 2 gives its unit (\"see unit\": the row's unit column; \"fraction\": 0–1); the values are the CSV's.",
    )?;
    for (c, h) in ["sheet", "file", "rows", "columns", "note"]
        .iter()
        .enumerate()
    {
        ws.write_string_with_format(3, c as u16, *h, &bold)?;
    }
    for (i, e) in entries.iter().enumerate() {
        let r = 4 + i as u32;
        let link = Url::new(format!("internal:'{}'!A1", e.sheet)).set_text(&e.sheet);
        ws.write_url(r, 0, link)?;
        ws.write_string(r, 1, &e.file)?;
        ws.write_number(r, 2, e.rows as f64)?;
        ws.write_number(r, 3, e.columns as f64)?;
        if !e.note.is_empty() {
            ws.write_string(r, 4, &e.note)?;
        }
    }
    ws.set_column_width(0, 32)?;
    ws.set_column_width(1, 48)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_fit_excel_and_stay_unique() {
        let mut taken = vec!["Contents".to_string()];
        let a = sheet_name("caspian-cable-fault-russian-cut/daily.csv", &taken);
        assert_eq!(a, "caspian-cable-fault-russi daily");
        assert_eq!(a.chars().count(), 31);
        taken.push(a);
        let b = sheet_name("caspian-cable-fault-russian-cut-2/daily.csv", &taken);
        assert_eq!(b, "caspian-cable-fault-rus daily~2");
        assert_eq!(sheet_name("summary.csv", &taken), "summary");
        assert_eq!(
            sheet_name("mc-random-failures/compare/replicates.csv", &taken),
            "mc-random-failures c replicates"
        );
        assert_eq!(sheet_name("a:b/x?.csv", &taken), "a_b x_");
        assert_eq!(sheet_name("contents.csv", &taken), "contents~2");
    }

    #[test]
    fn sheet_names_leave_out_the_folder_every_table_shares() {
        let t = |f: &str| CsvTable {
            file: f.into(),
            csv: String::new(),
        };
        assert_eq!(
            common_dir(&[t("s/compare/a.csv"), t("s/compare/b.csv")]),
            10
        );
        assert_eq!(common_dir(&[t("s/compare/a.csv"), t("s/b.csv")]), 2);
        assert_eq!(common_dir(&[t("s/a.csv"), t("summary.csv")]), 0);
        assert_eq!(common_dir(&[t("s/a.csv")]), 2);
        assert_eq!(common_dir(&[]), 0);
    }

    #[test]
    fn cells_are_numbers_dates_or_text_as_written() {
        assert!(matches!(cell("12.5000"), Cell::Number(x, 4) if x == 12.5));
        assert!(matches!(cell("-3"), Cell::Number(x, 0) if x == -3.0));
        assert!(matches!(cell("2026-01-14"), Cell::Date(_)));
        for t in [
            "inf",
            "NaN",
            "1e5",
            "5.",
            "+3",
            "aktau-port",
            "0x10",
            "2026-13-45",
        ] {
            assert!(matches!(cell(t), Cell::Text(_)), "{t}");
        }
        assert!(matches!(cell(""), Cell::Empty));
        assert_eq!(number_format(4, "Mt"), "#,##0.0000");
        assert_eq!(number_format(0, "US$"), "#,##0");
        assert_eq!(number_format(0, ""), "0");
    }

    #[test]
    fn the_same_tables_give_the_same_bytes() {
        let t = [CsvTable {
            file: "x/daily.csv".into(),
            csv: "date,exports_kt,name\n2026-01-01,1.5000,a–b\n".into(),
        }];
        let a = workbook("t", &t).unwrap();
        assert_eq!(a, workbook("t", &t).unwrap());
        assert_eq!(&a[..2], b"PK");
    }
}
