"""What every page run gets from the router: the app's styles, the chart scripts, the route to
urgent care, and the page itself run inside one ``st.fragment`` so that a widget on it reruns
the page alone."""

from __future__ import annotations

import functools
from pathlib import Path

import streamlit as st

from .citations import content_note
from .state import is_phone

STYLES = Path(__file__).resolve().parents[1] / "assets" / "styles" / "app.css"


@functools.lru_cache(maxsize=1)
def _styles() -> str:
    return STYLES.read_text(encoding="utf-8")


def inject_styles() -> None:
    """The app's own styles (contrast, visible focus, wrapping links), once per page run."""
    st.html(f"<style>{_styles()}</style>")


#: The app's scripts, for what Plotly's charts do not do by themselves: on touch screens one
#: tap marks a chart (``touch-taps.js``); a keyboard reaches and presses a chart's own buttons,
#: such as the diagram's Play (``chart-keys.js``). A small page in ``static/`` loads both;
#: Streamlit's static serving (``server.enableStaticServing``) serves it at ``/app/static/``,
#: from the app's own origin, which the deployed content security policy allows.
CHART_SCRIPTS = "/app/static/chart-scripts.html"


def chart_scripts() -> None:
    """Load :data:`CHART_SCRIPTS` in a hidden frame; each script adds its listeners to the page
    once, however often this runs."""
    with st.container(key="chart-scripts"):
        st.iframe(CHART_SCRIPTS, height=1, tab_index=-1)  # no alt: nothing to describe


def urgent_care_note(audience: str) -> None:
    """The always-present route to urgent care. Patients see it on the page itself; clinicians
    and educators in the sidebar, or on the page on phones (which never show the sidebar)."""
    if audience == "patient":  # a plain bordered box: a page's own error messages stay apart
        with st.container(key="urgent-care", border=True):
            st.markdown(":red[:material/emergency:] " + content_note("urgent_care"))
    else:
        (st if is_phone() else st.sidebar).caption(content_note("urgent_care"))


def run_page(page) -> None:
    """Run the page ``st.navigation`` chose inside one ``st.fragment``: a widget on the page (the
    head map, the diagram, the sensitisation controls, a lesson step, the warning signs, the
    quiz, the filters) then reruns the page alone, not the router, the styles and the sidebar
    (measured with ``./bench/run``). The audience switch, in the sidebar, and a page change
    rerun everything. On a Streamlit without the page flag used below, the page runs as usual."""
    if not hasattr(page, "_can_be_called"):
        page.run()
        return
    _page_part(page)


@st.fragment
def _page_part(page) -> None:
    # Streamlit runs a page once per run of the app; a rerun of this fragment is a run of its own.
    page._can_be_called = True
    page.run()
