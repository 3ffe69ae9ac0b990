"""A patient on a phone marks the left eye: the warning signs, the usual causes and then the
possible sources are on the page itself, in that order, without opening the sidebar."""

from tests.browser.conftest import open_app

IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
          "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1")


def test_on_a_phone_left_eye_pain_shows_warnings_then_usual_causes_then_sources(browser, app_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, user_agent=IPHONE,
                                  is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        open_app(page, app_url, "where-it-hurts", region="orbit", side="left")
        warning = page.get_by_text("sudden, severe headache needs medical help now").first
        warning.wait_for()
        assert warning.is_visible()  # in the page, not in the collapsed sidebar
        assert not page.locator("[data-testid='stSidebar'][aria-expanded='true']").count()
        usual = page.get_by_text("Most head, eye and face pain is not from the neck").first
        source = page.get_by_text("Lining of the brain under the top of the skull").first
        usual.wait_for()
        source.wait_for()
        tops = [el.bounding_box()["y"] for el in (warning, usual, source)]
        assert tops == sorted(tops), tops
        page.get_by_text("Not sure? Answer the warning-sign questions first").wait_for()
    finally:
        context.close()
