//! `[traffic]`: the busy hour, the route factor, the mobile share and the destination groups
//! of international data traffic.

use geo::{Haversine, Length, LineString};
use toml::Spanned;

use super::*;
use crate::model::{Destination, Exit, Figure};

/// Tolerance on the destination shares' sum, fraction.
const SHARE_SUM_TOLERANCE: f64 = 1e-6;

impl Resolver<'_> {
    /// `[traffic]`: at most one. The busy-hour to average-hour ratio must be within 1…2 (1
    /// without the table: flat traffic); the route factor within 1…3; the mobile share within
    /// 0…1; the destination groups' shares must sum to 100% and every group must list one
    /// onward path from every data sink. Sets the network's traffic fields.
    pub(super) fn resolve_traffic(
        &mut self,
        raw: &[(usize, usize, RawTraffic)],
        net: &mut Network,
        names: &NodeNames,
    ) -> Option<()> {
        let Some((file, _, t)) = raw.first() else {
            return Some(());
        };
        let file = *file;
        self.defined_again("traffic", file, &raw[1..]);
        net.data_peak_to_mean = self.ratio(
            file,
            &t.peak_to_mean,
            "traffic.peak_to_mean",
            (1.0, 2.0),
            "a busy-hour to average-hour ratio",
            "peak_to_mean = { value = 1.72, unit = \"ratio\", source = \"…\" }",
        )?;
        if let Some(f) = &t.route_factor {
            net.data_route_factor = self.ratio(
                file,
                f,
                "traffic.route_factor",
                (1.0, 3.0),
                "a ratio of fibre route to drawn path",
                "route_factor = { value = 1.6, unit = \"ratio\", source = \"…\" }",
            )?;
        }
        if let Some(f) = &t.mobile_share {
            let share = self.figure(file, f, Dimension::Fraction, "traffic.mobile_share")?;
            if !(0.0..=1.0).contains(&share.value) {
                self.diags.error(
                    &self.srcs[file],
                    f.get_ref().value.span().start,
                    "traffic.mobile_share.value",
                    format!("mobile share {} is outside 0…1", share.value),
                    Some("give it as a fraction or in %, e.g. { value = 43, unit = \"%\" }".into()),
                );
                return None;
            }
            net.data_mobile_share = Some(share.value);
        }
        let groups = t.destination.as_deref().unwrap_or_default();
        let mut destinations = Vec::with_capacity(groups.len());
        for (i, d) in groups.iter().enumerate() {
            let g = self.destination(file, i, d, net, names, &destinations)?;
            destinations.push(g);
        }
        if let Some(first) = groups.first() {
            let sum: f64 = destinations.iter().map(|d| d.share.value).sum();
            if (sum - 1.0).abs() > SHARE_SUM_TOLERANCE {
                self.diags.error(
                    &self.srcs[file],
                    first.span().start,
                    "traffic.destination",
                    format!(
                        "the destination shares sum to {:.4}%, not 100%",
                        sum * 100.0
                    ),
                    Some("every byte of international traffic goes to one group".into()),
                );
                return None;
            }
        }
        net.destinations = destinations;
        (raw.len() == 1).then_some(())
    }

    /// A dimensionless figure in `unit = "ratio"` within `range`, or an error naming `what`
    /// with example `eg`.
    fn ratio(
        &mut self,
        file: usize,
        f: &Spanned<RawFigure>,
        field: &str,
        range: (f64, f64),
        what: &str,
        eg: &str,
    ) -> Option<f64> {
        let r = f.get_ref();
        let v = *r.value.get_ref();
        if r.unit.get_ref() != "ratio" || !(range.0..=range.1).contains(&v) {
            self.diags.error(
                &self.srcs[file],
                f.span().start,
                field,
                format!(
                    "{v} {} is not {what} within {}…{}",
                    r.unit.get_ref(),
                    range.0,
                    range.1
                ),
                Some(format!("e.g. {eg}")),
            );
            return None;
        }
        self.provenance(file, f.span().start, field, &r.source, &r.estimate);
        Some(v)
    }

    /// One `[[traffic.destination]]`: its share, its point and one exit per data sink.
    fn destination(
        &mut self,
        file: usize,
        i: usize,
        raw: &Spanned<RawDestination>,
        net: &Network,
        names: &NodeNames,
        seen: &[Destination],
    ) -> Option<Destination> {
        let d = raw.get_ref();
        let id = d.id.get_ref().clone();
        let field = format!("traffic.destination[{id}]");
        if seen.iter().any(|o| o.id == id) || id.trim().is_empty() {
            self.diags.error(
                &self.srcs[file],
                d.id.span().start,
                format!("{field}.id"),
                format!("destination #{} has an empty or repeated id", i + 1),
                Some("give each destination group its own id".into()),
            );
            return None;
        }
        let share: Figure = self.figure(
            file,
            &d.share,
            Dimension::Fraction,
            &format!("{field}.share"),
        )?;
        let Some(point) = lon_lat(&[*d.lon.get_ref(), *d.lat.get_ref()]) else {
            self.diags.error(
                &self.srcs[file],
                d.lon.span().start,
                format!("{field}.lon"),
                format!(
                    "({}, {}) is not a valid lon, lat",
                    d.lon.get_ref(),
                    d.lat.get_ref()
                ),
                Some("lon in −180…180 and lat in −90…90, degrees".into()),
            );
            return None;
        };
        if !(0.0..=1.0).contains(&share.value) {
            self.diags.error(
                &self.srcs[file],
                d.share.span().start,
                format!("{field}.share"),
                format!("share {} is outside 0…1", share.value),
                Some("give it as a fraction or in %, e.g. { value = 50, unit = \"%\" }".into()),
            );
            return None;
        }
        let mut exits: Vec<Exit> = Vec::new();
        for e in d.exits.get_ref() {
            let e = e.get_ref();
            let sink = names.lookup(self, file, &e.sink, format!("{field}.exits.sink"))?;
            let node = net.node(sink);
            if node.layer() != Layer::Data || !node.sink || exits.iter().any(|x| x.sink == sink) {
                self.diags.error(
                    &self.srcs[file],
                    e.sink.span().start,
                    format!("{field}.exits.sink"),
                    format!("`{}` is not a data sink, or is listed twice", node.id),
                    Some("list each data sink (a node with sink = true) once".into()),
                );
                return None;
            }
            let mut geometry = vec![(node.lon, node.lat)];
            for w in e.via.iter().flatten() {
                let Some(p) = lon_lat(w.get_ref()) else {
                    self.diags.error(
                        &self.srcs[file],
                        w.span().start,
                        format!("{field}.exits.via"),
                        format!("waypoint {:?} is not a valid [lon, lat] pair", w.get_ref()),
                        Some(WAYPOINT_HINT.into()),
                    );
                    return None;
                };
                geometry.push(p);
            }
            geometry.push(point);
            let km = Haversine.length(&LineString::from(geometry.clone())) / 1000.0;
            exits.push(Exit { sink, geometry, km });
        }
        let missing: Vec<&str> = net
            .data_sinks()
            .into_iter()
            .filter(|s| !exits.iter().any(|e| e.sink == *s))
            .map(|s| net.node(s).id.as_str())
            .collect();
        if !missing.is_empty() {
            self.diags.error(
                &self.srcs[file],
                d.exits.span().start,
                format!("{field}.exits"),
                format!("no onward path from data sink(s) {}", missing.join(", ")),
                Some(
                    "every group is reached from every sink (traffic that leaves by a sink goes on \
                     to any destination); add { sink = \"…\", via = [[lon, lat], …] }"
                        .into(),
                ),
            );
            return None;
        }
        exits.sort_by_key(|e| e.sink);
        Some(Destination {
            id,
            name: d.name.clone().unwrap_or_else(|| d.id.get_ref().clone()),
            share,
            point,
            exits,
        })
    }
}
