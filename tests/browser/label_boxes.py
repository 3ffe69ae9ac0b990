"""Text boxes measured in Chromium, compared: which labels overlap and which leave the frame
(shared by the browser tests of the app's figures and of the handout's printed pictures)."""

from __future__ import annotations

#: Two boxes overlap when they share more than this (px) both across and down: glyph cells
#: touching at their edges are not a collision. A box may pass the frame by as much.
TOLERANCE = 1.0


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
