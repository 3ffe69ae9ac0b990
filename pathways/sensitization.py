"""An illustrative model of central sensitisation in one wide-dynamic-range (WDR) neuron of the
trigeminocervical nucleus.

Illustrative model, not patient data. It shows the *shape* of what the literature describes
(Woolf 2011; Latremoliere & Woolf 2009; Bartsch & Goadsby 2002, 2003; Staud et al. 2007;
Schwedt et al. 2015; Heinricher et al. 2009). Numbers are anchored to the fact sheet
(``clinical-facts.md`` §1.3, §6.5) where a number exists; every other number is a documented,
illustrative choice (see :data:`PARAMETER_SOURCES`).

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

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace

import numpy as np

from .vocabulary import AFFERENT, NUCLEUS, TERRITORY, Referral
from .audience import check_audience
from .figcache import memoized_figure
from .wording import load_ui

__all__ = [
    "ILLUSTRATIVE_NOTE",
    "ModelParameters",
    "DEFAULT_PARAMETERS",
    "PARAMETER_SOURCES",
    "CELSIUS_PER_UNIT",
    "STIMULUS_BANDS",
    "COMPARISON_RATE_HZ",
    "pain_rating",
    "pain_threshold",
    "windup_carryover",
    "windup_tau",
    "windup_factors",
    "windup_train",
    "spread_rings",
    "spread_regions",
    "spread_referrals",
    "felt_with_spread",
    "stimulus_response_summary",
    "windup_summary",
    "stimulus_response_figure",
    "windup_figure",
    "text_equivalent_stimulus_response",
    "text_equivalent_windup",
]

ILLUSTRATIVE_NOTE = "Illustrative model, not patient data."

#: Mapping of the heat-pain anchor onto the 0–10 intensity scale: the "painful" band (6→10) is
#: taken to span the usual heat-pain testing range, from about 45 °C (normal heat-pain threshold:
#: Schwedt 2015 controls 44.8–45.1 °C) to a ~50 °C thermode cut-off (an assumption, not from the
#: fact sheet): 5 °C over 4 units, i.e. 1.25 °C per unit.
CELSIUS_PER_UNIT = 1.25

#: Stimulus bands on the 0–10 intensity scale: (start, end, patient words, clinical words).
STIMULUS_BANDS = (
    (0.0, 3.0, "light touch", "innocuous (light touch)"),
    (3.0, 6.0, "firm pressure", "firm pressure"),
    (6.0, 10.0, "painful", "noxious"),
)

#: The comparison rate of the wind-up figure: Staud et al. 2007 saw no summation at 0.17 Hz.
COMPARISON_RATE_HZ = 0.17

#: Rating that defines the pain threshold (the first intensity rated at least this, out of 10).
THRESHOLD_RATING = 1.0


def _logit(p: float) -> float:
    return math.log(p / (1 - p))


@dataclass(frozen=True)
class ModelParameters:
    """Named, documented parameters of the illustrative WDR-neuron model.

    Intensities are on the 0–10 scale (0–3 light touch, 3–6 firm pressure, 6–10 painful);
    ratings are 0–10. The curve is ``rating = min(10, 10 · G · σ(k · (I − I50)))`` with
    ``I50 = i50_normal − left_shift · s − modulation_shift · m``,
    ``k = slope_normal · (1 + slope_gain · s)`` and ``G = 1 + gain_sensitized · s + gain_modulation · m``.
    """

    # ---- stimulus–response (Woolf 2011; Latremoliere & Woolf 2009: left shift + gain increase)
    i50_normal: float = 7.5
    """Intensity of the half-maximal rating with no sensitisation (illustrative). With
    ``slope_normal`` it puts the normal pain threshold (rating 1/10) at 5.1, just below the
    painful band, light touch (3) at 0.2/10 and a painful 8 at 6.1/10."""
    slope_normal: float = 0.9
    """Steepness of the normal curve, per intensity unit (illustrative)."""
    mild_level: float = 0.35
    """Sensitisation level taken to represent mild, interictal sensitisation (migraine between
    attacks, Schwedt 2015). Illustrative choice."""
    mild_threshold_shift: float = 0.11
    """Fall of the pain threshold at ``mild_level``, as a fraction of the 0–10 scale (0.11 →
    1.1 units). Anchor: interictal heat-pain threshold 1.2–1.6 °C lower in migraine
    (Schwedt 2015: head 43.9 vs 45.1 °C, arm 43.2 vs 44.8 °C); midpoint 1.4 °C ÷
    :data:`CELSIUS_PER_UNIT` (1.25 °C per unit) = 1.12 units ≈ 0.11 of the scale. The left
    shift of the curve per unit ``s`` is derived from it (:attr:`left_shift`)."""
    slope_gain: float = 0.2
    """Relative increase in steepness at s = 1 (hyperalgesia; illustrative). Must stay below
    ``left_shift / (i50_normal + modulation_shift)`` so ratings never fall as s rises."""
    gain_sensitized: float = 0.2
    """Relative increase in the curve's height at s = 1 (hyperalgesia: 'responses are larger in
    amplitude', Woolf 2011; size illustrative)."""

    # ---- descending modulation (Heinricher 2009: bidirectional ON/OFF-cell control; no numbers)
    modulation_shift: float = 1.0
    """Shift of the curve (intensity units) at m = ±1: full facilitation moves the threshold
    about as much as mild sensitisation does (illustrative; Heinricher 2009 gives no size)."""
    gain_modulation: float = 0.15
    """Relative change in the curve's height at m = ±1 (illustrative)."""

    # ---- temporal summation (Staud 2007: summation at ≥0.33 Hz, not at 0.17 Hz, in healthy
    # volunteers; Staud 2001: in fibromyalgia, summation at intervals of 2–5 s)
    windup_tau_s: float = 4.5
    """Decay time constant (s) of the facilitation left by one stimulus, with no
    sensitisation. The next stimulus adds to it only while more than 1/e of it remains, i.e. if
    the inter-stimulus interval is shorter than τ: boundary 1/4.5 s = 0.22 Hz, between 0.17 Hz
    (interval 5.9 s: no summation) and 0.33 Hz (3.0 s: summation), as Staud et al. 2007
    observed in 11 healthy volunteers (heat pulses to the foot)."""
    windup_tau_sensitized_s: float = 5.5
    """Decay time constant (s) at s = 1; τ rises linearly from ``windup_tau_s`` (s = 0). In
    fibromyalgia, repeated heat pulses rose to painful levels at intervals of 2–5 s, while in
    controls pain was rarely evoked beyond 2 s (Staud et al. 2001): sensitised people summate
    at longer intervals. 5.5 s keeps a 5 s interval (0.2 Hz) summating at s = 1 and stays below
    the 5.9 s of 0.17 Hz, where no study shows summation. Illustrative within those bounds."""
    windup_increment: float = 2.0
    """Facilitation each stimulus adds, as a fraction of the first response (illustrative)."""
    windup_sensitized: float = 1.0
    """Relative increase of that facilitation at s = 1 ('enhanced temporal summation', Woolf
    2011; size illustrative)."""

    # ---- spread (Bartsch & Goadsby 2003: receptive fields enlarged in 71% of neurons)
    receptive_field_fraction: float = 0.71
    """Share of trigeminocervical neurons whose trigeminal and cervical receptive fields
    enlarged after dural stimulation (Bartsch & Goadsby 2003, 29 C2 neurons, rat). s = 1 stands
    for that state; the share is quoted in the spread referrals' evidence."""
    ring_onsets: tuple[float, ...] = (0.4, 0.7)
    """Sensitisation level at which each neighbour ring is added: ring 1 (regions touching the
    usual ones) from s = 0.4, ring 2 from s = 0.7. Mild sensitisation (``mild_level``, 0.35)
    does not spread yet. Illustrative; no study gives a dose–response for field size."""

    def __post_init__(self):
        if not 0 < self.mild_level <= 1:
            raise ValueError("mild_level must be in (0, 1]")
        if list(self.ring_onsets) != sorted(self.ring_onsets) or not all(
                0 < x <= 1 for x in self.ring_onsets):
            raise ValueError("ring_onsets must be increasing values in (0, 1]")
        if not 0 <= self.gain_modulation < 1 or self.slope_normal <= 0:
            raise ValueError("gain_modulation must be in [0, 1) and slope_normal positive")
        if not 0 < self.windup_tau_s <= self.windup_tau_sensitized_s:
            raise ValueError("windup_tau_sensitized_s must be at least windup_tau_s (> 0): "
                             "sensitisation lengthens the carry-over, never shortens it")
        if self.slope_gain * (self.i50_normal + self.modulation_shift) > self.left_shift:
            raise ValueError("slope_gain too large for left_shift: ratings at low intensity "
                             "would fall as sensitisation rises")

    @property
    def left_shift(self) -> float:
        """Left shift of the curve (intensity units) per unit of s, derived so that the
        threshold falls by exactly ``mild_threshold_shift`` of the scale at ``mild_level``."""
        s = self.mild_level
        k0, k1 = self.slope_normal, self.slope_normal * (1 + self.slope_gain * s)
        g0, g1 = 1.0, 1 + self.gain_sensitized * s
        wanted = 10 * self.mild_threshold_shift
        # threshold(s) = I50(s) + logit(0.1 / G) / k  (see pain_threshold)
        return (wanted + _logit(0.1 / g1) / k1 - _logit(0.1 / g0) / k0) / s


