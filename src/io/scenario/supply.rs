//! `[economics]`, `[production]`, `[demand]` and the CSV files they name.

use std::collections::BTreeMap;

use toml::Spanned;

use super::*;
use crate::io::raw::RawFigure;
use crate::model::units::Dimension;
use crate::model::{
    CostRates, DataValue, Date, Economics, Layer, Network, NodeIx, NodeKind, StateTake, Supply,
};

impl Cx<'_> {
    pub(crate) fn economics(
        &mut self,
        net: &Network,
        e: &RawEconomics,
        network_bbl: f64,
    ) -> Option<Economics> {
        let price = self.unit_value(&e.oil_price, "$/bbl", "economics.oil_price");
        let bbl = match &e.bbl_per_t {
            Some(b) => self.unit_value(b, "bbl/t", "economics.bbl_per_t"),
            None => Some(network_bbl),
        };
        let data_value = self.data_value(&e.data_value);
        let rates = e.transport_cost.get_ref();
        let rate = |cx: &mut Self, f: &Spanned<RawFigure>, k: &str| {
            cx.unit_value(f, "$/t/100km", &format!("economics.transport_cost.{k}"))
        };
        let (p, ra, t) = (
            rate(self, &rates.pipeline, "pipeline"),
            rate(self, &rates.rail, "rail"),
            rate(self, &rates.tanker, "tanker"),
        );
        let state_take = match &e.state_take {
            Some(s) => Some(self.state_take(net, s.get_ref())?),
            None => None,
        };
        Some(Economics {
            oil_price_usd_per_bbl: price?,
            bbl_per_t: bbl?,
            data_value: data_value?,
            rates: CostRates {
                pipeline: p?,
                rail: ra?,
                tanker: t?,
            },
            state_take,
        })
    }

    /// `economics.data_value`: `"unset"`, a $/Tb figure, or the GDP-share method (GDP in
    /// `$bn/yr` or `$/yr`, the digital share in `%` or `fraction`, within 0…1).
    fn data_value(&mut self, v: &Spanned<RawDataValue>) -> Option<Option<DataValue>> {
        let field = "economics.data_value";
        let span = v.span();
        let fig = |f: &RawPlainFigure| {
            Spanned::new(
                span.clone(),
                RawFigure {
                    value: Spanned::new(span.clone(), f.value),
                    unit: Spanned::new(span.clone(), f.unit.clone()),
                    source: f.source.clone(),
                    estimate: f.estimate.clone(),
                },
            )
        };
        let hint = "data_value = \"unset\", { value, unit = \"$/Tb\", source } or \
                    { method = \"gdp_share\", gdp = { value, unit = \"$bn/yr\", source }, \
                    digital_share = { value, unit = \"%\", source } }";
        match v.get_ref() {
            RawDataValue::Unset(s) if s == "unset" => Some(None),
            RawDataValue::Unset(s) => {
                self.err(
                    span.start,
                    field,
                    format!("`{s}` is neither a figure, a method nor \"unset\""),
                    Some(hint.into()),
                );
                None
            }
            RawDataValue::Figure(f) => {
                let x = self.unit_value(&fig(f), "$/Tb", field)?;
                if !(x.is_finite() && x >= 0.0) {
                    self.err(span.start, field, "a value per Tb must be ≥ 0", None);
                    return None;
                }
                Some(Some(DataValue::PerTb(x)))
            }
            RawDataValue::Method(m) => {
                if m.method != "gdp_share" {
                    self.err(
                        span.start,
                        format!("{field}.method"),
                        format!("unknown method `{}`", m.method),
                        Some("the one method is \"gdp_share\"".into()),
                    );
                    return None;
                }
                let gdp = match m.gdp.unit.as_str() {
                    "$bn/yr" => self
                        .unit_value(&fig(&m.gdp), "$bn/yr", &format!("{field}.gdp"))
                        .map(|x| x * 1e9),
                    _ => self.unit_value(&fig(&m.gdp), "$/yr", &format!("{field}.gdp")),
                };
                let share = match m.digital_share.unit.as_str() {
                    "%" => self
                        .unit_value(
                            &fig(&m.digital_share),
                            "%",
                            &format!("{field}.digital_share"),
                        )
                        .map(|x| x / 100.0),
                    _ => self.unit_value(
                        &fig(&m.digital_share),
                        "fraction",
                        &format!("{field}.digital_share"),
                    ),
                };
                let (gdp, share) = (gdp?, share?);
                if !(gdp.is_finite() && gdp > 0.0) {
                    self.err(span.start, format!("{field}.gdp"), "GDP must be > 0", None);
                    return None;
                }
                if !(0.0..=1.0).contains(&share) {
                    self.err(
                        span.start,
                        format!("{field}.digital_share"),
                        format!("a share of {}% is outside 0…100%", share * 100.0),
                        None,
                    );
                    return None;
                }
                Some(Some(DataValue::GdpShare {
                    gdp_usd_per_yr: gdp,
                    digital_share: share,
                }))
            }
        }
    }

    /// `[economics.state_take]`: a duty of 0 or more ($/t or $/bbl), a tax share within 0…1,
    /// exempt fields by id.
    fn state_take(&mut self, net: &Network, s: &RawStateTake) -> Option<StateTake> {
        let path = "economics.state_take";
        let duty = self.r.figure(
            0,
            &s.export_duty,
            Dimension::Tariff,
            &format!("{path}.export_duty"),
        );
        let tax = self.r.figure(
            0,
            &s.extraction_tax,
            Dimension::Fraction,
            &format!("{path}.extraction_tax"),
        );
        // Negative duties and taxes above 100% are refused by their ranges (`figure`).
        let mut ok = true;
        let mut exempt = Vec::new();
        for f in s.exempt.iter().flatten() {
            match self.field(
                net,
                f,
                &format!("{path}.exempt"),
                |k| k == NodeKind::Field,
                "an oil field",
            ) {
                Some(ix) => exempt.push(ix),
                None => ok = false,
            }
        }
        exempt.sort_unstable();
        exempt.dedup();
        Some(StateTake {
            export_duty_usd_per_t: duty?.value,
            extraction_tax: tax?.value,
            exempt,
        })
        .filter(|_| ok)
    }

    pub(crate) fn read_csv(
        &mut self,
        file: &Spanned<String>,
        field: &str,
    ) -> Option<(String, String)> {
        let path = self.base.join(file.get_ref());
        match self.source.read(&path) {
            Ok(t) => {
                let name = path.display().to_string();
                self.files.push((name.clone(), t.clone()));
                Some((name, t))
            }
            Err(e) => {
                self.err(
                    file.span().start,
                    field,
                    format!("cannot read {}: {e}", path.display()),
                    Some("paths are relative to the scenario file".into()),
                );
                None
            }
        }
    }

    pub(crate) fn csv_error(
        &mut self,
        file: &str,
        line: u64,
        column: &str,
        problem: String,
        hint: Option<String>,
    ) {
        self.r.diags.items.push(Diagnostic {
            severity: Severity::Error,
            check: None,
            file: file.into(),
            line: line as usize,
            field: column.into(),
            problem,
            hint,
        });
    }

    /// Whether data row number `rows` (1-based, at `line`) of CSV `file` is past the row limit
    /// of the source ([`Limits::csv_rows`](crate::io::Limits)); the error is reported once, on
    /// the first row past it, and the caller stops reading.
    pub(crate) fn past_row_limit(&mut self, file: &str, line: u64, rows: usize) -> bool {
        let limits = self.source.limits();
        if rows <= limits.csv_rows {
            return false;
        }
        self.csv_error(
            file,
            line,
            "(rows)",
            format!(
                "more than {} data rows, the most a CSV input may have",
                crate::model::units::group_thousands(&limits.csv_rows.to_string())
            ),
            Some(limits.hint().into()),
        );
        true
    }

    /// The header of CSV `file`, checked against the columns it must have (`required`, in
    /// any order) and may have (`optional`): an empty file, a missing, unknown or repeated
    /// column is an error at line 1. Returns each required then optional column's index (an
    /// optional column absent is `None`), and whether the file has any data row.
    pub(crate) fn csv_header(
        &mut self,
        file: &str,
        text: &str,
        required: &[&str],
        optional: &[&str],
    ) -> Option<Vec<Option<usize>>> {
        let expected = || {
            let mut all = required.join(",");
            if !optional.is_empty() {
                all.push_str(&format!(" (optional: {})", optional.join(", ")));
            }
            all
        };
        let mut rdr = csv::Reader::from_reader(text.as_bytes());
        let header: Vec<String> = match rdr.headers() {
            Ok(h) if !(h.is_empty() || h.len() == 1 && h[0].trim().is_empty()) => {
                h.iter().map(|c| c.trim().to_string()).collect()
            }
            Ok(_) => {
                self.csv_error(
                    file,
                    1,
                    "(header)",
                    "the file is empty".into(),
                    Some(format!("the first line names the columns: {}", expected())),
                );
                return None;
            }
            Err(e) => {
                let line = e.position().map_or(1, |p| p.line());
                self.csv_error(file, line, "(csv)", e.to_string(), None);
                return None;
            }
        };
        if let Some(value) = header
            .iter()
            .find(|c| Date::parse(c).is_some() || c.parse::<f64>().is_ok())
        {
            self.csv_error(
                file,
                1,
                "(header)",
                format!("`{value}` is a value, not a column name: the header line is missing"),
                Some(format!(
                    "add a first line naming the columns: {}",
                    expected()
                )),
            );
            return None;
        }
        let mut ok = true;
        for (k, name) in header.iter().enumerate() {
            if !required.contains(&name.as_str()) && !optional.contains(&name.as_str()) {
                let all = required.iter().chain(optional).copied();
                let hint = did_you_mean(name, all)
                    .or_else(|| Some(format!("the columns are: {}", expected())));
                self.csv_error(
                    file,
                    1,
                    "(header)",
                    format!("unknown column `{name}`"),
                    hint,
                );
                ok = false;
            } else if header[..k].contains(name) {
                self.csv_error(
                    file,
                    1,
                    "(header)",
                    format!("column `{name}` appears twice"),
                    None,
                );
                ok = false;
            }
        }
        for r in required {
            if ok && !header.iter().any(|h| h == r) {
                self.csv_error(
                    file,
                    1,
                    "(header)",
                    format!("missing column `{r}`"),
                    Some(format!("the columns are: {}", expected())),
                );
                ok = false;
            }
        }
        ok.then(|| {
            required
                .iter()
                .chain(optional)
                .map(|c| header.iter().position(|h| h == c))
                .collect()
        })
    }

    /// `[stock]`: starting levels of named tank farms, within minimum…capacity.
    pub(crate) fn stock(
        &mut self,
        net: &Network,
        raw: BTreeMap<String, Spanned<RawFigure>>,
    ) -> Vec<(usize, f64)> {
        let mut out = Vec::new();
        for (name, f) in raw {
            let field = format!("stock.{name}");
            let Some(k) = net.stores.iter().position(|s| s.id == name) else {
                let ids: Vec<&str> = net.stores.iter().map(|s| s.id.as_str()).collect();
                let hint = crate::io::diag::did_you_mean(&name, ids.iter().copied())
                    .or(Some(format!("tank farms: {}", ids.join(", "))));
                self.err(
                    f.span().start,
                    field,
                    format!("unknown tank farm `{name}`"),
                    hint,
                );
                continue;
            };
            let Some(fig) = self.r.figure(0, &f, Dimension::Stock, &field) else {
                continue;
            };
            let cap = net.stores[k].capacity_kt.value;
            let min = net.stores[k].minimum();
            if !(min..=cap).contains(&fig.value) {
                self.err(
                    f.span().start,
                    field,
                    format!("{} kt is outside the tanks' {min}…{cap} kt", fig.value),
                    Some(
                        "a starting level must fit in the tanks, above their minimum (tank bottoms)"
                            .into(),
                    ),
                );
                continue;
            }
            out.push((k, fig.value));
        }
        out
    }

    pub(crate) fn production(
        &mut self,
        net: &Network,
        raw: BTreeMap<String, Spanned<RawSupply>>,
    ) -> Vec<(NodeIx, Supply)> {
        let mut out = Vec::new();
        for (name, s) in raw {
            let field = format!("production.{name}");
            let spanned_name = Spanned::new(s.span(), name.clone());
            let Some(ix) = self.field(
                net,
                &spanned_name,
                &field,
                |k| k == NodeKind::Field,
                "an oil field",
            ) else {
                continue;
            };
            let sp = s.get_ref();
            let fig = |v: f64| RawFigure {
                value: Spanned::new(s.span(), v),
                unit: sp.unit.clone(),
                source: sp.source.clone(),
                estimate: sp.estimate.clone(),
            };
            match (&sp.value, &sp.series) {
                (Some(v), None) => {
                    if let Some(f) = self.r.figure(
                        0,
                        &Spanned::new(s.span(), fig(*v.get_ref())),
                        Dimension::OilFlow,
                        &field,
                    ) {
                        out.push((ix, Supply::Constant(f.value)));
                    }
                }
                (None, Some(file)) => {
                    let Some((fname, text)) = self.read_csv(file, &format!("{field}.series"))
                    else {
                        continue;
                    };
                    let Some(factor) = self.r.figure(
                        0,
                        &Spanned::new(s.span(), fig(1.0)),
                        Dimension::OilFlow,
                        &field,
                    ) else {
                        continue;
                    };
                    let Some(cols) = self.csv_header(&fname, &text, &["date", "value"], &[]) else {
                        continue;
                    };
                    let (c_date, c_value) = (cols[0].unwrap_or(0), cols[1].unwrap_or(1));
                    let mut series = Vec::new();
                    let mut rdr = csv::Reader::from_reader(text.as_bytes());
                    let bound = crate::io::bounds::OIL_FLOW;
                    for (row, rec) in rdr.records().enumerate() {
                        match rec {
                            Ok(rec) => {
                                let line = rec.position().map_or(0, |p| p.line());
                                if self.past_row_limit(&fname, line, row + 1) {
                                    break;
                                }
                                let date = rec.get(c_date).and_then(|d| Date::parse(d.trim()));
                                let raw = rec.get(c_value).unwrap_or("").trim();
                                let value = raw.parse::<f64>().ok();
                                match (date, value) {
                                    (Some(d), Some(v)) if bound.contains(v * factor.value) => {
                                        series.push((d.days - self.start.days, v * factor.value))
                                    }
                                    (None, _) => self.csv_error(
                                        &fname,
                                        line,
                                        "date",
                                        format!(
                                            "`{}` is not a date",
                                            rec.get(c_date).unwrap_or("")
                                        ),
                                        Some("columns: date (YYYY-MM-DD), value".into()),
                                    ),
                                    _ => self.csv_error(
                                        &fname,
                                        line,
                                        "value",
                                        format!(
                                            "`{raw}` {} is not within {}",
                                            sp.unit.get_ref(),
                                            bound.range()
                                        ),
                                        Some(format!("values are in {}", sp.unit.get_ref())),
                                    ),
                                }
                            }
                            Err(e) => {
                                let line = e.position().map_or(0, |p| p.line());
                                self.csv_error(&fname, line, "(csv)", e.to_string(), None);
                            }
                        }
                    }
                    if series.is_empty() && !self.r.diags.has_errors() {
                        self.csv_error(
                            &fname,
                            2,
                            "(rows)",
                            "the series has no rows".into(),
                            Some("one `date,value` row per day the output changes".into()),
                        );
                        continue;
                    }
                    series.sort_by_key(|x| x.0);
                    out.push((ix, Supply::Series(series)));
                }
                _ => self.err(
                    s.span().start,
                    field,
                    "give either `value` or `series`",
                    Some("e.g. { value = 36.6, unit = \"Mt/yr\", source = \"…\" }".into()),
                ),
            }
        }
        out
    }

    pub(crate) fn demand(
        &mut self,
        net: &Network,
        raw: BTreeMap<String, Spanned<RawFigure>>,
    ) -> Vec<(NodeIx, f64)> {
        let mut out = Vec::new();
        for (name, f) in raw {
            let field = format!("demand.{name}");
            let n = Spanned::new(f.span(), name.clone());
            let Some(ix) = self.field(net, &n, &field, |k| k.layer() == Layer::Data, "a data node")
            else {
                continue;
            };
            if let Some(fig) = self.r.figure(0, &f, Dimension::DataRate, &field) {
                out.push((ix, fig.value));
            }
        }
        out
    }
}
