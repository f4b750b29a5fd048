//! The daily simulation: capacities under events, production, storage, tanker transit and the
//! data layer, allocated each day by min-cost flow.
//!
//! # The daily allocation (oil)
//!
//! Phase 1 places the day's production and tanker arrivals. Every unit must go somewhere, and
//! arc costs put the choices in strict tiers:
//!
//! 1. export (reward `R`; tanker loading counts as export-bound),
//! 2. among exports, the lowest transport cost (tariff, or length × a per-mode rate),
//! 3. storage, nearest to the market first (a tank farm further from the fields is cheaper),
//! 4. tanker cargo waiting at sea to discharge,
//! 5. curtailment (production shut in; lost, not deferred).
//!
//! Phase 2 (the dispatch rule) drains stored crude above each tank farm's working level into the
//! capacity left spare after phase 1, at the lowest transport cost; then, under nominated
//! dispatch, crude below a working level (down to the tank farm's minimum) as far as the day's
//! shortfall of nominated field output that the tank farm bridges. Fresh production therefore
//! always goes first. A tank farm below its working level with nothing to bridge refills in
//! phase 1 from the crude that reaches it, before that crude is exported.
//!
//! Of a duty group's units (`[[duty]]`: the CPC moorings) only the `in_service` with the most
//! capacity that day run; the others stand by with no capacity, so a spare replaces a unit that
//! is out and catch-up after an outage runs at the in-service rate.
//!
//! Tanker legs load on day `t` and deliver on day `t + transit` (transit = sailing days rounded,
//! at least 1). Cargo at sea is stock. While cargo waits to discharge, the leg's loading capacity
//! is reduced by the waiting volume (the ships are busy).
//!
//! # Event-driven solving
//!
//! Each day's inputs (arc capacities, supplies, arrivals, and the storage bounds clipped to what
//! can bind that day) form a key. If the key is bit-identical to the last solved day's, the last
//! allocation is reused; otherwise the day is solved. Identical inputs give identical outputs,
//! so the results equal re-solving every day ([`SimConfig::every_day`] does that, for tests).

mod data;
mod layout;
mod nominate;
mod oil;
mod restart;

use std::collections::VecDeque;

use std::cell::Cell;

use super::components::{ArcData, SolveStats, Solver};
use super::flow::{FlowError, FlowTotals, UNBOUNDED, decompose};
use crate::model::{AssetRef, Date, Layer, LinkIx, Network, NodeIx, Scenario};
use layout::{Layout, allowed, factors, production};

/// Export reward per kt (a negative cost).
const REWARD: f64 = 1e6;
/// Cost per kt of storing, before the distance bonus.
const STORE_BASE: f64 = 1e4;
/// Bonus per km between the fields and a tank farm: downstream tanks fill first.
const STORE_KM_BONUS: f64 = 1.0;
/// Cost per kt of tanker cargo waiting at sea.
const WAIT: f64 = 2e4;
/// How far (kt) a storage bound must exceed the flow through it to count as not binding.
const SLACK_MARGIN: f64 = 1e-6;
/// Cost per kt of curtailed production (or unserved data traffic).
const CURTAIL: f64 = 1e5;

/// How to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SimConfig {
    /// Apply the scenario's events (false gives the baseline).
    pub with_events: bool,
    /// Solve every day instead of only when the inputs change.
    pub every_day: bool,
    /// Skip splitting each day's exports by route and through Russia (they stay zero), and
    /// the latency of the served data: Monte Carlo replicates only need the totals.
    pub totals_only: bool,
}

impl SimConfig {
    /// The scenario without its events, totals only: the baseline a Monte Carlo run, a
    /// comparison or a history export measures losses against.
    pub const BASELINE_TOTALS: SimConfig = SimConfig {
        with_events: false,
        every_day: false,
        totals_only: true,
    };
}

