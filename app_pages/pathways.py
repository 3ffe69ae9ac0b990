"""How the signal travels: pick a source, follow its path to the nucleus and up."""

import streamlit as st

from view import atlas, current_audience, show_citations, sync_url, view_state

audience = current_audience()
model = atlas()
state = view_state("source", "side")

st.title("How the signal travels" if audience == "patient" else "Convergence pathway")
tissues = model.ids("tissue")
source = st.selectbox(
    "Where does the signal start?" if audience == "patient" else "Source structure",
    tissues, index=None, key="source",
    format_func=lambda t: model.name(t, audience),
    placeholder="Choose a joint, muscle or other part")
side = st.segmented_control("Side", ["left", "right"], key="side", required=True,
                            format_func=str.capitalize) or "right"

if source:
    referrals = model.referral(source, side)
    st.subheader("Where it may be felt" if audience == "patient" else "Referral")
    for r in referrals:
        where = f"{model.name(r.region, audience)} ({r.side})"
        st.markdown(f"**{where}** · {r.strength}")
        st.markdown(" ".join(model.explain(r, audience)))
        show_citations(r.citations, audience)
else:
    st.info("Choose where the signal starts to see its path." if audience == "patient" else
            "Select a source to highlight its path.")

sync_url("source", "side")
