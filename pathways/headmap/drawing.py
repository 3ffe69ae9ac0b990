"""The head-map figure: line drawing, pain regions coloured by one rule (:func:`region_states`),
clickable markers, layers and labels, written as a plain Plotly spec (see
:mod:`pathways.figcache`).
"""

from __future__ import annotations

from collections.abc import Iterable

from ..figcache import memoized_figure
from ..wording import load_ui
from .geometry import (
    OVERLAY_GROUPS,
    REGION_IDS,
    _check_view,
    _geometry,
    _title,
    overlays_in_view,
)

STATES = ("spread", "possible", "typical", "selected")

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
            "showarrow": False, "_place": ("layer", 0),
            "font": {"size": LABEL_SIZE,
                     "color": colour if oid != "great-auricular-nerve" else "#333333"},
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
    """The name of a lit region, under its marker (or where :func:`_place_labels` finds
    room)."""
    return {"x": x, "y": y, "text": text, "showarrow": False, "yshift": -21,
            "_place": ("region", _MARKER_STYLE[state]["size"] / 2 + 1),
            "font": {"size": LABEL_SIZE, "color": "#222222"}, "bgcolor": "rgba(255,255,255,0.85)",
            "bordercolor": _STATE_STYLE[state]["line"], "borderwidth": 1, "borderpad": 1}


def _marker_parts(view: str, geo: dict, states: dict, labels: dict,
                  pairs_once: bool = False) -> tuple[dict, list]:
    """The clickable markers (one per visible region and side; the click events carry
    ``customdata = [region_id, side]``) and the name labels of the lit regions (with
    ``pairs_once``, a region lit on both sides in this view is named once, between them)."""
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
        other = (region, "left" if side == "right" else "right")
        if state and pairs_once and other in states and other in geo["centres"]:
            if side == "right":  # named once, when its left twin comes
                continue
            ox, oy = geo["centres"][other]
            names.append(_region_label(round((x + ox) / 2, 1), round((y + oy) / 2, 1),
                                       labels[region], state))
        elif state:
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


def _side_letter(x: float, y: float, side: str, caption: str,
                 anchor: str = "center") -> list[dict]:
    """A big L or R with a small caption under it (``anchor``: the caption's side that lines
    up under the letter; the outer one near an edge, so the caption stays inside)."""
    return [{"x": x, "y": y, "text": f"<b>{side[0].upper()}</b>", "showarrow": False,
             "font": {"size": 20, "color": INK}, "yanchor": "middle"},
            {"x": x, "y": y - 5, "text": caption, "showarrow": False, "xanchor": anchor,
             "font": {"size": SMALL_SIZE, "color": DETAIL}, "yanchor": "top"}]


def _side_letters(view: str, ranges) -> list[dict]:
    """Which of the person's sides is where (and, in profile, which way the face points)."""
    (x0, x1), (y0, y1) = ranges
    y = y1 - 0.18 * (y1 - y0)
    near_left, near_right = x0 + 0.07 * (x1 - x0), x1 - 0.07 * (x1 - x0)
    if view in ("front", "back"):
        on_left = "right" if view == "front" else "left"
        on_right = "left" if on_left == "right" else "right"
        # each caption runs inwards from under its letter, so larger text stays inside
        left = _side_letter(near_left, y, on_left, f"their {on_left}", anchor="left")
        right = _side_letter(near_right, y, on_right, f"their {on_right}", anchor="right")
        left[1]["x"], right[1]["x"] = near_left - 3, near_right + 3
        return left + right
    # a profile: the letter near one edge, its longer caption kept inside the drawing
    x = near_left if view == "right" else near_right
    face_x = x1 - 0.08 * (x1 - x0) if view == "right" else x0 + 0.08 * (x1 - x0)
    face = {"x": face_x, "y": y, "text": "face " + ("→" if view == "right" else "←"),
            "showarrow": False, "font": {"size": SMALL_SIZE, "color": DETAIL}}
    inner = "left" if view == "right" else "right"  # the caption runs inwards from the edge
    letter, caption = _side_letter(x, y, view, f"their {view} side", anchor=inner)
    caption["x"] = x - 3 if inner == "left" else x + 3
    return [letter, caption, face]


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


