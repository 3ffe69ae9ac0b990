"""The HTML handout: :func:`render_html` writes a :class:`~pathways.handout.model.Handout` as
one self-contained page (inline CSS, pictures as data URIs, no scripts).

The page and its style are files in :data:`TEMPLATE_DIR` (``assets/templates/handout/``),
filled in with :class:`string.Template`: ``$title``, ``$project``, ``$footer`` (escaped text),
``$style`` (the CSS), and ``$subtitle`` and ``$main`` (HTML, each line ending in a newline;
``$subtitle`` is empty when there is none).
"""

from __future__ import annotations

import base64
import functools
import html
import string

from ..atlas import DEFAULT_ATLAS_DIR
from .model import PROJECT, Citations, Handout, bold_runs, safe_link, split_identifier

#: The page (``handout.html``) and its style (``handout.css``).
TEMPLATE_DIR = DEFAULT_ATLAS_DIR.parent / "templates" / "handout"


@functools.cache
def _template(name: str) -> str:
    """The text of a handout template in :data:`TEMPLATE_DIR`, read once per process."""
    return (TEMPLATE_DIR / name).read_text(encoding="utf-8")


def _inline(text: str) -> str:
    """Escape text, then turn **bold** into <strong>."""
    return "".join(f"<strong>{html.escape(run)}</strong>" if bold else html.escape(run)
                   for bold, run in bold_runs(text))


def render_html(handout: Handout) -> str:
    """The handout as one self-contained HTML page: inline CSS, pictures as data URIs, no
    scripts, no fonts or anything else fetched (a Content-Security-Policy forbids it); the
    reference links are plain links. All text is escaped."""
    esc = html.escape
    numbers = Citations(handout.references)
    out: list[str] = []  # the lines of <main>
    notice_done = False

    def sources(keys) -> None:
        if keys:
            label = "Sources" if handout.audience == "patient" else "References"
            out.append(f'<p class="sources">{label}: {esc(numbers.numbers(keys).strip("[]"))}.</p>')

    for section in handout.sections:
        if section.kind == "warning":
            out.append('<section class="warning" role="note">')
            out.append(f"<h2>{esc(section.heading)}</h2>")
            out += [f"<p>{_inline(p)}</p>" for p in section.paragraphs]
            sources(section.citations)
            out.append("</section>")
            continue
        out.append("<section>")
        shown = [n for n in section.images if n in handout.images]
        if section.kind == "figure" and not shown and len(section.paragraphs) < 2:
            if handout.notice and not notice_done:  # the caption says nothing without it
                out.append(f"<p><em>{esc(handout.notice)}</em></p>")
                notice_done = True
            out.append("</section>")
            continue
        if section.heading:
            out.append(f"<h2>{esc(section.heading)}</h2>")
        if section.kind == "figure":
            if shown:
                kind = "headmap" if shown[0].startswith("headmap-") else "diagram"
                out.append(f'<figure class="{kind}">')
                for name in shown:
                    data = base64.b64encode(handout.images[name]).decode("ascii")
                    # printed no narrower than its smallest text needs (see Handout.narrowest)
                    wide = (f' style="width: max(15rem, {handout.narrowest[name]:.0f}mm)"'
                            if kind == "headmap" and name in handout.narrowest else "")
                    out.append(f'<img src="data:image/png;base64,{data}"{wide} '
                               f'alt="{esc(handout.captions.get(name, ""), quote=True)}">')
                out.append("<figcaption>" + "".join(f"<p>{_inline(p)}</p>"
                                                    for p in section.paragraphs)
                           + "</figcaption></figure>")
            else:
                if handout.notice and not notice_done:
                    out.append(f"<p><em>{esc(handout.notice)}</em></p>")
                    notice_done = True
                out += [f"<p>{_inline(p)}</p>" for p in section.paragraphs[:-1]]
        elif section.kind == "note":
            out += [f'<p class="note">{_inline(p)}</p>' for p in section.paragraphs]
        elif section.kind == "list":
            out.append("<ul>" + "".join(f"<li>{_inline(p)}</li>" for p in section.paragraphs)
                       + "</ul>")
        else:
            out += [f"<p>{_inline(p)}</p>" for p in section.paragraphs]
        sources(section.citations)
        out.append("</section>")
    if handout.notice and not notice_done:
        out.append(f"<p><em>{esc(handout.notice)}</em></p>")
    if handout.formatted_references:
        out.append("<section>")
        out.append(f"<h2>{'Sources' if handout.audience == 'patient' else 'References'}</h2>")
        out.append('<ol class="references">')
        for text, link in handout.formatted_references:
            head, ident = split_identifier(text) if link and safe_link(link) else (text, "")
            anchor = (f'<a href="{esc(link, quote=True)}" rel="noopener noreferrer">'
                      f"{esc(ident)}</a>") if ident else ""
            out.append(f"<li>{esc(head)}{anchor}</li>")
        out.append("</ol>")
        out.append("</section>")
    subtitle = f'<p class="subtitle">{_inline(handout.subtitle)}</p>\n' if handout.subtitle else ""
    return string.Template(_template("handout.html")).substitute(
        title=esc(handout.title), style=_template("handout.css"), project=esc(PROJECT),
        subtitle=subtitle, main="".join(line + "\n" for line in out),
        footer=esc(" ".join(handout.footer)))

