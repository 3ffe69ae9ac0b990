"""JSON Schemas for every data file the app ships, and the fixed lists they enumerate.

The atlas (``nodes.yaml``, ``regions.yaml``, ``edges.yaml``, ``references.yaml``:
:data:`SCHEMAS`), the check page (``check.yaml``: :data:`CHECK_SCHEMA`), the wording around a
result (``guidance.yaml``: :data:`GUIDANCE_SCHEMA`), the short notes (``notes.yaml``:
:data:`NOTES_SCHEMA`) and the shared words (``ui.yaml``: :data:`UI_SCHEMA`). Properties
carry a ``description`` that says what is expected; :func:`pathways.datafile.check_schema`
quotes it in the error raised for a malformed entry. (The lesson and quiz schemas still live
with the lesson, in :mod:`pathways.lesson.content`.)

The atlas's kinds, relations, sides and strengths live in :mod:`pathways.vocabulary` and the
audiences in :mod:`pathways.audience`; both are re-exported here for existing imports.
"""

from __future__ import annotations

from .audience import AUDIENCES, WORDINGS, words_for
from .vocabulary import HEAD_VIEWS, MAP_LAYERS, NODE_KINDS, RELATIONS, SIDES, STRENGTHS

__all__ = ["NODE_KINDS", "RELATIONS", "SIDES", "STRENGTHS", "AUDIENCES", "SCHEMAS", "words_for",
           "URGENCIES", "MESSAGES", "CHECK_SCHEMA", "CHECK_NAMED", "GROUPS", "CARE_KINDS",
           "OTHER_URGENCIES", "GUIDANCE_SCHEMA", "GUIDANCE_NAMED", "NOTES_SCHEMA", "UI_SCHEMA",
           "UI_NAMED", "FIGURE_KINDS", "LESSON_SCHEMA", "QUIZ_SCHEMA"]

# ------------------------------------------------------------------------------ the atlas

_ID = {
    "type": "string",
    "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$",
    "description": "a stable kebab-case id such as 'c2-c3-facet-joint'",
}
_TEXT = {"type": "string", "minLength": 1, "description": "non-empty text"}
_DESCRIPTION = {
    "type": "object",
    "required": ["patient", "clinician"],
    "additionalProperties": False,
    "properties": {
        "patient": {**_TEXT, "description": "a short description in plain words"},
        "clinician": {**_TEXT, "description": "a short description in clinical terms"},
    },
    "description": "an object with 'patient' and 'clinician' wording",
}

NODE = {
    "type": "object",
    "required": ["id", "kind", "label", "term", "description"],
    "additionalProperties": False,
    "properties": {
        "id": _ID,
        "kind": {"enum": [k for k in NODE_KINDS if k != "body-region"],
                 "description": "one of: " + ", ".join(k for k in NODE_KINDS if k != "body-region")
                 + " (body regions belong in regions.yaml)"},
        "label": {**_TEXT, "description": "a plain-language label"},
        "short": {**_TEXT, "description": "a short plain-language label for diagrams"},
        "term": {**_TEXT, "description": "the clinical term"},
        "short_term": {**_TEXT, "description": "a short clinical label for diagrams"},
        "laterality": {"enum": ["paired", "midline"],
                       "description": "'paired' (left and right) or 'midline'"},
        "red_flag": {"type": "boolean", "description": "true if pain here can be an emergency"},
        "plural": {"type": "boolean",
                   "description": "true if the name is plural (sentences then say 'are')"},
        "ontology": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "uberon": {"type": "string", "pattern": "^UBERON:[0-9]{7}$",
                           "description": "an UBERON id such as 'UBERON:0001645'"},
                "fma": {"type": "string", "pattern": "^FMA:[0-9]+$",
                        "description": "an FMA id such as 'FMA:50866'"},
                "note": _TEXT,
            },
            "description": "an object with optional 'uberon', 'fma' and 'note'",
        },
        "description": _DESCRIPTION,
    },
    "description": "a node object",
}

