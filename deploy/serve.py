"""Start ``streamlit run`` for production: TCP_NODELAY on its connections, the app's libraries
imported before the first visitor arrives, no look-ups of this machine's addresses on the
internet, and inbound websocket frames capped. Otherwise it is ``streamlit run``.

    python deploy/serve.py app.py [streamlit options]      # instead of: streamlit run app.py ...

Why: Streamlit 1.67 binds its listening socket itself, as ``socket.socket(family)``. Such a
socket reports protocol 0, and asyncio only switches Nagle's algorithm off for sockets that
report TCP, so every accepted connection keeps Nagle on. A rerun answers with several small
websocket frames; after the first, the rest can wait for the browser's delayed
acknowledgement (about 40 ms on Linux, up to 200 ms on Windows). Measured with
``./bench/run``: a new tab's first page on a one-line app takes about 47 ms as shipped and 6 ms
with this; quick successive interactions 43 ms and 5 ms. (After a pause of a second or more
the receiver acknowledges at once, so slower clicks are not delayed.)

The fix sets TCP_NODELAY on the listening socket right after Streamlit binds it; accepted
connections inherit it. If a future Streamlit no longer has the function wrapped here, this
starts Streamlit unchanged and says so.

Why preload: Streamlit imports nothing of the app until a session runs it, so the first
visitors after a start pay for the imports, and sessions starting together race on them.
Plotly looks numpy up in ``sys.modules`` without importing it; while one session is still
importing numpy (the sensitisation model does), another session's figure sees a half-made
numpy and fails (``./bench/run`` found this: a class opening the app right after a restart).
Importing here, before the server listens, removes both.

Why no address look-ups: Streamlit asks an external service (checkip.amazonaws.com, over HTTP
then HTTPS, 1 s each) for this machine's public address, and opens a UDP socket towards
Google's public resolver (8.8.8.8) to learn its own local address. It does so when it prints
its start-up banner and, worse, on every websocket handshake whose Origin is not the page's own:
synchronously, on the event loop, and without caching a failure. So a page elsewhere could make
this server call out, and where outbound traffic is silently dropped, ten such handshakes froze
every session for 20 s. The app promises no outside requests, and neither answer is needed (the
app's own origin is always allowed; other origins are refused). Both functions are replaced with
ones that answer "unknown" at once.

Why batched hand-over: Streamlit 1.67 hands every message of a script run (each element and
block) from the script's thread to the server's event loop with its own wake-up, so a page of
50 elements wakes the server thread 50 times and passes the GIL back and forth as often. Here a
session's messages queue in order and one wake-up takes all that queued meanwhile. Measured with
a page of 50 short texts: 16 ms of server CPU per rerun unbatched, 12 ms batched (the one-line
app: 4 ms). ``tests/test_fragments.py`` checks that every page sends the same messages in the
same order as under ``streamlit run``.

Why the lesson's figures are drawn at start: the first class to reach a lesson step waited for
its figure's first build (up to a second for the diagram), and with one script run at a time
everyone else waited as long. A background thread draws every step's figure for each audience
and layout as the server starts (66 figures, 6–7 s of one core), so the first visitor to a step
finds it built; the server does not wait for it.

Why one script run at a time: see ``limit_concurrent_runs`` (fewer GIL hand-overs between
sessions' threads; under a hall's load each run costs less CPU and the median wait is shorter).

Why tolerant chart selections: a forged click payload that is not an object (``7``,
``{"selection": null}``) makes Streamlit's own selection reader raise; it is read as no
selection instead.

Why the frame cap: Streamlit reads a whole websocket message before checking it against
``server.maxWidgetStateSize``, and uvicorn's own limit is ``server.maxMessageSize`` (meant for
outbound messages, 200 MB by default). Here uvicorn's inbound limit is set to the widget-state
limit, so an oversized frame is refused from its header (close code 1009) before its payload is
read into memory.
"""

from __future__ import annotations

import socket
import sys
from pathlib import Path

#: Imported before the server starts (a failure is reported, not fatal).
PRELOAD = ("numpy", "plotly.graph_objects", "plotly.io", "networkx", "yaml", "pathways",
           "pathways.diagram", "pathways.headmap", "pathways.sensitization")


