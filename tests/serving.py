"""Servers the tests start on loopback: a free port, waiting until a server answers its health
check, and stopping it. One home for what the browser, privacy, hardening and deployment tests
all do."""

from __future__ import annotations

import importlib.util
import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEALTH = "/_stcore/health"  # Streamlit's, passed on unchanged by the shipped nginx


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, proc: subprocess.Popen, what: str, timeout: float = 90,
                 output: Callable[[], str] = lambda: "") -> None:
    """Return once ``url`` answers its health check with "ok"; raise RuntimeError naming
    ``what`` (and ending with ``output()``, e.g. the server's last lines) if ``proc`` exits or
    ``timeout`` seconds pass first."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url + HEALTH, timeout=2) as response:
                if response.read().strip() == b"ok":
                    return
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            ended = f"it exited with {proc.returncode}" if proc.poll() is not None else \
                f"no answer in {timeout:g} s"
            said = output()
            raise RuntimeError(f"{what} did not start ({ended}, health check at {url})"
                               + (f":\n{said}" if said else ""))
        time.sleep(0.2)


def stop(proc: subprocess.Popen, timeout: float = 15) -> None:
    """Ask ``proc`` to stop (SIGTERM, so the app closes its own browser), then kill it if it
    has not stopped after ``timeout`` seconds."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def nginx_binary() -> str:
    """The installed nginx; a clear failure naming the package if there is none."""
    import pytest

    found = shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if Path(p).exists()), None)
    if not found:
        pytest.fail("nginx is not installed, so the tests that put it in front of the app cannot "
                    "run. ./test.sh installs it (Debian package 'nginx'); or: apt-get install nginx")
    return found


def render_nginx_module():
    """deploy/render_nginx.py, loaded as a module (deploy/ is a folder of tools, not a package)."""
    spec = importlib.util.spec_from_file_location("render_nginx",
                                                  ROOT / "deploy" / "render_nginx.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
