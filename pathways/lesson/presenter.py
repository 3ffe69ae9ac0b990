"""The offline presenter: the whole lesson as one self-contained HTML file.

:func:`lesson_html` writes every step (its text, its real figure as JSON, the text description,
the sources and, for educators, the speaker notes) into one page that presents offline, with
plotly.js inlined and a small script for Previous/Next and the arrow keys.
"""

from __future__ import annotations

import functools
import html
import json
import re

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

__all__ = ["lesson_html"]


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


_HTML_STYLE = """
:root { color-scheme: light; --ink: #1a1a1a; --accent: #0072B2; }
* { box-sizing: border-box; }
html, body { margin: 0; background: #fff; color: var(--ink);
  font-family: "Source Sans Pro", "Segoe UI", "Helvetica Neue", Arial, sans-serif; }
header { display: flex; align-items: center; gap: 1rem; padding: .6rem 2vw;
  border-bottom: 2px solid #e6e6e6; position: sticky; top: 0; background: #fff; z-index: 2; }
header .lesson-title { font-weight: 600; font-size: clamp(1rem, 1.3vw, 1.6rem); flex: 1; }
header button { font: inherit; font-size: clamp(1rem, 1.4vw, 1.7rem); padding: .35em 1.1em;
  border: 2px solid var(--accent); background: #fff; color: var(--accent); border-radius: .4em;
  cursor: pointer; }
header button:focus-visible { outline: 4px solid #E69F00; outline-offset: 2px; }
header button:disabled { opacity: .35; cursor: default; }
#indicator { font-size: clamp(1rem, 1.4vw, 1.7rem); min-width: 8em; text-align: center; }
main { padding: 1.2vh 3vw 3vh; }
section.step { margin-bottom: 4rem; }
html.js section.step[hidden] { display: none; }
.counter { color: #555; font-size: clamp(1rem, 1.5vw, 1.8rem); margin: 0; }
h1 { font-size: clamp(1.8rem, 3.3vw, 4rem); line-height: 1.1; margin: .2em 0 .25em; }
.body { font-size: clamp(1.15rem, 1.9vw, 2.3rem); line-height: 1.35; max-width: 70em; margin: 0 0 .6em; }
.slide-grid { display: grid; grid-template-columns: 1fr; gap: 1.5vw; }
.slide-grid.side { grid-template-columns: minmax(0, 2fr) minmax(0, 3fr); align-items: start; }
.figure { width: 100%; height: 62vh; min-height: 360px; }
.figure.small { height: 940px; }
.slide-grid.side .figure { height: 72vh; }
figcaption { font-size: clamp(.95rem, 1.1vw, 1.3rem); color: #333; margin-top: .3em; }
details { margin-top: 1rem; font-size: 1.05rem; line-height: 1.45; max-width: 75em; }
details summary { cursor: pointer; font-weight: 600; }
.notes { border-left: 6px solid #E69F00; background: #fff8e6; padding: .6rem 1rem; margin-top: 1rem;
  font-size: 1.15rem; line-height: 1.45; max-width: 75em; }
.notes h2, .sources h2 { font-size: 1.15rem; margin: .2rem 0 .4rem; }
.sources { font-size: 1rem; line-height: 1.4; max-width: 75em; }
.warning { font-size: clamp(1rem, 1.4vw, 1.7rem); line-height: 1.35; color: #7d1f00;
  background: #fdecea; border-left: 6px solid #D55E00; padding: .5em .8em; max-width: 60em; }
section.step { scroll-margin-top: 6rem; }
@media (max-width: 700px) { .slide-grid.side { grid-template-columns: 1fr; }
  header { gap: .4rem; padding: .4rem 2vw; } header .lesson-title { display: none; }
  header button { padding: .3em .7em; } #indicator { min-width: 0; flex: 1; } }
@media print { header { display: none; } html.js section.step[hidden] { display: block; }
  section.step { page-break-after: always; } }
"""

_HTML_SCRIPT = """
(function () {
  document.documentElement.classList.add("js");
  var steps = Array.prototype.slice.call(document.querySelectorAll("section.step"));
  var n = steps.length, current = -1, drawn = {};
  var prev = document.getElementById("prev"), next = document.getElementById("next");
  var indicator = document.getElementById("indicator");
  function draw(i) {
    var holder = steps[i].querySelector(".figure");
    if (!holder || typeof Plotly === "undefined") { return; }
    if (drawn[i]) { Plotly.Plots.resize(holder); return; }
    drawn[i] = true;
    var small = holder.getAttribute("data-figure-small");
    var narrow = window.matchMedia("(max-width: 700px)").matches;
    var source = small && narrow ? small : holder.getAttribute("data-figure");
    if (small && narrow) { holder.classList.add("small"); }
    var spec = JSON.parse(document.getElementById(source).textContent);
    var config = {displayModeBar: false, responsive: true, scrollZoom: false};
    Plotly.newPlot(holder, spec.data, spec.layout, config).then(function () {
      if (spec.frames && spec.frames.length) { Plotly.addFrames(holder, spec.frames); }
    });
  }
  function show(i) {
    i = Math.max(0, Math.min(n - 1, i));
    if (i === current) { return; }
    current = i;
    steps.forEach(function (s, k) { s.hidden = k !== i; });
    indicator.textContent = "Step " + (i + 1) + " of " + n;
    prev.disabled = i === 0;
    next.disabled = i === n - 1;
    var hash = "#step-" + (i + 1);
    if (location.hash !== hash) {
      try { history.replaceState(null, "", hash); } catch (e) { location.hash = hash; }
    }
    window.scrollTo(0, 0);
    draw(i);
  }
  function fromHash() {
    var m = /^#step-(\\d+)$/.exec(location.hash);
    return m ? parseInt(m[1], 10) - 1 : 0;
  }
  prev.addEventListener("click", function () { show(current - 1); });
  next.addEventListener("click", function () { show(current + 1); });
  document.addEventListener("keydown", function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey) { return; }
    var tag = (e.target && e.target.tagName) || "";
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT") { return; }
    var to = null;
    if (e.key === "ArrowRight" || e.key === "PageDown") { to = current + 1; }
    else if (e.key === "ArrowLeft" || e.key === "PageUp") { to = current - 1; }
    else if (e.key === "Home") { to = 0; }
    else if (e.key === "End") { to = n - 1; }
    if (to !== null) { e.preventDefault(); show(to); }
  });
  window.addEventListener("hashchange", function () { show(fromHash()); window.scrollTo(0, 0); });
  show(fromHash());
})();
"""


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
    return "".join([
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(title)}</title><style>{_HTML_STYLE}</style>",
        '<script type="text/javascript">', get_plotlyjs(), "</script>",
        "</head><body>",
        f'<header><span class="lesson-title">{e(title)}</span>',
        '<button type="button" id="prev" aria-label="Previous step">&larr; Previous</button>',
        '<span id="indicator" aria-live="polite"></span>',
        '<button type="button" id="next" aria-label="Next step">Next &rarr;</button></header>',
        "<main>", *sections, "</main>",
        *data_blocks,
        f"<script>{_HTML_SCRIPT}</script>",
        "</body></html>",
    ])
