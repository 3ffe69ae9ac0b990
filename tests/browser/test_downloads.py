"""Downloading a handout from a real page, in Chromium."""

import io

from pypdf import PdfReader

from tests.browser.conftest import open_app


def test_handout_pdf_downloads_with_the_marked_areas(page, app_url):
    page.set_viewport_size({"width": 1280, "height": 1000})
    open_app(page, app_url, "where-it-hurts", region="orbit:left,occiput:left")
    button = page.get_by_role("button", name="Download handout (PDF)")
    button.wait_for()
    with page.expect_download(timeout=90_000) as info:
        button.click()
    data = open(info.value.path(), "rb").read()
    assert data.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(data))
    assert 1 <= len(reader.pages) <= 2
    text = " ".join(p.extract_text() for p in reader.pages)
    assert "Eye and around the eye (left)" in " ".join(text.split())
    assert sum(len(p.images) for p in reader.pages) >= 1  # the head map (and diagram) drawn in
