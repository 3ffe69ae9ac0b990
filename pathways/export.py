"""Figure export: a Plotly figure as PNG or SVG bytes, built in memory.

Kaleido renders with an installed Chromium (Debian's ``chromium``; ``BROWSER_PATH`` overrides).
When no browser can be started, :class:`ExportUnavailable` says so plainly, so callers can still
offer the text.

Starting Chromium takes a few seconds, and one export usually wants several figures (a handout
has a head map and a diagram). So the browser is started on the first export and kept open on a
background thread, shared by every caller, and closed again after :data:`IDLE_SECONDS` without
use (and when the process exits). After the first figure, each further figure takes a fraction of
a second. A browser that fails or hangs is closed, and the next export starts a fresh one.

MathJax is switched off (Kaleido's default would load it from a CDN, a request leaving the
machine); no figure here uses LaTeX. Chromium is started with :data:`PRIVATE_FLAGS` (no
background networking, component or extension updates, pings, crash reports or host lookups:
it only ever loads a local page) and with ``HOME`` and the ``XDG_*`` folders pointing into its
temporary profile, so it writes nothing under the user's home (Debian's Chromium otherwise
keeps crash reports in ``~/.config/chromium`` and GTK a ``~/.cache/dconf`` database). The only
files involved are Kaleido's own: the temporary page it loads plotly.js from and Chromium's
temporary profile, both in the temporary folder and removed when the browser closes. The image
bytes themselves never touch the disk. ``tests/test_privacy_syscalls.py`` checks all of this
at the level of system calls.
"""

from __future__ import annotations

import asyncio
import atexit
import os
import threading

__all__ = ["ExportUnavailable", "FORMATS", "close_renderer", "figure_image", "renderer_is_open"]

FORMATS = ("png", "svg")
#: Seconds without an export after which the shared browser is closed.
IDLE_SECONDS = 120.0
#: Seconds allowed for starting the browser, and for rendering one figure.
OPEN_TIMEOUT = 60.0
RENDER_TIMEOUT = 60.0

#: Added to Kaleido's own Chromium flags. The renderer loads one local page and needs no network
#: at all, so nothing that phones home may run. Measured under strace (tests/syscall_watch.py):
#: without these, one image download made ~70 connects (DNS lookups of Google update and
#: account hosts, the Debian start page) and wrote under ~/.config/chromium and ~/.cache.
PRIVATE_FLAGS = (
    "about:blank",                       # not the distribution's start page (a web site)
    "--disable-background-networking",
    "--disable-component-update",
    # Chromium still asks its update service for a few components; an update source that is
    # not a network address makes it ask nobody.
    "--component-updater=url-source=data:,",
    # The account lookup Chromium makes for every profile cannot be switched off by a flag;
    # it goes to a closed port on this machine instead of Google.
    "--gaia-url=http://localhost:9",
    "--google-apis-url=http://localhost:9",
    "--lso-url=http://localhost:9",
    "--disable-extensions",              # Debian's launcher adds --enable-remote-extensions
    "--disable-default-apps",
    "--disable-sync",
    "--disable-domain-reliability",
    "--disable-client-side-phishing-detection",
    "--disable-breakpad",
    "--disable-crash-reporter",
    "--no-pings",
    "--no-first-run",
    "--no-default-browser-check",
    "--dns-prefetch-disable",
    "--disable-quic",
    # No name resolves but this machine's (the page and plotly.js are local files), so no DNS
    # query leaves whatever else Chromium may try.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
    "--disable-features=MediaRouter,OptimizationHints,Translate,NetworkTimeServiceQuerying,"
    "CertificateTransparencyComponentUpdater,AutofillServerCommunication,DialMediaRouteProvider",
)


class ExportUnavailable(RuntimeError):
    """Images cannot be made on this machine (no usable browser for Kaleido)."""


def figure_image(figure, fmt: str = "png", *, width: int = 1600, height: int = 900,
                 scale: float = 1.0) -> bytes:
    """Render ``figure`` as ``fmt`` ("png" or "svg") bytes, entirely in memory.

    >>> import plotly.graph_objects as go
    >>> figure_image(go.Figure(), "gif")
    Traceback (most recent call last):
    ...
    ValueError: Export format 'gif' is not offered; choose one of: png, svg.
    """
    if fmt not in FORMATS:
        raise ValueError(f"Export format {fmt!r} is not offered; choose one of: {', '.join(FORMATS)}.")
    try:
        spec = figure.to_dict() if hasattr(figure, "to_dict") else figure
        return _RENDERER.render(spec, dict(format=fmt, width=width, height=height, scale=scale))
    except Exception as error:  # Kaleido raises several types when no browser can start
        raise ExportUnavailable(
            "Images could not be made on this computer (the figure renderer needs the Chromium "
            f"browser). The text is still available. Details: {error}") from error


