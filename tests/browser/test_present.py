"""The Lesson page and its exports in headless Chromium: keyboard navigation, deep links,
figure download, and the offline lesson file."""

from __future__ import annotations

from pathlib import Path

from pathways import lesson as L
from tests.browser.conftest import open_app, wait_idle

STEPS = L.load_lesson().steps


def heading(page, text: str):
    return page.get_by_role("heading", name=text).filter(visible=True).first


def test_keyboard_moves_between_steps_and_the_url_follows(page, app_url):
    page.set_viewport_size({"width": 1920, "height": 1080})
    open_app(page, app_url, "present", step=2)
    heading(page, STEPS[1].title.patient).wait_for()
    # Tab to the Next button and press Enter
    next_button = page.get_by_role("button", name="Next")
    next_button.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    assert next_button.evaluate("b => b === document.activeElement")
    page.keyboard.press("Enter")
    wait_idle(page)
    page.wait_for_function("() => location.search.includes('step=3')")
    heading(page, STEPS[2].title.patient).wait_for()
    # Space on the (still focused) button, then the → and ← shortcuts from anywhere
    page.get_by_role("button", name="Next").focus()
    page.keyboard.press("Space")
    wait_idle(page)
    page.wait_for_function("() => location.search.includes('step=4')")
    heading(page, STEPS[3].title.patient).wait_for()
    page.locator("h1").first.click()
    page.keyboard.press("ArrowRight")
    wait_idle(page)
    page.wait_for_function("() => location.search.includes('step=5')")
    heading(page, STEPS[4].title.patient).wait_for()
    page.keyboard.press("ArrowLeft")
    wait_idle(page)
    page.wait_for_function("() => location.search.includes('step=4')")
    heading(page, STEPS[3].title.patient).wait_for()


def test_page_down_and_page_up_from_a_clicker_move_between_steps(page, app_url):
    page.set_viewport_size({"width": 1920, "height": 1080})
    open_app(page, app_url, "present", step=2)
    heading(page, STEPS[1].title.patient).wait_for()
    # the clicker's keys are answered once the page has drawn its (hidden) clicker buttons,
    # which come after the step's figure
    page.locator(".st-key-lesson-page-down button").wait_for(state="attached")
    wait_idle(page)
    page.locator("h1").first.click()
    page.keyboard.press("PageDown")
    wait_idle(page)
    page.wait_for_function("() => location.search.includes('step=3')")
    heading(page, STEPS[2].title.patient).wait_for()
    assert page.evaluate("scrollY") == 0  # the key moved the lesson, not the page
    page.keyboard.press("PageUp")
    wait_idle(page)
    page.wait_for_function("() => location.search.includes('step=2')")
    heading(page, STEPS[1].title.patient).wait_for()
    # the clicker's buttons are not shown twice (the visible ones are Previous and Next)
    assert not page.get_by_role("button", name="Next step").is_visible()


def test_a_deep_link_opens_the_step_and_survives_a_reload(page, app_url):
    number = 6
    open_app(page, app_url, "present", step=number, audience="educator")
    heading(page, STEPS[number - 1].title.clinician).wait_for()
    page.get_by_text(f"Step {number} of {len(STEPS)}").first.wait_for()
    # the projected page shows no speaker notes; the presenter view (the toggle) does
    notes = page.get_by_role("heading", name="Speaker notes")
    assert notes.count() == 0
    page.get_by_role("switch", name="Speaker notes").check(force=True)
    wait_idle(page)
    notes.wait_for()
    page.get_by_text(STEPS[number - 1].notes.split("\n")[0][:40]).first.wait_for()
    page.wait_for_function("() => location.search.includes('notes=show')")
    # the step's figure arrives after its text: wait for it rather than count at once
    page.locator("[data-testid='stPlotlyChart']").first.wait_for(timeout=30_000)
    page.reload()
    wait_idle(page)
    heading(page, STEPS[number - 1].title.clinician).wait_for()
    notes.wait_for()  # the presenter's window keeps its notes across a reload
    assert "step=6" in page.url and "audience=educator" in page.url


def test_the_figure_downloads_as_svg_with_caption_and_sources(page, app_url):
    number = next(s.number for s in STEPS if s.id == "neck-to-head")
    open_app(page, app_url, "present", step=number, audience="clinician")
    button = page.get_by_role("button", name="Figure as SVG")
    button.scroll_into_view_if_needed()
    with page.expect_download(timeout=90_000) as download:
        button.click()
    data = Path(download.value.path()).read_bytes()
    assert data.lstrip()[:4] in (b"<svg", b"<?xm"), data[:80]
    assert download.value.suggested_filename.endswith(".svg")
    assert b"Sources: Lord et al. 1994" in data


def test_the_offline_lesson_file_presents_with_no_network(page, app_url, browser):
    open_app(page, app_url, "present")
    button = page.get_by_role("button", name="Whole lesson as one web page (works offline)")
    button.scroll_into_view_if_needed()
    with page.expect_download(timeout=90_000) as download:
        button.click()
    html = Path(download.value.path()).read_text(encoding="utf-8")

    offline = browser.new_page(viewport={"width": 1920, "height": 1080})
    asked: list[str] = []

    def block(route):
        asked.append(route.request.url)
        route.abort()

    offline.route("http://**/*", block)
    offline.route("https://**/*", block)
    offline.set_content(html, wait_until="load")
    first, second = STEPS[0].title.patient, STEPS[1].title.patient
    offline.get_by_role("heading", name=first).wait_for()
    assert not offline.get_by_role("heading", name=second).is_visible()
    offline.wait_for_selector("section#step-1 .figure .main-svg")  # the real figure, drawn
    offline.keyboard.press("ArrowRight")
    offline.get_by_role("heading", name=second).wait_for()
    assert not offline.get_by_role("heading", name=first).is_visible()
    assert offline.evaluate("location.hash") == "#step-2"
    assert offline.get_by_text(f"Step 2 of {len(STEPS)}").first.is_visible()
    offline.get_by_role("button", name="Next step").click()
    offline.get_by_role("heading", name=STEPS[2].title.patient).wait_for()
    offline.keyboard.press("ArrowLeft")
    offline.get_by_role("heading", name=second).wait_for()
    offline.keyboard.press("PageDown")  # what a presentation clicker sends
    offline.get_by_role("heading", name=STEPS[2].title.patient).wait_for()
    offline.keyboard.press("PageUp")
    offline.get_by_role("heading", name=second).wait_for()
    assert asked == []
    offline.close()
