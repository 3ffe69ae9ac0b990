"""The "Check first" page with Streamlit's AppTest: warning signs before any explanation,
answers kept in the URL, hostile links stay inert."""

from __future__ import annotations

import pytest

from pathways.consult import load_check
from tests.test_app import AUDIENCES, open_page

PAGE = "app_pages/check.py"
CONTENT = load_check()
EMERGENCY = "Get medical help now."
TODAY = "See a doctor today."
WALK = "Could it come from my neck?"


def everything(at) -> str:
    """Every text a user can read on the page, in page order: titles, headings, markdown,
    captions, messages, question labels and expander labels."""
    parts: list[str] = []

    def visit(node):
        for child in getattr(node, "children", {}).values():
            for attr in ("label", "value"):
                text = getattr(child, attr, None)
                if isinstance(text, str) and not (attr == "value" and hasattr(child, "options")):
                    parts.append(text)
            visit(child)

    visit(at.main)
    return "\n".join(parts)


def answer(at, question_id: str, value: str):
    return at.radio(key=f"check-{question_id}").set_value(value).run()


def answer_all(at, changes: dict | None = None):
    """Answer every question "no", except the ``changes``."""
    for question in CONTENT.questions:
        at.radio(key=f"check-{question.id}").set_value((changes or {}).get(question.id, "no"))
    return at.run()


def radio_values(at) -> dict:
    return {q.id: at.radio(key=f"check-{q.id}").value for q in CONTENT.questions}


@pytest.mark.parametrize("audience", AUDIENCES)
def test_the_page_runs_in_every_audience_with_every_question(audience):
    at = open_page(PAGE, audience=audience)
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value.startswith("Check first")
    assert len(at.radio) == len(CONTENT.questions)
    for radio in at.radio:
        assert radio.value is None, "no answer is chosen for the user"
        assert radio.options == ["Yes", "No", "Not sure"]


def test_patients_answer_the_warning_signs_before_any_explanation():
    at = open_page(PAGE)
    body = everything(at)
    assert WALK not in body and "Myths" not in body
    assert "Answer all of them to see the rest of this page" in body
    assert CONTENT.questions[0].patient in at.radio[0].label


def test_a_yes_to_an_emergency_sign_shows_the_emergency_message_and_no_reassurance():
    at = answer(open_page(PAGE), "thunderclap", "yes")
    assert not at.exception
    errors = [e for e in at.error if EMERGENCY in e.value]
    assert len(errors) == 2  # under the question, and at the top of the result
    assert errors[0].value.startswith(f"**{EMERGENCY}**")
    assert errors[-1].value.startswith(f"### {EMERGENCY}")  # a heading in the result
    assert all(e.icon == ":material/emergency:" for e in errors)
    assert "You said yes to: a sudden, very bad start." in errors[-1].value
    assert at.header[1].value == "Your result"
    # Even after every other answer is "no", the neck explanation is not offered.
    at = answer_all(at, {"thunderclap": "yes"})
    body = everything(at)
    assert EMERGENCY in body
    assert WALK not in body and "Myths and evidence" not in body
    assert "could make a warning sign seem less serious" in body
    assert at.query_params["answers"].startswith("thunderclap:yes,neck-artery:no")


def test_a_yes_to_a_today_sign_says_see_a_doctor_today():
    at = answer_all(open_page(PAGE), {"pregnancy": "yes"})
    warnings = [w.value for w in at.warning]
    assert any(w.startswith(f"**{TODAY}**") and "pregnancy" in w for w in warnings)
    assert not any(EMERGENCY in e.value for e in at.error)
    assert WALK not in everything(at)


def test_all_no_opens_the_walk_the_jaw_the_discussion_list_and_the_myths():
    at = answer_all(open_page(PAGE))
    body = everything(at)
    assert not at.error
    assert "You said no to every warning sign. This check cannot rule everything out." in body
    for heading in (WALK, "What about the jaw?", "What to discuss with your clinician",
                    "Myths and evidence"):
        assert heading in body, heading
    assert "It is for learning, not a diagnosis." in body
    assert "Women are four times more likely" in body
    assert "flexion" not in body.lower()  # the clinical tests are for clinicians
    assert "Sources (" in " ".join(e.label for e in at.expander)  # citations on demand


