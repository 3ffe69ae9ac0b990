"""Check first: the warning signs come before any explanation. Then "could it come from my
neck?" (what clinicians look at, the jaw, what to discuss) and myths against the evidence.

All clinical wording comes from assets/content/check.yaml through ``pathways.consult``; this
page only lays it out. Answers live in the session and in the URL parameter ``answers``.
"""

import streamlit as st

from pathways.consult import ANSWERS, URGENCIES, format_answers, load_check, parse_answers, triage
from view import (atlas, current_audience, handout_downloads, load_or_stop, region_params,
                  set_url, show_citations, ui, view_state)

ANSWER_NAMES = {"yes": "Yes", "no": "No", "unsure": "Not sure"}
TEXT_WIDTH = 860  # pixels; narrower screens use their full width
#: How each message is shown: (Streamlit element, icon). Never colour alone: icon and title too.
STYLE = {
    "now": (st.error, ":material/emergency:"),
    "today": (st.warning, ":material/medical_services:"),
    "unsure-now": (st.warning, ":material/help:"),
    "unsure": (st.warning, ":material/help:"),
    "caution": (st.warning, ":material/help:"),
    "clear": (st.info, ":material/info:"),
    "withheld": (st.info, ":material/info:"),
}

audience = current_audience()
patient = audience == "patient"
atlas()  # stops the page with a clear message if the anatomy data is broken
content = load_or_stop(load_check, "content of this page")
# Areas marked on the head map come along in the link (region=...), for the way back.
marked = view_state("picked", "side").regions


def widget_key(question_id: str) -> str:
    return f"check-{question_id}"


def show_message(name: str, result=None, *, inline: bool = False) -> None:
    """A reviewed message: title in bold, then what to do, then the signs behind it and the
    sources. ``inline`` (under a question): no sources, and only the title for clinicians."""
    message = content.message(name)
    show, icon = STYLE[name]
    title = message.title(audience)
    # In the result, an emergency's title is a heading of its own (under the result's heading):
    # unmistakable.
    body = f"### {title}\n\n" if name == "now" and not inline else f"**{title}** "
    if patient or not inline:
        body += message.text(audience)
        signs = ()
        if result is not None and name in URGENCIES:
            signs, lead = result.yes, "You said yes to" if patient else "Present"
        elif result is not None and name.startswith("unsure"):
            signs, lead = result.unsure, "You were not sure about" if patient else "Uncertain"
        if signs:
            body += (f"\n\n{lead}: "
                     + "; ".join(content.question(s).label(audience) for s in signs) + ".")
    show(body.strip(), icon=icon)
    if not inline and name != "withheld":
        show_citations(message.citations, audience)


def ask(question) -> None:
    """One warning sign: Yes / No / Not sure, nothing chosen until the user chooses."""
    # Plain words: the label is the group's accessible name (app.css makes it bold).
    choice = st.radio(question.text(audience), ANSWERS, index=None, horizontal=True,
                      format_func=ANSWER_NAMES.get, key=widget_key(question.id),
                      persist_state="session")
    # The answer's consequence right under the question, so it cannot be missed.
    if choice == "yes":
        show_message(question.urgency, inline=True)
    elif choice == "unsure" and question.urgency == "now":
        show_message("unsure-now", inline=True)


# ------------------------------------------------------------------- answers from the URL
if "answers" in st.query_params:
    linked, notices = parse_answers(st.query_params.get_all("answers"), content)
else:
    linked, notices = {}, []
for question in content.questions:
    if widget_key(question.id) not in st.session_state:
        st.session_state[widget_key(question.id)] = linked.get(question.id)

# ------------------------------------------------------------------------------ sections


def warning_signs() -> None:
    """1. The warning signs: every question for patients; a checklist for clinicians."""
    if patient:
        st.header("Warning signs")
        for question in content.questions:
            ask(question)
        show_citations(content.question_citations(), audience)
        return
    answered_any = any(st.session_state.get(widget_key(q.id)) for q in content.questions)
    with st.expander(f"Red-flag checklist: SNNOOP10 and cervical artery dissection "
                     f"({len(content.questions)} items)", expanded=answered_any,
                     icon=":material/checklist:"):
        for question in content.questions:
            ask(question)
        show_citations(content.question_citations(), audience)


def the_result(result) -> None:
    """The result, first after the questions: most urgent message on top."""
    st.header("Your result" if patient else ui().text("result.heading", audience))
    for name in result.messages:
        show_message(name, result)
    if not result.messages:
        done, total = len(content.questions) - len(result.unanswered), len(content.questions)
        if patient:
            st.info(f"You have answered {done} of {total} questions. Answer all of them to see "
                    "the rest of this page.", icon=":material/pending:")
        else:
            st.caption(f"Checklist: {done} of {total} items answered.")
    if patient and result.explanation == "withhold":
        show_message("withheld")


def the_walk(result) -> None:
    """2. Could it come from my neck? What clinicians look at, the jaw, what to discuss."""
    st.header("Could it come from my neck?" if patient else "Could it come from the neck?")
    if patient and result.explanation == "caution":
        show_message("caution")
    st.info(content.walk_intro.text(audience), icon=":material/school:")
    for step in content.steps_for(audience):
        st.subheader(step.title(audience))
        st.markdown(step.text(audience))
        if step.limits and not patient:
            st.markdown(f"**Limits.** {step.limits}")
        show_citations(step.citations, audience)

    st.subheader(content.jaw.title(audience))
    st.markdown(content.jaw.text(audience))
    show_citations(content.jaw.citations, audience)

    st.subheader("What to discuss with your clinician" if patient
                 else "What to discuss with the patient")
    st.markdown("\n".join(f"- {point.text(audience)}" for point in content.discuss))
    show_citations(tuple(dict.fromkeys(k for point in content.discuss for k in point.citations)),
                   audience)


def the_myths() -> None:
    """3. Popular claims, each against the evidence, with sources."""
    st.header("Myths and evidence" if patient else "Popular claims against the evidence")
    for myth in content.myths:
        with st.container(border=True):
            st.markdown(f"**The claim:** “{myth.claim}”")
            st.markdown(f"**What the evidence says:** {myth.evidence.text(audience)}")
            show_citations(myth.citations, audience)


# ---------------------------------------------------------------------------------- page
with st.container(width=TEXT_WIDTH):  # readable line length on wide screens
    st.title("Check first: warning signs" if patient else "Check first: red flags, then the neck")
    for notice in notices:
        st.info(notice, icon=":material/info:")
    st.markdown(content.intro.text(audience))
    st.caption(content.privacy.text(audience))

    warning_signs()
    answers = {q.id: st.session_state.get(widget_key(q.id)) for q in content.questions}
    result = triage(answers, content)
    set_url(answers=format_answers(answers, content))
    the_result(result)
    if marked and (not patient or result.offer_explanation):
        st.page_link("app_pages/where_it_hurts.py", icon=":material/face:",
                     query_params=region_params(marked),
                     label="Back to where it hurts, with the areas you marked" if patient
                     else "Back to the head map (marked areas kept)")
    # Patients read on only when no answer is "yes"; clinicians and educators always.
    if not patient or result.offer_explanation:
        the_walk(result)
        the_myths()

    # The handout repeats the warning signs, so it is offered once no answer calls for help now.
    if not patient or result.offer_explanation:
        handout_downloads(audience, key="check-handout")
