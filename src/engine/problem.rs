//! Turns one layer of a [`Network`] into a flow problem and solves it under asset derates.
//!
//! Vertices: every node `i` of the layer is split into `in(i) = 2i` and `out(i) = 2i + 1`, joined
//! by an arc carrying the node's capacity (unbounded when it has none). Each link is an arc
//! `out(from) → in(to)`. A super-source feeds every origin (oil fields, data-demand nodes) and
//! every sink node drains into a super-sink. Arc costs are link lengths in km, so among the
//! maximum flows the solver picks the one with the least tonne-km (or Gbps-km).
//!
//! Disruptions never mutate this structure: [`FlowProblem::solve`] takes a per-asset capacity
//! factor, so restoring an asset gives back the exact baseline.

use super::components::Solver;
use super::flow::UNBOUNDED;
use crate::model::{AssetRef, Layer, LinkIx, Network, NodeIx};

/// Which assets and supplies a flow problem includes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FlowOptions {
    /// Include planned assets and apply planned expansions.
    pub include_planned: bool,
    /// Limit each oil field to its production (true) or leave origins unbounded (false), so
    /// the flow measures the infrastructure alone.
    pub production_bounded: bool,
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct Arc {
    from: usize,
    to: usize,
    cap: f64,
    cost: f64,
    asset: Option<AssetRef>,
}

/// One layer of the network as a flow problem.
#[derive(Debug, Clone)]
pub struct FlowProblem {
    /// The layer it models.
    pub layer: Layer,
    arcs: Vec<Arc>,
    vertices: usize,
    source: usize,
    sink: usize,
}

/// The result of one solve.
#[derive(Debug, Clone)]
pub struct FlowResult {
    /// Total flow from origins to sinks, kt/day (oil) or Gbps (data).
    ///
    /// # Units
    /// kt/day (oil) or Gbps (data).
    pub value: f64,
    /// Flow on each link of the network (zero for other layers), indexed by [`LinkIx`].
    ///
    /// # Units
    /// kt/day (oil) or Gbps (data).
    pub link_flow: Vec<f64>,
    /// Flow through each node, indexed by [`NodeIx`].
    ///
    /// # Units
    /// kt/day (oil) or Gbps (data).
    pub node_flow: Vec<f64>,
    arc_flow: Vec<f64>,
}

/// Capacity an asset offers to Kazakh flows, kt/day or Gbps, honouring status and expansions.
/// Planned assets give zero unless `include_planned`; suspended and retired ones give zero.
pub fn asset_capacity(net: &Network, asset: AssetRef, include_planned: bool) -> Option<f64> {
    if !net.asset_status(asset).in_service(include_planned) {
        return Some(0.0);
    }
    let cap = match asset {
        AssetRef::Node(n) => net.node(n).capacity.as_ref()?,
        AssetRef::Link(l) => &net.link(l).capacity,
    };
    let expansion = net
        .expansions
        .iter()
        .rfind(|e| include_planned && e.target == asset)
        .map(|e| e.capacity.clone());
    Some(match expansion {
        Some(nominal) => {
            let mut c = cap.clone();
            c.nominal = nominal;
            c.available()
        }
        None => cap.available(),
    })
}

impl FlowProblem {
    /// Builds the flow problem for `layer`.
    pub fn new(net: &Network, layer: Layer, opts: FlowOptions) -> Self {
        let n = net.nodes.len();
        let (source, sink) = (2 * n, 2 * n + 1);
        let mut arcs = Vec::new();
        let in_v = |i: usize| 2 * i;
        let out_v = |i: usize| 2 * i + 1;
        for (i, node) in net.nodes.iter().enumerate() {
            if node.layer() != layer {
                continue;
            }
            let asset = AssetRef::Node(NodeIx(i));
            let cap = asset_capacity(net, asset, opts.include_planned);
            let planned_off = !node.status.in_service(opts.include_planned);
            arcs.push(Arc {
                from: in_v(i),
                to: out_v(i),
                cap: if planned_off {
                    0.0
                } else {
                    cap.unwrap_or(UNBOUNDED)
                },
                cost: 0.0,
                asset: if node.capacity.is_some() || planned_off {
                    Some(asset)
                } else {
                    None
                },
            });
            let origin = match (layer, &node.production, &node.demand) {
                (Layer::Oil, Some(p), _) => Some(if opts.production_bounded {
                    p.value
                } else {
                    UNBOUNDED
                }),
                (Layer::Data, _, Some(_)) => Some(UNBOUNDED),
                _ => None,
            };
            if let Some(cap) = origin {
                arcs.push(Arc {
                    from: source,
                    to: in_v(i),
                    cap,
                    cost: 0.0,
                    asset: None,
                });
            }
            if node.sink {
                arcs.push(Arc {
                    from: out_v(i),
                    to: sink,
                    cap: UNBOUNDED,
                    cost: 0.0,
                    asset: None,
                });
                for r in &node.reached_from {
                    arcs.push(Arc {
                        from: out_v(r.0),
                        to: in_v(i),
                        cap: UNBOUNDED,
                        cost: 0.0,
                        asset: None,
                    });
                }
            }
        }
        for (i, link) in net.links.iter().enumerate() {
            if link.layer() != layer {
                continue;
            }
            let asset = AssetRef::Link(LinkIx(i));
            arcs.push(Arc {
                from: out_v(link.from.0),
                to: in_v(link.to.0),
                cap: asset_capacity(net, asset, opts.include_planned).unwrap_or(0.0),
                cost: link.length_km(),
                asset: Some(asset),
            });
        }
        FlowProblem {
            layer,
            arcs,
            vertices: 2 * n + 2,
            source,
            sink,
        }
    }

