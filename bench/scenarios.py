"""The benchmark scenarios. Each runs against this app and the one-line app in the same run,
interleaved where possible, so the result is a ratio that holds on a noisy machine."""

from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass, field

from .stclient import SUCCESS, RunError, Session


def percentile(values, q: float) -> float:
    """Linear-interpolated percentile (q in 0..100); NaN for no values."""
    data = sorted(values)
    if not data:
        return float("nan")
    k = (len(data) - 1) * q / 100
    lo, hi = int(k), min(int(k) + 1, len(data) - 1)
    return data[lo] + (data[hi] - data[lo]) * (k - lo)


@dataclass
class Sample:
    """Latencies (seconds) and errors of one scenario on one server."""
    seconds: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    cpu: float = float("nan")  # the server's CPU seconds over these runs, where measured

    @property
    def cpu_per_run(self) -> float:
        """Server CPU seconds per run: unlike latency, hardly changed by other work on the
        machine (a run waits for the CPU, but does not use more of it)."""
        return self.cpu / len(self.seconds) if self.seconds else float("nan")

    @property
    def p50(self) -> float:
        return percentile(self.seconds, 50)

    @property
    def p95(self) -> float:
        return percentile(self.seconds, 95)

    def add(self, result) -> None:
        self.seconds.append(result.seconds)
        self.errors.extend(result.exceptions)
        if result.status and result.status not in SUCCESS:
            self.errors.append(result.status)


@dataclass
class PagePayload:
    page: str
    bytes: int
    figure_bytes: int
    figures: int
    messages: int
    interaction_bytes: list[int] = field(default_factory=list)


async def _safe(coro, sample: Sample):
    try:
        result = await coro
    except (RunError, OSError) as error:
        sample.errors.append(str(error))
        return None
    sample.add(result)
    return result


async def first_session(server, page: str, link: str) -> float:
    """The first session after the server starts (imports, atlas load): reported, not rated."""
    s = Session(server.url, page, link)
    try:
        result = await s.open()
    finally:
        await s.close()
    return result.seconds


async def payloads(server, pages) -> list[PagePayload]:
    """Bytes a new visitor receives for each page, the figure's share, and per interaction."""
    out = []
    for page in pages:
        s = Session(server.url, page.url_path, page.link)
        result = await s.open()
        payload = PagePayload(page.url_path, result.bytes, result.figure_bytes, result.figures,
                              result.messages)
        for _ in range(4):
            payload.interaction_bytes.append((await s.interact()).bytes)
        await s.close()
        out.append(payload)
    return out


async def warm(app, floor, pages, rounds: int, warmup: int = 3) -> dict[str, tuple[Sample, Sample]]:
    """Warm interactions on every page: one tab on the page and one on the one-line app,
    taking turns (which goes first alternates), so both see the same machine noise."""
    out = {}
    for page in pages:
        a, f = Session(app.url, page.url_path, page.link), Session(floor.url, "", "")
        await a.open()
        await f.open()
        for _ in range(warmup):
            await a.interact()
            await f.interact()
        sa, sf = Sample(), Sample()
        cpu = app.cpu_seconds(), floor.cpu_seconds()
        for i in range(rounds):
            pair = [(a, sa), (f, sf)] if i % 2 == 0 else [(f, sf), (a, sa)]
            for session, sample in pair:
                await _safe(session.interact(), sample)
        sa.cpu, sf.cpu = app.cpu_seconds() - cpu[0], floor.cpu_seconds() - cpu[1]
        await a.close()
        await f.close()
        out[page.url_path] = (sa, sf)
    return out


async def cold(app, floor, pages, rounds: int) -> dict[str, tuple[Sample, Sample]]:
    """New sessions on every page (connect to script_finished), alternating with new sessions
    on the one-line app."""
    out = {}
    for page in pages:
        sa, sf = Sample(), Sample()
        for i in range(rounds):
            pair = [(app, page, sa), (floor, None, sf)]
            if i % 2:
                pair.reverse()
            for server, pg, sample in pair:
                s = Session(server.url, pg.url_path if pg else "", pg.link if pg else "")
                await _safe(s.open(), sample)
                await s.close()
        out[page.url_path] = (sa, sf)
    return out


