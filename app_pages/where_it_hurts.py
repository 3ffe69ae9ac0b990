"""Where it hurts: from a painful area back to the structures that may cause it."""

import streamlit as st

from view import atlas, current_audience, show_citations, sync_url, view_state

audience = current_audience()
model = atlas()
state = view_state("region", "side")

st.title("Where it hurts")
regions = model.ids("body-region")
region = st.selectbox(
    "Where do you feel it?" if audience == "patient" else "Region",
    regions, index=None, key="region",
    format_func=lambda r: model.name(r, audience), placeholder="Choose an area")
side = st.segmented_control("Side", ["left", "right"], key="side", required=True,
                            format_func=str.capitalize) or "right"
if region:
    st.caption("These are possibilities, not a diagnosis." if audience == "patient" else
               "Candidate sources from the atlas; possibilities, not a diagnosis.")
    for c in model.candidates(region, side):
        group = "Upper neck" if c.group == "upper-neck" else "Face nerve (trigeminal)"
        st.markdown(f"**{model.name(c.source, audience)}** · {group} · {c.strength}")
        st.markdown(" ".join(model.explain(c, audience)))
        show_citations(c.citations, audience)

sync_url("region", "side")
