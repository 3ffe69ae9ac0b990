"""The evidence table: one row per connection of the atlas, for a reviewer to audit.

Every edge becomes one :class:`EvidenceRow` with its two ends (id and clinical name), the
relation, the strength and felt territory of a referral, the evidence note and the citations
(keys and in-text labels). :func:`evidence_csv` writes the rows as CSV; :func:`filter_rows`
narrows them by text, relation and strength. No Streamlit here: the Sources page only shows
what these functions return.

>>> from pathways import load_atlas
>>> atlas = load_atlas()
>>> rows = evidence_rows(atlas)
>>> len(rows) == len(atlas.edges)
True
>>> row = next(r for r in rows if (r.source, r.target) == ("lateral-atlanto-axial-joint", "occiput"))
>>> row.relation, row.strength, row.citation_keys
('refers-pain-to', 'typical', ('aprill2002',))
>>> evidence_csv(atlas).splitlines()[0]
'from,from_name,to,to_name,relation,strength,felt_via,evidence,citation_keys,citations'
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = ["COLUMNS", "EvidenceRow", "evidence_csv", "evidence_rows", "filter_rows"]

#: Column names of the table and of the CSV, in order.
COLUMNS = ("from", "from_name", "to", "to_name", "relation", "strength", "felt_via", "evidence",
           "citation_keys", "citations")


@dataclass(frozen=True)
class EvidenceRow:
    """One connection of the atlas as a reviewer reads it."""

    source: str
    source_name: str
    target: str
    target_name: str
    relation: str
    strength: str  # 'typical' or 'possible' for refers-pain-to edges, else ''
    felt_via: str  # the afferent whose territory is felt (refers-pain-to edges), else ''
    evidence: str
    citation_keys: tuple[str, ...]
    citation_labels: tuple[str, ...]  # 'Bogduk 1992'-style, one per key

    def as_dict(self) -> dict[str, str]:
        """The row as strings keyed by :data:`COLUMNS` (lists joined with '; ')."""
        return dict(zip(COLUMNS, (
            self.source, self.source_name, self.target, self.target_name, self.relation,
            self.strength, self.felt_via, self.evidence, "; ".join(self.citation_keys),
            "; ".join(self.citation_labels))))

    def text(self) -> str:
        """Everything in the row as one lower-case string, for a text filter."""
        return " ".join(self.as_dict().values()).lower()


def evidence_rows(atlas, audience: str = "clinician") -> list[EvidenceRow]:
    """One row per edge of ``atlas``, in the order of edges.yaml. Names are in the audience's
    words (clinical terms by default, which is what a reviewer audits)."""
    rows = []
    for edge in atlas.edges:
        rows.append(EvidenceRow(
            source=edge.source, source_name=atlas.name(edge.source, audience),
            target=edge.target, target_name=atlas.name(edge.target, audience),
            relation=edge.relation, strength=edge.strength or "",
            felt_via=atlas.name(edge.via, audience) if edge.via else "",
            evidence=edge.evidence, citation_keys=tuple(edge.citations),
            citation_labels=tuple(atlas.references[key].short for key in edge.citations)))
    return rows


def evidence_csv(atlas_or_rows, audience: str = "clinician") -> str:
    """The evidence table as CSV text (header row first). Accepts the atlas or rows already
    made (for instance a filtered selection)."""
    rows = atlas_or_rows if _is_rows(atlas_or_rows) else evidence_rows(atlas_or_rows, audience)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(row.as_dict())
    return buffer.getvalue()


def filter_rows(rows: Iterable[EvidenceRow], text: str = "", relations: Sequence[str] = (),
                strengths: Sequence[str] = ()) -> list[EvidenceRow]:
    """Rows that contain ``text`` (any column, case-insensitive) and, when given, have one of
    ``relations`` and one of ``strengths`` ('' selects edges without a strength).

    >>> from pathways import load_atlas
    >>> rows = evidence_rows(load_atlas())
    >>> {r.relation for r in filter_rows(rows, strengths=["typical"])}
    {'refers-pain-to'}
    >>> all("aprill" in r.text() for r in filter_rows(rows, "Aprill 2002"))
    True
    """
    needle = text.strip().lower()
    return [r for r in rows
            if (not needle or needle in r.text())
            and (not relations or r.relation in relations)
            and (not strengths or r.strength in strengths)]


def _is_rows(value) -> bool:
    return isinstance(value, (list, tuple)) and all(isinstance(r, EvidenceRow) for r in value)
