"""The classroom lesson and the self-check quiz: loading, validation, figures and exports.

The lesson (``assets/content/lesson.yaml``) and the quiz (``assets/content/quiz.yaml``) are data
files that an educator can edit without touching code. They are checked against a JSON Schema
and against the atlas (tissue and node ids, reference keys), and a mistake raises one
:class:`LessonError` that names the file, the step or question (by number and id) and the field.

Each step names a real figure builder and its arguments; :func:`step_spec` draws it from the
atlas as a plain spec (:func:`step_figure`: as a ``go.Figure``), so a lesson slide is the same
diagram as the explorer pages, never a screenshot; :func:`projector_spec` enlarges its text.
:func:`slide_figure` adds the caption and the sources for export at slide size (1920×1080), and
:func:`lesson_html` writes the whole lesson as one self-contained HTML file that presents
offline. No Streamlit here.

>>> from pathways import load_atlas
>>> atlas = load_atlas()
>>> lesson = load_lesson()
>>> 8 <= len(lesson.steps) <= 12
True
>>> lesson.steps[0].number, lesson.steps[0].title.get("patient")
(1, 'Pain is made by the brain')
>>> step_figure(atlas, lesson.step("neck-to-head"), "clinician").layout.height > 0
True
>>> 10 <= len(load_quiz().questions) <= 15
True
"""

from __future__ import annotations

import difflib
import functools
import html
import json
import re
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import jsonschema
import plotly.graph_objects as go

from . import diagram, headmap, sensitization
from .atlas import CONTENT_DIR, AtlasError, load_atlas, read_yaml
from .figcache import figure_from_spec
from .guidance import load_guidance
from .schema import AUDIENCES, SIDES

__all__ = [
    "LessonError",
    "Wording",
    "FigureSpec",
    "Step",
    "Lesson",
    "Question",
    "Quiz",
    "FIGURE_KINDS",
    "LESSON_PATH",
    "QUIZ_PATH",
    "SLIDE_SIZE",
    "SLIDE_LAYOUT",
    "SLIDE_SCALE",
    "PROJECTOR_TEXT",
    "load_lesson",
    "load_quiz",
    "step_spec",
    "step_figure",
    "projector_spec",
    "projector_figure",
    "figure_caption",
    "figure_text",
    "citation_text",
    "slide_figure",
    "slide_height",
    "slide_base",
    "step_slide",
    "slide_image",
    "lesson_html",
]

LESSON_PATH = CONTENT_DIR / "lesson.yaml"
QUIZ_PATH = CONTENT_DIR / "quiz.yaml"

#: The figure builders a step can name, and the arguments each accepts.
FIGURE_KINDS = {
    "diagram": ("source", "side", "emphasis"),
    "headmap": ("view", "overlay", "source", "side"),
    "stimulus-response": ("level", "modulation"),
    "windup": ("level", "rate_hz", "modulation"),
}
#: Pixel size of an exported slide image, and the layout size it is drawn at (the figures are
#: designed for about 1000–1200 px; drawing there and scaling up keeps labels apart and large).
SLIDE_SIZE = (1920, 1080)
SLIDE_LAYOUT = (1152, 648)
SLIDE_SCALE = SLIDE_SIZE[0] / SLIDE_LAYOUT[0]
#: How much larger :func:`projector_figure` draws a figure's text for a projector, by figure
#: kind (the diagram's labels sit close together, so it grows least; ``None``: other kinds).
PROJECTOR_TEXT = {"diagram": 1.25, "headmap": 1.6, None: 1.35}
#: The emphasis halo on the diagram (Okabe–Ito yellow, with a dark ring as the second cue).
EMPHASIS_FILL = "rgba(240,228,66,0.55)"
EMPHASIS_RING = "#7A6A00"


class LessonError(AtlasError):
    """A malformed lesson or quiz file. The message names the file, the step or question (by
    number and id) and the field, and says what is expected.

    >>> str(LessonError("lesson.yaml", "step 3 (meeting-point)", "figure.view", "'top' is not valid", "one of: front, left, right, back"))
    "lesson.yaml: entry 'step 3 (meeting-point)': field 'figure.view': 'top' is not valid. Expected one of: front, left, right, back."
    """


# ----------------------------------------------------------------------------- data classes


@dataclass(frozen=True)
class Wording:
    """Text in patient and clinician wording; educators read the clinician wording."""

    patient: str
    clinician: str

    def get(self, audience: str) -> str:
        """The wording for ``audience`` ('patient', 'clinician' or 'educator').

        >>> Wording("Pain", "Nociception").get("educator")
        'Nociception'
        """
        if audience not in AUDIENCES:
            raise ValueError(f"unknown audience {audience!r}; expected one of {AUDIENCES}")
        return self.patient if audience == "patient" else self.clinician


@dataclass(frozen=True)
class FigureSpec:
    """Which figure builder a step uses, and its arguments (defaults where not given)."""

    kind: str
    source: str | None = None
    side: str = "right"
    emphasis: tuple[str, ...] = ()
    view: str = "front"
    overlay: str | None = None
    level: float = 0.6
    modulation: float = 0.0
    rate_hz: float = 0.33


@dataclass(frozen=True)
class Step:
    """One lesson step. ``number`` counts from 1, as in the page's ``step`` URL parameter."""

    number: int
    id: str
    title: Wording
    body: Wording
    figure: FigureSpec | None
    notes: str
    citations: tuple[str, ...]


@dataclass(frozen=True)
class Lesson:
    title: Wording
    steps: tuple[Step, ...]

    def step(self, step_id: str) -> Step:
        """The step with id ``step_id``."""
        for s in self.steps:
            if s.id == step_id:
                return s
        raise KeyError(step_id)

    def number(self, step_id: str) -> int:
        """The 1-based number of the step with id ``step_id``."""
        return self.step(step_id).number


@dataclass(frozen=True)
class Question:
    """One quiz question. ``answer`` counts from 1 as in the file; see :attr:`correct_index`."""

    number: int
    id: str
    topic: str
    question: str
    options: tuple[str, ...]
    answer: int
    explanation: str
    citations: tuple[str, ...]
    lesson_step: str | None = None

    @property
    def correct_index(self) -> int:
        """The 0-based index of the correct option."""
        return self.answer - 1

    @property
    def correct_option(self) -> str:
        return self.options[self.answer - 1]


@dataclass(frozen=True)
class Quiz:
    title: str
    questions: tuple[Question, ...]


