"""The pathway diagram and the head-map drawings as the PDF handout prints them: on A4 every
text in them is at least 8 pt, no name meets another (as the placer measures them) and the
handout stays on two pages, in both wordings, for a source, for marked areas and with nothing
marked; on paper the diagram names the route the handout is about and nothing else (the app
shows the whole network), and the head map still shows and names the marked areas."""

from __future__ import annotations

import base64
import io
import re

import pytest
from PIL import Image
from pypdf import PdfReader

from pathways import diagram, headmap
from pathways import handout as H
from pathways.handout.model import MIN_PRINT_PT
from pathways.handout.pictures import (
    DIAGRAM_TEXT,
    HEADMAP_NAMES,
    IMAGE_SCALE,
    print_figures,
    text_sizes,
)
from pathways.vocabulary import SIDES

MARKED = [("orbit", "left"), ("occiput", "left")]
#: (audience, handout arguments) of the sample handouts.
SAMPLES = {
    "patient, marked areas": ("patient", {"regions": MARKED}),
    "patient, a neck joint": ("patient", {"source": "c2-c3-facet-joint", "side": "left"}),
    "patient, a neck artery": ("patient", {"source": "vertebral-artery"}),
    "patient, the brain's lining": ("patient", {"source": "supratentorial-dura"}),
    "patient, nothing marked": ("patient", {}),
    "clinician, a neck joint": ("clinician", {"source": "c2-c3-facet-joint", "side": "left"}),
    "clinician, marked areas": ("clinician", {"regions": MARKED}),
    "clinician, every area marked": ("clinician", {"regions": "every"}),
    "clinician, the brain's lining": ("clinician", {"source": "supratentorial-dura",
                                                    "side": "left"}),
}
PT_PER_MM = 72 / 25.4
#: A4 less the PDF's side margins (mm): the widest a picture can be printed.
TEXT_WIDTH = 210 - 2 * 16


