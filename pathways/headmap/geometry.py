"""The drawing's geometry: the views, regions and nerve layers it knows, loaded once from
``assets/headmap/geometry.json`` (smooth centripetal Catmull-Rom splines through named control
points), and the shapes, centres and label anchors derived from it.
"""

from __future__ import annotations

import functools
import heapq
import json
import math
from pathlib import Path

from ..vocabulary import HEAD_VIEWS, MAP_LAYERS, SIDES

VIEWS = HEAD_VIEWS
REGION_IDS = (
    "occiput", "vertex", "forehead", "orbit", "temple",
    "cheek", "jaw", "angle-of-jaw", "ear", "upper-neck",
)
OVERLAY_GROUPS = {
    "trigeminal": ("ophthalmic-nerve", "maxillary-nerve", "mandibular-nerve"),
    "cervical-nerves": (
        "greater-occipital-nerve", "lesser-occipital-nerve",
        "third-occipital-nerve", "great-auricular-nerve",
    ),
    # C1 has no skin territory, so it deliberately has no overlay.
    "dermatomes": ("c2", "c3"),
}
assert tuple(OVERLAY_GROUPS) == MAP_LAYERS, "every map layer is drawn, in the listed order"
OVERLAY_IDS = tuple(o for group in OVERLAY_GROUPS.values() for o in group)

GEOMETRY_PATH = Path(__file__).resolve().parents[2] / "assets" / "headmap" / "geometry.json"


def _title(rid: str) -> str:
    return rid.replace("-", " ").capitalize()


# --------------------------------------------------------------------------- splines
def _cr_segment(p0, p1, p2, p3, n: int) -> list[tuple[float, float]]:
    """Centripetal Catmull-Rom points from p1 (included) to p2 (excluded)."""
    def tj(ti, a, b):
        return ti + max(math.hypot(b[0] - a[0], b[1] - a[1]), 1e-6) ** 0.5

    t0 = 0.0
    t1 = tj(t0, p0, p1)
    t2 = tj(t1, p1, p2)
    t3 = tj(t2, p2, p3)
    out = []
    for k in range(n):
        t = t1 + (t2 - t1) * k / n
        a1 = [((t1 - t) * p0[i] + (t - t0) * p1[i]) / (t1 - t0) for i in (0, 1)]
        a2 = [((t2 - t) * p1[i] + (t - t1) * p2[i]) / (t2 - t1) for i in (0, 1)]
        a3 = [((t3 - t) * p2[i] + (t - t2) * p3[i]) / (t3 - t2) for i in (0, 1)]
        b1 = [((t2 - t) * a1[i] + (t - t0) * a2[i]) / (t2 - t0) for i in (0, 1)]
        b2 = [((t3 - t) * a2[i] + (t - t1) * a3[i]) / (t3 - t1) for i in (0, 1)]
        c = [((t2 - t) * b1[i] + (t - t1) * b2[i]) / (t2 - t1) for i in (0, 1)]
        out.append((c[0], c[1]))
    return out


def _rdp(pts, eps):
    """Ramer-Douglas-Peucker simplification keeping both ends."""
    if len(pts) < 3:
        return list(pts)
    (x1, y1), (x2, y2) = pts[0], pts[-1]
    dx, dy = x2 - x1, y2 - y1
    norm = math.hypot(dx, dy) or 1e-9
    best, idx = -1.0, 0
    for i in range(1, len(pts) - 1):
        d = abs(dy * (pts[i][0] - x1) - dx * (pts[i][1] - y1)) / norm
        if d > best:
            best, idx = d, i
    if best <= eps:
        return [pts[0], pts[-1]]
    return _rdp(pts[: idx + 1], eps)[:-1] + _rdp(pts[idx:], eps)


def _sample_path(spec: dict, nodes: dict, step: float):
    """Sample a path. Returns (points, {node_name: index}, closed)."""
    raw = spec["pts"]
    pts = [tuple(nodes[p]) if isinstance(p, str) else tuple(p) for p in raw]
    names = [p if isinstance(p, str) else None for p in raw]
    closed = bool(spec.get("closed"))
    m = len(pts)

    def mirror(p):
        return (-p[0], p[1])

    if closed:
        ext = [pts[-1]] + pts + [pts[0], pts[1]]
    else:
        before = mirror(pts[1]) if spec.get("mirror_start") else (2 * pts[0][0] - pts[1][0], 2 * pts[0][1] - pts[1][1])
        after = mirror(pts[-2]) if spec.get("mirror_end") else (2 * pts[-1][0] - pts[-2][0], 2 * pts[-1][1] - pts[-2][1])
        ext = [before] + pts + [after]
    nseg = m if closed else m - 1
    out: list[tuple[float, float]] = []
    index: dict[str, int] = {}
    for s in range(nseg):
        p0, p1, p2, p3 = ext[s], ext[s + 1], ext[s + 2], ext[s + 3]
        n = max(2, math.ceil(math.hypot(p2[0] - p1[0], p2[1] - p1[1]) / step) * 2)
        seg = _cr_segment(p0, p1, p2, p3, n) + [p2]
        seg = _rdp(seg, 0.06)[:-1]
        if names[s]:
            index[names[s]] = len(out)
        out.extend(seg)
    if not closed:
        if names[-1]:
            index[names[-1]] = len(out)
        out.append(pts[-1])
    return out, index, closed


