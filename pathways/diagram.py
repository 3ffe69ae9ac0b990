"""The convergence diagram: a layered, anatomical schematic of the pain pathways, drawn from
the atlas graph.

Bottom to top: tissues (upper-neck tissues on the left, trigeminal tissues on the right),
peripheral nerves, the C1–C3 roots (left) and the V1–V3 divisions → trigeminal ganglion →
spinal trigeminal tract (right), all converging on the trigeminocervical nucleus (centre), then
the way up (trigeminothalamic tract → thalamus → cortex). Descending control (PAG → RVM →
nucleus) is drawn dashed, to one side. Body regions are not drawn (the head map shows them).

Only the *layout* lives here (a table of positions keyed by node id, and bands keyed by node
kind so that new atlas nodes still get a sensible place); every node, edge, name and path comes
from the atlas. No Streamlit: the figure is a plain Plotly figure.

>>> from pathways import load_atlas
>>> atlas = load_atlas()
>>> fig = build_diagram(atlas, source="c2-c3-facet-joint")
>>> [t.name for t in fig.data if t.name == "sources"]
['sources']
>>> sorted(highlight(atlas, "c2-c3-facet-joint")["felt_via"])
['ophthalmic-nerve', 'third-occipital-nerve']
"""

from __future__ import annotations

import functools
import re
import textwrap
from collections.abc import Iterable


from . import labels
from .audience import words_for
from .figcache import memoized_figure
from .vocabulary import AFFERENT, NUCLEUS

__all__ = [
    "build_diagram",
    "highlight",
    "node_positions",
    "axis_ranges",
    "text_equivalent",
    "COLOURS",
    "SYMBOLS",
]

# ----------------------------------------------------------------------------- style

#: Okabe–Ito colour-blind-safe palette.
OKABE_ITO = {
    "orange": "#E69F00", "sky": "#56B4E9", "green": "#009E73", "yellow": "#F0E442",
    "blue": "#0072B2", "vermillion": "#D55E00", "purple": "#CC79A7", "black": "#000000",
}
COLOURS = {
    "upper-neck": OKABE_ITO["orange"],       # cervical inputs (C1–C3)
    "trigeminal": OKABE_ITO["green"],        # trigeminal inputs (V1–V3)
    "central": "#3A3A3A",                    # nucleus and the way up
    "modulation": OKABE_ITO["purple"],       # descending control
    "route": OKABE_ITO["vermillion"],        # highlighted signal route
    "felt": OKABE_ITO["blue"],               # where the brain thinks it comes from
    "edge": "#A6A6A6",
    "edge-faded": "#E3E3E3",
    "text": "#1A1A1A",
    "text-faded": "#A8A8A8",
}
#: Marker symbol by kind, and by group for the afferent kinds (cervical = round family,
#: trigeminal = diamond family), so that C1–C3 and V1–V3 differ by shape as well as colour.
SYMBOLS = {
    ("tissue", "upper-neck"): "square",
    ("tissue", "trigeminal"): "square",
    ("peripheral-nerve", "upper-neck"): "circle",
    ("peripheral-nerve", "trigeminal"): "diamond",
    ("spinal-root", "upper-neck"): "circle",
    ("trigeminal-division", "trigeminal"): "diamond",
    ("ganglion", "trigeminal"): "diamond-wide",
    ("tract", "trigeminal"): "triangle-up",
    "tract": "triangle-up",
    "nucleus": "hexagon",
    "thalamic-nucleus": "circle",
    "cortex": "square",
    "modulatory-centre": "triangle-down",
}
SIZES = {"tissue": 22, "peripheral-nerve": 13, "spinal-root": 30, "trigeminal-division": 30,
         "ganglion": 22, "tract": 18, "nucleus": 46, "thalamic-nucleus": 24, "cortex": 22,
         "modulatory-centre": 20}
FONT = "Source Sans Pro, Segoe UI, Helvetica Neue, Arial, sans-serif"

# ----------------------------------------------------------------------------- layout
#
# Axis ranges are fixed: x 0–100, y 0–100 (y grows upwards). Each node gets a place from
#  1. POSITIONS (by id; hand-placed so that lines do not cross needlessly), else
#  2. its kind's band (BANDS), on its group's side, next to the nodes it connects to.

X_RANGE = (0.0, 100.0)
Y_RANGE = (-19.0, 100.0)
X_RANGE_COMPACT = (0.0, 100.0)
Y_RANGE_COMPACT = (-19.0, 99.0)

#: Band (y) by kind; cervical and trigeminal sides by group (x span).
BANDS = {
    "tissue": 4.0,
    "peripheral-nerve": 22.0,
    "spinal-root": 42.0,
    "trigeminal-division": 40.0,
    "ganglion": 50.0,
    "tract": 59.0,
    "nucleus": 59.0,
    "thalamic-nucleus": 79.0,
    "cortex": 89.0,
    "modulatory-centre": 73.0,
}
SIDE_SPAN = {"upper-neck": (3.0, 59.0), "trigeminal": (64.0, 96.0), "central": (40.0, 60.0),
             "modulation": (4.0, 20.0)}

#: Left-to-right order of the tissues and nerves on each side (chosen so that lines from the
#: tissues up to their nerves and roots cross as little as possible). Unknown ids are appended.
ORDER = {
    ("tissue", "upper-neck"): [
        "atlanto-occipital-joint", "suboccipital-muscles", "posterior-fossa-dura", "c2-c3-disc",
        "vertebral-artery", "lateral-atlanto-axial-joint", "sternocleidomastoid",
        "c2-c3-facet-joint", "upper-trapezius"],
    ("tissue", "trigeminal"): ["supratentorial-dura", "temporomandibular-joint"],
    ("peripheral-nerve", "upper-neck"): [
        "suboccipital-nerve", "upper-cervical-sinuvertebral-nerves", "greater-occipital-nerve",
        "lesser-occipital-nerve", "great-auricular-nerve", "third-occipital-nerve"],
    ("peripheral-nerve", "trigeminal"): ["auriculotemporal-nerve"],
}
#: Hand-placed nodes (x, y) for the wide layout (x 0–100, y -8–100).
POSITIONS = {
    # tissues (bottom band): upper neck on the left, trigeminal on the right
    "suboccipital-muscles": (3.0, 4.0), "atlanto-occipital-joint": (10.0, 4.0),
    "posterior-fossa-dura": (17.0, 4.0), "c2-c3-disc": (24.0, 4.0),
    "vertebral-artery": (31.0, 4.0), "lateral-atlanto-axial-joint": (38.0, 4.0),
    "sternocleidomastoid": (45.0, 4.0), "c2-c3-facet-joint": (52.0, 4.0),
    "upper-trapezius": (59.0, 4.0),
    "supratentorial-dura": (66.0, 4.0), "temporomandibular-joint": (91.0, 4.0),
    # peripheral nerves
    "suboccipital-nerve": (4.0, 22.0), "upper-cervical-sinuvertebral-nerves": (20.5, 22.0),
    "greater-occipital-nerve": (27.5, 27.0), "lesser-occipital-nerve": (41.0, 27.0),
    "great-auricular-nerve": (47.5, 27.0), "third-occipital-nerve": (55.0, 22.0),
    "auriculotemporal-nerve": (91.0, 22.0),
    # roots and divisions
    "c1": (15.0, 42.0), "c2": (30.0, 42.0), "c3": (44.0, 42.0),
    "ophthalmic-nerve": (66.0, 40.0), "maxillary-nerve": (78.0, 40.0),
    "mandibular-nerve": (90.0, 40.0),
    "trigeminal-ganglion": (78.0, 50.0), "spinal-trigeminal-tract": (66.0, 59.0),
    # convergence and the way up
    NUCLEUS: (50.0, 59.0), "trigeminothalamic-tract": (50.0, 70.0), "thalamus": (50.0, 79.0),
    "somatosensory-cortex": (43.0, 89.0), "insula-and-anterior-cingulate": (57.0, 89.0),
    # descending control (to one side)
    "periaqueductal-gray": (8.0, 79.0), "rostral-ventromedial-medulla": (8.0, 67.0),
}
#: Where each node's label sits ("below", "above", "left", "right"); else by kind.
LABEL_SIDE = {
    "suboccipital-nerve": "below", "upper-cervical-sinuvertebral-nerves": "left",
    "greater-occipital-nerve": "below", "lesser-occipital-nerve": "below",
    "great-auricular-nerve": "below", "third-occipital-nerve": "right",
    "auriculotemporal-nerve": "left", "ophthalmic-nerve": "right",
    "maxillary-nerve": "right", "mandibular-nerve": "right",
    "spinal-trigeminal-tract": "above", "somatosensory-cortex": "left",
    "insula-and-anterior-cingulate": "right",
}
LABEL_SIDE_BY_KIND = {"tissue": "below", "peripheral-nerve": "right", "spinal-root": "left",
                      "trigeminal-division": "right", "ganglion": "right", "tract": "right",
                      "nucleus": "inside", "thalamic-nucleus": "right", "cortex": "right",
                      "modulatory-centre": "right"}
