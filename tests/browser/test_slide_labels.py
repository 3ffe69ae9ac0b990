"""Exported slides, measured in Chromium: every lesson step's slide, and the figure downloads
of the pages (the diagram, the head map and the sensitisation charts as the pages draw them,
with their caption above and sources below), in patient and clinician words. Each is drawn by
plotly.js at the slide's own size (as Kaleido draws it) and no text may overlap another or
leave the slide; each slide is 16:9."""

from __future__ import annotations

import pytest

from pathways import diagram, headmap, load_atlas, sensitization
from pathways import lesson as L
from pathways.slides import slide_figure
from tests.browser.label_boxes import overlaps_and_outside

AUDIENCES = ("patient", "clinician")


def check(draw, slide) -> tuple[list, list]:
    width, height = slide.layout.width, slide.layout.height
    assert width * 9 == height * 16, (width, height)
    return overlaps_and_outside(draw(slide, width, height))


@pytest.mark.parametrize("audience", AUDIENCES)
def test_every_lesson_slide_has_no_touching_or_cut_off_text(draw, audience):
    atlas = load_atlas()
    found = {}
    for step in L.load_lesson().steps:
        slide = L.step_slide(atlas, step, audience)
        if slide is None:
            continue
        overlaps, outside = check(draw, slide)
        if overlaps or outside:
            found[step.id] = (overlaps, outside)
    assert not found


@pytest.mark.parametrize("audience", AUDIENCES)
def test_every_page_figure_download_has_no_touching_or_cut_off_text(draw, audience):
    atlas = load_atlas()
    labels = {r: atlas.name(r, audience, short=True) for r in atlas.ids("body-region")}
    states = headmap.region_states(atlas.referral("c2-c3-facet-joint", "left"))
    sources = L.citation_text(atlas, ("bogduk1992", "lord1994"))
    figures = {  # as the pages draw them for their download buttons
        "diagram": diagram.build_diagram(atlas, audience=audience, animate=False, height=860),
        "diagram, C2-C3 joint": diagram.build_diagram(
            atlas, audience=audience, source="c2-c3-facet-joint", side="left", animate=False,
            height=860),
        **{f"head map, {view}": headmap.build_head_map(view, states=states, region_labels=labels,
                                                       height=560)
           for view in ("front", "left", "back")},
        "stimulus-response": sensitization.stimulus_response_figure(0.6, 0.0, audience),
        "wind-up": sensitization.windup_figure(0.6, 0.0, audience=audience),
    }
    found = {}
    for name, figure in figures.items():
        slide = slide_figure(figure, f"A caption for the {name} figure, as the page words it.",
                             sources)
        overlaps, outside = check(draw, slide)
        if overlaps or outside:
            found[name] = (overlaps, outside)
    assert not found
