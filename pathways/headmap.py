"""Head-map figure builder: an anatomical line drawing of the head, face and upper neck
in four views (front, back, left, right) with clickable pain regions and optional
nerve / dermatome overlays.

Pure module: Plotly only (no Streamlit, no other ``pathways`` modules).  Geometry is
loaded once from ``assets/headmap/geometry.json`` (smooth centripetal Catmull-Rom
splines through named control points) and cached.

View conventions (also written on the drawing):

* ``front``  - facing the viewer: the person's RIGHT side is on the viewer's LEFT.
* ``back``   - seen from behind: the person's LEFT side is on the viewer's LEFT.
* ``right``  - the person's right profile; the face points to the viewer's RIGHT.
* ``left``   - the person's left profile; the face points to the viewer's LEFT.

Coordinates: vertex-to-chin = 100 units, y up.  Sides are ``"left"`` / ``"right"``
and always mean the person's own side.
"""

from __future__ import annotations

import functools
import heapq
import json
import math
from collections.abc import Iterable
from pathlib import Path

from .figcache import memoized_figure
from .vocabulary import HEAD_VIEWS, MAP_LAYERS, SIDES
from .wording import load_ui

__all__ = [
    "OVERLAY_GROUPS",
    "OVERLAY_IDS",
    "REGION_IDS",
    "SIDES",
    "STATES",
    "VIEWS",
    "axis_ranges",
    "build_head_map",
    "overlay_polygons",
    "overlays_in_view",
    "point_in_polygon",
    "region_centres",
    "region_polygons",
    "region_states",
    "regions_in_view",
]

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
STATES = ("spread", "possible", "typical", "selected")

GEOMETRY_PATH = Path(__file__).resolve().parent.parent / "assets" / "headmap" / "geometry.json"

# --------------------------------------------------------------------------- style
# Okabe-Ito colour-blind-safe palette.
VERMILLION, ORANGE, BLUE = "#D55E00", "#E69F00", "#0072B2"
SKY, GREEN, PURPLE, DARK = "#56B4E9", "#009E73", "#CC79A7", "#4D4D4D"

INK = "#5E524B"          # silhouette outline
DETAIL = "#857770"       # features
FAINT = "#B9ABA2"        # hints (muscles, folds)
SKIN_BASE = "#FBF6F2"    # body outside the pain regions
SKIN_REGION = "#F3E7DE"  # neutral pain region
REGION_EDGE = "#D9C6B8"

_STATE_STYLE = {
    None: dict(fill=SKIN_REGION, line=REGION_EDGE, width=0.8, pattern=None),
    "typical": dict(fill="rgba(213,94,0,0.55)", line=VERMILLION, width=1.6, pattern=None),
    "possible": dict(
        fill="rgba(230,159,0,0.30)", line="#B87F00", width=1.4,
        pattern=dict(shape="/", fgcolor="#C98B00", size=7, solidity=0.28, fillmode="overlay"),
    ),
    "selected": dict(fill="rgba(0,114,178,0.40)", line=BLUE, width=3.2, pattern=None),
    # reached only through enlarged receptive fields (sensitisation): purple, dotted hatch
    "spread": dict(
        fill="rgba(204,121,167,0.28)", line="#A34F7E", width=1.4,
        pattern=dict(shape=".", fgcolor="#A34F7E", size=6, solidity=0.3, fillmode="overlay"),
    ),
}
_MARKER_STYLE = {
    None: dict(color="rgba(255,255,255,0.92)", line="#8F827A", lw=1.4, size=22, symbol="circle"),
    "typical": dict(color=VERMILLION, line="white", lw=2.0, size=24, symbol="circle"),
    "possible": dict(color=ORANGE, line="#7A5200", lw=1.6, size=25, symbol="diamond"),
    "selected": dict(color=BLUE, line="#00324F", lw=3.0, size=27, symbol="circle"),
    "spread": dict(color=PURPLE, line="#6B2F52", lw=1.6, size=25, symbol="star"),
}

