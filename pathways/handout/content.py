"""The take-home handout: one or two A4 pages (PDF) or one self-contained HTML file.

What the handout says comes from the atlas (names, descriptions, explanations, citations) and
the reviewed wording in ``assets/content/`` (``notes.yaml``, ``guidance.yaml``, through
:mod:`pathways.guidance`); this module only arranges it, adds headings and captions, and draws
the pages. No Streamlit here.

Everything is built in memory, on request: the PDF is returned as bytes, the HTML as text, the
pictures are PNG bytes made by :func:`pathways.export.figure_image`. Nothing is written to disk
and nothing is kept once the result is returned.

>>> from pathways import load_atlas
>>> h = handout_content(load_atlas(), "patient", regions=[("orbit", "left")])
>>> [s.kind for s in h.sections][:3]     # warnings, then the usual causes, before any source
['warning', 'text', 'list']
>>> h.images
{}
"""

from __future__ import annotations

import base64
import html
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from itertools import combinations
from pathlib import Path

from . import headmap
from .atlas import NUCLEUS, Referral
from .export import ExportUnavailable, figure_image
from .guidance import load_guidance, load_notes, patient_result
from .schema import AUDIENCES, SIDES, words_for
from .text import FRAMES

__all__ = [
    "Section",
    "Handout",
    "handout_content",
    "add_images",
    "render_pdf",
    "render_html",
    "build_pdf",
    "build_html",
    "NO_PICTURES",
    "FOOTER",
]

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")

#: Said in place of the pictures when they cannot be made on this computer.
NO_PICTURES = "The pictures could not be made on this computer, so this handout has words only."
#: The date-free footer, on every page.
FOOTER = "Education, not diagnosis."
STORED = {
    "patient": "Nothing about you was stored by the app.",
    "clinician": "Nothing about the patient was stored by the app.",
}
PROJECT = "Neck and head pain pathways"

VIEW_WORDS = {
    "patient": {
        "front": "Seen from the front. Their right side is on your left.",
        "back": "Seen from behind. Their left side is on your left.",
        "left": "Seen from their left side. The face points to your left.",
        "right": "Seen from their right side. The face points to your right.",
    },
    "clinician": {
        "front": "Anterior view (the patient's right on the viewer's left).",
        "back": "Posterior view (the patient's left on the viewer's left).",
        "left": "Left lateral view.",
        "right": "Right lateral view.",
    },
}
VIEW_ORDER = ("left", "right", "front", "back")


# --------------------------------------------------------------------------------- model


@dataclass(frozen=True)
class Section:
    """One block of the handout.

    ``paragraphs`` are plain text in which ``**…**`` marks bold; ``kind`` is "warning" (the
    red-flag box), "text", "note" (a short caution), "list" (one item per paragraph) or
    "figure" (``images`` names the pictures shown, from :attr:`Handout.images`; the
    paragraphs still make sense without them).
    """

    heading: str
    paragraphs: tuple[str, ...]
    citations: tuple[str, ...] = ()
    kind: str = "text"
    images: tuple[str, ...] = ()


@dataclass(frozen=True)
class Handout:
    """Everything the handout shows, in order, ready to be drawn as a PDF or HTML page.

    ``references`` are reference keys in the order they are first cited (the numbers shown);
    ``images`` maps a picture name to PNG bytes (empty until :func:`add_images`); ``captions``
    names every picture the handout would show, with its caption (also its alt text).
    """

    title: str
    audience: str
    regions: tuple[tuple[str, str], ...]
    source: str | None
    side: str
    sections: tuple[Section, ...]
    references: tuple[str, ...]
    images: dict[str, bytes] = field(default_factory=dict)
    subtitle: str = ""
    captions: dict[str, str] = field(default_factory=dict)
    footer: tuple[str, ...] = ()
    notice: str = ""
    formatted_references: tuple[tuple[str, str], ...] = ()  # (text, link) per reference


# --------------------------------------------------------------------------------- content


def _lower_first(text: str) -> str:
    """'Back of the head' -> 'back of the head' mid-sentence; keeps 'C2–C3 …' and 'TMJ'."""
    return text[0].lower() + text[1:] if text[1:2].islower() else text


class _Citations:
    """Numbers references in the order they are first cited."""

    def __init__(self) -> None:
        self.keys: list[str] = []

    def add(self, keys: Iterable[str]) -> tuple[str, ...]:
        keys = tuple(dict.fromkeys(keys))
        for key in keys:
            if key not in self.keys:
                self.keys.append(key)
        return keys

    def numbers(self, keys: Iterable[str]) -> str:
        """'[1, 3–5]' for the given keys (registered first)."""
        nums = sorted(self.keys.index(k) + 1 for k in self.add(keys))
        if not nums:
            return ""
        parts, start = [], nums[0]
        for prev, cur in zip(nums, nums[1:] + [None]):
            if cur != prev + 1:
                parts.append(str(start) if start == prev else
                             f"{start}, {prev}" if prev == start + 1 else f"{start}–{prev}")
                start = cur
        return "[" + ", ".join(parts) + "]"


def _check_inputs(atlas, audience, regions, source, side):
    if audience not in AUDIENCES:
        raise ValueError(f"audience must be one of {', '.join(AUDIENCES)}, not {audience!r}")
    if side not in SIDES:
        raise ValueError(f"side must be 'left' or 'right', not {side!r}")
    marked = []
    for pair in regions or ():
        region, region_side = pair
        atlas.node(region, "body-region")
        if region_side not in SIDES:
            raise ValueError(f"side must be 'left' or 'right', not {region_side!r}")
        if (region, region_side) not in marked:
            marked.append((region, region_side))
    if source is not None:
        atlas.node(source, "tissue")
    return tuple(marked)


def _split_explanations(atlas, referrals: Sequence[Referral], audience: str):
    """Sentences every referral shares (the route), then each referral's own sentences.

    For patients the strength sentence is left out (the strength word is shown instead)."""
    words = words_for(audience)
    drop = {FRAMES["patient"]["typical"], FRAMES["patient"]["possible"]} if words == "patient" \
        else set()
    explained = [[s for s in atlas.explain(r, audience) if s not in drop] for r in referrals]
    places = [atlas.name(r.region, audience).lower() for r in referrals]
    shared = [s for s in explained[0]
              if all(s in e for e in explained[1:]) and not any(p in s.lower() for p in places)
              ] if explained else []
    own = [[s for s in e if s not in shared] for e in explained]
    return shared, own