    /// Restricts the problem to the given links (and the nodes they touch): origins are the
    /// `from` nodes of `entry` links and sinks the `to` nodes of `exit` links. Used for a
    /// route's stand-alone capacity.
    pub fn sub_chain(
        net: &Network,
        layer: Layer,
        opts: FlowOptions,
        links: &[LinkIx],
        entry: &[LinkIx],
        exit: &[LinkIx],
    ) -> Self {
        let full = FlowProblem::new(net, layer, opts);
        let n = net.nodes.len();
        let (source, sink) = (2 * n, 2 * n + 1);
        let mut touched = vec![false; n];
        for l in links {
            touched[net.link(*l).from.0] = true;
            touched[net.link(*l).to.0] = true;
        }
        let mut arcs: Vec<Arc> = full
            .arcs
            .into_iter()
            .filter(|a| match a.asset {
                Some(AssetRef::Link(l)) => links.contains(&l),
                _ => is_node_arc(a, n) && touched[a.from / 2],
            })
            .collect();
        for l in entry {
            arcs.push(Arc {
                from: source,
                to: 2 * net.link(*l).from.0,
                cap: UNBOUNDED,
                cost: 0.0,
                asset: None,
            });
        }
        for l in exit {
            arcs.push(Arc {
                from: 2 * net.link(*l).to.0 + 1,
                to: sink,
                cap: UNBOUNDED,
                cost: 0.0,
                asset: None,
            });
        }
        arcs.dedup();
        FlowProblem {
            layer,
            arcs,
            vertices: 2 * n + 2,
            source,
            sink,
        }
    }

    /// Solves with every asset's capacity multiplied by `factor(asset)` (1 = intact, 0 = out).
    ///
    /// # Errors
    /// The solver's iteration guard (see [`super::flow::FlowError`]).
    pub fn solve(
        &self,
        factor: impl Fn(AssetRef) -> f64,
    ) -> Result<FlowResult, super::flow::FlowError> {
        // One solver per thread: a layer's parts joined only by the super-source and sink are
        // solved apart, and a part that repeats an earlier solve (in an N-1 sweep, every part
        // but the one holding the asset out) comes from the solver's exact memo.
        thread_local! {
            static SOLVER: std::cell::RefCell<Solver> = std::cell::RefCell::new(Solver::default());
        }
        let arcs: Vec<(usize, usize, f64, f64)> = self
            .arcs
            .iter()
            .map(|a| (a.from, a.to, a.cap * a.asset.map_or(1.0, &factor), a.cost))
            .collect();
        let (arc_flow, totals) = SOLVER.with(|s| {
            s.borrow_mut()
                .solve(self.vertices, &arcs, self.source, self.sink)
        })?;
        let nodes = (self.vertices - 2) / 2;
        let mut link_flow = Vec::new();
        let mut node_flow = vec![0.0; nodes];
        for (a, f) in self.arcs.iter().zip(&arc_flow) {
            match a.asset {
                Some(AssetRef::Link(l)) => {
                    if link_flow.len() <= l.0 {
                        link_flow.resize(l.0 + 1, 0.0);
                    }
                    link_flow[l.0] += f;
                }
                _ if is_node_arc(a, nodes) => node_flow[a.from / 2] += f,
                _ => {}
            }
        }
        Ok(FlowResult {
            value: if totals.flow.abs() < super::flow::EPS {
                0.0
            } else {
                totals.flow
            },
            link_flow,
            node_flow,
            arc_flow,
        })
    }

    /// Solves with every asset intact.
    ///
    /// # Errors
    /// As [`Self::solve`].
    pub fn solve_intact(&self) -> Result<FlowResult, super::flow::FlowError> {
        self.solve(|_| 1.0)
    }

    /// Splits a solved flow into source-to-sink paths, each given as the links it uses in
    /// order and the flow it carries (see [`super::flow::decompose`]).
    pub fn decompose(&self, result: &FlowResult) -> Vec<(Vec<LinkIx>, f64)> {
        let ends: Vec<(usize, usize)> = self.arcs.iter().map(|a| (a.from, a.to)).collect();
        super::flow::decompose(
            self.vertices,
            &ends,
            &result.arc_flow,
            self.source,
            self.sink,
        )
        .into_iter()
        .map(|(path, f)| {
            let links = path
                .iter()
                .filter_map(|&k| match self.arcs[k].asset {
                    Some(AssetRef::Link(l)) => Some(l),
                    _ => None,
                })
                .collect();
            (links, f)
        })
        .collect()
    }

    /// The assets that take part in this problem (capacitated nodes and links of the layer).
    pub fn assets(&self) -> Vec<AssetRef> {
        let mut v: Vec<AssetRef> = self.arcs.iter().filter_map(|a| a.asset).collect();
        v.sort();
        v.dedup();
        v
    }
}

/// Whether `a` is the `in(i) → out(i)` arc of a node (vertices `2i → 2i + 1`).
fn is_node_arc(a: &Arc, nodes: usize) -> bool {
    a.from < 2 * nodes && a.from.is_multiple_of(2) && a.to == a.from + 1
}