REGION = {
    "type": "object",
    "required": ["id", "label", "term", "sides", "description"],
    "additionalProperties": False,
    "properties": {
        "id": _ID,
        "label": {**_TEXT, "description": "a plain-language label"},
        "term": {**_TEXT, "description": "the clinical term"},
        "sides": {
            "type": "array",
            "items": {"enum": list(SIDES)},
            "minItems": 1,
            "uniqueItems": True,
            "description": "a list of explicit sides, e.g. [left, right]",
        },
        "neighbours": {"type": "array", "items": _ID,
                       "description": "a list of ids of regions that touch this one"},
        "description": _DESCRIPTION,
    },
    "description": "a body-region object",
}

EDGE = {
    "type": "object",
    "required": ["source", "target", "relation", "citations", "evidence"],
    "additionalProperties": False,
    "properties": {
        "source": _ID,
        "target": _ID,
        "relation": {"enum": list(RELATIONS), "description": "one of: " + ", ".join(RELATIONS)},
        "citations": {
            "type": "array",
            "items": {"type": "string", "minLength": 1},
            "minItems": 1,
            "description": "a list of at least one reference key from references.yaml",
        },
        "evidence": {**_TEXT, "description": "an evidence note: what the sources show"},
        "strength": {"enum": list(STRENGTHS),
                     "description": "'typical' or 'possible' (refers-pain-to edges only)"},
        "via": {**_ID, "description": "the id of the afferent whose territory is felt "
                                      "(refers-pain-to edges only)"},
    },
    "description": "an edge object",
}

REFERENCE = {
    "type": "object",
    "required": ["key", "authors", "year", "title"],
    "anyOf": [{"required": ["doi"]}, {"required": ["pmid"]}, {"required": ["isbn"]},
              {"required": ["url"]}],
    "properties": {
        "key": {"type": "string", "pattern": "^[a-z0-9]+([-_][a-z0-9]+)*$",
                "description": "a short kebab-case key such as 'bogduk1992'"},
        "authors": {**_TEXT, "description": "the authors, e.g. 'Bogduk N, Govind J'"},
        "year": {"type": "integer", "minimum": 1800, "maximum": 2100,
                 "description": "the year of publication"},
        "title": {**_TEXT, "description": "the title"},
        "journal": {**_TEXT, "description": "the journal (or publisher for a book)"},
        "volume": {"type": ["string", "integer"], "description": "the volume and issue"},
        "pages": {"type": ["string", "integer"], "description": "the pages"},
        "doi": {"type": "string", "pattern": "^10\\.[0-9]{4,9}/\\S+$",
                "description": "a DOI such as '10.1016/S1474-4422(09)70209-1'"},
        "pmid": {"type": ["string", "integer"], "pattern": "^[0-9]+$",
                 "description": "a PubMed id such as '19747657'"},
        "isbn": {"type": "string", "description": "an ISBN"},
        "url": {"type": "string", "pattern": "^https://", "description": "an https address"},
        "supports": {**_TEXT, "description": "what the source is cited for"},
        "confidence": {"enum": ["V", "V2"],
                       "description": "'V' (checked in the source) or 'V2' (checked via a "
                                      "secondary source)"},
    },
    "description": "a reference object with a DOI, PMID, ISBN or URL",
}

SCHEMAS = {
    "nodes.yaml": {"type": "array", "items": NODE, "description": "a list of nodes"},
    "regions.yaml": {"type": "array", "items": REGION, "description": "a list of regions"},
    "edges.yaml": {"type": "array", "items": EDGE, "description": "a list of edges"},
    "references.yaml": {"type": "array", "items": REFERENCE,
                        "description": "a list of references"},
}


# ------------------------------------------------------------------------- content files

_WORDING = {
    "type": "object",
    "required": ["patient", "clinician"],
    "additionalProperties": False,
    "properties": {
        "patient": {**_TEXT, "description": "plain words, US grade 8 or lower"},
        "clinician": {**_TEXT, "description": "clinical wording (also shown to educators)"},
    },
    "description": "an object with 'patient' and 'clinician' wording",
}
_CITATIONS = {
    "type": "array",
    "minItems": 1,
    "uniqueItems": True,
    "items": {"type": "string", "minLength": 1},
    "description": "a list of one or more reference keys from assets/atlas/references.yaml",
}