def _region_words(atlas, region: str, side: str, audience: str, *, lower: bool = False) -> str:
    name = atlas.name(region, audience)
    return f"{_lower_first(name) if lower else name} ({side})"


def _marked_words(atlas, marked, audience: str) -> list[str]:
    """'Back of the head (left and right)' style names of the marked areas, in order."""
    sides: dict[str, list[str]] = {}
    for region, side in marked:
        sides.setdefault(region, []).append(side)
    return [f"{atlas.name(region, audience)} ({' and '.join(s)})" for region, s in sides.items()]


def _source_words(atlas, source: str, source_side: str, audience: str) -> str:
    name = atlas.name(source, audience)
    return name if source_side in ("", "midline") else f"{name} ({source_side})"


def _red_flags(sources: Iterable[str], audience: str, guide) -> tuple[list[str], list[str]]:
    """The warning of every source here that can be an emergency, and their citations."""
    out, keys = [], []
    for source in dict.fromkeys(sources):
        warning = guide.warning(source)
        if warning is not None:
            out.append(warning.text(audience))
            keys += warning.citations
    return out, keys


def _first_sentences(text: str, count: int | None) -> str:
    """The first ``count`` sentences of a text (all of it for None): the fullest paper pages
    keep the start of each piece of advice, which says what to do."""
    if count is None:
        return text
    parts = re.split(r"(?<=[.!?])\s+(?=[A-Z])", text.strip())
    return " ".join(parts[:count])


def _lead(text: str, default: str) -> tuple[str, str]:
    """A note that opens with a bold lead ('**What may help.** …') as (heading, rest), so the
    heading is not said twice."""
    match = re.match(r"^\*\*([^*]{1,60}?)[.:]?\*\*\s+(.*)$", text, re.DOTALL)
    return (match.group(1), match.group(2)) if match else (default, text)


def _reference_text(ref) -> str:
    """A short citation: first author(s), title, journal, year and one identifier (the DOI if
    there is one), e.g. ``Lord SM, et al. Third occipital nerve headache: a prevalence study.
    J Neurol Neurosurg Psychiatry. 1994. doi:10.1136/jnnp.57.10.1187.``"""
    authors = [a.strip() for a in ref.authors.split(",") if a.strip() and a.strip() != "et al."]
    lead = authors[0] if authors else ref.authors
    lead += ", et al" if len(authors) > 2 or "et al" in ref.authors else (
        f", {authors[1]}" if len(authors) == 2 else "")
    parts = [lead.rstrip(". "), ref.title.rstrip(". ")]
    if ref.journal:
        parts.append(ref.journal.rstrip(". "))
    parts.append(str(ref.year))
    if ref.doi:
        parts.append(f"doi:{ref.doi}")
    elif ref.pmid:
        parts.append(f"PMID {ref.pmid}")
    elif ref.isbn:
        parts.append(f"ISBN {ref.isbn}")
    elif ref.url:
        parts.append(ref.url)
    return ". ".join(parts) + ("" if parts[-1].endswith("/") else ".")


def _views_caption(views: Sequence[str], words: str) -> str:
    """How to read the drawing(s): which view, and where the person's left and right are."""
    if len(views) == 1:
        return VIEW_WORDS[words][views[0]]
    return " ".join(f"{'First' if i == 0 else 'Second'} picture: "
                    f"{_lower_first(VIEW_WORDS[words][v])}" for i, v in enumerate(views))


def _choose_views(keys: Iterable[tuple[str, str]], prefer: str | None = None
                  ) -> tuple[str, ...]:
    """The fewest head-map drawings (at most two) that show every (region, side) in ``keys``:
    the drawing on screen (``prefer``) when it shows them all, else a side view of the marked
    side when one is enough."""
    keys = set(keys)
    if not keys:
        return ()
    if prefer in headmap.VIEWS and keys <= set(headmap.regions_in_view(prefer)):
        return (prefer,)
    sides = {s for _, s in keys}
    order = VIEW_ORDER if sides != {"right"} else ("right", "left", "front", "back")
    if sides == {"left", "right"}:
        order = ("front", "back", "left", "right")
    shown = {v: set(headmap.regions_in_view(v)) for v in order}
    for view in order:
        if keys <= shown[view]:
            return (view,)
    for pair in combinations(order, 2):
        if keys <= shown[pair[0]] | shown[pair[1]]:
            return tuple(sorted(pair, key=headmap.VIEWS.index))
    return ("left", "right")  # every region has both sides in the two profiles


