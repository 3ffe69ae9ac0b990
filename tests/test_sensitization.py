"""Property-based tests of the illustrative sensitisation model (pathways.sensitization)."""

from __future__ import annotations

import json
import math
from dataclasses import fields

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pathways import labels, load_atlas
from pathways.atlas import TERRITORY
from pathways.figcache import check_spec
from pathways.sensitization import (
    COMPARISON_RATE_HZ,
    DEFAULT_PARAMETERS,
    DESIGN_WIDTH,
    ILLUSTRATIVE_NOTE,
    PARAMETER_SOURCES,
    ModelParameters,
    felt_with_spread,
    pain_rating,
    pain_threshold,
    spread_rings,
    stimulus_response_figure,
    stimulus_response_summary,
    text_equivalent_stimulus_response,
    text_equivalent_windup,
    windup_factors,
    windup_figure,
    windup_train,
)

SETTINGS = settings(max_examples=60, deadline=None)
EPS = 1e-9
intensities = st.floats(0, 10, allow_nan=False)
levels = st.floats(0, 1, allow_nan=False)
modulations = st.floats(-1, 1, allow_nan=False)
fast_rates = st.floats(0.33, 2.0, allow_nan=False)
slow_rates = st.floats(0.02, 0.17, allow_nan=False)


@pytest.fixture(scope="module")
def atlas():
    return load_atlas()


# ----------------------------------------------------------------------- stimulus–response


@SETTINGS
@given(intensities, levels, modulations)
def test_rating_within_bounds(i, s, m):
    assert 0.0 <= pain_rating(i, s, m) <= 10.0


@SETTINGS
@given(intensities, intensities, levels, modulations)
def test_rating_monotone_in_intensity(a, b, s, m):
    lo, hi = sorted((a, b))
    assert pain_rating(lo, s, m) <= pain_rating(hi, s, m) + EPS


@SETTINGS
@given(intensities, levels, levels, modulations)
def test_rating_monotone_in_sensitisation(i, a, b, m):
    lo, hi = sorted((a, b))
    assert pain_rating(i, lo, m) <= pain_rating(i, hi, m) + EPS


@SETTINGS
@given(levels, levels, modulations)
def test_threshold_non_increasing_in_sensitisation(a, b, m):
    lo, hi = sorted((a, b))
    assert pain_threshold(hi, m) <= pain_threshold(lo, m) + EPS


@SETTINGS
@given(levels, modulations)
def test_threshold_is_where_rating_reaches_one(s, m):
    t = pain_threshold(s, m)
    if 0 < t < 10:
        assert pain_rating(t, s, m) == pytest.approx(1.0, abs=1e-6)
        assert pain_rating(max(0, t - 0.01), s, m) < 1.0


@SETTINGS
@given(intensities, levels, st.floats(0.01, 1, allow_nan=False))
def test_descending_modulation_orders_ratings(i, s, strength):
    inh, neu, fac = (pain_rating(i, s, m) for m in (-strength, 0.0, strength))
    assert fac >= neu >= inh
    if 0 < neu < 10:
        assert fac > neu > inh


def test_rating_is_vectorised():
    x = np.linspace(0, 10, 11)
    out = pain_rating(x, 0.5, 0.2)
    assert isinstance(out, np.ndarray) and out.shape == x.shape
    assert out[3] == pytest.approx(pain_rating(3.0, 0.5, 0.2))


def test_allodynia_and_hyperalgesia_appear():
    assert pain_rating(3, 0, 0) < 1 <= pain_rating(3, 1, 0)  # touch now hurts
    assert pain_rating(7, 0.5, 0) > pain_rating(7, 0, 0) + 1  # what hurt hurts more
    assert pain_threshold(1) < 3 < pain_threshold(0) < 6


def test_mild_threshold_shift_matches_schwedt_anchor():
    p = DEFAULT_PARAMETERS
    shift = (pain_threshold(0) - pain_threshold(p.mild_level)) / 10
    assert shift == pytest.approx(p.mild_threshold_shift, abs=1e-9)
    # 1.2–1.6 °C at 1.25 °C per unit is 0.096–0.128 of the scale
    assert 0.096 <= p.mild_threshold_shift <= 0.128


def test_out_of_range_levels_rejected():
    for bad in (-0.1, 1.1, math.nan):
        with pytest.raises(ValueError):
            pain_rating(3, bad, 0)
        with pytest.raises(ValueError):
            spread_rings(bad)
    with pytest.raises(ValueError):
        pain_rating(3, 0.5, -1.5)


