"""Lesson and quiz content: the data classes, the schemas, and loading and checking the files.

The lesson (``assets/content/lesson.yaml``) and the quiz (``assets/content/quiz.yaml``) are data
files that an educator can edit without touching code. They are checked against a JSON Schema
and against the atlas (tissue and node ids, reference keys), and a mistake raises one
:class:`LessonError` that names the file, the step or question (by number and id) and the field.

>>> lesson = load_lesson()
>>> lesson.steps[0].number, lesson.steps[0].title.get("patient")
(1, 'Pain is made by the brain')
>>> load_quiz().questions[0].lesson_step in [s.id for s in lesson.steps]
True
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .. import diagram
from ..atlas import CONTENT_DIR, load_atlas, read_yaml
from ..datafile import DataFileError, check_schema
from ..schema import AUDIENCES, FIGURE_KINDS, LESSON_SCHEMA, QUIZ_SCHEMA

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
    "LESSON_SCHEMA",
    "QUIZ_SCHEMA",
    "load_lesson",
    "load_quiz",
]

LESSON_PATH = CONTENT_DIR / "lesson.yaml"
QUIZ_PATH = CONTENT_DIR / "quiz.yaml"

class LessonError(DataFileError):
    """A malformed lesson or quiz file (a data-file problem, not an atlas one: pages show it
    like any :class:`~pathways.datafile.DataFileError`). The message names the file, the step or question (by
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
    """Check ``data`` against ``schema`` with the one schema-error translation
    (:func:`pathways.datafile.check_schema`); the first problem raises :class:`LessonError`
    naming the entry by the number an educator counts and its id (``step 3 (meeting-point)``)
    and the field, with what is expected (the schema's ``description``)."""

    def locate(data, path: list) -> tuple[str, list]:
        if len(path) >= 2 and path[0] == container and isinstance(path[1], int):
            return _entry(data, container, path[1], noun), path[2:]
        return "(file)", path

    check_schema(name, data, schema, LessonError, locate=locate)


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
