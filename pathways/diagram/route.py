"""What the diagram lights up for a chosen source (its signal route to the nucleus and up, and the
afferents the brain reads it as), and the "felt in" words for the regions it is referred to.
Shared by the figure and its text description."""

from __future__ import annotations

from ..vocabulary import NUCLEUS


def highlight(atlas, source: str, side: str = "right", referral_index: int | None = None) -> dict:
    """What the diagram lights up for ``source``.

    Returns ``{"nodes", "edges", "felt_via", "felt_edges", "regions", "routes"}``: the nodes
    and (a, b) edges of the signal route (every inbound route of the source's referrals up to
    the nucleus, and the way up to the cortex); the afferents whose territory is felt
    (``felt_via``) and the edges of their own route to the nucleus (drawn as the brain's
    reading, not as a signal); and ``[(region, side, strength)]``, typical first.
    ``referral_index`` limits it to one referral.
    """
    referrals = atlas.referral(source, side)
    if referral_index is not None:
        referrals = [referrals[referral_index]]
    routes: list[tuple[str, ...]] = []
    for r in referrals:
        inbound = tuple(r.path[: r.path.index(NUCLEUS) + 1])
        if inbound not in routes:
            routes.append(inbound)
    if not routes:  # a tissue with no referral yet: its afferent routes
        routes = list(atlas.inbound_routes(source)[:3])
    up = atlas.ascending()
    nodes: set[str] = set(up)
    edges: set[tuple[str, str]] = set()
    for route in routes:
        nodes.update(route)
        edges.update(zip(route, route[1:]))
    for e in atlas.edges:
        if e.relation == "projects-to" and e.source in nodes and e.target in nodes:
            edges.add((e.source, e.target))
    felt_via = {r.felt_via for r in referrals}
    felt_edges: set[tuple[str, str]] = set()
    felt_nodes: set[str] = set()
    for afferent in felt_via:
        route = atlas.route_to_nucleus(afferent)
        for a, b in zip(route, route[1:]):
            if (a, b) not in edges:
                felt_edges.add((a, b))
        felt_nodes.update(n for n in route if n not in nodes)
    regions = [(r.region, r.side, r.strength) for r in referrals]
    return {"nodes": nodes, "edges": edges, "felt_via": felt_via, "felt_edges": felt_edges,
            "felt_nodes": felt_nodes, "regions": regions, "routes": routes}


def _region_list(atlas, regions, audience) -> list[tuple[str, str]]:
    """[(text, strength)] with regions merged across sides, typical first."""
    seen: dict[tuple[str, str], list[str]] = {}
    for region, side, strength in regions:
        seen.setdefault((region, strength), [])
        if side not in seen[(region, strength)]:
            seen[(region, strength)].append(side)
    out = []
    for strength in ("typical", "possible"):
        for (region, s), sides in seen.items():
            if s != strength:
                continue
            name = atlas.name(region, audience)
            if audience == "patient":
                name = name[0].lower() + name[1:] if name[1:2].islower() else name
            out.append((f"{name} ({' and '.join(sides)})", strength))
    return out


def _felt_text(atlas, regions, audience, html=True) -> str:
    items = _region_list(atlas, regions, audience)
    typical = [t for t, s in items if s == "typical"]
    possible = [t for t, s in items if s == "possible" and t not in typical]
    word = ("Felt in" if audience == "patient" else "Referred to")
    parts = []
    if typical:
        parts.append(("<b>" if html else "**") + ", ".join(typical) + ("</b>" if html else "**"))
    if possible:
        parts.append(("sometimes " if audience == "patient" else "possible: ") + ", ".join(possible))
    return f"{word}: " + "; ".join(parts) if parts else ""
