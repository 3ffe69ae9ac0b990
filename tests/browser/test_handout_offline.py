"""The HTML handout opens offline in headless Chromium: nothing is requested from the network
and its pictures (inline data) load. The page is handed to the browser directly
(``page.set_content``), never through a file on disk."""

from __future__ import annotations

import base64

import pytest

from pathways import handout as H


@pytest.fixture(scope="module")
def handout_pages(atlas):
    return {
        "patient": H.build_html(atlas, "patient", regions=[("orbit", "left"), ("occiput", "left")]),
        "clinician": H.build_html(atlas, "clinician", source="c2-c3-facet-joint", side="left"),
    }


def _open_offline(page, html: str):
    """Open ``html`` with every request routed: anything bound for a network is refused and
    recorded."""
    outgoing: list[str] = []
    seen: list[str] = []

    def refuse(route):
        outgoing.append(route.request.url)
        route.abort()

    page.route("**/*", refuse)
    page.on("request", lambda request: seen.append(request.url))
    page.on("websocket", lambda ws: outgoing.append(ws.url))
    page.set_content(html, wait_until="load")
    page.wait_for_function("[...document.images].every(img => img.complete)")
    return outgoing, seen


@pytest.mark.parametrize("who", ["patient", "clinician"])
def test_handout_opens_offline_with_no_request_and_its_pictures_loaded(page, handout_pages, who):
    html = handout_pages[who]
    outgoing, seen = _open_offline(page, html)
    widths = page.evaluate("[...document.images].map(img => img.naturalWidth)")
    assert outgoing == []
    assert not [url for url in seen if url.startswith(("http:", "https:", "ws:", "wss:", "ftp:"))]
    assert len(widths) == 2 and all(w > 0 for w in widths)
    assert page.title() == page.locator("h1").inner_text()
    assert page.locator("a[href^='https://']").count() > 5  # reference links, not fetched
    assert outgoing == []  # and nothing left afterwards either
    # the print layout renders too (a PDF from the browser's print, in memory)
    page.emulate_media(media="print")
    assert page.pdf(format="A4")[:4] == b"%PDF"
    assert outgoing == []


def test_handout_opened_from_a_data_address_makes_no_request(page, handout_pages):
    outgoing: list[str] = []
    page.route("**/*", lambda route: (outgoing.append(route.request.url), route.abort()))
    data = base64.b64encode(handout_pages["patient"].encode("utf-8")).decode("ascii")
    page.goto(f"data:text/html;charset=utf-8;base64,{data}")
    page.wait_for_function("[...document.images].every(img => img.complete)")
    assert page.evaluate("[...document.images].every(img => img.naturalWidth > 0)")
    assert page.get_by_text(H.FOOTER).first.is_visible()
    assert outgoing == []
