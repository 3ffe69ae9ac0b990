"""The atlas's vocabulary: the fixed ids, kinds and relations, and the records built from the
data files.

Everything that reads the atlas (:mod:`pathways.atlas`, :mod:`pathways.text`,
:mod:`pathways.sensitization`, the figures) shares these words, so they live here, below all
of them; this module imports nothing else from the package. :mod:`pathways.atlas` re-exports
the names it always offered (``NUCLEUS``, ``AFFERENT``, ``Node``, ``Referral`` …).

>>> "converges-on" in AFFERENT, "supplies-skin-of" in TERRITORY
(True, True)
>>> CENTRAL_KINDS & PERIPHERAL_KINDS
frozenset()
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = [
    "HEAD_VIEWS",
    "MAP_LAYERS",
    "AFFERENT",
    "CENTRAL_KINDS",
    "NODE_KINDS",
    "NUCLEUS",
    "PERIPHERAL_KINDS",
    "RELATIONS",
    "SIDES",
    "STRENGTHS",
    "TERRITORY",
    "Edge",
    "Node",
    "Reference",
    "Referral",
]

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
#: The head-map drawings and its layers (ids used in URLs, lesson steps and the drawings).
HEAD_VIEWS = ("front", "left", "right", "back")
MAP_LAYERS = ("trigeminal", "cervical-nerves", "dermatomes")
STRENGTHS = ("typical", "possible")

#: The id of the trigeminocervical nucleus, where cervical and trigeminal inputs converge.
NUCLEUS = "trigeminocervical-nucleus"
#: Relations that carry signals inwards, from the periphery to the nucleus.
AFFERENT = frozenset({"innervated-by", "branch-of", "enters", "converges-on"})
#: Relations that name a skin territory (what the brain "expects" a signal to come from).
TERRITORY = frozenset({"supplies-skin-of", "dermatome-covers"})
#: Kinds of node inside the central nervous system (the nucleus and everything above it).
CENTRAL_KINDS = frozenset({"nucleus", "tract", "thalamic-nucleus", "cortex", "modulatory-centre"})
#: Kinds of node outside it (tissues and the nerves that carry their signals in).
PERIPHERAL_KINDS = frozenset(
    {"tissue", "peripheral-nerve", "spinal-root", "trigeminal-division", "ganglion"}
)


@dataclass(frozen=True)
class Node:
    """A structure of the atlas: a tissue, nerve, root, nucleus … or a body region."""

    id: str
    kind: str
    label: str
    term: str
    description: Mapping[str, str]
    short: str = ""
    short_term: str = ""
    laterality: str = "paired"
    red_flag: bool = False
    plural: bool = False  # the name is plural ('nerves'): sentences say 'are', 'those'
    ontology: Mapping[str, str] = field(default_factory=dict)
    sides: tuple[str, ...] = ()
    neighbours: tuple[str, ...] = ()

    def name(self, audience: str = "patient", *, short: bool = False) -> str:
        """The node's name in the audience's words (plain for patients, clinical otherwise)."""
        if audience == "patient":
            return (self.short or self.label) if short else self.label
        return (self.short_term or self.term) if short else self.term


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    relation: str
    citations: tuple[str, ...]
    evidence: str
    strength: str | None = None
    via: str | None = None


@dataclass(frozen=True)
class Reference:
    key: str
    authors: str
    year: int
    title: str
    journal: str = ""
    volume: str = ""
    pages: str = ""
    doi: str = ""
    pmid: str = ""
    isbn: str = ""
    url: str = ""
    supports: str = ""
    confidence: str = ""

    @property
    def link(self) -> str:
        """The best stable link: DOI, then PubMed, then the given URL ('' for a book)."""
        if self.doi:
            return f"https://doi.org/{self.doi}"
        if self.pmid:
            return f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/"
        return self.url

    def formatted(self) -> str:
        """Vancouver-style citation text, e.g. ``Bogduk N. Title. J Journal. 1992;15(1):67-70.``"""
        parts = [f"{self.authors.rstrip('.')}.", f"{self.title.rstrip('.')}."]
        source = self.journal
        if source:
            source += f". {self.year}"
            if self.volume:
                source += f";{self.volume}"
            if self.pages:
                source += f":{self.pages}"
            parts.append(source + ".")
        else:
            parts.append(f"{self.year}.")
        ids = []
        if self.doi:
            ids.append(f"doi:{self.doi}")
        if self.pmid:
            ids.append(f"PMID {self.pmid}")
        if self.isbn:
            ids.append(f"ISBN {self.isbn}")
        if ids:
            parts.append(". ".join(ids) + ".")
        return " ".join(parts)

    @property
    def short(self) -> str:
        """``Bogduk 1992``-style in-text label; a source whose authors were not recorded
        ('Unknown (…)') is labelled by its journal instead, never as 'Unknown'."""
        if self.authors.startswith("Unknown") and self.journal:
            return f"{self.journal} {self.year}"
        first = self.authors.split(",")[0].split(" ")[0]
        etal = " et al." if "," in self.authors else ""
        return f"{first}{etal} {self.year}"


@dataclass(frozen=True)
class Referral:
    """One place where pain from a source may be felt, and why.

    ``path`` runs source → nerve → root (or division) → nucleus, then names the afferent whose
    territory is felt (``felt_via``) and the region. The last two steps are how the brain *reads*
    the signal: nothing travels back out along that afferent.
    """

    source: str
    source_side: str  # "left", "right" or "midline"
    region: str
    side: str
    strength: str  # "typical" or "possible"
    group: str  # "upper-neck" or "trigeminal"
    path: tuple[str, ...]
    felt_via: str
    citations: tuple[str, ...]
    evidence: str
    spread: bool = False  # added by sensitisation (enlarged receptive fields)

    @property
    def via_convergence(self) -> bool:
        """True when the felt territory belongs to a different afferent than the one carrying
        the signal (the brain misattributes shared input)."""
        inbound = self.path[: self.path.index(NUCLEUS) + 1]
        return self.felt_via not in inbound
