"""The app's pages and sample deep links, in one place for the benchmark and the tests.

The page list is read from ``app.py`` itself (every ``st.Page(...)`` call), so a page added
there is benchmarked and tested without touching this file. A page with no sample deep link
below is opened without query parameters.

>>> [p.url_path for p in app_pages()][:3]
['start', 'home', 'pathways']
>>> next(p for p in app_pages() if p.url_path == "home").script
'app_pages/home.py'
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: A deep link per page (the query string a shared link would carry). Pages not listed open
#: with no parameters. Every value here is valid.
SAMPLE_LINKS = {
    "home": "audience=clinician",
    "pathways": "source=c2-c3-facet-joint&side=left",
    "where-it-hurts": "region=orbit:left,occiput:left",
    "sensitization": "level=0.6&modulation=0.3",
    "check": "",
    "present": "step=3",
    "references": "",
}

#: A second deep link for pages with another kind of view.
EXTRA_LINKS = {
    "where-it-hurts": "source=c2-c3-facet-joint&view=left&overlay=trigeminal",
}

#: Valid values of every query parameter the app knows (used to tell a page that reads a
#: parameter from one that ignores it, and as seeds for fuzzing).
VALID_VALUES = {
    "audience": ["patient", "clinician", "educator"],
    "source": ["c2-c3-facet-joint", "temporomandibular-joint", "vertebral-artery"],
    "region": ["orbit", "orbit:left,occiput:right", "forehead,occiput"],
    "side": ["left", "right"],
    "view": ["front", "left", "right", "back"],
    "overlay": ["none", "trigeminal", "cervical-nerves", "dermatomes"],
    "level": ["0", "0.6", "1"],
    "modulation": ["-1", "0.3", "1"],
    "step": ["1", "3"],
    "layout": ["wide", "compact"],
}


@dataclass(frozen=True)
class Page:
    url_path: str
    script: str | None      # "app_pages/x.py", or None for a function page
    title: str
    default: bool
    hidden: bool

    @property
    def link(self) -> str:
        return SAMPLE_LINKS.get(self.url_path, "")


def _value(node):
    try:
        return ast.literal_eval(node)
    except ValueError:
        return None


def app_pages(app: Path | None = None) -> list[Page]:
    """Every ``st.Page`` declared in ``app.py``, in the order written."""
    tree = ast.parse((app or ROOT / "app.py").read_text(encoding="utf-8"))
    pages = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr == "Page"):
            continue
        kwargs = {k.arg: _value(k.value) for k in node.keywords if k.arg}
        target = _value(node.args[0]) if node.args else kwargs.get("page")
        script = target if isinstance(target, str) else None
        url_path = kwargs.get("url_path") or (Path(script).stem if script else "")
        pages.append(Page(url_path=url_path, script=script, title=kwargs.get("title") or url_path,
                          default=bool(kwargs.get("default")),
                          hidden=kwargs.get("visibility") == "hidden"))
    return sorted(pages, key=lambda p: not p.default)  # the default page first, else as found


def content_pages(app: Path | None = None) -> list[Page]:
    """The pages a user opens (scripts in app_pages/, hidden forwarding pages left out)."""
    return [p for p in app_pages(app) if p.script and not p.hidden]


def known_parameters() -> list[str]:
    """Every query parameter the app reads: the view-state fields, plus any listed above."""
    from pathways.viewstate import ViewState

    names = ["region" if f == "regions" else f for f in ViewState.__dataclass_fields__]
    return names + [k for k in VALID_VALUES if k not in names]
