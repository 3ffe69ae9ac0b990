"""Privacy in a real browser: no page makes a request to anywhere but the app's own server.

Every request (documents, scripts, styles, fonts, images, fetches, the websocket) is logged
while each page opens on its deep link and settles. Pages come from app.py, so a new page is
covered without edits here.

This sees only what the browser asks for. What the server and the image renderer it starts do
is watched at the level of system calls by tests/test_privacy_syscalls.py.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from bench.pages import app_pages
from tests.browser.conftest import wait_idle

PAGES = app_pages()
LOCAL_SCHEMES = {"data", "blob", "about"}


def _origin(url: str) -> str:
    parts = urlsplit(url)
    scheme = {"ws": "http", "wss": "https"}.get(parts.scheme, parts.scheme)
    return f"{scheme}://{parts.netloc}"


@pytest.mark.parametrize("page_info", PAGES, ids=[p.url_path or "root" for p in PAGES])
def test_no_request_leaves_the_app(page, app_url, page_info):
    own = _origin(app_url)
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("websocket", lambda ws: requests.append(ws.url))
    path = "" if page_info.default else page_info.url_path
    link = page_info.link
    page.goto(f"{app_url}/{path}" + (f"?{link}" if link else ""))
    wait_idle(page)
    page.wait_for_timeout(1500)  # late loads: fonts, icons, lazy chunks, heartbeats
    wait_idle(page)
    assert page.locator("[data-testid='stException']").count() == 0
    assert any(_origin(u) == own for u in requests), "the page loaded from the app itself"
    outside = sorted({u for u in requests
                      if urlsplit(u).scheme not in LOCAL_SCHEMES and _origin(u) != own})
    assert not outside, f"requests to other origins from /{path}: {outside}"