# ----------------------------------------------------------------------------- schemas

_ID = {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$",
       "description": "a stable kebab-case id such as 'meeting-point'"}
_TEXT = {"type": "string", "minLength": 1, "description": "non-empty text"}
_WORDING = {
    "type": "object", "required": ["patient", "clinician"], "additionalProperties": False,
    "properties": {"patient": {**_TEXT, "description": "text in plain words"},
                   "clinician": {**_TEXT, "description": "text in clinical terms"}},
    "description": "an object with 'patient' and 'clinician' wording",
}
_CITATIONS = {"type": "array", "minItems": 1, "uniqueItems": True,
              "items": {"type": "string", "minLength": 1},
              "description": "a list of one or more reference keys from assets/atlas/references.yaml"}
_FIGURE = {
    "type": "object", "required": ["kind"], "additionalProperties": False,
    "description": "an object with 'kind' and that kind's arguments",
    "properties": {
        "kind": {"enum": list(FIGURE_KINDS), "description": "one of: " + ", ".join(FIGURE_KINDS)},
        "source": {**_ID, "description": "a tissue id from assets/atlas/nodes.yaml"},
        "side": {"enum": list(SIDES), "description": "'left' or 'right'"},
        "emphasis": {"type": "array", "minItems": 1, "items": _ID,
                     "description": "a list of node ids drawn in the diagram"},
        "view": {"enum": list(headmap.VIEWS), "description": "one of: " + ", ".join(headmap.VIEWS)},
        "overlay": {"enum": list(headmap.OVERLAY_GROUPS),
                    "description": "one of: " + ", ".join(headmap.OVERLAY_GROUPS)},
        "level": {"type": "number", "minimum": 0, "maximum": 1,
                  "description": "a sensitisation level from 0 to 1"},
        "modulation": {"type": "number", "minimum": -1, "maximum": 1,
                       "description": "a descending-modulation setting from -1 to 1"},
        "rate_hz": {"type": "number", "minimum": 0.05, "maximum": 2,
                    "description": "a stimulus rate in Hz from 0.05 to 2"},
    },
}
_STEP = {
    "type": "object", "required": ["id", "title", "body", "notes", "citations"],
    "additionalProperties": False,
    "properties": {"id": _ID, "title": _WORDING, "body": _WORDING, "figure": _FIGURE,
                   "notes": {**_TEXT, "description": "speaker notes for the educator"},
                   "citations": _CITATIONS},
}
LESSON_SCHEMA = {
    "type": "object", "required": ["title", "steps"], "additionalProperties": False,
    "description": "a mapping with 'title' and 'steps'",
    "properties": {"title": _WORDING,
                   "steps": {"type": "array", "minItems": 1, "maxItems": 30, "items": _STEP,
                             "description": "a list of 1 to 30 steps"}},
}
_QUESTION = {
    "type": "object",
    "required": ["id", "topic", "question", "options", "answer", "explanation", "citations"],
    "additionalProperties": False,
    "properties": {
        "id": _ID, "topic": _TEXT, "question": _TEXT,
        "options": {"type": "array", "minItems": 2, "maxItems": 6, "uniqueItems": True,
                    "items": _TEXT, "description": "a list of 2 to 6 different answers"},
        "answer": {"type": "integer", "minimum": 1,
                   "description": "the number of the correct option, counting from 1"},
        "explanation": _TEXT, "citations": _CITATIONS,
        "lesson_step": {**_ID, "description": "the id of a step in lesson.yaml"},
    },
}
QUIZ_SCHEMA = {
    "type": "object", "required": ["title", "questions"], "additionalProperties": False,
    "description": "a mapping with 'title' and 'questions'",
    "properties": {"title": _TEXT,
                   "questions": {"type": "array", "minItems": 1, "maxItems": 40,
                                 "items": _QUESTION, "description": "a list of questions"}},
}


# ----------------------------------------------------------------------------- loading


def _entry(data, container: str, index: int, noun: str) -> str:
    """'step 3 (meeting-point)': the entry's number (from 1) and, where it has one, its id."""
    try:
        item = data[container][index]
        ident = item.get("id") if isinstance(item, dict) else None
    except (KeyError, IndexError, TypeError):
        ident = None
    return f"{noun} {index + 1}" + (f" ({ident})" if isinstance(ident, str) and ident else "")


def _check_schema(name: str, data, schema: dict, container: str, noun: str) -> None:
    validator = jsonschema.Draft202012Validator(schema)
    error = jsonschema.exceptions.best_match(validator.iter_errors(data))
    if error is None:
        return
    path = list(error.absolute_path)
    entry = "(file)"
    if len(path) >= 2 and path[0] == container and isinstance(path[1], int):
        entry = _entry(data, container, path[1], noun)
        path = path[2:]
    field = ".".join(str(p) for p in path) or ("(entry)" if entry != "(file)" else "(top level)")
    schema_here = error.schema if isinstance(error.schema, dict) else {}
    expected = schema_here.get("description", "")
    problem = error.message
    if error.validator == "required":
        missing = error.message.split("'")[1]
        field = ".".join(str(p) for p in [*path, missing])
        problem = "is missing"
        expected = schema_here.get("properties", {}).get(missing, {}).get("description", expected)
    elif error.validator == "additionalProperties":
        extra = sorted(set(error.instance) - set(schema_here.get("properties", {})))
        field = ".".join(str(p) for p in [*path, extra[0]]) if extra else field
        problem = "is not a known field"
        expected = "only these fields: " + ", ".join(schema_here.get("properties", {}))
    elif error.validator in ("enum", "pattern", "type", "minItems", "maxItems", "minLength",
                             "uniqueItems", "minimum", "maximum"):
        problem = f"{error.instance!r} is not valid"
        if error.validator in ("minItems", "maxItems", "uniqueItems"):
            problem = f"has {len(error.instance)} items" if error.validator != "uniqueItems" \
                else "has an item more than once"
        if not expected and error.validator == "enum":
            expected = "one of: " + ", ".join(map(str, error.validator_value))
        if error.validator == "type" and not expected:
            expected = f"a {error.validator_value}"
    raise LessonError(name, entry, field, problem, expected)