DEFAULT_PARAMETERS = ModelParameters()

#: Field name → (citation keys, one-line justification). Keys are from references.yaml.
PARAMETER_SOURCES: dict[str, tuple[tuple[str, ...], str]] = {
    "i50_normal": (("woolf2011", "latremoliere-woolf2009"),
                   "Sigmoid stimulus–response of a WDR neuron; midpoint illustrative, placing the "
                   "normal pain threshold near the start of the painful band."),
    "slope_normal": (("chudler1991",),
                     "WDR neurons grade their response from innocuous to noxious input; "
                     "steepness illustrative."),
    "mild_level": (("schwedt2015",),
                   "Interictal migraine taken as mild sensitisation; level illustrative."),
    "mild_threshold_shift": (("schwedt2015",),
                             "Heat-pain threshold 1.2–1.6 °C lower between attacks; 1.4 °C at "
                             "1.25 °C per unit = 0.11 of the scale."),
    "slope_gain": (("woolf2011", "latremoliere-woolf2009"),
                   "Hyperalgesia: a steeper curve after sensitisation; size illustrative."),
    "gain_sensitized": (("woolf2011",),
                        "Responses larger in amplitude after central sensitisation; size "
                        "illustrative."),
    "modulation_shift": (("heinricher2009",),
                         "PAG–RVM OFF-cells inhibit and ON-cells facilitate; size illustrative."),
    "gain_modulation": (("heinricher2009",),
                        "Descending control sets the gain of trigeminal/dorsal-horn processing; "
                        "size illustrative."),
    "windup_tau_s": (("staud2007",),
                     "Summation at ≥0.33 Hz but not 0.17 Hz in healthy volunteers: a 4.5 s decay "
                     "puts the boundary at 0.22 Hz, between the two."),
    "windup_tau_sensitized_s": (("staud2001", "staud2007"),
                                "In fibromyalgia, summation to painful levels at 2–5 s intervals: "
                                "τ lengthens to 5.5 s at s = 1 (boundary 0.18 Hz), still short of "
                                "0.17 Hz."),
    "windup_increment": (("staud2007",),
                         "Summation of second pain along a train; size illustrative."),
    "windup_sensitized": (("woolf2011",),
                          "Enhanced temporal summation is a sign of central sensitisation; size "
                          "illustrative."),
    "receptive_field_fraction": (("bartsch-goadsby2003-brain",),
                                 "Receptive fields enlarged in 71% of C2 neurons after dural "
                                 "stimulation."),
    "ring_onsets": (("bartsch-goadsby2003-brain", "woolf2011"),
                    "Receptive-field expansion (spread of the pain area); levels illustrative."),
}
assert set(PARAMETER_SOURCES) == {f.name for f in fields(ModelParameters)}


