"""The convergence diagram's look: the colour-blind-safe palette, each kind's marker symbol and
size, the font, and each node's marker style (on the route, felt, faded)."""

from __future__ import annotations

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
