"""Privacy at the level of system calls: the server's whole process tree (Streamlit, Kaleido and
every Chromium process it starts) is run under ``strace`` while every page is used, every
download is made (figures as PNG and SVG, handouts as PDF with pictures and HTML) and two
hostile websocket handshakes arrive (a foreign Origin; Host = Origin = a foreign name).

It fails on

* any connect to an AF_INET/AF_INET6 address other than loopback (127.0.0.0/8, ::1). AF_UNIX
  and AF_NETLINK stay on the machine and are fine. One kind of connect is counted apart:
  Chromium's IPv6 route probe (``tests.syscall_watch.ROUTE_PROBE``), a UDP connect that sends
  no packet, and only when its socket really sends nothing;
* any file opened for writing (O_WRONLY, O_RDWR, O_CREAT, O_TRUNC or O_APPEND), created,
  renamed, linked or made as a directory outside the temporary folder. The allow-list beyond
  the temporary folder is ``tests.syscall_watch.ALLOWED_DEVICE_PREFIXES``: character devices
  (/dev/null, terminals, randomness), /dev/shm (RAM-only shared memory between Chromium's
  processes) and the kernel's /proc and /sys. The server runs with its own, empty TMPDIR, so
  "the temporary folder" means exactly that directory.

``strace`` is a Debian package; ./test.sh installs it (scripts/setup.sh, setup_strace).
"""

from __future__ import annotations

import pytest

from tests import syscall_watch as watch


# ------------------------------------------------------------------- the checker itself

CONNECT_V4 = ('100 connect(5<socket:[11]>, {sa_family=AF_INET, sin_port=htons(53), '
              'sin_addr=inet_addr("10.255.255.53")}, 16) = 0')
CONNECT_LOOP = ('100 connect(5<socket:[12]>, {sa_family=AF_INET, sin_port=htons(8501), '
                'sin_addr=inet_addr("127.0.0.1")}, 16) = 0')
CONNECT_V6 = ('101 connect(7<socket:[13]>, {sa_family=AF_INET6, sin6_port=htons(443), '
              'sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "2001:4860:4860::8888", '
              '&sin6_addr), sin6_scope_id=0}, 28) = 0')
CONNECT_V6_LOOP = CONNECT_V6.replace("2001:4860:4860::8888", "::1").replace("[13]", "[14]")
CONNECT_UNIX = '102 connect(3<socket:[15]>, {sa_family=AF_UNIX, sun_path="/run/nscd/socket"}, 110) = -1'
UDP6 = "101 socket(AF_INET6, SOCK_DGRAM, IPPROTO_IP) = 7<socket:[13]>"


def test_the_checker_tells_outside_connects_from_loopback_and_unix_sockets():
    trace = watch.parse("\n".join([CONNECT_V4, CONNECT_LOOP, CONNECT_V6_LOOP, CONNECT_UNIX]),
                        temp_dir="/tmp/x")
    assert len(trace.connects) == 4
    assert trace.outside_connects == [CONNECT_V4]


def test_the_route_probe_counts_apart_only_while_its_udp_socket_sends_nothing():
    silent = watch.parse("\n".join([UDP6, CONNECT_V6]), temp_dir="/tmp/x")
    assert silent.route_probes and not silent.outside_connects
    sending = watch.parse("\n".join([UDP6, CONNECT_V6,
                                     '101 sendto(7<socket:[13]>, "x", 1, 0, NULL, 0) = 1']),
                          temp_dir="/tmp/x")
    assert sending.outside_connects and not sending.route_probes
    tcp = watch.parse(CONNECT_V6, temp_dir="/tmp/x")  # not known to be UDP
    assert tcp.outside_connects


def test_the_checker_joins_calls_interrupted_by_other_threads():
    log = "\n".join([
        "101 socket(AF_INET6, SOCK_DGRAM, IPPROTO_IP <unfinished ...>",
        "100 openat(AT_FDCWD</w>, \"/etc/hosts\", O_RDONLY) = 3</etc/hosts>",
        "101 <... socket resumed>) = 7<socket:[13]>",
        CONNECT_V6.replace(") = 0", " <unfinished ...>"),
        "101 <... connect resumed>) = 0",
    ])
    trace = watch.parse(log, temp_dir="/tmp/x")
    assert len(trace.route_probes) == 1 and not trace.outside_connects


def test_the_checker_finds_writes_outside_the_temporary_folder(tmp_path):
    temp = tmp_path / "tmp"
    temp.mkdir()
    log = "\n".join([
        f'1 openat(AT_FDCWD</w>, "{temp}/profile/Cookies", O_RDWR|O_CREAT|O_CLOEXEC, 0600) = 4',
        '1 openat(AT_FDCWD</w>, "/root/.config/chromium/Crash Reports/settings.dat", '
        'O_RDWR|O_CREAT, 0644) = 5',
        '1 openat(AT_FDCWD</w>, "/usr/lib/python3/x.py", O_RDONLY|O_CLOEXEC) = 6',
        '1 mkdir("/root/.cache/dconf", 0700) = 0',
        '1 openat(AT_FDCWD</w>, "/dev/null", O_WRONLY) = 7',
        '1 openat(AT_FDCWD</w>, "/dev/shm/.org.chromium.x", O_RDWR|O_CREAT|O_EXCL, 0600) = 8',
        '1 openat(9</root/.config>, "chromium/Local State", O_WRONLY|O_CREAT, 0600) = 10',
        '1 rename("/tmp/elsewhere/a", "/work/main/assets/x.yaml") = 0',
        '1 openat(AT_FDCWD</work/main>, "notes.txt", O_WRONLY|O_CREAT, 0644) = 11',
    ])
    trace = watch.parse(log, temp_dir=str(temp), cwd="/work/main")
    assert sorted(p for _, p in trace.outside_writes) == sorted([
        "/root/.config/chromium/Crash Reports/settings.dat", "/root/.cache/dconf",
        "/root/.config/chromium/Local State", "/work/main/assets/x.yaml",
        "/work/main/notes.txt"])
    assert trace.opens == 7


# ------------------------------------------------------------------------- the real thing

@pytest.fixture(scope="module")
def watched():
    if watch.strace_binary() is None:
        pytest.fail("strace is not installed, so the privacy test cannot watch the server. "
                    "./test.sh installs it (Debian package 'strace'); or: apt-get install strace")
    trace, problems, server = watch.watch()
    return trace, problems, server


def test_every_download_kind_was_made_while_watched(watched):
    """The watch is only worth something if the renderer actually ran: figures as PNG and
    SVG, the handout as PDF (with pictures) and as HTML."""
    _, _, server = watched
    kinds = server["kinds"]
    assert {"png", "svg", "pdf", "html"} <= set(kinds), kinds
    assert "Chromium" in server["log"] or "chromium" in server["log"], \
        "the image renderer was started (and so watched)"


def test_no_connection_leaves_the_machine(watched):
    trace, _, server = watched
    assert not trace.outside_connects, (
        f"{trace.summary()}\n" + "\n".join(line[:300] for line in trace.outside_connects[:20]))
    # Both hostile handshakes are refused (1008: Origin or Host not allowed), not accepted.
    assert all(code != 101 for code in server["handshakes"]), server["handshakes"]


def test_no_file_is_written_outside_the_temporary_folder(watched):
    trace, _, _ = watched
    outside = sorted(set(trace.outside_writes))
    assert not outside, f"{trace.summary()}\n" + "\n".join(map(str, outside[:40]))
