"""Router: page config, the shared audience switch, and navigation."""

import streamlit as st

from pathways import DataFileError
from pathways.wording import load_ui
from view import audience_control, chart_scripts, inject_styles, run_page, urgent_care_note

try:
    ABOUT = load_ui().text("disclaimer.about")
except DataFileError:  # a malformed data file: the page below names it (view.load_or_stop)
    ABOUT = None

st.set_page_config(
    page_title="Neck and head pain pathways",
    page_icon="assets/favicon.png",  # a local file: a Material icon is fetched from Google
    layout="wide",
    menu_items={"Get help": None, "Report a bug": None, "About": ABOUT},
)

HOME = st.Page("app_pages/home.py", title="Start here", url_path="home", icon=":material/home:")


def _root() -> None:
    """The app root forwards to /home, so /home is a real, shareable address (Streamlit serves
    a default page only at the root). The query string is kept."""
    st.switch_page(HOME, query_params=st.query_params.to_dict())


PAGES = [
    st.Page(_root, title="Start", url_path="start", default=True, visibility="hidden"),
    HOME,
    st.Page("app_pages/pathways.py", title="How the signal travels", url_path="pathways",
            icon=":material/account_tree:"),
    st.Page("app_pages/where_it_hurts.py", title="Where it hurts", url_path="where-it-hurts",
            icon=":material/face:"),
    st.Page("app_pages/sensitization.py", title="When pain spreads", url_path="sensitization",
            icon=":material/volume_up:"),
    st.Page("app_pages/check.py", title="Check first", url_path="check",
            icon=":material/emergency:"),
    st.Page("app_pages/present.py", title="Lesson", url_path="present",
            icon=":material/co_present:"),
    st.Page("app_pages/quiz.py", title="Quiz", url_path="quiz", icon=":material/quiz:"),
    st.Page("app_pages/references.py", title="Sources", url_path="references",
            icon=":material/menu_book:"),
]

navigation = st.navigation(PAGES)
inject_styles()
chart_scripts()
urgent_care_note(audience_control())
run_page(navigation)