@dataclass
class ClassResult:
    sessions: int
    opens: Sample
    interactions: Sample
    rss_before: int
    rss_peak: int
    active_peak: int
    wall: float
    cpu: float

    @property
    def rss_per_session(self) -> float:
        return (self.rss_peak - self.rss_before) / max(1, self.sessions)


async def classroom(server, pages, sessions: int, interactions: int,
                    think: tuple[float, float], seed: int = 7) -> ClassResult:
    """A class: ``sessions`` tabs open together (each on a page's deep link, pages taken in
    turn), then each makes ``interactions`` changes with a think time between them."""
    rng = random.Random(seed)
    opens, inter = Sample(), Sample()
    rss_before = server.rss()
    cpu_before = server.cpu_seconds()
    tabs = []
    for i in range(sessions):
        if pages:
            page = pages[i % len(pages)]
            tabs.append(Session(server.url, page.url_path, page.link))
        else:
            tabs.append(Session(server.url, "", ""))
    start = time.perf_counter()
    await asyncio.gather(*(_safe(t.open(), opens) for t in tabs))

    async def student(tab, delays):
        for delay in delays:
            await asyncio.sleep(delay)
            if tab.ws is None:
                return
            await _safe(tab.interact(), inter)

    plans = [[rng.uniform(*think) for _ in range(interactions)] for _ in tabs]
    await asyncio.gather(*(student(t, p) for t, p in zip(tabs, plans)))
    wall = time.perf_counter() - start
    rss_peak = server.rss()
    active = server.active_sessions()
    cpu = server.cpu_seconds() - cpu_before
    await asyncio.gather(*(t.close() for t in tabs))
    return ClassResult(sessions, opens, inter, rss_before, rss_peak, active, wall, cpu)


async def soak(server, pages, minutes: float, tabs: int, think: tuple[float, float],
               churn_every: float, report, seed: int = 11) -> dict:
    """Steady interactions for ``minutes``: ``tabs`` tabs interact with a think time; every
    ``churn_every`` seconds one tab leaves and a new one arrives (as in a clinic's day).
    Samples memory as it goes."""
    rng = random.Random(seed)
    sample = Sample()
    opened = closed = 0
    samples: list[tuple[float, int, int]] = []  # (minutes, rss, sessions in memory)
    stop_at = time.monotonic() + minutes * 60
    start = time.monotonic()

    def new_tab(i: int) -> Session:
        page = pages[i % len(pages)] if pages else None
        return Session(server.url, page.url_path if page else "", page.link if page else "")

    async def user(i: int):
        nonlocal opened, closed
        while time.monotonic() < stop_at:
            tab = new_tab(i + opened)
            opened += 1
            if await _safe(tab.open(), sample) is None:
                await tab.close()
                await asyncio.sleep(1)
                continue
            leave_at = time.monotonic() + rng.uniform(0.5, 1.5) * churn_every * tabs
            while time.monotonic() < min(leave_at, stop_at):
                await asyncio.sleep(rng.uniform(*think))
                await _safe(tab.interact(), sample)
            await tab.close()
            closed += 1

    async def watch():
        while time.monotonic() < stop_at:
            row = ((time.monotonic() - start) / 60, server.rss(), server.sessions_in_memory())
            samples.append(row)
            report(f"  soak {row[0]:5.1f} min  RSS {row[1] / 2**20:7.1f} MiB  "
                   f"sessions in memory {row[2]:3d}  runs {len(sample.seconds)}  "
                   f"errors {len(sample.errors)}")
            await asyncio.sleep(min(30.0, max(5.0, minutes * 60 / 20)))

    await asyncio.gather(watch(), *(user(i) for i in range(tabs)))
    after_close = (server.active_sessions(), server.sessions_in_memory(), server.rss())
    return dict(sample=sample, samples=samples, opened=opened, closed=closed,
                after_close=after_close)


