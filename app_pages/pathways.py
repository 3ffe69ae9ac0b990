"""How the signal travels: the convergence diagram. Pick a source (tap it or choose it) to
light its path to the nucleus, the way up, and the territory where it is felt."""

import streamlit as st

from pathways import SIDES, diagram
from view import (
    at_frame,
    atlas,
    current_audience,
    figure_downloads,
    guidance,
    handout_downloads,
    layout_control,
    plot,
    show_care,
    show_referrals,
    sync_url,
    ui,
    view_state,
)

audience = current_audience()
model = atlas()
state = view_state("source", "side")


def on_diagram_click() -> None:
    """A tap on a tissue square selects it as the source."""
    event = st.session_state.get("diagram_click")
    selection = event.get("selection") if isinstance(event, dict) else None
    points = selection.get("points") if isinstance(selection, dict) else None
    for point in points if isinstance(points, list) else []:
        data = point.get("customdata") if isinstance(point, dict) else None
        node_id = data[0] if isinstance(data, list) and data else None
        if isinstance(node_id, str) and node_id in model.ids("tissue"):  # else forged: ignored
            st.session_state["source"] = node_id
            return


st.title("How the signal travels" if audience == "patient" else "Convergence pathway")
c1, c2 = st.columns([3, 1])
source = c1.selectbox(
    "Where does the signal start? Tap a square in the diagram or choose here"
    if audience == "patient" else "Source structure (tap a square or choose)",
    model.ids("tissue"), index=None, key="source",
    format_func=lambda t: model.name(t, audience),
    placeholder="Choose a joint, muscle or other part")
side = c2.segmented_control("Side", SIDES, key="side", required=True,
                            format_func=str.capitalize) or "right"

compact = layout_control()
figure = diagram.build_diagram.spec(model, audience=audience, source=source, side=side,
                                    height=760 if compact else 640, compact=compact)
frames = figure.get("frames") or []
chart = st.container()
if frames:
    # The animation one step at a time, at the reader's own pace (the Play button runs it all
    # at once): the same frames, moved with ← and → or by dragging.
    if st.session_state.get("signal_step_of") != (source, side):
        st.session_state["signal_step_of"] = (source, side)
        st.session_state["signal_step"] = 0
    last = len(frames)
    step = st.select_slider(
        ui().text("signal_steps.label", audience), list(range(last + 1)), key="signal_step",
        format_func=lambda i: ui().text("signal_steps.start", audience) if i == 0 else
        ui().text("signal_steps.felt", audience) if i == last else str(i),
        help=ui().text("signal_steps.help", audience))
    figure = at_frame(figure, step)
plot(figure, where=chart, key="diagram_click", on_select=on_diagram_click,
     selection_mode=("points",),
     config={"displayModeBar": False, "scrollZoom": False},
     alt="Diagram of the pain pathway. A text description follows.")

with st.expander("Text description of the diagram", expanded=False):
    st.markdown(diagram.text_equivalent(model, audience, source, side))
referrals = model.referral(source, side) if source else []
if source:
    caption = (f"How a signal from the {model.name(source, audience).lower()} ({side}) travels"
               if audience == "patient" else
               f"Convergence pathway: {model.name(source, audience)} ({side})")
    cited = tuple(dict.fromkeys(k for r in referrals for k in r.citations))
else:
    caption, cited = ui().figure("diagram-overview", audience)
figure_downloads(lambda: diagram.build_diagram(model, audience=audience, source=source, side=side,
                                               animate=False, height=860),
                 caption, cited, "pathway-" + (source or "overview"))

if source:
    st.header(ui().text("result.heading", audience), anchor="result")
    show_referrals(source, referrals, audience)
    show_care(guidance().care_for([source]), audience)
    st.page_link("app_pages/where_it_hurts.py", label="See it on the head map",
                 icon=":material/face:", query_params={"source": source, "side": side})
    handout_downloads(audience, source=source, side=side)
else:
    st.info("Tap a square at the bottom of the diagram, or choose above, to follow a signal."
            if audience == "patient" else "Select a source to highlight its path.")

sync_url("source", "side")
