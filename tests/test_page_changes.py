"""Page changes carry a choice across pages without failing: a source chosen on the head map
("A part of the neck or face"), then a link to the sensitisation page, sent over the app's own
websocket protocol the way the browser sends a page change (the page's script hash and the
current widget values). The sensitisation page once got no source then and failed (found by
./bench/run --hall)."""

from __future__ import annotations

import bench.stclient as stclient
from bench.pages import SAMPLE_LINKS
from tests.test_deploy_limits import run, served


def widget(session, key: str):
    found = [w for w in session.widgets.values() if w.id.endswith(f"-{key}")]
    assert found, f"no widget with key {key!r}"
    return found[0]


async def _head_map_source_then_sensitisation(url: str):
    s = stclient.Session(url, "where-it-hurts", "")
    try:
        await s.open()
        await s.rerun(s.next_change(widget(s, "mode")), s.changed_fragment)
        source = widget(s, "source")
        await s.rerun(s.next_change(source), s.changed_fragment)
        chosen = s.values[source.id].string_value
        result = await s.goto("sensitization", SAMPLE_LINKS["sensitization"])
        shown = widget(s, "source").proto
        # the value the server set on the widget (set_value), else its default
        value = (shown.raw_value if shown.set_value else
                 shown.options[shown.default] if shown.HasField("default") else None)
        return chosen, result, value
    finally:
        await s.close()


def test_a_source_chosen_on_the_head_map_opens_on_the_sensitisation_page():
    with served() as (url, _):
        chosen, result, shown = run(_head_map_source_then_sensitisation(url))
    assert not result.exceptions, result.exceptions
    assert result.status == "FINISHED_SUCCESSFULLY"
    assert chosen and shown == chosen  # the choice came along
