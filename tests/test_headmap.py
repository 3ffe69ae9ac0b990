"""Tests for pathways.headmap: the four-view head map with clickable regions and overlays."""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pathways.headmap as headmap
from pathways.figcache import check_spec

VIEWS = headmap.VIEWS
SIDE_VIEWS = ("left", "right")


def _traces(fig, prefix):
    return [t for t in fig.data if (t.name or "").startswith(prefix)]


def _markers(fig):
    (trace,) = [t for t in fig.data if t.name == "regions"]
    return trace


def _region_fill(fig, region, side):
    (trace,) = [t for t in fig.data if t.name == f"region:{region}:{side}"]
    return (trace.fillcolor, trace.line.width, trace.fillpattern.shape if trace.fillpattern else None)


def test_constants():
    assert VIEWS == ("front", "left", "right", "back")
    assert len(headmap.REGION_IDS) == 10
    assert set(headmap.OVERLAY_GROUPS) == {"trigeminal", "cervical-nerves", "dermatomes"}
    assert headmap.OVERLAY_GROUPS["dermatomes"] == ("c2", "c3")


@pytest.mark.parametrize("view", VIEWS)
def test_every_view_builds(view):
    fig = headmap.build_head_map(view)
    layout = fig.layout
    assert layout.clickmode == "event+select"
    assert layout.dragmode is False
    assert layout.xaxis.fixedrange and layout.yaxis.fixedrange
    assert layout.yaxis.scaleanchor == "x"
    assert not layout.xaxis.visible and not layout.yaxis.visible
    assert layout.uirevision == "headmap"
    assert not layout.title.text
    texts = [a.text for a in layout.annotations]
    title = {"front": "FRONT", "back": "BACK", "left": "LEFT SIDE", "right": "RIGHT SIDE"}[view]
    assert f"<b>{title}</b>" in texts
    if view in ("front", "back"):
        assert any(t == "<b>R</b>" for t in texts) and any(t == "<b>L</b>" for t in texts)
    # line work is never clickable
    for t in fig.data:
        if t.name != "regions":
            assert t.hoverinfo == "skip"


def test_unknown_view_or_overlay_rejected():
    with pytest.raises(ValueError):
        headmap.build_head_map("top")
    with pytest.raises(ValueError):
        headmap.build_head_map("front", overlay="c1")


def test_every_region_on_both_sides_across_views():
    seen = set()
    for view in VIEWS:
        seen.update(headmap.regions_in_view(view))
    assert seen == {(r, s) for r in headmap.REGION_IDS for s in ("left", "right")}


def test_side_views_show_only_their_side():
    assert {s for _, s in headmap.regions_in_view("left")} == {"left"}
    assert {s for _, s in headmap.regions_in_view("right")} == {"right"}
    assert {r for r, _ in headmap.regions_in_view("right")} == set(headmap.REGION_IDS)


def test_front_view_mirrors_sides():
    """Front: the person's right is on the viewer's left; back: the person's left is on the left."""
    front = headmap.region_centres("front")
    back = headmap.region_centres("back")
    assert front[("cheek", "right")][0] < 0 < front[("cheek", "left")][0]
    assert back[("occiput", "left")][0] < 0 < back[("occiput", "right")][0]
    # right profile faces the viewer's right: the nose/orbit is right of the ear
    right = headmap.region_centres("right")
    left = headmap.region_centres("left")
    assert right[("orbit", "right")][0] > right[("ear", "right")][0]
    assert left[("orbit", "left")][0] < left[("ear", "left")][0]


@pytest.mark.parametrize("view", VIEWS)
def test_markers_one_per_region_with_valid_customdata(view):
    fig = headmap.build_head_map(view)
    m = _markers(fig)
    pairs = [tuple(cd) for cd in m.customdata]
    assert pairs == headmap.regions_in_view(view)
    assert len(set(pairs)) == len(pairs)
    for region, side in pairs:
        assert region in headmap.REGION_IDS and side in ("left", "right")
    sizes = m.marker.size
    assert all(22 <= s <= 28 for s in sizes)
    assert "%{hovertext}" in m.hovertemplate
    assert all(("left side" in h) or ("right side" in h) for h in m.hovertext)


@pytest.mark.parametrize("view", VIEWS)
def test_markers_inside_their_polygon_and_centres_match(view):
    polys = headmap.region_polygons(view)
    centres = headmap.region_centres(view)
    m = _markers(headmap.build_head_map(view))
    (x0, x1), (y0, y1) = headmap.axis_ranges(view)
    for (x, y), cd in zip(zip(m.x, m.y), m.customdata):
        key = tuple(cd)
        assert centres[key] == (x, y)
        assert headmap.point_in_polygon((x, y), polys[key]), key
        assert x0 < x < x1 and y0 < y < y1


