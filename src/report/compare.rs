//! `compare.csv`, `compare.json` and the ranked table of `corridor compare`.

use std::fmt::Write as _;

use super::r4;
use super::rows::{CompareRow, F4, SensitivityRow, Usd, to_csv};
pub use crate::engine::compare::ranked;
use crate::engine::compare::{Estimate, SensitivityCase, VariantStats};

/// The rows of `compare.csv`, one per variant in ranked order.
pub fn rows(stats: &[VariantStats]) -> Vec<CompareRow> {
    let bc =
        |f: fn(&Estimate) -> f64, s: &VariantStats| s.benefit_cost.as_ref().map(|e| F4::new(f(e)));
    ranked(stats)
        .into_iter()
        .map(|s| CompareRow {
            variant: s.id.clone(),
            name: s.name.clone(),
            annual_cost_usd: Usd::dollars(s.annual_cost_usd),
            runs: s.runs,
            avoided_mt: F4::new(s.avoided_mt.mean),
            avoided_mt_lo: F4::new(s.avoided_mt.lo),
            avoided_mt_hi: F4::new(s.avoided_mt.hi),
            avoided_usd: Usd::dollars(s.avoided_usd.mean),
            avoided_usd_lo: Usd::dollars(s.avoided_usd.lo),
            avoided_usd_hi: Usd::dollars(s.avoided_usd.hi),
            data_avoided_hours: F4::new(s.data_avoided_hours.mean),
            data_avoided_hours_lo: F4::new(s.data_avoided_hours.lo),
            data_avoided_hours_hi: F4::new(s.data_avoided_hours.hi),
            data_avoided_usd: Usd::dollars(s.data_avoided_usd.mean),
            data_avoided_usd_lo: Usd::dollars(s.data_avoided_usd.lo),
            data_avoided_usd_hi: Usd::dollars(s.data_avoided_usd.hi),
            total_avoided_usd: Usd::dollars(s.total_avoided_usd.mean),
            total_avoided_usd_lo: Usd::dollars(s.total_avoided_usd.lo),
            total_avoided_usd_hi: Usd::dollars(s.total_avoided_usd.hi),
            net_benefit_usd: Usd::dollars(s.net_benefit_usd),
            benefit_cost: bc(|e| e.mean, s),
            benefit_cost_lo: bc(|e| e.lo, s),
            benefit_cost_hi: bc(|e| e.hi, s),
            breakeven_frequency_multiple: s.breakeven_frequency_multiple.map(F4::new),
            cvar95_change_mt: F4::new(s.cvar95_change_mt.mean),
            cvar95_change_mt_lo: F4::new(s.cvar95_change_mt.lo),
            cvar95_change_mt_hi: F4::new(s.cvar95_change_mt.hi),
            p_loss_over_10pct_change: F4::new(s.p_loss_over_10pct_change.mean),
            p_loss_over_10pct_change_lo: F4::new(s.p_loss_over_10pct_change.lo),
            p_loss_over_10pct_change_hi: F4::new(s.p_loss_over_10pct_change.hi),
            days_below_80pct_change: F4::new(s.days_below_80pct_change.mean),
            days_below_80pct_change_lo: F4::new(s.days_below_80pct_change.lo),
            days_below_80pct_change_hi: F4::new(s.days_below_80pct_change.hi),
            russia_share_flows: F4::new(s.russia_share_flows),
            hhi_flows: F4::new(s.hhi_flows),
            n_minus_1_mt: F4::new(s.n_minus_1_mt),
            data_unserved_change_tb: F4::new(s.data_unserved_change_tb.mean),
            data_worst_latency_ms: F4::new(s.data_worst_latency_ms),
        })
        .collect()
}

/// `compare.csv` as text.
pub fn csv(stats: &[VariantStats]) -> String {
    to_csv(&rows(stats)).unwrap_or_default()
}

fn round_est(e: &Estimate) -> Estimate {
    Estimate {
        mean: r4(e.mean),
        lo: r4(e.lo),
        hi: r4(e.hi),
        se: r4(e.se),
    }
}