def _arc(path, a: str | None, b: str | None, via: str | None = None):
    pts, index, closed = path
    if a is None:
        return list(pts) + [pts[0]]
    ia, ib = index[a], index[b]
    if not closed:
        return pts[ia: ib + 1] if ia <= ib else pts[ib: ia + 1][::-1]
    n = len(pts)
    fwd = [pts[(ia + k) % n] for k in range((ib - ia) % n + 1)]
    bwd = [pts[(ia - k) % n] for k in range((ia - ib) % n + 1)]
    if via is not None:
        iv = index[via]
        return fwd if (iv - ia) % n <= (ib - ia) % n else bwd
    return fwd if len(fwd) <= len(bwd) else bwd


def _assemble(pieces, paths, nodes) -> list[tuple[float, float]]:
    poly: list[tuple[float, float]] = []
    for piece in pieces:
        if len(piece) == 2:  # straight segment between two nodes
            seg = [tuple(nodes[piece[0]]), tuple(nodes[piece[1]])]
        elif len(piece) == 4:
            seg = _arc(paths[piece[0]], piece[1], piece[3], via=piece[2])
        else:
            seg = _arc(paths[piece[0]], piece[1], piece[2])
        if poly and math.hypot(poly[-1][0] - seg[0][0], poly[-1][1] - seg[0][1]) < 1e-6:
            seg = seg[1:]
        poly.extend(seg)
    if len(poly) > 1 and math.hypot(poly[0][0] - poly[-1][0], poly[0][1] - poly[-1][1]) < 1e-6:
        poly.pop()
    return poly


# --------------------------------------------------------------------------- geometry helpers
def point_in_polygon(pt, poly) -> bool:
    """Even-odd rule point-in-polygon test."""
    x, y = pt
    inside = False
    n = len(poly)
    for i in range(n):
        x1, y1 = poly[i]
        x2, y2 = poly[(i + 1) % n]
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


def _seg_dist(px, py, ax, ay, bx, by):
    dx, dy = bx - ax, by - ay
    L = dx * dx + dy * dy
    t = 0.0 if L == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / L))
    return math.hypot(px - ax - t * dx, py - ay - t * dy)


def _signed_dist(x, y, poly, avoid=(), avoid_r=0.0):
    d = min(_seg_dist(x, y, *poly[i], *poly[(i + 1) % len(poly)]) for i in range(len(poly)))
    d = d if point_in_polygon((x, y), poly) else -d
    for ax, ay in avoid:
        d = min(d, math.hypot(x - ax, y - ay) - avoid_r)
    return d


def _polylabel(poly, precision: float = 0.4, avoid=(), avoid_r: float = 0.0):
    """Pole of inaccessibility (Mapbox 'polylabel' algorithm): the visual centre.

    With ``avoid``, points closer than ``avoid_r`` to those points are penalised
    (used to keep overlay labels off the clickable markers)."""
    xs = [p[0] for p in poly]
    ys = [p[1] for p in poly]
    x0, y0, x1, y1 = min(xs), min(ys), max(xs), max(ys)
    size = min(x1 - x0, y1 - y0)
    h = size / 2
    heap: list = []

    def push(cx, cy, hh):
        d = _signed_dist(cx, cy, poly, avoid, avoid_r)
        heapq.heappush(heap, (-(d + hh * math.sqrt(2)), d, cx, cy, hh))

    x = x0
    while x < x1:
        y = y0
        while y < y1:
            push(x + h, y + h, h)
            y += size
        x += size
    # centroid as the first guess
    a = cx = cy = 0.0
    for i in range(len(poly)):
        (xa, ya), (xb, yb) = poly[i], poly[(i + 1) % len(poly)]
        f = xa * yb - xb * ya
        a += f
        cx += (xa + xb) * f
        cy += (ya + yb) * f
    best = (sum(xs) / len(xs), sum(ys) / len(ys)) if a == 0 else (cx / (3 * a), cy / (3 * a))
    best_d = _signed_dist(*best, poly, avoid, avoid_r)
    while heap:
        _, d, cx, cy, hh = heapq.heappop(heap)
        if d > best_d:
            best, best_d = (cx, cy), d
        if d + hh * math.sqrt(2) - best_d <= precision:
            continue
        hh /= 2
        for sx in (-1, 1):
            for sy in (-1, 1):
                push(cx + sx * hh, cy + sy * hh, hh)
    return best


def _mirror(poly):
    return [(-x, y) for x, y in poly]


# --------------------------------------------------------------------------- loading
@functools.lru_cache(maxsize=1)
def _spec() -> dict:
    with open(GEOMETRY_PATH, encoding="utf-8") as fh:
        return json.load(fh)


def _check_view(view: str) -> str:
    if view not in VIEWS:
        raise ValueError(f"unknown view {view!r}; expected one of {VIEWS}")
    return view


