"""Start here: what this is, who it is for, where to start."""

import streamlit as st

from view import atlas, current_audience

audience = current_audience()
model = atlas()
roots = [model.name(r, audience, short=True) for r in model.ids("spinal-root")]
divisions = [model.name(d, audience, short=True) for d in model.ids("trigeminal-division")]
nucleus = model.name("trigeminocervical-nucleus", audience)

st.title("Why can a neck problem be felt in the head, eye or face?")
if audience == "patient":
    st.markdown(
        f"Your pain is real. It is not \"all in your head\". This guide shows how nerves from "
        f"the top of your neck ({', '.join(roots)}) and the face nerve ({', '.join(divisions)}) "
        f"meet at one place: the {nucleus.lower()}. Because they share nerve cells there, "
        f"the brain can feel a neck problem in the forehead, the eye or the back of the head.\n\n"
        "This is for learning. It cannot tell you what you have. Only a clinician who examines "
        "you can do that.")
else:
    st.markdown(
        f"An explorable, cited model of trigeminocervical convergence: afferents of "
        f"{', '.join(roots)} and the trigeminal divisions ({', '.join(divisions)}) converge on "
        f"the {nucleus}; second-order neurons project to thalamus and cortex, where the input "
        f"is attributed to the territory they usually report. Every connection carries a "
        f"citation and an evidence note. Educational, not diagnostic.")

st.subheader("Where to start")
cols = st.columns(3)
with cols[0]:
    st.markdown("**If you have a headache now**")
    st.caption("Check the warning signs first.")
    st.page_link("app_pages/check.py", label="Check first", icon=":material/emergency:")
with cols[1]:
    st.markdown("**Follow a signal**")
    st.caption("Pick a neck joint or muscle and see where its pain may be felt.")
    st.page_link("app_pages/pathways.py", label="How the signal travels",
                 icon=":material/account_tree:")
with cols[2]:
    st.markdown("**Start from where it hurts**")
    st.caption("Mark the painful area and see what may cause pain there.")
    st.page_link("app_pages/where_it_hurts.py", label="Where it hurts", icon=":material/face:")

cols = st.columns(3)
with cols[0]:
    st.markdown("**Why pain can spread and last**")
    st.caption("How a more sensitive alarm makes touch hurt and pain spread, and what helps.")
    st.page_link("app_pages/sensitization.py", label="When pain spreads",
                 icon=":material/volume_up:")
with cols[1]:
    st.markdown("**Teach it**")
    st.caption("A 12-step lesson for a projector, with speaker notes and slides to export.")
    st.page_link("app_pages/present.py", label="Lesson", icon=":material/co_present:")
with cols[2]:
    st.markdown("**Test yourself**")
    st.caption("14 short questions with the answer, the reason and the source.")
    st.page_link("app_pages/quiz.py", label="Quiz", icon=":material/quiz:")

st.subheader("Who this is for")
st.markdown(
    "- **Patients** who want to understand why the neck can make the head hurt. Choose "
    "*Patient* in the sidebar for plain words.\n"
    "- **Clinicians** explaining this in a consultation. Choose *Clinician* for clinical terms "
    "and sources on every page.\n"
    "- **Educators** teaching a class. The *Lesson* page steps through the story; every view "
    "has its own link.")
st.caption(
    f"The model has {len(model.nodes)} structures and areas, {len(model.edges)} cited "
    f"connections and {len(model.references)} sources. Nothing you enter is stored or sent "
    "anywhere; the app works without an internet connection.")
