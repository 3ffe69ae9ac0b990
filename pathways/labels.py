"""Text extents from a real font's metrics, for placing figure labels without collisions.

The figures name their font as ``Source Sans Pro, Segoe UI, Helvetica Neue, Arial,
sans-serif`` (the diagram) or ``Arial, Helvetica, sans-serif`` (the charts); Plotly's own
default is ``"Open Sans", verdana, arial, sans-serif``. On Debian's Chromium (the browser the
app is tested in and the one Kaleido draws exported images with) none of the first names is
installed, so all of them resolve to Arial, which fontconfig serves as Liberation Sans (the same
advance widths as Arial, by design). Widths here are measured with that font through Pillow;
where it is missing, DejaVu Sans (wider, so the layout errs on the roomy side) stands in.

Sizes are CSS pixels, as Plotly takes them. Plotly's markup (``<b>``, ``<i>``, ``<br>``) is
understood: bold and italic runs are measured in their own faces, and ``<br>`` starts a line.

>>> round(text_width("Suboccipital muscles", 20))  # Chromium draws it 186.75 px wide
187
>>> text_width("<b>Thalamus</b>", 12) > text_width("Thalamus", 12)
True
>>> wrap("Small muscles under the skull", 12, 90)
'Small muscles<br>under the skull'
>>> w, h = text_box("one<br>two", 10); round(h, 1)
24.2
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

__all__ = ["LINE_SPACING", "FONT_BOX", "text_width", "line_widths", "text_box", "wrap",
           "font_file"]

#: Plotly's distance between the baselines of two lines of one text, in ems.
LINE_SPACING = 1.3
#: The height of one line's glyph box (ascent + descent of Liberation Sans), in ems.
FONT_BOX = 1.117

_FONT_DIRS = (Path("/usr/share/fonts/truetype/liberation"), Path("/usr/share/fonts/truetype/dejavu"))
_FACES = {
    (False, False): ("LiberationSans-Regular.ttf", "DejaVuSans.ttf"),
    (True, False): ("LiberationSans-Bold.ttf", "DejaVuSans-Bold.ttf"),
    (False, True): ("LiberationSans-Italic.ttf", "DejaVuSans-Oblique.ttf"),
    (True, True): ("LiberationSans-BoldItalic.ttf", "DejaVuSans-BoldOblique.ttf"),
}
#: Measured at this size and scaled: widths are linear in the size.
_REFERENCE_SIZE = 100
_TAG = re.compile(r"(</?[bi]>)", re.IGNORECASE)
_OTHER_TAGS = re.compile(r"</?(?!b>|i>|br)[a-z][^>]*>", re.IGNORECASE)
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)


def font_file(bold: bool = False, italic: bool = False) -> Path | None:
    """The font file widths are measured with (``None``: no font found, widths are estimated
    at 0.6 em a character)."""
    for name, folder in zip(_FACES[bold, italic], _FONT_DIRS):
        path = folder / name
        if path.exists():
            return path
    return None


@functools.lru_cache(maxsize=8)
def _font(bold: bool, italic: bool):
    path = font_file(bold, italic)
    if path is None:
        return None
    from PIL import ImageFont

    return ImageFont.truetype(str(path), _REFERENCE_SIZE)


@functools.lru_cache(maxsize=4096)
def _run_width(text: str, bold: bool, italic: bool) -> float:
    """Width of plain ``text`` at the reference size."""
    font = _font(bold, italic)
    if font is None:
        return 0.6 * _REFERENCE_SIZE * len(text)
    return float(font.getlength(text))


def _unescape(text: str) -> str:
    return (text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
            .replace("&nbsp;", "\u00a0"))


def line_widths(markup: str, size: float) -> list[float]:
    """The width in px of each line of ``markup`` (Plotly's text markup) at font ``size``."""
    return list(_line_widths(markup, size))


@functools.lru_cache(maxsize=16384)
def _line_widths(markup: str, size: float) -> tuple[float, ...]:
    # kept: placing one figure's labels measures the same few texts thousands of times
    widths = []
    bold = italic = False
    for line in _BREAK.split(_OTHER_TAGS.sub("", markup or "")):
        total = 0.0
        for part in _TAG.split(line):
            tag = part.lower()
            if tag in ("<b>", "</b>", "<i>", "</i>"):
                if tag[1] == "/":
                    bold, italic = (False, italic) if tag == "</b>" else (bold, False)
                else:
                    bold, italic = (True, italic) if tag == "<b>" else (bold, True)
                continue
            if part:
                total += _run_width(_unescape(part), bold, italic)
        widths.append(total * size / _REFERENCE_SIZE)
    return tuple(widths)


def text_width(markup: str, size: float) -> float:
    """The width in px of the widest line of ``markup`` at font ``size``."""
    return max(_line_widths(markup, size), default=0.0)


def text_box(markup: str, size: float) -> tuple[float, float]:
    """(width, height) in px of ``markup`` drawn at font ``size``: the widest line, and the
    lines' glyph boxes at Plotly's line spacing."""
    widths = _line_widths(markup, size)
    lines = max(len(widths), 1)
    return max(widths, default=0.0), size * (FONT_BOX + LINE_SPACING * (lines - 1))


def wrap(text: str, size: float, max_width: float, *, bold: bool = False,
         italic: bool = False) -> str:
    """``text`` broken at spaces into lines no wider than ``max_width`` px at font ``size``
    (a single word wider than that keeps its own line), joined with ``<br>``."""
    words = text.split()
    if not words:
        return text
    start, end = ("<b>" if bold else "") + ("<i>" if italic else ""), \
                 ("</i>" if italic else "") + ("</b>" if bold else "")
    lines: list[str] = []
    current = words[0]
    for word in words[1:]:
        candidate = f"{current} {word}"
        if text_width(start + candidate + end, size) <= max_width:
            current = candidate
        else:
            lines.append(current)
            current = word
    lines.append(current)
    return "<br>".join(lines)


# ----------------------------------------------------------------------------- placement
#
# Boxes are (x0, y0, x1, y1) in pixels with y growing downwards, as on screen.


def annotation_box(px: float, py: float, markup: str, size: float, *, xanchor: str = "center",
                   yanchor: str = "middle", xshift: float = 0.0, yshift: float = 0.0,
                   pad: float = 1.0) -> tuple[float, float, float, float]:
    """The box a Plotly annotation of ``markup`` at font ``size`` covers when its point is at
    pixel (``px``, ``py``): ``pad`` is its border pad plus border width; ``yshift`` is up, as
    in Plotly.

    >>> annotation_box(100, 50, "Thalamus", 10, xanchor="left", pad=0)[0]
    100.0
    """
    w, h = text_box(markup, size)
    w, h = w + 2 * pad, h + 2 * pad
    x = float(px + xshift)
    y = float(py - yshift)
    x0 = {"left": x, "right": x - w}.get(xanchor, x - w / 2)
    y0 = {"top": y, "bottom": y - h}.get(yanchor, y - h / 2)
    return (x0, y0, x0 + w, y0 + h)


def overlap_area(a, b, gap: float = 0.0) -> float:
    """The area two boxes share, each grown by ``gap`` px on every side first."""
    dx = min(a[2], b[2]) - max(a[0], b[0]) + 2 * gap
    dy = min(a[3], b[3]) - max(a[1], b[1]) + 2 * gap
    return dx * dy if dx > 0 and dy > 0 else 0.0


def outside_area(box, frame) -> float:
    """How much of ``box`` lies outside ``frame`` (an area, 0 when inside)."""
    w, h = box[2] - box[0], box[3] - box[1]
    inner_w = max(0.0, min(box[2], frame[2]) - max(box[0], frame[0]))
    inner_h = max(0.0, min(box[3], frame[3]) - max(box[1], frame[1]))
    return w * h - inner_w * inner_h


class Placer:
    """Greedy label placement: each label takes the first of its candidate boxes that stays
    inside the frame and clear (by ``gap`` px) of every box placed or blocked before it; if
    none is clear, the one that collides least. ``collisions`` counts what could not be
    cleared.

    >>> p = Placer((0, 0, 100, 100))
    >>> p.block((0, 0, 50, 50))
    >>> p.choose([(10, 10, 20, 20), (60, 10, 70, 20)])
    1
    >>> p.choose([(-5, 60, 10, 70), (20, 60, 30, 70)]), p.collisions
    (1, 0)
    """

    def __init__(self, frame, gap: float = 2.0):
        self.frame = frame
        self.gap = gap
        self.boxes: list[tuple[float, float, float, float]] = []
        self.collisions = 0

    def block(self, box) -> None:
        """Reserve ``box`` (a marker, a drawn shape, another label)."""
        self.boxes.append(tuple(box))

    def cost(self, box) -> float:
        return (outside_area(box, self.frame) * 10
                + sum(overlap_area(box, other, self.gap) for other in self.boxes))

    def clear(self, box) -> bool:
        """``cost(box) == 0``, answered at the first box it touches (every term of the cost is
        0 or more)."""
        if outside_area(box, self.frame):
            return False
        g2 = 2 * self.gap
        a0, a1, a2, a3 = box
        # overlap_area(box, b, gap) > 0, written out: this runs millions of times per figure
        return not any(min(a2, b[2]) - max(a0, b[0]) + g2 > 0
                       and min(a3, b[3]) - max(a1, b[1]) + g2 > 0 for b in self.boxes)

    def choose(self, candidates) -> int:
        """The index of the candidate taken (and blocked)."""
        best = next((i for i, box in enumerate(candidates) if self.clear(box)), None)
        if best is None:  # none is clear: the one that collides least (the first of equals)
            costs = [self.cost(box) for box in candidates]
            best = min(range(len(costs)), key=costs.__getitem__)
            self.collisions += 1
        self.block(candidates[best])
        return best