class _Renderer:
    """One Kaleido browser, opened on demand and shared, living on its own event-loop thread.

    Callers on any thread submit work with :meth:`render`; the loop runs the renders (Kaleido
    queues them on its tab), opens the browser once, and closes it when idle or after an error.
    """

    def __init__(self) -> None:
        self._guard = threading.Lock()  # starting the loop thread
        self._loop: asyncio.AbstractEventLoop | None = None
        self._kaleido = None
        self._opening: asyncio.Lock | None = None
        self._busy = 0
        self._idle_timer: asyncio.TimerHandle | None = None
        self._pid = os.getpid()

    # ---- called from any thread
    def render(self, spec: dict, opts: dict) -> bytes:
        loop = self._ensure_loop()
        future = asyncio.run_coroutine_threadsafe(self._render(spec, opts), loop)
        try:
            return future.result(timeout=OPEN_TIMEOUT + RENDER_TIMEOUT + 5)
        except TimeoutError:
            future.cancel()
            asyncio.run_coroutine_threadsafe(self._close(), loop)
            raise TimeoutError("the browser did not answer in time") from None

    def close(self) -> None:
        """Close the browser now (it starts again on the next export)."""
        loop = self._loop
        if loop is not None and loop.is_running():
            try:
                asyncio.run_coroutine_threadsafe(self._close(), loop).result(timeout=15)
            except Exception:  # noqa: BLE001 - closing is best effort
                pass

    @property
    def is_open(self) -> bool:
        return self._kaleido is not None

    def _ensure_loop(self) -> asyncio.AbstractEventLoop:
        with self._guard:
            if self._pid != os.getpid():  # a forked child: the parent's thread is not here
                self._loop, self._kaleido, self._busy, self._idle_timer = None, None, 0, None
            if self._loop is None or not self._loop.is_running():
                loop = asyncio.new_event_loop()
                started = threading.Event()
                loop.call_soon(started.set)
                threading.Thread(target=loop.run_forever, name="figure-export", daemon=True).start()
                started.wait(10)
                self._loop, self._opening, self._pid = loop, None, os.getpid()
            return self._loop

    # ---- on the loop thread
    async def _render(self, spec: dict, opts: dict) -> bytes:
        self._busy += 1
        if self._idle_timer is not None:
            self._idle_timer.cancel()
            self._idle_timer = None
        try:
            kaleido = await asyncio.wait_for(self._open(), OPEN_TIMEOUT)
            return await kaleido.calc_fig(spec, opts=opts)
        except BaseException:
            await self._close()
            raise
        finally:
            self._busy -= 1
            if self._busy == 0 and self._kaleido is not None:
                loop = asyncio.get_running_loop()
                self._idle_timer = loop.call_later(
                    IDLE_SECONDS, lambda: loop.create_task(self._close_if_idle()))

    async def _open(self):
        if self._opening is None:
            self._opening = asyncio.Lock()
        async with self._opening:
            if self._kaleido is None:
                import kaleido
                import plotly.io as pio

                mathjax = pio.defaults.mathjax or False  # never the CDN default
                browser = kaleido.Kaleido(n=1, timeout=RENDER_TIMEOUT, mathjax=mathjax,
                                          plotlyjs=pio.defaults.plotlyjs or None,
                                          browser_cls=_private_chromium())
                try:
                    await browser.open()
                except BaseException:  # failed or timed out half-way: leave no browser behind
                    try:
                        await asyncio.wait_for(browser.close(), 15)
                    except BaseException:  # noqa: BLE001
                        pass
                    raise
                self._kaleido = browser
            return self._kaleido

    async def _close_if_idle(self) -> None:
        if self._busy == 0:
            await self._close()

    async def _close(self) -> None:
        browser, self._kaleido = self._kaleido, None
        if self._idle_timer is not None:
            self._idle_timer.cancel()
            self._idle_timer = None
        if browser is not None:
            try:
                await asyncio.wait_for(browser.close(), 15)
            except BaseException:  # noqa: BLE001 - a browser that will not close is abandoned
                pass


def _private_chromium():
    """Kaleido's Chromium launcher with :data:`PRIVATE_FLAGS` added and ``HOME``/``XDG_*``
    inside the browser's temporary profile (made by choreographer before the launch, in the
    temporary folder, removed when the browser closes)."""
    from choreographer.browsers.chromium import Chromium

    class PrivateChromium(Chromium):
        def get_cli(self):
            cli = [a for a in super().get_cli() if a != "--enable-remote-extensions"]
            return cli + [f for f in PRIVATE_FLAGS if f not in cli]

        def get_env(self):
            # HOME is the profile folder itself; the XDG folders are made inside it by whoever
            # needs them, and go when the profile is removed.
            env = super().get_env()
            home = str(self.tmp_dir.path)
            env.update(HOME=home, XDG_CONFIG_HOME=os.path.join(home, ".config"),
                       XDG_CACHE_HOME=os.path.join(home, ".cache"),
                       XDG_DATA_HOME=os.path.join(home, ".local", "share"),
                       XDG_STATE_HOME=os.path.join(home, ".local", "state"))
            return env

    return PrivateChromium


_RENDERER = _Renderer()
atexit.register(_RENDERER.close)


def renderer_is_open() -> bool:
    """Whether the shared image browser is running (it opens on the first export and closes
    when idle for :data:`IDLE_SECONDS`)."""
    return _RENDERER.is_open


def close_renderer() -> None:
    """Close the shared image browser now; the next export starts it again."""
    _RENDERER.close()
