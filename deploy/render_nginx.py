"""Write the nginx configuration for N Streamlit replicas (standard library only).

    python deploy/render_nginx.py --replica 10.0.0.11:8501 --replica 10.0.0.12:8501 \\
        --listen 80 --server-name pathways.example.org > /etc/nginx/nginx.conf
    python deploy/render_nginx.py --replicas 3 --first-port 8501 > nginx.conf   # one host
    python deploy/render_nginx.py --replica 10.0.0.11:8501 --listen 443 \\
        --server-name pathways.example.org --tls-cert /etc/ssl/site.pem --tls-key /etc/ssl/site.key

Only the names given with --server-name are served (default: localhost and 127.0.0.1, for one
machine); any other Host is refused, so a rebinding DNS name cannot reach the app. With
--tls-cert and --tls-key the site is served over TLS only and sends HSTS.

The content security policy allows Streamlit's one inline script by its hash, read from the
installed Streamlit's index.html when Streamlit is importable here (so the hash follows
upgrades); otherwise the hash for Streamlit 1.67 below is used. Re-render after upgrading
Streamlit, and check with ``nginx -t``.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import re
import sys
from pathlib import Path

TEMPLATE = Path(__file__).resolve().parent / "nginx" / "nginx.conf.template"
#: sha256 of the inline script in Streamlit 1.67's static/index.html ("window.prerenderReady").
FALLBACK_SCRIPT_HASHES = ("sha256-THxz9J9+wf7rhwR2YkXJoSZ13UCmYyC+3lNDv2+8ugA=",)


def inline_script_hashes() -> tuple[str, ...]:
    """CSP hashes of the inline scripts in the installed Streamlit's index.html."""
    try:
        import streamlit
    except ImportError:
        return FALLBACK_SCRIPT_HASHES
    html = (Path(streamlit.__file__).parent / "static" / "index.html").read_text("utf-8")
    scripts = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", html, re.S)
    return tuple("sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()
                  for s in scripts) or FALLBACK_SCRIPT_HASHES


def content_security_policy(script_hashes=None) -> str:
    hashes = " ".join(f"'{h}'" for h in (script_hashes or inline_script_hashes()))
    return "; ".join([
        "default-src 'self'",
        # 'wasm-unsafe-eval' allows WebAssembly only (not JavaScript eval): the protobuf
        # library's 64-bit arithmetic compiles a tiny module (it falls back to JS without).
        f"script-src 'self' 'wasm-unsafe-eval' {hashes}",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "worker-src 'self' blob:",
        "frame-src 'self'",
        "media-src 'self' blob: data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'self'",
    ])


#: The names served when none are given: this machine only.
DEFAULT_SERVER_NAMES = ("localhost", "127.0.0.1")
#: Per client address. Generous on purpose: a lecture hall of 200-250 behind one campus NAT
#: address shares one address, each tab holding a websocket and opening a few requests at once
#: (./bench/run --hall: 200 tabs opening together from one address were refused with 429 at
#: 200 connections and bursts of 400).
CONN_PER_CLIENT = 1000
REQ_RATE = 100       # requests a second, sustained (static files are not counted)
REQ_BURST = 1000     # ... above which requests are refused at once (429)
HSTS = 'add_header Strict-Transport-Security "max-age=31536000" always;'


def _server_names(server_name) -> str:
    names = [server_name] if isinstance(server_name, str) else list(server_name or ())
    names = [n for n in names if n] or list(DEFAULT_SERVER_NAMES)
    for name in names:
        if name == "_" or not re.fullmatch(r"[A-Za-z0-9.*-]+|\[[0-9A-Fa-f:]+\]", name):
            raise ValueError(f"server name {name!r}: give the site's own host names (no "
                             "catch-all '_'); any other Host is refused")
    return " ".join(names)


