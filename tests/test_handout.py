"""The take-home handout: content, the PDF (pages, text, pictures, fit) and the HTML file."""

from __future__ import annotations

import builtins
import io
import re
import tempfile

import pytest
from PIL import Image
from pypdf import PdfReader

from pathways import UnknownIdError
from pathways import handout as H
from pathways.export import ExportUnavailable
from pathways.guidance import load_guidance, load_notes
from pathways.handout.model import reference_text
from pathways.handout.pictures import choose_views

PATIENT = dict(regions=[("orbit", "left"), ("occiput", "left")])
CLINICIAN = dict(source="c2-c3-facet-joint", side="left")


def flat(text: str) -> str:
    return " ".join(text.replace("**", "").split())


def pdf_pages(data: bytes) -> tuple[PdfReader, list[str]]:
    reader = PdfReader(io.BytesIO(data))
    return reader, [flat(page.extract_text()) for page in reader.pages]


def white_png(figure, fmt="png", *, width=1600, height=900, scale=1.0) -> bytes:
    """Stands in for Kaleido: a blank picture of the requested shape."""
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def fake_pictures(monkeypatch):
    monkeypatch.setattr(H.pictures, "figure_image", white_png)


@pytest.fixture(scope="module")
def export_works() -> bool:
    import plotly.graph_objects as go

    from pathways.export import figure_image

    try:
        figure_image(go.Figure(), width=20, height=20)
    except ExportUnavailable:
        return False
    return True


@pytest.fixture(scope="module")
def real_handouts(atlas, export_works):
    """The two worked examples, built as the app would (real pictures when possible)."""
    return {name: H.build_pdf_and_handout(atlas, audience, **kw)
            for name, audience, kw in (("patient", "patient", PATIENT),
                                       ("clinician", "clinician", CLINICIAN))}


# --------------------------------------------------------------------------------- content


def test_patient_content_has_the_map_candidates_warning_help_and_references(atlas):
    h = H.handout_content(atlas, "patient", **PATIENT)
    kinds = [s.kind for s in h.sections]
    assert kinds[0] == "warning" and "figure" in kinds
    text = flat(" ".join(p for s in h.sections for p in s.paragraphs))
    assert flat(load_notes()["urgent_care"].text) in text
    assert flat(load_guidance().care_of("c2-c3-facet-joint").wording.patient) in text
    assert "possibilities, not a diagnosis" in text
    for group in atlas.candidates_for(PATIENT["regions"]):
        assert atlas.name(group[0].source, "patient") in text
    # strength words say where the pain goes, never how common the source is
    assert "usually felt here" in text and "sometimes felt here" in text
    assert "common)" not in text and "typical" not in text
    assert h.captions.keys() == {"headmap-left", "diagram"}
    assert "left" in h.captions["headmap-left"]
    assert h.images == {}
    assert len(h.references) == len(set(h.references)) > 5
    assert [t for t, _ in h.formatted_references] == [
        reference_text(atlas.references[k]) for k in h.references]
    assert h.footer == (H.FOOTER, "Nothing about you was stored by the app.")


def test_every_citation_is_in_the_numbered_reference_list(atlas):
    for audience, kw in (("patient", PATIENT), ("clinician", CLINICIAN), ("educator", {})):
        h = H.handout_content(atlas, audience, **kw)
        cited = {k for s in h.sections for k in s.citations}
        assert cited <= set(h.references)
        numbers = [int(n) for s in h.sections for p in s.paragraphs
                   for n in re.findall(r"\[(\d+)", p)]
        assert all(1 <= n <= len(h.references) for n in numbers)


def test_red_flags_are_kept_even_when_the_candidate_list_is_shortened(atlas):
    for detail in range(5):
        h = H.handout_content(atlas, "patient", detail=detail, **PATIENT)
        warning = flat(" ".join(h.sections[0].paragraphs))
        assert flat(load_guidance().warning("vertebral-artery").patient) in warning


def test_shortened_text_says_how_many_more_the_app_lists(atlas):
    full = H.handout_content(atlas, "patient", **PATIENT)
    short = H.handout_content(atlas, "patient", detail=2, **PATIENT)
    text = flat(" ".join(p for s in short.sections for p in s.paragraphs))
    hidden = len(atlas.candidates_for(PATIENT["regions"])) - 3
    assert f"The app lists {hidden} more possible causes" in text
    assert len(short.references) < len(full.references)