/// One simulated day.
#[derive(Debug, Clone, PartialEq)]
pub struct Day {
    /// Day index from the scenario start.
    pub t: i64,
    /// Oil the fields could produce (after production events), kt.
    pub production_kt: f64,
    /// Production shut in because nothing could take it, or held back while a field shut in
    /// earlier restarts, kt.
    pub curtailed_kt: f64,
    /// Crude delivered to markets, kt.
    pub exports_kt: f64,
    /// Exports by oil route (in the order of [`SimResult::routes`]), kt; the last entry is
    /// exports on paths no route covers.
    pub route_exports_kt: Vec<f64>,
    /// Exports whose path touches Russia, kt.
    pub russia_exports_kt: f64,
    /// Flow on every link (tanker legs: cargo loaded), kt/day or Gbps, by [`LinkIx`].
    ///
    /// # Units
    /// kt/day on oil links (tanker legs: cargo loaded), Gbps on data links.
    pub link_flow: Vec<f64>,
    /// Level of every store at the end of the day, kt.
    pub store_kt: Vec<f64>,
    /// Crude at sea at the end of the day (in transit and waiting), kt.
    pub at_sea_kt: f64,
    /// International data demand, Gbps.
    pub data_demand_gbps: f64,
    /// Demand held back by government-ordered shutdowns, Gbps (not a physical loss).
    pub data_shutdown_gbps: f64,
    /// Data traffic served, Gbps.
    pub data_served_gbps: f64,
    /// Served-weighted round-trip time of the served traffic to its destinations, onward
    /// paths included, ms (0 when none is served; 0 in Monte Carlo replicates).
    pub data_latency_ms: f64,
    /// Per destination group (network order; one entry without groups): served-weighted
    /// round-trip time, ms (0 when none is served). Empty in Monte Carlo replicates.
    pub data_rtt_ms: Vec<f64>,
    /// Per data source ([`Network::data_sources`]) × destination group, source-major: the
    /// round-trip time of the shortest path that has capacity, ms; infinite when none is
    /// left. Empty in Monte Carlo replicates.
    pub data_best_rtt_ms: Vec<f64>,
    /// Whether the oil allocation was solved (true) or reused (false) this day.
    pub solved: bool,
}

impl Day {
    /// Data traffic the links could not carry: demand less what shutdowns held back and what
    /// was served, Gbps.
    pub fn data_unserved_gbps(&self) -> f64 {
        (self.data_demand_gbps - self.data_shutdown_gbps - self.data_served_gbps).max(0.0)
    }
    /// Data served over demand, 0–1 (1 without demand).
    pub fn data_performance(&self) -> f64 {
        if self.data_demand_gbps > 0.0 {
            (self.data_served_gbps / self.data_demand_gbps).clamp(0.0, 1.0)
        } else {
            1.0
        }
    }
}

/// A whole run.
#[derive(Debug, Clone, PartialEq)]
pub struct SimResult {
    /// The simulated days, warm-up excluded.
    pub days: Vec<Day>,
    /// Ids of the oil routes, the order of [`Day::route_exports_kt`].
    pub routes: Vec<String>,
    /// Min-cost-flow solves for oil (two phases count as one) and for data.
    pub oil_solves: usize,
    /// Data solves.
    pub data_solves: usize,
    /// Assets whose capacity factor fell below 1 on some day, in asset order.
    pub assets_hit: Vec<AssetRef>,
    /// Per asset (nodes first, then links): the days its capacity was below what it offers
    /// without events.
    pub hit_days: Vec<u32>,
    /// Per asset (nodes first, then links): the capacity it lost to events, summed over the
    /// days, as days of the whole capacity (a day at half capacity counts 0.5).
    pub capacity_lost_days: Vec<f64>,
    /// Crude at sea and in stores at the start, kt.
    pub initial_at_sea_kt: f64,
    /// Stock of each store at the start, kt.
    pub initial_store_kt: Vec<f64>,
}

/// What an arc of a daily graph stands for.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Tag {
    Node(usize),
    Link(usize),
    Sea(usize),
    /// Tanker loadings for a destination node, bounded by its onward capacity.
    Onward(usize),
    /// Slice `m` of the intake into link `j` (`m` = [`nominate::STEPS`]: the open headroom).
    Intake(usize, usize),
    Export,
    /// Data traffic leaving by sink node `.0` for destination group `.1`.
    Exit(usize, usize),
    Reach,
    Supply(usize),
    Field(usize),
    /// Production shut in at node `i`.
    Curtail(usize),
    Arrival(usize),
    Discharge(usize),
    Wait(usize),
    Store(usize),
    /// Crude into a tank farm below its working level, ahead of export.
    Refill(usize),
    Drain(usize),
}

impl Tag {
    /// The link of an intake arc.
    fn intake(self) -> Option<usize> {
        match self {
            Tag::Intake(j, _) => Some(j),
            _ => None,
        }
    }
}

/// A day the flow solver could not solve: its iteration guard tripped (see [`FlowError`]).
/// Inputs within the documented ranges never cause it; the run stops rather than report a
/// partial allocation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error(
    "internal error: the flow solver gave up on {}: {error}",
    if *day < 0 { format!("the warm-up day before the start ({date})") } else { format!("day {day} ({date}) of the run") }
)]
pub struct SimError {
    /// Day index from the scenario's start (−1 is the warm-up day).
    pub day: i64,
    /// Its date.
    pub date: Date,
    /// What the solver's guard found.
    pub error: FlowError,
}