def _cited(required, **properties) -> dict:
    """An entry with these properties and its citations, nothing else."""
    return {"type": "object", "required": [*required, "citations"], "additionalProperties": False,
            "properties": {**properties, "citations": _CITATIONS}}


def _list(item, what: str) -> dict:
    return {"type": "array", "minItems": 1, "items": item, "description": f"a list of {what}"}


# ---- check.yaml

#: Urgencies of a warning sign, most urgent first: an emergency, or a doctor today.
URGENCIES = ("now", "today")
#: Keys of the reviewed messages in check.yaml.
MESSAGES = ("now", "today", "unsure-now", "unsure", "clear", "caution", "withheld")

_CHECK_ID = {**_ID, "description": "a stable kebab-case id such as 'thunderclap'"}
_QUESTION = _cited(
    ["id", "flag", "urgency", "short", "patient", "clinician"],
    id=_CHECK_ID,
    flag={**_TEXT, "description": "the published warning sign the question asks about"},
    urgency={"enum": list(URGENCIES),
             "description": "'now' (an emergency: get medical help now) or 'today' "
                            "(see a doctor today)"},
    short={**_WORDING, "description": "a short name of the sign, in 'patient' and "
                                      "'clinician' wording"},
    patient={**_TEXT, "description": "the question in plain words (grade 8 or lower)"},
    clinician={**_TEXT, "description": "the sign in clinical terms"},
)
_MESSAGE = _cited(["title", "patient", "clinician"], title=_WORDING,
                  patient={**_TEXT, "description": "what to do, in plain words"},
                  clinician={**_TEXT, "description": "what to do, in clinical terms"})
_STEP = {
    **_cited(["id", "title", "clinician"], id=_CHECK_ID, title=_WORDING,
             patient={**_TEXT, "description": "the step in plain words"},
             clinician={**_TEXT, "description": "the step in clinical terms"},
             limits={**_TEXT, "description": "the limits of a test, in clinical terms"},
             clinician_only={"type": "boolean",
                             "description": "true if the step is shown to clinicians and "
                                            "educators only"}),
    "if": {"properties": {"clinician_only": {"const": True}}, "required": ["clinician_only"]},
    "else": {"required": ["patient"]},
}
_PLAIN = _cited(["patient", "clinician"], patient=_WORDING["properties"]["patient"],
                clinician=_WORDING["properties"]["clinician"])
_DISCUSS = _cited(["id", "patient", "clinician"], id=_CHECK_ID,
                  patient=_WORDING["properties"]["patient"],
                  clinician=_WORDING["properties"]["clinician"])
_MYTH = _cited(["id", "claim", "evidence"], id=_CHECK_ID,
               claim={**_TEXT, "description": "the popular claim, in plain words"},
               evidence={**_WORDING, "description": "what the evidence says, in 'patient' "
                                                    "and 'clinician' wording"})

#: The JSON Schema of check.yaml.
CHECK_SCHEMA = {
    "type": "object",
    "required": ["page", "questions", "messages", "walk", "jaw", "discuss", "myths"],
    "additionalProperties": False,
    "properties": {
        "page": {"type": "object", "required": ["intro", "privacy"],
                 "additionalProperties": False,
                 "properties": {"intro": _WORDING, "privacy": _WORDING},
                 "description": "the page's 'intro' and 'privacy' wording"},
        "questions": _list(_QUESTION, "warning-sign questions"),
        "messages": {"type": "object", "required": list(MESSAGES), "additionalProperties": False,
                     "properties": {key: _MESSAGE for key in MESSAGES},
                     "description": "one message for each of: " + ", ".join(MESSAGES)},
        "walk": {"type": "object", "required": ["intro", "steps"], "additionalProperties": False,
                 "properties": {"intro": _PLAIN, "steps": _list(_STEP, "walk steps")},
                 "description": "the guided walk: 'intro' and 'steps'"},
        "jaw": {**_cited(["title", "patient", "clinician"], title=_WORDING,
                         patient=_WORDING["properties"]["patient"],
                         clinician=_WORDING["properties"]["clinician"])},
        "discuss": _list(_DISCUSS, "points to discuss with a clinician"),
        "myths": _list(_MYTH, "myths, each with the claim, the evidence and citations"),
    },
}
#: Sections of check.yaml whose keys name entries (``messages/now``).
CHECK_NAMED = frozenset({"page", "messages", "walk"})

