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
    let sinks = net.data_sinks();
    // The usable links as arcs between node indexes, and which link each arc is.
    let links: Vec<LinkIx> = (0..net.links.len())
        .map(LinkIx)
        .filter(|l| usable(*l))
        .collect();
    let arcs: Vec<(usize, usize, f64)> = links
        .iter()
        .map(|l| {
            let link = net.link(*l);
            (link.from.0, link.to.0, link.length_km())
        })
        .collect();
    let groups = net.destinations.len().max(1);
    let mut out = Vec::new();
    for origin in net.data_sources() {
        let (dist, prev) = shortest_paths(net.nodes.len(), &arcs, origin.0);
        for g in 0..groups {
            for &sink in &sinks {
                if !dist[sink.0].is_finite() {
                    continue;
                }
                let mut path = Vec::new();
                let mut at = sink;
                while let Some(k) = prev[at.0] {
                    path.push(links[k]);
                    at = net.link(links[k]).from;
                }
                path.reverse();
                let onward_km = net.onward_km(g, sink);
                out.push(RttPath {
                    origin,
                    destination: g,
                    sink,
                    links: path,
                    network_km: dist[sink.0],
                    onward_km,
                    rtt_ms: net.rtt_ms(dist[sink.0] + onward_km),
                });
            }
        }
    }
    out
}

/// Shortest distance from vertex `from` to each of `vertices` over `arcs` (tail, head,
/// length), and the index in `arcs` of the last arc of each shortest path (Bellman–Ford: a
/// few dozen vertices and arcs; on a tie the earlier arc stays).
pub(crate) fn shortest_paths(
    vertices: usize,
    arcs: &[(usize, usize, f64)],
    from: usize,
) -> (Vec<f64>, Vec<Option<usize>>) {
    let mut dist = vec![f64::INFINITY; vertices];
    let mut prev = vec![None; vertices];
    dist[from] = 0.0;
    for _ in 0..vertices {
        let mut changed = false;
        for (k, (a, b, len)) in arcs.iter().enumerate() {
            if dist[*a] + len < dist[*b] {
                dist[*b] = dist[*a] + len;
                prev[*b] = Some(k);
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    (dist, prev)
}
