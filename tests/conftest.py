"""Shared fixtures: the bundled atlas, a writable copy of it, and AppTest helpers."""

from __future__ import annotations

import os
import shutil
import sys
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
