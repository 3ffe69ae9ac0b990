"""The PDF handout, typeset with fpdf2: the fonts (DejaVu Sans, or the core fonts with
Latin-1-safe text), :data:`DENSITIES` (the layout sizes tried in turn), the layout of a
handout top to bottom, and :func:`render_pdf`, which draws the first layout that fits on two
A4 pages. The page-layout engine itself is :class:`pathways.handout.flow.Flow`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from .flow import (
    BODY,
    MUTED,
    PAGE_SIDE,
    PAGE_TOP,
    WARN_INK,
    Density,
    Flow,
    png_ratio,
)
from .model import PROJECT, Handout, bold_runs, safe_link, split_identifier

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")

#: Layout sizes, largest pictures first, tried in turn until the handout fits on two pages.
DENSITIES = (
    Density(70, 170),
    Density(66, 160, gap=2.2, ref_size=8.0, ref_line=3.45),
    Density(63, 150, line=4.75, gap=1.8, ref_size=7.5, ref_line=3.25),
    Density(60, 140, line=4.7, gap=1.4, ref_size=7.5, ref_line=3.2),
    Density(56, 130, line=4.7, gap=1.0, ref_size=7.0, ref_line=3.0),
    Density(52, 112, line=4.65, gap=0.8, ref_size=6.8, ref_line=2.9),
    Density(46, 96, line=4.6, gap=0.6, ref_size=6.5, ref_line=2.75),
)

#: The narrowest column (mm) the words after the diagram may take beside it: a diagram
#: printed narrower than the page by this much floats left, and they flow on its right.
TEXT_BESIDE = 60.0

_LATIN1 = str.maketrans({
    "–": "-", "—": "-", "‘": "'", "’": "'", "“": '"', "”": '"', "→": "->", "←": "<-",
    "…": "...", "•": "-", "●": "*", "◐": "o", "≥": ">=", "≤": "<=", "×": "x", "\u00a0": " ",
    "\u2009": " ", "\u2011": "-", "\u2212": "-",
})


def _latin1(text: str) -> str:
    """Text the core PDF fonts can show (used only when DejaVu Sans is not installed)."""
    return text.translate(_LATIN1).encode("latin-1", "replace").decode("latin-1")


def _fonts() -> dict[str, Path] | None:
    """DejaVu Sans (Debian's fonts-dejavu-core) by style, or None to use the core fonts."""
    files = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
    found = {style: FONT_DIR / name for style, name in files.items() if (FONT_DIR / name).is_file()}
    if "" not in found:
        return None
    found.setdefault("B", found[""])
    return found


def _lay_out(flow: Flow) -> None:
    """The whole handout, top to bottom (measuring or drawing, as ``flow`` says)."""
    h, d = flow.h, flow.d
    patient = h.audience == "patient"
    flow.text([("", PROJECT, "")], size=9, line=4.2, colour=MUTED)
    flow.text([("B", h.title, "")], size=18, line=8.0)
    if h.subtitle:
        flow.paragraph(h.subtitle, colour=MUTED)
    flow.y += 2.0
    notice_done = False

    def notice() -> None:
        nonlocal notice_done
        if h.notice and not notice_done:
            flow.paragraph(h.notice, style="B", colour=MUTED)
            flow.y += d.gap
            notice_done = True

    for section in h.sections:
        shown = [n for n in section.images if n in h.images]
        if section.kind == "warning":
            flow.clear_float()
            pad, bar = 3.0, 2.2
            saved_left, saved_full = flow.left, flow.full
            inner = {"left": saved_left + bar + pad, "full": saved_full - bar - 2 * pad}

            def body(section=section) -> None:
                flow.heading(section.heading, size=12.5, colour=WARN_INK)
                for i, p in enumerate(section.paragraphs):
                    last = i == len(section.paragraphs) - 1
                    flow.paragraph(p, strong=WARN_INK,
                                   tail=flow.cited(section.citations) if last else "")
                    flow.y += 1.0

            probe_y, probe_page, probe_draw = flow.y, flow.page, flow.draw
            flow.draw, flow.left, flow.full = False, inner["left"], inner["full"]
            flow.y = PAGE_TOP  # measure on a fresh page's worth of room
            body()
            height = flow.y - PAGE_TOP + 2 * pad - 1.0
            flow.draw, flow.left, flow.full = probe_draw, saved_left, saved_full
            flow.y, flow.page = probe_y, probe_page
            flow.need(height)
            top = flow.y
            flow.box(top, height)
            flow.y = top + pad - 0.6
            flow.left, flow.full = inner["left"], inner["full"]
            body()
            flow.left, flow.full = saved_left, saved_full
            flow.y = top + height + d.gap + 1.0
            continue

        if section.kind == "figure" and shown and shown[0].startswith("headmap-"):
            flow.clear_float()
            count = len(shown)
            # as wide as the layout says, or as the smallest text in any of them needs
            img_w = max([d.headmap_w if count == 1 else d.headmap_w * 0.8]
                        + [h.narrowest.get(n, 0.0) for n in shown])
            img_w = min(img_w, (flow.full - 2 * (count - 1)) / count)
            img_h = max(img_w * png_ratio(h.images[n]) for n in shown)
            taken = count * (img_w + 2) + 4
            beside = flow.full - taken >= TEXT_BESIDE  # else the words go under them
            flow.heading(section.heading, keep=img_h)
            for i, name in enumerate(shown):
                flow.image(name, flow.left + i * (img_w + 2), img_w)
            if beside:
                flow.float = (flow.page, flow.y + img_h, taken)
            else:
                flow.y += img_h + 1.0
            for i, p in enumerate(section.paragraphs):  # the words, then the caption
                if i < len(section.paragraphs) - 1:
                    flow.paragraph(p)
                else:
                    flow.paragraph(p, size=10.5, line=4.8, colour=MUTED)
                flow.y += 0.8
            flow.y += d.gap
            continue

        if section.kind == "figure" and shown:
            flow.clear_float()
            name = shown[0]  # as wide as the layout says, or as its text needs
            img_w = min(max(d.diagram_w, h.narrowest.get(name, 0.0)), flow.full)
            img_h = img_w * png_ratio(h.images[name])
            beside = flow.full - img_w >= TEXT_BESIDE  # the words that follow go beside it

            def place(section=section, name=name, img_w=img_w, img_h=img_h,
                      beside=beside) -> None:
                if flow.y > PAGE_TOP + 1:
                    flow.y += d.gap
                flow.heading(section.heading)
                if beside:
                    flow.image(name, flow.left, img_w)
                    flow.float = (flow.page, flow.y + img_h, img_w + 4)
                else:
                    flow.image(name, flow.left + (flow.full - img_w) / 2, img_w)
                    flow.y += img_h + 1.0
                for p in section.paragraphs:
                    flow.paragraph(p, size=10, line=4.5, colour=MUTED)
                flow.y += d.gap

            flow.place_or_defer(7.4 + img_h + 1.0 + (0 if beside else 2 * 4.5) + d.gap, place)
            continue

        if section.kind == "figure":  # no picture: its words alone, without the caption
            words = section.paragraphs[:-1]
            if words:
                flow.heading(section.heading, keep=2 * d.line)
            notice()
            for p in words:
                flow.paragraph(p)
            flow.y += d.gap if words else 0
            continue

        if section.heading:
            first = section.paragraphs[0] if section.paragraphs else ""
            tail = flow.cited(section.citations) if len(section.paragraphs) == 1 else ""
            lines = flow.count_lines([(s, r, "") for s, r in
                                      [("B" if b else "", r) for b, r in bold_runs(first)]]
                                     + ([("S", " " + tail, "")] if tail else []), BODY)
            flow.heading(section.heading, keep=(lines if lines <= 5 else 2) * d.line)
        if section.kind == "note":
            for p in section.paragraphs:
                flow.paragraph(p, style="B", colour=WARN_INK)
        elif section.kind == "list":
            for p in section.paragraphs:
                flow.paragraph(p, indent=4.5, bullet="•")
                flow.y += 0.7
            flow.sources(section.citations)
        else:
            for i, p in enumerate(section.paragraphs):
                last = i == len(section.paragraphs) - 1
                flow.paragraph(p, tail=flow.cited(section.citations) if last else "")
                flow.y += 0 if last else 1.2
        flow.y += d.gap

    notice()
    flow.clear_float()
    if h.formatted_references:
        flow.heading("Sources" if patient else "References", keep=3 * d.ref_line)
        for number, (text, link) in enumerate(h.formatted_references, 1):
            link = link if safe_link(link) else ""
            head, ident = split_identifier(text) if link else (text, "")
            runs = [("", head, ""), ("", ident, link)] if ident else [("", text, link)]
            flow.need(flow.count_lines(runs, d.ref_size, 6.5) * d.ref_line)  # keep it whole
            flow.text(runs, size=d.ref_size, line=d.ref_line, indent=6.5, bullet=f"{number}.")
            flow.y += 0.6
    flow.y += 1.5
    flow.paragraph(" ".join(h.footer), style="B", size=10, line=4.6, colour=MUTED)
    if flow.pending:  # a picture still waiting: it gets the next page
        flow.new_page()


def _pdf_writer():
    """A fresh fpdf2 document with the handout's fonts, page set-up and footer."""
    from fpdf import FPDF

    fonts = _fonts()
    family = "DejaVu" if fonts else "helvetica"
    safe = (lambda t: t) if fonts else _latin1

    class HandoutPDF(FPDF):
        footer_text = ""

        def footer(self) -> None:
            self.set_draw_color(190, 190, 190)
            self.set_line_width(0.2)
            self.line(PAGE_SIDE, self.h - 12.5, self.w - PAGE_SIDE, self.h - 12.5)
            self.set_font(family, "", 8.5)
            self.set_text_color(*MUTED)
            self.set_xy(PAGE_SIDE, self.h - 12)
            self.cell(self.w - 2 * PAGE_SIDE, 5, self.footer_text, align="L")
            self.set_xy(PAGE_SIDE, self.h - 12)
            self.cell(self.w - 2 * PAGE_SIDE, 5, f"Page {self.page_no()} of {{nb}}", align="R")

    pdf = HandoutPDF(orientation="P", unit="mm", format="A4")
    # Date-free: a fixed date (fpdf2's convention for reproducible output), not today's.
    pdf.set_creation_date(datetime(1969, 12, 31, 19, 0, 0, tzinfo=UTC))
    if fonts:
        for style, path in fonts.items():
            pdf.add_font(family, style, str(path))
    pdf.set_margins(PAGE_SIDE, PAGE_TOP, PAGE_SIDE)
    pdf.set_auto_page_break(False)  # Flow breaks pages itself
    pdf.set_creator(PROJECT)
    pdf.set_lang("en")
    return pdf, family, safe


def fit_pdf(candidates: Iterable[tuple[Handout, Density]]) -> tuple[bytes, Handout]:
    """Measure each (handout, layout) in turn and draw the first that fits on two pages (or,
    if none does, the last): the PDF bytes and the handout drawn."""
    pdf, family, safe = _pdf_writer()
    chosen = None
    widths: dict = {}  # word widths, shared by every measuring pass
    for handout, density in candidates:
        chosen = (handout, density)
        probe = Flow(pdf, family, safe, density, handout, draw=False, widths=widths)
        _lay_out(probe)
        if probe.page <= 2:
            break
    handout, density = chosen
    pdf.footer_text = safe(" ".join(handout.footer))
    pdf.set_title(safe(handout.title))
    pdf.add_page()
    _lay_out(Flow(pdf, family, safe, density, handout, draw=True, widths=widths))
    return bytes(pdf.output()), handout


def render_pdf(handout: Handout) -> bytes:
    """The handout as PDF bytes, in memory: A4, body text 11 pt DejaVu Sans (core Helvetica if
    that font is not installed). Layouts with smaller pictures and reference text are measured
    in turn, and the first that fits on two pages is drawn; :func:`pathways.handout.build_pdf`
    also shortens the text if that is not enough."""
    return fit_pdf((handout, density) for density in DENSITIES)[0]

