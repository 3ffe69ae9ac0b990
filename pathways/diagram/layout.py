"""The convergence diagram's hand layout: fixed axis ranges, node positions (hand-placed by id,
else by their kind's band and their group's side), the side each label prefers, and the compact
(phone) layout with its wrapped tissue grid; also which nodes and edges the diagram draws.

Only the layout lives here; every node, edge, name and path comes from the atlas.
"""

from __future__ import annotations

import functools

from ..vocabulary import AFFERENT, NUCLEUS

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