thread_local! {
    /// The first solver failure since the running simulation started. A simulation runs on
    /// one thread from start to end, so the daily solves deep in the dispatch report here and
    /// [`simulate`] checks once per day, instead of every call returning a `Result`.
    static FAULT: Cell<Option<FlowError>> = const { Cell::new(None) };
}

/// One min-cost maximum-flow problem a simulation solved, as [`trace_solves`] records it: the
/// input to the solver and its answer, for checking other solvers against (`bench/peers`).
#[derive(Debug, Clone, PartialEq)]
pub struct TracedSolve {
    /// Vertices of the graph (numbered from 0).
    pub vertices: usize,
    /// The source vertex.
    pub source: usize,
    /// The sink vertex.
    pub sink: usize,
    /// Per arc, in the order given to the solver: tail, head, capacity and cost per unit.
    ///
    /// # Units
    /// Capacity in kt/day (oil) or Gbps (data); cost in the model's tiered cost units per kt
    /// or Gbps (export reward −1e6, curtailment 1e5, …; see the module notes).
    pub arcs: Vec<(usize, usize, f64, f64)>,
    /// The maximum flow and its minimum cost that corridor's solver found.
    pub totals: FlowTotals,
}

thread_local! {
    /// The solves recorded on this thread while [`trace_solves`] runs.
    static TRACE: std::cell::RefCell<Option<Vec<TracedSolve>>> = const { std::cell::RefCell::new(None) };
}

/// Runs `f` on this thread and returns, with its result, every min-cost maximum-flow problem
/// that the simulations it ran on this thread solved, in order. Solves on other threads (a
/// parallel Monte Carlo's workers) are not recorded: trace one replicate at a time.
pub fn trace_solves<R>(f: impl FnOnce() -> R) -> (R, Vec<TracedSolve>) {
    let outer = TRACE.with(|tr| tr.replace(Some(Vec::new())));
    let r = f();
    let log = TRACE.with(|tr| tr.replace(outer)).unwrap_or_default();
    (r, log)
}

thread_local! {
    /// One solver per thread, reused: its scratch space and its memo of component solutions
    /// (exact, so results do not depend on which thread solved what before).
    static SOLVER: std::cell::RefCell<Solver> = std::cell::RefCell::new(Solver::default());
}

/// The counts of this thread's solver since it started: graphs solved, their components, and
/// the components whose solution came from the memo (see [`crate::engine::components`]).
pub fn solve_stats() -> SolveStats {
    SOLVER.with(|cell| cell.borrow().stats())
}

impl ArcData for (usize, usize, f64, f64, Tag) {
    fn arc(&self) -> (usize, usize, f64, f64) {
        (self.0, self.1, self.2, self.3)
    }
}

/// A daily min-cost-flow graph: arcs (from, to, capacity, cost, what it stands for).
struct Graph {
    vertices: usize,
    arcs: Vec<(usize, usize, f64, f64, Tag)>,
}

impl Graph {
    fn arc(&mut self, u: usize, v: usize, cap: f64, cost: f64, tag: Tag) {
        self.arcs.push((u, v, cap, cost, tag));
    }
    /// `amount` entering at node `i` (a field's production, a data demand): from the source to
    /// the node's supply vertex, on to the node, or shut in (curtailed) at a cost.
    fn supply(&mut self, v: &layout::Vertices, i: usize, amount: f64) {
        self.arc(v.s, v.field(i), amount, 0.0, Tag::Supply(i));
        self.arc(v.field(i), v.iv[i], UNBOUNDED, 0.0, Tag::Field(i));
        self.arc(v.field(i), v.t, UNBOUNDED, CURTAIL, Tag::Curtail(i));
    }
    fn solve(&self, s: usize, t: usize) -> Vec<f64> {
        SOLVER.with(
            |cell| match cell.borrow_mut().solve(self.vertices, &self.arcs, s, t) {
                Ok((flows, totals)) => {
                    TRACE.with(|tr| {
                        if let Some(log) = tr.borrow_mut().as_mut() {
                            log.push(TracedSolve {
                                vertices: self.vertices,
                                source: s,
                                sink: t,
                                arcs: self
                                    .arcs
                                    .iter()
                                    .map(|a| (a.0, a.1, a.2.max(0.0), a.3))
                                    .collect(),
                                totals,
                            });
                        }
                    });
                    flows
                }
                Err(e) => {
                    FAULT.with(|f| {
                        if f.get().is_none() {
                            f.set(Some(e));
                        }
                    });
                    vec![0.0; self.arcs.len()]
                }
            },
        )
    }
    fn paths(&self, flows: &[f64], s: usize, t: usize) -> Vec<(Vec<usize>, f64)> {
        let ends: Vec<(usize, usize)> = self.arcs.iter().map(|a| (a.0, a.1)).collect();
        decompose(self.vertices, &ends, flows, s, t)
    }
}