def handout_content(atlas, audience: str = "patient", *, regions: Iterable[tuple[str, str]] = (),
                    source: str | None = None, side: str = "right", detail: int = 0,
                    view: str | None = None) -> Handout:
    """The handout's text (fast; no pictures yet): title, sections, numbered references.

    ``regions`` are the (region_id, side) pairs the patient marked; ``source`` is a tissue id
    (its referral pattern is shown on ``side``). With neither, the handout explains
    convergence in general. ``view`` is the head-map drawing the reader had on screen: the
    handout uses it when it shows everything marked. Unknown ids raise
    :class:`pathways.UnknownIdError`.

    It says what the screen says, in the same order: the warning signs, the usual causes
    (primary headache), other causes a doctor would think of, the possible sources by group
    (each named, never "the first in the list"), and only the advice that fits them.

    ``detail`` (0–4) shortens the text for paper: 1 lists only the first five (clinicians:
    six) candidate sources, saying how many more the app shows, and explains only the places
    felt through convergence; 2 lists three, drops the groups' descriptions and keeps the
    first two sources of each reviewed text; 3 also explains the first source in one sentence
    (the diagram shows the route); 4 keeps one source per text, leaves the candidates' sources
    to the app and the explanation to the diagram and its caption, keeps the first two
    sentences of the usual causes (one of each piece of advice for clinicians, two for
    patients) and names the other causes that need no hurry by title only. The urgent-care
    note and the warnings are never shortened. :func:`build_pdf` uses it only when the full
    text would not fit on two pages.
    """
    guide = load_guidance()
    marked = _check_inputs(atlas, audience, regions, source, side)
    words = words_for(audience)
    patient = words == "patient"
    cites = _Citations()
    sections: list[Section] = []
    captions: dict[str, str] = {}
    general = atlas.nodes[NUCLEUS].description[words]
    urgent = load_notes()["urgent_care"]
    warning_heading = "Get help now if" if patient else "Red flags: refer urgently"

    def word(strength: str) -> str:
        return guide.strength_word(strength, audience)

    # On a crowded page, a reviewed text keeps its first (main) sources; the app lists all.
    keep = None if detail < 2 else 2 if detail < 4 else 1

    def main(keys: Iterable[str]) -> tuple[str, ...]:
        return tuple(keys)[:keep]

    def warning(sources: Iterable[str]) -> Section:
        flags, keys = _red_flags(sources, audience, guide)
        return Section(warning_heading, (urgent.text, *flags),
                       cites.add([*main(urgent.citations), *main(keys)]), "warning")

    def wording_section(wording, kind: str = "text") -> None:
        text = _first_sentences(wording.text(audience), 2 if detail >= 4 else None)
        sections.append(Section(wording.title(audience), (text,),
                                cites.add(main(wording.citations)), kind))

    def explanation(referrals: Sequence[Referral], label: str) -> None:
        """The route (sentences all referrals share), then each place felt in its own item."""
        merged: dict[tuple[str, str], Referral] = {}
        for r in referrals:  # the same place on both sides: explain it once
            key = (r.region, r.strength)
            if key in merged and merged[key].side != r.side:
                merged[key] = replace(merged[key], side="")
            merged.setdefault(key, r)
        referrals = list(merged.values())
        if detail >= 1:
            convergent = [r for r in referrals if r.via_convergence]
            referrals = (convergent or referrals[:1])[: 2 if detail >= 2 else None]
        shared, own = _split_explanations(atlas, referrals, audience)
        paragraphs = [general]
        if shared and detail < 3:
            paragraphs.append(f"**{label}** " + " ".join(shared))
        items = []
        for r, sentences in zip(referrals, own):
            where = (f"{atlas.name(r.region, audience)} (left and right)" if not r.side
                     else _region_words(atlas, r.region, r.side, audience))
            head = f"**{where}**, {word(r.strength)}."
            items.append(" ".join([head, *sentences]))
        keys = cites.add(c for r in referrals for c in r.citations)
        sections.append(Section("Why it can be felt there" if patient else "Mechanism: convergence",
                                tuple(paragraphs), () if items else keys, "text"))
        if items:
            sections.append(Section("", tuple(items), keys, "list"))

    def diagram_section(caption: str) -> None:
        captions["diagram"] = caption
        sections.append(Section("How a signal travels" if patient else "Pathway figure",
                                (caption,), (), "figure", ("diagram",)))

    cares: tuple = ()
    if marked:
        result = patient_result(atlas, marked, audience, guide)
        cap = None if detail == 0 else (5 if patient else 6) if detail == 1 else 3
        shown = set(result.ranked[:cap])  # the best-ranked, listed in their groups
        hidden = len(result.ranked) - len(shown)
        title = ("Where it hurts and what may cause it" if patient
                 else "Painful areas and candidate sources")
        areas = _marked_words(atlas, marked, audience)
        subtitle = (("You marked: " if patient else "Marked areas: ") + ", ".join(areas) + "."
                    if len(areas) <= 4 else
                    f"You marked {len(marked)} areas. The map shows them." if patient else
                    f"{len(marked)} marked areas (shown on the map).")
        sections.append(warning(result.warned))  # every warning, listed or not
        wording_section(result.usual)
        if result.others:  # one line each on paper; the app gives the full text
            # On the fullest page, the causes that need no hurry are named by title only.
            full = [c for c in result.others if detail < 4 or c.urgency != "doctor"]
            named = [c for c in result.others if c not in full]
            lines = [c.short.text(audience) for c in full]
            if named:
                lines.append(("A doctor can also check for these (more in the app): "
                              if patient else "Also consider (details in the app): ")
                             + "; ".join(c.wording.title(audience) for c in named) + ".")
            sections.append(Section(
                "Other causes to ask a doctor about" if patient else "Other causes to consider",
                tuple(lines),
                cites.add(k for c in full for k in main(c.short.citations)), "list"))
        views = _choose_views(marked, view)
        names = tuple(f"headmap-{v}" for v in views)
        caption = _views_caption(views, words) + (
            " The areas you marked are blue." if patient else " Marked areas in blue.")
        captions.update({n: caption for n in names})
        sections.append(Section(
            "Where it hurts" if patient else "Marked areas",
            (*([". ".join(areas) + "."] if len(areas) > 4 else []), caption), (), "figure", names))
        sections.append(Section("", (
            "These are possibilities, not a diagnosis. Only a clinician who examines you can say "
            "what is causing your pain." if patient else
            "Candidate sources from the atlas, ranked by how many marked areas each explains, "
            "then by strength: possibilities, not a diagnosis." if detail < 4 else
            "Candidate sources: possibilities, not a diagnosis.",), (), "note"))
        for group in result.groups:
            items, keys = [], []
            for line in group.lines:
                these = [c for c in line.candidates if c in shown]
                if not these:
                    continue
                places = [_region_words(atlas, r, sd, audience) + f", {word(st)}"
                          for r, sd, st in line.places]
                lead = (". ".join(places) + "." if patient else "; ".join(places) + ":")
                refs = [k for c in these for r in c.referrals
                        for k in atlas.edge(r.source, r.region).citations]
                keys += refs
                # patients: one short sentence per part; clinicians: one list
                joined = (". " if patient else ", ").join(c.name for c in these)
                items.append(
                    (f"**{lead}** {joined}."
                     + ("" if patient or detail >= 4 else " " + cites.numbers(refs))))
            if not items and any(c not in shown for line in group.lines
                                 for c in line.candidates):
                continue  # all of this group's candidates are in the "more in the app" line
            if not items:
                items = ["None in this model for the areas you marked." if patient else
                         "None in the atlas for the marked areas."]
            about = (group.wording.text(audience),) if detail < 2 else ()
            # clinicians' items carry their own numbers; patients' are cited under the list
            cited = [] if detail >= 4 else [*main(group.wording.citations),
                                            *(main(dict.fromkeys(keys)) if patient else ())]
            sections.append(Section(group.wording.title(audience), (*about, *items),
                                    cites.add(cited), "list"))
        if hidden:
            sections.append(Section("", (
                f"The app lists {hidden} more possible cause{'s' if hidden > 1 else ''}"
                " for these areas. They fit fewer of the areas or are less well studied."
                if patient else
                f"{hidden} lower-ranked candidate{'s' if hidden > 1 else ''} (fewer "
                "marked areas explained, or weaker evidence) are listed in the app.",), (), "text"))
        if result.ranked:
            top = result.ranked[0]
            # detail 4, the fullest pages: the diagram and its caption show the route
            if detail == 3:  # on a crowded page, one sentence; the diagram shows the route
                sections.append(Section("Why it can be felt there" if patient else "Mechanism",
                                        (general, f"**{top.name}:** {top.summary}"),
                                        cites.add(main(top.citations)), "text"))
            elif detail < 3:
                explanation(top.referrals, f"The {_lower_first(top.name)}:" if patient
                            else f"{top.name}:")
            diagram_section(
                f"The route from the {_lower_first(top.name)}. The key in the picture explains"
                " the lines." if patient else
                f"Pathway of the {top.name}. Key in the figure.")
        cares = result.care
    elif source is not None:
        node = atlas.nodes[source]
        midline = node.laterality == "midline"
        referrals = atlas.referral(source, side)
        name = _source_words(atlas, source, "midline" if midline else side, audience)
        title = (f"Where pain from the {_lower_first(name)} may be felt" if patient
                 else f"Referral pattern: {name}")
        subtitle = ("This shows where pain from this part may be felt. It does not mean this part "
                    "is the cause of your pain." if patient else
                    "Referral pattern from the atlas: possibilities, not a diagnosis.")
        sections.append(warning([source]))
        wording_section(guide.usual)
        diagram_section(
            f"The route from the {_lower_first(name)}. The key in the picture explains the lines."
            if patient else f"Pathway from the {name}. Key in the figure.")
        states: dict[tuple[str, str], str] = {}
        for r in atlas.referral(source, side):
            states.setdefault((r.region, r.side), r.strength)
        if states:
            views = _choose_views(states, view)
            names = tuple(f"headmap-{v}" for v in views)
            listing = "; ".join(
                f"{_region_words(atlas, r, s, audience, lower=True)}, {word(st)}"
                for (r, s), st in states.items())
            caption = _views_caption(views, words) + (
                f" Dark orange: {word('typical')}. Striped: {word('possible')}." if patient else
                " Solid: typical. Hatched: possible.")
            captions.update({n: caption for n in names})
            sections.append(Section(
                "Where it may be felt" if patient else "Referral areas",
                ((f"Where it may be felt: {listing}." if patient else f"Referred to: {listing}."),
                 caption), (), "figure", names))
            explanation(referrals, "How it gets there:" if patient else "Route:")
        else:
            sections.append(Section("Why it can be felt there" if patient else "Mechanism",
                                    (general,), (), "text"))
        cares = guide.care_for([source])
    else:
        title = ("Why a neck problem can be felt in the head, eye or face" if patient
                 else "Trigeminocervical convergence")
        subtitle = ("How nerves from the neck and the face nerve meet, and why the brain can "
                    "mix them up." if patient else
                    "Cervical and trigeminal afferents converge on shared second-order neurons.")
        sections.append(warning(()))
        wording_section(guide.usual)
        example = next((r for t in atlas.ids("tissue") for r in atlas.referral(t, side)
                        if r.via_convergence and r.strength == "typical"), None)
        paragraphs = [general]
        keys: tuple[str, ...] = ()
        if example is not None:
            label = atlas.name(example.source, audience)
            paragraphs.append((f"**For example, the {_lower_first(label)}:** " if patient
                               else f"**Example, {label}:** ")
                              + " ".join(atlas.explain(example, audience)))
            keys = cites.add(example.citations)
            cares = guide.care_for([example.source])
        sections.append(Section("How it works" if patient else "Mechanism",
                                tuple(paragraphs), keys, "text"))
        diagram_section(
            "Signals from the neck and from the face nerve meet in one place, then go up to the "
            "brain. The key in the picture explains the lines." if patient else
            "Cervical and trigeminal inputs, the nucleus and the ascending projection; "
            "descending modulation dashed.")

    if cares:  # only the advice that fits the sources shown, one item per kind of source
        sections.append(Section(
            "What may help" if patient else "Management by kind of source",
            tuple(f"**{c.wording.title(audience)}.** {_first_sentences(c.wording.text(audience), None if detail < 4 else 2 if patient else 1)}"
                  for c in cares),
            cites.add(k for c in cares for k in main(c.wording.citations)), "list"))
    refs = atlas.references
    return Handout(
        title=title, audience=audience, regions=marked, source=source, side=side,
        sections=tuple(sections), references=tuple(cites.keys), images={}, subtitle=subtitle,
        captions=captions, footer=(FOOTER, STORED[words]), notice="",
        formatted_references=tuple((_reference_text(refs[k]), refs[k].link)
                                   for k in cites.keys))


