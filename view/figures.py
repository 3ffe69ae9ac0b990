"""Showing a figure from its stored spec (see :mod:`pathways.figcache`) without re-making the
Plotly figure on every run, and a stored animation as it stands after a given frame."""

from __future__ import annotations

import streamlit as st
from plotly.basedatatypes import BaseFigure


class _StoredFigure(BaseFigure):
    """Stands in for a Plotly figure when a stored spec is shown: ``st.plotly_chart``
    asks a figure only for ``to_dict()``, and this answers with the spec itself. Making a figure
    from the spec and turning it back into a dict would copy and re-check every property (about
    9 ms for the convergence diagram, on every click); the spec is shared and not changed.
    BaseFigure's own set-up is skipped on purpose: nothing else is asked of this object."""

    def __init__(self, spec: dict):  # noqa: D107 - no super().__init__, see above
        object.__setattr__(self, "_spec", spec)

    def to_dict(self) -> dict:
        return self._spec


def at_frame(spec: dict, index: int) -> dict:
    """A stored spec as its animation shows it after frame ``index`` (0: before the first
    frame), as a new dict: each frame's traces are merged into the data, as Plotly does. The
    same pictures as Play, one step at a time, for keyboards and for readers who need time."""
    frames = spec.get("frames") or []
    if not index:
        return spec
    data = list(spec.get("data", []))
    for frame in frames[:index]:
        for trace_index, trace in zip(frame.get("traces", []), frame.get("data", [])):
            data[trace_index] = {**data[trace_index], **trace}
    return {**spec, "data": data}


def plot(spec, *, where=None, **kwargs):
    """Show a figure's stored spec (from a builder's ``.spec(...)``, see
    :mod:`pathways.figcache`) with ``st.plotly_chart`` and its usual arguments; ``where`` is a
    container (default: the page)."""
    return (where or st).plotly_chart(_StoredFigure(spec), **kwargs)
