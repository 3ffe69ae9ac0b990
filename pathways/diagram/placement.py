"""Measured label placement for the convergence diagram: the pixel frame at the layout's design
width, each label's candidate places, and the node labels, nucleus and descending-control boxes,
group captions and "read as" cues, each put at its first free place. Text measurement and the
generic placer are :mod:`pathways.labels`; this module decides where the diagram's labels go."""

from __future__ import annotations

import re

from .. import labels
from ..vocabulary import NUCLEUS
from .layout import (
    LABEL_SIDE,
    LABEL_SIDE_BY_KIND,
    LABEL_SIDE_COMPACT,
    NUCLEUS_BOX,
    NUCLEUS_BOX_COMPACT,
    SIDE_SPAN,
    TISSUE_ROW_PX,
    axis_ranges,
)
from .style import COLOURS, FONT, SIZES, _marker_style


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
        self.avoid: list[tuple[float, float, float, float]] = []  # see avoid_line

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

    def avoid_line(self, a: tuple[float, float], b: tuple[float, float], width: float,
                   trim: tuple[float, float] = (0.0, 0.0), piece: float = 12.0) -> None:
        """Rather keep labels off the line from ``a`` to ``b`` (data units), ``width`` px wide
        and ``trim`` px short of each end (its markers, which labels sit beside): the boxes
        round its pieces of about ``piece`` px join :attr:`avoid`. A label's places that
        cover none of them are tried first (:meth:`covers`); they are not blocked."""
        (x0, y0), (x1, y1) = self.px(*a), self.px(*b)
        length = ((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5
        if length <= sum(trim):
            return
        t0, t1 = trim[0] / length, 1 - trim[1] / length
        steps = max(1, round((t1 - t0) * length / piece))
        half = width / 2
        for i in range(steps):
            ta, tb = t0 + (t1 - t0) * i / steps, t0 + (t1 - t0) * (i + 1) / steps
            ax, ay = x0 + (x1 - x0) * ta, y0 + (y1 - y0) * ta
            bx, by = x0 + (x1 - x0) * tb, y0 + (y1 - y0) * tb
            self.avoid.append((min(ax, bx) - half, min(ay, by) - half,
                               max(ax, bx) + half, max(ay, by) + half))

    def covers(self, box) -> bool:
        """Whether ``box`` covers part of a line labels should rather keep off."""
        return any(labels.overlap_area(box, other) for other in self.avoid)


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


def _node_labels(atlas, pos, nodes, lit, source, audience, compact: bool, text_size: float,
                 frame: _Frame, named: set[str] | None = None, retries: int = 0,
                 notes: dict[str, str] | None = None) -> tuple[list[dict], list[dict]]:
    """Each node's label as an annotation with a light backing (so lines pass behind it), at
    the first free place among its candidates, and the leader lines of tissue labels that had
    to go down a row (wide layout). Descending-control centres are placed by
    :func:`_modulation_box`, the nucleus by :func:`_nucleus_box`. ``named``: only these nodes
    get a label (None: every node). ``retries``: when some labels find no free place, place
    them again up to this many times, those first and narrowest first (the try with fewest
    misses is kept). ``notes``: words in italics under a node's name, by node (left out
    where only the name finds a free place)."""
    shown = (lit["nodes"] | lit["felt_via"] | lit["felt_nodes"]) if lit else set()
    table = LABEL_SIDE_COMPACT if compact else LABEL_SIDE
    widths = WRAP_WIDTHS_COMPACT if compact else WRAP_WIDTHS
    numbers = _nerve_numbers(atlas, pos, nodes) if compact else {}
    order = sorted((n for n in nodes if atlas.nodes[n].kind not in
                    ("nucleus", "modulatory-centre")),
                   key=lambda n: (PLACE_ORDER.index(atlas.nodes[n].kind)
                                  if atlas.nodes[n].kind in PLACE_ORDER else len(PLACE_ORDER),
                                  pos[n][0]))
    if named is not None:
        order = [n for n in order if n in named]

    def place_all(order, tight=()) -> tuple[list[dict], list[dict], list[str]]:
        annotations: list[dict] = []
        shapes: list[dict] = []
        missed: list[str] = []
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
                                    "font": {"size": text_size, "color": colour,
                                             "family": FONT}})
                continue
            if n in numbers:  # nerves on a phone: a number, named in the key above the drawing
                text = f"<b>{numbers[n]}</b>"
                candidates = [(text, place) for side in ("right", "left", "above", "below")
                              for place in _place_for(side, half)]
            else:
                candidates = []
                # with a note: the name and the note broken alike, then the name alone
                for with_note in ((True, False) if notes and n in notes else (False,)):
                    for side in _sides(kind, where, compact):
                        for width in widths["tissue" if kind == "tissue" else "other"]:
                            wrapped = (name if width is None else
                                       labels.wrap(name, text_size * frame.scale,
                                                   width * frame.scale, bold=bold))
                            text = f"<b>{wrapped}</b>" if bold else wrapped
                            if with_note:
                                note = (notes[n] if width is None else
                                        labels.wrap(notes[n], text_size * frame.scale,
                                                    width * frame.scale, italic=True))
                                text += f"<br><i>{note}</i>"
                            for place in _place_for(side, half):
                                candidates.append((text, place))
            if lit and n in lit["felt_via"] and n not in lit["nodes"]:
                colour = COLOURS["felt"]
            boxes = [frame.box(*pos[n], t, text_size, place) for t, place in candidates]
            if frame.avoid or n in tight:  # off the lit lines first; narrowest first if tight
                covered = [frame.covers(b) for b in boxes] if frame.avoid else [False] * len(boxes)
                ranked = sorted(range(len(boxes)), key=lambda i: (
                    covered[i], boxes[i][2] - boxes[i][0] if n in tight else 0.0))
                candidates, boxes = [candidates[i] for i in ranked], [boxes[i] for i in ranked]
            before = frame.placer.collisions
            text, place = candidates[frame.placer.choose(boxes)]
            if frame.placer.collisions > before:
                missed.append(n)
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
                               "y1": round(pos[n][1] - frame.dy(top_px - frame.px(*pos[n])[1]),
                                           2),
                               "layer": "below", "line": {"color": "#BDBDBD", "width": 1}})
            annotations.append(label)
        return annotations, shapes, missed

    placer = frame.placer
    start = (list(placer.boxes), placer.collisions)
    best = None
    tight: set[str] = set()
    for _ in range(retries + 1):
        placer.boxes, placer.collisions = list(start[0]), start[1]
        annotations, shapes, missed = place_all(order, tight)
        if best is None or len(missed) < len(best[2]):
            best = (annotations, shapes, missed, list(placer.boxes), placer.collisions)
        if not missed:
            break
        tight |= set(missed)
        order = missed + [n for n in order if n not in missed]
    annotations, shapes, _, placer.boxes, placer.collisions = best
    return annotations, shapes


