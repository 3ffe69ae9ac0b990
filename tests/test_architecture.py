"""The rules the README states about how the project is built, checked on the code itself.

* ``pathways/`` has no Streamlit: importing every module of it leaves Streamlit unimported.
* The head map draws the atlas: every region in ``assets/atlas/regions.yaml`` is drawn on each
  of its sides in at least one view, nothing is drawn that the atlas does not have, and every
  nerve overlay is an atlas node whose skin territory it covers. A region added to
  ``regions.yaml`` (as "Changing the anatomy" in the README describes) without a drawing
  fails here instead of silently missing from the map.
* The views and the sides are listed once (``headmap.VIEWS``, ``pathways.SIDES``); everything
  else derives from those two constants.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import textwrap
from collections import Counter
from pathlib import Path

import pytest

from pathways import SIDES, headmap, viewstate

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "pathways"


# --------------------------------------------------------------------------- no Streamlit

def _module_names_on_disk() -> set[str]:
    """Every module and package under ``pathways/``, named from the files themselves."""
    names = set()
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(ROOT).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names.add(".".join(parts))
    return names


IMPORT_EVERYTHING = textwrap.dedent("""
    import importlib, json, pkgutil, sys
    sys.path.insert(0, sys.argv[1])
    before = "streamlit" in sys.modules
    import pathways
    imported, errors = ["pathways"], {}
    def failed(name):
        errors[name] = repr(sys.exc_info()[1])
    for info in pkgutil.walk_packages(pathways.__path__, "pathways.", onerror=failed):
        try:
            importlib.import_module(info.name)
        except Exception as exc:
            errors[info.name] = repr(exc)
        else:
            imported.append(info.name)
    streamlit = sorted(m for m in sys.modules if m == "streamlit" or m.startswith("streamlit."))
    print(json.dumps({"before": before, "imported": imported, "errors": errors,
                      "streamlit": streamlit}))
