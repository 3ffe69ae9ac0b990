"""The head map in words: its view, its left/right convention and what is highlighted, so
nothing depends on seeing the colours.
"""

from __future__ import annotations

from ..wording import load_ui
from .drawing import DEFAULT_OVERLAY_LABELS
from .geometry import REGION_IDS, _check_view, _title, overlays_in_view, regions_in_view


def text_equivalent(view: str, states: dict | None = None, region_labels: dict | None = None,
                    overlay: str | None = None, overlay_labels: dict | None = None,
                    audience: str = "clinician", bullets: bool = False) -> str:
    """The map in words: the view, its left/right convention, what is highlighted and what is
    only visible, so nothing depends on seeing the colours.

    >>> text_equivalent("back", {("occiput", "left"): "typical"}, {"occiput": "Back of the head"}).split(". ")[1]
    'Highlighted: Back of the head (left), typical'

    ``audience`` chooses the words (the view's convention, what each highlight means);
    ``bullets=True`` lists the highlighted areas one per line (Markdown), easier to read.
    """
    view = _check_view(view)
    states = states or {}
    labels = {**{r: _title(r) for r in REGION_IDS}, **(region_labels or {})}
    ui = load_ui()
    convention = ui.text(f"view_conventions.{view}", audience)
    visible = regions_in_view(view)
    lit = [(r, s) for r, s in visible if (r, s) in states]
    words = [convention]
    state_word = ui.map_state_words(audience)
    if lit and bullets:
        words.append("Highlighted:\n" + "\n".join(
            f"- {labels[r]} ({s}): {state_word[states[(r, s)]]}." for r, s in lit) + "\n")
    elif lit:
        words.append("Highlighted: " + "; ".join(
            f"{labels[r]} ({s}), {state_word[states[(r, s)]]}" for r, s in lit) + ".")
    hidden = [(r, s) for (r, s) in states if (r, s) not in visible]
    if hidden:
        words.append("Not visible in this view: " + "; ".join(
            f"{labels[r]} ({s})" for r, s in hidden) + ".")
    others = [(r, s) for r, s in visible if (r, s) not in states]
    if others and bullets:
        words.append("Also on this drawing:\n" + "\n".join(
            f"- {labels[r]} ({s})." for r, s in others) + "\n")
    elif others:
        words.append("Also shown: " + "; ".join(f"{labels[r]} ({s})" for r, s in others) + ".")
    if overlay:
        names = {**DEFAULT_OVERLAY_LABELS, **(overlay_labels or {})}
        shown = [names.get(o, o) for o in overlays_in_view(view, overlay)]
        words.append("Layer: " + (", ".join(shown) if shown else "none visible in this view") + ".")
    return ("\n\n" if bullets else " ").join(words)