def _nucleus_box(atlas, pos, lit, audience, compact: bool, text_size: float,
                 frame: _Frame, keep_lines: bool = False) -> tuple[list[dict], list[dict]]:
    """The nucleus as a prominent box over the ends of the converging lines, sized to its
    name (measured), with the name inside. ``keep_lines``: the name breaks into lines as it
    does at scale 1, however large the text (the box widens instead of growing taller)."""
    if NUCLEUS not in pos:
        return [], []
    size = text_size + 2
    name = atlas.name(NUCLEUS, audience, short=True)
    hw, hh = NUCLEUS_BOX_COMPACT if compact else NUCLEUS_BOX
    room = (2 * hw / 100 * frame.width - 12) * (frame.scale if keep_lines else 1.0)
    text = f"<b>{labels.wrap(name, size * frame.scale, room, bold=True)}</b>"
    w, h = labels.text_box(text, size * frame.scale)
    pad = frame.scale if keep_lines else 1.0  # room round the name, as large as the text
    hw = max(hw, frame.dx(w / 2 + 7 * pad))
    hh = max(hh, frame.dy(h / 2 + 5 * pad))
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
                    frame: _Frame, inside: bool = False) -> tuple[list[dict], list[dict]]:
    """Wide layout: each side's name under the tissue band, over a rule in its colour.
    ``inside`` (large print text): a caption is placed like a label, on one line over the
    middle of its rule, else broken to the rule's width, else moved in from the picture's
    edge; one that still meets another counts as a collision."""
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
        x = (lo + hi) / 2
        place = {"xanchor": "center", "yanchor": "bottom"}
        if inside:
            span = (hi - lo + 3) / (frame.x1 - frame.x0) * frame.width
            broken = labels.wrap(captions[g], text_size * frame.scale, span, bold=True)
            options = []
            for t in dict.fromkeys((text, f"<b>{broken}</b>")):
                x0, _, x1, _ = frame.box(x, cap_y, t, text_size, place)
                options.append((t, x + frame.dx(max(0.0, -x0) - max(0.0, x1 - frame.width))))
            options.sort(key=lambda o: o[1] != x)  # over the rule's middle first
            text, x = options[frame.placer.choose(
                [frame.box(ox, cap_y, t, text_size, place) for t, ox in options])]
        else:
            frame.placer.block(frame.box(x, cap_y, text, text_size, place))
        annotations.append({"x": round(x, 2) if inside else x, "y": cap_y, "yanchor": "bottom",
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


def _felt_off_route(lit) -> list[str]:
    """The afferents the lit source is felt through that are not on its route, sorted."""
    route_nodes = set().union(*map(set, lit["routes"])) if lit["routes"] else set()
    return sorted(lit["felt_via"] - route_nodes)


def _cue_words(atlas, v: str, audience, compact: bool) -> str:
    """What the "read as" cue of afferent ``v`` says."""
    return ("the brain reads it as<br>coming from here" if audience == "patient"
            and not compact else "felt as if from here" if audience == "patient"
            else f"read as {atlas.name(v, audience, short=True).split()[0]} territory")


def _paper_cues(atlas, lit, audience) -> dict[str, str]:
    """For paper (the route-only diagram): the "read as" words as a line of the afferent's own
    label, with no arrow, when one afferent is felt through off the route (with several,
    their names in the cue's colour and the key say it, not three captions saying the same)."""
    felt = _felt_off_route(lit) if lit else []
    return ({felt[0]: _cue_words(atlas, felt[0], audience, False).replace("<br>", " ")}
            if len(felt) == 1 else {})


def _felt_cues(atlas, pos, lit, audience, compact: bool, text_size: float,
               frame: _Frame) -> list[dict]:
    """The "read as" arrow to each afferent that is felt through but not on the route, its
    words at the first free place round the afferent."""
    cues = []
    size = text_size - 0.5
    for v in _felt_off_route(lit):
        text = f"<i>{_cue_words(atlas, v, audience, compact)}</i>"
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
