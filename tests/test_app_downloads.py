"""Handout and figure downloads are offered where a clinician or educator needs them."""

import pytest

from tests.test_app import open_page

HANDOUT = "Download handout (PDF)"


def labels(at) -> list[str]:
    return [b.proto.label for b in at.get("download_button")]


@pytest.mark.parametrize("page, params", [
    ("app_pages/where_it_hurts.py", {"region": "orbit:left,occiput:left"}),
    ("app_pages/where_it_hurts.py", {"source": "c2-c3-facet-joint", "side": "left"}),
    ("app_pages/pathways.py", {"source": "c2-c3-facet-joint", "side": "left"}),
])
def test_explorer_views_offer_the_handout_and_the_figure(page, params):
    at = open_page(page, **params)
    assert not at.exception
    found = labels(at)
    assert HANDOUT in found and "Handout as a web page (works offline)" in found
    assert "Figure as SVG" in found and "Figure as PNG" in found


def test_no_handout_until_there_is_something_to_explain():
    at = open_page("app_pages/where_it_hurts.py")
    assert HANDOUT not in labels(at)
    at = open_page("app_pages/pathways.py")
    assert HANDOUT not in labels(at) and "Figure as SVG" in labels(at)


def test_every_model_plot_can_be_exported():
    at = open_page("app_pages/sensitization.py", level="0.6")
    assert labels(at).count("Figure as SVG") == 2


def test_check_page_offers_the_handout_only_when_no_sign_calls_for_help_now():
    from pathways.consult import load_check

    questions = [q for q in load_check().questions]
    urgent = next(q for q in questions if q.urgency == "now")
    all_no = ",".join(f"{q.id}:no" for q in questions)
    assert HANDOUT in labels(open_page("app_pages/check.py", answers=all_no))
    yes = all_no.replace(f"{urgent.id}:no", f"{urgent.id}:yes")
    assert HANDOUT not in labels(open_page("app_pages/check.py", answers=yes))
    # clinicians can always hand it over
    assert HANDOUT in labels(open_page("app_pages/check.py", answers=yes, audience="clinician"))
