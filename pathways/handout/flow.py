"""The page-layout engine the PDF handout is set with (:class:`Flow`, over fpdf2), the page
geometry and colours it draws with, and :class:`Density`, one set of layout sizes. What goes
where on the handout is in :mod:`pathways.handout.pdf`.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass

from .model import Citations, Handout, bold_runs


@dataclass(frozen=True)
class Density:
    """One set of layout sizes. Body text stays 11 pt; pictures, gaps and the reference list
    shrink step by step until the handout fits on two pages."""

    headmap_w: float      # mm, one head-map drawing
    diagram_w: float      # mm
    line: float = 4.85    # mm per 11 pt body line
    gap: float = 2.6      # mm after a section
    ref_size: float = 8.5  # pt
    ref_line: float = 3.7  # mm


BODY = 11.0
PAGE_TOP, PAGE_SIDE, PAGE_BOTTOM = 13.0, 16.0, 16.0  # mm; the footer sits in the bottom margin
INK = (26, 26, 26)
MUTED = (80, 80, 80)
ACCENT = (0, 90, 140)
WARN_INK = (125, 25, 0)
WARN_FILL = (253, 238, 230)
WARN_EDGE = (213, 94, 0)
LINK = (0, 84, 147)


def png_ratio(data: bytes) -> float:
    """height / width of a PNG, read from its header."""
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    return height / width if width else 1.0


def _pieces(text: str) -> list[str]:
    """Words and spaces; a long address (a DOI, a link) may also break after a '/'."""
    out = []
    for part in re.findall(r"\S+|\s+", text):
        out += re.findall(r"[^/]*/|[^/]+", part) if len(part) > 24 and "/" in part else [part]
    return out


class Flow:
    """A small page-layout engine over fpdf2: word wrapping with bold runs, manual page
    breaks, boxes, and pictures that text flows beside.

    With ``draw=False`` it only measures (nothing reaches the PDF), so several layouts can be
    tried with one set of loaded fonts before the real one is drawn.
    """

    def __init__(self, pdf, family: str, safe, d: Density, handout: Handout, draw: bool,
                 widths: dict | None = None):
        self.pdf, self.family, self.safe, self.d, self.h, self.draw = (
            pdf, family, safe, d, handout, draw)
        self.left = PAGE_SIDE
        self.full = pdf.w - 2 * PAGE_SIDE
        self.bottom = pdf.h - PAGE_BOTTOM
        self.page, self.y = 1, PAGE_TOP
        self.float: tuple[int, float, float] | None = None  # (page, bottom y, x shift)
        self.pending: list = []  # pictures waiting for the top of the next page
        self.in_text = False  # a paragraph is being set: a waiting picture goes after it
        self._widths: dict[tuple[str, float, str], float] = {} if widths is None else widths

    # ---- geometry
    def frame(self) -> tuple[float, float]:
        """(x, width) available at the current line: beside a floating picture, or full."""
        if self.float and self.float[0] == self.page and self.y < self.float[1]:
            return self.left + self.float[2], self.full - self.float[2]
        return self.left, self.full

    def clear_float(self) -> None:
        if self.float and self.float[0] == self.page:
            self.y = max(self.y, self.float[1] + self.d.gap)
        self.float = None

    def new_page(self) -> None:
        self.page += 1
        self.y = PAGE_TOP
        if self.draw:
            self.pdf.add_page()
        if not self.in_text:
            self.place_pending()

    def place_pending(self) -> None:
        """Pictures that did not fit on the last page: here, first thing (or after the
        paragraph that ran over, so that it is not cut in two by a picture)."""
        waiting, self.pending = self.pending, []
        for place in waiting:
            place()

    def place_or_defer(self, height: float, place) -> None:
        """Draw a block of ``height`` mm here if it fits, else at the top of the next page
        (the text after it fills this page first)."""
        if self.y + height <= self.bottom or self.y <= PAGE_TOP + 1:
            place()
        else:
            self.pending.append(place)

    def need(self, height: float) -> None:
        if self.y + height > self.bottom:
            self.new_page()

    # ---- text
    def width(self, text: str, style: str, size: float) -> float:
        key = (style, size, text)
        if key not in self._widths:
            self.pdf.set_font(self.family, style, size)
            self._widths[key] = self.pdf.get_string_width(text)
        return self._widths[key]

    def _line(self, tokens: list, width: float):
        """Take one line's worth of (style, text, link) tokens; returns (line, rest)."""
        line, used = [], 0.0
        while tokens:
            style, text, link, size, tint = tokens[0]
            if text.isspace():
                if line:
                    line.append(tokens[0])
                    used += self.width(text, style, size)
                tokens = tokens[1:]
                continue
            w = self.width(text, style, size)
            if used + w <= width or not line and w <= width:
                line.append(tokens[0])
                used += w
                tokens = tokens[1:]
                continue
            if not line:  # a word longer than the line (an address): split it
                cut = len(text)
                while cut > 1 and self.width(text[:cut], style, size) > width:
                    cut -= 1
                line.append((style, text[:cut], link, size, tint))
                tokens = [(style, text[cut:], link, size, tint), *tokens[1:]]
            break
        while line and line[-1][1].isspace():
            line.pop()
        return line, tokens

    def text(self, runs: Sequence[tuple[str, str, str]], *, size: float = BODY,
             line: float | None = None, colour=INK, strong=None, indent: float = 0.0,
             bullet: str = "", right: float = 0.0) -> None:
        """Write runs of (style, text, link) as wrapped lines at the current position. Style
        "S" is a source note: small and grey."""
        line = line or self.d.line
        tokens = [("", part, link, 9.0, MUTED) if style == "S" else
                  (style, part, link, size, None)
                  for style, text, link in runs
                  for part in _pieces(self.safe(text))]
        first, page = True, self.page
        self.in_text = True
        while tokens:
            self.need(line)
            x, width = self.frame()
            got, tokens = self._line(tokens, width - indent - right)
            if self.draw:
                pdf = self.pdf
                if bullet and first:
                    pdf.set_font(self.family, "B", size)
                    pdf.set_text_color(*colour)
                    pdf.set_xy(x, self.y)
                    pdf.cell(indent, line, self.safe(bullet))
                pdf.set_xy(x + indent, self.y)
                for style, part, link, sz, tint in got:
                    pdf.set_font(self.family, style, sz)
                    pdf.set_text_color(*(LINK if link else tint or (
                        strong if strong and style == "B" else colour)))
                    pdf.cell(self.width(part, style, sz), line, part, link=link)
            first = False
            self.y += line
        self.in_text = False
        if self.pending and self.page != page:
            self.place_pending()

    def count_lines(self, runs, size: float, indent: float = 0.0,
                    width: float | None = None) -> int:
        """How many lines ``runs`` take (full width unless ``width`` is given)."""
        tokens = [("", part, link, 9.0, None) if style == "S" else (style, part, link, size, None)
                  for style, text, link in runs
                  for part in _pieces(self.safe(text))]
        count = 0
        while tokens:
            _, tokens = self._line(tokens, (width or self.full) - indent)
            count += 1
        return count

    def paragraph(self, text: str, *, style: str = "", tail: str = "", keep: int = 5,
                  **kw) -> None:
        """A paragraph with **bold** runs. One of up to ``keep`` lines is not split across
        pages; a longer one leaves at least two lines on each page."""
        runs = [("B" if bold else style, run, "") for bold, run in bold_runs(text)]
        runs += [("S", " " + tail, "")] if tail else []
        size, line = kw.get("size", BODY), kw.get("line") or self.d.line
        lines = self.count_lines(runs, size, kw.get("indent", 0.0))
        room = int((self.bottom - self.y) // line)
        if room < lines and (lines <= keep or room < 2 or lines - room < 2):
            self.new_page()
        self.text(runs, **kw)

    def heading(self, text: str, keep: float = 0.0, size: float = 13.0, colour=ACCENT) -> None:
        """A section heading, moved to the next page with ``keep`` mm of what follows."""
        self.need(7.0 + keep)
        _, width = self.frame()
        if width < self.full:  # beside a picture: only if the heading ends before it does
            lines = self.count_lines([("B", text, "")], size, width=width)
            if self.y + 0.6 + lines * 6.4 > self.float[1]:
                self.clear_float()
                self.need(7.0 + keep)
        self.y += 0.6
        self.text([("B", text, "")], size=size, line=6.4, colour=colour)
        self.y += 0.4

    # ---- pictures and boxes
    def image(self, name: str, x: float, w: float) -> float:
        data = self.h.images[name]
        height = w * png_ratio(data)
        if self.draw:
            self.pdf.image(io.BytesIO(data), x=x, y=self.y, w=w, h=height,
                           alt_text=self.safe(self.h.captions.get(name, "")))
        return height

    def box(self, top: float, height: float) -> None:
        if self.draw:
            pdf = self.pdf
            pdf.set_fill_color(*WARN_FILL)
            pdf.set_draw_color(*WARN_EDGE)
            pdf.set_line_width(0.45)
            pdf.rect(self.left, top, self.full, height, style="DF")
            pdf.set_fill_color(*WARN_EDGE)
            pdf.rect(self.left, top, 2.2, height, style="F")

    def cited(self, keys: Sequence[str]) -> str:
        """'Sources: 1, 3–5.' for the keys ('' for none)."""
        if not keys:
            return ""
        numbers = Citations(self.h.references)
        label = "Sources: " if self.h.audience == "patient" else "References: "
        return label + numbers.numbers(keys).strip("[]") + "."

    def sources(self, keys: Sequence[str]) -> None:
        if keys:
            self.paragraph(self.cited(keys), size=9, line=4.1, colour=MUTED)

