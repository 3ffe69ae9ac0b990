"""The pathway atlas: loading and the graph queries everything else is built on.

The anatomy lives in reviewed YAML files under ``assets/atlas`` (nodes, regions, edges,
references). :func:`load_atlas` reads them through :mod:`pathways.datafile`, validates them
against :mod:`pathways.schema` and the anatomical rules of :mod:`pathways.atlas_rules`, and
returns an :class:`Atlas` whose networkx graph is frozen.

>>> atlas = load_atlas()
>>> [r.region for r in atlas.referral("c2-c3-facet-joint") if r.strength == "typical"]
['occiput', 'upper-neck']
>>> atlas.referral("c2-c3-facet-joint")[0].path
('c2-c3-facet-joint', 'third-occipital-nerve', 'c3', 'trigeminocervical-nucleus', 'third-occipital-nerve', 'occiput')
"""

from __future__ import annotations

import difflib
import functools
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import networkx as nx

from . import text
from .atlas_rules import AtlasError, check_semantics  # AtlasError: re-exported
from .datafile import load_yaml, read_yaml  # read_yaml: re-exported
from .schema import SCHEMAS
from .vocabulary import (  # the vocabulary lives below the atlas; re-exported from here
    AFFERENT,
    NODE_KINDS,
    NUCLEUS,
    SIDES,
    STRENGTHS,
    TERRITORY,
    Edge,
    Node,
    Reference,
    Referral,
)

__all__ = [
    "AtlasError",
    "read_yaml",
    "UnknownIdError",
    "Node",
    "Edge",
    "Reference",
    "Referral",
    "Atlas",
    "load_atlas",
    "DEFAULT_ATLAS_DIR",
    "CONTENT_DIR",
    "NUCLEUS",
]

DEFAULT_ATLAS_DIR = Path(__file__).resolve().parent.parent / "assets" / "atlas"
#: Reviewed wording (notes, guidance, the check page, the lesson and quiz).
CONTENT_DIR = DEFAULT_ATLAS_DIR.parent / "content"
FILES = ("references.yaml", "nodes.yaml", "regions.yaml", "edges.yaml")
_STRENGTH_RANK = {s: i for i, s in enumerate(STRENGTHS)}


class UnknownIdError(LookupError):
    """An id that is not in the atlas; the message lists close matches.

    >>> str(UnknownIdError("source", "c2-c3-facet", ["c2-c3-facet-joint", "c2-c3-disc"]))
    "unknown source 'c2-c3-facet'. Did you mean: c2-c3-facet-joint, c2-c3-disc?"
    """

    def __init__(self, what: str, value: object, choices: Iterable[str]):
        self.what, self.value = what, value
        choices = list(choices)
        self.close_matches = difflib.get_close_matches(str(value), choices, n=5, cutoff=0.4)
        message = f"unknown {what} {value!r}."
        if self.close_matches:
            message += " Did you mean: " + ", ".join(self.close_matches) + "?"
        else:
            message += " Known: " + ", ".join(choices[:12]) + ("…" if len(choices) > 12 else "")
        super().__init__(message)

    def __str__(self) -> str:  # LookupError would repr() the message
        return self.args[0]


# --------------------------------------------------------------------------------- loading


def load_atlas(directory: str | Path | None = None) -> "Atlas":
    """Load and validate the atlas in ``directory`` (default: the bundled atlas).

    Raises :class:`AtlasError` naming the file, entry and field of the first problem found.
    The bundled atlas is loaded once per process and shared (it is read-only).
    """
    if directory is None:
        return _load_bundled()
    return _load(Path(directory))


@functools.lru_cache(maxsize=1)
def _load_bundled() -> "Atlas":
    return _load(DEFAULT_ATLAS_DIR)


def _load(directory: Path) -> "Atlas":
    raw = {name: load_yaml(directory / name, SCHEMAS[name], AtlasError,
                           empty=f"a YAML list of entries (see the comments at the top of "
                                 f"{name} in the bundled atlas)")
           for name in FILES}
    return Atlas(*check_semantics(raw))


# --------------------------------------------------------------------------------- the atlas


