"""Clinical vignettes asked of the atlas's public queries. The expected answers are those of
the cited sources; the record of what each source showed is the data itself (the edges'
citations and evidence notes, and each reference's ``supports`` note in references.yaml)."""

import pytest

from pathways import NUCLEUS, UnknownIdError


def regions(referrals, strength=None):
    return {r.region for r in referrals if strength is None or r.strength == strength}


def test_c2_c3_facet_joint_refers_to_the_occiput_typically_via_third_occipital_nerve_and_c3(atlas):
    occiput = [r for r in atlas.referral("c2-c3-facet-joint", "right") if r.region == "occiput"]
    assert len(occiput) == 1
    r = occiput[0]
    assert r.strength == "typical" and r.side == "right"
    assert r.path[:4] == ("c2-c3-facet-joint", "third-occipital-nerve", "c3", NUCLEUS)
    assert r.felt_via == "third-occipital-nerve" and r.path[-1] == "occiput"
    assert {"lord1994", "fukui1996"} <= set(r.citations)


def test_most_typical_referrals_come_first(atlas):
    strengths = [r.strength for r in atlas.referral("c2-c3-facet-joint")]
    assert strengths == sorted(strengths, key=["typical", "possible"].index)
    assert strengths[0] == "typical" and "possible" in strengths


def test_orbit_candidates_include_c2_c3_joint_and_supratentorial_dura(atlas):
    cands = {c.source: c for c in atlas.candidates("orbit", "right")}
    assert cands["c2-c3-facet-joint"].group == "upper-neck"
    assert cands["supratentorial-dura"].group == "trigeminal"


def test_forehead_candidates_include_neck_sources_through_convergence_and_trigeminal_ones(atlas):
    cands = atlas.candidates("forehead", "left")
    groups = {c.group for c in cands}
    assert groups == {"upper-neck", "trigeminal"}
    for c in cands:
        if c.group == "upper-neck":
            assert c.felt_via == "ophthalmic-nerve" and c.via_convergence
            assert any(n in c.path for n in ("c1", "c2", "c3"))


def test_trigeminal_source_for_the_eye_is_ranked_first(atlas):
    """Dura (V1) → orbit is typical; neck sources reach the orbit only as possible."""
    cands = atlas.candidates("orbit", "right")
    assert cands[0].source == "supratentorial-dura" and cands[0].strength == "typical"
    assert all(c.strength == "possible" for c in cands if c.group == "upper-neck")


def test_suboccipital_nerve_supplies_no_skin(atlas):
    assert atlas.territories("suboccipital-nerve") == []
    assert all(r.felt_via != "suboccipital-nerve"
               for t in atlas.ids("tissue") for r in atlas.referral(t))


def test_c1_has_no_dermatome_and_its_pain_is_felt_in_other_territories(atlas):
    assert atlas.territories("c1") == []
    for r in atlas.referral("atlanto-occipital-joint"):
        assert "c1" in r.path and r.felt_via != "c1"


def test_angle_of_jaw_is_great_auricular_not_trigeminal(atlas):
    suppliers = {a for a, b, d in atlas.graph.in_edges("angle-of-jaw", data=True)
                 if d["relation"] == "supplies-skin-of"}
    assert suppliers == {"great-auricular-nerve"}
    assert not any(atlas.nodes[s].kind == "trigeminal-division" for s in suppliers)
    assert {"c2", "c3"} <= {b for _, b, d in atlas.graph.out_edges("great-auricular-nerve", data=True)
                          if d["relation"] == "branch-of"}


def test_tmj_is_supplied_by_the_auriculotemporal_nerve_of_v3(atlas):
    path = atlas.referral("temporomandibular-joint")[0].path
    assert path[1:3] == ("auriculotemporal-nerve", "mandibular-nerve")
    assert all(r.group == "trigeminal" for r in atlas.referral("temporomandibular-joint"))


