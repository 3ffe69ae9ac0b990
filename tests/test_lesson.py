"""The classroom lesson and quiz: their data files, validation messages, figures and exports."""

from __future__ import annotations

import re
import struct

import plotly.graph_objects as go
import plotly.io as pio
import pytest
import yaml

from pathways import AtlasError, DataFileError, diagram, headmap, sensitization
from pathways import lesson as L
from pathways.figcache import check_spec

AUDIENCES = ("patient", "clinician", "educator")


@pytest.fixture(scope="module")
def lesson():
    return L.load_lesson()


@pytest.fixture(scope="module")
def quiz():
    return L.load_quiz()


# ----------------------------------------------------------------------------- the bundled files


def test_the_lesson_has_8_to_12_steps_from_the_brain_to_what_helps(lesson):
    assert 8 <= len(lesson.steps) <= 12
    assert [s.number for s in lesson.steps] == list(range(1, len(lesson.steps) + 1))
    assert lesson.steps[0].id == "pain-is-made-by-the-brain"
    assert lesson.steps[-1].id == "what-helps"
    ids = [s.id for s in lesson.steps]
    for topic in ("upper-neck-nerves", "face-nerve", "meeting-point", "neck-to-head",
                  "felt-in-the-eye", "turned-up", "check-first"):
        assert topic in ids
    assert ids.index("meeting-point") < ids.index("neck-to-head") < ids.index("check-first")


def test_every_step_cites_known_sources_and_has_both_wordings_and_notes(lesson, atlas):
    for step in lesson.steps:
        assert step.citations and set(step.citations) <= set(atlas.references), step.id
        for wording in (step.title, step.body):
            assert wording.patient.strip() and wording.clinician.strip(), step.id
        assert len(step.notes) > 80, step.id


def test_most_steps_reuse_a_real_figure_with_its_part_highlighted(lesson):
    kinds = [s.figure.kind for s in lesson.steps if s.figure]
    assert len(kinds) >= len(lesson.steps) - 2
    assert {"diagram", "headmap", "stimulus-response", "windup"} <= set(kinds)


def test_the_quiz_has_10_to_15_questions_on_every_topic(quiz, lesson, atlas):
    assert 10 <= len(quiz.questions) <= 15
    cited = {k for q in quiz.questions for k in q.citations}
    # convergence, referral, C1, sensitisation, red flags, myths
    for key in ("bartsch-goadsby2002", "lord1994", "elsevier-suboccipital", "woolf2011",
                "do2019-snnoop10", "sjaastad-bakketeig2008"):
        assert key in cited, key
    for q in quiz.questions:
        assert 1 <= q.answer <= len(q.options) and q.correct_option == q.options[q.correct_index]
        assert set(q.citations) <= set(atlas.references)
        assert q.lesson_step is None or lesson.step(q.lesson_step)
    # the right answer is not always in the same place
    assert len({q.answer for q in quiz.questions}) >= 3


def test_patient_wording_reads_at_grade_8_or_lower(lesson, quiz):
    import textstat

    for step in lesson.steps:
        text = f"{step.title.patient}. {step.body.patient}"
        assert textstat.flesch_kincaid_grade(text) <= 8, step.id
    for q in quiz.questions:
        options = [o if o.endswith((".", "?")) else o + "." for o in q.options]
        text = " ".join([q.question, *options, q.explanation])
        assert textstat.flesch_kincaid_grade(text) <= 8, q.id


def test_bundled_files_load_once(lesson):
    assert L.load_lesson() is lesson
    assert L.load_quiz() is L.load_quiz()


# ----------------------------------------------------------------------------- malformed files


@pytest.fixture
def content(tmp_path):
    """Writable copies of the lesson and quiz files."""

    class Content:
        lesson = tmp_path / "lesson.yaml"
        quiz = tmp_path / "quiz.yaml"

        def edit(self, path, change):
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            change(data)
            path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                            encoding="utf-8")

    Content.lesson.write_text(L.LESSON_PATH.read_text(encoding="utf-8"), encoding="utf-8")
    Content.quiz.write_text(L.QUIZ_PATH.read_text(encoding="utf-8"), encoding="utf-8")
    return Content()


