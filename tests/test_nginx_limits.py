"""The nginx in front of the replicas refuses what the app never needs: foreign Host names (DNS
rebinding), websockets from foreign Origins, uploads and the agent API; it limits connections
and requests per client, and sends HSTS only when TLS is configured. Real nginx (rendered by
deploy/render_nginx.py) in front of one real replica, all on loopback.

nginx is installed by ./test.sh (scripts/setup.sh, setup_nginx).
"""

from __future__ import annotations

import contextlib
import http.client
import shutil
import socket
import ssl
import subprocess
import time
from pathlib import Path

import pytest

from tests.serving import free_port, nginx_binary, render_nginx_module, stop
from tests.test_deploy_limits import _raw_handshake, served


@contextlib.contextmanager
def nginx_in_front(replica_url: str, base: Path, **options):
    """nginx rendered by deploy/render_nginx.py in front of ``replica_url``. Yields its port."""
    nginx = nginx_binary()
    base.mkdir(parents=True, exist_ok=True)
    (base / "temp").mkdir(exist_ok=True)
    port = free_port()
    conf = base / "nginx.conf"
    conf.write_text(render_nginx_module().render(
        [replica_url.removeprefix("http://")], listen=f"127.0.0.1:{port}",
        temp_dir=str(base / "temp"), cache_dir=str(base / "cache"),
        pid_file=str(base / "nginx.pid"), error_log=str(base / "error.log"),
        access_log="off", user="root", **options))
    early = ["-e", str(base / "error.log")]
    check = subprocess.run([nginx, "-t", "-c", str(conf), "-p", str(base), *early],
                           capture_output=True, text=True)
    assert check.returncode == 0, f"nginx rejects the rendered configuration:\n{check.stderr}"
    proc = subprocess.Popen([nginx, "-c", str(conf), "-p", str(base), *early,
                             "-g", "daemon off;"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 20
        while True:
            with contextlib.suppress(OSError):
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail("nginx did not start")
            time.sleep(0.1)
        yield port
    finally:
        stop(proc, timeout=10)


def request(port: int, method: str = "GET", path: str = "/", host: str | None = None,
            body: bytes | None = None, headers: dict | None = None, tls: bool = False):
    """(status, headers, body), or (None, {}, b"") when nginx closed without an answer."""
    if tls:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        conn = http.client.HTTPSConnection("127.0.0.1", port, timeout=20, context=context)
    else:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    try:
        conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        conn.putheader("Host", f"127.0.0.1:{port}" if host is None else host)
        for k, v in (headers or {}).items():
            conn.putheader(k, v)
        if body is not None:
            conn.putheader("Content-Length", str(len(body)))
        conn.endheaders(body)
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    except (http.client.RemoteDisconnected, ConnectionResetError):
        return None, {}, b""
    finally:
        conn.close()


@pytest.fixture(scope="module")
def replica():
    with served() as (url, pid):
        yield url


@pytest.fixture(scope="module")
def proxy(replica, tmp_path_factory):
    with nginx_in_front(replica, tmp_path_factory.mktemp("nginx")) as port:
        yield port


def test_the_site_answers_its_own_names_only(proxy):
    status, headers, _ = request(proxy, host=f"127.0.0.1:{proxy}")
    assert status == 200
    assert headers.get("cross-origin-resource-policy") == "same-origin"
    assert "strict-transport-security" not in headers  # no TLS here, so no HSTS
    assert request(proxy, host=f"localhost:{proxy}")[0] == 200
    # DNS rebinding: a hostile page's own name, pointed at this server.
    assert request(proxy, host=f"rebound.example:{proxy}")[0] is None
    assert request(proxy, host="")[0] in (None, 400)


def test_websockets_from_foreign_origins_and_names_are_refused_at_nginx(proxy):
    url = f"http://127.0.0.1:{proxy}"
    own = f"127.0.0.1:{proxy}"
    assert _raw_handshake(url, own, f"http://{own}") == 101
    assert _raw_handshake(url, own, f"https://{own}") == 101      # TLS ended in front
    assert _raw_handshake(url, own, None) == 101                   # non-browser client
    assert _raw_handshake(url, own, "http://attacker.example") == 403
    assert _raw_handshake(url, own, f"http://{own}.attacker.example") == 403
    rebound = f"rebound.example:{proxy}"
    assert _raw_handshake(url, rebound, f"http://{rebound}") == 0  # closed, no answer
    # The 403 comes from nginx itself (Streamlit's own refusal has an empty body): the
    # handshake never reaches a replica.
    status, _, body = request(proxy, path="/_stcore/stream", headers={
        "Upgrade": "websocket", "Connection": "Upgrade", "Origin": "http://attacker.example",
        "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version": "13"})
    assert status == 403 and b"nginx" in body


def test_uploads_and_the_agent_api_are_refused_at_nginx(proxy):
    small = b"--b\r\n\r\nx\r\n--b--\r\n"
    for body in (small, b"\0" * (19 * 2**20 // 10)):  # the 1.9 MB files
        status, _, text = request(proxy, "PUT", "/_stcore/upload_file/any-session/any-file",
                                  body=body, headers={"Content-Type": "multipart/form-data"})
        assert status in (403, 413) and b"nginx" in text, status
    for path in ("/_stcore/agent/interact", "/_stcore/agent/openapi.json"):
        status, _, text = request(proxy, path=path)
        assert status == 403 and b"nginx" in text


def test_connections_and_requests_per_client_are_limited(replica, tmp_path):
    with nginx_in_front(replica, tmp_path / "limited", conn_per_client=5, req_rate=2,
                        req_burst=4) as port:
        url = f"http://127.0.0.1:{port}"
        own = f"127.0.0.1:{port}"
        held = []
        try:
            statuses = []
            for _ in range(7):  # websockets stay open: each holds a connection
                sock = socket.create_connection(("127.0.0.1", port), timeout=10)
                held.append(sock)
                sock.sendall((f"GET /_stcore/stream HTTP/1.1\r\nHost: {own}\r\n"
                              "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                              "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                              "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: streamlit"
                              f"\r\nOrigin: {url}\r\n\r\n").encode())
                statuses.append(int(sock.recv(4096).split(b" ", 2)[1]))
                time.sleep(0.6)  # under the request rate: only the connection limit applies
            assert statuses[:5] == [101] * 5 and 429 in statuses[5:], statuses
        finally:
            for sock in held:
                sock.close()
        time.sleep(3)
        quick = [request(port, path="/")[0] for _ in range(12)]
        assert 429 in quick and quick[0] == 200, quick


def test_hsts_is_sent_when_tls_is_configured(replica, tmp_path):
    openssl = shutil.which("openssl")
    if not openssl:
        pytest.skip("openssl is not installed (needed only to make a test certificate)")
    cert, key = tmp_path / "site.pem", tmp_path / "site.key"
    subprocess.run([openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=localhost", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    with nginx_in_front(replica, tmp_path / "tls", tls_cert=str(cert), tls_key=str(key)) as port:
        status, headers, _ = request(port, tls=True)
    assert status == 200
    assert headers.get("strict-transport-security", "").startswith("max-age=")


def test_the_renderer_refuses_a_catch_all_name():
    render = render_nginx_module().render
    with pytest.raises(ValueError, match="catch-all"):
        render(["127.0.0.1:8501"], server_name="_")
    text = render(["127.0.0.1:8501"], server_name=["pathways.example.org"])
    assert "server_name pathways.example.org;" in text and "return 444;" in text
