"""Drain a replica before it stops (the Kubernetes preStop hook; standard library only).

    python deploy/drain.py [--url http://127.0.0.1:8501] [--min 10] [--max 40]

When a pod is told to stop, Kubernetes takes it out of the Service's endpoints at the same time
as it runs this hook; the ingress controller notices a few seconds later. So this first waits
``--min`` seconds (no new tab is sent here after that), then until no session is open (read
from ``/_stcore/metrics``) or ``--max`` seconds have passed. Tabs still open then reconnect by
themselves to another replica when this one stops, and show the same view (it lives in the
URL). Always exits 0: a drain that cannot read the metrics must not block the stop.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
import urllib.request


def active_sessions(url: str) -> int | None:
    """Open sessions on the replica at ``url``; None if it cannot be read."""
    try:
        with urllib.request.urlopen(url.rstrip("/") + "/_stcore/metrics?families=active_sessions",
                                    timeout=2) as response:
            text = response.read().decode("utf-8", "replace")
    except (OSError, ValueError):
        return None
    found = re.search(r"^active_sessions(?:\{[^}]*\})? (\d+(?:\.\d+)?)", text, re.M)
    return int(float(found.group(1))) if found else 0


def drain(url: str, minimum: float, maximum: float, *, poll: float = 1.0,
          clock=time.monotonic, sleep=time.sleep) -> str:
    """Wait as described in the module docstring; returns why it stopped waiting."""
    start = clock()
    sleep(max(0.0, minimum))
    while True:
        sessions = active_sessions(url)
        if sessions == 0:
            return "no sessions left"
        if sessions is None:
            return "metrics unreadable"
        if clock() - start >= maximum:
            return f"{sessions} sessions still open after {maximum:.0f} s"
        sleep(poll)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--url", default="http://127.0.0.1:8501")
    p.add_argument("--min", type=float, default=10.0, help="seconds to wait in any case")
    p.add_argument("--max", type=float, default=40.0, help="seconds to wait at most")
    args = p.parse_args(argv)
    print(f"drain: {drain(args.url, args.min, args.max)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
