"""Text boxes measured in Chromium, compared: which labels overlap and which leave the frame
(shared by the browser tests of the app's figures and of the handout's printed pictures)."""

from __future__ import annotations

from pathlib import Path

import plotly

#: Plotly's own bundle, as installed: a figure is drawn in Chromium with nothing from a network.
PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"

#: Two boxes overlap when they share more than this (px) both across and down: glyph cells
#: touching at their edges are not a collision. A box may pass the frame by as much.
TOLERANCE = 1.0


#: Draws a figure spec at (width, height) px with plotly.js on a blank page and returns every
#: text's box (and font size) and the picture's frame, as :func:`overlaps_and_outside` takes them.
DRAW = """async ([spec, width, height]) => {
  const chart = document.getElementById('chart');
  await Plotly.newPlot(chart, spec.data,
                       Object.assign({}, spec.layout, {width: width, height: height}),
                       {staticPlot: true});
  const frame = chart.querySelector('.svg-container').getBoundingClientRect();
  const labels = [];
  for (const el of chart.querySelectorAll('svg.main-svg text')) {
    const lines = el.querySelectorAll('tspan.line');
    const text = (lines.length ? [...lines].map(t => t.textContent).join(' ')
                  : el.textContent || '').replace(/\\s+/g, ' ').trim();
    const r = el.getBoundingClientRect();
    if (!text || r.width < 0.5 || r.height < 0.5) continue;
    labels.push({text, x0: r.left, y0: r.top, x1: r.right, y1: r.bottom,
                 px: parseFloat(getComputedStyle(el).fontSize)});
  }
  return {frame: {x0: frame.left, y0: frame.top, x1: frame.right, y1: frame.bottom}, labels};
}"""


def overlaps_and_outside(measured: dict) -> tuple[list, list]:
    """Overlapping pairs of label texts, and the texts outside the frame, from a measurement
    ``{"frame": {x0, y0, x1, y1}, "labels": [{text, x0, y0, x1, y1, group?}, ...]}``. Boxes of
    one ``group`` (a button and its own text) never count as overlapping."""
    frame, labels = measured["frame"], measured["labels"]
    overlaps, outside = [], []
    for i, a in enumerate(labels):
        if (a["x0"] < frame["x0"] - TOLERANCE or a["x1"] > frame["x1"] + TOLERANCE
                or a["y0"] < frame["y0"] - TOLERANCE or a["y1"] > frame["y1"] + TOLERANCE):
            outside.append(a["text"])
        for b in labels[i + 1:]:
            if a.get("group") and a.get("group") == b.get("group"):
                continue
            dx = min(a["x1"], b["x1"]) - max(a["x0"], b["x0"])
            dy = min(a["y1"], b["y1"]) - max(a["y0"], b["y0"])
            if dx > TOLERANCE and dy > TOLERANCE:
                overlaps.append((a["text"], b["text"]))
    return overlaps, outside
