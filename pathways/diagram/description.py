"""The convergence diagram in words, so nothing depends on seeing it: its inputs by group, the
nucleus, the way up and descending control as Markdown lists, then the chosen source's route and
where it is felt."""

from __future__ import annotations

import functools

from ..audience import words_for
from ..vocabulary import NUCLEUS
from .layout import drawn_nodes
from .route import _felt_text, highlight


@functools.lru_cache(maxsize=256)  # a pure function of immutable arguments, asked on every click
def text_equivalent(atlas, audience: str = "patient", source: str | None = None,
                    side: str = "right", referral_index: int | None = None) -> str:
    """The whole diagram as Markdown nested lists (inputs by group → nucleus → way up;
    descending control), then the highlighted route(s) in words if a source is chosen."""
    drawn = set(drawn_nodes(atlas))

    def nm(n: str) -> str:
        node = atlas.nodes[n]
        short, full = node.name(audience, short=True), node.name(audience)
        return f"**{short}**" + (f" ({full})" if full != short else "")

    def tree(n: str, depth: int, seen: tuple[str, ...]) -> list[str]:
        lines = []
        for child in atlas.inputs(n):
            if child not in drawn or child in seen:
                continue
            lines.append("  " * depth + f"- {nm(child)}")
            lines += tree(child, depth + 1, (*seen, child))
        return lines

    heading = {"patient": ("Inputs (each line gets signals from the ones indented under it)",
                           "The meeting point", "The way up", "Pain control from the brain"),
               "clinician": ("Afferent inputs (each entry receives from those nested under it)",
                             "Convergence", "Ascending projection", "Descending modulation")}
    h = heading[words_for(audience)]
    group_title = {
        "upper-neck": "Upper neck" if audience == "patient" else "Upper cervical (C1–C3)",
        "trigeminal": "Face nerve (trigeminal)" if audience == "patient" else "Trigeminal",
    }
    out = [f"**{h[0]}**", ""]
    entries = [p for p in atlas.inputs(NUCLEUS) if p in drawn]
    for g in ("upper-neck", "trigeminal"):
        members = [e for e in entries if atlas.node_group(e) == g]
        if not members:
            continue
        out.append(f"- {group_title[g]}")
        for e in members:
            out.append(f"  - {nm(e)} → {nm(NUCLEUS)}")
            out += ["  " + line for line in tree(e, 2, (e,))]
    out += ["", f"**{h[1]}**: all of these reach the {nm(NUCLEUS)}."
            if audience == "patient" else
            f"**{h[1]}**: all of these terminate on second-order neurons in the {nm(NUCLEUS)}.", ""]
    up = atlas.ascending()
    out.append(f"**{h[2]}**")
    out.append("")

    def up_tree(n: str, depth: int) -> list[str]:
        lines = []
        for m in atlas.projects_to(n):
            if m in drawn:
                lines.append("  " * depth + f"- {nm(m)}")
                lines += up_tree(m, depth + 1)
        return lines

    out.append(f"- {nm(NUCLEUS)}")
    out += up_tree(NUCLEUS, 1)
    out += ["", f"**{h[3]}** (dashed lines)", ""]
    mods = [e for e in atlas.edges if e.relation == "modulates" and e.source in drawn]
    for e in mods:
        out.append(f"- {nm(e.source)} → {nm(e.target)}")
    missing = [n for n in drawn if atlas.nodes[n].name(audience, short=True) not in "\n".join(out)]
    for n in missing:  # anything not reached above (a new node with no edges yet)
        out.append(f"- {nm(n)}")
    if source:
        lit = highlight(atlas, source, side, referral_index)
        out += ["", f"**{'Chosen' if audience == 'patient' else 'Selected source'}: "
                f"{atlas.name(source, audience)}**", ""]
        label = "Signal route" if audience == "patient" else "Signal route (afferent)"
        for route in lit["routes"]:
            out.append(f"- {label}: " + " → ".join(atlas.name(n, audience, short=True)
                                                   for n in route))
        leaves = atlas.ascending_ends()
        chain = [atlas.name(n, audience, short=True) for n in up[1:] if n not in leaves]
        chain.append(" and ".join(atlas.name(n, audience, short=True) for n in leaves))
        out.append(("- Then up: " if audience == "patient" else "- Ascending: ")
                   + " → ".join(c for c in chain if c))
        route_nodes = set().union(*map(set, lit["routes"]))
        for v in sorted(lit["felt_via"], key=lambda n: list(atlas.nodes).index(n)):
            regs = [(r, s, strength) for r, s, strength in lit["regions"]
                    if any(ref.felt_via == v and ref.region == r
                           for ref in atlas.referral(source, side))]
            where = _felt_text(atlas, regs, audience, html=False)
            vname = atlas.name(v, audience, short=True)
            if v in route_nodes:
                cue = (f"The brain reads it as coming from the area of the {vname}"
                       if audience == "patient" else f"Localised to the territory of the {vname}")
            else:
                cue = (f"The brain reads it as coming from the area of the {vname}, because "
                       f"they share the {atlas.name(NUCLEUS, audience, short=True).lower()}. "
                       "Nothing travels back out along that nerve"
                       if audience == "patient" else
                       f"Convergence–projection: attributed to {vname} territory (no signal "
                       f"travels back out along the {vname})")
            out.append(f"- {cue}{'' if cue.endswith('.') else '.'} {where}.")
    return "\n".join(out)
