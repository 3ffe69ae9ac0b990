"""The shared, read-only data the pages show: the atlas, the reviewed wording around a result,
the app's shared words and the short notes. Each is loaded once per process (``st.cache_resource``);
a malformed data file stops the page with a clear message instead of a traceback."""

from __future__ import annotations

import streamlit as st

from pathways import DataFileError, load_atlas


@st.cache_resource(show_spinner=False)
def _atlas():
    return load_atlas()


def load_or_stop(load, what: str):
    """``load()``, or, if a data file is malformed (a :class:`DataFileError`, which names the
    file, entry and field), a clear message and the page stops. ``what`` names it for the
    reader."""
    try:
        return load()
    except DataFileError as error:
        st.error(f"The {what} could not be loaded, so this page cannot be shown. Please tell "
                 f"whoever maintains this copy of the app. Details: {error}")
        st.stop()


def atlas():
    """The shared, read-only atlas; a malformed atlas stops the page with a clear message."""
    return load_or_stop(_atlas, "anatomy data")


@st.cache_resource(show_spinner=False)
def _guidance():
    from pathways.guidance import load_guidance

    return load_guidance()


def guidance():
    """The reviewed wording around a result (usual causes, other causes, groups, warnings,
    advice); a malformed file stops the page with a clear message."""
    return load_or_stop(_guidance, "safety and advice wording")


@st.cache_resource(show_spinner=False)
def _ui():
    from pathways.wording import load_ui

    return load_ui()


def ui():
    """The app's shared words (assets/content/ui.yaml); a malformed file stops the page with
    a clear message."""
    return load_or_stop(_ui, "page wording")


@st.cache_resource(show_spinner=False)
def _notes():
    from pathways.guidance import load_notes

    return load_notes()


def notes():
    """The reviewed short notes (notes.yaml), validated; a malformed file stops the page with
    a clear message that names the file and line."""
    return load_or_stop(_notes, "safety notes")
