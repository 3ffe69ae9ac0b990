"""Clicks on the real Plotly drawings, in headless Chromium."""

from pathways import headmap
from tests.browser.conftest import open_app, wait_idle


def click_data_point(page, chart, x: float, y: float, ranges) -> None:
    """Click the pixel where data point (x, y) is drawn, from the axes' on-screen box."""
    box = chart.locator(".nsewdrag").first.bounding_box()
    (x0, x1), (y0, y1) = ranges
    px = box["x"] + (x - x0) / (x1 - x0) * box["width"]
    py = box["y"] + (y1 - y) / (y1 - y0) * box["height"]
    page.mouse.click(px, py)


def test_clicking_a_region_on_the_head_map_lists_its_candidates(page, app_url):
    page.set_viewport_size({"width": 1280, "height": 1000})
    open_app(page, app_url, "where-it-hurts", view="front")
    chart = page.locator("[data-testid='stPlotlyChart']").first
    chart.scroll_into_view_if_needed()
    x, y = headmap.region_centres("front")[("orbit", "left")]
    click_data_point(page, chart, x, y, headmap.axis_ranges("front"))
    wait_idle(page)
    page.wait_for_function("() => location.search.includes('region=orbit')")
    assert "side=left" in page.url
    page.get_by_text("Possible causes served by the face nerve").wait_for()
    page.get_by_text("Lining of the brain under the top of the skull").first.wait_for()
    # The keyboard control mirrors the click.
    page.get_by_text("Eye and around the eye (left)").filter(visible=True).first.wait_for()


def test_a_copied_link_reopens_the_same_view(page, app_url):
    open_app(page, app_url, "where-it-hurts", region="forehead:left,occiput:right",
             audience="clinician", view="back")
    page.get_by_text("Frontal region (left)").filter(visible=True).first.wait_for()
    page.get_by_text("Occipital region (right)").filter(visible=True).first.wait_for()
    page.reload()
    wait_idle(page)
    assert "region=forehead%3Aleft%2Coccipital" in page.url or "region=forehead" in page.url
    page.get_by_text("Occipital region (right)").filter(visible=True).first.wait_for()


def test_clicking_a_source_on_the_diagram_highlights_its_path(page, app_url):
    from pathways import diagram, load_atlas

    page.set_viewport_size({"width": 1280, "height": 1100})
    open_app(page, app_url, "pathways")
    chart = page.locator("[data-testid='stPlotlyChart']").first
    chart.scroll_into_view_if_needed()
    x, y = diagram.node_positions(load_atlas())["c2-c3-facet-joint"]
    click_data_point(page, chart, x, y, diagram.axis_ranges())
    wait_idle(page)
    page.wait_for_function("() => location.search.includes('source=c2-c3-facet-joint')")
    page.get_by_text("Where it may be felt").wait_for()
    page.get_by_text("Back of the head (right)").first.wait_for()


PHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
         "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1")


def test_a_phone_gets_the_small_screen_diagram_without_asking(browser, app_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, user_agent=PHONE)
    page = context.new_page()
    try:
        open_app(page, app_url, "pathways", source="c2-c3-facet-joint")
        page.get_by_text("Where it may be felt").wait_for()
        toggle = page.get_by_label("Small-screen layout", exact=True)
        assert toggle.is_checked()
        chart = page.locator("[data-testid='stPlotlyChart']").first
        assert chart.bounding_box()["height"] > 850  # the taller phone layout
        assert "layout=" not in page.url  # the automatic choice is not written into links
    finally:
        context.close()
