//! The hindcast: reported figures set against the model. Hand-worked on one field and one
//! pipeline, then the shipped history scenarios (golden `hindcast.csv`, every toleranced figure
//! within its tolerance), then the CLI's `--check` exit code.

mod common;

use std::path::Path;

use common::fixtures;
use corridor::app::MemorySink;
use corridor::app::hindcast;
use corridor::io::{LoadedScenario, Memory};

/// Field F (14 kt/day) → market M by pipeline `a` (10 kt/day), out on 3–4 Jan 2026; no tanks.
const LINKS: &str = r#"
[[link]]
id = "a"
kind = "pipeline"
from = "F"
to = "M"
countries = ["KZ"]
capacity = { value = 10, unit = "kt/day", source = "test" }
"#;

/// The field and market with the links above.
fn net() -> String {
    format!("{}{LINKS}", fixtures::FIELD_AND_MARKET)
}

const OUTAGE: &str = "[[event]]\nkind = \"outage\"\nstart = \"2026-01-03\"\nend = \"2026-01-04\"\nassets = [\"a\"]\nsource = \"test\"\n";

fn reported(quantity: &str, value: &str, tolerance: &str, window: &str) -> String {
    format!(
        "[[reported]]\nname = \"{quantity} {value} {tolerance}\"\nquantity = \"{quantity}\"\n{window}value = {{ value = {value}, unit = \"kt\", source = \"test\" }}\n{tolerance}\n"
    )
}

