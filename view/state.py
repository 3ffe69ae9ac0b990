"""The view's state, kept in the URL: the audience switch, each page's URL parameters parsed
into a :class:`~pathways.viewstate.ViewState` (with a notice for anything ignored) and seeded
into its widgets, the widgets' values written back to the URL, and the small-screen layout.
So a refresh, a shared link or a reconnect to another replica opens the same view."""

from __future__ import annotations

import streamlit as st

from pathways import AUDIENCES
from pathways.viewstate import ViewState, parse_view

from .data import atlas, ui

_DEFAULTS = {f: getattr(ViewState(), f) for f in ViewState.__dataclass_fields__}
_DEFAULTS["picked"] = []
_URL_NAME = {"picked": "region"}  # widget key -> URL parameter, where they differ


def _url_value(key: str, state: ViewState):
    if key == "picked":  # the head map's marked areas, as "region:side" strings
        return [f"{region}:{side}" for region, side in state.regions]
    return getattr(state, key)


def audience_control() -> str:
    """The audience switch (patient / clinician / educator), kept in the URL as ``audience``."""
    state, notices = parse_view({"audience": st.query_params.get_all("audience")}
                                if "audience" in st.query_params else {})
    for notice in notices:
        st.info(notice, icon=":material/info:")
    if "audience" not in st.session_state:
        st.session_state["audience"] = state.audience
    words = ui()
    # Phones never show the collapsed sidebar: there the switch is at the top of the page.
    where = st.container(key="audience-in-page") if is_phone() else st.sidebar
    where.segmented_control(
        words.text("audience.question"), AUDIENCES,
        format_func=words.names("audience.names").get, key="audience", required=True,
        help=words.text("audience.help"))
    sync_url("audience")
    return current_audience()


def current_audience() -> str:
    return st.session_state.get("audience") or "patient"


def view_state(*keys: str, **limits) -> ViewState:
    """Parse this page's URL, show a notice for anything ignored, and seed the page's widgets.

    ``keys`` name the widgets (by session-state key, equal to the URL parameter) that this page
    draws. Each is seeded once per session from the URL or its default, so a deep link, a
    refresh or a reconnect to another replica opens exactly the linked view. Call
    :func:`sync_url` after drawing the widgets.
    """
    names = {_URL_NAME.get(key, key) for key in keys}
    params = {key: st.query_params.get_all(key) for key in st.query_params if key in names}
    state, notices = parse_view(params, atlas(), **limits)
    for notice in notices:
        st.info(notice, icon=":material/info:")
    for key in keys:
        if key not in st.session_state:
            st.session_state[key] = _url_value(key, state)
    return state


def sync_url(*keys: str) -> None:
    """Write the widgets' current values to the URL (defaults are left out)."""
    values = {key: st.session_state.get(key) for key in keys}
    set_url(**{key: None if value == _DEFAULTS.get(key) else value
               for key, value in values.items()})


def set_url(**values) -> None:
    """Set URL parameters directly (None removes one)."""
    for key, value in values.items():
        if value is None:
            if key in st.query_params:
                del st.query_params[key]
        elif st.query_params.get(key) != str(value):
            st.query_params[key] = str(value)


LAYOUTS = ("wide", "compact")


def is_phone() -> bool:
    """Whether the browser says it is a phone (its User-Agent), to pick the small-screen
    layout on first load. Nothing is stored."""
    agent = (st.context.headers or {}).get("User-Agent", "") or ""
    return "Mobi" in agent  # phones say "Mobile" (Android, iPhone); tablets do not


def layout_control() -> bool:
    """The small-screen layout switch: on by default on phones, kept in the URL as
    ``layout=compact|wide`` when it differs from that default. Returns True for compact."""
    automatic = is_phone()
    if "compact" not in st.session_state:
        asked = st.query_params.get("layout")
        if asked is not None and asked not in LAYOUTS:
            st.info("The layout in the link was not recognised, so the usual layout is shown.",
                    icon=":material/info:")
        st.session_state["compact"] = (asked == "compact") if asked in LAYOUTS else automatic
    compact = st.toggle("Small-screen layout", key="compact",
                        help="A taller diagram with larger labels, for phones. On phones it is "
                             "on from the start.")
    set_url(layout=None if compact == automatic else LAYOUTS[compact])
    return compact