def render(replicas, *, listen="80", server_name=DEFAULT_SERVER_NAMES, temp_dir="/var/cache/nginx",
           cache_dir="/var/cache/nginx/static", pid_file="/run/nginx.pid",
           error_log="/var/log/nginx/error.log", access_log="/var/log/nginx/access.log",
           mime_types="/etc/nginx/mime.types", user="", metrics_from=("127.0.0.1", "::1"),
           max_fails=1, fail_timeout="10s", script_hashes=None, tls_cert=None, tls_key=None,
           conn_per_client=CONN_PER_CLIENT, req_rate=REQ_RATE, req_burst=REQ_BURST) -> str:
    if not replicas:
        raise ValueError("at least one replica (host:port) is needed")
    if bool(tls_cert) != bool(tls_key):
        raise ValueError("TLS needs both --tls-cert and --tls-key")
    if tls_cert:
        certs = (f"        ssl_certificate {tls_cert};\n        ssl_certificate_key {tls_key};\n"
                 "        ssl_protocols TLSv1.2 TLSv1.3;")
        listen = listen if listen.endswith(" ssl") else f"{listen} ssl"
    else:
        certs = ""
    servers = "\n".join(f"        server {r} max_fails={max_fails} fail_timeout={fail_timeout};"
                        for r in replicas)
    allow = "".join(f"            allow {a};\n" for a in metrics_from)
    metrics = ("        location = /_stcore/metrics {\n" + allow
               + "            deny all;\n            proxy_pass http://streamlit;\n        }")
    fields = {
        "USER_DIRECTIVE": f"user {user};" if user else "# user: the package's default",
        "PID_FILE": pid_file, "ERROR_LOG": error_log,
        "ACCESS_LOG": "access_log off;" if access_log == "off" else f"access_log {access_log} privacy;",
        "MIME_TYPES": mime_types, "TEMP_DIR": temp_dir, "CACHE_DIR": cache_dir,
        "UPSTREAM_SERVERS": servers, "LISTEN": listen, "SERVER_NAME": _server_names(server_name),
        "CSP": content_security_policy(script_hashes), "METRICS_ACCESS": metrics,
        "TLS": certs, "TLS_DEFAULT": certs,
        # HSTS only over TLS: sent over plain HTTP it would be ignored, and it must not be
        # promised before HTTPS works for the whole host.
        "HSTS": ("        " + HSTS) if tls_cert else "        # (HSTS is sent when TLS is configured)",
        "CONN_PER_CLIENT": str(int(conn_per_client)), "REQ_RATE": str(int(req_rate)),
        "REQ_BURST": str(int(req_burst)),
    }
    text = TEMPLATE.read_text(encoding="utf-8")
    for key, value in fields.items():
        text = text.replace("{{" + key + "}}", value)
    left = re.findall(r"\{\{[A-Z_]+\}\}", text)
    if left:
        raise ValueError(f"unfilled template fields: {left}")
    return text


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--replica", action="append", default=[], metavar="HOST:PORT",
                   help="a Streamlit replica (repeat for each)")
    p.add_argument("--replicas", type=int, help="or: this many replicas on 127.0.0.1 ...")
    p.add_argument("--first-port", type=int, default=8501, help="... from this port up")
    p.add_argument("--listen", default="80", help="nginx listen address, e.g. 80 or 127.0.0.1:8080")
    p.add_argument("--server-name", action="append", default=None, metavar="NAME",
                   help="a host name the site is reached at (repeat for each; default: "
                        "localhost and 127.0.0.1); any other Host is refused")
    p.add_argument("--tls-cert", help="certificate file: serve TLS only, and send HSTS")
    p.add_argument("--tls-key", help="its key file")
    p.add_argument("--conn-per-client", type=int, default=CONN_PER_CLIENT)
    p.add_argument("--req-rate", type=int, default=REQ_RATE)
    p.add_argument("--req-burst", type=int, default=REQ_BURST)
    p.add_argument("--temp-dir", default="/var/cache/nginx")
    p.add_argument("--cache-dir", default="/var/cache/nginx/static")
    p.add_argument("--pid-file", default="/run/nginx.pid")
    p.add_argument("--error-log", default="/var/log/nginx/error.log")
    p.add_argument("--access-log", default="/var/log/nginx/access.log",
                   help="a path, or 'off' for no access log")
    p.add_argument("--mime-types", default="/etc/nginx/mime.types")
    p.add_argument("--user", default="", help="worker user (default: the package's)")
    p.add_argument("--metrics-from", action="append", default=None, metavar="ADDRESS",
                   help="addresses allowed to read /_stcore/metrics (default: loopback)")
    args = p.parse_args(argv)
    replicas = list(args.replica)
    if args.replicas:
        replicas += [f"127.0.0.1:{args.first_port + i}" for i in range(args.replicas)]
    try:
        text = render(replicas, listen=args.listen,
                      server_name=args.server_name or DEFAULT_SERVER_NAMES,
                      tls_cert=args.tls_cert, tls_key=args.tls_key,
                      conn_per_client=args.conn_per_client, req_rate=args.req_rate,
                      req_burst=args.req_burst,
                      temp_dir=args.temp_dir, cache_dir=args.cache_dir, pid_file=args.pid_file,
                      error_log=args.error_log, access_log=args.access_log,
                      mime_types=args.mime_types, user=args.user,
                      metrics_from=tuple(args.metrics_from or ("127.0.0.1", "::1")))
    except ValueError as error:
        p.error(str(error))
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
