"""Downloads made on request and never written to disk: a figure as SVG and PNG at slide
resolution, with its caption and sources, and the handout as PDF and as one offline web page.
Where this machine cannot make images, a plain warning says so instead of offering buttons."""

from __future__ import annotations

import functools

import streamlit as st

from .data import atlas

#: Why this machine cannot make images (``{"message": ...}``), once an export has failed; empty
#: while exports work. Read by :func:`figure_downloads` to say so instead of offering buttons.
EXPORT_PROBLEM: dict[str, str] = {}


@st.cache_data(show_spinner=False, max_entries=48)
def _slide_bytes(figure_json: str, fmt: str) -> bytes:
    import plotly.io as pio

    from pathways.slides import slide_image

    return slide_image(pio.from_json(figure_json, skip_invalid=True), fmt)


@st.cache_data(show_spinner=False, max_entries=3)
def lesson_file(audience: str) -> str:
    """The whole lesson as one offline web page (``pathways.lesson.lesson_html``), made on the
    first request for each audience."""
    from pathways.lesson import lesson_html

    return lesson_html(atlas(), audience)


def figure_downloads(figure, caption: str, citations, name: str) -> None:
    """Download buttons for a figure as SVG and PNG at slide resolution (1920 pixels wide), with
    its caption above and its sources below, in the words the caller passes (the current
    audience's). ``figure`` is a Plotly figure, or a function returning one; a figure drawn at
    :func:`pathways.lesson.slide_height` comes out exactly 1920×1080.

    Images take seconds to make (Kaleido), so nothing is made until a button is pressed; the
    bytes are then cached. Where this computer cannot make images, a plain warning says so.
    """
    import re

    from pathways.export import ExportUnavailable
    from pathways.lesson import citation_text
    from pathways.slides import slide_figure

    if EXPORT_PROBLEM:
        st.warning("Figures cannot be saved as images on this computer (the image maker needs "
                   "the Chromium browser). The text description above can still be copied. "
                   "Details: " + EXPORT_PROBLEM["message"], icon=":material/image_not_supported:")
        return
    sources = citation_text(atlas(), citations)
    stem = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "figure"

    def deferred(fmt: str):
        def make() -> bytes:
            fig = figure() if callable(figure) else figure
            try:
                return _slide_bytes(slide_figure(fig, caption, sources).to_json(), fmt)
            except ExportUnavailable as error:
                EXPORT_PROBLEM["message"] = str(error)
                raise
        return make

    with st.container(horizontal=True, key=f"downloads-{stem}"):
        st.download_button("Figure as SVG", data=deferred("svg"), file_name=f"{stem}.svg",
                           mime="image/svg+xml", key=f"download-{stem}-svg", on_click="ignore",
                           icon=":material/download:",
                           help="A vector image for slides, with the caption and sources.")
        st.download_button("Figure as PNG", data=deferred("png"),
                           file_name=f"{stem}.png", mime="image/png", key=f"download-{stem}-png",
                           on_click="ignore", icon=":material/download:",
                           help="A picture 1920 pixels wide (slide resolution), with the caption "
                                "and sources.")


@functools.lru_cache(maxsize=32)
def _handout_bytes(fmt: str, audience: str, regions: tuple, source, side: str,
                   view: str | None) -> bytes:
    """One handout, built in memory on request (kept in memory for repeat clicks only)."""
    from pathways import handout

    if fmt == "pdf":
        return handout.build_pdf(atlas(), audience, regions=regions, source=source, side=side,
                                 view=view)
    return handout.build_html(atlas(), audience, regions=regions, source=source,
                              side=side, view=view).encode("utf-8")


def handout_downloads(audience: str, *, regions=(), source=None, side: str = "right",
                      view: str | None = None, key: str = "handout") -> None:
    """"Download handout" as PDF and as one offline HTML file, for this view (``view``: the
    head-map drawing on screen, used in the handout when it shows everything marked). Nothing
    is made until a button is pressed, and nothing is written to disk or kept about the
    patient."""
    args = (audience, tuple(tuple(r) for r in regions), source, side, view)
    st.header("Take it home" if audience == "patient" else "Handout")  # a section of its own
    st.caption("A one- or two-page summary of this view with the warning signs, what may help "
               "and the sources. It is made when you press the button and is not stored.")
    with st.container(horizontal=True, key=f"{key}-buttons"):
        st.download_button(
            "Download handout (PDF)", data=lambda: _handout_bytes("pdf", *args),
            file_name="neck-and-head-pain-handout.pdf", mime="application/pdf",
            key=f"{key}-pdf", on_click="ignore", icon=":material/picture_as_pdf:", type="primary")
        st.download_button(
            "Handout as a web page (works offline)", data=lambda: _handout_bytes("html", *args),
            file_name="neck-and-head-pain-handout.html", mime="text/html",
            key=f"{key}-html", on_click="ignore", icon=":material/download:")
