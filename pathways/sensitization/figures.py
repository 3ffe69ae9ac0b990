"""The model's two charts as plain Plotly specs (memoized; see :mod:`pathways.figcache`): the
stimulus–response curve and the wind-up train, in patient or clinician words.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence

import numpy as np

from ..audience import check_audience
from .. import labels
from ..figcache import memoized_figure
from ..wording import load_ui
from .model import (
    COMPARISON_RATE_HZ,
    DEFAULT_PARAMETERS,
    ILLUSTRATIVE_NOTE,
    STIMULUS_BANDS,
    THRESHOLD_RATING,
    ModelParameters,
    pain_rating,
    pain_threshold,
    windup_train,
)

__all__ = [
    "DESIGN_WIDTH",
    "stimulus_response_figure",
    "windup_figure",
]

# --------------------------------------------------------------------------------- figures

OKABE_ITO = {"orange": "#E69F00", "sky": "#56B4E9", "green": "#009E73", "yellow": "#F0E442",
             "blue": "#0072B2", "vermillion": "#D55E00", "purple": "#CC79A7", "black": "#000000"}
FONT_SIZE = 18

_WORDS = {
    "patient": {
        "x": "How strong the touch or pressure is (0 to 10)",
        "y": "How much it hurts (0 to 10)",
        "markers": "Where pain starts: ■ usual, ◆ now",
        "normal": "Usual nervous system", "now": "Now (sensitisation {s:.1f} of 1)",
        "allodynia": "Touch now hurts", "hyperalgesia": "What hurt hurts more",
        "threshold": "Pain starts here (1 out of 10)",
        "title": "How the same touch can hurt more",
        "wx": "Tap number in a row of the same taps", "wy": "How much it hurts (0 to 10)",
        "wtitle": "Repeated taps: the pain can build up",
    },
    "clinician": {
        "x": "Stimulus intensity (0–10; illustrative scale)",
        "y": "Pain rating (NRS 0–10)",
        "normal": "Baseline (s = 0, m = 0)", "now": "Current (s = {s:.2f}, m = {m:+.2f})",
        "allodynia": "Allodynia", "hyperalgesia": "Hyperalgesia",
        "threshold": "Pain threshold (NRS 1)",
        "markers": "Threshold: ■ baseline, ◆ current",
        "title": "Stimulus–response curve of a WDR neuron (trigeminocervical nucleus)",
        "wx": "Stimulus number in the train", "wy": "Pain rating (NRS 0–10)",
        "wtitle": "Temporal summation (wind-up) depends on stimulus rate",
    },
}
_WORDS["educator"] = {**_WORDS["clinician"],
                      "allodynia": "Allodynia: touch now hurts",
                      "hyperalgesia": "Hyperalgesia: what hurt hurts more",
                      "normal": "Usual (not sensitised)", "now": "Now (s = {s:.2f}, m = {m:+.2f})"}


@functools.cache
def _template() -> dict:
    """Plotly's "simple_white" template as a plain dict, made once: every spec shares it (the
    specs are never changed, see :mod:`pathways.figcache`)."""
    import plotly.io as pio

    return pio.templates["simple_white"].to_plotly_json()


def _scatter(x, y, **properties) -> dict:
    return {"type": "scatter", "x": x, "y": y, **properties}


#: The narrowest chart (px wide: a phone's column, or half a laptop's page) the titles, ticks
#: and key are laid out for unless a builder is told another (``width``); a wider chart only
#: has more room.
DESIGN_WIDTH = 350.0
MARGIN = {"l": 64, "r": 14}
TITLE_SIZE, AXIS_SIZE, TICK_SIZE, KEY_SIZE, NOTE_SIZE = 17, 15, 14, 14, 13
#: The chart's height (px) unless a builder is told another.
HEIGHT = 560
#: The least height (px) of the plot area at text scale 1, where the curves and the labels
#: inside it are drawn (larger text: as much more). Margins that leave less make the chart
#: taller rather than squash the plot.
MIN_PLOT_HEIGHT = 240
#: The title's distance (px) from the chart's top edge, and from the plot below it.
TITLE_PAD, TITLE_GAP = 8, 18
#: The threshold label's text size, and how far (px) it sits under its dotted line: clear of
#: the threshold markers (7 px half size and a 1.5 px edge).
THRESHOLD_SIZE, THRESHOLD_SHIFT = 14, 11
#: The rating axis runs to 11, so the top tick (10) stays clear of the title.
Y_MAX = 11
#: How much of a line of text (em) lies above its baseline (Liberation Sans' ascent; the rest
#: of :data:`pathways.labels.FONT_BOX` is the descent).
ASCENT = 0.905


def _note(yshift: float) -> dict:
    """The 'illustrative model' note under the plot's bottom-right corner, ``yshift`` px down
    (below the axis title, above the key)."""
    return {"text": ILLUSTRATIVE_NOTE, "xref": "paper", "yref": "paper", "x": 1, "y": 0.0,
            "xanchor": "right", "yanchor": "top", "yshift": round(yshift), "showarrow": False,
            "font": {"size": NOTE_SIZE, "color": "#444444"}, "bgcolor": "#ffffff"}


def _key_rows(names: Sequence[str], size: float, width: float) -> int:
    """How many rows a horizontal Plotly legend of ``names`` takes in ``width`` px (each entry:
    its 40 px symbol, its text and a gap)."""
    rows, used = 1, 0.0
    for name in names:
        w = 46 + labels.text_width(name, size)
        if used and used + w > width:
            rows, used = rows + 1, 0.0
        used += w
    return rows


def _layout(title: str, x: str, y: str, *, xaxis: dict, annotations: Sequence[dict] = (),
            shapes: Sequence[dict] = (), key: Sequence[str] = (), tick_lines: int = 1,
            label_scale: float = 1.0, width: float = DESIGN_WIDTH,
            height: int | None = None, min_plot: float = 0.0) -> dict:
    """The layout both figures share (large type, fixed axes, ratings 0–10 on y, the note last
    among the annotations); ``xaxis`` adds to the x axis. The title and the axis title are
    broken into lines that fit a chart ``width`` px wide (measured), and the margins hold them,
    the ``tick_lines`` lines of x tick labels and the key (``key``: its entries) below, for text
    ``label_scale`` times larger. The chart is ``height`` px tall, or taller where the margins
    would leave the plot less than :data:`MIN_PLOT_HEIGHT` (times the text scale), less than
    the y axis's title (drawn up the plot's side, centred on it) or less than ``min_plot`` px
    (what the labels inside it need).

    Plotly sets a title anchored by its bottom on the plot's top edge by its *first* line's
    baseline (``pad.b`` above it), and the lines after it run down into the plot: it lifts them
    only when its ``automargin`` pushes the margin open, never when the margin already holds
    the title. (Anchored by its top, a title of several lines is set by its first baseline
    too, a line too high.) So the title keeps its margin as laid out (no ``automargin``), and
    its ``pad.b`` lifts the first baseline by the lines that follow: the last line ends
    :data:`TITLE_GAP` above the plot."""
    k = label_scale
    plot_w = width - MARGIN["l"] - MARGIN["r"]
    title = labels.wrap(title, TITLE_SIZE * k, width - 16)
    x = labels.wrap(x, AXIS_SIZE * k, plot_w + MARGIN["r"])
    title_h = labels.text_box(title, TITLE_SIZE * k)[1]
    note_h = NOTE_SIZE * k * labels.FONT_BOX + 8
    tick_h = TICK_SIZE * k * (labels.FONT_BOX + labels.LINE_SPACING * (tick_lines - 1))
    x_h = labels.text_box(x, AXIS_SIZE * k)[1]
    key_h = _key_rows(key, KEY_SIZE * k, width - 10) * KEY_SIZE * k * 1.75 if key else 0
    top = round(TITLE_PAD + title_h + TITLE_GAP)
    lines_after = title.count("<br>") * labels.LINE_SPACING  # below the first baseline, in em
    title_pad = round(TITLE_GAP + TITLE_SIZE * k * (labels.FONT_BOX - ASCENT + lines_after))
    note_at = 8 + tick_h + 10 + x_h + 8  # the note under the axis title, the key under it
    bottom = round(note_at + note_h + 6 + key_h + 6)
    y_w = labels.text_width(y, AXIS_SIZE * k) + 2 * 4  # the y title, clear of both ends
    plot_h = math.ceil(max(MIN_PLOT_HEIGHT * k, y_w, min_plot))
    height = max(round(height or HEIGHT), top + bottom + plot_h)
    layout = {
        "template": _template(),
        "title": {"text": title, "x": 0.01, "xanchor": "left", "y": 1, "yanchor": "bottom",
                  "yref": "paper", "pad": {"b": title_pad}, "automargin": False,
                  "font": {"size": TITLE_SIZE}},
        "font": {"size": FONT_SIZE, "family": "Arial, Helvetica, sans-serif", "color": "#222222"},
        "dragmode": False, "hovermode": "closest",
        "margin": {**MARGIN, "t": top, "b": bottom}, "height": height,
        "legend": {"orientation": "h", "x": 0, "xref": "container", "y": 0, "yref": "container",
                   "yanchor": "bottom", "font": {"size": KEY_SIZE}},
        "xaxis": {"title": {"text": x, "font": {"size": AXIS_SIZE}, "standoff": 10},
                  "fixedrange": True, "tickfont": {"size": TICK_SIZE}, "automargin": False,
                  **xaxis},
        "yaxis": {"title": {"text": y, "font": {"size": AXIS_SIZE}, "standoff": 6},
                  "fixedrange": True, "range": [0, Y_MAX], "dtick": 2, "automargin": False,
                  "tickfont": {"size": TICK_SIZE}, "showgrid": True, "gridcolor": "#e6e6e6"},
        "annotations": [*annotations, _note(-note_at)],
        # the text scale the margins hold, and the narrowest width they are laid out for
        "meta": {"laid_out_for": label_scale, "width": width},
    }
    if shapes:
        layout["shapes"] = list(shapes)
    return layout


def _mod_words(m: float, audience: str) -> str:
    return load_ui().modulation_words(m, audience)  # the same words as under the slider


def _band_shapes() -> list[dict]:
    """Backgrounds of the stimulus bands (grey, white, grey), full height, behind the curves."""
    return [{"type": "rect", "xref": "x", "yref": "y domain", "x0": start, "x1": end,
             "y0": 0, "y1": 1, "fillcolor": "#f2f2f2" if start != 3 else "#ffffff",
             "opacity": 1, "layer": "below", "line": {"width": 0}}
            for start, end, *_ in STIMULUS_BANDS]


def _threshold_line(label: str) -> tuple[dict, dict]:
    """The dotted pain-threshold line across the plot and its label at the right end, under
    the line (where no curve runs: both are high there) and under the threshold markers
    (:data:`THRESHOLD_SHIFT`); see :func:`_threshold_room` for the room it needs."""
    line = {"type": "line", "xref": "x domain", "yref": "y", "x0": 0, "x1": 1,
            "y0": THRESHOLD_RATING, "y1": THRESHOLD_RATING,
            "line": {"color": "#000000", "width": 2, "dash": "dot"}}
    text = {"text": label, "font": {"size": THRESHOLD_SIZE}, "xref": "x domain", "yref": "y",
            "x": 1, "y": THRESHOLD_RATING, "xanchor": "right", "yanchor": "top",
            "yshift": -THRESHOLD_SHIFT, "showarrow": False}
    return line, text


def _threshold_room(label_scale: float) -> float:
    """The least plot height (px) in which the threshold's label, under its line, stands on
    the x axis or above it (its text above the baseline: only the descent of a letter may
    reach the axis line, and the x tick labels stay clear below), at text ``label_scale``
    times larger. A shorter plot would put the label across the axis, onto the band ticks."""
    under_line = THRESHOLD_SHIFT + 1 + ASCENT * THRESHOLD_SIZE * label_scale  # 1: its pad
    return under_line * Y_MAX / THRESHOLD_RATING


def _band_ticks(audience: str, label_scale: float = 1.0,
                width: float = DESIGN_WIDTH) -> tuple[dict, int]:
    """One x tick per stimulus band, in the audience's words, with its range, broken into
    lines that fit the band's width on a chart ``width`` px wide; and the most lines a tick
    has."""
    band = 2 if audience == "patient" else 3
    plot_w = width - MARGIN["l"] - MARGIN["r"]
    texts = [labels.wrap(f"{w[band]} ({w[0]:g}–{w[1]:g})", TICK_SIZE * label_scale,
                         (w[1] - w[0]) / 10 * plot_w - 6) for w in STIMULUS_BANDS]
    return ({"tickvals": [(a + b) / 2 for a, b, *_ in STIMULUS_BANDS], "ticktext": texts,
             "ticks": ""}, max(t.count("<br>") + 1 for t in texts))


def _plot_px(layout: dict, width: float):
    """Data (x in the axis range, y rating) to pixels on a chart ``width`` px wide."""
    margin, (x0, x1) = layout["margin"], layout["xaxis"]["range"]
    plot_w = width - margin["l"] - margin["r"]
    plot_h = layout["height"] - margin["t"] - margin["b"]
    y1 = layout["yaxis"]["range"][1]
    return lambda x, y: (margin["l"] + (x - x0) / (x1 - x0) * plot_w,
                         margin["t"] + (y1 - y) / y1 * plot_h)


def _two_lines(text: str) -> str:
    """Bold ``text`` (``<b>…</b>``) broken at the space that leaves its longer line shortest,
    each line bold (``text`` itself when it is one word)."""
    words = text.removeprefix("<b>").removesuffix("</b>").split()
    if len(words) < 2:
        return text
    cut = min(range(1, len(words)), key=lambda i: max(len(" ".join(words[:i])),
                                                      len(" ".join(words[i:]))))
    return f"<b>{' '.join(words[:cut])}</b><br><b>{' '.join(words[cut:])}</b>"


def _place_zone_labels(layout: dict, notes: list[dict], curves, label_scale: float,
                       width: float = DESIGN_WIDTH) -> int:
    """Put each zone's name at the free place nearest its zone that no curve passes through
    (measured, on a chart ``width`` px wide), clear of the threshold's label; on two lines
    where it finds none on one; returns how many found none."""
    px = _plot_px(layout, width)
    margin = layout["margin"]
    frame = (margin["l"], margin["t"], width - margin["r"], layout["height"] - margin["b"])
    placer = labels.Placer(frame, gap=2.0)
    points = np.array([px(x, y) for xs, ys in curves for x, y in zip(xs, ys)],
                      dtype=float).reshape(-1, 2)
    points_x, points_y = points[:, 0], points[:, 1]
    for note in notes:
        if "_zone" not in note:  # the threshold's label, at the right end of its line
            x = layout["xaxis"]["range"][1] if note.get("xref") == "x domain" else note["x"]
            placer.block(labels.annotation_box(
                *px(x, note["y"]), note["text"], note["font"]["size"] * label_scale,
                xanchor=note.get("xanchor", "center"), yanchor=note.get("yanchor", "middle"),
                yshift=note.get("yshift", 0)))
    for note in notes:
        zone = note.pop("_zone", None)
        if not zone:
            continue
        (zx0, zx1), (zy0, zy1) = zone
        cx, cy = (zx0 + zx1) / 2, (zy0 + zy1) / 2
        spots = sorted(((float(x), float(y))
                        for x in np.linspace(max(0.8, zx0 - 1.5), min(9.2, zx1 + 1.5), 15)
                        for y in np.arange(0.8, 10.0, 0.4)),
                       key=lambda p: (p[0] - cx) ** 2 + ((p[1] - cy) / 2) ** 2)
        size = note["font"]["size"] * label_scale
        pad = (note.get("borderwidth", 0) + 1) * label_scale
        options = []  # (text, spot, box) that no curve runs through: on one line, then two
        for text in dict.fromkeys((note["text"], _two_lines(note["text"]))):
            for x, y in spots:
                box = labels.annotation_box(*px(x, y), text, size, pad=pad)
                if not np.any((box[0] - 4 <= points_x) & (points_x <= box[2] + 4)
                              & (box[1] - 4 <= points_y) & (points_y <= box[3] + 4)):
                    options.append((text, (x, y), box))
            if any(placer.clear(box) for *_, box in options):
                break  # a free place for it as it is
        if not options:
            placer.collisions += 1
            continue
        text, (x, y), _ = options[placer.choose([box for *_, box in options])]
        note["text"], note["x"], note["y"] = text, round(x, 2), round(y, 2)
    return placer.collisions


def _zones(x, normal, now, t_normal: float, t_now: float, s: float, m: float, words: dict,
           params: ModelParameters) -> tuple[list[dict], list[dict]]:
    """Shaded zones between the curves where the current one is higher: allodynia below the
    usual threshold, hyperalgesia above it. Returns (traces, labels); each zone is a hidden
    lower edge followed by the upper edge filled down to it."""
    traces, notes = [], []
    zones = (("allodynia", x <= t_normal, OKABE_ITO["orange"], "/"),
             ("hyperalgesia", x >= t_normal, OKABE_ITO["purple"], "."))
    for key, mask, colour, shape in zones:
        mask = mask & (now > normal + 0.005) & (x >= t_now - 1e-3)
        if mask.sum() < 2:
            continue
        xs = x[mask].tolist()
        traces.append(_scatter(xs, normal[mask].tolist(), mode="lines", line={"width": 0},
                               showlegend=False, hoverinfo="skip"))
        traces.append(_scatter(
            xs, now[mask].tolist(), mode="lines", line={"width": 0}, fill="tonexty",
            fillcolor=_rgba(colour, 0.35),
            fillpattern={"shape": shape, "fgcolor": colour, "size": 10, "solidity": 0.3},
            name=words[key], hoverinfo="skip"))
        mid = xs[len(xs) // 2]
        y_mid = (pain_rating(mid, 0, 0, params) + pain_rating(mid, s, m, params)) / 2
        notes.append({"x": mid, "y": min(9.3, max(y_mid, 1.6) + 1.1),
                      "text": f"<b>{words[key]}</b>", "showarrow": False, "bgcolor": "#ffffff",
                      "bordercolor": colour, "borderwidth": 2, "font": {"size": 15},
                      "_zone": ((xs[0], xs[-1]), (float(normal[mask].min()),
                                                  float(now[mask].max())))})
    return traces, notes


@memoized_figure()
def stimulus_response_figure(s: float, m: float = 0.0, audience: str = "patient",
                             params: ModelParameters = DEFAULT_PARAMETERS, *,
                             label_scale: float = 1.0, height: int | None = None,
                             width: float = DESIGN_WIDTH) -> dict:
    """The normal curve (s = 0, m = 0) beside the current one, with the allodynia and
    hyperalgesia zones shaded and labelled, the pain-threshold line and the stimulus bands.
    Laid out for text ``label_scale`` times larger on a chart at least ``width`` px wide and
    ``height`` px tall (taller if its text needs it; see :func:`_layout`). (Written as a plain
    spec; see :mod:`pathways.figcache`.)"""
    audience, words = check_audience(audience), _WORDS[audience]
    t_normal, t_now = pain_threshold(0, 0, params), pain_threshold(s, m, params)
    # the thresholds are grid points, so the shaded zones meet exactly there
    x = np.unique(np.round(np.r_[np.linspace(0, 10, 81), t_normal, t_now], 3))
    normal = np.round(pain_rating(x, 0, 0, params), 3)
    now = np.round(pain_rating(x, s, m, params), 3)
    zones, zone_labels = _zones(x, normal, now, t_normal, t_now, s, m, words, params)
    curve = {"mode": "lines", "hovertemplate": "%{x:.1f} → %{y:.1f}/10<extra></extra>"}
    traces = [
        *zones,
        _scatter(x.tolist(), now.tolist(), name=words["now"].format(s=s, m=m),
                 line={"color": OKABE_ITO["vermillion"], "width": 5, "dash": "solid"}, **curve),
        _scatter(x.tolist(), normal.tolist(), name=words["normal"],
                 line={"color": OKABE_ITO["blue"], "width": 4, "dash": "dash"}, **curve),
        _scatter([round(t_normal, 2), round(t_now, 2)], [THRESHOLD_RATING] * 2,
                 mode="markers", name=words["markers"],
                 marker={"symbol": ["square", "diamond"], "size": 14, "color": "#000000",
                         "line": {"color": "#ffffff", "width": 1.5}},
                 hovertemplate="threshold %{x:.1f}<extra></extra>"),
    ]
    line, line_label = _threshold_line(words["threshold"])
    ticks, tick_lines = _band_ticks(audience, label_scale, width)
    layout = _layout(words["title"], words["x"], words["y"],
                     xaxis={"range": [0, 10], **ticks},
                     annotations=[*zone_labels, line_label], shapes=[*_band_shapes(), line],
                     key=[t["name"] for t in traces if t.get("name") and
                          t.get("showlegend", True)],
                     tick_lines=tick_lines, label_scale=label_scale, width=width, height=height,
                     min_plot=_threshold_room(label_scale))
    layout["meta"]["collisions"] = _place_zone_labels(
        layout, layout["annotations"][:-1], [(x.tolist(), normal.tolist()),
                                              (x.tolist(), now.tolist())], label_scale, width)
    return {"data": traces, "layout": layout}


def _rgba(hex_colour: str, alpha: float) -> str:
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _rate_words(rate_hz: float, audience: str) -> str:
    interval = 1 / rate_hz
    if audience == "patient":
        return f"one tap every {interval:.0f} seconds" if interval >= 1.5 else (
            f"one tap every {interval:.1f} seconds")
    return f"{rate_hz:.2f} Hz (every {interval:.1f} s)"


@memoized_figure()
def windup_figure(s: float, m: float = 0.0, rate_hz: float = 0.33, audience: str = "patient",
                  n_stimuli: int = 10, intensity: float = 4.5,
                  params: ModelParameters = DEFAULT_PARAMETERS, *,
                  label_scale: float = 1.0, height: int | None = None,
                  width: float = DESIGN_WIDTH) -> dict:
    """Ratings along a train of identical stimuli at ``rate_hz`` and, for comparison, at
    0.17 Hz (distinct colour, marker and dash), laid out as :func:`stimulus_response_figure`
    is. (Written as a plain spec; see :mod:`pathways.figcache`.)"""
    audience, words = check_audience(audience), _WORDS[audience]
    n = list(range(1, n_stimuli + 1))
    series = ((rate_hz, OKABE_ITO["vermillion"], "circle", "solid"),
              (COMPARISON_RATE_HZ, OKABE_ITO["blue"], "square", "dash"))
    traces = []
    for rate, colour, symbol, dash in series:
        ys = [round(v, 3) for v in windup_train(rate, n_stimuli, s, m, intensity, params)]
        traces.append(_scatter(
            n, ys, mode="lines+markers", name=_upper_first(_rate_words(rate, audience)),
            line={"color": colour, "width": 3, "dash": dash},
            marker={"symbol": symbol, "size": 14, "color": colour,
                    "line": {"color": "#ffffff", "width": 1.5}},
            hovertemplate="%{x} → %{y:.1f}/10<extra></extra>"))
    layout = _layout(words["wtitle"], words["wx"], words["wy"],
                     xaxis={"range": [0.5, n_stimuli + 0.5], "dtick": 1},
                     key=[t["name"] for t in traces], label_scale=label_scale, width=width,
                     height=height)
    return {"data": traces, "layout": layout}