/// The state carried from day to day.
struct State {
    store: Vec<f64>,
    /// Per link: cargo loaded on past days, oldest first (tanker legs only).
    sea: Vec<VecDeque<f64>>,
    /// Per link: cargo waiting to discharge.
    backlog: Vec<f64>,
    /// Per dependency: consecutive days its `on` asset has been down.
    down_run: Vec<u32>,
}

impl State {
    fn new(net: &Network, sc: &Scenario) -> Self {
        let links = net.links.len();
        let mut store: Vec<f64> = net.stores.iter().map(|s| s.initial_kt.value).collect();
        for (k, level) in &sc.stock {
            store[*k] = *level;
        }
        State {
            store,
            sea: vec![VecDeque::new(); links],
            backlog: vec![0.0; links],
            down_run: vec![0; net.dependencies.len() + sc.dependencies.len()],
        }
    }

    /// Moves the day's allocation into the state: stores fill and drain, cargo loaded today
    /// goes to sea and the oldest arrives; on the warm-up day the tanker pipelines are filled
    /// at the day's loadings. Returns the crude at sea (in transit and waiting), kt.
    fn advance(&mut self, ro: &oil::Readout, lay: &Layout<'_>, warm_up: bool) -> f64 {
        for k in 0..self.store.len() {
            self.store[k] += ro.inject[k] - ro.drain[k];
        }
        for j in 0..self.sea.len() {
            if lay.transit[j] == 0 {
                continue;
            }
            if warm_up {
                self.sea[j] = std::iter::repeat_n(ro.loaded[j], lay.transit[j]).collect();
                continue;
            }
            self.sea[j].pop_front();
            self.sea[j].push_back(ro.loaded[j]);
            self.backlog[j] = ro.waiting[j];
            debug_assert!(ro.discharged[j] >= 0.0);
        }
        self.sea.iter().map(|q| q.iter().sum::<f64>()).sum::<f64>()
            + self.backlog.iter().sum::<f64>()
    }
}

