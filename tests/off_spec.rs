//! `off_spec` events: contaminated crude either stops (lost exports) or flows on at a discount
//! (a loss of value, not of exports). Worked by hand on one field, one pipeline, one route.

mod common;

use common::fixtures;
use corridor::engine::metrics::Summary;

/// Field F (14 kt/day) ships to market M by pipeline `a` (14 kt/day), route R.
fn net() -> String {
    format!(
        "{}[[link]]\nid = \"a\"\nkind = \"pipeline\"\nfrom = \"F\"\nto = \"M\"\ncountries = [\"KZ\"]\ncapacity = {{ value = 14, unit = \"kt/day\", source = \"test\" }}\n[[route]]\nid = \"R\"\nstages = [\"a\"]\n",
        fixtures::FIELD_AND_MARKET
    )
}

/// Off spec on `a` on days 2–3, with `extra` fields.
fn event(extra: &str) -> String {
    format!(
        "[[event]]\nkind = \"off_spec\"\nstart = \"2026-01-03\"\nduration_days = 2\nassets = [\"a\"]\n{extra}source = \"test\"\n"
    )
}

fn summary(extra: &str) -> (Summary, Vec<f64>) {
    let l = fixtures::parse_micro(&net(), 6, "", &event(extra)).unwrap_or_else(|e| panic!("{e}"));
    fixtures::summary_and_exports(&l)
}

#[test]
fn off_spec_crude_that_stops_is_lost_exports() {
    // `a` carries nothing on days 2–3: 2 × 14 = 28 kt lost, none of it sold at a discount.
    let (s, exports) = summary("handling = \"stop\"\n");
    assert_eq!(exports, vec![14.0, 14.0, 0.0, 0.0, 14.0, 14.0]);
    assert!(
        (s.lost_exports_mt - 0.028).abs() < 1e-12,
        "{}",
        s.lost_exports_mt
    );
    assert_eq!((s.off_spec_mt, s.off_spec_discount_usd), (0.0, 0.0));
    assert_eq!(s.event_displaced_kt, vec![28.0]);
}

#[test]
fn off_spec_crude_sold_at_a_discount_is_a_loss_of_value_not_of_exports() {
    // Exports are unchanged; the 28 kt exported over R on days 2–3 are sold $5/t below the
    // market: 28,000 t × $5 = $140,000.
    let (s, exports) = summary(
        "handling = \"discount\"\ndiscount = { value = 5, unit = \"$/t\", source = \"test\" }\n",
    );
    assert_eq!(exports, vec![14.0; 6]);
    assert_eq!(s.lost_exports_mt, 0.0);
    assert!((s.off_spec_mt - 0.028).abs() < 1e-12, "{}", s.off_spec_mt);
    assert!((s.off_spec_discount_usd - 140_000.0).abs() < 1e-6);
    assert_eq!(s.event_displaced_kt, vec![0.0]);
}

#[test]
fn an_off_spec_event_must_say_how_the_crude_is_handled() {
    for (extra, field, needle) in [
        ("", "handling", "missing required field"),
        (
            "handling = \"burn\"\n",
            "handling",
            "unknown handling `burn`",
        ),
        (
            "handling = \"stop\"\ndiscount = { value = 5, unit = \"$/t\", source = \"test\" }\n",
            "discount",
            "not sold at a discount",
        ),
        (
            "handling = \"discount\"\n",
            "discount",
            "missing required field",
        ),
        (
            "handling = \"stop\"\nfraction = 0.5\n",
            "fraction",
            "no fraction",
        ),
    ] {
        let errs = fixtures::micro_errors(&net(), 6, "", &event(extra));
        assert!(
            errs.iter()
                .any(|e| e.contains(&format!("event[off_spec #1].{field}")) && e.contains(needle)),
            "{extra}: {errs:?}"
        );
    }
}
