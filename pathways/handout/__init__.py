"""The take-home handout: one or two A4 pages (PDF) or one self-contained HTML file.

Everything is built in memory, on request: the PDF is returned as bytes, the HTML as text, the
pictures are PNG bytes made by :func:`pathways.export.figure_image`. Nothing is written to disk
and nothing is kept once the result is returned. No Streamlit here.

The modules, in the order a handout is made:

- :mod:`~pathways.handout.model`: :class:`Section`, :class:`Handout`, the ``**bold**`` markup,
  citation numbers and how a reference is written;
- :mod:`~pathways.handout.content`: :func:`handout_content`, what the handout says;
- :mod:`~pathways.handout.pictures`: :func:`add_images`, the head map and diagram for paper;
- :mod:`~pathways.handout.pdf` (with the layout engine :mod:`~pathways.handout.flow`):
  :func:`render_pdf`, the fpdf2 typesetting;
- :mod:`~pathways.handout.html`: :func:`render_html`, filled into the templates under
  ``assets/templates/handout/``.

This package joins them: :func:`build_pdf` (shortening the text, :data:`FIT_ORDER`, until it
fits on two pages) and :func:`build_html`.

>>> from pathways import load_atlas
>>> page = build_html(load_atlas(), "patient", regions=[("orbit", "left")], images=False)
>>> page.startswith("<!DOCTYPE html>") and FOOTER in page
True
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from .content import FOOTER, handout_content
from .html import render_html
from .model import Handout, Section
from .pdf import DENSITIES, fit_pdf, render_pdf
from .pictures import NO_PICTURES, add_images

__all__ = [
    "FOOTER",
    "NO_PICTURES",
    "Handout",
    "Section",
    "add_images",
    "build_html",
    "build_pdf",
    "build_pdf_and_handout",
    "handout_content",
    "render_html",
    "render_pdf",
]

#: (text detail, how many of DENSITIES to try): fuller text with larger pictures first.
FIT_ORDER = ((0, 3), (1, 4), (2, 5), (3, 6), (4, 7))


def _handout(atlas, audience, regions, source, side, images, view=None) -> Handout:
    handout = handout_content(atlas, audience, regions=regions, source=source, side=side,
                              view=view)
    return add_images(atlas, handout) if images else handout


def build_pdf(atlas, audience: str = "patient", *, regions: Iterable[tuple[str, str]] = (),
              source: str | None = None, side: str = "right", images: bool = True,
              view: str | None = None) -> bytes:
    """The handout as PDF bytes (one or two A4 pages), built in memory.

    With ``images`` the head map and the pathway diagram are drawn; if that is impossible on
    this computer, the PDF has words only and says so (:data:`NO_PICTURES`). When the full
    text does not fit on two pages, the shorter versions of :func:`handout_content` are used
    (``detail`` 1 to 4)."""
    return build_pdf_and_handout(atlas, audience, regions=regions, source=source, side=side,
                                 images=images, view=view)[0]


def build_pdf_and_handout(atlas, audience="patient", *, regions=(), source=None, side="right",
                          images=True, view=None) -> tuple[bytes, Handout]:
    """:func:`build_pdf`, and the version of the handout the PDF shows (the text may be a
    shortened one, so that it fits on two pages)."""
    regions = tuple(regions)
    full = _handout(atlas, audience, regions, source, side, images, view)

    def candidates():
        for detail, count in FIT_ORDER:
            handout = full if detail == 0 else replace(
                handout_content(atlas, audience, regions=regions, source=source, side=side,
                                detail=detail, view=view), images=full.images,
                notice=full.notice, narrowest=full.narrowest)
            for density in DENSITIES[:count]:
                yield handout, density

    return fit_pdf(candidates())


def build_html(atlas, audience: str = "patient", *, regions: Iterable[tuple[str, str]] = (),
               source: str | None = None, side: str = "right", images: bool = True,
               view: str | None = None) -> str:
    """The handout as one self-contained HTML page (works offline), built in memory."""
    return render_html(_handout(atlas, audience, regions, source, side, images, view))
