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
    _wrap_markup,
)
from .route import _felt_text, highlight
from .style import COLOURS, FONT, _marker_style
from .traces import _edge_traces, _marker_traces


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
