"""axe-core (WCAG 2.x A and AA, plus best practices) on every page in patient and clinician
wording, at desktop and phone size, and after the main interactions: an area marked on the
head map, a source chosen for the diagram, a warning sign answered, a lesson step with speaker
notes, the quiz summary. Any serious or critical violation, or a skipped heading level,
fails."""

from __future__ import annotations

import pytest

from tests.browser.conftest import SIZES, axe_problems, open_app, wait_idle

PAGES = ["home", "pathways", "where-it-hurts", "sensitization", "check", "present", "quiz",
         "references"]


@pytest.fixture(params=sorted(SIZES))
def sized(request, browser):
    context = browser.new_context(**SIZES[request.param])
    page = context.new_page()
    page.size = request.param
    yield page
    context.close()


def assert_clean(page) -> None:
    wait_idle(page)
    problems = axe_problems(page)
    assert not problems, f"{page.url} ({page.size}):\n" + "\n".join(problems)


@pytest.mark.parametrize("audience", ["patient", "clinician"])
@pytest.mark.parametrize("name", PAGES)
def test_every_page_passes_axe(sized, app_url, name, audience):
    open_app(sized, app_url, name, audience=audience)
    sized.locator("h1").first.wait_for()
    assert_clean(sized)


@pytest.mark.parametrize("audience", ["patient", "clinician"])
def test_a_marked_area_passes_axe(sized, app_url, audience):
    open_app(sized, app_url, "where-it-hurts", audience=audience)
    areas = sized.get_by_role("combobox", name="Where do you feel it?" if audience == "patient"
                              else "Painful regions")
    areas.click()
    sized.keyboard.type("Forehead" if audience == "patient" else "Frontal")
    sized.keyboard.press("Enter")
    sized.keyboard.press("Escape")
    wait_idle(sized)
    sized.wait_for_function("() => location.search.includes('region=forehead')")
    assert_clean(sized)


@pytest.mark.parametrize("audience", ["patient", "clinician"])
def test_a_chosen_source_passes_axe(sized, app_url, audience):
    open_app(sized, app_url, "pathways", audience=audience)
    sized.get_by_role("combobox", name="Where does the signal start?" if audience == "patient"
                      else "Source structure").click()
    sized.keyboard.type("2nd and 3rd neck" if audience == "patient" else "C2–C3 zyg")
    sized.keyboard.press("Enter")
    wait_idle(sized)
    sized.wait_for_function("() => location.search.includes('source=')")
    assert_clean(sized)
    open_app(sized, app_url, "where-it-hurts", audience=audience, source="c2-c3-facet-joint")
    assert_clean(sized)


@pytest.mark.parametrize("audience", ["patient", "clinician"])
def test_an_answered_warning_sign_passes_axe(sized, app_url, audience):
    open_app(sized, app_url, "check", audience=audience)
    if audience != "patient":
        sized.get_by_text("Red-flag checklist").first.click()
    # the first warning sign (a thunderclap headache): Yes
    sized.locator("[data-testid='stRadio']").first.get_by_text("Yes", exact=True).click()
    wait_idle(sized)
    sized.wait_for_function("() => location.search.includes('answers=')")
    assert_clean(sized)


def test_a_lesson_step_with_speaker_notes_passes_axe(sized, app_url):
    open_app(sized, app_url, "present", audience="educator", step=12, notes="show")
    sized.get_by_role("heading", name="Speaker notes").wait_for()
    assert_clean(sized)


def test_the_quiz_summary_passes_axe(sized, app_url):
    from pathways import lesson as lessons

    quiz = lessons.load_quiz()
    open_app(sized, app_url, "quiz")
    for question in quiz.questions:
        # an open question is a form, found by its answers' key class
        box = sized.locator(f"[data-testid='stForm']:has(.st-key-quiz-{question.id})")
        box.locator("[data-testid='stRadioOption']").first.click()
        wait_idle(sized)
        box.get_by_role("button", name="Check").click()
        wait_idle(sized)
    sized.get_by_role("heading", name="Your result").wait_for()
    assert_clean(sized)
