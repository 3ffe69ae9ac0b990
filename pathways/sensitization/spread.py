"""Enlarged receptive fields: where a source's pain may also be felt as sensitisation rises
(neighbouring regions, then theirs), read through the atlas.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import replace

from ..vocabulary import AFFERENT, NUCLEUS, TERRITORY, Referral
from .model import DEFAULT_PARAMETERS, ModelParameters, spread_rings

__all__ = [
    "spread_regions",
    "spread_referrals",
    "felt_with_spread",
]

# --------------------------------------------------------------------------------- 3. spread




def spread_regions(atlas, base_regions: Sequence[str], rings: int) -> list[tuple[str, str, int]]:
    """Regions reached from ``base_regions`` through ``rings`` rings of region neighbours, as
    (region, the neighbour it was reached from, ring number), ring by ring in atlas order."""
    seen = set(base_regions)
    frontier = [r for r in dict.fromkeys(base_regions)]
    out = []
    for ring in range(1, rings + 1):
        found = {}
        for parent in frontier:
            for region in atlas.nodes[parent].neighbours:
                if region not in seen and region not in found:
                    found[region] = parent
        order = sorted(found, key=list(atlas.nodes).index)
        out += [(region, found[region], ring) for region in order]
        seen.update(found)
        frontier = order
    return out


def _lower(name: str) -> str:
    return name[:1].lower() + name[1:] if name[1:2].islower() else name


def _chain(atlas, afferent: str) -> set[str]:
    """The afferent and everything its signals pass through on the way in (nucleus excluded)."""
    seen, todo = {afferent}, [afferent]
    while todo:
        for _, b, d in atlas.graph.out_edges(todo.pop(), data=True):
            if d["relation"] in AFFERENT and b not in seen and b != NUCLEUS:
                seen.add(b)
                todo.append(b)
    return seen


def _felt_via(atlas, source: str, region: str, base: Sequence[Referral]) -> str:
    """The afferent whose skin territory a spread region is read as. Preference: one the
    source's own signal travels in; then one sharing a root or division with that route; then
    one of the source's group (cervical for upper-neck sources, trigeminal otherwise); then one
    already used by the usual referrals; then atlas order."""
    order = list(atlas.nodes)
    used = {r.felt_via for r in base}
    cervical_source = atlas.group(source) == "upper-neck"
    candidates = [a for a, _, d in atlas.graph.in_edges(region, data=True)
                  if d["relation"] in TERRITORY and atlas.converges(a)]

    def rank(afferent):
        route, chain = set(atlas.route(source, afferent)), _chain(atlas, afferent)
        cervical = any(atlas.nodes[n].kind == "spinal-root" for n in chain)
        return (afferent not in route, not chain & route, cervical != cervical_source,
                afferent not in used, order.index(afferent))

    return min(candidates, key=rank) if candidates else ""


def spread_referrals(atlas, source: str, base: Sequence[Referral], level: float,
                     params: ModelParameters = DEFAULT_PARAMETERS) -> list[Referral]:
    """Extra referrals (``spread=True``, strength 'possible') for regions reached through
    enlarged receptive fields at sensitisation ``level``: ring 1 = neighbours of the usual
    regions, ring 2 = their neighbours, and so on (:func:`spread_rings`).

    Each has ``felt_via`` = an afferent supplying that region's skin and ``path`` = the inbound
    route from ``source`` to the nucleus, then (felt_via, region). Sides are copied from
    ``base[0]`` (:func:`felt_with_spread` passes one side's referrals at a time). The regions
    at a level always include those at every lower level; at level 0 there are none.
    """
    rings = spread_rings(level, params)
    if not rings or not base:
        return []
    template = base[0]
    out = []
    for region, parent, ring in spread_regions(atlas, [r.region for r in base], rings):
        felt_via = _felt_via(atlas, source, region, base)
        if not felt_via:
            continue
        path = (*atlas.route(source, felt_via), felt_via, region)
        evidence = (
            f"Illustrative, not patient data: with central sensitisation, neurons in the "
            f"trigeminocervical nucleus answer to a larger area of skin (receptive fields "
            f"enlarged in {params.receptive_field_fraction:.0%} of neurons after the dura was "
            f"stimulated in rats; Bartsch & Goadsby 2003). So pain may spread to the "
            f"{_lower(atlas.name(region))}, next to the {_lower(atlas.name(parent))} "
            f"(ring {ring}).")
        out.append(replace(
            template, region=region, strength="possible", path=path, felt_via=felt_via,
            citations=atlas.path_citations(path, ("bartsch-goadsby2003-brain", "woolf2011")),
            evidence=evidence, spread=True))
    return out


def felt_with_spread(atlas, source: str, side: str = "right", level: float = 0.0,
                     params: ModelParameters = DEFAULT_PARAMETERS) -> list[Referral]:
    """Where pain from ``source`` may be felt at sensitisation ``level`` (0–1): the atlas's
    referrals (:meth:`~pathways.atlas.Atlas.referral`), then the regions that enlarged
    receptive fields add (:func:`spread_referrals`, marked ``spread=True``), each side of a
    midline source on its own, in the atlas's order.

    >>> from pathways import load_atlas
    >>> atlas = load_atlas()
    >>> felt_with_spread(atlas, "c2-c3-facet-joint", "left", 0) == atlas.referral("c2-c3-facet-joint", "left")
    True
    >>> [r.region for r in felt_with_spread(atlas, "c2-c3-facet-joint", "left", 0.5) if r.spread][:2]
    ['vertex', 'temple']
    """
    if not level:
        return atlas.referral(source, side)
    return list(_felt_with_spread(atlas, source, side, float(level), params))


@functools.lru_cache(maxsize=1024)
def _felt_with_spread(atlas, source: str, side: str, level: float,
                      params: ModelParameters) -> tuple[Referral, ...]:
    # Kept once computed: the atlas and the parameters never change, and the route search
    # behind each added region took several milliseconds of every click on the slider. A
    # slider in steps of 0.05 has 21 levels: a few hundred argument sets in all.
    usual = atlas.referral(source, side)
    spread = [r for s in dict.fromkeys(r.side for r in usual)
              for r in spread_referrals(atlas, source, [u for u in usual if u.side == s], level,
                                        params)]
    return tuple(atlas.ranked([*usual, *spread]))