async def page_changes(app, floor, pages, rounds: int) -> tuple[Sample, Sample]:
    """Page changes: one tab moves from page to page (each with its sample deep link, as a link
    to it carries), alternating with a tab on the one-line app, whose only page is requested
    again by its script hash (what a link to it sends: a full run of the script)."""
    a, f = Session(app.url, pages[0].url_path, pages[0].link), Session(floor.url, "", "")
    await a.open()
    await f.open()
    for page in pages[1:]:  # each page once, so every page's caches are warm
        await a.goto(page.url_path, page.link)
    sa, sf = Sample(), Sample()
    cpu = app.cpu_seconds(), floor.cpu_seconds()
    for i in range(rounds):
        page = pages[(i + 1) % len(pages)]
        pair = [(a, sa, page), (f, sf, None)] if i % 2 == 0 else [(f, sf, None), (a, sa, page)]
        for session, sample, pg in pair:
            await _safe(session.goto(pg.url_path, pg.link) if pg else session.goto("", ""),
                        sample)
    sa.cpu, sf.cpu = app.cpu_seconds() - cpu[0], floor.cpu_seconds() - cpu[1]
    await a.close()
    await f.close()
    return sa, sf


@dataclass
class HallResult:
    """A hall: every run by kind ("open", "widget", "fragment", "page"), and the CPU used by the
    servers (all replicas, and nginx if any) and by this load generator over the same wall time."""
    tabs: int
    runs: dict[str, Sample]
    wall: float
    server_cpu: float
    proxy_cpu: float
    client_cpu: float
    rss_peak: int

    @property
    def actions(self) -> Sample:
        """Every interaction after the tabs opened: widget changes, fragments and page changes."""
        out = Sample()
        for kind, sample in self.runs.items():
            if kind != "open":
                out.seconds += sample.seconds
                out.errors += sample.errors
        return out

    @property
    def errors(self) -> list[str]:
        return [e for s in self.runs.values() for e in s.errors]


async def hall(target, pages, tabs: int, actions: int, think: tuple[float, float],
               page_share: float = 0.3, seed: int = 13, affinity: bool = False) -> HallResult:
    """A lecture hall: ``tabs`` tabs open at once (pages in turn, with their deep links), then
    each does ``actions`` things ``think`` seconds apart: a page change (to the next page, with
    its deep link) with probability ``page_share``, else a widget change. ``target`` is one
    server or a cluster behind nginx (``affinity``: tabs keep nginx's routing cookie). With no
    pages (the one-line app) a page change requests its only page again."""
    import psutil

    rng = random.Random(seed)
    me = psutil.Process()
    runs = {k: Sample() for k in ("open", "widget", "fragment", "page")}
    sessions = []
    for i in range(tabs):
        page = pages[i % len(pages)] if pages else None
        sessions.append((Session(target.url, page.url_path if page else "",
                                 page.link if page else "", affinity=affinity), i))
    cpu0 = target.cpu_seconds(), target.proxy_cpu_seconds(), sum(me.cpu_times()[:2])
    start = time.perf_counter()
    peak = [target.rss()]

    async def record(coro, default_kind: str):
        try:
            result = await coro
        except (RunError, OSError) as error:
            runs[default_kind].errors.append(str(error))
            return None
        runs[result.kind or default_kind].add(result)
        return result

    async def student(tab: Session, i: int):
        if await record(tab.open(), "open") is None:
            return
        where = i
        for _ in range(actions):
            await asyncio.sleep(rng.uniform(*think))
            if tab.ws is None:
                return
            if rng.random() < page_share:
                where += 1
                page = pages[where % len(pages)] if pages else None
                await record(tab.goto(page.url_path, page.link) if page else tab.goto("", ""),
                             "page")
            else:
                await record(tab.interact(), "widget")

    async def watch():
        while True:
            await asyncio.sleep(2)
            peak.append(target.rss())

    watcher = asyncio.ensure_future(watch())
    try:
        await asyncio.gather(*(student(t, i) for t, i in sessions))
    finally:
        watcher.cancel()
    wall = time.perf_counter() - start
    server_cpu = target.cpu_seconds() - cpu0[0]
    proxy_cpu = target.proxy_cpu_seconds() - cpu0[1]
    client_cpu = sum(me.cpu_times()[:2]) - cpu0[2]
    await asyncio.gather(*(t.close() for t, _ in sessions))
    return HallResult(tabs, runs, wall, server_cpu, proxy_cpu, client_cpu, max(peak))