# --------------------------------------------------------------------------------- pictures

HEADMAP_PX = (400, 440)   # logical size of one head-map drawing (width, height)
DIAGRAM_PX = (1000, 600)
IMAGE_SCALE = 2.0         # device pixels per logical pixel: about 300 dpi as printed
HEADMAP_TEXT = 1.45       # the drawings are printed small: larger labels
DIAGRAM_TEXT = 1.1


def _figures(atlas, handout: Handout) -> dict[str, tuple[object, tuple[int, int]]]:
    """The Plotly figures the handout shows, restyled for paper."""
    from . import diagram

    out = {}
    states: dict[tuple[str, str], str] = {}
    lit_source, lit_side = handout.source, handout.side
    if handout.regions:
        states = {key: "selected" for key in handout.regions}
        groups = atlas.candidates_for(handout.regions)
        lit_source, lit_side = (groups[0][0].source, groups[0][0].side) if groups else (None, "right")
    elif handout.source:
        for r in atlas.referral(handout.source, handout.side):
            states.setdefault((r.region, r.side), r.strength)
    labels = {r: atlas.name(r, handout.audience, short=True) for r in atlas.ids("body-region")}
    for name in handout.captions:
        if name.startswith("headmap-"):
            view = name.removeprefix("headmap-")
            fig = headmap.build_head_map(view, states=states, region_labels=labels,
                                         height=HEADMAP_PX[1])
            _print_head_map(fig, view, states)
            out[name] = (fig, HEADMAP_PX)
        elif name == "diagram":
            fig = diagram.build_diagram(atlas, audience=handout.audience, source=lit_source,
                                        side=lit_side, animate=False, height=DIAGRAM_PX[1])
            _print_diagram(fig)
            out[name] = (fig, DIAGRAM_PX)
    return out


