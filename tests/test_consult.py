"""The "check first" content and triage (pathways.consult): validation, urgency, URL answers,
readability."""

from __future__ import annotations

import pytest
import yaml

from pathways import AtlasError, DataFileError
from pathways.consult import (
    ANSWERS,
    DEFAULT_CHECK_FILE,
    AnswerError,
    ContentError,
    format_answers,
    load_check,
    parse_answers,
    triage,
)


@pytest.fixture(scope="module")
def content():
    return load_check()


@pytest.fixture
def check_copy(tmp_path):
    """Edit a copy of check.yaml, then load it: ``check_copy(change)`` returns the loader's
    result (or raises its error)."""

    def edit(change):
        data = yaml.safe_load(DEFAULT_CHECK_FILE.read_text(encoding="utf-8"))
        change(data)
        path = tmp_path / "check.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        return load_check(path)

    return edit


def all_no(content):
    return {q.id: "no" for q in content.questions}


def by_urgency(content, urgency):
    return [q.id for q in content.questions if q.urgency == urgency]


# --------------------------------------------------------------------------- the bundled file


def test_bundled_file_loads_and_is_cached(content):
    assert load_check() is content
    assert len(content.questions) >= 15
    assert by_urgency(content, "now") and by_urgency(content, "today")


def test_every_citation_key_resolves_to_a_reference(content, atlas):
    items = [*content.questions, *content.messages.values(), content.walk_intro, *content.steps,
             content.jaw, *content.discuss, *content.myths]
    for item in items:
        assert item.citations, item
        assert set(item.citations) <= set(atlas.references), item


def test_questions_cover_every_snnoop10_flag_and_the_dissection_signs(content):
    flags = " ".join(q.flag for q in content.questions).lower()
    for flag in ("fever", "neoplasm", "neurological deficit", "decreased consciousness",
                 "sudden or abrupt", "older age", "pattern change", "positional",
                 "sneezing, coughing or exercise", "papilledema", "progressive", "pregnancy",
                 "painful eye", "posttraumatic", "immune system", "painkiller overuse"):
        assert flag in flags, flag
    assert "cervical artery dissection" in flags
    asked = " ".join(q.patient for q in content.questions).lower()
    for sign in ("double", "slurred", "weakness", "eyelid", "one side of your neck"):
        assert sign in asked, sign


@pytest.mark.parametrize("question_id,urgency", [
    ("thunderclap", "now"), ("neck-artery", "now"), ("weakness-speech", "now"),
    ("eye-signs", "now"), ("fainting-confusion", "now"), ("fever", "now"), ("injury", "now"),
    ("new-or-changed", "today"), ("older-onset", "today"), ("pregnancy", "today"),
    ("painkillers-medicines", "today"), ("cancer", "today"),
])
def test_emergency_signs_are_now_and_the_others_today(content, question_id, urgency):
    assert content.question(question_id).urgency == urgency


def test_emergency_questions_come_first(content):
    urgencies = [q.urgency for q in content.questions]
    assert urgencies == sorted(urgencies, key=["now", "today"].index)


def test_unverified_warning_sign_lists_are_not_shipped(content):
    """The '5 Ds and 3 Ns' list and Hall 2008's four criteria are unverified in the fact
    sheet."""
    texts = [q.patient + q.clinician for q in content.questions]
    texts += [s.clinician + s.patient + s.limits for s in content.steps]
    body = " ".join(texts).lower()
    for term in ("dysphagia", "drop attack", "nystagmus", "ataxia", "5 ds", "hall 2008",
                 "briffa & hopper 2008"):
        assert term not in body, term


def test_clinical_tests_are_for_clinicians_with_their_numbers_and_limits(content):
    patient_steps = {s.id for s in content.steps_for("patient")}
    clinician_steps = {s.id: s for s in content.steps_for("clinician")}
    assert {"flexion-rotation-test", "three-sign-cluster"} <= set(clinician_steps)
    assert not {"flexion-rotation-test", "three-sign-cluster"} & patient_steps
    assert content.steps_for("educator") == content.steps_for("clinician")
    frt = clinician_steps["flexion-rotation-test"]
    assert "44°" in frt.clinician and "32°" in frt.clinician
    assert "does not diagnose" in frt.limits
    cluster = clinician_steps["three-sign-cluster"]
    for sign in ("Restricted cervical movement", "upper cervical joint", "cranio-cervical flexion"):
        assert sign in cluster.clinician
    assert "diagnostic blocks" in cluster.limits
    criteria = clinician_steps["proof-of-cause"].clinician
    assert "at least two" in criteria and "diagnostic blockade" in criteria


def test_the_jaw_note_says_association_is_not_cause(content):
    assert "does not mean that one causes the other" in content.jaw.patient
    assert "not a demonstrated cause" in content.jaw.clinician