class Atlas:
    """The validated atlas: nodes, edges, references and a frozen networkx ``DiGraph``.

    Build it with :func:`load_atlas`. Queries: :meth:`referral`, :meth:`candidates`,
    :meth:`explain`; the graph as the figures ask it: :meth:`inputs`, :meth:`inbound_routes`,
    :meth:`route_to_nucleus`, :meth:`node_group`, :meth:`projects_to`, :meth:`ascending_ends`,
    :meth:`ascending_route`; exports: :meth:`to_node_link`, :meth:`to_graphml`.
    """

    def __init__(self, nodes: dict[str, Node], edges: list[Edge], references: dict[str, Reference]):
        self.nodes: Mapping[str, Node] = nodes
        self.edges: tuple[Edge, ...] = tuple(edges)
        self.references: Mapping[str, Reference] = references
        graph = nx.DiGraph()
        for node in nodes.values():
            graph.add_node(node.id, kind=node.kind, label=node.label, term=node.term)
        for edge in edges:
            graph.add_edge(edge.source, edge.target, relation=edge.relation,
                           citations=list(edge.citations), evidence=edge.evidence,
                           **({"strength": edge.strength, "via": edge.via} if edge.via else {}))
        self.graph = nx.freeze(graph)
        self._order = {node_id: i for i, node_id in enumerate(nodes)}
        self._edge = {(e.source, e.target): e for e in edges}
        self._afferent = nx.subgraph_view(
            self.graph, filter_edge=lambda a, b: self.graph.edges[a, b]["relation"] in AFFERENT)
        self._up = nx.subgraph_view(
            self.graph, filter_edge=lambda a, b: self.graph.edges[a, b]["relation"] == "projects-to")
        self._referrals = {t: self._build_referrals(t) for t in self.ids("tissue")}

    # ---- lookups
    def ids(self, kind: str) -> list[str]:
        """Ids of the nodes of one kind, in atlas order."""
        if kind not in NODE_KINDS:
            raise UnknownIdError("kind", kind, NODE_KINDS)
        return [n.id for n in self.nodes.values() if n.kind == kind]

    def node(self, node_id: str, kind: str | None = None) -> Node:
        """The node with this id (optionally checking its kind); unknown ids list close matches."""
        choices = self.ids(kind) if kind else list(self.nodes)
        if node_id not in choices:
            raise UnknownIdError(kind.replace("-", " ") if kind else "id", node_id, choices)
        return self.nodes[node_id]

    def name(self, node_id: str, audience: str = "patient", *, short: bool = False) -> str:
        return self.node(node_id).name(audience, short=short)

    def edge(self, source: str, target: str) -> Edge | None:
        return self._edge.get((source, target))

    def cited_by(self, key: str) -> list[Edge]:
        """Edges that cite a reference."""
        return [e for e in self.edges if key in e.citations]

    def group(self, tissue: str) -> str:
        """'upper-neck' if the tissue's signals enter through a cervical root, else 'trigeminal'."""
        path = self.inbound_routes(tissue)[0]
        return "upper-neck" if any(self.nodes[n].kind == "spinal-root" for n in path) else "trigeminal"

    def ascending(self) -> list[str]:
        """The way up from the nucleus: nucleus, tract, thalamus, cortices (breadth first)."""
        return list(self._ascending())

    # The graph queries below run for every sentence of every explanation on every click;
    # the atlas never changes once loaded, so each answer is kept.
    @functools.lru_cache(maxsize=1)  # noqa: B019 - the atlas is immutable and long-lived
    def _ascending(self) -> tuple[str, ...]:
        return (NUCLEUS, *[b for _, b in nx.bfs_edges(self._up, NUCLEUS)])

    @functools.lru_cache(maxsize=None)  # noqa: B019 - the atlas is immutable and long-lived
    def converges(self, afferent: str) -> bool:
        """True if signals in this afferent reach the trigeminocervical nucleus."""
        return afferent in self._afferent and nx.has_path(self._afferent, afferent, NUCLEUS)

    def territories(self, afferent: str) -> list[str]:
        """Regions whose skin this afferent supplies (named nerve or dermatome)."""
        return [b for _, b, d in self.graph.out_edges(afferent, data=True)
                if d["relation"] in TERRITORY]

    # ---- the graph, as the figures ask it
    def inputs(self, node_id: str) -> list[str]:
        """Nodes whose signals pass straight into ``node_id`` along an afferent relation (a
        tissue into its nerve, a nerve into its root …), in atlas order."""
        return sorted(self._afferent.predecessors(node_id), key=self._order.__getitem__)

    @functools.lru_cache(maxsize=None)  # noqa: B019 - the atlas is immutable and long-lived
    def inbound_routes(self, tissue: str) -> tuple[tuple[str, ...], ...]:
        """All afferent routes from a tissue (or any node) to the nucleus, shortest (then
        alphabetical) first."""
        routes = nx.all_simple_paths(self._afferent, tissue, NUCLEUS)
        return tuple(sorted((tuple(p) for p in routes), key=lambda p: (len(p), p)))

    def route_to_nucleus(self, node_id: str) -> tuple[str, ...]:
        """The shortest afferent route from ``node_id`` to the nucleus, or just
        ``(node_id,)`` if its signals do not reach it."""
        if not self.converges(node_id):
            return (node_id,)
        return tuple(nx.shortest_path(self._afferent, node_id, NUCLEUS))

    @functools.lru_cache(maxsize=None)  # noqa: B019 - the atlas is immutable and long-lived
    def node_group(self, node_id: str) -> str:
        """The part of the pathway a node (not a body region) belongs to: 'upper-neck' or
        'trigeminal' for the inputs, 'central' for the nucleus and the way up, 'modulation'
        for descending control.

        An input is 'upper-neck' if any of its routes to the nucleus passes a cervical root
        (:meth:`group` looks at a tissue's shortest route only); a tract is an input only if
        the trigeminal division or ganglion feeds it, or it enters the nucleus.

        >>> atlas = load_atlas()
        >>> [atlas.node_group(n) for n in ("c3", "trigeminal-ganglion", "thalamus")]
        ['upper-neck', 'trigeminal', 'central']
        """
        kind = self.nodes[node_id].kind
        if kind == "modulatory-centre":
            return "modulation"
        if kind in ("nucleus", "thalamic-nucleus", "cortex"):
            return "central"
        aff = self._afferent
        if kind == "tract" and not aff.has_edge(node_id, NUCLEUS) and not any(
                self.nodes[p].kind in ("ganglion", "trigeminal-division")
                for p in aff.predecessors(node_id)):
            return "central"
        if kind == "spinal-root":
            return "upper-neck"
        if kind in ("trigeminal-division", "ganglion"):
            return "trigeminal"
        if node_id in aff and NUCLEUS in aff and nx.has_path(aff, node_id, NUCLEUS):
            for path in nx.all_simple_paths(aff, node_id, NUCLEUS):
                if any(self.nodes[n].kind == "spinal-root" for n in path):
                    return "upper-neck"
            return "trigeminal"
        return "central" if kind == "tract" else "upper-neck"

    def projects_to(self, node_id: str) -> list[str]:
        """Where ``node_id`` sends signals on up (its projects-to targets), in edge order."""
        return [b for _, b, d in self.graph.out_edges(node_id, data=True)
                if d["relation"] == "projects-to"]

    def ascending_ends(self) -> list[str]:
        """Where the way up ends: the stations above the nucleus that project no further (the
        cortices), in :meth:`ascending` order."""
        return [n for n in self._ascending()[1:] if not self.projects_to(n)]

    def ascending_route(self, node_id: str) -> tuple[str, ...]:
        """The shortest way up from the nucleus to ``node_id`` along projects-to edges."""
        return tuple(nx.shortest_path(self._up, NUCLEUS, node_id))

    # ---- queries
    def referral(self, source: str, side: str = "right") -> list[Referral]:
        """Where pain from ``source`` may be felt, most typical first.

        A paired source refers to its own side; a midline source (the C2–C3 disc) to both.
        These are the anatomy's referrals only: the regions that sensitisation adds (enlarged
        receptive fields) come from :func:`pathways.sensitization.felt_with_spread`.

        >>> [(r.region, r.side, r.strength) for r in load_atlas().referral("vertebral-artery", "left")]
        [('occiput', 'left', 'typical'), ('upper-neck', 'left', 'typical')]
        """
        self.node(source, "tissue")
        side = _check_side(side)
        node = self.nodes[source]
        sides = SIDES if node.laterality == "midline" else (side,)
        return self.ranked(_with_side(r, s, node) for s in sides for r in self._referrals[source])

    def ranked(self, referrals: Iterable[Referral]) -> list[Referral]:
        """Referrals in the order :meth:`referral` gives them: the usual ones before any added
        by spread, typical before possible, then by region (atlas order) and side."""
        return sorted(referrals, key=self._rank)

    def candidates(self, region: str, side: str = "right") -> list[Referral]:
        """Sources whose pain may be felt in ``region`` on ``side``, most typical first.

        Each carries its group ('upper-neck' or 'trigeminal'), strength, path and citations.
        """
        self.node(region, "body-region")
        side = _check_side(side)
        found = []
        for tissue, referrals in self._referrals.items():
            node = self.nodes[tissue]
            for r in referrals:
                if r.region == region:
                    found.append(_with_side(r, side, node))
        return sorted(found, key=lambda r: (_STRENGTH_RANK[r.strength], self._order[r.source]))

    def candidates_for(self, picked: Iterable[tuple[str, str]]) -> list[tuple[Referral, ...]]:
        """Candidate sources for several marked (region, side) pairs at once.

        A left and a right joint are different sources, so candidates are grouped by source
        *and* side (a midline source is one). Each group holds the referrals that would explain
        the marked areas. Ranked: groups explaining more of the marked areas first, then typical
        before possible, then atlas order.

        >>> groups = load_atlas().candidates_for([("orbit", "left"), ("occiput", "left")])
        >>> [(g[0].source, g[0].source_side, len(g)) for g in groups][:1]
        [('lateral-atlanto-axial-joint', 'left', 2)]
        """
        found: dict[tuple[str, str], list[Referral]] = {}
        for region, side in picked:
            for c in self.candidates(region, side):
                found.setdefault((c.source, c.source_side), []).append(c)
        return sorted((tuple(cs) for cs in found.values()), key=lambda cs: (
            -len(cs), min(_STRENGTH_RANK[c.strength] for c in cs), self._order[cs[0].source],
            cs[0].source_side))

    def explain(self, path, audience: str = "patient") -> list[str]:
        """The path (a :class:`Referral` or a sequence of node ids) as short sentences in the
        audience's words: a shorthand for :func:`pathways.text.explain`, kept for its callers."""
        return text.explain(self, path, audience)

    # ---- exports
    def to_node_link(self) -> dict:
        """Node-link JSON (networkx format) with every node's data, every edge's citations and
        evidence, and the reference list."""
        data = nx.node_link_data(self.graph, edges="edges")
        for item in data["nodes"]:
            node = self.nodes[item["id"]]
            item.update({k: v for k, v in node.__dict__.items() if v not in ("", (), {}, None)})
            item["sides"], item["neighbours"] = list(node.sides), list(node.neighbours)
        data["references"] = [dict(r.__dict__) for r in self.references.values()]
        return json.loads(json.dumps(data))

    def to_graphml(self) -> str:
        """GraphML text; list and mapping attributes are flattened to strings, and each edge's
        citations are given as keys plus formatted references."""
        graph = nx.DiGraph()
        graph.graph["references"] = json.dumps([r.__dict__ for r in self.references.values()])
        for node in self.nodes.values():
            graph.add_node(node.id, kind=node.kind, label=node.label, term=node.term,
                           description_patient=node.description["patient"],
                           description_clinician=node.description["clinician"],
                           uberon=node.ontology.get("uberon", ""), fma=node.ontology.get("fma", ""),
                           sides=",".join(node.sides))
        for edge in self.edges:
            graph.add_edge(edge.source, edge.target, relation=edge.relation,
                           citations=";".join(edge.citations),
                           references=" | ".join(self.references[k].formatted() for k in edge.citations),
                           evidence=edge.evidence, strength=edge.strength or "", via=edge.via or "")
        buffer = io.BytesIO()
        nx.write_graphml(graph, buffer)
        return buffer.getvalue().decode("utf-8")

    # ---- internals
    def _rank(self, r: Referral):
        return (r.spread, _STRENGTH_RANK[r.strength], self._order[r.region], r.side)

    def route(self, tissue: str, felt_via: str) -> tuple[str, ...]:
        """The inbound route that best explains a referral felt via ``felt_via``: one through
        that afferent if any, else one through the root it belongs to, else the shortest."""
        routes = self.inbound_routes(tissue)
        via_roots = set(nx.descendants(self._afferent, felt_via)) | {felt_via}
        for wanted in ({felt_via}, via_roots - {NUCLEUS}):
            for route in routes:
                if wanted & set(route):
                    return route
        return routes[0]

    def path_citations(self, path: Sequence[str], extra: Iterable[str] = ()) -> tuple[str, ...]:
        """Citation keys of every edge along a path (either direction), then ``extra``, deduped."""
        keys = []
        for a, b in zip(path, path[1:]):
            edge = self.edge(a, b) or self.edge(b, a)
            if edge:
                keys += edge.citations
        keys += list(extra)
        return tuple(dict.fromkeys(keys))

    def _build_referrals(self, tissue: str) -> list[Referral]:
        out = []
        group = self.group(tissue)
        for edge in self.edges:
            if edge.source != tissue or edge.relation != "refers-pain-to":
                continue
            path = (*self.route(tissue, edge.via), edge.via, edge.target)
            cites = self.path_citations(path, edge.citations)
            out.append(Referral(tissue, "", edge.target, "", edge.strength, group, path,
                                edge.via, cites, edge.evidence))
        return sorted(out, key=self._rank)


def _check_side(side: str) -> str:
    if side not in SIDES:
        raise ValueError(f"side must be 'left' or 'right', not {side!r}")
    return side


def _with_side(r: Referral, side: str, source: Node) -> Referral:
    from dataclasses import replace

    return replace(r, side=side, source_side="midline" if source.laterality == "midline" else side)