def plain(markup: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", markup.replace("<br>", " ")).split())


def shape_only(figure, fmt="png", *, width=1600, height=900, scale=1.0) -> bytes:
    """Stands in for Kaleido where it cannot run: a blank picture of the same shape (the PDF's
    layout depends only on that)."""
    buffer = io.BytesIO()
    Image.new("RGB", (round(width * scale), round(height * scale)), "white").save(buffer, "PNG")
    return buffer.getvalue()


def printed_widths(data: bytes) -> list[tuple[int, int, float]]:
    """(page, pixel width, printed width in mm) of every picture in a PDF made by fpdf2."""
    out = []
    for number, page in enumerate(PdfReader(io.BytesIO(data)).pages, 1):
        pictures = page["/Resources"].get("/XObject", {})
        content = page.get_contents().get_data().decode("latin-1")
        for width, name in re.findall(r"q ([\d.]+) 0 0 [\d.]+ [\d.]+ [\d.]+ cm /(\w+) Do Q",
                                      content):
            out.append((number, pictures["/" + name].get_object()["/Width"],
                        float(width) / PT_PER_MM))
    return out


@pytest.fixture(scope="module")
def printed(atlas):
    """Each sample handout as the app makes it: (PDF, the handout drawn, its diagram's print
    figure, that picture's logical width in px, every print figure by picture name). Real
    pictures where Kaleido runs here."""
    every = [(r, s) for r in atlas.ids("body-region") for s in SIDES]
    made = {}
    with pytest.MonkeyPatch.context() as patch:
        if not H.add_images(atlas, H.handout_content(atlas, "patient")).images:
            patch.setattr(H.pictures, "figure_image", shape_only)  # no Kaleido here
        for name, (audience, kw) in SAMPLES.items():
            kw = {**kw, "regions": every} if kw.get("regions") == "every" else kw
            data, handout = H.build_pdf_and_handout(atlas, audience, **kw)
            figures = print_figures(atlas, handout)
            figure, (width, _) = figures["diagram"]
            made[name] = (data, handout, figure, width, figures)
    return made


@pytest.mark.parametrize("sample", SAMPLES)
def test_printed_diagram_labels_are_at_least_8_pt_and_the_handout_two_pages(printed, sample):
    data, handout, figure, width, _ = printed[sample]
    assert len(PdfReader(io.BytesIO(data)).pages) <= 2
    assert figure.layout.meta["collisions"] == 0
    shown = [mm for _, px, mm in printed_widths(data) if px == round(width * IMAGE_SCALE)]
    assert len(shown) == 1, printed_widths(data)  # the diagram, printed once
    sizes = {plain(a.text): a.font.size * shown[0] / width * PT_PER_MM
             for a in figure.layout.annotations if a.text}
    smallest = min(sizes, key=sizes.get)
    assert sizes[smallest] >= MIN_PRINT_PT, (
        f"{smallest!r} is {sizes[smallest]:.1f} pt, printed {shown[0]:.0f} mm wide")


@pytest.mark.parametrize("sample", SAMPLES)
def test_printed_head_map_texts_are_at_least_8_pt_and_the_handout_two_pages(printed, sample):
    data, handout, _, _, figures = printed[sample]
    assert len(PdfReader(io.BytesIO(data)).pages) <= 2
    drawings = {n: f for n, f in figures.items() if n.startswith("headmap-")}
    assert bool(drawings) == bool(handout.regions or handout.source), sample
    for name, (figure, (width, _)) in drawings.items():
        assert figure.layout.meta["collisions"] == 0, name
        shown = [mm for _, px, mm in printed_widths(data) if px == round(width * IMAGE_SCALE)]
        assert shown, (name, printed_widths(data))  # printed
        # every text: the area names, the view's title, the side letters and their captions
        texts = [(plain(a.text), size) for a, size in
                 zip((a for a in figure.layout.annotations if a.text), text_sizes(figure))]
        for mm in shown:
            text, size = min(texts, key=lambda t: t[1])
            pt = size * mm / width * PT_PER_MM
            assert pt >= MIN_PRINT_PT, f"{name}: {text!r} is {pt:.1f} pt, printed {mm:.0f} mm wide"


@pytest.mark.parametrize("audience", ["patient", "clinician"])
def test_an_area_marked_on_both_sides_is_named_once_and_nothing_touches(atlas, audience):
    # the front view of both eyes (and the like), with one more area beside them: on paper the
    # pair gets one name; where even that leaves a name without a free place, the drawing
    # names none (the handout's words list the areas) rather than print names over each other
    for region in atlas.ids("body-region"):
        for extra in (None, "orbit", "cheek", "temple"):
            marked = [(region, "left"), (region, "right")] + ([(extra, "left")] if extra else [])
            handout = H.handout_content(atlas, audience, regions=marked, view="front")
            for name, (figure, _) in print_figures(atlas, handout).items():
                if name not in ("headmap-front", "headmap-back"):
                    continue
                assert figure.layout.meta["collisions"] == 0, (name, marked)
                texts = [plain(a.text) for a in figure.layout.annotations
                         if a.xref != "paper" and a.bordercolor]
                assert len(texts) == len(set(texts)), (name, marked, texts)


@pytest.mark.parametrize("sample", [s for s in SAMPLES if "nothing" not in s])
def test_the_html_handout_prints_each_head_map_as_wide_as_its_text_needs(printed, sample):
    # the browser's print of the HTML handout: A4 less its 16 mm margins; a head map may take
    # up to 45 % of that (two side by side), and never less than its narrowest legible width
    from pathways.handout.html import render_html

    _, handout, _, _, figures = printed[sample]
    page = render_html(handout)
    for name in (n for n in figures if n.startswith("headmap-")):
        found = re.findall(r'<img src="data:image/png;base64,([^"]+)" style="width: max\(15rem, '
                           r'(\d+)mm\)"', page)
        widths = [int(mm) for data, mm in found
                  if data == base64.b64encode(handout.images[name]).decode("ascii")]
        assert widths, name
        assert widths[0] >= handout.narrowest[name] - 0.5, name
        assert widths[0] <= 0.45 * TEXT_WIDTH, name  # the stylesheet's cap does not undo it


@pytest.mark.parametrize("sample", [s for s in SAMPLES if "nothing" not in s])
def test_the_printed_head_map_shows_and_names_the_marked_areas(atlas, printed, sample):
    _, handout, _, _, figures = printed[sample]
    if handout.regions:
        states = headmap.region_states(marked=handout.regions)
    else:
        states = headmap.region_states(atlas.referral(handout.source, handout.side))
    shown = set()
    for name, (figure, _) in figures.items():
        if not name.startswith("headmap-"):
            continue
        view = name.removeprefix("headmap-")
        lit = set(states) & set(headmap.regions_in_view(view))
        shown |= lit
        markers = next(t for t in figure.data if t.name == "regions")
        drawn = {tuple(k) for k, size in zip(markers.customdata, markers.marker.size) if size}
        assert drawn == lit, name  # a marker on every lit area, and only there
        filled = {(t.meta["region"], t.meta["side"]) for t in figure.data
                  if t.name.startswith("region:") and t.meta["state"]}
        assert filled == lit, name
        names = {plain(a.text) for a in figure.layout.annotations
                 if a.text and a.bordercolor and a.xref != "paper"}
        wanted = {atlas.name(r, handout.audience, short=True) for r, _ in lit}
        # named in the drawing, unless there are too many to read (the words list them)
        assert names == (wanted if len(lit) <= HEADMAP_NAMES else set()), name
    assert shown == set(states)  # the drawings together show every lit area


def _names(figure, atlas, audience) -> set[str]:
    """The drawn nodes the figure names (a label that is its name, maybe with a note)."""
    texts = {plain(a.text.split("<br><i>")[0]) for a in figure.layout.annotations if a.text}
    return {n for n in diagram.drawn_nodes(atlas)
            if atlas.name(n, audience, short=True) in texts}


@pytest.mark.parametrize("audience", ["patient", "clinician"])
def test_on_paper_the_diagram_names_the_route_and_nothing_else(atlas, audience):
    drawn = diagram.drawn_nodes(atlas)
    for source in atlas.ids("tissue"):
        for side in SIDES:
            handout = H.handout_content(atlas, audience, source=source, side=side)
            figure, (width, _) = print_figures(atlas, handout)["diagram"]
            lit = diagram.highlight(atlas, source, side)
            route = lit["nodes"] | lit["felt_via"] | lit["felt_nodes"]
            assert _names(figure, atlas, audience) == route & set(drawn), (source, side)
            assert figure.layout.meta == {"text_scale": DIAGRAM_TEXT, "collisions": 0}
            # narrow enough for the page at 8 pt, whatever else the handout holds
            smallest = min(a.font.size for a in figure.layout.annotations if a.text)
            assert MIN_PRINT_PT / PT_PER_MM * width / smallest <= TEXT_WIDTH
    # with nothing marked: the convergence (roots, divisions, the way up), not every tissue
    figure, _ = print_figures(atlas, H.handout_content(atlas, audience))["diagram"]
    names = _names(figure, atlas, audience)
    kinds = {atlas.nodes[n].kind for n in names}
    assert {"spinal-root", "trigeminal-division", "nucleus", "thalamic-nucleus",
            "cortex"} <= kinds
    assert not kinds & {"tissue", "peripheral-nerve"}
    assert figure.layout.meta["collisions"] == 0
    captions = " ".join(plain(a.text) for a in figure.layout.annotations if a.text)
    assert "(C1–C3)" in captions and "(V1–V3)" in captions  # the inputs, by group


def test_the_screen_diagram_still_names_every_node(atlas):
    for source in (None, "c2-c3-facet-joint"):
        screen = diagram.build_diagram(atlas, audience="patient", source=source, side="left")
        assert screen.to_dict() == diagram.build_diagram(
            atlas, audience="patient", source=source, side="left", labels="all").to_dict()
        assert _names(screen, atlas, "patient") == set(diagram.drawn_nodes(atlas))
    with pytest.raises(ValueError):
        diagram.build_diagram(atlas, labels="some")