# ---- guidance.yaml

#: Groups of candidate sources, in the order a result shows them.
GROUPS = ("upper-neck", "trigeminal", "intracranial")
#: Kinds of advice, each for the sources it fits.
CARE_KINDS = ("neck", "artery", "intracranial", "jaw")
#: How soon to see a doctor about another cause: get help now, today, or see a doctor.
OTHER_URGENCIES = ("now", "today", "doctor")

_GUIDANCE_ID = {**_ID, "description": "a stable kebab-case id such as 'giant-cell-arteritis'"}
_IDS = {"type": "array", "minItems": 1, "uniqueItems": True, "items": _GUIDANCE_ID,
        "description": "a list of ids from the atlas"}


def _worded(required, **properties) -> dict:
    """A cited entry with 'patient' and 'clinician' wording and these properties."""
    return _cited(required, **_WORDING["properties"], **properties)


_ENTRY = _worded(["title", "patient", "clinician"], title=_WORDING)

#: The JSON Schema of guidance.yaml.
GUIDANCE_SCHEMA = {
    "type": "object",
    "required": ["usual_causes", "other_causes", "groups", "strength", "warnings", "care"],
    "additionalProperties": False,
    "properties": {
        "usual_causes": _ENTRY,
        "other_causes": {"type": "array", "minItems": 1, "description": "a list of other causes",
                         "items": _worded(["id", "regions", "urgency", "title", "short",
                                           "patient", "clinician"], id=_GUIDANCE_ID,
                                          title=_WORDING,
                                          short={**_WORDING, "description": "a one-line form "
                                                 "in 'patient' and 'clinician' wording"},
                                          regions={**_IDS, "description": "region ids from "
                                                   "regions.yaml where this cause fits"},
                                          urgency={"enum": list(OTHER_URGENCIES),
                                                   "description": "'now', 'today' or 'doctor'"})},
        "groups": {"type": "object", "required": list(GROUPS), "additionalProperties": False,
                   "properties": {g: _worded(["title", "patient", "clinician"], title=_WORDING,
                                             sources={**_IDS, "description": "tissue ids of "
                                                      "the atlas"})
                                  for g in GROUPS},
                   "description": "one entry for each of: " + ", ".join(GROUPS)},
        "strength": {"type": "object", "required": list(STRENGTHS), "additionalProperties": False,
                     "properties": {s: _WORDING for s in STRENGTHS},
                     "description": "the words for each of: " + ", ".join(STRENGTHS)},
        "warnings": {"type": "object", "minProperties": 1,
                     "additionalProperties": _worded(["patient", "clinician"]),
                     "description": "a warning for each red-flag tissue, by its id"},
        "care": {"type": "array", "minItems": 1, "description": "a list of kinds of advice",
                 "items": _worded(["id", "title", "sources", "patient", "clinician"],
                                  id={"enum": list(CARE_KINDS),
                                      "description": "one of: " + ", ".join(CARE_KINDS)},
                                  title=_WORDING,
                                  sources={**_IDS, "description": "tissue ids it fits"})},
    },
}
#: Sections of guidance.yaml whose keys name entries (``groups/trigeminal``).
GUIDANCE_NAMED = frozenset({"usual_causes", "groups", "strength", "warnings"})

# ---- notes.yaml

#: The JSON Schema of notes.yaml.
NOTES_SCHEMA = {
    "type": "object", "minProperties": 1,
    "required": ["urgent_care"],
    "additionalProperties": {"type": "object", "required": ["text", "citations"],
                             "additionalProperties": False,
                             "properties": {"text": _TEXT, "citations": _CITATIONS},
                             "description": "a note with 'text' and 'citations'"},
    "description": "named notes, each with 'text' and 'citations' (urgent_care is required)",
}

