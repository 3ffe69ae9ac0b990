"""Browser tests: a real Streamlit server on loopback, driven by Playwright in Debian's Chromium."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.serving import free_port, stop, wait_healthy

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if not executable:
        pytest.fail("Chromium is not installed; ./test.sh installs it (Debian package 'chromium').")
    return {**browser_type_launch_args, "executable_path": executable, "args": CHROMIUM_FLAGS}


def start_server(port: int | None = None, *extra: str, env: dict | None = None,
                 what: str = "the Streamlit server"):
    """The app on loopback (``env``: extra environment variables). Returns (process, url)."""
    port = port or free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1",
         "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none", *extra],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
        env={**os.environ, **(env or {})})
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc, what, timeout=60)
    except RuntimeError as error:
        proc.kill()
        pytest.fail(str(error))
    return proc, url


@pytest.fixture(scope="session")
def app_url():
    proc, url = start_server()
    yield url
    stop(proc)


def wait_idle(page, timeout: float = 30_000) -> None:
    """Wait until the script has finished its run (no sleeping)."""
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']",
                           timeout=timeout)
    page.wait_for_timeout(150)  # let the last delta paint
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']",
                           timeout=timeout)


def open_app(page, app_url: str, path: str = "", **params) -> None:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    page.goto(f"{app_url}/{path}" + (f"?{query}" if query else ""))
    wait_idle(page)


# ------------------------------------------------------------------ phones and accessibility

IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
          "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1")
SIZES = {"desktop": {"viewport": {"width": 1280, "height": 800}},
         "phone": {"viewport": {"width": 390, "height": 844}, "user_agent": IPHONE,
                   "is_mobile": True, "has_touch": True}}


@pytest.fixture
def phone(browser):
    """A page in an iPhone-sized browser that says it is a phone and has a touch screen."""
    context = browser.new_context(**SIZES["phone"])
    yield context.new_page()
    context.close()


#: axe-core rule tags: WCAG 2.0, 2.1 and 2.2 at levels A and AA, and axe's best practices
#: (heading order lives there).
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa",
                                                     "wcag22aa", "best-practice"]},
               "resultTypes": ["violations"]}
#: What fails a test: any serious or critical violation, and headings that skip a level.
AXE_FAILING_IMPACTS = {"serious", "critical"}
AXE_ALWAYS_FAILING = {"heading-order"}


def axe_problems(page) -> list[str]:
    """Run axe-core (bundled with axe-playwright-python) on the page as it is now; one line per
    failing rule and element, with axe's own summary of why."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options=AXE_OPTIONS).response
    problems = []
    for violation in results["violations"]:
        if (violation["impact"] not in AXE_FAILING_IMPACTS
                and violation["id"] not in AXE_ALWAYS_FAILING):
            continue
        for node in violation["nodes"]:
            why = " ".join((node.get("failureSummary") or "").split())
            problems.append(f"{violation['impact']} {violation['id']}: {node['target']} "
                            f"{node.get('html', '')[:120]} -- {why[:240]}")
    return problems


@pytest.fixture(scope="module")
def draw(browser):
    """``draw(figure, width, height)``: the figure drawn by plotly.js in Chromium, offline, at
    that size; returns its text boxes (see :mod:`tests.browser.label_boxes`)."""
    import json

    from tests.browser.label_boxes import DRAW, PLOTLY_JS

    page = browser.new_page()
    page.route("**/*", lambda route: route.abort())  # nothing from a network
    page.set_content('<!DOCTYPE html><html><body style="margin:0"><div id="chart"></div>'
                     "</body></html>")
    page.add_script_tag(content=PLOTLY_JS.read_text(encoding="utf-8"))

    def measure(figure, width: int, height: int) -> dict:
        return page.evaluate(DRAW, [json.loads(figure.to_json()), width, height])

    yield measure
    page.close()
