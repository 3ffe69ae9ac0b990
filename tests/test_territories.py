"""The head map's nerve areas against cited maps: each landmark in
``assets/headmap/landmarks.yaml`` (a point the sources agree on, such as "the lower eyelid is
V2" or "the angle of the jaw is the great auricular nerve, not trigeminal") must lie inside
the areas it names and outside the ones it rules out, in every view that shows it."""

from __future__ import annotations

from pathlib import Path

import pytest

from pathways import headmap, load_atlas
from pathways.datafile import read_yaml

LANDMARKS_PATH = Path(__file__).resolve().parents[1] / "assets" / "headmap" / "landmarks.yaml"
LANDMARKS = read_yaml(LANDMARKS_PATH)
#: a landmark's view, and the drawings it is checked in (the left profile mirrors the right)
DRAWINGS = {"front": "front", "back": "back", "side": "right"}


def inside(view: str, area: str, point) -> bool:
    return any(headmap.point_in_polygon(point, polygon)
               for polygon in headmap.overlay_polygons(view, area))


def cases():
    for landmark in LANDMARKS:
        for where, (x, y) in landmark["at"].items():
            view = DRAWINGS[where]
            yield pytest.param(landmark, view, (x, y), id=f"{landmark['id']}-{view}")
            if view == "right":
                yield pytest.param(landmark, "left", (-x, y), id=f"{landmark['id']}-left")


def test_every_landmark_is_well_formed_and_cited():
    references = set(load_atlas().references)
    ids = [landmark["id"] for landmark in LANDMARKS]
    assert len(ids) == len(set(ids))
    for landmark in LANDMARKS:
        assert landmark["says"].strip() and landmark["at"], landmark["id"]
        assert set(landmark["at"]) <= set(DRAWINGS), landmark["id"]
        named = set(landmark.get("in", ())) | set(landmark.get("not_in", ()))
        assert named and named <= set(headmap.OVERLAY_IDS), landmark["id"]
        assert landmark["references"] and set(landmark["references"]) <= references, \
            landmark["id"]


@pytest.mark.parametrize(("landmark", "view", "point"), list(cases()))
def test_landmark_lies_in_the_areas_the_sources_name(landmark, view, point):
    for area in landmark.get("in", ()):
        assert inside(view, area, point), f"{landmark['says']} ({view} view: not in {area})"
    for area in landmark.get("not_in", ()):
        assert not inside(view, area, point), f"{landmark['says']} ({view} view: in {area})"


def test_the_checked_areas_cover_every_trigeminal_division_and_the_vertex_ear_chin_line():
    named = {area for landmark in LANDMARKS for area in landmark.get("in", ())}
    assert {"ophthalmic-nerve", "maxillary-nerve", "mandibular-nerve"} <= named
    assert {"great-auricular-nerve", "lesser-occipital-nerve", "c2"} <= named
