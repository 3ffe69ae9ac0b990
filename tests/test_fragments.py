"""A widget on a page reruns the page alone (one ``st.fragment`` around the page, view.run_page),
not the router and the sidebar, and the page it draws is exactly the one a full run draws.

Sent over the app's own websocket protocol, the way the browser sends a change to a widget drawn
in a fragment (the request names the fragment). Pages: the head map, the diagram, the
sensitisation controls and a lesson step.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys

import pytest

import bench.stclient as stclient
from bench.pages import SAMPLE_LINKS
from tests.serving import ROOT, free_port, stop, wait_healthy
from tests.test_deploy_limits import run, served

PAGES = ["where-it-hurts", "pathways", "sensitization", "present"]


@pytest.fixture(scope="module")
def url():
    with served() as (address, _):
        yield address


def page_elements(messages) -> list[tuple]:
    """Every element and block sent, as (fragment, where, kind, what), in order."""
    out = []
    for msg in messages:
        if msg.WhichOneof("type") != "delta":
            continue
        delta = msg.delta
        kind = delta.WhichOneof("type")
        part = getattr(delta, kind)
        if kind == "new_element" and part.WhichOneof("type") == "download_button":
            part = type(part).FromString(part.SerializeToString())
            part.download_button.ClearField("deferred_file_id")  # new on every run
            part.download_button.ClearField("url")
        what = part.SerializeToString(deterministic=True)
        out.append((delta.fragment_id, tuple(msg.metadata.delta_path), kind, what))
    return out


async def _compare(url: str, page: str) -> tuple:
    s = stclient.Session(url, page, SAMPLE_LINKS.get(page, ""))
    try:
        await s.open()
        on_page = [w for w in s.drivable() if not w.sidebar]
        assert on_page, f"/{page} has no widget to change"
        assert all(w.fragment for w in on_page), [w.id for w in on_page if not w.fragment]
        s.record = []
        s.cached = {}
        changed = await s.rerun(s.next_change(on_page[0]), on_page[0].fragment)
        part = page_elements(s.record)
        # The same widget values in a full run of the app.
        s.record = []
        s.cached = {}  # every element in full, none as a reference to an earlier message
        states = stclient.WidgetStates()
        states.widgets.extend(s.values.values())
        full = await s.rerun(states)
        whole = page_elements(s.record)
    finally:
        await s.close()
    return changed, part, full, whole


@pytest.mark.parametrize("page", PAGES)
def test_a_widget_on_the_page_reruns_the_page_alone_and_draws_the_same(url, page):
    changed, part, full, whole = run(_compare(url, page))
    assert not changed.exceptions and not full.exceptions
    assert changed.status == "FINISHED_FRAGMENT_RUN_SUCCESSFULLY", changed.status
    assert full.status == "FINISHED_SUCCESSFULLY"
    # Only the page's fragment is sent again: nothing of the router or the sidebar (the
    # sidebar's delta paths start with 1).
    fragment = part[0][0]
    assert fragment and all(f == fragment for f, _, _, _ in part)
    assert not any(path[:1] == (1,) for _, path, _, _ in part)
    outside = [e for e in whole if e[0] != fragment]
    assert any(path[:1] == (1,) for _, path, _, _ in outside)  # the full run sends the sidebar
    # What the fragment drew is exactly what the full run drew for the page.
    assert part == [e for e in whole if e[0] == fragment]


# ------------------------------------------------------------- the deployed server's hand-over

@contextlib.contextmanager
def _plain_streamlit():
    """The app under ``streamlit run`` with none of deploy/serve.py's changes."""
    port = free_port()
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("PATHWAYS_CHECK_FIGURES", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    address = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(address, proc, "streamlit run")
        yield address
    finally:
        stop(proc)


def _sent(messages) -> list[tuple]:
    """Every message of a run in order: its kind and, for elements and blocks, what it draws
    (fragment ids, which are new in every session, numbered by first appearance); for the run's
    first message, the theme, settings and pages it carries."""
    fragments: dict[str, int] = {}
    out = []
    elements = iter(page_elements(messages))
    for msg in messages:
        kind = msg.WhichOneof("type")
        if kind == "delta":
            fragment, path, what_kind, what = next(elements)
            fragment = fragments.setdefault(fragment, len(fragments)) if fragment else None
            out.append((kind, fragment, path, what_kind, what))
        elif kind == "new_session":  # the run's first message: the theme, settings and pages
            new = msg.new_session
            out.append((kind, new.page_script_hash,
                        *(part.SerializeToString(deterministic=True)
                          for part in (new.custom_theme, new.config)),
                        tuple(p.SerializeToString(deterministic=True) for p in new.app_pages)))
        else:
            out.append((kind,))
    return out


async def _runs(address: str, page: str) -> list:
    s = stclient.Session(address, page, SAMPLE_LINKS.get(page, ""))
    try:
        s.record = []
        await s.open()
        runs = [_sent(s.record)]
        for _ in range(2):
            s.record = []
            await s.interact()
            runs.append(_sent(s.record))
    finally:
        await s.close()
    return runs


def test_the_deployed_server_sends_what_streamlit_sends_in_the_same_order(url):
    """deploy/serve.py hands a session's messages to the event loop in batches
    (``coalesce_session_events``) and fills in the theme from a copy
    (``remember_theme_messages``): every page, opened and then changed twice, sends the same
    messages in the same order as under ``streamlit run``."""
    with _plain_streamlit() as plain:
        for page in ["home", *PAGES, "check", "quiz", "references"]:
            deployed, unchanged = run(_runs(url, page)), run(_runs(plain, page))
            assert len(deployed) == len(unchanged) == 3
            for i, (a, b) in enumerate(zip(deployed, unchanged)):
                assert a == b, f"/{page}, run {i}: the deployed server sent something else"
