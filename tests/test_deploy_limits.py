"""Framework limits, tested against a real server started as deployed (``deploy/serve.py``,
``.streamlit/config.toml``): oversized widget-state messages and uploads cost the server
almost no memory, a storm of foreign-Origin websocket handshakes with outbound traffic hanging
leaves a normal user fast, and a rebinding Host is refused.

Each test measures what the issue reported: one 19 MB message of 200,000 widget states added
~110 MB to the server (8 at once: 249 -> 1,464 MB); 10 x 20 MB uploads 103 -> 310 MB; ten
foreign-Origin handshakes froze every user for 20 s; Host = Origin = a foreign name got a 101.
"""

from __future__ import annotations

import asyncio
import contextlib
import http.client
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from tests.serving import free_port, stop, wait_healthy

ROOT = Path(__file__).resolve().parent.parent

#: The bound the issue sets for the worst payloads.
MEMORY_RISE_LIMIT = 50 * 2**20
#: A normal user's p95 while foreign-Origin handshakes arrive must stay under the external-IP
#: lookup's own 1 s timeout: the defect froze every rerun for whole lookups (24 s seen). Tests do
#: not time things finely (a busy CI machine must not fail them); the 200 ms target is
#: measured by the benchmark, where about 70 ms was seen.
P95_LIMIT = 1.0


def rss(pid: int) -> int:
    """Resident memory of a process, in bytes (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError("no VmRSS")


@contextlib.contextmanager
def served(env_extra: dict | None = None, *args: str):
    """The app as deployed, on loopback. Yields (url, pid)."""
    port = free_port()
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", **(env_extra or {})}
    env.pop("PATHWAYS_CHECK_FIGURES", None)
    proc = subprocess.Popen(
        [sys.executable, "deploy/serve.py", "app.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", *args],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        try:
            wait_healthy(url, proc, "the server")
        except RuntimeError as error:
            pytest.fail(str(error))
        yield url, proc.pid
    finally:
        stop(proc)


def run(coroutine):
    """asyncio.run in a fresh thread (pytest-playwright may run a loop in this one)."""
    from tests.syscall_watch import run_in_thread

    return run_in_thread(lambda: coroutine)


def settle_rss(pid: int, seconds: float = 1.5) -> int:
    """The highest resident size over a short while (memory freed late still counts)."""
    peak, end = 0, time.monotonic() + seconds
    while time.monotonic() < end:
        peak = max(peak, rss(pid))
        time.sleep(0.05)
    return peak


async def _open_session(url: str, page: str = "references"):
    from bench.stclient import Session

    s = Session(url, page)
    await s.open()
    return s


def widget_state_bomb(count: int = 200_000) -> bytes:
    """One BackMsg rerun with ``count`` widget states: about 19 MB, like the issue's probe."""
    from streamlit.proto.BackMsg_pb2 import BackMsg

    msg = BackMsg()
    msg.rerun_script.page_name = "references"
    widgets = msg.rerun_script.widget_states.widgets
    for i in range(count):
        w = widgets.add()
        w.id = f"$$ID-{i:012d}-forged-widget-state-key"
        w.string_value = "x" * 48
    return msg.SerializeToString()


# ---------------------------------------------------------------------------- widget state

@pytest.fixture(scope="module")
def server():
    with served() as (url, pid):
        yield url, pid


def test_a_huge_widget_state_message_is_refused_and_costs_no_memory(server):
    import websockets

    url, pid = server
    bomb = widget_state_bomb()
    assert len(bomb) > 15 * 2**20

    async def attack(n: int):
        sessions = [await _open_session(url) for _ in range(n)]
        closed = []

        async def send(s):
            try:
                await s.ws.send(bomb)
                await asyncio.wait_for(s.ws.recv(), 20)
                while True:
                    await asyncio.wait_for(s.ws.recv(), 20)
            except websockets.ConnectionClosed as error:
                closed.append(error.rcvd.code if error.rcvd else None)
            except asyncio.TimeoutError:
                closed.append("open")

        await asyncio.gather(*(send(s) for s in sessions))
        for s in sessions:
            with contextlib.suppress(Exception):
                await s.close()
        return closed

    async def warm(n: int):  # sessions and the page's caches cost memory of their own
        sessions = [await _open_session(url) for _ in range(n)]
        for s in sessions:
            await s.close()

    run(warm(9))
    before = settle_rss(pid)
    codes = run(attack(1)) + run(attack(8))
    rise = settle_rss(pid) - before
    assert all(code == 1009 for code in codes), codes  # 1009: message too big
    assert rise < MEMORY_RISE_LIMIT, f"server memory rose by {rise / 2**20:.0f} MiB"

    async def normal():  # the server still serves everyone else
        s = await _open_session(url, "home")
        result = await s.interact()
        await s.close()
        return result

    assert not run(normal()).exceptions


