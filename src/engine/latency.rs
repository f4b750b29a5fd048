//! Round-trip times on the intact network: from each data source to each destination group,
//! leaving by each data sink, over the shortest path of data links (by drawn length), then
//! the group's onward path from that sink. RTT = km × the network's route factor × 0.01 ms/km
//! ([`Network::rtt_ms`]). Capacities and load play no part here; the daily simulation's
//! round-trip times do take them into account.

use crate::model::{Layer, LinkIx, Network, NodeIx, Status};

/// The shortest path from one data source to one destination group by one sink.
#[derive(Debug, Clone, PartialEq)]
pub struct RttPath {
    /// The data source (a city).
    pub origin: NodeIx,
    /// Index of the destination group in the network (0 with none defined).
    pub destination: usize,
    /// The data sink the path leaves by.
    pub sink: NodeIx,
    /// The data links from the origin to the sink, in order.
    pub links: Vec<LinkIx>,
    /// Drawn length of `links`, km.
    pub network_km: f64,
    /// Drawn length of the onward path from the sink to the group's point, km (0 without
    /// groups).
    pub onward_km: f64,
    /// Round-trip time, ms.
    pub rtt_ms: f64,
}

/// For every data source × destination group × data sink: the shortest path over operating
/// data links (`include_planned`: planned ones too), if the sink can be reached. Sources,
/// groups and sinks in network order.
pub fn rtt_paths(net: &Network, include_planned: bool) -> Vec<RttPath> {
    let usable = |l: LinkIx| {
        let link = net.link(l);
        link.layer() == Layer::Data
            && (include_planned
                || (link.status == Status::Operating
                    && net.node(link.from).status == Status::Operating
                    && net.node(link.to).status == Status::Operating))
    };
    let sinks: Vec<NodeIx> = (0..net.nodes.len())
        .map(NodeIx)
        .filter(|n| net.node(*n).layer() == Layer::Data && net.node(*n).sink)
        .collect();
    let groups = net.destinations.len().max(1);
    let mut out = Vec::new();
    for origin in net.data_sources() {
        let (dist, prev) = shortest(net, origin, &usable);
        for g in 0..groups {
            for &sink in &sinks {
                if !dist[sink.0].is_finite() {
                    continue;
                }
                let mut links = Vec::new();
                let mut at = sink;
                while let Some(l) = prev[at.0] {
                    links.push(l);
                    at = net.link(l).from;
                }
                links.reverse();
                let onward_km = net
                    .destinations
                    .get(g)
                    .and_then(|d| d.exit(sink))
                    .map_or(0.0, |e| e.km);
                out.push(RttPath {
                    origin,
                    destination: g,
                    sink,
                    links,
                    network_km: dist[sink.0],
                    onward_km,
                    rtt_ms: net.rtt_ms(dist[sink.0] + onward_km),
                });
            }
        }
    }
    out
}

/// Shortest drawn distance (km) from `from` to every node over the links `usable` allows, and
/// the last link of each shortest path (Bellman–Ford: a few dozen data links; ties keep the
/// first link in network order).
fn shortest(
    net: &Network,
    from: NodeIx,
    usable: &dyn Fn(LinkIx) -> bool,
) -> (Vec<f64>, Vec<Option<LinkIx>>) {
    let n = net.nodes.len();
    let mut dist = vec![f64::INFINITY; n];
    let mut prev = vec![None; n];
    dist[from.0] = 0.0;
    for _ in 0..n {
        let mut changed = false;
        for (j, l) in net.links.iter().enumerate() {
            if !usable(LinkIx(j)) {
                continue;
            }
            let d = dist[l.from.0] + l.length_km();
            if d < dist[l.to.0] {
                dist[l.to.0] = d;
                prev[l.to.0] = Some(LinkIx(j));
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    (dist, prev)
}
