"""An illustrative model of central sensitisation in one wide-dynamic-range (WDR) neuron of the
trigeminocervical nucleus.

Illustrative model, not patient data. It shows the *shape* of what the literature describes
(Woolf 2011; Latremoliere & Woolf 2009; Bartsch & Goadsby 2002, 2003; Staud et al. 2007;
Schwedt et al. 2015; Heinricher et al. 2009). Numbers are anchored to a cited source where one
gives a number; every other number is a documented, illustrative choice. Each parameter names
its source or says it is a choice (:data:`PARAMETER_SOURCES`).

Two settings drive everything:

* ``s`` – sensitisation level, 0 (none) to 1 (strong, like the state after a strong conditioning
  stimulus of the dura in the animal studies).
* ``m`` – descending modulation from the brainstem, −1 (strong inhibition) to +1 (strong
  facilitation); 0 is neutral.

What the model gives:

1. :func:`pain_rating` – a sigmoid stimulus–response curve (intensity 0–10 → rating 0–10).
   Sensitisation shifts it left (allodynia: touch now hurts) and makes it steeper and higher
   (hyperalgesia: what hurt hurts more). :func:`pain_threshold` is the intensity at which the
   rating first reaches 1 out of 10.
2. :func:`windup_train` – temporal summation (wind-up) along a train of identical stimuli: growth
   when stimuli come every ≤3 s (≥0.33 Hz), none when they come every ≥6 s (≤0.17 Hz), as in
   healthy volunteers (Staud 2007); the carry-over lengthens with sensitisation, so a
   sensitised neuron also summates at intervals up to 5.5 s (fibromyalgia: 2–5 s, Staud 2001).
3. :func:`spread_rings` / :func:`spread_referrals` – enlarged receptive fields: pain may be felt
   in neighbouring regions (ring 1), then their neighbours (ring 2). :func:`felt_with_spread`
   is where a source's pain may be felt at a level: the atlas's referrals, then the spread.
4. Descending modulation: inhibition lowers and facilitation raises the rating at every intensity.

Figures (:func:`stimulus_response_figure`, :func:`windup_figure`) and their text equivalents are
pure functions of the model.

>>> round(pain_rating(3, 0, 0), 2), round(pain_rating(3, 1, 0), 2)
(0.17, 2.75)
>>> pain_threshold(1, 0) < pain_threshold(0.25, 0) < pain_threshold(0, 0)
True
>>> [round(r, 1) for r in windup_train(0.17, 4, 0.5, 0)] == [round(windup_train(0.17, 1, 0.5, 0)[0], 1)] * 4
True
>>> spread_rings(0), spread_rings(0.5), spread_rings(1)
(0, 1, 2)
"""

from . import description, figures, model, spread
from .description import text_equivalent_stimulus_response, text_equivalent_windup
from .figures import DESIGN_WIDTH, stimulus_response_figure, windup_figure
from .model import (
    CELSIUS_PER_UNIT,
    COMPARISON_RATE_HZ,
    DEFAULT_PARAMETERS,
    ILLUSTRATIVE_NOTE,
    PARAMETER_SOURCES,
    STIMULUS_BANDS,
    ModelParameters,
    pain_rating,
    pain_threshold,
    spread_rings,
    stimulus_response_summary,
    windup_carryover,
    windup_factors,
    windup_summary,
    windup_tau,
    windup_train,
)
from .spread import felt_with_spread, spread_referrals, spread_regions

# Every public name of the modules: each module's __all__ is the one list.
__all__ = description.__all__ + figures.__all__ + model.__all__ + spread.__all__