def _set(index, *path_and_value):
    *path, value = path_and_value

    def change(data):
        item = data["steps"][index]
        for key in path[:-1]:
            item = item[key]
        item[path[-1]] = value
    return change


@pytest.mark.parametrize("change,where,field,words", [
    (_set(2, "figure", "view", "top"), "step 3 (face-nerve)", "figure.view", "one of: front"),
    (_set(1, "citations", ["bogduk1992", "nobody2020"]), "step 2 (upper-neck-nerves)",
     "citations", "unknown reference key 'nobody2020'"),
    (_set(4, "figure", "source", "c2-c3-facet"), "step 5 (neck-to-head)", "figure.source",
     "did you mean c2-c3-facet-joint"),
    (_set(3, "figure", "emphasis", ["trigeminocervical-nucleus", "occiput"]),
     "step 4 (meeting-point)", "figure.emphasis", "unknown node id 'occiput'"),
    (_set(0, "figure", "level", 0.5), "step 1 (pain-is-made-by-the-brain)", "figure.level",
     "is not used by a 'diagram' figure"),
    (_set(7, "figure", "level", 3), "step 8 (turned-up)", "figure.level", "from 0 to 1"),
    (_set(5, "figure", "kind", "photo"), "step 6 (felt-in-the-eye)", "figure.kind", "one of:"),
    (_set(6, "id", "face-nerve"), "step 7 (face-nerve)", "id", "duplicate id"),
    (_set(8, "colour", "red"), "step 9 (adding-up)", "colour", "is not a known field"),
    (lambda d: d["steps"][9]["body"].pop("patient"), "step 10 (check-first)", "body.patient",
     "is missing"),
    (lambda d: d["steps"][10].pop("citations"), "step 11 (myths)", "citations", "is missing"),
    (_set(11, "notes", ""), "step 12 (what-helps)", "notes", "is not valid"),
])
def test_a_malformed_lesson_names_the_step_and_the_field(content, atlas, change, where, field,
                                                         words):
    content.edit(content.lesson, change)
    with pytest.raises(L.LessonError) as caught:
        L.load_lesson(content.lesson, atlas)
    message = str(caught.value)
    assert message.startswith("lesson.yaml: ")
    assert f"entry '{where}'" in message and f"field '{field}'" in message, message
    assert words in message, message
    # a data-file problem the pages show, but not an atlas error: the atlas is fine
    assert isinstance(caught.value, DataFileError) and not isinstance(caught.value, AtlasError)


def test_a_step_without_an_id_is_named_by_its_number(content, atlas):
    content.edit(content.lesson, lambda d: d["steps"][3].pop("id"))
    with pytest.raises(L.LessonError, match=r"entry 'step 4': field 'id': is missing"):
        L.load_lesson(content.lesson, atlas)


def test_broken_yaml_names_the_line(content, atlas):
    content.lesson.write_text("title: [unclosed\nsteps: []\n", encoding="utf-8")
    with pytest.raises(L.LessonError, match=r"lesson.yaml: entry 'line \d+': field '\(syntax\)'"):
        L.load_lesson(content.lesson, atlas)


def test_a_missing_lesson_file_is_named(tmp_path, atlas):
    with pytest.raises(L.LessonError, match="lesson.yaml: .*missing"):
        L.load_lesson(tmp_path / "lesson.yaml", atlas)