def enable_tcp_nodelay() -> bool:
    """Patch Streamlit's socket binding so connections have TCP_NODELAY. True if applied."""
    try:
        from streamlit.web.server.starlette import starlette_server
    except ImportError:
        return False
    bind = getattr(starlette_server, "_bind_socket", None)
    if bind is None or getattr(bind, "_nodelay", False):
        return bool(bind)

    def bind_with_nodelay(*args, **kwargs):
        sock = bind(*args, **kwargs)
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock

    bind_with_nodelay._nodelay = True
    starlette_server._bind_socket = bind_with_nodelay
    return True


def no_address_lookups() -> bool:
    """Replace Streamlit's external- and local-address look-ups (see the module docstring).
    True if applied."""
    try:
        from streamlit import net_util
    except ImportError:
        return False
    if not all(hasattr(net_util, name) for name in ("get_external_ip", "get_internal_ip")):
        return False

    def unknown() -> None:
        return None

    net_util.get_external_ip = unknown
    net_util.get_internal_ip = unknown
    return True


def cap_inbound_frames() -> bool:
    """Make uvicorn refuse websocket frames larger than ``server.maxWidgetStateSize``. True if
    applied."""
    try:
        from streamlit.runtime import runtime_util
        from streamlit.web.server.starlette import starlette_server
    except ImportError:
        return False
    kwargs = getattr(starlette_server, "_get_uvicorn_config_kwargs", None)
    if kwargs is None or getattr(kwargs, "_capped", False):
        return bool(kwargs)

    def capped_kwargs(*args, **kw):
        out = kwargs(*args, **kw)
        out["ws_max_size"] = min(out.get("ws_max_size") or 1 << 62,
                                 runtime_util.get_max_widget_state_size_bytes())
        return out

    capped_kwargs._capped = True
    starlette_server._get_uvicorn_config_kwargs = capped_kwargs
    return True


def tolerant_chart_selections() -> bool:
    """Read a chart selection that is not a JSON object with an object ``selection`` as no
    selection. Streamlit's own reader fails on such a value (``{"selection": null}``, ``7``:
    TypeError inside Streamlit, shown as an error on the page); only a forged client sends one.
    The app's click callbacks check the rest (app_pages/where_it_hurts.py, pathways.py).
    True if applied."""
    try:
        from streamlit.elements import plotly_chart
    except ImportError:
        return False
    serde = getattr(plotly_chart, "PlotlyChartSelectionSerde", None)
    deserialize = getattr(serde, "deserialize", None)
    if deserialize is None or getattr(deserialize, "_tolerant", False):
        return bool(deserialize)
    import json

    def tolerant(self, ui_value):
        try:
            parsed = json.loads(ui_value) if isinstance(ui_value, (str, bytes)) else None
        except ValueError:
            parsed = None
        if not (isinstance(parsed, dict) and isinstance(parsed.get("selection"), dict)):
            return deserialize(self, None)
        return deserialize(self, ui_value)

    tolerant._tolerant = True
    serde.deserialize = tolerant
    return True


def coalesce_session_events() -> bool:
    """Hand a session's script events to the event loop in batches instead of one wake-up
    each. True if applied.

    Streamlit 1.67 schedules every message a script run produces (each element, each block)
    with its own ``loop.call_soon_threadsafe``: a write to the loop's wake-up socket, a wake-up
    of the server thread and a hand-over of the GIL between the two threads, per element. Here
    the events of one session queue up in order, and the loop is woken only when the queue was
    empty; one wake-up then handles all that queued meanwhile. The messages, their order and
    their content are unchanged (``tests/test_fragments.py`` compares what is sent)."""
    try:
        from streamlit.runtime.app_session import AppSession
    except ImportError:
        return False
    original = getattr(AppSession, "_call_soon_on_event_loop", None)
    if original is None or getattr(original, "_coalesced", False):
        return bool(original)
    import collections
    import threading

    def call_soon(self, callback) -> None:
        state = self.__dict__.get("_coalesced_events")
        if state is None:
            state = self.__dict__.setdefault(
                "_coalesced_events", (threading.Lock(), collections.deque(), [False]))
        lock, queue, scheduled = state
        with lock:
            queue.append(callback)
            if scheduled[0]:
                return
            scheduled[0] = True

        def drain() -> None:
            while True:
                with lock:
                    if not queue:
                        scheduled[0] = False
                        return
                    batch = list(queue)
                    queue.clear()
                for item in batch:
                    try:
                        item()
                    except Exception as error:  # noqa: BLE001 - as the loop reports a callback's
                        self._event_loop.call_exception_handler(
                            {"message": "Exception in a session event", "exception": error})

        try:
            original(self, drain)
        except BaseException:
            with lock:
                scheduled[0] = False
            raise

    call_soon._coalesced = True
    AppSession._call_soon_on_event_loop = call_soon
    return True


