"""Builds natural-earth-countries-region.geojson from Natural Earth 1:10m countries.

Input: countries-10m.json of the npm package world-atlas@2.0.2 (Natural Earth 4.1.0,
Admin 0 - Countries, 1:10m, as TopoJSON): `npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz`.
Run:   python3 make_basemap.py package/countries-10m.json > natural-earth-countries-region.geojson
Needs: shapely (pip install shapely).

Decodes the TopoJSON, clips every country to EXTENT, simplifies (Douglas-Peucker, EPS degrees,
topology preserved) and rounds coordinates to 4 decimals (about 10 m). Features are sorted by
name, so the output is the same byte for byte on every run.
"""
import json
import sys

from shapely.geometry import MultiPolygon, Polygon, box, mapping

EXTENT = (5.0, 20.0, 110.0, 72.0)  # lon min, lat min, lon max, lat max
EPS = 0.02


def decode(topo):
    sx, sy = topo["transform"]["scale"]
    tx, ty = topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x += dx
            y += dy
            pts.append((x * sx + tx, y * sy + ty))
        arcs.append(pts)

    def ring(indices):
        out = []
        for i in indices:
            pts = arcs[i] if i >= 0 else arcs[~i][::-1]
            out.extend(pts if not out else pts[1:])
        return out

    for g in topo["objects"]["countries"]["geometries"]:
        polys = []
        if g["type"] == "Polygon":
            polys = [g["arcs"]]
        elif g["type"] == "MultiPolygon":
            polys = g["arcs"]
        shapes = []
        for p in polys:
            rings = [ring(r) for r in p]
            if len(rings[0]) >= 4:
                shapes.append(Polygon(rings[0], [r for r in rings[1:] if len(r) >= 4]))
        yield g.get("properties", {}).get("name", ""), g.get("id", ""), shapes


def main():
    topo = json.load(open(sys.argv[1]))
    clip = box(*EXTENT)
    features = []
    for name, iso, shapes in decode(topo):
        parts = []
        for s in shapes:
            s = s.buffer(0) if not s.is_valid else s
            c = s.intersection(clip)
            if c.is_empty:
                continue
            c = c.simplify(EPS, preserve_topology=True)
            for p in getattr(c, "geoms", [c]):
                if isinstance(p, Polygon) and not p.is_empty and p.area > 0:
                    parts.append(p)
        if not parts:
            continue
        geom = mapping(MultiPolygon(parts))

        def rnd(x):
            return [rnd(v) for v in x] if isinstance(x, (list, tuple)) and not isinstance(x[0], float) else [round(x[0], 4), round(x[1], 4)]

        geom = {"type": "MultiPolygon", "coordinates": rnd(geom["coordinates"])}
        features.append({"type": "Feature", "properties": {"name": name, "iso_n3": iso}, "geometry": geom})
    features.sort(key=lambda f: (f["properties"]["name"], f["properties"]["iso_n3"]))
    json.dump({"type": "FeatureCollection", "features": features}, sys.stdout, separators=(",", ":"))


main()