# colour, fill pattern shape, outline dash - the pattern/dash is the second cue.
_OVERLAY_STYLE = {
    "ophthalmic-nerve": (SKY, "\\", "dash"),
    "maxillary-nerve": (GREEN, "-", "dot"),
    "mandibular-nerve": (PURPLE, "|", "dashdot"),
    "greater-occipital-nerve": (GREEN, "\\", "dash"),
    "lesser-occipital-nerve": (SKY, "-", "dot"),
    "third-occipital-nerve": (PURPLE, "|", "dashdot"),
    "great-auricular-nerve": (DARK, "x", "longdash"),
    "c2": (SKY, "\\", "dash"),
    "c3": (PURPLE, "-", "dot"),
}
DEFAULT_OVERLAY_LABELS = {
    "ophthalmic-nerve": "V1 ophthalmic",
    "maxillary-nerve": "V2 maxillary",
    "mandibular-nerve": "V3 mandibular",
    "greater-occipital-nerve": "Greater occipital",
    "lesser-occipital-nerve": "Lesser occipital",
    "third-occipital-nerve": "Third occipital",
    "great-auricular-nerve": "Great auricular",
    "c2": "C2",
    "c3": "C3",
}
_VIEW_TITLE = {"front": "FRONT", "back": "BACK", "left": "LEFT SIDE", "right": "RIGHT SIDE"}
_LINE_STYLE = {  # style -> (colour, width, dash)
    "detail": (DETAIL, 1.1, "solid"),
    "faint": (FAINT, 0.9, "solid"),
    "hair": (FAINT, 1.0, "dot"),
}
_FILLED_LINE_STYLE = {  # style -> (fill, outline colour), drawn after the plain line work
    "brow": ("rgba(120,104,94,0.40)", "rgba(120,104,94,0.55)"),
    "iris": ("rgba(133,119,112,0.35)", DETAIL),
}


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


# --------------------------------------------------------------------------- figure
# The figure is written as a plain spec (lists and dicts in the shape of ``Figure.to_dict()``):
# building Plotly graph objects checks every property and costs about thirty times as much
# (see :mod:`pathways.figcache`).

_SKIP = {"hoverinfo": "skip", "showlegend": False}  # drawing only: no hover, no legend entry


def _xy(polys: Iterable[list]) -> tuple[list, list]:
    xs: list = []
    ys: list = []
    for i, poly in enumerate(polys):
        if i:
            xs.append(None)
            ys.append(None)
        xs.extend(round(p[0], 1) for p in poly)
        ys.extend(round(p[1], 1) for p in poly)
    return xs, ys


def _closed(poly):
    return list(poly) + [poly[0]]


def _drawn(polys: Iterable[list], name: str, line: dict, **props) -> dict:
    """A non-interactive line trace through ``polys`` (breaks between them)."""
    xs, ys = _xy(polys)
    return {"type": "scatter", "x": xs, "y": ys, "mode": "lines", "name": name, "line": line,
            **props, **_SKIP}


def _body_trace(geo: dict) -> dict:
    """The neck and shoulders, underneath everything."""
    return _drawn(geo["silhouette"], "body", {"width": 0, "color": SKIN_BASE},
                  fill="toself", fillcolor=SKIN_BASE)


def _region_traces(geo: dict, states: dict) -> list[dict]:
    # neutral first, then by state, so highlighted outlines sit on top
    order = sorted(geo["regions"], key=lambda k: STATES.index(states[k]) + 1 if k in states else 0)
    traces = []
    for region, side in order:
        state = states.get((region, side))
        style = _STATE_STYLE[state]
        pattern = {"fillpattern": dict(style["pattern"])} if style["pattern"] else {}
        traces.append(_drawn(
            [_closed(geo["regions"][(region, side)])], f"region:{region}:{side}",
            {"color": style["line"], "width": style["width"]}, fill="toself",
            fillcolor=style["fill"], meta={"region": region, "side": side, "state": state},
            **pattern))
    return traces


def _line_work_traces(geo: dict) -> list[dict]:
    """Features, hints and hair, the filled brows and irises, then the outline on top."""
    lines = geo["lines"]
    traces = []
    for style in ("faint", "hair", "detail"):
        if style in lines:
            colour, width, dash = _LINE_STYLE[style]
            traces.append(_drawn(lines[style], f"lines-{style}",
                                 {"color": colour, "width": width, "dash": dash}))
    for style, (fill, colour) in _FILLED_LINE_STYLE.items():
        if style in lines:
            traces.append(_drawn(lines[style], f"lines-{style}", {"color": colour, "width": 0.8},
                                 fill="toself", fillcolor=fill))
    outline = [_closed(p) for p in geo["silhouette"]] + [_closed(p) for p in geo["ear_outline"]]
    traces.append(_drawn(outline, "outline", {"color": INK, "width": 1.6}))
    return traces


