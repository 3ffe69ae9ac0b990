"""Malformed atlas data raises one AtlasError naming the file, the entry and the field."""

import pytest

from pathways import AtlasError


def _only(items, **match):
    return next(i for i in items if all(i.get(k) == v for k, v in match.items()))


def test_bundled_atlas_is_valid_and_frozen(atlas):
    import networkx as nx

    assert nx.is_frozen(atlas.graph)
    with pytest.raises(nx.NetworkXError):
        atlas.graph.add_edge("c1", "c2")


def test_unknown_node_in_an_edge(atlas_copy):
    atlas_copy.edit("edges.yaml", lambda e: e.append(
        {"source": "c2-c3-facet-joint", "target": "c4", "relation": "innervated-by",
         "citations": ["bogduk1992"], "evidence": "x"}))
    with pytest.raises(AtlasError) as info:
        atlas_copy.load()
    err = info.value
    assert (err.file, err.field) == ("edges.yaml", "target")
    assert "c2-c3-facet-joint -> c4" in err.entry and "'c4'" in str(err)
    assert "Expected an id from nodes.yaml" in str(err)


def test_missing_citation(atlas_copy):
    def drop(edges):
        edges[0]["citations"] = []
    atlas_copy.edit("edges.yaml", drop)
    with pytest.raises(AtlasError) as info:
        atlas_copy.load()
    assert info.value.file == "edges.yaml" and info.value.field == "citations"
    assert "at least one reference key" in str(info.value)


def test_citation_field_absent(atlas_copy):
    def drop(edges):
        del edges[3]["citations"]
    atlas_copy.edit("edges.yaml", drop)
    with pytest.raises(AtlasError) as info:
        atlas_copy.load()
    assert (info.value.field, info.value.problem) == ("citations", "is missing")


def test_unknown_reference_key(atlas_copy):
    def bad(edges):
        edges[0]["citations"] = ["bogduk1992", "nobody2099"]
    atlas_copy.edit("edges.yaml", bad)
    with pytest.raises(AtlasError, match="unknown reference key 'nobody2099'") as info:
        atlas_copy.load()
    assert info.value.field == "citations"


def test_duplicate_id(atlas_copy):
    def dup(nodes):
        nodes.append(dict(_only(nodes, id="c2")))
    atlas_copy.edit("nodes.yaml", dup)
    with pytest.raises(AtlasError, match="duplicate id 'c2'") as info:
        atlas_copy.load()
    assert (info.value.file, info.value.entry, info.value.field) == ("nodes.yaml", "c2", "id")


def test_region_id_clashing_with_node_id(atlas_copy):
    def clash(regions):
        regions[0]["id"] = "c2"
    atlas_copy.edit("regions.yaml", clash)
    with pytest.raises(AtlasError, match="duplicate id") as info:
        atlas_copy.load()
    assert info.value.file == "regions.yaml"


def test_unknown_kind(atlas_copy):
    def bad(nodes):
        _only(nodes, id="c2")["kind"] = "organ"
    atlas_copy.edit("nodes.yaml", bad)
    with pytest.raises(AtlasError) as info:
        atlas_copy.load()
    err = info.value
    assert (err.file, err.entry, err.field) == ("nodes.yaml", "c2", "kind")
    assert "'organ'" in str(err) and "spinal-root" in err.expected


def test_unknown_relation(atlas_copy):
    def bad(edges):
        edges[0]["relation"] = "talks-to"
    atlas_copy.edit("edges.yaml", bad)
    with pytest.raises(AtlasError) as info:
        atlas_copy.load()
    assert info.value.field == "relation" and "innervated-by" in info.value.expected


def test_region_without_a_side(atlas_copy):
    def bad(regions):
        del _only(regions, id="orbit")["sides"]
    atlas_copy.edit("regions.yaml", bad)
    with pytest.raises(AtlasError) as info:
        atlas_copy.load()
    err = info.value
    assert (err.file, err.entry, err.field) == ("regions.yaml", "orbit", "sides")
    assert "left, right" in err.expected


