"""Start ``streamlit run`` exactly as usual, plus one extra metric for the benchmark.

``python bench/serve.py <script> [streamlit options]`` runs ``streamlit run <script> ...`` in
this process and adds a gauge to ``/_stcore/metrics``: ``bench_app_sessions``, the number of
session objects still alive in the server's memory (connected, or disconnected but kept for a
reconnect). Streamlit's own ``active_sessions`` counts only connected ones, so this is how the
soak run sees whether sessions are released after their users leave. The gauge is computed
only when asked for (``?families=bench_app_sessions``); nothing else about the server changes,
except with ``BENCH_DEPLOY=1`` (``./bench/run --deploy``): then the server starts the way
``deploy/serve.py`` starts it (TCP_NODELAY on connections, libraries imported first).
"""

from __future__ import annotations

import gc
import sys
import threading
import time

FAMILY = "bench_app_sessions"
BUILDS = "bench_figure_builds"


class _SessionCount:
    stats_families = (FAMILY, BUILDS)

    def get_stats(self, family_names=None):
        from streamlit.runtime.app_session import AppSession
        from streamlit.runtime.stats import GaugeStat

        out = {}
        if family_names is None or BUILDS in family_names:
            out[BUILDS] = _figure_builds()
        if family_names is None or FAMILY in family_names:
            gc.collect()
            alive = sum(1 for obj in gc.get_objects() if type(obj) is AppSession)
            out[FAMILY] = [GaugeStat(family_name=FAMILY, value=alive,
                                     help="Session objects alive in memory (benchmark only).")]
        return out


def _figure_builds() -> list:
    """Figures built (cache misses) and served from memory (hits) so far, per builder."""
    from streamlit.runtime.stats import GaugeStat

    try:
        from pathways.figcache import cache_stats
    except ImportError:  # not this app (the one-line app)
        return []
    return [GaugeStat(family_name=BUILDS, value=value, labels={"builder": name, "kind": kind},
                      help="Figure specs built or served from memory (benchmark only).")
            for name, stats in cache_stats().items()
            for kind, value in (("builds", stats["builds"]), ("hits", stats["hits"]))]


def _register_when_ready() -> None:
    from streamlit.runtime import Runtime

    while not (Runtime.exists() and getattr(Runtime.instance(), "_stats_mgr", None)):
        time.sleep(0.01)  # the instance exists before its constructor has finished
    Runtime.instance().stats_mgr.register_provider(_SessionCount())


def _as_deployed(script: str) -> None:
    import importlib.util
    import os
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "deploy" / "serve.py"
    spec = importlib.util.spec_from_file_location("deploy_serve", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.preload(Path(script).resolve().parent)
    warm = getattr(module, "warm_lesson_figures", None)  # absent in older trees
    warming = warm() if warm else None
    if warming is not None:  # finished before the server listens: not counted in a scenario
        warming.join()
    if not module.enable_tcp_nodelay():
        raise SystemExit("bench/serve.py: could not enable TCP_NODELAY for this Streamlit")
    if os.environ.get("BENCH_COALESCE", "1") == "1" and not module.coalesce_session_events():
        raise SystemExit("bench/serve.py: could not coalesce session events for this Streamlit")
    runs = int(os.environ.get("BENCH_RUNS", module.CONCURRENT_RUNS))  # 0: not limited
    if runs and not module.limit_concurrent_runs(runs):
        raise SystemExit("bench/serve.py: could not limit concurrent runs for this Streamlit")
    if os.environ.get("BENCH_THEME", "1") == "1" and not module.remember_theme_messages():
        raise SystemExit("bench/serve.py: could not remember theme messages for this Streamlit")


def main() -> None:
    import os

    if os.environ.get("BENCH_DEPLOY") == "1":
        _as_deployed(sys.argv[1])
    threading.Thread(target=_register_when_ready, daemon=True).start()
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", *sys.argv[1:]]
    sys.exit(cli.main())


if __name__ == "__main__":
    main()