@pytest.mark.parametrize("change,where,field,words", [
    (lambda d: d["questions"][3].update(answer=7), "question 4 (facet-joint-referral)", "answer",
     "there are 4 options"),
    (lambda d: d["questions"][0].update(answer=0), "question 1 (where-signals-meet)", "answer",
     "is not valid"),
    (lambda d: d["questions"][2].update(lesson_step="nowhere"), "question 3 (why-the-eye-hurts)",
     "lesson_step", "unknown lesson step 'nowhere'"),
    (lambda d: d["questions"][5].update(citations=["made-up"]), "question 6 (back-of-head-skin)",
     "citations", "unknown reference key"),
    (lambda d: d["questions"][1].update(options=["Only one"]),
     "question 2 (where-the-signal-goes-next)", "options", "has 1 items"),
])
def test_a_malformed_quiz_names_the_question_and_the_field(content, atlas, lesson, change, where,
                                                           field, words):
    content.edit(content.quiz, change)
    with pytest.raises(L.LessonError) as caught:
        L.load_quiz(content.quiz, atlas, lesson)
    message = str(caught.value)
    assert message.startswith("quiz.yaml: ")
    assert f"entry '{where}'" in message and f"field '{field}'" in message, message
    assert words in message, message


def test_an_educator_can_reorder_steps_without_code(content, atlas):
    content.edit(content.lesson, lambda d: d["steps"].reverse())
    reordered = L.load_lesson(content.lesson, atlas)
    assert reordered.steps[0].id == "what-helps" and reordered.steps[0].number == 1
    assert reordered.number("pain-is-made-by-the-brain") == len(reordered.steps)


# ----------------------------------------------------------------------------- figures


@pytest.mark.parametrize("audience", AUDIENCES)
@pytest.mark.heavy  # a sweep over every state: not in the quick tier
def test_every_step_figure_builds_with_caption_and_text(lesson, atlas, audience):
    for step in lesson.steps:
        fig = L.step_figure(atlas, step, audience)
        assert (fig is None) == (step.figure is None), step.id
        caption = L.figure_caption(atlas, step, audience)
        assert caption.startswith(step.title.get(audience).rstrip("."))
        if fig is not None:
            assert fig.data, step.id
            assert L.figure_text(atlas, step, audience).strip(), step.id


def test_emphasis_draws_a_halo_behind_the_named_nodes_and_no_invitation(lesson, atlas):
    step = lesson.step("meeting-point")
    fig = L.step_figure(atlas, step, "patient")
    halo = fig.data[0]
    assert halo.name == "emphasis"
    pos = diagram.node_positions(atlas)["trigeminocervical-nucleus"]
    assert (halo.x[0], halo.y[0]) == pos
    texts = [a.text or "" for a in fig.layout.annotations]
    assert any(t.startswith("Look at: ") for t in texts)
    assert not any("Tap a square" in t for t in texts)
    assert "Look at: Meeting point" in L.figure_text(atlas, step, "patient").replace("**", "")


def test_a_source_step_lights_its_route_and_keeps_the_play_button(lesson, atlas):
    fig = L.step_figure(atlas, lesson.step("neck-to-head"), "clinician")
    sources = next(t for t in fig.data if t.name == "sources")
    assert ["c2-c3-facet-joint"] in [list(c) for c in sources.customdata]
    assert fig.frames and fig.layout.updatemenus
    assert not L.step_figure(atlas, lesson.step("neck-to-head"), "clinician", animate=False).frames


def test_a_headmap_step_shows_where_it_is_felt_with_a_key(lesson, atlas):
    fig = L.step_figure(atlas, lesson.step("felt-in-the-eye"), "patient")
    fills = {t.name: t.fillcolor for t in fig.data if (t.name or "").startswith("region:")}
    assert fills["region:occiput:left"] != fills["region:cheek:left"]
    keys = " ".join(a.text or "" for a in fig.layout.annotations)
    assert "Striped, diamond marker: sometimes felt here" in keys.replace("<br>", " ")  # the app's words
    assert "common" not in keys


