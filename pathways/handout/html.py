"""The HTML handout: :func:`render_html` writes a :class:`~pathways.handout.model.Handout` as
one self-contained page (inline CSS, pictures as data URIs, no scripts).
"""

from __future__ import annotations

import base64
import html

from .model import PROJECT, Citations, Handout, bold_runs, safe_link, split_identifier

_CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", "Segoe UI", Arial, Helvetica, sans-serif; font-size: 11pt;
  line-height: 1.45; color: #1a1a1a; background: #fff; margin: 0 auto; max-width: 46rem;
  padding: 1.2rem 1rem 2rem; }
.project { color: #555; font-size: 9pt; margin: 0; }
h1 { font-size: 18pt; line-height: 1.2; margin: 0.15rem 0 0.3rem; }
.subtitle { color: #555; margin: 0 0 0.8rem; }
h2 { color: #005a8c; font-size: 13pt; margin: 1rem 0 0.3rem; }
p { margin: 0 0 0.45rem; }
.warning { background: #fdece4; border: 1.5px solid #d55e00; border-left-width: 6px;
  padding: 0.6rem 0.8rem; margin: 0.6rem 0 0.8rem; }
.warning h2 { color: #781400; margin-top: 0; }
.warning strong { color: #781400; }
.note { color: #781400; font-weight: bold; }
figure { margin: 0.4rem 0 0.6rem; }
figure.headmap { display: flex; gap: 0.8rem; align-items: flex-start; flex-wrap: wrap; }
figure.headmap img { width: 15rem; max-width: 45%; height: auto; }
figure.headmap figcaption { flex: 1 1 12rem; }
figure.diagram img { width: 100%; height: auto; }
figcaption { color: #555; font-style: italic; font-size: 10pt; }
ul { margin: 0.2rem 0 0.5rem; padding-left: 1.3rem; }
li { margin-bottom: 0.25rem; }
.sources { color: #555; font-size: 9pt; }
ol.references { font-size: 9pt; padding-left: 1.6rem; }
ol.references a { color: #005493; word-break: break-all; }
footer { border-top: 1px solid #ccc; color: #555; font-size: 9pt; font-weight: bold;
  margin-top: 1rem; padding-top: 0.4rem; }
@page { size: A4; margin: 13mm 16mm 15mm; }
@media print {
  body { max-width: none; padding: 0; }
  .warning, figure, li, ol.references li { break-inside: avoid; }
  h2 { break-after: avoid; }
  a { color: inherit; }
}
"""


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
    out = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "img-src data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'\">",
        '<meta name="referrer" content="no-referrer">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(handout.title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        "<header>",
        f'<p class="project">{esc(PROJECT)}</p>',
        f"<h1>{esc(handout.title)}</h1>",
    ]
    if handout.subtitle:
        out.append(f'<p class="subtitle">{_inline(handout.subtitle)}</p>')
    out.append("</header>")
    out.append("<main>")
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
                    out.append(f'<img src="data:image/png;base64,{data}" '
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
    out.append("</main>")
    out.append(f"<footer>{esc(' '.join(handout.footer))}</footer>")
    out.append("</body>")
    out.append("</html>")
    return "\n".join(out) + "\n"

