"""Sentences that explain a pathway, in patient or clinician words.

The wording is generated from the atlas (names, relations, evidence notes); only the sentence
frames live here. Patient frames aim at US grade 8 or lower; the test suite measures it.
"""

from __future__ import annotations


from dataclasses import dataclass

from .audience import check_audience, words_for
from .vocabulary import NUCLEUS

__all__ = ["explain", "explain_referrals", "Explanation", "summary", "PathError", "FRAMES",
           "SUMMARY_FRAMES", "side_words"]


class PathError(ValueError):
    """A path whose consecutive ids are not connected in the atlas."""


#: Sentence frames per audience. Placeholders: {a}, {b} (names of the two nodes of a step),
#: {nucleus}, {up}, {region}, {side}.
FRAMES = {
    "patient": {
        "innervated-by": "The {a} gets its feeling from the {b}.",
        "innervated-by-root": "The {a} gets its feeling from the {b}.",
        "branch-of": "That nerve is a branch of the {b}.",
        "branch-of-plural": "Those nerves are branches of the {b}.",
        "enters-ganglion": "Its nerve cells sit in the {b}.",
        "enters": "The signal runs on into the {b}.",
        "converges-on": "The signal reaches a meeting point at the top of the spinal cord, called "
                        "the trigeminocervical nucleus.",
        "shares": "Some nerve cells there also get signals from the {b}.",
        "up": "From there, nerve fibres carry the signal up to the {up}.",
        "felt-same": "The brain reads the signal as coming from the skin that the {a} covers. So "
                     "you may feel it in the {region}{side}.",
        "felt-other": "The brain cannot tell the two apart. So the pain may be felt where the "
                      "{a} gives feeling: the {region}{side}. Nothing travels back out along "
                      "that nerve.",
        "projects-to": "Signals go up from the {a} to the {b}.",
        "modulates": "The {a} can turn signals in the {b} up or down.",
        "refers-pain-to": "Pain from the {a} may be felt in the {b}.",
        "typical": "If this part is the source, this is where its pain usually goes.",
        "possible": "If this part is the source, its pain sometimes goes here. This is less well "
                    "studied.",
        "spread": "This area is added when the meeting point is more sensitive than usual.",
    },
    "clinician": {
        "innervated-by": "The {a} is innervated by the {b}.",
        "innervated-by-root": "The {a} is innervated by {b} afferents.",
        "branch-of": "The {a} is a branch of the {b}.",
        "branch-of-plural": "The {a} are branches of the {b}.",
        "enters-ganglion": "Its first-order neurons have their cell bodies in the {b}.",
        "enters": "Afferents continue into the {b}.",
        "converges-on": "{A} afferents terminate on second-order neurons in the {nucleus}.",
        "shares": "The same (mainly wide-dynamic-range) neurons also receive {b} afferents "
                  "(convergence).",
        "up": "Second-order neurons project rostrally: {up}.",
        "felt-same": "The input is localised to the territory of the {a}: {region}{side}.",
        "felt-other": "Convergence–projection: the input is attributed to {a} territory, "
                      "{region}{side}. No nociceptive signal travels back out along the {a}.",
        "projects-to": "The {a} projects to the {b}.",
        "modulates": "The {a} modulates (inhibits or facilitates) the {b}.",
        "refers-pain-to": "Pain from the {a} may be referred to the {b}.",
        "typical": "Evidence (typical): {evidence}",
        "possible": "Evidence (possible): {evidence}",
        "spread": "Added by receptive-field expansion in the sensitised nucleus (illustrative).",
    },
}

#: One-sentence summaries of a referral, shown without opening anything. ``same``: the felt
#: territory belongs to the nerve that carries the signal; ``other``: to another afferent that
#: shares the nucleus (convergence). Placeholders: {felt}, {region}, {route}.
SUMMARY_FRAMES = {
    "patient": {
        "same": "Its nerve, the {felt}, also gives feeling to the {region}. So its pain can be "
                "felt there.",
        "other": "Its signals reach a meeting point at the top of the spinal cord. Nerve cells "
                 "there also serve the {felt}, so the brain may feel the pain in the {region}.",
    },
    "clinician": {
        "same": "Referred within the territory of the {felt} ({route}).",
        "other": "Convergence: {route} input shares trigeminocervical neurons with the {felt}; "
                 "attributed to the {region}.",
    },
}


def side_words(side: str, audience: str) -> str:
    """' (right side)' style suffix, or '' when the side is unknown."""
    if not side:
        return ""
    return f" ({side} side)" if audience == "patient" else f" ({side})"


