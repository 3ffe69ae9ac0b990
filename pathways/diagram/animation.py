"""The convergence diagram's animation: the Play button, and the frames that move a pulse along
the lit route to the nucleus and up to the cortex, the last one saying where it is felt."""

from __future__ import annotations

from .. import labels
from ..vocabulary import NUCLEUS
from .placement import _Frame, _wrap_markup
from .route import _felt_text
from .style import COLOURS, FONT, SIZES
from .traces import _scatter

#: Where the Play button sits (wide layout; a fraction of the width).
PLAY_X = 0.75


def _play_label(audience) -> str:
    return "▶ Play signal" if audience == "patient" else "▶ Animate"


def _button_size(label: str, scale: float) -> tuple[float, float]:
    """The Play button's (width, height) in px (its text, padding and frame)."""
    size = 13 * scale
    return labels.text_width(label, size) + 24, size * labels.FONT_BOX + 20


def _along(points: list[tuple[float, float]], t: float) -> tuple[float, float]:
    """The point a fraction ``t`` (0–1) along a polyline."""
    lengths = [((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5
               for (x0, y0), (x1, y1) in zip(points, points[1:])]
    total = sum(lengths) or 1.0
    goal = t * total
    for (p0, p1), seg in zip(zip(points, points[1:]), lengths):
        if goal <= seg or seg == 0 and goal <= 0:
            f = goal / seg if seg else 0.0
            return (round(p0[0] + (p1[0] - p0[0]) * f, 2), round(p0[1] + (p1[1] - p0[1]) * f, 2))
        goal -= seg
    return (round(points[-1][0], 2), round(points[-1][1], 2))


INBOUND_FRAMES = 6
UP_FRAMES = 5


def _pulse_points(atlas, pos, lit) -> list[list[tuple[float, float]]]:
    """The pulse's points in each frame: along the inbound route(s) to the nucleus, then up
    every ascending path to a cortex."""
    ends = atlas.ascending_ends() or [NUCLEUS]  # no way up: the pulse stops at the nucleus
    up_paths = [[pos[n] for n in atlas.ascending_route(c)] for c in ends]
    routes = [[pos[n] for n in r] for r in lit["routes"]]
    frames = [sorted({_along(r, i / (INBOUND_FRAMES - 1)) for r in routes})
              for i in range(INBOUND_FRAMES)]
    frames += [sorted({_along(p, i / UP_FRAMES) for p in up_paths})
               for i in range(1, UP_FRAMES + 1)]
    return frames


def _animation(atlas, pos, lit, audience, compact: bool, pulse_index: int,
               frame: _Frame) -> tuple[dict, list[dict]]:
    """The (empty) pulse trace, and the frames that move it along the route to the nucleus,
    then up to the cortex; in the wide layout the last frame says where it is felt, beside
    one of the pulses at the first free place (measured, like the labels). Only the pulse
    changes between frames."""
    marker_size = 18 if not compact else 15
    marker = {"size": marker_size, "color": COLOURS["route"], "symbol": "circle",
              "line": {"color": "white", "width": 2.5}}
    pulse = _scatter(x=[], y=[], mode="markers+text", name="pulse", hoverinfo="skip",
                     showlegend=False, marker=marker, cliponaxis=False)
    points = _pulse_points(atlas, pos, lit)
    frames = [{"name": f"f{i}", "traces": [pulse_index],
               "data": [_scatter(x=[p[0] for p in pts], y=[p[1] for p in pts],
                                 text=[""] * len(pts))]}
              for i, pts in enumerate(points)]
    last = points[-1]
    size = 13
    plain = _felt_text(atlas, lit["regions"], audience)
    half = max(marker_size, SIZES["cortex"] + 6) / 2 + 3  # clear of the pulse and the cortex
    anchors = {"top center": ("center", "bottom", 0, half), "top right": ("left", "bottom", 2, half),
               "top left": ("right", "bottom", -2, half),
               "middle right": ("left", "middle", half, 0),
               "middle left": ("right", "middle", -half, 0),
               "bottom center": ("center", "top", 0, -half)}
    candidates = []
    for width in ((150, 190, 240, 120, 300, 330) if compact else (230, 280, 190, 330, 400, 460, 150)):
        text = _wrap_markup(plain, size * frame.scale, width * frame.scale)
        for k in range(len(last) - 1, -1, -1):
            for position, (xa, ya, xs, ys) in anchors.items():
                candidates.append((k, text, position,
                                   frame.box(*last[k], text, size,
                                             {"xanchor": xa, "yanchor": ya, "xshift": xs,
                                              "yshift": ys}, pad=0)))
    texts = [""] * len(last)
    position = "middle right"
    if not compact:  # a phone's drawing has no room for it: the box above says it already
        k, felt, position, _ = candidates[frame.placer.choose([c[3] for c in candidates])]
        texts[k] = felt  # one position for all: only point k has words
    frames.append({"name": "felt", "traces": [pulse_index], "data": [_scatter(
        x=[p[0] for p in last], y=[p[1] for p in last], text=texts, textposition=position,
        textfont={"size": size, "color": COLOURS["route"], "family": FONT})]})
    return pulse, frames


def _play_button(layout: dict, label: str, compact: bool) -> dict:
    """The Play menu. Wide: top right of the drawing; compact: top right, level with the top
    of the (narrower) "felt in" box."""
    play = {"label": label, "method": "animate",
            "args": [None, {"frame": {"duration": 420, "redraw": False}, "fromcurrent": False,
                            "transition": {"duration": 380, "easing": "linear"},
                            "mode": "immediate"}]}
    margin = layout["margin"]
    plot_h = layout["height"] - margin["t"] - margin["b"]
    return {"type": "buttons", "showactive": False, "x": PLAY_X if not compact else 1.0,
            "y": 0.995 if not compact else 1 + (margin["t"] - 3) / plot_h,
            "xanchor": "left" if not compact else "right", "yanchor": "top",
            "pad": {"t": 0, "r": 0}, "bgcolor": "white", "bordercolor": COLOURS["route"],
            "font": {"size": 13, "color": COLOURS["route"]}, "buttons": [play]}
