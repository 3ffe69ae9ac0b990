"""The "check first" content and its triage: warning signs before any neck explanation.

The wording lives in the reviewed file ``assets/content/check.yaml``: the warning-sign
questions (SNNOOP10 and the warning signs of cervical artery dissection), what each answer
leads to, the guided walk "could it come from my neck?", the jaw note, what to discuss with a
clinician, and the myths. :func:`load_check` validates it (JSON Schema, unique ids, every
citation key known to the atlas). :func:`triage` turns answers into a :class:`Triage`:
the most urgent level reached, the signs behind it, and whether the neck explanation may be
offered. It never scores or diagnoses anything.

Answers are ``"yes"``, ``"no"`` or ``"unsure"``. Any "yes", or "unsure" about an emergency
sign, withholds the explanation (it must not reassure); "unsure" never counts as "no".

>>> content = load_check()
>>> result = triage({"thunderclap": "yes", "fever": "unsure"}, content)
>>> result.level, result.yes, result.explanation
('now', ('thunderclap',), 'withhold')
>>> triage({q.id: "no" for q in content.questions}, content).explanation
'offer'
>>> answers, notices = parse_answers("thunderclap:no,fever:unsure,<b>x</b>:yes", content)
>>> answers
{'thunderclap': 'no', 'fever': 'unsure'}
>>> notices
['The link had 1 answer that this page does not recognise, so it was left out.']
>>> format_answers(answers, content)
'thunderclap:no,fever:unsure'
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from . import datafile
from .atlas import CONTENT_DIR, load_atlas
from .datafile import DataFileError, load_yaml
from .schema import CHECK_NAMED, CHECK_SCHEMA, MESSAGES, URGENCIES, words_for

__all__ = [
    "load_check",
    "triage",
    "parse_answers",
    "format_answers",
    "CheckContent",
    "Question",
    "Wording",
    "Step",
    "Myth",
    "Triage",
    "ContentError",
    "AnswerError",
    "ANSWERS",
    "URGENCIES",
    "LEVELS",
    "MESSAGES",
    "DEFAULT_CHECK_FILE",
    "CHECK_SCHEMA",
    "check_schema",
    "cited_keys",
]

DEFAULT_CHECK_FILE = CONTENT_DIR / "check.yaml"

#: The possible answers to a warning-sign question.
ANSWERS = ("yes", "no", "unsure")
#: Overall results of the check, most urgent first.
LEVELS = ("now", "today", "unsure", "clear", "incomplete")
# URGENCIES and MESSAGES (what check.yaml holds) live with its schema in pathways.schema.
#: Longest ``answers`` URL value that is read at all (longer ones are ignored with a notice).
MAX_URL_LEN = 2000

# ------------------------------------------------------------------------------ exceptions


class ContentError(DataFileError):
    """A malformed content file (a :class:`~pathways.datafile.DataFileError`, like the
    atlas's :class:`~pathways.atlas.AtlasError`): the message names the file, the entry and
    the field, and says what is expected.

    >>> str(ContentError("check.yaml", "questions/fever", "urgency", "'soon' is not valid",
    ...                  "'now' or 'today'"))
    "check.yaml: entry 'questions/fever': field 'urgency': 'soon' is not valid. Expected 'now' or 'today'."
    """


class AnswerError(ValueError):
    """Answers given to :func:`triage` that do not fit the questions: an unknown question id
    (close matches are suggested) or a value other than yes, no or unsure.

    >>> str(AnswerError("thunder", "yes", ["thunderclap", "fever"]))
    "unknown question 'thunder'. Did you mean: thunderclap?"
    >>> str(AnswerError("fever", "maybe", ["fever"]))
    "the answer to 'fever' must be 'yes', 'no' or 'unsure' (or None if not answered), not 'maybe'."
    """

    def __init__(self, question: str, value: object, known):
        self.question, self.value = question, value
        known = list(known)
        if question not in known:
            message = f"unknown question {question!r}."
            close = difflib.get_close_matches(str(question), known, n=3, cutoff=0.5)
            message += (" Did you mean: " + ", ".join(close) + "?") if close else (
                " Known: " + ", ".join(known) + ".")
        else:
            message = (f"the answer to {question!r} must be 'yes', 'no' or 'unsure' "
                       f"(or None if not answered), not {value!r}.")
        super().__init__(message)


# ------------------------------------------------------------------------------ data model


@dataclass(frozen=True)
class Wording:
    """A text in patient and clinician words, with its citations (keys of the atlas)."""

    patient: str
    clinician: str
    citations: tuple[str, ...] = ()
    title_patient: str = ""
    title_clinician: str = ""

    def text(self, audience: str = "patient") -> str:
        """The text for ``audience`` (educators read the clinician wording)."""
        return getattr(self, words_for(audience))

    def title(self, audience: str = "patient") -> str:
        return getattr(self, "title_" + words_for(audience))


@dataclass(frozen=True)
class Question:
    """A warning-sign question: ``urgency`` is ``"now"`` or ``"today"``."""

    id: str
    flag: str
    urgency: str
    patient: str
    clinician: str
    short_patient: str
    short_clinician: str
    citations: tuple[str, ...]

    def text(self, audience: str = "patient") -> str:
        """The question as asked of ``audience``."""
        return getattr(self, words_for(audience))

    def label(self, audience: str = "patient") -> str:
        """A short name of the sign, e.g. for "You said yes to: …"."""
        return getattr(self, "short_" + words_for(audience))


@dataclass(frozen=True)
class Step:
    """One step of the walk "could it come from my neck?"."""

    id: str
    title_patient: str
    title_clinician: str
    clinician: str
    citations: tuple[str, ...]
    patient: str = ""
    limits: str = ""
    clinician_only: bool = False

    def shown_to(self, audience: str) -> bool:
        return words_for(audience) == "clinician" or not self.clinician_only

    def title(self, audience: str = "patient") -> str:
        return getattr(self, "title_" + words_for(audience))

    def text(self, audience: str = "patient") -> str:
        return getattr(self, words_for(audience))


@dataclass(frozen=True)
class Myth:
    """A popular claim and what the evidence says instead."""

    id: str
    claim: str
    evidence: Wording
    citations: tuple[str, ...]


@dataclass(frozen=True)
class CheckContent:
    """The validated content of check.yaml. Build it with :func:`load_check`."""

    intro: Wording
    privacy: Wording
    questions: tuple[Question, ...]
    messages: Mapping[str, Wording]
    walk_intro: Wording
    steps: tuple[Step, ...]
    jaw: Wording
    discuss: tuple[Wording, ...]
    myths: tuple[Myth, ...]

    def question(self, question_id: str) -> Question:
        """The question with this id; :class:`AnswerError` (with close matches) if unknown."""
        for q in self.questions:
            if q.id == question_id:
                return q
        raise AnswerError(question_id, None, self.ids)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(q.id for q in self.questions)

    def message(self, key: str) -> Wording:
        """One of :data:`MESSAGES` (title and text in both wordings, with citations)."""
        if key not in self.messages:
            raise KeyError(f"unknown message {key!r}; expected one of {', '.join(MESSAGES)}")
        return self.messages[key]

    def steps_for(self, audience: str) -> tuple[Step, ...]:
        """The walk steps shown to ``audience`` (the clinical tests only to clinicians and
        educators)."""
        return tuple(s for s in self.steps if s.shown_to(audience))

    def question_citations(self) -> tuple[str, ...]:
        """Every citation of the questions, once each, in order of first use."""
        return tuple(dict.fromkeys(k for q in self.questions for k in q.citations))


# --------------------------------------------------------------------------------- loading


def load_check(path: str | Path | None = None, *, atlas=None) -> CheckContent:
    """Load and validate check.yaml (default: the bundled file) against ``atlas`` (default:
    the bundled atlas), whose references every citation key must name.

    Raises :class:`ContentError` naming the file, entry and field of the first problem. The
    bundled file is loaded once per process and shared (it is read-only).
    """
    if path is None and atlas is None:
        return _load_bundled()
    return _load(Path(path) if path is not None else DEFAULT_CHECK_FILE,
                 atlas if atlas is not None else load_atlas())


@functools.lru_cache(maxsize=1)
def _load_bundled() -> CheckContent:
    return _load(DEFAULT_CHECK_FILE, load_atlas())


def _load(path: Path, atlas) -> CheckContent:
    data = load_yaml(path, CHECK_SCHEMA, ContentError, named=CHECK_NAMED,
                     empty="the sections " + ", ".join(CHECK_SCHEMA["required"]))
    return _build(path.name, data, set(atlas.references))


def check_schema(name: str, data, schema: dict = CHECK_SCHEMA,
                 named: frozenset | set = CHECK_NAMED,
                 error: type[DataFileError] = ContentError) -> None:
    """Check a content file's data against ``schema``; the first problem raises ``error``
    (:class:`ContentError` unless given) naming the file, the entry (``named`` lists the
    sections whose keys name entries) and the field, with what is expected. The one
    translation of schema errors: :func:`pathways.datafile.check_schema`."""
    datafile.check_schema(name, data, schema, error, named)


def cited_keys(name: str, entry: str, item: Mapping, references) -> tuple[str, ...]:
    """An entry's citation keys; one that the atlas's references do not hold raises
    :class:`ContentError` (with close matches)."""
    for key in item["citations"]:
        if key not in references:
            close = difflib.get_close_matches(key, sorted(references), n=3, cutoff=0.6)
            hint = f" (did you mean {', '.join(close)}?)" if close else ""
            raise ContentError(name, entry, "citations", f"unknown reference key {key!r}{hint}",
                               "keys from assets/atlas/references.yaml")
    return tuple(item["citations"])


def _build(name: str, data: dict, references: set) -> CheckContent:
    def cite(entry: str, item: Mapping) -> tuple[str, ...]:
        return cited_keys(name, entry, item, references)

    def unique(section: str, items) -> None:
        seen = set()
        for item in items:
            if item["id"] in seen:
                raise ContentError(name, f"{section}/{item['id']}", "id", "duplicate id",
                                   f"each id only once in '{section}'")
            seen.add(item["id"])

    for section, items in (("questions", data["questions"]), ("walk/steps", data["walk"]["steps"]),
                           ("discuss", data["discuss"]), ("myths", data["myths"])):
        unique(section, items)

    def wording(entry: str, item: Mapping) -> Wording:
        title = item.get("title", {})
        return Wording(item["patient"], item["clinician"], cite(entry, item),
                       title.get("patient", ""), title.get("clinician", ""))

    questions = tuple(
        Question(q["id"], q["flag"], q["urgency"], q["patient"], q["clinician"],
                 q["short"]["patient"], q["short"]["clinician"], cite(f"questions/{q['id']}", q))
        for q in data["questions"])
    steps = tuple(
        Step(s["id"], s["title"]["patient"], s["title"]["clinician"], s["clinician"],
             cite(f"walk/steps/{s['id']}", s), s.get("patient", ""), s.get("limits", ""),
             s.get("clinician_only", False))
        for s in data["walk"]["steps"])
    myths = tuple(
        Myth(m["id"], m["claim"], Wording(m["evidence"]["patient"], m["evidence"]["clinician"]),
             cite(f"myths/{m['id']}", m))
        for m in data["myths"])
    page = data["page"]
    return CheckContent(
        intro=Wording(page["intro"]["patient"], page["intro"]["clinician"]),
        privacy=Wording(page["privacy"]["patient"], page["privacy"]["clinician"]),
        questions=questions,
        messages={key: wording(f"messages/{key}", data["messages"][key]) for key in MESSAGES},
        walk_intro=wording("walk/intro", data["walk"]["intro"]),
        steps=steps,
        jaw=wording("jaw", data["jaw"]),
        discuss=tuple(wording(f"discuss/{d['id']}", d) for d in data["discuss"]),
        myths=myths,
    )


# ---------------------------------------------------------------------------------- triage


@dataclass(frozen=True)
class Triage:
    """The result of the warning-sign check. Nothing here is a diagnosis or a score.

    ``level``: ``"now"`` (a "yes" to an emergency sign), ``"today"`` (a "yes" to a see-a-doctor-
    today sign), ``"unsure"`` (no "yes", some "not sure"), ``"clear"`` (every answer "no") or
    ``"incomplete"`` (no "yes" or "not sure" yet, some unanswered).
    ``yes`` and ``unsure`` list question ids, most urgent first. ``explanation`` says whether
    the neck explanation may be offered: ``"withhold"`` after any "yes" or a "not sure" about
    an emergency sign (it must not reassure), ``"caution"`` when complete with some "not sure"
    about see-a-doctor-today signs only, ``"offer"`` when every answer is "no", ``"wait"``
    while questions are unanswered. ``messages`` are the keys of the messages to
    show, most important first.
    """

    level: str
    yes: tuple[str, ...]
    unsure: tuple[str, ...]
    unanswered: tuple[str, ...]
    explanation: str
    unsure_urgency: str | None
    messages: tuple[str, ...]

    @property
    def urgent(self) -> bool:
        """True after any "yes": get medical help now or today."""
        return self.level in URGENCIES

    @property
    def complete(self) -> bool:
        return not self.unanswered

    @property
    def offer_explanation(self) -> bool:
        """True when the neck explanation may be shown to a patient (never after a "yes")."""
        return self.explanation in ("offer", "caution")


def _rank(q: Question) -> int:
    return URGENCIES.index(q.urgency)


def triage(answers: Mapping[str, str | None], content: CheckContent | None = None) -> Triage:
    """Turn ``{question_id: "yes" | "no" | "unsure" | None}`` into a :class:`Triage`.

    The most urgent "yes" sets the level; "not sure" never counts as "no". Raises
    :class:`AnswerError` for an unknown question id or answer.

    >>> r = triage({"pregnancy": "yes", "thunderclap": "unsure"})
    >>> r.level, r.messages, r.offer_explanation
    ('today', ('today', 'unsure-now'), False)
    >>> triage({"cancer": "no"}).level
    'incomplete'
    """
    content = content if content is not None else load_check()
    known = content.ids
    for qid, value in answers.items():
        if qid not in known or (value is not None and value not in ANSWERS):
            raise AnswerError(qid, value, known)
    given = {qid: value for qid, value in answers.items() if value is not None}
    yes = sorted((q for q in content.questions if given.get(q.id) == "yes"), key=_rank)
    unsure = sorted((q for q in content.questions if given.get(q.id) == "unsure"), key=_rank)
    unanswered = tuple(q.id for q in content.questions if q.id not in given)
    unsure_urgency = unsure[0].urgency if unsure else None
    unsure_message = "unsure-now" if unsure_urgency == "now" else "unsure"
    if yes:
        level = yes[0].urgency
        explanation = "withhold"
        messages = (level,) + ((unsure_message,) if unsure and level != "now" else ())
    elif unsure:
        level = "unsure"
        # Unsure about an emergency sign: the explanation is withheld as after a "yes".
        explanation = "withhold" if unsure_urgency == "now" else "wait" if unanswered else "caution"
        messages = (unsure_message,)
    elif unanswered:
        level, explanation, messages = "incomplete", "wait", ()
    else:
        level, explanation, messages = "clear", "offer", ("clear",)
    return Triage(level, tuple(q.id for q in yes), tuple(q.id for q in unsure), unanswered,
                  explanation, unsure_urgency, messages)


# ------------------------------------------------------------------------------ URL format


def format_answers(answers: Mapping[str, str | None], content: CheckContent | None = None
                   ) -> str | None:
    """The compact URL form of the answers, in question order (None when nothing is answered).

    >>> format_answers({"fever": "yes", "thunderclap": None})
    'fever:yes'
    >>> format_answers({}) is None
    True
    """
    content = content if content is not None else load_check()
    tokens = [f"{q.id}:{answers[q.id]}" for q in content.questions
              if answers.get(q.id) in ANSWERS]
    return ",".join(tokens) or None


def parse_answers(value, content: CheckContent | None = None
                  ) -> tuple[dict[str, str], list[str]]:
    """Read an ``answers`` URL value (``"thunderclap:no,fever:unsure"``) defensively.

    Never raises. Unknown questions and answers are left out, with a plain notice that never
    repeats the submitted text (it could carry markup). A list (repeated parameter) uses its
    last value; for a question given twice, the last answer counts.

    >>> parse_answers("fever:YES, cancer:no")
    ({'fever': 'yes', 'cancer': 'no'}, [])
    >>> parse_answers("fever:maybe")
    ({}, ['The link had 1 answer that this page does not recognise, so it was left out.'])
    >>> parse_answers(None)
    ({}, [])
    """
    content = content if content is not None else load_check()
    if isinstance(value, (list, tuple)):
        value = value[-1] if value else None
    if value is None:
        return {}, []
    value = str(value)
    if len(value) > MAX_URL_LEN:
        return {}, ["The link's answers were too long to read, so none were used. Please "
                    "answer the questions below."]
    known = set(content.ids)
    answers: dict[str, str] = {}
    ignored = 0
    for token in value.split(","):
        token = token.strip()
        if not token:
            continue
        qid, _, answer = token.partition(":")
        qid, answer = qid.strip().lower(), answer.strip().lower()
        if qid in known and answer in ANSWERS:
            answers.pop(qid, None)
            answers[qid] = answer
        else:
            ignored += 1
    notices = []
    if ignored:
        these = "answer" if ignored == 1 else "answers"
        it = "it was" if ignored == 1 else "they were"
        notices.append(f"The link had {ignored} {these} that this page does not recognise, so "
                       f"{it} left out.")
    order = {qid: i for i, qid in enumerate(content.ids)}
    return dict(sorted(answers.items(), key=lambda kv: order[kv[0]])), notices
