"""pathways: the domain model of the upper-neck and trigeminal pain-pathway explainer.

No Streamlit here: the atlas, its queries, text and figures are plain Python, usable from a
notebook or a test.

>>> from pathways import load_atlas
>>> atlas = load_atlas()
>>> atlas.candidates("orbit", "left")[0].group in ("upper-neck", "trigeminal")
True
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
from .schema import AUDIENCES, NODE_KINDS, RELATIONS, SIDES, STRENGTHS
from .text import PathError

__all__ = [
    "load_atlas",
    "Atlas",
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
