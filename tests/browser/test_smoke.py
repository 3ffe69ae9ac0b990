"""The app opens in a real browser, switches audience, and keeps the view in the URL."""

from tests.browser.conftest import open_app, wait_idle


def test_home_opens_with_navigation_and_no_error(page, app_url):
    open_app(page, app_url)
    page.get_by_role("heading", name="Why can a neck problem be felt").filter(visible=True).first.wait_for()
    assert page.locator("[data-testid='stException']").count() == 0
    for name in ("How the signal travels", "Where it hurts", "Sources"):
        page.get_by_role("link", name=name).filter(visible=True).first.wait_for()


def test_audience_switch_is_mirrored_in_the_url(page, app_url):
    open_app(page, app_url, "pathways", source="c2-c3-facet-joint")
    page.get_by_text("Back of the head (right)").filter(visible=True).first.wait_for()
    page.locator("[data-testid='stSidebar'] button", has_text="Clinician").click()
    page.wait_for_function("() => location.search.includes('audience=clinician')")
    page.get_by_text("Occipital region (right)").first.wait_for()
    page.reload()
    wait_idle(page)
    page.get_by_text("Occipital region (right)").first.wait_for()


def test_root_and_home_addresses_both_open_the_home_page(page, app_url):
    for path in ("", "home"):
        open_app(page, app_url, path, audience="clinician")
        page.get_by_role("heading", name="Why can a neck problem be felt").filter(visible=True).first.wait_for()
        assert page.get_by_text("Page not found").count() == 0
        assert "audience=clinician" in page.url
