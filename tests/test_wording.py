"""The app's shared words (assets/content/ui.yaml): one home, read the same way everywhere."""

import re

import pytest
import yaml

from pathways import headmap, sensitization
from pathways.consult import ContentError
from pathways.viewstate import HEAD_VIEWS, OVERLAYS
from pathways.wording import UI_PATH, load_ui
from tests.test_app import open_page

UI = load_ui()


@pytest.mark.parametrize("audience", ["patient", "clinician"])
def test_the_slider_and_the_figure_description_name_the_modulation_alike(audience):
    """At every slider position, the words under the slider are the words in the figure's
    text description (they once used different cut-offs: 'mild' beside 'moderate')."""
    for step in range(-10, 11):
        m = step / 10
        words = UI.modulation_words(m, audience)
        assert words in sensitization.text_equivalent_stimulus_response(0.3, m, audience), m


def test_moderate_modulation_reads_moderate_on_the_page_and_in_the_description():
    at = open_page("app_pages/sensitization.py", modulation="0.4", audience="clinician")
    now = [m.value for m in at.markdown if m.value.startswith("Now:")]
    assert "Now: **moderate facilitation** (+0.4)" in now
    description = next(m.value for m in at.markdown if "descending modulation m = +0.40" in m.value)
    assert "(moderate facilitation)" in description


def test_patient_level_and_modulation_words_are_plain():
    assert UI.level_words(0.0, "patient") == "normal"
    assert UI.level_words(0.95, "patient") == "very sensitive"
    assert UI.modulation_words(0.0, "patient") == "neither turned up nor down"
    assert UI.modulation_words(-1.0, "patient") == "turned down a lot"
    assert UI.modulation_words(1.0, "educator") == "strong facilitation"


def test_every_view_and_layer_the_url_accepts_has_a_name():
    assert set(UI.names("views")) == set(HEAD_VIEWS) == set(headmap.VIEWS)
    assert set(UI.names("overlays")) == set(OVERLAYS)
    for view in HEAD_VIEWS:
        assert UI.text(f"view_conventions.{view}", "patient")


def test_head_map_descriptions_use_the_strength_words_of_the_app():
    states = {("occiput", "left"): "typical", ("vertex", "left"): "possible",
              ("temple", "left"): "spread"}
    text = headmap.text_equivalent("left", states, audience="patient")
    assert "usually felt here" in text and "sometimes felt here" in text
    assert "only when the alarm is more sensitive" in text and "typical" not in text


def _broken(tmp_path, change) -> str:
    data = yaml.safe_load(UI_PATH.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "ui.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ContentError) as error:
        load_ui(path)
    return str(error.value)


def test_a_malformed_words_file_names_the_entry_and_what_is_expected(tmp_path):
    message = _broken(tmp_path, lambda d: d["figures"]["wind-up"].update(citations=["staud2070"]))
    assert "ui.yaml" in message and "figures/wind-up" in message and "staud2007" in message
    message = _broken(tmp_path, lambda d: d["modulation"].reverse())
    assert "modulation" in message and "cut-offs" in message
    message = _broken(tmp_path, lambda d: d.update(default_source="c9-facet"))
    assert "default_source" in message and "tissue" in message
    message = _broken(tmp_path, lambda d: d["views"].update(front=""))
    assert re.search(r"views", message)