def test_not_sure_about_an_emergency_sign_is_handled_with_care():
    at = answer_all(open_page(PAGE), {"neck-artery": "unsure"})
    body = everything(at)
    assert "If in doubt, get checked now." in body
    assert "treat it as a yes and get medical help now" in body
    assert "You were not sure about: sudden, severe pain on one side of the neck." in body
    assert WALK not in body and "could make a warning sign seem less serious" in body
    inline = [w for w in at.warning if w.value.startswith("**If in doubt, get checked now.**")]
    assert len(inline) == 2  # under the question and in the result


def test_not_sure_about_a_today_sign_opens_the_walk_with_a_caution_first():
    at = answer_all(open_page(PAGE), {"cancer": "unsure"})
    body = everything(at)
    assert "If in doubt, get checked." in body and "You were not sure about: cancer" in body
    assert "Read this as background only." in body
    assert body.index("Read this as background only.") < body.index("It is for learning")
    assert body.index("Your result") < body.index("If in doubt, get checked.") < body.index(WALK)


def test_the_answers_deep_link_restores_the_answers_and_the_result():
    at = open_page(PAGE, answers="thunderclap:yes,fever:no,cancer:unsure")
    assert not at.exception
    values = radio_values(at)
    assert (values["thunderclap"], values["fever"], values["cancer"]) == ("yes", "no", "unsure")
    assert values["pregnancy"] is None
    assert any(e.value.startswith(f"### {EMERGENCY}") for e in at.error)
    assert at.query_params["answers"] == "thunderclap:yes,fever:no,cancer:unsure"


def test_a_full_no_link_opens_the_walk_directly():
    link = ",".join(f"{q.id}:no" for q in CONTENT.questions)
    at = open_page(PAGE, answers=link)
    assert WALK in everything(at) and not at.error


@pytest.mark.parametrize("value", [
    "thunderclap:maybe,fever",
    "%%%,:::,",
    "x" * 5000,
    "<script>alert(1)</script>:yes",
    '"><img src=x onerror=alert(1)>:no,thunderclap:<b>yes</b>',
    "javascript:alert(1)",
])
def test_a_malformed_or_hostile_answers_value_gives_a_notice_and_stays_inert(value):
    at = open_page(PAGE, answers=value)
    assert not at.exception
    body = everything(at)
    assert any("does not recognise" in i.value or "too long" in i.value for i in at.info)
    for fragment in ("<script", "<img", "onerror", "<b>", "alert(", "maybe", "xxxxx"):
        assert fragment not in body, fragment
    assert all(v is None for v in radio_values(at).values())
    assert "answers" not in at.query_params  # the bad value is dropped from the URL


def test_clinicians_see_the_walk_tests_and_sources_directly():
    at = open_page(PAGE, audience="clinician")
    body = everything(at)
    assert "Could it come from the neck?" in body
    assert "Red-flag checklist" in " ".join(e.label for e in at.expander)
    for text in ("4. Flexion–rotation test (C1–2 rotation)", "5. The three-sign cluster",
                 "about 44° to each side", "32° or less", "**Limits.**",
                 "Popular claims against the evidence", "What to discuss with the patient"):
        assert text in body, text
    assert "Hall T, Robinson K" in body and "Jull G, Amiri M" in body  # sources visible


def test_clinicians_still_get_the_emergency_message_for_a_red_flag():
    at = open_page(PAGE, audience="educator", answers="neck-artery:yes")
    messages = [e.value for e in at.error]
    assert any(m.startswith("### Emergency assessment now.") and "do not start manual therapy"
               in m for m in messages)
    assert "Present: acute unilateral neck pain with headache (possible dissection)." in "\n".join(
        messages)


def test_answers_survive_switching_the_audience():
    at = answer(open_page(PAGE), "fever", "unsure")
    at.sidebar.segmented_control(key="audience").set_value("clinician").run()
    assert not at.exception
    assert at.radio(key="check-fever").value == "unsure"
    assert CONTENT.question("fever").clinician in at.radio(key="check-fever").label
    assert at.query_params["answers"] == "fever:unsure"
