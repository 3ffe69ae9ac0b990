"""Benchmark this app against a one-line Streamlit app over Streamlit's websocket protocol.

    ./bench/run                  # payloads, warm and cold runs on every page, a class of 40
    ./bench/run --repeat 3       # the same three times in one run, to see the machine's noise
    ./bench/run --soak --minutes 10
    ./bench/run --capacity       # classes of 10, 20, 40 and 80 tabs
    ./bench/run --hall           # a hall of 200: one process, then two replicas behind nginx
    ./bench/run --profile pathways

Targets (from the issue): warm interaction p50 within 1.25x of the one-line app, cold start
p50 within 1.5x, the class with zero errors and p95 within 2x of the one-line app's p95.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from . import scenarios
from .pages import ROOT, SAMPLE_LINKS, Page, content_pages
from .servers import start, start_pair
from .stclient import Session

TARGETS = {"warm": 1.25, "cold": 1.5, "class_p95": 2.0}


def say(*parts) -> None:
    print(*parts, flush=True)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.0f}"


def verdict(ratio: float, target: float) -> str:
    return "ok" if ratio <= target else "MISS"


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


async def discover_pages(app) -> list[Page]:
    """The pages as app.py declares them, checked against what the server navigates to."""
    declared = content_pages()
    s = Session(app.url, "home" if any(p.url_path == "home" for p in declared) else "", "")
    await s.open()
    await s.close()
    served = [p.url_pathname for p in s.app_pages if not p.is_hidden]
    missing = [p for p in served if p not in {d.url_path for d in declared}]
    if missing:  # a page built some other way than st.Page("app_pages/...") in app.py
        declared += [Page(p, None, p, False, False) for p in missing]
    return [d for d in declared if d.url_path in served] if served else declared


def options(args) -> list[str]:
    out = []
    for item in args.option:
        name, _, value = item.partition("=")
        out += [f"--{name}", value]
    return out


def print_pair_table(title: str, results: dict, target: float | None, key: str) -> dict:
    say(f"\n{title}")
    measured = any(a.cpu == a.cpu for a, _ in results.values())  # not NaN
    say(f"  {'page':<16}{'app p50':>9}{'p95':>8}{'1-line p50':>12}{'p95':>8}"
        f"{'ratio p50':>11}{'ratio p95':>11}"
        + (f"{'CPU/run':>9}{'1-line':>8}{'ratio':>8}" if measured else "") + "  errors")
    ratios = {}
    for page, (a, f) in results.items():
        r50, r95 = a.p50 / f.p50, a.p95 / f.p95
        ratios[page] = r50
        mark = f"  {verdict(r50, target)} (<= {target})" if target else ""
        cpu = (f"{a.cpu_per_run * 1000:>9.1f}{f.cpu_per_run * 1000:>8.1f}"
               f"{a.cpu_per_run / f.cpu_per_run:>7.2f}x" if measured else "")
        if measured:
            ratios[page + " cpu"] = a.cpu_per_run / f.cpu_per_run
        say(f"  {page:<16}{ms(a.p50):>9}{ms(a.p95):>8}{ms(f.p50):>12}{ms(f.p95):>8}"
            f"{r50:>10.2f}x{r95:>10.2f}x{cpu}  {len(a.errors) + len(f.errors)}{mark}")
    return ratios


async def main_bench(args) -> dict:
    log_dir = Path(tempfile.mkdtemp(prefix="bench-"))
    say(f"Machine: {os.cpu_count()} CPUs; load average (1, 5, 15 min) at start: {load()}")
    say("Starting this app and the one-line app (same config, same options)…")
    app, floor = start_pair(log_dir, *options(args), deployed=args.deploy)
    say("Servers: 'streamlit run' with the project's .streamlit/config.toml"
        + (", started as deploy/serve.py starts it (TCP_NODELAY, libraries preloaded)"
           if args.deploy else " (as ./start.sh runs it)")
        + (f"; options: {' '.join(args.option)}" if args.option else ""))
    report: dict = {"deploy": args.deploy, "cpus": os.cpu_count(),
                    "load_start": os.getloadavg(), "repeats": []}
    try:
        rss_idle = {s.name: s.rss() for s in (app, floor)}
        declared = content_pages()
        if args.warm_only:
            pages = await discover_pages(app)
            for page in pages:
                await scenarios.first_session(app, page.url_path, page.link)
            for repeat in range(args.repeat):
                say(f"\n=== Run {repeat + 1} of {args.repeat} (load average {load()}) ===")
                rep = {"warm": print_pair_table(
                    f"Warm interaction, ms ({args.rounds} per page, alternating with the "
                    "one-line app; server CPU ms per run)",
                    await scenarios.warm(app, floor, pages, args.rounds), TARGETS["warm"],
                    "warm")}
                rep["page_change"] = print_pair_table(
                    f"Page change, ms ({args.rounds} links followed)",
                    {"(every page)": await scenarios.page_changes(app, floor, pages,
                                                                 args.rounds)}, None, "page")
                report["repeats"].append(rep)
            say(f"\nLoad average at end: {load()}")
            return report
        # A class opening the link right after the server (re)starts: nothing imported yet.
        say(f"\nClass at a fresh start: {args.sessions} tabs open together on a just-started "
            "server (pages in turn), 3 interactions each, think 0.5-1.5 s")
        fresh = {}
        for server in (app, floor):
            fresh[server.name] = await scenarios.classroom(
                server, declared if server is app else [], args.sessions, 3, (0.5, 1.5))
        say(f"  {'server':<10}{'open p50':>9}{'p95':>8}{'interact p50':>14}{'p95':>8}{'errors':>8}")
        for name, r in fresh.items():
            errors = r.opens.errors + r.interactions.errors
            say(f"  {name:<10}{ms(r.opens.p50):>9}{ms(r.opens.p95):>8}"
                f"{ms(r.interactions.p50):>14}{ms(r.interactions.p95):>8}{len(errors):>8}")
            for err in sorted(set(errors))[:3]:
                say(f"    error: {err[:150]}")
        report["fresh_class"] = {name: {"open_p50": r.opens.p50, "open_p95": r.opens.p95,
                                        "errors": r.opens.errors + r.interactions.errors}
                                 for name, r in fresh.items()}
        pages = await discover_pages(app)
        say("\nPages: " + ", ".join(f"/{p.url_path}" + (f"?{p.link}" if p.link else "")
                                    for p in pages))
        say("\nPayload per page (a new visitor's first view, then 4 interactions)")
        say(f"  {'page':<16}{'bytes':>9}{'figure bytes':>14}{'figures':>9}{'messages':>10}"
            f"{'per interaction (median)':>26}")
        sizes = await scenarios.payloads(app, pages)
        floor_size = (await scenarios.payloads(floor, [Page("", None, "", False, False)]))[0]
        for p in sizes + [floor_size]:
            name = p.page or "(one-line app)"
            per = sorted(p.interaction_bytes)[len(p.interaction_bytes) // 2]
            say(f"  {name:<16}{p.bytes:>9}{p.figure_bytes:>14}{p.figures:>9}{p.messages:>10}"
                f"{per:>26}")
        report["payload"] = [p.__dict__ for p in sizes + [floor_size]]

        for repeat in range(args.repeat):
            say(f"\n=== Run {repeat + 1} of {args.repeat} (load average {load()}) ===")
            rep: dict = {}
            warm = await scenarios.warm(app, floor, pages, args.rounds)
            rep["warm"] = print_pair_table(
                f"Warm interaction, ms ({args.rounds} per page, alternating with the one-line app)",
                warm, TARGETS["warm"], "warm")
            changes = await scenarios.page_changes(app, floor, pages, args.rounds)
            rep["page_change"] = print_pair_table(
                f"Page change, ms ({args.rounds} links followed, pages in turn with their deep "
                "links; the one-line app's only page requested again)",
                {"(every page)": changes}, None, "page")
            cold = await scenarios.cold(app, floor, pages, args.cold_rounds)
            rep["cold"] = print_pair_table(
                f"Cold session start, ms (connect to script_finished; {args.cold_rounds} per page)",
                cold, TARGETS["cold"], "cold")
            say(f"\nClass: {args.sessions} tabs open together (pages in turn, with deep links), "
                f"then {args.interactions} interactions each, think time "
                f"{args.think[0]:g}-{args.think[1]:g} s")
            rows = {}
            for server in (app, floor):
                rows[server.name] = await scenarios.classroom(
                    server, pages if server is app else [], args.sessions, args.interactions,
                    tuple(args.think))
                await asyncio.sleep(1)
            say(f"  {'server':<10}{'open p50':>9}{'p95':>8}{'interact p50':>14}{'p95':>8}"
                f"{'errors':>8}{'wall s':>8}{'server CPU s':>14}{'RSS/session':>13}")
            for name, r in rows.items():
                say(f"  {name:<10}{ms(r.opens.p50):>9}{ms(r.opens.p95):>8}"
                    f"{ms(r.interactions.p50):>14}{ms(r.interactions.p95):>8}"
                    f"{len(r.opens.errors) + len(r.interactions.errors):>8}{r.wall:>8.1f}"
                    f"{r.cpu:>14.1f}{r.rss_per_session / 2**20:>10.2f} MiB")
            a, f = rows["app"], rows["one-line"]
            ratio = a.interactions.p95 / f.interactions.p95
            errors = len(a.opens.errors) + len(a.interactions.errors)
            say(f"  class p95 ratio {ratio:.2f}x: {verdict(ratio, TARGETS['class_p95'])} "
                f"(<= {TARGETS['class_p95']}); app errors {errors}: "
                f"{'ok' if errors == 0 else 'MISS'} (0)")
            for err in sorted(set(a.opens.errors + a.interactions.errors))[:5]:
                say(f"    error: {err}")
            rep["class"] = {"p95_ratio": ratio, "errors": errors, **{
                name: {"open_p50": r.opens.p50, "open_p95": r.opens.p95,
                       "p50": r.interactions.p50, "p95": r.interactions.p95,
                       "errors": len(r.opens.errors) + len(r.interactions.errors),
                       "rss_per_session": r.rss_per_session, "active_peak": r.active_peak,
                       "cpu": r.cpu, "wall": r.wall} for name, r in rows.items()}}
            report["repeats"].append(rep)

        say("\nServer memory")
        for s in (app, floor):
            per = [r["class"][s.name]["rss_per_session"] / 2**20 for r in report["repeats"]]
            say(f"  {s.name:<10} idle after start {rss_idle[s.name] / 2**20:7.1f} MiB;  now "
                f"{s.rss() / 2**20:7.1f} MiB;  RSS growth per connected tab in the first class "
                f"{per[0]:5.2f} MiB" + (f" (later classes reuse freed memory: "
                                        f"{', '.join(f'{p:.2f}' for p in per[1:])})"
                                        if len(per) > 1 else ""))
        report["rss_idle"] = rss_idle
        if args.repeat > 1:
            say("\nNoise across repeats (ratio min-max)")
            for kind in ("warm", "page_change", "cold"):
                for page in report["repeats"][0][kind]:
                    vals = [r[kind][page] for r in report["repeats"]]
                    say(f"  {kind:<5} {page:<16} {min(vals):5.2f}x - {max(vals):5.2f}x")
            vals = [r["class"]["p95_ratio"] for r in report["repeats"]]
            say(f"  class p95             {min(vals):5.2f}x - {max(vals):5.2f}x")
        say(f"\nLoad average at end: {load()}")
    finally:
        app.stop()
        floor.stop()
    shutil.rmtree(log_dir, ignore_errors=True)  # kept when something failed: server logs
    return report


async def main_capacity(args) -> dict:
    log_dir = Path(tempfile.mkdtemp(prefix="bench-"))
    app, floor = start_pair(log_dir, *options(args), deployed=args.deploy)
    out = {}
    try:
        pages = await discover_pages(app)
        await scenarios.first_session(app, pages[0].url_path, pages[0].link)
        say(f"Capacity: classes of increasing size, {args.interactions} interactions each, "
            f"think {args.think[0]:g}-{args.think[1]:g} s (load average {load()})")
        say(f"  {'tabs':>5} {'server':<9}{'open p95':>9}{'interact p50':>14}{'p95':>8}"
            f"{'errors':>8}{'CPU/wall':>10}")
        for n in args.capacity_sizes:
            for server in (app, floor):
                r = await scenarios.classroom(server, pages if server is app else [], n,
                                              args.interactions, tuple(args.think))
                errors = len(r.opens.errors) + len(r.interactions.errors)
                say(f"  {n:>5} {server.name:<9}{ms(r.opens.p95):>9}{ms(r.interactions.p50):>14}"
                    f"{ms(r.interactions.p95):>8}{errors:>8}{r.cpu / r.wall:>10.2f}")
                out[f"{n}-{server.name}"] = {"p50": r.interactions.p50, "p95": r.interactions.p95,
                                             "open_p95": r.opens.p95, "errors": errors}
                await asyncio.sleep(2)
    finally:
        app.stop()
        floor.stop()
    shutil.rmtree(log_dir, ignore_errors=True)
    return out


async def main_soak(args) -> dict:
    log_dir = Path(tempfile.mkdtemp(prefix="bench-"))
    extra = ["--server.disconnectedSessionTTL", str(args.ttl)] if args.ttl else []
    extra += options(args)
    app = start("app", ROOT / "app.py", ROOT, *extra, log_dir=log_dir, deployed=args.deploy)
    try:
        pages = await discover_pages(app)
        for page in pages:  # warm up every page once, one at a time: the soak is steady state
            await scenarios.first_session(app, page.url_path, page.link)
        ttl = args.ttl or 120
        say(f"Soak: {args.minutes:g} min, {args.tabs} tabs interacting (think "
            f"{args.think[0]:g}-{args.think[1]:g} s), one tab leaving and one arriving about "
            f"every {args.churn:g} s; disconnected sessions are kept {ttl} s for a reconnect "
            f"(load average {load()})")
        rss0 = app.rss()
        result = await scenarios.soak(app, pages, args.minutes, args.tabs, tuple(args.think),
                                      args.churn, say)
        s = result["sample"]
        samples = result["samples"]
        say(f"  runs {len(s.seconds)}, errors {len(s.errors)}, p50 {s.p50 * 1000:.0f} ms, "
            f"p95 {s.p95 * 1000:.0f} ms; sessions opened {result['opened']}, "
            f"closed {result['closed']}")
        for err in sorted(set(s.errors))[:5]:
            say(f"    error: {err}")
        # Memory growth: a least-squares slope over the second half (after warm-up).
        half = [row for row in samples if row[0] >= samples[-1][0] / 2] or samples
        slope = 0.0
        if len(half) > 1:
            mx = sum(r[0] for r in half) / len(half)
            my = sum(r[1] for r in half) / len(half)
            den = sum((r[0] - mx) ** 2 for r in half)
            slope = sum((r[0] - mx) * (r[1] - my) for r in half) / den if den else 0.0
        say(f"  RSS: before {rss0 / 2**20:.1f} MiB, first sample {samples[0][1] / 2**20:.1f} MiB, "
            f"last {samples[-1][1] / 2**20:.1f} MiB, peak {max(r[1] for r in samples) / 2**20:.1f}"
            f" MiB; growth over the second half {slope / 2**20:+.2f} MiB/min")
        active, in_memory, rss = result["after_close"]
        say(f"  All tabs closed: connected sessions {active}, sessions still in memory "
            f"{in_memory} (kept for a reconnect), RSS {rss / 2**20:.1f} MiB")
        say(f"  Waiting {ttl + 5} s (the reconnect window) …")
        await asyncio.sleep(ttl + 5)
        # Expired sessions are dropped when the session store is next written to, i.e. at the
        # next disconnect: one visitor comes and goes.
        page = pages[0]
        visitor = Session(app.url, page.url_path, page.link)
        await visitor.open()
        await visitor.close()
        await asyncio.sleep(1)
        released = app.sessions_in_memory()
        say(f"  After the window and one more visit: sessions in memory {released} "
            f"(the last visitor's), connected {app.active_sessions()}, "
            f"RSS {app.rss() / 2**20:.1f} MiB")
        ok = released <= 1 and len(s.errors) == 0
        say(f"  Sessions released after disconnect: {'yes' if released <= 1 else 'NO'}; "
            f"errors: {len(s.errors)}  =>  {'ok' if ok else 'MISS'}")
        summary = {"runs": len(s.seconds), "errors": len(s.errors), "p50": s.p50, "p95": s.p95,
                   "samples": samples, "slope_bytes_per_min": slope, "released": released,
                   "after_close": result["after_close"]}
    finally:
        app.stop()
    shutil.rmtree(log_dir, ignore_errors=True)
    return summary


def print_hall(where: str, results: dict) -> dict:
    say(f"  {where}")
    say(f"    {'server':<10}{'open p95':>9}{'all p50':>9}{'p95':>8}{'widget p95':>12}"
        f"{'fragment p95':>14}{'page p95':>10}{'errors':>8}{'wall s':>8}{'server CPU':>12}"
        f"{'nginx CPU':>11}{'load gen CPU':>14}{'CPU ms/run':>12}")
    out = {}
    for name, r in results.items():
        a = r.actions
        runs = r.runs

        def p95(kind):
            return ms(runs[kind].p95) if runs[kind].seconds else "      -"

        count = sum(len(v.seconds) for v in runs.values())
        say(f"    {name:<10}{ms(runs['open'].p95):>9}{ms(a.p50):>9}{ms(a.p95):>8}"
            f"{p95('widget'):>12}{p95('fragment'):>14}{p95('page'):>10}{len(r.errors):>8}"
            f"{r.wall:>8.1f}{r.server_cpu / r.wall:>11.2f}c{r.proxy_cpu / r.wall:>10.2f}c"
            f"{r.client_cpu / r.wall:>13.2f}c{r.server_cpu / max(1, count) * 1000:>12.1f}")
        for err in sorted(set(r.errors))[:3]:
            say(f"      error: {err[:150]}")
        out[name] = {"p50": a.p50, "p95": a.p95, "open_p95": runs["open"].p95,
                     **{f"{k}_p95": runs[k].p95 for k in runs}, "errors": len(r.errors),
                     "runs": {k: len(v.seconds) for k, v in runs.items()},
                     "wall": r.wall, "server_cpu": r.server_cpu, "proxy_cpu": r.proxy_cpu,
                     "client_cpu": r.client_cpu, "rss_peak": r.rss_peak}
    say("    (CPU in cores: CPU seconds over wall seconds; the machine has "
        f"{os.cpu_count()}; the load generator runs on the same cores)")
    return out


async def main_hall(args) -> dict:
    """A lecture hall: one process, then two replicas behind the shipped nginx configuration,
    each against the same arrangement of the one-line app."""
    sys.path.insert(0, str(ROOT / "deploy"))
    from replicas import start_cluster

    log_dir = Path(tempfile.mkdtemp(prefix="bench-"))
    say(f"Machine: {os.cpu_count()} CPUs; load average (1, 5, 15 min) at start: {load()}")
    app, floor = start_pair(log_dir, *options(args), deployed=True)
    floor_dir = Path(floor.proc.args[2]).parent
    clusters = []
    report: dict = {"tabs": args.hall_tabs, "load_start": os.getloadavg(), "repeats": []}
    try:
        clusters.append(start_cluster(ROOT / "app.py", cwd=ROOT, replicas=args.hall_replicas,
                                      streamlit_options=options(args),
                                      base=log_dir / "cluster-app",
                                      log=open(log_dir / "cluster-app.log", "wb")))
        clusters.append(start_cluster(floor_dir / "one_line.py", cwd=floor_dir,
                                      replicas=args.hall_replicas,
                                      streamlit_options=options(args),
                                      base=log_dir / "cluster-floor",
                                      log=open(log_dir / "cluster-floor.log", "wb")))
        clusters[0].name, clusters[1].name = "app", "one-line"
        pages = await discover_pages(app)
        for target in (app, *clusters):  # every page once per process: caches warm
            for page in pages:
                for _ in range(args.hall_replicas if target is not app else 1):
                    await scenarios.first_session(target, page.url_path, page.link)
        say(f"Hall: {args.hall_tabs} tabs open together (pages in turn, with deep links), then "
            f"{args.interactions} actions each, {args.think[0]:g}-{args.think[1]:g} s apart: a "
            f"page change (to the next page) {args.page_share:.0%} of the time, else a widget "
            "change (a fragment's rerun where the widget is in one)")
        for repeat in range(args.repeat):
            say(f"\n=== Run {repeat + 1} of {args.repeat} (load average {load()}) ===")
            rep = {}
            for where, targets, affinity in (
                    ("one process", (app, floor), False),
                    (f"{args.hall_replicas} replicas behind nginx (cookie affinity)",
                     clusters, True)):
                results = {}
                for target in targets:
                    results[target.name] = await scenarios.hall(
                        target, pages if target.name == "app" else [], args.hall_tabs,
                        args.interactions, tuple(args.think), args.page_share,
                        affinity=affinity)
                    await asyncio.sleep(3)
                rep[where] = print_hall(where, results)
            report["repeats"].append(rep)
        say(f"\nLoad average at end: {load()}")
    finally:
        for c in clusters:
            c.stop()
        app.stop()
        floor.stop()
    shutil.rmtree(log_dir, ignore_errors=True)
    return report


def parse(argv=None):
    p = argparse.ArgumentParser(prog="bench", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--rounds", type=int, default=30, help="warm interactions per page and app")
    p.add_argument("--cold-rounds", type=int, default=12, help="new sessions per page and app")
    p.add_argument("--sessions", type=int, default=40, help="tabs in the class scenario")
    p.add_argument("--interactions", type=int, default=10, help="interactions per tab")
    p.add_argument("--think", type=float, nargs=2, default=[1.0, 3.0], metavar=("MIN", "MAX"),
                   help="seconds between a tab's interactions (uniform)")
    p.add_argument("--repeat", type=int, default=1, help="repeat the scenarios in one run")
    p.add_argument("--quick", action="store_true", help="fewer rounds (a smoke run)")
    p.add_argument("--soak", action="store_true", help="a long steady run instead")
    p.add_argument("--minutes", type=float, default=10.0, help="soak length")
    p.add_argument("--tabs", type=int, default=10, help="soak: tabs interacting at once")
    p.add_argument("--churn", type=float, default=10.0,
                   help="soak: about every this many seconds one tab leaves and one arrives")
    p.add_argument("--ttl", type=int, default=0,
                   help="soak: server.disconnectedSessionTTL (default: Streamlit's, 120 s)")
    p.add_argument("--capacity", action="store_true", help="classes of growing size instead")
    p.add_argument("--capacity-sizes", type=int, nargs="+", default=[10, 20, 40, 80])
    p.add_argument("--warm-only", action="store_true",
                   help="only the warm interactions and page changes (with server CPU per run)")
    p.add_argument("--hall", action="store_true",
                   help="a lecture hall instead: one process, then replicas behind nginx")
    p.add_argument("--hall-tabs", type=int, default=200, help="hall: tabs")
    p.add_argument("--hall-replicas", type=int, default=2, help="hall: replicas behind nginx")
    p.add_argument("--page-share", type=float, default=0.3,
                   help="hall: share of actions that are page changes")
    p.add_argument("--profile", metavar="PAGE", help="profile one page's run instead (cProfile)")
    p.add_argument("--deploy", action="store_true",
                   help="start both servers as deploy/serve.py does (TCP_NODELAY, preloading)")
    p.add_argument("--option", action="append", default=[], metavar="NAME=VALUE",
                   help="a Streamlit option for both servers, e.g. runner.postScriptGC=true")
    p.add_argument("--json", type=Path, help="also write the results as JSON here")
    args = p.parse_args(argv)
    if args.quick:
        args.rounds, args.cold_rounds = 8, 4
        args.sessions, args.interactions = min(args.sessions, 20), min(args.interactions, 4)
    return args


def main(argv=None) -> int:
    args = parse(argv)
    started = time.monotonic()
    if args.profile:
        from .profile_page import profile

        profile(args.profile, SAMPLE_LINKS.get(args.profile, ""))
        return 0
    runner = (main_soak if args.soak else main_capacity if args.capacity
              else main_hall if args.hall else main_bench)
    result = asyncio.run(runner(args))
    say(f"(took {(time.monotonic() - started) / 60:.1f} min)")
    if args.json:
        args.json.write_text(json.dumps(result, indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
