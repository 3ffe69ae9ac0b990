"""The warning-sign check in a real browser: a click on "Yes" brings up the emergency message,
the answer goes into the URL, and a reload keeps it."""

from tests.browser.conftest import open_app, wait_idle

THUNDERCLAP = "like a clap of thunder"


def question(page, words: str):
    return page.locator("[data-testid='stRadio']", has_text=words).first


def test_yes_to_an_emergency_sign_shows_the_emergency_message_and_survives_a_reload(page, app_url):
    page.set_viewport_size({"width": 1280, "height": 900})
    open_app(page, app_url, "check")
    group = question(page, THUNDERCLAP)
    group.wait_for()
    assert page.get_by_text("Get medical help now.").count() == 0
    group.get_by_text("Yes", exact=True).click()
    wait_idle(page)
    page.wait_for_function("() => new URLSearchParams(location.search).get('answers')"
                           " === 'thunderclap:yes'")
    alert = page.locator("[data-testid='stAlertContentError']", has_text="Get medical help now.")
    alert.first.wait_for()
    assert alert.count() == 2  # under the question and at the top of the result
    assert page.get_by_text("Could it come from my neck?").count() == 0

    page.reload()
    wait_idle(page)
    group = question(page, THUNDERCLAP)
    group.wait_for()
    assert group.get_by_role("radio", name="Yes", exact=True).is_checked()
    assert not group.get_by_role("radio", name="No", exact=True).is_checked()
    page.locator("[data-testid='stAlertContentError']",
                 has_text="Get medical help now.").first.wait_for()
    assert "answers=thunderclap" in page.url
    assert page.locator("[data-testid='stException']").count() == 0


def test_a_shared_link_with_all_no_opens_the_walk(page, app_url):
    from pathways.consult import load_check

    link = ",".join(f"{q.id}:no" for q in load_check().questions)
    open_app(page, app_url, "check", answers=link)
    page.get_by_role("heading", name="Could it come from my neck?").first.wait_for()
    page.get_by_role("heading", name="Myths and evidence").first.wait_for()
    assert page.locator("[data-testid='stAlertContentError']").count() == 0
