"""JSON Schemas for the atlas data files.

Every property carries a ``description`` that says what is expected; :mod:`pathways.atlas`
quotes it in the :class:`~pathways.atlas.AtlasError` raised for a malformed entry.
"""

from __future__ import annotations

__all__ = ["NODE_KINDS", "RELATIONS", "SIDES", "STRENGTHS", "AUDIENCES", "SCHEMAS", "words_for"]

NODE_KINDS = (
    "tissue",
    "peripheral-nerve",
    "spinal-root",
    "trigeminal-division",
    "ganglion",
    "nucleus",
    "tract",
    "thalamic-nucleus",
    "cortex",
    "modulatory-centre",
    "body-region",
)
RELATIONS = (
    "innervated-by",
    "branch-of",
    "enters",
    "converges-on",
    "projects-to",
    "supplies-skin-of",
    "dermatome-covers",
    "modulates",
    "refers-pain-to",
)
SIDES = ("left", "right")
STRENGTHS = ("typical", "possible")
# the audiences live in their own module; re-exported here for existing imports
from .audience import AUDIENCES, words_for  # noqa: E402


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
