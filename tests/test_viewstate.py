"""URL parameters are untrusted: every odd value falls back with a plain notice."""

from hypothesis import given, settings
from hypothesis import strategies as st

from pathways.viewstate import ViewState, parse_view

KEYS = ("audience", "source", "region", "side", "view", "overlay", "level", "modulation", "step")


def test_valid_deep_link(atlas):
    state, notices = parse_view({"source": "c2-c3-facet-joint", "region": "orbit,forehead",
                                 "side": "left", "level": "0.5", "audience": "clinician"}, atlas)
    assert notices == []
    assert state == ViewState(audience="clinician", source="c2-c3-facet-joint",
                              regions=(("orbit", "left"), ("forehead", "left")), side="left",
                              level=0.5)


def test_each_bad_value_falls_back_with_one_notice(atlas):
    bad = {"audience": "doctor", "source": "neck", "region": "orbit,nowhere", "side": "up",
           "view": "top", "overlay": "x", "level": "nan", "modulation": "5", "step": "99"}
    state, notices = parse_view(bad, atlas)
    assert len(notices) == len(bad)
    assert state.regions == (("orbit", "right"),)  # the good part of a list is kept
    assert state == ViewState(regions=(("orbit", "right"),))


FIXED_NOTICES = set(parse_view(
    {"audience": "x", "source": "x", "region": "x", "side": "x", "view": "x", "overlay": "x",
     "level": "x", "modulation": "x", "step": "x"}, __import__("pathways").load_atlas())[1])


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(KEYS),
                       st.one_of(st.text(max_size=300), st.lists(st.text(max_size=40), max_size=3))))
def test_any_input_gives_a_valid_state_and_never_echoes_it(params):
    from pathways import load_atlas

    atlas = load_atlas()
    state, notices = parse_view(params, atlas)
    assert state.audience in ("patient", "clinician", "educator")
    assert state.side in ("left", "right")
    assert state.source is None or state.source in atlas.ids("tissue")
    assert {r for r, _ in state.regions} <= set(atlas.ids("body-region"))
    assert {s for _, s in state.regions} <= {"left", "right"}
    assert 0 <= state.level <= 1 and -1 <= state.modulation <= 1 and 1 <= state.step <= 12
    # Notices are fixed sentences: nothing the link contained is repeated back.
    assert set(notices) <= FIXED_NOTICES


def test_regions_can_carry_their_own_sides(atlas):
    state, notices = parse_view({"region": "orbit:left,occiput:right,ear:up"}, atlas)
    assert state.regions == (("orbit", "left"), ("occiput", "right"))
    assert len(notices) == 1


def test_unicode_digits_are_not_numbers():
    state, notices = parse_view({"step": "²"})
    assert state.step == 1 and len(notices) == 1