NUCLEUS_BOX = (8.0, 3.6)  # half-width, half-height of the nucleus box (data units)
TISSUE_ROW_PX = 36  # the lower row of tissue labels (wide layout), in pixels
#: The compact (phone) layout: vertical emphasis, the tissue band wraps into a grid.
BANDS_COMPACT = {
    "tissue": 20.0, "peripheral-nerve": 35.0, "spinal-root": 45.0, "trigeminal-division": 45.0,
    "ganglion": 53.0, "tract": 60.0, "nucleus": 63.0, "thalamic-nucleus": 81.0, "cortex": 90.0,
    "modulatory-centre": 76.0,
}
SIDE_SPAN_COMPACT = {"upper-neck": (10.0, 63.0), "trigeminal": (80.0, 86.0),
                     "central": (30.0, 60.0), "modulation": (4.0, 20.0)}
POSITIONS_COMPACT = {
    "c1": (10.0, 45.0), "c2": (27.0, 45.0), "c3": (44.0, 45.0),
    "ophthalmic-nerve": (62.0, 45.0), "maxillary-nerve": (77.0, 45.0),
    "mandibular-nerve": (92.0, 45.0), "auriculotemporal-nerve": (92.0, 33.0),
    "trigeminal-ganglion": (77.0, 53.0), "spinal-trigeminal-tract": (77.0, 60.5),
    NUCLEUS: (42.0, 63.0), "trigeminothalamic-tract": (42.0, 72.0), "thalamus": (42.0, 80.5),
    "somatosensory-cortex": (28.0, 90.0), "insula-and-anterior-cingulate": (56.0, 90.0),
    "periaqueductal-gray": (6.0, 78.0), "rostral-ventromedial-medulla": (6.0, 69.0),
}
LABEL_SIDE_COMPACT = {
    "auriculotemporal-nerve": "left", "spinal-trigeminal-tract": "right",
    "somatosensory-cortex": "left", "insula-and-anterior-cingulate": "right",
    "c1": "inside", "c2": "inside", "c3": "inside", "ophthalmic-nerve": "inside",
    "maxillary-nerve": "inside", "mandibular-nerve": "inside", "trigeminal-ganglion": "right",
    "peripheral-nerve": "below",
}
#: Tissues per row in the compact layout (rows run downwards from the tissue band).
COMPACT_COLUMNS = {"upper-neck": 3, "trigeminal": 1}
COMPACT_ROW_STEP = -13.0
NUCLEUS_BOX_COMPACT = (17.0, 3.6)

DRAWN_KINDS = ("tissue", "peripheral-nerve", "spinal-root", "trigeminal-division", "ganglion",
               "tract", "nucleus", "thalamic-nucleus", "cortex", "modulatory-centre")
DRAWN_RELATIONS = AFFERENT | {"projects-to", "modulates"}


def axis_ranges(compact: bool = False) -> tuple[tuple[float, float], tuple[float, float]]:
    """The fixed (x range, y range) of the diagram's axes, for pixel maths in browser tests."""
    return (X_RANGE_COMPACT, Y_RANGE_COMPACT) if compact else (X_RANGE, Y_RANGE)


def drawn_nodes(atlas) -> list[str]:
    """Ids of every node the diagram draws (all but body regions), in atlas order."""
    return [n.id for n in atlas.nodes.values() if n.kind in DRAWN_KINDS]


def drawn_edges(atlas) -> list:
    """Edges drawn as lines: afferent, ascending and modulatory (not skin territories, not
    dermatomes, not referral)."""
    drawn = set(drawn_nodes(atlas))
    return [e for e in atlas.edges
            if e.relation in DRAWN_RELATIONS and e.source in drawn and e.target in drawn]


def _spread(n: int, lo: float, hi: float) -> list[float]:
    if n == 1:
        return [(lo + hi) / 2]
    step = (hi - lo) / (n - 1)
    return [lo + i * step for i in range(n)]


