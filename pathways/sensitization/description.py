"""The charts in words: text equivalents generated from the same model numbers.
"""

from __future__ import annotations

from ..audience import check_audience
from .figures import _mod_words, _rate_words
from .model import (
    COMPARISON_RATE_HZ,
    DEFAULT_PARAMETERS,
    ILLUSTRATIVE_NOTE,
    ModelParameters,
    stimulus_response_summary,
    windup_summary,
)

__all__ = [
    "text_equivalent_stimulus_response",
    "text_equivalent_windup",
]

# --------------------------------------------------------------------------------- text


def text_equivalent_stimulus_response(s: float, m: float = 0.0, audience: str = "patient",
                                      params: ModelParameters = DEFAULT_PARAMETERS) -> str:
    """A short paragraph with the figure's key numbers, generated from the model."""
    audience = check_audience(audience)
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
    audience = check_audience(audience)
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