""")


def test_importing_all_of_pathways_in_a_fresh_process_does_not_import_streamlit():
    run = subprocess.run([sys.executable, "-c", IMPORT_EVERYTHING, str(ROOT)], cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert not result["before"], "the fresh interpreter already had Streamlit"
    assert not result["errors"], f"modules that failed to import: {result['errors']}"
    # pkgutil found every file (so a new module or subpackage is covered without listing it)
    assert _module_names_on_disk() <= set(result["imported"])
    assert not result["streamlit"], (
        "importing pathways imported Streamlit (" + ", ".join(result["streamlit"][:5])
        + "); the domain package must stay free of it, see README 'How it is built'")


# --------------------------------------------------------------------------- head map vs atlas

def _geometry_json() -> dict:
    return json.loads((ROOT / "assets" / "headmap" / "geometry.json").read_text(encoding="utf-8"))


def _drawn() -> set[tuple[str, str]]:
    return {key for view in headmap.VIEWS for key in headmap.regions_in_view(view)}


def drawing_gaps(atlas) -> list[str]:
    """What the head map and the atlas disagree on, one line each (empty when they agree)."""
    gaps = []
    regions = {r: atlas.nodes[r].sides for r in atlas.ids("body-region")}
    wanted = {(r, side) for r, sides in regions.items() for side in sides}
    drawn = _drawn()
    gaps += [f"regions.yaml has {r!r} ({side}) but no view of the head map draws it "
             f"(add it to assets/headmap/geometry.json and headmap.REGION_IDS)"
             for r, side in sorted(wanted - drawn)]
    gaps += [f"the head map draws {r!r} ({side}), which regions.yaml does not have"
             for r, side in sorted(drawn - wanted)]
    gaps += [f"headmap.REGION_IDS names {r!r}, which regions.yaml does not have"
             for r in headmap.REGION_IDS if r not in regions]
    gaps += [f"regions.yaml has {r!r}, which headmap.REGION_IDS does not name"
             for r in regions if r not in headmap.REGION_IDS]
    for name, view in _geometry_json()["views"].items():
        gaps += [f"geometry.json view {name!r} has a region {r!r} that regions.yaml does not have"
                 for r in view["regions"] if r not in regions]
        gaps += [f"geometry.json view {name!r} has an overlay {o!r} that headmap.OVERLAY_IDS "
                 f"does not name" for o in view["overlays"] if o not in headmap.OVERLAY_IDS]
    return gaps


def test_the_head_map_draws_exactly_the_atlas_regions(atlas):
    assert drawing_gaps(atlas) == []


def test_a_region_added_to_the_atlas_without_a_drawing_is_named(atlas_copy):
    """The README's way to add anatomy (edit regions.yaml, run the tests) cannot leave a region
    silently undrawn: the check above names it."""
    atlas_copy.edit("regions.yaml", lambda regions: regions.append({
        "id": "nape", "label": "Nape", "term": "Nuchal region", "sides": ["left", "right"],
        "neighbours": ["upper-neck"],
        "description": {"patient": "The back of your neck.", "clinician": "Nuchal region."}}))
    gaps = drawing_gaps(atlas_copy.load())
    assert "regions.yaml has 'nape' (left) but no view of the head map draws it" in gaps[0]
    assert any("'nape' (right)" in g for g in gaps)
    assert any("headmap.REGION_IDS does not name" in g and "'nape'" in g for g in gaps)


def test_every_overlay_is_an_atlas_nerve_or_root_with_a_skin_territory(atlas):
    kinds = {"trigeminal": {"trigeminal-division"}, "cervical-nerves": {"peripheral-nerve"},
             "dermatomes": {"spinal-root"}}
    assert set(headmap.OVERLAY_GROUPS) == set(kinds)
    for group, ids in headmap.OVERLAY_GROUPS.items():
        for oid in ids:
            assert oid in atlas.nodes, f"overlay {oid!r} is not an atlas node"
            assert atlas.nodes[oid].kind in kinds[group], (oid, atlas.nodes[oid].kind)
            assert atlas.territories(oid), f"overlay {oid!r} supplies no skin in the atlas"


def test_every_skin_territory_in_the_atlas_has_an_overlay(atlas):
    """A nerve or root with skin in the atlas is drawn as an overlay, or (a branch such as the
    auriculotemporal nerve) inside the overlay of the nerve it branches from."""
    for node in atlas.nodes:
        if not atlas.territories(node) or node in headmap.OVERLAY_IDS:
            continue
        parents = [e.target for e in atlas.edges
                   if e.source == node and e.relation == "branch-of"]
        assert any(p in headmap.OVERLAY_IDS for p in parents), (
            f"{node!r} supplies skin in the atlas but has no overlay on the head map")


def _overlap(region_poly, overlay_polys, step: float = 2.0) -> int:
    """Grid points (``step`` apart) inside both the region and one of the overlay polygons."""
    xs = [p[0] for p in region_poly]
    ys = [p[1] for p in region_poly]
    count = 0
    nx, ny = int((max(xs) - min(xs)) / step) + 1, int((max(ys) - min(ys)) / step) + 1
    for i in range(nx):
        for j in range(ny):
            point = (min(xs) + i * step, min(ys) + j * step)
            if headmap.point_in_polygon(point, region_poly) and any(
                    headmap.point_in_polygon(point, p) for p in overlay_polys):
                count += 1
    return count


#: Atlas territories the drawing does not (yet) show inside the overlay. Each is a drawing to
#: correct in assets/headmap/geometry.json; the list may only shrink.
UNDRAWN_TERRITORIES = {
    ("lesser-occipital-nerve", "ear"),  # the overlay stops at the ear's outline in every view
}


def test_each_overlay_covers_the_skin_the_atlas_gives_it(atlas):
    missing = set()
    for oid in headmap.OVERLAY_IDS:
        for region in atlas.territories(oid):
            best = max((_overlap(poly, headmap.overlay_polygons(view, oid))
                        for view in headmap.VIEWS
                        for (r, _), poly in headmap.region_polygons(view).items() if r == region),
                       default=0)
            if best < 3:  # some shared area (about 12 square units), not only a shared border
                missing.add((oid, region))
    assert missing <= UNDRAWN_TERRITORIES, (
        f"overlays that do not cover their atlas territory: {sorted(missing - UNDRAWN_TERRITORIES)}")
    assert UNDRAWN_TERRITORIES <= missing, (
        f"now drawn, remove from UNDRAWN_TERRITORIES: {sorted(UNDRAWN_TERRITORIES - missing)}")


# --------------------------------------------------------------------------- one list of views

def test_the_views_are_what_the_geometry_draws():
    """front and back are drawn as such; the profile drawing is shown once for each side."""
    drawn = set(_geometry_json()["views"])
    assert set(headmap.VIEWS) == (drawn - {"side"}) | set(SIDES)
    assert len(set(headmap.VIEWS)) == len(headmap.VIEWS)


def test_links_accept_exactly_the_views_sides_and_layers_the_map_has():
    assert viewstate.HEAD_VIEWS is headmap.VIEWS
    assert set(viewstate.OVERLAYS) == {"none", *headmap.OVERLAY_GROUPS}
    for name, values in (("view", headmap.VIEWS), ("side", SIDES),
                         ("overlay", tuple(headmap.OVERLAY_GROUPS))):
        for value in values:
            state, notices = viewstate.parse_view({name: value})
            assert getattr(state, name) == value and notices == [], (name, value)


#: Files whose code may list views or sides; tests state their expectations on their own.
CODE = sorted([*PACKAGE.rglob("*.py"), ROOT / "app.py", *(ROOT / "view").glob("*.py"),
               *(ROOT / "app_pages").glob("*.py")])

#: How many times each list may be written out, anywhere in CODE (so moving code between files
#: changes nothing): once for its definition (``VIEWS`` and ``SIDES`` in the vocabulary,
#: re-exported as ``headmap.VIEWS`` and ``pathways.SIDES``), plus the copies that still exist
#: in modules being restructured. The counts may only go down: derive the list from
#: ``headmap.VIEWS`` or ``pathways.SIDES`` and lower the count here.
ALLOWED = Counter({
    ("views", ("front", "left", "right", "back")): 1,  # VIEWS
    # SIDES; the head map's profile views, the handout's two profiles (views named by side)
    ("sides", ("left", "right")): 3,
    ("views", ("left", "right", "front", "back")): 1,  # handout pictures (view order)
    ("views", ("right", "left", "front", "back")): 1,  # handout, when only the right is marked
    ("views", ("front", "back", "left", "right")): 1,  # handout, when both sides are marked
})


def _literal_lists(path: Path, root: Path = ROOT):
    """(kind, items, file:line) for each tuple, list or set of strings that lists every view or
    every side."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    relative = path.relative_to(root).as_posix()
    lists = {"views": set(headmap.VIEWS), "sides": set(SIDES)}
    for node in ast.walk(tree):
        if not isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            continue
        items = [e.value for e in node.elts if isinstance(e, ast.Constant)]
        if len(items) != len(node.elts) or not all(isinstance(i, str) for i in items):
            continue
        for kind, wanted in lists.items():
            if len(items) == len(wanted) and set(items) == wanted:
                yield kind, tuple(items), f"{relative}:{node.lineno}"


