"""Streamlit helpers shared by the pages: the atlas, the audience switch, URL notices and
citations. Clinical content comes from ``pathways``; nothing clinical is written here."""

from __future__ import annotations

import functools
from pathlib import Path

import streamlit as st
from plotly.basedatatypes import BaseFigure

from pathways import AUDIENCES, DataFileError, load_atlas
from pathways.text import explain_referrals
from pathways.viewstate import ViewState, parse_view



@st.cache_resource(show_spinner=False)
def _atlas():
    return load_atlas()


def load_or_stop(load, what: str):
    """``load()``, or, if a data file is malformed (a :class:`DataFileError`, which names the
    file, entry and field), a clear message and the page stops. ``what`` names it for the
    reader."""
    try:
        return load()
    except DataFileError as error:
        st.error(f"The {what} could not be loaded, so this page cannot be shown. Please tell "
                 f"whoever maintains this copy of the app. Details: {error}")
        st.stop()


def atlas():
    """The shared, read-only atlas; a malformed atlas stops the page with a clear message."""
    return load_or_stop(_atlas, "anatomy data")


STYLES = Path(__file__).parent / "assets" / "styles" / "app.css"


@functools.lru_cache(maxsize=1)
def _styles() -> str:
    return STYLES.read_text(encoding="utf-8")


def inject_styles() -> None:
    """The app's own styles (contrast, visible focus, wrapping links), once per page run."""
    st.html(f"<style>{_styles()}</style>")


#: The app's scripts, for what Plotly's charts do not do by themselves: on touch screens one
#: tap marks a chart (``touch-taps.js``); a keyboard reaches and presses a chart's own buttons,
#: such as the diagram's Play (``chart-keys.js``). Served by Streamlit's static serving
#: (``server.enableStaticServing``) from ``static/``, so they come from the app's own origin,
#: which the deployed content security policy allows.
CHART_SCRIPTS = ("/app/static/touch-taps.js", "/app/static/chart-keys.js")


def chart_scripts() -> None:
    """Load :data:`CHART_SCRIPTS` in a hidden frame; each adds its listeners to the page once,
    however often this runs."""
    import streamlit.components.v1 as components

    with st.container(key="chart-scripts"):
        components.html("".join(f'<script src="{src}"></script>' for src in CHART_SCRIPTS),
                        height=0)


_DEFAULTS = {f: getattr(ViewState(), f) for f in ViewState.__dataclass_fields__}
_DEFAULTS["picked"] = []
_URL_NAME = {"picked": "region"}  # widget key -> URL parameter, where they differ


def _url_value(key: str, state: ViewState):
    if key == "picked":  # the head map's marked areas, as "region:side" strings
        return [f"{region}:{side}" for region, side in state.regions]
    return getattr(state, key)


def audience_control() -> str:
    """The audience switch (patient / clinician / educator), kept in the URL as ``audience``."""
    state, notices = parse_view({"audience": st.query_params.get_all("audience")}
                                if "audience" in st.query_params else {})
    for notice in notices:
        st.info(notice, icon=":material/info:")
    if "audience" not in st.session_state:
        st.session_state["audience"] = state.audience
    words = ui()
    # Phones never show the collapsed sidebar: there the switch is at the top of the page.
    where = st.container(key="audience-in-page") if is_phone() else st.sidebar
    where.segmented_control(
        words.text("audience.question"), AUDIENCES,
        format_func=words.names("audience.names").get, key="audience", required=True,
        help=words.text("audience.help"))
    sync_url("audience")
    return current_audience()


def current_audience() -> str:
    return st.session_state.get("audience") or "patient"


def view_state(*keys: str, **limits) -> ViewState:
    """Parse this page's URL, show a notice for anything ignored, and seed the page's widgets.

    ``keys`` name the widgets (by session-state key, equal to the URL parameter) that this page
    draws. Each is seeded once per session from the URL or its default, so a deep link, a
    refresh or a reconnect to another replica opens exactly the linked view. Call
    :func:`sync_url` after drawing the widgets.
    """
    names = {_URL_NAME.get(key, key) for key in keys}
    params = {key: st.query_params.get_all(key) for key in st.query_params if key in names}
    state, notices = parse_view(params, atlas(), **limits)
    for notice in notices:
        st.info(notice, icon=":material/info:")
    for key in keys:
        if key not in st.session_state:
            st.session_state[key] = _url_value(key, state)
    return state


