//! `[[link]]`, `[[store]]` and `[[duty]]` tables, and tanker fleets.

use std::collections::BTreeMap;

use geo::{Haversine, Length, LineString};
use toml::Spanned;

use super::*;
use crate::model::units::Dimension;
use crate::model::{Capacity, Duty, Figure, Fleet, Link, LinkKind, Network, Node, Reserved, Store};

impl Resolver<'_> {
    /// `[[link]]`s: endpoints, geometry and lengths, capacity or fleet, tariff.
    pub(crate) fn resolve_links(
        &mut self,
        raw: &[(usize, RawLink)],
        nodes: &[Node],
        names: &NodeNames,
    ) -> Vec<Link> {
        let mut links: Vec<Link> = Vec::new();
        let mut link_seen: BTreeMap<String, (usize, usize)> = BTreeMap::new();
        for (file, l) in raw {
            let file = *file;
            let id = l.id.get_ref().clone();
            let field = format!("link[{id}]");
            let first = link_seen.get(&id).or_else(|| names.seen.get(&id));
            if self.duplicate(file, &l.id, &field, first) {
                continue;
            }
            link_seen.insert(id.clone(), (file, l.id.span().start));
            let Some(kind) = LinkKind::parse(l.kind.get_ref()) else {
                self.diags.error(
                    &self.srcs[file],
                    l.kind.span().start,
                    format!("{field}.kind"),
                    format!("unknown link kind `{}`", l.kind.get_ref()),
                    Some(format!("use one of: {}", LinkKind::spellings().join(", "))),
                );
                continue;
            };
            let from = names.lookup(self, file, &l.from, format!("{field}.from"));
            let to = names.lookup(self, file, &l.to, format!("{field}.to"));
            let status = self.status(file, &l.status, &field);
            let reactivation =
                self.reactivation(file, &l.reactivation, status, l.id.span().start, &field);
            let mut ok = reactivation.is_ok();
            let reactivation = reactivation.ok().flatten();
            if from.is_some() && from == to {
                self.diags.error(
                    &self.srcs[file],
                    l.to.span().start,
                    format!("{field}.to"),
                    format!("the link runs from `{}` to itself", l.to.get_ref()),
                    Some("a link joins two different nodes; give the node it reaches".into()),
                );
                ok = false;
            }
            let mut geometry = Vec::new();
            if let (Some(f), Some(t)) = (from, to) {
                geometry.push((nodes[f.0].lon, nodes[f.0].lat));
                for w in l.via.iter().flatten() {
                    match lon_lat(w.get_ref()) {
                        Some(p) => geometry.push(p),
                        None => {
                            self.diags.warn(
                                "coordinates_out_of_range",
                                &self.srcs[file],
                                w.span().start,
                                format!("{field}.via"),
                                format!("waypoint {:?} is not a valid [lon, lat] pair; the link is left out", w.get_ref()),
                                Some(WAYPOINT_HINT.into()),
                            );
                            ok = false;
                        }
                    }
                }
                geometry.push((nodes[t.0].lon, nodes[t.0].lat));
                for (end, ix) in [("from", f), ("to", t)] {
                    if nodes[ix.0].layer() != kind.layer() {
                        self.diags.warn(
                            "layer_mismatch",
                            &self.srcs[file],
                            l.kind.span().start,
                            format!("{field}.{end}"),
                            format!(
                                "a {} link cannot attach to {} node `{}`; the link is left out",
                                kind, nodes[ix.0].kind, nodes[ix.0].id
                            ),
                            Some("oil links join oil nodes, fibre links join data nodes".into()),
                        );
                        ok = false;
                    }
                }
            } else {
                ok = false;
            }
            for c in l.countries.get_ref() {
                self.country(file, c, &format!("{field}.countries"));
            }
            if l.countries.get_ref().is_empty() {
                self.diags.error(
                    &self.srcs[file],
                    l.countries.span().start,
                    format!("{field}.countries"),
                    "empty list",
                    Some("list the ISO codes of the countries the link crosses, in order".into()),
                );
                ok = false;
            }
            let length_computed_km = Haversine.length(&LineString::from(geometry.clone())) / 1000.0;
            let length_sourced = match &l.length {
                Some(f) => {
                    let r = self.figure(file, f, Dimension::Length, &format!("{field}.length"));
                    if r.is_none() {
                        ok = false;
                    }
                    r
                }
                None => None,
            };
            if let Some(src_len) = &length_sourced {
                let ratio = length_computed_km / src_len.value;
                if ok && !(0.75..=1.25).contains(&ratio) {
                    self.diags.warn(
                        "length_mismatch",
                        &self.srcs[file],
                        l.length.as_ref().map_or(0, |s| s.span().start),
                        format!("{field}.length"),
                        format!(
                            "computed {:.0} km from the geometry but the source gives {:.0} km",
                            length_computed_km, src_len.value
                        ),
                        Some("add `via` waypoints along the real corridor".into()),
                    );
                }
            }
            let layer_dim = kind.layer().flow_dimension();
            let (capacity, fleet) = match (kind, &l.capacity, &l.fleet) {
                (LinkKind::TankerLeg, None, Some(fl)) => {
                    match self.fleet(file, fl, &format!("{field}.fleet")) {
                        Some((fleet, reserved, allocation)) => {
                            let len = length_sourced
                                .as_ref()
                                .map_or(length_computed_km, |f| f.value);
                            let nominal = fleet.capacity_figure(len);
                            (
                                Some(Capacity {
                                    nominal,
                                    reserved,
                                    allocation,
                                    maximum: None,
                                }),
                                Some(fleet),
                            )
                        }
                        None => (None, None),
                    }
                }
                (LinkKind::TankerLeg, _, _) => {
                    self.diags.error(
                        &self.srcs[file],
                        l.kind.span().start,
                        format!("{field}.fleet"),
                        "a tanker leg needs a `fleet` and no `capacity`",
                        Some("its capacity is derived: vessels × deadweight × availability / round-trip days".into()),
                    );
                    (None, None)
                }
                (_, Some(c), None) => (
                    self.capacity(file, c, layer_dim, &format!("{field}.capacity")),
                    None,
                ),
                (_, _, Some(fl)) => {
                    self.diags.error(
                        &self.srcs[file],
                        fl.span().start,
                        format!("{field}.fleet"),
                        format!("only tanker legs have a fleet, not a {kind}"),
                        Some("set kind = \"tanker_leg\" or give a capacity".into()),
                    );
                    (None, None)
                }
                (_, None, None) => {
                    self.diags.error(
                        &self.srcs[file],
                        l.id.span().start,
                        format!("{field}.capacity"),
                        "missing required field",
                        Some("give capacity = { value, unit, source }".into()),
                    );
                    (None, None)
                }
            };
            let tariff = match &l.tariff {
                Some(t) => {
                    let r = self.figure(file, t, Dimension::Tariff, &format!("{field}.tariff"));
                    if r.is_none() {
                        ok = false;
                    }
                    r
                }
                None => None,
            };
            let (Some(from), Some(to), Some(capacity), Some(status), true) =
                (from, to, capacity, status, ok)
            else {
                continue;
            };
            links.push(Link {
                id,
                name: l.name.clone().unwrap_or_else(|| l.id.get_ref().clone()),
                kind,
                from,
                to,
                geometry,
                length_computed_km,
                length_sourced,
                countries: l
                    .countries
                    .get_ref()
                    .iter()
                    .map(|c| c.get_ref().clone())
                    .collect(),
                capacity,
                fleet,
                tariff,
                status,
                reactivation,
                operator: l.operator.clone().unwrap_or_default(),
                map_label: l.map_label.clone().filter(|s| !s.trim().is_empty()),
                note: l.note.clone().unwrap_or_default(),
            });
        }

        links
    }

    /// `[[store]]`s.
    pub(crate) fn resolve_stores(
        &mut self,
        raw: &[(usize, RawStore)],
        net: &mut Network,
        names: &NodeNames,
    ) {
        for (file, s) in raw {
            let file = *file;
            let field = format!("store[{}]", s.id.get_ref());
            let node = names.lookup(self, file, &s.node, format!("{field}.node"));
            let cap = self.figure(
                file,
                &s.capacity,
                Dimension::Stock,
                &format!("{field}.capacity"),
            );
            let init = self.figure(
                file,
                &s.initial,
                Dimension::Stock,
                &format!("{field}.initial"),
            );
            if let (Some(c), Some(i)) = (&cap, &init)
                && (i.value > c.value || i.value < 0.0)
            {
                self.diags.warn(
                    "store_level_out_of_range",
                    &self.srcs[file],
                    s.initial.span().start,
                    format!("{field}.initial"),
                    format!("initial level {} kt is outside 0…{} kt", i.value, c.value),
                    Some("the initial level must fit in the tanks".into()),
                );
                continue;
            }
            let minimum_kt = match &s.minimum {
                Some(m) => {
                    let Some(f) =
                        self.figure(file, m, Dimension::Stock, &format!("{field}.minimum"))
                    else {
                        continue;
                    };
                    if let Some(i) = &init
                        && (f.value < 0.0 || f.value > i.value)
                    {
                        self.diags.warn(
                            "store_level_out_of_range",
                            &self.srcs[file],
                            m.span().start,
                            format!("{field}.minimum"),
                            format!("minimum {} kt is outside 0…{} kt", f.value, i.value),
                            Some("tank bottoms lie between empty and the initial level".into()),
                        );
                        continue;
                    }
                    Some(f)
                }
                None => None,
            };
            if let (Some(node), Some(capacity_kt), Some(initial_kt)) = (node, cap, init) {
                net.stores.push(Store {
                    id: s.id.get_ref().clone(),
                    node,
                    capacity_kt,
                    initial_kt,
                    minimum_kt,
                });
            }
        }
    }

    /// `[[duty]]` groups: distinct nodes with a capacity, each in one group, and a whole
    /// `in_service` count between 1 and the number of units.
    pub(crate) fn resolve_duties(
        &mut self,
        raw: &[(usize, RawDuty)],
        net: &mut Network,
        names: &NodeNames,
    ) {
        let mut grouped: BTreeMap<usize, String> = BTreeMap::new();
        for (file, d) in raw {
            let file = *file;
            let field = format!("duty[{}]", d.id.get_ref());
            let mut units = Vec::new();
            let mut ok = true;
            for u in d.units.get_ref() {
                let Some(ix) = names.lookup(self, file, u, format!("{field}.units")) else {
                    ok = false;
                    continue;
                };
                let problem = if net.node(ix).capacity.is_none() {
                    Some((
                        format!("unit `{}` has no capacity", u.get_ref()),
                        "a duty group shares out its units' capacities; give the node a capacity",
                    ))
                } else if units.contains(&ix) {
                    Some((
                        format!("unit `{}` is listed twice", u.get_ref()),
                        "list each unit once",
                    ))
                } else {
                    grouped.get(&ix.0).map(|other| {
                        (
                            format!("unit `{}` is already in duty group `{other}`", u.get_ref()),
                            "a unit belongs to one duty group",
                        )
                    })
                };
                if let Some((problem, hint)) = problem {
                    self.diags.error(
                        &self.srcs[file],
                        u.span().start,
                        format!("{field}.units"),
                        problem,
                        Some(hint.into()),
                    );
                    ok = false;
                    continue;
                }
                units.push(ix);
            }
            let fig = self.figure(
                file,
                &d.in_service,
                Dimension::Count,
                &format!("{field}.in_service"),
            );
            let Some(fig) = fig else { continue };
            let n = fig.value;
            if n.fract() != 0.0 || n < 1.0 || n > d.units.get_ref().len() as f64 {
                self.diags.error(
                    &self.srcs[file],
                    d.in_service.span().start,
                    format!("{field}.in_service"),
                    format!(
                        "in_service = {n} is not a whole number from 1 to the {} units listed",
                        d.units.get_ref().len()
                    ),
                    Some("say how many units run at once; the others are spares".into()),
                );
                continue;
            }
            if !ok {
                continue;
            }
            for u in &units {
                grouped.insert(u.0, d.id.get_ref().clone());
            }
            net.duties.push(Duty {
                id: d.id.get_ref().clone(),
                units,
                in_service: n as usize,
                provenance: fig.provenance,
            });
        }
    }

    #[allow(clippy::type_complexity)]
    pub(crate) fn fleet(
        &mut self,
        file: usize,
        raw: &Spanned<RawFleet>,
        field: &str,
    ) -> Option<(Fleet, Option<Reserved>, Option<Figure>)> {
        let r = raw.get_ref();
        let f = |name: &str| format!("{field}.{name}");
        let vessels = self.figure(file, &r.vessels, Dimension::Count, &f("vessels"));
        let deadweight_kt =
            self.figure(file, &r.deadweight, Dimension::Deadweight, &f("deadweight"));
        let speed_kn = self.figure(file, &r.speed, Dimension::Speed, &f("speed"));
        let loading_days = self.figure(file, &r.loading, Dimension::Duration, &f("loading"));
        let discharge_days = self.figure(file, &r.discharge, Dimension::Duration, &f("discharge"));
        let availability = self.figure(
            file,
            &r.availability,
            Dimension::Fraction,
            &f("availability"),
        );
        let reserved = self.reserved(file, &r.reserved, field).ok()?;
        let allocation = match &r.allocation {
            Some(a) => Some(self.figure(file, a, Dimension::OilFlow, &f("allocation"))?),
            None => None,
        };
        let fleet = Fleet {
            vessels: vessels?,
            deadweight_kt: deadweight_kt?,
            speed_kn: speed_kn?,
            loading_days: loading_days?,
            discharge_days: discharge_days?,
            availability: availability?,
        };
        for (name, fig, raw_v) in [
            ("vessels", &fleet.vessels, &r.vessels),
            ("deadweight", &fleet.deadweight_kt, &r.deadweight),
            ("speed", &fleet.speed_kn, &r.speed),
            ("availability", &fleet.availability, &r.availability),
        ] {
            if fig.value <= 0.0 {
                self.diags.warn(
                    "non_positive_capacity",
                    &self.srcs[file],
                    raw_v.span().start,
                    f(name),
                    format!(
                        "{name} {} is zero; the tanker leg is left out",
                        fig.entered_value
                    ),
                    Some("give the real fleet figure".into()),
                );
                return None;
            }
        }
        Some((fleet, reserved, allocation))
    }
}
