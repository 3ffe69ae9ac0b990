"""The convergence diagram as a Plotly figure spec: the traces, the placed labels, the key (and
the phone layout's nerve key) and the "felt in" box in the band above the drawing, and the Play
animation, put together by :func:`build_diagram` (kept by :mod:`pathways.figcache`)."""

from __future__ import annotations

from .. import labels
from ..figcache import memoized_figure
from .animation import PLAY_X, _animation, _button_size, _play_button, _play_label
from .layout import axis_ranges, drawn_nodes, node_positions
from .placement import (
    DESIGN_WIDTH,
    _felt_cues,
    _Frame,
    _group_captions,
    _modulation_box,
    _nerve_numbers,
    _node_labels,
    _nucleus_box,
    _paper_cues,
    _wrap_markup,
)
from .route import _felt_text, highlight
from .style import COLOURS, FONT, _marker_style
from .traces import _edge_traces, _marker_traces

#: What ``build_diagram(labels=...)`` may name: every node, or the route only (for paper).
LABELS = ("all", "route")
#: With ``labels="route"``, the text scale falls back in steps this small until every label
#: finds a free place.
ROUTE_SCALE_STEP = 0.05
#: With ``labels="route"``, how many times labels that found no free place are placed again,
#: first (there are few labels, so this is cheap).
ROUTE_RETRIES = 3
#: With ``labels="route"`` and nothing lit, the kinds named besides the way up: the inputs
#: that converge (their tissues and nerves are named by their groups).
CONVERGENCE_KINDS = ("spinal-root", "trigeminal-division")


def _named(atlas, nodes, lit) -> set[str]:
    """The nodes a route-only diagram names: the lit route and the afferents it is felt
    through; with nothing lit, the roots, the divisions and the way up from the nucleus."""
    if lit:
        return lit["nodes"] | lit["felt_via"] | lit["felt_nodes"]
    return ({n for n in nodes if atlas.nodes[n].kind in CONVERGENCE_KINDS}
            | set(atlas.ascending()))


