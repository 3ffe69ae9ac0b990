"""The convergence diagram: a layered, anatomical schematic of the pain pathways, drawn from
the atlas graph.

Bottom to top: tissues (upper-neck tissues on the left, trigeminal tissues on the right),
peripheral nerves, the C1–C3 roots (left) and the V1–V3 divisions → trigeminal ganglion →
spinal trigeminal tract (right), all converging on the trigeminocervical nucleus (centre), then
the way up (trigeminothalamic tract → thalamus → cortex). Descending control (PAG → RVM →
nucleus) is drawn dashed, to one side. Body regions are not drawn (the head map shows them).

Only the *layout* is written here (a table of positions keyed by node id, and bands keyed by
node kind so that new atlas nodes still get a sensible place); every node, edge, name and path
comes from the atlas. No Streamlit: the figure is a plain Plotly figure.

* :mod:`.layout`: the hand layout (axis ranges, node positions, label sides, the compact
  layout for phones) and which nodes and edges are drawn;
* :mod:`.style`: colours, marker symbols and sizes, the font;
* :mod:`.route`: what a chosen source lights up, and the "felt in" words;
* :mod:`.placement`: where the labels go, measured (text measurement is :mod:`pathways.labels`);
* :mod:`.traces`, :mod:`.animation`, :mod:`.figure`: the Plotly spec (edges and markers; the
  Play button and pulse; the key, the "felt in" box and the whole figure);
* :mod:`.description`: the diagram in words.

>>> from pathways import load_atlas
>>> atlas = load_atlas()
>>> fig = build_diagram(atlas, source="c2-c3-facet-joint")
>>> [t.name for t in fig.data if t.name == "sources"]
['sources']
>>> sorted(highlight(atlas, "c2-c3-facet-joint")["felt_via"])
['ophthalmic-nerve', 'third-occipital-nerve']
"""

from .description import text_equivalent
from .figure import KEY_X, build_diagram  # noqa: F401
from .layout import axis_ranges, drawn_edges, drawn_nodes, node_positions  # noqa: F401
from .placement import DESIGN_WIDTH  # noqa: F401
from .route import highlight
from .style import COLOURS, SYMBOLS

__all__ = [
    "build_diagram",
    "highlight",
    "node_positions",
    "axis_ranges",
    "text_equivalent",
    "COLOURS",
    "SYMBOLS",
]