def test_signals_go_up_from_the_nucleus_and_never_back_out(atlas):
    up = atlas.ascending()
    assert up[:4] == [NUCLEUS, "trigeminothalamic-tract", "thalamus", "somatosensory-cortex"]
    peripheral = {"tissue", "peripheral-nerve", "spinal-root", "trigeminal-division", "ganglion"}
    for _, target, data in atlas.graph.out_edges(NUCLEUS, data=True):
        assert atlas.nodes[target].kind not in peripheral
        assert data["relation"] == "projects-to"


def test_descending_modulation_reaches_the_nucleus_from_pag_via_rvm(atlas):
    assert atlas.edge("periaqueductal-gray", "rostral-ventromedial-medulla").relation == "modulates"
    assert atlas.edge("rostral-ventromedial-medulla", NUCLEUS).relation == "modulates"


def test_right_sided_source_refers_to_the_right_side(atlas):
    assert {r.side for r in atlas.referral("lateral-atlanto-axial-joint", "right")} == {"right"}
    assert {r.side for r in atlas.referral("lateral-atlanto-axial-joint", "left")} == {"left"}


def test_midline_disc_can_refer_to_either_side(atlas):
    sides = {r.side for r in atlas.referral("c2-c3-disc", "right")}
    assert sides == {"left", "right"}
    assert all(r.source_side == "midline" for r in atlas.referral("c2-c3-disc"))


def test_left_occiput_candidates_are_left_sided(atlas):
    cands = atlas.candidates("occiput", "left")
    assert cands and all(c.side == "left" for c in cands)
    assert all(c.source_side in ("left", "midline") for c in cands)


def test_vertebral_artery_is_flagged_and_refers_to_occiput_and_neck(atlas):
    assert atlas.nodes["vertebral-artery"].red_flag
    assert regions(atlas.referral("vertebral-artery"), "typical") == {"occiput", "upper-neck"}


def test_dura_refers_to_the_neck_only_as_possible(atlas):
    """Convergence is two-way: a dural process can make the neck hurt (Bartsch & Goadsby 2003)."""
    neck = [r for r in atlas.referral("supratentorial-dura") if r.region in ("occiput", "upper-neck")]
    assert neck and all(r.strength == "possible" for r in neck)
    assert all("bartsch-goadsby2003-brain" in r.citations for r in neck)


def test_c1_stimulation_evidence_supports_periorbital_referral(atlas):
    orbit = [r for r in atlas.referral("atlanto-occipital-joint") if r.region == "orbit"]
    assert orbit and "johnston2013" in orbit[0].citations


def test_every_path_reaches_the_nucleus_and_every_citation_resolves(atlas):
    for tissue in atlas.ids("tissue"):
        referrals = atlas.referral(tissue)
        assert referrals, tissue
        for r in referrals:
            assert NUCLEUS in r.path and r.path[0] == tissue
            assert r.felt_via in atlas.graph.predecessors(r.region)
            assert r.citations and all(k in atlas.references for k in r.citations)


def test_queries_are_deterministic(atlas):
    assert atlas.referral("sternocleidomastoid") == atlas.referral("sternocleidomastoid")
    assert atlas.candidates("ear", "left") == atlas.candidates("ear", "left")


def test_unknown_ids_list_close_matches(atlas):
    with pytest.raises(UnknownIdError) as info:
        atlas.referral("c2-c3-facet")
    assert "c2-c3-facet-joint" in str(info.value)
    with pytest.raises(UnknownIdError, match="orbit"):
        atlas.candidates("orbt")
    with pytest.raises(UnknownIdError, match="tissue"):
        atlas.referral("c2")  # a root, not a tissue
    with pytest.raises(ValueError, match="left' or 'right"):
        atlas.referral("c2-c3-facet-joint", "both")