def sync_url(*keys: str) -> None:
    """Write the widgets' current values to the URL (defaults are left out)."""
    values = {key: st.session_state.get(key) for key in keys}
    set_url(**{key: None if value == _DEFAULTS.get(key) else value
               for key, value in values.items()})


def set_url(**values) -> None:
    """Set URL parameters directly (None removes one)."""
    for key, value in values.items():
        if value is None:
            if key in st.query_params:
                del st.query_params[key]
        elif st.query_params.get(key) != str(value):
            st.query_params[key] = str(value)


LAYOUTS = ("wide", "compact")


def is_phone() -> bool:
    """Whether the browser says it is a phone (its User-Agent), to pick the small-screen
    layout on first load. Nothing is stored."""
    agent = (st.context.headers or {}).get("User-Agent", "") or ""
    return "Mobi" in agent  # phones say "Mobile" (Android, iPhone); tablets do not


def layout_control() -> bool:
    """The small-screen layout switch: on by default on phones, kept in the URL as
    ``layout=compact|wide`` when it differs from that default. Returns True for compact."""
    automatic = is_phone()
    if "compact" not in st.session_state:
        asked = st.query_params.get("layout")
        if asked is not None and asked not in LAYOUTS:
            st.info("The layout in the link was not recognised, so the usual layout is shown.",
                    icon=":material/info:")
        st.session_state["compact"] = (asked == "compact") if asked in LAYOUTS else automatic
    compact = st.toggle("Small-screen layout", key="compact",
                        help="A taller diagram with larger labels, for phones. On phones it is "
                             "on from the start.")
    set_url(layout=None if compact == automatic else LAYOUTS[compact])
    return compact


@st.cache_resource(show_spinner=False)
def _guidance():
    from pathways.guidance import load_guidance

    return load_guidance()


def guidance():
    """The reviewed wording around a result (usual causes, other causes, groups, warnings,
    advice); a malformed file stops the page with a clear message."""
    return load_or_stop(_guidance, "safety and advice wording")


@st.cache_resource(show_spinner=False)
def _ui():
    from pathways.wording import load_ui

    return load_ui()


def ui():
    """The app's shared words (assets/content/ui.yaml); a malformed file stops the page with
    a clear message."""
    return load_or_stop(_ui, "page wording")


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
    for r, rest in explanation.regions:  # one block per place: fewer elements per click
        st.markdown(f"**{model.name(r.region, audience)} ({r.side})** "
                    f"{strength_badge(r.strength, audience)}"
                    + (f"\n\n{' '.join(rest)}" if rest else ""))
    show_citations(explanation.citations, audience)


def link_name(ref) -> str:
    """What a reference's link says (read out by screen readers): its DOI or PubMed number,
    else its title; never a bare "Link"."""
    if ref.doi:
        name = f"DOI {ref.doi}"
    elif ref.pmid:
        name = f"PubMed {ref.pmid}"
    else:
        name = ref.title.rstrip(".")
    return name.replace("[", "(").replace("]", ")").replace("*", "").replace("_", "\\_")


def reference_link(ref) -> str:
    """A Markdown link to a reference, named by its DOI, PubMed number or title ('' if none)."""
    return f"[{link_name(ref)}]({ref.link})" if ref.link else ""


def references_markdown(keys, audience: str) -> str:
    """A numbered list of references with links (DOI/PubMed), from the atlas."""
    refs = atlas().references
    lines = []
    for i, key in enumerate(keys, 1):
        ref = refs[key]
        text = ref.formatted()
        if ref.doi:  # the DOI is the link, not said twice
            text = text.replace(f"doi:{ref.doi}.", reference_link(ref) + ".")
        else:
            text += (" " + reference_link(ref)) if ref.link else ""
        lines.append(f"{i}. {text}")
    return "\n".join(lines)


def show_citations(keys, audience: str, *, label: str = "Sources") -> None:
    """Citations: always visible for clinicians and educators, on demand for patients."""
    if not keys:
        return
    text = references_markdown(keys, audience)
    if audience == "patient":
        with st.expander(f"{label} ({len(keys)})"):
            st.markdown(text)
    else:
        st.markdown(f"**{label}**\n\n{text}")


