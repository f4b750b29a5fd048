//! The unit of every column the project writes, read from its name: the tables name their
//! quantities with a unit suffix (`lost_exports_mt`, `flow_btc_kt`, `rtt_ms`), and the few
//! that do not are listed here. The Excel workbooks put it under each heading.

/// What a column's value is counted in: `Mt`, `kt/day`, `US$/yr`, `fraction` (of a whole, 0–1),
/// `see unit` (the row's `unit` column says), or empty for text, ids, dates and counts.
pub fn column_unit(column: &str) -> &'static str {
    // A confidence bound is in its estimate's unit.
    let c = column
        .strip_suffix("_lo")
        .or_else(|| column.strip_suffix("_hi"))
        .unwrap_or(column);
    if let Some(u) = named(c) {
        return u;
    }
    let stock = ["store", "stored", "at_sea"]
        .iter()
        .any(|p| c.starts_with(p));
    let annual = [
        "avoided_",
        "total_avoided_",
        "data_avoided_",
        "annual_",
        "net_benefit",
    ]
    .iter()
    .any(|p| c.starts_with(p));
    const SUFFIXES: &[(&str, &str)] = &[
        ("_usd_per_t", "US$/t"),
        ("_mt", "Mt"),
        ("_kt", "kt/day"),
        ("_usd", "US$"),
        ("_gbps", "Gbps"),
        ("_ms", "ms"),
        ("_km", "km"),
        ("_tb", "Tb"),
        ("_hours", "h"),
        ("_days", "days"),
    ];
    let Some(&(_, unit)) = SUFFIXES.iter().find(|(s, _)| c.ends_with(s)) else {
        return "";
    };
    match unit {
        "kt/day" if stock => "kt",
        "Mt" if annual => "Mt/yr",
        "US$" if annual => "US$/yr",
        "h" if annual => "h/yr",
        u => u,
    }
}

/// The columns whose name does not end in their unit.
fn named(c: &str) -> Option<&'static str> {
    Some(match c {
        "performance"
        | "min_performance"
        | "worst_performance"
        | "data_min_performance"
        | "share"
        | "reserved_share"
        | "russia_transit_share"
        | "russia_share_flows"
        | "p5"
        | "p50"
        | "p95"
        | "mean"
        | "tolerance"
        | "p_loss_over_10pct_change" => "fraction",
        "resilience_loss"
        | "data_resilience_loss"
        | "days_below_90pct"
        | "days_to_recover"
        | "days_without"
        | "days_below_80pct_change" => "days",
        "n_minus_1_mt" => "Mt/yr",
        "hhi_flows" => "0–10,000",
        "benefit_cost" | "ratio" => "ratio",
        "breakeven_frequency_multiple" => "× failure rates",
        "capacity"
        | "available_capacity"
        | "capacity_entered"
        | "maximum"
        | "allocation"
        | "standalone_capacity"
        | "attributed_capacity"
        | "value"
        | "model"
        | "reported" => "see unit",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::column_unit;

    #[test]
    fn units_follow_the_suffix_and_the_exceptions() {
        for (c, u) in [
            ("lost_exports_mt", "Mt"),
            ("avoided_mt_lo", "Mt/yr"),
            ("net_benefit_usd", "US$/yr"),
            ("lost_revenue_usd", "US$"),
            ("flow_btc_kt", "kt/day"),
            ("store_aktau-tanks_kt", "kt"),
            ("at_sea_kt", "kt"),
            ("served_ru-west_gbps", "Gbps"),
            ("tariff_usd_per_t", "US$/t"),
            ("data_outage_hours", "h"),
            ("data_avoided_hours_hi", "h/yr"),
            ("min_performance", "fraction"),
            ("resilience_loss_days", "days"),
            ("n_minus_1_mt", "Mt/yr"),
            ("capacity", "see unit"),
            ("scenario", ""),
            ("date", ""),
            ("replicate", ""),
        ] {
            assert_eq!(column_unit(c), u, "{c}");
        }
    }
}
