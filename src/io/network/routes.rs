//! `[[route]]`, `[[nomination]]`, `[[depends_on]]` and `[[expansion]]` tables, and the
//! connectivity check.

use std::collections::BTreeSet;

use toml::Spanned;

use super::*;
use crate::io::diag::did_you_mean;
use crate::model::units::Dimension;
use crate::model::{
    AssetRef, Date, Expansion, Layer, LinkIx, LinkKind, Network, NodeIx, Nomination, Route, Vintage,
};

/// The flow dimension of `target`'s capacity, and whether it has a capacity of its own to
/// change: a capacitated node, or a link that is not a tanker leg (whose capacity is its fleet's).
fn own_capacity(net: &Network, target: AssetRef) -> (Dimension, bool) {
    match target {
        AssetRef::Node(n) => (
            net.node(n).layer().flow_dimension(),
            net.node(n).capacity.is_some(),
        ),
        AssetRef::Link(l) => (
            net.link(l).layer().flow_dimension(),
            net.link(l).fleet.is_none(),
        ),
    }
}

impl Resolver<'_> {
    /// `[[route]]`s: every stage resolved and chained to the previous one.
    pub(crate) fn resolve_routes(
        &mut self,
        raw: &[(usize, RawRoute)],
        raw_links: &[(usize, RawLink)],
        failed: &[(String, String, Vec<String>)],
        net: &mut Network,
    ) {
        let link_names: Vec<String> = net.links.iter().map(|l| l.id.clone()).collect();
        let links_left_out: BTreeSet<&str> = raw_links
            .iter()
            .map(|(_, l)| l.id.get_ref().as_str())
            .filter(|id| net.link_ix(id).is_none())
            .chain(
                failed
                    .iter()
                    .filter(|(sec, _, _)| sec == "link")
                    .map(|(_, id, _)| id.as_str()),
            )
            .collect();
        for (file, r) in raw {
            let file = *file;
            let id = r.id.get_ref().clone();
            let field = format!("route[{id}]");
            let mut stages: Vec<Vec<LinkIx>> = Vec::new();
            let mut ok = true;
            for st in r.stages.get_ref() {
                let names = match st.get_ref() {
                    RawStage::One(s) => vec![s.clone()],
                    RawStage::Parallel(v) => v.clone(),
                };
                let mut stage = Vec::new();
                for n in names {
                    if let Some(ix) = net.link_ix(&n) {
                        stage.push(ix);
                        continue;
                    }
                    let (problem, hint) = if links_left_out.contains(n.as_str()) {
                        (
                            format!(
                                "link `{n}` was left out (see its own diagnostic); the route is left out too"
                            ),
                            None,
                        )
                    } else {
                        (
                            format!("unknown link `{n}`; the route is left out"),
                            did_you_mean(&n, link_names.iter().map(String::as_str)),
                        )
                    };
                    self.diags.warn(
                        "unknown_asset",
                        &self.srcs[file],
                        st.span().start,
                        format!("{field}.stages"),
                        problem,
                        hint,
                    );
                    ok = false;
                }
                if stage.is_empty() && ok {
                    self.diags.error(
                        &self.srcs[file],
                        st.span().start,
                        format!("{field}.stages"),
                        "empty stage",
                        None,
                    );
                    ok = false;
                }
                stages.push(stage);
            }
            if stages.is_empty() {
                self.diags.error(
                    &self.srcs[file],
                    r.stages.span().start,
                    format!("{field}.stages"),
                    "a route needs at least one link",
                    None,
                );
                continue;
            }
            if !ok {
                continue;
            }
            let layers: BTreeSet<Layer> = stages
                .iter()
                .flatten()
                .map(|l| net.link(*l).layer())
                .collect();
            if layers.len() > 1 {
                self.diags.warn(
                    "layer_mismatch",
                    &self.srcs[file],
                    r.stages.span().start,
                    format!("{field}.stages"),
                    "mixes oil and data links; the route is left out",
                    Some("make one route per layer".into()),
                );
                continue;
            }
            for (k, pair) in stages.windows(2).enumerate() {
                let ends: BTreeSet<NodeIx> = pair[0].iter().map(|l| net.link(*l).to).collect();
                for l in &pair[1] {
                    let link = net.link(*l);
                    if !ends.contains(&link.from) {
                        let pos = r.stages.get_ref()[k + 1].span().start;
                        let prev: Vec<&str> =
                            ends.iter().map(|n| net.node(*n).id.as_str()).collect();
                        self.diags.warn(
                            "route_not_chain",
                            &self.srcs[file],
                            pos,
                            format!("{field}.stages"),
                            format!(
                                "stage {} link `{}` starts at `{}`, but stage {} ends at {}",
                                k + 2,
                                link.id,
                                net.node(link.from).id,
                                k + 1,
                                prev.iter()
                                    .map(|p| format!("`{p}`"))
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ),
                            Some("list the links in order from origin to market".into()),
                        );
                        ok = false;
                    }
                }
            }
            if !ok {
                continue;
            }
            let layer = *layers.iter().next().unwrap_or(&Layer::Oil);
            let length_sourced = match &r.length {
                Some(f) => {
                    match self.figure(file, f, Dimension::Length, &format!("{field}.length")) {
                        Some(x) => Some(x),
                        None => continue,
                    }
                }
                None => None,
            };
            let headroom = match &r.headroom {
                Some(h) => match self.lead_ramp(file, h.get_ref(), &format!("{field}.headroom")) {
                    Ok(h) => Some(h),
                    Err(()) => continue,
                },
                None => None,
            };
            net.routes.push(Route {
                id,
                name: r.name.clone().unwrap_or_else(|| r.id.get_ref().clone()),
                layer,
                stages,
                length_sourced,
                headroom,
                note: r.note.clone().unwrap_or_default(),
            });
        }
        net.routes.sort_by(|a, b| a.id.cmp(&b.id));
    }

    /// `[[nomination]]`s: a field with production, an oil route it can reach, a volume of oil
    /// flow; one per field and route.
    /// `lookup` resolves a field name (the network's own names, or a loaded network's for a
    /// scenario's nominations) and reports a name it cannot resolve.
    #[allow(clippy::type_complexity)]
    pub(crate) fn resolve_nominations(
        &mut self,
        raw: &[(usize, RawNomination)],
        net: &mut Network,
        lookup: &dyn Fn(&mut Self, usize, &Spanned<String>, String) -> Option<NodeIx>,
    ) {
        let mut seen: BTreeSet<(usize, String)> = BTreeSet::new();
        let out_links = net.oil_out_links();
        for (file, n) in raw {
            let file = *file;
            let field = format!("nomination[{} → {}]", n.field.get_ref(), n.route.get_ref());
            let Some(node) = lookup(self, file, &n.field, format!("{field}.field")) else {
                continue;
            };
            let src = &self.srcs[file];
            if net.node(node).production.is_none() {
                self.diags.error(
                    src,
                    n.field.span().start,
                    format!("{field}.field"),
                    format!("`{}` is not a field with production", n.field.get_ref()),
                    Some("nominations belong to fields (nodes with a `production`)".into()),
                );
                continue;
            }
            let rid = n.route.get_ref();
            let Some(route) = net.route(rid).filter(|r| r.layer == Layer::Oil) else {
                self.diags.error(
                    src,
                    n.route.span().start,
                    format!("{field}.route"),
                    format!("unknown oil route `{rid}`"),
                    did_you_mean(rid, net.route_ids(Layer::Oil).into_iter()),
                );
                continue;
            };
            let intake = net.intake_with(node, route, &out_links);
            if let Some((first, _)) = intake
                && net.link(first).kind == LinkKind::TankerLeg
            {
                self.diags.error(
                    src,
                    n.route.span().start,
                    format!("{field}.route"),
                    format!(
                        "`{}` reaches route `{rid}` first by the tanker leg `{}`",
                        n.field.get_ref(),
                        net.link(first).id
                    ),
                    Some("a field's nominations enter by pipeline or rail; add its feeder to the port".into()),
                );
                continue;
            }
            if intake.is_none() {
                self.diags.error(
                    src,
                    n.route.span().start,
                    format!("{field}.route"),
                    format!(
                        "route `{rid}` cannot be reached from `{}` over oil links",
                        n.field.get_ref()
                    ),
                    Some("nominate a route the field's feeders lead to".into()),
                );
                continue;
            }
            if !seen.insert((node.0, rid.clone())) {
                self.diags.error(
                    src,
                    n.field.span().start,
                    field.clone(),
                    "a second nomination of the same field on the same route",
                    Some("give one volume per field and route".into()),
                );
                continue;
            }
            let Some(volume) = self.figure(
                file,
                &n.volume,
                Dimension::OilFlow,
                &format!("{field}.volume"),
            ) else {
                continue;
            };
            net.nominations.push(Nomination {
                field: node,
                route: rid.clone(),
                volume,
            });
        }
    }

    /// A `[[depends_on]]` entry (network or scenario file `file`).
    pub(crate) fn dependency(
        &mut self,
        net: &Network,
        file: usize,
        i: usize,
        d: &RawDependency,
    ) -> Option<crate::model::Dependency> {
        let path = format!("depends_on[#{}]", i + 1);
        let resolve = |this: &mut Self, name: &Spanned<String>, field: &str| {
            net.asset(name.get_ref()).or_else(|| {
                let names: Vec<&str> = net.all_names().collect();
                let hint = did_you_mean(name.get_ref(), names.into_iter());
                this.diags.error(
                    &this.srcs[file],
                    name.span().start,
                    format!("{path}.{field}"),
                    format!("unknown asset `{}`", name.get_ref()),
                    hint,
                );
                None
            })
        };
        let dependent = resolve(self, &d.dependent, "dependent");
        let on = resolve(self, &d.on, "on");
        self.provenance(
            file,
            d.dependent.span().start,
            &path,
            &d.source,
            &d.estimate,
        );
        let grace = *d.grace_days.get_ref();
        let fraction = *d.fraction.get_ref();
        let down_below = d.down_below.as_ref().map_or(0.5, |x| *x.get_ref());
        let mut ok = true;
        for (bad, span, field, what) in [
            (
                grace < 0,
                d.grace_days.span(),
                "grace_days",
                "must not be negative",
            ),
            (
                !(0.0..=1.0).contains(&fraction),
                d.fraction.span(),
                "fraction",
                "must be a fraction in 0…1",
            ),
            (
                !(0.0..=1.0).contains(&down_below),
                d.down_below
                    .as_ref()
                    .map_or(d.fraction.span(), |x| x.span()),
                "down_below",
                "must be a fraction in 0…1",
            ),
        ] {
            if bad {
                self.diags.error(
                    &self.srcs[file],
                    span.start,
                    format!("{path}.{field}"),
                    what,
                    None,
                );
                ok = false;
            }
        }
        if dependent.is_some() && dependent == on {
            self.diags.error(
                &self.srcs[file],
                d.on.span().start,
                format!("{path}.on"),
                format!("`{}` cannot depend on itself", d.on.get_ref()),
                Some(
                    "name the asset it needs, e.g. the fibre that carries its control traffic"
                        .into(),
                ),
            );
            ok = false;
        }
        match (dependent, on, ok) {
            (Some(dependent), Some(on), true) => Some(crate::model::Dependency {
                dependent,
                on,
                grace_days: grace as u32,
                fraction,
                down_below,
            }),
            _ => None,
        }
    }

    /// `[[expansion]]`s.
    pub(crate) fn resolve_expansions(&mut self, raw: &[(usize, RawExpansion)], net: &mut Network) {
        for (file, e) in raw {
            let file = *file;
            let field = format!("expansion[{}]", e.id.get_ref());
            let Some(target) = net.asset(e.target.get_ref()) else {
                let names: Vec<&str> = net.all_names().collect();
                let hint = did_you_mean(e.target.get_ref(), names.into_iter());
                self.diags.warn(
                    "unknown_asset",
                    &self.srcs[file],
                    e.target.span().start,
                    format!("{field}.target"),
                    format!(
                        "unknown asset `{}`; the expansion is left out",
                        e.target.get_ref()
                    ),
                    hint,
                );
                continue;
            };
            let (dim, has_cap) = own_capacity(net, target);
            if !has_cap {
                self.diags.error(
                    &self.srcs[file],
                    e.target.span().start,
                    format!("{field}.target"),
                    format!("`{}` has no capacity to expand", e.target.get_ref()),
                    Some("expand a capacitated node or a pipeline/rail/fibre link; add tankers as a new planned tanker leg".into()),
                );
                continue;
            }
            let Some(mut capacity) =
                self.figure(file, &e.capacity, dim, &format!("{field}.capacity"))
            else {
                continue;
            };
            self.positive(
                file,
                &e.capacity.get_ref().value,
                &mut capacity,
                &format!("{field}.capacity"),
            );
            net.expansions.push(Expansion {
                id: e.id.get_ref().clone(),
                name: e.name.clone().unwrap_or_else(|| e.id.get_ref().clone()),
                target,
                capacity,
                note: e.note.clone().unwrap_or_default(),
            });
        }
    }

    /// `[[vintage]]`s: dated earlier states. Each needs a date, a known asset, a source or an
    /// estimate, and at least one of capacity, allocation and status; a capacity or allocation
    /// needs an asset that has one (not a tanker leg, whose capacity is its fleet's).
    pub(crate) fn resolve_vintages(&mut self, raw: &[(usize, RawVintage)], net: &mut Network) {
        for (i, (file, v)) in raw.iter().enumerate() {
            let file = *file;
            let field = format!("vintage[#{}]", i + 1);
            let pos = v.asset.span().start;
            let Some(target) = net.asset(v.asset.get_ref()) else {
                let names: Vec<&str> = net.all_names().collect();
                let hint = did_you_mean(v.asset.get_ref(), names.into_iter());
                self.diags.error(
                    &self.srcs[file],
                    pos,
                    format!("{field}.asset"),
                    format!("unknown asset `{}`", v.asset.get_ref()),
                    hint,
                );
                continue;
            };
            let until = Date::parse(v.until.get_ref());
            if until.is_none() {
                self.diags.error(
                    &self.srcs[file],
                    v.until.span().start,
                    format!("{field}.until"),
                    format!("`{}` is not a date", v.until.get_ref()),
                    Some("write YYYY-MM-DD: the last day the state held".into()),
                );
            }
            self.provenance(file, pos, &field, &v.source, &v.estimate);
            if v.capacity.is_none() && v.allocation.is_none() && v.status.is_none() {
                self.diags.error(
                    &self.srcs[file],
                    pos,
                    field.clone(),
                    "says nothing about the asset",
                    Some("give its capacity, allocation or status until that date".into()),
                );
                continue;
            }
            let (dim, has_cap) = own_capacity(net, target);
            let figure = |r: &mut Self, raw: &Option<Spanned<RawFigure>>, key: &str| {
                let raw = raw.as_ref()?;
                if !has_cap {
                    r.diags.error(
                        &r.srcs[file],
                        raw.span().start,
                        format!("{field}.{key}"),
                        format!("`{}` has no capacity of its own", v.asset.get_ref()),
                        Some("a tanker leg's capacity is its fleet's; date a node or a pipeline/rail/fibre link".into()),
                    );
                    return None;
                }
                let mut fig = r.figure(file, raw, dim, &format!("{field}.{key}"))?;
                r.positive(
                    file,
                    &raw.get_ref().value,
                    &mut fig,
                    &format!("{field}.{key}"),
                );
                Some(fig)
            };
            let capacity = figure(self, &v.capacity, "capacity");
            let allocation = figure(self, &v.allocation, "allocation");
            let status = match &v.status {
                None => None,
                s => Some(self.status(file, s, &field)),
            };
            let (Some(until), Some(status)) = (until, status.map_or(Some(None), |s| s.map(Some)))
            else {
                continue;
            };
            if (v.capacity.is_some() && capacity.is_none())
                || (v.allocation.is_some() && allocation.is_none())
            {
                continue;
            }
            net.vintages.push(Vintage {
                target,
                until,
                capacity,
                allocation,
                status,
                note: [v.note.clone(), v.source.clone(), v.estimate.clone()]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join("; "),
            });
        }
    }

    /// Nodes that no link (as written) touches and no market is reached from.
    pub(crate) fn check_disconnected(
        &mut self,
        raw: &RawSet,
        failed: &[(String, String, Vec<String>)],
        net: &Network,
        names: &NodeNames,
    ) {
        // Disconnected nodes: judged on the links as written, so a node is not reported again
        // because a link into it was left out for its own reason.
        let mut referenced: BTreeSet<&str> = failed
            .iter()
            .flat_map(|(_, _, refs)| refs.iter().map(String::as_str))
            .collect();
        for (_, l) in &raw.links {
            referenced.insert(l.from.get_ref());
            referenced.insert(l.to.get_ref());
        }
        for (_, n) in &raw.nodes {
            for r in n.reached_from.iter().flatten() {
                referenced.insert(r.get_ref());
                referenced.insert(n.id.get_ref());
            }
        }
        for (i, n) in net.nodes.iter().enumerate() {
            if !referenced.contains(n.id.as_str()) {
                let (file, pos) = names.pos[i];
                self.diags.warn(
                    "disconnected_node",
                    &self.srcs[file],
                    pos,
                    format!("node[{}]", n.id),
                    "touches no link and is reached from no node",
                    Some("connect it with a link, or delete it".into()),
                );
            }
        }
    }
}
