"""Every label of every figure state, measured in Chromium: no two labels overlap and none is
cut off by the figure's edge.

Each state (the convergence diagram with no source and with each source lit, the head map's
views and layers, the sensitisation charts, the lesson steps in both text sizes, the end of
the diagram's animation) is opened in the running app at desktop (1280×800), projector
(1920×1080) and phone (390×844, a phone's user agent) sizes, in patient and clinician words.
The boxes come from the rendered SVG (``getBoundingClientRect`` of every ``text`` element of
the figure, and of the animation's button), so they are what the reader sees, in the font
the browser really drew. The smallest label size met is reported (``-s`` shows the table;
``FIGURE_LABEL_REPORT=path`` writes it as JSON).
"""

from __future__ import annotations

import json
import os
import re

import pytest

from pathways import load_atlas
from pathways.lesson import load_lesson
from tests.browser.conftest import open_app, wait_idle
from tests.browser.label_boxes import overlaps_and_outside

PHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
         "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1")
SIZES = {"desktop": ({"width": 1280, "height": 800}, None),
         "projector": ({"width": 1920, "height": 1080}, None),
         "phone": ({"width": 390, "height": 844}, PHONE)}
AUDIENCES = ("patient", "clinician")
#: The smallest label size allowed on screen (CSS px).
MIN_PX = 11.0

MEASURE = """(chart) => {
  const root = chart.querySelector('.svg-container');
  if (!root) return null;
  const a = root.getBoundingClientRect(), c = chart.getBoundingClientRect();
  const frame = {x0: Math.max(a.left, c.left), y0: Math.max(a.top, c.top),
                 x1: Math.min(a.right, c.right), y1: Math.min(a.bottom, c.bottom)};
  const seen = el => {
    for (let n = el; n && n !== root; n = n.parentElement) {
      const s = getComputedStyle(n);
      if (s.display === 'none' || s.visibility === 'hidden' || +s.opacity === 0) return false;
    }
    return true;
  };
  const labels = [];
  for (const el of root.querySelectorAll('svg.main-svg text')) {
    if (el.closest('.hoverlayer')) continue;
    const lines = el.querySelectorAll('tspan.line');
    const text = (lines.length ? [...lines].map(t => t.textContent).join(' ')
                  : el.textContent || '').replace(/\\s+/g, ' ').trim();
    if (!text || !seen(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.width < 0.5 || r.height < 0.5) continue;
    const button = el.closest('.updatemenu-button');
    labels.push({text, x0: r.left, y0: r.top, x1: r.right, y1: r.bottom,
                 px: parseFloat(getComputedStyle(el).fontSize),
                 group: button ? 'button:' + button.textContent.trim() : null});
  }
  for (const el of root.querySelectorAll('.updatemenu-button')) {
    if (!seen(el)) continue;
    const r = el.getBoundingClientRect();
    labels.push({text: '[button] ' + el.textContent.trim(), x0: r.left, y0: r.top,
                 x1: r.right, y1: r.bottom, px: null,
                 group: 'button:' + el.textContent.trim()});
  }
  return {frame, labels};
}"""


def problems(measured: dict) -> dict:
    """Overlapping pairs, labels outside the figure and the smallest size, from one chart's
    boxes."""
    labels = measured["labels"]
    overlaps, outside = overlaps_and_outside(measured)
    sizes = [a["px"] for a in labels if a.get("px")]
    return {"labels": len(labels), "overlaps": overlaps, "outside": outside,
            "min_px": min(sizes) if sizes else None,
            "small": sorted({a["text"] for a in labels if a.get("px") and a["px"] < MIN_PX})}


REPORT: list[dict] = []


@pytest.fixture(scope="module", autouse=True)
def _report():
    yield
    if not REPORT:
        return
    print("\nfigure labels: state | labels | overlaps | outside | smallest px")
    for row in REPORT:
        print(f"  {row['state']} | {row['labels']} | {len(row['overlaps'])} | "
              f"{len(row['outside'])} | {row['min_px']}")
    print(f"  total: {sum(len(r['overlaps']) for r in REPORT)} overlaps, "
          f"{sum(len(r['outside']) for r in REPORT)} cut off, smallest "
          f"{min((r['min_px'] for r in REPORT if r['min_px']), default=None)} px, "
          f"{sum(len(r['small']) for r in REPORT)} labels under {MIN_PX:g} px")
    path = os.environ.get("FIGURE_LABEL_REPORT")
    if path:
        with open(path, "w", encoding="utf-8") as out:
            json.dump(REPORT, out, indent=1, ensure_ascii=False)


@pytest.fixture(scope="module")
def contexts(browser):
    made = {}

    def get(size: str):
        if size not in made:
            viewport, agent = SIZES[size]
            made[size] = browser.new_context(viewport=viewport, user_agent=agent) if agent \
                else browser.new_context(viewport=viewport)
        return made[size]

    yield get
    for context in made.values():
        context.close()


def settle(page) -> None:
    """Wait for the script run to finish and for Plotly to have drawn every chart."""
    wait_idle(page)
    page.wait_for_function("""() => [...document.querySelectorAll("[data-testid='stPlotlyChart']")]
        .every(c => c.querySelector('.svg-container .main-svg'))""", timeout=30_000)
    page.wait_for_timeout(250)  # Plotly's resize and font layout


