"""Build each distinct figure once per process, and cheaply.

Plotly checks every property of every trace as a ``go.Figure`` is built: about 30–50 ms for
the convergence diagram, the head map or a sensitisation plot, on every click that changes
them. So the builders write the figure as a plain spec (a dict in the shape of
``Figure.to_dict()``: ``{"data": [...], "layout": {...}}``), which costs a few milliseconds,
and :func:`memoized_figure` keeps the specs of recent argument sets.

* ``build(...)`` returns a *new* ``go.Figure`` made from the stored spec without re-checking
  it. Callers may change it (their changes are checked as usual); the stored spec is never
  shared with them.
* ``build.spec(...)`` returns the stored spec itself, for display only: no figure is made and
  nothing is copied. It is shared, so it must not be changed.

The check is not lost: with the environment variable ``PATHWAYS_CHECK_FIGURES=1`` (the test
suite sets it) every new spec is also built as a checked ``go.Figure``, so a misspelt property
fails the tests instead of being ignored by the browser.

>>> calls = []
>>> @memoized_figure(maxsize=2)
... def build(n, *, title="t"):
...     calls.append(n)
...     return {"data": [{"type": "scatter", "x": [0, n]}], "layout": {"title": {"text": title}}}
>>> a = build(1); b = build(1)
>>> calls, a is b, a.to_dict() == b.to_dict()
([1], False, True)
>>> a.data[0].x = (5, 6); build(1).data[0].x
(0, 1)
>>> _ = build(2, title="u"); _ = build(3); _ = build(1); calls  # the oldest is dropped
[1, 2, 3, 1]
>>> build.spec(1) is build.spec(1), build.spec(1)["data"][0]["x"]
(True, [0, 1])

A builder may also return a ``go.Figure``; its spec (``to_dict()``) is what is kept.
"""

from __future__ import annotations

import functools
import os
import threading
from collections import OrderedDict

__all__ = ["memoized_figure", "check_spec", "figure_from_spec", "cache_stats"]

#: Every memoized builder's counters, by builder name: {"hits", "builds", "kept", "maxsize"}.
_STATS: dict[str, dict[str, int]] = {}


def cache_stats() -> dict[str, dict[str, int]]:
    """Each memoized builder's hits, builds (misses) and kept specs so far in this process:
    how often a figure was served from memory rather than built (``./bench/run`` reports it)."""
    return {name: dict(stats) for name, stats in _STATS.items()}


def _freeze(value):
    """A hashable stand-in for an argument (dicts, lists and sets by content)."""
    if isinstance(value, dict):
        return ("__dict__", tuple(sorted(((_freeze(k), _freeze(v)) for k, v in value.items()),
                                         key=repr)))
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, tuple(_freeze(v) for v in value))
    if isinstance(value, (set, frozenset)):
        return ("__set__", tuple(sorted((_freeze(v) for v in value), key=repr)))
    hash(value)  # raises TypeError for anything else unhashable
    return value


def check_spec(spec: dict) -> None:
    """Raise Plotly's own ``ValueError`` if ``spec`` has a property Plotly does not know or a
    value it would reject.

    >>> check_spec({"data": [{"type": "scatter", "colour": "red"}]})
    Traceback (most recent call last):
    ...
    ValueError: Invalid property specified for object of type plotly.graph_objs.Scatter: 'colour'
    ...
    """
    import plotly.graph_objects as go

    go.Figure(spec)


def _check_if_asked(spec: dict) -> None:
    if os.environ.get("PATHWAYS_CHECK_FIGURES") == "1":
        check_spec(spec)


def _as_spec(result) -> dict:
    if isinstance(result, dict):
        _check_if_asked(result)
        return result
    return result.to_dict()  # a go.Figure, checked as it was built


def _unchecked_figure(spec: dict):
    """A new ``go.Figure`` of ``spec`` without re-checking it; Plotly copies the spec, and the
    caller's later changes to the figure are checked as usual."""
    import plotly.graph_objects as go

    figure = go.Figure(spec, _validate=False)
    for part in (figure, figure.layout, *figure.data, *figure.frames):
        part._validate = True
    return figure


def figure_from_spec(spec: dict):
    """A new ``go.Figure`` of a plain spec, without Plotly's checks at run time (checked first
    under ``PATHWAYS_CHECK_FIGURES=1``, as new builder specs are).

    >>> figure_from_spec({"data": [{"type": "bar", "y": [1, 2]}]}).data[0].type
    'bar'
    """
    _check_if_asked(spec)
    return _unchecked_figure(spec)


def memoized_figure(maxsize: int = 32):
    """Decorator: remember the specs of the last ``maxsize`` argument sets of a pure figure
    builder (one returning a spec dict or a ``go.Figure``); see the module's text."""

    def decorate(build):
        cache: OrderedDict = OrderedDict()
        lock = threading.Lock()
        stats = _STATS.setdefault(f"{build.__module__}.{build.__qualname__}",
                                  {"hits": 0, "builds": 0, "kept": 0, "maxsize": maxsize})

        def stored_spec(*args, **kwargs) -> dict:
            try:
                key = (_freeze(args), _freeze(kwargs))
            except TypeError:
                return _as_spec(build(*args, **kwargs))
            with lock:
                stored = cache.get(key)
                if stored is not None:
                    cache.move_to_end(key)
                    stats["hits"] += 1
                    return stored
            stored = _as_spec(build(*args, **kwargs))
            with lock:
                cache[key] = stored
                while len(cache) > maxsize:
                    cache.popitem(last=False)
                stats["builds"] += 1
                stats["kept"] = len(cache)
            return stored

        @functools.wraps(build)
        def wrapper(*args, **kwargs):
            return _unchecked_figure(stored_spec(*args, **kwargs))  # checked when stored

        wrapper.spec = stored_spec
        def cache_clear() -> None:
            with lock:
                cache.clear()
                stats["kept"] = 0

        wrapper.cache_clear = cache_clear
        return wrapper

    return decorate
