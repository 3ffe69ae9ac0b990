"""Scale-out with the real thing: nginx, configured by deploy/render_nginx.py, in front of two
replicas on loopback. Every page works under the content security policy; the affinity cookie,
compression, static caching and headers are in place; and when the replica holding a session
stops, the browser reconnects through nginx to the other one and shows the same view, because
the view lives in the URL.

nginx is installed by ./test.sh (scripts/setup.sh, setup_nginx). Without it these tests fail.
"""

from __future__ import annotations

import gzip
import re
import secrets
import subprocess
import time
import urllib.error
import urllib.request

import pytest

from bench.pages import app_pages
from tests.browser.conftest import start_server, wait_idle
from tests.serving import free_port, nginx_binary, render_nginx_module, stop, wait_healthy

PAGES = app_pages()
CSP_PROBE = """
window.__csp = [];
document.addEventListener('securitypolicyviolation',
    e => window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline')));
"""
SECURITY_HEADERS = ("content-security-policy", "x-content-type-options", "referrer-policy",
                    "x-frame-options", "permissions-policy")


def _get(url: str, **headers):
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def active_sessions(replica_url: str) -> int:
    try:
        _, _, body = _get(replica_url + "/_stcore/metrics?families=active_sessions")
    except OSError:
        return -1  # stopped
    match = re.search(rb"^active_sessions (\d+)", body, re.M)
    return int(match.group(1)) if match else 0


