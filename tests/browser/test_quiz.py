"""The quiz in a real browser: an open question is a form, so choosing an answer waits for
**Check**; Check then judges it (with the explanation) and counts it, and Check with nothing
chosen asks for an answer instead."""

from pathways import lesson as lessons
from tests.browser.conftest import open_app, wait_idle

QUESTIONS = lessons.load_quiz().questions


def open_question(page, app_url, question, width: int, height: int):
    """The quiz opened at a size, and ``question``'s form (found by its answers' key class)."""
    page.set_viewport_size({"width": width, "height": height})
    open_app(page, app_url, "quiz")
    box = page.locator(f"[data-testid='stForm']:has(.st-key-quiz-{question.id})")
    box.wait_for()
    return box


def test_choosing_then_checking_judges_the_answer_and_counts_it(page, app_url):
    q = QUESTIONS[0]
    box = open_question(page, app_url, q, 1280, 900)
    box.get_by_role("radio", name=q.options[q.correct_index], exact=True).check(force=True)
    wait_idle(page)
    # nothing judged yet: the choice waits in the form
    assert page.locator("[data-testid='stAlertContentSuccess']").count() == 0
    assert page.get_by_text(f"Answered 0 of {len(QUESTIONS)}").count() == 1
    box.get_by_role("button", name="Check").click()
    wait_idle(page)
    right = page.locator(f".st-key-question-{q.id} [data-testid='stAlertContentSuccess']")
    right.wait_for()
    assert q.explanation[:40] in right.inner_text()
    page.get_by_text(f"Answered 1 of {len(QUESTIONS)}").wait_for()
    assert page.locator(f".st-key-question-{q.id} input[type='radio']").first.is_disabled()
    assert page.locator("[data-testid='stException']").count() == 0


def test_check_with_nothing_chosen_asks_for_an_answer(page, app_url):
    box = open_question(page, app_url, QUESTIONS[1], 390, 844)
    box.get_by_role("button", name="Check").click()
    wait_idle(page)
    box.get_by_text("Choose an answer first").wait_for()
    assert page.get_by_text(f"Answered 0 of {len(QUESTIONS)}").count() == 1
    assert page.locator("[data-testid='stException']").count() == 0
