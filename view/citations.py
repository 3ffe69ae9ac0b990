"""How sources are shown: a reference's link and its name, numbered reference lists, the
citations under a piece of wording (always visible for clinicians and educators, on demand for
patients), and the reviewed short notes with their sources."""

from __future__ import annotations

import functools
from typing import NamedTuple

import streamlit as st

from pathways.evidence import evidence_csv, evidence_rows, filter_rows

from .data import atlas, notes


def link_name(ref) -> str:
    """What a reference's link says (read out by screen readers): its DOI or PubMed number,
    else its title; never a bare "Link"."""
    if ref.doi:
        name = f"DOI {ref.doi}"
    elif ref.pmid:
        name = f"PubMed {ref.pmid}"
    else:
        name = ref.title.rstrip(".")
    return name.replace("[", "(").replace("]", ")").replace("*", "").replace("_", "\\_")


def reference_link(ref) -> str:
    """A Markdown link to a reference, named by its DOI, PubMed number or title ('' if none)."""
    return f"[{link_name(ref)}]({ref.link})" if ref.link else ""


def linked_reference(ref) -> str:
    """A reference formatted, with its link: the DOI itself is the link where there is one (not
    said twice), else the link follows."""
    text = ref.formatted()
    if ref.doi:
        return text.replace(f"doi:{ref.doi}.", reference_link(ref) + ".")
    return text + ((" " + reference_link(ref)) if ref.link else "")


def references_markdown(keys, audience: str) -> str:
    """A numbered list of references with links (DOI/PubMed), from the atlas."""
    refs = atlas().references
    lines = []
    for i, key in enumerate(keys, 1):
        lines.append(f"{i}. {linked_reference(refs[key])}")
    return "\n".join(lines)


def show_citations(keys, audience: str, *, label: str = "Sources") -> None:
    """Citations: always visible for clinicians and educators, on demand for patients."""
    if not keys:
        return
    text = references_markdown(keys, audience)
    if audience == "patient":
        with st.expander(f"{label} ({len(keys)})"):
            st.markdown(text)
    else:
        st.markdown(f"**{label}**\n\n{text}")


def content_note(name: str) -> str:
    """A reviewed note from assets/content/notes.yaml, with its sources named."""
    note = notes()[name]
    refs = atlas().references
    return note.text + " Source: " + "; ".join(refs[k].short for k in note.citations) + "."


def show_note(name: str, audience: str, *, label: str = "Sources") -> None:
    """A reviewed note in full, with its citations (on demand for patients)."""
    note = notes()[name]
    st.markdown(note.text)
    show_citations(note.citations, audience, label=label)


def source_list(audience: str, query: str = "") -> str:
    """Every reference in the atlas whose formatted text contains ``query`` (lower case), as one
    numbered Markdown list with its link and the connections that cite it ('' if none matches).
    Kept once made for each atlas: it depends only on the audience and the filter."""
    return _source_list(atlas(), audience, query)


@functools.lru_cache(maxsize=256)
def _source_list(model, audience: str, query: str) -> str:
    def relation_words(edge) -> str:
        a, b = model.name(edge.source, audience), model.name(edge.target, audience)
        return f"{a} → {b} ({edge.relation.replace('-', ' ')})"

    entries = []
    for ref in sorted(model.references.values(), key=lambda r: (r.authors.lower(), r.year)):
        if query and query not in ref.formatted().lower():
            continue
        text = linked_reference(ref)
        entry = (f"1. **{ref.short}** — {text}"
                 + (f" · confidence {ref.confidence}" if audience != "patient" and ref.confidence
                    else ""))
        edges = model.cited_by(ref.key)
        if edges:
            entry += (f"\n    - Cited by {len(edges)} connection{'s' if len(edges) != 1 else ''}:"
                      + "".join(f"\n        - {relation_words(e)}" for e in edges))
        else:
            entry += "\n    - Cited in the explanations (sensitisation, warning signs, what helps)."
        entries.append(entry)
    return "\n".join(entries)


class EvidenceTable(NamedTuple):
    """The evidence table as the Sources page shows it: how many connections there are, the
    relations to filter by, the rows the filter keeps (as records) and those rows as CSV."""
    total: int
    relations: tuple[str, ...]
    records: tuple[dict, ...]
    csv: str


def evidence_table(text: str = "", relations=(), strengths=()) -> EvidenceTable:
    """:class:`EvidenceTable` for a filter (``pathways.evidence.filter_rows``), kept once made
    for each atlas and filter; its records are shared, so they are read, never changed."""
    return _evidence_table(atlas(), text, tuple(relations), tuple(strengths))


@functools.lru_cache(maxsize=128)
def _evidence_table(model, text: str, relations: tuple, strengths: tuple) -> EvidenceTable:
    rows = evidence_rows(model)
    shown = filter_rows(rows, text, relations, strengths)
    return EvidenceTable(len(rows), tuple(sorted({r.relation for r in rows})),
                         tuple(r.as_dict() for r in shown), evidence_csv(shown))