def test_the_five_popular_claims_are_corrected(content):
    claims = {m.id: m for m in content.myths}
    assert set(claims) == {"most-headaches-are-neck", "signal-into-face-nerve", "women-four-times",
                           "pressing-proves-it", "manipulation-cures"}
    assert "haldeman-dagenais2001" in claims["women-four-times"].citations
    assert "review" in claims["women-four-times"].evidence.patient
    assert "do not travel back out" in claims["signal-into-face-nerve"].evidence.patient


@pytest.mark.heavy  # a sweep over every state: not in the quick tier
def test_patient_texts_read_at_grade_8_or_lower(content):
    import textstat

    texts = {"intro": content.intro.patient, "privacy": content.privacy.patient,
             "walk": content.walk_intro.patient, "jaw": content.jaw.patient}
    for q in content.questions:
        texts[f"question {q.id}"] = q.patient
    for name, message in content.messages.items():
        texts[f"message {name}"] = message.title_patient + " " + message.patient
    for step in content.steps_for("patient"):
        texts[f"step {step.id}"] = step.patient
    for i, point in enumerate(content.discuss):
        texts[f"discuss {i}"] = point.patient
    for myth in content.myths:
        texts[f"myth {myth.id}"] = myth.claim + " " + myth.evidence.patient
    for name, text in texts.items():
        assert text.strip(), name
        assert textstat.flesch_kincaid_grade(text) <= 8, (name, text)


# ------------------------------------------------------------------------ malformed content


def set_in(path, value):
    def change(data):
        target = data
        for part in path[:-1]:  # "@id" picks the list item with that id
            if part.startswith("@"):
                target = next(item for item in target if item["id"] == part[1:])
            else:
                target = target[part]
        target[path[-1]] = value
    return change


def test_a_bad_urgency_names_file_entry_and_field(check_copy):
    with pytest.raises(ContentError) as info:
        check_copy(set_in(["questions", "@fever", "urgency"], "soon"))
    error = info.value
    assert (error.file, error.entry, error.field) == ("check.yaml", "questions/fever", "urgency")
    assert "'soon' is not valid" in str(error) and "'now'" in str(error)
    assert isinstance(error, DataFileError) and not isinstance(error, AtlasError)


def test_an_unknown_citation_key_names_the_entry(check_copy):
    with pytest.raises(ContentError, match=r"entry 'myths/women-four-times': field 'citations': "
                                           r"unknown reference key 'haldeman2001'"):
        check_copy(set_in(["myths", "@women-four-times", "citations"], ["haldeman2001"]))


def test_a_missing_patient_text_in_a_walk_step_is_named(check_copy):
    def change(data):
        del next(s for s in data["walk"]["steps"] if s["id"] == "pointers")["patient"]
    with pytest.raises(ContentError) as info:
        check_copy(change)
    assert (info.value.entry, info.value.field) == ("walk/steps/pointers", "patient")
    assert "is missing" in str(info.value) and "plain words" in str(info.value)


def test_a_clinician_only_step_needs_no_patient_text(check_copy):
    loaded = check_copy(lambda data: None)
    assert not next(s for s in loaded.steps if s.id == "flexion-rotation-test").patient


@pytest.mark.parametrize("change,entry,field,words", [
    (set_in(["questions", "@cancer", "colour"], "red"), "questions/cancer", "colour",
     "is not a known field"),
    (set_in(["questions", "@cancer", "citations"], []), "questions/cancer", "citations",
     "is not valid"),
    (set_in(["questions", "@cancer", "short"], {"patient": "cancer"}), "questions/cancer",
     "short.clinician", "is missing"),
    (lambda data: data["messages"].pop("now"), "messages", "now", "is missing"),
    (set_in(["jaw", "title"], "TMD"), "jaw", "title", "is not valid"),
    (lambda data: data.pop("myths"), "(file)", "myths", "is missing"),
    (lambda data: data["questions"].append(dict(data["questions"][0])), "questions/thunderclap",
     "id", "duplicate id"),
])
def test_malformed_entries_are_named(check_copy, change, entry, field, words):
    with pytest.raises(ContentError) as info:
        check_copy(change)
    assert (info.value.file, info.value.entry, info.value.field) == ("check.yaml", entry, field)
    assert words in str(info.value)


def test_broken_yaml_and_a_missing_file_are_reported(tmp_path):
    path = tmp_path / "check.yaml"
    path.write_text("questions: [\n  - id: x\n", encoding="utf-8")
    with pytest.raises(ContentError, match=r"check.yaml: entry 'line \d+': field '\(syntax\)'"):
        load_check(path)
    with pytest.raises(ContentError, match="the file is missing"):
        load_check(tmp_path / "nowhere" / "check.yaml")


# ----------------------------------------------------------------------------------- triage


