"""Slide export: any figure as a 16:9 slide with its caption and sources, and as an image.

Every page's figure download and the lesson's slides use it: :func:`slide_figure` adds the caption in a band above
and the sources in a band below at :data:`SLIDE_LAYOUT` size, :func:`slide_height` says how
tall to draw the figure so that the slide comes out exactly 16:9, and :func:`slide_image`
renders it at :data:`SLIDE_SIZE` (1920×1080) through :mod:`pathways.export`. No Streamlit
here.
"""

from __future__ import annotations

import html
import textwrap

import plotly.graph_objects as go

from .export import figure_image

__all__ = [
    "SLIDE_SIZE",
    "SLIDE_LAYOUT",
    "SLIDE_SCALE",
    "slide_figure",
    "slide_height",
    "slide_image",
    "wrap_lines",
]

#: Pixel size of an exported slide image, and the layout size it is drawn at (the figures are
#: designed for about 1000–1200 px; drawing there and scaling up keeps labels apart and large).
SLIDE_SIZE = (1920, 1080)
SLIDE_LAYOUT = (1152, 648)
SLIDE_SCALE = SLIDE_SIZE[0] / SLIDE_LAYOUT[0]


def wrap_lines(text: str, width: int) -> str:
    """``text`` in lines of at most ``width`` characters, joined by ``<br>`` for a Plotly
    annotation (``text`` itself when it has no words).

    >>> wrap_lines("Sources: Lord et al. 1994; Bogduk 1992.", 20)
    'Sources: Lord et al.<br>1994; Bogduk 1992.'
    """
    return "<br>".join(textwrap.wrap(text, width)) or text


def _slide_bands(caption: str, citation_text: str) -> tuple[str, str, int, int]:
    """The wrapped caption and sources, and the pixel heights of the bands they need."""
    title = wrap_lines(html.escape(caption, quote=False), 92)
    cite = wrap_lines(html.escape(citation_text, quote=False), 150) if citation_text else ""
    caption_px = 14 + 27 * (title.count("<br>") + 1)
    cite_px = 8 + 18 * (cite.count("<br>") + 1) if cite else 0
    return title, cite, caption_px, cite_px


def slide_figure(fig: go.Figure, caption: str, citation_text: str) -> go.Figure:
    """A copy of ``fig`` for a slide, :data:`SLIDE_LAYOUT` wide, with the caption in a band
    above and the sources in a band below. The figure's own drawing area keeps its size (its
    labels are placed for it), so the copy is taller by the two bands; draw the figure with
    :func:`slide_height` to fill exactly :data:`SLIDE_LAYOUT`; a shorter figure gets room under
    it, and one that came out taller (its labels needed the room) a larger 16:9 canvas, which
    :func:`slide_image` renders at the same image size. The figure's own title gives way to the
    caption, and browser-only parts (the Play button and its frames) are left out.

    >>> f = slide_figure(go.Figure(layout=dict(height=500)), "A caption.", "Source: Bogduk 1992.")
    >>> [a.text for a in f.layout.annotations], f.layout.width, f.layout.height
    (['A caption.', 'Source: Bogduk 1992.'], 1152, 648)
    """
    out = go.Figure(fig)
    out.frames = []
    out.layout.updatemenus = []
    if out.layout.title and out.layout.title.text:
        out.layout.title.text = None
    title, cite, caption_px, cite_px = _slide_bands(caption, citation_text)
    margin = out.layout.margin
    left = 10 if margin.l is None else margin.l
    top = 100 if margin.t is None else margin.t  # Plotly's defaults
    bottom = 80 if margin.b is None else margin.b
    drawn = out.layout.height or 450
    height = drawn + caption_px + cite_px
    width = SLIDE_LAYOUT[0]
    # always 16:9: a shorter figure gets room under it; one that needs more room than asked
    # for keeps it, on a larger canvas scaled down to the same image size (see slide_image)
    grown = max(SLIDE_LAYOUT[1], -(-height // 9) * 9)
    bottom, height, width = bottom + grown - height, grown, grown * 16 // 9
    out.update_layout(
        width=width, height=height, autosize=False,
        margin=dict(l=left, r=10 if margin.r is None else margin.r, t=top + caption_px,
                    b=bottom + cite_px))
    legend = out.layout.legend
    if legend.yref == "container" and legend.y is not None:  # a key at the figure's foot
        # stays where it was above the bottom edge, over the sources band added under it
        out.layout.legend.y = round((legend.y * drawn + height - drawn - caption_px) / height, 4)
    out.add_annotation(
        name="caption", text=title, xref="paper", yref="paper", x=0, xanchor="left",
        xshift=10 - left, y=1, yanchor="bottom", yshift=top + 4, showarrow=False, align="left",
        font=dict(size=22, color="#1A1A1A"))
    if cite:
        out.add_annotation(
            name="sources", text=cite, xref="paper", yref="paper", x=0, xanchor="left",
            xshift=10 - left, y=0, yanchor="top", yshift=-(bottom + 4), showarrow=False,
            align="left", font=dict(size=13, color="#333333"))
    return out


def slide_height(caption: str, citation_text: str) -> int:
    """The height to draw a figure at so that :func:`slide_figure` makes it exactly 16:9.

    >>> slide_height("A caption.", "Source: Bogduk 1992.")
    581
    """
    _, _, caption_px, cite_px = _slide_bands(caption, citation_text)
    return SLIDE_LAYOUT[1] - caption_px - cite_px


def slide_image(fig: go.Figure, fmt: str = "png") -> bytes:
    """A slide figure (see :func:`slide_figure`) as SVG or PNG bytes; the PNG is 1920 pixels
    wide (1920×1080 for a :func:`pathways.lesson.step_slide`). Takes seconds (Kaleido); raises
    :class:`pathways.export.ExportUnavailable` when no browser can render it."""
    width = fig.layout.width or SLIDE_LAYOUT[0]
    return figure_image(fig, fmt, width=width, height=fig.layout.height or SLIDE_LAYOUT[1],
                        scale=SLIDE_SIZE[0] / width)