def test_parameters_documented():
    names = {f.name for f in fields(ModelParameters)}
    assert set(PARAMETER_SOURCES) == names
    keys = set(load_atlas().references)
    for name, (cites, why) in PARAMETER_SOURCES.items():
        assert cites and set(cites) <= keys, name
        assert why and "\n" not in why, name
    assert DEFAULT_PARAMETERS.receptive_field_fraction == 0.71
    assert 1 / DEFAULT_PARAMETERS.windup_tau_s > 0.17
    assert 1 / DEFAULT_PARAMETERS.windup_tau_s < 0.33
    with pytest.raises(ValueError):
        ModelParameters(slope_gain=2.0)


# ----------------------------------------------------------------------- wind-up


@SETTINGS
@given(fast_rates, levels, modulations, st.floats(1, 8))
def test_windup_grows_at_fast_rates(rate, s, m, intensity):
    train = windup_train(rate, 8, s, m, intensity=intensity)
    assert all(b >= a - EPS for a, b in zip(train, train[1:]))
    factors = windup_factors(rate, 8, s)
    assert factors[-1] > 1.2  # the neuron's response grows by more than a fifth
    if train[0] < 10:
        assert train[-1] > train[0]


@SETTINGS
@given(slow_rates, levels, modulations, intensities)
def test_no_windup_at_slow_rates(rate, s, m, intensity):
    train = windup_train(rate, 10, s, m, intensity=intensity)
    assert max(train) - min(train) <= 1e-6


@SETTINGS
@given(fast_rates, levels, levels, modulations)
def test_windup_grows_more_when_sensitised(rate, a, b, m):
    lo, hi = sorted((a, b))
    assert windup_factors(rate, 8, hi)[-1] >= windup_factors(rate, 8, lo)[-1] - EPS
    low, high = windup_train(rate, 8, lo, m), windup_train(rate, 8, hi, m)
    if high[-1] < 10:  # below the ceiling, the growth in points is larger too
        assert high[-1] - high[0] >= low[-1] - low[0] - EPS


def test_windup_boundary_between_017_and_033_hz():
    assert windup_factors(0.17, 10, 1.0) == [1.0] * 10
    assert windup_factors(0.33, 10, 0.0)[-1] > 1.3


# ----------------------------------------------------------------------- spread


def _regions(atlas, tissue, level):
    return {(r.region, r.side) for r in felt_with_spread(atlas, tissue, "right", level)}


LEVELS = (0.0, 0.1, 0.35, 0.39, 0.4, 0.5, 0.69, 0.7, 0.9, 1.0)


def test_spread_containment_for_every_tissue(atlas):
    for tissue in atlas.ids("tissue"):
        sets = [_regions(atlas, tissue, level) for level in LEVELS]
        for lower, higher in zip(sets, sets[1:]):
            assert lower <= higher, tissue
        assert sets[0] == {(r.region, r.side) for r in atlas.referral(tissue, "right")}


@SETTINGS
@given(levels, levels)
def test_spread_containment_random_levels(a, b):
    atlas = load_atlas()
    lo, hi = sorted((a, b))
    assert spread_rings(lo) <= spread_rings(hi)
    for tissue in atlas.ids("tissue"):
        assert _regions(atlas, tissue, lo) <= _regions(atlas, tissue, hi), tissue


def test_no_spread_at_zero_and_more_at_one(atlas):
    assert spread_rings(0) == 0
    for tissue in atlas.ids("tissue"):
        assert not any(r.spread for r in felt_with_spread(atlas, tissue, "left", 0.0))
    facet0 = _regions(atlas, "c2-c3-facet-joint", 0.0)
    facet1 = _regions(atlas, "c2-c3-facet-joint", 1.0)
    assert facet0 < facet1