# ---- ui.yaml

_WORDED = {"oneOf": [_TEXT, {
    "type": "object", "required": list(WORDINGS), "additionalProperties": False,
    "properties": {w: _TEXT for w in WORDINGS},
    "description": "one text, or 'patient' and 'clinician' texts"}],
    "description": "one text, or 'patient' and 'clinician' texts"}
_NAMES = {"type": "object", "additionalProperties": _TEXT, "minProperties": 1,
          "description": "a mapping of ids to names"}


def _bands(fields: dict) -> dict:
    band = {"type": "object", "required": list(WORDINGS), "additionalProperties": False,
            "properties": {"below": {"type": "number", "description": "the band's upper cut-off"},
                           **{w: _TEXT for w in WORDINGS}}}
    return {"type": "array", "minItems": 2, "items": band, **fields,
            "description": "bands with increasing 'below' cut-offs; the last has none"}


#: The JSON Schema of ui.yaml.
UI_SCHEMA = {
    "type": "object",
    "required": ["disclaimer", "audience", "views", "view_conventions", "overlays", "map_states", "level",
                 "modulation", "modulation_direction", "not_a_diagnosis", "home_intro",
                 "sensitization_controls", "default_source", "figures"],
    "additionalProperties": False,
    "properties": {
        "disclaimer": {"type": "object", "additionalProperties": _WORDED,
                       "required": ["short", "about", "privacy"]},
        "audience": {"type": "object", "required": ["question", "help", "names"],
                     "additionalProperties": False,
                     "properties": {"question": _WORDED, "help": _WORDED, "names": _NAMES}},
        "views": _NAMES,
        "view_conventions": {"type": "object", "additionalProperties": _WORDED,
                             "required": list(HEAD_VIEWS)},
        "overlays": _NAMES,
        "map_states": {"type": "object", "additionalProperties": _WORDED,
                       "required": ["selected", "spread"]},
        "level": _bands({}),
        "modulation": _bands({}),
        "modulation_direction": {"type": "object", "required": ["down", "up"],
                                 "additionalProperties": False,
                                 "properties": {"down": _WORDED, "up": _WORDED}},
        "not_a_diagnosis": _WORDED,
        "home_intro": _WORDED,
        "sensitization_controls": {"type": "object", "additionalProperties": _WORDED},
        "default_source": {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$",
                           "description": "the id of a tissue in nodes.yaml"},
        "result": {"type": "object", "required": ["heading", "jump"],
                   "additionalProperties": False,
                   "properties": {"heading": _WORDED, "jump": _WORDED},
                   "description": "the heading of a page's result and the link that jumps to it"},
        "signal_steps": {"type": "object", "additionalProperties": _WORDED,
                         "required": ["label", "help", "start", "felt"],
                         "description": "the diagram's animation one step at a time"},
        "presenter": {"type": "object", "additionalProperties": _WORDED,
                      "required": ["notes", "notes_help", "keys"],
                      "description": "the lesson's presenter view: speaker notes and its keys"},
        "figures": {"type": "object", "additionalProperties": {
            "type": "object", "required": ["caption", "citations"],
            "additionalProperties": False,
            "properties": {"caption": _WORDED, "citations": {
                "type": "array", "minItems": 1, "uniqueItems": True,
                "items": {"type": "string"},
                "description": "keys of assets/atlas/references.yaml"}}}},
    },
}
#: Sections of ui.yaml whose keys name entries (``figures/diagram-overview``).
UI_NAMED = frozenset({"figures"})


# ------------------------------------------------------- the lesson and the quiz (lesson.yaml, quiz.yaml)

#: The figure builders a step can name, and the arguments each accepts.
FIGURE_KINDS = {
    "diagram": ("source", "side", "emphasis"),
    "headmap": ("view", "overlay", "source", "side"),
    "stimulus-response": ("level", "modulation"),
    "windup": ("level", "rate_hz", "modulation"),
}

