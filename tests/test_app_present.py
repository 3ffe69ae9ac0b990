"""AppTest checks of the Lesson (presenter) page and the Quiz page, in every audience."""

from __future__ import annotations

import pytest

from pathways import lesson as L
from tests.test_app import AUDIENCES, figure, open_page, texts

PRESENT = "app_pages/present.py"
QUIZ = "app_pages/quiz.py"
LESSON = L.load_lesson()
STEPS = LESSON.steps


def title(at) -> str:
    return at.title[0].value


def shown(at) -> str:
    return texts(at) + " ".join(e.value for e in [*at.warning, *at.success, *at.error])


@pytest.mark.parametrize("audience", AUDIENCES)
def test_the_lesson_opens_on_step_1_in_every_audience(audience):
    at = open_page(PRESENT, audience=audience)
    assert not at.exception, [e.value for e in at.exception]
    assert title(at) == STEPS[0].title.get(audience)
    assert f"Step 1 of {len(STEPS)}" in texts(at)
    assert STEPS[0].body.get(audience).split(".")[0] in texts(at)
    assert "step" not in at.query_params  # the default is left out of the URL


@pytest.mark.parametrize("audience", AUDIENCES)
@pytest.mark.parametrize("number", [2, 5, 10, len(STEPS)])
def test_a_step_link_opens_that_step(audience, number):
    at = open_page(PRESENT, audience=audience, step=str(number))
    assert not at.exception
    assert title(at) == STEPS[number - 1].title.get(audience)
    assert f"Step {number} of {len(STEPS)}" in texts(at)
    assert at.selectbox(key="step").value == number
    assert at.query_params["step"] == str(number)


def test_next_and_previous_change_the_step_and_the_url():
    at = open_page(PRESENT, step="4")
    at.button(key="lesson-next").click().run()
    assert title(at) == STEPS[4].title.patient and at.query_params["step"] == "5"
    at.button(key="lesson-previous").click().run()
    at.button(key="lesson-previous").click().run()
    assert title(at) == STEPS[2].title.patient and at.query_params["step"] == "3"
    at.selectbox(key="step").select(1).run()
    assert title(at) == STEPS[0].title.patient and "step" not in at.query_params
    assert at.button(key="lesson-previous").disabled


def test_the_last_step_cannot_go_further():
    at = open_page(PRESENT, step=str(len(STEPS)))
    assert at.button(key="lesson-next").disabled
    assert not at.button(key="lesson-previous").disabled


def test_the_step_figure_is_the_real_diagram_with_its_part_highlighted():
    at = open_page(PRESENT, step=str(LESSON.number("meeting-point")), audience="clinician")
    fig = figure(at)
    assert fig["data"][0]["name"] == "emphasis"
    assert any(t.get("name") == "sources" for t in fig["data"])
    at = open_page(PRESENT, step=str(LESSON.number("neck-to-head")))
    fig = figure(at)
    sources = next(t for t in fig["data"] if t.get("name") == "sources")
    assert ["c2-c3-facet-joint"] in sources["customdata"]
    assert len(fig.get("frames", [])) > 1  # Play runs in the browser
    assert "Text description of the figure" in [e.label for e in at.expander]


def notes_shown(at) -> bool:
    return "Speaker notes" in [h.value for h in at.header] or any(
        "27% (95% CI 18–36%)" in m.value for m in at.markdown)


@pytest.mark.parametrize("audience", AUDIENCES)
def test_speaker_notes_only_in_the_educators_presenter_view(audience):
    """Speaker notes are never on the projected page: an educator turns them on (the toggle,
    kept in the URL as notes=show for a presenter's own window); others never get them."""
    step = STEPS[LESSON.number("neck-to-head") - 1]
    at = open_page(PRESENT, audience=audience, step=str(step.number))
    assert not notes_shown(at)
    if audience == "educator":
        at.toggle(key="notes").set_value(True).run()
        assert notes_shown(at)
        assert at.query_params.get("notes") == "show"
    linked = open_page(PRESENT, audience=audience, step=str(step.number), notes="show")
    assert notes_shown(linked) == (audience == "educator")
    body = texts(at)
    assert "Lord SM" in body or audience == "patient"  # sources: visible, or in an expander
    if audience == "patient":
        assert any(e.label.startswith("Sources") for e in at.expander)


@pytest.mark.parametrize("value", ["0", "99", "two", "-1", "<script>alert(1)</script>", "1.5"])
def test_a_bad_step_falls_back_to_step_1_with_a_notice(value):
    at = open_page(PRESENT, step=value)
    assert not at.exception
    assert title(at) == STEPS[0].title.patient
    notice = " ".join(i.value for i in at.info)
    assert "lesson step that does not exist" in notice and "<script>" not in notice


def test_downloads_are_offered_for_the_figure_and_the_whole_lesson():
    at = open_page(PRESENT, step=str(LESSON.number("turned-up")), audience="educator")
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Figure as SVG" in labels and "Figure as PNG" in labels
    assert "Whole lesson as one web page (works offline)" in labels
    at = open_page(PRESENT, step=str(LESSON.number("what-helps")))  # a text-only step
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Whole lesson as one web page (works offline)"]


def test_text_size_and_small_screen_layout_change_the_figure():
    at = open_page(PRESENT, step=str(LESSON.number("turned-up")))
    large = figure(at)["layout"]["font"]["size"]
    at.segmented_control(key="figure_text").set_value("standard").run()
    assert figure(at)["layout"]["font"]["size"] < large
    at = open_page(PRESENT, step=str(LESSON.number("neck-to-head")))
    wide = figure(at)["layout"]["height"]
    at.toggle(key="compact").set_value(True).run()
    assert figure(at)["layout"]["height"] > wide