# --------------------------------------------------------------------------------- helpers


def _check_level(s: float, name: str = "s", low: float = 0.0) -> float:
    s = float(s)
    if not low <= s <= 1 or math.isnan(s):
        raise ValueError(f"{name} must be between {low:g} and 1, not {s!r}")
    return s


def _check_audience(audience: str) -> str:
    return check_audience(audience)


def _sigmoid(x):
    return 0.5 * (1 + np.tanh(0.5 * x))  # numerically stable logistic


def _curve(s: float, m: float, p: ModelParameters) -> tuple[float, float, float]:
    """(I50, steepness k, height G) of the stimulus–response curve."""
    i50 = p.i50_normal - p.left_shift * s - p.modulation_shift * m
    k = p.slope_normal * (1 + p.slope_gain * s)
    g = 1 + p.gain_sensitized * s + p.gain_modulation * m
    return i50, k, g


# --------------------------------------------------------------------------------- 1. curve


def pain_rating(intensity, s: float = 0.0, m: float = 0.0,
                params: ModelParameters = DEFAULT_PARAMETERS):
    """Pain rating (0–10) for a stimulus of ``intensity`` (0–10; values outside are clipped),
    at sensitisation ``s`` (0–1) and descending modulation ``m`` (−1…1).

    Accepts a number (returns a float) or an array (returns an array). The rating never falls
    when intensity or ``s`` rises, and rises strictly with ``m`` below the 10/10 ceiling.
    """
    s, m = _check_level(s), _check_level(m, "m", -1.0)
    i50, k, g = _curve(s, m, params)
    x = np.clip(np.asarray(intensity, dtype=float), 0.0, 10.0)
    rating = np.minimum(10.0, 10.0 * g * _sigmoid(k * (x - i50)))
    return float(rating) if rating.ndim == 0 else rating


def pain_threshold(s: float = 0.0, m: float = 0.0,
                   params: ModelParameters = DEFAULT_PARAMETERS) -> float:
    """The intensity at which the rating first reaches 1 out of 10 (clipped to 0–10): where
    pain starts. It falls as ``s`` rises (and as ``m`` rises)."""
    s, m = _check_level(s), _check_level(m, "m", -1.0)
    i50, k, g = _curve(s, m, params)
    target = THRESHOLD_RATING / (10 * g)
    return float(min(10.0, max(0.0, i50 + _logit(target) / k)))


# --------------------------------------------------------------------------------- 2. wind-up


def windup_tau(s: float = 0.0, params: ModelParameters = DEFAULT_PARAMETERS) -> float:
    """Decay time constant τ (s) of the wind-up facilitation at sensitisation ``s``: 4.5 s at
    s = 0 (healthy volunteers, Staud 2007), lengthening linearly to 5.5 s at s = 1 (summation
    at longer intervals in fibromyalgia, Staud 2001).

    >>> windup_tau(0), windup_tau(1)
    (4.5, 5.5)
    """
    s = _check_level(s)
    return params.windup_tau_s + (params.windup_tau_sensitized_s - params.windup_tau_s) * s


def windup_carryover(rate_hz: float, params: ModelParameters = DEFAULT_PARAMETERS, *,
                     s: float = 0.0) -> float:
    """Share of the facilitation carried to the next stimulus, 0–1, at sensitisation ``s``.

    Facilitation decays as exp(−t/τ), with τ from :func:`windup_tau` (longer when sensitised).
    Only the part above the 1/e criterion counts, so the carry-over is 0 whenever the interval
    is at least τ (4.5 s at s = 0, i.e. rates ≤ 0.22 Hz; 5.5 s at s = 1, rates ≤ 0.18 Hz).

    >>> windup_carryover(0.2), windup_carryover(0.2, s=1) > 0
    (0.0, True)
    """
    rate_hz = float(rate_hz)
    if not rate_hz > 0 or math.isinf(rate_hz):
        raise ValueError(f"rate_hz must be a positive number, not {rate_hz!r}")
    remaining = math.exp(-1.0 / (rate_hz * windup_tau(s, params)))
    criterion = math.exp(-1.0)
    return max(0.0, (remaining - criterion) / (1 - criterion))


