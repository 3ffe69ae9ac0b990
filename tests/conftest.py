"""Shared fixtures (the bundled atlas, a writable copy of it) and the test tiers.

Every test gets exactly one tier marker, from what it does (``./test.sh -m unit`` runs the
fast part; ``./test.sh`` runs every tier):

* ``browser``: under ``tests/browser/`` (a real Chromium and a Streamlit server);
* ``server``: starts a server process (``subprocess.Popen``);
* ``app``: runs pages in Streamlit's ``AppTest``;
* ``heavy``: builds a PDF, a figure image (Chromium through Kaleido) or the offline lesson,
  or sweeps figure specs through Plotly's own checks, i.e. uses one of :data:`HEAVY` (every
  figure the other tests build is still checked by Plotly, see ``PATHWAYS_CHECK_FIGURES``);
* ``unit``: everything else, doctests included.

"What it does" is read from the test function, the fixtures it asks for and the helpers
defined in ``tests/`` that they call, so a new test is placed without being listed anywhere.
"""

from __future__ import annotations

import dis
import functools
import importlib
import importlib.util
import inspect
import os
import shutil
import sys
import types
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# Figure builders write plain specs and skip Plotly's property checks at run time; in the tests
# (and the app servers they start) every new spec is checked (pathways.figcache).
os.environ.setdefault("PATHWAYS_CHECK_FIGURES", "1")

from pathways import DEFAULT_ATLAS_DIR, load_atlas  # noqa: E402


@pytest.fixture(scope="session")
def atlas():
    return load_atlas()


class AtlasCopy:
    """A temporary copy of the atlas files that a test can edit, then load."""

    def __init__(self, directory: Path):
        self.dir = directory

    def read(self, name: str):
        return yaml.safe_load((self.dir / name).read_text(encoding="utf-8"))

    def write(self, name: str, data) -> None:
        (self.dir / name).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                                     encoding="utf-8")

    def edit(self, name: str, change) -> None:
        data = self.read(name)
        result = change(data)
        self.write(name, data if result is None else result)

    def load(self):
        return load_atlas(self.dir)


@pytest.fixture
def atlas_copy(tmp_path) -> AtlasCopy:
    target = tmp_path / "atlas"
    shutil.copytree(DEFAULT_ATLAS_DIR, target)
    return AtlasCopy(target)


# --------------------------------------------------------------------------- test tiers
TESTS = Path(__file__).resolve().parent
TIERS = ("browser", "server", "app", "heavy", "unit")  # a test in several gets the first
#: What makes a test heavy: these builders and checks (names as the tests call them).
HEAVY = {"build_pdf", "build_pdf_and_handout", "figure_image", "slide_image", "lesson_html",
         "check_spec"}


@functools.lru_cache(maxsize=None)
def _in_tests(filename: str) -> bool:
    return Path(filename).resolve().is_relative_to(TESTS)


def _test_module(name: str):
    """The module ``name`` if it is one of tests/ (imported if need be), else None."""
    if name in sys.modules:
        return sys.modules[name]
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.origin or not _in_tests(spec.origin):
        return None
    return importlib.import_module(name)


@functools.lru_cache(maxsize=None)
def _references(code: types.CodeType) -> set[tuple[str | None, str | None]]:
    """What a code object names, nested functions and lambdas included: ``(name, None)`` for a
    global, ``(module, name)`` for ``module.name`` and ``from module import name``, ``(None,
    name)`` for an attribute of anything else."""
    refs: set[tuple[str | None, str | None]] = set()
    base = None
    for instruction in dis.get_instructions(code):
        op, value = instruction.opname, instruction.argval
        if op in ("LOAD_GLOBAL", "LOAD_NAME"):
            refs.add((value, None))
        elif op in ("LOAD_ATTR", "LOAD_METHOD", "IMPORT_FROM"):
            refs.add((base, value))  # base None: an attribute of a local (``proc.wait``)
        base = value if op in ("LOAD_GLOBAL", "LOAD_NAME", "IMPORT_NAME") else (
            base if op == "IMPORT_FROM" else None)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            refs |= _references(const)
    return refs


def _needs(function, seen: set) -> set[str]:
    """"server" if ``function`` (or a helper from tests/ it calls) starts a process, "app" if
    it uses AppTest, "heavy" if it calls one of :data:`HEAVY`."""
    function = inspect.unwrap(function)
    if hasattr(function, "hypothesis"):  # a @given test: read the test inside the wrapper
        function = function.hypothesis.inner_test
    code = getattr(function, "__code__", None)
    if code is None or code in seen or not _in_tests(code.co_filename):
        return set()
    seen.add(code)
    scope = getattr(function, "__globals__", {})
    found = set()
    for base, name in _references(code):
        if "Popen" in (base, name):
            found.add("server")
        if {base, name} & HEAVY:
            found.add("heavy")
        value = scope.get(base, _test_module(base)) if base else None
        if name is not None:
            value = getattr(value, name, None) if isinstance(value, types.ModuleType) else None
        if (getattr(value, "__module__", None) or "").startswith("streamlit.testing"):
            found.add("app")
        elif callable(value):
            found |= _needs(value, seen)
    return found


@functools.lru_cache(maxsize=None)
def _needs_of(function) -> frozenset[str]:
    return frozenset(_needs(function, set()))


def tier(item) -> str:
    if TESTS / "browser" in Path(str(item.path)).resolve().parents:
        return "browser"
    declared = next((t for t in TIERS if item.get_closest_marker(t)), None)
    if declared:  # a sweep over every figure state says so itself: @pytest.mark.heavy
        return declared
    function = getattr(item, "function", None)
    if function is None:  # doctests: heavy if they run one of HEAVY
        return "heavy" if item.name.rsplit(".", 1)[-1] in HEAVY else "unit"
    found = set(_needs_of(function))
    fixtures = getattr(item, "_fixtureinfo", None)
    for definitions in (fixtures.name2fixturedefs.values() if fixtures else ()):
        for definition in definitions:
            found |= _needs_of(definition.func)
    return next(t for t in TIERS if t in found or t == "unit")


def pytest_collection_modifyitems(config, items):
    for item in items:
        found = tier(item)
        if not item.get_closest_marker(found):  # a declared tier is already there
            item.add_marker(found)

