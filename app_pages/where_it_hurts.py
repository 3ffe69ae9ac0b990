"""Where it hurts: the head map. Forward: a source lights up where it may be felt. Reverse:
mark where it hurts and see the structures that may cause pain there."""

import streamlit as st

from pathways import SIDES, headmap
from pathways.guidance import patient_result
from pathways.viewstate import HEAD_VIEWS, OVERLAYS, format_regions
from view import (
    atlas,
    check_first_link,
    content_note,
    current_audience,
    figure_downloads,
    guidance,
    handout_downloads,
    plot,
    set_url,
    show_candidates,
    show_care,
    show_other_causes,
    show_referrals,
    show_usual_causes,
    sync_url,
    ui,
    view_state,
)

audience = current_audience()
model = atlas()
state = view_state("source", "side", "view", "overlay", "picked")
if "mode" not in st.session_state:
    st.session_state["mode"] = "source" if state.source else "area"

regions = model.ids("body-region")
labels = {r: model.name(r, audience) for r in regions}
short = {r: model.name(r, audience, short=True) for r in regions}
VIEW_NAMES, OVERLAY_NAMES = ui().names("views"), ui().names("overlays")
overlay_labels = {o: model.name(o, audience, short=True) for o in headmap.OVERLAY_IDS
                  if o in model.nodes}


def on_map_click() -> None:
    """A tap on a region marks it (or unmarks it) as a place that hurts."""
    event = st.session_state.get("headmap_click")
    selection = event.get("selection") if isinstance(event, dict) else None
    points = selection.get("points") if isinstance(selection, dict) else None
    point = points[0] if isinstance(points, list) and points else None
    data = point.get("customdata") if isinstance(point, dict) else None
    # Only what the map itself sends: [region id, side, ...] for a region on the map. A forged
    # or garbled click is ignored.
    if not (isinstance(data, list) and len(data) >= 2 and data[0] in regions
            and data[1] in SIDES):
        return
    token = f"{data[0]}:{data[1]}"
    picked = list(st.session_state.get("picked", []))
    if token in picked:
        picked.remove(token)
    else:
        picked.append(token)
    st.session_state["picked"] = picked
    st.session_state["mode"] = "area"
    st.session_state["source"] = None


st.title("Where it hurts")
mode = st.radio("Start from", ["area", "source"], key="mode", horizontal=True,
                format_func={"area": "Where it hurts", "source": "A part of the neck or face"}.get)

map_col, panel = st.columns([5, 4], gap="large")
with map_col:
    view = st.segmented_control("Drawing", HEAD_VIEWS, key="view", required=True,
                                format_func=VIEW_NAMES.get) or "front"
    overlay = st.selectbox("Layer", OVERLAYS, key="overlay", format_func=OVERLAY_NAMES.get)
    states: dict = {}
    if mode == "source":
        source = st.selectbox(
            "Which part?" if audience == "patient" else "Source structure", model.ids("tissue"),
            key="source", index=None, format_func=lambda t: model.name(t, audience),
            placeholder="Choose a joint, muscle or other part")
        side = st.segmented_control("Side of the body", SIDES, key="side",
                                    required=True, format_func=str.capitalize) or "right"
        referrals = model.referral(source, side) if source else []
        states = headmap.region_states(referrals)
    else:
        options = [f"{r}:{s}" for r in regions for s in SIDES]
        picked = st.multiselect(
            "Where do you feel it? Tap the map or choose here" if audience == "patient" else
            "Painful regions (tap the map or choose)", options, key="picked",
            format_func=lambda t: f"{labels[t.split(':')[0]]} ({t.split(':')[1]})",
            placeholder="Choose one or more areas")
        states = headmap.region_states(marked=(tuple(t.split(":")) for t in picked))

    drawing = dict(states=states, overlay=None if overlay == "none" else overlay,
                   region_labels=short, overlay_labels=overlay_labels, height=560)
    plot(headmap.build_head_map.spec(view, **drawing), key="headmap_click",
         on_select=on_map_click, selection_mode=("points",),
         config={"displayModeBar": False, "scrollZoom": False},
         alt="Head map. A text description follows.")
    if (mode == "source" and referrals) or (mode == "area" and states):
        # On narrow screens the result is below the map, the downloads and the handout: one
        # jump away (hidden by app.css where the result is beside the map).
        with st.container(key="see-result"):
            st.markdown(f"[:material/arrow_downward: {ui().text('result.jump', audience)}]"
                        "(#result)")
    hidden = [k for k in states if k not in headmap.regions_in_view(view)]
    if hidden and mode == "source":
        st.caption("Some highlighted areas are not visible from this side: "
                   + "; ".join(f"{labels[r]} ({s})" for r, s in hidden)
                   + ". Choose another drawing to see them.")
    with st.expander("Text description of the map"):
        st.write(headmap.text_equivalent(view, states, labels, None if overlay == "none"
                                         else overlay, overlay_labels, audience=audience))
        if overlay == "dermatomes":
            st.write(content_note("dermatome_maps"))
    if mode == "source" and referrals:
        cited = tuple(dict.fromkeys(k for r in referrals for k in r.citations))
        caption = (f"Where pain from the {model.name(source, audience).lower()} ({side}) may be "
                   f"felt" if audience == "patient" else
                   f"Referral of the {model.name(source, audience)} ({side})")
    else:
        marked = [f"{labels[r]} ({s})" for r, s in states]
        overview, cited = ui().figure("head-map-overview", audience)
        caption = ("Marked: " + ", ".join(marked)) if marked else overview
    figure_downloads(lambda: headmap.build_head_map(view, **drawing),
                     caption + f" ({VIEW_NAMES[view].lower()} view)", cited, f"head-map-{view}")
    # the handout sits under the map, in reach during a consultation
    if mode == "source" and referrals:
        handout_downloads(audience, source=source, side=side, view=view)
    elif mode == "area" and states:
        handout_downloads(audience, regions=list(states), view=view)

with panel:
    if mode == "source":
        if not referrals:
            st.info("Choose a part of the neck or face to see where its pain may be felt.")
        else:
            st.header(ui().text("result.heading", audience), anchor="result")
            show_referrals(source, referrals, audience)
            show_care(guidance().care_for([source]), audience)
    else:
        picked_pairs = [tuple(t.split(":")) for t in st.session_state.get("picked", [])]
        if not picked_pairs:
            st.info("Tap the map, or choose areas in the list, to see what may cause pain there.")
        else:
            # The order is the point: warning signs, the usual causes, other causes a doctor
            # would think of, and only then the possible neck and face-nerve sources.
            result = patient_result(model, picked_pairs, audience, guidance())
            st.header(ui().text("result.heading", audience), anchor="result")
            check_first_link(audience, picked_pairs)
            show_usual_causes(audience)
            show_other_causes(result.others, audience)
            st.warning(ui().text("not_a_diagnosis", audience), icon=":material/info:")
            show_candidates(result, audience)
            show_care(result.care, audience)

sync_url("view", "overlay")
if mode == "source":
    sync_url("source", "side")
else:
    region_value, side_value = format_regions(
        tuple(t.split(":")) for t in st.session_state.get("picked", []))
    set_url(source=None, region=region_value, side=side_value)