def measure(page, state: str, findings: list, which: int | None = None) -> None:
    """Measure every chart on the page (or chart number ``which``); add a row per chart."""
    charts = page.locator("[data-testid='stPlotlyChart']")
    indices = range(charts.count()) if which is None else [which]
    for i in indices:
        chart = charts.nth(i)
        chart.scroll_into_view_if_needed()
        measured = chart.evaluate(MEASURE)
        if measured is None:
            continue
        row = {"state": f"{state} #{i}", **problems(measured)}
        REPORT.append(row)
        if row["overlaps"] or row["outside"] or row["small"]:
            findings.append(row)


def choose(page, label: str, option: str) -> None:
    """Choose ``option`` in the select box labelled ``label``."""
    box = page.locator("[data-testid='stSelectbox']").filter(has_text=label).first
    field = box.locator("input")
    field.click()
    wanted = page.locator("[role='option']").filter(
        has_text=re.compile(f"^{re.escape(option)}$")).first
    try:
        wanted.wait_for(timeout=2_000)
    except Exception:  # the list shows only what matches the current value: type the option
        field.fill(option)
    wanted.click()
    settle(page)


def summary(findings: list) -> str:
    return "\n".join(
        f"{f['state']}: overlaps {f['overlaps']}; cut off {f['outside']}; "
        f"under {MIN_PX:g} px {f['small']}" for f in findings)


CASES = [(size, audience) for size in SIZES for audience in AUDIENCES]


@pytest.mark.parametrize(("size", "audience"), CASES)
def test_diagram_labels_in_every_source_state(contexts, app_url, size, audience):
    atlas = load_atlas()
    page = contexts(size).new_page()
    findings: list = []
    try:
        open_app(page, app_url, "pathways", audience=audience)
        settle(page)
        measure(page, f"diagram {size} {audience} no source", findings)
        label = ("Where does the signal start?" if audience == "patient"
                 else "Source structure")
        for source in atlas.ids("tissue"):
            choose(page, label, atlas.name(source, audience))
            measure(page, f"diagram {size} {audience} {source}", findings)
        # the end of the animation (wide: "Felt in ..." written beside the pulse at the cortex)
        page.locator(".js-plotly-plot").first.evaluate(
            "gd => gd.on('plotly_animatingframe', e => { gd.dataset.frame = e.name; })")
        page.locator(".updatemenu-button").first.click()
        page.wait_for_function(
            "() => document.querySelector('.js-plotly-plot').dataset.frame === 'felt'",
            timeout=30_000)
        page.wait_for_timeout(800)  # the last transition
        if size != "phone":
            assert page.evaluate("""() => [...document.querySelectorAll('.textpoint text')]
                .some(t => /(Felt in|Referred to)/.test(t.textContent))""")
        measure(page, f"diagram {size} {audience} animation end", findings, which=0)
    finally:
        page.close()
    assert not findings, summary(findings)


@pytest.mark.parametrize(("size", "audience"), CASES)
def test_head_map_labels_in_every_view_and_layer(contexts, app_url, size, audience):
    page = contexts(size).new_page()
    findings: list = []
    views = {"front": "Front", "left": "Left side", "right": "Right side", "back": "Back"}
    layers = {"none": "No layer", "trigeminal": "Face nerve areas (V1, V2, V3)",
              "cervical-nerves": "Neck nerve areas (named nerves)",
              "dermatomes": "C2 and C3 dermatomes"}
    try:
        open_app(page, app_url, "where-it-hurts", audience=audience,
                 source="c2-c3-facet-joint")
        settle(page)
        for layer, layer_name in layers.items():
            if layer != "none":
                choose(page, "Layer", layer_name)
            for view, view_name in views.items():
                page.locator("[data-testid='stButtonGroup'] button").filter(
                    has_text=view_name).first.click()
                settle(page)
                measure(page, f"head map {size} {audience} {view} {layer}", findings, which=0)
    finally:
        page.close()
    assert not findings, summary(findings)


@pytest.mark.parametrize(("size", "audience"), CASES)
def test_sensitisation_chart_labels(contexts, app_url, size, audience):
    page = contexts(size).new_page()
    findings: list = []
    try:
        for level, modulation in (("0.3", "0"), ("0.9", "-0.6"), ("0", "0.8")):
            open_app(page, app_url, "sensitization", audience=audience, level=level,
                     modulation=modulation)
            settle(page)
            measure(page, f"sensitisation {size} {audience} s={level} m={modulation}",
                    findings)
    finally:
        page.close()
    assert not findings, summary(findings)


@pytest.mark.parametrize(("size", "audience"), CASES)
def test_lesson_figure_labels_at_both_text_sizes(contexts, app_url, size, audience):
    steps = load_lesson().steps
    page = contexts(size).new_page()
    findings: list = []
    try:
        for text in ("large", "standard"):
            open_app(page, app_url, "present", audience=audience)
            settle(page)
            if text == "standard":
                page.locator("[data-testid='stButtonGroup'] button").filter(
                    has_text="Standard").first.click()
                settle(page)
            for number, step in enumerate(steps, 1):
                if number > 1:
                    page.locator(".st-key-lesson-next button").filter(visible=True).first.click()
                    settle(page)
                if step.figure is not None:
                    measure(page, f"lesson {size} {audience} {text} step {number} {step.id}",
                            findings, which=0)
    finally:
        page.close()
    assert not findings, summary(findings)
