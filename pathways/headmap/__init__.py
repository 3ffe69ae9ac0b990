"""Head-map figure builder: an anatomical line drawing of the head, face and upper neck
in four views (front, back, left, right) with clickable pain regions and optional
nerve / dermatome overlays.

No Streamlit: :mod:`.geometry` loads the drawing once from ``assets/headmap/geometry.json``,
:mod:`.drawing` builds the figure as a plain Plotly spec, :mod:`.description` says it in
words. Shared words come from ``ui.yaml`` (:mod:`pathways.wording`).

View conventions (also written on the drawing):

* ``front``  - facing the viewer: the person's RIGHT side is on the viewer's LEFT.
* ``back``   - seen from behind: the person's LEFT side is on the viewer's LEFT.
* ``right``  - the person's right profile; the face points to the viewer's RIGHT.
* ``left``   - the person's left profile; the face points to the viewer's LEFT.

Coordinates: vertex-to-chin = 100 units, y up.  Sides are ``"left"`` / ``"right"``
and always mean the person's own side.
"""

from .description import text_equivalent

from .drawing import (
    DEFAULT_OVERLAY_LABELS,
    DESIGN_WIDTH,
    STATES,
    build_head_map,
    region_states,
)
from .geometry import (
    GEOMETRY_PATH,
    OVERLAY_GROUPS,
    OVERLAY_IDS,
    REGION_IDS,
    SIDES,
    VIEWS,
    axis_ranges,
    overlay_polygons,
    overlays_in_view,
    point_in_polygon,
    region_centres,
    region_polygons,
    regions_in_view,
)

__all__ = [
    "text_equivalent",
    "GEOMETRY_PATH",
    "DEFAULT_OVERLAY_LABELS",
    "DESIGN_WIDTH",
    "OVERLAY_GROUPS",
    "OVERLAY_IDS",
    "REGION_IDS",
    "SIDES",
    "STATES",
    "VIEWS",
    "axis_ranges",
    "build_head_map",
    "overlay_polygons",
    "overlays_in_view",
    "point_in_polygon",
    "region_centres",
    "region_polygons",
    "region_states",
    "regions_in_view",
]
