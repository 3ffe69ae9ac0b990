"""Two (or more) replicas of the app behind the shipped nginx configuration, on one machine.

    python deploy/replicas.py                     # 2 replicas, nginx on http://127.0.0.1:8080
    python deploy/replicas.py --replicas 2 --listen 127.0.0.1:8080 --first-port 8501
    python deploy/replicas.py -- --server.maxMessageSize 50   # after --: Streamlit options

One command for a lecture hall on one machine: one Streamlit process per core (one process runs
every session of its own under one lock, so a second core helps only through a second process),
each started as deploy/serve.py starts it, all with one shared cookie secret (the environment's
STREAMLIT_SERVER_COOKIE_SECRET, else a fresh random one), and nginx in front with the
configuration deploy/render_nginx.py renders from deploy/nginx/nginx.conf.template: cookie
affinity (``st_route``), websocket upgrade, static files compressed and cached, the refusals and
the per-client limits. nginx runs in the foreground with its files (configuration, pid, logs,
cache) in a temporary folder, so nothing under /etc is touched. Ctrl-C (or SIGTERM) stops nginx
and every replica.

The benchmark (``./bench/run --hall``) starts the same cluster through :func:`start_cluster`.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def _render_module():
    spec = importlib.util.spec_from_file_location("render_nginx", HERE / "render_nginx.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def nginx_binary() -> str:
    found = shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if Path(p).exists()), None)
    if not found:
        raise SystemExit("nginx is not installed (Debian: apt-get install nginx; ./test.sh "
                         "installs it)")
    return found


def _wait_healthy(url: str, proc: subprocess.Popen, what: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            break
        with contextlib.suppress(OSError):
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as response:
                if response.read().strip() == b"ok":
                    return
        time.sleep(0.2)
    raise RuntimeError(f"{what} did not start (health check at {url})")


@dataclass
class Cluster:
    """Replicas and the nginx in front of them. ``url`` is nginx's address."""
    url: str
    replicas: list[subprocess.Popen]
    replica_urls: list[str]
    nginx: subprocess.Popen
    base: Path
    name: str = "cluster"
    _owned_base: bool = field(default=False, repr=False)

    def _processes(self, procs):
        import psutil

        out = []
        for proc in procs:
            with contextlib.suppress(psutil.Error):
                parent = psutil.Process(proc.pid)
                out += [parent, *parent.children(recursive=True)]
        return out

    def cpu_seconds(self) -> float:
        """CPU time of every replica (user + system)."""
        return sum(sum(p.cpu_times()[:2]) for p in self._processes(self.replicas))

    def proxy_cpu_seconds(self) -> float:
        """CPU time of nginx (master and workers)."""
        return sum(sum(p.cpu_times()[:2]) for p in self._processes([self.nginx]))

    def rss(self) -> int:
        return sum(p.memory_info().rss for p in self._processes(self.replicas))

    def stop(self) -> None:
        for proc in [self.nginx, *self.replicas]:
            if proc.poll() is None:
                proc.terminate()
        for proc in [self.nginx, *self.replicas]:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if self._owned_base:
            shutil.rmtree(self.base, ignore_errors=True)


def start_cluster(script: Path = ROOT / "app.py", *, cwd: Path = ROOT, replicas: int = 2,
                  listen: str | None = None, first_port: int | None = None,
                  streamlit_options=(), base: Path | None = None, log=subprocess.DEVNULL,
                  server_command=None, render_options=None) -> Cluster:
    """Start ``replicas`` copies of ``script`` (from ``cwd``, so its .streamlit/config.toml
    applies) as deploy/serve.py starts them, and nginx in front with the shipped configuration.
    ``server_command(port)`` may give another command line per replica (the benchmark adds its
    session gauge). Returns when nginx answers the health check."""
    owned = base is None
    base = Path(base or tempfile.mkdtemp(prefix="pathways-replicas-"))
    (base / "temp").mkdir(parents=True, exist_ok=True)
    secret = os.environ.get("STREAMLIT_SERVER_COOKIE_SECRET") or secrets.token_hex(32)
    env = {**os.environ, "STREAMLIT_SERVER_COOKIE_SECRET": secret, "PYTHONUNBUFFERED": "1"}
    ports = ([first_port + i for i in range(replicas)] if first_port
             else [free_port() for _ in range(replicas)])
    procs: list[subprocess.Popen] = []
    nginx = None
    try:
        for port in ports:
            command = (server_command(port) if server_command else
                       [sys.executable, str(HERE / "serve.py"), str(script)])
            procs.append(subprocess.Popen(
                [*command, "--server.port", str(port), "--server.address", "127.0.0.1",
                 "--server.headless", "true", *streamlit_options],
                cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT))
        urls = [f"http://127.0.0.1:{port}" for port in ports]
        for proc, url in zip(procs, urls):
            _wait_healthy(url, proc, "a replica")
        listen = listen or f"127.0.0.1:{free_port()}"
        conf = base / "nginx.conf"
        conf.write_text(_render_module().render(
            [u.removeprefix("http://") for u in urls], listen=listen,
            temp_dir=str(base / "temp"), cache_dir=str(base / "cache"),
            pid_file=str(base / "nginx.pid"), error_log=str(base / "error.log"),
            access_log="off", user="root" if os.geteuid() == 0 else "",
            **(render_options or {})))
        binary = nginx_binary()
        early = ["-e", str(base / "error.log")]
        check = subprocess.run([binary, "-t", "-c", str(conf), "-p", str(base), *early],
                               capture_output=True, text=True)
        if check.returncode != 0:
            raise RuntimeError(f"nginx rejects the rendered configuration:\n{check.stderr}")
        nginx = subprocess.Popen([binary, "-c", str(conf), "-p", str(base), *early,
                                  "-g", "daemon off;"], stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL)
        host, _, port = listen.rpartition(":")
        url = f"http://{host or '127.0.0.1'}:{port}"
        _wait_healthy(url, nginx, "nginx", timeout=20)
    except BaseException:
        for proc in [nginx, *procs]:
            if proc is not None and proc.poll() is None:
                proc.kill()
        if owned:
            shutil.rmtree(base, ignore_errors=True)
        raise
    return Cluster(url, procs, urls, nginx, base, _owned_base=owned)


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    extra = argv[argv.index("--") + 1:] if "--" in argv else []
    argv = argv[:argv.index("--")] if "--" in argv else argv
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--replicas", type=int, default=2, help="Streamlit processes (one per core)")
    p.add_argument("--listen", default="127.0.0.1:8080", help="nginx's address")
    p.add_argument("--first-port", type=int, default=8501, help="the replicas' first port")
    args = p.parse_args(argv)
    cluster = start_cluster(replicas=args.replicas, listen=args.listen,
                            first_port=args.first_port, streamlit_options=extra, log=None)
    print(f"{args.replicas} replicas ({', '.join(cluster.replica_urls)}) behind nginx: "
          f"{cluster.url}  (Ctrl-C stops them)", flush=True)
    stop = {"now": False}

    def on_signal(*_):
        stop["now"] = True

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    try:
        while not stop["now"]:
            if cluster.nginx.poll() is not None or any(r.poll() is not None
                                                       for r in cluster.replicas):
                print("a process of the cluster stopped; stopping the rest", file=sys.stderr)
                return 1
            time.sleep(0.5)
    finally:
        cluster.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
