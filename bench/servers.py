"""Start and watch Streamlit servers for the benchmark: this app and a one-line app."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from .pages import ROOT

#: The floor: the smallest app with one widget, so an "interaction" means the same thing.
ONE_LINE_APP = 'import streamlit as st; st.toggle("Hello")\n'


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    name: str
    proc: subprocess.Popen
    url: str
    log: Path

    def rss(self) -> int:
        """Resident memory of the server process, in bytes."""
        import psutil

        return psutil.Process(self.proc.pid).memory_info().rss

    def cpu_seconds(self) -> float:
        import psutil

        t = psutil.Process(self.proc.pid).cpu_times()
        return t.user + t.system

    def metrics(self, *families: str) -> dict[str, float]:
        """``/_stcore/metrics`` as {name{labels}: value}."""
        query = "".join(f"&families={f}" for f in families).lstrip("&")
        url = self.url + "/_stcore/metrics" + (f"?{query}" if query else "")
        with urllib.request.urlopen(url, timeout=30) as response:
            text = response.read().decode()
        out = {}
        for line in text.splitlines():
            if line and not line.startswith("#"):
                name, _, value = line.rpartition(" ")
                try:
                    out[name] = float(value)
                except ValueError:
                    pass
        return out

    def proxy_cpu_seconds(self) -> float:
        """CPU of a proxy in front (none for a single server)."""
        return 0.0

    def active_sessions(self) -> int:
        return int(self.metrics("active_sessions").get("active_sessions", 0))

    def figure_builds(self) -> dict[str, float]:
        """{"builds": n, "hits": n}: figure specs built and served from memory so far (this
        app's builders; empty for the one-line app)."""
        out = {"builds": 0.0, "hits": 0.0}
        for name, value in self.metrics("bench_figure_builds").items():
            for kind in out:
                if f'kind="{kind}"' in name:
                    out[kind] += value
        return out

    def sessions_in_memory(self) -> int:
        return int(self.metrics("bench_app_sessions").get("bench_app_sessions", -1))

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def start(name: str, script: Path, cwd: Path, *extra: str, log_dir: Path,
          deployed: bool = False) -> Server:
    port = free_port()
    log = log_dir / f"{name}.log"
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "bench" / "serve.py"), str(script),
         "--server.headless", "true", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none", "--server.runOnSave", "false", *extra],
        cwd=cwd, stdout=open(log, "wb"), stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONUNBUFFERED": "1", "BENCH_DEPLOY": "1" if deployed else "0"})
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            break
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as response:
                if response.read().strip() == b"ok":
                    return Server(name, proc, url, log)
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError(f"the {name} server did not start; see {log}")


def start_pair(log_dir: Path, *extra: str, deployed: bool = False) -> tuple[Server, Server]:
    """This app (from the project root) and the one-line app (in a temporary folder with the
    same .streamlit/config.toml), started with the same options."""
    floor_dir = Path(tempfile.mkdtemp(prefix="bench-floor-", dir=log_dir))
    (floor_dir / ".streamlit").mkdir()
    shutil.copy(ROOT / ".streamlit" / "config.toml", floor_dir / ".streamlit" / "config.toml")
    (floor_dir / "one_line.py").write_text(ONE_LINE_APP)
    app = start("app", ROOT / "app.py", ROOT, *extra, log_dir=log_dir, deployed=deployed)
    try:
        floor = start("one-line", floor_dir / "one_line.py", floor_dir, *extra, log_dir=log_dir,
                      deployed=deployed)
    except Exception:
        app.stop()
        raise
    return app, floor
