"""The pathway diagram (and the head-map drawings) as the handouts print them, drawn by Chromium at the size its picture is
made: no two labels overlap, none is cut off by the picture's edge, and every one is at least
8 pt on paper, in the PDF (its printed width read from the PDF) and in the HTML handout's print
layout. Every lit source, on both sides, in patient and clinician words, and nothing lit.

The print figure is drawn with the installed plotly.js (no network, no app server) and its
labels are measured from the rendered SVG (``getBoundingClientRect`` of every ``text``
element), so the boxes are what the reader sees, in the font the browser really drew.
"""

from __future__ import annotations

import pytest

from pathways import handout as H
from pathways.handout.model import MIN_PRINT_PT
from pathways.handout.pictures import IMAGE_SCALE, print_figures
from pathways.vocabulary import SIDES
from tests.browser.label_boxes import overlaps_and_outside
from tests.test_handout_print import MARKED, PT_PER_MM, SAMPLES, TEXT_WIDTH, printed_widths

AUDIENCES = ("patient", "clinician")


@pytest.mark.parametrize("audience", AUDIENCES)
def test_printed_diagram_labels_neither_overlap_nor_are_cut_off(atlas, draw, audience):
    states = [{}] + [{"source": t, "side": s} for t in atlas.ids("tissue") for s in SIDES]
    found = {}
    for kw in states:
        handout = H.handout_content(atlas, audience, **kw)
        figure, (width, height) = print_figures(atlas, handout)["diagram"]
        measured = draw(figure, width, height)
        assert len(measured["labels"]) >= 8, kw  # drawn, with its names
        overlaps, outside = overlaps_and_outside(measured)
        if overlaps or outside:
            found[kw.get("source", "nothing lit"), kw.get("side")] = (overlaps, outside)
    assert not found


@pytest.mark.parametrize("sample", SAMPLES)
def test_printed_diagram_labels_are_at_least_8_pt_as_chromium_draws_them(atlas, browser, draw,
                                                                        sample):
    audience, kw = SAMPLES[sample]
    if kw.get("regions") == "every":
        kw = {"regions": [(r, s) for r in atlas.ids("body-region") for s in SIDES]}
    data, handout = H.build_pdf_and_handout(atlas, audience, **kw)
    if not handout.images:
        pytest.fail("no pictures: Kaleido could not draw them with this Chromium")
    figure, (width, height) = print_figures(atlas, handout)["diagram"]
    measured = draw(figure, width, height)
    smallest = min(measured["labels"], key=lambda label: label["px"])
    pdf_mm = [mm for _, px, mm in printed_widths(data) if px == round(width * IMAGE_SCALE)]
    assert len(pdf_mm) == 1
    assert smallest["px"] * pdf_mm[0] / width * PT_PER_MM >= MIN_PRINT_PT, smallest
    # the HTML handout prints the same picture across the A4 page's text width
    page = browser.new_page(viewport={"width": round(TEXT_WIDTH / 25.4 * 96), "height": 1000})
    try:
        page.route("**/*", lambda route: route.abort())
        page.set_content(H.render_html(handout), wait_until="load")
        page.emulate_media(media="print")
        shown = page.evaluate("document.querySelector('figure.diagram img')"
                              ".getBoundingClientRect().width")
    finally:
        page.close()
    html_mm = shown * 25.4 / 96
    assert smallest["px"] * html_mm / width * PT_PER_MM >= MIN_PRINT_PT, (smallest, html_mm)


@pytest.mark.parametrize("audience", AUDIENCES)
def test_printed_head_map_texts_neither_overlap_nor_are_cut_off(atlas, draw, audience):
    """Every head-map drawing a handout prints (each lit source on both sides, marked areas,
    every area marked), drawn by Chromium at its picture's size: no text meets another or
    leaves the picture."""
    every = [(r, s) for r in atlas.ids("body-region") for s in SIDES]
    states = ([{"source": t, "side": s} for t in atlas.ids("tissue") for s in SIDES]
              + [{"regions": MARKED}, {"regions": every}, {"regions": [("vertex", "right")]}])
    found, drawn = {}, 0
    for kw in states:
        handout = H.handout_content(atlas, audience, **kw)
        for name, (figure, (width, height)) in print_figures(atlas, handout).items():
            if not name.startswith("headmap-"):
                continue
            measured = draw(figure, width, height)
            assert measured["labels"], (kw, name)  # drawn, with its title at least
            drawn += 1
            overlaps, outside = overlaps_and_outside(measured)
            if overlaps or outside:
                found[kw.get("source") or len(kw["regions"]), kw.get("side"), name] = (
                    overlaps, outside)
    assert drawn >= len(states)
    assert not found