def explain(atlas, path, audience: str = "patient") -> list[str]:
    """Explain a path as sentences.

    ``path`` is a :class:`~pathways.atlas.Referral` (its side is used) or a sequence of node
    ids in which every consecutive pair is connected in the atlas (either direction).

    >>> from pathways import load_atlas
    >>> atlas = load_atlas()
    >>> explain(atlas, ["c2-c3-facet-joint", "third-occipital-nerve"], "clinician")
    ['The C2–C3 zygapophysial (facet) joint is innervated by the third occipital nerve (C3 dorsal ramus, superficial medial branch).']
    """
    frames = FRAMES[words_for(audience)]
    side, referral = "", None
    if hasattr(path, "path"):
        referral, side, path = path, path.side, path.path
    path = list(path)
    for node_id in path:
        atlas.node(node_id)

    def name(node_id: str) -> str:
        text = atlas.name(node_id, audience)
        # "Ophthalmic nerve" -> "ophthalmic nerve" mid-sentence; keep "C2–C3 …", "TMJ", "S1".
        return text[0].lower() + text[1:] if text[1:2].islower() else text

    ascending = atlas.ascending()
    if audience == "patient":
        up = " and then to the ".join(name(n) for n in ascending[2:4])
    else:
        up = " → ".join(atlas.name(n, audience, short=True) for n in ascending[1:4])
        if ascending[4:]:
            up += ", and on to " + ", ".join(atlas.name(n, audience, short=True) for n in ascending[4:])
    inbound = path[: path.index(NUCLEUS) + 1] if NUCLEUS in path else path
    sentences: list[str] = []
    went_up = False
    for a, b in zip(path, path[1:]):
        kind_a, kind_b = atlas.nodes[a].kind, atlas.nodes[b].kind
        edge, reverse = atlas.edge(a, b), atlas.edge(b, a)
        fill = {"a": name(a), "A": atlas.name(a, audience), "b": name(b),
                "nucleus": name(NUCLEUS), "up": up, "side": side_words(side, audience)}
        if edge is None and kind_a == "nucleus" and atlas.converges(b):
            # The brain's reading, not a signal: name the afferent that shares the neurons.
            if b not in inbound:
                sentences.append(frames["shares"].format(**fill))
            continue
        if edge is None and reverse is None:
            raise PathError(f"{a!r} and {b!r} are not connected in the atlas")
        relation = edge.relation if edge else reverse.relation
        if edge and relation in ("supplies-skin-of", "dermatome-covers"):
            if not went_up:
                sentences.append(frames["up"].format(**fill))
                went_up = True
            fill["region"] = name(b)
            key = "felt-same" if a in inbound else "felt-other"
            sentences.append(frames[key].format(**fill))
        elif edge is None:
            raise PathError(f"the atlas has no edge from {a!r} to {b!r} (only {b!r} → {a!r})")
        elif relation == "innervated-by" and kind_b == "spinal-root":
            sentences.append(frames["innervated-by-root"].format(**fill))
        elif relation == "enters" and kind_b == "ganglion":
            sentences.append(frames["enters-ganglion"].format(**fill))
        elif relation == "converges-on":
            sentences.append(frames["converges-on"].format(**fill))
        elif relation == "branch-of" and atlas.nodes[a].plural:
            sentences.append(frames["branch-of-plural"].format(**fill))
        else:
            if relation == "projects-to":
                went_up = True
            sentences.append(frames[relation].format(**fill))
    if referral is not None:
        sentences.append(frames[referral.strength].format(evidence=referral.evidence))
        if referral.spread:
            sentences.append(frames["spread"])
    return [s[0].upper() + s[1:] for s in sentences]



@dataclass(frozen=True)
class Explanation:
    """Several referrals of one source explained together: the ``route`` they share, said
    once; for each referral (in order) only the sentences that differ (where it is felt, how,
    and the evidence for that place); and every reference once, in order of first use."""

    route: tuple[str, ...]
    regions: tuple[tuple[object, tuple[str, ...]], ...]
    citations: tuple[str, ...]


def explain_referrals(atlas, referrals, audience: str = "patient") -> Explanation:
    """The route once, then what differs per region, the references once: for a source with
    several referrals (the C2–C3 joint has four) instead of :func:`explain` repeating the same
    route for each.

    >>> from pathways import load_atlas
    >>> atlas = load_atlas()
    >>> e = explain_referrals(atlas, atlas.referral("c2-c3-facet-joint", "right"), "clinician")
    >>> len(e.route), [len(rest) for _, rest in e.regions]
    (4, [2, 2, 3, 3])
    >>> e.route[0]
    'The C2–C3 zygapophysial (facet) joint is innervated by the third occipital nerve (C3 dorsal ramus, superficial medial branch).'
    >>> len(e.citations) == len(set(e.citations))
    True
    """
    referrals = list(referrals)
    each = [explain(atlas, r, audience) for r in referrals]
    shared = set(each[0]).intersection(*map(set, each[1:])) if each else set()
    if len(each) < 2:  # one place: nothing repeats, the whole explanation is its own
        shared = set()
    route = tuple(sentence for sentence in (each[0] if each else []) if sentence in shared)
    regions = tuple((r, tuple(sentence for sentence in sentences if sentence not in shared))
                    for r, sentences in zip(referrals, each))
    citations = tuple(dict.fromkeys(k for r in referrals for k in r.citations))
    return Explanation(route, regions, citations)


def summary(atlas, referral, audience: str = "patient") -> str:
    """One short sentence on why pain from a referral's source may be felt in its region.

    >>> from pathways import load_atlas
    >>> atlas = load_atlas()
    >>> r = [r for r in atlas.referral("c2-c3-facet-joint", "left") if r.region == "forehead"][0]
    >>> summary(atlas, r, "clinician")
    'Convergence: third occipital n. → C3 input shares trigeminocervical neurons with the ophthalmic nerve (V1); attributed to the frontal region.'
    """
    check_audience(audience)

    def name(node_id: str, short: bool = False) -> str:
        text = atlas.name(node_id, audience, short=short)
        return text[0].lower() + text[1:] if text[1:2].islower() else text

    inbound = referral.path[1: referral.path.index(NUCLEUS)]
    route = " → ".join(name(n, short=True) for n in inbound)
    frame = SUMMARY_FRAMES[words_for(audience)]["other" if referral.via_convergence else "same"]
    return frame.format(felt=name(referral.felt_via), region=name(referral.region), route=route)
