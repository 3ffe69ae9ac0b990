"""Lesson: a scripted classroom lesson in large type for a projector. The steps, their figures
and the speaker notes come from assets/content/lesson.yaml; the step is in the URL (`step`,
counting from 1), so a link opens that step. ← and → move between steps, and so do Page Down and
Page Up (what presentation clickers send). Speaker notes (educators) are off on the projected
page until the presenter turns them on (``notes=show`` in the URL, for a presenter's window)."""

import streamlit as st

from pathways import lesson as lessons
from view import (atlas, current_audience, figure_downloads, lesson_file, load_or_stop, plot,
                  set_url, show_citations, show_red_flag, sync_url, ui, view_state)

audience = current_audience()
model = atlas()
lesson = load_or_stop(lessons.load_lesson, "lesson file")

steps = lesson.steps
count = len(steps)
view_state("step", steps=count)
if not isinstance(st.session_state.get("step"), int) or not 1 <= st.session_state["step"] <= count:
    st.session_state["step"] = 1


def move(delta: int) -> None:
    # Callbacks run before the script checks the step: a forged "Go to step" value (text, out
    # of range) counts as step 1 here instead of failing.
    current = st.session_state.get("step")
    if not isinstance(current, int) or isinstance(current, bool) or not 1 <= current <= count:
        current = 1
    st.session_state["step"] = min(max(current + delta, 1), count)


# Large type for a projector. Scoped to this page's containers; no user text in it.
st.html("""<style>
[data-testid="stMainBlockContainer"]:has(.st-key-slide) { padding-top: 3.2rem; }
.st-key-slide-counter p { font-size: clamp(1rem, 1.35vw, 1.7rem); color: #4d4d4d; margin: 0; }
.st-key-slide h1 { font-size: clamp(2rem, 3.2vw, 4.2rem); line-height: 1.12; padding: .1em 0 .15em; }
.st-key-slide-body p { font-size: clamp(1.2rem, 1.85vw, 2.4rem); line-height: 1.35; }
.st-key-lesson-nav button { min-height: 3.2rem; }
.st-key-lesson-nav button p { font-size: clamp(1.05rem, 1.35vw, 1.75rem); }
.st-key-lesson-nav [data-testid="stSelectbox"] input { font-size: clamp(1rem, 1.2vw, 1.5rem); }
.st-key-lesson-clicker { display: none; }
</style>""")

if "compact" not in st.session_state:  # phones start with the small-screen layout
    st.session_state["compact"] = "Mobi" in ((st.context.headers or {}).get("User-Agent") or "")
st.session_state.setdefault("figure_text", "large")
number = st.session_state["step"]
step = steps[number - 1]
compact = bool(st.session_state["compact"])
chart = lessons.page_spec(model, step, audience, compact,
                          st.session_state["figure_text"] or "large")  # shared: read only
caption = lessons.figure_caption(model, step, audience)

with st.container(key="slide"):
    with st.container(key="slide-counter"):
        st.markdown(f"Step {number} of {count} · {lesson.title.get(audience)}")
    st.title(step.title.get(audience), anchor=False)
    side_by_side = chart is not None and step.figure.kind == "headmap" and not compact
    text_area, figure_area = st.columns([2, 3], gap="large") if side_by_side else (st, st)
    with text_area.container(key="slide-body"):
        st.markdown(step.body.get(audience))
        if step.figure is not None and step.figure.source:
            show_red_flag(step.figure.source, audience)  # e.g. a torn neck artery
    if chart is not None:
        plot(chart, where=figure_area, key=f"lesson-figure-{number}", theme=None,
             config={"displayModeBar": False, "scrollZoom": False},
             alt=caption + " A text description follows.")

    with st.container(key="lesson-nav"):
        back, choose, forward = st.columns([1, 3, 1], vertical_alignment="center")
        back.button("Previous", key="lesson-previous", on_click=move, args=(-1,),
                    icon=":material/arrow_back:",
                    disabled=number == 1, shortcut="Left", width="stretch",
                    help="Previous step (← key)")
        choose.selectbox("Go to step", list(range(1, count + 1)), key="step",
                         format_func=lambda n: f"{n}. {steps[n - 1].title.get(audience)}",
                         label_visibility="collapsed")
        forward.button("Next", key="lesson-next", on_click=move, args=(1,), type="primary",
                       icon=":material/arrow_forward:", icon_position="right",
                       disabled=number == count, shortcut="Right", width="stretch",
                       help="Next step (→ key)")
    # A clicker sends Page Down / Page Up: the same moves, through buttons that are never shown
    # (a button takes one shortcut; the visible ones answer → and ←).
    with st.container(key="lesson-clicker"):
        st.button("Next step", key="lesson-page-down", on_click=move, args=(1,),
                  disabled=number == count, shortcut="PageDown")
        st.button("Previous step", key="lesson-page-up", on_click=move, args=(-1,),
                  disabled=number == 1, shortcut="PageUp")
    st.progress(number / count, text=None)

if chart is not None:
    with st.expander("Text description of the figure"):
        st.markdown(lessons.figure_text(model, step, audience))

words = ui()
if audience == "educator" and "notes" not in st.session_state:
    st.session_state["notes"] = st.query_params.get("notes") == "show"
if audience == "educator" and st.session_state["notes"]:
    with st.container(border=True, key="speaker-notes"):
        st.header(words.text("presenter.notes"), anchor=False)
        st.markdown(step.notes)
        show_citations(step.citations, audience)
else:
    show_citations(step.citations, audience)

st.header("For your own teaching" if audience != "patient" else "Save it", anchor=False)
st.caption("Images come with their caption and sources, in the words shown now. The lesson file "
           "works offline: open it in any browser and use ← and → to move between steps.")
if step.figure is not None:
    # drawn only when a download is asked for; the image bytes are cached, not the figure
    figure_downloads(lambda: lessons.slide_base(model, step, audience), caption, step.citations,
                     f"lesson-step-{number}-{step.id}-{audience}")
st.download_button("Whole lesson as one web page (works offline)",
                   data=lambda: lesson_file(audience), file_name=f"lesson-{audience}.html",
                   mime="text/html", key="download-lesson", on_click="ignore",
                   icon=":material/download:",
                   help="One HTML file with every step, its figure, text and sources.")
st.header("Display", anchor=False)
with st.container(horizontal=True, vertical_alignment="center", key="lesson-display"):
    st.segmented_control("Text in the figures", ["large", "standard"], key="figure_text",
                         required=True, format_func={"large": "Large (projector)",
                                                     "standard": "Standard"}.get,
                         help="Large text reads from the back of a room. If labels overlap "
                              "on a small screen, choose Standard or hide the sidebar.")
    st.toggle("Small-screen layout", key="compact",
              help="A taller diagram, for phones. On phones it is on from the start.")
if audience == "educator":
    st.toggle(words.text("presenter.notes"), key="notes", help=words.text("presenter.notes_help"))
st.caption("For the largest slide, hide the sidebar (the « arrow at its top) and use the "
           "browser's full screen (F11). " + words.text("presenter.keys"))
if audience == "educator":
    set_url(notes="show" if st.session_state.get("notes") else None)

sync_url("step")
