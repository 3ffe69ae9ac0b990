"""Streamlit helpers shared by the pages: the atlas, the audience switch, URL notices and
citations. Clinical content comes from ``pathways``; nothing clinical is written here.

One concern per module, each importing only those listed before it:

* :mod:`.data`: the cached atlas, wording and notes; a malformed data file stops the page with a
  clear message;
* :mod:`.state`: the view's state in the URL (the audience switch, URL parameters seeded into the
  page's widgets and written back, the small-screen layout);
* :mod:`.citations`: reference links and lists, citations, the reviewed notes with their sources;
* :mod:`.results`: what a result shows (warnings, referrals, causes, candidates, what may help);
* :mod:`.figures`: a stored figure spec shown without re-making the figure;
* :mod:`.downloads`: figure images and the handout, made on request;
* :mod:`.page`: what the router runs around every page (styles, chart scripts, the urgent-care
  note, the page inside one ``st.fragment``).
"""

from .citations import (
    content_note,
    evidence_table,
    link_name,
    reference_link,
    references_markdown,
    show_citations,
    show_note,
    source_list,
)
from .data import atlas, guidance, load_or_stop, notes, ui
from .downloads import EXPORT_PROBLEM, figure_downloads, handout_downloads, lesson_file
from .figures import at_frame, plot
from .page import chart_scripts, inject_styles, run_page, urgent_care_note
from .results import (
    check_first_link,
    region_params,
    show_candidates,
    show_care,
    show_other_causes,
    show_red_flag,
    show_referrals,
    show_usual_causes,
    strength_badge,
)
from .state import (
    audience_control,
    current_audience,
    is_phone,
    layout_control,
    set_url,
    sync_url,
    view_state,
)

__all__ = [
    # data
    "atlas", "guidance", "load_or_stop", "notes", "ui",
    # state
    "audience_control", "current_audience", "is_phone", "layout_control", "set_url", "sync_url",
    "view_state",
    # citations
    "content_note", "link_name", "reference_link", "references_markdown", "show_citations",
    "show_note",
    "source_list",
    "evidence_table",
    # results
    "check_first_link", "region_params", "show_candidates", "show_care", "show_other_causes",
    "show_red_flag", "show_referrals", "show_usual_causes", "strength_badge",
    # figures
    "at_frame", "plot",
    # downloads
    "EXPORT_PROBLEM", "figure_downloads", "handout_downloads", "lesson_file",
    # page
    "chart_scripts", "inject_styles", "run_page", "urgent_care_note",
]