def test_views_and_sides_are_listed_once_and_derived_everywhere_else():
    found: dict[tuple, list[str]] = {}
    for path in CODE:
        for kind, items, where in _literal_lists(path):
            found.setdefault((kind, items), []).append(where)
    extra = {key: places for key, places in found.items() if len(places) > ALLOWED[key]}
    assert not extra, (
        "views or sides written out again instead of derived from headmap.VIEWS or "
        "pathways.SIDES: " + "; ".join(f"{items} at {', '.join(places)}"
                                     for (_, items), places in extra.items()))


def test_the_copy_finder_sees_a_new_copy(tmp_path):
    """The check above is only as good as its finder: a copy in a new module is found."""
    fake = tmp_path / "pathways" / "probe.py"
    fake.parent.mkdir()
    fake.write_text('ORDER = ("back", "front", "right", "left")\nfor s in ["right", "left"]:\n'
                    '    pass\nNOT_ALL = ("front", "back")\nVIEWS = ("front", "left")\n',
                    encoding="utf-8")
    assert list(_literal_lists(fake, tmp_path)) == [
        ("views", ("back", "front", "right", "left"), "pathways/probe.py:1"),
        ("sides", ("right", "left"), "pathways/probe.py:2")]


# --------------------------------------------------------------------------- import circles

