"""A Streamlit client that speaks the app's own websocket protocol, the way the browser does.

The browser opens ``/_stcore/stream`` with the ``streamlit`` subprotocol, sends a ``BackMsg``
whose ``rerun_script`` carries a ``ClientState`` (the page's URL path as ``page_name``, the
query string, the current widget values, and the hashes of large messages it already holds),
and renders the ``ForwardMsg`` stream until ``script_finished``. This client does the same and
times each run from sending the request to receiving ``script_finished``: the time a user waits.

Widgets are driven generically from the elements the server sends (select boxes, radios,
segmented controls, toggles, multiselects, text inputs, sliders, number inputs), so a page added
later is exercised without changes here. A widget drawn inside an ``st.fragment`` is changed the
way the browser changes it: the request names the fragment (``fragment_id``), and only that part
reruns. A page change is a request for another page's script hash with that page's query string,
as a click on a link to it sends.

Through nginx (``affinity=True``), a tab first loads the page as the browser does, keeps the
``st_route`` cookie nginx hands out, and sends it with its websocket, so every request of the tab
reaches the same replica.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState, WidgetStates

FINISHED = ForwardMsg.ScriptFinishedStatus
#: A run that ended well: the whole script, or one fragment of it.
SUCCESS = ("FINISHED_SUCCESSFULLY", "FINISHED_FRAGMENT_RUN_SUCCESSFULLY")
RUN_TIMEOUT = 60.0  # seconds without script_finished before a run counts as an error

#: Element types this client knows how to change, and how their value travels.
DRIVABLE = ("selectbox", "radio", "button_group", "checkbox", "multiselect", "text_input",
            "slider", "number_input")
#: A button is pressed (a trigger sent with that run only). Widgets inside an ``st.form`` send
#: nothing when changed: the browser keeps their values until the form's submit button is
#: pressed. So a form is driven through its submit button, which first changes the form's other
#: widgets, as a user fills in the form before submitting.


class RunError(Exception):
    """A run that did not finish cleanly: timeout, closed socket, exception or missing page."""


@dataclass
class Widget:
    id: str
    kind: str
    proto: object
    sidebar: bool
    fragment: str = ""     # the st.fragment it is drawn in ("" for none)

    @property
    def label(self) -> str:
        return getattr(self.proto, "label", "")


@dataclass
class RunResult:
    seconds: float
    bytes: int = 0                 # all ForwardMsg bytes of the run
    figure_bytes: int = 0          # bytes of the messages that carry a Plotly figure
    figures: int = 0
    messages: int = 0
    ref_hashes: int = 0            # large messages the server did not resend (client cache)
    exceptions: list[str] = field(default_factory=list)
    status: str = ""
    kind: str = ""                 # "open", "widget", "fragment" or "page"


class Session:
    """One browser tab: a websocket, a page, a URL query string and widget values."""

    def __init__(self, base_url: str, page: str, query: str = "", *, origin: bool = False,
                 affinity: bool = False):
        self.ws_url = base_url.replace("http://", "ws://").replace("https://", "wss://")
        self.ws_url = self.ws_url.rstrip("/") + "/_stcore/stream"
        self.base_url = base_url
        self.page = page
        self.query = query
        self.origin = origin or affinity   # a browser always sends its Origin
        self.affinity = affinity
        self.cookie = ""                           # nginx's st_route cookie, once received
        self.page_script_hash = ""
        self.session_id = ""
        self.ws = None
        self.widgets: dict[str, Widget] = {}
        self.downloads: list = []                  # download_button protos of the last run
        self.values: dict[str, WidgetState] = {}   # widget values this "user" has set
        self.cached: dict[str, int] = {}           # message hash -> age in runs
        self.app_pages: list = []                  # from the navigation message
        self.navigated = False                     # pages seen in a navigation message
        self.record: list | None = None            # a list: every ForwardMsg of a run is kept
        self.runs = 0
        self.changed_fragment = ""
        self._turn = 0

    async def connect(self) -> None:
        if self.affinity and not self.cookie:
            self.cookie = await route_cookie(self.base_url, self.page, self.query)
        headers = {"Origin": self.base_url} if self.origin else {}
        if self.cookie:
            headers["Cookie"] = self.cookie
        try:
            self.ws = await websockets.connect(
                self.ws_url, subprotocols=["streamlit"], max_size=None, compression=None,
                open_timeout=RUN_TIMEOUT, ping_interval=None, additional_headers=headers or None)
        except websockets.InvalidHandshake as error:  # e.g. a proxy's 502: the tab sees an error
            raise RunError(f"websocket refused: {error}") from None

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
            self.ws = None

    async def open(self) -> RunResult:
        """A new tab on the page's deep link: connect and run once (timed from connect)."""
        start = time.perf_counter()
        await self.connect()
        result = await self.rerun()
        result.seconds = time.perf_counter() - start
        result.kind = "open"
        return result

    def _client_state(self, widgets: WidgetStates | None, fragment: str = ""):
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = self.query
        state.page_name = "" if self.page_script_hash else self.page
        state.page_script_hash = self.page_script_hash
        state.cached_message_hashes.extend(self.cached)
        if fragment:
            state.fragment_id = fragment
        if widgets is not None:
            state.widget_states.CopyFrom(widgets)
        return msg

    async def rerun(self, widgets: WidgetStates | None = None, fragment: str = "") -> RunResult:
        """Request a rerun (of one fragment, if named) and wait for its ``script_finished``."""
        if self.ws is None:
            raise RunError("not connected")
        await self.ws.send(self._client_state(widgets, fragment).SerializeToString())
        start = time.perf_counter()
        result = RunResult(seconds=0.0)
        started = False
        seen_widgets: dict[str, Widget] = {}
        downloads = []
        new_cache: dict[str, int] = {}
        deadline = start + RUN_TIMEOUT
        while True:
            try:
                data = await asyncio.wait_for(self.ws.recv(), max(0.01, deadline - time.perf_counter()))
            except asyncio.TimeoutError:
                raise RunError(f"no script_finished within {RUN_TIMEOUT:.0f} s") from None
            except websockets.ConnectionClosed as error:
                raise RunError(f"connection closed: {error}") from None
            msg = ForwardMsg()
            msg.ParseFromString(data)
            kind = msg.WhichOneof("type")
            if kind == "new_session":
                started = True
                if self.record is not None:
                    self.record.append(msg)
                self.page_script_hash = msg.new_session.page_script_hash
                if msg.new_session.HasField("initialize"):
                    self.session_id = msg.new_session.initialize.session_id
                if msg.new_session.app_pages and not self.navigated:
                    # (a fragment's run lists only the entry script here; st.navigation's
                    # message, when the app sends one, has the pages)
                    self.app_pages = list(msg.new_session.app_pages)
                continue
            if not started:
                continue  # a late status message of an earlier run
            if self.record is not None:
                self.record.append(msg)
            result.messages += 1
            result.bytes += len(data)
            if msg.metadata.cacheable and msg.hash:
                new_cache[msg.hash] = 0
            if kind == "ref_hash":
                result.ref_hashes += 1
                new_cache[msg.ref_hash] = 0
            elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                element = msg.delta.new_element
                etype = element.WhichOneof("type")
                if etype == "plotly_chart":
                    result.figures += 1
                    result.figure_bytes += len(data)
                elif etype == "exception":
                    result.exceptions.append(element.exception.message or "exception")
                if etype == "download_button":
                    downloads.append(element.download_button)
                if etype in DRIVABLE or etype == "button":
                    proto = getattr(element, etype)
                    sidebar = bool(msg.metadata.delta_path) and msg.metadata.delta_path[0] == 1
                    seen_widgets[proto.id] = Widget(proto.id, etype, proto, sidebar,
                                                    msg.delta.fragment_id)
            elif kind == "page_info_changed":
                self.query = msg.page_info_changed.query_string
            elif kind == "navigation":
                self.navigated = True
                self.app_pages = list(msg.navigation.app_pages)
                if msg.navigation.page_script_hash:
                    self.page_script_hash = msg.navigation.page_script_hash
            elif kind == "page_not_found":
                result.exceptions.append(f"page not found: {msg.page_not_found.page_name!r}")
            elif kind == "script_finished":
                status = FINISHED.Name(msg.script_finished)
                if msg.script_finished == FINISHED.FINISHED_EARLY_FOR_RERUN:
                    started = False  # st.rerun / switch_page: the next run follows
                    continue
                result.status = status
                break
        result.seconds = time.perf_counter() - start
        self.runs += 1
        if fragment:  # only the fragment's part was redrawn: the rest of the page stays
            self.widgets = {**{k: w for k, w in self.widgets.items() if w.fragment != fragment},
                            **seen_widgets}
            downloads = downloads or self.downloads
        else:
            self.widgets = seen_widgets
        self.downloads = downloads
        # Like the browser's message cache: keep what the last two runs used.
        self.cached = {h: age + 1 for h, age in self.cached.items() if age < 1}
        self.cached.update(new_cache)
        self.values = {k: v for k, v in self.values.items() if k in self.widgets}
        if result.status == "FINISHED_WITH_COMPILE_ERROR":
            result.exceptions.append("compile error")
        return result

    # -- interactions -------------------------------------------------------------------------

    def drivable(self) -> list[Widget]:
        """Widgets a user could change on this page (main area first, then the sidebar)."""
        out = [w for w in self.widgets.values() if not getattr(w.proto, "disabled", False)
               and (w.kind == "button" or not getattr(w.proto, "form_id", ""))]
        return sorted(out, key=lambda w: (w.sidebar, w.id))

    def _fill_form(self, submit: Widget) -> None:
        """Change every open widget of the form ``submit`` belongs to (kept until sent)."""
        for w in self.widgets.values():
            if (w.kind != "button" and getattr(w.proto, "form_id", "") == submit.proto.form_id
                    and not getattr(w.proto, "disabled", False)):
                state = change(w, self.values.get(w.id), self._turn)
                if state is not None:
                    self.values[w.id] = state

    def next_change(self, widget: Widget | None = None) -> WidgetStates:
        """All current widget values plus one changed, the way a click produces them. The
        fragment the changed widget is drawn in ("" for none) is kept in ``changed_fragment``."""
        candidates = self.drivable()
        if widget is None:
            if not candidates:
                states = WidgetStates()
                states.widgets.extend(self.values.values())
                self.changed_fragment = ""
                return states
            main = [w for w in candidates if not w.sidebar] or candidates
            widget = main[self._turn % len(main)]
        self._turn += 1
        states = WidgetStates()
        if widget.kind == "button":  # a press; a form's submit button fills in the form first
            if widget.proto.is_form_submitter:
                self._fill_form(widget)
            states.widgets.extend(self.values.values())
            states.widgets.add(id=widget.id, trigger_value=True)  # this run only
            self.changed_fragment = widget.fragment
            return states
        state = change(widget, self.values.get(widget.id), self._turn)
        if state is not None:
            self.values[widget.id] = state
        states.widgets.extend(self.values.values())
        self.changed_fragment = widget.fragment
        return states

    async def interact(self) -> RunResult:
        """Change one widget (in turn), as a click does."""
        states = self.next_change()
        fragment = self.changed_fragment
        result = await self.rerun(states, fragment)
        result.kind = "fragment" if fragment else "widget"
        return result

    def page_hash(self, url_path: str) -> str:
        """The script hash of the page served at ``url_path`` (from the navigation)."""
        for page in self.app_pages:
            if page.url_pathname == url_path:
                return page.page_script_hash
        raise RunError(f"no page {url_path!r} in the navigation")

    async def goto(self, url_path: str, query: str = "") -> RunResult:
        """A click on a link to another page (with its query string), as the browser sends
        it: that page's script hash and the current widget values."""
        self.page_script_hash = self.page_hash(url_path) if url_path else self.page_script_hash
        self.page = url_path
        self.query = query
        states = WidgetStates()
        states.widgets.extend(self.values.values())
        result = await self.rerun(states)
        result.kind = "page"
        return result

    async def download(self, button) -> bytes:
        """What a click on a download button fetches. A deferred download (``data=`` a
        function) is made on the server only now, through a backend operation request."""
        import urllib.parse
        import urllib.request
        import uuid

        url = button.url
        if button.deferred_file_id:
            msg = BackMsg()
            request = msg.backend_operation_request
            request.request_id = str(uuid.uuid4())
            request.session_id = self.session_id
            request.deferred_file.file_id = button.deferred_file_id
            await self.ws.send(msg.SerializeToString())
            deadline = time.perf_counter() + RUN_TIMEOUT * 2
            while True:
                data = await asyncio.wait_for(self.ws.recv(), max(0.01, deadline - time.perf_counter()))
                reply = ForwardMsg()
                reply.ParseFromString(data)
                if reply.WhichOneof("type") != "backend_operation_response":
                    continue
                response = reply.backend_operation_response
                if response.request_id != request.request_id:
                    continue
                if response.error_msg:
                    raise RunError(f"download failed: {response.error_msg}")
                url = response.deferred_file.url
                break
        full = urllib.parse.urljoin(self.base_url.rstrip("/") + "/", url.lstrip("/"))
        loop = asyncio.get_running_loop()

        def fetch() -> bytes:
            with urllib.request.urlopen(full, timeout=RUN_TIMEOUT) as response:
                return response.read()

        return await loop.run_in_executor(None, fetch)