def test_explain_speaks_each_audience(atlas):
    r = next(r for r in atlas.referral("c2-c3-facet-joint", "left") if r.region == "orbit")
    patient = " ".join(atlas.explain(r, "patient"))
    clinician = " ".join(atlas.explain(r, "clinician"))
    assert "eye" in patient and "left side" in patient and "zygapophysial" not in patient
    assert "zygapophysial" in clinician and "Convergence–projection" in clinician
    assert "travels back out" in patient  # the myth, corrected in place
    assert "thalamus" in patient.lower() or "relay station" in patient


def test_explain_accepts_a_path_of_ids_and_rejects_a_broken_one(atlas):
    from pathways import PathError

    sentences = atlas.explain(["c2-c3-facet-joint", "third-occipital-nerve", "c3"], "clinician")
    assert len(sentences) == 2 and "third occipital nerve" in sentences[0]
    with pytest.raises(PathError):
        atlas.explain(["c2-c3-facet-joint", "thalamus"])
    with pytest.raises(ValueError, match="audience"):
        atlas.explain(["c1", NUCLEUS], "child")


def test_patient_explanations_read_at_grade_8_or_lower(atlas):
    import textstat

    for tissue in atlas.ids("tissue"):
        for r in atlas.referral(tissue):
            text = " ".join(atlas.explain(r, "patient"))
            assert textstat.flesch_kincaid_grade(text) <= 8, (tissue, r.region, text)


def test_exports_keep_citations(atlas, tmp_path):
    import json

    import networkx as nx

    data = atlas.to_node_link()
    json.dumps(data)
    edge = next(e for e in data["edges"] if e["source"] == "c2-c3-facet-joint"
                and e["target"] == "third-occipital-nerve")
    assert edge["citations"] == ["lord1994", "bogduk-marsland1986"]
    assert {r["key"] for r in data["references"]} == set(atlas.references)
    assert next(n for n in data["nodes"] if n["id"] == "orbit")["sides"] == ["left", "right"]

    path = tmp_path / "atlas.graphml"
    path.write_text(atlas.to_graphml(), encoding="utf-8")
    graph = nx.read_graphml(path)
    assert graph.number_of_edges() == len(atlas.edges)
    attrs = graph.edges["c2-c3-facet-joint", "third-occipital-nerve"]
    assert attrs["citations"] == "lord1994;bogduk-marsland1986" and "Lord SM" in attrs["references"]


def test_several_marked_areas_rank_sources_that_explain_more_of_them_first(atlas):
    groups = atlas.candidates_for([("orbit", "left"), ("occiput", "left")])
    counts = [len(g) for g in groups]
    assert counts == sorted(counts, reverse=True)
    assert {r.region for r in groups[0]} == {"orbit", "occiput"}
    assert any(g[0].source == "supratentorial-dura" for g in groups)  # trigeminal still listed


def test_a_left_and_a_right_joint_are_different_candidates(atlas):
    """Left forehead + right occiput: no single C2-3 joint explains both."""
    groups = atlas.candidates_for([("forehead", "left"), ("occiput", "right")])
    for g in groups:
        if g[0].source_side != "midline":
            assert len({r.side for r in g}) == 1, [(r.source, r.side) for r in g]
    joints = [g for g in groups if g[0].source == "c2-c3-facet-joint"]
    assert {g[0].source_side for g in joints} == {"left", "right"}


def test_c1_c2_joint_refers_to_the_occiput_typically_through_c2(atlas):
    """Aprill, Axinn & Bogduk 2002: C1-2 joint blocks relieved 21 of 34 occipital headaches."""
    occiput = [r for r in atlas.referral("lateral-atlanto-axial-joint", "left")
               if r.region == "occiput"]
    assert len(occiput) == 1 and occiput[0].strength == "typical"
    assert occiput[0].path[:3] == ("lateral-atlanto-axial-joint", "c2", NUCLEUS)
    assert "aprill2002" in occiput[0].citations
    cands = {c.source: c for c in atlas.candidates("occiput", "left")}
    assert cands["lateral-atlanto-axial-joint"].strength == "typical"