def remember_theme_messages() -> bool:
    """Fill the theme part of a run's first message from a copy made once per theme section,
    instead of reading every theme option from the configuration on every full run (each page
    change and each new tab). True if applied. The copy is dropped whenever Streamlit parses
    its configuration again."""
    try:
        from streamlit import config
        from streamlit.runtime import app_session
    except ImportError:
        return False
    populate = getattr(app_session, "_populate_theme_msg", None)
    if populate is None or getattr(populate, "_remembered", False):
        return bool(populate)
    import threading

    made: dict[str, bytes] = {}
    lock = threading.Lock()

    def remembered(msg, section: str = "theme") -> None:
        with lock:
            data = made.get(section)
        if data is None:
            fresh = type(msg)()
            populate(fresh, section)
            data = fresh.SerializeToString()
            with lock:
                made[section] = data
        if data:  # (merging nothing would still mark an unset part as present)
            msg.MergeFromString(data)  # into the empty part of a new message: the same content

    def forget(*_args, **_kwargs) -> None:
        with lock:
            made.clear()

    remembered._remembered = True
    remembered._forget = forget  # kept referenced: Streamlit holds config callbacks weakly
    try:
        config.on_config_parsed(forget, force_connect=True)
    except (AttributeError, TypeError):
        return False
    app_session._populate_theme_msg = remembered
    return True


#: Script runs executing at once in one process (see :func:`limit_concurrent_runs`).
CONCURRENT_RUNS = 1


def limit_concurrent_runs(limit: int = CONCURRENT_RUNS) -> bool:
    """Let at most ``limit`` script runs execute at once in this process; the others wait their
    turn (in no particular order) without holding the GIL. True if applied.

    Streamlit gives every session its own script thread, and Python runs one thread at a time:
    with a hall's runs all in progress together, the threads take the GIL from each other every
    few milliseconds and every run takes as long as all of them. One at a time, each run
    finishes in its own time and the thread switches go. Measured with 200 tabs on one
    process: 31.9 ms of server CPU per run and a median wait of 4.9 s unlimited, 26.9 ms and
    3.3 s one at a time (2 at a time: 29.7 ms and 4.5 s). The server thread, which sends what
    the runs produce, is not limited."""
    try:
        from streamlit.runtime.scriptrunner import script_runner
    except ImportError:
        return False
    run = getattr(script_runner.ScriptRunner, "_run_script", None)
    if run is None or getattr(run, "_gated", False):
        return bool(run)
    import threading

    gate = threading.BoundedSemaphore(limit)

    def gated(self, *args, **kwargs):
        with gate:
            return run(self, *args, **kwargs)

    gated._gated = True
    script_runner.ScriptRunner._run_script = gated
    return True


def preload(app_dir: Path) -> None:
    import importlib

    sys.path.insert(0, str(app_dir))
    try:
        for name in PRELOAD:
            try:
                importlib.import_module(name)
            except Exception as error:  # noqa: BLE001 - report and carry on
                print(f"deploy/serve.py: could not preload {name}: {error}", file=sys.stderr)
        try:
            from pathways import load_atlas

            load_atlas()  # validated once here; a broken atlas is still reported in the app
            from pathways import headmap

            for view in headmap.VIEWS:  # each drawing's outlines and label points, worked out
                headmap.region_centres(view)  # once (a few hundred ms) before anyone waits
        except Exception as error:  # noqa: BLE001
            print(f"deploy/serve.py: the atlas did not load: {error}", file=sys.stderr)
    finally:
        sys.path.remove(str(app_dir))


