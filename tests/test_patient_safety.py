"""Safe for patients: the journey from "where it hurts" to the handout, tested as clinical
statements at the level a reader sees (page text through AppTest, handout text)."""

from __future__ import annotations

import re

import pytest
import textstat
import yaml

from pathways import handout as H
from pathways.consult import ContentError, load_check
from pathways.guidance import load_guidance, load_notes, patient_result
from tests.test_app import open_page

PAGE = "app_pages/where_it_hurts.py"
NECK_TREATMENT = re.compile(r"exercis|hands-on|manipulat|massage|manual therapy", re.I)


def flat(text: str) -> str:
    return " ".join(text.replace("**", "").split())


def page_text(at) -> str:
    parts = [m.value for m in at.main.markdown] + [e.value for e in at.error]
    parts += [w.value for w in at.warning] + [i.value for i in at.info]
    parts += [h.value for h in at.subheader] + [c.value for c in at.caption]
    return flat(" ".join(parts))


def order(at) -> list[str]:
    """The page's main column text, in the order shown."""
    return [flat(getattr(e, "value", "") or "") for e in at.main]


@pytest.fixture(scope="module")
def guide():
    return load_guidance()


# ------------------------------------------------------------------- the order on the page

def test_the_patient_result_for_left_eye_pain_names_migraine_before_any_neck_structure(atlas):
    at = open_page(PAGE, region="orbit", side="left")
    text = page_text(at)
    migraine = text.index("migraine")
    for tissue in atlas.ids("tissue"):
        name = atlas.name(tissue, "patient")
        if name in text:
            assert migraine < text.index(name), name


def test_left_eye_on_a_phone_shows_warning_signs_then_usual_causes_then_sources(atlas):
    """The order the issue asks for, read off the rendered page (phones stack it the same)."""
    at = open_page(PAGE, region="orbit", side="left")
    body = " ".join(
        flat(str(getattr(e, "value", ""))) for e in at.main if hasattr(e, "value"))
    warning = body.index("sudden, severe headache needs medical help now")
    usual = body.index("Most head, eye and face pain is not from the neck")
    first_source = min(body.index(atlas.name(t, "patient")) for t in atlas.ids("tissue")
                       if atlas.name(t, "patient") in body)
    assert warning < usual < first_source


def test_eye_pain_names_eye_disease_and_arteritis_as_see_a_doctor_not_a_pathway():
    at = open_page(PAGE, region="orbit", side="left")
    text = page_text(at)
    assert "Pain in the eye can come from the eye itself" in text
    assert "giant cell arteritis" in text and "See a doctor today" in text


def test_stabbing_pain_at_the_back_of_the_head_names_occipital_neuralgia_for_clinicians():
    at = open_page(PAGE, region="occiput", side="left", audience="clinician")
    text = page_text(at)
    assert "Occipital neuralgia (ICHD-3 13.4)" in text
    assert "cervicogenic headache, 11.2.1" in text  # told apart from it


def test_the_brains_lining_is_inside_the_skull_never_from_the_upper_neck(atlas, guide):
    result = patient_result(atlas, [("occiput", "left"), ("orbit", "left")])
    groups = {g.id: {c.source for line in g.lines for c in line.candidates}
              for g in result.groups}
    assert {"posterior-fossa-dura", "supratentorial-dura"} <= groups["intracranial"]
    assert not groups["upper-neck"] & {"posterior-fossa-dura", "supratentorial-dura"}


def test_the_posterior_fossa_dura_warns_like_the_vertebral_artery(guide):
    warning = guide.warning("posterior-fossa-dura")
    assert warning is not None
    for word in ("bleeding", "meningitis", "growth", "Chiari", "coughing"):
        assert word in warning.patient, word
    assert "ichd3-2018" in warning.citations and "do2019-snnoop10" in warning.citations


def test_identical_may_explain_lines_are_listed_once(atlas):
    result = patient_result(atlas, [("orbit", "left")])
    for group in result.groups:
        places = [line.places for line in group.lines]
        assert len(places) == len(set(places))
    neck = next(g for g in result.groups if g.id == "upper-neck")
    assert len(neck.lines) == 1 and len(neck.lines[0].candidates) > 1


def test_a_short_explanation_is_visible_without_opening_anything(atlas):
    at = open_page(PAGE, region="orbit", side="left")
    visible = " ".join(m.value for m in at.main.markdown)
    assert "meeting point at the top of the spinal cord" in visible