def test_uploads_are_refused_and_cost_no_memory(server):
    url, pid = server

    host = url.removeprefix("http://")
    with urllib.request.urlopen(url + "/_stcore/health") as response:  # sets the XSRF cookie
        cookie = next(c.split(";", 1)[0] for c in response.headers.get_all("Set-Cookie") or []
                      if c.startswith("_streamlit_xsrf="))
    token = cookie.split("=", 1)[1]
    body = b"--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.bin\"\r\n" \
           b"Content-Type: application/octet-stream\r\n\r\n" + b"\0" * (20 * 2**20) + b"\r\n--b--\r\n"

    def upload(session_id: str, i: int):
        conn = http.client.HTTPConnection(host, timeout=30)
        try:
            conn.request("PUT", f"/_stcore/upload_file/{session_id}/file-{i}", body=body,
                         headers={"Content-Type": "multipart/form-data; boundary=b",
                                  "X-Xsrftoken": token, "Cookie": cookie})
            return conn.getresponse().status
        except (ConnectionError, OSError):
            return "reset"
        finally:
            conn.close()

    async def attack():  # ten 20 MB files for a live session, as the probe
        s = await _open_session(url)
        loop = asyncio.get_running_loop()
        before = settle_rss(pid)
        statuses = [await loop.run_in_executor(None, upload, s.session_id, i) for i in range(10)]
        rise = settle_rss(pid) - before
        await s.close()
        return statuses, rise

    statuses, rise = run(attack())
    assert all(status in (413, "reset") for status in statuses), statuses
    assert rise < MEMORY_RISE_LIMIT, f"server memory rose by {rise / 2**20:.0f} MiB"


def _raw_handshake(url: str, host: str, origin: str | None) -> int:
    """A websocket upgrade request with chosen Host and Origin; the HTTP status answered."""
    address = url.removeprefix("http://")
    h, port = address.rsplit(":", 1)
    with socket.create_connection((h, int(port)), timeout=10) as sock:
        lines = ["GET /_stcore/stream HTTP/1.1", f"Host: {host}", "Upgrade: websocket",
                 "Connection: Upgrade", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
                 "Sec-WebSocket-Version: 13", "Sec-WebSocket-Protocol: streamlit"]
        if origin:
            lines.append(f"Origin: {origin}")
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        reply = sock.recv(4096).decode("latin-1")
    return int(reply.split(" ", 2)[1]) if reply.startswith("HTTP/") else 0


def test_dns_rebinding_is_refused_and_the_own_origin_is_not(server):
    url, _ = server
    port = url.rsplit(":", 1)[1]
    rebound = f"rebound.example:{port}"
    assert _raw_handshake(url, rebound, f"http://{rebound}") != 101
    assert _raw_handshake(url, f"127.0.0.1:{port}", f"http://127.0.0.1:{port}") == 101
    assert _raw_handshake(url, f"localhost:{port}", f"http://localhost:{port}") == 101


# -------------------------------------------------------------- foreign Origin, egress hanging

@contextlib.contextmanager
def black_hole():
    """A proxy that accepts connections and never answers: outbound traffic that hangs."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    held, stop = [], threading.Event()

    def accept():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join()
        for c in held:
            c.close()
        listener.close()


#: The attacking pages, in a process of their own (so that their client work does not slow the
#: measuring client): each opens a websocket with a foreign Origin every PAUSE seconds.
ATTACKERS = """
import asyncio, sys, time, contextlib
import websockets
url, seconds, attackers, pause = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
async def attacker(end):
    while time.monotonic() < end:
        with contextlib.suppress(Exception):
            async with websockets.connect(url, subprotocols=["streamlit"], open_timeout=30,
                    additional_headers={"Origin": "http://attacker.example"}) as ws:
                await ws.recv()
        await asyncio.sleep(pause)
async def main():
    end = time.monotonic() + seconds
    await asyncio.gather(*(attacker(end) for _ in range(attackers)))
