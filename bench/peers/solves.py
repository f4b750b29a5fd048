#!/usr/bin/env python3
"""Solver peers on corridor's own daily problems (issue 16).

`cargo bench --bench solves` with TRACE=FILE writes every min-cost maximum-flow problem that the
first N replicate-years of a Monte Carlo solved (one JSON line each: the arcs as [tail, head,
capacity, cost], the source and sink, and corridor's answer). corridor skips every day whose
inputs equal the last solved day's, and solves the phases and capacity checks of nominated
dispatch as separate problems, so the trace is exactly the work corridor did. This script
solves the same problems, in the same order, with:

  ortools  OR-Tools SimpleMinCostFlow.solve_max_flow_with_min_cost, incremental: one solver
           object per graph shape (arc ends and costs); a problem of a shape seen before only
           updates the capacities that changed. Integer capacities (0.1 t/day) and costs
           (0.01 unit), as the solver requires.
  highs    HiGHS dual simplex via highspy, warm-started: one pair of LPs per graph shape
           (the maximum flow, then the cheapest flow of that size); a problem of a shape seen
           before changes only the column bounds (and the flow row) and re-solves from the last
           basis.

Every problem's flow and cost are checked against corridor's; per replicate, the sums must
agree within TOL (relative). The time counted is the solving loop only (reading and parsing
the trace is not), so the peers get corridor's dispatch logic and its event-driven skipping
for free: the comparison favours them.

Usage: solves.py ortools|highs TRACE.jsonl
Prints one JSON line: backend, problems, replicates, seconds, worst relative disagreement.
"""
import collections
import json
import math
import sys
import time

UNB = 1e9
SCALE_CAP = 10_000  # kt/day -> 0.1 t/day
SCALE_COST = 100
TOL = 1e-4


def read(path):
    problems = []
    with open(path) as f:
        for line in f:
            p = json.loads(line)
            p["shape"] = tuple((a[0], a[1], a[3]) for a in p["arcs"])
            p["caps"] = [a[2] for a in p["arcs"]]
            problems.append(p)
    return problems


class OrTools:
    def __init__(self):
        from ortools.graph.python import min_cost_flow
        self.mcf = min_cost_flow
        self.cache = {}

    def solve(self, p):
        caps = p["caps"]
        finite = sum(c for c in caps if c < UNB)
        # An unbounded arc carries at most all the bounded capacity (int64 costs × flows).
        icaps = [int(round((c if c < UNB else finite + 1.0) * SCALE_CAP)) for c in caps]
        entry = self.cache.get(p["shape"])
        if entry is None:
            smcf = self.mcf.SimpleMinCostFlow()
            arcs = [
                smcf.add_arc_with_capacity_and_unit_cost(u, v, c, int(round(cost * SCALE_COST)))
                for (u, v, cost), c in zip(p["shape"], icaps)
            ]
            entry = [smcf, arcs, icaps]
            self.cache[p["shape"]] = entry
        else:
            smcf, arcs, old = entry
            for a, c, o in zip(arcs, icaps, old):
                if c != o:
                    smcf.set_arc_capacity(a, c)
            entry[2] = icaps
        smcf = entry[0]
        big = sum(c for (u, _, _), c in zip(p["shape"], icaps) if u == p["source"])
        smcf.set_node_supply(p["source"], big)
        smcf.set_node_supply(p["sink"], -big)
        status = smcf.solve_max_flow_with_min_cost()
        if status != smcf.OPTIMAL:
            raise RuntimeError(f"OR-Tools status {status}")
        return smcf.maximum_flow() / SCALE_CAP, smcf.optimal_cost() / SCALE_CAP / SCALE_COST


