"""Run the app's server under ``strace`` and read back what its whole process tree did.

Used by ``tests/test_privacy_syscalls.py`` (and runnable on its own to print the counts):

    .venv/bin/python -m tests.syscall_watch          # every page, every download, counts

The server is started the way it is deployed (``deploy/serve.py``), under
``strace -f --seccomp-bpf``: every process it starts (Kaleido's wrapper, the Chromium launcher
script and all Chromium processes) is followed. Recorded system calls:

* ``connect``: every socket connection attempt with its address (successful or not; a UDP
  connect sends nothing but chooses a route to the address, and is counted too), with
  ``socket`` (to tell UDP sockets apart) and ``sendto``, ``sendmsg``, ``sendmmsg``, ``write``,
  ``writev`` (to tell whether a socket sent anything). ``execve`` names the processes.
* ``open``, ``openat``, ``openat2``, ``creat``: file opens; an open counts as a *write* when
  its flags hold ``O_WRONLY``, ``O_RDWR``, ``O_CREAT``, ``O_TRUNC`` or ``O_APPEND``.
* ``mkdir``, ``mkdirat``, ``rename``, ``renameat``, ``renameat2``, ``link``, ``linkat``,
  ``symlink``, ``symlinkat``, ``truncate``: other ways of making or changing a file (writes).

Attempts count, whether or not they succeed: a write refused by a read-only disk is still a
write the program tried to make.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from tests.serving import free_port, wait_healthy

ROOT = Path(__file__).resolve().parent.parent

TRACED = ("execve,socket,connect,sendto,sendmsg,sendmmsg,write,writev,open,openat,openat2,creat,"
          "mkdir,mkdirat,rename,renameat,renameat2,link,linkat,symlink,symlinkat,truncate")

#: Chromium's IPv6 route probe (net/dns/host_resolver_manager.cc, kIPv6ProbeAddress): before a
#: host lookup it connect()s a UDP socket to Google's public resolver and reads back the local
#: address the kernel chose, to learn whether an IPv6 route exists. A UDP connect sends no
#: packet, and the probe socket is never written to. No flag turns it off, and Chromium makes
#: one lookup (its account check, sent to a closed loopback port) on every start. Such a
#: connect is counted apart, as a route probe, only if its socket is UDP and sends nothing;
#: any datagram on it, or any other address, counts as an outside connect.
ROUTE_PROBE = ("2001:4860:4860::8888", 443)

#: Calls that make or change a file (besides opens with write flags).
WRITE_CALLS = {"creat", "mkdir", "mkdirat", "rename", "renameat", "renameat2", "link", "linkat",
               "symlink", "symlinkat", "truncate"}

#: Loopback addresses: connects to these stay on the machine.
LOOPBACK_V4 = re.compile(r"^127\.")
LOOPBACK_V6 = {"::1", "::ffff:127.0.0.1"}

#: Writes allowed outside the temporary folder, and why. Everything else fails the test.
#:   /dev/null, /dev/tty, /dev/urandom, /dev/random, /dev/ptmx, /dev/pts/: character devices
#:     (discarded output, terminals, randomness); nothing is stored.
#:   /dev/shm/: POSIX shared memory, a RAM-only file system the browser's processes use to hand
#:     each other pixels; gone when the processes end.
#:   /proc/ and /sys/: kernel interfaces (Chromium writes its own /proc/<pid>/oom_score_adj);
#:     not files on any disk.
ALLOWED_DEVICE_PREFIXES = ("/dev/null", "/dev/tty", "/dev/urandom", "/dev/random", "/dev/ptmx",
                           "/dev/pts/", "/dev/shm/", "/proc/", "/sys/")

_WRITE_FLAG = re.compile(r"\bO_(WRONLY|RDWR|CREAT|TRUNC|APPEND)\b")
_LINE = re.compile(r"^(?P<pid>\d+)\s+(?P<call>\w+)\((?P<args>.*)")
_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')
_FD_PATH = re.compile(r"^\s*(?:AT_FDCWD|-?\d+<(?P<dir>[^>]*)>|-?\d+)\s*,")


@dataclass
class Trace:
    connects: list[str] = field(default_factory=list)        # every connect line
    outside_connects: list[str] = field(default_factory=list)
    route_probes: list[str] = field(default_factory=list)    # see ROUTE_PROBE
    writes: list[tuple[str, str]] = field(default_factory=list)   # (call, absolute path)
    outside_writes: list[tuple[str, str]] = field(default_factory=list)
    opens: int = 0

    def summary(self) -> str:
        return (f"connects: {len(self.connects)} ({len(self.outside_connects)} not loopback, "
                f"{len(self.route_probes)} silent IPv6 route probes); "
                f"opens: {self.opens}; writes: {len(self.writes)} "
                f"({len(self.outside_writes)} outside the temporary folder)")


def _unescape(text: str) -> str:
    return text.encode("latin-1", "backslashreplace").decode("unicode_escape", "replace")


def connect_is_outside(args: str) -> bool:
    """True for an AF_INET/AF_INET6 connect to anything but loopback (AF_UNIX, AF_NETLINK and
    AF_UNSPEC, which dissolves a UDP association, stay on the machine)."""
    if "sa_family=AF_INET6" in args:
        found = re.search(r'inet_pton\(AF_INET6, "([^"]+)"', args)
        return not found or found.group(1) not in LOOPBACK_V6
    if "sa_family=AF_INET" in args:
        found = re.search(r'inet_addr\("([^"]+)"\)', args)
        return not found or not LOOPBACK_V4.match(found.group(1))
    return False


def _paths(call: str, args: str, cwd: str) -> list[str]:
    """The path(s) a write-like call creates or changes, made absolute."""
    strings = _STRING.findall(args)
    if not strings:
        return []
    if call in ("rename", "link", "symlink"):
        targets = [strings[-1]]
    elif call in ("renameat", "renameat2", "linkat", "symlinkat"):
        targets = [strings[-1]]
    else:
        targets = [strings[0]]
    base = cwd
    if call.endswith("at") or call in ("renameat2", "openat2"):
        # the last directory-fd argument before the target path
        if call in ("renameat", "renameat2", "linkat"):
            parts = args.split(",")
            fd_parts = [p for p in parts if "<" in p and ">" in p]
            if fd_parts:
                found = re.search(r"<([^>]*)>", fd_parts[-1])
                base = found.group(1) if found else cwd
        else:
            found = _FD_PATH.match(args)
            if found and found.group("dir"):
                base = found.group("dir")
    out = []
    for raw in targets:
        path = _unescape(raw)
        out.append(os.path.normpath(path if path.startswith("/") else os.path.join(base, path)))
    return out


_UNFINISHED = re.compile(r"^(?P<pid>\d+)\s+(?P<head>\w+\(.*) <unfinished \.\.\.>$")
_RESUMED = re.compile(r"^(?P<pid>\d+)\s+<\.\.\. (?P<call>\w+) resumed>(?P<tail>.*)$")


def joined(log: str):
    """Log lines with each call interrupted by another thread (``<unfinished ...>``) joined to
    its ``<... resumed>`` tail, so the arguments and the result are on one line."""
    pending: dict[str, str] = {}
    for line in log.splitlines():
        found = _UNFINISHED.match(line)
        if found:
            pending[found.group("pid")] = f"{found.group('pid')} {found.group('head')}"
            continue
        found = _RESUMED.match(line)
        if found:
            head = pending.pop(found.group("pid"), None)
            if head is not None:
                yield head + found.group("tail")
            continue
        yield line
    yield from pending.values()  # never resumed (the process ended): arguments only


def parse(log: str, *, temp_dir: str, cwd: str = str(ROOT)) -> Trace:
    """Read an ``strace -f -y`` log. ``temp_dir`` is the temporary folder writes may go to."""
    temp = os.path.realpath(temp_dir)
    trace = Trace()
    udp: set[str] = set()          # socket inodes made as SOCK_DGRAM
    sent: set[str] = set()         # socket inodes that sent data
    probes: list[tuple[str, str]] = []
    for line in joined(log):
        found = _LINE.match(line)
        if not found:
            continue  # exits, signals
        call, args = found.group("call"), found.group("args")
        if call == "socket":
            inode = re.search(r"= \d+<socket:\[(\d+)\]>", line)
            if inode and "SOCK_DGRAM" in args:
                udp.add(inode.group(1))
            continue
        if call in ("sendto", "sendmsg", "sendmmsg", "write", "writev"):
            inode = re.match(r"\s*\d+<socket:\[(\d+)\]>", args)
            if inode:
                sent.add(inode.group(1))
            continue
        if call == "connect":
            trace.connects.append(line)
            if connect_is_outside(args):
                inode = re.match(r"\s*\d+<socket:\[(\d+)\]>", args)
                address = re.search(r'inet_pton\(AF_INET6, "([^"]+)"', args)
                port = re.search(r"htons\((\d+)\)", args)
                if (inode and address and port
                        and (address.group(1), int(port.group(1))) == ROUTE_PROBE):
                    probes.append((inode.group(1), line))
                else:
                    trace.outside_connects.append(line)
            continue
        if call in ("open", "openat", "openat2", "creat"):
            trace.opens += 1
            if call != "creat" and not _WRITE_FLAG.search(args):
                continue
        elif call not in WRITE_CALLS:
            continue  # execve: only for telling processes apart
        for path in _paths(call, args, cwd):
            trace.writes.append((call, path))
            real = os.path.realpath(path)
            inside = real == temp or real.startswith(temp + os.sep) or \
                path == temp or path.startswith(temp + os.sep)
            if not inside and not path.startswith(ALLOWED_DEVICE_PREFIXES):
                trace.outside_writes.append((call, path))
    for inode, line in probes:
        if inode in udp and inode not in sent:
            trace.route_probes.append(line)
        else:
            trace.outside_connects.append(line)
    return trace


def strace_binary() -> str | None:
    return shutil.which("strace")


@contextlib.contextmanager
def traced_server(temp_dir: Path, *, extra_args=(), entry=("deploy/serve.py",)):
    """The app's server under strace. Yields a dict with ``url``; after the block, ``log`` (the
    whole strace output) and ``stderr``. The process tree is stopped at the end."""
    strace = strace_binary()
    if strace is None:
        raise RuntimeError("strace is not installed (Debian package 'strace'; ./test.sh "
                           "installs it)")
    temp_dir.mkdir(parents=True, exist_ok=True)
    log_path = temp_dir.parent / f"strace-{os.getpid()}-{time.monotonic_ns()}.log"
    port = free_port()
    env = {**os.environ, "TMPDIR": str(temp_dir), "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("PATHWAYS_CHECK_FIGURES", None)
    cmd = [strace, "-f", "--seccomp-bpf", "-qq", "-y", "-s", "512", "-e", "signal=none",
           "-e", f"trace={TRACED}", "-o", str(log_path),
           sys.executable, *entry, "app.py", "--server.headless", "true",
           "--server.port", str(port), "--server.address", "127.0.0.1",
           "--server.fileWatcherType", "none", *extra_args]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    lines: list[str] = []
    threading.Thread(target=lambda: lines.extend(
        line.decode("utf-8", "replace") for line in proc.stderr), daemon=True).start()
    url = f"http://127.0.0.1:{port}"
    record: dict = {"url": url, "port": port}
    try:
        wait_healthy(url, proc, "the traced server", timeout=120,
                     output=lambda: "".join(lines[-30:]))
        yield record
    finally:
        _stop_tree(proc, log_path)
        record["log"] = log_path.read_text("utf-8", "replace") if log_path.exists() else ""
        record["stderr"] = "".join(lines)
        with contextlib.suppress(OSError):
            log_path.unlink()


def _stop_tree(proc: subprocess.Popen, log_path: Path) -> None:
    """Stop the server (strace's child) politely, so it closes its browser; strace then ends."""
    server_pid = None
    try:
        text = log_path.read_text("utf-8", "replace")
        first = re.search(r"^(\d+)\s", text, re.M)
        server_pid = int(first.group(1)) if first else None
    except OSError:
        pass
    if server_pid is not None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(server_pid, signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        if server_pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(server_pid, signal.SIGKILL)
        proc.kill()
        proc.wait(timeout=10)


# ------------------------------------------------------------------------- what a user does

def kind_of(data: bytes) -> str:
    """What a download holds, from its first bytes."""
    head = data[:512].lstrip().lower()
    if data.startswith(b"\x89PNG"):
        return "png"
    if data.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"<svg") or (head.startswith(b"<?xml") and b"<svg" in head):
        return "svg"
    if b"<html" in head or head.startswith(b"<!doctype html"):
        return "html"
    return "other"


async def use_every_page(url: str, kinds: dict | None = None) -> list[str]:
    """Every page on its deep link and without, its widgets, the audience switch and every
    download (figures as SVG and PNG, handouts as PDF with pictures and HTML). Returns the
    problems seen (exceptions, failed runs); ``kinds`` counts the downloads by kind."""
    from bench.pages import content_pages
    from bench.stclient import RunError, Session

    problems = []
    downloads = 0
    for page in content_pages():
        for link in dict.fromkeys((page.link, "")):
            s = Session(url, page.url_path, link)
            try:
                result = await s.open()
                problems += result.exceptions
                for _ in range(max(3, len(s.drivable()))):
                    problems += (await s.interact()).exceptions
                for button in list(s.downloads):
                    data = await s.download(button)
                    downloads += 1
                    if kinds is not None:
                        kinds[kind_of(data)] = kinds.get(kind_of(data), 0) + 1
                    if not data:
                        problems.append(f"{page.url_path}: {button.label!r} gave nothing")
                audience = next((w for w in s.drivable() if w.sidebar), None)
                if audience is not None:
                    problems += (await s.rerun(s.next_change(audience))).exceptions
            except RunError as error:
                problems.append(f"{page.url_path}: {error}")
            finally:
                await s.close()
    if not downloads:
        problems.append("no download was made")
    return problems


async def foreign_handshakes(url: str) -> list[int | None]:
    """Websocket handshakes a hostile page (or a rebinding DNS name) would make: a foreign
    Origin, and Host = Origin = a foreign name. Returns the close codes / statuses seen."""
    import websockets

    ws_url = url.replace("http://", "ws://") + "/_stcore/stream"
    port = url.rsplit(":", 1)[1]
    outcomes: list[int | None] = []
    for headers in ({"Origin": "http://attacker.example"},
                    {"Origin": f"http://rebound.example:{port}", "Host": f"rebound.example:{port}"}):
        try:
            async with websockets.connect(ws_url, subprotocols=["streamlit"],
                                          additional_headers=headers, open_timeout=30) as ws:
                try:
                    await asyncio.wait_for(ws.recv(), 5)
                except websockets.ConnectionClosed as closed:
                    outcomes.append(closed.rcvd.code if closed.rcvd else None)
                    continue
                except asyncio.TimeoutError:
                    pass
                outcomes.append(101)  # accepted and kept open
        except websockets.InvalidStatus as error:
            outcomes.append(error.response.status_code)
        except (OSError, websockets.WebSocketException):
            outcomes.append(None)
    return outcomes


def run_in_thread(coroutine_function, *args):
    """asyncio.run in a fresh thread (the caller's thread may already run an event loop)."""
    outcome: dict = {}

    def target():
        try:
            outcome["value"] = asyncio.run(coroutine_function(*args))
        except BaseException as error:  # noqa: BLE001 - re-raised in the caller's thread
            outcome["error"] = error

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def watch(entry=("deploy/serve.py",), extra_args=()) -> tuple[Trace, list[str], dict]:
    """Start, use every page and download, make the foreign handshakes, stop; parse.
    The returned dict holds ``kinds`` (downloads by kind) and ``handshakes`` besides the log."""
    base = Path(tempfile.mkdtemp(prefix="privacy-watch-"))
    temp_dir = base / "tmp"
    kinds: dict = {}
    try:
        with traced_server(temp_dir, entry=entry, extra_args=extra_args) as server:
            problems = run_in_thread(use_every_page, server["url"], kinds)
            server["handshakes"] = run_in_thread(foreign_handshakes, server["url"])
        server["kinds"] = kinds
        return parse(server["log"], temp_dir=str(temp_dir)), problems, server
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    trace, problems, server = watch()
    print(trace.summary())
    print("downloads:", server["kinds"], "foreign handshakes:", server["handshakes"])
    for line in trace.outside_connects:
        print("CONNECT", line[:300])
    for call, path in sorted(set(trace.outside_writes)):
        print("WRITE", call, path)
    if problems:
        print("PROBLEMS", problems)