def _print_head_map(fig, view: str, states: dict) -> None:
    """Paper styling: white background, larger labels kept inside the picture, and no empty
    click targets (the round buttons of the areas that are not lit)."""
    fig.update_layout(paper_bgcolor="white", plot_bgcolor="white", margin=dict(l=2, r=2, t=2, b=2))
    (x0, x1), _ = headmap.axis_ranges(view)
    # area labels (the boxed ones): one for a left-right pair, none when there are too many to
    # read (the text lists the areas)
    labels, others = {}, []
    for annotation in fig.layout.annotations:
        if annotation.xref != "paper" and annotation.bordercolor:
            key = (annotation.text, round(annotation.y))
            if key in labels:
                labels[key].x = (labels[key].x + annotation.x) / 2
            else:
                labels[key] = annotation
        else:
            others.append(annotation)
    fig.layout.annotations = others + (list(labels.values()) if len(labels) <= 5 else [])
    for annotation in fig.layout.annotations:
        if annotation.font and annotation.font.size:
            annotation.font.size = round(annotation.font.size * HEADMAP_TEXT, 1)
        if annotation.xref != "paper" and annotation.x is not None:
            if annotation.x > x1 - 0.15 * (x1 - x0):
                annotation.update(x=x1 - 1, xanchor="right")
            elif annotation.x < x0 + 0.15 * (x1 - x0):
                annotation.update(x=x0 + 1, xanchor="left")
    for trace in fig.data:
        if trace.name == "regions":  # the marker trace; customdata = [region, side]
            trace.marker.size = [size if tuple(key) in states else 0
                                 for key, size in zip(trace.customdata, trace.marker.size)]


def _print_diagram(fig) -> None:
    """Paper styling: slightly larger text, and no on-screen hint ('tap a square …', the
    italic note at the top when nothing is lit)."""
    fig.update_layout(paper_bgcolor="white", plot_bgcolor="white")
    fig.layout.annotations = [a for a in fig.layout.annotations
                              if not (a.xref == "paper" and str(a.text or "").startswith("<i>"))]
    for annotation in fig.layout.annotations:
        if annotation.font and annotation.font.size:
            annotation.font.size = round(annotation.font.size * DIAGRAM_TEXT, 1)


def add_images(atlas, handout: Handout) -> Handout:
    """The handout with its pictures made (PNG bytes, in memory). If pictures cannot be made on
    this computer, the handout comes back without them and with :data:`NO_PICTURES` as its
    notice."""
    images: dict[str, bytes] = {}
    try:
        for name, (fig, (width, height)) in _figures(atlas, handout).items():
            images[name] = figure_image(fig, "png", width=width, height=height, scale=IMAGE_SCALE)
    except ExportUnavailable:
        return replace(handout, images={}, notice=NO_PICTURES)
    return replace(handout, images=images, notice="")


# --------------------------------------------------------------------------------- PDF

_LATIN1 = str.maketrans({
    "–": "-", "—": "-", "‘": "'", "’": "'", "“": '"', "”": '"', "→": "->", "←": "<-",
    "…": "...", "•": "-", "●": "*", "◐": "o", "≥": ">=", "≤": "<=", "×": "x", "\u00a0": " ",
    "\u2009": " ", "\u2011": "-", "\u2212": "-",
})


def _latin1(text: str) -> str:
    """Text the core PDF fonts can show (used only when DejaVu Sans is not installed)."""
    return text.translate(_LATIN1).encode("latin-1", "replace").decode("latin-1")


def _runs(text: str) -> list[tuple[bool, str]]:
    """'a **b** c' -> [(False, 'a '), (True, 'b'), (False, ' c')]."""
    parts = text.split("**")
    if len(parts) % 2 == 0:  # an unmatched marker: show it as written
        return [(False, text)]
    return [(i % 2 == 1, p) for i, p in enumerate(parts) if p]


@dataclass(frozen=True)
class _Density:
    """One set of layout sizes. Body text stays 11 pt; pictures, gaps and the reference list
    shrink step by step until the handout fits on two pages."""

    headmap_w: float      # mm, one head-map drawing
    diagram_w: float      # mm
    line: float = 4.85    # mm per 11 pt body line
    gap: float = 2.6      # mm after a section
    ref_size: float = 8.5  # pt
    ref_line: float = 3.7  # mm


DENSITIES = (
    _Density(70, 170),
    _Density(66, 160, gap=2.2, ref_size=8.0, ref_line=3.45),
    _Density(63, 150, line=4.75, gap=1.8, ref_size=7.5, ref_line=3.25),
    _Density(60, 140, line=4.7, gap=1.4, ref_size=7.5, ref_line=3.2),
    _Density(56, 130, line=4.7, gap=1.0, ref_size=7.0, ref_line=3.0),
    _Density(52, 112, line=4.65, gap=0.8, ref_size=6.8, ref_line=2.9),
    _Density(46, 96, line=4.6, gap=0.6, ref_size=6.5, ref_line=2.75),
)
BODY = 11.0
PAGE_TOP, PAGE_SIDE, PAGE_BOTTOM = 13.0, 16.0, 16.0  # mm; the footer sits in the bottom margin
INK = (26, 26, 26)
MUTED = (80, 80, 80)
ACCENT = (0, 90, 140)
WARN_INK = (125, 25, 0)
WARN_FILL = (253, 238, 230)
WARN_EDGE = (213, 94, 0)
LINK = (0, 84, 147)


def _fonts() -> dict[str, Path] | None:
    """DejaVu Sans (Debian's fonts-dejavu-core) by style, or None to use the core fonts."""
    files = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
    found = {style: FONT_DIR / name for style, name in files.items() if (FONT_DIR / name).is_file()}
    if "" not in found:
        return None
    found.setdefault("B", found[""])
    return found


def _png_ratio(data: bytes) -> float:
    """height / width of a PNG, read from its header."""
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    return height / width if width else 1.0


def _split_identifier(text: str) -> tuple[str, str]:
    """A reference's text before its identifier, and the identifier (DOI, PMID or address),
    which is what gets the link; ('text', '') if there is none."""
    cut = max(text.rfind(". doi:"), text.rfind(". PMID "), text.rfind(". https://"),
              text.rfind(". ISBN "))
    return (text[:cut + 2], text[cut + 2:]) if cut > 0 else (text, "")


def _safe_link(link: str) -> bool:
    return bool(re.match(r"^https?://[^\s<>\"'\\]+$", link or ""))


def _pieces(text: str) -> list[str]:
    """Words and spaces; a long address (a DOI, a link) may also break after a '/'."""
    out = []
    for part in re.findall(r"\S+|\s+", text):
        out += re.findall(r"[^/]*/|[^/]+", part) if len(part) > 24 and "/" in part else [part]
    return out


