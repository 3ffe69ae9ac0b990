"""Start ``streamlit run`` for production: TCP_NODELAY on its connections, and the app's
libraries imported before the first visitor arrives. Otherwise it is ``streamlit run``.

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
        except Exception as error:  # noqa: BLE001
            print(f"deploy/serve.py: the atlas did not load: {error}", file=sys.stderr)
    finally:
        sys.path.remove(str(app_dir))


def main() -> None:
    script = next((a for a in sys.argv[1:] if a.endswith(".py")), "app.py")
    preload(Path(script).resolve().parent)
    if not enable_tcp_nodelay():
        print("deploy/serve.py: this Streamlit binds its socket differently; starting it "
              "unchanged (without TCP_NODELAY).", file=sys.stderr)
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", *sys.argv[1:]]
    sys.exit(cli.main())


if __name__ == "__main__":
    main()
