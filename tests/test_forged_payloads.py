"""Forged widget payloads, sent over the app's own websocket protocol the way a hand-made client
would: a head-map or diagram click with empty, missing or wrong ``customdata``, and a
non-numeric lesson step together with "Previous". Each must leave the page working: no
exception, the forged value ignored, and a real click still honoured.
"""

from __future__ import annotations

import json

import pytest
from streamlit.proto.WidgetStates_pb2 import WidgetState, WidgetStates

import bench.stclient as stclient
from tests.test_deploy_limits import run, served

#: Click payloads no real chart sends (the real one: {"selection": {"points": [{...,
#: "customdata": [id, side, ...]}]}}).
FORGED_CLICKS = [
    {"selection": {"points": [{"customdata": []}]}},
    {"selection": {"points": [{}]}},
    {"selection": {"points": [{"customdata": "orbit"}]}},
    {"selection": {"points": [{"customdata": [None, None]}]}},
    {"selection": {"points": [{"customdata": [["orbit"], {"x": 1}]}]}},
    {"selection": {"points": [{"customdata": ["no-such-region", "sideways"]}]}},
    {"selection": {"points": [{"customdata": ["<script>", "left"]}]}},
    {"selection": {"points": ["junk", 7, None]}},
    {"selection": {"points": "junk"}},
    {"selection": "junk"},
    {"selection": None},
    [],
    "junk",
    7,
]


@pytest.fixture(scope="module")
def url(monkeypatch_module):
    # Buttons and charts are not among the widgets the benchmark client changes; here they
    # are wanted, so that their ids can be addressed.
    monkeypatch_module.setattr(stclient, "DRIVABLE",
                               (*stclient.DRIVABLE, "button", "plotly_chart"))
    with served() as (address, _):
        yield address


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def widget(session, kind: str, key: str):
    found = [w for w in session.widgets.values() if w.kind == kind and w.id.endswith(key)]
    assert found, f"no {kind} with key {key!r} among {[w.id for w in session.widgets.values()]}"
    return found[0]


def states(session, *extra: WidgetState) -> WidgetStates:
    out = WidgetStates()
    out.widgets.extend([v for k, v in session.values.items()
                        if k not in {e.id for e in extra}])
    out.widgets.extend(extra)
    return out


async def _click_each(url: str, page: str, query: str, key: str, payloads, valid):
    s = stclient.Session(url, page, query)
    problems = []
    try:
        first = await s.open()
        problems += first.exceptions
        chart = widget(s, "plotly_chart", key)
        for payload in payloads:
            state = WidgetState(id=chart.id, string_value=json.dumps(payload))
            result = await s.rerun(states(s, state))
            problems += [f"{payload!r}: {e}" for e in result.exceptions]
            if result.status != "FINISHED_SUCCESSFULLY":
                problems.append(f"{payload!r}: {result.status}")
        before = s.query
        state = WidgetState(id=chart.id, string_value=json.dumps(valid))
        result = await s.rerun(states(s, state))
        problems += result.exceptions
        return problems, before, s.query
    finally:
        await s.close()


def test_forged_head_map_clicks_are_ignored_and_a_real_one_still_counts(url):
    valid = {"selection": {"points": [{"curve_number": 0, "point_number": 0,
                                       "customdata": ["occiput", "right"]}]}}
    problems, before, after = run(_click_each(
        url, "where-it-hurts", "region=orbit:left", "headmap_click", FORGED_CLICKS, valid))
    assert not problems, problems
    assert "occiput" not in before and "orbit" in before, before  # forged clicks changed nothing
    assert "occiput" in after, after                               # a real click still marks


def test_forged_diagram_clicks_are_ignored_and_a_real_one_still_counts(url):
    valid = {"selection": {"points": [{"curve_number": 0, "point_number": 0,
                                       "customdata": ["c2-c3-facet-joint"]}]}}
    problems, before, after = run(_click_each(
        url, "pathways", "", "diagram_click", FORGED_CLICKS, valid))
    assert not problems, problems
    assert "source=" not in before, before
    assert "c2-c3-facet-joint" in after, after


async def _previous_with_forged_step(url: str, values):
    s = stclient.Session(url, "present", "step=3")
    problems = []
    try:
        problems += (await s.open()).exceptions
        step = widget(s, "selectbox", "step")
        previous = widget(s, "button", "lesson-previous")
        for value in values:
            forged = WidgetState(id=step.id, string_value=value)
            click = WidgetState(id=previous.id, trigger_value=True)
            result = await s.rerun(states(s, forged, click))
            problems += [f"{value!r}: {e}" for e in result.exceptions]
            if result.status != "FINISHED_SUCCESSFULLY":
                problems.append(f"{value!r}: {result.status}")
        return problems, s.query
    finally:
        await s.close()


def test_previous_with_a_forged_step_does_not_break_the_lesson(url):
    problems, query = run(_previous_with_forged_step(
        url, ["not-a-step", "", "3.5", "-1", "99999", "1e9", "<b>2</b>"]))
    assert not problems, problems
    assert "not-a-step" not in query and "<b>" not in query, query