def test_clinician_source_content_uses_clinical_words_and_the_referral(atlas):
    h = H.handout_content(atlas, "clinician", **CLINICIAN)
    assert h.title == "Referral pattern: C2–C3 zygapophysial (facet) joint (left)"
    text = flat(" ".join(p for s in h.sections for p in s.paragraphs))
    for r in atlas.referral("c2-c3-facet-joint", "left"):
        assert atlas.name(r.region, "clinician").lower() in text.lower()
    assert "typical" in text and "common" not in text
    assert "Evidence (typical)" in text
    assert h.footer[1] == "Nothing about the patient was stored by the app."
    assert set(h.captions) == {"diagram", "headmap-left"}


def test_without_regions_or_source_it_explains_convergence(atlas):
    h = H.handout_content(atlas, "patient")
    text = flat(" ".join(p for s in h.sections for p in s.paragraphs))
    assert atlas.nodes["trigeminocervical-nucleus"].description["patient"] in text
    assert set(h.captions) == {"diagram"}


def test_educators_read_the_clinical_wording(atlas):
    h = H.handout_content(atlas, "educator")
    usual = flat(load_guidance().usual.clinician)
    assert usual in flat(" ".join(p for s in h.sections for p in s.paragraphs))


def test_a_midline_source_is_explained_once_for_both_sides(atlas):
    h = H.handout_content(atlas, "patient", source="c2-c3-disc")
    items = next(s for s in h.sections if s.kind == "list").paragraphs
    assert all("(left and right)" in item for item in items)


def test_unknown_ids_and_sides_are_refused_never_printed(atlas):
    with pytest.raises(UnknownIdError):
        H.handout_content(atlas, regions=[("<script>alert(1)</script>", "left")])
    with pytest.raises(UnknownIdError):
        H.handout_content(atlas, source="orbit")  # a region is not a source
    with pytest.raises(ValueError):
        H.handout_content(atlas, regions=[("orbit", "up")])
    with pytest.raises(ValueError):
        H.handout_content(atlas, audience="<b>")


def test_the_map_uses_as_few_drawings_as_show_every_marked_area():
    assert choose_views([("orbit", "left"), ("occiput", "left")]) == ("left",)
    assert choose_views([("cheek", "right")]) == ("right",)
    both = choose_views([("orbit", "left"), ("orbit", "right"), ("occiput", "right")])
    assert len(both) == 2


def test_patient_text_reads_at_grade_8_or_lower(atlas):
    import textstat

    cases = [PATIENT, CLINICIAN, dict(source="vertebral-artery"), dict(source="c2-c3-disc"), {},
             dict(regions=[("forehead", "right")]),
             dict(regions=[(r, s) for r in atlas.ids("body-region") for s in ("left", "right")])]
    for kw in cases:
        h = H.handout_content(atlas, "patient", **kw)
        assert textstat.flesch_kincaid_grade(f"{h.title}. {h.subtitle}") <= 8, h.title
        for section in h.sections:
            text = flat(" ".join(section.paragraphs))
            assert textstat.flesch_kincaid_grade(text) <= 8, (kw, section.heading, text)
        for caption in h.captions.values():
            assert textstat.flesch_kincaid_grade(caption) <= 8, caption


# --------------------------------------------------------------------------------- PDF


def test_patient_pdf_parses_and_has_the_marked_areas_candidates_warning_and_sources(
        atlas, real_handouts, export_works):
    data, h = real_handouts["patient"]
    reader, pages = pdf_pages(data)
    assert 1 <= len(pages) <= 2
    text = " ".join(pages)
    assert "Eye and around the eye (left)" in text and "Back of the head (left)" in text
    for group in atlas.candidates_for(PATIENT["regions"])[:3]:
        assert atlas.name(group[0].source, "patient") in text
    assert flat(load_notes()["urgent_care"].text) in text
    assert flat(load_guidance().warning("vertebral-artery").patient) in text  # its red flag
    for key in h.references:
        assert flat(atlas.references[key].title.rstrip(".")) in text, key
    for page in pages:
        assert "Education, not diagnosis." in page and "Nothing about you was stored" in page
    links = [a["/A"]["/URI"] for page in reader.pages for a in page.get("/Annots", [])
             if a.get_object().get("/A", {}).get("/URI")]
    assert "https://doi.org/10.1212/WNL.0000000000006697" in links
    if export_works:
        assert sum(len(page.images) for page in reader.pages) == len(h.images) == 2
        assert H.NO_PICTURES not in text
    else:
        assert H.NO_PICTURES in text