def _overlay_trace(oid: str, group: str, geo: dict) -> dict:
    colour, shape, dash = _OVERLAY_STYLE[oid]
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    dark = colour == DARK  # grey reads heavier than the colours: a lighter tint
    return _drawn(
        [_closed(p) for p in geo["overlays"][oid]], oid,
        {"color": colour, "width": 2.0, "dash": dash}, fill="toself",
        fillcolor=f"rgba({r},{g},{b},{0.08 if dark else 0.16})",
        fillpattern={"shape": shape, "fgcolor": f"rgba({r},{g},{b},{0.35 if dark else 0.55})",
                     "size": 9, "solidity": 0.18, "fillmode": "overlay"},
        meta={"overlay": oid, "group": group})


def _overlay_label(oid: str, geo: dict, names: dict) -> dict:
    colour = _OVERLAY_STYLE[oid][0]
    x, y = geo["overlay_labels"][oid]
    return {"x": round(x, 1), "y": round(y, 1), "text": f"<b>{names.get(oid, oid)}</b>",
            "showarrow": False,
            "font": {"size": 11, "color": colour if oid != "great-auricular-nerve" else "#333333"},
            "bgcolor": "rgba(255,255,255,0.82)", "bordercolor": colour, "borderwidth": 1,
            "borderpad": 2}


def _overlay_parts(view: str, group: str, geo: dict, names: dict) -> tuple[list, list]:
    """The territories of overlay ``group`` seen in ``view`` (traces) and their names
    (annotations), or a note that none is visible from here."""
    present = overlays_in_view(view, group)
    if not present:
        return [], [{"x": 0.5, "y": 0.02, "xref": "paper", "yref": "paper", "showarrow": False,
                     "text": "These nerve areas are not visible from this view - try another view.",
                     "font": {"size": 12, "color": DETAIL}, "bgcolor": "rgba(255,255,255,0.85)"}]
    return ([_overlay_trace(oid, group, geo) for oid in present],
            [_overlay_label(oid, geo, names) for oid in present])


def _region_label(x: float, y: float, text: str, state: str) -> dict:
    """The name under a lit region's marker."""
    return {"x": x, "y": y, "text": text, "showarrow": False, "yshift": -21,
            "font": {"size": 11, "color": "#222222"}, "bgcolor": "rgba(255,255,255,0.85)",
            "bordercolor": _STATE_STYLE[state]["line"], "borderwidth": 1, "borderpad": 1}


def _marker_parts(view: str, geo: dict, states: dict, labels: dict) -> tuple[dict, list]:
    """The clickable markers (one per visible region and side; the click events carry
    ``customdata = [region_id, side]``) and the name labels of the lit regions."""
    xs, ys, customdata, hovertext = [], [], [], []
    colours, edges, edge_widths, sizes, symbols = [], [], [], [], []
    names = []
    state_word = load_ui().map_state_words("clinician")  # hover text: one wording for all
    for region, side in geo["regions"]:
        x, y = geo["centres"][(region, side)]
        x, y = round(x, 1), round(y, 1)
        state = states.get((region, side))
        style = _MARKER_STYLE[state]
        xs.append(x)
        ys.append(y)
        customdata.append([region, side])
        word = f" - {state_word[state]}" if state else ""
        hovertext.append(f"<b>{labels[region]}</b><br>{side} side{word}")
        colours.append(style["color"])
        edges.append(style["line"])
        edge_widths.append(style["lw"])
        sizes.append(style["size"])
        symbols.append(style["symbol"])
        if state:
            names.append(_region_label(x, y, labels[region], state))
    trace = {
        "type": "scatter", "x": xs, "y": ys, "mode": "markers", "name": "regions",
        "meta": {"view": view}, "customdata": customdata, "hovertext": hovertext,
        "hovertemplate": "%{hovertext}<extra></extra>", "showlegend": False,
        "marker": {"size": sizes, "color": colours, "symbol": symbols,
                   "line": {"color": edges, "width": edge_widths}},
        # Plotly dims unselected points after a click; every marker stays fully visible
        "selected": {"marker": {"opacity": 1}}, "unselected": {"marker": {"opacity": 1}},
    }
    return trace, names


