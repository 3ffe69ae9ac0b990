"""Profile one page's script runs (cProfile inside Streamlit's script thread, via AppTest).

``./bench/run --profile pathways`` opens the page with its sample deep link, reruns it (the
work of every interaction: app.py, the page, its figure), and prints where the time goes: by area (app.py and the
shared helpers, the page, the figure builders, Plotly, Streamlit) and the top functions.
Nothing is written to disk.
"""

from __future__ import annotations

import cProfile
import io
import pstats
import time
from collections import defaultdict
from urllib.parse import parse_qsl

from .pages import ROOT, content_pages

RUNS = 20


def _area(filename: str) -> str:
    f = filename.replace("\\", "/")
    for marker, name in (("/app_pages/", "page script"), ("/pathways/", "pathways (figures, text)"),
                         ("/view/", "view helpers"), ("/app.py", "app.py (router)"),
                         ("/plotly/", "plotly"), ("/_plotly_utils/", "plotly"),
                         ("/streamlit/", "streamlit"), ("/networkx/", "networkx"),
                         ("/google/protobuf", "protobuf"), ("/yaml/", "yaml")):
        if marker in f:
            return name
    return "python / other"


def profile(page: str, link: str, runs: int = RUNS) -> None:
    from streamlit.runtime.scriptrunner import script_runner
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import AppTest, app_test, local_script_runner

    target = next((p for p in content_pages() if p.url_path == page), None)
    if target is None:
        raise SystemExit(f"No page {page!r}; pages: {[p.url_path for p in content_pages()]}")
    profiler = cProfile.Profile(time.thread_time)  # CPU time: waits for the GIL don't count
    original = script_runner.ScriptRunner._run_script
    active = {"on": False}

    def profiled(self, rerun_data):
        if not active["on"]:
            return original(self, rerun_data)
        profiler.enable()
        try:
            return original(self, rerun_data)
        finally:
            profiler.disable()

    script_runner.ScriptRunner._run_script = profiled
    # AppTest compiles the scripts afresh on every run; a server compiles them once. Share one
    # cache so the profile shows what a server does.
    shared = ScriptCache()
    saved = app_test.ScriptCache, local_script_runner.ScriptCache
    app_test.ScriptCache = local_script_runner.ScriptCache = lambda: shared
    try:
        params = dict(parse_qsl(link))
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        at.query_params.update(params)
        at.run()
        at.switch_page(target.script)
        at.query_params.update(params)
        at.run()
        at.run()  # caches warm
        active["on"] = True
        wall = time.perf_counter()
        for i in range(runs):
            at.run()
        wall = time.perf_counter() - wall
    finally:
        script_runner.ScriptRunner._run_script = original
        app_test.ScriptCache, local_script_runner.ScriptCache = saved
    stats = pstats.Stats(profiler)
    total = sum(v[2] for v in stats.stats.values())  # own time of every function
    by_area = defaultdict(float)
    for (filename, _, _), (_, _, tt, _, _) in stats.stats.items():
        by_area[_area(filename)] += tt
    print(f"Profile of /{page}?{link}: {runs} reruns, {wall / runs * 1000:.0f} ms per run "
          f"(wall, under the profiler; the profile counts CPU time)\n")
    print("Own time by area:")
    for area, t in sorted(by_area.items(), key=lambda kv: -kv[1]):
        print(f"  {area:<28}{t / runs * 1000:8.1f} ms per run  {t / total * 100:5.1f} %")
    for key, title in (("cumulative", "Top functions by cumulative time"),
                       ("tottime", "Top functions by own time")):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(key).print_stats(25)
        print(f"\n{title}:")
        lines = out.getvalue().splitlines()
        start = next(i for i, line in enumerate(lines) if "ncalls" in line)
        print("\n".join(lines[start:start + 26]))