def _unknown(what: str, value: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(value, list(choices), n=3, cutoff=0.5)
    return f"unknown {what} {value!r}" + (f" (did you mean {', '.join(close)}?)" if close else "")


def _check_citations(name: str, entry: str, keys: Sequence[str], atlas) -> None:
    for key in keys:
        if key not in atlas.references:
            raise LessonError(name, entry, "citations", _unknown("reference key", key, atlas.references),
                              "a key from assets/atlas/references.yaml")


def _check_ids(name: str, items: list, noun: str) -> None:
    seen: set[str] = set()
    for i, item in enumerate(items):
        if item["id"] in seen:
            raise LessonError(name, f"{noun} {i + 1} ({item['id']})", "id",
                              f"duplicate id {item['id']!r}", f"each {noun} id only once")
        seen.add(item["id"])


def _figure_spec(name: str, entry: str, raw: dict, atlas) -> FigureSpec:
    kind = raw["kind"]
    for field in raw:
        if field != "kind" and field not in FIGURE_KINDS[kind]:
            raise LessonError(name, entry, f"figure.{field}", f"is not used by a {kind!r} figure",
                              f"only these fields for {kind!r}: kind, " + ", ".join(FIGURE_KINDS[kind]))
    source = raw.get("source")
    if source is not None and source not in atlas.ids("tissue"):
        raise LessonError(name, entry, "figure.source", _unknown("tissue id", source, atlas.ids("tissue")),
                          "a tissue id from assets/atlas/nodes.yaml, such as 'c2-c3-facet-joint'")
    drawn = diagram.drawn_nodes(atlas)
    for node in raw.get("emphasis", ()):
        if node not in drawn:
            raise LessonError(name, entry, "figure.emphasis", _unknown("node id", node, drawn),
                              "ids of nodes drawn in the diagram (assets/atlas/nodes.yaml)")
    values = {k: v for k, v in raw.items() if k != "emphasis"}
    if "emphasis" in raw:
        values["emphasis"] = tuple(raw["emphasis"])
    for number in ("level", "modulation", "rate_hz"):
        if number in values:
            values[number] = float(values[number])
    return FigureSpec(**values)


def _parse_lesson(path: Path, atlas) -> Lesson:
    name = path.name
    data = read_yaml(path, LessonError)
    _check_schema(name, data, LESSON_SCHEMA, "steps", "step")
    _check_ids(name, data["steps"], "step")
    steps = []
    for i, raw in enumerate(data["steps"]):
        entry = _entry(data, "steps", i, "step")
        _check_citations(name, entry, raw["citations"], atlas)
        figure = _figure_spec(name, entry, raw["figure"], atlas) if "figure" in raw else None
        steps.append(Step(number=i + 1, id=raw["id"], title=Wording(**raw["title"]),
                          body=Wording(**raw["body"]), figure=figure, notes=raw["notes"].strip(),
                          citations=tuple(raw["citations"])))
    return Lesson(title=Wording(**data["title"]), steps=tuple(steps))


def _parse_quiz(path: Path, atlas, lesson: Lesson | None) -> Quiz:
    name = path.name
    data = read_yaml(path, LessonError)
    _check_schema(name, data, QUIZ_SCHEMA, "questions", "question")
    _check_ids(name, data["questions"], "question")
    questions = []
    step_ids = [s.id for s in lesson.steps] if lesson else None
    for i, raw in enumerate(data["questions"]):
        entry = _entry(data, "questions", i, "question")
        if raw["answer"] > len(raw["options"]):
            raise LessonError(name, entry, "answer",
                              f"{raw['answer']} is not valid: there are {len(raw['options'])} options",
                              f"the number of the correct option, from 1 to {len(raw['options'])}")
        _check_citations(name, entry, raw["citations"], atlas)
        if step_ids is not None and raw.get("lesson_step") not in (None, *step_ids):
            raise LessonError(name, entry, "lesson_step",
                              _unknown("lesson step", raw["lesson_step"], step_ids),
                              "the id of a step in lesson.yaml")
        questions.append(Question(
            number=i + 1, id=raw["id"], topic=raw["topic"].strip(), question=raw["question"].strip(),
            options=tuple(o.strip() for o in raw["options"]), answer=raw["answer"],
            explanation=raw["explanation"].strip(), citations=tuple(raw["citations"]),
            lesson_step=raw.get("lesson_step")))
    return Quiz(title=data["title"], questions=tuple(questions))


@functools.lru_cache(maxsize=1)
def _bundled_lesson() -> Lesson:
    return _parse_lesson(LESSON_PATH, load_atlas())


@functools.lru_cache(maxsize=1)
def _bundled_quiz() -> Quiz:
    return _parse_quiz(QUIZ_PATH, load_atlas(), _bundled_lesson())


def load_lesson(path: str | Path | None = None, atlas=None) -> Lesson:
    """Load and check a lesson file (default: the bundled one, loaded once per process).

    Raises :class:`LessonError` naming the file, the step (number and id) and the field.
    """
    if path is None and atlas is None:
        return _bundled_lesson()
    return _parse_lesson(Path(path) if path else LESSON_PATH, atlas or load_atlas())


def load_quiz(path: str | Path | None = None, atlas=None, lesson: Lesson | None = None) -> Quiz:
    """Load and check a quiz file (default: the bundled one, loaded once per process).

    ``lesson`` (default: the bundled lesson) checks each question's ``lesson_step``.
    """
    if path is None and atlas is None and lesson is None:
        return _bundled_quiz()
    return _parse_quiz(Path(path) if path else QUIZ_PATH, atlas or load_atlas(),
                       lesson if lesson is not None else load_lesson())


# ----------------------------------------------------------------------------- figures
#
# The figures are changed as plain specs (dicts in the shape of ``Figure.to_dict()``): Plotly
# checks every property of a ``go.Figure`` it touches, tens of milliseconds per slide. The
# builders' stored specs are shared (see :mod:`pathways.figcache`), so everything here copies
# before it changes anything.


def _copy(value):
    """A deep copy of plain JSON-like data (tuples become lists); a few times faster than
    ``copy.deepcopy`` on a figure spec.

    >>> spec = {"data": [{"x": (1, 2)}]}
    >>> copied = _copy(spec); copied["data"][0]["x"].append(3); spec, copied
    ({'data': [{'x': (1, 2)}]}, {'data': [{'x': [1, 2, 3]}]})
    """
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_copy(v) for v in value]
    return value


def _states(atlas, source: str | None, side: str) -> dict:
    states: dict = {}
    for r in atlas.referral(source, side) if source else ():
        states.setdefault((r.region, r.side), r.strength)  # typical wins over possible
    return states