def test_region_with_an_empty_or_invented_side(atlas_copy):
    atlas_copy.edit("regions.yaml", lambda r: _only(r, id="orbit").update(sides=[]))
    with pytest.raises(AtlasError, match="sides"):
        atlas_copy.load()
    atlas_copy.edit("regions.yaml", lambda r: _only(r, id="orbit").update(sides=["middle"]))
    with pytest.raises(AtlasError, match="sides"):
        atlas_copy.load()


def test_edge_from_the_nucleus_back_to_a_peripheral_nerve(atlas_copy):
    atlas_copy.edit("edges.yaml", lambda e: e.append(
        {"source": "trigeminocervical-nucleus", "target": "ophthalmic-nerve",
         "relation": "projects-to", "citations": ["bogduk1992"],
         "evidence": "popular myth: the signal travels on into the trigeminal nerve"}))
    with pytest.raises(AtlasError) as info:
        atlas_copy.load()
    err = info.value
    assert err.file == "edges.yaml" and err.field == "target"
    assert "back out" in str(err) and "go up" in str(err)


def test_relation_between_the_wrong_kinds(atlas_copy):
    atlas_copy.edit("edges.yaml", lambda e: e.append(
        {"source": "c2", "target": "forehead", "relation": "innervated-by",
         "citations": ["bogduk1992"], "evidence": "x"}))
    with pytest.raises(AtlasError, match="cannot link a spinal-root to a body-region"):
        atlas_copy.load()


def test_referral_felt_via_a_nerve_without_skin_there(atlas_copy):
    """The suboccipital nerve (C1) has no skin territory, so nothing can be felt 'via' it."""
    atlas_copy.edit("edges.yaml", lambda e: e.append(
        {"source": "suboccipital-muscles", "target": "upper-neck", "relation": "refers-pain-to",
         "strength": "typical", "via": "suboccipital-nerve", "citations": ["bogduk1992"],
         "evidence": "x"}))
    with pytest.raises(AtlasError, match="no skin territory") as info:
        atlas_copy.load()
    assert info.value.field == "via"


def test_referral_without_strength(atlas_copy):
    def bad(edges):
        del _only(edges, relation="refers-pain-to")["strength"]
    atlas_copy.edit("edges.yaml", bad)
    with pytest.raises(AtlasError) as info:
        atlas_copy.load()
    assert (info.value.field, info.value.problem) == ("strength", "is missing")


def test_reference_without_identifier(atlas_copy):
    def bad(refs):
        ref = _only(refs, key="bogduk1992")
        for k in ("doi", "pmid", "isbn", "url"):
            ref.pop(k, None)
    atlas_copy.edit("references.yaml", bad)
    with pytest.raises(AtlasError) as info:
        atlas_copy.load()
    assert info.value.entry == "bogduk1992" and "doi, pmid, isbn or url" in info.value.expected


def test_unknown_field_is_named(atlas_copy):
    atlas_copy.edit("nodes.yaml", lambda n: _only(n, id="c1").update(colour="red"))
    with pytest.raises(AtlasError) as info:
        atlas_copy.load()
    assert (info.value.entry, info.value.field) == ("c1", "colour")


def test_broken_yaml_names_the_line(atlas_copy):
    path = atlas_copy.dir / "regions.yaml"
    path.write_text(path.read_text() + "\n- id: [unclosed\n", encoding="utf-8")
    with pytest.raises(AtlasError) as info:
        atlas_copy.load()
    assert info.value.file == "regions.yaml" and info.value.entry.startswith("line ")


def test_missing_file(atlas_copy):
    (atlas_copy.dir / "edges.yaml").unlink()
    with pytest.raises(AtlasError, match="edges.yaml.*missing"):
        atlas_copy.load()