def test_clinician_pdf_fits_two_pages_with_the_diagram_and_map(atlas, real_handouts,
                                                                 export_works):
    data, h = real_handouts["clinician"]
    reader, pages = pdf_pages(data)
    assert 1 <= len(pages) <= 2
    text = " ".join(pages)
    assert "Referral pattern: C2–C3 zygapophysial (facet) joint (left)" in text
    assert "occipital region (left)" in text.lower() and "Left lateral view." in text
    assert "Nothing about the patient was stored by the app." in text
    if export_works:
        assert sum(len(page.images) for page in reader.pages) == 2


def test_body_text_is_at_least_11_pt(atlas, real_handouts):
    data, h = real_handouts["patient"]
    reader = PdfReader(io.BytesIO(data))
    runs: list[tuple[str, float]] = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            runs.extend((word, size * tm[0]) for word in text.split())

    for page in reader.pages:
        page.extract_text(visitor_text=visit)
    words = [w for w, _ in runs]
    for section in h.sections:
        if section.kind in ("text", "list", "warning") and section.paragraphs:
            body = flat(section.paragraphs[-1]).split()
            start = next(i for i in range(len(words)) if words[i:i + 6] == body[:6])
            assert min(size for _, size in runs[start:start + len(body)]) >= 11, section.heading


def test_pdf_without_pictures_says_so_plainly(atlas, monkeypatch):
    def unavailable(*args, **kwargs):
        raise ExportUnavailable("no browser")

    monkeypatch.setattr(H.pictures, "figure_image", unavailable)
    data = H.build_pdf(atlas, "patient", **PATIENT)
    reader, pages = pdf_pages(data)
    assert 1 <= len(pages) <= 2
    assert H.NO_PICTURES in " ".join(pages)
    assert sum(len(page.images) for page in reader.pages) == 0
    assert "Back of the head (left)" in " ".join(pages)
    page = H.build_html(atlas, "patient", **PATIENT)
    assert H.NO_PICTURES in page and "<img" not in page


def test_pdf_with_images_off_has_no_notice_and_no_pictures(atlas):
    reader, pages = pdf_pages(H.build_pdf(atlas, "clinician", images=False, **CLINICIAN))
    assert H.NO_PICTURES not in " ".join(pages)
    assert sum(len(page.images) for page in reader.pages) == 0


def _region_sets(atlas):
    every = [(r, s) for r in atlas.ids("body-region") for s in ("left", "right")]
    return [PATIENT["regions"], [("jaw", "right")], [("forehead", "left"), ("temple", "right")],
            every]


def test_every_source_fits_two_pages_for_clinicians(atlas, fake_pictures):
    for tissue in atlas.ids("tissue"):  # the side changes only the side words
        pages = len(PdfReader(io.BytesIO(H.build_pdf(atlas, "clinician", source=tissue))).pages)
        assert 1 <= pages <= 2, (tissue, pages)


@pytest.mark.parametrize("audience", ["patient", "clinician", "educator"])
def test_marked_areas_fit_two_pages_even_when_every_area_is_marked(atlas, fake_pictures,
                                                                   audience):
    for regions in _region_sets(atlas):
        pages = len(PdfReader(io.BytesIO(H.build_pdf(atlas, audience, regions=regions))).pages)
        assert 1 <= pages <= 2, (audience, regions, pages)
    assert len(PdfReader(io.BytesIO(H.build_pdf(atlas, audience))).pages) <= 2


def test_patient_sources_with_red_flags_fit(atlas, fake_pictures):
    for tissue in ("vertebral-artery", "c2-c3-disc", "supratentorial-dura"):
        reader, pages = pdf_pages(H.build_pdf(atlas, "patient", source=tissue))
        assert 1 <= len(pages) <= 2
        if atlas.nodes[tissue].red_flag:
            assert flat(load_guidance().warning(tissue).patient) in " ".join(pages)


def test_the_pdf_is_date_free_and_the_same_every_time(atlas):
    from datetime import date

    first, h = H.build_pdf_and_handout(atlas, "patient", images=False, **PATIENT)
    assert first == H.build_pdf(atlas, "patient", images=False, **PATIENT)
    reader, pages = pdf_pages(first)
    text = " ".join(pages)
    # A cited paper may be from this year: every year shown must come from the handout's own
    # words (its references), and today's date must not be shown in any usual form.
    words = flat(" ".join([h.title, h.subtitle, *h.footer,
                           *(p for s in h.sections for p in s.paragraphs),
                           *(t for t, _ in h.formatted_references)]))
    year = r"\b(?:19|20)\d\d\b"
    assert set(re.findall(year, text)) <= set(re.findall(year, words))
    today = date.today()
    for shown in (today.isoformat(), f"{today.day} {today:%B %Y}", f"{today:%d %B %Y}",
                  f"{today:%B} {today.day}, {today.year}", f"{today:%d/%m/%Y}",
                  f"{today:%m/%d/%Y}", f"{today:%d.%m.%Y}"):
        assert shown not in text
    # the metadata's only date is the fixed one fpdf2 uses for reproducible output
    assert {k: v for k, v in reader.metadata.items() if "Date" in k} == {
        "/CreationDate": "D:19691231190000Z"}


