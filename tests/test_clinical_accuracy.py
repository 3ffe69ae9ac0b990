"""Clinical accuracy, round two (issue 14): each statement says what its source showed.

These tests pin the corrected claims in the data files (atlas, lesson, quiz, check, guidance,
notes), the wind-up model's dependence on the sensitisation level, the content added for
clinicians and educators, and the evidence table that lists every connection.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
import yaml

from pathways.evidence import COLUMNS, evidence_csv, evidence_rows, filter_rows

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "assets" / "content"
MUSCLES = ("suboccipital-muscles", "upper-trapezius", "sternocleidomastoid")


def content(name: str):
    return yaml.safe_load((CONTENT / name).read_text(encoding="utf-8"))


def strings(data) -> list[str]:
    """Every string in a YAML structure (the texts a reader can see, and the citation keys)."""
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [s for v in data.values() for s in strings(v)]
    if isinstance(data, list):
        return [s for v in data for s in strings(v)]
    return []


def step(lesson, step_id):
    return next(s for s in lesson["steps"] if s["id"] == step_id)


def referral(atlas, source, region):
    edge = atlas.edge(source, region)
    assert edge is not None and edge.relation == "refers-pain-to", (source, region)
    return edge


# ------------------------------------------------------------------ 1. statements corrected

@pytest.mark.parametrize("region", ["orbit", "forehead"])
def test_c0_c1_joint_to_v1_stays_possible_and_says_it_rests_on_c1_nerve_stimulation(atlas, region):
    edge = referral(atlas, "atlanto-occipital-joint", region)
    assert edge.strength == "possible"
    assert "johnston2013" in edge.citations
    for words in ("10 patients with chronic occipital pain", "C1 NERVE (not this joint)",
                  "animal data", "Indirect"):
        assert words in edge.evidence, words


@pytest.mark.parametrize("region", ["orbit", "forehead"])
def test_c1_c2_joint_to_v1_stays_possible_and_names_the_skin_injection_in_3_volunteers(
        atlas, region):
    edge = referral(atlas, "lateral-atlanto-axial-joint", region)
    assert edge.strength == "possible" and "piovesan2001" in edge.citations
    assert "skin injection over the greater occipital nerve" in edge.evidence
    assert "2 of 3 volunteers" in edge.evidence and "Indirect" in edge.evidence


def test_the_lateral_atlanto_axial_joint_refers_to_the_occiput_after_aprill_2002(atlas):
    edge = referral(atlas, "lateral-atlanto-axial-joint", "occiput")
    assert edge.strength == "typical" and edge.citations == ("aprill2002",)
    assert "21 had complete relief" in edge.evidence and "34 patients" in edge.evidence
    ref = atlas.references["aprill2002"]
    assert (ref.doi, ref.pmid) == ("10.1046/j.1468-2982.2002.00293.x", "11993608")
    assert ref.journal == "Cephalalgia" and ref.pages == "15-22"
    # its upper-neck edge now cites the study that names the region first
    neck = referral(atlas, "lateral-atlanto-axial-joint", "upper-neck")
    assert neck.citations[0] == "fukui1996" and "names no region" in neck.evidence


def test_v1_supplies_only_part_of_the_supratentorial_dura(atlas):
    edge = atlas.edge("supratentorial-dura", "ophthalmic-nerve")
    assert "middle cranial fossa" in edge.evidence and "V2 and V3" in edge.evidence
    for node_id in ("supratentorial-dura", "ophthalmic-nerve"):
        clinician = atlas.nodes[node_id].description["clinician"]
        assert "middle cranial fossa" in clinician and "V2" in clinician, node_id
    face = step(content("lesson.yaml"), "face-nerve")
    assert "middle cranial fossa dura is V2/V3" in face["body"]["clinician"]
    assert "much of the" in face["body"]["patient"]


def test_muscle_sources_carry_the_ichd3_tension_type_coding(atlas):
    for muscle in MUSCLES:
        node = atlas.nodes[muscle]
        assert "A11.2.5" in node.description["clinician"], muscle
        assert "tension-type headache" in node.description["patient"], muscle
        edges = [e for e in atlas.edges if e.source == muscle and e.relation == "refers-pain-to"]
        assert edges, muscle
        for e in edges:
            assert "ichd3-a11-2-5" in e.citations and "tension-type headache" in e.evidence
    assert "tension-type" in atlas.references["ichd3-a11-2-5"].supports
    groups = content("guidance.yaml")["groups"]["upper-neck"]
    assert "ichd3-a11-2-5" in groups["citations"] and "tension-type" in groups["patient"]


def test_the_angle_of_the_jaw_cites_an_anatomy_source_that_names_the_angle(atlas):
    edge = atlas.edge("great-auricular-nerve", "angle-of-jaw")
    naming = [k for k in edge.citations
              if "angle of the mandible" in atlas.references[k].supports
              and "NOT" not in atlas.references[k].supports]
    assert naming == ["downstate-great-auricular"]


def test_chudler_is_convergent_c1_segment_neurons_and_heinricher_has_no_expectation(atlas):
    c1 = atlas.edge("c1", "trigeminocervical-nucleus").evidence
    assert "C1 afferents converge" not in c1
    assert "neurons of the C1 spinal segment" in c1 and "root itself was not stimulated" in c1
    assert "anaesthetised cats" in atlas.references["chudler1991"].supports.lower()
    rvm = atlas.edge("rostral-ventromedial-medulla", "trigeminocervical-nucleus").evidence
    pag = atlas.nodes["periaqueductal-gray"].description["clinician"]
    for text in (rvm, pag):
        assert "expectation" not in text and "fear, illness and psychological stress" in text


def test_prevalence_figures_say_who_was_counted():
    texts = [t for name in ("lesson.yaml", "quiz.yaml", "check.yaml", "guidance.yaml")
             for t in strings(content(name))]
    akershus = [t for t in texts if "0.17%" in t and "69%" not in t]
    assert akershus
    for text in akershus:
        assert "chronic" in text or "15 or more days a month" in text, text
        assert any(age in text for age in ("30–44", "30 to 44")), text
    vaga = [t for t in texts if "4.1%" in t or "4 in 100" in t]
    assert vaga and all("18" in t and "65" in t for t in vaga), vaga
    myth = next(m for m in content("check.yaml")["myths"] if m["id"] == "most-headaches-are-neck")
    assert "not common" not in myth["evidence"]["patient"]
    assert "who is counted" in myth["evidence"]["patient"]


def test_lesson_statements_say_what_the_evidence_shows():
    lesson = content("lesson.yaml")
    nerves = step(lesson, "upper-neck-nerves")["body"]
    assert "Of all the parts of the neck, only the parts served" in nerves["patient"]
    assert "Of cervical structures, only those" in nerves["clinician"]
    myths = step(lesson, "myths")
    assert "bring on a migraine" not in myths["body"]["patient"]
    assert "bring on head pain in\n" in myths["body"]["patient"] or \
        "bring on head pain in migraine" in " ".join(myths["body"]["patient"].split())
    assert "watson-drummond2012" in myths["citations"]
    both = step(lesson, "both-ways")
    assert "animal studies" in both["body"]["patient"] and "In rats" in both["body"]["clinician"]
    assert "rats" in both["notes"]
    check = " ".join(step(lesson, "check-first")["body"]["clinician"].split())
    assert "Vertebral artery dissection presents as head and posterior neck pain" in check
    assert "Cervical artery dissection presents as ipsilateral occipital" not in check


def test_watson_drummond_is_cited_with_its_design_and_without_unread_numbers(atlas):
    ref = atlas.references["watson-drummond2012"]
    assert ref.pmid == "22607581" and ref.confidence == "V2"
    assert "20 migraine without aura, 14 tension-type headache" in ref.supports
    claims = {m["id"]: m for m in content("check.yaml")["myths"]}
    assert "watson-drummond2012" in claims["pressing-proves-it"]["citations"]


def test_wind_up_texts_name_the_population_and_keep_it_apart_from_sensitisation():
    lesson = content("lesson.yaml")
    adding = step(lesson, "adding-up")
    assert "In healthy people" in adding["body"]["patient"]
    assert "not\n        the same" in adding["body"]["patient"] or \
        "not the same" in " ".join(adding["body"]["patient"].split())
    clinician = " ".join(adding["body"]["clinician"].split())
    assert "In healthy volunteers" in clinician and "fibromyalgia" in clinician
    assert "central sensitisation is a prolonged change that outlasts it" in clinician
    assert {"staud2001", "mendell2022"} <= set(adding["citations"])
    quiz = next(q for q in content("quiz.yaml")["questions"] if q["id"] == "wind-up")
    assert "healthy people" in quiz["question"] and "staud2001" in quiz["citations"]
    notes = content("notes.yaml")["sensitization_story_clinician"]
    assert "Wind-up" in notes["text"] and "mendell2022" in notes["citations"]


def test_the_wind_up_carry_over_lengthens_with_the_sensitisation_level():
    from pathways.sensitization import (
        DEFAULT_PARAMETERS,
        windup_carryover,
        windup_factors,
        windup_tau,
    )

    assert windup_tau(0) == DEFAULT_PARAMETERS.windup_tau_s == 4.5
    assert windup_tau(1) == DEFAULT_PARAMETERS.windup_tau_sensitized_s == 5.5
    assert windup_tau(0) < windup_tau(0.5) < windup_tau(1)
    # every 5 s (0.2 Hz): no summation in healthy volunteers' terms, summation when sensitised
    # (Staud 2001: 2-5 s intervals in fibromyalgia)
    assert windup_carryover(0.2, s=0) == 0.0 < windup_carryover(0.2, s=1)
    assert windup_factors(0.2, 6, 0.0) == [1.0] * 6 and windup_factors(0.2, 6, 1.0)[-1] > 1
    # every 6 s (0.17 Hz) stays flat at every level: no study shows summation there
    assert windup_factors(0.17, 10, 1.0) == [1.0] * 10
    assert windup_carryover(0.25, s=1) > windup_carryover(0.25, s=0)


def test_the_wind_up_figure_text_names_the_population():
    from pathways.sensitization import text_equivalent_windup

    clinician = text_equivalent_windup(0.8, 0, 0.33, "clinician")
    assert "In healthy volunteers" in clinician and "fibromyalgia" in clinician
    assert "Staud 2001" in clinician and "outlasts the input" in clinician
    assert "τ = 5.3 s" in clinician  # 4.5 + 0.8 × 1.0
    patient = text_equivalent_windup(0.8, 0, 0.33, "patient")
    assert "healthy people" in patient and "fades once the taps stop" in patient


def test_c1_usually_has_no_skin_area(atlas):
    assert atlas.territories("c1") == []  # no C1 dermatome is drawn
    assert "usually has no skin area" in content("notes.yaml")["dermatome_maps"]["text"]
    assert "In most people it has no skin area" in atlas.nodes["c1"].description["patient"]
    quiz = next(q for q in content("quiz.yaml")["questions"] if q["id"] == "c1-skin")
    assert quiz["options"][quiz["answer"] - 1].startswith("It usually has no skin area")
    assert "tubbs2007-c1" in quiz["citations"]
    assert "46.6%" in atlas.references["tubbs2007-c1"].supports


def test_generated_sentences_about_the_suboccipital_muscles_agree(atlas):
    r = atlas.referral("suboccipital-muscles", "left")[0]
    patient, clinician = atlas.explain(r, "patient")[0], atlas.explain(r, "clinician")[0]
    assert patient.startswith("The group of small muscles under the back of the skull gets")
    assert clinician.startswith("The suboccipital muscle group is innervated")


# --------------------------------------------------------------------------- 2. content added

def test_the_walk_adds_occipital_neuralgia_chisg_invasive_options_and_an_imaging_caveat():
    steps = {s["id"]: s for s in content("check.yaml")["walk"]["steps"]}
    neuralgia = steps["occipital-neuralgia"]
    assert not neuralgia.get("clinician_only") and "ICHD-3 13.4" in neuralgia["title"]["clinician"]
    assert "stabbing" in neuralgia["patient"] and "paroxysmal" in neuralgia["clinician"]
    chisg = steps["chisg-criteria"]
    assert chisg["clinician_only"] and "sjaastad1998" in chisg["citations"]
    assert "ICHD-3 11.2.1" in chisg["clinician"] and "Ia" in chisg["clinician"]
    invasive = steps["invasive-tests-and-treatments"]
    assert {"bogduk-govind2009", "govind2003", "gonb-review2021"} <= set(invasive["citations"])
    text = " ".join(invasive["clinician"].split())
    assert "43 of 49" in text and "uncontrolled" in text and "randomized" in text
    imaging = steps["neck-problem"]
    assert "nakashima2015" in imaging["citations"] and "87.6%" in imaging["clinician"]
    assert "does not, by itself, explain a headache" in imaging["patient"]


def test_patient_views_say_that_pain_maps_differ_between_people(atlas):
    assert atlas.cited_by("cooper2007")
    assert "not the same in every person" in atlas.nodes["c2-c3-facet-joint"].description[
        "patient"]
    assert "not the same in every person" in content("guidance.yaml")["groups"]["upper-neck"][
        "patient"]


@pytest.mark.parametrize("key", ["liang2021", "latremoliere-woolf2009", "jull2007",
                                 "cooper2007", "haldeman-dagenais2001"])
def test_references_without_doi_or_pmid_say_they_were_searched(atlas, key):
    ref = atlas.references[key]
    assert ref.doi or ref.pmid or "issue 14" in ref.supports, key


def test_added_sources_carry_an_identifier_and_a_confidence(atlas):
    added = ["aprill2002", "staud2001", "mendell2022", "watson-drummond2012", "nakashima2015",
             "govind2003", "gonb-review2021", "sjaastad1998", "tubbs2007-c1",
             "downstate-great-auricular", "wikipedia-meningeal-v3", "ichd3-a11-2-5", "aaseth2009"]
    for key in added:
        ref = atlas.references[key]
        assert ref.link and ref.confidence in ("V", "V2") and ref.supports, key
    assert atlas.references["nakashima2015"].pmid == "25584950"
    assert atlas.references["mendell2022"].pmid == "35295805"


# ------------------------------------------------------------------------ 3. evidence table

def test_the_evidence_table_has_one_row_per_edge(atlas):
    rows = evidence_rows(atlas)
    assert len(rows) == len(atlas.edges)
    assert [(r.source, r.target, r.relation) for r in rows] == [
        (e.source, e.target, e.relation) for e in atlas.edges]
    for row, edge in zip(rows, atlas.edges):
        assert row.evidence == edge.evidence and row.citation_keys == edge.citations
        assert row.citation_labels == tuple(atlas.references[k].short for k in edge.citations)
        assert row.strength == (edge.strength or "")
        assert row.source_name == atlas.name(edge.source, "clinician")


def test_the_evidence_csv_lists_every_edge_with_its_citations(atlas):
    header = ("from", "from_name", "to", "to_name", "relation", "strength", "felt_via",
              "evidence", "citation_keys", "citations")
    parsed = list(csv.DictReader(io.StringIO(evidence_csv(atlas))))
    assert len(parsed) == len(atlas.edges)
    assert tuple(parsed[0]) == header == COLUMNS
    by_pair = {(r["from"], r["to"]): r for r in parsed}
    occiput = by_pair[("lateral-atlanto-axial-joint", "occiput")]
    assert occiput["citation_keys"] == "aprill2002" and occiput["strength"] == "typical"
    assert occiput["citations"] == "Aprill et al. 2002"
    assert evidence_csv([]) == ",".join(header) + "\n"


def test_the_evidence_filter_narrows_by_text_relation_and_strength(atlas):
    rows = evidence_rows(atlas)
    assert filter_rows(rows) == rows
    rats = filter_rows(rows, "RATS")
    assert rats and all("rats" in r.text() for r in rats)
    typical = filter_rows(rows, relations=["refers-pain-to"], strengths=["typical"])
    assert typical and all(r.strength == "typical" for r in typical)
    assert filter_rows(rows, "no such words zzz") == []


def test_the_sources_page_shows_the_evidence_table_and_its_download(atlas):
    from tests.test_app import open_page

    at = open_page("app_pages/references.py", audience="clinician")
    assert not at.exception
    assert "Evidence table" in [h.value for h in at.header]
    table = at.dataframe[0].value
    assert len(table) == len(atlas.edges) and tuple(table.columns) == COLUMNS
    downloads = [b.proto.label for b in at.get("download_button")]
    assert f"Download these {len(atlas.edges)} connections (CSV)" in downloads
    at.text_input(key="evidence_filter").input("Aprill 2002").run()
    narrowed = at.dataframe[0].value
    assert 0 < len(narrowed) < len(atlas.edges)
    assert set(narrowed["from"]) == {"lateral-atlanto-axial-joint"}
    at.multiselect(key="evidence_strength").select("typical").run()
    assert set(at.dataframe[0].value["strength"]) == {"typical"}


def test_generated_sentences_agree_with_a_plural_nerve_name():
    """'The sinuvertebral … nerves of C1–C3 is a branch of' was ungrammatical."""
    from pathways import load_atlas

    atlas = load_atlas()
    referral = atlas.referral("c2-c3-disc", "left")[0]
    patient, clinician = atlas.explain(referral, "patient"), atlas.explain(referral, "clinician")
    assert "Those nerves are branches of the 2nd neck nerve (C2)." in patient
    assert ("The sinuvertebral (recurrent meningeal) nerves of C1–C3 are branches of the C2 "
            "spinal nerve.") in clinician
    assert not any("nerves of C1–C3 is" in s for s in clinician)


def test_a_source_without_recorded_authors_is_never_labelled_unknown():
    from pathways import load_atlas

    labels = [ref.short for ref in load_atlas().references.values()]
    assert not any(label.startswith("Unknown") for label in labels)
    assert "Expert Rev Neurother 2021" in labels
