//! `compare.csv`, `compare.json` and the ranked table of `corridor compare`.

use std::fmt::Write as _;

use super::{f4, r4};
pub use crate::engine::compare::ranked;
use crate::engine::compare::{Estimate, SensitivityCase, VariantStats};

/// Header of `compare.csv`. Money in US$ per year, volumes in Mt per year, CI bounds 95%.
pub const HEADER: &[&str] = &[
    "variant",
    "name",
    "annual_cost_usd",
    "runs",
    "avoided_mt",
    "avoided_mt_lo",
    "avoided_mt_hi",
    "avoided_usd",
    "avoided_usd_lo",
    "avoided_usd_hi",
    "net_benefit_usd",
    "benefit_cost",
    "benefit_cost_lo",
    "benefit_cost_hi",
    "breakeven_frequency_multiple",
    "cvar95_change_mt",
    "cvar95_change_mt_lo",
    "cvar95_change_mt_hi",
    "p_loss_over_10pct_change",
    "p_loss_over_10pct_change_lo",
    "p_loss_over_10pct_change_hi",
    "days_below_80pct_change",
    "days_below_80pct_change_lo",
    "days_below_80pct_change_hi",
    "russia_share_flows",
    "hhi_flows",
    "n_minus_1_mt",
    "data_unserved_change_tb",
    "data_worst_latency_ms",
];

fn est(e: &Estimate) -> [String; 3] {
    [f4(e.mean), f4(e.lo), f4(e.hi)]
}

fn usd(x: f64) -> String {
    format!("{:.0}", x + 0.0)
}

/// `compare.csv`, one row per variant in ranked order.
pub fn csv(stats: &[VariantStats]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(HEADER);
    for s in ranked(stats) {
        let mut row = vec![
            s.id.clone(),
            s.name.clone(),
            usd(s.annual_cost_usd),
            s.runs.to_string(),
        ];
        row.extend(est(&s.avoided_mt));
        row.extend([
            usd(s.avoided_usd.mean),
            usd(s.avoided_usd.lo),
            usd(s.avoided_usd.hi),
        ]);
        row.push(usd(s.net_benefit_usd));
        match &s.benefit_cost {
            Some(bc) => row.extend(est(bc)),
            None => row.extend([String::new(), String::new(), String::new()]),
        }
        row.push(s.breakeven_frequency_multiple.map(f4).unwrap_or_default());
        row.extend(est(&s.cvar95_change_mt));
        row.extend(est(&s.p_loss_over_10pct_change));
        row.extend(est(&s.days_below_80pct_change));
        row.extend([
            f4(s.russia_share_flows),
            f4(s.hhi_flows),
            f4(s.n_minus_1_mt),
        ]);
        row.extend([
            f4(s.data_unserved_change_tb.mean),
            f4(s.data_worst_latency_ms),
        ]);
        let _ = w.write_record(&row);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
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
            ] {
                *e = round_est(e);
            }
            s.avoided_usd = Estimate {
                mean: s.avoided_usd.mean.round(),
                lo: s.avoided_usd.lo.round(),
                hi: s.avoided_usd.hi.round(),
                se: s.avoided_usd.se.round(),
            };
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
        "units": "avoided losses per year in Mt and US$ against the status quo on the same failures; CI 95% from the paired replicates (CVaR: bootstrap); costs US$/yr",
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
        "{:<28} {:>10} {:>22} {:>12} {:>12} {:>16} {:>10} {:>8}",
        "variant",
        "cost $m/yr",
        "avoided Mt/yr (95% CI)",
        "avoided $m",
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
            "{:<28} {:>10.1} {:>8.3} ({:>5.3}–{:>5.3}) {:>12.1} {:>12.1} {:>16} {:>10.3} {:>8.1}",
            s.id,
            s.annual_cost_usd / 1e6,
            s.avoided_mt.mean,
            s.avoided_mt.lo,
            s.avoided_mt.hi,
            s.avoided_usd.mean / 1e6,
            s.net_benefit_usd / 1e6,
            bc,
            s.cvar95_change_mt.mean,
            s.n_minus_1_mt
        );
    }
    out
}

/// `sensitivity.csv`: one row per case, the ranking joined by ` > `, the top option's net
/// benefit in US$/yr.
pub fn sensitivity_csv(cases: &[SensitivityCase]) -> String {
    let mut csv = String::from("case,ranking_by_net_benefit,top_net_benefit_usd\n");
    for c in cases {
        csv.push_str(&format!(
            "\"{}\",\"{}\",{:.0}\n",
            c.case,
            c.ranking.join(" > "),
            c.top_net_benefit_usd
        ));
    }
    csv
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