async def route_cookie(base_url: str, page: str, query: str) -> str:
    """Load the page once, as the browser does before it opens its websocket, and return the
    ``st_route=...`` cookie nginx sets on it ("" if none is set)."""
    from urllib.parse import urlsplit

    parts = urlsplit(base_url)
    host, port = parts.hostname, parts.port or 80
    path = "/" + page + (f"?{query}" if query else "")
    reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), RUN_TIMEOUT)
    try:
        writer.write(f"GET {path} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
                     "Connection: close\r\n\r\n".encode())
        await writer.drain()
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), RUN_TIMEOUT)
        status = head.split(b" ", 2)[1]
        if status != b"200":
            raise RunError(f"page load answered {status.decode()}")
        for line in head.decode("latin-1").split("\r\n"):
            name, _, value = line.partition(":")
            if name.lower() == "set-cookie" and value.strip().startswith("st_route="):
                return value.strip().split(";", 1)[0]
        return ""
    finally:
        writer.close()


def change(widget: Widget, previous: WidgetState | None, turn: int) -> WidgetState | None:
    """A new, valid value for ``widget``, different from what this client last sent."""
    p = widget.proto
    state = WidgetState(id=widget.id)
    kind = widget.kind
    if kind in ("selectbox", "radio"):
        options = list(p.options)
        if not options:
            return None
        current = previous.string_value if previous is not None else None
        choices = [o for o in options if o != current] or options
        state.string_value = choices[turn % len(choices)]
    elif kind == "button_group":
        options = [o.content for o in p.options]
        if not options:
            return None
        current = list(previous.string_array_value.data) if previous is not None else []
        choices = [o for o in options if [o] != current] or options
        state.string_array_value.data.append(choices[turn % len(choices)])
    elif kind == "checkbox":
        current = previous.bool_value if previous is not None else p.default
        state.bool_value = not current
    elif kind == "multiselect":
        options = list(p.options)
        if not options:
            return None
        current = list(previous.string_array_value.data) if previous is not None else []
        if len(current) >= 3:
            current = current[1:]  # a user removes one mark now and then
        option = options[(turn * 7) % len(options)]
        if option in current:
            current.remove(option)
        else:
            current.append(option)
        state.string_array_value.data.extend(current)
    elif kind == "text_input":
        words = ["", "Bogduk", "2019", "nerve", ""]
        state.string_value = words[turn % len(words)]
    elif kind == "slider":
        if p.options:  # select_slider
            options = list(p.options)
            state.string_array_value.data.append(options[turn % len(options)])
        else:
            low, high = p.min, p.max
            steps = 5
            value = low + (high - low) * ((turn % (steps + 1)) / steps)
            count = max(1, len(p.default))
            state.double_array_value.data.extend([value] * count)
    elif kind == "number_input":
        low = p.min if p.has_min else 0.0
        high = p.max if p.has_max else low + 10
        state.double_value = low + (high - low) * ((turn % 5) / 4)
    else:
        return None
    return state