asyncio.run(main())
"""


def foreign_origin_storm(url: str, seconds: float = 6.0, attackers: int = 10,
                         pause: float = 0.5) -> list[float]:
    """A normal user's rerun times while ``attackers`` pages each open a websocket with a
    foreign Origin every ``pause`` seconds (20 handshakes a second by default)."""
    ws_url = url.replace("http://", "ws://") + "/_stcore/stream"

    async def main():
        user = await _open_session(url, "home")
        storm = subprocess.Popen([sys.executable, "-c", ATTACKERS, ws_url, str(seconds),
                                  str(attackers), str(pause)], cwd=ROOT)
        times = []
        try:
            await asyncio.sleep(0.5)  # the storm is under way
            end = time.monotonic() + seconds - 1
            while time.monotonic() < end:
                start = time.perf_counter()
                result = await user.interact()
                times.append(time.perf_counter() - start)
                assert not result.exceptions
                await asyncio.sleep(0.1)
        finally:
            storm.wait(timeout=seconds + 60)
            await user.close()
        return times

    return run(main())


def test_a_foreign_origin_storm_with_egress_hanging_leaves_users_fast():
    with black_hole() as proxy:
        env = {"HTTP_PROXY": proxy, "HTTPS_PROXY": proxy, "http_proxy": proxy,
               "https_proxy": proxy, "NO_PROXY": "", "no_proxy": ""}
        with served(env) as (url, _):
            times = foreign_origin_storm(url)
    p95 = statistics.quantiles(times, n=20)[-1] if len(times) >= 2 else max(times)
    assert len(times) >= 10, f"only {len(times)} reruns in the storm: {times}"
    assert p95 < P95_LIMIT, f"p95 {p95 * 1000:.0f} ms over {len(times)} reruns"


# ------------------------------------------------------------------------ the start-up patches

def test_serve_py_replaces_streamlits_address_lookups(monkeypatch):
    """No request to checkip.amazonaws.com and no UDP connect towards 8.8.8.8, neither for the
    banner nor for a foreign-Origin check."""
    import importlib.util

    import requests
    from streamlit import net_util
    from streamlit.web.server import server_util

    calls = []
    monkeypatch.setattr(requests, "get", lambda *a, **k: calls.append(a) or None)
    real_socket = socket.socket

    class NoUdp(real_socket):
        def connect(self, address):
            calls.append(address)
            return super().connect(address)

    monkeypatch.setattr(socket, "socket", NoUdp)
    monkeypatch.setattr(net_util, "get_external_ip", net_util.get_external_ip)
    monkeypatch.setattr(net_util, "get_internal_ip", net_util.get_internal_ip)
    monkeypatch.setattr(net_util, "_external_ip", None)
    monkeypatch.setattr(net_util, "_internal_ip", None)

    spec = importlib.util.spec_from_file_location("serve", ROOT / "deploy" / "serve.py")
    serve = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(serve)
    assert serve.no_address_lookups()
    assert not server_util.is_url_from_allowed_origins("http://attacker.example")
    assert net_util.get_external_ip() is None and net_util.get_internal_ip() is None
    assert not calls, calls


def _serve_module():
    import importlib.util

    spec = importlib.util.spec_from_file_location("serve", ROOT / "deploy" / "serve.py")
    serve = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(serve)
    return serve


def test_serve_py_runs_one_script_at_a_time_and_every_run_finishes(monkeypatch):
    """Runs of many sessions started together wait their turn (one at a time, as
    deploy/serve.py sets it) and none is lost; a run that fails lets the next one in."""
    import threading

    from streamlit.runtime.scriptrunner import script_runner

    running, most, done = [0], [0], []
    lock = threading.Lock()

    def fake_run(self, rerun_data):
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        time.sleep(0.02)
        with lock:
            running[0] -= 1
        if rerun_data == "fails":
            raise RuntimeError("a run that fails")
        done.append(rerun_data)

    monkeypatch.setattr(script_runner.ScriptRunner, "_run_script", fake_run)
    serve = _serve_module()
    assert serve.limit_concurrent_runs()
    assert serve.limit_concurrent_runs()  # once only, however often it is asked

    def session(i):
        try:
            script_runner.ScriptRunner._run_script(object(), "fails" if i == 3 else i)
        except RuntimeError:
            pass

    threads = [threading.Thread(target=session, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert sorted(done) == [0, 1, 2, 4, 5, 6, 7]
    assert most[0] == serve.CONCURRENT_RUNS == 1


def test_the_config_sets_the_limits_this_app_needs():
    import tomllib

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text("utf-8"))
    server_options = config["server"]
    assert server_options["maxWidgetStateSize"] == 1      # MB; real states are a few kB
    assert server_options["maxUploadSize"] == 0           # the app takes no uploads
    assert server_options["allowedHosts"] and "*" not in server_options["allowedHosts"]
    assert config["browser"]["serverAddress"]


def test_serve_py_draws_every_lesson_step_for_every_audience_and_layout_in_the_background(
        monkeypatch):
    """The first class to reach a lesson step finds its figure drawn: deploy/serve.py starts a
    thread that draws every step for each audience, wide and compact, as the lesson page does;
    afterwards the page's figures come from memory, not from a new build."""
    from pathways import AUDIENCES, load_atlas
    from pathways import lesson as L
    from pathways.figcache import cache_stats

    drawn = []
    real = L.warm_step_figures

    def some_of_it(atlas, steps, audiences, layouts=(False, True)):  # two steps keep it short
        drawn.append((list(steps), tuple(audiences), tuple(layouts)))
        return real(atlas, list(steps)[2:4], audiences, layouts)

    monkeypatch.setattr(L, "warm_step_figures", some_of_it)
    thread = _serve_module().warm_lesson_figures()
    thread.join(timeout=120)
    assert not thread.is_alive()
    [(steps, audiences, layouts)] = drawn
    assert steps == list(L.load_lesson().steps) and audiences == AUDIENCES
    assert layouts == (False, True)
    builds = sum(s["builds"] for s in cache_stats().values())
    for step in steps[2:4]:
        for audience in AUDIENCES:
            for compact in (False, True):
                assert L.page_spec(load_atlas(), step, audience, compact, "large") is not None
    assert sum(s["builds"] for s in cache_stats().values()) == builds