@memoized_figure()
def build_diagram(atlas, *, audience: str = "patient", source: str | None = None,
                  side: str = "right", referral_index: int | None = None, animate: bool = True,
                  height: int = 640, compact: bool = False, label_scale: float = 1.0,
                  labels: str = "all") -> dict:
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

    ``labels`` says which nodes are named: ``"all"`` (the screen's diagram) or ``"route"``, for
    paper, where the words beside the picture explain it: only the lit route and the afferents
    it is felt through are named (the other nodes stay, faint and unnamed), or, with nothing
    lit, the convergence itself (the roots, the divisions and the way up from the nucleus; the
    tissues and nerves are named by their groups' captions). Labels keep off the lit lines
    where they can; the "read as" words are a line of the afferent's label (no arrow); there
    is no descending-control box (the key names its dashed lines), no on-screen invitation,
    and the key ends inside the picture. The text scale falls back from ``label_scale`` in
    small steps (:data:`ROUTE_SCALE_STEP`); the handout enlarges the text by the scale used
    (:mod:`pathways.handout.pictures`).

    The body writes the figure as a plain spec (lists and dicts): Plotly's property checks on
    building graph objects would cost ten times as much. Callers get a ``go.Figure`` made from
    it; ``build_diagram.spec(...)`` gives the stored spec (see :mod:`pathways.figcache`).
    """
    if labels not in LABELS:
        raise ValueError(f"labels must be one of {LABELS}, not {labels!r}")
    pos = node_positions(atlas, compact)
    nodes = drawn_nodes(atlas)
    lit = highlight(atlas, source, side, referral_index) if source else None
    route = labels == "route"
    if route:
        steps = int((label_scale - 1.0) / ROUTE_SCALE_STEP + 1e-9)
        scales = [label_scale] + [round(label_scale - i * ROUTE_SCALE_STEP, 3)
                                  for i in range(1, steps + 1)]
    else:
        scales = [label_scale] + [s for s in (1.15, 1.05, 1.0) if s < label_scale]
    for scale in scales:
        spec, collisions = _draw(atlas, pos, nodes, lit, source, audience, compact, height,
                                 animate, scale, route)
        if not collisions:
            break
    spec["layout"]["meta"] = {"text_scale": scale, "collisions": collisions}
    return spec


def _draw(atlas, pos, nodes, lit, source, audience, compact: bool, height: int, animate: bool,
          scale: float, route: bool = False) -> tuple[dict, int]:
    """The figure with its labels placed for text ``scale`` times larger, and the number of
    labels that found no free place (``route``: only the route is named, see
    :func:`build_diagram`)."""
    text_size = 13 if compact else 12.5
    xr, yr = axis_ranges(compact)
    frame = _Frame(compact, height, scale)
    traces = [*_edge_traces(atlas, pos, lit, compact),
              *_marker_traces(atlas, pos, nodes, lit, source, audience, compact)]
    reach = {}  # how far round each marker its labels sit (px)
    for n in nodes:
        style = _marker_style(atlas, n, lit, source, compact)
        frame.block_marker(*pos[n], style[2] + style[4])
        reach[n] = (style[2] + style[4]) / 2 + 4
    if route and lit:  # on paper labels keep off the lit lines where they can
        for a, b in sorted(lit["edges"] | lit["felt_edges"]):
            frame.avoid_line(pos[a], pos[b], 5.0, (reach[a], reach[b]))
    play = _play_label(audience)
    key, top = _key_and_message(atlas, lit, audience, compact, height, text_size, scale,
                                play if lit and animate else None, pos, nodes, route)
    if lit and animate and not compact:  # the Play button sits in the drawing's top right
        bw, bh = _button_size(play, scale)
        x0 = PLAY_X * frame.width
        frame.placer.block((x0, 0.005 * frame.height, x0 + bw, 0.005 * frame.height + bh))
    # paper: only the route named, the "read as" words in a label, more tries to fit them
    only = ({"named": _named(atlas, nodes, lit), "retries": ROUTE_RETRIES,
             "notes": _paper_cues(atlas, lit, audience)} if route else {})
    parts = [  # (annotations, shapes), drawn in this order
        _group_captions(atlas, nodes, audience, compact, yr, text_size, frame, route),
        _nucleus_box(atlas, pos, lit, audience, compact, text_size, frame, route),
        (_modulation_box(atlas, pos, nodes, lit, audience, compact, xr, text_size, frame)
         if not route else ([], [])),
        _node_labels(atlas, pos, nodes, lit, source, audience, compact, text_size, frame,
                     **only),
        key,
        (_felt_cues(atlas, pos, lit, audience, compact, text_size, frame)
         if lit and not route else [], []),
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


#: Where the key starts (wide layout; a fraction of the width).
KEY_X = 0.6


def _key_and_message(atlas, lit, audience, compact: bool, height: int, text_size: float,
                     scale: float, play: str | None, pos=None, nodes=(),
                     route: bool = False) -> tuple[tuple[list[dict], list[dict]], int]:
    """The key and the "felt in" box (or, with nothing lit, an invitation to pick a source),
    and the height in pixels of the band above the drawing that holds them.

    Wide layout: they sit in that band, so they never cover a label (the box on the left, the
    key on the right). Compact layout: the box, then the key under it, at the top left (the
    box leaves room for the Play button beside it). The drawing keeps ``height`` pixels; the
    band grows with the text, which is wrapped to the width it has (measured).

    ``route`` (paper): no invitation when nothing is lit, and the key starts as far left as
    its longest line needs to end inside the picture (measured), the box taking the rest."""
    width = DESIGN_WIDTH[compact]
    items = _key_items(lit, audience, compact)
    message = (_felt_text(atlas, lit["regions"], audience) if lit else "" if route else
               "<i>" + ("Tap a square (a body part at the bottom) to light up its route"
                        if audience == "patient"
                        else "Select a source structure (squares) to trace it") + "</i>")
    size = text_size + 1
    key_x = KEY_X
    if route and not compact:
        widest = max(labels.text_width(label, (text_size - 0.5) * scale)
                     for *_, label in items)
        key_x = min(KEY_X, (width - widest - 4) / width - 0.042)
    room = (width - (_button_size(play, scale)[0] + 12 if play else 0) if compact
            else key_x * width - 14) - 14 * scale
    message = _wrap_markup(message, size * scale, room)
    line = 19 * scale
    shown = bool(message) or not route  # (the screen keeps an empty box's place)
    box_h = labels.text_box(message, size * scale)[1] + 16 * scale if shown else 0.0
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
        lx, ly = key_x, 1 + (top - 12 * scale) / height
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
    if shown:
        annotations.append(box)
    return (annotations, shapes), top
