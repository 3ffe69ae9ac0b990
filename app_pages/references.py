"""Every reference in the atlas, formatted, linked, with the connections that cite it; then
the evidence table (one row per connection), filterable and downloadable as CSV."""

import streamlit as st

from pathways.evidence import evidence_csv, evidence_rows, filter_rows
from view import atlas, current_audience, reference_link

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
    if ref.doi:  # the DOI itself is the link (its name says where it goes)
        text = text.replace(f"doi:{ref.doi}.", reference_link(ref) + ".")
    elif ref.link:
        text += " " + reference_link(ref)
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
if entries:
    st.markdown("\n".join(entries))
else:
    st.info("No source matches that filter.")

# --- The evidence table: one row per connection, filterable and downloadable (for reviewers).

st.header("Evidence table")
st.caption(
    "Every connection in the model, one per row, with its evidence note and sources, in clinical "
    "terms. For clinicians and reviewers." if audience == "patient" else
    "One row per atlas connection: from, to, relation, strength, evidence note and citations. "
    "Filter it, or download it as CSV to audit the whole model.")
rows = evidence_rows(model)
text = st.text_input("Filter the table by any word", key="evidence_filter",
                     placeholder="e.g. Aprill, rats, orbit")
relations = st.multiselect("Relation", sorted({r.relation for r in rows}), key="evidence_relation")
strengths = st.multiselect("Strength (referrals)", ["typical", "possible"],
                           key="evidence_strength")
shown = filter_rows(rows, text, relations, strengths)
st.caption(f"{len(shown)} of {len(rows)} connections shown.")
st.dataframe([r.as_dict() for r in shown], hide_index=True, key="evidence_table")
st.download_button(f"Download these {len(shown)} connections (CSV)", evidence_csv(shown),
                   file_name="evidence-table.csv", mime="text/csv", key="evidence_csv")