def _overlay_labels(atlas, audience: str) -> dict:
    return {o: atlas.name(o, audience, short=True) for o in headmap.OVERLAY_IDS if o in atlas.nodes}


def _wrap(text: str, width: int) -> str:
    return "<br>".join(textwrap.wrap(text, width)) or text


def _is_invitation(annotation: dict) -> bool:
    """The diagram's "tap a square" invitation (top left, italic, unframed): not for a slide,
    where nothing can be tapped."""
    return (annotation.get("xref") == "paper" and annotation.get("yref") == "paper"
            and annotation.get("x") == 0 and annotation.get("bordercolor") is None
            and not annotation.get("showarrow")
            and (annotation.get("text") or "").startswith("<i>"))


def _emphasise(spec: dict, atlas, nodes: Sequence[str], audience: str, compact: bool,
               place: dict) -> None:
    """Add to ``spec`` a highlighter halo (yellow, with a dark ring) behind ``nodes``, and a
    "Look at" key at ``place`` (where the diagram's invitation was)."""
    pos = diagram.node_positions(atlas, compact)
    big = {"nucleus": 96, "spinal-root": 66, "trigeminal-division": 66, "modulatory-centre": 46}
    halo = {
        "type": "scatter", "x": [pos[n][0] for n in nodes], "y": [pos[n][1] for n in nodes],
        "mode": "markers", "name": "emphasis", "hoverinfo": "skip", "showlegend": False,
        "cliponaxis": False,
        "marker": {"size": [big.get(atlas.nodes[n].kind, 56) for n in nodes],
                   "color": EMPHASIS_FILL, "line": {"color": EMPHASIS_RING, "width": 2.5},
                   "symbol": "circle"}}
    spec["data"].insert(0, halo)  # drawn first, so it sits behind the nodes
    for frame in spec.get("frames", ()):
        if "traces" in frame:  # the animated traces moved up by one
            frame["traces"] = [t + 1 for t in frame["traces"]]
    names = ", ".join(atlas.name(n, audience, short=True) for n in nodes)
    spec["layout"].setdefault("annotations", []).append({
        "xref": "paper", "yref": "paper", "x": 0.0, "xanchor": "left", "showarrow": False, **place,
        "align": "left",
        "text": _wrap(("Look at: " if audience == "patient" else "Highlighted: ") + names,
                      40 if compact else 60),
        "font": {"size": 15, "color": "#1A1A1A"}, "bgcolor": EMPHASIS_FILL,
        "bordercolor": EMPHASIS_RING, "borderwidth": 1.5, "borderpad": 5})


def _diagram_spec(atlas, figure: FigureSpec, audience: str, compact: bool, animate: bool,
                  height: int | None) -> dict:
    want = height or (900 if compact else 640)

    def draw(h: int) -> dict:
        return diagram.build_diagram.spec(atlas, audience=audience, source=figure.source,
                                          side=figure.side, height=h, compact=compact,
                                          animate=animate)

    stored = draw(want)
    drawn = stored["layout"].get("height")
    if drawn and drawn != want:  # its bands come on top: ask for less
        stored = draw(max(200, 2 * want - drawn))
    spec = _copy(stored)
    place = {"y": 1.0, "yanchor": "top"}
    if not figure.source:
        annotations = spec["layout"].get("annotations", [])
        hints = [a for a in annotations if _is_invitation(a)]
        if hints:
            place = {"y": hints[0].get("y"), "yanchor": hints[0].get("yanchor") or "top"}
        spec["layout"]["annotations"] = [a for a in annotations if not _is_invitation(a)]
    if figure.emphasis:
        _emphasise(spec, atlas, figure.emphasis, audience, compact, place)
    return spec


def _strength_key(atlas, figure: FigureSpec, audience: str, states: dict) -> dict | None:
    """A key to the strengths the head map shows (fill and marker shape, not colour alone), or
    ``None`` when none of them is in view."""
    words = load_guidance().strength_word
    key = ([f"Solid, round marker: {words('typical', 'patient')}",
            f"Striped, diamond marker: {words('possible', 'patient')}"]
           if audience == "patient" else
           ["Solid, round marker: typical", "Hatched, diamond marker: possible"])
    visible = set(headmap.regions_in_view(figure.view))
    present = {v for k, v in states.items() if k in visible}
    lines = [k for k, strength in zip(key, ("typical", "possible")) if strength in present]
    if not lines:
        return None
    return {"xref": "paper", "yref": "paper", "x": 0, "y": 0, "xanchor": "left",
            "yanchor": "bottom", "showarrow": False, "align": "left", "text": "<br>".join(lines),
            "font": {"size": 14, "color": "#1A1A1A"}, "bgcolor": "rgba(255,255,255,0.9)",
            "bordercolor": "#8F827A", "borderwidth": 1, "borderpad": 5}


def _headmap_spec(atlas, figure: FigureSpec, audience: str, height: int | None) -> dict:
    regions = atlas.ids("body-region")
    states = _states(atlas, figure.source, figure.side)
    spec = _copy(headmap.build_head_map.spec(
        figure.view, states=states, overlay=figure.overlay,
        region_labels={r: atlas.name(r, audience, short=True) for r in regions},
        overlay_labels=_overlay_labels(atlas, audience), height=height or 560))
    key = _strength_key(atlas, figure, audience, states) if states else None
    if key:
        spec["layout"].setdefault("annotations", []).append(key)
    return spec


def _sensitisation_spec(figure: FigureSpec, audience: str, height: int | None) -> dict:
    if figure.kind == "stimulus-response":
        stored = sensitization.stimulus_response_figure.spec(figure.level, figure.modulation,
                                                             audience)
    else:
        stored = sensitization.windup_figure.spec(figure.level, figure.modulation,
                                                  figure.rate_hz, audience)
    spec = _copy(stored)
    if height:
        spec.setdefault("layout", {})["height"] = height
    return spec


def step_spec(atlas, step: Step, audience: str, *, compact: bool = False, animate: bool = True,
              height: int | None = None) -> dict | None:
    """The step's figure as a new plain spec (``Figure.to_dict()`` shape) that the caller owns:
    drawn by the real builder, with the step's part highlighted (``None`` for a text-only step),
    ``height`` pixels tall in all. ``animate`` keeps the diagram's Play button (a browser-side
    animation).

    >>> spec = step_spec(load_atlas(), load_lesson().step("meeting-point"), "patient", height=600)
    >>> spec["data"][0]["name"], spec["layout"]["height"]
    ('emphasis', 600)
    """
    figure = step.figure
    if figure is None:
        return None
    if figure.kind == "diagram":
        return _diagram_spec(atlas, figure, audience, compact, animate, height)
    if figure.kind == "headmap":
        return _headmap_spec(atlas, figure, audience, height)
    return _sensitisation_spec(figure, audience, height)