@pytest.mark.parametrize("audience", ("patient", "clinician"))
def test_every_diagram_step_finds_a_free_place_for_every_label(lesson, atlas, audience):
    # at the heights the lesson page asks for: a drawing squeezed to fit its height must not
    # push a tissue name under its column's caption
    for step in lesson.steps:
        if step.figure is None or step.figure.kind != "diagram":
            continue
        for compact, height in ((False, 600), (True, 900)):
            meta = L.step_spec(atlas, step, audience, compact=compact, height=height)["layout"]["meta"]
            assert meta["collisions"] == 0, (step.id, compact)


def test_projector_figure_enlarges_text_and_leaves_the_original_alone(lesson, atlas):
    fig = L.step_figure(atlas, lesson.step("turned-up"), "patient")
    before = fig.layout.font.size
    big = L.projector_figure(fig, 1.5)
    assert big.layout.font.size == pytest.approx(before * 1.5, abs=0.1)
    assert fig.layout.font.size == before


@pytest.mark.parametrize("audience", AUDIENCES)
def test_every_step_spec_is_a_valid_plotly_figure(lesson, atlas, audience):
    for step in lesson.steps:
        for compact in (False, True):
            spec = L.step_spec(atlas, step, audience, compact=compact)
            assert (spec is None) == (step.figure is None), step.id
            if spec is not None:
                check_spec(spec)
                check_spec(L.projector_spec(spec, 1.35))


@pytest.mark.heavy  # a sweep over every state: not in the quick tier
def test_step_figure_and_projector_figure_are_the_specs_as_figures(lesson, atlas):
    for step_id in ("meeting-point", "felt-in-the-eye", "turned-up"):
        step = lesson.step(step_id)
        spec = L.step_spec(atlas, step, "clinician", height=600)
        fig = L.step_figure(atlas, step, "clinician", height=600)
        assert fig.to_dict() == go.Figure(spec).to_dict(), step_id
        assert (L.projector_figure(fig, 1.2).to_dict()
                == go.Figure(L.projector_spec(spec, 1.2)).to_dict()), step_id


def test_projector_spec_enlarges_every_text_and_leaves_its_input_alone():
    spec = {
        "data": [{"type": "scatter", "x": [1, 2], "textfont": {"size": [10, 20]}},
                 {"type": "bar", "x": [1], "textfont": {"size": 10}}],
        "layout": {"annotations": [{"text": "sized", "font": {"size": 20}}, {"text": "unsized"}],
                   "title": {"text": "A title"},
                   "xaxis": {"title": {"text": "x", "font": {"size": 10}},
                             "tickfont": {"size": 10}},
                   "legend": {"y": -0.2, "font": {"size": 10}}, "margin": {"b": 100},
                   "updatemenus": [{"type": "buttons", "font": {"size": 13}}]},
        "frames": [{"data": [{"type": "scatter", "textfont": {"size": 10}}], "traces": [0]}],
    }
    before = pio.to_json(spec, validate=False)
    big = L.projector_spec(spec, 1.5)
    assert pio.to_json(spec, validate=False) == before
    layout = big["layout"]
    assert layout["font"]["size"] == 18.0  # Plotly's default 12, enlarged
    assert [a["font"]["size"] for a in layout["annotations"]] == [30.0, 18.0]
    assert layout["title"]["font"]["size"] == 21.6
    assert layout["xaxis"]["title"]["font"]["size"] == layout["xaxis"]["tickfont"]["size"] == 15.0
    assert layout["legend"]["font"]["size"] == 15.0
    assert layout["legend"]["y"] == pytest.approx(-0.33) and layout["margin"]["b"] == 150
    assert layout["updatemenus"][0]["font"]["size"] == 19.5
    assert big["data"][0]["textfont"]["size"] == [15.0, 30.0]
    assert big["data"][1]["textfont"]["size"] == 15.0
    assert big["frames"][0]["data"][0]["textfont"]["size"] == 15.0
    check_spec(big)