def warm_lesson_figures():
    """Draw every lesson step's figure once, in a background thread (see the module's notes),
    after :func:`preload`. Returns the thread, already started (``None`` if the app's package
    was not imported); a failure is reported, not fatal."""
    import threading

    if "pathways" not in sys.modules:  # not this app (or it did not import: reported above)
        return None

    def warm() -> None:
        try:  # imported by preload(app_dir) already
            from pathways import AUDIENCES, lesson, load_atlas

            lesson.warm_step_figures(load_atlas(), lesson.load_lesson().steps, AUDIENCES)
        except Exception as error:  # noqa: BLE001 - a broken file is reported in the app
            print(f"deploy/serve.py: could not draw the lesson's figures: {error}",
                  file=sys.stderr)

    thread = threading.Thread(target=warm, name="warm-lesson-figures", daemon=True)
    thread.start()
    return thread


#: Cookie secrets known to the world: the old example manifest's placeholder, and empties.
PLACEHOLDER_SECRETS = {"", "REPLACE-WITH-64-HEX-CHARACTERS", "changeme", "secret"}


def cookie_secret_problem(environ=None) -> str | None:
    """With PATHWAYS_REQUIRE_COOKIE_SECRET=1 (set in deploy/k8s/deployment.yaml), a missing,
    placeholder or short STREAMLIT_SERVER_COOKIE_SECRET is refused: every replica must share
    one secret that nobody else knows. Returns what is wrong, or None."""
    import os

    environ = os.environ if environ is None else environ
    if environ.get("PATHWAYS_REQUIRE_COOKIE_SECRET", "") != "1":
        return None
    secret = environ.get("STREAMLIT_SERVER_COOKIE_SECRET", "")
    if secret.strip() in PLACEHOLDER_SECRETS or secret.upper().startswith("REPLACE"):
        return ("STREAMLIT_SERVER_COOKIE_SECRET is missing or a placeholder. Create one "
                "shared secret: kubectl create secret generic neck-head-pathways "
                "--from-literal=cookieSecret=\"$(openssl rand -hex 32)\" (deploy/README.md)")
    if len(secret) < 32:
        return "STREAMLIT_SERVER_COOKIE_SECRET is shorter than 32 characters; use openssl rand -hex 32"
    return None


def main() -> None:
    problem = cookie_secret_problem()
    if problem:
        print(f"deploy/serve.py: not starting: {problem}", file=sys.stderr)
        sys.exit(2)
    script = next((a for a in sys.argv[1:] if a.endswith(".py")), "app.py")
    preload(Path(script).resolve().parent)
    warm_lesson_figures()
    if not enable_tcp_nodelay():
        print("deploy/serve.py: this Streamlit binds its socket differently; starting it "
              "unchanged (without TCP_NODELAY).", file=sys.stderr)
    if not no_address_lookups():
        print("deploy/serve.py: this Streamlit has no net_util address look-ups to replace; "
              "check that it makes no outside requests (tests/test_privacy_syscalls.py).",
              file=sys.stderr)
    if not tolerant_chart_selections():
        print("deploy/serve.py: could not guard chart selections; a forged one shows an "
              "error on the page.", file=sys.stderr)
    if not coalesce_session_events():
        print("deploy/serve.py: this Streamlit schedules session events differently; "
              "each is handed over on its own.", file=sys.stderr)
    if not limit_concurrent_runs():
        print("deploy/serve.py: this Streamlit runs scripts differently; their number at once "
              "is not limited.", file=sys.stderr)
    if not remember_theme_messages():
        print("deploy/serve.py: this Streamlit builds its theme message differently; it is "
              "read from the configuration on every run.", file=sys.stderr)
    if not cap_inbound_frames():
        print("deploy/serve.py: could not cap inbound websocket frames at uvicorn; "
              "server.maxWidgetStateSize still applies after a frame is read.", file=sys.stderr)
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", *sys.argv[1:]]
    sys.exit(cli.main())


if __name__ == "__main__":
    main()