/// `compare.json`: the same figures, with the probability that each option beats each other.
pub fn json(scenario: &str, stats: &[VariantStats]) -> String {
    let rows: Vec<serde_json::Value> = ranked(stats)
        .into_iter()
        .map(|s| {
            let mut s = s.clone();
            for e in [
                &mut s.avoided_mt,
                &mut s.cvar95_change_mt,
                &mut s.p_loss_over_10pct_change,
                &mut s.days_below_80pct_change,
                &mut s.data_unserved_change_tb,
                &mut s.data_avoided_hours,
            ] {
                *e = round_est(e);
            }
            for e in [
                &mut s.avoided_usd,
                &mut s.data_avoided_usd,
                &mut s.total_avoided_usd,
            ] {
                *e = Estimate {
                    mean: e.mean.round(),
                    lo: e.lo.round(),
                    hi: e.hi.round(),
                    se: e.se.round(),
                };
            }
            s.benefit_cost = s.benefit_cost.as_ref().map(round_est);
            s.net_benefit_usd = s.net_benefit_usd.round();
            s.unpaired_se_mt = r4(s.unpaired_se_mt);
            s.breakeven_frequency_multiple = s.breakeven_frequency_multiple.map(r4);
            s.russia_share_flows = r4(s.russia_share_flows);
            s.hhi_flows = r4(s.hhi_flows);
            s.n_minus_1_mt = r4(s.n_minus_1_mt);
            s.data_worst_latency_ms = r4(s.data_worst_latency_ms);
            s.p_beats = s.p_beats.iter().map(|(k, p)| (k.clone(), r4(*p))).collect();
            serde_json::to_value(&s).unwrap_or_default()
        })
        .collect();
    let doc = serde_json::json!({
        "scenario": scenario,
        "units": "avoided losses per year in Mt, hours of full national data outage and US$ (avoided_usd: oil; data_avoided_usd: data; total_avoided_usd: both, which net benefit and B/C use) against the status quo on the same failures; CI 95% from the paired replicates (CVaR: bootstrap); costs US$/yr",
        "variants": rows,
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

/// The readable table, ranked by net benefit.
pub fn table(stats: &[VariantStats]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<28} {:>10} {:>22} {:>12} {:>12} {:>12} {:>16} {:>10} {:>8}",
        "variant",
        "cost $m/yr",
        "avoided Mt/yr (95% CI)",
        "oil $m/yr",
        "data $m/yr",
        "net $m/yr",
        "B/C (95% CI)",
        "ΔCVaR Mt",
        "N-1 Mt"
    );
    for s in ranked(stats) {
        let bc = s
            .benefit_cost
            .as_ref()
            .map(|b| format!("{:.2} ({:.2}–{:.2})", b.mean, b.lo, b.hi))
            .unwrap_or_else(|| "–".into());
        let _ = writeln!(
            out,
            "{:<28} {:>10.1} {:>8.3} ({:>5.3}–{:>5.3}) {:>12.1} {:>12.1} {:>12.1} {:>16} {:>10.3} {:>8.1}",
            s.id,
            s.annual_cost_usd / 1e6,
            s.avoided_mt.mean,
            s.avoided_mt.lo,
            s.avoided_mt.hi,
            s.avoided_usd.mean / 1e6,
            s.data_avoided_usd.mean / 1e6,
            s.net_benefit_usd / 1e6,
            bc,
            s.cvar95_change_mt.mean,
            s.n_minus_1_mt
        );
    }
    out
}

/// The rows of `sensitivity.csv`: one per case, the ranking joined by ` > `, the top option's
/// net benefit in US$/yr, and the net benefit of the option ranked first as estimated (the
/// tornado chart's bars).
pub fn sensitivity_rows(cases: &[SensitivityCase]) -> Vec<SensitivityRow> {
    cases
        .iter()
        .map(|c| SensitivityRow {
            case: c.case.clone(),
            ranking_by_net_benefit: c.ranking.join(" > "),
            top_net_benefit_usd: Usd::dollars(c.top_net_benefit_usd),
            reference_option: c.reference.clone(),
            reference_net_benefit_usd: Usd::dollars(c.reference_net_benefit_usd),
        })
        .collect()
}

/// The sensitivity table printed by `corridor compare --sensitivity`.
pub fn sensitivity_table(cases: &[SensitivityCase]) -> String {
    let mut out = String::from("\nSensitivity of the ranking (net benefit, US$/yr):\n");
    for c in cases {
        let _ = writeln!(
            out,
            "  {:<36} {}   (top: {:.1} $m/yr)",
            c.case,
            c.ranking.join(" > "),
            c.top_net_benefit_usd / 1e6
        );
    }
    out
}