def step_figure(atlas, step: Step, audience: str, *, compact: bool = False, animate: bool = True,
                height: int | None = None) -> go.Figure | None:
    """:func:`step_spec` as a ``go.Figure`` (``None`` for a text-only step).

    >>> fig = step_figure(load_atlas(), load_lesson().step("meeting-point"), "patient")
    >>> [t.name for t in fig.data][0]
    'emphasis'
    """
    spec = step_spec(atlas, step, audience, compact=compact, animate=animate, height=height)
    return None if spec is None else figure_from_spec(spec)


def _scaled(size, factor: float):
    """A font size, or a list of them, times ``factor`` (to 0.1 px)."""
    if isinstance(size, (list, tuple)):
        return [round(s * factor, 1) for s in size]
    return round(size * factor, 1)


def _font(item: dict) -> dict:
    """``item``'s font dict, added if it has none."""
    if not isinstance(item.get("font"), dict):
        item["font"] = {}
    return item["font"]


def _enlarge(font: dict | None, factor: float) -> None:
    """Scale ``font``'s size where it has one (a font without one follows the layout's font,
    which is enlarged already)."""
    if font and font.get("size"):
        font["size"] = _scaled(font["size"], factor)


def _enlarge_or_set(item: dict, factor: float, default: float) -> None:
    """Scale ``item``'s font size, taking ``default`` where it has none: annotations and
    buttons keep their size relative to the layout's font."""
    font = _font(item)
    font["size"] = round((font.get("size") or default) * factor, 1)


def _axis_title(axis: dict) -> dict | None:
    title = axis.get("title")
    return title if isinstance(title, dict) else None  # a bare string has no font of its own


def projector_spec(spec: dict, factor: float = 1.35) -> dict:
    """A copy of ``spec`` with every text larger by ``factor``, for a projector at the back of a
    room. Marker sizes are kept (the layout is unchanged); ``spec`` is left alone.

    >>> spec = {"layout": {"font": {"size": 10}, "annotations": [{"text": "a"}]}}
    >>> big = projector_spec(spec, 1.5)
    >>> big["layout"]["font"]["size"], big["layout"]["annotations"][0]["font"]["size"]
    (15.0, 15.0)
    >>> spec["layout"]["annotations"][0]
    {'text': 'a'}
    """
    out = _copy(spec)
    layout = out.setdefault("layout", {})
    font = _font(layout)
    base = font.get("size") or 12  # Plotly's default
    font["size"] = round(base * factor, 1)
    for annotation in layout.get("annotations") or ():
        _enlarge_or_set(annotation, factor, base)
    if isinstance(layout.get("title"), str):
        layout["title"] = {"text": layout["title"]}
    if (layout.get("title") or {}).get("text"):
        _enlarge_or_set(layout["title"], factor, base * 1.2)
    legend = layout.get("legend") or {}
    _enlarge(legend.get("font"), factor)
    margin = layout.get("margin") or {}
    if legend.get("y") is not None and legend["y"] < 0 and margin.get("b"):
        # a key below the plot moves down, clear of the larger axis text
        margin["b"] = round(margin["b"] * factor)
        legend["y"] = round(legend["y"] * factor * 1.1, 3)
    for name in ("xaxis", "yaxis"):
        axis = layout.get(name) or {}
        _enlarge((_axis_title(axis) or {}).get("font"), factor)
        _enlarge(axis.get("tickfont"), factor)
    for trace in out.get("data") or ():
        _enlarge(trace.get("textfont"), factor)
    for menu in layout.get("updatemenus") or ():
        _enlarge_or_set(menu, factor, base)
    for frame in out.get("frames") or ():
        for trace in frame.get("data") or ():
            _enlarge(trace.get("textfont"), factor)
    return out


def projector_figure(fig: go.Figure, factor: float = 1.35) -> go.Figure:
    """:func:`projector_spec` for a ``go.Figure``: a copy of ``fig`` with every text larger by
    ``factor``.

    >>> f = go.Figure(layout=dict(font=dict(size=10)))
    >>> projector_figure(f, 1.5).layout.font.size
    15.0
    """
    return figure_from_spec(projector_spec(fig.to_dict(), factor))


def figure_caption(atlas, step: Step, audience: str) -> str:
    """A one-sentence caption for the step's figure, in the audience's words.

    >>> figure_caption(load_atlas(), load_lesson().step("neck-to-head"), "patient")
    'From a neck joint to the head. The signal route from the small joint between the 2nd and 3rd neck bones (left side) to the brain.'
    """
    title = step.title.get(audience).rstrip(".")
    spec = step.figure
    patient = audience == "patient"
    if spec is None:
        return f"{title}."
    if spec.kind == "diagram":
        if spec.source:
            what = (f"The signal route from the {_lower(atlas.name(spec.source, audience))} "
                    f"({spec.side} side) to the brain" if patient else
                    f"Convergence pathway from the {atlas.name(spec.source, audience)} ({spec.side})")
        else:
            what = ("The pain pathways of the upper neck and the face nerve" if patient else
                    "Convergence of C1–C3 and trigeminal afferents, and the ascending projection")
    elif spec.kind == "headmap":
        view = {"front": "front", "back": "back", "left": "left side", "right": "right side"}[spec.view]
        what = (f"Head map, {view} view" if patient else f"Head map ({view} view)")
        if spec.source:
            what += (f": where pain from the {_lower(atlas.name(spec.source, audience))} "
                     f"({spec.side} side) may be felt" if patient else
                     f": referral from the {atlas.name(spec.source, audience)} ({spec.side})")
        if spec.overlay:
            layer = {"trigeminal": ("face nerve areas V1, V2 and V3", "trigeminal territories V1–V3"),
                     "cervical-nerves": ("neck nerve areas", "cervical nerve territories"),
                     "dermatomes": ("C2 and C3 skin areas", "C2 and C3 dermatomes")}[spec.overlay]
            what += ("; layer: " if patient else "; overlay: ") + layer[0 if patient else 1]
    elif spec.kind == "stimulus-response":
        what = ("How much the same touch hurts, usually and when sensitised" if patient else
                f"Model WDR neuron at sensitisation s\u00a0=\u00a0{spec.level:.2f}, against baseline")
        what += f" ({sensitization.ILLUSTRATIVE_NOTE.rstrip('.').lower()})"
    else:
        what = ("How repeated taps can add up" if patient else
                f"Ratings along a train of identical stimuli at {spec.rate_hz:.2f}\u00a0Hz and "
                f"{sensitization.COMPARISON_RATE_HZ:.2f}\u00a0Hz, s\u00a0=\u00a0{spec.level:.2f}")
        what += f" ({sensitization.ILLUSTRATIVE_NOTE.rstrip('.').lower()})"
    caption = f"{title}. {what}."
    warning = load_guidance().warning(spec.source) if spec.source else None
    if warning is not None:  # the warning travels with the image
        caption += " " + warning.text("patient" if patient else "clinician")
    return caption


