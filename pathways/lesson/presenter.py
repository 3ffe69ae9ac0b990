"""The offline presenter: the whole lesson as one self-contained HTML file.

:func:`lesson_html` writes every step (its text, its real figure as JSON, the text description,
the sources and, for educators, the speaker notes) into one page that presents offline, with
plotly.js inlined and a small script for Previous/Next and the arrow keys. The page, its style
and its script are files in :data:`TEMPLATE_DIR` (``assets/templates/lesson/``), filled in with
:class:`string.Template` (``$title``, ``$sections`` …).
"""

from __future__ import annotations

import functools
import html
import json
import re
import string

from ..atlas import DEFAULT_ATLAS_DIR
from ..figcache import figure_from_spec
from ..guidance import load_guidance
from ..schema import AUDIENCES
from .content import Lesson, load_lesson
from .figures import (
    PROJECTOR_TEXT,
    figure_caption,
    figure_text,
    projector_spec,
    step_spec,
)

__all__ = ["TEMPLATE_DIR", "lesson_html"]

#: The presenter's page (presenter.html), style (.css) and script (.js).
TEMPLATE_DIR = DEFAULT_ATLAS_DIR.parent / "templates" / "lesson"


def _inline_markdown(text: str) -> str:
    text = html.escape(text, quote=False)
    text = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", text)
    return re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"<em>\1</em>", text)


def _markdown_html(text: str) -> str:
    """The small Markdown subset the text equivalents and notes use: paragraphs, nested '- '
    lists (two spaces per level), **bold** and *italic*. Everything is escaped first.

    >>> _markdown_html("**A** <b>\\n\\n- x\\n  - y")
    '<p><strong>A</strong> &lt;b&gt;</p><ul><li>x<ul><li>y</li></ul></li></ul>'
    """
    out: list[str] = []
    depth = -1
    para: list[str] = []

    def flush() -> None:
        if para:
            out.append("<p>" + _inline_markdown(" ".join(para)) + "</p>")
            para.clear()

    for line in text.splitlines():
        item = re.match(r"^( *)- (.*)$", line)
        if item:
            flush()
            level = len(item.group(1)) // 2
            if level > depth:
                out.extend(["<ul>"] * (level - depth))
            else:
                out.append("</li>")
                for _ in range(depth - level):
                    out.append("</ul></li>")
            depth = level
            out.append("<li>" + _inline_markdown(item.group(2)))
            continue
        if depth >= 0 and line.strip():
            out.append(" " + _inline_markdown(line.strip()))  # a continued list item
            continue
        if depth >= 0:
            out.append("</li>" + "</ul></li>" * depth + "</ul>")
            depth = -1
        if line.strip():
            para.append(line.strip())
        else:
            flush()
    if depth >= 0:
        out.append("</li>" + "</ul></li>" * depth + "</ul>")
    flush()
    return "".join(out)


def _figure_json(spec: dict) -> str:
    """A spec's figure JSON (with Plotly's default template, as a ``go.Figure`` has) that is
    safe inside a <script type="application/json"> element."""
    import plotly.io as pio

    spec = json.loads(pio.to_json(figure_from_spec(spec), validate=False))
    layout = spec.setdefault("layout", {})
    layout.pop("height", None)  # the page sizes the figure (CSS); plotly fills its box
    layout.pop("width", None)
    layout["autosize"] = True
    text = json.dumps(spec, separators=(",", ":"), ensure_ascii=False)
    return (text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


@functools.cache
def _template(name: str) -> str:
    """The text of a presenter template (``presenter.html``, ``.css``, ``.js``) in
    :data:`TEMPLATE_DIR`, read once per process."""
    return (TEMPLATE_DIR / name).read_text(encoding="utf-8")


def lesson_html(atlas, audience: str, lesson: Lesson | None = None) -> str:
    """The whole lesson as one self-contained HTML page that presents offline: plotly.js is
    inlined once, every step's real figure travels as JSON, and a small inline script gives
    Previous/Next buttons, ←/→ (and PageUp/PageDown, Home/End) keys, and the step in
    ``location.hash`` (``#step-3``). All text is escaped. Educators get the speaker notes.

    >>> from pathways import load_atlas
    >>> page = lesson_html(load_atlas(), "patient")
    >>> page.count("<section class=\\"step\\"") == len(load_lesson().steps)
    True
    """
    from plotly.offline import get_plotlyjs

    lesson = lesson or load_lesson()
    if audience not in AUDIENCES:
        raise ValueError(f"unknown audience {audience!r}; expected one of {AUDIENCES}")
    e = functools.partial(html.escape, quote=True)
    refs = atlas.references
    n = len(lesson.steps)
    sections, data_blocks = [], []
    for step in lesson.steps:
        spec = step_spec(atlas, step, audience)
        parts = [f'<section class="step" id="step-{step.number}" aria-labelledby="title-{step.number}">',
                 f'<p class="counter">Step {step.number} of {n}</p>',
                 f'<h1 id="title-{step.number}">{e(step.title.get(audience))}</h1>']
        text = f'<p class="body">{e(step.body.get(audience).strip())}</p>'
        source = step.figure.source if step.figure else None
        warning = load_guidance().warning(source) if source else None
        if warning is not None:  # its warning, as on the explorer pages
            text += f'<p class="warning" role="note">&#9888; {e(warning.text(audience))}</p>'
        if spec is not None:
            kind = step.figure.kind
            fig_id = f"figure-data-{step.number}"
            factor = PROJECTOR_TEXT.get(kind, PROJECTOR_TEXT[None])
            data_blocks.append(f'<script type="application/json" id="{fig_id}">'
                               f"{_figure_json(projector_spec(spec, factor))}</script>")
            small = ""
            if kind == "diagram":  # phones get the diagram's own small-screen layout
                small_spec = step_spec(atlas, step, audience, compact=True)
                data_blocks.append(f'<script type="application/json" id="{fig_id}-small">'
                                   f"{_figure_json(projector_spec(small_spec, 1.0))}</script>")
                small = f' data-figure-small="{fig_id}-small"'
            side = " side" if kind == "headmap" else ""
            parts.append(f'<div class="slide-grid{side}"><div>{text}</div><figure style="margin:0">'
                         f'<div class="figure" data-figure="{fig_id}"'
                         f'{small} role="img" '
                         f'aria-label="{e(figure_caption(atlas, step, audience))} '
                         f'A text description follows."></div>'
                         f'<figcaption>{e(figure_caption(atlas, step, audience))}</figcaption>'
                         f"</figure></div>")
            parts.append("<details><summary>Text description of the figure</summary>"
                         f"{_markdown_html(figure_text(atlas, step, audience))}</details>")
        else:
            parts.append(text)
        if audience == "educator":
            parts.append(f'<div class="notes"><h2>Speaker notes</h2>{_markdown_html(step.notes)}</div>')
        items = "".join(f"<li>{e(refs[k].formatted())}"
                        + (f' <a href="{e(refs[k].link)}">{e(refs[k].link)}</a>' if refs[k].link else "")
                        + "</li>" for k in step.citations)
        parts.append(f'<div class="sources"><h2>Sources</h2><ol>{items}</ol></div>')
        parts.append("</section>")
        sections.append("".join(parts))
    title = lesson.title.get(audience)
    return string.Template(_template("presenter.html")).substitute(
        title=e(title), style=_template("presenter.css"), plotlyjs=get_plotlyjs(),
        sections="".join(sections), data="".join(data_blocks), script=_template("presenter.js"),
        # Only the educator page has notes, so only it carries their switch.
        notes_button=_template("notes-button.html") if audience == "educator" else "")
