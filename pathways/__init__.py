"""pathways: the domain model of the upper-neck and trigeminal pain-pathway explainer.

No Streamlit here: the atlas, its queries, text and figures are plain Python, usable from a
notebook or a test.

>>> from pathways import load_atlas
>>> atlas = load_atlas()
>>> atlas.candidates("orbit", "left")[0].group in ("upper-neck", "trigeminal")
True

A malformed data file raises a :class:`DataFileError` naming the file, the entry and the field
(an :class:`AtlasError` for the atlas; :class:`pathways.consult.ContentError` for the content
files).
"""

from .atlas import (
    DEFAULT_ATLAS_DIR,
    NUCLEUS,
    Atlas,
    AtlasError,
    Edge,
    Node,
    Reference,
    Referral,
    UnknownIdError,
    load_atlas,
)
from .audience import AUDIENCES
from .datafile import DataFileError
from .text import PathError
from .vocabulary import NODE_KINDS, RELATIONS, SIDES, STRENGTHS

__all__ = [
    "load_atlas",
    "Atlas",
    "DataFileError",
    "AtlasError",
    "UnknownIdError",
    "PathError",
    "Node",
    "Edge",
    "Reference",
    "Referral",
    "DEFAULT_ATLAS_DIR",
    "NUCLEUS",
    "AUDIENCES",
    "NODE_KINDS",
    "RELATIONS",
    "SIDES",
    "STRENGTHS",
]
