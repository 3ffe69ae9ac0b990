"""Every reference in the atlas, formatted, linked, with the connections that cite it."""

import streamlit as st

from view import atlas, current_audience

audience = current_audience()
model = atlas()
st.title("Sources")
st.markdown(
    "Every connection in this guide rests on at least one of these sources. Each entry lists "
    "the connections that cite it." if audience == "patient" else
    "All references, with the atlas connections (edges) that cite each one. Confidence: "
    "**V** = details checked in the source or its index; **V2** = checked via a secondary "
    "source.")
query = st.text_input("Filter by author, title or year", key="ref_filter",
                      placeholder="e.g. Bogduk, dura, 2009").strip().lower()


def relation_words(edge) -> str:
    a, b = model.name(edge.source, audience), model.name(edge.target, audience)
    return f"{a} → {b} ({edge.relation.replace('-', ' ')})"


# One block of text for the whole list: a page of ~150 separate elements took several times
# longer to send on every keystroke in the filter, for no gain to the reader.
entries = []
for ref in sorted(model.references.values(), key=lambda r: (r.authors.lower(), r.year)):
    text = ref.formatted()
    if query and query not in text.lower():
        continue
    entry = (f"1. **{ref.short}** — {text}" + (f" [Open]({ref.link})" if ref.link else "")
             + (f" · confidence {ref.confidence}" if audience != "patient" and ref.confidence
                else ""))
    edges = model.cited_by(ref.key)
    if edges:
        entry += (f"\n    - Cited by {len(edges)} connection{'s' if len(edges) != 1 else ''}:"
                  + "".join(f"\n        - {relation_words(e)}" for e in edges))
    else:
        entry += "\n    - Cited in the explanations (sensitisation, warning signs, what helps)."
    entries.append(entry)
if entries:
    st.markdown("\n".join(entries))
else:
    st.info("No source matches that filter.")
