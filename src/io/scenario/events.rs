//! `[[event]]` tables: their windows, fractions, targets and effects.

use toml::Spanned;

use super::*;
use crate::io::diag::did_you_mean;
use crate::model::hazard::capacity_left;
use crate::model::{AssetRef, Date, Effect, Event, Layer, Network, NodeKind, Status, Window};
use crate::model::{WeatherExposure, weather_exposure};

impl Cx<'_> {
    pub(crate) fn window(&mut self, e: &RawEvent, path: &str, pos: usize) -> Option<Window> {
        let Some(start) = &e.start else {
            self.err(
                pos,
                format!("{path}.start"),
                "missing required field",
                Some("start = \"YYYY-MM-DD\"".into()),
            );
            return None;
        };
        let s = self.date(start, &format!("{path}.start"))?;
        let end = match (&e.end, &e.duration_days) {
            (Some(end), None) => self.date(end, &format!("{path}.end"))?,
            (None, Some(d)) if *d.get_ref() >= 1 => s + d.get_ref() - 1,
            (None, Some(d)) => {
                self.err(
                    d.span().start,
                    format!("{path}.duration_days"),
                    "must be at least 1",
                    None,
                );
                return None;
            }
            _ => {
                self.err(
                    start.span().start,
                    format!("{path}.end"),
                    "give exactly one of `end` (last day affected) and `duration_days`",
                    None,
                );
                return None;
            }
        };
        if end < s {
            self.err(
                start.span().start,
                format!("{path}.end"),
                "ends before it starts",
                None,
            );
            return None;
        }
        if self.horizon > 0 && (end < 0 || s >= self.horizon) {
            let src = self.r.srcs[0].clone();
            let day = |d: i64| self.start.plus(d);
            let problem = format!(
                "the event ({} to {}) falls outside the run ({} to {}): it has no effect",
                day(s),
                day(end),
                day(0),
                day(self.horizon - 1)
            );
            self.r.diags.warn(
                "event_outside_horizon",
                &src,
                start.span().start,
                format!("{path}.start"),
                problem,
                Some("move its dates into the run, or lengthen horizon_days".into()),
            );
        }
        let recovery = e.recovery_days.as_ref().map_or(0, |r| *r.get_ref());
        if recovery < 0 {
            self.err(
                pos,
                format!("{path}.recovery_days"),
                "must not be negative",
                None,
            );
            return None;
        }
        Some(Window {
            start: s,
            end,
            recovery_days: recovery as u32,
        })
    }

    pub(crate) fn fraction(
        &mut self,
        f: &Option<Spanned<f64>>,
        default: Option<f64>,
        path: &str,
        pos: usize,
        max: f64,
    ) -> Option<f64> {
        match (f, default) {
            (Some(f), _) if (0.0..=max).contains(f.get_ref()) => Some(*f.get_ref()),
            (Some(f), _) => {
                self.err(
                    f.span().start,
                    format!("{path}.fraction"),
                    format!("{} is outside 0…{max}", f.get_ref()),
                    Some("a fraction of normal capacity: 0 = out, 1 = intact".into()),
                );
                None
            }
            (None, Some(d)) => Some(d),
            (None, None) => {
                self.err(
                    pos,
                    format!("{path}.fraction"),
                    "missing required field",
                    Some("fraction of normal capacity, e.g. 0.5".into()),
                );
                None
            }
        }
    }

    pub(crate) fn targets(&mut self, net: &Network, e: &RawEvent, path: &str) -> Vec<AssetRef> {
        let mut out = Vec::new();
        for a in e.assets.iter().flatten() {
            out.extend(self.asset(net, a, &format!("{path}.assets")));
        }
        for r in e.routes.iter().flatten() {
            match net.route(r.get_ref()) {
                Some(route) => out.extend(route.links().map(AssetRef::Link)),
                None => {
                    let ids: Vec<&str> = net.routes.iter().map(|r| r.id.as_str()).collect();
                    let hint = did_you_mean(r.get_ref(), ids.into_iter());
                    self.err(
                        r.span().start,
                        format!("{path}.routes"),
                        format!("unknown route `{}`", r.get_ref()),
                        hint,
                    );
                }
            }
        }
        out.sort();
        out.dedup();
        out
    }

    /// An error at `path.assets` when event `e` names neither an asset nor a route.
    fn require_named(&mut self, e: &RawEvent, path: &str, pos: usize, hint: &str) {
        if e.assets.iter().chain(&e.routes).flatten().count() == 0 {
            self.err(
                pos,
                format!("{path}.assets"),
                "names no asset",
                Some(hint.into()),
            );
        }
    }

    pub(crate) fn event(
        &mut self,
        net: &Network,
        index: &AssetIndex,
        i: usize,
        e: &RawEvent,
        out: &mut Vec<Event>,
        hazards: &mut Hazards,
    ) {
        let pos = e.kind.span().start;
        let label = e
            .name
            .clone()
            .unwrap_or_else(|| format!("{} #{}", e.kind.get_ref(), i + 1));
        let path = format!("event[{label}]");
        let kind = match EVENT_KINDS.iter().find(|k| **k == e.kind.get_ref()) {
            Some(k) => *k,
            None => {
                self.err(
                    pos,
                    format!("{path}.kind"),
                    format!("unknown event kind `{}`", e.kind.get_ref()),
                    did_you_mean(e.kind.get_ref(), EVENT_KINDS.iter().copied())
                        .or(Some(format!("kinds: {}", EVENT_KINDS.join(", ")))),
                );
                return;
            }
        };
        if kind != "shutdown" {
            for (field, at) in [("destination", &e.destination), ("networks", &e.networks)] {
                if let Some(at) = at {
                    self.err(
                        at.span().start,
                        format!("{path}.{field}"),
                        format!("`{field}` applies only to `shutdown` events, not `{kind}`"),
                        Some(format!("remove `{field}`")),
                    );
                }
            }
        }
        let prov = self.r.provenance(0, pos, &path, &e.source, &e.estimate);
        let source = prov.describe();
        let push = |out: &mut Vec<Event>, window: Window, effect: Effect| {
            out.push(Event {
                kind,
                name: label.clone(),
                window,
                effect,
                source: source.clone(),
            })
        };
        match kind {
            "outage" | "derate" | "uprate" => {
                let w = self.window(e, &path, pos);
                let f = if kind == "outage" {
                    if e.fraction.is_some() {
                        self.err(
                            pos,
                            format!("{path}.fraction"),
                            "an outage takes capacity to 0",
                            Some("use kind = \"derate\" for a partial loss".into()),
                        );
                        None
                    } else {
                        Some(0.0)
                    }
                } else if kind == "uprate" {
                    match self.fraction(&e.fraction, None, &path, pos, 10.0) {
                        Some(f) if f > 1.0 => Some(f),
                        Some(f) => {
                            self.err(
                                pos,
                                format!("{path}.fraction"),
                                format!("an uprate multiplies capacity by more than 1, not {f}"),
                                Some("use kind = \"derate\" for a loss".into()),
                            );
                            None
                        }
                        None => None,
                    }
                } else {
                    self.fraction(&e.fraction, None, &path, pos, 1.0)
                };
                let t = self.targets(net, e, &path);
                // An uprate needs room above today's capacity: a stated physical maximum (or an
                // allocation below the nominal capacity).
                if kind == "uprate" {
                    for a in &t {
                        let cap = match a {
                            AssetRef::Node(n) => net.node(*n).capacity.as_ref(),
                            AssetRef::Link(l) => Some(&net.link(*l).capacity),
                        };
                        if cap.is_none_or(|c| c.bound() <= c.available() + 1e-9) {
                            let id = net.asset_id(*a).to_string();
                            let at = asset_pos(e, &id, pos);
                            self.err(
                                at,
                                format!("{path}.assets"),
                                format!("`{id}` has no room above its capacity, so an uprate would change nothing"),
                                Some("give its capacity a `maximum`: the stated physical maximum".into()),
                            );
                        }
                    }
                }
                self.require_named(
                    e,
                    &path,
                    pos,
                    "give assets = [\"…\"] and/or routes = [\"…\"]",
                );
                // A node without a capacity is unlimited: a partial derate of it changes nothing
                // (an outage, fraction 0, still closes it).
                if let Some(f) = f.filter(|f| *f > 0.0) {
                    for a in &t {
                        if let AssetRef::Node(n) = a
                            && net.node(*n).capacity.is_none()
                        {
                            let id = &net.node(*n).id;
                            let at = asset_pos(e, id, pos);
                            self.err(
                                at,
                                format!("{path}.assets"),
                                format!("`{id}` has no capacity, so a derate to {f} would change nothing"),
                                Some("derate the links into or out of it, or give it a capacity in the network".into()),
                            );
                        }
                    }
                }
                let (Some(w), Some(f), false) = (w, f, t.is_empty()) else {
                    return;
                };
                push(
                    out,
                    w,
                    Effect::Capacity(t.into_iter().map(|a| (a, f)).collect()),
                );
            }
            "hazard" => {
                let Some(w) = self.window(e, &path, pos) else {
                    return;
                };
                let Some(f) = self.fraction(&e.fraction, Some(0.0), &path, pos, 1.0) else {
                    return;
                };
                let edge = e.edge_fraction.as_ref().map_or(f, |x| *x.get_ref());
                if let Some(x) = &e.edge_fraction
                    && !(0.0..=1.0).contains(x.get_ref())
                {
                    self.err(
                        x.span().start,
                        format!("{path}.edge_fraction"),
                        format!("{} is not a fraction in 0…1", x.get_ref()),
                        Some("the capacity left at the hazard's edge: 0 = out, 1 = intact".into()),
                    );
                    return;
                }
                let shape = match (&e.circle, &e.polygon) {
                    (Some(c), None) => {
                        let c = c.get_ref();
                        let radius = crate::io::bounds::RADIUS;
                        if !radius.contains(c.radius_km)
                            || !(-180.0..=180.0).contains(&c.lon)
                            || !(-90.0..=90.0).contains(&c.lat)
                        {
                            self.err(
                                pos,
                                format!("{path}.circle"),
                                format!(
                                    "needs lon in −180…180, lat in −90…90 and radius_km within {}",
                                    radius.range()
                                ),
                                None,
                            );
                            return;
                        }
                        Shape::Circle {
                            lon: c.lon,
                            lat: c.lat,
                            radius_km: c.radius_km,
                        }
                    }
                    (None, Some(p)) => {
                        let ring: Option<Vec<(f64, f64)>> = p
                            .get_ref()
                            .iter()
                            .map(|xy| match xy.as_slice() {
                                [x, y] => Some((*x, *y)),
                                _ => None,
                            })
                            .collect();
                        let ring = ring.filter(|r| {
                            r.iter().all(|(x, y)| {
                                (-180.0..=180.0).contains(x) && (-90.0..=90.0).contains(y)
                            })
                        });
                        // An edge spanning more than 180° of longitude is the short way across
                        // the antimeridian on the globe but the long way round in lon/lat:
                        // refused rather than read as the 340° band the other way.
                        if let Some(r) = &ring
                            && r.iter()
                                .zip(r.iter().cycle().skip(1))
                                .any(|(a, b)| (a.0 - b.0).abs() > 180.0)
                        {
                            self.err(
                                p.span().start,
                                format!("{path}.polygon"),
                                "the polygon crosses the antimeridian (an edge spans more than 180° of longitude)",
                                Some("split it into two hazards, one each side of 180°".into()),
                            );
                            return;
                        }
                        match ring {
                            Some(r) if r.len() >= 3 => Shape::Polygon(r),
                            _ => {
                                self.err(
                                    p.span().start,
                                    format!("{path}.polygon"),
                                    "needs at least 3 [lon, lat] points, lon in −180…180 and lat in −90…90",
                                    None,
                                );
                                return;
                            }
                        }
                    }
                    _ => {
                        self.err(
                            pos,
                            format!("{path}.circle"),
                            "give exactly one of `circle` and `polygon`",
                            Some("circle = { lon = 37.7, lat = 44.7, radius_km = 50 }".into()),
                        );
                        return;
                    }
                };
                let assets = capacity_left(index, &shape, f, edge);
                for (a, fr) in &assets {
                    hazards.hits.push((label.clone(), *a, *fr));
                }
                hazards.footprints.push((label.clone(), shape.ring()));
                push(out, w, Effect::Capacity(assets));
            }
            "transit_cut" => {
                let Some(w) = self.window(e, &path, pos) else {
                    return;
                };
                let Some(f) = self.fraction(&e.fraction, Some(0.0), &path, pos, 1.0) else {
                    return;
                };
                let Some(country) = &e.country else {
                    self.err(
                        pos,
                        format!("{path}.country"),
                        "missing required field",
                        Some("e.g. country = \"RU\"".into()),
                    );
                    return;
                };
                let layer = match e.layer.as_ref().map(|l| l.get_ref().as_str()) {
                    None => None,
                    Some("oil") => Some(Layer::Oil),
                    Some("data") => Some(Layer::Data),
                    Some(other) => {
                        let p = e.layer.as_ref().map_or(pos, |l| l.span().start);
                        self.err(
                            p,
                            format!("{path}.layer"),
                            format!("unknown layer `{other}`"),
                            Some("oil or data".into()),
                        );
                        return;
                    }
                };
                let assets: Vec<(AssetRef, f64)> = net
                    .links_crossing(country.get_ref(), layer)
                    .into_iter()
                    .map(|l| (AssetRef::Link(l), f))
                    .collect();
                if assets.is_empty() {
                    self.err(
                        country.span().start,
                        format!("{path}.country"),
                        format!("no link crosses `{}`", country.get_ref()),
                        Some("use an ISO code that appears in a link's countries".into()),
                    );
                    return;
                }
                push(out, w, Effect::Capacity(assets));
            }
            "weather" => {
                let Some(w) = self.window(e, &path, pos) else {
                    return;
                };
                let Some(f) = self.fraction(&e.fraction, Some(0.0), &path, pos, 1.0) else {
                    return;
                };
                let wave = e.wave_height_m.as_ref().map(|w| *w.get_ref());
                if let Some(w) = &e.wave_height_m
                    && let Some(problem) =
                        crate::io::bounds::WAVE_HEIGHT.problem(*w.get_ref(), *w.get_ref(), "m")
                {
                    self.err(
                        w.span().start,
                        format!("{path}.wave_height_m"),
                        problem,
                        Some(crate::io::resolve::BOUNDS_HINT.into()),
                    );
                    return;
                }
                let mut assets = Vec::new();
                for a in self.targets(net, e, &path) {
                    match weather_exposure(net, a, wave) {
                        WeatherExposure::Stopped => assets.push((a, f)),
                        WeatherExposure::Spared => {}
                        WeatherExposure::NotExposed => {
                            let at = asset_pos(e, net.asset_id(a), pos);
                            self.err(at, format!("{path}.assets"), format!("weather stops loading at ports, terminals and SPMs, or sailings on tanker legs; `{}` is none", net.asset_id(a)), None);
                        }
                    }
                }
                push(out, w, Effect::Capacity(assets));
            }
            "reactivate" => {
                let Some(start) = &e.start else {
                    self.err(
                        pos,
                        format!("{path}.start"),
                        "missing required field",
                        Some(
                            "start = \"YYYY-MM-DD\", the day shippers decide to use it again"
                                .into(),
                        ),
                    );
                    return;
                };
                let Some(s) = self.date(start, &format!("{path}.start")) else {
                    return;
                };
                if e.end.is_some() || e.duration_days.is_some() || e.fraction.is_some() {
                    self.err(
                        pos,
                        format!("{path}.end"),
                        "a reactivation has no end or fraction: the asset stays in service",
                        Some("its lead time and ramp come from the asset's `reactivation` in the network".into()),
                    );
                    return;
                }
                let named: Vec<AssetRef> = e
                    .assets
                    .iter()
                    .flatten()
                    .filter_map(|n| net.asset(n.get_ref()))
                    .collect();
                if named.is_empty() && e.routes.iter().flatten().count() == 0 {
                    self.err(
                        pos,
                        format!("{path}.assets"),
                        "names no asset",
                        Some("give the suspended assets, or routes = [\"…\"] to reactivate their suspended links".into()),
                    );
                }
                for a in self.targets(net, e, &path) {
                    let status = net.asset_status(a);
                    let reactivation = match a {
                        AssetRef::Node(n) => net.node(n).reactivation.as_ref(),
                        AssetRef::Link(l) => net.link(l).reactivation.as_ref(),
                    };
                    match (status, reactivation) {
                        (Status::Suspended, Some(r)) => {
                            let lead = r.lead_days.value.round() as i64;
                            let ramp = r.ramp_days.value.round().max(0.0) as u32;
                            out.push(Event {
                                kind,
                                name: format!("{label}: {}", net.asset_id(a)),
                                window: Window {
                                    start: s,
                                    end: s + lead - 1,
                                    recovery_days: ramp,
                                },
                                effect: Effect::Reactivate(vec![a]),
                                source: format!(
                                    "{}; lead {}, ramp {}",
                                    source,
                                    r.lead_days.provenance.describe(),
                                    r.ramp_days.provenance.describe()
                                ),
                            });
                        }
                        // Links of a named route that are in service need nothing.
                        _ if !named.contains(&a) => {}
                        (other, _) => {
                            let at = asset_pos(e, net.asset_id(a), pos);
                            let hint = match other {
                                Status::Planned => {
                                    "a planned asset is switched on by [variant] switch_on"
                                }
                                Status::Retired => "a retired asset cannot be reactivated",
                                _ => "only suspended assets are reactivated",
                            };
                            self.err(
                                at,
                                format!("{path}.assets"),
                                format!("`{}` is {other}, not suspended", net.asset_id(a)),
                                Some(hint.into()),
                            );
                        }
                    }
                }
            }
            "off_spec" => {
                let w = self.window(e, &path, pos);
                let t = self.targets(net, e, &path);
                self.require_named(
                    e,
                    &path,
                    pos,
                    "give the contaminated line: assets = [\"…\"] and/or routes = [\"…\"]",
                );
                let handling = e.handling.as_ref().map(|h| h.get_ref().as_str());
                let effect = match (handling, &e.discount) {
                    (Some("stop"), None) => {
                        Some(Effect::Capacity(t.into_iter().map(|a| (a, 0.0)).collect()))
                    }
                    (Some("discount"), Some(d)) => self
                        .r
                        .figure(
                            0,
                            d,
                            crate::model::units::Dimension::Tariff,
                            &format!("{path}.discount"),
                        )
                        .map(|d| Effect::OffSpec {
                            assets: t,
                            discount_usd_per_t: d.value,
                        }),
                    (Some("stop"), Some(d)) => {
                        self.err(
                            d.span().start,
                            format!("{path}.discount"),
                            "crude that stops is not sold at a discount",
                            Some("remove discount, or set handling = \"discount\"".into()),
                        );
                        None
                    }
                    (Some("discount"), None) => {
                        self.err(pos, format!("{path}.discount"), "missing required field", Some("discount = { value = …, unit = \"$/bbl\", source = \"…\" }: the price cut on the off-spec crude".into()));
                        None
                    }
                    (Some(other), _) => {
                        let at = e.handling.as_ref().map_or(pos, |h| h.span().start);
                        self.err(at, format!("{path}.handling"), format!("unknown handling `{other}`"), Some("`stop` (flows halt: lost exports) or `discount` (flows continue, sold at a discount)".into()));
                        None
                    }
                    (None, _) => {
                        self.err(pos, format!("{path}.handling"), "missing required field", Some("handling = \"stop\" (flows halt: lost exports) or \"discount\" (flows continue, sold at a discount)".into()));
                        None
                    }
                };
                if e.fraction.is_some() {
                    self.err(
                        pos,
                        format!("{path}.fraction"),
                        "an off-spec event has no fraction",
                        Some(
                            "handling = \"stop\" halts the flow; a partial loss is a `derate`"
                                .into(),
                        ),
                    );
                    return;
                }
                if let (Some(w), Some(effect)) = (w, effect) {
                    push(out, w, effect);
                }
            }
            "shutdown" => {
                let w = self.window(e, &path, pos);
                let f = self.fraction(&e.fraction, None, &path, pos, 1.0);
                if e.routes.is_some() {
                    self.err(
                        pos,
                        format!("{path}.routes"),
                        "a shutdown covers places, not routes",
                        Some("assets = [\"almaty\"] for a region, or no assets for the whole country".into()),
                    );
                }
                let mut sources = Vec::new();
                for a in e.assets.iter().flatten() {
                    if let Some(ix) = self.field(
                        net,
                        a,
                        &format!("{path}.assets"),
                        |k| k.layer() == Layer::Data,
                        "a data node",
                    ) {
                        if net.node(ix).demand.is_none() {
                            self.err(
                                a.span().start,
                                format!("{path}.assets"),
                                format!("`{}` sends no international traffic, so a shutdown there changes nothing", a.get_ref()),
                                Some("name the cities whose traffic is cut (nodes with a `demand`)".into()),
                            );
                        } else {
                            sources.push(ix);
                        }
                    }
                }
                sources.sort_unstable();
                sources.dedup();
                let destination = match &e.destination {
                    None => Some(None),
                    Some(d) => {
                        let ix = net.destinations.iter().position(|g| &g.id == d.get_ref());
                        if ix.is_none() {
                            let ids: Vec<&str> =
                                net.destinations.iter().map(|g| g.id.as_str()).collect();
                            self.err(
                                d.span().start,
                                format!("{path}.destination"),
                                format!("unknown destination group `{}`", d.get_ref()),
                                Some(if ids.is_empty() {
                                    "the network defines no [[traffic.destination]] groups".into()
                                } else {
                                    format!("one of: {}", ids.join(", "))
                                }),
                            );
                        }
                        ix.map(Some)
                    }
                };
                let mobile = match e.networks.as_ref().map(|n| n.get_ref().as_str()) {
                    None | Some("all") => Some(false),
                    Some("mobile") if net.data_mobile_share.is_some() => Some(true),
                    Some(other) => {
                        let at = e.networks.as_ref().map_or(pos, |n| n.span().start);
                        let (problem, hint) = if other == "mobile" {
                            (
                                "a mobile-only shutdown needs the mobile share of traffic"
                                    .to_string(),
                                "add mobile_share = { value = …, unit = \"%\", source = \"…\" } to the network's [traffic]",
                            )
                        } else {
                            (
                                format!("unknown networks `{other}`"),
                                "networks = \"all\" (default) or \"mobile\"",
                            )
                        };
                        self.err(at, format!("{path}.networks"), problem, Some(hint.into()));
                        None
                    }
                };
                if let (Some(w), Some(fraction), Some(destination), Some(mobile)) =
                    (w, f, destination, mobile)
                {
                    push(
                        out,
                        w,
                        Effect::Shutdown {
                            sources,
                            fraction,
                            destination,
                            mobile,
                        },
                    );
                }
            }
            "production" => {
                let Some(w) = self.window(e, &path, pos) else {
                    return;
                };
                let Some(f) = self.fraction(&e.fraction, None, &path, pos, 10.0) else {
                    return;
                };
                let Some(name) = &e.field else {
                    self.err(
                        pos,
                        format!("{path}.field"),
                        "missing required field",
                        Some("field = \"tengiz\"".into()),
                    );
                    return;
                };
                let Some(ix) = self.field(
                    net,
                    name,
                    &format!("{path}.field"),
                    |k| k == NodeKind::Field,
                    "an oil field",
                ) else {
                    return;
                };
                push(
                    out,
                    w,
                    Effect::Production {
                        field: ix,
                        fraction: f,
                    },
                );
            }
            _ => {
                // replay
                let Some(file) = &e.file else {
                    self.err(
                        pos,
                        format!("{path}.file"),
                        "missing required field",
                        Some("file = \"replay.csv\" with columns asset,start,end,fraction".into()),
                    );
                    return;
                };
                let Some((fname, text)) = self.read_csv(file, &format!("{path}.file")) else {
                    return;
                };
                let Some(cols) = self.csv_header(
                    &fname,
                    &text,
                    &["asset", "start", "end", "fraction"],
                    &["note"],
                ) else {
                    return;
                };
                let at: Vec<usize> = cols.iter().map(|c| c.unwrap_or(usize::MAX)).collect();
                let names: Vec<String> = net.all_names().map(str::to_string).collect();
                let mut rdr = csv::Reader::from_reader(text.as_bytes());
                let mut rows = 0;
                // Rows wholly before or after the run: (how many, the first one's line).
                let mut outside: (usize, u64) = (0, 0);
                for rec in rdr.records() {
                    rows += 1;
                    let rec = match rec {
                        Ok(r) => r,
                        Err(err) => {
                            self.csv_error(
                                &fname,
                                err.position().map_or(0, |p| p.line()),
                                "(csv)",
                                err.to_string(),
                                None,
                            );
                            continue;
                        }
                    };
                    let line = rec.position().map_or(0, |p| p.line());
                    if self.past_row_limit(&fname, line, rows) {
                        break;
                    }
                    let col = |k: usize| rec.get(at[k]).unwrap_or("").trim().to_string();
                    let asset = net.asset(&col(0));
                    let (s, en) = (Date::parse(&col(1)), Date::parse(&col(2)));
                    let frac = col(3)
                        .parse::<f64>()
                        .ok()
                        .filter(|f| (0.0..=1.0).contains(f));
                    match (asset, s, en, frac) {
                        (Some(a), Some(s), Some(en), Some(f)) if en >= s => {
                            let (s, en) = (s.days - self.start.days, en.days - self.start.days);
                            if self.horizon > 0 && (en < 0 || s >= self.horizon) {
                                if outside.0 == 0 {
                                    outside.1 = line;
                                }
                                outside.0 += 1;
                            }
                            out.push(Event {
                                kind,
                                name: format!("{label}: {} {}", col(0), col(4)).trim().to_string(),
                                window: Window {
                                    start: s,
                                    end: en,
                                    recovery_days: 0,
                                },
                                effect: Effect::Capacity(vec![(a, f)]),
                                source: source.clone(),
                            });
                        }
                        (None, ..) => {
                            let hint = did_you_mean(&col(0), names.iter().map(String::as_str));
                            self.csv_error(
                                &fname,
                                line,
                                "asset",
                                format!("unknown asset `{}`", col(0)),
                                hint,
                            );
                        }
                        (_, None, ..) | (_, _, None, _) => self.csv_error(
                            &fname,
                            line,
                            "start",
                            format!("`{}` / `{}` are not dates", col(1), col(2)),
                            Some("write YYYY-MM-DD".into()),
                        ),
                        (_, _, _, None) => self.csv_error(
                            &fname,
                            line,
                            "fraction",
                            format!("`{}` is not a fraction in 0…1", col(3)),
                            None,
                        ),
                        _ => self.csv_error(
                            &fname,
                            line,
                            "end",
                            "ends before it starts".into(),
                            None,
                        ),
                    }
                }
                if outside.0 > 0 {
                    self.r.diags.items.push(Diagnostic {
                        severity: Severity::Warning,
                        check: Some("event_outside_horizon"),
                        file: fname.clone(),
                        line: outside.1 as usize,
                        field: "start".into(),
                        problem: format!(
                            "{} of the replay's {rows} rows fall wholly outside the run ({} to {}), this one first: they have no effect",
                            outside.0,
                            self.start,
                            self.start.plus(self.horizon - 1)
                        ),
                        hint: Some(
                            "check the run's start and horizon_days against the replay's dates"
                                .into(),
                        ),
                    });
                }
                if rows == 0 {
                    self.csv_error(
                        &fname,
                        2,
                        "(rows)",
                        "the replay has no rows".into(),
                        Some("one `asset,start,end,fraction` row per event".into()),
                    );
                }
            }
        }
    }
}

/// What the hazard events of a scenario hit, and where.
#[derive(Default)]
pub(crate) struct Hazards {
    pub(crate) hits: Vec<(String, AssetRef, f64)>,
    pub(crate) footprints: Vec<(String, Vec<(f64, f64)>)>,
}

/// Where asset `id` is named in the event's `assets` (for the message), or `pos`.
fn asset_pos(e: &RawEvent, id: &str, pos: usize) -> usize {
    e.assets
        .iter()
        .flatten()
        .find(|n| n.get_ref() == id)
        .map_or(pos, |n| n.span().start)
}