@st.cache_resource(show_spinner=False)
def _notes():
    from pathways.guidance import load_notes

    return load_notes()


def notes():
    """The reviewed short notes (notes.yaml), validated; a malformed file stops the page with
    a clear message that names the file and line."""
    return load_or_stop(_notes, "safety notes")


def content_note(name: str) -> str:
    """A reviewed note from assets/content/notes.yaml, with its sources named."""
    note = notes()[name]
    refs = atlas().references
    return note.text + " Source: " + "; ".join(refs[k].short for k in note.citations) + "."


def show_note(name: str, audience: str, *, label: str = "Sources") -> None:
    """A reviewed note in full, with its citations (on demand for patients)."""
    note = notes()[name]
    st.markdown(note.text)
    show_citations(note.citations, audience, label=label)


CHECK_PAGE = "app_pages/check.py"


def urgent_care_note(audience: str) -> None:
    """The always-present route to urgent care. Patients see it on the page itself; clinicians
    and educators in the sidebar, or on the page on phones (which never show the sidebar)."""
    if audience == "patient":  # a plain bordered box: a page's own error messages stay apart
        with st.container(key="urgent-care", border=True):
            st.markdown(":red[:material/emergency:] " + content_note("urgent_care"))
    else:
        (st if is_phone() else st.sidebar).caption(content_note("urgent_care"))


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
                for cand in line.candidates:
                    st.markdown(f"**{cand.name}.** " + " ".join(
                        " ".join(model.explain(r, audience)) for r in cand.referrals))
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


# ----------------------------------------------------------------------------- figures

class _StoredFigure(BaseFigure):
    """Stands in for a Plotly figure when a stored spec is shown: ``st.plotly_chart``
    asks a figure only for ``to_dict()``, and this answers with the spec itself. Making a figure
    from the spec and turning it back into a dict would copy and re-check every property (about
    9 ms for the convergence diagram, on every click); the spec is shared and not changed.
    BaseFigure's own set-up is skipped on purpose: nothing else is asked of this object."""

    def __init__(self, spec: dict):  # noqa: D107 - no super().__init__, see above
        object.__setattr__(self, "_spec", spec)

    def to_dict(self) -> dict:
        return self._spec


def at_frame(spec: dict, index: int) -> dict:
    """A stored spec as its animation shows it after frame ``index`` (0: before the first
    frame), as a new dict: each frame's traces are merged into the data, as Plotly does. The
    same pictures as Play, one step at a time, for keyboards and for readers who need time."""
    frames = spec.get("frames") or []
    if not index:
        return spec
    data = list(spec.get("data", []))
    for frame in frames[:index]:
        for trace_index, trace in zip(frame.get("traces", []), frame.get("data", [])):
            data[trace_index] = {**data[trace_index], **trace}
    return {**spec, "data": data}


def plot(spec, *, where=None, **kwargs):
    """Show a figure's stored spec (from a builder's ``.spec(...)``, see
    :mod:`pathways.figcache`) with ``st.plotly_chart`` and its usual arguments; ``where`` is a
    container (default: the page)."""
    return (where or st).plotly_chart(_StoredFigure(spec), **kwargs)


# ----------------------------------------------------------------------------- figure export

#: Why this machine cannot make images (``{"message": ...}``), once an export has failed; empty
#: while exports work. Read by :func:`figure_downloads` to say so instead of offering buttons.
EXPORT_PROBLEM: dict[str, str] = {}


@st.cache_data(show_spinner=False, max_entries=48)
def _slide_bytes(figure_json: str, fmt: str) -> bytes:
    import plotly.io as pio

    from pathways.slides import slide_image

    return slide_image(pio.from_json(figure_json, skip_invalid=True), fmt)