#: The narrowest drawing (px wide) the head map is shown at (a phone's column): labels are
#: placed for it, and a wider drawing only spreads them further apart.
DESIGN_WIDTH = 350.0
LABEL_SIZE = 12  # region and layer names (px)
SMALL_SIZE = 11  # captions ("their right", "face →")


def _two_lines(markup: str, size: float) -> str | None:
    """A bold name broken at the space that makes its longer line shortest (``None`` for one
    word)."""
    from .. import labels

    words = markup.removeprefix("<b>").removesuffix("</b>").split()
    if len(words) < 2:
        return None
    splits = [(" ".join(words[:i]), " ".join(words[i:])) for i in range(1, len(words))]
    first, second = min(splits, key=lambda pair: max(labels.text_width(f"<b>{line}</b>", size)
                                                     for line in pair))
    return f"<b>{first}<br>{second}</b>"


def _place_labels(ranges, height: int, annotations: list, markers: dict,
                  label_scale: float) -> int:
    """Move the region and layer names (the annotations marked ``_place``) to the first free
    place round their point, clear of the markers, the fixed texts and each other, measured
    (:mod:`pathways.labels`) for text ``label_scale`` times larger. A place must be free in
    the narrowest drawing (:data:`DESIGN_WIDTH` wide), in the largest one the height allows
    and at three widths between (labels are anchored to the drawing but offset in pixels, so
    they move against each other as it grows). Returns how many found no free place."""
    from .. import labels

    (x0, x1), (y0, y1) = ranges
    plot_h = height - 8.0
    widest = plot_h / (y1 - y0) * (x1 - x0) + 8
    frames = []
    top = max(DESIGN_WIDTH, widest)
    for width in sorted({DESIGN_WIDTH + (top - DESIGN_WIDTH) * k / 4 for k in range(5)}):
        plot_w = width - 8
        s = min(plot_w / (x1 - x0), plot_h / (y1 - y0))
        ox, oy = 4 + (plot_w - s * (x1 - x0)) / 2, 4 + (plot_h - s * (y1 - y0)) / 2
        frames.append((width, plot_w, s, ox, oy,
                       labels.Placer((0.0, 0.0, width, float(height)), gap=1.0)))

    def box(frame, a, **place):
        width, plot_w, s, ox, oy, _ = frame
        size = (a.get("font") or {}).get("size", 12) * label_scale
        pad = (a.get("borderpad", 1) + a.get("borderwidth", 0)) * label_scale
        p = {"xanchor": a.get("xanchor", "center"), "yanchor": a.get("yanchor", "middle"),
             "xshift": a.get("xshift", 0), "yshift": a.get("yshift", 0), **place}
        if a.get("xref") == "paper":
            x, y = 4 + a["x"] * plot_w, 4 + (1 - a["y"]) * plot_h
        else:
            x, y = ox + (a["x"] - x0) * s, oy + (y1 - a["y"]) * s
        p.pop("leader", None)
        text = p.pop("text", a["text"])
        return labels.annotation_box(x, y, text, size, pad=pad, **p)

    for frame in frames:
        _, _, s, ox, oy, placer = frame
        for x, y, size in zip(markers["x"], markers["y"], markers["marker"]["size"]):
            cx, cy = ox + (x - x0) * s, oy + (y1 - y) * s
            placer.block((cx - size / 2, cy - size / 2, cx + size / 2, cy + size / 2))
        for a in annotations:
            if not a.get("_place"):
                placer.block(box(frame, a))
    collisions = 0
    # region names first: each belongs beside its own marker, while a territory's name may
    # sit anywhere on its (large) area
    for a in sorted((a for a in annotations if a.get("_place")),
                    key=lambda a: a["_place"][0] != "region"):
        kind, half = a.pop("_place")
        if kind == "region":  # under its marker, else over, else beside
            places = [dict(yanchor="top", yshift=-(half + 2)),
                      dict(yanchor="bottom", yshift=half + 2),
                      dict(xanchor="left", xshift=half + 3),
                      dict(xanchor="right", xshift=-(half + 3)),
                      dict(yanchor="top", yshift=-(half + 2), xanchor="left", xshift=-half),
                      dict(yanchor="top", yshift=-(half + 2), xanchor="right", xshift=half),
                      dict(yanchor="bottom", yshift=half + 2, xanchor="left", xshift=-half),
                      dict(yanchor="bottom", yshift=half + 2, xanchor="right", xshift=half)]
            places += [dict(yanchor="top", yshift=-(half + 2 + dy), xshift=dx)
                       for dy in (16, 32) for dx in (0, -40, 40)]
            # farther off, joined to its marker by a thin leader line so it stays its own
            places += [dict(yanchor=anchor, yshift=sign * (half + 2 + dy), xshift=dx,
                            leader=True)
                       for dy in (48, 64) for sign, anchor in ((-1, "top"), (1, "bottom"))
                       for dx in (0, -50, 50, -90, 90)]
        else:  # a territory's name: on it, else nudged, else on two lines and nudged
            nudges = [dict()] + [dict(xshift=dx, yshift=dy)
                                 for dy in (0, 14, -14, 28, -28, 42, -42, 56, -56)
                                 for dx in (0, -30, 30, -60, 60, -90, 90) if dx or dy]
            places = list(nudges)
            broken = _two_lines(a["text"], a["font"]["size"] * label_scale)
            if broken:
                places += [dict(p, text=broken) for p in nudges]
        # the first place free in every frame (each frame's check stops at its first clash);
        # only if there is none, the place that clashes least
        best = next((i for i, p in enumerate(places)
                     if all(f[5].clear(box(f, a, **p)) for f in frames)), None)
        if best is None:
            collisions += 1
            costs = [sum(f[5].cost(box(f, a, **p)) for f in frames) for p in places]
            best = min(range(len(places)), key=costs.__getitem__)
        for f in frames:
            f[5].block(box(f, a, **places[best]))
        place = dict(places[best])
        if place.pop("leader", False):  # the text where the place says, a line to the marker
            place.update(showarrow=True, ax=place.pop("xshift"), ay=-place.pop("yshift"),
                         arrowhead=0, arrowwidth=1, arrowcolor=DETAIL, standoff=half)
        a.update(place)
    return collisions


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
    label_scale: float = 1.0,
    name_pairs_once: bool = False,
) -> dict:
    """Build the head-map figure for one view.

    Region and layer names are placed from their measured extents at the narrowest drawing
    (:data:`DESIGN_WIDTH`), for text ``label_scale`` times larger where that fits (else the
    largest scale that does); ``layout.meta`` says which (``text_scale``) and how many names
    found no free place (``collisions``).

    ``states`` maps (region_id, side) to "typical" | "possible" | "selected" | "spread"; anything
    else is drawn neutral. ``name_pairs_once`` names a region lit on both sides of a front or
    back view once, between its two markers (for paper, where room is short).  Click events come from the marker trace named "regions"
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
    markers, region_names = _marker_parts(view, geo, states, labels, name_pairs_once)
    traces.append(markers)
    annotations += region_names
    annotations.append(_view_title(view))
    if show_side_letters:
        annotations += _side_letters(view, geo["ranges"])
    # placed for text label_scale times larger (a projector's), else the largest that fits
    for scale in [label_scale] + [k for k in (1.3, 1.15, 1.0) if k < label_scale]:
        placed = [dict(a) for a in annotations]
        collisions = _place_labels(geo["ranges"], height, placed, markers, scale)
        if not collisions:
            break
    layout = _layout(geo["ranges"], height, placed)
    layout["meta"] = {"text_scale": scale, "collisions": collisions}
    return {"data": traces, "layout": layout}
