"""Every reference in the atlas, formatted, linked, with the connections that cite it; then
the evidence table (one row per connection), filterable and downloadable as CSV."""

import streamlit as st

from view import current_audience, evidence_table, source_list

audience = current_audience()
st.title("Sources")
st.markdown(
    "Every connection in this guide rests on at least one of these sources. Each entry lists "
    "the connections that cite it." if audience == "patient" else
    "All references, with the atlas connections (edges) that cite each one. Confidence: "
    "**V** = details checked in the source or its index; **V2** = checked via a secondary "
    "source.")
query = st.text_input("Filter by author, title or year", key="ref_filter",
                      placeholder="e.g. Bogduk, dura, 2009").strip().lower()


# One block of text for the whole list: a page of ~150 separate elements took several times
# longer to send on every keystroke in the filter, for no gain to the reader.
entries = source_list(audience, query)
if entries:
    st.markdown(entries)
else:
    st.info("No source matches that filter.")

# --- The evidence table: one row per connection, filterable and downloadable (for reviewers).

st.header("Evidence table")
st.caption(
    "Every connection in the model, one per row, with its evidence note and sources, in clinical "
    "terms. For clinicians and reviewers." if audience == "patient" else
    "One row per atlas connection: from, to, relation, strength, evidence note and citations. "
    "Filter it, or download it as CSV to audit the whole model.")
text = st.text_input("Filter the table by any word", key="evidence_filter",
                     placeholder="e.g. Aprill, rats, orbit")
relations = st.multiselect("Relation", evidence_table().relations, key="evidence_relation")
strengths = st.multiselect("Strength (referrals)", ["typical", "possible"],
                           key="evidence_strength")
table = evidence_table(text, relations, strengths)
st.caption(f"{len(table.records)} of {table.total} connections shown.")
st.dataframe(list(table.records), hide_index=True, key="evidence_table")
st.download_button(f"Download these {len(table.records)} connections (CSV)", table.csv,
                   file_name="evidence-table.csv", mime="text/csv", key="evidence_csv")