def test_spread_referrals_are_valid(atlas):
    for tissue in atlas.ids("tissue"):
        for side in ("left", "right"):
            referrals = felt_with_spread(atlas, tissue, side, 1.0)
            base = {(r.region, r.side) for r in referrals if not r.spread}
            spread = [r for r in referrals if r.spread]
            keys = [(r.region, r.side) for r in spread]
            assert len(keys) == len(set(keys)), tissue  # no duplicates
            for r in spread:
                assert (r.region, r.side) not in base, (tissue, r.region)
                assert r.strength == "possible" and r.source == tissue
                assert r.side in (side, "left", "right")
                if atlas.nodes[tissue].laterality != "midline":
                    assert r.side == side
                assert all(n in atlas.nodes for n in r.path)
                assert r.path[-2:] == (r.felt_via, r.region)
                assert r.path[0] == tissue
                assert r.path[: r.path.index("trigeminocervical-nucleus") + 1] == atlas.route(
                    tissue, r.felt_via)
                relation = atlas.graph.edges[r.felt_via, r.region]["relation"]
                assert relation in TERRITORY
                assert r.region in atlas.territories(r.felt_via)
                assert {"bartsch-goadsby2003-brain", "woolf2011"} <= set(r.citations)
                assert set(r.citations) <= set(atlas.references)
                assert "71%" in r.evidence and "Illustrative" in r.evidence


# ----------------------------------------------------------------------- figures and text


@pytest.mark.parametrize("audience", ["patient", "clinician", "educator"])
def test_figures_build_and_carry_the_note(audience):
    for fig in (stimulus_response_figure(0.6, 0.3, audience), windup_figure(0.6, -0.2, 0.5, audience)):
        notes = [a.text for a in fig.layout.annotations]
        assert ILLUSTRATIVE_NOTE in notes
        assert fig.layout.xaxis.fixedrange and fig.layout.yaxis.fixedrange
        assert fig.layout.xaxis.title.text and fig.layout.yaxis.title.text
        assert len(fig.to_json()) < 40_000


def test_stimulus_response_figure_zones_by_audience():
    patient = json.loads(stimulus_response_figure(0.8, 0, "patient").to_json())
    clinician = json.loads(stimulus_response_figure(0.8, 0, "clinician").to_json())
    names = lambda f: {t.get("name") for t in f["data"]}  # noqa: E731
    assert {"Touch now hurts", "What hurt hurts more"} <= names(patient)
    assert {"Allodynia", "Hyperalgesia"} <= names(clinician)
    normal = stimulus_response_figure(0, 0)
    assert ILLUSTRATIVE_NOTE in [a.text for a in normal.layout.annotations]


def test_windup_figure_has_two_distinct_series():
    fig = windup_figure(0.5, 0, 0.33)
    assert len(fig.data) == 2
    a, b = fig.data
    assert a.line.dash != b.line.dash and a.marker.symbol != b.marker.symbol
    assert list(b.y) == [b.y[0]] * len(b.y)  # 0.17 Hz: flat
    assert a.y[-1] > a.y[0]


SPEC_ARGUMENTS = [(s, m, audience) for s in (0, 0.05, 0.35, 0.6, 1.0)
                  for m in (-1, -0.3, 0, 0.5, 1)
                  for audience in ("patient", "clinician", "educator")]


def _plain_json(value) -> bool:
    """Only what JSON has: no numpy arrays or scalars, no Plotly objects."""
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain_json(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_plain_json(v) for v in value)
    return value is None or type(value) in (str, int, float, bool)


@pytest.mark.parametrize("s, m, audience", SPEC_ARGUMENTS)
def test_figure_specs_are_valid_plain_plotly(s, m, audience):
    specs = (stimulus_response_figure.spec(s, m, audience),
             windup_figure.spec(s, m, audience=audience),
             windup_figure.spec(s, m, COMPARISON_RATE_HZ, audience, n_stimuli=3, intensity=8))
    for spec in specs:
        check_spec(spec)
        assert _plain_json(spec)
        assert all(trace["type"] == "scatter" for trace in spec["data"])


#: The text scales the charts are laid out for (the page; a phone's lesson; a projector's) and
#: the narrowest widths (a phone's column; a laptop's lesson column).
LAYOUTS = [(scale, width) for scale in (1.0, 1.1, 1.35) for width in (DESIGN_WIDTH, 560)]
#: Liberation Sans (what Chromium draws Arial with): the part of a line above its baseline.
ASCENT_EM = 0.905


def _charts(scale: float, width: float, height: int | None = None):
    for audience in ("patient", "clinician", "educator"):
        for s, m in ((0.6, 0), (1.0, 1), (0, -1)):
            yield stimulus_response_figure.spec(s, m, audience, label_scale=scale, width=width,
                                                height=height)
        yield windup_figure.spec(0.6, 0, audience=audience, label_scale=scale, width=width,
                                 height=height)


def _plot_height(layout: dict) -> float:
    return layout["height"] - layout["margin"]["t"] - layout["margin"]["b"]