def test_all_no_offers_the_explanation(content):
    result = triage(all_no(content), content)
    assert (result.level, result.explanation, result.messages) == ("clear", "offer", ("clear",))
    assert result.offer_explanation and not result.urgent and result.complete


@pytest.mark.parametrize("question_id", [q.id for q in load_check().questions])
def test_any_yes_sets_its_urgency_and_withholds_the_explanation(content, question_id):
    answers = all_no(content) | {question_id: "yes"}
    result = triage(answers, content)
    urgency = content.question(question_id).urgency
    assert result.level == urgency and result.messages[0] == urgency
    assert result.yes == (question_id,)
    assert result.explanation == "withhold" and not result.offer_explanation and result.urgent


def test_a_yes_counts_before_the_other_questions_are_answered(content):
    result = triage({"thunderclap": "yes"}, content)
    assert result.level == "now" and not result.complete and not result.offer_explanation


def test_the_most_urgent_yes_wins_and_is_listed_first(content):
    result = triage({"pregnancy": "yes", "fever": "yes", "cancer": "yes"}, content)
    assert result.level == "now"
    assert result.yes[0] == "fever" and set(result.yes) == {"pregnancy", "fever", "cancer"}


def test_unsure_about_an_emergency_sign_is_not_treated_as_no(content):
    result = triage(all_no(content) | {"neck-artery": "unsure"}, content)
    assert result.level == "unsure" and result.messages == ("unsure-now",)
    assert result.unsure == ("neck-artery",) and result.unsure_urgency == "now"
    assert result.explanation == "withhold" and not result.offer_explanation


def test_unsure_about_a_today_sign_asks_for_a_check(content):
    result = triage(all_no(content) | {"cancer": "unsure"}, content)
    assert result.messages == ("unsure",) and result.explanation == "caution"
    assert result.offer_explanation  # with the caution message first


def test_a_today_yes_with_an_unsure_emergency_sign_shows_both(content):
    result = triage(all_no(content) | {"pregnancy": "yes", "thunderclap": "unsure"}, content)
    assert result.level == "today" and result.messages == ("today", "unsure-now")
    assert not result.offer_explanation


def test_nothing_is_offered_until_every_question_is_answered(content):
    for answers in ({}, {"thunderclap": "no"}, {q: None for q in content.ids}):
        result = triage(answers, content)
        assert result.level == "incomplete" and result.explanation == "wait"
        assert not result.offer_explanation and result.messages == ()
    partly_unsure = triage({"cancer": "unsure"}, content)
    assert partly_unsure.messages == ("unsure",) and partly_unsure.explanation == "wait"


def test_bad_answers_raise_helpful_errors(content):
    with pytest.raises(AnswerError, match="unknown question 'thunder'. Did you mean: thunderclap"):
        triage({"thunder": "yes"}, content)
    with pytest.raises(AnswerError, match="must be 'yes', 'no' or 'unsure'"):
        triage({"fever": "maybe"}, content)
    with pytest.raises(AnswerError, match="Did you mean: fever"):
        content.question("fevre")


def test_wording_follows_the_audience(content):
    question = content.question("neck-artery")
    assert question.text("patient") == question.patient
    assert question.text("educator") == question.clinician
    with pytest.raises(ValueError, match="audience"):
        question.text("child")


# ------------------------------------------------------------------------------ URL answers


def test_answers_round_trip_through_the_url_form(content):
    answers = {q.id: ANSWERS[i % 3] for i, q in enumerate(content.questions)}
    text = format_answers(answers, content)
    assert text.startswith("thunderclap:yes,neck-artery:no,")
    assert parse_answers(text, content) == (answers, [])
    assert format_answers({}, content) is None


@pytest.mark.parametrize("value,expected,ignored", [
    ("thunderclap:no,fever:unsure", {"thunderclap": "no", "fever": "unsure"}, 0),
    ("fever:yes,fever:no", {"fever": "no"}, 0),
    (" Fever : YES ,", {"fever": "yes"}, 0),
    (["thunderclap:yes", "cancer:no"], {"cancer": "no"}, 0),
    ("thunderclap", {}, 1),
    ("thunderclap:maybe,fever:yes", {"fever": "yes"}, 1),
    ("<script>alert(1)</script>:yes,thunderclap:<b>yes</b>", {}, 2),
    (":::,,,", {}, 1),
    ("", {}, 0),
])
def test_url_answers_are_parsed_defensively(content, value, expected, ignored):
    answers, notices = parse_answers(value, content)
    assert answers == expected
    assert len(notices) == (1 if ignored else 0)
    if ignored:
        assert f"{ignored} answer" in notices[0]
    for notice in notices:
        assert "<" not in notice and "script" not in notice and "maybe" not in notice


def test_an_overlong_url_value_is_not_read(content):
    answers, notices = parse_answers("fever:yes," * 1000, content)
    assert answers == {} and "too long" in notices[0]
