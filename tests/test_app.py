"""App-level checks with Streamlit's AppTest: every page, every audience, deep links."""

import json

import pytest
from streamlit.testing.v1 import AppTest

from pathlib import Path

import pathways
from bench.pages import content_pages
from pathways import diagram

ROOT = Path(__file__).resolve().parent.parent

# Read from app.py and pathways, so a page or an audience added there is covered here too.
PAGES = [page.script for page in content_pages()]
AUDIENCES = list(pathways.AUDIENCES)


def open_page(page: str, **params) -> AppTest:
    """Open a page the way a typed URL does: a new session with the parameters present."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params.update(params)
    at.run()
    at.switch_page(page)
    at.query_params.update(params)
    return at.run()


def texts(at) -> str:
    parts = [m.value for m in at.markdown] + [m.value for m in at.caption]
    parts += [m.value for m in at.info] + [m.value for m in at.title] + [m.value for m in at.subheader]
    return "\n".join(parts)


def test_the_pages_and_audiences_tested_include_the_known_ones():
    assert {"app_pages/home.py", "app_pages/pathways.py", "app_pages/where_it_hurts.py",
            "app_pages/sensitization.py", "app_pages/check.py", "app_pages/present.py",
            "app_pages/quiz.py", "app_pages/references.py"} <= set(PAGES)
    assert {"patient", "clinician", "educator"} <= set(AUDIENCES)


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
    # each source lists the connections that cite it, in the reader's words
    ref = next(r for r in atlas.references.values() if atlas.cited_by(r.key))
    edge = atlas.cited_by(ref.key)[0]
    entry = body[body.index(ref.title.rstrip(".")):]
    entry = entry[:entry.index("\n1. ")] if "\n1. " in entry else entry
    assert "Cited by" in entry and atlas.name(edge.source, "clinician") in entry


def test_pathways_deep_link_shows_the_referrals_and_sources():
    at = open_page("app_pages/pathways.py", source="c2-c3-facet-joint", side="left",
                   audience="clinician")
    assert at.selectbox(key="source").value == "c2-c3-facet-joint"
    body = texts(at)
    assert "Occipital region (left)" in body
    assert "third occipital nerve" in body
    assert "Lord SM" in body  # sources always visible for clinicians


def figure(at, index=0) -> dict:
    return json.loads(at.get("plotly_chart")[index].proto.spec)


def region_fills(fig) -> dict:
    """(region, side) -> fill colour, from the region traces of a head map."""
    out = {}
    for trace in fig["data"]:
        name = trace.get("name", "")
        if name.startswith("region:"):
            _, region, side = name.split(":")
            out[(region, side)] = trace.get("fillcolor")
    return out


def test_where_it_hurts_deep_link_lists_candidates_of_both_groups():
    at = open_page("app_pages/where_it_hurts.py", region="orbit", side="left")
    body = texts(at) + " ".join(w.value for w in at.warning)
    assert "Possible causes in the upper neck" in body and "Inside the skull" in body
    assert "not a diagnosis" in body
    assert "Small joint between the 2nd and 3rd neck bones" in body
    assert "Lining of the brain under the top of the skull" in body
    fills = region_fills(figure(at))
    neutral = fills[("forehead", "left")]
    assert fills[("orbit", "left")] != neutral and fills[("orbit", "right")] == neutral


def test_source_deep_link_lights_typical_and_possible_regions_differently():
    at = open_page("app_pages/where_it_hurts.py", source="c2-c3-facet-joint", view="right")
    fig = figure(at)
    fills = region_fills(fig)
    neutral = fills[("cheek", "right")]
    assert fills[("occiput", "right")] != neutral          # typical
    assert fills[("orbit", "right")] != neutral            # possible
    assert fills[("occiput", "right")] != fills[("orbit", "right")]
    markers = next(t for t in fig["data"] if t.get("name") == "regions")
    assert ["occiput", "right"] in [list(c[:2]) for c in markers["customdata"]]
    assert "Back of the head (right)" in texts(at)


def test_reverse_lookup_with_the_keyboard_control_updates_the_url():
    at = open_page("app_pages/where_it_hurts.py")
    at.multiselect(key="picked").select("forehead:left").run()
    at.multiselect(key="picked").select("occiput:right").run()
    assert at.query_params["region"] == "forehead:left,occiput:right"
    assert "side" not in at.query_params
    assert "Small joint between the 2nd and 3rd neck bones" in texts(at)


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


def test_pathways_diagram_highlights_the_chosen_path():
    at = open_page("app_pages/pathways.py", source="c2-c3-facet-joint", side="right")
    fig = figure(at)
    sources = next(t for t in fig["data"] if t.get("name") == "sources")
    assert ["c2-c3-facet-joint"] in sources["customdata"]
    assert len(fig.get("frames", [])) > 1  # the signal animation plays in the browser
    body = texts(at)
    assert "Back of the head (right)" in body
    assert "Nothing travels back out along that nerve." in body


def test_pathways_text_equivalent_is_rendered():
    at = open_page("app_pages/pathways.py", audience="clinician")
    assert "Text description of the diagram" in [e.label for e in at.expander]
    assert "Trigeminocervical nucleus" in texts(at) or "trigeminocervical nucleus" in texts(at)


@pytest.mark.parametrize("page", PAGES)
def test_patients_see_the_cited_route_to_urgent_care_on_the_page_itself(page):
    """Phones never show the sidebar: for patients the note is in the page, on every page."""
    at = open_page(page)
    note = " ".join(m.value for m in at.main.markdown)
    assert "sudden, severe headache needs medical help now" in note and "Do et al. 2019" in note


def test_clinicians_find_the_route_to_urgent_care_in_the_sidebar():
    at = open_page("app_pages/references.py", audience="clinician")
    note = " ".join(c.value for c in at.sidebar.caption)
    assert "medical help now" in note and "Do et al. 2019" in note


def test_a_parameter_for_another_page_is_ignored_quietly():
    at = open_page("app_pages/pathways.py", region="nowhere", source="c2-c3-facet-joint")
    assert not at.exception
    assert "not on the map" not in texts(at)
    assert at.selectbox(key="source").value == "c2-c3-facet-joint"


def test_content_notes_cite_known_references(atlas):
    from pathways.guidance import load_notes

    for name, note in load_notes().items():
        assert note.text and note.citations, name
        assert set(note.citations) <= set(atlas.references), name


def test_dermatome_layer_says_maps_vary_with_sources():
    at = open_page("app_pages/where_it_hurts.py", overlay="dermatomes", region="occiput",
                   side="left", view="back")
    body = texts(at)
    assert "maps vary" in body and "C1 usually has no skin area" in body and "Lee et al. 2008" in body


@pytest.mark.parametrize("page", ["app_pages/pathways.py", "app_pages/where_it_hurts.py"])
def test_a_red_flag_source_warns_on_both_explorer_pages(page):
    from pathways.guidance import load_guidance

    at = open_page(page, source="vertebral-artery")
    warning = load_guidance().warning("vertebral-artery").patient
    assert any(warning in e.value for e in at.error)
    assert "emergency" in warning and "Do not have neck treatment" in warning


def test_the_root_opens_the_home_page_and_keeps_the_audience():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["audience"] = "clinician"
    at.run()
    assert not at.exception
    assert at.title[0].value.startswith("Why can a neck problem")
    assert "afferents" in texts(at)  # clinician wording


def test_layout_link_opens_the_small_screen_diagram_and_bad_values_fall_back():
    at = open_page("app_pages/pathways.py", layout="compact", source="c2-c3-facet-joint")
    assert at.toggle(key="compact").value is True
    assert figure(at)["layout"]["yaxis"]["range"] == list(diagram.axis_ranges(compact=True)[1])
    at = open_page("app_pages/pathways.py", layout="<b>huge</b>")
    assert not at.exception
    assert at.toggle(key="compact").value is False
    assert "layout in the link was not recognised" in texts(at)
    assert "huge" not in texts(at)


def test_the_diagram_shown_is_the_validated_figure_and_showing_it_changes_nothing(atlas):
    """Pages show stored specs without re-making a figure (view.plot): what reaches the browser
    must be exactly what the builder drew, and the shared spec must survive being shown."""
    import plotly.io as pio

    args = dict(audience="clinician", source="c2-c3-facet-joint", side="left", height=640,
                compact=False)
    stored = diagram.build_diagram.spec(atlas, **args)
    before = pio.to_json(stored, validate=False)
    at = open_page("app_pages/pathways.py", source="c2-c3-facet-joint", side="left",
                   audience="clinician", layout="wide")
    fresh = diagram.build_diagram.__wrapped__(atlas, **args)  # built anew, validated
    assert figure(at) == json.loads(pio.to_json(fresh, validate=False))
    assert pio.to_json(diagram.build_diagram.spec(atlas, **args), validate=False) == before


def test_references_filter_narrows_the_list_and_says_when_nothing_matches(atlas):
    at = open_page("app_pages/references.py", audience="patient")
    at.text_input(key="ref_filter").input("Staud").run()
    body = texts(at)
    assert "Staud" in body and "Bogduk N." not in body
    at.text_input(key="ref_filter").input("no such source zzz").run()
    assert "No source matches that filter." in texts(at)
