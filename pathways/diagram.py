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
import textwrap
from collections.abc import Iterable


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
TISSUE_ROW_PX = 34  # the lower row of tissue labels (wide layout), in pixels
#: The compact (phone) layout: vertical emphasis, the tissue band wraps into a grid.
BANDS_COMPACT = {
    "tissue": 20.0, "peripheral-nerve": 35.0, "spinal-root": 45.0, "trigeminal-division": 45.0,
    "ganglion": 53.0, "tract": 60.0, "nucleus": 63.0, "thalamic-nucleus": 81.0, "cortex": 90.0,
    "modulatory-centre": 76.0,
}
SIDE_SPAN_COMPACT = {"upper-neck": (9.0, 55.0), "trigeminal": (80.0, 86.0),
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


def _label_width(kind: str, compact: bool) -> int:
    if compact:
        return {"tissue": 11, "peripheral-nerve": 12, "nucleus": 18, "ganglion": 10,
                "tract": 10, "modulatory-centre": 9}.get(kind, 12)
    return {"tissue": 16, "peripheral-nerve": 13, "spinal-root": 14, "trigeminal-division": 11,
            "ganglion": 16, "tract": 16, "nucleus": 18, "thalamic-nucleus": 18,
            "cortex": 16, "modulatory-centre": 16}.get(kind, 14)


def _label_place(atlas, node_id: str, compact: bool) -> dict:
    """Annotation placement (anchor and pixel shift) of a node's label."""
    kind = atlas.nodes[node_id].kind
    half = SIZES.get(kind, 16) / 2
    table = LABEL_SIDE_COMPACT if compact else LABEL_SIDE
    where = table.get(node_id, table.get(kind, LABEL_SIDE_BY_KIND.get(kind, "right")))
    return {
        "below": dict(xanchor="center", yanchor="top", xshift=0, yshift=-(half + 2)),
        "above": dict(xanchor="center", yanchor="bottom", xshift=0, yshift=half + 2),
        "right": dict(xanchor="left", yanchor="middle", xshift=half + 3, yshift=0),
        "left": dict(xanchor="right", yanchor="middle", xshift=-(half + 3), yshift=0),
        "inside": dict(xanchor="center", yanchor="middle", xshift=0, yshift=0),
    }[where]


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
                  height: int = 640, compact: bool = False) -> dict:
    """The convergence diagram as a Plotly figure.

    ``source`` (a tissue id) lights up its signal route(s) to the nucleus and up to the cortex
    (vermillion), and the afferent(s) whose territory the brain reads it as (blue, dashed);
    with ``animate`` a pulse travels the route when Play is pressed. Tissue markers form the
    trace named ``"sources"`` and carry their id in ``customdata`` (click to select).
    ``compact=True`` is a taller layout with a wrapped tissue grid for phone widths.

    The body writes the figure as a plain spec (lists and dicts): Plotly's property checks on
    building graph objects would cost ten times as much. Callers get a ``go.Figure`` made from
    it; ``build_diagram.spec(...)`` gives the stored spec (see :mod:`pathways.figcache`).
    """
    pos = node_positions(atlas, compact)
    nodes = drawn_nodes(atlas)
    lit = highlight(atlas, source, side, referral_index) if source else None
    text_size = 13 if compact else 12.5
    xr, yr = axis_ranges(compact)

    traces = [*_edge_traces(atlas, pos, lit, compact),
              *_marker_traces(atlas, pos, nodes, lit, source, audience, compact)]
    key, top = _key_and_message(atlas, lit, audience, compact, height, text_size)
    parts = [  # (annotations, shapes), drawn in this order
        _node_labels(atlas, pos, nodes, lit, source, audience, compact, text_size),
        ([], _nucleus_box(pos, lit, compact)),
        _modulation_box(atlas, pos, nodes, audience, compact, xr, text_size),
        _group_captions(atlas, nodes, audience, compact, yr, text_size),
        key,
        (_felt_cues(atlas, pos, lit, audience, compact, text_size) if lit else [], []),
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
        pulse, spec["frames"] = _animation(atlas, pos, lit, audience, compact, len(traces))
        traces.append(pulse)
        layout["updatemenus"] = [_play_button(layout, audience, compact)]
    return spec


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
        st = [_marker_style(atlas, n, lit, source, compact) for n in members]
        traces.append(_scatter(
            x=[pos[n][0] for n in members], y=[pos[n][1] for n in members],
            mode="markers", name="sources" if kind == "tissue" else kind,
            customdata=[[n] for n in members], showlegend=False,
            hovertext=[atlas.name(n, audience) for n in members], hoverinfo="text",
            hoverlabel={"font": {"size": 13, "family": FONT}},
            marker={"symbol": [s[0] for s in st], "color": [s[1] for s in st],
                    "size": [s[2] for s in st], "opacity": [s[5] for s in st],
                    "line": {"color": [s[3] for s in st], "width": [s[4] for s in st]}},
        ))
    return traces


def _node_labels(atlas, pos, nodes, lit, source, audience, compact: bool,
                 text_size: float) -> tuple[list[dict], list[dict]]:
    """Each node's label as an annotation with a light backing (so lines pass behind it), and
    the leader lines of the lower row of tissue labels (wide layout)."""
    annotations: list[dict] = []
    shapes: list[dict] = []
    shown = (lit["nodes"] | lit["felt_via"] | lit["felt_nodes"]) if lit else set()
    deep_labels: set[str] = set()
    if not compact:  # wide layout: tissue labels alternate between two rows, so none overlap
        tissues = sorted((n for n in nodes if atlas.nodes[n].kind == "tissue"),
                         key=lambda n: pos[n][0])
        deep_labels = {n for i, n in enumerate(tissues) if i % 2}
    for n in nodes:
        node = atlas.nodes[n]
        kind = node.kind
        text = _wrap(node.name(audience, short=True), _label_width(kind, compact))
        faded = bool(lit) and n not in shown
        colour = COLOURS["text-faded"] if faded else COLOURS["text"]
        place = _label_place(atlas, n, compact)
        inside = place["xanchor"] == "center" and place["yanchor"] == "middle"
        if compact and inside and kind != "nucleus":
            # roots and divisions: their code ("C2", "V1") inside the marker
            text = f"<b>{(node.short_term or node.term).split()[0]}</b>"
            colour = "#6E6E6E" if faded else "#000000"
        elif compact and kind == "peripheral-nerve" and (not lit or faded):
            continue  # too dense for a phone: named on hover and in the text version
        if kind == "nucleus" or n == source:
            text = f"<b>{text}</b>"
        if lit and n in lit["felt_via"] and n not in lit["nodes"]:
            colour = COLOURS["felt"]
        label = {
            "x": pos[n][0], "y": pos[n][1], "text": text, "showarrow": False,
            "align": "center" if kind in ("tissue", "nucleus") or compact else "left",
            "font": {"size": text_size + (2 if kind == "nucleus" else 0), "color": colour,
                     "family": FONT},
            "borderpad": 1, **place,
        }
        if kind == "nucleus":
            label["bgcolor"] = "#F4F4F4"
        elif not inside:  # a label inside its marker needs no backing
            label["bgcolor"] = "rgba(255,255,255,0.82)"
        if label["xanchor"] == "right":
            label["align"] = "right"
        if not compact and kind == "tissue" and pos[n][0] < 8:  # keep it inside the frame
            label.update(xanchor="left", xshift=-12, align="left")
        if n in deep_labels:  # every other tissue label one row lower, with a leader line
            label["yshift"] -= TISSUE_ROW_PX
            shapes.append({"type": "line", "x0": pos[n][0], "x1": pos[n][0],
                           "y0": pos[n][1] - 2.2, "y1": pos[n][1] - 6.6, "layer": "below",
                           "line": {"color": "#BDBDBD", "width": 1}})
        annotations.append(label)
    return annotations, shapes


def _nucleus_box(pos, lit, compact: bool) -> list[dict]:
    """The nucleus as a prominent box over the ends of the converging lines."""
    if NUCLEUS not in pos:
        return []
    hw, hh = NUCLEUS_BOX_COMPACT if compact else NUCLEUS_BOX
    x, y = pos[NUCLEUS]
    return [{"type": "rect", "x0": x - hw, "x1": x + hw, "y0": y - hh, "y1": y + hh,
             "layer": "above", "fillcolor": "#F4F4F4",
             "line": {"color": COLOURS["route"] if lit else COLOURS["central"],
                      "width": 3.5 if lit else 2.5}}]


def _modulation_box(atlas, pos, nodes, audience, compact: bool, xr,
                    text_size: float) -> tuple[list[dict], list[dict]]:
    """A dotted box round the descending-control centres, and its caption."""
    mods = [n for n in nodes if atlas.nodes[n].kind == "modulatory-centre"]
    if not mods:
        return [], []
    mx = [pos[n][0] for n in mods]
    my = [pos[n][1] for n in mods]
    x0, x1 = max(min(mx) - 5, xr[0] + 0.5), min(max(mx) + (15 if not compact else 20), 45)
    y0, y1 = min(my) - 6, max(my) + 8
    box = {"type": "rect", "x0": x0, "x1": x1, "y0": y0, "y1": y1,
           "line": {"color": COLOURS["modulation"], "width": 1.2, "dash": "dot"},
           "fillcolor": "rgba(204,121,167,0.06)", "layer": "below"}
    caption = "Brain's pain control (descending)" if audience == "patient" else "Descending control"
    label = {"x": x0 + 1, "y": y0 if compact else y1, "xanchor": "left", "yanchor": "top",
             "showarrow": False, "align": "left",
             "text": f"<i>{_wrap(caption, 14) if compact else caption}</i>",
             "font": {"size": text_size, "color": "#8E4A6E", "family": FONT}}
    return [label], [box]


def _group_captions(atlas, nodes, audience, compact: bool, yr,
                    text_size: float) -> tuple[list[dict], list[dict]]:
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
        annotations.append({"x": (lo + hi) / 2, "y": cap_y, "yanchor": "bottom",
                            "showarrow": False, "text": f"<b>{captions[g]}</b>",
                            "font": {"size": text_size, "color": COLOURS[g], "family": FONT}})
        shapes.append({"type": "line", "x0": lo - 1.5, "x1": hi + 1.5, "y0": cap_y + 0.2,
                       "y1": cap_y + 0.2, "line": {"color": COLOURS[g], "width": 2}})
    return annotations, shapes


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


def _key_and_message(atlas, lit, audience, compact: bool, height: int,
                     text_size: float) -> tuple[tuple[list[dict], list[dict]], int]:
    """The key and the "felt in" box (or, with nothing lit, an invitation to pick a source),
    and the height in pixels of the band above the drawing that holds them.

    Wide layout: they sit in that band, so they never cover a label (the box on the left, the
    key on the right). Compact layout: the box, then the key under it, at the top left. The
    drawing keeps ``height`` pixels; the band grows with the text."""
    items = _key_items(lit, audience, compact)
    message = (_felt_text(atlas, lit["regions"], audience) if lit else
               "<i>" + ("Tap a square (a body part at the bottom) to light up its route"
                        if audience == "patient"
                        else "Select a source structure (squares) to trace it") + "</i>")
    message = _wrap(message, 30 if compact else 64)
    box_h = (message.count("<br>") + 1) * 19 + 18
    key_h = len(items) * 19 + 8
    if compact:
        top = box_h + key_h
        lx, ly = 0.02, 1 + (key_h - 14) / height
    else:
        top = max(key_h + 2, box_h)
        lx, ly = 0.6, 1 + (top - 12) / height
    dy = 19 / height
    annotations, shapes = [], []
    for i, (colour, dash, width, label) in enumerate(items):
        y = ly - i * dy
        shapes.append({"type": "line", "xref": "paper", "yref": "paper", "x0": lx,
                       "x1": lx + (0.035 if not compact else 0.09), "y0": y, "y1": y,
                       "line": {"color": colour, "dash": dash, "width": width}})
        annotations.append({"xref": "paper", "yref": "paper",
                            "x": lx + (0.042 if not compact else 0.1), "y": y,
                            "xanchor": "left", "yanchor": "middle", "showarrow": False,
                            "text": label, "font": {"size": text_size - 0.5,
                                                    "color": COLOURS["text"], "family": FONT}})
    box = {"xref": "paper", "yref": "paper", "x": 0.0, "y": 1 + (top - 3) / height,
           "xanchor": "left", "yanchor": "top", "showarrow": False, "align": "left",
           "text": message}
    if lit:
        box.update(font={"size": text_size + 1, "color": COLOURS["text"], "family": FONT},
                   bgcolor="rgba(255,255,255,0.9)", bordercolor=COLOURS["route"],
                   borderwidth=1.5, borderpad=5)
    else:  # unframed, where the "felt in" box will be
        box.update(font={"size": text_size + 1, "color": "#555555", "family": FONT},
                   borderpad=5)
    annotations.append(box)
    return (annotations, shapes), top


def _felt_cues(atlas, pos, lit, audience, compact: bool, text_size: float) -> list[dict]:
    """The "read as" arrow to each afferent that is felt through but not on the route."""
    route_nodes = set().union(*map(set, lit["routes"])) if lit["routes"] else set()
    cues = []
    for v in sorted(lit["felt_via"] - route_nodes):
        cue = ("the brain reads it as<br>coming from here" if audience == "patient"
               else f"read as {atlas.name(v, audience, short=True).split()[0]} territory")
        cues.append({
            "x": pos[v][0], "y": pos[v][1], "ax": 0, "ay": -44 if not compact else -38,
            "xanchor": "center", "yanchor": "bottom", "showarrow": True, "arrowhead": 2,
            "arrowsize": 1, "arrowwidth": 1.6, "arrowcolor": COLOURS["felt"], "standoff": 17,
            "text": f"<i>{cue}</i>",
            "font": {"size": text_size - 0.5, "color": COLOURS["felt"], "family": FONT},
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


def _animation(atlas, pos, lit, audience, compact: bool,
               pulse_index: int) -> tuple[dict, list[dict]]:
    """The (empty) pulse trace, and the frames that move it along the route to the nucleus,
    then up to the cortex; the last frame says where it is felt. Only the pulse changes
    between frames."""
    marker = {"size": 18 if not compact else 15, "color": COLOURS["route"], "symbol": "circle",
              "line": {"color": "white", "width": 2.5}}
    pulse = _scatter(x=[], y=[], mode="markers+text", name="pulse", hoverinfo="skip",
                     showlegend=False, marker=marker, cliponaxis=False)
    points = _pulse_points(atlas, pos, lit)
    frames = [{"name": f"f{i}", "traces": [pulse_index],
               "data": [_scatter(x=[p[0] for p in pts], y=[p[1] for p in pts],
                                 text=[""] * len(pts))]}
              for i, pts in enumerate(points)]
    last = points[-1]
    felt = _wrap(_felt_text(atlas, lit["regions"], audience), 34)
    frames.append({"name": "felt", "traces": [pulse_index], "data": [_scatter(
        x=[p[0] for p in last], y=[p[1] for p in last],
        text=[""] * (len(last) - 1) + [felt], textposition="middle right",
        textfont={"size": 13, "color": COLOURS["route"], "family": FONT})]})
    return pulse, frames


def _play_button(layout: dict, audience, compact: bool) -> dict:
    """The Play menu. Wide: top right of the drawing; compact: top right, level with the top
    of the (narrower) "felt in" box."""
    play = {"label": "▶ Play signal" if audience == "patient" else "▶ Animate",
            "method": "animate",
            "args": [None, {"frame": {"duration": 420, "redraw": False}, "fromcurrent": False,
                            "transition": {"duration": 380, "easing": "linear"},
                            "mode": "immediate"}]}
    margin = layout["margin"]
    plot_h = layout["height"] - margin["t"] - margin["b"]
    return {"type": "buttons", "showactive": False, "x": 0.75 if not compact else 1.0,
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
            regs = [(r, s, st) for r, s, st in lit["regions"]
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