@pytest.mark.parametrize("view", VIEWS)
def test_regions_do_not_overlap(view):
    """Every region's visual centre lies in exactly one region polygon of the view."""
    polys = headmap.region_polygons(view)
    for key, c in headmap.region_centres(view).items():
        hits = [k for k, p in polys.items() if headmap.point_in_polygon(c, p)]
        assert hits == [key]


GEOMETRY = json.loads((ROOT / "assets" / "headmap" / "geometry.json").read_text(encoding="utf-8"))
#: The view that shows each part of geometry.json as authored (the profile is the right one).
AUTHORED_VIEW = {"front": "front", "back": "back", "side": "right"}


def _ends(piece):
    """First and last node of a piece: [path, from, to], [path, from, via, to] or [node, node]."""
    return (piece[0], piece[1]) if len(piece) == 2 else (piece[1], piece[-1])


def _authored_polygons(part):
    """((kind, id, index), pieces) for every region and overlay polygon of one part."""
    for rid, pieces in part["regions"].items():
        yield ("region", rid, 0), pieces
    for oid, polygons in part["overlays"].items():
        for index, pieces in enumerate(polygons):
            yield ("overlay", oid, index), pieces


def test_region_pieces_join_without_gaps():
    """The JSON pieces of each polygon meet end to end (each piece ends at the node where the
    next one starts, and an arc's nodes lie on its path), and the drawn polygon passes through
    every one of those joins."""
    for name, part in GEOMETRY["views"].items():
        nodes, view, side = part["nodes"], AUTHORED_VIEW[name], part["authored_side"]
        for (kind, key, index), pieces in _authored_polygons(part):
            if len(pieces) == 1 and pieces[0][1] is None:  # one whole closed path
                continue
            for piece in pieces:
                if len(piece) > 2:
                    on_path = {p for p in part["paths"][piece[0]]["pts"] if isinstance(p, str)}
                    assert set(piece[1:]) <= on_path, (name, key, piece)
            for a, b in zip(pieces, pieces[1:] + pieces[:1]):
                gap = math.dist(nodes[_ends(a)[1]], nodes[_ends(b)[0]])
                assert gap < 1e-6, (name, key, a, b, gap)
            drawn = (headmap.region_polygons(view)[(key, side)] if kind == "region"
                     else headmap.overlay_polygons(view, key)[index])
            for piece in pieces:
                join = nodes[_ends(piece)[0]]
                assert min(math.dist(join, p) for p in drawn) < 1e-6, (name, key, piece)


def test_states_change_exactly_the_intended_regions():
    base = headmap.build_head_map("front")
    states = {("temple", "right"): "typical", ("orbit", "left"): "possible", ("jaw", "right"): "selected",
              ("ear", "left"): "nonsense"}
    fig = headmap.build_head_map("front", states=states)
    changed = {
        key for key in headmap.regions_in_view("front")
        if _region_fill(fig, *key) != _region_fill(base, *key)
    }
    assert changed == {("temple", "right"), ("orbit", "left"), ("jaw", "right")}
    # second cues: pattern for "possible", thick outline for "selected", colours per state
    assert _region_fill(fig, "orbit", "left")[2] == "/"
    assert _region_fill(fig, "jaw", "right")[1] >= 3
    assert "213,94,0" in _region_fill(fig, "temple", "right")[0]
    assert "0,114,178" in _region_fill(fig, "jaw", "right")[0]
    # highlighted regions get a text label; neutral ones do not
    texts = [a.text for a in fig.layout.annotations]
    assert "Temple" in texts and "Orbit" in texts and "Jaw" in texts and "Cheek" not in texts
    # marker colours follow the state
    m = _markers(fig)
    colour = dict(zip(map(tuple, m.customdata), m.marker.color))
    assert colour[("temple", "right")] == "#D55E00"
    assert colour[("orbit", "left")] == "#E69F00"
    assert colour[("jaw", "right")] == "#0072B2"


def test_custom_labels_used():
    fig = headmap.build_head_map("right", states={("angle-of-jaw", "right"): "typical"},
                                 region_labels={"angle-of-jaw": "Corner of the jaw"},
                                 overlay="cervical-nerves",
                                 overlay_labels={"great-auricular-nerve": "Great auricular nerve (C2-C3)"})
    texts = [a.text for a in fig.layout.annotations]
    assert "Corner of the jaw" in texts
    assert any("Great auricular nerve (C2-C3)" in t.replace("<br>", " ") for t in texts)
    m = _markers(fig)
    assert any("Corner of the jaw" in h for h in m.hovertext)


@pytest.mark.parametrize("group", list(headmap.OVERLAY_GROUPS))
def test_overlays_add_traces_named_by_id(group):
    ids = headmap.OVERLAY_GROUPS[group]
    seen = set()
    for view in VIEWS:
        plain = {t.name for t in headmap.build_head_map(view).data}
        fig = headmap.build_head_map(view, overlay=group)
        added = [t for t in fig.data if t.name not in plain]
        assert {t.name for t in added} <= set(ids)
        assert {t.name for t in added} == set(headmap.overlays_in_view(view, group))
        for t in added:
            assert t.fill == "toself" and t.fillpattern.shape  # pattern = second cue besides colour
            assert t.hoverinfo == "skip"
        seen.update(t.name for t in added)
    assert seen == set(ids)