def test_the_strongest_group_comes_first(atlas):
    result = patient_result(atlas, [("orbit", "left")])
    assert result.groups[0].lines[0].places[0][2] == "typical"


# ------------------------------------------------------------------- warnings in reach

def test_the_urgent_note_alone_sends_a_sudden_severe_headache_to_urgent_care():
    note = flat(load_notes()["urgent_care"].text)
    first = note.split(".")[0]
    assert "sudden, severe headache needs medical help now" in first
    assert "even with no other signs" in note
    for sign in ("neck pain", "double vision", "dizziness", "unsteady", "confusion", "fainting",
                 "trouble speaking or swallowing"):
        assert sign in note, sign


def test_check_first_asks_about_arteritis_posterior_circulation_and_carotid_signs():
    content = load_check()
    asked = {q.id: q for q in content.questions}
    assert "50 or older" in asked["giant-cell-arteritis"].patient
    assert "chew" in asked["giant-cell-arteritis"].patient
    assert "dizzy" in asked["dizzy-unsteady"].patient and asked["dizzy-unsteady"].urgency == "now"
    assert "Horner" in asked["eyelid-pupil"].clinician and asked["eyelid-pupil"].urgency == "now"
    assert "droop" in asked["eyelid-pupil"].patient


def test_the_head_map_links_to_check_first_with_the_marked_areas_kept():
    at = open_page(PAGE, region="orbit", side="left")
    links = [link for link in at.get("page_link")]
    assert any("check" in str(link.proto.page) and "region=orbit" in str(link.proto)
               for link in links)


def test_the_check_page_leads_back_to_the_marked_areas_when_all_answers_are_no():
    answers = ",".join(f"{q.id}:no" for q in load_check().questions)
    at = open_page("app_pages/check.py", answers=answers, region="orbit", side="left")
    assert any("where_it_hurts" in str(link.proto.page) or "where-it-hurts" in str(link.proto)
               for link in at.get("page_link"))


# ------------------------------------------------------------------- advice fits the source

@pytest.mark.parametrize("audience", ["patient", "clinician"])
def test_no_handout_for_the_vertebral_artery_advises_neck_exercise_or_hands_on_treatment(
        atlas, guide, audience):
    h = H.handout_content(atlas, audience, source="vertebral-artery")
    advice = [p for s in h.sections if s.kind in ("list", "text") for p in s.paragraphs
              if "may help" in s.heading.lower() or "management" in s.heading.lower()]
    assert advice, "the handout gives the advice that fits"
    for paragraph in advice:
        for sentence in re.split(r"(?<=\.)\s", paragraph):
            if NECK_TREATMENT.search(sentence):
                assert re.search(r"\b(not|no|Do not)\b", sentence), sentence


@pytest.mark.parametrize("source", ["posterior-fossa-dura", "supratentorial-dura",
                                    "vertebral-artery", "temporomandibular-joint"])
def test_sources_that_are_not_neck_joints_or_muscles_get_no_neck_treatment_advice(
        atlas, guide, source):
    care = guide.care_of(source)
    assert care.id != "neck"
    for page in ("app_pages/where_it_hurts.py", "app_pages/pathways.py",
                 "app_pages/sensitization.py"):
        at = open_page(page, source=source)
        text = page_text(at)
        assert flat(care.wording.patient) in text
        assert flat(guide.care_of("c2-c3-facet-joint").wording.patient) not in text, page


def test_every_tissue_has_exactly_one_kind_of_advice(atlas, guide):
    for tissue in atlas.ids("tissue"):
        assert sum(tissue in c.sources for c in guide.care) == 1, tissue


def test_patient_strength_words_say_where_pain_goes_not_how_common_the_source_is(guide):
    for strength in ("typical", "possible"):
        word = guide.strength_word(strength, "patient")
        assert "common" not in word and "felt here" in word
    assert "rare" in guide.warning("vertebral-artery").patient


# ------------------------------------------------------------------- the handout says the same

def test_the_handout_uses_the_view_the_patient_marked_and_names_the_first_source(atlas):
    h = H.handout_content(atlas, "patient", regions=[("orbit", "left")], view="front")
    assert set(h.captions) >= {"headmap-front"}
    text = flat(" ".join(p for s in h.sections for p in s.paragraphs))
    assert "first in the list" not in text and "first possible cause" not in text
    top = patient_result(atlas, [("orbit", "left")]).ranked[0]
    assert f"The route from the {top.name[0].lower() + top.name[1:]}" in text


