"""The rules a loaded atlas must satisfy beyond its schemas: unique ids and keys, edges whose
ends exist and whose kinds fit their relation, every citation known, every referral's route
reaching the nucleus, and no pain carried from the nucleus back out into a nerve. A problem
raises :class:`AtlasError` naming the file, the entry and the field.
"""

from __future__ import annotations

import difflib

import networkx as nx

from .datafile import DataFileError
from .schema import SCHEMAS
from .vocabulary import (
    AFFERENT,
    CENTRAL_KINDS,
    NUCLEUS,
    PERIPHERAL_KINDS,
    TERRITORY,
    Edge,
    Node,
    Reference,
)

__all__ = ["ALLOWED_KINDS", "AtlasError", "check_semantics"]

#: Which kinds each relation may link (source kinds, target kinds).
ALLOWED_KINDS = {
    "innervated-by": ({"tissue"}, {"peripheral-nerve", "spinal-root", "trigeminal-division"}),
    "branch-of": ({"peripheral-nerve"}, {"peripheral-nerve", "spinal-root", "trigeminal-division"}),
    "enters": ({"trigeminal-division", "ganglion", "spinal-root"}, {"ganglion", "tract", "nucleus"}),
    "converges-on": ({"spinal-root", "tract", "trigeminal-division"}, {"nucleus"}),
    "projects-to": ({"nucleus", "tract", "thalamic-nucleus"}, {"tract", "thalamic-nucleus", "cortex"}),
    "supplies-skin-of": ({"peripheral-nerve", "trigeminal-division"}, {"body-region"}),
    "dermatome-covers": ({"spinal-root"}, {"body-region"}),
    "modulates": ({"modulatory-centre"}, {"modulatory-centre", "nucleus"}),
    "refers-pain-to": ({"tissue"}, {"body-region"}),
}


class AtlasError(DataFileError):
    """A malformed atlas file (a :class:`~pathways.datafile.DataFileError`). The message names
    the file, the entry and the field, and says what is expected.

    >>> str(AtlasError("edges.yaml", "c1 -> x", "target", "unknown node 'x'", "an id from nodes.yaml"))
    "edges.yaml: entry 'c1 -> x': field 'target': unknown node 'x'. Expected an id from nodes.yaml."
    """


def check_semantics(raw) -> tuple[dict[str, Node], list[Edge], dict[str, Reference]]:
    """The nodes, edges and references of the parsed files ``raw`` (by file name), checked."""
    refs = {}
    for item in raw["references.yaml"]:
        if item["key"] in refs:
            raise AtlasError("references.yaml", item["key"], "key", "duplicate key",
                             "each reference key only once")
        refs[item["key"]] = Reference(**{k: (str(v) if k in ("volume", "pages", "pmid") else v)
                                         for k, v in item.items()})

    nodes: dict[str, Node] = {}
    for file, kind_default in (("nodes.yaml", None), ("regions.yaml", "body-region")):
        for item in raw[file]:
            if item["id"] in nodes:
                raise AtlasError(file, item["id"], "id", f"duplicate id {item['id']!r}",
                                 "each id only once across nodes.yaml and regions.yaml")
            data = dict(item)
            data["kind"] = data.get("kind", kind_default)
            data["sides"] = tuple(data.get("sides", ()))
            data["neighbours"] = tuple(data.get("neighbours", ()))
            nodes[item["id"]] = Node(**data)

    for region in (n for n in nodes.values() if n.kind == "body-region"):
        for other in region.neighbours:
            if other not in nodes or nodes[other].kind != "body-region":
                raise AtlasError("regions.yaml", region.id, "neighbours",
                                 f"unknown region {other!r}", "ids of regions in regions.yaml")

    edges: list[Edge] = []
    seen = set()
    for item in raw["edges.yaml"]:
        edge = Edge(**{**item, "citations": tuple(item["citations"])})
        label = f"{edge.source} -> {edge.target} ({edge.relation})"
        for end in ("source", "target"):
            node_id = getattr(edge, end)
            if node_id not in nodes:
                close = difflib.get_close_matches(node_id, list(nodes), n=3, cutoff=0.5)
                hint = f" (did you mean {', '.join(close)}?)" if close else ""
                raise AtlasError("edges.yaml", label, end, f"unknown node {node_id!r}{hint}",
                                 "an id from nodes.yaml or regions.yaml")
        for key in edge.citations:
            if key not in refs:
                raise AtlasError("edges.yaml", label, "citations", f"unknown reference key {key!r}",
                                 "keys from references.yaml")
        source_kind, target_kind = nodes[edge.source].kind, nodes[edge.target].kind
        if source_kind in CENTRAL_KINDS and target_kind in PERIPHERAL_KINDS:
            raise AtlasError(
                "edges.yaml", label, "target",
                f"this edge would carry signals from the {source_kind} {edge.source!r} back out "
                f"into the {target_kind} {edge.target!r}",
                "signals from the nucleus to go up (projects-to a tract, the thalamus or cortex); "
                "no edge leads from the nucleus back out into a nerve")
        sources_ok, targets_ok = ALLOWED_KINDS[edge.relation]
        if source_kind not in sources_ok or target_kind not in targets_ok:
            raise AtlasError(
                "edges.yaml", label, "relation",
                f"{edge.relation!r} cannot link a {source_kind} to a {target_kind}",
                f"{edge.relation} from a {'/'.join(sorted(sources_ok))} "
                f"to a {'/'.join(sorted(targets_ok))}")
        is_referral = edge.relation == "refers-pain-to"
        for extra in ("strength", "via"):
            if is_referral and getattr(edge, extra) is None:
                raise AtlasError("edges.yaml", label, extra, "is missing",
                                 SCHEMAS["edges.yaml"]["items"]["properties"][extra]["description"])
            if not is_referral and getattr(edge, extra) is not None:
                raise AtlasError("edges.yaml", label, extra, "is only meaningful on refers-pain-to edges",
                                 "no such field here")
        if (edge.source, edge.target) in seen:
            raise AtlasError("edges.yaml", label, "target", "duplicate edge",
                             "each source–target pair only once")
        seen.add((edge.source, edge.target))
        edges.append(edge)

    # Referral edges: the felt afferent must supply that region's skin, and the source must
    # reach the nucleus.
    territory = {(e.source, e.target) for e in edges if e.relation in TERRITORY}
    afferent_graph = nx.DiGraph((e.source, e.target) for e in edges if e.relation in AFFERENT)
    for edge in (e for e in edges if e.relation == "refers-pain-to"):
        label = f"{edge.source} -> {edge.target} ({edge.relation})"
        if edge.via not in nodes:
            raise AtlasError("edges.yaml", label, "via", f"unknown node {edge.via!r}",
                             "an afferent id from nodes.yaml")
        if (edge.via, edge.target) not in territory:
            raise AtlasError("edges.yaml", label, "via",
                             f"{edge.via!r} has no skin territory in {edge.target!r}",
                             "an afferent with a supplies-skin-of or dermatome-covers edge to the region")
        if not (edge.source in afferent_graph and NUCLEUS in afferent_graph
                and nx.has_path(afferent_graph, edge.source, NUCLEUS)):
            raise AtlasError("edges.yaml", label, "source",
                             f"{edge.source!r} has no afferent path to the {NUCLEUS}",
                             "innervated-by / branch-of / converges-on edges leading to the nucleus")
        if not nx.has_path(afferent_graph, edge.via, NUCLEUS):
            raise AtlasError("edges.yaml", label, "via",
                             f"{edge.via!r} does not reach the {NUCLEUS}",
                             "an afferent that converges on the nucleus")
    return nodes, edges, refs
