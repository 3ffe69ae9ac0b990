"""Hardening: every query parameter of every page fuzzed, a broken atlas shown plainly, and no
file written while a session runs.

Pages come from app.py itself (``bench.pages``), so a new page is covered without edits here.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import tempfile
import threading
from pathlib import Path

import pytest
from google.protobuf.json_format import MessageToDict
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from bench.pages import VALID_VALUES, app_pages, content_pages, known_parameters
from tests.serving import free_port, stop, wait_healthy
from tests.syscall_watch import run_in_thread, use_every_page

ROOT = Path(__file__).resolve().parent.parent
PAGES = content_pages()
KNOWN = known_parameters()
UNKNOWN = ["foo", "__proto__", "constructor", "embed", "embed_options", "page", "q", "Source"]

#: Script-injection and markup payloads: each must stay inert (never rendered, never echoed).
PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "[click](javascript:alert(1))",
    "<iframe src=//example.org></iframe>",
    "<svg/onload=alert(1)>",
    "{{7*7}}<b>bold</b>",
    "';alert(String.fromCharCode(88,83,83))//",
    "%3Cscript%3Ealert(1)%3C/script%3E",
    ":red[<u>styled</u>] **x** <style>*{display:none}</style>",
    "c2-c3-facet-joint<script>",
    "orbit:left<script>alert(1)</script>",
]
VALID = sorted({v for values in VALID_VALUES.values() for v in values})

value = st.one_of(
    st.sampled_from(PAYLOADS),
    st.sampled_from(VALID),
    st.text(max_size=40),
    st.text(min_size=190, max_size=260),          # around the parser's length limit
    st.from_regex(r"-?[0-9]{1,3}(\.[0-9]{0,4})?(e[0-9]{1,3})?|nan|inf|-0", fullmatch=True),
)
params_strategy = st.dictionaries(
    st.sampled_from(KNOWN + UNKNOWN),
    st.one_of(value, st.lists(value, min_size=2, max_size=3)),  # a list = a repeated parameter
    max_size=6)


# ------------------------------------------------------------------------------------ helpers

def open_page(script: str, params: dict) -> AppTest:
    """A new session opened on a deep link (like typing the URL)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params.update(params)
    at.run()
    at.switch_page(script)
    at.query_params.update(params)
    return at.run()


def _walk(node):
    proto = getattr(node, "proto", None)
    if proto is not None and hasattr(proto, "DESCRIPTOR"):
        yield node
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        for child in children.values():
            yield from _walk(child)


def _every_node(at: AppTest):
    """Every element the page sent: the main area, the sidebar and the toasts."""
    for root in (at.main, at.sidebar):
        yield from _walk(root)
    yield from at.toast


def _strings(data):
    if isinstance(data, str):
        yield data
        if data[:1] in "{[":  # a Plotly spec or config: look inside the JSON as well
            try:
                yield from _strings(json.loads(data))
            except ValueError:
                pass
    elif isinstance(data, dict):
        for k, v in data.items():
            yield from _strings(k)
            yield from _strings(v)
    elif isinstance(data, list):
        for v in data:
            yield from _strings(v)


def rendered_strings(at: AppTest) -> list[str]:
    """Every string the server sent for this page: bodies, labels, options, figure texts."""
    out = []
    for node in _every_node(at):
        out.extend(_strings(MessageToDict(node.proto)))
    return out


def notices_shown(at: AppTest) -> str:
    return "\n".join(e.value for e in [*at.info, *at.warning, *at.error, *at.toast])


def _values(params: dict):
    for v in params.values():
        yield from (v if isinstance(v, list) else [v])


def markup_like(text: str) -> bool:
    """Input that would mean something if a page rendered it as HTML or markdown."""
    lowered = text.lower()
    return len(text.strip()) >= 6 and (
        "<" in text or ">" in text or "javascript:" in lowered or "onerror" in lowered
        or "](" in text)