@functools.lru_cache(maxsize=8)
def _positions(atlas, compact: bool) -> dict[str, tuple[float, float]]:
    table = POSITIONS_COMPACT if compact else POSITIONS
    bands = BANDS_COMPACT if compact else BANDS
    spans = SIDE_SPAN_COMPACT if compact else SIDE_SPAN
    nodes = drawn_nodes(atlas)
    pos: dict[str, tuple[float, float]] = {}
    if compact:  # the tissue band (and cervical nerves) wrap into a grid, in ORDER
        for (kind, group), order in ORDER.items():
            members = [n for n in nodes
                       if atlas.nodes[n].kind == kind and atlas.node_group(n) == group]
            ordered = [n for n in order if n in members] + [n for n in members if n not in order]
            lo, hi = spans[group]
            if kind == "tissue":
                cols = COMPACT_COLUMNS[group]
                step = COMPACT_ROW_STEP
            elif group == "upper-neck":
                cols, step = 3, -6.0
            else:
                continue
            xs = _spread(cols, lo, hi) if cols > 1 else [hi + 3.0]
            for i, n in enumerate(ordered):
                pos[n] = (xs[i % cols], bands[kind] + (i // cols) * step)
    for n in nodes:  # hand-placed
        if n in table and n not in pos:
            pos[n] = table[n]
    # anything else: its kind's band, its group's side, the free slot nearest its neighbours
    for n in sorted((n for n in nodes if n not in pos),
                    key=lambda n: DRAWN_KINDS.index(atlas.nodes[n].kind), reverse=True):
        kind, group = atlas.nodes[n].kind, atlas.node_group(n)
        y = bands.get(kind, 50.0)
        lo, hi = spans.get(group, (40.0, 60.0))
        neighbours = [pos[m] for m in (*atlas.graph.successors(n), *atlas.graph.predecessors(n))
                      if m in pos]
        want = (sum(p[0] for p in neighbours) / len(neighbours)) if neighbours else (lo + hi) / 2
        for dy in (0.0, -5.0, 5.0, -9.0, 9.0):
            taken = [p[0] for p in pos.values() if abs(p[1] - (y + dy)) < 4]
            free = [c for c in _spread(14, lo, hi) if all(abs(c - t) > 5.5 for t in taken)]
            if free:
                pos[n] = (min(free, key=lambda c: abs(c - want)), y + dy)
                break
        else:
            pos[n] = (want, y)
    return pos


def node_positions(atlas, compact: bool = False) -> dict[str, tuple[float, float]]:
    """Data coordinates (x, y) of every drawn node; see :func:`axis_ranges`."""
    return dict(_positions(atlas, compact))


# ----------------------------------------------------------------------------- highlight


def highlight(atlas, source: str, side: str = "right", referral_index: int | None = None) -> dict:
    """What the diagram lights up for ``source``.

    Returns ``{"nodes", "edges", "felt_via", "felt_edges", "regions", "routes"}``: the nodes
    and (a, b) edges of the signal route (every inbound route of the source's referrals up to
    the nucleus, and the way up to the cortex); the afferents whose territory is felt
    (``felt_via``) and the edges of their own route to the nucleus (drawn as the brain's
    reading, not as a signal); and ``[(region, side, strength)]``, typical first.
    ``referral_index`` limits it to one referral.
    """
    referrals = atlas.referral(source, side)
    if referral_index is not None:
        referrals = [referrals[referral_index]]
    routes: list[tuple[str, ...]] = []
    for r in referrals:
        inbound = tuple(r.path[: r.path.index(NUCLEUS) + 1])
        if inbound not in routes:
            routes.append(inbound)
    if not routes:  # a tissue with no referral yet: its afferent routes
        routes = list(atlas.inbound_routes(source)[:3])
    up = atlas.ascending()
    nodes: set[str] = set(up)
    edges: set[tuple[str, str]] = set()
    for route in routes:
        nodes.update(route)
        edges.update(zip(route, route[1:]))
    for e in atlas.edges:
        if e.relation == "projects-to" and e.source in nodes and e.target in nodes:
            edges.add((e.source, e.target))
    felt_via = {r.felt_via for r in referrals}
    felt_edges: set[tuple[str, str]] = set()
    felt_nodes: set[str] = set()
    for afferent in felt_via:
        route = atlas.route_to_nucleus(afferent)
        for a, b in zip(route, route[1:]):
            if (a, b) not in edges:
                felt_edges.add((a, b))
        felt_nodes.update(n for n in route if n not in nodes)
    regions = [(r.region, r.side, r.strength) for r in referrals]
    return {"nodes": nodes, "edges": edges, "felt_via": felt_via, "felt_edges": felt_edges,
            "felt_nodes": felt_nodes, "regions": regions, "routes": routes}


# ----------------------------------------------------------------------------- helpers


def _wrap(text: str, width: int) -> str:
    return "<br>".join(textwrap.wrap(text, width=width, break_on_hyphens=False,
                                     break_long_words=False)) or text


#: The narrowest plot area (px) each layout is drawn at: labels are placed for it, and every
#: wider drawing only moves them further apart (text keeps its size, the nodes spread out).
#: Wide: a laptop's page beside the sidebar; compact: a phone's column.
DESIGN_WIDTH = {False: 760.0, True: 340.0}
#: Candidate line widths (px at scale 1) tried for a label, narrowest last; "free": one line.
WRAP_WIDTHS = {"tissue": (96.0, 78.0, 124.0, 62.0), "other": (None, 150.0, 118.0, 92.0, 70.0)}
WRAP_WIDTHS_COMPACT = {"tissue": (84.0, 70.0, 100.0, 58.0), "other": (None, 104.0, 84.0, 66.0)}
#: The order labels are placed in (earlier ones get the better places).
PLACE_ORDER = ("nucleus", "spinal-root", "trigeminal-division", "thalamic-nucleus", "cortex",
               "tract", "ganglion", "modulatory-centre", "peripheral-nerve", "tissue")


class _Frame:
    """Data ↔ pixel arithmetic for the drawing at its design width, and the placer that keeps
    labels apart (see :mod:`pathways.labels`)."""

    def __init__(self, compact: bool, height: float, scale: float):
        self.compact = compact
        (self.x0, self.x1), (self.y0, self.y1) = axis_ranges(compact)
        self.width, self.height, self.scale = DESIGN_WIDTH[compact], float(height), scale
        self.placer = labels.Placer((-4.0, 0.0, self.width + 4.0, self.height + 4.0), gap=1.0)

    def px(self, x: float, y: float) -> tuple[float, float]:
        return ((x - self.x0) / (self.x1 - self.x0) * self.width,
                (self.y1 - y) / (self.y1 - self.y0) * self.height)

    def dy(self, pixels: float) -> float:
        """Pixels down, in data units of y."""
        return pixels / self.height * (self.y1 - self.y0)

    def dx(self, pixels: float) -> float:
        return pixels / self.width * (self.x1 - self.x0)

    def box(self, x: float, y: float, text: str, size: float, place: dict,
            pad: float = 1.0) -> tuple[float, float, float, float]:
        px, py = self.px(x, y)
        return labels.annotation_box(px, py, text, size * self.scale, pad=pad * self.scale,
                                     **place)

    def block_marker(self, x: float, y: float, size: float) -> None:
        px, py = self.px(x, y)
        half = size / 2
        self.placer.block((px - half, py - half, px + half, py + half))


def _sides(kind: str, preferred: str, compact: bool) -> list[str]:
    if kind == "tissue":
        return (["below", "above"] if compact else ["below", "below-2", "below-3"])
    order = [preferred] + [s for s in ("right", "left", "below", "above") if s != preferred]
    return order


def _place_for(side: str, half: float) -> list[dict]:
    """The annotation anchors and shifts (px) of a label on ``side`` of a marker ``half`` px
    in radius; a label under or over its marker may also sit off-centre."""
    if side.startswith("below"):
        row = int(side[-1]) - 1 if side[-1].isdigit() else 0
        y = -(half + 2 + row * TISSUE_ROW_PX)
        return [dict(xanchor="center", yanchor="top", xshift=0, yshift=y),
                dict(xanchor="left", yanchor="top", xshift=-(half + 2), yshift=y),
                dict(xanchor="right", yanchor="top", xshift=half + 2, yshift=y)]
    if side == "above":
        return [dict(xanchor="center", yanchor="bottom", xshift=0, yshift=half + 2),
                dict(xanchor="left", yanchor="bottom", xshift=-(half + 2), yshift=half + 2),
                dict(xanchor="right", yanchor="bottom", xshift=half + 2, yshift=half + 2)]
    if side == "right":
        return [dict(xanchor="left", yanchor="middle", xshift=half + 3, yshift=0)]
    if side == "left":
        return [dict(xanchor="right", yanchor="middle", xshift=-(half + 3), yshift=0)]
    return [dict(xanchor="center", yanchor="middle", xshift=0, yshift=0)]


def _sequence_xy(pos, pairs: Iterable[tuple[str, str]]):
    xs: list = []
    ys: list = []
    for a, b in pairs:
        (x0, y0), (x1, y1) = pos[a], pos[b]
        xs += [round(x0, 2), round(x1, 2), None]
        ys += [round(y0, 2), round(y1, 2), None]
    return xs, ys


def _arrow_xy(pos, pairs, frac=0.55):
    """Points (and angles) for small direction chevrons along edges."""
    xs, ys = [], []
    for a, b in pairs:
        (x0, y0), (x1, y1) = pos[a], pos[b]
        xs += [round(x0 + (x1 - x0) * (frac - 0.02), 3), round(x0 + (x1 - x0) * frac, 3), None]
        ys += [round(y0 + (y1 - y0) * (frac - 0.02), 3), round(y0 + (y1 - y0) * frac, 3), None]
    return xs, ys


def _region_list(atlas, regions, audience) -> list[tuple[str, str]]:
    """[(text, strength)] with regions merged across sides, typical first."""
    seen: dict[tuple[str, str], list[str]] = {}
    for region, side, strength in regions:
        seen.setdefault((region, strength), [])
        if side not in seen[(region, strength)]:
            seen[(region, strength)].append(side)
    out = []
    for strength in ("typical", "possible"):
        for (region, s), sides in seen.items():
            if s != strength:
                continue
            name = atlas.name(region, audience)
            if audience == "patient":
                name = name[0].lower() + name[1:] if name[1:2].islower() else name
            out.append((f"{name} ({' and '.join(sides)})", strength))
    return out


def _felt_text(atlas, regions, audience, html=True) -> str:
    items = _region_list(atlas, regions, audience)
    typical = [t for t, s in items if s == "typical"]
    possible = [t for t, s in items if s == "possible" and t not in typical]
    word = ("Felt in" if audience == "patient" else "Referred to")
    parts = []
    if typical:
        parts.append(("<b>" if html else "**") + ", ".join(typical) + ("</b>" if html else "**"))
    if possible:
        parts.append(("sometimes " if audience == "patient" else "possible: ") + ", ".join(possible))
    return f"{word}: " + "; ".join(parts) if parts else ""


# ----------------------------------------------------------------------------- figure


@memoized_figure()
def build_diagram(atlas, *, audience: str = "patient", source: str | None = None,
                  side: str = "right", referral_index: int | None = None, animate: bool = True,
                  height: int = 640, compact: bool = False, label_scale: float = 1.0) -> dict:
    """The convergence diagram as a Plotly figure.

    ``source`` (a tissue id) lights up its signal route(s) to the nucleus and up to the cortex
    (vermillion), and the afferent(s) whose territory the brain reads it as (blue, dashed);
    with ``animate`` a pulse travels the route when Play is pressed. Tissue markers form the
    trace named ``"sources"`` and carry their id in ``customdata`` (click to select).
    ``compact=True`` is a taller layout with a wrapped tissue grid for phone widths.

    Labels are placed from their measured extents (:mod:`pathways.labels`) at the layout's
    narrowest width (:data:`DESIGN_WIDTH`): each takes the first free place among its
    candidates (sides of its marker, line breaks), clear of markers, shapes and other labels.
    ``label_scale`` places them for text that much larger (a projector enlarges the text
    afterwards, :func:`pathways.lesson.projector_spec`); where it does not fit, the largest
    scale that does is used. ``layout.meta`` says which (``text_scale``) and how many labels
    found no free place (``collisions``, 0 in every drawing the app makes).

    The body writes the figure as a plain spec (lists and dicts): Plotly's property checks on
    building graph objects would cost ten times as much. Callers get a ``go.Figure`` made from
    it; ``build_diagram.spec(...)`` gives the stored spec (see :mod:`pathways.figcache`).
    """
    pos = node_positions(atlas, compact)
    nodes = drawn_nodes(atlas)
    lit = highlight(atlas, source, side, referral_index) if source else None
    scales = [label_scale] + [s for s in (1.15, 1.05, 1.0) if s < label_scale]
    for scale in scales:
        spec, collisions = _draw(atlas, pos, nodes, lit, source, audience, compact, height,
                                 animate, scale)
        if not collisions:
            break
    spec["layout"]["meta"] = {"text_scale": scale, "collisions": collisions}
    return spec


def _draw(atlas, pos, nodes, lit, source, audience, compact: bool, height: int, animate: bool,
          scale: float) -> tuple[dict, int]:
    """The figure with its labels placed for text ``scale`` times larger, and the number of
    labels that found no free place."""
    text_size = 13 if compact else 12.5
    xr, yr = axis_ranges(compact)
    frame = _Frame(compact, height, scale)
    traces = [*_edge_traces(atlas, pos, lit, compact),
              *_marker_traces(atlas, pos, nodes, lit, source, audience, compact)]
    for n in nodes:
        style = _marker_style(atlas, n, lit, source, compact)
        frame.block_marker(*pos[n], style[2] + style[4])
    play = _play_label(audience)
    key, top = _key_and_message(atlas, lit, audience, compact, height, text_size, scale,
                                play if lit and animate else None, pos, nodes)
    if lit and animate and not compact:  # the Play button sits in the drawing's top right
        bw, bh = _button_size(play, scale)
        x0 = PLAY_X * frame.width
        frame.placer.block((x0, 0.005 * frame.height, x0 + bw, 0.005 * frame.height + bh))
    parts = [  # (annotations, shapes), drawn in this order
        _group_captions(atlas, nodes, audience, compact, yr, text_size, frame),
        _nucleus_box(atlas, pos, lit, audience, compact, text_size, frame),
        _modulation_box(atlas, pos, nodes, lit, audience, compact, xr, text_size, frame),
        _node_labels(atlas, pos, nodes, lit, source, audience, compact, text_size, frame),
        key,
        (_felt_cues(atlas, pos, lit, audience, compact, text_size, frame) if lit else [], []),
    ]
    annotations = [a for notes, _ in parts for a in notes]
    shapes = [s for _, lines in parts for s in lines]

    layout = {
        "height": height + top + 6, "margin": {"l": 6, "r": 6, "t": top, "b": 6},
        "paper_bgcolor": "white", "plot_bgcolor": "white", "showlegend": False,
        "dragmode": False, "clickmode": "event+select", "hovermode": "closest",
        "uirevision": "diagram", "font": {"family": FONT, "size": 13, "color": COLOURS["text"]},
        "xaxis": {"range": list(xr), "visible": False, "fixedrange": True},
        "yaxis": {"range": list(yr), "visible": False, "fixedrange": True},
        "annotations": annotations, "shapes": shapes,
    }
    spec = {"data": traces, "layout": layout}
    if lit and animate:
        pulse, spec["frames"] = _animation(atlas, pos, lit, audience, compact, len(traces),
                                           frame)
        traces.append(pulse)
        layout["updatemenus"] = [_play_button(layout, play, compact)]
    return spec, frame.placer.collisions


def _scatter(**props) -> dict:
    """A scatter trace as plain data, in the shape of ``go.Scatter(...).to_plotly_json()``."""
    return {"type": "scatter", **props}


def _line_trace(pos, pairs, name: str, colour: str, width: float, dash: str = "solid") -> dict:
    xs, ys = _sequence_xy(pos, pairs)
    return _scatter(x=xs, y=ys, mode="lines", name=name, hoverinfo="skip", showlegend=False,
                    line={"color": colour, "width": width, "dash": dash})


def _arrow_trace(pos, pairs, name: str, colour: str, size: float) -> dict:
    """Chevrons pointing along each edge: the middle point of each (tail, head, gap) triple
    carries the marker, turned by ``angleref="previous"``."""
    xs, ys = _arrow_xy(pos, pairs)
    return _scatter(x=xs, y=ys, mode="markers", name=name, hoverinfo="skip", showlegend=False,
                    marker={"symbol": "triangle-up", "angleref": "previous",
                            "size": [0, size, 0] * len(pairs), "color": colour,
                            "line": {"width": 0}})


def _edge_traces(atlas, pos, lit, compact: bool) -> list[dict]:
    """The edges, bottom layer first: the network (faded when a route is lit), descending
    control, then the lit route and the afferents it is read as."""
    edges = drawn_edges(atlas)
    afferent = [(e.source, e.target) for e in edges if e.relation in AFFERENT]
    ascending = [(e.source, e.target) for e in edges if e.relation == "projects-to"]
    modulation = [(e.source, e.target) for e in edges if e.relation == "modulates"]
    lit_edges = lit["edges"] if lit else set()
    felt_edges = lit["felt_edges"] if lit else set()
    traces: list[dict] = []

    def lines(pairs, *style):
        if pairs:
            traces.append(_line_trace(pos, pairs, *style))

    def arrows(pairs, *style):
        if pairs:
            traces.append(_arrow_trace(pos, pairs, *style))

    plain = [p for p in afferent + ascending if p not in lit_edges and p not in felt_edges]
    base_colour = COLOURS["edge-faded"] if lit else COLOURS["edge"]
    modulation_colour = "#E9C7D9" if lit else COLOURS["modulation"]
    lines([p for p in plain if p in afferent], "afferent", base_colour, 1.6)
    lines([p for p in plain if p in ascending], "ascending",
          COLOURS["edge-faded"] if lit else "#6E6E6E", 2.4)
    arrows(plain, "direction", base_colour if lit else "#8C8C8C", 9 if not compact else 7)
    lines(modulation, "descending control", modulation_colour, 2.2, "dash")
    arrows(modulation, "descending direction", modulation_colour, 9)
    if lit:
        lines(sorted(felt_edges), "felt as", COLOURS["felt"], 3.4, "dash")
        lines(sorted(lit_edges), "signal route", COLOURS["route"], 4.6)
        arrows(sorted(lit_edges), "route direction", COLOURS["route"], 12)
    return traces


def _marker_style(atlas, n: str, lit, source, compact: bool) -> tuple:
    """(symbol, colour, size, ring colour, ring width, opacity) of a node's marker."""
    kind, group = atlas.nodes[n].kind, atlas.node_group(n)
    symbol = SYMBOLS.get((kind, group)) or SYMBOLS.get(kind, "circle")
    size = SIZES.get(kind, 16)
    if compact:
        size = {"nucleus": 40, "spinal-root": 26, "trigeminal-division": 26}.get(kind, size)
    ring, ring_w, opacity = "white", 1.5, 1.0
    if lit:
        if n in lit["nodes"]:
            ring, ring_w = COLOURS["route"], 3.5
        elif n in lit["felt_via"]:
            ring, ring_w = COLOURS["felt"], 3.5
        elif n in lit["felt_nodes"]:
            ring, ring_w = COLOURS["felt"], 2.5
        else:
            opacity = 0.35
    if n == source:
        size += 6
    return symbol, COLOURS[group], size, ring, ring_w, opacity


def _marker_traces(atlas, pos, nodes, lit, source, audience, compact: bool) -> list[dict]:
    """One marker trace per node kind, in atlas order; the tissues' one is named "sources"."""
    traces = []
    for kind in dict.fromkeys(atlas.nodes[n].kind for n in nodes):
        members = [n for n in nodes if atlas.nodes[n].kind == kind]
        styles = [_marker_style(atlas, n, lit, source, compact) for n in members]
        traces.append(_scatter(
            x=[pos[n][0] for n in members], y=[pos[n][1] for n in members],
            mode="markers", name="sources" if kind == "tissue" else kind,
            customdata=[[n] for n in members], showlegend=False,
            hovertext=[atlas.name(n, audience) for n in members], hoverinfo="text",
            hoverlabel={"font": {"size": 13, "family": FONT}},
            marker={"symbol": [s[0] for s in styles], "color": [s[1] for s in styles],
                    "size": [s[2] for s in styles], "opacity": [s[5] for s in styles],
                    "line": {"color": [s[3] for s in styles],
                             "width": [s[4] for s in styles]}},
        ))
    return traces


def _node_labels(atlas, pos, nodes, lit, source, audience, compact: bool, text_size: float,
                 frame: _Frame) -> tuple[list[dict], list[dict]]:
    """Each node's label as an annotation with a light backing (so lines pass behind it), at
    the first free place among its candidates, and the leader lines of tissue labels that had
    to go down a row (wide layout). Descending-control centres are placed by
    :func:`_modulation_box`, the nucleus by :func:`_nucleus_box`."""
    annotations: list[dict] = []
    shapes: list[dict] = []
    shown = (lit["nodes"] | lit["felt_via"] | lit["felt_nodes"]) if lit else set()
    table = LABEL_SIDE_COMPACT if compact else LABEL_SIDE
    widths = WRAP_WIDTHS_COMPACT if compact else WRAP_WIDTHS
    numbers = _nerve_numbers(atlas, pos, nodes) if compact else {}
    order = sorted((n for n in nodes if atlas.nodes[n].kind not in
                    ("nucleus", "modulatory-centre")),
                   key=lambda n: (PLACE_ORDER.index(atlas.nodes[n].kind)
                                  if atlas.nodes[n].kind in PLACE_ORDER else len(PLACE_ORDER),
                                  pos[n][0]))
    for n in order:
        node = atlas.nodes[n]
        kind = node.kind
        faded = bool(lit) and n not in shown
        colour = COLOURS["text-faded"] if faded else COLOURS["text"]
        where = table.get(n, table.get(kind, LABEL_SIDE_BY_KIND.get(kind, "right")))
        style = _marker_style(atlas, n, lit, source, compact)
        half = style[2] / 2 + style[4] / 2  # the marker and its ring
        name = node.name(audience, short=True)
        bold = n == source
        if where == "inside":  # roots and divisions on a phone: their code in the marker
            text = f"<b>{(node.short_term or node.term).split()[0]}</b>"
            colour = "#6E6E6E" if faded else "#000000"
            annotations.append({"x": pos[n][0], "y": pos[n][1], "text": text,
                                "showarrow": False, "align": "center", "borderpad": 1,
                                **_place_for("inside", half)[0],
                                "font": {"size": text_size, "color": colour, "family": FONT}})
            continue
        if n in numbers:  # nerves on a phone: a number, named in the key above the drawing
            text = f"<b>{numbers[n]}</b>"
            candidates = [(text, place) for side in ("right", "left", "above", "below")
                          for place in _place_for(side, half)]
        else:
            candidates = []
            for side in _sides(kind, where, compact):
                for width in widths["tissue" if kind == "tissue" else "other"]:
                    wrapped = (name if width is None else
                               labels.wrap(name, text_size * frame.scale, width * frame.scale,
                                           bold=bold))
                    text = f"<b>{wrapped}</b>" if bold else wrapped
                    for place in _place_for(side, half):
                        candidates.append((text, place))
        if lit and n in lit["felt_via"] and n not in lit["nodes"]:
            colour = COLOURS["felt"]
        boxes = [frame.box(*pos[n], t, text_size, place) for t, place in candidates]
        text, place = candidates[frame.placer.choose(boxes)]
        inside = place["xanchor"] == "center" and place["yanchor"] == "middle"
        label = {
            "x": pos[n][0], "y": pos[n][1], "text": text, "showarrow": False,
            "align": ("center" if kind == "tissue" or compact or place["xanchor"] == "center"
                      else place["xanchor"]),
            "font": {"size": text_size, "color": colour, "family": FONT},
            "borderpad": 1, **place,
        }
        if not inside:  # a label inside its marker needs no backing
            label["bgcolor"] = "rgba(255,255,255,0.82)"
        if place["yshift"] < -(half + 2 + 1):  # a lower row: a leader line up to its marker
            top_px = frame.px(*pos[n])[1] - place["yshift"]
            shapes.append({"type": "line", "x0": pos[n][0], "x1": pos[n][0],
                           "y0": round(pos[n][1] - frame.dy(half + 1), 2),
                           "y1": round(pos[n][1] - frame.dy(top_px - frame.px(*pos[n])[1]), 2),
                           "layer": "below", "line": {"color": "#BDBDBD", "width": 1}})
        annotations.append(label)
    return annotations, shapes


def _nucleus_box(atlas, pos, lit, audience, compact: bool, text_size: float,
                 frame: _Frame) -> tuple[list[dict], list[dict]]:
    """The nucleus as a prominent box over the ends of the converging lines, sized to its
    name (measured), with the name inside."""
    if NUCLEUS not in pos:
        return [], []
    size = text_size + 2
    name = atlas.name(NUCLEUS, audience, short=True)
    hw, hh = NUCLEUS_BOX_COMPACT if compact else NUCLEUS_BOX
    text = f"<b>{labels.wrap(name, size * frame.scale, 2 * hw / 100 * frame.width - 12, bold=True)}</b>"
    w, h = labels.text_box(text, size * frame.scale)
    hw = max(hw, frame.dx(w / 2 + 7))
    hh = max(hh, frame.dy(h / 2 + 5))
    x, y = pos[NUCLEUS]
    (px0, py0), (px1, py1) = frame.px(x - hw, y + hh), frame.px(x + hw, y - hh)
    frame.placer.block((px0, py0, px1, py1))
    label = {"x": x, "y": y, "text": text, "showarrow": False, "align": "center",
             "xanchor": "center", "yanchor": "middle", "xshift": 0, "yshift": 0,
             "font": {"size": size, "color": COLOURS["text"], "family": FONT},
             "bgcolor": "#F4F4F4", "borderpad": 1}
    box = {"type": "rect", "x0": round(x - hw, 2), "x1": round(x + hw, 2),
           "y0": round(y - hh, 2), "y1": round(y + hh, 2), "layer": "above",
           "fillcolor": "#F4F4F4",
           "line": {"color": COLOURS["route"] if lit else COLOURS["central"],
                    "width": 3.5 if lit else 2.5}}
    return [label], [box]


def _modulation_box(atlas, pos, nodes, lit, audience, compact: bool, xr, text_size: float,
                    frame: _Frame) -> tuple[list[dict], list[dict]]:
    """A dotted box round the descending-control centres and their labels, and its caption."""
    mods = [n for n in nodes if atlas.nodes[n].kind == "modulatory-centre"]
    if not mods:
        return [], []
    mx = [pos[n][0] for n in mods]
    my = [pos[n][1] for n in mods]
    x0, y0, y1 = max(min(mx) - 5, xr[0] + 0.5), min(my) - 6, max(my) + 8
    caption = "Brain's pain control (descending)" if audience == "patient" else "Descending control"
    size = text_size
    if compact:
        text = f"<i>{labels.wrap(caption, size * frame.scale, 92 * frame.scale, italic=True)}</i>"
        cap = {"x": x0 + 1, "y": y0, "yanchor": "top"}
    else:
        text = f"<i>{caption}</i>"
        cap = {"x": x0 + 1, "y": y1, "yanchor": "top"}
    cap_box = frame.box(cap["x"], cap["y"], text, size, {"xanchor": "left",
                                                         "yanchor": "top"}, pad=2)
    frame.placer.block(cap_box)
    shown = (lit["nodes"] | lit["felt_via"] | lit["felt_nodes"]) if lit else set()
    notes, right = [], cap_box[2]
    widths = WRAP_WIDTHS_COMPACT["other"] if compact else WRAP_WIDTHS["other"]
    for n in mods:
        half = SIZES.get("modulatory-centre", 20) / 2
        name = atlas.name(n, audience, short=True)
        candidates = [(name if w is None else labels.wrap(name, size * frame.scale,
                                                          w * frame.scale), place)
                      for w in widths for place in _place_for("right", half)]
        boxes = [frame.box(*pos[n], t, size, p) for t, p in candidates]
        i = frame.placer.choose(boxes)
        right = max(right, boxes[i][2])
        faded = bool(lit) and n not in shown
        notes.append({"x": pos[n][0], "y": pos[n][1], "text": candidates[i][0],
                      "showarrow": False, "align": "left", "borderpad": 1,
                      "bgcolor": "rgba(255,255,255,0.82)", **candidates[i][1],
                      "font": {"size": size, "color": COLOURS["text-faded"] if faded
                               else COLOURS["text"], "family": FONT}})
    x1 = x0 + frame.dx(right + 6 - frame.px(x0, 0)[0])
    box = {"type": "rect", "x0": round(x0, 2), "x1": round(x1, 2), "y0": y0, "y1": y1,
           "line": {"color": COLOURS["modulation"], "width": 1.2, "dash": "dot"},
           "fillcolor": "rgba(204,121,167,0.06)", "layer": "below"}
    label = {**cap, "xanchor": "left", "showarrow": False, "align": "left", "text": text,
             "font": {"size": size, "color": "#8E4A6E", "family": FONT}}
    return [label, *notes], [box]


def _group_captions(atlas, nodes, audience, compact: bool, yr, text_size: float,
                    frame: _Frame) -> tuple[list[dict], list[dict]]:
    """Wide layout: each side's name under the tissue band, over a rule in its colour."""
    if compact:
        return [], []
    cap_y = yr[0] + 0.6
    groups_present = {atlas.node_group(n) for n in nodes if atlas.nodes[n].kind == "tissue"}
    captions = {
        "upper-neck": ("Upper neck (C1–C3)" if audience == "patient"
                       else "Upper cervical structures (C1–C3)"),
        "trigeminal": ("Face nerve (V1–V3)" if audience == "patient"
                       else "Trigeminal structures (V1–V3)"),
    }
    annotations, shapes = [], []
    for g in ("upper-neck", "trigeminal"):
        if g not in groups_present:
            continue
        lo, hi = SIDE_SPAN[g]
        text = f"<b>{captions[g]}</b>"
        frame.placer.block(frame.box((lo + hi) / 2, cap_y, text, text_size,
                                     {"xanchor": "center", "yanchor": "bottom"}))
        annotations.append({"x": (lo + hi) / 2, "y": cap_y, "yanchor": "bottom",
                            "showarrow": False, "text": text,
                            "font": {"size": text_size, "color": COLOURS[g], "family": FONT}})
        shapes.append({"type": "line", "x0": lo - 1.5, "x1": hi + 1.5, "y0": cap_y + 0.2,
                       "y1": cap_y + 0.2, "line": {"color": COLOURS[g], "width": 2}})
    return annotations, shapes


def _nerve_numbers(atlas, pos, nodes) -> dict[str, int]:
    """The phone layout's numbers for the peripheral nerves (top row first, left to right):
    too many names for a phone's width, so each dot carries a number and the key names it."""
    nerves = sorted((n for n in nodes if atlas.nodes[n].kind == "peripheral-nerve"),
                    key=lambda n: (-pos[n][1], pos[n][0]))
    return {n: i for i, n in enumerate(nerves, 1)}


def _nerve_key(atlas, pos, nodes, audience, text_size: float, scale: float,
               width: float) -> tuple[list[str], int]:
    """The lines of the phone layout's nerve key ("1 Big back-of-head nerve"), in as many
    columns as fit ``width`` px, and how many columns."""
    numbers = _nerve_numbers(atlas, pos, nodes)
    entries = [f"<b>{i}</b> {atlas.name(n, audience, short=True)}" for n, i in numbers.items()]
    size = (text_size - 0.5) * scale
    widest = max((labels.text_width(e, size) for e in entries), default=0.0)
    columns = 2 if 2 * widest + 16 <= width else 1
    return entries, columns


def _key_items(lit, audience, compact: bool) -> list[tuple[str, str, float, str]]:
    """(colour, dash, width, label) of each line in the key."""
    items = []
    if lit:
        items = [
            (COLOURS["route"], "solid", 4.6,
             "Signal route" if audience == "patient" else "Nociceptive signal route"),
            (COLOURS["felt"], "dash", 3.4,
             ("Where the brain thinks it comes from" if audience == "patient"
              else "Territory the brain attributes it to")),
        ]
    if not (compact and lit):
        items.append(("#8C8C8C", "solid", 2, "Signals travel inwards and up"
                      if audience == "patient" else "Afferent / ascending"))
    items.append((COLOURS["modulation"], "dash", 2.2,
                  "Pain control (turns signals up or down)" if audience == "patient"
                  else "Descending modulation"))
    return items


#: Where the key starts (wide layout; a fraction of the width), and the Play button.
KEY_X = 0.6
PLAY_X = 0.75


def _play_label(audience) -> str:
    return "▶ Play signal" if audience == "patient" else "▶ Animate"


def _button_size(label: str, scale: float) -> tuple[float, float]:
    """The Play button's (width, height) in px (its text, padding and frame)."""
    size = 13 * scale
    return labels.text_width(label, size) + 24, size * labels.FONT_BOX + 20


def _key_and_message(atlas, lit, audience, compact: bool, height: int, text_size: float,
                     scale: float, play: str | None, pos=None,
                     nodes=()) -> tuple[tuple[list[dict], list[dict]], int]:
    """The key and the "felt in" box (or, with nothing lit, an invitation to pick a source),
    and the height in pixels of the band above the drawing that holds them.

    Wide layout: they sit in that band, so they never cover a label (the box on the left, the
    key on the right). Compact layout: the box, then the key under it, at the top left (the
    box leaves room for the Play button beside it). The drawing keeps ``height`` pixels; the
    band grows with the text, which is wrapped to the width it has (measured)."""
    width = DESIGN_WIDTH[compact]
    items = _key_items(lit, audience, compact)
    message = (_felt_text(atlas, lit["regions"], audience) if lit else
               "<i>" + ("Tap a square (a body part at the bottom) to light up its route"
                        if audience == "patient"
                        else "Select a source structure (squares) to trace it") + "</i>")
    size = text_size + 1
    room = (width - (_button_size(play, scale)[0] + 12 if play else 0) if compact
            else KEY_X * width - 14) - 14 * scale
    message = _wrap_markup(message, size * scale, room)
    line = 19 * scale
    box_h = labels.text_box(message, size * scale)[1] + 16 * scale
    key_h = len(items) * line + 8
    entries, columns = (_nerve_key(atlas, pos, nodes, audience, text_size, scale, width)
                        if compact else ([], 1))
    rows = -(-len(entries) // columns)
    nerve_h = rows * line + (6 if entries else 0)
    if compact:
        top = round(box_h + key_h + nerve_h + 6)
        lx, ly = 0.02, 1 + (key_h + nerve_h - 14 * scale) / height
    else:
        top = round(max(key_h + 2, box_h + 4))
        lx, ly = KEY_X, 1 + (top - 12 * scale) / height
    dy = line / height
    annotations, shapes = [], []
    for i, (colour, dash, line_width, label) in enumerate(items):
        y = ly - i * dy
        shapes.append({"type": "line", "xref": "paper", "yref": "paper", "x0": lx,
                       "x1": lx + (0.035 if not compact else 0.09), "y0": y, "y1": y,
                       "line": {"color": colour, "dash": dash, "width": line_width}})
        annotations.append({"xref": "paper", "yref": "paper",
                            "x": lx + (0.042 if not compact else 0.1), "y": y,
                            "xanchor": "left", "yanchor": "middle", "showarrow": False,
                            "text": label, "font": {"size": text_size - 0.5,
                                                    "color": COLOURS["text"], "family": FONT}})
    for i, entry in enumerate(entries):  # the phone's nerve numbers, named
        column, row = divmod(i, rows)
        annotations.append({"xref": "paper", "yref": "paper", "x": lx + column * 0.5,
                            "y": ly - (len(items) + row) * dy - 6 / height,
                            "xanchor": "left", "yanchor": "middle", "showarrow": False,
                            "text": entry, "font": {"size": text_size - 0.5,
                                                    "color": COLOURS["text"], "family": FONT}})
    box = {"xref": "paper", "yref": "paper", "x": 0.0, "y": 1 + (top - 3) / height,
           "xanchor": "left", "yanchor": "top", "showarrow": False, "align": "left",
           "text": message}
    if lit:
        box.update(font={"size": size, "color": COLOURS["text"], "family": FONT},
                   bgcolor="rgba(255,255,255,0.9)", bordercolor=COLOURS["route"],
                   borderwidth=1.5, borderpad=5)
    else:  # unframed, where the "felt in" box will be
        box.update(font={"size": size, "color": "#555555", "family": FONT}, borderpad=5)
    annotations.append(box)
    return (annotations, shapes), top


def _wrap_markup(markup: str, size: float, max_width: float) -> str:
    """Plotly markup (bold and italic runs) broken at spaces into lines no wider than
    ``max_width`` px, the runs closed and reopened at each break."""
    words = markup.split(" ")
    lines: list[str] = []
    current = ""
    open_tags: list[str] = []

    def state_after(text: str, tags: list[str]) -> list[str]:
        tags = list(tags)
        for tag in re.findall(r"</?[bi]>", text):
            if tag.startswith("</"):
                if tag[2] + ">" in [t[1:] for t in tags]:
                    tags.remove("<" + tag[2:])
            else:
                tags.append(tag)
        return tags

    line_tags: list[str] = []
    for word in words:
        candidate = f"{current} {word}" if current else word
        opened = "".join(line_tags)
        if current and labels.text_width(opened + candidate, size) > max_width:
            closing = "".join(f"</{t[1:]}" for t in reversed(open_tags))
            lines.append(opened + current + closing)
            line_tags = list(open_tags)
            current = word
        else:
            current = candidate
        open_tags = state_after(word, open_tags)
    lines.append("".join(line_tags) + current)
    return "<br>".join(lines)


def _felt_cues(atlas, pos, lit, audience, compact: bool, text_size: float,
               frame: _Frame) -> list[dict]:
    """The "read as" arrow to each afferent that is felt through but not on the route, its
    words at the first free place round the afferent."""
    route_nodes = set().union(*map(set, lit["routes"])) if lit["routes"] else set()
    cues = []
    size = text_size - 0.5
    for v in sorted(lit["felt_via"] - route_nodes):
        cue = ("the brain reads it as<br>coming from here" if audience == "patient"
               and not compact else "felt as if from here" if audience == "patient"
               else f"read as {atlas.name(v, audience, short=True).split()[0]} territory")
        text = f"<i>{cue}</i>"
        places = []
        for ay in (-44, -62, -30, -84, -20, -104):
            for ax in (0, -40, 40, -70, 70, -100, 100, -20, 20, -130, 130):
                places.append(dict(ax=ax, ay=ay, xanchor="center", yanchor="bottom"))
        for ax in (-46, 46):
            places.append(dict(ax=ax, ay=0, xanchor="right" if ax < 0 else "left",
                               yanchor="middle"))
        places += [dict(ax=ax, ay=44, xanchor="center", yanchor="top") for ax in (0, -40, 40)]
        boxes = [frame.box(*pos[v], text, size,
                           {"xanchor": p["xanchor"], "yanchor": p["yanchor"],
                            "xshift": p["ax"] * frame.scale, "yshift": -p["ay"] * frame.scale},
                           pad=1)
                 for p in places]
        chosen = places[frame.placer.choose(boxes)]
        cues.append({
            "x": pos[v][0], "y": pos[v][1], **chosen, "showarrow": True, "arrowhead": 2,
            "arrowsize": 1, "arrowwidth": 1.6, "arrowcolor": COLOURS["felt"], "standoff": 17,
            "text": text,
            "font": {"size": size, "color": COLOURS["felt"], "family": FONT},
            "bgcolor": "rgba(255,255,255,0.9)"})
    return cues


def _along(points: list[tuple[float, float]], t: float) -> tuple[float, float]:
    """The point a fraction ``t`` (0–1) along a polyline."""
    lengths = [((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5
               for (x0, y0), (x1, y1) in zip(points, points[1:])]
    total = sum(lengths) or 1.0
    goal = t * total
    for (p0, p1), seg in zip(zip(points, points[1:]), lengths):
        if goal <= seg or seg == 0 and goal <= 0:
            f = goal / seg if seg else 0.0
            return (round(p0[0] + (p1[0] - p0[0]) * f, 2), round(p0[1] + (p1[1] - p0[1]) * f, 2))
        goal -= seg
    return (round(points[-1][0], 2), round(points[-1][1], 2))


INBOUND_FRAMES = 6
UP_FRAMES = 5


def _pulse_points(atlas, pos, lit) -> list[list[tuple[float, float]]]:
    """The pulse's points in each frame: along the inbound route(s) to the nucleus, then up
    every ascending path to a cortex."""
    ends = atlas.ascending_ends() or [NUCLEUS]  # no way up: the pulse stops at the nucleus
    up_paths = [[pos[n] for n in atlas.ascending_route(c)] for c in ends]
    routes = [[pos[n] for n in r] for r in lit["routes"]]
    frames = [sorted({_along(r, i / (INBOUND_FRAMES - 1)) for r in routes})
              for i in range(INBOUND_FRAMES)]
    frames += [sorted({_along(p, i / UP_FRAMES) for p in up_paths})
               for i in range(1, UP_FRAMES + 1)]
    return frames


def _animation(atlas, pos, lit, audience, compact: bool, pulse_index: int,
               frame: _Frame) -> tuple[dict, list[dict]]:
    """The (empty) pulse trace, and the frames that move it along the route to the nucleus,
    then up to the cortex; in the wide layout the last frame says where it is felt, beside
    one of the pulses at the first free place (measured, like the labels). Only the pulse
    changes between frames."""
    marker_size = 18 if not compact else 15
    marker = {"size": marker_size, "color": COLOURS["route"], "symbol": "circle",
              "line": {"color": "white", "width": 2.5}}
    pulse = _scatter(x=[], y=[], mode="markers+text", name="pulse", hoverinfo="skip",
                     showlegend=False, marker=marker, cliponaxis=False)
    points = _pulse_points(atlas, pos, lit)
    frames = [{"name": f"f{i}", "traces": [pulse_index],
               "data": [_scatter(x=[p[0] for p in pts], y=[p[1] for p in pts],
                                 text=[""] * len(pts))]}
              for i, pts in enumerate(points)]
    last = points[-1]
    size = 13
    plain = _felt_text(atlas, lit["regions"], audience)
    half = max(marker_size, SIZES["cortex"] + 6) / 2 + 3  # clear of the pulse and the cortex
    anchors = {"top center": ("center", "bottom", 0, half), "top right": ("left", "bottom", 2, half),
               "top left": ("right", "bottom", -2, half),
               "middle right": ("left", "middle", half, 0),
               "middle left": ("right", "middle", -half, 0),
               "bottom center": ("center", "top", 0, -half)}
    candidates = []
    for width in ((150, 190, 240, 120, 300, 330) if compact else (230, 280, 190, 330, 400, 460, 150)):
        text = _wrap_markup(plain, size * frame.scale, width * frame.scale)
        for k in range(len(last) - 1, -1, -1):
            for position, (xa, ya, xs, ys) in anchors.items():
                candidates.append((k, text, position,
                                   frame.box(*last[k], text, size,
                                             {"xanchor": xa, "yanchor": ya, "xshift": xs,
                                              "yshift": ys}, pad=0)))
    texts = [""] * len(last)
    position = "middle right"
    if not compact:  # a phone's drawing has no room for it: the box above says it already
        k, felt, position, _ = candidates[frame.placer.choose([c[3] for c in candidates])]
        texts[k] = felt  # one position for all: only point k has words
    frames.append({"name": "felt", "traces": [pulse_index], "data": [_scatter(
        x=[p[0] for p in last], y=[p[1] for p in last], text=texts, textposition=position,
        textfont={"size": size, "color": COLOURS["route"], "family": FONT})]})
    return pulse, frames


def _play_button(layout: dict, label: str, compact: bool) -> dict:
    """The Play menu. Wide: top right of the drawing; compact: top right, level with the top
    of the (narrower) "felt in" box."""
    play = {"label": label, "method": "animate",
            "args": [None, {"frame": {"duration": 420, "redraw": False}, "fromcurrent": False,
                            "transition": {"duration": 380, "easing": "linear"},
                            "mode": "immediate"}]}
    margin = layout["margin"]
    plot_h = layout["height"] - margin["t"] - margin["b"]
    return {"type": "buttons", "showactive": False, "x": PLAY_X if not compact else 1.0,
            "y": 0.995 if not compact else 1 + (margin["t"] - 3) / plot_h,
            "xanchor": "left" if not compact else "right", "yanchor": "top",
            "pad": {"t": 0, "r": 0}, "bgcolor": "white", "bordercolor": COLOURS["route"],
            "font": {"size": 13, "color": COLOURS["route"]}, "buttons": [play]}


# ----------------------------------------------------------------------------- text


@functools.lru_cache(maxsize=256)  # a pure function of immutable arguments, asked on every click
def text_equivalent(atlas, audience: str = "patient", source: str | None = None,
                    side: str = "right", referral_index: int | None = None) -> str:
    """The whole diagram as Markdown nested lists (inputs by group → nucleus → way up;
    descending control), then the highlighted route(s) in words if a source is chosen."""
    drawn = set(drawn_nodes(atlas))

    def nm(n: str) -> str:
        node = atlas.nodes[n]
        short, full = node.name(audience, short=True), node.name(audience)
        return f"**{short}**" + (f" ({full})" if full != short else "")

    def tree(n: str, depth: int, seen: tuple[str, ...]) -> list[str]:
        lines = []
        for child in atlas.inputs(n):
            if child not in drawn or child in seen:
                continue
            lines.append("  " * depth + f"- {nm(child)}")
            lines += tree(child, depth + 1, (*seen, child))
        return lines

    heading = {"patient": ("Inputs (each line gets signals from the ones indented under it)",
                           "The meeting point", "The way up", "Pain control from the brain"),
               "clinician": ("Afferent inputs (each entry receives from those nested under it)",
                             "Convergence", "Ascending projection", "Descending modulation")}
    h = heading[words_for(audience)]
    group_title = {
        "upper-neck": "Upper neck" if audience == "patient" else "Upper cervical (C1–C3)",
        "trigeminal": "Face nerve (trigeminal)" if audience == "patient" else "Trigeminal",
    }
    out = [f"**{h[0]}**", ""]
    entries = [p for p in atlas.inputs(NUCLEUS) if p in drawn]
    for g in ("upper-neck", "trigeminal"):
        members = [e for e in entries if atlas.node_group(e) == g]
        if not members:
            continue
        out.append(f"- {group_title[g]}")
        for e in members:
            out.append(f"  - {nm(e)} → {nm(NUCLEUS)}")
            out += ["  " + line for line in tree(e, 2, (e,))]
    out += ["", f"**{h[1]}**: all of these reach the {nm(NUCLEUS)}."
            if audience == "patient" else
            f"**{h[1]}**: all of these terminate on second-order neurons in the {nm(NUCLEUS)}.", ""]
    up = atlas.ascending()
    out.append(f"**{h[2]}**")
    out.append("")

    def up_tree(n: str, depth: int) -> list[str]:
        lines = []
        for m in atlas.projects_to(n):
            if m in drawn:
                lines.append("  " * depth + f"- {nm(m)}")
                lines += up_tree(m, depth + 1)
        return lines

    out.append(f"- {nm(NUCLEUS)}")
    out += up_tree(NUCLEUS, 1)
    out += ["", f"**{h[3]}** (dashed lines)", ""]
    mods = [e for e in atlas.edges if e.relation == "modulates" and e.source in drawn]
    for e in mods:
        out.append(f"- {nm(e.source)} → {nm(e.target)}")
    missing = [n for n in drawn if atlas.nodes[n].name(audience, short=True) not in "\n".join(out)]
    for n in missing:  # anything not reached above (a new node with no edges yet)
        out.append(f"- {nm(n)}")
    if source:
        lit = highlight(atlas, source, side, referral_index)
        out += ["", f"**{'Chosen' if audience == 'patient' else 'Selected source'}: "
                f"{atlas.name(source, audience)}**", ""]
        label = "Signal route" if audience == "patient" else "Signal route (afferent)"
        for route in lit["routes"]:
            out.append(f"- {label}: " + " → ".join(atlas.name(n, audience, short=True)
                                                   for n in route))
        leaves = atlas.ascending_ends()
        chain = [atlas.name(n, audience, short=True) for n in up[1:] if n not in leaves]
        chain.append(" and ".join(atlas.name(n, audience, short=True) for n in leaves))
        out.append(("- Then up: " if audience == "patient" else "- Ascending: ")
                   + " → ".join(c for c in chain if c))
        route_nodes = set().union(*map(set, lit["routes"]))
        for v in sorted(lit["felt_via"], key=lambda n: list(atlas.nodes).index(n)):
            regs = [(r, s, strength) for r, s, strength in lit["regions"]
                    if any(ref.felt_via == v and ref.region == r
                           for ref in atlas.referral(source, side))]
            where = _felt_text(atlas, regs, audience, html=False)
            vname = atlas.name(v, audience, short=True)
            if v in route_nodes:
                cue = (f"The brain reads it as coming from the area of the {vname}"
                       if audience == "patient" else f"Localised to the territory of the {vname}")
            else:
                cue = (f"The brain reads it as coming from the area of the {vname}, because "
                       f"they share the {atlas.name(NUCLEUS, audience, short=True).lower()}. "
                       "Nothing travels back out along that nerve"
                       if audience == "patient" else
                       f"Convergence–projection: attributed to {vname} territory (no signal "
                       f"travels back out along the {vname})")
            out.append(f"- {cue}{'' if cue.endswith('.') else '.'} {where}.")
    return "\n".join(out)