_LESSON_ID = {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$",
       "description": "a stable kebab-case id such as 'meeting-point'"}
_LESSON_TEXT = {"type": "string", "minLength": 1, "description": "non-empty text"}
_LESSON_WORDING = {
    "type": "object", "required": ["patient", "clinician"], "additionalProperties": False,
    "properties": {"patient": {**_LESSON_TEXT, "description": "text in plain words"},
                   "clinician": {**_LESSON_TEXT, "description": "text in clinical terms"}},
    "description": "an object with 'patient' and 'clinician' wording",
}
_LESSON_CITATIONS = {"type": "array", "minItems": 1, "uniqueItems": True,
              "items": {"type": "string", "minLength": 1},
              "description": "a list of one or more reference keys from assets/atlas/references.yaml"}
_LESSON_FIGURE = {
    "type": "object", "required": ["kind"], "additionalProperties": False,
    "description": "an object with 'kind' and that kind's arguments",
    "properties": {
        "kind": {"enum": list(FIGURE_KINDS), "description": "one of: " + ", ".join(FIGURE_KINDS)},
        "source": {**_LESSON_ID, "description": "a tissue id from assets/atlas/nodes.yaml"},
        "side": {"enum": list(SIDES), "description": "'left' or 'right'"},
        "emphasis": {"type": "array", "minItems": 1, "items": _LESSON_ID,
                     "description": "a list of node ids drawn in the diagram"},
        "view": {"enum": list(HEAD_VIEWS), "description": "one of: " + ", ".join(HEAD_VIEWS)},
        "overlay": {"enum": list(MAP_LAYERS),
                    "description": "one of: " + ", ".join(MAP_LAYERS)},
        "level": {"type": "number", "minimum": 0, "maximum": 1,
                  "description": "a sensitisation level from 0 to 1"},
        "modulation": {"type": "number", "minimum": -1, "maximum": 1,
                       "description": "a descending-modulation setting from -1 to 1"},
        "rate_hz": {"type": "number", "minimum": 0.05, "maximum": 2,
                    "description": "a stimulus rate in Hz from 0.05 to 2"},
    },
}
_LESSON_STEP = {
    "type": "object", "required": ["id", "title", "body", "notes", "citations"],
    "additionalProperties": False,
    "properties": {"id": _LESSON_ID, "title": _LESSON_WORDING, "body": _LESSON_WORDING, "figure": _LESSON_FIGURE,
                   "notes": {**_LESSON_TEXT, "description": "speaker notes for the educator"},
                   "citations": _LESSON_CITATIONS},
}
LESSON_SCHEMA = {
    "type": "object", "required": ["title", "steps"], "additionalProperties": False,
    "description": "a mapping with 'title' and 'steps'",
    "properties": {"title": _LESSON_WORDING,
                   "steps": {"type": "array", "minItems": 1, "maxItems": 30, "items": _LESSON_STEP,
                             "description": "a list of 1 to 30 steps"}},
}
_LESSON_QUESTION = {
    "type": "object",
    "required": ["id", "topic", "question", "options", "answer", "explanation", "citations"],
    "additionalProperties": False,
    "properties": {
        "id": _LESSON_ID, "topic": _LESSON_TEXT, "question": _LESSON_TEXT,
        "options": {"type": "array", "minItems": 2, "maxItems": 6, "uniqueItems": True,
                    "items": _LESSON_TEXT, "description": "a list of 2 to 6 different answers"},
        "answer": {"type": "integer", "minimum": 1,
                   "description": "the number of the correct option, counting from 1"},
        "explanation": _LESSON_TEXT, "citations": _LESSON_CITATIONS,
        "lesson_step": {**_LESSON_ID, "description": "the id of a step in lesson.yaml"},
    },
}
QUIZ_SCHEMA = {
    "type": "object", "required": ["title", "questions"], "additionalProperties": False,
    "description": "a mapping with 'title' and 'questions'",
    "properties": {"title": _LESSON_TEXT,
                   "questions": {"type": "array", "minItems": 1, "maxItems": 40,
                                 "items": _LESSON_QUESTION, "description": "a list of questions"}},
}
