//! `[monte_carlo]`, `[[failure]]`, `[[common_cause]]`, `[[weather_window]]` and
//! `[[repair_crews]]`: the failure processes of a Monte Carlo scenario.

use std::collections::BTreeMap;

use toml::Spanned;

use super::*;
use crate::io::diag::did_you_mean;
use crate::io::raw::RawFigure;
use crate::model::{
    AssetClass, AssetRef, CommonCause, Date, FailureProcess, MonteCarlo, Network, NodeIx, Repair,
    WeatherWindow,
};

impl Cx<'_> {
    pub(crate) fn repair(&mut self, r: &Spanned<RawRepair>, field: &str) -> Option<Repair> {
        let raw = r.get_ref();
        self.r
            .provenance(0, r.span().start, field, &raw.source, &raw.estimate);
        let pos = raw.dist.span().start;
        let repair = crate::io::bounds::REPAIR;
        let positive = |x: Option<f64>| x.filter(|v| repair.contains(*v));
        let rep = match raw.dist.get_ref().as_str() {
            "fixed" => positive(raw.days).map(Repair::Fixed),
            "exponential" => positive(raw.mean_days).map(|mean| Repair::Exponential { mean }),
            "lognormal" => positive(raw.mean_days)
                .zip(positive(raw.sd_days))
                .map(|(mean, sd)| Repair::Lognormal { mean, sd }),
            "empirical" => raw
                .values
                .clone()
                .filter(|v| !v.is_empty() && v.iter().all(|x| repair.contains(*x)))
                .map(Repair::Empirical),
            other => {
                let kinds = ["fixed", "exponential", "lognormal", "empirical"];
                let hint = did_you_mean(other, kinds.into_iter())
                    .or(Some(format!("one of: {}", kinds.join(", "))));
                self.err(
                    pos,
                    format!("{field}.dist"),
                    format!("unknown distribution `{other}`"),
                    hint,
                );
                return None;
            }
        };
        if rep.is_none() {
            self.err(
                pos,
                field,
                format!(
                    "`{}` needs its parameters within {}",
                    raw.dist.get_ref(),
                    repair.range()
                ),
                Some(
                    "fixed: days; exponential: mean_days; lognormal: mean_days and sd_days; \
                     empirical: values"
                        .into(),
                ),
            );
        }
        rep
    }

    pub(crate) fn season(&mut self, s: &Spanned<RawSeason>, field: &str) -> Option<(u32, u32)> {
        let doy = |cx: &mut Self, v: &Spanned<String>, which: &str| -> Option<u32> {
            let d = Date::parse(&format!("2025-{}", v.get_ref()));
            match d {
                Some(d) => {
                    Some((d.days - Date::from_ymd(2025, 1, 1).map_or(0, |j| j.days)) as u32 + 1)
                }
                None => {
                    cx.err(
                        v.span().start,
                        format!("{field}.{which}"),
                        format!("`{}` is not a month-day", v.get_ref()),
                        Some("write MM-DD, e.g. \"11-01\"".into()),
                    );
                    None
                }
            }
        };
        let a = doy(self, &s.get_ref().from, "from");
        let b = doy(self, &s.get_ref().to, "to");
        Some((a?, b?))
    }

    pub(crate) fn class(&mut self, c: &Spanned<String>, field: &str) -> Option<AssetClass> {
        AssetClass::parse(c.get_ref()).or_else(|| {
            let names: Vec<&str> = AssetClass::ALL.iter().map(|c| c.as_str()).collect();
            let hint = did_you_mean(c.get_ref(), names.iter().copied())
                .or(Some(format!("classes: {}", names.join(", "))));
            self.err(
                c.span().start,
                field,
                format!("unknown asset class `{}`", c.get_ref()),
                hint,
            );
            None
        })
    }

    /// Assets chosen by a class, a list, and/or a country (links crossing it, nodes in it).
    pub(crate) fn select(
        &mut self,
        net: &Network,
        class: &Option<Spanned<String>>,
        assets: &Option<Vec<Spanned<String>>>,
        country: Option<&Spanned<String>>,
        field: &str,
        pos: usize,
    ) -> Vec<AssetRef> {
        let mut out = Vec::new();
        let cls = class
            .as_ref()
            .and_then(|c| self.class(c, &format!("{field}.class")));
        // Planned assets are included (they carry nothing while off), so a variant that switches
        // them on sees the same failure draws for every other asset: common random numbers.
        if let Some(c) = cls {
            out.extend(
                net.capacitated_assets()
                    .into_iter()
                    .chain((0..net.nodes.len()).map(|i| AssetRef::Node(NodeIx(i))))
                    .filter(|a| AssetClass::of(net, *a) == Some(c)),
            );
        }
        for a in assets.iter().flatten() {
            out.extend(self.asset(net, a, &format!("{field}.assets")));
        }
        if let Some(c) = country {
            let mut known: Vec<&str> = net
                .nodes
                .iter()
                .map(|n| n.country.as_str())
                .chain(
                    net.links
                        .iter()
                        .flat_map(|l| l.countries.iter().map(String::as_str)),
                )
                .collect();
            known.sort_unstable();
            known.dedup();
            if known.contains(&c.get_ref().as_str()) {
                out.extend(
                    net.capacitated_assets()
                        .into_iter()
                        .filter(|a| net.asset_in_country(*a, c.get_ref())),
                );
            } else {
                self.err(
                    c.span().start,
                    format!("{field}.country"),
                    format!("no asset of the network is in `{}`", c.get_ref()),
                    Some(format!("countries in the network: {}", known.join(", "))),
                );
            }
        }
        out.sort();
        out.dedup();
        if out.is_empty() && class.is_none() && assets.is_none() && country.is_none() {
            self.err(
                pos,
                format!("{field}.assets"),
                "selects no asset",
                Some("give class = \"…\", assets = [\"…\"] or country = \"…\"".into()),
            );
        }
        out
    }

    pub(crate) fn rate_per_day(
        &mut self,
        f: &Spanned<RawFigure>,
        field: &str,
        linear_km: Option<f64>,
    ) -> Option<f64> {
        let raw = f.get_ref();
        self.r
            .provenance(0, f.span().start, field, &raw.source, &raw.estimate);
        let v = *raw.value.get_ref();
        if !(v >= 0.0 && v.is_finite()) {
            self.err(
                raw.value.span().start,
                format!("{field}.value"),
                format!("is {v}: a failure rate must be a finite number ≥ 0"),
                None,
            );
            return None;
        }
        let bounded = |cx: &mut Self, per_yr: f64| {
            let b = crate::io::bounds::FAILURE_RATE;
            match b.problem(per_yr, per_yr, b.unit) {
                Some(problem) => {
                    cx.err(
                        raw.value.span().start,
                        format!("{field}.value"),
                        problem,
                        Some(crate::io::resolve::BOUNDS_HINT.into()),
                    );
                    None
                }
                None => Some(per_yr / 365.0),
            }
        };
        match (raw.unit.get_ref().as_str(), linear_km) {
            ("per_yr", _) => bounded(self, v),
            ("per_1000km_yr", Some(km)) => bounded(self, v * km / 1000.0),
            ("per_1000km_yr", None) => {
                self.err(
                    raw.unit.span().start,
                    format!("{field}.unit"),
                    "per_1000km_yr applies to linear assets (pipelines, rail, fibre) only",
                    Some("use per_yr".into()),
                );
                None
            }
            (other, _) => {
                self.err(
                    raw.unit.span().start,
                    format!("{field}.unit"),
                    format!("unit `{other}` is not a failure rate"),
                    Some("per_yr, or per_1000km_yr for linear assets".into()),
                );
                None
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    pub(crate) fn monte_carlo(
        &mut self,
        net: &Network,
        m: &RawMonteCarlo,
        failures: &[RawFailure],
        causes: &[RawCommonCause],
        windows: &[RawWeatherWindow],
        crews: &[RawCrews],
    ) -> Option<MonteCarlo> {
        let runs = *m.runs.get_ref();
        if !(1..=100_000_000).contains(&runs) {
            self.err(
                m.runs.span().start,
                "monte_carlo.runs",
                format!("{runs} is outside 1…100,000,000"),
                None,
            );
        }
        let seed = *m.seed.get_ref();
        if seed < 0 {
            self.err(
                m.seed.span().start,
                "monte_carlo.seed",
                "must not be negative",
                None,
            );
        }
        let mut ok = (1..=100_000_000).contains(&runs) && seed >= 0;
        let mut processes = Vec::new();
        for (i, f) in failures.iter().enumerate() {
            let name = f
                .name
                .clone()
                .unwrap_or_else(|| format!("failure #{}", i + 1));
            let field = format!("failure[{name}]");
            let pos = f.rate.span().start;
            let prov = self.r.provenance(0, pos, &field, &f.source, &f.estimate);
            let assets = self.select(net, &f.class, &f.assets, None, &field, pos);
            let repair = self.repair(&f.repair, &format!("{field}.repair"));
            let fraction = self.fraction(&f.fraction, Some(0.0), &field, pos, 1.0);
            let mut rates = Vec::new();
            for a in &assets {
                let km = match (AssetClass::of(net, *a), a) {
                    (Some(c), AssetRef::Link(l)) if c.is_linear() => Some(net.link(*l).length_km()),
                    _ => None,
                };
                rates.push(self.rate_per_day(&f.rate, &format!("{field}.rate"), km));
            }
            match (repair, fraction, rates.iter().all(Option::is_some)) {
                (Some(repair), Some(fraction), true) => processes.push(FailureProcess {
                    name,
                    assets,
                    rate_per_day: rates.into_iter().flatten().collect(),
                    repair,
                    fraction,
                    source: prov.describe(),
                }),
                _ => ok = false,
            }
        }
        let mut common_causes = Vec::new();
        for (i, c) in causes.iter().enumerate() {
            let name = c
                .name
                .clone()
                .unwrap_or_else(|| format!("common cause #{}", i + 1));
            let field = format!("common_cause[{name}]");
            let pos = c.rate.span().start;
            let prov = self.r.provenance(0, pos, &field, &c.source, &c.estimate);
            let assets = self.select(net, &c.class, &c.assets, c.country.as_ref(), &field, pos);
            let rate = self.rate_per_day(&c.rate, &format!("{field}.rate"), None);
            let season = match &c.season {
                Some(s) => self.season(s, &format!("{field}.season")).map(Some),
                None => Some(None),
            };
            let repair = self.repair(&c.duration, &format!("{field}.duration"));
            let fraction = self.fraction(&c.fraction, Some(0.0), &field, pos, 1.0);
            match (rate, season, repair, fraction) {
                (Some(rate_per_day), Some(season), Some(repair), Some(fraction)) => common_causes
                    .push(CommonCause {
                        name,
                        country: c.country.as_ref().map(|c| c.get_ref().clone()),
                        assets,
                        rate_per_day,
                        season,
                        repair,
                        fraction,
                        source: prov.describe(),
                    }),
                _ => ok = false,
            }
        }
        let mut ws = Vec::new();
        for (i, w) in windows.iter().enumerate() {
            let name = w
                .name
                .clone()
                .unwrap_or_else(|| format!("weather window #{}", i + 1));
            let field = format!("weather_window[{name}]");
            let pos = w.probability.span().start;
            let prov = self.r.provenance(0, pos, &field, &w.source, &w.estimate);
            let assets = self.select(net, &w.class, &w.assets, None, &field, pos);
            let p = *w.probability.get_ref();
            if !(0.0..=1.0).contains(&p) {
                self.err(
                    pos,
                    format!("{field}.probability"),
                    format!("{p} is outside 0…1"),
                    None,
                );
                ok = false;
            }
            let season = self.season(&w.season, &format!("{field}.season"));
            let fraction = self.fraction(&w.fraction, Some(0.0), &field, pos, 1.0);
            match (season, fraction) {
                (Some(season), Some(fraction)) => ws.push(WeatherWindow {
                    name,
                    assets,
                    probability: p,
                    season,
                    fraction,
                    source: prov.describe(),
                }),
                _ => ok = false,
            }
        }
        let mut crew_map = BTreeMap::new();
        for c in crews {
            self.r.provenance(
                0,
                c.class.span().start,
                "repair_crews",
                &c.source,
                &c.estimate,
            );
            let class = self.class(&c.class, "repair_crews.class");
            let n = *c.crews.get_ref();
            if n < 1 {
                self.err(
                    c.crews.span().start,
                    "repair_crews.crews",
                    "needs at least 1 crew",
                    Some("leave the class out for unlimited crews".into()),
                );
                ok = false;
            }
            match class {
                Some(cl) if n >= 1 => {
                    crew_map.insert(cl, n as u32);
                }
                _ => ok = false,
            }
        }
        ok.then_some(MonteCarlo {
            runs: runs as u64,
            seed: seed as u64,
            processes,
            common_causes,
            windows: ws,
            crews: crew_map,
        })
    }
}