@functools.lru_cache(maxsize=None)
def _geometry(view: str) -> dict:
    """Sampled geometry of one view (polygons as tuples of (x, y))."""
    _check_view(view)
    spec = _spec()
    key = "side" if view in ("left", "right") else view
    vs = spec["views"][key]
    step = float(spec.get("sample_step", 1.4))
    nodes = vs["nodes"]
    paths = {name: _sample_path(p, nodes, step) for name, p in vs["paths"].items()}
    authored = vs["authored_side"]
    other = "left" if authored == "right" else "right"
    flip = view == "left"  # the left profile is the mirror image of the right one

    def fx(poly):
        return _mirror(poly) if flip else list(poly)

    regions: dict[tuple[str, str], list] = {}
    overlays: dict[str, list] = {}
    if vs["mirror_half"]:
        for rid, pieces in vs["regions"].items():
            poly = _assemble(pieces, paths, nodes)
            regions[(rid, authored)] = poly
            regions[(rid, other)] = _mirror(poly)
        for oid, polys in vs["overlays"].items():
            half = [_assemble(pc, paths, nodes) for pc in polys]
            overlays[oid] = half + [_mirror(p) for p in half]
        half_sil = paths[vs["silhouette"]][0]
        silhouette = [list(half_sil) + _mirror(half_sil)[::-1]]
    else:
        side = "left" if flip else authored
        for rid, pieces in vs["regions"].items():
            regions[(rid, side)] = fx(_assemble(pieces, paths, nodes))
        for oid, polys in vs["overlays"].items():
            overlays[oid] = [fx(_assemble(pc, paths, nodes)) for pc in polys]
        silhouette = [fx(paths[vs["silhouette"]][0])]

    lines: dict[str, list] = {}
    for style, pspec in vs["lines"]:
        pts, _, closed = _sample_path(pspec, nodes, step)
        if closed:
            pts = pts + [pts[0]]
        polys = [pts]
        if vs["mirror_half"]:
            m = _mirror(pts)
            if pspec.get("mirror_end"):  # a line meeting the midline: join the two halves
                polys = [pts + m[::-1][1:]]
            else:
                polys.append(m)
        lines.setdefault(style, []).extend(fx(p) for p in polys)

    (x0, x1), (y0, y1) = vs["ranges"]
    if flip:
        x0, x1 = -x1, -x0
    ordered = sorted(regions, key=lambda k: (REGION_IDS.index(k[0]), k[1]))
    centres = {k: _polylabel(regions[k]) for k in ordered}
    for rid, (x, y) in vs.get("centres", {}).items():  # optional hand-placed markers
        for side in SIDES:
            if (rid, side) in centres:
                mirrored = flip or (vs["mirror_half"] and side != authored)
                centres[(rid, side)] = (-x, y) if mirrored else (x, y)
    return {
        "regions": {k: regions[k] for k in ordered},
        "overlays": overlays,
        "silhouette": silhouette,
        "ear_outline": [regions[k] for k in ordered if k[0] == "ear"],
        "lines": lines,
        "ranges": ((float(x0), float(x1)), (float(y0), float(y1))),
        "centres": centres,
        "overlay_labels": {
            oid: _polylabel(max(polys, key=lambda p: abs(_area(p))), avoid=centres.values(), avoid_r=4.5)
            for oid, polys in overlays.items()
        },
    }


def _area(poly) -> float:
    return 0.5 * sum(
        poly[i][0] * poly[(i + 1) % len(poly)][1] - poly[(i + 1) % len(poly)][0] * poly[i][1]
        for i in range(len(poly))
    )


# --------------------------------------------------------------------------- public helpers
def regions_in_view(view: str) -> list[tuple[str, str]]:
    """The (region_id, side) pairs drawn (and clickable) in ``view``."""
    return list(_geometry(view)["regions"])


def region_centres(view: str) -> dict[tuple[str, str], tuple[float, float]]:
    """Data coordinates of each region's clickable marker (its visual centre)."""
    return {k: (round(x, 1), round(y, 1)) for k, (x, y) in _geometry(view)["centres"].items()}


def axis_ranges(view: str) -> tuple[tuple[float, float], tuple[float, float]]:
    """((x0, x1), (y0, y1)) - fixed axis ranges of the figure for ``view``."""
    return _geometry(view)["ranges"]


def region_polygons(view: str) -> dict[tuple[str, str], list[tuple[float, float]]]:
    return {k: list(v) for k, v in _geometry(view)["regions"].items()}


def overlay_polygons(view: str, overlay_id: str) -> list[list[tuple[float, float]]]:
    """Polygons of one overlay territory in ``view`` (empty if not visible there)."""
    return [list(p) for p in _geometry(view)["overlays"].get(overlay_id, [])]


def overlays_in_view(view: str, overlay: str) -> list[str]:
    """Overlay ids of group ``overlay`` that have geometry in ``view``."""
    geo = _geometry(view)["overlays"]
    return [o for o in OVERLAY_GROUPS[overlay] if geo.get(o)]