def test_every_overlay_has_geometry():
    for oid in headmap.OVERLAY_IDS:
        polys = [p for v in VIEWS for p in headmap.overlay_polygons(v, oid)]
        assert polys, oid
        assert all(len(p) >= 3 for p in polys)


def test_c1_has_no_overlay():
    assert "c1" not in headmap.OVERLAY_IDS
    for vs in GEOMETRY["views"].values():
        assert "c1" not in vs["overlays"]
    for view in VIEWS:
        assert headmap.overlay_polygons(view, "c1") == []


@pytest.mark.parametrize("view", SIDE_VIEWS)
def test_angle_of_jaw_is_great_auricular_not_trigeminal(view):
    side = view
    c = headmap.region_centres(view)[("angle-of-jaw", side)]

    def inside(oid):
        return any(headmap.point_in_polygon(c, p) for p in headmap.overlay_polygons(view, oid))

    assert inside("great-auricular-nerve")
    assert not inside("mandibular-nerve")
    assert not inside("maxillary-nerve") and not inside("ophthalmic-nerve")
    assert inside("c2")  # a C2-C3 area in the dermatome overlay too


@pytest.mark.parametrize("view", SIDE_VIEWS)
def test_trigeminal_territories_sit_on_the_face(view):
    centres = headmap.region_centres(view)

    def inside(oid, region):
        c = centres[(region, view)]
        return any(headmap.point_in_polygon(c, p) for p in headmap.overlay_polygons(view, oid))

    assert inside("ophthalmic-nerve", "forehead")
    assert inside("maxillary-nerve", "cheek")
    assert inside("mandibular-nerve", "jaw")
    assert inside("c2", "occiput")
    assert inside("c3", "upper-neck") or inside("c2", "upper-neck")


def test_front_angle_of_jaw_outside_v3():
    c = headmap.region_centres("front")[("angle-of-jaw", "right")]
    assert not any(headmap.point_in_polygon(c, p) for p in headmap.overlay_polygons("front", "mandibular-nerve"))
    assert any(headmap.point_in_polygon(c, p) for p in headmap.overlay_polygons("front", "great-auricular-nerve"))


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("overlay", [None, *headmap.OVERLAY_GROUPS])
def test_figure_json_size_budget(view, overlay):
    states = {k: "typical" for k in headmap.regions_in_view(view)[:3]}
    fig = headmap.build_head_map(view, overlay=overlay, states=states)
    assert len(fig.to_json()) < 60_000


def _plain(value) -> bool:
    """Only JSON data: dicts with string keys, lists, strings, numbers, booleans and None."""
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_plain(v) for v in value)
    return value is None or isinstance(value, (str, int, float, bool))


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("state", [None, *headmap.STATES])
@pytest.mark.parametrize("overlay", [None, *headmap.OVERLAY_GROUPS])
def test_spec_is_plain_data_that_plotly_accepts(view, state, overlay):
    """The stored spec is what the page sends to the browser: plain data, every property one
    Plotly knows (a misspelt one would be silently ignored there)."""
    states = {(r, s): state for r in headmap.REGION_IDS for s in headmap.SIDES} if state else {}
    spec = headmap.build_head_map.spec(view, states=states, overlay=overlay,
                                       region_labels={"jaw": "Lower jaw"},
                                       overlay_labels={"c2": "C2 skin"})
    assert _plain(spec)
    check_spec(spec)
    (markers,) = [t for t in spec["data"] if t["name"] == "regions"]
    assert [tuple(cd) for cd in markers["customdata"]] == headmap.regions_in_view(view)


def test_axis_ranges_match_layout():
    for view in VIEWS:
        fig = headmap.build_head_map(view, height=400)
        (x0, x1), (y0, y1) = headmap.axis_ranges(view)
        assert tuple(fig.layout.xaxis.range) == (x0, x1)
        assert tuple(fig.layout.yaxis.range) == (y0, y1)
        assert fig.layout.height == 400
    assert headmap.axis_ranges("left")[0] == tuple(-v for v in reversed(headmap.axis_ranges("right")[0]))


def test_side_letters_can_be_hidden():
    fig = headmap.build_head_map("front", show_side_letters=False)
    assert not any(a.text in ("<b>R</b>", "<b>L</b>") for a in fig.layout.annotations)


def test_geometry_asset_is_valid_json_and_module_is_free_of_streamlit():
    data = json.loads((ROOT / "assets" / "headmap" / "geometry.json").read_text(encoding="utf-8"))
    assert set(data["views"]) == {"front", "back", "side"}
    sources = list((ROOT / "pathways" / "headmap").glob("*.py"))
    assert len(sources) >= 3  # the package's modules, each read
    for path in sources:
        assert "streamlit" not in path.read_text(encoding="utf-8"), path.name