@pytest.mark.heavy  # a sweep over every state: not in the quick tier
def test_step_specs_are_the_callers_own_and_the_stored_specs_stay_unchanged(lesson, atlas,
                                                                            monkeypatch):
    """The builders' stored specs are shared by every page: a lesson step copies them before
    adding its halo, key or height, and its caller may change the copy freely."""
    stored = []  # (the stored spec a step was drawn from, its JSON then)

    def recording(spec):
        def fetch(*args, **kwargs):
            found = spec(*args, **kwargs)
            stored.append((found, pio.to_json(found, validate=False)))
            return found
        return fetch

    for builder in (diagram.build_diagram, headmap.build_head_map,
                    sensitization.stimulus_response_figure, sensitization.windup_figure):
        monkeypatch.setattr(builder, "spec", recording(builder.spec))
    for step in lesson.steps:
        for compact in (False, True):
            spec = L.step_spec(atlas, step, "patient", compact=compact, height=600)
            if spec is None:
                continue
            drawn = pio.to_json(spec, validate=False)
            L.projector_spec(spec, 1.5)
            assert pio.to_json(spec, validate=False) == drawn, step.id
            spec["layout"].get("annotations", []).clear()  # the caller's to change
            for trace in spec["data"]:
                trace["name"] = "changed"
                trace.get("marker", {}).clear()
            for frame in spec.get("frames", ()):
                frame["data"].clear()
    kinds = {s.figure.kind for s in lesson.steps if s.figure}
    assert len(stored) >= 2 * len(kinds)
    for found, then in stored:
        assert pio.to_json(found, validate=False) == then
    fresh = L.step_spec(atlas, lesson.step("meeting-point"), "patient", height=600)
    assert fresh["data"][0]["name"] == "emphasis" and fresh["layout"]["annotations"]


def test_slide_figure_adds_caption_and_sources_at_16_by_9(lesson, atlas):
    step = lesson.step("neck-to-head")
    slide = L.step_slide(atlas, step, "patient")
    # 16:9; the diagram with its warning caption needs more room than 1152 x 648 gives it, so
    # its canvas is larger (rendered at the same 1920 x 1080, below)
    assert slide.layout.width * 9 == slide.layout.height * 16
    assert slide.layout.width >= L.SLIDE_LAYOUT[0]
    assert L.step_slide(atlas, lesson.step("meeting-point"), "clinician").layout.height == \
        L.SLIDE_LAYOUT[1]
    assert L.SLIDE_LAYOUT[0] * L.SLIDE_SCALE == 1920 and L.SLIDE_LAYOUT[1] * L.SLIDE_SCALE == 1080
    names = {a.name: a.text for a in slide.layout.annotations if a.name}
    assert names["caption"].replace("<br>", " ") == L.figure_caption(atlas, step, "patient")
    assert names["sources"] == "Sources: Lord et al. 1994; Bogduk et al. 1986; Fukui et al. " \
                               "1996; Cooper et al. 2007."
    assert not slide.frames and not slide.layout.updatemenus


def test_a_slide_keeps_a_chart_key_clear_of_the_sources_under_it(lesson, atlas):
    # the sensitisation charts' key sits at the foot of the figure (container-anchored): the
    # sources band added under it must not be drawn over it
    for step_id in ("turned-up", "adding-up"):
        for audience in ("patient", "clinician"):
            slide = L.step_slide(atlas, lesson.step(step_id), audience)
            sources = next(a for a in slide.layout.annotations if a.name == "sources")
            band_top = slide.layout.margin.b + sources.yshift  # px above the bottom edge
            assert slide.layout.legend.yref == "container"
            assert slide.layout.legend.y * slide.layout.height >= band_top, (step_id, audience)


def test_slide_figure_escapes_its_text_and_copies_the_figure(atlas):
    import plotly.graph_objects as go

    original = go.Figure(layout=dict(height=400, title=dict(text="Own title")))
    slide = L.slide_figure(original, "A <b>bold</b> caption", "Source: <i>x</i>")
    assert "&lt;b&gt;" in slide.layout.annotations[0].text
    assert slide.layout.title.text is None and original.layout.title.text == "Own title"
    assert original.layout.width is None


