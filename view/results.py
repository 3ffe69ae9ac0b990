"""What a result shows, in the safe order and in the reader's words: strength badges, warnings
for structures whose pain can be an emergency, where pain from a source may be felt, the usual
causes, other causes, the candidate sources by group, what may help, and the link to the
warning-sign questions. The wording comes from ``pathways``; nothing clinical is written here."""

from __future__ import annotations

import streamlit as st

from pathways.text import explain_referrals

from .citations import show_citations
from .data import atlas, guidance

BADGE = {"typical": ("orange", "●"), "possible": ("gray", "◐")}  # colour, and a symbol


def strength_badge(strength: str, audience: str) -> str:
    """What a strength means, in words plus a symbol, never colour alone."""
    colour, symbol = BADGE[strength]
    return f":{colour}-badge[{symbol} {guidance().strength_word(strength, audience)}]"


def show_red_flag(node_id: str, audience: str) -> None:
    """For a structure whose pain can be an emergency, its warning, unmissable."""
    warning = guidance().warning(node_id)
    if warning is not None:
        st.error(warning.text(audience), icon=":material/emergency:")
        show_citations(warning.citations, audience)


def show_referrals(source: str, referrals, audience: str) -> None:
    """Where pain from a source may be felt: each place, its strength, why, and the sources.
    Patients first read its warning (if any) and the usual causes, before the neck structure's
    pattern."""
    model = atlas()
    show_red_flag(source, audience)
    if audience == "patient":
        show_usual_causes(audience)
    st.subheader("Where it may be felt" if audience == "patient" else "Referral")
    # The route once, then what differs for each place, then the sources once (a joint felt
    # in four places used to repeat the same route and references four times).
    explanation = explain_referrals(model, referrals, audience)
    if explanation.route:
        st.markdown(" ".join(explanation.route))
    # one block of text for all the places: each element costs every click
    places = [f"**{model.name(r.region, audience)} ({r.side})** "
              f"{strength_badge(r.strength, audience)}"
              + (f"\n\n{' '.join(rest)}" if rest else "")
              for r, rest in explanation.regions]
    if places:
        st.markdown("\n\n".join(places))
    show_citations(explanation.citations, audience)


CHECK_PAGE = "app_pages/check.py"


def region_params(regions) -> dict:
    """The URL parameters (``region``, and ``side`` when all share one) of marked areas."""
    from pathways.viewstate import format_regions

    region, side = format_regions(tuple(r) for r in regions)
    return {k: v for k, v in (("region", region), ("side", side)) if v}


def check_first_link(audience: str, regions=()) -> None:
    """"Answer the warning-sign questions first", keeping the marked areas for the way back."""
    st.page_link(CHECK_PAGE, query_params=region_params(regions), icon=":material/emergency:",
                 label="Not sure? Answer the warning-sign questions first" if audience == "patient"
                 else "Red-flag screen (Check first)")


def show_usual_causes(audience: str) -> None:
    """The honest frame, before any neck structure: most such pain is a primary headache."""
    usual = guidance().usual
    st.subheader(usual.title(audience))
    st.markdown(usual.text(audience))
    show_citations(usual.citations, audience)


URGENCY_STYLE = {"now": (st.error, ":material/emergency:"),
                 "today": (st.warning, ":material/medical_services:"),
                 "doctor": (st.info, ":material/stethoscope:")}


def show_other_causes(others, audience: str) -> None:
    """Other causes a doctor would think of for the marked areas: each is "see a doctor"."""
    for cause in others:
        show, icon = URGENCY_STYLE[cause.urgency]
        show(f"**{cause.wording.title(audience)}.** {cause.wording.text(audience)}", icon=icon)
        show_citations(cause.wording.citations, audience)


def show_candidates(result, audience: str) -> None:
    """The candidate sources by group (strongest group first); candidates that explain the
    same places share one line; a short explanation is always visible, the full pathway and
    the sources on demand for patients."""
    model = atlas()
    for group in result.groups:
        st.subheader(group.wording.title(audience))
        st.caption(group.wording.text(audience))
        if not group.lines:
            st.caption("None in this model for the marked areas." if audience == "patient"
                       else "None in the atlas for the marked areas.")
        for line in group.lines:
            places = "; ".join(f"{model.name(r, audience)} ({s}) "
                               + strength_badge(strength, audience)
                               for r, s, strength in line.places)
            names = "\n".join(f"- **{c.name}**" for c in line.candidates)
            summaries = list(dict.fromkeys(c.summary for c in line.candidates))
            text = ((("May explain: " if audience == "patient" else "Explains: ") + places)
                    + "\n\n" + names)
            if len(summaries) == 1:
                text += "\n\n" + summaries[0]
            else:
                text += "\n\n" + "\n".join(f"- {c.name}: {c.summary}" for c in line.candidates)
            st.markdown(text)
            for cand in line.candidates:
                if cand.warning is not None:
                    st.error(f"**{cand.name}:** {cand.warning.text(audience)}",
                             icon=":material/emergency:")
            with st.expander("The whole pathway, step by step" if audience == "patient"
                             else "Pathways and sources", expanded=audience != "patient"):
                st.markdown("\n\n".join(  # one block for all: fewer elements per click
                    f"**{cand.name}.** " + " ".join(
                        " ".join(model.explain(r, audience)) for r in cand.referrals)
                    for cand in line.candidates))
                show_citations(tuple(dict.fromkeys(
                    k for c in line.candidates
                    for k in (*c.citations, *(c.warning.citations if c.warning else ())))),
                    audience)


def show_care(cares, audience: str) -> None:
    """What may help, only in the form that fits each source shown."""
    for care in cares:
        st.subheader(care.wording.title(audience))
        st.markdown(care.wording.text(audience))
        show_citations(care.wording.citations, audience)