@contextlib.contextmanager
def parse_spy():
    """Record what the URL parser returned during a run (``view.state`` calls ``parse_view``),
    so a test can check that every notice it produced reached the page."""
    import view.state as where

    calls = []
    original = where.parse_view

    def spy(params, *args, **kwargs):
        state, notices = original(params, *args, **kwargs)
        calls.append((dict(params), list(notices)))
        return state, notices

    where.parse_view = spy
    try:
        yield calls
    finally:
        where.parse_view = original


# --------------------------------------------------------------------------- fuzzing the URL

def test_the_page_list_comes_from_app_py():
    paths = [p.url_path for p in app_pages()]
    assert {"home", "pathways", "where-it-hurts", "references"} <= set(paths)
    assert all(p.script and (ROOT / p.script).is_file() for p in PAGES)


@pytest.mark.parametrize("page", PAGES, ids=[p.url_path for p in PAGES])
@settings(max_examples=12, deadline=None, derandomize=False,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(params=params_strategy)
@example(params={k: PAYLOADS[0] for k in KNOWN})
@example(params={k: [PAYLOADS[1], PAYLOADS[3]] for k in KNOWN + UNKNOWN[:2]})
def test_any_link_opens_the_page_safely(page, params):
    with parse_spy() as calls:
        at = open_page(page.script, params)
    # 1. Never an exception (a traceback would show to the user).
    assert not at.exception, [e.value for e in at.exception]
    assert at.title, "the page still draws"
    # 2. Every value the parser rejected is reported with its fixed notice.
    shown = notices_shown(at)
    for _, notices in calls:
        for notice in notices:
            assert notice in shown, f"notice not shown: {notice!r}"
    # 3. Nothing the link contained is echoed back: not as text, not as HTML, not in a figure.
    strings = rendered_strings(at)
    for v in _values(params):
        if markup_like(v):
            leaked = [s for s in strings if v in s]
            assert not leaked, f"input {v!r} echoed in {leaked[0][:200]!r}"
    for node in _every_node(at):
        if node.proto.DESCRIPTOR.name == "Markdown" and node.proto.allow_html:
            body = node.proto.body.lower()
            assert "<script" not in body and "onerror" not in body and "javascript:" not in body


@pytest.mark.parametrize("page", PAGES, ids=[p.url_path for p in PAGES])
def test_every_bad_known_parameter_at_once_gives_notices_not_errors(page):
    bad = {k: "\u202e<b>x</b>" for k in KNOWN}
    with parse_spy() as calls:
        at = open_page(page.script, bad)
    assert not at.exception
    assert calls, "the page parses its URL through view.parse_view"
    shown = notices_shown(at)
    assert "audience that does not exist" in shown  # every page reads the audience
    for _, notices in calls:
        assert all(n in shown for n in notices)
    assert not any("<b>x</b>" in s for s in rendered_strings(at))


# --------------------------------------------------------------------------- malformed atlas

def test_a_malformed_atlas_is_named_on_every_page_without_a_traceback(atlas_copy, monkeypatch):
    import pathways.atlas as atlas_module
    import view.data

    atlas_copy.edit("edges.yaml", lambda e: e.append(
        {"source": "c2-c3-facet-joint", "target": "c4", "relation": "innervated-by",
         "citations": ["bogduk1992"], "evidence": "x"}))
    broken = atlas_copy.dir
    monkeypatch.setattr(atlas_module, "_load_bundled", lambda: atlas_module._load(broken))
    # As in a fresh server: nothing loaded yet, so the shared words (checked against the atlas)
    # are read again too (the router reads them first, for its About box).
    import pathways.wording as wording
    wording._bundled.cache_clear()
    view.data._atlas.clear()
    view.data._ui.clear()
    try:
        for page in PAGES:
            at = open_page(page.script, {})
            assert not at.exception, (page.url_path, [e.value for e in at.exception])
            errors = " ".join(e.value for e in at.error)
            assert "could not be loaded" in errors, page.url_path
            assert "edges.yaml" in errors and "c2-c3-facet-joint -> c4" in errors, page.url_path
            assert "'target'" in errors or "target" in errors, page.url_path
    finally:
        monkeypatch.undo()
        wording._bundled.cache_clear()
        view.data._atlas.clear()
        view.data._ui.clear()


# --------------------------------------------------------------------------- no files written
#
# The server runs in a child process with a Python audit hook that reports, on its stderr,
# every file opened for writing, every directory made, renamed or removed, and every process
# started, with the package that asked for it. Then a client speaking the app's websocket
# protocol opens every page (with and without its deep link), changes its widgets, switches
# the audience and presses every download button (deferred downloads are made only then).

AUDITED_SERVER = r"""
import os, sys
WRITE = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
EVENTS = {"os.mkdir", "os.rename", "os.remove", "os.rmdir", "os.truncate", "os.symlink",
          "os.link", "os.chmod", "os.utime", "shutil.copyfile", "shutil.copytree", "shutil.move",
          "shutil.rmtree", "shutil.make_archive", "tempfile.mkstemp", "tempfile.mkdtemp",
          "sqlite3.connect", "subprocess.Popen", "os.posix_spawn", "os.spawn", "os.exec",
          "os.system"}
SKIP = set(sys.stdlib_module_names)
MARK_FILE = "/static/chart-keys.js"

def origin():
    frame = sys._getframe(2)
    while frame is not None:
        name = (frame.f_globals.get("__name__") or "").split(".")[0]
        if name and name not in SKIP and name != "__main__":
            return name
        frame = frame.f_back
    return "?"

def hook(event, args):
    if event == "open" and str(args[0]).endswith(MARK_FILE):  # the test's end-of-session mark
        os.write(2, b"AUDIT-MARK\n")
        return
    if event == "open":
        path, mode, flags = args
        if isinstance(path, int) or path is None:
            return
        if not ((isinstance(mode, str) and any(c in mode for c in "wax+"))
                or (mode is None and isinstance(flags, int) and flags & WRITE)):
            return
    elif event not in EVENTS:
        return
    target = str(args[0]) if args else ""
    if target.startswith("/dev/") or "__pycache__" in target:
        return
    line = "AUDIT-WRITE\t%s\t%s\t%s\n" % (event, target.replace("\t", " ")[:200], origin())
    os.write(2, line.encode("utf-8", "replace"))

sys.addaudithook(hook)
from streamlit.web import cli
sys.argv = ["streamlit", "run", *sys.argv[1:]]
sys.exit(cli.main())
"""

#: Kaleido (the figure renderer behind image and handout downloads) starts Chromium with a
#: temporary profile and a temporary page holding plotly.js: its own scratch files in the system
#: temporary folder, holding nothing the user chose, removed when the browser closes. Those are
#: listed, and allowed, separately; any other write fails.
RENDERER_SCRATCH = {"kaleido", "choreographer", "logistro"}


@contextlib.contextmanager
def audited_server():
    import subprocess
    import urllib.request

    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-c", AUDITED_SERVER, "app.py", "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1",
         "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    lines: list[str] = []
    marked = threading.Event()

    def read() -> None:
        for raw in proc.stderr:
            line = raw.decode("utf-8", "replace")
            if line.startswith("AUDIT-MARK"):
                marked.set()
            lines.append(line)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    url = f"http://127.0.0.1:{port}"
    try:
        try:
            wait_healthy(url, proc, "the audited server", output=lambda: "".join(lines[-20:]))
        except RuntimeError as error:
            pytest.fail(str(error))
        started = len(lines)
        record = {"url": url, "writes": []}
        yield record
        # The server reads one of its own files on request, and says so on the same stream
        # as its writes: once that line is in, every write before it is too.
        with urllib.request.urlopen(url + "/app/static/chart-keys.js", timeout=20) as response:
            response.read()
        assert marked.wait(30), "the audited server never reported the end-of-session mark"
        record["writes"] = [tuple(line.rstrip("\n").split("\t")[1:]) for line in
                            lines[started:] if line.startswith("AUDIT-WRITE\t")]
    finally:
        stop(proc)


def test_a_session_writes_no_files():
    """Every page, its widgets, the audience switch and every download: nothing written."""
    with audited_server() as server:
        problems = run_in_thread(use_every_page, server["url"])
    assert not problems, problems
    writes = server["writes"]
    temp = os.path.realpath(tempfile.gettempdir())
    scratch = [w for w in writes if w[2] in RENDERER_SCRATCH and (
        w[0] in ("subprocess.Popen", "os.posix_spawn")
        or os.path.realpath(w[1]).startswith(temp + os.sep))]
    others = [w for w in writes if w not in scratch]
    assert not others, "files written during a session:\n" + "\n".join(map(str, others))


def test_handouts_are_built_in_memory():
    """The take-home handout (PDF and HTML, with pictures) is made without writing a file."""
    handout = pytest.importorskip("pathways.handout")
    from pathways import load_atlas

    atlas = load_atlas()
    handout.build_html(atlas, "patient", regions=[("orbit", "left")], images=False)  # imports
    with recording_writes() as writes:
        pdf = handout.build_pdf(atlas, "patient", regions=[("orbit", "left")],
                                source="c2-c3-facet-joint", side="left", images=True)
        page = handout.build_html(atlas, "clinician", regions=[("occiput", "right")],
                                  images=True)
    assert pdf[:5] == b"%PDF-" and "<html" in page.lower()
    temp = os.path.realpath(tempfile.gettempdir())
    others = [w for w in writes if not (
        w[2] in RENDERER_SCRATCH and (w[0] in ("subprocess.Popen", "os.posix_spawn")
                                      or os.path.realpath(w[1]).startswith(temp + os.sep)))]
    assert not others, "files written while making a handout:\n" + "\n".join(map(str, others))


_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
_WRITE_EVENTS = {"os.mkdir", "os.rename", "os.remove", "os.rmdir", "os.truncate", "os.symlink",
                 "os.link", "os.chmod", "os.utime", "shutil.copyfile", "shutil.copytree",
                 "shutil.move", "shutil.rmtree", "shutil.make_archive", "tempfile.mkstemp",
                 "tempfile.mkdtemp", "sqlite3.connect", "subprocess.Popen", "os.posix_spawn",
                 "os.spawn", "os.exec", "os.system"}
_recording: list | None = None
_lock = threading.Lock()


def _origin() -> str:
    """The package that asked for a write: the innermost frame outside the standard library
    and outside the test machinery."""
    frame = sys._getframe(2)
    while frame is not None:
        name = (frame.f_globals.get("__name__") or "").split(".")[0]
        if name and name not in sys.stdlib_module_names and name not in (
                "tests", "_pytest", "pluggy", "hypothesis", "__main__"):
            return name
        frame = frame.f_back
    return "?"


def _audit(event: str, args) -> None:
    if _recording is None:
        return
    if event == "open":
        path, mode, flags = args
        if isinstance(path, int) or path is None:
            return
        if not ((isinstance(mode, str) and any(c in mode for c in "wax+")) or (
                mode is None and isinstance(flags, int) and flags & _WRITE_FLAGS)):
            return
    elif event not in _WRITE_EVENTS:
        return
    target = str(args[0]) if args else ""
    if target.startswith("/dev/") or "__pycache__" in target:  # devices; the import system
        return
    with _lock:
        if _recording is not None:
            _recording.append((event, target[:200], _origin()))


sys.addaudithook(_audit)  # inert unless a test is recording


@contextlib.contextmanager
def recording_writes():
    global _recording
    _recording = []
    try:
        yield _recording
    finally:
        _recording = None