def _view_title(view: str) -> dict:
    return {"x": 0.01, "y": 0.995, "xref": "paper", "yref": "paper", "xanchor": "left",
            "yanchor": "top", "text": f"<b>{_VIEW_TITLE[view]}</b>", "showarrow": False,
            "font": {"size": 13, "color": INK}}


def _side_letter(x: float, y: float, side: str, caption: str) -> list[dict]:
    """A big L or R with a small caption under it."""
    return [{"x": x, "y": y, "text": f"<b>{side[0].upper()}</b>", "showarrow": False,
             "font": {"size": 20, "color": INK}, "yanchor": "middle"},
            {"x": x, "y": y - 5, "text": caption, "showarrow": False,
             "font": {"size": 10, "color": DETAIL}, "yanchor": "top"}]


def _side_letters(view: str, ranges) -> list[dict]:
    """Which of the person's sides is where (and, in profile, which way the face points)."""
    (x0, x1), (y0, y1) = ranges
    y = y1 - 0.18 * (y1 - y0)
    near_left, near_right = x0 + 0.07 * (x1 - x0), x1 - 0.07 * (x1 - x0)
    if view in ("front", "back"):
        on_left = "right" if view == "front" else "left"
        on_right = "left" if on_left == "right" else "right"
        return (_side_letter(near_left, y, on_left, f"their {on_left}")
                + _side_letter(near_right, y, on_right, f"their {on_right}"))
    x = near_left if view == "right" else near_right
    face_x = x1 - 0.08 * (x1 - x0) if view == "right" else x0 + 0.08 * (x1 - x0)
    face = {"x": face_x, "y": y, "text": "face " + ("→" if view == "right" else "←"),
            "showarrow": False, "font": {"size": 10, "color": DETAIL}}
    return _side_letter(x, y, view, f"their {view} side") + [face]


def _layout(ranges, height: int, annotations: list) -> dict:
    (x0, x1), (y0, y1) = ranges
    axis = {"visible": False, "fixedrange": True, "showgrid": False, "zeroline": False,
            "constrain": "domain"}
    return {
        "height": height, "margin": {"l": 4, "r": 4, "t": 4, "b": 4},
        "paper_bgcolor": "rgba(0,0,0,0)", "plot_bgcolor": "rgba(0,0,0,0)", "showlegend": False,
        "clickmode": "event+select", "dragmode": False, "hovermode": "closest",
        "uirevision": "headmap", "annotations": annotations,
        "xaxis": {"range": [x0, x1], **axis},
        # one unit is as long across as up, so the drawing keeps its proportions
        "yaxis": {"range": [y0, y1], "scaleanchor": "x", "scaleratio": 1, **axis},
        "hoverlabel": {"bgcolor": "white", "font": {"size": 13}},
    }


def region_states(referrals: Iterable = (), marked: Iterable[tuple[str, str]] = ()
                  ) -> dict[tuple[str, str], str]:
    """How each area is drawn: the one rule for every head map. An area marked by the reader
    is "selected"; otherwise the strongest referral to it wins: "typical" beats "possible",
    and both beat "spread" (reached only through enlarged receptive fields). ``referrals`` are
    :class:`~pathways.atlas.Referral` items (``region``, ``side``, ``strength``, ``spread``).

    >>> from types import SimpleNamespace as R
    >>> region_states([R(region="orbit", side="left", strength="possible", spread=False),
    ...                R(region="orbit", side="left", strength="typical", spread=False),
    ...                R(region="occiput", side="left", strength="typical", spread=True)],
    ...               marked=[("vertex", "left")])
    {('vertex', 'left'): 'selected', ('orbit', 'left'): 'typical', ('occiput', 'left'): 'spread'}
    """
    states = {tuple(key): "selected" for key in marked}
    for r in referrals:
        state = "spread" if getattr(r, "spread", False) else r.strength
        key = (r.region, r.side)
        if key not in states or STATES.index(state) > STATES.index(states[key]):
            states[key] = state
    return states