def figure_downloads(figure, caption: str, citations, name: str) -> None:
    """Download buttons for a figure as SVG and PNG at slide resolution (1920 pixels wide), with
    its caption above and its sources below, in the words the caller passes (the current
    audience's). ``figure`` is a Plotly figure, or a function returning one; a figure drawn at
    :func:`pathways.lesson.slide_height` comes out exactly 1920×1080.

    Images take seconds to make (Kaleido), so nothing is made until a button is pressed; the
    bytes are then cached. Where this computer cannot make images, a plain warning says so.
    """
    import re

    from pathways.export import ExportUnavailable
    from pathways.lesson import citation_text
    from pathways.slides import slide_figure

    if EXPORT_PROBLEM:
        st.warning("Figures cannot be saved as images on this computer (the image maker needs "
                   "the Chromium browser). The text description above can still be copied. "
                   "Details: " + EXPORT_PROBLEM["message"], icon=":material/image_not_supported:")
        return
    sources = citation_text(atlas(), citations)
    stem = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "figure"

    def deferred(fmt: str):
        def make() -> bytes:
            fig = figure() if callable(figure) else figure
            try:
                return _slide_bytes(slide_figure(fig, caption, sources).to_json(), fmt)
            except ExportUnavailable as error:
                EXPORT_PROBLEM["message"] = str(error)
                raise
        return make

    with st.container(horizontal=True, key=f"downloads-{stem}"):
        st.download_button("Figure as SVG", data=deferred("svg"), file_name=f"{stem}.svg",
                           mime="image/svg+xml", key=f"download-{stem}-svg", on_click="ignore",
                           icon=":material/download:",
                           help="A vector image for slides, with the caption and sources.")
        st.download_button("Figure as PNG", data=deferred("png"),
                           file_name=f"{stem}.png", mime="image/png", key=f"download-{stem}-png",
                           on_click="ignore", icon=":material/download:",
                           help="A picture 1920 pixels wide (slide resolution), with the caption "
                                "and sources.")


@functools.lru_cache(maxsize=32)
def _handout_bytes(fmt: str, audience: str, regions: tuple, source, side: str,
                   view: str | None) -> bytes:
    """One handout, built in memory on request (kept in memory for repeat clicks only)."""
    from pathways import handout

    if fmt == "pdf":
        return handout.build_pdf(atlas(), audience, regions=regions, source=source, side=side,
                                 view=view)
    return handout.build_html(atlas(), audience, regions=regions, source=source,
                              side=side, view=view).encode("utf-8")


def handout_downloads(audience: str, *, regions=(), source=None, side: str = "right",
                      view: str | None = None, key: str = "handout") -> None:
    """"Download handout" as PDF and as one offline HTML file, for this view (``view``: the
    head-map drawing on screen, used in the handout when it shows everything marked). Nothing
    is made until a button is pressed, and nothing is written to disk or kept about the
    patient."""
    args = (audience, tuple(tuple(r) for r in regions), source, side, view)
    st.header("Take it home" if audience == "patient" else "Handout")  # a section of its own
    st.caption("A one- or two-page summary of this view with the warning signs, what may help "
               "and the sources. It is made when you press the button and is not stored.")
    with st.container(horizontal=True, key=f"{key}-buttons"):
        st.download_button(
            "Download handout (PDF)", data=lambda: _handout_bytes("pdf", *args),
            file_name="neck-and-head-pain-handout.pdf", mime="application/pdf",
            key=f"{key}-pdf", on_click="ignore", icon=":material/picture_as_pdf:", type="primary")
        st.download_button(
            "Handout as a web page (works offline)", data=lambda: _handout_bytes("html", *args),
            file_name="neck-and-head-pain-handout.html", mime="text/html",
            key=f"{key}-html", on_click="ignore", icon=":material/download:")


# ----------------------------------------------------------------------------- the page

def run_page(page) -> None:
    """Run the page ``st.navigation`` chose inside one ``st.fragment``: a widget on the page (the
    head map, the diagram, the sensitisation controls, a lesson step, the warning signs, the
    quiz, the filters) then reruns the page alone, not the router, the styles and the sidebar
    (measured with ``./bench/run``). The audience switch, in the sidebar, and a page change
    rerun everything. On a Streamlit without the page flag used below, the page runs as usual."""
    if not hasattr(page, "_can_be_called"):
        page.run()
        return
    _page_part(page)


@st.fragment
def _page_part(page) -> None:
    # Streamlit runs a page once per run of the app; a rerun of this fragment is a run of its own.
    page._can_be_called = True
    page.run()
