#!/usr/bin/env python3
"""The corridor oil day loop, written plainly in Python, for timing against corridor.

It reads the network exported by `corridor network --format json` and the sampled failure
histories exported by `corridor histories`, and for each replicate-year solves every day with
networkx (max_flow_min_cost) or OR-Tools (SimpleMinCostFlow): the same two-phase allocation as
corridor (export first, cheapest transport, storage downstream first, cargo waiting at sea, then
curtailment; stored crude above the working level drains into spare capacity), the same tanker
transit and the same capacity factors. It solves every day, as an analyst would; it does not
model the data layer, so its timings understate a full peer.

Usage: day_loop.py networkx|ortools NETWORK.json HISTORIES.json N
Prints one JSON line: replicates run, seconds, total exports (kt) and corridor's for the same
replicates.
"""
import collections
import json
import math
import sys
import time

REWARD = 1e6
STORE_BASE = 1e4
STORE_KM_BONUS = 1.0
WAIT = 2e4
CURTAIL = 1e5
UNB = 1e9
SCALE_CAP = 1000  # kt -> t, integer capacities
SCALE_COST = 100  # $/t -> cents, integer costs


def kt_day(mt_yr):
    return mt_yr * 1000.0 / 365.0


def load(network_path, histories_path):
    net = json.load(open(network_path))
    hist = json.load(open(histories_path))
    rates = hist["transport_cost_usd_per_t_per_100km"]
    nodes = [n for n in net["nodes"] if n["layer"] == "oil"]
    links = [l for l in net["links"] if l["layer"] == "oil"]
    node_ids = [n["id"] for n in nodes]
    node_cap = {}
    for n in nodes:
        if n["status"] == "planned":
            node_cap[n["id"]] = 0.0
        elif n["available_capacity"] is not None:
            node_cap[n["id"]] = kt_day(n["available_capacity"])
        else:
            node_cap[n["id"]] = None
    link = []
    for l in links:
        kind = l["kind"]
        if l["tariff_usd_per_t"] is not None:
            cost = l["tariff_usd_per_t"]
        else:
            rate = {"pipeline": rates["pipeline"], "rail": rates["rail"], "tanker_leg": rates["tanker"]}[kind]
            cost = rate * l["length_km"] / 100.0
        transit = max(1, math.floor(l["transit_days"] + 0.5)) if kind == "tanker_leg" else 0
        link.append({
            "id": l["id"], "from": l["from"], "to": l["to"], "tanker": kind == "tanker_leg",
            "cap": kt_day(l["available_capacity"]), "cost": cost, "transit": transit,
            "length": l["length_km"],
        })
    production = {k: v for k, v in hist["production_kt_per_day"].items() if k in node_cap}
    # km from the nearest field, for the storage priority
    km = {n: (0.0 if n in production else math.inf) for n in node_ids}
    for _ in node_ids:
        for l in link:
            if km[l["from"]] + l["length"] < km[l["to"]]:
                km[l["to"]] = km[l["from"]] + l["length"]
    stores = []
    for s in net["stores"]:
        if s["node"] in node_cap:
            stores.append({"id": s["id"], "node": s["node"], "cap": s["capacity_kt"], "init": s["initial_kt"],
                           "km": km[s["node"]] if math.isfinite(km[s["node"]]) else 0.0})
    sinks = {n["id"]: n["reached_from"] for n in nodes if n["sink"]}
    return {"nodes": node_ids, "node_cap": node_cap, "links": link, "stores": stores, "production": production,
            "sinks": sinks, "horizon": hist["horizon_days"]}, hist["replicates"]


class Graph:
    """Arcs as (tail, head, capacity or None for unbounded, cost, tag)."""

    def __init__(self):
        self.arcs = []

    def arc(self, u, v, cap, cost, tag):
        self.arcs.append((u, v, cap, cost, tag))


def solve_networkx(g):
    import networkx as nx
    G = nx.DiGraph()
    flows_key = []
    for k, (u, v, cap, cost, tag) in enumerate(g.arcs):
        mid = ("arc", k)  # a vertex per arc keeps parallel arcs apart
        attrs = {"weight": int(round(cost * SCALE_COST))}
        if cap is not None:
            attrs["capacity"] = int(round(cap * SCALE_CAP))
        G.add_edge(u, mid, **attrs)
        G.add_edge(mid, v, weight=0)
        flows_key.append((u, mid))
    if "S" not in G or "T" not in G:
        return [0.0] * len(g.arcs)
    flow = nx.max_flow_min_cost(G, "S", "T")
    return [flow[u][mid] / SCALE_CAP for (u, mid) in flows_key]


def solve_ortools(g):
    from ortools.graph.python import min_cost_flow
    smcf = min_cost_flow.SimpleMinCostFlow()
    index = {}

    def vid(x):
        if x not in index:
            index[x] = len(index)
        return index[x]

    big = 0
    arcs = []
    for (u, v, cap, cost, tag) in g.arcs:
        c = int(round((cap if cap is not None else UNB) * SCALE_CAP))
        if u == "S":
            big += c
        arcs.append(smcf.add_arc_with_capacity_and_unit_cost(vid(u), vid(v), c, int(round(cost * SCALE_COST))))
    smcf.set_node_supply(vid("S"), big)
    smcf.set_node_supply(vid("T"), -big)
    smcf.solve_max_flow_with_min_cost()
    return [smcf.flow(a) / SCALE_CAP for a in arcs]