class _Flow:
    """A small page-layout engine over fpdf2: word wrapping with bold runs, manual page
    breaks, boxes, and pictures that text flows beside.

    With ``draw=False`` it only measures (nothing reaches the PDF), so several layouts can be
    tried with one set of loaded fonts before the real one is drawn.
    """

    def __init__(self, pdf, family: str, safe, d: _Density, handout: Handout, draw: bool,
                 widths: dict | None = None):
        self.pdf, self.family, self.safe, self.d, self.h, self.draw = (
            pdf, family, safe, d, handout, draw)
        self.left = PAGE_SIDE
        self.full = pdf.w - 2 * PAGE_SIDE
        self.bottom = pdf.h - PAGE_BOTTOM
        self.page, self.y = 1, PAGE_TOP
        self.float: tuple[int, float, float] | None = None  # (page, bottom y, x shift)
        self.pending: list = []  # pictures waiting for the top of the next page
        self.in_text = False  # a paragraph is being set: a waiting picture goes after it
        self._widths: dict[tuple[str, float, str], float] = {} if widths is None else widths

    # ---- geometry
    def frame(self) -> tuple[float, float]:
        """(x, width) available at the current line: beside a floating picture, or full."""
        if self.float and self.float[0] == self.page and self.y < self.float[1]:
            return self.left + self.float[2], self.full - self.float[2]
        return self.left, self.full

    def clear_float(self) -> None:
        if self.float and self.float[0] == self.page:
            self.y = max(self.y, self.float[1] + self.d.gap)
        self.float = None

    def new_page(self) -> None:
        self.page += 1
        self.y = PAGE_TOP
        if self.draw:
            self.pdf.add_page()
        if not self.in_text:
            self.place_pending()

    def place_pending(self) -> None:
        """Pictures that did not fit on the last page: here, first thing (or after the
        paragraph that ran over, so that it is not cut in two by a picture)."""
        waiting, self.pending = self.pending, []
        for place in waiting:
            place()

    def place_or_defer(self, height: float, place) -> None:
        """Draw a block of ``height`` mm here if it fits, else at the top of the next page
        (the text after it fills this page first)."""
        if self.y + height <= self.bottom or self.y <= PAGE_TOP + 1:
            place()
        else:
            self.pending.append(place)

    def need(self, height: float) -> None:
        if self.y + height > self.bottom:
            self.new_page()

    # ---- text
    def width(self, text: str, style: str, size: float) -> float:
        key = (style, size, text)
        if key not in self._widths:
            self.pdf.set_font(self.family, style, size)
            self._widths[key] = self.pdf.get_string_width(text)
        return self._widths[key]

    def _line(self, tokens: list, width: float):
        """Take one line's worth of (style, text, link) tokens; returns (line, rest)."""
        line, used = [], 0.0
        while tokens:
            style, text, link, size, tint = tokens[0]
            if text.isspace():
                if line:
                    line.append(tokens[0])
                    used += self.width(text, style, size)
                tokens = tokens[1:]
                continue
            w = self.width(text, style, size)
            if used + w <= width or not line and w <= width:
                line.append(tokens[0])
                used += w
                tokens = tokens[1:]
                continue
            if not line:  # a word longer than the line (an address): split it
                cut = len(text)
                while cut > 1 and self.width(text[:cut], style, size) > width:
                    cut -= 1
                line.append((style, text[:cut], link, size, tint))
                tokens = [(style, text[cut:], link, size, tint), *tokens[1:]]
            break
        while line and line[-1][1].isspace():
            line.pop()
        return line, tokens

    def text(self, runs: Sequence[tuple[str, str, str]], *, size: float = BODY,
             line: float | None = None, colour=INK, strong=None, indent: float = 0.0,
             bullet: str = "", right: float = 0.0) -> None:
        """Write runs of (style, text, link) as wrapped lines at the current position. Style
        "S" is a source note: small and grey."""
        line = line or self.d.line
        tokens = [("", part, link, 9.0, MUTED) if style == "S" else
                  (style, part, link, size, None)
                  for style, text, link in runs
                  for part in _pieces(self.safe(text))]
        first, page = True, self.page
        self.in_text = True
        while tokens:
            self.need(line)
            x, width = self.frame()
            got, tokens = self._line(tokens, width - indent - right)
            if self.draw:
                pdf = self.pdf
                if bullet and first:
                    pdf.set_font(self.family, "B", size)
                    pdf.set_text_color(*colour)
                    pdf.set_xy(x, self.y)
                    pdf.cell(indent, line, self.safe(bullet))
                pdf.set_xy(x + indent, self.y)
                for style, part, link, sz, tint in got:
                    pdf.set_font(self.family, style, sz)
                    pdf.set_text_color(*(LINK if link else tint or (
                        strong if strong and style == "B" else colour)))
                    pdf.cell(self.width(part, style, sz), line, part, link=link)
            first = False
            self.y += line
        self.in_text = False
        if self.pending and self.page != page:
            self.place_pending()

    def count_lines(self, runs, size: float, indent: float = 0.0,
                    width: float | None = None) -> int:
        """How many lines ``runs`` take (full width unless ``width`` is given)."""
        tokens = [("", part, link, 9.0, None) if style == "S" else (style, part, link, size, None)
                  for style, text, link in runs
                  for part in _pieces(self.safe(text))]
        count = 0
        while tokens:
            _, tokens = self._line(tokens, (width or self.full) - indent)
            count += 1
        return count

    def paragraph(self, text: str, *, style: str = "", tail: str = "", keep: int = 5,
                  **kw) -> None:
        """A paragraph with **bold** runs. One of up to ``keep`` lines is not split across
        pages; a longer one leaves at least two lines on each page."""
        runs = [("B" if bold else style, run, "") for bold, run in _runs(text)]
        runs += [("S", " " + tail, "")] if tail else []
        size, line = kw.get("size", BODY), kw.get("line") or self.d.line
        lines = self.count_lines(runs, size, kw.get("indent", 0.0))
        room = int((self.bottom - self.y) // line)
        if room < lines and (lines <= keep or room < 2 or lines - room < 2):
            self.new_page()
        self.text(runs, **kw)

    def heading(self, text: str, keep: float = 0.0, size: float = 13.0, colour=ACCENT) -> None:
        """A section heading, moved to the next page with ``keep`` mm of what follows."""
        self.need(7.0 + keep)
        x, width = self.frame()
        if width < self.full:  # beside a picture: only if the heading ends before it does
            lines = self.count_lines([("B", text, "")], size, width=width)
            if self.y + 0.6 + lines * 6.4 > self.float[1]:
                self.clear_float()
                self.need(7.0 + keep)
        self.y += 0.6
        self.text([("B", text, "")], size=size, line=6.4, colour=colour)
        self.y += 0.4

    # ---- pictures and boxes
    def image(self, name: str, x: float, w: float) -> float:
        data = self.h.images[name]
        height = w * _png_ratio(data)
        if self.draw:
            self.pdf.image(io.BytesIO(data), x=x, y=self.y, w=w, h=height,
                           alt_text=self.safe(self.h.captions.get(name, "")))
        return height

    def box(self, top: float, height: float) -> None:
        if self.draw:
            pdf = self.pdf
            pdf.set_fill_color(*WARN_FILL)
            pdf.set_draw_color(*WARN_EDGE)
            pdf.set_line_width(0.45)
            pdf.rect(self.left, top, self.full, height, style="DF")
            pdf.set_fill_color(*WARN_EDGE)
            pdf.rect(self.left, top, 2.2, height, style="F")

    def cited(self, keys: Sequence[str]) -> str:
        """'Sources: 1, 3–5.' for the keys ('' for none)."""
        if not keys:
            return ""
        numbers = _Citations()
        numbers.keys = list(self.h.references)
        label = "Sources: " if self.h.audience == "patient" else "References: "
        return label + numbers.numbers(keys).strip("[]") + "."

    def sources(self, keys: Sequence[str]) -> None:
        if keys:
            self.paragraph(self.cited(keys), size=9, line=4.1, colour=MUTED)


def _lay_out(flow: _Flow) -> None:
    """The whole handout, top to bottom (measuring or drawing, as ``flow`` says)."""
    h, d = flow.h, flow.d
    patient = h.audience == "patient"
    flow.text([("", PROJECT, "")], size=9, line=4.2, colour=MUTED)
    flow.text([("B", h.title, "")], size=18, line=8.0)
    if h.subtitle:
        flow.paragraph(h.subtitle, colour=MUTED)
    flow.y += 2.0
    notice_done = False

    def notice() -> None:
        nonlocal notice_done
        if h.notice and not notice_done:
            flow.paragraph(h.notice, style="B", colour=MUTED)
            flow.y += d.gap
            notice_done = True

    for section in h.sections:
        shown = [n for n in section.images if n in h.images]
        if section.kind == "warning":
            flow.clear_float()
            pad, bar = 3.0, 2.2
            saved_left, saved_full = flow.left, flow.full
            inner = dict(left=saved_left + bar + pad, full=saved_full - bar - 2 * pad)

            def body() -> None:
                flow.heading(section.heading, size=12.5, colour=WARN_INK)
                for i, p in enumerate(section.paragraphs):
                    last = i == len(section.paragraphs) - 1
                    flow.paragraph(p, strong=WARN_INK,
                                   tail=flow.cited(section.citations) if last else "")
                    flow.y += 1.0

            probe_y, probe_page, probe_draw = flow.y, flow.page, flow.draw
            flow.draw, flow.left, flow.full = False, inner["left"], inner["full"]
            flow.y = PAGE_TOP  # measure on a fresh page's worth of room
            body()
            height = flow.y - PAGE_TOP + 2 * pad - 1.0
            flow.draw, flow.left, flow.full = probe_draw, saved_left, saved_full
            flow.y, flow.page = probe_y, probe_page
            flow.need(height)
            top = flow.y
            flow.box(top, height)
            flow.y = top + pad - 0.6
            flow.left, flow.full = inner["left"], inner["full"]
            body()
            flow.left, flow.full = saved_left, saved_full
            flow.y = top + height + d.gap + 1.0
            continue

        if section.kind == "figure" and shown and shown[0].startswith("headmap-"):
            flow.clear_float()
            count = len(shown)
            img_w = d.headmap_w if count == 1 else d.headmap_w * 0.8
            img_h = max(img_w * _png_ratio(h.images[n]) for n in shown)
            flow.heading(section.heading, keep=img_h)
            for i, name in enumerate(shown):
                flow.image(name, flow.left + i * (img_w + 2), img_w)
            flow.float = (flow.page, flow.y + img_h, count * (img_w + 2) + 4)
            for i, p in enumerate(section.paragraphs):  # the words, then the caption
                if i < len(section.paragraphs) - 1:
                    flow.paragraph(p)
                else:
                    flow.paragraph(p, size=10.5, line=4.8, colour=MUTED)
                flow.y += 0.8
            flow.y += d.gap
            continue

        if section.kind == "figure" and shown:
            flow.clear_float()
            name = shown[0]
            img_w = min(d.diagram_w, flow.full)
            img_h = img_w * _png_ratio(h.images[name])

            def place(section=section, name=name, img_w=img_w, img_h=img_h) -> None:
                if flow.y > PAGE_TOP + 1:
                    flow.y += d.gap
                flow.heading(section.heading)
                flow.image(name, flow.left + (flow.full - img_w) / 2, img_w)
                flow.y += img_h + 1.0
                for p in section.paragraphs:
                    flow.paragraph(p, size=10, line=4.5, colour=MUTED)
                flow.y += d.gap

            flow.place_or_defer(7.4 + img_h + 1.0 + 2 * 4.5 + d.gap, place)
            continue

        if section.kind == "figure":  # no picture: its words alone, without the caption
            words = section.paragraphs[:-1]
            if words:
                flow.heading(section.heading, keep=2 * d.line)
            notice()
            for p in words:
                flow.paragraph(p)
            flow.y += d.gap if words else 0
            continue

        if section.heading:
            first = section.paragraphs[0] if section.paragraphs else ""
            tail = flow.cited(section.citations) if len(section.paragraphs) == 1 else ""
            lines = flow.count_lines([(s, r, "") for s, r in
                                      [("B" if b else "", r) for b, r in _runs(first)]]
                                     + ([("S", " " + tail, "")] if tail else []), BODY)
            flow.heading(section.heading, keep=(lines if lines <= 5 else 2) * d.line)
        if section.kind == "note":
            for p in section.paragraphs:
                flow.paragraph(p, style="B", colour=WARN_INK)
        elif section.kind == "list":
            for p in section.paragraphs:
                flow.paragraph(p, indent=4.5, bullet="•")
                flow.y += 0.7
            flow.sources(section.citations)
        else:
            for i, p in enumerate(section.paragraphs):
                last = i == len(section.paragraphs) - 1
                flow.paragraph(p, tail=flow.cited(section.citations) if last else "")
                flow.y += 0 if last else 1.2
        flow.y += d.gap

    notice()
    flow.clear_float()
    if h.formatted_references:
        flow.heading("Sources" if patient else "References", keep=3 * d.ref_line)
        for number, (text, link) in enumerate(h.formatted_references, 1):
            link = link if _safe_link(link) else ""
            head, ident = _split_identifier(text) if link else (text, "")
            runs = [("", head, ""), ("", ident, link)] if ident else [("", text, link)]
            flow.need(flow.count_lines(runs, d.ref_size, 6.5) * d.ref_line)  # keep it whole
            flow.text(runs, size=d.ref_size, line=d.ref_line, indent=6.5, bullet=f"{number}.")
            flow.y += 0.6
    flow.y += 1.5
    flow.paragraph(" ".join(h.footer), style="B", size=10, line=4.6, colour=MUTED)
    if flow.pending:  # a picture still waiting: it gets the next page
        flow.new_page()


def _pdf_writer():
    """A fresh fpdf2 document with the handout's fonts, page set-up and footer."""
    from fpdf import FPDF

    fonts = _fonts()
    family = "DejaVu" if fonts else "helvetica"
    safe = (lambda t: t) if fonts else _latin1

    class HandoutPDF(FPDF):
        footer_text = ""

        def footer(self) -> None:
            self.set_draw_color(190, 190, 190)
            self.set_line_width(0.2)
            self.line(PAGE_SIDE, self.h - 12.5, self.w - PAGE_SIDE, self.h - 12.5)
            self.set_font(family, "", 8.5)
            self.set_text_color(*MUTED)
            self.set_xy(PAGE_SIDE, self.h - 12)
            self.cell(self.w - 2 * PAGE_SIDE, 5, self.footer_text, align="L")
            self.set_xy(PAGE_SIDE, self.h - 12)
            self.cell(self.w - 2 * PAGE_SIDE, 5, f"Page {self.page_no()} of {{nb}}", align="R")

    pdf = HandoutPDF(orientation="P", unit="mm", format="A4")
    # Date-free: a fixed date (fpdf2's convention for reproducible output), not today's.
    pdf.set_creation_date(datetime(1969, 12, 31, 19, 0, 0, tzinfo=timezone.utc))
    if fonts:
        for style, path in fonts.items():
            pdf.add_font(family, style, str(path))
    pdf.set_margins(PAGE_SIDE, PAGE_TOP, PAGE_SIDE)
    pdf.set_auto_page_break(False)  # _Flow breaks pages itself
    pdf.set_creator(PROJECT)
    pdf.set_lang("en")
    return pdf, family, safe


def _fit(candidates: Iterable[tuple[Handout, _Density]]) -> tuple[bytes, Handout]:
    """Measure each (handout, layout) in turn and draw the first that fits on two pages (or,
    if none does, the last)."""
    pdf, family, safe = _pdf_writer()
    chosen = None
    widths: dict = {}  # word widths, shared by every measuring pass
    for handout, density in candidates:
        chosen = (handout, density)
        probe = _Flow(pdf, family, safe, density, handout, draw=False, widths=widths)
        _lay_out(probe)
        if probe.page <= 2:
            break
    handout, density = chosen
    pdf.footer_text = safe(" ".join(handout.footer))
    pdf.set_title(safe(handout.title))
    pdf.add_page()
    _lay_out(_Flow(pdf, family, safe, density, handout, draw=True, widths=widths))
    return bytes(pdf.output()), handout


def render_pdf(handout: Handout) -> bytes:
    """The handout as PDF bytes, in memory: A4, body text 11 pt DejaVu Sans (core Helvetica if
    that font is not installed). Layouts with smaller pictures and reference text are measured
    in turn, and the first that fits on two pages is drawn; :func:`build_pdf` also shortens
    the text if that is not enough."""
    return _fit((handout, density) for density in DENSITIES)[0]


# --------------------------------------------------------------------------------- HTML

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
                   for bold, run in _runs(text))


