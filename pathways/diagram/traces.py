"""The convergence diagram's traces as plain Plotly data: the edge lines (the network, descending
control, the lit route and the afferents it is felt as), their direction chevrons, and one
marker trace per node kind (the tissues' one, "sources", is what a click selects)."""

from __future__ import annotations

from collections.abc import Iterable

from ..vocabulary import AFFERENT
from .layout import drawn_edges
from .style import COLOURS, FONT, _marker_style


def _sequence_xy(pos, pairs: Iterable[tuple[str, str]]):
    xs: list = []
    ys: list = []
    for a, b in pairs:
        (x0, y0), (x1, y1) = pos[a], pos[b]
        xs += [round(x0, 2), round(x1, 2), None]
        ys += [round(y0, 2), round(y1, 2), None]
    return xs, ys


def _arrow_xy(pos, pairs, frac=0.55):
    """Points (and angles) for small direction chevrons along edges."""
    xs, ys = [], []
    for a, b in pairs:
        (x0, y0), (x1, y1) = pos[a], pos[b]
        xs += [round(x0 + (x1 - x0) * (frac - 0.02), 3), round(x0 + (x1 - x0) * frac, 3), None]
        ys += [round(y0 + (y1 - y0) * (frac - 0.02), 3), round(y0 + (y1 - y0) * frac, 3), None]
    return xs, ys


def _scatter(**props) -> dict:
    """A scatter trace as plain data, in the shape of ``go.Scatter(...).to_plotly_json()``."""
    return {"type": "scatter", **props}


def _line_trace(pos, pairs, name: str, colour: str, width: float, dash: str = "solid") -> dict:
    xs, ys = _sequence_xy(pos, pairs)
    return _scatter(x=xs, y=ys, mode="lines", name=name, hoverinfo="skip", showlegend=False,
                    line={"color": colour, "width": width, "dash": dash})


def _arrow_trace(pos, pairs, name: str, colour: str, size: float) -> dict:
    """Chevrons pointing along each edge: the middle point of each (tail, head, gap) triple
    carries the marker, turned by ``angleref="previous"``."""
    xs, ys = _arrow_xy(pos, pairs)
    return _scatter(x=xs, y=ys, mode="markers", name=name, hoverinfo="skip", showlegend=False,
                    marker={"symbol": "triangle-up", "angleref": "previous",
                            "size": [0, size, 0] * len(pairs), "color": colour,
                            "line": {"width": 0}})


def _edge_traces(atlas, pos, lit, compact: bool) -> list[dict]:
    """The edges, bottom layer first: the network (faded when a route is lit), descending
    control, then the lit route and the afferents it is read as."""
    edges = drawn_edges(atlas)
    afferent = [(e.source, e.target) for e in edges if e.relation in AFFERENT]
    ascending = [(e.source, e.target) for e in edges if e.relation == "projects-to"]
    modulation = [(e.source, e.target) for e in edges if e.relation == "modulates"]
    lit_edges = lit["edges"] if lit else set()
    felt_edges = lit["felt_edges"] if lit else set()
    traces: list[dict] = []

    def lines(pairs, *style):
        if pairs:
            traces.append(_line_trace(pos, pairs, *style))

    def arrows(pairs, *style):
        if pairs:
            traces.append(_arrow_trace(pos, pairs, *style))

    plain = [p for p in afferent + ascending if p not in lit_edges and p not in felt_edges]
    base_colour = COLOURS["edge-faded"] if lit else COLOURS["edge"]
    modulation_colour = "#E9C7D9" if lit else COLOURS["modulation"]
    lines([p for p in plain if p in afferent], "afferent", base_colour, 1.6)
    lines([p for p in plain if p in ascending], "ascending",
          COLOURS["edge-faded"] if lit else "#6E6E6E", 2.4)
    arrows(plain, "direction", base_colour if lit else "#8C8C8C", 9 if not compact else 7)
    lines(modulation, "descending control", modulation_colour, 2.2, "dash")
    arrows(modulation, "descending direction", modulation_colour, 9)
    if lit:
        lines(sorted(felt_edges), "felt as", COLOURS["felt"], 3.4, "dash")
        lines(sorted(lit_edges), "signal route", COLOURS["route"], 4.6)
        arrows(sorted(lit_edges), "route direction", COLOURS["route"], 12)
    return traces


def _marker_traces(atlas, pos, nodes, lit, source, audience, compact: bool) -> list[dict]:
    """One marker trace per node kind, in atlas order; the tissues' one is named "sources"."""
    traces = []
    for kind in dict.fromkeys(atlas.nodes[n].kind for n in nodes):
        members = [n for n in nodes if atlas.nodes[n].kind == kind]
        styles = [_marker_style(atlas, n, lit, source, compact) for n in members]
        traces.append(_scatter(
            x=[pos[n][0] for n in members], y=[pos[n][1] for n in members],
            mode="markers", name="sources" if kind == "tissue" else kind,
            customdata=[[n] for n in members], showlegend=False,
            hovertext=[atlas.name(n, audience) for n in members], hoverinfo="text",
            hoverlabel={"font": {"size": 13, "family": FONT}},
            marker={"symbol": [s[0] for s in styles], "color": [s[1] for s in styles],
                    "size": [s[2] for s in styles], "opacity": [s[5] for s in styles],
                    "line": {"color": [s[3] for s in styles],
                             "width": [s[4] for s in styles]}},
        ))
    return traces
