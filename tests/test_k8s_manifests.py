"""The Kubernetes deployment (deploy/k8s/, deploy/Dockerfile) says what deploy/README.md says it
does: no publicly known cookie secret, a network policy with no egress, a disruption budget,
a draining preStop hook, resources and probes sized from the measurements, response headers
scoped to this app, and an image whose Python packages are installed by hash from a lock that
matches requirements.txt. (No cluster here: the manifests are read and checked; the drain script and
the secret check run for real.)"""

from __future__ import annotations

import http.server
import importlib.util
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
K8S = ROOT / "deploy" / "k8s"


def _module(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def objects() -> list[dict]:
    out = []
    for path in sorted(K8S.glob("*.yaml")):
        out += [d for d in yaml.safe_load_all(path.read_text("utf-8")) if d]
    return out


def one(objects, kind: str) -> dict:
    found = [o for o in objects if o["kind"] == kind]
    assert len(found) == 1, f"{len(found)} {kind} objects in deploy/k8s"
    return found[0]


def container(objects) -> dict:
    return one(objects, "Deployment")["spec"]["template"]["spec"]["containers"][0]


def env(objects) -> dict:
    return {e["name"]: e for e in container(objects)["env"]}


def test_applying_the_folder_creates_no_known_cookie_secret(objects):
    assert not [o for o in objects if o["kind"] == "Secret"], \
        "a Secret in deploy/k8s would give every installation the same, public value"
    ref = env(objects)["STREAMLIT_SERVER_COOKIE_SECRET"]["valueFrom"]["secretKeyRef"]
    assert ref["optional"] is False  # no secret, no start
    assert env(objects)["PATHWAYS_REQUIRE_COOKIE_SECRET"]["value"] == "1"


@pytest.mark.parametrize("secret, refused", [
    ("", True), ("REPLACE-WITH-64-HEX-CHARACTERS", True), ("short", True),
    ("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", False)])
def test_serve_py_refuses_a_missing_placeholder_or_short_secret(secret, refused):
    serve = _module("serve", ROOT / "deploy" / "serve.py")
    problem = serve.cookie_secret_problem({"PATHWAYS_REQUIRE_COOKIE_SECRET": "1",
                                           "STREAMLIT_SERVER_COOKIE_SECRET": secret})
    assert bool(problem) == refused, problem
    assert serve.cookie_secret_problem({"STREAMLIT_SERVER_COOKIE_SECRET": ""}) is None  # local


def test_serve_py_exits_with_the_reason_before_starting():
    result = subprocess.run(
        [sys.executable, "deploy/serve.py", "app.py"], cwd=ROOT, capture_output=True, text=True,
        timeout=60, env={"PATH": "/usr/bin:/bin", "PATHWAYS_REQUIRE_COOKIE_SECRET": "1",
                         "STREAMLIT_SERVER_COOKIE_SECRET": "REPLACE-WITH-64-HEX-CHARACTERS"})
    assert result.returncode == 2
    assert "not starting" in result.stderr and "openssl rand -hex 32" in result.stderr


def test_everything_is_in_the_apps_own_namespace(objects):
    namespace = one(objects, "Namespace")["metadata"]["name"]
    assert sorted(K8S.glob("*.yaml"))[0].name == "00-namespace.yaml"  # applied first
    for o in objects:
        if o["kind"] != "Namespace":
            assert o["metadata"].get("namespace") == namespace, o["metadata"]["name"]


def test_the_network_policy_admits_the_ingress_controller_only_and_no_egress(objects):
    policy = one(objects, "NetworkPolicy")["spec"]
    labels = one(objects, "Deployment")["spec"]["template"]["metadata"]["labels"]
    assert policy["podSelector"]["matchLabels"].items() <= labels.items()
    assert set(policy["policyTypes"]) == {"Ingress", "Egress"}
    assert policy["egress"] == []
    [rule] = policy["ingress"]
    [peer] = rule["from"]
    assert peer["namespaceSelector"]["matchLabels"] == {
        "kubernetes.io/metadata.name": "ingress-nginx"}
    assert [p["port"] for p in rule["ports"]] == [8501]


def test_a_disruption_budget_keeps_one_replica(objects):
    budget = one(objects, "PodDisruptionBudget")["spec"]
    deployment = one(objects, "Deployment")["spec"]
    assert budget["minAvailable"] >= 1 and deployment["replicas"] > budget["minAvailable"]
    assert budget["selector"]["matchLabels"] == deployment["selector"]["matchLabels"]


def test_the_pre_stop_hook_drains_within_the_grace_period(objects):
    pod = one(objects, "Deployment")["spec"]["template"]["spec"]
    command = container(objects)["lifecycle"]["preStop"]["exec"]["command"]
    assert command[:2] == ["python", "deploy/drain.py"]
    maximum = float(command[command.index("--max") + 1])
    assert pod["terminationGracePeriodSeconds"] >= maximum + 15
    assert "deploy/drain.py" in (ROOT / "deploy" / "Dockerfile").read_text()


def test_resources_match_the_measurements(objects):
    resources = container(objects)["resources"]
    assert resources["requests"]["cpu"] in ("1", "1000m", 1)   # saturates at about one core
    assert "cpu" not in resources.get("limits", {})            # no throttling of that core

    def mib(value: str) -> float:
        number, unit = re.fullmatch(r"(\d+)(Mi|Gi)", value).groups()
        return float(number) * (1024 if unit == "Gi" else 1)

    # Measured worst case: ~145 MiB Python after a soak, ~520 MiB Chromium while drawing, the
    # bounded payloads ~1 MiB, /tmp in memory up to its size limit.
    tmp = next(v for v in one(objects, "Deployment")["spec"]["template"]["spec"]["volumes"]
               if v["name"] == "tmp")["emptyDir"]["sizeLimit"]
    worst = 145 + 520 + 1 + mib(tmp)
    assert mib(resources["limits"]["memory"]) >= 1.3 * worst
    assert mib(resources["requests"]["memory"]) >= 145 + 520


def test_probes_are_not_starved_by_a_busy_event_loop(objects):
    c = container(objects)
    live, ready = c["livenessProbe"], c["readinessProbe"]
    assert live["timeoutSeconds"] >= 5 and ready["timeoutSeconds"] >= 3
    assert live["periodSeconds"] * live["failureThreshold"] >= 120  # minutes, not seconds
    assert live["periodSeconds"] * live["failureThreshold"] > \
        ready["periodSeconds"] * ready["failureThreshold"]           # out of rotation first


def test_allowed_hosts_and_server_address_are_the_ingress_host(objects):
    hosts = {h for rule in one(objects, "Ingress")["spec"]["rules"] for h in [rule["host"]]}
    assert set(env(objects)["STREAMLIT_SERVER_ALLOWED_HOSTS"]["value"].split()) == hosts
    assert env(objects)["STREAMLIT_BROWSER_SERVER_ADDRESS"]["value"] in hosts


def test_response_headers_are_scoped_to_this_app_and_match_the_nginx_template(objects):
    ingress = one(objects, "Ingress")
    reference = ingress["metadata"]["annotations"]["nginx.ingress.kubernetes.io/custom-headers"]
    namespace, name = reference.split("/")
    headers = next(o for o in objects if o["kind"] == "ConfigMap"
                   and o["metadata"]["name"] == name)
    assert headers["metadata"]["namespace"] == namespace == ingress["metadata"]["namespace"]
    assert namespace != "ingress-nginx"  # not the controller's, so not every Ingress's
    data = headers["data"]
    assert data["Cross-Origin-Resource-Policy"] == "same-origin"
    assert data["Strict-Transport-Security"].startswith("max-age=")
    render = _module("render_nginx", ROOT / "deploy" / "render_nginx.py")
    assert data["Content-Security-Policy"] == render.content_security_policy()
    template = (ROOT / "deploy" / "nginx" / "nginx.conf.template").read_text()
    for header in data:
        if header not in ("Content-Security-Policy", "Strict-Transport-Security"):
            assert f'add_header {header} "{data[header]}" always;' in template, header


def test_the_ingress_limits_clients_and_bodies(objects):
    annotations = one(objects, "Ingress")["metadata"]["annotations"]
    # a lecture hall of 200-250 behind one NAT address: a websocket and a few requests per tab
    assert int(annotations["nginx.ingress.kubernetes.io/limit-connections"]) >= 3 * 250
    assert int(annotations["nginx.ingress.kubernetes.io/limit-rps"]) > 0
    assert annotations["nginx.ingress.kubernetes.io/proxy-body-size"] == "64k"
    assert one(objects, "Ingress")["spec"]["tls"]


def test_the_image_and_the_renderer_are_pinned():
    text = (ROOT / "deploy" / "Dockerfile").read_text()
    base = re.search(r"^FROM (\S+)", text, re.M).group(1)
    assert "@sha256:" in base or re.search(r":\d+\.\d+\.\d+", base), base
    assert re.search(r'"chromium=\$\{CHROMIUM_VERSION\}"', text)
    assert re.search(r"ARG CHROMIUM_VERSION=\d", text)


def test_the_image_has_every_file_the_app_serves():
    """What the app reads or serves at run time is copied into the image and let through the
    build context (a missing folder would only show on the deployed site)."""
    copied = re.findall(r"^COPY (.+) \S+$", (ROOT / "deploy" / "Dockerfile").read_text(), re.M)
    sources = {part.rstrip("/") for line in copied for part in line.split()}
    allowed = {line[1:].rstrip("/") for line in
               (ROOT / "deploy" / "Dockerfile.dockerignore").read_text().splitlines()
               if line.startswith("!")}
    for needed in ("app.py", "view", "app_pages", "pathways", "assets", "static",
                   ".streamlit"):
        assert needed in sources, f"deploy/Dockerfile does not copy {needed}"
        assert needed in allowed, f"deploy/Dockerfile.dockerignore leaves out {needed}"


# ------------------------------------------------------------------- Python packages by hash
LOCK = ROOT / "deploy" / "requirements.lock"


def _requirement_lines(text: str) -> list[str]:
    """A requirements file's requirements, each with its continuation lines joined and its
    comments removed."""
    joined = re.sub(r"\\\n", " ", text)
    lines = [re.sub(r"(^|\s)#.*", "", line).strip() for line in joined.splitlines()]
    return [line for line in lines if line]


def _name(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _pins(lines: list[str]) -> dict[str, str]:
    pins = {}
    for line in lines:
        match = re.match(r"([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)", line)
        assert match, f"not pinned with ==: {line!r}"
        pins[_name(match.group(1))] = match.group(2)
    return pins


def _pip_installs(dockerfile: str) -> list[str]:
    joined = re.sub(r"\\\n", " ", dockerfile)
    return [line for line in joined.splitlines()
            if line.startswith("RUN") and re.search(r"\bpip install\b", line)]


def test_every_package_in_the_lock_carries_a_hash():
    lines = _requirement_lines(LOCK.read_text("utf-8"))
    assert len(lines) > 10  # every transitive dependency, not just requirements.txt
    for line in lines:
        assert re.search(r"--hash=sha256:[0-9a-f]{64}\b", line), f"no sha256 hash: {line[:60]}"
        assert not re.search(r"--hash=(?!sha256:)", line), f"a hash other than sha256: {line}"
    _pins(lines)  # and each is pinned to one version


def test_the_lock_pins_every_package_of_requirements_txt_at_the_same_version():
    """requirements.txt (what ./start.sh and the tests install) and the image's lock cannot
    drift apart: change the one, regenerate the other (deploy/README.md says how)."""
    wanted = _pins([line for line in _requirement_lines((ROOT / "requirements.txt").read_text())
                    if not line.startswith("-")])
    locked = _pins(_requirement_lines(LOCK.read_text("utf-8")))
    for name, version in wanted.items():
        assert name in locked, f"{name} is in requirements.txt but not in deploy/requirements.lock"
        assert locked[name] == version, \
            f"{name}: {version} in requirements.txt, {locked[name]} in deploy/requirements.lock"


def test_the_lock_was_made_for_the_images_python():
    made_with = re.search(r"with Python (\d+\.\d+)", LOCK.read_text("utf-8")).group(1)
    base = re.search(r"^FROM python:(\d+\.\d+)\.", (ROOT / "deploy" / "Dockerfile").read_text(),
                     re.M).group(1)
    assert made_with == base


def test_the_image_installs_python_packages_by_hash_from_the_lock():
    text = (ROOT / "deploy" / "Dockerfile").read_text()
    installs = _pip_installs(text)
    assert len(installs) == 1, installs
    install = installs[0].split()
    assert "--require-hashes" in install  # a package whose hash differs fails the build
    assert "--only-binary=:all:" in install  # no source builds (their build tools are unhashed)
    requirement_files = [install[i + 1] for i, word in enumerate(install) if word == "-r"]
    assert [Path(f).name for f in requirement_files] == ["requirements.lock"], install
    assert re.search(r"^COPY deploy/requirements\.lock \S+$", text, re.M)
    allowed = (ROOT / "deploy" / "Dockerfile.dockerignore").read_text().splitlines()
    assert "!deploy/requirements.lock" in allowed

# ---------------------------------------------------------------------------------- drain.py

class _Metrics(http.server.BaseHTTPRequestHandler):
    counts: list[int] = []

    def do_GET(self):  # noqa: N802
        value = self.counts.pop(0) if len(self.counts) > 1 else self.counts[0]
        body = f"# TYPE active_sessions gauge\nactive_sessions {value}\n".encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def metrics():
    server = http.server.HTTPServer(("127.0.0.1", 0), _Metrics)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()


def test_drain_waits_for_sessions_to_close(metrics):
    drain = _module("drain", ROOT / "deploy" / "drain.py")
    _Metrics.counts = [3, 2, 1, 0]
    url = f"http://127.0.0.1:{metrics.server_port}"
    assert drain.active_sessions(url) == 3
    assert drain.drain(url, 0, 30, poll=0.01) == "no sessions left"


def test_drain_gives_up_after_its_maximum(metrics):
    drain = _module("drain", ROOT / "deploy" / "drain.py")
    _Metrics.counts = [5]
    now = [0.0]
    reason = drain.drain(f"http://127.0.0.1:{metrics.server_port}", 10, 40, poll=1,
                         clock=lambda: now[0], sleep=lambda s: now.__setitem__(0, now[0] + s))
    assert reason.startswith("5 sessions still open") and now[0] >= 40


def test_drain_never_blocks_a_stop_when_metrics_cannot_be_read():
    drain = _module("drain", ROOT / "deploy" / "drain.py")
    assert drain.drain("http://127.0.0.1:9", 0, 30, poll=0.01) == "metrics unreadable"
