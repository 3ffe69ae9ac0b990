"""Data files saved in another encoding, or holding binary garbage, are named in the error with
what is expected (UTF-8 text), instead of a generic failure; the pages show that message."""

from __future__ import annotations

import os

import pytest

from pathways import DataFileError, load_atlas
from pathways.datafile import read_yaml

TEXT = "- id: orbit\n  name: Around the eye (the orbit), où ça fait mal\n"

BROKEN = {
    "utf-16": TEXT.encode("utf-16"),                  # Windows "Unicode" (with its BOM)
    "utf-16-le, no BOM": TEXT.encode("utf-16-le"),
    "windows-1252": TEXT.encode("cp1252"),            # 'où ça' as single bytes
    "binary garbage": bytes(range(256)) * 8,
    "random bytes": os.urandom(4096),
    "nul bytes in UTF-8": b"- id: orbit\x00\x00\n",
    "control characters": b"- id: \x07\x1b[31morbit\n",
}


@pytest.mark.parametrize("kind", BROKEN, ids=list(BROKEN))
def test_a_file_that_is_not_utf8_text_is_named(tmp_path, kind):
    path = tmp_path / "regions.yaml"
    path.write_bytes(BROKEN[kind])
    with pytest.raises(DataFileError) as raised:
        read_yaml(path)
    message = str(raised.value)
    assert message.startswith("regions.yaml:"), message
    assert "UTF-8" in message, message
    assert "line" in raised.value.entry, raised.value.entry


def test_the_atlas_names_a_file_saved_as_utf16(atlas_copy):
    path = atlas_copy.dir / "nodes.yaml"
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))
    with pytest.raises(DataFileError, match=r"^nodes\.yaml: .*UTF-16"):
        load_atlas(atlas_copy.dir)


def test_a_page_names_the_file_without_a_traceback(tmp_path, monkeypatch):
    """The check page with its content file saved as Windows-1252: the page says which file,
    and that it must be UTF-8, instead of a generic error."""
    from streamlit.testing.v1 import AppTest

    import pathways.consult as consult

    broken = tmp_path / "check.yaml"
    text = consult.DEFAULT_CHECK_FILE.read_text(encoding="utf-8")
    broken.write_bytes(text.encode("cp1252", "replace") + "\n# café\n".encode("cp1252"))
    monkeypatch.setattr(consult, "_load_bundled", lambda: consult._load(broken, load_atlas()))
    at = AppTest.from_file("../app.py", default_timeout=120)  # relative to this file
    at.run()
    at.switch_page("app_pages/check.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    errors = " ".join(e.value for e in at.error)
    assert "check.yaml" in errors and "UTF-8" in errors, errors
