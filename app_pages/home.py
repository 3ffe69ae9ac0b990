"""Start here: what this is, who it is for, where to start."""

import streamlit as st

from view import atlas, current_audience, ui

audience = current_audience()
model = atlas()
roots = [model.name(r, audience, short=True) for r in model.ids("spinal-root")]
divisions = [model.name(d, audience, short=True) for d in model.ids("trigeminal-division")]
nucleus = model.name("trigeminocervical-nucleus", audience)

st.title("Why can a neck problem be felt in the head, eye or face?")
st.markdown(ui().text("home_intro", audience, roots=", ".join(roots),
                      divisions=", ".join(divisions),
                      nucleus=nucleus.lower() if audience == "patient" else nucleus))

st.header("Where to start")
START = [  # (heading, what it does, page, link label, icon)
    ("If you have a headache now", "Check the warning signs first.",
     "app_pages/check.py", "Check first", ":material/emergency:"),
    ("Follow a signal", "Pick a neck joint or muscle and see where its pain may be felt.",
     "app_pages/pathways.py", "How the signal travels", ":material/account_tree:"),
    ("Start from where it hurts", "Mark the painful area and see what may cause pain there.",
     "app_pages/where_it_hurts.py", "Where it hurts", ":material/face:"),
    ("Why pain can spread and last",
     "How a more sensitive alarm makes touch hurt and pain spread, and what helps.",
     "app_pages/sensitization.py", "When pain spreads", ":material/volume_up:"),
    ("Teach it", "A step-by-step lesson for a projector, with speaker notes and slides.",
     "app_pages/present.py", "Lesson", ":material/co_present:"),
    ("Test yourself", "Short questions with the answer, the reason and the source.",
     "app_pages/quiz.py", "Quiz", ":material/quiz:"),
]
for row in range(0, len(START), 3):
    for col, (heading, what, page, label, icon) in zip(st.columns(3), START[row:row + 3]):
        with col:
            st.markdown(f"**{heading}**")
            st.caption(what)
            st.page_link(page, label=label, icon=icon)

st.header("Who this is for")
st.markdown(
    "- **Patients** who want to understand why the neck can make the head hurt. Choose "
    "*Patient* in the sidebar for plain words.\n"
    "- **Clinicians** explaining this in a consultation. Choose *Clinician* for clinical terms "
    "and sources on every page.\n"
    "- **Educators** teaching a class. The *Lesson* page steps through the story; every view "
    "has its own link.")
st.caption(
    f"The model has {len(model.nodes)} structures and areas, {len(model.edges)} cited "
    f"connections and {len(model.references)} sources. " + ui().text("disclaimer.privacy"))
