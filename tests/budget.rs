//! The state-budget impact of lost exports: export duty plus extraction tax on the tonnes lost,
//! from fields that are not exempt. Worked by hand on one field and one pipeline.

mod common;

use common::fixtures;

/// Field F (14 kt/day) ships to market M by pipeline `a` (14 kt/day); `a` is out on days 2–3.
fn tail(state_take: &str) -> String {
    format!(
        "[[event]]\nkind = \"outage\"\nstart = \"2026-01-03\"\nduration_days = 2\nassets = [\"a\"]\nsource = \"test\"\n{state_take}"
    )
}

fn net() -> String {
    format!(
        "{}[[link]]\nid = \"a\"\nkind = \"pipeline\"\nfrom = \"F\"\nto = \"M\"\ncountries = [\"KZ\"]\ncapacity = {{ value = 14, unit = \"kt/day\", source = \"test\" }}\n",
        fixtures::FIELD_AND_MARKET
    )
}

fn budget(state_take: &str) -> Option<f64> {
    let l =
        fixtures::parse_micro(&net(), 6, "", &tail(state_take)).unwrap_or_else(|e| panic!("{e}"));
    let (s, _) = fixtures::summary_and_exports(&l);
    assert!((s.lost_exports_mt - 0.028).abs() < 1e-12);
    s.state_budget_loss_usd
}

const TAKE: &str = "[economics.state_take]\nexport_duty = { value = 10, unit = \"$/t\", source = \"test\" }\nextraction_tax = { value = 10, unit = \"%\", source = \"test\" }\n";

#[test]
fn lost_tonnes_cost_the_budget_their_duty_and_tax() {
    // 28 kt lost, all F's. At $80/bbl × 7.5 bbl/t = $600/t, the take is $10 + 10% × $600 =
    // $70/t: 28,000 t × $70 = $1,960,000.
    let b = budget(TAKE).unwrap();
    assert!((b - 1_960_000.0).abs() < 1e-6, "{b}");
    // F exempt (a production-sharing agreement): nothing counted.
    assert_eq!(budget(&format!("{TAKE}exempt = [\"F\"]\n")), Some(0.0));
    // No state take: unset, not zero.
    assert_eq!(budget(""), None);
}

#[test]
fn a_bad_state_take_is_refused_with_its_field() {
    for (bad, field, needle) in [
        (
            TAKE.replace("value = 10, unit = \"$/t\"", "value = -5, unit = \"$/t\""),
            "export_duty",
            "-5 $/t is outside the physical range of a tariff or duty: 0 ≤ x ≤ 1,000 $/t",
        ),
        (
            TAKE.replace("value = 10, unit = \"%\"", "value = 120, unit = \"%\""),
            "extraction_tax",
            "120 % (1.2 fraction) is outside the physical range of a share",
        ),
        (format!("{TAKE}exempt = [\"M\"]\n"), "exempt", "oil field"),
    ] {
        let errs = fixtures::micro_errors(&net(), 6, "", &tail(&bad));
        assert!(
            errs.iter().any(|e| e.contains(&format!("economics.state_take.{field}"))
                && e.contains(needle)),
            "{field}: {errs:?}"
        );
    }
}