def windup_factors(rate_hz: float, n_stimuli: int, s: float = 0.0,
                   params: ModelParameters = DEFAULT_PARAMETERS) -> list[float]:
    """The neuron's response along the train relative to the first (1.0 first, unclipped)."""
    s = _check_level(s)
    if int(n_stimuli) != n_stimuli or n_stimuli < 1:
        raise ValueError(f"n_stimuli must be a whole number ≥ 1, not {n_stimuli!r}")
    carry = windup_carryover(rate_hz, params, s=s)
    increment = params.windup_increment * (1 + params.windup_sensitized * s)
    facilitation, out = 0.0, []
    for _ in range(int(n_stimuli)):
        out.append(1.0 + facilitation)
        facilitation = (facilitation + increment) * carry
    return out


def windup_train(rate_hz: float, n_stimuli: int, s: float = 0.0, m: float = 0.0,
                 intensity: float = 4.5, params: ModelParameters = DEFAULT_PARAMETERS
                 ) -> list[float]:
    """Pain ratings (0–10) along a train of ``n_stimuli`` identical stimuli at ``rate_hz``.

    The first rating is :func:`pain_rating` (intensity, s, m); each later one is that times the
    wind-up factor (:func:`windup_factors`), capped at 10. Ratings grow along the train at
    ≥ 0.33 Hz and stay flat at ≤ 0.17 Hz (any rate ≤ 1/τ = 0.22 Hz); the growth is larger
    when ``s`` is higher (in proportion always, in points until the 10/10 ceiling).
    """
    first = pain_rating(intensity, s, m, params)
    return [min(10.0, first * f) for f in windup_factors(rate_hz, n_stimuli, s, params)]


# --------------------------------------------------------------------------------- 3. spread


def spread_rings(s: float, params: ModelParameters = DEFAULT_PARAMETERS) -> int:
    """How many rings of neighbouring regions are added at sensitisation ``s`` (0 at s = 0)."""
    s = _check_level(s)
    return sum(s >= onset for onset in params.ring_onsets)


def spread_regions(atlas, base_regions: Sequence[str], rings: int) -> list[tuple[str, str, int]]:
    """Regions reached from ``base_regions`` through ``rings`` rings of region neighbours, as
    (region, the neighbour it was reached from, ring number), ring by ring in atlas order."""
    seen = set(base_regions)
    frontier = [r for r in dict.fromkeys(base_regions)]
    out = []
    for ring in range(1, rings + 1):
        found = {}
        for parent in frontier:
            for region in atlas.nodes[parent].neighbours:
                if region not in seen and region not in found:
                    found[region] = parent
        order = sorted(found, key=list(atlas.nodes).index)
        out += [(region, found[region], ring) for region in order]
        seen.update(found)
        frontier = order
    return out


def _lower(name: str) -> str:
    return name[:1].lower() + name[1:] if name[1:2].islower() else name


def _chain(atlas, afferent: str) -> set[str]:
    """The afferent and everything its signals pass through on the way in (nucleus excluded)."""
    seen, todo = {afferent}, [afferent]
    while todo:
        for _, b, d in atlas.graph.out_edges(todo.pop(), data=True):
            if d["relation"] in AFFERENT and b not in seen and b != NUCLEUS:
                seen.add(b)
                todo.append(b)
    return seen


def _felt_via(atlas, source: str, region: str, base: Sequence[Referral]) -> str:
    """The afferent whose skin territory a spread region is read as. Preference: one the
    source's own signal travels in; then one sharing a root or division with that route; then
    one of the source's group (cervical for upper-neck sources, trigeminal otherwise); then one
    already used by the usual referrals; then atlas order."""
    order = list(atlas.nodes)
    used = {r.felt_via for r in base}
    cervical_source = atlas.group(source) == "upper-neck"
    candidates = [a for a, _, d in atlas.graph.in_edges(region, data=True)
                  if d["relation"] in TERRITORY and atlas.converges(a)]

    def rank(afferent):
        route, chain = set(atlas.route(source, afferent)), _chain(atlas, afferent)
        cervical = any(atlas.nodes[n].kind == "spinal-root" for n in chain)
        return (afferent not in route, not chain & route, cervical != cervical_source,
                afferent not in used, order.index(afferent))

    return min(candidates, key=rank) if candidates else ""


