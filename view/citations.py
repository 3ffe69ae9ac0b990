"""How sources are shown: a reference's link and its name, numbered reference lists, the
citations under a piece of wording (always visible for clinicians and educators, on demand for
patients), and the reviewed short notes with their sources."""

from __future__ import annotations

import streamlit as st

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


def references_markdown(keys, audience: str) -> str:
    """A numbered list of references with links (DOI/PubMed), from the atlas."""
    refs = atlas().references
    lines = []
    for i, key in enumerate(keys, 1):
        ref = refs[key]
        text = ref.formatted()
        if ref.doi:  # the DOI is the link, not said twice
            text = text.replace(f"doi:{ref.doi}.", reference_link(ref) + ".")
        else:
            text += (" " + reference_link(ref)) if ref.link else ""
        lines.append(f"{i}. {text}")
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