class Highs:
    def __init__(self):
        import highspy
        import numpy as np
        self.h = highspy
        self.np = np
        self.cache = {}

    def build(self, p, costs, flow_row):
        h, np = self.h, self.np
        shape, s, t = p["shape"], p["source"], p["sink"]
        n = len(shape)
        verts = sorted({x for (u, v, _) in shape for x in (u, v)} - {s, t})
        row_of = {x: i for i, x in enumerate(verts)}
        rows = len(verts) + (1 if flow_row else 0)
        start, index, value = [0], [], []
        for (u, v, _) in shape:
            entries = []
            if u in row_of:
                entries.append((row_of[u], -1.0))
            if v in row_of:
                entries.append((row_of[v], 1.0))
            if flow_row and (v == t or u == t):
                entries.append((len(verts), 1.0 if v == t else -1.0))
            for r, x in sorted(entries):
                index.append(r)
                value.append(x)
            start.append(len(index))
        lp = h.HighsLp()
        lp.num_col_ = n
        lp.num_row_ = rows
        lp.col_cost_ = np.array(costs, dtype=np.double)
        lp.col_lower_ = np.zeros(n)
        lp.col_upper_ = np.array([c if c < UNB else h.kHighsInf for c in p["caps"]])
        lo = [0.0] * len(verts) + ([0.0] if flow_row else [])
        hi = [0.0] * len(verts) + ([h.kHighsInf] if flow_row else [])
        lp.row_lower_ = np.array(lo)
        lp.row_upper_ = np.array(hi)
        lp.a_matrix_.format_ = h.MatrixFormat.kColwise
        lp.a_matrix_.start_ = np.array(start, dtype=np.int32)
        lp.a_matrix_.index_ = np.array(index, dtype=np.int32)
        lp.a_matrix_.value_ = np.array(value)
        m = h.Highs()
        m.setOptionValue("output_flag", False)
        m.passModel(lp)
        return m

    def solve(self, p):
        h, np = self.h, self.np
        shape, t = p["shape"], p["sink"]
        entry = self.cache.get(p["shape"])
        upper = np.array([c if c < UNB else h.kHighsInf for c in p["caps"]])
        if entry is None:
            into_t = [(-1.0 if v == t else 1.0 if u == t else 0.0) for (u, v, _) in shape]
            m1 = self.build(p, into_t, False)
            m2 = self.build(p, [c for (_, _, c) in shape], True)
            entry = [m1, m2, upper]
            self.cache[p["shape"]] = entry
        else:
            m1, m2, old = entry
            changed = np.nonzero(upper != old)[0].astype(np.int32)
            if len(changed):
                lower = np.zeros(len(changed))
                for m in (m1, m2):
                    m.changeColsBounds(len(changed), changed, lower, upper[changed])
            entry[2] = upper
        m1, m2 = entry[0], entry[1]
        m1.run()
        if m1.getModelStatus() != h.HighsModelStatus.kOptimal:
            raise RuntimeError(f"HiGHS max flow: {m1.modelStatusToString(m1.getModelStatus())}")
        flow = -m1.getInfo().objective_function_value
        m2.changeRowBounds(m2.getNumRow() - 1, flow - 1e-9 * (1.0 + abs(flow)), h.kHighsInf)
        m2.run()
        if m2.getModelStatus() != h.HighsModelStatus.kOptimal:
            raise RuntimeError(f"HiGHS min cost: {m2.modelStatusToString(m2.getModelStatus())}")
        return flow, m2.getInfo().objective_function_value


def main():
    backend, path = sys.argv[1], sys.argv[2]
    problems = read(path)
    solver = {"ortools": OrTools, "highs": Highs}[backend]()
    answers = []
    t0 = time.perf_counter()
    for p in problems:
        answers.append(solver.solve(p))
    seconds = time.perf_counter() - t0
    per = collections.defaultdict(lambda: [0.0, 0.0, 0.0, 0.0, 0.0])
    for p, (flow, cost) in zip(problems, answers):
        r = per[p["replicate"]]
        r[0] += flow
        r[1] += p["flow"]
        r[2] += cost
        r[3] += p["cost"]
        r[4] += abs(p["cost"]) + abs(cost)
    worst = 0.0
    for flow, their_flow, cost, their_cost, scale in per.values():
        worst = max(worst, abs(flow - their_flow) / max(1.0, abs(their_flow)))
        # Costs sum terms of both signs (rewards and penalties): relative to their magnitude.
        worst = max(worst, abs(cost - their_cost) / max(1.0, scale / 2))
    print(json.dumps({
        "backend": backend,
        "problems": len(problems),
        "replicates": len(per),
        "seconds": seconds,
        "worst_relative_disagreement": worst,
        "agree": worst <= TOL and not math.isnan(worst),
    }))


if __name__ == "__main__":
    main()