def spread_referrals(atlas, source: str, base: Sequence[Referral], level: float,
                     params: ModelParameters = DEFAULT_PARAMETERS) -> list[Referral]:
    """Extra referrals (``spread=True``, strength 'possible') for regions reached through
    enlarged receptive fields at sensitisation ``level``: ring 1 = neighbours of the usual
    regions, ring 2 = their neighbours, and so on (:func:`spread_rings`).

    Each has ``felt_via`` = an afferent supplying that region's skin and ``path`` = the inbound
    route from ``source`` to the nucleus, then (felt_via, region). Sides are copied from
    ``base[0]`` (:func:`felt_with_spread` passes one side's referrals at a time). The regions
    at a level always include those at every lower level; at level 0 there are none.
    """
    rings = spread_rings(level, params)
    if not rings or not base:
        return []
    template = base[0]
    out = []
    for region, parent, ring in spread_regions(atlas, [r.region for r in base], rings):
        felt_via = _felt_via(atlas, source, region, base)
        if not felt_via:
            continue
        path = (*atlas.route(source, felt_via), felt_via, region)
        evidence = (
            f"Illustrative, not patient data: with central sensitisation, neurons in the "
            f"trigeminocervical nucleus answer to a larger area of skin (receptive fields "
            f"enlarged in {params.receptive_field_fraction:.0%} of neurons after the dura was "
            f"stimulated in rats; Bartsch & Goadsby 2003). So pain may spread to the "
            f"{_lower(atlas.name(region))}, next to the {_lower(atlas.name(parent))} "
            f"(ring {ring}).")
        out.append(replace(
            template, region=region, strength="possible", path=path, felt_via=felt_via,
            citations=atlas.path_citations(path, ("bartsch-goadsby2003-brain", "woolf2011")),
            evidence=evidence, spread=True))
    return out


def felt_with_spread(atlas, source: str, side: str = "right", level: float = 0.0,
                     params: ModelParameters = DEFAULT_PARAMETERS) -> list[Referral]:
    """Where pain from ``source`` may be felt at sensitisation ``level`` (0–1): the atlas's
    referrals (:meth:`~pathways.atlas.Atlas.referral`), then the regions that enlarged
    receptive fields add (:func:`spread_referrals`, marked ``spread=True``), each side of a
    midline source on its own, in the atlas's order.

    >>> from pathways import load_atlas
    >>> atlas = load_atlas()
    >>> felt_with_spread(atlas, "c2-c3-facet-joint", "left", 0) == atlas.referral("c2-c3-facet-joint", "left")
    True
    >>> [r.region for r in felt_with_spread(atlas, "c2-c3-facet-joint", "left", 0.5) if r.spread][:2]
    ['vertex', 'temple']
    """
    usual = atlas.referral(source, side)
    if not level:
        return usual
    spread = [r for s in dict.fromkeys(r.side for r in usual)
              for r in spread_referrals(atlas, source, [u for u in usual if u.side == s], level,
                                        params)]
    return atlas.ranked([*usual, *spread])


# --------------------------------------------------------------------------------- summaries


def _r(x: float) -> float:
    return round(float(x), 1)


def stimulus_response_summary(s: float, m: float = 0.0,
                              params: ModelParameters = DEFAULT_PARAMETERS) -> dict:
    """Key numbers for the stimulus–response figure and its text (rounded to 0.1)."""
    now = lambda i: pain_rating(i, s, m, params)  # noqa: E731
    normal = lambda i: pain_rating(i, 0, 0, params)  # noqa: E731
    t_now, t_normal = pain_threshold(s, m, params), pain_threshold(0, 0, params)
    return {
        "s": s, "m": m,
        "threshold": _r(t_now), "threshold_normal": _r(t_normal),
        "threshold_shift_fraction": round((t_normal - t_now) / 10, 3),
        "touch_3": _r(now(3)), "touch_3_normal": _r(normal(3)),
        "pressure_5": _r(now(5)), "pressure_5_normal": _r(normal(5)),
        "painful_8": _r(now(8)), "painful_8_normal": _r(normal(8)),
        "allodynia": bool(t_now < t_normal and now(min(t_normal, 10)) >= THRESHOLD_RATING
                          and t_now < 10),
        "rings": spread_rings(s, params),
    }


def windup_summary(s: float, m: float = 0.0, rate_hz: float = 0.33, n_stimuli: int = 10,
                   intensity: float = 4.5, params: ModelParameters = DEFAULT_PARAMETERS) -> dict:
    """Key numbers for the wind-up figure and its text (rounded to 0.1)."""
    train = windup_train(rate_hz, n_stimuli, s, m, intensity, params)
    slow = windup_train(COMPARISON_RATE_HZ, n_stimuli, s, m, intensity, params)
    return {
        "rate_hz": rate_hz, "interval_s": _r(1 / rate_hz), "n_stimuli": n_stimuli,
        "intensity": intensity, "first": _r(train[0]), "last": _r(train[-1]),
        "slow_first": _r(slow[0]), "slow_last": _r(slow[-1]),
        "growth": _r(train[-1] - train[0]), "slow_growth": _r(slow[-1] - slow[0]),
        "boundary_hz": round(1 / windup_tau(s, params), 2),
        "tau_s": round(windup_tau(s, params), 2),
    }


# --------------------------------------------------------------------------------- figures

OKABE_ITO = {"orange": "#E69F00", "sky": "#56B4E9", "green": "#009E73", "yellow": "#F0E442",
             "blue": "#0072B2", "vermillion": "#D55E00", "purple": "#CC79A7", "black": "#000000"}
FONT_SIZE = 18