def test_nothing_is_written_to_disk(atlas, monkeypatch):
    real_open = builtins.open

    def read_only_open(file, mode="r", *args, **kwargs):
        if any(flag in mode for flag in "wax+"):
            raise AssertionError(f"tried to write {file!r}")
        return real_open(file, mode, *args, **kwargs)

    def no_temp(*args, **kwargs):
        raise AssertionError("tried to make a temporary file")

    monkeypatch.setattr(builtins, "open", read_only_open)
    monkeypatch.setattr(io, "open", read_only_open)
    for name in ("mkstemp", "mkdtemp", "NamedTemporaryFile", "TemporaryFile",
                 "SpooledTemporaryFile", "TemporaryDirectory"):
        monkeypatch.setattr(tempfile, name, no_temp)
    assert H.build_pdf(atlas, "patient", images=False, **PATIENT).startswith(b"%PDF")
    assert H.build_html(atlas, "patient", images=False, **PATIENT).startswith("<!DOCTYPE html>")


def test_without_dejavu_the_core_font_gets_latin1_safe_text(atlas, monkeypatch):
    monkeypatch.setattr(H.pdf, "_fonts", lambda: None)
    reader, pages = pdf_pages(H.build_pdf(atlas, "clinician", images=False, **CLINICIAN))
    assert 1 <= len(pages) <= 2
    assert "C2-C3 zygapophysial" in " ".join(pages)


# --------------------------------------------------------------------------------- HTML


def test_html_is_one_self_contained_file(atlas, fake_pictures):
    page = H.build_html(atlas, "patient", **PATIENT)
    assert page.startswith("<!DOCTYPE html>") and "Content-Security-Policy" in page
    assert "<script" not in page.lower() and "<link" not in page.lower()
    assert "@import" not in page and "url(" not in page
    sources = re.findall(r'src="([^"]*)"', page)
    assert len(sources) == 2 and all(s.startswith("data:image/png;base64,") for s in sources)
    hrefs = re.findall(r'href="([^"]*)"', page)
    assert hrefs and all(h.startswith("https://") for h in hrefs)
    assert "@media print" in page
    for text in ("Eye and around the eye (left)", H.FOOTER, "Nothing about you was stored"):
        assert text in page


def test_html_escapes_hostile_atlas_text(atlas_copy):
    def hostile_region(regions):
        for region in regions:
            if region["id"] == "orbit":
                region["label"] = '<script>alert("x")</script> Eye'

    def hostile_reference(references):
        for ref in references:
            if ref["key"] == "do2019-snnoop10":
                ref["title"] = "Flags <img src=x onerror=alert(1)>"
                ref["doi"] = '10.1212/"><script>alert(2)</script>'

    atlas_copy.edit("regions.yaml", hostile_region)
    atlas_copy.edit("references.yaml", hostile_reference)
    hostile = atlas_copy.load()
    page = H.build_html(hostile, "patient", images=False, regions=[("orbit", "left")])
    assert "<script" not in page.lower() and "<img" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Eye" in page
    assert "Flags &lt;img src=x onerror=alert(1)&gt;" in page
    assert 'href="https://doi.org/10.1212/"' not in page  # an unsafe address gets no link
    text = " ".join(pdf_pages(H.build_pdf(hostile, "patient", images=False,
                                          regions=[("orbit", "left")]))[1])
    assert '<script>alert("x")</script> Eye' in text  # shown as text, harmless in a PDF


# --------------------------------------------------------------------------------- pictures


def test_pictures_share_one_browser_which_can_be_closed_and_restarted(export_works):
    import plotly.graph_objects as go

    from pathways import export

    if not export_works:
        pytest.skip("no browser for Kaleido on this machine")
    figure = go.Figure(go.Scatter(x=[0, 1], y=[1, 0]))
    assert export.figure_image(figure, width=60, height=40)[:8] == b"\x89PNG\r\n\x1a\n"
    assert export.renderer_is_open()
    assert export.figure_image(figure, "svg", width=60, height=40).startswith(b"<svg")
    export.close_renderer()
    assert not export.renderer_is_open()
    assert export.figure_image(figure, width=60, height=40)[:4] == b"\x89PNG"
