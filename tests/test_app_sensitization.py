"""The sensitisation page: linked views driven by two controls that live in the URL."""

import re

import textstat

from pathways import sensitization
from tests.test_app import figure, open_page, texts

PAGE = "app_pages/sensitization.py"


def spread_regions(at) -> list[str]:
    block = next((m.value for m in at.markdown if "may also be felt in" in m.value), "")
    return re.findall(r"- (.+?\((?:left|right)\)) ✱", block)


def test_deep_link_sets_both_controls_and_all_three_views():
    at = open_page(PAGE, level="0.8", modulation="-0.5")
    assert not at.exception
    assert at.slider(key="level").value == 0.8
    assert at.slider(key="modulation").value == -0.5
    charts = at.get("plotly_chart")
    assert len(charts) == 3  # stimulus-response, wind-up, head map
    for i in (0, 1):  # every model plot says it is illustrative
        assert sensitization.ILLUSTRATIVE_NOTE in str(figure(at, i))
    assert spread_regions(at), "at a high level the felt area has spread"
    assert at.query_params["level"] == "0.8" and at.query_params["modulation"] == "-0.5"


def test_raising_the_level_grows_the_felt_area_and_keeps_what_was_there():
    at = open_page(PAGE, level="0.45")
    lower = set(spread_regions(at))
    at.slider(key="level").set_value(0.9).run()
    higher = set(spread_regions(at))
    assert lower and lower < higher
    assert at.query_params["level"] == "0.9"
    fig = figure(at, 2)
    states = {t["meta"]["state"] for t in fig["data"] if t.get("name", "").startswith("region:")}
    assert {"typical", "spread"} <= states


def test_no_sensitisation_means_no_spread_and_an_invitation_to_try():
    at = open_page(PAGE)
    assert not spread_regions(at)
    assert "Move the first slider" in texts(at)
    assert "level" not in at.query_params  # defaults stay out of the link


def test_bad_values_fall_back_with_a_notice():
    at = open_page(PAGE, level="<script>alert(1)</script>", modulation="7")
    assert not at.exception
    notices = " ".join(i.value for i in at.info)
    assert "sensitivity level" in notices and "brain control setting" in notices
    assert "<script>" not in texts(at)
    assert at.slider(key="level").value == 0.0


def test_clinician_mode_lists_parameters_with_their_sources():
    at = open_page(PAGE, audience="clinician", level="0.6")
    body = texts(at)
    assert "receptive_field_fraction** = 0.71" in body
    assert "Bartsch" in body and "Staud" in body
    assert "Treatment evidence" in body


def test_patient_wording_reads_at_grade_8_or_lower():
    at = open_page(PAGE, level="0.7", modulation="0.4")
    # the page's own words: the story, the captions, the text versions, what may help
    passages = [m.value for m in at.markdown if "doi.org" not in m.value and len(m.value) > 80]
    assert len(passages) >= 4
    for text in passages:  # prose paragraphs; each list item is read on its own
        for part in re.split(r"\n(?:- )?", re.sub(r"[*✱]", "", text)):
            if len(part.split()) > 3:
                assert textstat.flesch_kincaid_grade(part) <= 8, part
