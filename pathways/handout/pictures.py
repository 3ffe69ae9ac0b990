"""The handout's pictures: which head-map drawings to show (:func:`choose_views`), the head
map and the pathway diagram restyled for paper, and :func:`add_images`, which makes them as PNG
bytes in memory (through :func:`pathways.export.figure_image`), at the print sizes below.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import replace
from itertools import combinations

from .. import headmap
from ..export import ExportUnavailable, figure_image
from ..vocabulary import SIDES
from .model import MIN_PRINT_PT, Handout

#: Said in place of the pictures when they cannot be made on this computer.
NO_PICTURES = "The pictures could not be made on this computer, so this handout has words only."

VIEW_ORDER = ("left", "right", "front", "back")

#: Logical size of one head-map drawing (width, height): as wide as the drawing is at this
#: height, the widest width its labels are placed for (see :func:`pathways.headmap.build_head_map`).
HEADMAP_PX = (380, 442)
#: The diagram is drawn at its layout's narrowest width (its labels are placed for that,
#: diagram.DESIGN_WIDTH plus the margins) and its drawing this tall; the picture is as tall as
#: the figure says (the key sits above the drawing), so nothing is squeezed.
DIAGRAM_PX = (772, 640)
IMAGE_SCALE = 2.0         # device pixels per logical pixel: about 300 dpi as printed
#: The head-map drawings on paper have their names placed for text this much larger than the
#: screen's, or as much larger as fits (``layout.meta.text_scale``), and every text (names,
#: view title, side letters and their captions) is enlarged by that; the PDF prints a drawing
#: at least as wide as its smallest text needs to be :data:`MIN_PRINT_PT` (about 54 mm).
HEADMAP_TEXT = 1.8
#: The scales tried in turn, largest first, until the names find free places at one
#: (:func:`pathways.headmap.build_head_map` itself falls back from the last to 1.15 and 1.0).
HEADMAP_SCALES = (HEADMAP_TEXT, 1.6, 1.45, 1.3, 1.2)
#: More marked areas than this in one drawing go unnamed in it (the handout's words list them).
HEADMAP_NAMES = 5
#: The diagram on paper names only the route the handout is about (``labels="route"``, the
#: text beside it explains it; the app shows the whole network), with its labels placed for
#: text this much larger, or as much larger as fits (``layout.meta.text_scale``). The PDF
#: prints it at least as wide as that text needs to be :data:`MIN_PRINT_PT` on paper
#: (:attr:`Handout.narrowest`): about 101 mm at 1.8 times the screen's text.
DIAGRAM_TEXT = 1.8


def choose_views(keys: Iterable[tuple[str, str]], prefer: str | None = None
                 ) -> tuple[str, ...]:
    """The fewest head-map drawings (at most two) that show every (region, side) in ``keys``:
    the drawing on screen (``prefer``) when it shows them all, else a side view of the marked
    side when one is enough."""
    keys = set(keys)
    if not keys:
        return ()
    if prefer in headmap.VIEWS and keys <= set(headmap.regions_in_view(prefer)):
        return (prefer,)
    sides = {s for _, s in keys}
    order = VIEW_ORDER if sides != {"right"} else ("right", "left", "front", "back")
    if sides == set(SIDES):
        order = ("front", "back", "left", "right")
    shown = {v: set(headmap.regions_in_view(v)) for v in order}
    for view in order:
        if keys <= shown[view]:
            return (view,)
    for pair in combinations(order, 2):
        if keys <= shown[pair[0]] | shown[pair[1]]:
            return tuple(sorted(pair, key=headmap.VIEWS.index))
    return ("left", "right")  # every region has both sides in the two profiles


def print_figures(atlas, handout: Handout) -> dict[str, tuple[object, tuple[int, int]]]:
    """The Plotly figures the handout shows, restyled for paper, by picture name, each with
    the logical size (width, height) in pixels its picture is drawn at."""
    from .. import diagram

    out = {}
    states: dict[tuple[str, str], str] = {}
    lit_source, lit_side = handout.source, handout.side
    if handout.regions:
        states = headmap.region_states(marked=handout.regions)
        groups = atlas.candidates_for(handout.regions)
        lit_source, lit_side = (groups[0][0].source, groups[0][0].side) if groups else (None, "right")
    elif handout.source:
        states = headmap.region_states(atlas.referral(handout.source, handout.side))
    labels = {r: atlas.name(r, handout.audience, short=True) for r in atlas.ids("body-region")}
    for name in handout.captions:
        if name.startswith("headmap-"):
            view = name.removeprefix("headmap-")
            fig = _head_map(view, states, labels)
            _print_head_map(fig, view, states)
            out[name] = (fig, HEADMAP_PX)
        elif name == "diagram":
            fig = diagram.build_diagram(atlas, audience=handout.audience, source=lit_source,
                                        side=lit_side, animate=False, height=DIAGRAM_PX[1],
                                        label_scale=DIAGRAM_TEXT, labels="route")
            _print_diagram(fig)
            out[name] = (fig, (DIAGRAM_PX[0], int(fig.layout.height)))
    return out


def _head_map(view: str, states: dict, labels: dict):
    """The head map ``view`` for paper, its names placed for the largest text of
    :data:`HEADMAP_SCALES` at which every one finds a free place. A profile has no side
    letter (its title says which side it is, and the drawing which way the face looks); with
    more than :data:`HEADMAP_NAMES` areas marked in it, it names none (see
    :func:`_print_head_map`), so only its fixed texts are enlarged."""
    letters = view in ("front", "back")
    named = len(set(states) & set(headmap.regions_in_view(view))) <= HEADMAP_NAMES
    for scale in HEADMAP_SCALES if named else (HEADMAP_TEXT,):
        fig = headmap.build_head_map(view, states=states, region_labels=labels,
                                     height=HEADMAP_PX[1], label_scale=scale,
                                     show_side_letters=letters, name_pairs_once=True)
        meta = fig.layout.meta
        if meta["text_scale"] == scale and not meta["collisions"]:
            break
    if named and fig.layout.meta["collisions"]:  # a name with no free place even at the
        # smallest text: the names are left out as when there are too many (the words list
        # the areas), and the fixed texts drawn as large as for that case
        named = False
        fig = headmap.build_head_map(view, states=states, region_labels=labels,
                                     height=HEADMAP_PX[1], label_scale=HEADMAP_TEXT,
                                     show_side_letters=letters)
    if not named:  # its names are left out: nothing was placed
        fig.layout.meta = {"text_scale": HEADMAP_TEXT, "collisions": 0, "names": False}
    return fig


def _print_head_map(fig, view: str, states: dict) -> None:
    """Paper styling: white background, every text as much larger as its names were placed for
    (nothing moves after placement, so nothing meets or leaves the picture), the area names
    left out when there are too many to read (the text lists the areas), the side letters
    without their small captions (the letters are the person's own sides, as on screen), and
    no empty click targets (the round buttons of the areas that are not lit)."""
    fig.update_layout(paper_bgcolor="white", plot_bgcolor="white")
    names = [a for a in fig.layout.annotations if a.xref != "paper" and a.bordercolor]
    # removing a text only frees room; nothing else moves
    if len(names) > HEADMAP_NAMES or fig.layout.meta.get("names") is False:
        fig.layout.annotations = [a for a in fig.layout.annotations if a not in names]
    # the side letters' captions ("their right"): enlarged, they would meet their letters
    fig.layout.annotations = [a for a in fig.layout.annotations
                              if not (a.text or "").startswith("their ")]
    _enlarge(fig)
    for trace in fig.data:
        if trace.name == "regions":  # the marker trace; customdata = [region, side]
            trace.marker.size = [size if tuple(key) in states else 0
                                 for key, size in zip(trace.customdata, trace.marker.size)]


def _enlarge(fig) -> None:
    """Every text exactly as much larger as the figure's labels were placed for
    (``layout.meta.text_scale``, see :func:`pathways.diagram.build_diagram` and
    :func:`pathways.headmap.build_head_map`)."""
    fits = (fig.layout.meta or {}).get("text_scale", 1.0) if isinstance(fig.layout.meta,
                                                                         dict) else 1.0
    for annotation in fig.layout.annotations:
        if annotation.font and annotation.font.size:
            annotation.font.size = round(annotation.font.size * fits, 1)


def _print_diagram(fig) -> None:
    """Paper styling: larger text, exactly as much larger as its labels were placed for (see
    :func:`pathways.diagram.build_diagram`; the route-only diagram has no on-screen hint)."""
    fig.update_layout(paper_bgcolor="white", plot_bgcolor="white")
    _enlarge(fig)


def text_sizes(fig) -> list[float]:
    """The font size (px) of every text a figure draws: its annotations (with text) and, for
    any without a size of its own, the layout's font."""
    base = fig.layout.font.size if fig.layout.font and fig.layout.font.size else 12.0
    return [a.font.size if a.font and a.font.size else base
            for a in fig.layout.annotations if a.text]


def narrowest_print(fig, width_px: float) -> float:
    """The narrowest width (mm) a picture of ``fig`` drawn ``width_px`` logical pixels wide may
    be printed at, so that its smallest text is :data:`MIN_PRINT_PT` on paper."""
    return MIN_PRINT_PT * 25.4 / 72 * width_px / min(text_sizes(fig))


def add_images(atlas, handout: Handout) -> Handout:
    """The handout with its pictures made (PNG bytes, in memory). If pictures cannot be made on
    this computer, the handout comes back without them and with :data:`NO_PICTURES` as its
    notice."""
    images: dict[str, bytes] = {}
    narrowest: dict[str, float] = {}
    try:
        for name, (fig, (width, height)) in print_figures(atlas, handout).items():
            images[name] = figure_image(fig, "png", width=width, height=height, scale=IMAGE_SCALE)
            if name == "diagram" or name.startswith("headmap-"):
                narrowest[name] = math.ceil(narrowest_print(fig, width) * 10) / 10
    except ExportUnavailable:
        return replace(handout, images={}, notice=NO_PICTURES, narrowest={})
    return replace(handout, images=images, notice="", narrowest=narrowest)

