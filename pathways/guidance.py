"""What a result says around the candidate sources, so that every patient path tells the same
story in the same order: the warning signs, the usual causes (primary headache), other causes a
doctor would think of for the marked areas, then the possible neck, face-nerve and inside-the-
skull sources with their paths, and advice that fits each kind of source.

The wording lives in reviewed data files (``assets/content/guidance.yaml`` and
``notes.yaml``), validated here like every other data file: a malformed entry raises
:class:`~pathways.consult.ContentError` naming the file, the entry and the field.

>>> from pathways import load_atlas
>>> result = patient_result(load_atlas(), [("orbit", "left")])
>>> result.usual.title("patient")
'Most head, eye and face pain is not from the neck'
>>> [g.id for g in result.groups]    # the dura is the typical source of eye pain here
['intracranial', 'upper-neck', 'trigeminal']
>>> [c.id for c in result.others]
['giant-cell-arteritis', 'eye-disease']
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from .atlas import CONTENT_DIR, load_atlas
from .consult import ContentError, Wording, cited_keys
from .datafile import load_yaml
from .schema import (
    CARE_KINDS,
    GROUPS,
    GUIDANCE_NAMED,
    GUIDANCE_SCHEMA,
    NOTES_SCHEMA,
    OTHER_URGENCIES,
    STRENGTHS,
    words_for,
)

__all__ = [
    "load_guidance",
    "load_notes",
    "patient_result",
    "Guidance",
    "Note",
    "OtherCause",
    "Care",
    "Candidate",
    "Line",
    "Group",
    "Result",
    "GROUPS",
    "CARE_KINDS",
    "OTHER_URGENCIES",
    "DEFAULT_GUIDANCE_FILE",
    "DEFAULT_NOTES_FILE",
]

DEFAULT_GUIDANCE_FILE = CONTENT_DIR / "guidance.yaml"
DEFAULT_NOTES_FILE = CONTENT_DIR / "notes.yaml"
# GROUPS, CARE_KINDS and OTHER_URGENCIES (what guidance.yaml holds) live with its schema in
# pathways.schema, as do the schemas of guidance.yaml and notes.yaml.


# ---------------------------------------------------------------------------------- content


@dataclass(frozen=True)
class Note:
    """A short reviewed note: its text (``**…**`` marks bold) and citation keys."""

    text: str
    citations: tuple[str, ...]


@dataclass(frozen=True)
class OtherCause:
    """A cause a doctor would think of for some areas: never a pathway, always "see a doctor"
    (``urgency``: 'now', 'today' or 'doctor')."""

    id: str
    regions: tuple[str, ...]
    urgency: str
    wording: Wording
    short: Wording  # the one-line form (the handout's)


@dataclass(frozen=True)
class Care:
    """Advice that fits one kind of source (``sources`` are tissue ids)."""

    id: str
    sources: tuple[str, ...]
    wording: Wording


@dataclass(frozen=True)
class Guidance:
    """The validated content of guidance.yaml. Build it with :func:`load_guidance`."""

    usual: Wording
    other_causes: tuple[OtherCause, ...]
    groups: Mapping[str, Wording]
    intracranial: frozenset[str]
    strength: Mapping[str, Wording]
    warnings: Mapping[str, Wording]
    care: tuple[Care, ...]

    def group_of(self, source: str, route_group: str) -> str:
        """'intracranial' for a source inside the skull, else the group of the nerve its
        signals enter by (``route_group``: 'upper-neck' or 'trigeminal')."""
        return "intracranial" if source in self.intracranial else route_group

    def others_for(self, regions: Iterable[str]) -> tuple[OtherCause, ...]:
        """The other causes that fit any of these region ids, in file order."""
        regions = set(regions)
        return tuple(c for c in self.other_causes if regions & set(c.regions))

    def care_of(self, source: str) -> Care:
        return next(c for c in self.care if source in c.sources)

    def care_for(self, sources: Iterable[str]) -> tuple[Care, ...]:
        """The advice that fits these sources, each kind once, in the order of the sources
        (the strongest candidate's advice first)."""
        return tuple({self.care_of(s).id: self.care_of(s) for s in sources}.values())

    def warning(self, source: str) -> Wording | None:
        """The warning for a source whose pain can be an emergency, else None."""
        return self.warnings.get(source)

    def strength_word(self, strength: str, audience: str) -> str:
        """What a referral's strength means, in the audience's words ('usually felt here')."""
        return self.strength[strength].text(audience)


def load_notes(path: str | Path | None = None, *, atlas=None) -> Mapping[str, Note]:
    """The short notes of notes.yaml, validated (every citation must be a reference of
    ``atlas``). A malformed file raises :class:`ContentError` naming the file, entry and
    field; the bundled file is read once per process.

    >>> "emergency" in load_notes()["urgent_care"].text
    True
    """
    if path is None and atlas is None:
        return _bundled_notes()
    return _load_notes(Path(path) if path is not None else DEFAULT_NOTES_FILE,
                       atlas if atlas is not None else load_atlas())


@functools.lru_cache(maxsize=1)
def _bundled_notes() -> Mapping[str, Note]:
    return _load_notes(DEFAULT_NOTES_FILE, load_atlas())


def _load_notes(path: Path, atlas) -> Mapping[str, Note]:
    data = load_yaml(path, NOTES_SCHEMA, ContentError,
                     empty="named notes, each with 'text' and 'citations'")
    refs = set(atlas.references)
    return {name: Note(item["text"], cited_keys(path.name, name, item, refs))
            for name, item in data.items()}


def load_guidance(path: str | Path | None = None, *, atlas=None) -> Guidance:
    """The validated content of guidance.yaml (default: the bundled file), checked against
    ``atlas`` (default: the bundled atlas): citation keys, region and tissue ids, every tissue
    in exactly one kind of care, and a warning for every red-flag tissue (and only those).
    Raises :class:`ContentError` naming the file, entry and field of the first problem."""
    if path is None and atlas is None:
        return _bundled_guidance()
    return _load_guidance(Path(path) if path is not None else DEFAULT_GUIDANCE_FILE,
                          atlas if atlas is not None else load_atlas())


@functools.lru_cache(maxsize=1)
def _bundled_guidance() -> Guidance:
    return _load_guidance(DEFAULT_GUIDANCE_FILE, load_atlas())


def _load_guidance(path: Path, atlas) -> Guidance:
    name = path.name
    data = load_yaml(path, GUIDANCE_SCHEMA, ContentError, named=GUIDANCE_NAMED,
                     empty="the sections " + ", ".join(GUIDANCE_SCHEMA["required"]))
    refs = set(atlas.references)
    tissues = atlas.ids("tissue")
    regions = atlas.ids("body-region")

    def wording(entry: str, item: Mapping, cited: bool = True) -> Wording:
        title = item.get("title", {})
        return Wording(item["patient"], item["clinician"],
                       cited_keys(name, entry, item, refs) if cited else (),
                       title.get("patient", ""), title.get("clinician", ""))

    def known(entry: str, field: str, ids, choices, what: str) -> tuple[str, ...]:
        for i in ids:
            if i not in choices:
                raise ContentError(name, entry, field, f"unknown {what} {i!r}",
                                   f"{what} ids from the atlas: " + ", ".join(choices))
        return tuple(ids)

    others, seen = [], set()
    for item in data["other_causes"]:
        entry = f"other_causes/{item['id']}"
        if item["id"] in seen:
            raise ContentError(name, entry, "id", "duplicate id", "each id only once")
        seen.add(item["id"])
        others.append(OtherCause(item["id"], known(entry, "regions", item["regions"], regions,
                                                   "region"),
                                 item["urgency"], wording(entry, item),
                                 Wording(item["short"]["patient"], item["short"]["clinician"],
                                         cited_keys(name, entry, item, refs))))
    groups = {g: wording(f"groups/{g}", data["groups"][g]) for g in GROUPS}
    inside = known("groups/intracranial", "sources",
                   data["groups"]["intracranial"].get("sources", ()), tissues, "tissue")
    for g in ("upper-neck", "trigeminal"):
        if "sources" in data["groups"][g]:
            raise ContentError(name, f"groups/{g}", "sources", "is only meaningful for "
                               "intracranial", "no sources here: this group follows the nerves")
    warnings = {}
    for source, item in data["warnings"].items():
        known(f"warnings/{source}", "(key)", [source], tissues, "tissue")
        warnings[source] = wording(f"warnings/{source}", item)
    for tissue in tissues:
        flagged = atlas.nodes[tissue].red_flag
        if flagged and tissue not in warnings:
            raise ContentError(name, "warnings", tissue, "is missing",
                               f"a warning for {tissue!r}, which nodes.yaml marks red_flag")
        if tissue in warnings and not flagged:
            raise ContentError(name, f"warnings/{tissue}", "(key)",
                               f"{tissue!r} is not marked red_flag in nodes.yaml",
                               "warnings only for red-flag tissues")
    care, owner = [], {}
    for item in data["care"]:
        entry = f"care/{item['id']}"
        if any(c.id == item["id"] for c in care):
            raise ContentError(name, entry, "id", "duplicate id", "each kind of care only once")
        for source in known(entry, "sources", item["sources"], tissues, "tissue"):
            if source in owner:
                raise ContentError(name, entry, "sources", f"{source!r} is already in "
                                   f"care/{owner[source]}", "each tissue in one kind of care")
            owner[source] = item["id"]
        care.append(Care(item["id"], tuple(item["sources"]), wording(entry, item)))
    missing = [t for t in tissues if t not in owner]
    if missing:
        raise ContentError(name, "care", "sources", "no advice for " + ", ".join(missing),
                           "every tissue of the atlas in one kind of care")
    strength = {s: wording(f"strength/{s}", data["strength"][s], cited=False)
                for s in STRENGTHS}
    return Guidance(wording("usual_causes", data["usual_causes"]), tuple(others), groups,
                    frozenset(inside), strength, warnings, tuple(care))


# ---------------------------------------------------------------------------------- result


@dataclass(frozen=True)
class Candidate:
    """One possible source (on one side) for the marked areas: its name, the places it may
    explain as (region, side, strength), one short sentence on how, and its warning."""

    source: str
    source_side: str
    name: str
    places: tuple[tuple[str, str, str], ...]
    summary: str
    citations: tuple[str, ...]
    warning: Wording | None
    referrals: tuple  # the Referral objects behind it, for the full pathway


@dataclass(frozen=True)
class Line:
    """Candidates that explain exactly the same places the same way, listed once together."""

    places: tuple[tuple[str, str, str], ...]
    candidates: tuple[Candidate, ...]


@dataclass(frozen=True)
class Group:
    """A group of candidates (upper neck, face nerve, inside the skull), strongest first."""

    id: str
    wording: Wording
    lines: tuple[Line, ...]


@dataclass(frozen=True)
class Result:
    """Everything a result shows around the marked areas, in the order it is shown: warnings
    (``warned``: the candidate sources that carry one), the usual causes, other causes, the
    groups of candidates, and the advice that fits them."""

    regions: tuple[tuple[str, str], ...]
    usual: Wording
    others: tuple[OtherCause, ...]
    groups: tuple[Group, ...]
    care: tuple[Care, ...]
    warned: tuple[str, ...]
    ranked: tuple[Candidate, ...]  # every candidate, best first (most areas, then typical)

    @property
    def candidates(self) -> tuple[Candidate, ...]:
        """Every candidate in the order shown: group by group, line by line."""
        return tuple(c for g in self.groups for line in g.lines for c in line.candidates)


def _source_name(atlas, source: str, side: str, audience: str) -> str:
    name = atlas.name(source, audience)
    return name if side in ("", "midline") else f"{name} ({side})"


def patient_result(atlas, regions: Iterable[tuple[str, str]], audience: str = "patient",
                   guidance: Guidance | None = None) -> Result:
    """The result for the marked (region, side) pairs, in ``audience``'s words.

    Candidates come from :meth:`Atlas.candidates_for` (most marked areas explained first, then
    typical before possible) and are grouped: upper neck, face nerve, inside the skull, the
    group with the strongest candidate first (empty groups last). Within a group, candidates
    that explain the same places the same way share one line.
    """
    from .text import summary

    guidance = guidance or load_guidance()
    words_for(audience)
    marked = tuple(dict.fromkeys((r, s) for r, s in regions))
    found: dict[str, list[Candidate]] = {g: [] for g in GROUPS}
    ranked = []
    for cands in atlas.candidates_for(marked):
        first = cands[0]
        ordered = sorted(cands, key=lambda c: c.strength != "typical")
        places = tuple((c.region, c.side, c.strength) for c in ordered)
        ranked.append(Candidate(
            first.source, first.source_side,
            _source_name(atlas, first.source, first.source_side, audience), places,
            summary(atlas, ordered[0], audience),
            tuple(dict.fromkeys(k for c in cands for k in c.citations)),
            guidance.warning(first.source), tuple(ordered)))
        found[guidance.group_of(first.source, first.group)].append(ranked[-1])
    groups = []
    for g in GROUPS:
        lines: dict[tuple, list[Candidate]] = {}
        for cand in found[g]:
            lines.setdefault(cand.places, []).append(cand)
        groups.append(Group(g, guidance.groups[g],
                            tuple(Line(p, tuple(cs)) for p, cs in lines.items())))

    def strongest(group: Group):  # the group whose best line explains most, typical first
        if not group.lines:
            return (1, 0, 1, GROUPS.index(group.id))
        best = group.lines[0].places
        return (0, -len(best), 0 if best[0][2] == "typical" else 1, GROUPS.index(group.id))

    groups.sort(key=strongest)
    sources = [c.source for c in ranked]
    return Result(marked, guidance.usual, guidance.others_for(r for r, _ in marked),
                  tuple(groups), guidance.care_for(sources),
                  tuple(dict.fromkeys(s for s in sources if guidance.warning(s))), tuple(ranked))