_WORDS = {
    "patient": {
        "x": "How strong the touch or pressure is (0 to 10)",
        "y": "How much it hurts (0 to 10)",
        "markers": "Where pain starts: ■ usual, ◆ now",
        "normal": "Usual nervous system", "now": "Now (sensitisation {s:.1f} of 1)",
        "allodynia": "Touch now hurts", "hyperalgesia": "What hurt hurts more",
        "threshold": "Pain starts here (1 out of 10)",
        "title": "How the same touch can hurt more",
        "wx": "Tap number in a row of the same taps", "wy": "How much it hurts (0 to 10)",
        "wtitle": "Repeated taps: the pain can build up",
    },
    "clinician": {
        "x": "Stimulus intensity (0–10; illustrative scale)",
        "y": "Pain rating (NRS 0–10)",
        "normal": "Baseline (s = 0, m = 0)", "now": "Current (s = {s:.2f}, m = {m:+.2f})",
        "allodynia": "Allodynia", "hyperalgesia": "Hyperalgesia",
        "threshold": "Pain threshold (NRS 1)",
        "markers": "Threshold: ■ baseline, ◆ current",
        "title": "Stimulus–response curve of a WDR neuron (trigeminocervical nucleus)",
        "wx": "Stimulus number in the train", "wy": "Pain rating (NRS 0–10)",
        "wtitle": "Temporal summation (wind-up) depends on stimulus rate",
    },
}
_WORDS["educator"] = {**_WORDS["clinician"],
                      "allodynia": "Allodynia: touch now hurts",
                      "hyperalgesia": "Hyperalgesia: what hurt hurts more",
                      "normal": "Usual (not sensitised)", "now": "Now (s = {s:.2f}, m = {m:+.2f})"}


@functools.cache
def _template() -> dict:
    """Plotly's "simple_white" template as a plain dict, made once: every spec shares it (the
    specs are never changed, see :mod:`pathways.figcache`)."""
    import plotly.io as pio

    return pio.templates["simple_white"].to_plotly_json()


def _scatter(x, y, **properties) -> dict:
    return {"type": "scatter", "x": x, "y": y, **properties}


def _note() -> dict:
    """The 'illustrative model' note above the plot's top-right corner."""
    return {"text": ILLUSTRATIVE_NOTE, "xref": "paper", "yref": "paper", "x": 1, "y": 1.0,
            "xanchor": "right", "yanchor": "bottom", "showarrow": False,
            "font": {"size": 15, "color": "#444444"}, "bgcolor": "#ffffff"}


def _layout(title: str, x: str, y: str, *, xaxis: dict, annotations: Sequence[dict] = (),
            shapes: Sequence[dict] = ()) -> dict:
    """The layout both figures share (large type, fixed axes, ratings 0–10 on y, the note last
    among the annotations); ``xaxis`` adds to the x axis."""
    layout = {
        "template": _template(),
        "title": {"text": title, "x": 0.01, "xanchor": "left"},
        "font": {"size": FONT_SIZE, "family": "Arial, Helvetica, sans-serif", "color": "#222222"},
        "dragmode": False, "hovermode": "closest",
        "margin": {"l": 80, "r": 20, "t": 70, "b": 150}, "height": 560,
        "legend": {"orientation": "h", "x": 0, "y": -0.24, "yanchor": "top",
                   "font": {"size": 16}},
        "xaxis": {"title": {"text": x}, "fixedrange": True, **xaxis},
        "yaxis": {"title": {"text": y}, "fixedrange": True, "range": [0, 10.4], "dtick": 2,
                  "showgrid": True, "gridcolor": "#e6e6e6"},
        "annotations": [*annotations, _note()],
    }
    if shapes:
        layout["shapes"] = list(shapes)
    return layout


def _mod_words(m: float, audience: str) -> str:
    return load_ui().modulation_words(m, audience)  # the same words as under the slider


def _band_shapes() -> list[dict]:
    """Backgrounds of the stimulus bands (grey, white, grey), full height, behind the curves."""
    return [{"type": "rect", "xref": "x", "yref": "y domain", "x0": start, "x1": end,
             "y0": 0, "y1": 1, "fillcolor": "#f2f2f2" if start != 3 else "#ffffff",
             "opacity": 1, "layer": "below", "line": {"width": 0}}
            for start, end, *_ in STIMULUS_BANDS]


def _threshold_line(label: str) -> tuple[dict, dict]:
    """The dotted pain-threshold line across the plot and its label at the right end."""
    line = {"type": "line", "xref": "x domain", "yref": "y", "x0": 0, "x1": 1,
            "y0": THRESHOLD_RATING, "y1": THRESHOLD_RATING,
            "line": {"color": "#000000", "width": 2, "dash": "dot"}}
    text = {"text": label, "font": {"size": 15}, "xref": "x domain", "yref": "y",
            "x": 1, "y": THRESHOLD_RATING, "xanchor": "right", "yanchor": "bottom",
            "showarrow": False}
    return line, text


def _band_ticks(audience: str) -> dict:
    """One x tick per stimulus band, in the audience's words, with its range."""
    band = 2 if audience == "patient" else 3
    return {"tickvals": [(a + b) / 2 for a, b, *_ in STIMULUS_BANDS],
            "ticktext": [f"{w[band]}<br>({w[0]:g}–{w[1]:g})" for w in STIMULUS_BANDS],
            "ticks": ""}


