"""The model itself: its parameters (each with its source), the stimulus–response curve,
wind-up along a train of stimuli, and the numbers the figures and descriptions report.
Illustrative model, not patient data.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields

import numpy as np

__all__ = [
    "spread_rings",
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
    "stimulus_response_summary",
    "windup_summary",
]

ILLUSTRATIVE_NOTE = "Illustrative model, not patient data."

#: Mapping of the heat-pain anchor onto the 0–10 intensity scale: the "painful" band (6→10) is
#: taken to span the usual heat-pain testing range, from about 45 °C (normal heat-pain threshold:
#: Schwedt 2015 controls 44.8–45.1 °C) to a ~50 °C thermode cut-off (an assumption, not from a
#: source): 5 °C over 4 units, i.e. 1.25 °C per unit.
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



# --------------------------------------------------------------------------------- summaries


def spread_rings(s: float, params: ModelParameters = DEFAULT_PARAMETERS) -> int:
    """How many rings of neighbouring regions are added at sensitisation ``s`` (0 at s = 0)."""
    s = _check_level(s)
    return sum(s >= onset for onset in params.ring_onsets)


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
