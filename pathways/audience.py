"""Who is reading, and which wording they read.

Three audiences choose the app's mode; two wordings exist. Patients read plain words;
clinicians and educators read clinical words (educators teach clinicians). Every module asks
here instead of comparing strings its own way.

>>> words_for("educator")
'clinician'
>>> is_patient("patient"), is_patient("clinician")
(True, False)
>>> check_audience("surgeon")
Traceback (most recent call last):
...
ValueError: audience must be one of patient, clinician, educator, not 'surgeon'
"""

from __future__ import annotations

from typing import Literal

__all__ = [
    "AUDIENCES",
    "WORDINGS",
    "Audience",
    "Wording",
    "check_audience",
    "is_patient",
    "words_for",
]

AUDIENCES = ("patient", "clinician", "educator")
WORDINGS = ("patient", "clinician")
Audience = Literal["patient", "clinician", "educator"]
Wording = Literal["patient", "clinician"]


def check_audience(audience: str) -> Audience:
    """``audience`` itself if it is one of :data:`AUDIENCES`; otherwise ValueError."""
    if audience not in AUDIENCES:
        raise ValueError(f"audience must be one of {', '.join(AUDIENCES)}, not {audience!r}")
    return audience  # type: ignore[return-value]


def words_for(audience: str) -> Wording:
    """Which wording an audience reads: 'patient', or 'clinician' (educators read clinical
    wording). An unknown audience raises ValueError."""
    return "patient" if check_audience(audience) == "patient" else "clinician"


def is_patient(audience: str) -> bool:
    """Whether ``audience`` reads the plain, patient wording."""
    return words_for(audience) == "patient"
