"""Figure export: a Plotly figure as PNG or SVG bytes, built in memory.

Kaleido renders with an installed Chromium (Debian's ``chromium``; ``BROWSER_PATH`` overrides).
When no browser can be started, :class:`ExportUnavailable` says so plainly, so callers can still
offer the text.
"""

from __future__ import annotations

__all__ = ["ExportUnavailable", "FORMATS", "figure_image"]

FORMATS = ("png", "svg")


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
    import plotly.io as pio

    try:
        return pio.to_image(figure, format=fmt, width=width, height=height, scale=scale)
    except Exception as error:  # Kaleido raises several types when no browser can start
        raise ExportUnavailable(
            "Images could not be made on this computer (the figure renderer needs the Chromium "
            f"browser). The text is still available. Details: {error}") from error