def test_the_handout_carries_the_frame_other_causes_warnings_and_fitting_advice(atlas, guide):
    h = H.handout_content(atlas, "patient", regions=[("orbit", "left"), ("occiput", "left")])
    headings = [s.heading for s in h.sections]
    assert h.sections[0].kind == "warning"
    assert headings.index(guide.usual.title("patient")) < headings.index("Where it hurts")
    text = flat(" ".join(p for s in h.sections for p in s.paragraphs))
    assert flat(guide.warning("posterior-fossa-dura").patient) in text
    for care in ("neck", "intracranial", "artery"):
        wording = next(c for c in guide.care if c.id == care).wording
        assert wording.title("patient") in text
    assert "giant cell arteritis" in text


# ------------------------------------------------------------------- wording and data files

def test_new_patient_wording_reads_at_grade_8_or_lower(guide):
    texts = [guide.usual.patient, load_notes()["urgent_care"].text]
    texts += [c.wording.patient for c in guide.other_causes]
    texts += [c.short.patient for c in guide.other_causes]
    texts += [w.patient for w in guide.warnings.values()]
    texts += [c.wording.patient for c in guide.care]
    texts += [g.patient for g in guide.groups.values()]
    for text in texts:
        assert textstat.flesch_kincaid_grade(flat(text)) <= 8, text[:60]


def test_every_new_statement_cites_known_references(atlas, guide):
    for wording in [guide.usual, *guide.warnings.values(), *guide.groups.values(),
                    *(c.wording for c in guide.other_causes), *(c.wording for c in guide.care)]:
        assert wording.citations and set(wording.citations) <= set(atlas.references)


def test_a_broken_notes_file_names_the_file_and_line(tmp_path, atlas):
    from pathways.guidance import load_notes as load

    bad = tmp_path / "notes.yaml"
    bad.write_text("urgent_care:\n  text: [unclosed\n", encoding="utf-8")
    with pytest.raises(ContentError, match=r"notes\.yaml: entry 'line \d+'"):
        load(bad, atlas=atlas)
    bad.write_text("urgent_care:\n  text: Help.\n  citations: [nobody2020]\n", encoding="utf-8")
    with pytest.raises(ContentError, match="unknown reference key 'nobody2020'"):
        load(bad, atlas=atlas)
    bad.write_text("dermatome_maps:\n  text: x\n  citations: [bogduk1992]\n", encoding="utf-8")
    with pytest.raises(ContentError, match="urgent_care"):
        load(bad, atlas=atlas)


def test_a_broken_notes_file_gives_a_clear_message_on_every_page(monkeypatch):
    import view.data

    def broken():
        raise ContentError("notes.yaml", "line 3", "(syntax)", "not valid YAML", "well-formed YAML")

    monkeypatch.setattr(view.data, "_notes", broken)
    at = open_page("app_pages/home.py")
    assert not at.exception
    assert any("notes.yaml" in e.value and "line 3" in e.value for e in at.error)


def test_a_guidance_file_without_advice_for_a_tissue_is_refused(tmp_path, atlas):
    from pathways.guidance import DEFAULT_GUIDANCE_FILE, load_guidance as load

    data = yaml.safe_load(DEFAULT_GUIDANCE_FILE.read_text(encoding="utf-8"))
    data["care"][0]["sources"].remove("c2-c3-disc")
    path = tmp_path / "guidance.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ContentError, match="no advice for c2-c3-disc"):
        load(path, atlas=atlas)


@pytest.mark.parametrize("content", ["", "# nothing but a comment\n"])
def test_an_empty_edges_file_gives_a_clear_message(atlas_copy, content):
    from pathways import AtlasError

    (atlas_copy.dir / "edges.yaml").write_text(content, encoding="utf-8")
    with pytest.raises(AtlasError, match="edges.yaml"):
        atlas_copy.load()


@pytest.mark.parametrize("page", ["app_pages/where_it_hurts.py", "app_pages/pathways.py"])
def test_a_neck_source_shown_to_a_patient_names_the_usual_causes_first(atlas, guide, page):
    at = open_page(page, source="c2-c3-facet-joint", side="left")
    body = " ".join(flat(str(getattr(e, "value", ""))) for e in at.main if hasattr(e, "value"))
    usual = body.index(guide.usual.title("patient"))
    assert usual < body.index("Where it may be felt")