def start_replica(cookie_secret: str):
    """A replica as deployed: same app, same cookie secret (set through the environment, the
    only way Streamlit accepts it besides the config file)."""
    return start_server(env={"STREAMLIT_SERVER_COOKIE_SECRET": cookie_secret},
                        what="a Streamlit replica")


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    nginx = nginx_binary()
    base = tmp_path_factory.mktemp("nginx")
    (base / "temp").mkdir()
    secret = secrets.token_hex(32)  # the same cookie secret on every replica
    replicas = [start_replica(secret) for _ in range(2)]
    port = free_port()
    conf = base / "nginx.conf"
    conf.write_text(render_nginx_module().render(
        [url.removeprefix("http://") for _, url in replicas], listen=f"127.0.0.1:{port}",
        temp_dir=str(base / "temp"), cache_dir=str(base / "cache"),
        pid_file=str(base / "nginx.pid"), error_log=str(base / "error.log"),
        access_log=str(base / "access.log"), user="root", metrics_from=(),
        fail_timeout="30s"))
    early_log = ["-e", str(base / "error.log")]  # not the package's log path (may be root's)
    check = subprocess.run([nginx, "-t", "-c", str(conf), "-p", str(base), *early_log],
                           capture_output=True, text=True)
    assert check.returncode == 0, f"nginx rejects the rendered configuration:\n{check.stderr}"
    proc = subprocess.Popen([nginx, "-c", str(conf), "-p", str(base), *early_log,
                             "-g", "daemon off;"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc, "nginx", timeout=30,
                     output=lambda: proc.stderr.read().decode() if proc.poll() is not None else "")
    except RuntimeError as error:
        for p, _ in replicas:
            stop(p)
        pytest.fail(str(error))
    yield {"url": url, "replicas": replicas, "dir": base}
    stop(proc)
    for p, _ in replicas:
        stop(p)


def _collect_csp(page) -> list[str]:
    messages: list[str] = []
    page.add_init_script(CSP_PROBE)
    page.on("console", lambda m: messages.append(m.text)
            if "Content Security Policy" in m.text or "Content-Security-Policy" in m.text
            else None)
    return messages


def csp_problems(page, console: list[str], own: str) -> list[str]:
    """CSP violations for the app's own resources: the policy must not break the app.
    Attempts to load something from another origin are blocked by the policy, as intended,
    and are test_privacy.py's concern (it fails for each of them), so they are left out here."""
    external = re.compile(r"https?://(?!" + re.escape(own.split("://", 1)[1]) + r")")
    found = page.evaluate("window.__csp") + console
    return [v for v in found if not external.search(v)]


@pytest.mark.parametrize("page_info", PAGES, ids=[p.url_path or "root" for p in PAGES])
def test_every_page_works_through_nginx_under_the_csp(page, cluster, page_info):
    console = _collect_csp(page)
    path = "" if page_info.default else page_info.url_path
    response = page.goto(f"{cluster['url']}/{path}" + (f"?{page_info.link}" if page_info.link
                                                        else ""))
    wait_idle(page)
    page.wait_for_timeout(500)
    wait_idle(page)
    headers = response.all_headers()
    missing = [h for h in SECURITY_HEADERS if h not in headers]
    assert not missing, f"security headers missing: {missing}"
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.locator("h1").first.is_visible(), "the page drew its title"
    violations = csp_problems(page, console, cluster["url"])
    assert not violations, f"CSP violations on /{path}: {violations}"


def test_affinity_cookie_headers_compression_and_static_cache(cluster):
    url = cluster["url"]
    status, headers, body = _get(url + "/")
    assert status == 200
    cookie = headers.get("Set-Cookie", "")
    assert re.fullmatch(r"st_route=[0-9a-f]{32}; Path=/; HttpOnly; SameSite=Lax", cookie), cookie
    route = cookie.split(";")[0]
    assert "Set-Cookie" not in _get(url + "/", Cookie=route)[1], "set once, then kept"
    assert "Set-Cookie" in _get(url + "/", Cookie="st_route=<forged>")[1], "a bad key is replaced"
    for name in SECURITY_HEADERS:
        assert headers.get(name), name
    # The big frontend bundle: gzip from nginx, cached after the first request.
    script = re.search(rb'src="\./(static/js/[^"]+\.js)"', body).group(1).decode()
    first = _get(f"{url}/{script}", **{"Accept-Encoding": "gzip", "Cookie": route})
    second = _get(f"{url}/{script}", **{"Accept-Encoding": "gzip", "Cookie": route})
    assert first[0] == second[0] == 200
    assert second[1].get("Content-Encoding") == "gzip"
    assert gzip.decompress(second[2]) == gzip.decompress(first[2])
    cached = [p for p in (cluster["dir"] / "cache").rglob("*") if p.is_file()]
    assert cached, "the static file was stored in nginx's cache"
    # Operators' metrics are not public.
    assert _get(url + "/_stcore/metrics")[0] == 403


def test_a_stopped_replica_hands_the_session_to_the_other_with_the_same_view(page, cluster):
    link = "where-it-hurts?region=forehead:left,occiput:right&audience=clinician&view=back"
    console = _collect_csp(page)
    page.goto(f"{cluster['url']}/{link}")
    wait_idle(page)
    for text in ("Frontal region (left)", "Occipital region (right)"):
        page.get_by_text(text).filter(visible=True).first.wait_for()
    url_before = page.url

    # Which replica holds this tab's session? The one with an active session.
    deadline = time.monotonic() + 20
    while True:
        counts = [active_sessions(url) for _, url in cluster["replicas"]]
        if sorted(counts) == [0, 1]:
            break
        assert time.monotonic() < deadline, f"sessions per replica: {counts}"
        time.sleep(0.2)
    serving = counts.index(1)
    other_url = cluster["replicas"][1 - serving][1]
    stopped = time.monotonic()
    stop(cluster["replicas"][serving][0])  # stop it mid-session

    # The frontend reconnects by itself (no reload); nginx sends it to the live replica.
    deadline = time.monotonic() + 60
    while active_sessions(other_url) < 1:
        assert time.monotonic() < deadline, "the browser did not reconnect to the other replica"
        time.sleep(0.1)
    wait_idle(page, timeout=60_000)
    for text in ("Frontal region (left)", "Occipital region (right)"):
        page.get_by_text(text).filter(visible=True).first.wait_for(timeout=30_000)
    print(f"same view again {time.monotonic() - stopped:.1f} s after the replica stopped")
    assert page.url == url_before, "the address (and so the view) is unchanged"
    assert page.locator("[data-testid='stException']").count() == 0
    assert not csp_problems(page, console, cluster["url"])
