"""Tests of the convergence diagram (pathways.diagram): drawn from the atlas, clickable sources,
no edge back out of the nucleus, highlight, animation, accessibility cues and size budget."""

from __future__ import annotations

import json

import pytest

from pathways import NUCLEUS, load_atlas
from pathways.diagram import (
    axis_ranges,
    build_diagram,
    drawn_edges,
    highlight,
    node_positions,
    text_equivalent,
)

FACET = "c2-c3-facet-joint"


@pytest.fixture(scope="module")
def atlas():
    return load_atlas()


@pytest.fixture(scope="module")
def plain(atlas):
    return build_diagram(atlas)


@pytest.fixture(scope="module")
def lit(atlas):
    return build_diagram(atlas, source=FACET)


def _trace(fig, name):
    found = [t for t in fig.data if t.name == name]
    assert found, f"no trace named {name!r}"
    return found[0]


def _node_ids(fig):
    ids = set()
    for t in fig.data:
        if t.customdata is not None and t.mode and "markers" in t.mode:
            ids.update(row[0] for row in t.customdata)
    return ids


def test_every_tissue_is_a_selectable_source(atlas, plain):
    sources = _trace(plain, "sources")
    ids = [row[0] for row in sources.customdata]
    assert sorted(ids) == sorted(atlas.ids("tissue"))
    sizes = sources.marker.size
    assert min(sizes if isinstance(sizes, (list, tuple)) else [sizes]) >= 18
    # no other trace offers tissues
    for t in plain.data:
        if t.name != "sources" and t.customdata is not None:
            assert not {row[0] for row in t.customdata} & set(atlas.ids("tissue"))


@pytest.mark.parametrize("compact", [False, True])
def test_every_node_but_body_regions_is_drawn(atlas, compact):
    fig = build_diagram(atlas, compact=compact)
    expected = {n.id for n in atlas.nodes.values() if n.kind != "body-region"}
    assert _node_ids(fig) == expected
    positions = node_positions(atlas, compact)
    assert set(positions) == expected
    (x0, x1), (y0, y1) = axis_ranges(compact)
    for x, y in positions.values():
        assert x0 <= x <= x1 and y0 <= y <= y1
    assert len(set(positions.values())) == len(positions), "two nodes share a position"


def test_no_drawn_edge_leads_from_the_nucleus_back_out(atlas):
    peripheral = {"tissue", "peripheral-nerve", "spinal-root", "trigeminal-division", "ganglion"}
    for edge in drawn_edges(atlas):
        if edge.source == NUCLEUS:
            assert atlas.nodes[edge.target].kind not in peripheral
    for fig in (build_diagram(atlas), build_diagram(atlas, source=FACET)):
        pos = node_positions(atlas)
        at = {v: k for k, v in pos.items()}
        for t in fig.data:
            if t.mode != "lines":
                continue
            xs, ys = list(t.x), list(t.y)
            for i in range(0, len(xs) - 1, 3):
                a, b = at.get((xs[i], ys[i])), at.get((xs[i + 1], ys[i + 1]))
                if a == NUCLEUS:
                    assert atlas.nodes[b].kind not in peripheral, (t.name, b)


def test_skin_and_referral_edges_are_not_drawn(atlas):
    relations = {e.relation for e in drawn_edges(atlas)}
    assert not relations & {"supplies-skin-of", "dermatome-covers", "refers-pain-to"}


def test_highlight_for_the_c2_c3_facet_joint(atlas):
    h = highlight(atlas, FACET)
    for node in ("third-occipital-nerve", "c3", NUCLEUS, "thalamus", "somatosensory-cortex"):
        assert node in h["nodes"]
    assert "ophthalmic-nerve" in h["felt_via"]
    assert "ophthalmic-nerve" not in h["nodes"]  # a reading, not a signal route
    assert ("third-occipital-nerve", "c3") in h["edges"]
    assert ("ophthalmic-nerve", "trigeminal-ganglion") in h["felt_edges"]
    assert h["regions"][0][2] == "typical"
    assert all(a != NUCLEUS or atlas.nodes[b].kind in ("tract",) for a, b in h["edges"])


def test_highlight_for_the_supratentorial_dura(atlas):
    h = highlight(atlas, "supratentorial-dura")
    assert {"ophthalmic-nerve", "trigeminal-ganglion", NUCLEUS} <= h["nodes"]


def test_highlight_styles(lit):
    route = _trace(lit, "signal route")
    felt = _trace(lit, "felt as")
    assert route.line.color == "#D55E00" and route.line.width >= 4
    assert felt.line.color == "#0072B2" and felt.line.dash == "dash"
    texts = " ".join(a.text for a in lit.layout.annotations)
    assert "brain reads it as" in texts
    assert "Felt in" in texts


def test_modulation_edges_are_dashed(atlas, plain):
    t = _trace(plain, "descending control")
    assert t.line.dash == "dash"
    assert t.line.color != _trace(plain, "afferent").line.color


def test_lines_skip_hover_and_traces_are_few(plain, lit):
    for fig in (plain, lit):
        for t in fig.data:
            if t.customdata is None:
                assert t.hoverinfo == "skip"
        assert len(fig.data) <= 20