def render_html(handout: Handout) -> str:
    """The handout as one self-contained HTML page: inline CSS, pictures as data URIs, no
    scripts, no fonts or anything else fetched (a Content-Security-Policy forbids it); the
    reference links are plain links. All text is escaped."""
    esc = html.escape
    numbers = _Citations()
    numbers.keys = list(handout.references)
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
            head, ident = _split_identifier(text) if link and _safe_link(link) else (text, "")
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


# --------------------------------------------------------------------------------- one call


def _handout(atlas, audience, regions, source, side, images, view=None) -> Handout:
    handout = handout_content(atlas, audience, regions=regions, source=source, side=side,
                              view=view)
    return add_images(atlas, handout) if images else handout


#: (text detail, how many of DENSITIES to try): fuller text with larger pictures first.
FIT_ORDER = ((0, 3), (1, 4), (2, 5), (3, 6), (4, 7))


def build_pdf(atlas, audience: str = "patient", *, regions: Iterable[tuple[str, str]] = (),
              source: str | None = None, side: str = "right", images: bool = True,
              view: str | None = None) -> bytes:
    """The handout as PDF bytes (one or two A4 pages), built in memory.

    With ``images`` the head map and the pathway diagram are drawn; if that is impossible on
    this computer, the PDF has words only and says so (:data:`NO_PICTURES`). When the full
    text does not fit on two pages, the shorter versions of :func:`handout_content` are used
    (``detail`` 1 to 3)."""
    return _pdf_and_handout(atlas, audience, regions=regions, source=source, side=side,
                            images=images, view=view)[0]


def _pdf_and_handout(atlas, audience="patient", *, regions=(), source=None, side="right",
                     images=True, view=None) -> tuple[bytes, Handout]:
    """The PDF and the version of the handout it shows."""
    regions = tuple(regions)
    full = _handout(atlas, audience, regions, source, side, images, view)

    def candidates():
        for detail, count in FIT_ORDER:
            handout = full if detail == 0 else replace(
                handout_content(atlas, audience, regions=regions, source=source, side=side,
                                detail=detail, view=view), images=full.images,
                notice=full.notice)
            for density in DENSITIES[:count]:
                yield handout, density

    return _fit(candidates())


def build_html(atlas, audience: str = "patient", *, regions: Iterable[tuple[str, str]] = (),
               source: str | None = None, side: str = "right", images: bool = True,
               view: str | None = None) -> str:
    """The handout as one self-contained HTML page (works offline), built in memory."""
    return render_html(_handout(atlas, audience, regions, source, side, images, view))