# ----------------------------------------------------------------------------- quiz

QUESTIONS = L.load_quiz().questions


@pytest.mark.parametrize("audience", AUDIENCES)
def test_the_quiz_opens_in_every_audience(audience):
    at = open_page(QUIZ, audience=audience)
    assert not at.exception
    assert len(at.radio) == len(QUESTIONS)
    assert all(r.value is None for r in at.radio)  # nothing chosen for the student
    # each answer group is labelled with its question (what a screen reader announces)
    # plain words: the label is the answer group's accessible name (no Markdown read out)
    assert [r.label for r in at.radio] == [f"{q.number}. {q.question}" for q in QUESTIONS]
    assert "Nothing is saved" in texts(at)


def test_a_right_answer_gets_feedback_with_the_explanation_and_source():
    at = open_page(QUIZ, audience="clinician")
    q = QUESTIONS[0]
    # one question is a form: the choice reaches the server with the press of Check
    at.radio(key=f"quiz-{q.id}").set_value(q.correct_index)
    at.button(key=f"check-{q.id}").click().run()
    assert any(s.value.startswith("**Right.**") and q.explanation in s.value for s in at.success)
    assert "Bogduk N" in texts(at)  # the source, visible for clinicians
    assert at.radio(key=f"quiz-{q.id}").disabled
    assert "Answered 1 of" in " ".join(p.proto.text for p in at.get("progress"))


def test_a_wrong_answer_shows_the_right_one():
    at = open_page(QUIZ)
    q = QUESTIONS[1]
    wrong = (q.correct_index + 1) % len(q.options)
    at.radio(key=f"quiz-{q.id}").set_value(wrong)
    at.button(key=f"check-{q.id}").click().run()
    message = " ".join(e.value for e in at.error)
    assert "Not quite." in message and q.correct_option.rstrip(".") in message
    assert any(e.label.startswith("Sources") for e in at.expander)  # patients: on demand


def test_check_with_nothing_chosen_asks_for_an_answer_and_records_none():
    at = open_page(QUIZ)
    q = QUESTIONS[0]
    at.button(key=f"check-{q.id}").click().run()
    assert not at.exception
    assert any("Choose an answer first" in w.value for w in at.warning)
    assert not at.radio(key=f"quiz-{q.id}").disabled  # still open to answer
    assert not at.success and not at.error
    assert "Answered 0 of" in " ".join(p.proto.text for p in at.get("progress"))
    # the prompt goes once the question is answered
    at.radio(key=f"quiz-{q.id}").set_value(q.correct_index)
    at.button(key=f"check-{q.id}").click().run()
    assert not any("Choose an answer first" in w.value for w in at.warning)
    assert "Answered 1 of" in " ".join(p.proto.text for p in at.get("progress"))


def test_choosing_an_answer_alone_checks_nothing():
    """Until Check is pressed the choice stays with the question (a form), unjudged."""
    at = open_page(QUIZ)
    q = QUESTIONS[0]
    at.radio(key=f"quiz-{q.id}").set_value(q.correct_index).run()
    assert not at.success and not at.error
    assert "Answered 0 of" in " ".join(p.proto.text for p in at.get("progress"))


def test_the_summary_after_all_answers_lists_what_to_revisit():
    at = open_page(QUIZ)
    missed = QUESTIONS[2]
    for q in QUESTIONS:
        choice = q.correct_index if q is not missed else (q.correct_index + 1) % len(q.options)
        at.radio(key=f"quiz-{q.id}").set_value(choice)
        at.button(key=f"check-{q.id}").click()
        at.run()
    body = texts(at)
    assert f"{len(QUESTIONS) - 1} of {len(QUESTIONS)} right" in body
    assert "Worth another look" in body and missed.topic in body
    links = [p.proto for p in at.get("page_link")]
    assert any(f"step={LESSON.number(missed.lesson_step)}" in (link.query_string or "")
               for link in links), links
    at.button(key="quiz-restart").click().run()
    assert all(r.value is None for r in at.radio)
    assert f"of {len(QUESTIONS)} right" not in texts(at)


def test_a_red_flag_step_shows_its_urgent_warning():
    from pathways.guidance import load_guidance

    at = open_page(PRESENT, step=str(LESSON.number("check-first")))
    warning = load_guidance().warning("vertebral-artery").patient
    assert any(warning in e.value for e in at.error)


@pytest.mark.parametrize("page,loader", [(PRESENT, "load_lesson"), (QUIZ, "load_quiz")])
def test_a_malformed_content_file_stops_the_page_with_a_clear_message(monkeypatch, page, loader):
    error = L.LessonError("lesson.yaml", "step 3 (face-nerve)", "figure.view", "'top' is not valid",
                          "one of: front, left, right, back")

    def broken(*args, **kwargs):
        raise error
    monkeypatch.setattr(L, loader, broken)
    at = open_page(page)
    assert not at.exception
    message = " ".join(e.value for e in at.error)
    assert "could not be loaded" in message and str(error) in message


def test_without_an_image_maker_the_page_says_so_plainly(monkeypatch):
    import view

    monkeypatch.setitem(view.EXPORT_PROBLEM, "message", "no browser was found")
    at = open_page(PRESENT, step=str(LESSON.number("turned-up")))
    assert not at.exception
    assert any("cannot be saved as images" in w.value for w in at.warning)
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Whole lesson as one web page (works offline)"]  # needs no image maker
