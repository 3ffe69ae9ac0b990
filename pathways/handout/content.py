"""What the handout says: :func:`handout_content` and the wording choices it makes (titles,
headings, captions, the footer, how views and sides are described).

The words come from the atlas (names, descriptions, explanations, citations) and the reviewed
wording in ``assets/content/`` (``notes.yaml``, ``guidance.yaml``, through
:mod:`pathways.guidance`); this module only arranges them, in the order the screen shows them,
and says how much of them a crowded page keeps (``detail``).

>>> from pathways import load_atlas
>>> h = handout_content(load_atlas(), "patient", regions=[("orbit", "left")])
>>> [s.kind for s in h.sections][:3]     # warnings, then the usual causes, before any source
['warning', 'text', 'list']
>>> h.images
{}
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace

from .. import headmap
from ..atlas import NUCLEUS, Referral
from ..guidance import load_guidance, load_notes, patient_result
from ..schema import AUDIENCES, SIDES, words_for
from ..text import FRAMES
from ..wording import load_ui
from .model import Citations, Handout, Section, reference_text
from .pictures import choose_views

#: The date-free footer, on every page: the app's one-line promise (ui.yaml).
FOOTER = load_ui().text("disclaimer.short")
#: The footer's second sentence, by wording.
STORED = {
    "patient": "Nothing about you was stored by the app.",
    "clinician": "Nothing about the patient was stored by the app.",
}


def _lower_first(text: str) -> str:
    """'Back of the head' -> 'back of the head' mid-sentence; keeps 'C2–C3 …' and 'TMJ'."""
    return text[0].lower() + text[1:] if text[1:2].islower() else text


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


def _views_caption(views: Sequence[str], words: str) -> str:
    """How to read the drawing(s): which view, and where the person's left and right are."""
    if len(views) == 1:
        return load_ui().text(f"view_conventions.{views[0]}", words)
    return " ".join(f"{'First' if i == 0 else 'Second'} picture: "
                    f"{_lower_first(load_ui().text(f'view_conventions.{v}', words))}"
                    for i, v in enumerate(views))


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
    note and the warnings are never shortened. :func:`pathways.handout.build_pdf` uses it only
    when the full text would not fit on two pages.
    """
    guide = load_guidance()
    marked = _check_inputs(atlas, audience, regions, source, side)
    words = words_for(audience)
    patient = words == "patient"
    cites = Citations()
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
        views = choose_views(marked, view)
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
                places = [_region_words(atlas, r, sd, audience) + f", {word(strength)}"
                          for r, sd, strength in line.places]
                lead = (". ".join(places) + "." if patient else "; ".join(places) + ":")
                refs = [k for c in these for r in c.referrals
                        for k in atlas.edge(r.source, r.region).citations]
                keys += refs
                # patients: one short sentence per part; clinicians: one list
                joined = (". " if patient else ", ").join(c.name for c in these)
                items.append(f"**{lead}** {joined}."
                             + ("" if patient or detail >= 4 else " " + cites.numbers(refs)))
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
        states = headmap.region_states(atlas.referral(source, side))
        if states:
            views = choose_views(states, view)
            names = tuple(f"headmap-{v}" for v in views)
            listing = "; ".join(
                f"{_region_words(atlas, r, s, audience, lower=True)}, {word(strength)}"
                for (r, s), strength in states.items())
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
        count = None if detail < 4 else 2 if patient else 1
        sections.append(Section(
            "What may help" if patient else "Management by kind of source",
            tuple(f"**{c.wording.title(audience)}.** "
                  f"{_first_sentences(c.wording.text(audience), count)}" for c in cares),
            cites.add(k for c in cares for k in main(c.wording.citations)), "list"))
    refs = atlas.references
    return Handout(
        title=title, audience=audience, regions=marked, source=source, side=side,
        sections=tuple(sections), references=tuple(cites.keys), images={}, subtitle=subtitle,
        captions=captions, footer=(FOOTER, STORED[words]), notice="",
        formatted_references=tuple((reference_text(refs[k]), refs[k].link)
                                   for k in cites.keys))

