"""Step figures: each lesson step's real figure, its caption, its text and its sources.

Each step names a real figure builder and its arguments; :func:`step_spec` draws it from the
atlas as a plain spec (:func:`step_figure`: as a ``go.Figure``), so a lesson slide is the same
diagram as the explorer pages, never a screenshot, with the step's part highlighted (a halo
and a "Look at" key). :func:`projector_spec` enlarges its text for a projector.
:func:`figure_caption`, :func:`figure_text` and :func:`citation_text` say the figure in words;
:func:`step_slide` makes it a 16:9 slide with :mod:`pathways.slides`.

>>> from pathways import load_atlas
>>> from pathways.lesson import load_lesson
>>> step_figure(load_atlas(), load_lesson().step("neck-to-head"), "clinician").layout.height > 0
True

The figures are changed as plain specs (dicts in the shape of ``Figure.to_dict()``): Plotly
checks every property of a ``go.Figure`` it touches, tens of milliseconds per slide. The
builders' stored specs are shared (see :mod:`pathways.figcache`), so everything here copies
before it changes anything.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence

import plotly.graph_objects as go

from .. import diagram, headmap, labels, sensitization
from ..figcache import figure_from_spec
from ..guidance import load_guidance
from ..slides import slide_figure, slide_height
from .content import FigureSpec, Step

__all__ = [
    "PROJECTOR_TEXT",
    "TEXT_FACTOR",
    "PAGE_HEIGHT",
    "page_height",
    "page_spec",
    "warm_step_figures",
    "EMPHASIS_FILL",
    "EMPHASIS_RING",
    "step_spec",
    "step_figure",
    "projector_spec",
    "projector_figure",
    "figure_caption",
    "figure_text",
    "citation_text",
    "slide_base",
    "step_slide",
]

#: kind (the diagram's labels sit close together, so it grows least; ``None``: other kinds).
PROJECTOR_TEXT = {"diagram": 1.25, "headmap": 1.6, None: 1.35}
#: How much larger the lesson page draws a figure's text, by layout ("wide" or "compact"), text
#: size ("large" or "standard") and figure kind.
TEXT_FACTOR = {("wide", "large"): PROJECTOR_TEXT,
               ("wide", "standard"): {"diagram": 1.0, "headmap": 1.2, None: 1.1},
               ("compact", "large"): {"diagram": 1.1, "headmap": 1.2, None: 1.1},
               ("compact", "standard"): {"diagram": 1.0, "headmap": 1.0, None: 1.0}}
#: How tall the lesson page draws a step's figure, in pixels, by figure kind (``None``: the
#: sensitisation charts) and layout ("wide" or "compact": a narrow screen stacks the figure
#: under the text, so a diagram gets more height there and a head map less).
PAGE_HEIGHT = {("diagram", "wide"): 600, ("diagram", "compact"): 900,
               ("headmap", "wide"): 680, ("headmap", "compact"): 520,
               (None, "wide"): 620, (None, "compact"): 480}
#: The emphasis halo on the diagram (Okabe–Ito yellow, with a dark ring as the second cue).
EMPHASIS_FILL = "rgba(240,228,66,0.55)"
EMPHASIS_RING = "#7A6A00"


def _copy(value):
    """A deep copy of plain JSON-like data (tuples become lists); a few times faster than
    ``copy.deepcopy`` on a figure spec.

    >>> spec = {"data": [{"x": (1, 2)}]}
    >>> copied = _copy(spec); copied["data"][0]["x"].append(3); spec, copied
    ({'data': [{'x': (1, 2)}]}, {'data': [{'x': [1, 2, 3]}]})
    """
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_copy(v) for v in value]
    return value


def _states(atlas, source: str | None, side: str) -> dict:
    return headmap.region_states(atlas.referral(source, side) if source else ())


def _overlay_labels(atlas, audience: str) -> dict:
    return {o: atlas.name(o, audience, short=True) for o in headmap.OVERLAY_IDS if o in atlas.nodes}


def _is_invitation(annotation: dict) -> bool:
    """The diagram's "tap a square" invitation (top left, italic, unframed): not for a slide,
    where nothing can be tapped."""
    return (annotation.get("xref") == "paper" and annotation.get("yref") == "paper"
            and annotation.get("x") == 0 and annotation.get("bordercolor") is None
            and not annotation.get("showarrow")
            and (annotation.get("text") or "").startswith("<i>"))


def _emphasise(spec: dict, atlas, nodes: Sequence[str], audience: str, compact: bool,
               place: dict) -> None:
    """Add to ``spec`` a highlighter halo (yellow, with a dark ring) behind ``nodes``, and a
    "Look at" key at ``place`` (where the diagram's invitation was)."""
    pos = diagram.node_positions(atlas, compact)
    big = {"nucleus": 96, "spinal-root": 66, "trigeminal-division": 66, "modulatory-centre": 46}
    halo = {
        "type": "scatter", "x": [pos[n][0] for n in nodes], "y": [pos[n][1] for n in nodes],
        "mode": "markers", "name": "emphasis", "hoverinfo": "skip", "showlegend": False,
        "cliponaxis": False,
        "marker": {"size": [big.get(atlas.nodes[n].kind, 56) for n in nodes],
                   "color": EMPHASIS_FILL, "line": {"color": EMPHASIS_RING, "width": 2.5},
                   "symbol": "circle"}}
    spec["data"].insert(0, halo)  # drawn first, so it sits behind the nodes
    for frame in spec.get("frames", ()):
        if "traces" in frame:  # the animated traces moved up by one
            frame["traces"] = [t + 1 for t in frame["traces"]]
    names = ", ".join(atlas.name(n, audience, short=True) for n in nodes)
    # the size and width of the invitation it replaces, at the text size the labels allow
    size = 14.0 if compact else 13.5
    scale = ((spec["layout"].get("meta") or {}).get("text_scale") or 1.0)
    width = diagram.DESIGN_WIDTH[compact]
    room = (width - 20 if compact else diagram.KEY_X * width - 28) - 10 * scale
    spec["layout"].setdefault("annotations", []).append({
        "xref": "paper", "yref": "paper", "x": 0.0, "xanchor": "left", "showarrow": False, **place,
        "align": "left",
        "text": labels.wrap(("Look at: " if audience == "patient" else "Highlighted: ") + names,
                            size * scale, room),
        "font": {"size": size, "color": "#1A1A1A"}, "bgcolor": EMPHASIS_FILL,
        "bordercolor": EMPHASIS_RING, "borderwidth": 1.5, "borderpad": 5})


def _diagram_spec(atlas, figure: FigureSpec, audience: str, compact: bool, animate: bool,
                  height: int | None) -> dict:
    want = height or (900 if compact else 640)

    def draw(h: int) -> dict:  # labels placed for the projector's larger text, where it fits
        return diagram.build_diagram.spec(atlas, audience=audience, source=figure.source,
                                          side=figure.side, height=h, compact=compact,
                                          animate=animate,
                                          label_scale=PROJECTOR_TEXT["diagram"])

    stored = draw(want)
    drawn = stored["layout"].get("height")
    if drawn and drawn > want:  # its bands come on top: ask for less, as long as the labels
        # still all find a free place (a shorter drawing has less room between its rows)
        for shorter in range(max(200, 2 * want - drawn), want, 20):
            candidate = draw(shorter)
            if not candidate["layout"]["meta"]["collisions"]:
                stored = candidate
                break
    spec = _copy(stored)
    place = {"y": 1.0, "yanchor": "top"}
    if not figure.source:
        annotations = spec["layout"].get("annotations", [])
        hints = [a for a in annotations if _is_invitation(a)]
        if hints:
            place = {"y": hints[0].get("y"), "yanchor": hints[0].get("yanchor") or "top"}
        spec["layout"]["annotations"] = [a for a in annotations if not _is_invitation(a)]
    if figure.emphasis:
        _emphasise(spec, atlas, figure.emphasis, audience, compact, place)
    return spec


def _strength_key(atlas, figure: FigureSpec, audience: str, states: dict,
                  scale: float) -> dict | None:
    """A key to the strengths the head map shows (fill and marker shape, not colour alone), or
    ``None`` when none of them is in view."""
    words = load_guidance().strength_word
    fill = "Striped" if audience == "patient" else "Hatched"
    key = [f"Solid, round marker: {words('typical', audience)}",
           f"{fill}, diamond marker: {words('possible', audience)}"]
    visible = set(headmap.regions_in_view(figure.view))
    present = {v for k, v in states.items() if k in visible}
    lines = [k for k, strength in zip(key, ("typical", "possible")) if strength in present]
    if not lines:
        return None
    # broken to fit the narrowest drawing at the text size the projector may enlarge it to
    size = 14 * scale
    room = headmap.DESIGN_WIDTH - 2 * 6 - 8
    text = "<br>".join(labels.wrap(line, size, room) for line in lines)
    return {"xref": "paper", "yref": "paper", "x": 0, "y": 0, "xanchor": "left",
            "yanchor": "bottom", "showarrow": False, "align": "left", "text": text,
            "font": {"size": 14, "color": "#1A1A1A"}, "bgcolor": "rgba(255,255,255,0.9)",
            "bordercolor": "#8F827A", "borderwidth": 1, "borderpad": 5}


def _headmap_spec(atlas, figure: FigureSpec, audience: str, height: int | None) -> dict:
    regions = atlas.ids("body-region")
    states = _states(atlas, figure.source, figure.side)
    spec = _copy(headmap.build_head_map.spec(
        figure.view, states=states, overlay=figure.overlay,
        region_labels={r: atlas.name(r, audience, short=True) for r in regions},
        overlay_labels=_overlay_labels(atlas, audience), height=height or 560,
        label_scale=PROJECTOR_TEXT["headmap"]))
    scale = spec["layout"]["meta"]["text_scale"]  # what the projector may enlarge it to
    key = _strength_key(atlas, figure, audience, states, scale) if states else None
    if key:
        spec["layout"].setdefault("annotations", []).append(key)
    return spec


def _sensitisation_spec(figure: FigureSpec, audience: str, compact: bool,
                        height: int | None) -> dict:
    # laid out for the largest text the lesson draws it at, on its narrowest chart, at the
    # height asked for (taller where its text needs it)
    layout = "compact" if compact else "wide"
    scale = max(TEXT_FACTOR[layout, text][None] for text in ("large", "standard"))
    width = sensitization.DESIGN_WIDTH if compact else 560  # the narrowest lesson chart
    options = {"label_scale": scale, "width": width, "height": height}
    if figure.kind == "stimulus-response":
        stored = sensitization.stimulus_response_figure.spec(figure.level, figure.modulation,
                                                             audience, **options)
    else:
        stored = sensitization.windup_figure.spec(figure.level, figure.modulation,
                                                  figure.rate_hz, audience, **options)
    return _copy(stored)


def step_spec(atlas, step: Step, audience: str, *, compact: bool = False, animate: bool = True,
              height: int | None = None) -> dict | None:
    """The step's figure as a new plain spec (``Figure.to_dict()`` shape) that the caller owns:
    drawn by the real builder, with the step's part highlighted (``None`` for a text-only step),
    ``height`` pixels tall in all. ``animate`` keeps the diagram's Play button (a browser-side
    animation).

    >>> from pathways import load_atlas
    >>> from pathways.lesson import load_lesson
    >>> spec = step_spec(load_atlas(), load_lesson().step("meeting-point"), "patient", height=600)
    >>> spec["data"][0]["name"], spec["layout"]["height"]
    ('emphasis', 600)
    """
    figure = step.figure
    if figure is None:
        return None
    if figure.kind == "diagram":
        return _diagram_spec(atlas, figure, audience, compact, animate, height)
    if figure.kind == "headmap":
        return _headmap_spec(atlas, figure, audience, height)
    return _sensitisation_spec(figure, audience, compact, height)


def page_height(step: Step, compact: bool) -> int:
    """:data:`PAGE_HEIGHT` for the step's figure in a layout.

    >>> from pathways.lesson import load_lesson
    >>> page_height(load_lesson().step("meeting-point"), compact=False)
    600
    """
    kind = step.figure.kind if step.figure else None
    return PAGE_HEIGHT.get((kind, "compact" if compact else "wide"),
                           PAGE_HEIGHT[None, "compact" if compact else "wide"])


@functools.lru_cache(maxsize=144)
def page_spec(atlas, step: Step, audience: str, compact: bool, text: str) -> dict | None:
    """The step's figure as the lesson page shows it: :func:`step_spec` at
    :func:`page_height`, its text enlarged by :data:`TEXT_FACTOR` for the layout and the text
    size ("large" or "standard"); ``None`` for a text-only step. Kept once made, and shared:
    read it, never change it.

    >>> from pathways import load_atlas
    >>> from pathways.lesson import load_lesson
    >>> step = load_lesson().step("meeting-point")
    >>> spec = page_spec(load_atlas(), step, "patient", False, "large")
    >>> spec["layout"]["height"], spec is page_spec(load_atlas(), step, "patient", False, "large")
    (600, True)
    """
    spec = _page_step_spec(atlas, step, audience, compact)
    if spec is None:
        return None
    factors = TEXT_FACTOR["compact" if compact else "wide", text]
    return projector_spec(spec, factors.get(step.figure.kind, factors[None]))  # a new copy


@functools.lru_cache(maxsize=72)  # every step, in three audiences and two layouts
def _page_step_spec(atlas, step: Step, audience: str, compact: bool) -> dict | None:
    # Kept apart from the text size: the other text size is then a copy (about a millisecond),
    # not a new drawing (a diagram step may draw several heights to fit its labels).
    return step_spec(atlas, step, audience, compact=compact, height=page_height(step, compact))


def warm_step_figures(atlas, steps, audiences, layouts=(False, True)) -> int:
    """Draw each step's figure once for every audience and layout (``compact`` flags) as the
    lesson page shows it (:func:`page_spec`, in large text; standard text is then a copy). The
    first class to reach a step then waits about a millisecond instead of up to a second.
    Returns how many figures were drawn.

    >>> from pathways import load_atlas
    >>> from pathways.lesson import load_lesson
    >>> warm_step_figures(load_atlas(), load_lesson().steps[:2], ["patient"], layouts=(False,))
    2
    """
    drawn = 0
    for audience in audiences:
        for compact in layouts:
            for step in steps:
                drawn += page_spec(atlas, step, audience, compact, "large") is not None
    return drawn


def step_figure(atlas, step: Step, audience: str, *, compact: bool = False, animate: bool = True,
                height: int | None = None) -> go.Figure | None:
    """:func:`step_spec` as a ``go.Figure`` (``None`` for a text-only step).

    >>> from pathways import load_atlas
    >>> from pathways.lesson import load_lesson
    >>> fig = step_figure(load_atlas(), load_lesson().step("meeting-point"), "patient")
    >>> [t.name for t in fig.data][0]
    'emphasis'
    """
    spec = step_spec(atlas, step, audience, compact=compact, animate=animate, height=height)
    return None if spec is None else figure_from_spec(spec)


def _scaled(size, factor: float):
    """A font size, or a list of them, times ``factor`` (to 0.1 px)."""
    if isinstance(size, (list, tuple)):
        return [round(s * factor, 1) for s in size]
    return round(size * factor, 1)


def _font(item: dict) -> dict:
    """``item``'s font dict, added if it has none."""
    if not isinstance(item.get("font"), dict):
        item["font"] = {}
    return item["font"]


def _enlarge(font: dict | None, factor: float) -> None:
    """Scale ``font``'s size where it has one (a font without one follows the layout's font,
    which is enlarged already)."""
    if font and font.get("size"):
        font["size"] = _scaled(font["size"], factor)


def _enlarge_or_set(item: dict, factor: float, default: float) -> None:
    """Scale ``item``'s font size, taking ``default`` where it has none: annotations and
    buttons keep their size relative to the layout's font."""
    font = _font(item)
    font["size"] = round((font.get("size") or default) * factor, 1)


def _axis_title(axis: dict) -> dict | None:
    title = axis.get("title")
    return title if isinstance(title, dict) else None  # a bare string has no font of its own


def projector_spec(spec: dict, factor: float = 1.35) -> dict:
    """A copy of ``spec`` with every text larger by ``factor``, for a projector at the back of a
    room. Marker sizes are kept (the layout is unchanged); ``spec`` is left alone. A figure
    whose labels were placed for larger text says how much larger in ``layout.meta.text_scale``
    (the convergence diagram does): its text grows no further than that, so large text is used
    only where it fits.

    >>> spec = {"layout": {"font": {"size": 10}, "annotations": [{"text": "a"}]}}
    >>> big = projector_spec(spec, 1.5)
    >>> big["layout"]["font"]["size"], big["layout"]["annotations"][0]["font"]["size"]
    (15.0, 15.0)
    >>> spec["layout"]["annotations"][0]
    {'text': 'a'}
    """
    out = _copy(spec)
    layout = out.setdefault("layout", {})
    fits = (layout.get("meta") or {}).get("text_scale") if isinstance(layout.get("meta"),
                                                                      dict) else None
    if fits:  # the figure's labels were placed for text this much larger, and no more
        factor = min(factor, fits)
    font = _font(layout)
    base = font.get("size") or 12  # Plotly's default
    font["size"] = round(base * factor, 1)
    for annotation in layout.get("annotations") or ():
        _enlarge_or_set(annotation, factor, base)
    if isinstance(layout.get("title"), str):
        layout["title"] = {"text": layout["title"]}
    if (layout.get("title") or {}).get("text"):
        _enlarge_or_set(layout["title"], factor, base * 1.2)
    legend = layout.get("legend") or {}
    _enlarge(legend.get("font"), factor)
    margin = layout.get("margin") or {}
    if legend.get("y") is not None and legend["y"] < 0 and margin.get("b"):
        # a key below the plot moves down, clear of the larger axis text
        margin["b"] = round(margin["b"] * factor)
        legend["y"] = round(legend["y"] * factor * 1.1, 3)
    for name in ("xaxis", "yaxis"):
        axis = layout.get(name) or {}
        _enlarge((_axis_title(axis) or {}).get("font"), factor)
        _enlarge(axis.get("tickfont"), factor)
    for trace in out.get("data") or ():
        _enlarge(trace.get("textfont"), factor)
    for menu in layout.get("updatemenus") or ():
        _enlarge_or_set(menu, factor, base)
    for frame in out.get("frames") or ():
        for trace in frame.get("data") or ():
            _enlarge(trace.get("textfont"), factor)
    return out


def projector_figure(fig: go.Figure, factor: float = 1.35) -> go.Figure:
    """:func:`projector_spec` for a ``go.Figure``: a copy of ``fig`` with every text larger by
    ``factor``.

    >>> f = go.Figure(layout=dict(font=dict(size=10)))
    >>> projector_figure(f, 1.5).layout.font.size
    15.0
    """
    return figure_from_spec(projector_spec(fig.to_dict(), factor))


def figure_caption(atlas, step: Step, audience: str) -> str:
    """A one-sentence caption for the step's figure, in the audience's words.

    >>> from pathways import load_atlas
    >>> from pathways.lesson import load_lesson
    >>> figure_caption(load_atlas(), load_lesson().step("neck-to-head"), "patient")
    'From a neck joint to the head. The signal route from the small joint between the 2nd and 3rd neck bones (left side) to the brain.'
    """
    title = step.title.get(audience).rstrip(".")
    spec = step.figure
    patient = audience == "patient"
    if spec is None:
        return f"{title}."
    if spec.kind == "diagram":
        if spec.source:
            what = (f"The signal route from the {_lower(atlas.name(spec.source, audience))} "
                    f"({spec.side} side) to the brain" if patient else
                    f"Convergence pathway from the {atlas.name(spec.source, audience)} ({spec.side})")
        else:
            what = ("The pain pathways of the upper neck and the face nerve" if patient else
                    "Convergence of C1–C3 and trigeminal afferents, and the ascending projection")
    elif spec.kind == "headmap":
        view = {"front": "front", "back": "back", "left": "left side", "right": "right side"}[spec.view]
        what = (f"Head map, {view} view" if patient else f"Head map ({view} view)")
        if spec.source:
            what += (f": where pain from the {_lower(atlas.name(spec.source, audience))} "
                     f"({spec.side} side) may be felt" if patient else
                     f": referral from the {atlas.name(spec.source, audience)} ({spec.side})")
        if spec.overlay:
            layer = {"trigeminal": ("face nerve areas V1, V2 and V3", "trigeminal territories V1–V3"),
                     "cervical-nerves": ("neck nerve areas", "cervical nerve territories"),
                     "dermatomes": ("C2 and C3 skin areas", "C2 and C3 dermatomes")}[spec.overlay]
            what += ("; layer: " if patient else "; overlay: ") + layer[0 if patient else 1]
    elif spec.kind == "stimulus-response":
        what = ("How much the same touch hurts, usually and when sensitised" if patient else
                f"Model WDR neuron at sensitisation s\u00a0=\u00a0{spec.level:.2f}, against baseline")
        what += f" ({sensitization.ILLUSTRATIVE_NOTE.rstrip('.').lower()})"
    else:
        what = ("How repeated taps can add up" if patient else
                f"Ratings along a train of identical stimuli at {spec.rate_hz:.2f}\u00a0Hz and "
                f"{sensitization.COMPARISON_RATE_HZ:.2f}\u00a0Hz, s\u00a0=\u00a0{spec.level:.2f}")
        what += f" ({sensitization.ILLUSTRATIVE_NOTE.rstrip('.').lower()})"
    caption = f"{title}. {what}."
    warning = load_guidance().warning(spec.source) if spec.source else None
    if warning is not None:  # the warning travels with the image
        caption += " " + warning.text("patient" if patient else "clinician")
    return caption


def _lower(name: str) -> str:
    return name[:1].lower() + name[1:] if name[1:2].islower() else name


def figure_text(atlas, step: Step, audience: str) -> str:
    """The step's figure in words (Markdown), from the builders' text equivalents."""
    spec = step.figure
    if spec is None:
        return ""
    if spec.kind == "diagram":
        text = diagram.text_equivalent(atlas, audience, spec.source, spec.side)
        if spec.emphasis:
            text = (("Look at: " if audience == "patient" else "Highlighted: ")
                    + ", ".join(atlas.name(n, audience) for n in spec.emphasis) + ".\n\n" + text)
        return text
    if spec.kind == "headmap":
        labels = {r: atlas.name(r, audience) for r in atlas.ids("body-region")}
        return headmap.text_equivalent(spec.view, _states(atlas, spec.source, spec.side), labels,
                                       spec.overlay, _overlay_labels(atlas, audience),
                                       audience=audience)
    if spec.kind == "stimulus-response":
        return sensitization.text_equivalent_stimulus_response(spec.level, spec.modulation, audience)
    return sensitization.text_equivalent_windup(spec.level, spec.modulation, spec.rate_hz, audience)


def citation_text(atlas, keys: Iterable[str]) -> str:
    """Short in-text sources for a slide, e.g. ``Sources: Lord et al. 1994; Bogduk 1992.``

    >>> from pathways import load_atlas
    >>> citation_text(load_atlas(), ["bogduk1992"])
    'Source: Bogduk 1992.'
    """
    keys = list(dict.fromkeys(keys))
    if not keys:
        return ""
    refs = atlas.references
    return ("Sources: " if len(keys) > 1 else "Source: ") + "; ".join(refs[k].short for k in keys) + "."


def slide_base(atlas, step: Step, audience: str) -> go.Figure | None:
    """The step's figure (no Play button) drawn at the height that
    :func:`pathways.slides.slide_figure`, with the step's caption and sources, turns into
    exactly :data:`pathways.slides.SLIDE_LAYOUT` (16:9)."""
    target = slide_height(figure_caption(atlas, step, audience),
                          citation_text(atlas, step.citations))
    return step_figure(atlas, step, audience, animate=False, height=target)


def step_slide(atlas, step: Step, audience: str) -> go.Figure | None:
    """The step's figure as a 16:9 slide with its caption and sources (``None`` without one)."""
    fig = slide_base(atlas, step, audience)
    return None if fig is None else slide_figure(fig, figure_caption(atlas, step, audience),
                                                 citation_text(atlas, step.citations))
