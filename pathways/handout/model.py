"""What a handout is, shared by its content and its two renderers: :class:`Section` and
:class:`Handout`, the ``**bold**`` markup in their text, the numbered citations and how a
reference is written and linked.

>>> bold_runs("a **b** c")
[(False, 'a '), (True, 'b'), (False, ' c')]
>>> Citations(["lord1994", "bogduk2009", "do2019"]).numbers(["do2019", "lord1994", "bogduk2009"])
'[1–3]'
>>> split_identifier("Lord SM. A study. 1994. doi:10.1136/jnnp.57.10.1187.")
('Lord SM. A study. 1994. ', 'doi:10.1136/jnnp.57.10.1187.')
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

#: The project's name, above the title of every handout.
PROJECT = "Neck and head pain pathways"
#: The smallest text a printed picture's labels may have (pt), on A4.
MIN_PRINT_PT = 8.0


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
    ``images`` maps a picture name to PNG bytes (empty until
    :func:`pathways.handout.add_images`); ``captions`` names every picture the handout would
    show, with its caption (also its alt text); ``narrowest`` gives, for a picture whose text
    must not be printed smaller than :data:`MIN_PRINT_PT`, the narrowest width (mm) it may be
    printed at.
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
    narrowest: dict[str, float] = field(default_factory=dict)


def bold_runs(text: str) -> list[tuple[bool, str]]:
    """'a **b** c' -> [(False, 'a '), (True, 'b'), (False, ' c')]."""
    parts = text.split("**")
    if len(parts) % 2 == 0:  # an unmatched marker: show it as written
        return [(False, text)]
    return [(i % 2 == 1, p) for i, p in enumerate(parts) if p]


class Citations:
    """Numbers references in the order they are first cited (``keys``: those already
    numbered, e.g. a finished handout's :attr:`Handout.references`)."""

    def __init__(self, keys: Iterable[str] = ()) -> None:
        self.keys: list[str] = list(keys)

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
        for prev, cur in zip(nums, [*nums[1:], None]):
            if cur != prev + 1:
                parts.append(str(start) if start == prev else
                             f"{start}, {prev}" if prev == start + 1 else f"{start}–{prev}")
                start = cur
        return "[" + ", ".join(parts) + "]"


def reference_text(ref) -> str:
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


def split_identifier(text: str) -> tuple[str, str]:
    """A reference's text before its identifier, and the identifier (DOI, PMID or address),
    which is what gets the link; ('text', '') if there is none."""
    cut = max(text.rfind(". doi:"), text.rfind(". PMID "), text.rfind(". https://"),
              text.rfind(". ISBN "))
    return (text[:cut + 2], text[cut + 2:]) if cut > 0 else (text, "")


def safe_link(link: str) -> bool:
    """Whether a reference's link may be used as one: a plain http(s) address."""
    return bool(re.match(r"^https?://[^\s<>\"'\\]+$", link or ""))