/// Runs the scenario (or its baseline) over the horizon.
///
/// # Errors
/// [`SimError`] naming the first day whose flow could not be solved.
pub fn simulate(net: &Network, sc: &Scenario, cfg: SimConfig) -> Result<SimResult, SimError> {
    FAULT.with(|f| f.set(None));
    let fault = |t: i64| match FAULT.with(Cell::take) {
        Some(error) => Err(SimError {
            day: t,
            date: sc.start.plus(t),
            error,
        }),
        None => Ok(()),
    };
    let (lay, mut plan) = Layout::new(net, sc);
    let n = lay.n;
    let links = net.links.len();
    let mut st = State::new(net, sc);
    let start_store = st.store.clone();
    let mut hit_days = vec![0u32; n + links];
    let mut lost_days = vec![0.0f64; n + links];
    let mut days = Vec::with_capacity(sc.horizon_days as usize);
    let mut oil = oil::Oil::new(&lay);
    let mut data = data::Data::new(net, sc, &lay);
    // Without shutdown events every day lets all traffic through: computed once.
    let shutdowns = cfg.with_events
        && sc
            .events
            .iter()
            .any(|e| matches!(e.effect, crate::model::Effect::Shutdown { .. }));
    let no_shutdown = allowed(net, sc, 0, false);
    let mut initial_at_sea = 0.0;
    let mut restart = restart::Restart::new(net);
    // Raw inputs of the previous day and of today (see `inputs_same`).
    let mut fp: Vec<f64> = Vec::with_capacity(4 * (n + links));
    let mut prev_fp: Vec<f64> = Vec::new();
    for day in 0..=sc.horizon_days as i64 {
        // Day −1 (index 0 of the loop) is a warm-up on intact capacities that fills the tanker
        // pipelines at their steady loadings; it is not reported.
        let t = day - 1;
        let warm_up = t < 0;
        let mut f = factors(
            net,
            sc,
            &lay.base,
            t,
            cfg.with_events && !warm_up,
            &mut st.down_run,
        );
        // Hit: below what the asset offers without events (a suspended asset offers nothing).
        if !warm_up {
            for (i, (x, b)) in f.iter().zip(&lay.base).enumerate() {
                if *x < *b {
                    hit_days[i] += 1;
                    lost_days[i] += (b - x) / b;
                }
            }
        }
        // Spares stand by (after the hit test: standing by is not being hit).
        lay.duty(&mut f);
        let mut prod = production(net, sc, t.max(0), cfg.with_events && !warm_up);
        let potential: f64 = prod
            .iter()
            .enumerate()
            .filter(|(i, _)| net.nodes[*i].layer() == Layer::Oil)
            .map(|(_, p)| p)
            .sum();
        // A route is disrupted only when it is short of its normal capacity: the day's factors
        // without events (what the baseline run has).
        let normal = || {
            let mut g = factors(net, sc, &lay.base, t, false, &mut []);
            lay.duty(&mut g);
            g
        };
        let factors_same =
            !cfg.every_day && f.len() <= prev_fp.len() && f[..] == prev_fp[..f.len()];
        // Output without events or holds: what tank farms bridge a shortfall from.
        let normal_prod = if plan.on {
            production(net, sc, t.max(0), false)
        } else {
            Vec::new()
        };
        // While a field restarts, the day is first solved at full output: where the flow shuts
        // in at least the hold, the cause is still there and the field restarts later; elsewhere
        // the hold applies and the day is solved again.
        let mut held = 0.0;
        let mut probe = !warm_up && restart.pending(t);
        let reuse = loop {
            plan.day(
                net,
                &lay.v,
                &f,
                &prod,
                t,
                &|f, a| lay.capacity_on(f, a),
                &normal,
            );
            // Days whose raw inputs equal the previous day's (capacity factors, production, tank
            // levels, cargo arriving or waiting, headroom, the shortfalls tanks bridge) have the
            // same key, so the graphs need not be rebuilt: the last allocation stands.
            fp.clear();
            fp.extend(&f);
            fp.extend(&prod);
            fp.extend(&st.store);
            for j in 0..links {
                fp.push(st.sea[j].front().copied().unwrap_or(0.0));
                fp.push(st.backlog[j]);
            }
            fp.extend(plan.key());
            let short = plan.shortfall(net.stores.len(), &prod, &normal_prod);
            fp.extend(&short);
            let inputs_same = !cfg.every_day && oil.has_solved() && fp == prev_fp;
            std::mem::swap(&mut fp, &mut prev_fp);
            let reuse = oil.day(
                &lay,
                &plan,
                &st,
                (&f, &prod, &short),
                inputs_same,
                cfg,
                warm_up,
            );
            if !probe {
                break reuse;
            }
            probe = false;
            held = restart.hold(t, &oil.readout().shut, &mut prod);
            if held == 0.0 {
                break reuse;
            }
        };
        fault(t)?;
        let ro = oil.readout();
        let mut link_flow = ro.link_flow.clone();
        let at_sea = st.advance(ro, &lay, warm_up);
        if warm_up {
            initial_at_sea = at_sea;
            // The warm-up leaves stores as they were.
            st.store.clone_from(&start_store);
            st.down_run.iter_mut().for_each(|r| *r = 0);
            oil.forget();
            continue;
        }

        restart.record(t, &ro.shut);
        let shut_today;
        let allowed: &[f64] = if shutdowns {
            shut_today = allowed(net, sc, t, cfg.with_events);
            &shut_today
        } else {
            &no_shutdown
        };
        let dd = data.day(
            &lay,
            &f,
            allowed,
            factors_same,
            cfg,
            &mut link_flow,
            days.last(),
        );
        fault(t)?;

        days.push(Day {
            t,
            production_kt: potential,
            curtailed_kt: ro.curtailed + held,
            exports_kt: ro.exports,
            route_exports_kt: ro.route_exports.clone(),
            russia_exports_kt: ro.russia,
            link_flow,
            store_kt: st.store.clone(),
            at_sea_kt: at_sea,
            data_demand_gbps: data.demand_gbps(),
            data_shutdown_gbps: data.shut_gbps(),
            data_served_gbps: dd.served,
            data_latency_ms: dd.latency,
            data_rtt_ms: dd.rtt,
            data_best_rtt_ms: dd.best,
            solved: !reuse,
        });
    }
    Ok(SimResult {
        days,
        routes: lay.oil_routes.iter().map(|r| r.id.clone()).collect(),
        oil_solves: oil.solves,
        data_solves: data.solves,
        assets_hit: (0..n + links)
            .filter(|&i| hit_days[i] > 0)
            .map(|i| {
                if i < n {
                    AssetRef::Node(NodeIx(i))
                } else {
                    AssetRef::Link(LinkIx(i - n))
                }
            })
            .collect(),
        initial_at_sea_kt: initial_at_sea,
        initial_store_kt: start_store,
        hit_days,
        capacity_lost_days: lost_days,
    })
}