def _lower(name: str) -> str:
    return name[:1].lower() + name[1:] if name[1:2].islower() else name


def figure_text(atlas, step: Step, audience: str) -> str:
    """The step's figure in words (Markdown), from the builders' text equivalents."""
    spec = step.figure
    if spec is None:
        return ""
    if spec.kind == "diagram":
        text = diagram.text_equivalent(atlas, audience, spec.source, spec.side)
        if spec.emphasis:
            text = (("Look at: " if audience == "patient" else "Highlighted: ")
                    + ", ".join(atlas.name(n, audience) for n in spec.emphasis) + ".\n\n" + text)
        return text
    if spec.kind == "headmap":
        labels = {r: atlas.name(r, audience) for r in atlas.ids("body-region")}
        return headmap.text_equivalent(spec.view, _states(atlas, spec.source, spec.side), labels,
                                       spec.overlay, _overlay_labels(atlas, audience))
    if spec.kind == "stimulus-response":
        return sensitization.text_equivalent_stimulus_response(spec.level, spec.modulation, audience)
    return sensitization.text_equivalent_windup(spec.level, spec.modulation, spec.rate_hz, audience)


def citation_text(atlas, keys: Iterable[str]) -> str:
    """Short in-text sources for a slide, e.g. ``Sources: Lord et al. 1994; Bogduk 1992.``

    >>> citation_text(load_atlas(), ["bogduk1992"])
    'Source: Bogduk 1992.'
    """
    keys = list(dict.fromkeys(keys))
    if not keys:
        return ""
    refs = atlas.references
    return ("Sources: " if len(keys) > 1 else "Source: ") + "; ".join(refs[k].short for k in keys) + "."


def _slide_bands(caption: str, citation_text: str) -> tuple[str, str, int, int]:
    """The wrapped caption and sources, and the pixel heights of the bands they need."""
    title = _wrap(html.escape(caption, quote=False), 92)
    cite = _wrap(html.escape(citation_text, quote=False), 150) if citation_text else ""
    caption_px = 14 + 27 * (title.count("<br>") + 1)
    cite_px = 8 + 18 * (cite.count("<br>") + 1) if cite else 0
    return title, cite, caption_px, cite_px


def slide_figure(fig: go.Figure, caption: str, citation_text: str) -> go.Figure:
    """A copy of ``fig`` for a slide, :data:`SLIDE_LAYOUT` wide, with the caption in a band
    above and the sources in a band below. The figure's own drawing area keeps its size (its
    labels are placed for it), so the copy is taller by the two bands; draw the figure with
    :func:`slide_height` to get exactly 16:9. The figure's own title gives way to the caption,
    and browser-only parts (the Play button and its frames) are left out.

    >>> f = slide_figure(go.Figure(layout=dict(height=500)), "A caption.", "Source: Bogduk 1992.")
    >>> [a.text for a in f.layout.annotations], f.layout.width, f.layout.height
    (['A caption.', 'Source: Bogduk 1992.'], 1152, 567)
    """
    out = go.Figure(fig)
    out.frames = []
    out.layout.updatemenus = []
    if out.layout.title and out.layout.title.text:
        out.layout.title.text = None
    title, cite, caption_px, cite_px = _slide_bands(caption, citation_text)
    margin = out.layout.margin
    left = 10 if margin.l is None else margin.l
    top = 100 if margin.t is None else margin.t  # Plotly's defaults
    bottom = 80 if margin.b is None else margin.b
    out.update_layout(
        width=SLIDE_LAYOUT[0], height=(out.layout.height or 450) + caption_px + cite_px,
        autosize=False,
        margin=dict(l=left, r=10 if margin.r is None else margin.r, t=top + caption_px,
                    b=bottom + cite_px))
    out.add_annotation(
        name="caption", text=title, xref="paper", yref="paper", x=0, xanchor="left",
        xshift=10 - left, y=1, yanchor="bottom", yshift=top + 4, showarrow=False, align="left",
        font=dict(size=22, color="#1A1A1A"))
    if cite:
        out.add_annotation(
            name="sources", text=cite, xref="paper", yref="paper", x=0, xanchor="left",
            xshift=10 - left, y=0, yanchor="top", yshift=-(bottom + 4), showarrow=False,
            align="left", font=dict(size=13, color="#333333"))
    return out


def slide_height(caption: str, citation_text: str) -> int:
    """The height to draw a figure at so that :func:`slide_figure` makes it exactly 16:9.

    >>> slide_height("A caption.", "Source: Bogduk 1992.")
    581
    """
    _, _, caption_px, cite_px = _slide_bands(caption, citation_text)
    return SLIDE_LAYOUT[1] - caption_px - cite_px


def slide_base(atlas, step: Step, audience: str) -> go.Figure | None:
    """The step's figure (no Play button) drawn at the height that :func:`slide_figure`, with the
    step's caption and sources, turns into exactly :data:`SLIDE_LAYOUT` (16:9)."""
    target = slide_height(figure_caption(atlas, step, audience),
                          citation_text(atlas, step.citations))
    return step_figure(atlas, step, audience, animate=False, height=target)


def step_slide(atlas, step: Step, audience: str) -> go.Figure | None:
    """The step's figure as a 16:9 slide with its caption and sources (``None`` without one)."""
    fig = slide_base(atlas, step, audience)
    return None if fig is None else slide_figure(fig, figure_caption(atlas, step, audience),
                                                 citation_text(atlas, step.citations))


