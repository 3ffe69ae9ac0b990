"""The sensitisation page in Chromium: the keyboard drives the linked views and the URL."""

from tests.browser.conftest import open_app, wait_idle


def test_arrow_keys_on_the_level_slider_spread_the_pain_and_update_the_link(page, app_url):
    page.set_viewport_size({"width": 1280, "height": 1000})
    open_app(page, app_url, "sensitization", level="0.3")
    page.get_by_text("Move the first slider").filter(visible=True).first.wait_for()
    thumb = page.get_by_role("slider", name="How sensitive is the alarm?")
    thumb.focus()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    wait_idle(page)
    page.wait_for_function("() => location.search.includes('level=0.45')")
    page.get_by_text("it may also be felt in").filter(visible=True).first.wait_for()
    # The link reopens the same view in a fresh tab.
    url = page.url
    other = page.context.new_page()
    other.goto(url)
    wait_idle(other)
    other.get_by_text("it may also be felt in").filter(visible=True).first.wait_for()
    other.close()
