"""App-level checks with Streamlit's AppTest: every page, every audience, deep links."""

import json

import pytest
from streamlit.testing.v1 import AppTest

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PAGES = ["app_pages/home.py", "app_pages/pathways.py", "app_pages/where_it_hurts.py",
         "app_pages/sensitization.py", "app_pages/check.py", "app_pages/present.py", "app_pages/references.py"]
AUDIENCES = ["patient", "clinician", "educator"]


def open_page(page: str, **params) -> AppTest:
    """Open a page the way a typed URL does: a new session with the parameters present."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params.update(params)
    at.run()
    if page == "app_pages/home.py":  # the default page: the first run already shows it
        return at
    at.switch_page(page)
    at.query_params.update(params)
    return at.run()


def texts(at) -> str:
    parts = [m.value for m in at.markdown] + [m.value for m in at.caption]
    parts += [m.value for m in at.info] + [m.value for m in at.title] + [m.value for m in at.subheader]
    return "\n".join(parts)


@pytest.mark.parametrize("audience", AUDIENCES)
@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_in_every_audience(page, audience):
    at = open_page(page, audience=audience)
    assert not at.exception, [e.value for e in at.exception]
    assert at.title, "every page has a title"
    assert at.query_params.get("audience", "patient") == audience


def test_home_says_what_it_is_and_where_to_start():
    at = open_page("app_pages/home.py")
    body = texts(at)
    assert "not \"all in your head\"" in body
    assert "cannot tell you what you have" in body


def test_references_page_lists_every_reference_with_links(atlas):
    at = open_page("app_pages/references.py", audience="clinician")
    body = texts(at)
    for ref in atlas.references.values():
        assert ref.title.rstrip(".") in body
        if ref.doi:
            assert f"https://doi.org/{ref.doi}" in body
    assert "Cited by" in " ".join(e.label for e in at.expander)


def test_pathways_deep_link_shows_the_referrals_and_sources():
    at = open_page("app_pages/pathways.py", source="c2-c3-facet-joint", side="left",
                   audience="clinician")
    assert at.selectbox(key="source").value == "c2-c3-facet-joint"
    body = texts(at)
    assert "Occipital region (left)" in body
    assert "third occipital nerve" in body
    assert "Lord SM" in body  # sources always visible for clinicians


def test_where_it_hurts_deep_link_lists_candidates_of_both_groups():
    at = open_page("app_pages/where_it_hurts.py", region="orbit", side="left")
    body = texts(at)
    assert "Upper neck" in body and "Face nerve (trigeminal)" in body
    assert "not a diagnosis" in body


@pytest.mark.parametrize("page,params", [
    ("app_pages/pathways.py", {"source": "<script>alert(1)</script>"}),
    ("app_pages/pathways.py", {"side": "sideways", "source": "c2-c3-facet-joint"}),
    ("app_pages/where_it_hurts.py", {"region": "nowhere", "side": "1"}),
    ("app_pages/home.py", {"audience": "robot"}),
])
def test_bad_parameters_fall_back_with_a_notice_and_no_traceback(page, params):
    at = open_page(page, **params)
    assert not at.exception
    shown = texts(at) + " ".join(t.value for t in at.toast)
    assert "<script>" not in shown
    assert "does not exist" in shown or "not in this atlas" in shown or "not on the map" in shown


def test_changing_the_source_updates_the_url():
    at = open_page("app_pages/pathways.py")
    at.selectbox(key="source").select("temporomandibular-joint").run()
    assert at.query_params["source"] == "temporomandibular-joint"
    at.segmented_control(key="side").set_value("left").run()
    assert at.query_params["side"] == "left"