@pytest.mark.parametrize("scale, width", LAYOUTS)
def test_every_line_of_a_chart_title_stands_above_the_plot(scale, width):
    """Plotly sets a title anchored by its bottom on the plot (``yref`` paper) with its first
    line's baseline ``pad.b`` above the plot's top edge and runs the other lines down from
    there; it lifts them only when ``automargin`` had to push the margin open, so a title
    whose margin already holds it hangs its second and third lines over the plot, the top
    ticks and the y axis's title. At the text size the chart is laid out for (and at the
    smaller sizes a slide may draw it at) every line must end above the plot and start inside
    the chart, and each line must fit the width."""
    for spec in _charts(scale, width):
        layout = spec["layout"]
        title, top = layout["title"], layout["margin"]["t"]
        # Plotly's placement as modelled here (never moved by an automargin push)
        assert (title["yref"], title["y"], title["yanchor"]) == ("paper", 1, "bottom")
        assert title["automargin"] is False
        lines = title["text"].count("<br>") + 1
        for drawn in (1.0, scale):
            size = title["font"]["size"] * drawn
            first = top - title["pad"]["b"]  # the first baseline, px from the chart's top
            last = first + (lines - 1) * labels.LINE_SPACING * size
            assert first - ASCENT_EM * size >= 0, (title["text"], drawn)
            assert last + (labels.FONT_BOX - ASCENT_EM) * size <= top - 8, (title["text"], drawn)
        widths = labels.line_widths(title["text"], title["font"]["size"] * scale)
        assert max(widths) <= width - 16, title["text"]


@pytest.mark.parametrize("scale, width", LAYOUTS)
@pytest.mark.parametrize("height", [None, 480, 620])
def test_the_plot_keeps_room_for_its_labels_at_the_text_scale(scale, width, height):
    """Margins made for larger text take more of the chart; the plot keeps its room (the
    chart grows taller instead): the rotated y-axis title fits along its side, and the
    threshold label under its dotted line stands on the x axis or above it, never across it
    onto the band ticks."""
    for spec in _charts(scale, width, height):
        layout = spec["layout"]
        plot_h = _plot_height(layout)
        assert layout["height"] >= (height or 0)
        assert plot_h >= 240 * scale
        y_title = layout["yaxis"]["title"]
        assert labels.text_width(y_title["text"], y_title["font"]["size"] * scale) < plot_h
        y_max = layout["yaxis"]["range"][1]
        for note in layout["annotations"]:
            if note.get("yref") == "y" and note.get("yanchor") == "top":  # the threshold's
                line_above_axis = note["y"] / y_max * plot_h
                baseline_under_line = (-note["yshift"] + 1
                                       + ASCENT_EM * note["font"]["size"] * scale)
                assert baseline_under_line <= line_above_axis, (note["text"], plot_h)
    # room enough: exactly the height asked for
    spec = stimulus_response_figure.spec(0.6, 0, "clinician", label_scale=scale, width=width,
                                         height=1000)
    assert spec["layout"]["height"] == 1000


@pytest.mark.parametrize("audience", ["patient", "clinician"])
def test_zone_names_find_a_free_place_on_the_narrowest_chart(audience):
    """On the page's narrowest chart every state's zone names find a place no curve runs
    through (on two lines where one has none); at the lesson's larger text too."""
    for s, m, _ in SPEC_ARGUMENTS[::3]:
        meta = stimulus_response_figure.spec(s, m, audience)["layout"]["meta"]
        assert meta["collisions"] == 0, (s, m)
    for scale, width in ((1.1, DESIGN_WIDTH), (1.35, 560)):
        meta = stimulus_response_figure.spec(0.6, 0, audience, label_scale=scale,
                                             width=width)["layout"]["meta"]
        assert meta["collisions"] == 0, (scale, width)


def test_text_equivalents_use_model_numbers():
    k = stimulus_response_summary(0.7, 0)
    text = text_equivalent_stimulus_response(0.7, 0, "patient")
    assert f"rated {k['touch_3']} out of 10 (usually {k['touch_3_normal']})" in text
    assert ILLUSTRATIVE_NOTE in text
    assert "Schwedt" in text_equivalent_stimulus_response(0.35, 0, "clinician")
    w = text_equivalent_windup(0.5, 0, 0.33, "clinician")
    assert "0.17 Hz" in w and "Staud" in w
    train = windup_train(0.33, 10, 0.5, 0)
    assert f"{round(train[-1], 1)}" in text_equivalent_windup(0.5, 0, 0.33, "patient")
    assert COMPARISON_RATE_HZ == 0.17