@memoized_figure()
def build_head_map(
    view: str = "front",
    *,
    states: dict[tuple[str, str], str] | None = None,
    overlay: str | None = None,
    region_labels: dict[str, str] | None = None,
    overlay_labels: dict[str, str] | None = None,
    height: int = 520,
    show_side_letters: bool = True,
) -> dict:
    """Build the head-map figure for one view.

    ``states`` maps (region_id, side) to "typical" | "possible" | "selected" | "spread"; anything
    else is drawn neutral.  Click events come from the marker trace named "regions"
    whose points carry ``customdata = [region_id, side]``.

    The body writes a plain spec; callers get a ``go.Figure`` (``build_head_map.spec(...)``
    gives the stored spec, see :mod:`pathways.figcache`).
    """
    _check_view(view)
    if overlay is not None and overlay not in OVERLAY_GROUPS:
        raise ValueError(f"unknown overlay group {overlay!r}; "
                         f"expected one of {tuple(OVERLAY_GROUPS)}")
    states = {k: v for k, v in (states or {}).items() if v in STATES}
    geo = _geometry(view)
    labels = {**{rid: _title(rid) for rid in REGION_IDS}, **(region_labels or {})}

    traces = [_body_trace(geo), *_region_traces(geo, states), *_line_work_traces(geo)]
    annotations = []
    if overlay is not None:
        names = {**DEFAULT_OVERLAY_LABELS, **(overlay_labels or {})}
        overlay_traces, overlay_names = _overlay_parts(view, overlay, geo, names)
        traces += overlay_traces
        annotations += overlay_names
    markers, region_names = _marker_parts(view, geo, states, labels)
    traces.append(markers)
    annotations += region_names
    annotations.append(_view_title(view))
    if show_side_letters:
        annotations += _side_letters(view, geo["ranges"])
    return {"data": traces, "layout": _layout(geo["ranges"], height, annotations)}


def text_equivalent(view: str, states: dict | None = None, region_labels: dict | None = None,
                    overlay: str | None = None, overlay_labels: dict | None = None,
                    audience: str = "clinician", bullets: bool = False) -> str:
    """The map in words: the view, its left/right convention, what is highlighted and what is
    only visible, so nothing depends on seeing the colours.

    >>> text_equivalent("back", {("occiput", "left"): "typical"}, {"occiput": "Back of the head"}).split(". ")[1]
    'Highlighted: Back of the head (left), typical'

    ``audience`` chooses the words (the view's convention, what each highlight means);
    ``bullets=True`` lists the highlighted areas one per line (Markdown), easier to read.
    """
    view = _check_view(view)
    states = states or {}
    labels = {**{r: _title(r) for r in REGION_IDS}, **(region_labels or {})}
    ui = load_ui()
    convention = ui.text(f"view_conventions.{view}", audience)
    visible = regions_in_view(view)
    lit = [(r, s) for r, s in visible if (r, s) in states]
    words = [convention]
    state_word = ui.map_state_words(audience)
    if lit and bullets:
        words.append("Highlighted:\n" + "\n".join(
            f"- {labels[r]} ({s}): {state_word[states[(r, s)]]}." for r, s in lit) + "\n")
    elif lit:
        words.append("Highlighted: " + "; ".join(
            f"{labels[r]} ({s}), {state_word[states[(r, s)]]}" for r, s in lit) + ".")
    hidden = [(r, s) for (r, s) in states if (r, s) not in visible]
    if hidden:
        words.append("Not visible in this view: " + "; ".join(
            f"{labels[r]} ({s})" for r, s in hidden) + ".")
    others = [(r, s) for r, s in visible if (r, s) not in states]
    if others and bullets:
        words.append("Also on this drawing:\n" + "\n".join(
            f"- {labels[r]} ({s})." for r, s in others) + "\n")
    elif others:
        words.append("Also shown: " + "; ".join(f"{labels[r]} ({s})" for r, s in others) + ".")
    if overlay:
        names = {**DEFAULT_OVERLAY_LABELS, **(overlay_labels or {})}
        shown = [names.get(o, o) for o in overlays_in_view(view, overlay)]
        words.append("Layer: " + (", ".join(shown) if shown else "none visible in this view") + ".")
    return ("\n\n" if bullets else " ").join(words)
