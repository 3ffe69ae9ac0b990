"""Journeys with a keyboard only and with a phone's touch screen, in headless Chromium: mark
where it hurts and read the result, follow a signal and step through its animation, answer a
warning sign, take a handout; the audience switch and the warning note on a phone's page."""

from __future__ import annotations

import pytest

from pathways import headmap
from tests.browser.conftest import open_app, wait_idle


def focused(page) -> str:
    return page.evaluate("() => (document.activeElement.getAttribute('aria-label') || "
                         "document.activeElement.innerText || '').trim()")


def tab_to(page, predicate, limit: int = 60) -> None:
    """Press Tab until the focused element satisfies ``predicate`` (a JS function)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => ({predicate})(document.activeElement)"):
            return
    pytest.fail(f"Tab never reached {predicate}")


def outline_width(page) -> float:
    return page.evaluate("() => { const s = getComputedStyle(document.activeElement); "
                         "return s.outlineStyle === 'none' ? 0 : parseFloat(s.outlineWidth); }")


def test_keyboard_only_marks_an_area_reads_the_result_and_takes_the_handout(page, app_url):
    page.set_viewport_size({"width": 1280, "height": 800})
    open_app(page, app_url, "where-it-hurts")
    tab_to(page, "e => e.getAttribute('role') === 'combobox' && "
                 "(e.getAttribute('aria-label') || '').startsWith('Where do you feel it?')")
    page.keyboard.type("Eye and around the eye (left)")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    wait_idle(page)
    page.wait_for_function("() => location.search.includes('region=orbit')")
    page.get_by_role("heading", name="What it may mean").wait_for()
    # the handout button is reached with Tab, shows where the focus is, and Enter takes it
    tab_to(page, "e => e.tagName === 'BUTTON' && e.innerText.includes('Download handout (PDF)')")
    assert outline_width(page) >= 2
    with page.expect_download(timeout=90_000) as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename.endswith(".pdf")


def test_keyboard_only_follows_a_signal_and_steps_through_its_animation(page, app_url):
    page.set_viewport_size({"width": 1280, "height": 800})
    open_app(page, app_url, "pathways")
    tab_to(page, "e => e.getAttribute('role') === 'combobox' && "
                 "(e.getAttribute('aria-label') || '').startsWith('Where does the signal start?')")
    page.keyboard.type("Small joint between the 2nd and 3rd")
    page.keyboard.press("Enter")
    wait_idle(page)
    page.wait_for_function("() => location.search.includes('source=c2-c3-facet-joint')")
    pulse = ("() => JSON.stringify(document.querySelector('.js-plotly-plot').data"
             ".find(t => t.name === 'pulse').x)")
    before = page.evaluate(pulse)
    slider = page.get_by_role("slider", name="Follow the signal step by step")
    assert slider.get_attribute("tabindex") == "0"  # in the Tab order
    slider.focus()
    page.keyboard.press("ArrowRight")
    wait_idle(page)
    page.wait_for_function(f"() => ({pulse})() !== {before!r}")
    page.keyboard.press("End")
    wait_idle(page)
    assert slider.get_attribute("aria-valuetext") == "Felt"


def test_keyboard_only_plays_the_signal_with_the_diagrams_own_button(page, app_url):
    page.set_viewport_size({"width": 1280, "height": 800})
    open_app(page, app_url, "pathways", source="c2-c3-facet-joint")
    wait_idle(page)
    pulse = ("() => JSON.stringify(document.querySelector('.js-plotly-plot').data"
             ".find(t => t.name === 'pulse').x)")
    before = page.evaluate(pulse)
    tab_to(page, "e => e.getAttribute('role') === 'button' && "
                 "(e.getAttribute('aria-label') || '').includes('Play signal')")
    assert outline_width(page) >= 2  # focus is visible on the drawn button too
    page.keyboard.press("Enter")
    page.wait_for_function(f"() => ({pulse})() !== {before!r}", timeout=10_000)


def test_keyboard_only_answers_a_warning_sign(page, app_url):
    page.set_viewport_size({"width": 1280, "height": 800})
    open_app(page, app_url, "check")
    tab_to(page, "e => e.type === 'radio'")  # the first question's first choice: Yes
    page.keyboard.press("Space")
    wait_idle(page)
    page.wait_for_function("() => new URLSearchParams(location.search).get('answers')"
                           " === 'thunderclap:yes'")
    page.locator("[data-testid='stAlertContentError']",
                 has_text="Get medical help now.").first.wait_for()


def test_on_a_phone_the_audience_switch_and_the_warning_note_are_on_the_page(phone, app_url):
    open_app(phone, app_url, "home")
    switch = phone.locator(".st-key-audience-in-page")
    switch.get_by_role("radio", name="Clinician").wait_for()
    assert switch.is_visible()
    assert not phone.locator("[data-testid='stSidebar'][aria-expanded='true']").count()
    note = phone.get_by_text("sudden, severe headache needs medical help now").first
    assert note.is_visible()
    switch.get_by_role("radio", name="Clinician").tap()
    wait_idle(phone)
    phone.wait_for_function("() => location.search.includes('audience=clinician')")
    # clinicians on a phone read the urgent-care note on the page too (not in the sidebar)
    assert phone.locator("[data-testid='stMain']").get_by_text(
        "needs medical help now", exact=False).first.is_visible()


def test_on_a_phone_one_jump_from_the_map_reaches_the_result(phone, app_url):
    open_app(phone, app_url, "where-it-hurts", region="orbit", side="left")
    jump = phone.get_by_role("link", name="See the result")
    jump.scroll_into_view_if_needed()
    # right under the map: the map's bottom edge and the link are close
    chart = phone.locator("[data-testid='stPlotlyChart']").first.bounding_box()
    assert 0 <= jump.bounding_box()["y"] - (chart["y"] + chart["height"]) < 200
    jump.tap()
    result = phone.get_by_role("heading", name="What it may mean")
    phone.wait_for_function("() => location.hash === '#result'")
    phone.wait_for_timeout(500)
    box = result.bounding_box()
    assert 0 <= box["y"] < 844 / 2, box  # the result's heading is at the top of the screen


def test_on_a_wide_screen_the_result_is_beside_the_map_and_no_jump_is_offered(page, app_url):
    page.set_viewport_size({"width": 1280, "height": 800})
    open_app(page, app_url, "where-it-hurts", region="orbit", side="left")
    page.get_by_role("heading", name="What it may mean").wait_for()
    wait_idle(page)  # the whole run drawn, styles included, before judging what shows
    assert not page.get_by_role("link", name="See the result").is_visible()


def test_on_a_phone_one_tap_marks_an_area_of_the_head_map(phone, app_url):
    open_app(phone, app_url, "where-it-hurts", view="front")
    chart = phone.locator("[data-testid='stPlotlyChart']").first
    chart.scroll_into_view_if_needed()
    box = chart.locator(".nsewdrag").first.bounding_box()
    (x0, x1), (y0, y1) = headmap.axis_ranges("front")
    x, y = headmap.region_centres("front")[("orbit", "left")]
    phone.touchscreen.tap(box["x"] + (x - x0) / (x1 - x0) * box["width"],
                          box["y"] + (y1 - y) / (y1 - y0) * box["height"])
    wait_idle(phone)
    phone.wait_for_function("() => location.search.includes('region=orbit')", timeout=5_000)


def test_on_a_phone_one_tap_on_the_diagram_follows_a_source(phone, app_url):
    from pathways import diagram, load_atlas

    open_app(phone, app_url, "pathways")  # a phone gets the small-screen diagram
    chart = phone.locator("[data-testid='stPlotlyChart']").first
    chart.scroll_into_view_if_needed()
    box = chart.locator(".nsewdrag").first.bounding_box()
    (x0, x1), (y0, y1) = diagram.axis_ranges(compact=True)
    x, y = diagram.node_positions(load_atlas(), compact=True)["c2-c3-facet-joint"]
    phone.touchscreen.tap(box["x"] + (x - x0) / (x1 - x0) * box["width"],
                          box["y"] + (y1 - y) / (y1 - y0) * box["height"])
    wait_idle(phone)
    phone.wait_for_function("() => location.search.includes('source=c2-c3-facet-joint')",
                            timeout=5_000)


def test_on_a_phone_every_journey_works_by_touch(phone, app_url):
    """Follow a signal and play it, answer a warning sign, take a handout, step the lesson:
    each with taps only, on a phone-sized touch screen."""
    open_app(phone, app_url, "pathways", source="c2-c3-facet-joint")
    wait_idle(phone)
    pulse = ("() => JSON.stringify(document.querySelector('.js-plotly-plot').data"
             ".find(t => t.name === 'pulse').x)")
    before = phone.evaluate(pulse)
    play = phone.locator(".js-plotly-plot .updatemenu-button").first
    play.scroll_into_view_if_needed()
    play.tap()
    phone.wait_for_function(f"() => ({pulse})() !== {before!r}", timeout=10_000)

    open_app(phone, app_url, "check")
    phone.locator("[data-testid='stRadio'] [role='radiogroup'] label").first.tap()  # Yes
    wait_idle(phone)
    phone.wait_for_function("() => new URLSearchParams(location.search).get('answers')"
                            " === 'thunderclap:yes'")
    phone.locator("[data-testid='stAlertContentError']",
                  has_text="Get medical help now.").first.wait_for()

    open_app(phone, app_url, "where-it-hurts", region="orbit", side="left")
    button = phone.get_by_role("button", name="Download handout (PDF)")
    button.scroll_into_view_if_needed()
    with phone.expect_download(timeout=90_000) as download:
        button.tap()
    assert download.value.suggested_filename.endswith(".pdf")

    open_app(phone, app_url, "present", step=2)
    phone.locator(".st-key-lesson-next button").filter(visible=True).first.tap()
    wait_idle(phone)
    phone.wait_for_function("() => location.search.includes('step=3')")
