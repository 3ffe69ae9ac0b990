"""The app's shared words, read from ``assets/content/ui.yaml`` through one typed accessor.

Labels and phrases used in more than one place (the disclaimer, the audience switch, the
head-map views and layers, the words for a highlighted area, the sensitisation level and
modulation bands) live once in that file; pages, figure text, handouts and the lesson ask here.
Clinical statements are not here: they live, cited, in the atlas and the other content files.

>>> ui = load_ui()
>>> ui.text("disclaimer.short")
'Education, not diagnosis.'
>>> ui.modulation_words(0.4, "clinician"), ui.modulation_words(-0.4, "patient")
('moderate facilitation', 'turned down somewhat')
>>> ui.level_words(0.5, "patient")
'more sensitive'
>>> ui.names("views")["back"]
'Back'
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .atlas import CONTENT_DIR, load_atlas
from .audience import words_for
from .consult import ContentError, check_schema, cited_keys
from .datafile import load_yaml
from .guidance import load_guidance
from .schema import UI_NAMED, UI_SCHEMA  # with the schemas of the other data files

__all__ = ["UI", "UI_PATH", "load_ui"]

UI_PATH = CONTENT_DIR / "ui.yaml"

@dataclass(frozen=True)
class UI:
    """The parsed ``ui.yaml``. Use :meth:`text` for a phrase, :meth:`names` for a table of
    labels, and the band methods for words that depend on a number."""

    data: Mapping

    def text(self, key: str, audience: str = "patient", **fields) -> str:
        """The phrase at the dotted ``key`` ('disclaimer.short') in ``audience``'s words, with
        ``fields`` filled in. An unknown key raises KeyError naming it."""
        value = self.data
        for part in key.split("."):
            if not isinstance(value, Mapping) or part not in value:
                raise KeyError(f"ui.yaml has no {key!r}")
            value = value[part]
        if isinstance(value, Mapping):
            value = value[words_for(audience)]
        if not isinstance(value, str):
            raise KeyError(f"ui.yaml: {key!r} is a table, not a phrase")
        return value.format(**fields) if fields else value

    def names(self, key: str) -> dict[str, str]:
        """A table of names by id ('views', 'overlays', 'audience.names')."""
        value = self.data
        for part in key.split("."):
            value = value[part]
        return dict(value)

    def map_state_words(self, audience: str = "clinician") -> dict[str, str]:
        """How each head-map state is named: the strength words of ``guidance.yaml`` for
        typical and possible areas (their one home), and this file's for the others."""
        guide = load_guidance()
        return {**{s: guide.strength_word(s, audience) for s in guide.strength},
                **{s: self.text(f"map_states.{s}", audience) for s in self.data["map_states"]}}

    def figure(self, name: str, audience: str = "patient") -> tuple[str, tuple[str, ...]]:
        """A fixed figure's caption in ``audience``'s words and its citation keys."""
        entry = self.data["figures"][name]
        return self.text(f"figures.{name}.caption", audience), tuple(entry["citations"])

    def _band(self, key: str, value: float, audience: str) -> str:
        for band in self.data[key]:
            if "below" not in band or value < band["below"]:
                return band[words_for(audience)]
        return self.data[key][-1][words_for(audience)]

    def level_words(self, s: float, audience: str = "patient") -> str:
        """The sensitisation level ``s`` (0–1) in words."""
        return self._band("level", s, audience)

    def modulation_words(self, m: float, audience: str = "patient") -> str:
        """Descending modulation ``m`` (−1…1) in words: its size and its direction."""
        direction = self.text(f"modulation_direction.{'down' if m < 0 else 'up'}", audience)
        return self._band("modulation", abs(m), audience).format(direction=direction)


def _check_bands(name: str, data: dict) -> None:
    for key in ("level", "modulation"):
        bands = data[key]
        cuts = [b.get("below") for b in bands]
        if None in cuts[:-1] or cuts[-1] is not None or cuts[:-1] != sorted(cuts[:-1]):
            raise ContentError(name, key, "below", "cut-offs are missing or out of order",
                               "an increasing 'below' on every band but the last, none on it")


def _check_ids(name: str, data: dict, atlas) -> None:
    if data["default_source"] not in atlas.ids("tissue"):
        raise ContentError(name, "default_source", "default_source",
                           f"{data['default_source']!r} is not a tissue of the atlas",
                           "the id of a tissue in nodes.yaml")
    refs = set(atlas.references)
    for figure, entry in data["figures"].items():
        cited_keys(name, f"figures/{figure}", entry, refs)


def parse_ui(data, name: str = "ui.yaml", atlas=None) -> UI:
    """Validate ``data`` (the parsed file) against the schema and ``atlas`` (the bundled one
    unless given: ids and citation keys must exist) and wrap it; a problem raises ContentError
    naming the entry and field."""
    check_schema(name, data, UI_SCHEMA, UI_NAMED)
    return _checked(name, data, atlas)


def _checked(name: str, data, atlas=None) -> UI:
    """What the schema cannot check: band cut-offs, ids and citation keys."""
    _check_bands(name, data)
    _check_ids(name, data, atlas if atlas is not None else load_atlas())
    return UI(data)


def _load(path: Path) -> UI:
    return _checked(path.name, load_yaml(path, UI_SCHEMA, ContentError, named=UI_NAMED,
                                         empty="the sections " + ", ".join(UI_SCHEMA["required"])))


@functools.cache
def _bundled() -> UI:
    return _load(UI_PATH)


def load_ui(path: str | Path | None = None) -> UI:
    """The shared words (the bundled file, cached, unless ``path`` names another)."""
    if path is None:
        return _bundled()
    return _load(Path(path))