def _import_graph(package: Path):
    """Which module of ``package`` imports which (at module level or inside a function): a
    networkx DiGraph over dotted module names. Imports of the package itself (its public
    names) are left out: every module may use those."""
    import networkx as nx

    root = package.parent
    graph = nx.DiGraph()
    for path in package.rglob("*.py"):
        parts = path.relative_to(root).with_suffix("").parts
        module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        home = module if path.name == "__init__.py" else module.rpartition(".")[0]
        graph.add_node(module)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base = home.split(".")[: len(home.split(".")) - (node.level - 1)]
                    target = ".".join(base + ([node.module] if node.module else []))
                else:
                    target = node.module or ""
                names = [f"{target}.{a.name}" for a in node.names]
                found = [n for n in names if (root / (n.replace(".", "/") + ".py")).exists()
                         or (root / n.replace(".", "/")).is_dir()]
                targets = found or [target]
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            else:
                continue
            for target in targets:
                if target.startswith(package.name + ".") and target != module:
                    graph.add_edge(module, target)
    return graph


def _circles(package: Path) -> list[list[str]]:
    import networkx as nx

    return sorted(sorted(c) for c in nx.simple_cycles(_import_graph(package)))


def test_no_module_of_pathways_imports_itself_in_a_circle():
    circles = _circles(PACKAGE)
    assert not circles, "import circles, each through these modules: " + "; ".join(
        ", ".join(c) for c in circles)


def test_the_circle_finder_sees_a_new_circle(tmp_path):
    """The check above is only as good as its finder: a circle through a function-level import
    in a subpackage is found."""
    package = tmp_path / "pathways"
    (package / "figures").mkdir(parents=True)
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "figures" / "__init__.py").write_text("", encoding="utf-8")
    (package / "atlas.py").write_text("from .figures import draw\n", encoding="utf-8")
    (package / "figures" / "draw.py").write_text(
        "def f():\n    from ..atlas import load\n", encoding="utf-8")
    assert _circles(package) == [["pathways.atlas", "pathways.figures.draw"]]


# --------------------------------------------------------------------------- test tiers

def _opens_a_page():
    from tests.test_app import open_page

    open_page("app_pages/home.py")


def _starts_a_server():
    import subprocess

    subprocess.Popen([sys.executable, "-c", "pass"]).wait()


def _builds_a_pdf(atlas):
    from pathways import handout

    handout.build_pdf(atlas, "patient")


def _reads_the_atlas(atlas):
    return atlas.ids("body-region")


def test_each_test_gets_its_tier_from_what_it_does(request):
    from types import SimpleNamespace

    from tests.conftest import TIERS, tier

    here = Path(__file__)

    def item(function, path=here, name="test_x", declared=None):
        return SimpleNamespace(path=path, function=function, _fixtureinfo=None, name=name,
                               get_closest_marker=lambda tier: tier == declared or None)

    assert tier(item(_opens_a_page)) == "app"  # through a helper imported from tests/
    assert tier(item(_starts_a_server)) == "server"
    assert tier(item(_builds_a_pdf)) == "heavy"
    assert tier(item(_reads_the_atlas)) == "unit"
    assert tier(item(None)) == "unit"  # a doctest
    assert tier(item(None, name="pathways.lesson.presenter.lesson_html")) == "heavy"
    assert tier(item(_reads_the_atlas, declared="heavy")) == "heavy"  # a sweep says so
    assert tier(item(_reads_the_atlas, ROOT / "tests" / "browser" / "test_x.py")) == "browser"
    for collected in request.session.items:  # whatever was selected: one tier each
        assert [m.name for m in collected.iter_markers() if m.name in TIERS] == [tier(collected)]
