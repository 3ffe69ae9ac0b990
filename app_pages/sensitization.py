"""When pain spreads: an illustrative model of central sensitisation. Two controls (in the URL
as ``level`` and ``modulation``) drive three linked views: the stimulus-response curves, the
wind-up train and the head map of where a chosen source may be felt."""

import streamlit as st

from pathways import SIDES, headmap
from pathways import sensitization as model_sz
from pathways.audience import words_for
from view import (
    atlas,
    current_audience,
    figure_downloads,
    guidance,
    plot,
    show_care,
    show_note,
    show_red_flag,
    sync_url,
    ui,
    view_state,
)

audience = current_audience()
patient = audience == "patient"
model = atlas()
state = view_state("level", "modulation", "source", "side")
words = ui()


st.title("When pain spreads" if patient else "Central sensitisation")
show_note("sensitization_story_" + words_for(audience), audience)

st.header("Try it" if patient else "Illustrative model")
st.caption(model_sz.ILLUSTRATIVE_NOTE + (
    " The numbers show the shape of what studies describe, not anyone's own pain."
    if patient else " Parameters and their sources are listed under the plots."))
c1, c2 = st.columns(2)
level = c1.slider(words.text("sensitization_controls.level", audience), 0.0, 1.0, step=0.05,
                  key="level", help=words.text("sensitization_controls.level_help", audience))
c1.markdown(f"Now: **{words.level_words(level, audience)}** ({level:.2f})")
modulation = c2.slider(words.text("sensitization_controls.modulation", audience), -1.0, 1.0,
                       step=0.1, key="modulation",
                       help=words.text("sensitization_controls.modulation_help", audience))
c2.markdown(f"Now: **{words.modulation_words(modulation, audience)}** ({modulation:+.1f})")

left, right = st.columns(2, gap="large")
with left:
    plot(model_sz.stimulus_response_figure.spec(level, modulation, audience),
         config={"displayModeBar": False, "scrollZoom": False},
         alt="Stimulus-response curves. A text description follows.")
    with st.expander("Text description of this plot"):
        st.markdown(model_sz.text_equivalent_stimulus_response(level, modulation, audience))
    caption, cited = words.figure("stimulus-response", audience)
    figure_downloads(lambda: model_sz.stimulus_response_figure(level, modulation, audience),
                     caption + f" (level {level:.2f}, control {modulation:+.1f}). "
                     + model_sz.ILLUSTRATIVE_NOTE, cited, f"stimulus-response-{level:.2f}")
with right:
    plot(model_sz.windup_figure.spec(level, modulation, audience=audience),
         config={"displayModeBar": False, "scrollZoom": False},
         alt="Wind-up: ratings along a train of identical taps. A text description "
             "follows.")
    with st.expander("Text description of this plot"):
        st.markdown(model_sz.text_equivalent_windup(level, modulation, audience=audience))
    caption, cited = words.figure("wind-up", audience)
    figure_downloads(lambda: model_sz.windup_figure(level, modulation, audience=audience),
                     caption + f" (level {level:.2f}). " + model_sz.ILLUSTRATIVE_NOTE, cited,
                     f"wind-up-{level:.2f}")

st.header("Where it may be felt" if patient else "Receptive-field spread")
# Set every run: a source chosen on another page is read here through that page's widget, and
# this page's widget, new, would not see it (it showed no source and the page failed).
st.session_state["source"] = st.session_state.get("source") or words.text("default_source")
m1, m2 = st.columns([3, 1])
source = m1.selectbox(
    "Where does the signal start?" if patient else "Source structure", model.ids("tissue"),
    key="source", format_func=lambda t: model.name(t, audience))
side = m2.segmented_control("Side", SIDES, key="side", required=True,
                            format_func=str.capitalize) or "right"
show_red_flag(source, audience)
referrals = model_sz.felt_with_spread(model, source, side, level)
states = headmap.region_states(referrals)
labels = {r: model.name(r, audience, short=True) for r in model.ids("body-region")}
map_col, list_col = st.columns([5, 4], gap="large")
with map_col:
    plot(headmap.build_head_map.spec(side, states=states, region_labels=labels, height=500),
         config={"displayModeBar": False, "scrollZoom": False},
                    alt="Head map of where the pain may be felt. A text description follows.")
    with st.expander("Text description of the head map"):
        st.markdown(headmap.text_equivalent(side, states, labels, audience=audience,
                                            bullets=True))
with list_col:
    usual = [r for r in referrals if not r.spread]
    spread = [r for r in referrals if r.spread]
    def places(items, mark: str = "") -> str:
        return "\n" + "\n".join(f"- {model.name(r.region, audience)} ({r.side}){mark}"
                                 for r in items)

    typical = [r for r in usual if r.strength == "typical"]
    possible = [r for r in usual if r.strength != "typical"]
    parts = []  # one block of text: each element costs every slider move
    if typical:
        parts.append(("Often felt in:" if patient else "Typical referral:") + places(typical))
    if possible:
        parts.append(("Sometimes felt in:" if patient else "Possible referral:")
                     + places(possible))
    if spread:
        parts.append(("**As the alarm gets more sensitive, it may also be felt in:**" if patient
                      else "**Added by receptive-field enlargement:**")
                     + places(spread, " ✱"))
    else:
        parts.append("Move the first slider to the right to see the area grow." if patient else
                     f"No spread at this level (it starts at "
                     f"{model_sz.DEFAULT_PARAMETERS.ring_onsets[0]:.2f}).")
    st.markdown("\n\n".join(parts))
    st.caption("✱ and pink dotted areas: spread. Orange: the usual pattern."
               if patient else "✱ / pink dotted: spread (illustrative); vermillion: typical; "
               "hatched orange: possible.")

show_care(guidance().care_for([source]), audience)  # only advice that fits this source

if not patient:
    with st.expander("Model parameters and where each comes from"):
        params = model_sz.DEFAULT_PARAMETERS
        refs = model.references
        rows = [f"- **{name}** = {getattr(params, name)}: {why} "
                f"({'; '.join(refs[k].short for k in keys)})"
                for name, (keys, why) in model_sz.PARAMETER_SOURCES.items()]
        st.markdown("\n".join(rows))

sync_url("level", "modulation", "source", "side")