def _zones(x, normal, now, t_normal: float, t_now: float, s: float, m: float, words: dict,
           params: ModelParameters) -> tuple[list[dict], list[dict]]:
    """Shaded zones between the curves where the current one is higher: allodynia below the
    usual threshold, hyperalgesia above it. Returns (traces, labels); each zone is a hidden
    lower edge followed by the upper edge filled down to it."""
    traces, labels = [], []
    zones = (("allodynia", x <= t_normal, OKABE_ITO["orange"], "/"),
             ("hyperalgesia", x >= t_normal, OKABE_ITO["purple"], "."))
    for key, mask, colour, shape in zones:
        mask = mask & (now > normal + 0.005) & (x >= t_now - 1e-3)
        if mask.sum() < 2:
            continue
        xs = x[mask].tolist()
        traces.append(_scatter(xs, normal[mask].tolist(), mode="lines", line={"width": 0},
                               showlegend=False, hoverinfo="skip"))
        traces.append(_scatter(
            xs, now[mask].tolist(), mode="lines", line={"width": 0}, fill="tonexty",
            fillcolor=_rgba(colour, 0.35),
            fillpattern={"shape": shape, "fgcolor": colour, "size": 10, "solidity": 0.3},
            name=words[key], hoverinfo="skip"))
        mid = xs[len(xs) // 2]
        y_mid = (pain_rating(mid, 0, 0, params) + pain_rating(mid, s, m, params)) / 2
        labels.append({"x": mid, "y": min(9.3, max(y_mid, 1.6) + 1.1),
                       "text": f"<b>{words[key]}</b>", "showarrow": False, "bgcolor": "#ffffff",
                       "bordercolor": colour, "borderwidth": 2, "font": {"size": 16}})
    return traces, labels


@memoized_figure()
def stimulus_response_figure(s: float, m: float = 0.0, audience: str = "patient",
                             params: ModelParameters = DEFAULT_PARAMETERS) -> dict:
    """The normal curve (s = 0, m = 0) beside the current one, with the allodynia and
    hyperalgesia zones shaded and labelled, the pain-threshold line and the stimulus bands.
    (Written as a plain spec; see :mod:`pathways.figcache`.)"""
    audience, words = _check_audience(audience), _WORDS[audience]
    t_normal, t_now = pain_threshold(0, 0, params), pain_threshold(s, m, params)
    # the thresholds are grid points, so the shaded zones meet exactly there
    x = np.unique(np.round(np.r_[np.linspace(0, 10, 81), t_normal, t_now], 3))
    normal = np.round(pain_rating(x, 0, 0, params), 3)
    now = np.round(pain_rating(x, s, m, params), 3)
    zones, zone_labels = _zones(x, normal, now, t_normal, t_now, s, m, words, params)
    curve = {"mode": "lines", "hovertemplate": "%{x:.1f} → %{y:.1f}/10<extra></extra>"}
    traces = [
        *zones,
        _scatter(x.tolist(), now.tolist(), name=words["now"].format(s=s, m=m),
                 line={"color": OKABE_ITO["vermillion"], "width": 5, "dash": "solid"}, **curve),
        _scatter(x.tolist(), normal.tolist(), name=words["normal"],
                 line={"color": OKABE_ITO["blue"], "width": 4, "dash": "dash"}, **curve),
        _scatter([round(t_normal, 2), round(t_now, 2)], [THRESHOLD_RATING] * 2,
                 mode="markers", name=words["markers"],
                 marker={"symbol": ["square", "diamond"], "size": 14, "color": "#000000",
                         "line": {"color": "#ffffff", "width": 1.5}},
                 hovertemplate="threshold %{x:.1f}<extra></extra>"),
    ]
    line, line_label = _threshold_line(words["threshold"])
    layout = _layout(words["title"], words["x"], words["y"],
                     xaxis={"range": [0, 10], **_band_ticks(audience)},
                     annotations=[*zone_labels, line_label], shapes=[*_band_shapes(), line])
    return {"data": traces, "layout": layout}


def _rgba(hex_colour: str, alpha: float) -> str:
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _rate_words(rate_hz: float, audience: str) -> str:
    interval = 1 / rate_hz
    if audience == "patient":
        return f"one tap every {interval:.0f} seconds" if interval >= 1.5 else (
            f"one tap every {interval:.1f} seconds")
    return f"{rate_hz:.2f} Hz (every {interval:.1f} s)"


@memoized_figure()
def windup_figure(s: float, m: float = 0.0, rate_hz: float = 0.33, audience: str = "patient",
                  n_stimuli: int = 10, intensity: float = 4.5,
                  params: ModelParameters = DEFAULT_PARAMETERS) -> dict:
    """Ratings along a train of identical stimuli at ``rate_hz`` and, for comparison, at
    0.17 Hz (distinct colour, marker and dash). (Written as a plain spec; see
    :mod:`pathways.figcache`.)"""
    audience, words = _check_audience(audience), _WORDS[audience]
    n = list(range(1, n_stimuli + 1))
    series = ((rate_hz, OKABE_ITO["vermillion"], "circle", "solid"),
              (COMPARISON_RATE_HZ, OKABE_ITO["blue"], "square", "dash"))
    traces = []
    for rate, colour, symbol, dash in series:
        ys = [round(v, 3) for v in windup_train(rate, n_stimuli, s, m, intensity, params)]
        traces.append(_scatter(
            n, ys, mode="lines+markers", name=_upper_first(_rate_words(rate, audience)),
            line={"color": colour, "width": 3, "dash": dash},
            marker={"symbol": symbol, "size": 14, "color": colour,
                    "line": {"color": "#ffffff", "width": 1.5}},
            hovertemplate="%{x} → %{y:.1f}/10<extra></extra>"))
    layout = _layout(words["wtitle"], words["wx"], words["wy"],
                     xaxis={"range": [0.5, n_stimuli + 0.5], "dtick": 1})
    return {"data": traces, "layout": layout}


# --------------------------------------------------------------------------------- text


def text_equivalent_stimulus_response(s: float, m: float = 0.0, audience: str = "patient",
                                      params: ModelParameters = DEFAULT_PARAMETERS) -> str:
    """A short paragraph with the figure's key numbers, generated from the model."""
    audience = _check_audience(audience)
    k = stimulus_response_summary(s, m, params)
    if audience == "patient":
        text = (f"{ILLUSTRATIVE_NOTE} This picture shows how much things hurt, from 0 to 10. "
                f"The nervous system here is sensitised at level {s:.2f} out of 1, and the "
                f"brain's own volume control is {_mod_words(m, audience)}. "
                f"A light touch of 3 is rated {k['touch_3']} out of 10 (usually "
                f"{k['touch_3_normal']}). Firm pressure of 5 is rated {k['pressure_5']} "
                f"(usually {k['pressure_5_normal']}). A painful 8 is rated {k['painful_8']} "
                f"(usually {k['painful_8_normal']}). Pain starts at {k['threshold']} "
                f"instead of {k['threshold_normal']}.")
        if k["allodynia"] and k["threshold"] < 3:
            text += " So a light touch can now hurt."
        text += " This pain is real. These changes in the nervous system can settle."
        return text
    text = (f"{ILLUSTRATIVE_NOTE} Stimulus–response curve of a model WDR neuron at sensitisation "
            f"s = {s:.2f} and descending modulation m = {m:+.2f} ({_mod_words(m, audience)}). "
            f"Ratings (NRS 0–10), current vs baseline: intensity 3 (light touch) "
            f"{k['touch_3']} vs {k['touch_3_normal']}; 5 (firm pressure) {k['pressure_5']} vs "
            f"{k['pressure_5_normal']}; 8 (painful) {k['painful_8']} vs "
            f"{k['painful_8_normal']}. Pain threshold (NRS 1) at {k['threshold']} vs "
            f"{k['threshold_normal']} ({abs(k['threshold_shift_fraction']):.0%} of the scale "
            f"{'lower' if k['threshold_shift_fraction'] >= 0 else 'higher'}; "
            f"mild sensitisation, s = {params.mild_level:g}, lowers it by "
            f"{params.mild_threshold_shift:.0%}, mapped from the 1.2–1.6 °C lower interictal "
            f"heat-pain threshold in migraine, Schwedt 2015).")
    if k["allodynia"]:
        text += " Allodynia: stimuli below the baseline threshold are now painful."
    if k["painful_8"] > k["painful_8_normal"]:
        text += " Hyperalgesia: noxious stimuli are rated higher."
    return text


def text_equivalent_windup(s: float, m: float = 0.0, rate_hz: float = 0.33,
                           audience: str = "patient", n_stimuli: int = 10, intensity: float = 4.5,
                           params: ModelParameters = DEFAULT_PARAMETERS) -> str:
    """A short paragraph with the wind-up figure's key numbers, generated from the model."""
    audience = _check_audience(audience)
    k = windup_summary(s, m, rate_hz, n_stimuli, intensity, params)
    if audience == "patient":
        grows = (f"the pain builds from {k['first']} to {k['last']} out of 10"
                 if k["growth"] > 0 else f"the pain stays at {k['first']} out of 10")
        return (f"{ILLUSTRATIVE_NOTE} The same tap of strength {intensity:g} is repeated "
                f"{n_stimuli} times. With {_rate_words(rate_hz, audience)}, {grows}. With "
                f"{_rate_words(COMPARISON_RATE_HZ, audience)}, it stays at {k['slow_last']} "
                f"out of 10. In tests on healthy people, heat pulses every 3 seconds added up "
                f"and pulses 6 seconds apart did not. A sensitised nervous system adds them up "
                f"more, and over longer gaps. The build-up fades once the taps stop: it is not "
                f"the same as a nervous system that stays sensitive.")
    return (f"{ILLUSTRATIVE_NOTE} Temporal summation in a model WDR neuron: {n_stimuli} identical "
            f"stimuli of intensity {intensity:g}, s = {s:.2f}, m = {m:+.2f}. At {rate_hz:.2f} Hz "
            f"(ISI {k['interval_s']} s) ratings go from {k['first']} to {k['last']} (NRS); at "
            f"{COMPARISON_RATE_HZ:.2f} Hz they stay at {k['slow_last']}. The "
            f"facilitation decays with τ = {k['tau_s']:g} s at this s, so summation needs rates "
            f"above {k['boundary_hz']} Hz. In healthy volunteers it was robust at 0.33 Hz and "
            f"absent at 0.17 Hz (Staud 2007); in fibromyalgia it occurred at 2–5 s intervals "
            f"(Staud 2001), so τ lengthens with s. Sensitisation increases the build-up (Woolf "
            f"2011). Wind-up lasts for the train; central sensitisation outlasts the input.")
