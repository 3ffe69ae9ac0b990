"""The view state carried in the URL, parsed defensively.

Query parameters are untrusted text. :func:`parse_view` never raises: every unknown or
malformed value falls back to the default and adds a plain notice. Notices never repeat the
submitted text (it could carry markup).

>>> state, notices = parse_view({"source": "c2-c3-facet-joint", "side": "left"})
>>> state.source, state.side, notices
('c2-c3-facet-joint', 'left', [])
>>> parse_view({"side": "<b>up</b>"})[1]
['The link asked for a side that does not exist, so the right side is shown.']
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from .schema import AUDIENCES, SIDES
from .vocabulary import HEAD_VIEWS, MAP_LAYERS

__all__ = ["ViewState", "parse_view", "format_regions", "HEAD_VIEWS", "OVERLAYS", "MAX_LEN"]

OVERLAYS = ("none", *MAP_LAYERS)
MAX_LEN = 200  # longer values are not even looked at


#: Parameters with a fixed set of values: (name, allowed values, what the notice says).
_CHOICES = (
    ("audience", AUDIENCES, "an audience that does not exist, so the patient view is shown."),
    ("side", SIDES, "a side that does not exist, so the right side is shown."),
    ("view", HEAD_VIEWS, "a drawing view that does not exist, so the front view is shown."),
    ("overlay", OVERLAYS, "a map layer that does not exist, so no layer is shown."),
)


@dataclass(frozen=True)
class ViewState:
    audience: str = "patient"
    source: str | None = None
    regions: tuple[tuple[str, str], ...] = ()  # (region, side) pairs
    side: str = "right"
    view: str = "front"
    overlay: str = "none"
    level: float = 0.0
    modulation: float = 0.0
    step: int = 1


def _first(value) -> str | None:
    if isinstance(value, (list, tuple)):
        value = value[-1] if value else None
    if value is None:
        return None
    value = str(value)
    return value if len(value) <= MAX_LEN else "\x00too-long"


def _number(text: str, low: float, high: float) -> float | None:
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) and low <= number <= high else None


def parse_view(params: Mapping, atlas=None, *, steps: int = 12) -> tuple[ViewState, list[str]]:
    """Turn query parameters into a :class:`ViewState` plus notices for what was ignored.

    ``atlas`` (optional) checks ``source`` and ``region`` ids; ``steps`` bounds ``step``.
    """
    notices: list[str] = []
    state: dict = {}

    def get(name):
        return _first(params.get(name)) if name in params else None

    def _choose(name, choices, fallback):
        value = get(name)
        if value is None:
            return
        if value in choices:
            state[name] = value
        else:
            notices.append(f"The link asked for {fallback}")

    for name, choices, fallback in _CHOICES[:2]:
        _choose(name, choices, fallback)
    source = get("source")
    if source is not None:
        tissues = atlas.ids("tissue") if atlas is not None else None
        if tissues is None or source in tissues:
            state["source"] = source
        else:
            notices.append("The link named a body part that is not in this atlas, so no "
                           "source is selected.")
    region = get("region")
    if region is not None:
        # "orbit" (side from ``side``), or "orbit:left" for each region its own side.
        default_side = state.get("side", "right")
        wanted = [token for token in region.split(",") if token]
        known = atlas.ids("body-region") if atlas is not None else None
        good = []
        for token in wanted:
            name, _, token_side = token.partition(":")
            token_side = token_side or default_side
            if (known is None or name in known) and token_side in SIDES:
                good.append((name, token_side))
        if len(good) < len(wanted) or not wanted:
            notices.append("The link named an area of the head that is not on the map, so it "
                           "was left out.")
        state["regions"] = tuple(dict.fromkeys(good))
    for name, choices, fallback in _CHOICES[2:]:
        _choose(name, choices, fallback)
    for name, low, high, label in (("level", 0.0, 1.0, "sensitivity level"),
                                   ("modulation", -1.0, 1.0, "brain control setting")):
        value = get(name)
        if value is not None:
            number = _number(value, low, high)
            if number is None:
                notices.append(f"The link's {label} was not a number from {low:g} to {high:g}, "
                               "so the default is used.")
            else:
                state[name] = number
    step = get("step")
    if step is not None:
        if step.isascii() and step.isdigit() and 1 <= int(step) <= steps:
            state["step"] = int(step)
        else:
            notices.append(f"The link asked for a lesson step that does not exist (there are "
                           f"{steps}), so step 1 is shown.")
    return ViewState(**state), notices


def format_regions(picked) -> tuple[str | None, str | None]:
    """The URL form of picked (region, side) pairs: ``(region, side)`` parameter values.

    >>> format_regions([("orbit", "left"), ("forehead", "left")])
    ('orbit,forehead', 'left')
    >>> format_regions([("orbit", "left"), ("occiput", "right")])
    ('orbit:left,occiput:right', None)
    >>> format_regions([])
    (None, None)
    """
    picked = list(picked)
    if not picked:
        return None, None
    sides = {side for _, side in picked}
    if len(sides) == 1:
        return ",".join(r for r, _ in picked), sides.pop()
    return ",".join(f"{r}:{s}" for r, s in picked), None