def slide_image(fig: go.Figure, fmt: str = "png") -> bytes:
    """A slide figure (see :func:`slide_figure`) as SVG or PNG bytes; the PNG is 1920 pixels
    wide (1920×1080 for a :func:`step_slide`). Takes seconds (Kaleido); raises
    :class:`pathways.export.ExportUnavailable` when no browser can render it."""
    from .export import figure_image

    return figure_image(fig, fmt, width=fig.layout.width or SLIDE_LAYOUT[0],
                        height=fig.layout.height or SLIDE_LAYOUT[1], scale=SLIDE_SCALE)


# ----------------------------------------------------------------------------- HTML export


def _inline_markdown(text: str) -> str:
    text = html.escape(text, quote=False)
    text = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", text)
    return re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"<em>\1</em>", text)


def _markdown_html(text: str) -> str:
    """The small Markdown subset the text equivalents and notes use: paragraphs, nested '- '
    lists (two spaces per level), **bold** and *italic*. Everything is escaped first.

    >>> _markdown_html("**A** <b>\\n\\n- x\\n  - y")
    '<p><strong>A</strong> &lt;b&gt;</p><ul><li>x<ul><li>y</li></ul></li></ul>'
    """
    out: list[str] = []
    depth = -1
    para: list[str] = []

    def flush() -> None:
        if para:
            out.append("<p>" + _inline_markdown(" ".join(para)) + "</p>")
            para.clear()

    for line in text.splitlines():
        item = re.match(r"^( *)- (.*)$", line)
        if item:
            flush()
            level = len(item.group(1)) // 2
            if level > depth:
                out.extend(["<ul>"] * (level - depth))
            else:
                out.append("</li>")
                for _ in range(depth - level):
                    out.append("</ul></li>")
            depth = level
            out.append("<li>" + _inline_markdown(item.group(2)))
            continue
        if depth >= 0 and line.strip():
            out.append(" " + _inline_markdown(line.strip()))  # a continued list item
            continue
        if depth >= 0:
            out.append("</li>" + "</ul></li>" * depth + "</ul>")
            depth = -1
        if line.strip():
            para.append(line.strip())
        else:
            flush()
    if depth >= 0:
        out.append("</li>" + "</ul></li>" * depth + "</ul>")
    flush()
    return "".join(out)