def test_slide_images_are_svg_and_a_1920_by_1080_png(lesson, atlas):
    from pathways.export import ExportUnavailable

    slide = L.step_slide(atlas, lesson.step("turned-up"), "clinician")
    grown = L.step_slide(atlas, lesson.step("neck-to-head"), "patient")  # a larger canvas
    try:
        svg = L.slide_image(slide, "svg")
        png = L.slide_image(slide, "png")
        grown_png = L.slide_image(grown, "png")
    except ExportUnavailable as error:  # no browser on this machine
        pytest.skip(str(error))
    assert svg.lstrip()[:5] in (b"<svg ", b"<?xml")
    assert b"Sources: Woolf 2011" in svg
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", png[16:24]) == (1920, 1080)
    assert struct.unpack(">II", grown_png[16:24]) == (1920, 1080)


# ----------------------------------------------------------------------------- HTML export


@pytest.fixture(scope="module")
def pages(atlas):
    return {audience: L.lesson_html(atlas, audience) for audience in ("patient", "educator")}


def test_the_lesson_html_holds_every_step_title_and_figure(pages, lesson):
    for audience, page in pages.items():
        for step in lesson.steps:
            assert f">{step.title.get(audience)}</h1>" in page.replace("&#x27;", "'")
            assert f'id="step-{step.number}"' in page
        figures = sum(1 for s in lesson.steps if s.figure)
        diagrams = sum(1 for s in lesson.steps if s.figure and s.figure.kind == "diagram")
        assert page.count('data-figure="') == figures
        assert page.count('data-figure-small="') == diagrams  # phones get the small layout
        assert page.count('type="application/json"') == figures + diagrams


def test_the_lesson_html_is_self_contained_with_one_plotly_bundle(pages):
    from plotly.offline import get_plotlyjs

    head = get_plotlyjs()[:200]
    for page in pages.values():
        assert page.count(head) == 1
        for tag in re.findall(r"<(?:script|link|img|iframe|source)\b[^>]*>", page, re.I):
            assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", tag, re.I), tag
        assert "ArrowRight" in page and "location.hash" in page


def test_speaker_notes_are_only_in_the_educator_html(pages, lesson):
    first_words = lesson.steps[0].notes.split(":")[0][:40]
    assert "Speaker notes" in pages["educator"]
    assert "Speaker notes" not in pages["patient"]
    assert first_words.split("*")[0] in pages["educator"]


def test_the_lesson_html_escapes_hostile_text(content, atlas):
    hostile = "<script>alert(1)</script>"
    image = '<img src=x onerror="alert(2)">'

    def change(data):
        data["title"]["clinician"] = hostile
        data["steps"][0]["title"]["clinician"] = hostile
        data["steps"][0]["body"]["clinician"] = image
        data["steps"][0]["notes"] = f"**{hostile}** and {image}"
    content.edit(content.lesson, change)
    page = L.lesson_html(atlas, "educator", L.load_lesson(content.lesson, atlas))
    assert hostile not in page and image not in page and "<img" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "onerror=&quot;alert(2)&quot;" in page
    # nothing in the figure data can close its <script> element
    for block in re.findall(r'<script type="application/json"[^>]*>(.*?)</script>', page, re.S):
        assert "<" not in block


def test_the_lesson_html_carries_the_red_flag_warning(pages, lesson, atlas):
    step = lesson.step("check-first")
    section = pages["patient"].split(f'id="step-{step.number}"')[1].split("</section>")[0]
    assert 'class="warning"' in section
    assert pages["patient"].count('class="warning"') == sum(
        1 for s in lesson.steps if s.figure and s.figure.source
        and atlas.nodes[s.figure.source].red_flag)
