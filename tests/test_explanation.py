"""Several referrals of one source explained together: the shared route once, what differs
per region, the references once (text.explain_referrals)."""

from __future__ import annotations

import pytest

from pathways import load_atlas
from pathways.text import explain, explain_referrals


@pytest.fixture(scope="module")
def atlas():
    return load_atlas()


@pytest.mark.parametrize("audience", ["patient", "clinician"])
def test_the_route_is_said_once_and_nothing_is_lost(atlas, audience):
    for source in atlas.ids("tissue"):
        referrals = atlas.referral(source, "right")
        grouped = explain_referrals(atlas, referrals, audience)
        for r, rest in grouped.regions:
            # every sentence of the full explanation is said, in the route or for its region
            assert set(explain(atlas, r, audience)) == set(grouped.route) | set(rest), source
            assert not set(rest) & set(grouped.route)
        if len(referrals) > 1:
            assert grouped.route, source  # the shared route is said once, not per region
            said = [s for _, rest in grouped.regions for s in rest]
            everywhere = set.intersection(*(set(rest) for _, rest in grouped.regions))
            assert not everywhere, source  # nothing is repeated for every region
            assert len(said) < sum(len(explain(atlas, r, audience)) for r in referrals)
        assert len(grouped.citations) == len(set(grouped.citations))
        assert set(grouped.citations) == {k for r in referrals for k in r.citations}


def test_the_c2_c3_joint_says_its_route_once_instead_of_four_times(atlas):
    referrals = atlas.referral("c2-c3-facet-joint", "right")
    assert len(referrals) == 4
    grouped = explain_referrals(atlas, referrals, "clinician")
    text = " ".join(grouped.route) + " " + " ".join(s for _, rest in grouped.regions for s in rest)
    assert text.count("is innervated by the third occipital nerve") == 1
    assert text.count("project rostrally") == 1


@pytest.mark.parametrize("page", ["app_pages/pathways.py", "app_pages/where_it_hurts.py"])
@pytest.mark.parametrize("audience", ["patient", "clinician"])
def test_the_pages_say_the_route_once_and_name_every_place(atlas, page, audience):
    from tests.test_app import open_page, texts

    at = open_page(page, source="c2-c3-facet-joint", side="right", audience=audience)
    shown = texts(at)
    grouped = explain_referrals(atlas, atlas.referral("c2-c3-facet-joint", "right"), audience)
    for sentence in grouped.route:
        assert shown.count(sentence) == 1, sentence
    for r, _ in grouped.regions:
        assert f"{atlas.name(r.region, audience)} ({r.side})" in shown