def test_animation_frames_end_at_the_cortex(atlas, lit):
    frames = lit.frames
    assert 4 <= len(frames) <= 16
    pulse = [i for i, t in enumerate(lit.data) if t.name == "pulse"]
    assert pulse
    for frame in frames:
        assert list(frame.traces) == pulse and len(frame.data) == 1
    pos = node_positions(atlas)
    cortex = {pos[n] for n in atlas.ids("cortex")}
    last = frames[-1].data[0]
    assert set(zip(last.x, last.y)) <= cortex
    assert any("forehead" in (t or "").lower() or "back of the head" in (t or "").lower()
               for t in last.text)
    first = frames[0].data[0]
    assert (first.x[0], first.y[0]) == pos[FACET]
    assert lit.layout.updatemenus[0].buttons[0].method == "animate"
    assert not build_diagram(atlas, source=FACET, animate=False).frames
    assert not build_diagram(atlas).frames


def test_roots_and_divisions_differ_by_symbol_and_label(atlas, plain):
    def symbols(kind):
        t = _trace(plain, kind)
        return {row[0]: s for row, s in zip(t.customdata, t.marker.symbol)}

    roots, divisions = symbols("spinal-root"), symbols("trigeminal-division")
    assert set(roots.values()).isdisjoint(divisions.values())
    labels = {a.text for a in plain.layout.annotations}
    for node_id in ("c1", "c2", "c3", "ophthalmic-nerve", "maxillary-nerve", "mandibular-nerve"):
        short = atlas.name(node_id, "patient", short=True)
        assert any(short.split()[0] in label for label in labels), node_id
    colours = set()
    for t in plain.data:
        c = t.marker.color if t.mode and "markers" in t.mode else None
        colours.update(c if isinstance(c, (list, tuple)) else [c] if c else [])
    okabe = {"#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7",
             "#000000"}
    assert {colours_of(plain, "spinal-root"), colours_of(plain, "trigeminal-division")} <= okabe


def colours_of(fig, name):
    colours = set(_trace(fig, name).marker.color)
    assert len(colours) == 1
    return colours.pop()


@pytest.mark.parametrize("audience", ["patient", "clinician"])
def test_labels_follow_the_audience(atlas, audience):
    fig = build_diagram(atlas, audience=audience)
    text = " ".join(a.text.replace("<br>", " ") for a in fig.layout.annotations)
    for node_id in ("c2-c3-facet-joint", "thalamus", "trigeminal-ganglion"):
        assert atlas.name(node_id, audience, short=True).split()[0] in text


@pytest.mark.parametrize("audience", ["patient", "clinician"])
@pytest.mark.parametrize("source", [None, FACET])
def test_text_equivalent_names_every_node(atlas, audience, source):
    text = text_equivalent(atlas, audience, source)
    for node in atlas.nodes.values():
        if node.kind == "body-region":
            continue
        assert node.name(audience) in text, node.id
        assert node.name(audience, short=True) in text, node.id
    if source:
        assert atlas.name("ophthalmic-nerve", audience, short=True) in text.split("**Chosen")[-1] \
            or "Selected source" in text


def test_layout_is_fixed_and_clickable(plain):
    layout = plain.layout
    assert layout.dragmode is False
    assert layout.clickmode == "event+select"
    assert layout.uirevision == "diagram"
    assert layout.xaxis.fixedrange and layout.yaxis.fixedrange
    assert not layout.xaxis.visible and not layout.yaxis.visible
    assert layout.plot_bgcolor == "white"
    for a in layout.annotations:
        assert a.font.size >= 12


def test_size_budget(atlas):
    for source in atlas.ids("tissue"):
        fig = build_diagram(atlas, source=source, audience="clinician")
        assert len(fig.to_json()) < 120_000, source
        json.loads(fig.to_json())


@pytest.mark.heavy  # a sweep over every state: not in the quick tier
def test_every_source_builds_in_both_layouts(atlas):
    for source in atlas.ids("tissue"):
        for compact in (False, True):
            fig = build_diagram(atlas, source=source, side="left", compact=compact)
            assert fig.frames


def test_a_new_node_gets_a_position_by_kind(atlas):
    from dataclasses import replace

    from pathways.atlas import Atlas, Edge

    nodes = dict(atlas.nodes)
    template = atlas.nodes["lesser-occipital-nerve"]
    nodes["new-test-nerve"] = replace(template, id="new-test-nerve", label="New nerve",
                                      short="New nerve", term="Nervus novus", short_term="N. novus")
    cite = atlas.edges[0].citations
    edges = [*atlas.edges, Edge("new-test-nerve", "c3", "branch-of", cite, "test")]
    bigger = Atlas(nodes, list(edges), dict(atlas.references))
    pos = node_positions(bigger)
    assert "new-test-nerve" in pos
    assert len(set(pos.values())) == len(pos)
    fig = build_diagram(bigger, audience="clinician")
    assert "new-test-nerve" in _node_ids(fig)
    assert "Nervus novus" in text_equivalent(bigger, "clinician")


@pytest.mark.parametrize("audience", ["patient", "clinician", "educator"])
def test_specs_are_plain_and_valid_plotly(atlas, audience):
    """The builder writes a plain spec (no Plotly objects); every property in it must be one
    Plotly knows, in every variant: lit or not, wide or compact, animated or not."""
    from pathways.figcache import check_spec

    def plain_data(value):
        if isinstance(value, dict):
            return all(isinstance(k, str) and plain_data(v) for k, v in value.items())
        if isinstance(value, list):
            return all(plain_data(v) for v in value)
        return value is None or isinstance(value, (str, int, float, bool))

    for source in (None, FACET, "supratentorial-dura"):
        for compact in (False, True):
            for animate in (True, False):
                spec = build_diagram.spec(atlas, audience=audience, source=source,
                                          compact=compact, animate=animate)
                assert plain_data(spec)
                check_spec(spec)
                assert ("frames" in spec) == bool(source and animate)
