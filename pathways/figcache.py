"""Build each distinct figure once per process.

Building a Plotly figure validates every property of every trace: for the convergence diagram
and the head map that is most of a page's run (about 50 ms each, on every interaction of every
user). Both builders are pure functions of their arguments, so :func:`memoized_figure` keeps
the result of recent argument sets and hands each caller a *new* figure made from it without
re-validating (about a quarter of the cost). Callers may change the figure they get; the
stored copy is never shared.

>>> import plotly.graph_objects as go
>>> calls = []
>>> @memoized_figure(maxsize=2)
... def build(n, *, title="t"):
...     calls.append(n)
...     return go.Figure(go.Scatter(x=[0, n]), layout=dict(title=title))
>>> a = build(1); b = build(1)
>>> calls, a is b, a.to_dict() == b.to_dict()
([1], False, True)
>>> a.data[0].x = (5, 6); build(1).data[0].x
(0, 1)
>>> _ = build(2, title="u"); _ = build(3); _ = build(1); calls  # the oldest is dropped
[1, 2, 3, 1]
"""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict

__all__ = ["memoized_figure"]


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


def memoized_figure(maxsize: int = 32):
    """Decorator: remember the last ``maxsize`` figures of a pure figure builder."""

    def decorate(build):
        import plotly.graph_objects as go

        cache: OrderedDict = OrderedDict()
        lock = threading.Lock()

        @functools.wraps(build)
        def wrapper(*args, **kwargs):
            try:
                key = (_freeze(args), _freeze(kwargs))
            except TypeError:
                return build(*args, **kwargs)
            with lock:
                spec = cache.get(key)
                if spec is not None:
                    cache.move_to_end(key)
            if spec is None:
                spec = build(*args, **kwargs).to_dict()  # validated once, here
                with lock:
                    cache[key] = spec
                    while len(cache) > maxsize:
                        cache.popitem(last=False)
            # A new figure from the validated spec: Plotly copies the spec, so the stored one
            # stays untouched; the caller's later changes are validated as usual.
            figure = go.Figure(spec, _validate=False)
            for part in (figure, figure.layout, *figure.data, *figure.frames):
                part._validate = True
            return figure

        wrapper.cache_clear = cache.clear
        return wrapper

    return decorate
