"""The classroom lesson and the self-check quiz, in three modules of one concern each:

- :mod:`~pathways.lesson.content`: the lesson and quiz files (``assets/content/lesson.yaml``,
  ``quiz.yaml``), their data classes and schemas, loading and checking (:class:`LessonError`
  names the file, the step or question and the field);
- :mod:`~pathways.lesson.figures`: each step's real figure as a plain spec or a ``go.Figure``,
  enlarged for a projector, with its caption, its text description and its sources, and as a
  16:9 slide (:func:`step_slide`, made by :mod:`pathways.slides`);
- :mod:`~pathways.lesson.presenter`: :func:`lesson_html`, the whole lesson as one
  self-contained HTML file that presents offline (its page, CSS and script are templates under
  ``assets/templates/lesson/``).

Everything public is importable from here, as ``from pathways import lesson``; the slide
functions that every page uses (:func:`slide_figure`, :func:`slide_height`,
:func:`slide_image`, :data:`SLIDE_SIZE`) live in :mod:`pathways.slides` and are re-exported
here for the lesson's callers. No Streamlit here.

>>> from pathways import load_atlas
>>> atlas = load_atlas()
>>> lesson = load_lesson()
>>> 8 <= len(lesson.steps) <= 12
True
>>> lesson.steps[0].number, lesson.steps[0].title.get("patient")
(1, 'Pain is made by the brain')
>>> step_figure(atlas, lesson.step("neck-to-head"), "clinician").layout.height > 0
True
>>> 10 <= len(load_quiz().questions) <= 15
True
"""

from . import content, figures, presenter
from ..slides import (
    SLIDE_LAYOUT,
    SLIDE_SCALE,
    SLIDE_SIZE,
    slide_figure,
    slide_height,
    slide_image,
)
from .content import (
    FIGURE_KINDS,
    LESSON_PATH,
    LESSON_SCHEMA,
    QUIZ_PATH,
    QUIZ_SCHEMA,
    FigureSpec,
    Lesson,
    LessonError,
    Question,
    Quiz,
    Step,
    Wording,
    load_lesson,
    load_quiz,
)
from .figures import (
    EMPHASIS_FILL,
    EMPHASIS_RING,
    PAGE_HEIGHT,
    PROJECTOR_TEXT,
    TEXT_FACTOR,
    citation_text,
    figure_caption,
    figure_text,
    page_height,
    page_spec,
    projector_figure,
    projector_spec,
    slide_base,
    step_figure,
    step_slide,
    step_spec,
    warm_step_figures,
)
from .presenter import TEMPLATE_DIR, lesson_html

# Every public name of the modules (each module's __all__ is the one list), and the
# slides' names this package has always offered.
__all__ = [*content.__all__, *figures.__all__, *presenter.__all__,
           "SLIDE_SIZE", "SLIDE_LAYOUT", "SLIDE_SCALE", "slide_figure", "slide_height", "slide_image"]