def _figure_json(spec: dict) -> str:
    """A spec's figure JSON (with Plotly's default template, as a ``go.Figure`` has) that is
    safe inside a <script type="application/json"> element."""
    import plotly.io as pio

    spec = json.loads(pio.to_json(figure_from_spec(spec), validate=False))
    layout = spec.setdefault("layout", {})
    layout.pop("height", None)  # the page sizes the figure (CSS); plotly fills its box
    layout.pop("width", None)
    layout["autosize"] = True
    text = json.dumps(spec, separators=(",", ":"), ensure_ascii=False)
    return (text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


_HTML_STYLE = """
:root { color-scheme: light; --ink: #1a1a1a; --accent: #0072B2; }
* { box-sizing: border-box; }
html, body { margin: 0; background: #fff; color: var(--ink);
  font-family: "Source Sans Pro", "Segoe UI", "Helvetica Neue", Arial, sans-serif; }
header { display: flex; align-items: center; gap: 1rem; padding: .6rem 2vw;
  border-bottom: 2px solid #e6e6e6; position: sticky; top: 0; background: #fff; z-index: 2; }
header .lesson-title { font-weight: 600; font-size: clamp(1rem, 1.3vw, 1.6rem); flex: 1; }
header button { font: inherit; font-size: clamp(1rem, 1.4vw, 1.7rem); padding: .35em 1.1em;
  border: 2px solid var(--accent); background: #fff; color: var(--accent); border-radius: .4em;
  cursor: pointer; }
header button:focus-visible { outline: 4px solid #E69F00; outline-offset: 2px; }
header button:disabled { opacity: .35; cursor: default; }
#indicator { font-size: clamp(1rem, 1.4vw, 1.7rem); min-width: 8em; text-align: center; }
main { padding: 1.2vh 3vw 3vh; }
section.step { margin-bottom: 4rem; }
html.js section.step[hidden] { display: none; }
.counter { color: #555; font-size: clamp(1rem, 1.5vw, 1.8rem); margin: 0; }
h1 { font-size: clamp(1.8rem, 3.3vw, 4rem); line-height: 1.1; margin: .2em 0 .25em; }
.body { font-size: clamp(1.15rem, 1.9vw, 2.3rem); line-height: 1.35; max-width: 70em; margin: 0 0 .6em; }
.slide-grid { display: grid; grid-template-columns: 1fr; gap: 1.5vw; }
.slide-grid.side { grid-template-columns: minmax(0, 2fr) minmax(0, 3fr); align-items: start; }
.figure { width: 100%; height: 62vh; min-height: 360px; }
.figure.small { height: 940px; }
.slide-grid.side .figure { height: 72vh; }
figcaption { font-size: clamp(.95rem, 1.1vw, 1.3rem); color: #333; margin-top: .3em; }
details { margin-top: 1rem; font-size: 1.05rem; line-height: 1.45; max-width: 75em; }
details summary { cursor: pointer; font-weight: 600; }
.notes { border-left: 6px solid #E69F00; background: #fff8e6; padding: .6rem 1rem; margin-top: 1rem;
  font-size: 1.15rem; line-height: 1.45; max-width: 75em; }
.notes h2, .sources h2 { font-size: 1.15rem; margin: .2rem 0 .4rem; }
.sources { font-size: 1rem; line-height: 1.4; max-width: 75em; }
.warning { font-size: clamp(1rem, 1.4vw, 1.7rem); line-height: 1.35; color: #7d1f00;
  background: #fdecea; border-left: 6px solid #D55E00; padding: .5em .8em; max-width: 60em; }
section.step { scroll-margin-top: 6rem; }
@media (max-width: 700px) { .slide-grid.side { grid-template-columns: 1fr; }
  header { gap: .4rem; padding: .4rem 2vw; } header .lesson-title { display: none; }
  header button { padding: .3em .7em; } #indicator { min-width: 0; flex: 1; } }
@media print { header { display: none; } html.js section.step[hidden] { display: block; }
  section.step { page-break-after: always; } }
"""

_HTML_SCRIPT = """
(function () {
  document.documentElement.classList.add("js");
  var steps = Array.prototype.slice.call(document.querySelectorAll("section.step"));
  var n = steps.length, current = -1, drawn = {};
  var prev = document.getElementById("prev"), next = document.getElementById("next");
  var indicator = document.getElementById("indicator");
  function draw(i) {
    var holder = steps[i].querySelector(".figure");
    if (!holder || typeof Plotly === "undefined") { return; }
    if (drawn[i]) { Plotly.Plots.resize(holder); return; }
    drawn[i] = true;
    var small = holder.getAttribute("data-figure-small");
    var narrow = window.matchMedia("(max-width: 700px)").matches;
    var source = small && narrow ? small : holder.getAttribute("data-figure");
    if (small && narrow) { holder.classList.add("small"); }
    var spec = JSON.parse(document.getElementById(source).textContent);
    var config = {displayModeBar: false, responsive: true, scrollZoom: false};
    Plotly.newPlot(holder, spec.data, spec.layout, config).then(function () {
      if (spec.frames && spec.frames.length) { Plotly.addFrames(holder, spec.frames); }
    });
  }
  function show(i) {
    i = Math.max(0, Math.min(n - 1, i));
    if (i === current) { return; }
    current = i;
    steps.forEach(function (s, k) { s.hidden = k !== i; });
    indicator.textContent = "Step " + (i + 1) + " of " + n;
    prev.disabled = i === 0;
    next.disabled = i === n - 1;
    var hash = "#step-" + (i + 1);
    if (location.hash !== hash) {
      try { history.replaceState(null, "", hash); } catch (e) { location.hash = hash; }
    }
    window.scrollTo(0, 0);
    draw(i);
  }
  function fromHash() {
    var m = /^#step-(\\d+)$/.exec(location.hash);
    return m ? parseInt(m[1], 10) - 1 : 0;
  }
  prev.addEventListener("click", function () { show(current - 1); });
  next.addEventListener("click", function () { show(current + 1); });
  document.addEventListener("keydown", function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey) { return; }
    var tag = (e.target && e.target.tagName) || "";
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT") { return; }
    var to = null;
    if (e.key === "ArrowRight" || e.key === "PageDown") { to = current + 1; }
    else if (e.key === "ArrowLeft" || e.key === "PageUp") { to = current - 1; }
    else if (e.key === "Home") { to = 0; }
    else if (e.key === "End") { to = n - 1; }
    if (to !== null) { e.preventDefault(); show(to); }
  });
  window.addEventListener("hashchange", function () { show(fromHash()); window.scrollTo(0, 0); });
  show(fromHash());
})();
"""


def lesson_html(atlas, audience: str, lesson: Lesson | None = None) -> str:
    """The whole lesson as one self-contained HTML page that presents offline: plotly.js is
    inlined once, every step's real figure travels as JSON, and a small inline script gives
    Previous/Next buttons, ←/→ (and PageUp/PageDown, Home/End) keys, and the step in
    ``location.hash`` (``#step-3``). All text is escaped. Educators get the speaker notes.

    >>> page = lesson_html(load_atlas(), "patient")
    >>> page.count("<section class=\\"step\\"") == len(load_lesson().steps)
    True
    """
    from plotly.offline import get_plotlyjs

    lesson = lesson or load_lesson()
    if audience not in AUDIENCES:
        raise ValueError(f"unknown audience {audience!r}; expected one of {AUDIENCES}")
    e = functools.partial(html.escape, quote=True)
    refs = atlas.references
    n = len(lesson.steps)
    sections, data_blocks = [], []
    for step in lesson.steps:
        spec = step_spec(atlas, step, audience)
        parts = [f'<section class="step" id="step-{step.number}" aria-labelledby="title-{step.number}">',
                 f'<p class="counter">Step {step.number} of {n}</p>',
                 f'<h1 id="title-{step.number}">{e(step.title.get(audience))}</h1>']
        text = f'<p class="body">{e(step.body.get(audience).strip())}</p>'
        source = step.figure.source if step.figure else None
        warning = load_guidance().warning(source) if source else None
        if warning is not None:  # its warning, as on the explorer pages
            text += f'<p class="warning" role="note">&#9888; {e(warning.text(audience))}</p>'
        if spec is not None:
            kind = step.figure.kind
            fig_id = f"figure-data-{step.number}"
            factor = PROJECTOR_TEXT.get(kind, PROJECTOR_TEXT[None])
            data_blocks.append(f'<script type="application/json" id="{fig_id}">'
                               f"{_figure_json(projector_spec(spec, factor))}</script>")
            small = ""
            if kind == "diagram":  # phones get the diagram's own small-screen layout
                small_spec = step_spec(atlas, step, audience, compact=True)
                data_blocks.append(f'<script type="application/json" id="{fig_id}-small">'
                                   f"{_figure_json(projector_spec(small_spec, 1.0))}</script>")
                small = f' data-figure-small="{fig_id}-small"'
            side = " side" if kind == "headmap" else ""
            parts.append(f'<div class="slide-grid{side}"><div>{text}</div><figure style="margin:0">'
                         f'<div class="figure" data-figure="{fig_id}"'
                         f'{small} role="img" '
                         f'aria-label="{e(figure_caption(atlas, step, audience))} '
                         f'A text description follows."></div>'
                         f'<figcaption>{e(figure_caption(atlas, step, audience))}</figcaption>'
                         f"</figure></div>")
            parts.append("<details><summary>Text description of the figure</summary>"
                         f"{_markdown_html(figure_text(atlas, step, audience))}</details>")
        else:
            parts.append(text)
        if audience == "educator":
            parts.append(f'<div class="notes"><h2>Speaker notes</h2>{_markdown_html(step.notes)}</div>')
        items = "".join(f"<li>{e(refs[k].formatted())}"
                        + (f' <a href="{e(refs[k].link)}">{e(refs[k].link)}</a>' if refs[k].link else "")
                        + "</li>" for k in step.citations)
        parts.append(f'<div class="sources"><h2>Sources</h2><ol>{items}</ol></div>')
        parts.append("</section>")
        sections.append("".join(parts))
    title = lesson.title.get(audience)
    return "".join([
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(title)}</title><style>{_HTML_STYLE}</style>",
        '<script type="text/javascript">', get_plotlyjs(), "</script>",
        "</head><body>",
        f'<header><span class="lesson-title">{e(title)}</span>',
        '<button type="button" id="prev" aria-label="Previous step">&larr; Previous</button>',
        '<span id="indicator" aria-live="polite"></span>',
        '<button type="button" id="next" aria-label="Next step">Next &rarr;</button></header>',
        "<main>", *sections, "</main>",
        *data_blocks,
        f"<script>{_HTML_SCRIPT}</script>",
        "</body></html>",
    ])