fn load(tail: &str) -> LoadedScenario {
    fixtures::parse_micro(&net(), 6, "", &format!("{OUTAGE}{tail}"))
        .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn model_values_and_pass_bands_worked_by_hand() {
    // Exports 10, 10, 0, 0, 10, 10 kt: 40 kt over the run; the baseline 60, so 20 kt lost.
    // Over 2–3 Jan: 10 kt exported, 10 lost.
    let tail = [
        reported("exports", "40", "tolerance = 0.0", ""),
        reported("exports", "50", "tolerance = 0.1", ""), // |40 − 50| = 10 > 5: fail
        reported("exports", "50", "tolerance = 0.2", ""), // 10 ≤ 10: pass
        reported("lost_exports", "20", "", ""),           // shown
        reported(
            "lost_exports",
            "10",
            "tolerance = 0.0",
            "from = \"2026-01-02\"\nto = \"2026-01-03\"\n",
        ),
    ]
    .concat();
    let l = load(&tail);
    let rows = hindcast::rows(&[&l]).unwrap();
    let got: Vec<(f64, Option<f64>, &str)> = rows
        .iter()
        .map(|r| (r.model.0, r.ratio.map(|x| x.0), r.result.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            (0.04, Some(1.0), "pass"),
            (0.04, Some(0.8), "fail"),
            (0.04, Some(0.8), "pass"),
            (0.02, Some(1.0), "shown"),
            (0.01, Some(1.0), "pass"),
            // The model row: 20 kt lost over the run, set against nothing.
            (0.02, None, "model"),
        ]
    );
    assert_eq!(rows[4].from, "2026-01-02");
    assert_eq!(rows[4].to, "2026-01-03");
    assert_eq!(rows[0].unit, "Mt");
}

#[test]
fn bad_reported_entries_are_refused_with_their_field() {
    let errs = |tail: &str| fixtures::micro_errors(&net(), 6, "", tail).join("\n");
    let e = errs(&reported("tonnage", "1", "", ""));
    assert!(
        e.contains("reported[#1].quantity: unknown quantity `tonnage`"),
        "{e}"
    );
    assert!(
        e.contains("one of: exports, lost_exports, share, russia_share"),
        "{e}"
    );
    let e = errs(&reported("share", "1", "", ""));
    assert!(
        e.contains("reported[#1].routes: a share needs the routes"),
        "{e}"
    );
    let e = errs(&reported("exports", "1", "", "from = \"2027-01-01\"\n"));
    assert!(
        e.contains("reported[#1].from: 2027-01-01 is outside the run"),
        "{e}"
    );
    let e = errs(&reported("exports", "1", "tolerance = -1", ""));
    assert!(
        e.contains("reported[#1].tolerance: a tolerance must be a finite number ≥ 0"),
        "{e}"
    );
    let e = errs(&reported("exports", "1", "", "routes = [\"nowhere\"]\n"));
    assert!(
        e.contains("reported[#1].routes: unknown oil route `nowhere`"),
        "{e}"
    );
    let e = errs(
        "[[reported]]\nname = \"x\"\nquantity = \"share\"\nroutes = []\nvalue = { value = 1, unit = \"Mt\", source = \"t\" }\n",
    );
    assert!(
        e.contains("reported[#1].routes: a share needs the routes"),
        "{e}"
    );
}

#[test]
fn the_shipped_history_is_reproduced_within_every_tolerance() {
    let src = Memory::embedded_scenarios();
    let mut mem = MemorySink::new();
    let rows = hindcast::job(&src, Path::new("scenarios/history"), true, true, &mut mem)
        .unwrap_or_else(|e| panic!("{e}"));
    let failed: Vec<String> = rows
        .iter()
        .filter(|r| r.result == "fail")
        .map(|r| {
            format!(
                "{}: {} model {} reported {:?}",
                r.case, r.name, r.model.0, r.reported
            )
        })
        .collect();
    assert!(failed.is_empty(), "{failed:?}");
    assert!(rows.iter().filter(|r| r.result == "pass").count() >= 8);
    // Every case with events has its model row, with no reported figure: its lost exports, or
    // for the internet shutdown (which costs no oil) its data outage in hours.
    let model: Vec<(&str, &str)> = rows
        .iter()
        .filter(|r| r.result == "model")
        .map(|r| (r.case.as_str(), r.unit.as_str()))
        .collect();
    assert_eq!(model.len(), 11, "{model:?}");
    assert_eq!(model[0], ("2022-01-internet-shutdown", "h"));
    assert!(model[1..].iter().all(|m| m.1 == "Mt"), "{model:?}");
    // The shutdown's hours, worked from its timeline: 3 national days at 3% and 3 days of
    // Almaty (600 of 1,086 Gbps) at 3%: 72 × 0.97 + 72 × 0.97 × 600/1,086 = 108.43 h.
    let hours = rows
        .iter()
        .find(|r| r.quantity == "data_shutdown_hours")
        .unwrap();
    let want = 72.0 * 0.97 * (1.0 + 600.0 / 1086.0);
    assert!(
        (hours.model.0 - want).abs() < 1e-3,
        "{} vs {want}",
        hours.model.0
    );
    assert!(
        rows.iter()
            .filter(|r| r.result == "model")
            .all(|r| r.reported.is_none() && r.model.0 > 0.0)
    );
    common::check_golden(
        "tests/golden/hindcast.csv",
        &mem.text("hindcast.csv").unwrap(),
    );
    assert!(mem.stdout.contains("toleranced figures within tolerance"));
}

#[test]
fn check_exits_5_when_a_figure_is_outside_its_tolerance() {
    let dir = std::env::temp_dir().join(format!("corridor-hindcast-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("h/routes")).unwrap();
    std::fs::write(
        dir.join("h/routes/net.toml"),
        format!("{}{}", fixtures::CRUDE, net()),
    )
    .unwrap();
    let text = fixtures::scenario_text(
        "s",
        6,
        &fixtures::economics(fixtures::DATA_UNSET),
        &format!(
            "{OUTAGE}{}",
            reported("exports", "50", "tolerance = 0.1", "")
        ),
    );
    std::fs::write(dir.join("h/s.toml"), text).unwrap();
    let run = |check: bool| {
        let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_corridor"));
        c.arg("hindcast")
            .arg(dir.join("h"))
            .arg("--out")
            .arg(dir.join("out"));
        if check {
            c.arg("--check");
        }
        c.output().unwrap()
    };
    let o = run(false);
    assert_eq!(o.status.code(), Some(0));
    assert!(dir.join("out/hindcast.csv").exists());
    assert!(dir.join("out/hindcast.png").exists());
    let o = run(true);
    assert_eq!(o.status.code(), Some(5));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("1 reported figure(s) outside their tolerance: s: exports 50"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