def run_replicate(m, events, solve):
    H = m["horizon"]
    factor_events = collections.defaultdict(list)
    for asset, s, e, f in events:
        factor_events[asset].append((s, e, f))

    def factor(asset, t):
        f = 1.0
        for s, e, fr in factor_events.get(asset, ()):
            if s <= t <= e:
                f = min(f, fr)
        return f

    store = {s["id"]: s["init"] for s in m["stores"]}
    working = dict(store)
    sea = {l["id"]: collections.deque() for l in m["links"] if l["tanker"]}
    backlog = {l["id"]: 0.0 for l in m["links"] if l["tanker"]}
    total = 0.0
    for day in range(H + 1):
        t = day - 1
        warm = t < 0
        f = (lambda a: 1.0) if warm else (lambda a: factor(a, t))

        def cap_node(n):
            c = m["node_cap"][n]
            return (c if c is not None else UNB) * f(n)

        g = Graph()
        prod = m["production"]
        arrivals = {j: (sea[j][0] if sea[j] else 0.0) + backlog[j] for j in sea}
        total_supply = sum(prod.values()) + sum(arrivals.values())
        for n in m["nodes"]:
            g.arc(("in", n), ("out", n), cap_node(n), 0.0, ("node", n))
            if n in m["sinks"]:
                g.arc(("out", n), "T", None, -REWARD, ("export",))
                for r in m["sinks"][n]:
                    g.arc(("out", r), ("in", n), None, 0.0, ("reach",))
            if prod.get(n, 0.0) > 0.0:
                g.arc("S", ("field", n), prod[n], 0.0, ("supply",))
                g.arc(("field", n), ("in", n), None, 0.0, ("field",))
                g.arc(("field", n), "T", None, CURTAIL, ("curtail",))
        for l in m["links"]:
            cap = l["cap"] * f(l["id"])
            if l["tanker"]:
                g.arc(("out", l["from"]), "T", max(0.0, cap - backlog[l["id"]]), l["cost"] - REWARD, ("sea", l["id"]))
                if arrivals[l["id"]] > 0.0:
                    g.arc("S", ("arr", l["id"]), arrivals[l["id"]], 0.0, ("arrival",))
                    g.arc(("arr", l["id"]), ("in", l["to"]), None, 0.0, ("discharge", l["id"]))
                    g.arc(("arr", l["id"]), "T", None, WAIT, ("wait", l["id"]))
            else:
                g.arc(("out", l["from"]), ("in", l["to"]), cap, l["cost"], ("link", l["id"]))
        for s in m["stores"]:
            free = min(max(s["cap"] - store[s["id"]], 0.0), total_supply)
            g.arc(("in", s["node"]), "T", free, STORE_BASE - STORE_KM_BONUS * s["km"], ("store", s["id"]))
        flows1 = solve(g)
        drainable = {}
        for s in m["stores"]:
            above = max(store[s["id"]] - working[s["id"]], 0.0)
            c = m["node_cap"][s["node"]]
            out = c * f(s["node"]) if c is not None else sum(l["cap"] * f(l["id"]) for l in m["links"] if l["from"] == s["node"])
            drainable[s["id"]] = min(above, out)
        flows2 = []
        g2 = Graph()
        if any(d > 0.0 for d in drainable.values()):
            for (u, v, cap, cost, tag), x in zip(g.arcs, flows1):
                if tag[0] in ("node", "link", "sea"):
                    g2.arc(u, v, max((cap if cap is not None else UNB) - x, 0.0), cost, tag)
                elif tag[0] in ("export", "reach"):
                    g2.arc(u, v, cap, cost, tag)
            for s in m["stores"]:
                if drainable[s["id"]] > 0.0:
                    g2.arc("S", ("in", s["node"]), drainable[s["id"]], 0.0, ("drain", s["id"]))
            flows2 = solve(g2)
        loaded = collections.defaultdict(float)
        waiting = collections.defaultdict(float)
        delta = collections.defaultdict(float)
        exports = 0.0
        for graph, flows in ((g, flows1), (g2, flows2)):
            for (u, v, cap, cost, tag), x in zip(graph.arcs, flows):
                if tag[0] == "export":
                    exports += x
                elif tag[0] == "sea":
                    loaded[tag[1]] += x
                elif tag[0] == "wait":
                    waiting[tag[1]] += x
                elif tag[0] == "store":
                    delta[tag[1]] += x
                elif tag[0] == "drain":
                    delta[tag[1]] -= x
        for l in m["links"]:
            if not l["tanker"]:
                continue
            j = l["id"]
            if warm:
                sea[j] = collections.deque([loaded[j]] * l["transit"])
                continue
            sea[j].popleft()
            sea[j].append(loaded[j])
            backlog[j] = waiting[j]
        if warm:
            continue
        for k in store:
            store[k] += delta[k]
        total += exports
    return total


def main():
    backend, network_path, histories_path, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    solve = {"networkx": solve_networkx, "ortools": solve_ortools}[backend]
    m, reps = load(network_path, histories_path)
    reps = reps[:n]
    t0 = time.perf_counter()
    ours = sum(run_replicate(m, r["events"], solve) for r in reps)
    secs = time.perf_counter() - t0
    theirs = sum(r["corridor_exports_kt"] for r in reps)
    print(json.dumps({"backend": backend, "replicates": len(reps), "seconds": secs,
                      "exports_kt": ours, "corridor_exports_kt": theirs}))


if __name__ == "__main__":
    main()
